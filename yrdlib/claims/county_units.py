"""County-level units of the 2010 and 2020 censuses and their matching across the decade (steps 1
and 2 of :mod:`yrdlib.claims.county`, which re-exports everything here): :func:`census_units`
reads one census extract; :func:`comparable_units` matches the units through their codes and the
county events of 2010-2021, listing what it cannot compare."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from yrdlib import config, groups, memo, regions
from yrdlib.data.clean import read_raw
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

    changed = {c for c, _ in regions.boundary_breaks()}
    changed |= set(regions.crosswalk().query("kind == 'abolished'")["old_code"])
    return frozenset(changed)


COMPARABLE = ("unchanged", "recoded", "event_1to1", "summed", "prefecture_sum")


@cache
def _prefecture_key(prefecture: str) -> str:
    """The prefecture a unit belongs to, across code changes (毕节地区 522400 -> 毕节市 520500);
    '' where a whole-prefecture comparison is not valid: units directly under a province
    (xx90xx), and prefectures whose territory changed (巢湖 abolished 2011 and its absorbers
    合肥/芜湖/马鞍山, 莱芜 merged into 济南 2019, both sides of a county moved between prefectures:
    安庆/铜陵, 六安/淮南, 资阳/成都, 四平/长春; data/raw/admin_codes/code_crosswalk.csv)."""
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
