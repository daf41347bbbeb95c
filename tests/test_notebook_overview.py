"""notebooks/data_overview.ipynb runs end to end for prefectures and for a county, and stops with
the resolver's message for an ambiguous name."""

from __future__ import annotations

import json

import nbformat
import papermill as pm
import pytest

from yrdlib import config

NOTEBOOK = config.NOTEBOOKS / "data_overview.ipynb"


def _run(tmp_path, focus, **params):
    out = tmp_path / "out.ipynb"
    pm.execute_notebook(str(NOTEBOOK), str(out), kernel_name="yrd", cwd=str(config.NOTEBOOKS),
                        parameters={"focus_region": focus, "start_year": 2015, "end_year": 2019,
                                    **params}, progress_bar=False)
    return nbformat.read(out, as_version=4)


def _outputs(nb):
    texts, images = [], 0
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            if o.get("output_type") == "error":
                raise AssertionError(f"{o['ename']}: {o['evalue']}")
            data = o.get("data", {})
            images += "image/png" in data
            texts.append(o.get("text", "") + json.dumps(data, ensure_ascii=False))
    return "\n".join(texts), images


def test_parameters_are_the_documented_four():
    from yrdlib.runner import contracts

    assert set(contracts.read_signature(NOTEBOOK).params) == {"focus_region", "start_year",
                                                              "end_year", "lang"}


@pytest.mark.parametrize("focus,name_zh,panels", [("台州", "台州", True), ("宁波", "宁波", True),
                                                  ("玉环", "玉环", False)])
def test_notebook_runs_for_focus(tmp_path, focus, name_zh, panels):
    text, images = _outputs(_run(tmp_path, focus))
    assert name_zh in text
    assert images >= 2  # coverage heatmap and map at least
    if panels:
        assert "against a YRD-41 median" in text
    else:
        assert "has no data in the prefecture-level panels" in text
        assert "Yuhuan 玉环" in text  # census figures are shown instead


def test_ambiguous_focus_fails_with_the_resolver_message(tmp_path):
    with pytest.raises(pm.PapermillExecutionError) as exc:
        _run(tmp_path, "Taizhou")
    assert "ambiguous" in str(exc.value)
    assert "331000" in str(exc.value) and "321200" in str(exc.value)


def test_years_outside_the_panel_fail_clearly(tmp_path):
    with pytest.raises(pm.PapermillExecutionError, match="outside the panel's range"):
        _run(tmp_path, "331000", start_year=1900)
