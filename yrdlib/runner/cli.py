"""``yrd run`` and ``yrd list``.

Exit codes (one table for every `yrd` command, `yrdlib.errors`, docs/faults.md): 0 ok, 1 a
notebook failed, 2 bad parameters / run file / usage, 3 bad input data, 4 processed data stale
and not rebuilt (--no-rebuild), 5 I/O fault, 70 internal error, 130 interrupted.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

import click

from yrdlib.errors import EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE  # noqa: F401
from yrdlib.errors import EXIT_NOTEBOOK_FAILED as EXIT_FAILED  # noqa: F401 - re-exported

DEFAULT_TIMEOUT = 600  # seconds per cell; --timeout 0 for none


def _parse_value(text: str):
    """A ``-p`` value as a YAML scalar or list (no aliases, bounded size); invalid YAML is text."""
    import yaml

    from yrdlib import safeyaml
    from yrdlib.contracts import MAX_VALUE_CHARS

    try:
        return safeyaml.load(text, max_bytes=4 * MAX_VALUE_CHARS) if text.strip() else ""
    except yaml.YAMLError:
        return text


def _fail_usage(msg: str) -> None:
    click.echo(f"error: {msg}", err=True)
    sys.exit(EXIT_USAGE)


INTERRUPTED_LINE = "interrupted: the run was not completed; reports/latest is unchanged"
INTERRUPT_GRACE_S = 20  # stopping workers takes at most ~9 s (runner.run._run_local)


def _exit_interrupted(*_args) -> None:
    """The one line and exit 130, without the interpreter's shutdown hooks: concurrent.futures'
    hook joins the pool's manager thread without a timeout (it hung under load) and can race
    with that thread closing its wake-up pipe (an "OSError: Bad file descriptor" traceback)."""
    click.echo(INTERRUPTED_LINE, err=True)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(EXIT_INTERRUPTED)


def _sigterm_to_interrupt() -> None:
    """SIGINT, SIGTERM and SIGHUP stop the run cleanly (KeyboardInterrupt: workers and kernels
    stopped, the run folder marked INCOMPLETE); a watchdog ends the process if that cleanup has
    not finished within INTERRUPT_GRACE_S (workers die with their parent: PR_SET_PDEATHSIG)."""
    def handler(signum, frame):
        if hasattr(signal, "SIGALRM"):
            signal.signal(signal.SIGALRM, _exit_interrupted)
            signal.alarm(INTERRUPT_GRACE_S)
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)
    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, handler)


@click.command("run")
@click.argument("targets", nargs=-1)
@click.option("-r", "--run-file", type=click.Path(dir_okay=False),
              help="YAML run file (default: runs/default.yml when it exists).")
@click.option("-p", "--param", "params", type=(str, str), multiple=True, metavar="NAME VALUE",
              help="Set a parameter (value parsed as a YAML scalar); repeatable.")
@click.option("-j", "--jobs", "workers", type=click.IntRange(min=1), default=None,
              help="Parallel notebooks (default: number of cores).")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar; one summary line (cron).")
@click.option("--force", is_flag=True, help="Ignore the cache and re-run every notebook.")
@click.option("--show-code", is_flag=True, help="Keep code cells in the HTML reports.")
@click.option("--scheduler", metavar="ADDRESS",
              help="Run the jobs on an existing dask.distributed cluster (tcp://host:8786).")
@click.option("--timeout", type=click.IntRange(min=0), default=DEFAULT_TIMEOUT, show_default=True,
              help="Per-cell timeout in seconds (0: none).")
@click.option("--no-rebuild", is_flag=True,
              help="Refuse (exit 4) instead of rebuilding stale or damaged data/processed.")
@click.option("--reports-dir", type=click.Path(file_okay=False), default=None,
              help="Where runs are written (default: reports/ or $YRD_REPORTS).")
def run(targets, run_file, params, workers, quiet, force, show_code, scheduler, timeout,
        no_rebuild, reports_dir):
    """Execute notebooks into reports/<run-id>/ (HTML reports, index, evidence tables).

    TARGETS are notebook names/globs (relative to notebooks/) or run files (*.yml).
    """
    from yrdlib import config, errors
    from yrdlib.contracts import NotebookContractError, ParameterError
    from yrdlib.runner.integrity import list_or_clean_stale, prepare_data
    from yrdlib.runner.plan import RunFileError, RunSpec, load_runfile, plan_jobs

    # the data first: verified (raw files against SOURCE.yml, outputs against the manifest) and
    # rebuilt here if stale, so the year ranges checked below and the kernels see the same data
    try:
        state = prepare_data(rebuild=not no_rebuild)
        reports = Path(reports_dir) if reports_dir else Path(config.REPORTS)
        stale = list_or_clean_stale(reports)
    except Exception as e:  # noqa: BLE001 - bad/changed raw data, stale, I/O: one line
        errors.fail(e, "nothing ran; reports/latest is unchanged")
    if state.rebuilt and not quiet:
        click.echo(f"data/processed was {state.was}: rebuilt (content "
                   f"{state.content_hash[:12]})", err=True)
    for p in stale:
        click.echo(f"removed the folder of an interrupted run: {p}", err=True)

    nb_targets = []
    for t in targets:
        if t.endswith((".yml", ".yaml")):
            if run_file:
                _fail_usage("give one run file")
            run_file = t
        else:
            nb_targets.append(t)
    try:
        if run_file:
            p = Path(run_file)
            if not p.exists() and (config.RUNS / p.name).exists():
                p = config.RUNS / p.name
            spec = load_runfile(p)
        elif not nb_targets and (config.RUNS / "default.yml").exists():
            spec = load_runfile(config.RUNS / "default.yml")
        else:
            spec = RunSpec()
        cli_params = {}
        for name, value in params:
            cli_params[name] = _parse_value(value)
        jobs = plan_jobs(spec, cli_params, notebooks=nb_targets or None, files_ok=False)
    except (ParameterError, RunFileError, NotebookContractError) as e:
        _fail_usage(str(e))
    except (OSError, ValueError) as e:
        _fail_usage(f"{type(e).__name__}: {e}")

    from yrdlib.runner.batch import latest_name
    from yrdlib.runner.run import RunOptions, execute_run

    _sigterm_to_interrupt()
    opts = RunOptions(reports_dir=Path(reports_dir) if reports_dir else None, workers=workers,
                      scheduler=scheduler, force=force, show_code=show_code, quiet=quiet,
                      title=spec.title, timeout=timeout or None,
                      data_sha256=state.content_hash,
                      latest=latest_name(spec.source, adhoc=bool(nb_targets)))
    try:
        res = execute_run(jobs, opts)
    except KeyboardInterrupt:  # the run folder is marked INCOMPLETE, workers stopped by now
        _exit_interrupted()
    except Exception as e:  # noqa: BLE001 - I/O fault (disk full, read-only), stale data, bug
        errors.fail(e, "reports/latest is unchanged")
    n_failed = sum(j["status"] != "ok" for j in res.jobs)
    n_cached = sum(bool(j["cached"]) for j in res.jobs)
    click.echo(f"run {res.run_id}: {len(res.jobs) - n_failed} ok, {n_failed} failed, "
               f"{n_cached} cached, {res.seconds:.1f} s -> {res.run_dir / 'index.html'}")
    sys.exit(res.exit_code)


@click.command("list")
@click.argument("targets", nargs=-1)
def list_notebooks(targets):
    """Show each notebook's parameters with defaults and help text."""
    from yrdlib import config
    from yrdlib.contracts import NotebookContractError, read_signature
    from yrdlib.runner.plan import RunFileError, find_notebooks

    try:
        paths = find_notebooks(list(targets) or ["*.ipynb"], config.NOTEBOOKS)
    except RunFileError as e:
        _fail_usage(str(e))
    if not paths:
        click.echo(f"no notebooks in {config.NOTEBOOKS}")
        return
    bad = False
    for p in paths:
        try:
            sig = read_signature(p)
        except (NotebookContractError, ValueError) as e:
            click.echo(f"{p.name}\n  ! {e}")
            bad = True
            continue
        click.echo(p.name + ("" if sig.has_parameters_cell else "  (no parameters cell)"))
        width = max((len(n) for n in sig.params), default=0)
        for prm in sig.params.values():
            tag = f" [{prm.type_name}]"
            click.echo(f"  {prm.name:<{width}} = {prm.default!r:<14}{tag}  {prm.help}")
    if bad:
        sys.exit(EXIT_USAGE)


@click.command("prune")
@click.option("--keep", type=click.IntRange(min=0), required=True,
              help="How many of the newest runs to keep.")
@click.option("--dry-run", is_flag=True, help="Only list what would be removed.")
@click.option("--reports-dir", type=click.Path(file_okay=False), default=None,
              help="Where runs are written (default: reports/ or $YRD_REPORTS).")
def prune(keep, dry_run, reports_dir):
    """Delete old runs, keeping the KEEP newest and every run a reports/latest* link points at."""
    from yrdlib import config
    from yrdlib.runner.batch import prune as do_prune

    reports = Path(reports_dir) if reports_dir else Path(config.REPORTS)
    removed = do_prune(reports, keep, dry_run=dry_run)
    verb = "would remove" if dry_run else "removed"
    for p in removed:
        click.echo(f"{verb} {p}")
    click.echo(f"{verb} {len(removed)} run(s); kept the newest {keep} and those linked as latest*")
