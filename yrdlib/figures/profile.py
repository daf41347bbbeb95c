"""The Yuhuan profile's tables, readings and figures (notebooks/yuhuan_profile.ipynb), from the
census and series of :mod:`yrdlib.claims.profile`."""

from __future__ import annotations

import pandas as pd

from yrdlib import plotting, regions, vocab
from yrdlib.claims.profile import CENSUS_MEASURES, ORIGIN_USER, census_ranks

MEASURE_TITLES = {
    "census_net_inflow_share": ("常住减户籍占常住人口比（2010）",
                                "Residents minus registered, % of residents (2010)"),
    "census_migrant_share": ("外省户籍常住人口占比（2020）",
                             "Residents with hukou in another province, % (2020)"),
    "census_manufacturing_share": ("制造业就业占比（2020）", "Manufacturing share of employment, % (2020)"),
    "census_urban_share": ("城镇化率（2020）", "Urbanisation rate, % (2020)"),
}


def census_table(census: pd.DataFrame) -> pd.DataFrame:
    """The nine counties and Taizhou × (measure, year), columns without any value dropped."""
    w = census.pivot_table(index=["name_zh", "name_en"], columns="year",
                           values=[m for m in CENSUS_MEASURES if m in census
                                   and m != "census_migrants_other_province"])
    w.columns = [f"{m.replace('census_', '')} {y}" for m, y in w.columns]
    return w.dropna(axis=1, how="all")


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
    import matplotlib.pyplot as plt  # deferred: pyplot is ~0.3 s of kernel start-up, needed only to draw

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


def points_reading(pts: pd.DataFrame) -> tuple[str, str]:
    """(zh, en): how many distinct points, how many not exact, from how many files, which years."""
    q = pts[~pts["duplicate"]]
    n_inexact = int(q["qualifier"].ne("exact").sum())
    yrs = f"{q['period'].min()}–{q['period'].max()}" if len(q) else "—"
    return (f"{len(q)} 个不重复的点值（其中 {n_inexact} 个为预测或界值），来自 {q['source'].nunique()} "
            f"个来源文件，年份 {yrs}。",
            f"{len(q)} distinct points ({n_inexact} not exact: forecasts or bounds) from "
            f"{q['source'].nunique()} source files, years {yrs}.")


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
    import matplotlib.pyplot as plt  # deferred: pyplot is ~0.3 s of kernel start-up, needed only to draw

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
