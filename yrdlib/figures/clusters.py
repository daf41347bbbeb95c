"""Figures of the all-plan staggered design (notebooks/x_clusters.ipynb): each takes the tables
of :mod:`yrdlib.claims.clusters` and returns the matplotlib figure."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd


def _label(r, col: str) -> str:
    """A short row label: the cluster's name, its cohort and its treated cities."""
    name = re.sub(r"\s*(city cluster|\(.*\))$", "", str(r[col])).strip()
    if np.isfinite(r["cohort"]):
        return f"{name[:30]} ({int(r['cohort'])}, n={int(r['treated_cities'])})"
    if r["cluster_en"] == "all plans (pooled)":
        return f"{name} (n={int(r['treated_cities'])})"
    return name[:30]


def forest_plot(table: pd.DataFrame, lang: str = "en"):
    """One panel per test: the pooled estimate (diamond, design-based interval) on top, each
    cluster below (dot, city-clustered interval); clusters without a row are listed greyed with
    "n/a"."""
    import matplotlib.pyplot as plt  # deferred: pyplot is ~0.3 s of kernel start-up, needed only to draw

    tests = list(dict.fromkeys(table["hypothesis"]))
    n = table.groupby("hypothesis").size().max()
    fig, axes = plt.subplots(1, len(tests), figsize=(4.2 * len(tests), 0.32 * n + 1.4),
                             sharey=True, squeeze=False)
    for ax, hid in zip(axes[0], tests, strict=True):
        t = table[table["hypothesis"] == hid].reset_index(drop=True)
        ys = np.arange(len(t))[::-1]
        for y, (_, r) in zip(ys, t.iterrows(), strict=True):
            if not r["applicable"] or not np.isfinite(r["estimate"]):
                ax.text(0.02, y, "n/a", transform=ax.get_yaxis_transform(), va="center",
                        fontsize=7, color="0.6")
                continue
            pooled = r["cluster_en"] == "all plans (pooled)"
            lo, hi = r["ci_low"], r["ci_high"]
            ax.plot([lo if np.isfinite(lo) else r["estimate"], hi if np.isfinite(hi)
                     else r["estimate"]], [y, y], color="C3" if pooled else "C0", lw=2 if pooled else 1)
            ax.plot(r["estimate"], y, "D" if pooled else "o", color="C3" if pooled else "C0",
                    ms=7 if pooled else 4)
        ax.axvline(0, color="0.4", lw=0.8, ls="--")
        ax.set_title(f"{hid} ({t['unit'].iloc[0]})", fontsize=9, loc="left")
        ax.set_yticks(ys)
        col = "cluster_zh" if lang == "zh" else "cluster_en"
        ax.set_yticklabels([_label(r, col) for _, r in t.iterrows()], fontsize=7)
        ax.tick_params(axis="x", labelsize=7)
    fig.suptitle("City-cluster plans as a staggered design: pooled effect (red, design-based 95 % "
                 "interval) and each cluster (blue, city-clustered 95 %)", fontsize=9, x=0.01,
                 ha="left")
    fig.tight_layout()
    return fig
