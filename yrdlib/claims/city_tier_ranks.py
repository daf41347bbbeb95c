"""Claim S2's building blocks (the census migration table by city cluster, the composite index
and its ranks, the Zipf path of city sizes), used by the hypothesis functions of
:mod:`yrdlib.claims.city_tier`, which re-exports them."""

from __future__ import annotations

import numpy as np
import pandas as pd

from yrdlib import groups, regions
from yrdlib.data import panel
from yrdlib.methods import MethodError, composite_index, rank_sensitivity, zipf_by_year, zipf_exponent

YRD_CLUSTER = "长江三角洲城市群"


CLUSTER_EN = {
    "长江三角洲城市群": "Yangtze River Delta", "粤港澳大湾区(珠三角九市+港澳)": "Greater Bay Area (PRD 9)",
    "京津冀城市群": "Beijing-Tianjin-Hebei", "成渝城市群": "Chengdu-Chongqing",
    "长江中游城市群": "Middle Yangtze", "中原城市群": "Central Plains", "哈长城市群": "Harbin-Changchun",
    "关中平原城市群": "Guanzhong Plain", "北部湾城市群": "Beibu Gulf",
    "山东半岛城市群": "Shandong Peninsula", "辽中南城市群": "Central-south Liaoning",
    "海峡西岸城市群": "West Taiwan Strait", "呼包鄂榆城市群": "Hohhot-Baotou-Ordos-Yulin",
    "兰州—西宁城市群": "Lanzhou-Xining",
}


# S2.a statistics: (column, census year, label_en, label_zh). The first is the one the registry
# states (it adds up over a cluster: moves between member cities cancel); the others are shown.
MIGRATION_STATS = [
    ("net_inflow", 2010, "resident minus registered 2010", "2010年常住减户籍人口"),
    ("migrants_other_province", 2020, "inter-provincial migrants 2020", "2020年外省户籍常住人口"),
    ("migrants_other_province", 2010, "inter-provincial migrants 2010", "2010年外省户籍常住人口"),
    ("pop_growth", 2020, "resident growth 2010-2020", "2010—2020年常住人口增量"),
]


INDEX_INDICATORS = ("gdp", "gdp_pc", "fdi_gdp", "share_tertiary", "loans_gdp", "pop_resident")


INDEX_DIMENSIONS = {"gdp": "size 规模", "pop_resident": "size 规模", "gdp_pc": "income 收入",
                    "fdi_gdp": "openness 开放", "share_tertiary": "structure 结构",
                    "loans_gdp": "finance 金融"}


def cluster_en(name: str) -> str:
    return CLUSTER_EN.get(name, name)


def _cluster_zh(name_en: str) -> str:
    return {v: k for k, v in CLUSTER_EN.items()}.get(name_en, name_en)


def census_frame() -> pd.DataFrame:
    """Prefecture census figures (persons) by region_code: pop_2010, pop_2020, hukou_2010,
    net_inflow_2010, migrants_other_province_2010/2020, pop_growth_2020 (= 2020 − 2010)."""
    w = panel.wide(["census_pop", "census_hukou", "census_net_inflow",
                    "census_migrants_other_province"]).reset_index()
    out = pd.DataFrame(index=sorted(w["region_code"].unique()))
    for y in (2010, 2020):
        s = w[w["year"] == y].set_index("region_code")
        out[f"pop_{y}"] = s["census_pop"]
        out[f"migrants_other_province_{y}"] = s["census_migrants_other_province"]
    s10 = w[w["year"] == 2010].set_index("region_code")
    out["hukou_2010"] = s10["census_hukou"]
    out["net_inflow_2010"] = s10["census_net_inflow"]
    out["pop_growth_2020"] = out["pop_2020"] - out["pop_2010"]
    out.index.name = "region_code"
    return out


def migration_by_cluster(whole_only: bool = False, census: pd.DataFrame | None = None
                         ) -> pd.DataFrame:
    """One row per city cluster: cities listed / with census data, totals (persons) and shares of
    the cluster's resident population for each statistic in MIGRATION_STATS."""
    c = census_frame() if census is None else census
    rows = []
    for name in groups.clusters():
        codes = groups.cluster_codes(name, whole_only=whole_only)
        sub = c.reindex(codes)
        row = {"cluster": name, "cluster_en": cluster_en(name), "cities": len(codes),
               "part_cities": len(groups.cluster_codes(name)) - len(
                   groups.cluster_codes(name, whole_only=True)) if not whole_only else 0}
        for col, y, _, _ in MIGRATION_STATS:
            key = f"{col}_{y}"
            v = sub[key]
            base = sub["pop_2010"] if col == "pop_growth" else sub[f"pop_{y}"]
            ok = v.notna() & base.notna()
            row[f"{key}_n"] = int(ok.sum())
            row[f"{key}_total"] = float(v[ok].sum())
            row[f"{key}_share"] = float(100 * v[ok].sum() / base[ok].sum()) if ok.any() else np.nan
        rows.append(row)
    return pd.DataFrame(rows)


