"""yrdlib.figures.overview on the real processed panel (no kernel): what the data-overview report
shows, checked against properties of the real files."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from yrdlib import config, plotting, regions, vocab
from yrdlib.data import panel
from yrdlib.figures import overview as O

YEARS = (2015, 2019)


@pytest.fixture(scope="module")
def P():
    plotting.setup("both")  # the CJK font, as the notebook's context sets it up
    return panel.load_panel()


@pytest.fixture(scope="module")
def cov(P):
    return O.coverage(P, YEARS)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_every_flag_in_the_processed_panel_has_a_meaning_in_both_languages(P):
    flags = {t for f in P["flag"].dropna() for t in str(f).split(";") if t}
    assert {"series_break", "earlier_basis", "repeated_value", "interpolated"} <= flags  # in the panel
    unexplained = {f for f in flags if not vocab.flag_meaning(f, "both")}
    assert not unexplained, f"flags without a meaning in yrdlib.vocab.FLAG_MEANING: {unexplained}"
    for f in flags:
        zh, en = vocab.FLAG_MEANING[f]
        assert zh and en and zh != en, f


def test_flag_meanings_emitted_by_the_data_layer_are_known():
    # flags the data layer writes without the real panel carrying them today
    from yrdlib.data import breaks

    for f in [*breaks.FLAG.values(), "chain_restart", "boundary_break", "corrected"]:
        assert vocab.flag_meaning(f), f


def test_sources_table_has_one_row_per_source_folder():
    t = O.sources_table()
    folders = sorted(f.parent.name for f in config.RAW.glob("*/SOURCE.yml"))
    assert list(t.index) == folders
    assert (t["title"] != "").all()


def test_coverage_shares_are_shares_and_match_a_direct_count(P, cov):
    yrd, nat = cov["yrd"], cov["nation"]
    assert list(yrd.columns) == list(range(YEARS[0], YEARS[1] + 1))
    assert list(yrd.index) == list(nat.index)
    for m in (yrd, nat):
        assert ((m >= 0) & (m <= 1)).all().all()
    # a direct count: YRD cities with a GDP value in 2017, out of 41
    d = P[(P["indicator"] == "gdp") & (P["year"] == 2017) & P["value"].notna()
          & P["region_code"].isin(regions.yrd41())]
    assert yrd.at["gdp", 2017] == pytest.approx(d["region_code"].nunique() / 41)
    # the one-year 2016 cross-section comes after the annual series and has values only in 2016
    keys = list(yrd.index)
    cross = [k for k in keys if k.endswith("_2016")]
    assert cross and keys[-len(cross):] == cross
    assert (yrd.loc[cross].drop(columns=2016) == 0).all().all()


def test_censuses_come_last_with_values_in_census_years_only(P):
    yrd = O.coverage(P, (2009, 2021))["yrd"]
    keys = list(yrd.index)
    census = [k for k in keys if k.startswith("census_")]
    assert census and keys[-len(census):] == census
    assert (yrd.loc[census].drop(columns=[2010, 2020]) == 0).all().all()
    assert (yrd.loc["census_pop", [2010, 2020]] > 0).all()


def test_national_denominator_counts_only_prefectures_that_existed(P):
    # 巢湖 (341400) was abolished in 2011: no share above 1 when it has values before, and the
    # 2010 denominator is larger than the 2012 one
    cov = O.coverage(P, (2010, 2012))
    assert (cov["nation"] <= 1).all().all()
    pref = O.prefectures()
    alive = {y: int((pref["valid_to"].isna() | (pref["valid_to"] >= y)).sum()) for y in (2010, 2012)}
    assert alive[2010] > alive[2012]


def test_coverage_table_and_note(cov):
    t = O.coverage_table(cov, "en")
    assert t.loc["gdp", "kind"] == "reported"
    assert t.loc["gdp", "years with data"] == 5
    assert 0 < t.loc["gdp", "mean YRD-41 %"] <= 100
    note = O.coverage_note(t, 5)
    assert note.startswith(f"{len(t)} city indicators over 5 years")
    pct = O.coverage_percent(cov, "en")
    assert pct.shape == cov["yrd"].shape and pct.max().max() <= 100


def test_no_city_data_is_refused(P):
    with pytest.raises(ValueError, match="no city data"):
        O.city_indicators(P.iloc[:0], YEARS)


def test_flag_counts_split_multiple_flags_and_explain_each(P):
    t = O.flag_counts(P, YEARS, "en")
    pw = O.in_years(P, YEARS)
    n_break = int(pw["flag"].fillna("").str.split(";").map(lambda f: "series_break" in f).sum())
    assert t.at["series_break", "values"] == n_break
    assert not any(";" in f for f in t.index)
    assert (t["meaning"] != "").all()
    assert t["values"].is_monotonic_decreasing
    assert "carry at least one flag" in O.flag_note(P, YEARS)


def test_dropped_summary_counts_every_dropped_row():
    raw = panel.table("dropped_rows")
    s = O.dropped_summary(raw)
    assert s["rows"].sum() == len(raw)
    assert not s["file"].str.startswith("data/raw/").any()
    assert f"{len(raw):,} raw rows" in O.dropped_note(s)


def test_corrections_name_the_city():
    c = O.corrections("zh")
    assert len(c) == len(panel.table("corrections"))
    assert c["city"].notna().all()


def test_breaks_anhui_2022_fdi_is_outlined_and_taken_out(P):
    det = O.detected_breaks()
    assert det["scope"].str.len().eq(6).all()
    anhui = det[(det["indicator"] == "fdi_usd") & (det["scope"] == "340000") & (det["year"] == 2022)]
    assert len(anhui) == 1 and anhui["decision"].iloc[0] != "keep"
    assert anhui["scope_name"].iloc[0].startswith("安徽")
    assert f"**{len(det)} breaks detected**" in O.breaks_note(det)
    shares = O.break_shares(P, (2015, 2023))
    t = shares["fdi_usd"]
    assert t.at["安徽省", 2022] <= -0.5  # most of Anhui's cities fall together
    fig = O.plot_break_shares(shares, det, "en")
    assert len([a for a in fig.axes if a.patches]) >= 1  # the detected break is outlined


def test_break_decisions_keep_the_focus_and_the_removals(P):
    det = O.detected_breaks()
    tz = regions.resolve("331000")
    d = O.break_decisions(det, (2000, 2023), tz)
    assert (d["year"].between(2000, 2023)).all()
    keep = d[d["decision"] == "keep"]
    assert keep["scope"].isin(["331000", "330000"]).all()
    removals = det[(det["decision"] != "keep") & det["year"].between(2000, 2023)]
    assert (d["decision"] != "keep").sum() == len(removals)
    # Taizhou's 2022 road-area level shift is among them
    assert ((d["indicator"] == "road_area_pc") & (d["scope"] == "331000")).any()


def test_focus_against_medians_for_taizhou(P):
    tz = regions.resolve("331000")
    fig, summary = O.plot_focus_medians(P, tz, YEARS, "en")
    assert fig is not None and set(summary) == set(O.KEY_INDICATORS)
    s = summary["gdp_pc"]
    v = P[(P["region_code"] == "331000") & (P["indicator"] == "gdp_pc") & (P["year"] == 2019)]
    assert s.at[2019, "focus"] == pytest.approx(v["value"].iloc[0])
    yrd = P[(P["indicator"] == "gdp_pc") & (P["year"] == 2019) & P["region_code"].isin(regions.yrd41())]
    assert s.at[2019, "YRD-41 median"] == pytest.approx(yrd["value"].median())
    text = O.focus_comparison_text(P, tz, summary, YEARS, "en")
    assert text.count("\n") == len(O.KEY_INDICATORS) - 1
    assert "against a YRD-41 median" in text and "of 41 YRD cities" in text


def test_focus_medians_use_the_comparable_series_and_the_note_says_what_is_left_out(P):
    """Anhui's FDI from 2022 is a reporting-basis break (14 of 16 cities fall > 7-fold): the
    YRD-41 median must not fall with it. On the comparable series only 25 of 41 YRD cities are
    left in 2022 (< 75 %), so the median is a gap there, and the text compares at 2021."""
    years = (2015, 2023)
    tz = regions.resolve("331000")
    _fig, summary = O.plot_focus_medians(P, tz, years, "en")
    fdi = summary["fdi_gdp"]
    raw = P[(P["indicator"] == "fdi_gdp") & (P["year"] == 2022)
            & P["region_code"].isin(regions.yrd41())]
    assert raw["value"].notna().sum() >= 40  # the published panel has (nearly) all 41 ...
    assert fdi.at[2022, "YRD-41 n"] == 25 and pd.isna(fdi.at[2022, "YRD-41 median"])  # ... 25 comparable
    assert fdi.at[2021, "YRD-41 n"] == 41 and pd.notna(fdi.at[2021, "YRD-41 median"])
    text = O.focus_comparison_text(P, tz, summary, years, "en")
    assert "- FDI / GDP, 2021:" in text
    note = O.focus_medians_note(P, years, "en")
    assert "Anhui from 2022" in note and "75%" in note
    # the long-panel filter and the wide one leave out the same values
    w = panel.wide(O.KEY_INDICATORS, years=years)
    assert len(panel.not_comparable(O.in_years(P, years)).query("indicator in @O.KEY_INDICATORS")) \
        == len(w.attrs["excluded"])


def test_a_county_has_no_panel_series_and_the_note_says_which_prefecture(P):
    yh = regions.resolve("玉环")
    fig, summary = O.plot_focus_medians(P, yh, YEARS, "en")
    assert fig is None and summary == {}
    note = O.no_panel_data_note(yh, YEARS)
    assert "has no data in the prefecture-level panels" in note and "331000" in note
    assert O.focus_comparison_text(P, yh, summary, YEARS).startswith("No comparison")
    assert "county of" in O.focus_note(yh, YEARS)


def test_fmt():
    assert O.fmt(float("nan"), "ratio") == "n/a"
    assert O.fmt(12345.6, "yuan") == "12,346"
    assert O.fmt(0.456, "ratio") == "0.46"
    assert O.fmt(45.61, "%") == "45.6"


def test_yrd_map_counts_41_members():
    _fig, note = O.plot_yrd_map(regions.resolve("331000"), "en")
    assert "(total 41)" in note


def test_focus_profile_is_the_latest_value_with_provenance(P):
    prof = O.focus_profile(P, "331000", YEARS, "en")
    assert prof.at["gdp", "year"] == 2019
    row = P[(P["region_code"] == "331000") & (P["indicator"] == "gdp") & (P["year"] == 2019)]
    assert prof.at["gdp", "value"] == pytest.approx(row["value"].iloc[0])
    assert prof["source"].notna().all()
    assert not prof["source"].str.startswith("data/raw/").any()
    assert prof.at["census_pop", "year"] == 2020  # census whatever the years
    assert O.focus_profile(P, "331000", YEARS).shape[0] == prof.shape[0]
    assert O.profile_note(prof, regions.resolve("331000"), YEARS).startswith(f"{len(prof)} indicators")
    empty = O.focus_profile(P.iloc[:0], "331000", YEARS)
    assert empty.empty and empty.columns[0] == "label"


def test_census_table_for_taizhou_counties_marks_the_focus(P):
    t = O.census_table(P, "331083", "en")
    assert len(t) == len(O.census_rows("331083")) and len(t) > 5
    focus_row = [i for i in t.index if i.startswith("▶ ")]
    assert len(focus_row) == 1 and "331083" in focus_row[0]
    hukou_2020 = [c for c in t.columns if c.endswith(" 2020") and "registered (hukou)" in c]
    assert not hukou_2020  # hukou population is a 2010-only census figure
    pop = next(c for c in t.columns if c.endswith(" 2020"))
    assert t.loc[focus_row[0], pop] == pytest.approx(O.census_value(P, "331083", "census_pop", 2020))
    share = O.census_value(P, "331083", "census_manufacturing_share", 2020)
    assert f">{share:,.1f}<" in O.style_census(t).to_html()  # percentages with one decimal
    # a focus outside Taizhou is added as its own row
    assert O.census_rows("330200")[-1] == "330200"


def test_yuhuan_census_note_uses_both_censuses(P):
    note = O.yuhuan_census_note(P)
    p10 = O.census_value(P, "331083", "census_pop", 2010)
    p20 = O.census_value(P, "331083", "census_pop", 2020)
    assert f"{p10:,.0f} residents in 2010" in note and f"{p20 / p10 - 1:+.1%}" in note
    assert pd.isna(O.census_value(P, "331083", "census_pop", 2015))
