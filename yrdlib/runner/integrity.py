"""What `yrd run` checks before any kernel starts, and how its processes end.

* :func:`prepare_data` — `data/processed` must match its inputs (raw files verified against
  SOURCE.yml, user files, data code) and its own recorded output hashes. It is rebuilt here, in
  the parent, or refused (``rebuild=False``); kernels only verify the content hash they are
  given in ``$YRD_DATA_SHA256`` and never rebuild.
* :func:`die_with_parent` — Linux ``prctl(PR_SET_PDEATHSIG)``: a worker or kernel gets a signal
  when the process that started it dies, even by SIGKILL.
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
from dataclasses import dataclass
from pathlib import Path

from yrdlib.errors import StaleDataError


@dataclass
class DataState:
    content_hash: str      # sha256 over the output files' hashes (the cache's data key)
    manifest: dict
    was: str               # status before: ok | stale | damaged | missing
    rebuilt: bool


def prepare_data(rebuild: bool = True, out: Path | None = None) -> DataState:
    """Verify (and if allowed rebuild) the processed data. Raises DataError (bad/changed raw
    input), StaleDataError (stale or damaged and ``rebuild`` is False) or OSError."""
    from yrdlib import config
    from yrdlib.data import build as b
    from yrdlib.data import sources

    out = out or config.PROCESSED
    sources.verify_raw()
    was = b.status(out)
    rebuilt = False
    if was != "ok":
        if not rebuild:
            what = {"missing": "has not been built", "stale": "is stale (inputs changed since "
                    "it was built)", "damaged": "is damaged (an output's sha256 differs from "
                    "its manifest)"}[was]
            raise StaleDataError(f"{out}: {what}; run `yrd data build` (refused: --no-rebuild)")
        rebuilt, _ = b.build(force=was == "damaged", out=out)
    m = b.read_manifest(out) or {}
    user = b.user_break_errors(m)
    if user:  # a user's figure with an undecided break: the runs would rest on a likely typo
        raise user[0]
    bad = b.damaged_outputs(out, m)
    if bad:  # written a moment ago and already different: refuse rather than guess
        raise StaleDataError(f"{out / bad[0]}: sha256 differs from manifest.json after the build")
    return DataState(b.content_hash(m), m, was, rebuilt)


PR_SET_PDEATHSIG = 1


def die_with_parent(sig: int = signal.SIGTERM, parent_pid: int | None = None) -> bool:
    """Ask the kernel to send ``sig`` to this process when its parent dies (Linux only).
    Returns False where unsupported (the process-group kill in the runner still applies)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes
        import os

        libc = ctypes.CDLL(None, use_errno=True)
        ok = libc.prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0) == 0
        if ok and parent_pid is not None and os.getppid() != parent_pid:
            os.kill(os.getpid(), sig)  # the parent died before the call: act now
        return ok
    except (OSError, AttributeError):
        return False


def clean_stale(reports: Path) -> list[Path]:
    """Remove ``.tmp-*`` run directories left by interrupted runs (not the running one)."""
    removed = []
    for p in reports.glob(".tmp-*"):
        marker = p / "INCOMPLETE"
        try:
            pid = int(marker.read_text().split("pid")[-1].split()[0]) if marker.is_file() else None
        except (ValueError, IndexError, OSError):
            pid = None
        if pid and pid != os.getpid():
            try:
                os.kill(pid, 0)
                continue  # still running
            except OSError:
                pass
        shutil.rmtree(p, ignore_errors=True)
        removed.append(p)
    return removed


def list_or_clean_stale(reports: Path) -> list[Path]:
    """Remove the ``.tmp-*`` folders of interrupted runs whose process is gone (clean_stale)
    and the cache's half-written ``.tmp-*`` entries; returns what was removed."""
    import time

    removed = clean_stale(reports) if reports.is_dir() else []
    cache = reports / ".cache"
    if cache.is_dir():
        for p in cache.glob(".tmp-*"):
            if time.time() - p.stat().st_mtime > 3600:  # not a store in progress
                shutil.rmtree(p, ignore_errors=True)
                removed.append(p)
    return removed
