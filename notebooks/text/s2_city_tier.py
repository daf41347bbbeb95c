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
# # S2 城市能级 · City tier: does the YRD lift a city's standing?
#
# 论断、假设、核心检验与预期方向来自登记表（`yrdlib/claims/registry/s2.yml`），见下表。
# The claim, its hypotheses, which tests are core and the expected directions come from the registry
# (table below). The core tests are S2.b (the average effect of joining, pooled DiD) and S2.f (the
# focus city's own synthetic-control estimate); S2.a, S2.c, S2.d and S2.e are peripheral. Yuhuan (玉环)
# has no city-year series: the panel analysis uses its prefecture, Taizhou (台州).
#
# 宁波都市圈（宁波、舟山、台州）：2016 年《长江三角洲城市群发展规划》所列五个都市圈之一。
# The Ningbo metropolitan area (宁波, 舟山, 台州) that the article names is one of the five
# metropolitan areas listed in the 2016 city-cluster plan (《长江三角洲城市群发展规划》, 2016).

# %% tags=["parameters"]
focus_region = "331000"  # focus city: code, Chinese or English name; a county uses its prefecture [region]
start_year = 2000  # first year [year]
end_year = 2022  # last year [year]
treatment = "association"  # treatment for the growth DiD (S2.b) [choice: association|plan2010|plan2016|outline2019]
migration_statistic = "net_inflow_2010"  # S2.a headline statistic (totals; the registry states net_inflow_2010) [choice: net_inflow_2010|migrants_other_province_2020|migrants_other_province_2010|pop_growth_2020]
lang = "both"  # label language [choice: zh|en|both]

# %%
from IPython.display import Markdown, display

from yrdlib import evidence
from yrdlib.claims import city_tier as M
from yrdlib.claims import context, design_note
from yrdlib.claims import county as C
from yrdlib.figures import city_tier as F
from yrdlib.report import regtable

ctx = context.setup("s2_city_tier", globals())
context.header(ctx)
if ctx.county_note:
    display(Markdown(f"> {ctx.county_note}"))

# %% [markdown]
# ## S2.a 长三角是否吸引外来人口最多 · Does the YRD attract the most migrants?
#
# The article asserts a ranking ("长三角地区是吸引外来人口最多的城市群"), so this is a test — a fact
# check with a direction — not a description of a position.
# **Data.** Prefecture tables of the 2010 and 2020 censuses: resident minus registered population
# (2010; the 2020 tables have no registered population), residents with hukou in another province
# (2010, 2020), resident growth 2010–2020. **Clusters** as listed in their approved plans
# (`city_clusters.csv`, each row with its source; the YRD is the 2016 plan's 26 cities).
# **Statistic (the registry's).** Resident minus registered population in 2010, summed over the
# cluster: it adds up over a cluster (moves between member cities cancel, leaving the net inflow
# from outside), whereas inter-provincial migrants count moves between Anhui and Shanghai as
# attraction but not moves into the one-province Greater Bay Area. The YRD total over the best
# other cluster's, > 1 = first. **For / against:** the ratio above / below 1.
# **Definitions.** The table shows every statistic × total or share × all listed or whole cities
# only; definitions that give identical numbers are one row (`cities` names them, `definitions`
# counts them). Where definitions rank the YRD differently, the text and the record say so.

# %%
r_a = M.s2a_migrants(migration_statistic)
F.plot_s2a(r_a, ctx.lang);
display(r_a.data["variants"].drop(columns=["statistic_zh"]))
display(Markdown(r_a.text_en + "<br>" + r_a.text_zh))
evidence.show(r_a.evidence);

# %% [markdown]
# ## S2.b 加入协调会是否促进增长 · Does joining raise growth? (core)
#
# The project's one causal test (`common.did_test`): all prefectures, ln real GDP chain-linked from
# the published volume indices, did2s with not-yet-treated controls as the main estimate, Sun–Abraham
# and TWFE beside it. Membership came in province blocks, so the headline p-value and interval
# come from randomization inference over provinces' cohort patterns. **For:** a positive effect
# whose design-based interval excludes 0, Sun–Abraham, Callaway–Sant'Anna and six sample variants
# of the same sign, and a Rambachan–Roth interval at M̄ = 0.5 above 0; **against:** the same,
# negative; anything else is inconclusive, with the lean, the effects ruled out and the minimum
# detectable effect. Pre-trend tests and clustered or bootstrap intervals are shown, not binding.
# This is the members' average effect, not Taizhou's.

