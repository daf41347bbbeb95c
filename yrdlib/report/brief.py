"""The policy brief of a run (``brief.html``, Chinese; ``brief_en.html``, English): per claim the
verdict, which way the evidence leans, the key number with its interval in plain words and what
would change the verdict; the county's own census facts; a one-paragraph bottom line.

Every sentence is a template filled from the run's evidence and claim records (never typed
numbers), so the brief follows the run. Pure functions from record dicts to HTML; the runner
writes the pages with :func:`yrdlib.report.brief_pages.write_brief` once per run.
:func:`latin_sentences` is the check that the Chinese brief has no English-only sentence.
"""

from __future__ import annotations

import html
import math
import re
from typing import Any

from yrdlib import vocab

__all__ = ["CLAIM_ORDER", "bottom_line", "brief_html", "claim_section", "cluster_names", "fmt",
           "latin_sentences", "plain_number", "yuhuan_facts"]

CLAIM_ORDER = ("S1", "S2", "S3", "S4", "P")
SUPPORTED, CONTRADICTED, INCONCLUSIVE, NOT_TESTABLE = vocab.TEST_VERDICTS

T = {  # every fixed sentence of the brief, (zh, en)
    "title": ("玉环融入长三角：证据说了什么", "Yuhuan joining the YRD: what the evidence shows"),
    "title_cluster": ("{cz}：文章论断的一般形式——证据说了什么",
                      "The {ce}: the article's claims in general form — what the evidence shows"),
    "sub": ("政策简报 · 由运行 {run} 的证据记录自动生成 · 焦点城市 {focus}",
            "Policy brief · generated from the evidence records of run {run} · focus city {focus}"),
    "bottom": ("结论摘要", "Bottom line"),
    "facts": ("玉环自身的数据", "Yuhuan's own figures"),
    "claims": ("逐项论断", "Claim by claim"),
    "verdict": ("结论", "Verdict"),
    "lean": ("证据倾向", "Which way it leans"),
    "key": ("关键数字", "Key number"),
    "change": ("什么会改变结论", "What would change it"),
    "claimed": ("文章的说法：{t}。", "The article: {t}."),
    "provisional": ("（暂定：依据用户提供、未经核实的数据）",
                    " (provisional: rests on unverified user data)"),
    "more": ("完整报告与方法：", "Full report and methods: "),
    "glossary": ("术语表", "Glossary"),
    "chart_note": ("图：各检验的 95% 区间（横线）、估计值（圆点）与零线（竖线）；各行刻度不同。",
                   "Chart: each test's 95 % interval (line), estimate (dot) and zero (vertical "
                   "line); each row has its own scale."),
    "paths_note": ("图：{focus}在{cz}城市中的百分位（50 为中位数，灰带为 40–60 的中间区）。",
                   "Chart: {focus}'s percentile among the {ce} cities (50 = median; grey band: "
                   "the middle 40–60)."),
}

LEAN = {  # (agrees with the article?, zh, en)
    True: ("估计方向与文章的说法一致", "the estimate points the way the article says"),
    False: ("估计方向与文章的说法相反", "the estimate points against the article"),
}


def cluster_names(cluster: str | None) -> dict[str, str]:
    """{cz, ce}: the cluster a run tested, as the brief names it (the YRD: 长三角 / YRD)."""
    if not cluster:
        return {"cz": "长三角", "ce": "YRD"}
    from yrdlib import groups

    full = groups.resolve_cluster(cluster)
    if full == groups.DEFAULT_CLUSTER:
        return {"cz": "长三角", "ce": "YRD"}
    return {"cz": full, "ce": groups.cluster_en(full)}


def _t(key: str, lang: str, **kw) -> str:
    zh, en = T[key]
    return (zh if lang == "zh" else en).format(**kw)


def _finite(x: Any) -> bool:
    try:
        return x is not None and math.isfinite(float(x))
    except (TypeError, ValueError):
        return False


