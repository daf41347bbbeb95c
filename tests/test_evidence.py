import json
import math

import nbformat
import pandas as pd
import pytest

from yrdlib import evidence as ev
from yrdlib.evidence import (
    CLAIM_MIME,
    EVIDENCE_MIME,
    Evidence,
    claim_verdict,
    evidence_table,
    evidences_from_notebook,
    judge,
)


def E(est, lo=None, hi=None, **kw):
    kw.setdefault("expected", "+")
    return Evidence("S1", kw.pop("hyp", "S1.b"), "对外开放", "Openness", estimate=est, ci_low=lo,
                    ci_high=hi, n=kw.pop("n", 100), **kw)


def test_verdict_rule():
    assert E(0.5, 0.1, 0.9).verdict == "supported"
    assert E(-0.5, -0.9, -0.1).verdict == "contradicted"
    assert E(0.5, -0.1, 0.9).verdict == "inconclusive"
    assert E(-0.5, -0.9, -0.1, expected="-").verdict == "supported"
    assert E(0.5, 0.1, 0.9, expected="-").verdict == "contradicted"
    # ratio: null 1
    assert E(1.3, 1.1, 1.5, null_value=1).verdict == "supported"
    assert E(0.8, 0.6, 0.95, null_value=1).verdict == "contradicted"
    assert E(1.3, 0.9, 1.5, null_value=1).verdict == "inconclusive"


def test_a_pretrend_p_value_is_shown_not_a_veto():
    # pre-tests inform, they do not veto (Roth 2022): the rule reads the interval
    assert E(0.5, 0.1, 0.9, pretrend_p=0.01).verdict == "supported"
    assert E(0.5, -0.1, 0.9, pretrend_p=0.5).verdict == "inconclusive"


def _causal_rows(sa=0.3, cs=0.2, honest=(0.05, 0.9), pre=0.001, wild=(-0.4, 1.2)):
    return [{"name": "city-clustered SE (did2s)", "kind": "estimate", "binding": False,
             "estimate": 0.5, "ci_low": 0.4, "ci_high": 0.6},
            {"name": "did2s pre-trend", "kind": "pretrend", "binding": False, "pretrend_p": pre},
            {"name": "wild cluster bootstrap (province)", "kind": "design", "binding": False,
             "estimate": 0.5, "ci_low": wild[0], "ci_high": wild[1]},
            {"name": "Sun–Abraham ATT", "kind": "sign", "estimate": sa, "ci_low": -1, "ci_high": 2},
            {"name": "Callaway–Sant'Anna ATT", "kind": "sign", "estimate": cs},
            {"name": "Rambachan–Roth M̄ = 0.5", "kind": "honest", "estimate": 0.5,
             "ci_low": honest[0], "ci_high": honest[1], "note": "breakdown M̄ = 0.80"}]


def test_causal_rule_binding_and_shown_rows():
    # design-based interval excludes 0, robust estimators agree in sign, honest interval > 0:
    # supported although the pre-trend test rejects and the bootstrap interval includes 0
    e = E(0.5, 0.1, 0.9, sensitivity=_causal_rows(), inference="RI over province blocks")
    assert e.verdict == "supported"
    shown = [r for r in e.sensitivity if not r["binding"]]
    assert {r["name"] for r in shown} == {"city-clustered SE (did2s)", "did2s pre-trend",
                                           "wild cluster bootstrap (province)"}
    assert not next(r for r in shown if r["name"] == "did2s pre-trend")["agrees"]  # still marked
    # a robust estimator of the other sign: inconclusive, named
    e2 = E(0.5, 0.1, 0.9, sensitivity=_causal_rows(cs=-0.1))
    assert e2.verdict == "inconclusive" and "Callaway–Sant'Anna ATT" in e2.reason_en
    assert "Callaway–Sant'Anna ATT agreeing in sign" in e2.change_en
    # the honest interval includes 0: inconclusive, and the change names smaller pre-trends
    e3 = E(0.5, 0.1, 0.9, sensitivity=_causal_rows(honest=(-0.2, 1.2)))
    assert e3.verdict == "inconclusive" and "Rambachan–Roth" in e3.change_en
    # contradicted symmetrically: every binding row on the negative side
    neg = _causal_rows(sa=-0.3, cs=-0.2, honest=(-0.9, -0.05))
    assert E(-0.5, -0.9, -0.1, sensitivity=neg).verdict == "contradicted"
    # significance is not asked of the sign rows (a wide Sun–Abraham interval still agrees)
    assert e.sensitivity[3]["agrees"]


def test_inconclusive_states_lean_ruled_out_range_and_mde():
    e = E(0.14, -1.03, 1.29, unit="log points", mde=1.59, inference="RI")
    assert e.verdict == "inconclusive" and e.lean == "+"
    for text in (e.reason_en, e.finding_en):
        assert "+1.29" in text and "-1.03" in text and "1.59" in text
    assert "leans positive" in e.reason_en and "ruled out" in e.reason_en
    assert "为正" in e.reason_zh and "对数点" in e.reason_zh and "1.59" in e.reason_zh
    assert "+1.59 log points or more" in e.change_en
    # without a design MDE it is read off the interval: (z.975 + z.80) · (hi − lo) / 3.92
    e2 = E(-0.2, -0.5, 0.1)
    assert e2.lean == "-" and e2.mde == pytest.approx(2.8016 * 0.6 / 3.92, rel=1e-3)
    assert "against the claimed" in e2.finding_en
    # a supported test leans but asks for nothing
    e3 = E(0.5, 0.1, 0.9)
    assert e3.lean == "+" and e3.change_en == "" and "[+0.1, +0.9]" in e3.finding_en


