"""Every treated city its own estimate, for every pooled causal test (S1.b, S2.b, S4.b).

The pooled tests (:func:`yrdlib.claims.common.did_test`) give one number for all members. Their
imputation (did2s) design predicts each treated city-year's untreated outcome, so the same fit
gives a city-level effect for every treated city (:mod:`yrdlib.methods.city_effects`, placebo-in-
space intervals by province block). The sample is the test's own main-specification sample,
captured from its hypothesis function (``calibration._main_sample``: the function runs until its
first sample is built, so the outcome, window, scale and timing are the test's and nothing of the
data preparation is repeated here).

The table of all treated cities is computed once per data version and code (:mod:`yrdlib.memo`
keyed by :func:`common.data_key`) and kept in the process, so a focus city only reads its row
(:func:`city_row`). Headline: the mean over all the city's treated years (its weighted mean is the
pooled did2s ATT); beside it the first ``WINDOW`` treated years (horizons comparable across
cohorts). The heterogeneity test (cohort, province, log initial population) is run on both.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from yrdlib import groups, memo, regions
from yrdlib.claims import calibration, cluster_scope, common
from yrdlib.claims.result import Result, evidence_for, not_applicable
from yrdlib.data import panel
from yrdlib.methods import MethodError
from yrdlib.methods import city_effects as m
from yrdlib.methods.city_effects import city_effects as fx
from yrdlib.methods.city_effects import heterogeneity_test

__all__ = ["ALPHA", "CITY_TESTS", "TESTS", "WINDOW", "city_effects", "city_row", "focus_effect",
           "heterogeneity", "long_table", "s1e_focus_effect", "s2h_focus_effect",
           "s4g_focus_effect", "sample"]

TESTS = ("S1.b", "S2.b", "S4.b")
"""The pooled causal tests that get city-level effects (those of :mod:`calibration`)."""
ALPHA = 0.05  # 95 % intervals, as everywhere in the project
WINDOW = 5  # the comparable-horizon variant: first five treated years
HET_DRAWS = 999  # province-block placebo assignments of the heterogeneity test
SIZE_INDICATOR = "pop_resident"  # reported resident population (never the interpolated series)
_MEM: dict = {}


def sample(hid: str, treatment: str = "association") -> pd.DataFrame:
    """The main-specification DiD sample of a pooled test under ``treatment`` (e.g.
    ``plan:成渝城市群``: other plans' cities are controls until their own plan), built by its own
    hypothesis function (:func:`yrdlib.claims.calibration._main_sample`)."""

    if hid not in TESTS:
        raise ValueError(f"hid must be one of {TESTS}, got {hid!r}")
    if treatment == "association":  # the function's default: called exactly as before
        return calibration._main_sample(hid)
    return calibration._main_sample(hid, treatment=treatment)


def _outcome_and_unit(d: pd.DataFrame) -> tuple[str, str]:
    """The test's outcome column and the unit of ``y`` (log points when y = ln outcome)."""
    known = {"region_code", "year", "treat_year", "province", "y"}
    out = next(c for c in d.columns if c not in known and not c.endswith("_flag"))
    x = d[out].astype(float)
    is_log = bool((x > 0).all() and np.allclose(d["y"], np.log(x)))
    return out, ("log points" if is_log else "level (outcome units)")


def initial_size(codes, years: tuple[int, int]) -> pd.Series:
    """ln of each city's reported resident population in the first year of ``years`` that has
    one (gaps stay gaps: a city without any value is left out of the size test)."""
    w = panel.wide([SIZE_INDICATOR], years=years).reset_index()
    w = w[w["region_code"].isin(set(codes)) & (w[SIZE_INDICATOR] > 0)].sort_values("year")
    first = w.groupby("region_code").first()
    s = np.log(first[SIZE_INDICATOR].astype(float))
    s.attrs["years"] = (int(first["year"].min()), int(first["year"].max())) if len(first) else None
    return s


def _names(t: pd.DataFrame) -> pd.DataFrame:
    ref = regions.reference()
    r = ref.reindex(t["region_code"])
    t = t.copy()
    for c in ("short_zh", "name_en", "province_zh", "province_en"):
        t.insert(1 + ("short_zh", "name_en", "province_zh", "province_en").index(c), c,
                 r[c].to_numpy())
    return t.rename(columns={"short_zh": "name_zh"})


def _compute(hid: str, alpha: float, window: int, n_draws: int, seed: int,
             treatment: str = "association") -> dict:
    """The pooled computation of one test: headline and window tables, heterogeneity tests."""

    d = sample(hid, treatment)
    outcome, unit = _outcome_and_unit(d)
    head = fx(d, alpha=alpha)
    win = fx(d, alpha=alpha, window=window)
    size = initial_size(d["region_code"].unique(), (int(d["year"].min()), int(d["year"].max())))
    het = {}
    for label, t in (("all years", head), (f"first {window} years", win)):
        try:
            het[label] = heterogeneity_test(t, size=size, n_draws=n_draws, seed=seed)
        except MethodError as e:
            het[label] = str(e)
    w = win.set_index("region_code")[["n_treated_years", "estimate", "ci_low", "ci_high", "p"]]
    w.columns = [f"{c}_w{window}" for c in w.columns]
    table = _names(head.join(w, on="region_code"))
    table["log_pop0"] = table["region_code"].map(size)
    table.insert(0, "hid", hid)
    return {"hid": hid, "table": table, "heterogeneity": het, "att": head.attrs["att"],
            "placebo": head.attrs["placebo"], "placebo_window": win.attrs["placebo"],
            "notes": head.attrs["notes"], "outcome": outcome, "unit": unit, "alpha": alpha,
            "window": window, "size_years": size.attrs.get("years"),
            "years": (int(d["year"].min()), int(d["year"].max())), "treatment": treatment}


def city_effects(hid: str, alpha: float = ALPHA, window: int = WINDOW, n_draws: int = HET_DRAWS,
                 seed: int = common.SEED, cache: bool = True,
                 treatment: str = "association") -> dict:
    """City-level effects of every treated city for test ``hid``: dict with ``table`` (one row
    per treated city: hid, region_code, name_zh, name_en, province_zh, province_en, province,
    cohort (first treated year), n_treated_years, estimate, ci_low, ci_high, p, se_placebo,
    n_placebo, n_placebo_provinces, pre_sd and the studentized ci_low_stud, ci_high_stud,
    p_stud (shown beside), the same over the first ``window`` years (``*_w5``), log_pop0),
    ``heterogeneity`` ({"all years" | "first 5 years": DataFrame or error}), ``att`` (pooled
    imputation ATT), ``placebo`` draws, ``outcome``, ``unit``, ``notes``, ``treatment``.
    ``treatment``: the test's treatment definition (``plan:<cluster>``: each of that plan's
    cities gets its own effect, the placebo cities being the never- and not-yet-listed ones).
    Computed once per data version, code and treatment (content-addressed cache) and kept in
    the process."""

    args = (hid, float(alpha), int(window), int(n_draws), int(seed))
    if treatment != "association":  # the default's cache key stays what it was
        args = (*args, str(treatment))
    if not cache:
        return _compute(*args)
    key = (*args, common.data_key())
    if key not in _MEM:
        _MEM[key] = memo.call(_compute, *args, data_key=key[-1],
                              deps=(m.city_effects, panel.wide, groups.did_sample))
    return _MEM[key]


def city_row(hid: str, city: str, treatment: str = "association", **kw) -> dict:
    """One city's row of :func:`city_effects` (``status`` "treated"), or why it has none:
    "never treated" (a control city of the test), "no pre-period or dropped" (a member not among
    the estimated cities: a 1997 founder such as 宁波 or 上海 has no year before joining, or too few
    observations), "not in the sample"."""
    code = regions.resolve(city).code
    res = city_effects(hid, treatment=treatment, **kw)
    t = res["table"]
    hit = t[t["region_code"] == code]
    if len(hit):
        return {"status": "treated", "unit": res["unit"], **hit.iloc[0].to_dict()}
    joined = groups.treatment_years(treatment)
    status = ("never treated" if code in set(res["placebo"]["region_code"]) else
              "no pre-period or dropped" if pd.notna(joined.get(code)) else "not in the sample")
    return {"status": status, "hid": hid, "region_code": code, "unit": res["unit"]}


def heterogeneity(hid: str, window: bool = False, **kw):
    """The heterogeneity test of test ``hid`` (DataFrame: factor, F, df, n_cities, p,
    p_independent, n_draws; or the error text): on all treated years, or with ``window`` on the
    first ``WINDOW`` (horizons comparable across cohorts, the better reading of "by cohort")."""
    res = city_effects(hid, **kw)
    return res["heterogeneity"][f"first {res['window']} years" if window else "all years"]


def long_table(tests=TESTS, **kw) -> pd.DataFrame:
    """City × test rows of every pooled test (for evidence.csv and the city × hypothesis
    matrix)."""
    return pd.concat([city_effects(h, **kw)["table"] for h in tests], ignore_index=True)


CITY_TESTS = {"S1.b": "S1.e", "S2.b": "S2.h", "S4.b": "S4.g"}
"""Each pooled causal test and the registry hypothesis of the focus city's own effect."""
_STATUS_ZH = {"never treated": "从未加入（是该检验的对照城市）",
              "no pre-period or dropped": "没有加入前的年份（如 1997 年创始成员）或观测太少",
              "not in the sample": "不在该检验的样本中"}
_PLAN_STATUS_ZH = {"never treated": "未列入该规划（是该检验的对照城市）",
                   "no pre-period or dropped": "没有列入规划前的年份或观测太少",
                   "not in the sample": "不在该检验的样本中"}


def focus_effect(pooled: str, focus: str, treatment: str = "association") -> Result:
    """The focus city's own effect of joining for pooled test ``pooled`` (S1.b, S2.b or S4.b),
    recorded as that test's city-level hypothesis (:data:`CITY_TESTS`): the city's mean effect
    over its treated years with its placebo-in-space interval and p. A focus city without an
    estimate (a control city, a 1997 founder without a pre-period) gets "not applicable" with the
    reason. ``data`` carries every treated city's row (``table``) for the ranked plot and map.

    ``treatment``: the pooled test's treatment; ``plan:成渝城市群`` gives the focus city's own
    effect of being listed in that plan (a city outside it is a control: not applicable; a plan
    without a central approval date: not applicable), titles naming the plan."""
    hid = CITY_TESTS[pooled]
    plan = groups.plan_of(treatment) if groups.is_plan_treatment(treatment) else None
    if plan is not None:  # no approved plan, a city outside it or listed first by another plan
        na = cluster_scope.scope_check(hid, plan, focus)
        if na is not None:
            return na
    res = city_effects(pooled, treatment=treatment)
    row = city_row(pooled, focus, treatment=treatment)
    code = row["region_code"]
    name = regions.resolve(code)
    data = {"table": res["table"], "res": res, "row": row,
            "heterogeneity": res["heterogeneity"], "treatment": treatment}
    if row["status"] != "treated":
        why = row["status"]
        if plan is not None:
            ev = not_applicable(
                hid, f"{name.short_zh}没有城市层面的估计：{_PLAN_STATUS_ZH[why]}。",
                f"{name.name_en} has no city-level estimate: "
                + ("not listed in the plan (a control city of the test)"
                   if why == "never treated" else why) + ".")
            return Result(cluster_scope.retitle(ev, plan), data=data,
                          text_zh=ev.scope_note_zh, text_en=ev.scope_note_en)
        return Result(not_applicable(
            hid, f"{name.short_zh}没有城市层面的估计：{_STATUS_ZH[why]}。",
            f"{name.name_en} has no city-level estimate: {why} (e.g. a 1997 founder, who joined "
            "before the panel starts)." if why == "no pre-period or dropped" else
            f"{name.name_en} has no city-level estimate: {why}."), data=data)
    w = res["window"]
    rows = [
        {"name": f"first {w} treated years", "kind": "estimate", "binding": False,
         "estimate": row[f"estimate_w{w}"], "ci_low": row[f"ci_low_w{w}"],
         "ci_high": row[f"ci_high_w{w}"], "p_value": row[f"p_w{w}"]},
        {"name": "studentized placebo interval", "kind": "estimate", "binding": False,
         "estimate": row["estimate"], "ci_low": row["ci_low_stud"],
         "ci_high": row["ci_high_stud"], "p_value": row["p_stud"]},
    ]
    rank = int((res["table"]["estimate"] > row["estimate"]).sum()) + 1
    n = len(res["table"])
    ev = evidence_for(
        hid, estimate=row["estimate"], ci_low=row["ci_low"], ci_high=row["ci_high"],
        p_value=row["p"], n=int(row["n_placebo"]), unit=res["unit"],
        method=(f"city-level effect from {pooled}'s imputation (did2s) fit: mean of actual minus "
                "predicted untreated outcome over the city's treated years; placebo in space by "
                "province block"),
        sample=(f"{name.name_en}, {'joined' if plan is None else 'first treated year'} "
                f"{int(row['cohort'])}, {int(row['n_treated_years'])} "
                f"treated years; {int(row['n_placebo'])} placebo cities in "
                f"{int(row['n_placebo_provinces'])} provinces; rank {rank} of {n} treated cities"
                + ("" if plan is None else f" of the {cluster_scope.names(plan)[1]} plan")),
        inference=("placebo in space (never-treated cities by province block, same joining year)"
                   if plan is None else "placebo in space (cities not (yet) listed in the plan, "
                   "by province block, same first treated year)"),
        interval_en="95% placebo-in-space interval", interval_zh="95% 空间安慰剂区间",
        data_vintage=common.data_vintage(), sensitivity=rows)
    if plan is not None:
        cluster_scope.retitle(ev, plan)
    data["rank"] = (rank, n)
    zh = (f"{name.short_zh}自身的效应：{row['estimate']:+.3g}（95% 空间安慰剂区间 "
          f"[{row['ci_low']:.3g}, {row['ci_high']:.3g}]，p = {common._fmt_p(row['p'])}），"
          f"在 {n} 个处理城市中排第 {rank}；汇总效应 {res['att']:+.3g}。")
    en = (f"{name.name_en}'s own effect: {row['estimate']:+.3g} (95% placebo-in-space interval "
          f"[{row['ci_low']:.3g}, {row['ci_high']:.3g}], p = {common._fmt_p(row['p'])}), rank "
          f"{rank} of {n} treated cities; pooled effect {res['att']:+.3g}.")
    return Result(ev, data=data, text_zh=zh, text_en=en)


def s1e_focus_effect(focus: str, treatment: str = "association") -> Result:
    """S1.e: the focus city's own effect on ln FDI/GDP (from S1.b's design)."""
    return focus_effect("S1.b", focus, treatment)


def s2h_focus_effect(focus: str, treatment: str = "association") -> Result:
    """S2.h: the focus city's own effect on ln real GDP (from S2.b's design)."""
    return focus_effect("S2.b", focus, treatment)


def s4g_focus_effect(focus: str, treatment: str = "association") -> Result:
    """S4.g: the focus city's own effect on the tertiary share (from S4.b's design)."""
    return focus_effect("S4.b", focus, treatment)


def city_table(pooled: str, treatment: str = "association") -> pd.DataFrame:
    """Every treated city's effect for test ``pooled``, ranked (the report's downloadable table):
    name, province, joining year, treated years, effect with its placebo interval and p, the
    first-``WINDOW``-years effect."""
    res = city_effects(pooled, treatment=treatment)
    w = res["window"]
    cols = ["region_code", "name_zh", "name_en", "province_zh", "cohort", "n_treated_years",
            "estimate", "ci_low", "ci_high", "p", f"estimate_w{w}", f"p_w{w}", "n_placebo"]
    return (res["table"][cols].sort_values("estimate", ascending=False)
            .reset_index(drop=True))
