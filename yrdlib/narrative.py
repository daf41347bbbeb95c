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


def heading(cid: str, section: str, lang: str = "both", treatment: str | None = None) -> str:
    """The section's heading as HTML with an anchor (the report's table of contents reads it):
    a hypothesis gets its registry title and role, another section its ``h_zh``/``h_en``."""
    c = registry.claim(cid)
    t = c.narrative.get(section) or {}
    if section in {h.id for h in c.hypotheses}:
        h = c.hypothesis(section)
        rz, re_ = _role(h)
        tz, te = h.title_zh, h.title_en
        if treatment:
            from yrdlib import groups

            tz, te = groups.treatment_title(tz, te, treatment)
        zh, en, anchor = f"{h.id} {tz}（{rz}）", f"{te} ({re_})", section
        if lang == "en":
            en = f"{h.id} {en}"
    elif t.get("h_zh") or t.get("h_en"):
        zh, en, anchor = t.get("h_zh", ""), t.get("h_en", ""), f"{cid}-{section}"
    else:
        return ""
    return (f'<h2 id="{html.escape(anchor)}">'
            f"{html.escape(vocab.label(zh, en, lang, sep=' · '), quote=False)}</h2>")


def text(cid: str, section: str, lang: str = "both", treatment: str | None = None) -> str:
    """A section's Markdown (heading and body) in ``lang`` (zh, en or both: Chinese first).
    ``treatment``: the treatment definition the notebook ran with; another than the association
    retitles the heading and says in the body which treatment 'joining' stands for."""
    if lang not in vocab.LANGS:
        raise ValueError(f"lang must be one of {vocab.LANGS}, got {lang!r}")
    c = registry.claim(cid)
    if section not in c.narrative:
        raise KeyError(f"{cid}: no narrative section {section!r} in the registry; known: "
                       f"{', '.join(c.narrative)}")
    t = c.narrative[section]
    zh, en = t["zh"].strip(), t["en"].strip()
    zh = re.sub(r"(?<=[。；：）”])[ ]+(?=[\u3400-\u9fff*（“])", "", zh)  # folded YAML lines
    if treatment and treatment != "association" and zh:
        from yrdlib import groups

        pz, pe = groups.TREATMENT_PHRASE[treatment]
        zh += f"（本次运行的处理为“{pz}”：上文的“加入协调会”均指这一处理。）"
        en += (f" (This run's treatment: {pe[0].lower() + pe[1:]}; read 'joining the association' "
               "above as this.)")
    body = zh if lang == "zh" else en if lang == "en" else "\n\n".join(x for x in (zh, en) if x)
    head = heading(cid, section, lang, treatment)
    return "\n\n".join(x for x in (head, body) if x)


def narrative(cid: str, section: str, lang: str = "both", treatment: str | None = None):
    """The section as an IPython Markdown object (a notebook displays it)."""
    from IPython.display import Markdown

    return Markdown(text(cid, section, lang, treatment))


def show(cid: str, section: str, lang: str = "both", treatment: str | None = None) -> None:
    """Display a section in the notebook (the one call a notebook makes per section)."""
    from IPython.display import display

    display(narrative(cid, section, lang, treatment))


def sections(cid: str) -> list[str]:
    """The claim's narrative sections, in registry order."""
    return list(registry.claim(cid).narrative)


# ------------------------------------------------------------------ a Chinese-only page
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
            if re.fullmatch(r"[-+−0-9.,eE]+ " + re.escape(html.escape(en)), dd):  # a number
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
    page = _H1.sub(_h1_zh, page)
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


