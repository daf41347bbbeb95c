"""The data-overview report's computations: what the official statistics cover, where the gaps
are, what was flagged, dropped, corrected or cut at a series break, and where one focus city stands.

Every function is pure (the long panel or a processed table in, a DataFrame, a text or a figure
out) so that the notebook ``notebooks/data_overview.ipynb`` is narrative and one call per table or
figure, and the numbers it shows are tested here without a kernel (``tests/test_overview.py``).
Nothing is interpolated: a gap stays a gap, and a share of 0 is drawn as "no data", not as "low".
Flag meanings come only from :data:`yrdlib.vocab.FLAG_MEANING`.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from yrdlib import config, groups, plotting, regions, vocab
from yrdlib.data import breaks, indicators, panel, sources

YRD_LABEL = ("长三角41市", "YRD-41")
NATION_LABEL = ("全国地级及以上", "all prefectures")
KEY_INDICATORS = ["gdp_pc", "fdi_gdp", "share_tertiary", "pop_resident", "loans_gdp",
                  "gdp_real_growth"]
"""The six series of the focus-city comparison: income, openness, structure, size, finance, growth."""
CENSUS = ["census_pop", "census_hukou", "census_migrants_other_province",
          "census_manufacturing_share"]
CENSUS_YEARS = (2010, 2020)
TAIZHOU = "331000"
_KIND_ORDER = {"reported": 0, "derived": 1, "cross_section": 2, "census": 3, "user": 4}


# ------------------------------------------------------------------------------ helpers
def prefectures() -> pd.DataFrame:
    """The reference rows of prefecture-level units (prefectures and municipalities), including
    the abolished ones (``valid_to``): the national comparison group."""
    ref = regions.reference()
    return ref[ref["level"].isin(["prefecture", "municipality"])]


def in_years(p: pd.DataFrame, years: tuple[int, int]) -> pd.DataFrame:
    """Rows of the long panel within the chosen years."""
    return p[p["year"].between(*years)]


def _is_one_off(key: str) -> bool:
    """Census and the 2016 cross-section: one or two years, shown whatever the chosen years."""
    return key.startswith("census_") or key.endswith("_2016") or \
        indicators.get(key).kind in ("census", "cross_section")


def _group(key: str) -> int:
    if key.startswith("census_"):
        return 3
    return 2 if key.endswith("_2016") else _KIND_ORDER.get(indicators.get(key).kind, 9)


def focus_note(focus: regions.Region, years: tuple[int, int]) -> str:
    """One line naming the focus (code, province, level), the years against the panel's range,
    and its YRD status (member since, a county of ..., or not a member)."""
    lo, hi = panel.year_range()
    if focus.yrd_join_year:
        status = f"YRD coordination association member since {focus.yrd_join_year}."
    elif focus.level == "county":
        status = (f"A county of {regions.resolve(focus.parent_code).label} ({focus.parent_code}); "
                  "the yearbook panels are for prefecture-level units.")
    else:
        status = "Not one of the 41 YRD cities."
    return (f"**{focus.name_zh} {focus.name_en}** ({focus.code}, {focus.province_en}, "
            f"{focus.level}); years {years[0]}–{years[1]} (panel: {lo}–{hi}). {status}")


# ------------------------------------------------------------------------------ sources
def sources_table(raw=None) -> pd.DataFrame:
    """One row per raw folder from its SOURCE.yml (title, original publication, licence,
    coverage as the compilers state them): where every number comes from."""
    rows = []
    for f in sorted((raw or config.RAW).glob("*/SOURCE.yml")):
        s = sources.load(f.parent)  # safe tags, no aliases (a bad file: SourceMismatchError)
        rows.append({"folder": f.parent.name, "title": s.get("title", ""),
                     "original publication": s.get("original_publication", ""),
                     "licence": s.get("licence", ""), "coverage": s.get("coverage", "")})
    return pd.DataFrame(rows, columns=["folder", "title", "original publication", "licence",
                                       "coverage"]).set_index("folder")


# ------------------------------------------------------------------------------ coverage
def city_indicators(p: pd.DataFrame, years: tuple[int, int]) -> list[str]:
    """Dictionary indicators with city data in the years, ordered: reported yearbook series,
    derived ones, the 2016 cross-section, the censuses (the national exchange rate, one series
    and not a city indicator, is left out). Raises when there is no city data at all."""
    pw = in_years(p, years)
    have = set(pw.loc[pw["region_code"] != "000000", "indicator"].unique())
    keys = sorted([k for k in indicators.INDICATORS if k in have], key=_group)
    if not keys:
        raise ValueError(f"no city data in {years[0]}-{years[1]}")
    return keys


def coverage(p: pd.DataFrame, years: tuple[int, int]) -> dict[str, pd.DataFrame]:
    """Indicator × year share of cities with a value: ``yrd`` over the 41 YRD cities, ``nation``
    over the prefecture-level units that existed in that year (an abolished prefecture such as
    巢湖 counts only while it existed, so the denominator is not inflated after 2011)."""
    keys = city_indicators(p, years)
    yrs = list(range(years[0], years[1] + 1))
    pw = in_years(p, years)
    have = pw[pw["indicator"].isin(keys) & pw["value"].notna()]
    pref = prefectures()
    alive = {y: set(pref.index[pref["valid_to"].isna() | (pref["valid_to"] >= y)]) for y in yrs}
    yrd41 = regions.yrd41()
    n_yrd = (have[have["region_code"].isin(yrd41)].groupby(["indicator", "year"])["region_code"]
             .nunique())
    nat = have[[c in alive[y] for c, y in zip(have["region_code"], have["year"])]]
    n_nat = nat.groupby(["indicator", "year"])["region_code"].nunique()
    den_nat = pd.Series({y: len(alive[y]) for y in yrs})

    def share(n, den):
        m = n.unstack("year").reindex(index=keys, columns=yrs).fillna(0)
        return m.div(den, axis=1) if isinstance(den, pd.Series) else m / den

    return {"yrd": share(n_yrd, len(yrd41)), "nation": share(n_nat, den_nat)}


def plot_coverage(cov: dict[str, pd.DataFrame], lang: str = "both"):
    """Two heatmaps side by side (YRD-41, all prefecture-level units); grey = no city has a value."""
    labels = [plotting.indicator_label(k, lang, unit=False) for k in cov["yrd"].index]
    fig, axes = plt.subplots(1, 2, figsize=(13, 0.24 * len(labels) + 1.2), sharey=True,
                             layout="constrained")
    for ax, m, t in [(axes[0], cov["yrd"], YRD_LABEL),
                     (axes[1], cov["nation"], ("全国地级及以上城市", "all prefecture-level units"))]:
        plotting.coverage_heatmap(ax, m.set_axis(labels), lang=lang,
                                  title=vocab.label(*t, lang), cbar=ax is axes[1], note=False)
    fig.suptitle(vocab.label("各指标逐年覆盖率（灰色 = 无数据）",
                             "Coverage of each indicator by year (grey = no data)", lang),
                 x=0.01, ha="left")
    return fig


def coverage_table(cov: dict[str, pd.DataFrame], lang: str = "both") -> pd.DataFrame:
    """Per indicator: kind, years with any data, years in which all 41 YRD cities are covered,
    and the mean coverage (YRD-41 and national) over the years with any data."""
    yrd, nat = cov["yrd"], cov["nation"]
    keys = list(yrd.index)
    return pd.DataFrame({
        "label": [plotting.indicator_label(k, lang) for k in keys],
        "kind": [indicators.get(k).kind for k in keys],
        "years with data": (nat > 0).sum(axis=1),
        "years all YRD-41 covered": (yrd >= 1).sum(axis=1),
        "mean YRD-41 %": (yrd.where(yrd > 0).mean(axis=1) * 100).round(1),
        "mean national %": (nat.where(nat > 0).mean(axis=1) * 100).round(1),
    }, index=keys)


def coverage_note(table: pd.DataFrame, n_years: int) -> str:
    """How many annual indicators cover all 41 cities in every year, and the three thinnest."""
    annual = table[table["kind"].isin(["reported", "derived"])]
    gappy = annual[annual["mean YRD-41 %"] < 100].sort_values("mean YRD-41 %")
    full = int((annual["years all YRD-41 covered"] == n_years).sum())
    text = (f"{len(table)} city indicators over {n_years} years; {len(annual)} annual ones, of "
            f"which {full} cover all 41 YRD cities in every year. ")
    if gappy.empty:
        return text + "No annual indicator has a partly covered year."
    return text + ("Thinnest YRD-41 coverage (mean over the years with any data): "
                   + ", ".join(f"{r['label']} {r['mean YRD-41 %']:.0f}%"
                               for _, r in gappy.head(3).iterrows()) + ".")


def coverage_percent(cov: dict[str, pd.DataFrame], lang: str = "both") -> pd.DataFrame:
    """YRD-41 coverage in whole percent, indicator × year; NaN where no city has a value."""
    m = (cov["yrd"].where(cov["yrd"] > 0) * 100).round(0)
    return m.set_axis([plotting.indicator_label(k, lang, unit=False) for k in m.index])


# --------------------------------------------------------------- flags, dropped, corrected
def flag_counts(p: pd.DataFrame, years: tuple[int, int], lang: str = "both") -> pd.DataFrame:
    """Per flag (a value may carry several, ';'-separated): how many values carry it, which
    indicators, and what it means (from :data:`yrdlib.vocab.FLAG_MEANING`; '' = unexplained)."""
    pw = in_years(p, years)
    fl = pw.loc[pw["flag"].fillna("") != "", ["indicator", "flag"]].copy()
    user = fl["flag"].str.contains(r"(?:^|;)user(?:;|$)", regex=True)
    fl = fl.assign(flag=fl["flag"].str.split(";"), user=user).explode("flag")
    out = fl.groupby("flag").agg(values=("indicator", "size"),
                                 indicators=("indicator", lambda s: ", ".join(sorted(set(s)))))
    # a flag a user wrote in data/user/ (e.g. `test`, `preliminary`) is theirs, kept as written
    users_own = set(fl.loc[fl["user"], "flag"]) - set(fl.loc[~fl["user"], "flag"])
    own = vocab.label("用户在 data/user/ 中自填的标记（原样保留，未经核实）",
                      "the user's own flag in data/user/ (kept as written, unverified)", lang,
                      sep=" / ")
    out["meaning"] = [vocab.flag_meaning(f, lang) or (own if f in users_own else "")
                      for f in out.index]
    return out.sort_values("values", ascending=False)


def flag_note(p: pd.DataFrame, years: tuple[int, int]) -> str:
    """'N of M values in the years (x %) carry at least one flag.'"""
    pw = in_years(p, years)
    n = int((pw["flag"].fillna("") != "").sum())
    return (f"{n:,} of {len(pw):,} values in {years[0]}–{years[1]} "
            f"({n / max(len(pw), 1):.1%}) carry at least one flag.")


def dropped_summary(dropped: pd.DataFrame | None = None) -> pd.DataFrame:
    """Raw rows the importers dropped, counted by reason and file (all years)."""
    d = panel.table("dropped_rows") if dropped is None else dropped
    d = d.assign(file=d["file"].str.replace("data/raw/", "", regex=False))
    return (d.groupby(["reason", "file"]).size().rename("rows").reset_index()
            .sort_values("rows", ascending=False, kind="stable").reset_index(drop=True))


def dropped_note(summary: pd.DataFrame) -> str:
    return (f"**Dropped rows**: {int(summary['rows'].sum()):,} raw rows in "
            f"{summary['reason'].nunique()} categories (all years; reasons as recorded by the "
            "importers). Most are units outside the region reference (provinces, county-level "
            "units), not lost city data.")


def corrections(lang: str = "both") -> pd.DataFrame:
    """The corrections table (published values not used, with the evidence), city named."""
    c = panel.table("corrections")
    c.insert(1, "city", [plotting.region_label(r, lang) for r in c["region_code"]])
    return c


# ------------------------------------------------------------------------------ breaks
def detected_breaks() -> pd.DataFrame:
    """The detected breaks (processed ``breaks.csv``) with a six-digit scope, '' for an
    undecided break, and the scope's name (province 'zh en', city short_zh)."""
    det = panel.table("breaks")
    det["scope"] = det["scope"].astype(str).str.zfill(6)
    det["decision"] = det["decision"].fillna("")
    names = breaks._names()
    det["scope_name"] = [names.get(c, c) for c in det["scope"]]
    return det