def ranking_robustness(census: pd.DataFrame | None = None, dedupe: bool = True) -> pd.DataFrame:
    """The YRD cluster's rank (1 = most) and its ratio to the best other cluster for every
    statistic × (total, share) × (all listed cities, whole cities only). With ``dedupe``,
    variants whose numbers are identical (the YRD and the GBA have no part-listed city, so the
    two city definitions often coincide) are one row, ``cities`` naming the coinciding
    definitions ("all listed = whole cities only") and ``definitions`` counting them."""
    c = census_frame() if census is None else census
    rows = []
    for whole in (False, True):
        t = migration_by_cluster(whole, c).set_index("cluster")
        for col, y, en, zh in MIGRATION_STATS:
            for kind in ("total", "share"):
                s = t[f"{col}_{y}_{kind}"].dropna().sort_values(ascending=False)
                other = s.drop(YRD_CLUSTER)
                rows.append({"statistic": en, "statistic_zh": zh, "measure": kind,
                             "cities": "whole cities only" if whole else "all listed",
                             "yrd_rank": int(s.index.get_loc(YRD_CLUSTER)) + 1,
                             "n_clusters": len(s), "leader": cluster_en(s.index[0]),
                             "leader_zh": s.index[0],
                             "yrd_value": float(s[YRD_CLUSTER]),
                             "best_other": cluster_en(other.index[0]),
                             "best_other_zh": other.index[0],
                             "best_other_value": float(other.iloc[0]),
                             "ratio_to_best_other": float(s[YRD_CLUSTER] / other.iloc[0])})
    rr = pd.DataFrame(rows)
    if not dedupe:
        return rr
    key = [k for k in rr.columns if k != "cities"]
    out = (rr.groupby(key, sort=False).agg(cities=("cities", " = ".join),
                                            definitions=("cities", "size")).reset_index())
    return out[["statistic", "statistic_zh", "measure", "cities", "definitions"]
               + [k for k in key if k not in ("statistic", "statistic_zh", "measure")]]


