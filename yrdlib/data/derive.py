"""Corrections, consistency checks and derived indicators: the one place where the panel gains
values that no raw file holds. Each derived value carries the union of its inputs' flags (an FDI
share computed with an ECB-derived exchange rate says so)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from yrdlib import regions
from yrdlib.data import indicators
from yrdlib.data.clean import read_raw, to_number
from yrdlib.errors import DataError
from yrdlib.frames import AttrFrame

KEYS = ["region_code", "year"]


def apply_corrections(panel: pd.DataFrame, path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Apply data/raw/corrections/corrections.csv. A correction whose published value is no longer
    in the data is an error (the raw data changed: review the correction)."""
    c = read_raw(path, ["region_code", "year", "indicator", "published_value", "action",
                        "corrected_value", "evidence"])
    pub = to_number(c, "published_value")
    log = []
    panel = panel.copy()
    for i, r in c.iterrows():
        m = (panel["region_code"] == r["region_code"]) & (panel["year"] == int(r["year"])) & \
            (panel["indicator"] == r["indicator"])
        if m.sum() != 1 or not np.isclose(panel.loc[m, "value"].iloc[0], pub[i], rtol=1e-4):
            raise DataError(c.attrs["file"], "correction does not match the data (value changed or "
                            "missing)", row=int(r["_line"]), column="published_value",
                            value=r["published_value"])
        if r["action"] == "set_missing":
            panel = panel[~m]
        elif r["action"] == "replace":
            panel.loc[m, "value"] = float(r["corrected_value"])
            panel.loc[m, "flag"] = (panel.loc[m, "flag"] + ";corrected").str.strip(";")
        else:
            raise DataError(c.attrs["file"], "unknown action (set_missing or replace)",
                            row=int(r["_line"]), column="action", value=r["action"])
        log.append(dict(region_code=r["region_code"], year=int(r["year"]), indicator=r["indicator"],
                        published_value=pub[i], action=r["action"], evidence=r["evidence"]))
    return panel, pd.DataFrame(log)


def spike_review(panel: pd.DataFrame, keys=("gdp", "pop_resident", "land_area", "loans", "deposits"),
                 ratio: float = 2.0) -> pd.DataFrame:
    """Values more than `ratio` times (or less than 1/ratio of) both neighbouring years, in
    opposite directions: typing errors look like this, genuine breaks (包头 2017) do not revert.
    Returned for review, never changed here."""
    d = panel[panel["indicator"].isin(keys)].sort_values(["region_code", "indicator", "year"])
    g = d.groupby(["region_code", "indicator"])
    prev_v, next_v = g["value"].shift(1), g["value"].shift(-1)
    prev_y, next_y = g["year"].shift(1), g["year"].shift(-1)
    adj = (d["year"] - prev_y == 1) & (next_y - d["year"] == 1)
    up = (d["value"] > ratio * prev_v) & (d["value"] > ratio * next_v)
    down = (d["value"] * ratio < prev_v) & (d["value"] * ratio < next_v)
    out = d[adj & (up | down) & (prev_v > 0) & (next_v > 0)].copy()
    out["previous"] = prev_v[out.index]
    out["next"] = next_v[out.index]
    return out[["region_code", "year", "indicator", "value", "previous", "next", "source",
                "source_row"]]