# %%
r_b = M.s2b_growth_did(ctx.years, treatment=treatment)
F.plot_s2b(r_b, ctx.lang);
display(r_b.data["suite"])
display(Markdown(f"**Sample:** {r_b.evidence.sample}"))
evidence.show(r_b.evidence);
display(Markdown(design_note.inference_note(r_b, lang)))

# %% [markdown]
# 回归表（期刊格式）与估计数据 · Regression table (journal layout) and the estimates as data:
# CSV, Excel, LaTeX and Word-ready HTML in the downloads above, with the run id and data vintage.

# %%
regtable.show(r_b, lang);

# %% [markdown]
# ## S2.c 长三角是否收敛更快 · Does the YRD converge faster than the rest of China?
#
# Convergence inside the YRD says nothing about integration if the rest of China converges as
# fast. One pooled cross-section of all prefectures: mean annual growth of real GDP per capita on
# its initial log level, with a YRD dummy and its interaction; the interaction is the YRD's β minus
# the non-members' β (HC3 errors). **For:** a negative difference whose interval excludes 0 (the
# YRD converges faster); **against:** a positive one. Gate rows: province-clustered errors,
# non-members from the neighbouring provinces only. The windows before / from 2010 and 2016 are
# shown as a description.

# %%
r_c = M.s2c_convergence(ctx.years)
F.plot_s2c(r_c, ctx.lang);
display(r_c.data["windows"])
display(Markdown(r_c.text_en + "<br>" + r_c.text_zh))
evidence.show(r_c.evidence);

# %% [markdown]
# ## S2.d 城市能级排名 · The focus city's energy-level rank among the 41
#
# Six indicators in five dimensions (size: GDP, resident population; income: GDP per capita;
# openness: FDI/GDP; structure: tertiary share; finance: loans/GDP), min-max normalised over all
# city-years, entropy weights (PCA and equal weights as checks); only years in which at least 90% of
# the 41 are complete. The rank change runs from the focus city's first treated year (or the first
# index year, if later) to the last index year; its interval is the **range over weight draws**:
# the 2.5–97.5% range of the same change under 1,000 random indicator weights (weight uncertainty,
# not sampling error — not a confidence interval, though the verdict box labels every interval
# "CI"). These choices are the function's documented defaults. Outside the 41 the test does not
# apply.

# %%
r_d = M.s2d_energy_rank(ctx.code, ctx.years)
F.plot_s2d(r_d, ctx.lang);
if "weights" in r_d.data:
    display(r_d.data["weights"], r_d.data["rank_change"]["fixed"])
if "metro_ranks" in r_d.data:
    display(Markdown("**宁波都市圈内排名（2016 年城市群规划所列都市圈）· Rank inside the Ningbo metropolitan area (2016 plan's list)**"),
            r_d.data["metro_ranks"].rename(columns=ctx.name))
display(Markdown(r_d.text_en + "<br>" + r_d.text_zh))
evidence.show(r_d.evidence);

# %% [markdown]
# ## S2.e 城市规模分布 · Rank-size (Zipf) exponent of YRD cities
#
# Resident population of the 41 (years in which at least 95% report; the same cities every year),
# Gabaix–Ibragimov estimator; the change between the first and last year with a PAIRED bootstrap
# (cities resampled, both years together), the 2010 and 2020 census exponents beside it. **For:** a
# falling exponent (population concentrating in the larger cities); **against:** a rising one.
# 41 prefectures are not a distribution's tail, and a prefecture is not a metropolitan area: the
# test is peripheral.

# %%
r_e = M.s2e_zipf(ctx.years)
F.plot_s2e(r_e, ctx.lang);
display(Markdown(r_e.text_en + "<br>" + r_e.text_zh))
evidence.show(r_e.evidence);

