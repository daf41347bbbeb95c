"""The policy brief: built from records (no kernel), numbers follow the records, Chinese throughout."""

import html
import re

import pytest

from yrdlib import vocab
from yrdlib.evidence import Evidence
from yrdlib.report import brief as B


def _records(s3c=-0.0627):
    """Fixture records shaped like a default run's: S3.c falls with a binding check disagreeing,
    S1.b a design-based interval around 0, S4.e not testable, a path description."""
    s3c = Evidence("S3", "S3.c", "焦点城市占环杭州湾经济总量的份额上升",
                   "The focus city's share of the bay area's GDP rises", expected="+",
                   estimate=s3c, ci_low=s3c - 0.013, ci_high=s3c + 0.013, n=20, unit="pp/yr",
                   sensitivity=[{"name": "real GDP (2000 prices)", "kind": "estimate",
                                 "estimate": 0.001, "ci_low": -0.01, "ci_high": 0.01}])
    s1b = Evidence("S1", "S1.b", "加入长三角协调会提高城市开放度（实际利用外资）",
                   "Joining raises FDI", expected="+", estimate=0.16, ci_low=-0.97,
                   ci_high=1.23, n=600, unit="log points", inference="randomization")
    s4e = Evidence.not_testable("S4", "S4.e", "创新溢出随时间增强", "Spillovers grow",
                                missing_data="patents granted by city and year")
    s4b = Evidence("S4", "S4.b", "加入长三角提高第三产业占比", "Joining raises the tertiary share",
                   estimate=2.84, ci_low=-1.1, ci_high=6.81, n=600, unit="percentage points")
    pt = Evidence.description("P", "P.public", "路径「公共服务」：焦点城市相对长三角的差距",
                              "Path 'Public services': where the focus city stands",
                              estimate=9.2, null_value=50, band=10, unit="percentile (50 = median)")
    hyps = [e.to_dict() for e in (s3c, s1b, s4e, s4b, pt)]
    claims = [
        {"claim": c, "verdict": v, "title_zh": tz, "title_en": te, "provisional": False}
        for c, v, tz, te in (
            ("S1", vocab.INCONCLUSIVE, "融入长三角有利于提高对外开放层次", "Opening up"),
            ("S3", vocab.INCONCLUSIVE, "与环杭州湾大湾区关联性明显增强", "Closer to the bay"),
            ("S4", vocab.INCONCLUSIVE, "推动产业创新和培育再造", "Industrial innovation"),
            ("P", vocab.DESCRIBED, "融入长三角的七条路径（差距诊断）", "Seven paths"))]
    return claims, hyps


CENSUS = [  # three counties and the prefecture (excluded from the ranks)
    {"region_code": c, "name_zh": n, "name_en": n, "year": y, "census_pop": p,
     "census_manufacturing_share": m}
    for c, n, y, p, m in (("331083", "玉环", 2010, 616000, 60.0), ("331083", "玉环", 2020, 644000, 61.0),
                          ("331002", "椒江", 2010, 650000, 45.0), ("331002", "椒江", 2020, 826000, 70.0),
                          ("331022", "三门", 2010, 330000, 30.0), ("331022", "三门", 2020, 380000, 33.0),
                          ("331000", "台州", 2010, 5.9e6, 48.0), ("331000", "台州", 2020, 6.6e6, 99.0))]


def test_plain_number_reads_the_record():
    _, hyps = _records()
    s3c = next(h for h in hyps if h["hypothesis"] == "S3.c")
    assert B.plain_number(s3c, "zh").startswith("每年下降约 0.063 个百分点")
    assert "falls by about 0.063 percentage points a year" in B.plain_number(s3c, "en")
    s1b = next(h for h in hyps if h["hypothesis"] == "S1.b")
    assert B.plain_number(s1b, "zh").startswith("约高 17%")  # exp(0.16) - 1


