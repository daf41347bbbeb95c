"""Claim S2's figures and tables (notebooks/s2_city_tier.ipynb): each plot takes a hypothesis's
Result from :mod:`yrdlib.claims.city_tier` (S2.f: :mod:`yrdlib.claims.city_tier_synth`)."""

from __future__ import annotations

import numpy as np

from yrdlib import plotting
from yrdlib.claims import literature
from yrdlib.claims.city_tier import _L, YRD_CLUSTER, _unit_name, cluster_en
from yrdlib.claims.city_tier_synth import SC_BACKDATE, SC_MAX_PRE_RATIO
from yrdlib.claims.result import Result
from yrdlib.figures import common
from yrdlib.methods import plot_event_study


@common.draws("statistic", "by_cluster")
def plot_s2a(r: Result, lang: str = "both"):
    import matplotlib.pyplot as plt  # deferred: pyplot is ~0.3 s of kernel start-up, needed only to draw

    key = r.data["statistic"]
    s = r.data["by_cluster"].set_index("cluster")
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(11, 4.2), sharey=True)
    colours = [plotting.FOCUS_COLOUR if c == YRD_CLUSTER else "#7f7f7f" for c in s.index]
    a1.barh(range(len(s)), s[f"{key}_total"] / 1e6, color=colours)
    a2.barh(range(len(s)), s[f"{key}_share"], color=colours)
    a1.set_yticks(range(len(s)), [_L(c, cluster_en(c), lang) for c in s.index], fontsize=7)
    a1.invert_yaxis()
    a1.set_xlabel(_L("人数（百万）", "persons (million)", lang))
    a2.set_xlabel(_L("占常住人口比例（%）", "share of residents (%)", lang))
    a1.set_title(_L(f"{r.data['label_zh']}：总量", f"{r.data['label_en']}: total", lang),
                 loc="left", fontsize=10)
    a2.set_title(_L("占比", "share", lang), loc="left", fontsize=10)
    fig.tight_layout()
    return fig


@common.draws("event_did2s")
def plot_s2b(r: Result, lang: str = "both"):
    """Event studies (did2s, Sun–Abraham) beside the specification chart of the gate."""
    from types import SimpleNamespace

    import matplotlib.pyplot as plt  # deferred: pyplot is ~0.3 s of kernel start-up, needed only to draw

    fig, (a1, a2) = plt.subplots(1, 2, figsize=(13, 4.6))
    for k, lab, col, off in (("event_did2s", _L("两阶段DiD", "did2s", lang), "#1f77b4", -0.12),
                             ("event_sunab", "Sun–Abraham", "#ff7f0e", 0.12)):
        es = r.data.get(k)
        if es is not None:
            plot_event_study(SimpleNamespace(event_study=es, estimator=k), a1, label=lab,
                             color=col, offset=off,
                             xlabel=_L("相对加入年份（年）", "years relative to joining", lang),
                             ylabel=_L("对 ln 实际GDP 的效应", "effect on ln real GDP", lang))
    a1.set_title(_L("事件研究（95% 区间）", "Event study (95% CI)", lang), loc="left")
    a1.legend(fontsize=8)
    common.spec_chart(r, ax=a2, lang=lang)
    fig.tight_layout()
    return fig


