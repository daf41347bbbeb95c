"""Claim S4 (推动产业创新和培育再造, industry and innovation): one function per hypothesis of the
registry (`yrdlib/claims/registry/s4.yml`), each returning a :class:`~yrdlib.claims.result.Result`;
the figures of notebooks/s4_industry.ipynb are drawn by :mod:`yrdlib.figures.industry`.

* S4.a  :func:`s4a_distance_decay` (peripheral test): patents per 10k residents against the
  distance to the nearest innovation hub (groups.INNOVATION_HUBS), CCSY 2016 cross-section, OLS
  with HC3 errors; the indicator is called by its key and the data layer decides the denominator
  (read back from the indicator dictionary); alternative specifications form its robustness gate.
* S4.b  :func:`s4b_tertiary_did` THE causal test (core): joining and the tertiary share,
  `common.did_test(..., scale="level")` behind the robustness gate.
* S4.c  :func:`s4c_manufacturing_profile` a description: Yuhuan's census manufacturing share
  against Taizhou's other counties and districts (mid-rank percentile, 50 ± 10).
* S4.d  :func:`s4d_rd_patents` Yuhuan's R&D intensity / patents over time: tested when a user
  series exists (data/user/), else not testable, naming the data.
* S4.e, S4.f  :func:`s4e_spillover_growth`, :func:`s4f_named_industries` (core): not testable
  with the embedded data; the records name the data that would settle them. Because two of the
  three core tests are not testable, S4 cannot be "supported" (the claim rule).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from yrdlib import groups, regions
from yrdlib.claims import common, registry
from yrdlib.claims.opening import _did_text, midrank_percentile
from yrdlib.claims.result import Result, evidence_for
from yrdlib.data import indicators, panel
from yrdlib.methods import MethodError, distance_decay
from yrdlib.methods.trend import MIN_TEST_POINTS, TooFewPoints, theil_sen_exact, trend_test

YUHUAN, TAIZHOU = "331083", "331000"
DECAY_VARS = ["patents_per_10k_2016", "patents_2016"]
USER_KEYS = ("rd_intensity", "patents_granted", "invention_patents_granted")


def hubs() -> dict[str, tuple[float, float]]:
    """Innovation hubs (Shanghai, Hefei, Hangzhou, Nanjing, Suzhou) → centroid (lon, lat)."""
    ref = regions.reference()
    return {c: (float(ref.at[c, "lon"]), float(ref.at[c, "lat"])) for c in groups.INNOVATION_HUBS}


def decay_sample(yrd_only: bool = False) -> pd.DataFrame:
    """One row per city of the 2016 yearbook cross-section (reporting 2015) with patents per 10k
    (the data layer's denominator), lon/lat, and the controls on the same whole-city basis as
    that denominator: GDP per capita (元) and resident population (万人) of 2015 from the panel
    (``gdppc_2015``, ``pop_2015``; reported population, else the compiler's interpolation,
    flagged in ``pop_interpolated``). The cross-section's own GDP and population are those of the
    urban districts (市辖区: 台州 179 万 against 632 万 for the whole city) and are not used.
    Cities without all variables are dropped (listed by :func:`decay_missing`)."""
    w = panel.wide(DECAY_VARS).reset_index()
    w = w[w["year"] == 2016].drop(columns="year")
    c = panel.wide(["gdp_pc", "pop_resident", "pop_resident_filled"], years=(2015, 2015))
    c = c.reset_index().drop(columns="year").set_index("region_code")
    w = w.join(c, on="region_code")
    w["pop_interpolated"] = w["pop_resident"].isna() & w["pop_resident_filled"].notna()
    w["pop_2015"] = w["pop_resident"].fillna(w["pop_resident_filled"])
    w["gdppc_2015"] = w["gdp_pc"]
    ref = regions.reference()
    w = w.join(ref[["lon", "lat"]], on="region_code")
    w["ln_patents_per_10k"] = np.log(w["patents_per_10k_2016"].where(w["patents_per_10k_2016"] > 0))
    w["yrd41"] = w["region_code"].isin(regions.yrd41())
    if yrd_only:
        w = w[w["yrd41"]]
    return w.dropna(subset=["patents_per_10k_2016", "gdppc_2015", "pop_2015", "lon", "lat"])\
        .reset_index(drop=True)


def decay_missing(codes=None, sample: pd.DataFrame | None = None) -> list[str]:
    """Codes (default: the 41 YRD cities) without the 2016 patents figure."""
    codes = list(codes or regions.yrd41())
    have = set((decay_sample() if sample is None else sample)["region_code"])
    return [c for c in codes if c not in have]


def decay(focus: str | None = None, distance: str = "log", outcome: str = "patents_per_10k_2016",
          yrd_only: bool = False, exclude_hubs: bool = False, sample: pd.DataFrame | None = None):
    """distance_decay on the 2016 cross-section with log GDP per capita and log population
    (``sample``: a :func:`decay_sample` already read, to read it once)."""
    d = decay_sample() if sample is None else sample
    if yrd_only:
        d = d[d["yrd41"]]
    f = focus if focus is not None and focus in set(d["region_code"]) else None
    if exclude_hubs and f in groups.INNOVATION_HUBS:
        f = None
    return distance_decay(d, outcome, hubs(), controls=["gdppc_2015", "pop_2015"],
                          distance=distance, focus=f, exclude_hubs=exclude_hubs)


def decay_robustness(focus: str | None = None, sample: pd.DataFrame | None = None) -> pd.DataFrame:
    """The distance coefficient under the main and alternative specifications."""
    sample = decay_sample() if sample is None else sample
    specs = [
        ("main: level outcome, ln distance, all cities", {}),
        ("distance in 100 km", {"distance": "100km"}),
        ("ln(patents per 10k) outcome", {"outcome": "ln_patents_per_10k"}),
        ("hub cities excluded", {"exclude_hubs": True}),
        ("YRD-41 cities only", {"yrd_only": True}),
        ("YRD-41 only, ln outcome", {"yrd_only": True, "outcome": "ln_patents_per_10k"}),
    ]
    rows = []
    for lab, kw in specs:
        try:
            r = decay(focus, sample=sample, **kw)
        except MethodError as e:
            rows.append({"specification": lab, "note": str(e)})
            continue
        rows.append({"specification": lab, "slope": r.slope, "se_hc3": r.se, "ci_low": r.ci_low,
                     "ci_high": r.ci_high, "p": r.p_value, "n": r.n, "r2": r.r2, "note": ""})
    return pd.DataFrame(rows)


# S4.b uses the shared DiD suite: yrdlib.claims.common.did_data / did_suite / suite_table.


# ------------------------------------------------------------------------------------- S4.c

def county_census(year: int | None = None) -> pd.DataFrame:
    """Census indicators of Taizhou's counties and the prefecture (2010, 2020): manufacturing
    share of employment, migrants from other provinces, urbanisation, resident population."""
    keys = ["census_pop", "census_manufacturing_share", "census_migrant_share", "census_urban_share"]
    ref = regions.reference()
    codes = [c for c in ref.index if c.startswith("3310")]
    w = panel.wide(keys, codes).reset_index()
    w = w[w["year"].isin([2010, 2020] if year is None else [year])]
    w = w.dropna(subset=["census_manufacturing_share"], how="all")
    w["name"] = w["region_code"].map(ref["short_zh"]) + " " + w["region_code"].map(ref["name_en"])
    w["level"] = w["region_code"].map(ref["level"])
    return w.reset_index(drop=True)


def manufacturing_gap(year: int = 2020, county: str = YUHUAN) -> dict:
    """County's census manufacturing share minus the median of Taizhou's other counties and
    districts, and its rank among them (1 = highest)."""
    c = county_census(year)
    c = c[c["level"] == "county"] if "county" in set(c["level"]) else c[c["region_code"] != TAIZHOU]
    c = c[c["region_code"] != TAIZHOU].set_index("region_code")["census_manufacturing_share"].dropna()
    if county not in c.index:
        raise MethodError(f"no census manufacturing share for {county} in {year}")
    others = c.drop(county)
    rank = int((c > c[county]).sum() + 1)
    return {"year": year, "value": float(c[county]), "others_median": float(others.median()),
            "gap": float(c[county] - others.median()), "rank": rank, "n_units": len(c),
            "prefecture": float(county_census(year).set_index("region_code")
                                .get("census_manufacturing_share", pd.Series()).get(TAIZHOU, np.nan))}


def bulletin_profile(county: str = YUHUAN) -> pd.DataFrame:
    """Curated bulletin/news points for a county (and the prefecture for comparison), each with
    its quality, qualifier and source; economic figures only."""
    pts = panel.table("points")
    keep = {"gdp", "va_primary", "va_secondary", "va_tertiary", "gdp_per_capita_resident",
            "gdp_per_capita_hukou", "gdp_per_capita", "disposable_income_all",
            "urban_disposable_income", "rural_disposable_income", "fiscal_total_revenue",
            "general_budget_revenue", "gdp_growth", "gdp_real_growth", "pop_resident"}
    p = pts[pts["region_code"].isin([county, TAIZHOU])].copy()
    p["metric_key"] = p["metric"].str.lower()
    p = p[p["metric_key"].isin(keep)]
    p = p.drop_duplicates(subset=["region_code", "period", "metric_key", "value"])
    cols = ["region_code", "entity", "period", "metric_key", "value", "unit", "qualifier", "quality",
            "note", "source_url", "source"]
    return p[cols].sort_values(["region_code", "metric_key", "period"]).reset_index(drop=True)


def secondary_share_2019(county: str = YUHUAN) -> dict:
    """Secondary-sector share of GDP 2019: county from its bulletin, prefecture from the panel."""
    b = bulletin_profile(county)
    b = b[(b["region_code"] == county) & (b["period"].astype(str) == "2019")]
    v = b.drop_duplicates("metric_key").set_index("metric_key")["value"]
    if not {"va_secondary", "gdp"} <= set(v.index):
        raise MethodError("no 2019 bulletin value added for the county")
    s = panel.wide(["share_secondary"], [TAIZHOU], years=(2019, 2019))
    return {"county": float(v["va_secondary"] / v["gdp"] * 100),
            "prefecture": float(s["share_secondary"].iloc[0]) if len(s) else np.nan}


def user_coverage(keys=USER_KEYS) -> pd.DataFrame:
    """City-years present in the panel for the user-fillable keys (data/user/)."""
    p = panel.load_panel()
    rows = []
    for k in keys:
        d = p[p["indicator"] == k]
        rows.append({"indicator": k, "cities": d["region_code"].nunique(), "city_years": len(d),
                     "years": f"{d['year'].min()}-{d['year'].max()}" if len(d) else ""})
    return pd.DataFrame(rows)


# ============================================================== one function per hypothesis
BAND = 10.0  # percentile points around the median (50): "within the median band"
DECAY_OUTCOME = "patents_per_10k_2016"


def denominator(key: str = DECAY_OUTCOME) -> str:
    """What the indicator divides by, read from the indicator dictionary (its ``denominator``
    field where the dictionary states one, else its definition)."""
    ind = indicators.get(key)
    return getattr(ind, "denominator", "") or ind.definition


def s4a_distance_decay(focus: str | None = None, distance: str = "log") -> Result:
    """S4.a (peripheral test, expected '-'): the distance coefficient of patents per 10k
    residents on the distance to the nearest hub, with ln GDP per capita and ln population as
    controls (OLS, HC3). The other rows of :func:`decay_robustness` (distance in 100 km, log
    outcome, hubs excluded, YRD-41 only) are its robustness gate. ``focus`` only adds the focus
    city's place against the curve (observed vs predicted with its 95% prediction interval)."""
    if distance not in ("log", "100km"):
        raise ValueError(f"distance must be 'log' or '100km', got {distance!r}")
    ds = decay_sample()
    dec = decay(focus, distance=distance, sample=ds)
    rob = decay_robustness(focus, sample=ds)
    rows = [{"name": row["specification"], "kind": "estimate", "estimate": row.get("slope"),
             "ci_low": row.get("ci_low"), "ci_high": row.get("ci_high"), "p_value": row.get("p"),
             "n_obs": row.get("n"), "note": row.get("note", "")}
            for row in rob.to_dict("records") if not str(row["specification"]).startswith("main")]
    if distance != "log":  # the main is then the 100 km form: the log form becomes a row
        rows = [r for r in rows if r["name"] != "distance in 100 km"]
        m = rob[rob["specification"].str.startswith("main")].iloc[0]
        rows.insert(0, {"name": "ln distance", "kind": "estimate", "estimate": m["slope"],
                        "ci_low": m["ci_low"], "ci_high": m["ci_high"], "p_value": m["p"]})
    unit = "per ln(km)" if distance == "log" else "per 100 km"
    den = denominator()
    miss = decay_missing(sample=ds)
    fo = dec.focus
    ev = evidence_for(
        "S4.a", estimate=dec.slope, ci_low=dec.ci_low, ci_high=dec.ci_high, p_value=dec.p_value,
        n=dec.n, unit=f"patents per 10k {unit}", sensitivity=rows,
        method=(f"OLS of {DECAY_OUTCOME} on distance ({distance}) to the nearest of "
                f"{len(groups.INNOVATION_HUBS)} hubs, controls ln GDP per capita and ln resident "
                f"population (whole city, 2015), HC3 SE; denominator of the outcome: {den}"),
        sample=f"{dec.n} prefecture-level cities of the CCSY 2016 cross-section (reporting 2015)",
        data_vintage=common.data_vintage("CCSY 2016 cross-section via "
                                         "xiaofanliang/intercity_connectivity (f4952e2f)"),
        notes=(f"YRD cities without the 2016 figure: {', '.join(miss) or 'none'}. "
               + (f"Focus {fo['observed']:.1f} vs predicted {fo['predicted']:.1f}, 95% PI "
                  f"[{fo['pi_low']:.1f}, {fo['pi_high']:.1f}]. " if fo else "")
               + "One year: a gradient, not a spillover growing over time (that is S4.e)."))
    unit_zh = "每 ln(公里)" if distance == "log" else "每 100 公里"
    zh = (f"2016 年鉴截面中，每万人专利数随到最近创新中心的距离变化 {dec.slope:+.2f}（{unit_zh}，"
          f"95% 置信区间 [{dec.ci_low:+.2f}, {dec.ci_high:+.2f}]，n = {dec.n}）；分母：{den}。"
          "这是外围检验：单一年份的梯度，不能说明溢出随时间增强。")
    en = (f"In the 2016 cross-section patents per 10k residents change by {dec.slope:+.2f} {unit} "
          f"of distance to the nearest hub (95% CI [{dec.ci_low:+.2f}, {dec.ci_high:+.2f}], n = "
          f"{dec.n}); denominator: {den}. Peripheral: one year's gradient cannot show spillovers "
          "growing.")
    return Result(ev, data={"decay": dec, "robustness": rob, "sample": ds,
                            "missing": miss, "denominator": den, "distance": distance},
                  text_zh=zh, text_en=en)


def s4b_tertiary_did(years: tuple[int, int] = (2000, 2023), leads: int = 5, lags: int = 5,
                     treatment: str = "association", timing: str = groups.DEFAULT_TIMING) -> Result:
    """S4.b (core causal test): :func:`yrdlib.claims.common.did_test` of joining on the tertiary
    share of value added (percentage points, levels). Caveat in the method: for a manufacturing
    city a higher tertiary share is not unambiguously upgrading."""

    r = common.did_test("S4.b", "share_tertiary", treatment=treatment, years=years,
                        scale="level", leads=leads, lags=lags, timing=timing,
                        method_note=("outcome: tertiary share of value added (产业结构高级化); a "
                                     "higher share can also mean manufacturing shrinking"))
    groups.retitle(r.evidence, treatment)  # the title names the treatment actually used
    r.text_zh, r.text_en = _did_text(r, indicators.get("share_tertiary"))
    return r


def s4c_manufacturing_profile(county: str = YUHUAN, year: int = 2020) -> Result:
    """S4.c (description): the county's census manufacturing share of employment as a mid-rank
    percentile among Taizhou's counties and districts (50 ± BAND: within the median band), with
    the gap to the others' median and the 2010 figure. About Yuhuan whatever the focus city, as the
    article is."""

    mg = manufacturing_gap(year, county)
    cc = county_census()
    cur = cc[(cc["year"] == year) & (cc["region_code"] != TAIZHOU)]
    vals = cur.set_index("region_code")["census_manufacturing_share"].dropna()
    pct = midrank_percentile(vals, county)
    try:
        prev = manufacturing_gap(2010, county)
    except MethodError:
        prev = None
    c = regions.resolve(county)
    ev = evidence_for(
        "S4.c", estimate=pct, null_value=50.0, band=BAND, kind="fact", n=mg["n_units"],
        unit="percentile (50 = median)",
        method=(f"census {year} long form: manufacturing share of employment, mid-rank percentile "
                f"among Taizhou's {mg['n_units']} counties and districts; median band 50 ± {BAND:g}"),
        sample=f"Taizhou's counties and districts, census {year} (2010 shown)",
        data_vintage=common.data_vintage("censuses 2010/2020 (county tables)"),
        notes=(f"{c.short_zh} {mg['value']:.1f}% vs others' median {mg['others_median']:.1f}% "
               f"(gap {mg['gap']:+.1f} pp, rank {mg['rank']}/{mg['n_units']}); Taizhou "
               f"{mg['prefecture']:.1f}%" + (f"; 2010 gap {prev['gap']:+.1f} pp, rank {prev['rank']}"
                                              if prev else "")
               + ". Describes the base the article wants upgraded; not a test."))
    zh = (f"{year}年人口普查：{c.short_zh}就业人口中制造业占 {mg['value']:.1f}%，在台州 {mg['n_units']} 个"
          f"县市区中排第 {mg['rank']}，其他县市区中位数 {mg['others_median']:.1f}%（{ev.label_zh}）。"
          "这是文章的出发点，是描述，不计入结论。")
    en = (f"Census {year}: {mg['value']:.1f}% of {c.name_en}'s employed work in manufacturing, rank "
          f"{mg['rank']} of Taizhou's {mg['n_units']} counties and districts, others' median "
          f"{mg['others_median']:.1f}% ({ev.label_en}). The article's starting point: a "
          "description that never counts in the verdict.")
    return Result(ev, data={"census": cc, "gap": mg, "gap_2010": prev, "percentile": pct,
                            "bulletin": bulletin_profile(county)}, text_zh=zh, text_en=en)


# the data that would settle each (Chinese twins in the registry)
MISSING_S4D = registry.hypothesis("S4.d").missing_data_en
MISSING_S4E = registry.hypothesis("S4.e").missing_data_en
MISSING_S4F = registry.hypothesis("S4.f").missing_data_en


def s4d_rd_patents(county: str = YUHUAN, min_years: int = 5) -> Result:
    """S4.d (peripheral test, expected '+'): the trend of the county's R&D intensity (else
    patents granted) over the years a user series covers; not testable until at least
    ``min_years`` years exist. The trend is a test only from trend.MIN_TEST_POINTS years
    (exact Theil–Sen/Kendall below 20, Newey–West from 20); a shorter series is shown with its
    slope and judged inconclusive, saying why. Every record carries the user's figures
    (badge 用户数据 · 未经核实) and is provisional."""
    cov = user_coverage()
    w = panel.wide([k for k in ("rd_intensity", "patents_granted")], [county])
    for key in ("rd_intensity", "patents_granted"):
        y = w[key].dropna() if key in w else pd.Series(dtype=float)
        if len(y) >= min_years:
            y.index = y.index.get_level_values("year")
            used = common.user_rows([county], [key])
            unit = f"{indicators.get(key).unit} a year"
            sample = f"{county}, {int(y.index.min())}–{int(y.index.max())}"
            vint = common.data_vintage("user data (data/user/)")
            try:
                t, how = trend_test(y)
            except TooFewPoints as e:
                ts = theil_sen_exact(y)
                ev = evidence_for("S4.d", estimate=ts.slope, n=ts.n, unit=unit, sample=sample,
                                  method=f"Theil–Sen slope of {key} (user data), shown only: {e}",
                                  notes=f"Too few points for a trend test: {e}. The slope is "
                                        "shown, without an interval; add the missing years.",
                                  data_vintage=vint, user_data=used)
                return Result(ev, data={"coverage": cov, "series": y},
                              text_zh=(f"用户数据：{key} 每年变化 {ts.slope:+.3g}，但只有 {ts.n} 个年份"
                                       f"（趋势检验至少需要 {MIN_TEST_POINTS} 个）：不确定。"),
                              text_en=(f"User data: {key} changes by {ts.slope:+.3g} a year, but on "
                                       f"{ts.n} years only (a trend test needs {MIN_TEST_POINTS}): "
                                       "inconclusive."))
            ev = evidence_for("S4.d", estimate=t.slope, ci_low=t.ci_low, ci_high=t.ci_high,
                              p_value=t.p_value, n=t.n, unit=unit,
                              method=f"{how}; {key} (user data)", sample=sample,
                              data_vintage=vint, user_data=used)
            return Result(ev, data={"coverage": cov, "series": y},
                          text_zh=f"用户数据：{key} 每年变化 {t.slope:+.3g}。",
                          text_en=f"User data: {key} changes by {t.slope:+.3g} a year.")
    ev = evidence_for("S4.d", missing_data=MISSING_S4D, data_vintage=common.data_vintage(),
                      notes="loaded now: " + ", ".join(f"{r.indicator} {r.city_years} city-years"
                                                       for r in cov.itertuples()))
    return Result(ev, data={"coverage": cov}, text_zh="无玉环逐年研发或专利数据，无法检验。",
                  text_en="No yearly R&D or patent series for Yuhuan: not testable.")


def s4e_spillover_growth() -> Result:
    """S4.e (core): spillovers from the G60 corridor and the science centres growing over time.
    Not testable with the embedded data (one patent cross-section); the record names the data."""
    cov = user_coverage()
    ev = evidence_for("S4.e", missing_data=MISSING_S4E, data_vintage=common.data_vintage(),
                      notes="loaded now: " + ", ".join(f"{r.indicator} {r.city_years} city-years"
                                                       for r in cov.itertuples()))
    return Result(ev, data={"coverage": cov},
                  text_zh="只有 2016 年一个专利截面，无法检验溢出是否随时间增强（核心检验）。",
                  text_en="One 2016 patent cross-section cannot show spillovers growing (a core test).")


def s4f_named_industries() -> Result:
    """S4.f (core): the named industries upgrade. Not testable: no sector data for Yuhuan."""
    ev = evidence_for("S4.f", missing_data=MISSING_S4F, data_vintage=common.data_vintage())
    return Result(ev, text_zh="没有玉环分行业逐年数据，无法检验（核心检验）。",
                  text_en="No yearly data by sector for Yuhuan: not testable (a core test).")