def test_the_brief_follows_the_records():
    claims, hyps = _records(s3c=-0.2)
    page = B.brief_html(claims, hyps, lang="zh", focus="台州", facts=B.yuhuan_facts(CENSUS))
    assert "每年下降约 0.20 个百分点" in page and "台州占环杭州湾经济总量的份额上升" in page
    for c in ("S1", "S3", "S4", "P"):
        assert f'id="{c}"' in page
    assert "S4.e 缺少数据" in page  # a core test without data is named
    assert "若 1 项方向不一致的约束性检验也指向同一方向，结论将变为「否定」" in page
    assert page.count("<svg") <= len(claims)  # one chart per claim at most


def test_fmt_never_uses_e_notation():
    for x in (3.9e-6, 2.4e-12, 0.0627, 1240.5, -0.05):
        assert "e" not in B.fmt(x).lower()
    assert B.fmt(0.0627) == "0.063" and B.fmt(1240.5) == "1,200"


def test_yuhuan_facts_rank_among_counties_not_the_prefecture():
    zh = " ".join(B.yuhuan_facts(CENSUS, "331083", "zh"))
    assert "61.6 万人" in zh and "64.4 万人" in zh
    assert "制造业就业占全部就业的 61.0%，在台州 3 个县（市、区）中居第 2 位" in zh
    assert B.yuhuan_facts(CENSUS, "331099") == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_chinese_brief_has_no_english_sentence(lang):
    claims, hyps = _records()
    page = B.brief_html(claims, hyps, lang=lang, run_id="20261206T023227Z-cdd7f7c",
                        facts=B.yuhuan_facts(CENSUS, lang=lang), hrefs={"S3": "s3_bay_area.html"},
                        other="brief_en.html")
    bad = B.latin_sentences(page)
    if lang == "zh":
        assert bad == []
    else:  # the checker does find English sentences: the English twin is full of them
        assert len(bad) > 10


def test_latin_sentences_allows_names_units_codes_only():
    assert B.latin_sentences("<p>S3.c：每年下降。S1.b did2s RMSPE。</p>") == []
    assert B.latin_sentences("<p>中文。The estimate leans negative.</p>") == [
        "The estimate leans negative."]
    assert re.search("placebo", B.latin_sentences("<td>placebo rank</td>")[0])


def test_glossary_names_each_term_once_in_both_languages():
    from yrdlib.vocab import GLOSSARY, glossary_html

    zh_names = [v[0] for v in GLOSSARY.values()]
    assert len(set(zh_names)) == len(zh_names)
    assert GLOSSARY["city_tier"][:2] == ("城市能级", "city tier")
    page = glossary_html()
    for k in ("mde", "binding", "core", "ri", "rmspe", "band", "log_points", "did2s", "rr"):
        assert html.escape(GLOSSARY[k][2]) in page and html.escape(GLOSSARY[k][3]) in page
    assert B.latin_sentences(glossary_html("zh")) == []


def test_user_data_marks_the_verdict_provisional():
    claims, hyps = _records()
    for h in hyps:
        if h["hypothesis"] == "S3.c":
            h["user_data"] = [{"file": "data/user/x.csv", "line": 2}]
            h["provisional"] = True
    page = B.brief_html(claims, hyps, lang="zh")
    s3 = page.split('id="S3"')[1].split("</section>")[0]
    assert s3.count("暂定") == 2  # on the claim heading and on its key number
    assert "暂定" not in page.split('id="S1"')[1].split("</section>")[0]


def test_units_read_in_chinese():
    assert vocab.unit_zh("log points (mean level gap of ln gdp_real, 2017–2022)") == \
        "对数点（2017–2022 年 ln gdp_real 的平均水平差距）"
    assert vocab.unit_zh("patents per 10k per ln(km)").startswith("每万人专利数")


def test_bottom_line_counts_verdicts_and_names_claims_leaning_against():
    claims, hyps = _records()
    zh = B.bottom_line(claims, hyps, "zh")
    assert "3 项论断中，0 项得到数据支持" in zh and "S3 的核心检验估计均与文章方向相反" in zh
    assert "不足以证明" in zh
    claims[0]["verdict"] = vocab.SUPPORTED
    assert "不足以证明" not in B.bottom_line(claims, hyps, "zh")  # said only when nothing holds


