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
# # S3 湾区：与环杭州湾大湾区的关联是否明显增强？ · S3 Bay area: has the link with the Hangzhou Bay area clearly strengthened?
#
# The claim, its quote and its hypotheses come from the registry (`yrdlib/claims/registry/s3.yml`);
# the analysis is in `yrdlib/claims/bay_area.py`. The Hangzhou Bay cities are Shanghai and the six
# Zhejiang cities of the 环杭州湾 grouping. A gravity linkage with fixed distances moves only with
# the cities' economic masses: it measures the pull of the economies at a given distance, **not**
# observed flows of goods, people or money (no open data on those exist here).

# %% tags=["parameters"]
focus_region = "331000"  # focus city: code, Chinese or English name (a county uses its prefecture) [region]
start_year = 2000  # first year [year]
end_year = 2023  # last year [year]
lang = "both"  # label language [choice: zh|en|both]
south_partners = ["330300"]  # southward partners of the S3.d description (default 温州 Wenzhou) [regions]
distance_exponent = 2.0  # distance exponent b of the gravity model, in (0, 4]; 1 and 2.5 are robustness rows
mass = "sqrt_pg"  # mass: sqrt(population x GDP), GDP only, or sqrt(population x real GDP) [choice: sqrt_pg|gdp|real]
comovement_window = 8  # years in each co-movement window (before / after the break), at least 5

# %%
from IPython.display import Markdown, display

from yrdlib import evidence
from yrdlib.claims import bay_area as M
from yrdlib.claims import context
from yrdlib.figures import bay_area as F

ctx = context.setup("s3_bay_area", globals())
context.header(ctx)

# %% [markdown]
# ## S3.a 焦点城市在各城市与湾区联系中的份额 · The focus city's share of the cities' linkage with the bay
#
# Method: gravity linkage R_ij = M_i · M_j / d_ij^b (M = √(population × GDP), d = great-circle km
# between centroids). For the focus city and every YRD-41 city outside the bay (the *origins*), sum
# its linkage with the bay cities; S3.a is the focus city's share of the origins' total, with an OLS
# trend and Newey–West errors. **Why not the northward share:** the focus city's own mass multiplies
# all its links, so it cancels in any ratio of its own links (north/south, bay/all YRD cities);
# here it is one term of a total over other cities, so the share rises when the focus city gains
# weight and falls when it loses it. **For** the claim: a rising share, robust to exponent, mass,
# population, a later start year and the same-province placebo cities (the robustness gate). **Against:** a falling share.
# **Placebo:** the same statistic for every other origin city (ranked by the growth of the share).

# %%
r_a = M.s3a_linkage(ctx.code, ctx.years, b=distance_exponent, mass=mass)
fig_a = F.plot_s3a(r_a, ctx)

# %%
display(r_a.data["sensitivity"])
r_a.data["placebo"].round(3)

# %%
ev_a = evidence.show(r_a.evidence)

# %% [markdown]
# ## S3.b 断点后的增长联动 · Co-movement of real growth with the bay cities after the break (peripheral)
#
# Pearson correlation of the focus city's real GDP growth with the bay cities' mean growth in a
# window before and after a break date: its own join year when the panel gives five growth years
# before it, else the 2010 Regional Plan (《长江三角洲地区区域规划》). 台州 joined in 2003 and its
# growth data start in 2001, so for 台州 the test is about the 2010 plan, not about joining.
# Moving-block bootstrap intervals, with the
# non-YRD mean as benchmark. About eight points per window: wide intervals, so "no change" mostly
# means "too few years". Peripheral: it cannot carry the claim on its own.

# %%
r_b = M.s3b_comovement(ctx.code, ctx.years, window=comovement_window)
fig_b = F.plot_s3b(r_b, ctx)
display(r_b.data.get("table"))
ev_b = evidence.show(r_b.evidence)

# %% [markdown]
# ## S3.c 焦点城市占湾区经济总量的份额 · The focus city's share of the bay's GDP (core)
#
# The focus city's GDP as a percentage of the bay cities' total (the focus removed if it is a bay
# city), years in which every city reports; OLS trend with Newey–West errors. **For:** a rising
# share (the focus city converging on the bay). **Against:** a falling one. Robustness gate: real
# GDP and a later start year. Resident population is shown for description.

# %%
r_c = M.s3c_bay_share(ctx.code, ctx.years)
fig_c = F.plot_s3c(r_c, ctx)
ev_c = evidence.show(r_c.evidence)

# %% [markdown]
# ## S3.d 北向份额（描述）· The northward share (a description: the former S3.a)
#
# North/(north + south) of the focus city's own links, with Wenzhou as the southward partner (the
# nearest city to the south stands in when the focus is Wenzhou). It cannot test the claim (the
# focus city's mass cancels) and is kept to show what the earlier verdict rested on; for Taizhou,
# Yuhuan's census-year cross-section (2020 census population × 2019 bulletin GDP, mixed years) is
# in the table below it.

# %%
r_d = M.s3d_northward_share(ctx.code, ctx.years, b=distance_exponent, mass=mass, south=south_partners)
fig_d = F.plot_s3d(r_d, ctx)
display(r_d.data["sensitivity"].round(3))
display(r_d.data["cross_section"])
ev_d = evidence.show(r_d.evidence)

# %% [markdown]
# ## 结论 · Verdict for S3

# %%
rec = evidence.claim_box("S3", [ev_a, ev_b, ev_c, ev_d], scope_note=ctx.scope_note("S3"))
display(Markdown("\n\n".join(f"**{r.evidence.hypothesis}** {ctx.L(r.text_zh, r.text_en)}"
                             for r in (r_a, r_b, r_c, r_d))))

# %% [markdown]
# **Reasoning.** The verdict follows from the two core tests, S3.a and S3.c (see the box above and
# the sentences drawn from the results). S3.b is peripheral; S3.d is a description and never
# counts. **Limitations.** A gravity model with fixed distances is a re-weighting of GDP and
# population: it cannot see the new roads, railways or bridges the article's paths are about, nor
# any real flow. Centroids are not city seats. Yuhuan has one mixed-year cross-section and no time
# series; Taizhou stands in for it. **Data that would settle what remains:** inter-city flows by
# year (freight OD tables, rail and highway traffic, mobile-phone or Baidu migration flows,
# cross-city investment) and Yuhuan's yearly GDP and population.
