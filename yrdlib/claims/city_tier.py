"""Claim S2 (促进城市能级裂变攀升, city tier): one function per hypothesis (names as in
``yrdlib/claims/registry/s2.yml``), each returning a :class:`~yrdlib.claims.result.Result`, and the
figure for each (``plot_s2a`` … ``plot_s2f``) so that ``notebooks/s2_city_tier.ipynb`` only calls.

* S2.a  :func:`s2a_migrants` — fact check: the YRD attracts the most migrants (censuses 2010 and
  2020), the 16 definition variants beside it (peripheral).
* S2.b  :func:`s2b_growth_did` — THE causal test (``common.did_test``) on chain-linked real GDP
  (core).
* S2.c  :func:`s2c_convergence` — YRD-specific β-convergence: the YRD's β minus the non-members' β
  from one pooled regression with a YRD interaction (peripheral).
* S2.d  :func:`s2d_energy_rank` — the focus city's rank on an entropy-weighted composite index of
  the 41 (peripheral; not applicable outside the 41).
* S2.e  :func:`s2e_zipf` — the change in the Zipf exponent of YRD city sizes with a paired
  bootstrap (peripheral).
* S2.f  :func:`s2f_synthetic_control` — the focus city's own level gap to a penalized synthetic
  control after the 2016 city-cluster plan listed it (core); in :mod:`.city_tier_synth`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.regression.linear_model import OLS

from yrdlib import groups, regions, vocab
from yrdlib.claims import common
from yrdlib.claims.city_tier_synth import (  # noqa: F401  (S2.f lives there; re-exported)
    plot_s2f,
    s2f_synthetic_control,
    sc_donors,
    synth_focus,
)
from yrdlib.claims.result import Result, evidence_for, not_applicable
from yrdlib.data import panel
from yrdlib.methods import MethodError, composite_index, rank_sensitivity, zipf_by_year

YRD_CLUSTER = "长江三角洲城市群"
CLUSTER_EN = {
    "长江三角洲城市群": "Yangtze River Delta", "粤港澳大湾区(珠三角九市+港澳)": "Greater Bay Area (PRD 9)",
    "京津冀城市群": "Beijing-Tianjin-Hebei", "成渝城市群": "Chengdu-Chongqing",
    "长江中游城市群": "Middle Yangtze", "中原城市群": "Central Plains", "哈长城市群": "Harbin-Changchun",
    "关中平原城市群": "Guanzhong Plain", "北部湾城市群": "Beibu Gulf",
    "山东半岛城市群": "Shandong Peninsula", "辽中南城市群": "Central-south Liaoning",
    "海峡西岸城市群": "West Taiwan Strait", "呼包鄂榆城市群": "Hohhot-Baotou-Ordos-Yulin",
    "兰州—西宁城市群": "Lanzhou-Xining",
}
# S2.a statistics: (column, census year, label_en, label_zh). The first is the one the registry
# states (it adds up over a cluster: moves between member cities cancel); the others are shown.
MIGRATION_STATS = [
    ("net_inflow", 2010, "resident minus registered 2010", "2010年常住减户籍人口"),
    ("migrants_other_province", 2020, "inter-provincial migrants 2020", "2020年外省户籍常住人口"),
    ("migrants_other_province", 2010, "inter-provincial migrants 2010", "2010年外省户籍常住人口"),
    ("pop_growth", 2020, "resident growth 2010-2020", "2010—2020年常住人口增量"),
]
S2A_STATISTIC = "net_inflow_2010"
INDEX_INDICATORS = ("gdp", "gdp_pc", "fdi_gdp", "share_tertiary", "loans_gdp", "pop_resident")
INDEX_DIMENSIONS = {"gdp": "size 规模", "pop_resident": "size 规模", "gdp_pc": "income 收入",
                    "fdi_gdp": "openness 开放", "share_tertiary": "structure 结构",
                    "loans_gdp": "finance 金融"}


def cluster_en(name: str) -> str:
    return CLUSTER_EN.get(name, name)


# ----------------------------------------------------------------------------- S2.a migration

def census_frame() -> pd.DataFrame:
    """Prefecture census figures (persons) by region_code: pop_2010, pop_2020, hukou_2010,
    net_inflow_2010, migrants_other_province_2010/2020, pop_growth_2020 (= 2020 − 2010)."""
    w = panel.wide(["census_pop", "census_hukou", "census_net_inflow",
                    "census_migrants_other_province"]).reset_index()
    out = pd.DataFrame(index=sorted(w["region_code"].unique()))
    for y in (2010, 2020):
        s = w[w["year"] == y].set_index("region_code")
        out[f"pop_{y}"] = s["census_pop"]
        out[f"migrants_other_province_{y}"] = s["census_migrants_other_province"]
    s10 = w[w["year"] == 2010].set_index("region_code")
    out["hukou_2010"] = s10["census_hukou"]
    out["net_inflow_2010"] = s10["census_net_inflow"]
    out["pop_growth_2020"] = out["pop_2020"] - out["pop_2010"]
    out.index.name = "region_code"
    return out


def migration_by_cluster(whole_only: bool = False, census: pd.DataFrame | None = None
                         ) -> pd.DataFrame:
    """One row per city cluster: cities listed / with census data, totals (persons) and shares of
    the cluster's resident population for each statistic in MIGRATION_STATS."""
    c = census_frame() if census is None else census
    rows = []
    for name in groups.clusters():
        codes = groups.cluster_codes(name, whole_only=whole_only)
        sub = c.reindex(codes)
        row = {"cluster": name, "cluster_en": cluster_en(name), "cities": len(codes),
               "part_cities": len(groups.cluster_codes(name)) - len(
                   groups.cluster_codes(name, whole_only=True)) if not whole_only else 0}
        for col, y, _, _ in MIGRATION_STATS:
            key = f"{col}_{y}"
            v = sub[key]
            base = sub["pop_2010"] if col == "pop_growth" else sub[f"pop_{y}"]
            ok = v.notna() & base.notna()
            row[f"{key}_n"] = int(ok.sum())
            row[f"{key}_total"] = float(v[ok].sum())
            row[f"{key}_share"] = float(100 * v[ok].sum() / base[ok].sum()) if ok.any() else np.nan
        rows.append(row)
    return pd.DataFrame(rows)


