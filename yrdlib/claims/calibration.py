"""Calibration of the verdict rule on the real panel (docs/methods.md, "Calibration").

A rule is judged by what it says where the answer is known. For every pooled causal test this
module runs the project's own hypothesis function (``s1b_fdi_did``, ``s2b_growth_did``,
``s4b_tertiary_did``) on changed copies of its real sample and counts verdicts:

* **size** — placebo assignments: the YRD provinces (沪苏浙皖) are dropped and the cohort patterns
  of Jiangsu, Zhejiang and Anhui (each city's first treated year) are given to three other
  provinces drawn at random (a pattern is stretched to the receiving province's number of
  cities). No effect exists, so "supported" or "contradicted" is a false verdict;
* **power** — the same placebo assignments with a clean effect planted in the outcome from each
  placebo-treated city's first treated year, of 1, 2 and 4 within-city standard deviations of the
  outcome's annual change (no pre-trend is added: the real panel's own pre-period noise stays);
* **planted on the actual assignment** — the same planted effects on the real treated cities.

Each run goes through :func:`yrdlib.claims.common.did_test` inside
:class:`~yrdlib.claims.common.calibrating`, so the verdict is the one :func:`yrdlib.evidence.judge`
gives; only the rows that never bind (bootstrap, TWFE) are skipped. Results are cached per data
version, code and package versions as CSV (never pickled) with an HMAC beside it
(:mod:`yrdlib.seal`) under ``reports/.cache/calibration``; ``yrd calibrate``
writes the summary to ``docs/calibration/`` for the reports and docs/methods.md.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from yrdlib import config, seal
from yrdlib.claims import common

__all__ = ["TESTS", "Assign", "calibrate", "run_one", "summary", "within_sd"]

TESTS = {
    "S1.b": ("yrdlib.claims.opening", "s1b_fdi_did"),
    "S2.b": ("yrdlib.claims.city_tier", "s2b_growth_did"),
    "S4.b": ("yrdlib.claims.industry", "s4b_tertiary_did"),
}
"""The pooled causal core tests and the hypothesis functions that compute them."""
SOURCE_PROVINCES = ("32", "33", "34")  # the treated provinces of the real sample (Shanghai's one
# city joined in 1997 and has no pre-period)
SD_LEVELS = (1.0, 2.0, 4.0)
MIN_CITIES = 4  # a province receives a placebo pattern only if it has this many cities
SUMMARY_DIR = config.ROOT / "docs" / "calibration"


@dataclass(frozen=True)
class Assign:
    """A change of the DiD sample: ``mapping`` {receiving province: source province} gives the
    placebo assignment (None keeps the actual one); ``tau`` is planted in ``y`` from each city's
    first treated year in ``start`` (the main specification's assignment)."""
    mapping: tuple[tuple[str, str], ...] | None = None
    seed: int = 0
    tau: float = 0.0
    start: tuple[tuple[str, float], ...] = field(default=())

    def __call__(self, d: pd.DataFrame) -> pd.DataFrame:
        d = d.copy()
        if self.mapping is not None:
            rng = np.random.default_rng(self.seed)
            city_ty = d.groupby("region_code")["treat_year"].first()
            prov = pd.Series(city_ty.index.str[:2], index=city_ty.index)
            new = pd.Series(np.nan, index=city_ty.index)
            for tgt, src in self.mapping:
                pattern = np.sort(city_ty[prov == src].dropna().to_numpy())
                cities = city_ty.index[prov == tgt].to_numpy()
                if len(pattern) == 0 or len(cities) == 0:
                    continue
                pick = np.floor(np.arange(len(cities)) * len(pattern) / len(cities)).astype(int)
                new[rng.permutation(cities)] = pattern[pick]
            d = d[~d["province"].isin(common.TREATED_PROVINCES)].copy()
            d["treat_year"] = d["region_code"].map(new)
        if self.tau and self.start:
            st = d["region_code"].map(dict(self.start))
            d["y"] = d["y"] + self.tau * (d["year"] >= st).to_numpy(dtype=float)
        return d


def _spec(hid: str):
    import importlib

    mod, fn = TESTS[hid]
    return getattr(importlib.import_module(mod), fn)


def _main_sample(hid: str, transform=None, **kw) -> pd.DataFrame:
    """The main-specification sample of a test (its function's defaults, or ``kw`` such as
    ``treatment=``), after ``transform``: the hypothesis function runs inside
    :class:`common.calibrating` and is stopped as soon as its first (main) sample reaches the
    transform, before any estimation."""
    captured = {}

    def grab(d):
        captured["d"] = d
        raise _Stop

    with common.calibrating(grab):
        try:
            _spec(hid)(**kw)
        except _Stop:
            pass
    d = captured["d"]
    return transform(d) if transform is not None else d


class _Stop(Exception):
    """Raised by the sample-capturing transform to end the hypothesis function early."""


def within_sd(d: pd.DataFrame) -> float:
    """Within-city SD of the outcome's annual change (consecutive years, city means removed):
    the unit of the planted effects."""
    d = d.sort_values(["region_code", "year"])
    dy = d.groupby("region_code")["y"].diff()
    gap = d.groupby("region_code")["year"].diff()
    dy = dy[gap == 1]
    dev = dy - dy.groupby(d.loc[dy.index, "region_code"]).transform("mean")
    return float(dev.std(ddof=1))


def draws(hid: str, n: int, seed: int = 20261206) -> list[tuple[tuple[str, str], ...]]:
    """``n`` placebo assignments: three provinces outside 沪苏浙皖 with at least MIN_CITIES
    cities in the test's sample receive the cohort patterns of Jiangsu, Zhejiang and Anhui."""
    d = _main_sample(hid)
    per = d.groupby("province")["region_code"].nunique()
    eligible = sorted(p for p, k in per.items()
                      if p not in common.TREATED_PROVINCES and k >= MIN_CITIES)
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        tg = rng.choice(eligible, size=len(SOURCE_PROVINCES), replace=False)
        src = rng.permutation(SOURCE_PROVINCES)
        out.append(tuple(zip((str(t) for t in tg), (str(s) for s in src))))
    return out


def run_one(hid: str, mapping, tau: float, seed: int = 0) -> dict:
    """One calibration run: the hypothesis function on the changed sample; its verdict and
    estimate, and the binding checks that disagree."""
    base = Assign(mapping=mapping, seed=seed)
    start = ()
    if tau:
        s0 = _main_sample(hid, base)
        st = s0.groupby("region_code")["treat_year"].first().dropna()
        start = tuple((str(k), float(v)) for k, v in st.items())
    tf = Assign(mapping=mapping, seed=seed, tau=tau, start=start)
    with common.calibrating(tf):
        ev = _spec(hid)().evidence
    failed = [r["name"] for r in ev.sensitivity if r.get("binding", True) and not r.get("agrees")]
    return {"hypothesis": hid, "estimate": ev.estimate, "ci_low": ev.ci_low, "ci_high": ev.ci_high,
            "p_value": ev.p_value, "mde": ev.mde, "verdict": ev.verdict,
            "failed_checks": "; ".join(failed)}


def _job(args):
    hid, kind, draw, mapping, sd_level, tau, seed = args
    r = run_one(hid, mapping, tau, seed)
    return {"kind": kind, "draw": draw, "sd_level": sd_level, "tau": tau,
            "mapping": ";".join(f"{t}<-{s}" for t, s in mapping) if mapping else "actual", **r}


def _code_key() -> str:
    h = hashlib.sha256()
    for folder in ("claims", "methods", "data"):
        for p in sorted((config.ROOT / "yrdlib" / folder).glob("*.py")):
            h.update(p.name.encode() + p.read_bytes())
    for name in ("evidence.py", "records.py", "verdict.py"):  # the verdict rules
        h.update((config.ROOT / "yrdlib" / name).read_bytes())
    return h.hexdigest()


def cache_path(n_draws: int, tests) -> Path:

    key = hashlib.sha256(json.dumps([common.data_key(), _code_key(), n_draws, sorted(tests),
                                     SD_LEVELS, seal.environment_key()]).encode()).hexdigest()
    return config.REPORTS / ".cache" / "calibration" / f"{key}.csv"


def _read_cached(path: Path) -> pd.DataFrame | None:
    """A cached calibration, served only when its HMAC (yrdlib.seal, key outside the cache)
    verifies: an edited or forged CSV is recomputed, never believed."""
    tag = path.with_suffix(".mac")
    try:
        body = path.read_bytes()
        ok = seal.verify(tag.read_text().strip(), path.name.encode(), body)
    except (OSError, seal.KeyUnavailable):
        return None
    if not ok:
        print(f"warning: {path.name}: calibration cache entry fails its check; recomputed",
              flush=True)
        return None

    return pd.read_csv(io.BytesIO(body), dtype={"mapping": str})


def _write_cached(path: Path, out: pd.DataFrame) -> None:

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        body = out.to_csv(index=False).encode()
        tmp = path.with_suffix(f".tmp-{os.getpid()}")
        tmp.write_bytes(body)
        os.replace(tmp, path)
        mtmp = path.with_suffix(f".mtmp-{os.getpid()}")
        mtmp.write_text(seal.mac(path.name.encode(), body))
        os.replace(mtmp, path.with_suffix(".mac"))
    except (OSError, seal.KeyUnavailable) as e:
        print(f"warning: calibration cache not written ({e}); the result stands", flush=True)


def calibrate(n_draws: int = 40, tests=tuple(TESTS), workers: int = 2,
              refresh: bool = False, progress=None) -> pd.DataFrame:
    """Every run of the calibration (size: ``n_draws`` placebo assignments; power: the same
    assignments with effects of SD_LEVELS within-city SDs; the same effects on the actual
    assignment), one row per run. Cached per data version and code (CSV)."""
    path = cache_path(n_draws, tests)
    if path.exists() and not refresh:
        cached = _read_cached(path)
        if cached is not None:
            return cached
    jobs = []
    for hid in tests:
        sd = within_sd(_main_sample(hid))
        for k, m in enumerate(draws(hid, n_draws)):
            jobs.append((hid, "placebo", k, m, 0.0, 0.0, k))
            for lv in SD_LEVELS:
                jobs.append((hid, "placebo", k, m, lv, lv * sd, k))
        for lv in (0.0, *SD_LEVELS):
            jobs.append((hid, "actual", 0, None, lv, lv * sd, 0))
    out = run_jobs(_job, jobs, workers, progress)
    _write_cached(path, out)
    return out


def run_jobs(job, jobs: list, workers: int, progress=None) -> pd.DataFrame:
    """``job`` (a module-level function, so it pickles) over ``jobs`` on ``workers`` processes,
    one row each, with the data version in front (shared by the calibrations)."""
    rows = []
    if workers > 1:
        with ProcessPoolExecutor(max_workers=workers) as ex:
            for i, r in enumerate(ex.map(job, jobs, chunksize=4)):
                rows.append(r)
                if progress:
                    progress(i + 1, len(jobs))
    else:
        for i, j in enumerate(jobs):
            rows.append(job(j))
            if progress:
                progress(i + 1, len(jobs))
    out = pd.DataFrame(rows)
    out.insert(0, "data_key", common.data_key())
    return out


def summary(runs: pd.DataFrame) -> pd.DataFrame:
    """Per test: size (share of placebo runs without an effect judged supported or contradicted),
    power (share supported) at each SD level on placebo assignments, and the verdict of the
    planted effects on the actual assignment."""
    out = []
    for hid, g in runs.groupby("hypothesis", sort=True):
        pl = g[g["kind"] == "placebo"]
        null = pl[pl["sd_level"] == 0]
        row = {"hypothesis": hid, "placebo_runs": len(null),
               "size_supported": float((null["verdict"] == "supported").mean()),
               "size_contradicted": float((null["verdict"] == "contradicted").mean())}
        row["size"] = row["size_supported"] + row["size_contradicted"]
        for lv in SD_LEVELS:
            x = pl[pl["sd_level"] == lv]
            row[f"power_{lv:g}sd"] = float((x["verdict"] == "supported").mean()) if len(x) else np.nan
            act = g[(g["kind"] == "actual") & (g["sd_level"] == lv)]
            row[f"actual_{lv:g}sd"] = act["verdict"].iloc[0] if len(act) else ""
            row[f"tau_{lv:g}sd"] = float(x["tau"].iloc[0]) if len(x) else np.nan
        out.append(row)
    return pd.DataFrame(out)


def published_summary() -> pd.DataFrame | None:
    """The committed calibration summary (docs/calibration/summary.csv) with a column saying
    whether it was computed on the current data version; None when there is none."""
    p = SUMMARY_DIR / "summary.csv"
    if not p.exists():
        return None
    s = pd.read_csv(p)
    s["current_data"] = s["data_key"] == _manifest_data_key()
    return s


def _manifest_data_key() -> str | None:
    """:func:`common.data_key` read from the manifest as it is — never building the data (a page
    that only shows the calibration must not change what it describes)."""
    try:
        m = json.loads((config.PROCESSED / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return common.data_key_of(m)
