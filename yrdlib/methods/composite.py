"""Composite "city tier" (城市能级) index: min-max normalisation, entropy weights (the
standard method in the Chinese regional-economics literature), PCA weights as a robustness check,
ranks per year and the sensitivity of one region's rank to the weighting.

Entropy method: p_ij = x_ij / Σ_i x_ij, e_j = −k Σ_i p_ij ln p_ij with k = 1/ln n (0·ln 0 = 0),
d_j = 1 − e_j, w_j = d_j / Σ_j d_j — indicators that vary more across units get more weight.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from yrdlib.methods._common import MethodError, require_columns

__all__ = [
    "CompositeResult",
    "composite_index",
    "entropy_weights",
    "minmax_normalise",
    "pca_weights",
    "rank_sensitivity",
]


@dataclass
class CompositeResult:
    weights: pd.Series
    scores: pd.DataFrame  # unit, time, score, rank (1 = highest, within year)
    normalised: pd.DataFrame


def minmax_normalise(df: pd.DataFrame, positive: Sequence[str] = (), negative: Sequence[str] = (),
                     by: str | None = None) -> pd.DataFrame:
    """(x − min)/(max − min) for positive indicators, (max − x)/(max − min) for negative ones;
    pooled over all rows, or within each ``by`` group (e.g. year). Returns the indicator columns."""
    cols = list(positive) + list(negative)
    if not cols:
        raise MethodError("no indicators given")
    require_columns(df, cols + ([by] if by else []), "indicator table")
    X = df[cols].astype(float)
    if X.isna().any().any():
        raise MethodError(f"missing values in {X.columns[X.isna().any()].tolist()}; impute or drop first")
    grp = X.groupby(df[by]) if by else None
    mn = grp.transform("min") if by else X.min()
    mx = grp.transform("max") if by else X.max()
    rng = mx - mn
    if (np.asarray(rng) == 0).any():
        bad = [c for c in cols if (np.asarray(rng[c]) == 0).any()]
        raise MethodError(f"indicator(s) {bad} constant (within group): cannot normalise")
    out = (X - mn) / rng
    for c in negative:
        out[c] = 1 - out[c]
    return out


def entropy_weights(X: pd.DataFrame) -> pd.Series:
    """Entropy weights of the columns of a non-negative (normalised) matrix."""
    A = np.asarray(X, dtype=float)
    n = A.shape[0]
    if n < 2:
        raise MethodError("entropy weights need at least 2 rows")
    if np.isnan(A).any() or (A < 0).any():
        raise MethodError("entropy weights need non-negative, non-missing values")
    tot = A.sum(axis=0)
    if (tot == 0).any():
        raise MethodError("an indicator is zero for every unit")
    P = A / tot
    with np.errstate(divide="ignore", invalid="ignore"):
        plogp = np.where(P > 0, P * np.log(P), 0.0)
    e = -plogp.sum(axis=0) / np.log(n)
    d = 1 - e
    if d.sum() <= 0:
        raise MethodError("no indicator varies: entropy weights undefined")
    return pd.Series(d / d.sum(), index=getattr(X, "columns", range(A.shape[1])), name="entropy")


def pca_weights(X: pd.DataFrame, method: str = "first") -> pd.Series:
    """PCA weights on standardised indicators. ``first``: loadings of PC1 (sign set so they sum
    positive), rescaled to sum 1. ``variance``: components with eigenvalue ≥ 1 (Kaiser), |loadings|
    weighted by each component's variance share, rescaled to sum 1."""
    A = np.asarray(X, dtype=float)
    if A.shape[0] < 3 or A.shape[1] < 2:
        raise MethodError("PCA weights need >= 3 rows and >= 2 indicators")
    sd = A.std(axis=0, ddof=1)
    if (sd == 0).any():
        raise MethodError("an indicator is constant; PCA undefined")
    Z = (A - A.mean(axis=0)) / sd
    vals, vecs = np.linalg.eigh(np.cov(Z, rowvar=False))
    order = np.argsort(vals)[::-1]
    vals, vecs = vals[order], vecs[:, order]
    if method == "first":
        v = vecs[:, 0] * (1 if vecs[:, 0].sum() >= 0 else -1)
        w = v / v.sum()
    elif method == "variance":
        k = max(1, int((vals >= 1).sum()))
        w = (np.abs(vecs[:, :k]) * (vals[:k] / vals[:k].sum())).sum(axis=1)
        w = w / w.sum()
    else:
        raise MethodError("method must be 'first' or 'variance'")
    return pd.Series(w, index=getattr(X, "columns", range(A.shape[1])), name=f"pca_{method}")


