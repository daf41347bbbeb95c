import numpy as np
import pytest

from yrdlib.methods import MethodError
from yrdlib.methods.convergence import beta_convergence, beta_convergence_panel, sigma_convergence
from yrdlib.methods.simulate import simulate_convergence_panel

TRUE_SPEED = -np.log(1 - 0.03)  # the simulator's discrete β = 0.03


def test_cross_section_beta_recovers_speed():
    df = simulate_convergence_panel(n_units=80, beta=0.03, seed=0)
    r = beta_convergence(df, "gdp_pc", 2000, 2020)
    T = 20
    assert r.slope == pytest.approx(-(1 - np.exp(-TRUE_SPEED * T)) / T, rel=0.1)
    assert r.speed == pytest.approx(TRUE_SPEED, rel=0.1)
    assert r.speed_ci[0] < TRUE_SPEED < r.speed_ci[1]
    assert r.half_life == pytest.approx(np.log(2) / r.speed)
    assert r.ci_high < 0 and r.p_value < 0.01


def test_panel_beta_recovers_speed():
    # long panel: the Nickell bias of the FE estimator is O(1/T) (about -0.01 at T = 20)
    df = simulate_convergence_panel(n_units=80, beta=0.03, seed=1, years=range(1960, 2021))
    r = beta_convergence_panel(df, "gdp_pc", 1960, 2020)
    assert r.slope == pytest.approx(-0.03, abs=0.005)
    assert r.speed == pytest.approx(TRUE_SPEED, abs=0.006)


def test_no_convergence_not_significant():
    df = simulate_convergence_panel(n_units=80, beta=0.0, noise_sd=0.02, seed=2)
    r = beta_convergence(df, "gdp_pc", 2000, 2020)
    assert r.ci_low < 0 < r.ci_high


def test_sigma_convergence():
    df = simulate_convergence_panel(n_units=60, beta=0.05, seed=3)
    s = sigma_convergence(df, "gdp_pc", 2000, 2020, n_boot=499)
    sig = s.table.set_index("year")["sigma"]
    expected = sig[2000] * (1 - 0.05) ** 20  # dispersion shrinks geometrically
    assert sig[2020] == pytest.approx(expected, rel=0.1)
    assert s.trend < 0 and s.trend_ci[1] < 0
    assert s.change_ci[1] < 0 and s.change < 0


def test_errors():
    df = simulate_convergence_panel(n_units=10, seed=0)
    with pytest.raises(MethodError):
        beta_convergence(df, "gdp_pc", 2000, 2000)
    with pytest.raises(MethodError):
        beta_convergence(df, "gdp_pc", 1990, 2020)
    with pytest.raises(MethodError, match="positive"):
        beta_convergence(df.assign(gdp_pc=-1.0), "gdp_pc", 2000, 2020)
    with pytest.raises(MethodError, match="constant"):
        beta_convergence(df.assign(gdp_pc=5.0), "gdp_pc", 2000, 2020)
    with pytest.raises(MethodError):
        sigma_convergence(df[df.year <= 2001], "gdp_pc", 2000, 2001)
    with pytest.raises(MethodError, match="missing column"):
        beta_convergence(df, "gdp", 2000, 2020)