def test_a_run_over_several_cities_gets_one_brief_per_city_and_a_list(tmp_path):
    """cluster_cores merged 14 cities into one brief: every claim 14 times, under the first
    city's cluster, with every city's S1.b in each chart and "56 claims" in the bottom line."""
    from yrdlib.report.brief_pages import write_brief

    claims, hyps = _records()

    def row(code, cluster, est):
        hs = [dict(h, estimate=est) if h["hypothesis"] == "S1.b" else h for h in hyps]
        return {"id": f"s1__{code}", "html": f"s1__{code}.html", "claims": claims,
                "hypotheses": hs, "parameters": {"focus_region": code, "cluster": cluster}}

    write_brief(tmp_path, [row("500000", "成渝", 0.35), row("410100", "中原", 1.21),
                           {"id": "scorecard", "parameters": {}}], "RUN")
    one = (tmp_path / "brief_500000.html").read_text(encoding="utf-8")
    assert "成渝城市群" in one and "中原" not in one and "重庆" in one
    assert one.count('id="S1"') == 1 and one.count(">S1.b</text>") == 1  # one city's S1.b
    assert (tmp_path / "brief_en_410100.html").is_file()
    index = (tmp_path / "brief.html").read_text(encoding="utf-8")
    assert 'href="brief_500000.html"' in index and 'href="brief_410100.html"' in index
    assert "2 个焦点城市" in index and "中原城市群" in index
    assert not B.latin_sentences(index)
    # a run about one city keeps one brief
    (tmp_path / "x").mkdir()
    write_brief(tmp_path / "x", [row("500000", "成渝", 0.35)], "RUN")
    assert "成渝城市群" in (tmp_path / "x" / "brief.html").read_text(encoding="utf-8")


def test_a_focus_where_nothing_applies_says_nothing_was_tested():
    """海峡西岸 (no central approval): 'the statistics do not show that being listed in its plan
    brought the changes' read as a finding; nothing was tested."""
    why = "海峡西岸城市群的规划没有经中央批复的日期（所引来源中没有），无法定义“列入规划”的处理年份。"
    claims = [{"claim": c, "verdict": vocab.NOT_APPLICABLE} for c in ("S1", "S2", "S3", "S4")]
    hyps = [{"hypothesis": h, "claim": h[:2], "verdict": vocab.NOT_APPLICABLE, "reason_zh": why,
             "reason_en": "no approval date"} for h in ("S1.b", "S2.b", "S4.b")]
    s = B.bottom_line(claims, hyps, "zh", "泉州", "海峡西岸")
    assert "都不适用，没有作检验" in s and why in s and "不足以证明" not in s
    assert "nothing was tested" in B.bottom_line(claims, hyps, "en", "Quanzhou", "海峡西岸")


def test_only_taizhous_brief_carries_yuhuans_census_facts(tmp_path):
    """宁波's brief in runs/example_cities.yml showed 玉环自身的数据."""
    from yrdlib.report.brief_pages import write_brief

    claims, hyps = _records()
    (tmp_path / "tables" / "yuhuan_profile").mkdir(parents=True)
    cols = list(CENSUS[0])
    (tmp_path / "tables" / "yuhuan_profile" / "taizhou_county_census.csv").write_text(
        ",".join(cols) + "\n" + "\n".join(",".join(str(r[c]) for c in cols) for r in CENSUS) + "\n",
        encoding="utf-8")
    rows = [{"id": f"s1__{c}", "html": f"s1__{c}.html", "claims": claims, "hypotheses": hyps,
             "parameters": {"focus_region": c}} for c in ("331000", "330200")]
    write_brief(tmp_path, rows, "RUN")
    assert "玉环自身的数据" in (tmp_path / "brief_331000.html").read_text(encoding="utf-8")
    assert "玉环自身的数据" not in (tmp_path / "brief_330200.html").read_text(encoding="utf-8")
