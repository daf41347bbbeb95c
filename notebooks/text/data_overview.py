# ---
# jupyter:
#   jupytext:
#     cell_metadata_filter: tags,-all
#     formats: ipynb,text//py:percent
#     notebook_metadata_filter: kernelspec,jupytext,-jupytext.text_representation.jupytext_version
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#   kernelspec:
#     display_name: Python 3 (yrd)
#     language: python
#     name: yrd
# ---

# %% [markdown]
# # 数据概览：长三角城市面板 · Data overview: the YRD city panel
#
# 这本笔记本展示本项目所用官方统计数据的**覆盖范围、缺口和处理记录**，并把一个焦点城市（默认台州）放在长三角41市和全国地级及以上城市的中位数之间比较。
# This notebook shows what the official statistics behind the project cover, where the gaps are and
# what was removed or flagged on the way in; it then places one focus city (Taizhou 台州 by default)
# against the medians of the 41 YRD cities and of all prefecture-level cities.
#
# The data are prefecture-level series from the *China City Statistical Yearbook* (中国城市统计年鉴)
# as compiled in public repositories, the 2010 and 2020 population censuses (prefectures and the
# counties of Taizhou, including Yuhuan 玉环), exchange rates, and reference tables (codes,
# centroids, YRD membership). Every raw folder documents its origin in a `SOURCE.yml`, summarised
# below. Nothing here is interpolated by this notebook: gaps stay gaps, and values the compilers
# interpolated carry a flag.
#
# Change the parameters below (or in the run dialog) to look at another city: a code (`330200`), a
# Chinese name (`宁波`) or an English name (`Hefei`). An ambiguous name such as `Taizhou` (台州 or
# 泰州) stops with a message saying what to type instead.

# %% tags=["parameters"]
focus_region = "331000"  # focus city: code, Chinese or English name [region]
start_year = 2000  # first year [year]
end_year = 2023  # last year [year]
lang = "both"  # label language [choice: zh|en|both]

# %%
# Derive and validate the parameters (papermill injects new values above; nothing is derived there)
import matplotlib.pyplot as plt
import pandas as pd
import yaml
from IPython.display import Markdown, display

from yrdlib import config, plotting, regions
from yrdlib.claims import common
from yrdlib.data import indicators, panel

plotting.setup(lang)
pd.set_option("display.max_colwidth", 120)


def L(zh, en):
    return plotting.bilingual(zh, en, lang)


focus = regions.resolve(focus_region)  # RegionError for unknown or ambiguous names
start_year, end_year = common.check_years(start_year, end_year, min_years=1)
first_year, last_year = panel.year_range()
YEARS = list(range(start_year, end_year + 1))
FOCUS = focus.code
FOCUS_NAME = plotting.bilingual(focus.short_zh, focus.name_en, lang)
ref = regions.reference()
YRD41 = regions.yrd41()
PREF = ref[ref["level"].isin(["prefecture", "municipality"])]
NATION = list(PREF.index)
is_prefecture = focus.level in ("prefecture", "municipality")
display(Markdown(
    f"**{focus.name_zh} {focus.name_en}** ({FOCUS}, {focus.province_en}, {focus.level}); "
    f"years {start_year}–{end_year} (panel: {first_year}–{last_year}). "
    + (f"YRD coordination association member since {focus.yrd_join_year}."
       if focus.yrd_join_year else
       f"A county of {regions.resolve(focus.parent_code).label} ({focus.parent_code}); the "
       f"yearbook panels are for prefecture-level units." if focus.level == "county" else
       "Not one of the 41 YRD cities.")))

# %% [markdown]
# ## 数据来源 · Sources
#
# One row per raw folder, read from its `SOURCE.yml` (licence and coverage as the compilers state
# them).

# %%
rows = []
for f in sorted(config.RAW.glob("*/SOURCE.yml")):
    s = yaml.safe_load(f.read_text(encoding="utf-8")) or {}
    rows.append({"folder": f.parent.name, "title": s.get("title", ""),
                 "original publication": s.get("original_publication", ""),
                 "licence": s.get("licence", ""), "coverage": s.get("coverage", "")})
