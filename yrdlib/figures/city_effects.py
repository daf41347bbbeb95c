"""Figures of the city-level effects (:mod:`yrdlib.claims.city_effects`): a ranked dot plot of
every treated city's effect with its placebo-in-space interval, and a map of the same (city
centroids from data/raw/geography, coloured by the effect, sized by |effect| / placebo SD),
the focus city highlighted, labels in the plotting language (:func:`yrdlib.vocab.label`)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from yrdlib import plotting, regions, vocab
from yrdlib.claims import city_effects
from yrdlib.figures import common

__all__ = ["effect_map", "figure", "ranked_plot"]

_PROV_COLOURS = {"31": "#8c564b", "32": "#1f77b4", "33": "#2ca02c", "34": "#9467bd"}


def _res(res_or_hid):

    return city_effects.city_effects(res_or_hid) if isinstance(res_or_hid, str) else res_or_hid


def _cols(window: bool, res: dict) -> tuple[str, str, str, str]:
    s = f"_w{res['window']}" if window else ""
    return f"estimate{s}", f"ci_low{s}", f"ci_high{s}", f"p{s}"


def _unit(res: dict, lang: str) -> str:
    if res["unit"] == "log points":
        return vocab.label("对数点", "log points", lang)
    return vocab.label("百分点", "percentage points", lang)


def ranked_plot(res_or_hid, focus: str | None = None, ax=None, lang: str = "both",
                window: bool = False):
    """Treated cities ranked by their effect, each with its 95 % placebo interval, coloured by
    province; the pooled ATT dashed, zero grey, the focus city red and bold. ``window`` plots
    the first-years variant."""
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    res = _res(res_or_hid)
    est, lo, hi, _ = _cols(window, res)
    t = res["table"].sort_values(est).reset_index(drop=True)
    fcode = regions.resolve(focus).code if focus else None
    if ax is None:
        _, ax = plt.subplots(figsize=(6.5, 0.24 * len(t) + 1.6))
    names = t["name_zh"] if lang == "zh" else t["name_en"] if lang == "en" else \
        t["name_zh"] + " " + t["name_en"]
    for i, r in t.iterrows():
        is_focus = r["region_code"] == fcode
        col = plotting.FOCUS_COLOUR if is_focus else _PROV_COLOURS.get(str(r["province"]), "#555")
        a, b = r[lo], r[hi]
        ax.plot([max(a, -1e9), min(b, 1e9)], [i, i], color=col, lw=2.4 if is_focus else 1.4,
                alpha=0.9)
        ax.plot([r[est]], [i], "o", color=col, ms=7 if is_focus else 5, zorder=3)
    ax.axvline(0, color="grey", lw=0.8)
    ax.axvline(res["att"], color="black", lw=0.9, ls="--")
    ax.set_yticks(range(len(t)), names, fontsize=7)
    for tick, code in zip(ax.get_yticklabels(), t["region_code"], strict=True):
        if code == fcode:
            tick.set_color(plotting.FOCUS_COLOUR)
            tick.set_fontweight("bold")
    handles = [Line2D([], [], color=c, marker="o", lw=1.4,
                      label=vocab.label(regions.province_name(p, "zh"),
                                        regions.province_name(p, "en"), lang, sep=" "))
               for p, c in _PROV_COLOURS.items() if p in set(t["province"].astype(str))]
    handles.append(Line2D([], [], color="black", ls="--",
                          label=vocab.label("合并估计", "pooled ATT", lang, sep=" ")
                          + f" {res['att']:.3g}"))
    ax.legend(handles=handles, fontsize=7, loc="lower right", frameon=False)
    span = (vocab.label(f"前 {res['window']} 个处理年", f"first {res['window']} treated years",
                        lang, sep=" ") if window else
            vocab.label("全部处理年", "all treated years", lang, sep=" "))
    ax.set_xlabel(vocab.label("城市效应与 95% 安慰剂区间", "city effect and 95% placebo interval",
                              lang, sep=" ") + f" [{_unit(res, lang)}]", fontsize=8)
    ax.set_title(vocab.label(f"{res['hid']} 各成员城市的效应（{span}）",
                             f"{res['hid']}: each member's effect ({span})", lang),
                 loc="left", fontsize=9)
    return ax


def effect_map(res_or_hid, focus: str | None = None, ax=None, lang: str = "both",
               window: bool = False):
    """Treated cities at their centroids, coloured by the effect (diverging, centred on 0),
    sized by |effect| / placebo SD; the other cities of their provinces as grey dots, province
    names at the provinces' centres, the focus city ringed."""
    import matplotlib.pyplot as plt
    from matplotlib.colors import TwoSlopeNorm

    res = _res(res_or_hid)
    est, _, _, _ = _cols(window, res)
    ref = regions.reference()
    t = res["table"].join(ref[["lon", "lat"]], on="region_code")
    t = t[t["lon"].notna() & t["lat"].notna()]
    provs = sorted(set(t["province"].astype(str)))
    others = ref[(ref["level"] == "prefecture") & ref["province_code"].str[:2].isin(provs)
                 & ~ref.index.isin(t["region_code"]) & ref["valid_to"].isna()
                 & ref["lon"].notna()]
    if ax is None:
        _, ax = plt.subplots(figsize=(6.5, 6))
    ax.scatter(others["lon"], others["lat"], s=12, color=plotting.NO_DATA_COLOUR, zorder=1,
               label=vocab.label("非处理城市", "not treated", lang, sep=" "))
    v = t[est].astype(float)
    m = float(np.nanmax(np.abs(v))) or 1.0
    z = (v.abs() / t["se_placebo"]).clip(upper=4).fillna(0)
    sc = ax.scatter(t["lon"], t["lat"], c=v, cmap="RdBu_r", norm=TwoSlopeNorm(0, -m, m),
                    s=25 + 60 * z, edgecolor="#333", linewidth=0.4, zorder=3)
    cb = plt.colorbar(sc, ax=ax, shrink=0.7, pad=0.02)
    cb.set_label(vocab.label("城市效应", "city effect", lang, sep=" ") + f" [{_unit(res, lang)}]")
    for p in provs:
        sub = ref[(ref["province_code"].str[:2] == p) & ref["lon"].notna()
                  & (ref["level"] == "prefecture")]
        if len(sub):
            ax.text(sub["lon"].mean(), sub["lat"].max() + 0.25,
                    vocab.label(regions.province_name(p, "zh"), regions.province_name(p, "en"),
                                lang, sep=" "),
                    ha="center", fontsize=9, color="#444", alpha=0.8)
    if focus:
        fcode = regions.resolve(focus).code
        f = ref.loc[fcode] if fcode in ref.index else None
        if f is not None and pd.notna(f["lon"]):
            ax.scatter([f["lon"]], [f["lat"]], s=260, facecolor="none",
                       edgecolor=plotting.FOCUS_COLOUR, linewidth=2, zorder=5)
            ax.annotate(vocab.label(f["short_zh"], f["name_en"], lang, sep=" "),
                        (f["lon"], f["lat"]), xytext=(8, -12), textcoords="offset points",
                        color=plotting.FOCUS_COLOUR, fontsize=9, zorder=6)
    if len(t):
        ax.set_aspect(1 / math.cos(math.radians(float(t["lat"].mean()))), adjustable="datalim")
    ax.set_xlabel(vocab.label("经度", "longitude", lang, sep=" ") + " (°E)")
    ax.set_ylabel(vocab.label("纬度", "latitude", lang, sep=" ") + " (°N)")
    ax.set_title(vocab.label(f"{res['hid']} 城市效应地图（点大小 = |效应| / 安慰剂标准差）",
                             f"{res['hid']} city effects (dot size = |effect| / placebo SD)",
                             lang), loc="left", fontsize=9)
    return ax


def figure(res_or_hid, focus: str | None = None, lang: str = "both", window: bool = False):
    """The ranked plot and the map side by side (one figure for a report)."""
    import matplotlib.pyplot as plt

    res = _res(res_or_hid)
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(13, max(6.0, 0.24 * len(res["table"]) + 1.6)),
                                 gridspec_kw={"width_ratios": [1, 1.1]})
    ranked_plot(res, focus, a1, lang, window)
    effect_map(res, focus, a2, lang, window)
    fig.tight_layout()
    return fig


@common.draws("res")
def present(r, ctx):
    """A city-level hypothesis (S1.e, S2.h, S4.g) in its report, the same in every notebook:
    the ranked plot and map, every treated city's row, the heterogeneity test (first five
    treated years: horizons comparable across cohorts) and the reading; returns the figure."""
    from IPython.display import Markdown, display

    res = r.data["res"]
    fig = figure(res, focus=ctx.code, lang=ctx.lang)
    tr = res.get("treatment", "association")
    display(city_effects.city_table(res["hid"], tr),
            city_effects.heterogeneity(res["hid"], window=True, treatment=tr))
    display(Markdown(ctx.L(r.text_zh, r.text_en)))
    return fig
