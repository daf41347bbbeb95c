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
# # 融入长三角的七条路径：焦点城市的差距诊断
# # The seven paths into the YRD: a gap diagnosis for the focus city
#
# **论断 Claim (P).** 文章后半部分提出玉环融入长三角一体化发展的七条路径：
# 「推进综合交通互通互联，融入畅达便捷长三角」「推进能源供给互济互保，融入安全高效长三角」「推进科创资源内聚外合，融入协同创新长三角」「推进数字经济倍增计划，融入智慧高效长三角」「推进生态污染防治攻坚，融入绿色美丽长三角」「推进公共服务普惠共享，融入幸福和谐长三角」「推进市场环境有序透明，融入开放活力长三角」。
#
# *English:* the article's second half proposes seven paths for Yuhuan to join YRD integration — transport links, mutual energy supply, pooled science and technology, a doubling of the digital economy, pollution control, shared public services, and an orderly, transparent market environment.
#
# **What counts as evidence.** The paths are prescriptions, not testable predictions. What the data can say is *where the gap is*: for each path, the indicators of the city panel that measure it, the focus city's percentile among the 41 YRD cities in the latest year with data and its change over a window. A path where the focus city is at or above the YRD median and not falling behind counts **for** "no gap here" (verdict *supported*); below the median or falling behind counts **against** (*contradicted*); a path without data is *not testable*, with the data that would settle it named. This is a description, not a causal test.
#

# %% tags=["parameters"]
focus_region = "331000"  # focus city: code, Chinese or English name [region]
start_year = 2000  # first year [year]
end_year = 2023  # last year [year]
window = 10  # years over which the trend (change of percentile) is measured
lang = "both"  # label language [choice: zh|en|both]

# %%
# Derive and validate the parameters (papermill injects new values above; nothing is derived there)
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import Markdown, display

from yrdlib import evidence, groups, plotting, regions
from yrdlib.claims import common
from yrdlib.claims import paths as P
from yrdlib.data import panel
from yrdlib.runner import export_table

focus = regions.resolve(focus_region)
start_year, end_year = common.check_years(start_year, end_year, min_years=2)
if not (1 <= int(window) <= 30):
    raise ValueError(f"window must be between 1 and 30 years, got {window}")
if lang not in ("zh", "en", "both"):
    raise ValueError(f"lang must be zh, en or both, got {lang!r}")
plotting.setup(lang)
status = groups.focus_status(focus.code)
city = regions.resolve(status["proxy"]) if status["kind"] == "county" else focus
yrd = regions.yrd41()
vintage = common.data_vintage()
note = ""
if status["kind"] == "county":
    note = f"\n\n> {status['zh']}<br>{status['en']}"
if city.code not in yrd:
    note += (f"\n\n> {city.short_zh}不是长三角41城之一：百分位在41城加上{city.short_zh}中计算。<br>"
             f"{city.label} is not one of the YRD 41: its percentile is computed among the 41 plus itself.")
display(Markdown(f"**焦点 Focus:** {city.short_zh} {city.name_en} ({city.code}); years {start_year}–{end_year}; "
                 f"trend window {window} years.{note}"))

# %% [markdown]
# ## 数据与覆盖 Data and coverage
# Each path's indicators come from the embedded city panel (China City Statistical Yearbook extracts). A year is used only if at least 75% of the comparison group reports it and the focus city reports it; nothing is filled. Four paths — energy, digital economy, ecology, public services — have **no indicator in the panel**; they appear as "no data" with what is missing. Yuhuan's bulletins give broadband and internet users for 2011 and 2012 only: shown as points, not a series.

# %%
wide = panel.wide(P.indicator_keys())
table = P.path_table(wide, city.code, yrd, start_year, end_year, window)
summary = P.path_summary(table)
cov = wide.reset_index()
cov = cov[cov["region_code"].isin(yrd) & cov["year"].between(start_year, end_year)]
coverage = cov.groupby("year")[P.indicator_keys()].count().T
coverage = coverage[[c for c in coverage.columns if c >= end_year - 5]]
display(Markdown("**报告该指标的长三角城市数（近年）/ YRD cities reporting each indicator (recent years):**"))
display(coverage)
show = table[["path_zh", "path_en", "indicator", "latest_year", "focus_value", "group_median",
              "pct_latest", "first_year", "pct_first", "delta_pct", "n", "status"]]
