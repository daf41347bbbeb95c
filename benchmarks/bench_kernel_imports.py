"""Kernel start-up: how long a fresh interpreter takes to run the yrdlib import lines of each
notebook (read from its py:percent twin in notebooks/text/), median of ``--reps`` fresh processes;
and how long until the kernel is ready for work: the notebook's code up to its ``context.setup``
call (parameters cell, imports, validation, fonts), the figure the README's table reports.

The interpreter's own start (python -c pass) is measured too and reported apart, so the figure is
what yrdlib and its dependencies cost a kernel before its first cell. ``--root`` points at another
checkout to compare (its notebooks and its yrdlib), e.g. a ``git archive`` of main.

    python benchmarks/bench_kernel_imports.py [--reps 7] [--root PATH]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

IMPORT = re.compile(r"^\s*(from yrdlib[\w.]* import [\w, ]+(?: as \w+)?|import yrdlib[\w.]*)\s*$")


def notebook_imports(root: Path) -> dict[str, list[str]]:
    out = {}
    for p in sorted((root / "notebooks" / "text").glob("*.py")):
        lines = [m.group(1) for ln in p.read_text(encoding="utf-8").splitlines()
                 if (m := IMPORT.match(ln))]
        out[p.stem] = list(dict.fromkeys(lines))
    return out


def until_setup(root: Path, name: str) -> str | None:
    """The notebook's code up to and including its ``context.setup(...)`` line (None if none)."""
    lines = (root / "notebooks" / "text" / f"{name}.py").read_text(encoding="utf-8").splitlines()
    for i, ln in enumerate(lines):
        if "context.setup(" in ln:
            return "\n".join(lines[:i + 1])
    return None


def timed(code: str, root: Path, reps: int) -> float:
    env = {**os.environ, "PYTHONPATH": str(root), "MPLBACKEND": "Agg"}
    times = []
    for _ in range(reps):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], env=env, check=True, cwd=root)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=7)
    ap.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[1])
    a = ap.parse_args(argv)
    root = a.root.resolve()
    base = timed("pass", root, a.reps)
    nbs = notebook_imports(root)
    print(f"root {root}; python start {base:.3f} s (subtracted below); median of {a.reps}")
    every = list(dict.fromkeys(x for v in nbs.values() for x in v))
    for name, lines in [*nbs.items(), ("ALL notebooks' imports", every)]:
        t = timed("\n".join(lines) or "pass", root, a.reps) - base
        code = until_setup(root, name) if name in nbs else None
        ready = f"; ready {timed(code, root, a.reps) - base:6.3f} s" if code else ""
        print(f"{name:28s} imports {t:6.3f} s{ready}  ({len(lines)} import lines)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
