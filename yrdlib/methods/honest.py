"""Sensitivity of the average post-period effect to violations of parallel trends: the confidence
sets of Rambachan & Roth (2023, *RES*, "A More Credible Approach to Parallel Trends") as the
``honestdid`` package (R: asheshrambachan/HonestDiD, ``computeConditionalCS_DeltaRM`` /
``_DeltaSD``; Stata / Python ports) computes them, with the moment-inequality tests of
Andrews, Roth & Pakes (2023, *RES*, "Inference for linear conditional moment inequalities").

``honestdid`` itself is not used (the Python port needs torch and cvxpy; the R package needs R):
the same construction is written here with numpy / scipy, step by step as in HonestDiD's
``R/deltarm.R``, ``R/deltasd.R`` and ``R/arp-nuisance.R``.

Notation (HonestDiD's): β̂ = (β̂_pre, β̂_post), event times e ≤ −2 (pre) and 0..L−1 (post), the
reference e = −1 is δ = 0; θ = l'τ_post with l = ``weights`` (default: the mean of the post
effects). A restriction is a union of polyhedra {δ : Aδ ≤ d}:

* **ΔRM(M̄)** (relative magnitudes): every post-period change |δ_{t+1} − δ_t| ≤ M̄ · the largest
  pre-period change. It is the union over the location s of the largest pre-period change and
  its sign (2 × n_pre polyhedra, ``.create_A_RM``); the confidence set is the union of the
  sets of the polyhedra. M̄ = 0 imposes δ_post = δ_{−1} = 0: the set is then (up to the test
  used) the usual interval for l'β̂_post.
* **ΔSD(M)** (smoothness): every second difference of δ is at most M in absolute value.

For one polyhedron, H0: θ = θ̄ is the moment inequality E[Aβ̂ − d − A_post Γ⁻¹(θ̄, τ̃)] ≤ 0 with
a nuisance τ̃ (Γ has l' as first row; only the rows that involve post periods are tested, as
HonestDiD's default ``postPeriodMomentsOnly = TRUE``). The ARP statistic η̂ = min_τ̃ max_i
(y_i − X_i τ̃)/σ_i is an LP; its dual is max λ'y over {λ ≥ 0, σ'λ = 1, X'λ = 0}. X comes
from the post-period columns of A only, which do not depend on M̄, s or the sign, so the extreme
rays of {λ ≥ 0 : X'λ = 0} are enumerated once (2L rows, bases of L: 924 for L = 6; at most 9
post periods) and each polyhedron's dual vertices are these rays scaled to σ'λ = 1. η̂(θ̄) is a
maximum over the vertices (the LP's value: checked against ``linprog``), the optimal vertex γ̃ is
HonestDiD's ``lambda``, and the truncation bounds v_lo, v_up of the conditional test (the values
of η for which γ̃ stays optimal; HonestDiD finds them by the bisection of ARP's Algorithm 1,
``.vlo_vup_dual_fn``, or, when the LP is not degenerate, by its primal formula) are closed-form
ratios over the vertices (checked equal to the primal formula where that applies). Test: reject
when η̂/σ_B exceeds max(0, the 1 − α quantile of N(0,1) truncated to [v_lo, v_up]/σ_B).

``method``:

* ``"C-LF"`` (default; HonestDiD's default for ΔRM): the conditional-least-favourable hybrid.
  First stage: reject if η̂ > c_LF, the 1 − κ quantile (κ = α/10) of η under the least
  favourable null (``.compute_least_favorable_cv``, simulated: ``lf_sims`` draws with a fixed
  seed; HonestDiD draws 1000 with R's seed 0, so the two differ by Monte-Carlo error only);
  second stage: the conditional test at size (α − κ)/(1 − κ) with v_up capped at c_LF.
* ``"conditional"``: the ARP conditional test at size α (HonestDiD's ``"Conditional"``).
* ``"FLCI"`` (ΔSD only; HonestDiD's default there): the fixed-length interval around the
  optimal affine estimator (``R/flci.R``; see :class:`_Flci`).
* ``"closed-form"``: this project's earlier closed-form, conservative bounds, kept for
  comparison (RM: θ̂ ± (z·se + M̄·c₁·Δ_U) with a Bonferroni upper bound Δ_U of the largest
  pre-period change; SD: linear extrapolation of the last pre-period slope ± M·c₂).

The confidence set is inverted over θ: the test is vectorised over a grid of θ around θ̂
(widened until both ends are rejected), and each end of the accepted set is refined by bisection
(to 1e−7 of the grid width); the interval reported is [min, max] of the accepted θ, as
HonestDiD's ``createSensitivityResults*`` report it. HonestDiD's own grids (1000 points over a
fixed range) truncate the set at the range ends; here the range grows instead.

Breakdown value: the largest M̄ (or M) at which the test still rejects θ = 0 in every polyhedron,
by bisection on M̄ in [0, cap] (cap 10 for M̄; for M, a bias of 50 standard errors of θ̂); ``inf``
if 0 is still rejected at the cap, NaN if the interval at M̄ = 0 already includes 0.

``method=None`` takes HonestDiD's defaults: C-LF for ΔRM, FLCI for ΔSD (the conditional and
C-LF tests are also available for ΔSD, as in HonestDiD).

Checked against HonestDiD's published numbers for the Benzarti–Carloni example
(tests/test_honest.py). Runtime, measured on the project's 2-core machine under load ≈ 2–4, for 5
pre- and 6 post-period coefficients: the C-LF interval at one M̄ plus the breakdown value 0.17 s
(median of 5), the default table (7 values of M̄) plus the breakdown 0.36 s; "conditional"
about 3× faster (no least-favourable simulation); the ΔSD FLCI table (4 M) plus breakdown for
the Benzarti–Carloni example 0.2 s.
Binned event-time endpoints (≤ −leads, ≥ lags) are treated as single periods (noted).
"""