def ranking_robustness(census: pd.DataFrame | None = None, dedupe: bool = True) -> pd.DataFrame:
    """The YRD cluster's rank (1 = most) and its ratio to the best other cluster for every
    statistic × (total, share) × (all listed cities, whole cities only). With ``dedupe``,
    variants whose numbers are identical (the YRD and the GBA have no part-listed city, so the
    two city definitions often coincide) are one row, ``cities`` naming the coinciding
    definitions ("all listed = whole cities only") and ``definitions`` counting them."""
    c = census_frame() if census is None else census
    rows = []
    for whole in (False, True):
        t = migration_by_cluster(whole, c).set_index("cluster")
        for col, y, en, zh in MIGRATION_STATS:
            for kind in ("total", "share"):
                s = t[f"{col}_{y}_{kind}"].dropna().sort_values(ascending=False)
                other = s.drop(YRD_CLUSTER)
                rows.append({"statistic": en, "statistic_zh": zh, "measure": kind,
                             "cities": "whole cities only" if whole else "all listed",
                             "yrd_rank": int(s.index.get_loc(YRD_CLUSTER)) + 1,
                             "n_clusters": len(s), "leader": cluster_en(s.index[0]),
                             "yrd_value": float(s[YRD_CLUSTER]),
                             "best_other": cluster_en(other.index[0]),
                             "best_other_value": float(other.iloc[0]),
                             "ratio_to_best_other": float(s[YRD_CLUSTER] / other.iloc[0])})
    rr = pd.DataFrame(rows)
    if not dedupe:
        return rr
    key = [k for k in rr.columns if k != "cities"]
    out = (rr.groupby(key, sort=False).agg(cities=("cities", " = ".join),
                                            definitions=("cities", "size")).reset_index())
    return out[["statistic", "statistic_zh", "measure", "cities", "definitions"]
               + [k for k in key if k not in ("statistic", "statistic_zh", "measure")]]


# ----------------------------------------------------------------------------- S2.d index