def chain_real_gdp(v: pd.DataFrame, f: pd.DataFrame | None = None,
                   base_year: int = 2000) -> tuple[pd.Series, pd.Series]:
    """Real GDP at `base_year` prices, chain-linked from the published volume index (previous year
    = 100): level[t] = level[t-1] * gdp_index[t] / 100. The chain starts at the first year with both
    nominal GDP and the deflator (level = gdp / gdp_deflator; in 2000 the deflator is 1, so the
    2000 level is nominal GDP) and runs while the index has no gap; after a gap it restarts at the
    next such year, flagged `chain_restart`. Published indices are computed on a comparable
    territory (可比口径), so a boundary change (合肥 2011) does not show up as growth.
    Returns (values, flags) on v's index."""
    d = pd.DataFrame({"i": v["gdp_index"], "a": v["gdp"] / v["gdp_deflator"]}).sort_index()
    vals = np.full(len(d), np.nan)
    restart = np.zeros(len(d), dtype=bool)
    codes = d.index.get_level_values("region_code").to_numpy()
    years = d.index.get_level_values("year").to_numpy()
    ind, anc = d["i"].to_numpy(float), d["a"].to_numpy(float)
    level, started = np.nan, False
    for k in range(len(d)):
        if k == 0 or codes[k] != codes[k - 1]:
            level, started = np.nan, False
        if years[k] < base_year:
            continue
        linked = k > 0 and codes[k] == codes[k - 1] and years[k - 1] == years[k] - 1
        if started and linked and np.isfinite(level) and np.isfinite(ind[k]):
            level = level * ind[k] / 100
        else:
            restart[k] = started and np.isfinite(anc[k])
            level = anc[k]
            started = started or np.isfinite(anc[k])
        vals[k] = level
    out = pd.Series(vals, index=d.index).reindex(v.index)
    flags = pd.Series(np.where(restart, "chain_restart", ""), index=d.index).reindex(v.index)
    if f is not None:
        carry = f["gdp_index"].astype(str)
        flags = (flags + ";" + carry).map(lambda s: ";".join(sorted({t for t in s.split(";") if t})))
    return out, flags


def parts_mismatch(wide: pd.DataFrame, tol: float = 0.02) -> pd.Series:
    """True where the three sectors' value added differs from GDP by more than `tol`."""
    parts = wide[["va_primary", "va_secondary", "va_tertiary"]].sum(axis=1, min_count=3)
    return ((parts - wide["gdp"]).abs() / wide["gdp"]) > tol


def _wide(panel: pd.DataFrame, field: str) -> pd.DataFrame:
    return panel.pivot_table(index=KEYS, columns="indicator", values=field, aggfunc="first")


