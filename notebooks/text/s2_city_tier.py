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
from yrdlib import narrative as N
from yrdlib.claims import city_effects as CE
from yrdlib.claims import city_tier as M
from yrdlib.claims import context, design_note
from yrdlib.claims import county as C
from yrdlib.figures import city_effects as CF
from yrdlib.figures import city_tier as F
from yrdlib.report import regtable

ctx = context.setup("s2_city_tier", globals())
N.show("S2", "intro", ctx.lang)
context.header(ctx)
if ctx.county_note:
    display(Markdown(f"> {ctx.county_note}"))

# %%
N.show("S2", "S2.a", ctx.lang)
r_a = M.s2a_migrants(migration_statistic)
F.plot_s2a(r_a, ctx.lang);
display(r_a.data["variants"])
display(Markdown(ctx.L(r_a.text_zh, r_a.text_en)))
evidence.show(r_a.evidence);

# %%
N.show("S2", "S2.b", ctx.lang, treatment=treatment)
r_b = M.s2b_growth_did(ctx.years, treatment=treatment)
F.plot_s2b(r_b, ctx.lang);
display(r_b.data["suite"])
display(Markdown(ctx.L("", f"**Sample:** {r_b.evidence.sample}")))
evidence.show(r_b.evidence);
display(Markdown(design_note.inference_note(r_b, lang)))

# %%
N.show("S2", "regtable", ctx.lang)
regtable.show(r_b, lang);

# %%
N.show("S2", "S2.h", ctx.lang)
r_h = CE.s2h_focus_effect(ctx.code)
fig_h = CF.present(r_h, ctx)
ev_h = evidence.show(r_h.evidence)

# %%
N.show("S2", "S2.c", ctx.lang)
r_c = M.s2c_convergence(ctx.years)
F.plot_s2c(r_c, ctx.lang);
display(r_c.data["windows"])
display(Markdown(ctx.L(r_c.text_zh, r_c.text_en)))
evidence.show(r_c.evidence);

# %%
N.show("S2", "S2.d", ctx.lang)
r_d = M.s2d_energy_rank(ctx.code, ctx.years)
F.plot_s2d(r_d, ctx.lang);
if "weights" in r_d.data:
    display(r_d.data["weights"], r_d.data["rank_change"]["fixed"])
if "metro_ranks" in r_d.data:
    display(Markdown("**宁波都市圈内排名（2016 年城市群规划所列都市圈）· Rank inside the Ningbo metropolitan area (2016 plan's list)**"),
            r_d.data["metro_ranks"].rename(columns=ctx.name))
display(Markdown(ctx.L(r_d.text_zh, r_d.text_en)))
evidence.show(r_d.evidence);

# %%
N.show("S2", "S2.e", ctx.lang)
r_e = M.s2e_zipf(ctx.years)
F.plot_s2e(r_e, ctx.lang);
display(Markdown(ctx.L(r_e.text_zh, r_e.text_en)))
evidence.show(r_e.evidence);

# %%
N.show("S2", "S2.f", ctx.lang)
r_f = M.s2f_synthetic_control(ctx.code, ctx.years)
F.plot_s2f(r_f, ctx.lang);
if "weights_table" in r_f.data:
    display(r_f.data["funnel"], r_f.data["weights_table"], r_f.data["rows"])
display(Markdown(ctx.L(r_f.text_zh, r_f.text_en)))
evidence.show(r_f.evidence);

# %%
N.show("S2", "S2.g", ctx.lang)
r_g = C.s2g_county_attraction()
display(r_g.data["within"])
display(Markdown(ctx.L(r_g.text_zh, r_g.text_en)))
evidence.show(r_g.evidence);

# %%
N.show("S2", "literature", ctx.lang)
lit = F.literature_table("S2", lang=ctx.lang)
if lit is not None:
    display(lit)

# %%
N.show("S2", "verdict", ctx.lang)
evs = [r.evidence for r in (r_a, r_b, r_c, r_d, r_e, r_f, r_g, r_h)]
rec = evidence.claim_box("S2", evs, scope_note=ctx.scope_note("S2"))
display(Markdown("\n\n".join(f"**{r.evidence.hypothesis}** {ctx.L(r.evidence.reason_zh, r.evidence.reason_en)}"
                             for r in (r_a, r_b, r_c, r_d, r_e, r_f, r_g, r_h))))

# %%
N.show("S2", "reasoning", ctx.lang)
