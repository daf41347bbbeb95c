"""City-level effects from the pooled imputation (did2s) design, with placebo-in-space inference.

**Estimate.** The imputation estimator (Borusyak, Jaravel & Spiess 2024; Gardner 2022) fits city
and year effects on the untreated cells (never- and not-yet-treated) and predicts every treated
city-year's untreated outcome; the difference is that city-year's effect. A city's effect is the
mean over its treated years (the headline: the pooled did2s ATT is exactly the treated-year-
weighted mean of these, so the city table decomposes the pooled number) or, with ``window=K``,
over its first K treated years (comparable horizons across cohorts).

**Inference: placebo in space, by province block.** A city's estimate is τ_i + e_i, where e_i
is the mean post-date residual minus the city's own pre-date mean (its imputed effect) — one
draw of the imputation error of a city with that date. The same statistic is computed for
never-treated cities given a pseudo-date g taken from the treated cohorts' dates. Treatment came
in province blocks and shocks are shared within a province (the calibration's finding), so each
placebo treats a whole block at once: all never-treated cities of one province get date g, the
stage 1 is refitted without their post-g cells (as the real treated provinces' post cells are
left out), and each pseudo-treated city's statistic is one placebo draw. The year effects then
cannot absorb the block's own province-year shocks, which stay in the placebo errors as they stay
in the treated cities' errors. A treated city with date g is compared with the placebos of date g
(same horizon, same pre-period length). Under exchangeability of the city-level error between
the treated city and the placebo cities (city-level parallel trends), the interval
[τ̂ − e_(n+1−k), τ̂ − e_(k)] with k = ⌊(n+1)·α/2⌋ (order statistics of the n placebo errors) covers
τ_i with probability ≥ 1 − α (the conformal / Conley–Taber argument); the p-value is
(1 + #{|e_j| ≥ |τ̂|}) / (1 + n). Placebo cities share province shocks, so the effective number of
placebo draws is nearer the number of provinces than of cities: ``n_placebo_provinces`` says it.

**Studentized variant** (``*_stud``, shown beside): placebo errors divided by each city's SD of
the imputed residual over its pre-period, the treated city's interval scaled by its own — right-
sized when treated and control cities differ in volatility (they do on the real panel), but noisy
with a short pre-period, hence not the headline.

Why not demean by province-year: in 沪苏浙皖 nearly every city is treated, so province-year
effects would absorb the treatment and turn each estimate into "relative to the own province".
Why not the own province's placebo distribution: the treated provinces have few or no
never-treated cities.

**Heterogeneity.** :func:`heterogeneity_test`: weighted (1 / placebo variance of the city's
date) regressions of the city effects on cohort dummies, province dummies, log initial size and
all together; the F statistic of each is referred to its distribution over province-block
placebo assignments (each treated province's cohort pattern is given to a control province, as
the calibration does), so province-level shocks that make effects look different by province
are part of the null. The statistic is invariant to a common effect, so the placebo draws (no
effect) give the null of a homogeneous effect.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from yrdlib.frames import AttrFrame
from yrdlib.methods._common import MethodError, require_columns
from yrdlib.methods.inference import _twfe_solve

__all__ = ["city_effects", "heterogeneity_test"]

COLUMNS = ["region_code", "province", "cohort", "n_treated_years", "estimate", "ci_low",
           "ci_high", "p", "se_placebo", "n_placebo", "n_placebo_provinces", "pre_sd",
           "ci_low_stud", "ci_high_stud", "p_stud"]


def _pre_sd(ui, r, pre, nu):
    """Each unit's SD of the imputed residual over its pre-period cells (its unit effect is
    their mean, hence n − 1 degrees of freedom); NaN with fewer than two cells or SD 0."""
    n = np.bincount(ui[pre], minlength=nu)
    ss = np.bincount(ui[pre], weights=r[pre] ** 2, minlength=nu)
    with np.errstate(invalid="ignore", divide="ignore"):
        sd = np.sqrt(ss / (n - 1))
    sd[(n < 2) | ~(sd > 0)] = np.nan
    return sd


def _interval(e: float, errs: np.ndarray, alpha: float) -> tuple[float, float, float]:
    """[e − err_(n+1−k), e − err_(k)], k = ⌊(n+1)α/2⌋ (unbounded if k < 1), and the placebo
    p-value (1 + #{|err| ≥ |e|}) / (1 + n)."""
    errs = np.sort(errs[np.isfinite(errs)])
    n = len(errs)
    if not n or not np.isfinite(e):
        return np.nan, np.nan, np.nan
    k = int(np.floor((n + 1) * alpha / 2))
    lo, hi = (e - errs[n - k], e - errs[k - 1]) if k >= 1 else (-np.inf, np.inf)
    return float(lo), float(hi), float((1 + np.sum(np.abs(errs) >= abs(e))) / (1 + n))


def _stage1(ui, ti, y, untreated, nu, nt):
    """Unit and year effects fitted on the untreated cells (None if not identified)."""
    a, lam = _twfe_solve(ui[untreated], ti[untreated], y[untreated], nu, nt)
    return a, lam


def city_effects(df: pd.DataFrame, outcome: str = "y", cohort: str = "treat_year",
                 unit: str = "region_code", time: str = "year", province: str = "province",
                 window: int | None = None, alpha: float = 0.05,
                 min_untreated: int = 2) -> pd.DataFrame:
    """City-level imputation effects of every treated city with placebo-in-space intervals.

    ``df``: one row per unit and year with the outcome, the first treated year (NaN: never) and a
    unit-constant ``province`` (block of the placebo). ``window``: average over the first
    ``window`` treated years only (None: every treated year). Returns one row per treated city
    (:data:`COLUMNS`); ``attrs``: ``att`` (treated-year-weighted mean = the pooled imputation
    ATT when ``window`` is None), ``placebo`` (every placebo draw: region_code, province, date,
    estimate), ``alpha``, ``window``, ``notes``."""
    require_columns(df, [unit, time, outcome, cohort, province], "city-effects panel")
    if window is not None and window < 1:
        raise ValueError(f"window must be >= 1 or None, got {window!r}")
    notes: list[str] = []
    d = df[[unit, time, outcome, cohort, province]].copy()
    d = d[np.isfinite(pd.to_numeric(d[outcome], errors="coerce"))]
    if d.duplicated([unit, time]).any():
        raise MethodError(f"duplicate ({unit}, {time}) rows")
    if d.groupby(unit)[province].nunique().max() > 1:
        raise MethodError(f"{province!r} varies within a unit; it must be constant")
    d[time] = d[time].astype(int)
    g = pd.to_numeric(d[cohort], errors="coerce").fillna(0.0)
    if g.groupby(d[unit]).nunique().max() > 1:
        raise MethodError(f"{cohort!r} varies within a unit; it must be constant")
    tmin, tmax = d[time].min(), d[time].max()
    g[g > tmax] = 0.0  # treated after the sample: untreated throughout
    d["_g"] = g.to_numpy()
    always = d.loc[(d["_g"] > 0) & (d["_g"] <= tmin), unit].unique()
    if len(always):
        notes.append(f"{len(always)} always-treated units dropped (treated by {tmin})")
        d = d[~d[unit].isin(always)]
    untr = (d["_g"] == 0) | (d[time] < d["_g"])
    thin = untr.groupby(d[unit]).sum()
    thin = thin[thin < min_untreated].index
    if len(thin):
        notes.append(f"{len(thin)} units with fewer than {min_untreated} untreated observations "
                     "dropped (no unit effect can be imputed)")
        d = d[~d[unit].isin(thin)]
    d = d.reset_index(drop=True)
    if not (d["_g"] > 0).any():
        raise MethodError("no treated units with a pre-treatment period")
    ui, units = pd.factorize(d[unit], sort=True)
    ti, years = pd.factorize(d[time], sort=True)
    nu, nt = len(units), len(years)
    y = d[outcome].astype(float).to_numpy()
    yr = d[time].to_numpy()
    gu = d.groupby(ui)["_g"].first().to_numpy()
    prov_u = d.groupby(ui)[province].first().astype(str).to_numpy()
    gi = gu[ui]
    treated = (gi > 0) & (yr >= gi)

    def horizon(mask, date):
        """Cells of ``mask`` inside the window after ``date`` (array per cell)."""
        return mask if window is None else mask & (yr - date < window)

    a, lam = _stage1(ui, ti, y, ~treated, nu, nt)
    if a is None:
        raise MethodError("unit and year effects are not identified from the untreated cells "
                          "(a year without untreated observations?)")
    r = y - a[ui] - lam[ti]
    m = horizon(treated, gi)
    s = np.bincount(ui[m], weights=r[m], minlength=nu)
    c = np.bincount(ui[m], minlength=nu)
    tr_units = np.flatnonzero((gu > 0) & (c > 0))
    est = s[tr_units] / c[tr_units]
    att = float(s[tr_units].sum() / c[tr_units].sum())
    sd_tr = _pre_sd(ui, r, ~treated, nu)

    # ---- placebo in space, by province block and date
    never = gu == 0
    dates = np.unique(gu[tr_units])
    rows = []
    for date in dates:
        pre_cells = np.bincount(ui, weights=(yr < date).astype(float), minlength=nu)
        for p in np.unique(prov_u[never]):
            blk = never & (prov_u == p) & (pre_cells >= min_untreated)
            if not blk.any():
                continue
            pseudo = blk[ui] & (yr >= date)
            if not pseudo.any():
                continue
            ap, lp = _stage1(ui, ti, y, ~treated & ~pseudo, nu, nt)
            if ap is None:
                continue
            rp = y - ap[ui] - lp[ti]
            mp = horizon(pseudo, date)
            sp = np.bincount(ui[mp], weights=rp[mp], minlength=nu)
            cp = np.bincount(ui[mp], minlength=nu)
            sdp = _pre_sd(ui, rp, blk[ui] & (yr < date), nu)
            for u in np.flatnonzero(blk & (cp > 0)):
                rows.append((units[u], p, float(date), sp[u] / cp[u], sdp[u]))
    placebo = pd.DataFrame(rows, columns=["region_code", "province", "date", "estimate",
                                          "pre_sd"])
    out = []
    for u, e in zip(tr_units, est, strict=True):
        pl = placebo.loc[placebo["date"] == gu[u]]
        errs = pl["estimate"].to_numpy()
        n = len(errs)
        lo, hi, p = _interval(e, errs, alpha)
        su = sd_tr[u]
        zl, zh, ps = _interval(e / su, errs / pl["pre_sd"].to_numpy(), alpha)
        out.append({"region_code": units[u], "province": prov_u[u], "cohort": int(gu[u]),
                    "n_treated_years": int(c[u]), "estimate": float(e), "ci_low": lo,
                    "ci_high": hi, "p": p,
                    "se_placebo": float(np.std(errs, ddof=1)) if n > 1 else np.nan,
                    "n_placebo": n, "n_placebo_provinces": int(pl["province"].nunique()),
                    "pre_sd": float(su), "ci_low_stud": zl * su, "ci_high_stud": zh * su,
                    "p_stud": ps})
    res = pd.DataFrame(out, columns=COLUMNS)
    if (res["n_placebo"] < 2 / alpha - 1).any():
        notes.append(f"some dates have fewer than {int(np.ceil(2 / alpha - 1))} placebo cities: "
                     "their interval is unbounded")
    res.attrs.update(att=att, placebo=AttrFrame(placebo), alpha=alpha, window=window, notes=notes)
    return res


# ------------------------------------------------------------------ heterogeneity


def _wls_f(y, w, X1):
    """F statistic of the columns of ``X1`` in a WLS of ``y`` on [1, X1] (weights ``w``), and the
    weighted explained sum of squares (a χ² with known variances). NaN if not estimable."""
    n = len(y)
    sw = np.sqrt(w)
    X = np.column_stack([np.ones(n), X1])
    Xw, yw = X * sw[:, None], y * sw
    q = np.linalg.matrix_rank(Xw) - 1
    if q < 1 or n - q - 1 < 1:
        return np.nan, np.nan, 0
    b = np.linalg.lstsq(Xw, yw, rcond=None)[0]
    rss1 = float(np.sum((yw - Xw @ b) ** 2))
    m0 = np.sum(w * y) / np.sum(w)
    rss0 = float(np.sum(w * (y - m0) ** 2))
    if rss1 <= 0:
        return np.nan, np.nan, q
    return (rss0 - rss1) / q / (rss1 / (n - q - 1)), rss0 - rss1, q


def _dummies(codes: np.ndarray) -> np.ndarray:
    """One-hot columns of ``codes`` with the first level dropped."""
    inv = np.unique(codes, return_inverse=True)[1]
    return np.eye(inv.max() + 1)[inv][:, 1:]


def _design(cohort: np.ndarray, prov: np.ndarray, size: np.ndarray, factor: str) -> np.ndarray:
    """Regressors of one factor: cohort / province dummies, log size, or all of them."""
    parts = []
    if factor in ("cohort", "all"):
        parts.append(_dummies(cohort))
    if factor in ("province", "all"):
        parts.append(_dummies(prov))
    if factor in ("size", "all"):
        parts.append(size[:, None])
    return np.column_stack(parts)


FACTORS = ("cohort", "province", "size", "all")


def heterogeneity_test(effects: pd.DataFrame, size: pd.Series | None = None,
                       n_draws: int = 999, seed: int = 0, min_cities: int = 4) -> pd.DataFrame:
    """Do city effects differ by cohort, province or size? One row per factor (``FACTORS``):
    F statistic of a weighted regression (weights 1 / placebo variance of the city's date) of the
    city effects on that factor, ``p`` referred to ``n_draws`` province-block placebo assignments
    (each treated province's pattern of dates is given to a distinct never-treated province with
    at least ``min_cities`` placebo cities, stretched to its size; each city's statistic is its
    placebo draw at the assigned date), and ``p_independent`` (χ² of the weighted explained sum
    of squares, valid only if city errors were independent — shown, not the headline).
    ``effects``: :func:`city_effects` output (its ``attrs['placebo']`` is used). ``size``:
    unit → log initial size (cities without it are left out of the size and joint tests)."""
    from scipy import stats

    pl = effects.attrs.get("placebo")
    if pl is None or pl.empty:
        raise MethodError("city effects carry no placebo draws")
    var = pl.groupby("date")["estimate"].var(ddof=1)
    t = effects.copy()
    lookup = {(r.region_code, r.date): r.estimate for r in pl.itertuples()}
    by_prov = {p: sorted(s.unique()) for p, s in pl.groupby("province")["region_code"]}
    eligible = [p for p, cs in by_prov.items() if len(cs) >= min_cities]
    patterns = [np.sort(s.to_numpy(float)) for _, s in t.groupby("province")["cohort"]]
    if len(eligible) < len(patterns):
        raise MethodError(f"only {len(eligible)} placebo provinces with ≥ {min_cities} cities "
                          f"for {len(patterns)} treated provinces")
    factors = [f for f in FACTORS if size is not None or f not in ("size", "all")]
    sz = {} if size is None else {k: float(v) for k, v in size.dropna().items()}
    wd = {float(k): 1.0 / v for k, v in var.items()}

    def stats_of(codes, provs, cohorts, est):
        """F, χ², df and n of every factor for one table of city effects."""
        cohorts = np.asarray(cohorts, float)
        w = np.array([wd.get(c, np.nan) for c in cohorts])
        x = np.array([sz.get(c, np.nan) for c in codes], float)
        res = {}
        for f in factors:
            keep = np.isfinite(x) if f in ("size", "all") else np.ones(len(est), bool)
            if keep.sum() < 3:
                res[f] = (np.nan, np.nan, 0, int(keep.sum()))
                continue
            X = _design(cohorts[keep], np.asarray(provs)[keep], x[keep], f)
            res[f] = (*_wls_f(np.asarray(est, float)[keep], w[keep], X), int(keep.sum()))
        return res

    actual = stats_of(t["region_code"].to_numpy(), t["province"].astype(str).to_numpy(),
                      t["cohort"].to_numpy(), t["estimate"].to_numpy())
    rng = np.random.default_rng(seed)
    null = {f: [] for f in factors}
    for _ in range(n_draws):
        recv = rng.choice(eligible, size=len(patterns), replace=False)
        codes, provs, cohorts, est = [], [], [], []
        for p, pat in zip(recv, patterns, strict=True):
            cities = np.asarray(by_prov[p])
            pick = np.floor(np.arange(len(cities)) * len(pat) / len(cities)).astype(int)
            for cty, dt in zip(rng.permutation(cities), pat[pick], strict=True):
                e = lookup.get((cty, dt))
                if e is not None:
                    codes.append(cty)
                    provs.append(p)
                    cohorts.append(dt)
                    est.append(e)
        for f, v in stats_of(codes, provs, cohorts, est).items():
            null[f].append(v[0])
    out = []
    for f in factors:
        F, chi, q, n = actual[f]
        nl = np.asarray(null[f], float)
        nl = nl[np.isfinite(nl)]
        p = (1 + np.sum(nl >= F)) / (1 + nl.size) if np.isfinite(F) and nl.size else np.nan
        out.append({"factor": f, "F": F, "df": q, "n_cities": n, "p": float(p),
                    "p_independent": float(stats.chi2.sf(chi, q)) if q else np.nan,
                    "n_draws": int(nl.size)})
    return pd.DataFrame(out)
