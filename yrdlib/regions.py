"""The region reference: every prefecture-level unit (and the counties of Taizhou 台州) with codes,
Chinese and English names, province, coordinates, YRD membership and plan flags; and a resolver
that turns what a user types into one code, refusing ambiguous input.

Two traps it exists for: 台州 (Zhejiang, 331000) and 泰州 (Jiangsu, 321200) are both "Taizhou" in
pinyin (苏州/宿州 are both "Suzhou"); and one place can have two codes (玉环县 331021 became 玉环市
331083 in 2017). Codes are GB/T 2260; the four municipalities use their province code (310000).
Sources: data/raw/admin_codes, data/raw/geography, data/raw/yrd_reference (see their SOURCE.yml).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from functools import lru_cache

import pandas as pd

from yrdlib import config, memo
from yrdlib.errors import DataError

MUNICIPALITIES = {"110000", "120000", "310000", "500000"}


@lru_cache(maxsize=1)
def crosswalk() -> pd.DataFrame:
    """Code changes, abolished units and county moves between prefectures
    (data/raw/admin_codes/code_crosswalk.csv, each row with its evidence in the GB/T 2260 tables
    or the county-event lists). An unknown ``kind`` is an error naming the row: a row the readers
    below do not know would silently leave a territory change out."""
    c = _read("admin_codes/code_crosswalk.csv")
    bad = c[~c["kind"].isin(CROSSWALK_KINDS)]
    if len(bad):
        raise DataError("admin_codes/code_crosswalk.csv",
                        f"unknown kind {bad['kind'].iloc[0]!r} (allowed: {', '.join(CROSSWALK_KINDS)})",
                        row=int(bad.index[0]) + 2, column="kind")
    return c


CROSSWALK_KINDS = ("code_change", "abolished", "transfer")


def _abolished() -> dict[str, tuple[int, list[str], str]]:
    c = crosswalk()
    c = c[c["kind"] == "abolished"]
    return {r.old_code: (int(r.last_year_old), r.absorbed_by.split(), r.note) for r in c.itertuples()}


def _code_changes() -> dict[str, tuple[str, int, str]]:
    c = crosswalk()
    c = c[c["kind"] == "code_change"]
    return {r.old_code: (r.new_code, int(r.last_year_old) + 1, r.note) for r in c.itertuples()}


def _transfers() -> dict[str, tuple[int, str, str]]:
    """County moves between prefectures: giving prefecture -> (last year of the old territory,
    receiving prefecture, note)."""
    c = crosswalk()
    c = c[c["kind"] == "transfer"]
    return {r.old_code: (int(r.last_year_old), str(r.absorbed_by), r.note) for r in c.itertuples()}


def boundary_breaks() -> set[tuple[str, int]]:
    """(region, first year on the new territory) of every prefecture whose territory changed:
    the units that absorbed an abolished one (合肥/芜湖/马鞍山 2011, 济南 2019) and both sides of
    a county moved between prefectures (安庆/铜陵 and 六安/淮南 2015, 资阳/成都 2016, 四平/长春
    2020). Levels, growth and ranks across the year are not like-for-like."""
    out = {(code, last + 1) for last, absorbers, _ in _abolished().values() for code in absorbers}
    for giver, (last, receiver, _) in _transfers().items():
        out |= {(giver, last + 1), (receiver, last + 1)}
    return out


def territory_stable(codes, first_year: int, last_year: int) -> list[str]:
    """``codes`` without the prefectures whose territory changed in (first_year, last_year]:
    the cities a statistic comparing the two years' levels can use."""
    brk = {c for c, y in boundary_breaks() if first_year < y <= last_year}
    return [c for c in codes if c not in brk]


ETHNIC = ["蒙古", "柯尔克孜", "哈萨克", "朝鲜", "土家", "布依", "景颇", "傈僳", "哈尼", "纳西",
          "拉祜", "傣", "苗", "侗", "彝", "藏", "羌", "回", "白", "壮", "黎", "土", "族"]
