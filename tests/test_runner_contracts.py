"""Parameter contracts, run files and table exports (no kernel needed: fast)."""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest
from click.testing import CliRunner

from yrdlib import config, contracts
from yrdlib.contracts import ParameterError, parse_parameters_source, read_signature
from yrdlib.runner.cli import list_notebooks, run
from yrdlib.runner.plan import RunFileError, RunSpec, load_runfile, plan_jobs

FIX = Path(__file__).parent / "fixtures" / "notebooks"


class RegionError(ValueError):
    pass


def fake_regions(monkeypatch, accept_all: bool = False):
    """A stand-in for yrdlib.regions with the contract's behaviour for Taizhou."""
    known = {"台州": ("331000", "台州", "Taizhou"), "331000": ("331000", "台州", "Taizhou"),
             "泰州": ("321200", "泰州", "Taizhou"), "宁波": ("330200", "宁波", "Ningbo"),
             "Ningbo": ("330200", "宁波", "Ningbo"), "温州": ("330300", "温州", "Wenzhou")}

    def resolve(text):
        if text == "Taizhou":
            raise RegionError("'Taizhou' is ambiguous: 台州 331000 (Zhejiang) or 泰州 321200 (Jiangsu)")
        if text in known:
            code, zh, en = known[text]
            return types.SimpleNamespace(code=code, name_zh=zh, name_en=en)
        if accept_all:
            return types.SimpleNamespace(code="000000", name_zh=text, name_en=text)
        raise RegionError(f"unknown region {text!r}")

    mod = types.ModuleType("yrdlib.regions")
    mod.resolve, mod.RegionError = resolve, RegionError
    monkeypatch.setitem(sys.modules, "yrdlib.regions", mod)
    import yrdlib

    monkeypatch.setattr(yrdlib, "regions", mod, raising=False)
    return mod


def fake_years(monkeypatch, lo=2000, hi=2023):
    mod = types.ModuleType("yrdlib.data.panel")
    mod.year_range = lambda: (lo, hi)
    monkeypatch.setitem(sys.modules, "yrdlib.data.panel", mod)
    monkeypatch.setattr(contracts, "_YEAR_RANGE_CACHE", [])


def test_signature_parsed_with_types_help_and_tags():
    sig = read_signature(FIX / "a_ok.ipynb")
    p = sig.params
    assert list(p) == ["focus_region", "start_year", "label", "method"]
    assert p["focus_region"].default == "台州" and p["focus_region"].kind == "region"
    assert p["focus_region"].help == "focus city: code or Chinese/English name"
    assert p["start_year"].kind == "year" and p["start_year"].default == 2005
    assert p["label"].kind == "" and p["label"].help == "free text shown in the report"
    assert p["method"].kind == "choice" and p["method"].choices == ("twfe", "cs")


def test_parameters_cell_must_be_literals():
    with pytest.raises(contracts.NotebookContractError, match="not a literal"):
        parse_parameters_source("x = foo()  # no\n")
    with pytest.raises(contracts.NotebookContractError, match="only `name = literal`"):
        parse_parameters_source("import os\n")


def test_unknown_parameter_refused_with_exit_2_before_any_kernel(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "NOTEBOOKS", FIX)
    r = CliRunner().invoke(run, ["a_ok.ipynb", "-p", "foucs_region", "宁波",
                                 "--reports-dir", str(tmp_path)])
    assert r.exit_code == 2
    msg = r.output.strip().splitlines()[-1]
    assert "a_ok.ipynb" in msg and "'foucs_region'" in msg and "宁波" in msg
    assert not any(tmp_path.iterdir())  # nothing ran, nothing written


def test_wrong_type_and_choice_refused(monkeypatch):
    fake_years(monkeypatch)
    spec = RunSpec()
    with pytest.raises(ParameterError, match=r"a_ok.ipynb: parameter 'start_year': 'abc'"):
        plan_jobs(spec, {"start_year": "abc"}, notebooks=[str(FIX / "a_ok.ipynb")])
    with pytest.raises(ParameterError, match=r"'method': 'ols' is not one of twfe\|cs"):
        plan_jobs(spec, {"method": "ols"}, notebooks=[str(FIX / "a_ok.ipynb")])
    with pytest.raises(ParameterError, match=r"year 1990 is outside the data \(2000-2023\)"):
        plan_jobs(spec, {"start_year": 1990}, notebooks=[str(FIX / "a_ok.ipynb")])
    jobs = plan_jobs(spec, {"start_year": 2010, "label": 2020},
                     notebooks=[str(FIX / "a_ok.ipynb")])
    assert jobs[0].parameters == {"start_year": 2010, "label": "2020"}


def test_ambiguous_and_unknown_region_refused(monkeypatch, tmp_path):
    fake_regions(monkeypatch)
    monkeypatch.setattr(config, "NOTEBOOKS", FIX)
    r = CliRunner().invoke(run, ["a_ok.ipynb", "-p", "focus_region", "Taizhou",
                                 "--reports-dir", str(tmp_path)])
    assert r.exit_code == 2
    line = r.output.strip().splitlines()[-1]
    assert "a_ok.ipynb" in line and "'focus_region'" in line and "Taizhou" in line
    assert "ambiguous" in line
    with pytest.raises(ParameterError, match="unknown region 'Atlantis'"):
        plan_jobs(RunSpec(), {"focus_region": "Atlantis"}, notebooks=[str(FIX / "a_ok.ipynb")])


