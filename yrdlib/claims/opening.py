"""Claim S1 (提高对外开放层次, opening-up): one function per hypothesis of the registry
(`yrdlib/claims/registry/s1.yml`), each returning a :class:`~yrdlib.claims.result.Result`; the
figures of notebooks/s1_opening.ipynb are drawn by :mod:`yrdlib.figures.opening`.

* S1.a  :func:`s1a_port` port fact check (peripheral test): is Ningbo-Zhoushan the largest port by
  cargo throughput? Curated points (`panel.table("points")`) with qualifiers and quality grades.
* S1.b  :func:`s1b_fdi_did` THE causal test (core): joining the YRD coordination association and
  openness (FDI/GDP or FDI per capita), `common.did_test` under the verdict rule for pooled causal tests.
* S1.c  :func:`s1c_position` a description: where the focus city's FDI/GDP stands among a
  comparison group (mid-rank percentile, 50 ± 10 = within the median band), its rank among the 41
  and the trend of its log gap to the group median. Never a verdict.
* S1.d  :func:`s1d_trade` trade: not testable unless a user extract of exports/imports by city
  and year exists (then the same gated DiD runs on it).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from yrdlib import groups, regions, vocab
from yrdlib.claims import cluster_scope, common, registry
from yrdlib.claims.result import Result, evidence_for, not_applicable
from yrdlib.data import indicators, panel
from yrdlib.methods import MethodError, time_trend

OPENNESS = ("fdi_gdp", "fdi_pc")
TRADE = ("exports_usd", "imports_usd")
NZ_PORT = "宁波舟山港"
PORT_CITIES = {"宁波舟山港": "330200"}


# ----------------------------------------------------------------------------- S1.a port

def port_cargo_points() -> pd.DataFrame:
    """Annual cargo-throughput points (万吨) of all ports in the curated table, with qualifier
    (exact / lower_bound / forecast / target) and quality grade. Half-year and quarterly figures
    and plan targets are left out (not comparable with annual totals)."""
    p = panel.table("points")
    m = p["metric"].isin(["cargo_throughput", "port_cargo"]) & p["period"].astype(str).str.fullmatch(
        r"\d{4}")
    d = p.loc[m, ["entity", "region_code", "period", "value", "unit", "qualifier", "quality",
                  "note", "source_url"]].copy()
    d = d[d["unit"].astype(str).str.strip() == "万吨"]
    d = d[~d["qualifier"].isin(["target", "forecast"])]
    d["year"] = d["period"].astype(int)
    d["quality"] = d["quality"].fillna("not graded")
    d["value_yi_t"] = d["value"] / 1e4  # 亿吨
    return d.drop(columns="period").sort_values(["year", "value"], ascending=[True, False],
                                                ignore_index=True)


@dataclass
class PortCheck:
    table: pd.DataFrame  # all annual cargo points
    year: int | None  # comparison year (latest year with NZ and at least one other port)
    nz_value: float | None  # 万吨
    rival: str | None
    rival_value: float | None
    ratio: float | None  # NZ / largest other embedded port
    source_claims: pd.DataFrame = field(default_factory=pd.DataFrame)  # "world #1" statements
    caveats: list[str] = field(default_factory=list)


def port_fact_check(points: pd.DataFrame | None = None) -> PortCheck:
    """Ratio of Ningbo-Zhoushan's cargo throughput to the largest *other* port embedded for the
    same year (latest such year). A lower-bound NZ figure (">") only strengthens a ratio > 1; a
    lower-bound rival figure would weaken it and is flagged. The embedded rivals are Chinese
    ports only: the world ranking itself rests on the sources' statements (listed)."""
    d = port_cargo_points() if points is None else points
    nz = d[d["entity"] == NZ_PORT]
    others = d[d["entity"] != NZ_PORT]
    common = sorted(set(nz["year"]) & set(others["year"]))
    claims = d[d["note"].astype(str).str.contains("world #1|世界第一|全球第一|first", case=False,
                                                 regex=True)]
    caveats = [
        "only Chinese ports are embedded; world rivals by cargo tonnage (e.g. Tangshan, "
        "Singapore, Rotterdam) have no figure here",
        "cargo tonnage definitions differ across countries (metric vs freight tonnes)",
    ]
    if not common:
        return PortCheck(d, None, None, None, None, None, claims,
                         caveats + ["no year with both Ningbo-Zhoushan and another port's cargo"])
    y = common[-1]
    a = nz[nz["year"] == y].sort_values("value").iloc[-1]
    b = others[others["year"] == y].sort_values("value").iloc[-1]
    if b["qualifier"] == "lower_bound":
        caveats.append(f"the rival figure ({b['entity']} {y}) is a lower bound")
    if a["qualifier"] == "lower_bound":
        caveats.append(f"the Ningbo-Zhoushan figure for {y} is a lower bound (ratio understated)")
    return PortCheck(d, int(y), float(a["value"]), str(b["entity"]), float(b["value"]),
                     float(a["value"] / b["value"]), claims, caveats)


