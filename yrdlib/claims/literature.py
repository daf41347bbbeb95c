"""Published estimates beside the project's (``literature.yml``): who asked the same question,
with which design and sample, what they found, and - where the project's estimate differs - why.
Only what a readable source states is recorded; anything else is marked "not verified"."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd
import yaml

PATH = Path(__file__).with_name("literature.yml")
COLUMNS = ["study", "question", "design", "sample", "finding", "read from"]


@lru_cache(maxsize=1)
def studies() -> list[dict]:
    return yaml.safe_load(PATH.read_text(encoding="utf-8"))["studies"]


def table(claim: str, project: dict | None = None, lang: str = "both") -> pd.DataFrame:
    """The studies that speak to ``claim``; ``project`` (question, design, sample, finding) adds
    the project's own row last, so the reader sees both side by side. ``lang="zh"`` takes each
    field's Chinese twin (``question_zh`` ...) where the record has one."""
    zh = lang == "zh"

    def f(d: dict, k: str) -> str:
        return d.get(f"{k}_zh") or d[k] if zh else d[k]

    rows = [{"study": f"{s['authors']} ({s['year']}) {s['venue']}", "question": f(s, "question"),
             "design": f(s, "design"), "sample": f(s, "sample"), "finding": f(s, "finding"),
             "read from": f(s, "read_from")} for s in studies() if claim in s["claims"]]
    if project:
        own = {k: (project.get(f"{k}_zh") or v if zh else v) for k, v in project.items()
               if not k.endswith("_zh")}
        rows.append({"study": "本项目" if zh else "this project",
                     "read from": "本报告" if zh else "this report", **own})
    return pd.DataFrame(rows, columns=COLUMNS)


def verified(claim: str) -> list[dict]:
    """Studies whose design was read from a source (the others cannot be compared with)."""
    return [s for s in studies() if claim in s["claims"] and not
            str(s["design"]).startswith("not verified")]
