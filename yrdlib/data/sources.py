"""SOURCE.yml files: one per raw folder, naming the original publication, the compilation it came
through, licence, retrieval date, coverage and the sha256 of each file. This module checks the
hashes and writes the data availability statement of the README from them."""

from __future__ import annotations

from pathlib import Path

import yaml

from yrdlib import config
from yrdlib.data.build import sha256

REQUIRED = ["title", "original_publication", "compilation", "licence", "retrieved", "coverage"]


def folders(raw: Path | None = None) -> list[Path]:
    raw = raw or config.RAW
    return sorted(p for p in raw.iterdir() if p.is_dir())


def load(folder: Path) -> dict:
    f = folder / "SOURCE.yml"
    if not f.exists():
        raise FileNotFoundError(f"{folder}: no SOURCE.yml")
    return yaml.safe_load(f.read_text(encoding="utf-8")) or {}


def write_hashes(raw: Path | None = None) -> list[str]:
    out = []
    for folder in folders(raw):
        meta = load(folder)
        meta["files"] = {p.name: {"sha256": sha256(p), "bytes": p.stat().st_size}
                         for p in sorted(folder.iterdir()) if p.is_file() and p.name != "SOURCE.yml"}
        (folder / "SOURCE.yml").write_text(
            yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=100), encoding="utf-8")
        out.append(f"{folder.name}: {len(meta['files'])} file(s)")
    return out


def check_hashes(raw: Path | None = None) -> list[str]:
    """Problems: a folder without SOURCE.yml or a required key, a file not listed, a hash that
    does not match (a raw file edited after it was recorded)."""
    problems = []
    for folder in folders(raw):
        try:
            meta = load(folder)
        except FileNotFoundError as e:
            problems.append(str(e))
            continue
        for k in REQUIRED:
            if not meta.get(k):
                problems.append(f"{folder.name}/SOURCE.yml: missing '{k}'")
        listed = meta.get("files") or {}
        for name in sorted(listed):
            if not (folder / name).is_file():
                problems.append(f"{folder.name}/{name}: listed in SOURCE.yml but missing")
        for p in sorted(folder.iterdir()):
            if not p.is_file() or p.name == "SOURCE.yml":
                continue
            if p.name not in listed:
                problems.append(f"{folder.name}/{p.name}: not listed in SOURCE.yml")
            elif listed[p.name].get("sha256") != sha256(p):
                problems.append(f"{folder.name}/{p.name}: sha256 differs from SOURCE.yml "
                                "(raw data changed; if on purpose: `yrd data accept-source "
                                f"{folder.name}/{p.name} --reason ...`)")
    return problems


def verify_raw(raw: Path | None = None) -> None:
    """Refuse raw inputs that SOURCE.yml does not vouch for: a file whose sha256 differs, a listed
    file that is missing, a file not listed, a folder without SOURCE.yml. Raises
    SourceMismatchError naming the first such file (the build calls this before reading)."""
    from yrdlib.errors import SourceMismatchError

    raw = raw or config.RAW
    for folder in folders(raw):
        f = folder / "SOURCE.yml"
        if not f.is_file():
            raise SourceMismatchError(_rel(f), "missing: every raw folder needs its SOURCE.yml")
        try:
            meta = yaml.safe_load(f.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as e:
            raise SourceMismatchError(_rel(f), f"invalid YAML: {str(e).splitlines()[0]}") from None
        listed = meta.get("files") or {}
        for name in sorted(listed):
            if not (folder / name).is_file():
                raise SourceMismatchError(_rel(folder / name), "listed in SOURCE.yml but missing")
        for p in sorted(folder.iterdir()):
            if not p.is_file() or p.name == "SOURCE.yml":
                continue
            if p.name not in listed:
                raise SourceMismatchError(_rel(p), "not listed in SOURCE.yml (unverified input); "
                                          "record it with `yrd data accept-source`")
            if (listed[p.name] or {}).get("sha256") != sha256(p):
                raise SourceMismatchError(
                    _rel(p), "sha256 differs from SOURCE.yml (the published extract was edited); "
                    f"refused. If the change is intended: `yrd data accept-source "
                    f"{folder.name}/{p.name} --reason '...'`")


def accept_change(rel: str, reason: str, by: str, raw: Path | None = None) -> str:
    """Accept a changed, new or removed raw file: record its new sha256 in SOURCE.yml and append
    who, when, why and the old/new hashes to the folder's `changes:` list."""
    import datetime as _dt

    from yrdlib.errors import DataError

    raw = raw or config.RAW
    if not reason.strip():
        raise DataError(rel, "give the reason for accepting the change (--reason)")
    target = (raw / rel).resolve()
    if raw.resolve() not in target.parents or target.parent.parent != raw.resolve():
        raise DataError(rel, "not a file of a raw source folder (give <folder>/<file>)")
    folder = target.parent
    meta = load(folder)
    files = meta.get("files") or {}
    old = (files.get(target.name) or {}).get("sha256")
    if target.is_file():
        new = sha256(target)
        files[target.name] = {"sha256": new, "bytes": target.stat().st_size}
    elif old is not None:
        new = None
        files.pop(target.name)
    else:
        raise DataError(rel, "no such file and not listed in SOURCE.yml")
    if old == new:
        return f"{rel}: unchanged (sha256 {new[:12]})"
    meta["files"] = dict(sorted(files.items()))
    meta.setdefault("changes", []).append({
        "file": target.name, "date": _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "by": by, "reason": reason.strip(), "old_sha256": old, "new_sha256": new})
    (folder / "SOURCE.yml").write_text(
        yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=100), encoding="utf-8")
    return f"{rel}: accepted ({(old or 'none')[:12]} -> {(new or 'removed')[:12]}), recorded in " \
           f"{folder.name}/SOURCE.yml"


def _rel(p: Path) -> str:
    try:
        return str(p.resolve().relative_to(config.ROOT))
    except ValueError:
        return str(p)


def availability_markdown(raw: Path | None = None) -> str:
    """The README's data availability statement, generated from SOURCE.yml."""
    lines = ["| folder | what | original publication | compilation | licence | coverage |",
             "|---|---|---|---|---|---|"]
    for folder in folders(raw):
        m = load(folder)

        def cell(k, m=m):
            return str(m.get(k, "")).replace("|", "/").replace("\n", " ").strip()
        lines.append(f"| `{folder.name}` | {cell('title')} | {cell('original_publication')} | "
                     f"{cell('compilation')} | {cell('licence')} | {cell('coverage')} |")
    return "\n".join(lines)