def coverage(d: pd.DataFrame, outcome: str) -> pd.DataFrame:
    """Per year: cities with a value, treated share, and flagged values (ECB-derived rate, low
    precision rate, etc.) of the outcome in a DiD sample."""
    fl = d[f"{outcome}_flag"].fillna("") if f"{outcome}_flag" in d else pd.Series("", index=d.index)
    t = d.assign(treated=(d["treat_year"].notna() & (d["year"] >= d["treat_year"])),
                 ecb=fl.str.contains("ecb_derived"), low=fl.str.contains("low"),
                 other=(fl != "") & ~fl.str.contains("ecb_derived|low"))
    return t.groupby("year").agg(cities=("region_code", "nunique"), treated=("treated", "sum"),
                                 ecb_derived=("ecb", "sum"), low_precision_rate=("low", "sum"),
                                 other_flags=("other", "sum"))


def trade_panel_status(min_cities: int = 30) -> dict:
    """Whether a user extract of exports/imports by city exists (data/user) and is big enough
    for a DiD; {'available': bool, 'counts': {key: n city-years}}."""
    p = panel.load_panel()
    counts = {k: int((p["indicator"] == k).sum()) for k in TRADE}
    cities = {k: int(p.loc[p["indicator"] == k, "region_code"].nunique()) for k in TRADE}
    return {"available": any(v >= min_cities for v in cities.values()), "counts": counts,
            "cities": cities}


# ----------------------------------------------------------------------------- S1.c position

def rank_path(values: pd.DataFrame, indicator: str, codes, focus: str) -> pd.DataFrame:
    """Per year: the focus city's value, rank among `codes` (1 = most open) and n with data. The
    rank is NaN in a year in which fewer than :data:`groups.MIN_COVERAGE` of `codes` report: a
    rank among fewer cities is not the same rank (in 2022 台州 was 25th of the 25 YRD cities with
    comparable FDI, not 25th of 41)."""
    codes = list(codes)
    w = values.reset_index()
    w = w[w["region_code"].isin(codes)].dropna(subset=[indicator])
    w["rank"] = w.groupby("year")[indicator].rank(ascending=False, method="min")
    n = w.groupby("year")["region_code"].nunique().rename("n")
    f = w[w["region_code"] == focus].set_index("year")[[indicator, "rank"]]
    out = f.join(n, how="right").sort_index()
    out.loc[~groups.covered(out["n"], size=len(set(codes))), "rank"] = np.nan
    return out


def gap_trend(values: pd.DataFrame, indicator: str, codes, focus: str, start: int,
              end: int) -> dict:
    """Slope per year of the focus city's log gap to the group median, ln(x_f) − ln(median),
    over [start, end] (methods.time_trend: OLS with Newey–West SEs). Positive = catching up or
    pulling ahead. Returns estimate, CI, p, n and the year table. A focus city whose territory
    changed inside the window is followed from its first year on the new territory."""
    moved = [y for c, y in regions.boundary_breaks() if c == focus and start < y <= end]
    start = max([start, *moved])
    w = values.reset_index()
    w = w[w["year"].between(start, end) & w["region_code"].isin(list(codes))]
    w = w[w[indicator] > 0]
    med = w.groupby("year")[indicator].median()
    f = w[w["region_code"] == focus].set_index("year")[indicator]
    g = (np.log(f) - np.log(med.reindex(f.index))).dropna()
    tab = pd.DataFrame({"focus": f, "group_median": med.reindex(f.index), "log_gap": g})
    t = time_trend(g, min_n=5)
    return {"estimate": t.slope, "ci_low": t.ci_low, "ci_high": t.ci_high, "p_value": t.p_value,
            "n": t.n, "table": tab, "years": t.years}


