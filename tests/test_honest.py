"""Rambachan–Roth confidence sets (yrdlib.methods.honest) against HonestDiD's published numbers,
the M̄ = 0 case, the old closed form, coverage by simulation and monotonicity."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from yrdlib.methods.honest import _Problem, honest_bounds

# Benzarti & Carloni (2019) event study shipped with HonestDiD (R: data(BCdata_EventStudy);
# 4 pre-periods, 4 post-periods), as printed in eohne/HonestDiD.jl test/reference.jl
# ("auto-generated reference values from the R HonestDiD package").
BC_BETA = [0.006696351804, 0.02934503369, -0.006472972222, 0.0730149895,
           0.1959611177, 0.3120639026, 0.2395415455, 0.1260425001]
BC_SIGMA = np.array([
    [0.0008428358124, 0.0004768686777, 0.0002618051076, 0.0002354220342, 0.0001676371467,
     0.0001128707663, 1.992816215e-05, -0.0001368265366],
    [0.0004768686777, 0.0006425420288, 0.0003987425007, 0.0002435515198, 0.0002201960306,
     0.0001804591157, 3.84376508e-05, -2.960421989e-05],
    [0.0002618051076, 0.0003987425007, 0.0005229949602, 0.000211768609, 0.0001840722252,
     0.000145852784, 7.005197403e-05, 5.952994979e-05],
    [0.0002354220342, 0.0002435515198, 0.000211768609, 0.0003089595411, 0.0001197866077,
     0.0001334081317, 0.0001016335009, 0.0001079051726],
    [0.0001676371467, 0.0002201960306, 0.0001840722252, 0.0001197866077, 0.000359970436,
     0.0002478818642, 0.0001749579242, 0.0001654256921],
    [0.0001128707663, 0.0001804591157, 0.000145852784, 0.0001334081317, 0.0002478818642,
     0.0004263949813, 0.0002171437809, 0.0002892747871],
    [1.992816215e-05, 3.84376508e-05, 7.005197403e-05, 0.0001016335009, 0.0001749579242,
     0.0002171437809, 0.0004886697861, 0.0003805322049],
    [-0.0001368265366, -2.960421989e-05, 5.952994979e-05, 0.0001079051726, 0.0001654256921,
     0.0002892747871, 0.0003805322049, 0.000761739444]])
BC = dict(zip([-5, -4, -3, -2, 0, 1, 2, 3], BC_BETA, strict=True))
E1, E3 = [1, 0, 0, 0], [0, 0, 1, 0]


def test_bc_relative_magnitudes_c_lf_matches_honestdid():
    """R HonestDiD createSensitivityResults_relativeMagnitudes(BC, defaults: C-LF, l = e1,
    Mbarvec = seq(0, 2, length 10), 1000 grid points on [−20 sd, 20 sd]); the R column of
    mcaceresb/stata-honestdid test/unit-tests-consistency.md. Differences: R's grid step
    (0.00076), its simulated LF critical value (1000 draws, R's seed) and its grid end 0.379,
    which truncates the upper bound from M̄ = 1.78 on."""
    ref = [(0, 0.159, 0.233), (0.222, 0.143, 0.248), (0.444, 0.123, 0.267),
           (0.667, 0.101, 0.288), (0.889, 0.0786, 0.309), (1.11, 0.0551, 0.330),
           (1.33, 0.0308, 0.352), (1.56, 0.00722, 0.376), (1.78, -0.0171, 0.379),
           (2.0, -0.0414, 0.379)]
    r = honest_bounds(BC, BC_SIGMA, grid=np.linspace(0, 2, 10), weights=E1)
    t = r["table"]
    for (m, lo, hi), (_, row) in zip(ref, t.iterrows(), strict=True):
        assert row["M"] == pytest.approx(m, abs=6e-3)
        assert row["ci_low"] == pytest.approx(lo, abs=1.5e-3)
        if hi < 0.379:
            assert row["ci_high"] == pytest.approx(hi, abs=1.5e-3)
        else:                       # R's grid ends at 20 sd = 0.3794: the set goes further
            assert row["ci_high"] > 0.379
    # the breakdown lies between the last excluding and the first including row of R's table
    assert 1.56 < r["breakdown"] < 1.78


@pytest.mark.parametrize("lvec, ref", [
    (E1, [(0, 0.172, 0.232), (0.5, 0.131, 0.253), (1, 0.0707, 0.313), (1.5, 0.0303, 0.354),
          (2, -0.0303, 0.414)]),
    (E3, [(0, 0.212, 0.273), (0.5, 0.0707, 0.414), (1, -0.0909, 0.576), (1.5, -0.253, 0.737),
          (2, -0.434, 0.919)]),
])
def test_bc_relative_magnitudes_conditional_on_honestdid_grid(lvec, ref):
    """R HonestDiD, method = "Conditional", gridPoints = 100 on [−1, 1] (stata-honestdid
    test/unit-tests-consistency.md, "change grid, search, method"): R reports the first and
    last accepted grid point, so our exact bounds must fall in the grid step just outside."""
    grid = np.linspace(-1, 1, 100)
    step = grid[1] - grid[0]
    t = honest_bounds(BC, BC_SIGMA, grid=[m for m, _, _ in ref], weights=lvec,
                      method="conditional", breakdown=False)["table"]
    for (_, lo, hi), (_, row) in zip(ref, t.iterrows(), strict=True):
        g_lo = grid[np.argmin(np.abs(grid - lo))]
        g_hi = grid[np.argmin(np.abs(grid - hi))]
        assert g_lo - step < row["ci_low"] <= g_lo
        assert g_hi <= row["ci_high"] < g_hi + step


def test_bc_smoothness_conditional_matches_honestdid():
    """R HonestDiD createSensitivityResults(BC, method = "Conditional", Mvec = c(0, .1, .2)),
    l = e1, as in eohne/HonestDiD.jl test/reference.jl (SENS_COND). R reports accepted grid
    points, so its bounds lie inside ours, by less than its grid step."""
    ref = [(0, 0.2100501789, 0.3277998271), (0.1, 0.1195044811, 0.4180257149),
           (0.2, 0.02030132213, 0.5179737331)]
    t = honest_bounds(BC, BC_SIGMA, restriction="sd", grid=[m for m, _, _ in ref], weights=E1,
                      method="conditional", breakdown=False)["table"]
    for (_, lo, hi), (_, row) in zip(ref, t.iterrows(), strict=True):
        assert row["ci_low"] <= lo + 1e-7 and lo - row["ci_low"] < 1.5e-3
        assert row["ci_high"] >= hi - 1e-7 and row["ci_high"] - hi < 1.5e-3


def _es(pre=5, post=6, seed=0, slope=0.0, effect=0.3, scale=0.03, rho=0.5):
    """A correlated event study (event times −pre−1..−2, 0..post−1) with a linear trend."""
    rng = np.random.default_rng(seed)
    idx = list(range(-pre - 1, -1)) + list(range(post))
    n = len(idx)
    Q = rng.normal(size=(n, n))
    S = (rho * Q @ Q.T / n + (1 - rho) * np.eye(n)) * scale ** 2
    mean = np.array([slope * (e + 1) + (effect if e >= 0 else 0.0) for e in idx])
    return idx, mean, S, rng


def test_mbar_zero_is_the_plain_interval():
    """ΔRM(0) forces every post-period δ to equal δ_{−1} = 0 (HonestDiD: "M̄ = 0 … imposes
    parallel trends in the post-periods"), so θ = l'β_post and the set is the usual
    l'β̂ ± z·se: exactly for the conditional test, up to the simulated κ-quantile for C-LF."""
    for seed in range(3):
        idx, mean, S, rng = _es(seed=seed, slope=0.02)
        b = dict(zip(idx, rng.multivariate_normal(mean, S), strict=True))
        for method, tol in (("conditional", 1e-5), ("C-LF", 0.03)):
            r = honest_bounds(b, S, grid=[0.0], method=method, breakdown=False)
            z = stats.norm.ppf(0.975)
            row = r["table"].iloc[0]
            assert row["ci_low"] == pytest.approx(r["theta"] - z * r["se"], abs=tol * r["se"])
            assert row["ci_high"] == pytest.approx(r["theta"] + z * r["se"], abs=tol * r["se"])


def test_c_lf_inside_the_closed_form():
    """The honestdid sets are never wider than the old Bonferroni closed form (up to the LF
    simulation error at M̄ = 0, where both are the plain interval)."""
    grid = [0, 0.25, 0.5, 1, 2]
    for seed in range(8):
        idx, mean, S, rng = _es(seed=seed, slope=0.01 * (seed - 4))
        b = dict(zip(idx, rng.multivariate_normal(mean, S), strict=True))
        cf = honest_bounds(b, S, grid=grid, method="closed-form")
        for method in ("C-LF", "conditional"):
            t = honest_bounds(b, S, grid=grid, method=method, breakdown=False)["table"]
            slack = np.where(t["M"] == 0, 0.03, 1e-9) * cf["se"]
            assert (t["ci_low"] >= cf["table"]["ci_low"] - slack).all()
            assert (t["ci_high"] <= cf["table"]["ci_high"] + slack).all()
            wide = t["M"] > 0
            assert ((t["ci_high"] - t["ci_low"])[wide]
                    < (cf["table"]["ci_high"] - cf["table"]["ci_low"])[wide]).all()


@pytest.mark.parametrize("design", ["parallel", "linear", "zigzag"])
def test_coverage_under_the_restriction(design):
    """β̂ ~ N(β, Σ) with β's bias δ inside ΔRM(M̄) (for the linear trend and the zigzag on the
    boundary: the post changes are exactly M̄ × the largest pre change). θ must be accepted
    (hence inside the reported interval) in ≥ 1 − α − 3 MC-s.e. of the draws."""
    pre, post, n_draw = 4, 5, 400
    idx = list(range(-pre - 1, -1)) + list(range(post))
    if design == "parallel":
        mbar, delta = 0.0, np.zeros(len(idx))
    elif design == "linear":
        mbar, delta = 1.0, np.array([0.04 * (e + 1) for e in idx])
    else:   # pre changes alternate ±0.05; post bias grows by 0.5 × 0.05 per period
        mbar = 0.5
        pre_d = np.array([0.05 * (-1) ** k for k in range(pre)])
        d_pre = -np.cumsum(pre_d[::-1])[::-1]          # δ_{−1} = 0, changes pre_d
        d_post = 0.025 * np.arange(1, post + 1)
        delta = np.r_[d_pre, d_post]
    rng = np.random.default_rng(11)
    n = len(idx)
    Q = rng.normal(size=(n, n))
    S = (0.5 * Q @ Q.T / n + 0.5 * np.eye(n)) * 0.03 ** 2
    tau = np.r_[np.zeros(pre), 0.3 + 0.02 * np.arange(post)]
    lvec = np.full(post, 1 / post)
    theta = float(lvec @ tau[pre:])
    hits = wrong = 0
    for _ in range(n_draw):
        bhat = rng.multivariate_normal(delta + tau, S)
        prob = _Problem(bhat, S, pre, lvec, 0.05, "C-LF", 2000, seed=int(rng.integers(1 << 30)))
        hits += prob.accept(list(prob.polys("rm", mbar)), theta)[0]
        if design != "parallel":    # the same draws under a too strict M̄ = 0: must fail
            wrong += prob.accept(list(prob.polys("rm", 0.0)), theta)[0]
    mc = np.sqrt(0.05 * 0.95 / n_draw)
    assert hits / n_draw >= 0.95 - 3 * mc
    if design != "parallel":
        assert wrong / n_draw < 0.5
    # the public interval contains θ whenever the test accepts it (one draw checked)
    b = dict(zip(idx, delta + tau, strict=True))
    row = honest_bounds(b, S, grid=[mbar], breakdown=False)["table"].iloc[0]
    assert row["ci_low"] <= theta <= row["ci_high"]


def test_monotone_in_mbar_and_breakdown_consistent():
    idx, mean, S, rng = _es(seed=5, slope=0.01, effect=0.15)
    b = dict(zip(idx, rng.multivariate_normal(mean, S), strict=True))
    grid = np.linspace(0, 3, 13)
    for method in ("C-LF", "conditional"):
        r = honest_bounds(b, S, grid=grid, method=method)
        t = r["table"]
        assert (np.diff(t["ci_low"]) <= 1e-9).all() and (np.diff(t["ci_high"]) >= -1e-9).all()
        bd = r["breakdown"]
        assert 0 < bd < r["breakdown_cap"]
        assert t.loc[t["M"] < bd, "excludes_zero"].all()
        assert not t.loc[t["M"] > bd + 1e-3, "excludes_zero"].any()
        near = honest_bounds(b, S, grid=[bd * 0.98, bd * 1.02], method=method,
                             breakdown=False)["table"]
        assert list(near["excludes_zero"]) == [True, False]


def test_breakdown_edge_cases():
    idx, mean, S, _ = _es(seed=2, effect=0.0)
    b = dict(zip(idx, mean, strict=True))           # θ̂ = 0: includes 0 already at M̄ = 0
    assert np.isnan(honest_bounds(b, S)["breakdown"])
    idx, mean, S, _ = _es(seed=2, effect=5.0, slope=0.0)
    b = dict(zip(idx, mean, strict=True))           # no pre-trend at all and a huge effect
    r = honest_bounds(b, S)
    assert r["breakdown"] > 1 and r["table"]["excludes_zero"].all()


def test_bc_smoothness_flci_matches_honestdid():
    """R HonestDiD findOptimalFLCI(BC, M, l = e1) as printed in eohne/HonestDiD.jl
    test/reference.jl (FLCI_BC, FLCI_OPTVEC_M01); R simulates the folded-normal quantile with
    10⁶ draws, hence the 2e-4 tolerance. l = e3: stata-honestdid unit-tests-consistency.md
    (R column, 3 significant digits)."""
    ref = [(0.0, 0.131411316, 0.2161696482), (0.1, 0.1194440001, 0.4185082143),
           (0.2, 0.01944400015, 0.5185082143)]
    r = honest_bounds(BC, BC_SIGMA, restriction="sd", grid=[m for m, _, _ in ref], weights=E1)
    assert r["ci_method"] == "FLCI"                   # HonestDiD's default for ΔSD
    for (_, lo, hi), (_, row) in zip(ref, r["table"].iterrows(), strict=True):
        assert row["ci_low"] == pytest.approx(lo, abs=2e-4)
        assert row["ci_high"] == pytest.approx(hi, abs=2e-4)
    np.testing.assert_allclose(r["flci_vectors"][0.1], [0, 0, 0, 1, 1, 0, 0, 0], atol=1e-3)
    ref3 = [(0.0, 0.144, 0.260), (0.1, -0.244, 1.16), (0.2, -0.844, 1.76), (0.3, -1.44, 2.36)]
    t = honest_bounds(BC, BC_SIGMA, restriction="sd", grid=[m for m, _, _ in ref3], weights=E3,
                      breakdown=False)["table"]
    for (_, lo, hi), (_, row) in zip(ref3, t.iterrows(), strict=True):
        assert row["ci_low"] == pytest.approx(lo, abs=6e-3)
        assert row["ci_high"] == pytest.approx(hi, abs=6e-3)
