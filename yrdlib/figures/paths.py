"""Claim P's readings, tables and figure (notebooks/p_paths.ipynb), from the Results of
:mod:`yrdlib.claims.paths`."""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd

from yrdlib import vocab
from yrdlib.claims.paths import BAND
from yrdlib.claims.result import Result
from yrdlib.data import indicators as data_indicators


def reading(r: Result, lang: str = "both"):
    """The result's reading sentence as Markdown, in the notebook's language(s)."""
    from IPython.display import Markdown

    return Markdown(vocab.label(r.text_zh, r.text_en, lang, sep="  \n"))


def described(results: list[Result]) -> list[Result]:
    """The results that describe the focus city (a focus city outside the cluster gets 'not
    applicable' records without data; their evidence boxes say why)."""
    return [r for r in results if "table" in r.data]


def summary_table(results: list[Result]) -> pd.DataFrame:
    """One row per path: position and trend labels (both languages), level, trend, n."""
    rows = []
    for r in described(results):
        s, p = r.data["summary"], r.data["path"]
        rows.append({"路径 path": vocab.label(p.zh, p.en, sep=" "),
                     "位置 position": vocab.label(vocab.DESCRIPTIVE_ZH[s["position"]],
                                                  s["position"], sep=" "),
                     "百分位 percentile": s["level"],
                     "趋势 trend": vocab.label(vocab.DESCRIPTIVE_ZH[s["trend_label"]],
                                               s["trend_label"], sep=" "),
                     "变化 change": s["trend"], "最新年份 latest year": s["latest_year"],
                     "城市数 n": s["n"], "指标数 indicators": s["n_indicators"]})
    return pd.DataFrame(rows)


def indicator_table(results: list[Result]) -> pd.DataFrame:
    """Every path's per-indicator rows (the numbers behind the labels)."""
    cols = ["path_zh", "path_en", "indicator", "latest_year", "focus_value", "group_median",
            "pct_latest", "first_year", "pct_first", "delta_pct", "n", "status"]
    t = [r.data["table"] for r in described(results)]
    return (pd.concat(t, ignore_index=True) if t else pd.DataFrame()).reindex(columns=cols)


def robustness_table(results: list[Result]) -> pd.DataFrame:
    """Position and trend label of every path in every comparison group (rows: paths)."""
    out = {}
    for r in described(results):
        p = r.data["path"]
        out[vocab.label(p.zh, p.en, sep=" ")] = {
            vocab.label(g.group_zh, g.group_en, sep=" "):
                f"{g.position} / {g.trend_label}" + (f" ({g.level:.0f})" if np.isfinite(g.level)
                                                      else "")
            for g in r.data["by_group"].itertuples()}
    return pd.DataFrame(out).T


