"""Claim S1 (提高对外开放层次, opening-up): analysis functions for notebooks/s1_opening.ipynb.

* S1.a  port fact check: is Ningbo-Zhoushan the world's largest port by cargo throughput?
  Uses the curated points (`panel.table("points")`) with their qualifiers and quality grades.
* S1.b  staggered DiD of joining the YRD coordination association on openness
  (FDI / GDP, FDI per capita): did2s (not-yet-treated), Sun–Abraham (never-treated), TWFE,
  placebo. Trade has no embedded panel: `trade_panel_status` says whether a user extract exists.
* S1.c  the focus city's openness path against group medians and its rank among the 41.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from yrdlib import groups
from yrdlib.data import panel
from yrdlib.methods import time_trend

OPENNESS = ("fdi_gdp", "fdi_pc")
TRADE = ("exports_usd", "imports_usd")
NZ_PORT = "宁波舟山港"
PORT_CITIES = {"宁波舟山港": "330200"}


# ----------------------------------------------------------------------------- S1.a port

def port_cargo_points() -> pd.DataFrame:
    """Annual cargo-throughput points (万吨) of all ports in the curated table, with qualifier
    (exact / lower_bound / forecast / target) and quality grade. Half-year and quarterly figures
    and plan targets are left out (not comparable with annual totals)."""
    p = panel.table("points")
    m = p["metric"].isin(["cargo_throughput", "port_cargo"]) & p["period"].astype(str).str.fullmatch(
        r"\d{4}")
    d = p.loc[m, ["entity", "region_code", "period", "value", "unit", "qualifier", "quality",
                  "note", "source_url"]].copy()
    d = d[d["unit"].astype(str).str.strip() == "万吨"]
    d = d[~d["qualifier"].isin(["target", "forecast"])]
    d["year"] = d["period"].astype(int)
    d["quality"] = d["quality"].fillna("not graded")
    d["value_yi_t"] = d["value"] / 1e4  # 亿吨
    return d.drop(columns="period").sort_values(["year", "value"], ascending=[True, False],
                                                ignore_index=True)


@dataclass
class PortCheck:
    table: pd.DataFrame  # all annual cargo points
    year: int | None  # comparison year (latest year with NZ and at least one other port)
    nz_value: float | None  # 万吨
    rival: str | None
    rival_value: float | None
    ratio: float | None  # NZ / largest other embedded port
    source_claims: pd.DataFrame = field(default_factory=pd.DataFrame)  # "world #1" statements
    caveats: list[str] = field(default_factory=list)


def port_fact_check(points: pd.DataFrame | None = None) -> PortCheck:
    """Ratio of Ningbo-Zhoushan's cargo throughput to the largest *other* port embedded for the
    same year (latest such year). A lower-bound NZ figure (">") only strengthens a ratio > 1; a
    lower-bound rival figure would weaken it and is flagged. The embedded rivals are Chinese
    ports only: the world ranking itself rests on the sources' statements (listed)."""
    d = port_cargo_points() if points is None else points
    nz = d[d["entity"] == NZ_PORT]
    others = d[d["entity"] != NZ_PORT]
    common = sorted(set(nz["year"]) & set(others["year"]))
    claims = d[d["note"].astype(str).str.contains("world #1|世界第一|全球第一|first", case=False,
                                                 regex=True)]
    caveats = [
        "only Chinese ports are embedded; world rivals by cargo tonnage (e.g. Tangshan, "
        "Singapore, Rotterdam) have no figure here",
        "cargo tonnage definitions differ across countries (metric vs freight tonnes)",
    ]
    if not common:
        return PortCheck(d, None, None, None, None, None, claims,
                         caveats + ["no year with both Ningbo-Zhoushan and another port's cargo"])
    y = common[-1]
    a = nz[nz["year"] == y].sort_values("value").iloc[-1]
    b = others[others["year"] == y].sort_values("value").iloc[-1]
    if b["qualifier"] == "lower_bound":
        caveats.append(f"the rival figure ({b['entity']} {y}) is a lower bound")
    if a["qualifier"] == "lower_bound":
        caveats.append(f"the Ningbo-Zhoushan figure for {y} is a lower bound (ratio understated)")
    return PortCheck(d, int(y), float(a["value"]), str(b["entity"]), float(b["value"]),
                     float(a["value"] / b["value"]), claims, caveats)