def fmt(x: float, sig: int = 2) -> str:
    """A magnitude with ``sig`` significant digits, never in e-notation (0.000039, 1,240)."""
    x = float(x)
    if x == 0:
        return "0"
    mag = math.floor(math.log10(abs(x)))
    if mag >= sig - 1:
        return f"{round(x, -(mag - sig + 1)):,.0f}"
    return f"{x:.{sig - 1 - mag}f}"


def _signed(v: float) -> str:
    return f"{'+' if v >= 0 else '−'}{fmt(abs(v))}"


def _pct(logv: float) -> float:
    return 100 * (math.exp(logv) - 1)


def _updown(x: float, lang: str, up: tuple[str, str], down: tuple[str, str]) -> str:
    return (up if x >= 0 else down)[0 if lang == "zh" else 1]


def plain_number(rec: dict, lang: str = "zh") -> str:
    """The estimate and its interval in words a non-economist reads, by the record's unit
    (e.g. '每年下降约 0.063 个百分点（95% 区间：每年下降 0.050 至 0.076 个百分点）')."""
    est, lo, hi = rec.get("estimate"), rec.get("ci_low"), rec.get("ci_high")
    unit = (rec.get("unit") or "").strip()
    zh = lang == "zh"
    if not _finite(est):
        return ""
    est = float(est)
    has_ci = _finite(lo) and _finite(hi)
    iv = ("95% 区间" if zh else "95 % interval")
    if unit == "pp/yr":
        s = (f"每年{_updown(est, lang, ('上升', ''), ('下降', ''))}约 {fmt(abs(est))} 个百分点" if zh
             else f"{_updown(est, lang, ('', 'rises'), ('', 'falls'))} by about {fmt(abs(est))} "
                  "percentage points a year")
        r = _signed
        tail = (f"（{iv}：每年 {r(lo)} 至 {r(hi)} 个百分点）" if zh
                else f" ({iv}: {r(lo)} to {r(hi)} points a year)") if has_ci else ""
        return s + tail
    if unit.startswith("log points"):
        p = _pct(est)
        s = (f"约{_updown(p, lang, ('高', ''), ('低', ''))} {fmt(abs(p))}%" if zh
             else f"about {fmt(abs(p))} % {_updown(p, lang, ('', 'higher'), ('', 'lower'))}")
        def r(v):
            return _signed(_pct(v)) + "%"
        tail = (f"（{iv}：{r(lo)} 至 {r(hi)}）" if zh
                else f" ({iv}: {r(lo)} to {r(hi)})") if has_ci else ""
        return s + tail
    if unit in ("percentage points", "100×Δln"):
        word = (("个百分点", "percentage points") if unit == "percentage points"
                else ("%（对数近似）", "% (log approximation)"))
        s = (f"{_updown(est, lang, ('高', ''), ('低', ''))}约 {fmt(abs(est))} {word[0]}" if zh
             else f"{fmt(abs(est))} {word[1]} {_updown(est, lang, ('', 'higher'), ('', 'lower'))}")
        r = _signed
        tail = ((f"（{iv}：{r(lo)} 至 {r(hi)}）" if zh else f" ({iv}: {r(lo)} to {r(hi)})")
                if has_ci else "")
        return s + tail
    if unit.startswith("ratio"):
        ref = "最接近的其他城市群" if "cluster" in unit else "参照值"
        ref_en = "the nearest other cluster" if "cluster" in unit else "the reference"
        return (f"是{ref}的 {est:.2f} 倍" if zh else f"{est:.2f} times {ref_en}")
    if unit.startswith("percentile"):
        return (f"处于第 {est:.0f} 百分位（50 为中位数）" if zh
                else f"at the {est:.0f}th percentile (50 = median)")
    if unit.startswith("rank places"):
        return (f"名次变化 {est:+.0f} 位" + (f"（范围 {lo:+.0f} 至 {hi:+.0f} 位）" if has_ci else "")
                if zh else f"rank change {est:+.0f} places"
                + (f" (range {lo:+.0f} to {hi:+.0f})" if has_ci else ""))
    u = vocab.unit_zh(unit) if zh else unit
    s = f"{'+' if est >= 0 else '−'}{fmt(abs(est))} {u}".rstrip()
    if has_ci:
        s += (f"（{iv}：{fmt(lo)} 至 {fmt(hi)}）" if zh else f" ({iv}: {fmt(lo)} to {fmt(hi)})")
    return s