def position_start(focus_code: str, treatment: str, start: int) -> tuple[int, str]:
    """First year of the S1.c window: the join year if inside the sample, else `start`."""
    ty = groups.treatment_years(treatment).get(focus_code, np.nan)
    if isinstance(ty, float) and math.isnan(ty):
        return start, "never treated under this definition: whole sample period"
    ty = int(ty)
    if ty <= start:
        return start, f"treated in {ty}, before the sample starts: whole sample period"
    return ty, f"from the treatment year {ty}"


def midrank_percentile(values: pd.Series, focus: str) -> float:
    """Mid-rank percentile of ``focus`` among ``values`` (NaN dropped): 100·(rank − ½)/n with
    average ranks for ties, so a city alone at the median sits at 50."""
    v = values.dropna()
    if focus not in v.index or len(v) == 0:
        return float("nan")
    return float(100 * (v.rank(method="average")[focus] - 0.5) / len(v))


# ============================================================== one function per hypothesis
BAND = 10.0  # percentile points around the median (50) that count as "within the median band"
MISSING_TRADE = registry.hypothesis("S1.d").missing_data_en  # zh twin in the registry


def s1a_port(points: pd.DataFrame | None = None) -> Result:
    """S1.a (peripheral fact check): Ningbo-Zhoushan's annual cargo / the largest other port's
    in the latest year both are in the curated points; supported when the ratio exceeds 1. The
    embedded rivals are Chinese ports only: the world ranking rests on the sources' statements."""
    pc = port_fact_check(points)
    nz_claims = [f"{r.entity} {r.year}: {r.note}" for r in pc.source_claims.itertuples()
                 if r.entity == NZ_PORT]
    settle = ("a world port league table by cargo tonnage for the same year (e.g. Shanghai "
              "International Shipping Institute, Lloyd's List or AAPA world port rankings with "
              "Tangshan, Singapore and Rotterdam)")
    ev = evidence_for(
        "S1.a", estimate=pc.ratio if pc.ratio is not None else float("nan"), null_value=1.0,
        kind="fact", unit="ratio",
        n=int((pc.table["year"] == pc.year).sum()) if pc.year else 0,
        method="ratio of Ningbo-Zhoushan's annual cargo to the largest other port embedded, same year",
        sample=f"{pc.year}: {NZ_PORT} vs {pc.rival}" if pc.year else "no common year",
        data_vintage=common.data_vintage("curated port points (news / reposted releases, quality graded)"),
        notes=("Against the Chinese ports embedded here and the sources' own statements ("
               + ("; ".join(nz_claims) or "none") + "). " + "; ".join(pc.caveats)
               + f". Settles it fully: {settle}."))
    tab = pc.table[["entity", "year", "value_yi_t", "qualifier", "quality", "note", "source_url"]]
    if pc.ratio is None:
        zh = "嵌入数据中没有宁波舟山港与其他港口同年的货物吞吐量，无法比较。"
        en = "No year has both Ningbo-Zhoushan's and another port's cargo: no comparison."
    else:
        zh = (f"{pc.year}年宁波舟山港货物吞吐量 {pc.nz_value / 1e4:.2f} 亿吨，是表中第二大港口"
              f"（{pc.rival}，{pc.rival_value / 1e4:.2f} 亿吨）的 {pc.ratio:.2f} 倍；表中只有中国港口，"
              "全球排名依据来源自身的表述。")
        en = (f"In {pc.year} Ningbo-Zhoushan handled {pc.nz_value / 1e4:.2f} 亿吨 (100 Mt), "
              f"{pc.ratio:.2f} times the largest other port in the table ({pc.rival}, "
              f"{pc.rival_value / 1e4:.2f}); only Chinese ports are embedded, so the world ranking "
              "rests on the sources' own statements.")
    return Result(ev, data={"check": pc, "table": tab.rename(columns={"value_yi_t": "cargo_100Mt"}),
                            "source_claims": nz_claims}, text_zh=zh, text_en=en)


