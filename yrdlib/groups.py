"""Groups of cities and treatment definitions shared by the claim notebooks: city clusters by
their plans, YRD groupings, comparison groups for a focus city, and the treatment year of each
city under a stated definition. Sources: data/raw/yrd_reference (city_clusters.csv,
yrd_groupings.csv, yrd_membership.csv), each row with its source URL.

Whole/part membership is kept: a cluster that takes only part of a prefecture is listed with
`whole=False`, and callers decide (and say) whether to include such cities.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from yrdlib import cluster_plans, config, regions
from yrdlib.errors import DataError

TREATMENTS = {
    "association": "Year the city joined the YRD City Economic Coordination Association "
                   "(长三角城市经济协调会)",
    "plan2010": "Listed in the 2010 Regional Plan of the YRD (《长江三角洲地区区域规划》, 16 core cities)",
    "plan2016": "Listed in the 2016 YRD City-Cluster Plan (《长江三角洲城市群发展规划》, 26 cities)",
    "outline2019": "Central area of the 2019 Outline (《长江三角洲区域一体化发展规划纲要》, 27 cities)",
}
PLAN_YEARS = {"plan2010": 2010, "plan2016": 2016, "outline2019": 2019}
FOUNDING_YEAR = 1997

# The Ningbo metropolitan area (宁波都市圈: 宁波, 舟山, 台州), as the article names it: one of the five
# metropolitan areas listed in the 2016 city-cluster plan (《长江三角洲城市群发展规划》, 2016).
MIN_COVERAGE = 0.75
"""A statistic over a group of cities (median, rank, percentile) is computed only in years in
which at least this share of the group reports; otherwise it would move with which cities report,
not with their values (the YRD-41 resident population: 41 cities in 2000, 6 in 2002; comparable
FDI/GDP: 41 in 2021, 25 in 2022 after Anhui's reporting-basis change)."""


def covered(n, size: int | None = None, min_coverage: float = MIN_COVERAGE):
    """Whether ``n`` cities reporting (a count, or a year-indexed Series of counts) is enough
    (:data:`MIN_COVERAGE`): ``n`` ≥ min_coverage × ``size`` (the group's size), or, for a Series
    without a size (a group listing units that never report an indicator, e.g. abolished
    prefectures), × the best-covered year's n."""
    if size is None:
        if not isinstance(n, pd.Series):
            raise ValueError("a single count needs the group's size")
        size = n.max() if len(n) else 0
    return n >= min_coverage * size


NINGBO_METRO = ("330200", "330900", "331000")
INNOVATION_HUBS = ("310000", "340100", "330100", "320100", "320500")  # 上海 合肥 杭州 南京 苏州


@dataclass(frozen=True)
class Member:
    code: str
    whole: bool
    note: str
    source_url: str


def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(config.RAW / "yrd_reference" / name, dtype=str, keep_default_na=False)


def _resolve_member(city: str, province: str) -> str | None:
    name = re.sub(r"\s*[(（].*$", "", city).strip()
    prov = regions._province_short(province) if province else ""
    for q in ([f"{name}, {prov}"] if prov else []) + [name]:
        try:
            r = regions.resolve(q)
        except regions.RegionError:
            continue
        return r.code if r.level in ("prefecture", "municipality") else None
    return None


@lru_cache(maxsize=1)
def clusters() -> dict[str, list[Member]]:
    """City clusters (城市群) by plan: cluster name (Chinese) -> members. Hong Kong and Macao and
    county-level members are not prefecture units and are left out (listed in `unplaced`)."""
    df = _read("city_clusters.csv")
    out: dict[str, list[Member]] = {}
    for _, r in df.iterrows():
        code = _resolve_member(r["city_zh"], r["province_zh"])
        if code is None:
            unplaced().append((r["cluster_zh"], r["city_zh"]))
            continue
        whole = not re.match(r"\s*part", r["whole_or_part"], re.I)
        out.setdefault(r["cluster_zh"], []).append(
            Member(code, whole, r["whole_or_part"], r["source_url"]))
    return out


@lru_cache(maxsize=1)
def unplaced() -> list[tuple[str, str]]:
    return []


def cluster_codes(name: str, whole_only: bool = False) -> list[str]:
    members = clusters()[name]
    return sorted({m.code for m in members if m.whole or not whole_only})


@lru_cache(maxsize=1)
def groupings() -> dict[str, list[Member]]:
    """YRD groupings (metropolitan areas, Hangzhou Bay area, G60 corridor, science centres, NIDZ)."""
    df = _read("yrd_groupings.csv")
    out: dict[str, list[Member]] = {}
    for _, r in df.iterrows():
        code = _resolve_member(r["city_zh"], r["province_zh"])
        if code is None:
            continue
        whole = not re.search(r"part|district|county|\(.*区", r["role"] + r["city_zh"], re.I)
        out.setdefault(r["grouping_zh"], []).append(Member(code, whole, r["role"], r["source_url"]))
    return out


def grouping_codes(name_prefix: str) -> list[str]:
    """Codes of the first grouping whose Chinese name starts with `name_prefix` (e.g. 环杭州湾)."""
    for k, v in groupings().items():
        if k.startswith(name_prefix):
            return sorted({m.code for m in v})
    raise KeyError(f"no grouping starting with {name_prefix!r}; known: {list(groupings())}")


def prefectures(active_in: int | None = None) -> list[str]:
    """All prefecture-level units (incl. municipalities), optionally those existing in a year."""
    ref = regions.reference()
    ref = ref[ref["level"].isin(["prefecture", "municipality"])]
    if active_in is not None:
        ref = ref[ref["valid_to"].isna() | (ref["valid_to"] >= active_in)]
    return sorted(ref.index)


# ------------------------------------------------------------------ city-cluster plans as treatments

PLAN_PREFIX = "plan:"
"""A treatment "listed in city-cluster plan X" is the definition ``plan:<cluster_zh>``
(:func:`plan_treatment`): the first treated year follows the plan's cited approval date."""
DEFAULT_CLUSTER = "长江三角洲城市群"
CLUSTER_ALIASES = {"长三角": "长江三角洲城市群", "yrd": "长江三角洲城市群",
                   "粤港澳": "粤港澳大湾区(珠三角九市+港澳)", "珠三角": "粤港澳大湾区(珠三角九市+港澳)",
                   "gba": "粤港澳大湾区(珠三角九市+港澳)", "兰西": "兰州—西宁城市群"}


def short_name(cluster_zh: str) -> str:
    """成渝城市群 -> 成渝, 粤港澳大湾区(珠三角九市+港澳) -> 粤港澳大湾区 (the run-file spelling)."""
    s = re.sub(r"[(（].*$", "", cluster_zh).strip()
    s = s[:-3] if s.endswith("城市群") else s
    return "长三角" if s == "长江三角洲" else s


def cluster_names() -> list[str]:
    """Every cluster of the membership table, by its Chinese name (table order)."""
    return list(clusters())


def resolve_cluster(name: str) -> str:
    """A cluster's full Chinese name from its full or short Chinese name (成渝城市群, 成渝), an
    alias (长三角) or its English name (case-insensitive). Unknown: ValueError listing the
    accepted short names."""
    key = str(name).strip()
    names = cluster_names()
    if key in names:
        return key
    if key in CLUSTER_ALIASES or key.lower() in CLUSTER_ALIASES:
        return CLUSTER_ALIASES.get(key) or CLUSTER_ALIASES[key.lower()]
    by_short = {short_name(n): n for n in names}
    if key in by_short:
        return by_short[key]
    en = {cluster_plans.plans().set_index("cluster_zh").loc[n, "cluster_en"].lower(): n
          for n in names}
    if key.lower() in en:
        return en[key.lower()]
    raise ValueError(f"unknown city cluster {name!r}; choose one of "
                     + "|".join(short_name(n) for n in names))


def cluster_en(cluster: str) -> str:
    """A cluster's English name as its plan row gives it."""
    return str(cluster_plans.plans().set_index("cluster_zh").loc[resolve_cluster(cluster),
                                                                   "cluster_en"])


def plan_treatment(cluster: str) -> str:
    """The treatment definition "listed in ``cluster``'s plan" (``plan:<cluster_zh>``)."""
    return PLAN_PREFIX + resolve_cluster(cluster)


def is_plan_treatment(definition: str | None) -> bool:
    return bool(definition) and str(definition).startswith(PLAN_PREFIX)


def plan_of(definition: str) -> str:
    """The cluster of a ``plan:`` treatment, checked."""
    return resolve_cluster(definition[len(PLAN_PREFIX):])


def plan_design_gap(cluster: str) -> tuple[str, str] | None:
    """(zh, en) why a cluster's plan cannot define a treatment (no central approval date in
    the cited sources), else None."""
    p = cluster_plans.plans().set_index("cluster_zh").loc[resolve_cluster(cluster)]
    if p["national"] and not pd.isna(p["approval_date"]):
        return None
    note = str(p["source_note"]).split(";")[0].replace("gap: ", "")
    return (f"{short_name(p.name)}城市群的规划没有经中央批复的日期（所引来源中没有），无法定义“列入规划”的"
            "处理年份。",
            f"The {p['cluster_en']} has no centrally approved plan date in the cited sources "
            f"({note}), so 'listed in its plan' has no treatment year.")


def plan_assignment(timing: str = "first_full_year") -> pd.DataFrame:
    """One row per placed member city (index: panel code): ``plan`` (the cluster whose approval
    came first among the national plans listing it; empty when only non-national plans list
    it), ``approval_date``, ``treat_year`` (NaN: no national plan), ``partial`` (that plan
    lists only part of the city), ``plans`` (every cluster listing it) and ``n_plans``.

    Stated rules: the earliest central approval sets a city's plan and year (邯郸, 邢台:
    京津冀 before 中原; 运城: 中原 before 关中平原); a city only in provincial or unapproved plans
    has no plan; a partial listing ("part of" a city) treats the city and is flagged."""
    return _plan_assignment(timing).copy()


@lru_cache(maxsize=4)
def _plan_assignment(timing: str) -> pd.DataFrame:
    p = cluster_plans.plans().set_index("cluster_zh")
    rows: dict[str, list] = {}
    for name, members in clusters().items():
        if name not in p.index:
            raise DataError(cluster_plans.PLANS_FILE.name,
                            f"cluster {name!r} of city_clusters.csv has no plan row")
        for m in members:
            rows.setdefault(m.code, []).append((name, m.whole))
    out = []
    for code, lst in rows.items():
        nat = [(p.loc[n, "approval_date"], n, w) for n, w in lst
               if p.loc[n, "national"] and not pd.isna(p.loc[n, "approval_date"])]
        nat.sort()
        first = nat[0] if nat else (pd.NaT, "", True)
        out.append({"region_code": code, "plan": first[1], "approval_date": first[0],
                    "treat_year": cluster_plans.cohort_year(first[0], timing),
                    "partial": not first[2],
                    "plans": "; ".join(sorted({n for n, _ in lst})), "n_plans": len(lst)})
    return pd.DataFrame(out).set_index("region_code").sort_index()


def cluster_members(cluster: str, whole_only: bool = False) -> list[str]:
    """Panel codes of a cluster's member cities (every city its plan lists, wherever else it is
    listed): the group a focus city of that cluster is compared with."""
    return cluster_codes(resolve_cluster(cluster), whole_only)


TIMINGS = {
    "first_full_year": "treated from the first calendar year of full membership (the year after "
                       "joining: the 2019 cohort joined on 15 October 2019, so 2020)",
    "join_year": "treated from the year of joining, however late in the year",
    "half_year": "treated in the year of joining if the date is on or before 30 June, else from "
                 "the next year (needs the day: cohorts whose sources give only the year are refused)",
}
DEFAULT_TIMING = "first_full_year"


def cohort_dates() -> pd.DataFrame:
    """data/raw/yrd_reference/cohort_dates.csv: each association cohort's joining date as the
    sources give it (day or year only)."""
    return _read("cohort_dates.csv")


def _shift_for_timing(years: pd.Series, definition: str, timing: str) -> pd.Series:
    if timing not in TIMINGS:
        raise ValueError(f"unknown timing {timing!r}; choose one of {sorted(TIMINGS)}")
    if timing == "join_year":
        return years
    if timing == "first_full_year":
        # no cohort joined on 1 January, so the first full year is always the next one
        return years + 1
    if definition != "association":
        raise ValueError("timing 'half_year' needs joining dates, which exist only for the "
                         "association cohorts")
    d = cohort_dates()
    d = d[d["treatment"] == "association"]
    shift = {}
    for _, r in d.iterrows():
        if r["date_precision"] != "day":
            shift[int(r["cohort_year"])] = None
        else:
            shift[int(r["cohort_year"])] = 0 if str(r["date"])[5:] <= "06-30" else 1
    cohorts = sorted({int(y) for y in years.dropna()})
    unknown = [c for c in cohorts if shift.get(c) is None and c != FOUNDING_YEAR]
    if unknown:
        raise ValueError(f"timing 'half_year': the sources give no day for cohort(s) "
                         f"{', '.join(map(str, unknown))}; use 'first_full_year' or 'join_year'")
    return years + years.map(lambda y: shift.get(int(y)) or 0 if pd.notna(y) else 0)


def treatment_years(definition: str = "association", timing: str = "join_year") -> pd.Series:
    """region_code -> year of treatment (NaN = never treated) for every prefecture. ``timing``
    turns a joining date into the first treated year (:data:`TIMINGS`; the DiD uses
    :data:`DEFAULT_TIMING`, the first full year)."""
    if is_plan_treatment(definition):
        cluster = plan_of(definition)
        gap = plan_design_gap(cluster)
        if gap:
            raise ValueError(gap[1])
        a = plan_assignment(timing)
        years = a["treat_year"].where(a["plan"] == cluster)
        return years.reindex(prefectures()).astype(float).rename("treat_year")
    if definition not in TREATMENTS:
        raise ValueError(f"unknown treatment {definition!r}; choose one of {sorted(TREATMENTS)} "
                         f"or {PLAN_PREFIX}<city cluster>")
    ref = regions.reference().loc[prefectures()]
    if definition == "association":
        years = ref["yrd_join_year"].astype("Float64")
    else:
        flag = {"plan2010": "in_plan2010", "plan2016": "in_plan2016",
                "outline2019": "in_outline2019"}[definition]
        years = pd.Series(np.where(ref[flag], PLAN_YEARS[definition], np.nan), index=ref.index)
    years = years.astype(float)
    if definition == "association":
        founders = years == FOUNDING_YEAR  # founders stay at 1997: always treated in the panel
        shifted = _shift_for_timing(years, definition, timing)
        years = shifted.where(~founders, years)
    else:
        years = _shift_for_timing(years, definition, timing)
    return years.rename("treat_year")


def comparison_groups(focus: str) -> dict[str, list[str]]:
    """Named comparison groups for a focus city: YRD 41, YRD core (2010 plan, 16), the focus
    city's province, all prefectures, and the Ningbo metropolitan area (2016 city-cluster plan)."""
    f = regions.resolve(focus)
    ref = regions.reference()
    pref = prefectures()
    prov = f.province_code[:2]
    return {
        "yrd41": regions.yrd41(),
        "yrd_core16": sorted(ref.index[ref["in_plan2010"]]),
        "yrd_cluster26": sorted(ref.index[ref["in_plan2016"]]),
        "province": [c for c in pref if c[:2] == prov],
        "national": pref,
        "ningbo_metro": list(NINGBO_METRO),
    }


GROUP_LABELS = {
    "yrd41": ("长三角41城", "YRD 41 cities"),
    "yrd_core16": ("长三角核心16城(2010规划)", "YRD core 16 (2010 plan)"),
    "yrd_cluster26": ("长三角城市群26城(2016规划)", "YRD city cluster 26 (2016 plan)"),
    "province": ("本省地级市", "Prefectures of the province"),
    "national": ("全国地级市", "All prefectures"),
    "ningbo_metro": ("宁波都市圈(2016城市群规划)", "Ningbo metropolitan area (2016 city-cluster plan)"),
}


def focus_status(focus: str, definition: str = "association", first_year: int = 2000,
                 min_pre: int = 5) -> dict:
    """What the DiD question means for this focus city: treated when, how many pre-treatment
    years the data give, founding member or never treated. Text in both languages."""
    f = regions.resolve(focus)
    if f.level == "county":
        parent = regions.resolve(f.parent_code)
        return {"code": f.code, "treat_year": None, "kind": "county",
                "en": f"{f.label} is a county: the city-year panel has no series for it; its "
                      f"prefecture {parent.label} ({parent.code}) stands in for the DiD.",
                "zh": f"{f.short_zh}是县级单位，地级市面板没有其序列；双重差分以所属地级市"
                      f"{parent.short_zh}({parent.code})代替。", "proxy": parent.code}
    ty = treatment_years(definition).get(f.code, np.nan)
    if np.isnan(ty):
        return {"code": f.code, "treat_year": None, "kind": "never",
                "en": f"{f.label} was never treated under '{definition}': it is a control city, and "
                      "the question becomes how it compares with the treated cities.",
                "zh": f"按“{definition}”口径，{f.short_zh}从未加入：它是对照城市。"}
    ty = int(ty)
    pre = ty - first_year
    if definition == "association" and ty == FOUNDING_YEAR:
        kind = "founding"
        en = (f"{f.label} is a founding member (1997): the panel (from {first_year}) has no "
              "pre-treatment year, so its own effect cannot be estimated; the DiD estimates the "
              "effect for the later cohorts, and the focus city is described, not tested.")
        zh = (f"{f.short_zh}是1997年创始成员：面板从{first_year}年开始，没有加入前的年份，无法估计其"
              "自身的效应；双重差分估计的是后来加入城市的效应。")
    elif pre < min_pre:
        kind = "short_pre"
        en = (f"{f.label} joined in {ty}: only {max(pre, 0)} pre-treatment year(s) in the data "
              f"(from {first_year}); its own event-time path has fewer leads than the event "
              f"study's {min_pre}, so its own pre-trend is thinly tested; the pooled estimate "
              "rests on the other cohorts.")
        zh = f"{f.short_zh}于{ty}年加入：数据中加入前仅{max(pre, 0)}年，无法检验其自身的事前趋势。"
    else:
        kind = "treated"
        en = f"{f.label} joined in {ty}, with {pre} pre-treatment years in the data."
        zh = f"{f.short_zh}于{ty}年加入，数据中有{pre}个加入前年份。"
    return {"code": f.code, "treat_year": ty, "kind": kind, "en": en, "zh": zh}


def did_sample(values: pd.DataFrame, definition: str = "association", years=(2000, 2023),
               drop_years=(), exclude_always_treated: bool = True,
               timing: str = DEFAULT_TIMING) -> pd.DataFrame:
    """A DiD sample from a wide frame (index region_code, year): prefectures only, the treatment
    year column `treat_year` (NaN never), cities treated before the first year (always treated:
    the 1997 founders) dropped with a note in `.attrs['notes']`."""
    df = values.reset_index()
    df = df[df["region_code"].isin(prefectures()) & df["year"].between(*years)]
    df = df[~df["year"].isin(list(drop_years))]
    ty = treatment_years(definition, timing)
    df["treat_year"] = df["region_code"].map(ty)
    notes = []
    if is_plan_treatment(definition):
        df, plan_notes = _censor_other_plans(df, plan_of(definition), timing)
        notes += plan_notes
    if exclude_always_treated:
        always = df["treat_year"] <= years[0]
        n = df.loc[always, "region_code"].nunique()
        if n:
            notes.append(f"{n} cities treated in or before {years[0]} (no pre-period) dropped")
        df = df[~always]
    df = df.reset_index(drop=True)
    df.attrs["notes"] = notes
    return df


PLAN_MIN_TREATED = 3  # a cluster's own design needs this many treated cities in the sample
PLAN_MIN_PRE = 3  # ... this many untreated years before the cohort (median over its cities)
PLAN_MIN_POST = 1  # ... and a treated year inside the window


def plan_design_infeasible(d: pd.DataFrame, cluster: str) -> tuple[str, str] | None:
    """(zh, en) why a ``plan:`` DiD sample cannot estimate the cluster's effect (too few treated
    cities with data, too few years before the cohort, no treated year in the window), else
    None. The same thresholds give the cross-cluster report its per-cluster rows."""
    name, en = display_names(cluster)
    tr = d[d["treat_year"].notna()]
    n = tr["region_code"].nunique()
    if n < PLAN_MIN_TREATED:
        return (f"样本中列入{name}规划且有数据的城市只有 {n} 个"
                f"（少于 {PLAN_MIN_TREATED} 个），无法估计。",
                f"Only {n} cities listed in the {en} plan have data in the sample (fewer than "
                f"{PLAN_MIN_TREATED}): nothing to estimate.")
    pre = tr[tr["year"] < tr["treat_year"]].groupby("region_code").size().median()
    if not pre >= PLAN_MIN_PRE:
        return (f"{name}规划生效前，样本中只有 {pre:g} 年数据"
                f"（中位数，少于 {PLAN_MIN_PRE} 年），无法检验。",
                f"The sample has only {pre:g} years before the {en} plan (median over its cities, "
                f"fewer than {PLAN_MIN_PRE}).")
    post = (tr["year"] >= tr["treat_year"]).sum()
    if post < PLAN_MIN_POST:
        return (f"样本期内没有{name}规划生效后的年份。",
                f"The window has no year after the {en} plan took effect.")
    return None


def _censor_other_plans(df: pd.DataFrame, cluster: str, timing: str):
    """The sample of a ``plan:`` treatment: cities first listed by ANOTHER centrally approved
    plan are controls only until their own plan's first treated year (their later years leave
    the sample, so no treated cell of another plan is read as untreated); cities listed only in
    plans without a central approval are neither treated nor clean controls and leave it."""
    a = plan_assignment(timing)
    other = a[(a["plan"] != cluster) & (a["plan"] != "")]["treat_year"]
    non_national = set(a.index[a["plan"] == ""])
    cut = df["region_code"].map(other)
    censored = cut.notna() & (df["year"] >= cut)
    dropped = df["region_code"].isin(non_national)
    notes = []
    n_other = df.loc[cut.notna(), "region_code"].nunique()
    if n_other:
        notes.append(f"{n_other} cities of other city-cluster plans kept as controls only before "
                     f"their own plan's first treated year ({int(censored.sum())} city-years left out)")
    if dropped.any():
        notes.append(f"{df.loc[dropped, 'region_code'].nunique()} cities listed only in plans "
                     "without a central approval left out")
    return df[~censored & ~dropped], notes


TREATMENT_PHRASE = {
    "association": ("加入长三角协调会", "Joining the YRD coordination association"),
    "plan2010": ("列入 2010 年长三角区域规划", "Being listed in the 2010 YRD Regional Plan"),
    "plan2016": ("列入 2016 年长三角城市群规划", "Being listed in the 2016 YRD city-cluster plan"),
    "outline2019": ("列入 2019 年一体化规划纲要中心区",
                    "Being in the central area of the 2019 integration Outline"),
}
"""How a title names the treatment (:data:`TREATMENTS`), in both languages."""
_GENERIC = (("加入长三角协调会", "加入长三角"),
            ("Joining the YRD coordination association", "Joining the YRD"))


def treatment_phrase(definition: str) -> tuple[str, str]:
    """How a title names the treatment, in both languages (``plan:成渝城市群``: 列入《成渝城市群发展
    规划》 / Being listed in the Chengdu-Chongqing city cluster plan)."""
    if is_plan_treatment(definition):
        p = cluster_plans.plans().set_index("cluster_zh").loc[plan_of(definition)]
        title = p["plan_title"] or p.name + "规划"
        return f"列入《{title}》", f"Being listed in the {p['cluster_en']} plan"
    if definition not in TREATMENT_PHRASE:
        raise ValueError(f"unknown treatment {definition!r}; choose one of {sorted(TREATMENTS)}")
    return TREATMENT_PHRASE[definition]


def treatment_title(title_zh: str, title_en: str, definition: str) -> tuple[str, str]:
    """A title whose 'joining the YRD (coordination association)' follows the treatment actually
    used (plan2016: 'Being listed in the 2016 YRD city-cluster plan …')."""
    zh, en = treatment_phrase(definition)
    for old in _GENERIC[0]:
        if old in title_zh:
            title_zh = title_zh.replace(old, zh, 1)
            break
    for old in _GENERIC[1]:
        if old in title_en:
            title_en = title_en.replace(old, en, 1)
            break
    return title_zh, title_en


def display_names(cluster: str) -> tuple[str, str]:
    """(zh, en) of a cluster without the parenthesised detail: 成渝城市群 / Chengdu-Chongqing city
    cluster; 粤港澳大湾区 / Guangdong-Hong Kong-Macao Greater Bay Area."""
    name = resolve_cluster(cluster)
    strip = lambda s: re.sub(r"\s*[(（].*$", "", str(s)).strip()  # noqa: E731
    return strip(name), strip(cluster_en(name))


def cluster_title(title_zh: str, title_en: str, cluster: str) -> tuple[str, str]:
    """A registry title written for the YRD, read for another city cluster: "joining the YRD"
    follows the plan treatment (:func:`treatment_title`), "joining" alone and "the 2016
    city-cluster plan" become the cluster's plan, any other "YRD / 长三角" names the cluster, and
    a title naming no cluster gets its name after it (成渝: 长三角内部的收敛快于非成员 ->
    成渝城市群内部的收敛快于非成员). The YRD keeps the title."""
    full = resolve_cluster(cluster)
    if full == DEFAULT_CLUSTER:
        return title_zh, title_en
    treatment = plan_treatment(full)
    t_zh, t_en = treatment_title(title_zh, title_en, treatment)
    p_zh, p_en = treatment_phrase(treatment)
    zh, en = display_names(full)
    plan_zh, plan_en = p_zh.removeprefix("列入"), p_en.removeprefix("Being listed in ")
    for old, new in (("2016 年城市群规划列名后", f"{plan_zh}列名后"), ("自身加入后", f"自身{p_zh}后"),
                     ("长三角", zh)):
        t_zh = t_zh.replace(old, new)
    for old, new in (("the 2016 city-cluster plan", plan_en),
                     ("effect of joining", f"effect of being listed in {plan_en}"),
                     ("the YRD cities", f"the cities of the {en}"),
                     ("YRD city sizes", f"City sizes in the {en}"), ("The YRD", f"The {en}"),
                     ("the YRD", f"the {en}"), ("YRD", en)):
        t_en = t_en.replace(old, new)
    if short_name(full) not in t_zh:  # a title about "the focus city" alone: say which cluster
        t_zh += f"（{zh}）"
    if en.split(" city cluster")[0] not in t_en:
        t_en += f" ({en})"
    return t_zh, t_en


def retitle(ev, definition: str):
    """Set an evidence record's titles to follow the treatment (see :func:`treatment_title`)."""
    ev.title_zh, ev.title_en = treatment_title(ev.title_zh, ev.title_en, definition)
    return ev
