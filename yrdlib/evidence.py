"""Evidence records and the verdict rule (shown in every report and in the README).

Each tested hypothesis becomes one :class:`Evidence`; its ``verdict`` comes from ONE function,
:func:`judge`. A claim's verdict comes from :func:`claim_verdict`. :func:`show` displays a verdict
box and, in the same output bundle, a machine-readable JSON copy under :data:`EVIDENCE_MIME`, so a
runner collects results from executed notebooks (:func:`evidences_from_notebook`) without parsing
HTML.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

import pandas as pd

from yrdlib import vocab

__all__ = [
    "CLAIM_MIME",
    "CLAIM_RULE_EN",
    "CLAIM_RULE_ZH",
    "EVIDENCE_MIME",
    "VERDICTS",
    "Evidence",
    "claim_box",
    "claim_record",
    "claim_verdict",
    "claims_from_notebook",
    "evidence_table",
    "evidences_from_notebook",
    "judge",
    "record",
    "show",
]

EVIDENCE_MIME = "application/vnd.yrd.evidence+json"
CLAIM_MIME = "application/vnd.yrd.claim+json"
SUPPORTED, CONTRADICTED, INCONCLUSIVE, NOT_TESTABLE = vocab.TEST_VERDICTS
NOT_APPLICABLE, DESCRIBED = vocab.NOT_APPLICABLE, vocab.DESCRIBED
VERDICTS = vocab.VERDICTS
VERDICT_ZH = vocab.VERDICT_ZH
COLOURS = vocab.COLOURS
ROLES = ("test", "description")
ALPHA = 0.05  # pre-trend test level
MIN_N = 3  # fewer observations than this: "too little data"


def _num(x) -> float | None:
    """float or None; NaN/inf stay as float so judge() can name them."""
    if x is None:
        return None
    try:
        return float(x)
    except (TypeError, ValueError):
        return None


def _finite(x) -> bool:
    return x is not None and math.isfinite(x)


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


def judge(ev: Evidence) -> tuple[str, str, str]:
    """THE verdict rule (docs/methods.md, "The verdict rule"). Returns (verdict, reason_en, reason_zh).

    * not testable — no estimate (None): the data do not exist; notes name the missing data.
    * inconclusive — estimate NaN, no/invalid CI, n < 3, the 95 % interval includes the null, or a
      binding check of ``sensitivity`` disagrees (named in the reason).
    * supported — estimate on the claimed side of the null and the 95 % interval excludes the null
      (for a pooled causal test: the design-based interval, randomization inference over province
      blocks) and every *binding* row of ``sensitivity`` agrees.
    * contradicted — the same on the opposite side.
    * ``sensitivity`` rows: ``binding`` (default True) rows decide, the others are shown with
      their ``agrees`` mark but never veto (pre-trend tests, analytic and bootstrap intervals:
      pre-tests inform, they do not veto; Roth 2022). Row kinds: 'estimate' (same side, interval
      excluding the null), 'sign' (same side; heterogeneity-robust estimators and sample
      variants), 'honest' (a parallel-trends sensitivity interval excluding the null on the same
      side), 'design' (p < α or interval excluding the null), 'pretrend' (p ≥ α).
    * not applicable — the focus city is outside the hypothesis's scope (the reason is shown).
    * description — ``role="description"``: a position or a profile, labelled by :func:`describe`,
      never supported/contradicted.
    For ``kind="fact"`` (no sampling uncertainty) the estimate is compared with the null directly.
    """
    if not ev.applicable:
        return (NOT_APPLICABLE, ev.scope_note_en, ev.scope_note_zh)
    if ev.role == "description":
        if ev.estimate is None or not math.isfinite(ev.estimate):
            miss = ev.missing_data or "no value"
            return (DESCRIBED, f"Description; no data ({miss}).",
                    f"描述；无数据（{ev.missing_data_zh or ev.missing_data or '无数值'}）。")
        return (DESCRIBED, "Description: places the city, not a test of the article; never "
                "counts in a verdict.", "描述：说明城市所处位置，不是对文章论断的检验，不计入结论。")
    verdict, en, zh = _judge_main(ev)
    if not ev.sensitivity:
        return verdict, en, zh
    null = ev.null_value or 0.0
    est = ev.estimate if _finite(ev.estimate) else None
    side = ((1 if est > null else -1) if est is not None and est != null
            else (1 if ev.expected == "+" else -1))
    failed, failed_zh = [], []
    n_binding = 0
    for row in ev.sensitivity:  # every row is checked (the specification chart shows them all)
        ok, why = _row_agrees(row, side, null)
        row["agrees"], row["why"] = ok, why
        row.setdefault("binding", True)
        if row["binding"]:
            n_binding += 1
            if not ok:
                failed.append(f"{row.get('name', '?')} ({why})")
            failed_zh.append(vocab.check_zh(row.get("name", "?")))
    if verdict in (SUPPORTED, CONTRADICTED):
        if failed:
            return (INCONCLUSIVE,
                    f"{en} But a binding check disagrees: {'; '.join(failed)}.",
                    f"{zh} 但约束性检验不一致：{'、'.join(failed_zh)}。")
        shown = len(ev.sensitivity) - n_binding
        en += f" All {n_binding} binding checks agree" + (
            f" ({shown} more rows shown, not binding)." if shown else ".")
        zh += f" {n_binding} 项约束性检验全部一致" + (f"（另 {shown} 项仅供参考）。" if shown else "。")
    elif failed and verdict == INCONCLUSIVE:
        en += f" Binding checks that disagree: {'; '.join(failed)}."
        zh += f" 不一致的约束性检验：{'、'.join(failed_zh)}。"
    return verdict, en, zh


def _row_agrees(row: dict, side: int, null: float) -> tuple[bool, str]:
    """Does one sensitivity row agree with the main estimate's direction? ``kind``:
    'estimate' (same side, CI excluding the null), 'sign' (same side), 'honest' (its interval
    excludes the null on the same side), 'pretrend' (p >= ALPHA) or 'design' (a design-based
    p-value < ALPHA, or its CI excluding the null on the same side)."""
    kind = row.get("kind", "estimate")
    est, lo, hi = _num(row.get("estimate")), _num(row.get("ci_low")), _num(row.get("ci_high"))
    p = _num(row.get("p_value"))
    if kind == "pretrend":
        pp = _num(row.get("pretrend_p"))
        if not _finite(pp):
            return False, "pre-trend test not computed"
        return (pp >= ALPHA, f"pre-trend p = {_p(pp)}")
    if kind in ("design", "honest"):
        if _finite(lo) and _finite(hi):
            ok = (lo > null) if side > 0 else (hi < null)
            return ok, f"CI [{lo:.3g}, {hi:.3g}]" + (f", p = {_p(p)}" if _finite(p) else "")
        if kind == "design" and _finite(p):
            ok = p < ALPHA and (not _finite(est) or (est - null) * side > 0)
            return ok, f"p = {_p(p)}"
        return False, "not computed"
    if not _finite(est):
        return False, "not estimable"
    if (est - null) * side <= 0:
        return False, f"estimate {est:.3g} on the other side"
    if kind == "sign":
        return True, f"{est:.3g}, same sign"
    if _finite(lo) and _finite(hi):
        ok = (lo > null) if side > 0 else (hi < null)
        return ok, f"{est:.3g} [{lo:.3g}, {hi:.3g}]"
    return True, f"{est:.3g}"


def _miss_zh(ev: Evidence) -> str:
    """The missing data in Chinese: its Chinese twin, else the English text (never silently
    dropped)."""
    return ev.missing_data_zh or ev.missing_data or "（未说明）"


def _p(p: float | None) -> str:
    """A p-value as a reader sees it: '<0.001' below a thousandth, never e-notation."""
    if p is None or not math.isfinite(p):
        return "—"
    return "<0.001" if p < 0.001 else f"{p:.3f}"


_Z80 = 0.8416212335729143 + 1.959963984540054  # z_{0.80} + z_{0.975}


def inform(ev: Evidence) -> tuple[str, str, str]:
    """(lean, change_en, change_zh) of a test: which way its estimate leans ('+', '-', '0' or ''),
    and, for an inconclusive test, what would change the verdict (an effect at least the minimum
    detectable one; the binding checks that disagree; the data a not-testable record lacks).
    Sets ``ev.mde`` when the record gives none and has an interval: (z.975 + z.80) × SE with the
    SE read off the 95 % interval (normal approximation)."""
    if ev.role != "test" or not ev.applicable:
        return "", "", ""
    if ev.verdict == NOT_TESTABLE:
        miss = ev.missing_data or "(not stated)"
        return "", f"data that would settle it: {miss}", f"所需数据：{_miss_zh(ev)}"
    est, null = ev.estimate, ev.null_value or 0.0
    if not _finite(est):
        return "", "", ""
    lean = "+" if est > null else ("-" if est < null else "0")
    if ev.kind == "fact" or ev.verdict != INCONCLUSIVE:
        return lean, "", ""
    lo, hi = ev.ci_low, ev.ci_high
    if ev.mde is None and _finite(lo) and _finite(hi) and hi > lo:
        ev.mde = _Z80 * (hi - lo) / (2 * 1.959963984540054)
    en, zh = [], []
    unit_en, unit_zh = ev.unit or "", vocab.unit_zh(ev.unit or "")
    if _finite(lo) and _finite(hi) and lo <= null <= hi and _finite(ev.mde):
        want = ev.expected
        en.append(f"a true effect of {'+' if want == '+' else '−'}{ev.mde:.3g} {unit_en} or more "
                  "(detected with 80 % power), or a more precise design (more treated provinces "
                  "or years)")
        sign = "+" if want == "+" else "−"
        zh.append(f"真实效应达到 {sign}{ev.mde:.3g} {unit_zh}或以上（80% 把握可检出），"
                  "或更精确的设计（更多处理省份或年份）")
    failed = [r for r in ev.sensitivity if r.get("binding", True) and r.get("agrees") is False]
    for r in failed:
        nm = r.get("name", "?")
        nm_zh = vocab.check_zh(nm)
        if r.get("kind") == "honest":
            note = (r.get("note") or "").split(";")[0]
            bd = r.get("breakdown")
            bd_zh = (f"稳健的最大 M̄ 为 {bd:.2f}" if isinstance(bd, (int, float)) and math.isfinite(bd)
                     else "即使 M̄ = 0 区间也包含 0")
            en.append(f"the parallel-trends sensitivity interval ({nm}) excluding 0 — smaller "
                      f"pre-period deviations ({note})")
            zh.append(f"{nm_zh}不含 0，即更小的事前偏离（{bd_zh}）")
        else:
            en.append(f"{nm} agreeing in sign")
            zh.append(f"{nm_zh}的符号与主估计一致")
    if not en and (ev.n is not None and ev.n < MIN_N):
        en.append(f"at least {MIN_N} observations")
        zh.append(f"至少 {MIN_N} 个观测")
    return lean, "; ".join(en), "；".join(zh)


def _lean_sentence(ev: Evidence) -> tuple[str, str]:
    """'leaning positive (the claimed direction); effects above … or below … are ruled out;
    minimum detectable effect …' in both languages (an inconclusive test)."""
    u_en, u_zh = ev.unit or "", vocab.unit_zh(ev.unit or "")
    lo, hi = ev.ci_low, ev.ci_high
    d_en = "positive" if ev.lean == "+" else "negative"
    d_zh = "为正" if ev.lean == "+" else "为负"
    agree = ev.lean == ev.expected
    en = f"leans {d_en} ({'the claimed' if agree else 'against the claimed'} direction)"
    zh = f"估计方向{d_zh}（{'与论断方向一致' if agree else '与论断方向相反'}）"
    if _finite(lo) and _finite(hi):
        en += f"; effects above {hi:+.3g} or below {lo:+.3g} {u_en} are ruled out".rstrip()
        zh += f"；可排除大于 {hi:+.3g} 或小于 {lo:+.3g}{(' ' + u_zh) if u_zh else ''}的效应"
    elif _finite(lo) or _finite(hi):
        b = lo if _finite(lo) else hi
        en += f"; effects {'below' if _finite(lo) else 'above'} {b:+.3g} {u_en} are ruled out"
        zh += f"；可排除{'小于' if _finite(lo) else '大于'} {b:+.3g}{(' ' + u_zh) if u_zh else ''}的效应"
    if _finite(ev.mde):
        en += f"; minimum detectable effect (80 % power) {ev.mde:.3g} {u_en}".rstrip()
        zh += f"；80% 把握可检出的最小效应为 {ev.mde:.3g}{(' ' + u_zh) if u_zh else ''}"
    return en, zh


