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

# %% tags=["parameters"]
focus_region = "331000"  # focus city: code, Chinese or English name (a county uses its prefecture) [region]
start_year = 2000  # first year [year]
end_year = 2023  # last year [year]
lang = "both"  # label language [choice: zh|en|both]
cluster = "长三角"  # city cluster whose plan is the treatment: 长三角 tests the article's claims, another cluster (成渝, 中原, … short or full name) their general form for its member cities [cluster]
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
ctx.show("S3", "intro")
context.header(ctx)

# %%
ctx.show("S3", "S3.a")
r_a = ctx.run("S3.a", M.s3a_linkage, ctx.code, ctx.years, b=distance_exponent, mass=mass)
if r_a.evidence.applicable:
    fig_a = F.plot_s3a(r_a, ctx)

# %%
if r_a.evidence.applicable:
    display(r_a.data["sensitivity"], r_a.data["placebo"].round(3))

# %%
ev_a = evidence.show(r_a.evidence)

# %%
ctx.show("S3", "S3.b")
r_b = ctx.run("S3.b", M.s3b_comovement, ctx.code, ctx.years, window=comovement_window)
if r_b.evidence.applicable:
    fig_b = F.plot_s3b(r_b, ctx)
    display(r_b.data.get("table"))
ev_b = evidence.show(r_b.evidence)

# %%
ctx.show("S3", "S3.c")
r_c = ctx.run("S3.c", M.s3c_bay_share, ctx.code, ctx.years)
if r_c.evidence.applicable:
    fig_c = F.plot_s3c(r_c, ctx)
ev_c = evidence.show(r_c.evidence)

# %%
ctx.show("S3", "S3.d")
r_d = ctx.run("S3.d", M.s3d_northward_share, ctx.code, ctx.years, b=distance_exponent, mass=mass, south=south_partners)
if r_d.evidence.applicable:
    fig_d = F.plot_s3d(r_d, ctx)
    display(r_d.data["sensitivity"].round(3), r_d.data["cross_section"])
ev_d = evidence.show(r_d.evidence)

# %%
ctx.show("S3", "verdict")
rec = evidence.claim_box("S3", [ev_a, ev_b, ev_c, ev_d], **ctx.claim_kw("S3"))
display(Markdown("\n\n".join(f"**{r.evidence.hypothesis}** {ctx.L(r.text_zh, r.text_en)}"
                             for r in (r_a, r_b, r_c, r_d))))

# %%
ctx.show("S3", "reasoning")
