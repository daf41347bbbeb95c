"""Claim P — the article's seven paths (路径) are DIAGNOSES, not tests: for each path, which
indicators of the panel measure it, where the focus city stands among a comparison group (the 41
YRD cities by default) and how that position moved. Every path gives one *description* record
(``role="description"``): it is labelled, never supported/contradicted, and the P claim gets no
verdict (:func:`yrdlib.evidence.claim_verdict` returns "description" for a claim without tests).

The labels, stated once here:

* position = mean mid-rank percentile of the focus city over the path's indicators in the latest
  usable year (50 = the group median, direction-adjusted so that higher is better): "above" the
  median band if it exceeds 50 + BAND, "below" if under 50 − BAND, else "within band";
* trend = mean change of that percentile over the window: "rising" above +TREND_BAND, "falling"
  below −TREND_BAND, else "no clear change"; a single cross-section has no trend.

A path without an indicator in the panel (or without a value for the focus city) is a
description labelled "no data", and ``missing_data`` names the data that would measure it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from yrdlib import groups, regions, vocab
from yrdlib.claims import cluster_scope
from yrdlib.claims.profile import yuhuan_points as all_points
from yrdlib.claims.result import Result, evidence_for
from yrdlib.data import panel

BAND = 10.0  # percentile points around the median (50) that count as "within the band"
TREND_BAND = 10.0  # change in percentile points over the window that counts as rising/falling
GROUPS = ("yrd41", "yrd_cluster26", "province")  # the comparison groups reported per path


@dataclass(frozen=True)
class Indicator:
    key: str
    direction: int = 1  # +1: higher is better
    note_zh: str = ""
    note_en: str = ""


@dataclass(frozen=True)
class PathDef:
    key: str
    zh: str
    en: str
    article_zh: str  # the path's heading sentence in the article
    indicators: tuple[Indicator, ...]
    missing_zh: str
    missing_en: str
    points: tuple[str, ...] = ()  # metrics of Yuhuan's bulletin points (not series)


PATHS: tuple[PathDef, ...] = (
    PathDef("transport", "交通", "Transport",
            "推进综合交通互通互联，融入畅达便捷长三角。",
            (Indicator("road_area_pc", 1, "城市内部道路供给，不衡量与沪甬的连通",
                       "road supply inside the city, not links to Shanghai or Ningbo"),),
            "到上海/杭州/宁波的铁路与公路通行时间、港口吞吐量年度序列、航班与铁路班次",
            "travel times by rail and road to Shanghai/Hangzhou/Ningbo, an annual port-throughput "
            "series, flight and train frequencies",
            ("road_km", "port_cargo", "port_teu")),
    PathDef("energy", "能源", "Energy",
            "推进能源供给互济互保，融入安全高效长三角。",
            (Indicator("co2_gdp", -1, "EDGAR v8.0 估算，非官方统计；化石能源强度的代理，越低越好",
                       "EDGAR v8.0 estimate, NOT official statistics; a proxy of fossil-energy "
                       "intensity, lower is better"),),
            "能源消费总量与单位GDP能耗、清洁能源装机与发电量、天然气管网接入",
            "energy consumption and energy per unit of GDP, clean-power capacity and generation, "
            "gas-pipeline connection"),
    PathDef("science", "科创", "Science and technology",
            "推进科创资源内聚外合，融入协同创新长三角。",
            (Indicator("patents_per_10k_2016", 1, "仅2016年鉴一个截面，无趋势",
                       "one cross-section (2016 yearbook), no trend"),
             Indicator("share_tertiary", 1, "产业结构，只是产业升级的间接代理",
                       "industrial structure, only an indirect proxy of upgrading")),
            "研发投入强度(R&D/GDP)年度序列、历年专利授权量、高新技术企业数、技术合同成交额",
            "R&D intensity series, patents granted by year, high-tech firms, technology-contract "
            "turnover"),
    PathDef("digital", "数字经济", "Digital economy",
            "推进数字经济倍增计划，融入智慧高效长三角。", (),
            "《中国城市统计年鉴》分城市的互联网宽带接入用户数（2006年起）与移动电话用户数；浙江省统计局"
            "公布的各市数字经济核心产业增加值；5G普及率与电子商务交易额",
            "internet broadband subscribers and mobile-phone subscribers by city (China City "
            "Statistical Yearbook, from the 2006 volume); digital-economy core value added by city "
            "(Zhejiang Provincial Bureau of Statistics); 5G penetration and e-commerce sales",
            ("broadband_users", "internet_users")),
    PathDef("ecology", "生态", "Ecology",
            "推进生态污染防治攻坚，融入绿色美丽长三角。",
            (Indicator("so2_gdp", -1, "中国城市统计年鉴 2004–2012，越低越好",
                       "China City Statistical Yearbook 2004-2012, lower is better"),
             Indicator("waste_safe_rate", 1, "中国城市统计年鉴 2004–2012",
                       "China City Statistical Yearbook 2004-2012")),
            "PM2.5年均浓度、地表水与近岸海域水质达标率、单位GDP碳排放",
            "annual PM2.5, surface and coastal water quality, CO2 per unit of GDP"),
    PathDef("public", "公共服务", "Public services",
            "推进公共服务普惠共享，融入幸福和谐长三角。",
            (Indicator("beds_per_1000", 1, "中国城市统计年鉴 2004–2012；分母为常住人口",
                       "China City Statistical Yearbook 2004-2012; per resident"),),
            "每千人医院床位与执业医师数、中小学师生比、跨省异地就医直接结算机构数",
            "hospital beds and doctors per 1,000 residents, pupil-teacher ratios, hospitals in "
            "cross-province medical settlement"),
    PathDef("market", "市场环境", "Market environment",
            "推进市场环境有序透明，融入开放活力长三角。",
            (Indicator("loans_gdp", 1, "金融深度", "financial depth"),
             Indicator("deposits_gdp", 1, "金融深度", "financial depth"),
             Indicator("fdi_gdp", 1, "对外开放", "openness to foreign investment")),
            "新设市场主体（企业注册）数、营商环境或信用指数、通关时间",
            "new business registrations, a business-environment or credit index, customs "
            "clearance time"),
)
PATH_BY_KEY = {p.key: p for p in PATHS}


def indicator_keys() -> list[str]:
    return sorted({i.key for p in PATHS for i in p.indicators})


def midrank_percentile(values: pd.Series, focus: str) -> float:
    """Mid-rank percentile of ``focus`` among ``values`` (NaN dropped): 100·(rank − ½)/n, so the
    median city scores 50; ties share the average rank."""
    v = values.dropna()
    if focus not in v.index or len(v) == 0:
        return float("nan")
    r = v.rank(method="average")[focus]
    return float(100.0 * (r - 0.5) / len(v))


def _usable_years(w: pd.DataFrame, focus: str, years: range) -> list[int]:
    out = []
    for y in years:
        if y not in w.columns or focus not in w.index or pd.isna(w.at[focus, y]):
            continue
        if groups.covered(int(w[y].notna().sum()), size=len(w)):
            out.append(y)
    return out


def indicator_position(wide: pd.DataFrame, key: str, focus: str, group: list[str],
                       start_year: int, end_year: int, window: int = 10,
                       direction: int = 1) -> dict:
    """Focus city's position on one indicator among ``group`` (+ the focus). ``wide`` is a
    ``panel.wide`` frame (index region_code, year). The position is among all of them in the
    latest year; the change over ``window`` years is among the cities whose territory did not
    change in between (``moved``: how many were left out), and none when the focus city's did."""
    codes = sorted(set(group) | {focus})
    s = wide[key].dropna() if key in wide.columns else pd.Series(dtype=float)
    tab = s.unstack("year") if len(s) else pd.DataFrame()
    tab = tab.reindex(codes)
    out = {"indicator": key, "latest_year": np.nan, "focus_value": np.nan, "group_median": np.nan,
           "pct_latest": np.nan, "first_year": np.nan, "pct_first": np.nan, "delta_pct": np.nan,
           "n": 0, "status": "no focus data"}
    if tab.empty or tab.notna().sum().sum() == 0:
        out["status"] = "no data"
        return out
    yrs = _usable_years(tab, focus, range(start_year, end_year + 1))
    if not yrs:
        return out
    ly = max(yrs)
    col = tab[ly] * direction

    def pct(y):
        return midrank_percentile(tab[y] * direction, focus)

    out.update(latest_year=ly, focus_value=float(tab.at[focus, ly]),
               group_median=float(tab[ly].median()), pct_latest=pct(ly),
               n=int(col.notna().sum()), status="ok")
    earlier = [y for y in yrs if ly - window <= y < ly]
    if earlier:
        fy = min(earlier)
        # the change among the cities on the same ground in both years (a county moved between
        # prefectures shifts levels and ranks by itself); none when the focus city's own moved
        stable = regions.territory_stable(list(tab.index), fy, ly)
        out.update(first_year=fy, moved=len(tab.index) - len(stable))
        if focus in stable:
            sub = tab.loc[stable]
            pf = midrank_percentile(sub[fy] * direction, focus)
            out.update(pct_first=pf, delta_pct=midrank_percentile(sub[ly] * direction, focus) - pf)
    return out


