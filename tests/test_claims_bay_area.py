"""S3 (bay area): yrdlib.claims.bay_area on the real panel, and notebooks/s3_bay_area.ipynb run
with papermill for 台州 and 宁波 on a short year range."""

from __future__ import annotations

import pytest
from nbtools import check_evidence, run_notebook

from yrdlib import config
from yrdlib.claims import bay_area as B
from yrdlib.methods import time_trend

NOTEBOOK = config.NOTEBOOKS / "s3_bay_area.ipynb"


def test_bay_group_is_shanghai_plus_six_zhejiang_cities():
    assert B.bay_codes() == ["310000", "330100", "330200", "330400", "330500", "330600", "330900"]
    g = B.partner_groups("330200")  # Ningbo is a bay city: removed from its own partners
    assert "330200" not in g["north"] and g["south"] == ["330300"]


def test_taizhou_linkage_shares_sum_and_known_gdp():
    g = B.partner_groups("331000")
    links = B.linkages("331000", g, (2000, 2023))
    sh = B.shares(links, "331000", g)
    assert ((sh["north_share"] > 50) & (sh["north_share"] < 100)).all()
    # 2001-2004 lack a reported population for Taizhou: left out, never filled
    assert not set(range(2001, 2005)) & set(sh.index)
    mp = B.mass_panel(["331000"], (2019, 2019))
    assert mp["gdp"].iloc[0] == pytest.approx(5134.05)  # published revised value
    tr = time_trend(sh["north_share"])
    assert tr.ci_low < tr.slope < tr.ci_high and tr.n == len(sh)


def test_sensitivity_covers_exponents_and_masses():
    s = B.sensitivity("331000", B.partner_groups("331000"), (2005, 2023))
    assert set(s["b"]) == {1.0, 1.5, 2.0, 2.5} and set(s["mass"]) == set(B.MASSES)
    assert s["slope_pp_per_year"].notna().all()


def test_yuhuan_cross_section_uses_census_and_bulletin():
    cs = B.county_cross_section("331083")
    sh = B.cross_section_shares(cs)
    assert {"331083", "331000"} <= set(sh.index)
    assert sh["331083"] < sh["331000"]  # Yuhuan lies further south, nearer Wenzhou


def test_break_year_falls_back_when_pre_period_is_short():
    assert B.choose_break("331000", 2000)[:2] == (2010, "plan2010")  # joined 2003: 3 pre-years
    assert B.choose_break("340100", 2000)[:2] == (2010, "association")  # Hefei joined 2010
    r = B.comove("340100", 2010, (2000, 2023), window=8, n_boot=199)
    assert r.table["n_before"].iloc[0] == 8


def test_bay_scale_totals():
    sc = B.bay_scale("331000", (2019, 2019))
    assert sc["bay_gdp"].iloc[0] > 8e4 and 0 < sc["focus_share_of_bay"].iloc[0] < 10


@pytest.mark.parametrize("focus", ["331000", "宁波", "合肥"])
def test_notebook_records_every_hypothesis(tmp_path, focus):
    out = run_notebook("s3_bay_area", tmp_path, focus_region=focus, start_year=2005,
                       end_year=2019, comovement_window=5)
    recs = check_evidence(out, {"S3.a", "S3.b"})  # S3.c is descriptive: no verdict
    for r in recs.values():
        assert r["estimate"] is None or abs(r["estimate"]) < 5


def test_wenzhou_as_focus_gets_the_nearest_city_to_its_south():
    g = B.partner_groups("330300")
    assert g["south"] == ["350900"] and "宁德" in g.notes[0]  # 宁德, Fujian
    assert "330300" not in g["north"] + g["south"]
