"""Claim P — the article's seven paths (路径): which indicators of the panel measure each path,
where the focus city stands among the YRD 41 (percentile in the latest year with data, change
over a window), and an explicit "no data" entry naming what is missing.

This is a gap *description*, not a causal test. The rule for a path (stated once, here):

    gap score = min(level − 50, trend + FALL_TOLERANCE)

with ``level`` = mean percentile of the focus city over the path's indicators in the latest year
(mid-rank percentile among the comparison group, 50 = median, direction-adjusted so that higher
is better) and ``trend`` = mean change of that percentile over the window. A positive score means
"at or above the group median and not falling behind by more than FALL_TOLERANCE points"; it is
recorded as ``kind="fact"`` evidence with null 0. Without a trend (a single cross-section) the
score is ``level − 50``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

FALL_TOLERANCE = 10.0  # percentile points a city may lose over the window and still "keep up"
MIN_COVERAGE = 0.75  # share of the comparison group that must report in a year used


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
            "推进能源供给互济互保，融入安全高效长三角。", (),
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
            "数字经济核心产业增加值、宽带与5G普及率的年度序列、电子商务交易额",
            "digital-economy core value added, broadband and 5G penetration series, e-commerce sales",
            ("broadband_users", "internet_users")),
    PathDef("ecology", "生态", "Ecology",
            "推进生态污染防治攻坚，融入绿色美丽长三角。", (),
            "PM2.5年均浓度、地表水与近岸海域水质达标率、单位GDP碳排放",
            "annual PM2.5, surface and coastal water quality, CO2 per unit of GDP"),
    PathDef("public", "公共服务", "Public services",
            "推进公共服务普惠共享，融入幸福和谐长三角。", (),
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
        if w[y].notna().mean() >= MIN_COVERAGE:
            out.append(y)
    return out


def indicator_position(wide: pd.DataFrame, key: str, focus: str, group: list[str],
                       start_year: int, end_year: int, window: int = 10,
                       direction: int = 1) -> dict:
    """Focus city's position on one indicator among ``group`` (+ the focus). ``wide`` is a
    ``panel.wide`` frame (index region_code, year)."""
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
        out.update(first_year=fy, pct_first=pct(fy), delta_pct=pct(ly) - pct(fy))
    return out


def path_table(wide: pd.DataFrame, focus: str, group: list[str], start_year: int, end_year: int,
               window: int = 10) -> pd.DataFrame:
    """One row per (path, indicator); a path without indicators gets one 'no data' row."""
    rows = []
    for p in PATHS:
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


def path_summary(table: pd.DataFrame) -> pd.DataFrame:
    """Per path: level (mean latest percentile), trend (mean change), the gap score of the rule
    in the module docstring, n (smallest group size used) and status."""
    rows = []
    for p in PATHS:
        t = table[(table["path"] == p.key) & (table["status"] == "ok")]
        if t.empty:
            rows.append({"path": p.key, "path_zh": p.zh, "path_en": p.en, "level": np.nan,
                         "trend": np.nan, "gap_score": np.nan, "n": 0, "n_indicators": 0,
                         "status": "no data"})
            continue
        level = float(t["pct_latest"].mean())
        d = t["delta_pct"].dropna()
        trend = float(d.mean()) if len(d) else np.nan
        score = min(level - 50.0, trend + FALL_TOLERANCE) if len(d) else level - 50.0
        rows.append({"path": p.key, "path_zh": p.zh, "path_en": p.en, "level": level,
                     "trend": trend, "gap_score": score, "n": int(t["n"].min()),
                     "n_indicators": len(t), "status": "ok"})
    return pd.DataFrame(rows)


def yuhuan_points(points: pd.DataFrame, metrics: tuple[str, ...] | list[str]) -> pd.DataFrame:
    """Yuhuan's curated points (profile.yuhuan_points) for the given metrics: points, never a
    series."""
    from yrdlib.claims.profile import yuhuan_points as all_points

    d = all_points(points)
    d = d[d["metric"].isin(list(metrics)) & ~d["duplicate"]]
    cols = ["entity", "period", "metric", "value", "unit", "qualifier", "quality", "note", "source"]
    return d[cols].sort_values(["metric", "period"]).reset_index(drop=True)


def evidence(summary: pd.DataFrame, focus_label_zh: str, focus_label_en: str, group_en: str,
             window: int, data_vintage: str, table: pd.DataFrame | None = None) -> list:
    """One Evidence per path: kind="fact" (gap score vs 0) or not_testable for 'no data'."""
    from yrdlib.evidence import Evidence

    out = []
    for _, r in summary.iterrows():
        p = PATH_BY_KEY[r["path"]]
        hyp = f"P.{p.key}"
        tzh = f"{p.zh}：{focus_label_zh}不落后于长三角中位数且未掉队（描述）"
        ten = (f"{p.en}: {focus_label_en} at or above the {group_en} median and not falling "
               "behind (a description)")
        if r["status"] != "ok":
            out.append(Evidence.not_testable("P", hyp, tzh, ten, missing_data=p.missing_en,
                                             data_vintage=data_vintage,
                                             notes=f"缺少数据：{p.missing_zh}"))
            continue
        used = ""
        if table is not None:
            t = table[(table["path"] == p.key) & (table["status"] == "ok")]
            used = "; ".join(f"{k} {int(y)}: pct {v:.0f}" + (
                f" (Δ {d:+.0f} since {int(fy)})" if pd.notna(d) else " (no trend)")
                for k, y, v, d, fy in zip(t["indicator"], t["latest_year"], t["pct_latest"],
                                          t["delta_pct"], t["first_year"], strict=True))
        trend_txt = "no trend available" if pd.isna(r["trend"]) else f"trend {r['trend']:+.1f}"
        out.append(Evidence(
            "P", hyp, tzh, ten, expected="+", estimate=r["gap_score"], null_value=0.0,
            kind="fact", n=int(r["n"]), unit="percentile points",
            method=(f"gap score = min(level − 50, trend + {FALL_TOLERANCE:g}); level = mean "
                    f"mid-rank percentile (50 = median), trend = change over ≤ {window} years"),
            sample=f"{group_en}, {int(r['n'])}+ cities; level {r['level']:.1f}, {trend_txt}",
            data_vintage=data_vintage,
            notes=("Descriptive gap diagnosis, not a causal test. " + used
                   + ". Missing for this path: " + p.missing_en)))
    return out


def plot_paths(table: pd.DataFrame, points: pd.DataFrame, focus_name: str, group_name: str,
               lang: str = "both"):
    """Small multiples, one panel per path: dumbbells of the focus city's percentile (first year
    of the window → latest year) per indicator against the median line; 'no data' panels drawn
    as such; the digital panel shows Yuhuan's 2011/2012 bulletin points as points."""
    import matplotlib.pyplot as plt

    from yrdlib.data import indicators as ind

    def bil(zh, en):
        return zh if lang == "zh" else en if lang == "en" else f"{zh} {en}"

    def ilabel(k):
        try:
            return ind.label(k, "zh") if lang == "zh" else ind.label(k, "en") if lang == "en" \
                else f"{ind.label(k, 'zh')}\n{ind.label(k, 'en')}"
        except KeyError:  # not in the dictionary (a bulletin metric): show the key
            return k

    fig, axes = plt.subplots(2, 4, figsize=(13, 6.2))
    axes = axes.ravel()
    for ax, p in zip(axes, PATHS, strict=False):
        ax.set_title(bil(p.zh, p.en), loc="left", fontsize=10)
        t = table[(table["path"] == p.key) & (table["status"] == "ok")]
        pts = points[points["metric"].isin(p.points)] if len(p.points) else points.iloc[0:0]
        if p.key == "digital" and len(pts):
            for m, mk in zip(sorted(pts["metric"].unique()), "os", strict=False):
                d = pts[pts["metric"] == m]
                ax.plot(d["period"].astype(int), d["value"], mk, linestyle="none", markersize=7,
                        label=f"{m} ({d['unit'].iloc[0]})")
            ax.set_xlim(2010.3, 2012.7)
            ax.set_xticks([2011, 2012])
            lo, hi = float(pts["value"].min()), float(pts["value"].max())
            ax.set_ylim(lo - 0.6 * (hi - lo + 1), hi + 0.3 * (hi - lo + 1))
            ax.legend(fontsize=6.5, loc="upper left")
            ax.text(0.02, 0.03, bil("玉环公报点值（非序列）", "Yuhuan bulletin points, not a series")
                    + "\n" + bil("无城市面板数据", "no city-panel data"),
                    transform=ax.transAxes, va="bottom", fontsize=6.5, color="#555")
            continue
        if t.empty:
            ax.set_facecolor("#f2f2f2")
            ax.text(0.5, 0.62, bil("无数据", "no data"), ha="center", va="center",
                    transform=ax.transAxes, fontsize=13, color="#777")
            import textwrap

            lines = []
            if lang != "en":
                lines += textwrap.wrap("缺：" + p.missing_zh, 18)[:3]
            if lang != "zh":
                lines += textwrap.wrap("missing: " + p.missing_en, 36)[:4]
            ax.text(0.5, 0.28, "\n".join(lines), ha="center", va="center",
                    transform=ax.transAxes, fontsize=6.5, color="#555")
            ax.set_xticks([])
            ax.set_yticks([])
            continue
        ys = np.arange(len(t))[::-1]
        ax.axvline(50, color="#888", linestyle="--", linewidth=1)
        for y, (_, r) in zip(ys, t.iterrows(), strict=True):
            if pd.notna(r["pct_first"]):
                ax.annotate("", xy=(r["pct_latest"], y), xytext=(r["pct_first"], y),
                            arrowprops={"arrowstyle": "->", "color": "#c0392b", "lw": 1.5})
                ax.plot(r["pct_first"], y, "o", mfc="white", mec="#c0392b")
                ax.text(r["pct_first"], y - 0.28, str(int(r["first_year"])), ha="center",
                        fontsize=6, color="#777")
            ax.plot(r["pct_latest"], y, "o", color="#c0392b")
            ax.text(r["pct_latest"], y + 0.2, str(int(r["latest_year"])), ha="center",
                    fontsize=6, color="#c0392b")
        for y, k in zip(ys, t["indicator"], strict=True):
            ax.text(1, y + 0.42, ilabel(k).replace("\n", " / "), fontsize=6.5, va="bottom")
        ax.set_yticks([])
        ax.grid(False)
        ax.set_ylim(-0.6, len(t) - 0.05)
        ax.set_xlim(0, 100)
        ax.set_xlabel(bil("百分位（50 = 中位数）", "percentile (50 = median)"), fontsize=7)
    ax = axes[-1]
    ax.axis("off")
    ax.text(0, 0.95, bil(f"红点：{focus_name}在{group_name}中的百分位",
                         f"Red: {focus_name}'s percentile among {group_name}")
            if lang != "both" else
            f"红点：{focus_name}在长三角中的百分位\nRed: {focus_name}'s percentile\namong {group_name}",
            va="top", fontsize=8)
    ax.text(0, 0.55, bil("空心点 → 实心点：窗口起点 → 最新年份", "hollow → filled: window start → latest")
            if lang != "both" else "空心 → 实心：窗口起点 → 最新年份\nhollow → filled: start → latest year",
            va="top", fontsize=8)
    ax.text(0, 0.3, bil("虚线：中位数", "dashed: median") if lang != "both"
            else "虚线：中位数 / dashed: median", va="top", fontsize=8)
    fig.tight_layout()
    return fig