from __future__ import annotations

import itertools
from math import comb

import numpy as np
import pandas as pd
from scipy import stats
from scipy.special import log_ndtr, ndtri_exp

from yrdlib.methods._common import MethodError
from yrdlib.methods._flci import _Flci

__all__ = ["honest_bounds"]

_MBAR = (0.0, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0)
_M = (0.0, 0.01, 0.02, 0.05, 0.1)
_METHODS = ("C-LF", "conditional", "FLCI", "closed-form")
MBAR_CAP = 10.0          # breakdown search range for M̄
SD_CAP_SE = 50.0         # breakdown search range for M: a bias of this many se(θ̂)
_MAX_BASES = 60_000      # vertex enumeration limit (L ≤ 9 post periods)
_GRID = 400              # θ grid points per pass before bisection


# --------------------------------------------------------------------------- restrictions
def _rm_rows(npre: int, npost: int, mbar: float, s: int, positive: bool) -> np.ndarray:
    """Rows of HonestDiD's ``.create_A_RM`` that involve post periods (the ARP moments):
    ±(δ_t − δ_{t−1}) − M̄·sign·(δ_s − δ_{s−1}) ≤ 0 for t = 1..L, s ∈ {−n_pre+1, …, 0}, in
    HonestDiD's time index (reference t = 0 dropped, columns = n_pre pre + L post)."""
    n = npre + npost

    def col(t):  # HonestDiD period t → column, None for the reference t = 0
        return None if t == 0 else (t + npre if t < 0 else t + npre - 1)

    def diff(t):  # row vector of δ_t − δ_{t−1}
        v = np.zeros(n)
        for tt, c in ((t, 1.0), (t - 1, -1.0)):
            j = col(tt)
            if j is not None:
                v[j] += c
        return v

    w = diff(s) * (1.0 if positive else -1.0)
    rows = [sg * diff(t) - mbar * w for sg in (1.0, -1.0) for t in range(1, npost + 1)]
    return np.array(rows)


def _sd_rows(npre: int, npost: int) -> np.ndarray:
    """Rows of HonestDiD's ``.create_A_SD`` that involve post periods: ±(δ_{t+1} − 2δ_t +
    δ_{t−1}) for t = 0..L−1 (the bound M is in d). With one post period HonestDiD tests all
    rows (t = −n_pre+1..0; ``postPeriodMomentsOnly`` applies only when L > 1), and so here."""
    n = npre + npost
    out = []
    for t in range(0 if npost > 1 else 1 - npre, npost):
        v = np.zeros(n)
        for tt, c in ((t - 1, 1.0), (t, -2.0), (t + 1, 1.0)):
            if tt != 0:
                v[tt + npre if tt < 0 else tt + npre - 1] += c
        out.append(v)
    out = np.array(out)
    return np.vstack([out, -out])


