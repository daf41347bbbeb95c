"""Downloads that travel inside the report: the CSV/Excel files of a report's tables as data URIs,
so a report forwarded alone by e-mail still offers its tables.

Each file is embedded when it is at most :data:`FILE_CAP` bytes and the report's embedded total
stays under :data:`TOTAL_CAP`; above that the link points to the sibling file in the run folder
(``tables/<job>/<name>.csv``) and the page says so.
"""

from __future__ import annotations

import base64
from pathlib import Path

FILE_CAP = 1_500_000   # bytes per embedded file
TOTAL_CAP = 6_000_000  # bytes embedded per report
MIME = {"csv": "text/csv;charset=utf-8",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "tex": "application/x-tex;charset=utf-8", "tex_zh": "application/x-tex;charset=utf-8",
        "html": "text/html;charset=utf-8"}
LABEL = {"csv": "CSV", "xlsx": "Excel", "tex": "LaTeX (英文 en)", "tex_zh": "LaTeX (中文)",
         "html": "HTML (Word)"}


def data_uri(data: bytes, kind: str) -> str:
    return f"data:{MIME[kind]};base64,{base64.b64encode(data).decode('ascii')}"


def embed(tables: list[dict], table_dir: str | Path | None, *, file_cap: int = FILE_CAP,
          total_cap: int = TOTAL_CAP) -> list[dict]:
    """Copies of the ``tables`` records with, per format, ``<fmt>_link`` (a data URI or the
    sibling href), ``<fmt>_embedded`` (bool) and ``<fmt>_file`` (the download file name), and
    ``links``: [{label, link, file, embedded}] for every format the table has (csv and xlsx
    unless its ``formats`` names others, e.g. LaTeX and HTML for a regression table)."""
    used = 0
    out = []
    for t in tables:
        t = dict(t)
        t["links"] = []
        for kind in t.get("formats") or ("csv", "xlsx"):
            if kind not in MIME:
                continue
            name = t.get(kind) or ""
            t[f"{kind}_file"] = name
            t[f"{kind}_link"] = t.get(f"{kind}_href") or name
            t[f"{kind}_embedded"] = False
            p = Path(table_dir) / name if table_dir and name else None
            if p is not None and p.is_file():
                size = p.stat().st_size
                if size <= file_cap and used + size <= total_cap:
                    t[f"{kind}_link"] = data_uri(p.read_bytes(), kind)
                    t[f"{kind}_embedded"] = True
                    used += size
            t["links"].append({"label": LABEL[kind], "link": t[f"{kind}_link"], "file": name,
                               "embedded": t[f"{kind}_embedded"]})
        out.append(t)
    return out
