"""Outputs an economist can cite (issue 26): the regression table of a pooled causal test in the
journal layout, its estimates as tidy data, and the files a report offers for them.

:func:`regression_table` is a pure function of the evidence record (``Result.evidence`` of
:func:`yrdlib.claims.common.did_test`): one column per estimate the verdict rests on — the main
did2s estimate with its design-based interval, then every specification-chart row of kind
``sign`` (Sun–Abraham, Callaway–Sant'Anna, the six sample variants) with its own 95 % interval —
and the rows of an ``esttab``/``pyfixest.etable`` table: coefficient, interval, N, fixed effects,
inference, controls, binding role. The numbers are the record's, unrounded, so the CSV equals
evidence.csv; only the display (HTML, LaTeX) rounds. pyfixest's ``etable`` needs fitted pyfixest
models, and these estimates come from the project's own estimators and randomization inference,
so the table is built here, after etable's layout (estimator per column, ``(1) (2) …`` headers,
fixed-effect and inference rows under the coefficient).

The run id reaches a kernel through ``YRD_RUN_DIR`` (``reports/.tmp-<run id>``): the files carry
the id of the run that computed them; a job re-used from the cache keeps that run's id, which
the run's manifest names as the job's ``cached_from``.
"""

from __future__ import annotations

import html
import math
import os
import re
from pathlib import Path

import pandas as pd

from yrdlib import vocab
from yrdlib.report.export import _safe_frame, export_table, output_dir, register, slug, write_excel
from yrdlib.report.tables import format_table

__all__ = ["LABELS", "estimates_data", "export", "regression_table", "run_id", "show",
           "to_html", "to_latex"]

LABELS = {  # row key: (zh, en)
    "coefficient": ("系数", "Coefficient"),
    "ci_low": ("95% 区间下限", "95% interval, lower"),
    "ci_high": ("95% 区间上限", "95% interval, upper"),
    "n": ("观测数", "N (city-years)"),
    "city_fe": ("城市固定效应", "City fixed effects"),
    "year_fe": ("年份固定效应", "Year fixed effects"),
    "inference": ("推断 / 聚类", "Inference / clustering"),
    "controls": ("对照组", "Controls"),
    "role": ("判定中的作用", "Role in the verdict"),
    "estimator": ("估计量", "Estimator"),
}
_YES, _IMPLICIT = ("是", "Yes"), ("隐含（2×2 比较）", "implicit (2×2 comparisons)")
_MAIN = ("did2s（主估计）", "did2s (main)")


def run_id() -> str:
    """The id of the ``yrd run`` this kernel belongs to (from ``YRD_RUN_DIR``), else
    'interactive'."""
    d = os.environ.get("YRD_RUN_DIR", "")
    name = Path(d).name if d else ""
    return name.removeprefix(".tmp-") or "interactive"


def _pick(pair: tuple[str, str], lang: str) -> str:
    zh, en = pair
    return zh if lang == "zh" else en if lang == "en" or zh == en else f"{zh} {en}"


_VARIANT_ZH = (("years ", "年份 "), ("neighbouring-province controls", "仅邻省对照"),
               ("cohorts 2010/2013 only", "仅 2010/2013 批次"), ("join-year timing", "加入年份口径"),
               ("first-full-year timing", "首个完整年口径"),
               ("without boundary-change cities", "剔除区划调整城市"),
               ("with flagged city-years", "含标记的城市年"))


def _variant_zh(name: str) -> str:
    for en, zh in _VARIANT_ZH:
        if name.startswith(en):
            return zh + name[len(en):]
    return name


def _num(x) -> float:
    try:
        return float(x)
    except (TypeError, ValueError):
        return math.nan