# --------------------------------------------------------------------------- ARP machinery
def _gamma_inv(lvec: np.ndarray) -> np.ndarray:
    """Inverse of Γ = [l'; e_j' for j ≠ j₀] (HonestDiD's ``.construct_Gamma``: any completion
    of l' to a basis gives the same test)."""
    j0 = int(np.flatnonzero(np.abs(lvec) > 1e-12)[0])
    G = np.eye(len(lvec))
    G = np.vstack([lvec, np.delete(G, j0, axis=0)])
    return np.linalg.inv(G)


def _dual_vertices(sd: np.ndarray, X: np.ndarray) -> np.ndarray:
    """Vertices of {λ ≥ 0 : σ'λ = 1, X'λ = 0} by enumerating bases (rows = vertices)."""
    m, k = X.shape
    B = np.vstack([sd, X.T])                      # (k+1) × m; the σ row first
    B = B / np.abs(B).max(axis=1, keepdims=True).clip(1e-300)
    keep = [0]
    for i in range(1, k + 1):                     # drop dependent equality rows
        if np.linalg.matrix_rank(B[keep + [i]]) > len(keep):
            keep.append(i)
    B, r = B[keep], len(keep)
    nb = comb(m, r)
    if nb > _MAX_BASES:
        raise MethodError(f"{m // 2} post periods: too many ({nb}) bases to enumerate; "
                          "bin the event-time endpoints to at most 9 post periods")
    idx = np.array(list(itertools.combinations(range(m), r)))
    Bs = B[:, idx].transpose(1, 0, 2)             # nb × r × r
    det = np.linalg.det(Bs)
    ok = np.abs(det) > 1e-10
    rhs = np.zeros(r)
    rhs[0] = 1.0
    sol = np.linalg.solve(Bs[ok], np.broadcast_to(rhs, (ok.sum(), r))[..., None])[..., 0]
    feas = (sol >= -1e-10).all(axis=1)
    lam = np.zeros((int(feas.sum()), m))
    rows = np.repeat(np.arange(lam.shape[0]), r)
    lam[rows, idx[ok][feas].ravel()] = np.clip(sol[feas], 0, None).ravel()
    # undo the row scaling of σ'λ = 1 (λ solves the scaled system: σ'λ = scale)
    lam = lam / (lam @ sd)[:, None]
    lam = np.unique(np.round(lam, 12), axis=0)
    # keep only those that satisfy the equalities (numerically)
    ok2 = np.abs(lam @ X).max(axis=1, initial=0.0) <= 1e-8 * max(1.0, np.abs(X).max(initial=0))
    return lam[ok2]


def _tn_ppf(p: float, lo: np.ndarray, up: np.ndarray) -> np.ndarray:
    """Quantile p of N(0,1) truncated to [lo, up], accurate in the tails (log space), as
    HonestDiD's ``.norminvp_generalized`` (TruncatedNormal::norminvp)."""
    lo, up = np.broadcast_arrays(np.asarray(lo, float), np.asarray(up, float))
    flip = lo > 0                                  # work in the lower tail
    l2, u2 = np.where(flip, -up, lo), np.where(flip, -lo, up)
    p2 = np.where(flip, 1.0 - p, p)
    la, lb = log_ndtr(l2), log_ndtr(u2)
    with np.errstate(divide="ignore"):
        q = ndtri_exp(np.logaddexp(np.log1p(-p2) + la, np.log(p2) + lb))
    return np.where(flip, -q, q)


