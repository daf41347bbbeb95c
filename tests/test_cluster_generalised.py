"""The group-based hypothesis functions for any city cluster (issue 23), on the real panel: the
YRD (None, 长三角) keeps the YRD design exactly; 成渝城市群 swaps in its 16 listed cities and
its plan (approved 12 April 2016) with no YRD city in the group; a focus city outside the
cluster, or a cluster whose plan has no central approval date (山东半岛), is not applicable with
a reason in plain Chinese."""

import dataclasses
import re

import numpy as np
import pytest

from yrdlib import groups, regions
from yrdlib.claims import city_effects as CE
from yrdlib.claims import city_tier as T
from yrdlib.claims import cluster_scope
from yrdlib.claims import opening as O
from yrdlib.claims import paths as P
from yrdlib.claims.city_tier import _growth_frame, beta_difference
from yrdlib.data import panel

CY = "成渝城市群"
CHENGDU, CHONGQING, TAIZHOU, JINAN = "510100", "500000", "331000", "370100"
MIANYANG = "510700"
PLAN = groups.plan_treatment(CY)


@pytest.fixture(scope="module")
def members():
    m = cluster_scope.members(CY)
    assert len(m) == 16 and CHENGDU in m and CHONGQING in m
    assert not set(m) & set(regions.yrd41())
    return set(m)


def _ev(r):
    d = dataclasses.asdict(r.evidence)
    d.pop("data_vintage", None)
    return d


def _names_cy(ev):
    assert "成渝" in ev.title_zh and "Chengdu-Chongqing" in ev.title_en, ev.title_zh
    assert "长三角" not in ev.title_zh and "YRD" not in ev.title_en


def _not_applicable(r, *must_zh):
    ev = r.evidence
    assert ev.applicable is False and ev.verdict == "not applicable"
    assert ev.scope_note_zh and ev.scope_note_en
    assert not re.search(r"[A-Za-z]", ev.scope_note_zh), ev.scope_note_zh  # Chinese only
    for s in must_zh:
        assert s in ev.scope_note_zh, ev.scope_note_zh


# ------------------------------------------------------------------ (a) the YRD design unchanged

@pytest.mark.parametrize("fn,args,kw", [
    (O.s1c_position, (TAIZHOU,), {}),
    (T.s2c_convergence, (), {}),
    (T.s2d_energy_rank, (TAIZHOU,), {"n_draws": 100}),
    (T.s2e_zipf, (), {"n_boot": 99}),
    (T.s2f_synthetic_control, (TAIZHOU,), {}),
    (P.path_market, (TAIZHOU, (2000, 2022)), {}),
])
def test_the_yrd_by_any_name_is_the_default_design(fn, args, kw):
    base = _ev(fn(*args, **kw))
    for name in (None, "长三角", "长江三角洲城市群", "YRD"):
        assert _ev(fn(*args, **kw, cluster=name)) == base, name


def test_default_s1c_is_the_41_and_the_core16():
    r = O.s1c_position(TAIZHOU)
    assert set(r.data["rank_codes"]) == set(regions.yrd41())
    assert set(r.data["codes"]) == set(groups.comparison_groups(TAIZHOU)["yrd_core16"]) | {TAIZHOU}
    assert "YRD cities" in r.text_en


def test_default_s2c_is_the_41_against_all_other_prefectures():
    r = T.s2c_convergence()
    w = panel.wide(["gdp_pc_real"], years=(2000, 2022))
    f = _growth_frame(w, "gdp_pc_real", 2000, 2022)
    f = f[f.index.isin(groups.prefectures())]
    direct = beta_difference(f, regions.yrd41(), "HC3")
    assert r.evidence.estimate == pytest.approx(direct["diff"], abs=1e-12)
    assert r.evidence.sensitivity[1]["name"] == "neighbouring-province non-members"


def test_default_s2d_ranks_among_the_41():
    r = T.s2d_energy_rank(TAIZHOU, n_draws=100)
    assert set(r.data["scores"]["region_code"]) <= set(regions.yrd41())
    assert r.data["scores"].groupby("year")["region_code"].nunique().max() > 30
    assert r.evidence.sample.startswith("YRD 41")


# ------------------------------------------------------------------ (b) 成渝: its cities, its plan

@pytest.mark.parametrize("focus", [CHENGDU, CHONGQING])
def test_s1c_for_chengdu_chongqing_ranks_among_its_16_cities(focus, members):
    r = O.s1c_position(focus, cluster=CY)
    assert set(r.data["codes"]) == members and set(r.data["rank_codes"]) == members
    assert r.data["rank"]["n"].max() <= 16
    assert "16 cities of the Chengdu-Chongqing" in r.evidence.sample
    assert "成渝城市群" in r.text_zh and "YRD" not in r.text_en
    # "since it joined": the plan's year (approved 2016), not the association's
    assert r.data["gap"]["years"][0] == 2016
    # province and national comparisons stay what they are; the rank is still the cluster's
    rp = O.s1c_position(CHENGDU, comparison="province", cluster=CY)  # 重庆's province: itself
    assert set(rp.data["rank_codes"]) == members and rp.data["group"] == "province"


