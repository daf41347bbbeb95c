"""Run a job list: cache look-up, parallel execution (local process pool or a dask cluster),
then the run directory (reports, index, evidence tables, manifest) and the ``latest`` link.

The run is written into ``reports/.tmp-<run-id>/`` and renamed to ``reports/<run-id>/`` only
when every job has finished; ``reports/latest`` is switched (atomic rename of a new symlink)
only when every job succeeded. An interrupted run leaves ``.tmp-<run-id>`` with an
``INCOMPLETE`` marker and never touches ``latest``.
"""

from __future__ import annotations

import json
import os
import secrets
import sys
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from yrdlib.runner.cache import Cache, job_key
from yrdlib.runner.plan import Job
from yrdlib.runner.provenance import canonical, collect, data_hash, sha256_bytes, sha256_file

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


@dataclass
class RunOptions:
    reports_dir: Path | None = None
    workers: int | None = None
    scheduler: Any = None  # address "tcp://..." or a distributed.Client
    force: bool = False
    show_code: bool = False
    quiet: bool = False
    title: str = "YRD evidence run"
    timeout: int | None = None
    data_sha256: str | None = None  # content hash verified by `yrd run` (kernels must see it)
    run_id: str | None = None
    latest: str = "latest"  # the link this run moves (yrdlib.runner.batch.latest_name)
    command: list[str] = field(default_factory=lambda: list(sys.argv))


@dataclass
class RunResult:
    run_id: str
    run_dir: Path
    exit_code: int
    jobs: list[dict]
    seconds: float


def new_run_id(jobs: list[Job], extra: str = "") -> str:
    ts = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    h = sha256_bytes(canonical([[j.id, str(j.notebook), j.parameters] for j in jobs]
                               + [extra, secrets.token_hex(4)]).encode())
    return f"{ts}-{h[:7]}"


def switch_latest(reports: Path, run_id: str, name: str = "latest") -> None:
    """Point ``reports/<name>`` at ``run_id`` atomically (new symlink + rename over the old)."""
    tmp = reports / f".latest-{os.getpid()}-{secrets.token_hex(3)}"
    os.symlink(run_id, tmp)
    os.replace(tmp, reports / name)


def _job_spec(job: Job, prov: dict, opts: RunOptions, run_dir: Path) -> dict:
    from yrdlib import config

    return {
        "job_id": job.id, "notebook": str(job.notebook), "parameters": job.parameters,
        "kernel": config.KERNEL_NAME, "cwd": str(job.notebook.parent), "root": str(config.ROOT),
        "run_dir": str(run_dir), "title": job.title, "show_code": opts.show_code,
        "timeout": opts.timeout, "data_sha256": opts.data_sha256,
        "provenance": {k: prov[k] for k in ("git", "code_hash", "packages", "processed",
                                             "sources", "kernel")},
    }


def _write_files(run_dir: Path, files: dict[str, bytes]) -> None:
    for rel, data in files.items():
        p = (run_dir / rel).resolve()
        if run_dir.resolve() not in p.parents:
            continue  # never write outside the run directory
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)