def s1b_fdi_did(years: tuple[int, int] = (2000, 2022), outcome: str = "fdi_gdp",
                scale: str = "log", treatment: str = "association",
                timing: str = groups.DEFAULT_TIMING, leads: int = 5, lags: int = 5) -> Result:
    """S1.b (core causal test): :func:`yrdlib.claims.common.did_test` of joining on an openness
    outcome (``OPENNESS``). The pooled estimate does not depend on the focus city. FDI carries
    province-wide reporting breaks: city-years the data layer flags as not comparable are left out
    by ``did_test`` (the "with flagged city-years" row puts them back)."""
    if outcome not in OPENNESS:
        raise ValueError(f"outcome must be one of {OPENNESS}, got {outcome!r}")
    note = ("FDI actually used (实际使用外资) converted at the year's average CNY/USD rate "
            "(ECB-derived rates flagged)" if outcome == "fdi_gdp" else
            "FDI actually used in USD per resident")
    r = common.did_test("S1.b", outcome, treatment=treatment, years=years, scale=scale,
                        leads=leads, lags=lags, timing=timing, method_note=note)
    groups.retitle(r.evidence, treatment)  # the title names the treatment actually used
    if "sample" in r.data:
        r.data["coverage"] = coverage(r.data["sample"], outcome)
    r.text_zh, r.text_en = _did_text(r, indicators.get(outcome))
    return r


def _did_text(r: Result, ind) -> tuple[str, str]:
    """One paragraph on a pooled causal test: the main estimate with its design-based interval,
    the verdict, and what the data show (lean, ruled-out range, minimum detectable effect) or the
    binding checks that disagree."""
    ev = r.evidence
    if ev.estimate is None or not np.isfinite(ev.estimate):
        return (f"双重差分无法估计：{ev.notes}", f"The DiD could not be estimated: {ev.notes}")
    failed = [row["name"] for row in ev.sensitivity
              if row.get("binding", True) and not row.get("agrees", True)]
    zh_v, en_v = vocab.VERDICT_ZH[ev.verdict], ev.verdict
    u_zh = vocab.unit_zh(ev.unit)
    en = (f"Main estimate (did2s) of joining on {ind.label_en}: {ev.estimate:+.3f} {ev.unit}, "
          f"95 % design-based interval [{ev.ci_low:+.3f}, {ev.ci_high:+.3f}], p = "
          f"{common._fmt_p(ev.p_value)} (randomization inference over province blocks). "
          f"Verdict: {en_v}. "
          + (f"Binding checks that disagree: {', '.join(failed)}. " if failed else
             "Every binding check agrees. ")
          + (f"What would change it: {ev.change_en}." if ev.change_en else ""))
    zh = (f"加入对{ind.label_zh}的主估计（两阶段双重差分）：{ev.estimate:+.3f} {u_zh}，"
          f"按省份随机化推断的 95% 区间 {ev.ci_low:+.3f} 至 {ev.ci_high:+.3f}，p = "
          f"{common._fmt_p(ev.p_value)}。结论：{zh_v}。"
          + (f"不一致的约束性检验：{'、'.join(failed)}。" if failed else "约束性检验全部一致。")
          + (f"改变结论所需：{ev.change_zh}。" if ev.change_zh else ""))
    return zh, en