export_table(table, "paths_positions", title="Focus city's percentile among the YRD 41 by path and indicator")
display(show.round(2))

# %% [markdown]
# ## 方法 Method
# Mid-rank percentile among the YRD 41 (100·(rank − ½)/n; 50 = the median city), direction-adjusted so that higher is better; *level* = mean percentile over a path's indicators in the latest usable year; *trend* = mean change of the percentile from the first usable year of the window. Gap score = min(level − 50, trend + 10): positive only if the city is at or above the median **and** has not lost more than 10 percentile points. Percentiles are used because the indicators have different units and the question is relative position, not levels.

# %%
pts = P.yuhuan_points(panel.table("points"), [m for p in P.PATHS for m in p.points])
fig = P.plot_paths(table, pts, city.short_zh if lang != "en" else city.name_en, "YRD 41", lang)
fig.suptitle(plotting.bilingual(f"{city.short_zh}在七条路径上的位置（长三角41城百分位）",
                                f"{city.name_en} on the seven paths (percentile among the YRD 41)", lang),
             x=0.01, ha="left", fontsize=11)
fig.tight_layout()
plt.show()
ok = summary[summary["status"] == "ok"]
lines = [f"- **{r.path_zh} {r.path_en}**: level {r.level:.0f}, "
         + ("no trend" if pd.isna(r.trend) else f"trend {r.trend:+.0f}") + f", gap score {r.gap_score:+.1f}"
         for r in ok.itertuples()]
display(Markdown(f"{len(ok)} of {len(summary)} paths have indicators in the panel; "
                 f"{len(summary) - len(ok)} have none.\n\n" + "\n".join(lines)))

# %% [markdown]
# ## 稳健性 Robustness: other comparison groups
# The same rule against the 26 cities of the 2016 city-cluster plan and against the prefectures of the focus city's province. A verdict that flips with the comparison group is fragile.

# %%
cg = groups.comparison_groups(city.code)
rob = {"YRD 41": summary.set_index("path")["gap_score"]}
for g in ("yrd_cluster26", "province"):
    t = P.path_table(wide, city.code, cg[g], start_year, end_year, window)
    rob[groups.GROUP_LABELS[g][1]] = P.path_summary(t).set_index("path")["gap_score"]
rob = pd.DataFrame(rob)
rob = rob[rob.notna().any(axis=1)]
export_table(rob.reset_index(), "paths_robustness", title="Gap score by comparison group")
display(rob.round(1))
flips = [p for p, r in rob.iterrows() if r.dropna().gt(0).nunique() > 1]
display(Markdown("符号随对照组改变的路径 / Paths whose sign changes with the group: "
                 + (", ".join(flips) if flips else "none")))

# %% [markdown]
# ## 证据 Evidence (one record per path)

# %%
evs = P.evidence(summary, city.short_zh, city.name_en, "YRD 41", int(window), vintage, table)
for e in evs:
    evidence.show(e)

# %% [markdown]
# ## 结论 Verdict for the claim

# %%
rec = evidence.claim_box("P", evs, "融入长三角的七条路径（差距诊断）",
                         "The seven paths into the YRD (gap diagnosis)")
vc = pd.Series([e.verdict for e in evs]).value_counts()
weak = [f"{e.hypothesis}" for e in evs if e.verdict == "contradicted"]
strong = [f"{e.hypothesis}" for e in evs if e.verdict == "supported"]
display(Markdown(f"""
**Reasoning.** Of the seven paths, {int(vc.get("not testable", 0))} cannot be measured with the embedded data.
Where data exist, {city.name_en} is at or above the YRD median and keeping up on {", ".join(strong) or "none"},
and below the median or falling behind on {", ".join(weak) or "none"}. The claim-level verdict
(**{rec["verdict"]}**) applies the project's single claim rule to these descriptive records; it says where a gap is,
not whether the article's measures would close it.

**Limitations.** One or two indicators per path are thin proxies (urban road area per capita says nothing about
rail links to Shanghai; loans/GDP is financial depth, not the business environment); patents are a single 2016
cross-section; prefecture data stand in for Yuhuan.

**Data that would settle the rest.** Energy: energy use per unit of GDP and clean-power capacity; digital economy:
core value added and broadband/5G series; ecology: PM2.5 and water quality; public services: hospital beds, doctors,
teachers per capita; market environment: new business registrations; transport: travel times and port series.
"""))
