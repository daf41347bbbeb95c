"""The scorecard: gathering a run's evidence, the claim rule with the registry's core tests
(a core test not testable -> not supportable; descriptions and not-applicable records never
counted), flagging failed / silent / missing claim notebooks, the runner's jobs.json, the README
summary, and the real scorecard notebook run last."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from yrdlib import evidence as ev
from yrdlib import scorecard, vocab
from yrdlib.runner import summary

ROOT = Path(__file__).parent.parent
FIX = Path(__file__).parent / "fixtures" / "scorecard"


def executed(path: Path, records: list[ev.Evidence], claims: list[dict] = ()) -> None:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("")
    cell.outputs = [nbformat.v4.new_output("display_data", data={
        "text/plain": "x", ev.EVIDENCE_MIME: e.to_dict()}) for e in records]
    cell.outputs += [nbformat.v4.new_output("display_data", data={
        "text/plain": "x", ev.CLAIM_MIME: c}) for c in claims]
    nb.cells.append(cell)
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)


@pytest.fixture
def run_dir(tmp_path):
    d = tmp_path / "run"
    executed(d / "notebooks" / "s1_opening.ipynb", [
        ev.Evidence("S1", "S1.a", "a", "a", estimate=2, null_value=1, kind="fact", n=5),
        ev.Evidence("S1", "S1.b", "b", "b", estimate=0.3, ci_low=0.1, ci_high=0.5, n=99)])
    executed(d / "notebooks" / "s2_city_tier.ipynb",
             [ev.Evidence("S2", "S2.a", "a", "a", estimate=-1, ci_low=-2, ci_high=-0.5, n=50)])
    executed(d / "notebooks" / "s3_bay_area.ipynb", [])
    executed(d / "notebooks" / "data_overview.ipynb", [])
    executed(d / "notebooks" / "scorecard.ipynb", [])
    jobs = [{"id": "s1_opening", "notebook": "s1_opening.ipynb", "status": "ok", "html": "s1_opening.html"},
            {"id": "s2_city_tier", "notebook": "s2_city_tier.ipynb", "status": "failed",
             "error": "RuntimeError: boom"},
            {"id": "s3_bay_area", "notebook": "s3_bay_area.ipynb", "status": "ok"},
            {"id": "data_overview", "notebook": "data_overview.ipynb", "status": "ok"},
            {"id": "scorecard", "notebook": "scorecard.ipynb", "status": "pending"}]
    (d / "jobs.json").write_text(json.dumps({"jobs": jobs}))
    return d


def test_gather_flags_failed_silent_and_missing(run_dir):
    sc = scorecard.gather(run_dir)
    assert sc.source == "explicit" and sc.status_file == "jobs.json"
    probs = {p.notebook: p.problem for p in sc.problems.itertuples()}
    assert probs == {"s2_city_tier": "failed", "s3_bay_area": "no evidence",
                     "s4_industry": "not run", "p_paths": "not run"}
    assert "boom" in sc.problems.set_index("notebook").at["s2_city_tier", "detail"]
    # descriptive notebooks and the scorecard itself are not flagged
    assert "data_overview" not in probs and "scorecard" not in set(sc.jobs["notebook"])
    cl = sc.claims.set_index("claim")
    assert cl.at["S1", "verdict"] == "supported" and cl.at["S1", "flag"] == ""
    assert cl.at["S1", "core_verdicts"] == {"S1.b": "supported"}  # the registry's core of S1
    # S2's core (S2.b, S2.f) has no record: S2.a alone cannot decide the claim
    assert cl.at["S2", "verdict"] == "not testable" and cl.at["S2", "flag"] == "failed"
    assert not cl.at["S2", "supportable"] and cl.at["S2", "n_peripheral"] == 1
    assert list(sc.evidence["hypothesis"]) == ["S1.a", "S1.b", "S2.a"]
    # every flagged notebook appears in the HTML, the Markdown and the figure rows
    html, md = scorecard.claims_html(sc), scorecard.markdown_table(sc)
    for name in ("S3", "S4", "P"):
        assert f"<b>{name}</b>" in html and f"**{name}**" in md
    assert "notebook failed" in html and "notebook failed" in md


def test_status_from_manifest_and_without_status(run_dir):
    (run_dir / "jobs.json").unlink()
    sc = scorecard.gather(run_dir)
    assert sc.status_file is None and sc.notes  # says statuses are unknown
    assert set(sc.problems["notebook"]) == {"s3_bay_area", "s4_industry", "p_paths"}
    (run_dir / "manifest.json").write_text(json.dumps({"jobs": [
        {"id": "s2_city_tier", "notebook": "s2_city_tier.ipynb", "status": "failed", "error": "x"}]}))
    sc = scorecard.gather(run_dir)
    assert sc.status_file == "manifest.json"
    assert "failed" in set(sc.problems["problem"])


def test_locate_run_fallback(tmp_path, monkeypatch):
    from yrdlib import config

    monkeypatch.setattr(config, "REPORTS", tmp_path)
    assert scorecard.locate_run(None, {}) == (None, "none")
    (tmp_path / "r1").mkdir()
    (tmp_path / "latest").symlink_to("r1")
    assert scorecard.locate_run(None, {}) == ((tmp_path / "r1").resolve(), "reports/latest")
    assert scorecard.locate_run(None, {"YRD_RUN_DIR": "/x"}) == (Path("/x"), "YRD_RUN_DIR")
    sc = scorecard.gather(None, environ={})
    assert sc.source == "reports/latest" and len(sc.problems) == len(scorecard.EXPECTED)


def test_expected_notebooks_and_titles_come_from_the_registry():
    from yrdlib.claims import registry

    assert scorecard.EXPECTED == {c.notebook: c.id for c in registry.claims().values()}
    assert scorecard.claim_title("S3") == (registry.claim("S3").title_zh,
                                           registry.claim("S3").title_en)


def test_no_verdict_vocabulary_of_its_own():
    src = Path(scorecard.__file__).read_text(encoding="utf-8")
    for v in vocab.VERDICTS:
        if v == vocab.DESCRIBED:  # "description" / 描述 is also the name of a record's role
            continue
        assert f'"{v}"' not in src and f"'{v}'" not in src, v
        assert vocab.VERDICT_ZH[v] not in src, vocab.VERDICT_ZH[v]


def _rec(hid, verdict, role="test"):
    return {"hypothesis": hid, "verdict": verdict, "role": role}


@pytest.mark.parametrize(("claim", "recs"), [
    ("S2", []), ("S2", [_rec("S2.b", "supported"), _rec("S2.f", "inconclusive")]),
    ("S2", [_rec("S2.b", "supported"), _rec("S2.f", "supported"), _rec("S2.a", "contradicted")]),
    ("S3", [_rec("S3.a", "contradicted"), _rec("S3.c", "supported"), _rec("S3.b", "supported")]),
    ("S4", [_rec("S4.b", "supported"), _rec("S4.e", "supported"), _rec("S4.f", "supported"),
            _rec("S4.c", "description", "description")])])
def test_claim_reason_is_the_rule_with_the_registry_core(claim, recs):
    from yrdlib.claims import registry

    why = scorecard.claim_reason(recs, claim)
    v, en, zh = ev.claim_verdict(recs, core=registry.claim(claim).core)
    assert (why["verdict"], why["reason_en"], why["reason_zh"]) == (v, en, zh)
    assert list(why["core_verdicts"]) == list(registry.claim(claim).core)
    assert why["n_tests"] + why["descriptions"] == len(recs)


def test_core_not_testable_means_not_supportable(tmp_path):
    """S4: two core tests supported, the third not testable -> the claim is shown as one that
    cannot be supported, whatever the peripheral tests and descriptions say."""
    d = tmp_path / "run"
    executed(d / "notebooks" / "s4_industry.ipynb", [
        ev.Evidence("S4", "S4.a", "a", "a", estimate=0.3, ci_low=0.1, ci_high=0.5, n=99),
        ev.Evidence("S4", "S4.b", "b", "b", estimate=0.3, ci_low=0.1, ci_high=0.5, n=99),
        ev.Evidence.description("S4", "S4.c", "c", "c", estimate=70, null_value=50, band=10),
        ev.Evidence("S4", "S4.e", "e", "e", estimate=0.2, ci_low=0.1, ci_high=0.3, n=99),
        ev.Evidence.not_testable("S4", "S4.f", "f", "f", missing_data="Yuhuan's R&D series")])
    sc = scorecard.gather(d)
    r = sc.claims.set_index("claim").loc["S4"]
    assert r["verdict"] == vocab.INCONCLUSIVE and not r["supportable"]
    assert "S4.f" in r["note_en"] and "cannot be supported" in r["note_en"]
    assert r["core_verdicts"] == {"S4.b": "supported", "S4.e": "supported", "S4.f": "not testable"}
    assert (r["n_tests"], r["supported"], r["descriptions"], r["n_peripheral"]) == (4, 3, 1, 1)
    e = sc.evidence.set_index("hypothesis")
    assert e.at["S4.c", "role"] == "description" and e.at["S4.c", "label_en"] == "above 50 ± 10"
    assert e.at["S4.b", "core"] and not e.at["S4.a", "core"]
    html, md = scorecard.claims_html(sc), scorecard.markdown_table(sc)
    assert "cannot be supported" in html and "S4.f –" in md
    assert vocab.verdict_label(vocab.DESCRIBED) in scorecard.hypotheses_html(sc)


def test_descriptions_and_not_applicable_are_never_counted(tmp_path):
    d = tmp_path / "run"
    executed(d / "notebooks" / "p_paths.ipynb", [
        ev.Evidence.description("P", f"P.{k}", k, k, estimate=est, null_value=50, band=10,
                                kind="fact") for k, est in (("transport", 16), ("market", 66))])
    # S3 for a focus city outside the YRD: the notebook's "not applicable" claim record stands
    s3 = [ev.Evidence("S3", "S3.a", "a", "a", estimate=0.3, ci_low=0.1, ci_high=0.5, n=99),
          ev.Evidence("S3", "S3.c", "c", "c", estimate=0.3, ci_low=0.1, ci_high=0.5, n=99)]
    executed(d / "notebooks" / "s3_bay_area.ipynb", s3,
             [ev.claim_record("S3", s3, scope_note=("赣州不在长三角", "Ganzhou is not in the YRD"))])
    sc = scorecard.gather(d)
    cl = sc.claims.set_index("claim")
    assert cl.at["P", "verdict"] == vocab.DESCRIBED and cl.at["P", "n_tests"] == 0
    assert cl.at["P", "descriptions"] == 2 and cl.at["P", "core_verdicts"] == {}
    assert cl.at["S3", "verdict"] == vocab.NOT_APPLICABLE
    assert "Ganzhou" in cl.at["S3", "reason_en"]
    html = scorecard.claims_html(sc)
    assert vocab.COLOURS[vocab.DESCRIBED] in html and vocab.COLOURS[vocab.NOT_APPLICABLE] in html
    assert "no verdict" in html


def test_summary_markdown(run_dir, tmp_path):
    md = summary.verdicts_markdown(run_dir)
    assert md.count("\n| **") == 5  # S1, S2 (flagged on its row), S3, S4, P
    assert "支持 / supported" in md and "2 (2/0/0/0)" in md and "⚠ notebook failed" in md
    assert summary.verdicts_markdown(tmp_path / "nope") is None


def test_plot_matrix(run_dir):
    import matplotlib

    matplotlib.use("Agg")
    ax = scorecard.plot_matrix(scorecard.gather(run_dir))
    assert len(ax.get_yticklabels()) == 5  # S1, S2, S3, S4, P


@pytest.mark.slow
def test_runner_writes_jobs_json_and_scorecard_flags(tmp_path, monkeypatch):
    """Real run: fixture claim notebooks (ok / failed / silent), the real scorecard last."""
    from yrdlib.runner.plan import RunSpec, plan_jobs
    from yrdlib.runner.run import RunOptions, execute_run

    nbs = [str(FIX / n) for n in ("s1_opening.ipynb", "s2_city_tier.ipynb", "s3_bay_area.ipynb")]
    nbs.append(str(ROOT / "notebooks" / "scorecard.ipynb"))
    jobs = plan_jobs(RunSpec(), {}, notebooks=nbs)
    assert [j.id for j in jobs if j.phase == 1] == ["scorecard"]
    res = execute_run(jobs, RunOptions(reports_dir=tmp_path / "reports", quiet=True, workers=2))
    status = {j["id"]: j["status"] for j in res.jobs}
    assert status == {"s1_opening": "ok", "s2_city_tier": "failed", "s3_bay_area": "ok",
                      "scorecard": "ok"}
    data = json.loads((res.run_dir / "jobs.json").read_text())
    assert {r["id"]: r["status"] for r in data["jobs"]} == status
    out = nbformat.read(res.run_dir / "notebooks" / "scorecard.ipynb", as_version=4)
    text = json.dumps(out)
    assert "YRD_RUN_DIR" in text and "jobs.json" in text  # found the run and the statuses
    assert "s2_city_tier" in text and "s3_bay_area" in text and "s4_industry" in text
    assert "notebook failed" in text and "recorded no evidence" in text
    assert "s1_opening.html" in text  # links to the reports
    # the scorecard records no evidence of its own (no duplicate verdicts in the index)
    assert ev.evidences_from_notebook(res.run_dir / "notebooks" / "scorecard.ipynb") == []
    # second run with the cache: a failed earlier job means the scorecard is re-run, not reused
    res2 = execute_run(plan_jobs(RunSpec(), {}, notebooks=nbs),
                       RunOptions(reports_dir=tmp_path / "reports", quiet=True, workers=2))
    assert {j["id"]: j["cached"] for j in res2.jobs}["scorecard"] is False
