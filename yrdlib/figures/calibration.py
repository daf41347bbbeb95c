"""The calibration's power curves and the summary `yrd calibrate` writes to docs/calibration/
(runs.csv, summary.csv, power.png), from the runs of :mod:`yrdlib.claims.calibration`."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from yrdlib import plotting
from yrdlib.claims.calibration import SD_LEVELS, SUMMARY_DIR, summary


def plot_power(summ: pd.DataFrame, ax=None):
    """Power curves: share of runs judged supported against the planted effect (0 = size)."""
    import matplotlib.pyplot as plt  # deferred: pyplot is ~0.3 s of kernel start-up, needed only to draw

    if ax is None:
        _, ax = plt.subplots(figsize=(6.4, 3.8))
    xs = [0.0, *SD_LEVELS]
    for _, r in summ.iterrows():
        ys = [r["size"], *[r[f"power_{lv:g}sd"] for lv in SD_LEVELS]]
        ax.plot(xs, ys, "o-", label=r["hypothesis"])
    ax.axhline(0.05, color="grey", ls="--", lw=0.8)
    ax.axhline(0.8, color="grey", ls=":", lw=0.8)
    ax.set_xticks(xs)
    ax.set_xlabel("planted effect (within-city SDs of annual change) · 植入效应（城市内年变化标准差倍数）",
                  fontsize=8)
    ax.set_ylabel("share judged supported · 判为支持的比例", fontsize=8)
    ax.set_ylim(-0.02, 1.02)
    ax.legend(fontsize=8, loc="upper left")
    ax.set_title("Calibration of the verdict rule on the real panel · 判定规则在真实面板上的校准",
                 fontsize=9, loc="left")
    return ax


def write_summary(runs: pd.DataFrame, folder: Path = SUMMARY_DIR) -> pd.DataFrame:
    """docs/calibration/runs.csv and summary.csv (with the data version) and power.png."""
    import matplotlib.pyplot as plt  # deferred: pyplot is ~0.3 s of kernel start-up, needed only to draw

    plotting.setup("both")  # the CJK font (Noto Sans SC from the font package)
    folder.mkdir(parents=True, exist_ok=True)
    summ = summary(runs)
    summ.insert(0, "data_key", runs["data_key"].iloc[0])
    runs.to_csv(folder / "runs.csv", index=False)
    summ.to_csv(folder / "summary.csv", index=False)
    ax = plot_power(summ)
    ax.figure.tight_layout()
    ax.figure.savefig(folder / "power.png", dpi=130)
    plt.close(ax.figure)
    return summ
