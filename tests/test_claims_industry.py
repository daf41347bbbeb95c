"""Claim S4 (industry and innovation): the registry's hypothesis functions in
yrdlib.claims.industry on the real data (no kernel), and one end-to-end run of
notebooks/s4_industry.ipynb for 台州 (slow)."""

from __future__ import annotations

import re

import numpy as np
import pytest
from nbtools import check_evidence, run_notebook

from yrdlib import evidence, regions
from yrdlib.claims import common, context, registry
from yrdlib.claims import industry as I
from yrdlib.data import indicators, panel

TZ, NINGBO, HEFEI, GANZHOU = "331000", "330200", "340100", "360700"
HYPS = {h.id for h in registry.claim("S4").hypotheses}  # every registered hypothesis is recorded


@pytest.fixture(scope="module")
def did():
    return I.s4b_tertiary_did((2000, 2023))


_S4A: dict = {}


def s4a(focus):
    """S4.a once per focus city for the module (six regressions each)."""
    if focus not in _S4A:
        _S4A[focus] = I.s4a_distance_decay(focus)
    return _S4A[focus]


def test_every_registry_function_exists():
    for h in registry.claim("S4").hypotheses:
        mod = h.function.split(":")[0]
        assert mod in ("yrdlib.claims.industry", "yrdlib.claims.city_effects"), h.id  # S4.g
        assert callable(h.load()), h.id
    assert set(registry.claim("S4").core) == {"S4.b", "S4.e", "S4.f"}


# ------------------------------------------------------------------------------------- S4.a
def test_cross_section_covers_37_of_41_yrd_cities_with_whole_city_controls():
    assert sorted(I.decay_missing()) == ["340300", "340800", "341300", "341600"]
    d = I.decay_sample()
    assert len(d) >= 270 and (d["gdppc_2015"] > 0).all()
    tz = d.set_index("region_code").loc[TZ]
    # whole-city resident population of 2015 (not the cross-section's urban districts, 179.3)
    assert tz["pop_2015"] == pytest.approx(631.8) and not tz["pop_interpolated"]


def test_s4a_denominator_is_read_from_the_indicator_dictionary():
    ind = indicators.get("patents_per_10k_2016")
    assert I.denominator() == (getattr(ind, "denominator", "") or ind.definition)
    r = s4a(TZ)
    assert I.denominator() in r.evidence.method and I.denominator() in r.text_en
    # the outcome is the data layer's own ratio: patents / its denominator population
    w = panel.wide(["patents_2016", "patents_per_10k_2016"], [TZ]).dropna()
    assert r.data["decay"].focus["observed"] == pytest.approx(w["patents_per_10k_2016"].iloc[0])


@pytest.mark.parametrize("focus", [TZ, NINGBO, HEFEI])
def test_s4a_gradient_is_national_and_fails_the_gate_within_the_yrd(focus):
    r = s4a(focus)
    ev = r.evidence
    assert ev.expected == "-" and not registry.hypothesis("S4.a").core
    assert ev.estimate < 0 and ev.ci_high < 0  # across all prefectures: innovation falls
    rows = {row["name"]: row for row in ev.sensitivity}
    assert len(rows) == 5 and rows["hub cities excluded"]["agrees"]
    yrd = rows["YRD-41 cities only"]
    assert yrd["ci_low"] < 0 < yrd["ci_high"] and not yrd["agrees"]  # no gradient inside the YRD
    assert r.verdict == "inconclusive" and "YRD-41 cities only" in ev.reason_en
    fo = r.data["decay"].focus
    assert fo["pi_low"] < fo["predicted"] < fo["pi_high"]


def test_s4a_refuses_an_unknown_distance_form():
    with pytest.raises(ValueError, match="distance must be"):
        I.s4a_distance_decay(TZ, distance="miles")


# ------------------------------------------------------------------------------------- S4.b
def test_s4b_rule_reads_the_design_based_interval_and_names_the_rows(did):
    ev = did.evidence
    assert ev.hypothesis == "S4.b" and ev.unit == "percentage points"
    rows = {r["name"]: r for r in ev.sensitivity}
    assert {"Sun–Abraham pre-trend", "province-clustered SE", "neighbouring-province controls"} <= set(rows)
    # the pre-trend tests reject but are shown, not binding; every estimator agrees in sign
    assert not rows["Sun–Abraham pre-trend"]["agrees"] and not rows["Sun–Abraham pre-trend"]["binding"]
    assert all(rows[n]["agrees"] for n in common.SIGN_ROWS)
    # city-clustered +2.83 [1.08, 4.59] excludes 0; over province blocks it does not
    assert rows["city-clustered SE (did2s)"]["ci_low"] > 0 and ev.ci_low < 0 < ev.ci_high
    assert did.verdict == "inconclusive" and ev.lean == "+" and ev.mde > ev.estimate
    assert did.data["rows"].shape[0] == len(ev.sensitivity)  # the specification chart's rows
    assert {"did2s", "sunab", "twfe"} == set(did.data["suite"]["estimator"])


def test_s4b_main_estimate_is_a_plausible_share_change(did):
    ev = did.evidence
    assert -10 < ev.estimate < 10 and ev.ci_low < ev.estimate < ev.ci_high
    es = did.data["event_did2s"]
    assert set(es["rel_time"]) >= set(range(-5, 6)) - {-1}