def path_table(wide: pd.DataFrame, focus: str, group: list[str], start_year: int, end_year: int,
               window: int = 10, paths: list[str] | None = None) -> pd.DataFrame:
    """One row per (path, indicator); a path without indicators gets one 'no data' row.
    ``paths``: the path keys to include (default: all seven)."""
    rows = []
    for p in PATHS if paths is None else [PATH_BY_KEY[k] for k in paths]:
        base = {"path": p.key, "path_zh": p.zh, "path_en": p.en}
        if not p.indicators:
            rows.append(base | {"indicator": "", "status": "no data", "n": 0,
                                "note_zh": "无数据：" + p.missing_zh,
                                "note_en": "No data: " + p.missing_en})
            continue
        for ind in p.indicators:
            pos = indicator_position(wide, ind.key, focus, group, start_year, end_year, window,
                                     ind.direction)
            rows.append(base | pos | {"note_zh": ind.note_zh, "note_en": ind.note_en})
    return pd.DataFrame(rows)


def position_label(level: float) -> str:
    """above / below / within band of the median (vocab), or 'no data'."""
    if level is None or not np.isfinite(level):
        return vocab.NO_DATA
    if level > 50.0 + BAND:
        return vocab.ABOVE
    if level < 50.0 - BAND:
        return vocab.BELOW
    return vocab.WITHIN


