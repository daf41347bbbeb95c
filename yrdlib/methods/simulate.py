"""Simulated data with known truth, shared by tests and benchmarks.

Every simulator takes a ``seed`` so that results are reproducible; the returned frames use the
same column names as the real data layer (``region_code``, ``year``)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd

from yrdlib.methods.gravity import haversine_km

__all__ = [
    "simulate_clustered_panel",
    "simulate_convergence_panel",
    "simulate_correlated_growth",
    "simulate_distance_decay",
    "simulate_factor_panel",
    "simulate_pareto_sizes",
    "simulate_staggered_panel",
]


def _codes(n: int) -> list[str]:
    return [f"{110000 + 100 * i:06d}" for i in range(n)]


def simulate_staggered_panel(
    n_units: int = 300,
    years: range | list[int] = range(1998, 2022),
    cohorts: Mapping[int, float] | None = None,
    effect: float | Callable[[np.ndarray, np.ndarray], np.ndarray] = 0.5,
    pretrend: float = 0.0,
    unit_sd: float = 1.0,
    year_sd: float = 0.3,
    noise_sd: float = 0.2,
    seed: int = 0,
    outcome: str = "y",
    cohort_col: str = "treat_year",
) -> pd.DataFrame:
    """Staggered-adoption city-year panel: y = a_i + l_t + effect(k, g)·1{k>=0} + pre + e.

    ``cohorts`` maps treatment year to the share of units in that cohort (the rest is never
    treated, ``treat_year`` NaN). ``effect`` is a constant or a function of (event time k, cohort
    g) arrays. ``pretrend`` adds ``pretrend * k`` for k < 0 in treated units (a linear pre-trend
    that violates parallel trends). The true unit-level effect is returned in ``true_effect``.
    """
    rng = np.random.default_rng(seed)
    years = np.asarray(list(years))
    if cohorts is None:
        cohorts = {2003: 0.05, 2010: 0.15, 2013: 0.2, 2018: 0.1, 2019: 0.15}
    shares = np.array(list(cohorts.values()), dtype=float)
    labels = np.array(list(cohorts.keys()), dtype=float)
    if shares.sum() > 1:
        raise ValueError("cohort shares sum to more than 1")
    counts = np.floor(shares * n_units).astype(int)
    g = np.full(n_units, np.nan)
    start = 0
    for lab, c in zip(labels, counts, strict=True):
        g[start : start + c] = lab
        start += c
    g = rng.permutation(g)
    a = rng.normal(0, unit_sd, n_units)
    lam = np.cumsum(rng.normal(0.05, year_sd, len(years)))
    uu, tt = np.meshgrid(np.arange(n_units), np.arange(len(years)), indexing="ij")
    uu, tt = uu.ravel(), tt.ravel()
    gi = g[uu]
    yr = years[tt]
    k = yr - gi  # NaN for never treated
    treated = np.nan_to_num(k, nan=-1e9) >= 0
    if callable(effect):
        eff = np.where(treated, effect(np.nan_to_num(k), np.nan_to_num(gi)), 0.0)
    else:
        eff = np.where(treated, float(effect), 0.0)
    pre = np.where((~np.isnan(k)) & (np.nan_to_num(k) < 0), pretrend * np.nan_to_num(k), 0.0)
    y = a[uu] + lam[tt] + eff + pre + rng.normal(0, noise_sd, len(uu))
    codes = np.array(_codes(n_units))
    return pd.DataFrame(
        {
            "region_code": codes[uu],
            "year": yr.astype(int),
            outcome: y,
            cohort_col: gi,
            "true_effect": eff,
        }
    )


def simulate_clustered_panel(
    n_provinces: int = 30,
    units_per_province: int = 10,
    years: range | list[int] = range(1998, 2022),
    treated_provinces: Mapping[int, Mapping[int, float]] | None = None,
    effect: float | Callable[[np.ndarray, np.ndarray], np.ndarray] = 0.5,
    pretrend: float = 0.0,
    unit_sd: float = 1.0,
    year_sd: float = 0.3,
    province_year_sd: float = 0.1,
    noise_sd: float = 0.1,
    seed: int = 0,
    outcome: str = "y",
    cohort_col: str = "treat_year",
) -> pd.DataFrame:
    """City-year panel where treatment comes in province blocks and shocks are shared within a
    province (so that city-clustered errors overstate precision, as in the real YRD design).

    y = a_i + l_t + u_pt + effect(k, g)·1{k>=0} + pretrend·k·1{k<0} + e, with a province-year
    shock u_pt ~ N(0, province_year_sd). ``treated_provinces`` maps a province index to
    {cohort year: share of its cities}; the default treats 4 provinces (like 沪苏浙皖) with cohorts
    2010/2013/2018/2019. Columns: region_code (first two digits = province), province, year,
    outcome, treat_year (NaN = never), true_effect."""
    rng = np.random.default_rng(seed)
    years = np.asarray(list(years))
    if treated_provinces is None:
        treated_provinces = {0: {2010: 1.0}, 1: {2010: 0.5, 2013: 0.5},
                             2: {2010: 0.3, 2013: 0.3, 2018: 0.4}, 3: {2019: 0.6, 2013: 0.2}}
    n = n_provinces * units_per_province
    prov = np.repeat(np.arange(n_provinces), units_per_province)
    g = np.full(n, np.nan)
    for p, cohorts in treated_provinces.items():
        idx = np.flatnonzero(prov == p)
        start = 0
        for year, share in cohorts.items():
            c = int(np.floor(share * len(idx) + 1e-9))
            g[idx[start:start + c]] = year
            start += c
    a = rng.normal(0, unit_sd, n)
    lam = np.cumsum(rng.normal(0.05, year_sd, len(years)))
    u = rng.normal(0, province_year_sd, (n_provinces, len(years)))
    uu, tt = np.meshgrid(np.arange(n), np.arange(len(years)), indexing="ij")
    uu, tt = uu.ravel(), tt.ravel()
    gi, yr = g[uu], years[tt]
    k = yr - gi
    treated = np.nan_to_num(k, nan=-1e9) >= 0
    if callable(effect):
        eff = np.where(treated, effect(np.nan_to_num(k), np.nan_to_num(gi)), 0.0)
    else:
        eff = np.where(treated, float(effect), 0.0)
    pre = np.where((~np.isnan(k)) & (np.nan_to_num(k) < 0), pretrend * np.nan_to_num(k), 0.0)
    y = a[uu] + lam[tt] + u[prov[uu], tt] + eff + pre + rng.normal(0, noise_sd, len(uu))
    codes = np.array([f"{11 + p:02d}{100 * (i % units_per_province + 1):04d}"
                      for i, p in enumerate(prov)])
    return pd.DataFrame({
        "region_code": codes[uu],
        "province": np.array([f"{11 + p:02d}0000" for p in prov])[uu],
        "year": yr.astype(int),
        outcome: y,
        cohort_col: gi,
        "true_effect": eff,
    })


def simulate_factor_panel(
    n_units: int = 40,
    years: range | list[int] = range(2000, 2021),
    treat_year: int = 2016,
    effect: float = 0.3,
    n_factors: int = 2,
    noise_sd: float = 0.05,
    seed: int = 0,
    outcome: str = "y",
) -> pd.DataFrame:
    """Interactive-fixed-effects panel for synthetic control (Abadie et al. 2010):
    y_it = δ_t + μ_i'f_t + effect·1{i = treated, t ≥ treat_year} + e_it.

    The treated unit (the first code) has loadings that are a convex combination of four donors,
    so a synthetic control exists; every other unit is never treated (``treat_year`` NaN)."""
    rng = np.random.default_rng(seed)
    years = np.asarray(list(years))
    T = len(years)
    f = np.cumsum(rng.normal(0, 0.3, (T, n_factors)), axis=0)
    delta = np.cumsum(rng.normal(0.05, 0.1, T))
    mu = rng.normal(0, 1, (n_units, n_factors))
    w = rng.dirichlet(np.ones(4))
    mu[0] = w @ mu[1:5]
    y = delta[None, :] + mu @ f.T + rng.normal(0, noise_sd, (n_units, T))
    eff = np.zeros((n_units, T))
    eff[0, years >= treat_year] = effect
    y = y + eff
    codes = np.array(_codes(n_units))
    g = np.full(n_units, np.nan)
    g[0] = treat_year
    return pd.DataFrame({
        "region_code": np.repeat(codes, T),
        "year": np.tile(years, n_units).astype(int),
        outcome: y.ravel(),
        "treat_year": np.repeat(g, T),
        "true_effect": eff.ravel(),
    })


def simulate_convergence_panel(
    n_units: int = 60,
    years: range | list[int] = range(2000, 2021),
    beta: float = 0.03,
    sd0: float = 0.6,
    noise_sd: float = 0.01,
    seed: int = 0,
) -> pd.DataFrame:
    """Log income following ln y_t = ln y_{t-1} + g + β·(ln y* − ln y_{t-1}) + e (β>0 converges).

    Returns a long panel with ``region_code``, ``year``, ``gdp_pc`` (level, not log)."""
    rng = np.random.default_rng(seed)
    years = list(years)
    ly = rng.normal(10.0, sd0, n_units)
    star = 10.0
    rows = []
    for i, t in enumerate(years):
        if i > 0:
            ly = ly + 0.06 + beta * (star - ly) + rng.normal(0, noise_sd, n_units)
            star += 0.06
        rows.append(pd.DataFrame({"region_code": _codes(n_units), "year": t, "gdp_pc": np.exp(ly)}))
    return pd.concat(rows, ignore_index=True)


def simulate_pareto_sizes(n: int = 200, zeta: float = 1.0, xmin: float = 50.0, seed: int = 0):
    """Pareto sizes with tail exponent ζ: P(S > s) = (s/xmin)^(−ζ) (Zipf's law is ζ = 1)."""
    rng = np.random.default_rng(seed)
    return xmin * (1 - rng.random(n)) ** (-1.0 / zeta)


def simulate_correlated_growth(
    n_years: int = 20, rho: float = 0.7, seed: int = 0, sd: float = 0.02, mean: float = 0.08
):
    """Two growth series with correlation ``rho`` (serially independent)."""
    rng = np.random.default_rng(seed)
    z = rng.multivariate_normal([0, 0], [[1, rho], [rho, 1]], size=n_years)
    return mean + sd * z[:, 0], mean + sd * z[:, 1]


def simulate_distance_decay(
    n: int = 250, slope: float = -2.0, seed: int = 0, noise_sd: float = 0.5
) -> pd.DataFrame:
    """Cross-section: y = 5 + slope·ln(dist) + 0.8·ln(gdp_pc) + 0.3·ln(pop) + e.

    Units get random lon/lat in eastern China; three hubs are returned via ``attrs['hubs']``."""
    rng = np.random.default_rng(seed)
    lon = rng.uniform(105, 122, n)
    lat = rng.uniform(22, 40, n)
    hubs = {"H1": (121.47, 31.23), "H2": (117.23, 31.82), "H3": (113.26, 23.13)}

    d = np.min(
        np.column_stack([haversine_km(lon, lat, hx, hy) for hx, hy in hubs.values()]), axis=1
    )
    d = np.maximum(d, 5.0)
    lgdp = rng.normal(11, 0.4, n)
    lpop = rng.normal(6, 0.5, n)
    y = 5 + slope * np.log(d) + 0.8 * lgdp + 0.3 * lpop + rng.normal(0, noise_sd, n)
    df = pd.DataFrame(
        {
            "region_code": _codes(n),
            "lon": lon,
            "lat": lat,
            "gdp_pc": np.exp(lgdp),
            "pop": np.exp(lpop),
            "y": y,
        }
    )
    df.attrs["hubs"] = hubs
    return df