class _Progress:
    def __init__(self, total: int, quiet: bool):
        from yrdlib.runner.batch import show_progress

        self.quiet = quiet
        self.bar = None
        self.total, self.n = total, 0
        if show_progress(quiet) and total:
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="nb", file=sys.stderr, dynamic_ncols=True,
                            desc="yrd run")

    def done(self, res: dict) -> None:
        if res["status"] != "ok":
            msg = f"FAILED {res['job_id']}: {res.get('error')}"
            if self.bar is not None:
                self.bar.write(msg, file=sys.stderr)
            else:
                print(msg, file=sys.stderr, flush=True)
        self.n += 1
        if self.bar is not None:
            self.bar.set_postfix_str(res["job_id"][:30])
            self.bar.update(1)
        elif not self.quiet and res["status"] == "ok":  # not a terminal: one plain line per job
            print(f"[{self.n}/{self.total}] {res['job_id']} ok {res.get('seconds') or 0:.1f} s",
                  file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _run_local(specs: list[list[dict]], workers: int, on_done) -> None:
    import multiprocessing as mp

    from yrdlib.runner.execute import run_job, worker_init

    n = max(1, min(workers, max(len(s) for s in specs)))
    ctx = mp.get_context("fork" if sys.platform.startswith("linux") else "spawn")
    ex = ProcessPoolExecutor(max_workers=n, mp_context=ctx, initializer=worker_init)
    pending: set = set()
    try:
        for phase in specs:  # phase 1 (e.g. the scorecard) starts after phase 0 has finished
            fut_spec = {ex.submit(run_job, s): s for s in phase}
            pending = set(fut_spec)
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for f in done:
                    on_done(f.result() if f.exception() is None
                            else _crashed(fut_spec[f], f.exception()))
        ex.shutdown(wait=True)
    except BaseException:
        for f in pending:
            f.cancel()
        procs = list((getattr(ex, "_processes", None) or {}).values())
        for p in procs:  # SIGTERM: the worker raises KeyboardInterrupt and stops its kernel
            if p.is_alive():
                p.terminate()
        deadline = time.time() + 8
        for p in procs:
            p.join(max(0.1, deadline - time.time()))
            if p.is_alive():
                p.kill()
        ex.shutdown(wait=False, cancel_futures=True)
        raise


def _run_dask(specs: list[list[dict]], scheduler: Any, on_done) -> None:
    from distributed import Client, as_completed

    from yrdlib.runner.execute import run_job

    own = not hasattr(scheduler, "submit")
    client = Client(scheduler) if own else scheduler
    futures: list = []
    try:
        for phase in specs:
            futures = [client.submit(run_job, s, pure=False, key=f"yrd-{s['job_id']}-{secrets.token_hex(4)}")
                       for s in phase]
            by_key = {f.key: s for f, s in zip(futures, phase, strict=True)}
            for f in as_completed(futures):
                try:
                    on_done(f.result())
                except Exception as e:  # noqa: BLE001 - worker died etc.
                    on_done(_crashed(by_key[f.key], e))
    except BaseException:
        client.cancel(futures)
        raise
    finally:
        if own:
            client.close()


def _crashed(spec: dict, exc: BaseException) -> dict:
    return {"job_id": spec["job_id"], "status": "failed", "files": {}, "claims": [],
            "hypotheses": [], "tables": [], "seconds": None, "html": None, "ipynb": None,
            "error": f"worker crashed: {type(exc).__name__}: {exc}", "error_cell": None}


def execute_run(jobs: list[Job], opts: RunOptions | None = None) -> RunResult:
    from yrdlib import config

    opts = opts or RunOptions()
    t0 = time.time()
    reports = Path(opts.reports_dir or config.REPORTS)
    reports.mkdir(parents=True, exist_ok=True)
    prov = collect()
    _check_verified(prov, opts.data_sha256)
    dhash = data_hash(prov)
    run_id = opts.run_id or new_run_id(jobs, dhash)
    tmp = reports / f".tmp-{run_id}"
    final = reports / run_id
    if final.exists() or tmp.exists():
        raise FileExistsError(f"run directory exists: {final}")
    tmp.mkdir(parents=True)
    from yrdlib.report.interactive import copy_asset

    copy_asset(tmp)  # assets/plotly.min.js, once per run, for the reports' interactive figures
    (tmp / "INCOMPLETE").write_text(
        f"run {run_id} started {datetime.now(UTC).isoformat()} pid {os.getpid()}\n")
    cache = Cache(reports)
    created = datetime.now(UTC).isoformat(timespec="seconds")

    results: dict[str, dict] = {}
    keys: dict[str, str] = {}
    nb_hash = {}
    todo: list[Job] = []
    # A 'last' job (the scorecard) reads the other jobs' results: its key includes their keys
    # and it is re-used only when every earlier job was re-used (cached = succeeded) as well.
    earlier: list[str] = []
    all_cached = True
    for j in sorted(jobs, key=lambda j: j.phase):
        nb_hash[j.id] = sha256_file(j.notebook)
        keys[j.id] = job_key(notebook_sha256=nb_hash[j.id], parameters=j.parameters,
                             data_hash=dhash, code_hash=prov["code_hash"],
                             kernel=prov["kernel"], show_code=opts.show_code)
        if j.phase > 0:
            keys[j.id] = sha256_bytes(canonical([keys[j.id], sorted(earlier)]).encode())
        use_cache = not opts.force and (j.phase == 0 or all_cached)
        hit = cache.load(keys[j.id]) if use_cache else None
        if j.phase == 0:
            earlier.append(keys[j.id])
            all_cached = all_cached and hit is not None
        if hit is not None:
            res, files = hit
            _write_files(tmp, files)
            res = dict(res, cached=True, cached_from=res.get("run_id"))
            results[j.id] = res
        else:
            todo.append(j)

    progress = _Progress(len(todo), opts.quiet)
    new_files: dict[str, dict[str, bytes]] = {}
    _write_job_status(tmp, jobs, results)

    def on_done(res: dict) -> None:
        files = res.pop("files", {}) or {}
        _write_files(tmp, files)
        res["cached"] = False
        res["run_id"] = run_id
        results[res["job_id"]] = res
        if res["status"] == "ok":
            new_files[res["job_id"]] = files
        _write_job_status(tmp, jobs, results)  # complete for phase 0 before 'last' jobs start
        progress.done(res)

    phases = [[_job_spec(j, prov, opts, tmp) for j in todo if j.phase == ph] for ph in (0, 1)]
    phases = [p for p in phases if p]
    try:
        if phases:
            if opts.scheduler:
                _run_dask(phases, opts.scheduler, on_done)
            else:
                _run_local(phases, opts.workers or os.cpu_count() or 1, on_done)
    except BaseException:
        progress.close()
        (tmp / "INCOMPLETE").write_text(f"run {run_id} interrupted at "
                                        f"{datetime.now(UTC).isoformat()}\n")
        raise
    progress.close()

    for jid, files in new_files.items():
        cache.store(keys[jid], results[jid], files)

    job_rows = []
    for j in sorted(jobs, key=lambda j: j.order):
        r = results.get(j.id) or _crashed({"job_id": j.id}, RuntimeError("no result"))
        job_rows.append({
            "id": j.id, "title": j.title, "notebook": j.notebook.name,
            "notebook_sha256": nb_hash[j.id], "parameters": j.parameters, "phase": j.phase,
            "status": r["status"], "error": r.get("error"), "error_cell": r.get("error_cell"),
            "seconds": r.get("seconds"), "started_at": r.get("started_at"),
            "finished_at": r.get("finished_at"), "cached": r.get("cached", False),
            "cached_from": r.get("cached_from"), "cache_key": keys[j.id],
            "html": r.get("html"), "ipynb": r.get("ipynb"), "tables": r.get("tables", []),
            "claims": r.get("claims", []), "hypotheses": r.get("hypotheses", []),
        })
    n_failed = sum(r["status"] != "ok" for r in job_rows)
    exit_code = EXIT_FAILED if n_failed else EXIT_OK
    finished = datetime.now(UTC).isoformat(timespec="seconds")
    seconds = round(time.time() - t0, 3)

    _write_evidence_tables(tmp, job_rows)
    from yrdlib.report.appendix import write_methods

    write_methods(tmp, job_rows, run_id)  # methods.html: registry + this run's records (issue 26)
    from yrdlib.report.brief_pages import write_brief

    write_brief(tmp, job_rows, run_id)  # brief.html / brief_en.html, linked first from the index
    _write_index(tmp, run_id, opts.title, job_rows, prov, finished)
    manifest = {
        "run_id": run_id, "title": opts.title, "status": "ok" if not n_failed else "failed",
        "exit_code": exit_code, "created_at": created, "finished_at": finished,
        "seconds": seconds, "command": opts.command, "git": prov["git"],
        "code_hash": prov["code_hash"], "packages": prov["packages"], "kernel": prov["kernel"],
        "data": {"hash": dhash, "processed_manifest_sha256": prov["processed"].get("sha256"),
                 "content_sha256": prov["processed"].get("content_sha256"),
                 "verified": bool(opts.data_sha256),
                 "processed_fingerprint": prov["processed"].get("fingerprint"),
                 "built_at": prov["processed"].get("built_at"),
                 "inputs": prov["processed"].get("inputs", {}),
                 "outputs": prov["processed"].get("outputs", {}),
                 "sources": {s["dataset"]: {"source_yml_sha256": s.get("source_yml_sha256"),
                                            "files": s.get("files", {})}
                             for s in prov["sources"]}},
        "options": {"show_code": opts.show_code, "force": opts.force,
                    "workers": opts.workers, "scheduler": str(opts.scheduler or "")},
        "jobs": [{k: v for k, v in r.items() if k not in ("claims", "hypotheses")}
                 | {"verdicts": {h.get("hypothesis") or h.get("claim") or str(i): h.get("verdict")
                                 for i, h in enumerate(r["claims"] + r["hypotheses"])}}
                 for r in job_rows],
    }
    (tmp / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1,
                                                  default=str), encoding="utf-8")
    (tmp / "INCOMPLETE").unlink()
    os.rename(tmp, final)
    if exit_code == EXIT_OK:
        switch_latest(reports, run_id, opts.latest)
    return RunResult(run_id, final, exit_code, job_rows, seconds)