def test_nan_missing_ci_and_small_n_never_silent():
    e = E(float("nan"), 0.1, 0.9)
    assert e.verdict == "inconclusive" and "NaN" in e.reason_en
    assert E(0.5).verdict == "inconclusive"  # no CI
    assert E(0.5, float("nan"), 0.9).verdict == "inconclusive"
    assert E(0.5, 0.1, 0.9, n=2).verdict == "inconclusive"
    assert E(0.5, 0.9, 0.1).verdict == "inconclusive"  # inverted CI


def test_fact_kind():
    f = Evidence("S1", "S1.a", "宁波舟山港吞吐量全球第一", "Ningbo-Zhoushan is No. 1", kind="fact",
                 estimate=1.2, null_value=1.0, expected="+", n=None)
    assert f.verdict == "supported"
    f2 = Evidence("S1", "S1.a", "x", "x", kind="fact", estimate=0.9, null_value=1.0)
    assert f2.verdict == "contradicted"


def test_not_testable_requires_missing_data():
    e = Evidence.not_testable("P", "P.energy", "能源", "Energy", missing_data="city energy balance")
    assert e.verdict == "not testable" and "city energy balance" in e.notes
    assert "city energy balance" in e.reason_en
    with pytest.raises(ValueError):
        Evidence.not_testable("P", "P.x", "x", "x", missing_data="  ")
    with pytest.raises(ValueError):
        E(0.1, 0, 1, expected="up")


def test_judge_is_the_single_rule():
    e = E(0.5, 0.1, 0.9)
    assert judge(e) == (e.verdict, e.reason_en, e.reason_zh)


def _v(*verdicts):
    table = {"supported": (0.5, 0.1, 0.9), "contradicted": (-0.5, -0.9, -0.1),
             "inconclusive": (0.5, -0.1, 0.9)}
    out = []
    for i, v in enumerate(verdicts):
        if v == "not testable":
            out.append(Evidence.not_testable("S", f"S.{i}", "x", "x", missing_data="d"))
        else:
            out.append(E(*table[v], hyp=f"S.{i}"))
        assert out[-1].verdict == v
    return out


# core = the first `ncore` records; the rest are peripheral tests
@pytest.mark.parametrize("vs,ncore,expected,words", [
    (("not testable", "not testable"), 2, "not testable", "no core test"),
    (("supported", "supported"), 2, "supported", "every core test supported"),
    (("supported", "inconclusive"), 1, "supported", "every core test supported"),
    (("supported", "inconclusive"), 2, "inconclusive", "inconclusive"),
    (("supported", "not testable", "supported"), 2, "inconclusive", "cannot be supported"),
    (("supported", "contradicted"), 2, "contradicted", "at least as many"),
    (("supported", "supported", "contradicted"), 2, "inconclusive", "peripheral"),
    (("supported", "supported", "contradicted"), 3, "inconclusive", "fewer than supported"),
    (("contradicted", "not testable"), 2, "contradicted", "contradicted"),
    (("inconclusive", "supported", "supported"), 1, "inconclusive", "inconclusive"),
])
def test_claim_rule_core(vs, ncore, expected, words):
    evs = _v(*vs)
    core = [e.hypothesis for e in evs[:ncore]]
    v, en, zh = claim_verdict(evs, core=core)
    assert v == expected and words in en, en
    assert zh.endswith("。") and "核心检验" in zh
    # dicts (as read back from notebooks) give the same answer
    assert claim_verdict([e.to_dict() for e in evs], core=core)[0] == expected


def test_a_description_never_counts():
    evs = _v("supported")
    far_below = Evidence.description("S", "S.d", "x", "x", estimate=-50.0, null_value=0.0, band=5)
    assert far_below.verdict == "description" and far_below.label_en.startswith("below")
    # adding a description (or making it core by mistake) never changes the verdict
    assert claim_verdict([*evs, far_below], core=["S.0"])[0] == "supported"
    assert claim_verdict([far_below], core=[])[0] == "description"
    within = Evidence.description("S", "S.e", "x", "x", estimate=2.0, null_value=0.0, band=5)
    assert within.label_en.startswith("within")
    trend = Evidence.description("S", "S.f", "x", "x", estimate=-0.3, ci_low=-0.5, ci_high=-0.1)
    assert trend.label_en.startswith("falling")


