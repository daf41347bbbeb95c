"""Self-contained HTML: one report per notebook (code hidden by default) and the run index.

Everything the runner itself writes goes through a jinja2 environment with autoescape, so text
from data or parameters (a region name, a parameter value) can never inject markup. Notebook
outputs are rendered by nbconvert with ``sanitize_html`` on; images are embedded as data URIs
and the stock template's CDN scripts (MathJax, require.js, mermaid) are dropped so a report opens
offline.
"""

from __future__ import annotations

import copy
import html
import math
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from yrdlib.report import interactive
from yrdlib.report.downloads import embed
from yrdlib.report.interactive import page_scripts
from yrdlib.report.math import MATHML_ATTRS, MATHML_TAGS, notebook_math
from yrdlib.report.run_evidence import VERDICTS, verdict_key
from yrdlib.report.tables import format_p
from yrdlib.report.zh import zh_page

TEMPLATES = Path(__file__).parents[1] / "runner" / "templates"  # shared with the runner's pages


@lru_cache(maxsize=1)
def env():
    import jinja2

    e = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)),
                           autoescape=True, undefined=jinja2.ChainableUndefined)
    return e


def css() -> str:
    return (TEMPLATES / "report.css").read_text(encoding="utf-8")


def _num(v: Any, digits: int = 3) -> str:
    if v is None or v == "":
        return ""
    try:
        f = float(v)
    except (TypeError, ValueError):
        return str(v)
    if math.isnan(f):
        return ""
    s = f"{f:.{digits}g}"
    if "e" in s and math.isfinite(f):  # never e-notation for a reader
        s = f"{f:,.0f}" if abs(f) >= 1 else f"{f:.{digits - 1 - math.floor(math.log10(abs(f)))}f}"
    return s


def decorate(items: list[dict]) -> list[dict]:
    """Add display fields (verdict labels, formatted numbers) to evidence dicts."""
    out = []
    for it in items:
        d = dict(it)
        k = verdict_key(d.get("verdict"))
        d["vkey"] = k
        d["vzh"], d["ven"] = VERDICTS.get(k, (str(d.get("verdict", "")), ""))
        if d.get("label_en"):  # a description shows its descriptive label, never a verdict
            d["vzh"] = f"{d['vzh']}：{d.get('label_zh') or ''}"
            d["ven"] = f"{d['ven']}: {d['label_en']}"
        if d.get("provisional") or d.get("user_data"):  # rests on unverified user data
            d["vzh"] = f"{d['vzh']}（暂定·用户数据未经核实）"
            d["ven"] = f"{d['ven']} (provisional: user data, unverified)"
        est, lo, hi = _num(d.get("estimate")), _num(d.get("ci_low")), _num(d.get("ci_high"))
        d["estimate_txt"] = est + (f" [{lo}, {hi}]" if lo or hi else "")
        d["p_txt"] = "" if d.get("p_value") in (None, "") else format_p(d.get("p_value"))
        out.append(d)
    return out


def render(template: str, **ctx) -> str:
    return env().get_template(template).render(**ctx)


_ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "del",
    "details", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5",
    "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "small",
    "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead",
    "tr", "u", "ul",
}
_ALLOWED_ATTRS = ["class", "id", "title", "align", "colspan", "rowspan", "border", "width",
                  "height", "alt", "src", "href", "scoped", "lang", "dir"]


_STYLE_RE = re.compile(r"<style\b[^>]*>.*?</style\s*>", re.I | re.S)
_DATA_IMAGE_RE = re.compile(r"data:image/(png|jpeg|jpg|gif|webp|svg\+xml)[;,]", re.I)


def _attr_ok(names: set[str]):
    """bleach attribute filter: ``src`` only as an embedded image (a remote image would load
    from the network when the forwarded report is opened, and could track its reader); ``href``
    not as a ``data:`` URI unless it is an image (``data:text/html`` opens a page of its own)."""
    def ok(tag: str, name: str, value: str) -> bool:
        if name not in names:
            return False
        v = "".join(value.split()).lower()
        if name == "src":
            return bool(_DATA_IMAGE_RE.match(v))
        if name == "href" and v.startswith("data:"):
            return bool(_DATA_IMAGE_RE.match(v))
        return True
    return ok


