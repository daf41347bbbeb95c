"""Helpers shared by the notebook tests: run a notebook the way the runner does (papermill, the
project's kernel, the notebooks folder as working directory) and check the evidence it recorded."""

from __future__ import annotations

import math
from pathlib import Path

import papermill as pm

from yrdlib import config
from yrdlib.evidence import VERDICTS, evidences_from_notebook
from yrdlib.report.html import is_bare_repr

# notebooks with their own end-to-end test (each run also checks that only analysis reaches the
# page); tests/test_report_notebooks.py executes the others
END_TO_END = {"s1_opening", "s2_city_tier", "s3_bay_area", "s4_industry", "p_paths",
              "yuhuan_profile", "data_overview"}


def run_notebook(name: str, out_dir: Path, **parameters) -> Path:
    """Execute like the runner does, then check that nothing but the analysis reached the page
    (no stderr, no warning, no bare repr)."""
    import nbformat

    out = Path(out_dir) / f"{name}.ipynb"
    pm.execute_notebook(str(config.NOTEBOOKS / f"{name}.ipynb"), str(out), kernel_name="yrd",
                        cwd=str(config.NOTEBOOKS), parameters=parameters, progress_bar=False)
    found = problems(nbformat.read(out, as_version=4))
    assert not found, "\n".join(found)
    return out


def problems(nb) -> list[str]:
    out = []
    for i, cell in enumerate(nb.cells):
        for o in cell.get("outputs", []):
            where = f"cell {i} ({cell.source.splitlines()[0][:60] if cell.source else ''!r})"
            if o.get("output_type") == "stream" and o.get("name") == "stderr":
                out.append(f"{where}: stderr: {o.get('text', '')[:200]!r}")
                continue
            text = "".join(o.get("text", "")) if o.get("output_type") == "stream" else ""
            if "Warning:" in text or "warnings.warn" in text:
                out.append(f"{where}: a warning printed to stdout: {text[:200]!r}")
            data = o.get("data") or {}
            if o.get("output_type") in ("execute_result", "display_data") and data and \
                    set(data) <= {"text/plain"} and is_bare_repr("".join(data["text/plain"])):
                out.append(f"{where}: bare repr: {''.join(data['text/plain'])[:200]!r}")
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
