"""Every notebook as stored: no outputs (the runner makes them), the project's kernel, and one
parameters cell that the runner can read as a signature with help text for every parameter."""

import nbformat
import pytest

from yrdlib import config, contracts

NOTEBOOKS = sorted(config.NOTEBOOKS.glob("*.ipynb"))


def test_there_are_notebooks():
    assert {p.stem for p in NOTEBOOKS} >= {"data_overview", "s1_opening", "s2_city_tier",
                                           "s3_bay_area", "s4_industry", "p_paths",
                                           "yuhuan_profile", "scorecard"}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_saved_clean_with_one_documented_parameters_cell(path):
    nb = nbformat.read(path, as_version=4)
    assert nb.metadata["kernelspec"]["name"] == config.KERNEL_NAME
    assert all(not c.get("outputs") and not c.get("execution_count")
               for c in nb.cells if c.cell_type == "code")
    assert sum("parameters" in c.metadata.get("tags", []) for c in nb.cells) == 1
    sig = contracts.read_signature(path)
    assert sig.params and all(p.help for p in sig.params.values())


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_text_twin_in_step(path):
    """notebooks/text/<name>.py (py:percent, what a git diff shows) holds the same cells as the
    .ipynb the runner executes; `make sync` restores the pairing after an edit."""
    import jupytext

    twin = path.parent / "text" / f"{path.stem}.py"
    assert twin.exists(), f"{twin} missing: run `make sync`"
    a = nbformat.read(path, as_version=4)
    b = jupytext.read(twin)
    cells = lambda nb: [(c.cell_type, c.source.strip()) for c in nb.cells]  # noqa: E731
    assert cells(a) == cells(b), f"{path.name} and {twin.name} differ: run `make sync`"
