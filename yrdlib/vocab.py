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
    "difference in β (members − non-members)": "β 之差（成员 − 非成员）",
    "log points (mean gap, post)": "对数点（事后平均差距）",
    "per ln(km)": "每 ln(公里)",
    "per 100 km": "每百公里",
    "patents per 10k per ln(km)": "每万人专利数 / ln(公里)",
    "100×Δln": "100×Δln（约等于百分比变化）",
}
"""Chinese names of the units evidence records carry (the reader's language, not the code's)."""


CHECK_ZH = {
    "city-clustered SE (did2s)": "城市聚类标准误（did2s）",
    "province-clustered SE": "省级聚类标准误",
    "did2s pre-trend": "did2s 事前趋势检验",
    "Sun–Abraham pre-trend": "Sun–Abraham 事前趋势检验",
    "Sun–Abraham ATT": "Sun–Abraham 估计",
    "Callaway–Sant'Anna ATT": "Callaway–Sant'Anna 估计",
    "Callaway–Sant'Anna pre-trend": "Callaway–Sant'Anna 事前趋势检验",
    "years 2003–2022": "2003—2022 年样本",
    "neighbouring-province controls": "仅用邻省城市作对照",
    "cohorts 2010/2013 only": "仅 2010/2013 年加入批次",
    "join-year timing": "以加入当年为处理起点",
    "first-full-year timing": "以加入后首个完整年份为处理起点",
    "without boundary-change cities": "剔除行政区划变动城市",
    "with flagged city-years": "保留被标记的城市-年份",
    "wild cluster bootstrap (province)": "省级野自助法",
    "wild bootstrap pre-trend (province)": "省级野自助法事前趋势检验",
}
"""Chinese names of the checks of a pooled causal test (the rows of its specification chart)."""


CHECK_ZH.update({  # the sensitivity rows of S2–S4 and the county test, named as they are built
    "mass: nominal GDP only": "质量：仅名义GDP",
    "mass: sqrt(resident population × nominal GDP)": "质量：√(常住人口×名义GDP)",
    "mass: sqrt(resident population × real GDP, 2000 prices)": "质量：√(常住人口×实际GDP, 2000年价)",
    "compiler's interpolated population": "汇编者插补的人口",
    "distance in 100 km": "距离以百公里计",
    "hub cities excluded": "剔除枢纽城市",
    "YRD-41 cities only": "仅长三角 41 城",
    "YRD-41 only, ln outcome": "仅长三角 41 城，结果变量取对数",
    "main: level outcome, ln distance, all cities": "主设定：结果变量取水平值、距离取对数、全部城市",
    "ln(patents per 10k) outcome": "结果变量为 ln(每万人专利数)",
    "placebo-in-space rank": "空间安慰剂排序",
    "first 5 treated years": "处理后前 5 年",
    "studentized placebo interval": "学生化的安慰剂区间",
    "plain synthetic control (same donors)": "普通合成控制（相同供体城市）",
    "synthetic DiD (same donors)": "合成双重差分（相同供体城市）",
    "2013/2018/2019 joiners as controls": "2013/2018/2019 年加入者作对照",
    "members by 2013 treated, 2018/2019 joiners dropped": "2013 年前成员作处理组，剔除 2018/2019 年加入者",
    "without units whose residents doubled or halved": "剔除常住人口翻倍或减半的单位",
    "county-type units only (县/县级市 in 2010)": "仅县级单位（2010 年为县或县级市）",
    "neighbouring-province non-members": "邻省非成员城市作对照",
    "same-province non-members": "同省非成员城市作对照",
    "real GDP (2000 prices)": "实际地区生产总值（2000 年价格）",
})
_CHECK_PATTERNS = [  # names with a number in them
    (r"distance exponent b = (\S+)", r"距离衰减指数 b = \1"),
    (r"start year (\d{4})", r"起始年份 \1"),
    (r"random non-member sets of (\d+) cities", r"同样大小的随机非成员城市组（\1 个城市）"),
    (r"relative to same-province placebo cities \((\d+)\)", r"相对同省安慰剂城市（\1 个）"),
    (r"in-time placebo \(backdated to (\d{4})\)", r"时间安慰剂（处理提前至 \1 年）"),
    (r"without the largest donor \((.+)\)", r"剔除权重最大的供体城市（\1）"),
]


