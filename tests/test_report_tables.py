"""The one table formatter, on real tables of the processed panel: a gap, a float year, bilingual
labels with units, p-values, no bare index; and its registration with IPython."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from yrdlib.report.tables import GAP, GAP_NOTE, column_label, format_p, format_table, prepare


@pytest.fixture(scope="module")
def taizhou(panel):
    """Taizhou's GDP and tertiary share by year as a notebook builds it: a pivot whose outer
    join with the population years leaves NaN cells, so the year column becomes float."""
    t = panel[panel["region_code"] == "331000"]
    wide = t.pivot_table(index="year", columns="indicator", values="value").reset_index()
    cols = [c for c in ("gdp", "pop_resident") if c in wide.columns]
    assert "gdp" in cols
    out = wide[["year", *cols]].copy()
    out = pd.concat([out, pd.DataFrame({"year": [np.nan], "gdp": [np.nan]})], ignore_index=True)
    assert out["year"].dtype == float and out["gdp"].isna().any()
    return out


def test_real_panel_table_reads_like_a_publication(taizhou):
    text, gap = prepare(taizhou)
    assert list(text.columns)[:2] == ["年份 Year", "地区生产总值 GDP（亿元）"]
    years = [y for y in text["年份 Year"] if y != GAP]
    assert years and all(y.isdigit() and len(y) == 4 for y in years)  # 2019, never 2019.0
    gdp = [v for v in text["地区生产总值 GDP（亿元）"] if v != GAP]
    # fixed one decimal for 亿元, thousands separators on the large values
    assert all(v.split(".")[-1].isdigit() and len(v.split(".")[-1]) == 1 for v in gdp)
    big = taizhou["gdp"].dropna().max()
    assert f"{big:,.1f}" in gdp and "," in f"{big:,.1f}"
    assert gap and GAP in set(text["地区生产总值 GDP（亿元）"])
    html = format_table(taizhou)
    assert "nan" not in html.lower().replace("nan-", "") and "2019.0" not in html
    assert GAP_NOTE.split("/")[0].strip() in html  # the gap is explained under the table
    assert "<th scope=\"col\"" in html and ">0<" not in html.split("<tbody>")[1][:40]  # no 0…n index


def test_languages_and_readable_headers():
    assert column_label("gdp", lang="en") == "GDP（亿元）"
    assert column_label("gdp", lang="zh") == "地区生产总值（亿元）"
    assert column_label("some_snake_case") == "Some snake case"
    assert column_label("gdp", units={"gdp": "亿元(2000年价)"}).endswith("（亿元(2000年价)）")
    text, _ = prepare(pd.DataFrame({"label": ["台州\\n市"]}))
    assert text.iloc[0, 0] == "台州 市"  # a literal \n in a label never reaches the reader


def test_p_values_and_meaningful_index():
    assert [format_p(p) for p in (0.0, 0.0004, 0.0432, np.nan)] == ["<0.001", "<0.001", "0.043", GAP]
    res = pd.DataFrame({"coef": [0.52, -0.1], "p_value": [0.0, 0.31]},
                       index=pd.Index(["treated", "post"], name="term"))
    text, gap = prepare(res)
    assert list(text.columns) == ["Term", "系数 Coefficient", "p 值 p-value"] and not gap
    assert text.iloc[:, 0].tolist() == ["treated", "post"]  # a named index becomes a column
    assert text["p 值 p-value"].tolist() == ["<0.001", "0.310"]


def test_markup_in_data_is_escaped_and_wide_tables_scroll():
    df = pd.DataFrame({f"c{i}": ["<script>alert(1)</script>"] for i in range(30)})
    html = format_table(df)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert html.startswith('<div class="yrd-table-box">')  # the box scrolls (report.css)


def test_install_routes_dataframes_series_and_stylers_through_the_formatter(taizhou):
    from IPython.core.interactiveshell import InteractiveShell

    from yrdlib.report import tables

    ip = InteractiveShell.instance()
    try:
        assert tables.install("both")
        for obj in (taizhou, taizhou["gdp"], taizhou.style.format(precision=1).hide(axis="index")):
            fmt, _ = ip.display_formatter.format(obj)
            assert "yrd-table-box" in fmt["text/html"], type(obj)
            assert "\n" not in fmt["text/plain"] and "shown as a formatted table" in fmt["text/plain"]
    finally:
        InteractiveShell.clear_instance()
