"""City-level effects from the imputation design (yrdlib.methods.city_effects): known
heterogeneous city effects are recovered, placebo-in-space intervals cover at their nominal rate
with province-year shocks, the city table decomposes the pooled ATT, and the heterogeneity test
keeps its size under province shocks and finds a real province difference."""

import numpy as np
import pandas as pd
import pytest

from yrdlib.methods import MethodError, imputation_did
from yrdlib.methods.city_effects import city_effects, heterogeneity_test
from yrdlib.methods.simulate import simulate_clustered_panel


def _panel(seed, sd_city=0.2, by_province=None, dynamic=0.0, province_year_sd=0.05):
    """Province-block panel (4 treated provinces of 25, cohorts 2010–2019) with a known effect
    per treated city: τ_i ~ N(0.3, sd_city) (+ by_province[p]) + dynamic·k in event time k."""
    d = simulate_clustered_panel(n_provinces=25, units_per_province=10, years=range(2000, 2022),
                                 seed=seed, province_year_sd=province_year_sd, noise_sd=0.1,
                                 effect=0.0)
    rng = np.random.default_rng(1000 + seed)
    codes = d["region_code"].unique()
    tau = pd.Series(rng.normal(0.3, sd_city, len(codes)), index=codes)
    if by_province:
        tau += pd.Series(codes, index=codes).str[:2].map(by_province).fillna(0.0)
    k = d["year"] - d["treat_year"]
    tr = (k >= 0).to_numpy()
    d["y"] = d["y"] + np.where(tr, d["region_code"].map(tau) + dynamic * k.fillna(0), 0.0)
    return d, tau


def test_recovers_known_city_effects_and_decomposes_the_pooled_att():
    d, tau = _panel(0)
    r = city_effects(d)
    truth = r["region_code"].map(tau)
    assert len(r) == d.loc[d["treat_year"].notna(), "region_code"].nunique()
    assert np.corrcoef(r["estimate"], truth)[0, 1] > 0.9
    assert (r["estimate"] - truth).abs().mean() < 0.06
    # the treated-year-weighted mean of the city effects is the pooled imputation ATT
    w = r["n_treated_years"]
    pooled = imputation_did(d, "y")["att"].loc["ATT", "estimate"]
    assert float((r["estimate"] * w).sum() / w.sum()) == pytest.approx(pooled, abs=1e-10)
    assert r.attrs["att"] == pytest.approx(pooled, abs=1e-10)
    assert (r["n_placebo"] > 150).all() and (r["n_placebo_provinces"] >= 20).all()


def test_placebo_intervals_cover_at_the_nominal_rate_with_province_shocks():
    hits, n, width_gap = 0, 0, []
    for s in range(20):
        d, tau = _panel(s, province_year_sd=0.08)
        r = city_effects(d, alpha=0.10)
        truth = r["region_code"].map(tau)
        hits += int(((r["ci_low"] <= truth) & (truth <= r["ci_high"])).sum())
        n += len(r)
        width_gap.append(float((r["ci_high"] - r["ci_low"]).mean()))
    assert 0.80 <= hits / n <= 0.97, hits / n
    assert np.all(np.isfinite(width_gap))


def test_window_averages_the_first_treated_years_only():
    d, tau = _panel(3, dynamic=0.05)
    r = city_effects(d, window=3)
    # with an effect growing 0.05 a year, the mean over k = 0, 1, 2 is τ_i + 0.05
    truth = r["region_code"].map(tau) + 0.05
    assert (r["n_treated_years"] <= 3).all()
    assert (r["estimate"] - truth).abs().mean() < 0.06
    full = city_effects(d)
    early = full["cohort"] == 2010
    # cohort 2010 in 2000–2021: the full mean is over k = 0…11 (τ_i + 0.275), 0.225 above
    gap = full.loc[early, "estimate"].to_numpy() - r.loc[early, "estimate"].to_numpy()
    assert gap.mean() == pytest.approx(0.225, abs=0.05)


def test_heterogeneity_test_keeps_its_size_and_finds_a_province_difference():
    p_null = []
    for s in range(8):
        d, _ = _panel(s, sd_city=0.0, province_year_sd=0.08)
        h = heterogeneity_test(city_effects(d), n_draws=199, seed=s).set_index("factor")
        p_null.append(h.loc["province", "p"])
    assert sum(p < 0.1 for p in p_null) <= 2, p_null
    d, _ = _panel(0, sd_city=0.0, by_province={"11": 1.0, "12": -0.5})
    h = heterogeneity_test(city_effects(d), n_draws=199).set_index("factor")
    assert h.loc["province", "p"] < 0.05
    assert set(h.index) == {"cohort", "province"}  # no size given: no size or joint test


def test_bad_input_is_named():
    d, _ = _panel(0)
    d.loc[d.index[0], "province"] = "990000"
    with pytest.raises(MethodError, match="province"):
        city_effects(d)


@pytest.fixture(scope="module")
def s2b():
    """S2.b's city table on the embedded data (49 heterogeneity draws, no disk cache)."""
    from yrdlib.claims import city_effects as ce

    return ce.city_effects("S2.b", n_draws=49, cache=False)


