"""What a hypothesis function returns: the evidence record plus the data its figure and tables
need. One function per hypothesis (the registry names it); the notebook presents the result."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from yrdlib.claims import registry
from yrdlib.records import Evidence


@dataclass
class Result:
    evidence: Evidence
    data: dict[str, Any] = field(default_factory=dict)
    """Frames and numbers for the notebook's figure and tables (never needed for the verdict)."""
    text_zh: str = ""
    text_en: str = ""
    """One short paragraph reading the result, for the notebook's narrative."""

    @property
    def verdict(self) -> str:
        return self.evidence.verdict


def evidence_for(hid: str, **fields: Any) -> Evidence:
    """An Evidence whose claim, titles, expected direction and role come from the registry; the
    caller gives the numbers (or ``missing_data`` for a hypothesis the data cannot test)."""
    h = registry.hypothesis(hid)
    fields.setdefault("title_zh", h.title_zh)
    fields.setdefault("title_en", h.title_en)
    fields.setdefault("level", h.level)
    if h.is_test:
        fields.setdefault("expected", h.expected)
    else:
        fields["role"] = "description"
        fields.setdefault("expected", "+")
    if fields.get("missing_data") and fields["missing_data"] == h.missing_data_en:
        fields.setdefault("missing_data_zh", h.missing_data_zh)  # the registry's Chinese twin
    if "missing_data" in fields and fields.get("estimate") is None and h.is_test:
        return Evidence.not_testable(h.claim, h.id, **fields)
    return Evidence(h.claim, h.id, **fields)


def not_applicable(hid: str, reason_zh: str, reason_en: str, **fields: Any) -> Evidence:
    """A record for a focus city outside the hypothesis's scope, titles from the registry."""
    h = registry.hypothesis(hid)
    role = "test" if h.is_test else "description"
    fields.setdefault("level", h.level)
    return Evidence.not_applicable(h.claim, h.id, h.title_zh, h.title_en, reason_zh=reason_zh,
                                   reason_en=reason_en, role=role, **fields)


YUHUAN_PREFECTURE = "331000"  # 台州: the article is about 玉环, a county of Taizhou


def for_focus(hid: str, focus_code: str, compute, *args, **kw) -> Result:
    """``compute(*args, **kw)`` when hypothesis ``hid`` applies to the focus city; a hypothesis
    about Yuhuan (registry level ``yuhuan``) is "not applicable" for any focus city other than
    Taizhou (台州), with the reason, and nothing is computed."""
    h = registry.hypothesis(hid)
    if h.level != "yuhuan" or str(focus_code) == YUHUAN_PREFECTURE:
        return compute(*args, **kw)
    return Result(not_applicable(
        hid, "该假设关于玉环（台州下辖县级市），不适用于其他焦点城市。",
        "This hypothesis is about Yuhuan (a county-level city of Taizhou); it does not apply to "
        "another focus city."))