def _name(text: str, focus: str) -> str:
    return (text or "").replace("焦点城市", focus).replace("The focus city", focus) \
        .replace("the focus city", focus)


def _failed_checks(rec: dict) -> int:
    return sum(1 for r in rec.get("sensitivity") or []
               if r.get("binding", True) and r.get("agrees") is False)


def change_text(rec: dict, lang: str = "zh") -> str:
    """What would change a test's verdict, in one plain sentence from the record's fields (its
    verdict, interval, minimum detectable effect and disagreeing binding checks)."""
    zh = lang == "zh"
    v = rec.get("verdict")
    if v == NOT_TESTABLE:
        return ("缺少所需数据；补充后即可检验（所需数据见该论断报告）。" if zh
                else f"Data that would settle it: {rec.get('missing_data') or 'see the report'}.")
    if v in (SUPPORTED, CONTRADICTED):
        if rec.get("kind") == "fact":
            return ("这是事实核查：只有数据本身更正才会改变。" if zh
                    else "A fact check: only a correction of the data would change it.")
        return ("若 95% 区间包含 0，或有约束性检验方向相反，结论将变为不确定。" if zh
                else "An interval including 0, or a binding check pointing the other way, would "
                     "make it inconclusive.")
    nf = _failed_checks(rec)
    lo, hi = rec.get("ci_low"), rec.get("ci_high")
    null = float(rec.get("null_value") or 0)
    excl = _finite(lo) and _finite(hi) and not (float(lo) <= null <= float(hi))
    agrees = rec.get("lean") == rec.get("expected")
    target = (vocab.VERDICT_ZH[SUPPORTED] if agrees else vocab.VERDICT_ZH[CONTRADICTED]) if zh \
        else (SUPPORTED if agrees else CONTRADICTED)
    if excl and nf:
        return (f"主估计的区间已排除 0；若 {nf} 项方向不一致的约束性检验也指向同一方向，"
                f"结论将变为「{target}」。"
                if zh else f"The main interval already excludes 0; if the {nf} binding check(s) "
                           f"that disagree pointed the same way, it would become {target}.")
    parts = []
    if _finite(rec.get("mde")):
        m = float(rec["mde"])
        unit = (rec.get("unit") or "").strip()
        if unit.startswith("log points"):
            size = f"约 {fmt(_pct(m))}%" if zh else f"about {fmt(_pct(m))} %"
        else:
            size = f"{fmt(m)} {vocab.unit_zh(unit) if zh else unit}".rstrip()
        gap = "" if size.startswith("约") else " "
        parts.append(f"真实效应至少达到{gap}{size}（以八成把握可检出的最小效应）" if zh
                     else f"a true effect of at least {size} (the smallest effect detectable with "
                          "80 % power)")
    if nf:
        parts.append(f"{nf} 项约束性检验与主估计方向一致" if zh
                     else f"the {nf} disagreeing binding check(s) agreeing")
    if not parts:
        return ""
    return ("需要" + "，并且 ".join(parts) + "。") if zh else ("It would take " + " and ".join(parts) + ".")


def _lean_text(recs: list[dict], lang: str) -> str:
    """Which way the claim's tests with an estimate lean against the article's direction."""
    zh = lang == "zh"
    signed = [r for r in recs if r.get("lean") in ("+", "-")]
    if not signed:
        return "没有可判断方向的估计。" if zh else "No estimate with a direction."
    n_for = sum(r["lean"] == r.get("expected") for r in signed)
    n_against = len(signed) - n_for
    if zh:
        return f"{len(signed)} 项有估计的检验中，{n_for} 项方向与文章一致，{n_against} 项相反。"
    return (f"Of {len(signed)} tests with an estimate, {n_for} point the way the article says and "
            f"{n_against} against it.")