def s1c_position(focus: str, years: tuple[int, int] = (2000, 2022), outcome: str = "fdi_gdp",
                 comparison: str = "yrd_core16", treatment: str = "association",
                 cluster: str | None = None) -> Result:
    """S1.c (description): the focus city's mid-rank percentile of ``outcome`` among the
    ``comparison`` group in the latest year both have data (reference: the median, 50 ± BAND →
    above / within / below the median band), with its rank among the 41 and the OLS trend (Newey–
    West) of its log gap to the group median since it joined (:func:`gap_trend`). A focus city
    outside the 41 gets "not applicable": the position is about what joining did.

    ``cluster`` (another city cluster than the YRD, e.g. 成渝城市群): the group is the cluster's
    cities (unless ``comparison`` is "province" or "national"), the rank is among them and
    "since it joined" starts at the plan's first treated year; not applicable for a focus city
    outside the cluster or a plan without a central approval date."""
    f = regions.resolve(focus)
    cl = cluster_scope.chosen(cluster)
    if cl is None and focus not in set(regions.yrd41()):
        return Result(not_applicable(
            "S1.c", f"{f.short_zh}不是长三角 41 城之一，其开放度相对长三角同组城市的位置不属于本论断的范围。",
            f"{f.name_en} is not one of the 41 YRD cities: its openness against YRD peers is outside "
            "this claim's scope."), data={})
    if cl is not None:
        bad = cluster_scope.scope_check("S1.c", cl, focus)
        if bad is not None:
            return bad
        treatment = groups.plan_treatment(cl)
    cg = groups.comparison_groups(focus)
    if comparison not in cg:
        raise ValueError(f"comparison must be one of {sorted(cg)}, got {comparison!r}")
    rank_codes = regions.yrd41() if cl is None else cluster_scope.members(cl)
    if cl is not None and comparison not in ("province", "national"):
        comparison = cluster_scope.group_key(cl)
        cg = {**cg, comparison: rank_codes}
        glab = cluster_scope.group_label(cl)
    else:
        glab = groups.GROUP_LABELS[comparison]
    group = sorted(set(cg[comparison]) | {focus})
    w = panel.wide([outcome], years=years)
    tab = w[outcome].unstack("year") if isinstance(w.index, pd.MultiIndex) else w
    def enough(y) -> bool:  # at least 5 and groups.MIN_COVERAGE of the group report
        n = int(tab.loc[tab.index.intersection(group), y].notna().sum())
        return n >= 5 and bool(groups.covered(n, size=len(group)))

    have = [y for y in sorted(tab.columns, reverse=True)
            if pd.notna(tab.at[focus, y]) and enough(y)] if focus in tab.index else []
    ind = indicators.get(outcome)
    rp = rank_path(w, outcome, rank_codes, focus)
    s0, why = position_start(focus, treatment, years[0])
    try:
        gt = gap_trend(w, outcome, cg[comparison], focus, s0, years[1])
    except (MethodError, ValueError) as e:
        gt = {"estimate": np.nan, "ci_low": np.nan, "ci_high": np.nan, "n": 0,
              "table": pd.DataFrame(), "years": (s0, years[1]), "error": str(e)}
    if not have and cl is not None and not any(enough(y) for y in tab.columns):
        n_best = int(tab.reindex(group).notna().sum().max()) if len(tab.columns) else 0
        return cluster_scope.too_few("S1.c", cl, n_best, max(5, math.ceil(
            groups.MIN_COVERAGE * len(group))), f"可比的{ind.label_zh}", f"comparable {ind.label_en}")
    if not have:
        ev = evidence_for("S1.c", estimate=float("nan"), missing_data=f"{outcome} for {focus}",
                          missing_data_zh=f"{focus} 的 {outcome}", data_vintage=common.data_vintage())
        return Result(ev, data={"rank": rp, "gap": gt}, text_zh="焦点城市无数据。",
                      text_en="No data for the focus city.")
    y = have[0]
    vals = tab.loc[tab.index.intersection(group), y]
    pct = midrank_percentile(vals, focus)
    med = float(vals.median())
    ev = evidence_for(
        "S1.c", estimate=pct, null_value=50.0, band=BAND, kind="fact", n=int(vals.notna().sum()),
        unit="percentile (50 = median)",
        method=(f"mid-rank percentile of {outcome} among the {glab[1]} in {y}, reference the "
                f"median band 50 ± {BAND:g}; trend of ln(focus) − ln(group median), OLS with "
                "Newey–West SE, shown beside it"),
        sample=(f"{regions.resolve(focus).short_zh} {regions.resolve(focus).name_en} ({focus}) and "
                + (f"{int(vals.notna().sum())} cities of the {glab[1]}" if cl is None or
                   comparison in ("province", "national") else
                   f"{int(vals.notna().sum())} of the {glab[1]}") + f" with data in {y}"),
        data_vintage=common.data_vintage(),
        notes=(f"{y}: focus {tab.at[focus, y]:.3g} {ind.unit} vs group median {med:.3g}. Gap trend "
               f"{gt['years'][0]}–{gt['years'][1]} ({why}): {gt['estimate']:+.3f} log points a year "
               f"[{gt['ci_low']:+.3f}, {gt['ci_high']:+.3f}]. A position, not a causal effect."))
    tr_zh = ("上升" if gt["ci_low"] > 0 else "下降" if gt["ci_high"] < 0 else "无明显变化") \
        if np.isfinite(gt["estimate"]) else "无法计算"
    tr_en = ("rising" if gt["ci_low"] > 0 else "falling" if gt["ci_high"] < 0 else "no clear change") \
        if np.isfinite(gt["estimate"]) else "not computable"
    r41 = rp["rank"].dropna()
    rk_zh, rk_en = ("长三角", "YRD cities") if cl is None else (
        cluster_scope.names(cl)[0], f"cities of the {cluster_scope.names(cl)[1]}")
    if len(r41):
        ry, rn = r41.index[-1], int(rp.at[r41.index[-1], "n"])
        rank_zh = f"在有可比数据的 {rn} 个{rk_zh}城市中排第 {int(r41.iloc[-1])} 位（{ry}年）"
        rank_en = f"rank {int(r41.iloc[-1])} of the {rn} {rk_en} with comparable data in {ry}"
    else:
        rank_zh = rank_en = ""
    zh = (f"{y}年{f.short_zh}的{ind.label_zh}为 {tab.at[focus, y]:.3g} {ind.unit}，"
          f"在{glab[0]}中处于第 {pct:.0f} 百分位（{ev.label_zh}），{rank_zh}；"
          f"相对同组中位数的对数差距趋势：{tr_zh}"
          + (f"（每年 {gt['estimate']:+.3f}）" if np.isfinite(gt["estimate"]) else "")
          + "。这是描述，不计入结论。")
    en = (f"In {y} {f.name_en}'s {ind.label_en} was {tab.at[focus, y]:.3g} {ind.unit}, percentile "
          f"{pct:.0f} among the {glab[1]} ({ev.label_en}); {rank_en}; its log gap to the group "
          f"median is {tr_en}"
          + (f" ({gt['estimate']:+.3f} a year since {gt['years'][0]})"
             if np.isfinite(gt["estimate"]) else f" (too few years since {gt['years'][0]})")
          + ". A description: it never counts in the verdict.")
    if cl is not None:
        cluster_scope.retitle(ev, cl)
    return Result(ev, data={"rank": rp, "gap": gt, "year": y, "percentile": pct,
                            "group": comparison, "codes": group, "rank_codes": rank_codes,
                            "wide": w, "cluster": cl}, text_zh=zh,
                  text_en=en)


