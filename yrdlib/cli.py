"""The `yrd` command: `yrd data build|check|show`, `yrd run`, `yrd list`."""

from __future__ import annotations

import click


@click.group()
@click.version_option(package_name="yrdlib")
def main() -> None:
    """Yuhuan / Yangtze River Delta evidence project."""


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