def trend_label(delta: float) -> str:
    """rising / falling / flat (vocab) for a change of percentile, or 'no data' (no trend)."""
    if delta is None or not np.isfinite(delta):
        return vocab.NO_DATA
    if delta > TREND_BAND:
        return vocab.RISING
    if delta < -TREND_BAND:
        return vocab.FALLING
    return vocab.FLAT


def path_summary(table: pd.DataFrame) -> pd.DataFrame:
    """Per path in ``table``: level (mean latest percentile), trend (mean change), their labels,
    n (smallest group size used), number of indicators used and status."""
    rows = []
    for p in PATHS:
        if p.key not in set(table["path"]):
            continue
        t = table[(table["path"] == p.key) & (table["status"] == "ok")]
        base = {"path": p.key, "path_zh": p.zh, "path_en": p.en}
        if t.empty:
            rows.append(base | {"level": np.nan, "trend": np.nan, "position": vocab.NO_DATA,
                                "trend_label": vocab.NO_DATA, "latest_year": np.nan, "n": 0,
                                "n_indicators": 0, "status": "no data"})
            continue
        level = float(t["pct_latest"].mean())
        d = t["delta_pct"].dropna()
        trend = float(d.mean()) if len(d) else np.nan
        rows.append(base | {"level": level, "trend": trend, "position": position_label(level),
                            "trend_label": trend_label(trend),
                            "latest_year": int(t["latest_year"].max()), "n": int(t["n"].min()),
                            "n_indicators": len(t), "status": "ok"})
    return pd.DataFrame(rows)


