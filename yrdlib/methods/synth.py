"""Synthetic control for one treated unit (Abadie, Diamond & Hainmueller 2010, 2015) with
placebo-in-space inference.

Weights: non-negative, summing to one, chosen to minimise the pre-period squared distance
between the treated unit's outcome path and the weighted donors' paths (outcome-path matching;
no covariates). Solved exactly by ``scipy.optimize.nnls`` with the adding-up constraint as a
heavily weighted extra row (the active-set NNLS is exact and ~100× faster than SLSQP, which
matters for the placebo loop; the tests check the constraint and compare with SLSQP).

Donor-pool rules (parameters, stated in the result): units treated in or before the end of the
window are excluded (``exclude_treated_by``); donors need a complete outcome path over the whole
window (pre and post); an explicit ``donors`` list can restrict the pool further.

Inference: placebo-in-space. The same fit is run for every donor as if it were treated (its
donor pool: the other donors); each unit's ratio post-RMSPE / pre-RMSPE is computed and
p = rank of the treated unit's ratio (1 = largest) / (number of donors + 1).

A design that is not feasible (fewer than ``min_pre`` pre-years, treated unit incomplete, fewer
than ``min_donors`` complete donors) raises :class:`MethodError` naming the reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import optimize, stats

from yrdlib.methods._common import MethodError, require_columns

__all__ = ["LAMBDA_GRID", "SynthResult", "penalized_synth", "penalized_weights",
           "simplex_weights", "synthetic_control", "synthetic_did"]


@dataclass
class SynthResult:
    treated: str
    outcome: str
    treat_year: int
    pre_years: list[int]
    post_years: list[int]
    weights: pd.Series
    path: pd.DataFrame
    pre_rmspe: float
    post_rmspe: float
    ratio: float
    att: float
    placebos: pd.DataFrame | None
    rank: int | None
    p_value: float | None
    n_donors: int
    donor_rules: str
    notes: list[str] = field(default_factory=list)

    def summary(self) -> dict:
        return {"treated": self.treated, "outcome": self.outcome, "treat_year": self.treat_year,
                "pre": f"{self.pre_years[0]}–{self.pre_years[-1]}",
                "post": f"{self.post_years[0]}–{self.post_years[-1]}",
                "att": self.att, "pre_rmspe": self.pre_rmspe, "post_rmspe": self.post_rmspe,
                "ratio": self.ratio, "rank": self.rank, "p_value": self.p_value,
                "n_donors": self.n_donors, "top_donors": "; ".join(
                    f"{k} {v:.2f}" for k, v in self.weights.head(5).items()),
                "donor_rules": self.donor_rules, "notes": "; ".join(self.notes)}


def simplex_weights(x1: np.ndarray, X0: np.ndarray) -> np.ndarray:
    """argmin_w ||x1 − X0 w||² s.t. w ≥ 0, Σw = 1 (``X0``: periods × donors)."""
    scale = max(1.0, float(np.abs(X0).max()), float(np.abs(x1).max()))
    lam = 1e4 * scale
    A = np.vstack([X0, np.full((1, X0.shape[1]), lam)])
    b = np.concatenate([x1, [lam]])
    w, _ = optimize.nnls(A, b, maxiter=50 * X0.shape[1])
    s = w.sum()
    if s <= 0:
        raise MethodError("synthetic-control weights could not be found")
    return w / s


def _rmspe(g: np.ndarray) -> float:
    return float(np.sqrt(np.mean(g ** 2)))


# ------------------------------------------------------------------ penalized synthetic control

LAMBDA_GRID = (0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
"""Penalty values tried by :func:`penalized_synth` (dimensionless: the penalty and the fit are
both sums of squared pre-period differences; → 0 is plain synthetic control, large is the
nearest donor alone). 0 itself is left out: with more donors than pre-periods the plain weights
are not unique, and any λ > 0 makes them unique (Abadie & L'Hour 2021, Theorem 1)."""


def penalized_weights(x1: np.ndarray, X0: np.ndarray, lam: float) -> np.ndarray:
    """Abadie & L'Hour (2021): argmin_w ||x1 − X0 w||² + lam·Σ_j w_j ||x1 − X0_j||² over the
    simplex (``X0``: periods × donors). The penalty charges each donor its own distance to the
    treated unit, so weights go to few, close donors and are unique (plain SC with more donors
    than periods is not). Solved exactly as NNLS: on the simplex the objective is
    w'(D'D)w + lam·d'w with D = x1·1' − X0, d_j = ||D_j||²; with R'R = D'D + εI (ε tiny, for the
    Cholesky factor) it equals ||Rw − b||² + const for b = −(lam/2)·R⁻ᵀd."""
    if lam <= 0:
        return simplex_weights(x1, X0)
    D = x1[:, None] - X0
    d = (D ** 2).sum(axis=0)
    J = X0.shape[1]
    eps = 1e-10 * max(float(d.mean()), 1e-12)
    R = np.linalg.cholesky(D.T @ D + eps * np.eye(J)).T
    b = -0.5 * lam * np.linalg.solve(R.T, d)
    heavy = 1e4 * max(1.0, float(np.abs(R).max()), float(np.abs(b).max()))
    A = np.vstack([R, np.full((1, J), heavy)])
    w, _ = optimize.nnls(A, np.concatenate([b, [heavy]]), maxiter=50 * J)
    if w.sum() <= 0:
        raise MethodError("penalized synthetic-control weights could not be found")
    return w / w.sum()


def penalized_synth(y1: np.ndarray, Y0: np.ndarray, npre: int, post: np.ndarray | slice,
                    grid=LAMBDA_GRID, donors=None) -> dict:
    """Penalized synthetic control (Abadie & L'Hour 2021) of one unit, the penalty chosen by
    cross-validation: leave-one-out over the donors — each donor in turn is predicted from the others
    with weights fitted on the ``npre`` pre-periods, and lam minimises the donors' mean squared
    prediction error over the ``post`` rows (they are untreated there, so the error is pure
    extrapolation error, and the treated unit's own post-period is never used to choose lam).

    ``y1``: periods; ``Y0``: periods × donors; ``post``: index (boolean mask or slice) of the
    rows that count as post. Returns ``lam``, ``cv`` (lam → donors' post MSPE), ``weights``
    (Series if ``donors`` names the columns), ``gap`` (y1 − Y0 w, all periods) and
    ``placebo_gaps`` (periods × donors: each donor's gap at the chosen lam, for placebo-in-space
    inference)."""
    T, J = Y0.shape
    if J < 3:
        raise MethodError(f"penalized synthetic control needs at least 3 donors, not {J}")
    rows = np.arange(T)[post]
    gaps = {lam: np.empty((T, J)) for lam in grid}
    for j in range(J):
        others = np.delete(Y0, j, axis=1)
        for lam in grid:
            w = penalized_weights(Y0[:npre, j], others[:npre], lam)
            gaps[lam][:, j] = Y0[:, j] - others @ w
    cv = pd.Series({lam: float(np.mean(g[rows] ** 2)) for lam, g in gaps.items()}, name="mspe")
    best = float(cv.idxmin())
    w = penalized_weights(y1[:npre], Y0[:npre], best)
    names = list(donors) if donors is not None else list(range(J))
    return {"lam": best, "cv": cv, "weights": pd.Series(w, index=names, name="weight"),
            "gap": y1 - Y0 @ w, "placebo_gaps": gaps[best]}


def _design(df, outcome, treated, treat_year, unit, time, cohort, start, end,
            exclude_treated_by, donors, min_pre, min_donors):
    """Donor pool (units × years DataFrame), treated path, pre/post years, rules and notes."""
    require_columns(df, [unit, time, outcome], "synthetic-control panel")
    d = df[[unit, time, outcome] + ([cohort] if cohort and cohort in df.columns else [])].copy()
    d[unit] = d[unit].astype(str)
    treated = str(treated)
    d[outcome] = pd.to_numeric(d[outcome], errors="coerce")
    if d.duplicated([unit, time]).any():
        raise MethodError(f"duplicate ({unit}, {time}) rows; aggregate first")
    years_all = sorted(int(y) for y in d[time].unique())
    start = years_all[0] if start is None else int(start)
    end = years_all[-1] if end is None else int(end)
    treat_year = int(treat_year)
    pre = [y for y in range(start, treat_year)]
    post = [y for y in range(treat_year, end + 1)]
    if len(pre) < min_pre:
        raise MethodError(f"only {len(pre)} pre-treatment years ({start}–{treat_year - 1}); "
                          f"need at least {min_pre}")
    if not post:
        raise MethodError(f"no post-treatment year: treatment {treat_year} after window end {end}")
    wide = d.pivot(index=unit, columns=time, values=outcome)
    wide.columns = [int(c) for c in wide.columns]
    wide = wide.reindex(columns=pre + post)
    if treated not in wide.index:
        raise MethodError(f"treated unit {treated!r} is not in the data")
    tr_path = wide.loc[treated]
    miss_pre = [int(y) for y in pre if not np.isfinite(tr_path[y])]  # plain ints in the message
    if miss_pre:
        raise MethodError(f"treated unit {treated} has no {outcome} in pre-years {miss_pre}")
    notes: list[str] = []
    rules = [f"complete {outcome} {start}–{end}"]
    pool = wide.drop(index=treated)
    if donors is not None:
        pool = pool.loc[pool.index.intersection([str(x) for x in donors])]
        rules.append("explicit donor list")
    if cohort and cohort in d.columns:
        cut = end if exclude_treated_by is None else int(exclude_treated_by)
        gu = pd.to_numeric(d.groupby(unit)[cohort].first(), errors="coerce")
        bad = gu[(gu > 0) & (gu <= cut)].index
        n0 = len(pool)
        pool = pool.drop(index=pool.index.intersection(bad))
        rules.append(f"not treated in or before {cut}")
        if n0 > len(pool):
            notes.append(f"{n0 - len(pool)} units treated by {cut} excluded from donors")
    complete = pool.notna().all(axis=1)
    if (~complete).any():
        notes.append(f"{int((~complete).sum())} donors without a complete path excluded")
    pool = pool[complete]
    if len(pool) < min_donors:
        raise MethodError(f"only {len(pool)} donors satisfy the rules ({'; '.join(rules)}); "
                          f"need at least {min_donors}")
    return pool, tr_path.to_numpy(float), pre, post, rules, notes


def synthetic_control(df: pd.DataFrame, outcome: str, treated: str, treat_year: int,
                      unit: str = "region_code", time: str = "year",
                      cohort: str | None = "treat_year", start: int | None = None,
                      end: int | None = None, exclude_treated_by: int | None = None,
                      donors=None, min_pre: int = 5, min_donors: int = 5,
                      placebo: bool = True, max_pre_ratio: float | None = None) -> SynthResult:
    """Synthetic control of ``treated`` around ``treat_year`` (first treated year).

    Window: ``start``..``end`` (default: the data's years). Pre-period: start..treat_year−1.
    Donors: units with a complete path over the window, not ``treated``, and — if ``cohort`` is a
    column — not treated in or before ``exclude_treated_by`` (default ``end``). Placebo-in-space
    over all donors unless ``placebo=False``; ``max_pre_ratio`` (e.g. 5 as in Abadie et al. 2010)
    drops placebos whose pre-RMSPE exceeds that multiple of the treated unit's."""
    pool, y1, pre, post, rules, notes = _design(
        df, outcome, str(treated), treat_year, unit, time, cohort, start, end,
        exclude_treated_by, donors, min_pre, min_donors)
    treated = str(treated)
    treat_year = int(treat_year)
    X0 = pool.to_numpy(float).T  # years × donors
    npre = len(pre)
    w = simplex_weights(y1[:npre], X0[:npre])
    synth = X0 @ w
    gap = y1 - synth
    pre_r, post_r = _rmspe(gap[:npre]), _rmspe(gap[npre:][np.isfinite(gap[npre:])])
    if not np.isfinite(gap[npre:]).all():
        notes.append("treated unit has missing post-years: gap left missing there")
    ratio = post_r / pre_r if pre_r > 0 else np.inf
    path = pd.DataFrame({"year": pre + post, "treated": y1, "synthetic": synth, "gap": gap,
                         "period": ["pre"] * npre + ["post"] * len(post)})
    weights = pd.Series(w, index=pool.index, name="weight")
    weights = weights[weights > 1e-6].sort_values(ascending=False)
    placebos = rank = p = None
    if placebo:
        rows = [(treated, pre_r, post_r, ratio, True)]
        for j in range(X0.shape[1]):
            others = np.delete(X0, j, axis=1)
            wj = simplex_weights(X0[:npre, j], others[:npre])
            gj = X0[:, j] - others @ wj
            pr, po = _rmspe(gj[:npre]), _rmspe(gj[npre:])
            rows.append((pool.index[j], pr, po, po / pr if pr > 0 else np.inf, False))
        placebos = pd.DataFrame(rows, columns=["unit", "pre_rmspe", "post_rmspe", "ratio",
                                               "is_treated"])
        if max_pre_ratio is not None:
            keep = placebos["is_treated"] | (placebos["pre_rmspe"] <= max_pre_ratio * pre_r)
            notes.append(f"{int((~keep).sum())} placebos with pre-RMSPE > {max_pre_ratio}× the "
                         "treated unit's dropped from the ranking")
            placebos = placebos[keep]
        placebos = placebos.sort_values("ratio", ascending=False, ignore_index=True)
        rank = int(placebos.index[placebos["is_treated"]][0]) + 1
        p = rank / len(placebos)
    return SynthResult(
        treated=treated, outcome=outcome, treat_year=treat_year, pre_years=pre, post_years=post,
        weights=weights, path=path, pre_rmspe=pre_r, post_rmspe=post_r, ratio=float(ratio),
        att=float(np.nanmean(gap[npre:])), placebos=placebos, rank=rank, p_value=p,
        n_donors=X0.shape[1], donor_rules="; ".join(rules), notes=notes)


# ------------------------------------------------------------------ synthetic DiD


def _sdid_weights(x1: np.ndarray, X0: np.ndarray, ridge: float) -> np.ndarray:
    """argmin over the simplex of ||(x1 − c) − (X0 − c0) w||² + ridge·||w||² with a free
    intercept (removed by centring each column over the rows)."""
    Xc = X0 - X0.mean(axis=0, keepdims=True)
    xc = x1 - x1.mean()
    if ridge > 0:
        Xc = np.vstack([Xc, np.sqrt(ridge) * np.eye(X0.shape[1])])
        xc = np.concatenate([xc, np.zeros(X0.shape[1])])
    return simplex_weights(xc, Xc)


def _sdid_estimate(y1: np.ndarray, Y0: np.ndarray, npre: int) -> tuple[float, np.ndarray,
                                                                        np.ndarray]:
    """Arkhangelsky et al. (2021) estimate for one treated unit. ``Y0``: years × controls."""
    pre0, post0 = Y0[:npre], Y0[npre:]
    n_co, n_post = Y0.shape[1], Y0.shape[0] - npre
    sigma = float(np.std(np.diff(pre0, axis=0), ddof=1)) if npre > 2 else float(np.std(pre0))
    zeta = (1 * n_post) ** 0.25 * sigma
    omega = _sdid_weights(y1[:npre], pre0, zeta ** 2 * npre)
    # time weights: pre-period rows (controls) predicting each control's post mean
    lam = _sdid_weights(post0.mean(axis=0), pre0.T, 1e-6 * sigma ** 2 * n_co)
    tr_diff = y1[npre:].mean() - lam @ y1[:npre]
    co_diff = post0.mean(axis=0) - lam @ pre0
    return float(tr_diff - omega @ co_diff), omega, lam


def synthetic_did(df: pd.DataFrame, outcome: str, treated: str, treat_year: int,
                  unit: str = "region_code", time: str = "year",
                  cohort: str | None = "treat_year", start: int | None = None,
                  end: int | None = None, exclude_treated_by: int | None = None, donors=None,
                  min_pre: int = 5, min_donors: int = 5, placebo: bool = True,
                  alpha: float = 0.05) -> dict:
    """Synthetic difference-in-differences (Arkhangelsky et al. 2021) for one treated unit,
    with the same design and donor rules as :func:`synthetic_control`.

    Unit weights ω (simplex, free intercept, ridge ζ²·T_pre with ζ = T_post^¼·σ̂, σ̂ = sd of the
    controls' first differences before treatment) and time weights λ (simplex over pre-years,
    free intercept, negligible ridge); τ̂ = (ȳ₁,post − λ'y₁,pre) − ω'(ȳ_co,post − λ'Y_co,pre).
    Placebo variance (the paper's Algorithm 4 with one treated unit): every donor in turn as the
    treated unit, the others as controls; se = sd of those placebo estimates, normal CI.
    Returns ``att, se, ci_low, ci_high, p, omega`` (Series, non-zero), ``lambda_`` (Series by
    pre-year), ``n_donors, donor_rules, notes, placebo_estimates``."""
    pool, y1, pre, _post, rules, notes = _design(
        df, outcome, str(treated), treat_year, unit, time, cohort, start, end,
        exclude_treated_by, donors, min_pre, min_donors)
    if not np.isfinite(y1).all():
        raise MethodError(f"treated unit {treated} has missing post-years; synthetic DiD needs "
                          "the full window")
    Y0 = pool.to_numpy(float).T
    npre = len(pre)
    att, omega, lam = _sdid_estimate(y1, Y0, npre)
    se = ci_low = ci_high = p = None
    draws = None
    if placebo:
        draws = np.array([_sdid_estimate(Y0[:, j], np.delete(Y0, j, axis=1), npre)[0]
                          for j in range(Y0.shape[1])])
        se = float(np.std(draws, ddof=1))
        z = stats.norm.ppf(1 - alpha / 2)
        ci_low, ci_high = att - z * se, att + z * se
        p = float(2 * stats.norm.sf(abs(att / se))) if se > 0 else None
    om = pd.Series(omega, index=pool.index, name="omega")
    return {"att": att, "se": se, "ci_low": ci_low, "ci_high": ci_high, "p": p,
            "omega": om[om > 1e-6].sort_values(ascending=False),
            "lambda_": pd.Series(lam, index=pre, name="lambda"),
            "n_donors": Y0.shape[1], "donor_rules": "; ".join(rules), "notes": notes,
            "placebo_estimates": draws, "treated": str(treated), "treat_year": int(treat_year)}
