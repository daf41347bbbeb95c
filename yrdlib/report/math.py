"""Formulas without a network: ``$...$`` and ``$$...$$`` in Markdown become MathML when the report
is rendered (latex2mathml, pure Python). MathML is drawn natively by current Chromium, Firefox and
Safari, so a report opened from ``file://`` shows formulas with no script and no CDN. A formula
latex2mathml cannot parse stays visible as code, never as raw TeX between dollar signs.
"""

from __future__ import annotations

import html
import re

# MathML elements and attributes the sanitiser must let through
MATHML_TAGS = {
    "math", "semantics", "annotation", "mrow", "mi", "mn", "mo", "mtext", "mspace", "ms", "msub",
    "msup", "msubsup", "mfrac", "msqrt", "mroot", "mover", "munder", "munderover", "mtable",
    "mtr", "mtd", "mstyle", "mpadded", "mphantom", "menclose", "mfenced", "merror",
}
MATHML_ATTRS = ["display", "xmlns", "mathvariant", "stretchy", "fence", "separator", "lspace",
                "rspace", "accent", "accentunder", "columnalign", "rowalign", "columnspacing",
                "rowspacing", "width", "height", "depth", "linethickness", "notation", "encoding",
                "minsize", "maxsize", "movablelimits", "symmetric", "form", "displaystyle",
                "scriptlevel"]

# code spans/blocks are left alone; then $$…$$ (may span lines), then $…$ (one line, not \$)
_CODE = re.compile(r"(```.*?```|~~~.*?~~~|`[^`\n]+`)", re.S)
_DISPLAY = re.compile(r"\$\$(.+?)\$\$", re.S)
_INLINE = re.compile(r"(?<![\\$\w])\$(?=\S)([^$\n]+?)(?<=\S)\$(?![\w$])")
_ENV = re.compile(r"\\begin\{(equation|align)\*?\}(.+?)\\end\{\1\*?\}", re.S)


def to_mathml(tex: str, *, display: bool = False) -> str:
    """MathML for one TeX formula; on a parse error, the TeX as escaped code."""
    from latex2mathml.converter import convert

    tex = tex.strip()
    try:
        return convert(tex, display="block" if display else "inline")
    except Exception:  # noqa: BLE001 - any parse failure: show the source as code, not as $…$
        return f"<code>{html.escape(tex)}</code>"


def _convert_math(text: str) -> str:
    text = _ENV.sub(lambda m: "\n\n" + to_mathml(m.group(2).replace("&", ""), display=True) + "\n\n",
                    text)
    text = _DISPLAY.sub(lambda m: "\n\n" + to_mathml(m.group(1), display=True) + "\n\n", text)
    return _INLINE.sub(lambda m: to_mathml(m.group(1)), text)


def markdown_math(text: str) -> str:
    """Replace the formulas of a Markdown text by MathML, leaving code spans and blocks as they
    are; ``\\$`` stays a dollar sign."""
    if "$" not in text and "\\begin{" not in text:
        return text
    parts = _CODE.split(text)
    return "".join(p if i % 2 else _convert_math(p) for i, p in enumerate(parts))


def has_raw_tex(text: str) -> bool:
    """True when ``text`` (HTML) still shows a formula between dollar signs to the reader."""
    plain = re.sub(r"<(code|pre|script|style)\b.*?</\1>", "", text, flags=re.S)
    plain = re.sub(r"<[^>]+>", "", plain)
    return bool(_DISPLAY.search(plain) or re.search(r"(?<![\\\w])\$[^$\n]*\\[A-Za-z]+[^$\n]*\$",
                                                     plain) or re.search(r"\$[^$\n]*[_^]\{", plain))


def notebook_math(nb) -> None:
    """Convert the formulas of every Markdown cell and Markdown output of ``nb`` in place."""
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "markdown":
            cell["source"] = markdown_math("".join(cell["source"]) if isinstance(cell["source"], list)
                                           else cell["source"])
        for out in cell.get("outputs", []) or []:
            data = out.get("data") or {}
            if "text/markdown" in data:
                val = data["text/markdown"]
                data["text/markdown"] = markdown_math("".join(val) if isinstance(val, list) else val)
