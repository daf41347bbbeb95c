"""Design-based inference (wild cluster bootstrap, randomization inference) and sensitivity
bounds, on simulated panels with a known answer."""

import warnings

import numpy as np
import pytest

from yrdlib.methods import MethodError
from yrdlib.methods.did import estimate_did
from yrdlib.methods.honest import honest_bounds
from yrdlib.methods.inference import (
    imputation_did,
    province_of,
    randomization_inference,
    wild_cluster_bootstrap,
    wild_weights,
)
from yrdlib.methods.simulate import simulate_clustered_panel, simulate_staggered_panel

warnings.filterwarnings("ignore", category=UserWarning)


@pytest.fixture(scope="module")
def clustered():
    return simulate_clustered_panel(seed=1)


@pytest.fixture(scope="module")
def null_clustered():
    return simulate_clustered_panel(seed=2, effect=0.0)


def test_imputation_matches_pyfixest_did2s():
    df = simulate_staggered_panel(n_units=150, effect=lambda k, g: 0.5 + 0.1 * k, seed=3)
    ref = estimate_did(df, "y", estimator="did2s")
    im = imputation_did(df, "y", cluster="region_code")
    assert im["att"].loc["ATT", "estimate"] == pytest.approx(ref.att, abs=1e-6)
    es = ref.event_study.set_index("rel_time")
    mine = im["event_study"]
    for k in mine.index:
        assert mine.loc[k, "estimate"] == pytest.approx(es.loc[int(k), "estimate"], abs=1e-6)
    # unit-clustered CR1 SE of the linear estimator vs pyfixest's GMM SE: same object
    assert im["att"].loc["ATT", "se"] == pytest.approx(ref.se, rel=0.02)


def test_province_of():
    assert list(province_of(["331000", "310000", "340100"])) == ["330000", "310000", "340000"]


def test_webb_weights_moments():
    v = wild_weights("webb", 200_000, np.random.default_rng(0))
    assert len(np.unique(v)) == 6
    assert abs(v.mean()) < 0.01 and abs((v ** 2).mean() - 1) < 0.01
    with pytest.raises(MethodError, match="weights"):
        wild_weights("mammen", 3, np.random.default_rng(0))


def test_province_clustering_widens_se_with_province_shocks(clustered):
    city = imputation_did(clustered, "y", cluster="region_code")["att"].loc["ATT", "se"]
    prov = imputation_did(clustered, "y", cluster="province")["att"].loc["ATT", "se"]
    assert prov > 1.3 * city


def test_wild_bootstrap_detects_effect_and_is_deterministic(clustered):
    a = wild_cluster_bootstrap(clustered, "y", B=199, seed=5)
    b = wild_cluster_bootstrap(clustered, "y", B=199, seed=5)
    assert a == b
    truth = clustered.loc[clustered.true_effect != 0, "true_effect"].mean()
    assert a["ci_low"] < truth < a["ci_high"]
    assert a["p"] < 0.02
    assert a["n_clusters"] == 30 and a["n_treated_clusters"] == 4
    assert a["pretrend_p"] is not None and a["pretrend_p"] > 0.01
    assert any("treated clusters" in n for n in a["notes"])


def test_wild_bootstrap_pretrend_test_rejects_linear_pretrend_only():
    # 12 treated provinces: with only 4 (the default design, like 沪苏浙皖) the bootstrap Wald
    # test has little power, which is exactly why the gate must not rely on it alone
    tp = {p: {2008 + (p % 3) * 3: 1.0} for p in range(12)}
    bad = simulate_clustered_panel(seed=3, pretrend=0.05, treated_provinces=tp)
    good = simulate_clustered_panel(seed=3, pretrend=0.0, treated_provinces=tp)
    assert wild_cluster_bootstrap(bad, "y", B=199, seed=0)["pretrend_p"] < 0.01
    assert wild_cluster_bootstrap(good, "y", B=199, seed=0)["pretrend_p"] > 0.05


def test_wild_bootstrap_errors(clustered):
    with pytest.raises(MethodError, match="at least 99"):
        wild_cluster_bootstrap(clustered, "y", B=10)
    bad = clustered.copy()
    bad.loc[bad.index[0], "province"] = "990000"
    with pytest.raises(MethodError, match="varies within a unit"):
        wild_cluster_bootstrap(bad, "y", B=99)


def test_wild_bootstrap_coverage_monte_carlo():
    """95% WCU interval covers the true ATT in most of 40 small simulated panels (15 provinces,
    6 of them treated, province-year shocks)."""
    cohorts = {p: ({2006: 0.5, 2008: 0.5} if p % 2 else {2007: 1.0}) for p in range(6)}
    hits = 0
    reps = 40
    for s in range(reps):
        df = simulate_clustered_panel(n_provinces=15, units_per_province=6,
                                      years=range(2000, 2012), treated_provinces=cohorts,
                                      effect=0.3, seed=100 + s)
        r = wild_cluster_bootstrap(df, "y", B=99, seed=s, leads=3, lags=3)
        hits += r["ci_low"] <= 0.3 <= r["ci_high"]
    assert hits / reps >= 0.85


def test_randomization_inference_rejects_effect_and_not_null(clustered, null_clustered):
    r = randomization_inference(clustered, "y", n_perm=199, seed=0)
    assert r["p"] <= 0.05
    assert r["n_perm"] == 199 and r["n_blocks"] == 30
    r2 = randomization_inference(clustered, "y", n_perm=199, seed=0)
    assert np.array_equal(r["draws"], r2["draws"]) and r["p"] == r2["p"]
    ps = [randomization_inference(simulate_clustered_panel(seed=s, effect=0.0), "y",
                                  n_perm=99, seed=s)["p"] for s in range(5)]
    assert np.median(ps) > 0.1
    assert randomization_inference(null_clustered, "y", n_perm=99, block=None)["p"] > 0.0