@common.draws("frame", "main")
def plot_s2c(r: Result, lang: str = "both"):
    """Left: growth on initial level, YRD vs non-members, with each group's fitted line; right:
    σ (s.d. of ln real GDP per capita) per year for both groups."""
    import matplotlib.pyplot as plt  # deferred: pyplot is ~0.3 s of kernel start-up, needed only to draw

    f, m = r.data["frame"], r.data["main"]
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(12, 4.4))
    for is_yrd, col, lab, beta in ((False, "#9e9e9e", _L("非成员", "non-members", lang),
                                    m["beta_non"]),
                                   (True, plotting.FOCUS_COLOUR, _L("长三角41城", "YRD 41", lang),
                                    m["beta_yrd"])):
        g = f[f["yrd"] == is_yrd]
        a1.scatter(g["x"], g["g"] * 100, s=12 if not is_yrd else 22, color=col, alpha=0.7,
                   label=f"{lab}: β = {beta:.4f}")
        if len(g) > 2:
            b, a = np.polyfit(g["x"], g["g"], 1)
            xs = np.linspace(g["x"].min(), g["x"].max(), 20)
            a1.plot(xs, (a + b * xs) * 100, color=col, lw=2)
    y0 = r.data["years"][0]
    a1.set_xlabel(_L(f"{y0}年人均实际GDP（对数）", f"ln real GDP per capita {y0}", lang))
    a1.set_ylabel(_L("年均增长率（%）", "mean annual growth (%)", lang))
    a1.set_title(_L("β收敛：长三角与非成员", "β-convergence: YRD vs non-members", lang),
                 loc="left", fontsize=10)
    a1.legend(fontsize=7)
    s = r.data["sigma"]
    for grp, col, lab in (("YRD", plotting.FOCUS_COLOUR, _L("长三角", "YRD", lang)),
                          ("non-members", "#9e9e9e", _L("非成员", "non-members", lang))):
        if grp in s:
            a2.plot(s.index, s[grp], marker="o", ms=3, color=col, label=lab)
    a2.set_ylabel(_L("ln人均实际GDP的标准差", "s.d. of ln real GDP per capita", lang))
    a2.set_xlabel(_L("年份", "year", lang))
    a2.set_title(_L("σ收敛（平衡面板）", "σ-convergence (balanced panel)", lang), loc="left",
                 fontsize=10)
    a2.legend(fontsize=7)
    fig.tight_layout()
    return fig


@common.draws("ranks", "rank_change")
def plot_s2d(r: Result, lang: str = "both"):
    import matplotlib.pyplot as plt  # deferred: pyplot is ~0.3 s of kernel start-up, needed only to draw

    fig, ax = plt.subplots(figsize=(7.5, 4))
    ranks, rc = r.data["ranks"], r.data["rank_change"]
    for k, (lab, c) in {"entropy": (_L("熵权", "entropy weights", lang), plotting.FOCUS_COLOUR),
                        "pca": (_L("主成分权重", "PCA weights", lang), "#1f77b4"),
                        "equal": (_L("等权", "equal weights", lang), "#7f7f7f")}.items():
        ax.plot(ranks.index, ranks[k], marker="o" if k == "entropy" else ".", color=c, label=lab,
                lw=2 if k == "entropy" else 1)
    for y, sm_ in ((r.data["y0"], rc["summary_y0"]), (r.data["y1"], rc["summary_y1"])):
        ax.errorbar([y], [sm_["median"]], yerr=[[sm_["median"] - sm_["q05"]],
                                                [sm_["q95"] - sm_["median"]]],
                    fmt="s", color="black", capsize=4)
    ax.plot([], [], "ks", label=_L("排名的权重抽样范围（中位数与 5%—95%，非置信区间）",
                                   "rank: range over weight draws (median, 5–95%; not a CI)",
                                   lang))
    ax.set_ylim(42, 0)
    ax.set_ylabel(_L("名次（1 = 能级最高）", "rank (1 = highest)", lang))
    ax.set_xlabel(_L("年份", "year", lang))
    zh, en = _unit_name(r.data["focus"])
    ax.set_title(_L(f"{zh}在长三角41城中的城市能级排名",
                    f"{en}: city-tier rank among the 41 YRD cities", lang), loc="left")
    ax.legend(fontsize=7)
    return fig


