"""Groups and treatment definitions used by every claim notebook."""

import numpy as np
import pandas as pd
import pytest

from yrdlib import groups


def test_association_cohorts_match_the_membership_history():
    ty = groups.treatment_years("association")
    counts = ty.value_counts().sort_index().to_dict()
    # 1997 founding 15; 2003 Taizhou; 2010 +6; 2013 +8; 2018 +4; 2019 +7 -> 41
    assert counts == {1997.0: 15, 2003.0: 1, 2010.0: 6, 2013.0: 8, 2018.0: 4, 2019.0: 7}
    assert ty["331000"] == 2003 and not np.isnan(ty["321100"])  # 镇江 is a member
    assert np.isnan(ty["110000"])  # Beijing never treated


def test_plan_lists_are_treated_in_the_plan_year():
    assert groups.treatment_years("plan2016").value_counts().to_dict() == {2016.0: 26}
    assert groups.treatment_years("plan2010").value_counts().to_dict() == {2010.0: 16}
    with pytest.raises(ValueError, match="unknown treatment"):
        groups.treatment_years("plan2099")


def test_clusters_keep_whole_and_part_and_leave_out_non_prefectures():
    c = groups.clusters()
    assert len(c["长江三角洲城市群"]) == 26
    assert ("粤港澳大湾区(珠三角九市+港澳)", "香港") in groups.unplaced()
    gba = groups.cluster_codes("粤港澳大湾区(珠三角九市+港澳)")
    assert "440300" in gba and len(gba) == 9
    assert all(len(v) > 0 for v in c.values())


def test_hangzhou_bay_area_is_the_six_zhejiang_cities():
    assert groups.grouping_codes("环杭州湾") == ["330100", "330200", "330400", "330500", "330600", "330900"]


def test_focus_status_explains_what_the_did_can_say():
    assert groups.focus_status("宁波")["kind"] == "founding"
    assert groups.focus_status("台州")["kind"] == "short_pre"      # 2003, data from 2000
    assert groups.focus_status("合肥")["kind"] == "treated"
    yh = groups.focus_status("玉环")
    assert yh["kind"] == "county" and yh["proxy"] == "331000"
    assert groups.focus_status("北京")["kind"] == "never"


def test_did_sample_drops_always_treated_and_filters_years():
    idx = pd.MultiIndex.from_product([["310000", "331000", "110000", "331083"], range(1999, 2005)],
                                     names=["region_code", "year"])
    w = pd.DataFrame({"y": np.arange(len(idx), dtype=float)}, index=idx)
    s = groups.did_sample(w, years=(2000, 2003), drop_years=[2002])
    assert set(s.region_code) == {"331000", "110000"}  # Shanghai always treated; 玉环 a county
    assert sorted(s.year.unique()) == [2000, 2001, 2003]
    assert s.attrs["notes"] and "dropped" in s.attrs["notes"][0]


def test_treatment_timing_follows_the_joining_date():
    """The 2019 cohort joined on 15 October 2019: under the default convention (first full year)
    it is treated from 2020, not for all of 2019; the half-year rule needs days the sources lack."""
    from yrdlib import groups

    join = groups.treatment_years("association", "join_year")
    full = groups.treatment_years("association", "first_full_year")
    assert join["340300"] == 2019 and full["340300"] == 2020  # 蚌埠
    assert join["331000"] == 2003 and full["331000"] == 2004  # 台州
    assert full[join == 1997].eq(1997).all()  # founders stay always-treated
    with pytest.raises(ValueError, match="2003, 2013"):
        groups.treatment_years("association", "half_year")
    d = groups.cohort_dates()
    assert d.loc[d["cohort_year"] == "2019", "date"].item() == "2019-10-15"


def test_covered_is_the_one_coverage_rule():
    """A group statistic needs MIN_COVERAGE of the group (or of its best-covered year)."""
    import pandas as pd

    from yrdlib import groups

    n = pd.Series({2020: 41, 2021: 41, 2022: 25, 2023: 10})
    assert groups.covered(n, size=41).tolist() == [True, True, False, False]
    assert groups.covered(n).tolist() == [True, True, False, False]  # best year: 41
    assert groups.covered(31, size=41) and not groups.covered(30, size=41)  # 0.75 × 41 = 30.75
    with pytest.raises(ValueError, match="size"):
        groups.covered(30)


def test_titles_follow_the_treatment():
    from yrdlib.claims import registry
    from yrdlib.groups import TREATMENTS, treatment_title

    h = registry.hypothesis("S1.b")
    zh, en = treatment_title(h.title_zh, h.title_en, "plan2016")
    assert "协调会" not in zh and "列入 2016 年长三角城市群规划" in zh
    assert "association" not in en and en.startswith("Being listed in the 2016 YRD city-cluster plan")
    assert treatment_title(h.title_zh, h.title_en, "association") == (h.title_zh, h.title_en)
    zh, en = treatment_title("加入长三角提高第三产业占比", "Joining the YRD raises the tertiary share",
                             "plan2010")
    assert zh.startswith("列入 2010 年") and en.startswith("Being listed in the 2010")
    assert set(TREATMENTS) == set(__import__("yrdlib.groups").groups.TREATMENT_PHRASE)