PROVINCE_EN = {
    "11": "Beijing", "12": "Tianjin", "13": "Hebei", "14": "Shanxi", "15": "Inner Mongolia",
    "21": "Liaoning", "22": "Jilin", "23": "Heilongjiang", "31": "Shanghai", "32": "Jiangsu",
    "33": "Zhejiang", "34": "Anhui", "35": "Fujian", "36": "Jiangxi", "37": "Shandong",
    "41": "Henan", "42": "Hubei", "43": "Hunan", "44": "Guangdong", "45": "Guangxi",
    "46": "Hainan", "50": "Chongqing", "51": "Sichuan", "52": "Guizhou", "53": "Yunnan",
    "54": "Tibet", "61": "Shaanxi", "62": "Gansu", "63": "Qinghai", "64": "Ningxia",
    "65": "Xinjiang",
}
PROVINCE_ZH = {
    "11": "北京", "12": "天津", "13": "河北", "14": "山西", "15": "内蒙古", "21": "辽宁", "22": "吉林",
    "23": "黑龙江", "31": "上海", "32": "江苏", "33": "浙江", "34": "安徽", "35": "福建", "36": "江西",
    "37": "山东", "41": "河南", "42": "湖北", "43": "湖南", "44": "广东", "45": "广西", "46": "海南",
    "50": "重庆", "51": "四川", "52": "贵州", "53": "云南", "54": "西藏", "61": "陕西", "62": "甘肃",
    "63": "青海", "64": "宁夏", "65": "新疆",
}
"""Short province names by the first two digits of a GB/T 2260 code (as tables and text use them)."""


def province_name(code: str, lang: str = "zh") -> str:
    """Short province name of a code's first two digits ('33' or '331000' → 浙江 / Zhejiang)."""
    k = str(code)[:2]
    return (PROVINCE_ZH if lang == "zh" else PROVINCE_EN).get(k, k)


class RegionError(ValueError):
    """Unknown or ambiguous region."""


@dataclass(frozen=True)
class Region:
    code: str
    name_zh: str
    short_zh: str
    name_en: str
    pinyin: str
    province_code: str
    province_zh: str
    province_en: str
    level: str  # municipality / prefecture / county
    parent_code: str
    lon: float | None = None
    lat: float | None = None
    valid_to: int | None = None
    yrd_join_year: int | None = None
    in_plan2010: bool = False
    in_plan2016: bool = False
    in_outline2019: bool = False
    aliases: tuple[str, ...] = field(default_factory=tuple)

    @property
    def label(self) -> str:
        """Bilingual label for figures: 台州 Taizhou."""
        return f"{self.short_zh} {self.name_en}"

    @property
    def in_yrd41(self) -> bool:
        return self.yrd_join_year is not None


def short_name(name: str) -> str:
    """台州市 -> 台州, 大理白族自治州 -> 大理, 喀什地区 -> 喀什, 玉环县 -> 玉环."""
    n = name.strip()
    if n.endswith("自治州"):
        n = n[: -len("自治州")]
        changed = True
        while changed:
            changed = False
            for e in ETHNIC:
                if n.endswith(e) and len(n) > len(e) + 1:
                    n = n[: -len(e)]
                    changed = True
        return n
    for suffix in ("地区", "盟", "市", "县", "区"):
        if n.endswith(suffix) and len(n) > len(suffix) + 1:
            return n[: -len(suffix)]
    return n


def _province_short(name: str) -> str:
    """江苏省 -> 江苏, 广西壮族自治区 -> 广西, 上海市 -> 上海."""
    return re.sub(r"(省|市|壮族自治区|回族自治区|维吾尔自治区|自治区)$", "", name.strip())


def to_pinyin(zh: str, tones: bool = False) -> str:
    """Hanyu pinyin in one word with the apostrophe rule (马鞍山 -> Ma'anshan)."""
    from pypinyin import Style, lazy_pinyin

    sylls = lazy_pinyin(zh, style=Style.TONE if tones else Style.NORMAL)
    out = sylls[0] if sylls else ""
    for s in sylls[1:]:
        plain = unicodedata.normalize("NFD", s)[:1].lower()
        out += ("'" if plain in "aoe" else "") + s
    return out[:1].upper() + out[1:]


def _fold(text: str) -> str:
    """Lower case, tone marks and separators removed: 'Tāizhōu' -> 'taizhou'."""
    t = unicodedata.normalize("NFD", text)
    t = "".join(c for c in t if unicodedata.category(c) != "Mn")
    return re.sub(r"[\s'’\-_]", "", t).lower()


def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(config.RAW / name, dtype=str, keep_default_na=False)


REFERENCE_INPUTS = (
    "admin_codes/code_crosswalk.csv",
    "admin_codes/gb2260_prefecture_level_2000_2019.csv",
    "geography/prefecture_centroids.csv",
    "geography/taizhou_county_centroids.csv",
    "yrd_reference/yrd_membership.csv",
)
"""The raw files the region table is built from (all of them: the disk cache is keyed on them)."""


