"""Execute one job (one notebook × one parameter set) with papermill and render its report.

:func:`run_job` is a plain picklable function of a plain dict, so the same job list runs in a
local process pool or on a dask.distributed cluster. It returns the produced files as bytes
(``{relative path in the run directory: content}``), so workers need no shared filesystem.
"""

from __future__ import annotations

import json
import os
import signal
import tempfile
import time
import traceback
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from yrdlib.report.export import ENV_OUTPUT_DIR

_KM_CACHE: dict = {}


def kernel_manager_class(env: dict[str, str], cwd: str, log_path: str | None = None):
    """An AsyncKernelManager that starts the kernel with extra environment variables and in a
    given working directory. Unlike papermill's ``cwd=`` (which os.chdir()s the whole worker
    process) this is safe when a dask worker runs several jobs in threads."""
    from jupyter_client import AsyncKernelManager

    class _YrdKernelManager(AsyncKernelManager):
        async def _async_pre_start_kernel(self, **kw: Any):
            kw["env"] = {**os.environ, **kw.get("env", {}), **env}
            kw["cwd"] = cwd
            if log_path:  # kernel stdout/stderr to a per-job log, not into the cron log
                self._yrd_log = open(log_path, "ab")
                kw["stdout"] = kw["stderr"] = self._yrd_log
            return await super()._async_pre_start_kernel(**kw)

    return _YrdKernelManager


KERNEL_OPTIONS = {
    # Once the last cell has reported idle the kernel holds nothing the job needs (outputs are
    # in the notebook, tables and cache entries are written inside their cells), so it is
    # stopped at once instead of tearing the interpreter down: 0.7 s of a 5.5 s claim notebook.
    "shutdown_kernel": "immediate",
    # No IPython history: a scheduled run has no use for it, and several kernels at once would
    # contend for the user's ~/.ipython history database (which a killed kernel must not hold).
    "extra_arguments": ["--HistoryManager.enabled=False"],
}
"""nbclient options for every job's kernel (passed through papermill)."""


def _error_text(exc: BaseException) -> tuple[str, int | None]:
    ename = getattr(exc, "ename", None)
    if ename:
        evalue = str(getattr(exc, "evalue", "")).strip()
        cell = getattr(exc, "exec_count", None)
        return f"{ename}: {evalue}", cell
    return f"{type(exc).__name__}: {str(exc).strip()[:2000]}", None


