"""County-level evidence from the 2010 and 2020 censuses (about 2,900 county-level units).

Three steps, each a pure function on the project's raw extracts:

1. :func:`census_units` reads one census extract into one row per county-level unit, keeping the
   file and line (``source``, ``source_row``) so every figure traces to its census table row.
2. :func:`comparable_units` matches 2010 and 2020 units through their codes and the county events
   of 2010-2021 (data/raw/admin_codes/county_events_2010_2021.csv): a unit is compared only if its
   territory did not change, or as the sum of its parts where an event moved territory between
   units that both censuses hold; everything else is listed, not guessed.
3. :func:`yuhuan_changes`, :func:`yuhuan_position` (descriptions) and :func:`s2g_county_attraction`
   (the S2.g test: did counties of YRD member prefectures gain residents faster?).

Presentation (tables, figures) is at the end of the module, apart from the logic.
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from yrdlib import config
from yrdlib.claims.result import Result, evidence_for
from yrdlib.errors import DataError

YUHUAN_2010, YUHUAN_2020 = "331021", "331083"
TAIZHOU = "331000"
FILES = {2010: "census/census2010_county_comparable.csv", 2020: "census/census2020_county_comparable.csv"}
EVENTS = "admin_codes/county_events_2010_2021.csv"
# publication header -> the module's measure name; counts in 人 or 户, shares in % as published
COLUMNS = {
    2010: {"合计": "pop", "男": "male", "女": "female", "户籍人口": "hukou", "城镇人口": "urban",
           "户数": "households", "人口数": "household_pop", "15-64岁（%）": "age15_64_pct",
           "迁入人口（人）-本省其他县（市）、市区": "mig_same_prov",
           "迁入人口（人）-外省": "mig_other_prov", "大学专科-男": "col1", "大学专科-女": "col2",
           "大学本科及以上-男": "col3", "大学本科及以上-女": "col4",
           "平均受教育年限（年）-合计": "school_years", "各种行业人口总计": "employed_lf",
           "制造业": "manufacturing_lf"},
    2020: {"人口数_合计": "pop", "人口数_男": "male", "人口数_女": "female", "城镇人口": "urban",
           "家庭户数": "households", "家庭户人口数": "household_pop", "人口比重_15-64岁": "age15_64_pct",
           "户口登记地在外乡镇街道人口_本省其他县": "mig_same_prov",
           "户口登记地在外乡镇街道人口_省外": "mig_other_prov", "大学专科_男": "col1",
           "大学专科_女": "col2", "本科及以上_男": "col3", "本科及以上_女": "col4",
           "平均受教育年限_合计": "school_years", "各种行业人口总计": "employed_lf",
           "制造业": "manufacturing_lf"},
}
COUNTS = ["pop", "male", "female", "hukou", "urban", "households", "household_pop", "mig_same_prov",
          "mig_other_prov", "col1", "col2", "col3", "col4", "employed_lf", "manufacturing_lf"]
WEIGHTED = ["age15_64_pct", "school_years"]  # published per unit; summed parts weight by residents
MUNICIPALITIES = ("11", "12", "31", "50")
COASTAL_OUTSIDE = {"12": "天津", "13": "河北", "21": "辽宁", "35": "福建", "37": "山东", "44": "广东",
                   "45": "广西", "46": "海南"}
YRD_PROVINCES = {"31": "上海", "32": "江苏", "33": "浙江", "34": "安徽"}
MEASURES = {  # name -> (zh, en, unit)
    "pop": ("常住人口", "residents", "人"),
    "dlog_pop": ("常住人口对数变化×100", "residents, log change ×100", "%"),
    "migrant_share": ("户口在外县（市）人口占比", "persons with hukou in another county, share", "%"),
    "net_inflow_share": ("常住减户籍占常住人口比重", "resident minus registered, share of residents", "%"),
    "age15_64_pct": ("15—64 岁人口占比", "working-age (15-64) share", "%"),
    "urban_share": ("城镇人口占比", "urban share", "%"),
    "household_size": ("家庭户规模", "persons per family household", "人/户"),
    "sex_ratio": ("性别比（女=100）", "sex ratio (women = 100)", ""),
    "college_share": ("大专及以上人口占常住人口比重", "college-educated, share of residents", "%"),
    "school_years": ("平均受教育年限", "mean years of schooling", "年"),
    "manufacturing_share": ("制造业占在业人口比重（长表）", "manufacturing share of employed (long form)",
                            "%"),
}


# --------------------------------------------------------------------------------------- reading
def unit_type(name: str) -> str:
    """'district' (区), 'city' (县级市) or 'county' (县, 旗, 自治县, 特区, 林区) from the name."""
    name = name.strip()
    if name.endswith("林区") or name.endswith("特区"):
        return "county"
    if name.endswith("区"):
        return "district"
    if name.endswith("市"):
        return "city"
    return "county"


def clean_name(s: pd.Series) -> pd.Series:
    """Strip the 2010 table's indentation and read its look-alike 巿 (U+5DFF) as 市: the 2010
    file writes 上虞巿, so the name would not match 上虞市 in the events."""
    return s.str.strip().str.replace("巿", "市", regex=False)


def _num(df: pd.DataFrame, col: str, file: str) -> pd.Series:
    s = df[col].str.replace(",", "", regex=False).str.strip()
    out = pd.to_numeric(s.where(s != "", None), errors="coerce")
    bad = out.isna() & s.ne("") & s.notna()
    if bad.any():
        i = bad.idxmax()
        raise DataError(file, f"not a number: {df.at[i, col]!r}", row=int(df.at[i, "_line"]), column=col)
    return out


def census_units(year: int, raw=None) -> pd.DataFrame:
    """One row per county-level unit of one census (6-digit code not ending in 00): code, name,
    province, prefecture, type, the measures of :data:`COLUMNS` (publication units), source and
    source_row. Province and prefecture totals, the compiler's sub-total rows, blank rows and the
    footer are left out; a duplicated code is an error naming the file and lines."""
    from yrdlib.data.clean import read_raw

    path = (raw or config.RAW) / FILES[year]
    file = FILES[year]
    df = read_raw(path, list(COLUMNS[year]) + ["区划代码"])
    code = df["区划代码"].str.replace(r"\.0$", "", regex=True).str.strip()
    df["code"] = code
    if year == 2010:
        df["name"] = clean_name(df["地区"])
        is_pref = code.str.fullmatch(r"\d{4}00")
        pref_names = dict(zip(code[is_pref], df.loc[is_pref, "name"]))
    else:
        df["name"] = clean_name(df["区县"])
        pref_names = dict(zip(code.str[:4] + "00", clean_name(df["市"])))
    keep = code.str.fullmatch(r"\d{6}") & ~code.str.endswith("00")
    uncoded = _uncoded_units(df, year)
    df.loc[uncoded.index, "code"] = uncoded["code"]
    d = df[keep | df.index.isin(uncoded.index)].copy()
    dup = d["code"].duplicated(keep=False)
    if dup.any():
        lines = d.loc[dup, "_line"].tolist()
        raise DataError(file, f"code {d.loc[dup, 'code'].iloc[0]} appears on lines {lines}",
                        row=int(lines[0]), column="区划代码")
    coded = ~d.index.isin(uncoded.index)
    if year == 2020:  # the 市 a row names decides (2020 writes 五台山风景名胜区 of 忻州 as 170971)
        listed = _listed_prefecture(df)[d.index]
        uncoded_pref = uncoded["prefecture"].reindex(d.index).where(~coded, listed)
        coded = pd.Series(False, index=d.index)
    else:
        uncoded_pref = uncoded["prefecture"].reindex(d.index)
    province = d["code"].str[:2].where(coded, uncoded_pref.str[:2])
    # a municipality's units sit under 市辖区 (xx01) or 县 (xx02): both belong to the municipality
    prefecture = (d["code"].str[:4] + "00").where(~province.isin(MUNICIPALITIES), province + "0000")
    prefecture = prefecture.where(coded, uncoded_pref)
    out = pd.DataFrame({"code": d["code"], "name": d["name"], "province": province,
                        "prefecture": prefecture})
    # municipalities' counties (110101, 110228 ...) sit under the province row (北京市 110000)
    out["prefecture_name"] = out["prefecture"].map(pref_names).fillna("")
    out["type"] = out["name"].map(unit_type)
    for col, m in COLUMNS[year].items():
        out[m] = _num(d, col, file)
    out["source"] = f"data/raw/{file}"
    out["source_row"] = d["_line"].astype(int)
    return out.reset_index(drop=True)


SUBTOTALS = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划", "全国"}


def _uncoded_units(df: pd.DataFrame, year: int) -> pd.DataFrame:
    """Rows that are county-level units without a code: 2010 加格达奇, 平桂管理区, 芒崖行委 ...;
    2020 development zones and other 功能区 (山西转型综合改革示范区, 温州经济技术开发区 ...), which
    hold residents carved out of coded units. They get the code ``L<line>`` and the prefecture
    they are listed under (2010: the last prefecture row above; 2020: the code of the 市 they
    name), so that a prefecture holding one is compared as a whole; '' where none is known
    (the islands of 三沙, units directly under a province)."""
    code, name = df["code"], df["name"]
    has_pop = df["合计" if year == 2010 else "人口数_合计"].str.strip().ne("")
    cand = code.eq("") & has_pop & ~name.isin(SUBTOTALS) & name.ne("")
    pref = pd.Series("", index=df.index)
    if year == 2010:
        current = ""
        for i in df.index:
            c = code[i]
            if re.fullmatch(r"\d{6}", c) and c.endswith("00"):
                current = c if not c.endswith("0000") or c[:2] in MUNICIPALITIES else ""
            elif c == "" and name[i] in ("省直辖县级行政区划", "自治区直辖县级行政区划"):
                current = ""
            pref[i] = current
    else:
        pref = _listed_prefecture(df)
        cand &= df["区县"].str.strip().ne(df["市"].str.strip())
    return pd.DataFrame({"code": "L" + df.loc[cand, "_line"].astype(str), "prefecture": pref[cand]})


def _listed_prefecture(df: pd.DataFrame) -> pd.Series:
    """2020: each row's prefecture code from the 省 and 市 it names (the most common code prefix
    among that 市's rows); '' where no row of that 市 has a code."""
    code = df["code"]
    coded = code.str.fullmatch(r"\d{6}")
    key = df["省"].str.strip() + "|" + df["市"].str.strip()
    first = (code[coded].str[:4] + "00").groupby(key[coded]).agg(lambda x: x.mode().iloc[0])
    pref = key.map(first).fillna("")
    mun = pref.str[:2].isin(MUNICIPALITIES)
    return pref.where(~mun, pref.str[:2] + "0000")