def _inputs_key() -> str:

    h = hashlib.sha256()
    for name in REFERENCE_INPUTS:
        h.update(name.encode() + b"\0" + (config.RAW / name).read_bytes() + b"\0")
    return h.hexdigest()


@lru_cache(maxsize=1)
def reference() -> pd.DataFrame:
    """The region table (one row per region, canonical code as index).

    Built from :data:`REFERENCE_INPUTS`; the build (pinyin of 700 names, ~0.7 s with the pinyin
    dictionaries' import) is cached on disk by :mod:`yrdlib.memo`, keyed on those files' bytes
    and this package's source, so a notebook kernel reads it in milliseconds. Where the cache
    cannot be written (a read-only checkout) the table is built in memory."""
    key = _inputs_key()
    try:
        return memo.call(_build_reference, data_key=key)
    except OSError:
        return _build_reference()


def _build_reference() -> pd.DataFrame:
    abolished, code_changes = _abolished(), _code_changes()
    codes = _read("admin_codes/gb2260_prefecture_level_2000_2019.csv")
    last = codes["revision"].max()
    province_names = codes[codes["Code"].str.endswith("0000")].drop_duplicates("Code", keep="last")
    province_zh = dict(zip(province_names["Code"].str[:2], province_names["Name"]))

    def is_unit(code: str, name: str) -> bool:
        if code in MUNICIPALITIES:
            return True
        if code.endswith("0000") or name in ("市辖区", "县", "省直辖县级行政区划",
                                             "自治区直辖县级行政区划", "省直辖行政单位"):
            return False
        return code.endswith("00")

    rows: dict[str, dict] = {}
    history = codes[[is_unit(c, n) for c, n in zip(codes["Code"], codes["Name"])]]
    current = history[history["revision"] == last]
    for code, name in zip(current["Code"], current["Name"]):
        rows[code] = dict(code=code, name_zh=name, level="municipality" if code in MUNICIPALITIES
                          else "prefecture", parent_code=code[:2] + "0000", old_names=set())
    # earlier names of current codes, and codes that disappeared
    revisions = history.groupby("Code")["revision"].agg(set).to_dict()
    by_prov_short = {(c[:2], short_name(r["name_zh"])): c for c, r in rows.items()}
    for code, name in zip(history["Code"], history["Name"]):
        if code in rows:
            rows[code]["old_names"].add(name)
            continue
        successor = by_prov_short.get((code[:2], short_name(name)))
        # a renamed unit (毕节地区 522400 -> 毕节市 520500) never coexists with its successor;
        # 南宁地区 and 南宁市 did, so they are different units
        coexist = successor and (revisions[code] & revisions.get(successor, set()))
        if code in abolished or code in code_changes:
            continue
        if not successor or coexist:  # a unit of its own that ended (南宁地区, 伊犁地区)
            r = rows.setdefault(code, dict(code=code, name_zh=name, level="prefecture",
                                           parent_code=code[:2] + "0000", old_names=set()))
            r["name_zh"] = name
            r["old_names"].add(name)
            r["valid_to"] = int(max(revisions[code])[:4])
            continue
        if successor:
            rows[successor].setdefault("old_codes", set()).add(code)
            rows[successor]["old_names"].add(name)
    for code, (last_year, _, _note) in abolished.items():
        name = history.loc[history["Code"] == code, "Name"].iloc[-1]
        rows[code] = dict(code=code, name_zh=name, level="prefecture", parent_code=code[:2] + "0000",
                          old_names={name}, valid_to=last_year)
    # Taizhou's counties (current codes) with the old codes they replaced
    tz = codes[codes["Code"].str.startswith("3310") & ~codes["Code"].isin(["331000", "331001"])]
    for code, name in zip(tz["Code"], tz["Name"]):
        if code in code_changes:
            new = code_changes[code][0]
            rows.setdefault(new, dict(code=new, name_zh="", level="county", parent_code="331000",
                                      old_names=set()))
            rows[new].setdefault("old_codes", set()).add(code)
            rows[new]["old_names"].add(name)
            continue
        if name == "市辖区":
            continue
        r = rows.setdefault(code, dict(code=code, name_zh=name, level="county",
                                       parent_code="331000", old_names=set()))
        if tz.loc[tz["Code"] == code, "revision"].max() == last:
            r["name_zh"] = name
        r["old_names"].add(name)
    # districts abolished before the last revision (e.g. none) would show with old names only
    for code in [c for c, r in rows.items() if r["level"] == "county"]:
        if code not in set(tz.loc[tz["revision"] == last, "Code"]) and code not in code_changes:
            rows[code]["valid_to"] = int(tz.loc[tz["Code"] == code, "revision"].max()[:4])

    # coordinates: prefecture centroids (current codes) and Taizhou county centroids
    cent = pd.concat([_read("geography/prefecture_centroids.csv"),
                      _read("geography/taizhou_county_centroids.csv")])
    coord = {a: (float(lo), float(la)) for a, lo, la in
             zip(cent["adcode"], cent["centroid_lon"], cent["centroid_lat"])}
    muni_alias = {c[:2] + "0100": c for c in MUNICIPALITIES}
    for alias, code in muni_alias.items():
        if alias in coord and code not in coord:
            coord[code] = coord[alias]

    rows["000000"] = dict(code="000000", name_zh="全国", level="nation", parent_code="",
                          old_names={"中国"})
    member = _read("yrd_reference/yrd_membership.csv")
    df = pd.DataFrame.from_records(list(rows.values()))
    df["short_zh"] = df["name_zh"].map(short_name)
    df["province_code"] = (df["code"].str[:2] + "0000").where(df["level"] != "nation", "")
    df["province_zh"] = df["code"].str[:2].map(province_zh)
    df["province_en"] = df["code"].str[:2].map(PROVINCE_EN)
    df["name_en"] = df["short_zh"].map(to_pinyin).where(df["level"] != "nation", "China")
    df["pinyin"] = df["short_zh"].map(lambda s: to_pinyin(s, tones=True))
    df["lon"] = df["code"].map(lambda c: coord.get(c, (None, None))[0])
    df["lat"] = df["code"].map(lambda c: coord.get(c, (None, None))[1])
    # YRD membership joins on (province, short name): never on pinyin
    key = dict(zip(zip(df["province_code"].str[:2], df["short_zh"]), df["code"]))
    prov2 = {_province_short(v): k for k, v in province_zh.items()}
    df["yrd_join_year"] = pd.NA
    for flag in ("in_plan2010", "in_plan2016", "in_outline2019"):
        df[flag] = False
    df = df.set_index("code", drop=False)
    for _, m in member.iterrows():
        p2 = prov2.get(_province_short(m["province"]))
        code = key.get((p2, short_name(m["city"])))
        if code is None:
            raise RegionError(f"yrd_membership.csv: cannot place {m['city']} ({m['province']})")
        df.loc[code, "yrd_join_year"] = int(m["coord_assoc_join_year"])
        df.loc[code, "in_plan2010"] = m["in_2010_regional_plan_core16"] == "1"
        df.loc[code, "in_plan2016"] = m["in_2016_city_cluster_plan26"] == "1"
        df.loc[code, "in_outline2019"] = m["in_2019_outline_central27"] == "1"
    df["yrd_join_year"] = df["yrd_join_year"].astype("Int64")
    df["old_codes"] = df.get("old_codes", pd.Series(dtype=object)).map(
        lambda s: tuple(sorted(s)) if isinstance(s, set) else ())
    for alias, code in muni_alias.items():
        df.at[code, "old_codes"] = tuple(sorted({*df.at[code, "old_codes"], alias}))
    df["old_names"] = df["old_names"].map(lambda s: tuple(sorted(s)))
    df["valid_to"] = df.get("valid_to", pd.Series(dtype=float)).astype("Int64")
    cols = ["code", "name_zh", "short_zh", "name_en", "pinyin", "province_code", "province_zh",
            "province_en", "level", "parent_code", "lon", "lat", "valid_to", "yrd_join_year",
            "in_plan2010", "in_plan2016", "in_outline2019", "old_codes", "old_names"]
    return df[cols].sort_index()


