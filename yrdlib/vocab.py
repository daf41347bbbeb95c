"""The project's one vocabulary: verdict names and colours in both languages, the descriptive
labels that descriptions carry instead of verdicts, what each data flag means, and the one
bilingual label helper. Every page, table and figure takes its words from here, so that a verdict
reads the same in the evidence box, the index, the scorecard and the README."""

from __future__ import annotations

# ------------------------------------------------------------------------------ verdicts
SUPPORTED = "supported"
CONTRADICTED = "contradicted"
INCONCLUSIVE = "inconclusive"
NOT_TESTABLE = "not testable"
NOT_APPLICABLE = "not applicable"
DESCRIBED = "description"

TEST_VERDICTS = (SUPPORTED, CONTRADICTED, INCONCLUSIVE, NOT_TESTABLE)
"""What a test (a hypothesis the article asserts) can get."""
VERDICTS = (*TEST_VERDICTS, NOT_APPLICABLE, DESCRIBED)
"""Everything a record or a claim can show."""

VERDICT_ZH = {
    SUPPORTED: "支持",
    CONTRADICTED: "否定",
    INCONCLUSIVE: "不确定",
    NOT_TESTABLE: "无法检验",
    NOT_APPLICABLE: "不适用",
    DESCRIBED: "描述",
}
VERDICT_EN = {v: v for v in VERDICTS}
VERDICT_SYMBOL = {SUPPORTED: "✓", CONTRADICTED: "✗", INCONCLUSIVE: "?", NOT_TESTABLE: "–",
                  NOT_APPLICABLE: "n/a", DESCRIBED: "·"}
COLOURS = {
    SUPPORTED: "#2e7d32",
    CONTRADICTED: "#c62828",
    INCONCLUSIVE: "#ef6c00",
    NOT_TESTABLE: "#616161",
    NOT_APPLICABLE: "#9e9e9e",
    DESCRIBED: "#1565c0",
}
CSS_CLASS = {v: "v-" + v.replace(" ", "-") for v in VERDICTS}


def verdict_label(verdict: str, lang: str = "both") -> str:
    """'支持 / supported', '支持' or 'supported'."""
    if verdict not in VERDICT_ZH:
        raise ValueError(f"unknown verdict {verdict!r}; one of {', '.join(VERDICTS)}")
    return label(VERDICT_ZH[verdict], VERDICT_EN[verdict], lang, sep=" / ")


# ------------------------------------------------------------------- descriptive labels
ABOVE, BELOW, WITHIN = "above", "below", "within band"
RISING, FALLING, FLAT = "rising", "falling", "flat"
NO_DATA = "no data"
DESCRIPTIVE_ZH = {ABOVE: "高于", BELOW: "低于", WITHIN: "区间内", RISING: "上升", FALLING: "下降",
                  FLAT: "无明显变化", NO_DATA: "无数据"}

# ------------------------------------------------------------------------------- units
UNIT_ZH = {
    "log points": "对数点",
    "percentage points": "个百分点",
    "pp/yr": "个百分点/年",
    "%/yr": "%/年",
    "ratio": "倍",
    "ratio to the best other cluster": "相对最佳其他城市群的倍数",
    "percentile (50 = median)": "百分位（50 = 中位数）",
    "rank places (positive = climbed)": "名次（正 = 上升）",
    "Δ correlation": "相关系数变化",
    "change in ζ": "ζ 的变化",
    "difference in β (YRD − non-members)": "β 之差（长三角 − 非成员）",
    "log points (mean gap, post)": "对数点（事后平均差距）",
    "per ln(km)": "每 ln(公里)",
    "per 100 km": "每百公里",
}
"""Chinese names of the units evidence records carry (the reader's language, not the code's)."""


def unit_zh(unit: str) -> str:
    """The Chinese name of a unit of an evidence record (the English one when none is known)."""
    return UNIT_ZH.get(unit, unit)


