"""Evidence records: one :class:`Evidence` per tested hypothesis (its verdict from
:func:`yrdlib.verdict.judge`), the claim-level rule :func:`claim_verdict`, and the records read
back from executed notebooks (:func:`evidences_from_notebook`). No display here: the verdict boxes
are :mod:`yrdlib.evidence` (which re-exports all of this for the notebooks)."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

import pandas as pd

from yrdlib.claims import registry
from yrdlib.report.boxes import evidence_html, user_data_text
from yrdlib.verdict import (
    CONTRADICTED,
    DESCRIBED,
    INCONCLUSIVE,
    NOT_APPLICABLE,
    NOT_TESTABLE,
    ROLES,
    SUPPORTED,
    _finite,
    _lean_sentence,
    _num,
    describe,
    finding,
    inform,
    judge,
)

EVIDENCE_MIME = "application/vnd.yrd.evidence+json"
CLAIM_MIME = "application/vnd.yrd.claim+json"


@dataclass
class Evidence:
    """One hypothesis test. ``kind="estimate"`` has sampling uncertainty (CI); ``kind="fact"`` is a
    fact check compared directly against ``null_value`` (e.g. 1 for a ratio, 0 for a gap)."""
    claim: str
    hypothesis: str
    title_zh: str
    title_en: str
    expected: str = "+"
    estimate: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    p_value: float | None = None
    n: int | None = None
    method: str = ""
    sample: str = ""
    data_vintage: str = ""
    notes: str = ""
    null_value: float = 0.0
    kind: str = "estimate"
    pretrend_p: float | None = None
    unit: str = ""
    missing_data: str = ""
    missing_data_zh: str = ""  # the same in Chinese (reason_zh, change_zh); else the English
    level: str = ""  # pooled | city | yuhuan (registry LEVELS): what the result varies with
    role: str = "test"
    band: float | None = None
    sensitivity: list = field(default_factory=list)
    applicable: bool = True
    scope_note_zh: str = ""
    scope_note_en: str = ""
    sample_note_zh: str = ""
    sample_note_en: str = ""
    mde: float | None = None
    inference: str = ""
    interval_en: str = ""
    interval_zh: str = ""
    # figures from data/user/ the record rests on (file, line, region_code, year, indicator,
    # value, unit, source, flag): shown as a badge 用户数据 · 未经核实 / user data, unverified
    user_data: list = field(default_factory=list)
    # the verdict rests on unverified user figures (set whenever user_data is not empty)
    provisional: bool = False
    verdict: str = field(init=False, default="")
    reason_en: str = field(init=False, default="")
    reason_zh: str = field(init=False, default="")
    label_en: str = field(init=False, default="")
    label_zh: str = field(init=False, default="")
    lean: str = field(init=False, default="")
    change_en: str = field(init=False, default="")
    change_zh: str = field(init=False, default="")
    finding_en: str = field(init=False, default="")
    finding_zh: str = field(init=False, default="")

    def __post_init__(self):
        if self.role not in ROLES:
            raise ValueError(f"role must be one of {ROLES}, got {self.role!r}")
        if self.role == "test" and self.expected not in ("+", "-"):
            raise ValueError(f"expected must be '+' or '-', got {self.expected!r}")
        if self.kind not in ("estimate", "fact"):
            raise ValueError(f"kind must be 'estimate' or 'fact', got {self.kind!r}")
        for f in ("estimate", "ci_low", "ci_high", "p_value", "pretrend_p", "null_value", "band",
                  "mde"):
            setattr(self, f, _num(getattr(self, f)))
        if self.n is not None:
            self.n = int(self.n)
        self.sensitivity = [dict(r) for r in (self.sensitivity or [])]
        self.user_data = [dict(r) for r in (self.user_data or [])]
        self.provisional = bool(self.provisional or self.user_data)
        self.verdict, self.reason_en, self.reason_zh = judge(self)
        if self.role == "description" and self.applicable:
            self.label_en, self.label_zh = describe(self)
        self.lean, self.change_en, self.change_zh = inform(self)
        self.finding_en, self.finding_zh = finding(self)
        if self.role == "description" and self.applicable and _finite(self.estimate):
            self.reason_en = f"{self.finding_en} {self.reason_en}"
            self.reason_zh = f"{self.finding_zh}{self.reason_zh}"
        if self.verdict == INCONCLUSIVE and self.lean in ("+", "-"):
            l_en, l_zh = _lean_sentence(self)
            self.reason_en += f" The estimate {l_en}."
            self.reason_zh += f" {l_zh}。"
            if self.change_en:
                self.reason_en += f" What would change the verdict: {self.change_en}."
                self.reason_zh += f" 改变结论所需：{self.change_zh}。"

    @classmethod
    def not_applicable(cls, claim: str, hypothesis: str, title_zh: str, title_en: str,
                       reason_zh: str, reason_en: str, **kw) -> Evidence:
        """A record for a focus city outside the hypothesis's (or claim's) scope; the reason is
        given in both languages and shown instead of a verdict."""
        if not (reason_zh and reason_en):
            raise ValueError("not_applicable needs a reason in both languages")
        kw.setdefault("expected", "+")
        return cls(claim, hypothesis, title_zh, title_en, applicable=False,
                   scope_note_zh=reason_zh, scope_note_en=reason_en, **kw)

    @classmethod
    def description(cls, claim: str, hypothesis: str, title_zh: str, title_en: str,
                    **kw) -> Evidence:
        """A description (a position, a gap, a profile): it carries a descriptive label (above /
        below / within the band, or rising / falling / no clear change), never a verdict."""
        kw.setdefault("expected", "+")
        return cls(claim, hypothesis, title_zh, title_en, role="description", **kw)

    @property
    def reason(self) -> str:
        return self.reason_en

    @classmethod
    def not_testable(
        cls, claim: str, hypothesis: str, title_zh: str, title_en: str, missing_data: str,
        expected: str = "+", **kw,
    ) -> Evidence:
        """Evidence for a hypothesis the data cannot test yet; ``missing_data`` names the data
        that would settle it (required)."""
        if not missing_data or not missing_data.strip():
            raise ValueError("missing_data must name the data that would settle the hypothesis")
        kw.pop("estimate", None)
        notes = kw.pop("notes", "")
        notes = f"Missing data: {missing_data}" + (f". {notes}" if notes else "")
        return cls(claim, hypothesis, title_zh, title_en, expected=expected, estimate=None,
                   notes=notes, missing_data=missing_data, **kw)

    @classmethod
    def from_did(cls, result, claim: str, hypothesis: str, title_zh: str, title_en: str,
                 expected: str = "+", **kw) -> Evidence:
        """Build from a :class:`yrdlib.methods.did.DiDResult` (carries the pre-trend p-value)."""
        kw.setdefault("method", f"{result.estimator_name}; controls: {result.control_group}")
        kw.setdefault("notes", "; ".join(result.notes))
        kw.setdefault("sample", f"{result.n_treated_units} treated, "
                                f"{result.n_control_units} control units")
        return cls(claim, hypothesis, title_zh, title_en, expected=expected,
                   estimate=result.att, ci_low=result.ci_low, ci_high=result.ci_high,
                   p_value=result.p_value, n=result.n_obs, pretrend_p=result.pretrend_p, **kw)

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dict (NaN/inf → None) including verdict and reasons."""
        d = asdict(self)
        for k, v in d.items():
            if isinstance(v, float) and not math.isfinite(v):
                d[k] = None
        return d

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False)

    @classmethod
    def from_dict(cls, d: dict) -> Evidence:
        names = {f.name for f in fields(cls) if f.init}
        return cls(**{k: v for k, v in d.items() if k in names})

    # --- display
    def _repr_html_(self) -> str:
        return _evidence_html(self)

    def _repr_mimebundle_(self, include=None, exclude=None):
        # no EVIDENCE_MIME here: a record is collected only through show(), so an Evidence echoed
        # as a cell's last value (show() returns it) is never counted twice
        b = _bundle(self)
        b.pop(EVIDENCE_MIME)
        return b


