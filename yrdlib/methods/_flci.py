"""Armstrong–Kolesár fixed-length confidence intervals (FLCI) under ΔSD(M), the FLCI method of
:func:`yrdlib.methods.honest.honest_bounds` (split from that module to keep it readable)."""

from __future__ import annotations

import numpy as np
from scipy import optimize, stats
from scipy.special import ndtr


def _qfold(p: float, mu: float) -> float:
    """Quantile p of |N(mu, 1)| (bisection on Φ(q − μ) − Φ(−q − μ) = p, to 1e−12)."""
    mu = abs(mu)
    lo, hi = 0.0, mu + float(stats.norm.ppf((1 + p) / 2)) + 1.0
    while hi - lo > 1e-12 * max(1.0, hi):
        mid = 0.5 * (lo + hi)
        if ndtr(mid - mu) - ndtr(-mid - mu) < p:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


# --------------------------------------------------------------------------- FLCI (ΔSD)
class _Flci:
    """HonestDiD's fixed-length confidence interval for ΔSD(M) (``R/flci.R``): the affine
    estimator v'β̂ with v = (l_pre, l) that minimises the half-length
    h · q_{1−α}(|N(M·b(h)/h, 1)|) over h, where b(h) is the smallest worst-case bias (per unit
    of M) of an estimator with standard deviation ≤ h. In HonestDiD's weights w (l_pre = T w):
    b = Σ_k |Σ_{j≤k} w_j| + const subject to Σ w = Σ_t t·l_t. h runs from the minimum-variance
    estimator (closed form) to the minimum-bias one (w = (0, …, 0, Σ t·l_t)). b(h) does not
    depend on M, so it is computed once on a grid of h (SLSQP for the convex program HonestDiD
    solves with CVXR/ECOS); for each M the best grid point is refined by a bounded scalar
    search. The folded-normal quantile is exact (HonestDiD simulates it with 10⁶ draws)."""

    def __init__(self, Sigma, npre, lvec, alpha, n_h=40):
        K, L = npre, len(lvec)
        self.K, self.alpha, self.l = K, alpha, lvec
        self.T = np.eye(K) - np.eye(K, k=-1)
        Sp, Spp, Spo = Sigma[:K, :K], Sigma[:K, K:], Sigma[K:, K:]
        self.Q = self.T.T @ Sp @ self.T
        self.q = 2 * self.T.T @ Spp @ lvec
        self.q0 = float(lvec @ Spo @ lvec)
        t = np.arange(1, L + 1)
        self.c = float(t @ lvec)
        self.const = sum(abs(sum(j * lvec[L - s + j - 1] for j in range(1, s + 1)))
                         for s in range(1, L + 1)) - self.c
        self.C = np.tril(np.ones((K, K)))
        kkt = np.block([[2 * self.Q, np.ones((K, 1))], [np.ones((1, K)), np.zeros((1, 1))]])
        self.wmin = np.linalg.solve(kkt, np.r_[-self.q, self.c])[:K]
        self.hmin = self._sd(self.wmin)
        self.h0 = self._sd(np.r_[np.zeros(K - 1), self.c])
        self._cache: dict[float, tuple[float, float, np.ndarray]] = {}
        self._ci: dict[float, tuple[float, float, np.ndarray]] = {}
        hs = np.linspace(self.hmin, self.h0, n_h) if self.h0 > self.hmin * (1 + 1e-9) else \
            np.array([self.hmin])
        self.grid = [self._solve(h) for h in hs]

    def _sd(self, w):
        return float(np.sqrt(max(w @ self.Q @ w + self.q @ w + self.q0, 0.0)))

    def _bias(self, w):
        return float(np.abs(self.C @ w).sum() + self.const)

    def _solve(self, h):
        """(sd, bias, w) of the smallest-bias estimator with sd ≤ h (a valid estimator even
        if the solver stops early: its own sd and bias are returned)."""
        if h in self._cache:
            return self._cache[h]
        K, C = self.K, self.C
        best = (self._sd(self.wmin), self._bias(self.wmin), self.wmin)
        if h > self.hmin * (1 + 1e-9):
            x0 = np.r_[np.abs(C @ self.wmin), self.wmin]
            h2 = h * h
            cons = [
                {"type": "ineq", "fun": lambda x: x[:K] - C @ x[K:],
                 "jac": lambda x: np.c_[np.eye(K), -C]},
                {"type": "ineq", "fun": lambda x: x[:K] + C @ x[K:],
                 "jac": lambda x: np.c_[np.eye(K), C]},
                {"type": "eq", "fun": lambda x: np.array([x[K:].sum() - self.c]),
                 "jac": lambda x: np.r_[np.zeros(K), np.ones(K)][None]},
                {"type": "ineq",
                 "fun": lambda x: np.array([1 - (x[K:] @ self.Q @ x[K:] + self.q @ x[K:]
                                                 + self.q0) / h2]),
                 "jac": lambda x: np.r_[np.zeros(K), -(2 * self.Q @ x[K:] + self.q) / h2][None]},
            ]
            r = optimize.minimize(lambda x: x[:K].sum(), x0,
                                  jac=lambda x: np.r_[np.ones(K), np.zeros(K)],
                                  constraints=cons, method="SLSQP",
                                  options={"ftol": 1e-14, "maxiter": 500})
            w = r.x[K:]
            w = w + (self.c - w.sum()) / K                   # exact Σ w = c
            if self._sd(w) <= h * (1 + 1e-6) and self._bias(w) < best[1]:
                best = (self._sd(w), self._bias(w), w)
        self._cache[h] = best
        return best

    def _half(self, sol, m):
        sd, b, _ = sol
        return float(_qfold(1 - self.alpha, m * b / sd) * sd) if sd > 0 else m * b

    def ci(self, beta, m):
        """(low, high, v) of the FLCI at M = m."""
        if m not in self._ci:
            self._ci[m] = self._ci_at(beta, m)
        return self._ci[m]

    def _ci_at(self, beta, m):
        halves = [self._half(g, m) for g in self.grid]
        i = int(np.argmin(halves))
        sol = self.grid[i]
        if len(self.grid) > 1 and m > 0:
            hs = np.linspace(self.hmin, self.h0, len(self.grid))
            a, b_ = hs[max(i - 1, 0)], hs[min(i + 1, len(hs) - 1)]
            r = optimize.minimize_scalar(lambda h: self._half(self._solve(h), m), bounds=(a, b_),
                                         method="bounded", options={"xatol": 1e-4 * (b_ - a)})
            cand = self._solve(float(r.x))
            if self._half(cand, m) < halves[i]:
                sol = cand
        v = np.r_[self.T @ sol[2], self.l]
        half = self._half(sol, m)
        est = float(v @ beta)
        return est - half, est + half, v
