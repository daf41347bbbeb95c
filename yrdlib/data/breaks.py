"""Series breaks: detection, the reviewed decisions table, and the flags they put on the panel.

Three classes of break are looked for in every indicator that a method reads (`AUDITED`); each is
detected on the *root* series (the published one: `fdi_usd` for FDI/GDP and FDI per capita, the
sector shares for the structure indicators) and a decision on the root carries to every indicator
derived from it (`DEPENDENTS`).

(a) spikes: a value far from both neighbours that reverts (typing errors): `derive.spike_review`,
    now over every audited root; they go to `review_spikes.csv` and the corrections table.
(b) province-year breaks: in year t, at least `SHARE` (50 %) of a province's reporting cities (at
    least `MIN_CITIES` = 3 with values in t-1 and t), and at least `MIN_MOVERS` (3) cities, move
    by more than `K_PROVINCE` (3) robust standard deviations of the indicator's usual year-on-year
    change, all in the same direction (so a province with 3 or 4 reporting cities needs 3 of them:
    2 of 3 lumpy FDI series moving the same way happens by chance, Xinjiang 2009), and the
    province's median change differs from the national median by at least
    `MIN_PROVINCE_SHIFT` (log 1.1, 10 %: a robust SD of 1 % for population would otherwise make
    a 3 % census revision a break). The
    usual change is the pooled median of Δlog over all cities and years, the spread 1.4826 × its
    median absolute deviation (robust: the breaks themselves do not widen it). A common shock
    that moves a whole province within its usual spread is not a break; a reporting basis change
    (Anhui FDI 2022: 14 of 16 cities fall more than 7-fold) is.
(c) city level shifts that do not revert: |Δlog - median| > `K_CITY` (6) robust SDs and
    |Δlog| ≥ `MIN_SHIFT` (log 1.5: a 50 % jump or a fall by a third), and neither of the next two
    years comes back to within `REVERT` (a quarter) of the jump from the old level (a partial
    reversion, 台州 road area 24.7 → 15.5 → 19.6, is still a break); a shift in the last year of a series
    counts (nothing yet shows it reverting). City-years inside a detected province-year break are
    left to that break.
(d) repeated values (compiler fills): a city's published value exactly equal, at the precision
    it is published with, to the year before, where the usual year-on-year change makes that
    improbable (chance below `REPEAT_ALPHA`, see `repeats`), on the published series of `REPEATS`.

Changes are audited from `FIRST_YEAR` (2001, the change 2000 -> 2001) on: every notebook starts
in 2000 at the earliest. Everything is deterministic: sorted inputs, no sampling, thresholds fixed
here. Each detected break needs a row in `data/raw/breaks/breaks.csv` (`DECISIONS`, with a reason);
`undecided()` lists the ones without, and `yrd data check` fails on them.

A level shift that does not revert puts the series on a new basis: the values after it are the
current basis, comparable with the other cities' current values, and the ones before are not
comparable with them. `keep_latest_basis` therefore flags the values *before* the break year
(`earlier_basis`); levels in the latest years stay, and a change across the break is lost with
the earlier value. `set_missing_from` / `end_series` flag the values from the break on; they are
for values that are themselves doubtful (a sevenfold jump in the last year) or for a province-year
basis change whose earlier segment the methods need (FDI, see docs/data_breaks.md).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from yrdlib import config, regions
from yrdlib.data.clean import read_raw
from yrdlib.errors import DataError

K_PROVINCE = 3.0
SHARE = 0.5
MIN_CITIES = 3
MIN_MOVERS = 3  # cities on the moving side: 2 of 3 lumpy series moving together is chance
MIN_PROVINCE_SHIFT = float(np.log(1.1))
K_CITY = 6.0
MIN_SHIFT = float(np.log(1.5))
REVERT = 0.25
REPEAT_ALPHA = 0.001  # an exact repeat this improbable under the usual changes is a fill
FIRST_YEAR = 2001  # first change audited (2000 -> 2001): every notebook starts in 2000 at the earliest

# root series the detector runs on -> indicators a decision on the root also covers
DEPENDENTS: dict[str, list[str]] = {
    "fdi_usd": ["fdi_usd", "fdi_cny", "fdi_gdp", "fdi_pc"],
    "gdp": ["gdp", "gdp_pc", "fdi_gdp", "loans_gdp", "deposits_gdp"],
    "gdp_real": ["gdp_real", "gdp_pc_real", "gdp_real_growth"],
    "pop_resident": ["pop_resident", "pop_resident_filled", "gdp_pc", "gdp_pc_real", "fdi_pc",
                     "pop_density"],
    "share_secondary": ["share_secondary", "ts_ratio"],
    "share_tertiary": ["share_tertiary", "ts_ratio"],
    "loans": ["loans", "loans_gdp"],
    "deposits": ["deposits", "deposits_gdp"],
    "road_area_pc": ["road_area_pc", "road_area_pc_filled"],
    "hospital_beds": ["hospital_beds", "beds_per_1000"],
}
ROOTS = list(DEPENDENTS)
_SHARES = ["share_primary", "share_secondary", "share_tertiary"]
# published series checked for repeated values (class d) -> indicators a fill in it reaches.
# Not checked, being legitimately constant or repeated at their precision: land_area (the
# territory does not change between boundary changes), usd_cny (pegged until 2005), gdp_index
# (a growth rate at 0.1 point: equal rates in two years are common), the filled variants (their
# published root is checked) and the cross-sections. Population is checked, but at the
# precision it is published with (often whole 万) an unchanged estimate is usually not improbable.
REPEATS: dict[str, list[str]] = {
    "fdi_usd": DEPENDENTS["fdi_usd"],
    "gdp": [*DEPENDENTS["gdp"], *_SHARES],
    "pop_resident": DEPENDENTS["pop_resident"],
    "loans": DEPENDENTS["loans"],
    "deposits": DEPENDENTS["deposits"],
    "road_area_pc": DEPENDENTS["road_area_pc"],
    "va_primary": ["va_primary", "share_primary"],
    "va_secondary": ["va_secondary", "share_secondary", "ts_ratio"],
    "va_tertiary": ["va_tertiary", "share_tertiary", "ts_ratio"],
}
SPIKE_KEYS = ("gdp", "pop_resident", "land_area", "loans", "deposits", "fdi_usd", "va_primary",
              "va_secondary", "va_tertiary", "road_area_pc", "gdp_index")
# every panel indicator a method reads (yrdlib/claims/*, yrdlib/groups.py), and how it is audited
AUDITED: dict[str, str] = {
    "gdp": "detected", "gdp_real": "detected (chain-linked: boundary changes are not growth)",
    "gdp_real_growth": "via gdp_real", "gdp_pc": "via gdp and pop_resident",
    "gdp_pc_real": "via gdp_real and pop_resident", "fdi_gdp": "via fdi_usd and gdp",
    "fdi_pc": "via fdi_usd and pop_resident", "share_secondary": "detected",
    "share_tertiary": "detected", "loans_gdp": "via loans and gdp",
    "deposits_gdp": "via deposits and gdp", "pop_resident": "detected",
    "pop_resident_filled": "via pop_resident", "road_area_pc": "detected",
    "patents_per_10k_2016": "one cross-section: no time breaks; denominator is the whole-city "
                            "population of 2015",
    "census_*": "two censuses: no time breaks within a census",
    "hospital_beds": "detected (P.public)", "beds_per_1000": "via hospital_beds and pop_resident",
    # read only by the paths' descriptions (a percentile in one year and its change), never by a
    # test; the detector's log-change rules do not fit them, so they are not audited (a limit
    # stated in docs/data_breaks.md): a bounded rate that jumps to 100 % when a plant opens, a
    # model estimate, an emission count whose survey scope changed in 2011
    "waste_safe_rate": "not audited: a bounded rate (0-100 %) that jumps when a treatment plant "
                       "opens; P.ecology only",
    "co2_gdp": "not audited: EDGAR model estimate (not official statistics); P.energy only",
    "so2_gdp": "not audited: industrial SO2 survey scope changed in 2011 (province-wide jumps in "
               "2011, back in 2012); P.ecology uses 2012 and earlier years only",
}
DECISIONS = ("keep", "keep_latest_basis", "set_missing_from", "end_series", "drop_repeat")
FLAG = {"keep_latest_basis": "earlier_basis", "set_missing_from": "series_break",
        "end_series": "series_end", "drop_repeat": "repeated_value"}
LAST = 9999
COLUMNS = ["indicator", "scope", "year", "direction", "evidence", "decision", "reason"]


def _province(codes: pd.Series) -> pd.Series:
    return codes.str[:2] + "0000"


def changes(panel: pd.DataFrame, key: str) -> pd.DataFrame:
    """Year-on-year log changes of one indicator between consecutive years: region_code, year,
    province, prev, value, dlog, z (robust standardised: (dlog - median) / (1.4826 MAD))."""
    d = panel[(panel["indicator"] == key) & (panel["value"] > 0)]
    d = d[["region_code", "year", "value"]].sort_values(["region_code", "year"])
    g = d.groupby("region_code")
    d = d.assign(prev=g["value"].shift(1), prev_year=g["year"].shift(1))
    d = d[d["year"] - d["prev_year"] == 1].copy()
    d["dlog"] = np.log(d["value"]) - np.log(d["prev"])
    med = d["dlog"].median()
    s = 1.4826 * (d["dlog"] - med).abs().median()
    d["z"] = (d["dlog"] - med) / s if s > 0 else 0.0
    d["province"] = _province(d["region_code"])
    d = d[d["year"] >= FIRST_YEAR]
    d.attrs.update(median=float(med), scale=float(s))
    return d.drop(columns="prev_year").reset_index(drop=True)


def province_years(panel: pd.DataFrame, key: str) -> pd.DataFrame:
    """Every province-year of one indicator: n reporting cities, n up / down beyond K_PROVINCE,
    the share of the larger side and the median Δlog; `break` where the rule holds."""
    d = changes(panel, key)
    d = d[d["region_code"] != d["province"]]  # municipalities are their own province: rule (c)
    up = (d["z"] > K_PROVINCE).groupby([d["province"], d["year"]]).sum()
    down = (d["z"] < -K_PROVINCE).groupby([d["province"], d["year"]]).sum()
    n = d.groupby(["province", "year"]).size()
    med = d.groupby(["province", "year"])["dlog"].median()
    out = pd.DataFrame({"n": n, "up": up, "down": down, "median_dlog": med}).reset_index()
    out["share"] = out[["up", "down"]].max(axis=1) / out["n"]
    out["direction"] = np.where(out["up"] >= out["down"], "up", "down")
    out["movers"] = out[["up", "down"]].max(axis=1)
    out["break"] = (out["n"] >= MIN_CITIES) & (out["movers"] >= MIN_MOVERS) & \
        (out["share"] >= SHARE) & \
        ((out["median_dlog"] - d.attrs["median"]).abs() >= MIN_PROVINCE_SHIFT)
    out.insert(0, "indicator", key)
    return out


def city_shifts(panel: pd.DataFrame, key: str, skip: set | None = None) -> pd.DataFrame:
    """Rule (c): single-city level shifts that do not revert (see module doc)."""
    d = changes(panel, key)
    big = d[(d["z"].abs() > K_CITY) & (d["dlog"].abs() >= MIN_SHIFT)]
    p = panel[(panel["indicator"] == key) & (panel["value"] > 0)]
    lv = np.log(p.set_index(["region_code", "year"])["value"]).sort_index()
    rows = []
    for r in big.itertuples():
        if skip and (r.province, r.year) in skip:
            continue
        new, old = np.log(r.value), np.log(r.prev)
        later = [lv.get((r.region_code, r.year + h)) for h in (1, 2)]
        later = [x for x in later if x is not None and np.isfinite(x)]
        if any(abs(x - old) <= REVERT * abs(new - old) for x in later):
            continue  # back within a quarter of the jump in two years: a spike, class (a)
        before = lv.get((r.region_code, r.year - 2))
        if before is not None and abs(before - new) <= REVERT * abs(new - old):
            continue  # the way back of a one-year spike, class (a)
        rows.append(dict(indicator=key, scope=r.region_code, year=int(r.year),
                         direction="up" if r.dlog > 0 else "down", n=1, dlog=r.dlog,
                         prev=r.prev, value=r.value, confirmed=bool(later)))
    return pd.DataFrame(rows, columns=["indicator", "scope", "year", "direction", "n", "dlog",
                                       "prev", "value", "confirmed"])


def decimals(values) -> np.ndarray:
    """Decimals each value is published with (0-4): the fewest that reproduce it (a float32
    artefact such as 68.580002 reads as 2). A trailing zero the source printed is not seen, so
    the precision is never overstated."""
    v = np.asarray(values, dtype=float)
    out = np.full(len(v), 4)
    for k in range(3, -1, -1):
        x = v * 10.0 ** k
        out = np.where(np.abs(x - np.round(x)) <= 1e-6 * np.maximum(1.0, np.abs(x)), k, out)
    return out


def repeats(panel: pd.DataFrame, key: str) -> pd.DataFrame:
    """Class (d): years whose value repeats the year before exactly (at the published precision)
    where that is improbable: region_code, year, value, decimals, chance.

    A real change leaves the printed figure unchanged only if |Δlog| < half a unit of the last
    digit / value, which has probability about f0 · 10^-decimals / value, f0 being the density of
    the indicator's year-on-year Δlog around 0 (the share of non-zero changes within half a robust
    SD of 0, per unit of Δlog). A repeat with `chance` < `REPEAT_ALPHA` is flagged: 松原 FDI 68.58 in
    2005 and 2006 has a chance of 0.02 %; an FDI of 16 (whole 百万美元) repeating has 8 %, a
    population of 321 万 repeating 12 %: these are not flagged."""
    d = panel[(panel["indicator"] == key) & (panel["value"] > 0)]
    d = d[["region_code", "year", "value"]].sort_values(["region_code", "year"])
    g = d.groupby("region_code")
    d = d.assign(prev=g["value"].shift(1), prev_year=g["year"].shift(1))
    d = d[d["year"] - d["prev_year"] == 1].copy()
    cols = ["region_code", "year", "value", "decimals", "chance"]
    if d.empty:
        return pd.DataFrame(columns=cols)
    dlog = np.log(d["value"]) - np.log(d["prev"])
    same = (d["value"] - d["prev"]).abs() <= 1e-6 * d["value"]
    moved = dlog[~same]
    s = 1.4826 * (moved - moved.median()).abs().median()
    h = s / 2 if s > 0 else 0.01
    f0 = float((moved.abs() <= h).sum() / (2 * h * max(len(moved), 1)))
    d["decimals"] = decimals(d["value"])
    d["chance"] = f0 * 10.0 ** (-d["decimals"]) / d["value"]
    out = d[same & (d["chance"] < REPEAT_ALPHA) & (d["year"] >= FIRST_YEAR)]
    return out[cols].reset_index(drop=True)


def _names() -> dict[str, str]:

    ref = regions.reference()
    names = dict(zip(ref["province_code"], ref["province_zh"] + " " + ref["province_en"]))
    names.update(zip(ref.index, ref["short_zh"]))
    return names


def detect(panel: pd.DataFrame, keys: list[str] | None = None) -> pd.DataFrame:
    """All class (b), (c) and (d) breaks: indicator, scope (province or region code), year,
    direction, class (province / city / repeat), evidence (the numbers that show it), sorted."""
    names = _names()
    rows = []
    for key in keys or ROOTS:
        py = province_years(panel, key)
        hit = py[py["break"]]
        for r in hit.itertuples():
            side = r.up if r.direction == "up" else r.down
            rows.append(dict(indicator=key, scope=r.province, year=int(r.year),
                             direction=r.direction, cls="province",
                             evidence=f"{int(side)}/{int(r.n)} {names.get(r.province, r.province)} "
                                      f"cities {r.direction} beyond {K_PROVINCE:g} robust SD, "
                                      f"median Δlog {r.median_dlog:+.2f}"))
        skip = set(zip(hit["province"], hit["year"]))
        for r in city_shifts(panel, key, skip).itertuples():
            rows.append(dict(indicator=key, scope=r.scope, year=r.year, direction=r.direction,
                             cls="city", evidence=f"{names.get(r.scope, r.scope)} {r.prev:,.4g} → "
                             f"{r.value:,.4g} (Δlog {r.dlog:+.2f}), "
                             + ("not reverting" if r.confirmed else "last year of the series")))
    for key in [k for k in REPEATS if keys is None or k in keys]:
        for r in repeats(panel, key).itertuples():
            v = f"{r.value:,.{int(r.decimals)}f}"
            rows.append(dict(indicator=key, scope=r.region_code, year=int(r.year),
                             direction="flat", cls="repeat",
                             evidence=f"{names.get(r.region_code, r.region_code)} {v} in "
                             f"{r.year - 1} and {r.year}: exact repeat at {int(r.decimals)} "
                             f"decimals (chance under the usual changes {r.chance * 100:.2g} %)"))
    out = pd.DataFrame(rows, columns=["indicator", "scope", "year", "direction", "cls", "evidence"])
    return out.sort_values(["indicator", "scope", "year"]).reset_index(drop=True)


def read_decisions(path: Path | None = None) -> pd.DataFrame:
    """data/raw/breaks/breaks.csv, checked: known indicator, decision, a reason on every row."""
    path = path or config.RAW / "breaks" / "breaks.csv"
    d = read_raw(path, COLUMNS)
    f = d.attrs["file"]
    for _, r in d.iterrows():
        line = int(r["_line"])
        if r["indicator"] not in DEPENDENTS and r["indicator"] not in REPEATS:
            raise DataError(f, f"not an audited root indicator ({', '.join(ROOTS)}; for repeats "
                            f"also {', '.join(k for k in REPEATS if k not in DEPENDENTS)})",
                            row=line, column="indicator", value=r["indicator"])
        if r["decision"] not in DECISIONS:
            raise DataError(f, f"unknown decision ({', '.join(DECISIONS)})", row=line,
                            column="decision", value=r["decision"])
        if r["decision"] == "drop_repeat" and r["direction"] != "flat":
            raise DataError(f, "drop_repeat is the decision for a repeated value (direction "
                            "flat) only", row=line, column="decision", value=r["decision"])
        if r["indicator"] not in DEPENDENTS and r["decision"] != "drop_repeat":
            raise DataError(f, "this series is checked for repeats only", row=line,
                            column="decision", value=r["decision"])
        if not r["reason"].strip():
            raise DataError(f, "a decision needs a reason", row=line, column="reason")
        if not r["year"].isdigit():
            raise DataError(f, "year is not a year", row=line, column="year", value=r["year"])
        if not (len(r["scope"]) == 6 and r["scope"].isdigit()):
            raise DataError(f, "scope is a 6-digit province or region code", row=line,
                            column="scope", value=r["scope"])
    d["year"] = d["year"].astype(int)
    d["scope"] = d["scope"].astype(str)
    return d


def undecided(detected: pd.DataFrame, decisions: pd.DataFrame) -> pd.DataFrame:
    """Detected breaks with no row (same indicator, scope and year) in the decisions table."""
    key = ["indicator", "scope", "year"]
    m = detected.merge(decisions[key].drop_duplicates(), on=key, how="left", indicator=True)
    return m[m["_merge"] == "left_only"].drop(columns="_merge").reset_index(drop=True)


def exclusions(panel: pd.DataFrame, decisions: pd.DataFrame) -> pd.DataFrame:
    """The city-indicator-year ranges that decisions take out of the comparable series:
    region_code, indicator, from_year, to_year (inclusive), flag, reason (a province scope covers
    its cities). keep_latest_basis: the years before the break; set_missing_from / end_series:
    the break year on; drop_repeat: the repeated year only."""
    codes = pd.Series(sorted(panel["region_code"].unique()))
    rows = []
    for r in decisions[decisions["decision"] != "keep"].itertuples():
        scope = codes[_province(codes) == r.scope] if r.scope.endswith("0000") else [r.scope]
        lo, hi = {"keep_latest_basis": (0, r.year - 1),
                  "drop_repeat": (r.year, r.year)}.get(r.decision, (r.year, LAST))
        covers = REPEATS[r.indicator] if r.decision == "drop_repeat" else DEPENDENTS[r.indicator]
        for c in scope:
            for ind in covers:
                rows.append(dict(region_code=c, indicator=ind, from_year=lo, to_year=hi,
                                 flag=FLAG[r.decision], reason=f"{r.indicator} {r.scope} "
                                 f"{r.year}: {r.reason}"))
    out = pd.DataFrame(rows, columns=["region_code", "indicator", "from_year", "to_year", "flag",
                                      "reason"])
    # one row per range; where two of one flag cover a year, the reader takes the first:
    # the earliest break for series_break, the latest for earlier_basis
    return out.sort_values(["region_code", "indicator", "flag", "from_year", "to_year"],
                           ascending=[True, True, True, True, False]).drop_duplicates(
        ["region_code", "indicator", "flag", "from_year", "to_year"]).reset_index(drop=True)


def mark(panel: pd.DataFrame, excl: pd.DataFrame) -> pd.DataFrame:
    """Add the decision flag (earlier_basis, series_break, series_end, repeated_value) to every
    value the exclusions cover. Values are kept: `panel.wide(comparable=True)` leaves them out."""
    if excl.empty:
        return panel
    e = excl[["region_code", "indicator", "from_year", "to_year", "flag"]].rename(
        columns={"flag": "add"})
    keys = panel[["region_code", "indicator", "year"]].reset_index(drop=True)
    m = keys.reset_index().merge(e, on=["region_code", "indicator"], how="inner")
    m = m[(m["year"] >= m["from_year"]) & (m["year"] <= m["to_year"])]
    add = m.groupby("index")["add"].agg(";".join)  # only the rows a decision covers change
    panel = panel.copy()
    pos = add.index.to_numpy()
    old = panel["flag"].to_numpy()[pos]
    flags = panel["flag"].to_numpy(copy=True)
    flags[pos] = [";".join(sorted({t for t in (f + ";" + a).split(";") if t}))
                  for f, a in zip(old, add.to_numpy())]
    panel["flag"] = flags
    return panel


def apply(panel: pd.DataFrame, path: Path | None = None,
          detected: pd.DataFrame | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Detect, join the decisions. Returns (detected with decision and reason, '' where none;
    exclusions for `mark`). Undecided breaks are not excluded: `yrd data check` fails on them."""
    detected = detect(panel) if detected is None else detected
    dec = read_decisions(path)
    key = ["indicator", "scope", "year"]
    out = detected.merge(dec[[*key, "decision", "reason"]].drop_duplicates(key), on=key, how="left")
    out[["decision", "reason"]] = out[["decision", "reason"]].fillna("")
    return out, exclusions(panel, dec)