def _row_to_region(r: pd.Series) -> Region:
    def opt(v):
        return None if pd.isna(v) else v
    return Region(
        code=r["code"], name_zh=r["name_zh"], short_zh=r["short_zh"], name_en=r["name_en"],
        pinyin=r["pinyin"], province_code=r["province_code"], province_zh=r["province_zh"],
        province_en=r["province_en"], level=r["level"], parent_code=r["parent_code"],
        lon=opt(r["lon"]), lat=opt(r["lat"]),
        valid_to=None if pd.isna(r["valid_to"]) else int(r["valid_to"]),
        yrd_join_year=None if pd.isna(r["yrd_join_year"]) else int(r["yrd_join_year"]),
        in_plan2010=bool(r["in_plan2010"]), in_plan2016=bool(r["in_plan2016"]),
        in_outline2019=bool(r["in_outline2019"]), aliases=tuple(r["old_codes"]),
    )


@lru_cache(maxsize=1)
def _lookup() -> tuple[dict[str, str], dict[str, set[str]], dict[str, set[str]]]:
    ref = reference()
    by_code: dict[str, str] = {}
    by_zh: dict[str, set[str]] = {}
    by_en: dict[str, set[str]] = {}
    for code, r in ref.iterrows():
        by_code[code] = code
        for old in r["old_codes"]:
            by_code.setdefault(old, code)
        for n in {r["name_zh"], r["short_zh"], *r["old_names"], *map(short_name, r["old_names"])}:
            by_zh.setdefault(n, set()).add(code)
        by_en.setdefault(_fold(r["name_en"]), set()).add(code)
    for old, (new, _, _) in _code_changes().items():
        by_code[old] = new
    return by_code, by_zh, by_en


