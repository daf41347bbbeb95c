"""Claim S3's building blocks (partner groups, masses, gravity linkages and shares, co-movement
windows, the bay area's scale), used by the hypothesis functions of :mod:`yrdlib.claims.bay_area`,
which re-exports them."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from yrdlib import groups, regions
from yrdlib.data import panel
from yrdlib.methods import (
    MethodError,
    comovement,
    gravity_linkage,
    gravity_shares,
    haversine_km,
    time_trend,
)

SHANGHAI = "310000"


WENZHOU, LISHUI = "330300", "331100"


MASSES = ("sqrt_pg", "gdp", "real")


MASS_LABELS = {
    "sqrt_pg": ("√(常住人口×名义GDP)", "sqrt(resident population × nominal GDP)"),
    "gdp": ("名义GDP", "nominal GDP only"),
    "real": ("√(常住人口×实际GDP, 2000年价)", "sqrt(resident population × real GDP, 2000 prices)"),
}


def bay_codes() -> list[str]:
    """Shanghai + the six Zhejiang cities of the 环杭州湾 grouping (7 cities)."""
    return sorted({SHANGHAI, *groups.grouping_codes("环杭州湾")})


def nearest_south(focus: str, exclude=()) -> str | None:
    """The nearest prefecture-level city whose centroid lies south of the focus city's."""
    ref = regions.reference()
    f = ref.loc[focus]
    cand = ref[ref["level"].isin(["prefecture", "municipality"]) & ref["valid_to"].isna()
               & (ref["lat"] < f["lat"]) & ~ref.index.isin([focus, *exclude])].dropna(subset=["lat"])
    if cand.empty:
        return None
    d = haversine_km(f["lon"], f["lat"], cand["lon"].to_numpy(), cand["lat"].to_numpy())
    return cand.index[int(np.argmin(d))]


def partner_groups(focus: str, south: list[str] | tuple[str, ...] = (WENZHOU,)) -> dict[str, list[str]]:
    """{'north': bay cities, 'south': southward partners}, the focus city removed from both.
    When the focus is itself the only southward partner (温州 as focus), the nearest city to its
    south stands in, and `.notes` says so."""
    south = [regions.resolve(s).code for s in south]
    north = [c for c in bay_codes() if c != focus and c not in south]
    south = [c for c in south if c != focus]
    notes = []
    if not south:
        sub = nearest_south(focus, exclude=north)
        if sub:
            south = [sub]
            r = regions.resolve(sub)
            notes.append(f"the focus city is the southward partner itself; the nearest city to its "
                         f"south, {r.label} ({sub}), stands in")
    if not north or not south:
        raise MethodError(f"focus {focus}: need at least one bay partner and one southward partner "
                          f"(north={north}, south={south})")
    out = {"north": north, "south": south}
    return PartnerGroups(out, notes)


class PartnerGroups(dict):
    """The partner groups, with notes on any substitution."""

    def __init__(self, groups_: dict, notes: list[str]):
        super().__init__(groups_)
        self.notes = notes


def coords(codes) -> pd.DataFrame:
    ref = regions.reference()
    return ref.loc[list(codes), ["lon", "lat"]].rename_axis("region_code").reset_index()


def mass_panel(codes, years: tuple[int, int], interpolated_pop: bool = False) -> pd.DataFrame:
    """region_code, year, pop (万人), gdp (亿元, nominal), gdp_real (亿元, 2000 prices) and
    pop_flag. Reported resident population by default; ``interpolated_pop=True`` uses the
    compiler's gap-filled column (flag 'interpolated' kept). Gaps stay NaN."""
    pk = "pop_resident_filled" if interpolated_pop else "pop_resident"
    w = panel.wide(["gdp", "gdp_real", pk], list(codes), years=years, flags=True).reset_index()
    return w.rename(columns={pk: "pop", f"{pk}_flag": "pop_flag"})[
        ["region_code", "year", "pop", "gdp", "gdp_real", "pop_flag"]]


