"""`yrd data build`: load every raw extract, process, validate, save. The output directory is
written whole into a temporary sibling and swapped in by rename, so a failed build leaves the
previous good one; a build whose inputs (raw files, user files, this package's data code) have the
same content hashes as the last one is skipped. The manifest records every input's sha256."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from pathlib import Path

from yrdlib import config
from yrdlib.data import files
from yrdlib.data.files import FIRST_YEAR, sha256, user_csvs
from yrdlib.errors import DataError, StaleDataError

MANIFEST = "manifest.json"
CODE_FILES = ["regions.py", "errors.py", "data/clean.py", "data/importers.py", "data/derive.py",
              "data/indicators.py", "data/schema.py", "data/build.py", "data/breaks.py", "data/files.py"]


def input_files(raw: Path | None = None, user: Path | None = None) -> list[Path]:
    raw = raw or config.RAW
    user = user or config.USER_DATA
    files = sorted(p for p in raw.rglob("*") if p.is_file())
    files += user_csvs(user)
    pkg = Path(__file__).resolve().parents[1]
    files += [pkg / f for f in CODE_FILES]
    return files


YEAR_RULE = "<rule: user data years>"
def input_hashes(raw: Path | None = None, user: Path | None = None) -> dict[str, str]:
    """sha256 of every input file. With user files, also the year rule they were checked
    against (1949 to the current year): when the clock's year differs from the build's, the
    data is stale and the rebuild checks the user rows against today's date again."""
    out = {}
    for p in input_files(raw, user):
        try:
            key = str(p.resolve().relative_to(config.ROOT))
        except ValueError:
            key = str(p)
        out[key] = sha256(p)
    if user_csvs(user):
        out[YEAR_RULE] = f"{FIRST_YEAR}-{files.current_year()}"
    return out


def inputs_key(hashes: dict[str, str]) -> str:
    return hashlib.sha256(json.dumps(hashes, sort_keys=True).encode()).hexdigest()


def read_manifest(out: Path | None = None) -> dict | None:
    out = out or config.PROCESSED
    _recover(out)
    try:
        return json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return None


def up_to_date(out: Path | None = None, raw: Path | None = None, user: Path | None = None) -> bool:
    """True when the manifest's inputs match the current inputs AND every output file still has
    the sha256 the manifest recorded (a truncated panel.parquet is not "up to date")."""
    m = read_manifest(out)
    return (bool(m) and m.get("inputs_key") == inputs_key(input_hashes(raw, user))
            and not damaged_outputs(out, m))


def damaged_outputs(out: Path | None = None, manifest: dict | None = None) -> list[str]:
    """Output files whose sha256 differs from the manifest (or that are missing)."""
    out = out or config.PROCESSED
    m = manifest if manifest is not None else read_manifest(out)
    if not m:
        return ["manifest.json"]
    outputs = m.get("outputs") or {}
    if "panel.parquet" not in outputs:
        return ["manifest.json (no output hashes)"]
    bad = []
    for name, digest in sorted(outputs.items()):
        f = out / name
        if not f.is_file() or sha256(f) != digest:
            bad.append(name)
    return bad


def content_hash(manifest: dict) -> str:
    """The processed data's identity: sha256 over the output files' hashes (not the build time),
    so an identical rebuild keeps every cache entry valid."""
    return hashlib.sha256(json.dumps(manifest.get("outputs") or {}, sort_keys=True)
                          .encode()).hexdigest()


def status(out: Path | None = None, raw: Path | None = None, user: Path | None = None) -> str:
    """'missing', 'stale' (inputs changed), 'damaged' (an output's hash differs) or 'ok'."""
    out = out or config.PROCESSED
    _recover(out)
    m = read_manifest(out)
    if not m:
        return "missing"
    if m.get("inputs_key") != inputs_key(input_hashes(raw, user)):
        return "stale"
    return "damaged" if damaged_outputs(out, m) else "ok"


ENV_DATA_HASH = "YRD_DATA_SHA256"
_VERIFIED: dict[tuple, str] = {}


