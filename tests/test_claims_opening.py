"""Claim S1 (opening-up): the registry's hypothesis functions in yrdlib.claims.opening on the real
panel (no kernel), and one end-to-end run of notebooks/s1_opening.ipynb for 台州 (slow)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from nbtools import check_evidence, run_notebook

from yrdlib import evidence, regions
from yrdlib.claims import common, context, opening, registry
from yrdlib.figures import opening as F

TZ, NINGBO, HEFEI, GANZHOU = "331000", "330200", "340100", "360700"
YEARS = (2000, 2022)
HYPS = {h.id for h in registry.claim("S1").hypotheses}  # every registered hypothesis is recorded


@pytest.fixture(scope="module")
def did():
    """THE causal test of S1 once for the module (the pooled DiD does not depend on the focus)."""
    return opening.s1b_fdi_did(YEARS)


def test_every_registry_function_exists_and_returns_its_hypothesis():
    for h in registry.claim("S1").hypotheses:
        mod = h.function.split(":")[0]
        # the focus city's own effect (S1.e) comes from the city-level effects of S1.b's design
        assert mod in ("yrdlib.claims.opening", "yrdlib.claims.city_effects"), h.id
        assert callable(h.load()), h.id


# ------------------------------------------------------------------------------------- S1.a
def test_port_fact_check_uses_published_points():
    pc = opening.port_fact_check()
    t = pc.table
    nz = t[t["entity"] == opening.NZ_PORT].set_index("year")
    # published figures: 11.19亿吨 (2019, exact), >12.5亿吨 (2022, lower bound)
    assert nz.loc[2019, "value"] == pytest.approx(111900)
    assert nz.loc[2022, "qualifier"] == "lower_bound"
    assert not t["qualifier"].isin(["target", "forecast"]).any()
    assert any("Chinese ports" in c for c in pc.caveats)


def test_s1a_is_a_peripheral_fact_check_against_one():
    r = opening.s1a_port()
    ev = r.evidence
    assert ev.hypothesis == "S1.a" and ev.kind == "fact" and ev.null_value == 1.0
    pc = r.data["check"]
    assert ev.estimate == pytest.approx(pc.nz_value / pc.rival_value) and ev.estimate > 1
    assert r.verdict == "supported" and "league table" in ev.notes  # names what would settle it
    # only Chinese ports are compared, and the title and statement say so: no world ranking
    h = registry.hypothesis("S1.a")
    assert any("Chinese ports" in c for c in pc.caveats)
    assert "Chinese ports" in h.title_en and "not tested" in h.title_en
    assert "world" not in h.title_en.replace("world ranking is not tested", "")
    assert "中国港口" in h.title_zh and "未检验" in h.title_zh and "全球第一" not in h.title_zh
    assert not registry.hypothesis("S1.a").core


def test_s1a_without_rivals_cannot_be_judged():
    t = opening.port_cargo_points()
    r = opening.s1a_port(t[t["entity"] == opening.NZ_PORT])
    assert r.data["check"].ratio is None and r.verdict == "inconclusive"


# ------------------------------------------------------------------------------------- S1.b
def test_did_data_drops_founders_and_logs():
    d = common.did_data("fdi_gdp", "association", YEARS, "log")
    assert not d["region_code"].isin(["310000", NINGBO, "320100"]).any()  # 1997 founders
    assert d["region_code"].isin([TZ]).any()  # Taizhou (2003 cohort) stays
    assert np.allclose(np.exp(d["y"]), d["fdi_gdp"])
    tr = d["treat_year"].notna() & (d["year"] >= d["treat_year"])
    assert (~tr).groupby(d["region_code"]).sum().min() >= 2  # did2s first stage


def test_s1b_runs_the_gate_and_reports_the_sample_by_cohort(did):
    ev = did.evidence
    assert ev.hypothesis == "S1.b" and registry.hypothesis("S1.b").core
    names = [r["name"] for r in ev.sensitivity]
    assert names == list(common.RULE_ROWS)
    assert all("agrees" in r for r in ev.sensitivity)  # every row judged (spec chart colours)
    # issue 15's reporting rule: treated by cohort, never-treated controls, not-yet-treated years
    assert re.search(r"\d+ treated cities \(\d{4}: \d+", ev.sample)
    assert "never-treated control cities" in ev.sample and "not-yet-treated" in ev.sample
    assert "controls" not in ev.sample.split("never-treated")[0]
    assert ev.ci_low < ev.estimate < ev.ci_high and ev.unit == "log points"
    # the FDI panel: a few hundred cities; coverage table per year with the ECB flags
    cov = did.data["coverage"]
    assert cov["cities"].max() > 250 and cov["ecb_derived"].sum() > 0


def test_s1b_is_inconclusive_on_the_real_panel_and_says_why(did):
    """The design-based interval includes 0 and the heterogeneity-robust estimators disagree in
    sign (Sun–Abraham and Callaway–Sant'Anna negative): inconclusive, with the lean, the ruled-out
    range and the minimum detectable effect; the rows that disagree are named in the text; the
    pre-trend rejection is shown, not a veto."""
    ev = did.evidence
    assert ev.pretrend_p is not None and ev.pretrend_p < 0.05
    assert did.verdict == "inconclusive" and ev.ci_low < 0 < ev.ci_high
    assert ev.lean == "+" and ev.mde > 0 and "ruled out" in ev.reason_en
    failed = [r["name"] for r in ev.sensitivity if r["binding"] and not r["agrees"]]
    assert "Sun–Abraham ATT" in failed and "Callaway–Sant'Anna ATT" in failed
    assert all(n in did.text_en for n in failed)
    assert "did2s pre-trend" not in failed  # shown, never binding
    assert did.text_zh and "不确定" in did.text_zh


def test_literature_row_states_the_project_estimate(did):
    row = F.literature_row(did)
    assert set(row) == {"question", "design", "sample", "finding", "question_zh", "design_zh",
                        "sample_zh", "finding_zh"}
    assert f"{did.evidence.estimate:+.3g}" in row["finding"] and did.verdict in row["finding"]
    assert f"{did.evidence.estimate:+.3g}" in row["finding_zh"]


def test_s1b_refuses_an_unknown_outcome():
    with pytest.raises(ValueError, match="outcome must be one of"):
        opening.s1b_fdi_did(YEARS, outcome="gdp")


# ------------------------------------------------------------------------------------- S1.c
def test_midrank_percentile_known_answers():
    v = pd.Series({"a": 1.0, "b": 2.0, "c": 3.0, "d": np.nan})
    assert opening.midrank_percentile(v, "b") == pytest.approx(50.0)
    assert opening.midrank_percentile(v, "c") == pytest.approx(100 * 2.5 / 3)
    assert np.isnan(opening.midrank_percentile(v, "d"))


@pytest.mark.parametrize("focus", [TZ, NINGBO, HEFEI])
def test_s1c_is_a_description_with_a_label_never_a_verdict(focus):
    r = opening.s1c_position(focus, YEARS)
    ev = r.evidence
    assert ev.role == "description" and r.verdict == "description"
    assert ev.null_value == 50.0 and ev.band == opening.BAND and 0 < ev.estimate < 100
    assert ev.label_en.split()[0] in ("above", "below", "within")
    # recomputed by hand from the panel: the focus city's percentile among the YRD core 16
    from yrdlib import groups
    from yrdlib.data import panel

    y = r.data["year"]
    grp = sorted(set(groups.comparison_groups(focus)["yrd_core16"]) | {focus})
    w = panel.wide(["fdi_gdp"], grp, years=(y, y))["fdi_gdp"].droplevel("year").dropna()
    below = (w < w[focus]).sum() + 0.5 * ((w == w[focus]).sum() - 1)
    assert ev.estimate == pytest.approx(100 * (below + 0.5) / len(w))
    assert ev.n == len(w)


def test_s1c_taizhou_sits_below_the_core_median():
    r = opening.s1c_position(TZ, YEARS)
    assert r.evidence.label_en.startswith("below") and "低于" in r.evidence.label_zh
    assert r.data["rank"]["rank"].dropna().between(1, 41).all()
    assert r.data["gap"]["n"] >= 15  # log-gap trend since Taizhou joined (2003)
    assert opening.position_start(TZ, "association", 2000)[0] == 2003
    assert opening.position_start(NINGBO, "association", 2000)[0] == 2000


def test_s1c_and_the_claim_are_not_applicable_outside_the_yrd():
    r = opening.s1c_position(GANZHOU, YEARS)
    ev = r.evidence
    assert r.verdict == "not applicable" and ev.scope_note_zh.startswith("赣州")
    assert not re.search(r"[A-Za-z]", ev.scope_note_zh) and "Ganzhou" in ev.scope_note_en
    ctx = context.Context(notebook="s1_opening", params={}, unit=regions.resolve(GANZHOU))
    note = ctx.scope_note("S1")
    v, en, zh = evidence.claim_verdict([r.evidence], core=["S1.b"], scope_note=note)
    assert v == "not applicable" and "not one of the 41" in en
    assert zh.startswith("不适用") and not re.search(r"[A-Za-z]", zh)


# ------------------------------------------------------------------------------------- S1.d
def test_s1d_trade_is_not_testable_and_names_the_data():
    r = opening.s1d_trade(YEARS)
    assert r.verdict == "not testable" and "exports" in r.evidence.missing_data
    assert r.data["status"]["available"] is False


def test_claim_s1_verdict_follows_the_core_test(did):
    evs = [opening.s1a_port().evidence, did.evidence, opening.s1c_position(TZ, YEARS).evidence,
           opening.s1d_trade(YEARS).evidence]
    v, en, _ = evidence.claim_verdict(evs)
    assert v == did.verdict == "inconclusive" and "S1.b" in en


# -------------------------------------------------------------------------------- end to end
@pytest.mark.slow
def test_notebook_runs_for_taizhou(tmp_path):
    recs = check_evidence(run_notebook("s1_opening", tmp_path, focus_region="台州"), HYPS)
    assert recs["S1.a"]["verdict"] == "supported" and recs["S1.c"]["role"] == "description"
    assert recs["S1.b"]["sensitivity"] and recs["S1.d"]["verdict"] == "not testable"
    # 台州's own effect, with its placebo-in-space interval, next to the pooled one
    e = recs["S1.e"]
    assert e["level"] == "city" and e["ci_low"] < e["estimate"] < e["ci_high"]


def test_rank_path_has_no_rank_when_the_yrd_comparison_thins():
    """Comparable FDI/GDP: all 41 YRD cities report in 2021, 25 in 2022 (Anhui's reporting-basis
    change is cut). A rank among 25 is not a rank among 41: 2022 gets none, and the text names
    the last year with a rank and how many cities it is among."""
    r = opening.s1c_position("331000", (2000, 2022))
    rp = r.data["rank"]
    assert rp.at[2021, "n"] == 41 and rp.at[2021, "rank"] >= 1
    assert rp.at[2022, "n"] == 25 and np.isnan(rp.at[2022, "rank"])
    assert "of the 41 YRD cities with comparable data in 2021" in r.text_en


def test_the_gap_trend_follows_a_city_from_its_first_year_on_new_territory():
    """铜陵 took 枞阳 in 2015: its gap to the median before and after compares two areas."""
    from yrdlib.claims.opening import gap_trend

    years = range(2005, 2023)
    vals = pd.DataFrame([{"region_code": c, "year": y, "x": 1.0 + 0.01 * (y - 2005)}
                         for c in ("340700", "a", "b", "c") for y in years])
    vals.loc[(vals["region_code"] == "340700") & (vals["year"] >= 2015), "x"] *= 2  # the move
    vals = vals.set_index(["region_code", "year"])
    t = gap_trend(vals, "x", ["340700", "a", "b", "c"], "340700", 2005, 2022)
    assert min(t["table"].index) == 2015 and abs(t["estimate"]) < 1e-9  # no spurious catching up
    free = gap_trend(vals.rename(index={"340700": "z"}), "x", ["z", "a", "b", "c"], "z", 2005, 2022)
    assert free["estimate"] > 0 and np.isfinite(free["estimate"])  # the jump, read as a trend
