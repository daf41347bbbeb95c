"""Claim S3's figures (notebooks/s3_bay_area.ipynb): each takes a hypothesis's Result from
:mod:`yrdlib.claims.bay_area` and the notebook context and returns the matplotlib figure."""

from __future__ import annotations

import numpy as np

from yrdlib import plotting, regions
from yrdlib.claims.bay_area import bay_partners, growth_panel
from yrdlib.claims.result import Result
from yrdlib.figures import common


def _plt():
    import matplotlib.pyplot as plt  # deferred: pyplot is ~0.3 s of kernel start-up, needed only to draw

    return plt, plotting.FOCUS_COLOUR


@common.draws("shares", "placebo", "peers")
def plot_s3a(r: Result, ctx):
    """Left: the focus city's bay-pull share and its same-province placebo cities' over time.
    Right: the placebo — every origin city's trend (pp/yr) with its 95% CI, the focus marked."""
    plt, fc = _plt()
    sh, plc, focus = r.data["shares"], r.data["placebo"], ctx.code
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(12, 5), gridspec_kw={"width_ratios": [1, 1.2]})
    a1.plot(sh.index, sh[focus], "o-", color=fc, label=ctx.name(focus))
    for c in r.data["peers"]:
        a1.plot(sh.index, sh[c], ".--", lw=1, label=ctx.name(c))
    a1.set_xlabel(ctx.L("年份", "year"))
    a1.set_ylabel(ctx.L("占各起点城市与湾区联系总和 (%)", "share of all origins' bay linkage (%)"))
    a1.set_title(ctx.L("与环杭州湾的引力联系份额：焦点与同省城市",
                       "Share of the linkage with the bay: focus and same-province cities"),
                 loc="left", fontsize=10)
    a1.legend(fontsize=7)
    p = plc.iloc[::-1].reset_index(drop=True)
    col = p["role"].map({"focus": fc, "same province": "#1f77b4", "other": "#9e9e9e"})
    a2.errorbar(p["growth_pct_per_year"], p.index, xerr=[p["growth_pct_per_year"] - p["growth_ci_low"],
                p["growth_ci_high"] - p["growth_pct_per_year"]], fmt="none", ecolor="#cccccc", lw=1)
    a2.scatter(p["growth_pct_per_year"], p.index, c=col, s=18, zorder=3)
    a2.set_yticks(p.index, [ctx.name(c) for c in p["region_code"]], fontsize=6)
    a2.axvline(0, color="grey", lw=0.8)
    a2.set_xlabel(ctx.L("份额增长趋势（%/年，95%区间）", "growth of the share (%/yr, 95% CI)"))
    a2.set_title(ctx.L(f"安慰剂：{len(p)}个起点城市的同一统计量（红=焦点，蓝=同省）",
                       f"Placebo: the same statistic for {len(p)} origins (red focus, blue same province)"),
                 loc="left", fontsize=10)
    fig.tight_layout()
    return fig


@common.draws("com")
def plot_s3b(r: Result, ctx):
    """Real growth of the focus city and the bay mean with the windows; the correlations with CIs."""
    plt, fc = _plt()
    com, nat, brk, focus = r.data["com"], r.data.get("nat"), r.data.get("break"), ctx.code
    grp = bay_partners(focus)
    gw = growth_panel([focus, *grp], ctx.years).pivot(index="year", columns="region_code",
                                                      values="gdp_real_growth")
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(12, 4.5), gridspec_kw={"width_ratios": [1.6, 1]})
    a1.plot(gw.index, gw[focus], "o-", color=fc, label=ctx.name(focus))
    a1.plot(gw.index, gw[grp].mean(axis=1), "s-", color="#1f77b4",
            label=ctx.L("环杭州湾城市平均", "bay cities' mean"))
    for (lo, hi), c in zip(com.windows["group mean"], ("#eeeeee", "#e3f2fd")):
        a1.axvspan(lo - 0.5, hi + 0.5, color=c, zorder=0)
    a1.set_xlabel(ctx.L("年份", "year"))
    a1.set_ylabel(ctx.L("实际GDP增长率 (%)", "real GDP growth (%)"))
    a1.set_title(ctx.L("实际增长（阴影=比较窗口）", "Real growth (shaded = windows)"), loc="left",
                 fontsize=10)
    a1.legend(fontsize=8)
    xs = np.arange(2)
    for k, (res, col, lab) in enumerate(((com, "#1f77b4", ctx.L("湾区", "bay")),
                                         (nat, "#7f7f7f", ctx.L("非长三角", "non-YRD")))):
        t = res.table.iloc[0]
        est = np.array([t["corr_before"], t["corr_after"]])
        lo = np.array([t["ci_low_before"], t["ci_low_after"]])
        hi = np.array([t["ci_high_before"], t["ci_high_after"]])
        a2.errorbar(xs + (k - 0.5) * 0.15, est, yerr=[est - lo, hi - est], fmt="o", capsize=4,
                    color=col, label=lab)
    a2.set_xticks(xs, [ctx.L(f"{brk}年前", f"before {brk}"), ctx.L(f"{brk}年起", f"from {brk}")])
    a2.set_ylim(-1.05, 1.05)
    a2.axhline(0, color="grey", lw=0.8)
    a2.set_ylabel(ctx.L("增长相关系数 (95%区间)", "growth correlation (95% CI)"))
    a2.legend(fontsize=8)
    fig.tight_layout()
    return fig