def finding(ev: Evidence) -> tuple[str, str]:
    """One sentence per language with the number behind the verdict: the estimate, its interval
    and unit, and for an inconclusive test the lean, the ruled-out range and the minimum
    detectable effect. The index, scorecard and brief show it."""
    hid = ev.hypothesis
    if not ev.applicable:
        return (f"{hid}: not applicable — {ev.scope_note_en}", f"{hid}：不适用——{ev.scope_note_zh}")
    est = ev.estimate
    if est is None:
        if ev.role == "description":
            return (f"{hid}: no data.", f"{hid}：无数据。")
        return (f"{hid}: not testable; {ev.change_en}.", f"{hid}：无法检验；{ev.change_zh}。")
    if not _finite(est):
        return (f"{hid}: not estimable.", f"{hid}：无法估计。")
    u_en, u_zh = ev.unit or "", vocab.unit_zh(ev.unit or "")
    lo, hi = ev.ci_low, ev.ci_high
    sign = "+" if ev.role == "test" else ""  # a test's effect is signed; a position is a level
    num_en = f"{est:{sign}.3g} {u_en}".rstrip()
    num_zh = f"{est:{sign}.3g} {u_zh}".rstrip()
    if _finite(lo) and _finite(hi):
        num_en += (f" ({ev.interval_en} [{lo:+.3g}, {hi:+.3g}])" if ev.interval_en
                   else f" [{lo:+.3g}, {hi:+.3g}]")
        num_zh += f"（{ev.interval_zh or '95% 区间'} {lo:+.3g} 至 {hi:+.3g}）"
    elif ev.kind == "fact":
        num_en += f" against {ev.null_value or 0:g}"
        num_zh += f"，参照值 {ev.null_value or 0:g}"
    if ev.role == "description":
        return (f"{hid}: {num_en}; {ev.label_en}.", f"{hid}：{num_zh}；{ev.label_zh}。")
    v_en, v_zh = ev.verdict, VERDICT_ZH.get(ev.verdict, ev.verdict)
    en = f"{hid}: {num_en}; {v_en}"
    zh = f"{hid}：{num_zh}；{v_zh}"
    if ev.verdict == INCONCLUSIVE and ev.lean in ("+", "-"):
        l_en, l_zh = _lean_sentence(ev)
        en += f"; {l_en}"
        zh += f"；{l_zh}"
    return en + ".", zh + "。"


