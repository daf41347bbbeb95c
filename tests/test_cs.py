"""Callaway–Sant'Anna group-time ATTs on simulated staggered panels with known effects."""

import numpy as np
import pytest

from yrdlib.methods import MethodError
from yrdlib.methods.cs import callaway_santanna
from yrdlib.methods.simulate import simulate_clustered_panel, simulate_staggered_panel


@pytest.fixture(scope="module")
def dynamic():
    return simulate_staggered_panel(n_units=300, effect=lambda k, g: 0.5 + 0.1 * k, seed=3)


@pytest.mark.parametrize("cg", ["never", "notyet"])
@pytest.mark.parametrize("bp", ["varying", "universal"])
def test_recovers_dynamic_effects(dynamic, cg, bp):
    r = callaway_santanna(dynamic, "y", control_group=cg, base_period=bp)
    truth = dynamic.loc[dynamic.true_effect != 0, "true_effect"].mean()
    assert abs(r.overall["att"] - truth) < 0.05
    es = r.event_study.set_index("event_time")
    for k in range(6):
        assert abs(es.loc[k, "att"] - (0.5 + 0.1 * k)) < 0.07, k
    for k in (-4, -3, -2):
        assert abs(es.loc[k, "att"]) < 0.08
    assert r.pretrend_p > 0.01


def test_one_cell_is_the_2x2_did(dynamic):
    r = callaway_santanna(dynamic, "y", control_group="never")
    w = dynamic.pivot(index="region_code", columns="year", values="y")
    g = dynamic.groupby("region_code")["treat_year"].first()
    dy = w[2015] - w[2012]
    hand = dy[g == 2013].mean() - dy[g.isna()].mean()
    cell = r.gt[(r.gt.cohort == 2013) & (r.gt.year == 2015)]
    assert cell["att"].item() == pytest.approx(hand, abs=1e-12)
    assert cell["n_treated"].item() == 60 and cell["n_control"].item() == int(g.isna().sum())


def test_cohort_specific_aggregates():
    def het(k, g):
        return np.where(g <= 2013, 1.0, 0.2) + 0 * k

    df = simulate_staggered_panel(n_units=300, effect=het, seed=4)
    r = callaway_santanna(df, "y")
    early = r.aggregate([2010, 2013])
    late = r.aggregate([2018, 2019])
    assert abs(early["att"] - 1.0) < 0.05 and abs(late["att"] - 0.2) < 0.05
    assert early["cohorts"] == [2010, 2013]
    bc = r.by_cohort.set_index("cohort")
    assert abs(bc.loc[2019, "att"] - 0.2) < 0.08 and abs(bc.loc[2003, "att"] - 1.0) < 0.1
    grp = r.aggregate([2018, 2019], kind="group")
    assert abs(grp["att"] - 0.2) < 0.05
    with pytest.raises(MethodError, match="no group-time cells"):
        r.aggregate([1990])


def test_pretrend_rejects_linear_pretrend():
    df = simulate_staggered_panel(n_units=300, pretrend=0.05, seed=0)
    assert callaway_santanna(df, "y").pretrend_p < 0.001


def test_province_clustering(dynamic):
    df = simulate_clustered_panel(seed=1)
    unit = callaway_santanna(df, "y")
    prov = callaway_santanna(df, "y", cluster="province")
    assert prov.overall["att"] == unit.overall["att"]
    assert prov.overall["se"] > 1.3 * unit.overall["se"]
    assert prov.n_clusters == 30 and prov.cluster == "province"


def test_coverage_monte_carlo():
    """95% interval of the overall ATT covers the truth in most of 50 small panels."""
    hits = 0
    for s in range(50):
        df = simulate_staggered_panel(n_units=80, years=range(2000, 2012),
                                      cohorts={2005: 0.2, 2008: 0.3}, effect=0.4, seed=200 + s)
        r = callaway_santanna(df, "y")
        hits += r.overall["ci_low"] <= 0.4 <= r.overall["ci_high"]
    assert hits / 50 >= 0.85


def test_errors(dynamic):
    with pytest.raises(MethodError, match="control_group"):
        callaway_santanna(dynamic, "y", control_group="all")
    with pytest.raises(MethodError, match="never-treated"):
        callaway_santanna(dynamic.dropna(subset=["treat_year"]), "y", control_group="never")
    bad = dynamic.copy()
    bad.loc[bad.index[0], "treat_year"] = 2001
    with pytest.raises(MethodError, match="varies within a unit"):
        callaway_santanna(bad, "y")
    with pytest.raises(MethodError, match="missing column"):
        callaway_santanna(dynamic, "gdp")


def test_notes_flag_single_unit_cohorts_and_few_treated_clusters():
    df = simulate_clustered_panel(seed=1, treated_provinces={0: {2010: 1.0}, 1: {2013: 0.1}})
    r = callaway_santanna(df, "y", cluster="province")
    assert any("single unit" in n and "2013" in n for n in r.notes)
    assert any("only 2 treated clusters" in n for n in r.notes)
    assert not any("single unit" in n for n in callaway_santanna(
        simulate_clustered_panel(seed=1), "y").notes)
