"""The methods appendix of a run (``reports/<run id>/methods.html``, issue 26): what a referee
reads in one place — per test the estimator, the sample, the treatment timing, the inference,
the verdict rule and its calibration, and the references.

Generated from the claim registry (``yrdlib/claims/registry``) and the run's own evidence
records, so it cannot drift from what ran; the verdict rule and the references are the sections
of docs/methods.md (rendered with markdown-it), the calibration is the committed
docs/calibration/summary.csv when it exists.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from yrdlib import config, evidence
from yrdlib.claims import registry
from yrdlib.claims.calibration import published_summary

__all__ = ["methods_html", "write_methods"]

_CSS = ("body{font-family:system-ui,'Noto Sans CJK SC',sans-serif;max-width:60rem;margin:2rem auto;"
        "padding:0 1rem;line-height:1.5}table{border-collapse:collapse}td,th{border:1px solid #bbb;"
        "padding:.25rem .5rem;vertical-align:top;text-align:left}th{background:#f3f3f3}"
        ".meta{color:#555;font-size:.9em}")


def _section(md: str, heading: str) -> str:
    """The text under ``heading`` (a markdown heading line's text) up to the next heading of the
    same or a higher level; '' when absent."""
    lines = md.splitlines()
    for i, line in enumerate(lines):
        m = re.match(r"^(#+)\s+(.*)$", line)
        if m and m.group(2).strip().startswith(heading):
            level = len(m.group(1))
            out = []
            for nxt in lines[i + 1:]:
                n = re.match(r"^(#+)\s", nxt)
                if n and len(n.group(1)) <= level:
                    break
                out.append(nxt)
            return "\n".join(out).strip()
    return ""


def _md(text: str) -> str:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False}).enable("table").render(text)


def _timing(ev: dict) -> str:
    """Treatment timing of a DiD record: the cohorts and the timing convention its sample names."""
    if "did2s" not in (ev.get("method") or ""):
        return "— (not a treatment-effect estimate)"
    m = re.search(r"\(([^()]*first treated year[^()]*)\)", ev.get("sample") or "")
    return m.group(1) if m else "see the sample"


def _calibration_html(hid: str, summary) -> str:
    if summary is None:
        return ("<p>Calibration: no committed summary (docs/calibration/summary.csv is absent; "
                "<code>yrd calibrate</code> writes it).</p>")
    row = summary[summary["hypothesis"] == hid]
    if row.empty:
        return "<p>Calibration: this test is not among the calibrated pooled causal tests.</p>"
    r = row.iloc[0]
    cells = [("size (false verdicts under placebo assignments)", r.get("size")),
             *[(f"power at {c.split('_')[1]}", r[c]) for c in row.columns if c.startswith("power_")],
             *[(f"verdict, effect planted on the actual assignment at {c.split('_')[1]}", r[c])
               for c in row.columns if c.startswith("actual_")]]
    body = "".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(_fmt(v))}</td></tr>"
                   for k, v in cells)
    cur = bool(r.get("current_data", False))
    return (f"<p>Calibration on the real panel ({int(r.get('placebo_runs', 0))} placebo runs; "
            + ("computed on this run's data version" if cur else
               "computed on an earlier data version") + "):</p><table>" + body + "</table>")


def _fmt(v) -> str:
    if isinstance(v, float):
        return f"{v:.3g}"
    return "" if v is None else str(v)


def methods_html(job_rows: list[dict], run_id: str, *, methods_md: str | None = None,
                 calibration=None) -> str:
    """The appendix page. ``job_rows``: the run's jobs (``notebook``, ``hypotheses`` = evidence
    records); every hypothesis of the registry claims those notebooks present is listed, with
    the run's record when there is one. ``methods_md``: docs/methods.md text (read when None);
    ``calibration``: the published summary (read when None)."""
    if methods_md is None:
        p = config.ROOT / "docs" / "methods.md"
        methods_md = p.read_text(encoding="utf-8") if p.exists() else ""
    if calibration is None:

        try:
            calibration = published_summary()
        except (OSError, ValueError):
            calibration = None
    e = html.escape
    records: dict[str, dict] = {}
    notebooks = []
    for r in job_rows:
        nb = Path(r.get("notebook") or "").stem
        if nb and nb not in notebooks:
            notebooks.append(nb)
        for ev in r.get("hypotheses") or []:
            records.setdefault(ev.get("hypothesis"), ev)
    claims = [c for nb in notebooks for c in registry.for_notebook(nb)]
    parts = [f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Methods "
             f"appendix · 方法附录 — run {e(run_id)}</title><style>{_CSS}</style></head><body>",
             f"<h1>方法附录 Methods appendix</h1><p class=\"meta\">run <code>{e(run_id)}</code> · "
             "generated from the claim registry and this run's evidence records "
             "(<a href=\"index.html\">index</a>, <a href=\"evidence.csv\">evidence.csv</a>)</p>",
             "<nav><ol>" + "".join(f"<li><a href=\"#{e(h.id)}\">{e(h.id)}</a> {e(h.title_en)}</li>"
                                   for c in claims for h in c.hypotheses) + "</ol></nav>"]
    for c in claims:
        parts.append(f"<h2>{e(c.id)} {e(c.title_zh)} — {e(c.title_en)}</h2>")
        for h in c.hypotheses:
            ev = records.get(h.id)
            kind = ("core test" if h.core else "test") if h.is_test else "description"
            rows = [("kind", f"{kind}; expected direction {h.expected or '—'}"),
                    ("statement", h.statement_en), ("function", h.function)]
            if ev:
                rows += [("estimator / method", ev.get("method") or "—"),
                         ("sample", ev.get("sample") or "—"),
                         ("treatment timing", _timing(ev)),
                         ("inference", ev.get("inference") or "the 95 % interval of the method"),
                         ("unit", ev.get("unit") or "—"),
                         ("verdict in this run", f"{ev.get('verdict', '')}: {ev.get('reason_en', '')}"),
                         ("data vintage", ev.get("data_vintage") or "—")]
            else:
                rows.append(("this run", "no record (the job failed or did not compute it)"))
            parts.append(f"<h3 id=\"{e(h.id)}\">{e(h.id)} {e(h.title_en)}</h3><table>"
                         + "".join(f"<tr><th>{e(k)}</th><td>{e(str(v))}</td></tr>" for k, v in rows)
                         + "</table>")
            if ev and "did2s" in (ev.get("method") or ""):
                parts.append(_calibration_html(h.id, calibration))
    rule = _section(methods_md, "The verdict rule")
    refs = _section(methods_md, "References")
    parts.append("<h2 id=\"verdict-rule\">The verdict rule · 判定规则</h2>"
                 + (_md(rule) if rule else f"<pre>{e(_judge_doc())}</pre>"))
    parts.append("<h2 id=\"references\">References · 参考文献</h2>"
                 + (_md(refs) if refs else "<p>See docs/methods.md.</p>"))
    parts.append("</body></html>\n")
    return "\n".join(parts)


def _judge_doc() -> str:

    return evidence.judge.__doc__ or ""


def write_methods(run_dir: str | Path, job_rows: list[dict], run_id: str) -> Path:
    """Write ``methods.html`` into the run folder."""
    p = Path(run_dir) / "methods.html"
    p.write_text(methods_html(job_rows, run_id), encoding="utf-8")
    return p
