"""Report pages: the title once, figures with alt text (issue 20 defects)."""

import nbformat

from yrdlib.report.html import figure_alt, lift_title, notebook_html

PNG = ("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5E"
       "rkJggg==")


def _nb():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# 湾区 S3\n# S3 Bay area\n\ntext"),
                nbformat.v4.new_markdown_cell("## S3.c 份额 · The share"),
                nbformat.v4.new_code_cell("fig", outputs=[nbformat.v4.new_output(
                    "display_data", data={"image/png": PNG})])]
    return nb


def test_figures_get_alt_text_from_their_section():
    nb = _nb()
    assert figure_alt(nb) == 1
    assert nb.cells[2].outputs[0].metadata["image/png"]["alt"] == "图 Figure: S3.c 份额 · The share"
    page = notebook_html(_nb(), title="t")
    assert "No description has been provided" not in page
    assert 'alt="图 Figure: S3.c 份额 · The share"' in page


def test_title_is_lifted_once():
    page, titles = lift_title(notebook_html(_nb(), title="t"))
    assert titles == ["湾区 S3", "S3 Bay area"]
    assert "<h1" not in page and "<h2" in page
