"""Verdict boxes as HTML with CSS classes (no inline styles), so they survive the report's
sanitiser and take their look from one stylesheet (``yrdlib/runner/templates/report.css``):
colours per verdict, a layout that wraps at phone width, and a print style.

:func:`evidence_html` takes an evidence record (``Evidence.to_dict()``), :func:`claim_html` a
claim record plus its hypotheses' records; both return HTML and never change the records.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Mapping
from typing import Any

from yrdlib.vocab import VERDICT_ZH

USER_BADGE_ZH, USER_BADGE_EN = "用户数据 · 未经核实", "user data, unverified"


def user_data_text(rows) -> str:
    """One line per distinct user source: 'file: source text [flag] (n figures, years)'."""
    if not rows:
        return ""
    by: dict[tuple, list] = {}
    for r in rows:
        by.setdefault((r.get("file", ""), r.get("source", ""), r.get("flag", "")), []).append(r)
    out = []
    for (f, src, flag), rs in by.items():
        ys = sorted(int(r["year"]) for r in rs if r.get("year") is not None)
        span = f"{ys[0]}–{ys[-1]}" if ys and ys[0] != ys[-1] else (str(ys[0]) if ys else "")
        out.append(f"{f}: {src}" + (f" [{flag}]" if flag else "") + f" ({len(rs)} figures {span})")
    return "; ".join(out)


def vclass(verdict: Any) -> str:
    """CSS class of a verdict: ``yrd-v-supported``, ``yrd-v-not-testable`` ..."""
    v = str(verdict or "").strip().lower().replace("_", " ")
    return "yrd-v-" + (v if v in VERDICT_ZH else "unknown").replace(" ", "-")


def _fmt(x: Any, digits: int = 4) -> str:
    if x is None or x == "":
        return "—"
    if isinstance(x, bool):
        return str(x)
    if isinstance(x, int):
        return f"{x:,}"
    if isinstance(x, float):
        if not math.isfinite(x):
            return "—"
        return f"{x:,.{digits}g}" if abs(x) < 1e6 else f"{x:,.0f}"
    return str(x)


def _p(x: Any) -> str:
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "—"
    x = float(x)
    return "<0.001" if x < 0.001 else f"{x:.3f}"


def _badge(verdict: str, label_zh: str = "", label_en: str = "") -> str:
    h = html.escape
    lab = (f' · {h(label_zh)} <span class="yrd-en">{h(label_en)}</span>' if label_en else "")
    return (f'<span class="yrd-badge">{h(VERDICT_ZH.get(verdict, verdict))} · '
            f'<span class="yrd-en">{h(str(verdict).upper())}</span>{lab}</span>')


def _gate_html(rows: list) -> str:
    """The robustness rows of a causal test: which agree, which fail and why."""
    if not rows:
        return ""
    h = html.escape

    def ci(r):
        return "" if r.get("ci_low") is None else f"[{_fmt(r.get('ci_low'))}, {_fmt(r.get('ci_high'))}]"

    def role(r):
        return ('约束 <span class="yrd-en">binding</span>' if r.get("binding", True)
                else '参考 <span class="yrd-en">shown</span>')

    def mark(r):
        if "agrees" not in r:
            return ""
        if not r.get("binding", True):
            return "·" if r.get("agrees") else "○"
        return "✓" if r.get("agrees") else "✗"

    body = "".join(
        f"<tr><td>{h(str(r.get('name', '')))}</td><td>{role(r)}</td>"
        f"<td>{_fmt(r.get('estimate'))}</td><td>{ci(r)}</td>"
        f"<td>{h(str(r.get('why') or r.get('note') or ''))}</td>"
        f"<td class=\"{'yrd-fail' if r.get('binding', True) and not r.get('agrees', True) else ''}\">"
        f"{mark(r)}</td></tr>" for r in rows)
    return ('<div class="yrd-gate"><table><tr><th>检验 <span class="yrd-en">check'
            '</span></th><th>作用 <span class="yrd-en">role</span></th><th>估计 <span class="yrd-en">'
            'est.</span></th><th>95% 区间 <span class="yrd-en">95% interval</span></th>'
            '<th>说明 <span class="yrd-en">detail</span></th><th>一致 <span class="yrd-en">agrees'
            f'</span></th></tr>{body}</table></div>')


def _user_html(e: Mapping) -> str:
    """The user-data badge and the user's source text (empty when the record uses none)."""
    rows = e.get("user_data") or []
    if not rows:
        return ""
    h = html.escape
    test = e.get("role", "test") == "test"
    prov = "结论为暂定：依据未经核实的用户数据。" if test else ""
    prov_en = "Provisional: the verdict rests on unverified user data. " if test else ""
    return (f'<p class="yrd-note yrd-user"><span class="yrd-userbadge">{USER_BADGE_ZH} '
            f'<span class="yrd-en">{USER_BADGE_EN}</span></span> {h(prov)}'
            f'<span class="yrd-en">{h(prov_en)}</span>来源 Source: '
            f'{h(user_data_text(rows))}</p>')


