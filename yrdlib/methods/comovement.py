"""Co-movement of growth between a focus region and a group, before and after a break year.

Pearson correlation of growth in two windows, with moving-block bootstrap CIs (Künsch 1989) that
keep short-run serial dependence, plus a Fisher-z interval for comparison, and a bootstrap CI for
corr_after − corr_before. With ~10 years per window these intervals are wide: a small n is a
limitation of the data, not something the bootstrap can fix.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from yrdlib.methods._common import MethodError, is_constant, require_columns

__all__ = ["ComovementResult", "block_bootstrap_corr", "comovement"]


@dataclass
class ComovementResult:
    """``table`` has one row per partner (or the group mean) with before/after correlations,
    their CIs, and the difference with its CI and bootstrap p-value."""

    table: pd.DataFrame
    break_year: int
    windows: dict
    block_length: int
    n_boot: int
    notes: list[str] = field(default_factory=list)


def _corr(x, y):
    xc, yc = x - x.mean(axis=-1, keepdims=True), y - y.mean(axis=-1, keepdims=True)
    den = np.sqrt((xc**2).sum(-1) * (yc**2).sum(-1))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, (xc * yc).sum(-1) / den, np.nan)


def _block_indices(n, L, n_boot, rng):
    nb = int(np.ceil(n / L))
    starts = rng.integers(0, n - L + 1, size=(n_boot, nb))
    idx = (starts[:, :, None] + np.arange(L)[None, None, :]).reshape(n_boot, -1)[:, :n]
    return idx


def block_bootstrap_corr(x, y, n_boot=1999, block_length=None, seed=0):
    """Moving-block bootstrap draws of corr(x, y); NaN draws (constant resample) dropped."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    n = len(x)
    L = block_length or max(1, round(n ** (1 / 3)))
    idx = _block_indices(n, min(L, n), n_boot, np.random.default_rng(seed))
    r = _corr(x[idx], y[idx])
    return r, L


def _fisher_ci(r, n, z=1.959964):
    if n <= 3 or not np.isfinite(r) or abs(r) >= 1:
        return np.nan, np.nan
    zr, s = np.arctanh(r), 1 / np.sqrt(n - 3)
    return float(np.tanh(zr - z * s)), float(np.tanh(zr + z * s))


def comovement(
    df: pd.DataFrame, value: str, focus, group, break_year: int, window: int | None = None,
    mode: str = "mean", growth: bool = True, unit: str = "region_code", time: str = "year",
    n_boot: int = 1999, block_length: int | None = None, seed: int = 0, alpha: float = 0.05,
    min_years: int = 5,
) -> ComovementResult:
    """Correlation of the focus's growth with the group's (``mode="mean"``: group mean growth;
    ``"each"``: every member) in [break−window, break−1] and [break, break+window−1].

    ``growth=True`` turns levels into log growth first; else ``value`` already is a growth rate.
    """
    require_columns(df, [unit, time, value], "co-movement panel")
    if mode not in ("mean", "each"):
        raise MethodError("mode must be 'mean' or 'each'")
    group = [g for g in group if g != focus]
    w = df.pivot_table(index=time, columns=unit, values=value).sort_index()
    missing = [u for u in [focus, *group] if u not in w.columns]
    if missing:
        raise MethodError(f"units not in data: {missing}")
    w = w[[focus, *group]]
    if growth:
        if (w <= 0).any().any():
            raise MethodError(f"{value} must be positive to compute log growth")
        yrs = w.index.to_numpy()
        w = np.log(w).diff()
        w = w[np.r_[False, np.diff(yrs) == 1]]  # only consecutive-year growth
    series = {"group mean": w[group].mean(axis=1)} if mode == "mean" else {g: w[g] for g in group}
    f = w[focus]
    notes = []
    wins = {}
    rows = []
    for name, s in series.items():
        ok = f.notna() & s.notna()
        before = ok & (f.index < break_year)
        after = ok & (f.index >= break_year)
        if window is not None:
            before &= f.index >= break_year - window
            after &= f.index < break_year + window
        nb, na = int(before.sum()), int(after.sum())
        if min(nb, na) < min_years:
            raise MethodError(f"{name}: {nb} years before and {na} after {break_year}; "
                              f"need >= {min_years} in each window")
        xb, yb, xa, ya = f[before].to_numpy(), s[before].to_numpy(), f[after].to_numpy(), s[after].to_numpy()
        for arr, lab in ((xb, "focus before"), (yb, f"{name} before"), (xa, "focus after"),
                         (ya, f"{name} after")):
            if is_constant(arr):
                raise MethodError(f"{lab}: constant growth series, correlation undefined")
        rb, ra = float(_corr(xb, yb)), float(_corr(xa, ya))
        bb, L = block_bootstrap_corr(xb, yb, n_boot, block_length, seed)
        ba, _ = block_bootstrap_corr(xa, ya, n_boot, block_length, seed + 1)
        dd = ba - bb
        keep = np.isfinite(dd)
        if keep.mean() < 0.9:
            notes.append(f"{name}: {(~keep).sum()} degenerate bootstrap draws dropped")
        q = (alpha / 2, 1 - alpha / 2)
        lo_b, hi_b = np.nanquantile(bb, q)
        lo_a, hi_a = np.nanquantile(ba, q)
        lo_d, hi_d = np.quantile(dd[keep], q)
        p_d = float(min(1.0, 2 * min((dd[keep] <= 0).mean(), (dd[keep] >= 0).mean())))
        fb, fa = _fisher_ci(rb, nb), _fisher_ci(ra, na)
        rows.append({
            "partner": name, "n_before": nb, "corr_before": rb, "ci_low_before": lo_b,
            "ci_high_before": hi_b, "n_after": na, "corr_after": ra, "ci_low_after": lo_a,
            "ci_high_after": hi_a, "diff": ra - rb, "diff_ci_low": lo_d, "diff_ci_high": hi_d,
            "diff_p": p_d, "fisher_before": fb, "fisher_after": fa,
        })
        wins[name] = ((int(f.index[before].min()), int(f.index[before].max())),
                      (int(f.index[after].min()), int(f.index[after].max())))
    notes.append("small-sample: about one observation per year in each window; "
                 "bootstrap CIs are approximate")
    return ComovementResult(pd.DataFrame(rows), break_year, wins, L, n_boot, notes)