def _chart(recs: list[dict], lang: str) -> str:
    """One small SVG per claim: each test's interval and estimate against zero (own scale)."""
    rows = [r for r in recs if _finite(r.get("estimate")) and _finite(r.get("ci_low"))
            and _finite(r.get("ci_high"))]
    if not rows:
        return ""
    w, h, x0, x1 = 560, 20, 70, 540
    out = [f'<svg class="b-chart" viewBox="0 0 {w} {h * len(rows) + 6}" role="img" '
           f'aria-label="{html.escape(_t("chart_note", lang))}">']
    for i, r in enumerate(rows):
        null = float(r.get("null_value") or 0)
        lo, hi, est = float(r["ci_low"]), float(r["ci_high"]), float(r["estimate"])
        a, b = min(lo, null), max(hi, null)
        pad = (b - a) * 0.1 or 1
        a, b = a - pad, b + pad

        def sx(v, a=a, b=b):
            return x0 + (v - a) / (b - a) * (x1 - x0)
        y = i * h + 12
        col = vocab.COLOURS.get(r.get("verdict"), "#616161")
        out.append(f'<text x="0" y="{y + 4}" font-size="12">{html.escape(r["hypothesis"])}</text>'
                   f'<line x1="{sx(null):.1f}" x2="{sx(null):.1f}" y1="{y - 8}" y2="{y + 8}" '
                   'stroke="#444" stroke-width="1.5"/>'
                   f'<line x1="{sx(lo):.1f}" x2="{sx(hi):.1f}" y1="{y}" y2="{y}" stroke="{col}" '
                   'stroke-width="3"/>'
                   f'<circle cx="{sx(est):.1f}" cy="{y}" r="5" fill="{col}"/>')
    out.append("</svg>")
    return "".join(out) + f'<p class="b-note">{html.escape(_t("chart_note", lang))}</p>'


def _paths_chart(recs: list[dict], lang: str, focus: str, cluster: str | None = None) -> str:
    rows = [r for r in recs if _finite(r.get("estimate"))
            and (r.get("unit") or "").startswith("percentile")]
    if not rows:
        return ""
    w, h, x0, x1 = 560, 18, 150, 540
    def sx(v):
        return x0 + v / 100 * (x1 - x0)
    key = "title_zh" if lang == "zh" else "title_en"
    out = [f'<svg class="b-chart" viewBox="0 0 {w} {h * len(rows) + 6}" role="img" '
           f'aria-label="{html.escape(_t("paths_note", lang, focus=focus, **cluster_names(cluster)))}">',
           f'<rect x="{sx(40):.1f}" y="0" width="{sx(60) - sx(40):.1f}" height="{h * len(rows)}" '
           'fill="#eee"/>']
    for i, r in enumerate(rows):
        y = i * h + 11
        name = re.sub(r"[：:].*$", "", r.get(key) or r["hypothesis"])
        name = re.sub(r"^(路径|Path)\s*", "", name).strip("「」' ")
        out.append(f'<text x="0" y="{y + 4}" font-size="12">{html.escape(name)}</text>'
                   f'<line x1="{x0}" x2="{x1}" y1="{y}" y2="{y}" stroke="#ccc"/>'
                   f'<circle cx="{sx(float(r["estimate"])):.1f}" cy="{y}" r="5" fill="#1565c0"/>'
                   f'<text x="{sx(float(r["estimate"])) + 8:.1f}" y="{y + 4}" font-size="11">'
                   f'{float(r["estimate"]):.0f}</text>')
    out.append("</svg>")
    note = _t("paths_note", lang, focus=focus, **cluster_names(cluster))
    return "".join(out) + f'<p class="b-note">{html.escape(note)}</p>'


