"""notebooks/data_overview.ipynb: its parameters, the context's refusals (without a kernel), and one
end-to-end run. The tables and figures themselves are tested in tests/test_overview.py."""

from __future__ import annotations

import json

import nbformat
import pytest
from nbtools import run_notebook

from yrdlib import config
from yrdlib.claims import context

NOTEBOOK = config.NOTEBOOKS / "data_overview.ipynb"
PARAMS = {"focus_region": "331000", "start_year": 2015, "end_year": 2019, "lang": "both"}


def test_parameters_are_the_documented_four():
    from yrdlib import contracts

    assert set(contracts.read_signature(NOTEBOOK).params) == set(PARAMS)


def test_context_resolves_a_county_focus_to_its_prefecture():
    ctx = context.setup("data_overview", {**PARAMS, "focus_region": "玉环"})
    assert ctx.focus.code == "331083" and ctx.code == "331000"
    assert ctx.years == (2015, 2019)


def test_ambiguous_focus_fails_with_the_resolver_message():
    with pytest.raises(ValueError, match="ambiguous") as exc:
        context.setup("data_overview", {**PARAMS, "focus_region": "Taizhou"})
    assert "331000" in str(exc.value) and "321200" in str(exc.value)


def test_years_outside_the_panel_fail_clearly():
    with pytest.raises(ValueError, match=r"start_year.*1900 is outside the data"):
        context.setup("data_overview", {**PARAMS, "start_year": 1900})


@pytest.mark.slow
def test_notebook_taizhou_end_to_end(tmp_path):
    nb = nbformat.read(run_notebook("data_overview", tmp_path, **PARAMS), as_version=4)
    texts, images = [], 0
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            assert o.get("output_type") != "error", f"{o.get('ename')}: {o.get('evalue')}"
            data = o.get("data", {})
            images += "image/png" in data
            texts.append(o.get("text", "") + json.dumps(data, ensure_ascii=False))
    text = "\n".join(texts)
    assert images == 4  # coverage, series breaks, focus against medians, YRD map
    assert "台州" in text and "against a YRD-41 median" in text
    assert "breaks detected" in text and "carry at least one flag" in text
    assert "Yuhuan 玉环" in text  # the census note
    # flag meanings come from yrdlib.vocab, in both languages
    assert "经审定的统计口径断点" in text and "reporting-basis break" in text
