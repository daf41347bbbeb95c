"""The claim notebooks' text (method, for/against, limitations) in the reader's language.

The text lives once in the claim registry (``narrative:`` of ``yrdlib/claims/registry/*.yml``,
each section with ``zh`` and ``en``), the role names in :data:`yrdlib.vocab.GLOSSARY`; a notebook
renders a section with one call, so ``lang=zh`` shows Chinese only, ``lang=en`` English only and
``both`` the two, and no notebook carries its own translation (issue 20).
"""

from __future__ import annotations

import html
import re

from yrdlib import vocab
from yrdlib.claims import registry


def _role(h: registry.Hypothesis) -> tuple[str, str]:
    key = "description" if not h.is_test else ("core" if h.core else "peripheral")
    zh, en, *_ = vocab.GLOSSARY[key]
    return zh, en


def heading(cid: str, section: str, lang: str = "both") -> str:
    """The section's heading as HTML with an anchor (the report's table of contents reads it):
    a hypothesis gets its registry title and role, another section its ``h_zh``/``h_en``."""
    c = registry.claim(cid)
    t = c.narrative.get(section) or {}
    if section in {h.id for h in c.hypotheses}:
        h = c.hypothesis(section)
        rz, re_ = _role(h)
        zh, en, anchor = f"{h.id} {h.title_zh}（{rz}）", f"{h.title_en} ({re_})", section
        if lang == "en":
            en = f"{h.id} {en}"
    elif t.get("h_zh") or t.get("h_en"):
        zh, en, anchor = t.get("h_zh", ""), t.get("h_en", ""), f"{cid}-{section}"
    else:
        return ""
    return (f'<h2 id="{html.escape(anchor)}">'
            f"{html.escape(vocab.label(zh, en, lang, sep=' · '))}</h2>")


def text(cid: str, section: str, lang: str = "both") -> str:
    """A section's Markdown (heading and body) in ``lang`` (zh, en or both: Chinese first)."""
    if lang not in vocab.LANGS:
        raise ValueError(f"lang must be one of {vocab.LANGS}, got {lang!r}")
    c = registry.claim(cid)
    if section not in c.narrative:
        raise KeyError(f"{cid}: no narrative section {section!r} in the registry; known: "
                       f"{', '.join(c.narrative)}")
    t = c.narrative[section]
    zh, en = t["zh"].strip(), t["en"].strip()
    zh = re.sub(r"(?<=[。；：）”])[ ]+(?=[\u3400-\u9fff*（“])", "", zh)  # folded YAML lines
    body = zh if lang == "zh" else en if lang == "en" else "\n\n".join(x for x in (zh, en) if x)
    head = heading(cid, section, lang)
    return "\n\n".join(x for x in (head, body) if x)


def narrative(cid: str, section: str, lang: str = "both"):
    """The section as an IPython Markdown object (a notebook displays it)."""
    from IPython.display import Markdown

    return Markdown(text(cid, section, lang))


def show(cid: str, section: str, lang: str = "both") -> None:
    """Display a section in the notebook (the one call a notebook makes per section)."""
    from IPython.display import display

    display(narrative(cid, section, lang))


def sections(cid: str) -> list[str]:
    """The claim's narrative sections, in registry order."""
    return list(registry.claim(cid).narrative)


# ------------------------------------------------------------------ a Chinese-only page
_EN_SPAN = re.compile(r'(?:<br\s*/?>\s*)?<(span|p|small)\b[^>]*\bclass="(?:[^"]*\s)?yrd-en(?:\s[^"]*)?"'
                      r"[^>]*>[^<]*</\1>", re.I)


_CJK = re.compile(r"[\u3400-\u9fff]")
_WORDS = re.compile(r"[A-Za-z]{3,}")
_FACTS = re.compile(r'<dl class="yrd-facts">(.*?)</dl>', re.S)
_PAIR = re.compile(r"<dt>(.*?)</dt><dd>(.*?)</dd>", re.S)
_NOTE = re.compile(r'<p class="yrd-note">((?:(?!</p>).)*)</p>', re.S)
_GATE = re.compile(r'<div class="yrd-gate">(.*?)</div>', re.S)
_GATE_ROW = re.compile(r"<tr><td>([^<]*)</td>(.*?)</tr>", re.S)
_WHY = [  # the detail column of a check row (yrdlib.evidence._row_agrees), in Chinese
    (re.compile(r"^estimate (\S+) on the other side$"), r"估计值 \1，方向相反"),
    (re.compile(r"^(\S+), same sign$"), r"\1，符号相同"),
    (re.compile(r"^pre-trend p = (.+)$"), r"事前趋势 p = \1"),
    (re.compile(r"^pre-trend test not computed$"), "事前趋势检验未计算"),
    (re.compile(r"^CI (\[.*\])(, p = .*)?$"), r"区间 \1\2"),
    (re.compile(r"^not computed$"), "未计算"),
    (re.compile(r"^not estimable$"), "无法估计"),
]
EN_RECORD = "yrd-record-en"
"""Class of the collapsed English originals of a Chinese page (the reader opens them on purpose)."""


