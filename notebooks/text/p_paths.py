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
# # 融入城市群的七条路径：焦点城市的差距诊断 · The seven paths into the city cluster: a gap diagnosis for the focus city

# %% tags=["parameters"]
focus_region = "331000"  # focus city: code, Chinese or English name [region]
start_year = 2000  # first year [year]
end_year = 2023  # last year [year]
window = 10  # years over which the trend (change of percentile) is measured, 1-30
group = "yrd41"  # comparison group [choice: yrd41|yrd_cluster26|province]
lang = "both"  # label language [choice: zh|en|both]
cluster = "长三角"  # city cluster whose plan is the treatment: 长三角 tests the article's claims, another cluster (成渝, 中原, … short or full name) their general form for its member cities [cluster]

# %%
from IPython.display import display

from yrdlib import evidence
from yrdlib.claims import context
from yrdlib.claims import paths as M
from yrdlib.figures import paths as F

ctx = context.setup("p_paths", globals())
ctx.show("P", "intro")
context.header(ctx)
kw = dict(window=window, group=group, vintage=ctx.vintage, cluster=ctx.other_cluster)

# %%
ctx.show("P", "method")

# %%
ctx.show("P", "transport")
r_transport = M.path_transport(ctx.code, ctx.years, **kw)
evidence.show(r_transport.evidence)
F.reading(r_transport, ctx.lang)

# %%
ctx.show("P", "energy_science_digital")
r_energy = M.path_energy(ctx.code, ctx.years, **kw)
evidence.show(r_energy.evidence)
F.reading(r_energy, ctx.lang)

# %%
r_science = M.path_science(ctx.code, ctx.years, **kw)
evidence.show(r_science.evidence)
F.reading(r_science, ctx.lang)

# %%
r_digital = M.path_digital(ctx.code, ctx.years, **kw)
evidence.show(r_digital.evidence)
F.reading(r_digital, ctx.lang)

# %%
ctx.show("P", "ecology_public_market")
r_ecology = M.path_ecology(ctx.code, ctx.years, **kw)
evidence.show(r_ecology.evidence)
F.reading(r_ecology, ctx.lang)

# %%
r_public = M.path_public(ctx.code, ctx.years, **kw)
evidence.show(r_public.evidence)
F.reading(r_public, ctx.lang)

# %%
r_market = M.path_market(ctx.code, ctx.years, **kw)
evidence.show(r_market.evidence)
F.reading(r_market, ctx.lang)

# %%
ctx.show("P", "glance")
rs = [r_transport, r_energy, r_science, r_digital, r_ecology, r_public, r_market]
F.plot_paths(rs, ctx.name(ctx.code), ctx.L(*ctx.group_names()), ctx.lang)
F.summary_table(rs).round(1)

# %%
ctx.show("P", "numbers")
display(F.indicator_table(rs).round(2))
display(M.coverage(ctx.years))
F.robustness_table(rs)

# %%
ctx.show("P", "verdict")
rec = evidence.claim_box("P", [r.evidence for r in rs], **ctx.claim_kw("P"))

# %%
ctx.show("P", "reasoning")
