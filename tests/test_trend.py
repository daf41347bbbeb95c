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