# %% [markdown]
# ## S2.f 焦点城市本身 · The focus city itself: level gap to a synthetic control after the 2016 plan listing (core)
#
# The pooled DiD says what membership did on average. For the focus city itself, **what is
# estimated** is the mean *level* gap of ln real GDP between the focus city and its synthetic
# control after the 2016 city-cluster plan listed it (2017–2022; 2016, the plan's year, is a
# transition year) — not a growth rate. **Headline:** a penalized synthetic control (Abadie &
# L'Hour 2021): weights non-negative, summing to one, fitted on 2000–2015, each donor charged its
# own distance to the focus city so that weight goes to few close donors; the penalty is chosen by
# leave-one-out over the donors' post years. **Donors by stated rules** (the table shows how many
# each rule leaves): outside the YRD 41 and never association members; no municipality (北京 天津
# 上海 重庆); no boundary change; no resource city — the project has no resource-city list and no
# mining figures, so a proxy: secondary share ≥ 55 % of GDP with < 15 % of the employed in
# manufacturing (2010 census); 2000–2015 mean ln real GDP per capita and ln resident population
# within ±0.5 of the focus city's; a complete series. **Inference:** placebo-in-space — each donor
# treated as if it were the focus, p = rank of the post/pre RMSPE ratio / (donors + 1); the
# interval from the well-fitted placebos' effects. **Gate rows:** the in-time placebo (treatment
# backdated to 2012: fit 2000–2011, hold out 2012–2015; its pseudo-gap must not be unusual among
# the donors'), the plain synthetic control and synthetic DiD on the same donors, and the estimate
# without the largest donor. **For:** a positive gap rare among the placebos that every row
# confirms; a focus city the design cannot serve (not in the plan, boundary change, incomplete
# series, too few comparable donors) → not applicable.

# %%
r_f = M.s2f_synthetic_control(ctx.code, ctx.years)
F.plot_s2f(r_f, ctx.lang);
if "weights_table" in r_f.data:
    display(r_f.data["funnel"], r_f.data["weights_table"], r_f.data["rows"])
display(Markdown(r_f.text_en + "<br>" + r_f.text_zh))
evidence.show(r_f.evidence);

# %% [markdown]
# ## S2.g 县级检验 · Counties of member cities: did they gain residents faster?
#
# All of China's county-level units in the 2010 and 2020 censuses, matched across boundary
# changes (a changed unit summed with the units it exchanged territory with, or dropped; a
# prefecture holding a 2020 development zone or another one-census unit compared as a whole). Treated:
# units of cities in the association by the 2010 census; controls: units of cities that never
# joined; the 2013/2018/2019 joiners, members for part of the window, are dropped. Outcome: 100 ×
# ln(residents 2020 / 2010). Inference by randomization over province blocks (the provinces'
# patterns permuted, prefectures drawn within), the interval by inverting that test; robustness
# rows: counties only, the mixed joiners as controls or as treated, without units that doubled or
# halved, development zones read as carved out of districts only, within Jiangsu, Zhejiang and
# Anhui. Yuhuan's own position is in the Yuhuan profile.

# %%
r_g = C.s2g_county_attraction()
display(r_g.data["within"])
display(Markdown(r_g.text_en + "<br>" + r_g.text_zh))
evidence.show(r_g.evidence);

# %% [markdown]
# ## 已发表的估计 · Published estimates

# %%
lit = F.literature_table("S2")
if lit is not None:
    display(lit)

# %% [markdown]
# ## 结论 · Verdict on claim S2

# %%
evs = [r.evidence for r in (r_a, r_b, r_c, r_d, r_e, r_f, r_g)]
rec = evidence.claim_box("S2", evs, scope_note=ctx.scope_note("S2"))
display(Markdown("\n\n".join(f"**{r.evidence.hypothesis}** ({r.verdict}): {r.evidence.reason_en}<br>{r.evidence.reason_zh}"
                             for r in (r_a, r_b, r_c, r_d, r_e, r_f, r_g))))

# %% [markdown]
# **Limitations.** Membership and plan listing are not random: the DiD rests on parallel trends,
# which the rule probes with three estimators, six samples and a Rambachan–Roth bound; the synthetic control rests on
# the donors reproducing the focus city's path before 2016 and on no other shock hitting it alone
# after. Convergence and index ranks are descriptive; the energy-level index depends on the chosen
# indicators (the rank interval shows how much on the weights); the Zipf exponent over 41
# prefectures is a coarse measure of hierarchy. Data that would settle more: census long-form
# migration flows by origin and destination (attraction rather than stocks), county panels for
# Yuhuan, and commuting or firm-linkage data for metropolitan integration.