CLAIM_RULE_EN = (
    "Claim rule: the verdict follows from the claim's core tests (the registry names them); "
    "descriptions never count. Focus city outside the claim's scope -> not applicable; no core "
    "test testable -> not testable; a core test contradicted and contradicted >= supported -> "
    "contradicted; every core test supported and no other test contradicted -> supported; "
    "otherwise inconclusive (a core test not testable or inconclusive, or a peripheral test "
    "contradicting)."
)
CLAIM_RULE_ZH = (
    "论断判定规则：结论只由该论断的核心检验决定（见登记表），描述性内容不计入。"
    "焦点城市不在论断范围内 → 不适用；没有可检验的核心检验 → 无法检验；"
    "有核心检验被否定且否定数 ≥ 支持数 → 否定；全部核心检验得到支持且无其他检验被否定 → 支持；"
    "其余（有核心检验无法检验或不确定，或外围检验与之相反）→ 不确定。"
)


def _as_evidence(e) -> Evidence:
    if isinstance(e, Evidence):
        return e
    if isinstance(e, dict):
        return Evidence.from_dict(e)
    raise TypeError(f"expected Evidence or dict, got {type(e).__name__}")


def _verdict_of(e) -> str:
    if isinstance(e, dict) and e.get("verdict"):
        return e["verdict"]
    return _as_evidence(e).verdict


