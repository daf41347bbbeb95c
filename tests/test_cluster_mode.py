"""The claim notebooks for any city cluster (issue 23): a cluster's plan as the treatment, the
sample it gives, the text templated on the cluster and "not applicable" where a design has no
counterpart."""

from __future__ import annotations

import re

import numpy as np
import pytest
from nbconvert.filters.markdown import markdown2html

from yrdlib import config, groups
from yrdlib import narrative as N
from yrdlib.claims import registry

CLAIM_NOTEBOOKS = ("s1_opening", "s2_city_tier", "s3_bay_area", "s4_industry", "p_paths")


def test_a_plan_treats_its_own_first_listed_members_from_the_year_after_approval():
    ty = groups.treatment_years("plan:成渝城市群", "first_full_year")
    treated = ty.dropna()
    assert len(treated) == 16 and set(treated) == {2017.0}  # approved 2016-04-12
    assert set(treated.index) == set(groups.cluster_members("成渝"))
    assert set(groups.treatment_years("plan:成渝城市群", "half_year").dropna()) == {2016.0}
    assert set(groups.treatment_years("plan:成渝城市群", "join_year").dropna()) == {2016.0}
    # 邯郸 is listed by 京津冀 (2015) and 中原 (2016): the earlier plan treats it
    handan = regions_code("邯郸")
    assert np.isnan(groups.treatment_years("plan:中原城市群", "first_full_year")[handan])
    assert groups.treatment_years("plan:京津冀城市群", "first_full_year")[handan] == 2016.0


def regions_code(name: str) -> str:
    from yrdlib import regions

    return regions.resolve(name).code


def test_other_plans_cities_are_controls_only_before_their_own_plan():
    from yrdlib.claims import common

    d = common.did_data("gdp_real", "plan:成渝城市群", (2000, 2023), "log")
    zz = d[d["region_code"] == regions_code("郑州")]  # 中原, first treated 2017
    assert len(zz) and zz["year"].max() == 2016 and zz["treat_year"].isna().all()
    hd = d[d["region_code"] == regions_code("邯郸")]  # 京津冀, first treated 2016
    assert len(hd) and hd["year"].max() == 2015
    assert regions_code("青岛") not in set(d["region_code"])  # only a provincial plan lists it
    assert any("controls only before" in n for n in d.attrs["notes"])
    cd = d[d["region_code"] == regions_code("成都")]
    assert cd["year"].max() >= 2020 and (cd["treat_year"] == 2017).all()


def test_a_plan_without_central_approval_cannot_be_a_treatment():
    gap = groups.plan_design_gap("山东半岛")
    assert gap and "没有经中央批复" in gap[0] and "no centrally approved" in gap[1]
    assert groups.plan_design_gap("成渝") is None
    with pytest.raises(ValueError, match="no centrally approved"):
        groups.treatment_years("plan:山东半岛城市群")


def test_cluster_names_resolve_from_short_full_english_and_alias():
    assert groups.resolve_cluster("成渝") == groups.resolve_cluster("成渝城市群") == "成渝城市群"
    assert groups.resolve_cluster("长三角") == groups.DEFAULT_CLUSTER
    assert groups.resolve_cluster("central plains city cluster") == "中原城市群"
    with pytest.raises(ValueError, match="成渝"):
        groups.resolve_cluster("珠江")


@pytest.mark.parametrize("nb", CLAIM_NOTEBOOKS)
def test_every_claim_notebook_offers_every_cluster(nb):
    from yrdlib import config, contracts

    sig = contracts.read_signature(config.NOTEBOOKS / f"{nb}.ipynb")
    p = sig.params["cluster"]
    assert p.default == "长三角" and p.kind == "cluster"
    assert p.type_name.split(": ")[1].split("|") == [groups.short_name(n)
                                                      for n in groups.cluster_names()]
    for given in ("成渝城市群", "成渝", "Chengdu-Chongqing city cluster"):
        assert contracts.validate(sig, {"cluster": given})["cluster"] == "成渝"
    with pytest.raises(contracts.ParameterError, match=f"{nb}.*cluster.*珠江"):
        contracts.validate(sig, {"cluster": "珠江"})


