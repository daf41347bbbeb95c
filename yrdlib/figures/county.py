"""The Yuhuan profile's county tables, figure and readings (notebooks/yuhuan_profile.ipynb), from
the results of :mod:`yrdlib.claims.county`."""

from __future__ import annotations

import numpy as np
import pandas as pd

from yrdlib import vocab
from yrdlib.claims.county import GROUP_LABELS, Matching, matching_summary
from yrdlib.claims.result import Result


# ------------------------------------------------------------------------------ presentation
def changes_table(res: Result, lang: str = "both") -> pd.DataFrame:
    """The notebook's table: one row per measure, Yuhuan and the groups' medians [IQR] (n)."""
    t = res.data["table"]
    out = pd.DataFrame({"指标 measure": t["measure_zh"] + " / " + t["measure_en"],
                        "玉环 Yuhuan": t["yuhuan"].map(_fmt)})
    for k in ("taizhou", "yrd41", "coastal"):
        zh, en = GROUP_LABELS[k]
        out[f"{zh} {en}: 中位数 [四分位距] (n)"] = [
            f"{_fmt(m)} [{_fmt(a)}, {_fmt(b)}] ({n})" for m, a, b, n in
            zip(t[f"{k}_median"], t[f"{k}_q25"], t[f"{k}_q75"], t[f"{k}_n"])]
    return out


def _fmt(x) -> str:
    if x is None or not np.isfinite(x):
        return "—"
    return f"{x:,.0f}" if abs(x) >= 1000 else f"{x:.2f}"


def plot_changes(res: Result, pos: dict | None = None):
    """Log change of residents: each group's units as a strip, Yuhuan marked; and, if given,
    Yuhuan's gap against its matched counties with the placebo interval."""
    import matplotlib.pyplot as plt

    gs = res.data["groups"]
    fig, axes = plt.subplots(2 if pos else 1, 1, figsize=(7.5, 7 if pos else 3.6), squeeze=False)
    ax = axes[0, 0]
    keys = ["taizhou", "yrd41", "coastal"]
    rng = np.random.default_rng(0)
    for i, k in enumerate(keys):
        v = gs[k]["dlog_pop"].dropna().to_numpy()
        ax.scatter(v, i + rng.uniform(-0.15, 0.15, len(v)), s=8, alpha=0.5, color="#888")
        ax.plot([np.median(v)] * 2, [i - 0.3, i + 0.3], color="k", lw=2)
    yv = float(gs["yuhuan"]["dlog_pop"].iloc[0])
    ax.axvline(yv, color="#c0392b", lw=2, label=f"玉环 Yuhuan {yv:.1f}")
    ax.set_yticks(range(3), ["\n".join(GROUP_LABELS[k]) for k in keys], fontsize=8)
    ax.set_xlabel("常住人口对数变化×100，2010→2020 · residents, 100×Δln (each dot a unit)")
    ax.legend(fontsize=8, loc="lower right")
    if pos:
        ax = axes[1, 0]
        ax.hist(pos["placebo"], bins=40, color="#bbb")
        ax.axvline(pos["gap"], color="#c0392b", lw=2,
                   label=f"玉环 gap {pos['gap']:.1f} [{pos['ci_low']:.1f}, {pos['ci_high']:.1f}]")
        ax.set_xlabel(f"与 {pos['k']} 个最近邻之差（灰：安慰剂县）· gap to the {pos['k']} nearest "
                      "matches (grey: placebo counties)")
        ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def matching_reading(m: Matching) -> tuple[str, str]:
    s = matching_summary(m)
    n = s["comparable units"]
    zh = (f"2010 年 {int(s[2010].sum()):,} 个、2020 年 {int(s[2020].sum()):,} 个县级单位："
          f"代码相同且无区划事件 {n['unchanged']:,} 个；仅改名或改代码（撤县设市/设区）{n['recoded']:,} 个；"
          f"经事件一对一连接 {n['event_1to1']} 个；边界调整后合并计算 {n['summed']} 组"
          f"（2010 年 {s.at['summed', 2010]} 个、2020 年 {s.at['summed', 2020]} 个单位）；"
          f"含单边单位（多为 2020 年功能区）的地级市整体比较 {n['prefecture_sum']} 个"
          f"（{s.at['prefecture_sum', 2010]} / {s.at['prefecture_sum', 2020]} 个单位）；"
          f"无法闭合而剔除 {n['dropped']} 组；未匹配 {s.at['unmatched', 2010]} / "
          f"{s.at['unmatched', 2020]} 个（巢湖所辖县、儋州、三亚新设区、兵团城市等，列出而不猜测）。")
    en = (f"{int(s[2010].sum()):,} county-level units in 2010 and {int(s[2020].sum()):,} in 2020: "
          f"{n['unchanged']:,} keep their code with no event; {n['recoded']:,} were only renamed or "
          f"recoded (撤县设市/设区); {n['event_1to1']} are linked one-to-one by an event; "
          f"{n['summed']} groups are compared as the sum of their parts ({s.at['summed', 2010]} units "
          f"of 2010, {s.at['summed', 2020]} of 2020); {n['prefecture_sum']} prefectures holding a "
          f"unit of one census only (mostly a 2020 development zone) are compared as a whole "
          f"({s.at['prefecture_sum', 2010]} / {s.at['prefecture_sum', 2020]} units); "
          f"{n['dropped']} groups are dropped (territory to or from a unit neither census holds); "
          f"{s.at['unmatched', 2010]} / {s.at['unmatched', 2020]} units are unmatched "
          f"(巢湖's counties, 儋州, 三亚's new districts, the corps "
          "cities of Xinjiang ...): listed, not guessed.")
    return zh, en


