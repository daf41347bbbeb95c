"""Callaway & Sant'Anna (2021) group-time ATTs, unconditional (no covariates), implemented
directly: each ATT(g,t) is a 2×2 DiD of cohort g against a clean control group between the base
period and t, so the estimator is a set of differences of means with an exact influence
function. Standard errors: analytic, from the influence functions summed within clusters (unit by
default; ``cluster="province"`` for province blocks), normal critical values.

Why not a package: ``csdid`` 0.4.3 and ``differences`` 0.3.0 were checked (see
docs/methods.md); the direct implementation has no extra dependency, works with pandas 3 /
numpy 2.4 and is validated on simulated data with a known answer (tests/test_cs.py).

* control_group ``"never"``: never-treated units; ``"notyet"``: never-treated plus units whose
  cohort is later than both t and the base period (and not g itself).
* base_period ``"varying"`` (CS default: pre-periods compare t with t−1, post-periods t with
  g−1) or ``"universal"`` (always g−1, like an event study with reference −1).
* Aggregations (weights ∝ cohort size, treated as fixed in the influence function):
  ``overall`` (simple: all post cells), ``event_study`` (by event time e = t − g),
  ``by_cohort`` (each cohort's mean over its post cells), ``group_overall`` (cohort means
  weighted by cohort size), and :meth:`CSResult.aggregate` for any cohort subset (e.g. the
  2010/2013 and 2018/2019 cohorts separately).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from yrdlib.methods._common import MethodError, require_columns

__all__ = ["CSResult", "callaway_santanna"]


@dataclass
class CSResult:
    """Group-time ATTs with their influence functions and the standard aggregations."""

    outcome: str
    control_group: str
    base_period: str
    gt: pd.DataFrame
    overall: dict
    event_study: pd.DataFrame
    by_cohort: pd.DataFrame
    group_overall: dict
    pretrend_stat: float | None
    pretrend_df: int | None
    pretrend_p: float | None
    n_units: int
    n_clusters: int
    cluster: str
    alpha: float
    notes: list[str] = field(default_factory=list)
    _psi: np.ndarray | None = field(default=None, repr=False)
    _cl: np.ndarray | None = field(default=None, repr=False)
    _sizes: dict = field(default_factory=dict, repr=False)

    def _combine(self, w: np.ndarray) -> dict:
        est = float(w @ self.gt["att"].to_numpy())
        se = _se(self._psi @ w, self._cl, self.cluster)
        z = stats.norm.ppf(1 - self.alpha / 2)
        p = float(2 * stats.norm.sf(abs(est / se))) if se > 0 else np.nan
        return {"att": est, "se": se, "ci_low": est - z * se, "ci_high": est + z * se, "p": p}

    def aggregate(self, cohorts=None, kind: str = "simple", event_time: int | None = None) -> dict:
        """Aggregate post-period cells of ``cohorts`` (all if None): ``kind="simple"`` (weights
        ∝ cohort size over all post cells), ``"group"`` (cohort means, weighted by size) or
        ``"event"`` (cells with t − g = ``event_time``)."""
        gt = self.gt
        sel = gt["cohort"].isin(cohorts) if cohorts is not None else pd.Series(True, gt.index)
        if kind == "event":
            if event_time is None:
                raise MethodError("kind='event' needs event_time")
            sel &= gt["event_time"] == event_time
        else:
            sel &= gt["event_time"] >= 0
        if not sel.any():
            raise MethodError(f"no group-time cells for cohorts={cohorts}, kind={kind!r}")
        size = gt["cohort"].map(self._sizes).to_numpy(float)
        if kind == "group":
            w = np.zeros(len(gt))
            gs = sorted(gt.loc[sel, "cohort"].unique())
            tot = sum(self._sizes[g] for g in gs)
            for g in gs:
                m = (sel & (gt["cohort"] == g)).to_numpy()
                w[m] = self._sizes[g] / tot / m.sum()
        elif kind in ("simple", "event"):
            w = np.where(sel, size, 0.0)
            w = w / w.sum()
        else:
            raise MethodError(f"kind must be 'simple', 'group' or 'event', got {kind!r}")
        out = self._combine(w)
        out["cohorts"] = sorted(int(g) for g in gt.loc[sel, "cohort"].unique())
        out["n_cells"] = int(sel.sum())
        return out

    def summary(self) -> dict:
        return {"estimator": "Callaway & Sant'Anna (2021)", "outcome": self.outcome,
                "control_group": self.control_group, "base_period": self.base_period,
                **{k: self.overall[k] for k in ("att", "se", "ci_low", "ci_high", "p")},
                "pretrend_p": self.pretrend_p, "n_units": self.n_units,
                "n_clusters": self.n_clusters, "cluster": self.cluster,
                "notes": "; ".join(self.notes)}


def _se(psi: np.ndarray, cl: np.ndarray | None, cluster: str) -> float:
    if cl is None:
        return float(np.sqrt(np.sum(psi ** 2)))
    s = np.bincount(cl, weights=psi)
    G = len(s)
    return float(np.sqrt(np.sum(s ** 2) * G / max(G - 1, 1)))


def callaway_santanna(df: pd.DataFrame, outcome: str, cohort: str = "treat_year",
                      unit: str = "region_code", time: str = "year",
                      control_group: str = "notyet", base_period: str = "varying",
                      cluster: str | None = None, alpha: float = 0.05,
                      min_cell: int = 1, pretrend_window: int = 5) -> CSResult:
    """Callaway–Sant'Anna ATT(g,t) with analytic influence-function SEs.

    ``cohort``: first treatment year (NaN/0 = never treated; later than the sample = never).
    ``cluster``: None (units) or a unit-constant column (``"province"`` is derived from the
    first two digits of the region code if no such column exists). Cells with fewer than
    ``min_cell`` treated or control units are skipped (noted). The pre-trend test is a joint
    Wald test of the event-time aggregates from −``pretrend_window`` to −1 (−2 with a universal
    base period)."""
    if control_group not in ("never", "notyet"):
        raise MethodError(f"control_group must be 'never' or 'notyet', got {control_group!r}")
    if base_period not in ("varying", "universal"):
        raise MethodError(f"base_period must be 'varying' or 'universal', got {base_period!r}")
    require_columns(df, [unit, time, outcome, cohort], "CS panel")
    notes: list[str] = []
    d = df[[unit, time, outcome, cohort]].copy()
    d[outcome] = pd.to_numeric(d[outcome], errors="coerce")
    d = d[np.isfinite(d[outcome])]
    if d.duplicated([unit, time]).any():
        raise MethodError(f"duplicate ({unit}, {time}) rows; aggregate first")
    g_u = pd.to_numeric(d.groupby(unit)[cohort].first(), errors="coerce").fillna(0.0)
    if (pd.to_numeric(d[cohort], errors="coerce").fillna(0.0).groupby(d[unit]).nunique() > 1).any():
        raise MethodError(f"treatment year {cohort} varies within a unit; it must be constant")
    wide = d.pivot(index=unit, columns=time, values=outcome).sort_index()
    years = np.array(sorted(int(c) for c in wide.columns))
    wide.columns = years
    g_u = g_u.reindex(wide.index)
    tmin, tmax = years.min(), years.max()
    late = g_u > tmax
    if late.any():
        notes.append(f"{int(late.sum())} units treated after {tmax} coded as never treated")
        g_u[late] = 0.0
    always = (g_u > 0) & (g_u <= tmin)
    if always.any():
        notes.append(f"dropped {int(always.sum())} always-treated units (treated in or before {tmin})")
        wide, g_u = wide[~always], g_u[~always]
    if control_group == "never" and not (g_u == 0).any():
        raise MethodError("no never-treated units; use control_group='notyet'")
    N = len(wide)
    Y = wide.to_numpy(float)
    G = g_u.to_numpy()
    cohorts = sorted(int(g) for g in np.unique(G[G > 0]))
    if not cohorts:
        raise MethodError("no treated units with a pre-treatment period in the sample")
    col = {int(t): j for j, t in enumerate(years)}
    rows, psis = [], []
    skipped = 0
    for g in cohorts:
        is_g = G == g
        for t in years:
            t = int(t)
            if base_period == "universal":
                if t == g - 1:
                    continue
                base = g - 1
            else:
                base = g - 1 if t >= g else t - 1
            if base not in col or t not in col:
                continue
            if control_group == "never":
                is_c = G == 0
            else:
                is_c = (G == 0) | ((G > max(t, base)) & ~is_g)
            dy = Y[:, col[t]] - Y[:, col[base]]
            ok = np.isfinite(dy)
            tr, co = is_g & ok, is_c & ok
            if tr.sum() < min_cell or co.sum() < min_cell or tr.sum() == 0 or co.sum() == 0:
                skipped += 1
                continue
            mt, mc = dy[tr].mean(), dy[co].mean()
            psi = np.zeros(N)
            psi[tr] = (dy[tr] - mt) / tr.sum()
            psi[co] = -(dy[co] - mc) / co.sum()
            rows.append((g, t, t - g, mt - mc, int(tr.sum()), int(co.sum())))
            psis.append(psi)
    if skipped:
        notes.append(f"{skipped} group-time cells without treated or control units skipped")
    if not any(r[2] >= 0 for r in rows):
        raise MethodError("no post-treatment group-time cell could be estimated")
    gt = pd.DataFrame(rows, columns=["cohort", "year", "event_time", "att", "n_treated",
                                     "n_control"])
    psi = np.column_stack(psis)
    cl = None
    cname = "unit"
    if cluster is not None:
        if cluster == "province" and "province" not in df.columns:
            cmap = pd.Series(wide.index.astype(str).str[:2] + "0000", index=wide.index)
        else:
            require_columns(df, [cluster], "CS panel")
            cmap = df.groupby(unit)[cluster].first().reindex(wide.index)
        cl = pd.factorize(cmap.to_numpy(), sort=True)[0]
        cname = cluster
    n_cl = N if cl is None else int(cl.max()) + 1
    z = stats.norm.ppf(1 - alpha / 2)
    gt["se"] = [_se(psi[:, j], cl, cname) for j in range(psi.shape[1])]
    gt["ci_low"] = gt["att"] - z * gt["se"]
    gt["ci_high"] = gt["att"] + z * gt["se"]
    sizes = {g: int((G == g).sum()) for g in cohorts}
    single = [g for g in cohorts if sizes[g] == 1]
    if single:
        notes.append(f"cohort(s) {single} have a single unit: its own variance is not estimable, "
                     "so their SEs reflect the control units only and understate the uncertainty")
    if cl is not None:
        n_tcl = len(np.unique(cl[G > 0]))
        if n_tcl < 6:
            notes.append(f"only {n_tcl} treated clusters of {cname!r}: cluster-robust SEs and the "
                         "pre-trend Wald test are unreliable (see the wild bootstrap)")
    res = CSResult(outcome=outcome, control_group=control_group, base_period=base_period,
                   gt=gt, overall={}, event_study=pd.DataFrame(), by_cohort=pd.DataFrame(),
                   group_overall={}, pretrend_stat=None, pretrend_df=None, pretrend_p=None,
                   n_units=N, n_clusters=n_cl, cluster=cname, alpha=alpha, notes=notes,
                   _psi=psi, _cl=cl, _sizes=sizes)
    res.overall = res.aggregate(kind="simple")
    res.group_overall = res.aggregate(kind="group")
    es_rows = []
    for e in sorted(gt["event_time"].unique()):
        a = res.aggregate(kind="event", event_time=int(e))
        es_rows.append({"event_time": int(e), **{k: a[k] for k in ("att", "se", "ci_low",
                                                                   "ci_high", "p")},
                        "n_cells": a["n_cells"]})
    res.event_study = pd.DataFrame(es_rows)
    res.by_cohort = pd.DataFrame([
        {"cohort": g, "n_units": sizes[g], **{k: v for k, v in res.aggregate([g]).items()
                                               if k in ("att", "se", "ci_low", "ci_high", "p")}}
        for g in cohorts if ((gt["cohort"] == g) & (gt["event_time"] >= 0)).any()])
    # joint pre-trend test: the event-time aggregates −window..−1 (−2 with a universal base)
    # are zero (Wald, chi2); aggregates rather than single cells keep the dimension small
    last = -1 if base_period == "varying" else -2
    pre_e = [e for e in res.event_study["event_time"] if -pretrend_window <= e <= last]
    if pre_e:
        size = gt["cohort"].map(sizes).to_numpy(float)
        W = []
        for e in pre_e:
            m = (gt["event_time"] == e).to_numpy()
            W.append(np.where(m, size, 0.0) / size[m].sum())
        W = np.array(W)
        P = psi @ W.T
        S = P if cl is None else np.vstack([np.bincount(cl, weights=P[:, j])
                                            for j in range(P.shape[1])]).T
        V = S.T @ S * (1.0 if cl is None else n_cl / max(n_cl - 1, 1))
        b = W @ gt["att"].to_numpy()
        k = int(np.linalg.matrix_rank(V))
        res.pretrend_stat = float(b @ np.linalg.pinv(V) @ b)
        res.pretrend_df = k
        res.pretrend_p = float(stats.chi2.sf(res.pretrend_stat, k)) if k > 0 else None
    return res
