"""What the claim notebooks share: the focus city and the unit used in the city panel, the
data vintage for evidence records, year checks, and one DiD suite (the same sample for did2s with
not-yet-treated controls, Sun–Abraham with never-treated controls, TWFE and a placebo) so that every
claim's causal test is run and reported the same way."""

from __future__ import annotations

import hashlib
import json

import numpy as np
import pandas as pd

from yrdlib import groups, memo, regions
from yrdlib.claims import registry

# the focus and year helpers live in a light module (the context imports them without the methods)
from yrdlib.claims.focus import (  # noqa: F401  (re-exported)
    check_years,
    data_vintage,
    panel_focus,
    user_rows,
)
from yrdlib.claims.result import Result, evidence_for, not_applicable
from yrdlib.data import panel
from yrdlib.methods import MethodError, estimate_did, placebo_shift
from yrdlib.methods.did import DiDResult


def did_data(outcome: str, treatment: str, years: tuple[int, int], scale: str = "log",
             drop_years=(), timing: str = groups.DEFAULT_TIMING, comparable: bool = True,
             drop_boundary_changes: bool = False, transform=None) -> pd.DataFrame:
    """DiD sample of all prefectures: region_code, province, year, treat_year, y (log or level
    outcome), <outcome>, <outcome>_flag. Non-positive values cannot be logged and are dropped
    (counted in attrs['notes']). The 1997 founders (no pre-period) are dropped by
    `groups.did_sample`. By default city-years flagged as not comparable (reporting breaks) are
    left out (``comparable``); ``drop_boundary_changes`` also drops the cities whose territory
    changed inside the window (合肥/芜湖/马鞍山 2011, 济南 2019: a level across a boundary change is
    not like-for-like; the causal gate runs it as a robustness row);
    ``attrs['excluded']`` lists what was left out and ``attrs['sample_note']`` says it in words.
    ``transform(d)`` (calibration only, :mod:`yrdlib.claims.calibration`) changes the finished
    sample — placebo treatment dates, a planted effect on ``y`` — before the last filter."""
    if scale not in ("log", "level"):
        raise ValueError(f"scale must be 'log' or 'level', got {scale!r}")
    w = panel.wide([outcome], years=years, flags=True, comparable=comparable)
    excluded = w.attrs.get("excluded")
    d = groups.did_sample(w, treatment, years=years, drop_years=drop_years, timing=timing)
    notes = list(d.attrs.get("notes", []))
    d["province"] = d["region_code"].str[:2]
    if drop_boundary_changes:
        brk = {c for c, y in regions.boundary_breaks() if years[0] < y <= years[1]}
        hit = sorted(brk & set(d["region_code"]))
        if hit:
            notes.append(f"{len(hit)} cities whose territory changed inside {years[0]}-{years[1]} "
                         f"dropped ({', '.join(hit)}): levels across a boundary change are not "
                         "like-for-like")
            d = d[~d["region_code"].isin(hit)]
    d = d[d[outcome].notna()].copy()
    if scale == "log":
        bad = d[outcome] <= 0
        if bad.any():
            notes.append(f"{int(bad.sum())} non-positive values of {outcome} cannot be logged: dropped")
        d = d[~bad]
        d["y"] = np.log(d[outcome].astype(float))
    else:
        d["y"] = d[outcome].astype(float)
    if transform is not None:
        d = transform(d)
    # one sample for every estimator: did2s cannot impute a unit with fewer than two untreated
    # observations (estimate_did would drop it for did2s only), so drop it here for all three
    treated = d["treat_year"].notna() & (d["year"] >= d["treat_year"])
    n_obs = d.groupby("region_code")["year"].transform("size")
    n_untr = (~treated).groupby(d["region_code"]).transform("sum")
    bad = (n_obs < 2) | (n_untr < 2)
    if bad.any():
        codes = sorted(d.loc[bad, "region_code"].unique())
        notes.append(f"{len(codes)} cities with fewer than 2 untreated observations dropped "
                     f"({', '.join(codes[:8])}{'…' if len(codes) > 8 else ''})")
    d = d[~bad].reset_index(drop=True)
    d.attrs["notes"] = notes
    if excluded is not None and len(excluded):
        ex = excluded[excluded["indicator"] == outcome] if "indicator" in excluded else excluded
        d.attrs["excluded"] = ex
        d.attrs["sample_note"] = panel.sample_note(ex)
    return d


