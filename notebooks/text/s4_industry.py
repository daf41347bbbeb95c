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

# %%
from IPython.display import Markdown, display

from yrdlib import evidence
from yrdlib import narrative as N
from yrdlib.claims import city_effects as CE
from yrdlib.claims import context, design_note, literature
from yrdlib.claims import industry as M
from yrdlib.claims.result import for_focus
from yrdlib.figures import city_effects as CF
from yrdlib.figures import industry as F
from yrdlib.figures import opening
from yrdlib.report import regtable

ctx = context.setup("s4_industry", globals())
N.show("S4", "intro", ctx.lang)
context.header(ctx)

# %%
N.show("S4", "S4.a", ctx.lang)
r_a = M.s4a_distance_decay(ctx.code, distance=distance_form)
fig_a = F.plot_s4a(r_a, ctx)
display(r_a.data["robustness"])
ev_a = evidence.show(r_a.evidence)

# %%
N.show("S4", "S4.b", ctx.lang)
r_b = M.s4b_tertiary_did(ctx.years, leads=event_window, lags=event_window)
fig_b = opening.plot_did(r_b, ctx, "第三产业占比效应", "effect on the tertiary share")
display(r_b.data["suite"])
ev_b = evidence.show(r_b.evidence)
display(Markdown(design_note.inference_note(r_b, lang)))

# %%
N.show("S4", "regtable", ctx.lang)
regtable.show(r_b, lang);

# %%
N.show("S4", "S4.g", ctx.lang)
r_g = CE.s4g_focus_effect(ctx.code)
fig_g = CF.present(r_g, ctx)
ev_g = evidence.show(r_g.evidence)

# %%
N.show("S4", "S4.c", ctx.lang)
r_c = for_focus("S4.c", ctx.code, M.s4c_manufacturing_profile)
if r_c.evidence.applicable:  # about Yuhuan: not applicable for another focus city
    fig_c = F.plot_s4c(r_c, ctx)
    display(r_c.data["bulletin"].drop(columns=["source"]))
ev_c = evidence.show(r_c.evidence)

# %%
r_d = for_focus("S4.d", ctx.code, M.s4d_rd_patents)
r_e = M.s4e_spillover_growth()
r_f = for_focus("S4.f", ctx.code, M.s4f_named_industries)
display(Markdown(F.untestable_section([r_d, r_e, r_f], lang)))
if "coverage" in r_d.data:
    display(r_d.data["coverage"])
ev_d = evidence.show(r_d.evidence)
ev_e = evidence.show(r_e.evidence)
ev_f = evidence.show(r_f.evidence)

# %%
N.show("S4", "literature", ctx.lang)
display(literature.table("S4", project=opening.literature_row(r_b), lang=ctx.lang))

# %%
N.show("S4", "verdict", ctx.lang)
rec = evidence.claim_box("S4", [ev_a, ev_b, ev_c, ev_d, ev_e, ev_f, ev_g], scope_note=ctx.scope_note("S4"))
display(Markdown("\n\n".join(f"**{r.evidence.hypothesis}** {ctx.L(r.text_zh, r.text_en)}"
                               for r in (r_a, r_b, r_c, r_d, r_e, r_f, r_g))))

# %%
N.show("S4", "reasoning", ctx.lang)