def read_events(raw=None) -> pd.DataFrame:
    from yrdlib.data.clean import read_raw

    ev = read_raw((raw or config.RAW) / EVENTS, ["event_id", "year", "event_type", "prefecture_names",
                                                  "old_county_units", "new_county_units",
                                                  "change_description"])
    ev["year"] = ev["year"].astype(int)
    return ev


# ------------------------------------------------------------------------------------- boundaries
TERRITORIAL = {"split", "jurisdiction_transfer", "establish", "abolish", "county_change",
               "jurisdiction_adjustment"}
_MOVES = re.compile(r"划归|划入|并入|划出|析出")


def is_territorial(ev: pd.Series) -> bool:
    """Did the event move territory between units? Renames, moves of the seat and plain 撤县设市 /
    撤县设区 (one unit in, one unit out, nothing 划归/并入) do not."""
    if ev["event_type"] in ("rename", "residence_change"):
        return False
    if ev["event_type"] in TERRITORIAL:
        return True
    olds = [x for x in re.split("[、,，]", ev["old_county_units"]) if x]
    return len(olds) > 1 or bool(_MOVES.search(_text(ev["change_description"])))


def _text(description: str) -> str:
    """An event's own text, without the wiki reference markup that follows it (``<ref>...``: its
    titles name other units, e.g. 绍兴县 in the reference of 上虞's event)."""
    return description.split("<ref")[0]


def _split(s: str) -> list[str]:
    return [x.strip() for x in re.split("[、,，;；/]", s or "") if x.strip()]


@cache
def _changed_prefectures() -> frozenset:
    from yrdlib import regions

    changed = {c for c, _ in regions.boundary_breaks()}
    changed |= set(regions.crosswalk().query("kind == 'abolished'")["old_code"])
    return frozenset(changed)


COMPARABLE = ("unchanged", "recoded", "event_1to1", "summed", "prefecture_sum")


@cache
def _prefecture_key(prefecture: str) -> str:
    """The prefecture a unit belongs to, across code changes (毕节地区 522400 -> 毕节市 520500);
    '' where a whole-prefecture comparison is not valid: units directly under a province
    (xx90xx), and prefectures whose territory changed (巢湖 abolished 2011 and its absorbers
    合肥/芜湖/马鞍山, 莱芜 merged into 济南 2019; data/raw/admin_codes/code_crosswalk.csv)."""
    from yrdlib import regions

    if prefecture[2:4] == "90":
        return ""
    k = regions.canonical_code(prefecture)
    changed = _changed_prefectures()
    return "" if k in changed or prefecture in changed else k


@dataclass
class Matching:
    units: pd.DataFrame      # one row per comparable unit (cluster) with both years' sums
    members: pd.DataFrame    # code, year, cluster, status: how each census unit was treated
    events: pd.DataFrame     # each event: the codes it linked, territorial or not, unresolved names
    unmatched: pd.DataFrame = None  # the census units left unmatched or dropped, with their rows


ZONE = re.compile(r"开发区|产业园|工业园|示范区|新区|保税区|管理区|风景名胜区|高新区")


def is_zone(name: str) -> bool:
    """A 2020 功能区 (development zone, industrial park, management area) listed as its own unit."""
    return bool(ZONE.search(name))


def comparable_units(u10: pd.DataFrame | None = None, u20: pd.DataFrame | None = None,
                     events: pd.DataFrame | None = None, zones: str = "prefecture") -> Matching:
    """:func:`_comparable_units`; on the embedded censuses (no frames given) computed once per
    version of the raw inputs and code (:mod:`yrdlib.memo`)."""
    if u10 is None and u20 is None and events is None:
        from yrdlib import memo

        return memo.call(_comparable_units, zones=zones)
    return _comparable_units(u10, u20, events, zones)


