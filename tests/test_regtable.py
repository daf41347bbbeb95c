"""Outputs an economist can cite (issue 26): the regression table of a real pooled causal test
carries the evidence record's own numbers (those evidence.csv holds), the estimates as data carry
the run id, and the methods appendix lists every test of the default run's registry."""

import json

import pandas as pd
import pytest

from yrdlib.claims import common
from yrdlib.report import appendix, regtable
from yrdlib.report.downloads import embed

RUN = "20261206T000000Z-abcdef1"


@pytest.fixture(scope="module")
def s4b(tmp_path_factory):
    mp = pytest.MonkeyPatch()
    mp.setenv("YRD_MEMO_DIR", str(tmp_path_factory.mktemp("memo")))
    try:
        yield common.did_test("S4.b", "share_tertiary", "association", (2008, 2016), "level",
                              leads=3, lags=3)
    finally:
        mp.undo()


def _evidence_csv(tmp_path, ev) -> pd.DataFrame:
    """evidence.csv as the runner writes it from the record a notebook displays (JSON)."""
    from yrdlib.runner.run import _write_evidence_tables

    rec = json.loads(json.dumps(ev.to_dict()))
    rows = [{"id": "s4", "notebook": "s4_industry.ipynb", "parameters": {}, "status": "ok",
             "error": None, "seconds": 1.0, "cached": False, "claims": [], "hypotheses": [rec]}]
    _write_evidence_tables(tmp_path, rows)
    return pd.read_csv(tmp_path / "evidence.csv", encoding="utf-8-sig")


def test_regression_table_numbers_equal_the_evidence_record(s4b, tmp_path):
    ev = s4b.evidence
    files = regtable.export(s4b, run=RUN, folder=tmp_path)
    csv = pd.read_csv(files["csv"], encoding="utf-8-sig", index_col=0)
    (tmp_path / "run").mkdir()
    evcsv = _evidence_csv(tmp_path / "run", ev)
    main = evcsv.iloc[0]
    # column (1): the headline of evidence.csv (design-based interval), to the last digit
    col1 = csv.iloc[:, 0]
    assert float(col1.iloc[0]) == main["estimate"] == ev.estimate
    assert float(col1.iloc[1]) == main["ci_low"] and float(col1.iloc[2]) == main["ci_high"]
    assert int(col1.iloc[3]) == main["n"]
    # the other columns: every specification row that is an estimate, in the chart's order
    sign = [r for r in ev.sensitivity if r["kind"] == "sign"]
    assert len(sign) == 8 and csv.shape[1] == 1 + len(sign)
    for j, r in enumerate(sign, 1):
        assert csv.columns[j].endswith(r["name"].removesuffix(" ATT"))
        assert float(csv.iloc[0, j]) == r["estimate"]
        assert float(csv.iloc[1, j]) == r["ci_low"] and float(csv.iloc[2, j]) == r["ci_high"]
    # the design-based interval is not a city-clustered one: the table did not mix them up
    city = next(r for r in ev.sensitivity if r["name"] == "city-clustered SE (did2s)")
    assert float(col1.iloc[1]) != city["ci_low"]
    # run id and data vintage travel in the file
    assert csv.loc["运行 run id"].iloc[0] == RUN
    assert csv.loc["数据版本 data vintage"].iloc[0] == ev.data_vintage


def test_latex_html_and_downloads(s4b, tmp_path):
    files = regtable.export(s4b, run=RUN, folder=tmp_path)
    tex = files["tex"].read_text(encoding="utf-8")
    assert "\\toprule" in tex and "\\bottomrule" in tex and RUN in tex
    assert f"{s4b.evidence.estimate:.3f}" in tex and "Sun--Abraham" in tex
    assert "系数" in files["tex_zh"].read_text(encoding="utf-8")
    page = files["html"].read_text(encoding="utf-8")
    assert "<table" in page and "<style" not in page and "class=" not in page and RUN in page
    reg = json.loads((tmp_path / "tables.json").read_text(encoding="utf-8"))
    t = next(t for t in reg if t["name"] == "s4_b_regression_table")
    links = embed([t], tmp_path)[0]["links"]
    assert [x["label"] for x in links] == ["CSV", "Excel", "LaTeX (英文 en)", "LaTeX (中文)", "HTML (Word)"]
    assert all(x["embedded"] and x["link"].startswith("data:") for x in links)


def test_estimates_as_tidy_data(s4b):
    est = regtable.estimates_data(s4b, run=RUN)
    assert (est["run_id"] == RUN).all() and (est["data_vintage"] == s4b.evidence.data_vintage).all()
    es = est[(est["part"] == "event_study") & (est["estimator"] == "did2s")]
    ref = s4b.data["event_did2s"]
    assert es["rel_time"].tolist() == ref["rel_time"].tolist()
    assert es["estimate"].tolist() == ref["estimate"].tolist()
    assert es["ci_high"].tolist() == ref["ci_high"].tolist()
    assert (est["estimator"] == "sunab").sum() == len(s4b.data["event_sunab"])
    coh = est[est["part"] == "cohort_effect"]
    assert coh["estimate"].tolist() == s4b.data["cs_cohorts"]["att"].tolist()
    head = est[est["part"] == "headline"].iloc[0]
    assert head["ci_low"] == s4b.evidence.ci_low


def test_methods_appendix_lists_every_test_of_the_default_run(s4b):
    from yrdlib import config
    from yrdlib.claims import registry
    from yrdlib.runner.plan import load_runfile, plan_jobs

    jobs = plan_jobs(load_runfile(config.RUNS / "default.yml"), {})
    rows = [{"notebook": j.notebook.name, "hypotheses": []} for j in jobs]
    rows.append({"notebook": "s4_industry.ipynb", "hypotheses": [s4b.evidence.to_dict()]})
    page = appendix.methods_html(rows, RUN)
    ids = [h.id for j in jobs for c in registry.for_notebook(j.notebook.stem) for h in c.hypotheses]
    assert len(ids) >= 20 and {"S1.b", "S2.b", "S4.b"} <= set(ids)
    for hid in ids:
        assert f'<h3 id="{hid}">' in page, hid
    assert "randomization inference over province blocks" in page  # S4.b's record
    assert "first treated year" in page  # its treatment timing
    assert "The verdict rule" in page and "Rambachan" in page and "Callaway" in page


def test_methods_appendix_calibration_present_or_absent():
    """The committed summary's figures reach the page; without one the page says it is absent."""
    summ = pd.DataFrame([{"hypothesis": "S4.b", "placebo_runs": 40, "size": 0.025,
                          "power_1sd": 0.1, "power_4sd": 0.9, "actual_4sd": "supported",
                          "current_data": False}])
    page = appendix._calibration_html("S4.b", summ)
    assert "0.025" in page and "0.9" in page and "earlier data version" in page
    assert "not among the calibrated" in appendix._calibration_html("S2.c", summ)
    assert "absent" in appendix._calibration_html("S4.b", None)