def _check_verified(prov: dict, expected: str | None) -> None:
    """The data the kernels will read must be the data `yrd run` verified before planning."""
    if expected and prov["processed"].get("content_sha256") != expected:
        from yrdlib.errors import StaleDataError

        raise StaleDataError("data/processed changed between its check and the run; run again")


def _write_job_status(run_dir: Path, jobs: list[Job], results: dict[str, dict]) -> None:
    """``jobs.json`` in the run folder: every job's status so far (ok / failed / pending), so the
    'last' notebooks (the scorecard, via ``YRD_RUN_DIR``) can flag failed jobs. Atomic rewrite."""
    rows = []
    for j in sorted(jobs, key=lambda j: j.order):
        r = results.get(j.id) or {}
        rows.append({"id": j.id, "notebook": j.notebook.name, "phase": j.phase,
                     "parameters": j.parameters, "status": r.get("status", "pending"),
                     "error": r.get("error"), "cached": bool(r.get("cached", False)),
                     "html": r.get("html"), "ipynb": r.get("ipynb"),
                     "n_claims": len(r.get("claims") or []),
                     "n_hypotheses": len(r.get("hypotheses") or [])})
    part = run_dir / f".jobs.json.{os.getpid()}"
    part.write_text(json.dumps({"jobs": rows}, ensure_ascii=False, indent=1, default=str),
                    encoding="utf-8")
    os.replace(part, run_dir / "jobs.json")


