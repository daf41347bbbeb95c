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

        pz, pe = groups.treatment_phrase(treatment)
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