def test_s2c_members_are_the_16_and_no_yrd_city(members):
    r = T.s2c_convergence(cluster=CY)
    fr = r.data["frame"]
    inside = set(fr.index[fr["yrd"]])
    # 简阳 moved from 资阳 to 成都 in 2016: growth across it is not growth
    assert inside == members - {CHENGDU, "512000"} and r.data["main"]["n_yrd"] == 14
    assert not inside & set(regions.yrd41())
    _names_cy(r.evidence)
    # the near-controls row uses the non-members of 四川 and 重庆: too few, so it cannot agree
    near = r.evidence.sensitivity[1]
    assert near["name"] == "same-province non-members" and near["agrees"] is False
    assert r.data["windows"]["window"].tolist() == ["all", "before 2016", "from 2016"]
    assert r.evidence.verdict in ("inconclusive", "not supported", "contradicted")


@pytest.mark.parametrize("focus", [CHENGDU, CHONGQING])
def test_s2d_ranks_among_the_cluster_from_the_plan_year(focus, members):
    r = T.s2d_energy_rank(focus, n_draws=200, cluster=CY)
    ranked = set(r.data["scores"]["region_code"])
    assert ranked <= members and len(ranked) >= 14 and not ranked & set(regions.yrd41())
    assert r.data["y0"] == 2017  # first full year after the April 2016 approval
    assert "16 cities of the Chengdu-Chongqing" in r.evidence.sample


def test_s2e_zipf_of_the_cluster_says_it_is_small(members):
    r = T.s2e_zipf(n_boot=199, cluster=CY)
    assert r.data["change"]["n"] == r.evidence.n <= 16
    # from the plan's last untreated year (approved April 2016: treated from 2017), not 2000;
    # 成都 took 简阳 during 2016, so 2016 is already on its new territory and it stays in
    assert "16 cities of the Chengdu-Chongqing" in r.evidence.sample and "2016 vs 2022" in r.evidence.sample
    assert "只有 16 个" in r.text_zh and "only 16 cities" in r.text_en and "2016" in r.text_zh
    _names_cy(r.evidence)
    lo, hi = r.evidence.ci_low, r.evidence.ci_high
    assert lo < r.evidence.estimate < hi
    # concentrating, but no more than random sets of 16 non-member cities: inconclusive
    assert hi < 0 and r.evidence.sensitivity[0]["agrees"] is False
    assert r.evidence.verdict == "inconclusive"


def test_s2f_uses_the_cluster_plan_and_donors_outside_it(members):
    # 成都's own territory changed in 2016 (简阳 from 资阳): not feasible, with the year
    _not_applicable(T.s2f_synthetic_control(CHENGDU, cluster=CY), "2016 年发生变化")
    r = T.s2f_synthetic_control(MIANYANG, cluster=CY)
    ev = r.evidence
    assert ev.applicable and np.isfinite(ev.estimate)
    assert r.data["pre"][-1] == 2015 and r.data["transition"] == [2016]
    assert r.data["post"][0] == 2017 and r.data["plan_year"] == 2016
    donors = set(r.data["placebos"]["unit"]) - {MIANYANG}
    assert donors and not donors & members
    assert not {d for d in donors if d[:2] in ("50", "51")}
    _names_cy(ev)
    # 重庆: a municipality far larger than any admissible donor
    _not_applicable(T.s2f_synthetic_control(CHONGQING, cluster=CY), "对照城市")


@pytest.mark.parametrize("fn", [CE.s1e_focus_effect, CE.s2h_focus_effect, CE.s4g_focus_effect])
def test_city_effects_under_the_plan_are_the_16_cities_own(fn, members):
    r = fn(CHENGDU, treatment=PLAN)
    tab = r.data["table"]
    assert set(tab["region_code"]) == members and (tab["cohort"] == 2017).all()
    placebos = set(r.data["res"]["placebo"]["region_code"])
    assert not placebos & members
    assert r.data["row"]["region_code"] == CHENGDU
    _names_cy(r.evidence)
    lo, hi = r.evidence.ci_low, r.evidence.ci_high
    assert lo <= r.evidence.estimate <= hi
    # the default is the association's table, untouched by the plan's
    assert set(CE.city_effects("S2.b")["table"]["region_code"]) & set(regions.yrd41())


