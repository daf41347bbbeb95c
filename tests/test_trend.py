"""The HAC time trend recovers a known slope and refuses what it cannot estimate."""

import numpy as np
import pandas as pd
import pytest

from yrdlib.methods import MethodError, time_trend


def test_recovers_a_known_slope_with_ar1_noise():
    rng = np.random.default_rng(0)
    years = np.arange(2000, 2024)
    e = np.zeros(len(years))
    for i in range(1, len(years)):
        e[i] = 0.5 * e[i - 1] + rng.normal(0, 0.3)
    y = pd.Series(10 + 0.25 * (years - 2000) + e, index=years)
    t = time_trend(y)
    assert t.ci_low < 0.25 < t.ci_high
    assert abs(t.slope - 0.25) < 0.05
    assert t.years == (2000, 2023) and t.n == 24


def test_gaps_are_dropped_not_filled():
    y = pd.Series([1.0, np.nan, 3.0, 4.0, np.nan, 6.0], index=range(2010, 2016))
    t = time_trend(y)
    assert t.n == 4 and t.slope == pytest.approx(1.0)


def test_too_short_or_constant_is_an_error():
    with pytest.raises(MethodError, match="at least 4"):
        time_trend(pd.Series([1.0, 2.0, 3.0], index=[2000, 2001, 2002]))
    with pytest.raises(MethodError, match="constant"):
        time_trend(pd.Series([2.0] * 6, index=range(2000, 2006)))


# ---- a trend used as a test: minimum size and exact small-sample inference ------------------

def test_exact_kendall_p_matches_scipy_and_sen_interval_covers():
    from scipy import stats

    from yrdlib.methods.trend import theil_sen_exact

    y = pd.Series([1, 3, 2, 5, 4, 6, 8, 7, 9.5, 9], index=range(2000, 2010))
    t = theil_sen_exact(y)
    assert t.p_value == pytest.approx(stats.kendalltau(range(10), y, method="exact").pvalue)
    assert t.slope == pytest.approx(1.0) and t.ci_low < 1.0 < t.ci_high
    rng = np.random.default_rng(3)  # exact: coverage at least the nominal 95 % (discreteness)
    cover = 0
    for _ in range(400):
        s = pd.Series(0.3 * np.arange(10) + rng.normal(0, 1, 10), index=range(2000, 2010))
        r = theil_sen_exact(s)
        cover += r.ci_low <= 0.3 <= r.ci_high
    assert 0.94 <= cover / 400 <= 1.0


def test_below_the_minimum_a_trend_is_no_test():
    from yrdlib.methods.trend import MIN_TEST_POINTS, TooFewPoints, theil_sen_exact, trend_test

    five = pd.Series([3100.0, 2950, 2700, 2520, 2300], index=range(2015, 2020))
    # what made a firm "contradicted" before: OLS + Newey-West on 5 points excludes zero
    old = time_trend(five)
    assert old.ci_high < 0
    with pytest.raises(TooFewPoints, match=f"at least {MIN_TEST_POINTS}"):
        trend_test(five)
    # with 5 points the exact test rejects only when every pair of years is in order; with 4 it
    # never can (p >= 1/12), so the exact interval is unbounded
    assert theil_sen_exact(five).p_value == pytest.approx(2 / 120)
    assert theil_sen_exact(five.iloc[:4]).ci_low == -np.inf
    ten, how = trend_test(pd.Series(np.arange(10.0) + [0, .5, -.3, .2, 0, .4, -.2, .1, 0, .3],
                                    index=range(2010, 2020)))
    assert "Theil–Sen" in how and ten.ci_low > 0
    _, how = trend_test(pd.Series(np.arange(25.0), index=range(1999, 2024)) + np.sin(np.arange(25)))
    assert "Newey–West" in how