def _columns(ev) -> list[dict]:
    """The table's columns: the main estimate, then the chart rows that are estimates (kind
    ``sign``), each with its estimator, controls and inference."""
    unit = ev.unit or ""
    cols = [{"key": "did2s", "head": _MAIN,
             "estimator": ("Gardner 两步 DiD（插补）", "Gardner two-stage DiD (imputation)"),
             "coefficient": _num(ev.estimate), "ci_low": _num(ev.ci_low), "ci_high": _num(ev.ci_high),
             "n": ev.n, "fe": "did", "controls": ("尚未处理", "not yet treated"),
             "inference": ("随机化推断（省份整块置换，设计型区间）",
                           "randomization inference over province blocks (design-based interval)"),
             "role": ("主估计：区间须排除 0", "main: its interval must exclude 0"), "unit": unit}]
    for r in ev.sensitivity:
        if r.get("kind") != "sign":
            continue
        name = r.get("name", "")
        if name.startswith("Sun–Abraham"):
            est = ("Sun–Abraham 交互加权", "Sun–Abraham interaction-weighted")
            ctrl, fe = ("从未处理", "never treated"), "did"
            head = ("Sun–Abraham", "Sun–Abraham")
        elif name.startswith("Callaway"):
            est = ("Callaway–Sant'Anna ATT(g,t) 简单加总", "Callaway–Sant'Anna ATT(g,t), simple aggregate")
            ctrl, fe = ("尚未处理", "not yet treated"), "cs"
            head = ("Callaway–Sant'Anna", "Callaway–Sant'Anna")
        else:
            est = ("did2s，样本变体", "did2s, sample variant")
            ctrl, fe = ("尚未处理", "not yet treated"), "did"
            head = (_variant_zh(name), name)
        n = r.get("n_obs")
        n_note = ""
        if n is None and fe == "cs":  # CS runs on the main sample (common.design_rows)
            n, n_note = ev.n, "main sample"
        binding = bool(r.get("binding", True))
        cols.append({
            "key": name, "head": head, "estimator": est, "coefficient": _num(r.get("estimate")),
            "ci_low": _num(r.get("ci_low")), "ci_high": _num(r.get("ci_high")),
            "n": None if n is None or (isinstance(n, float) and math.isnan(n)) else int(n),
            "n_note": n_note, "fe": fe, "controls": ctrl,
            "inference": (("城市聚类（影响函数）", "clustered by city (influence function)") if fe == "cs"
                          else ("城市聚类", "clustered by city")),
            "role": (("约束：须与主估计同号", "binding: same sign as main") if binding
                     else ("仅展示（无法估计）", "shown only (not estimable)")),
            "unit": unit})
    return cols


def regression_table(result, lang: str = "en") -> pd.DataFrame:
    """The regression table of a pooled causal test (a ``Result`` or its ``Evidence``): rows
    coefficient, ci_low, ci_high, n (numbers, unrounded: the record's own), then the text rows;
    columns ``(1) did2s (main)``, ``(2) Sun–Abraham`` …. ``lang``: zh, en or both (labels).
    The index holds the row keys of :data:`LABELS`; ``attrs`` carry the hypothesis and unit."""
    ev = getattr(result, "evidence", result)
    cols = _columns(ev)
    data = {}
    for i, c in enumerate(cols, 1):
        fe = {"did": (_YES, _YES), "cs": (_IMPLICIT, _IMPLICIT)}[c["fe"]]
        data[f"({i}) {_pick(c['head'], lang)}"] = [
            c["coefficient"], c["ci_low"], c["ci_high"], c["n"], _pick(c["estimator"], lang),
            _pick(fe[0], lang), _pick(fe[1], lang), _pick(c["inference"], lang),
            _pick(c["controls"], lang), _pick(c["role"], lang)]
    keys = ["coefficient", "ci_low", "ci_high", "n", "estimator", "city_fe", "year_fe",
            "inference", "controls", "role"]
    df = pd.DataFrame(data, index=pd.Index(keys, name="row"), dtype=object)
    df.attrs.update(hypothesis=ev.hypothesis, unit=ev.unit or "", lang=lang,
                    title_en=ev.title_en, title_zh=ev.title_zh)
    return df


def _fmt(x, digits: int = 3) -> str:
    v = _num(x)
    return "—" if not math.isfinite(v) else f"{v:.{digits}f}"


