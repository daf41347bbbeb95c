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

# %% tags=["parameters"]
focus_region = "331000"  # focus city: code, Chinese or English name (a county uses its prefecture) [region]
start_year = 2000  # first year of the DiD panel [year]
end_year = 2023  # last year of the DiD panel [year]
lang = "both"  # label language [choice: zh|en|both]
distance_form = "log"  # distance in the decay regression: ln km or km/100 [choice: log|100km]
event_window = 5  # leads and lags of the event study (binned at the ends)
cluster = "长三角"  # city cluster whose plan is the treatment: 长三角 tests the article's claims, another cluster (成渝, 中原, … short or full name) their general form for its member cities [cluster]

# %%
from IPython.display import Markdown, display

from yrdlib import evidence
from yrdlib.claims import city_effects as CE
from yrdlib.claims import context, design_note, literature
from yrdlib.claims import industry as M
from yrdlib.figures import city_effects as CF
from yrdlib.figures import industry as F
from yrdlib.figures import opening
from yrdlib.report import regtable

ctx = context.setup("s4_industry", globals())
ctx.show("S4", "intro")
context.header(ctx)

# %%
ctx.show("S4", "S4.a")
r_a = ctx.run("S4.a", M.s4a_distance_decay, ctx.code, distance=distance_form)
if r_a.evidence.applicable:
    fig_a = F.plot_s4a(r_a, ctx)
    display(r_a.data["robustness"])
ev_a = evidence.show(r_a.evidence)

# %%
ctx.show("S4", "S4.b")
r_b = ctx.run("S4.b", M.s4b_tertiary_did, ctx.years, leads=event_window, lags=event_window, treatment=ctx.treatment)
fig_b = opening.plot_did(r_b, ctx, "第三产业占比效应", "effect on the tertiary share")
if r_b.evidence.applicable:
    display(r_b.data["suite"])
ev_b = evidence.show(r_b.evidence)
if r_b.evidence.applicable:
    display(Markdown(design_note.inference_note(r_b, lang)))

# %%
ctx.show("S4", "regtable")
regtable.show(r_b, lang);

# %%
ctx.show("S4", "S4.g")
r_g = ctx.run("S4.g", CE.s4g_focus_effect, ctx.code, treatment=ctx.treatment)
fig_g = CF.present(r_g, ctx)
ev_g = evidence.show(r_g.evidence)

# %%
ctx.show("S4", "S4.c")
r_c = ctx.run("S4.c", M.s4c_manufacturing_profile)
if r_c.evidence.applicable:  # about Yuhuan: not applicable for another focus city or cluster
    fig_c = F.plot_s4c(r_c, ctx)
    display(r_c.data["bulletin"].drop(columns=["source"]))
ev_c = evidence.show(r_c.evidence)

# %%
r_d = ctx.run("S4.d", M.s4d_rd_patents)
r_e = ctx.run("S4.e", M.s4e_spillover_growth)
r_f = ctx.run("S4.f", M.s4f_named_industries)
display(Markdown(F.untestable_section([r_d, r_e, r_f], lang)))
if "coverage" in r_d.data:
    display(r_d.data["coverage"])
ev_d = evidence.show(r_d.evidence)
ev_e = evidence.show(r_e.evidence)
ev_f = evidence.show(r_f.evidence)

# %%
ctx.show("S4", "literature")
display(literature.table("S4", project=opening.literature_row(r_b), lang=ctx.lang))

# %%
ctx.show("S4", "verdict")
rec = evidence.claim_box("S4", [ev_a, ev_b, ev_c, ev_d, ev_e, ev_f, ev_g], **ctx.claim_kw("S4"))
display(Markdown("\n\n".join(f"**{r.evidence.hypothesis}** {ctx.L(r.text_zh, r.text_en)}"
                               for r in (r_a, r_b, r_c, r_d, r_e, r_f, r_g))))

# %%
ctx.show("S4", "reasoning")
