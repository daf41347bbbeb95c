"""Benchmark of `yrd data build`: wall time and peak memory of a full build from raw into an empty
directory, and of the no-op rebuild (inputs unchanged), each as a separate process the way a user
runs it. Targets on the 2-core machine: full build < 5 s, no-op < 1 s.

    python benchmarks/bench_data.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
YRD = [sys.executable, "-m", "yrdlib.cli"]


def run(env: dict) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one `yrd data build` in a child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    subprocess.run([*YRD, "data", "build"], check=True, env=env, cwd=ROOT,
                   stdout=subprocess.DEVNULL)
    dt = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return dt, max(peak, before) / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    full, noop, mem = [], [], []
    for _ in range(a.repeat):
        out = Path(tempfile.mkdtemp()) / "processed"
        env = {**os.environ, "YRD_PROCESSED": str(out)}
        dt, peak = run(env)
        full.append(dt)
        mem.append(peak)
        dt, _ = run(env)
        noop.append(dt)
        shutil.rmtree(out.parent, ignore_errors=True)
    print(f"full build from raw : median {statistics.median(full):.2f} s "
          f"(min {min(full):.2f}, max {max(full):.2f}, n={a.repeat}); target < 5 s")
    print(f"no-op rebuild       : median {statistics.median(noop):.2f} s "
          f"(min {min(noop):.2f}, max {max(noop):.2f}); target < 1 s")
    print(f"peak memory (RSS)   : {max(mem):.0f} MB")


if __name__ == "__main__":
    main()
