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
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import Markdown, display

from yrdlib.claims import context
from yrdlib.data import breaks, panel
from yrdlib.figures import overview as O

ctx = context.setup("data_overview", globals())
pd.set_option("display.max_colwidth", 120)
P = panel.load_panel()
display(Markdown(O.focus_note(ctx.focus, ctx.years)))

# %% [markdown]
# ## 数据来源 · Sources
#
# One row per raw folder, read from its `SOURCE.yml` (licence and coverage as the compilers state
# them).

# %%
sources = O.sources_table()
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
cov = O.coverage(P, ctx.years)
O.plot_coverage(cov, ctx.lang)
plt.show()
cov_table = O.coverage_table(cov, ctx.lang)
display(Markdown(O.coverage_note(cov_table, ctx.years[1] - ctx.years[0] + 1)))
cov_table

# %% [markdown]
# The same YRD-41 coverage year by year, in percent (blank: no city has a value):

# %%
O.coverage_percent(cov, ctx.lang).style.format("{:.0f}", na_rep="")

# %% [markdown]
# ## 标记、删除和更正 · Flags, dropped rows and corrections
#
# Values are kept but flagged when they are not plain published figures (what each flag means is
# defined once, in `yrdlib/vocab.py`). Rows of the raw files that are not city data were dropped,
# and a few published values judged to be typing errors were removed; both are listed here so that
# readers see what was taken out and why.

# %%
display(Markdown(O.flag_note(P, ctx.years)))
O.flag_counts(P, ctx.years, ctx.lang)

# %%
dropped = O.dropped_summary()
display(Markdown(O.dropped_note(dropped)), dropped)
corr = O.corrections(ctx.lang)
display(Markdown(f"**Corrections**: {len(corr)} published values not used, with the evidence:"))
corr

# %% [markdown]
# ## 序列断点 · Series breaks
#
# 统计口径变化会让整个省的城市在同一年一起跳变（如安徽2022年实际使用外资），单个城市的水平也可能突然移动而不回落（如台州2022年人均城市道路面积）。
# Reporting-basis changes move a whole province's cities together in one year (Anhui's FDI in 2022);
# a single city's level can also shift and stay (Taizhou's road area per capita in 2022). The
# detector (`yrdlib/data/breaks.py`) looks for both in every series a method uses, from 2001 on:
#
# - **province-year break**: ≥ 50 % of a province's reporting cities (at least 3) move beyond 3
#   robust standard deviations of the indicator's usual year-on-year log change, in the same
#   direction, and the province median moves ≥ 10 % from the national median;
# - **city level shift**: one city moves beyond 6 robust SDs and by ≥ 50 % (or falls by a third),
#   and does not come back within a quarter of the jump in the next two years.
#
# Each detected break has a reviewed decision in `data/raw/breaks/breaks.csv` — `keep`,
# `set_missing_from` (values from that year on are excluded) or `end_series` (the comparable
# series ends the year before) — with its evidence and reason; `yrd data check` fails on a break
# without one. Values are flagged, not deleted: `panel.wide()` leaves them out by default and
# `comparable=False` gives them back. The heatmaps show, per province and year, the share of
# cities breaking (red: falls, blue: rises); a detected province-year break is outlined.

# %%
det = O.detected_breaks()
display(Markdown(O.breaks_note(det)), breaks.decision_counts(det))
O.plot_break_shares(O.break_shares(P, ctx.years), det, ctx.lang)
plt.show()

# %% [markdown]
# The decisions that leave values out in the chosen years, and every decision about the focus city,
# its prefecture or its province:

# %%
O.break_decisions(det, ctx.years, ctx.focus)

# %% [markdown]
# ## 焦点城市与中位数 · The focus city against the medians
#
# Lines: the focus city, the median of the YRD-41 and the median of all prefecture-level units;
# shaded: their interquartile ranges. A missing year is a gap (nothing interpolated); dots show
# isolated values. The series are the comparable ones the methods use: a value that a
# reporting-basis decision takes out (Anhui's FDI from 2022, for one) is left out here too, as the
# note under the figure lists. A group's median is left out (a gap) in a year in which fewer than
# 75 % of the cities of its best-covered year report, so that it does not jump with which cities
# report (the YRD-41 resident population: 41 cities in 2000, 6 in 2002).

# %%
fig, summary = O.plot_focus_medians(P, ctx.focus, ctx.years, ctx.lang)
plt.show()
if summary:
    display(Markdown(O.focus_medians_note(P, ctx.years, ctx.lang)))
else:
    display(Markdown(O.no_panel_data_note(ctx.focus, ctx.years)))

# %%
Markdown(O.focus_comparison_text(P, ctx.focus, summary, ctx.years, ctx.lang))

# %% [markdown]
# ## 长三角41市 · The 41 YRD cities
#
# City centroids coloured by the year each joined the YRD city economic coordination association
# (长三角城市经济协调会); the focus city is ringed.

# %%
fig, note = O.plot_yrd_map(ctx.focus, ctx.lang)
plt.show()
Markdown(note)

# %% [markdown]
# ## 焦点城市概况 · Profile of the focus city
#
# The latest year with a value for each indicator (within the chosen years; census and 2016
# cross-section figures whatever the years), with its unit, the file it comes from (or the
# derivation) and its row and flag: the provenance of every number above.

# %%
profile = O.focus_profile(P, ctx.focus.code, ctx.years, ctx.lang)
display(Markdown(O.profile_note(profile, ctx.focus, ctx.years)))
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
display(Markdown(O.yuhuan_census_note(P)))
O.style_census(O.census_table(P, ctx.focus.code, ctx.lang))
