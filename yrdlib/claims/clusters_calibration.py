"""Calibration of the all-cluster design (:func:`yrdlib.claims.clusters.cluster_test`) on the
real panel: size under placebo assignments and power at planted effects, judged by the
project's own rule (docs/methods.md, "Calibration"; the machinery of
:mod:`yrdlib.claims.calibration`: within-city SD units, summary, HMAC-sealed CSV cache).

The YRD calibration drops the treated provinces and gives their patterns to others; here the
plans cover 24 provinces, so no clean remainder exists. The placebo runs instead where no plan
existed yet: the panel is cut at PLACEBO_LAST (the year before the first plan cohort, 2016) and
the plans' cohort patterns, moved back SHIFT years, are given to provinces by a random
province-block permutation (each province receives another province's pattern, stretched to its
number of cities). No plan effect can exist in those years, so a "supported" or "contradicted"
verdict is a false one (size); the same assignments with 1, 2 and 4 within-city SDs of the
outcome's annual change planted from each placebo-treated city's first treated year give power.
"actual" runs plant the same effects on the plans' own (moved back) assignment.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from yrdlib import config, groups, seal
from yrdlib.claims import calibration as cal
from yrdlib.claims import clusters, common
from yrdlib.methods.inference import _province_permutation

PLACEBO_LAST = 2015  # the first cohort of any plan is 2016 (first full year after 2015 approvals)
SHIFT = 8  # cohorts 2016–2020 become 2008–2012: 8 to 4 placebo-treated years inside 2000–2015
CAL_PERM = 199  # permutations per run (the report's headline uses common.DESIGN_B)
SD_LEVELS = cal.SD_LEVELS


def _patterns() -> tuple[list[str], list[np.ndarray], list[np.ndarray]]:
    """Prefecture codes, province groups (indices) and each province's moved-back cohorts."""
    a = clusters.assignment()
    codes = sorted(groups.prefectures())
    g = np.array([a["treat_year"].get(c, np.nan) for c in codes], dtype=float) - SHIFT
    g = np.nan_to_num(g, nan=0.0)
    prov = pd.factorize(np.array([c[:2] for c in codes]), sort=True)[0]
    idx = [np.flatnonzero(prov == k) for k in range(prov.max() + 1)]
    return codes, idx, [g[i] for i in idx]


def assignment_draw(draw: int | None, seed: int = 20261206) -> tuple[tuple[str, float], ...]:
    """(code, placebo first treated year) pairs: ``draw=None`` is the plans' own assignment moved
    back SHIFT years; draw k a province-block permutation of it (seeded by ``seed`` and k)."""

    codes, idx, pats = _patterns()
    new = np.zeros(len(codes))
    if draw is None:
        for i, p in zip(idx, pats, strict=True):
            new[i] = p
    else:
        rng = np.random.default_rng([seed, draw])
        for i, v in zip(idx, _province_permutation(idx, pats, rng), strict=True):
            new[i] = v
    return tuple((c, float(y)) for c, y in zip(codes, new, strict=True) if y > 0)


@dataclass(frozen=True)
class Placebo:
    """Sample change: years up to PLACEBO_LAST, ``treat_year`` from ``start`` (code, year)
    pairs (other cities never treated), ``tau`` planted in ``y`` from each start year."""

    start: tuple[tuple[str, float], ...]
    tau: float = 0.0

    def __call__(self, d: pd.DataFrame) -> pd.DataFrame:
        d = d[d["year"] <= PLACEBO_LAST].copy()
        st = d["region_code"].map(dict(self.start))
        d["treat_year"] = st.astype(float)
        if self.tau:
            d["y"] = d["y"] + self.tau * (d["year"] >= st).to_numpy(dtype=float)
        return d


def run_one(hid: str, draw: int | None, tau: float) -> dict:
    """One calibration run: the all-cluster test on the changed sample, its verdict and estimate
    and the binding checks that disagree."""
    ev = clusters.cluster_test(hid, n_perm=CAL_PERM, transform=Placebo(assignment_draw(draw), tau),
                               display=False).evidence
    failed = [r["name"] for r in ev.sensitivity if r.get("binding", True) and not r.get("agrees")]
    return {"hypothesis": hid, "estimate": ev.estimate, "ci_low": ev.ci_low,
            "ci_high": ev.ci_high, "p_value": ev.p_value, "mde": ev.mde, "verdict": ev.verdict,
            "failed_checks": "; ".join(failed)}


def _job(args):
    hid, kind, draw, sd_level, tau = args
    r = run_one(hid, None if kind == "actual" else draw, tau)
    return {"kind": kind, "draw": draw, "sd_level": sd_level, "tau": tau,
            "mapping": "actual (moved back)" if kind == "actual" else f"province permutation {draw}",
            **r}


def placebo_sd(hid: str) -> float:
    """Within-city SD of the outcome's annual change on the placebo panel (≤ PLACEBO_LAST)."""
    d = clusters.sample(hid)
    return cal.within_sd(d[d["year"] <= PLACEBO_LAST])


def cache_path(n_draws: int, tests) -> Path:

    key = hashlib.sha256(json.dumps([common.data_key(), cal._code_key(), n_draws, sorted(tests),
                                     SD_LEVELS, PLACEBO_LAST, SHIFT, CAL_PERM,
                                     seal.environment_key()]).encode()).hexdigest()
    return config.REPORTS / ".cache" / "calibration_clusters" / f"{key}.csv"


def calibrate(n_draws: int = 20, tests=tuple(clusters.TESTS), workers: int = 2,
              refresh: bool = False, progress=None) -> pd.DataFrame:
    """Every run (size: ``n_draws`` placebo assignments; power: the same with SD_LEVELS planted;
    the plans' own moved-back assignment with the same effects), one row per run; cached per
    data version and code as an HMAC-sealed CSV (as :func:`calibration.calibrate`)."""
    path = cache_path(n_draws, tests)
    if path.exists() and not refresh:
        cached = cal._read_cached(path)
        if cached is not None:
            return cached
    jobs = []
    for hid in tests:
        sd = placebo_sd(hid)
        for k in range(n_draws):
            for lv in (0.0, *SD_LEVELS):
                jobs.append((hid, "placebo", k, lv, lv * sd))
        for lv in (0.0, *SD_LEVELS):
            jobs.append((hid, "actual", 0, lv, lv * sd))
    out = cal.run_jobs(_job, jobs, workers, progress)
    cal._write_cached(path, out)
    return out


def summary(runs: pd.DataFrame) -> pd.DataFrame:
    """Size and power per test (:func:`calibration.summary`)."""
    return cal.summary(runs)


def published_summary() -> pd.DataFrame | None:
    """The committed calibration of the all-plan design (docs/calibration/clusters_summary.csv,
    written by a full ``calibrate`` run) with a column saying whether it was computed on the
    current data version; None when there is none. A report shows it without recomputing (a
    full calibration takes about 17 minutes on 2 cores)."""
    p = cal.SUMMARY_DIR / "clusters_summary.csv"
    if not p.exists():
        return None
    s = pd.read_csv(p)
    s["current_data"] = s["data_key"] == cal._manifest_data_key()
    return s