def _comparable_units(u10: pd.DataFrame | None = None, u20: pd.DataFrame | None = None,
                      events: pd.DataFrame | None = None, zones: str = "prefecture") -> Matching:
    """Match 2010 and 2020 units. Rules (each a line of ``members['status']``):

    * the same code in both censuses links the two units;
    * every county event of 2010-2021 links the units it names (old and new units and any unit of
      its prefectures named in its text) in the census where they exist; a territorial event
      (:func:`is_territorial`) makes its linked units one comparable unit, compared as the sum of
      its parts; a non-territorial one (rename, plain 撤县设市/设区) only links codes;
    * a linked group with units in both censuses is ``unchanged`` (one code, no event),
      ``recoded`` (one unit each side, only non-territorial events) or ``summed`` (several
      units or a territorial event; the sum of parts is comparable because the event moved
      territory only among them); if a territorial event inside the window (2011-2019) names a
      unit neither census holds, the group is ``dropped`` (territory went to or came from
      outside it);
    * a prefecture that still holds a unit of one census only (a code change or split no event
      lists: 胶南市 into 黄岛区 2012, 地区 -> 市 recodes) is compared as a whole,
      ``prefecture_sum``, unless its own territory changed (the project's crosswalk: 巢湖, 莱芜
      and their absorbers) or it is a province's list of directly governed units (xx90xx);
      what is left is ``unmatched``. Most such prefectures hold a 2020 功能区 (a development zone
      listed as its own unit, its residents carved out of units the table does not name);
      ``zones="districts"`` reads a prefecture whose only one-census units are such zones as
      having carved them out of its districts, and sums only the districts with the zones (an
      assumption, used as a robustness row).
    Events of 2010 and 2020 straddle the census dates (1 November): a name they give that
    neither census holds is a unit created after the 2020 census or gone before 2010, and is only
    noted. An event listed under 2021 is used only if the 2020 table already names its new unit
    (the 2020 compilation names some units as of 2021, e.g. 黔西市); otherwise it is skipped.
    Summing more than needed is safe (the sum of comparable parts is comparable); summing less
    would not be, hence the conservative linking."""
    from yrdlib import regions

    u10 = census_units(2010) if u10 is None else u10
    u20 = census_units(2020) if u20 is None else u20
    events = read_events() if events is None else events
    nodes = [(2010, c) for c in u10["code"]] + [(2020, c) for c in u20["code"]]
    parent = {n: n for n in nodes}

    def find(n):
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    def union(a, b):
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[rb] = ra

    for c in set(u10["code"]) & set(u20["code"]):
        union((2010, c), (2020, c))
    # name lookup per prefecture name and per province
    both = pd.concat([u10.assign(year=2010), u20.assign(year=2020)], ignore_index=True)
    by_pref: dict[str, list] = {}
    for r in both.itertuples():
        by_pref.setdefault(r.prefecture_name, []).append(r)
    territorial_nodes: set = set()
    uncertain_nodes: set = set()
    ev_rows = []
    for _, ev in events.iterrows():
        prefs = _split(ev["prefecture_names"])
        cands = [r for p in prefs for r in by_pref.get(p, [])]
        named = set(_split(ev["old_county_units"]) + _split(ev["new_county_units"]))
        text = " ".join([ev["old_county_units"], ev["new_county_units"], _text(ev["change_description"])])
        hits = [r for r in cands if r.name in named or (len(r.name) >= 3 and r.name in text)]
        if not prefs:  # units directly under a province: a named unit unique in the country
            for nm in named:
                m = both[both["name"] == nm]
                if m["code"].nunique() == 1:
                    hits += list(m.itertuples())
        found = {r.name for r in hits}
        if ev["year"] >= 2021 and not any(r.year == 2020 and r.name in _split(ev["new_county_units"])
                                          for r in hits):
            ev_rows.append({"event_id": ev["event_id"], "year": ev["year"], "territorial": False,
                            "linked": "", "unresolved": "", "description": ev["change_description"],
                            "skipped": "after the 2020 census (its new unit is not in the 2020 table)"})
            continue
        unresolved = sorted(n for n in named if n not in found and n not in prefs)
        terr = is_territorial(ev)
        ids = sorted({(int(r.year), r.code) for r in hits})
        for a in ids[1:]:
            union(ids[0], a)
        if terr:
            territorial_nodes.update(ids)
            if unresolved and 2011 <= ev["year"] <= 2019:
                uncertain_nodes.update(ids)
        ev_rows.append({"event_id": ev["event_id"], "year": ev["year"], "territorial": terr,
                        "linked": " ".join(f"{y}:{c}" for y, c in ids), "unresolved": "、".join(unresolved),
                        "description": ev["change_description"]})
    # fallback: a prefecture holding a unit of one census only is compared as a whole (its
    # territory is the same in both censuses unless the project's crosswalk says otherwise)
    name_of = {(y, c): nm for y, u in ((2010, u10), (2020, u20)) for c, nm in zip(u["code"], u["name"])}
    type_of = {(y, c): t for y, u in ((2010, u10), (2020, u20)) for c, t in zip(u["code"], u["type"])}
    pref_of = {(2010, c): p for c, p in zip(u10["code"], u10["prefecture"])}
    pref_of.update({(2020, c): p for c, p in zip(u20["code"], u20["prefecture"])})
    key = {n: _prefecture_key(p) for n, p in pref_of.items()}
    years_in = {}
    for n in nodes:
        years_in.setdefault(find(n), set()).add(n[0])
    # a prefecture whose own territory changed (key '') and that holds a one-census unit cannot
    # be closed at all: every unit of it is dropped (合肥/芜湖/马鞍山's development zones, 济南's)
    open_prefs = {regions.canonical_code(pref_of[n]) for n in nodes
                  if len(years_in[find(n)]) == 1 and not key[n] and pref_of[n][2:4] != "90"
                  and pref_of[n]}
    uncertain_nodes.update(n for n in nodes if regions.canonical_code(pref_of[n]) in open_prefs
                           and len(years_in[find(n)]) == 2)
    lone = [n for n in nodes if len(years_in[find(n)]) == 1 and key[n]]
    lone_keys = {key[n] for n in lone}
    if zones == "districts":
        # the alternative reading: a 2020 功能区 is carved out of its prefecture's districts only
        zone_only = {k for k in lone_keys
                     if all(n[0] == 2020 and is_zone(name_of[n]) for n in lone if key[n] == k)}
        whole_nodes = [n for n in nodes if key[n] in lone_keys
                       and (key[n] not in zone_only or type_of[n] == "district" or n in lone)]
    elif zones == "prefecture":
        whole_nodes = [n for n in nodes if key[n] in lone_keys]
    else:
        raise ValueError(f"zones must be 'prefecture' or 'districts', got {zones!r}")
    by_key: dict[str, list] = {}
    for n in whole_nodes:
        by_key.setdefault(key[n], []).append(n)
    for ns in by_key.values():
        for n in ns[1:]:
            union(ns[0], n)
    # clusters
    cl = pd.DataFrame({"node": nodes})
    cl["year"] = [n[0] for n in nodes]
    cl["code"] = [n[1] for n in nodes]
    cl["root"] = [find(n) for n in nodes]
    cl["cluster"] = cl.groupby("root", sort=False).ngroup()
    cl["territorial"] = cl["node"].isin(territorial_nodes)
    cl["uncertain"] = cl["node"].isin(uncertain_nodes)
    g = cl.groupby("cluster")
    n10 = g["year"].apply(lambda s: int((s == 2010).sum()))
    n20 = g["year"].apply(lambda s: int((s == 2020).sum()))
    terr = g["territorial"].any()
    unc = g["uncertain"].any()
    same = g["code"].nunique() == 1
    whole = g["node"].apply(lambda s: bool(set(s) & set(whole_nodes)))
    status = pd.Series("summed", index=n10.index)
    status[whole] = "prefecture_sum"
    status[(n10 == 1) & (n20 == 1) & ~terr & same] = "unchanged"
    status[(n10 == 1) & (n20 == 1) & ~terr & ~same] = "recoded"
    status[(n10 == 1) & (n20 == 1) & terr] = "event_1to1"
    status[(n10 == 1) & (n20 == 1) & ~terr & same & whole] = "unchanged"
    status[unc] = "dropped"
    status[(n10 == 0) | (n20 == 0)] = "unmatched"
    cl["status"] = cl["cluster"].map(status)
    members = cl.drop(columns=["node", "root"])
    ok = status[status.isin(list(COMPARABLE))].index
    units = _sum_clusters(members[members["cluster"].isin(ok)], u10, u20)
    both = pd.concat([u10.assign(year=2010), u20.assign(year=2020)], ignore_index=True)
    left = members[members["status"].isin(["unmatched", "dropped"])].merge(both, on=["year", "code"])
    left = left[["status", "year", "code", "name", "prefecture_name", "pop", "source", "source_row"]]
    return Matching(units=units, members=members, events=pd.DataFrame(ev_rows),
                    unmatched=left.sort_values(["status", "year", "code"]).reset_index(drop=True))