sources = pd.DataFrame(rows).set_index("folder")
display(Markdown(f"{len(sources)} source folders under `data/raw/`."))
sources

# %% [markdown]
# ## 覆盖范围 · Coverage by indicator and year
#
# Share of the 41 YRD cities, and of all prefecture-level units that existed in that year, with a
# value. Grey cells: no city has a value. Rows are ordered: yearbook series as reported, indicators
# derived from them, the one-year 2016 yearbook cross-section, then the censuses (2010 and 2020
# only). The national exchange rate is left out (it is one series, not a city indicator).

# %%
P = panel.load_panel()
PW = P[P["year"].between(start_year, end_year)]
city_inds = set(PW.loc[PW["region_code"] != "000000", "indicator"].unique())
KIND_ORDER = {"reported": 0, "derived": 1, "cross_section": 2, "census": 3, "user": 4}
def _group(k):
    if k.startswith("census_"):
        return 3
    return 2 if k.endswith("_2016") else KIND_ORDER.get(indicators.get(k).kind, 9)


city_keys = sorted([k for k in indicators.INDICATORS if k in city_inds], key=_group)
if not city_keys:
    raise ValueError(f"no city data in {start_year}-{end_year}")
have = PW[PW["indicator"].isin(city_keys) & PW["value"].notna()]

# denominators: the YRD-41, and the prefecture-level units that existed in each year
alive = {y: set(PREF.index[PREF["valid_to"].isna() | (PREF["valid_to"] >= y)]) for y in YEARS}
n_yrd = (have[have["region_code"].isin(YRD41)].groupby(["indicator", "year"])["region_code"]
         .nunique())
nat = have[have["region_code"].isin(NATION)]
n_nat = nat[[c in alive[y] for c, y in zip(nat["region_code"], nat["year"])]].groupby(
    ["indicator", "year"])["region_code"].nunique()
den_nat = pd.Series({y: len(alive[y]) for y in YEARS})


def share_matrix(n, den):
    m = n.unstack("year").reindex(index=city_keys, columns=YEARS).fillna(0)
    return m.div(den, axis=1) if isinstance(den, pd.Series) else m / den


cov_yrd = share_matrix(n_yrd, len(YRD41))
cov_nat = share_matrix(n_nat, den_nat)
labels = [plotting.indicator_label(k, lang, unit=False) for k in city_keys]

fig, axes = plt.subplots(1, 2, figsize=(13, 0.24 * len(city_keys) + 1.2), sharey=True,
                         layout="constrained")
for ax, m, t in [(axes[0], cov_yrd, L("长三角41市", "YRD-41")),
                 (axes[1], cov_nat, L("全国地级及以上城市", "all prefecture-level units"))]:
    plotting.coverage_heatmap(ax, m.set_axis(labels), lang=lang, title=t, cbar=ax is axes[1],
                              note=False)
fig.suptitle(L("各指标逐年覆盖率（灰色 = 无数据）",
               "Coverage of each indicator by year (grey = no data)"), x=0.01, ha="left")
plt.show()

full = (cov_yrd >= 1).sum(axis=1)
cov_table = pd.DataFrame({
    "label": [plotting.indicator_label(k, lang) for k in city_keys],
    "kind": [indicators.get(k).kind for k in city_keys],
    "years with data": (cov_nat > 0).sum(axis=1),
    "years all YRD-41 covered": full,
    "mean YRD-41 %": (cov_yrd.where(cov_yrd > 0).mean(axis=1) * 100).round(1),
    "mean national %": (cov_nat.where(cov_nat > 0).mean(axis=1) * 100).round(1),
}, index=city_keys)
annual = cov_table[cov_table["kind"].isin(["reported", "derived"])]
gappy = annual[annual["mean YRD-41 %"] < 100].sort_values("mean YRD-41 %")
display(Markdown(
    f"{len(city_keys)} city indicators over {len(YEARS)} years; {len(annual)} annual ones, of "
    f"which {int((annual['years all YRD-41 covered'] == len(YEARS)).sum())} cover all 41 YRD "
    f"cities in every year. "
    + ("Thinnest YRD-41 coverage (mean over the years with any data): "
       + ", ".join(f"{r['label']} {r['mean YRD-41 %']:.0f}%" for _, r in gappy.head(3).iterrows())
       + "." if len(gappy) else "No annual indicator has a partly covered year.")))
