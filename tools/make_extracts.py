"""Write the project's own raw extracts (data/raw/) from the reference compilations in ../shared/data.

Run once by a maintainer, never by the build: the extracts it writes are committed and are the
project's raw data from then on. It documents exactly which sheet, rows and columns each extract
holds. Extracts keep the publication's Chinese headers, units and rows *as published*, including
the compiler's defects (footer advertisements, blank rows, typing errors): cleaning them is the
importers' job, in code, with tests (DEVELOPERS.md, "Data rules").

    python tools/make_extracts.py [--shared ../shared/data]

After running it, refresh the sha256 entries in each SOURCE.yml with `yrd data hash-sources --reason "..."`.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"


def _write(df: pd.DataFrame, folder: str, name: str) -> None:
    out = RAW / folder / name
    out.parent.mkdir(parents=True, exist_ok=True)
    df.to_csv(out, index=False, encoding="utf-8", lineterminator="\n")
    print(f"wrote {out.relative_to(ROOT)}: {len(df)} rows, {df.shape[1]} columns")


def _sheet(path: Path, sheet, columns: list[str]) -> pd.DataFrame:
    df = pd.read_excel(path, sheet_name=sheet, dtype=object)
    df.columns = [str(c) for c in df.columns]
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise SystemExit(f"{path}: missing columns {missing}")
    return df[columns]


def city_panels(shared: Path) -> None:
    cp = shared / "city-panels"
    _write(
        _sheet(cp / "2000-2023地级市产业结构 .xlsx", "面板数据2000-2023",
               ["年度标识", "城市名称", "城市代码", "城市类别", "省份名称", "gdp（亿元人民币）",
                "第一产业增加值（亿元人民币）", "第二产业增加值", "第三产业增加值",
                "第一产业占GDP比重", "第二产业占GDP比重", "第三产业占GDP比重"]),
        "ccsy_industry_structure", "地级市产业结构_2000-2023.csv")
    _write(
        _sheet(cp / "1996-2023年地级市外商直接投资FDI.xlsx", "Sheet1",
               ["year", "地级市", "外商直接投资", "单位", "数据来源"]),
        "ccsy_fdi", "地级市实际使用外资_1996-2023.csv")
    _write(
        _sheet(cp / "296个地级市GDP相关数据（以2000年为基期）.xlsx", "Sheet1",
               ["省份", "城市", "年份", "名义GDP", "GDP指数", "实际GDP", "GDP平减指数"]),
        "ccsy_gdp_index", "地级市GDP指数与平减指数_2000年基期.csv")
    _write(
        _sheet(cp / "298个地级市人口密度1998-2024年无缺失.xlsx", "面板数据",
               ["年份", "省份", "城市", "省份代码", "城市代码", "行政区域土地面积(平方公里)",
                "常住人口（万人）", "插值_常住人口（万人）"]),
        "ccsy_population_area", "地级市常住人口与土地面积_1998-2024.csv")
    _write(
        _sheet(cp / "金融发展水平（2003-2023）236缺失.xlsx", "Sheet1",
               ["年份", "省份", "城市", "省份代码", "城市代码", "地区生产总值(万元)",
                "年末金融机构各项贷款余额(万元)", "年末金融机构存款余额(万元)"]),
        "ccsy_finance", "地级市金融机构存贷款余额_2003-2023.csv")
    _write(
        _sheet(cp / "各省+地级市+县级市人均道路面积.xlsx", "地级市+县级市",
               ["年份", "省份", "省份代码", "城市", "城市代码", "人均道路面积（平方米）",
                "人均道路面积（平方米）  线性插值"]),
        "urban_construction_roads", "人均城市道路面积_地级市县级市.csv")


def intercity(shared: Path) -> None:
    df = pd.read_csv(shared / "intercity-2016" / "CN_Public.csv", dtype=str)
    _write(df[["cityId", "cityName_CN", "cityName_EN", "Lon", "Lat", "Regis_pop", "Res_pop", "GDP",
               "Employ_pct", "Patent"]], "ccsy2016_cross_section", "ccsy2016_city_patents.csv")


def census(shared: Path) -> None:
    c = shared / "census"
    city = pd.read_csv(c / "census_city_2010-2020_v1.csv", dtype=str, encoding="utf-8-sig")
    _write(city[["city", "city_code", "province", "province_code", "popu_2010", "popu_urban_2010",
                 "popu_rural_2010", "popu_2020", "popu_urban_2020", "popu_rural_2020"]],
           "census", "census_prefecture_resident_2010_2020.csv")

    def keep(codes: pd.Series) -> pd.Series:
        s = codes.astype(str).str[:6]
        prefecture = s.str.fullmatch(r"\d{4}00") & ~s.str.endswith("0000")
        municipality = s.isin(["110000", "120000", "310000", "500000"])
        taizhou_county = s.str.startswith("3310")
        return prefecture | municipality | taizhou_county

    c10 = pd.read_excel(c / "census_county_2010_v1.xlsx", dtype=object)
    cols10 = ["地区", "区划代码", "合计", "户籍人口", "城镇人口", "乡村人口",
              "迁入人口（人）-本省其他县\n（市）、市区", "迁入人口（人）-外省",
              "各种行业人口\n总计", "制造业"]
    c10 = c10.loc[keep(c10["区划代码"]), cols10]
    c10.columns = [x.replace("\n", "") for x in cols10]
    _write(c10, "census", "census2010_prefectures_taizhou_counties.csv")

    c20 = pd.read_excel(c / "census_county_2020_v1.xlsx", sheet_name="七普（年鉴）", dtype=object)
    cols20 = ["区划代码", "省", "市", "区县", "人口数_合计", "城镇人口", "乡村人口",
              "户口登记地在外乡镇街道人口_本省其他县", "户口登记地在外乡镇街道人口_省外",
              "各种行业人口总计", "制造业"]
    _write(c20.loc[keep(c20["区划代码"]), cols20], "census",
           "census2020_prefectures_taizhou_counties.csv")


# Columns both county censuses hold comparably (the publication's headers; "\n" in the 2010
# headers is the compiler's line break inside a cell and is removed, nothing else is renamed).
CENSUS_COUNTY_2010 = [
    "地区", "区划代码", "合计", "男", "女", "性别比\n（女=100）", "户籍人口", "城镇人口", "乡村人口",
    "户数", "人口数", "户规模\n（人/户）", "0-14岁（%）", "15-64岁（%）", "65岁及以上（%）",
    "迁入人口（人）-本县（市）/\n本市市区", "迁入人口（人）-本省其他县\n（市）、市区", "迁入人口（人）-外省",
    "大学专科-男", "大学专科-女", "大学本科及以上-男", "大学本科及以上-女", "平均受教育年限（年）-合计",
    "各种行业人口\n总计", "制造业"]
CENSUS_COUNTY_2020 = [
    "区划代码", "省", "市", "区县", "人口数_合计", "人口数_男", "人口数_女", "性别比（女=100）",
    "城镇人口", "乡村人口", "家庭户数", "家庭户人口数", "户规模", "人口比重_0-14岁",
    "人口比重_15-64岁", "人口比重_65岁及以上", "户口登记地在外乡镇街道人口_本县",
    "户口登记地在外乡镇街道人口_本省其他县", "户口登记地在外乡镇街道人口_省外", "大学专科_男",
    "大学专科_女", "本科及以上_男", "本科及以上_女", "平均受教育年限_合计", "各种行业人口总计", "制造业"]


def census_counties(shared: Path) -> None:
    """Every row of both county tables (provinces, prefectures, counties, the compiler's sub-total,
    blank and footer rows as published), only the columns both censuses hold comparably."""
    c = shared / "census"
    c10 = _sheet(c / "census_county_2010_v1.xlsx", 0, CENSUS_COUNTY_2010)
    c10.columns = [x.replace("\n", "") for x in CENSUS_COUNTY_2010]
    _write(c10, "census", "census2010_county_comparable.csv")
    _write(_sheet(c / "census_county_2020_v1.xlsx", "七普（年鉴）", CENSUS_COUNTY_2020), "census",
           "census2020_county_comparable.csv")


def county_events(shared: Path) -> None:
    """County-level administrative events 2010-2021 (the window between the censuses, with the
    year after, since a few approvals of late 2020 are listed under 2021)."""
    ev = pd.read_csv(shared / "prefecture-crosswalk" / "county_administrative_events_1983_2026.csv",
                     dtype=str)
    ev = ev[ev["year"].astype(int).between(2010, 2021)]
    _write(ev[["event_id", "year", "section", "event_type", "prefecture_names", "county_names",
               "old_county_units", "new_county_units", "change_description", "source_title",
               "source_url", "review_status"]],
           "admin_codes", "county_events_2010_2021.csv")


def geography(shared: Path) -> None:
    g = shared / "centroids"
    city = pd.read_csv(g / "city_centroids.csv", dtype=str)
    _write(city[["adcode", "name", "centroid_lon", "centroid_lat", "inner_lon", "inner_lat"]],
           "geography", "prefecture_centroids.csv")
    dist = pd.read_csv(g / "district_centroids.csv", dtype=str)
    dist = dist[dist["adcode"].str.startswith("3310")]
    _write(dist[["adcode", "name", "centroid_lon", "centroid_lat", "inner_lon", "inner_lat"]],
           "geography", "taizhou_county_centroids.csv")


def admin_codes(shared: Path) -> None:
    """Prefecture-level rows (and Taizhou's counties) of the year-end GB/T 2260 table of each year."""
    mca = shared / "gb2260" / "mca"
    files = sorted(mca.glob("*.tsv"))
    rows = []
    for year in range(2000, 2020):
        cands = [f for f in files if f.stem[:4] == str(year)]
        if not cands:
            continue
        f = cands[-1]  # latest revision of that year
        t = pd.read_csv(f, sep="\t", dtype=str)
        code = t["Code"]
        sel = (code.str.endswith("00") & ~code.str.endswith("0000")) | code.str.endswith("0000") \
            | code.str.startswith("3310")
        part = t.loc[sel, ["Code", "Name"]].copy()
        part.insert(0, "revision", f.stem)
        rows.append(part)
    _write(pd.concat(rows, ignore_index=True), "admin_codes", "gb2260_prefecture_level_2000_2019.csv")

    ent = pd.read_csv(shared / "prefecture-crosswalk" / "china_city_entity_master_V4.0.csv",
                      dtype=str, encoding="utf-8-sig")
    ent = ent[ent["status_at_2026_year_end"] != "active"]
    _write(ent[["entity_id", "legacy_entity_id", "canonical_name_zh", "province_name_zh",
                "first_active_year_end", "last_active_year_end", "status_at_2026_year_end",
                "name_history_year_end", "primary_source_url"]],
           "admin_codes", "abolished_prefectures.csv")
    ev = pd.read_csv(shared / "prefecture-crosswalk" / "county_administrative_events_1983_2026.csv",
                     dtype=str)
    ev = ev[ev["description"].fillna("").str.contains("玉环|莱芜市|巢湖市")
            & (ev["year"].astype(int) >= 2000)]
    _write(ev[["event_id", "year", "event_type", "prefecture_names", "county_names",
               "change_description", "source_title", "source_url"]],
           "admin_codes", "boundary_events_yrd_relevant.csv")


def curated(shared: Path) -> None:
    cu = shared / "curated"
    for name, folder in [
        ("yrd_membership.csv", "yrd_reference"),
        ("city_clusters.csv", "yrd_reference"),
        ("yrd_groupings.csv", "yrd_reference"),
        ("port_throughput_points.csv", "curated_points"),
        ("page_points_trade_ports.csv", "curated_points"),
        ("yuhuan_taizhou_bulletin_figures.csv", "curated_points"),
        ("taizhou_county_bulletin_points.csv", "curated_points"),
    ]:
        df = pd.read_csv(cu / name, dtype=str, keep_default_na=False)
        if name == "taizhou_county_bulletin_points.csv":
            # 玉环 2000 census population cited only a scraper page; no primary 2000 census county
            # table is embedded, so the figure is dropped (curated_points/SOURCE.yml, changes)
            df = df[~df["source"].str.contains("outofmemory.cn", regex=False)]
        _write(df, folder, name)


def exchange_rates(shared: Path) -> None:
    """Published NBS/yearbook rates where the curated table has one; else the annual mean of the
    ECB's daily USD->CNY cross rate (package currencyconverter), flagged as such."""
    from importlib.metadata import version

    import numpy as np
    from currency_converter import CurrencyConverter, RateNotFoundError

    pub = pd.read_csv(shared / "curated" / "usd_cny_annual_average.csv", dtype=str,
                      keep_default_na=False)
    conv = CurrencyConverter(fallback_on_missing_rate=False, fallback_on_wrong_date=False)
    out = []
    for year, grp in pub.groupby("year", sort=True):
        have = grp[grp["cny_per_usd"] != ""]
        if len(have):
            r = have.iloc[-1] if len(have) > 1 and "CONFLICT row" in have.iloc[0]["note"] else have.iloc[0]
            note = r["note"]
            precision = "low" if "LOW PRECISION" in note else "standard"
            if len(have) > 1:  # sources disagree: the note keeps both readings
                precision = "conflict"
            out.append(dict(year=year, cny_per_usd=r["cny_per_usd"], rate_source="published",
                            precision=precision, source_title=r["source_title"],
                            source_url=r["source_url"], note=" | ".join(grp["note"])))
            continue
        vals = []
        d = dt.date(int(year), 1, 1)
        while d.year == int(year):
            try:
                vals.append(conv.convert(1, "USD", "CNY", date=d))
            except RateNotFoundError:  # weekends and holidays have no fixing
                pass
            d += dt.timedelta(days=1)
        out.append(dict(year=year, cny_per_usd=f"{np.mean(vals):.4f}", rate_source="ecb_derived",
                        precision="derived",
                        source_title=f"ECB euro reference rates, USD and CNY, annual mean of {len(vals)} "
                                     "daily cross rates (PyPI currencyconverter "
                                     f"{version('currencyconverter')})",
                        source_url="https://www.ecb.europa.eu/stats/policy_and_exchange_rates/",
                        note=" | ".join(grp["note"])))
    _write(pd.DataFrame(out), "exchange_rates", "usd_cny_annual_average.csv")


EDGAR_COLS = ["年份", "城市代码", "所属省份", "城市", "碳排放量_吨"]
SUSTAIN_COLS = ["城市", "年份", "地区生产总值_当年价格_全市_万元", "外商实际投资额_全市_万美元",
                "年末总人口_全市_万人", "医院、卫生院数_全市_个", "医院、卫生院床位数_全市_张",
                "工业二氧化硫排放量_全市_吨", "生活垃圾无害化处理率_全市_百分比"]


def edgar_co2(shared: Path) -> None:
    """City CO2 emissions (tonnes), EDGAR v8.0 grid estimates summed by the compiler over city
    boundaries: NOT official statistics. Sheet1's unnamed note columns are not carried."""
    df = _sheet(shared / "city-panels" / "地级市碳排放强度.xlsx", "Sheet1", EDGAR_COLS)
    _write(df, "edgar_co2", "地级市碳排放量_EDGAR_v8_2000-2023.csv")


def city_sustainability(shared: Path) -> None:
    """The columns of the city-sustainability compilation that passed the checks (hospitals and
    beds, industrial SO2, safe treatment of household waste; GDP, FDI and year-end population
    are carried to check the rows against the project's panels). Not carried: the compiler's
    Score, and columns with impossible values (health technicians per 1,000 of 0.07-12.7, public
    green space per capita of thousands of m2, green cover up to 387 %, public toilets)."""
    df = _sheet(shared / "city-sustainability-2004-2012" / "1999-2018 Cities data.xlsx", "new",
                SUSTAIN_COLS)
    _write(df, "city_sustainability", "城市可持续发展指标_2004-2012.csv")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    steps = (city_panels, intercity, census, census_counties, geography, admin_codes, county_events,
             curated, exchange_rates, edgar_co2, city_sustainability)
    ap.add_argument("--only", nargs="*", help="run only these steps (e.g. census_counties)")
    a = ap.parse_args()
    for step in steps:
        if a.only and step.__name__ not in a.only:
            continue
        step(a.shared)


if __name__ == "__main__":
    main()
