"""The claim notebooks' text (method, for/against, limitations) in the reader's language.

The text lives once in the claim registry (``narrative:`` of ``yrdlib/claims/registry/*.yml``,
each section with ``zh`` and ``en``), the role names in :data:`yrdlib.vocab.GLOSSARY`; a notebook
renders a section with one call, so ``lang=zh`` shows Chinese only, ``lang=en`` English only and
``both`` the two, and no notebook carries its own translation (issue 20).
"""

from __future__ import annotations

import html
import re

from yrdlib import groups, vocab
from yrdlib.claims import registry

# ------------------------------------------------------------------ another city cluster


def other_cluster(cluster: str | None) -> str | None:
    """The full Chinese name of ``cluster`` when it is not the YRD (the article's own cluster),
    else None: the text then reads the claim's general form for that cluster."""
    if not cluster:
        return None
    full = groups.resolve_cluster(cluster)
    return None if full == groups.DEFAULT_CLUSTER else full


def cluster_words(cluster: str) -> dict[str, str]:
    """The placeholders of the registry's ``general`` texts for a cluster."""
    full = groups.resolve_cluster(cluster)
    zh, _ = groups.treatment_phrase(groups.plan_treatment(full))
    zh_name, en_name = groups.display_names(full)
    return {"cluster_zh": zh_name, "cluster_en": en_name,
            "plan_zh": zh.removeprefix("列入")}


def claim_title(cid: str, cluster: str | None = None) -> tuple[str, str]:
    """(zh, en) title of the claim: the article's, or its general form for another cluster."""
    c = registry.claim(cid)
    oc = other_cluster(cluster)
    if oc is None or not c.general:
        return c.title_zh, c.title_en
    w = cluster_words(oc)
    return c.general["title_zh"].format(**w), c.general["title_en"].format(**w)


GENERIC_WORDS = {"cluster_zh": "城市群", "cluster_en": "city cluster", "plan_zh": "所在城市群的规划"}
"""The ``general`` placeholders for a page over several clusters (each city with its own)."""


def generic_claim_title(cid: str) -> tuple[str, str]:
    """The claim's general form naming no cluster (融入城市群有利于提高对外开放层次), for a page
    whose cities belong to different clusters; the article's title where there is no general
    form."""
    c = registry.claim(cid)
    if not c.general:
        return c.title_zh, c.title_en
    return c.general["title_zh"].format(**GENERIC_WORDS), c.general["title_en"].format(**GENERIC_WORDS)


def generic_hypothesis_title(hid: str) -> tuple[str, str]:
    """A hypothesis title for a page over several clusters: the registry's (written for the
    YRD) marked as read for each city's own cluster."""
    h = registry.hypothesis(hid)
    return (f"{h.title_zh}（一般形式：各城市以其所在城市群计）",
            f"{h.title_en} (general form: each city with its own cluster)")


def _cluster_note(cid: str, section: str, cluster: str) -> tuple[str, str]:
    """What a section written for the YRD means in a run for another cluster."""
    w = cluster_words(cluster)
    c = registry.claim(cid)
    if section in {h.id for h in c.hypotheses} and not c.hypothesis(section).generalises:
        h = c.hypothesis(section)
        return (f"**不适用于{w['cluster_zh']}**：{h.other_clusters_zh}",
                f"**Not applicable to the {w['cluster_en']}:** {h.other_clusters_en}")
    return (f"（本次运行针对{w['cluster_zh']}：处理为列入{w['plan_zh']}，比较组为该城市群的成员城市；"
            "上文中的“长三角”“加入协调会”在本次运行中均指它们，台州和玉环的例子只是文章原本的情形。）",
            f"(This run is for the {w['cluster_en']}: the treatment is being listed in its plan "
            "and the comparison group is its member cities; read 'the YRD' and 'joining the "
            "association' above as these. Taizhou and Yuhuan are the article's own case.)")


def _general_intro(cid: str, cluster: str) -> tuple[str, str]:
    c = registry.claim(cid)
    w = cluster_words(cluster)
    if not c.general:
        return _cluster_note(cid, "intro", cluster)
    return c.general["intro_zh"].format(**w), c.general["intro_en"].format(**w)


