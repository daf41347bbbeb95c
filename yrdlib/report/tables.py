"""One table formatter for every table a reader sees.

:func:`format_table` turns a DataFrame (or Series, or pandas Styler) into reader-ready HTML:
headers from the indicator dictionary in Chinese and English with their units, snake_case made
readable, thousands separators, fixed decimals per indicator (by its unit), integer years, p-values
as ``<0.001``, gaps as ``—`` with a footnote, no bare 0…n index column (a meaningful index becomes
a labelled column), and a box that scrolls sideways when the table is wide.

The HTML is a plain ``<table>`` with CSS classes styled by the report's stylesheet. great_tables
(in the lock) was tried and not used: its output carries a ~9 KB stylesheet per table whose
unscoped selectors (``tbody, tr, td, th {border-style: none}``) restyle the rest of the page, and
its inline styles do not survive the report's sanitiser; itables needs JavaScript (DataTables)
that the sanitiser removes and that does not print. See the README's library table.
:func:`install` registers the
formatter with IPython so that a notebook's plain ``display(df)`` or last-line ``df`` goes through
it without any change to the notebook.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Mapping
from typing import Any

from yrdlib import vocab

GAP = "—"
GAP_NOTE = "— 表示无数据（统计缺口，未插补）/ — marks a gap: no published value (not interpolated)."

# decimals by unit of the indicator dictionary
UNIT_DECIMALS = {"亿元": 1, "亿元(2000年价)": 1, "%": 1, "万人": 1, "人": 0, "件": 0, "元": 0,
                 "百万美元": 1, "美元": 0, "ratio": 3, "上年=100": 1, "2000=1": 3, "元/美元": 4,
                 "平方公里": 0, "人/平方公里": 0, "万吨": 0, "平方米": 1}

# columns that are not indicators but appear in many tables: (zh, en)
COMMON_LABELS: dict[str, tuple[str, str]] = {
    "year": ("年份", "Year"), "region_code": ("代码", "Code"), "code": ("代码", "Code"),
    "name": ("名称", "Name"), "city": ("城市", "City"), "name_zh": ("名称", "Name"),
    "name_en": ("英文名", "Name (English)"), "province": ("省份", "Province"),
    "group": ("组别", "Group"), "indicator": ("指标", "Indicator"), "value": ("数值", "Value"),
    "unit": ("单位", "Unit"), "source": ("来源", "Source"), "note": ("说明", "Note"),
    "flag": ("标记", "Flag"), "estimate": ("估计值", "Estimate"), "se": ("标准误", "Std. error"),
    "std_error": ("标准误", "Std. error"), "ci_low": ("95% 区间下限", "95% CI low"),
    "ci_high": ("95% 区间上限", "95% CI high"), "p_value": ("p 值", "p-value"),
    "pvalue": ("p 值", "p-value"), "pretrend_p": ("事前趋势 p", "Pre-trend p"),
    "n": ("样本量", "n"), "n_obs": ("观测数", "Observations"), "method": ("方法", "Method"),
    "verdict": ("结论", "Verdict"), "hypothesis": ("假设", "Hypothesis"), "claim": ("论断", "Claim"),
    "rank": ("排名", "Rank"), "share": ("占比", "Share"), "weight": ("权重", "Weight"),
    "dist_km": ("距离（公里）", "Distance (km)"), "lon": ("经度", "Longitude"),
    "lat": ("纬度", "Latitude"), "period": ("时期", "Period"), "metric": ("指标", "Metric"),
    "entity": ("对象", "Entity"), "quality": ("质量", "Quality"), "values": ("数值个数", "Values"),
    "rows": ("行数", "Rows"), "statistic": ("统计量", "Statistic"), "coef": ("系数", "Coefficient"),
}
_P_NAME = re.compile(r"(^p$|^p[ _-]?val(ue)?s?$|_p$|^p_|p值|p-value|pr\(>)", re.I)
_YEAR_NAME = re.compile(r"(^year$|_year$|^year_|年份|^年$|start_year|end_year|join_year)", re.I)
_COUNT_NAME = re.compile(r"(^n$|^n_|_n$|count|rows|values|cities|obs|rank|^年$)", re.I)


def _indicator(key: str):
    try:
        from yrdlib.data.indicators import INDICATORS
    except ImportError:  # pragma: no cover - the package is always present
        return None
    return INDICATORS.get(key)


def _both(zh: str, en: str, lang: str) -> str:
    if lang == "zh":
        return zh
    if lang == "en":
        return en
    return zh if zh == en else f"{zh} {en}"


def readable(name: Any) -> str:
    """``'gdp_per_capita'`` → ``'Gdp per capita'``; literal ``\\n`` and line breaks → spaces."""
    s = str(name).replace("\\n", " ").replace("\n", " ")
    if "_" in s.strip("_"):
        s = s.replace("_", " ").strip()
        s = s[:1].upper() + s[1:]
    elif re.fullmatch(r"[a-z][a-z0-9]*", s):  # a bare lower-case identifier: 'term' -> 'Term'
        s = s[:1].upper() + s[1:]
    return re.sub(r"\s+", " ", s).strip()


def column_label(col: Any, *, lang: str = "both", units: Mapping | None = None) -> str:
    """Header text of a column: the indicator's label (zh/en) with its unit, a common label, or
    the readable name; ``units`` (column → unit) adds or overrides the unit."""
    key = str(col).strip()
    unit = (units or {}).get(col) or (units or {}).get(key)
    ind = _indicator(key)
    if ind is not None:
        text = _both(ind.label_zh, ind.label_en, lang)
        unit = unit or ind.unit
    elif key.lower() in COMMON_LABELS:
        text = _both(*COMMON_LABELS[key.lower()], lang)
    else:
        text = readable(key)
    if unit and unit not in text:
        text = f"{text}（{unit}）"
    return text


def _is_missing(v: Any) -> bool:
    if v is None:
        return True
    try:
        import pandas as pd

        if v is pd.NA or v is pd.NaT:
            return True
    except ImportError:  # pragma: no cover
        pass
    return isinstance(v, float) and math.isnan(v)


def _decimals_for(col: Any, values, decimals) -> int | None:
    """Fixed decimals for a numeric column: explicit, by indicator unit, or from the magnitude."""
    if isinstance(decimals, Mapping):
        if col in decimals:
            return decimals[col]
    elif isinstance(decimals, int):
        return decimals
    ind = _indicator(str(col))
    if ind is not None and ind.unit in UNIT_DECIMALS:
        return UNIT_DECIMALS[ind.unit]
    finite = [abs(float(v)) for v in values if not _is_missing(v) and math.isfinite(float(v))]
    if not finite:
        return 0
    if all(float(v).is_integer() for v in finite):
        return 0
    finite.sort()
    med = finite[len(finite) // 2]
    if med >= 1000:
        return 0
    if med >= 10:
        return 1
    if med >= 1:
        return 2
    return 3


def format_p(p: Any) -> str:
    """p-values: ``<0.001`` below 0.001, otherwise three decimals; a gap is ``—``."""
    if _is_missing(p):
        return GAP
    p = float(p)
    if not math.isfinite(p):
        return GAP
    return "<0.001" if p < 0.001 else f"{p:.3f}"


def _year_like(col: Any, s) -> bool:
    import pandas as pd

    if not pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s):
        return False
    vals = s.dropna()
    if vals.empty:
        return bool(_YEAR_NAME.search(str(col)))
    integral = bool((vals.astype(float) % 1 == 0).all())
    in_range = bool(vals.between(1900, 2100).all())
    return integral and in_range and (bool(_YEAR_NAME.search(str(col))) or str(col) == "年")


def _flatten_columns(df):
    import pandas as pd

    if isinstance(df.columns, pd.MultiIndex):
        df = df.copy()
        df.columns = [" · ".join(str(x) for x in tup if str(x) != "") for tup in df.columns]
    return df


def _drop_or_label_index(df, index: bool | None):
    import pandas as pd

    idx = df.index
    trivial = isinstance(idx, pd.RangeIndex) or (
        idx.nlevels == 1 and idx.name is None and pd.api.types.is_integer_dtype(idx)
        and list(idx) == list(range(len(idx))))
    if index is False or (index is None and trivial):
        return df.reset_index(drop=True)
    names = [n if n is not None else ("" if idx.nlevels == 1 else f"level_{i}")
             for i, n in enumerate(idx.names)]
    names = [n or "行 Row" for n in names]
    out = df.copy()
    out.index = idx.set_names(names)
    taken = set(map(str, out.columns))
    if any(str(n) in taken for n in names):
        out.index = out.index.set_names([f"{n} " for n in names])
    return out.reset_index()


def prepare(df, *, lang: str = "both", decimals=None, units: Mapping | None = None,
            index: bool | None = None):
    """The reader's version of ``df`` as text cells (a DataFrame of str) plus whether a gap
    occurred. Columns: readable bilingual labels; cells: formatted as described above."""
    import pandas as pd

    if isinstance(df, pd.Series):
        df = df.to_frame(name=df.name if df.name is not None else "值 Value")
    df = _flatten_columns(df)
    df = _drop_or_label_index(df, index)
    if lang == "zh":  # Chinese throughout (issue 20): headers and short codes from vocab
        df = zh_table(df)
    elif lang == "en":  # an English table: a _zh twin goes when its English column is there
        cols = {str(c) for c in df.columns}
        df = df.drop(columns=[c for c in df.columns if str(c).endswith("_zh")
                              and ({str(c)[:-3], str(c)[:-3] + "_en"} & cols)])
    out = {}
    gap = False
    labels: list[str] = []
    for i, col in enumerate(df.columns):
        s = df.iloc[:, i]
        name = str(col)
        if _P_NAME.search(name):
            cells = [format_p(v) for v in s]
        elif _year_like(col, s):
            cells = [GAP if _is_missing(v) else str(int(v)) for v in s]
        elif pd.api.types.is_bool_dtype(s):
            cells = ["是 yes" if v else "否 no" for v in s]
        elif pd.api.types.is_numeric_dtype(s):
            d = _decimals_for(col, s.tolist(), decimals)
            cells = [GAP if _is_missing(v) or not math.isfinite(float(v)) else f"{float(v):,.{d}f}"
                     for v in s]
        elif pd.api.types.is_datetime64_any_dtype(s):
            cells = [GAP if _is_missing(v) else str(pd.Timestamp(v).date()) for v in s]
        else:
            cells = [GAP if _is_missing(v) else _text(v, decimals) for v in s]
        gap = gap or any(c == GAP for c in cells)
        label = column_label(col, lang=lang, units=units)
        while label in labels:
            label += " "
        labels.append(label)
        out[label] = cells
    return pd.DataFrame(out, columns=labels), gap


def _text(v: Any, decimals) -> str:
    if isinstance(v, float):
        d = decimals if isinstance(decimals, int) else 3
        return f"{v:,.{d}f}" if math.isfinite(v) else GAP
    if isinstance(v, int) and not isinstance(v, bool):
        return f"{v:,}"
    if isinstance(v, str):  # data text keeps its spelling; only literal/real line breaks go
        return re.sub(r"\s+", " ", v.replace("\\n", " ")).strip()
    return str(v)


def format_table(df, *, lang: str = "both", decimals=None, units: Mapping | None = None,
                 index: bool | None = None, caption: str | None = None, max_rows: int = 500,
                 notes: list[str] | None = None) -> str:
    """HTML of ``df`` for a reader (see the module docstring). ``decimals``: an int for every
    numeric column or a mapping column → decimals; ``units``: column → unit shown in the header;
    ``index``: None drops a plain 0…n index and keeps any other as a labelled column; ``max_rows``:
    longer tables show their first rows and say how many were left out."""
    import pandas as pd

    if hasattr(df, "data") and type(df).__name__ == "Styler":
        styler = df
        df = styler.data
        if index is None and getattr(styler, "hide_index_", [False])[0]:
            index = False
    if isinstance(df, pd.Series) or isinstance(df, pd.DataFrame):
        frame = df
    else:
        raise TypeError(f"format_table takes a DataFrame, Series or Styler, not {type(df).__name__}")
    n_total = len(frame)
    if n_total > max_rows:
        frame = frame.head(max_rows)
    text, gap = prepare(frame, lang=lang, decimals=decimals, units=units, index=index)
    notes = list(notes or [])
    if gap:
        notes.append(GAP_NOTE)
    if n_total > max_rows:
        notes.append(f"仅显示前 {max_rows} 行，共 {n_total:,} 行 / "
                     f"first {max_rows} of {n_total:,} rows shown.")
    if text.shape[1] == 0:
        return '<div class="yrd-table-box"><p class="yrd-none">（空表 / empty table）</p></div>'
    h = html.escape
    numeric = [all(_NUMERIC.fullmatch(v) for v in text.iloc[:, i]) for i in range(text.shape[1])]
    num_cls, gap_cls = ' class="yrd-num"', ' class="yrd-gap"'
    head = "".join(f'<th scope="col"{num_cls if num else ""}>{h(c)}</th>'
                   for c, num in zip(text.columns, numeric))
    rows = []
    for rec in text.itertuples(index=False):
        cells = "".join(
            (f'<td class="yrd-num{" yrd-gap" if v == GAP else ""}">{h(v)}</td>' if num
             else f'<td{gap_cls if v == GAP else ""}>{h(v)}</td>')
            for v, num in zip(rec, numeric))
        rows.append(f"<tr>{cells}</tr>")
    cap = f"<caption>{h(caption)}</caption>" if caption else ""
    foot = "".join(f'<p class="yrd-table-note">{h(n)}</p>' for n in notes)
    return (f'<div class="yrd-table-box"><table class="yrd-table yrd-data">{cap}<thead><tr>{head}'
            f'</tr></thead><tbody>{"".join(rows)}</tbody></table>{foot}</div>')


_NUMERIC = re.compile(r"[-−+<]?[\d,]*\.?\d+%?|—")


def _html_for(obj, lang: str):
    try:
        return format_table(obj, lang=lang)
    except Exception as e:  # noqa: BLE001 - a formatter must never break a notebook
        return (f'<div class="yrd-table-box"><p class="yrd-error">table could not be formatted: '
                f"{html.escape(type(e).__name__)}: {html.escape(str(e))}</p></div>")


def _plain_for(obj, p, cycle) -> None:
    shape = getattr(obj, "shape", None)
    kind = type(obj).__name__
    p.text(f"<{kind} {'×'.join(map(str, shape)) if shape else ''} — shown as a formatted table>")


def ipython_shell():
    """The running IPython shell, or None outside IPython (plain Python, tests)."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover
        return None
    return get_ipython()