def _weights(norm: pd.DataFrame, weights) -> pd.Series:
    if isinstance(weights, str):
        if weights == "entropy":
            return entropy_weights(norm)
        if weights == "equal":
            return pd.Series(1 / norm.shape[1], index=norm.columns, name="equal")
        if weights in ("pca", "pca_first"):
            return pca_weights(norm, "first")
        if weights == "pca_variance":
            return pca_weights(norm, "variance")
        raise MethodError(f"unknown weighting {weights!r}")
    w = pd.Series(weights, dtype=float)
    if set(w.index) != set(norm.columns):
        raise MethodError("weights must cover exactly the indicators")
    return w[norm.columns] / w.sum()


def composite_index(df: pd.DataFrame, positive: Sequence[str] = (), negative: Sequence[str] = (),
                    weights="entropy", unit: str = "region_code", time: str = "year",
                    normalise_by: str | None = None) -> CompositeResult:
    """Weighted sum of normalised indicators, ranked within each year (1 = top).

    Weights are computed on the pooled unit×year panel (``normalise_by=None``) so scores are
    comparable over time; ``weights`` is 'entropy', 'equal', 'pca', 'pca_variance' or a mapping."""
    require_columns(df, [unit, time], "indicator table")
    norm = minmax_normalise(df, positive, negative, by=normalise_by)
    w = _weights(norm, weights)
    score = norm.to_numpy() @ w.to_numpy()
    sc = pd.DataFrame({unit: df[unit].to_numpy(), time: df[time].to_numpy(), "score": score})
    sc["rank"] = sc.groupby(time)["score"].rank(ascending=False, method="min").astype(int)
    return CompositeResult(w, sc, norm)


def rank_sensitivity(df: pd.DataFrame, focus, year, positive: Sequence[str] = (),
                     negative: Sequence[str] = (), n_draws: int = 1000, concentration: float = 1.0,
                     seed: int = 0, unit: str = "region_code", time: str = "year") -> dict:
    """The focus unit's rank in ``year`` under equal, entropy and PCA weights and under
    ``n_draws`` random Dirichlet(concentration) weights. Returns {'fixed': DataFrame,
    'draws': array of ranks, 'summary': dict of min/quantiles/max/share top-k}."""
    require_columns(df, [unit, time], "indicator table")
    if focus not in set(df[unit]):
        raise MethodError(f"focus {focus!r} not in data")
    norm = minmax_normalise(df, positive, negative)
    m = (df[time] == year).to_numpy()
    if not m.any():
        raise MethodError(f"no rows for {year}")
    fi = np.flatnonzero(m & (df[unit] == focus).to_numpy())
    if len(fi) != 1:
        raise MethodError(f"focus {focus!r} needs exactly one row in {year}")
    Xy = norm.to_numpy()[m]
    xf = norm.to_numpy()[fi[0]]
    fixed = []
    for name in ("equal", "entropy", "pca", "pca_variance"):
        try:
            w = _weights(norm, name).to_numpy()
        except MethodError:
            continue
        fixed.append({"weighting": name, "rank": int(1 + (Xy @ w > xf @ w).sum())})
    W = np.random.default_rng(seed).dirichlet(np.full(norm.shape[1], concentration), n_draws)
    ranks = 1 + ((Xy @ W.T) > (xf @ W.T)[None, :]).sum(axis=0)
    q = np.quantile(ranks, [0.05, 0.5, 0.95])
    summary = {"n_units": int(m.sum()), "min": int(ranks.min()), "q05": float(q[0]),
               "median": float(q[1]), "q95": float(q[2]), "max": int(ranks.max())}
    return {"fixed": pd.DataFrame(fixed), "draws": ranks, "summary": summary}
