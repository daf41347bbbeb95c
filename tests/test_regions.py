"""The region reference and resolver: the traps it exists for."""

import pytest

from yrdlib import regions
from yrdlib.regions import RegionError, resolve


def test_two_taizhous_are_ambiguous_in_pinyin_and_distinct_in_chinese():
    with pytest.raises(RegionError, match="ambiguous") as e:
        resolve("Taizhou")
    assert "331000" in str(e.value) and "321200" in str(e.value)
    assert resolve("台州").code == "331000"
    assert resolve("泰州").code == "321200"
    assert resolve("Taizhou, Zhejiang").code == "331000"
    assert resolve("Taizhou (Jiangsu)").code == "321200"
    # tone marks tell them apart in the reference
    assert resolve("台州").pinyin == "Tāizhōu" and resolve("泰州").pinyin == "Tàizhōu"


def test_suzhou_is_ambiguous_too():
    with pytest.raises(RegionError, match=r"320500.*341300"):
        resolve("suzhou")


def test_yuhuan_old_and_new_codes_are_one_place():
    new = resolve("331083")
    assert resolve("331021") == new
    assert resolve("玉环县") == new and resolve("玉环市") == new and resolve("玉环") == new
    assert new.level == "county" and new.parent_code == "331000"
    assert "331021" in new.aliases
    assert regions.canonical_code("331021") == "331083"


def test_abolished_prefectures_end_when_they_were_abolished():
    assert resolve("巢湖").valid_to == 2010
    assert resolve("莱芜").valid_to == 2018
    assert regions.canonical_code("342600") == "341400"  # 巢湖地区 before 1999


def test_municipalities_use_the_province_code():
    assert resolve("310100").code == "310000"
    assert resolve("上海").level == "municipality"


def test_yrd41_membership_and_plan_flags():
    codes = regions.yrd41()
    assert len(codes) == 41
    assert all(c[:2] in {"31", "32", "33", "34"} for c in codes)
    ref = regions.reference()
    assert ref.loc[codes, "in_plan2016"].sum() == 26
    assert ref.loc[codes, "in_plan2010"].sum() == 16
    assert ref.loc[codes, "in_outline2019"].sum() == 27
    assert resolve("台州").yrd_join_year == 2003
    assert sorted(ref.loc[codes, "yrd_join_year"].unique().tolist()) == [1997, 2003, 2010, 2013, 2018, 2019]


def test_english_names_follow_the_apostrophe_rule():
    assert resolve("马鞍山").name_en == "Ma'anshan"
    assert resolve("六安").name_en == "Lu'an"
    assert resolve("Ma'anshan").code == "340500"


def test_unknown_input_says_what_to_type():
    with pytest.raises(RegionError, match="6-digit code"):
        resolve("Atlantis")
    with pytest.raises(RegionError, match="unknown region code"):
        resolve("999999")


def test_renamed_units_keep_their_history_but_coexisting_ones_do_not_merge():
    assert regions.canonical_code("522400") == "520500"  # 毕节地区 -> 毕节市
    assert resolve("南宁").code == "450100"  # 南宁地区 (452100) coexisted: a different unit
    assert regions.canonical_code("452100") == "452100"


def test_region_table_cache_is_keyed_on_every_file_it_reads(monkeypatch, tmp_path):
    """The region table is cached on disk keyed on REFERENCE_INPUTS: every raw file the build
    reads must be listed there (else an edit to it would be served stale), and an edit to any
    listed file changes the key."""
    import shutil

    from yrdlib import config

    read = []
    real = regions._read
    monkeypatch.setattr(regions, "_read", lambda name: read.append(name) or real(name))
    regions.crosswalk.cache_clear()
    try:
        built = regions._build_reference()
    finally:
        regions.crosswalk.cache_clear()
    assert read and set(read) <= set(regions.REFERENCE_INPUTS), set(read) - set(regions.REFERENCE_INPUTS)
    assert built.equals(regions.reference())  # the cached table is the built one
    key = regions._inputs_key()
    for name in regions.REFERENCE_INPUTS:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(config.RAW / name, tmp_path / name)
    monkeypatch.setattr(config, "RAW", tmp_path)
    assert regions._inputs_key() == key
    with open(tmp_path / "yrd_reference/yrd_membership.csv", "a", encoding="utf-8") as f:
        f.write("\n")
    assert regions._inputs_key() != key


def test_a_county_moved_between_prefectures_breaks_both_sides():
    """枞阳 (安庆 → 铜陵, 2015), 寿县 (六安 → 淮南, 2015), 简阳 (资阳 → 成都, 2016), 公主岭 (四平 →
    长春, 2020): 铜陵's resident population doubled in 2015 and 成都's rose 10 % in 2016 by
    territory alone; both the giver and the receiver break in the first year on the new ground."""
    brk = regions.boundary_breaks()
    for pair, year in ((("340800", "340700"), 2015), (("341500", "340400"), 2015),
                       (("512000", "510100"), 2016), (("220300", "220100"), 2020)):
        assert {(c, year) for c in pair} <= brk
    assert regions.territory_stable(["340700", "330100"], 2000, 2014) == ["340700", "330100"]
    assert regions.territory_stable(["340700", "330100"], 2000, 2015) == ["330100"]


def test_an_unknown_crosswalk_kind_names_the_row(tmp_path, monkeypatch):
    from yrdlib import config
    from yrdlib.errors import DataError

    src = config.RAW / "admin_codes" / "code_crosswalk.csv"
    (tmp_path / "admin_codes").mkdir()
    lines = src.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace(",code_change,", ",moved,")
    (tmp_path / "admin_codes" / "code_crosswalk.csv").write_text("\n".join(lines) + "\n",
                                                                  encoding="utf-8")
    monkeypatch.setattr(config, "RAW", tmp_path)
    regions.crosswalk.cache_clear()
    try:
        with pytest.raises(DataError, match=r"kind 'moved'") as e:
            regions.crosswalk()
        assert e.value.row == 4 and e.value.column == "kind"
    finally:
        regions.crosswalk.cache_clear()
