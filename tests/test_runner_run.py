"""End-to-end runs of tiny fixture notebooks: failures, interruption, escaping, cache, dask."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from yrdlib.runner.plan import RunSpec, plan_jobs
from yrdlib.runner.run import RunOptions, execute_run

FIX = Path(__file__).parent / "fixtures" / "notebooks"
ROOT = Path(__file__).parent.parent
XSS = "<script>alert(1)</script>"


def jobs_for(*names, params=None):
    return plan_jobs(RunSpec(), params or {}, notebooks=[str(FIX / n) for n in names])


def run_dirs(reports: Path) -> list[Path]:
    return sorted(p for p in reports.iterdir()
                  if p.is_dir() and not p.is_symlink() and not p.name.startswith("."))


def test_failing_notebook_does_not_stop_batch(tmp_path, processed):
    reports = tmp_path / "reports"
    first = execute_run(jobs_for("c_sleep.ipynb"), RunOptions(reports_dir=reports, quiet=True))
    assert first.exit_code == 0
    assert os.readlink(reports / "latest") == first.run_id

    res = execute_run(jobs_for("a_ok.ipynb", "b_fail.ipynb", "c_sleep.ipynb"),
                      RunOptions(reports_dir=reports, quiet=True, workers=2, force=True))
    assert res.exit_code == 1
    status = {j["id"]: j["status"] for j in res.jobs}
    assert status == {"a_ok": "ok", "b_fail": "failed", "c_sleep": "ok"}
    # latest still points at the last complete run
    assert os.readlink(reports / "latest") == first.run_id
    run = reports / res.run_id
    index = (run / "index.html").read_text(encoding="utf-8")
    assert "ValueError: boom 故意失败" in index
    assert 'href="notebooks/b_fail.ipynb"' in index
    partial = json.loads((run / "notebooks" / "b_fail.ipynb").read_text(encoding="utf-8"))
    outs = [o for c in partial["cells"] for o in c.get("outputs", [])]
    assert any(o.get("ename") == "ValueError" for o in outs)  # the partial notebook keeps the error
    assert (run / "a_ok.html").is_file() and (run / "c_sleep.html").is_file()
    man = json.loads((run / "manifest.json").read_text(encoding="utf-8"))
    assert man["exit_code"] == 1 and {j["id"]: j["status"] for j in man["jobs"]} == status
    assert all(isinstance(j["seconds"], float) for j in man["jobs"])
    assert man["packages"]["papermill"] and "commit" in man["git"] and "dirty" in man["git"]
    # the evidence table lands next to the index, as CSV and Excel
    assert "S1.b" in (run / "evidence.csv").read_text(encoding="utf-8-sig")
    assert (run / "evidence.xlsx").stat().st_size > 0
    assert (run / "tables" / "a_ok" / "demo_table.xlsx").is_file()
    assert not list(reports.glob(".tmp-*"))


def test_report_html_as_a_reader_sees_it(tmp_path, processed):
    reports = tmp_path / "reports"
    res = execute_run(jobs_for("a_ok.ipynb"), RunOptions(reports_dir=reports, quiet=True))
    assert res.exit_code == 0
    html = (reports / "latest" / "a_ok.html").read_text(encoding="utf-8")
    assert "开放层次检验" in html and "玉环加入长三角" in html  # Chinese text kept as text
    assert "import matplotlib" not in html and "highlight hl-ipython3" not in html  # no code
    assert re.search(r'<img[^>]+src="data:image/png;base64,', html)  # images embedded
    assert not re.search(r'\ssrc="(?!data:)', html)  # every src is a data: URI
    assert not re.search(r'<script[^>]+src="http', html)  # opens offline
    assert not re.search(r'<link[^>]+href="http', html)
    # verdicts at the top, provenance at the bottom
    assert html.index("Verdicts") < html.index("玉环加入长三角") < html.index("Provenance")
    assert "S1.b" in html and "证据不足" in html
    assert len(html.encode()) < 5_000_000
    # --show-code keeps the code
    res2 = execute_run(jobs_for("a_ok.ipynb"), RunOptions(reports_dir=reports, quiet=True,
                                                            show_code=True))
    html2 = (reports / res2.run_id / "a_ok.html").read_text(encoding="utf-8")
    assert "matplotlib" in html2 and "highlight" in html2


def test_html_injection_is_escaped(tmp_path, processed, monkeypatch):
    from test_runner_contracts import fake_regions

    fake_regions(monkeypatch, accept_all=True)
    reports = tmp_path / "reports"
    jobs = jobs_for("a_ok.ipynb", "b_fail.ipynb", params={"focus_region": XSS, "label": XSS})
    res = execute_run(jobs, RunOptions(reports_dir=reports, quiet=True, workers=2))
    run = reports / res.run_id
    pages = {p.name: p.read_text(encoding="utf-8") for p in run.glob("*.html")}
    base = {"index.html", "a_ok.html", "b_fail.html", "glossary.html", "methods.html"}
    assert set(pages) >= base
    assert set(pages) - base <= {"brief.html", "brief_en.html"}  # the brief (names escaped too)
    for name, page in pages.items():
        assert XSS not in page, name
        assert "alert(1)" not in page.replace("&lt;script&gt;alert(1)&lt;/script&gt;", "") or (
            "<script>alert" not in page), name
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in pages["index.html"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in pages["a_ok.html"]


def test_cache_hit_and_miss_and_manifest_hashes(tmp_path, processed):
    reports = tmp_path / "reports"
    r1 = execute_run(jobs_for("c_sleep.ipynb"), RunOptions(reports_dir=reports, quiet=True))
    r2 = execute_run(jobs_for("c_sleep.ipynb"), RunOptions(reports_dir=reports, quiet=True))
    assert [j["cached"] for j in r1.jobs] == [False]
    assert [j["cached"] for j in r2.jobs] == [True]
    assert r2.jobs[0]["cached_from"] == r1.run_id
    assert (reports / r2.run_id / "c_sleep.html").is_file()
    assert os.readlink(reports / "latest") == r2.run_id
    m1 = json.loads((reports / r1.run_id / "manifest.json").read_text())
    # other parameters: miss
    r3 = execute_run(jobs_for("c_sleep.ipynb", params={"seconds": 0.01}),
                     RunOptions(reports_dir=reports, quiet=True))
    assert [j["cached"] for j in r3.jobs] == [False]
    # input data changes: miss, and the manifest's hashes change
    (processed / "manifest.json").write_text(json.dumps(
        {"inputs": {"raw/x.csv": "cc"}, "outputs": {"panel.parquet": "dd"},
         "built_at": "2026-02-01T00:00:00Z"}))
    r4 = execute_run(jobs_for("c_sleep.ipynb"), RunOptions(reports_dir=reports, quiet=True))
    assert [j["cached"] for j in r4.jobs] == [False]
    m4 = json.loads((reports / r4.run_id / "manifest.json").read_text())
    assert m4["data"]["processed_manifest_sha256"] != m1["data"]["processed_manifest_sha256"]
    assert m4["data"]["hash"] != m1["data"]["hash"]
    assert m4["data"]["inputs"] == {"raw/x.csv": "cc"}
    assert m4["jobs"][0]["cache_key"] != m1["jobs"][0]["cache_key"]
    # --force: re-run although unchanged
    r5 = execute_run(jobs_for("c_sleep.ipynb"), RunOptions(reports_dir=reports, quiet=True,
                                                             force=True))
    assert [j["cached"] for j in r5.jobs] == [False]


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_interrupted_run_leaves_latest_and_no_half_report(tmp_path, sig):
    reports = tmp_path / "reports"
    env = dict(os.environ, YRD_REPORTS=str(reports), PYTHONPATH=str(ROOT), YRD_NOTEBOOKS=str(FIX))
    cmd = [sys.executable, "-m", "yrdlib.runner", "run", "-q", "c_sleep"]
    ok = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60, check=False)
    assert ok.returncode == 0, ok.stderr
    good = os.readlink(reports / "latest-adhoc")  # a notebook named on the command line
    p = subprocess.Popen([*cmd, "-p", "seconds", "60", "--force"], env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 30
    while time.time() < deadline and not list(reports.glob(".tmp-*/")):
        time.sleep(0.1)
    time.sleep(2.5)  # let the kernel start and enter the sleep
    p.send_signal(sig)
    _, err = p.communicate(timeout=30)
    assert p.returncode == 130, err
    assert err.strip().splitlines() == [  # one line, no worker tracebacks
        "interrupted: the run was not completed; reports/latest is unchanged"], err
    assert os.readlink(reports / "latest-adhoc") == good
    assert [d.name for d in run_dirs(reports)] == [good]  # no new (half-written) run dir
    tmps = list(reports.glob(".tmp-*"))
    assert len(tmps) == 1 and (tmps[0] / "INCOMPLETE").is_file()
    assert not (tmps[0] / "index.html").exists()
    assert (reports / good / "index.html").is_file()


@pytest.mark.slow
def test_dask_process_cluster_gives_the_local_results(tmp_path, processed):
    """The same batch on a dask.distributed cluster of two separate worker PROCESSES (a local
    scheduler started here, as on a real cluster) gives byte-identical evidence to the local run;
    a failing job is reported as failed there too."""
    import pandas as pd

    distributed = pytest.importorskip("distributed")
    real = [str(ROOT / "notebooks" / "p_paths.ipynb")]
    spec_jobs = [*plan_jobs(RunSpec(parameter_sets={"taizhou": {"focus_region": "331000"}}),
                            {}, notebooks=real),
                 *jobs_for("a_ok.ipynb", "b_fail.ipynb")]
    local = execute_run(spec_jobs, RunOptions(reports_dir=tmp_path / "local", quiet=True,
                                              workers=2, force=True))
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0") as cluster:
        remote = execute_run(spec_jobs, RunOptions(reports_dir=tmp_path / "dask", quiet=True,
                                                   force=True,
                                                   scheduler=cluster.scheduler_address))
    status = {j["id"]: j["status"] for j in remote.jobs}
    assert status == {j["id"]: j["status"] for j in local.jobs}
    assert status["b_fail"] == "failed" and status["p_paths__taizhou"] == "ok"
    def evidence(res):
        return (pd.read_csv(res.run_dir / "evidence.csv").sort_values(["job_id", "hypothesis"])
                .reset_index(drop=True))

    ev_local, ev_dask = evidence(local), evidence(remote)
    assert len(ev_local) >= 8  # 7 paths + the fixture's record
    pd.testing.assert_frame_equal(ev_local, ev_dask)


def test_a_hung_cleanup_after_an_interrupt_still_ends_in_one_line_and_exit_130():
    """The watchdog: if stopping workers hangs after SIGTERM (seen under load in
    concurrent.futures' shutdown), `yrd run` still ends within its grace period with the one
    interrupt line and exit 130."""
    script = ("import os, signal, time\n"
              "from yrdlib.runner import cli\n"
              "cli.INTERRUPT_GRACE_S = 1\n"
              "cli._sigterm_to_interrupt()\n"
              "try:\n"
              "    os.kill(os.getpid(), signal.SIGTERM)\n"
              "    time.sleep(5)\n"
              "except KeyboardInterrupt:\n"
              "    time.sleep(60)  # a cleanup that never finishes\n")
    t = time.time()
    p = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=30,
                       env=dict(os.environ, PYTHONPATH=str(ROOT)), check=False)
    assert p.returncode == 130 and time.time() - t < 20
    assert p.stderr.strip().splitlines() == [
        "interrupted: the run was not completed; reports/latest is unchanged"], p.stderr