def _english_only(text: str) -> bool:
    t = re.sub(r"<[^>]+>", "", html.unescape(text))
    return not _CJK.search(t) and bool(_WORDS.search(t))


def _fold(inner: str, summary: str = "英文技术记录（原文）") -> str:
    return (f'<details class="{EN_RECORD}" lang="en"><summary lang="zh-CN">{summary}</summary>'
            f"{inner}</details>")


def _facts_zh(m: re.Match) -> str:
    kept, moved = [], []
    for dt, dd in _PAIR.findall(m.group(1)):
        for en, zh in sorted(vocab.UNIT_ZH.items(), key=lambda kv: -len(kv[0])):
            if dd.endswith(" " + html.escape(en)):
                dd = dd[: -len(html.escape(en))] + html.escape(zh)
                break
        (moved if _english_only(dd) else kept).append(f"<dt>{dt.strip()}</dt><dd>{dd}</dd>")
    out = f'<dl class="yrd-facts">{"".join(kept)}</dl>'
    if moved:
        out += _fold(f'<dl class="yrd-facts">{"".join(moved)}</dl>',
                     "方法、样本与数据版本的英文原始记录")
    return out


def _gate_zh(m: re.Match) -> str:
    def row(r: re.Match) -> str:
        rest = r.group(2)
        cells = re.findall(r"<td([^>]*)>(.*?)</td>", rest, re.S)
        if len(cells) >= 4:
            why = html.unescape(cells[3][1])
            for pat, rep in _WHY:
                if pat.match(why):
                    why = pat.sub(rep, why)
                    break
            cells[3] = (cells[3][0], html.escape(why))
        body = "".join(f"<td{a}>{c}</td>" for a, c in cells)
        name = html.escape(vocab.check_zh(html.unescape(r.group(1))))
        return f"<tr><td>{name}</td>{body}</tr>"

    return f'<div class="yrd-gate">{_GATE_ROW.sub(row, m.group(1))}</div>'


def zh_page(page: str) -> str:
    """A report page for ``lang=zh``. The bilingual boxes' English twins (the ``yrd-en`` spans:
    titles, reasons, findings, labels) are dropped, since the Chinese beside each says the same;
    units and check names take their Chinese names from vocab; the record fields that exist in
    English only (method, sample, vintage and notes as the estimators write them) are folded into
    a closed element labelled as English originals, not deleted."""
    page = _EN_SPAN.sub("", page)
    page = _FACTS.sub(_facts_zh, page)
    page = _GATE.sub(_gate_zh, page)
    return _NOTE.sub(lambda m: _fold(m.group(0), "英文原注") if _english_only(m.group(1))
                     else m.group(0), page)


def claim_header(cid: str, lang: str = "both") -> str:
    """The claim's header as Markdown: title, the article's quote and the hypotheses with kind,
    core flag and expected direction, in ``lang``."""
    c = registry.claim(cid)

    def L(zh: str, en: str) -> str:
        return vocab.label(zh, en, lang, sep=" ")

    kind = {"test": L("检验", "test"), "description": L("描述", "description")}
    title = L(f"**{c.id} {c.title_zh}**", f"**{c.id} {c.title_en}**") if lang != "both" else (
        f"**{c.id} {c.title_zh}** · {c.title_en}")
    rows = "\n".join(
        f"| {h.id} | {kind[h.kind]} | {L('核心', 'core') if h.core else ''} | "
        f"{h.expected or ''} | {vocab.label(h.title_zh, h.title_en, lang, sep='<br>')} |"
        for h in c.hypotheses)
    return (f"{title}\n\n> {c.quote}\n\n"
            f"| {L('编号', 'id')} | {L('类型', 'kind')} | {L('核心', 'core')} | "
            f"{L('预期方向', 'expected')} | {L('假设', 'hypothesis')} |\n"
            f"|---|---|---|---|---|\n{rows}\n\n"
            "*" + vocab.label("核心检验决定论断结论；描述不计入。",
                              "The core tests decide the claim's verdict; descriptions never count.",
                              lang, sep=" ") + "*")
