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


def _register() -> None:
    from yrdlib.data.cli import data

    main.add_command(data)
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
