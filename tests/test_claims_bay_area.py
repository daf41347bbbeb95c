"""S3 (bay area): yrdlib.claims.bay_area on the real panel (fast, no kernel), and one end-to-end
run of notebooks/s3_bay_area.ipynb for 台州 (slow)."""

from __future__ import annotations

import pytest
from nbtools import check_evidence, run_notebook

from yrdlib import evidence, regions
from yrdlib.claims import bay_area as B
from yrdlib.claims import registry

TZ, YEARS = "331000", (2000, 2023)


@pytest.fixture(scope="module")
def taizhou():
    return {"a": B.s3a_linkage(TZ, YEARS), "b": B.s3b_comovement(TZ, YEARS, n_boot=199),
            "c": B.s3c_bay_share(TZ, YEARS), "d": B.s3d_northward_share(TZ, YEARS)}


def test_bay_group_is_shanghai_plus_six_zhejiang_cities():
    assert B.bay_codes() == ["310000", "330100", "330200", "330400", "330500", "330600", "330900"]
    g = B.partner_groups("330200")  # Ningbo is a bay city: removed from its own partners
    assert "330200" not in g["north"] and g["south"] == ["330300"]
    # origins of the bay-pull share: the 34 YRD cities outside the bay; a bay focus joins them
    assert len(B.origin_codes(TZ)) == 34 and not set(B.origin_codes(TZ)) & set(B.bay_codes())
    assert "330200" in B.origin_codes("330200") and "330200" not in B.bay_partners("330200")


def _scaled(focus, years, factor):
    codes = sorted(set(B.origin_codes(focus)) | set(B.bay_partners(focus)) | {"330300"})
    m = B.mass_panel(codes, years)
    m.loc[m["region_code"] == focus, ["gdp", "gdp_real"]] *= factor
    return m


def test_new_share_moves_with_the_focus_city_the_northward_share_does_not():
    """The referee's point: scaling ONLY the focus city's GDP moves S3.a and S3.c, while the old
    northward share (S3.d) is unchanged to rounding, because the focus city's mass cancels."""
    years = (2005, 2023)
    base, up = _scaled(TZ, years, 1.0), _scaled(TZ, years, 1.5)
    a0, a1 = (B.pull_shares(B.bay_pull(TZ, years, masses=m), TZ)[0][TZ] for m in (base, up))
    assert (a1 > a0 * 1.1).all()  # M_f × √1.5: share/(1-share) rises by √1.5 ≈ 1.22
    odds = (a1 / (100 - a1)) / (a0 / (100 - a0))
    assert odds.to_numpy() == pytest.approx(1.5 ** 0.5, rel=1e-9)
    g = B.partner_groups(TZ)
    n0, n1 = (B.shares(B.linkages(TZ, g, years, masses=m), TZ, g)["north_share"]
              for m in (base, up))
    assert n1.to_numpy() == pytest.approx(n0.to_numpy(), rel=1e-12)
    c0, c1 = (B.bay_share_series(TZ, years, masses=m) for m in (base, up))
    assert c1.to_numpy() == pytest.approx(1.5 * c0.to_numpy(), rel=1e-12)


def test_s3a_taizhou_falls_with_placebo_and_gate(taizhou):
    r = taizhou["a"]
    sh = r.data["shares"]
    assert sh.sum(axis=1).to_numpy() == pytest.approx(100.0)  # shares of one total
    assert not set(range(2001, 2005)) & set(sh.index)  # Taizhou lacks reported population 2001-04
    assert r.evidence.estimate < 0 and r.evidence.ci_high < 0  # Taizhou's share falls
    plc = r.data["placebo"]
    assert len(plc) == sh.shape[1] and set(plc["region_code"]) == set(sh.columns)
    assert set(r.data["peers"]) == {"330300", "330700", "330800", "331100"}  # Zhejiang, not bay
    names = [row["name"] for row in r.evidence.sensitivity]
    assert any("start year" in n for n in names) and any("placebo" in n for n in names)
    # the later start year (2010) does not agree: the gate makes S3.a inconclusive, naming it
    assert r.verdict == "inconclusive" and "start year 2010" in r.evidence.reason_en


def test_s3c_taizhou_nominal_share_falls_but_not_in_real_terms(taizhou):
    r = taizhou["c"]
    y = r.data["share"]
    bay = B.mass_panel(B.bay_codes(), (2019, 2019))["gdp"]
    assert len(bay) == 7 and y.loc[2019] == pytest.approx(5134.05 / bay.sum() * 100)  # 台州 2019
    assert r.evidence.estimate < 0 and r.evidence.ci_high < 0  # nominal share falls
    # with real GDP chain-linked from the published indices (comparable series), Taizhou's real
    # share is flat: the nominal fall is relative prices, so the gate makes S3.c inconclusive
    real = next(row for row in r.evidence.sensitivity if row["name"].startswith("real GDP"))
    assert not real["agrees"] and real["ci_low"] < 0 < real["ci_high"]
    assert r.verdict == "inconclusive" and "real GDP" in r.evidence.reason_en


