"""The indicator dictionary: every indicator in the processed panel, with Chinese and English
labels, its unit, a definition, where it comes from, and the plausible range the validator checks.

Derived indicators are marked `derived` and computed in yrdlib.data.derive, nowhere else.
Indicators marked `user` have no embedded source yet: they exist so that users can add their own
figures (data/user/) under a known key and unit.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace

import pandas as pd


@dataclass(frozen=True)
class Indicator:
    key: str
    label_zh: str
    label_en: str
    unit: str
    definition: str
    source: str
    lo: float | None = None  # plausible range for validation
    hi: float | None = None
    kind: str = "reported"  # reported / derived / census / cross_section / user
    numerator: str = ""  # what is counted (a level: the indicator itself)
    denominator: str = ""  # what it is divided by, with its territory and year ("" for a level)

    def label(self, lang: str = "both") -> str:
        if lang == "zh":
            return self.label_zh
        if lang == "en":
            return self.label_en
        return f"{self.label_zh} {self.label_en}"


_I = Indicator
INDICATORS: dict[str, Indicator] = {i.key: i for i in [
    # --- national accounts (ccsy_industry_structure, ccsy_gdp_index)
    _I("gdp", "地区生产总值", "GDP", "亿元", "Gross regional product at current prices, whole city "
       "(全市)", "ccsy_industry_structure", 0.5, 60000),
    _I("va_primary", "第一产业增加值", "Value added, primary sector", "亿元",
       "Agriculture, forestry, animal husbandry and fishery", "ccsy_industry_structure", 0, 5000),
    _I("va_secondary", "第二产业增加值", "Value added, secondary sector", "亿元",
       "Industry and construction", "ccsy_industry_structure", 0, 30000),
    _I("va_tertiary", "第三产业增加值", "Value added, tertiary sector", "亿元", "Services",
       "ccsy_industry_structure", 0, 45000),
    _I("gdp_index", "GDP指数(上年=100)", "GDP volume index (previous year = 100)", "上年=100",
       "Real growth index of GDP as published", "ccsy_gdp_index", 50, 150),
    _I("gdp_deflator", "GDP平减指数(2000=1)", "GDP deflator (2000 = 1)", "2000=1",
       "Compiler's chained deflator from the published index, 2000 = 1", "ccsy_gdp_index", 0.2, 10),
    # --- openness
    _I("fdi_usd", "实际使用外资", "FDI actually used", "百万美元",
       "Foreign direct investment actually used (实际使用外资金额)", "ccsy_fdi", 0, 50000),
    # --- population and land
    _I("pop_resident", "常住人口(公布值)", "Resident population (reported)", "万人",
       "Year-end or average resident population as reported (三沙 460300 has about 0.2)",
       "ccsy_population_area", 0.001, 4000),
    _I("pop_resident_filled", "常住人口(含插补)", "Resident population (reported, gaps "
       "interpolated by the compiler)", "万人", "Reported values, and the compiler's interpolation "
       "where none was reported (flag 'interpolated')", "ccsy_population_area", 0.001, 4000),
    _I("land_area", "行政区域土地面积", "Land area", "平方公里", "Administrative area",
       "ccsy_population_area", 1, 500000),
    # --- finance
    _I("loans", "年末金融机构各项贷款余额", "Loans outstanding, year end", "亿元",
       "Loans of all financial institutions, year end", "ccsy_finance", 0.01, 300000),
    _I("deposits", "年末金融机构存款余额", "Deposits, year end", "亿元",
       "Deposits in all financial institutions, year end", "ccsy_finance", 0.01, 300000),
    # --- infrastructure
    _I("road_area_pc", "人均城市道路面积", "Urban road area per capita", "平方米",
       "Urban road area per resident (城区)", "urban_construction_roads", 0.1, 100),
    _I("road_area_pc_filled", "人均城市道路面积(含插值)", "Urban road area per capita (gaps "
       "linearly interpolated by the compiler)", "平方米", "Reported, and the compiler's linear "
       "interpolation where none was reported (flag 'interpolated')", "urban_construction_roads",
       0.1, 100),
    # --- 2016 cross-section
    _I("patents_2016", "专利授权数(2016年鉴)", "Patents (CCSY 2016)", "件",
       "Patents in the 2016 China City Statistical Yearbook cross-section", "ccsy2016_cross_section",
       0, 500000, "cross_section"),
    _I("pop_registered_2016", "户籍人口(2016年鉴)", "Registered population (CCSY 2016)", "万人",
       "Hukou population", "ccsy2016_cross_section", 5, 4000, "cross_section"),
    _I("pop_resident_2016", "市辖区常住人口(2016年鉴)", "Resident population, urban districts "
       "(CCSY 2016)", "万人", "Resident population of the urban districts (市辖区) as printed in the "
       "cross-section, reporting 2015: 台州 179.3 against 631.8 for the whole city (median ratio to "
       "the whole city about 0.4); not a whole-city figure", "ccsy2016_cross_section", 5, 4000,
       "cross_section"),
    _I("gdp_2016", "市辖区地区生产总值(2016年鉴)", "GDP, urban districts (CCSY 2016)", "亿元",
       "GDP of the urban districts (市辖区) as printed, reporting 2015: 台州 1,412.5 against "
       "about 3,558 for the whole city",
       "ccsy2016_cross_section", 0.5, 60000, "cross_section"),
    # --- census
    _I("census_pop", "普查常住人口", "Census resident population", "人",
       "Resident population at the census (2010: 6th, 2020: 7th)", "census", 1e3, 5e7, "census"),
    _I("census_pop_urban", "普查城镇人口", "Census urban population", "人", "Urban residents",
       "census", 0, 5e7, "census"),
    _I("census_hukou", "普查户籍人口", "Census registered (hukou) population", "人",
       "Registered population (2010 census tables only)", "census", 1e4, 5e7, "census"),
    _I("census_migrants_other_province", "外省流入人口", "Residents with hukou in another "
       "province", "人", "2010: 迁入人口-外省; 2020: 户口登记地在外乡镇街道人口-省外", "census", 0,
       2e7, "census"),
    _I("census_migrants_same_province", "省内其他县流入人口", "Residents with hukou in another "
       "county of the same province", "人", "2010: 迁入人口-本省其他县(市)、市区; 2020: "
       "户口登记地在外乡镇街道人口-本省其他县", "census", 0, 2e7, "census"),
    _I("census_employed", "普查各行业人口(长表)", "Employed persons, census long form", "人",
       "各种行业人口总计 (10% long-form sample in 2010; long form 2020)", "census", 0, 5e7,
       "census"),
    _I("census_manufacturing", "普查制造业人口(长表)", "Employed in manufacturing, census long "
       "form", "人", "制造业", "census", 0, 5e7, "census"),
    # --- exchange rate (national, region_code 000000)
    _I("usd_cny", "人民币对美元年平均汇价", "CNY per USD, annual average", "元/美元",
       "Annual average central parity; ECB-derived where no published value (flag)",
       "exchange_rates", 5, 10),
    # --- derived (yrdlib.data.derive)
    _I("share_primary", "第一产业占比", "Primary sector share of GDP", "%",
       "va_primary / gdp * 100", "derived", 0, 100, "derived"),
    _I("share_secondary", "第二产业占比", "Secondary sector share of GDP", "%",
       "va_secondary / gdp * 100", "derived", 0, 100, "derived"),
    _I("share_tertiary", "第三产业占比", "Tertiary sector share of GDP", "%",
       "va_tertiary / gdp * 100", "derived", 0, 100, "derived"),
    _I("ts_ratio", "三二产业比", "Tertiary / secondary ratio", "ratio",
       "va_tertiary / va_secondary (产业结构高级化)", "derived", 0, 30, "derived"),
    _I("gdp_real", "实际GDP(2000年价, 环比指数链接)", "Real GDP (2000 prices, chain-linked)",
       "亿元(2000年价)", "chain-linked from the published GDP index (previous year = 100): "
       "level[t] = level[t-1] * gdp_index[t] / 100, starting from gdp / gdp_deflator in the first "
       "year with both (2000: nominal GDP); restarts after a gap in the index (flag chain_restart). "
       "Boundary changes (合肥 2011) do not appear as growth; the level after one is the earlier "
       "territory's level grown at the published comparable rate", "derived", 0.1, 60000,
       "derived"),
    _I("gdp_real_growth", "实际GDP增长率", "Real GDP growth", "%", "gdp_index - 100",
       "derived", -50, 50, "derived"),
    _I("gdp_pc", "人均地区生产总值", "GDP per capita", "元",
       "gdp / resident population (reported, else interpolated: flagged)", "derived", 1000,
       500000, "derived"),
    _I("gdp_pc_real", "实际人均GDP(2000年价)", "Real GDP per capita (2000 prices)", "元",
       "gdp_real (chain-linked) / whole-city resident population (reported, else interpolated: "
       "flagged); across a boundary change the numerator keeps the comparable basis while the "
       "population jumps (flag boundary_break)", "derived", 500, 300000, "derived"),
    _I("fdi_cny", "实际使用外资(人民币)", "FDI actually used, in yuan", "亿元",
       "fdi_usd * usd_cny / 100", "derived", 0, 400000, "derived"),
    _I("fdi_gdp", "实际使用外资占GDP比重", "FDI / GDP", "%", "fdi_cny / gdp * 100", "derived",
       0, 60, "derived"),
    _I("fdi_pc", "人均实际使用外资", "FDI per capita", "美元",
       "fdi_usd * 1e6 / (resident population * 1e4)", "derived", 0, 20000, "derived"),
    _I("loans_gdp", "贷款余额与GDP之比", "Loans / GDP", "ratio", "loans / gdp", "derived", 0, 20,
       "derived"),
    _I("deposits_gdp", "存款余额与GDP之比", "Deposits / GDP", "ratio", "deposits / gdp",
       "derived", 0, 20, "derived"),
    _I("pop_density", "人口密度", "Population density", "人/平方公里",
       "resident population / land area", "derived", 0.1, 50000, "derived"),
    _I("patents_per_10k_2016", "每万常住人口专利数(2016年鉴, 全市人口)", "Patents per 10,000 "
       "residents (CCSY 2016; whole-city population of 2015)", "件/万人", "patents_2016 / whole-"
       "city resident population of 2015 (pop_resident, else pop_resident_filled: flagged "
       "interpolated); the 2016 yearbook reports 2015", "derived", 0, 300, "derived"),
    _I("patents_per_10k_urban_2016", "每万市辖区常住人口专利数(2016年鉴)", "Patents per 10,000 "
       "urban-district residents (CCSY 2016)", "件/万人", "patents_2016 / pop_resident_2016 (the "
       "urban-district population: inflated about 2.5-fold and unevenly against the whole-city "
       "ratio; kept only to show the difference)", "derived", 0, 1000, "derived"),
    _I("census_net_inflow", "常住与户籍人口之差", "Resident minus registered population", "人",
       "census_pop - census_hukou (2010)", "derived", -1e7, 2e7, "derived"),
    _I("census_net_inflow_share", "净流入人口占常住人口比重", "Resident minus registered, share "
       "of residents", "%", "census_net_inflow / census_pop * 100", "derived", -100, 100, "derived"),
    _I("census_migrant_share", "外省流入人口占比", "Residents from other provinces, share", "%",
       "census_migrants_other_province / census_pop * 100", "derived", 0, 100, "derived"),
    _I("census_urban_share", "普查城镇化率", "Census urbanisation rate", "%",
       "census_pop_urban / census_pop * 100", "derived", 0, 100, "derived"),
    _I("census_manufacturing_share", "制造业就业占比(普查)", "Manufacturing share of "
       "employment (census)", "%", "census_manufacturing / census_employed * 100", "derived", 0,
       100, "derived"),
    # --- energy and ecology (edgar_co2: a model estimate, NOT official statistics)
    _I("co2_edgar", "二氧化碳排放量（EDGAR估算，非官方统计）", "CO2 emissions (EDGAR estimate, not "
       "official statistics)", "万吨", "Fossil CO2 emissions summed over the city's area from the "
       "EDGAR v8.0 grid (JRC/IEA); a model estimate, not a statistical report", "edgar_co2", 0, 1e5),
    _I("co2_gdp", "单位GDP二氧化碳排放（EDGAR估算，非官方统计）", "CO2 per unit of GDP (EDGAR "
       "estimate, not official statistics)", "吨/万元", "co2_edgar / gdp: tonnes of CO2 per 10,000 "
       "yuan of current-price GDP; a proxy of fossil-energy intensity", "derived", 0, 50,
       "derived"),
    _I("so2_industrial", "工业二氧化硫排放量", "Industrial SO2 emissions", "吨",
       "Industrial sulphur dioxide emitted, whole city (全市)", "city_sustainability", 0, 3e6),
    _I("so2_gdp", "单位GDP工业二氧化硫排放", "Industrial SO2 per unit of GDP", "吨/亿元",
       "so2_industrial / gdp", "derived", 0, 2e4, "derived"),
    _I("waste_safe_rate", "生活垃圾无害化处理率", "Household waste safely treated", "%",
       "Share of household waste treated harmlessly (无害化处理), whole city", "city_sustainability",
       0, 100),
    # --- public services (city_sustainability, 2004-2012)
    _I("hospital_beds", "医院、卫生院床位数", "Hospital and health-centre beds", "张",
       "Beds in hospitals and township health centres, whole city (全市)", "city_sustainability",
       0, 3e5),
    _I("beds_per_1000", "每千常住人口医院床位数", "Hospital beds per 1,000 residents", "张/千人",
       "hospital_beds / resident population * 1000", "derived", 0.2, 20, "derived"),
    # --- user-supplied (no embedded source yet; see data/user/README.md)
    _I("exports_usd", "出口总额", "Exports", "百万美元", "Exports of goods (海关/统计公报)", "user",
       0, 1e6, "user"),
    _I("imports_usd", "进口总额", "Imports", "百万美元", "Imports of goods", "user", 0, 1e6, "user"),
    _I("patents_granted", "专利授权量", "Patents granted", "件", "Patents granted in the year",
       "user", 0, 1e6, "user"),
    _I("invention_patents_granted", "发明专利授权量", "Invention patents granted", "件",
       "Invention patents granted in the year", "user", 0, 1e6, "user"),
    _I("rd_intensity", "研发经费投入强度", "R&D expenditure / GDP", "%", "R&D spending / GDP * 100",
       "user", 0, 20, "user"),
    _I("port_cargo", "港口货物吞吐量", "Port cargo throughput", "万吨", "Port cargo throughput",
       "user", 0, 2e6, "user"),
    _I("fiscal_revenue", "一般公共预算收入", "General budget revenue", "亿元",
       "Local general public budget revenue", "user", 0, 20000, "user"),
]}

# Numerator and denominator of every indicator that is a ratio (territory and year stated); a
# level has its own definition as numerator and no denominator.
_POP = "resident population, whole city (pop_resident, else pop_resident_filled: flagged), same year"
RATIOS: dict[str, tuple[str, str]] = {
    "gdp_index": ("GDP at constant prices, year t (comparable territory)", "the same, year t-1 (=100)"),
    "gdp_deflator": ("nominal GDP (compiler's vintage)", "compiler's real GDP at 2000 prices"),
    "road_area_pc": ("urban road area (城区, MOHURD)", "urban population of the 城区 (MOHURD "
                     "definition, changed over time), not the whole city"),
    "road_area_pc_filled": ("urban road area (城区, MOHURD)", "urban population of the 城区"),
    "share_primary": ("va_primary, whole city", "gdp, whole city, same year"),
    "share_secondary": ("va_secondary, whole city", "gdp, whole city, same year"),
    "share_tertiary": ("va_tertiary, whole city", "gdp, whole city, same year"),
    "ts_ratio": ("va_tertiary, whole city", "va_secondary, whole city, same year"),
    "gdp_real": ("gdp_real[t-1] * gdp_index[t] / 100 (chain)", ""),
    "gdp_real_growth": ("gdp_index - 100", ""),
    "gdp_pc": ("gdp * 1e8 (元), whole city", _POP),
    "gdp_pc_real": ("gdp_real * 1e8 (元, 2000 prices)", _POP),
    "fdi_cny": ("fdi_usd * usd_cny / 100", ""),
    "fdi_gdp": ("fdi_usd * usd_cny / 100 (亿元)", "gdp, whole city, same year"),
    "fdi_pc": ("fdi_usd * 1e6 (美元)", _POP),
    "loans_gdp": ("loans, year end, whole city", "gdp, whole city, same year"),
    "deposits_gdp": ("deposits, year end, whole city", "gdp, whole city, same year"),
    "pop_density": ("resident population * 1e4 (人)", "land_area, whole city, same year"),
    "patents_per_10k_2016": ("patents_2016 (coverage as printed in the cross-section)",
                             "pop_resident of 2015, whole city (the yearbook's reporting year)"),
    "patents_per_10k_urban_2016": ("patents_2016", "pop_resident_2016: urban districts (市辖区) "
                                   "only"),
    "census_net_inflow": ("census_pop - census_hukou", ""),
    "census_net_inflow_share": ("census_pop - census_hukou", "census_pop, same census"),
    "census_migrant_share": ("census_migrants_other_province", "census_pop, same census"),
    "census_urban_share": ("census_pop_urban", "census_pop, same census"),
    "census_manufacturing_share": ("census_manufacturing (long form)", "census_employed (long "
                                   "form), same census"),
    "rd_intensity": ("R&D expenditure", "gdp, same year"),
    "co2_gdp": ("co2_edgar (EDGAR v8.0 estimate), whole city area", "gdp, whole city, same year"),
    "so2_gdp": ("so2_industrial, whole city", "gdp, whole city, same year"),
    "beds_per_1000": ("hospital_beds, whole city (全市)", _POP),
}
INDICATORS = {k: replace(i, numerator=RATIOS.get(k, (i.definition, ""))[0],
                         denominator=RATIOS.get(k, ("", ""))[1]) for k, i in INDICATORS.items()}

# Conversion factors into the dictionary unit: (from, to) -> multiply by
UNIT_FACTORS: dict[tuple[str, str], float] = {
    ("亿元", "亿元"): 1.0,
    ("万元", "亿元"): 1e-4,
    ("元", "亿元"): 1e-8,
    ("百万美元", "百万美元"): 1.0,
    ("亿美元", "百万美元"): 100.0,
    ("万美元", "百万美元"): 0.01,
    ("美元", "百万美元"): 1e-6,
    ("万人", "万人"): 1.0,
    ("人", "万人"): 1e-4,
    ("人", "人"): 1.0,
    ("万人", "人"): 1e4,
    ("%", "%"): 1.0,
    ("fraction", "%"): 100.0,
    ("件", "件"): 1.0,
    ("万吨", "万吨"): 1.0,
    ("吨", "万吨"): 1e-4,
    ("吨", "吨"): 1.0,
    ("张", "张"): 1.0,
    ("亿吨", "万吨"): 1e4,
    ("平方公里", "平方公里"): 1.0,
    ("平方米", "平方米"): 1.0,
    ("上年=100", "上年=100"): 1.0,
    ("2000=1", "2000=1"): 1.0,
    ("元/美元", "元/美元"): 1.0,
    ("元", "元"): 1.0,
    ("万元", "元"): 1e4,
}


def convert(value, unit_from: str, unit_to: str):
    """Multiply into the dictionary unit; KeyError (caught by callers) for an unknown pair."""
    return value * UNIT_FACTORS[(unit_from.strip(), unit_to)]


def get(key: str) -> Indicator:
    try:
        return INDICATORS[key]
    except KeyError:
        raise KeyError(f"unknown indicator {key!r}; known: {', '.join(sorted(INDICATORS))}") from None


def label(key: str, lang: str = "both") -> str:
    return get(key).label(lang)


def table() -> pd.DataFrame:
    return pd.DataFrame([asdict(i) for i in INDICATORS.values()])
