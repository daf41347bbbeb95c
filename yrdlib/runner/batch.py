"""Batch conventions of ``yrd run``: one ``latest`` link per run file, focus-independent
notebooks run once per batch, retention (``yrd prune --keep N``), progress output.

- ``reports/latest`` belongs to the default run (``runs/default.yml``, or ``yrd run`` with no
  target); any other run file ``runs/<stem>.yml`` moves ``reports/latest-<stem>``; notebooks named
  on the command line move ``reports/latest-adhoc``. A bookmarked ``reports/latest/...`` report
  therefore never disappears because a city batch ran.
- A notebook whose metadata has ``"yrd": {"focus_independent": true}`` declares that its results
  do not depend on the focus city, even though it has a ``focus_region`` parameter: in a batch over
  several cities it runs once, with its default focus, instead of once per city. (A notebook with
  no ``focus_region`` parameter runs once anyway.)
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

FOCUS_PARAMS = ("focus_region",)
_RUN_ID = re.compile(r"^\d{8}T\d{6}Z-[0-9a-f]{7}$")


def latest_name(run_file: str | Path | None, adhoc: bool = False) -> str:
    """Name of the ``latest`` link a run moves (see the module docstring)."""
    if run_file is not None:
        stem = Path(run_file).stem
        if stem == "default":
            return "latest"
        return "latest-" + (re.sub(r"[^0-9A-Za-z_-]+", "_", stem).strip("_") or "run")
    return "latest-adhoc" if adhoc else "latest"


def focus_independent(nb_path: str | Path) -> bool:
    """True when the notebook's metadata marks it ``yrd.focus_independent``."""
    from yrdlib.contracts import read_notebook_json

    try:
        nb = read_notebook_json(nb_path)
    except (OSError, ValueError):
        return False
    return bool((nb["metadata"].get("yrd") or {}).get("focus_independent"))


def strip_focus(values: dict, independent: bool) -> dict:
    """The parameter set without its focus-city values when the notebook is focus independent."""
    if not independent:
        return values
    return {k: v for k, v in values.items() if k not in FOCUS_PARAMS}


def run_dirs(reports: Path) -> list[Path]:
    """Completed run folders in ``reports`` (named ``<UTC time>-<hash>``), oldest first."""
    if not reports.is_dir():
        return []
    return sorted(p for p in reports.iterdir()
                  if p.is_dir() and not p.is_symlink() and _RUN_ID.match(p.name))


def prune(reports: Path, keep: int, *, dry_run: bool = False) -> list[Path]:
    """Delete all but the ``keep`` newest runs; a run a ``latest*`` link points at is always
    kept, as are unfinished ``.tmp-*`` folders and the cache. Returns the folders removed."""
    if keep < 0:
        raise ValueError("keep must be >= 0")
    runs = run_dirs(reports)
    pinned = set()
    for link in reports.glob("latest*"):
        if link.is_symlink():
            pinned.add(os.readlink(link).rstrip("/").split("/")[-1])
    newest = {p.name for p in runs[len(runs) - keep:]} if keep else set()
    removed = []
    for p in runs:
        if p.name in newest or p.name in pinned:
            continue
        if not dry_run:
            shutil.rmtree(p)
        removed.append(p)
    return removed


def show_progress(quiet: bool, stream=None) -> bool:
    """A progress bar only on a terminal: never in cron logs or pipes (no ``\\r`` frames)."""
    stream = stream or sys.stderr
    return not quiet and hasattr(stream, "isatty") and stream.isatty()