def _interrupt_on_sigterm() -> None:
    def handler(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")

    try:
        signal.signal(signal.SIGTERM, handler)
    except ValueError:  # not in the main thread (dask threaded worker)
        pass


def worker_init() -> None:
    """ProcessPoolExecutor initializer: SIGTERM from the parent shuts the kernel down cleanly.
    When `yrd run` dies without that (SIGKILL, OOM killer) the worker is killed too
    (PR_SET_PDEATHSIG; a SIGTERM would not do: the pool's worker loop catches the interrupt and
    waits for the next job forever), and its kernel, started with JPY_PARENT_PID, exits when it
    sees its parent gone (ipykernel's parent poller)."""
    import multiprocessing

    from yrdlib.runner.integrity import die_with_parent

    _interrupt_on_sigterm()
    # one BLAS thread per kernel: the pool already runs one kernel per core, and OpenBLAS threads
    # of two kernels contending for two cores made a 130x130 Cholesky take 0.1-0.8 s instead of
    # milliseconds (a user's own setting wins)
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    parent = multiprocessing.parent_process()
    die_with_parent(signal.SIGKILL, parent.pid if parent is not None else None)


def run_job(spec: dict) -> dict:
    """Execute ``spec`` and return its result (status, timings, evidence, files as bytes)."""
    import nbformat
    import papermill as pm

    from yrdlib.report.html import report_html
    from yrdlib.report.run_evidence import read_evidence

    job_id = spec["job_id"]
    started = time.time()
    result: dict[str, Any] = {
        "job_id": job_id, "status": "ok", "error": None, "error_cell": None,
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "worker_pid": os.getpid(),
    }
    files: dict[str, bytes] = {}
    with tempfile.TemporaryDirectory(prefix=f"yrd-{job_id}-") as tmp:
        tmp = Path(tmp)
        out_nb = tmp / "executed.ipynb"
        outdir = tmp / "tables"
        outdir.mkdir()
        env = {
            ENV_OUTPUT_DIR: str(outdir),
            "YRD_JOB_ID": job_id,
            "YRD_ROOT": spec["root"],
            "YRD_RUN_DIR": spec.get("run_dir", ""),
            **({"YRD_DATA_SHA256": spec["data_sha256"]} if spec.get("data_sha256") else {}),
            "MPLBACKEND": os.environ.get("MPLBACKEND", "module://matplotlib_inline.backend_inline"),
        }
        try:
            pm.execute_notebook(
                spec["notebook"], str(out_nb),
                parameters=spec["parameters"] or None,
                kernel_name=spec["kernel"],
                progress_bar=False, log_output=False,
                execution_timeout=spec.get("timeout"),
                kernel_manager_class=kernel_manager_class(env, spec["cwd"], str(tmp / "kernel.log")),
                **KERNEL_OPTIONS,
            )
        except KeyboardInterrupt:
            raise
        except Exception as e:  # noqa: BLE001 - any failure is reported, the batch goes on
            result["status"] = "failed"
            result["error"], result["error_cell"] = _error_text(e)
            result["traceback"] = traceback.format_exc(limit=5)[-4000:]
        result["seconds"] = round(time.time() - started, 3)
        result["finished_at"] = datetime.now(UTC).isoformat(timespec="seconds")

        if out_nb.is_file():
            nb = nbformat.read(out_nb, as_version=4)
            claims, hyps = read_evidence(nb, out_nb)
        else:  # failed before papermill wrote anything: keep the input for reference
            nb = nbformat.read(spec["notebook"], as_version=4)
            claims, hyps = [], []
            nbformat.write(nb, out_nb)
        result["claims"], result["hypotheses"] = claims, hyps
        files[f"notebooks/{job_id}.ipynb"] = out_nb.read_bytes()
        klog = tmp / "kernel.log"
        if klog.is_file() and klog.stat().st_size:
            files[f"logs/{job_id}.kernel.log"] = klog.read_bytes()[-200_000:]

        tables = []
        reg = outdir / "tables.json"
        if reg.is_file():
            try:
                tables = json.loads(reg.read_text(encoding="utf-8"))
            except ValueError:
                tables = []
        for p in sorted(outdir.rglob("*")):
            if p.is_file() and p.name != "tables.json":
                files[f"tables/{job_id}/{p.relative_to(outdir).as_posix()}"] = p.read_bytes()
        for t in tables:
            for kind in {"csv", "xlsx", *t.get("formats", ())}:
                t[f"{kind}_href"] = f"tables/{job_id}/{t.get(kind, '')}"
        result["tables"] = tables

        prov = dict(spec["provenance"])
        prov["executed_at"] = result["finished_at"]
        prov["seconds"] = result["seconds"]
        try:
            page = report_html(nb, job_id=job_id, title=spec["title"],
                               parameters=spec["parameters"], claims=claims, hypotheses=hyps,
                               tables=tables, table_dir=outdir, provenance=prov, error=result["error"],
                               show_code=spec.get("show_code", False))
            files[f"{job_id}.html"] = page.encode("utf-8")
            result["html"] = f"{job_id}.html"
        except Exception as e:  # noqa: BLE001
            result["html"] = None
            msg, _ = _error_text(e)
            if result["status"] == "ok":
                result["status"], result["error"] = "failed", f"HTML rendering failed: {msg}"
        result["ipynb"] = f"notebooks/{job_id}.ipynb"
    result["files"] = files
    return result
