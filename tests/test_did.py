"""Staggered DiD on simulated panels with known effects."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from yrdlib.methods import MethodError
from yrdlib.methods.did import (
    estimate_did,
    permutation_placebo,
    placebo_shift,
    plot_event_study,
)
from yrdlib.methods.simulate import simulate_staggered_panel

ROBUST = [("did2s", "notyet"), ("sunab", "never")]


@pytest.fixture(scope="module")
def constant_panel():
    return simulate_staggered_panel(n_units=200, effect=0.5, seed=0)


@pytest.fixture(scope="module")
def dynamic_panel():
    return simulate_staggered_panel(n_units=200, effect=lambda k, g: 0.5 + 0.1 * k, seed=3)


@pytest.mark.parametrize("est,cg", ROBUST + [("twfe", "notyet")])
def test_constant_effect_recovered(constant_panel, est, cg):
    r = estimate_did(constant_panel, "y", estimator=est, control_group=cg)
    assert abs(r.att - 0.5) < 0.05
    assert r.ci_low < 0.5 < r.ci_high
    assert r.n_obs == len(constant_panel)
    assert r.n_treated_units == 130  # 65% of 200 in cohorts
    assert r.n_control_units > 0
    es = r.event_study
    assert list(es.columns) == ["rel_time", "estimate", "se", "ci_low", "ci_high", "n_obs"]
    assert es.loc[es.rel_time == -1, "estimate"].item() == 0.0
    assert es["rel_time"].min() == -5 and es["rel_time"].max() == 5


@pytest.mark.parametrize("est,cg", ROBUST)
def test_dynamic_effect_recovered(dynamic_panel, est, cg):
    r = estimate_did(dynamic_panel, "y", estimator=est, control_group=cg)
    es = r.event_study.set_index("rel_time")
    for k in range(5):
        assert abs(es.loc[k, "estimate"] - (0.5 + 0.1 * k)) < 0.07, k
    for k in (-4, -3, -2):
        assert abs(es.loc[k, "estimate"]) < 0.07
    truth = dynamic_panel.loc[dynamic_panel.true_effect != 0, "true_effect"].mean()
    assert abs(r.att - truth) < 0.07


def test_twfe_bias_under_heterogeneous_staggered_effects():
    # early cohort (2003) has effects growing 0.3/yr; late cohort small: the classic
    # "forbidden comparison" case where TWFE uses already-treated units as controls.
    def het(k, g):
        return np.where(g == 2003, 0.3 * (k + 1), 0.05 * (k + 1))

    df = simulate_staggered_panel(n_units=200, cohorts={2003: 0.45, 2013: 0.45}, effect=het,
                                  seed=0)
    truth = df.loc[df.true_effect != 0, "true_effect"].mean()
    twfe = estimate_did(df, "y", estimator="twfe")
    assert twfe.att < 0 < truth  # wrong sign
    for est, cg in ROBUST:
        r = estimate_did(df, "y", estimator=est, control_group=cg)
        assert abs(r.att - truth) < 0.1 * truth, est


@pytest.mark.parametrize("est,cg", ROBUST)
def test_pretrend_test_rejects_linear_pretrend(est, cg):
    df = simulate_staggered_panel(n_units=200, pretrend=0.05, seed=0)
    r = estimate_did(df, "y", estimator=est, control_group=cg)
    assert r.pretrend_p < 0.01
    assert r.pretrend_df == 4  # leads -5(binned), -4, -3, -2


@pytest.mark.parametrize("seed", [0, 2, 3])
@pytest.mark.parametrize("est,cg", ROBUST)
def test_pretrend_test_does_not_reject_without_pretrend(est, cg, seed):
    df = simulate_staggered_panel(n_units=200, seed=seed)
    assert estimate_did(df, "y", estimator=est, control_group=cg).pretrend_p > 0.05


@pytest.mark.parametrize("est,cg", ROBUST)
def test_placebo_shift_is_zero(constant_panel, est, cg):
    r = placebo_shift(constant_panel, "y", shift=3, estimator=est, control_group=cg)
    assert abs(r.att) < 0.06 and r.ci_low < 0 < r.ci_high
    assert "Placebo" in r.estimator_name


def test_permutation_placebo(constant_panel):
    out = permutation_placebo(constant_panel, "y", n_perm=19, seed=1)
    assert out["p_value"] == pytest.approx(1 / 20)  # real effect beats every permutation
    assert np.abs(out["draws"]).max() < 0.2


def test_control_group_and_defaults(constant_panel):
    assert estimate_did(constant_panel, "y").estimator == "did2s"
    r = estimate_did(constant_panel, "y", control_group="never")
    assert r.estimator == "sunab" and r.n_control_units == 70
    with pytest.raises(MethodError):
        estimate_did(constant_panel, "y", estimator="did2s", control_group="never")
    with pytest.raises(MethodError):
        estimate_did(constant_panel, "y", control_group="later")


def test_zero_or_nan_cohort_is_never_treated(constant_panel):
    df = constant_panel.copy()
    df["treat_year"] = df["treat_year"].fillna(0)
    a = estimate_did(df, "y")
    b = estimate_did(constant_panel, "y")
    assert a.att == pytest.approx(b.att)


def test_no_never_treated_uses_not_yet_treated():
    df = simulate_staggered_panel(n_units=120, cohorts={2005: 0.5, 2015: 0.5}, seed=2)
    r = estimate_did(df, "y")  # years >= 2015 dropped, 2015 cohort is the control
    assert abs(r.att - 0.5) < 0.07
    assert any("dropped" in n for n in r.notes)


def test_bad_inputs():
    df = simulate_staggered_panel(n_units=60, seed=0)
    with pytest.raises(MethodError, match="missing column"):
        estimate_did(df.drop(columns="treat_year"), "y")
    with pytest.raises(MethodError, match="no treated"):
        estimate_did(df.assign(treat_year=np.nan), "y")
    with pytest.raises(MethodError, match="no treated"):  # all units treated in 2010
        estimate_did(df.assign(treat_year=2010.0), "y")
    with pytest.raises(MethodError, match="constant"):
        estimate_did(df.assign(y=1.0), "y")
    with pytest.raises(MethodError, match="periods"):
        estimate_did(df[df.year.isin([2009, 2010])], "y")
    with pytest.raises(MethodError, match="varies"):
        bad = df.copy()
        bad.loc[bad.index[:3], "treat_year"] = 2001
        bad.loc[bad.index[3:6], "treat_year"] = 2002
        estimate_did(bad, "y")
    with pytest.raises(ValueError):  # MethodError is a ValueError
        estimate_did(pd.DataFrame({"region_code": [], "year": [], "y": [], "treat_year": []}), "y")


def test_plot_event_study(constant_panel):
    r = estimate_did(constant_panel, "y")
    fig, ax = plt.subplots()
    out = plot_event_study(r, ax, title="事件研究 Event study", xlabel="相对年份 Years",
                           ylabel="效应 Effect")
    assert out is ax and ax.get_xlabel() == "相对年份 Years"
    assert ax.get_xticklabels()[0].get_text() == "≤-5"
    plt.close(fig)


def test_did2s_drops_units_with_a_single_untreated_observation(constant_panel):
    """pyfixest's did2s fails on a unit with one untreated cell (a singleton in stage 1); the
    real case is 台州 pop_resident: 2001-2002 missing, joined 2003."""
    df = constant_panel.copy()
    cohort = df.groupby("region_code")["treat_year"].first()
    unit = cohort[cohort > 0].index[0]
    first_year, g = df["year"].min(), cohort[unit]
    keep = (df["region_code"] != unit) | (df["year"] >= g) | (df["year"] == first_year)
    df = df[keep]
    res = estimate_did(df, "y", estimator="did2s", control_group="notyet")
    assert any("fewer than 2 untreated" in n for n in res.notes)
    assert abs(res.att - 0.5) < 0.1


@pytest.mark.parametrize("cluster", [None, "province"])
def test_did2s_equals_pyfixest_did2s(dynamic_panel, cluster):
    """The project's did2s (sparse linear algebra, exact stage-1 solve) against pyfixest.did2s
    (iterative demeaning, tolerance 1e-8) on the same prepared panel: ATT, event study and the
    GMM variance agree to pyfixest's demeaning tolerance (~1e-6 here); a wrong variance
    formula would be off by far more."""
    import warnings

    import pyfixest as pf

    from yrdlib.methods.did import _did2s, _prepare

    df = dynamic_panel.assign(  # 15 coarse clusters
        province=pd.factorize(dynamic_panel["region_code"])[0] % 15)
    d, cols, _ = _prepare(df, "y", "treat_year", "region_code", "year", "notyet", "did2s", 5, 5,
                          cluster)
    names = [c for _, c in cols]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        refs = [pf.did2s(d.copy(), "_y", "~ 0 | _u + _t", f"~ {' + '.join(x)}",
                         treatment="_treated", cluster="_c") for x in (["_D"], names)]
    for x, ref in zip((["_D"], names), refs, strict=True):
        got_names, b, v = _did2s(d, x)
        assert got_names == ref.coef().index.tolist()
        np.testing.assert_allclose(b, ref.coef().to_numpy(), rtol=0, atol=1e-5)
        np.testing.assert_allclose(v, np.asarray(ref._vcov), rtol=0, atol=1e-4 * np.abs(v).max())


def test_did2s_stage_one_is_the_exact_least_squares_fit(constant_panel):
    """Stage 1 solves the normal equations exactly: the residualised outcome is orthogonal to
    every unit and year dummy on the untreated cells (pyfixest's demeaning is iterative)."""
    from yrdlib.methods.did import _did2s, _prepare

    d, _, _ = _prepare(constant_panel, "y", "treat_year", "region_code", "year", "notyet",
                       "did2s", 5, 5)
    _, b, _ = _did2s(d, ["_D"])
    u = d[~d["_treated"]]
    # the ATT is the mean over treated cells of y − α̂_i − λ̂_t; recompute α̂, λ̂ by plain lstsq
    X = pd.get_dummies(u[["_u", "_t"]].astype(str), drop_first=False).to_numpy(float)
    coef, *_ = np.linalg.lstsq(X, u["_y"].to_numpy(), rcond=None)
    full = pd.get_dummies(d[["_u", "_t"]].astype(str), drop_first=False).to_numpy(float)
    tr = d["_treated"].to_numpy()
    att = float(np.mean(d["_y"].to_numpy()[tr] - full[tr] @ coef))
    assert b[0] == pytest.approx(att, abs=1e-10)


# --------------------------------------------------- Sun–Abraham and TWFE without pyfixest
def _pf_feols(d, names):
    """pyfixest.feols as the reference engine (the one did.py used until 2026-12), with the same
    (names, coef, vcov) signature as did._feols."""
    import warnings

    import pyfixest as pf

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        f = pf.feols(f"_y ~ {' + '.join(names)} | _u + _t", data=d, vcov={"CRV1": "_c"})
    return f.coef().index.tolist(), f.coef().to_numpy(), np.asarray(f._vcov)


def _with_clusters(df):
    return df.assign(province=pd.factorize(df["region_code"])[0] % 15)  # 15 coarse clusters


def _close(got, ref, coef_tol=1e-8, rel=1e-6):
    (gn, gb, gv), (rn, rb, rv) = got, ref
    assert gn == rn
    np.testing.assert_allclose(gb, rb, rtol=0, atol=coef_tol)
    np.testing.assert_allclose(np.sqrt(np.diag(gv)), np.sqrt(np.diag(rv)), rtol=rel)
    np.testing.assert_allclose(gv, rv, rtol=0, atol=rel * np.abs(rv).max())


def _edge_panel(df):
    """Singletons and collinearity, the cases where pyfixest drops something: one city keeps a
    single year (a singleton), and the 2013 cohort loses its year −1 (2012), so its cohort ×
    event-time dummies add up to the unit dummies and one of them must go."""
    units = df["region_code"].unique()
    lone = (df["region_code"] != units[0]) | (df["year"] == 2005)
    gap = ~((df["treat_year"] == 2013) & (df["year"] == 2012))
    return df[lone & gap]


@pytest.mark.parametrize("cluster", [None, "province"])
@pytest.mark.parametrize("edge", [False, True])
def test_feols_equals_pyfixest(dynamic_panel, cluster, edge, monkeypatch):
    """The project's FE regression (exact FWL, CRV1 with fixest's small-sample factor) against
    pyfixest.feols on the TWFE ATT, the TWFE event study and the Sun–Abraham saturated
    regression: same kept coefficients, coefficients within 1e-8, SEs within 1e-6 relative."""
    from yrdlib.methods import did

    df = _with_clusters(dynamic_panel)
    if edge:
        df = _edge_panel(df)
    d, cols, _ = did._prepare(df, "y", "treat_year", "region_code", "year", "never", "sunab", 5,
                              5, cluster)
    cap, feols = {}, did._feols

    def spy(dd, names):  # catch the saturated regression's data and columns
        cap["d"], cap["names"] = dd, names
        return feols(dd, names)

    monkeypatch.setattr(did, "_feols", spy)
    did._sunab(d, cols)
    monkeypatch.undo()
    if edge:
        assert len(did._feols(cap["d"], cap["names"])[0]) == len(cap["names"]) - 1
        assert did._singletons(*(pd.factorize(d[c])[0] for c in ("_u", "_t"))).sum() == 1
    for dd, names in ((d, ["_D"]), (d, [c for _, c in cols]), (cap["d"], cap["names"])):
        _close(did._feols(dd, names), _pf_feols(dd, names))


@pytest.mark.parametrize("cluster", [None, "province"])
@pytest.mark.parametrize("edge", [False, True])
def test_sunab_equals_pyfixest(dynamic_panel, cluster, edge, monkeypatch):
    """estimate_did(estimator="sunab") with the project's regression against the same
    aggregation on pyfixest.feols: ATT, event study, SEs and the pre-trend Wald statistic."""
    from yrdlib.methods import did

    df = _with_clusters(dynamic_panel)
    if edge:
        df = _edge_panel(df)
    kw = dict(estimator="sunab", control_group="never", cluster=cluster)
    got = estimate_did(df, "y", **kw)
    monkeypatch.setattr(did, "_feols", _pf_feols)
    ref = estimate_did(df, "y", **kw)
    assert got.att == pytest.approx(ref.att, rel=0, abs=1e-8)
    assert got.se == pytest.approx(ref.se, rel=1e-6)
    np.testing.assert_allclose(got.event_study["estimate"], ref.event_study["estimate"],
                               rtol=0, atol=1e-8)
    np.testing.assert_allclose(got.event_study["se"], ref.event_study["se"], rtol=1e-6)
    assert (got.event_study["n_obs"] == ref.event_study["n_obs"]).all()
    assert got.pretrend_df == ref.pretrend_df == 4
    assert got.pretrend_stat == pytest.approx(ref.pretrend_stat, rel=1e-6)


def test_sunab_real_panel_equals_pyfixest(monkeypatch):
    """On the real panel the Sun–Abraham ATT equals the same aggregation on pyfixest.feols
    (a pinned number would only follow the data's break decisions, not the estimator)."""
    from yrdlib.claims.common import did_data
    from yrdlib.methods import did

    d = did_data("share_tertiary", "association", (2000, 2023), "level")
    r = estimate_did(d, "y", estimator="sunab", control_group="never")
    monkeypatch.setattr(did, "_feols", _pf_feols)
    ref = estimate_did(d, "y", estimator="sunab", control_group="never")
    assert r.att == pytest.approx(ref.att, rel=0, abs=1e-8)
