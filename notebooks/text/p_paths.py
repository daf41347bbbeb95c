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
# 文章后半部分提出七条路径（交通、能源、科创、数字经济、生态、公共服务、市场环境）。这些是**处方**，不是可检验的预测：数据能说的是差距**在哪里**。
# The article's second half prescribes seven paths. They are prescriptions, not predictions: what the data can say is *where the gap is*. Each path is therefore a **description** (a diagnosis): it gets a label, never "supported" or "contradicted", and the claim P gets no verdict.

# %% tags=["parameters"]
focus_region = "331000"  # focus city: code, Chinese or English name [region]
start_year = 2000  # first year [year]
end_year = 2023  # last year [year]
window = 10  # years over which the trend (change of percentile) is measured, 1-30
group = "yrd41"  # comparison group [choice: yrd41|yrd_cluster26|province]
lang = "both"  # label language [choice: zh|en|both]

# %%
from IPython.display import display

from yrdlib import evidence
from yrdlib.claims import context
from yrdlib.claims import paths as M

ctx = context.setup("p_paths", globals())
context.header(ctx)
kw = dict(window=window, group=group, vintage=ctx.vintage)

# %% [markdown]
# ## 方法 Method
# For each indicator of a path: the focus city's mid-rank percentile among the comparison group (100·(rank − ½)/n; 50 = the median city; direction-adjusted so that higher is better) in the latest year that at least 75% of the group and the focus city report; nothing is filled. A path's **position** is the mean percentile over its indicators: *above* the median band if above 60, *below* if under 40, else *within band* (50 ± 10). Its **trend** is the mean change of the percentile over the window: *rising* above +10, *falling* below −10, else *no clear change*. A path without an indicator in the panel is labelled *no data*, naming the data that would measure it. Percentiles, not levels, because the indicators have different units and the question is relative position. A city outside the YRD 41 is ranked among the 41 plus itself.

# %% [markdown]
# ## 交通 Transport
# Urban road area per capita: road supply inside the city, not links to Shanghai or Ningbo. (The series has a late jump for 台州, 24.7 → 15.5 m² in 2022; values the comparable-series rules flag are left out and named under the record.)

# %%
r_transport = M.path_transport(ctx.code, ctx.years, **kw)
evidence.show(r_transport.evidence)
M.reading(r_transport, ctx.lang)

# %% [markdown]
# ## 能源 Energy · 科创 Science and technology · 数字经济 Digital economy
# Energy: CO₂ per unit of GDP from the **EDGAR v8.0 estimates (JRC/IEA) — a model estimate, not official statistics**; a proxy of fossil-energy intensity (lower is better), since no city series of energy consumption is embedded. Science: patents per 10,000 residents (one 2016 cross-section, no trend) and the tertiary share (an indirect proxy of upgrading). Digital economy: no city series in any embedded source; Yuhuan's bulletins give broadband and internet users for 2011 and 2012 only, shown as points in the figure. The publications that would fill it: broadband and mobile-phone subscribers by city in the China City Statistical Yearbook (from the 2006 volume) and the Zhejiang bureau's digital-economy core value added by city.

# %%
r_energy = M.path_energy(ctx.code, ctx.years, **kw)
evidence.show(r_energy.evidence)
M.reading(r_energy, ctx.lang)

# %%
r_science = M.path_science(ctx.code, ctx.years, **kw)
evidence.show(r_science.evidence)
M.reading(r_science, ctx.lang)

# %%
r_digital = M.path_digital(ctx.code, ctx.years, **kw)
evidence.show(r_digital.evidence)
M.reading(r_digital, ctx.lang)

# %% [markdown]
# ## 生态 Ecology · 公共服务 Public services · 市场环境 Market environment
# Ecology: industrial SO₂ per unit of GDP (lower is better) and the share of household waste safely treated; public services: hospital beds per 1,000 residents. Both from the China City Statistical Yearbook as compiled for 2004–2012 (`data/raw/city_sustainability/`, its rows checked against the project's GDP and FDI panels), so their latest year is 2012, and the trend needs a window that reaches back to 2004–2006 (2007–2011 cover too few YRD cities for the coverage rule). Market environment: loans/GDP and deposits/GDP (financial depth) and FDI/GDP (openness), proxies of a market environment, not measures of it.

# %%
r_ecology = M.path_ecology(ctx.code, ctx.years, **kw)
evidence.show(r_ecology.evidence)
M.reading(r_ecology, ctx.lang)

# %%
r_public = M.path_public(ctx.code, ctx.years, **kw)
evidence.show(r_public.evidence)
M.reading(r_public, ctx.lang)

# %%
r_market = M.path_market(ctx.code, ctx.years, **kw)
evidence.show(r_market.evidence)
M.reading(r_market, ctx.lang)

# %% [markdown]
# ## 七条路径一览 The seven paths at a glance

# %%
rs = [r_transport, r_energy, r_science, r_digital, r_ecology, r_public, r_market]
M.plot_paths(rs, ctx.name(ctx.code), ctx.L("长三角", "the comparison group"), ctx.lang)
M.summary_table(rs).round(1)

# %% [markdown]
# The numbers behind the labels (one row per indicator), YRD cities reporting each indicator in recent years, and the labels against the other comparison groups (a label that changes with the group is fragile):

# %%
display(M.indicator_table(rs).round(2))
display(M.coverage(ctx.years))
M.robustness_table(rs)

# %% [markdown]
# ## 结论 The claim: a diagnosis, no verdict

# %%
rec = evidence.claim_box("P", [r.evidence for r in rs], scope_note=ctx.scope_note("P"))

# %% [markdown]
# **Reading.** The paths are descriptions: where the focus city stands and how it moved, never a test of the article, so the claim P has no verdict. Six paths are measured, each on one to three thin proxies: urban road area says nothing about rail links to Shanghai; CO₂ per unit of GDP is an EDGAR model estimate, not official statistics, and stands in for energy intensity; SO₂, waste treatment and hospital beds end in 2012; loans/GDP is financial depth, not the business environment; patents are a single 2016 cross-section; and prefecture data stand in for Yuhuan. The digital economy has no city series in any embedded source. **Data that would settle the rest:** energy use per unit of GDP and clean-power capacity; broadband subscribers by city (China City Statistical Yearbook) and digital-economy value added; PM2.5 and water quality; hospital beds, doctors and teachers per capita after 2012; new business registrations; travel times and port series.
