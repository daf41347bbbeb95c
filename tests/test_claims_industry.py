"""S4 (industry and innovation): yrdlib.claims.industry on the real data, and
notebooks/s4_industry.ipynb run with papermill for 台州, 宁波 and 合肥 on a short year range."""

from __future__ import annotations

import pytest
from nbtools import check_evidence, run_notebook

from yrdlib import config
from yrdlib.claims import industry as I

NOTEBOOK = config.NOTEBOOKS / "s4_industry.ipynb"


def test_cross_section_covers_37_of_41_yrd_cities():
    assert sorted(I.decay_missing()) == ["340300", "340800", "341300", "341600"]
    d = I.decay_sample()
    assert len(d) >= 270 and (d["gdppc_2016"] > 0).all()


def test_distance_decay_is_negative_nationally_and_focus_predicted():
    r = I.decay("331000")
    assert r.slope < 0 and r.ci_high < 0
    assert r.focus["pi_low"] < r.focus["predicted"] < r.focus["pi_high"]
    rob = I.decay_robustness()
    assert len(rob) == 6 and rob["slope"].notna().all()


def test_yuhuan_is_the_most_manufacturing_heavy_county():
    g = I.manufacturing_gap(2020)
    assert g["rank"] == 1 and g["n_units"] == 9 and g["gap"] > 10
    cc = I.county_census()
    assert set(cc["year"]) == {2010, 2020}  # both censuses


def test_bulletin_profile_keeps_quality_and_known_value():
    p = I.bulletin_profile()
    y = p[(p["region_code"] == "331083") & (p["metric_key"] == "gdp") & (p["period"].astype(str) == "2019")]
    assert y["value"].iloc[0] == pytest.approx(617.5)  # Yuhuan 2019 bulletin GDP
    assert p["quality"].notna().all()
    assert 50 < I.secondary_share_2019()["county"] < 60


def test_shared_did_suite_runs_all_estimators_on_the_tertiary_share():
    from yrdlib.claims import common

    d = common.did_data("share_tertiary", "association", (2008, 2016), "level")
    t = common.suite_table(common.did_suite(d, leads=3, lags=3, placebo=0))
    assert list(t["estimator"]) == ["did2s", "sunab", "twfe"] and t["att"].notna().all()


@pytest.mark.parametrize("focus", ["331000", "宁波", "合肥"])
def test_notebook_records_every_hypothesis(tmp_path, focus):
    out = run_notebook("s4_industry", tmp_path, focus_region=focus, start_year=2006,
                       end_year=2016, event_window=3)
    evs = check_evidence(out, {"S4.a", "S4.b", "S4.c", "S4.d", "S4.e", "S4.f"})
    assert evs["S4.a"]["ci_high"] < 0 and -50 < evs["S4.a"]["estimate"] < 0
    assert -20 < evs["S4.b"]["estimate"] < 20 and evs["S4.b"]["ci_low"] < evs["S4.b"]["ci_high"]