def check_lines(panel: pd.DataFrame, path: Path | None = None,
                det: pd.DataFrame | None = None) -> list[str]:
    """One line per detected break without a decision (for `yrd data check`)."""
    detected, _ = apply(panel, path, det)
    names = _names()
    user = user_breaks(panel, detected)
    mine = {k for k, _ in user}
    return [str(e) for _, e in user] + [
        f"undecided series break: {r.indicator} {r.scope} ({names.get(r.scope, r.scope)}) "
        f"{r.year} {r.direction}: {r.evidence}; add a row to data/raw/breaks/breaks.csv"
        for r in detected[detected["decision"] == ""].itertuples()
        if (r.indicator, r.scope, r.year) not in mine]


def review(panel: pd.DataFrame, path: Path | None = None) -> tuple[list[str], list[str]]:
    """(errors, warnings) for `yrd data check`: undecided breaks, stale decisions; one detection."""
    det = detect(panel)
    return check_lines(panel, path, det), stale_lines(panel, path, det)


def stale_lines(panel: pd.DataFrame, path: Path | None = None,
                det: pd.DataFrame | None = None) -> list[str]:
    """One line per decision row that matches no detected break (the data or the rule changed):
    a warning, since a stale `keep` does nothing, but a stale exclusion still takes values out."""
    dec = read_decisions(path)
    det = detect(panel) if det is None else det
    key = ["indicator", "scope", "year"]
    m = dec.merge(det[key], on=key, how="left", indicator=True).rename(columns={"_line": "line"})
    return [f"decision matches no detected break (line {r.line}): {r.indicator} {r.scope} {r.year} "
            f"{r.decision}" for r in m[m["_merge"] == "left_only"].itertuples()]


