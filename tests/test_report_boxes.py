"""Verdict boxes carry classes, not inline styles, and keep them through the report sanitiser."""

from __future__ import annotations

import nbformat

from yrdlib.report.boxes import claim_html, evidence_html, vclass
from yrdlib.report.html import clean_outputs

EV = {"hypothesis": "S1.b", "verdict": "contradicted", "title_zh": "开放度 <b>", "title_en": "Openness",
      "estimate": -0.31, "ci_low": -0.5, "ci_high": -0.1, "p_value": 0.0002, "n": 3120,
      "unit": "pp", "method": "did2s", "reason_zh": "方向相反", "reason_en": "opposite"}


def test_boxes_use_classes_and_survive_the_sanitiser():
    box = evidence_html(EV)
    claim = claim_html({"claim": "S1", "verdict": "inconclusive", "title_zh": "开放",
                        "title_en": "Opening", "reason_zh": "r", "reason_en": "r"}, [EV], "规则", "rule")
    for html in (box, claim):
        assert "style=" not in html
    assert "yrd-v-contradicted" in box and "yrd-v-inconclusive" in claim
    assert "<0.001" not in box and "&lt;0.001" in box and "&lt;b&gt;" in box
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("")
    cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": box + claim})]
    nb.cells.append(cell)
    clean_outputs(nb)
    kept = cell.outputs[0]["data"]["text/html"]
    assert 'class="yrd-box yrd-evidence yrd-v-contradicted"' in kept
    assert 'class="yrd-box yrd-claimbox yrd-v-inconclusive"' in kept


def test_vclass_names_every_verdict():
    assert [vclass(v) for v in ("supported", "not testable", "NOT_TESTABLE", None)] == [
        "yrd-v-supported", "yrd-v-not-testable", "yrd-v-not-testable", "yrd-v-unknown"]


def test_stylesheet_styles_every_verdict_class_and_has_phone_and_print_rules():
    from yrdlib.report.html import css

    sheet = css()
    for v in ("supported", "contradicted", "inconclusive", "not-testable"):
        assert f".yrd-box.yrd-v-{v}" in sheet and f".yrd-v-{v} .yrd-badge" in sheet
    assert "@media (max-width: 640px)" in sheet and "@media print" in sheet


def _specificity(selector: str) -> tuple[int, int, int]:
    """(ids, classes/attributes/pseudo-classes, elements) of one simple CSS selector."""
    import re as _re

    s = _re.sub(r"::?[\w-]+(\([^)]*\))?", lambda m: " .p " if not m.group(0).startswith("::")
                else " ", selector)
    ids = len(_re.findall(r"#[\w-]+", s))
    classes = len(_re.findall(r"\.[\w-]+|\[[^\]]*\]", s))
    elements = len(_re.findall(r"(?:^|[\s>+~])([a-zA-Z][\w-]*)", s))
    return ids, classes, elements


def test_the_facts_grid_beats_jupyterlabs_floated_description_lists_on_a_rendered_page():
    """JupyterLab's stylesheet floats dt/dd inside output areas (.jp-OutputArea-output dl/dt/dd);
    a weaker selector for the evidence box's grid let it win, and a wrapped label shifted every
    later row into the wrong column. On the page as rendered, the box's rules must win."""
    import re

    import nbformat

    from yrdlib.report.html import css, inject, notebook_html

    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_code_cell("x", outputs=[nbformat.v4.new_output(
        "display_data", data={"text/html": '<dl class="yrd-facts"><dt>a</dt><dd>b</dd></dl>'})]))
    page = inject(notebook_html(nb, title="t"), head=f"<style>{css()}</style>")  # as report_html
    sheet = "\n".join(re.findall(r"<style[^>]*>(.*?)</style>", page, re.S))
    rules = [(sel.strip(), m.group(2), m.start()) for m in re.finditer(r"([^{}]+)\{([^}]*)\}", sheet)
             for sel in m.group(1).split(",")]

    def winner(prop: str, target: str):
        """The rule setting ``prop`` on ``target`` (dl, dt or dd of the facts list) that wins."""
        cands = [(_specificity(s), pos, body) for s, body, pos in rules
                 if re.search(rf"(^|;|\s){prop}\s*:", body)
                 and (re.search(rf"\.jp-OutputArea-output {target}$", s)
                      or re.search(rf"yrd-facts( > )?{'' if target == 'dl' else target}$",
                                   s.replace("dl.yrd-facts", "yrd-facts")))]
        return max(cands)[2] if cands else ""

    assert "grid" in winner("display", "dl")
    for target in ("dt", "dd"):
        assert re.search(r"float\s*:\s*none", winner("float", target)), target
