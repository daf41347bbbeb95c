"""Staggered difference-in-differences for city-year panels.

Estimators (all with unit and year fixed effects, SE clustered by unit or by ``cluster``):

* ``"did2s"`` – Gardner's (2022) two-stage estimator (:func:`_did2s`, the formula of
  ``pyfixest.did2s``): unit and year effects are fitted on untreated observations only
  (never-treated **and not-yet-treated**), then the residualised outcome is regressed on
  treatment / event-time dummies; GMM standard errors account for the first stage. Robust to
  heterogeneous and dynamic effects.
* ``"sunab"`` – Sun & Abraham (2021) interaction-weighted estimator: a fully saturated
  cohort × event-time regression (:func:`_feols`) against the **never-treated** cohort (or the
  last-treated cohort if nobody is never treated), aggregated with cohort shares; the delta method
  gives the SE of each aggregate.
* ``"twfe"`` – the conventional two-way fixed-effects regression (:func:`_feols`), kept for
  comparison only: with staggered adoption and effects that change over time it compares late
  with early adopters and can be badly biased (Goodman-Bacon 2021; de Chaisemartin &
  D'Haultfœuille 2020).

No estimator imports pyfixest (~1.2 s of numba compilation in every fresh kernel): the fixed-
effects algebra is the project's own sparse linear algebra, tested against pyfixest
(tests/test_did.py: coefficients within 1e-8, SEs and the pre-trend statistic within 1e-6).

``control_group="notyet"`` selects did2s, ``"never"`` selects sunab when ``estimator="auto"``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from yrdlib.methods._common import MethodError, is_constant, require_columns

__all__ = ["DiDResult", "estimate_did", "permutation_placebo", "placebo_shift", "plot_event_study"]

_ESTIMATORS = {"did2s", "sunab", "twfe"}
_NAMES = {
    "did2s": "Gardner (2022) two-stage DiD (did2s)",
    "sunab": "Sun & Abraham (2021) interaction-weighted event study",
    "twfe": "Two-way fixed effects (TWFE)",
}


@dataclass
class DiDResult:
    """Result of one staggered DiD: overall ATT, event study and joint pre-trend test."""

    estimator: str
    estimator_name: str
    control_group: str
    outcome: str
    att: float
    se: float
    ci_low: float
    ci_high: float
    p_value: float
    n_obs: int
    n_treated_units: int
    n_control_units: int
    event_study: pd.DataFrame
    pretrend_stat: float | None
    pretrend_df: int | None
    pretrend_p: float | None
    cohorts: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def summary(self) -> dict:
        """Flat dict (no event-study table), handy for evidence records and tables."""
        d = asdict(self)
        d.pop("event_study")
        d["notes"] = "; ".join(self.notes)
        return d

    def __repr__(self) -> str:  # short, useful in notebooks
        pt = "n/a" if self.pretrend_p is None else f"{self.pretrend_p:.3f}"
        return (
            f"DiDResult({self.estimator}, {self.outcome}: ATT={self.att:.4g} "
            f"[{self.ci_low:.4g}, {self.ci_high:.4g}], p={self.p_value:.3g}, n={self.n_obs}, "
            f"treated={self.n_treated_units}, controls={self.n_control_units}, pretrend p={pt})"
        )


# ----------------------------------------------------------------------------- preparation


def _prepare(df, outcome, cohort, unit, time, control_group, estimator, leads, lags,
             cluster=None):
    require_columns(df, [unit, time, outcome, cohort, *([cluster] if cluster else [])],
                    "DiD panel")
    notes: list[str] = []
    d = df[[unit, time, outcome, cohort]].copy()
    d = d.rename(columns={unit: "_u", time: "_t", outcome: "_y", cohort: "_g"})
    d["_c"] = df[cluster].astype(str).to_numpy() if cluster else d["_u"].astype(str)
    n0 = len(d)
    d = d[np.isfinite(pd.to_numeric(d["_y"], errors="coerce"))]
    d["_y"] = d["_y"].astype(float)
    if len(d) < n0:
        notes.append(f"dropped {n0 - len(d)} rows with missing outcome")
    if d.empty:
        raise MethodError(f"no non-missing values of {outcome!r}")
    d["_t"] = d["_t"].astype(int)
    d["_g"] = pd.to_numeric(d["_g"], errors="coerce").fillna(0.0)
    if d.groupby("_u")["_g"].nunique().max() > 1:
        raise MethodError(f"treatment year {cohort} varies within a unit; it must be constant")
    if d.duplicated(["_u", "_t"]).any():
        raise MethodError(f"duplicate ({unit}, {time}) rows; aggregate first")
    tmin, tmax = d["_t"].min(), d["_t"].max()
    if d["_t"].nunique() < 3:
        raise MethodError(f"only {d['_t'].nunique()} periods; need at least 3")
    # units treated after the sample ends are untreated throughout: code them as never treated
    late = (d["_g"] > tmax).groupby(d["_u"]).first()
    if late.any():
        notes.append(f"{int(late.sum())} units treated after {tmax} coded as never treated")
        d.loc[d["_g"] > tmax, "_g"] = 0.0
    always = d.groupby("_u")["_g"].first()
    always = always[(always > 0) & (always <= tmin)].index
    if len(always):
        notes.append(f"dropped {len(always)} always-treated units (treated in or before {tmin})")
        d = d[~d["_u"].isin(always)]
    never = d["_g"] == 0
    if not (d["_g"] > 0).any():
        raise MethodError("no treated units with a pre-treatment period in the sample")
    if estimator == "sunab" and not never.any():
        last = d["_g"].max()
        notes.append(f"no never-treated units: cohort {int(last)} used as control, years >= it dropped")
        d = d[d["_t"] < last]
        d.loc[d["_g"] == last, "_g"] = 0.0
        never = d["_g"] == 0
    if estimator != "sunab" and control_group == "notyet" and not never.any():
        last = d["_g"].max()
        notes.append(f"no never-treated units: years >= {int(last)} (no untreated unit) dropped")
        d = d[d["_t"] < last]
        d.loc[d["_g"] >= last, "_g"] = 0.0
        never = d["_g"] == 0
    if not never.any():
        raise MethodError("no control units (no never-treated and no not-yet-treated units)")
    if not (d["_g"] > 0).any():
        raise MethodError("no treated units left after removing periods without controls")
    if estimator == "did2s":
        # did2s fits unit effects on untreated cells; a unit with fewer than two of them is a
        # singleton there, which pyfixest drops, and its variance step then fails on shapes.
        n_untreated = ((d["_g"] == 0) | (d["_t"] < d["_g"])).groupby(d["_u"]).sum()
        thin = n_untreated[n_untreated < 2].index
        if len(thin):
            notes.append(f"dropped {len(thin)} units with fewer than 2 untreated observations "
                         "(no unit effect can be imputed for them)")
            d = d[~d["_u"].isin(thin)]
            if not (d["_g"] > 0).any():
                raise MethodError("no treated unit has two or more untreated observations")
    within = d["_y"] - d.groupby("_u")["_y"].transform("mean")
    if is_constant(d["_y"]) or float(within.abs().max()) <= 1e-12 * max(1.0, d["_y"].abs().max()):
        raise MethodError(f"outcome {outcome!r} is constant within every unit; nothing to estimate")
    if control_group == "never" and estimator == "twfe":
        notes.append("TWFE uses all units; control_group applies to robust estimators only")
    d["_treated"] = (d["_g"] > 0) & (d["_t"] >= d["_g"])
    rel = np.where(d["_g"] > 0, d["_t"] - d["_g"], np.nan)
    d["_rel"] = rel
    d["_relb"] = np.clip(rel, -leads, lags)
    bins = [b for b in range(-leads, lags + 1) if b != -1]
    present = set(d["_relb"].dropna().astype(int))
    bins = [b for b in bins if b in present]
    cols = []
    for b in bins:
        c = f"ev_m{-b}" if b < 0 else f"ev_p{b}"
        d[c] = (d["_relb"] == b).astype(float)
        cols.append((b, c))
    if not any(b >= 0 for b, _ in cols):
        raise MethodError("no post-treatment observations")
    d["_D"] = d["_treated"].astype(float)
    d = d.reset_index(drop=True)
    return d, cols, notes


def _wald(b: np.ndarray, v: np.ndarray, n_clusters: int):
    """Joint Wald test b=0, reported as F(k, G-1) (small-cluster correction)."""
    k = len(b)
    if k == 0:
        return None, None, None
    stat = float(b @ np.linalg.pinv(v) @ b) / k
    p = float(stats.f.sf(stat, k, max(n_clusters - 1, 1)))
    return stat, k, p


def _table(rows, alpha, df_t):
    z = stats.t.ppf(1 - alpha / 2, df_t)
    es = pd.DataFrame(rows, columns=["rel_time", "estimate", "se", "n_obs"])
    es["ci_low"] = es["estimate"] - z * es["se"]
    es["ci_high"] = es["estimate"] + z * es["se"]
    ref = pd.DataFrame(
        [{"rel_time": -1, "estimate": 0.0, "se": 0.0, "n_obs": 0, "ci_low": 0.0, "ci_high": 0.0}]
    )
    es = pd.concat([es, ref], ignore_index=True).sort_values("rel_time", ignore_index=True)
    es["rel_time"] = es["rel_time"].astype(int)
    return es[["rel_time", "estimate", "se", "ci_low", "ci_high", "n_obs"]]


def _fit_regression(d, cols, estimator):
    """Return (names, coef, vcov) for the ATT model and for the event-study model."""
    names = [c for _, c in cols]
    if estimator == "did2s":
        return _did2s(d, ["_D"]), _did2s(d, names)
    return _feols(d, ["_D"]), _feols(d, names)


def _singletons(*codes: np.ndarray) -> np.ndarray:
    """Rows whose unit or year has a single observation, iterated until none is left (fixest's
    rule, pyfixest's ``fixef_rm="singleton"``): such a row is fitted exactly by its own effect."""
    drop = np.zeros(len(codes[0]), bool)
    while True:
        new = np.zeros_like(drop)
        for c in codes:
            n = np.bincount(c[~drop], minlength=c.max() + 1)
            new |= ~drop & (n[c] == 1)
        if not new.any():
            return drop
        drop |= new


def _collinear(xx: np.ndarray, tol: float = 1e-9) -> np.ndarray:
    """Columns to drop: fixest's sequential Cholesky check on X̃ᵀX̃ (a pivot below ``tol``), the
    one pyfixest applies, so that the same coefficient of a collinear set is dropped."""
    k = xx.shape[0]
    R, out = np.zeros((k, k)), np.zeros(k, bool)
    for j in range(k):
        keep = ~out[:j]
        rjj = xx[j, j] - R[:j, j][keep] @ R[:j, j][keep]
        if rjj < tol:
            out[j] = True
            continue
        R[j, j] = np.sqrt(rjj)
        R[j, j + 1:] = (xx[j, j + 1:] - R[:j, j][keep] @ R[:j, j + 1:][keep]) / R[j, j]
    return out


def _feols(d: pd.DataFrame, names: list[str]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """OLS of ``_y`` on ``names`` with unit and year fixed effects and CRV1 variance clustered by
    ``_c``: the numbers of ``pyfixest.feols("_y ~ names | _u + _t", vcov={"CRV1": "_c"})``
    (0.60 defaults), i.e. singletons dropped, collinear columns dropped, small-sample factor
    (N−1)/(N−k′)·G/(G−1) with k′ = k + the fixed effects not nested in the clusters (fixest's
    "nonnested"; unit effects nest in unit or province clusters, so k′ = k + T).

    Frisch–Waugh–Lovell, exactly (pyfixest demeans iteratively, tolerance 1e-8): with the unit
    effects partialled out, the year effects solve S γ = r, S = diag(n_t) − Nᵀdiag(1/n_u)N
    (N = unit × year counts, T × T), so M_D X = X − U·a − T·Γ with a U × k and Γ T × k, and X̃ᵀX̃,
    X̃ᵀỹ and the cluster scores Σ_g X̃_gᵀe_g come from sparse products without ever forming the
    dense n × k matrix X̃. Why not pyfixest: ~1.2 s of numba compilation in every fresh kernel
    and ~0.1 s per fit; tests/test_did.py checks this against pyfixest."""
    from scipy import linalg, sparse

    u = pd.factorize(d["_u"], sort=True)[0]
    t = pd.factorize(d["_t"], sort=True)[0]
    keep = ~_singletons(u, t)
    u, t = pd.factorize(u[keep], sort=True)[0], pd.factorize(t[keep], sort=True)[0]
    c = pd.factorize(d["_c"].to_numpy()[keep], sort=True)[0]
    n, nu, nt, G = len(u), np.bincount(u), np.bincount(t), int(c.max()) + 1
    rows, ones = np.arange(n), np.ones(n)
    Ud = sparse.csr_matrix((ones, (rows, u)), shape=(n, len(nu)))
    Td = sparse.csr_matrix((ones, (rows, t)), shape=(n, len(nt)))
    N = (Ud.T @ Td).toarray()
    S = np.diag(nt.astype(float)) - N.T @ (N / nu[:, None])
    try:  # the first year is the reference: its effect is absorbed by the unit effects
        cf = linalg.cho_factor(S[1:, 1:])

        def year_effects(r):
            return np.vstack([np.zeros((1, r.shape[1])), linalg.cho_solve(cf, r[1:])])
    except linalg.LinAlgError:  # unit–year graph not connected: any solution projects alike

        def year_effects(r):
            return np.vstack([np.zeros((1, r.shape[1])),
                              np.linalg.lstsq(S[1:, 1:], r[1:], rcond=None)[0]])

    y = d["_y"].to_numpy(float)[keep]
    y1 = y - (np.bincount(u, y) / nu)[u]
    gy = year_effects(np.bincount(t, y1)[:, None])[:, 0]
    y = y1 - gy[t] + ((N @ gy) / nu)[u]  # ỹ = M_D y
    X = sparse.csr_matrix(d[names].to_numpy(float)[keep])
    UX = (Ud.T @ X).toarray()
    A = UX / nu[:, None]
    Gam = year_effects((Td.T @ X).toarray() - N.T @ A)
    a = A - (N @ Gam) / nu[:, None]  # M_D X = X − U a − T Γ
    XX = (X.T @ X).toarray() - UX.T @ a - (Td.T @ X).toarray().T @ Gam
    XX = (XX + XX.T) / 2
    drop = _collinear(XX)
    if drop.all():
        raise MethodError("all regressors are collinear with the unit and year effects")
    ok = ~drop
    X, XX, a, Gam = X[:, ok], XX[np.ix_(ok, ok)], a[:, ok], Gam[:, ok]
    names = [x for x, o in zip(names, ok, strict=True) if o]
    bread = np.linalg.inv(XX)
    beta = bread @ (X.T @ y)  # X̃ᵀỹ = Xᵀỹ
    e = y - X @ beta + (a @ beta)[u] + (Gam @ beta)[t]
    Ce = sparse.csr_matrix((e, (c, rows)), shape=(G, n))  # Cᵀ diag(e)
    W = Ce @ X - (Ce @ Ud) @ a - (Ce @ Td) @ Gam  # Σ_{i∈g} x̃_i e_i, G × k
    W = np.asarray(W)
    k = X.shape[1]
    nested = [f for f in (u, t) if pd.Series(c).groupby(f).nunique().max() == 1]
    k_fe = len(nu) + len(nt) - 1  # one effect per extra dimension is redundant
    df_k = k + k_fe - sum(f.max() + 1 for f in nested) + len(nested)
    ssc = (n - 1) / (n - df_k) * G / (G - 1)
    return names, beta, ssc * bread @ (W.T @ W) @ bread


def _did2s(d: pd.DataFrame, names: list[str]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Gardner's (2022) two-stage estimator with its GMM variance (Butts & Gardner's R package
    did2s; the same formula as ``pyfixest.did2s``), as sparse linear algebra on the prepared
    panel: stage 1 fits unit and year effects on the untreated cells (``~_treated``), stage 2
    regresses the residualised outcome on ``names`` (disjoint 0/1 columns, no intercept). The
    variance is Σ_g s_g s_gᵀ with s_g = (X₂ᵀX₂)⁻¹ [X₂gᵀ e₂g − X₂ᵀX₁ (X₁₀ᵀX₁₀)⁻¹ X₁₀gᵀ e₁g]
    over the clusters ``_c``, no small-sample factor (as did2s). Why not pyfixest here: it
    builds both stages' model matrices through formulaic, ~0.25 s per fit and ~1.2 s of
    compilation in a fresh kernel; this is ~10 ms and equal to pyfixest to 1e-10 (tested)."""
    from scipy import linalg, sparse

    n = len(d)
    ui = pd.factorize(d["_u"], sort=True)[0]
    ti = pd.factorize(d["_t"], sort=True)[0]
    cl = pd.factorize(d["_c"], sort=True)[0]
    rows, ones = np.arange(n), np.ones(n)
    X1 = sparse.hstack([
        sparse.csr_matrix((ones, (rows, ui)), shape=(n, ui.max() + 1)),
        sparse.csr_matrix((ones, (rows, ti)), shape=(n, ti.max() + 1))[:, 1:],
    ]).tocsr()
    untreated = ~d["_treated"].to_numpy(bool)
    XU = X1[untreated]
    try:
        cf = linalg.cho_factor((XU.T @ XU).toarray())
    except linalg.LinAlgError as e:
        raise MethodError("unit and year effects are not identified from the untreated "
                          "observations") from e
    y = d["_y"].to_numpy(float)
    e1 = y - X1 @ linalg.cho_solve(cf, XU.T @ y[untreated])  # ỹ on every row
    X2 = d[names].to_numpy(float)
    keep = np.abs(X2).sum(axis=0) > 0  # an empty column is not identified (pyfixest drops it)
    X2, names = X2[:, keep], [c for c, k in zip(names, keep, strict=True) if k]
    if not names:
        raise MethodError("no observations for the second-stage terms")
    bread = np.linalg.inv(X2.T @ X2)
    beta = bread @ (X2.T @ e1)
    e2 = e1 - X2 @ beta
    V = linalg.cho_solve(cf, np.asarray(X1.T @ X2)).T  # X₂ᵀX₁ (X₁₀ᵀX₁₀)⁻¹, k × p
    score_rows = X2 * e2[:, None] - np.where(untreated, e1, 0.0)[:, None] * np.asarray(X1 @ V.T)
    C = sparse.csr_matrix((ones, (rows, cl)), shape=(n, cl.max() + 1))
    W = np.asarray(C.T @ score_rows)  # G × k
    return names, beta, bread @ (W.T @ W) @ bread


def _sunab(d, cols):
    """Saturated cohort × event-time regression (:func:`_feols`), aggregated with cohort shares
    (IW). Returns the ATT and its SE, the event-study rows (bin, estimate, SE, n) and the lead
    aggregates (bins ≤ −2) with their variance for the pre-trend Wald test."""
    # saturate in *unbinned* event time (binning inside the regression would impose equal
    # effects within a bin); cells are aggregated into the display bins afterwards.
    cohorts = sorted(d.loc[d["_g"] > 0, "_g"].unique())
    lo, hi = min(b for b, _ in cols), max(b for b, _ in cols)
    inter, new = [], {}
    for g in cohorts:
        is_g = (d["_g"] == g).to_numpy()
        for r in sorted(d.loc[is_g, "_rel"].unique()):
            if r == -1:
                continue
            m = is_g & (d["_rel"].to_numpy() == r)
            c = f"sa_{int(g)}_{'m' if r < 0 else 'p'}{abs(int(r))}"
            new[c] = m.astype(float)
            inter.append((g, int(min(max(r, lo), hi)), c, int(m.sum())))
    d = pd.concat([d, pd.DataFrame(new, index=d.index)], axis=1)
    kept, b_all, v_all = _feols(d, [c for *_, c, _ in inter])
    coef = pd.Series(b_all, index=kept)
    vc = pd.DataFrame(v_all, index=kept, columns=kept)
    inter = [x for x in inter if x[2] in coef.index]
    names = list(coef.index)

    def weights(sel):
        w = pd.Series(0.0, index=names)
        tot = sum(n for *_, n in sel)
        for *_, c, n in sel:
            w[c] = n / tot
        return w.to_numpy()

    rows, wmat = [], []
    for b, _ in cols:
        sel = [x for x in inter if x[1] == b]
        if sel and b != -1:
            wmat.append((b, weights(sel), sum(x[3] for x in sel)))
    post = [x for x in inter if x[1] >= 0]
    if not post:
        raise MethodError("no identified post-treatment cohort × period cells")
    b_, v_ = coef.to_numpy(), vc.to_numpy()
    watt = weights(post)
    att = float(watt @ b_)
    att_se = float(np.sqrt(watt @ v_ @ watt))
    for b, w, n in wmat:
        rows.append((b, float(w @ b_), float(np.sqrt(w @ v_ @ w)), n))
    W = np.array([w for b, w, _ in wmat if b < -1]).reshape(-1, len(names))
    lead_b = W @ b_ if len(W) else np.array([])
    lead_v = W @ v_ @ W.T if len(W) else np.zeros((0, 0))
    return att, att_se, rows, lead_b, lead_v


def estimate_did(
    df: pd.DataFrame,
    outcome: str,
    cohort: str = "treat_year",
    unit: str = "region_code",
    time: str = "year",
    estimator: str = "auto",
    control_group: str = "notyet",
    leads: int = 5,
    lags: int = 5,
    alpha: float = 0.05,
    cluster: str | None = None,
) -> DiDResult:
    """Staggered DiD with event study (binned endpoints, reference −1) and joint pre-trend test.

    ``cohort`` holds each unit's first treatment year (NaN or 0 = never treated). Event time is
    binned at ``-leads`` and ``+lags``. The pre-trend test is a Wald/F test that all lead
    coefficients (event time ≤ −2) are zero. SEs are clustered by ``unit``, or by the column
    ``cluster`` (e.g. the province: treatment came in province blocks), with G−1 degrees of freedom
    for G clusters.
    """
    if control_group not in ("never", "notyet"):
        raise MethodError(f"control_group must be 'never' or 'notyet', got {control_group!r}")
    if estimator == "auto":
        estimator = "did2s" if control_group == "notyet" else "sunab"
    if estimator not in _ESTIMATORS:
        raise MethodError(f"estimator must be one of {sorted(_ESTIMATORS)} or 'auto'")
    if estimator == "did2s" and control_group == "never":
        raise MethodError("did2s imputes from all untreated observations (never + not-yet); "
                          "use estimator='sunab' for never-treated controls")
    if estimator == "sunab" and control_group == "notyet":
        raise MethodError("Sun-Abraham compares with never-treated (or last-treated) units; "
                          "use estimator='did2s' for not-yet-treated controls")
    if leads < 2 or lags < 0:
        raise MethodError("need leads >= 2 (a pre-trend test needs a lead besides −1) and lags >= 0")
    d, cols, notes = _prepare(df, outcome, cohort, unit, time, control_group, estimator, leads, lags,
                              cluster)
    n_clusters = d["_c"].nunique()
    unit_g = d.groupby("_u")["_g"].first()
    treated_units = unit_g[unit_g > 0]
    if estimator == "sunab" or control_group == "never":
        n_control = int((unit_g == 0).sum())
    else:
        has_untreated = (~d["_treated"]).groupby(d["_u"]).any()
        n_control = int((has_untreated & (unit_g == 0)).sum() + (has_untreated & (unit_g > 0)).sum())
    if estimator == "sunab":
        att, se, rows, lead_b, lead_v = _sunab(d, cols)
    else:
        (na, ba, va), (ne, be, ve) = _fit_regression(d, cols, estimator)
        ia = na.index("_D")
        att, se = float(ba[ia]), float(np.sqrt(va[ia, ia]))
        counts = {c: int(d.loc[d["_g"] > 0, c].sum()) for _, c in cols}
        rows = []
        lead_idx = []
        for b, c in cols:
            if c in ne:
                i = ne.index(c)
                rows.append((b, float(be[i]), float(np.sqrt(ve[i, i])), counts[c]))
                if b < -1:
                    lead_idx.append(i)
        lead_b, lead_v = be[lead_idx], ve[np.ix_(lead_idx, lead_idx)]
    if not (np.isfinite(att) and np.isfinite(se)) or se <= 0:
        raise MethodError(f"ATT not identified (estimate {att}, se {se})")
    df_t = max(n_clusters - 1, 1)
    tcrit = stats.t.ppf(1 - alpha / 2, df_t)
    p = float(2 * stats.t.sf(abs(att / se), df_t))
    stat, kdf, pp = _wald(np.asarray(lead_b), np.asarray(lead_v), n_clusters)
    if stat is None:
        notes.append("no lead beyond −1 observed: pre-trend test not available")
    return DiDResult(
        estimator=estimator,
        estimator_name=_NAMES[estimator],
        control_group="all units (TWFE)" if estimator == "twfe" else control_group,
        outcome=outcome,
        att=att,
        se=se,
        ci_low=att - tcrit * se,
        ci_high=att + tcrit * se,
        p_value=p,
        n_obs=len(d),
        n_treated_units=len(treated_units),
        n_control_units=n_control,
        event_study=_table(rows, alpha, df_t),
        pretrend_stat=stat,
        pretrend_df=kdf,
        pretrend_p=pp,
        cohorts={int(k): int(v) for k, v in treated_units.value_counts().sort_index().items()},
        notes=notes,
    )


def placebo_shift(
    df: pd.DataFrame,
    outcome: str,
    shift: int = 3,
    cohort: str = "treat_year",
    unit: str = "region_code",
    time: str = "year",
    **kwargs,
) -> DiDResult:
    """Placebo: move every cohort ``shift`` years earlier and use only pre-treatment data.

    Treated units keep only years before their real treatment, so a real effect cannot leak in;
    an estimate far from 0 signals diverging pre-trends or a mis-specified design."""
    require_columns(df, [unit, time, outcome, cohort], "DiD panel")
    if shift < 1:
        raise MethodError("shift must be a positive number of years")
    g = pd.to_numeric(df[cohort], errors="coerce").fillna(0)
    keep = (g == 0) | (df[time] < g)
    d = df.loc[keep].copy()
    gg = pd.to_numeric(d[cohort], errors="coerce").fillna(0)
    d[cohort] = np.where(gg > 0, gg - shift, 0)
    res = estimate_did(d, outcome, cohort=cohort, unit=unit, time=time, **kwargs)
    res.estimator_name = f"Placebo (cohorts shifted −{shift} y, pre-treatment data): " + (
        res.estimator_name
    )
    res.notes.append(f"placebo: treatment years moved {shift} years earlier")
    return res


def permutation_placebo(
    df: pd.DataFrame,
    outcome: str,
    n_perm: int = 99,
    seed: int = 0,
    cohort: str = "treat_year",
    unit: str = "region_code",
    time: str = "year",
    estimator: str = "twfe",
    **kwargs,
) -> dict:
    """Randomisation inference: reassign treatment years across units ``n_perm`` times.

    Returns the actual ATT, the permutation distribution and the two-sided permutation p-value
    (share of |placebo ATT| ≥ |actual|, with the +1 correction). Uses TWFE by default for speed."""
    require_columns(df, [unit, time, outcome, cohort], "DiD panel")
    actual = estimate_did(df, outcome, cohort, unit, time, estimator=estimator, **kwargs)
    ug = df.groupby(unit)[cohort].first()
    rng = np.random.default_rng(seed)
    draws = []
    for _ in range(n_perm):
        perm = pd.Series(rng.permutation(ug.to_numpy()), index=ug.index)
        d = df.copy()
        d[cohort] = d[unit].map(perm)
        try:
            draws.append(estimate_did(d, outcome, cohort, unit, time, estimator=estimator,
                                      **kwargs).att)
        except MethodError:
            continue
    draws = np.asarray(draws)
    if draws.size == 0:
        raise MethodError("no permutation could be estimated")
    p = (1 + np.sum(np.abs(draws) >= abs(actual.att))) / (1 + draws.size)
    return {"att": actual.att, "draws": draws, "p_value": float(p), "n_perm": int(draws.size)}


def plot_event_study(
    result: DiDResult,
    ax,
    title: str | None = None,
    xlabel: str = "Years relative to treatment",
    ylabel: str = "Effect",
    label: str | None = None,
    color: str | None = None,
    offset: float = 0.0,
):
    """Event-study plot on a given matplotlib ``ax`` (labels passed in, e.g. Chinese + English).

    Points with 95% CI bars, dashed zero line, a vertical line between −1 and 0; binned endpoints
    are marked '≤' / '≥' on the tick labels. Call twice with ``offset`` to overlay estimators."""
    es = result.event_study
    x = es["rel_time"].to_numpy() + offset
    y = es["estimate"].to_numpy()
    lo, hi = es["ci_low"].to_numpy(), es["ci_high"].to_numpy()
    lab = label if label is not None else result.estimator
    ax.errorbar(x, y, yerr=[y - lo, hi - y], fmt="o", capsize=3, label=lab, color=color)
    ax.axhline(0, color="grey", lw=0.8, ls="--")
    ax.axvline(-0.5, color="grey", lw=0.8, ls=":")
    ticks = es["rel_time"].to_numpy()
    tl = [str(t) for t in ticks]
    if len(ticks):
        tl[0] = f"≤{ticks[0]}"
        tl[-1] = f"≥{ticks[-1]}"
    ax.set_xticks(ticks)
    ax.set_xticklabels(tl)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    return ax
