"""Comparable series (issue 10), on the real files: reporting-basis breaks are detected and decided,
decisions reach the panel as flags that `panel.wide` honours, real GDP is chain-linked from the
published index, and per-capita ratios use the whole-city population."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from yrdlib import config
from yrdlib.data import breaks
from yrdlib.data import panel as P
from yrdlib.errors import DataError

ANHUI, HEFEI, WUHU, MAANSHAN, TAIZHOU = "340000", "340100", "340200", "340500", "331000"
SONGYUAN = "220700"


@pytest.fixture(scope="module")
def detected(panel):
    return breaks.detect(panel)


def _row(d, indicator, scope, year):
    r = d[(d["indicator"] == indicator) & (d["scope"] == scope) & (d["year"] == year)]
    return r.iloc[0] if len(r) else None


# ---- detection -------------------------------------------------------------------------------

def test_anhui_fdi_2022_is_a_province_break(panel, detected):
    py = breaks.province_years(panel, "fdi_usd").set_index(["province", "year"])
    a = py.loc[(ANHUI, 2022)]
    assert a["break"] and a["direction"] == "down"
    assert a["n"] == 16 and a["down"] >= 14  # the issue: 14 of 16 fall more than 7-fold
    assert a["median_dlog"] < -np.log(7)
    r = _row(detected, "fdi_usd", ANHUI, 2022)
    assert r is not None and "16/16" in r["evidence"]
    # the year before is an ordinary year for Anhui
    assert not py.loc[(ANHUI, 2021)]["break"]


def test_other_provinces_fdi_basis_changes_in_other_years(detected):
    fdi = detected[(detected["indicator"] == "fdi_usd") & (detected["cls"] == "province")]
    down = set(zip(fdi.loc[fdi["direction"] == "down", "scope"], fdi.loc[fdi["direction"] == "down", "year"]))
    assert {("210000", 2015), ("430000", 2021), ("230000", 2019)} <= down  # Liaoning, Hunan, Heilongjiang
    assert fdi["scope"].nunique() >= 10


def test_sector_share_2019_break_is_detected(detected):
    s = detected[(detected["indicator"] == "share_secondary") & (detected["year"] == 2019)
                 & (detected["cls"] == "province")]
    assert len(s) >= 5 and (s["direction"] == "down").all()


def test_taizhou_road_area_2022_level_shift_is_caught(detected):
    r = _row(detected, "road_area_pc", TAIZHOU, 2022)
    assert r is not None and r["cls"] == "city" and r["direction"] == "down"
    assert "24.68 → 15.46" in r["evidence"]


def test_city_shift_rule_separates_shift_from_spike():
    years = list(range(2000, 2012))
    shift = [10.0] * 6 + [20.0] * 6  # doubles in 2006 and stays
    spike = [10.0] * 6 + [20.0] + [10.0] * 5  # doubles in 2006 and comes back
    noise = np.random.default_rng(0).normal(0, 0.01, 12)
    rows = [dict(region_code=c, year=y, indicator="x", value=v * np.exp(e))
            for c, vals in (("110000", shift), ("120000", spike)) for y, v, e in zip(years, vals, noise)]
    # a background of ordinary cities so that the robust spread is the usual one
    rng = np.random.default_rng(1)
    rows += [dict(region_code=f"13{i:02d}00", year=y, indicator="x", value=float(np.exp(rng.normal(0, .05))))
             for i in range(1, 40) for y in years]
    out = breaks.city_shifts(pd.DataFrame(rows), "x")
    assert list(zip(out["scope"], out["year"])) == [("110000", 2006)]


def test_detection_is_reproducible(panel, detected):
    again = breaks.detect(panel.sample(frac=1.0, random_state=3))
    pd.testing.assert_frame_equal(detected, again)


# ---- decisions -------------------------------------------------------------------------------

def test_every_detected_break_has_a_decision(panel):
    assert breaks.check_lines(panel) == []
    dec = breaks.read_decisions()
    assert set(dec["decision"]) <= set(breaks.DECISIONS)
    assert (dec["reason"].str.len() > 40).all() and (dec["evidence"].str.len() > 10).all()


@pytest.mark.parametrize("row, expected", [
    (f"fdi_usd,{ANHUI},2022,", ("fdi_usd 340000", "2022")),           # a province basis change
    (f"fdi_usd,{SONGYUAN},2006,", (f"fdi_usd {SONGYUAN} (松原) 2006 flat",)),  # a compiler fill
])
def test_an_undecided_break_fails_the_check(panel, raw_copy, row, expected):
    f = raw_copy / "breaks" / "breaks.csv"
    lines = f.read_text(encoding="utf-8").splitlines()
    kept = [ln for ln in lines if not ln.startswith(row)]
    assert len(kept) == len(lines) - 1
    f.write_text("\n".join(kept) + "\n", encoding="utf-8")
    out = breaks.check_lines(panel, f)
    assert len(out) == 1 and all(x in out[0] for x in expected)


def test_cli_check_fails_on_an_undecided_break(raw_copy, tmp_path):
    f = raw_copy / "breaks" / "breaks.csv"
    lines = f.read_text(encoding="utf-8").splitlines()
    f.write_text("\n".join(ln for ln in lines if not ln.startswith(f"road_area_pc,{TAIZHOU},2022,"))
                 + "\n", encoding="utf-8")
    root = tmp_path / "proj"
    (root / "data").mkdir(parents=True)
    (root / "data" / "raw").symlink_to(raw_copy)
    (root / "pyproject.toml").write_text("")
    (root / "yrdlib").mkdir()
    P.ensure_built()
    env = {**os.environ, "YRD_ROOT": str(root), "YRD_PROCESSED": str(config.PROCESSED)}
    r = subprocess.run([sys.executable, "-m", "yrdlib.cli", "data", "check"], capture_output=True,
                       text=True, env=env, timeout=300)
    assert r.returncode == 3  # bad input data (yrdlib.errors.EXIT_DATA)
    hits = [ln for ln in r.stderr.splitlines() if "undecided series break" in ln]
    assert len(hits) == 1 and "road_area_pc 331000 (台州) 2022" in hits[0]


def test_a_decision_without_reason_is_refused(raw_copy):
    f = raw_copy / "breaks" / "breaks.csv"
    lines = f.read_text(encoding="utf-8").splitlines()
    lines.append("fdi_usd,340000,2030,down,x,keep,")
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=rf"breaks.csv, line {len(lines)}, column 'reason'"):
        breaks.read_decisions(f)


# ---- flags reach the panel -------------------------------------------------------------------

def test_wide_leaves_out_a_decided_break_and_gives_it_back_on_request(panel):
    flagged = panel[(panel["indicator"] == "fdi_gdp") & (panel["region_code"] == WUHU)]
    assert "series_break" in flagged.set_index("year").loc[2022, "flag"]
    assert "series_break" not in flagged.set_index("year").loc[2021, "flag"]
    w = P.wide(["fdi_gdp", "gdp"], [WUHU])
    assert np.isnan(w.loc[(WUHU, 2022), "fdi_gdp"]) and w.loc[(WUHU, 2021), "fdi_gdp"] > 0
    assert w.loc[(WUHU, 2022), "gdp"] > 0  # GDP itself is not touched
    x = w.attrs["excluded"]
    assert list(x.columns) == ["region_code", "year", "indicator", "flag", "reason"]
    assert (WUHU, 2022, "fdi_gdp") in set(zip(x.region_code, x.year, x.indicator))
    assert x["reason"].str.contains("basis").all()
    w2 = P.wide(["fdi_gdp", "gdp"], [WUHU], comparable=False)
    assert w2.loc[(WUHU, 2022), "fdi_gdp"] == pytest.approx(flagged.set_index("year").loc[2022, "value"])
    assert w2.attrs["excluded"].empty


def test_sample_note_says_how_many_and_where(panel):
    w = P.wide(["fdi_gdp"], years=(2003, 2023))
    note = P.sample_note(w.attrs["excluded"])
    assert note["n"] == len(w.attrs["excluded"]) and note["n"] > 100
    assert "安徽省" in note["provinces"] and "安徽省自2022年" in note["zh"]
    assert "Anhui from 2022" in note["en"] and str(note["n"]) in note["en"]
    assert P.sample_note(P.wide(["gdp"], [TAIZHOU]).attrs["excluded"])["n"] == 0


def test_boundary_affected_city_years():
    b = P.boundary_affected(2009, 2012)
    assert set(b[b["region_code"] == HEFEI]["year"]) == {2009, 2010}
    assert set(b[b["region_code"] == "370100"]["year"]) == {2009, 2010, 2011, 2012}


# ---- real GDP and denominators ---------------------------------------------------------------

@pytest.mark.parametrize("code,index", [(HEFEI, 115.2), (WUHU, 115.7), (MAANSHAN, 111.8)])
def test_chain_linked_real_growth_equals_the_published_index_across_the_chaohu_split(code, index):
    w = P.wide(["gdp_real", "gdp_index"], [code], years=(2010, 2011))
    growth = w.loc[(code, 2011), "gdp_real"] / w.loc[(code, 2010), "gdp_real"]
    assert growth == pytest.approx(index / 100, rel=1e-9)
    assert w.loc[(code, 2011), "gdp_index"] == pytest.approx(index)
    nominal = P.wide(["gdp"], [code], years=(2010, 2011))["gdp"]
    assert nominal.iloc[1] / nominal.iloc[0] > growth + 0.05  # the territory gain is in nominal GDP


def test_chain_starts_at_nominal_gdp_in_2000_and_restarts_after_a_gap():
    from yrdlib.data.derive import chain_real_gdp

    idx = pd.MultiIndex.from_tuples([("1", y) for y in (2000, 2001, 2002, 2004, 2005)],
                                    names=["region_code", "year"])
    v = pd.DataFrame({"gdp": [100, 120, 150, 200, 230], "gdp_deflator": [1, 1.1, 1.2, 1.5, 1.6],
                      "gdp_index": [np.nan, 110, 110, 110, 105]}, index=idx)
    out, flags = chain_real_gdp(v)
    assert out.tolist() == pytest.approx([100, 110, 121, 200 / 1.5, 200 / 1.5 * 1.05])
    assert flags.tolist() == ["", "", "", "chain_restart", ""]


def test_taizhou_patents_per_10k_use_the_whole_city_population(panel):
    w = P.wide(["patents_2016", "patents_per_10k_2016", "patents_per_10k_urban_2016",
                "pop_resident_2016"], [TAIZHOU])
    pop15 = P.wide(["pop_resident"], [TAIZHOU], years=(2015, 2015))["pop_resident"].iloc[0]
    assert pop15 == pytest.approx(631.8, abs=1)  # whole city, 2015 (the 2016 yearbook's year)
    r = w.loc[(TAIZHOU, 2016)]
    assert r["patents_per_10k_2016"] == pytest.approx(r["patents_2016"] / pop15)
    assert r["pop_resident_2016"] == pytest.approx(179.3)  # the urban-district figure
    assert r["patents_per_10k_urban_2016"] / r["patents_per_10k_2016"] > 3


def test_every_indicator_states_numerator_and_denominator():
    from yrdlib.data import indicators

    t = indicators.table()
    assert (t["numerator"].str.len() > 0).all()
    for k in ["fdi_gdp", "gdp_pc", "fdi_pc", "patents_per_10k_2016", "road_area_pc", "loans_gdp"]:
        assert indicators.get(k).denominator, k
    assert "whole" in indicators.get("patents_per_10k_2016").denominator
    assert "市辖区" in indicators.get("pop_resident_2016").label_zh


def test_a_decision_that_matches_no_break_is_reported(panel, raw_copy):
    f = raw_copy / "breaks" / "breaks.csv"
    with open(f, "a", encoding="utf-8") as fh:
        fh.write("fdi_usd,330000,2020,down,none,set_missing_from,planted row that matches nothing\n")
    errors, warnings = breaks.review(panel, f)
    assert errors == []
    assert len(warnings) == 1 and "fdi_usd 330000 2020 set_missing_from" in warnings[0]


# ---- the latest basis is kept (keep_latest_basis) ----------------------------------------------

XINJIANG, URUMQI, ZHAOTONG = "650000", "650100", "530600"


def test_road_area_keeps_the_current_basis_in_the_latest_year(panel):
    dec = breaks.read_decisions()
    road = dec[dec["indicator"] == "road_area_pc"]
    assert "end_series" not in set(road["decision"])  # no decision drops the current basis
    shifts = road[(road["year"] >= 2014) & (road["direction"] != "flat")]
    assert len(shifts) == 98 and (shifts["decision"] == "keep_latest_basis").all()
    w = P.wide("road_area_pc", years=(2023, 2023))
    n_all = len(P.wide("road_area_pc", years=(2023, 2023), comparable=False).dropna())
    assert n_all == 304
    # end_series left 210 of 304 comparable in 2023; now only the five 2023 repeats are out
    assert w["road_area_pc"].notna().sum() >= 295
    x = w.attrs["excluded"]
    assert set(x["flag"]) == {"repeated_value"}


def test_taizhou_road_area_is_compared_at_its_current_level(panel):
    w = P.wide("road_area_pc", [TAIZHOU], years=(2020, 2023))["road_area_pc"]
    assert w.loc[(TAIZHOU, 2022)] == pytest.approx(15.46, abs=0.01)  # the new basis, kept
    assert w.loc[(TAIZHOU, 2023)] > 0
    assert np.isnan(w.loc[(TAIZHOU, 2021)]) and np.isnan(w.loc[(TAIZHOU, 2020)])  # old basis
    f = panel[(panel["indicator"] == "road_area_pc") & (panel["region_code"] == TAIZHOU)]
    f = f.set_index("year")["flag"]
    assert "earlier_basis" in f[2021] and "earlier_basis" not in f[2022]
    note = P.sample_note(P.wide("road_area_pc", [TAIZHOU], years=(2015, 2023)).attrs["excluded"])
    assert "Zhejiang before 2022" in note["en"] and "浙江省2022年以前" in note["zh"]


def test_keep_latest_basis_flags_only_the_years_before_the_break():
    p = pd.DataFrame({"region_code": "110100", "indicator": "road_area_pc",
                      "year": range(2015, 2021), "flag": ""})
    dec = pd.DataFrame([dict(indicator="road_area_pc", scope="110100", year=2018,
                             decision="keep_latest_basis", reason="r"),
                        dict(indicator="road_area_pc", scope="110100", year=2020,
                             decision="drop_repeat", reason="r")])
    out = breaks.mark(p, breaks.exclusions(p, dec)).set_index("year")["flag"]
    assert out.to_dict() == {2015: "earlier_basis", 2016: "earlier_basis", 2017: "earlier_basis",
                             2018: "", 2019: "", 2020: "repeated_value"}


# ---- province-year rule: three cities must move ------------------------------------------------

def test_xinjiang_fdi_2009_is_not_a_basis_change(panel, detected, monkeypatch):
    py = breaks.province_years(panel, "fdi_usd").set_index(["province", "year"])
    x = py.loc[(XINJIANG, 2009)]
    assert x["n"] == 3 and x["down"] == 2 and not x["break"]  # 哈密 and 吐鲁番 fell, 乌鲁木齐 rose
    assert _row(detected, "fdi_usd", XINJIANG, 2009) is None
    dec = breaks.read_decisions()
    assert not ((dec["scope"] == XINJIANG) & (dec["indicator"] == "fdi_usd")).any()
    # 乌鲁木齐's FDI from 2009 on is comparable again (it was set missing with the province)
    w = P.wide("fdi_usd", [URUMQI], years=(2008, 2016))["fdi_usd"]
    assert w.notna().all() and w.loc[(URUMQI, 2009)] == pytest.approx(125.0)
    # the old rule (two moving cities sufficed) called it a break
    monkeypatch.setattr(breaks, "MIN_MOVERS", 2)
    assert breaks.province_years(panel, "fdi_usd").set_index(["province", "year"]).loc[
        (XINJIANG, 2009), "break"]


def test_every_province_break_has_three_cities_moving(detected, panel):
    prov = detected[detected["cls"] == "province"]
    assert len(prov) > 50
    sides = prov["evidence"].str.extract(r"^(\d+)/(\d+) ").astype(int)
    assert (sides[0] >= breaks.MIN_MOVERS).all() and (sides[0] * 2 >= sides[1]).all()


# ---- repeated values (compiler fills) ----------------------------------------------------------

def test_songyuan_fdi_2006_is_a_repeat_and_left_out(panel, detected):
    r = _row(detected, "fdi_usd", SONGYUAN, 2006)
    assert r is not None and r["cls"] == "repeat" and "68.58 in 2005 and 2006" in r["evidence"]
    first = _row(detected, "fdi_usd", SONGYUAN, 2005)  # the first of the pair: a kept level shift
    assert first is None or first["cls"] != "repeat"
    w = P.wide(["fdi_usd", "fdi_gdp", "gdp"], [SONGYUAN], years=(2005, 2007))
    assert w.loc[(SONGYUAN, 2005), "fdi_usd"] == pytest.approx(68.58)
    assert np.isnan(w.loc[(SONGYUAN, 2006), "fdi_usd"]) and np.isnan(w.loc[(SONGYUAN, 2006), "fdi_gdp"])
    assert w.loc[(SONGYUAN, 2006), "gdp"] > 0  # GDP is not a fill
    x = w.attrs["excluded"]
    assert set(x["flag"]) == {"repeated_value"} and x["reason"].str.contains("compiler fill").all()
    raw = P.wide("fdi_usd", [SONGYUAN], years=(2006, 2006), comparable=False)
    assert raw.iloc[0, 0] == pytest.approx(68.58)


def test_repeat_detector_separates_fills_from_coarse_figures(panel):
    fdi = breaks.repeats(panel, "fdi_usd")
    assert (SONGYUAN, 2006) in set(zip(fdi["region_code"], fdi["year"]))
    # 昭通 FDI printed as a whole 1 (百万美元) in 2020 and 2021: at that precision a repeat is likely
    assert (ZHAOTONG, 2021) not in set(zip(fdi["region_code"], fdi["year"]))
    assert (fdi["chance"] < breaks.REPEAT_ALPHA).all() and len(fdi) >= 8
    # population printed in whole 万 repeats by chance: the exact repeats are many, the flagged few
    pop = panel[panel["indicator"] == "pop_resident"].sort_values(["region_code", "year"])
    same = (pop["value"].diff() == 0) & (pop["region_code"] == pop["region_code"].shift())
    assert same.sum() >= 50 and len(breaks.repeats(panel, "pop_resident")) <= 3
    # land area is legitimately constant: never checked
    assert "land_area" not in breaks.REPEATS and "gdp_index" not in breaks.REPEATS


def test_decimals_reads_the_published_precision():
    assert list(breaks.decimals([68.580002, 154.2, 16.0, 55.0691, 0.25])) == [2, 1, 0, 4, 2]


def test_drop_repeat_only_for_a_repeat(raw_copy):
    f = raw_copy / "breaks" / "breaks.csv"
    lines = f.read_text(encoding="utf-8").splitlines()
    lines.append("fdi_usd,340000,2030,down,x,drop_repeat,a reason long enough to pass the check")
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=rf"breaks.csv, line {len(lines)}, column 'decision'"):
        breaks.read_decisions(f)


def test_repeat_detection_is_deterministic(panel, detected):
    rep = detected[detected["cls"] == "repeat"]
    assert len(rep) >= 60 and set(rep["direction"]) == {"flat"}
    again = breaks.detect(panel.sample(frac=1.0, random_state=11), keys=list(breaks.REPEATS))
    again = again[again["cls"] == "repeat"].reset_index(drop=True)
    pd.testing.assert_frame_equal(rep.reset_index(drop=True), again)


def test_the_latest_basis_is_that_of_the_window(panel):
    before = P.wide("road_area_pc", [TAIZHOU], years=(2015, 2021))["road_area_pc"]
    assert before.notna().all() and before.loc[(TAIZHOU, 2021)] == pytest.approx(24.68, abs=0.01)
    across = P.wide("road_area_pc", [TAIZHOU], years=(2015, 2022))
    assert across["road_area_pc"].notna().sum() == 1  # only 2022, the basis the window ends on
    long = P.comparable(panel[(panel["indicator"] == "road_area_pc") & (panel["region_code"] == TAIZHOU)
                              & panel["year"].between(2015, 2021)])
    assert len(long) == 7  # the long-panel reader uses the same rule
