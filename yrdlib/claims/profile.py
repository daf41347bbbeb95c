"""Yuhuan (玉环, 331083) profile: census measures for Taizhou's nine counties and Yuhuan's
bulletin/port points, each with its source and quality flag. Description only, no verdicts: the
yuhuan_profile notebook calls the functions below and records no evidence."""

from __future__ import annotations

import pandas as pd

from yrdlib import plotting, regions, vocab
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
MEASURE_TITLES = {
    "census_net_inflow_share": ("常住减户籍占常住人口比（2010）",
                                "Residents minus registered, % of residents (2010)"),
    "census_migrant_share": ("外省户籍常住人口占比（2020）",
                             "Residents with hukou in another province, % (2020)"),
    "census_manufacturing_share": ("制造业就业占比（2020）", "Manufacturing share of employment, % (2020)"),
    "census_urban_share": ("城镇化率（2020）", "Urbanisation rate, % (2020)"),
}


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


def census_table(census: pd.DataFrame) -> pd.DataFrame:
    """The nine counties and Taizhou × (measure, year), columns without any value dropped."""
    w = census.pivot_table(index=["name_zh", "name_en"], columns="year",
                           values=[m for m in CENSUS_MEASURES if m in census
                                   and m != "census_migrants_other_province"])
    w.columns = [f"{m.replace('census_', '')} {y}" for m, y in w.columns]
    return w.dropna(axis=1, how="all")


