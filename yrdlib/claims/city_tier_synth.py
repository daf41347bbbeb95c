"""Claim S2.f: the focus city's own estimate around the 2016 city-cluster plan that lists it — a
penalized synthetic control (Abadie & L'Hour 2021) of ln real GDP on a donor pool restricted by
stated rules, with the plain synthetic control and synthetic DiD beside it, placebo-in-space
inference and an in-time (backdated) placebo. Split from :mod:`yrdlib.claims.city_tier`, which
re-exports :func:`s2f_synthetic_control` (its figure, :func:`plot_s2f`, is in
:mod:`yrdlib.figures.city_tier`).

What is estimated: the LEVEL gap of ln real GDP between the focus city and its synthetic control,
averaged over the years after the plan listing — not a growth rate. The first referee round found
the old design overfitted (245 donors for 16 pre-periods, weight on 北京, 东莞, 海口, 克拉玛依; a
hold-out RMSPE as large as the post-period one); hence the rules in :func:`sc_donors`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from yrdlib import cluster_plans, groups, regions, vocab
from yrdlib.claims import cluster_scope, common
from yrdlib.claims.result import Result, evidence_for, not_applicable
from yrdlib.data import panel
from yrdlib.methods.synth import _sdid_estimate, penalized_synth, penalized_weights, simplex_weights

SC_PLAN = "plan2016"
SC_MIN_DONORS = 10
SC_MAX_PRE_RATIO = 5.0
"""Placebos whose pre-period RMSPE exceeds this multiple of the focus city's do not enter the
placebo interval (Abadie, Diamond & Hainmueller 2010: their fit is too poor to say anything)."""
SC_BAND = 0.5
"""Comparable size and income: a donor's 2000–2015 mean ln real GDP per capita and mean ln
resident population must each lie within ± this many log points (a factor of 1.65) of the
focus city's."""
SC_BACKDATE = 2012
"""In-time placebo: the treatment backdated to this year, weights fitted on the years before it,
the years from it to the last pre-plan year held out."""
MUNICIPALITIES = ("110000", "120000", "310000", "500000")
RESOURCE_SECONDARY_MIN = 55.0
RESOURCE_MANUF_MAX = 15.0
"""Resource-city proxy (no list of resource cities is embedded and mining value added is not in
the panel): a secondary-sector share of GDP of at least 55 % (2000–2015 mean) while the 2010
census counts under 15 % of the employed in manufacturing — industry that employs few in
manufacturing is extraction or power (克拉玛依, 大庆, 鄂尔多斯, 榆林, 东营 ...)."""


def _L(zh: str, en: str, lang: str) -> str:
    return vocab.label(zh, en, lang)


def _unit_name(code: str) -> tuple[str, str]:
    r = regions.resolve(code)
    return r.short_zh, r.name_en


def _rmspe(g: np.ndarray) -> float:
    return float(np.sqrt(np.mean(g ** 2)))


def donor_covariates(years: tuple[int, int], pre_end: int) -> pd.DataFrame:
    """Per prefecture: pre-period (``years[0]``..``pre_end``) mean ln real GDP per capita
    (``lpc``), mean ln resident population (``lpop``), mean secondary share of GDP (``sec``) and
    the 2010 census manufacturing share of employment (``manuf2010``)."""
    w = panel.wide(["gdp_pc_real", "pop_resident", "share_secondary"],
                   years=(years[0], pre_end)).reset_index()
    for k in ("gdp_pc_real", "pop_resident"):
        w[k] = np.log(w[k].where(w[k] > 0))
    out = w.groupby("region_code").agg(lpc=("gdp_pc_real", "mean"), lpop=("pop_resident", "mean"),
                                       sec=("share_secondary", "mean"))
    c = panel.wide(["census_manufacturing_share"], years=(2010, 2010)).reset_index()
    out["manuf2010"] = c.set_index("region_code")["census_manufacturing_share"]
    return out


