"""Formulas reach the reader as MathML, rendered offline; raw TeX never does."""

from __future__ import annotations

import nbformat

from yrdlib.report.html import notebook_html
from yrdlib.report.math import has_raw_tex, markdown_math


def test_inline_and_display_formulas_become_mathml_code_stays():
    src = (r"Linkage $R_{i,t} = k\sqrt{P\,G}/d^2$ and $$\beta = \frac{\ln y_T - \ln y_0}{T}$$"
           r" costs \$5; code `$x$` stays.")
    out = markdown_math(src)
    assert out.count("<math") == 2 and 'display="block"' in out and "<msqrt>" in out
    assert "`$x$`" in out and r"\$5" in out and r"\sqrt" not in out


def test_report_page_has_no_raw_tex():
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_markdown_cell(
        "## 引力模型 Gravity\n\n$R_{i,t} = \\sqrt{P\\,G}$, with $$\\sigma_t = sd(\\ln y_{i,t})$$"))
    cell = nbformat.v4.new_code_cell("")
    cell.outputs = [nbformat.v4.new_output("display_data", data={
        "text/markdown": "Estimate: $\\hat\\beta = 0.52$", "text/plain": "x"})]
    nb.cells.append(cell)
    page = notebook_html(nb)
    assert page.count("<math") >= 3 and "<msqrt>" in page
    body = page[page.find("<body"):]
    assert not has_raw_tex(body), "raw TeX reached the page"
    assert "mathjax" not in page.lower() or "cdn" not in page.lower()
