"""Claim S1's figures (notebooks/s1_opening.ipynb; the DiD figure also S4.b's): each takes a
hypothesis's Result from :mod:`yrdlib.claims.opening` and the notebook context and returns the
matplotlib figure; and the project's own row of the literature table."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from yrdlib import groups, plotting, vocab
from yrdlib.claims.opening import NZ_PORT
from yrdlib.claims.result import Result
from yrdlib.data import indicators
from yrdlib.figures import common
from yrdlib.methods import plot_event_study


@common.draws("check")
def plot_s1a(r: Result, ctx):
    """Bar chart of the annual cargo points of at least 1 亿吨 (hatched = lower bound)."""
    import matplotlib.pyplot as plt  # deferred: pyplot is ~0.3 s of kernel start-up, needed only to draw

    big = r.data["check"].table
    big = big[big["value_yi_t"] >= 1]
    fig, ax = plt.subplots(figsize=(7.5, 3.6))
    for i, (_, row) in enumerate(big.iterrows()):
        lb = row["qualifier"] == "lower_bound"
        ax.bar(i, row["value_yi_t"], edgecolor="white", hatch="//" if lb else None,
               color=plotting.FOCUS_COLOUR if row["entity"] == NZ_PORT else "#7f7f7f")
        ax.text(i, row["value_yi_t"] + 0.2, f"{row['value_yi_t']:.2f}" + (">" if lb else ""),
                ha="center", fontsize=7)
    ax.set_xticks(range(len(big)), [f"{e}\n{y}" for e, y in zip(big["entity"], big["year"])],
                  fontsize=7)
    ax.set_ylabel(ctx.L("货物吞吐量（亿吨）", "cargo throughput (100 Mt)"))
    ax.set_title(ctx.L("嵌入数据中的港口年货物吞吐量（斜线 = 下限值）",
                       "Annual port cargo in the embedded points (hatched = lower bound)"), loc="left")
    plt.show()
    return fig


@common.draws("event_did2s")
def plot_did(r: Result, ctx, ylabel_zh: str, ylabel_en: str):
    """A gated DiD's figure: event studies (did2s, Sun–Abraham) beside its specification chart
    (:func:`yrdlib.figures.common.spec_chart`). Shared by S1.b and S4.b."""
    import matplotlib.pyplot as plt  # deferred: pyplot is ~0.3 s of kernel start-up, needed only to draw

    unit = r.evidence.unit
    unit_zh = {"log points": "对数点", "percentage points": "百分点"}.get(unit, unit)
    if unit:
        ylabel_zh, ylabel_en = f"{ylabel_zh}（{unit_zh}）", f"{ylabel_en} ({unit})"
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(13, 4.8), gridspec_kw={"width_ratios": [5, 4]})
    for key, lab, col, off in (("event_did2s", ("两阶段DiD（尚未处理对照）", "did2s (not-yet-treated)"),
                                "#1f77b4", -0.12),
                               ("event_sunab", ("Sun–Abraham（从未处理对照）", "Sun–Abraham (never-treated)"),
                                "#ff7f0e", 0.12)):
        es = r.data.get(key)
        if es is not None and len(es):
            plot_event_study(SimpleNamespace(event_study=es, estimator=key), ax1,
                             label=ctx.L(*lab), color=col, offset=off,
                             xlabel=ctx.L("相对加入年份（年）", "years relative to joining"),
                             ylabel=ctx.L(ylabel_zh, ylabel_en))
    ax1.set_title(ctx.L("事件研究（95% 置信区间）", "Event study (95% CI)"), loc="left", fontsize=10)
    ax1.legend(fontsize=8)
    if r.evidence.sensitivity:
        common.spec_chart(r, ax=ax2, lang=ctx.lang)
    else:
        ax2.set_axis_off()
    fig.tight_layout()
    plt.show()
    return fig


@common.draws("wide", "rank")
def plot_s1c(r: Result, ctx, outcome: str = "fdi_gdp"):
    """The focus city's openness against the medians of the YRD core, its province and all
    prefectures (left) and its rank among the 41 (right)."""
    import matplotlib.pyplot as plt  # deferred: pyplot is ~0.3 s of kernel start-up, needed only to draw

    cg = groups.comparison_groups(ctx.code)
    labels = {k: ctx.L(*groups.GROUP_LABELS[k]) for k in ("yrd_core16", "province", "national")}
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4), gridspec_kw={"width_ratios": [3, 2]})
    plotting.focus_vs_medians(ax1, r.data["wide"], ctx.code, outcome,
                              {labels[k]: cg[k] for k in labels}, lang=ctx.lang, years=ctx.years)
    ind = indicators.get(outcome)
    ax1.set_ylabel(f"{ctx.L(ind.label_zh, ind.label_en)} [{ind.unit}]")
    rp = r.data["rank"]
    ax2.plot(rp.index, rp["rank"], marker="o", color=plotting.FOCUS_COLOUR)
    ax2.set_ylim(42, 0)
    ax2.set_title(ctx.L(f"在长三角41城中的排名（≥{groups.MIN_COVERAGE:.0%}城市有可比数据的年份）",
                        f"rank among the 41 YRD cities (years in which ≥ {groups.MIN_COVERAGE:.0%} "
                        "have comparable data)"), loc="left", fontsize=10)
    ax2.set_ylabel(ctx.L("名次（1 = 最开放）", "rank (1 = most open)"))
    ax2.set_xlabel(ctx.L("年份", "year"))
    fig.tight_layout()
    plt.show()
    return fig


def literature_row(r: Result) -> dict:
    """The project's own row for :func:`yrdlib.claims.literature.table` (question, design,
    sample, finding) from a causal test's Result, so published estimates stand beside it."""
    ev = r.evidence
    est = (f"{ev.estimate:+.3g} {ev.unit} [{ev.ci_low:+.3g}, {ev.ci_high:+.3g}]"
           if ev.estimate is not None and np.isfinite(ev.estimate) else "not estimated")
    return {"question": ev.title_en, "design": ev.method.split(";")[0],
            "sample": ev.sample, "finding": f"{est}; verdict: {ev.verdict}",
            # the Chinese twins (lang=zh): the design and sample are told in the method text
            "question_zh": ev.title_zh, "design_zh": "见上文方法说明", "sample_zh": "见结论框",
            "finding_zh": ev.finding_zh or vocab.VERDICT_ZH.get(ev.verdict, ev.verdict)}
