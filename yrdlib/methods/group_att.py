"""Group-wise averages of one pooled imputation (did2s) fit, and randomization inference that
permutes cohort patterns across any unit-constant block.

Why one fit for every group: with the imputation estimator each treated cell's effect is
ỹ = y − α̂_i − λ̂_t from one stage-1 fit on all untreated cells, so the effect of a group of
treated units (a city cluster) is the mean of its own cells' ỹ. The pooled ATT is then exactly
the cell-weighted mean of the group ATTs, and every group borrows the same counterfactual
(Borusyak, Jaravel & Spiess 2024, weights on subsets of treated cells)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from yrdlib.methods._common import MethodError, require_columns
from yrdlib.methods.inference import (
    _att_fast_cols,
    _cluster_scores,
    _Imputation,
    _province_permutation,
    _setup,
    permutation_summary,
)

__all__ = ["imputation_by_group", "permute_blocks"]


def imputation_by_group(df: pd.DataFrame, outcome: str, group: str,
                        cohort: str = "treat_year", unit: str = "region_code",
                        time: str = "year", cluster: str = "region_code",
                        alpha: float = 0.05) -> pd.DataFrame:
    """One row per value of ``group`` (a unit-constant column; NaN for never-treated units) and
    a first row ``"pooled"``: the imputation ATT over that group's treated cells with a CR1
    standard error clustered at ``cluster`` (default the unit), normal 95 % interval and p,
    treated units and treated cells. Raises MethodError when no group has a treated cell."""
    from scipy.stats import norm

    require_columns(df, [group], "DiD panel")
    gmap = df.groupby(unit)[group].first()
    d, _cols, _notes, ui, ti, C, G = _setup(df, outcome, cohort, unit, time, cluster, 0, 0)
    tr = d["_treated"].to_numpy()
    gv = d["_u"].map(gmap).to_numpy()
    names = sorted({g for g in gv[tr] if isinstance(g, str)})
    if not names:
        raise MethodError(f"no treated cell carries a value of {group!r}")
    targets = [("pooled", tr)] + [(g, tr & (gv == g)) for g in names]
    im = _Imputation(ui, ti, ~tr, targets)
    # ỹ on every cell; a treated cell's residual is ỹ minus its own group's mean
    Yt = im.resid_stage1(d["_y"].to_numpy()[:, None])
    theta = im.R @ Yt
    E = Yt.copy()
    for j, (_, m) in enumerate(targets[1:], start=1):
        E[m] -= theta[j][None, :]
    S = _cluster_scores(im.L, E, C)[:, :, 0]
    se = np.sqrt((S ** 2).sum(axis=1) * G / (G - 1))
    z = norm.ppf(1 - alpha / 2)
    rows = []
    for j, (g, m) in enumerate(targets):
        est, s = float(theta[j, 0]), float(se[j])
        rows.append({"group": g, "att": est, "se": s, "ci_low": est - z * s,
                     "ci_high": est + z * s,
                     "p_value": float(2 * norm.sf(abs(est / s))) if s > 0 else np.nan,
                     "treated_units": int(pd.unique(d.loc[m, "_u"]).size),
                     "treated_cells": int(m.sum())})
    return pd.DataFrame(rows)


def permute_blocks(df: pd.DataFrame, outcome: str, block: str, cohort: str = "treat_year",
                   unit: str = "region_code", time: str = "year", n_perm: int = 999,
                   seed: int = 0, alpha: float = 0.05, mode: str = "blocks") -> dict:
    """Randomization inference for the pooled imputation ATT with a caller-chosen assignment
    mechanism. ``mode="blocks"``: every block (a unit-constant column) receives another block's
    shuffled cohort pattern, stretched to its number of units (as
    :func:`~yrdlib.methods.inference.randomization_inference`); ``mode="dates"``: the set of
    treated units is kept and the cohorts are permuted across the treated blocks only (each
    block keeps one date: a design where only the timing is as good as random, Athey & Imbens
    2022). Returns att, p (two-sided, +1 corrected), ci_low/ci_high (test inverted under a
    constant effect), se_design, mde, n_perm, n_blocks, n_treated_blocks, n_distinct."""

    require_columns(df, [unit, time, outcome, cohort, block], "DiD panel")
    if mode not in ("blocks", "dates"):
        raise ValueError(f"mode must be 'blocks' or 'dates', got {mode!r}")
    d = df[[unit, time, outcome, cohort, block]].copy()
    d = d[np.isfinite(pd.to_numeric(d[outcome], errors="coerce"))]
    ui = pd.factorize(d[unit], sort=True)[0]
    ti = d[time].astype(int).to_numpy()
    ti0 = pd.factorize(ti, sort=True)[0]
    y = d[outcome].astype(float).to_numpy()
    gu = pd.to_numeric(d[cohort], errors="coerce").fillna(0).groupby(ui).first().to_numpy()
    bl = d.groupby(ui)[block].first().to_numpy()
    codes = pd.factorize(bl, sort=True)[0]
    groups = [np.flatnonzero(codes == k) for k in range(codes.max() + 1)]
    if len(groups) < 3:
        raise MethodError(f"only {len(groups)} blocks of {block!r}; cannot permute")
    treated_blocks = [k for k, idx in enumerate(groups) if (gu[idx] > 0).any()]
    if not treated_blocks:
        raise MethodError("no treated units")
    D = ((gu[ui] > 0) & (ti >= gu[ui])).astype(float)
    YD = np.column_stack([y, D])
    actual, c_act = (float(v) for v in _att_fast_cols(ui, ti0, gu[ui], ti, YD))
    if not np.isfinite(actual):
        raise MethodError("ATT not identified for the actual assignment")
    rng = np.random.default_rng(seed)
    patterns = [gu[idx] for idx in groups]
    if mode == "dates":
        dates = []
        for k in treated_blocks:
            v = np.unique(gu[groups[k]][gu[groups[k]] > 0])
            if len(v) != 1:
                raise MethodError(f"block {k} of {block!r} holds {len(v)} cohorts; mode='dates' "
                                  "needs one date per treated block")
            dates.append(float(v[0]))
        dates = np.asarray(dates)
    seen: set = set()

    def assignments():
        for _ in range(n_perm):
            new = gu.copy()
            if mode == "blocks":
                for idx, vals in zip(groups, _province_permutation(groups, patterns, rng),
                                     strict=True):
                    new[idx] = vals
            else:
                perm = rng.permutation(dates)
                for k, dt in zip(treated_blocks, perm, strict=True):
                    idx = groups[k]
                    new[idx[gu[idx] > 0]] = dt
            seen.add(new.tobytes())
            yield new

    out = permutation_summary(ui, ti0, ti, YD, actual, c_act, assignments(), alpha)
    out.pop("p_one_sided")
    return {**out, "block": block, "mode": mode, "seed": seed, "n_blocks": len(groups),
            "n_treated_blocks": len(treated_blocks), "n_distinct": len(seen)}