def test_real_panel_table_decomposes_the_pooled_did2s_and_reads_a_city(s2b):
    """S2.b on the embedded data: one row per treated city of the test's own sample, the pooled
    did2s ATT recovered from the rows, Taizhou a treated row, Shanghai (joined 1997, no
    pre-period) and a control city told apart."""
    from yrdlib.claims import city_effects as ce
    from yrdlib.methods import estimate_did

    res = s2b
    t, d = res["table"], ce.sample("S2.b")
    assert set(t["region_code"]) == set(d.loc[d["treat_year"].notna(), "region_code"])
    main = estimate_did(d, "y", estimator="did2s", control_group="notyet")
    w = t["n_treated_years"]
    assert float((t["estimate"] * w).sum() / w.sum()) == pytest.approx(main.att, abs=1e-8)
    assert res["unit"] == "log points" and set(res["heterogeneity"]) == {"all years",
                                                                          "first 5 years"}
    ce._MEM[("S2.b", ce.ALPHA, ce.WINDOW, 49, ce.common.SEED, ce.common.data_key())] = res
    row = ce.city_row("S2.b", "台州", n_draws=49)
    assert row["status"] == "treated" and row["name_en"] == "Taizhou"
    assert row["ci_low"] < row["estimate"] < row["ci_high"]
    assert ce.city_row("S2.b", "上海", n_draws=49)["status"] == "no pre-period or dropped"
    assert ce.city_row("S2.b", "大连", n_draws=49)["status"] == "never treated"


def test_studentized_intervals_adapt_when_controls_are_noisier():
    """Controls 1.5× as noisy as treated cities (the real panel: treated cities' pre-period
    residual SD is 0.74–0.79 of the controls'): the plain interval over-covers and is wider, the
    studentized one (placebo errors scaled by each city's pre-period residual SD) stays near
    the nominal rate."""
    hits, width, n = np.zeros(2), np.zeros(2), 0
    for s in range(12):
        d, tau = _panel(s, province_year_sd=0.08)
        rng = np.random.default_rng(500 + s)
        extra = np.where(d["treat_year"].isna(), 0.15, 0.1)
        d["y"] = d["y"] + rng.normal(0, 1, len(d)) * extra
        r = city_effects(d, alpha=0.10)
        truth = r["region_code"].map(tau)
        for j, (lo, hi) in enumerate((("ci_low", "ci_high"), ("ci_low_stud", "ci_high_stud"))):
            hits[j] += ((r[lo] <= truth) & (truth <= r[hi])).sum()
            width[j] += (r[hi] - r[lo]).sum()
        n += len(r)
    assert 0.80 <= hits[1] / n <= 0.96, hits / n
    assert hits[0] / n > hits[1] / n and width[0] > width[1]


def test_figures_rank_the_cities_and_mark_the_focus(s2b):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from yrdlib import plotting
    from yrdlib.figures import city_effects as fig

    ax = fig.ranked_plot(s2b, focus="台州", lang="en")
    t = s2b["table"].sort_values("estimate")
    ticks = ax.get_yticklabels()
    assert [x.get_text() for x in ticks] == t["name_en"].tolist()  # lowest at the bottom
    focus = [x for x in ticks if x.get_text() == "Taizhou"]
    assert focus[0].get_color() == plotting.FOCUS_COLOUR
    assert all(x.get_color() != plotting.FOCUS_COLOUR for x in ticks if x.get_text() != "Taizhou")
    ax2 = fig.effect_map(s2b, focus="331000", lang="zh")
    coloured = [c for c in ax2.collections if c.get_array() is not None]
    assert len(coloured[0].get_offsets()) == len(t)  # one coloured dot per treated city
    plt.close("all")


def test_the_focus_record_is_the_city_row_and_a_founder_is_not_applicable():
    """S2.h for 台州 is its row of the pooled table, with the placebo interval; 宁波 (a 1997
    founder, no pre-period) gets "not applicable" with the reason, never a number."""
    from yrdlib.claims import city_effects as CE

    tz = CE.s2h_focus_effect("331000")
    row = CE.city_row("S2.b", "331000")
    assert tz.evidence.hypothesis == "S2.h" and tz.evidence.level == "city"
    assert tz.evidence.estimate == pytest.approx(row["estimate"])
    assert (tz.evidence.ci_low, tz.evidence.ci_high) == pytest.approx((row["ci_low"], row["ci_high"]))
    nb = CE.s2h_focus_effect("330200")
    assert nb.evidence.verdict == "not applicable" and nb.evidence.estimate is None
    assert "1997" in nb.evidence.scope_note_en and "创始成员" in nb.evidence.scope_note_zh


def test_a_window_covering_every_treated_year_joins_with_the_headline_table():
    """Treated so late that the first-years window holds all their treated years, the window
    table's attrs equal the headline's in every scalar; pandas then compares the placebo tables
    held in attrs, which raised "truth value ... ambiguous" for 呼包鄂榆 and 兰州—西宁."""
    d, _ = _panel(3)
    d = d[~(d["treat_year"] < 2018)]  # cohorts 2018–2019 of a 2000–2021 panel: ≤ 4 treated years
    head, win = city_effects(d, "y"), city_effects(d, "y", window=5)
    assert head["estimate"].equals(win["estimate"])  # the case: same sample, same attrs scalars
    joined = head.join(win.set_index("region_code")[["estimate"]], on="region_code", rsuffix="_w")
    assert len(joined) == len(head)
    assert not any(type(v) is pd.DataFrame for v in head.attrs.values())


def test_a_plain_dataframe_in_attrs_is_what_breaks_the_join():
    """The defect the AttrFrame guards against, shown on pandas itself (so the test above fails
    if a plain frame comes back into attrs)."""
    from yrdlib.frames import AttrFrame

    def pair(kind):
        a, b = pd.DataFrame({"k": [1, 2], "x": [1.0, 2.0]}), pd.DataFrame({"k": [1, 2], "y": [3.0, 4.0]})
        for f in (a, b):
            f.attrs.update(att=0.5, placebo=kind({"e": [0.1, 0.2]}))
        return a, b

    a, b = pair(pd.DataFrame)
    with pytest.raises(ValueError, match="ambiguous"):
        a.join(b.set_index("k"), on="k")
    a, b = pair(AttrFrame)
    assert a.join(b.set_index("k"), on="k").attrs["placebo"] == b.attrs["placebo"]
