"""Claim S2 (city tier): analysis functions on the real panel, and the notebook end to end."""

from __future__ import annotations

import numpy as np
import pytest
from nbtools import check_evidence, run_notebook

from yrdlib import config, groups, regions
from yrdlib.claims import city_tier
from yrdlib.data import panel

NOTEBOOK = config.NOTEBOOKS / "s2_city_tier.ipynb"
HYPS = {"S2.a", "S2.b", "S2.c", "S2.d", "S2.e"}


def test_census_frame_uses_both_censuses():
    c = city_tier.census_frame()
    assert c["pop_2010"].notna().sum() > 300 and c["pop_2020"].notna().sum() > 300
    assert c["migrants_other_province_2020"].notna().sum() > 300
    # Taizhou 7th census resident population, published: 6,622,888
    assert c.loc["331000", "pop_2020"] == pytest.approx(6622888)
    assert np.allclose(c["pop_growth_2020"].dropna(),
                       (c["pop_2020"] - c["pop_2010"]).dropna())


def test_migration_ranking_totals_vs_shares():
    rr = city_tier.ranking_robustness()
    assert len(rr) == 16 and set(rr["cities"]) == {"all listed", "whole cities only"}
    tot = rr[(rr["statistic"].str.startswith("inter-provincial")) & (rr["measure"] == "total")]
    assert (tot["yrd_rank"] == 1).all()  # YRD first on migrant counts in 2010 and 2020
    sh = rr[(rr["statistic"].str.startswith("inter-provincial")) & (rr["measure"] == "share")]
    assert (sh["leader"] == "Greater Bay Area (PRD 9)").all()  # but not per resident
    m = city_tier.migration_by_cluster(whole_only=True)
    assert (m["part_cities"] == 0).all()
    assert len(groups.cluster_codes(city_tier.YRD_CLUSTER)) == 26


def test_convergence_windows():
    w = panel.wide(["gdp_pc_real"], years=(2000, 2022))
    ct = city_tier.convergence_table(w, "gdp_pc_real", regions.yrd41(), 2000, 2022)
    assert {"all", "before 2010", "from 2010", "before 2016", "from 2016"} == set(ct["window"])
    row = ct.set_index("window").loc["from 2010"]
    assert row["n"] >= 38 and row["ci_low"] < row["beta_slope"] < row["ci_high"]


def test_energy_index_and_rank_change():
    d, cov = city_tier.index_data(regions.yrd41(), (2000, 2022))
    assert (cov.loc[cov.index.isin(d["year"].unique()), "share"] >= 0.9).all()
    ei = city_tier.energy_index(d)
    assert ei["entropy"].weights.sum() == pytest.approx(1)
    s = ei["entropy"].scores
    assert s[s["year"] == 2019].sort_values("rank").iloc[0]["region_code"] == "310000"  # Shanghai top
    rc = city_tier.rank_change(d, "331000", 2005, 2019, n_draws=200)
    assert rc["band"][0] <= rc["change"] <= rc["band"][1] or rc["share_improved"] in (0, 1)
    mr = city_tier.metro_ranks(s)
    assert set(mr.columns) == set(groups.NINGBO_METRO) and (mr["330200"] == 1).mean() > 0.8


def test_zipf_path_fixed_set():
    w = panel.wide(["pop_resident"], years=(2000, 2022))
    z = city_tier.zipf_path(w, "pop_resident", regions.yrd41())
    assert z.attrs["cities"] >= 39 and (z["n"] == z.attrs["cities"]).all()
    assert z["exponent"].between(0.5, 2.5).all()
    zc = city_tier.zeta_change(z, int(z["year"].min()), int(z["year"].max()))
    assert zc["ci_low"] < zc["estimate"] < zc["ci_high"]
    cz = city_tier.census_zipf(regions.yrd41())
    assert list(cz["year"]) == [2010, 2020] and (cz["n"] == 41).all()


def _check(path):
    recs = check_evidence(path, HYPS)
    assert abs(recs["S2.b"]["estimate"]) < 1 and abs(recs["S2.c"]["estimate"]) < 0.2
    assert abs(recs["S2.d"]["estimate"]) <= 40 and abs(recs["S2.e"]["estimate"]) < 1
    return recs


@pytest.mark.parametrize("focus,extra", [("331000", {}), ("宁波", {"growth_outcome": "gdp_pc_real"}),
                                         ("合肥", {"treatment": "plan2016"})])
def test_notebook_runs(tmp_path, focus, extra):
    _check(run_notebook("s2_city_tier", tmp_path, focus_region=focus, start_year=2005,
                        end_year=2019, **extra))
