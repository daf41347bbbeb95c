"""Claim S2 (促进城市能级裂变攀升, city tier): one function per hypothesis (names as in
``yrdlib/claims/registry/s2.yml``), each returning a :class:`~yrdlib.claims.result.Result`; the
figure for each (``plot_s2a`` … ``plot_s2f``) is in :mod:`yrdlib.figures.city_tier`, so that
``notebooks/s2_city_tier.ipynb`` only calls.

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
from yrdlib.claims import cluster_scope, common
from yrdlib.claims.city_tier_ranks import (  # noqa: F401 - re-exported: callers keep city_tier.<name>
    CLUSTER_EN,
    INDEX_DIMENSIONS,
    INDEX_INDICATORS,
    MIGRATION_STATS,
    YRD_CLUSTER,
    _cluster_zh,
    census_frame,
    census_zipf,
    cluster_en,
    energy_index,
    index_data,
    metro_ranks,
    migration_by_cluster,
    rank_change,
    ranking_robustness,
    zeta_rows,
    zipf_change_placebo,
    zipf_path,
)
from yrdlib.claims.city_tier_synth import (  # noqa: F401  (S2.f lives there; re-exported)
    s2f_synthetic_control,
    sc_donors,
    synth_focus,
)
from yrdlib.claims.result import Result, evidence_for, not_applicable
from yrdlib.data import panel
from yrdlib.methods import MethodError, zipf_exponent

S2A_STATISTIC = "net_inflow_2010"


# ----------------------------------------------------------------------------- S2.e Zipf


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


# ============================================================================ S2.c convergence

def _growth_frame(values: pd.DataFrame, value: str, start: int, end: int) -> pd.DataFrame:
    """Mean annual log growth from ``start`` to ``end`` and the initial log level, per city;
    without the cities whose territory changed in between (growth across it is not
    like-for-like: :func:`regions.territory_stable`)."""
    d = values.reset_index()
    d = d[d["region_code"].isin(regions.territory_stable(d["region_code"].unique(), start, end))]
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
                    breaks=(2010, 2016), cluster: str | None = None) -> Result:
    """S2.c: does the YRD converge FASTER than the rest of China? Test statistic: the difference
    in cross-section β (growth of real GDP per capita on its initial log level, ``years``) between
    the 41 YRD cities and all other prefectures, from one pooled regression with a YRD interaction
    (HC3 errors; expected "−"). Gate rows: province-clustered errors; non-members from the
    neighbouring provinces only. ``data['windows']``: the same for the whole window and before /
    from each break year (description); ``data['sigma']``: σ (s.d. of log level) per year, YRD and
    non-members, on a balanced panel.

    ``cluster`` (another cluster than the YRD): the members are the cities its plan lists, the
    near-controls gate row takes the non-members of the cluster's own provinces (no province
    adjacency is embedded; not estimable with fewer than 5, and then it does not agree), the
    default break is the plan's approval year. Not applicable for a plan without a central
    approval date or with fewer than 5 members with data."""
    y0, y1 = int(years[0]), int(years[1])
    cl = cluster_scope.chosen(cluster)
    if cl is not None:
        bad = cluster_scope.scope_check("S2.c", cl)
        if bad is not None:
            return bad
        if tuple(breaks) == (2010, 2016):  # the YRD's plan years: the cluster's plan instead
            breaks = (int(groups.plan_assignment().loc[cluster_scope.members(cl), "approval_date"]
                          .min().year),)
    w = panel.wide([value], years=(y0, y1))
    yrd = regions.yrd41() if cl is None else cluster_scope.members(cl)
    others = [c for c in groups.prefectures() if c not in set(yrd)]
    f = _growth_frame(w, value, y0, y1)
    f = f[f.index.isin(yrd + others)]
    if cl is not None and int(f.index.isin(yrd).sum()) < 5:
        return cluster_scope.too_few("S2.c", cl, int(f.index.isin(yrd).sum()), 5,
                                     f" {y0} 年和 {y1} 年人均实际 GDP ",
                                     f"real GDP per capita in {y0} and {y1}")
    main = beta_difference(f, yrd, "HC3")
    prov = beta_difference(f, yrd, "province")
    if cl is None:
        nb = f[f["province"].isin(common.TREATED_PROVINCES + common.NEIGHBOUR_PROVINCES)]
        near_name, near_where = "neighbouring-province non-members", "闽赣鲁豫鄂"
    else:
        provs = {c[:2] for c in yrd}
        nb = f[f["province"].isin(provs)]
        near_name = "same-province non-members"
        near_where = "、".join(sorted({regions._province_short(regions.resolve(c).province_zh)
                                       for c in yrd}))
    try:
        near = beta_difference(nb, yrd, "HC3")
    except MethodError as e:  # too few near non-members: the check cannot agree
        near = {"diff": np.nan, "ci_low": np.nan, "ci_high": np.nan, "p_value": np.nan,
                "n_non": int((~nb.index.isin(yrd)).sum()), "error": str(e)}
    rows = [{"name": "province-clustered SE", "kind": "estimate", "estimate": prov["diff"],
             "ci_low": prov["ci_low"], "ci_high": prov["ci_high"], "p_value": prov["p_value"]},
            {"name": near_name, "kind": "estimate",
             "estimate": near["diff"], "ci_low": near["ci_low"], "ci_high": near["ci_high"],
             "p_value": near["p_value"], "note": f"{near['n_non']} non-members in {near_where}"
             + (f" ({near['error']})" if "error" in near else "")}]
    win = [("all", y0, y1)]
    for b in breaks:
        if y0 < b - 2 and b + 2 < y1:
            win += [(f"before {b}", y0, b - 1), (f"from {b}", b, y1)]
    win_zh = {"all": "全部年份", **{f"before {b}": f"{b} 年以前" for b in breaks},
              **{f"from {b}": f"{b} 年起" for b in breaks}}
    wt = []
    for lab, s, e in win:
        try:
            r = beta_difference(_growth_frame(w, value, s, e).loc[lambda x: x.index.isin(
                yrd + others)], yrd)
            wt.append({"window": lab, "window_zh": win_zh[lab], "start": s, "end": e,
                       **{k: v for k, v in r.items() if not k.endswith("_ci")},
                       "beta_yrd_ci": r["beta_yrd_ci"], "beta_non_ci": r["beta_non_ci"]})
        except MethodError as ex:
            wt.append({"window": lab, "window_zh": win_zh[lab], "start": s, "end": e, "note": str(ex)})
    lv = w.reset_index().dropna(subset=[value])
    lv = lv[lv["region_code"].isin(yrd + others) & (lv[value] > 0)]
    cnt = lv.groupby("region_code")["year"].nunique()
    bal = lv[lv["region_code"].isin(cnt.index[cnt == cnt.max()])].copy()
    bal["group"] = np.where(bal["region_code"].isin(yrd), "YRD", "non-members")  # YRD: members
    bal["ly"] = np.log(bal[value].astype(float))
    sigma = bal.groupby(["year", "group"])["ly"].std().unstack()
    note = panel.sample_note(w.attrs["excluded"]) if "excluded" in w.attrs else {}
    g_zh, g_en = ("长三角", "YRD") if cl is None else cluster_scope.names(cl)
    ev = evidence_for(
        "S2.c", estimate=main["diff"], ci_low=main["ci_low"], ci_high=main["ci_high"],
        p_value=main["p_value"], n=main["n_yrd"] + main["n_non"],
        unit="difference in β (YRD − non-members)" if cl is None else
        "difference in β (members − non-members)",
        method=("pooled cross-section β-convergence with a YRD interaction, OLS with HC3 errors "
                "(Barro & Sala-i-Martin); gate: province-clustered errors, neighbouring-province "
                "non-members") if cl is None else
        (f"pooled cross-section β-convergence with a {g_en} membership interaction, OLS with "
         "HC3 errors (Barro & Sala-i-Martin); gate: province-clustered errors, non-members of "
         "the cluster's own provinces"),
        sample=(f"{main['n_yrd']} YRD cities and {main['n_non']} other prefectures with {value} "
                f"in {y0} and {y1}") if cl is None else
        (f"{cluster_scope.group_label(cl, main['n_yrd'])[1]} and {main['n_non']} other "
         f"prefectures with {value} in {y0} and {y1}"),
        data_vintage=common.data_vintage(), sensitivity=rows,
        notes=(f"β YRD {main['beta_yrd']:.4f} [{main['beta_yrd_ci'][0]:.4f}, "
               f"{main['beta_yrd_ci'][1]:.4f}]; β non-members {main['beta_non']:.4f} "
               f"[{main['beta_non_ci'][0]:.4f}, {main['beta_non_ci'][1]:.4f}]"),
        sample_note_zh=note.get("zh", ""), sample_note_en=note.get("en", ""))
    if cl is not None:
        cluster_scope.retitle(ev, cl)
    ev_ = ev
    text_en = (f"{y0}–{y1}: β = {main['beta_yrd']:.4f} in the {g_en} and {main['beta_non']:.4f} "
               f"elsewhere; difference {main['diff']:+.4f} [{main['ci_low']:+.4f}, "
               f"{main['ci_high']:+.4f}]. {ev_.reason_en} Convergence that is as fast outside "
               f"the {g_en} is not evidence that integration caused it.")
    text_zh = (f"{y0}—{y1} 年：{g_zh} β = {main['beta_yrd']:.4f}，非成员 β = "
               f"{main['beta_non']:.4f}；差值 {main['diff']:+.4f} [{main['ci_low']:+.4f}, "
               f"{main['ci_high']:+.4f}]。{ev_.reason_zh}若{g_zh}以外收敛同样快，收敛就不能归因于一体化。")
    return Result(ev, data={"main": main, "windows": pd.DataFrame(wt), "sigma": sigma,
                            "frame": f.assign(yrd=f.index.isin(yrd)), "years": (y0, y1),
                            "rows": pd.DataFrame(ev.sensitivity), "cluster": cl,
                            "group_label": (g_zh, g_en)},
                  text_zh=text_zh, text_en=text_en)


# ============================================================================ S2.d energy rank

RANK_BAND = (0.025, 0.975)
"""S2.d's band: the 2.5–97.5% range of the focus city's rank change over random weight draws —
a range over weight draws, not a confidence interval (no sampling error in it)."""
RANGE_EN = "2.5–97.5% range over weight draws"
RANGE_ZH = "权重抽样 2.5%—97.5% 范围"
RANK_DRAWS = 1000


def s2d_energy_rank(focus: str, years: tuple[int, int] = (2000, 2022), start: str = "join",
                    band: tuple[float, float] = RANK_BAND, n_draws: int = RANK_DRAWS,
                    treatment: str = "association", seed: int = 0,
                    cluster: str | None = None) -> Result:
    """S2.d: the focus city's rank change among the 41 YRD cities on an entropy-weighted index
    (six indicators, years in which ≥ 90% of the 41 are complete).

    Verdict-deciding choices, fixed here (not in the notebook): the change runs from ``start`` —
    ``"join"`` (default): the focus city's first treated year under ``treatment`` and the
    default timing if it is an index year, else the first index year; ``"first"``: the first
    index year — to the last index year; positive = climbed. The interval is the ``band``
    quantiles (default 2.5–97.5%) of the same paired change under ``n_draws`` (1,000)
    Dirichlet(1) indicator weights: weight uncertainty, not sampling error. A focus city outside
    the 41 → not applicable (never dropped silently).

    ``cluster`` (another cluster than the YRD): the rank is among the cities its plan lists,
    "join" is the plan's first treated year; not applicable for a focus city outside it, a plan
    without a central approval date or fewer than 5 member cities with the six indicators."""
    cl = cluster_scope.chosen(cluster)
    if cl is None and focus not in set(regions.yrd41()):
        return _outside_yrd("S2.d", focus, "长三角 41 城内部的能级排名",
                            "a rank among the 41 YRD cities")
    if start not in ("join", "first"):
        raise ValueError(f"start must be 'join' or 'first', not {start!r}")
    codes = regions.yrd41()
    if cl is not None:
        bad = cluster_scope.scope_check("S2.d", cl, focus)
        if bad is not None:
            return bad
        treatment, codes = groups.plan_treatment(cl), cluster_scope.members(cl)
        try:
            idx, cov = index_data(codes, tuple(years))
        except MethodError:
            idx = pd.DataFrame(columns=["region_code", "year"])
        n_ok = int(idx.groupby("year")["region_code"].nunique().min()) if len(idx) else 0
        if n_ok < 5:
            return cluster_scope.too_few("S2.d", cl, n_ok, 5, "六项能级指标齐全的",
                                         "all six city-tier indicators")
    else:
        idx, cov = index_data(codes, tuple(years))
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
    moved = set(idx["region_code"]) - set(regions.territory_stable(idx["region_code"].unique(), y0, y1))
    if focus in moved:  # its own territory changed: a rank change would compare two areas
        zh, en = _unit_name(focus)
        why = (f"{zh}的辖区在 {y0}—{y1} 年间变化，两年的排名不是同一地域的比较。",
               f"{en}'s territory changed between {y0} and {y1}: the two ranks would compare "
               "different areas.")
        return Result(not_applicable("S2.d", *why), data={"ranks": ranks})
    rc = rank_change(idx[~idx["region_code"].isin(moved)], focus, y0, y1, n_draws=n_draws, seed=seed)
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
        sample=(f"YRD 41, {y0} vs {y1}" if cl is None else
                f"{cluster_scope.group_label(cl)[1]}, {y0} vs {y1}"),
        data_vintage=common.data_vintage(),
        interval_en=RANGE_EN, interval_zh=RANGE_ZH,
        notes=("The interval is a range over weight draws, not a confidence interval: it "
               "reflects the choice of weights, not sampling error. Fixed-weight ranks: "
               + "; ".join(f"{w}: {r.iloc[0]}→{r.iloc[1]}" for w, r in rc["fixed"].iterrows())))
    data = {"ranks": ranks, "coverage": cov, "weights": weights, "rank_change": rc,
            "scores": scores["entropy"], "y0": y0, "y1": y1, "focus": focus,
            "left_out": sorted(moved)}  # territory changed in between: not in the rank change
    if cl is None and focus in groups.NINGBO_METRO:
        data["metro_ranks"] = metro_ranks(scores["entropy"])
    if cl is not None:
        cluster_scope.retitle(ev, cl)
        data["cluster"] = cl
    text_en = (f"Entropy-weight rank of {en}: {rc['rank_y0']} in {y0} → {rc['rank_y1']} in {y1} "
               f"(change {rc['change']:+.0f}); its {RANGE_EN} is [{lo:+.0f}, {hi:+.0f}] (not a "
               f"confidence interval), a climb in {rc['share_improved']:.0%} of draws.")
    text_zh = (f"{zh}的熵权能级排名：{y0} 年第 {rc['rank_y0']} 位 → {y1} 年第 {rc['rank_y1']} 位"
               f"（变化 {rc['change']:+.0f}）；{RANGE_ZH}为 [{lo:+.0f}, {hi:+.0f}]（不是置信区间），"
               f"{rc['share_improved']:.0%} 的抽样为上升。")
    return Result(ev, data=data, text_zh=text_zh, text_en=text_en)


# ============================================================================ S2.e Zipf

def paired_zipf_change(values: pd.DataFrame, value: str, codes, y0: int, y1: int,
                       n_boot: int = 999, seed: int = 0, alpha: float = 0.05) -> dict:
    """ζ(y1) − ζ(y0) (Gabaix–Ibragimov) for the cities with ``value`` in both years, with a PAIRED
    bootstrap: resample cities with replacement and recompute both years' ζ on the same draw, so
    the interval reflects that the two exponents share their cities (independent SEs would treat
    them as two samples and overstate the uncertainty of the change). Percentile interval;
    two-sided p from the bootstrap distribution's mass on the other side of 0."""

    d = values.reset_index()
    d = d[d["region_code"].isin(list(codes))]
    w = d.pivot_table(index="region_code", columns="year", values=value)[[y0, y1]].dropna()
    w = w[(w > 0).all(axis=1)]
    if len(w) < 10:
        raise MethodError(f"only {len(w)} cities with {value} in {y0} and {y1}; need >= 10")
    a, b = zipf_exponent(w[y0]), zipf_exponent(w[y1])

    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(w), size=(n_boot, len(w)))
    v0, v1 = w[y0].to_numpy(float), w[y1].to_numpy(float)
    diffs = zeta_rows(v1[idx]) - zeta_rows(v0[idx])
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