def index_data(codes, years: tuple[int, int], indicators=INDEX_INDICATORS,
               min_share: float = 0.9) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Complete-case indicator table (region_code, year, indicators) for `codes`, keeping only
    years where at least `min_share` of the cities have all indicators (ranks across years with
    very different n are not comparable). Returns (data, coverage per year)."""
    w = panel.wide(list(indicators), regions_=list(codes), years=years).reset_index()
    complete = w[list(indicators)].notna().all(axis=1)
    cov = (w.assign(complete=complete).groupby("year")["complete"].sum().rename("complete_cities")
           .to_frame())
    cov["share"] = cov["complete_cities"] / len(codes)
    keep = cov.index[cov["share"] >= min_share]
    d = w[complete & w["year"].isin(keep)].reset_index(drop=True)
    if d.empty:
        raise MethodError(f"no year with {min_share:.0%} of the cities complete in {years}")
    return d, cov


def energy_index(d: pd.DataFrame, indicators=INDEX_INDICATORS) -> dict:
    """Entropy-weighted index (primary), PCA and equal weights (checks): weights and scores."""
    out = {}
    for w in ("entropy", "pca", "equal"):
        out[w] = composite_index(d, positive=list(indicators), weights=w)
    return out


def rank_change(d: pd.DataFrame, focus: str, y0: int, y1: int, indicators=INDEX_INDICATORS,
                n_draws: int = 1000, seed: int = 0) -> dict:
    """Rank improvement of the focus city from y0 to y1 (rank_y0 − rank_y1; positive = climbed)
    under entropy weights, and its band under random Dirichlet(1) weights: the same weight draws
    are used in both years (same seed), so each draw gives a paired change."""
    a = rank_sensitivity(d, focus, y0, positive=list(indicators), n_draws=n_draws, seed=seed)
    b = rank_sensitivity(d, focus, y1, positive=list(indicators), n_draws=n_draws, seed=seed)
    ch = a["draws"] - b["draws"]
    fa = a["fixed"].set_index("weighting")["rank"]
    fb = b["fixed"].set_index("weighting")["rank"]
    return {"y0": y0, "y1": y1, "rank_y0": int(fa["entropy"]), "rank_y1": int(fb["entropy"]),
            "change": float(fa["entropy"] - fb["entropy"]),
            "band": (float(np.quantile(ch, 0.025)), float(np.quantile(ch, 0.975))),
            "share_improved": float((ch > 0).mean()), "draws": ch,
            "fixed": pd.DataFrame({"rank_" + str(y0): fa, "rank_" + str(y1): fb}),
            "summary_y0": a["summary"], "summary_y1": b["summary"]}


def metro_ranks(scores: pd.DataFrame, codes=groups.NINGBO_METRO) -> pd.DataFrame:
    """Rank of each city inside the (article's) Ningbo metropolitan area per year."""
    s = scores[scores["region_code"].isin(list(codes))].copy()
    s["metro_rank"] = s.groupby("year")["score"].rank(ascending=False, method="min").astype(int)
    return s.pivot(index="year", columns="region_code", values="metro_rank")


# ----------------------------------------------------------------------------- S2.e Zipf

def zipf_path(values: pd.DataFrame, value: str, codes, min_share: float = 0.95) -> pd.DataFrame:
    """Gabaix–Ibragimov ζ per year over `codes`: years where at least `min_share` of the cities
    report, then only the cities present in all those years (a fixed set, so changes in ζ are
    not changes in who is counted). attrs: cities, years_dropped."""
    codes = list(codes)
    d = values.reset_index()
    d = d[d["region_code"].isin(codes)].dropna(subset=[value])
    n = d.groupby("year")["region_code"].nunique()
    good = n.index[n >= min_share * len(codes)]
    if len(good) < 2:
        raise MethodError(f"fewer than 2 years with {min_share:.0%} of the cities reporting {value}")
    d = d[d["year"].isin(good)]
    yrs = d.groupby("region_code")["year"].nunique()
    full = yrs[yrs == len(good)].index
    z = zipf_by_year(d[d["region_code"].isin(full)], value)
    z.attrs["cities"] = len(full)
    z.attrs["years_dropped"] = sorted(set(n.index) - set(good))
    return z


def census_zipf(codes) -> pd.DataFrame:
    """ζ from the census resident populations 2010 and 2020 (no interpolation, same definition)."""
    c = census_frame().reindex(list(codes))
    rows = []
    for y in (2010, 2020):
        from yrdlib.methods import zipf_exponent

        r = zipf_exponent(c[f"pop_{y}"].dropna())
        rows.append({"year": y, "exponent": r.exponent, "ci_low": r.ci_low, "ci_high": r.ci_high,
                     "n": r.n})
    return pd.DataFrame(rows)


def region_names(codes, lang: str = "both") -> dict:
    out = {}
    for c in codes:
        r = regions.resolve(c)
        out[c] = {"zh": r.short_zh, "en": r.name_en}.get(lang, f"{r.short_zh} {r.name_en}")
    return out


def _L(zh: str, en: str, lang: str) -> str:
    return vocab.label(zh, en, lang)


def _unit_name(code: str) -> tuple[str, str]:
    r = regions.resolve(code)
    return r.short_zh, r.name_en


def _outside_yrd(hid: str, focus: str, what_zh: str, what_en: str) -> Result:
    zh, en = _unit_name(focus)
    ev = not_applicable(
        hid, f"{zh}不是长三角 41 城之一，{what_zh}只对长三角城市有意义，因此不适用。",
        f"{en} is not one of the 41 YRD cities; {what_en} is defined only for YRD cities, so "
        "this test does not apply.", data_vintage=common.data_vintage())
    return Result(ev, data={}, text_zh=ev.scope_note_zh, text_en=ev.scope_note_en)


# ============================================================================ S2.a migrants

def s2a_migrants(statistic: str = S2A_STATISTIC) -> Result:
    """S2.a fact check of the article's ranking ("the YRD is the city cluster that attracts the
    most migrants": an asserted rank with a direction, so a test): the YRD's census total of
    ``statistic`` over the best other cluster's (> 1 = the YRD is first). The registry states
    resident minus registered population 2010 (the default; the only year with a registered
    population). ``data``: ``by_cluster`` (the chosen statistic per cluster, sorted),
    ``variants`` (:func:`ranking_robustness`, identical variants merged), ``headline`` (the chosen
    variant's row), ``agreement`` (totals, one row per statistic: the YRD's rank and ratio)."""
    stats_ = {f"{c}_{y}": (c, y, en, zh) for c, y, en, zh in MIGRATION_STATS}
    if statistic not in stats_:
        raise ValueError(f"statistic must be one of {sorted(stats_)}, not {statistic!r}")
    _, _, en, zh = stats_[statistic]
    c = census_frame()
    mc = migration_by_cluster(False, c)
    rr = ranking_robustness(c)
    n_raw = int(rr["definitions"].sum())
    show = mc[["cluster", "cluster_en", "cities", "part_cities", f"{statistic}_n",
               f"{statistic}_total", f"{statistic}_share"]]
    show = show.sort_values(f"{statistic}_total", ascending=False, ignore_index=True)
    listed = rr[(rr["measure"] == "total") & rr["cities"].str.contains("all listed")]
    head = listed[listed["statistic"] == en].iloc[0]
    first = int(rr["yrd_rank"].eq(1).sum())
    n_yrd = int(mc.loc[mc["cluster"] == YRD_CLUSTER, "cities"].iloc[0])
    agree = listed[["statistic", "statistic_zh", "yrd_rank", "best_other",
                    "ratio_to_best_other"]].reset_index(drop=True)
    top, rest = agree[agree["yrd_rank"] == 1], agree[agree["yrd_rank"] > 1]
    ordz = {1: "第一", 2: "第二", 3: "第三", 4: "第四", 5: "第五"}

    def part_en(g):
        return ", ".join(f"{r.statistic} ({r.ratio_to_best_other:.3f} of the {r.best_other})"
                         if r.yrd_rank > 1 else f"{r.statistic} ({r.ratio_to_best_other:.3f}× the "
                         f"{r.best_other})" for r in g.itertuples())

    def part_zh(g):
        return "、".join(f"{r.statistic_zh}（为{_cluster_zh(r.best_other)}的 "
                         f"{r.ratio_to_best_other:.3f} 倍）" for r in g.itertuples())

    if len(top) and len(rest):
        ranks = sorted(set(rest["yrd_rank"]))
        dis_en = ("The definitions disagree on the ranking (totals, all listed cities): YRD first "
                  f"on {part_en(top)}; " + "; ".join(
                      f"{('second', 'third', 'fourth', 'fifth')[k - 2] if k <= 5 else k} on "
                      + part_en(rest[rest['yrd_rank'] == k]) for k in ranks)
                  + f". The verdict uses the stated statistic, {en}.")
        dis_zh = (f"各口径给出的排序不一致（总量，全部所列城市）：长三角按{part_zh(top)}排第一；"
                  + "；".join(f"按{part_zh(rest[rest['yrd_rank'] == k])}排{ordz.get(k, k)}"
                              for k in ranks) + f"。结论采用登记表所述口径：{zh}。")
    else:
        pos = "first" if len(top) else "not first"
        dis_en = f"Every statistic agrees (totals, all listed cities): the YRD is {pos}."
        dis_zh = f"各口径排序一致（总量，全部所列城市）：长三角{'排第一' if len(top) else '不是第一'}。"
    ev = evidence_for(
        "S2.a", estimate=float(head["ratio_to_best_other"]), null_value=1.0, kind="fact",
        n=int(head["n_clusters"]), unit="ratio to the best other cluster",
        method=(f"census fact check of the article's ranking: YRD total {en} / the best other "
                "cluster's total (resident minus registered adds up over a cluster: moves "
                "between member cities cancel)"),
        sample=(f"14 city clusters as listed in their plans, all listed prefectures (YRD: the "
                f"2016 plan's {n_yrd} cities)"),
        data_vintage=common.data_vintage("2010 and 2020 censuses (prefecture tables)"),
        notes=(f"{dis_en} YRD first in {first} of {len(rr)} distinct variants ({n_raw} before "
               "merging definitions with identical numbers); per resident the Greater Bay Area "
               "leads on every statistic. The 2020 census tables have no registered population."))
    text_en = (f"The YRD ranks {int(head['yrd_rank'])} of {int(head['n_clusters'])} on {en} "
               f"(total), {head['ratio_to_best_other']:.3f} times the {head['best_other']}. "
               f"{dis_en} It is first in {first} of the {len(rr)} distinct variants; per resident "
               "the Greater Bay Area leads.")
    text_zh = (f"按{zh}总量，长三角在 {int(head['n_clusters'])} 个城市群中排第 "
               f"{int(head['yrd_rank'])} 位，为{_cluster_zh(head['best_other'])}的 "
               f"{head['ratio_to_best_other']:.3f} 倍。{dis_zh}在 {len(rr)} 种不重复的口径中排第一的有 "
               f"{first} 种；按常住人口占比，粤港澳大湾区领先。")
    return Result(ev, data={"by_cluster": show, "variants": rr, "headline": head,
                            "agreement": agree, "statistic": statistic, "label_en": en,
                            "label_zh": zh}, text_zh=text_zh, text_en=text_en)


def _cluster_zh(name_en: str) -> str:
    return {v: k for k, v in CLUSTER_EN.items()}.get(name_en, name_en)


def plot_s2a(r: Result, lang: str = "both"):
    import matplotlib.pyplot as plt

    from yrdlib import plotting

    key = r.data["statistic"]
    s = r.data["by_cluster"].set_index("cluster")
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(11, 4.2), sharey=True)
    colours = [plotting.FOCUS_COLOUR if c == YRD_CLUSTER else "#7f7f7f" for c in s.index]
    a1.barh(range(len(s)), s[f"{key}_total"] / 1e6, color=colours)
    a2.barh(range(len(s)), s[f"{key}_share"], color=colours)
    a1.set_yticks(range(len(s)), [_L(c, cluster_en(c), lang) for c in s.index], fontsize=7)
    a1.invert_yaxis()
    a1.set_xlabel(_L("人数（百万）", "persons (million)", lang))
    a2.set_xlabel(_L("占常住人口比例（%）", "share of residents (%)", lang))
    a1.set_title(_L(f"{r.data['label_zh']}：总量", f"{r.data['label_en']}: total", lang),
                 loc="left", fontsize=10)
    a2.set_title(_L("占比", "share", lang), loc="left", fontsize=10)
    fig.tight_layout()
    return fig