def check_zh(name: str) -> str:
    """The Chinese name of a check row ('Rambachan–Roth M̄ = 0.5' → 平行趋势敏感性区间 …);
    a name vocab does not know stays as it is."""
    import re

    if name.startswith("Rambachan–Roth"):
        return "Rambachan–Roth 平行趋势敏感性区间" + name[len("Rambachan–Roth"):]
    if name.startswith("years "):
        return name.replace("years ", "") + " 年样本"
    for pat, rep in _CHECK_PATTERNS:
        if re.fullmatch(pat, name):
            return re.sub(pat, rep, name)
    return CHECK_ZH.get(name, name)


def unit_zh(unit: str) -> str:
    """The Chinese name of a unit of an evidence record (the English one when none is known);
    a unit with a parameter-dependent note ('log points (mean level gap of ln gdp_real,
    2017–2022)') is matched by pattern."""
    if unit in UNIT_ZH:
        return UNIT_ZH[unit]
    import re

    m = re.fullmatch(r"log points \(mean level gap of ln (\w+), (\d{4})–(\d{4})\)", unit or "")
    if m:
        return f"对数点（{m.group(2)}–{m.group(3)} 年 ln {m.group(1)} 的平均水平差距）"
    return unit


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
    "boundary_break": ("地级市辖区变动后的第一年（并入被撤销单位：巢湖 2011、莱芜 2019；县在地级市之间划转："
                       "枞阳、寿县 2015，简阳 2016，公主岭 2020）：跨越该年的增长不可比",
                       "first year on a prefecture's new territory (it absorbed an abolished unit: "
                       "巢湖 2011, 莱芜 2019; a county moved between prefectures: 枞阳 and 寿县 2015, "
                       "简阳 2016, 公主岭 2020): growth across it is not like-for-like"),
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


