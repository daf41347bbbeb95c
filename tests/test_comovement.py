import numpy as np
import pandas as pd
import pytest

from yrdlib.methods import MethodError
from yrdlib.methods.comovement import comovement


def _panel(rho_before, rho_after, n=60, seed=0, years_each=40):
    """Focus 'F' and members whose growth correlates rho_before, then rho_after with F."""
    rng = np.random.default_rng(seed)
    years = np.arange(1980, 1980 + 2 * years_each)
    f = rng.normal(size=len(years))
    rho = np.where(years < 1980 + years_each, rho_before, rho_after)
    common = rho * f + np.sqrt(1 - rho**2) * rng.normal(size=len(years))
    rows = [("F", y, g) for y, g in zip(years, 0.05 + 0.02 * f)]
    for m in range(3):
        # members share the common component (mean is driven by it)
        g = 0.05 + 0.02 * (common + 0.05 * rng.normal(size=len(years)))
        rows += [(f"M{m}", y, v) for y, v in zip(years, g)]
    df = pd.DataFrame(rows, columns=["region_code", "year", "growth"])
    return df, 1980 + years_each


def test_recovers_correlations_and_change():
    df, brk = _panel(0.1, 0.8)
    r = comovement(df, "growth", "F", ["M0", "M1", "M2"], brk, growth=False, n_boot=999)
    row = r.table.iloc[0]
    assert row.corr_before == pytest.approx(0.1, abs=0.25)
    assert row.corr_after == pytest.approx(0.8, abs=0.12)
    assert row.ci_low_after < row.corr_after < row.ci_high_after
    assert row.diff_ci_low > 0  # the increase is detected with 40 years per window


def test_each_member_and_window_and_levels():
    df, brk = _panel(0.5, 0.5, years_each=12)
    levels = df.assign(gdp=np.exp(df.groupby("region_code")["growth"].cumsum()))
    r = comovement(levels, "gdp", "F", ["M0", "M1"], brk, window=8, mode="each", n_boot=499)
    assert list(r.table.partner) == ["M0", "M1"]
    assert (r.table.n_before == 8).all() and (r.table.n_after == 8).all()
    assert (r.table.diff_ci_low < 0).all() and (r.table.diff_ci_high > 0).all()  # no change
    assert any("small-sample" in n for n in r.notes)


def test_errors():
    df, brk = _panel(0.5, 0.5, years_each=12)
    with pytest.raises(MethodError, match="need >= 5"):
        comovement(df, "growth", "F", ["M0"], brk, window=3, growth=False)
    with pytest.raises(MethodError, match="constant"):
        comovement(df.assign(growth=0.05), "growth", "F", ["M0"], brk, growth=False)
    with pytest.raises(MethodError, match="not in data"):
        comovement(df, "growth", "F", ["XX"], brk, growth=False)