def _wide(keys: list[str], years: tuple[int, int] | None = None) -> pd.DataFrame:

    return panel.wide(keys, years=years) if keys else pd.DataFrame()


def _sample_note(wide: pd.DataFrame, keys: list[str], codes: list[str]) -> tuple[str, str]:
    """(zh, en): the city-years the comparable-series rules left out of this path's indicators
    (``wide.attrs['excluded']``, when the panel provides it), else ('', '')."""
    ex = wide.attrs.get("excluded") if hasattr(wide, "attrs") else None
    if ex is None or len(ex) == 0:
        return "", ""
    ex = pd.DataFrame(ex)
    if "indicator" in ex.columns:
        ex = ex[ex["indicator"].isin(keys)]
    if "region_code" in ex.columns:
        ex = ex[ex["region_code"].astype(str).isin(codes)]
    if ex.empty:
        return "", ""

    note_fn = getattr(panel, "sample_note", None)
    if note_fn is not None:
        n = note_fn(ex)
        return str(n.get("zh", "")), str(n.get("en", ""))
    return (f"{len(ex)} 个城市-年份的数值因不可比被剔除。",
            f"{len(ex)} city-year values left out as not comparable.")


def _fmt_pct(x: float) -> str:
    return "—" if x is None or not np.isfinite(x) else f"{x:.0f}"


def _cluster_group(group: str, cluster: str | None) -> str | None:
    """The cluster a path's comparison group names (``group="cluster:成渝城市群"``, or
    ``cluster=`` with the default group), or None for the YRD groups."""
    if group.startswith(cluster_scope.GROUP_PREFIX):
        name = groups.resolve_cluster(group[len(cluster_scope.GROUP_PREFIX):])
        if cluster is not None and groups.resolve_cluster(cluster) != name:
            raise ValueError(f"group {group!r} and cluster {cluster!r} name different clusters")
        return name
    cl = cluster_scope.chosen(cluster)
    return cl if cl is not None and group == "yrd41" else None