def _mass_args(mass: str):
    if mass == "sqrt_pg":
        return {"pop": "pop", "gdp": "gdp"}
    if mass == "real":
        return {"pop": "pop", "gdp": "gdp_real"}
    if mass == "gdp":
        return {"pop": "pop", "gdp": "gdp", "mass": lambda p, g: g}
    raise ValueError(f"mass must be one of {MASSES}, not {mass!r}")


def linkages(focus: str, groups_: dict[str, list[str]], years: tuple[int, int], b: float = 2.0,
             mass: str = "sqrt_pg", interpolated_pop: bool = False,
             masses: pd.DataFrame | None = None) -> pd.DataFrame:
    """Focus-partner gravity linkage per year (rows only where both masses exist that year);
    column ``group`` says north/south. For mass 'gdp' population is not needed. ``masses``: a
    ready :func:`mass_panel` (tests scale one city's GDP in it); default: read the panel."""
    codes = [focus, *[c for g in groups_.values() for c in g]]
    m = mass_panel(codes, years, interpolated_pop) if masses is None else masses
    m = m[m["region_code"].isin(codes)]
    args = _mass_args(mass)
    if mass == "gdp":
        m = m.assign(pop=m["pop"].fillna(1.0))  # population unused by the GDP-only mass
    links = gravity_linkage(m, coords(codes), b=b, focus=focus, **args)
    lookup = {c: g for g, cs in groups_.items() for c in cs}
    links["group"] = links["region_code_j"].map(lookup)
    return links.dropna(subset=["group"])


def complete_years(links: pd.DataFrame, groups_: dict[str, list[str]]) -> list[int]:
    """Years in which the focus has a linkage with every partner (no partner silently missing)."""
    need = sum(len(v) for v in groups_.values())
    n = links.groupby("year")["region_code_j"].nunique()
    return sorted(int(y) for y in n.index[n == need])


def shares(links: pd.DataFrame, focus: str, groups_: dict[str, list[str]]) -> pd.DataFrame:
    """Year × group linkage totals and shares, complete years only (wide: north, south,
    north_share)."""
    yrs = complete_years(links, groups_)
    if len(yrs) < 3:
        raise MethodError(f"only {len(yrs)} years with masses for the focus and all partners")
    s = gravity_shares(links[links["year"].isin(yrs)], focus, groups_)
    w = s.pivot(index="year", columns="group", values="linkage")
    w["north_share"] = w["north"] / (w["north"] + w["south"]) * 100
    w.columns.name = None
    return w


def growth_gap(sh: pd.DataFrame) -> dict:
    """Mean annual log growth of northward minus southward linkage (consecutive years only),
    with a t interval; equivalent to the trend of ln(north/south)."""
    d = np.log(sh["north"] / sh["south"])
    yrs = d.index.to_numpy()
    g = d.diff()[np.r_[False, np.diff(yrs) == 1]].dropna() * 100
    n = len(g)
    if n < 3:
        raise MethodError("fewer than 3 consecutive-year growth differences")
    m, se = float(g.mean()), float(g.std(ddof=1) / np.sqrt(n))
    t = stats.t.ppf(0.975, n - 1)
    return {"estimate": m, "ci_low": m - t * se, "ci_high": m + t * se, "n": n,
            "p_value": float(2 * stats.t.sf(abs(m / se), n - 1)) if se > 0 else float("nan")}