def display_frame(table: pd.DataFrame, digits: int = 3) -> pd.DataFrame:
    """The table as a journal shows it: coefficient, its interval in brackets under it, N and
    the text rows, with labels in the table's language."""
    lang = table.attrs.get("lang", "en")
    rows = {}
    rows[_pick(LABELS["coefficient"], lang)] = [_fmt(v, digits) for v in table.loc["coefficient"]]
    rows[_pick(("95% 区间", "95% interval"), lang)] = [
        f"[{_fmt(a, digits)}, {_fmt(b, digits)}]" for a, b in zip(table.loc["ci_low"], table.loc["ci_high"])]
    rows[_pick(LABELS["n"], lang)] = ["—" if n is None or pd.isna(n) else f"{int(n):,}"
                                     for n in table.loc["n"]]
    for k in ("estimator", "city_fe", "year_fe", "inference", "controls", "role"):
        rows[_pick(LABELS[k], lang)] = list(table.loc[k])
    return pd.DataFrame.from_dict(rows, orient="index", columns=table.columns)


def _notes(table: pd.DataFrame, rid: str, vintage: str) -> list[str]:
    lang = table.attrs.get("lang", "en")
    unit = table.attrs.get("unit", "")
    en = (f"{table.attrs.get('hypothesis', '')}: coefficients in {unit}. Column (1): the 95 % interval "
          "inverts the randomization test over province blocks; other columns: their own 95 % "
          "intervals. Binding columns must agree in sign with (1) (docs/methods.md, the verdict rule).")
    zh = (f"{table.attrs.get('hypothesis', '')}：系数单位为 {vocab.unit_zh(unit)}。"
          "第 (1) 列的 95% 区间由省份整块随机化检验反演得到；"
          "其余各列为各自的 95% 区间。约束列须与第 (1) 列同号（docs/methods.md 判定规则）。")
    meta = f"run {rid}; data: {vintage}"
    # Chinese: the panel's build time; the sources (English record) are in the page's footer
    built = re.search(r"panel built (\S+?)(?:;|$)", vintage or "")
    meta_zh = (f"运行 {rid}；数据：面板构建于 {built.group(1)}，各数据来源见页脚“数据来源与出处”"
               if built else meta)
    return {"zh": [zh, meta_zh], "en": [en, meta]}.get(lang, [zh, en, meta])


def to_latex(table: pd.DataFrame, *, run: str = "", vintage: str = "", digits: int = 3) -> str:
    """booktabs LaTeX (pandas Styler; needs jinja2). Chinese labels need xelatex with ctex."""
    disp = display_frame(table, digits)
    body = disp.style.to_latex(hrules=True, column_format="l" + "c" * disp.shape[1])
    notes = "\n\\par ".join(_tex_escape(n) for n in _notes(table, run, vintage))
    title = table.attrs.get("title_zh" if table.attrs.get("lang") == "zh" else "title_en", "")
    return ("% generated by yrdlib.report.regtable; needs \\usepackage{booktabs,graphicx}"
            + (" and ctex (xelatex) for the Chinese labels" if table.attrs.get("lang") != "en" else "")
            + f"\n\\begin{{table}}[htbp]\n\\centering\n\\caption{{{_tex_escape(title)}}}\n"
            + "\\resizebox{\\textwidth}{!}{%\n" + _tex_escape_cells(body) + "}\n"
            + "\\par\\smallskip\\footnotesize " + notes + "\n\\end{table}\n")


_TEX = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
        "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
        "–": "--", "—": "---", "×": r"$\times$", "M̄": r"$\bar M$"}


def _tex_escape(s: str) -> str:
    s = str(s).replace("M̄", "\0MBAR\0")
    s = "".join(_TEX.get(ch, ch) for ch in s)
    return s.replace("\0MBAR\0", r"$\bar M$")


def _tex_escape_cells(body: str) -> str:
    """Escape the cells of a Styler tabular (its structure lines are kept)."""
    out = []
    for line in body.splitlines():
        if line.startswith(("\\begin", "\\end", "\\toprule", "\\midrule", "\\bottomrule")):
            out.append(line)
            continue
        end = " \\\\" if line.endswith(" \\\\") else ""
        cells = (line[: -len(end)] if end else line).split(" & ")
        out.append(" & ".join(_tex_escape(c) for c in cells) + end)
    return "\n".join(out) + "\n"