def did_suite(d: pd.DataFrame, leads: int = 5, lags: int = 5, placebo: int = 3,
              y: str = "y") -> dict:
    """did2s (not-yet-treated), Sun–Abraham (never-treated), TWFE and a placebo shift on the same
    sample. Each entry is a DiDResult or the MethodError message (str)."""
    out: dict = {}
    specs = {"did2s": dict(estimator="did2s", control_group="notyet"),
             "sunab": dict(estimator="sunab", control_group="never"),
             "twfe": dict(estimator="twfe", control_group="notyet")}
    for k, kw in specs.items():
        try:
            out[k] = estimate_did(d, y, leads=leads, lags=lags, **kw)
        except MethodError as e:
            out[k] = str(e)
    if placebo:
        try:
            out["placebo"] = placebo_shift(d, y, shift=placebo, leads=min(leads, 3),
                                           lags=min(lags, 2), estimator="did2s",
                                           control_group="notyet")
        except MethodError as e:
            out["placebo"] = str(e)
    return out


def suite_table(suite: dict) -> pd.DataFrame:
    """One row per estimator: ATT, CI, p, pre-trend p, n, treated/control units (or the error)."""
    rows = []
    for k, r in suite.items():
        if isinstance(r, str):
            rows.append({"estimator": k, "att": np.nan, "ci_low": np.nan, "ci_high": np.nan,
                         "p_value": np.nan, "pretrend_p": np.nan, "n_obs": 0, "treated": 0,
                         "controls": 0, "note": r})
        else:
            rows.append({"estimator": k, "att": r.att, "ci_low": r.ci_low, "ci_high": r.ci_high,
                         "p_value": r.p_value, "pretrend_p": r.pretrend_p, "n_obs": r.n_obs,
                         "treated": r.n_treated_units, "controls": r.n_control_units,
                         "note": "; ".join(r.notes)})
    return pd.DataFrame(rows)




# ------------------------------------------------------------------ the causal test and its rule
TREATED_PROVINCES = ("31", "32", "33", "34")  # 沪苏浙皖: every association member
NEIGHBOUR_PROVINCES = ("35", "36", "37", "41", "42")  # 福建 江西 山东 河南 湖北 border them
SIGN_ROWS = (
    "Sun–Abraham ATT", "Callaway–Sant'Anna ATT", "years 2003–2022",
    "neighbouring-province controls", "cohorts 2010/2013 only", "join-year timing",
    "without boundary-change cities", "with flagged city-years",
)
"""Binding rows that must agree in sign with the main estimate (heterogeneity-robust estimators
and sample variants; significance is not asked of them)."""
DISPLAY_ROWS = (
    "city-clustered SE (did2s)", "province-clustered SE", "did2s pre-trend",
    "Sun–Abraham pre-trend", "Callaway–Sant'Anna pre-trend", "wild cluster bootstrap (province)",
    "wild bootstrap pre-trend (province)",
)
"""Rows shown beside the verdict and never binding: analytic and bootstrap inference (the
headline is design-based) and pre-trend tests (pre-tests inform, they do not veto)."""
RULE_ROWS = (
    "city-clustered SE (did2s)", "did2s pre-trend", "Sun–Abraham pre-trend", "Sun–Abraham ATT",
    "province-clustered SE", "years 2003–2022", "neighbouring-province controls",
    "cohorts 2010/2013 only", "join-year timing", "without boundary-change cities",
    "with flagged city-years", "wild cluster bootstrap (province)",
    "wild bootstrap pre-trend (province)", "Callaway–Sant'Anna ATT",
    "Callaway–Sant'Anna pre-trend", "Rambachan–Roth M̄ = 0.5",
)
"""Every row of a causal test, in the order the report shows them (binding: SIGN_ROWS and the
Rambachan–Roth row; the others are DISPLAY_ROWS)."""
DESIGN_B = 999  # wild-bootstrap draws and province-block permutations
HONEST_MBAR = 0.5  # the relative-magnitudes bound the effect must survive (binding row)
HONEST_METHOD = "C-LF"  # honestdid's conditional-least-favourable hybrid
SEED = 20240101
_INNER_CACHE = [True]  # calibration switches the pooled cache off for its thousands of variants
_CALIBRATION: list = [None]  # the transform of a calibration run (yrdlib.claims.calibration)