class _Poly:
    """One polyhedron {Aδ ≤ d}: everything the test of θ needs that does not depend on θ.
    ``rays``: extreme rays of {λ ≥ 0 : X'λ = 0}; X depends only on the post-period columns
    of A, which are the same for every M̄, s and sign, so the rays are enumerated once and
    the dual vertices are the rays scaled to σ'λ = 1."""

    def __init__(self, A, d, beta, Sigma, npre, a, rays, zdraws, kappa, lf):
        self.a = a
        Y = A @ beta - d
        SY = A @ Sigma @ A.T
        sd = np.sqrt(np.clip(np.diag(SY), 0, None))
        if (sd <= 0).any():
            raise MethodError("a tested moment has zero variance; check the covariance")
        V = rays / (rays @ sd)[:, None]
        self.nv = len(V)
        self.VY, self.Va = V @ Y, V @ a
        self.G = V @ SY @ V.T
        self.g = np.diag(self.G).copy()
        self.lf_cv = np.inf
        if lf and self.nv:
            eta = (zdraws @ (V @ A).T).max(axis=1)
            self.lf_cv = float(np.quantile(eta, 1 - kappa))

    def reject(self, theta, alpha, kappa, lf):
        """Vectorised ARP (or C-LF) test of H0: θ = theta; returns a boolean array."""
        theta = np.atleast_1d(np.asarray(theta, float))
        if self.nv == 0:                           # LP unbounded: HonestDiD does not reject
            return np.zeros(theta.shape, bool)
        E = self.VY[:, None] - self.Va[:, None] * theta[None, :]
        j = E.argmax(axis=0)
        cols = np.arange(theta.size)
        eta = E[j, cols]
        s2 = self.g[j]
        sB = np.sqrt(np.clip(s2, 0, None))
        W = self.G[:, j] / np.where(s2 > 0, s2, 1.0)
        den = 1.0 - W
        num = E - W * eta
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = num / den
        vlo = np.where(den > 1e-9, ratio, -np.inf).max(axis=0)
        vup = np.where(den < -1e-9, ratio, np.inf).min(axis=0)
        if lf:
            size = (alpha - kappa) / (1 - kappa)
            vup = np.minimum(vup, self.lf_cv)
        else:
            size = alpha
        with np.errstate(divide="ignore", invalid="ignore"):
            ms, zlo, zup = eta / sB, vlo / sB, vup / sB
        inside = (zlo <= ms) & (ms <= zup)
        cval = np.zeros_like(ms)
        if inside.any():
            cval[inside] = np.maximum(0.0, _tn_ppf(1 - size, zlo[inside], zup[inside]))
        rej = inside & (ms > cval)
        tiny = sB < 1e-10
        rej = np.where(tiny, eta > 0, rej)
        if lf:
            rej |= eta > self.lf_cv
        return rej


class _Problem:
    """The event study, the target l and the test settings; builds the polyhedra of a
    restriction at a given M̄ / M and inverts the test."""

    def __init__(self, beta, Sigma, npre, lvec, alpha, method, sims, seed=0):
        self.beta, self.Sigma, self.npre, self.l = beta, Sigma, npre, lvec
        self.npost = len(lvec)
        self.alpha, self.kappa = alpha, alpha / 10
        self.lf = method == "C-LF"
        self.zdraws, self._rays = None, {}
        if self.lf:
            w, U = np.linalg.eigh(Sigma)
            root = U * np.sqrt(np.clip(w, 0, None))
            z = np.random.default_rng(seed).standard_normal((sims, len(beta)))
            self.zdraws = z @ root.T               # draws of β̂ − β ~ N(0, Σ)
        post = Sigma[npre:, npre:]
        self.theta = float(lvec @ beta[npre:])
        self.se = float(np.sqrt(lvec @ post @ lvec))

    def polys(self, restriction, m):
        """The polyhedra of the restriction at M̄ (or M), built lazily (a generator)."""
        npre, npost = self.npre, self.npost
        if restriction == "rm":
            specs = ((_rm_rows(npre, npost, m, s, pos), np.zeros(2 * npost))
                     for s in range(-(npre - 1), 1) for pos in (True, False))
        else:
            A = _sd_rows(npre, npost)
            specs = iter([(A, np.full(len(A), float(m)))])
        for A, d in specs:
            if restriction not in self._rays:
                AG = A[:, npre:] @ _gamma_inv(self.l)
                self._rays[restriction] = (AG[:, 0],
                                           _dual_vertices(np.ones(len(AG)), AG[:, 1:]))
            a, rays = self._rays[restriction]
            yield _Poly(A, d, self.beta, self.Sigma, npre, a, rays, self.zdraws, self.kappa,
                        self.lf)

    def accept(self, polys, theta):
        theta = np.atleast_1d(theta)
        acc = np.zeros(theta.shape, bool)
        for p in polys:
            acc |= ~p.reject(theta, self.alpha, self.kappa, self.lf)
        return acc

    def interval(self, polys, halfwidth):
        """[min, max] of the accepted θ: grid, widened until both ends reject, then bisection."""
        lo, hi = self.theta - halfwidth, self.theta + halfwidth
        for _ in range(40):
            grid = np.linspace(lo, hi, _GRID)
            acc = self.accept(polys, grid)
            if not acc.any():
                # nothing accepted: either empty, or a set narrower than the grid step
                mid = self.theta
                if self.accept(polys, mid)[0]:
                    grid = np.linspace(mid - (hi - lo) / _GRID, mid + (hi - lo) / _GRID, _GRID)
                    acc = self.accept(polys, grid)
                if not acc.any():
                    return np.nan, np.nan
            w = hi - lo
            if acc[0] or acc[-1]:
                lo = lo - w if acc[0] else lo
                hi = hi + w if acc[-1] else hi
                continue
            i, k = np.flatnonzero(acc)[[0, -1]]
            tol = 1e-7 * (grid[-1] - grid[0])
            return (self._bisect(polys, grid[i - 1], grid[i], tol),
                    self._bisect(polys, grid[k + 1], grid[k], tol))
        raise MethodError("the confidence set does not close within 2^40 times the start range")

    def _bisect(self, polys, rej, acc, tol):
        while abs(acc - rej) > tol:
            mid = 0.5 * (acc + rej)
            if self.accept(polys, mid)[0]:
                acc = mid
            else:
                rej = mid
        return float(acc)