@pytest.mark.parametrize("focus", [CHENGDU, CHONGQING])
def test_paths_compare_with_the_cluster(focus, members):
    a = P.path_market(focus, (2000, 2022), group="cluster:成渝")
    b = P.path_market(focus, (2000, 2022), cluster=CY)
    assert _ev(a) == _ev(b)
    bg = a.data["by_group"]
    assert bg["group"].tolist() == ["cluster:" + CY, "province", "national"]
    assert bg["n"].iloc[0] <= 16 and "16 cities of the Chengdu-Chongqing" in a.evidence.sample
    _names_cy(a.evidence)
    with pytest.raises(ValueError, match="different clusters"):
        P.path_market(focus, (2000, 2022), group="cluster:成渝", cluster="京津冀")


# ------------------------------------------------------------------ (c) not applicable, and why

CALLS = [
    ("S1.c", lambda f, c: O.s1c_position(f, cluster=c)),
    ("S2.d", lambda f, c: T.s2d_energy_rank(f, n_draws=50, cluster=c)),
    ("S2.f", lambda f, c: T.s2f_synthetic_control(f, cluster=c)),
    ("S1.e", lambda f, c: CE.s1e_focus_effect(f, treatment=groups.plan_treatment(c))),
    ("S2.h", lambda f, c: CE.s2h_focus_effect(f, treatment=groups.plan_treatment(c))),
    ("S4.g", lambda f, c: CE.s4g_focus_effect(f, treatment=groups.plan_treatment(c))),
    ("P.market", lambda f, c: P.path_market(f, (2000, 2022), cluster=c)),
]


@pytest.mark.parametrize("hid,call", CALLS, ids=[c[0] for c in CALLS])
def test_a_focus_city_outside_the_cluster_is_not_applicable(hid, call):
    r = call(TAIZHOU, CY)
    assert r.evidence.hypothesis == hid
    _not_applicable(r, "台州")
    _names_cy(r.evidence)


TESTS_ONLY = [c for c in CALLS if not c[0].startswith("P.")]


@pytest.mark.parametrize("hid,call", TESTS_ONLY + [
    ("S2.c", lambda f, c: T.s2c_convergence(cluster=c)),
    ("S2.e", lambda f, c: T.s2e_zipf(n_boot=50, cluster=c)),
], ids=[c[0] for c in TESTS_ONLY] + ["S2.c", "S2.e"])
def test_a_plan_without_central_approval_is_not_applicable(hid, call):
    r = call(JINAN, "山东半岛城市群")
    _not_applicable(r, "山东半岛", "没有经中央批复")


def test_a_path_description_needs_only_the_plans_list_of_cities():
    """Where 济南 stands among the 山东半岛 cities is a description: the plan's city list is
    enough, its (missing) central approval is not needed."""
    r = P.path_market(JINAN, (2000, 2022), cluster="山东半岛城市群")
    assert r.evidence.applicable and r.evidence.verdict == "description"
    assert "山东半岛" in r.evidence.title_zh


def test_titles_name_the_cluster_in_both_languages():
    from yrdlib.claims import registry

    for hid in ("S1.b", "S1.e", "S2.c", "S2.e", "S2.f", "S2.h", "S4.g", "P.transport"):
        h = registry.hypothesis(hid)
        zh, en = cluster_scope.title(h.title_zh, h.title_en, CY)
        assert "长三角" not in zh and "YRD" not in en, (hid, zh, en)
        if "长三角" in h.title_zh or "加入" in h.title_zh or "2016" in h.title_zh:
            assert "成渝" in zh, (hid, zh)


def test_a_member_listed_first_by_an_earlier_plan_is_not_applicable():
    # 邯郸 is in the 中原 plan (2016-12-28) but the 京津冀 plan (2015-04-30) listed it first: the
    # treatment rule makes it a 京津冀 city, so it cannot show what the 中原 plan did
    handan = "130400"
    assert handan in cluster_scope.members("中原城市群")
    assert groups.plan_assignment().at[handan, "plan"] == "京津冀城市群"
    for r in (O.s1c_position(handan, cluster="中原"),
              T.s2f_synthetic_control(handan, cluster="中原"),
              CE.s2h_focus_effect(handan, treatment=groups.plan_treatment("中原"))):
        _not_applicable(r, "京津冀", "更早")
    # a comparison with the cluster's cities needs no treatment year: the path is described
    assert P.path_market(handan, (2000, 2022), cluster="中原").evidence.applicable


def test_too_few_member_cities_with_data_is_not_applicable():
    # 呼包鄂榆: four listed cities, fewer than five with comparable FDI or growth data
    assert len(cluster_scope.members("呼包鄂榆城市群")) == 4
    r = O.s1c_position("150100", cluster="呼包鄂榆")
    assert r.evidence.applicable is False and "少于本设计所需" in r.evidence.scope_note_zh
    assert T.s2c_convergence(cluster="呼包鄂榆").evidence.applicable is False