def _sum_clusters(members: pd.DataFrame, u10: pd.DataFrame, u20: pd.DataFrame) -> pd.DataFrame:
    parts = []
    for year, u in ((2010, u10), (2020, u20)):
        m = members[members["year"] == year][["cluster", "status", "code"]].merge(u, on="code")
        m = m.sort_values(["cluster", "code"])
        for w in WEIGHTED:
            m[w] = m[w] * m["pop"]
        g = m.groupby("cluster")
        agg = pd.DataFrame({
            "status": g["status"].first(),
            f"codes_{year}": g["code"].agg(" ".join),
            f"name_{year}": g["name"].agg("+".join),
            f"type_{year}": g["type"].agg(lambda s: "+".join(sorted(set(s)))),
            f"prefectures_{year}": g["prefecture"].agg(lambda s: " ".join(sorted(set(s)))),
            f"source_row_{year}": g["source_row"].agg(lambda s: " ".join(map(str, s))),
            f"source_{year}": g["source"].first()})
        # a sum is missing if any part is (min_count = number of parts)
        size = g.size()
        for c in [c for c in COUNTS if c in m] + WEIGHTED:
            tot = g[c].sum(min_count=1).where(g[c].count() == size)
            agg[f"{c}_{year}"] = tot / agg.get(f"pop_{year}", 1) if c in WEIGHTED else tot
        parts.append(agg)
    out = parts[0].join(parts[1].drop(columns="status"), how="inner").reset_index()
    out["province"] = out["codes_2020"].str[:2]
    return _measures(out)


def _measures(u: pd.DataFrame) -> pd.DataFrame:
    """Shares recomputed from the summed counts (so summed units are exact), 2010 and 2020, and
    their changes."""
    for y in (2010, 2020):
        p = u[f"pop_{y}"]
        u[f"migrant_share_{y}"] = 100 * (u[f"mig_same_prov_{y}"] + u[f"mig_other_prov_{y}"]) / p
        u[f"urban_share_{y}"] = 100 * u[f"urban_{y}"] / p
        u[f"household_size_{y}"] = u[f"household_pop_{y}"] / u[f"households_{y}"]
        u[f"sex_ratio_{y}"] = 100 * u[f"male_{y}"] / u[f"female_{y}"]
        college = u[f"col1_{y}"] + u[f"col2_{y}"] + u[f"col3_{y}"] + u[f"col4_{y}"]
        u[f"college_share_{y}"] = 100 * college / p
        u[f"manufacturing_share_{y}"] = 100 * u[f"manufacturing_lf_{y}"] / u[f"employed_lf_{y}"]
    u["net_inflow_share_2010"] = 100 * (u["pop_2010"] - u["hukou_2010"]) / u["pop_2010"]
    u["dlog_pop"] = 100 * np.log(u["pop_2020"] / u["pop_2010"])
    u["pct_pop"] = 100 * (u["pop_2020"] / u["pop_2010"] - 1)
    for m in ("migrant_share", "urban_share", "age15_64_pct", "household_size", "sex_ratio",
              "college_share", "school_years", "manufacturing_share"):
        u[f"d_{m}"] = u[f"{m}_2020"] - u[f"{m}_2010"]
    u["county_type"] = ~u["type_2010"].str.contains("district")  # 县/县级市 in 2010
    return u


def matching_summary(m: Matching) -> pd.DataFrame:
    """How many census units were matched, summed, dropped or left unmatched, per census."""
    t = m.members.pivot_table(index="status", columns="year", values="code", aggfunc="count",
                              fill_value=0)
    t["comparable units"] = m.members.groupby("status")["cluster"].nunique()
    order = [*COMPARABLE, "dropped", "unmatched"]
    return t.reindex(order).fillna(0).astype(int)


# ---------------------------------------------------------------------------------- groups
def with_status(units: pd.DataFrame) -> pd.DataFrame:
    """Add each comparable unit's prefecture (2020), YRD association join year and province; a
    unit whose 2010 and 2020 prefectures differ (巢湖's counties moved in 2011) gets
    ``pref_moved``."""
    from yrdlib import groups, regions

    join = groups.treatment_years("association", "join_year")
    u = units.copy()
    u["prefecture"] = u["prefectures_2020"].str.split(" ").str[0]
    p10 = u["prefectures_2010"].map(lambda s: {regions.canonical_code(c) for c in s.split()})
    p20 = u["prefectures_2020"].map(lambda s: {regions.canonical_code(c) for c in s.split()})
    u["pref_moved"] = [a != b for a, b in zip(p10, p20)]
    u["join_year"] = u["prefecture"].map(lambda c: join.get(regions.canonical_code(c), np.nan))
    return u


def comparison_groups(u: pd.DataFrame, size_band: float = 2.0, min_manufacturing: float = 30.0):
    """Yuhuan and three groups (county-type units: 县/县级市 in 2010, not districts):
    Taizhou's other counties; counties of the YRD's 41 cities; coastal manufacturing counties
    outside the YRD: provinces 津冀辽闽鲁粤桂琼, 2010 residents within ``size_band`` times
    Yuhuan's either way, and a manufacturing share of the employed (census long form, 2010) of at
    least ``min_manufacturing`` %. (A county's own coastline is not in the census; the province is.)"""
    yh = u["codes_2020"].str.split().map(lambda c: YUHUAN_2020 in c)
    y = u[yh].iloc[0]
    c = u["county_type"] & ~yh
    size = u["pop_2010"].between(y["pop_2010"] / size_band, y["pop_2010"] * size_band)
    return {
        "yuhuan": u[yh],
        "taizhou": u[c & (u["prefecture"] == TAIZHOU)],
        "yrd41": u[c & u["join_year"].notna()],
        "coastal": u[c & u["province"].isin(list(COASTAL_OUTSIDE)) & size
                     & (u["manufacturing_share_2010"] >= min_manufacturing)],
    }


