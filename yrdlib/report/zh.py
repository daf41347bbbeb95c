"""A report page as a ``lang=zh`` reader sees it (issue 20): the English twins of bilingual
boxes dropped, units and check rows named from :mod:`yrdlib.vocab`, English-only record fields
folded into a labelled closed element (kept, never deleted)."""

from __future__ import annotations

import html
import re

from yrdlib import vocab

_EN_SPAN = re.compile(r'(?:<br\s*/?>\s*)?<(span|p|small)\b[^>]*\bclass="(?:[^"]*\s)?yrd-en(?:\s[^"]*)?"'
                      r"[^>]*>[^<]*</\1>", re.I)


_CJK = re.compile(r"[\u3400-\u9fff]")
_H1 = re.compile(r"(<h1\b[^>]*>|<title>)([^<]*)(<a class=\"anchor-link\".*?</a>)?(</h1>|</title>)")


def _h1_zh(m: re.Match) -> str:
    """The notebook's bilingual title ('中文 · English'): its Chinese half."""
    text = html.unescape(m.group(2))
    zh, sep, en = text.rpartition(" · ")
    if not sep or "<" in text or not _CJK.search(zh) or _CJK.search(en):
        return m.group(0)
    return f"{m.group(1)}{html.escape(zh.strip(), quote=False)}{m.group(3) or ''}{m.group(4)}"

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
    (re.compile(r"^pre-RMSPE (\S+); (\d+) donors weighted$"), r"事前 RMSPE \1；\2 个供体城市获得权重"),
    (re.compile(r"^placebo se (\S+)$"), r"安慰剂标准误 \1"),
    (re.compile(r"^(\d+) non-members in (\S+)$"), r"\2的 \1 个非成员城市"),
    (re.compile(r"^rank (\d+) of (\d+) by post/pre RMSPE ratio$"),
     r"按事后/事前 RMSPE 之比排第 \1 位（共 \2 个）"),
    (re.compile(r"^fit (\S+), hold-out (\S+): pseudo-gap (\S+), hold-out RMSPE (\S+) "
                r"\(fit (\S+)\), rank (\d+) of (\d+)$"),
     r"拟合期 \1，留出期 \2：伪差距 \3，留出期 RMSPE \4（拟合期 \5），排第 \6 位（共 \7 个）"),
]


def why_zh(text: str) -> str:
    """The Chinese of a check row's detail ('estimate 0.005 on the other side'); other text as
    it is."""
    for pat, rep in _WHY:
        if pat.match(text):
            return pat.sub(rep, text)
    return text
EN_RECORD = "yrd-record-en"
"""Class of the collapsed English originals of a Chinese page (the reader opens them on purpose)."""


def _english_only(text: str) -> bool:
    t = re.sub(r"<[^>]+>", "", html.unescape(text))
    return not _CJK.search(t) and bool(_WORDS.search(t))


def _has_english_sentence(text: str) -> bool:
    """A mixed field ('台州 Taizhou vs 7 bay cities; windows …'): English prose around a Chinese
    name, which a Chinese reader reads no better than an English-only one."""
    t = re.sub(r"<[^>]+>", "\n", html.unescape(text))
    return any(not _CJK.search(s) and _WORDS.search(s)
               for s in re.split(r"[。；;\n]|(?<=[.!?])\s+", t))


def _fold(inner: str, summary: str = "英文技术记录（原文）") -> str:
    return (f'<details class="{EN_RECORD}" lang="en"><summary lang="zh-CN">{summary}</summary>'
            f"{inner}</details>")


def _facts_zh(m: re.Match) -> str:
    kept, moved = [], []
    for dt, dd in _PAIR.findall(m.group(1)):
        for en, zh in sorted(vocab.UNIT_ZH.items(), key=lambda kv: -len(kv[0])):
            if re.fullmatch(r"[-+−0-9.,eE]+ " + re.escape(html.escape(en)), dd):  # a number
                dd = dd[: -len(html.escape(en))] + html.escape(zh)
                break
        english = _english_only(dd) or _has_english_sentence(dd)
        (moved if english else kept).append(f"<dt>{dt.strip()}</dt><dd>{dd}</dd>")
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
            cells[3] = (cells[3][0], html.escape(why_zh(html.unescape(cells[3][1]))))
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
    page = _H1.sub(_h1_zh, page)
    page = _FACTS.sub(_facts_zh, page)
    page = _GATE.sub(_gate_zh, page)
    return _NOTE.sub(lambda m: _fold(m.group(0), "英文原注") if _english_only(m.group(1))
                     or _has_english_sentence(m.group(1)) else m.group(0), page)
