"""Benchmark `yrd run` against plain sequential `papermill` + `jupyter nbconvert --to html`.

    python benchmarks/bench_runner.py            # the notebooks in notebooks/
    python benchmarks/bench_runner.py --fixtures # the test fixtures (minus the failing one)
    python benchmarks/bench_runner.py -j 2

Reports: wall time of the whole run (cold, --force) vs the sequential command lines (ratio from
one run), no-op re-run time (cache), per-notebook time, peak memory (largest single process:
runner or a worker/kernel child) and the largest HTML report.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def sequential_baseline(notebooks: list[Path], out: Path, kernel: str) -> float:
    t = time.perf_counter()
    for nb in notebooks:
        executed = out / nb.name
        subprocess.run([str(BIN / "papermill"), str(nb), str(executed), "-k", kernel,
                        "--cwd", str(nb.parent), "--no-progress-bar"], check=False,
                       capture_output=True)
        subprocess.run([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input",
                        str(executed)], check=False, capture_output=True)
    return time.perf_counter() - t


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--fixtures", action="store_true", help="use tests/fixtures/notebooks")
    ap.add_argument("-j", "--jobs", type=int, default=None)
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    a = ap.parse_args(argv)

    from yrdlib import config
    from yrdlib.runner.plan import RunSpec, plan_jobs
    from yrdlib.runner.run import RunOptions, execute_run

    nb_dir = ROOT / "tests" / "fixtures" / "notebooks" if a.fixtures else config.NOTEBOOKS
    notebooks = sorted(p for p in nb_dir.glob("*.ipynb") if "fail" not in p.stem)
    if not notebooks:
        print(f"no notebooks in {nb_dir}", file=sys.stderr)
        return 2
    jobs = plan_jobs(RunSpec(), {}, notebooks=[str(p) for p in notebooks])
    with tempfile.TemporaryDirectory(prefix="yrd-bench-") as tmp:
        tmp = Path(tmp)
        base = sequential_baseline(notebooks, tmp, config.KERNEL_NAME)
        reports = tmp / "reports"
        t = time.perf_counter()
        cold = execute_run(jobs, RunOptions(reports_dir=reports, workers=a.jobs, force=True,
                                            quiet=True))
        cold_s = time.perf_counter() - t
        t = time.perf_counter()
        execute_run(jobs, RunOptions(reports_dir=reports, workers=a.jobs, quiet=True))
        noop_s = time.perf_counter() - t
        html = {p.name: p.stat().st_size for p in (reports / cold.run_id).glob("*.html")}
    kb = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
             resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    fig = {
        "notebooks": len(notebooks), "cores": os.cpu_count(), "workers": a.jobs or os.cpu_count(),
        "sequential_papermill_nbconvert_s": round(base, 2), "yrd_run_cold_s": round(cold_s, 2),
        "speedup": round(base / cold_s, 2), "yrd_run_noop_s": round(noop_s, 2),
        "per_notebook_s": {j["id"]: j["seconds"] for j in cold.jobs},
        "peak_rss_mb": round(kb / 1024, 1),
        "largest_html_mb": round(max(html.values()) / 1e6, 2) if html else None,
        "exit_code": cold.exit_code,
    }
    if a.json:
        print(json.dumps(fig, indent=1))
    else:
        for k, v in fig.items():
            print(f"{k:34} {v}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