# ============================================================================ S2.b growth DiD

def s2b_growth_did(years: tuple[int, int] = (2000, 2023), outcome: str = "gdp_real",
                   treatment: str = "association",
                   timing: str = groups.DEFAULT_TIMING) -> Result:
    """S2.b, the core causal test: ``common.did_test`` on ln real GDP (chain-linked from the
    published indices by the data layer), did2s main, Sun–Abraham and TWFE beside it, the fixed
    robustness gate. Pooled over all members: the average effect of joining, not Taizhou's."""
    r = common.did_test("S2.b", outcome, treatment=treatment, years=tuple(years), scale="log",
                        timing=timing)
    groups.retitle(r.evidence, treatment)  # the title names the treatment actually used
    ev = r.evidence
    r.text_en = (f"did2s ATT on ln {outcome}: {ev.estimate:.3f} [{ev.ci_low:.3f}, "
                 f"{ev.ci_high:.3f}]; verdict {ev.verdict}: {ev.reason_en}"
                 if ev.estimate is not None and np.isfinite(ev.estimate) else ev.reason_en)
    r.text_zh = (f"两阶段 DiD 对 ln {outcome} 的平均处理效应 {ev.estimate:.3f} "
                 f"[{ev.ci_low:.3f}, {ev.ci_high:.3f}]；{ev.reason_zh}"
                 if ev.estimate is not None and np.isfinite(ev.estimate) else ev.reason_zh)
    return r


def plot_s2b(r: Result, lang: str = "both"):
    """Event studies (did2s, Sun–Abraham) beside the specification chart of the gate."""
    from types import SimpleNamespace

    import matplotlib.pyplot as plt

    from yrdlib.methods import plot_event_study

    fig, (a1, a2) = plt.subplots(1, 2, figsize=(13, 4.6))
    for k, lab, col, off in (("event_did2s", _L("两阶段DiD", "did2s", lang), "#1f77b4", -0.12),
                             ("event_sunab", "Sun–Abraham", "#ff7f0e", 0.12)):
        es = r.data.get(k)
        if es is not None:
            plot_event_study(SimpleNamespace(event_study=es, estimator=k), a1, label=lab,
                             color=col, offset=off,
                             xlabel=_L("相对加入年份（年）", "years relative to joining", lang),
                             ylabel=_L("对 ln 实际GDP 的效应", "effect on ln real GDP", lang))
    a1.set_title(_L("事件研究（95% 区间）", "Event study (95% CI)", lang), loc="left")
    a1.legend(fontsize=8)
    common.spec_chart(r, ax=a2, lang=lang)
    fig.tight_layout()
    return fig


# ============================================================================ S2.c convergence

def _growth_frame(values: pd.DataFrame, value: str, start: int, end: int) -> pd.DataFrame:
    d = values.reset_index()
    w = d.pivot_table(index="region_code", columns="year", values=value)
    if start not in w.columns or end not in w.columns:
        raise MethodError(f"need {value} in both {start} and {end}")
    w = w[[start, end]].dropna()
    w = w[(w > 0).all(axis=1)]
    out = pd.DataFrame({"x": np.log(w[start]), "g": (np.log(w[end]) - np.log(w[start]))
                        / (end - start)})
    out["province"] = out.index.str[:2]
    return out


