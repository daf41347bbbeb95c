"""Batch execution of the notebooks into shareable reports (``yrd run`` / ``yrd list``).

Notebook-facing helpers are importable cheaply from here (the heavy runner modules — papermill,
nbconvert, dask — are imported only by the commands that need them)::

    from yrdlib.runner import export_table
    export_table(df, "openness_rank", title="Openness rank among the 41 YRD cities")
"""

from __future__ import annotations

from yrdlib.report.export import export_table, neutralise_formula, write_excel

__all__ = ["export_table", "neutralise_formula", "write_excel"]
