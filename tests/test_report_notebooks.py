"""Nothing but the analysis reaches the page: every notebook in notebooks/ is executed and no
output may be a stream to stderr, a warning, or a bare text/plain repr of a DataFrame or an
object (a table must come with HTML, through yrdlib.report.tables)."""

from __future__ import annotations

import pytest
from nbtools import END_TO_END, problems

from yrdlib import config

# every notebook is executed once: those with their own end-to-end test are checked there (the
# check is part of nbtools.run_notebook); the rest are executed here
NOTEBOOKS = sorted(p.stem for p in config.NOTEBOOKS.glob("*.ipynb") if p.stem not in END_TO_END)
# Notebooks whose own code still puts noise on the page; the reason is the lead's to fix (issue 11
# rewrites them). xfail(strict=False): the test reports them without failing the suite.
KNOWN: dict[str, str] = {}


@pytest.mark.slow
@pytest.mark.parametrize("name", [
    pytest.param(n, marks=pytest.mark.xfail(strict=False, reason=KNOWN[n])) if n in KNOWN else n
    for n in NOTEBOOKS])
def test_notebook_outputs_are_only_analysis(name, tmp_path):
    import nbformat
    from nbtools import run_notebook

    out = run_notebook(name, tmp_path)
    nb = nbformat.read(out, as_version=4)
    found = problems(nb)
    assert not found, "\n".join(found)


def test_problems_detects_stderr_warnings_and_bare_reprs():
    import nbformat

    nb = nbformat.v4.new_notebook()
    c = nbformat.v4.new_code_cell("x")
    c.outputs = [
        nbformat.v4.new_output("stream", name="stderr", text="UserWarning: careful\n"),
        nbformat.v4.new_output("execute_result", data={"text/plain": "   a  b\n0  1  2\n1  3  4"},
                               execution_count=1),
        nbformat.v4.new_output("display_data", data={"text/plain": "<foo.Bar object at 0x7f00>"}),
        nbformat.v4.new_output("display_data", data={"text/plain": "x", "text/html": "<b>x</b>"}),
        nbformat.v4.new_output("stream", name="stdout", text="focus: 台州\n"),
    ]
    nb.cells.append(c)
    found = problems(nb)
    assert len(found) == 3 and "stderr" in found[0] and "bare repr" in found[1] + found[2]