def data_key() -> str:
    """The processed data's content identity (sha256 over the output files' hashes in the
    manifest, not the build time): the key of every pooled, focus-independent result."""
    return data_key_of(panel.manifest())


READ_AT_ANALYSIS = ("data/raw/yrd_reference/", "data/raw/cluster_plans/")
"""Raw folders the analysis reads directly (memberships, joining and plan dates), not through the
processed panel: their hashes are part of :func:`data_key`, so a corrected plan date or
membership row invalidates every cached result, although the panel's outputs do not change."""


def data_key_of(manifest: dict) -> str:
    """:func:`data_key` of a manifest already read (a page that only shows a result must not
    build the data it describes)."""
    read = {k: v for k, v in (manifest.get("inputs") or {}).items()
            if k.startswith(READ_AT_ANALYSIS)}
    if not read:  # a manifest from before the key covered them: outputs only, as then
        return hashlib.sha256(json.dumps(manifest.get("outputs") or {}, sort_keys=True)
                              .encode()).hexdigest()
    return hashlib.sha256(json.dumps({"outputs": manifest.get("outputs") or {}, "read": read},
                                     sort_keys=True).encode()).hexdigest()


class calibrating:
    """Context manager for :mod:`yrdlib.claims.calibration`: inside it every :func:`did_test`
    runs on the changed sample ``transform(d)`` (placebo dates, a planted effect), without the
    pooled cache and without the rows that never bind, so the calibration runs the project's own
    hypothesis functions and its own rule."""
    def __init__(self, transform):
        self.transform = transform

    def __enter__(self):
        _CALIBRATION.append(self.transform)
        _INNER_CACHE.append(False)

    def __exit__(self, *exc):
        _CALIBRATION.pop()
        _INNER_CACHE.pop()


def _pooled(fn, *a, **kw):

    if _INNER_CACHE[-1]:
        return memo.call(fn, *a, data_key=data_key(), **kw)
    return fn(*a, **kw)


def _honest_call(es, vcov):
    """Rambachan–Roth ΔRM intervals (honestdid's C-LF hybrid) on a grid that holds the rule's
    M̄, with the breakdown M̄."""
    from yrdlib.methods import honest_bounds  # lazy: scipy.optimize on first use (kernel start-up)

    grid = sorted({0.0, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, HONEST_MBAR})
    return honest_bounds(es, vcov, "rm", grid=grid, method=HONEST_METHOD)


