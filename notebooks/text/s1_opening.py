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
# # S1 对外开放层次 · Opening-up: does joining the YRD raise a city's openness?
#
# The claim, the article's quote and the hypotheses come from the registry
# (`yrdlib/claims/registry/s1.yml`); the analysis is in `yrdlib/claims/opening.py`. Yuhuan (玉环)
# has no city-year series: the panel analysis uses its prefecture Taizhou (台州).

# %% tags=["parameters"]
focus_region = "331000"  # focus city: code, Chinese or English name; a county uses its prefecture [region]
start_year = 2000  # first year of the panel analysis [year]
end_year = 2022  # last year (FDI is reported for few cities after 2022) [year]
treatment = "association"  # treatment: association join year, or listed in a plan [choice: association|plan2010|plan2016|outline2019]
outcome = "fdi_gdp"  # openness outcome of S1.b and S1.c: FDI/GDP (%) or FDI per capita (USD) [choice: fdi_gdp|fdi_pc]
scale = "log"  # S1.b outcome in logs (effect ≈ % change) or levels [choice: log|level]
comparison = "yrd_core16"  # group the focus city's position is measured against (S1.c) [choice: yrd41|yrd_core16|yrd_cluster26|province|national|ningbo_metro]
lang = "both"  # label language [choice: zh|en|both]

# %%
import importlib.util

from IPython.display import Markdown, display

from yrdlib import evidence
from yrdlib.claims import context, design_note
from yrdlib.claims import opening as M
from yrdlib.report import regtable

ctx = context.setup("s1_opening", globals())
context.header(ctx)

# %% [markdown]
# ## S1.a 宁波舟山港是否为所收录中国港口中吞吐量最大者 · Is Ningbo-Zhoushan the largest of the Chinese ports embedded? (peripheral)
#
# Data: the curated port points (`data/raw/curated_points/`, typed from news and reposted official
# releases, each with its URL; plan targets and forecasts left out; "lower_bound" = ">"/"超").
# Method: in the latest year with Ningbo-Zhoushan *and* another port, the ratio of Ningbo-Zhoushan's
# annual cargo to the largest other port's, a fact check against 1. **For:** a ratio above 1.
# **Against:** below 1. Only Chinese ports are embedded, so this compares Ningbo-Zhoushan with
# Chinese ports: the article's "world's largest port" (全球货物吞吐量第一大港) is **not tested**
# here; the sources' own statements are listed in the record, and a world port league table for
# the same year would settle it. A premise of the article, not its core.

# %%
r_a = M.s1a_port()
fig_a = M.plot_s1a(r_a, ctx)
display(r_a.data["table"])
ev_a = evidence.show(r_a.evidence)

# %% [markdown]
# ## S1.b 加入协调会是否提高开放度 · Does joining the coordination association raise openness? (core)
#
# Data: all prefecture-level cities; actually used FDI (USD, CCSY compilation) in yuan at the
# year's average rate, over GDP (or per resident). City-years that the data layer flags as not
# comparable (province-wide reporting breaks of FDI) are left out; the sample note says which.
# Method: staggered difference-in-differences over the association's cohorts, Gardner's two-stage
# estimator (did2s, not-yet-treated controls) as the main estimate, event study ±5 years.
# **Inference where treatment was assigned:** membership came in province blocks, so the headline
# p-value and interval come from randomization inference over provinces' cohort patterns.
# **For:** a positive effect whose design-based interval excludes 0, Sun–Abraham,
# Callaway–Sant'Anna and six sample variants of the same sign, and a Rambachan–Roth interval at
# M̄ = 0.5 above 0. **Against:** the same, negative. Otherwise inconclusive, with the lean, the
# effects ruled out and the minimum detectable effect. Pre-trend tests, city/province-clustered and
# bootstrap intervals are shown (grey in the chart), not binding. The rule and its calibration on
# the real panel: docs/methods.md.

# %%
r_b = M.s1b_fdi_did(ctx.years, outcome=outcome, scale=scale, treatment=treatment)
fig_b = M.plot_did(r_b, ctx, "对开放度的效应", "effect on openness")
display(r_b.data["suite"])
ev_b = evidence.show(r_b.evidence)
display(Markdown(design_note.inference_note(r_b, lang)))

# %% [markdown]
# 回归表（期刊格式）与估计数据 · Regression table (journal layout) and the estimates as data:
# CSV, Excel, LaTeX and Word-ready HTML in the downloads above, with the run id and data vintage.

# %%
regtable.show(r_b, lang);

# %% [markdown]
# ## S1.c 焦点城市的开放度位置（描述）· The focus city's openness against its peers (a description)
#
# The focus city's mid-rank percentile of the outcome among the chosen comparison group in the latest
# year with data: above, within or below the median band (50 ± 10); its rank among the 41 and the
# trend of its log gap to the group median since it joined are shown beside it. A position is not a
# test of the article and never counts in the verdict.

# %%
r_c = M.s1c_position(ctx.code, ctx.years, outcome=outcome, comparison=comparison, treatment=treatment)
fig_c = M.plot_s1c(r_c, ctx, outcome)
ev_c = evidence.show(r_c.evidence)

# %% [markdown]
# ## S1.d 对外贸易 · Trade (peripheral)
#
# The project has no open city panel of exports and imports. If a user adds one to `data/user/`
# (indicators `exports_usd`, `imports_usd`), the same gated DiD runs on it here.

# %%
r_d = M.s1d_trade(ctx.years, treatment=treatment)
ev_d = evidence.show(r_d.evidence)

# %% [markdown]
# ## 已发表的估计 · Published estimates
#
# The project's estimate beside published ones for the same question (shown when the literature
# table exists in `yrdlib.claims.literature`).

# %%
if importlib.util.find_spec("yrdlib.claims.literature"):
    from yrdlib.claims import literature

    display(literature.table("S1", project=M.literature_row(r_b)))

# %% [markdown]
# ## 结论 · Verdict on claim S1

# %%
rec = evidence.claim_box("S1", [ev_a, ev_b, ev_c, ev_d], scope_note=ctx.scope_note("S1"))
display(Markdown("\n\n".join(f"**{r.evidence.hypothesis}** {ctx.L(r.text_zh, r.text_en)}"
                               for r in (r_a, r_b, r_c, r_d))))

# %% [markdown]
# **Reasoning.** The verdict follows from the core test S1.b alone (see the box): a port fact (S1.a)
# and trade (S1.d) are peripheral, the focus city's position (S1.c) is a description. The pooled DiD
# says what joining did on average for the later cohorts, not for Taizhou.
# **Limitations.** FDI "actually used" is a noisy, partly administrative statistic (local targets,
# round-tripping through Hong Kong); some exchange rates are ECB-derived; the cohorts chose to join,
# and the 2018/2019 cohorts have only a few post years. **Data that would settle what remains:** a
# world port league table by cargo tonnage (S1.a); exports and imports by city and year (S1.d);
# Yuhuan's own FDI from its bulletins (玉环统计公报, 实际利用外资).