def verify_for_kernel(expected: str, out: Path | None = None) -> None:
    """Inside a kernel started by `yrd run`: the processed data must be the data the runner
    verified (content hash `expected`). A mismatch is an error, never a rebuild."""
    out = out or config.PROCESSED
    mf = out / MANIFEST
    try:
        st = mf.stat()
    except FileNotFoundError:
        raise StaleDataError(f"{mf}: missing; the run verified data {expected[:12]}") from None
    key = (str(mf), st.st_mtime_ns, st.st_size, expected)
    if _VERIFIED.get(key) == expected:
        return
    m = read_manifest(out) or {}
    got = content_hash(m)
    if got != expected:
        raise StaleDataError(f"{out}: processed data changed during the run (content "
                             f"{got[:12]}, the run verified {expected[:12]}); kernels never rebuild")
    bad = damaged_outputs(out, m)
    if bad:
        raise StaleDataError(f"{out / bad[0]}: sha256 differs from manifest.json (damaged)")
    _VERIFIED[key] = expected


def _recover(out: Path) -> None:
    """A build killed between its two renames leaves `<out>.old`: put it back."""
    old = out.with_name(out.name + ".old")
    if not out.exists() and old.exists():
        os.replace(old, out)


def _clean_stale_tmp(out: Path) -> None:
    """A build killed while writing (SIGKILL) leaves `<out>.tmp-<pid>`: the next build removes
    it once that process is gone (only a build does this, never a reader or a kernel)."""
    if out.parent.is_dir():
        for tmp in out.parent.glob(f"{out.name}.tmp-*"):
            pid = tmp.name.rsplit("-", 1)[-1]
            if pid.isdigit() and int(pid) != os.getpid() and not _pid_alive(int(pid)):
                shutil.rmtree(tmp, ignore_errors=True)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def process(raw: Path | None = None, user: Path | None = None) -> dict:
    """Raw extracts -> processed tables (in memory). Raises DataError on bad input."""
    import numpy as np
    import pandas as pd

    # deferred (kernel start-up): data.panel imports this module in every kernel, which only
    # verifies hashes; the importers, cleaning and schema load when a build runs
    from yrdlib import regions
    from yrdlib.data import breaks, derive, importers, indicators, schema

    raw = raw or config.RAW
    frames, dropped = [], []
    for path in importers.user_files(user):  # the user's files first: their errors come fast
        res = importers.user_table(path)
        frames.append(res.data)
        dropped.append(res.dropped)
    for rel, fn in importers.REGISTRY:
        res = fn(raw / rel)
        frames.append(res.data)
        dropped.append(res.dropped)
    panel = pd.concat(frames, ignore_index=True)
    panel["year"] = panel["year"].astype(int)
    panel["source_row"] = panel["source_row"].astype(int)
    panel["flag"] = panel["flag"].fillna("").astype(str)
    # a user figure for a region-year-indicator that a source already has: both kept? No - error.
    dup = panel.duplicated(["region_code", "year", "indicator"], keep=False)
    if dup.any():
        rows = panel[dup].sort_values(["region_code", "year", "indicator"])
        r = rows.iloc[-1]
        raise DataError(r["source"].split(" :: ")[0], f"duplicated region-year-indicator "
                        f"({r['region_code']}, {r['year']}, {r['indicator']}) also in "
                        f"{rows.iloc[0]['source']} line {rows.iloc[0]['source_row']}",
                        row=int(r["source_row"]), column="indicator")
    panel, corrections = derive.apply_corrections(panel, raw / "corrections" / "corrections.csv")
    panel = derive.mark_mismatch(panel)
    panel = derive.mark_boundary_breaks(panel)
    review = derive.spike_review(panel, keys=breaks.SPIKE_KEYS)
    derived = derive.derive(panel)
    rejected = derived.attrs.get("rejected")
    if rejected is not None and len(rejected):
        rejected = rejected.assign(previous=np.nan, next=np.nan, source="derived: implausible "
                                   "(outside the dictionary range): inputs need review", source_row=0)
        review = pd.concat([review, rejected[review.columns]], ignore_index=True)
    panel = pd.concat([panel, derived], ignore_index=True)
    panel = panel.sort_values(["indicator", "region_code", "year"]).reset_index(drop=True)
    panel = panel[["region_code", "year", "indicator", "value", "unit", "source", "source_row", "flag"]]
    panel["value"] = panel["value"].astype(float)
    detected, excluded = breaks.apply(panel, raw / "breaks" / "breaks.csv")
    panel = breaks.mark(panel, excluded)
    schema.validate(panel)
    ref = regions.reference().copy()
    ref["old_codes"] = ref["old_codes"].map(" ".join)
    ref["old_names"] = ref["old_names"].map(" ".join)
    return {
        "panel": panel,
        "regions": ref,
        "indicators": indicators.table(),
        "dropped_rows": pd.concat(dropped, ignore_index=True),
        "corrections": corrections,
        "review_spikes": review,
        "points": importers.points(raw / "curated_points"),
        "breaks": detected,
        "breaks_excluded": excluded,
    }