def test_titles_name_the_cluster_and_its_plan():
    h = registry.hypothesis("S2.b")
    zh, en = groups.cluster_title(h.title_zh, h.title_en, "成渝")
    assert zh.startswith("列入《成渝城市群发展规划》") and "长三角" not in zh
    assert "Chengdu-Chongqing" in en and "YRD" not in en
    assert groups.cluster_title(h.title_zh, h.title_en, "长三角") == (h.title_zh, h.title_en)
    for cid in registry.claims():
        tz, te = N.claim_title(cid, "成渝")
        assert "成渝城市群" in tz and "Chengdu-Chongqing" in te and "{" not in tz + te
        assert N.claim_title(cid, None) == (registry.claim(cid).title_zh,
                                            registry.claim(cid).title_en)


@pytest.mark.parametrize("cid", sorted(registry.claims()))
def test_the_text_for_another_cluster_is_chinese_and_never_says_the_yrd_in_a_title(cid):
    from test_narrative import zh_latin

    head = N.claim_header(cid, "zh", cluster="成渝")
    assert zh_latin(markdown2html(head)) == []
    first = head.split("\n")[0]
    assert "长三角" not in first
    for sec in N.sections(cid):
        zh = N.text(cid, sec, "zh", cluster="成渝")
        assert zh_latin(markdown2html(zh)) == [], (cid, sec)
        h2 = re.search(r"<h2[^>]*>(.*?)</h2>", zh)
        if h2 and sec in {h.id for h in registry.claim(cid).hypotheses} \
                and registry.hypothesis(sec).generalises:
            assert "长三角" not in h2.group(1), (cid, sec)
        elif h2 and sec in {h.id for h in registry.claim(cid).hypotheses}:
            # a YRD design with no counterpart keeps its own title, marked as not for this cluster
            assert registry.hypothesis(sec).title_zh in h2.group(1)
            assert "不适用于成渝城市群" in h2.group(1), (cid, sec)
    assert N.text(cid, "intro", "zh") != N.text(cid, "intro", "zh", cluster="成渝")


def test_a_design_without_counterpart_is_not_applicable_with_its_reason():
    from yrdlib.claims import context

    ctx = context.Context(notebook="s3_bay_area", params={}, cluster="成渝城市群")
    calls = []
    r = ctx.run("S3.a", lambda: calls.append(1))
    assert calls == [] and not r.evidence.applicable
    assert "成渝" in r.evidence.reason_zh and "环杭州湾" in r.evidence.reason_zh
    # a design that generalises, but the cluster's plan has no approval date
    ctx2 = context.Context(notebook="s2_city_tier", params={}, cluster="山东半岛城市群")
    r2 = ctx2.run("S2.b", lambda: calls.append(1))
    assert calls == [] and not r2.evidence.applicable and "批复" in r2.evidence.reason_zh


def test_a_focus_city_outside_the_cluster_gets_the_scope_note():
    from yrdlib import regions
    from yrdlib.claims import context

    ctx = context.Context(notebook="s1_opening", params={}, cluster="成渝城市群",
                          unit=regions.resolve("331000"))
    zh, en = ctx.scope_note("S1")
    assert "台州" in zh and "成渝" in zh and "Chengdu-Chongqing" in en
    ctx.unit = regions.resolve("510100")
    assert ctx.scope_note("S1") is None
    assert ctx.treatment == "plan:成渝城市群"


