"""User figures (data/user/) are visible and bounded: the suite itself never reads data/user; a
record resting on user figures carries the badge 用户数据 · 未经核实 with the user's source text and
is provisional (box, evidence.csv columns, claim record, index label, scorecard); the profile
shows user county series; a trend on too few user points is inconclusive; an undecided break in
a user series stops `yrd data check` and `yrd run` with exit 3 naming the user's file and line.
Every user file here is written in a temporary folder; its values are invented and say so."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from yrdlib import config, evidence
from yrdlib.data import build, panel

ROOT = Path(__file__).resolve().parents[1]
SRC = "invented for a test (not a published figure)"
HEAD = "region,year,indicator,value,unit,source,flag\n"


def _write(folder: Path, name: str, rows: list[str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    f = folder / name
    f.write_text(HEAD + "".join(r + "\n" for r in rows), encoding="utf-8")
    return f


@pytest.fixture(scope="module")
def user_build(tmp_path_factory):
    """The processed data built with a user folder: 玉环 R&D intensity 2010-2019 (10 points,
    rising), 温岭 patents 2015-2019 (5 points, falling), 台州 exports 2018-2019; flag `test`."""
    tmp = tmp_path_factory.mktemp("user")
    user = tmp / "user"
    rd = [0.8, 1.0, 0.9, 1.2, 1.4, 1.3, 1.6, 1.9, 1.8, 2.1]
    _write(user, "yuhuan_rd.csv", [f"玉环,{2010 + i},rd_intensity,{v},%,{SRC},test"
                                   for i, v in enumerate(rd)])
    _write(user, "wenling_patents.csv", [f"温岭,{2015 + i},patents_granted,{v},件,{SRC},test"
                                         for i, v in enumerate([3100, 2950, 2700, 2520, 2300])])
    _write(user, "taizhou_exports.csv", [f"台州,2018,exports_usd,180.2,亿美元,{SRC},test",
                                         f"台州,2019,exports_usd,190.5,亿美元,{SRC},"])
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(config, "USER_DATA", user)
        mp.setattr(config, "PROCESSED", tmp / "processed")
        build.build()
        yield user


def test_the_suite_reads_no_user_data(panel):
    assert config.USER_DATA != ROOT / "data" / "user"
    assert not build.user_csvs(config.USER_DATA)
    assert not panel["flag"].str.contains("user").any()
    assert os.environ["YRD_PROCESSED"] != str(ROOT / "data" / "processed")


def test_without_user_data_the_section_says_what_cannot_be_tested():
    # runs before the module's user build (the fixture patches config until the module ends)
    from yrdlib.claims import industry as I
    from yrdlib.figures import industry as IF

    rs = [I.s4d_rd_patents(), I.s4e_spillover_growth(), I.s4f_named_industries()]
    assert not rs[0].evidence.provisional and rs[0].evidence.verdict == "not testable"
    assert "What the embedded data cannot test" in IF.untestable_section(rs, "en")


def test_a_trend_on_five_user_points_is_inconclusive_badged_and_provisional(user_build):
    from yrdlib.claims import industry as I

    r = I.s4d_rd_patents(county="331081")  # 温岭: 5 falling points (OLS + HAC: "contradicted")
    e = r.evidence
    assert e.verdict == "inconclusive" and e.n == 5 and e.estimate < 0
    assert "at least 8" in e.notes and "inconclusive" in r.text_en
    assert e.provisional and len(e.user_data) == 5
    u = e.user_data[0]
    assert u["file"].endswith("wenling_patents.csv") and u["line"] == 2 and u["source"] == SRC
    assert u["flag"] == "test"


def test_a_user_verdict_shows_its_source_everywhere(user_build):
    from yrdlib.claims import industry as I
    from yrdlib.figures import industry as IF
    from yrdlib.report.boxes import evidence_html
    from yrdlib.report.html import decorate

    r = I.s4d_rd_patents()  # 玉环: 10 rising points -> the exact Theil–Sen test
    e = r.evidence
    assert e.n == 10 and "Theil–Sen" in e.method and e.verdict == "supported"
    assert e.provisional and [u["year"] for u in e.user_data] == list(range(2010, 2020))
    box = evidence_html(e.to_dict())
    assert "用户数据 · 未经核实" in box and "user data, unverified" in box and SRC in box
    assert "provisional" in box and "yuhuan_rd.csv" in box
    row = evidence.evidence_table([e]).iloc[0]
    assert "yuhuan_rd.csv" in row["user_data_sources"] and "[test]" in row["user_data_sources"]
    rec = evidence.claim_record("S4", [e, I.s4e_spillover_growth().evidence])
    assert rec["provisional"] and rec["user_data_hypotheses"] == ["S4.d"]
    (d,) = decorate([e.to_dict()])
    assert "provisional" in d["ven"] and "暂定" in d["vzh"]
    # the section no longer says only "what the embedded data cannot test"
    sec = IF.untestable_section([r, I.s4e_spillover_growth(), I.s4f_named_industries()], "en")
    assert "user data" in sec and SRC in sec
    # the record round-trips (runner, scorecard) with its user data
    back = evidence.Evidence.from_dict(e.to_dict())
    assert back.provisional and back.user_data == e.user_data


def test_scorecard_marks_provisional_claims_and_records(user_build):
    from yrdlib import scorecard
    from yrdlib.claims import industry as I

    e = I.s4d_rd_patents().evidence.to_dict()
    assert "provisional" in scorecard.provisional_html({"provisional": True}, "en")
    assert scorecard.provisional_html({"provisional": False}) == ""
    assert "provisional" in scorecard.EVIDENCE_COLS and "provisional" in scorecard.CLAIM_COLS
    assert e["provisional"]


def test_the_profile_shows_user_series_with_their_source(user_build):
    from yrdlib.claims import profile as Y
    from yrdlib.figures import profile as YF

    s = Y.county_series("331083", (2000, 2023))
    mine = s[s["origin"] == Y.ORIGIN_USER]
    # 玉环's own series, 台州's and those of Taizhou's other counties (温岭)
    assert set(zip(mine["name_zh"], mine["metric"])) == {
        ("玉环", "rd_intensity"), ("台州", "exports_usd"), ("温岭", "patents_granted")}
    assert mine["source"].str.contains(SRC, regex=False).all()
    assert (s["origin"] == Y.ORIGIN_POINT).any() and (s["origin"] == Y.ORIGIN_CENSUS).any()
    t = YF.series_table(s)
    assert "source(s)" in t.columns and len(t) == s.groupby(
        ["name_zh", "metric", "unit", "origin"]).ngroups


def test_an_undecided_break_in_a_user_series_stops_check_and_run(tmp_path):
    user = tmp_path / "user"
    f = _write(user, "yuhuan_gdp.csv", [f"玉环,2016,gdp,480.2,亿元,{SRC},test",
                                        f"玉环,2017,gdp,520.4,亿元,{SRC},test",
                                        f"玉环,2018,gdp,5604.0,亿元,{SRC} with a 10x typo,test"])
    env = {**os.environ, "YRD_USER_DATA": str(user), "YRD_PROCESSED": str(tmp_path / "proc"),
           "YRD_REPORTS": str(tmp_path / "reports"), "PYTHONPATH": str(ROOT)}

    def yrd(*args):
        return subprocess.run([sys.executable, "-m", "yrdlib.cli", *args], capture_output=True,
                              text=True, env=env, timeout=600)

    b = yrd("data", "build")
    assert b.returncode == 0 and f"{f}, line 4" in b.stderr and "have no decision" not in b.stderr
    c = yrd("data", "check")
    assert c.returncode == 3
    hits = [ln for ln in c.stderr.splitlines() if str(f) in ln]
    assert len(hits) == 1 and "line 4, column 'value'" in hits[0] and "5604" in hits[0]
    assert "correct this line" in hits[0] and "breaks.csv" in hits[0]
    assert not any(ln.startswith("error: undecided series break: gdp 331083") for ln in c.stderr.splitlines())
    r = yrd("run", "p_paths")
    assert r.returncode == 3
    (line,) = r.stderr.strip().splitlines()
    assert f"{f}, line 4" in line and "nothing ran" in line
    assert not (tmp_path / "reports").exists() or not any((tmp_path / "reports").glob("2*"))


def test_a_users_own_flag_is_explained_in_the_overview(user_build):
    from yrdlib.figures import overview

    t = overview.flag_counts(panel.load_panel(), (2000, 2023), "en")
    assert t.at["test", "meaning"].startswith("the user's own flag")
    assert t.at["user", "meaning"] and (t["meaning"] != "").all()
