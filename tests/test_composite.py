import numpy as np
import pandas as pd
import pytest

from yrdlib.methods import MethodError
from yrdlib.methods.composite import (
    composite_index,
    entropy_weights,
    minmax_normalise,
    pca_weights,
    rank_sensitivity,
)


def test_entropy_weights_hand_worked():
    # X = [[1,2],[2,2],[3,4]], n = 3, k = 1/ln 3 = 0.910239
    # col a: p = 1/6, 2/6, 3/6; Σ p ln p = -(0.298627 + 0.366204 + 0.346574) = -1.011404
    #        e_a = 1.011404/1.098612 = 0.920620, d_a = 0.079380
    # col b: p = 1/4, 1/4, 1/2; Σ p ln p = -(0.346574*2 + 0.346574) = -1.039721
    #        e_b = 1.039721/1.098612 = 0.946395, d_b = 0.053605
    # w_a = 0.079380/0.132985 = 0.59691, w_b = 0.40309
    X = pd.DataFrame({"a": [1, 2, 3], "b": [2, 2, 4]})
    w = entropy_weights(X)
    assert w["a"] == pytest.approx(0.59691, abs=2e-5)
    assert w["b"] == pytest.approx(0.40309, abs=2e-5)
    assert w.sum() == pytest.approx(1)


def test_entropy_zero_handling_and_errors():
    w = entropy_weights(pd.DataFrame({"a": [0, 0, 1], "b": [1, 2, 3]}))
    assert np.isfinite(w).all() and w["a"] > w["b"]  # concentrated indicator gets more weight
    with pytest.raises(MethodError):
        entropy_weights(pd.DataFrame({"a": [0, 0, 0], "b": [1, 2, 3]}))
    with pytest.raises(MethodError):
        entropy_weights(pd.DataFrame({"a": [-1, 0, 1]}))


def test_minmax_positive_negative_and_constant():
    df = pd.DataFrame({"p": [1.0, 3.0, 5.0], "n": [10.0, 20.0, 30.0]})
    out = minmax_normalise(df, positive=["p"], negative=["n"])
    assert out["p"].tolist() == [0, 0.5, 1]
    assert out["n"].tolist() == [1, 0.5, 0]
    with pytest.raises(MethodError, match="constant"):
        minmax_normalise(df.assign(p=1.0), positive=["p"])
    with pytest.raises(MethodError, match="missing column"):
        minmax_normalise(df, positive=["zzz"])


def _panel(seed=0):
    rng = np.random.default_rng(seed)
    f = rng.normal(size=(40, 1))
    X = f + 0.3 * rng.normal(size=(40, 4))
    df = pd.DataFrame(X, columns=["gdp", "pop", "fdi", "fin"])
    df["pollution"] = -f[:, 0] + 0.3 * rng.normal(size=40)
    df["region_code"] = [f"{i:06d}" for i in range(20)] * 2
    df["year"] = [2010] * 20 + [2020] * 20
    return df


def test_composite_and_pca():
    df = _panel()
    pos, neg = ["gdp", "pop", "fdi", "fin"], ["pollution"]
    r = composite_index(df, pos, neg)
    assert r.weights.sum() == pytest.approx(1)
    assert set(r.scores.groupby("year")["rank"].min()) == {1}
    assert sorted(r.scores.query("year == 2010")["rank"]) == list(range(1, 21))
    # one common factor: PCA first component loads roughly equally on all (oriented) indicators
    w = pca_weights(r.normalised)
    assert (w > 0.1).all() and w.sum() == pytest.approx(1)
    assert pca_weights(r.normalised, "variance").sum() == pytest.approx(1)
    eq = composite_index(df, pos, neg, weights="equal")
    assert np.corrcoef(eq.scores.score, r.scores.score)[0, 1] > 0.95


def test_rank_sensitivity():
    df = _panel()
    pos, neg = ["gdp", "pop", "fdi", "fin"], ["pollution"]
    focus = df.loc[df.year == 2020].assign(s=lambda d: d.gdp + d["pop"] + d.fdi + d.fin)
    top = focus.sort_values("s").region_code.iloc[-1]
    out = rank_sensitivity(df, top, 2020, pos, neg, n_draws=500)
    assert out["draws"].shape == (500,)
    assert 1 <= out["summary"]["min"] <= out["summary"]["median"] <= out["summary"]["max"] <= 20
    assert out["summary"]["median"] <= 3  # a unit strong on every indicator stays near the top
    assert set(out["fixed"]["weighting"]) >= {"equal", "entropy", "pca"}
    with pytest.raises(MethodError):
        rank_sensitivity(df, "nope", 2020, pos, neg)