def evidence_html(e: Mapping) -> str:
    """The verdict box of one hypothesis."""
    h = html.escape
    v = e.get("verdict", "")
    kind = e.get("kind")
    ci = "—" if kind == "fact" else f"[{_fmt(e.get('ci_low'))}, {_fmt(e.get('ci_high'))}]"
    rows = [  # raw text, escaped once below
        ("估计值", "Estimate", f"{_fmt(e.get('estimate'))} {e.get('unit') or ''}".strip()),
        (e.get("interval_zh") or ("95% 区间（基于设计）" if e.get("inference") else "95% 置信区间"),
         e.get("interval_en") or ("95% design-based interval" if e.get("inference") else "95% CI"),
         ci),
        ("原假设值", "Null", _fmt(e.get("null_value"))),
        ("p 值", "p-value", _p(e.get("p_value"))),
        ("样本量", "n", _fmt(e.get("n"))),
        ("预期方向", "Expected", str(e.get("expected") or "—")),
        ("方法", "Method", str(e.get("method") or "—")),
        ("样本", "Sample", str(e.get("sample") or "—")),
        ("数据版本", "Vintage", str(e.get("data_vintage") or "—")),
    ]
    if e.get("pretrend_p") is not None:
        rows.insert(4, ("事前趋势 p（参考）", "Pre-trend p (shown)", _p(e.get("pretrend_p"))))
    if e.get("mde") is not None:
        rows.insert(4, ("最小可检出效应（80%）", "Min. detectable effect (80 %)",
                        f"{_fmt(e.get('mde'))} {e.get('unit') or ''}".strip()))
    if e.get("inference"):
        rows.insert(6, ("推断", "Inference", str(e["inference"])))
    body = "".join(f'<dt>{zh} <span class="yrd-en">{en}</span></dt><dd>{h(val)}</dd>'
                   for zh, en, val in rows)
    notes = f'<p class="yrd-note">{h(str(e["notes"]))}</p>' if e.get("notes") else ""
    if e.get("sample_note_zh") or e.get("sample_note_en"):
        notes += (f'<p class="yrd-note">样本说明：{h(str(e.get("sample_note_zh") or ""))}<br>'
                  f'<span class="yrd-en">Sample note: {h(str(e.get("sample_note_en") or ""))}'
                  "</span></p>")
    notes += _gate_html(e.get("sensitivity") or [])
    notes = _user_html(e) + notes
    return (
        f'<div class="yrd-box yrd-evidence {vclass(v)}">'
        f'<div class="yrd-box-head"><span class="yrd-id">{h(str(e.get("hypothesis", "")))}</span> '
        f"{_badge(v, e.get('label_zh') or '', e.get('label_en') or '')}"
        + (' <span class="yrd-provisional">暂定 <span class="yrd-en">provisional</span></span>'
           if e.get("provisional") else "") + "</div>"
        f'<p class="yrd-box-title"><strong>{h(str(e.get("title_zh", "")))}</strong><br>'
        f'<span class="yrd-en">{h(str(e.get("title_en", "")))}</span></p>'
        f'<dl class="yrd-facts">{body}</dl>'
        + (f'<p class="yrd-finding"><strong>{h(str(e.get("finding_zh") or ""))}</strong><br>'
           f'<span class="yrd-en">{h(str(e.get("finding_en") or ""))}</span></p>'
           if e.get("finding_en") else "")
        + f'<p class="yrd-reason">理由：{h(str(e.get("reason_zh", "")))}<br>'
        f'<span class="yrd-en">Reason: {h(str(e.get("reason_en", "")))}</span></p>{notes}</div>'
    )


def claim_html(rec: Mapping, evidences: Iterable[Mapping], rule_zh: str = "",
               rule_en: str = "") -> str:
    """The verdict box of a claim: its verdict, its hypotheses' verdicts, the reason and rule."""
    h = html.escape
    v = rec.get("verdict", "")
    core = set(rec.get("core") or [])
    items = "".join(
        f'<li class="{vclass(e.get("verdict"))}">'
        f'<span class="yrd-id">{h(str(e.get("hypothesis", "")))}</span> '
        + ('<span class="yrd-core">核心 core</span> ' if e.get("hypothesis") in core else "")
        + ('<span class="yrd-userbadge">用户数据 · 未经核实 <span class="yrd-en">user data, '
           'unverified</span></span> ' if e.get("user_data") else "")
        + f'{_badge(e.get("verdict", ""), e.get("label_zh") or "", e.get("label_en") or "")} '
        f'{h(str(e.get("title_zh", "")))} '
        f'<span class="yrd-en">{h(str(e.get("title_en", "")))}</span></li>'
        for e in evidences)
    rule = (f'<p class="yrd-rule">{h(rule_zh)}<br><span class="yrd-en">{h(rule_en)}</span></p>'
            if rule_zh or rule_en else "")
    return (
        f'<div class="yrd-box yrd-claimbox {vclass(v)}">'
        f'<div class="yrd-box-head"><span class="yrd-id">{h(str(rec.get("claim", "")))}</span> '
        f"{_badge(v)}"
        + (' <span class="yrd-provisional">暂定 <span class="yrd-en">provisional: rests on '
           'unverified user data</span></span>' if rec.get("provisional") else "") + "</div>"
        f'<p class="yrd-box-title"><strong>{h(str(rec.get("title_zh", "")))}</strong><br>'
        f'<span class="yrd-en">{h(str(rec.get("title_en", "")))}</span></p>'
        f'<ul class="yrd-hyps">{items}</ul>'
        f'<p class="yrd-reason">{h(str(rec.get("reason_zh", "")))}<br>'
        f'<span class="yrd-en">{h(str(rec.get("reason_en", "")))}</span></p>{rule}</div>'
    )
