"""The focus city, the data vintage and the year window: what every notebook's context needs,
without importing the estimation methods (a kernel that only reads evidence, like the
scorecard's, then starts without scipy.stats)."""

from __future__ import annotations

import pandas as pd

from yrdlib import regions
from yrdlib.data import panel


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


def is_user(flags: pd.Series) -> pd.Series:
    """Rows of the panel that came from data/user/ (flag `user`)."""
    return flags.fillna("").str.contains(r"(?:^|;)user(?:;|$)", regex=True)


def user_rows(codes, keys, years: tuple[int, int] | None = None) -> list[dict]:
    """The user's figures (data/user/) among ``codes`` (None: all) × ``keys`` (× ``years``): file, line,
    region, year, indicator, value, unit, source text and the user's own flag - what a record
    resting on them carries (Evidence.user_data) and shows as 用户数据 · 未经核实."""
    p = panel.load_panel()
    d = p[p["indicator"].isin(list(keys)) & is_user(p["flag"])]
    if codes is not None:  # None: every region
        d = d[d["region_code"].isin(list(codes))]
    if years is not None:
        d = d[d["year"].between(*years)]
    out = []
    for r in d.sort_values(["indicator", "region_code", "year"]).itertuples():
        file, _, src = str(r.source).partition(" :: ")
        own = ";".join(t for t in str(r.flag).split(";") if t and t != "user")
        out.append({"file": file, "line": int(r.source_row), "region_code": r.region_code,
                    "year": int(r.year), "indicator": r.indicator, "value": float(r.value),
                    "unit": r.unit, "source": src, "flag": own})
    return out
