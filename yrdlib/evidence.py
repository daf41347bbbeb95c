"""Evidence records and the verdict rule (shown in every report and in the README).

Each tested hypothesis becomes one :class:`Evidence`; its ``verdict`` comes from ONE function,
:func:`judge`. A claim's verdict comes from :func:`claim_verdict`. :func:`show` displays a verdict
box and, in the same output bundle, a machine-readable JSON copy under :data:`EVIDENCE_MIME`, so a
runner collects results from executed notebooks (:func:`evidences_from_notebook`) without parsing
HTML.
"""

from __future__ import annotations

from collections.abc import Iterable

from yrdlib.claims import registry
from yrdlib.records import (
    CLAIM_MIME,
    CLAIM_RULE_EN,
    CLAIM_RULE_ZH,
    EVIDENCE_MIME,
    Evidence,
    _as_evidence,
    _bundle,
    claim_verdict,
    claims_from_notebook,
    evidence_table,
    evidences_from_notebook,
)
from yrdlib.report.boxes import USER_BADGE_EN, USER_BADGE_ZH, claim_html, user_data_text
from yrdlib.verdict import (
    ALPHA,
    COLOURS,
    CONTRADICTED,
    DESCRIBED,
    INCONCLUSIVE,
    MIN_N,
    NOT_APPLICABLE,
    NOT_TESTABLE,
    ROLES,
    SUPPORTED,
    VERDICT_ZH,
    VERDICTS,
    describe,
    finding,
    inform,
    judge,
)

__all__ = [  # the records, rules and boxes of one vocabulary, for the notebooks
    "ALPHA",
    "CLAIM_MIME",
    "CLAIM_RULE_EN",
    "CLAIM_RULE_ZH",
    "COLOURS",
    "CONTRADICTED",
    "DESCRIBED",
    "EVIDENCE_MIME",
    "INCONCLUSIVE",
    "MIN_N",
    "NOT_APPLICABLE",
    "NOT_TESTABLE",
    "ROLES",
    "SUPPORTED",
    "USER_BADGE_EN",
    "USER_BADGE_ZH",
    "VERDICTS",
    "VERDICT_ZH",
    "Evidence",
    "claim_box",
    "claim_record",
    "claim_verdict",
    "claims_from_notebook",
    "describe",
    "evidence_table",
    "evidences_from_notebook",
    "finding",
    "inform",
    "judge",
    "record",
    "show",
    "user_data_text",
]


def show(evidence: Evidence) -> Evidence:
    """Display ONE output bundle: HTML verdict box + JSON record (EVIDENCE_MIME) + plain text."""
    from IPython.display import display

    if not isinstance(evidence, Evidence):
        raise TypeError("show() takes an Evidence")
    display(_bundle(evidence), raw=True)
    return evidence


record = show


def claim_record(claim_id: str, evidences: Iterable, scope_note: tuple[str, str] | None = None,
                 title_zh: str | None = None, title_en: str | None = None) -> dict:
    """The claim-level record (CLAIM_MIME JSON): verdict, reason, the core tests and each
    hypothesis's verdict and role. Titles and core ids come from the registry."""
    evs = [_as_evidence(e) for e in evidences]
    known = claim_id in registry.claims()
    core = registry.claim(claim_id).core if known else None
    if known:
        c = registry.claim(claim_id)
        title_zh, title_en = title_zh or c.title_zh, title_en or c.title_en
    v, ren, rzh = claim_verdict(evs, core=core, scope_note=scope_note)
    return {"claim": claim_id, "title_zh": title_zh or claim_id, "title_en": title_en or claim_id,
            "verdict": v, "reason_en": ren, "reason_zh": rzh, "core": list(core or []),
            "hypotheses": {e.hypothesis: e.verdict for e in evs},
            "roles": {e.hypothesis: e.role for e in evs},
            # a claim whose counted tests rest on unverified user figures is provisional
            "provisional": any(e.provisional and e.role == "test" for e in evs),
            "user_data_hypotheses": [e.hypothesis for e in evs if e.user_data],
            "rule_en": CLAIM_RULE_EN, "rule_zh": CLAIM_RULE_ZH}


def claim_box(claim_id: str, evidences: Iterable, title_zh: str | None = None,
              title_en: str | None = None, scope_note: tuple[str, str] | None = None) -> dict:
    """Display the claim-level verdict (HTML + CLAIM_MIME JSON); returns the JSON record."""
    from IPython.display import display

    evs = [_as_evidence(e) for e in evidences]
    rec = claim_record(claim_id, evs, scope_note=scope_note, title_zh=title_zh, title_en=title_en)
    box = claim_html(rec, [e.to_dict() for e in evs], CLAIM_RULE_ZH, CLAIM_RULE_EN)
    display({"text/plain": f"[{claim_id}] {rec['verdict'].upper()}: {rec['title_en']} — "
                           f"{rec['reason_en']}",
             "text/html": box, CLAIM_MIME: rec}, raw=True)
    return rec