def to_html(table: pd.DataFrame, *, run: str = "", vintage: str = "", digits: int = 3) -> str:
    """A plain HTML document (no CSS classes or scripts; borders as table attributes) that Word
    and LibreOffice open as an editable table."""
    disp = display_frame(table, digits)
    e = html.escape
    lang = table.attrs.get("lang", "en")
    title = table.attrs.get("title_zh" if lang == "zh" else "title_en", "")
    head = "".join(f"<th>{e(str(c))}</th>" for c in disp.columns)
    body = "".join("<tr><th align=\"left\">" + e(str(i)) + "</th>"
                   + "".join(f"<td align=\"center\">{e(str(v))}</td>" for v in row) + "</tr>\n"
                   for i, row in disp.iterrows())
    notes = "".join(f"<p><small>{e(n)}</small></p>\n" for n in _notes(table, run, vintage))
    return ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + e(title)
            + "</title></head><body>\n<table border=\"1\" cellspacing=\"0\" cellpadding=\"4\">\n"
            + f"<caption>{e(title)}</caption>\n<thead><tr><th></th>{head}</tr></thead>\n<tbody>\n"
            + body + "</tbody></table>\n" + notes + "</body></html>\n")


def to_csv_text(table: pd.DataFrame, *, run: str = "", vintage: str = "") -> str:
    """The table with unrounded numbers (equal to evidence.csv) and two last rows carrying the
    run id and the data vintage."""
    lang = table.attrs.get("lang", "en")
    out = table.copy()
    out.index = [_pick(LABELS[k], lang) for k in table.index]
    meta = pd.DataFrame([[run] + [""] * (out.shape[1] - 1), [vintage] + [""] * (out.shape[1] - 1)],
                        index=[_pick(("运行", "run id"), lang), _pick(("数据版本", "data vintage"), lang)],
                        columns=out.columns)

    return _safe_frame(pd.concat([out, meta])).to_csv(index=True, index_label="")


def estimates_data(result, *, run: str = "", vintage: str | None = None) -> pd.DataFrame:
    """The estimates behind a causal test as one tidy frame: event-study leads and lags
    (did2s and Sun–Abraham) with their intervals, the Callaway–Sant'Anna cohort-group effects,
    the headline and every specification row — each line with the run id and data vintage."""
    ev = result.evidence
    data = getattr(result, "data", {}) or {}
    vintage = ev.data_vintage if vintage is None else vintage
    parts = []
    for est in ("did2s", "sunab"):
        es = data.get(f"event_{est}")
        if isinstance(es, pd.DataFrame) and len(es):
            parts.append(pd.DataFrame({
                "part": "event_study", "estimator": est, "term": "rel_time",
                "rel_time": es["rel_time"].astype(int), "estimate": es["estimate"], "se": es.get("se"),
                "ci_low": es["ci_low"], "ci_high": es["ci_high"], "p_value": math.nan,
                "n": es.get("n_obs"), "note": ""}))
            ref = parts[-1]["rel_time"].eq(-1) & parts[-1]["se"].eq(0)
            parts[-1].loc[ref, "note"] = "reference period (normalised to 0)"
    cc = data.get("cs_cohorts")
    if isinstance(cc, pd.DataFrame) and len(cc):
        parts.append(pd.DataFrame({
            "part": "cohort_effect", "estimator": "callaway_santanna", "term": cc["cohorts"],
            "rel_time": pd.NA, "estimate": cc["att"], "se": cc.get("se"), "ci_low": cc["ci_low"],
            "ci_high": cc["ci_high"], "p_value": cc.get("p"), "n": pd.NA, "note": ""}))
    head = [{"part": "headline", "estimator": "did2s", "term": "ATT (design-based interval)",
             "estimate": ev.estimate, "ci_low": ev.ci_low, "ci_high": ev.ci_high,
             "p_value": ev.p_value, "n": ev.n, "note": ev.inference}]
    for r in ev.sensitivity:
        if r.get("kind") == "pretrend":
            head.append({"part": "pretrend_test", "estimator": "", "term": r.get("name"),
                         "p_value": r.get("pretrend_p"), "note": r.get("note", "")})
        else:
            head.append({"part": "specification_row", "estimator": r.get("kind", ""),
                         "term": r.get("name"), "estimate": r.get("estimate"),
                         "ci_low": r.get("ci_low"), "ci_high": r.get("ci_high"),
                         "p_value": r.get("p_value"), "n": r.get("n_obs"),
                         "note": "; ".join(x for x in (
                             "binding" if r.get("binding", True) else "shown, not binding",
                             r.get("note", "")) if x)})
    parts.append(pd.DataFrame(head))
    out = pd.concat([p for p in parts if len(p)], ignore_index=True)
    cols = ["part", "estimator", "term", "rel_time", "estimate", "se", "ci_low", "ci_high",
            "p_value", "n", "note"]
    out = out.reindex(columns=cols)
    out.insert(0, "hypothesis", ev.hypothesis)
    out["unit"] = ev.unit
    out["run_id"] = run
    out["data_vintage"] = vintage
    return out


