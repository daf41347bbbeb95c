"""Yuhuan (玉环, 331083) profile: census measures for Taizhou's nine counties and Yuhuan's
bulletin/port points, each with its source and quality flag. Description only, no verdicts."""

from __future__ import annotations

import pandas as pd

YUHUAN = "331083"
TAIZHOU = "331000"
CENSUS_MEASURES = ("census_pop", "census_hukou", "census_net_inflow_share",
                   "census_migrants_other_province", "census_migrant_share",
                   "census_manufacturing_share", "census_urban_share")
RANKED = ("census_net_inflow_share", "census_migrant_share", "census_manufacturing_share",
          "census_urban_share")


def taizhou_counties() -> list[str]:
    from yrdlib import regions

    ref = regions.reference()
    return sorted(ref.index[(ref["parent_code"].astype(str) == TAIZHOU) & (ref["level"] == "county")])


def county_census(wide: pd.DataFrame | None = None) -> pd.DataFrame:
    """Census measures (2010, 2020) of Taizhou's counties and Taizhou itself: one row per region
    and year, NaN where the census did not publish (hukou: 2010 only)."""
    from yrdlib import regions
    from yrdlib.data import panel

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
