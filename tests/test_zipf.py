import numpy as np
import pandas as pd
import pytest

from yrdlib.methods import MethodError
from yrdlib.methods.simulate import simulate_pareto_sizes
from yrdlib.methods.zipf import zipf_by_year, zipf_exponent


@pytest.mark.parametrize("zeta", [0.8, 1.0, 1.5])
def test_recovers_pareto_exponent(zeta):
    est = [zipf_exponent(simulate_pareto_sizes(500, zeta, seed=s)).exponent for s in range(20)]
    assert np.mean(est) == pytest.approx(zeta, rel=0.05)


def test_gi_se_and_coverage():
    r = zipf_exponent(simulate_pareto_sizes(200, 1.0, seed=1))
    assert r.se == pytest.approx(r.exponent * np.sqrt(2 / 200))
    assert r.naive_se < r.se  # OLS SE is far too small
    fits = [zipf_exponent(simulate_pareto_sizes(200, 1.0, seed=s)) for s in range(100)]
    cover = np.mean([f.ci_low <= 1.0 <= f.ci_high for f in fits])
    assert cover > 0.85


def test_by_year_and_errors():
    df = pd.DataFrame({
        "region_code": [f"{i:06d}" for i in range(50)] * 2,
        "year": [2000] * 50 + [2010] * 50,
        "pop": np.r_[simulate_pareto_sizes(50, 1.0, seed=2), simulate_pareto_sizes(50, 1.3, seed=3)],
    })
    t = zipf_by_year(df, "pop")
    assert list(t["year"]) == [2000, 2010] and t["exponent"].notna().all()
    with pytest.raises(MethodError):
        zipf_exponent([1.0, 2.0])
    with pytest.raises(MethodError):
        zipf_exponent([5.0] * 10)
    with pytest.raises(MethodError):
        zipf_exponent([1.0, -2.0, 3.0])
