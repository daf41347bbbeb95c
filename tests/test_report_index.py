"""Multi-city runs: the index's city column, claim x city matrix and city x hypothesis table (on
the tiny fixture notebooks, two focus values); focus-independent notebooks run once; one latest
link per run file; retention; downloads inside the report."""

from __future__ import annotations

import io
import os
import re
import shutil
from pathlib import Path

import nbformat

from yrdlib.runner.batch import latest_name, prune, run_dirs, show_progress
from yrdlib.runner.plan import RunSpec, plan_jobs
from yrdlib.runner.run import RunOptions, execute_run

FIX = Path(__file__).parent / "fixtures" / "notebooks"


def _two_cities(nbs: list[Path]) -> RunSpec:
    return RunSpec(notebooks=[str(p) for p in nbs],
                   parameter_sets={"ningbo": {"focus_region": "宁波"},
                                   "jiaxing": {"focus_region": "嘉兴"}})


def test_multi_city_index_has_city_column_matrix_and_estimates(tmp_path, processed):
    reports = tmp_path / "reports"
    jobs = plan_jobs(_two_cities([FIX / "a_ok.ipynb"]))
    assert sorted(j.id for j in jobs) == ["a_ok__jiaxing", "a_ok__ningbo"]
    res = execute_run(jobs, RunOptions(reports_dir=reports, quiet=True, latest="latest-cities"))
    assert res.exit_code == 0
    assert (reports / "latest-cities").is_symlink() and not (reports / "latest").exists()
    index = (reports / res.run_id / "index.html").read_text(encoding="utf-8")
    matrix = index[index.index("Claims by focus city"):index.index("结论一览 Verdicts")]
    # one column per city, named (not job ids), and the S1 row links each city's report
    assert "宁波 Ningbo" in matrix and "嘉兴 Jiaxing" in matrix
    assert 'href="a_ok__ningbo.html"' in matrix and 'href="a_ok__jiaxing.html"' in matrix
    assert re.search(r"<strong>S1</strong>.*yrd-v-inconclusive", matrix, re.S)
    est = index[index.index("Estimates by city"):index.index("Claims by focus city")]
    assert ">S1.b</th>" in est and est.count(">0.12<") == 2  # the fixture's estimate per city
    assert "yrd-sortable" in est and 'data-v="0.12' in est
    assert "a_ok" in (reports / res.run_id / "city_estimates.csv").read_text(encoding="utf-8-sig")
    assert "<th>城市 City</th>" in index  # the verdict tables gain a city column
    # the forwarded report offers its table from inside the page
    html = (reports / res.run_id / "a_ok__ningbo.html").read_text(encoding="utf-8")
    assert 'href="data:text/csv;charset=utf-8;base64,' in html and 'download="demo_table.csv"' in html


def test_single_city_index_has_no_matrix(tmp_path, processed):
    from yrdlib.report.index import multi_city

    rows = [{"id": "a", "parameters": {"focus_region": "331000"}, "claims": [], "hypotheses": []},
            {"id": "b", "parameters": {}, "claims": [], "hypotheses": []}]
    assert multi_city(rows) is None


def _hyp(hid, level, estimate, verdict="inconclusive"):
    return {"hypothesis": hid, "level": level, "estimate": estimate, "verdict": verdict,
            "title_zh": hid, "title_en": hid}


def test_pooled_results_appear_once_city_results_per_city_and_yuhuan_not_applicable():
    """Issue 22: a three-city run shows pooled results once, each city's own numbers in its
    row, and hypotheses about Yuhuan as not applicable for other focus cities."""
    from yrdlib.report.index import multi_city

    def row(city, own, yuhuan):
        return {"id": f"s2__{city}", "html": f"s2__{city}.html",
                "parameters": {"focus_region": city}, "claims": [],
                "hypotheses": [_hyp("S2.b", "pooled", 0.035), _hyp("S2.h", "city", own),
                               yuhuan]}

    na = _hyp("S4.c", "yuhuan", None, "not applicable")
    m = multi_city([row("331000", -0.07, _hyp("S4.c", "yuhuan", 94.4, "described")),
                    row("330200", None, na), row("330400", 0.21, na)])
    assert [p["hypothesis"] for p in m["pooled"]] == ["S2.b"]  # once, not per city
    assert m["hypotheses"] == ["S2.h", "S4.c"]
    cells = {r["city"]: r["cells"] for r in m["estimates"]}
    assert cells["331000"]["S2.h"]["v"] == -0.07 and cells["330400"]["S2.h"]["v"] == 0.21
    assert cells["331000"]["S4.c"]["text"] == "94.4"
    assert cells["330200"]["S4.c"]["text"] == cells["330400"]["S4.c"]["text"] == "不适用"
    assert len(m["long"]) == 9
    # a pooled result that differs between jobs (other parameters) is never merged
    m2 = multi_city([row("331000", 0.1, na), {**row("330200", 0.2, na), "hypotheses": [
        _hyp("S2.b", "pooled", 0.5)]}])
    assert "S2.b" in m2["hypotheses"] and not m2["pooled"]


def test_focus_independent_notebook_runs_once_per_batch(tmp_path):
    nb = nbformat.read(FIX / "a_ok.ipynb", as_version=4)
    nb.metadata["yrd"] = {"focus_independent": True}
    pooled = tmp_path / "pooled.ipynb"
    nbformat.write(nb, pooled)
    shutil.copy(FIX / "a_ok.ipynb", tmp_path / "a_ok.ipynb")
    jobs = plan_jobs(_two_cities([tmp_path / "a_ok.ipynb", pooled]), notebooks_dir=tmp_path)
    assert sorted(j.id for j in jobs) == ["a_ok__jiaxing", "a_ok__ningbo", "pooled"]
    assert next(j for j in jobs if j.id == "pooled").parameters.get("focus_region") is None


def test_default_run_lists_its_notebooks_so_copies_are_not_run():
    from yrdlib import config
    from yrdlib.runner.plan import load_runfile

    spec = load_runfile(config.RUNS / "default.yml")
    assert not any(any(c in p for c in "*?[") for p in spec.notebooks)
    assert all((config.NOTEBOOKS / p).is_file() for p in spec.notebooks)


def test_each_run_file_has_its_own_latest():
    assert latest_name("runs/default.yml") == "latest"
    assert latest_name(None) == "latest"
    assert latest_name("runs/example_cities.yml") == "latest-example_cities"
    assert latest_name(None, adhoc=True) == "latest-adhoc"


def test_prune_keeps_newest_and_linked_runs(tmp_path):
    names = [f"2026110{i}T000000Z-abcdef{i}" for i in range(1, 6)]
    for n in names:
        (tmp_path / n).mkdir()
    (tmp_path / ".tmp-x").mkdir()
    os.symlink(names[0], tmp_path / "latest-cities")  # an old run a link still points at
    removed = prune(tmp_path, keep=2)
    assert sorted(p.name for p in removed) == names[1:3]
    assert [p.name for p in run_dirs(tmp_path)] == [names[0], *names[3:]]
    assert (tmp_path / ".tmp-x").is_dir()


def test_progress_bar_only_on_a_terminal():
    class Tty(io.StringIO):
        def isatty(self):
            return True

    assert show_progress(False, Tty()) and not show_progress(True, Tty())
    assert not show_progress(False, io.StringIO())  # cron, pipes: no \r frames