def beta_difference(frame: pd.DataFrame, yrd, cov: str = "HC3", alpha: float = 0.05) -> dict:
    """One pooled cross-section g = a + b·x + c·YRD + d·YRD·x (g: mean annual log growth, x:
    initial log level): b is the non-members' β, b + d the YRD's, d the difference (negative =
    the YRD converges faster). ``cov``: 'HC3' or 'province' (errors clustered by province)."""
    f = frame.copy()
    f["yrd"] = f.index.isin(list(yrd)).astype(float)
    if f["yrd"].sum() < 5 or (1 - f["yrd"]).sum() < 5:
        raise MethodError("fewer than 5 cities in the YRD or outside it")
    X = np.column_stack([np.ones(len(f)), f["x"], f["yrd"], f["yrd"] * f["x"]])
    m = OLS(f["g"].to_numpy(), X)
    if cov == "province":
        res = m.fit(cov_type="cluster", cov_kwds={"groups": pd.factorize(f["province"])[0]})
    elif cov == "HC3":
        res = m.fit(cov_type="HC3")
    else:
        raise ValueError(f"cov must be 'HC3' or 'province', not {cov!r}")
    ci = res.conf_int(alpha)
    c = np.array([0, 1, 0, 1.0])
    t = res.t_test(c)
    yl, yh = np.asarray(t.conf_int(alpha)).ravel()
    return {"beta_non": float(res.params[1]), "beta_non_ci": (float(ci[1][0]), float(ci[1][1])),
            "beta_yrd": float(t.effect.ravel()[0]), "beta_yrd_ci": (float(yl), float(yh)),
            "diff": float(res.params[3]), "ci_low": float(ci[3][0]), "ci_high": float(ci[3][1]),
            "p_value": float(res.pvalues[3]), "n_yrd": int(f["yrd"].sum()),
            "n_non": int((1 - f["yrd"]).sum()), "cov": cov}


def s2c_convergence(years: tuple[int, int] = (2000, 2022), value: str = "gdp_pc_real",
                    breaks=(2010, 2016)) -> Result:
    """S2.c: does the YRD converge FASTER than the rest of China? Test statistic: the difference
    in cross-section β (growth of real GDP per capita on its initial log level, ``years``) between
    the 41 YRD cities and all other prefectures, from one pooled regression with a YRD interaction
    (HC3 errors; expected "−"). Gate rows: province-clustered errors; non-members from the
    neighbouring provinces only. ``data['windows']``: the same for the whole window and before /
    from each break year (description); ``data['sigma']``: σ (s.d. of log level) per year, YRD and
    non-members, on a balanced panel."""
    y0, y1 = int(years[0]), int(years[1])
    w = panel.wide([value], years=(y0, y1))
    yrd = regions.yrd41()
    others = [c for c in groups.prefectures() if c not in set(yrd)]
    f = _growth_frame(w, value, y0, y1)
    f = f[f.index.isin(yrd + others)]
    main = beta_difference(f, yrd, "HC3")
    prov = beta_difference(f, yrd, "province")
    nb = f[f["province"].isin(common.TREATED_PROVINCES + common.NEIGHBOUR_PROVINCES)]
    near = beta_difference(nb, yrd, "HC3")
    rows = [{"name": "province-clustered SE", "kind": "estimate", "estimate": prov["diff"],
             "ci_low": prov["ci_low"], "ci_high": prov["ci_high"], "p_value": prov["p_value"]},
            {"name": "neighbouring-province non-members", "kind": "estimate",
             "estimate": near["diff"], "ci_low": near["ci_low"], "ci_high": near["ci_high"],
             "p_value": near["p_value"], "note": f"{near['n_non']} non-members in 闽赣鲁豫鄂"}]
    win = [("all", y0, y1)]
    for b in breaks:
        if y0 < b - 2 and b + 2 < y1:
            win += [(f"before {b}", y0, b - 1), (f"from {b}", b, y1)]
    wt = []
    for lab, s, e in win:
        try:
            r = beta_difference(_growth_frame(w, value, s, e).loc[lambda x: x.index.isin(
                yrd + others)], yrd)
            wt.append({"window": lab, "start": s, "end": e, **{k: v for k, v in r.items()
                                                              if not k.endswith("_ci")},
                       "beta_yrd_ci": r["beta_yrd_ci"], "beta_non_ci": r["beta_non_ci"]})
        except MethodError as ex:
            wt.append({"window": lab, "start": s, "end": e, "note": str(ex)})
    lv = w.reset_index().dropna(subset=[value])
    lv = lv[lv["region_code"].isin(yrd + others) & (lv[value] > 0)]
    cnt = lv.groupby("region_code")["year"].nunique()
    bal = lv[lv["region_code"].isin(cnt.index[cnt == cnt.max()])].copy()
    bal["group"] = np.where(bal["region_code"].isin(yrd), "YRD", "non-members")
    bal["ly"] = np.log(bal[value].astype(float))
    sigma = bal.groupby(["year", "group"])["ly"].std().unstack()
    note = panel.sample_note(w.attrs["excluded"]) if "excluded" in w.attrs else {}
    ev = evidence_for(
        "S2.c", estimate=main["diff"], ci_low=main["ci_low"], ci_high=main["ci_high"],
        p_value=main["p_value"], n=main["n_yrd"] + main["n_non"],
        unit="difference in β (YRD − non-members)",
        method=("pooled cross-section β-convergence with a YRD interaction, OLS with HC3 errors "
                "(Barro & Sala-i-Martin); gate: province-clustered errors, neighbouring-province "
                "non-members"),
        sample=(f"{main['n_yrd']} YRD cities and {main['n_non']} other prefectures with {value} "
                f"in {y0} and {y1}"),
        data_vintage=common.data_vintage(), sensitivity=rows,
        notes=(f"β YRD {main['beta_yrd']:.4f} [{main['beta_yrd_ci'][0]:.4f}, "
               f"{main['beta_yrd_ci'][1]:.4f}]; β non-members {main['beta_non']:.4f} "
               f"[{main['beta_non_ci'][0]:.4f}, {main['beta_non_ci'][1]:.4f}]"),
        sample_note_zh=note.get("zh", ""), sample_note_en=note.get("en", ""))
    ev_ = ev
    text_en = (f"{y0}–{y1}: β = {main['beta_yrd']:.4f} in the YRD and {main['beta_non']:.4f} "
               f"elsewhere; difference {main['diff']:+.4f} [{main['ci_low']:+.4f}, "
               f"{main['ci_high']:+.4f}]. {ev_.reason_en} Convergence that is as fast outside "
               "the YRD is not evidence that integration caused it.")
    text_zh = (f"{y0}—{y1} 年：长三角 β = {main['beta_yrd']:.4f}，非成员 β = "
               f"{main['beta_non']:.4f}；差值 {main['diff']:+.4f} [{main['ci_low']:+.4f}, "
               f"{main['ci_high']:+.4f}]。{ev_.reason_zh}若长三角以外收敛同样快，收敛就不能归因于一体化。")
    return Result(ev, data={"main": main, "windows": pd.DataFrame(wt), "sigma": sigma,
                            "frame": f.assign(yrd=f.index.isin(yrd)), "years": (y0, y1),
                            "rows": pd.DataFrame(ev.sensitivity)},
                  text_zh=text_zh, text_en=text_en)