def _key_record(claim: dict, recs: list[dict], core: list[str]) -> dict | None:
    """The record whose number heads the claim: a core test with an estimate (the most precise
    one, i.e. the one whose interval lies furthest from 0 in standard errors), else any test."""
    def score(r):
        lo, hi, est = r.get("ci_low"), r.get("ci_high"), r.get("estimate")
        if _finite(lo) and _finite(hi) and float(hi) > float(lo):
            return abs(float(est)) / (float(hi) - float(lo))
        return 0.0
    for pool in ([r for r in recs if r["hypothesis"] in core],
                 [r for r in recs if r.get("role", "test") == "test"], recs):
        pool = [r for r in pool if _finite(r.get("estimate"))]
        if pool:
            return max(pool, key=score)
    return None


def claim_section(claim: dict, recs: list[dict], core: list[str], lang: str = "zh",
                  focus: str = "台州", href: str = "", cluster: str | None = None) -> str:
    """One claim: verdict, lean, key number in plain words, what would change it, one chart."""
    zh = lang == "zh"
    e = html.escape
    cid = claim.get("claim", "")
    title = _name(claim.get("title_zh" if zh else "title_en", ""), focus)
    v = claim.get("verdict", "")
    vtxt = vocab.VERDICT_ZH.get(v, v) if zh else v
    prov = _t("provisional", lang) if claim.get("provisional") or any(
        r.get("provisional") or r.get("user_data") for r in recs
        if r["hypothesis"] in core) else ""
    tests = [r for r in recs if r.get("role", "test") == "test" and r.get("applicable", True)]
    parts = [f'<section class="b-claim" id="{e(cid)}"><h3><span class="b-badge" '
             f'style="background:{vocab.COLOURS.get(v, "#616161")}">{e(vtxt)}</span> '
             f'{e(cid)} {e(title)}{e(prov)}</h3><dl>']
    cn = cluster_names(cluster)
    if cid == "P":
        descs = [r for r in recs if r.get("role") == "description"]
        above = [r for r in descs if r.get("label_en", "").startswith("above")]
        below = [r for r in descs if r.get("label_en", "").startswith("below")]
        def short(r):
            t = re.sub(r"[：:].*$", "", r.get("title_zh" if zh else "title_en") or "")
            return re.sub(r"^(路径|Path)\s*", "", t).strip("「」' ")
        sep = "、" if zh else ", "
        if zh:
            txt = (f"这些是描述，不是检验：{focus}在{sep.join(map(short, above)) or '—'}方面"
                   f"高于{cn['cz']}中间水平，在{sep.join(map(short, below)) or '—'}方面低于中间水平。")
        else:
            txt = (f"Descriptions, not tests: {focus} stands above the {cn['ce']} middle in "
                   f"{sep.join(map(short, above)) or '—'} and below it in "
                   f"{sep.join(map(short, below)) or '—'}.")
        parts.append(f"<dt>{e(_t('key', lang))}</dt><dd>{e(txt)}</dd></dl>")
        parts.append(_paths_chart(descs, lang, focus, cluster))
    else:
        key = _key_record(claim, tests, core)
        parts.append(f"<dt>{e(_t('lean', lang))}</dt><dd>{e(_lean_text(tests, lang))}</dd>")
        if key is not None:
            kt = _name(key.get("title_zh" if zh else "title_en", ""), focus)
            agree = LEAN[key.get("lean") == key.get("expected")][0 if zh else 1] \
                if key.get("lean") in ("+", "-") else ""
            num = plain_number(key, lang)
            if key.get("provisional") or key.get("user_data"):  # rests on unverified user figures
                num += _t("provisional", lang)
            sent = (f"{key['hypothesis']}　{_t('claimed', lang, t=kt)}数据显示：{num}；{agree}。" if zh
                    else f"{key['hypothesis']}: {_t('claimed', lang, t=kt)} The data: {num}; {agree}.")
            parts.append(f"<dt>{e(_t('key', lang))}</dt><dd>{e(sent)}</dd>")
            ch = change_text(key, lang)
        else:
            nt = [r for r in tests if r.get("verdict") == NOT_TESTABLE]
            ch = change_text(nt[0], lang) if nt else ""
        untestable = [r["hypothesis"] for r in tests if r.get("verdict") == NOT_TESTABLE
                      and r["hypothesis"] in core]
        if untestable:
            ch += (f"核心检验 {'、'.join(untestable)} 缺少数据，补充前论断无法判为支持。" if zh
                   else f" Core test(s) {', '.join(untestable)} lack data; until added the claim "
                        "cannot be supported.")
        if ch:
            parts.append(f"<dt>{e(_t('change', lang))}</dt><dd>{e(ch.strip())}</dd>")
        parts.append("</dl>")
        parts.append(_chart([r for r in tests if r["hypothesis"] in core] or tests, lang))
    if href:
        parts.append(f'<p class="b-note">{e(_t("more", lang))}<a href="{e(href)}">{e(href)}</a></p>')
    parts.append("</section>")
    return "".join(parts)


