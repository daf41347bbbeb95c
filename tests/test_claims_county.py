"""County-level census evidence (yrdlib.claims.county) on the real extracts."""

import pandas as pd
import pytest

from yrdlib import config
from yrdlib.claims import county as C
from yrdlib.errors import DataError


@pytest.fixture(scope="module")
def units():
    return C.census_units(2010), C.census_units(2020)


@pytest.fixture(scope="module")
def matching(units):
    return C.comparable_units(*units)


def test_extract_holds_yuhuan_and_traces_to_its_row(units):
    u10, u20 = units
    y10 = u10.set_index("code").loc[C.YUHUAN_2010]
    y20 = u20.set_index("code").loc[C.YUHUAN_2020]
    assert (y10["name"], y10["pop"]) == ("玉环县", 616346)
    assert (y20["name"], y20["pop"]) == ("玉环市", 644014)
    # the source row is the file line: reading that line gives the same figure
    for y, row in ((2010, y10), (2020, y20)):
        lines = (config.RAW / C.FILES[y]).read_text(encoding="utf-8").splitlines()
        assert ("616346" if y == 2010 else "644014") in lines[int(row["source_row"]) - 1]
    # persons, not 万人: county residents run from hundreds to millions
    assert u10["pop"].between(100, 1e7).all() and u20["pop"].between(100, 2e7).all()
    assert not u10["code"].duplicated().any() and not u20["code"].duplicated().any()


def test_look_alike_character_in_2010_names_is_read_as_shi(units):
    # the 2010 table writes 上虞巿 (U+5DFF); unread, 上虞's 2013 event would not match
    u10, _ = units
    assert "上虞市" in set(u10["name"]) and not u10["name"].str.contains("巿").any()
    assert u10.set_index("code").at["330682", "type"] == "city"


def test_duplicated_code_is_named(tmp_path):
    src = config.RAW / C.FILES[2020]
    lines = src.read_text(encoding="utf-8").splitlines()
    i = next(k for k, line in enumerate(lines) if line.startswith("331083,"))
    (tmp_path / "census").mkdir()
    (tmp_path / C.FILES[2020]).write_text("\n".join(lines + [lines[i]]) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match="331083 appears on lines"):
        C.census_units(2020, raw=tmp_path)


def test_changed_county_is_not_a_one_to_one_pair(matching):
    # 2013: 绍兴县 became 柯桥区 and gave three towns to 越城区 -> compared only as a sum
    m = matching
    mem = m.members.set_index(["year", "code"])
    assert mem.at[(2010, "330621"), "status"] == "summed"
    pairs = m.units[m.units["status"].isin(["unchanged", "recoded", "event_1to1"])]
    assert not pairs["codes_2010"].str.split().map(lambda c: "330621" in c).any()
    s = m.units[m.units["codes_2010"].str.contains("330621")].iloc[0]
    assert set(s["codes_2010"].split()) == {"330602", "330621"}
    assert set(s["codes_2020"].split()) == {"330602", "330603"}
    # a plain 撤县设市 keeps the pair: 玉环县 331021 -> 玉环市 331083
    y = m.units[m.units["codes_2020"] == C.YUHUAN_2020].iloc[0]
    assert (y["status"], y["codes_2010"], y["pop_2010"], y["pop_2020"]) == (
        "recoded", C.YUHUAN_2010, 616346, 644014)


def test_sums_preserve_population(matching, units):
    u10, u20 = units
    m = matching
    ok = m.members[m.members["status"].isin(C.COMPARABLE)]
    for year, u in ((2010, u10), (2020, u20)):
        codes = ok.loc[ok["year"] == year, "code"]
        assert m.units[f"pop_{year}"].sum() == u.set_index("code").loc[codes, "pop"].sum()


def test_estimator_recovers_a_planted_difference(matching):
    # the real cross-section's outcomes as the untreated outcomes, a treatment vector drawn from
    # the block design, and a planted effect of 30 log points: the estimate is 30 plus the
    # design's chance imbalance, and the interval from inverting the block permutation test
    # covers 30 (and excludes 0) for nearly every draw (20 of 20 here; a unit-level permutation
    # that ignores the province blocks covers it in 9 of 20)
    u = C.with_status(matching.units)
    d = C.test_sample(u)
    y = d["dlog_pop"].to_numpy()
    T = C.block_permutations(d, reps=300, seed=11, exact=False)
    draws = C.block_permutations(d, reps=20, seed=12, exact=False)
    cover = excl = 0
    for t in draws.astype(float):
        est = C.diff_in_means(y + 30.0 * t, t)
        assert est - 30.0 == pytest.approx(C.diff_in_means(y, t))
        lo, hi, _ = C.invert_permutation_test(y + 30.0 * t, t, T)
        cover += lo <= 30.0 <= hi
        excl += lo > 0
    assert cover >= 17 and excl >= 15, (cover, excl)


def test_block_permutation_keeps_province_blocks(matching):
    u = C.with_status(matching.units)
    d = C.test_sample(u)
    T = C.block_permutations(d, reps=200, seed=5)
    pref = d["prefecture"].to_numpy()
    prov = d["province"].to_numpy()
    real_treated_provinces = len(set(prov[d["treated"].to_numpy() == 1]))
    for row in T[:200]:
        # a prefecture's units share one status
        s = pd.Series(row).groupby(pref).nunique()
        assert (s == 1).all()
        # treatment comes in as many province blocks as the real design has (patterns permuted)
        assert len(set(prov[row])) == real_treated_provinces
    # and the draws differ: not the real vector every time
    assert (T != d["treated"].to_numpy().astype(bool)).any(axis=1).mean() > 0.9


def test_s2g_record(matching):
    r = C.s2g_county_attraction(matching.units, reps=300)
    e = r.evidence
    assert e.hypothesis == "S2.g" and e.role == "test" and e.expected == "+"
    assert e.ci_low < e.estimate < e.ci_high and 0 < e.p_value <= 1
    assert e.n == len(r.data["sample"]) and {s["name"][:6] for s in e.sensitivity} >= {"within"}


def test_exact_enumeration_lists_every_province_assignment(matching):
    # main sample: whole provinces treated (沪苏浙 after the mixed joiners and 合肥/马鞍山's
    # unclosable units are dropped), so every choice of as many provinces is listed once
    import math

    d = C.test_sample(C.with_status(matching.units))
    T = C.block_permutations(d)
    prov = d["province"].to_numpy()
    k = len(set(prov[d["treated"].to_numpy() == 1]))
    assert len(T) == math.comb(d["province"].nunique(), k)
    sets = {frozenset(prov[row]) for row in T}
    assert len(sets) == len(T) and frozenset(prov[d["treated"].to_numpy() == 1]) in sets