def claim_verdict(evidences: Iterable, core: Iterable[str] | None = None,
                  scope_note: tuple[str, str] | None = None) -> tuple[str, str, str]:
    """THE claim-level rule (:data:`CLAIM_RULE_EN`). Returns (verdict, reason_en, reason_zh).

    ``core``: the ids of the claim's core tests (default: from the registry, by the records'
    claim id). ``scope_note`` (zh, en): the focus city is outside the claim's scope -> not
    applicable with that reason. A core id with no record counts as not testable."""
    evs = [e if isinstance(e, dict) else _as_evidence(e).to_dict() for e in evidences]
    if scope_note is not None:
        zh, en = scope_note
        return NOT_APPLICABLE, f"Not applicable: {en}", f"不适用：{zh}"
    if core is None:

        cids = {e.get("claim") for e in evs}
        core = [h for c in cids if c in registry.claims() for h in registry.claim(c).core]
    core = list(core)
    verdict = {e["hypothesis"]: _verdict_of(e) for e in evs}
    role = {e["hypothesis"]: e.get("role", "test") for e in evs}
    tests = [h for h in verdict if role[h] == "test" and verdict[h] != NOT_APPLICABLE]
    if not core:
        if not tests:
            return (DESCRIBED, "A diagnosis: descriptions only, no test of the article; no verdict.",
                    "诊断：仅有描述，没有对文章论断的检验，不给结论。")
        core = tests  # a claim without a declared core: every test is core
    cv = {h: verdict.get(h, NOT_TESTABLE) for h in core}
    if all(v == NOT_APPLICABLE for v in cv.values()):
        return (NOT_APPLICABLE, "Not applicable: no core test applies to this focus city.",
                "不适用：没有适用于该焦点城市的核心检验。")
    cv = {h: v for h, v in cv.items() if v != NOT_APPLICABLE}
    s = [h for h, v in cv.items() if v == SUPPORTED]
    c = [h for h, v in cv.items() if v == CONTRADICTED]
    nt = [h for h, v in cv.items() if v == NOT_TESTABLE]
    inc = [h for h, v in cv.items() if v == INCONCLUSIVE]
    peri_c = [h for h in tests if h not in cv and verdict[h] == CONTRADICTED]
    counts_en = (f"core {', '.join(cv)}: {len(s)} supported · {len(c)} contradicted · "
                 f"{len(inc)} inconclusive · {len(nt)} not testable")
    counts_zh = (f"核心检验 {', '.join(cv)}：支持 {len(s)} · 否定 {len(c)} · 不确定 {len(inc)} · "
                 f"无法检验 {len(nt)}")
    j = "、".join
    if len(nt) == len(cv):
        v, en, zh = (NOT_TESTABLE, "no core test can be tested with the data",
                     "没有一个核心检验可用现有数据检验")
    elif c and len(c) >= len(s):
        v, en, zh = (CONTRADICTED, f"core test(s) {', '.join(c)} contradicted, at least as many as "
                     "supported", f"核心检验 {j(c)} 被否定，且不少于得到支持的")
    elif len(s) == len(cv) and not peri_c:
        v, en, zh = (SUPPORTED, "every core test supported, none contradicted",
                     "全部核心检验得到支持，无被否定的检验")
    else:
        v = INCONCLUSIVE
        if nt:
            en, zh = (f"core test(s) {', '.join(nt)} not testable: the claim cannot be supported",
                      f"核心检验 {j(nt)} 无法检验：论断不能被判为支持")
        elif inc:
            en, zh = (f"core test(s) {', '.join(inc)} inconclusive", f"核心检验 {j(inc)} 不确定")
        elif c:
            en, zh = (f"{', '.join(c)} contradicted but fewer than supported",
                      f"{j(c)} 被否定，但少于得到支持的")
        else:
            en, zh = (f"peripheral test(s) {', '.join(peri_c)} contradict the core",
                      f"外围检验 {j(peri_c)} 与核心结论相反")
    f_en = " ".join(e.get("finding_en") or "" for e in evs if e["hypothesis"] in cv).strip()
    f_zh = "".join(e.get("finding_zh") or "" for e in evs if e["hypothesis"] in cv).strip()
    return (v, f"{counts_en}: {en}." + (f" {f_en}" if f_en else ""),
            f"{counts_zh}：{zh}。" + f_zh)