def sensitivity(focus: str, groups_: dict[str, list[str]], years: tuple[int, int],
                exponents=(1.0, 1.5, 2.0, 2.5), masses=MASSES) -> pd.DataFrame:
    """North-share trend (pp/yr) under each distance exponent × mass measure, plus the
    interpolated-population variant of the default mass."""
    rows = []
    variants = [(b, m, False) for m in masses for b in exponents] + [(2.0, "sqrt_pg", True)]
    for b, m, interp in variants:
        try:
            sh = shares(linkages(focus, groups_, years, b, m, interp), focus, groups_)
            tr = time_trend(sh["north_share"])
        except MethodError as e:
            rows.append({"b": b, "mass": m, "population": "interpolated" if interp else "reported",
                         "note": str(e)})
            continue
        rows.append({"b": b, "mass": m, "population": "interpolated" if interp else "reported",
                     "years": f"{tr.years[0]}-{tr.years[1]}", "n": tr.n,
                     "share_first": tr.first, "share_last": tr.last, "slope_pp_per_year": tr.slope,
                     "ci_low": tr.ci_low, "ci_high": tr.ci_high, "p": tr.p_value, "note": ""})
    return pd.DataFrame(rows)


def county_cross_section(county: str = "331083", partners: list[str] | None = None,
                         south: list[str] | tuple[str, ...] = (WENZHOU,), b: float = 2.0) -> pd.DataFrame:
    """Census-year cross-section for a county (default 玉环): mass = sqrt(census 2020 resident
    population × bulletin GDP 2019), partners with panel GDP 2019 and reported resident
    population 2020 — mixed years, flagged. Returns partner rows with linkage and group, and the
    parent prefecture's linkage with the same partners and the same year convention."""
    cty = regions.resolve(county)
    parent = cty.parent_code
    groups_ = partner_groups(parent, south)
    partners = partners or [c for g in groups_.values() for c in g]
    pts = panel.table("points")
    g = pts[(pts["region_code"] == cty.code) & (pts["metric"].str.lower() == "gdp")
            & (pts["period"].astype(str) == "2019")]
    if g.empty:
        raise MethodError(f"no bulletin GDP 2019 for {cty.label}")
    gdp_c = float(g["value"].iloc[0])
    cp = panel.wide(["census_pop"], [cty.code, parent], years=(2020, 2020))
    if cp.empty or cp["census_pop"].isna().any():
        raise MethodError(f"no 2020 census population for {cty.label}")
    pop_c = float(cp.loc[(cty.code, 2020), "census_pop"]) / 1e4
    pop_p = float(cp.loc[(parent, 2020), "census_pop"]) / 1e4
    w = panel.wide(["gdp", "pop_resident"], [parent, *partners]).reset_index()
    gd = w[w["year"] == 2019].set_index("region_code")["gdp"]
    pp = w[w["year"] == 2020].set_index("region_code")["pop_resident"]
    ref = regions.reference()
    rows = []
    for origin, (P, G) in {cty.code: (pop_c, gdp_c), parent: (pop_p, float(gd[parent]))}.items():
        for j in partners:
            d = float(haversine_km(ref.at[origin, "lon"], ref.at[origin, "lat"],
                                   ref.at[j, "lon"], ref.at[j, "lat"]))
            mj = np.sqrt(pp.get(j, np.nan) * gd.get(j, np.nan))
            grp = "north" if j in groups_["north"] else "south"
            rows.append({"origin": origin, "partner": j, "group": grp,
                         "dist_km": d, "linkage": np.sqrt(P * G) * mj / d ** b})
    out = pd.DataFrame(rows)
    out["flag"] = "census 2020 population × GDP 2019 (mixed years); county GDP from bulletin"
    out["flag_zh"] = "2020 年普查人口 × 2019 年 GDP（年份不一致）；县 GDP 取自统计公报"
    return out


def cross_section_shares(cs: pd.DataFrame) -> pd.Series:
    """Northward share (%) of each origin's linkage in the cross-section."""
    t = cs.pivot_table(index="origin", columns="group", values="linkage", aggfunc="sum")
    return (t["north"] / t.sum(axis=1) * 100).rename("north_share")


def growth_panel(codes, years: tuple[int, int]) -> pd.DataFrame:
    return panel.wide(["gdp_real_growth"], list(codes), years=years).reset_index()