def yuhuan_facts(census: list[dict], code: str = "331083", lang: str = "zh") -> list[str]:
    """Plain sentences on the county's census figures (2010, 2020) and its rank among Taizhou's
    counties, from the profile's exported census table rows; [] when the county is missing."""
    zh = lang == "zh"
    by = {(str(r.get("region_code")), int(r.get("year"))): r for r in census
          if _finite(r.get("year"))}
    c10, c20 = by.get((code, 2010)), by.get((code, 2020))
    if not (c10 and c20):
        return []
    counties = [r for r in census if str(r.get("region_code")) != code[:4] + "00"]

    def rank(measure: str, year: int) -> tuple[int, int]:
        vals = sorted((float(r[measure]) for r in counties
                       if int(r["year"]) == year and _finite(r.get(measure))), reverse=True)
        return vals.index(float(by[(code, year)][measure])) + 1, len(vals)
    name = c20.get("name_zh" if zh else "name_en") or code
    out = []
    if _finite(c10.get("census_pop")) and _finite(c20.get("census_pop")):
        g = 100 * (float(c20["census_pop"]) / float(c10["census_pop"]) - 1)
        out.append(f"{name}常住人口由 2010 年的 {float(c10['census_pop']) / 1e4:.1f} 万人变为 2020 年的 "
                   f"{float(c20['census_pop']) / 1e4:.1f} 万人（{g:+.1f}%）。" if zh else
                   f"{name} had {float(c10['census_pop']):,.0f} residents in 2010 "
                   f"and {float(c20['census_pop']):,.0f} in 2020 ({g:+.1f} %).")
    for m, y, zh_t, en_t in (
            ("census_net_inflow_share", 2010, "常住人口多于户籍人口的部分占常住人口 {v:.1f}%",
             "residents exceeded registered (hukou) persons by {v:.1f} % of residents"),
            ("census_migrant_share", 2020, "外省户籍的常住人口占 {v:.1f}%",
             "{v:.1f} % of residents hold hukou in another province"),
            ("census_manufacturing_share", 2020, "制造业就业占全部就业的 {v:.1f}%",
             "manufacturing is {v:.1f} % of employment"),
            ("census_urban_share", 2020, "城镇化率 {v:.1f}%", "urbanisation is {v:.1f} %")):
        if not _finite(by[(code, y)].get(m)):
            continue
        k, n = rank(m, y)
        v = float(by[(code, y)][m])
        out.append(f"{y} 年{zh_t.format(v=v)}，在台州 {n} 个县（市、区）中居第 {k} 位。" if zh else
                   f"In {y} {en_t.format(v=v)}, rank {k} of Taizhou's {n} counties.")
    out.append("来源：第六、七次全国人口普查分县资料。" if zh
               else "Source: 6th and 7th population census county tables (NBS).")
    return out


