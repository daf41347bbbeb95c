"""Helpers shared by the notebook tests: run a notebook the way the runner does (papermill, the
project's kernel, the notebooks folder as working directory) and check the evidence it recorded."""

from __future__ import annotations

import math
from pathlib import Path

import papermill as pm

from yrdlib import config
from yrdlib.evidence import VERDICTS, evidences_from_notebook


def run_notebook(name: str, out_dir: Path, **parameters) -> Path:
    out = Path(out_dir) / f"{name}.ipynb"
    pm.execute_notebook(str(config.NOTEBOOKS / f"{name}.ipynb"), str(out), kernel_name="yrd",
                        cwd=str(config.NOTEBOOKS), parameters=parameters, progress_bar=False)
    return out


def check_evidence(path: Path, expected: set[str] | list[str]) -> dict[str, dict]:
    """Every expected hypothesis recorded once, with a known verdict; a not-testable record
    names the missing data; an estimate is finite and inside its interval, or (NaN) marked
    inconclusive with the reason in the notes."""
    records = evidences_from_notebook(path)
    recs = {r["hypothesis"]: r for r in records}
    assert len(recs) == len(records), "a hypothesis was recorded twice"
    assert set(recs) == set(expected)
    for h, r in recs.items():
        assert r["verdict"] in VERDICTS, h
        if r["verdict"] == "not testable":
            assert r["missing_data"], h
            continue
        if r["estimate"] is None:
            assert r["verdict"] == "inconclusive" and r["notes"], h
            continue
        assert math.isfinite(r["estimate"]), h
        if r["kind"] == "estimate" and r["ci_low"] is not None:
            assert r["ci_low"] <= r["estimate"] <= r["ci_high"], h
    return recs