def breaks_note(det: pd.DataFrame) -> str:
    n = det["decision"].replace("", "undecided").value_counts()
    return (f"**{len(det)} breaks detected** in {det['indicator'].nunique()} root series: "
            + ", ".join(f"{v} {k}" for k, v in n.items()) + ".")


def break_shares(p: pd.DataFrame, years: tuple[int, int]) -> dict[str, pd.DataFrame]:
    """Per audited root series with data: the province × year signed share of cities breaking
    (:func:`yrdlib.data.breaks.share_table`), from the first audited change on."""
    win = (max(years[0] + 1, breaks.FIRST_YEAR), years[1])
    tables = {k: breaks.share_table(p, k, win) for k in breaks.ROOTS}
    return {k: t for k, t in tables.items() if not t.empty}


def plot_break_shares(shares: dict[str, pd.DataFrame], det: pd.DataFrame, lang: str = "both"):
    """One heatmap per root series (red: falls, blue: rises); a detected province-year break
    is outlined, so the reader sees which joint moves the detector called a break."""
    ncol = 3
    nrow = max(1, -(-len(shares) // ncol))
    fig, axes = plt.subplots(nrow, ncol, figsize=(15, 4.2 * nrow), squeeze=False)
    for ax, (k, t) in zip(axes.flat, shares.items()):
        ax.imshow(t.to_numpy(dtype=float), cmap="RdBu", vmin=-1, vmax=1, aspect="auto")
        ax.set_xticks(range(len(t.columns)), [str(y)[2:] for y in t.columns], fontsize=7)
        ax.set_yticks(range(len(t.index)), t.index, fontsize=6)
        rows, cols = list(t.index), list(t.columns)
        hit = det[(det["indicator"] == k) & (det["cls"] == "province")]
        for name, year in zip(hit["scope_name"].str.split(" ").str[0], hit["year"]):
            if name in rows and year in cols:
                ax.add_patch(plt.Rectangle((cols.index(year) - .5, rows.index(name) - .5), 1, 1,
                                           fill=False, lw=1.2, ec="black"))
        ax.grid(False)
        ax.set_title(plotting.indicator_label(k, lang, unit=False), fontsize=9)
    for ax in list(axes.flat)[len(shares):]:
        ax.axis("off")
    fig.suptitle(vocab.label("各省各年跳变城市占比（红：下降，蓝：上升）",
                             "Share of a province's cities breaking (red: falls, blue: rises)",
                             lang))
    fig.tight_layout()
    return fig


BREAK_COLUMNS = ["indicator", "scope", "scope_name", "year", "direction", "cls", "evidence",
                 "decision", "reason"]


def break_decisions(det: pd.DataFrame, years: tuple[int, int],
                    focus: regions.Region) -> pd.DataFrame:
    """The decisions that take values out (set_missing_from, end_series) in the years, and every
    decision about the focus, its province or its prefecture (a kept break included)."""
    d = det[det["year"].between(*years)]
    mine = d["scope"].isin([focus.code, focus.province_code, str(focus.parent_code or "")])
    return (d.loc[(d["decision"] != "keep") | mine, BREAK_COLUMNS]
            .sort_values(["decision", "indicator", "year", "scope"]).reset_index(drop=True))


# ------------------------------------------------------------------ focus against medians
def comparison_groups(lang: str = "both") -> dict[str, list[str]]:
    """Legend label → region codes: the YRD-41 and every prefecture-level unit."""
    return {vocab.label(*YRD_LABEL, lang): regions.yrd41(),
            vocab.label(*NATION_LABEL, lang): list(prefectures().index)}


def focus_keys(p: pd.DataFrame, code: str, years: tuple[int, int]) -> list[str]:
    """The key indicators with a value for the focus in the years ([] for a county)."""
    pw = in_years(p, years)
    return sorted(set(pw.loc[pw["region_code"] == code, "indicator"]) & set(KEY_INDICATORS))


def no_panel_data_note(focus: regions.Region, years: tuple[int, int]) -> str:
    """Why a focus has no panel series (a county: say which prefecture to choose instead)."""
    text = (f"**{plotting.region_label(focus.code)} has no data in the prefecture-level panels "
            f"for {years[0]}–{years[1]}**")
    if focus.level != "county":
        return text + "."
    par = regions.resolve(focus.parent_code)
    return text + (f": it is a county of {par.short_zh} {par.name_en} ({par.code}), and the "
                   "yearbook series are published for prefectures only. Its census figures are "
                   f"shown below; set `focus_region = \"{par.code}\"` for the prefecture.")


def plot_focus_medians(p: pd.DataFrame, focus: regions.Region, years: tuple[int, int],
                       lang: str = "both"):
    """(figure, {indicator: year-indexed frame}) of the focus against the YRD-41 and national
    medians with interquartile bands (:func:`yrdlib.plotting.focus_vs_medians`) on the comparable
    series (values a reporting-basis decision takes out are left out, as in the methods: Anhui's
    2022 FDI would otherwise pull the YRD median down with it; :func:`focus_medians_note`
    says what); (None, {}) when the focus has no panel series."""
    if not focus_keys(p, focus.code, years):
        return None, {}
    kw = in_years(p, years)
    kw = panel.comparable(kw[kw["indicator"].isin(KEY_INDICATORS)])
    groups = comparison_groups(lang)
    fig, axes = plt.subplots(2, 3, figsize=(12, 6.4))
    summary = {}
    for ax, k in zip(axes.flat, KEY_INDICATORS):
        summary[k] = plotting.focus_vs_medians(ax, kw, focus.code, k, groups, lang=lang,
                                               years=years, legend=False)
        ax.set_title(plotting.indicator_label(k, lang), loc="left", fontsize=9)
    handles, labs = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, labs, loc="lower center", ncol=3, fontsize=8, frameon=False)
    fig.suptitle(vocab.label(f"{focus.short_zh}与长三角41市、全国中位数比较",
                             f"{focus.name_en} against YRD-41 and national medians", lang),
                 x=0.01, ha="left")
    fig.tight_layout(rect=(0, 0.08, 1, 0.97))
    return fig, summary


def fmt(v: float, unit: str) -> str:
    """A figure as the reader sees it: thousands separated, ratios with two decimals."""
    if pd.isna(v):
        return "n/a"
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    return f"{v:,.2f}" if unit == "ratio" else f"{v:,.1f}"


def focus_medians_note(p: pd.DataFrame, years: tuple[int, int], lang: str = "both") -> str:
    """What the focus-against-medians figure leaves out as not comparable (bilingual sample note
    of :func:`yrdlib.data.panel.sample_note`) and the median rule."""
    kw = in_years(p, years)
    note = panel.sample_note(panel.not_comparable(kw[kw["indicator"].isin(KEY_INDICATORS)]))
    rule = vocab.label(
        f"组中位数只画在该组至少{groups.MIN_COVERAGE:.0%}城市有值的年份。",
        f"A group's median is drawn only in years in which at least "
        f"{groups.MIN_COVERAGE:.0%} of its best-covered year's cities report.", lang)
    text = {"zh": note["zh"], "en": note["en"]}.get(lang, f"{note['zh']}  \n{note['en']}")
    return f"*{text}*  \n*{rule}*"


def focus_comparison_text(p: pd.DataFrame, focus: regions.Region, summary: dict,
                          years: tuple[int, int], lang: str = "both") -> str:
    """Per indicator, the focus's latest value in the years at which the YRD-41 median exists,
    against the two medians, its rank among the YRD cities with a comparable value, and how many
    years are missing."""
    yrd_name, nat_name = list(comparison_groups(lang))
    n_years = years[1] - years[0] + 1
    name = plotting.region_label(focus.code, lang)
    yrd41 = set(regions.yrd41())
    p = panel.comparable(p[p["indicator"].isin(list(summary))])
    lines = []
    for k, s in summary.items():
        ok = s["focus"].dropna()
        if ok.empty:
            lines.append(f"- {plotting.indicator_label(k, lang)}: no value for {name}.")
            continue
        unit = indicators.get(k).unit
        both = ok[s[yrd_name + " median"].reindex(ok.index).notna()]
        y = int((both if len(both) else ok).index.max())
        same = p[(p["indicator"] == k) & (p["year"] == y) & p["region_code"].isin(yrd41)
                 & p["value"].notna()]
        rank = ("" if focus.code not in set(same["region_code"]) else
                f", rank {int((same['value'] > ok[y]).sum()) + 1} of {len(same)} YRD cities")
        missing = n_years - len(ok)
        lines.append(
            f"- {plotting.indicator_label(k, lang, unit=False)}, {y}: {name} "
            f"{fmt(ok[y], unit)}{'' if unit == 'ratio' else ' ' + unit} against a YRD-41 median "
            f"of {fmt(s.at[y, yrd_name + ' median'], unit)} and a national median of "
            f"{fmt(s.at[y, nat_name + ' median'], unit)}{rank}"
            + (f"; {missing} of {n_years} years missing." if missing else "."))
    return "\n".join(lines) if lines else "No comparison: see the note above."


# ------------------------------------------------------------------------------ the map
def plot_yrd_map(focus: regions.Region, lang: str = "both"):
    """(figure, note): the 41 YRD cities' centroids coloured by the year each joined the
    coordination association, the focus ringed; the note counts members by joining year and
    names any city not drawn for lack of coordinates."""
    yrd41 = regions.yrd41()
    fig, ax = plt.subplots(figsize=(8, 6.5))
    missing = plotting.region_map(ax, yrd41, highlight=focus.code, lang=lang,
                                  title=vocab.label("长三角城市经济协调会成员",
                                                    "Members of the YRD association", lang))
    cohorts = regions.reference().loc[yrd41, "yrd_join_year"].value_counts().sort_index()
    note = ("Members by year of joining: " + ", ".join(f"{y}: {n}" for y, n in cohorts.items())
            + f" (total {int(cohorts.sum())})."
            + (f" Not drawn for lack of coordinates: {', '.join(missing)}." if missing else ""))
    return fig, note


# ------------------------------------------------------------------------------ profile
def focus_profile(p: pd.DataFrame, code: str, years: tuple[int, int],
                  lang: str = "both") -> pd.DataFrame:
    """The latest value of every indicator for the focus (annual series within the years;
    census and the 2016 cross-section whatever the years) with unit, source file, row and flag:
    the provenance of every number in the report. Empty when the focus has no value."""
    one_off = [k for k in indicators.INDICATORS if _is_one_off(k)]
    fp = p[(p["region_code"] == code) & p["value"].notna()
           & (p["year"].between(*years) | p["indicator"].isin(one_off))]
    cols = ["label", "year", "value", "unit", "source", "source_row", "flag"]
    if fp.empty:
        return pd.DataFrame(columns=cols)
    latest = fp.sort_values("year", kind="stable").groupby("indicator").tail(1).set_index("indicator")
    order = [k for k in indicators.INDICATORS if k in latest.index]
    prof = latest.loc[order, cols[1:]].copy()
    prof.insert(0, "label", [plotting.indicator_label(k, lang, unit=False) for k in order])
    prof["source"] = prof["source"].str.replace("data/raw/", "", regex=False)
    return prof


def profile_note(profile: pd.DataFrame, focus: regions.Region, years: tuple[int, int]) -> str:
    name = plotting.region_label(focus.code)
    if profile.empty:
        return f"No values for {name} in {years[0]}–{years[1]}."
    n_flag = int((profile["flag"].fillna("") != "").sum())
    return (f"{len(profile)} indicators with a value for {name}; {n_flag} of the latest values "
            "are flagged.")


# ------------------------------------------------------------------------------ census
def census_rows(focus_code: str) -> list[str]:
    """Taizhou, its counties (Yuhuan 玉环 among them) and the focus if it is none of these."""
    ref = regions.reference()
    tz = [TAIZHOU] + sorted(ref.index[(ref["level"] == "county")
                                      & (ref["parent_code"] == TAIZHOU)])
    return tz + ([focus_code] if focus_code not in tz else [])


def census_table(p: pd.DataFrame, focus_code: str, lang: str = "both") -> pd.DataFrame:
    """Census 2010 and 2020 figures (resident and hukou population, residents from other
    provinces, manufacturing share of employment) for Taizhou's counties and the focus (marked
    ▶). A figure a census did not publish stays NaN (hukou: 2010 only)."""
    rows = census_rows(focus_code)
    c = p[p["indicator"].isin(CENSUS) & p["region_code"].isin(rows)
          & p["year"].isin(CENSUS_YEARS)]
    t = c.pivot_table(index="region_code", columns=["indicator", "year"], values="value",
                      aggfunc="first").reindex(index=rows)
    t = t.reindex(columns=[(k, y) for k in CENSUS for y in CENSUS_YEARS if (k, y) in t.columns])
    t.columns = [f"{plotting.indicator_label(k, lang)} {y}" for k, y in t.columns]
    t.index = [("▶ " if r == focus_code else "") + plotting.region_label(r, lang) + f" ({r})"
               for r in t.index]
    return t


def style_census(t: pd.DataFrame):
    """Percentages with one decimal, counts as whole numbers, a dash for a figure not published."""
    pct = [c for c in t.columns if "%" in c]
    return (t.style.format("{:,.1f}", subset=pct, na_rep="—")
            .format("{:,.0f}", subset=[c for c in t.columns if c not in pct], na_rep="—"))


def census_value(p: pd.DataFrame, code: str, key: str, year: int) -> float:
    """One census figure (NaN when not published)."""
    v = p.loc[(p["region_code"] == code) & (p["indicator"] == key) & (p["year"] == year), "value"]
    return float(v.iloc[0]) if len(v) else float("nan")


def yuhuan_census_note(p: pd.DataFrame) -> str:
    """Yuhuan's residents in the two censuses, the change, and the manufacturing share of census
    employment ('' when a census figure is missing)."""
    yh = regions.resolve("玉环").code
    p10, p20 = (census_value(p, yh, "census_pop", y) for y in CENSUS_YEARS)
    m10, m20 = (census_value(p, yh, "census_manufacturing_share", y) for y in CENSUS_YEARS)
    if pd.isna(p10) or pd.isna(p20):
        return ""
    text = (f"Yuhuan 玉环: {p10:,.0f} residents in 2010 and {p20:,.0f} in 2020 "
            f"({p20 / p10 - 1:+.1%})")
    if pd.isna(m10) or pd.isna(m20):
        return text + "."
    return text + (f"; manufacturing {m10:.1f}% of census employment in 2010 and {m20:.1f}% in "
                   "2020.")