def census_ranks(census: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The ranked measures of :data:`RANK_YEARS`, each in its year."""
    return {m: county_ranks(census, m, y) for m, y in RANK_YEARS.items()}


def census_reading(census: pd.DataFrame, code: str) -> tuple[str, str]:
    """(zh, en) paragraph: the county's census figures and ranks, computed from the tables."""
    c10 = census[(census.region_code == code) & (census.year == 2010)].iloc[0]
    c20 = census[(census.region_code == code) & (census.year == 2020)].iloc[0]
    pos = {m: int(d.loc[d.region_code == code, "rank"].iloc[0])
           for m, d in census_ranks(census).items()}
    growth = 100 * (c20.census_pop / c10.census_pop - 1)
    en = (f"In 2010 {c10.name_en} had **{c10.census_pop:,.0f}** residents against "
          f"**{c10.census_hukou:,.0f}** registered (hukou) persons: residents exceeded registrations "
          f"by {c10.census_net_inflow_share:.1f}% of residents (rank "
          f"{pos['census_net_inflow_share']} of 9 counties). In 2020 it had "
          f"{c20.census_pop:,.0f} residents ({growth:+.1f}% on 2010); the 2020 county tables give "
          f"no hukou figure. Residents with hukou in another province: "
          f"{c20.census_migrant_share:.1f}% (rank {pos['census_migrant_share']}); manufacturing "
          f"share of employment {c20.census_manufacturing_share:.1f}% (rank "
          f"{pos['census_manufacturing_share']}); urbanisation {c20.census_urban_share:.1f}% "
          f"(rank {pos['census_urban_share']}). Source: 6th and 7th census county tables (NBS).")
    zh = (f"2010 年{c10.name_zh}常住人口 **{c10.census_pop:,.0f}**，户籍人口 **{c10.census_hukou:,.0f}**："
          f"常住多于户籍的部分占常住人口 {c10.census_net_inflow_share:.1f}%（9 县中第 "
          f"{pos['census_net_inflow_share']}）。2020 年常住人口 {c20.census_pop:,.0f}（较 2010 年 "
          f"{growth:+.1f}%），2020 年县级表无户籍数。外省户籍常住人口占比 "
          f"{c20.census_migrant_share:.1f}%（第 {pos['census_migrant_share']}）；制造业就业占比 "
          f"{c20.census_manufacturing_share:.1f}%（第 {pos['census_manufacturing_share']}）；城镇化率 "
          f"{c20.census_urban_share:.1f}%（第 {pos['census_urban_share']}）。"
          "来源：第六、七次人口普查分县资料。")
    return zh, en


def plot_census_ranks(census: pd.DataFrame, code: str, lang: str = "both"):
    """Four bar charts: the nine counties ranked on each measure of :data:`RANK_YEARS`, the
    profiled county in the focus colour."""
    import matplotlib.pyplot as plt

    county = regions.resolve(code)
    fig, axes = plt.subplots(2, 2, figsize=(11, 6.5))
    for ax, (m, d) in zip(axes.ravel(), census_ranks(census).items(), strict=True):
        d = d.iloc[::-1]
        cols = [plotting.FOCUS_COLOUR if c == code else "#9e9e9e" for c in d.region_code]
        ax.barh([vocab.label(z, e, lang, sep=" ") for z, e in zip(d.name_zh, d.name_en, strict=True)],
                d[m], color=cols)
        ax.axvline(0, color="#444", linewidth=0.8)
        ax.set_title(vocab.label(*MEASURE_TITLES[m], lang), loc="left", fontsize=9)
        for y, v in enumerate(d[m]):
            ax.text(v, y, f" {v:.1f}", va="center", fontsize=7)
    fig.suptitle(vocab.label(f"台州九县（市、区）普查指标排序，{county.short_zh}为红色",
                             f"Taizhou's nine counties ranked on census measures; {county.name_en} in red",
                             lang), x=0.01, ha="left", fontsize=11)
    fig.tight_layout()
    return fig


POINT_COLS = ["period", "entity", "metric", "value", "unit", "qualifier", "quality", "duplicate",
              "note", "source", "source_row"]


def points_in(years: tuple[int, int]) -> pd.DataFrame:
    """Yuhuan's points (:func:`yuhuan_points`) with a period inside ``years``."""
    pts = yuhuan_points(panel.table("points"))
    pts = pts[pd.to_numeric(pts["period"], errors="coerce").between(*years)]
    return pts[POINT_COLS].reset_index(drop=True)


def points_reading(pts: pd.DataFrame) -> tuple[str, str]:
    """(zh, en): how many distinct points, how many not exact, from how many files, which years."""
    q = pts[~pts["duplicate"]]
    n_inexact = int(q["qualifier"].ne("exact").sum())
    yrs = f"{q['period'].min()}–{q['period'].max()}" if len(q) else "—"
    return (f"{len(q)} 个不重复的点值（其中 {n_inexact} 个为预测或界值），来自 {q['source'].nunique()} "
            f"个来源文件，年份 {yrs}。",
            f"{len(q)} distinct points ({n_inexact} not exact: forecasts or bounds) from "
            f"{q['source'].nunique()} source files, years {yrs}.")


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


def series_table(series: pd.DataFrame) -> pd.DataFrame:
    """One row per series (region, metric, origin): its years as columns, then its sources."""
    if series.empty:
        return pd.DataFrame()
    key = ["name_zh", "metric", "unit", "origin"]
    w = series.pivot_table(index=key, columns="year", values="value", aggfunc="first")
    src = series.groupby(key)["source"].agg(lambda s: "; ".join(dict.fromkeys(map(str, s))))
    w.columns = [str(c) for c in w.columns]
    return w.join(src.rename("source(s)"))


def plot_county_series(series: pd.DataFrame, lang: str = "both", max_panels: int = 12):
    """Small multiples, one per series with two or more years: embedded points solid, user
    series dashed with the badge 用户数据 · 未经核实 in the panel title; None when nothing has
    two years."""
    import matplotlib.pyplot as plt

    g = [(k, d.sort_values("year")) for k, d in series.groupby(["name_zh", "metric", "origin"])
         if d["year"].nunique() >= 2][:max_panels]
    if not g:
        return None
    ncol = 3 if len(g) > 4 else len(g)
    nrow = -(-len(g) // ncol)
    fig, axes = plt.subplots(nrow, ncol, figsize=(4.2 * ncol, 2.9 * nrow), squeeze=False)
    for ax, ((name, metric, origin), d) in zip(axes.ravel(), g):
        user = origin == ORIGIN_USER
        ax.plot(d["year"], d["value"], "o--" if user else "o-", color="#a15c00" if user else "#c62828")
        badge = "\n" + vocab.label("用户数据 · 未经核实", "user data, unverified", lang) if user else ""
        ax.set_title(f"{name} {metric} [{d['unit'].iloc[0]}]{badge}", loc="left", fontsize=9)
        ax.tick_params(labelsize=8)
        ax.xaxis.get_major_locator().set_params(integer=True)
    for ax in axes.ravel()[len(g):]:
        ax.set_visible(False)
    fig.tight_layout()
    return fig