def coverage(d: pd.DataFrame, outcome: str) -> pd.DataFrame:
    """Per year: cities with a value, treated share, and flagged values (ECB-derived rate, low
    precision rate, etc.) of the outcome in a DiD sample."""
    fl = d[f"{outcome}_flag"].fillna("") if f"{outcome}_flag" in d else pd.Series("", index=d.index)
    t = d.assign(treated=(d["treat_year"].notna() & (d["year"] >= d["treat_year"])),
                 ecb=fl.str.contains("ecb_derived"), low=fl.str.contains("low"),
                 other=(fl != "") & ~fl.str.contains("ecb_derived|low"))
    return t.groupby("year").agg(cities=("region_code", "nunique"), treated=("treated", "sum"),
                                 ecb_derived=("ecb", "sum"), low_precision_rate=("low", "sum"),
                                 other_flags=("other", "sum"))


def trade_panel_status(min_cities: int = 30) -> dict:
    """Whether a user extract of exports/imports by city exists (data/user) and is big enough
    for a DiD; {'available': bool, 'counts': {key: n city-years}}."""
    p = panel.load_panel()
    counts = {k: int((p["indicator"] == k).sum()) for k in TRADE}
    cities = {k: int(p.loc[p["indicator"] == k, "region_code"].nunique()) for k in TRADE}
    return {"available": any(v >= min_cities for v in cities.values()), "counts": counts,
            "cities": cities}


# ----------------------------------------------------------------------------- S1.c position

def rank_path(values: pd.DataFrame, indicator: str, codes, focus: str) -> pd.DataFrame:
    """Per year: the focus city's value, rank among `codes` (1 = most open) and n with data."""
    w = values.reset_index()
    w = w[w["region_code"].isin(list(codes))].dropna(subset=[indicator])
    w["rank"] = w.groupby("year")[indicator].rank(ascending=False, method="min")
    n = w.groupby("year")["region_code"].nunique().rename("n")
    f = w[w["region_code"] == focus].set_index("year")[[indicator, "rank"]]
    return f.join(n, how="right").sort_index()


def gap_trend(values: pd.DataFrame, indicator: str, codes, focus: str, start: int,
              end: int) -> dict:
    """Slope per year of the focus city's log gap to the group median, ln(x_f) − ln(median),
    over [start, end] (methods.time_trend: OLS with Newey–West SEs). Positive = catching up or
    pulling ahead. Returns estimate, CI, p, n and the year table."""
    w = values.reset_index()
    w = w[w["year"].between(start, end) & w["region_code"].isin(list(codes))]
    w = w[w[indicator] > 0]
    med = w.groupby("year")[indicator].median()
    f = w[w["region_code"] == focus].set_index("year")[indicator]
    g = (np.log(f) - np.log(med.reindex(f.index))).dropna()
    tab = pd.DataFrame({"focus": f, "group_median": med.reindex(f.index), "log_gap": g})
    t = time_trend(g, min_n=5)
    return {"estimate": t.slope, "ci_low": t.ci_low, "ci_high": t.ci_high, "p_value": t.p_value,
            "n": t.n, "table": tab, "years": t.years}


def position_start(focus_code: str, treatment: str, start: int) -> tuple[int, str]:
    """First year of the S1.c window: the join year if inside the sample, else `start`."""
    ty = groups.treatment_years(treatment).get(focus_code, np.nan)
    if isinstance(ty, float) and math.isnan(ty):
        return start, "never treated under this definition: whole sample period"
    ty = int(ty)
    if ty <= start:
        return start, f"treated in {ty}, before the sample starts: whole sample period"
    return ty, f"from the treatment year {ty}"