def test_the_run_files_are_what_the_generator_writes_and_plan_their_jobs():
    import importlib.util

    from yrdlib import config
    from yrdlib.runner.plan import load_runfile, plan_jobs

    spec = importlib.util.spec_from_file_location("mrf", config.ROOT / "tools" / "make_run_files.py")
    mrf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mrf)
    assert (config.RUNS / "cluster_cores.yml").read_text(encoding="utf-8") == mrf.cores_file()
    name, text = mrf.cluster_file("成渝")
    assert (config.RUNS / name).read_text(encoding="utf-8") == text
    jobs = plan_jobs(load_runfile(config.RUNS / "cluster_cores.yml"))
    s1 = {j.parameters["focus_region"]: j.parameters["cluster"] for j in jobs
          if j.notebook.stem == "s1_opening"}
    assert len(s1) == len(groups.cluster_names()) and s1["500000"] == "成渝"
    jobs = plan_jobs(load_runfile(config.RUNS / name))
    assert {j.parameters["cluster"] for j in jobs if "cluster" in j.parameters} == {"成渝"}
    assert len({j.parameters["focus_region"] for j in jobs if j.notebook.stem == "s1_opening"}) \
        == len(groups.cluster_members("成渝"))


def test_a_corrected_plan_date_invalidates_cached_results():
    """The plan dates and memberships are read at analysis time, not through the panel: a change
    to them must change the key of every cached pooled result, though the panel is unchanged."""
    import copy

    from yrdlib.claims import common
    from yrdlib.data import panel

    m = panel.manifest()
    edited = copy.deepcopy(m)
    edited["inputs"]["data/raw/cluster_plans/cluster_plans.csv"] = "0" * 64
    assert common.data_key_of(edited) != common.data_key_of(m)
    edited = copy.deepcopy(m)
    edited["inputs"]["data/raw/yrd_reference/city_clusters.csv"] = "0" * 64
    assert common.data_key_of(edited) != common.data_key_of(m)
    assert common.data_key_of(copy.deepcopy(m)) == common.data_key_of(m)


def test_the_brief_of_another_cluster_names_it_not_the_yrd():
    from yrdlib.report.brief import brief_html

    tz, te = N.claim_title("S1", "成渝")
    claims = [{"claim": "S1", "verdict": "inconclusive", "title_zh": tz, "title_en": te}]
    zh = brief_html(claims, [], lang="zh", focus="成都", cluster="成渝")
    en = brief_html(claims, [], lang="en", focus="Chengdu", cluster="成渝")
    assert "<h1>成渝城市群" in zh and "长三角" not in zh
    assert "Chengdu-Chongqing" in en and "YRD" not in en
    assert "长三角" in brief_html(claims, [], lang="zh", focus="台州")  # the default names the YRD


def test_a_cluster_design_with_too_few_treated_cities_is_not_applicable():
    """The same thresholds as the cross-cluster report's per-cluster rows."""
    from yrdlib.claims import common

    d = common.did_data("gdp_real", "plan:成渝城市群", (2000, 2023), "log")
    assert groups.plan_design_infeasible(d, "成渝城市群") is None
    few = d[~d["region_code"].isin(sorted(d.loc[d["treat_year"].notna(), "region_code"]
                                          .unique())[2:])]
    zh, en = groups.plan_design_infeasible(few, "成渝城市群")
    assert "2 个" in zh and "fewer than 3" in en
    late = d[(d["treat_year"].isna()) | (d["year"] >= 2015)]
    assert "years before" in groups.plan_design_infeasible(late, "成渝城市群")[1]


