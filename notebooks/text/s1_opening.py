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
# # S1 对外开放层次 · Opening-up: does joining the city cluster raise a city's openness?

# %% tags=["parameters"]
focus_region = "331000"  # focus city: code, Chinese or English name; a county uses its prefecture [region]
start_year = 2000  # first year of the panel analysis [year]
end_year = 2022  # last year (FDI is reported for few cities after 2022) [year]
treatment = "association"  # treatment: association join year, or listed in a plan [choice: association|plan2010|plan2016|outline2019]
outcome = "fdi_gdp"  # openness outcome of S1.b and S1.c: FDI/GDP (%) or FDI per capita (USD) [choice: fdi_gdp|fdi_pc]
scale = "log"  # S1.b outcome in logs (effect ≈ % change) or levels [choice: log|level]
comparison = "yrd_core16"  # group the focus city's position is measured against (S1.c) [choice: yrd41|yrd_core16|yrd_cluster26|province|national|ningbo_metro]
lang = "both"  # label language [choice: zh|en|both]
cluster = "长三角"  # city cluster whose plan is the treatment: 长三角 tests the article's claims, another cluster (成渝, 中原, … short or full name) their general form for its member cities [cluster]

# %%
from IPython.display import Markdown, display

from yrdlib import evidence
from yrdlib.claims import city_effects as CE
from yrdlib.claims import context, design_note, literature
from yrdlib.claims import opening as M
from yrdlib.figures import city_effects as CF
from yrdlib.figures import opening as F
from yrdlib.report import regtable

ctx = context.setup("s1_opening", globals())
ctx.show("S1", "intro")
context.header(ctx)

# %%
ctx.show("S1", "S1.a")
r_a = ctx.run("S1.a", M.s1a_port)
if r_a.evidence.applicable:
    fig_a = F.plot_s1a(r_a, ctx)
    display(r_a.data["table"])
ev_a = evidence.show(r_a.evidence)

# %%
ctx.show("S1", "S1.b")
r_b = ctx.run("S1.b", M.s1b_fdi_did, ctx.years, outcome=outcome, scale=scale, treatment=ctx.treatment)
fig_b = F.plot_did(r_b, ctx, "对开放度的效应", "effect on openness")
if r_b.evidence.applicable:
    display(r_b.data["suite"])
ev_b = evidence.show(r_b.evidence)
if r_b.evidence.applicable:
    display(Markdown(design_note.inference_note(r_b, lang)))

# %%
ctx.show("S1", "regtable")
regtable.show(r_b, lang);

# %%
ctx.show("S1", "S1.e")
r_e = ctx.run("S1.e", CE.s1e_focus_effect, ctx.code, treatment=ctx.treatment)
fig_e = CF.present(r_e, ctx)
ev_e = evidence.show(r_e.evidence)

# %%
ctx.show("S1", "S1.c")
r_c = ctx.run("S1.c", M.s1c_position, ctx.code, ctx.years, outcome=outcome, comparison=comparison, treatment=ctx.treatment, cluster=ctx.other_cluster)
fig_c = F.plot_s1c(r_c, ctx, outcome)
ev_c = evidence.show(r_c.evidence)

# %%
ctx.show("S1", "S1.d")
r_d = ctx.run("S1.d", M.s1d_trade, ctx.years, treatment=ctx.treatment)
ev_d = evidence.show(r_d.evidence)

# %%
ctx.show("S1", "literature")
display(literature.table("S1", project=F.literature_row(r_b), lang=ctx.lang))

# %%
ctx.show("S1", "verdict")
rec = evidence.claim_box("S1", [ev_a, ev_b, ev_c, ev_d, ev_e], **ctx.claim_kw("S1"))
display(Markdown("\n\n".join(f"**{r.evidence.hypothesis}** {ctx.L(r.text_zh, r.text_en)}"
                               for r in (r_a, r_b, r_c, r_d, r_e))))

# %%
ctx.show("S1", "reasoning")