def sc_donors(focus: str, years: tuple[int, int], cov: pd.DataFrame | None = None,
              band: float = SC_BAND,
              cluster: str | None = None) -> tuple[list[str], str, pd.DataFrame]:
    """The S2.f donor pool by stated rules, applied in order; returns (pool, rules in words,
    funnel: rule, donors left). Rules: (1) prefecture-level units other than the focus; (2)
    outside the YRD 41 (沪苏浙皖) and never members of the association; (3) not one of the four
    municipalities (北京 天津 上海 重庆: provincial-level units with their own fiscal and
    administrative standing); (4) no boundary change inside ``years``; (5) not a resource city
    by the proxy ``RESOURCE_*`` (cities without the two figures are kept: the rule cannot judge
    them); (6) comparable size and income: within ± ``band`` of the focus city's pre-period mean
    ln real GDP per capita and ln resident population. A complete outcome path is checked on
    the data by the caller.

    ``cluster`` (another cluster than the YRD): rule (2) becomes "outside the cluster's cities
    and their provinces" (the same logic: no city of the treated group or of its provinces),
    and the pre-period is the years before the cluster plan's approval."""
    cl = cluster_scope.chosen(cluster)
    plan_year = groups.PLAN_YEARS[SC_PLAN] if cl is None else plan_approval_year(cl)
    c = donor_covariates(years, plan_year - 1) if cov is None else cov
    if cl is None:
        ty = groups.treatment_years("association", groups.DEFAULT_TIMING)
        yrd, provs = set(regions.yrd41()), set(common.TREATED_PROVINCES)
        rule_en = "outside the YRD 41 (沪苏浙皖), never association members"
        rule_zh = "长三角 41 城（沪苏浙皖）以外、从未加入协调会"
        rules_en = "outside the YRD 41 and never members of the association"
    else:
        ty = groups.treatment_years(groups.plan_treatment(cl), groups.DEFAULT_TIMING)
        yrd = set(cluster_scope.members(cl))
        provs = {r[:2] for r in yrd}
        pz = "、".join(sorted({regions._province_short(regions.resolve(r).province_zh)
                              for r in yrd}))
        g_zh, g_en = cluster_scope.names(cl)
        rule_en = f"outside the {g_en}'s cities and their provinces ({pz})"
        rule_zh = f"{g_zh}所列城市及其所在省份（{pz}）以外"
        rules_en = rule_en
    brk = {r for r, y in regions.boundary_breaks() if years[0] < y <= years[1]}
    pool = [r for r in groups.prefectures() if r != focus]
    funnel = [("prefecture-level units other than the focus", "焦点城市以外的地级单位", len(pool))]
    pool = [r for r in pool if r not in yrd and r[:2] not in provs
            and pd.isna(ty.get(r, np.nan))]
    funnel.append((rule_en, rule_zh, len(pool)))
    pool = [r for r in pool if r not in MUNICIPALITIES]
    funnel.append(("no municipality (北京 天津 上海 重庆)", "不含直辖市（北京 天津 上海 重庆）", len(pool)))
    pool = [r for r in pool if r not in brk]
    funnel.append((f"no boundary change in {years[0]}–{years[1]}",
                   f"{years[0]}—{years[1]} 年无行政区划调整", len(pool)))
    sec, man = c["sec"].reindex(pool), c["manuf2010"].reindex(pool)
    res = set(sec.index[(sec >= RESOURCE_SECONDARY_MIN) & (man < RESOURCE_MANUF_MAX)])
    pool = [r for r in pool if r not in res]
    funnel.append((f"not a resource city (proxy: secondary share ≥ {RESOURCE_SECONDARY_MIN:g} % "
                   f"with census manufacturing employment < {RESOURCE_MANUF_MAX:g} %)",
                   f"非资源型城市（代理：第二产业占比 ≥ {RESOURCE_SECONDARY_MIN:g}% 且普查制造业"
                   f"就业占比 < {RESOURCE_MANUF_MAX:g}% 者视为资源型）", len(pool)))
    f = c.reindex([focus]).iloc[0]
    d = c.reindex(pool)
    ok = ((d["lpc"] - f["lpc"]).abs() <= band) & ((d["lpop"] - f["lpop"]).abs() <= band)
    pool = list(d.index[ok])
    funnel.append((f"size and income within ±{band:g} log points of the focus city's "
                   f"{years[0]}–{plan_year - 1} mean",
                   f"规模与收入在焦点城市 {years[0]}—{plan_year - 1} 年均值的 ±{band:g} 对数点以内",
                   len(pool)))
    rules = (f"{rules_en}; no municipality; no "
             f"boundary change in {years[0]}–{years[1]}; not a resource city (proxy: secondary "
             f"share ≥ {RESOURCE_SECONDARY_MIN:g} % of GDP with < {RESOURCE_MANUF_MAX:g} % of the "
             "employed in manufacturing, 2010 census; no resource-city list or mining figure is "
             f"embedded); mean ln real GDP per capita and ln resident population {years[0]}–"
             f"{plan_year - 1} within ±{band:g} of the focus city's; a complete outcome path")
    return pool, rules, pd.DataFrame(funnel, columns=["rule", "rule_zh", "donors"])