def index_data(codes, years: tuple[int, int], indicators=INDEX_INDICATORS,
               min_share: float = 0.9) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Complete-case indicator table (region_code, year, indicators) for `codes`, keeping only
    years where at least `min_share` of the cities have all indicators (ranks across years with
    very different n are not comparable). Returns (data, coverage per year)."""
    w = panel.wide(list(indicators), regions_=list(codes), years=years).reset_index()
    complete = w[list(indicators)].notna().all(axis=1)
    cov = (w.assign(complete=complete).groupby("year")["complete"].sum().rename("complete_cities")
           .to_frame())
    cov["share"] = cov["complete_cities"] / len(codes)
    keep = cov.index[cov["share"] >= min_share]
    d = w[complete & w["year"].isin(keep)].reset_index(drop=True)
    if d.empty:
        raise MethodError(f"no year with {min_share:.0%} of the cities complete in {years}")
    return d, cov


def energy_index(d: pd.DataFrame, indicators=INDEX_INDICATORS) -> dict:
    """Entropy-weighted index (primary), PCA and equal weights (checks): weights and scores."""
    out = {}
    for w in ("entropy", "pca", "equal"):
        out[w] = composite_index(d, positive=list(indicators), weights=w)
    return out


def rank_change(d: pd.DataFrame, focus: str, y0: int, y1: int, indicators=INDEX_INDICATORS,
                n_draws: int = 1000, seed: int = 0) -> dict:
    """Rank improvement of the focus city from y0 to y1 (rank_y0 − rank_y1; positive = climbed)
    under entropy weights, and its band under random Dirichlet(1) weights: the same weight draws
    are used in both years (same seed), so each draw gives a paired change."""
    a = rank_sensitivity(d, focus, y0, positive=list(indicators), n_draws=n_draws, seed=seed)
    b = rank_sensitivity(d, focus, y1, positive=list(indicators), n_draws=n_draws, seed=seed)
    ch = a["draws"] - b["draws"]
    fa = a["fixed"].set_index("weighting")["rank"]
    fb = b["fixed"].set_index("weighting")["rank"]
    return {"y0": y0, "y1": y1, "rank_y0": int(fa["entropy"]), "rank_y1": int(fb["entropy"]),
            "change": float(fa["entropy"] - fb["entropy"]),
            "band": (float(np.quantile(ch, 0.025)), float(np.quantile(ch, 0.975))),
            "share_improved": float((ch > 0).mean()), "draws": ch,
            "fixed": pd.DataFrame({"rank_" + str(y0): fa, "rank_" + str(y1): fb}),
            "summary_y0": a["summary"], "summary_y1": b["summary"]}


def metro_ranks(scores: pd.DataFrame, codes=groups.NINGBO_METRO) -> pd.DataFrame:
    """Rank of each city inside the (article's) Ningbo metropolitan area per year."""
    s = scores[scores["region_code"].isin(list(codes))].copy()
    s["metro_rank"] = s.groupby("year")["score"].rank(ascending=False, method="min").astype(int)
    return s.pivot(index="year", columns="region_code", values="metro_rank")


def zipf_path(values: pd.DataFrame, value: str, codes, min_share: float = 0.95) -> pd.DataFrame:
    """Gabaix–Ibragimov ζ per year over `codes`: years where at least `min_share` of the cities
    report, then only the cities present in all those years (a fixed set, so changes in ζ are
    not changes in who is counted). attrs: cities, years_dropped."""
    codes = list(codes)
    d = values.reset_index()
    d = d[d["region_code"].isin(codes)].dropna(subset=[value])
    n = d.groupby("year")["region_code"].nunique()
    good = n.index[n >= min_share * len(codes)]
    if len(good) < 2:
        raise MethodError(f"fewer than 2 years with {min_share:.0%} of the cities reporting {value}")
    d = d[d["year"].isin(good)]
    yrs = d.groupby("region_code")["year"].nunique()
    full = yrs[yrs == len(good)].index
    z = zipf_by_year(d[d["region_code"].isin(full)], value)
    z.attrs["cities"] = len(full)
    z.attrs["years_dropped"] = sorted(set(n.index) - set(good))
    return z


def census_zipf(codes) -> pd.DataFrame:
    """ζ from the census resident populations 2010 and 2020 (no interpolation, same definition)."""
    c = census_frame().reindex(list(codes))
    rows = []
    for y in (2010, 2020):

        r = zipf_exponent(c[f"pop_{y}"].dropna())
        rows.append({"year": y, "exponent": r.exponent, "ci_low": r.ci_low, "ci_high": r.ci_high,
                     "n": r.n})
    return pd.DataFrame(rows)


def zeta_rows(x: np.ndarray) -> np.ndarray:
    """Gabaix–Ibragimov ζ of each row of an (draws × cities) matrix of sizes, vectorised: the
    bootstrap and placebo draws of S2.e."""
    s = -np.sort(-x, axis=1)
    lr = np.log(np.arange(1, s.shape[1] + 1) - 0.5)
    lx = np.log(s)
    lxc = lx - lx.mean(axis=1, keepdims=True)
    return -(lxc * (lr - lr.mean())).sum(axis=1) / (lxc ** 2).sum(axis=1)


def zipf_change_placebo(values: pd.DataFrame, value: str, members, y0: int, y1: int,
                        n_draws: int = 500, seed: int = 0) -> dict:
    """What a set of non-member cities gives: ζ(y1) − ζ(y0) (Gabaix–Ibragimov) of ``n_draws``
    random sets of prefectures outside ``members``, each as large as the member set with data,
    drawn from those with ``value`` in both years and no territory change in between. Chinese
    city sizes have been concentrating everywhere (census 2010–2020), so a fall of the members'
    ζ supports "the cluster concentrates because it is a cluster" only if it is unusual among
    these sets. Returns the members' change, the placebo changes and the one-sided share of
    placebo changes at or below the members' (the claimed direction is a fall)."""
    d = values.reset_index()
    w = d.pivot_table(index="region_code", columns="year", values=value)
    if y0 not in w.columns or y1 not in w.columns:
        raise MethodError(f"need {value} in both {y0} and {y1}")
    w = w[[y0, y1]].dropna()
    w = w[(w > 0).all(axis=1)]
    w = w[w.index.isin(regions.territory_stable(w.index, y0, y1))]
    mem = w[w.index.isin(set(members))]
    pool = w[~w.index.isin(set(members)) & w.index.isin(set(groups.prefectures()))]
    k = len(mem)
    if k < 10 or len(pool) < 2 * k:
        raise MethodError(f"{k} members and {len(pool)} non-members with {value} in {y0} and {y1}")

    rng = np.random.default_rng(seed)
    idx = np.argsort(rng.random((n_draws, len(pool))), axis=1)[:, :k]  # draws without replacement
    v0, v1 = pool[y0].to_numpy(float), pool[y1].to_numpy(float)
    placebo = zeta_rows(v1[idx]) - zeta_rows(v0[idx])
    own = float((zeta_rows(mem[[y1]].to_numpy(float).T) - zeta_rows(mem[[y0]].to_numpy(float).T))[0])
    return {"members": own, "placebo": placebo, "n_members": k, "n_pool": len(pool),
            "share_at_or_below": float((placebo <= own).mean())}
