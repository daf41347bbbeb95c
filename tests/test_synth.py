"""Synthetic control on simulated factor-model panels with a planted effect."""

import numpy as np
import pytest
from scipy import optimize

from yrdlib.methods import MethodError
from yrdlib.methods.simulate import simulate_factor_panel
from yrdlib.methods.synth import simplex_weights, synthetic_control

TREATED = "110000"


@pytest.fixture(scope="module")
def planted():
    return simulate_factor_panel(seed=0, effect=0.3)


def test_recovers_planted_effect(planted):
    r = synthetic_control(planted, "y", TREATED, 2016)
    assert abs(r.att - 0.3) < 0.06
    post = r.path[r.path.period == "post"]
    assert (post["gap"] > 0.15).all()
    assert r.pre_rmspe < 0.05
    assert r.rank == 1 and r.p_value == pytest.approx(1 / (r.n_donors + 1))
    assert r.n_donors == 39 and len(r.placebos) == 40
    assert r.pre_years[0] == 2000 and r.pre_years[-1] == 2015 and r.post_years[-1] == 2020
    w = r.weights
    assert (w >= 0).all() and w.sum() == pytest.approx(1.0, abs=1e-6)


def test_no_effect_gives_small_gap():
    for s in range(3):
        r = synthetic_control(simulate_factor_panel(seed=s, effect=0.0), "y", TREATED, 2016,
                              placebo=False)
        assert abs(r.att) < 0.06
        assert r.p_value is None


def test_nnls_weights_match_slsqp():
    rng = np.random.default_rng(0)
    X0 = rng.normal(size=(12, 15))
    x1 = X0[:, :3] @ np.array([0.2, 0.5, 0.3]) + rng.normal(0, 0.05, 12)
    w = simplex_weights(x1, X0)
    n = X0.shape[1]
    ref = optimize.minimize(lambda v: np.sum((x1 - X0 @ v) ** 2), np.full(n, 1 / n),
                            method="SLSQP", bounds=[(0, 1)] * n,
                            constraints=[{"type": "eq", "fun": lambda v: v.sum() - 1}])
    assert np.sum((x1 - X0 @ w) ** 2) <= ref.fun + 1e-8
    assert w.min() >= 0 and w.sum() == pytest.approx(1.0)


def test_donor_rules(planted):
    df = planted.copy()
    # one donor treated in 2018 (inside the window) and one with a missing pre-year
    df.loc[df.region_code == "110100", "treat_year"] = 2018
    df = df[~((df.region_code == "110200") & (df.year == 2005))]
    r = synthetic_control(df, "y", TREATED, 2016, placebo=False)
    assert r.n_donors == 37
    assert "110100" not in r.weights.index and "110200" not in r.weights.index
    assert "not treated in or before 2020" in r.donor_rules
    r2 = synthetic_control(df, "y", TREATED, 2016, end=2017, placebo=False)
    assert r2.n_donors == 38  # 2018 is after the window: a valid donor
    r3 = synthetic_control(df, "y", TREATED, 2016, donors=["110300", "110400", "110500",
                                                           "110600", "110700"], placebo=False)
    assert r3.n_donors == 5


def test_infeasible_designs_raise(planted):
    with pytest.raises(MethodError, match="pre-treatment years"):
        synthetic_control(planted, "y", TREATED, 2003)
    with pytest.raises(MethodError, match="donors"):
        synthetic_control(planted, "y", TREATED, 2016, donors=["110300"])
    gap = planted[~((planted.region_code == TREATED) & (planted.year == 2010))]
    with pytest.raises(MethodError, match="pre-years"):
        synthetic_control(gap, "y", TREATED, 2016)
    with pytest.raises(MethodError, match="not in the data"):
        synthetic_control(planted, "y", "999999", 2016)
    with pytest.raises(MethodError, match="no post-treatment year"):
        synthetic_control(planted, "y", TREATED, 2016, end=2015)


