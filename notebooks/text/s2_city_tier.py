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
# # S2 城市能级 · City tier: does joining the city cluster lift a city's standing?

# %% tags=["parameters"]
focus_region = "331000"  # focus city: code, Chinese or English name; a county uses its prefecture [region]
start_year = 2000  # first year [year]
end_year = 2022  # last year [year]
treatment = "association"  # treatment for the growth DiD (S2.b) [choice: association|plan2010|plan2016|outline2019]
migration_statistic = "net_inflow_2010"  # S2.a headline statistic (totals; the registry states net_inflow_2010) [choice: net_inflow_2010|migrants_other_province_2020|migrants_other_province_2010|pop_growth_2020]
lang = "both"  # label language [choice: zh|en|both]
cluster = "长三角"  # city cluster whose plan is the treatment: 长三角 tests the article's claims, another cluster (成渝, 中原, … short or full name) their general form for its member cities [cluster]

# %%
from IPython.display import Markdown, display

from yrdlib import evidence
from yrdlib.claims import city_effects as CE
from yrdlib.claims import city_tier as M
from yrdlib.claims import context, design_note
from yrdlib.claims import county as C
from yrdlib.figures import city_effects as CF
from yrdlib.figures import city_tier as F
from yrdlib.report import regtable

ctx = context.setup("s2_city_tier", globals())
ctx.show("S2", "intro")
context.header(ctx)
if ctx.county_note:
    display(Markdown(f"> {ctx.county_note}"))

# %%
ctx.show("S2", "S2.a")
r_a = ctx.run("S2.a", M.s2a_migrants, migration_statistic)
if r_a.evidence.applicable:
    F.plot_s2a(r_a, ctx.lang)
    display(r_a.data["variants"])
    display(Markdown(ctx.L(r_a.text_zh, r_a.text_en)))
evidence.show(r_a.evidence);

# %%
ctx.show("S2", "S2.b")
r_b = ctx.run("S2.b", M.s2b_growth_did, ctx.years, treatment=ctx.treatment)
F.plot_s2b(r_b, ctx.lang);
if r_b.evidence.applicable:
    display(r_b.data["suite"])
    display(Markdown(ctx.L("", f"**Sample:** {r_b.evidence.sample}")))
evidence.show(r_b.evidence);
if r_b.evidence.applicable:
    display(Markdown(design_note.inference_note(r_b, lang)))

# %%
ctx.show("S2", "regtable")
regtable.show(r_b, lang);

# %%
ctx.show("S2", "S2.h")
r_h = ctx.run("S2.h", CE.s2h_focus_effect, ctx.code, treatment=ctx.treatment)
fig_h = CF.present(r_h, ctx)
ev_h = evidence.show(r_h.evidence)

# %%
ctx.show("S2", "S2.c")
r_c = ctx.run("S2.c", M.s2c_convergence, ctx.years, cluster=ctx.other_cluster)
F.plot_s2c(r_c, ctx.lang);
if "windows" in r_c.data:
    display(r_c.data["windows"])
display(Markdown(ctx.L(r_c.text_zh, r_c.text_en)))
evidence.show(r_c.evidence);

# %%
ctx.show("S2", "S2.d")
r_d = ctx.run("S2.d", M.s2d_energy_rank, ctx.code, ctx.years, cluster=ctx.other_cluster)
F.plot_s2d(r_d, ctx.lang);
if "weights" in r_d.data:
    display(r_d.data["weights"], r_d.data["rank_change"]["fixed"])
if "metro_ranks" in r_d.data:
    display(Markdown("**宁波都市圈内排名（2016 年城市群规划所列都市圈）· Rank inside the Ningbo metropolitan area (2016 plan's list)**"),
            r_d.data["metro_ranks"].rename(columns=ctx.name))
display(Markdown(ctx.L(r_d.text_zh, r_d.text_en)))
evidence.show(r_d.evidence);

# %%
ctx.show("S2", "S2.e")
r_e = ctx.run("S2.e", M.s2e_zipf, ctx.years, cluster=ctx.other_cluster)
F.plot_s2e(r_e, ctx.lang);
display(Markdown(ctx.L(r_e.text_zh, r_e.text_en)))
evidence.show(r_e.evidence);

# %%
ctx.show("S2", "S2.f")
r_f = ctx.run("S2.f", M.s2f_synthetic_control, ctx.code, ctx.years, cluster=ctx.other_cluster)
F.plot_s2f(r_f, ctx.lang);
if "weights_table" in r_f.data:
    display(r_f.data["funnel"], r_f.data["weights_table"], r_f.data["rows"])
display(Markdown(ctx.L(r_f.text_zh, r_f.text_en)))
evidence.show(r_f.evidence);

# %%
ctx.show("S2", "S2.g")
r_g = ctx.run("S2.g", C.s2g_county_attraction)
if r_g.evidence.applicable:
    display(r_g.data["within"])
    display(Markdown(ctx.L(r_g.text_zh, r_g.text_en)))
evidence.show(r_g.evidence);

# %%
ctx.show("S2", "literature")
lit = F.literature_table("S2", lang=ctx.lang)
if lit is not None:
    display(lit)

# %%
ctx.show("S2", "verdict")
evs = [r.evidence for r in (r_a, r_b, r_c, r_d, r_e, r_f, r_g, r_h)]
rec = evidence.claim_box("S2", evs, **ctx.claim_kw("S2"))
display(Markdown("\n\n".join(f"**{r.evidence.hypothesis}** {ctx.L(r.evidence.reason_zh, r.evidence.reason_en)}"
                             for r in (r_a, r_b, r_c, r_d, r_e, r_f, r_g, r_h))))

# %%
ctx.show("S2", "reasoning")