def plan_approval_year(cluster: str) -> int:
    """The calendar year of the cluster plan's central approval (the S2.f transition year)."""
    d = cluster_plans.plans().set_index("cluster_zh").at[groups.resolve_cluster(cluster),
                                                         "approval_date"]
    return int(pd.Timestamp(d).year)


def synth_focus(wide: pd.DataFrame, focus: str, donors: list[str], pre: list[int],
                post: list[int], transition: list[int] = ()) -> dict:
    """Plain synthetic control of ``focus`` on ``wide`` (cities × years, outcome in logs):
    weights on the ``pre`` years (non-negative, summing to one), ``transition`` years shown but
    used neither for the fit nor for the effect, the effect = mean gap over ``post``.
    Placebo-in-space: every donor as if it were the focus (its pool: the other donors); rank of
    the focus's post/pre RMSPE ratio (1 = largest), p = rank / (donors + 1)."""
    cols = list(pre) + list(transition) + list(post)
    npre, npost = len(pre), len(post)
    y = wide.loc[focus, cols].to_numpy(float)
    X = wide.loc[donors, cols].to_numpy(float).T
    w = simplex_weights(y[:npre], X[:npre])
    gap = y - X @ w
    gaps = np.column_stack([X[:, j] - np.delete(X, j, axis=1) @ simplex_weights(
        X[:npre, j], np.delete(X[:npre], j, axis=1)) for j in range(X.shape[1])])
    return _summarise(y, X, w, gap, gaps, focus, donors, cols, npre, npost, len(transition))


def _summarise(y, X, w, gap, gaps, focus, donors, cols, npre, npost, ntrans) -> dict:
    """Effect, RMSPEs, placebo-in-space ranking and the path of one synthetic control."""
    pre_r, post_r = _rmspe(gap[:npre]), _rmspe(gap[-npost:])
    rows = [(focus, pre_r, post_r, post_r / pre_r, float(gap[-npost:].mean()), True)]
    for j, c in enumerate(donors):
        pr, po = _rmspe(gaps[:npre, j]), _rmspe(gaps[-npost:, j])
        rows.append((c, pr, po, po / pr if pr > 0 else np.inf, float(gaps[-npost:, j].mean()),
                     False))
    pl = pd.DataFrame(rows, columns=["unit", "pre_rmspe", "post_rmspe", "ratio", "att",
                                     "is_focus"])
    pl = pl.sort_values("ratio", ascending=False, ignore_index=True)
    rank = int(pl.index[pl["is_focus"]][0]) + 1
    weights = pd.Series(w, index=donors, name="weight")
    path = pd.DataFrame({"year": cols, "focus": y, "synthetic": X @ w, "gap": gap,
                         "period": ["pre"] * npre + ["transition"] * ntrans + ["post"] * npost})
    return {"att": float(gap[-npost:].mean()), "pre_rmspe": pre_r, "post_rmspe": post_r,
            "ratio": post_r / pre_r if pre_r > 0 else np.inf, "rank": rank,
            "p_value": rank / (len(donors) + 1), "placebos": pl, "path": path,
            "weights": weights[weights > 1e-4].sort_values(ascending=False),
            "n_donors": len(donors), "placebo_gaps": pd.DataFrame(gaps, index=cols,
                                                                  columns=donors)}


