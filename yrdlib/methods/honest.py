"""Sensitivity of the average post-period effect to violations of parallel trends, in the spirit
of Rambachan & Roth (2023, *RES*), from event-study coefficients and their covariance.

The ``honestdid`` package (0.1.1) was checked: it depends on torch (with the CUDA wheels,
several GB) and cvxpy, far too heavy for this project's lock, so the bounds are computed here
with **closed-form, conservative** confidence sets instead of the paper's conditional /
hybrid least-favourable (LP) intervals. They are valid (coverage ≥ 1 − α under the stated
restriction) but wider than Rambachan–Roth's; a breakdown value from here is therefore a lower
bound on theirs.

Notation: event-study coefficients β_e for e ≠ −1 (reference δ_{−1} = 0), pre-periods e ≤ −2
treated as pure bias δ_e = β_e, post-periods e = 0..L, target θ = mean of the post effects
(``weights`` can change it). Let c₁ = Σ_k l_k (k+1) and c₂ = Σ_k l_k (k+1)(k+2)/2.

* **Relative magnitudes** ΔRM(M̄): every post-period change |δ_{t+1} − δ_t| is at most M̄ times
  the largest pre-period change Δ = max |δ_{s+1} − δ_s| (pre-periods up to the reference). Then
  |l'δ_post| ≤ M̄·c₁·Δ. Δ is estimated: a Bonferroni upper bound Δ_U over the J pre-period
  changes at level α_pre (default α/2) is combined with the usual interval of θ̂ at level
  α − α_pre: CI = θ̂ ± (z·se + M̄·c₁·Δ_U). At M̄ = 0 the set is a point and the plain interval at
  level α is reported.
* **Smoothness** ΔSD(M): the slope of the trend may change by at most M per period. The pre-trend
  is extrapolated linearly from its last observed slope (δ_{−1} − δ_{−2} = −β_{−2}), and the
  remaining bias is at most M·c₂: CI = (θ̂ + c₁·β_{−2}) ± (z·se_lin + M·c₂). Ignoring the
  restrictions on earlier pre-periods makes the set larger, hence conservative.

Breakdown value: the largest M̄ (or M) for which the CI still excludes 0 (closed form).
Binned event-time endpoints (≤ −leads, ≥ lags) are treated as single periods (noted).
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
from scipy import stats

from yrdlib.methods._common import MethodError

__all__ = ["honest_bounds"]

_MBAR = (0.0, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0)
_M = (0.0, 0.01, 0.02, 0.05, 0.1)


def honest_bounds(estimates, vcov, restriction: str = "rm", grid=None, alpha: float = 0.05,
                  alpha_pre: float | None = None, weights=None) -> dict:
    """Sensitivity table and breakdown value for the average post-period effect.

    ``estimates``: event-study coefficients indexed by event time (int or str; the reference −1
    absent or 0); ``vcov``: their covariance (same order, array or DataFrame). ``restriction``:
    ``"rm"`` (relative magnitudes, grid of M̄) or ``"sd"`` (smoothness, grid of M in outcome
    units per period²). Returns ``{"table": DataFrame(M, ci_low, ci_high, excludes_zero),
    "breakdown": float, "theta": float, "se": float, "restriction", "method", "notes"}``."""
    b = pd.Series(estimates, dtype=float).copy()
    b.index = [int(i) for i in b.index]
    V = np.asarray(vcov, dtype=float)
    if V.shape != (len(b), len(b)):
        raise MethodError(f"vcov has shape {V.shape}, expected {(len(b), len(b))}")
    keep = np.array([i != -1 for i in b.index])
    b, V = b[keep], V[np.ix_(keep, keep)]
    order = np.argsort(b.index.to_numpy())
    b, V = b.iloc[order], V[np.ix_(order, order)]
    times = b.index.to_numpy()
    pre, post = times[times <= -2], times[times >= 0]
    if len(post) == 0:
        raise MethodError("no post-period (event time ≥ 0) coefficient")
    if len(pre) == 0:
        raise MethodError("no pre-period coefficient (event time ≤ −2): bounds need a pre-trend")
    if not np.all(np.diff(post) == 1) or post[0] != 0:
        raise MethodError(f"post-period event times must be 0, 1, 2, … without gaps; got {post}")
    L = len(post)
    lw = np.full(L, 1.0 / L) if weights is None else np.asarray(weights, float)
    if lw.shape != (L,):
        raise MethodError(f"weights must have {L} entries (one per post period)")
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
        grid = _MBAR if grid is None else grid
        ap = alpha / 2 if alpha_pre is None else float(alpha_pre)
        if not 0 < ap < alpha:
            raise MethodError("alpha_pre must lie strictly between 0 and alpha")
        # pre-period changes: consecutive pre coefficients and (last pre → reference 0)
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
            if m == 0:
                half = z0 * se
            else:
                half = z1 * se + m * c1 * delta_u
            out.append((float(m), theta - half, theta + half))
        excl = abs(theta) > z0 * se
        bd = max(0.0, (abs(theta) - z1 * se) / (c1 * delta_u)) if excl and delta_u > 0 else (
            np.inf if excl else np.nan)
        method = ("relative magnitudes (ΔRM), Bonferroni-conservative closed form "
                  f"(α_pre={ap:g} for Δ, α−α_pre for θ)")
        extra = {"delta_pre": float(np.max(np.abs(d_hat))), "delta_pre_upper": delta_u}
    elif restriction == "sd":
        grid = _M if grid is None else grid
        a2 = a.copy()
        if -2 not in pos:
            raise MethodError("smoothness bounds need the event-time −2 coefficient")
        a2[pos[-2]] += c1  # θ_lin = θ + c1·β_{-2}: remove the linear extrapolation of the pre-trend
        th2, se2 = float(a2 @ b.to_numpy()), float(np.sqrt(a2 @ V @ a2))
        z0 = stats.norm.ppf(1 - alpha / 2)
        out = [(float(m), th2 - z0 * se2 - m * c2, th2 + z0 * se2 + m * c2) for m in grid]
        excl = abs(th2) > z0 * se2
        bd = (abs(th2) - z0 * se2) / c2 if excl else np.nan
        method = "smoothness (ΔSD), linear extrapolation of the last pre-period slope + M·c₂"
        extra = {"theta_linear": th2, "se_linear": se2}
    else:
        raise MethodError(f"restriction must be 'rm' or 'sd', got {restriction!r}")
    table = pd.DataFrame(out, columns=["M", "ci_low", "ci_high"])
    table["excludes_zero"] = (table["ci_low"] > 0) | (table["ci_high"] < 0)
    if not excl:
        notes.append("the interval includes 0 even without violations: no breakdown value")
    return {"table": table, "breakdown": float(bd), "theta": theta, "se": se,
            "restriction": restriction, "method": method, "alpha": alpha,
            "post_times": [int(t) for t in post], "pre_times": [int(t) for t in pre],
            "notes": notes, **extra}
