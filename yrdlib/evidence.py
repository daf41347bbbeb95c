"""Evidence records and the verdict rule (see CLAIMS.md, "Verdicts").

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

__all__ = [
    "CLAIM_MIME",
    "CLAIM_RULE_EN",
    "CLAIM_RULE_ZH",
    "EVIDENCE_MIME",
    "VERDICTS",
    "Evidence",
    "claim_box",
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
SUPPORTED, CONTRADICTED, INCONCLUSIVE, NOT_TESTABLE = (
    "supported",
    "contradicted",
    "inconclusive",
    "not testable",
)
VERDICTS = (SUPPORTED, CONTRADICTED, INCONCLUSIVE, NOT_TESTABLE)
VERDICT_ZH = {SUPPORTED: "支持", CONTRADICTED: "不支持（方向相反）", INCONCLUSIVE: "不确定",
              NOT_TESTABLE: "无法检验"}
COLOURS = {SUPPORTED: "#2e7d32", CONTRADICTED: "#c62828", INCONCLUSIVE: "#ef6c00",
           NOT_TESTABLE: "#616161"}
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
    verdict: str = field(init=False, default="")
    reason_en: str = field(init=False, default="")
    reason_zh: str = field(init=False, default="")

    def __post_init__(self):
        if self.expected not in ("+", "-"):
            raise ValueError(f"expected must be '+' or '-', got {self.expected!r}")
        if self.kind not in ("estimate", "fact"):
            raise ValueError(f"kind must be 'estimate' or 'fact', got {self.kind!r}")
        for f in ("estimate", "ci_low", "ci_high", "p_value", "pretrend_p", "null_value"):
            setattr(self, f, _num(getattr(self, f)))
        if self.n is not None:
            self.n = int(self.n)
        self.verdict, self.reason_en, self.reason_zh = judge(self)

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
        return _bundle(self)


def judge(ev: Evidence) -> tuple[str, str, str]:
    """THE verdict rule (CLAIMS.md). Returns (verdict, reason_en, reason_zh).

    * not testable — no estimate (None): the data do not exist; notes name the missing data.
    * inconclusive — estimate NaN, no/invalid CI, n < 3, DiD pre-trend test rejects at 5%, or the
      95% CI includes the null value.
    * supported — estimate on the claimed side of the null and the CI excludes the null.
    * contradicted — estimate on the opposite side and the CI excludes the null.
    For ``kind="fact"`` (no sampling uncertainty) the estimate is compared with the null directly.
    """
    est, null = ev.estimate, ev.null_value if ev.null_value is not None else 0.0
    want = "above" if ev.expected == "+" else "below"
    want_zh = "高于" if ev.expected == "+" else "低于"
    if est is None:
        miss = ev.missing_data or "(not stated)"
        return (NOT_TESTABLE, f"No data to test this. Data that would settle it: {miss}.",
                f"暂无数据可检验。所需数据：{miss}。")
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
    if ev.pretrend_p is not None and _finite(ev.pretrend_p) and ev.pretrend_p < ALPHA:
        return (INCONCLUSIVE,
                (f"Pre-trend test rejects parallel trends (p = {ev.pretrend_p:.3f} < {ALPHA}); "
                "the DiD estimate is not credible."),
                f"事前趋势检验拒绝平行趋势（p = {ev.pretrend_p:.3f} < {ALPHA}），DiD 估计不可信。")
    ci = f"[{lo:.4g}, {hi:.4g}]"
    if lo <= null <= hi:
        return (INCONCLUSIVE, f"The 95% CI {ci} includes {null:g}.",
                f"95% 置信区间 {ci} 包含 {null:g}。")
    ci_side = 1 if lo > null else -1
    if ci_side != side:
        return (INCONCLUSIVE, f"Estimate {est:.4g} lies outside its own CI {ci}; check the method.",
                f"估计值 {est:.4g} 不在其置信区间 {ci} 内，请检查方法。")
    if ci_side == (1 if ev.expected == "+" else -1):
        return (SUPPORTED, f"Estimate {est:.4g} is {want} {null:g} and the 95% CI {ci} excludes it.",
                f"估计值 {est:.4g} {want_zh} {null:g}，且 95% 置信区间 {ci} 不含该值。")
    return (CONTRADICTED,
            (f"Estimate {est:.4g} is on the opposite side of {null:g} from the claim and the 95% "
            f"CI {ci} excludes it."),
            f"估计值 {est:.4g} 与主张方向相反，且 95% 置信区间 {ci} 不含 {null:g}。")


CLAIM_RULE_EN = (
    "Claim rule: no testable hypothesis -> not testable; any contradicted and contradicted >= "
    "supported -> contradicted; no contradicted and supported >= half of the testable "
    "hypotheses -> supported; otherwise inconclusive."
)
CLAIM_RULE_ZH = (
    "主张判定规则：没有可检验的假设 → 无法检验；存在被否定的假设且否定数 ≥ 支持数 → 不支持；"
    "没有被否定的假设且支持数 ≥ 可检验假设的一半 → 支持；其余 → 不确定。"
)


def _verdict_of(e) -> str:
    if isinstance(e, Evidence):
        return e.verdict
    if isinstance(e, dict):
        return e.get("verdict") or Evidence.from_dict(e).verdict
    raise TypeError(f"expected Evidence or dict, got {type(e).__name__}")


def claim_verdict(evidences: Iterable) -> tuple[str, str, str]:
    """THE claim-level rule (:data:`CLAIM_RULE_EN`). Returns (verdict, reason_en, reason_zh): a
    one-line reason naming the counts and the branch of the rule that applied."""
    vs = [_verdict_of(e) for e in evidences]
    s, c = vs.count(SUPPORTED), vs.count(CONTRADICTED)
    nt = vs.count(NOT_TESTABLE)
    t = len(vs) - nt
    i = t - s - c
    counts_zh = f"支持 {s} · 否定 {c} · 不确定 {i} · 无法检验 {nt}"
    counts_en = f"{s} supported · {c} contradicted · {i} inconclusive · {nt} not testable"
    if t == 0:
        v = NOT_TESTABLE
        why_zh, why_en = "没有一个假设可用现有数据检验", "no hypothesis can be tested with the data"
    elif c > 0 and c >= s:
        v = CONTRADICTED
        why_zh = f"被否定的假设（{c}）不少于得到支持的（{s}）"
        why_en = f"contradicted ({c}) at least as many as supported ({s})"
    elif c == 0 and s > 0 and 2 * s >= t:
        v = SUPPORTED
        why_zh = f"无被否定的假设，且 {t} 个可检验假设中 {s} 个得到支持（≥ 一半）"
        why_en = f"none contradicted and {s} of {t} testable hypotheses supported (at least half)"
    else:
        v = INCONCLUSIVE
        if c:
            why_zh, why_en = (f"有 {c} 个被否定，但少于得到支持的 {s} 个",
                              f"{c} contradicted, fewer than the {s} supported")
        else:
            why_zh, why_en = (f"{t} 个可检验假设中仅 {s} 个得到支持（不足一半）",
                              f"only {s} of {t} testable hypotheses supported (less than half)")
    return v, f"{counts_en}: {why_en}.", f"{counts_zh}：{why_zh}。"


# ----------------------------------------------------------------------------- display

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


def claim_box(claim_id: str, evidences: Iterable, title_zh: str, title_en: str) -> dict:
    """Display the claim-level verdict (HTML + CLAIM_MIME JSON); returns the JSON record."""
    from IPython.display import display

    evs = [e if isinstance(e, Evidence) else Evidence.from_dict(e) for e in evidences]
    v, ren, rzh = claim_verdict(evs)
    rec = {"claim": claim_id, "title_zh": title_zh, "title_en": title_en, "verdict": v,
           "reason_en": ren, "reason_zh": rzh,
           "hypotheses": {e.hypothesis: e.verdict for e in evs}}
    from yrdlib.report.boxes import claim_html

    box = claim_html(rec, [e.to_dict() for e in evs], CLAIM_RULE_ZH, CLAIM_RULE_EN)
    display({"text/plain": f"[{claim_id}] {v.upper()}: {title_en} — {ren}",
             "text/html": box, CLAIM_MIME: rec}, raw=True)
    return rec


# ----------------------------------------------------------------------------- collection

def _outputs_with(nb_or_path, mime: str) -> list[dict]:
    import nbformat

    name = None
    if isinstance(nb_or_path, (str, Path)):
        name = Path(nb_or_path).stem
        nb = nbformat.read(str(nb_or_path), as_version=4)
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
    df = pd.DataFrame(rows)
    for c in cols:
        if c not in df.columns:
            df[c] = None
    return df[cols + [c for c in df.columns if c not in cols]]
