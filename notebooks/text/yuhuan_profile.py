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
# # 玉环县域画像：普查与公报数据
# # Yuhuan profile: what the county-level data say
#
# **论断背景 Context.** 文章称「玉环作为台州南大门，同时也是台州湾区经济的南部增长极」，主张其融入长三角一体化发展（见论断 S1–S4 与路径 P）。 This notebook describes Yuhuan itself (玉环市, 331083, a county-level city of Taizhou) with the only county data the project has: the 2010 and 2020 censuses for all nine counties of Taizhou, and bulletin, news and port points. It is a **description**: it records no verdict; it gives the facts the claim notebooks (S2 migrants, S4 manufacturing) rely on, and places Yuhuan among all of China's counties in the 2010 and 2020 censuses (the county-level test S2.g is read here and recorded in the S2 report).
#
# **What is shown.** Census measures ranked against Taizhou's other eight counties (resident vs registered population, migrants from other provinces, manufacturing share of employment, urbanisation); every bulletin figure with its source and quality flag.

# %% tags=["parameters"]
focus_region = "331083"  # county to profile (a county of Taizhou 台州); other regions fall back to 玉环 [region]
start_year = 2000  # first year of bulletin points shown [year]
end_year = 2023  # last year of bulletin points shown [year]
lang = "both"  # label language [choice: zh|en|both]

# %%
from IPython.display import Markdown, display

from yrdlib import vocab
from yrdlib.claims import context
from yrdlib.claims import county as C
from yrdlib.claims import profile as Y
from yrdlib.figures import county as CF
from yrdlib.figures import profile as YF
from yrdlib.runner import export_table

ctx = context.setup("yuhuan_profile", globals())
county, note_zh, note_en = Y.profile_county(ctx.focus.code)
display(Markdown(f"**县 County:** {ctx.name(county.code)} ({county.code})"
                 + (f"\n\n> {vocab.label(note_zh, note_en, ctx.lang, sep='<br>')}" if note_en else "")))

# %% [markdown]
# ## 普查 Census 2010 and 2020: the nine counties of Taizhou

# %%
census = Y.county_census()
export_table(census, "taizhou_county_census", title="Census 2010/2020, Taizhou's counties")
display(YF.census_table(census).round(1))
Markdown(vocab.label(*YF.census_reading(census, county.code), ctx.lang, sep="\n\n"))

# %%
fig = YF.plot_census_ranks(census, county.code, ctx.lang)

# %% [markdown]
# ## 公报与港口点值 Bulletin and port points
# Each figure with its source file and row, qualifier (exact / forecast / lower bound / target) and quality (bulletin, news/other). They are **points**, not series: years are isolated, definitions differ between sources, and some are forecasts. Rows repeated in two source files are marked `duplicate`.

# %%
pts = Y.points_in(ctx.years)
export_table(pts, "yuhuan_points", title="Yuhuan bulletin, news and port points with source and quality")
display(pts)
Markdown(vocab.label(*YF.points_reading(pts), ctx.lang, sep="\n\n"))

# %% [markdown]
# ## 县的序列 The county's figures as series, with their sources
# Every figure about the county as a series: the embedded bulletin points (exact ones), the census, and any series a user added in `data/user/` for the county, 台州 or Taizhou's counties. User series carry the badge **用户数据 · 未经核实 / user data, unverified** and the user's file, line and source text; the project has not checked them.

# %%
series = Y.county_series(county.code, ctx.years)
export_table(series, "county_series", title="The county's figures as series, with source and origin")
display(YF.series_table(series))
fig_series = YF.plot_county_series(series, ctx.lang)

# %% [markdown]
# ## 全国县级普查比较 County-level comparison, 2010→2020, all of China
# The 2010 and 2020 census county tables (about 2,900 county-level units each; extracts in
# `data/raw/census/*_county_comparable.csv`, only the columns both censuses hold comparably). Units
# are matched through their codes and the county events of 2010–2020; a unit whose territory
# changed is compared as the sum of its parts where the event says so, otherwise dropped. A
# prefecture that still holds a unit of one census only — mostly the 2020 tables' development
# zones (功能区), listed as their own units with residents carved out of units the table does not
# name — is compared as a whole; what remains is listed as unmatched. **Groups** (县/县级市 in 2010, not districts): Taizhou's other counties; the
# counties of the YRD's 41 cities; coastal manufacturing counties outside the YRD (津冀辽闽鲁粤桂琼,
# 2010 residents within half to twice Yuhuan's, manufacturing ≥ 30% of the employed in the 2010
# long form: the census has no county coastline or industrial output). The migrant measure
# comparable across the two censuses is persons whose hukou is in another county; 2020 publishes
# no registered population, so resident minus registered is a 2010 figure only.

# %%
matching = C.comparable_units()
display(C.matching_summary(matching))
export_table(matching.unmatched, "county_units_unmatched",
             title="County units not compared (unmatched or dropped), with their census rows")
display(matching.unmatched)
Markdown(vocab.label(*CF.matching_reading(matching), ctx.lang, sep="\n\n"))

# %%
changes = C.yuhuan_changes(matching.units)
export_table(changes.data["provenance"], "county_groups_census_rows",
             title="Yuhuan and the comparison counties: census file and row of every figure")
display(CF.changes_table(changes))
Markdown(vocab.label(changes.text_zh, changes.text_en, ctx.lang, sep="\n\n"))

# %%
position = C.yuhuan_position(matching.units)
fig = CF.plot_changes(changes, position)
display(position["matches"])
Markdown(vocab.label(*CF.position_reading(position), ctx.lang, sep="\n\n"))

# %% [markdown]
# ### 县级检验 The county-level test of attraction (S2.g)
# Did the units of YRD member cities gain residents faster? Members by the 2010 census vs cities
# that never joined; the 2013/2018/2019 joiners, members for part of the window only, are dropped;
# inference by permuting the provinces' treatment patterns (membership came in province blocks:
# 沪苏浙皖), the interval by inverting that test. The record is kept in the S2 report (claim S2);
# here it is read for Yuhuan.

# %%
attraction = C.s2g_county_attraction()  # the embedded units, computed once per data version
display(attraction.data["within"])
Markdown(vocab.label(*CF.test_reading(attraction.evidence), ctx.lang, sep="\n\n"))

# %% [markdown]
# ## 小结 Summary and limits
# Yuhuan stands out among Taizhou's counties as a place of in-migration and manufacturing employment; the numbers above are computed from the census tables. Its bulletin figures are sparse single years of mixed quality (several are news reports or government work reports rather than statistical bulletins), so they describe, they do not test. **Data that would add most:** Yuhuan's statistical bulletins for every year (GDP, industry, exports, R&D, patents, port throughput) typed into `data/user/` with their sources.