def _describe(codes: set[str]) -> str:
    ref = reference()
    return "; ".join(f"{ref.at[c, 'short_zh']} {ref.at[c, 'pinyin']} ({c}, {ref.at[c, 'province_en']})"
                     for c in sorted(codes))


def resolve(text: object, *, level: str | None = None) -> Region:
    """A code, a Chinese name or an English name (optionally with a province: 'Taizhou, Zhejiang')
    -> one Region. Ambiguous or unknown input raises RegionError saying what to type instead."""
    by_code, by_zh, by_en = _lookup()
    raw = str(text).strip()
    if not raw:
        raise RegionError("empty region name")
    found: set[str] = set()
    province = None
    m = re.fullmatch(r"(.+?)\s*[,(（]\s*([^,)）]+?)\s*[)）]?", raw)
    if m and not re.fullmatch(r"\d+", raw):
        raw, province = m.group(1).strip(), m.group(2).strip()
    if re.fullmatch(r"\d{6}(\.0)?", raw):
        code = by_code.get(raw[:6])
        if code is None:
            raise RegionError(f"unknown region code {raw[:6]!r}: not a prefecture-level unit or a "
                              "county of Taizhou in GB/T 2260 2000-2019")
        found = {code}
    elif re.search(r"[\u4e00-\u9fff]", raw):
        found = set(by_zh.get(raw, set())) or set(by_zh.get(short_name(raw), set()))
    else:
        found = set(by_en.get(_fold(raw), set()))
    if province and found:
        pf = _fold(province)
        ref = reference()
        found = {c for c in found if pf in (_fold(ref.at[c, "province_en"] or ""),
                                            _fold(ref.at[c, "province_zh"] or ""),
                                            _fold(_province_short(ref.at[c, "province_zh"] or "")))}
    if level is not None:
        ref = reference()
        found = {c for c in found if ref.at[c, "level"] == level} or found
    if not found:
        raise RegionError(f"unknown region {text!r}: give a 6-digit code (e.g. 331000), a Chinese "
                          "name (台州) or an English name (Ningbo)")
    if len(found) > 1:  # a current unit wins over a historical one of the same name (南宁)
        ref = reference()
        current = {c for c in found if pd.isna(ref.at[c, "valid_to"])}
        if len(current) == 1:
            found = current
    if len(found) > 1:
        raise RegionError(f"{text!r} is ambiguous: {_describe(found)}. Give the code or the "
                          "Chinese name, or add the province ('Taizhou, Zhejiang')")
    return _row_to_region(reference().loc[found.pop()])


def canonical_code(code: str) -> str:
    """Old or alias code -> canonical code (331021 -> 331083, 310100 -> 310000)."""
    by_code, _, _ = _lookup()
    return by_code.get(str(code)[:6], str(code)[:6])


def all_regions(level: str | None = None) -> list[Region]:
    ref = reference()
    if level:
        ref = ref[ref["level"] == level]
    return [_row_to_region(r) for _, r in ref.iterrows()]


def yrd41() -> list[str]:
    """Codes of the 41 cities of the YRD coordination association (all of 沪苏浙皖 since 2019)."""
    ref = reference()
    return sorted(ref.index[ref["yrd_join_year"].notna()])


def region_dict(region: Region) -> dict:
    return asdict(region)
