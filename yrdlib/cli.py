"""The `yrd` command: `yrd data build|check|show|accept-source`, `yrd run`, `yrd list`.

`--debug` (before the subcommand) shows tracebacks; otherwise every failure is one line on
stderr and an exit code from the table in `yrdlib.errors` (docs/faults.md)."""

from __future__ import annotations

import os
import sys

import click


class _OneLineGroup(click.Group):
    """click prints a usage error (`-j 0`, `--timeout -5`, an unknown option) as three lines of
    usage text; here it is one `error:` line and exit 2, like every other failure."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        try:
            rv = super().main(args, prog_name, complete_var, False, **extra)
        except click.exceptions.NoArgsIsHelpError as e:
            click.echo(e.ctx.get_help() if e.ctx else str(e), err=True)
            sys.exit(e.exit_code)
        except click.ClickException as e:
            hint = ""
            ctx = getattr(e, "ctx", None)
            if isinstance(e, click.UsageError) and ctx is not None:
                hint = f" (see {ctx.command_path} --help)"
            click.echo(f"error: {' '.join(e.format_message().split())}{hint}", err=True)
            sys.exit(e.exit_code)
        except (click.Abort, KeyboardInterrupt):
            click.echo("interrupted: the command did not complete", err=True)
            sys.exit(130)
        sys.exit(rv if isinstance(rv, int) else 0)


@click.group(cls=_OneLineGroup)
@click.version_option(package_name="yrdlib")
@click.option("--debug", is_flag=True, help="Show the traceback of a failure.")
def main(debug: bool) -> None:
    """Yuhuan / Yangtze River Delta evidence project."""
    from yrdlib import errors

    errors.DEBUG = debug or os.environ.get("YRD_DEBUG") == "1"
    _signals_interrupt()


def _signals_interrupt() -> None:
    """SIGTERM and SIGHUP end a command as Ctrl-C does (exit 130, one line), from its first
    moment on: a build removes its temporary folder, a run keeps `latest` as it was."""
    import signal

    def handler(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")

    try:
        signal.signal(signal.SIGTERM, handler)
        if hasattr(signal, "SIGHUP"):
            signal.signal(signal.SIGHUP, handler)
    except ValueError:  # not the main thread (an embedding caller): leave its handlers
        pass


@click.command()
@click.option("--draws", default=40, show_default=True, type=click.IntRange(min=5),
              help="Placebo province assignments per test (size; the same draws carry the "
                   "planted effects for power).")
@click.option("--tests", default="S1.b,S2.b,S4.b", show_default=True,
              help="Pooled causal tests to calibrate, comma-separated.")
@click.option("-j", "--workers", default=2, show_default=True, type=click.IntRange(min=1),
              help="Worker processes.")
@click.option("--refresh", is_flag=True, help="Recompute although a cached result exists.")
@click.option("--no-write", is_flag=True, help="Do not write docs/calibration/.")
def calibrate(draws: int, tests: str, workers: int, refresh: bool, no_write: bool) -> None:
    """Calibrate the verdict rule on the real panel: size on placebo province assignments, power
    at planted effects of 1, 2 and 4 within-city SDs (not part of the default run)."""
    from yrdlib import errors
    from yrdlib.claims import calibration
    from yrdlib.figures import calibration as calibration_figures

    ids = tuple(t.strip() for t in tests.split(",") if t.strip())
    bad = [t for t in ids if t not in calibration.TESTS]
    if bad:
        click.echo(f"error: unknown test(s) {', '.join(bad)}; calibrated tests: "
                   f"{', '.join(calibration.TESTS)}", err=True)
        raise SystemExit(errors.EXIT_USAGE)

    def progress(i, n):
        if i % 20 == 0 or i == n:
            click.echo(f"  {i}/{n} runs", err=True)

    runs = calibration.calibrate(draws, ids, workers=workers, refresh=refresh, progress=progress)
    summ = calibration_figures.write_summary(runs) if not no_write else calibration.summary(runs)
    click.echo(summ.to_string(index=False))


def _register() -> None:
    from yrdlib.data.cli import data

    main.add_command(data)
    main.add_command(calibrate)
    try:
        from yrdlib.runner.cli import list_notebooks, prune, run
    except ImportError:  # runner not installed yet
        return
    main.add_command(run)
    main.add_command(list_notebooks)
    main.add_command(prune)


_register()


if __name__ == "__main__":
    main()
