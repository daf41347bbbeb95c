"""What a pooled causal test's report says about its inference, in words: how many treated
provinces there are and what that means, the design-based numbers, the breakdown M̄ and the
rule's calibration for this test. Presentation of :func:`yrdlib.claims.common.did_test`'s result,
kept apart from the estimation."""

from __future__ import annotations

import numpy as np

from yrdlib import groups, vocab
from yrdlib.claims import calibration, common

CALIBRATED_TREATMENT = "association"
"""The treatment whose assignment ``yrd calibrate`` measures (the hypotheses' defaults)."""


def inference_note(result, lang: str = "both") -> str:
    """Markdown for a causal test's report: how many treated provinces there are and what that
    means for inference, the design-based numbers (p, interval, minimum detectable effect), the
    breakdown M̄, and the calibration of the rule for this test (size; power at 1, 2, 4 SD)
    from docs/calibration/summary.csv, with the data version it was measured on."""
    ev = result.evidence
    head = result.data.get("design") or {}
    if not head or "error" in head:
        return vocab.label("设计推断不可用。", "Design-based inference is not available.", lang)
    provs = list(result.data.get("treated_provinces", []))
    pzh, pen = common._province_words(provs)
    k, n = head["n_treated_blocks"], head["n_blocks"]
    u_en, u_zh = ev.unit, vocab.unit_zh(ev.unit)
    treatment = result.data.get("treatment", CALIBRATED_TREATMENT)
    tzh, ten = groups.treatment_phrase(treatment)
    zh = (f"**推断方式。** {tzh}是按省份成批发生的：样本中的处理城市分属 {k} 个省（{pzh}），"
          f"共 {n} 个省。"
          f"因此主检验用省级随机化推断：把各省的加入年份模式随机分配给其他省份（{head['n_perm']} 次），"
          f"看实际估计在这些“安慰剂”估计中是否罕见。p = {common._fmt_p(head['p'])}；"
          f"95% 区间 {head['ci_low']:+.3g} 至 {head['ci_high']:+.3g} {u_zh}（在常数效应假设下反解检验得到）；"
          f"设计标准误 {head['se_design']:.3g}，80% 把握可检出的最小效应 {head['mde']:.3g} {u_zh}。"
          f"只有 {k} 个处理省份时，城市聚类标准误会把省级冲击当成处理效应，所以它只作参考。")
    en = (f"**Inference.** {ten} came in province blocks: the treated cities of the sample "
          f"lie in {k} provinces ({pen}) of {n}. The headline test therefore gives whole provinces' "
          f"cohort patterns to other provinces ({head['n_perm']} permutations) and asks how unusual "
          f"the actual estimate is among these placebo estimates: p = {common._fmt_p(head['p'])}; 95 % "
          f"interval {head['ci_low']:+.3g} to {head['ci_high']:+.3g} {u_en} (the test inverted "
          f"under a constant effect); design SE {head['se_design']:.3g}, minimum detectable effect "
          f"at 80 % power {head['mde']:.3g} {u_en}. With {k} treated provinces, city-clustered "
          "errors read province-level shocks as treatment effects, so they are shown, not used.")
    hr = next((r for r in ev.sensitivity if r.get("kind") == "honest"), None)
    if hr and hr.get("breakdown") is not None:
        bd = hr["breakdown"]
        if isinstance(bd, float) and np.isnan(bd):
            zh += (" 平行趋势敏感性（Rambachan–Roth，相对幅度）：即使不允许事后偏离（M̄ = 0），区间也包含 0，"
                   f"因此没有临界值（规则要求在 M̄ = {common.HONEST_MBAR:g} 时区间不含 0）。")
            en += (" Parallel-trends sensitivity (Rambachan–Roth, relative magnitudes): the interval "
                   "includes 0 even with no post-period violation (M̄ = 0), so there is no breakdown "
                   f"value (the rule asks the interval at M̄ = {common.HONEST_MBAR:g} to exclude 0).")
        else:
            bd_txt = f"{bd:.2f}" if np.isfinite(bd) else "≥ 10"
            zh += (f" 平行趋势敏感性（Rambachan–Roth，相对幅度）：事后偏离不超过事前最大偏离的 {bd_txt} 倍时"
                   f"区间仍不含 0（规则要求 M̄ = {common.HONEST_MBAR:g}）。")
            en += (f" Parallel-trends sensitivity (Rambachan–Roth, relative magnitudes): breakdown "
                   f"M̄ = {bd_txt} (the rule asks M̄ = {common.HONEST_MBAR:g}).")
    cal = _calibration_row(ev.hypothesis)
    if cal is not None and treatment != CALIBRATED_TREATMENT:
        czh, cen = groups.treatment_phrase(CALIBRATED_TREATMENT)
        zh += (f" **规则校准**只在{czh}的处理分配上测过（植入 4 个标准差效应时判为支持的比例 "
               f"{cal['power_4sd']:.0%}），没有在本次的处理分配（{tzh}，{k} 个处理省份）上单独测；"
               "本次分配能检出多大的效应，看上面 80% 把握可检出的最小效应。")
        en += (f" **Calibration of the rule** was measured only on the assignment of "
               f"{cen[0].lower() + cen[1:]} (supported at a planted 4 SD effect in "
               f"{cal['power_4sd']:.0%} of runs), not on this run's ({ten[0].lower() + ten[1:]}, "
               f"{k} treated provinces); how large an effect this assignment can detect is the "
               "minimum detectable effect above.")
    elif cal is not None:
        same = bool(cal.get("current_data"))
        zh += (f" **规则校准**（{int(cal['placebo_runs'])} 次安慰剂省份分配）：无效应时判为支持或否定的比例 "
               f"{cal['size']:.0%}；植入 1、2、4 个标准差效应时判为支持的比例 "
               f"{cal['power_1sd']:.0%}、{cal['power_2sd']:.0%}、{cal['power_4sd']:.0%}；"
               f"在真实处理城市上植入 4 个标准差（{cal['tau_4sd']:.3g} {u_zh}）："
               f"{vocab.VERDICT_ZH.get(cal['actual_4sd'], cal['actual_4sd'])}。"
               + ("" if same else "（校准基于另一数据版本。）"))
        en += (f" **Calibration of the rule** ({int(cal['placebo_runs'])} placebo province "
               f"assignments): supported or contradicted without an effect in {cal['size']:.0%} of "
               f"runs; supported at planted effects of 1, 2 and 4 within-city SDs in "
               f"{cal['power_1sd']:.0%}, {cal['power_2sd']:.0%} and {cal['power_4sd']:.0%}; a 4 SD "
               f"effect ({cal['tau_4sd']:.3g} {u_en}) planted on the actual treated cities: "
               f"{cal['actual_4sd']}." + ("" if same else " (Calibrated on another data version.)"))
    else:
        zh += " 本检验尚无规则校准结果（运行 `yrd calibrate`）。"
        en += " No calibration of the rule for this test yet (run `yrd calibrate`)."
    return vocab.label(zh, en, lang, sep="\n\n")


def _calibration_row(hid: str) -> dict | None:
    s = calibration.published_summary()
    if s is None or hid not in set(s["hypothesis"]):
        return None
    return s[s["hypothesis"] == hid].iloc[0].to_dict()