def path_result(key: str, code: str, years: tuple[int, int], window: int = 10,
                group: str = "yrd41", wide: pd.DataFrame | None = None,
                vintage: str = "", cluster: str | None = None) -> Result:
    """The description of one path for the focus city ``code`` (a prefecture-level code) over
    ``years``: one Evidence (role description; estimate = the level percentile, reference 50 ±
    BAND; 'no data' with ``missing_data`` when the panel cannot measure the path) and, in
    ``data``, the per-indicator table, the summary row, the labels in every comparison group
    (``by_group``) and Yuhuan's bulletin points for the path (``points``).

    Another city cluster: ``group="cluster:<name>"`` (e.g. ``cluster:成渝城市群``), or
    ``cluster=<name>`` with the default group, compares the focus city with that cluster's cities
    (``by_group``: the cluster, the province, all prefectures); not applicable for a focus city
    outside the cluster or a plan without a central approval date. The YRD (or None) keeps the
    YRD groups."""
    p = PATH_BY_KEY[key]
    hid = f"P.{key}"
    keys = [i.key for i in p.indicators]
    start, end = int(years[0]), int(years[1])
    if not 1 <= int(window) <= 30:
        raise ValueError(f"window must be between 1 and 30 years, got {window}")
    cl = _cluster_group(group, cluster)
    if cl is not None:
        bad = cluster_scope.scope_check(hid, cl, code, needs_treatment=False)
        if bad is not None:
            return bad
    if wide is None:  # the window's years: a basis change after `end` does not apply
        wide = _wide(keys, (start, end))
    cg = groups.comparison_groups(code)
    labels = dict(groups.GROUP_LABELS)
    shown = GROUPS
    if cl is not None:
        group = cluster_scope.group_key(cl)
        cg[group] = cluster_scope.members(cl)
        labels[group] = cluster_scope.group_label(cl)
        shown = ("province", "national")
    if group not in cg:
        raise ValueError(f"group must be one of {', '.join(cg)} or {cluster_scope.GROUP_PREFIX}"
                         f"<city cluster>, got {group!r}")
    table = path_table(wide, code, cg[group], start, end, window, paths=[key])
    row = path_summary(table).iloc[0].to_dict()
    by_group = []
    for g in dict.fromkeys((group, *shown)):
        s = row if g == group else path_summary(
            path_table(wide, code, cg[g], start, end, window, paths=[key])).iloc[0].to_dict()
        by_group.append({"group": g, "group_zh": labels[g][0],
                         "group_en": labels[g][1], "level": s["level"],
                         "position": s["position"], "trend": s["trend"],
                         "trend_label": s["trend_label"], "n": s["n"]})
    by_group = pd.DataFrame(by_group)
    pts = yuhuan_points(panel.table("points"), p.points) if p.points else None
    gzh, gen = labels[group]
    city = regions.resolve(code)
    in_group = code in set(cg[group])
    snote_zh, snote_en = _sample_note(wide, keys, sorted(set(cg[group]) | {code}))
    data = {"table": table, "summary": row, "by_group": by_group, "points": pts, "path": p,
            "group": group}
    common = dict(data_vintage=vintage, sample_note_zh=snote_zh, sample_note_en=snote_en)
    if row["status"] != "ok":
        miss_en = p.missing_en if not keys else (
            f"values of {', '.join(keys)} for {city.name_en} in {start}-{end}; also: {p.missing_en}")
        miss_zh = p.missing_zh if not keys else (
            f"{city.short_zh} {start}-{end} 年的 {', '.join(keys)} 数值；另缺：{p.missing_zh}")
        ev = evidence_for(hid, missing_data=miss_en, missing_data_zh=miss_zh, estimate=None,
                          notes=f"缺少数据：{miss_zh}",
                          method="no indicator of this path can be measured", **common)
        if cl is not None:
            cluster_scope.retitle(ev, cl)
        return Result(ev, data, text_zh=f"{p.zh}：无数据（{miss_zh}）。",
                      text_en=f"{p.en}: no data ({miss_en}).")
    notes_en = {i.key: i.note_en for i in p.indicators}
    used = "; ".join(
        f"{r.indicator} [{notes_en.get(r.indicator, '')}] {int(r.latest_year)}: pct {r.pct_latest:.0f}"
        + (f" (Δ {r.delta_pct:+.0f} since {int(r.first_year)})" if pd.notna(r.delta_pct)
           else " (no trend)") for r in table[table["status"] == "ok"].itertuples())
    trend_en = ("no trend (a single cross-section)" if not np.isfinite(row["trend"]) else
                f"{row['trend_label']} ({row['trend']:+.0f} percentile points over ≤ {window} years)")
    trend_zh = ("无趋势（仅一个截面）" if not np.isfinite(row["trend"]) else
                f"{vocab.DESCRIPTIVE_ZH[row['trend_label']]}"
                f"（{window} 年内变化 {row['trend']:+.0f} 个百分位）")
    ev = evidence_for(
        hid, estimate=row["level"], null_value=50.0, band=BAND, kind="fact", n=int(row["n"]),
        unit="percentile (50 = median)",
        method=(f"mean mid-rank percentile over {int(row['n_indicators'])} indicator(s), latest "
                f"usable year (≥ {groups.MIN_COVERAGE:.0%} of the group reporting); band 50 ± {BAND:g}; "
                f"trend: change over ≤ {window} years, ±{TREND_BAND:g} = no clear change"),
        sample=(f"{gen}{'' if in_group else ' plus the focus city'}, ≥ {int(row['n'])} cities, "
                f"{start}-{end}; trend: {trend_en}"),
        notes=f"A diagnosis, not a test. {used}. Not measured for this path: {p.missing_en}",
        **common)
    pos_zh = vocab.DESCRIPTIVE_ZH[row["position"]]
    pos_en = {vocab.ABOVE: "above", vocab.BELOW: "below", vocab.WITHIN: "within"}[row["position"]]
    text_en = (f"{p.en}: {city.name_en} is {pos_en} the {gen} median band (percentile "
               f"{_fmt_pct(row['level'])}, band 50 ± {BAND:g}); trend {trend_en}.")
    pos_zh = "位于" if row["position"] == vocab.WITHIN else pos_zh
    text_zh = (f"{p.zh}：{city.short_zh}的百分位为 {_fmt_pct(row['level'])}，{pos_zh}{gzh}中位数区间"
               f"（50 ± {BAND:g}{'内' if row['position'] == vocab.WITHIN else ''}）；趋势{trend_zh}。")
    if cl is not None:
        cluster_scope.retitle(ev, cl)
    return Result(ev, data, text_zh=text_zh, text_en=text_en)