def comove(focus: str, break_year: int, years: tuple[int, int], window: int | None = None,
           mode: str = "mean", drop_years=(), min_years: int = 5, n_boot: int = 1999,
           group: list[str] | None = None):
    """Co-movement of real GDP growth (%, as published) of the focus with a group's mean growth
    (default: the bay cities, focus removed) before/after ``break_year``. Raises MethodError
    when a window has fewer than ``min_years`` years."""
    group = [c for c in (group or bay_codes()) if c != focus]
    df = growth_panel([focus, *group], years)
    df = df[~df["year"].isin(list(drop_years))]
    return comovement(df, "gdp_real_growth", focus, group, break_year, window=window, mode=mode,
                      growth=False, min_years=min_years, n_boot=n_boot)


def benchmark_group(focus: str) -> list[str]:
    """Prefectures outside the 41 YRD cities: a benchmark for the national business cycle."""
    yrd = set(regions.yrd41())
    have = set(panel.wide(["gdp_real_growth"]).dropna().index.get_level_values(0))
    return [c for c in groups.prefectures() if c not in yrd and c != focus and c in have]


def choose_break(focus: str, first_year: int, min_pre: int = 5) -> tuple[int | None, str, str]:
    """(break year, definition used, reason). The focus city's own association join year when
    the growth data give at least ``min_pre`` years before it; otherwise the 2010 Regional Plan
    (if the city is listed in it), else None."""
    own = break_year_for(focus, "association")
    if own is not None and own - first_year >= min_pre:
        return own, "association", f"own join year {own}"
    why = (f"own join year {own} leaves {max(own - first_year, 0)} pre-years (< {min_pre})"
           if own is not None else "never joined the association")
    p10 = break_year_for(focus, "plan2010")
    if p10 is not None:
        return p10, "plan2010", why + "; the 2010 Regional Plan (2010) is used instead"
    return None, "", why


def break_year_for(focus: str, definition: str = "association") -> int | None:
    ty = groups.treatment_years(definition).get(focus, np.nan)
    return None if pd.isna(ty) else int(ty)


def bay_scale(focus: str, years: tuple[int, int]) -> pd.DataFrame:
    """Per year: bay-area GDP and resident population totals (all 7 cities reporting that year
    only), YRD-41 GDP total, the bay share of YRD-41 GDP, the focus city's GDP and its GDP as a
    percentage of the bay total (the focus excluded from the bay total if it is a bay city)."""
    bay = bay_codes()
    codes = sorted(set(bay) | set(regions.yrd41()) | {focus})
    w = panel.wide(["gdp", "pop_resident"], codes, years=years).reset_index()
    by = w[w["region_code"].isin(bay)].groupby("year")
    out = pd.DataFrame({"bay_gdp": by["gdp"].sum(min_count=len(bay)),
                        "bay_gdp_n": by["gdp"].count(),
                        "bay_pop": by["pop_resident"].sum(min_count=len(bay)),
                        "bay_pop_n": by["pop_resident"].count()})
    out.loc[out["bay_gdp_n"] < len(bay), "bay_gdp"] = np.nan
    out.loc[out["bay_pop_n"] < len(bay), "bay_pop"] = np.nan
    y41 = w[w["region_code"].isin(regions.yrd41())].groupby("year")["gdp"]
    out["yrd41_gdp"] = y41.sum(min_count=41).where(y41.count() == 41)
    out["bay_share_of_yrd41"] = out["bay_gdp"] / out["yrd41_gdp"] * 100
    f = w[w["region_code"] == focus].set_index("year")
    out["focus_gdp"] = f["gdp"]
    out["focus_pop"] = f["pop_resident"]
    others = [c for c in bay if c != focus]
    ob = w[w["region_code"].isin(others)].groupby("year")["gdp"]
    out["bay_gdp_excl_focus"] = ob.sum(min_count=len(others)).where(ob.count() == len(others))
    out["focus_share_of_bay"] = out["focus_gdp"] / out["bay_gdp_excl_focus"] * 100
    return out