def plot_s2c(r: Result, lang: str = "both"):
    """Left: growth on initial level, YRD vs non-members, with each group's fitted line; right:
    σ (s.d. of ln real GDP per capita) per year for both groups."""
    import matplotlib.pyplot as plt

    from yrdlib import plotting

    f, m = r.data["frame"], r.data["main"]
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(12, 4.4))
    for is_yrd, col, lab, beta in ((False, "#9e9e9e", _L("非成员", "non-members", lang),
                                    m["beta_non"]),
                                   (True, plotting.FOCUS_COLOUR, _L("长三角41城", "YRD 41", lang),
                                    m["beta_yrd"])):
        g = f[f["yrd"] == is_yrd]
        a1.scatter(g["x"], g["g"] * 100, s=12 if not is_yrd else 22, color=col, alpha=0.7,
                   label=f"{lab}: β = {beta:.4f}")
        if len(g) > 2:
            b, a = np.polyfit(g["x"], g["g"], 1)
            xs = np.linspace(g["x"].min(), g["x"].max(), 20)
            a1.plot(xs, (a + b * xs) * 100, color=col, lw=2)
    y0 = r.data["years"][0]
    a1.set_xlabel(_L(f"{y0}年人均实际GDP（对数）", f"ln real GDP per capita {y0}", lang))
    a1.set_ylabel(_L("年均增长率（%）", "mean annual growth (%)", lang))
    a1.set_title(_L("β收敛：长三角与非成员", "β-convergence: YRD vs non-members", lang),
                 loc="left", fontsize=10)
    a1.legend(fontsize=7)
    s = r.data["sigma"]
    for grp, col, lab in (("YRD", plotting.FOCUS_COLOUR, _L("长三角", "YRD", lang)),
                          ("non-members", "#9e9e9e", _L("非成员", "non-members", lang))):
        if grp in s:
            a2.plot(s.index, s[grp], marker="o", ms=3, color=col, label=lab)
    a2.set_ylabel(_L("ln人均实际GDP的标准差", "s.d. of ln real GDP per capita", lang))
    a2.set_xlabel(_L("年份", "year", lang))
    a2.set_title(_L("σ收敛（平衡面板）", "σ-convergence (balanced panel)", lang), loc="left",
                 fontsize=10)
    a2.legend(fontsize=7)
    fig.tight_layout()
    return fig


# ============================================================================ S2.d energy rank

RANK_BAND = (0.025, 0.975)
"""S2.d's band: the 2.5–97.5% range of the focus city's rank change over random weight draws —
a range over weight draws, not a confidence interval (no sampling error in it)."""
RANGE_EN = "2.5–97.5% range over weight draws"
RANGE_ZH = "权重抽样 2.5%—97.5% 范围"
RANK_DRAWS = 1000