def s1d_trade(years: tuple[int, int] = (2000, 2022), treatment: str = "association",
              min_cities: int = 30) -> Result:
    """S1.d (peripheral): joining and foreign trade. Not testable unless a user extract of
    exports/imports by city and year covers at least ``min_cities`` cities; then the gated DiD
    runs on the better-covered key."""
    ts = trade_panel_status(min_cities)
    if not ts["available"]:
        ev = evidence_for("S1.d", missing_data=MISSING_TRADE,
                          method="staggered DiD (did2s) under the pooled causal rule, once data exist",
                          data_vintage=common.data_vintage(),
                          notes=f"user trade city-years present: {ts['counts']}")
        return Result(ev, data={"status": ts},
                      text_zh="没有城市-年份的进出口面板，无法检验；所需数据见记录。",
                      text_en="No city-year trade panel: not testable; the record names the data.")
    key = max(TRADE, key=lambda k: ts["cities"][k])
    r = common.did_test("S1.d", key, treatment=treatment, years=years, scale="log",
                        method_note=f"user data: {key}")
    groups.retitle(r.evidence, treatment)
    r.data["status"] = ts
    # the test rests on the user's figures: badge, their sources, provisional
    r.evidence = replace(r.evidence, user_data=common.user_rows(None, [key], years))
    r.text_zh, r.text_en = _did_text(r, indicators.get(key))
    return r
