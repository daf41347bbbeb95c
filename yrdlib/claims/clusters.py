"""China's city-cluster plans (城市群发展规划) as one staggered design (issue #23).

The YRD joined in four province blocks, so design-based inference on it has little power. The
national cluster plans were approved between 2015 and 2019 and list cities in some twenty
provinces: pooled, they answer the article's general claim ("joining a cluster helps") with
many more treated blocks. This module builds that design from two raw extracts — the
memberships (``yrd_reference/city_clusters.csv``, via :func:`yrdlib.groups.clusters`) and the
approval dates (``cluster_plans/cluster_plans.csv``, one cited row per plan) — and runs each
pooled causal test (S1.b, S2.b, S4.b) on it with the project's sample building
(:func:`yrdlib.claims.common.did_data`), estimator (did2s imputation), design-based inference
and verdict rule (:func:`yrdlib.evidence.judge`).

Stated rules (docs/methods.md, "All city clusters"):

* **event** — the central approval of a plan (``approval_date``; the SOURCE.yml says which
  date each row gives). Only plans with a central approval enter; a city listed only in a
  provincial or unapproved plan (山东半岛, 辽中南, 海峡西岸) is left out of the sample — it is
  neither cleanly treated nor cleanly untreated (sensitivity: kept as a control).
* **cohort** — the first full calendar year after approval (the project's default timing);
  ``timing="half_year"``: the approval year when approved January–June, else the next year.
* **cities in several plans** — the earliest approval sets the city's treatment year and its
  plan (邯郸 and 邢台: 京津冀 before 中原; 运城: 中原 before 关中平原).
* **partial listings** ("part of" a city) — treated, flagged; a binding sample variant drops
  them. County-level members and Hong Kong/Macao are not panel units and are not placed.
* **inference** — randomization inference over **province** blocks (headline): outcome shocks
  and reporting breaks are province-wide (statistics bureaus, the FDI breaks the data layer
  flags), so whole provinces move together in every placebo draw, and provinces are the level
  at which the project's verdict rule already asks for design-based inference. Plans cross
  provinces and provinces hold several plans, so neither nests the other; permuting **plan**
  blocks (each plan's cities a block, untreated cities in province blocks) and permuting only
  the **dates** across plans (the treated set fixed: timing as good as random) are shown.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from yrdlib import cluster_plans, groups, memo
from yrdlib.claims import common, registry
from yrdlib.claims.result import Result, evidence_for
from yrdlib.methods import MethodError, estimate_did, imputation_did, randomization_inference
from yrdlib.methods.group_att import imputation_by_group, permute_blocks

PLANS_FILE = cluster_plans.PLANS_FILE
TESTS = {
    "S1.b": {"outcome": "fdi_gdp", "scale": "log", "years": (2000, 2022)},
    "S2.b": {"outcome": "gdp_real", "scale": "log", "years": (2000, 2023)},
    "S4.b": {"outcome": "share_tertiary", "scale": "level", "years": (2000, 2023)},
}
"""The pooled causal tests and the main specification each hypothesis function gives
``common.did_test`` (outcome, scale, window; a test checks they agree)."""
TIMINGS = ("first_full_year", "half_year")
DEFAULT_TIMING = "first_full_year"
MIN_TREATED = groups.PLAN_MIN_TREATED  # a cluster's own row: as many treated cities ...
MIN_PRE = groups.PLAN_MIN_PRE  # ... untreated years before its cohort (median over its cities)
MIN_POST = groups.PLAN_MIN_POST  # ... and treated years as a cluster's own design needs
LEADS = LAGS = 5
SEED = common.SEED
DEFAULT_CLUSTER = "长江三角洲城市群"
TITLE_SWAPS = (("加入长三角协调会", "列入国家城市群规划"), ("加入长三角", "列入国家城市群规划"),
               ("Joining the YRD coordination association",
                "Being listed in a national city-cluster plan"),
               ("Joining the YRD", "Being listed in a national city-cluster plan"))


# ------------------------------------------------------------------ the approval dates (raw data)


def plans() -> pd.DataFrame:
    """The cited approval dates (:func:`yrdlib.cluster_plans.plans`, checked there)."""
    return cluster_plans.plans()


def cohort_year(date, timing: str = DEFAULT_TIMING) -> float:
    """First treated year of a plan approved on ``date`` under the all-plan design's timings
    (:data:`TIMINGS`: the next calendar year, or the half-year rule); see
    :func:`yrdlib.cluster_plans.cohort_year`."""
    if timing not in TIMINGS:
        raise ValueError(f"unknown timing {timing!r}; choose one of {TIMINGS}")
    return cluster_plans.cohort_year(date, timing)


@dataclass(frozen=True)
class Options:
    """A variant of the design: cohort ``timing``; ``partial`` listings kept (treated, flagged)
    or dropped; cities only in ``non_national`` plans excluded or kept as controls."""

    timing: str = DEFAULT_TIMING
    partial: str = "keep"
    non_national: str = "exclude"

    def __post_init__(self):
        if self.timing not in TIMINGS:
            raise ValueError(f"unknown timing {self.timing!r}")
        if self.partial not in ("keep", "drop"):
            raise ValueError("partial must be 'keep' or 'drop'")
        if self.non_national not in ("exclude", "control"):
            raise ValueError("non_national must be 'exclude' or 'control'")


def assignment(timing: str = DEFAULT_TIMING) -> pd.DataFrame:
    """Each placed member city's first centrally approved plan and treatment year
    (:func:`yrdlib.groups.plan_assignment`; the rules are stated there)."""
    if timing not in TIMINGS:
        raise ValueError(f"unknown timing {timing!r}; choose one of {TIMINGS}")
    return groups.plan_assignment(timing)


# ------------------------------------------------------------------ the sample


def sample(hid: str, opts: Options = Options(), years: tuple[int, int] | None = None,
           transform=None) -> pd.DataFrame:
    """The DiD sample of a pooled causal test under the all-cluster design: the test's own
    outcome, scale and window through :func:`common.did_data` (same comparability filter and
    logs), with ``treat_year`` from the cluster plans (rules in the module docstring), columns
    ``plan``, ``partial`` and ``block_plan`` (the plan, or ``prov:<code>`` for a city in no
    plan). ``transform(d)`` changes the finished sample (calibration)."""
    spec = TESTS[hid]
    a = assignment(opts.timing)
    drop = set()
    if opts.non_national == "exclude":
        drop |= set(a.index[a["plan"] == ""])
    if opts.partial == "drop":
        drop |= set(a.index[a["partial"]])
    notes = []

    def tf(d):
        n0 = d["region_code"].nunique()
        d = d[~d["region_code"].isin(drop)].copy()
        if len(drop):
            notes.append(f"{n0 - d['region_code'].nunique()} cities listed only in plans without "
                         "a central approval" + (" or only partly listed" if opts.partial == "drop"
                                                 else "") + " left out")
        d["treat_year"] = d["region_code"].map(a["treat_year"]).astype(float)
        d["plan"] = d["region_code"].map(a["plan"]).replace("", np.nan)
        d["partial"] = d["region_code"].map(a["partial"]).fillna(False).astype(bool)
        d["block_plan"] = d["plan"].where(d["plan"].notna(), "prov:" + d["province"])
        if transform is not None:
            d = transform(d)
        return d

    d = common.did_data(spec["outcome"], "plan2016", years or spec["years"], spec["scale"],
                        timing="join_year", transform=tf)
    d.attrs["notes"] = notes + [n for n in d.attrs.get("notes", []) if "treated in or before" not in n]
    return d


def feasibility(d: pd.DataFrame) -> pd.DataFrame:
    """Per cluster: treated cities in the sample, cohort, median untreated years before it,
    treated years, and whether the cluster gets its own row (``applicable``) with the reason
    when not (fewer than MIN_TREATED cities, fewer than MIN_PRE pre-years, no treated year)."""
    p = plans()
    rows = []
    last = int(d["year"].max())
    for _, r in p.iterrows():
        name = r["cluster_zh"]
        sub = d[d["plan"] == name]
        n = sub["region_code"].nunique()
        coh = float(sub["treat_year"].iloc[0]) if n else np.nan
        pre = (sub[sub["year"] < sub["treat_year"]].groupby("region_code").size().median()
               if n else 0)
        post = int(last - coh + 1) if n else 0
        reason = ""
        if not r["national"] or pd.isna(r["approval_date"]):
            reason = "no central approval date (" + (r["source_note"].split(";")[0]
                                                    .replace("gap: ", "")) + ")"
        elif n < MIN_TREATED:
            reason = (f"{n} treated cities in the sample (< {MIN_TREATED}); its cities are "
                      "listed first by an earlier plan, not panel units, or lack data")
        elif pre < MIN_PRE:
            reason = f"median {pre:g} untreated years before the cohort (< {MIN_PRE})"
        elif post < MIN_POST:
            reason = f"no treated year before {last}"
        rows.append({"cluster_zh": name, "cluster_en": r["cluster_en"],
                     "approval_date": r["approval_date"], "cohort": coh, "treated_cities": n,
                     "pre_years": float(pre) if n else np.nan, "post_years": post,
                     "applicable": not reason, "reason": reason})
    return pd.DataFrame(rows)


# ------------------------------------------------------------------ the test


def _title(hid: str) -> tuple[str, str]:

    h = registry.hypothesis(hid)
    zh, en = h.title_zh, h.title_en
    for a, b in TITLE_SWAPS:
        zh, en = zh.replace(a, b), en.replace(a, b)
    return zh + "（全部城市群规划）", en + " (all city-cluster plans)"


def _try(fn, *a, **kw):
    try:
        return fn(*a, **kw)
    except MethodError as e:
        return str(e)


def _design_row(name: str, r, binding: bool = False) -> dict:
    if isinstance(r, str):
        return {"name": name, "kind": "design", "binding": binding, "note": r}
    return {"name": name, "kind": "design", "binding": binding, "estimate": r["att"],
            "ci_low": r["ci_low"], "ci_high": r["ci_high"], "p_value": r["p"],
            "note": f"{r['n_blocks']} blocks, {r['n_treated_blocks']} treated; "
                    f"{r['n_perm']} permutations ({r.get('n_distinct', r['n_perm'])} distinct)"}


def cluster_test(hid: str, timing: str = DEFAULT_TIMING, n_perm: int = common.DESIGN_B,
                 seed: int = SEED, transform=None, display: bool = True, cache: bool = True):
    """THE all-cluster version of a pooled causal test (``hid`` in TESTS), cached per data
    version and code like :func:`common.did_test`: did2s ATT over every plan listing,
    randomization inference over province blocks (headline interval and p), the verdict rule's
    binding rows (Sun–Abraham ATT; the sample without partial listings; with non-national-plan
    cities as controls; with the other cohort timing; the Rambachan–Roth interval at
    M̄ = common.HONEST_MBAR) and shown rows (plan-block and date permutations, the
    city-clustered interval, pre-trend tests), and the per-cluster effects (one imputation fit,
    each cluster's treated cells averaged). Returns a :class:`~yrdlib.claims.result.Result`."""
    if hid not in TESTS:
        raise ValueError(f"hid must be one of {sorted(TESTS)}, got {hid!r}")
    if transform is not None or not cache:
        return _cluster_test(hid, timing, n_perm, seed, transform, display)

    return memo.call(_cluster_test, hid, timing, n_perm, seed, None, display,
                     registry_entry=repr(registry.hypothesis(hid)), data_key=common.data_key(),
                     deps=(estimate_did, common.did_data, groups.clusters, plans, assignment,
                           sample, feasibility))


def _cluster_test(hid, timing, n_perm, seed, transform, display, registry_entry: str = ""):

    spec = TESTS[hid]
    opts = Options(timing=timing)
    d = sample(hid, opts, transform=transform)
    kw = dict(leads=LEADS, lags=LAGS, estimator="did2s", control_group="notyet")
    main = _try(estimate_did, d, "y", **kw)
    sunab = _try(estimate_did, d, "y", leads=LEADS, lags=LAGS, estimator="sunab",
                 control_group="never")
    unit = "log points" if spec["scale"] == "log" else "percentage points"
    zh, en = _title(hid)
    treated = d.loc[d["treat_year"].notna(), "region_code"].nunique()
    never = d.loc[d["treat_year"].isna(), "region_code"].nunique()
    by_c = d.loc[d["treat_year"].notna()].groupby("treat_year")["region_code"].nunique()
    cohorts = ", ".join(f"{int(k)}: {int(v)}" for k, v in sorted(by_c.items()))
    yrs = (int(d["year"].min()), int(d["year"].max()))
    sample_txt = (f"{treated} cities listed in a centrally approved city-cluster plan ({cohorts} "
                  f"by first treated year; {timing.replace('_', ' ')} after approval), {never} "
                  f"cities in no plan as never-treated controls; {yrs[0]}–{yrs[1]}")
    if isinstance(main, str):
        ev = evidence_for(hid, estimate=float("nan"), method="did2s (not estimable)",
                          sample=sample_txt, notes=f"not estimable: {main}", title_zh=zh,
                          title_en=en)
        return Result(ev, data={"sample": d, "rows": pd.DataFrame()})
    dd = d[["region_code", "year", "treat_year", "y", "province", "block_plan", "plan"]].copy()
    try:
        head = randomization_inference(dd, "y", block="province", n_perm=n_perm, seed=seed)
    except MethodError as e:
        head = {"error": str(e)}
    rows = [common._row("city-clustered SE (did2s)", main, "estimate", binding=False),
            common._row("did2s pre-trend", main, "pretrend", binding=False),
            common._row("Sun–Abraham pre-trend", sunab, "pretrend", binding=False),
            common._row("Sun–Abraham ATT", sunab, "sign")]
    variants = (("without partial listings", Options(timing, partial="drop")),
                ("non-national-plan cities as controls", Options(timing, non_national="control")),
                (("half-year" if timing == "first_full_year" else "first-full-year") + " timing",
                 Options("half_year" if timing == "first_full_year" else "first_full_year")))
    for name, o in variants:
        if transform is not None and o.timing != timing:
            # a calibration transform sets treat_year itself: the timing variant is the main
            # sample again, so it is not re-estimated (it agrees by construction)
            rows.append(common._row(name, main, "sign"))
            continue
        rows.append(common._row(name, _try(estimate_did, sample(hid, o, transform=transform),
                                           "y", **kw), "sign"))
    if display:
        rows.append(_design_row("randomization inference, plan blocks",
                                _try(permute_blocks, dd, "y", "block_plan", n_perm=n_perm,
                                     seed=seed)))
        tr_only = dd[dd["plan"].notna() | dd["treat_year"].isna()]
        rows.append(_design_row("randomization inference, dates across plans",
                                _try(permute_blocks, tr_only, "y", "plan", n_perm=n_perm,
                                     seed=seed, mode="dates")))
    extras = {}
    name = f"Rambachan–Roth M̄ = {common.HONEST_MBAR:g}"
    try:
        im = imputation_did(dd, "y", cluster="province", leads=LEADS, lags=LAGS)
        hb = common._honest_call(im["event_study"]["estimate"], im["event_study_vcov"])
        t = hb["table"]
        at = t.iloc[(t["M"] - common.HONEST_MBAR).abs().argsort()[:1]].iloc[0]
        bd = hb["breakdown"]
        rows.append({"name": name, "kind": "honest", "estimate": hb["theta"],
                     "ci_low": at["ci_low"], "ci_high": at["ci_high"], "breakdown": bd,
                     "note": (f"breakdown M̄ = {bd:.2f}" if np.isfinite(bd) else
                              "breakdown M̄ large" if bd == np.inf
                              else "the interval includes 0 even at M̄ = 0")})
        extras["event_imputation"] = im["event_study"]
    except (MethodError, KeyError, ValueError) as e:
        rows.append({"name": name, "kind": "honest", "note": str(e)})
    if "error" in head:
        lo = hi = p = mde = float("nan")
        inference = f"randomization inference over province blocks failed: {head['error']}"
    else:
        lo, hi, p, mde = head["ci_low"], head["ci_high"], head["p"], head["mde"]
        inference = (f"randomization inference over province blocks: {head['n_treated_blocks']} "
                     f"treated provinces of {head['n_blocks']}; {head['n_perm']} permutations of "
                     "the provinces' cohort patterns; interval by inverting the test under a "
                     f"constant effect; design SE {head['se_design']:.3g} {unit}")
    ev = evidence_for(
        hid, estimate=main.att, ci_low=lo, ci_high=hi, p_value=p, n=main.n_obs,
        pretrend_p=main.pretrend_p, unit=unit, mde=mde, inference=inference,
        title_zh=zh, title_en=en,
        method=("Gardner two-stage DiD (did2s, imputation) over every centrally approved "
                "city-cluster plan, not-yet-treated controls, city and year fixed effects; "
                "inference: randomization inference over province blocks; binding checks: "
                "Sun–Abraham ATT, the sample without partial listings, non-national-plan cities "
                "as controls and the other cohort timing agree in sign, Rambachan–Roth interval "
                f"at M̄ = {common.HONEST_MBAR:g} excludes 0"),
        sample=sample_txt, notes="; ".join(d.attrs.get("notes", []) + main.notes),
        data_vintage=common.data_vintage(), sensitivity=rows)
    data = {"sample": d, "rows": pd.DataFrame(ev.sensitivity), "design": head,
            "event_did2s": main.event_study, **extras}
    if display:
        data["feasibility"] = feasibility(d)
        data["per_cluster"] = per_cluster(d, data["feasibility"], ev)
    return Result(ev, data=data)


def per_cluster(d: pd.DataFrame, feas: pd.DataFrame, ev) -> pd.DataFrame:
    """The pooled row (design-based interval) then one row per cluster: the imputation ATT over
    its own treated cells from the one pooled fit, with a city-clustered 95 % interval (analytic:
    a cluster's cities are too few blocks for design-based inference of their own), or "not
    applicable" with the reason."""

    try:
        g = imputation_by_group(d, "y", "plan", cluster="region_code").set_index("group")
    except MethodError:
        g = pd.DataFrame(columns=["att", "ci_low", "ci_high", "p_value", "treated_cells"])
    rows = [{"cluster_zh": "全部规划（合并）", "cluster_en": "all plans (pooled)",
             "cohort": np.nan, "treated_cities": d.loc[d["treat_year"].notna(), "region_code"]
             .nunique(), "estimate": ev.estimate, "ci_low": ev.ci_low, "ci_high": ev.ci_high,
             "p_value": ev.p_value, "interval": "design-based (province blocks)",
             "applicable": True, "reason": "", "verdict": ev.verdict}]
    for _, f in feas.iterrows():
        r = {"cluster_zh": f["cluster_zh"], "cluster_en": f["cluster_en"], "cohort": f["cohort"],
             "treated_cities": f["treated_cities"], "estimate": np.nan, "ci_low": np.nan,
             "ci_high": np.nan, "p_value": np.nan, "interval": "city-clustered (analytic)",
             "applicable": bool(f["applicable"]), "reason": f["reason"], "verdict": ""}
        if f["applicable"] and f["cluster_zh"] in g.index:
            x = g.loc[f["cluster_zh"]]
            r.update(estimate=x["att"], ci_low=x["ci_low"], ci_high=x["ci_high"],
                     p_value=x["p_value"])
        elif f["applicable"]:
            r.update(applicable=False, reason="no treated cell in the sample")
        if not r["applicable"]:
            r["verdict"] = "not applicable"
        rows.append(r)
    return pd.DataFrame(rows)


# ------------------------------------------------------------------ cross-cluster report


def cross_table(results: dict) -> pd.DataFrame:
    """One row per (test, cluster): the pooled all-plan row first, then every cluster in
    approval order; ``results`` maps hid -> :func:`cluster_test` Result."""
    out = []
    for hid, r in results.items():
        pc = r.data.get("per_cluster")
        if pc is None:
            continue
        pc = pc.copy()
        head, rest = pc.iloc[:1], pc.iloc[1:].sort_values(["applicable", "cohort"],
                                                          ascending=[False, True])
        t = pd.concat([head, rest])
        t.insert(0, "hypothesis", hid)
        t["unit"] = r.evidence.unit
        out.append(t)
    return pd.concat(out, ignore_index=True) if out else pd.DataFrame()


def verdict_table(results: dict) -> pd.DataFrame:
    """One row per test: the all-plan estimate, its design-based interval and p, the verdict of
    the project's rule (:func:`yrdlib.evidence.judge`) and its reason."""
    rows = []
    for hid, r in results.items():
        ev = r.evidence
        rows.append({"hypothesis": hid, "title": ev.title_en, "estimate": ev.estimate,
                     "ci_low": ev.ci_low, "ci_high": ev.ci_high, "p_value": ev.p_value,
                     "mde": ev.mde, "unit": ev.unit, "verdict": ev.verdict,
                     "reason": ev.reason_en})
    return pd.DataFrame(rows)