def penalized_focus(wide: pd.DataFrame, focus: str, donors: list[str], pre: list[int],
                    post: list[int], transition: list[int] = ()) -> dict:
    """:func:`synth_focus` with the penalized weights of ``methods.synth.penalized_synth`` (the
    penalty chosen by leave-one-out over the donors' ``post`` years); the placebos use the same
    penalty. Adds ``lam`` and ``cv``."""
    cols = list(pre) + list(transition) + list(post)
    npre, npost = len(pre), len(post)
    y = wide.loc[focus, cols].to_numpy(float)
    X = wide.loc[donors, cols].to_numpy(float).T
    post_mask = np.arange(len(cols)) >= len(cols) - npost
    ps = penalized_synth(y, X, npre, post_mask, donors=donors)
    out = _summarise(y, X, ps["weights"].to_numpy(), ps["gap"], ps["placebo_gaps"], focus,
                     donors, cols, npre, npost, len(transition))
    return {**out, "lam": ps["lam"], "cv": ps["cv"]}


def _placebo_interval(sc: dict) -> tuple[float, float, int]:
    """Estimate minus the 97.5/2.5 % quantiles of the well-fitted placebos' effects (pre-RMSPE ≤
    ``SC_MAX_PRE_RATIO`` × the focus city's); NaN with fewer than 19 such placebos."""
    pl = sc["placebos"]
    good = pl[~pl["is_focus"] & (pl["pre_rmspe"] <= SC_MAX_PRE_RATIO * sc["pre_rmspe"])]
    if len(good) < 19:
        return np.nan, np.nan, len(good)
    return (sc["att"] - float(np.quantile(good["att"], 0.975)),
            sc["att"] - float(np.quantile(good["att"], 0.025)), len(good))


def _sdid(wide, focus, donors, pre, post) -> dict:
    """Synthetic DiD (Arkhangelsky et al. 2021) on the same donors, the transition year left
    out; se = sd of the donors' placebo estimates (their Algorithm 4 with one treated unit)."""
    cols = list(pre) + list(post)
    y = wide.loc[focus, cols].to_numpy(float)
    Y0 = wide.loc[donors, cols].to_numpy(float).T
    att = _sdid_estimate(y, Y0, len(pre))[0]
    draws = np.array([_sdid_estimate(Y0[:, j], np.delete(Y0, j, axis=1), len(pre))[0]
                      for j in range(Y0.shape[1])])
    se = float(np.std(draws, ddof=1))
    return {"att": float(att), "se": se, "ci_low": float(att - 1.96 * se),
            "ci_high": float(att + 1.96 * se)}


def in_time_placebo(wide: pd.DataFrame, focus: str, donors: list[str], pre: list[int],
                    backdate: int = SC_BACKDATE) -> dict:
    """Backdate the treatment to ``backdate`` inside the pre-plan years: fit the penalized
    synthetic control on the years before it (penalty chosen the same way), hold out the years
    from it to the last pre-plan year. A real design shows a small pseudo-gap there; ``p`` is the
    focus city's hold-out/fit RMSPE-ratio rank among the donors' own backdated placebos."""
    fit = [y for y in pre if y < backdate]
    hold = [y for y in pre if y >= backdate]
    sc = penalized_focus(wide, focus, donors, fit, hold)
    return {"backdate": backdate, "fit": fit, "hold": hold, "pseudo_gap": sc["att"],
            "fit_rmspe": sc["pre_rmspe"], "holdout_rmspe": sc["post_rmspe"], "rank": sc["rank"],
            "p_value": sc["p_value"], "lam": sc["lam"], "path": sc["path"]}