GROUP_LABELS = {"yuhuan": ("玉环", "Yuhuan"), "taizhou": ("台州其他县（市）", "Taizhou's other counties"),
                "yrd41": ("长三角 41 城的县（市）", "counties of the YRD's 41 cities"),
                "coastal": ("长三角外沿海制造业县（市）", "coastal manufacturing counties outside the YRD")}
CHANGE_ROWS = [("pop_2010", "常住人口 2010", "residents 2010"),
               ("pop_2020", "常住人口 2020", "residents 2020"),
               ("pct_pop", "常住人口变化 %", "residents, % change"),
               ("migrant_share_2010", "外县户口人口占比 2010 %", "hukou elsewhere 2010, %"),
               ("migrant_share_2020", "外县户口人口占比 2020 %", "hukou elsewhere 2020, %"),
               ("d_migrant_share", "外县户口人口占比变化（百分点）", "hukou elsewhere, change (pp)"),
               ("net_inflow_share_2010", "常住减户籍占比 2010 %（2020 未公布户籍）",
                "resident minus registered 2010, % (2020: no hukou figure)"),
               ("d_age15_64_pct", "15—64 岁占比变化（百分点）", "working-age share, change (pp)"),
               ("d_urban_share", "城镇化率变化（百分点）", "urban share, change (pp)"),
               ("d_household_size", "家庭户规模变化（人/户）", "household size, change"),
               ("d_sex_ratio", "性别比变化", "sex ratio, change"),
               ("d_college_share", "大专及以上占比变化（百分点）", "college share, change (pp)"),
               ("d_school_years", "平均受教育年限变化（年）", "years of schooling, change"),
               ("d_manufacturing_share", "制造业就业占比变化（百分点，长表）",
                "manufacturing share, change (pp)")]


def yuhuan_changes(units: pd.DataFrame | None = None) -> Result:
    """Yuhuan's 2010->2020 changes beside the three groups' medians (with each group's size and
    interquartile range). A description: no verdict."""
    u = with_status(units if units is not None else comparable_units().units)
    gs = comparison_groups(u)
    rows = []
    for col, zh, en in CHANGE_ROWS:
        r = {"measure": col, "measure_zh": zh, "measure_en": en, "yuhuan": float(gs["yuhuan"][col].iloc[0])}
        for k in ("taizhou", "yrd41", "coastal"):
            v = gs[k][col].dropna()
            r[f"{k}_median"] = float(v.median()) if len(v) else np.nan
            r[f"{k}_q25"] = float(v.quantile(0.25)) if len(v) else np.nan
            r[f"{k}_q75"] = float(v.quantile(0.75)) if len(v) else np.nan
            r[f"{k}_n"] = len(v)
        rows.append(r)
    table = pd.DataFrame(rows)
    y = gs["yuhuan"].iloc[0]
    provenance = pd.concat([g.assign(group=k) for k, g in gs.items()], ignore_index=True)[
        ["group", "codes_2010", "name_2010", "codes_2020", "name_2020", "status", "source_2010",
         "source_row_2010", "source_2020", "source_row_2020", "pop_2010", "pop_2020", "dlog_pop",
         "migrant_share_2010", "migrant_share_2020", "age15_64_pct_2010", "age15_64_pct_2020",
         "urban_share_2010", "urban_share_2020", "manufacturing_share_2010"]]
    tm = table.set_index("measure")
    text_en = (f"Yuhuan's residents grew {y['pct_pop']:.1f}% (2010 {y['pop_2010']:,.0f}, 2020 "
               f"{y['pop_2020']:,.0f}); the median county grew {tm.at['pct_pop', 'taizhou_median']:.1f}% in "
               f"Taizhou, {tm.at['pct_pop', 'yrd41_median']:.1f}% among the YRD-41's counties and "
               f"{tm.at['pct_pop', 'coastal_median']:.1f}% among coastal manufacturing counties outside "
               f"(n = {tm.at['pct_pop', 'coastal_n']}).")
    text_zh = (f"玉环常住人口增长 {y['pct_pop']:.1f}%（2010 年 {y['pop_2010']:,.0f} 人，2020 年 "
               f"{y['pop_2020']:,.0f} 人）；台州其他县（市）中位数 "
               f"{tm.at['pct_pop', 'taizhou_median']:.1f}%，"
               f"长三角 41 城的县（市）{tm.at['pct_pop', 'yrd41_median']:.1f}%，长三角外沿海制造业县（市）"
               f"{tm.at['pct_pop', 'coastal_median']:.1f}%（{tm.at['pct_pop', 'coastal_n']} 个）。")
    return Result(evidence=None, data={"table": table, "groups": gs, "provenance": provenance},
                  text_zh=text_zh, text_en=text_en)


# ------------------------------------------------------------------------- Yuhuan's position
MATCH_ON = ["log_pop_2010", "migrant_share_2010", "manufacturing_share_2010", "urban_share_2010",
            "age15_64_pct_2010"]


def _matched_gaps(X: np.ndarray, y: np.ndarray, targets: np.ndarray, k: int) -> np.ndarray:
    """For each target row: its outcome minus the mean outcome of its k nearest other rows
    (Euclidean on the standardised characteristics)."""
    gaps = np.empty(len(targets))
    for i, t in enumerate(targets):
        d = np.sqrt(((X - X[t]) ** 2).sum(axis=1))
        d[t] = np.inf
        nn = np.argsort(d)[:k]
        gaps[i] = y[t] - y[nn].mean()
    return gaps