def test_placebo_filter(planted):
    r = synthetic_control(planted, "y", TREATED, 2016, max_pre_ratio=2.0)
    assert len(r.placebos) < 40
    assert r.placebos["pre_rmspe"].max() <= 2.0 * r.pre_rmspe + 1e-12
    assert any("placebos" in n for n in r.notes)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_synthetic_did_recovers_effect_and_covers(seed):
    from yrdlib.methods.synth import synthetic_did

    r = synthetic_did(simulate_factor_panel(seed=seed, effect=0.3), "y", TREATED, 2016)
    assert abs(r["att"] - 0.3) < 0.1
    assert r["ci_low"] < 0.3 < r["ci_high"] and r["ci_low"] > 0
    r0 = synthetic_did(simulate_factor_panel(seed=seed, effect=0.0), "y", TREATED, 2016)
    assert r0["ci_low"] < 0 < r0["ci_high"]
    assert r["lambda_"].sum() == pytest.approx(1.0, abs=1e-6) and (r["lambda_"] >= 0).all()
    assert r["omega"].sum() == pytest.approx(1.0, abs=1e-4)
    assert len(r["placebo_estimates"]) == r["n_donors"] == 39


def test_synthetic_did_needs_full_treated_path(planted):
    from yrdlib.methods.synth import synthetic_did

    gap = planted[~((planted.region_code == TREATED) & (planted.year == 2018))]
    with pytest.raises(MethodError, match="missing post-years"):
        synthetic_did(gap, "y", TREATED, 2016)


def test_penalized_weights_match_slsqp_and_limits():
    """The NNLS form solves Abadie & L'Hour's objective exactly; λ → large picks the nearest
    donor alone, λ small approaches the plain synthetic control's fit."""
    from yrdlib.methods.synth import penalized_weights

    rng = np.random.default_rng(4)
    X0 = rng.normal(size=(16, 30)).cumsum(axis=0)
    x1 = X0[:, :3] @ np.array([0.2, 0.5, 0.3]) + rng.normal(0, 0.3, 16)
    d = ((x1[:, None] - X0) ** 2).sum(axis=0)
    n = X0.shape[1]
    for lam in (0.01, 0.3, 3.0):
        w = penalized_weights(x1, X0, lam)

        def f(v, lam=lam):
            return np.sum((x1 - X0 @ v) ** 2) + lam * d @ v

        ref = optimize.minimize(f, np.full(n, 1 / n), method="SLSQP", bounds=[(0, 1)] * n,
                                constraints=[{"type": "eq", "fun": lambda v: v.sum() - 1}],
                                options={"maxiter": 1000, "ftol": 1e-12})
        assert f(w) <= ref.fun + 1e-6
        assert w.min() >= 0 and w.sum() == pytest.approx(1.0)
    far = penalized_weights(x1, X0, 1e4)
    assert far.argmax() == d.argmin() and far.max() == pytest.approx(1.0, abs=1e-6)
    plain = simplex_weights(x1, X0)
    near = penalized_weights(x1, X0, 1e-6)
    assert np.sum((x1 - X0 @ near) ** 2) == pytest.approx(np.sum((x1 - X0 @ plain) ** 2),
                                                           rel=1e-3)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_penalized_synth_recovers_planted_effect(seed):
    """Factor panel, treated unit a convex combination of four donors, +0.3 from 2016: the
    penalized SC (λ by leave-one-out over the donors' post years) recovers it within the noise,
    moves by exactly the planted effect against the same panel without it (weights and λ use the
    pre-period and the donors only), and ranks first among the placebos."""
    from yrdlib.methods.synth import LAMBDA_GRID, penalized_synth

    att = {}
    for effect in (0.3, 0.0):
        df = simulate_factor_panel(seed=seed, effect=effect)
        wide = df.pivot(index="region_code", columns="year", values="y")
        y1 = wide.loc[TREATED].to_numpy()
        Y0 = wide.drop(index=TREATED).to_numpy().T
        npre = 16  # 2000–2015
        post = np.arange(Y0.shape[0]) >= npre
        r = penalized_synth(y1, Y0, npre, post, donors=wide.drop(index=TREATED).index)
        att[effect] = r["gap"][post].mean()
        assert r["lam"] in LAMBDA_GRID and r["weights"].sum() == pytest.approx(1.0)
        assert (r["weights"] > 1e-6).sum() < 16  # sparse: fewer donors than pre-periods
        assert abs(att[effect] - effect) < 0.1
        assert np.sqrt(np.mean(r["gap"][:npre] ** 2)) < 0.05
        if effect:
            ratio = np.sqrt(np.mean(r["gap"][post] ** 2) / np.mean(r["gap"][:npre] ** 2))
            pg = r["placebo_gaps"]
            pr = np.sqrt((pg[post] ** 2).mean(axis=0) / (pg[:npre] ** 2).mean(axis=0))
            assert (pr < ratio).all()
    assert att[0.3] - att[0.0] == pytest.approx(0.3, abs=1e-9)
