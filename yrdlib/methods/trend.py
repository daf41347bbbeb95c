"""Linear time trend of a short annual series with Newey–West (HAC) standard errors: the slope
per year of a share, a gap or an index, with an interval that allows for serial correlation."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from yrdlib.methods._common import MethodError, SlopeEstimate


@dataclass
class Trend(SlopeEstimate):
    first: float
    last: float
    years: tuple[int, int]


def time_trend(y: pd.Series, maxlags: int | None = None, alpha: float = 0.05,
               min_n: int = 4) -> Trend:
    """OLS of y on the year (index) with Newey–West SEs; lag length floor(4(n/100)^(2/9))
    unless given (Newey & West 1994). The interval uses t(n-2). Missing years are dropped, not
    filled; fewer than `min_n` years is a MethodError."""
    from statsmodels.regression.linear_model import OLS
    from statsmodels.tools.tools import add_constant

    y = pd.Series(y).dropna().astype(float).sort_index()
    n = len(y)
    if n < min_n:
        raise MethodError(f"a trend needs at least {min_n} years with data, got {n}")
    if float(y.std()) == 0.0:
        raise MethodError("the series is constant: no trend to estimate")
    x = add_constant(np.asarray(y.index, float) - float(y.index[0]))
    lags = maxlags if maxlags is not None else int(np.floor(4 * (n / 100) ** (2 / 9)))
    r = OLS(y.to_numpy(), x).fit(cov_type="HAC", cov_kwds={"maxlags": max(lags, 1)})
    b, se = float(r.params[1]), float(r.bse[1])
    t = stats.t.ppf(1 - alpha / 2, n - 2)
    p = float(2 * stats.t.sf(abs(b / se), n - 2)) if se > 0 else 0.0
    return Trend(b, se, b - t * se, b + t * se, p, n, float(y.iloc[0]), float(y.iloc[-1]),
                 (int(y.index[0]), int(y.index[-1])))