def plot_paths(results: list[Result], focus_name: str, group_name: str, lang: str = "both"):
    """One column of panels, one per path, so that the figure reads both at desktop width and
    at phone width (390 px): a dumbbell per indicator of the focus city's percentile (window
    start, hollow → latest year, filled) against the median band, the indicator's name above
    its row, the path's position / trend labels in the panel title; 'no data' panels name what
    would measure the path; the digital panel shows Yuhuan's bulletin points as points."""
    import matplotlib.pyplot as plt  # deferred: pyplot is ~0.3 s of kernel start-up, needed only to draw

    def L(zh, en, sep=" "):
        return vocab.label(zh, en, lang, sep=sep)

    def ilabel(k):
        try:
            return L(data_indicators.label(k, "zh"), data_indicators.label(k, "en"))
        except KeyError:  # not in the dictionary (a bulletin metric): show the key
            return k

    wrap = 50 if lang == "both" else 56

    def rows_of(r):
        t = r.data["table"]
        t = t[t["status"] == "ok"]
        pts = r.data.get("points")
        if len(t):
            return "ok", len(t)
        return ("points", 2) if pts is not None and len(pts) else ("none", 1)

    results = described(results)
    if not results:
        return None
    kinds = [rows_of(r) for r in results]
    heights = [0.95 + (1.05 * n if k == "ok" else 1.3 if k == "points" else 0.75)
               for k, n in kinds] + [1.3]
    fig = plt.figure(figsize=(6.0, sum(heights) + 0.3))
    gs = fig.add_gridspec(len(heights), 1, height_ratios=heights, hspace=0.42)
    red = "#c0392b"
    for i, (r, (kind, _)) in enumerate(zip(results, kinds, strict=True)):
        ax = fig.add_subplot(gs[i])
        p, s = r.data["path"], r.data["summary"]
        lab = L(vocab.DESCRIPTIVE_ZH[s["position"]], s["position"])
        if s["status"] == "ok":
            lab += " · " + L(vocab.DESCRIPTIVE_ZH[s["trend_label"]], s["trend_label"])
        ax.set_title(f"{L(p.zh, p.en)}:  {lab}", loc="left", fontsize=12.5, fontweight="bold",
                     pad=3)
        if kind == "points":
            pts = r.data["points"]
            for m, mk in zip(sorted(pts["metric"].unique()), "os", strict=False):
                d = pts[pts["metric"] == m]
                ax.plot(d["period"].astype(int), d["value"], mk, linestyle="none", markersize=7,
                        label=f"{m} ({d['unit'].iloc[0]})")
            yrs = sorted(pts["period"].astype(int).unique())
            ax.set_xlim(min(yrs) - 0.5, max(yrs) + 3.5)
            ax.set_xticks(yrs)
            lo, hi = float(pts["value"].min()), float(pts["value"].max())
            ax.set_ylim(lo - 0.15 * (hi - lo + 1), hi + 0.9 * (hi - lo + 1))
            ax.grid(False)
            ax.tick_params(labelsize=8.5)
            ax.legend(fontsize=9, loc="lower right", frameon=False)
            ax.text(0.01, 0.96, "\n".join(textwrap.wrap(
                L("玉环公报点值，非序列；无城市面板数据", "Yuhuan bulletin points, not a series; "
                  "no city-panel data"), 40)), transform=ax.transAxes, va="top", fontsize=9,
                color="#555")
            continue
        if kind == "none":
            ax.set_facecolor("#f2f2f2")
            miss = L("无数据，缺：" + p.missing_zh, "no data; missing: " + p.missing_en, sep="\n")
            ax.text(0.01, 0.5, "\n".join(textwrap.wrap(miss, wrap + 20)[:4]), va="center",
                    transform=ax.transAxes, fontsize=9.5, color="#444")
            ax.set_xticks([])
            ax.set_yticks([])
            continue
        t = r.data["table"]
        t = t[t["status"] == "ok"].reset_index(drop=True)
        ys = np.arange(len(t))[::-1].astype(float)
        ax.axvspan(50 - BAND, 50 + BAND, color="#e8e8e8", zorder=0)
        ax.axvline(50, color="#888", linestyle="--", linewidth=1)
        for y, row in zip(ys, t.itertuples(), strict=True):
            # the dictionary label says "EDGAR estimate, not official statistics" where it is one
            ax.text(0.5, y + 0.5, "\n".join(textwrap.wrap(ilabel(row.indicator), wrap)),
                    fontsize=10, va="top", ha="left")
            has_first = pd.notna(row.pct_first)
            if has_first:
                ax.annotate("", xy=(row.pct_latest, y - 0.12), xytext=(row.pct_first, y - 0.12),
                            arrowprops={"arrowstyle": "->", "color": red, "lw": 1.6})
                ax.plot(row.pct_first, y - 0.12, "o", mfc="white", mec=red, ms=7)
            ax.plot(row.pct_latest, y - 0.12, "o", color=red, ms=7)
            if has_first and abs(row.pct_latest - row.pct_first) >= 14:
                ax.text(row.pct_first, y - 0.42, str(int(row.first_year)), ha="center",
                        fontsize=9, color="#666")
                ax.text(row.pct_latest, y - 0.42, str(int(row.latest_year)), ha="center",
                        fontsize=9, color=red)
            else:
                yr = (f"{int(row.first_year)}→{int(row.latest_year)}" if has_first
                      else str(int(row.latest_year)))
                ax.text(row.pct_latest, y - 0.42, yr, ha="center", fontsize=9, color=red)
        ax.set_yticks([])
        ax.set_ylim(ys.min() - 0.5, ys.max() + 0.55)
        ax.set_xlim(0, 100)
        ax.set_xticks([0, 25, 50, 75, 100])
        ax.tick_params(labelsize=9, length=2, pad=1)
        ax.grid(False)
    ax = fig.add_subplot(gs[-1])
    ax.axis("off")
    legend = [L(f"红点：{focus_name}在{group_name}中的百分位（50 = 中位数，越高越好）",
                f"red: {focus_name}'s percentile among {group_name} (50 = median, higher = "
                "better)", sep="\n"),
              L("空心 → 实心：窗口起点 → 最新年份；灰带：中位数 ± " f"{BAND:g}",
                f"hollow → filled: window start → latest year; grey band: median ± {BAND:g}",
                sep="\n")]
    ax.text(0, 0.95, "\n".join(legend), va="top", fontsize=9.5, transform=ax.transAxes)
    fig.subplots_adjust(left=0.03, right=0.97, top=0.985, bottom=0.01)
    return fig