def yuhuan_position(units: pd.DataFrame | None = None, outcome: str = "dlog_pop", k: int = 10,
                    pool: str = "coastal_all") -> dict:
    """Yuhuan's gap against its k nearest neighbours outside the YRD, with an interval from
    placebo gaps. Rules: pool = county-type units (县/县级市 in 2010) of the coastal provinces
    outside the YRD (津冀辽闽鲁粤桂琼) that are comparable across the censuses; match on 2010 log
    residents, hukou-elsewhere share, manufacturing share of the employed, urban share and
    working-age share, each standardised over the pool; Yuhuan's gap = its outcome minus the mean
    of its k nearest pool units. Each pool unit gets the same gap against its own k nearest
    other pool units (a placebo: a county with no YRD membership); the 95% interval is Yuhuan's
    gap minus the 97.5% and 2.5% quantiles of the placebo gaps, and the p-value the share of
    placebo gaps at least as large in absolute value."""
    u = with_status(units if units is not None else comparable_units().units)
    u = u.assign(log_pop_2010=np.log(u["pop_2010"]))
    yh = u["codes_2020"].str.split().map(lambda c: YUHUAN_2020 in c)
    poolmask = u["county_type"] & u["province"].isin(list(COASTAL_OUTSIDE)) & ~u["pref_moved"]
    d = pd.concat([u[yh], u[poolmask]]).dropna(subset=MATCH_ON + [outcome]).reset_index(drop=True)
    X = d[MATCH_ON].to_numpy(float)
    mu, sd = X[1:].mean(axis=0), X[1:].std(axis=0)
    X = (X - mu) / sd
    y = d[outcome].to_numpy(float)
    # Yuhuan (row 0) against the pool only; placebos against the pool without Yuhuan
    gap = float(_matched_gaps(X, y, np.array([0]), k)[0])
    Xp, yp = X[1:], y[1:]
    placebo = _matched_gaps(Xp, yp, np.arange(len(yp)), k)
    dist = np.sqrt(((X[1:] - X[0]) ** 2).sum(axis=1))
    nn = np.argsort(dist)[:k] + 1
    lo, hi = gap - np.quantile(placebo, 0.975), gap - np.quantile(placebo, 0.025)
    p = float((np.abs(placebo) >= abs(gap)).mean())
    matches = d.iloc[nn][["codes_2020", "name_2020", "prefectures_2020", "source_row_2010",
                          "source_row_2020", *MATCH_ON, outcome]].assign(distance=dist[nn - 1])
    return {"gap": gap, "ci_low": float(lo), "ci_high": float(hi), "p_value": p, "k": k,
            "n_pool": len(yp), "yuhuan": float(y[0]), "matched_mean": float(y[nn].mean()),
            "matches": matches, "placebo": placebo, "outcome": outcome,
            "percentile_in_pool": float((yp < y[0]).mean() * 100)}


# ---------------------------------------------------------------------- the S2.g test
LARGE_SWING = float(np.log(2) * 100)  # residents doubled or halved in ten years


def test_sample(u: pd.DataFrame, treated_by: int = 2010, drop_mixed: bool = True,
                county_type_only: bool = False, drop_large_swings: bool = False) -> pd.DataFrame:
    """Units for the test: treated = units of prefectures in the YRD association by the 2010
    census (joined in or before ``treated_by``: 22 cities), control = units of prefectures that
    never joined; prefectures that joined inside the window (2013, 2018, 2019) are mixed and
    dropped (``drop_mixed``) or counted as controls; units whose prefecture changed between the
    censuses (巢湖's counties) are dropped."""
    d = u[~u["pref_moved"] & u["dlog_pop"].notna()].copy()
    if county_type_only:
        d = d[d["county_type"]]
    if drop_large_swings:  # a boundary change no event lists, or a compilation error (平房/香坊)
        d = d[d["dlog_pop"].abs() <= LARGE_SWING]
    d["treated"] = (d["join_year"] <= treated_by).astype(float)
    mixed = d["join_year"] > treated_by
    if drop_mixed:
        d = d[~mixed]
    else:
        d.loc[mixed, "treated"] = 0.0
    return d.reset_index(drop=True)


def diff_in_means(y: np.ndarray, t: np.ndarray) -> float:
    """Mean of y among treated minus among controls (the estimator; t is 0/1)."""
    t = np.asarray(t, bool)
    return float(y[t].mean() - y[~t].mean())


def province_patterns(d: pd.DataFrame) -> dict[str, float]:
    """Each province's treatment pattern: the share of its prefectures (with units in the sample)
    that are treated."""
    pref = d.groupby("prefecture").agg(province=("province", "first"), treated=("treated", "first"))
    return pref.groupby("province")["treated"].mean().to_dict()


MAX_EXACT = 50_000


def block_permutations(d: pd.DataFrame, reps: int = 2000, seed: int = 20261206,
                       exact: bool = True) -> np.ndarray:
    """Treatment vectors (reps x units) that keep the design's blocks: the provinces' patterns
    (:func:`province_patterns`) are permuted over provinces; within a province the pattern's
    share of its prefectures (rounded) is drawn at random, and every unit takes its prefecture's
    status. Treatment thus always comes in whole prefectures, by province. When every province
    is wholly treated or wholly untreated (the main sample: 沪苏浙皖's remaining units all
    treated) and there are at most :data:`MAX_EXACT` assignments, all of them are listed
    (C(31, 4) = 31,465): the randomization p-value is then exact, with no Monte Carlo error."""
    rng = np.random.default_rng(seed)
    pref = d.groupby("prefecture").agg(province=("province", "first"))
    provs = sorted(pref["province"].unique())
    pat = province_patterns(d)
    shares = np.array([pat[p] for p in provs])
    k_treated = int((shares == 1).sum())
    if exact and np.isin(shares, (0.0, 1.0)).all() and math.comb(len(provs), k_treated) <= MAX_EXACT:
        # whole provinces treated or not: every assignment of the pattern can be listed
        prov_of_unit = d["province"].map({p: i for i, p in enumerate(provs)}).to_numpy()
        combos = list(itertools.combinations(range(len(provs)), k_treated))
        chosen = np.zeros((len(combos), len(provs)), dtype=bool)
        for r, c in enumerate(combos):
            chosen[r, list(c)] = True
        return chosen[:, prov_of_unit]
    prefs_of = {p: pref.index[pref["province"] == p].to_numpy() for p in provs}
    pref_pos = {c: i for i, c in enumerate(pref.index)}
    unit_pref = d["prefecture"].map(pref_pos).to_numpy()
    out = np.zeros((reps, len(d)), dtype=bool)
    for r in range(reps):
        perm = rng.permutation(shares)
        status = np.zeros(len(pref), dtype=bool)
        for p, s in zip(provs, perm):
            members = prefs_of[p]
            k = round(s * len(members))
            if k:
                status[[pref_pos[c] for c in rng.choice(members, size=k, replace=False)]] = True
        out[r] = status[unit_pref]
    return out


def _perm_p(obs: float, perm: np.ndarray) -> float:
    perm = perm[np.isfinite(perm)]
    return float((1 + (np.abs(perm) >= abs(obs) - 1e-12).sum()) / (1 + len(perm)))


def invert_permutation_test(y: np.ndarray, t: np.ndarray, T: np.ndarray, alpha: float = 0.05,
                            grid: np.ndarray | None = None) -> tuple[float, float, np.ndarray]:
    """Interval by test inversion under a constant additive effect tau: outcomes without
    treatment are y - tau*t, and tau is kept where the permutation p-value is >= alpha. For the
    difference in means the permuted statistic is linear in tau (A_r - tau*B_r), so each tau costs
    one vector operation."""
    t = np.asarray(t, float)
    est = diff_in_means(y, t)

    # one float matrix product for both columns (a boolean matrix times a vector is recast on
    # every call): sums over the treated, the rest by subtraction
    Tf = np.asarray(T, dtype=np.float64)
    V = np.column_stack([np.asarray(y, float), t])
    nt = Tf.sum(axis=1)
    nc = Tf.shape[1] - nt
    ok = (nt > 0) & (nc > 0)
    St = Tf @ V
    Sc = V.sum(axis=0)[None, :] - St
    with np.errstate(invalid="ignore", divide="ignore"):
        D = St / nt[:, None] - Sc / nc[:, None]
    D[~ok] = np.nan
    A, B = D[:, 0], D[:, 1]
    if grid is None:
        sd = np.nanstd(A)
        grid = np.linspace(est - 6 * sd, est + 6 * sd, 2401)
    keep = []
    for tau in grid:
        perm = A - tau * B
        keep.append(_perm_p(est - tau, perm) >= alpha)
    keep = np.array(keep)
    if not keep.any():
        return np.nan, np.nan, A
    return float(grid[keep].min()), float(grid[keep].max()), A


