"""Design-based inference for the imputation (did2s) DiD: wild cluster bootstrap at a coarse
cluster level (province) and randomization inference that reassigns cohorts across provinces.

Why not the ``wildboottest`` package (pyfixest's ``Feols.wildboottest()``): it bootstraps one OLS
regression, so for did2s it would treat the first-stage imputed unit and year effects as known
and ignore their estimation error. Gardner's / Borusyak–Jaravel–Spiess's imputation estimator is
linear in the outcome, θ̂ = L·y with L = R(I − P) (P: stage-1 two-way FE fit on untreated cells,
R: stage-2 averages over treated cells or event-time bins), so a bootstrap that **re-runs both
stages** is exact linear algebra: every draw y* is pushed through the same stage-1 solve and
stage-2 averages, for all B draws at once. The point estimate equals pyfixest's did2s (tested).

* ``wild_cluster_bootstrap``: restricted (WCR, null imposed: y = α_i + λ_t + θ0·D) bootstrap-t
  for the p-value of the ATT, unrestricted (WCU) percentile-t for its CI, WCU bootstrap of the
  lead Wald statistic for the pre-trend test; Webb's 6-point weights by default (few clusters),
  Rademacher optional. SE inside each draw: cluster-robust, CR1 (G/(G−1)), from the draw's own
  residuals. With few *treated* clusters (4 provinces here) no cluster method is exact
  (MacKinnon & Webb 2017): WCR tends to under-reject, WCU to over-reject; both are reported.
* ``randomization_inference``: permute province blocks of cohorts (each province receives
  another province's pattern of cohorts, stretched to its number of cities), re-estimate the
  ATT, p = (1 + #{|ATT_b| ≥ |ATT|}) / (1 + B). Seeded and deterministic.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import linalg, sparse

from yrdlib.methods._common import MethodError, require_columns
from yrdlib.methods.did import _prepare

__all__ = [
    "imputation_did",
    "province_of",
    "randomization_inference",
    "wild_cluster_bootstrap",
    "wild_weights",
]


def province_of(codes) -> np.ndarray:
    """Province code (first two digits + '0000') of GB/T 2260 region codes."""
    s = pd.Series(codes).astype(str)
    return (s.str[:2] + "0000").to_numpy()


def wild_weights(kind: str, size, rng) -> np.ndarray:
    """Wild-bootstrap multipliers: 'webb' (±√0.5, ±1, ±√1.5, equal prob.) or 'rademacher'."""
    if kind == "webb":
        vals = np.array([-np.sqrt(1.5), -1.0, -np.sqrt(0.5), np.sqrt(0.5), 1.0, np.sqrt(1.5)])
        return vals[rng.integers(0, 6, size)]
    if kind == "rademacher":
        return rng.choice(np.array([-1.0, 1.0]), size)
    raise MethodError(f"weights must be 'webb' or 'rademacher', got {kind!r}")


# ------------------------------------------------------------------ imputation estimator core


class _Imputation:
    """Linear algebra of the two-stage imputation estimator for a fixed design.

    ``targets``: list of (name, boolean mask over observations); each estimate is the mean of
    the imputed residual ỹ = y − α̂_i − λ̂_t over its mask (the did2s second stage with disjoint
    dummies and no intercept)."""

    def __init__(self, ui: np.ndarray, ti: np.ndarray, untreated: np.ndarray, targets):
        n = len(ui)
        nu, nt = int(ui.max()) + 1, int(ti.max()) + 1
        rows = np.arange(n)
        X = sparse.hstack([
            sparse.csr_matrix((np.ones(n), (rows, ui)), shape=(n, nu)),
            sparse.csr_matrix((np.ones(n), (rows, ti)), shape=(n, nt))[:, 1:],
        ]).tocsr()
        self.X, self.U = X, untreated
        XU = X[untreated]
        A = (XU.T @ XU).toarray()
        try:
            self.cf = linalg.cho_factor(A)
        except linalg.LinAlgError as e:
            raise MethodError("unit and year effects are not identified from the untreated "
                              "observations (a unit or year without untreated cells)") from e
        self.XUT = XU.T.tocsr()
        self.names = [nm for nm, _ in targets]
        R = np.zeros((len(targets), n))
        for j, (_, m) in enumerate(targets):
            c = int(m.sum())
            if c == 0:
                raise MethodError(f"no observations for target {targets[j][0]!r}")
            R[j, m] = 1.0 / c
        self.R = R
        # L = R (I − P),  P y = X A⁻¹ X_Uᵀ y_U
        RX = np.asarray((sparse.csr_matrix(R) @ X).todense())
        W = linalg.cho_solve(self.cf, RX.T)  # p × k
        L = R.copy()
        L[:, untreated] -= np.asarray(XU @ W).T
        self.L = L

    def resid_stage1(self, Y: np.ndarray) -> np.ndarray:
        """ỹ = y − P y for every column of Y (n × B)."""
        coef = linalg.cho_solve(self.cf, self.XUT @ Y[self.U])
        return Y - self.X @ coef

    def residuals(self, Y: np.ndarray, treated_masks) -> tuple[np.ndarray, np.ndarray]:
        """(θ̂, e) for every column: e = ỹ on untreated cells, ỹ − θ̂_bin on treated cells."""
        Yt = self.resid_stage1(Y)
        theta = self.R @ Yt
        E = Yt.copy()
        for j, m in treated_masks:
            E[m] -= theta[j][None, :]
        return theta, E


def _cluster_scores(L: np.ndarray, E: np.ndarray, C: sparse.csr_matrix) -> np.ndarray:
    """Per-cluster scores Σ_{i∈g} L_ji e_ib: array (k, G, B)."""
    return np.stack([np.asarray(C.T @ (L[j][:, None] * E)) for j in range(L.shape[0])])


def _setup(df, outcome, cohort, unit, time, cluster, leads, lags):
    require_columns(df, [unit, time, outcome, cohort], "DiD panel")
    if cluster == "province" and "province" not in df.columns:
        cl = pd.Series(province_of(df[unit]), index=df.index)
    else:
        require_columns(df, [cluster], "DiD panel")
        cl = df[cluster]
    cmap = pd.Series(cl.to_numpy(), index=df[unit].to_numpy())
    if cmap.groupby(level=0).nunique().max() > 1:
        raise MethodError(f"cluster {cluster!r} varies within a unit; it must be constant")
    cmap = cmap.groupby(level=0).first()
    d, cols, notes = _prepare(df, outcome, cohort, unit, time, "notyet", "did2s", leads, lags)
    ui = pd.factorize(d["_u"], sort=True)[0]
    ti = pd.factorize(d["_t"], sort=True)[0]
    ci, clusters = pd.factorize(d["_u"].map(cmap), sort=True)
    G = len(clusters)
    if G < 2:
        raise MethodError(f"only {G} cluster(s) of {cluster!r}; need at least 2")
    C = sparse.csr_matrix((np.ones(len(d)), (np.arange(len(d)), ci)), shape=(len(d), G))
    return d, cols, notes, ui, ti, C, G


def imputation_did(df: pd.DataFrame, outcome: str, cohort: str = "treat_year",
                   unit: str = "region_code", time: str = "year", cluster: str = "province",
                   leads: int = 5, lags: int = 5) -> dict:
    """Point estimates (ATT and event-time bins, reference −1) of the did2s imputation
    estimator with cluster-robust (CR1) standard errors at ``cluster``; numpy only."""
    d, cols, notes, ui, ti, C, G = _setup(df, outcome, cohort, unit, time, cluster, leads, lags)
    tr = d["_treated"].to_numpy()
    y = d["_y"].to_numpy()[:, None]
    out = {}
    for spec, targets, tmask in _specs(d, cols, tr):
        im = _Imputation(ui, ti, ~tr, targets)
        theta, E = im.residuals(y, tmask)
        S = _cluster_scores(im.L, E, C)[:, :, 0]
        V = S @ S.T * G / (G - 1)
        out[spec] = pd.DataFrame({"estimate": theta[:, 0], "se": np.sqrt(np.diag(V))},
                                 index=im.names)
        out[spec + "_vcov"] = V
    out.update(n_clusters=G, n_obs=len(d), notes=notes)
    return out


def _specs(d, cols, tr):
    att = [("ATT", tr)]
    rel = d["_relb"].to_numpy()
    es = [(b, (rel == b)) for b, _ in cols]
    es_t = [(f"{b}", m) for b, m in es]
    es_mask = [(j, m & tr) for j, (b, m) in enumerate(es) if b >= 0]
    return [("att", att, [(0, tr)]), ("event_study", es_t, es_mask)]


def wild_cluster_bootstrap(df: pd.DataFrame, outcome: str, cohort: str = "treat_year",
                           unit: str = "region_code", time: str = "year",
                           cluster: str = "province", B: int = 999, seed: int = 0,
                           weights: str = "webb", alpha: float = 0.05, null: float = 0.0,
                           leads: int = 5, lags: int = 5, chunk: int = 250) -> dict:
    """Wild cluster bootstrap of the did2s (imputation) ATT and of its pre-trend test, both
    stages re-run in every draw.

    Returns a dict: ``att``, ``se`` (CR1 at ``cluster``), ``t``, ``p`` (WCR bootstrap-t, H0:
    ATT = ``null``), ``p_wcu`` (WCU bootstrap-t), ``ci_low``/``ci_high`` (WCU percentile-t),
    ``pretrend_wald``, ``pretrend_p`` (WCU bootstrap of the lead Wald statistic; None without
    leads), ``n_clusters``, ``n_treated_clusters``, ``B``, ``weights``, ``seed``, ``notes``."""
    if B < 99:
        raise MethodError("B must be at least 99")
    d, cols, notes, ui, ti, C, G = _setup(df, outcome, cohort, unit, time, cluster, leads, lags)
    rng = np.random.default_rng(seed)
    tr = d["_treated"].to_numpy()
    y = d["_y"].to_numpy()
    cl = np.asarray(C.argmax(axis=1)).ravel()
    n_treated_cl = len(np.unique(cl[(d["_g"] > 0).to_numpy()]))
    adj = G / (G - 1)
    (_, att_t, att_m), (_, es_t, es_m) = _specs(d, cols, tr)
    # --- ATT: unrestricted fit, restricted fit (H0 imposed on all observations)
    im = _Imputation(ui, ti, ~tr, att_t)
    th, e_u = im.residuals(y[:, None], att_m)
    att = float(th[0, 0])
    se = float(np.sqrt((_cluster_scores(im.L, e_u, C)[0, :, 0] ** 2).sum() * adj))
    if not np.isfinite(se) or se <= 0:
        raise MethodError("cluster-robust SE of the ATT is zero or not finite")
    t_obs = (att - null) / se
    Xf = im.X
    yr = y - null * tr
    cf_all = linalg.cho_factor((Xf.T @ Xf).toarray())
    u_r = yr - Xf @ linalg.cho_solve(cf_all, Xf.T @ yr)
    yhat_u = y - e_u[:, 0]
    fit_r = y - u_r
    t_wcr, t_wcu = [], []
    V = wild_weights(weights, (G, B), rng)  # drawn once: same draws for every statistic
    for s in range(0, B, chunk):
        v = V[:, s:s + chunk][cl]  # n × b
        for ystar_base, resid, store, centre in ((fit_r, u_r, t_wcr, null),
                                                 (yhat_u, e_u[:, 0], t_wcu, att)):
            Ys = ystar_base[:, None] + v * resid[:, None]
            ths, Es = im.residuals(Ys, att_m)
            S = _cluster_scores(im.L, Es, C)[0]
            ses = np.sqrt((S ** 2).sum(axis=0) * adj)
            store.append((ths[0] - centre) / ses)
    t_wcr, t_wcu = np.concatenate(t_wcr), np.concatenate(t_wcu)
    p = float(np.mean(np.abs(t_wcr) >= abs(t_obs)))
    p_wcu = float(np.mean(np.abs(t_wcu - 0) >= abs((att - null) / se)))
    q = float(np.quantile(np.abs(t_wcu), 1 - alpha))
    # --- pre-trend: Wald statistic of the leads, WCU bootstrap
    lead_idx = [j for j, (b, _) in enumerate(cols) if b < -1]
    pre_w = pre_p = None
    if lead_idx:
        ie = _Imputation(ui, ti, ~tr, es_t)
        th_e, e_e = ie.residuals(y[:, None], es_m)
        Le = ie.L[lead_idx]
        S0 = _cluster_scores(Le, e_e, C)[:, :, 0]
        V0 = S0 @ S0.T * adj
        b0 = th_e[lead_idx, 0]
        pre_w = float(b0 @ np.linalg.pinv(V0) @ b0)
        yhat_e = y - e_e[:, 0]
        centre = (ie.L @ yhat_e)[lead_idx]
        ws = []
        for s in range(0, B, chunk):
            v = V[:, s:s + chunk][cl]
            Ys = yhat_e[:, None] + v * e_e[:, [0]]
            ths, Es = ie.residuals(Ys, es_m)
            S = _cluster_scores(Le, Es, C)  # k × G × b
            Vb = np.einsum("kgb,lgb->bkl", S, S) * adj
            dlt = (ths[lead_idx] - centre[:, None]).T  # b × k
            sol = np.linalg.solve(Vb + 1e-12 * np.eye(len(lead_idx)), dlt[:, :, None])[:, :, 0]
            ws.append(np.einsum("bk,bk->b", dlt, sol))
        ws = np.concatenate(ws)
        pre_p = float(np.mean(ws >= pre_w))
    return {
        "att": att, "se": se, "t": float(t_obs), "p": p, "p_wcu": p_wcu,
        "ci_low": att - q * se, "ci_high": att + q * se,
        "pretrend_wald": pre_w, "pretrend_p": pre_p,
        "n_clusters": G, "n_treated_clusters": n_treated_cl, "B": B, "weights": weights,
        "seed": seed, "cluster": cluster, "null": null, "n_obs": len(d),
        "notes": notes + ([f"only {n_treated_cl} treated clusters: bootstrap p-values are "
                           "approximate (MacKinnon & Webb 2017)"] if n_treated_cl < 6 else []),
    }


# ------------------------------------------------------------------ randomization inference


def _att_fast(ui, ti, g, tv, y) -> float:
    """Imputation ATT for one cohort assignment (units without untreated cells are skipped)."""
    return float(_att_fast_cols(ui, ti, g, tv, np.asarray(y, float)[:, None])[0])


def _att_fast_cols(ui, ti, g, tv, Y: np.ndarray) -> np.ndarray:
    """Imputation ATT of every column of ``Y`` (n × k) for one cohort assignment: the estimator is
    linear in the outcome, so one factorisation of the design serves every column (the actual
    outcome and the actual treatment indicator, for the test inversion)."""
    k = Y.shape[1]
    tr = (g > 0) & (tv >= g)
    ok_units = np.bincount(ui[~tr], minlength=ui.max() + 1) > 0
    keep = ok_units[ui]
    if not tr[keep].any():
        return np.full(k, np.nan)
    if keep.all():  # the usual case: codes are already 0..n-1 (factorised, sorted, by the caller)
        uiu, tiu = ui, ti
    else:
        uiu = pd.factorize(ui[keep])[0]
        tiu = pd.factorize(ti[keep], sort=True)[0]
    trk, Yk = tr[keep], Y[keep]
    alpha, lam = _twfe_solve(uiu[~trk], tiu[~trk], Yk[~trk], uiu.max() + 1, tiu.max() + 1)
    if alpha is None:
        return np.full(k, np.nan)
    return np.mean(Yk[trk] - alpha[uiu[trk]] - lam[tiu[trk]], axis=0)


def _twfe_solve(ui, ti, y, nu, nt):
    """Least-squares unit and year effects y = α_i + λ_t (λ_0 = 0) by eliminating the unit
    effects (Schur complement on the years): a (T−1)×(T−1) solve instead of (N+T−1)².
    ``y`` may be a vector or an (n × k) matrix (one solve for every column)."""
    cu = np.bincount(ui, minlength=nu).astype(float)
    if (cu == 0).any():
        return None, None
    Y = y[:, None] if y.ndim == 1 else y
    Nm = np.bincount(ui * nt + ti, minlength=nu * nt).reshape(nu, nt).astype(float)[:, 1:]
    su = np.column_stack([np.bincount(ui, weights=Y[:, j], minlength=nu) for j in range(Y.shape[1])])
    st = np.column_stack([np.bincount(ti, weights=Y[:, j], minlength=nt)[1:]
                          for j in range(Y.shape[1])])
    Dt = Nm.sum(axis=0)
    NtDinv = Nm.T / cu
    S = np.diag(Dt) - NtDinv @ Nm
    try:
        lam = np.linalg.solve(S, st - NtDinv @ su)
    except np.linalg.LinAlgError:
        return None, None
    if not np.all(np.isfinite(lam)) or np.linalg.cond(S) > 1e12:
        return None, None
    alpha = (su - Nm @ lam) / cu[:, None]
    lam = np.vstack([np.zeros((1, Y.shape[1])), lam])
    if y.ndim == 1:
        return alpha[:, 0], lam[:, 0]
    return alpha, lam


def _province_permutation(prov_units: list[np.ndarray], patterns: list[np.ndarray], rng):
    """Each province receives another province's (shuffled) cohort pattern, stretched or
    shrunk to its own number of cities."""
    perm = rng.permutation(len(patterns))
    out = []
    for q, idx in enumerate(prov_units):
        src = rng.permutation(patterns[perm[q]])
        pick = np.floor(np.arange(len(idx)) * len(src) / len(idx)).astype(int)
        out.append(src[pick][rng.permutation(len(idx))])
    return out


def randomization_inference(df: pd.DataFrame, outcome: str, cohort: str = "treat_year",
                            unit: str = "region_code", time: str = "year",
                            block: str | None = "province", n_perm: int = 999,
                            seed: int = 0, alpha: float = 0.05) -> dict:
    """Randomization inference for the did2s (imputation) ATT.

    ``block="province"`` (or another unit-constant column) permutes whole provinces' cohort
    patterns (treatment comes in province blocks); ``block=None`` permutes cohorts across units.
    Returns ``att``, ``p`` (two-sided, +1 corrected), ``p_one_sided`` (same sign as the
    estimate), ``draws`` (array), ``n_perm`` (draws that could be estimated), ``block``, ``seed``,
    ``ci_low``/``ci_high`` (the test inverted under a constant additive effect: the effects the
    design cannot reject at ``alpha``), ``se_design`` (SD of the permuted estimates) and ``mde``
    (80 % power at ``alpha`` from that SE)."""
    require_columns(df, [unit, time, outcome, cohort], "DiD panel")
    d = df[[unit, time, outcome, cohort]].copy()
    d = d[np.isfinite(pd.to_numeric(d[outcome], errors="coerce"))]
    ui, units = pd.factorize(d[unit], sort=True)
    ti = d[time].astype(int).to_numpy()
    ti0 = pd.factorize(ti, sort=True)[0]
    y = d[outcome].astype(float).to_numpy()
    gu = pd.to_numeric(d[cohort], errors="coerce").fillna(0).groupby(ui).first().to_numpy()
    if np.nanmax(gu) <= 0:
        raise MethodError("no treated units")
    if block is None:
        groups = [np.array([i]) for i in range(len(units))]
    else:
        if block == "province" and "province" not in df.columns:
            bl = pd.Series(province_of(units), index=units)
        else:
            require_columns(df, [block], "DiD panel")
            bl = df.groupby(unit)[block].first().reindex(units)
        codes = pd.factorize(bl.to_numpy(), sort=True)[0]
        groups = [np.flatnonzero(codes == k) for k in range(codes.max() + 1)]
        if len(groups) < 3:
            raise MethodError(f"only {len(groups)} blocks of {block!r}; cannot permute")
    D = ((gu[ui] > 0) & (ti >= gu[ui])).astype(float)  # the actual treatment indicator
    YD = np.column_stack([y, D])
    actual, c_act = (float(v) for v in _att_fast_cols(ui, ti0, gu[ui], ti, YD))
    if not np.isfinite(actual):
        raise MethodError("ATT not identified for the actual assignment")
    rng = np.random.default_rng(seed)
    patterns = [gu[idx] for idx in groups]
    def assignments():
        for _ in range(n_perm):
            new = np.zeros_like(gu)
            for idx, vals in zip(groups, _province_permutation(groups, patterns, rng),
                                 strict=True):
                new[idx] = vals
            yield new

    out = permutation_summary(ui, ti0, ti, YD, actual, c_act, assignments(), alpha)
    return {**out, "block": block, "seed": seed, "n_blocks": len(groups), "alpha": alpha,
            "n_treated_blocks": int(sum((gu[idx] > 0).any() for idx in groups))}


def permutation_summary(ui, ti0, ti, YD, actual: float, c_act: float, assignments,
                        alpha: float = 0.05) -> dict:
    """The imputation ATT under each permuted cohort vector of ``assignments`` (one per unit),
    summarised as the randomization test: two- and one-sided p, the interval by test inversion,
    the design SE and the MDE (shared by the province-block test here and the plan design of
    :mod:`yrdlib.methods.group_att`)."""
    draws, cdraws = [], []
    for new in assignments:
        a, c = _att_fast_cols(ui, ti0, new[ui], ti, YD)
        if np.isfinite(a) and np.isfinite(c):
            draws.append(a)
            cdraws.append(c)
    draws, cdraws = np.asarray(draws), np.asarray(cdraws)
    if draws.size == 0:
        raise MethodError("no permutation could be estimated")
    p = (1 + np.sum(np.abs(draws) >= abs(actual))) / (1 + draws.size)
    p1 = (1 + np.sum(np.sign(actual) * draws >= abs(actual))) / (1 + draws.size)
    lo, hi = _invert(actual, c_act, draws, cdraws, alpha)
    se = float(np.std(draws, ddof=1)) if draws.size > 1 else float("nan")
    return {"att": actual, "p": float(p), "p_one_sided": float(p1), "draws": draws,
            "n_perm": int(draws.size), "ci_low": lo, "ci_high": hi, "se_design": se,
            "mde": mde_from_se(se, alpha)}


def mde_from_se(se: float, alpha: float = 0.05, power: float = 0.8) -> float:
    """Minimum detectable effect of a two-sided test at level ``alpha`` with ``power``:
    (z_{1−α/2} + z_{power}) · SE (Bloom 1995), here with the design-based SE (the spread of the
    estimator over the permuted assignments)."""
    from scipy.stats import norm

    if not np.isfinite(se) or se <= 0:
        return float("nan")
    return float((norm.ppf(1 - alpha / 2) + norm.ppf(power)) * se)


def _invert(actual: float, c_act: float, draws: np.ndarray, cdraws: np.ndarray,
            alpha: float) -> tuple[float, float]:
    """95 % interval by inverting the randomization test under a constant additive effect τ0
    (Imbens & Rubin 2015, ch. 5): with y0 = y − τ0·D the imputation estimator is linear, so the
    actual statistic is ``actual − τ0·c_act`` and a permuted one ``draw − τ0·cdraw``; the set
    {τ0 : p(τ0) > α} is scanned on a fine grid and its ends refined by bisection."""
    span = max(float(np.std(draws)) if draws.size > 1 else 0.0, abs(actual), 1e-12)
    n = draws.size

    def pval(t0):
        t0 = np.atleast_1d(t0)
        stat = np.abs(actual - t0 * c_act)
        perm = np.abs(draws[:, None] - cdraws[:, None] * t0[None, :])
        return (1 + (perm >= stat[None, :]).sum(axis=0)) / (1 + n)

    grid = actual + np.linspace(-12, 12, 4801) * span
    ok = pval(grid) > alpha
    if not ok.any():
        return float("nan"), float("nan")
    i0, i1 = np.flatnonzero(ok)[[0, -1]]
    if i0 == 0 or i1 == len(grid) - 1:
        # the acceptance region reaches the grid's edge: the data rule out no effect that side
        lo = -np.inf if i0 == 0 else None
        hi = np.inf if i1 == len(grid) - 1 else None
    else:
        lo = hi = None

    def edge(a, b):  # a accepted, b rejected
        for _ in range(40):
            m = 0.5 * (a + b)
            if pval(m)[0] > alpha:
                a = m
            else:
                b = m
        return a

    if lo is None:
        lo = edge(grid[i0], grid[i0 - 1])
    if hi is None:
        hi = edge(grid[i1], grid[i1 + 1])
    return float(lo), float(hi)
