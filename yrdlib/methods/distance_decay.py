"""Distance decay of innovation: outcome on distance to the nearest hub, with controls.

y_i = a + γ·f(d_i) + x_i'δ + e_i, with f = ln(km) or km/100 and d_i the great-circle distance
to the nearest hub; OLS with HC3 robust SEs (statsmodels; HC3 is safest with a few hundred cities
and leverage points). For a named focus unit the prediction, the prediction interval and the
residual say whether it sits above or below the fitted curve.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
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
from yrdlib.methods.gravity import haversine_km

__all__ = ["DecayResult", "distance_decay", "nearest_hub"]


@dataclass
class DecayResult(SlopeEstimate):
    r2: float
    distance: str
    params: pd.DataFrame
    data: pd.DataFrame  # unit, nearest hub, distance, fitted, residual
    focus: dict = field(default_factory=dict)


def nearest_hub(lon, lat, hubs: Mapping[str, tuple[float, float]]):
    """(name of nearest hub, distance km) for each point."""
    names = list(hubs)
    D = np.column_stack([haversine_km(lon, lat, *hubs[h]) for h in names])
    k = D.argmin(axis=1)
    return np.array(names)[k], D[np.arange(len(k)), k]


def distance_decay(
    df: pd.DataFrame, outcome: str, hubs: Mapping[str, tuple[float, float]],
    controls: Sequence[str] = (), log_controls: bool = True, distance: str = "log",
    focus=None, unit: str = "region_code", lon: str = "lon", lat: str = "lat",
    min_km: float = 10.0, exclude_hubs: bool = False, alpha: float = 0.05,
) -> DecayResult:
    """Cross-sectional distance-decay regression (one year). ``hubs`` maps name → (lon, lat).
    Distances below ``min_km`` (a city containing a hub) are floored at ``min_km`` so ln d is
    finite; ``exclude_hubs`` drops those units instead."""
    require_columns(df, [unit, outcome, lon, lat, *controls], "distance-decay data")
    if not hubs:
        raise MethodError("no hubs given")
    if distance not in ("log", "100km"):
        raise MethodError("distance must be 'log' or '100km'")
    d = df[[unit, outcome, lon, lat, *controls]].dropna().copy()
    name, km = nearest_hub(d[lon].to_numpy(float), d[lat].to_numpy(float), hubs)
    d["nearest_hub"], d["dist_km"] = name, km
    if exclude_hubs:
        d = d[d["dist_km"] >= min_km]
    d["_dist"] = np.log(np.maximum(d["dist_km"], min_km)) if distance == "log" else d["dist_km"] / 100
    X = d[["_dist"]].copy()
    for c in controls:
        if log_controls:
            if (d[c] <= 0).any():
                raise MethodError(f"control {c!r} has non-positive values; cannot log")
            X[f"ln_{c}"] = np.log(d[c].astype(float))
        else:
            X[c] = d[c].astype(float)
    require_variation(d[outcome], outcome, X.shape[1] + 3)
    require_variation(d["_dist"], "distance", X.shape[1] + 3)
    Xc = add_constant(X.astype(float))
    res = OLS(d[outcome].astype(float), Xc).fit(cov_type="HC3")
    lo, hi = res.conf_int(alpha).loc["_dist"]
    d["fitted"] = res.fittedvalues
    d["residual"] = res.resid
    params = pd.DataFrame({"coef": res.params, "se": res.bse, "p": res.pvalues})
    params.index = params.index.str.replace("_dist", f"distance ({distance})")
    out = DecayResult(float(res.params["_dist"]), float(res.bse["_dist"]), float(lo), float(hi),
                      float(res.pvalues["_dist"]), int(res.nobs), float(res.rsquared), distance,
                      params, d[[unit, "nearest_hub", "dist_km", outcome, "fitted", "residual"]])
    if focus is not None:
        fm = (d[unit] == focus).to_numpy()
        if fm.sum() != 1:
            raise MethodError(f"focus {focus!r} not found once in the estimation sample")
        pr = res.get_prediction(Xc[fm]).summary_frame(alpha=alpha).iloc[0]
        resid = float(d.loc[fm, "residual"].iloc[0])
        s = float(np.sqrt(res.scale))
        out.focus = {
            "unit": focus, "observed": float(d.loc[fm, outcome].iloc[0]),
            "predicted": float(pr["mean"]), "pi_low": float(pr["obs_ci_lower"]),
            "pi_high": float(pr["obs_ci_upper"]), "residual": resid,
            "std_residual": resid / s,
            "residual_percentile": float(stats.percentileofscore(d["residual"], resid)),
            "nearest_hub": str(d.loc[fm, "nearest_hub"].iloc[0]),
            "dist_km": float(d.loc[fm, "dist_km"].iloc[0]),
        }
    return out