# ----------------------------------------------------------------------------- display

def _fmt(x, digits: int = 4) -> str:
    if x is None:
        return "—"
    if isinstance(x, float):
        return "NaN" if not math.isfinite(x) else f"{x:.{digits}g}"
    return str(x)


def _evidence_html(e: Evidence) -> str:
    return evidence_html(e.to_dict())


def _plain(e: Evidence) -> str:
    return (f"[{e.hypothesis}] {e.verdict.upper()}: {e.title_en} — estimate {_fmt(e.estimate)} "
            f"CI [{_fmt(e.ci_low)}, {_fmt(e.ci_high)}], n={_fmt(e.n)}; {e.reason_en}")


def _bundle(e: Evidence) -> dict:
    return {"text/plain": _plain(e), "text/html": _evidence_html(e), EVIDENCE_MIME: e.to_dict()}


# ----------------------------------------------------------------------------- collection

def _outputs_with(nb_or_path, mime: str) -> list[dict]:
    name = None
    if isinstance(nb_or_path, (str, Path)):
        # plain JSON: an executed notebook needs no schema validation to have its outputs read,
        # and importing nbformat costs the scorecard kernel 1.4–3.5 s (jsonschema's checkers)
        name = Path(nb_or_path).stem
        nb = json.loads(Path(nb_or_path).read_text(encoding="utf-8"))
    else:
        nb = nb_or_path
    out = []
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        for o in cell.get("outputs", []):
            if o.get("output_type") not in ("display_data", "execute_result"):
                continue
            data = o.get("data", {})
            if mime in data:
                rec = data[mime]
                rec = json.loads(rec) if isinstance(rec, str) else dict(rec)
                if name is not None:
                    rec.setdefault("notebook", name)
                out.append(rec)
    return out


def evidences_from_notebook(nb_or_path) -> list[dict]:
    """Evidence records (dicts) from an executed .ipynb (path or nbformat node)."""
    return _outputs_with(nb_or_path, EVIDENCE_MIME)


def claims_from_notebook(nb_or_path) -> list[dict]:
    """Claim-level records (CLAIM_MIME) from an executed notebook."""
    return _outputs_with(nb_or_path, CLAIM_MIME)


def evidence_table(items: Iterable) -> pd.DataFrame:
    """One row per hypothesis from notebook paths, Evidence objects or dicts."""
    rows: list[dict] = []
    for it in items:
        if isinstance(it, (str, Path)):
            rows.extend(evidences_from_notebook(it))
        elif isinstance(it, Evidence):
            rows.append(it.to_dict())
        elif isinstance(it, dict):
            rows.append(dict(it))
        else:
            raise TypeError(f"cannot read evidence from {type(it).__name__}")
    cols = ["notebook"] + [f.name for f in fields(Evidence)]
    for r in rows:  # the user's source text, readable in a spreadsheet (evidence.csv)
        r.setdefault("user_data_sources", user_data_text(r.get("user_data")))
    df = pd.DataFrame(rows)
    for c in cols:
        if c not in df.columns:
            df[c] = None
    return df[cols + [c for c in df.columns if c not in cols]]