cov_table

# %% [markdown]
# The same YRD-41 coverage year by year, in percent (blank: no city has a value):

# %%
(cov_yrd.where(cov_yrd > 0) * 100).round(0).set_axis(
    [plotting.indicator_label(k, lang, unit=False) for k in city_keys]).style.format(
    "{:.0f}", na_rep="")

# %% [markdown]
# ## 标记、删除和更正 · Flags, dropped rows and corrections
#
# Values are kept but flagged when they are not plain published figures. Rows of the raw files that
# are not city data were dropped, and a few published values judged to be typing errors were removed;
# both are listed here so that readers see what was taken out and why.

# %%
FLAG_MEANING = {
    "interpolated": "gap filled by the source compiler's interpolation (kept apart from reported "
                    "values); derived values using it inherit the flag",
    "parts_mismatch": "value added by sector does not sum to GDP within 2% (so shares and "
                      "ratios built on it are suspect)",
    "ecb_derived": "CNY/USD rate is the mean of ECB daily cross rates (no NBS figure found); "
                   "FDI in yuan and FDI/GDP inherit it",
    "low": "exchange rate published with low precision (2-3 decimals)",
    "conflict": "sources disagree on the exchange rate; both readings in the source note",
    "boundary_break": "first year after a prefecture absorbed an abolished one (巢湖 2011, "
                      "莱芜 2019): growth across it is not like-for-like",
}
fl = PW.loc[PW["flag"].fillna("") != "", ["indicator", "flag"]].copy()
fl["flag"] = fl["flag"].str.split(";")
fl = fl.explode("flag")
flag_counts = fl.groupby("flag").agg(values=("indicator", "size"),
                                     indicators=("indicator", lambda s: ", ".join(sorted(set(s)))))
flag_counts["meaning"] = flag_counts.index.map(lambda f: FLAG_MEANING.get(f, ""))
n_flagged = int((PW["flag"].fillna("") != "").sum())
display(Markdown(f"{n_flagged:,} of {len(PW):,} values in {start_year}–{end_year} "
                 f"({n_flagged / max(len(PW), 1):.1%}) carry at least one flag."))
flag_counts.sort_values("values", ascending=False)

# %%
dropped = panel.table("dropped_rows")
dropped["file"] = dropped["file"].str.replace("data/raw/", "", regex=False)
drop_summary = (dropped.groupby(["reason", "file"]).size().rename("rows").reset_index()
                .sort_values("rows", ascending=False))
display(Markdown(f"**Dropped rows**: {len(dropped):,} raw rows in "
                 f"{dropped['reason'].nunique()} categories (all years; reasons as recorded by "
                 f"the importers). Most are units outside the region reference (provinces, "
                 f"county-level units), not lost city data."))
display(drop_summary)
corr = panel.table("corrections")
corr.insert(1, "city", corr["region_code"].map(lambda c: plotting.region_label(c, lang)))
display(Markdown(f"**Corrections**: {len(corr)} published values not used, with the evidence:"))
corr

# %% [markdown]
# ## 焦点城市与中位数 · The focus city against the medians
#
# Lines: the focus city, the median of the YRD-41 and the median of all prefecture-level units;
# shaded: their interquartile ranges. A missing year is a gap (nothing interpolated); dots show
# isolated values.

