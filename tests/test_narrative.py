"""Chinese throughout with lang=zh (issue 20): the claim notebooks' text comes from the registry
through yrdlib.narrative, and what a zh page shows has no sentence made only of Latin letters
apart from names, units, citations and method names (the brief's counter)."""

from __future__ import annotations

import re

import pytest
from nbconvert.filters.markdown import markdown2html

from yrdlib import narrative as N
from yrdlib import vocab
from yrdlib.claims import registry
from yrdlib.report.brief import latin_sentences
from yrdlib.report.zh import EN_RECORD, zh_page

CLAIMS = list(registry.claims())
# method and source names a Chinese text cites as they are spelled (besides the brief's list)
METHOD_NAMES = re.compile(
    r"\b(?:Gardner|Newey|West|Gabaix|Ibragimov|Pearson|Zipf|PCA|OLS|HC3|EDGAR|JRC|IEA|Abadie|"
    r"L'Hour|CNIPA|M̄|ATT|TWFE|sunab|twfe|PM2\.5|CSV|Excel|LaTeX|HTML|Word)\b"
    r"|https?://\S+|\b[\w/.-]+/[\w/.-]*")  # web addresses and file paths are citations
# indicator and parameter keys a text names for the user to type (data/user/ columns)
KEYS = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")


def zh_latin(page: str) -> list[str]:
    """Latin-only sentences of a zh page, the collapsed English originals left out (the reader
    opens them on purpose; they are labelled as such), and <code> spans (parameter names and
    values, hashes: what the user types or compares as it is, like KEYS)."""
    page = re.sub(rf'<details class="{EN_RECORD}".*?</details>', "", page, flags=re.S)
    page = re.sub(r"<code>[^<]*</code>", "", page)
    return [s for s in latin_sentences(page)
            if re.search(r"[A-Za-z]{2,}", KEYS.sub("", METHOD_NAMES.sub("", s)))]


@pytest.mark.parametrize("cid", CLAIMS)
def test_every_narrative_section_is_chinese_with_lang_zh(cid):
    secs = N.sections(cid)
    assert secs, f"{cid}: no narrative in the registry"
    for sec in secs:
        zh = markdown2html(N.text(cid, sec, "zh"))
        assert zh_latin(zh) == [], (cid, sec)
        assert "**" not in zh, (cid, sec, "bold markup left unrendered")
        both = N.text(cid, sec, "both")
        body_zh, body_en = (N.text(cid, sec, lang).split("</h2>")[-1].strip() for lang in ("zh", "en"))
        assert body_zh in both and body_en in both  # both: the Chinese body, then the English
        assert both.index(body_zh) <= both.index(body_en)


@pytest.mark.parametrize("cid", CLAIMS)
def test_the_claim_header_is_chinese_with_lang_zh(cid):
    assert zh_latin(markdown2html(N.claim_header(cid, "zh"))) == []
    c = registry.claim(cid)
    assert c.hypotheses[0].title_en in N.claim_header(cid, "both")
    assert c.hypotheses[0].title_en not in N.claim_header(cid, "zh")


def test_hypothesis_sections_head_with_the_registry_title_role_and_an_anchor():
    h = registry.hypothesis("S1.b")
    zh = N.text("S1", "S1.b", "zh")
    assert zh.startswith(f'<h2 id="S1.b">S1.b {h.title_zh}（核心检验）</h2>')
    assert f"S1.b {h.title_en} (core test)" in N.text("S1", "S1.b", "en")
    from yrdlib.report.html import table_of_contents

    assert table_of_contents(markdown2html(zh))[0]["anchor"] == "S1.b"


def test_unknown_section_names_the_known_ones():
    with pytest.raises(KeyError, match="intro"):
        N.text("S1", "nope", "zh")


def test_the_claim_notebooks_carry_no_english_markdown():
    """A markdown cell is shown in every language: only the bilingual title may stay; the text is
    the registry's, rendered by one call per section."""
    import nbformat

    from yrdlib import config

    for c in registry.claims().values():
        nb = nbformat.read(config.NOTEBOOKS / f"{c.notebook}.ipynb", as_version=4)
        md = [cell.source for cell in nb.cells if cell.cell_type == "markdown"]
        assert all(s.lstrip().startswith("# ") and "\n" not in s.strip() for s in md), c.notebook
        title = markdown2html("\n\n".join(md))
        assert zh_latin(zh_page(title)) == [], c.notebook  # the title's Chinese half
        import html

        assert md[0].lstrip("# ").split(" · ")[0] in html.unescape(zh_page(title))
        src = "\n".join(cell.source for cell in nb.cells if cell.cell_type == "code")
        assert set(re.findall(rf'ctx\.show\("{c.id}", "([^"]+)"', src)) == set(N.sections(c.id))


@pytest.mark.parametrize("h", [h for c in registry.claims().values() for h in c.hypotheses
                               if h.missing_data_en], ids=lambda h: h.id)
def test_not_testable_records_say_the_missing_data_in_chinese(h):
    from yrdlib.claims.result import evidence_for

    ev = evidence_for(h.id, missing_data=h.missing_data_en)
    assert ev.verdict == vocab.NOT_TESTABLE
    for text in (ev.reason_zh, ev.change_zh, ev.finding_zh):
        assert h.missing_data_zh in text
        assert zh_latin(f"<p>{text}</p>") == [], text
    assert h.missing_data_en in ev.reason_en  # the English twin stays in the English text


