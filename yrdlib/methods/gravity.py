"""Gravity-model economic linkage between regions.

R_ij = M_i · M_j / d_ij^b with mass M = sqrt(P·G) (population × GDP), the form used in the
Chinese urban-linkage literature; d_ij is the great-circle (haversine) distance in km. The
exponent b (2 by default) and the mass function are parameters because both are conventions.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd

from yrdlib.methods._common import MethodError, require_columns

__all__ = ["gravity_linkage", "gravity_shares", "haversine_km", "pairwise_distances"]

EARTH_RADIUS_KM = 6371.0088


def haversine_km(lon1, lat1, lon2, lat2, radius: float = EARTH_RADIUS_KM):
    """Great-circle distance in km between points given in decimal degrees (vectorised)."""
    lon1, lat1, lon2, lat2 = (np.radians(np.asarray(v, dtype=float)) for v in (lon1, lat1, lon2, lat2))
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * radius * np.arcsin(np.sqrt(np.clip(a, 0, 1)))


def pairwise_distances(coords: pd.DataFrame, unit: str = "region_code", lon: str = "lon",
                       lat: str = "lat") -> pd.DataFrame:
    """All ordered pairs i≠j with their distance ``dist_km``."""
    require_columns(coords, [unit, lon, lat], "coordinates")
    c = coords[[unit, lon, lat]].drop_duplicates(unit)
    if c[[lon, lat]].isna().any().any():
        raise MethodError(f"missing coordinates for {c.loc[c[[lon, lat]].isna().any(axis=1), unit].tolist()}")
    m = c.merge(c, how="cross", suffixes=("_i", "_j"))
    m = m[m[f"{unit}_i"] != m[f"{unit}_j"]]
    m["dist_km"] = haversine_km(m[f"{lon}_i"], m[f"{lat}_i"], m[f"{lon}_j"], m[f"{lat}_j"])
    return m[[f"{unit}_i", f"{unit}_j", "dist_km"]].reset_index(drop=True)


def _sqrt_mass(p, g):
    return np.sqrt(p * g)


def gravity_linkage(
    df: pd.DataFrame, coords: pd.DataFrame, pop: str = "pop", gdp: str = "gdp", b: float = 2.0,
    mass: Callable = _sqrt_mass, focus=None, unit: str = "region_code", time: str = "year",
    lon: str = "lon", lat: str = "lat",
) -> pd.DataFrame:
    """Linkage per pair and year: R_ij = mass(P_i, G_i)·mass(P_j, G_j)/d_ij^b.

    ``df`` is wide (unit, time, pop, gdp); ``coords`` holds unit, lon, lat. With ``focus`` only
    pairs (focus, j) are returned. Returns unit_i, unit_j, time, dist_km, mass_i, mass_j, linkage.
    """
    require_columns(df, [unit, time, pop, gdp], "gravity data")
    dist = pairwise_distances(coords, unit, lon, lat)
    if (dist["dist_km"] <= 0).any():
        bad = dist.loc[dist["dist_km"] <= 0, [f"{unit}_i", f"{unit}_j"]].head(3).values.tolist()
        raise MethodError(f"zero distance between distinct units {bad}: check coordinates")
    if focus is not None:
        if focus not in set(dist[f"{unit}_i"]):
            raise MethodError(f"focus unit {focus!r} has no coordinates")
        dist = dist[dist[f"{unit}_i"] == focus]
    m = df[[unit, time, pop, gdp]].dropna().copy()
    if (m[[pop, gdp]] < 0).any().any():
        raise MethodError("population and GDP must be non-negative")
    m["_mass"] = mass(m[pop].to_numpy(float), m[gdp].to_numpy(float))
    mi = m[[unit, time, "_mass"]].rename(columns={unit: f"{unit}_i", "_mass": "mass_i"})
    mj = m[[unit, time, "_mass"]].rename(columns={unit: f"{unit}_j", "_mass": "mass_j"})
    out = dist.merge(mi, on=f"{unit}_i").merge(mj, on=[f"{unit}_j", time])
    if out.empty:
        raise MethodError("no pair has masses for both regions in the same year")
    out["linkage"] = out["mass_i"] * out["mass_j"] / out["dist_km"] ** b
    return out[[f"{unit}_i", f"{unit}_j", time, "dist_km", "mass_i", "mass_j", "linkage"]]


def gravity_shares(links: pd.DataFrame, focus, groups: Mapping, unit: str = "region_code",
                   time: str = "year", other: str | None = None) -> pd.DataFrame:
    """Focus region's total linkage by partner group per year, and each group's share.

    ``groups`` maps group name → list of partner units (e.g. {"north": [...], "south": [...]}).
    Partners outside every group are dropped, or pooled as ``other`` if given. Shares sum to 1
    per year over the groups reported."""
    require_columns(links, [f"{unit}_i", f"{unit}_j", time, "linkage"], "linkage table")
    lk = links[links[f"{unit}_i"] == focus]
    if lk.empty:
        raise MethodError(f"no linkage rows for focus {focus!r}")
    lookup = {}
    for g, members in groups.items():
        for u in members:
            if u in lookup:
                raise MethodError(f"unit {u!r} is in two groups ({lookup[u]}, {g})")
            lookup[u] = g
    grp = lk[f"{unit}_j"].map(lookup)
    if other is not None:
        grp = grp.fillna(other)
    lk = lk.assign(group=grp).dropna(subset=["group"])
    if lk.empty:
        raise MethodError("no partner of the focus belongs to any group")
    t = lk.groupby([time, "group"], as_index=False)["linkage"].sum()
    t["share"] = t["linkage"] / t.groupby(time)["linkage"].transform("sum")
    return t