def _general_reasoning(cid: str, cluster: str) -> tuple[str, str]:
    c = registry.claim(cid)
    w = cluster_words(cluster)
    na = [h.id for h in c.hypotheses if not h.generalises]
    core = [h for h in c.hypotheses if h.core and h.generalises]
    zh = (f"**推理**。这是文章论断在{w['cluster_zh']}的一般形式：处理年份来自{w['plan_zh']}的批复日期"
          "（data/raw/cluster_plans/，每个日期附出处），比较组是该城市群的成员城市。"
          + (f"结论只由能推广的核心检验（{'、'.join(h.id for h in core)}）决定。" if core else
             "这一论断没有能推广到其他城市群的核心检验，所以没有结论。")
          + (f"{'、'.join(na)} 依赖长三角或玉环特有的对象，在这里不适用（理由见各节）。" if na else "")
          + "判定规则只在长三角的处理分配上校准过；其他城市群的检验效力见跨城市群报告（x_clusters）。")
    en = (f"**Reasoning.** This is the article's claim in its general form for the "
          f"{w['cluster_en']}: treatment years come from its plan's approval date "
          "(data/raw/cluster_plans/, each date cited) and the comparison group is its member cities. "
          + (f"The verdict follows from the core tests that generalise ({', '.join(h.id for h in core)}). "
             if core else "No core test of this claim generalises to another cluster, so there is "
             "no verdict. ")
          + (f"{', '.join(na)} rest on objects of the YRD or of Yuhuan and do not apply here "
             "(reasons in their sections). " if na else "")
          + "The verdict rule is calibrated on the YRD's assignment; the power of the design for "
            "other clusters is in the cross-cluster report (x_clusters).")
    return zh, en


def _role(h: registry.Hypothesis) -> tuple[str, str]:
    key = "description" if not h.is_test else ("core" if h.core else "peripheral")
    zh, en, *_ = vocab.GLOSSARY[key]
    return zh, en


def heading(cid: str, section: str, lang: str = "both", treatment: str | None = None,
            cluster: str | None = None) -> str:
    """The section's heading as HTML with an anchor (the report's table of contents reads it):
    a hypothesis gets its registry title and role, another section its ``h_zh``/``h_en``."""
    c = registry.claim(cid)
    t = c.narrative.get(section) or {}
    if section in {h.id for h in c.hypotheses}:
        h = c.hypothesis(section)
        rz, re_ = _role(h)
        tz, te = h.title_zh, h.title_en
        if other_cluster(cluster) and not h.generalises:  # the YRD title, marked as not for here
            zh_name, en_name = groups.display_names(cluster)
            tz, te = f"{tz}（不适用于{zh_name}）", f"{te} (not applicable to the {en_name})"
        elif other_cluster(cluster):
            tz, te = groups.cluster_title(tz, te, cluster)
        elif treatment:
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


def text(cid: str, section: str, lang: str = "both", treatment: str | None = None,
         cluster: str | None = None) -> str:
    """A section's Markdown (heading and body) in ``lang`` (zh, en or both: Chinese first).
    ``treatment``: the treatment definition the notebook ran with; another than the association
    retitles the heading and says in the body which treatment 'joining' stands for.
    ``cluster``: another city cluster than the YRD reads the claim's general form (the registry's
    ``general`` intro, a generic reasoning, "not applicable" for a hypothesis without a
    counterpart, and a note on what the YRD's wording means elsewhere)."""
    if lang not in vocab.LANGS:
        raise ValueError(f"lang must be one of {vocab.LANGS}, got {lang!r}")
    c = registry.claim(cid)
    if section not in c.narrative:
        raise KeyError(f"{cid}: no narrative section {section!r} in the registry; known: "
                       f"{', '.join(c.narrative)}")
    t = c.narrative[section]
    zh, en = t["zh"].strip(), t["en"].strip()
    zh = re.sub(r"(?<=[。；：）”])[ ]+(?=[\u3400-\u9fff*（“])", "", zh)  # folded YAML lines
    oc = other_cluster(cluster)
    if oc is not None:
        treatment = groups.plan_treatment(oc)
        if section == "intro":
            zh, en = _general_intro(cid, oc)
        elif section == "reasoning":
            zh, en = _general_reasoning(cid, oc)
        elif section in {h.id for h in c.hypotheses} and not c.hypothesis(section).generalises:
            zh, en = _cluster_note(cid, section, oc)
        elif zh or en:
            nz, ne = _cluster_note(cid, section, oc)
            zh, en = f"{zh}{nz}", f"{en} {ne}"
    elif treatment and treatment != "association" and zh and ("加入" in zh or "join" in en.lower()):
        pz, pe = groups.treatment_phrase(treatment)
        zh += f"（本次运行的处理为“{pz}”：上文的“加入协调会”均指这一处理。）"
        en += (f" (This run's treatment: {pe[0].lower() + pe[1:]}; read 'joining the association' "
               "above as this.)")
    body = zh if lang == "zh" else en if lang == "en" else "\n\n".join(x for x in (zh, en) if x)
    head = heading(cid, section, lang, treatment, cluster)
    return "\n\n".join(x for x in (head, body) if x)