def save(tables: dict, out: Path, hashes: dict[str, str], seconds: float) -> None:
    """Write all tables into `<out>.tmp-<pid>`, then swap it in by rename."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f"{out.name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        outputs = {}
        for name, df in tables.items():
            if name == "panel":
                f = tmp / "panel.parquet"
                df.to_parquet(f, index=False)
            else:
                f = tmp / f"{name}.csv"
                df.to_csv(f, index=False, encoding="utf-8")
            outputs[f.name] = sha256(f)
        panel = tables["panel"]
        manifest = {
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "build_seconds": round(seconds, 2),
            "inputs_key": inputs_key(hashes),
            "inputs": hashes,
            "outputs": outputs,
            "rows": len(panel),
            "regions": int(panel["region_code"].nunique()),
            "indicators": int(panel["indicator"].nunique()),
            "years": [int(panel["year"].min()), int(panel["year"].max())],
            "undecided_breaks": int((tables["breaks"]["decision"] == "").sum())
            if "breaks" in tables else 0,
            "user_breaks": _user_breaks(tables),
        }
        (tmp / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        old = out.with_name(out.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if out.exists():
            os.replace(out, old)
        os.replace(tmp, out)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _user_breaks(tables: dict) -> list[dict]:
    """Undecided breaks in the user's figures, as {file, row, column, value, message}: `yrd data
    check` and `yrd run` refuse the data while any is left (breaks.user_breaks)."""
    from yrdlib.data import breaks  # deferred: only a build reads breaks (kernel start-up)

    if "breaks" not in tables or "flag" not in tables["panel"]:
        return []
    return [{"file": e.file, "row": e.row, "column": e.column, "value": e.value,
             "message": e.message} for _, e in breaks.user_breaks(tables["panel"], tables["breaks"])]


def user_break_errors(manifest: dict | None) -> list:
    """The manifest's user breaks as DataErrors (one line each: file, line, what to do)."""
    return [DataError(d["file"], d["message"], row=d["row"], column=d["column"], value=d["value"])
            for d in (manifest or {}).get("user_breaks") or []]


def build(force: bool = False, out: Path | None = None, raw: Path | None = None,
          user: Path | None = None) -> tuple[bool, dict | None]:
    """Returns (built, manifest). Skips when the inputs are unchanged, unless forced."""
    from yrdlib.data import sources  # deferred: only a build verifies sources (kernel start-up)

    out = out or config.PROCESSED
    _recover(out)
    _clean_stale_tmp(out)
    sources.verify_raw(raw)  # a raw file edited, missing or unlisted: refused before reading
    hashes = input_hashes(raw, user)
    if not force:
        m = read_manifest(out)
        if m and m.get("inputs_key") == inputs_key(hashes) and not damaged_outputs(out, m):
            return False, m
    t0 = time.perf_counter()
    tables = process(raw, user)
    save(tables, out, hashes, time.perf_counter() - t0)
    return True, read_manifest(out)
