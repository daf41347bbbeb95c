"""Claim S4 (推动产业创新和培育再造, industry and innovation): analysis functions for
notebooks/s4_industry.ipynb.

* S4.a distance decay of innovation: patents per 10,000 residents (CCSY 2016 cross-section)
  against the distance to the nearest innovation hub (groups.INNOVATION_HUBS), controls in logs;
* S4.b structural change after joining the YRD coordination association (tertiary share,
  tertiary/secondary ratio) with the project's staggered DiD estimators;
* S4.c Yuhuan's profile from the census and bulletins against Taizhou's other counties;
* coverage of the user-fillable keys (R&D intensity, patents by year) the claim would need.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from yrdlib import groups, regions
from yrdlib.data import panel
from yrdlib.methods import MethodError, distance_decay

YUHUAN, TAIZHOU = "331083", "331000"
DECAY_VARS = ["patents_per_10k_2016", "patents_2016", "gdp_2016", "pop_resident_2016"]
USER_KEYS = ("rd_intensity", "patents_granted", "invention_patents_granted")


def hubs() -> dict[str, tuple[float, float]]:
    """Innovation hubs (Shanghai, Hefei, Hangzhou, Nanjing, Suzhou) → centroid (lon, lat)."""
    ref = regions.reference()
    return {c: (float(ref.at[c, "lon"]), float(ref.at[c, "lat"])) for c in groups.INNOVATION_HUBS}


def decay_sample(yrd_only: bool = False) -> pd.DataFrame:
    """One row per city of the 2016 yearbook cross-section with patents per 10k, GDP per
    capita (元, from the cross-section's own GDP and resident population), population, lon/lat.
    Cities without all variables are dropped (listed by :func:`decay_missing`)."""
    w = panel.wide(DECAY_VARS).reset_index()
    w = w[w["year"] == 2016].drop(columns="year")
    ref = regions.reference()
    w = w.join(ref[["lon", "lat"]], on="region_code")
    w["gdppc_2016"] = w["gdp_2016"] * 1e8 / (w["pop_resident_2016"] * 1e4)
    w["ln_patents_per_10k"] = np.log(w["patents_per_10k_2016"].where(w["patents_per_10k_2016"] > 0))
    w["yrd41"] = w["region_code"].isin(regions.yrd41())
    if yrd_only:
        w = w[w["yrd41"]]
    return w.dropna(subset=["patents_per_10k_2016", "gdppc_2016", "pop_resident_2016", "lon", "lat"])\
        .reset_index(drop=True)


def decay_missing(codes=None) -> list[str]:
    """Codes (default: the 41 YRD cities) without the 2016 patents figure."""
    codes = list(codes or regions.yrd41())
    have = set(decay_sample()["region_code"])
    return [c for c in codes if c not in have]


def decay(focus: str | None = None, distance: str = "log", outcome: str = "patents_per_10k_2016",
          yrd_only: bool = False, exclude_hubs: bool = False):
    """distance_decay on the 2016 cross-section with log GDP per capita and log population."""
    d = decay_sample(yrd_only)
    f = focus if focus is not None and focus in set(d["region_code"]) else None
    if exclude_hubs and f in groups.INNOVATION_HUBS:
        f = None
    return distance_decay(d, outcome, hubs(), controls=["gdppc_2016", "pop_resident_2016"],
                          distance=distance, focus=f, exclude_hubs=exclude_hubs)


def decay_robustness(focus: str | None = None) -> pd.DataFrame:
    """The distance coefficient under the main and alternative specifications."""
    specs = [
        ("main: level outcome, ln distance, all cities", {}),
        ("distance in 100 km", {"distance": "100km"}),
        ("ln(patents per 10k) outcome", {"outcome": "ln_patents_per_10k"}),
        ("hub cities excluded", {"exclude_hubs": True}),
        ("YRD-41 cities only", {"yrd_only": True}),
        ("YRD-41 only, ln outcome", {"yrd_only": True, "outcome": "ln_patents_per_10k"}),
    ]
    rows = []
    for lab, kw in specs:
        try:
            r = decay(focus, **kw)
        except MethodError as e:
            rows.append({"specification": lab, "note": str(e)})
            continue
        rows.append({"specification": lab, "slope": r.slope, "se_hc3": r.se, "ci_low": r.ci_low,
                     "ci_high": r.ci_high, "p": r.p_value, "n": r.n, "r2": r.r2, "note": ""})
    return pd.DataFrame(rows)


# S4.b uses the shared DiD suite: yrdlib.claims.common.did_data / did_suite / suite_table.


# ------------------------------------------------------------------------------------- S4.c

def county_census(year: int | None = None) -> pd.DataFrame:
    """Census indicators of Taizhou's counties and the prefecture (2010, 2020): manufacturing
    share of employment, migrants from other provinces, urbanisation, resident population."""
    keys = ["census_pop", "census_manufacturing_share", "census_migrant_share", "census_urban_share"]
    ref = regions.reference()
    codes = [c for c in ref.index if c.startswith("3310")]
    w = panel.wide(keys, codes).reset_index()
    w = w[w["year"].isin([2010, 2020] if year is None else [year])]
    w = w.dropna(subset=["census_manufacturing_share"], how="all")
    w["name"] = w["region_code"].map(ref["short_zh"]) + " " + w["region_code"].map(ref["name_en"])
    w["level"] = w["region_code"].map(ref["level"])
    return w.reset_index(drop=True)


def manufacturing_gap(year: int = 2020, county: str = YUHUAN) -> dict:
    """County's census manufacturing share minus the median of Taizhou's other counties and
    districts, and its rank among them (1 = highest)."""
    c = county_census(year)
    c = c[c["level"] == "county"] if "county" in set(c["level"]) else c[c["region_code"] != TAIZHOU]
    c = c[c["region_code"] != TAIZHOU].set_index("region_code")["census_manufacturing_share"].dropna()
    if county not in c.index:
        raise MethodError(f"no census manufacturing share for {county} in {year}")
    others = c.drop(county)
    rank = int((c > c[county]).sum() + 1)
    return {"year": year, "value": float(c[county]), "others_median": float(others.median()),
            "gap": float(c[county] - others.median()), "rank": rank, "n_units": len(c),
            "prefecture": float(county_census(year).set_index("region_code")
                                .get("census_manufacturing_share", pd.Series()).get(TAIZHOU, np.nan))}


def bulletin_profile(county: str = YUHUAN) -> pd.DataFrame:
    """Curated bulletin/news points for a county (and the prefecture for comparison), each with
    its quality, qualifier and source; economic figures only."""
    pts = panel.table("points")
    keep = {"gdp", "va_primary", "va_secondary", "va_tertiary", "gdp_per_capita_resident",
            "gdp_per_capita_hukou", "gdp_per_capita", "disposable_income_all",
            "urban_disposable_income", "rural_disposable_income", "fiscal_total_revenue",
            "general_budget_revenue", "gdp_growth", "gdp_real_growth", "pop_resident"}
    p = pts[pts["region_code"].isin([county, TAIZHOU])].copy()
    p["metric_key"] = p["metric"].str.lower()
    p = p[p["metric_key"].isin(keep)]
    p = p.drop_duplicates(subset=["region_code", "period", "metric_key", "value"])
    cols = ["region_code", "entity", "period", "metric_key", "value", "unit", "qualifier", "quality",
            "note", "source_url", "source"]
    return p[cols].sort_values(["region_code", "metric_key", "period"]).reset_index(drop=True)


def secondary_share_2019(county: str = YUHUAN) -> dict:
    """Secondary-sector share of GDP 2019: county from its bulletin, prefecture from the panel."""
    b = bulletin_profile(county)
    b = b[(b["region_code"] == county) & (b["period"].astype(str) == "2019")]
    v = b.drop_duplicates("metric_key").set_index("metric_key")["value"]
    if not {"va_secondary", "gdp"} <= set(v.index):
        raise MethodError("no 2019 bulletin value added for the county")
    s = panel.wide(["share_secondary"], [TAIZHOU], years=(2019, 2019))
    return {"county": float(v["va_secondary"] / v["gdp"] * 100),
            "prefecture": float(s["share_secondary"].iloc[0]) if len(s) else np.nan}


def user_coverage(keys=USER_KEYS) -> pd.DataFrame:
    """City-years present in the panel for the user-fillable keys (data/user/)."""
    p = panel.load_panel()
    rows = []
    for k in keys:
        d = p[p["indicator"] == k]
        rows.append({"indicator": k, "cities": d["region_code"].nunique(), "city_years": len(d),
                     "years": f"{d['year'].min()}-{d['year'].max()}" if len(d) else ""})
    return pd.DataFrame(rows)
