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
# This page gathers the evidence every claim notebook of this run recorded (S1 opening-up, S2 city tier, S3 bay area, S4 industry and innovation, P the seven paths) into one table and one figure, states each claim's verdict with a one-line reason, and links to the reports. A claim notebook that **failed, recorded no evidence or did not run is flagged in red**, never dropped. Verdicts follow the project's rules (hypothesis: `yrdlib.evidence.judge`; claim: `yrdlib.evidence.claim_verdict`).

# %% tags=["parameters"]
run_dir = ""  # run folder to summarise; empty: this run ($YRD_RUN_DIR), else reports/latest
lang = "both"  # label language [choice: zh|en|both]

# %%
import matplotlib.pyplot as plt
from IPython.display import HTML, Markdown, display

from yrdlib import evidence, plotting, scorecard

if lang not in ("zh", "en", "both"):
    raise ValueError(f"lang must be zh, en or both, got {lang!r}")
plotting.setup(lang)
sc = scorecard.gather(run_dir or None)
where = {"YRD_RUN_DIR": "本次运行 this run (`$YRD_RUN_DIR`)",
         "reports/latest": "**交互模式：没有 `$YRD_RUN_DIR`，改用最近一次完整运行 `reports/latest`** / interactive: no `$YRD_RUN_DIR`, falling back to the latest complete run",
         "explicit": "指定的文件夹 the folder given in `run_dir`",
         "none": "**没有可汇总的运行 no run to summarise** (no `$YRD_RUN_DIR`, no `reports/latest`)"}[sc.source]
n_ok = int((sc.jobs["status"] == "ok").sum()) if len(sc.jobs) else 0
display(Markdown(f"**来源 Source:** {where} — run `{sc.run_dir.name.removeprefix('.tmp-') if sc.run_dir else ''}`; job statuses from `{sc.status_file or 'none'}`; "
                 f"{len(sc.jobs)} other notebooks ({n_ok} ok), {len(sc.evidence)} hypothesis records, "
                 f"{len(sc.claims)} claim verdicts, **{len(sc.problems)} flagged**."
                 + "".join(f"\n\n> {n}" for n in sc.notes)))

# %% [markdown]
# ## 结论 Verdicts by claim

# %%
display(HTML(scorecard.claims_html(sc, lang)))
display(Markdown(f"<small>{evidence.CLAIM_RULE_ZH}<br>{evidence.CLAIM_RULE_EN}</small>"))

# %%
ax = scorecard.plot_matrix(sc, lang=lang)
ax.set_title(plotting.bilingual("各论断的假设与结论（格内：假设编号与估计值 [95% 区间]）",
                                "Hypotheses and verdicts by claim (cell: hypothesis id and estimate [95% CI])", lang),
             loc="left", fontsize=10)
plt.show()

# %% [markdown]
# ## 需要注意 Flagged notebooks

# %%
display(HTML(scorecard.problems_html(sc, lang)))

# %% [markdown]
# ## 全部假设 All hypotheses

# %%
display(HTML(scorecard.hypotheses_html(sc, lang)))
if len(sc.evidence):
    from yrdlib.runner import export_table
    export_table(sc.evidence.drop(columns=["href"]), "scorecard_evidence", title="All hypotheses of the run")

# %% [markdown]
# ## 其他报告 Other reports
# Descriptive notebooks (data overview, Yuhuan profile) record no verdicts; they are listed here with their status.

# %%
rows = "".join(f"<li><a href='{j.href}'>{j.job_id}</a> — {j.status}, {j.n_evidence} evidence records</li>"
               for j in sc.jobs.itertuples()) if len(sc.jobs) else "<li>none</li>"
display(HTML(f"<ul>{rows}</ul>"))
