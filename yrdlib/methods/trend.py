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


# ------------------------------------------------------------------ a trend used as a test
MIN_TEST_POINTS = 8
"""Fewest annual points on which a trend is a test (a verdict), not a description. With the exact
Kendall test below, 5 points reject at 5 % only if all 10 pairs of years are in order (one
reversed pair of years decides the verdict), 6 points tolerate 1 reversed pair of 15, 7 tolerate
3 of 21 and 8 tolerate 5 of 28 (about one pair in six): the first size at which noise in a
couple of years does not decide the verdict. Below it the test is inconclusive and says why."""
HAC_MIN_POINTS = 20
"""Newey–West errors need enough points to estimate the autocorrelation they correct for; below
this size (8–19 points) the interval is the exact Theil–Sen/Kendall one, which needs no
asymptotics and no normal errors (it assumes exchangeable errors: stated in the method)."""


class TooFewPoints(MethodError):
    """A series shorter than MIN_TEST_POINTS: the trend is shown, the test is inconclusive."""


def kendall_null(n: int) -> np.ndarray:
    """Exact null distribution of the number of inversions of n distinct values (Mahonian
    numbers, as probabilities): Kendall's S = n(n-1)/2 - 2·inversions."""
    c = np.array([1.0])
    for k in range(2, n + 1):
        c = np.convolve(c, np.ones(k))
    return c / c.sum()


def theil_sen_exact(y: pd.Series, alpha: float = 0.05) -> Trend:
    """Theil–Sen slope (median of pairwise slopes) with Sen's (1968) exact distribution-free
    interval, obtained by inverting the exact two-sided Kendall test, and that test's exact
    p-value. The interval is ±inf when n is too small for any test at level `alpha` to reject.
    Ties in y make the exact no-tie distribution slightly conservative."""
    y = pd.Series(y).dropna().astype(float).sort_index()
    n = len(y)
    if n < 3:
        raise MethodError(f"a trend needs at least 3 years with data, got {n}")
    x = np.asarray(y.index, float)
    v = y.to_numpy()
    i, j = np.triu_indices(n, 1)
    slopes = np.sort((v[j] - v[i]) / (x[j] - x[i]))
    big_n = len(slopes)
    b = float(np.median(slopes))
    prob = kendall_null(n)                      # P(inversions = t), t = 0..N
    tail = np.cumsum(prob)                      # P(inversions <= t) = P(S >= N - 2t)
    s_obs = int(np.sign(v[j] - v[i]).sum())
    t_obs = (big_n - abs(s_obs)) // 2
    p = float(min(1.0, 2 * tail[t_obs]))
    # critical k: smallest S with 2 P(S >= k) <= alpha; k = N - 2t for the largest such t
    ok = np.nonzero(2 * tail <= alpha)[0]
    if len(ok) == 0:
        lo, hi = -np.inf, np.inf
    else:
        k = big_n - 2 * int(ok[-1])
        lo = float(slopes[(big_n - k) // 2])        # 1-based order statistic (N-k)/2 + 1
        hi = float(slopes[(big_n + k) // 2 - 1])    # 1-based order statistic (N+k)/2
    q = stats.norm.ppf(1 - alpha / 2)
    se = (hi - lo) / (2 * q) if np.isfinite(hi - lo) else np.inf
    return Trend(b, float(se), lo, hi, p, n, float(v[0]), float(v[-1]), (int(x[0]), int(x[-1])))


def trend_test(y: pd.Series, alpha: float = 0.05) -> tuple[Trend, str]:
    """The trend of a series used as a TEST: (estimate, method text). Fewer than
    MIN_TEST_POINTS years raises TooFewPoints (the caller reports inconclusive, with the
    reason); 8–19 years: Theil–Sen with Sen's exact interval and the exact Kendall p-value;
    20 or more: OLS with Newey–West errors (:func:`time_trend`)."""
    s = pd.Series(y).dropna()
    n = len(s)
    if n < MIN_TEST_POINTS:
        raise TooFewPoints(f"{n} annual points; a trend test needs at least {MIN_TEST_POINTS} "
                           "(with fewer, one or two out-of-order years decide the result)")
    if n < HAC_MIN_POINTS:
        return (theil_sen_exact(s, alpha),
                f"Theil–Sen slope, Sen's exact {int(100 * (1 - alpha))}% interval and exact "
                f"Kendall p ({n} points < {HAC_MIN_POINTS}: too few for Newey–West errors; "
                "assumes exchangeable errors)")
    return time_trend(s, alpha=alpha), "OLS trend with Newey–West (HAC) SE"