def s2d_energy_rank(focus: str, years: tuple[int, int] = (2000, 2022), start: str = "join",
                    band: tuple[float, float] = RANK_BAND, n_draws: int = RANK_DRAWS,
                    treatment: str = "association", seed: int = 0) -> Result:
    """S2.d: the focus city's rank change among the 41 YRD cities on an entropy-weighted index
    (six indicators, years in which ≥ 90% of the 41 are complete).

    Verdict-deciding choices, fixed here (not in the notebook): the change runs from ``start`` —
    ``"join"`` (default): the focus city's first treated year under ``treatment`` and the
    default timing if it is an index year, else the first index year; ``"first"``: the first
    index year — to the last index year; positive = climbed. The interval is the ``band``
    quantiles (default 2.5–97.5%) of the same paired change under ``n_draws`` (1,000)
    Dirichlet(1) indicator weights: weight uncertainty, not sampling error. A focus city outside
    the 41 → not applicable (never dropped silently)."""
    if focus not in set(regions.yrd41()):
        return _outside_yrd("S2.d", focus, "长三角 41 城内部的能级排名",
                            "a rank among the 41 YRD cities")
    if start not in ("join", "first"):
        raise ValueError(f"start must be 'join' or 'first', not {start!r}")
    idx, cov = index_data(regions.yrd41(), tuple(years))
    ei = energy_index(idx)
    scores = {k: v.scores for k, v in ei.items()}
    ranks = pd.DataFrame({k: s[s["region_code"] == focus].set_index("year")["rank"]
                          for k, s in scores.items()})
    yrs = sorted(ranks["entropy"].dropna().index) if "entropy" in ranks else []
    if len(yrs) < 2:
        ev = evidence_for("S2.d", missing_data=(f"{focus}: fewer than two index years with all "
                                                "six indicators"),
                          missing_data_zh=f"{focus}：六项指标齐全的指数年份少于两年",
                          data_vintage=common.data_vintage())
        return Result(ev, data={"ranks": ranks, "coverage": cov})
    ty = groups.treatment_years(treatment, groups.DEFAULT_TIMING).get(focus, np.nan)
    y0 = int(ty) if start == "join" and pd.notna(ty) and int(ty) in yrs else int(yrs[0])
    y1 = int(yrs[-1])
    from_txt = ("the focus city's first treated year" if pd.notna(ty) and int(ty) == y0
                else "the first index year")
    rc = rank_change(idx, focus, y0, y1, n_draws=n_draws, seed=seed)
    lo, hi = (float(np.quantile(rc["draws"], q)) for q in band)
    weights = pd.DataFrame({k: v.weights for k, v in ei.items()})
    weights["dimension"] = [INDEX_DIMENSIONS[i] for i in weights.index]
    zh, en = _unit_name(focus)
    ev = evidence_for(
        "S2.d", estimate=rc["change"], ci_low=lo, ci_high=hi,
        n=int(idx[idx["year"] == y1]["region_code"].nunique()),
        unit="rank places (positive = climbed)",
        method=(f"entropy-weighted composite index (6 indicators); interval = the "
                f"{band[0]:.1%}–{band[1]:.1%} range of the change over {n_draws} Dirichlet(1) "
                f"weight draws (a range over weight draws, not a confidence interval); from "
                f"{from_txt} to the last index year"),
        sample=f"YRD 41, {y0} vs {y1}", data_vintage=common.data_vintage(),
        interval_en=RANGE_EN, interval_zh=RANGE_ZH,
        notes=("The interval is a range over weight draws, not a confidence interval: it "
               "reflects the choice of weights, not sampling error. Fixed-weight ranks: "
               + "; ".join(f"{w}: {r.iloc[0]}→{r.iloc[1]}" for w, r in rc["fixed"].iterrows())))
    data = {"ranks": ranks, "coverage": cov, "weights": weights, "rank_change": rc,
            "scores": scores["entropy"], "y0": y0, "y1": y1, "focus": focus}
    if focus in groups.NINGBO_METRO:
        data["metro_ranks"] = metro_ranks(scores["entropy"])
    text_en = (f"Entropy-weight rank of {en}: {rc['rank_y0']} in {y0} → {rc['rank_y1']} in {y1} "
               f"(change {rc['change']:+.0f}); its {RANGE_EN} is [{lo:+.0f}, {hi:+.0f}] (not a "
               f"confidence interval), a climb in {rc['share_improved']:.0%} of draws.")
    text_zh = (f"{zh}的熵权能级排名：{y0} 年第 {rc['rank_y0']} 位 → {y1} 年第 {rc['rank_y1']} 位"
               f"（变化 {rc['change']:+.0f}）；{RANGE_ZH}为 [{lo:+.0f}, {hi:+.0f}]（不是置信区间），"
               f"{rc['share_improved']:.0%} 的抽样为上升。")
    return Result(ev, data=data, text_zh=text_zh, text_en=text_en)


def plot_s2d(r: Result, lang: str = "both"):
    import matplotlib.pyplot as plt

    from yrdlib import plotting

    fig, ax = plt.subplots(figsize=(7.5, 4))
    if "rank_change" not in r.data:
        ax.text(0.5, 0.5, _L("不适用或无数据", "not applicable or no data", lang),
                ha="center", transform=ax.transAxes)
        ax.set_axis_off()
        return fig
    ranks, rc = r.data["ranks"], r.data["rank_change"]
    for k, (lab, c) in {"entropy": (_L("熵权", "entropy weights", lang), plotting.FOCUS_COLOUR),
                        "pca": (_L("主成分权重", "PCA weights", lang), "#1f77b4"),
                        "equal": (_L("等权", "equal weights", lang), "#7f7f7f")}.items():
        ax.plot(ranks.index, ranks[k], marker="o" if k == "entropy" else ".", color=c, label=lab,
                lw=2 if k == "entropy" else 1)
    for y, sm_ in ((r.data["y0"], rc["summary_y0"]), (r.data["y1"], rc["summary_y1"])):
        ax.errorbar([y], [sm_["median"]], yerr=[[sm_["median"] - sm_["q05"]],
                                                [sm_["q95"] - sm_["median"]]],
                    fmt="s", color="black", capsize=4)
    ax.plot([], [], "ks", label=_L("排名的权重抽样范围（中位数与 5%—95%，非置信区间）",
                                   "rank: range over weight draws (median, 5–95%; not a CI)",
                                   lang))
    ax.set_ylim(42, 0)
    ax.set_ylabel(_L("名次（1 = 能级最高）", "rank (1 = highest)", lang))
    ax.set_xlabel(_L("年份", "year", lang))
    zh, en = _unit_name(r.data["focus"])
    ax.set_title(_L(f"{zh}在长三角41城中的城市能级排名",
                    f"{en}: city-tier rank among the 41 YRD cities", lang), loc="left")
    ax.legend(fontsize=7)
    return fig


# ============================================================================ S2.e Zipf

def paired_zipf_change(values: pd.DataFrame, value: str, codes, y0: int, y1: int,
                       n_boot: int = 999, seed: int = 0, alpha: float = 0.05) -> dict:
    """ζ(y1) − ζ(y0) (Gabaix–Ibragimov) for the cities with ``value`` in both years, with a PAIRED
    bootstrap: resample cities with replacement and recompute both years' ζ on the same draw, so
    the interval reflects that the two exponents share their cities (independent SEs would treat
    them as two samples and overstate the uncertainty of the change). Percentile interval;
    two-sided p from the bootstrap distribution's mass on the other side of 0."""
    from yrdlib.methods import zipf_exponent

    d = values.reset_index()
    d = d[d["region_code"].isin(list(codes))]
    w = d.pivot_table(index="region_code", columns="year", values=value)[[y0, y1]].dropna()
    w = w[(w > 0).all(axis=1)]
    if len(w) < 10:
        raise MethodError(f"only {len(w)} cities with {value} in {y0} and {y1}; need >= 10")
    a, b = zipf_exponent(w[y0]), zipf_exponent(w[y1])

    def gi(x: np.ndarray) -> np.ndarray:  # ζ per row of an (n_boot × n) matrix of sizes
        s = -np.sort(-x, axis=1)
        lr = np.log(np.arange(1, s.shape[1] + 1) - 0.5)
        lx = np.log(s)
        lxc = lx - lx.mean(axis=1, keepdims=True)
        return -(lxc * (lr - lr.mean())).sum(axis=1) / (lxc ** 2).sum(axis=1)

    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(w), size=(n_boot, len(w)))
    v0, v1 = w[y0].to_numpy(float), w[y1].to_numpy(float)
    diffs = gi(v1[idx]) - gi(v0[idx])
    diffs = diffs[np.isfinite(diffs)]
    est = b.exponent - a.exponent
    lo, hi = np.quantile(diffs, [alpha / 2, 1 - alpha / 2])
    p = float(min(1.0, 2 * min((diffs <= 0).mean(), (diffs >= 0).mean())))
    q = stats.norm.ppf(1 - alpha / 2)
    se_ind = float(np.sqrt(a.se ** 2 + b.se ** 2))
    return {"estimate": float(est), "ci_low": float(lo), "ci_high": float(hi), "p_value": p,
            "se_boot": float(diffs.std(ddof=1)), "zeta_y0": a.exponent, "zeta_y1": b.exponent,
            "n": len(w), "n_boot": len(diffs), "y0": y0, "y1": y1,
            "independent_ci": (float(est - q * se_ind), float(est + q * se_ind))}