def honest_bounds(estimates, vcov, restriction: str = "rm", grid=None, alpha: float = 0.05,
                  alpha_pre: float | None = None, weights=None, method: str | None = None,
                  lf_sims: int = 5000, seed: int = 0, breakdown: bool = True) -> dict:
    """Sensitivity table and breakdown value for the average post-period effect.

    ``estimates``: event-study coefficients indexed by event time (int or str; the reference −1
    absent or 0); ``vcov``: their covariance (same order, array or DataFrame). ``restriction``:
    ``"rm"`` (relative magnitudes, grid of M̄) or ``"sd"`` (smoothness, grid of M in outcome
    units per period²). ``method``: ``"C-LF"`` (HonestDiD's hybrid), ``"conditional"`` (ARP),
    ``"FLCI"`` (ΔSD only) or ``"closed-form"`` (the earlier conservative bounds; only this one
    uses ``alpha_pre``); None = HonestDiD's default: "C-LF" for ΔRM, "FLCI" for ΔSD.
    ``weights``: l, the weights of the post periods in θ (default equal). Returns ``{"table":
    DataFrame(M, ci_low, ci_high, excludes_zero), "breakdown": float, "theta", "se",
    "restriction", "method" (description), "ci_method", "alpha", "post_times", "pre_times",
    "notes", "breakdown_cap", ...}``."""
    if method is None:
        method = "C-LF" if restriction == "rm" else "FLCI"
    if method not in _METHODS:
        raise MethodError(f"method must be one of {_METHODS}, got {method!r}")
    if restriction not in ("rm", "sd"):
        raise MethodError(f"restriction must be 'rm' or 'sd', got {restriction!r}")
    if method == "FLCI" and restriction != "sd":
        raise MethodError("the FLCI is defined for the smoothness restriction (ΔSD) only")
    if not 0 < alpha < 1:
        raise MethodError("alpha must lie in (0, 1)")
    b = pd.Series(estimates, dtype=float).copy()
    b.index = [int(i) for i in b.index]
    V = np.asarray(vcov, dtype=float)
    if V.shape != (len(b), len(b)):
        raise MethodError(f"vcov has shape {V.shape}, expected {(len(b), len(b))}")
    keep = np.array([i != -1 for i in b.index])
    b, V = b[keep], V[np.ix_(keep, keep)]
    order = np.argsort(b.index.to_numpy())
    b, V = b.iloc[order], V[np.ix_(order, order)]
    if not (np.all(np.isfinite(b.to_numpy())) and np.all(np.isfinite(V))):
        raise MethodError("estimates or vcov contain non-finite values")
    times = b.index.to_numpy()
    pre, post = times[times <= -2], times[times >= 0]
    if len(post) == 0:
        raise MethodError("no post-period (event time ≥ 0) coefficient")
    if len(pre) == 0:
        raise MethodError("no pre-period coefficient (event time ≤ −2): bounds need a pre-trend")
    if not np.all(np.diff(post) == 1) or post[0] != 0:
        raise MethodError(f"post-period event times must be 0, 1, 2, … without gaps; got {post}")
    if method != "closed-form" and (pre[-1] != -2 or not np.all(np.diff(pre) == 1)):
        raise MethodError(f"pre-period event times must be …, −3, −2 without gaps; got {pre}")
    L = len(post)
    lw = np.full(L, 1.0 / L) if weights is None else np.asarray(weights, float)
    if lw.shape != (L,):
        raise MethodError(f"weights must have {L} entries (one per post period)")
    if not np.any(lw != 0):
        raise MethodError("weights are all zero")
    grid = (_MBAR if restriction == "rm" else _M) if grid is None else grid
    if method == "closed-form":
        return _closed_form(b, V, pre, post, lw, restriction, grid, alpha, alpha_pre)

    beta, npre = b.to_numpy(), len(pre)
    flci = _Flci(V, npre, lw, alpha) if method == "FLCI" else None
    prob = _Problem(beta, V, npre, lw, alpha, "conditional" if flci else method,
                    int(lf_sims), seed)
    theta, se = prob.theta, prob.se
    # start range of the θ grid: 20 se plus a bound on the bias (widened if not closed)
    seq = list(beta[:npre]) + [0.0]
    dpre = np.abs(np.diff(seq))
    dse = np.sqrt(np.array([V[i, i] + (V[i + 1, i + 1] - 2 * V[i, i + 1] if i + 1 < npre else 0)
                            for i in range(npre)]))
    t1 = np.arange(1, L + 1)
    if restriction == "rm":
        scale = float(np.abs(lw) @ t1) * float(np.max(dpre + 3 * dse))
        cap = MBAR_CAP
    else:
        c2 = float(np.abs(lw) @ (t1 * (t1 + 1) / 2))
        scale = c2
        cap = SD_CAP_SE * se / c2

    def interval_at(m):
        if flci is not None:
            return flci.ci(beta, m)[:2]
        return prob.interval(list(prob.polys(restriction, m)), 20 * se + m * scale)

    out = [(float(m), *interval_at(float(m))) for m in grid]
    table = pd.DataFrame(out, columns=["M", "ci_low", "ci_high"])
    table["excludes_zero"] = (table["ci_low"] > 0) | (table["ci_high"] < 0)

    notes = ["binned endpoints treated as single periods"]
    lo0, hi0 = ((np.nan, np.nan) if not breakdown
                else table.loc[table["M"] == 0, ["ci_low", "ci_high"]].iloc[0]
                if (table["M"] == 0).any() else interval_at(0.0))
    if not breakdown:
        bd = np.nan
        notes.append("breakdown value not computed (breakdown=False)")
    elif not (lo0 > 0 or hi0 < 0):
        bd = np.nan
        notes.append("the interval includes 0 even without violations: no breakdown value")
    else:
        def rejects0(m):  # stops at the first polyhedron that accepts θ = 0
            if flci is not None:
                lo, hi = flci.ci(beta, m)[:2]
                return lo > 0 or hi < 0
            return not any(not p.reject(0.0, alpha, prob.kappa, prob.lf)[0]
                           for p in prob.polys(restriction, m))

        if rejects0(cap):
            bd = np.inf
            notes.append(f"0 is rejected up to the cap {cap:g}: breakdown reported as inf")
        else:
            a_, b_ = 0.0, cap
            while b_ - a_ > 1e-4 * cap:
                mid = 0.5 * (a_ + b_)
                a_, b_ = (mid, b_) if rejects0(mid) else (a_, mid)
            bd = a_
    names = {"C-LF": "conditional-least-favourable hybrid (C-LF, κ = α/10)",
             "conditional": "ARP conditional test",
             "FLCI": "fixed-length confidence interval (FLCI, optimal affine estimator)"}
    desc = (("relative magnitudes (ΔRM), union over the location and sign of the largest "
             "pre-period change" if restriction == "rm" else "smoothness (ΔSD)")
            + f"; HonestDiD {names[method]}")
    extra = {"delta_pre": float(np.max(dpre))} if restriction == "rm" else {}
    if prob.lf:
        extra["lf_sims"] = int(lf_sims)
    if flci is not None:
        extra["flci_vectors"] = {float(m): flci.ci(beta, float(m))[2] for m in grid}
    return {"table": table, "breakdown": float(bd), "theta": theta, "se": se,
            "restriction": restriction, "method": desc, "ci_method": method, "alpha": alpha,
            "post_times": [int(t) for t in post], "pre_times": [int(t) for t in pre],
            "notes": notes, "breakdown_cap": float(cap), **extra}