def within_province(d: pd.DataFrame, province: str, reps: int = 2000, seed: int = 1) -> dict:
    """Members vs non-members inside one province (removes the province's shock): the difference
    in mean log change, p-value and interval from permuting prefectures' statuses inside it."""
    s = d[d["province"] == province].reset_index(drop=True)
    if s["treated"].nunique() < 2:
        return {"province": province, "estimate": np.nan, "n": len(s)}
    rng = np.random.default_rng(seed)
    prefs = s.groupby("prefecture")["treated"].first()
    pos = s["prefecture"].map({c: i for i, c in enumerate(prefs.index)}).to_numpy()
    T = np.array([rng.permutation(prefs.to_numpy())[pos] for _ in range(reps)]).astype(bool)
    y, t = s["dlog_pop"].to_numpy(float), s["treated"].to_numpy(float)
    lo, hi, A = invert_permutation_test(y, t, T)
    est = diff_in_means(y, t)
    return {"province": province, "estimate": est, "ci_low": lo, "ci_high": hi,
            "p_value": _perm_p(est, A), "n": len(s), "n_treated_pref": int(prefs.sum()),
            "n_control_pref": int((1 - prefs).sum())}


def s2g_county_attraction(units: pd.DataFrame | None = None, reps: int = 2000,
                          alt_units: pd.DataFrame | None = None, cache: bool = True) -> Result:
    """S2.g on the embedded censuses is focus-independent: computed once per version of the raw
    inputs and code (:mod:`yrdlib.memo`) and read by every notebook and city of a batch;
    explicit ``units`` / ``alt_units`` (tests, user data) are computed directly."""
    if units is None and alt_units is None and cache:
        from yrdlib import memo

        return memo.call(_s2g_county_attraction, None, reps, None)
    return _s2g_county_attraction(units, reps, alt_units)


def _s2g_county_attraction(units: pd.DataFrame | None = None, reps: int = 2000,
                           alt_units: pd.DataFrame | None = None) -> Result:
    """S2.g: did the county-level units of YRD member prefectures gain residents (100 x log change
    2010->2020) faster than units elsewhere? Main sample: members by the 2010 census vs prefectures
    that never joined, inside-window joiners (2013/2018/2019) dropped as mixed; estimator: the
    difference in means; inference: block randomization over provinces
    (:func:`block_permutations`), interval by inverting that test. Robustness rows (the verdict
    rule's gate): county-type units only; inside-window joiners as controls; members by 2013
    treated; without units whose residents doubled or halved; 功能区 read as carved out of
    districts only; within Jiangsu, Zhejiang and Anhui (members by 2010 vs later joiners, whose
    membership covers part of the window only)."""
    u = with_status(units if units is not None else comparable_units().units)
    d = test_sample(u)
    y, t = d["dlog_pop"].to_numpy(float), d["treated"].to_numpy(float)
    T = block_permutations(d, reps)
    est = diff_in_means(y, t)
    lo, hi, A = invert_permutation_test(y, t, T)
    p = _perm_p(est, A)
    sens = []
    for name, kw in [("county-type units only (县/县级市 in 2010)", {"county_type_only": True}),
                     ("2013/2018/2019 joiners as controls", {"drop_mixed": False}),
                     ("members by 2013 treated, 2018/2019 joiners dropped", {"treated_by": 2013}),
                     ("without units whose residents doubled or halved", {"drop_large_swings": True})]:
        s = test_sample(u, **kw)
        ys, ts = s["dlog_pop"].to_numpy(float), s["treated"].to_numpy(float)
        Ts = block_permutations(s, reps)
        l2, h2, A2 = invert_permutation_test(ys, ts, Ts)
        e2 = diff_in_means(ys, ts)
        sens.append({"name": name, "kind": "design", "estimate": e2, "ci_low": l2, "ci_high": h2,
                     "p_value": _perm_p(e2, A2), "n": len(s)})
    alt = with_status(alt_units if alt_units is not None
                      else comparable_units(zones="districts").units)
    s = test_sample(alt)
    ys, ts = s["dlog_pop"].to_numpy(float), s["treated"].to_numpy(float)
    l2, h2, A2 = invert_permutation_test(ys, ts, block_permutations(s, reps))
    e2 = diff_in_means(ys, ts)
    sens.append({"name": "功能区 read as carved out of districts only (counties kept apart)",
                 "kind": "design", "estimate": e2, "ci_low": l2, "ci_high": h2,
                 "p_value": _perm_p(e2, A2), "n": len(s)})
    # within province: early members vs later joiners (the only non-members inside 沪苏浙皖)
    wp_sample = test_sample(u, drop_mixed=False)
    within = [within_province(wp_sample, p, reps) for p in ("32", "33", "34")]
    for w in within:
        if np.isfinite(w.get("estimate", np.nan)):
            sens.append({"name": f"within {YRD_PROVINCES[w['province']]}: members by 2010 vs later joiners",
                         "kind": "design",
                         **{k: w[k] for k in ("estimate", "ci_low", "ci_high", "p_value", "n")}})
    n_t, n_c = int(t.sum()), int(len(t) - t.sum())
    ev = evidence_for(
        "S2.g", estimate=est, ci_low=lo, ci_high=hi, p_value=p, n=len(d), unit="100×Δln",
        method=("difference in mean 100×ln(residents 2020/2010); block randomization over provinces "
                f"({len(T):,} assignments of the provinces' patterns"
                + (", all of them" if len(T) != reps else ", prefectures drawn within")
                + "), interval by test inversion under a constant effect"),
        sample=(f"{n_t} units of {d.loc[d['treated'] == 1, 'prefecture'].nunique()} member prefectures "
                f"(joined by the 2010 census) vs {n_c} units of prefectures that never joined; "
                "2013/2018/2019 joiners dropped as mixed; boundary-comparable units only"),
        data_vintage="6th (2010) and 7th (2020) census county tables via leiii/census 0ba0f1ef",
        sensitivity=sens)
    return Result(evidence=ev, data={"sample": d, "within": pd.DataFrame(within), "perm": A},
                  text_en=(f"Units of member prefectures grew {est:.1f} log points more (95% {lo:.1f} "
                           f"to {hi:.1f}, block-permutation p = {p:.3f}, n = {len(d)})."),
                  text_zh=(f"成员城市所辖县级单位的常住人口对数增长多 {est:.1f}（95% 区间 {lo:.1f} 至 "
                           f"{hi:.1f}，按省整块置换 p = {p:.3f}，n = {len(d)}）。"))