# %%
KEY = ["gdp_pc", "fdi_gdp", "share_tertiary", "pop_resident", "loans_gdp", "gdp_real_growth"]
GROUPS = {L("长三角41市", "YRD-41"): YRD41, L("全国地级及以上", "all prefectures"): NATION}
focus_keys = sorted(set(PW.loc[PW["region_code"] == FOCUS, "indicator"]) & set(KEY))
summary = {}
if not focus_keys:
    parent = regions.resolve(focus.parent_code) if focus.level == "county" else None
    display(Markdown(
        f"**{FOCUS_NAME} has no data in the prefecture-level panels for {start_year}–{end_year}**"
        + (f": it is a county of {parent.short_zh} {parent.name_en} ({parent.code}), and the "
           f"yearbook series are published for prefectures only. Its census figures are shown "
           f"below; set `focus_region = \"{parent.code}\"` for the prefecture."
           if parent else ".")))
else:
    KW = PW[PW["indicator"].isin(KEY)]
    fig, axes = plt.subplots(2, 3, figsize=(12, 6.4))
    for ax, k in zip(axes.flat, KEY):
        summary[k] = plotting.focus_vs_medians(ax, KW, FOCUS, k, GROUPS, lang=lang,
                                               years=(start_year, end_year), legend=False)
        ax.set_title(plotting.indicator_label(k, lang), loc="left", fontsize=9)
    handles, labs = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, labs, loc="lower center", ncol=3, fontsize=8, frameon=False)
    fig.suptitle(L(f"{focus.short_zh}与长三角41市、全国中位数比较",
                   f"{focus.name_en} against YRD-41 and national medians"), x=0.01, ha="left")
    fig.tight_layout(rect=(0, 0.08, 1, 0.97))
    plt.show()


# %%
def fmt(v, unit):
    if pd.isna(v):
        return "n/a"
    return f"{v:,.0f}" if abs(v) >= 1000 else f"{v:,.2f}" if unit == "ratio" else f"{v:,.1f}"


lines = []
yrd_name, nat_name = list(GROUPS)
for k, s in summary.items():
    ok = s["focus"].dropna()
    ind = indicators.get(k)
    missing = len(YEARS) - len(ok)
    if ok.empty:
        lines.append(f"- {plotting.indicator_label(k, lang)}: no value for {FOCUS_NAME}.")
        continue
    y = int(ok.index.max())
    same = PW[(PW["indicator"] == k) & (PW["year"] == y) & PW["region_code"].isin(YRD41)]
    rank = ("" if FOCUS not in set(same["region_code"]) else
            f", rank {int((same['value'] > ok[y]).sum()) + 1} of {len(same)} YRD cities")
    lines.append(
        f"- {plotting.indicator_label(k, lang, unit=False)}, {y}: {FOCUS_NAME} "
        f"{fmt(ok[y], ind.unit)}{'' if ind.unit == 'ratio' else ' ' + ind.unit} "
        f"against a YRD-41 median of "
        f"{fmt(s.at[y, yrd_name + ' median'], ind.unit)} and a national median of "
        f"{fmt(s.at[y, nat_name + ' median'], ind.unit)}{rank}"
        + (f"; {missing} of {len(YEARS)} years missing." if missing else "."))
display(Markdown("\n".join(lines) if lines else "No comparison: see the note above."))

# %% [markdown]
# ## 长三角41市 · The 41 YRD cities
#
# City centroids coloured by the year each joined the YRD city economic coordination association
# (长三角城市经济协调会); the focus city is ringed.

# %%
fig, ax = plt.subplots(figsize=(8, 6.5))
missing_xy = plotting.region_map(
    ax, YRD41, highlight=FOCUS, lang=lang,
    title=L("长三角城市经济协调会成员", "Members of the YRD association"))
plt.show()
cohorts = ref.loc[YRD41, "yrd_join_year"].value_counts().sort_index()
display(Markdown(
    "Members by year of joining: " + ", ".join(f"{y}: {n}" for y, n in cohorts.items())
    + f" (total {int(cohorts.sum())})."
    + (f" Not drawn for lack of coordinates: {', '.join(missing_xy)}." if missing_xy else "")))

