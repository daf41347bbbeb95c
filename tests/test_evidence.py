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


def test_pretrend_failure_makes_inconclusive():
    e = E(0.5, 0.1, 0.9, pretrend_p=0.01)
    assert e.verdict == "inconclusive" and "Pre-trend" in e.reason_en and "事前趋势" in e.reason_zh
    assert E(0.5, 0.1, 0.9, pretrend_p=0.2).verdict == "supported"


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


@pytest.mark.parametrize("vs,expected", [
    ((), "not testable"),
    (("not testable", "not testable"), "not testable"),
    (("supported", "inconclusive"), "supported"),
    (("supported", "inconclusive", "inconclusive"), "inconclusive"),
    (("supported", "contradicted"), "contradicted"),
    (("supported", "supported", "contradicted"), "inconclusive"),
    (("contradicted", "not testable"), "contradicted"),
    (("supported", "not testable", "not testable"), "supported"),
    (("inconclusive",), "inconclusive"),
])
def test_claim_rule(vs, expected):
    v, en, zh = claim_verdict(_v(*vs))
    branch = {"supported": "at least half", "contradicted": "at least as many",
              "not testable": "no hypothesis", "inconclusive": ("less than half", "fewer than")}
    words = branch[expected]
    assert v == expected and any(w in en for w in (words if isinstance(words, tuple) else (words,)))
    assert f"{vs.count('supported')} supported" in en and f"支持 {vs.count('supported')}" in zh
    # dicts (as read back from notebooks) give the same answer
    assert claim_verdict([e.to_dict() for e in _v(*vs)])[0] == expected


def test_json_roundtrip_and_nan_safe():
    e = E(float("nan"), 0.1, 0.9, notes="<b>台州</b>")
    d = e.to_dict()
    assert d["estimate"] is None or not (isinstance(d["estimate"], float) and math.isnan(d["estimate"]))
    json.dumps(d, allow_nan=False)
    e2 = Evidence.from_dict(E(0.5, 0.1, 0.9).to_dict())
    assert e2.verdict == "supported"


def test_html_escapes_and_bundle():
    e = E(0.5, 0.1, 0.9, sample="<script>alert(1)</script> 台州 & 温州")
    b = e._repr_mimebundle_()
    assert set(b) == {"text/plain", "text/html", EVIDENCE_MIME}
    assert "<script>" not in b["text/html"] and "&lt;script&gt;" in b["text/html"]
    assert "&amp;" in b["text/html"] and "支持" in b["text/html"] and "SUPPORTED" in b["text/html"]
    assert b[EVIDENCE_MIME]["verdict"] == "supported"


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
