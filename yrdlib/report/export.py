"""Tables a notebook exports next to its report (CSV + Excel), formula-injection safe.

Inside ``yrd run`` every job gets its own output directory in the environment variable
``YRD_JOB_OUTPUT_DIR``; :func:`export_table` writes there and records the table in
``tables.json`` so that the run index links it. Run interactively (JupyterLab) the tables go to
``reports/_interactive/tables/``.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from yrdlib import config

ENV_OUTPUT_DIR = "YRD_JOB_OUTPUT_DIR"
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value: Any) -> Any:
    """Prefix a quote to text that a spreadsheet would read as a formula (=, +, -, @, tab, CR)."""
    if isinstance(value, str) and value.startswith(_FORMULA_PREFIXES):
        return "'" + value
    return value


def _safe_labels(idx):
    """An Index or MultiIndex with every text label (each level of a MultiIndex) and its names
    neutralised."""
    import pandas as pd

    if isinstance(idx, pd.MultiIndex):
        tuples = [tuple(neutralise_formula(v) for v in t) for t in idx]
        return pd.MultiIndex.from_tuples(tuples, names=[neutralise_formula(n) for n in idx.names])
    if isinstance(idx, pd.RangeIndex):
        return idx.rename(neutralise_formula(idx.name))
    return pd.Index([neutralise_formula(v) for v in idx], name=neutralise_formula(idx.name),
                    dtype=object if any(isinstance(v, str) for v in idx) else None)


def _safe_frame(df):
    """A copy of ``df`` in which no cell, column label or index label (every level, every
    categorical) starts like a formula. Numbers, dates and booleans are left as they are."""
    import pandas as pd

    out = df.copy()
    out.columns = _safe_labels(out.columns)
    out.index = _safe_labels(out.index)
    for i in range(out.shape[1]):
        s = out.iloc[:, i]
        if (pd.api.types.is_numeric_dtype(s.dtype) and not isinstance(s.dtype, pd.CategoricalDtype)) \
                or pd.api.types.is_datetime64_any_dtype(s.dtype) \
                or pd.api.types.is_timedelta64_dtype(s.dtype):
            continue
        out.isetitem(i, s.astype(object).map(neutralise_formula))
    return out


def slug(text: str, default: str = "table") -> str:
    s = re.sub(r"[^0-9A-Za-z\u4e00-\u9fff]+", "_", str(text)).strip("_").lower()
    return s[:80] or default


def write_excel(frames: dict[str, Any], path: str | Path, *, index: bool = False) -> Path:
    """Write ``{sheet name: DataFrame}`` to one .xlsx; formula-like text is neutralised and
    xlsxwriter never turns strings into formulas or links."""
    import pandas as pd

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    opts = {"strings_to_formulas": False, "strings_to_urls": False}
    with pd.ExcelWriter(path, engine="xlsxwriter", engine_kwargs={"options": opts}) as xw:
        used: set[str] = set()
        for name, df in frames.items():
            sheet = re.sub(r"[\[\]:*?/\\']", "_", str(name))[:31] or "Sheet"
            base, i = sheet, 1
            while sheet in used:
                i += 1
                sheet = f"{base[:28]}_{i}"
            used.add(sheet)
            _safe_frame(df).to_excel(xw, sheet_name=sheet, index=index)
    return path


def output_dir() -> Path:
    env = os.environ.get(ENV_OUTPUT_DIR)
    if env:
        return Path(env)
    return config.REPORTS / "_interactive" / "tables"


def export_table(df, name: str, *, title: str | None = None, index: bool = False) -> Path:
    """Save ``df`` as ``<name>.csv`` and ``<name>.xlsx`` in the job's output directory and
    register it for the run index. Returns the CSV path."""
    d = output_dir()
    d.mkdir(parents=True, exist_ok=True)
    stem = slug(name)
    csv_path = d / f"{stem}.csv"
    _safe_frame(df).to_csv(csv_path, index=index, encoding="utf-8-sig")
    write_excel({stem: df}, d / f"{stem}.xlsx", index=index)
    register(d, stem, title or name, {"csv": csv_path.name, "xlsx": f"{stem}.xlsx"}, rows=len(df))
    return csv_path


def register(d: Path, stem: str, title: str, files: dict[str, str], rows: int) -> None:
    """Record a table's files (``{format: file name}``, csv and xlsx first) in the folder's
    ``tables.json`` for the report's downloads and the run index; formats beyond csv/xlsx (e.g.
    LaTeX, HTML) are listed under ``formats``."""
    reg_path = Path(d) / "tables.json"
    try:
        reg = json.loads(reg_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        reg = []
    reg = [t for t in reg if t.get("name") != stem]
    reg.append({"name": stem, "title": title, **files, "formats": list(files), "rows": rows})
    reg_path.write_text(json.dumps(reg, ensure_ascii=False, indent=1), encoding="utf-8")