def describe(ev: Evidence) -> tuple[str, str]:
    """The descriptive label of a description: with an interval, rising / falling / no clear
    change (interval includes the reference); without, above / below / within ±band of it."""
    est, null = ev.estimate, ev.null_value or 0.0
    if est is None or not math.isfinite(est):
        return vocab.NO_DATA, vocab.DESCRIPTIVE_ZH[vocab.NO_DATA]
    lo, hi = ev.ci_low, ev.ci_high
    if _finite(lo) and _finite(hi):
        if lo > null:
            k = vocab.RISING
        elif hi < null:
            k = vocab.FALLING
        else:
            k = vocab.FLAT
        return (f"{k} (95% CI [{lo:.3g}, {hi:.3g}])",
                f"{vocab.DESCRIPTIVE_ZH[k]}（95% 区间 [{lo:.3g}, {hi:.3g}]）")
    band = ev.band or 0.0
    k = vocab.WITHIN if abs(est - null) <= band else (vocab.ABOVE if est > null else vocab.BELOW)
    ref = f"{null:g}" + (f" ± {band:g}" if band else "")
    return (f"{k} {ref}" if k != vocab.WITHIN else f"within {ref}",
            f"{vocab.DESCRIPTIVE_ZH[k]} {ref}")


def _judge_main(ev: Evidence) -> tuple[str, str, str]:
    est, null = ev.estimate, ev.null_value if ev.null_value is not None else 0.0
    want = "above" if ev.expected == "+" else "below"
    want_zh = "高于" if ev.expected == "+" else "低于"
    if est is None:
        miss = ev.missing_data or "(not stated)"
        return (NOT_TESTABLE, f"No data to test this. Data that would settle it: {miss}.",
                f"暂无数据可检验。所需数据：{_miss_zh(ev)}。")
    if not math.isfinite(est):
        return (INCONCLUSIVE, "The estimate could not be computed (NaN/inf).",
                "估计值无法计算（NaN/无穷）。")
    if ev.n is not None and ev.n < MIN_N:
        return (INCONCLUSIVE, f"Too little data (n = {ev.n} < {MIN_N}).",
                f"数据太少（n = {ev.n} < {MIN_N}）。")
    side = (est > null) - (est < null)
    if ev.kind == "fact":
        if side == 0:
            return (INCONCLUSIVE, f"The value equals the reference value {null:g}.",
                    f"数值等于参照值 {null:g}。")
        ok = side == (1 if ev.expected == "+" else -1)
        if ok:
            return (SUPPORTED, f"Fact check: {est:.4g} is {want} {null:g}, as claimed.",
                    f"事实核查：{est:.4g} {want_zh} {null:g}，与主张一致。")
        return (CONTRADICTED, f"Fact check: {est:.4g} is not {want} {null:g}, contrary to the claim.",
                f"事实核查：{est:.4g} 并非{want_zh} {null:g}，与主张相反。")
    lo, hi = ev.ci_low, ev.ci_high
    if not (_finite(lo) and _finite(hi)) or lo > hi:
        return (INCONCLUSIVE, "No valid confidence interval; sampling uncertainty unknown.",
                "没有有效的置信区间，抽样不确定性未知。")
    ci = f"[{lo:.4g}, {hi:.4g}]"
    iv_en = ev.interval_en or ("95% design-based interval" if ev.inference else "95% CI")
    iv_zh = ev.interval_zh or ("95% 基于设计的区间" if ev.inference else "95% 置信区间")
    if lo <= null <= hi:
        return (INCONCLUSIVE, f"The {iv_en} {ci} includes {null:g}.",
                f"{iv_zh} {ci} 包含 {null:g}。")
    ci_side = 1 if lo > null else -1
    if ci_side != side:
        return (INCONCLUSIVE, f"Estimate {est:.4g} lies outside its own CI {ci}; check the method.",
                f"估计值 {est:.4g} 不在其置信区间 {ci} 内，请检查方法。")
    if ci_side == (1 if ev.expected == "+" else -1):
        return (SUPPORTED, f"Estimate {est:.4g} is {want} {null:g} and the {iv_en} {ci} excludes it.",
                f"估计值 {est:.4g} {want_zh} {null:g}，且 {iv_zh} {ci} 不含该值。")
    return (CONTRADICTED,
            (f"Estimate {est:.4g} is on the opposite side of {null:g} from the claim and the "
            f"{iv_en} {ci} excludes it."),
            f"估计值 {est:.4g} 与主张方向相反，且 {iv_zh} {ci} 不含 {null:g}。")


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
        from yrdlib.claims import registry

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