def install(lang: str = "both") -> bool:
    """Register :func:`format_table` as IPython's HTML formatter for DataFrame, Series and Styler,
    and a short ``text/plain`` so no bare repr reaches a report. False outside IPython."""
    ip = ipython_shell()
    if ip is None:
        return False
    import pandas as pd
    from pandas.io.formats.style import Styler

    html_f = ip.display_formatter.formatters["text/html"]
    plain_f = ip.display_formatter.formatters["text/plain"]
    for t in (pd.DataFrame, pd.Series, Styler):
        html_f.for_type(t, lambda obj, _lang=lang: _html_for(obj, _lang))
        plain_f.for_type(t, _plain_for)
    return True


# Chinese throughout (issue 20): a table as a lang=zh page shows it

COLUMN_ZH = {  # a table column's readable name (lower case) -> its Chinese header
    # city-level effects (S1.e, S2.h, S4.g) and their heterogeneity test
    "cohort": "加入年份", "n treated years": "处理年数", "estimate w5": "前 5 年效应",
    "p w5": "前 5 年 p 值", "n placebo": "安慰剂城市数", "factor": "因素", "df": "自由度",
    "n cities": "城市数", "p independent": "p（假设城市相互独立，仅供参考）", "n draws": "安慰剂分配次数",
    "agrees": "一致", "att": "平均处理效应", "best other": "次优城市群", "best other value": "次优值",
    "beta non": "非成员 β", "beta non ci": "非成员 β 区间", "beta yrd": "长三角 β",
    "beta yrd ci": "长三角 β 区间", "binding": "约束性", "cargo 100mt": "货物吞吐量（亿吨）",
    "change": "变化", "cities": "城市", "city years": "城市-年份数", "controls": "对照单位",
    "cov": "覆盖", "definitions": "口径数", "delta pct": "百分位变化", "design": "设计",
    "diff": "差值", "dimension": "维度", "donors": "对照城市数", "end": "终止", "entropy": "熵权法",
    "equal": "等权重", "estimator": "估计量", "finding": "结论要点", "first year": "起始年份",
    "focus value": "焦点城市数值", "group median": "组中位数", "growth ci high": "增长区间上限",
    "growth ci low": "增长区间下限", "growth pct per year": "年增长（%）", "join year": "加入年份",
    "kind": "类型", "label": "标签", "latest year": "最新年份", "leader": "领先者", "linkage": "联系强度",
    "mass": "体量", "measure": "度量", "metric key": "指标", "n clusters": "聚类数",
    "n control pref": "对照地级市数", "n non": "非成员数", "n treated pref": "处理地级市数",
    "n yrd": "长三角城市数", "origin": "起点城市", "partner": "伙伴", "path zh": "路径",
    "pca": "主成分权重", "pct first": "起始百分位", "pct latest": "最新百分位",
    "penalized": "惩罚合成对照", "plain": "普通合成对照", "population": "人口",
    "qualifier": "限定", "question": "问题", "ratio to best other": "相对次优城市群的倍数",
    "role": "作用", "rule": "规则", "sample": "样本", "se hc3": "HC3 标准误",
    "share first": "起始份额", "share last": "最新份额", "slope": "斜率",
    "slope pp per year": "斜率（百分点/年）", "source url": "来源网址", "specification": "设定",
    "start": "起始", "status": "状态", "study": "研究", "treated": "处理单位",
    "weighting": "赋权方法", "why": "说明", "window": "窗口", "years": "年份", "yrd rank": "长三角名次",
    "yrd value": "长三角数值", "change ci high": "变化区间上限", "change ci low": "变化区间下限",
    "corr after": "之后相关系数", "corr before": "之前相关系数", "partner group": "伙伴组",
    "read from": "数据来源", "window after": "之后窗口", "window before": "之前窗口",
}
"""Chinese headers of the claim notebooks' table columns that the indicator dictionary and the
table formatter's common labels do not name."""
_LABEL_PAIR = re.compile(r"^(above|below|within band|no data) / (rising|falling|flat|no data)"
                         r"( \(\d+\))?$")