def bottom_line(claims: list[dict], hyps: list[dict], lang: str = "zh", focus: str = "台州",
                cluster: str | None = None) -> str:
    """One paragraph: how many claims got each verdict and which claims' tests lean against the
    article (named with their key number)."""
    zh = lang == "zh"
    tested = [c for c in claims if c.get("claim") != "P"]
    count = {v: sum(c.get("verdict") == v for c in tested) for v in vocab.TEST_VERDICTS}
    against = []
    for c in tested:
        recs = [h for h in hyps if h.get("claim") == c.get("claim") and h.get("role", "test") == "test"
                and h.get("lean") in ("+", "-")]
        if recs and all(h["lean"] != h.get("expected") for h in recs
                        if h.get("hypothesis") in _core(c.get("claim"))) and any(
                h.get("hypothesis") in _core(c.get("claim")) for h in recs):
            against.append(c["claim"])
    vz = vocab.VERDICT_ZH
    cn = cluster_names(cluster)
    na = [c for c in tested if c.get("verdict") == vocab.NOT_APPLICABLE]
    if tested and len(na) == len(tested):  # nothing was tested: say so, not "no effect shown"
        from collections import Counter

        reasons = Counter(h.get("reason_zh" if zh else "reason_en") or "" for h in hyps
                          if h.get("verdict") == vocab.NOT_APPLICABLE)
        why = reasons.most_common(1)[0][0] if reasons else ""  # the reason most tests share
        return (f"文章的 {len(tested)} 项论断对{focus}都不适用，没有作检验。{why}" if zh else
                f"None of the article's {len(tested)} claims applies to {focus}; nothing was "
                f"tested. {why}").strip()
    if zh:
        s = (f"文章的 {len(tested)} 项论断中，{count[SUPPORTED]} 项得到数据支持，"
             f"{count[CONTRADICTED]} 项被否定，"
             f"{count[INCONCLUSIVE]} 项{vz[INCONCLUSIVE]}，{count[NOT_TESTABLE]} 项{vz[NOT_TESTABLE]}。")
        if against:
            s += f"其中 {'、'.join(against)} 的核心检验估计均与文章方向相反，只是尚未通过全部稳健性检验。"
        s += "“不确定”不等于“没有证据”：下文每项给出了证据倾向和改变结论所需的条件。"
        if count[SUPPORTED] == 0:
            s += ("现有公开统计不足以证明加入长三角本身带来了文章所说的变化。" if cn["ce"] == "YRD" else
                  f"现有公开统计不足以证明列入{cn['cz']}规划本身带来了文章所说的变化。")
    else:
        s = (f"Of the article's {len(tested)} claims, {count[SUPPORTED]} are supported by the data, "
             f"{count[CONTRADICTED]} contradicted, {count[INCONCLUSIVE]} inconclusive and "
             f"{count[NOT_TESTABLE]} not testable.")
        if against:
            s += (f" The core tests of {', '.join(against)} all point against the article, though "
                  "not every robustness check agrees.")
        s += (" 'Inconclusive' is not 'no evidence': each claim below says which way the evidence "
              "leans and what would change the verdict.")
        if count[SUPPORTED] == 0:
            s += (" The public statistics do not show that joining the YRD itself brought the "
                  "changes the article describes." if cn["ce"] == "YRD" else
                  f" The public statistics do not show that being listed in the {cn['ce']} plan "
                  "itself brought the changes the article describes.")
    return s


def _core(cid: str | None) -> list[str]:
    try:
        from yrdlib.claims import registry

        return list(registry.claim(cid).core)
    except Exception:  # noqa: BLE001 - an unknown claim has no core tests
        return []


CSS = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",sans-serif;
 color:#222;max-width:820px;margin:0 auto;padding:12px 16px;line-height:1.5;font-size:15px;
 overflow-wrap:anywhere}