def s2f_synthetic_control(focus: str, years: tuple[int, int] = (2000, 2022),
                          outcome: str = "gdp_real", plan: str = SC_PLAN,
                          timing: str = groups.DEFAULT_TIMING,
                          min_donors: int = SC_MIN_DONORS, band: float = SC_BAND,
                          cluster: str | None = None) -> Result:
    """S2.f, the focus city's own estimate: the level gap of ln ``outcome`` between the focus city
    and its penalized synthetic control after the 2016 city-cluster plan listed it (mean over the
    first full treated year, 2017 under the default timing, to ``years[1]``). Fit on
    ``years[0]``–2015; 2016 (plan approved in May) is a transition year, used neither for the fit
    nor for the effect. Donors: :func:`sc_donors`. Inference: placebo-in-space (p = rank of the
    post/pre RMSPE ratio / (donors + 1)); the interval is the estimate minus the 97.5/2.5 %
    quantiles of the well-fitted placebos' effects (Conley–Taber style). Gate rows: the placebo
    rank; the in-time placebo (:func:`in_time_placebo`, must not reject at 5 %); the plain
    synthetic control and synthetic DiD on the same donors; without the donor of largest
    weight. Not feasible (focus not in the plan, incomplete pre-period, boundary change, fewer
    than ``min_donors`` donors) → not applicable with the reason.

    ``cluster`` (another cluster than the YRD): the plan is that cluster's — fit on the years
    before its approval year, the approval year a transition year (default timing), the
    effect from the first full year; the in-time placebo backdated as many years before the
    approval as 2012 is before 2016; donors by :func:`sc_donors` with the cluster. Not
    applicable for a focus city outside the cluster or a plan without a central approval."""
    zh, en = _unit_name(focus)
    cl = cluster_scope.chosen(cluster)
    vint = common.data_vintage()
    if cl is not None:
        bad = cluster_scope.scope_check("S2.f", cl, focus)
        if bad is not None:
            return bad
        plan = groups.plan_treatment(cl)
        plan_year = plan_approval_year(cl)
        p_zh, p_en = groups.treatment_phrase(plan)
        plan_zh, plan_en = p_zh.removeprefix("列入"), p_en.removeprefix("Being listed in ")
    else:
        plan_year = groups.PLAN_YEARS[plan]
        plan_zh, plan_en = f"{plan_year} 年城市群规划", f"the {plan_year} city-cluster plan"
    backdate = SC_BACKDATE if cl is None else SC_BACKDATE - groups.PLAN_YEARS[SC_PLAN] + plan_year
    y0, y1 = int(years[0]), int(years[1])
    first = groups.treatment_years(plan, timing).get(focus, np.nan)
    pre = list(range(y0, plan_year))

    def na(reason_zh: str, reason_en: str) -> Result:
        ev = not_applicable("S2.f", reason_zh, reason_en, data_vintage=vint)
        if cl is not None:
            cluster_scope.retitle(ev, cl)
        return Result(ev, data={}, text_zh=reason_zh, text_en=reason_en)

    if pd.isna(first):
        return na(f"{zh}不在 2016 年《长江三角洲城市群发展规划》的 26 城名单中，没有可用的处理时点，"
                  "合成控制设计不适用。",
                  f"{en} is not listed in the 2016 YRD city-cluster plan (26 cities): there is no "
                  "treatment date, so the synthetic-control design does not apply.")
    first = int(first)
    post = list(range(first, y1 + 1))
    transition = list(range(plan_year, first))
    if len(pre) < 8 or len(post) < 3 or backdate - y0 < 6:
        return na(f"{y0}—{y1} 年窗口内处理前年份（{len(pre)}）或处理后年份（{len(post)}）太少，"
                  "合成控制设计不可行（至少需要处理前 8 年、处理后 3 年，回溯安慰剂前 6 年）。",
                  f"The window {y0}–{y1} leaves {len(pre)} pre-plan and {len(post)} post years; "
                  "the design needs at least 8 and 3 (and 6 before the backdated placebo).")
    moved = sorted(y for c, y in regions.boundary_breaks() if c == focus and y0 < y <= y1)
    if moved:
        yb = moved[0]
        return na(f"{zh}的行政区划在 {yb} 年发生变化（并入被撤销的地级单位，或有县级单位划入划出），"
                  "前后的地区生产总值不是同一地域的数值，合成控制设计不可行。",
                  f"{en}'s territory changed in {yb} (it absorbed an abolished prefecture, or a "
                  "county moved in or out): GDP before and after is not for the same area, so "
                  "the design is not feasible.")
    w = panel.wide([outcome], years=(y0, y1)).reset_index()
    wide = w.pivot_table(index="region_code", columns="year", values=outcome)
    wide = wide.reindex(columns=pre + transition + post)
    wide = np.log(wide.where(wide > 0))
    if focus not in wide.index or wide.loc[focus].isna().any():
        miss = ([] if focus not in wide.index else
                [int(c) for c in wide.columns[wide.loc[focus].isna()]])
        return na(f"{zh}的实际地区生产总值在 {y0}—{y1} 年不完整（缺 {miss or '全部年份'}），"
                  "合成控制设计不可行。",
                  f"{en}'s real GDP is incomplete in {y0}–{y1} (missing "
                  f"{miss or 'all years'}): the design is not feasible.")
    cov = donor_covariates((y0, y1), plan_year - 1)
    if focus not in cov.index or cov.loc[focus, ["lpc", "lpop"]].isna().any():
        return na(f"{zh}缺少处理前的人均实际 GDP 或常住人口，无法按规模和收入选择对照城市。",
                  f"{en} has no pre-plan real GDP per capita or resident population: donors "
                  "cannot be chosen by size and income.")
    pool, rules, funnel = sc_donors(focus, (y0, y1), cov, band, cluster=cl)
    complete = [c for c in pool if c in wide.index and wide.loc[c].notna().all()]
    funnel = pd.concat([funnel, pd.DataFrame([{"rule": "a complete outcome path",
                                               "rule_zh": "结果变量序列完整",
                                               "donors": len(complete)}])], ignore_index=True)
    if len(complete) < min_donors:
        return na(f"符合规则的对照城市只有 {len(complete)} 个（少于 {min_donors} 个），"
                  "合成控制设计不可行。",
                  f"Only {len(complete)} donors satisfy the rules (fewer than {min_donors}).")
    sc = penalized_focus(wide, focus, complete, pre, post, transition)
    lo, hi, n_good = _placebo_interval(sc)
    plain = synth_focus(wide, focus, complete, pre, post, transition)
    plo, phi, _ = _placebo_interval(plain)
    sd = _sdid(wide, focus, complete, pre, post)
    itp = in_time_placebo(wide, focus, complete, pre, backdate)
    top = sc["weights"].index[0]
    cols = pre + transition + post
    y = wide.loc[focus, cols].to_numpy(float)
    rest = [c for c in complete if c != top]
    X = wide.loc[rest, cols].to_numpy(float).T
    loo = float((y - X @ penalized_weights(y[:len(pre)], X[:len(pre)], sc["lam"]))[
        -len(post):].mean())
    nm = lambda c: _unit_name(c)[0]  # noqa: E731
    rows = [{"name": "placebo-in-space rank", "kind": "design", "estimate": sc["att"],
             "p_value": sc["p_value"],
             "note": f"rank {sc['rank']} of {sc['n_donors'] + 1} by post/pre RMSPE ratio"},
            {"name": f"in-time placebo (backdated to {backdate})", "kind": "pretrend",
             "estimate": itp["pseudo_gap"], "pretrend_p": itp["p_value"],
             "note": (f"fit {itp['fit'][0]}–{itp['fit'][-1]}, hold-out {itp['hold'][0]}–"
                      f"{itp['hold'][-1]}: pseudo-gap {itp['pseudo_gap']:+.4f}, hold-out RMSPE "
                      f"{itp['holdout_rmspe']:.4f} (fit {itp['fit_rmspe']:.4f}), rank "
                      f"{itp['rank']} of {len(complete) + 1}")},
            {"name": "plain synthetic control (same donors)", "kind": "estimate",
             "estimate": plain["att"], "ci_low": plo, "ci_high": phi,
             "p_value": plain["p_value"],
             "note": f"pre-RMSPE {plain['pre_rmspe']:.4f}; {len(plain['weights'])} donors weighted"},
            {"name": "synthetic DiD (same donors)", "kind": "estimate", "estimate": sd["att"],
             "ci_low": sd["ci_low"], "ci_high": sd["ci_high"],
             "note": f"placebo se {sd['se']:.4f}"},
            {"name": f"without the largest donor ({nm(top)} {top})", "kind": "estimate",
             "estimate": loo, "ci_low": None, "ci_high": None}]
    wt = pd.DataFrame({"penalized": sc["weights"], "plain": plain["weights"]}).fillna(0.0)
    wt = wt.sort_values(["penalized", "plain"], ascending=False)
    wt.insert(0, "city", [f"{nm(c)} {_unit_name(c)[1]}" for c in wt.index])
    ev = evidence_for(
        "S2.f", estimate=sc["att"], ci_low=lo, ci_high=hi, p_value=sc["p_value"],
        n=sc["n_donors"], unit=f"log points (mean level gap of ln {outcome}, {post[0]}–{post[-1]})",
        method=(f"penalized synthetic control (Abadie & L'Hour 2021; penalty λ = {sc['lam']:g} "
                f"chosen by leave-one-out over the donors' post years) of ln {outcome}; fit "
                f"{pre[0]}–{pre[-1]}, transition {transition or 'none'}, effect = mean level gap "
                f"{post[0]}–{post[-1]}; placebo-in-space inference, interval from the {n_good} "
                f"placebos with pre-RMSPE ≤ {SC_MAX_PRE_RATIO:g}× the focus's"),
        sample=(f"{zh} {en} vs {sc['n_donors']} donors (" + " → ".join(
            str(n) for n in funnel["donors"]) + f" by rule: {rules})"),
        data_vintage=vint, sensitivity=rows,
        notes=(f"pre-fit RMSPE {sc['pre_rmspe']:.4f}, post {sc['post_rmspe']:.4f}, ratio "
               f"{sc['ratio']:.2f}, rank {sc['rank']} of {sc['n_donors'] + 1} (p = "
               f"{sc['p_value']:.3f}); in-time placebo {backdate}: hold-out RMSPE "
               f"{itp['holdout_rmspe']:.4f}, pseudo-gap {itp['pseudo_gap']:+.4f}; weights: "
               + "; ".join(f"{nm(c)} {v:.2f}" for c, v in sc["weights"].head(5).items())
               + f". Estimated: the level gap after the {plan_year} plan listing, not a growth "
               "rate."))
    noisy = itp["holdout_rmspe"] >= sc["post_rmspe"]
    cmp_en = (f"The backdated hold-out RMSPE ({itp['holdout_rmspe']:.3f}) is "
              + ("at least as large as" if noisy else "smaller than")
              + f" the post-plan RMSPE ({sc['post_rmspe']:.3f})"
              + (": the post-plan gap is within what the design misses with no treatment at all."
                 if noisy else "."))
    cmp_zh = (f"回溯留出期 RMSPE（{itp['holdout_rmspe']:.3f}）"
              + ("不小于" if noisy else "小于") + f"规划后 RMSPE（{sc['post_rmspe']:.3f}）"
              + ("：规划后的差距没有超出该设计在无处理时的误差。" if noisy else "。"))
    text_en = (f"After {plan_en} listed it, {en}'s ln real GDP is "
               f"{sc['att']:+.3f} from its penalized synthetic control on average in "
               f"{post[0]}–{post[-1]} (a level gap; pre-fit RMSPE {sc['pre_rmspe']:.3f}, "
               f"{sc['n_donors']} donors by stated rules); its post/pre RMSPE ratio ranks "
               f"{sc['rank']} of {sc['n_donors'] + 1} (p = {sc['p_value']:.3f}). Backdated to "
               f"{backdate}, the pseudo-gap is {itp['pseudo_gap']:+.3f} (rank {itp['rank']} of "
               f"{sc['n_donors'] + 1}, p = {itp['p_value']:.3f}). {cmp_en} Plain SC "
               f"{plain['att']:+.3f}, synthetic DiD "
               f"{sd['att']:+.3f}. {ev.reason_en}")
    text_zh = (f"{plan_zh}列名后，{post[0]}—{post[-1]} 年{zh}的 ln 实际 GDP 与惩罚合成对照"
               f"的平均水平差距为 {sc['att']:+.3f}（处理前拟合 RMSPE {sc['pre_rmspe']:.3f}，按既定规则"
               f"选出 {sc['n_donors']} 个对照城市）；处理后/处理前 RMSPE 之比在 {sc['n_donors'] + 1} "
               f"个城市中排第 {sc['rank']} 位（p = {sc['p_value']:.3f}）。处理时点回溯到 "
               f"{backdate} 年时伪差距为 {itp['pseudo_gap']:+.3f}（p = {itp['p_value']:.3f}）。"
               f"{cmp_zh}普通合成控制 {plain['att']:+.3f}，合成双重差分 "
               f"{sd['att']:+.3f}。{ev.reason_zh}")
    if cl is not None:
        cluster_scope.retitle(ev, cl)
    return Result(ev, data={**sc, "plain": plain, "cluster": cl, "plan_year": plan_year,
                            "sdid": sd, "in_time": itp,
                            "leave_one_out": loo, "donor_rules": rules, "funnel": funnel,
                            "weights_table": wt, "focus": focus, "pre": pre, "post": post,
                            "transition": transition, "placebos_used": n_good,
                            "rows": pd.DataFrame(ev.sensitivity)},
                  text_zh=text_zh, text_en=text_en)
