"""Claim S4's figures (notebooks/s4_industry.ipynb): each takes a hypothesis's Result from
:mod:`yrdlib.claims.industry` and the notebook context and returns the matplotlib figure; and the
heading of the section on what the embedded data cannot test."""

from __future__ import annotations

import numpy as np

from yrdlib import plotting
from yrdlib.claims.industry import DECAY_OUTCOME, TAIZHOU, YUHUAN
from yrdlib.claims.result import Result
from yrdlib.data import indicators
from yrdlib.figures import common
from yrdlib.report.boxes import USER_BADGE_EN, USER_BADGE_ZH, user_data_text


@common.draws("decay", "sample", "distance")
def plot_s4a(r: Result, ctx):
    """Patents per 10k against the distance to the nearest hub (symlog km), the partial fit with
    controls at their means, and the focus city with its 95% prediction interval."""
    import matplotlib.pyplot as plt  # deferred: pyplot is ~0.3 s of kernel start-up, needed only to draw

    dec, ds, form = r.data["decay"], r.data["sample"], r.data["distance"]
    dd = dec.data.merge(ds[["region_code", "yrd41"]], on="region_code")
    fig, ax = plt.subplots(figsize=(8, 5))
    for m, col, s, lab in ((~dd["yrd41"], "#bbbbbb", 10, ("其他城市", "other cities")),
                           (dd["yrd41"], "#1f77b4", 18, ("长三角41城", "YRD 41"))):
        ax.scatter(dd.loc[m, "dist_km"], dd.loc[m, DECAY_OUTCOME], s=s, color=col, label=ctx.L(*lab))
    xs = np.linspace(max(dd["dist_km"].min(), 10), dd["dist_km"].max(), 200)

    def tx(km):
        return np.log(np.maximum(km, 10)) if form == "log" else km / 100

    base = dd["fitted"].mean() - dec.slope * tx(dd["dist_km"]).mean()
    ax.plot(xs, base + dec.slope * tx(xs), color="k", lw=1.5,
            label=ctx.L("拟合（控制变量取均值）", "fit (controls at means)"))
    fo = dec.focus
    if fo:
        ax.errorbar([fo["dist_km"]], [fo["predicted"]], fmt="none", ecolor=plotting.FOCUS_COLOUR,
                    yerr=[[fo["predicted"] - fo["pi_low"]], [fo["pi_high"] - fo["predicted"]]],
                    capsize=5, alpha=0.6, label=ctx.L("焦点城市95%预测区间", "focus 95% prediction interval"))
        ax.scatter([fo["dist_km"]], [fo["observed"]], marker="*", s=200, zorder=5,
                   color=plotting.FOCUS_COLOUR, label=ctx.name(ctx.code))
    ax.set_xscale("symlog", linthresh=10)
    ax.set_xlabel(ctx.L("到最近创新中心的距离（公里，对数刻度）",
                        "distance to the nearest innovation hub (km, log scale)"))
    ind = indicators.get(DECAY_OUTCOME)
    ax.set_ylabel(ctx.L(ind.label_zh, ind.label_en))
    ax.set_title(ctx.L("创新随离创新中心距离衰减", "Innovation falls with distance from the hubs"),
                 loc="left", fontsize=10)
    ax.legend(fontsize=8, loc="upper right")
    fig.tight_layout()
    plt.show()
    return fig


@common.draws("census")
def plot_s4c(r: Result, ctx):
    """Census manufacturing share of Taizhou's counties and districts: 2020 bars, 2010 ticks."""
    import matplotlib.pyplot as plt  # deferred: pyplot is ~0.3 s of kernel start-up, needed only to draw

    cc = r.data["census"]
    c20 = cc[cc["year"] == 2020].sort_values("census_manufacturing_share")
    c10 = cc[cc["year"] == 2010].set_index("region_code")["census_manufacturing_share"]
    cols = [plotting.FOCUS_COLOUR if c == YUHUAN else ("#555555" if c == TAIZHOU else "#1f77b4")
            for c in c20["region_code"]]
    labels = [ctx.name(c) for c in c20["region_code"]]
    fig, ax = plt.subplots(figsize=(8, 4.5))
    ax.barh(labels, c20["census_manufacturing_share"], color=cols, label="2020")
    ax.scatter(c10.reindex(c20["region_code"]).to_numpy(), labels, color="k", marker="|", s=200,
               zorder=3, label="2010")
    ax.set_xlabel(ctx.L("制造业就业占比（%，人口普查长表）",
                        "manufacturing share of employment (%, census long form)"))
    ax.set_title(ctx.L("台州各县市区制造业就业占比：2020（条）与2010（竖线）",
                       "Taizhou's counties: manufacturing share, 2020 (bars), 2010 (ticks)"),
                 loc="left", fontsize=10)
    ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    plt.show()
    return fig


def untestable_section(results, lang: str = "both") -> str:
    """The heading and lead of the S4.d–S4.f section, following the data: 'what the embedded
    data cannot test' while no user figures are loaded; once a record rests on data/user/, it
    says which, with the user's source text, and that its verdict is provisional."""
    ids = ", ".join(r.evidence.hypothesis for r in results)
    used = [r.evidence for r in results if r.evidence.user_data]
    if not used:
        zh, en = f"{ids} 无法用内置数据检验的部分", "What the embedded data cannot test"
        body_zh = "研发、历年专利与指定产业没有公开的城市逐年面板；每条记录写明可以检验它的数据。"
        body_en = ("R&D, patents over time and the named industries: no open city-year panel "
                   "exists here. The table shows how many city-years of the user-fillable keys "
                   "(`data/user/`) are loaded now; each record names the data that would settle it.")
    else:
        hs = ", ".join(e.hypothesis for e in used)
        zh = f"{ids}：内置数据无法检验；{hs} 依据用户数据（{USER_BADGE_ZH}）"
        en = (f"The embedded data cannot test these; {hs} rest(s) on user data "
              f"({USER_BADGE_EN})")
        src = "; ".join(user_data_text(e.user_data) for e in used)
        body_zh = f"{hs} 使用了 `data/user/` 中的用户数据，结论为暂定。来源：{src}"
        body_en = (f"{hs} use(s) figures a user added to `data/user/`, not checked by the "
                   f"project: the verdict is provisional. Source: {src}")
    head = "## " + {"zh": zh, "en": en, "both": f"{zh} · {en}"}[lang]
    body = {"zh": body_zh, "en": body_en, "both": f"{body_zh}\n\n{body_en}"}[lang]
    return f"{head}\n\n{body}"
