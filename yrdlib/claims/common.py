"""What the claim notebooks share: the focus city and the unit used in the city panel, the
data vintage for evidence records, year checks, and one DiD suite (the same sample for did2s with
not-yet-treated controls, Sun–Abraham with never-treated controls, TWFE and a placebo) so that every
claim's causal test is run and reported the same way."""

from __future__ import annotations

import numpy as np
import pandas as pd

from yrdlib import groups, regions
from yrdlib.data import panel
from yrdlib.methods import MethodError, estimate_did, placebo_shift


def panel_focus(focus) -> tuple[regions.Region, regions.Region, str]:
    """(focus region, region used in the city panel, note). A county (e.g. 玉环 331083) is
    represented by its prefecture (台州 331000) in the city-year panel, and the note says so."""
    f = regions.resolve(focus)
    if f.level == "county":
        p = regions.resolve(f.parent_code)
        return f, p, (f"{f.short_zh} {f.name_en} is a county-level unit: the city panel has no "
                      f"series for it, so its prefecture {p.short_zh} {p.name_en} ({p.code}) is "
                      "used for all panel analysis.")
    if f.level not in ("prefecture", "municipality"):
        raise ValueError(f"{f.label} is a {f.level}; choose a prefecture-level city or a county")
    return f, f, ""


def data_vintage(extra: str = "") -> str:
    """'panel built <timestamp>; sources: CCSY compilations ...' for Evidence.data_vintage."""
    m = panel.manifest()
    src = "China City Statistical Yearbook compilations (data/raw/ccsy_*), censuses 2010/2020"
    return f"panel built {m['built_at']}; sources: {src}" + (f"; {extra}" if extra else "")


def check_years(start_year, end_year, min_years: int = 5) -> tuple[int, int]:
    """(start, end) as ints, refused with a clear message when reversed, outside the panel, or
    spanning fewer than `min_years` years."""
    lo, hi = panel.year_range()
    s, e = int(start_year), int(end_year)
    if s > e:
        raise ValueError(f"start_year ({s}) is after end_year ({e})")
    if s < lo or e > hi:
        raise ValueError(f"years {s}-{e} are outside the panel's range {lo}-{hi}")
    if e - s + 1 < min_years:
        raise ValueError(f"years {s}-{e}: choose at least {min_years} years")
    return s, e


def did_data(outcome: str, treatment: str, years: tuple[int, int], scale: str = "log",
             drop_years=()) -> pd.DataFrame:
    """DiD sample of all prefectures: region_code, year, treat_year, y (log or level outcome),
    <outcome>, <outcome>_flag. Non-positive values cannot be logged and are dropped (counted in
    attrs['notes']). The 1997 founders (no pre-period) are dropped by `groups.did_sample`."""
    if scale not in ("log", "level"):
        raise ValueError(f"scale must be 'log' or 'level', got {scale!r}")
    w = panel.wide([outcome], years=years, flags=True)
    d = groups.did_sample(w, treatment, years=years, drop_years=drop_years)
    notes = list(d.attrs.get("notes", []))
    d = d[d[outcome].notna()].copy()
    if scale == "log":
        bad = d[outcome] <= 0
        if bad.any():
            notes.append(f"{int(bad.sum())} non-positive values of {outcome} cannot be logged: dropped")
        d = d[~bad]
        d["y"] = np.log(d[outcome].astype(float))
    else:
        d["y"] = d[outcome].astype(float)
    # one sample for every estimator: did2s cannot impute a unit with fewer than two untreated
    # observations (estimate_did would drop it for did2s only), so drop it here for all three
    treated = d["treat_year"].notna() & (d["year"] >= d["treat_year"])
    n_obs = d.groupby("region_code")["year"].transform("size")
    n_untr = (~treated).groupby(d["region_code"]).transform("sum")
    bad = (n_obs < 2) | (n_untr < 2)
    if bad.any():
        codes = sorted(d.loc[bad, "region_code"].unique())
        notes.append(f"{len(codes)} cities with fewer than 2 untreated observations dropped "
                     f"({', '.join(codes[:8])}{'…' if len(codes) > 8 else ''})")
    d = d[~bad].reset_index(drop=True)
    d.attrs["notes"] = notes
    return d


def did_suite(d: pd.DataFrame, leads: int = 5, lags: int = 5, placebo: int = 3,
              y: str = "y") -> dict:
    """did2s (not-yet-treated), Sun–Abraham (never-treated), TWFE and a placebo shift on the same
    sample. Each entry is a DiDResult or the MethodError message (str)."""
    out: dict = {}
    specs = {"did2s": dict(estimator="did2s", control_group="notyet"),
             "sunab": dict(estimator="sunab", control_group="never"),
             "twfe": dict(estimator="twfe", control_group="notyet")}
    for k, kw in specs.items():
        try:
            out[k] = estimate_did(d, y, leads=leads, lags=lags, **kw)
        except MethodError as e:
            out[k] = str(e)
    if placebo:
        try:
            out["placebo"] = placebo_shift(d, y, shift=placebo, leads=min(leads, 3),
                                           lags=min(lags, 2), estimator="did2s",
                                           control_group="notyet")
        except MethodError as e:
            out["placebo"] = str(e)
    return out


def suite_table(suite: dict) -> pd.DataFrame:
    """One row per estimator: ATT, CI, p, pre-trend p, n, treated/control units (or the error)."""
    rows = []
    for k, r in suite.items():
        if isinstance(r, str):
            rows.append({"estimator": k, "att": np.nan, "ci_low": np.nan, "ci_high": np.nan,
                         "p_value": np.nan, "pretrend_p": np.nan, "n_obs": 0, "treated": 0,
                         "controls": 0, "note": r})
        else:
            rows.append({"estimator": k, "att": r.att, "ci_low": r.ci_low, "ci_high": r.ci_high,
                         "p_value": r.p_value, "pretrend_p": r.pretrend_p, "n_obs": r.n_obs,
                         "treated": r.n_treated_units, "controls": r.n_control_units,
                         "note": "; ".join(r.notes)})
    return pd.DataFrame(rows)


