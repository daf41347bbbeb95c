"""β- and σ-convergence (Barro & Sala-i-Martin 1992; Barro & Sala-i-Martin, *Economic Growth*).

Cross-section β: g_i = (ln y_iT − ln y_i0)/T = a + b·ln y_i0 + e, with b = −(1 − e^{−βT})/T, so the
implied speed is β = −ln(1 + bT)/T and the half-life ln 2 / β. Panel β: Δln y_it = a_i + λ_t +
b·ln y_i,t−1 + e (unit FE; b → β = −ln(1 + b)); beware Nickell bias when T is short.
σ: dispersion (sd of ln y) across units per year; trend test and a unit-bootstrap CI for the change.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.regression.linear_model import OLS
from statsmodels.tools.tools import add_constant

from yrdlib.methods._common import (
    MethodError,
    SlopeEstimate,
    require_columns,
    require_variation,
)

__all__ = ["BetaResult", "SigmaResult", "beta_convergence", "beta_convergence_panel",
           "sigma_convergence"]


@dataclass
class BetaResult(SlopeEstimate):
    """Slope b with robust CI, implied annual speed β (and CI) and half-life in years."""

    kind: str
    years: tuple[int, int]
    speed: float
    speed_ci: tuple[float, float]
    half_life: float
    r2: float | None = None
    notes: list[str] = field(default_factory=list)


@dataclass
class SigmaResult:
    """σ per year, linear trend of σ (HAC SE) and the bootstrap CI of σ_end − σ_start."""

    table: pd.DataFrame
    trend: float
    trend_se: float
    trend_ci: tuple[float, float]
    trend_p: float
    change: float
    change_ci: tuple[float, float]
    change_p: float
    n_units: int
    years: tuple[int, int]


def _speed_from_b(b: float, T: float) -> float:
    x = 1 + b * T
    return float(-np.log(x) / T) if x > 0 else float("inf")


def _half_life(speed: float) -> float:
    return float(np.log(2) / speed) if speed > 0 else float("inf")


def _subset(df, value, unit, time, units, start, end):
    require_columns(df, [unit, time, value], "convergence panel")
    d = df[[unit, time, value]].copy()
    if units is not None:
        d = d[d[unit].isin(list(units))]
    d = d[(d[time] >= start) & (d[time] <= end)]
    if (d[value] <= 0).any():
        raise MethodError(f"{value} must be positive to take logs")
    d = d.dropna()
    d["_ly"] = np.log(d[value].astype(float))
    return d


def beta_convergence(
    df: pd.DataFrame, value: str, start: int, end: int, units=None,
    unit: str = "region_code", time: str = "year", cov: str = "HC3", alpha: float = 0.05,
) -> BetaResult:
    """Cross-section β-convergence between ``start`` and ``end`` (robust OLS, HC3 by default,
    which behaves better than HC1 with ~40 cities). b < 0 means poorer units grew faster."""
    if end <= start:
        raise MethodError("end must be after start")
    d = _subset(df, value, unit, time, units, start, end)
    w = d.pivot_table(index=unit, columns=time, values="_ly")
    if start not in w.columns or end not in w.columns:
        raise MethodError(f"need {value} in both {start} and {end}")
    w = w[[start, end]].dropna()
    if len(w) < 5:
        raise MethodError(f"only {len(w)} units with data in {start} and {end}; need >= 5")
    T = end - start
    g = (w[end] - w[start]) / T
    require_variation(w[start], f"initial log {value}", 5)
    res = OLS(g.to_numpy(), add_constant(w[start].to_numpy())).fit(cov_type=cov)
    b, se = float(res.params[1]), float(res.bse[1])
    lo, hi = res.conf_int(alpha)[1]
    sp = _speed_from_b(b, T)
    return BetaResult(b, se, float(lo), float(hi), float(res.pvalues[1]), len(w), "cross-section",
                      (start, end), sp, (_speed_from_b(hi, T), _speed_from_b(lo, T)),
                      _half_life(sp), float(res.rsquared))


def beta_convergence_panel(
    df: pd.DataFrame, value: str, start: int, end: int, units=None,
    unit: str = "region_code", time: str = "year", year_fe: bool = True, alpha: float = 0.05,
) -> BetaResult:
    """Panel β-convergence: annual log growth on lagged log level with unit (and year) FE,
    SE clustered by unit (pyfixest). Measures conditional convergence to each unit's own
    steady state; Nickell bias pushes b down when T is short (note it)."""
    import pyfixest as pf

    d = _subset(df, value, unit, time, units, start, end).sort_values([unit, time])
    d["_lag"] = d.groupby(unit)["_ly"].shift(1)
    d["_lagt"] = d.groupby(unit)[time].shift(1)
    d = d[d["_lagt"] == d[time] - 1].copy()
    d["_g"] = d["_ly"] - d["_lag"]
    if d[unit].nunique() < 3 or d[time].nunique() < 3:
        raise MethodError("panel β needs >= 3 units and >= 3 consecutive-year growth rates")
    require_variation(d["_g"], "annual growth", 5)
    d = d.rename(columns={unit: "_u", time: "_t"})
    fml = "_g ~ _lag | _u + _t" if year_fe else "_g ~ _lag | _u"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = pf.feols(fml, data=d, vcov={"CRV1": "_u"})
    b, se = float(fit.coef()["_lag"]), float(fit.se()["_lag"])
    G = d["_u"].nunique()
    tc = stats.t.ppf(1 - alpha / 2, G - 1)
    lo, hi = b - tc * se, b + tc * se
    sp = _speed_from_b(b, 1)
    return BetaResult(b, se, lo, hi, float(2 * stats.t.sf(abs(b / se), G - 1)), len(d),
                      "panel (unit FE)" + (" + year FE" if year_fe else ""), (start, end), sp,
                      (_speed_from_b(hi, 1), _speed_from_b(lo, 1)), _half_life(sp),
                      notes=[f"T = {d['_t'].nunique()} years: Nickell bias O(1/T) possible"])


def sigma_convergence(
    df: pd.DataFrame, value: str, start: int, end: int, units=None,
    unit: str = "region_code", time: str = "year", n_boot: int = 999, seed: int = 0,
    alpha: float = 0.05,
) -> SigmaResult:
    """σ_t = sd(ln y_it) over a fixed (balanced) set of units. Trend: OLS σ_t on t with
    Newey–West SE. Change σ_end − σ_start: bootstrap over units (pairs kept), percentile CI."""
    d = _subset(df, value, unit, time, units, start, end)
    w = d.pivot_table(index=unit, columns=time, values="_ly").dropna()
    if w.shape[0] < 3 or w.shape[1] < 3:
        raise MethodError(f"σ-convergence needs >= 3 units with all years and >= 3 years; "
                          f"have {w.shape[0]} units x {w.shape[1]} years")
    if start not in w.columns or end not in w.columns:
        raise MethodError(f"need data in {start} and {end}")
    sig = w.std(ddof=1)
    if (sig == 0).all():
        raise MethodError("no dispersion in any year")
    t = sig.index.to_numpy(dtype=float)
    res = OLS(sig.to_numpy(), add_constant(t)).fit(
        cov_type="HAC", cov_kwds={"maxlags": max(1, int(len(t) ** 0.25))})
    lo, hi = res.conf_int(alpha)[1]
    X = w[[start, end]].to_numpy()
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(X), size=(n_boot, len(X)))
    bs = X[idx]  # n_boot x n x 2
    ch = bs[:, :, 1].std(axis=1, ddof=1) - bs[:, :, 0].std(axis=1, ddof=1)
    change = float(sig[end] - sig[start])
    p = float(min(1.0, 2 * min((ch <= 0).mean(), (ch >= 0).mean())))
    table = pd.DataFrame({time: sig.index, "sigma": sig.to_numpy(), "n": len(w)})
    return SigmaResult(table, float(res.params[1]), float(res.bse[1]), (float(lo), float(hi)),
                       float(res.pvalues[1]), change,
                       (float(np.quantile(ch, alpha / 2)), float(np.quantile(ch, 1 - alpha / 2))),
                       p, len(w), (start, end))