def s2e_zipf(years: tuple[int, int] = (2000, 2022), value: str = "pop_resident",
             n_boot: int = 999, seed: int = 0) -> Result:
    """S2.e: the change in the Zipf exponent ζ of the 41 YRD cities' resident population between
    the first and last year in which ≥ 95% of them report (a fixed set of cities), with a paired
    bootstrap interval (:func:`paired_zipf_change`); expected "−" (concentration). The census
    exponents 2010 and 2020 and the independent-SE interval are shown beside it."""
    yrd = regions.yrd41()
    w = panel.wide([value], years=tuple(years))
    zp = zipf_path(w, value, yrd)
    y0, y1 = int(zp["year"].min()), int(zp["year"].max())
    zc = paired_zipf_change(w, value, yrd, y0, y1, n_boot=n_boot, seed=seed)
    cz = census_zipf(yrd)
    ratio = (zc["independent_ci"][1] - zc["independent_ci"][0]) / (zc["ci_high"] - zc["ci_low"])
    ev = evidence_for(
        "S2.e", estimate=zc["estimate"], ci_low=zc["ci_low"], ci_high=zc["ci_high"],
        p_value=zc["p_value"], n=zc["n"], unit="change in ζ",
        method=(f"Gabaix–Ibragimov rank−½ regression; paired bootstrap of the change "
                f"({zc['n_boot']} draws of cities, both years together, percentile interval)"),
        sample=f"{zc['n']} YRD cities, {y0} vs {y1}", data_vintage=common.data_vintage(),
        notes=(f"ζ {zc['zeta_y0']:.3f} ({y0}) → {zc['zeta_y1']:.3f} ({y1}); interval with "
               f"independent SEs [{zc['independent_ci'][0]:+.3f}, {zc['independent_ci'][1]:+.3f}]"
               f" ({ratio:.1f}× wider); census ζ 2010 {cz['exponent'].iloc[0]:.3f}, 2020 "
               f"{cz['exponent'].iloc[1]:.3f}; ζ of 41 prefectures says nothing direct about "
               "metropolitan-area integration"))
    text_en = (f"ζ = {zc['zeta_y0']:.3f} in {y0} and {zc['zeta_y1']:.3f} in {y1} (change "
               f"{zc['estimate']:+.3f}, paired-bootstrap 95% interval {zc['ci_low']:+.3f} to "
               f"{zc['ci_high']:+.3f}, {ratio:.1f}× narrower than with independent SEs). "
               f"Years left out (< 95% of cities reporting): {zp.attrs['years_dropped'] or 'none'}.")
    text_zh = (f"齐普夫指数 {y0} 年 {zc['zeta_y0']:.3f}，{y1} 年 {zc['zeta_y1']:.3f}（变化 "
               f"{zc['estimate']:+.3f}，配对自助法 95% 区间 {zc['ci_low']:+.3f} 至 "
               f"{zc['ci_high']:+.3f}，比按独立标准误计算窄 {ratio:.1f} 倍）。")
    return Result(ev, data={"path": zp, "change": zc, "census": cz, "width_ratio": ratio},
                  text_zh=text_zh, text_en=text_en)


def plot_s2e(r: Result, lang: str = "both"):
    import matplotlib.pyplot as plt

    from yrdlib import plotting

    zp, cz = r.data["path"], r.data["census"]
    fig, ax = plt.subplots(figsize=(7.5, 3.8))
    ax.fill_between(zp["year"], zp["ci_low"], zp["ci_high"], alpha=0.2, color="#1f77b4",
                    label=_L("95%置信区间（单年）", "95% CI (each year)", lang))
    ax.plot(zp["year"], zp["exponent"], marker="o", color="#1f77b4",
            label=_L("年鉴常住人口", "yearbook resident population", lang))
    ax.errorbar(cz["year"], cz["exponent"], yerr=[cz["exponent"] - cz["ci_low"],
                                                  cz["ci_high"] - cz["exponent"]],
                fmt="D", color=plotting.FOCUS_COLOUR, capsize=4, label=_L("人口普查", "census", lang))
    ax.axhline(1, color="grey", ls="--", lw=0.8)
    ax.set_ylabel(_L("齐普夫指数 ζ", "Zipf exponent ζ", lang))
    ax.set_xlabel(_L("年份", "year", lang))
    n = zp.attrs["cities"]
    ax.set_title(_L(f"长三角{n}城人口规模分布（ζ 越小越集中）",
                    f"Size distribution of {n} YRD cities (lower ζ: more concentrated)", lang),
                 loc="left")
    ax.legend(fontsize=7)
    return fig


def literature_table(claim: str = "S2"):
    """The literature helper's table of published estimates, if that module exists (else None)."""
    import importlib
    import importlib.util

    if importlib.util.find_spec("yrdlib.claims.literature") is None:
        return None
    return importlib.import_module("yrdlib.claims.literature").table(claim)