# %% [markdown]
# ## 焦点城市概况 · Profile of the focus city
#
# The latest year with a value for each indicator (within the chosen years; census and 2016
# cross-section figures whatever the years), with its unit, the file it comes from (or the
# derivation) and its row and flag: the provenance of every number above.

# %%
# annual series within the chosen years; census and the 2016 cross-section whatever the years
one_off = [k for k, i in indicators.INDICATORS.items() if i.kind in ("census", "cross_section")
           or k.startswith("census_") or k.endswith("_2016")]
fp = P[(P["region_code"] == FOCUS) & P["value"].notna()
       & (P["year"].between(start_year, end_year) | P["indicator"].isin(one_off))]
if fp.empty:
    display(Markdown(f"No values for {FOCUS_NAME} in {start_year}–{end_year}."))
    profile = pd.DataFrame()
else:
    latest = fp.sort_values("year").groupby("indicator").tail(1).set_index("indicator")
    order = [k for k in indicators.INDICATORS if k in latest.index]
    profile = latest.loc[order, ["year", "value", "unit", "source", "source_row", "flag"]]
    profile.insert(0, "label", [plotting.indicator_label(k, lang, unit=False) for k in order])
    profile["source"] = profile["source"].str.replace("data/raw/", "", regex=False)
    display(Markdown(f"{len(profile)} indicators with a value for {FOCUS_NAME}; "
                     f"{int((profile['flag'].fillna('') != '').sum())} of the latest values "
                     f"are flagged."))
profile

# %% [markdown]
# ## 普查：台州各县市区 · Census 2010 and 2020: Taizhou's counties
#
# Resident population, registered (hukou) population (2010 only), residents from other provinces
# and the manufacturing share of employment, for Taizhou and its counties including Yuhuan 玉环.
# Definitions differ between the censuses: in 2010 "from other provinces" counts persons whose hukou
# was registered in another province (迁入人口-外省); in 2020 persons living away from their hukou
# township with hukou in another province (户口登记地在外乡镇街道人口-省外).

# %%
CENSUS = ["census_pop", "census_hukou", "census_migrants_other_province",
          "census_manufacturing_share"]
tz = ["331000"] + sorted(ref.index[(ref["level"] == "county") & (ref["parent_code"] == "331000")])
rows = tz + ([FOCUS] if FOCUS not in tz else [])
c = P[P["indicator"].isin(CENSUS) & P["region_code"].isin(rows) & P["year"].isin([2010, 2020])]
census = c.pivot_table(index="region_code", columns=["indicator", "year"], values="value",
                       aggfunc="first").reindex(index=rows)
census = census.reindex(columns=[(k, y) for k in CENSUS for y in (2010, 2020)
                                 if (k, y) in census.columns])
census.columns = [f"{plotting.indicator_label(k, lang)} {y}" for k, y in census.columns]
census.index = [("▶ " if r == FOCUS else "") + plotting.region_label(r, lang) + f" ({r})"
                for r in census.index]
yh = regions.resolve("玉环").code
get = lambda k, y: c.loc[(c["region_code"] == yh) & (c["indicator"] == k) & (c["year"] == y),  # noqa: E731
                         "value"]
p10, p20 = get("census_pop", 2010), get("census_pop", 2020)
m10, m20 = get("census_manufacturing_share", 2010), get("census_manufacturing_share", 2020)
if len(p10) and len(p20):
    display(Markdown(
        f"Yuhuan 玉环: {p10.iloc[0]:,.0f} residents in 2010 and {p20.iloc[0]:,.0f} in 2020 "
        f"({p20.iloc[0] / p10.iloc[0] - 1:+.1%})"
        + (f"; manufacturing {m10.iloc[0]:.1f}% of census employment in 2010 and "
           f"{m20.iloc[0]:.1f}% in 2020." if len(m10) and len(m20) else ".")))
census.style.format("{:,.1f}", subset=[col for col in census.columns if "%" in col],
                    na_rep="—").format(
    "{:,.0f}", subset=[col for col in census.columns if "%" not in col], na_rep="—")
