import numpy as np
import pytest

from yrdlib.methods import MethodError
from yrdlib.methods.distance_decay import distance_decay
from yrdlib.methods.simulate import simulate_distance_decay


def test_recovers_slope_and_focus_position():
    df = simulate_distance_decay(n=300, slope=-2.0, seed=0)
    focus = df.region_code.iloc[5]
    df.loc[df.region_code == focus, "y"] += 3.0  # put the focus well above the curve
    r = distance_decay(df, "y", df.attrs["hubs"], controls=["gdp_pc", "pop"], focus=focus)
    assert r.slope == pytest.approx(-2.0, abs=0.15)
    assert r.ci_low < -2.0 < r.ci_high
    assert r.params.loc["ln_gdp_pc", "coef"] == pytest.approx(0.8, abs=0.25)
    f = r.focus
    assert f["residual"] > 2 and f["observed"] > f["pi_high"]
    assert f["residual_percentile"] > 95
    assert f["pi_low"] < f["predicted"] < f["pi_high"]


def test_distance_in_100km():
    df = simulate_distance_decay(n=200, seed=1)
    r = distance_decay(df, "y", df.attrs["hubs"], controls=["gdp_pc", "pop"], distance="100km")
    assert r.slope < 0 and r.distance == "100km"


def test_errors():
    df = simulate_distance_decay(n=50, seed=2)
    with pytest.raises(MethodError, match="constant"):
        distance_decay(df.assign(y=1.0), "y", df.attrs["hubs"])
    with pytest.raises(MethodError, match="missing column"):
        distance_decay(df, "patents", df.attrs["hubs"])
    with pytest.raises(MethodError):
        distance_decay(df, "y", {})
    with pytest.raises(MethodError):
        distance_decay(df, "y", df.attrs["hubs"], focus="999999")
    assert np.isfinite(distance_decay(df, "y", df.attrs["hubs"]).slope)