def design_rows(d: pd.DataFrame, leads: int = 5, lags: int = 5, seed: int = SEED,
                display: bool = True) -> tuple[dict, list[dict], dict]:
    """Design-based inference and the rows computed on the main sample (treatment came in
    province blocks): randomization inference permuting whole provinces' cohort patterns (the
    headline p, its inverted interval, the design SE and the minimum detectable effect),
    Callaway–Sant'Anna (not-yet-treated) with its pre-trend test, Rambachan–Roth relative-
    magnitudes intervals (binding at M̄ = HONEST_MBAR, breakdown M̄ in the note) and — shown
    only — the wild cluster bootstrap at the province level. Cached by content (yrdlib.memo):
    computed once per data version and specification. Returns (headline, rows, extras)."""
    from yrdlib.methods import (  # lazy: the estimators load on first use (kernel start-up)
        callaway_santanna,
        imputation_did,
        randomization_inference,
        wild_cluster_bootstrap,
    )

    dd = d[["region_code", "year", "treat_year", "y", "province"]].copy()
    rows, extras = [], {}
    try:
        ri = _pooled(randomization_inference, dd, "y", block="province", n_perm=DESIGN_B,
                     seed=seed)
        head = {k: ri[k] for k in ("att", "p", "p_one_sided", "ci_low", "ci_high", "se_design",
                                   "mde", "n_perm", "n_blocks", "n_treated_blocks")}
        extras["ri_draws"] = ri["draws"]
    except MethodError as e:
        head = {"error": str(e)}
    if display:
        try:
            wb = _pooled(wild_cluster_bootstrap, dd, "y", cluster="province", B=DESIGN_B,
                         seed=seed, leads=leads, lags=lags)
            rows.append({"name": "wild cluster bootstrap (province)", "kind": "design",
                         "binding": False, "estimate": wb["att"], "ci_low": wb["ci_low"],
                         "ci_high": wb["ci_high"], "p_value": wb["p"],
                         "note": f"{wb['n_clusters']} provinces, {wb['n_treated_clusters']} "
                                 f"treated; Webb weights, B = {wb['B']}"})
            rows.append({"name": "wild bootstrap pre-trend (province)", "kind": "pretrend",
                         "binding": False, "pretrend_p": wb.get("pretrend_p")})
        except MethodError as e:
            rows.append({"name": "wild cluster bootstrap (province)", "kind": "design",
                         "binding": False, "note": str(e)})
    try:
        cs = _pooled(callaway_santanna, dd, "y", control_group="notyet")
        o = cs.overall
        rows.append({"name": "Callaway–Sant'Anna ATT", "kind": "sign", "estimate": o["att"],
                     "ci_low": o["ci_low"], "ci_high": o["ci_high"], "p_value": o["p"]})
        rows.append({"name": "Callaway–Sant'Anna pre-trend", "kind": "pretrend", "binding": False,
                     "pretrend_p": cs.pretrend_p})
        if display:
            cohorts = sorted(int(c) for c in cs.gt["cohort"].unique())
            early = [c for c in cohorts if c <= 2014]
            late = [c for c in cohorts if c >= 2019]
            extras["cs_cohorts"] = pd.DataFrame([
                {"cohorts": label, **{k: v for k, v in cs.aggregate(cohorts=cs_, kind="simple").items()
                                      if k in ("att", "se", "ci_low", "ci_high", "p")}}
                for label, cs_ in (("joined 2010/2013 (first full year 2011/2014)", early),
                                   ("joined 2018/2019 (first full year 2019/2020)", late)) if cs_])
    except MethodError as e:
        rows.append({"name": "Callaway–Sant'Anna ATT", "kind": "sign", "note": str(e)})
    name = f"Rambachan–Roth M̄ = {HONEST_MBAR:g}"
    try:
        im = _pooled(imputation_did, dd, "y", cluster="province", leads=leads, lags=lags)
        hb = _honest_call(im["event_study"]["estimate"], im["event_study_vcov"])
        t = hb["table"]
        at = t.iloc[(t["M"] - HONEST_MBAR).abs().argsort()[:1]].iloc[0]
        bd = hb["breakdown"]
        rows.append({"name": name, "kind": "honest", "estimate": hb["theta"],
                     "ci_low": at["ci_low"], "ci_high": at["ci_high"], "breakdown": bd,
                     "note": (f"breakdown M̄ = {bd:.2f}" if np.isfinite(bd) else
                              f"breakdown M̄ ≥ {hb.get('breakdown_cap', 10):g}" if bd == np.inf
                              else "the interval includes 0 even at M̄ = 0")
                     + f"; {hb.get('method', '')}"})
        extras["honest"] = t
    except (MethodError, KeyError) as e:
        rows.append({"name": name, "kind": "honest", "note": str(e)})
    return head, rows, extras


def _row(name: str, r, kind: str = "estimate", binding: bool = True, **extra) -> dict:
    if isinstance(r, str) or r is None:
        return {"name": name, "kind": kind, "binding": binding and kind != "sign",
                "estimate": None, "ci_low": None, "ci_high": None, "pretrend_p": None,
                "note": r or "not run", **extra}
    return {"name": name, "kind": kind, "binding": binding, "estimate": r.att,
            "ci_low": r.ci_low, "ci_high": r.ci_high, "p_value": r.p_value,
            "pretrend_p": r.pretrend_p, "n_obs": r.n_obs, "note": "; ".join(r.notes), **extra}


def _try(fn, *a, **kw):
    try:
        return fn(*a, **kw)
    except MethodError as e:
        return str(e)


