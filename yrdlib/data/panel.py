"""Read access to the processed panel for notebooks and methods. Builds it first if it is missing
or stale, so a notebook opened in JupyterLab on a fresh clone just works."""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from yrdlib import config, regions
from yrdlib.data import build as _build
from yrdlib.data import indicators
from yrdlib.frames import AttrFrame


def ensure_built() -> None:
    import os

    expected = os.environ.get(_build.ENV_DATA_HASH)
    if expected:  # a kernel under `yrd run`: the data the runner verified, never a rebuild
        _build.verify_for_kernel(expected)
        return
    if not _build.up_to_date():  # JupyterLab convenience: build on first use
        _build.build()


@lru_cache(maxsize=2)
def _load(key: str) -> pd.DataFrame:
    return pd.read_parquet(config.PROCESSED / "panel.parquet")


def load_panel() -> pd.DataFrame:
    """The tidy long panel: region_code, year, indicator, value, unit, source, source_row, flag."""
    ensure_built()
    m = _build.read_manifest()
    return _load(m["inputs_key"]).copy()


def table(name: str) -> pd.DataFrame:
    """Another processed table: regions, indicators, dropped_rows, corrections, review_spikes,
    points, breaks (detected, with decision), breaks_excluded (what the decisions take out)."""
    ensure_built()
    return pd.read_csv(config.PROCESSED / f"{name}.csv", dtype={"region_code": str, "code": str,
                                                               "parent_code": str, "scope": str})


def manifest() -> dict:
    ensure_built()
    return _build.read_manifest()


def year_range() -> tuple[int, int]:
    m = manifest()
    lo, hi = m["years"]
    return int(lo), int(hi)


NOT_COMPARABLE = ("earlier_basis", "repeated_value", "series_break", "series_end")


class Excluded(AttrFrame):
    """The table in `wide(...).attrs["excluded"]` (an :class:`~yrdlib.frames.AttrFrame`: pandas
    compares the attrs of the frames it concatenates)."""


EXCLUDED_COLUMNS = ["region_code", "year", "indicator", "flag", "reason"]


def wide(indicator_keys: list[str] | str, regions_: list[str] | None = None,
         years: tuple[int, int] | None = None, flags: bool = False,
         comparable: bool = True) -> pd.DataFrame:
    """region_code × year rows, one column per indicator. With flags=True, a `<key>_flag` column
    beside each. Gaps stay NaN: nothing is filled here.

    comparable=True (default): values that a decision of data/raw/breaks/breaks.csv takes out of
    the comparable series (flag earlier_basis: before a basis change whose later values are the
    current basis; series_break / series_end: from a break on; repeated_value: a compiler fill)
    are NaN, and
    `.attrs["excluded"]` lists them (region_code, year, indicator, flag, reason) for the sample
    note (`sample_note`). comparable=False returns them (a sensitivity row); `.attrs["excluded"]`
    is then empty."""
    keys = [indicator_keys] if isinstance(indicator_keys, str) else list(indicator_keys)
    for k in keys:
        indicators.get(k)
    p = load_panel()
    p = p[p["indicator"].isin(keys)]
    if regions_ is not None:
        p = p[p["region_code"].isin([regions.resolve(r).code for r in regions_])]
    if years is not None:
        p = p[p["year"].between(*years)]
    w = p.pivot_table(index=["region_code", "year"], columns="indicator", values="value",
                      aggfunc="first").reindex(columns=keys)
    excluded = pd.DataFrame(columns=EXCLUDED_COLUMNS)
    if comparable:
        excluded = not_comparable(p, until=years[1] if years is not None else None)
        if len(excluded):
            for k, g in excluded.groupby("indicator"):
                idx = pd.MultiIndex.from_arrays([g["region_code"], g["year"]])
                w.loc[w.index.isin(idx), k] = float("nan")
    if flags:
        f = p.pivot_table(index=["region_code", "year"], columns="indicator", values="flag",
                          aggfunc="first").reindex(index=w.index, columns=keys).fillna("")
        for k in keys:
            w[f"{k}_flag"] = f[k]
    w.columns.name = None
    w.attrs["excluded"] = Excluded(excluded)
    return w


def not_comparable(p: pd.DataFrame, until: int | None = None) -> pd.DataFrame:
    """The rows of a long panel ``p`` that a decision of data/raw/breaks/breaks.csv takes out of
    the comparable series (region_code, year, indicator, flag, reason): what
    ``wide(comparable=True)`` blanks, for code that works on the long panel.

    The latest basis is that of the window: a value flagged earlier_basis is left out only if its
    break year is at most ``until`` (default: the last year in ``p``). A study of 2008-2020 reads
    台州's road area of those years (its basis then); one that reaches 2022 reads the new basis
    and leaves the earlier levels out."""
    hit = p["flag"].fillna("").str.contains("|".join(NOT_COMPARABLE), regex=True)
    if not hit.any():
        return pd.DataFrame(columns=EXCLUDED_COLUMNS)
    x = p.loc[hit, ["region_code", "year", "indicator", "flag"]].copy()
    x["flag"] = x["flag"].map(lambda f: next(t for t in f.split(";") if t in NOT_COMPARABLE))
    x = x.merge(_reasons(), on=["region_code", "indicator", "flag"], how="left")
    x = x[(x["year"] >= x["from_year"].fillna(0)) & (x["year"] <= x["to_year"].fillna(9999))]
    until = int(p["year"].max()) if until is None else int(until)
    x = x[(x["flag"] != "earlier_basis") | (x["to_year"].fillna(-1) + 1 <= until)]
    # two decisions of one flag over a year: the first range (breaks.exclusions orders them)
    x = x.drop_duplicates(["region_code", "year", "indicator"])
    return x[EXCLUDED_COLUMNS].sort_values(["indicator", "region_code", "year"]).reset_index(
        drop=True)