def position_reading(pos: dict) -> tuple[str, str]:
    en = (f"Yuhuan's residents changed by {pos['yuhuan']:.1f} log points ×100, its {pos['k']} nearest "
          f"coastal counties outside the YRD (on 2010 size, migrants, manufacturing, urban and "
          f"working-age shares) by {pos['matched_mean']:.1f}: a gap of {pos['gap']:.1f} (95% placebo "
          f"interval {pos['ci_low']:.1f} to {pos['ci_high']:.1f}; {pos['n_pool']} placebo counties, "
          f"p = {pos['p_value']:.2f}). A description, not a test.")
    zh = (f"玉环常住人口对数变化×100 为 {pos['yuhuan']:.1f}，其 {pos['k']} 个最近邻"
          "（长三角外沿海县与县级市，按 2010 年规模、外来人口、制造业、城镇化与劳动年龄人口占比匹配）为 "
          f"{pos['matched_mean']:.1f}：差距 {pos['gap']:.1f}"
          f"（95% 安慰剂区间 {pos['ci_low']:.1f} 至 {pos['ci_high']:.1f}，{pos['n_pool']} 个安慰剂县，"
          f"p = {pos['p_value']:.2f}）。此为描述，不是检验。")
    return zh, en


def test_reading(ev) -> tuple[str, str]:
    """The S2.g record in one paragraph (the record itself is shown in the S2 notebook)."""
    rows = "; ".join(f"{s['name']}: {s['estimate']:.1f} [{s['ci_low']:.1f}, {s['ci_high']:.1f}], "
                     f"p = {s['p_value']:.3f}" for s in ev.sensitivity)
    en = (f"**S2.g ({ev.verdict})** difference {ev.estimate:.1f} log points ×100, 95% interval "
          f"{ev.ci_low:.1f} to {ev.ci_high:.1f}, p = {ev.p_value:.3f}, n = {ev.n}. {ev.reason_en} "
          f"Robustness rows: {rows}.")

    zh = (f"**S2.g（{vocab.VERDICT_ZH.get(ev.verdict, ev.verdict)}）** 差值 {ev.estimate:.1f}"
          f"（对数×100），95% 区间 {ev.ci_low:.1f} 至 "
          f"{ev.ci_high:.1f}，p = {ev.p_value:.3f}，n = {ev.n}。{ev.reason_zh}")
    return zh, en
