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
# # S4 产业创新与培育再造 · Industry and innovation: spillovers, upgrading, renewal
#
# The claim, the article's quote and the hypotheses come from the registry
# (`yrdlib/claims/registry/s4.yml`); the analysis is in `yrdlib/claims/industry.py`. The core of the
# claim is dynamic — upgrading after joining (S4.b), spillovers from the G60 corridor and the science
# centres growing over time (S4.e), the named industries upgrading (S4.f) — and two of those three
# core tests cannot be run on the embedded data: **S4 cannot be "supported"** whatever S4.b shows.

# %% tags=["parameters"]
focus_region = "331000"  # focus city: code, Chinese or English name (a county uses its prefecture) [region]
start_year = 2000  # first year of the DiD panel [year]
end_year = 2023  # last year of the DiD panel [year]
lang = "both"  # label language [choice: zh|en|both]
distance_form = "log"  # distance in the decay regression: ln km or km/100 [choice: log|100km]
event_window = 5  # leads and lags of the event study (binned at the ends)

# %%
import importlib.util

from IPython.display import Markdown, display

from yrdlib import evidence
from yrdlib.claims import context, design_note, opening
from yrdlib.claims import industry as M
from yrdlib.report import regtable

ctx = context.setup("s4_industry", globals())
context.header(ctx)

# %% [markdown]
# ## S4.a 创新的距离衰减 · Distance decay of innovation (2016 cross-section, peripheral)
#
# Patents per 10,000 residents from the *China City Statistical Yearbook 2016* cross-section (one
# year; the volume reports 2015) against the great-circle distance to the nearest hub (Shanghai,
# Hefei, Hangzhou, Nanjing, Suzhou), controls ln GDP per capita and ln population, OLS with HC3
# errors. The denominator of the outcome is the one the data layer defines; the record and the text
# below quote it from the indicator dictionary. **For:** a negative coefficient whose interval
# excludes 0, robust to distance in 100 km, a log outcome, dropping the hubs and the YRD-41 alone
# (the gate). **Against:** a positive one. One year's gradient cannot show spillovers growing.

# %%
r_a = M.s4a_distance_decay(ctx.code, distance=distance_form)
fig_a = M.plot_s4a(r_a, ctx)
display(r_a.data["robustness"])
ev_a = evidence.show(r_a.evidence)

# %% [markdown]
# ## S4.b 加入长三角后第三产业占比 · Tertiary share after joining (core)
#
# Tertiary share of value added (%, levels) for all prefecture-level cities; staggered DiD over the
# association's cohorts, did2s with not-yet-treated controls as the main estimate; inference by
# randomization over provinces' cohort patterns (membership came in province blocks). **For:** a
# positive effect whose design-based interval excludes 0, Sun–Abraham, Callaway–Sant'Anna and six
# sample variants of the same sign, and a Rambachan–Roth interval at M̄ = 0.5 above 0.
# **Against:** the same, negative. Otherwise inconclusive, with the lean, the effects ruled out and
# the minimum detectable effect. A rising tertiary share is the conventional
# "高级化" indicator; for a manufacturing city it can also mean manufacturing shrinking.

# %%
r_b = M.s4b_tertiary_did(ctx.years, leads=event_window, lags=event_window)
fig_b = opening.plot_did(r_b, ctx, "第三产业占比效应", "effect on the tertiary share")
display(r_b.data["suite"])
ev_b = evidence.show(r_b.evidence)
display(Markdown(design_note.inference_note(r_b, lang)))

# %% [markdown]
# 回归表（期刊格式）与估计数据 · Regression table (journal layout) and the estimates as data:
# CSV, Excel, LaTeX and Word-ready HTML in the downloads above, with the run id and data vintage.

# %%
regtable.show(r_b, lang);

# %% [markdown]
# ## S4.c 玉环的产业底色（描述）· Yuhuan's manufacturing weight (a description)
#
# Census 2020 (and 2010) manufacturing share of employment in Taizhou's counties and districts:
# Yuhuan's mid-rank percentile among them (above, within or below the median band 50 ± 10), with
# its bulletin figures and their source quality. About Yuhuan whatever the focus city, because the
# article is; the article's starting point, never counted in the verdict.

# %%
r_c = M.s4c_manufacturing_profile()
fig_c = M.plot_s4c(r_c, ctx)
display(r_c.data["bulletin"].drop(columns=["source"]))
ev_c = evidence.show(r_c.evidence)

# %%
r_d, r_e, r_f = M.s4d_rd_patents(), M.s4e_spillover_growth(), M.s4f_named_industries()
display(Markdown(M.untestable_section([r_d, r_e, r_f], lang)))
display(r_d.data["coverage"])
ev_d = evidence.show(r_d.evidence)
ev_e = evidence.show(r_e.evidence)
ev_f = evidence.show(r_f.evidence)

# %% [markdown]
# ## 已发表的估计 · Published estimates
#
# The project's estimates beside published ones for the same question (shown when the literature
# table exists in `yrdlib.claims.literature`).

# %%
if importlib.util.find_spec("yrdlib.claims.literature"):
    from yrdlib.claims import literature

    display(literature.table("S4", project=opening.literature_row(r_b)))

# %% [markdown]
# ## 结论 · Verdict for S4

# %%
rec = evidence.claim_box("S4", [ev_a, ev_b, ev_c, ev_d, ev_e, ev_f], scope_note=ctx.scope_note("S4"))
display(Markdown("\n\n".join(f"**{r.evidence.hypothesis}** {ctx.L(r.text_zh, r.text_en)}"
                               for r in (r_a, r_b, r_c, r_d, r_e, r_f))))

# %% [markdown]
# **Reasoning.** The verdict follows from the core tests S4.b, S4.e and S4.f (see the box). S4.e and
# S4.f are *not testable*: a claim whose core is not testable cannot be supported, so S4 is at best
# inconclusive even if S4.b passed its gate; the specification chart of S4.b shows which gate rows
# fail. S4.a (a 2016 gradient) and S4.d are peripheral; S4.c is a description.
# **Limitations.** One patent cross-section cannot show spillovers growing; the hub list is the
# project's (five cities); centroids are not city seats; association membership is the DiD's
# treatment, while the article's mechanisms (science centres, G60) came later and overlap the
# 2016–2019 cohorts. **Data that would settle what remains:** `rd_intensity`, `patents_granted`,
# `invention_patents_granted` by city-year (provincial science and technology yearbooks, CNIPA),
# Yuhuan's R&D and patent series from its bulletins, and above-scale industrial output by sector.