def _write_evidence_tables(run_dir: Path, rows: list[dict]) -> None:
    import pandas as pd

    # deferred like pandas above: the claims stack is needed only here, never for `yrd run -h`
    from yrdlib.claims.city_effects import CITY_TESTS
    from yrdlib.claims.city_effects import long_table as city_long_table
    from yrdlib.evidence import USER_BADGE_EN, USER_BADGE_ZH, user_data_text
    from yrdlib.report.export import _safe_frame, write_excel
    from yrdlib.report.run_evidence import EVIDENCE_COLUMNS

    def frame(kind: str, cols: list[str]) -> pd.DataFrame:
        recs = []
        for r in rows:
            for e in r[kind]:
                if e.get("user_data"):  # the badge and the user's source text, in the CSV too
                    e = dict(e, user_data_badge=f"{USER_BADGE_ZH} / {USER_BADGE_EN}",
                             user_data_sources=user_data_text(e["user_data"]))
                rec = {"job_id": r["id"], "notebook": r["notebook"],
                       "parameters": json.dumps(r["parameters"], ensure_ascii=False)}
                rec.update({c: e.get(c) for c in cols})
                rec.update({k: v for k, v in e.items() if k not in rec and
                            isinstance(v, (str, int, float, bool, type(None)))})
                recs.append(rec)
        return pd.DataFrame(recs, columns=None if recs else ["job_id", "notebook", "parameters", *cols])

    ev = frame("hypotheses", EVIDENCE_COLUMNS)
    cl = frame("claims", ["claim", "verdict", "title_zh", "title_en", "reason_zh", "reason_en",
                          "provisional"])
    _safe_frame(ev).to_csv(run_dir / "evidence.csv", index=False, encoding="utf-8-sig")
    _safe_frame(cl).to_csv(run_dir / "claims.csv", index=False, encoding="utf-8-sig")
    sheets = {"evidence": ev, "claims": cl}
    if "hypothesis" in ev and ev["hypothesis"].isin(CITY_TESTS.values()).any():
        # every treated city's own effect for each pooled test (issue 22), beside evidence.csv;
        # read from the pooled cache the notebooks just filled
        fx = city_long_table()
        _safe_frame(fx).to_csv(run_dir / "city_effects.csv", index=False, encoding="utf-8-sig")
        sheets["city_effects"] = fx
    jobs = pd.DataFrame([{k: (json.dumps(r[k], ensure_ascii=False) if k == "parameters" else r[k])
                          for k in ("id", "notebook", "parameters", "status", "error", "seconds",
                                    "cached")} for r in rows])
    write_excel({**sheets, "jobs": jobs}, run_dir / "evidence.xlsx")