def share_table(panel: pd.DataFrame, key: str, years: tuple[int, int] | None = None) -> pd.DataFrame:
    """Province × year share of a province's cities that move beyond K_PROVINCE robust SDs (the
    larger side, signed: negative for falls), for a heatmap; provinces with MIN_CITIES or more."""
    py = province_years(panel, key)
    py = py[py["n"] >= MIN_CITIES]
    if years is not None:
        py = py[py["year"].between(*years)]
    py = py.assign(share=py["share"].where(py["direction"] == "up", -py["share"]))
    names = _names()
    py["province"] = py["province"].map(lambda c: names.get(c, c).split(" ")[0])
    return py.pivot_table(index="province", columns="year", values="share", aggfunc="first")


def decision_counts(detected: pd.DataFrame) -> pd.DataFrame:
    """Detected breaks by root indicator × decision ('' = undecided), with the class split."""
    d = detected.assign(decision=detected["decision"].replace("", "undecided"))
    return d.pivot_table(index=["indicator", "cls"], columns="decision", values="year",
                         aggfunc="size", fill_value=0)


def user_breaks(panel: pd.DataFrame, detected: pd.DataFrame) -> list[tuple[tuple, DataError]]:
    """Undecided breaks that a user's figure (flag `user`, data/user/) takes part in: one
    DataError each, naming the user's file and line and what to do. A user series is the
    likeliest place for a unit or typing error (10× GDP), so these stop `yrd data check` and
    `yrd run` (exit 3) instead of pointing at breaks.csv. Returns ((indicator, scope, year),
    error) pairs."""
    if detected is None or detected.empty:
        return []
    und = detected[detected["decision"] == ""]
    user = panel[panel["flag"].str.contains(r"(?:^|;)user(?:;|$)", regex=True)]
    if und.empty or user.empty:
        return []
    names = _names()
    idx = user.set_index(["region_code", "indicator", "year"])
    out = []
    for r in und.itertuples():
        if r.scope.endswith("0000"):  # a province-year break: any user figure of its cities
            cand = user[(user["indicator"] == r.indicator) & user["year"].isin([r.year, r.year - 1])
                        & (user["region_code"].str[:2] == r.scope[:2])]
            hit = cand.iloc[0] if len(cand) else None
        else:
            hit = None
            for y in (r.year, r.year - 1):
                if (r.scope, r.indicator, y) in idx.index:
                    hit = idx.loc[(r.scope, r.indicator, y)]
                    hit = (hit.iloc[0] if isinstance(hit, pd.DataFrame) else hit).copy()
                    hit["year"] = y
                    break
        if hit is None:
            continue
        file = str(hit["source"]).split(" :: ")[0]
        out.append(((r.indicator, r.scope, r.year), DataError(
            file, f"your figure makes an undecided series break: {r.indicator} {r.scope} "
            f"({names.get(r.scope, r.scope)}) {r.year} {r.direction} ({r.evidence}); check it "
            "against your source (unit? a digit too many?) and correct this line, or, if it is "
            f"right, add a decision row '{r.indicator},{r.scope},{r.year},…' to "
            "data/raw/breaks/breaks.csv", row=int(hit["source_row"]), column="value",
            value=float(hit["value"]))))
    return out
