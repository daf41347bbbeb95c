"""Benchmark the many-city batch (issue 14), as ratios measured in one run on one machine.

    python benchmarks/bench_batch.py                 # all 41 YRD cities (runs/yrd41.yml)
    python benchmarks/bench_batch.py --cities 4      # the first 4 only (a quick look)

Measures, with a cold pooled-results cache (a fresh YRD_MEMO_DIR) and no report cache:
  * first city: wall time of the batch for the first city alone (it pays the pooled DiD, its
    robustness gate and design-based inference);
  * marginal city: wall time of the other cities' batch divided by their number (they read the
    pooled results from the cache);
  * naive loop: plain `papermill` + `jupyter nbconvert` per job, one after another, each with its
    own empty cache (what the batch would cost without shared computation or parallel kernels),
    measured on `--naive-sample` cities and scaled to all of them (stated in the output);
  * kernel imports: the claim notebooks' import line against `import pandas`, and a claim
    kernel ready for work (the S2 notebook's first cell: imports and ``context.setup``), each the
    median of 5 fresh interpreters;
  * peak memory: the largest resident set of the runner or any child (kernels, workers).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
IMPORTS = ("from yrdlib.claims import context, bay_area, city_tier, industry, opening, paths; "
           "from yrdlib import evidence")
# a claim kernel ready for work: the S2 notebook's first code cell (imports and context.setup:
# parameter validation, the focus city resolved, fonts and table formatter installed)
READY = ("from IPython.display import Markdown, display; from yrdlib import evidence; "
         "from yrdlib.claims import city_tier as M; from yrdlib.claims import context; "
         "ctx = context.setup('s2_city_tier', {'focus_region': '331000', 'start_year': 2000, "
         "'end_year': 2022, 'treatment': 'association', "
         "'migration_statistic': 'migrants_other_province_2020', 'lang': 'both'})")


def _median_import(stmt: str, n: int = 5) -> float:
    ts = []
    for _ in range(n):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", stmt], check=True)
        ts.append(time.perf_counter() - t)
    return statistics.median(ts)


def _naive(jobs, out: Path, kernel: str) -> float:
    t = time.perf_counter()
    for j in jobs:
        executed = out / f"{j.id}.ipynb"
        env = {**os.environ, "YRD_MEMO_DIR": str(out / f"memo-{j.id}")}
        args = [str(BIN / "papermill"), str(j.notebook), str(executed), "-k", kernel, "--cwd",
                str(Path(j.notebook).parent), "--no-progress-bar"]
        for k, v in j.parameters.items():
            args += ["-y", json.dumps({k: v}, ensure_ascii=False)]
        subprocess.run(args, check=False, capture_output=True, env=env)
        subprocess.run([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input",
                        str(executed)], check=False, capture_output=True, env=env)
    return time.perf_counter() - t


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cities", type=int, default=41)
    ap.add_argument("--naive-sample", type=int, default=2)
    ap.add_argument("-j", "--jobs", type=int, default=None)
    a = ap.parse_args(argv)

    from yrdlib import config
    from yrdlib.runner.plan import RunSpec, load_runfile, plan_jobs
    from yrdlib.runner.run import RunOptions, execute_run

    spec = load_runfile(config.RUNS / "yrd41.yml")
    sets = dict(list(spec.parameter_sets.items())[:a.cities])
    claim_nbs = [n for n in spec.notebooks if "scorecard" not in n]

    def jobs_for(names):
        s = RunSpec(parameter_sets={k: sets[k] for k in names})
        return plan_jobs(s, {}, notebooks=[str(config.NOTEBOOKS / n) for n in claim_nbs])

    names = list(sets)
    fig: dict = {"cities": len(names), "notebooks_per_city": len(claim_nbs), "cores": os.cpu_count()}
    with tempfile.TemporaryDirectory(prefix="yrd-batch-") as tmp:
        tmp = Path(tmp)
        os.environ["YRD_MEMO_DIR"] = str(tmp / "memo")  # cold pooled cache, inherited by kernels
        opts = dict(workers=a.jobs, force=True, quiet=True)
        t = time.perf_counter()
        first = execute_run(jobs_for(names[:1]), RunOptions(reports_dir=tmp / "r1", **opts))
        fig["first_city_s"] = round(time.perf_counter() - t, 1)
        if len(names) > 1:
            t = time.perf_counter()
            rest = execute_run(jobs_for(names[1:]), RunOptions(reports_dir=tmp / "r2", **opts))
            rest_s = time.perf_counter() - t
            fig["other_cities_s"] = round(rest_s, 1)
            fig["marginal_city_s"] = round(rest_s / (len(names) - 1), 1)
            fig["marginal_over_first"] = round(rest_s / (len(names) - 1) / fig["first_city_s"], 2)
            fig["failed_jobs"] = sum(j["status"] != "ok" for j in first.jobs + rest.jobs)
        batch_s = fig["first_city_s"] + fig.get("other_cities_s", 0)
        fig["batch_s"] = round(batch_s, 1)
        sample = names[:max(1, a.naive_sample)]
        naive_sample_s = _naive(jobs_for(sample), tmp, config.KERNEL_NAME)
        fig["naive_sample_cities"] = len(sample)
        fig["naive_sample_s"] = round(naive_sample_s, 1)
        fig["naive_all_s_scaled"] = round(naive_sample_s / len(sample) * len(names), 1)
        fig["batch_speedup_vs_naive"] = round(fig["naive_all_s_scaled"] / batch_s, 2)
    fig["import_pandas_s"] = round(_median_import("import pandas"), 2)
    fig["import_notebook_libs_s"] = round(_median_import(IMPORTS), 2)
    fig["import_ratio"] = round(fig["import_notebook_libs_s"] / fig["import_pandas_s"], 2)
    fig["kernel_ready_s"] = round(_median_import(READY), 2)
    kb = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
             resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    fig["peak_rss_mb"] = round(kb / 1024, 1)
    for k, v in fig.items():
        print(f"{k:28} {v}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