def path_transport(code: str, years: tuple[int, int], window: int = 10, group: str = "yrd41",
                   wide: pd.DataFrame | None = None, vintage: str = "",
                   cluster: str | None = None) -> Result:
    """P.transport: road area per capita (the only transport series in the panel)."""
    return path_result("transport", code, years, window, group, wide, vintage, cluster)


def path_energy(code: str, years: tuple[int, int], window: int = 10, group: str = "yrd41",
                wide: pd.DataFrame | None = None, vintage: str = "",
                cluster: str | None = None) -> Result:
    """P.energy: CO2 per unit of GDP (EDGAR v8.0 estimate, not official statistics)."""
    return path_result("energy", code, years, window, group, wide, vintage, cluster)


def path_science(code: str, years: tuple[int, int], window: int = 10, group: str = "yrd41",
                 wide: pd.DataFrame | None = None, vintage: str = "",
                 cluster: str | None = None) -> Result:
    """P.science: patents per 10,000 (2016 cross-section) and the tertiary share."""
    return path_result("science", code, years, window, group, wide, vintage, cluster)


def path_digital(code: str, years: tuple[int, int], window: int = 10, group: str = "yrd41",
                 wide: pd.DataFrame | None = None, vintage: str = "",
                 cluster: str | None = None) -> Result:
    """P.digital: no city series in any embedded source ('no data', naming the publications that
    would fill it); Yuhuan's 2011/2012 bulletin points in ``data``."""
    return path_result("digital", code, years, window, group, wide, vintage, cluster)


def path_ecology(code: str, years: tuple[int, int], window: int = 10, group: str = "yrd41",
                 wide: pd.DataFrame | None = None, vintage: str = "",
                 cluster: str | None = None) -> Result:
    """P.ecology: industrial SO2 per unit of GDP and safely treated household waste (CCSY 2004-2012)."""
    return path_result("ecology", code, years, window, group, wide, vintage, cluster)


def path_public(code: str, years: tuple[int, int], window: int = 10, group: str = "yrd41",
                wide: pd.DataFrame | None = None, vintage: str = "",
                cluster: str | None = None) -> Result:
    """P.public: hospital beds per 1,000 residents (CCSY 2004-2012)."""
    return path_result("public", code, years, window, group, wide, vintage, cluster)


def path_market(code: str, years: tuple[int, int], window: int = 10, group: str = "yrd41",
                wide: pd.DataFrame | None = None, vintage: str = "",
                cluster: str | None = None) -> Result:
    """P.market: loans/GDP, deposits/GDP and FDI/GDP (financial depth, openness)."""
    return path_result("market", code, years, window, group, wide, vintage, cluster)


def coverage(years: tuple[int, int], recent: int = 6) -> pd.DataFrame:
    """YRD cities reporting each path indicator in the last ``recent`` years of ``years``."""
    w = _wide(indicator_keys()).reset_index()
    w = w[w["region_code"].isin(regions.yrd41()) & w["year"].between(years[1] - recent + 1,
                                                                      years[1])]
    return w.groupby("year")[indicator_keys()].count().T


def yuhuan_points(points: pd.DataFrame, metrics: tuple[str, ...] | list[str]) -> pd.DataFrame:
    """Yuhuan's curated points (profile.yuhuan_points) for the given metrics: points, never a
    series."""

    d = all_points(points)
    d = d[d["metric"].isin(list(metrics)) & ~d["duplicate"]]
    cols = ["entity", "period", "metric", "value", "unit", "qualifier", "quality", "note", "source"]
    return d[cols].sort_values(["metric", "period"]).reset_index(drop=True)
