"""Rank-size (Zipf) exponent with the Gabaix & Ibragimov (2011) correction.

ln(rank − 1/2) = a − ζ·ln(size): the −1/2 shift removes the small-sample bias of the naive
ln(rank) regression, and the standard error is |ζ|·sqrt(2/n) (OLS SEs are far too small because
ranks are not independent). ζ = 1 is Zipf's law; ζ > 1 means a more even city-size distribution.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from yrdlib.methods._common import MethodError, require_columns

__all__ = ["ZipfResult", "zipf_by_year", "zipf_exponent"]


@dataclass
class ZipfResult:
    exponent: float
    se: float
    ci_low: float
    ci_high: float
    n: int
    naive_exponent: float
    naive_se: float
    naive_ci_low: float
    naive_ci_high: float
    r2: float


def zipf_exponent(sizes, top: int | None = None, alpha: float = 0.05) -> ZipfResult:
    """Zipf exponent ζ (reported positive) for the ``top`` largest sizes (all if None)."""
    from scipy import stats

    s = np.asarray(pd.Series(sizes).dropna(), dtype=float)
    if (s <= 0).any():
        raise MethodError("sizes must be positive")
    s = np.sort(s)[::-1]
    if top is not None:
        s = s[:top]
    n = len(s)
    if n < 3:
        raise MethodError(f"only {n} sizes; need >= 3 for a rank-size regression")
    if np.ptp(s) == 0:
        raise MethodError("all sizes are equal; the rank-size slope is undefined")
    x = np.log(s)
    r = np.arange(1, n + 1)
    z = stats.norm.ppf(1 - alpha / 2)
    gi = np.polyfit(x, np.log(r - 0.5), 1)
    zeta = -gi[0]
    se = abs(zeta) * np.sqrt(2 / n)
    yv = np.log(r)
    nv = stats.linregress(x, yv)
    return ZipfResult(float(zeta), float(se), float(zeta - z * se), float(zeta + z * se), n,
                      float(-nv.slope), float(nv.stderr), float(-nv.slope - z * nv.stderr),
                      float(-nv.slope + z * nv.stderr), float(nv.rvalue**2))


def zipf_by_year(df: pd.DataFrame, value: str, units=None, top: int | None = None,
                 unit: str = "region_code", time: str = "year", alpha: float = 0.05) -> pd.DataFrame:
    """ζ per year (one row per year, GI and naive estimates with CIs); years with < 3 units are
    skipped and listed in ``attrs['skipped']``."""
    require_columns(df, [unit, time, value], "rank-size panel")
    d = df if units is None else df[df[unit].isin(list(units))]
    rows, skipped = [], []
    for t, g in d.groupby(time):
        try:
            rows.append({time: t, **zipf_exponent(g[value], top, alpha).__dict__})
        except MethodError as e:
            skipped.append((int(t) if isinstance(t, (int, np.integer)) else t, str(e)))
    if not rows:
        raise MethodError(f"no year with enough data: {skipped[:3]}")
    out = pd.DataFrame(rows)
    out.attrs["skipped"] = skipped
    return out