def sensitivity_rows(outcome: str, treatment: str, years: tuple[int, int], scale: str,
                     main: DiDResult | str, sunab: DiDResult | str, leads: int = 5,
                     lags: int = 5, timing: str = groups.DEFAULT_TIMING, transform=None,
                     d: pd.DataFrame | None = None) -> list[dict]:
    """The rows of one causal test computed by re-estimating did2s: Sun–Abraham (sign, binding),
    the pre-trend tests and the city- and province-clustered intervals (shown), and the sample
    variants (sign, binding): another window, controls from neighbouring provinces only, the
    early cohorts alone, the other timing convention, without boundary-change cities, with
    flagged city-years. A variant that cannot be estimated is shown, not binding."""
    kw = dict(leads=leads, lags=lags, estimator="did2s", control_group="notyet")

    def est(**data_kw):
        return did_data(outcome, treatment, data_kw.pop("years", years), scale,
                        timing=data_kw.pop("timing", timing), transform=transform, **data_kw)

    rows = [_row("city-clustered SE (did2s)", main, "estimate", binding=False),
            _row("did2s pre-trend", main, "pretrend", binding=False),
            _row("Sun–Abraham pre-trend", sunab, "pretrend", binding=False),
            _row("Sun–Abraham ATT", sunab, "sign")]
    d = est() if d is None else d
    rows.append(_row("province-clustered SE", _try(estimate_did, d, "y", cluster="province", **kw),
                     "estimate", binding=False))
    y0, y1 = max(years[0], 2003), min(years[1], 2022)
    rows.append(_row(f"years {y0}–{y1}", _try(estimate_did, est(years=(y0, y1)), "y", **kw), "sign"))
    treated_prov = tuple(sorted(d.loc[d["treat_year"].notna(), "province"].unique()))
    nb = d[d["province"].isin(treated_prov + NEIGHBOUR_PROVINCES)]
    rows.append(_row("neighbouring-province controls", _try(estimate_did, nb, "y", **kw), "sign"))
    early = d[d["treat_year"].isna() | d["treat_year"].le(2014)]
    rows.append(_row("cohorts 2010/2013 only", _try(estimate_did, early, "y", **kw), "sign"))
    other = "join_year" if timing != "join_year" else "first_full_year"
    rows.append(_row(f"{other.replace('_', '-')} timing",
                     _try(estimate_did, est(timing=other), "y", **kw), "sign"))
    rows.append(_row("without boundary-change cities",
                     _try(estimate_did, est(drop_boundary_changes=True), "y", **kw), "sign"))
    rows.append(_row("with flagged city-years", _try(estimate_did, est(comparable=False), "y", **kw),
                     "sign"))
    return rows


def did_test(hid: str, outcome: str, treatment: str = "association",
             years: tuple[int, int] = (2000, 2023), scale: str = "log", leads: int = 5,
             lags: int = 5, timing: str = groups.DEFAULT_TIMING, method_note: str = "",
             cache: bool = True):
    """THE causal test of a hypothesis, computed once per data version and specification: the
    result does not depend on the focus city, so every notebook of a batch (and every later run
    on the same data and code) reads it from the content-addressed cache (:mod:`yrdlib.memo`,
    keyed by the processed data's content hash, this module's and the methods' source, the
    registry entry and the arguments). ``cache=False`` recomputes; the numbers are the same."""
    args = (hid, outcome, treatment, tuple(years), scale, leads, lags, timing, method_note)
    if _CALIBRATION[-1] is not None:
        return _did_test(*args, transform=_CALIBRATION[-1], display=False)
    if not cache:
        return _did_test(*args)
    return memo.call(_did_test, *args, registry_entry=repr(registry.hypothesis(hid)),
                     data_key=data_key(), deps=(estimate_did, panel.wide, groups.did_sample))


def _province_words(codes) -> tuple[str, str]:
    zh = "、".join(regions.province_name(c, "zh") for c in codes)
    en = ", ".join(regions.province_name(c, "en") for c in codes)
    return zh, en