# ------------------------------------------------------------------------------ presentation
def changes_table(res: Result, lang: str = "both") -> pd.DataFrame:
    """The notebook's table: one row per measure, Yuhuan and the groups' medians [IQR] (n)."""
    t = res.data["table"]
    out = pd.DataFrame({"指标 measure": t["measure_zh"] + " / " + t["measure_en"],
                        "玉环 Yuhuan": t["yuhuan"].map(_fmt)})
    for k in ("taizhou", "yrd41", "coastal"):
        zh, en = GROUP_LABELS[k]
        out[f"{zh} {en}: 中位数 [四分位距] (n)"] = [
            f"{_fmt(m)} [{_fmt(a)}, {_fmt(b)}] ({n})" for m, a, b, n in
            zip(t[f"{k}_median"], t[f"{k}_q25"], t[f"{k}_q75"], t[f"{k}_n"])]
    return out


def _fmt(x) -> str:
    if x is None or not np.isfinite(x):
        return "—"
    return f"{x:,.0f}" if abs(x) >= 1000 else f"{x:.2f}"


def plot_changes(res: Result, pos: dict | None = None):
    """Log change of residents: each group's units as a strip, Yuhuan marked; and, if given,
    Yuhuan's gap against its matched counties with the placebo interval."""
    import matplotlib.pyplot as plt

    gs = res.data["groups"]
    fig, axes = plt.subplots(2 if pos else 1, 1, figsize=(7.5, 7 if pos else 3.6), squeeze=False)
    ax = axes[0, 0]
    keys = ["taizhou", "yrd41", "coastal"]
    rng = np.random.default_rng(0)
    for i, k in enumerate(keys):
        v = gs[k]["dlog_pop"].dropna().to_numpy()
        ax.scatter(v, i + rng.uniform(-0.15, 0.15, len(v)), s=8, alpha=0.5, color="#888")
        ax.plot([np.median(v)] * 2, [i - 0.3, i + 0.3], color="k", lw=2)
    yv = float(gs["yuhuan"]["dlog_pop"].iloc[0])
    ax.axvline(yv, color="#c0392b", lw=2, label=f"玉环 Yuhuan {yv:.1f}")
    ax.set_yticks(range(3), ["\n".join(GROUP_LABELS[k]) for k in keys], fontsize=8)
    ax.set_xlabel("常住人口对数变化×100，2010→2020 · residents, 100×Δln (each dot a unit)")
    ax.legend(fontsize=8, loc="lower right")
    if pos:
        ax = axes[1, 0]
        ax.hist(pos["placebo"], bins=40, color="#bbb")
        ax.axvline(pos["gap"], color="#c0392b", lw=2,
                   label=f"玉环 gap {pos['gap']:.1f} [{pos['ci_low']:.1f}, {pos['ci_high']:.1f}]")
        ax.set_xlabel(f"与 {pos['k']} 个最近邻之差（灰：安慰剂县）· gap to the {pos['k']} nearest "
                      "matches (grey: placebo counties)")
        ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def matching_reading(m: Matching) -> tuple[str, str]:
    s = matching_summary(m)
    n = s["comparable units"]
    zh = (f"2010 年 {int(s[2010].sum()):,} 个、2020 年 {int(s[2020].sum()):,} 个县级单位："
          f"代码相同且无区划事件 {n['unchanged']:,} 个；仅改名或改代码（撤县设市/设区）{n['recoded']:,} 个；"
          f"经事件一对一连接 {n['event_1to1']} 个；边界调整后合并计算 {n['summed']} 组"
          f"（2010 年 {s.at['summed', 2010]} 个、2020 年 {s.at['summed', 2020]} 个单位）；"
          f"含单边单位（多为 2020 年功能区）的地级市整体比较 {n['prefecture_sum']} 个"
          f"（{s.at['prefecture_sum', 2010]} / {s.at['prefecture_sum', 2020]} 个单位）；"
          f"无法闭合而剔除 {n['dropped']} 组；未匹配 {s.at['unmatched', 2010]} / "
          f"{s.at['unmatched', 2020]} 个（巢湖所辖县、儋州、三亚新设区、兵团城市等，列出而不猜测）。")
    en = (f"{int(s[2010].sum()):,} county-level units in 2010 and {int(s[2020].sum()):,} in 2020: "
          f"{n['unchanged']:,} keep their code with no event; {n['recoded']:,} were only renamed or "
          f"recoded (撤县设市/设区); {n['event_1to1']} are linked one-to-one by an event; "
          f"{n['summed']} groups are compared as the sum of their parts ({s.at['summed', 2010]} units "
          f"of 2010, {s.at['summed', 2020]} of 2020); {n['prefecture_sum']} prefectures holding a "
          f"unit of one census only (mostly a 2020 development zone) are compared as a whole "
          f"({s.at['prefecture_sum', 2010]} / {s.at['prefecture_sum', 2020]} units); "
          f"{n['dropped']} groups are dropped (territory to or from a unit neither census holds); "
          f"{s.at['unmatched', 2010]} / {s.at['unmatched', 2020]} units are unmatched "
          f"(巢湖's counties, 儋州, 三亚's new districts, the corps "
          "cities of Xinjiang ...): listed, not guessed.")
    return zh, en


def position_reading(pos: dict) -> tuple[str, str]:
    en = (f"Yuhuan's residents changed by {pos['yuhuan']:.1f} log points ×100, its {pos['k']} nearest "
          f"coastal counties outside the YRD (on 2010 size, migrants, manufacturing, urban and "
          f"working-age shares) by {pos['matched_mean']:.1f}: a gap of {pos['gap']:.1f} (95% placebo "
          f"interval {pos['ci_low']:.1f} to {pos['ci_high']:.1f}; {pos['n_pool']} placebo counties, "
          f"p = {pos['p_value']:.2f}). A description, not a test.")
    zh = (f"玉环常住人口对数变化×100 为 {pos['yuhuan']:.1f}，其 {pos['k']} 个最近邻"
          "（长三角外沿海县与县级市，按 2010 年规模、外来人口、制造业、城镇化与劳动年龄人口占比匹配）为 "
          f"{pos['matched_mean']:.1f}：差距 {pos['gap']:.1f}"
          f"（95% 安慰剂区间 {pos['ci_low']:.1f} 至 {pos['ci_high']:.1f}，{pos['n_pool']} 个安慰剂县，"
          f"p = {pos['p_value']:.2f}）。此为描述，不是检验。")
    return zh, en


def test_reading(ev) -> tuple[str, str]:
    """The S2.g record in one paragraph (the record itself is shown in the S2 notebook)."""
    rows = "; ".join(f"{s['name']}: {s['estimate']:.1f} [{s['ci_low']:.1f}, {s['ci_high']:.1f}], "
                     f"p = {s['p_value']:.3f}" for s in ev.sensitivity)
    en = (f"**S2.g ({ev.verdict})** difference {ev.estimate:.1f} log points ×100, 95% interval "
          f"{ev.ci_low:.1f} to {ev.ci_high:.1f}, p = {ev.p_value:.3f}, n = {ev.n}. {ev.reason_en} "
          f"Robustness rows: {rows}.")
    from yrdlib import vocab

    zh = (f"**S2.g（{vocab.VERDICT_ZH.get(ev.verdict, ev.verdict)}）** 差值 {ev.estimate:.1f}"
          f"（对数×100），95% 区间 {ev.ci_low:.1f} 至 "
          f"{ev.ci_high:.1f}，p = {ev.p_value:.3f}，n = {ev.n}。{ev.reason_zh}")
    return zh, en