def test_not_applicable_focus_and_scope():
    na = Evidence.not_applicable("S", "S.0", "x", "x", reason_zh="焦点城市不是长三角成员",
                                 reason_en="the focus city is not a YRD member")
    assert na.verdict == "not applicable" and "长三角" in na.reason_zh
    # a non-applicable core test does not drop out and let peripheral ones carry the claim
    evs = [na, *_v("supported", "supported")[1:]]
    assert claim_verdict(evs, core=["S.0"])[0] == "not applicable"
    v, en, zh = claim_verdict(_v("supported"), core=["S.0"], scope_note=("不在范围内", "out of scope"))
    assert v == "not applicable" and "out of scope" in en and "不在范围内" in zh


def test_robustness_gate_names_the_failing_row():
    rows = [{"name": "Sun-Abraham pre-trend", "kind": "pretrend", "pretrend_p": 0.01},
            {"name": "province-clustered", "kind": "estimate", "estimate": 0.4, "ci_low": -0.1,
             "ci_high": 0.9},
            {"name": "wild bootstrap (province)", "kind": "design", "p_value": 0.01}]
    e = E(0.5, 0.1, 0.9, sensitivity=rows)
    assert e.verdict == "inconclusive"
    assert "Sun-Abraham pre-trend" in e.reason_en and "province-clustered" in e.reason_en
    assert "wild bootstrap" not in e.reason_en  # that row agrees
    ok = [{"name": "Sun-Abraham pre-trend", "kind": "pretrend", "pretrend_p": 0.4},
          {"name": "2003-2022", "kind": "estimate", "estimate": 0.3, "ci_low": 0.05, "ci_high": 0.6}]
    e2 = E(0.5, 0.1, 0.9, sensitivity=ok)
    assert e2.verdict == "supported" and all(r["agrees"] for r in e2.sensitivity)
    # contradicted needs agreement on the opposite side too
    e3 = E(-0.5, -0.9, -0.1, sensitivity=[{"name": "alt", "estimate": 0.2, "ci_low": 0.1,
                                            "ci_high": 0.3}])
    assert e3.verdict == "inconclusive" and "alt" in e3.reason_en


def test_json_roundtrip_and_nan_safe():
    e = E(float("nan"), 0.1, 0.9, notes="<b>台州</b>")
    d = e.to_dict()
    assert d["estimate"] is None or not (isinstance(d["estimate"], float) and math.isnan(d["estimate"]))
    json.dumps(d, allow_nan=False)
    e2 = Evidence.from_dict(E(0.5, 0.1, 0.9).to_dict())
    assert e2.verdict == "supported"


def test_html_escapes_and_bundle():
    e = E(0.5, 0.1, 0.9, sample="<script>alert(1)</script> 台州 & 温州")
    from yrdlib.evidence import _bundle

    b = _bundle(e)  # what show() displays
    assert set(b) == {"text/plain", "text/html", EVIDENCE_MIME}
    assert "<script>" not in b["text/html"] and "&lt;script&gt;" in b["text/html"]
    assert "&amp;" in b["text/html"] and "支持" in b["text/html"] and "SUPPORTED" in b["text/html"]
    assert b[EVIDENCE_MIME]["verdict"] == "supported"
    # an Evidence echoed as a cell's value (show() returns it) is shown but never collected twice
    assert EVIDENCE_MIME not in e._repr_mimebundle_()


def test_show_and_collect_from_notebook(tmp_path, monkeypatch):
    captured = []
    import IPython.display

    monkeypatch.setattr(IPython.display, "display", lambda obj, raw=False: captured.append(obj))
    ev.show(E(0.5, 0.1, 0.9, hyp="S1.b"))
    ev.record(Evidence.not_testable("S1", "S1.c", "x", "y", missing_data="FDI by city"))
    rec = ev.claim_box("S1", [E(0.5, 0.1, 0.9)], "开放", "Opening-up")
    assert rec["verdict"] == "supported" and CLAIM_MIME in captured[-1]
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("show(...)")
    cell.outputs = [nbformat.v4.new_output("display_data", data=b) for b in captured]
    cell.outputs.append(nbformat.v4.new_output("stream", text="hello"))
    nb.cells = [nbformat.v4.new_markdown_cell("# t"), cell]
    p = tmp_path / "s1_opening.ipynb"
    nbformat.write(nb, str(p))
    recs = evidences_from_notebook(p)
    assert [r["hypothesis"] for r in recs] == ["S1.b", "S1.c"]
    assert recs[0]["notebook"] == "s1_opening"
    assert ev.claims_from_notebook(p)[0]["claim"] == "S1"
    t = evidence_table([p, E(-0.5, -0.9, -0.1, hyp="S2.b")])
    assert isinstance(t, pd.DataFrame) and len(t) == 3
    assert list(t["verdict"]) == ["supported", "not testable", "contradicted"]
    assert t.loc[0, "notebook"] == "s1_opening"


def test_from_did():
    from yrdlib.methods.did import estimate_did
    from yrdlib.methods.simulate import simulate_staggered_panel

    r = estimate_did(simulate_staggered_panel(n_units=80, seed=0), "y")
    e = Evidence.from_did(r, "S1", "S1.b", "加入提高开放", "Joining raises openness")
    assert e.pretrend_p == pytest.approx(r.pretrend_p) and e.n == r.n_obs
    assert e.verdict == "supported"