def _closed_form(b, V, pre, post, lw, restriction, grid, alpha, alpha_pre) -> dict:
    """The earlier closed-form, conservative bounds (kept for comparison; see the docstring)."""
    times = b.index.to_numpy()
    L = len(post)
    k1 = np.arange(1, L + 1)
    c1 = float(lw @ k1)
    c2 = float(lw @ (k1 * (k1 + 1) / 2))
    pos = {t: j for j, t in enumerate(times)}
    a = np.zeros(len(b))
    for t, w in zip(post, lw, strict=True):
        a[pos[t]] = w
    theta, se = float(a @ b.to_numpy()), float(np.sqrt(a @ V @ a))
    notes = ["binned endpoints treated as single periods"]
    if restriction == "rm":
        ap = alpha / 2 if alpha_pre is None else float(alpha_pre)
        if not 0 < ap < alpha:
            raise MethodError("alpha_pre must lie strictly between 0 and alpha")
        seq = list(pre) + [-1]
        rows = []
        for s0, s1 in itertools.pairwise(seq):
            c = np.zeros(len(b))
            if s1 != -1:
                c[pos[s1]] += 1
            c[pos[s0]] -= 1
            rows.append(c)
        D = np.array(rows)
        d_hat, d_se = D @ b.to_numpy(), np.sqrt(np.einsum("ij,jk,ik->i", D, V, D))
        zb = stats.norm.ppf(1 - ap / (2 * len(D)))
        delta_u = float(np.max(np.abs(d_hat) + zb * d_se))
        z0, z1 = stats.norm.ppf(1 - alpha / 2), stats.norm.ppf(1 - (alpha - ap) / 2)
        out = []
        for m in grid:
            half = z0 * se if m == 0 else z1 * se + m * c1 * delta_u
            out.append((float(m), theta - half, theta + half))
        excl = abs(theta) > z0 * se
        bd = max(0.0, (abs(theta) - z1 * se) / (c1 * delta_u)) if excl and delta_u > 0 else (
            np.inf if excl else np.nan)
        method = ("relative magnitudes (ΔRM), Bonferroni-conservative closed form "
                  f"(α_pre={ap:g} for Δ, α−α_pre for θ)")
        extra = {"delta_pre": float(np.max(np.abs(d_hat))), "delta_pre_upper": delta_u}
    else:
        a2 = a.copy()
        if -2 not in pos:
            raise MethodError("smoothness bounds need the event-time −2 coefficient")
        a2[pos[-2]] += c1  # θ_lin = θ + c1·β_{-2}: remove the linear extrapolation of the pre-trend
        th2, se2 = float(a2 @ b.to_numpy()), float(np.sqrt(a2 @ V @ a2))
        z0 = stats.norm.ppf(1 - alpha / 2)
        out = [(float(m), th2 - z0 * se2 - m * c2, th2 + z0 * se2 + m * c2) for m in grid]
        excl = abs(th2) > z0 * se2
        bd = (abs(th2) - z0 * se2) / c2 if excl else np.nan
        method = ("smoothness (ΔSD), closed form: linear extrapolation of the last pre-period "
                  "slope + M·c₂")
        extra = {"theta_linear": th2, "se_linear": se2}
    table = pd.DataFrame(out, columns=["M", "ci_low", "ci_high"])
    table["excludes_zero"] = (table["ci_low"] > 0) | (table["ci_high"] < 0)
    if not excl:
        notes.append("the interval includes 0 even without violations: no breakdown value")
    return {"table": table, "breakdown": float(bd), "theta": theta, "se": se,
            "restriction": restriction, "method": method, "ci_method": "closed-form",
            "alpha": alpha, "post_times": [int(t) for t in post],
            "pre_times": [int(t) for t in pre], "notes": notes, **extra}