def clean_outputs(nb) -> None:
    """Sanitise HTML/Markdown *outputs* (which can carry parameter or data text) in place:
    disallowed tags such as <script> are escaped, event-handler attributes and javascript:
    links dropped, ``<style>`` blocks removed with their content (they would restyle the whole
    report), images only as embedded data, no ``data:`` links but images, so the report opens
    offline and is safe to forward. Markdown cells written by the notebook's authors are left
    alone."""
    import bleach
    from nbconvert.filters.markdown import markdown2html

    tags = _ALLOWED_TAGS | MATHML_TAGS
    attrs = _ALLOWED_ATTRS + MATHML_ATTRS + ["data-label"]

    attr_ok = _attr_ok(set(attrs))

    def clean(val: str) -> str:
        return bleach.clean(_STYLE_RE.sub("", val), tags=tags, attributes=attr_ok,
                            protocols=["http", "https", "mailto", "data"], strip=False,
                            strip_comments=True)

    for cell in nb.get("cells", []):
        for out in cell.get("outputs", []) or []:
            data = out.get("data") or {}
            for mime in ("text/html", "text/markdown"):
                if mime not in data:
                    continue
                val = data[mime]
                val = "".join(val) if isinstance(val, list) else str(val)
                if mime == "text/markdown":
                    # render first, then clean the HTML: cleaning Markdown source would escape
                    # its syntax ('>' of a blockquote, '&') into literal text
                    del data[mime]
                    if "text/html" not in data:
                        data["text/html"] = clean(markdown2html(val))
                else:
                    data[mime] = clean(val)


def notebook_html(nb, *, show_code: bool = False, title: str = "report") -> str:
    """nbconvert HTML of an executed notebook: lab look, images embedded, code hidden unless
    ``show_code``. (papermill's report_mode only hides inputs in JupyterLab, not in nbconvert.)"""
    from nbconvert import HTMLExporter

    exp = HTMLExporter(
        template_name="yrd_lab",
        extra_template_basedirs=[str(TEMPLATES)],
        exclude_input=not show_code,
        exclude_input_prompt=not show_code,
        exclude_output_prompt=not show_code,
        embed_images=True,
        sanitize_html=False,  # nbconvert 7.17's sanitizer escapes rendered markdown; see clean_outputs
        language_code="zh-CN",
    )

    nb = copy.deepcopy(nb)
    drop_noise(nb)
    figure_alt(nb, title)
    notebook_math(nb)
    clean_outputs(nb)
    interactive.render_outputs(nb)  # after the sanitiser: our own markup, spec escaped
    nb.metadata["title"] = title
    body, _ = exp.from_notebook_node(nb)
    return body


def figure_alt(nb, title: str = "") -> int:
    """Give every PNG output without alt text one from the heading of the section it sits in
    ('图 Figure: <heading>'), so a screen reader (and a page without images) says what the figure
    shows. Returns how many were set."""
    heading, n = title, 0
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.lstrip().startswith("#"):
                    heading = re.sub(r"[*_`]", "", line.lstrip("# ").strip())
                    break
            continue
        for out in cell.get("outputs", []):
            if "image/png" in out.get("data", {}):
                md = out.setdefault("metadata", {}).setdefault("image/png", {})
                if not md.get("alt"):
                    md["alt"] = f"图 Figure: {heading}"
                    n += 1
    return n


def drop_noise(nb) -> int:
    """Remove what is not analysis from the page (it stays in the executed notebook): stderr
    streams (warnings, progress bars) and outputs whose only content is a ``text/plain`` repr of
    an object. Returns how many outputs were removed."""
    removed = 0
    for cell in nb.get("cells", []):
        keep = []
        for out in cell.get("outputs", []) or []:
            if out.get("output_type") == "stream" and out.get("name") == "stderr":
                removed += 1
                continue
            data = out.get("data") or {}
            if out.get("output_type") in ("execute_result", "display_data") and data and \
                    set(data) <= {"text/plain"} and is_bare_repr("".join(data["text/plain"])):
                removed += 1
                continue
            keep.append(out)
        if "outputs" in cell:
            cell["outputs"] = keep
    return removed


_REPR = re.compile(r"^<[\w.]+ (object|at 0x)|^\s*\S.*\n\s*\d+\s+\S|^\[\d+ rows x \d+ columns\]|"
                   r"^(Axes|Figure|Text|Line2D)\(|^<(Figure|Axes)|^(dtype|Name): ", re.M)


