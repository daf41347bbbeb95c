"""Claim P (seven paths) and the Yuhuan profile: module functions on the real panel, and both
notebooks run with papermill for 台州, 宁波 and 合肥."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from yrdlib import regions
from yrdlib.claims import paths as P
from yrdlib.claims import profile as Y
from yrdlib.data import panel

NB = Path(__file__).parent.parent / "notebooks"


@pytest.fixture(scope="module")
def wide():
    return panel.wide(P.indicator_keys())


def test_midrank_percentile():
    s = pd.Series([1.0, 2.0, 3.0, float("nan")], index=["a", "b", "c", "d"])
    assert P.midrank_percentile(s, "b") == 50.0
    assert P.midrank_percentile(s, "c") == pytest.approx(100 * 2.5 / 3)
    assert math.isnan(P.midrank_percentile(s, "d"))


def test_path_table_real_data(wide):
    t = P.path_table(wide, "331000", regions.yrd41(), 2000, 2023, 10)
    assert set(t["path"]) == {p.key for p in P.PATHS}
    nodata = set(t.loc[t["status"] == "no data", "path"])
    assert nodata == {"energy", "digital", "ecology", "public"}
    pat = t[t["indicator"] == "patents_per_10k_2016"].iloc[0]
    assert pat["latest_year"] == 2016 and pd.isna(pat["delta_pct"])  # one cross-section
    assert pat["n"] == 37  # 37 of the 41 YRD cities are in the CCSY 2016 cross-section
    fdi = t[t["indicator"] == "fdi_gdp"].iloc[0]
    # 2023 FDI reported by too few cities; 2022 too once Anhui's reporting-basis break is left out
    # (data/raw/breaks/breaks.csv: 16 of the 41 cities, below the 75 % coverage rule)
    assert fdi["latest_year"] == 2021
    ok = t[t["status"] == "ok"]
    assert ok["pct_latest"].between(0, 100).all()
    s = P.path_summary(t)
    r = s.set_index("path").loc["market"]
    assert r["gap_score"] == pytest.approx(min(r["level"] - 50, r["trend"] + P.FALL_TOLERANCE))


def test_evidence_per_path(wide):
    t = P.path_table(wide, "330200", regions.yrd41(), 2005, 2020, 5)
    evs = P.evidence(P.path_summary(t), "宁波", "Ningbo", "YRD 41", 5, "v", t)
    assert [e.hypothesis for e in evs] == [f"P.{p.key}" for p in P.PATHS]
    for e in evs:
        if e.verdict == "not testable":
            assert e.missing_data
        else:
            assert e.kind == "fact" and -100 <= e.estimate <= 100


def test_yuhuan_points_are_points():
    pts = P.yuhuan_points(panel.table("points"), ["broadband_users", "internet_users"])
    assert sorted(pts["period"].astype(int).unique()) == [2011, 2012]
    assert pts.loc[(pts["metric"] == "broadband_users") & (pts["period"].astype(int) == 2012),
                   "value"].iloc[0] == pytest.approx(14.82)


def test_profile_census():
    assert len(Y.taizhou_counties()) == 9
    c = Y.county_census()
    yh = c[(c["region_code"] == "331083") & (c["year"] == 2010)].iloc[0]
    assert yh["census_pop"] == 616346 and yh["census_hukou"] == 422297  # 6th census county table
    assert c.loc[c["year"] == 2020, "census_hukou"].isna().all()  # 2020 tables have no hukou
    r = Y.county_ranks(c, "census_migrant_share", 2020)
    assert len(r) == 9 and r.iloc[0]["region_code"] == "331083"


def test_profile_points_have_sources():
    p = Y.yuhuan_points(panel.table("points"))
    assert p["source"].notna().all() and p["qualifier"].notna().all()
    assert {"大麦屿港区(玉环)"} <= set(p["entity"])
    assert p["duplicate"].any()  # the 2019 bulletin figures appear in two files


def _run(nb: str, tmp_path: Path, **params) -> Path:
    import papermill as pm

    out = tmp_path / f"{nb}_{abs(hash(tuple(params.items())))}.ipynb"
    pm.execute_notebook(str(NB / f"{nb}.ipynb"), str(out), parameters=params, kernel_name="yrd",
                        cwd=str(NB), progress_bar=False)
    return out


@pytest.mark.parametrize("focus", ["331000", "宁波", "合肥"])
def test_paths_notebook(tmp_path, focus):
    from yrdlib.evidence import VERDICTS, evidences_from_notebook

    out = _run("p_paths", tmp_path, focus_region=focus, start_year=2008, end_year=2016, window=5)
    recs = evidences_from_notebook(out)
    assert {r["hypothesis"] for r in recs} == {f"P.{p.key}" for p in P.PATHS}
    for r in recs:
        assert r["claim"] == "P" and r["verdict"] in VERDICTS
        if r["verdict"] == "not testable":
            assert r["missing_data"]
        else:
            assert math.isfinite(r["estimate"]) and -100 <= r["estimate"] <= 100


@pytest.mark.parametrize("focus", ["331083", "宁波"])
def test_profile_notebook(tmp_path, focus):
    import nbformat

    out = _run("yuhuan_profile", tmp_path, focus_region=focus)
    text = nbformat.read(out, as_version=4)
    s = str(text)
    assert "616,346" in s  # Yuhuan's 2010 census residents, computed into the prose
    if focus != "331083":
        assert "falls back" in s or "shows Yuhuan" in s
