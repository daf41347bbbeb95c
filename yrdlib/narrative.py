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