def _fmt(x, digits: int = 4) -> str:
    if x is None:
        return "—"
    if isinstance(x, float):
        return "NaN" if not math.isfinite(x) else f"{x:.{digits}g}"
    return str(x)


def _evidence_html(e: Evidence) -> str:
    from yrdlib.report.boxes import evidence_html

    return evidence_html(e.to_dict())


def _plain(e: Evidence) -> str:
    return (f"[{e.hypothesis}] {e.verdict.upper()}: {e.title_en} — estimate {_fmt(e.estimate)} "
            f"CI [{_fmt(e.ci_low)}, {_fmt(e.ci_high)}], n={_fmt(e.n)}; {e.reason_en}")


def _bundle(e: Evidence) -> dict:
    return {"text/plain": _plain(e), "text/html": _evidence_html(e), EVIDENCE_MIME: e.to_dict()}


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
    from yrdlib.claims import registry

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
    from yrdlib.report.boxes import claim_html

    box = claim_html(rec, [e.to_dict() for e in evs], CLAIM_RULE_ZH, CLAIM_RULE_EN)
    display({"text/plain": f"[{claim_id}] {rec['verdict'].upper()}: {rec['title_en']} — "
                           f"{rec['reason_en']}",
             "text/html": box, CLAIM_MIME: rec}, raw=True)
    return rec


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