def export(result, *, run: str | None = None, folder: str | Path | None = None) -> dict[str, Path]:
    """Write the regression table (CSV, Excel, LaTeX en/zh, Word-ready HTML) and the tidy
    estimates (CSV, Excel) into the job's output folder and register them for the report's
    downloads. Returns {format: path}."""

    ev = result.evidence
    rid = run or run_id()
    vint = ev.data_vintage
    d = Path(folder) if folder else output_dir()
    d.mkdir(parents=True, exist_ok=True)
    stem = slug(f"{ev.hypothesis}_regression_table")
    both, en, zh = (regression_table(ev, lang) for lang in ("both", "en", "zh"))
    files = {"csv": d / f"{stem}.csv", "xlsx": d / f"{stem}.xlsx", "tex": d / f"{stem}_en.tex",
             "tex_zh": d / f"{stem}_zh.tex", "html": d / f"{stem}.html"}
    files["csv"].write_text(to_csv_text(both, run=rid, vintage=vint), encoding="utf-8-sig")
    xl = both.copy()
    xl.index = [_pick(LABELS[k], "both") for k in both.index]
    xl.loc["运行 run id"] = [rid] + [""] * (xl.shape[1] - 1)
    xl.loc["数据版本 data vintage"] = [vint] + [""] * (xl.shape[1] - 1)
    write_excel({stem: xl}, files["xlsx"], index=True)
    files["tex"].write_text(to_latex(en, run=rid, vintage=vint), encoding="utf-8")
    files["tex_zh"].write_text(to_latex(zh, run=rid, vintage=vint), encoding="utf-8")
    files["html"].write_text(to_html(both, run=rid, vintage=vint), encoding="utf-8")
    register(d, stem, f"{ev.hypothesis} regression table · 回归表",
             {k: p.name for k, p in files.items()}, rows=both.shape[1])
    if folder:  # export_table writes to the job folder; a given folder gets the CSV directly
        est = estimates_data(result, run=rid)
        p = d / slug(f"{ev.hypothesis}_estimates")

        _safe_frame(est).to_csv(p.with_suffix(".csv"), index=False, encoding="utf-8-sig")
        files["estimates"] = p.with_suffix(".csv")
    else:
        files["estimates"] = export_table(
            estimates_data(result, run=rid), f"{ev.hypothesis}_estimates",
            title=f"{ev.hypothesis} event study, cohort effects and rows as data · 事件研究与分组效应数据")
    return files


def show(result, lang: str = "both"):
    """THE call a causal-test notebook makes after its specification chart: display the
    regression table and export it (and the tidy estimates) for the report's downloads. A test
    that does not apply here (its evidence box says why) has no table and nothing to export."""
    from IPython.display import HTML, display

    if not result.evidence.applicable:
        return {}
    files = export(result)
    table = regression_table(result, lang if lang in ("zh", "en") else "both")
    title = _pick((f"{table.attrs['hypothesis']} 回归表", f"{table.attrs['hypothesis']} regression table"),
                  table.attrs["lang"])
    display(HTML(format_table(display_frame(table), lang=table.attrs["lang"], index=True,
                              caption=title, notes=_notes(table, run_id(), result.evidence.data_vintage))))
    return files