h1{font-size:1.45em;margin:.2em 0}h2{font-size:1.1em;border-bottom:2px solid #1565c0;margin:.8em 0 .3em}
h3{font-size:1em;margin:.2em 0}.b-sub,.b-note{color:#666;font-size:.85em;margin:.2em 0}
.b-badge{color:#fff;border-radius:4px;padding:1px 7px;font-size:.9em}
.b-claim{border-left:4px solid #ddd;padding:2px 0 2px 10px;margin:8px 0;break-inside:avoid}
dl{margin:.2em 0;display:grid;grid-template-columns:7.5em 1fr;gap:1px 8px}
dt{font-weight:bold;color:#444}dd{margin:0}
.b-chart{width:100%;max-width:560px;height:auto;display:block}
.b-bottom{background:#f3f6fb;padding:8px 12px;border-radius:6px}
@media (max-width:480px){dl{grid-template-columns:1fr}}
@page{size:A4;margin:11mm 12mm}
@media print{body{font-size:9.5pt;max-width:none;padding:0;line-height:1.35}.b-claim{margin:4px 0}
 h2{margin:.45em 0 .2em}.b-chart{max-height:95px;width:auto}a{color:#222;text-decoration:none}}
"""


def brief_html(claims: list[dict], hyps: list[dict], *, lang: str = "zh", run_id: str = "",
               focus: str = "台州", facts: list[str] | None = None,
               hrefs: dict[str, str] | None = None, other: str = "",
               cluster: str | None = None) -> str:
    """The whole brief (one language) from the run's claim and evidence records; ``cluster``:
    the city cluster the run tested when it is not the YRD (the title and wording name it)."""
    cn = cluster_names(cluster)
    title = _t("title", lang) if cn["ce"] == "YRD" else _t("title_cluster", lang, **cn)
    e = html.escape
    zh = lang == "zh"
    order = {c: i for i, c in enumerate(CLAIM_ORDER)}
    cl = sorted(claims, key=lambda c: order.get(c.get("claim"), 99))
    body = [f"<h1>{e(title)}</h1>",
            f'<p class="b-sub">{e(_t("sub", lang, run=run_id, focus=focus))}'
            + (f' · <a href="{e(other)}">{"English" if zh else "中文"}</a>' if other else "")
            + f' · <a href="glossary.html">{e(_t("glossary", lang))}</a></p>',
            f"<h2>{e(_t('bottom', lang))}</h2>",
            f'<p class="b-bottom">{e(bottom_line(cl, hyps, lang, focus, cluster))}</p>']
    if facts:
        body += [f"<h2>{e(_t('facts', lang))}</h2>", "<p>" + e("" if zh else " ").join(
            e(f) for f in facts) + "</p>"]
    body.append(f"<h2>{e(_t('claims', lang))}</h2>")
    for c in cl:
        recs = [h for h in hyps if h.get("claim") == c.get("claim")]
        body.append(claim_section(c, recs, _core(c.get("claim")), lang, focus,
                                  (hrefs or {}).get(c.get("claim"), ""), cluster))
    return (f'<!DOCTYPE html><html lang="{"zh-CN" if zh else "en"}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{e(title)}</title><style>{CSS}</style></head><body>"
            + "".join(body) + "</body></html>")


# ---------------------------------------------------------------- the Chinese-throughout check
ALLOWED_LATIN = re.compile(
    r"\b(?:S[1-4](?:\.[a-g])?|P(?:\.[a-z]+)?|YRD|GDP|FDI|NBS|CI|MDE|RMSPE|did2s|pp|km|ln|"
    r"Rambachan|Roth|Sun|Abraham|Callaway|Sant'Anna|HonestDiD|English)\b"
    r"|\b[\w.-]+\.(?:html|csv|xlsx|ipynb)\b", re.I)
_TAG = re.compile(r"<(script|style)\b.*?</\1>|<[^>]+>", re.S | re.I)
_CJK = re.compile(r"[\u3400-\u9fff]")


def latin_sentences(page: str, allowed: re.Pattern = ALLOWED_LATIN) -> list[str]:
    """Sentences of a page (tags stripped) that contain no Chinese character but a Latin word
    other than the allowed names, units and codes: the sentences a Chinese reader cannot read."""
    text = html.unescape(_TAG.sub("\n", page))
    bad = []
    for s in re.split(r"[。！？；\n]|(?<=[.!?;])\s+", text):
        s = s.strip()
        if not s or _CJK.search(s):
            continue
        rest = allowed.sub("", s)
        rest = re.sub(r"\b[0-9a-f]{7,}\b|\d{8}T\d{6}Z\S*", "", rest)  # run ids, hashes
        if re.search(r"[A-Za-z]{2,}", rest):
            bad.append(s)
    return bad
