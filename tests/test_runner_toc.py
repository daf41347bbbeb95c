"""The report's table of contents comes from the notebook's own headings, escaped."""

from yrdlib.report.html import table_of_contents


def test_toc_lists_h2_and_h3_with_their_anchors_and_plain_text():
    page = ('<h1 id="t">Title</h1>'
            '<h2 id="S1.a-%E5%AE%81">S1.a 宁波<a class="anchor-link" href="#S1.a">¶</a></h2>'
            '<p>x</p><h3 id="fig">Figure &amp; table</h3><h2>no anchor</h2>'
            '<h2 id="x">&lt;script&gt;alert(1)&lt;/script&gt;</h2>')
    toc = table_of_contents(page)
    assert [(t["level"], t["anchor"], t["text"]) for t in toc] == [
        (2, "S1.a-%E5%AE%81", "S1.a 宁波"), (3, "fig", "Figure & table"),
        (2, "x", "<script>alert(1)</script>")]  # unescaped here, escaped again by the template


def test_toc_text_is_escaped_in_the_rendered_header():
    from yrdlib.report.html import render

    out = render("report_header.html.j2", title="t", job_id="j", parameters={}, claims=[],
                 hypotheses=[], tables=[], error=None,
                 toc=[{"level": 2, "anchor": "x", "text": "<script>alert(1)</script>"}])
    assert "<script>alert(1)</script>" not in out and "&lt;script&gt;" in out


def test_markdown_outputs_keep_their_syntax_and_lose_scripts():
    import nbformat

    from yrdlib.report.html import clean_outputs

    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("")
    cell.outputs = [nbformat.v4.new_output(
        "display_data", data={"text/markdown": "> 台州 & 泰州\n\n<script>alert(1)</script>",
                              "text/plain": "x"})]
    nb.cells.append(cell)
    clean_outputs(nb)
    html = cell.outputs[0]["data"]["text/html"]
    assert "<blockquote>" in html and "台州 &amp; 泰州" in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "text/markdown" not in cell.outputs[0]["data"]