def test_s3d_is_a_description_and_never_counts(taizhou):
    r = taizhou["d"]
    assert r.evidence.role == "description" and r.verdict == evidence.DESCRIBED
    assert r.evidence.label_en.startswith("rising")  # the bay outgrew Wenzhou
    assert ((r.data["shares"]["north_share"] > 50) & (r.data["shares"]["north_share"] < 100)).all()
    cs = B.cross_section_shares(r.data["cross_section"])
    assert cs["331083"] < cs["331000"]  # Yuhuan lies further south, nearer Wenzhou


def test_s3b_break_falls_back_and_is_peripheral(taizhou):
    assert B.choose_break(TZ, 2000)[:2] == (2010, "plan2010")  # joined 2003: 3 pre-years
    assert B.choose_break("340100", 2000)[:2] == (2010, "association")  # Hefei joined 2010
    r = taizhou["b"]
    assert r.data["break"] == 2010 and "S3.b" not in registry.claim("S3").core
    assert r.evidence.ci_low <= r.evidence.estimate <= r.evidence.ci_high
    # the label says what 台州's test uses: the 2010 Regional Plan, not its joining (2003)
    h = registry.hypothesis("S3.b")
    assert "plan2010" in r.evidence.method and "after joining" not in h.title_en
    assert "2010 Regional Plan" in h.title_en and "2010" in h.title_zh
    assert "2010 YRD Regional Plan" in h.statement_en and "台州" in h.statement_zh


def test_claim_verdict_for_taizhou_follows_from_s3a_and_s3c(taizhou):
    evs = [taizhou[k].evidence for k in "abcd"]
    v, en, _ = evidence.claim_verdict(evs)
    assert v == "inconclusive" and "S3.a" in en and "S3.c" in en  # both core tests inconclusive
    # before: the northward share (now S3.d, rising) alone made S3 "supported"; as a description
    # it never counts, and without S3.c the inconclusive S3.a leaves the claim inconclusive
    assert taizhou["d"].evidence.label_en.startswith("rising")
    v2, _, _ = evidence.claim_verdict([taizhou[k].evidence for k in "abd"])
    assert v2 == "inconclusive"


@pytest.mark.parametrize("focus", ["330300", "330200"])
def test_wenzhou_and_a_bay_city_work_through_the_functions(focus):
    years = (2005, 2023)
    a, c, d = (B.s3a_linkage(focus, years), B.s3c_bay_share(focus, years),
               B.s3d_northward_share(focus, years))
    assert focus in a.data["shares"].columns and focus not in B.bay_partners(focus)
    assert a.evidence.verdict in evidence.VERDICTS and c.evidence.verdict in evidence.VERDICTS
    if focus == "330300":  # Wenzhou: the nearest city to its south (宁德, Fujian) stands in
        assert d.data["groups"]["south"] == ["350900"] and "宁德" in d.data["groups"].notes[0]


def test_outside_the_yrd_is_not_applicable_in_both_languages():
    from yrdlib.claims.context import Context

    ctx = Context("s3_bay_area", {}, unit=regions.resolve("360700"))  # 赣州
    zh, en = ctx.scope_note("S3")
    r = B.s3c_bay_share("360700", (2005, 2023))
    v, ven, vzh = evidence.claim_verdict([r.evidence], scope_note=(zh, en))
    assert v == "not applicable" and "赣州" in vzh and "YRD" in ven


def test_bad_options_are_refused():
    with pytest.raises(ValueError, match="distance exponent"):
        B.s3a_linkage(TZ, YEARS, b=0)
    with pytest.raises(ValueError, match="window"):
        B.s3b_comovement(TZ, YEARS, window=3)


@pytest.mark.slow
def test_notebook_taizhou_end_to_end(tmp_path):
    out = run_notebook("s3_bay_area", tmp_path, focus_region="台州")
    recs = check_evidence(out, {"S3.a", "S3.b", "S3.c", "S3.d"})
    assert recs["S3.d"]["verdict"] == evidence.DESCRIBED
    assert recs["S3.c"]["verdict"] == "inconclusive"  # nominal share falls, real share flat (gate)
    claims = evidence.claims_from_notebook(out)
    assert [c["verdict"] for c in claims] == ["inconclusive"]