def comparable(p: pd.DataFrame) -> pd.DataFrame:
    """The long panel ``p`` without its :func:`not_comparable` rows."""
    x = not_comparable(p)
    if x.empty:
        return p
    key = pd.MultiIndex.from_frame(x[["region_code", "year", "indicator"]])
    return p[~pd.MultiIndex.from_frame(p[["region_code", "year", "indicator"]]).isin(key)]


def _reasons() -> pd.DataFrame:
    t = table("breaks_excluded")
    return t[["region_code", "indicator", "flag", "from_year", "to_year", "reason"]]


def boundary_affected(first_year: int | None = None, last_year: int | None = None) -> pd.DataFrame:
    """City-years whose levels straddle a boundary change (units that absorbed an abolished one:
    合肥/芜湖/马鞍山 from 2011, 济南 from 2019): region_code, year, break_year, one row per year
    before the change in [first_year, last_year] (default: the panel's years). A method that uses
    levels across the change drops these rows (the territory before differs from the one after),
    or reports a robustness row without the affected cities."""
    lo, hi = year_range()
    lo, hi = first_year or lo, last_year or hi
    rows = [dict(region_code=c, year=y, break_year=b) for c, b in sorted(regions.boundary_breaks())
            for y in range(lo, min(b, hi + 1))]
    return pd.DataFrame(rows, columns=["region_code", "year", "break_year"])


_KIND = {"series_break": ("统计口径变化（序列断点）", "reporting-basis change (series break)"),
         "series_end": ("可比序列终止", "comparable series ended"),
         "earlier_basis": ("口径变化前的水平，保留现行口径", "levels before a basis change; the "
                           "current basis is kept"),
         "repeated_value": ("与上年完全相同的重复值（编者填补）", "value repeating the year before "
                            "exactly (compiler fill)")}


def sample_note(excluded: pd.DataFrame) -> dict:
    """What `wide(comparable=True)` left out, in both languages: {zh, en, n (city-years),
    provinces (Chinese names, sorted), indicators}."""
    if excluded is None or len(excluded) == 0:
        return dict(zh="未剔除任何不可比的城市-年份。", en="No city-years were left out as not "
                    "comparable.", n=0, provinces=[], indicators=[])
    ref = regions.reference()
    pzh = dict(zip(ref["province_code"], ref["province_zh"]))
    pen = dict(zip(ref["province_code"], ref["province_en"]))
    prov = excluded["region_code"].str[:2] + "0000"
    n = int(excluded[["region_code", "year"]].drop_duplicates().shape[0])
    provinces = sorted({pzh.get(c) or c for c in prov})
    provinces_en = sorted({pen.get(c) or c for c in prov})
    inds = sorted(excluded["indicator"].unique())
    why_zh, why_en = [], []
    for (ind, flag), g in excluded.groupby(["indicator", "flag"]):
        zh_kind, en_kind = _KIND[flag]
        gp = g["region_code"].str[:2] + "0000"
        k = g[["region_code", "year"]].drop_duplicates().shape[0]
        if flag == "earlier_basis":  # the latest break year of each province (from the reason)
            brk = g["reason"].str.extract(r"^\S+ \d{6} (\d{4}):")[0].astype(float)
            last = g.assign(p=gp, b=brk.fillna(g["year"] + 1)).groupby("p")["b"].max().sort_index()
            zh_w = [f"{pzh.get(c) or c}{int(y)}年以前" for c, y in last.items()]
            en_w = [f"{pen.get(c) or c} before {int(y)}" for c, y in last.items()]
        elif flag == "repeated_value":
            cnt = g.assign(p=gp).groupby("p").size().sort_index()
            zh_w = [f"{pzh.get(c) or c}{v}个" for c, v in cnt.items()]
            en_w = [f"{pen.get(c) or c} {v}" for c, v in cnt.items()]
        else:
            first = g.assign(p=gp).groupby("p")["year"].min().sort_index()
            zh_w = [f"{pzh.get(c) or c}自{y}年" for c, y in first.items()]
            en_w = [f"{pen.get(c) or c} from {y}" for c, y in first.items()]
        why_zh.append(f"{indicators.get(ind).label_zh}（{zh_kind}，{k}个城市-年份）：" + "、".join(zh_w))
        why_en.append(f"{indicators.get(ind).label_en} ({en_kind}, {k} city-years): "
                      + ", ".join(en_w))
    zh = (f"剔除{n}个不可比的城市-年份（{len(provinces)}个省级单位：{'、'.join(provinces)}）。"
          + "；".join(why_zh) + "。依据见 data/raw/breaks/breaks.csv。")
    en = (f"{n} city-years left out as not comparable ({len(provinces)} provinces: "
          f"{', '.join(provinces_en)}). " + "; ".join(why_en)
          + ". Decisions and evidence: data/raw/breaks/breaks.csv.")
    return dict(zh=zh, en=en, n=n, provinces=provinces, indicators=inds)


def series(region: str, indicator_keys: list[str] | None = None) -> pd.DataFrame:
    """One region's series, years × indicators (all indicators with data if none given)."""
    code = regions.resolve(region).code
    p = load_panel()
    p = p[p["region_code"] == code]
    if indicator_keys:
        p = p[p["indicator"].isin(indicator_keys)]
    return p.pivot_table(index="year", columns="indicator", values="value", aggfunc="first")


def provenance(region: str, year: int, indicator: str) -> dict:
    """Where one figure came from: source file and line, unit, flags."""
    code = regions.resolve(region).code
    p = load_panel()
    r = p[(p["region_code"] == code) & (p["year"] == year) & (p["indicator"] == indicator)]
    if r.empty:
        return {}
    return r.iloc[0].to_dict()
