"""Claim S1 (opening-up): analysis functions on the real panel, and the notebook end to end."""

from __future__ import annotations

import numpy as np
import pytest
from nbtools import check_evidence, run_notebook

from yrdlib import config, regions
from yrdlib.claims import common, opening
from yrdlib.data import panel

NOTEBOOK = config.NOTEBOOKS / "s1_opening.ipynb"
HYPS = {"S1.a", "S1.b", "S1.b-trade", "S1.c"}


def test_port_fact_check_uses_published_points():
    pc = opening.port_fact_check()
    t = pc.table
    nz = t[t["entity"] == opening.NZ_PORT].set_index("year")
    # published figures: 11.19亿吨 (2019, exact), >12.5亿吨 (2022, lower bound)
    assert nz.loc[2019, "value"] == pytest.approx(111900)
    assert nz.loc[2022, "qualifier"] == "lower_bound"
    assert not t["qualifier"].isin(["target", "forecast"]).any()
    assert pc.year is not None and pc.ratio > 1  # larger than every other port embedded that year
    assert any("Chinese ports" in c for c in pc.caveats)


def test_port_fact_check_without_rivals_is_not_a_ratio():
    t = opening.port_cargo_points()
    pc = opening.port_fact_check(t[t["entity"] == opening.NZ_PORT])
    assert pc.ratio is None and pc.year is None


def test_panel_focus_county_uses_prefecture():
    f, p, note = common.panel_focus("331083")
    assert f.level == "county" and p.code == "331000" and "prefecture" in note
    assert common.panel_focus("宁波")[1].code == "330200"


def test_did_data_drops_founders_and_logs():
    d = common.did_data("fdi_gdp", "association", (2000, 2022), "log")
    assert not d["region_code"].isin(["310000", "330200", "320100"]).any()  # 1997 founders
    assert d["region_code"].isin(["331000"]).any()  # Taizhou (2003 cohort) stays
    assert np.allclose(np.exp(d["y"]), d["fdi_gdp"])
    assert any("treated in or before 2000" in n for n in d.attrs["notes"])
    # every unit keeps >= 2 untreated observations (did2s first stage)
    tr = d["treat_year"].notna() & (d["year"] >= d["treat_year"])
    assert (~tr).groupby(d["region_code"]).sum().min() >= 2


def test_did_suite_short_sample():
    d = common.did_data("fdi_pc", "association", (2006, 2016), "log")
    s = common.did_suite(d, leads=3, lags=3, placebo=0)
    t = common.suite_table(s)
    ok = t[t["n_obs"] > 0]
    assert {"did2s", "sunab", "twfe"} <= set(ok["estimator"])
    assert ok["att"].abs().lt(3).all() and (ok["ci_low"] < ok["ci_high"]).all()
    assert set(s["did2s"].cohorts) == {2011, 2014}  # first full year of membership


def test_coverage_counts_ecb_flags():
    d = common.did_data("fdi_gdp", "association", (2000, 2022), "level")
    cov = opening.coverage(d, "fdi_gdp")
    assert cov["ecb_derived"].sum() > 0 and cov.loc[2010, "cities"] > 250


def test_rank_and_gap():
    w = panel.wide(["fdi_gdp"], years=(2003, 2022))
    rp = opening.rank_path(w, "fdi_gdp", regions.yrd41(), "331000")
    assert rp["rank"].dropna().between(1, 41).all() and rp["n"].max() <= 41
    g = opening.gap_trend(w, "fdi_gdp", regions.yrd41(), "331000", 2003, 2022)
    assert g["n"] >= 15 and g["ci_low"] < g["estimate"] < g["ci_high"]
    assert opening.position_start("331000", "association", 2000)[0] == 2003
    assert opening.position_start("330200", "association", 2000)[0] == 2000


def test_trade_status_has_no_panel_by_default():
    s = opening.trade_panel_status()
    assert set(s["counts"]) == set(opening.TRADE)


def _check(path):
    recs = check_evidence(path, HYPS)
    for h, r in recs.items():
        if r["estimate"] is not None and r["verdict"] != "not testable":
            assert abs(r["estimate"]) < 5, h
    assert recs["S1.a"]["kind"] == "fact" and recs["S1.a"]["estimate"] > 0
    return recs


@pytest.mark.parametrize("focus,extra", [("331000", {}), ("宁波", {"outcome": "fdi_pc"}),
                                         ("合肥", {"treatment": "plan2016"})])
def test_notebook_runs(tmp_path, focus, extra):
    _check(run_notebook("s1_opening", tmp_path, focus_region=focus, start_year=2006,
                        end_year=2018, **extra))
