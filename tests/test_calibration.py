"""The verdict rule judged where the answer is known (real panel, the project's own hypothesis
function): a clean planted effect of 4 within-city SDs on the actual treated cities is supported;
a placebo province assignment without an effect is not."""

import pytest

from yrdlib.claims import calibration as C
from yrdlib.claims import common


@pytest.fixture(scope="module")
def s2b_sample():
    return C._main_sample("S2.b")


def test_placebo_assignment_moves_whole_provinces(s2b_sample):
    m = C.draws("S2.b", 1)[0]
    d = C.Assign(mapping=m, seed=0)(s2b_sample)
    assert not d["province"].isin(common.TREATED_PROVINCES).any()  # YRD provinces dropped
    treated = d.loc[d["treat_year"].notna(), "province"].unique()
    assert set(treated) <= {t for t, _ in m} and len(treated) >= 2
    # a receiving province gets its source's cohort years (stretched), never new ones
    src_years = set(s2b_sample.loc[s2b_sample["treat_year"].notna(), "treat_year"])
    assert set(d["treat_year"].dropna()) <= src_years


def test_planted_effect_shifts_treated_years_only(s2b_sample):
    st = s2b_sample.groupby("region_code")["treat_year"].first().dropna()
    tf = C.Assign(tau=0.3, start=tuple((k, float(v)) for k, v in st.items()))
    d = tf(s2b_sample)
    diff = d["y"] - s2b_sample["y"]
    post = s2b_sample["year"] >= s2b_sample["region_code"].map(st)
    assert (diff[post] - 0.3).abs().max() < 1e-9 and diff[~post].eq(0).all()


def test_rule_supports_a_planted_effect_and_not_a_placebo(s2b_sample):
    sd = C.within_sd(s2b_sample)
    assert 0.01 < sd < 0.1  # log real GDP: a few percent a year
    planted = C.run_one("S2.b", None, 4 * sd)
    assert planted["verdict"] == "supported", planted
    assert planted["estimate"] == pytest.approx(0.0375 + 4 * sd, abs=0.02)
    placebo = C.run_one("S2.b", C.draws("S2.b", 1)[0], 0.0)
    assert placebo["verdict"] not in ("supported", "contradicted"), placebo


def test_cached_calibration_is_served_only_when_its_mac_verifies(tmp_path, monkeypatch):
    monkeypatch.setenv("YRD_CACHE_KEY", "calibration-test-key-" + "0" * 32)
    import pandas as pd

    p = tmp_path / "x.csv"
    runs = pd.DataFrame({"hypothesis": ["S2.b"], "verdict": ["inconclusive"], "mapping": ["a"]})
    C._write_cached(p, runs)
    assert C._read_cached(p).equals(runs)
    p.write_text(p.read_text().replace("inconclusive", "supported"))  # an edited verdict
    assert C._read_cached(p) is None


def test_published_summary_reads_the_data_version_without_building():
    # the same identity as the pooled cache's key, read from the manifest as it is
    assert C._manifest_data_key() == common.data_key()
