"""The `yrd` command: `yrd data build|check|show|accept-source`, `yrd run`, `yrd list`.

`--debug` (before the subcommand) shows tracebacks; otherwise every failure is one line on
stderr and an exit code from the table in `yrdlib.errors` (docs/faults.md)."""

from __future__ import annotations

import os

import click


@click.group()
@click.version_option(package_name="yrdlib")
@click.option("--debug", is_flag=True, help="Show the traceback of a failure.")
def main(debug: bool) -> None:
    """Yuhuan / Yangtze River Delta evidence project."""
    from yrdlib import errors

    errors.DEBUG = debug or os.environ.get("YRD_DEBUG") == "1"


def _register() -> None:
    from yrdlib.data.cli import data

    main.add_command(data)
    try:
        from yrdlib.runner.cli import list_notebooks, run
    except ImportError:  # runner not installed yet
        return
    main.add_command(run)
    main.add_command(list_notebooks)


_register()


if __name__ == "__main__":
    main()
