"""``python -m yrdlib.runner run|list`` — the same commands as ``yrd run`` / ``yrd list``."""

import click

from yrdlib.cli import _OneLineGroup
from yrdlib.runner.cli import list_notebooks, run


@click.group(cls=_OneLineGroup)
def runner() -> None:
    """Execute notebooks into reports."""


runner.add_command(run)
runner.add_command(list_notebooks)

if __name__ == "__main__":
    runner()