def narrative(cid: str, section: str, lang: str = "both", treatment: str | None = None,
              cluster: str | None = None):
    """The section as an IPython Markdown object (a notebook displays it)."""
    from IPython.display import Markdown

    return Markdown(text(cid, section, lang, treatment, cluster))


def show(cid: str, section: str, lang: str = "both", treatment: str | None = None,
         cluster: str | None = None) -> None:
    """Display a section in the notebook (the one call a notebook makes per section)."""
    from IPython.display import display

    display(narrative(cid, section, lang, treatment, cluster))


def sections(cid: str) -> list[str]:
    """The claim's narrative sections, in registry order."""
    return list(registry.claim(cid).narrative)


# ------------------------------------------------------------------ a Chinese-only page
def claim_header(cid: str, lang: str = "both", cluster: str | None = None) -> str:
    """The claim's header as Markdown: title, the article's quote and the hypotheses with kind,
    core flag and expected direction, in ``lang``. For another cluster than the YRD: the claim's
    general form as the title, the quote marked as the article's, hypothesis titles naming the
    cluster's plan and "not applicable" where a design has no counterpart."""
    c = registry.claim(cid)
    oc = other_cluster(cluster)
    tz, te = claim_title(cid, oc)

    def L(zh: str, en: str) -> str:
        return vocab.label(zh, en, lang, sep=" ")

    kind = {"test": L("检验", "test"), "description": L("描述", "description")}
    title = L(f"**{c.id} {tz}**", f"**{c.id} {te}**") if lang != "both" else (
        f"**{c.id} {tz}** · {te}")

    def h_title(h) -> str:
        hz, he = h.title_zh, h.title_en
        if oc is not None:
            if not h.generalises:
                return L(f"~~{hz}~~（不适用于{groups.display_names(oc)[0]}）",
                         f"~~{he}~~ (not applicable to this cluster)")
            hz, he = groups.cluster_title(hz, he, oc)
        return vocab.label(hz, he, lang, sep="<br>")

    rows = "\n".join(
        f"| {h.id} | {kind[h.kind]} | {L('核心', 'core') if h.core else ''} | "
        f"{h.expected or ''} | {h_title(h)} |"
        for h in c.hypotheses)
    quote = (c.quote if oc is None else
             L("文章原文（关于玉环融入长三角）：", "The article's words (about Yuhuan and the YRD):")
             + f" {c.quote}")
    return (f"{title}\n\n> {quote}\n\n"
            f"| {L('编号', 'id')} | {L('类型', 'kind')} | {L('核心', 'core')} | "
            f"{L('预期方向', 'expected')} | {L('假设', 'hypothesis')} |\n"
            f"|---|---|---|---|---|\n{rows}\n\n"
            "*" + vocab.label("核心检验决定论断结论；描述不计入。",
                              "The core tests decide the claim's verdict; descriptions never count.",
                              lang, sep=" ") + "*")


# ------------------------------------------------------------------ tables of a Chinese page
