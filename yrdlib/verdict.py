"""The hypothesis-level verdict rule: :func:`judge` (and the plain-language reading of a record,
:func:`inform`, :func:`finding`, :func:`describe`). It reads an :class:`yrdlib.evidence.Evidence`
by its fields only, so it sits below the record that calls it."""

from __future__ import annotations

import math
from typing import Any

from yrdlib import vocab

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


def judge(ev: Any) -> tuple[str, str, str]:
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
                    f"描述；无数据（{_miss_zh(ev, '无数值')}）。")
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


def _miss_zh(ev, default: str = "（未说明）") -> str:
    """The missing data in Chinese: its Chinese twin, else the English text (never silently
    dropped)."""
    return getattr(ev, "missing_data_zh", "") or ev.missing_data or default


def _p(p: float | None) -> str:
    """A p-value as a reader sees it: '<0.001' below a thousandth, never e-notation."""
    if p is None or not math.isfinite(p):
        return "—"
    return "<0.001" if p < 0.001 else f"{p:.3f}"


_Z80 = 0.8416212335729143 + 1.959963984540054  # z_{0.80} + z_{0.975}


def inform(ev: Any) -> tuple[str, str, str]:
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


def _lean_sentence(ev: Any) -> tuple[str, str]:
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


def finding(ev: Any) -> tuple[str, str]:
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


def describe(ev: Any) -> tuple[str, str]:
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


def _judge_main(ev: Any) -> tuple[str, str, str]:
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