def test_runfile_parameter_sets_make_one_job_per_city(monkeypatch, tmp_path):
    fake_regions(monkeypatch)
    rf = tmp_path / "cities.yml"
    rf.write_text("title: cities\nnotebooks: [a_ok, c_sleep, scorecard]\n"
                  "parameter_sets:\n  ningbo: {focus_region: 宁波}\n  taizhou: {focus_region: 台州}\n"
                  "parameters: {seconds: 0.01}\n", encoding="utf-8")
    jobs = plan_jobs(load_runfile(rf), notebooks_dir=FIX)
    ids = {j.id: j for j in jobs}
    assert set(ids) == {"a_ok__ningbo", "a_ok__taizhou", "c_sleep", "scorecard__ningbo",
                        "scorecard__taizhou"}
    assert ids["a_ok__ningbo"].parameters == {"focus_region": "330200"}  # 宁波, injected as its code
    assert ids["c_sleep"].parameters == {"seconds": 0.01}
    # scorecard runs last (phase 1) and is shown first
    assert ids["scorecard__ningbo"].phase == 1 and ids["a_ok__ningbo"].phase == 0
    assert min(jobs, key=lambda j: j.order).id.startswith("scorecard")
    # unnamed sets get a name from the region
    rf.write_text("notebooks: [a_ok]\nparameter_sets:\n  - {focus_region: 宁波}\n"
                  "  - {focus_region: 温州}\n", encoding="utf-8")
    assert sorted(j.id for j in plan_jobs(load_runfile(rf), notebooks_dir=FIX)) == [
        "a_ok__ningbo", "a_ok__wenzhou"]


def test_runfile_errors(tmp_path):
    rf = tmp_path / "bad.yml"
    rf.write_text("notebook: [a]\n")
    with pytest.raises(RunFileError, match="unknown key"):
        load_runfile(rf)
    rf.write_text("!!python/object/apply:os.system ['echo hi']\n")
    with pytest.raises(RunFileError, match="invalid YAML"):
        load_runfile(rf)  # safe_load only


def test_shipped_runfiles_parse():
    root = Path(__file__).parent.parent / "runs"
    d = load_runfile(root / "default.yml")
    assert "*.ipynb" not in d.notebooks and d.last == ["scorecard.ipynb"]  # an explicit list
    ex = load_runfile(root / "example_cities.yml")
    assert ex.parameter_sets and len(ex.parameter_sets) >= 3


def test_list_shows_parameters(monkeypatch):
    from yrdlib import config

    monkeypatch.setattr(config, "NOTEBOOKS", FIX)
    r = CliRunner().invoke(list_notebooks, [])
    assert r.exit_code == 0, r.output
    assert "a_ok.ipynb" in r.output and "focus_region" in r.output
    assert "'台州'" in r.output and "[region]" in r.output
    assert "focus city: code or Chinese/English name" in r.output


def test_export_table_neutralises_formulas(tmp_path, monkeypatch):
    import openpyxl
    import pandas as pd

    from yrdlib.runner import export_table

    monkeypatch.setenv("YRD_JOB_OUTPUT_DIR", str(tmp_path))
    df = pd.DataFrame({"name": ["=1+1", "+SUM(A1)", "-2", "@x", "\tx", "ok 台州"], "v": range(6)})
    csv = export_table(df, "t 1", title="T")
    assert csv == tmp_path / "t_1.csv"
    ws = openpyxl.load_workbook(tmp_path / "t_1.xlsx").active
    vals = [ws.cell(row=i, column=1).value for i in range(2, 8)]
    assert vals == ["'=1+1", "'+SUM(A1)", "'-2", "'@x", "'\tx", "ok 台州"]
    assert all(ws.cell(row=i, column=1).data_type == "s" for i in range(2, 8))
    assert (tmp_path / "tables.json").read_text(encoding="utf-8").count('"name": "t_1"') == 1


def test_signature_read_as_json_refuses_a_broken_notebook_by_name(tmp_path):
    """The parameters cell is read as plain JSON (no nbformat in a kernel): the same signature
    as nbformat would give, and a truncated or non-notebook file is refused naming the file."""
    import nbformat

    nb = nbformat.read(FIX / "a_ok.ipynb", as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    assert read_signature(FIX / "a_ok.ipynb").params == parse_parameters_source(cell.source)
    bad = tmp_path / "half.ipynb"
    bad.write_text((FIX / "a_ok.ipynb").read_text(encoding="utf-8")[:200], encoding="utf-8")
    with pytest.raises(contracts.NotebookContractError, match=r"half\.ipynb: not a readable notebook"):
        read_signature(bad)
    other = tmp_path / "list.ipynb"
    other.write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(contracts.NotebookContractError, match=r"list\.ipynb"):
        read_signature(other)