@common.draws("path", "census")
def plot_s2e(r: Result, lang: str = "both"):
    import matplotlib.pyplot as plt  # deferred: pyplot is ~0.3 s of kernel start-up, needed only to draw

    zp, cz = r.data["path"], r.data["census"]
    fig, ax = plt.subplots(figsize=(7.5, 3.8))
    ax.fill_between(zp["year"], zp["ci_low"], zp["ci_high"], alpha=0.2, color="#1f77b4",
                    label=_L("95%置信区间（单年）", "95% CI (each year)", lang))
    ax.plot(zp["year"], zp["exponent"], marker="o", color="#1f77b4",
            label=_L("年鉴常住人口", "yearbook resident population", lang))
    ax.errorbar(cz["year"], cz["exponent"], yerr=[cz["exponent"] - cz["ci_low"],
                                                  cz["ci_high"] - cz["exponent"]],
                fmt="D", color=plotting.FOCUS_COLOUR, capsize=4, label=_L("人口普查", "census", lang))
    ax.axhline(1, color="grey", ls="--", lw=0.8)
    ax.set_ylabel(_L("齐普夫指数 ζ", "Zipf exponent ζ", lang))
    ax.set_xlabel(_L("年份", "year", lang))
    n = zp.attrs["cities"]
    ax.set_title(_L(f"长三角{n}城人口规模分布（ζ 越小越集中）",
                    f"Size distribution of {n} YRD cities (lower ζ: more concentrated)", lang),
                 loc="left")
    ax.legend(fontsize=7)
    return fig


def literature_table(claim: str = "S2", lang: str = "both"):
    """The published estimates beside the project's (:func:`yrdlib.claims.literature.table`)."""
    return literature.table(claim, lang=lang)


@common.draws("path", "focus", "in_time", "placebos")
def plot_s2f(r: Result, lang: str = "both"):
    """Left: the focus city, its penalized synthetic control and the backdated fit (ln real
    GDP); right: the gap, with the well-fitted placebos' gaps in grey (placebo-in-space)."""
    import matplotlib.pyplot as plt  # deferred: pyplot is ~0.3 s of kernel start-up, needed only to draw

    p = r.data["path"]
    zh, en = _unit_name(r.data["focus"])
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(12, 4.2))
    a1.plot(p["year"], p["focus"], color=plotting.FOCUS_COLOUR, lw=2, label=_L(zh, en, lang))
    a1.plot(p["year"], p["synthetic"], color="#1f77b4", ls="--",
            label=_L("惩罚合成对照", "penalized synthetic control", lang))
    b = r.data["in_time"]["path"]
    a1.plot(b["year"], b["synthetic"], color="#9467bd", ls=":",
            label=_L(f"回溯到{SC_BACKDATE}年的拟合", f"fit backdated to {SC_BACKDATE}", lang))
    pl = r.data["placebos"]
    ok = pl.loc[~pl["is_focus"] & (pl["pre_rmspe"] <= SC_MAX_PRE_RATIO
                                   * r.data["pre_rmspe"]), "unit"]
    g = r.data["placebo_gaps"][list(ok)]
    a2.plot(g.index, g.to_numpy(), color="#bdbdbd", lw=0.6, alpha=0.6)
    a2.plot([], [], color="#bdbdbd", label=_L(f"安慰剂（{len(ok)}个对照城市）",
                                               f"placebos ({len(ok)} donors)", lang))
    a2.plot(p["year"], p["gap"], color=plotting.FOCUS_COLOUR, lw=2, label=_L(zh, en, lang))
    a2.axhline(0, color="grey", lw=0.8)
    for ax in (a1, a2):
        for y in r.data["transition"] or [r.data["post"][0]]:
            ax.axvspan(y - 0.5, y + 0.5, color="#eeeeee")
        ax.axvline(r.data["post"][0] - 0.5, color="grey", ls=":")
        ax.set_xlabel(_L("年份", "year", lang))
    a1.set_ylabel(_L("ln 实际GDP", "ln real GDP", lang))
    a2.set_ylabel(_L("与合成对照的水平差距（对数点）", "level gap to the synthetic control (log points)",
                     lang))
    a1.set_title(_L("焦点城市与惩罚合成对照", "Focus city and its penalized synthetic control", lang),
                 loc="left", fontsize=10)
    a2.set_title(_L(f"水平差距；处理后/处理前RMSPE比排名 {r.data['rank']}/{r.data['n_donors'] + 1}",
                    f"Level gap; post/pre RMSPE ratio rank {r.data['rank']}/"
                    f"{r.data['n_donors'] + 1}", lang), loc="left", fontsize=10)
    a1.legend(fontsize=7)
    a2.legend(fontsize=7)
    fig.tight_layout()
    return fig