# ----------------------------------------------------------------------------- glossary
GLOSSARY = {
    # key: (Chinese name, English name, one plain Chinese sentence, one plain English sentence)
    "verdict": ("结论", "verdict",
                "每项检验得到“支持”“否定”“不确定”或“无法检验”之一，由同一条规则按数据给出。",
                "Each test gets supported, contradicted, inconclusive or not testable, by one rule "
                "applied to the data."),
    "lean": ("证据倾向", "lean",
             "即使结论不确定，估计值也有方向：与文章说法一致或相反。",
             "Even an inconclusive estimate points one way: with the article's claim or against it."),
    "ci": ("95% 区间", "95 % interval",
           "真实值很可能（约 95% 的把握）落在其中的范围；区间含 0 就不能排除“没有影响”。",
           "The range the true value very likely (about 95 %) lies in; if it includes 0, 'no "
           "effect' cannot be ruled out."),
    "design_interval": ("基于设计的区间", "design-based interval",
                        "把“哪些省份加入”随机重新分配上千次得到的区间，只有少数省份加入时比常规区间更可靠。",
                        "An interval from re-assigning which provinces joined a thousand times; more "
                        "reliable than the usual one when only a few provinces joined."),
    "ri": ("随机化推断", "randomization inference",
           "问：如果加入与否是随机分配的，出现这么大差异的可能性有多大。",
           "Asks how likely a difference this large would be if joining had been assigned at random."),
    "core": ("核心检验", "core test",
             "直接检验文章说法的检验；论断的结论只由核心检验决定。",
             "A test of the article's statement itself; only core tests decide a claim's verdict."),
    "peripheral": ("外围检验", "peripheral test",
                   "从旁佐证的检验；显示出来，但不单独决定论断结论。",
                   "A supporting test; shown, but it does not decide the claim's verdict on its own."),
    "binding": ("约束性检验", "binding check",
                "换一种方法或样本重新估计；若方向不一致，结论只能是“不确定”。",
                "The estimate redone another way or on another sample; if it points the other way the "
                "verdict can only be inconclusive."),
    "mde": ("最小可检出效应", "minimum detectable effect (MDE)",
            "按现有数据的精度，以八成把握能发现的最小真实效应；比它小的效应可能存在但看不出来。",
            "The smallest true effect the data would find four times out of five; smaller effects may "
            "exist but stay hidden."),
    "did": ("双重差分", "difference-in-differences",
            "比较加入者与未加入者在加入前后的变化之差，以扣除共同趋势。",
            "Compares the change before and after joining between joiners and non-joiners, netting "
            "out common trends."),
    "did2s": ("两阶段双重差分（did2s）", "two-stage DiD (did2s)",
              "先用未加入的年份估计共同趋势，再看加入后偏离多少，适用于不同年份分批加入。",
              "First estimates common trends from years before joining, then how far joiners move "
              "from them; suited to joining in waves."),
    "rr": ("Rambachan–Roth 敏感性区间", "Rambachan–Roth sensitivity interval",
           "允许加入前的趋势差异延续到加入后，看结论是否仍然成立。",
           "Lets the pre-joining trend difference carry on after joining and checks whether the "
           "conclusion still holds."),
    "synth": ("合成对照", "synthetic control",
              "用其他城市加权拼出一个“没有加入的本城市”，与真实城市比较。",
              "Builds a 'same city without joining' from a weighted mix of other cities and compares."),
    "rmspe": ("均方根预测误差（RMSPE）", "root mean squared prediction error (RMSPE)",
              "合成对照在加入前贴合真实城市的程度；越小越可信。",
              "How closely the synthetic control follows the real city before joining; smaller is "
              "more credible."),
    "band": ("50 ± 10 区间", "50 ± 10 band",
             "百分位 40 到 60 之间视为处于同组城市的中间水平。",
             "A percentile between 40 and 60 counts as the middle of the peer group."),
    "percentile": ("百分位", "percentile",
                   "在同组城市中的位置：50 为中位数，90 表示高于九成城市。",
                   "Position among the peer cities: 50 is the median, 90 means above nine in ten."),
    "log_points": ("对数点", "log points",
                   "对数之差；乘以 100 约等于百分比差异（小于 0.2 时很接近）。",
                   "A difference of logarithms; times 100 it is roughly a percentage difference "
                   "(close below 0.2)."),
    "pp": ("百分点", "percentage points",
           "两个百分比之差，例如 7.4% 到 6.0% 下降 1.4 个百分点。",
           "The difference between two percentages, e.g. 7.4 % to 6.0 % is 1.4 points down."),
    "city_tier": ("城市能级", "city tier",
                  "用人口、经济、创新等指标合成的城市综合实力排名。",
                  "A city's overall standing from a composite of population, economy, innovation "
                  "and other indicators."),
    "description": ("描述", "description",
                    "说明城市所处位置，不检验文章说法，不计入结论。",
                    "Places the city; it tests no statement of the article and never counts in a "
                    "verdict."),
    "provisional": ("暂定", "provisional",
                    "依据用户在 data/user/ 中提供、本项目未核实的数据得出的结论。",
                    "A verdict resting on figures a user added in data/user/, not checked by the "
                    "project."),
}
"""THE canonical Chinese and English name of each term and its one-sentence explanation; the
glossary page of every run and the brief take them from here."""


def glossary_html(lang: str = "both") -> str:
    """The glossary (术语表) as a small self-contained HTML page."""
    import html as _h

    rows = []
    for zh, en, szh, sen in GLOSSARY.values():
        name = label(zh, en, lang, sep=" / ")
        text = label(szh, sen, lang, sep="<br>") if lang == "both" else label(szh, sen, lang)
        rows.append(f"<dt>{_h.escape(name)}</dt><dd>"
                    + "<br>".join(_h.escape(t) for t in text.split("<br>")) + "</dd>")
    return ('<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" '
            'content="width=device-width, initial-scale=1"><title>术语表 Glossary</title><style>'
            'body{font-family:"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;'
            "max-width:760px;margin:0 auto;padding:12px 16px;line-height:1.5;overflow-wrap:anywhere}"
            "dt{font-weight:bold;margin-top:.6em}dd{margin:0 0 0 1em}</style></head><body>"
            "<h1>术语表 Glossary</h1><dl>" + "".join(rows) + "</dl></body></html>")
