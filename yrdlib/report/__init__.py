"""Everything a reader sees: one table formatter, verdict boxes, formulas as MathML, downloads
inside the page. A notebook sets them up through :func:`yrdlib.plotting.install` (once, at the top)."""

from __future__ import annotations

import os

from yrdlib.report import tables

__all__ = ["display_setup", "route_warnings"]


def display_setup(lang: str = "both") -> bool:
    """The display part of :func:`install` without the font: warnings routed to a log, the table
    formatter registered. :func:`yrdlib.plotting.setup` calls it, so every notebook that sets up
    its figures gets reader-ready tables with no change to the notebook."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover
        return False
    if get_ipython() is None:  # a script or a test: leave warnings and logging alone
        return False
    route_warnings()
    return tables.install(lang)


def route_warnings() -> None:
    """Send Python warnings and library log records to a log file (or drop them when there is
    no run directory) so that nothing reaches the report as a stderr stream."""
    import logging
    from pathlib import Path

    logging.captureWarnings(True)
    out = os.environ.get("YRD_JOB_OUTPUT_DIR")
    handler: logging.Handler
    if out:
        Path(out).mkdir(parents=True, exist_ok=True)
        handler = logging.FileHandler(Path(out) / "warnings.log", encoding="utf-8", delay=True)
    else:
        handler = logging.NullHandler()
    for name in ("py.warnings", "matplotlib", "matplotlib.font_manager"):
        lg = logging.getLogger(name)
        if not any(getattr(h, "_yrd", False) for h in lg.handlers):
            handler._yrd = True  # type: ignore[attr-defined]
            lg.addHandler(handler)
        lg.propagate = False
