"""The city-cluster plans as one staggered design (issue #23): the approval-date extract agrees
with the membership table, the stated rules hold on the real data, the group-wise imputation and
block permutations recover known effects, and the all-plan test finds a planted one."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from yrdlib import config, groups, regions
from yrdlib.claims import clusters
from yrdlib.errors import DataError


def _membership() -> pd.DataFrame:
    return pd.read_csv(config.RAW / "yrd_reference" / "city_clusters.csv", dtype=str,
                       keep_default_na=False)


def test_every_cluster_has_one_plan_row_and_every_row_a_cluster():
    m = set(_membership()["cluster_zh"])
    p = clusters.plans()
    assert set(p["cluster_zh"]) == m
    assert len(p) == len(m) == 14


def test_dates_agree_with_the_membership_table():
    """The plan column of city_clusters.csv names a year (and sometimes a 国函 number or a
    批复 date): the approval date must agree with each of them."""
    p = clusters.plans().set_index("cluster_zh")
    plan_text = _membership().groupby("cluster_zh")["plan"].first()
    checked = 0
    for name, text in plan_text.items():
        row = p.loc[name]
        if not row["national"]:
            assert pd.isna(row["approval_date"]) and row["source_note"].startswith("gap:")
            continue
        date = row["approval_date"]
        years = [int(y) for y in re.findall(r"(?<![\d-])(20\d\d)(?!\d)", text)]
        assert years, name
        # the plan's year as the membership table gives it: the approval year, or for a plan
        # issued early in the next year (NDRC 印发 after a December approval) one less
        assert date.year in years or date.year + 1 in years, (name, date, years)
        full = re.search(r"批复 (\d{4}-\d{2}(?:-\d{2})?)", text)
        if full:
            assert str(date.date()).startswith(full.group(1)), (name, date, full.group(1))
        doc = re.search(r"国函〔\d{4}〕\d+号", text)
        if doc and row["document_no"]:
            assert doc.group(0) == row["document_no"], name
        checked += 1
    assert checked == 11


def test_national_rows_carry_a_citation_and_the_sources_hash_matches():
    from yrdlib.data import sources

    p = clusters.plans()
    nat = p[p["national"]]
    assert nat["source_url"].str.match(r"https?://").all()
    assert nat["approval_date"].between("2015-01-01", "2019-12-31").all()
    assert not [m for m in sources.check_hashes() if "cluster_plans" in m]


def test_members_map_to_panel_codes_or_are_not_prefectures():
    placed = {m.code for ms in groups.clusters().values() for m in ms}
    ref = regions.reference()
    assert placed <= set(ref.index)
    assert ref.loc[sorted(placed), "level"].isin(["prefecture", "municipality"]).all()
    for cluster, city in groups.unplaced():
        # Hong Kong, Macao, county-level cities and counties, and a development zone
        assert city in ("香港", "澳门") or re.search(r"(县|区)$", city) or city in (
            "仙桃", "潜江", "天门", "济源", "东方"), (cluster, city)


def test_rules_for_cities_in_several_plans_and_partial_listings():
    a = clusters.assignment()
    # 邯郸, 邢台: 京津冀 (2015-04-30) before 中原 (2016-12-28); 运城: 中原 before 关中平原
    assert a.loc["130400", "plan"] == "京津冀城市群" and a.loc["130400", "treat_year"] == 2016
    assert a.loc["140800", "plan"] == "中原城市群" and a.loc["140800", "treat_year"] == 2017
    assert a.loc["140800", "n_plans"] == 2
    # a city only in a provincial plan (青岛, 山东半岛) has no treatment year
    assert a.loc["370200", "plan"] == "" and np.isnan(a.loc["370200", "treat_year"])
    # 绵阳 is listed "除北川县、平武县": partial, still treated
    assert a.loc["510700", "partial"] and a.loc["510700", "treat_year"] == 2017
    half = clusters.assignment("half_year")
    assert half.loc["510700", "treat_year"] == 2016  # approved 2016-04-12: first half
    assert half.loc["140800", "treat_year"] == 2017  # approved 2016-12-28: second half


def test_cohort_year_rules():
    assert clusters.cohort_year("2016-05-22") == 2017
    assert clusters.cohort_year("2016-05-22", "half_year") == 2016
    assert clusters.cohort_year("2016-12-28", "half_year") == 2017
    assert np.isnan(clusters.cohort_year(None))
    with pytest.raises(ValueError):
        clusters.cohort_year("2016-05-22", "join_year")


def test_a_bad_date_names_file_line_and_column(tmp_path, monkeypatch):
    src = clusters.PLANS_FILE.read_text(encoding="utf-8").splitlines()
    src[3] = src[3].replace("2015-04-30", "2015-04-31")  # line 4: 京津冀
    bad = tmp_path / "cluster_plans.csv"
    bad.write_text("\n".join(src) + "\n", encoding="utf-8")
    from yrdlib import cluster_plans

    monkeypatch.setattr(cluster_plans, "PLANS_FILE", bad)
    with pytest.raises(DataError) as e:
        clusters.plans()
    assert e.value.row == 4 and e.value.column == "approval_date"


def _panel(effects: dict, seed: int = 1) -> pd.DataFrame:
    """12 provinces × 6 cities × 14 years; provinces 0-5 treated in staggered cohorts, group
    'A' (provinces 0-2) and 'B' (3-5) with their own constant effects."""
    rng = np.random.default_rng(seed)
    rows = []
    for p in range(12):
        for c in range(6):
            code = f"{p:02d}{c:04d}"
            g = (2006 + p % 3) if p < 6 else np.nan
            grp = ("A" if p < 3 else "B") if p < 6 else np.nan
            a = rng.normal()
            for t in range(2000, 2014):
                y = a + 0.05 * (t - 2000) + rng.normal(scale=0.1)
                if p < 6 and t >= g:
                    y += effects[grp]
                rows.append((code, f"p{p}", t, g, grp, y))
    return pd.DataFrame(rows, columns=["region_code", "province", "year", "treat_year",
                                       "plan", "y"])


def test_group_att_recovers_each_groups_effect_and_the_pooled_mean():
    from yrdlib.methods import imputation_did
    from yrdlib.methods.group_att import imputation_by_group

    d = _panel({"A": 0.5, "B": -0.2})
    t = imputation_by_group(d, "y", "plan").set_index("group")
    assert abs(t.loc["A", "att"] - 0.5) < 0.05 and abs(t.loc["B", "att"] + 0.2) < 0.05
    assert t.loc["A", "ci_low"] < 0.5 < t.loc["A", "ci_high"]
    w = t.loc[["A", "B"], "treated_cells"]
    assert t.loc["pooled", "att"] == pytest.approx(
        (t.loc[["A", "B"], "att"] * w).sum() / w.sum(), abs=1e-10)
    ref = imputation_did(d, "y", cluster="province")["att"].loc["ATT", "estimate"]
    assert t.loc["pooled", "att"] == pytest.approx(ref, abs=1e-10)


def test_block_permutations_detect_an_effect_and_not_a_null():
    from yrdlib.methods.group_att import permute_blocks

    big = permute_blocks(_panel({"A": 0.4, "B": 0.4}), "y", "province", n_perm=199)
    assert big["p"] <= 0.02 and big["ci_low"] > 0.2
    null = permute_blocks(_panel({"A": 0.0, "B": 0.0}, seed=3), "y", "province", n_perm=199)
    assert null["p"] > 0.05 and null["ci_low"] < 0 < null["ci_high"]
    d = _panel({"A": 0.4, "B": 0.4})
    d["plan"] = d["province"].where(d["treat_year"].notna())
    dates = permute_blocks(d, "y", "plan", n_perm=99, mode="dates")
    assert dates["n_treated_blocks"] == 6 and dates["n_distinct"] <= 90  # 6!/(2!2!2!) orders


def test_sample_uses_the_plans_and_drops_non_national_only_cities():
    d = clusters.sample("S2.b")
    codes = set(d["region_code"])
    assert "370200" not in codes  # 青岛: only the provincial 山东半岛 plan
    assert d.loc[d["region_code"] == "330100", "treat_year"].iloc[0] == 2017  # 杭州: YRD 2016
    assert d.loc[d["region_code"] == "330100", "plan"].iloc[0] == "长江三角洲城市群"
    ctrl = clusters.sample("S2.b", clusters.Options(non_national="control"))
    assert "370200" in set(ctrl["region_code"])
    assert ctrl.loc[ctrl["region_code"] == "370200", "treat_year"].isna().all()
    f = clusters.feasibility(d).set_index("cluster_zh")
    assert not f.loc["山东半岛城市群", "applicable"]
    assert f.loc["长江三角洲城市群", "applicable"]
    few = d[(d["plan"] != "长江三角洲城市群") | d["region_code"].isin(["330100", "320100"])]
    f2 = clusters.feasibility(few).set_index("cluster_zh")
    assert not f2.loc["长江三角洲城市群", "applicable"]
    assert "2 treated cities" in f2.loc["长江三角洲城市群", "reason"]


def test_the_all_plan_test_finds_a_planted_effect():
    """The project's rule on the placebo-era panel with 3 within-city SDs planted on the plans'
    own (moved back) assignment: supported; without the effect: not supported."""
    from yrdlib.claims import clusters_calibration as cc

    start = cc.assignment_draw(None)
    sd = cc.placebo_sd("S2.b")
    hit = clusters.cluster_test("S2.b", n_perm=99, display=False,
                                transform=cc.Placebo(start, 3 * sd)).evidence
    assert hit.verdict == "supported" and hit.ci_low > 0
    assert hit.estimate == pytest.approx(3 * sd + clusters.cluster_test(
        "S2.b", n_perm=99, display=False, transform=cc.Placebo(start)).evidence.estimate)