VALUE_ZH = {"cohort": "加入批次", "province": "省份", "size": "城市规模（初始人口对数）",
            "ok": "有数据", "no data": "无数据", "binding": "约束", "shown": "参考",
            "exact": "确切值", "lower_bound": "下限（“超过”）", "not graded": "未分级",
            "not verified": "未核实", "none": "无", "reported": "已报告", "estimate": "估计值",
            "bulletin": "统计公报", "news/other": "新闻/其他", "other": "其他", "north": "北向",
            "south": "南向", "same": "相同", "total": "总量", "share": "份额", "all": "全部",
            "all listed": "全部所列城市", "whole cities only": "仅完整城市", "bay": "湾区",
            "focus": "焦点城市", "equal": "等权", "entropy": "熵权法", "pca": "主成分法",
            "same province": "同省", "real": "√(常住人口×实际GDP)", "sqrt_pg": "√(常住人口×名义GDP)",
            "design": "设计", "pretrend": "事前趋势", "interpolated": "插补值"}
"""Chinese names of the short codes that table cells carry (statuses, qualities, roles)."""


def _cell_zh(v):
    if not isinstance(v, str):
        return v
    key = v.strip()
    if key in VALUE_ZH:
        return VALUE_ZH[key]
    if key in vocab.UNIT_ZH:  # a unit column ('%/yr')
        return vocab.UNIT_ZH[key]
    if " = " in key and all(k in VALUE_ZH for k in key.split(" = ")):  # coinciding definitions
        return " = ".join(VALUE_ZH[k] for k in key.split(" = "))
    m = _LABEL_PAIR.match(key)
    if m:
        zh = vocab.DESCRIPTIVE_ZH
        a = {"above": vocab.ABOVE, "below": vocab.BELOW, "within band": vocab.WITHIN}.get(
            m.group(1), vocab.NO_DATA)
        b = {"rising": vocab.RISING, "falling": vocab.FALLING, "flat": vocab.FLAT}.get(
            m.group(2), vocab.NO_DATA)
        return f"{zh[a]} / {zh[b]}{m.group(3) or ''}"
    if re.fullmatch(r"[a-z][a-z0-9_]*", key):
        ind = _indicator(key)
        if ind is not None:
            return ind.label_zh
    from yrdlib.report.zh import why_zh

    zh = vocab.check_zh(v)  # a sensitivity row's name, or its detail (the check tables)
    return zh if zh != v else why_zh(v)