@common.draws("scale")
def plot_s3c(r: Result, ctx):
    """The bay's GDP (and its share of the YRD 41); the focus city's share: nominal, real, population."""
    plt, fc = _plt()
    sc = r.data["scale"]
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(12, 4))
    if sc is not None:
        a1.bar(sc.index, sc["bay_gdp"] / 1e4, color="#1f77b4")
        a1b = a1.twinx()
        a1b.plot(sc.index, sc["bay_share_of_yrd41"], "k.-")
        a1b.set_ylabel(ctx.L("占长三角41城GDP (%)", "share of YRD-41 GDP (%)"))
        a1b.grid(False)
    a1.set_ylabel(ctx.L("环杭州湾7城GDP（万亿元）", "bay area GDP, 7 cities (trillion yuan)"))
    a1.set_title(ctx.L("环杭州湾地区经济规模（名义）", "Hangzhou Bay area: size (nominal)"),
                 loc="left", fontsize=10)
    for key, sty, col, lab in (("share", "o-", fc, ctx.L("名义GDP", "nominal GDP")),
                               ("share_real", "s--", "#555555", ctx.L("实际GDP", "real GDP")),
                               ("share_pop", "^:", "#2ca02c", ctx.L("常住人口", "resident population"))):
        s = r.data[key]
        a2.plot(s.index, s, sty, color=col, ms=3, label=lab)
    a2.set_ylabel(ctx.L("相对湾区城市合计 (%)", "% of the bay cities' total"))
    a2.set_title(ctx.L(f"{ctx.name(ctx.code)}相对环杭州湾城市的份额",
                       f"{ctx.name(ctx.code)} relative to the bay cities"), loc="left", fontsize=10)
    a2.legend(fontsize=8)
    fig.tight_layout()
    return fig


@common.draws("links", "shares", "trend")
def plot_s3d(r: Result, ctx):
    """Map of the last year's links (line width ∝ linkage) and the northward share over time."""
    plt, fc = _plt()
    links, sh, tr, focus = r.data["links"], r.data["shares"], r.data["trend"], ctx.code
    last = sh.index.max()
    lk = links[links["year"] == last]
    ref = regions.reference()
    fx, fy = ref.at[focus, "lon"], ref.at[focus, "lat"]
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(12, 5), gridspec_kw={"width_ratios": [1, 1.2]})
    wmax = lk["linkage"].max()
    for _, row in lk.iterrows():
        x, y = ref.at[row["region_code_j"], "lon"], ref.at[row["region_code_j"], "lat"]
        col = "#1f77b4" if row["group"] == "north" else "#ef6c00"
        a1.plot([fx, x], [fy, y], color=col, lw=0.8 + 9 * row["linkage"] / wmax, alpha=0.7)
        a1.scatter([x], [y], color=col, s=30, zorder=3)
        a1.annotate(ctx.name(row["region_code_j"]), (x, y), xytext=(4, 3),
                    textcoords="offset points", fontsize=8)
    a1.scatter([fx], [fy], color=fc, s=80, zorder=4, marker="*")
    a1.set_aspect(1 / np.cos(np.radians(fy)))
    a1.set_title(ctx.L(f"{last}年引力联系（线宽∝联系强度）", f"Gravity linkage {last} (width ∝ linkage)"),
                 loc="left", fontsize=10)
    yrs = sh.index.to_numpy()
    a2.plot(yrs, sh["north_share"], "o-", color="#1f77b4", label=ctx.L("北向份额", "northward share"))
    xx = yrs - yrs[0]
    a0 = sh["north_share"].mean() - tr.slope * xx.mean()
    a2.plot(yrs, a0 + tr.slope * xx, "--", color="grey",
            label=ctx.L(f"趋势 {tr.slope:+.3f} 个百分点/年", f"trend {tr.slope:+.3f} pp/yr"))
    a2.set_ylabel(ctx.L("北向联系份额 (%)", "northward share of linkage (%)"))
    a2.set_title(ctx.L("北向份额（焦点自身质量抵消）", "Northward share (the focus's own mass cancels)"),
                 loc="left", fontsize=10)
    a2.legend(fontsize=8)
    fig.tight_layout()
    return fig