ZIPF_SMALL = 30
"""Fewer cities than this: the text says that ζ rests on few cities (its Gabaix–Ibragimov
standard error is about ζ·√(2/n), a third of ζ with 16 cities)."""


def s2e_zipf(years: tuple[int, int] = (2000, 2022), value: str = "pop_resident",
             n_boot: int = 999, seed: int = 0, cluster: str | None = None) -> Result:
    """S2.e: the change in the Zipf exponent ζ of the 41 YRD cities' resident population between
    the first and last year in which ≥ 95% of them report (a fixed set of cities), with a paired
    bootstrap interval (:func:`paired_zipf_change`); expected "−" (concentration). The census
    exponents 2010 and 2020 and the independent-SE interval are shown beside it.

    ``cluster`` (another cluster than the YRD): the sizes of the cities its plan lists, from the
    plan's last untreated year on (:func:`cluster_scope.baseline_year`: a change since 2000 would
    mostly predate a 2016–2019 plan); the text says so when they are fewer than
    :data:`ZIPF_SMALL`; not applicable for a plan without a central approval date or fewer than
    10 member cities reporting in two years."""
    cl = cluster_scope.chosen(cluster)
    yrd = regions.yrd41()
    if cl is not None:
        bad = cluster_scope.scope_check("S2.e", cl)
        if bad is not None:
            return bad
        yrd = cluster_scope.members(cl)
        years = (max(int(years[0]), cluster_scope.baseline_year(cl)), int(years[1]))
    moved = sorted(set(yrd) - set(regions.territory_stable(yrd, int(years[0]), int(years[1]))))
    yrd = [c for c in yrd if c not in moved]  # a territory change moves a city's size by itself
    w = panel.wide([value], years=tuple(years))
    try:
        zp = zipf_path(w, value, yrd)
        y0, y1 = int(zp["year"].min()), int(zp["year"].max())
        zc = paired_zipf_change(w, value, yrd, y0, y1, n_boot=n_boot, seed=seed)
    except MethodError:
        if cl is None:
            raise
        n = int(w.reset_index().query("region_code in @yrd").dropna(subset=[value])
                .groupby("year")["region_code"].nunique().max() or 0)
        return cluster_scope.too_few("S2.e", cl, n, 10, "连续两年以上常住人口",
                                     "a resident population in two or more years")
    cz = census_zipf(yrd)
    pl = zipf_change_placebo(w, value, yrd, y0, y1, seed=seed)
    q_lo, q_mid, q_hi = np.quantile(pl["placebo"], [0.025, 0.5, 0.975])
    rows = [{"name": f"random non-member sets of {pl['n_members']} cities", "kind": "design",
             "estimate": pl["members"] - q_mid, "ci_low": pl["members"] - q_hi,
             "ci_high": pl["members"] - q_lo,
             "p_value": min(1.0, 2 * min(pl["share_at_or_below"], 1 - pl["share_at_or_below"])),
             "note": (f"members' change {pl['members']:+.3f} against {len(pl['placebo'])} random "
                      f"sets drawn from {pl['n_pool']} non-member prefectures (median "
                      f"{q_mid:+.3f}, 95 % range {q_lo:+.3f} to {q_hi:+.3f}); p: twice the smaller share "
                      "of sets below or above the members' change, two-sided")}]
    ratio = (zc["independent_ci"][1] - zc["independent_ci"][0]) / (zc["ci_high"] - zc["ci_low"])
    ev = evidence_for(
        "S2.e", estimate=zc["estimate"], ci_low=zc["ci_low"], ci_high=zc["ci_high"],
        p_value=zc["p_value"], n=zc["n"], unit="change in ζ",
        method=(f"Gabaix–Ibragimov rank−½ regression; paired bootstrap of the change "
                f"({zc['n_boot']} draws of cities, both years together, percentile interval)"),
        sample=(f"{zc['n']} YRD cities (of 41; territory changed: {len(moved)}), {y0} vs {y1}"
                if cl is None else
                f"{cluster_scope.group_label(cl, zc['n'])[1]}, {y0} vs {y1}"),
        data_vintage=common.data_vintage(), sensitivity=rows,
        notes=(f"ζ {zc['zeta_y0']:.3f} ({y0}) → {zc['zeta_y1']:.3f} ({y1}); interval with "
               f"independent SEs [{zc['independent_ci'][0]:+.3f}, {zc['independent_ci'][1]:+.3f}]"
               f" ({ratio:.1f}× wider); census ζ 2010 {cz['exponent'].iloc[0]:.3f}, 2020 "
               f"{cz['exponent'].iloc[1]:.3f}; ζ of {zc['n']} prefectures "
               "says nothing direct about metropolitan-area integration"
               + (f"; left out, territory changed inside {years[0]}–{years[1]}: "
                  f"{', '.join(regions.resolve(c).short_zh for c in moved)}" if moved else "")))
    text_en = (f"ζ = {zc['zeta_y0']:.3f} in {y0} and {zc['zeta_y1']:.3f} in {y1} (change "
               f"{zc['estimate']:+.3f}, paired-bootstrap 95% interval {zc['ci_low']:+.3f} to "
               f"{zc['ci_high']:+.3f}, {ratio:.1f}× narrower than with independent SEs). "
               f"Years left out (< 95% of cities reporting): {zp.attrs['years_dropped'] or 'none'}.")
    text_zh = (f"齐普夫指数 {y0} 年 {zc['zeta_y0']:.3f}，{y1} 年 {zc['zeta_y1']:.3f}（变化 "
               f"{zc['estimate']:+.3f}，配对自助法 95% 区间 {zc['ci_low']:+.3f} 至 "
               f"{zc['ci_high']:+.3f}，比按独立标准误计算窄 {ratio:.1f} 倍）。")
    if cl is not None:
        cluster_scope.retitle(ev, cl)
        g_zh, g_en = cluster_scope.names(cl)
        text_zh = (f"{g_zh} {zc['n']} 个城市，从规划实施前最后一年（{years[0]} 年）算起：" + text_zh)
        text_en = (f"The {zc['n']} cities of the {g_en}, from the plan's last untreated year "
                   f"({years[0]}): " + text_en)
        if zc["n"] < ZIPF_SMALL:
            rel = float(np.sqrt(2 / zc["n"]))
            text_zh += (f"城市只有 {zc['n']} 个，指数依据的点很少（其标准误约为指数的 {rel:.0%}），"
                        "区间据此较宽。")
            text_en += (f" With only {zc['n']} cities ζ rests on few points (its standard error is "
                        f"about {rel:.0%} of ζ), hence the width of the interval.")
    return Result(ev, data={"path": zp, "change": zc, "census": cz, "width_ratio": ratio,
                            "cluster": cl}, text_zh=text_zh, text_en=text_en)