def test_randomization_interval_is_the_inverted_test(clustered):
    """The interval is {τ0: p(τ0) > α}: re-running the test on y − τ0·D at its ends gives p just
    above and just below α, and it covers the true constant effect 0.5."""
    from yrdlib.methods.inference import province_of

    r = randomization_inference(clustered, "y", n_perm=199, seed=4)
    assert r["ci_low"] < 0.5 < r["ci_high"] and r["ci_low"] < r["att"] < r["ci_high"]
    d = clustered.copy()
    treated = (d["treat_year"].fillna(0) > 0) & (d["year"] >= d["treat_year"].fillna(9999))
    for end, inside in ((r["ci_low"], 1e-6), (r["ci_high"], -1e-6)):
        for step, accepted in ((inside, True), (-inside * 50, False)):
            d["y0"] = d["y"] - (end + step) * treated
            p = randomization_inference(d, "y0", n_perm=199, seed=4)["p"]
            assert (p > 0.05) == accepted, (end, step, p)
    assert r["se_design"] > 0 and r["mde"] == pytest.approx(2.8016 * r["se_design"], rel=1e-3)
    assert r["n_treated_blocks"] == len(set(province_of(
        d.loc[d["treat_year"].notna(), "region_code"])))


def test_randomization_interval_coverage_monte_carlo():
    """Across 30 simulated panels with province-year shocks and 3 treated provinces of 20, the
    inverted interval covers the true effect at about the nominal rate."""
    cohorts = {0: {2006: 1.0}, 1: {2008: 1.0}, 2: {2006: 0.5, 2010: 0.5}}
    hits = 0
    for s in range(30):
        df = simulate_clustered_panel(n_provinces=20, units_per_province=5,
                                      years=range(2000, 2014), treated_provinces=cohorts,
                                      effect=0.3, province_year_sd=0.15, seed=300 + s)
        r = randomization_inference(df, "y", n_perm=99, seed=s)
        hits += r["ci_low"] <= 0.3 <= r["ci_high"]
    assert hits >= 25  # 95 % nominal; 25/30 is 2.3 binomial SDs below it


def test_randomization_inference_needs_blocks(clustered):
    two = clustered[clustered["province"].isin(["110000", "200000"])]
    with pytest.raises(MethodError, match="blocks"):
        randomization_inference(two, "y", n_perm=9)


# ---------------------------------------------------------------- sensitivity bounds


def _trend_es(s=0.05, effect=0.5, pre=(-5, -4, -3, -2), post=range(6), se=0.02):
    """Event-study coefficients relative to −1 when a linear trend s·k runs through all periods
    on top of a constant effect."""
    idx = list(pre) + list(post)
    b = {e: s * (e + 1) + (effect if e >= 0 else 0.0) for e in idx}
    V = np.eye(len(idx)) * se ** 2
    return b, V


def test_honest_sd_removes_linear_trend():
    b, V = _trend_es(s=0.05)
    r = honest_bounds(b, V, restriction="sd", method="closed-form")
    assert r["theta_linear"] == pytest.approx(0.5, abs=1e-12)
    t = r["table"]
    assert (t["ci_low"].diff().dropna() < 0).all() and (t["ci_high"].diff().dropna() > 0).all()
    # HonestDiD's sets under ΔSD(0) (linear trends allowed): the truth 0.5, not 0.5 + the trend
    for method in ("FLCI", "C-LF"):
        t = honest_bounds(b, V, restriction="sd", grid=[0.0], method=method)["table"].iloc[0]
        assert t["ci_low"] <= 0.5 <= t["ci_high"] and t["ci_high"] < 0.5 + 0.05 * 3.5


def test_honest_rm_identified_set_contains_truth_and_breakdown():
    b, V = _trend_es(s=0.05)
    r = honest_bounds(b, V, restriction="rm", grid=[0, 0.5, 1.0, 2.0])
    # under ΔRM with M̄=1 the linear trend is an admissible violation: truth 0.5 must be covered
    row = r["table"].set_index("M").loc[1.0]
    assert row["ci_low"] <= 0.5 <= row["ci_high"]
    assert r["delta_pre"] == pytest.approx(0.05, abs=1e-12)
    bd = r["breakdown"]
    assert 0 < bd < np.inf
    lo = honest_bounds(b, V, grid=[bd * 0.99, bd * 1.01])["table"]
    assert list(lo["excludes_zero"]) == [True, False]


def test_honest_rm_coverage_monte_carlo():
    b, V = _trend_es(s=0.03, se=0.03)
    rng = np.random.default_rng(0)
    keys = list(b)
    mean = np.array([b[k] for k in keys])
    hits = 0
    for _ in range(300):
        draw = dict(zip(keys, rng.multivariate_normal(mean, V), strict=True))
        row = honest_bounds(draw, V, grid=[1.0], method="closed-form")["table"].iloc[0]
        hits += row["ci_low"] <= 0.5 <= row["ci_high"]
    assert hits / 300 >= 0.95


def test_honest_from_imputation_event_study(clustered):
    im = imputation_did(clustered, "y")
    r = honest_bounds(im["event_study"]["estimate"], im["event_study_vcov"])
    assert r["table"].loc[0, "ci_low"] < 0.5 < r["table"].loc[0, "ci_high"]
    assert r["breakdown"] > 0
    with pytest.raises(MethodError, match="pre-period"):
        honest_bounds({0: 0.5, 1: 0.5}, np.eye(2))
    with pytest.raises(MethodError, match="restriction"):
        honest_bounds(im["event_study"]["estimate"], im["event_study_vcov"], restriction="x")