def zh_table(df):
    """A table as a Chinese page shows it: an ``_en`` column goes when its ``_zh`` twin is
    there, headers the indicator dictionary does not name take :data:`COLUMN_ZH`, and short
    codes in text cells (statuses, indicator keys, descriptive labels) their Chinese names."""
    import pandas as pd

    cols = [str(c) for c in df.columns]
    drop = [c for c in df.columns if (str(c).endswith("_en") and str(c)[:-3] + "_zh" in cols)
            or str(c) + "_zh" in cols]  # a bare (English) column with its _zh twin goes too
    df = df.drop(columns=drop)
    left = [str(c) for c in df.columns]
    df = df.rename(columns={c: str(c)[:-3] for c in df.columns  # 'flag_zh' is the 'flag' column now
                            if str(c).endswith("_zh") and readable(c).lower() not in COLUMN_ZH
                            and str(c)[:-3] not in left})
    ren = {c: COLUMN_ZH[readable(c).lower()] for c in df.columns
           if readable(c).lower() in COLUMN_ZH}
    for c in df.columns:  # 'rank_2005' -> 2005 年排名
        m = re.fullmatch(r"rank (\d{4})", readable(c).lower())
        if m:
            ren[c] = f"{m.group(1)} 年排名"
    df = df.rename(columns=ren)
    obj = [c for i, c in enumerate(df.columns) if pd.api.types.is_object_dtype(df.iloc[:, i])
           or pd.api.types.is_string_dtype(df.iloc[:, i])]
    if obj:
        df = df.copy()
        for c in obj:
            i = list(df.columns).index(c)
            df.isetitem(i, df.iloc[:, i].map(_cell_zh))
    return df