# ------------------------------------------------------------------------------------- S4.c
def test_s4c_yuhuan_is_the_most_manufacturing_heavy_county_a_description():
    r = I.s4c_manufacturing_profile()
    ev = r.evidence
    assert ev.role == "description" and r.verdict == "description"
    g = r.data["gap"]
    assert g["rank"] == 1 and g["n_units"] == 9 and g["gap"] > 10
    assert ev.estimate == pytest.approx(100 * 8.5 / 9)  # mid-rank percentile of the top of nine
    assert ev.label_en.startswith("above") and ev.label_zh.startswith("高于")
    assert set(r.data["census"]["year"]) == {2010, 2020}


def test_bulletin_profile_keeps_quality_and_known_value():
    p = I.bulletin_profile()
    y = p[(p["region_code"] == "331083") & (p["metric_key"] == "gdp") & (p["period"].astype(str) == "2019")]
    assert y["value"].iloc[0] == pytest.approx(617.5)  # Yuhuan 2019 bulletin GDP
    assert p["quality"].notna().all()


# ------------------------------------------------------------------------------ S4.d–S4.f
def test_s4d_to_s4f_are_not_testable_and_name_the_data():
    recs = {r.evidence.hypothesis: r for r in
            (I.s4d_rd_patents(), I.s4e_spillover_growth(), I.s4f_named_industries())}
    for h, r in recs.items():
        assert r.verdict == "not testable" and r.evidence.missing_data, h
    assert "331083" in recs["S4.d"].evidence.missing_data
    assert "patents_granted" in recs["S4.e"].evidence.missing_data
    assert "分行业" in recs["S4.f"].evidence.missing_data


def test_s4d_tests_a_user_series_when_it_exists(monkeypatch):
    """A (simulated) user series: on 6 years the slope is shown and the test is inconclusive,
    saying why (a trend test needs 8 points); on 10 years the exact Theil–Sen test judges it."""
    import pandas as pd

    def fake(values):
        idx = pd.MultiIndex.from_product([["331083"], range(2015, 2015 + len(values))],
                                         names=["region_code", "year"])
        return pd.DataFrame({"rd_intensity": values}, index=idx)

    monkeypatch.setattr(I, "user_coverage", lambda keys=I.USER_KEYS: pd.DataFrame())
    monkeypatch.setattr(I.panel, "wide", lambda keys, regions_=None, **kw: fake(
        [2.0, 2.2, 2.5, 2.7, 3.0, 3.2]))
    r = I.s4d_rd_patents()
    assert r.evidence.estimate == pytest.approx(0.25, abs=0.01) and r.verdict == "inconclusive"
    assert "at least 8" in r.evidence.notes
    monkeypatch.setattr(I.panel, "wide", lambda keys, regions_=None, **kw: fake(
        [2.0, 2.2, 2.5, 2.4, 2.7, 3.0, 2.9, 3.2, 3.3, 3.6]))
    r = I.s4d_rd_patents()
    assert r.verdict == "supported" and r.evidence.n == 10 and "Theil–Sen" in r.evidence.method


# ------------------------------------------------------------------------------------ claim
def test_claim_s4_cannot_be_supported_while_its_core_is_not_testable(did):
    evs = [s4a(TZ).evidence, did.evidence, I.s4c_manufacturing_profile().evidence,
           I.s4d_rd_patents().evidence, I.s4e_spillover_growth().evidence,
           I.s4f_named_industries().evidence]
    v, en, zh = evidence.claim_verdict(evs)
    assert v == "inconclusive" and "cannot be supported" in en and "不能被判为支持" in zh
    # even if S4.b were supported, the not-testable core S4.e/S4.f keep S4 from "supported"
    b = did.evidence.to_dict() | {"verdict": "supported"}
    assert evidence.claim_verdict([*evs[:1], b, *evs[2:]])[0] != "supported"


def test_claim_s4_not_applicable_for_a_non_member_in_both_languages():
    ctx = context.Context(notebook="s4_industry", params={}, unit=regions.resolve(GANZHOU))
    v, en, zh = evidence.claim_verdict([I.s4f_named_industries().evidence],
                                       scope_note=ctx.scope_note("S4"))
    assert v == "not applicable" and "Ganzhou" in en
    assert "赣州" in zh and not re.search(r"[A-Za-z]", zh)
    assert np.isfinite(I.s4a_distance_decay(GANZHOU).evidence.estimate)  # pooled, for reference


# -------------------------------------------------------------------------------- end to end
@pytest.mark.slow
def test_notebook_records_every_hypothesis_for_taizhou(tmp_path):
    out = run_notebook("s4_industry", tmp_path, focus_region="台州")
    evs = check_evidence(out, HYPS)
    assert evs["S4.a"]["ci_high"] < 0 and evs["S4.c"]["role"] == "description"
    assert evs["S4.b"]["sensitivity"] and evs["S4.b"]["verdict"] == "inconclusive"
    assert {evs[h]["verdict"] for h in ("S4.d", "S4.e", "S4.f")} == {"not testable"}