def _did_test(hid: str, outcome: str, treatment: str, years: tuple[int, int], scale: str,
              leads: int, lags: int, timing: str, method_note: str, registry_entry: str = "",
              transform=None, display: bool = True):
    """THE causal test of a hypothesis (the registry's ``hid``): the did2s (imputation) ATT with
    not-yet-treated controls, its inference where treatment was assigned (randomization
    inference over province blocks: p, the inverted 95 % interval, the minimum detectable
    effect), and the rows of the verdict rule — binding: the heterogeneity-robust estimators and
    the sample variants agree in sign, the Rambachan–Roth interval at M̄ = HONEST_MBAR excludes
    zero; shown: city/province-clustered and bootstrap intervals, pre-trend tests. ``transform``
    and ``display=False`` serve the calibration (placebo and planted-effect panels, without the
    rows that never bind). Returns a :class:`~yrdlib.claims.result.Result`."""

    d = did_data(outcome, treatment, years, scale, timing=timing, transform=transform)
    if groups.is_plan_treatment(treatment) and transform is None:
        gap = groups.plan_design_infeasible(d, groups.plan_of(treatment))
        if gap:
            return Result(not_applicable(hid, *gap), data={"suite": pd.DataFrame(), "rows": []})
    main = _try(estimate_did, d, "y", leads=leads, lags=lags, estimator="did2s",
                control_group="notyet")
    sunab = _try(estimate_did, d, "y", leads=leads, lags=lags, estimator="sunab",
                 control_group="never")
    twfe = (_try(estimate_did, d, "y", leads=leads, lags=lags, estimator="twfe",
                 control_group="notyet") if display else "not run")
    note = d.attrs.get("sample_note") or {}
    treated = d.loc[d["treat_year"].notna(), "region_code"].nunique()
    never = d.loc[d["treat_year"].isna(), "region_code"].nunique()
    by_cohort = d.loc[d["treat_year"].notna()].groupby("treat_year")["region_code"].nunique()
    cohorts = ", ".join(f"{int(k)}: {int(v)}" for k, v in sorted(by_cohort.items()))
    sample = (f"{treated} treated cities ({cohorts} by first treated year; "
              f"{timing.replace('_', ' ')}), {never} never-treated control cities; the treated "
              f"cities' years before joining also serve as not-yet-treated controls; {years[0]}–{years[1]}")
    unit = "log points" if scale == "log" else "percentage points"
    if isinstance(main, str):
        ev = evidence_for(hid, estimate=float("nan"), method="did2s (not estimable)",
                          sample=sample, notes=f"not estimable: {main}",
                          data_vintage=data_vintage())
        return Result(ev, data={"suite": suite_table({"did2s": main, "sunab": sunab,
                                                       "twfe": twfe}), "rows": []})
    rows = sensitivity_rows(outcome, treatment, years, scale, main, sunab, leads, lags, timing,
                            transform=transform, d=d)
    head, drows, extras = design_rows(d, leads, lags, display=display)
    rows += drows
    tprov = sorted(d.loc[d["treat_year"].notna(), "province"].unique())
    p_en = _province_words(tprov)[1]
    if "error" in head:
        inference = f"randomization inference over province blocks failed: {head['error']}"
        lo = hi = p = mde = float("nan")
    else:
        lo, hi, p, mde = head["ci_low"], head["ci_high"], head["p"], head["mde"]
        inference = (f"randomization inference over province blocks: {head['n_treated_blocks']} "
                     f"treated provinces ({p_en}) of {head['n_blocks']}; {head['n_perm']} "
                     "permutations of the provinces' cohort patterns; interval by inverting the "
                     "test under a constant effect; design SE "
                     f"{head['se_design']:.3g} {unit}")
    ev = evidence_for(
        hid, estimate=main.att, ci_low=lo, ci_high=hi, p_value=p,
        n=main.n_obs, pretrend_p=main.pretrend_p, unit=unit, mde=mde, inference=inference,
        method=("Gardner two-stage DiD (did2s, imputation), not-yet-treated controls, city and "
                f"year fixed effects; event study {-leads}…+{lags}; inference where treatment was "
                "assigned: randomization inference over province blocks; binding checks: "
                "Sun–Abraham and Callaway–Sant'Anna and six sample variants agree in sign, "
                f"Rambachan–Roth relative-magnitudes interval at M̄ = {HONEST_MBAR:g} excludes 0"
                + (f"; {method_note}" if method_note else "")),
        sample=sample, notes="; ".join(d.attrs.get("notes", []) + main.notes),
        data_vintage=data_vintage(), sensitivity=rows,
        sample_note_zh=note.get("zh", ""), sample_note_en=note.get("en", ""))
    return Result(ev, data={"suite": suite_table({"did2s": main, "sunab": sunab, "twfe": twfe}),
                            "event_did2s": main.event_study,
                            "event_sunab": None if isinstance(sunab, str) else sunab.event_study,
                            "rows": pd.DataFrame(ev.sensitivity), "sample": d,
                            "design": head, "treated_provinces": tprov, "treatment": treatment,
                            **extras})


def _fmt_p(p) -> str:
    return "<0.001" if p is not None and p < 0.001 else f"{p:.3f}"