def test_a_missing_chinese_twin_is_refused_by_the_registry(tmp_path):
    src = (registry.REGISTRY_DIR / "s1.yml").read_text(encoding="utf-8")
    bad = re.sub(r"\n    missing_data_zh: .*", "", src)
    assert bad != src
    (tmp_path / "s1.yml").write_text(bad, encoding="utf-8")
    with pytest.raises(registry.RegistryError, match="both languages"):
        registry.parse(tmp_path / "s1.yml")


def test_a_zh_page_keeps_chinese_and_folds_english_only_fields():
    """A real record's box: the English twins go, units and checks are named from vocab, the
    English-only method is folded (kept, not deleted)."""
    from yrdlib.evidence import Evidence
    from yrdlib.report.boxes import evidence_html

    ev = Evidence("S1", "S1.b", "加入提高开放度", "Joining raises openness", expected="+",
                  estimate=0.16, ci_low=-0.97, ci_high=1.23, n=500, unit="log points",
                  method="Gardner two-stage DiD (did2s), not-yet-treated controls",
                  notes="15 cities treated in or before 2000 dropped",
                  inference="randomization inference over provinces; design SE 0.549 log points",
                  sensitivity=[{"name": "Sun–Abraham ATT", "kind": "sign", "estimate": -0.14}])
    box = evidence_html(ev.to_dict())
    assert latin_sentences(box)  # the bilingual box has English sentences
    page = zh_page(box)
    assert zh_latin(page) == []
    assert "对数点" in page and "Sun–Abraham 估计" in page and "方向相反" in page
    assert "Gardner two-stage DiD" in page and EN_RECORD in page  # folded, not lost


def test_zh_tables_name_columns_and_codes_in_chinese():
    import pandas as pd

    from yrdlib.report.tables import format_table

    df = pd.DataFrame({"path_zh": ["交通"], "path_en": ["Transport"],
                       "indicator": ["road_area_pc"], "status": ["ok"],
                       "label": ["below / flat (16)"], "pct_latest": [12.5]})
    page = format_table(df, lang="zh")
    assert zh_latin(page) == [] and "Transport" not in page
    assert "低于 / 无明显变化 (16)" in page
    assert "Transport" in format_table(df, lang="both")  # the bilingual table is untouched


@pytest.mark.slow
def test_the_paths_report_is_chinese_end_to_end(tmp_path):
    """One claim notebook executed with lang=zh and rendered as the runner renders it."""
    import nbformat
    from nbtools import run_notebook

    from yrdlib.report.html import notebook_html

    out = run_notebook("p_paths", tmp_path, focus_region="台州", start_year=2008, end_year=2020,
                       window=5, lang="zh")
    page = zh_page(notebook_html(nbformat.read(out, as_version=4), title="p_paths"))
    assert zh_latin(page) == []


ZH_RUNS = {"s1_opening": {"start_year": 2008, "end_year": 2020},
           "s2_city_tier": {},
           "s3_bay_area": {"start_year": 2004, "end_year": 2020},
           "s4_industry": {"start_year": 2008, "end_year": 2020, "event_window": 3}}


@pytest.fixture(scope="module", params=sorted(ZH_RUNS))
def zh_report(request, tmp_path_factory):
    """A claim notebook executed once with lang=zh on short years and rendered as the runner
    renders it: header, evidence boxes, tables and the provenance footer."""
    import nbformat
    from nbtools import run_notebook

    from yrdlib import config
    from yrdlib.report.html import report_html
    from yrdlib.report.run_evidence import read_evidence
    from yrdlib.runner.plan import _title
    from yrdlib.runner.provenance import collect

    name, params = request.param, {**ZH_RUNS[request.param], "lang": "zh"}
    out = run_notebook(name, tmp_path_factory.mktemp(name), **params)
    nb = nbformat.read(out, as_version=4)
    claims, hyps = read_evidence(nb, out)
    prov = {**collect(), "executed_at": "2026-01-01T00:00:00+00:00", "seconds": 1.0}
    title = _title(config.NOTEBOOKS / f"{name}.ipynb", "")
    return name, report_html(nb, job_id=name, title=title, parameters=params, claims=claims,
                             hypotheses=hyps, tables=[], provenance=prov)


@pytest.mark.slow
def test_claim_reports_are_chinese_end_to_end_footer_included(zh_report):
    name, page = zh_report
    assert 'class="yrd-provenance"' in page and "数据来源与出处" in page  # the footer is counted
    assert zh_latin(page) == [], name
    assert EN_RECORD in page  # the English originals are folded, not deleted


def test_the_text_follows_the_treatment_actually_used():
    zh = N.text("S1", "S1.b", "zh", treatment="plan2016")
    assert "列入 2016 年长三角城市群规划" in zh.split("</h2>")[0]
    assert "加入长三角协调会" not in zh.split("</h2>")[0]
    assert "本次运行的处理" in zh and "本次运行的处理" not in N.text("S1", "S1.b", "zh")
    assert "2016 YRD city-cluster plan" in N.text("S1", "S1.b", "en", treatment="plan2016")
    assert N.text("S1", "S1.b", "zh", treatment="association") == N.text("S1", "S1.b", "zh")
