"""Yuhuan (玉环, 331083) profile: census measures for Taizhou's nine counties and Yuhuan's
bulletin/port points, each with its source and quality flag. Description only, no verdicts: the
yuhuan_profile notebook calls the functions below (its tables, readings and figures:
:mod:`yrdlib.figures.profile`) and records no evidence."""

from __future__ import annotations

import pandas as pd

from yrdlib import regions
from yrdlib.claims.focus import is_user
from yrdlib.data import panel

YUHUAN = "331083"
TAIZHOU = "331000"
CENSUS_MEASURES = ("census_pop", "census_hukou", "census_net_inflow_share",
                   "census_migrants_other_province", "census_migrant_share",
                   "census_manufacturing_share", "census_urban_share")
RANKED = ("census_net_inflow_share", "census_migrant_share", "census_manufacturing_share",
          "census_urban_share")


def taizhou_counties() -> list[str]:

    ref = regions.reference()
    return sorted(ref.index[(ref["parent_code"].astype(str) == TAIZHOU) & (ref["level"] == "county")])


def county_census(wide: pd.DataFrame | None = None) -> pd.DataFrame:
    """Census measures (2010, 2020) of Taizhou's counties and Taizhou itself: one row per region
    and year, NaN where the census did not publish (hukou: 2010 only)."""
    codes = taizhou_counties() + [TAIZHOU]
    if wide is None:
        wide = panel.wide(list(CENSUS_MEASURES), regions_=codes)
    d = wide.reset_index()
    d = d[d["region_code"].isin(codes) & d["year"].isin([2010, 2020])].copy()
    d["name_zh"] = d["region_code"].map(lambda c: regions.resolve(c).short_zh)
    d["name_en"] = d["region_code"].map(lambda c: regions.resolve(c).name_en)
    return d[["region_code", "name_zh", "name_en", "year", *[c for c in CENSUS_MEASURES if c in d]]]


def county_ranks(census: pd.DataFrame, measure: str, year: int) -> pd.DataFrame:
    """The nine counties ranked on one census measure in one year (1 = highest); Taizhou excluded."""
    d = census[(census["year"] == year) & (census["region_code"] != TAIZHOU)][
        ["region_code", "name_zh", "name_en", measure]].dropna()
    d = d.sort_values(measure, ascending=False).reset_index(drop=True)
    d["rank"] = range(1, len(d) + 1)
    return d


def yuhuan_points(points: pd.DataFrame) -> pd.DataFrame:
    """Every curated point about Yuhuan (region 331083, or an entity naming 玉环/大麦屿), with
    source, qualifier and quality; duplicates across source files are kept and marked."""
    code = points["region_code"].astype(str)
    m = (code == YUHUAN) | points["entity"].astype(str).str.contains("玉环|大麦屿", regex=True)
    cols = ["entity", "period", "metric", "value", "unit", "qualifier", "quality", "note", "source",
            "source_row"]
    d = points.loc[m, cols].copy()
    d["metric_norm"] = d["metric"].str.lower().replace(
        {"retail_sales_consumer_goods": "retail_sales", "census_population": "pop_resident_census",
         "gdp_real_growth": "gdp_growth"})
    d["duplicate"] = d.duplicated(["metric_norm", "period", "value"], keep="first")
    return d.sort_values(["period", "metric_norm"]).reset_index(drop=True)


# ------------------------------------------------------------------ the profile notebook
RANK_YEARS = {"census_net_inflow_share": 2010, "census_migrant_share": 2020,
              "census_manufacturing_share": 2020, "census_urban_share": 2020}


def profile_county(focus) -> tuple:
    """(county Region, note_zh, note_en): the focus if it is one of Taizhou's counties, else Yuhuan
    with a note saying why (county data exist only for Taizhou's counties)."""
    r = regions.resolve(focus)
    if r.code in taizhou_counties():
        return r, "", ""
    return (regions.resolve(YUHUAN),
            f"{r.short_zh}({r.code})不是台州的县级单位；本画像只有台州各县的数据，改为展示玉环。",
            f"{r.label} ({r.code}) is not a county of Taizhou; county data exist only for Taizhou's "
            "counties, so the profile falls back to Yuhuan.")


def census_ranks(census: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The ranked measures of :data:`RANK_YEARS`, each in its year."""
    return {m: county_ranks(census, m, y) for m, y in RANK_YEARS.items()}


POINT_COLS = ["period", "entity", "metric", "value", "unit", "qualifier", "quality", "duplicate",
              "note", "source", "source_row"]


def points_in(years: tuple[int, int]) -> pd.DataFrame:
    """Yuhuan's points (:func:`yuhuan_points`) with a period inside ``years``."""
    pts = yuhuan_points(panel.table("points"))
    pts = pts[pd.to_numeric(pts["period"], errors="coerce").between(*years)]
    return pts[POINT_COLS].reset_index(drop=True)


# ------------------------------------------------------------------ every county figure as a series
SERIES_COLS = ["region_code", "name_zh", "metric", "year", "value", "unit", "origin", "source",
               "source_row"]
ORIGIN_POINT = "公报点值 bulletin point (embedded)"
ORIGIN_CENSUS = "普查 census (embedded)"
ORIGIN_USER = "用户数据 · 未经核实 user data, unverified"


def county_series(county: str = YUHUAN, years: tuple[int, int] | None = None) -> pd.DataFrame:
    """Every figure about the county as series (one row per metric-year, with its source): the
    embedded bulletin/port points (exact ones; forecasts and bounds stay in the points table), its
    census measures, and every figure a user added in data/user/ for the county, 台州 or any of
    Taizhou's counties (origin 用户数据 · 未经核实, the user's file, line and source text)."""

    rows = []
    pts = yuhuan_points(panel.table("points")) if county == YUHUAN else pd.DataFrame(
        columns=["period", "metric_norm", "value", "unit", "qualifier", "duplicate", "source",
                 "source_row", "note"])
    pts = pts[(pts["qualifier"] == "exact") & ~pts["duplicate"]]
    for r in pts.itertuples():
        y = pd.to_numeric(r.period, errors="coerce")
        if pd.notna(y):
            rows.append({"region_code": county, "metric": r.metric_norm, "year": int(y),
                         "value": float(r.value), "unit": r.unit, "origin": ORIGIN_POINT,
                         "source": r.source, "source_row": int(r.source_row)})
    p = panel.load_panel()
    codes = set(taizhou_counties()) | {TAIZHOU, county}
    cen = p[(p["region_code"] == county) & p["indicator"].isin(["census_pop", "census_hukou"])]
    usr = p[p["region_code"].isin(codes) & is_user(p["flag"])]
    for r in cen.itertuples():
        rows.append({"region_code": r.region_code, "metric": r.indicator, "year": int(r.year),
                     "value": float(r.value), "unit": r.unit, "origin": ORIGIN_CENSUS,
                     "source": r.source, "source_row": int(r.source_row)})
    for r in usr.itertuples():
        file, _, src = str(r.source).partition(" :: ")
        rows.append({"region_code": r.region_code, "metric": r.indicator, "year": int(r.year),
                     "value": float(r.value), "unit": r.unit, "origin": ORIGIN_USER,
                     "source": f"{file}: {src}", "source_row": int(r.source_row)})
    d = pd.DataFrame(rows, columns=[c for c in SERIES_COLS if c != "name_zh"])
    if years is not None:
        d = d[d["year"].between(*years)]
    d.insert(1, "name_zh", d["region_code"].map(lambda c: regions.resolve(c).short_zh))
    return d.sort_values(["origin", "region_code", "metric", "year"]).reset_index(drop=True)