def derive(panel: pd.DataFrame) -> pd.DataFrame:
    """All derived indicators (see the dictionary, kind='derived') as long rows."""
    v = _wide(panel, "value")
    f = _wide(panel[panel["flag"] != ""], "flag").reindex_like(v) if (panel["flag"] != "").any() \
        else pd.DataFrame(index=v.index, columns=v.columns)
    f = f.reindex(columns=v.columns).astype(object).fillna("")
    for col in indicators.INDICATORS:
        if col not in v:
            v[col] = np.nan
            f[col] = ""
    rate = panel[panel["indicator"] == "usd_cny"].set_index("year")
    rate_v = v.index.get_level_values("year").map(rate["value"])
    rate_f = pd.Series(v.index.get_level_values("year").map(rate["flag"]), index=v.index).fillna("")
    pop = v["pop_resident"].fillna(v["pop_resident_filled"])
    pop_f = f["pop_resident"].where(v["pop_resident"].notna(), f["pop_resident_filled"])

    def fl(*parts):
        out = pd.Series("", index=v.index)
        for p in parts:
            out = out.str.cat(p.fillna("").astype(str), sep=";")
        return out.map(lambda s: ";".join(sorted({t for t in s.split(";") if t})))

    real, real_f = chain_real_gdp(v, f)
    # the 2016 yearbook reports 2015: its patents over the whole-city resident population of 2015
    pop15 = pop.xs(2015, level="year")
    pop15_f = pop_f.xs(2015, level="year")
    codes = v.index.get_level_values("region_code")
    pop_2015 = pd.Series(codes.map(pop15).values, index=v.index, dtype=float)
    pop_2015_f = pd.Series(codes.map(pop15_f).values, index=v.index).fillna("")
    mism = parts_mismatch(v).map({True: "parts_mismatch", False: ""}).fillna("")
    out = {
        "share_primary": (v["va_primary"] / v["gdp"] * 100, fl(mism)),
        "share_secondary": (v["va_secondary"] / v["gdp"] * 100, fl(mism)),
        "share_tertiary": (v["va_tertiary"] / v["gdp"] * 100, fl(mism)),
        "ts_ratio": (v["va_tertiary"] / v["va_secondary"], fl(mism)),
        "gdp_real": (real, fl(real_f)),
        "gdp_real_growth": (v["gdp_index"] - 100, fl(f["gdp_index"])),
        "gdp_pc": (v["gdp"] * 1e8 / (pop * 1e4), fl(f["gdp"], pop_f)),
        "gdp_pc_real": (real * 1e8 / (pop * 1e4), fl(real_f, pop_f)),
        "fdi_cny": (v["fdi_usd"] * rate_v / 100, fl(f["fdi_usd"], rate_f)),
        "fdi_gdp": (v["fdi_usd"] * rate_v / 100 / v["gdp"] * 100, fl(f["fdi_usd"], rate_f, f["gdp"])),
        "fdi_pc": (v["fdi_usd"] * 1e6 / (pop * 1e4), fl(f["fdi_usd"], pop_f)),
        "loans_gdp": (v["loans"] / v["gdp"], fl(f["loans"], f["gdp"])),
        "deposits_gdp": (v["deposits"] / v["gdp"], fl(f["deposits"], f["gdp"])),
        "pop_density": (pop * 1e4 / v["land_area"], fl(pop_f)),
        "patents_per_10k_2016": (v["patents_2016"] / pop_2015, fl(pop_2015_f)),
        "patents_per_10k_urban_2016": (v["patents_2016"] / v["pop_resident_2016"], fl()),
        "census_net_inflow": (v["census_pop"] - v["census_hukou"], fl()),
        "census_net_inflow_share": ((v["census_pop"] - v["census_hukou"]) / v["census_pop"] * 100, fl()),
        "census_migrant_share": (v["census_migrants_other_province"] / v["census_pop"] * 100, fl()),
        "census_urban_share": (v["census_pop_urban"] / v["census_pop"] * 100, fl()),
        "census_manufacturing_share": (v["census_manufacturing"] / v["census_employed"] * 100, fl()),
        "co2_gdp": (v["co2_edgar"] / v["gdp"], fl(f["co2_edgar"], f["gdp"])),
        "so2_gdp": (v["so2_industrial"] / v["gdp"], fl(f["so2_industrial"], f["gdp"])),
        "beds_per_1000": (v["hospital_beds"] / (pop * 1e4) * 1000, fl(f["hospital_beds"], pop_f)),
    }
    parts, rejected = [], []
    for key, (values, flags) in out.items():
        ind = indicators.get(key)
        s = values.replace([np.inf, -np.inf], np.nan).dropna()
        bad = ((ind.lo is not None) & (s < ind.lo)) | ((ind.hi is not None) & (s > ind.hi))
        if bad.any():  # implausible result of implausible inputs: a gap, listed for review
            r = s[bad].rename("value").reset_index()
            r["indicator"] = key
            rejected.append(r)
            s = s[~bad]
        if s.empty:
            continue
        part = s.rename("value").reset_index()
        part["indicator"] = key
        part["unit"] = ind.unit
        part["source"] = "derived: " + ind.definition
        part["source_row"] = 0
        part["flag"] = flags.reindex(s.index).fillna("").values
        parts.append(part)
    derived = pd.concat(parts, ignore_index=True)
    derived.attrs["rejected"] = AttrFrame(pd.concat(rejected, ignore_index=True) if rejected
                                           else pd.DataFrame(columns=[*KEYS, "value", "indicator"]))
    return derived


def mark_mismatch(panel: pd.DataFrame) -> pd.DataFrame:
    """Flag GDP and value-added rows whose parts do not add up to GDP (kept, not changed)."""
    v = _wide(panel, "value")
    if not {"gdp", "va_primary", "va_secondary", "va_tertiary"} <= set(v.columns):
        return panel
    bad = parts_mismatch(v)
    bad_idx = set(bad[bad].index)
    m = panel["indicator"].isin(["gdp", "va_primary", "va_secondary", "va_tertiary"]) & \
        pd.Series(list(zip(panel["region_code"], panel["year"])), index=panel.index).isin(bad_idx)
    panel = panel.copy()
    panel.loc[m, "flag"] = (panel.loc[m, "flag"] + ";parts_mismatch").str.strip(";")
    return panel


def mark_boundary_breaks(panel: pd.DataFrame) -> pd.DataFrame:
    """Flag the first year on the new territory of every prefecture whose boundary changed
    (:func:`regions.boundary_breaks`: absorbed an abolished unit, or gave or received a county):
    growth across it is not like-for-like."""
    breaks = regions.boundary_breaks()
    m = pd.Series(list(zip(panel["region_code"], panel["year"])), index=panel.index).isin(breaks)
    panel = panel.copy()
    panel.loc[m, "flag"] = (panel.loc[m, "flag"] + ";boundary_break").str.strip(";")
    return panel
