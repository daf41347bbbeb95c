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
# # 论断总览：本次运行的全部结论
# # Scorecard: every claim's verdict in this run
#
# This page gathers the evidence every claim notebook of this run recorded (S1 opening-up, S2 city tier, S3 bay area, S4 industry and innovation, P the seven paths) and shows, per claim, its **core tests** (what the article actually asserts, named in the claim registry) and **why the verdict follows** from them. Peripheral tests do not decide a verdict; descriptions (positions, profiles, the seven paths) and not-applicable records are shown as such and never counted. A claim whose core test is not testable cannot be "supported". A claim notebook that **failed, recorded no evidence or did not run is flagged in red**, never dropped. Rules: hypothesis `yrdlib.evidence.judge`, claim `yrdlib.evidence.claim_verdict`.

# %% tags=["parameters"]
run_dir = ""  # run folder to summarise; empty: this run ($YRD_RUN_DIR), else reports/latest
lang = "both"  # label language [choice: zh|en|both]

# %%
from IPython.display import HTML, Markdown, display

from yrdlib import scorecard
from yrdlib.claims import context

ctx = context.setup("scorecard", globals())
sc = scorecard.gather(run_dir or None)
display(Markdown(scorecard.source_markdown(sc, ctx.lang)))

# %% [markdown]
# ## 结论 Verdicts by claim: core tests and why

# %%
display(HTML(scorecard.claims_html(sc, ctx.lang)))
display(Markdown(scorecard.rule_markdown(ctx.lang)))

# %%
ax = scorecard.plot_matrix(sc, lang=ctx.lang, title=True)

# %% [markdown]
# ## 需要注意 Flagged notebooks

# %%
HTML(scorecard.problems_html(sc, ctx.lang))

# %% [markdown]
# ## 全部假设 All hypotheses

# %%
display(HTML(scorecard.hypotheses_html(sc, ctx.lang)))
if len(sc.evidence):
    from yrdlib.runner import export_table
    export_table(sc.evidence.drop(columns=["href"]), "scorecard_evidence", title="All hypotheses of the run")

# %% [markdown]
# ## 其他报告 Other reports
# Descriptive notebooks (data overview, Yuhuan profile) record no verdicts; they are listed here with their status.

# %%
HTML(scorecard.other_reports_html(sc))