def is_bare_repr(text: str) -> bool:
    """True for a plain-text repr a reader should not see: ``<x.Y object at 0x…>``, a
    DataFrame/Series printout, a matplotlib artist's repr."""
    t = text.strip()
    if not t:
        return False
    if re.match(r"^<[\w.]+( object)? at 0x[0-9a-f]+>$", t) or re.match(r"^<[\w. ]+>$", t):
        return True
    if re.match(r"^(\[)?<?matplotlib\.|^Text\(|^\[<matplotlib", t):
        return True
    if re.search(r"\[\d+ rows x \d+ columns\]|^(Name|dtype): ", t, re.M):
        return True
    lines = t.splitlines()
    # a DataFrame printout: a header line then lines starting with an index value and a number
    return len(lines) >= 2 and sum(bool(re.match(r"^\S+\s{2,}\S", ln)) for ln in lines[1:]) >= \
        max(1, len(lines) - 2)


def inject(page: str, *, head: str = "", top: str = "", bottom: str = "") -> str:
    """Insert our own (already escaped) HTML into an nbconvert page."""
    if head:
        page = page.replace("</head>", head + "\n</head>", 1)
    if top:
        m = re.search(r"<main[^>]*>|<body[^>]*>", page)
        page = page[: m.end()] + top + page[m.end():] if m else top + page
    if bottom:
        i = page.rfind("</main>")
        if i < 0:
            i = page.rfind("</body>")
        page = page[:i] + bottom + page[i:] if i >= 0 else page + bottom
    return page


_HEADING = re.compile(r'<h([23])[^>]*\bid="([^"]+)"[^>]*>(.*?)</h\1>', re.S)


def table_of_contents(page: str) -> list[dict]:
    """(level, anchor, text) of the h2/h3 headings nbconvert rendered from Markdown cells, in
    order; the heading text is stripped of tags (it is escaped again by the template)."""
    out = []
    for level, anchor, inner in _HEADING.findall(page):
        text = re.sub(r"<[^>]+>", "", inner).replace("¶", "").strip()
        text = html.unescape(text)
        if text:
            out.append({"level": int(level), "anchor": html.unescape(anchor), "text": text})
    return out


def report_html(nb, *, job_id: str, title: str, parameters: dict, claims: list[dict],
                hypotheses: list[dict], tables: list[dict], provenance: dict,
                error: str | None = None, show_code: bool = False,
                table_dir: str | Path | None = None) -> str:
    """One report page. ``table_dir``: where the job's exported tables are, so that they are
    embedded as data URIs (:mod:`yrdlib.report.downloads`)."""

    page = notebook_html(nb, show_code=show_code, title=title)
    if parameters.get("lang") == "zh":  # Chinese throughout: the boxes' English twins go
        page = zh_page(page)
    params_txt = {k: _short(v) for k, v in parameters.items()}
    page, titles = lift_title(page)  # the notebook's own title heads the page, once
    top = render("report_header.html.j2", title=title, titles=titles, lang=parameters.get("lang"),
                 job_id=job_id, parameters=params_txt,
                 claims=decorate(claims), hypotheses=decorate(hypotheses),
                 tables=embed(tables, table_dir), error=error, toc=table_of_contents(page))
    bottom = render("report_footer.html.j2", parameters=params_txt, lang=parameters.get("lang"),
                    **provenance)
    if "yrd-plotly-spec" in page:  # plotly.js from the run folder, once per page

        bottom += page_scripts()
    return inject(page, head=f"<style>{css()}</style>", top=top, bottom=bottom)


_H1_RUN = re.compile(r"(?:<h1\b[^>]*>.*?</h1>\s*)+", re.S | re.I)


def lift_title(page: str) -> tuple[str, list[str]]:
    """Take the notebook's first run of <h1> headings (its bilingual title) out of the body and
    return their texts, so the page shows its title once, at the top, in one typeface."""
    m = _H1_RUN.search(page)
    if not m:
        return page, []
    texts = [html.unescape(re.sub(r"<[^>]+>", "", h)).replace("¶", "").strip()
             for h in re.findall(r"<h1\b[^>]*>(.*?)</h1>", m.group(0), re.S | re.I)]
    return page[:m.start()] + page[m.end():], [t for t in texts if t]


def _short(v: Any) -> str:
    s = v if isinstance(v, str) else repr(v)
    return s if len(s) < 200 else s[:197] + "..."
