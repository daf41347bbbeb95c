"""One importer per raw source format: read the project's extract in data/raw/<source>/, clean
it with yrdlib.data.clean, return the tidy long table (region_code, year, indicator, value, unit,
source, source_row, flag) and a log of the rows it dropped and why. Each docstring names the
publication. Importers never write files."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from yrdlib import config, regions
from yrdlib.data import clean, files, indicators
from yrdlib.data.clean import LONG_COLUMNS, read_raw
from yrdlib.errors import DataError


@dataclass
class Imported:
    data: pd.DataFrame
    dropped: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=["file", "source_row", "reason", "content"]))


def _prepare(path: Path, year_col: str, code_col: str | None = None, name_col: str | None = None,
             province_col: str | None = None, required: list[str] = ()) -> tuple[pd.DataFrame, pd.DataFrame]:
    keys = [year_col, code_col or name_col]
    df = read_raw(path, [*keys, *required, *([province_col] if province_col else [])])
    df, dropped = clean.split_non_data_rows(df, keys, list(required))
    df["year"] = clean.to_year(df, year_col)
    if code_col:
        df["region_code"] = clean.codes_from_codes(df, code_col)
    else:
        df["region_code"] = clean.codes_from_names(df, name_col, province_col)
    return df, dropped


def _finish(df: pd.DataFrame, values: dict, source: str, dropped: pd.DataFrame,
            flags: dict | None = None) -> Imported:
    df = clean.check_unique(df, ["region_code", "year"])
    long = clean.long_from_wide(df, values, source, flags)
    long, gone = clean.drop_outside_validity(long)
    return Imported(long, pd.concat([dropped, gone], ignore_index=True))


def industry_structure(path: Path) -> Imported:
    """GDP and value added by sector, 亿元 (中国城市统计年鉴 via biechouwo-coder/G-P)."""
    df, dropped = _prepare(path, "年度标识", code_col="城市代码",
                           required=["gdp（亿元人民币）", "第一产业增加值（亿元人民币）", "第二产业增加值",
                                     "第三产业增加值"])
    return _finish(df, {
        "gdp（亿元人民币）": ("gdp", "亿元"),
        "第一产业增加值（亿元人民币）": ("va_primary", "亿元"),
        "第二产业增加值": ("va_secondary", "亿元"),
        "第三产业增加值": ("va_tertiary", "亿元"),
    }, clean._rel(path, None), dropped)


def fdi(path: Path) -> Imported:
    """FDI actually used by city name, in the unit of the 单位 column (百万美元)."""
    df, dropped = _prepare(path, "year", name_col="地级市", required=["外商直接投资", "单位"])
    national = df["region_code"] == "000000"  # the file's 中国 rows are national totals
    dropped = pd.concat([dropped, pd.DataFrame({
        "file": df.attrs["file"], "source_row": df.loc[national, "_line"],
        "reason": "national total row, not a city", "content": df.loc[national, "地级市"]})],
        ignore_index=True)
    attrs = df.attrs
    df = df[~national].copy()
    df.attrs = attrs
    df = clean.check_unique(df, ["region_code", "year"])
    parts = []
    for unit, grp in df.groupby("单位", sort=False):
        grp.attrs = df.attrs
        part = clean.long_from_wide(grp, {"外商直接投资": ("fdi_usd", unit)}, clean._rel(path, None))
        parts.append(part)
    long = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=LONG_COLUMNS)
    long, gone = clean.drop_outside_validity(long)
    return Imported(long, pd.concat([dropped, gone], ignore_index=True))


def gdp_index(path: Path) -> Imported:
    """GDP index (previous year = 100) and the compiler's deflator (2000 = 1). The nominal and
    real GDP columns of this file are an unrevised vintage and are not imported."""
    df, dropped = _prepare(path, "年份", name_col="城市", province_col="省份",
                           required=["GDP指数", "GDP平减指数"])
    return _finish(df, {"GDP指数": ("gdp_index", "上年=100"),
                        "GDP平减指数": ("gdp_deflator", "2000=1")}, clean._rel(path, None), dropped)


def population_area(path: Path) -> Imported:
    """Resident population (万人) reported, and reported-or-interpolated kept apart; land area."""
    rep, interp = "常住人口（万人）", "插值_常住人口（万人）"
    df, dropped = _prepare(path, "年份", code_col="城市代码",
                           required=["行政区域土地面积(平方公里)", rep, interp])
    reported = clean.to_number(df, rep)
    flag = pd.Series("", index=df.index).where(reported.notna(), "interpolated")
    return _finish(df, {rep: ("pop_resident", "万人"), interp: ("pop_resident_filled", "万人"),
                        "行政区域土地面积(平方公里)": ("land_area", "平方公里")},
                   clean._rel(path, None), dropped, flags={interp: flag})


def finance(path: Path) -> Imported:
    """Year-end loans and deposits, 万元 -> 亿元 (GDP in this file is not imported: the
    industry-structure file is the GDP source)."""
    loans, deps = "年末金融机构各项贷款余额(万元)", "年末金融机构存款余额(万元)"
    df, dropped = _prepare(path, "年份", code_col="城市代码", required=[loans, deps])
    return _finish(df, {loans: ("loans", "万元"), deps: ("deposits", "万元")},
                   clean._rel(path, None), dropped)


def roads(path: Path) -> Imported:
    """Urban road area per capita; prefecture-level rows and Taizhou's county-level cities.
    Other county-level cities are outside the region reference and logged as such."""
    rep, interp = "人均道路面积（平方米）", "人均道路面积（平方米）  线性插值"
    df = read_raw(path, ["年份", "城市代码", rep, interp])
    df, dropped = clean.split_non_data_rows(df, ["年份", "城市代码"], [rep, interp])
    df, out = clean.drop_out_of_scope(df, "城市代码", "城市")
    dropped = pd.concat([dropped, out], ignore_index=True)
    df["year"] = clean.to_year(df, "年份")
    df["region_code"] = clean.codes_from_codes(df, "城市代码")
    reported = clean.to_number(df, rep)
    flag = pd.Series("", index=df.index).where(reported.notna(), "interpolated")
    return _finish(df, {rep: ("road_area_pc", "平方米"), interp: ("road_area_pc_filled", "平方米")},
                   clean._rel(path, None), dropped, flags={interp: flag})


def cross_section_2016(path: Path) -> Imported:
    """2016 cross-section (CCSY): patents, registered and resident population, GDP (yuan)."""
    df = read_raw(path, ["cityId", "cityName_CN", "Regis_pop", "Res_pop", "GDP", "Patent"])
    df, dropped = clean.split_non_data_rows(df, ["cityId"])
    df["region_code"] = clean.codes_from_codes(df, "cityId")
    df["year"] = 2016
    return _finish(df, {"Patent": ("patents_2016", "件"), "Regis_pop": ("pop_registered_2016", "人"),
                        "Res_pop": ("pop_resident_2016", "人"), "GDP": ("gdp_2016", "元")},
                   clean._rel(path, None), dropped)


def census_prefecture(path: Path) -> Imported:
    """Census resident and urban population of prefectures, 2010 and 2020."""
    df = read_raw(path, ["city_code", "popu_2010", "popu_urban_2010", "popu_2020", "popu_urban_2020"])
    df, dropped = clean.split_non_data_rows(df, ["city_code"])
    df, out = clean.drop_out_of_scope(df, "city_code", "city")
    dropped = pd.concat([dropped, out], ignore_index=True)
    df["region_code"] = clean.codes_from_codes(df, "city_code")
    parts = []
    for year in (2010, 2020):
        d = df.copy()
        d.attrs = df.attrs
        d["year"] = year
        parts.append(_finish(d, {f"popu_{year}": ("census_pop", "人"),
                                 f"popu_urban_{year}": ("census_pop_urban", "人")},
                             clean._rel(path, None), dropped if year == 2010 else dropped.iloc[:0]))
    return Imported(pd.concat([p.data for p in parts], ignore_index=True),
                    pd.concat([p.dropped for p in parts], ignore_index=True))


def _census_tables(path: Path, year: int, code_col: str, values: dict) -> Imported:
    df = read_raw(path, [code_col, *values])
    df, dropped = clean.split_non_data_rows(df, [code_col])
    df, out = clean.drop_out_of_scope(df, code_col)
    code = df[code_col].str.replace(r"\.0$", "", regex=True)
    sub = code.isin(["110100", "110200", "120100", "120200", "310100", "310200", "500100", "500200"])
    out2 = pd.DataFrame({"file": df.attrs["file"], "source_row": df.loc[sub, "_line"],
                         "reason": "municipal sub-total row (市辖区/县): the municipality row "
                                   "holds the total",
                         "content": df.loc[sub, code_col]})
    attrs = df.attrs
    df = df[~sub].copy()
    df.attrs = attrs
    dropped = pd.concat([dropped, out, out2], ignore_index=True)
    df["region_code"] = clean.codes_from_codes(df, code_col)
    df["year"] = year

    # prefecture totals of resident population come from the prefecture file; here only counties
    res = _finish(df, dict(values), clean._rel(path, None), dropped)
    is_pref_total = res.data["indicator"].isin(["census_pop", "census_pop_urban"]) & \
        res.data["region_code"].map(regions.reference()["level"]).ne("county")
    return Imported(res.data[~is_pref_total].reset_index(drop=True), res.dropped)


def census_2010(path: Path) -> Imported:
    """6th census county tables: registered population, in-migrants, employment by industry."""
    return _census_tables(path, 2010, "区划代码", {
        "合计": ("census_pop", "人"), "城镇人口": ("census_pop_urban", "人"),
        "户籍人口": ("census_hukou", "人"),
        "迁入人口（人）-外省": ("census_migrants_other_province", "人"),
        "迁入人口（人）-本省其他县（市）、市区": ("census_migrants_same_province", "人"),
        "各种行业人口总计": ("census_employed", "人"), "制造业": ("census_manufacturing", "人")})


def census_2020(path: Path) -> Imported:
    """7th census county tables: persons away from their hukou township by origin, employment."""
    return _census_tables(path, 2020, "区划代码", {
        "人口数_合计": ("census_pop", "人"), "城镇人口": ("census_pop_urban", "人"),
        "户口登记地在外乡镇街道人口_省外": ("census_migrants_other_province", "人"),
        "户口登记地在外乡镇街道人口_本省其他县": ("census_migrants_same_province", "人"),
        "各种行业人口总计": ("census_employed", "人"), "制造业": ("census_manufacturing", "人")})


def exchange_rates(path: Path) -> Imported:
    """CNY per USD; region 000000 (China); flags say ECB-derived, low precision or conflicting."""
    df = read_raw(path, ["year", "cny_per_usd", "rate_source", "precision"])
    df, dropped = clean.split_non_data_rows(df, ["year"])
    df["year"] = clean.to_year(df, "year")
    df["region_code"] = "000000"
    flag = df["rate_source"].where(df["rate_source"] != "published", "")
    flag = flag.str.cat(df["precision"].where(df["precision"].isin(["low", "conflict"]), ""), sep=";")
    flag = flag.str.strip(";").str.replace("ecb_derived", "ecb_derived", regex=False)
    df = clean.check_unique(df, ["region_code", "year"], what="year")
    long = clean.long_from_wide(df, {"cny_per_usd": ("usd_cny", "元/美元")}, clean._rel(path, None),
                                {"cny_per_usd": flag})
    return Imported(long, dropped)


USER_COLUMNS = ["region", "year", "indicator", "value", "unit", "source"]
USER_OPTIONAL = ["flag"]


def user_table(path: Path) -> Imported:
    """A user's own figures (data/user/*.csv, template in data/user/TEMPLATE.csv): region by code
    or name, an indicator key from the dictionary, the unit as published (converted), a source."""
    df = read_raw(path, USER_COLUMNS)
    unknown = [c for c in df.columns if c not in USER_COLUMNS + USER_OPTIONAL + ["_line"]]
    if unknown:
        raise DataError(df.attrs["file"], f"unknown column(s) {unknown}; allowed: "
                        f"{USER_COLUMNS + USER_OPTIONAL}", row=1, column=unknown[0])
    df, dropped = clean.split_non_data_rows(df, ["region", "year"])
    df["year"] = clean.to_year(df, "year")
    df["region_code"] = _user_regions(df)
    _refuse_abolished(df)
    blank = clean.to_number(df, "value").isna()
    if blank.any():
        i = blank.idxmax()
        raise DataError(df.attrs["file"], "empty value (leave a gap out of the file instead)",
                        row=int(df.at[i, "_line"]), column="value")
    for i, key in zip(df.index, df["indicator"].str.strip()):
        if key not in indicators.INDICATORS or indicators.INDICATORS[key].kind == "derived":
            raise DataError(df.attrs["file"], "unknown indicator key (see the indicator dictionary; "
                            "derived indicators are computed, not entered)", row=int(df.at[i, "_line"]),
                            column="indicator", value=key)
    for i in df.index:
        if not df.at[i, "source"].strip():
            raise DataError(df.attrs["file"], "every figure needs its source", row=int(df.at[i, "_line"]),
                            column="source")
    df = clean.check_unique(df, ["region_code", "year", "indicator"], what="region-year-indicator")
    parts = []
    for (key, unit), grp in df.groupby([df["indicator"].str.strip(), df["unit"].str.strip()], sort=False):
        grp = grp.copy()
        grp.attrs = df.attrs
        flag = grp["flag"] if "flag" in grp else pd.Series("", index=grp.index)
        try:
            part = clean.long_from_wide(grp, {"value": (key, unit)}, clean._rel(path, None), {"value": flag})
        except DataError as e:
            raise DataError(df.attrs["file"], e.message, row=int(grp["_line"].iloc[0]), column="unit",
                            value=unit) from None
        part["source"] = clean._rel(path, None) + " :: " + grp["source"].str.strip().values
        parts.append(part)
    long = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=LONG_COLUMNS)
    long["flag"] = (long["flag"].fillna("") + ";user").str.strip(";")
    long, gone = clean.drop_outside_validity(long)
    return Imported(long, pd.concat([dropped, gone], ignore_index=True))


def _refuse_abolished(df: pd.DataFrame) -> None:
    """A user row for a unit in a year after it was abolished (巢湖 2015) is refused with the
    reason, not dropped: the figure would describe its successor, which the user must name."""
    ref = regions.reference()
    valid_to = df["region_code"].map(ref["valid_to"]).astype("Float64")
    bad = (valid_to.notna() & (df["year"] > valid_to)).fillna(False)
    if bad.any():
        i = bad.idxmax()
        raise DataError(df.attrs["file"], f"{df.at[i, 'region']} ({df.at[i, 'region_code']}) was "
                        f"abolished after {int(valid_to[i])}; a figure for {int(df.at[i, 'year'])} "
                        "describes its successor: enter it under the successor unit",
                        row=int(df.at[i, "_line"]), column="region", value=df.at[i, "region"])


def _user_regions(df: pd.DataFrame) -> pd.Series:

    out = {}
    for i, name in zip(df.index, df["region"].str.strip()):
        if name in out:
            continue
        try:
            out[name] = regions.resolve(name).code
        except regions.RegionError as e:
            raise DataError(df.attrs["file"], str(e), row=int(df.at[i, "_line"]), column="region",
                            value=name) from None
    return df["region"].str.strip().map(out)


# ----------------------------------------------------------------------------------------------
# Curated points: facts with a quality flag that are not city-year series (ports, bulletins)

POINT_COLUMNS = ["entity", "region_code", "period", "metric", "value", "unit", "qualifier",
                 "quality", "note", "source_url", "source", "source_row"]


def _qualifier(value_text: str, note: str) -> tuple[float | None, str]:
    t = value_text.strip()
    q = "exact"
    if t.startswith(("近", "约", "~")):
        q = "approx"
    if t.startswith((">", "超", "逾")) or re.search(r'^"*[>超]|threshold', note):
        q = "lower_bound"
    if re.search(r"预计|将达|forecast|expected|near-final|年末前", note):
        q = "forecast"
    if re.search(r"target|目标", note, re.I):
        q = "target"
    num = re.search(r"-?\d+(\.\d+)?", t.replace(",", ""))
    return (float(num.group()) if num else None), q


def points(folder: Path) -> pd.DataFrame:
    """Port, trade and bulletin points from data/raw/curated_points with their qualifiers."""
    rows = []

    def region_of(name: str) -> str:
        base = re.sub(r"(港口|港区|港|县港口).*$", "", name)
        base = re.sub(r"[(（].*$", "", base)
        for cand in (name, base):
            try:
                return regions.resolve(cand).code
            except regions.RegionError:
                continue
        return ""

    f = folder / "port_throughput_points.csv"
    df = read_raw(f, ["port", "year", "metric", "value", "unit", "note", "source_url"])
    for _, r in df.iterrows():
        v, q = _qualifier(r["value"], r["note"])
        rows.append(dict(entity=r["port"], region_code=region_of(r["port"]), period=r["year"],
                         metric=r["metric"], value=v, unit=r["unit"], qualifier=q,
                         quality="", note=r["note"], source_url=r["source_url"],
                         source=df.attrs["file"], source_row=r["_line"]))
    f = folder / "page_points_trade_ports.csv"
    df = read_raw(f, ["entity", "period", "metric", "value", "unit", "note", "quality", "source_url"])
    for _, r in df.iterrows():
        v, q = _qualifier(r["value"], r["note"])
        rows.append(dict(entity=r["entity"], region_code=region_of(r["entity"]), period=r["period"],
                         metric=r["metric"], value=v, unit=r["unit"], qualifier=q,
                         quality=r["quality"], note=r["note"], source_url=r["source_url"],
                         source=df.attrs["file"], source_row=r["_line"]))
    f = folder / "yuhuan_taizhou_bulletin_figures.csv"
    df = read_raw(f, ["region", "year", "indicator_zh", "indicator_en", "value", "unit", "basis_note",
                      "source_url"])
    for _, r in df.iterrows():
        v, q = _qualifier(r["value"], r["basis_note"])
        rows.append(dict(entity=f"{r['region']} {r['indicator_zh']}", region_code=region_of(r["region"]),
                         period=r["year"], metric=r["indicator_en"], value=v, unit=r["unit"],
                         qualifier=q, quality="bulletin" if "公报" in r["basis_note"] else "news/other",
                         note=r["basis_note"], source_url=r["source_url"], source=df.attrs["file"],
                         source_row=r["_line"]))
    f = folder / "taizhou_county_bulletin_points.csv"
    df = read_raw(f, ["county", "gb2260_code", "year", "variable", "value", "unit", "source"])
    for _, r in df.iterrows():
        v, q = _qualifier(r["value"], r["source"])
        rows.append(dict(entity=r["county"], region_code=regions.canonical_code(r["gb2260_code"]),
                         period=r["year"], metric=r["variable"], value=v, unit=r["unit"], qualifier=q,
                         quality="bulletin" if "公报" in r["source"] or r["source"] == "same" else "other",
                         note=r["source"], source_url="", source=df.attrs["file"], source_row=r["_line"]))
    return pd.DataFrame(rows, columns=POINT_COLUMNS)


# ----------------------------------------------------------------------------------------------
# The registry: which importer reads which raw file. Adding a source = a line here + SOURCE.yml.

def edgar_co2(path: Path) -> Imported:
    """City CO2 emissions, tonnes -> 万吨: EDGAR v8.0 grid estimates (not official statistics;
    the indicator's label says so)."""
    col = "碳排放量_吨"
    df, dropped = _prepare(path, "年份", code_col="城市代码", required=[col])
    return _finish(df, {col: ("co2_edgar", "吨")}, clean._rel(path, None), dropped)


# the compiler's typing errors in city names, each checked: its GDP matches the named city's
SUSTAIN_NAME_FIXES = {"毫州市": "亳州市"}


def city_sustainability(path: Path) -> Imported:
    """Hospital beds, industrial SO2 and the safe-treatment rate of household waste, 2004-2012
    (CCSY via the city-sustainability compilation). GDP, FDI and population in the file are for
    checking rows against the project's panels and are not imported; a waste rate above 100 %
    is impossible and dropped with the reason."""
    beds, so2 = "医院、卫生院床位数_全市_张", "工业二氧化硫排放量_全市_吨"
    waste = "生活垃圾无害化处理率_全市_百分比"
    df = read_raw(path, ["城市", "年份", beds, so2, waste])
    df, dropped = clean.split_non_data_rows(df, ["城市", "年份"], [beds, so2, waste])
    df["城市"] = df["城市"].replace(SUSTAIN_NAME_FIXES)
    df["year"] = clean.to_year(df, "年份")
    df["region_code"] = clean.codes_from_names(df, "城市")
    rate = clean.to_number(df, waste)
    bad = rate > 100
    if bad.any():
        dropped = pd.concat([dropped, pd.DataFrame({
            "file": clean._rel(path, None), "source_row": df.loc[bad, "_line"].values,
            "reason": "生活垃圾无害化处理率 above 100 % (impossible): the value is not used",
            "content": (df.loc[bad, "城市"] + " " + df.loc[bad, "年份"].astype(str) + " "
                        + rate[bad].astype(str)).values})], ignore_index=True)
        df.loc[bad, waste] = ""
    return _finish(df, {beds: ("hospital_beds", "张"), so2: ("so2_industrial", "吨"),
                        waste: ("waste_safe_rate", "%")}, clean._rel(path, None), dropped)


REGISTRY: list[tuple[str, callable]] = [
    ("ccsy_industry_structure/地级市产业结构_2000-2023.csv", industry_structure),
    ("ccsy_fdi/地级市实际使用外资_1996-2023.csv", fdi),
    ("ccsy_gdp_index/地级市GDP指数与平减指数_2000年基期.csv", gdp_index),
    ("ccsy_population_area/地级市常住人口与土地面积_1998-2024.csv", population_area),
    ("ccsy_finance/地级市金融机构存贷款余额_2003-2023.csv", finance),
    ("urban_construction_roads/人均城市道路面积_地级市县级市.csv", roads),
    ("ccsy2016_cross_section/ccsy2016_city_patents.csv", cross_section_2016),
    ("census/census_prefecture_resident_2010_2020.csv", census_prefecture),
    ("census/census2010_prefectures_taizhou_counties.csv", census_2010),
    ("census/census2020_prefectures_taizhou_counties.csv", census_2020),
    ("exchange_rates/usd_cny_annual_average.csv", exchange_rates),
    ("edgar_co2/地级市碳排放量_EDGAR_v8_2000-2023.csv", edgar_co2),
    ("city_sustainability/城市可持续发展指标_2004-2012.csv", city_sustainability),
]


def user_files(user_dir: Path | None = None) -> list[Path]:
    return files.user_csvs(user_dir or config.USER_DATA)