def test_an_index_over_clusters_labels_each_city_with_its_cluster_and_never_merges_them():
    from yrdlib.report.index import multi_city

    def row(city, cluster, est):
        full = groups.resolve_cluster(cluster)
        return {"parameters": {"focus_region": city, "cluster": cluster},
                "claims": [{"claim": "S2", "verdict": "inconclusive",
                            "title_zh": N.claim_title("S2", full)[0],
                            "title_en": N.claim_title("S2", full)[1]}],
                "html": f"{city}.html",
                "hypotheses": [{"hypothesis": "S2.b", "claim": "S2", "verdict": "inconclusive",
                                "estimate": est, "level": "pooled", "role": "test"}]}

    m = multi_city([row("500000", "成渝", 0.104), row("410100", "中原", 0.002)])
    assert [c["label"].split(" · ")[1] for c in m["cities"]] == ["成渝", "中原"]
    assert m["pooled"] == [] and "S2.b" in m["hypotheses"]  # two clusters' results, both shown
    assert {r["cluster"] for r in m["long"]} == {"成渝", "中原"}
    # the claim row names no cluster (it named the first city's, 成渝, for 中原's cell too)
    (claim,) = m["claims"]
    assert claim["title_zh"] == "融入城市群有利于促进城市能级攀升" and "成渝" not in claim["title_zh"]
    assert "Chengdu" not in claim["title_en"] and "city cluster" in claim["title_en"]


def test_a_test_without_a_plan_date_shows_no_table_and_exports_nothing():
    """海峡西岸 (no central approval): the causal test is a not-applicable record without data;
    the notebook's table calls must accept it (they raised KeyError 'suite' in every claim
    notebook of that cluster)."""
    from yrdlib.claims import context
    from yrdlib.report import regtable

    ctx = context.Context(notebook="s2_city_tier", params={}, cluster="海峡西岸城市群")
    r = ctx.run("S2.b", lambda: None)
    assert not r.evidence.applicable and regtable.show(r, "both") == {}
    for nb in ("s1_opening", "s2_city_tier", "s4_industry"):
        src = (config.ROOT / "notebooks" / "text" / f"{nb}.py").read_text(encoding="utf-8")
        assert 'if r_b.evidence.applicable:\n    display(r_b.data["suite"])' in src, nb


def test_the_inference_note_names_the_plan_and_says_the_calibration_is_the_yrds():
    from yrdlib.claims import city_tier, design_note

    r = city_tier.s2b_growth_did((2000, 2022), treatment=groups.plan_treatment("成渝"))
    zh, en = (design_note.inference_note(r, lang) for lang in ("zh", "en"))
    head_zh = zh.split("**规则校准**")[0]
    assert "列入《成渝城市群发展规划》是按省份成批发生的" in head_zh and "长三角" not in head_zh
    assert "Chengdu-Chongqing city cluster plan came in province blocks" in en
    assert "measured only on the assignment of joining the YRD" in en and "2 treated provinces" in en


def test_a_description_needs_the_plans_city_list_not_its_approval_date():
    """泉州 among the 海峡西岸 cities: a position, not a test, so the missing central approval
    does not make it 'not applicable' (it did, and the paths figure then stopped the notebook);
    a city outside the cluster stays not applicable and the figures skip it."""
    import matplotlib

    matplotlib.use("Agg")
    from yrdlib.claims import paths
    from yrdlib.figures import paths as FP

    r = paths.path_result("transport", "350500", (2000, 2022), cluster="海峡西岸")
    assert r.evidence.applicable and "海峡西岸" in r.evidence.title_zh
    out = paths.path_result("transport", "510100", (2000, 2022), cluster="海峡西岸")
    assert not out.evidence.applicable and "不在" in out.evidence.reason_zh
    assert FP.plot_paths([out], "成都", "海峡西岸城市群") is None
    assert len(FP.summary_table([r, out])) == 1 and FP.indicator_table([out]).empty


def test_a_test_of_a_plan_without_a_date_is_titled_with_that_plan():
    """The verdict table of a 海峡西岸 report named S1.b 加入长三角协调会… while its contents said
    列入《海峡西岸城市群发展规划》…: the not-applicable record kept the YRD title."""
    from yrdlib.claims import context

    ctx = context.Context(notebook="s1_opening", params={}, cluster="海峡西岸城市群")
    ev = ctx.run("S1.b", lambda: None).evidence
    assert not ev.applicable and "海峡西岸" in ev.title_zh and "长三角" not in ev.title_zh
    assert "West Taiwan Strait" in ev.title_en and "YRD" not in ev.title_en