# ------------------------------------------------------------------ tables of a Chinese page
COLUMN_ZH = {  # a table column's readable name (lower case) -> its Chinese header
    "agrees": "一致", "att": "平均处理效应", "best other": "次优城市群", "best other value": "次优值",
    "beta non": "非成员 β", "beta non ci": "非成员 β 区间", "beta yrd": "长三角 β",
    "beta yrd ci": "长三角 β 区间", "binding": "约束性", "cargo 100mt": "货物吞吐量（亿吨）",
    "change": "变化", "cities": "城市", "city years": "城市-年份数", "controls": "对照单位",
    "cov": "覆盖", "definitions": "口径数", "delta pct": "百分位变化", "design": "设计",
    "diff": "差值", "dimension": "维度", "donors": "对照城市数", "end": "终止", "entropy": "熵权法",
    "equal": "等权重", "estimator": "估计量", "finding": "结论要点", "first year": "起始年份",
    "focus value": "焦点城市数值", "group median": "组中位数", "growth ci high": "增长区间上限",
    "growth ci low": "增长区间下限", "growth pct per year": "年增长（%）", "join year": "加入年份",
    "kind": "类型", "label": "标签", "latest year": "最新年份", "leader": "领先者", "linkage": "联系强度",
    "mass": "体量", "measure": "度量", "metric key": "指标", "n clusters": "聚类数",
    "n control pref": "对照地级市数", "n non": "非成员数", "n treated pref": "处理地级市数",
    "n yrd": "长三角城市数", "origin": "起点城市", "partner": "伙伴", "path zh": "路径",
    "pca": "主成分权重", "pct first": "起始百分位", "pct latest": "最新百分位",
    "penalized": "惩罚合成对照", "plain": "普通合成对照", "population": "人口",
    "qualifier": "限定", "question": "问题", "ratio to best other": "相对次优城市群的倍数",
    "role": "作用", "rule": "规则", "sample": "样本", "se hc3": "HC3 标准误",
    "share first": "起始份额", "share last": "最新份额", "slope": "斜率",
    "slope pp per year": "斜率（百分点/年）", "source url": "来源网址", "specification": "设定",
    "start": "起始", "status": "状态", "study": "研究", "treated": "处理单位",
    "weighting": "赋权方法", "why": "说明", "window": "窗口", "years": "年份", "yrd rank": "长三角名次",
    "yrd value": "长三角数值", "change ci high": "变化区间上限", "change ci low": "变化区间下限",
    "corr after": "之后相关系数", "corr before": "之前相关系数", "partner group": "伙伴组",
    "read from": "数据来源", "window after": "之后窗口", "window before": "之前窗口",
}
"""Chinese headers of the claim notebooks' table columns that the indicator dictionary and the
table formatter's common labels do not name."""
_LABEL_PAIR = re.compile(r"^(above|below|within band|no data) / (rising|falling|flat|no data)"
                         r"( \(\d+\))?$")
VALUE_ZH = {"ok": "有数据", "no data": "无数据", "binding": "约束", "shown": "参考",
            "exact": "确切值", "lower_bound": "下限（“超过”）", "not graded": "未分级",
            "not verified": "未核实", "none": "无", "reported": "已报告", "estimate": "估计值",
            "bulletin": "统计公报", "news/other": "新闻/其他", "other": "其他", "north": "北向",
            "south": "南向", "same": "相同", "total": "总量", "share": "份额", "all": "全部",
            "all listed": "全部所列城市", "whole cities only": "仅完整城市", "bay": "湾区",
            "focus": "焦点城市", "design": "设计", "pretrend": "事前趋势", "interpolated": "插补值"}
"""Chinese names of the short codes that table cells carry (statuses, qualities, roles)."""


def _cell_zh(v):
    if not isinstance(v, str):
        return v
    key = v.strip()
    if key in VALUE_ZH:
        return VALUE_ZH[key]
    m = _LABEL_PAIR.match(key)
    if m:
        zh = vocab.DESCRIPTIVE_ZH
        a = {"above": vocab.ABOVE, "below": vocab.BELOW, "within band": vocab.WITHIN}.get(
            m.group(1), vocab.NO_DATA)
        b = {"rising": vocab.RISING, "falling": vocab.FALLING, "flat": vocab.FLAT}.get(
            m.group(2), vocab.NO_DATA)
        return f"{zh[a]} / {zh[b]}{m.group(3) or ''}"
    if re.fullmatch(r"[a-z][a-z0-9_]*", key):
        try:
            from yrdlib.data.indicators import INDICATORS
        except ImportError:  # pragma: no cover
            return v
        ind = INDICATORS.get(key)
        if ind is not None:
            return ind.label_zh
    return v


def zh_table(df):
    """A table as a Chinese page shows it: an ``_en`` column goes when its ``_zh`` twin is
    there, headers the indicator dictionary does not name take :data:`COLUMN_ZH`, and short
    codes in text cells (statuses, indicator keys, descriptive labels) their Chinese names."""
    from yrdlib.report.tables import readable

    cols = [str(c) for c in df.columns]
    drop = [c for c in df.columns if str(c).endswith("_en") and str(c)[:-3] + "_zh" in cols]
    df = df.drop(columns=drop)
    ren = {c: COLUMN_ZH[readable(c).lower()] for c in df.columns
           if readable(c).lower() in COLUMN_ZH}
    df = df.rename(columns=ren)
    import pandas as pd

    obj = [c for i, c in enumerate(df.columns) if pd.api.types.is_object_dtype(df.iloc[:, i])
           or pd.api.types.is_string_dtype(df.iloc[:, i])]
    if obj:
        df = df.copy()
        for c in obj:
            i = list(df.columns).index(c)
            df.isetitem(i, df.iloc[:, i].map(_cell_zh))
    return df