def _write_index(run_dir: Path, run_id: str, title: str, rows: list[dict], prov: dict,
                 finished: str) -> None:
    from yrdlib.report.export import _safe_frame
    from yrdlib.report.html import _short, css, decorate, render
    from yrdlib.report.index import city_label, city_of, multi_city

    claims, hyps, view = [], [], []
    for r in rows:
        href = r["html"] or r["ipynb"] or "#"
        city = city_label(city_of(r))
        cd, hd = decorate(r["claims"]), decorate(r["hypotheses"])
        for c in cd:
            claims.append(dict(c, job_id=r["id"], href=href, city=city))
        for h in hd:
            hyps.append(dict(h, job_id=r["id"], href=href, city=city))
        view.append(dict(r, claims_d=cd, hypotheses_d=hd, city=city,
                         parameters_txt={k: _short(v) for k, v in r["parameters"].items()}))
    from yrdlib.evidence import CLAIM_RULE_EN, CLAIM_RULE_ZH

    multi = multi_city(rows)
    if multi:  # the city × hypothesis estimates as data (issue 22)
        import pandas as pd

        _safe_frame(pd.DataFrame(multi["long"])).to_csv(run_dir / "city_estimates.csv",
                                                         index=False, encoding="utf-8-sig")
    page = render("index.html.j2", title=title, run_id=run_id, finished_at=finished, css=css(),
                  claims=claims, hypotheses=hyps, jobs=view, multi=multi,
                  brief=(run_dir / "brief.html").is_file(),
                  claim_rule_zh=CLAIM_RULE_ZH, claim_rule_en=CLAIM_RULE_EN,
                  n_ok=sum(r["status"] == "ok" for r in rows),
                  n_failed=sum(r["status"] != "ok" for r in rows),
                  n_cached=sum(bool(r["cached"]) for r in rows), **{
                      k: prov[k] for k in ("git", "code_hash", "processed", "sources",
                                           "packages")})
    (run_dir / "index.html").write_text(page, encoding="utf-8")