# ------------------------------------------------------------------------- data flags
FLAG_MEANING = {
    "interpolated": ("源数据编者插补的缺口（与报告值分开）；用到它的派生值继承该标记",
                     "gap filled by the source compiler's interpolation (kept apart from reported "
                     "values); derived values using it inherit the flag"),
    "parts_mismatch": ("三次产业增加值之和与 GDP 相差 2% 以上（基于它的比重与比值可疑）",
                       "value added by sector does not sum to GDP within 2% (so shares and ratios "
                       "built on it are suspect)"),
    "ecb_derived": ("人民币/美元汇率为欧洲央行日交叉汇率的均值（未找到国家统计局数值）；"
                    "人民币计的外资及外资/GDP 继承该标记",
                    "CNY/USD rate is the mean of ECB daily cross rates (no NBS figure found); FDI "
                    "in yuan and FDI/GDP inherit it"),
    "low": ("汇率以低精度（2-3 位小数）公布", "exchange rate published with low precision (2-3 decimals)"),
    "conflict": ("各来源汇率不一致；两种读数均见来源注释",
                 "sources disagree on the exchange rate; both readings in the source note"),
    "boundary_break": ("地级市并入被撤销单位后的第一年（巢湖 2011、莱芜 2019）：跨越该年的增长不可比",
                       "first year after a prefecture absorbed an abolished one (巢湖 2011, 莱芜 "
                       "2019): growth across it is not like-for-like"),
    "series_break": ("经审定的统计口径断点（data/raw/breaks/breaks.csv，决定 set_missing_from）："
                     "panel.wide() 默认不纳入可比序列，comparable=False 时保留",
                     "a decided reporting-basis break (data/raw/breaks/breaks.csv, decision "
                     "set_missing_from): left out of the comparable series by panel.wide() "
                     "unless comparable=False"),
    "series_end": ("可比序列终止之后的数值（data/raw/breaks/breaks.csv，决定 end_series）："
                   "panel.wide() 默认不纳入，comparable=False 时保留",
                   "after the end of the comparable series (data/raw/breaks/breaks.csv, decision "
                   "end_series): left out by panel.wide() unless comparable=False"),
    "earlier_basis": ("口径变化前的水平（breaks.csv，决定 keep_latest_basis）：其后为现行口径；"
                      "panel.wide() 默认不纳入，comparable=False 时保留",
                      "a level before a basis change whose later values are the current basis "
                      "(breaks.csv, decision keep_latest_basis): left out by panel.wide() unless "
                      "comparable=False"),
    "repeated_value": ("与上年完全相同、按通常变化极不可能的数值，应为编者填补（决定 drop_repeat）："
                       "panel.wide() 默认不纳入，comparable=False 时保留",
                       "the same figure as the year before where the usual change makes that "
                       "improbable: a compiler fill (decision drop_repeat); left out by panel.wide() "
                       "unless comparable=False"),
    "chain_restart": ("公布的实际增长指数中断后，实际 GDP 链式序列在该年以名义 GDP 除以平减指数重新起算",
                      "real GDP chain restarted after a gap in the published growth index (the "
                      "level restarts at that year's nominal GDP over the deflator)"),
    "corrected": ("按更正表以引用出版物的数值替换", "replaced from a cited publication through the "
                  "corrections table"),
    "user": ("用户在 data/user/ 中提供的数值", "figure supplied by the user in data/user/"),
}


def flag_meaning(flag: str, lang: str = "both") -> str:
    """What a flag means ('' for an unknown flag, so a new flag shows up as unexplained)."""
    zh, en = FLAG_MEANING.get(flag, ("", ""))
    return label(zh, en, lang, sep=" / ") if zh or en else ""


# ---------------------------------------------------------------------- bilingual labels
LANGS = ("zh", "en", "both")
WRAP_AT = 44  # a bilingual label longer than this (in characters) goes on two lines


def label(zh: str, en: str, lang: str = "both", sep: str | None = None) -> str:
    """THE bilingual label: '中文', 'English' or both. Without ``sep``, a long pair is put on two
    lines (figures: titles and axis labels stay inside the figure); with ``sep`` the pair is
    joined by it (tables, text)."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, got {lang!r}")
    if lang == "zh" or not en:
        return zh
    if lang == "en" or not zh:
        return en
    if sep is None:
        sep = "\n" if len(zh) * 2 + len(en) > WRAP_AT else " "  # a CJK glyph is about two wide
    return f"{zh}{sep}{en}"
