"""Fault injection: every case of docs/faults.md against a temporary COPY of the project.

Each case asserts the exit code (yrdlib.errors), the one-line message on stderr (no traceback
without --debug) and that data/processed and reports/latest are unchanged when the command
fails. The processed data is built once per session and copied into each case's project.
"""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from click.testing import CliRunner

from yrdlib import config, errors
from yrdlib.cli import main
from yrdlib.data import build, files

ROOT = Path(__file__).parent.parent
FIX = Path(__file__).parent / "fixtures" / "notebooks"
IND = "ccsy_industry_structure"
CONFIG_ATTRS = ("ROOT", "DATA", "RAW", "PROCESSED", "USER_DATA", "NOTEBOOKS", "REPORTS", "RUNS")
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def _data_notebook() -> nbformat.NotebookNode:
    """A notebook that reads the panel inside its kernel (the kernel-side data check)."""
    nb = nbformat.read(FIX / "c_sleep.ipynb", as_version=4)
    params = nbformat.v4.new_code_cell(
        'start_year = 2005  # first year [year]\nend_year = 2020  # last year [year]\n'
        'run_dir = ""  # a run folder to read (confined to reports/)\n'
        'window = 10  # years of the trend, 1-30\n'
        'distance_exponent = 2.0  # exponent b, in (0, 4]\n'
        'comovement_window = 8  # years per window, at least 5\n'
        'label = ""  # free text\n')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell(
        "from yrdlib import regions\nfrom yrdlib.data import panel\n"
        "print(panel.year_range(), len(panel.load_panel()), len(regions.reference()))")]
    return nb


def _config_for(root: Path) -> dict:
    return {"ROOT": root, "DATA": root / "data", "RAW": root / "data" / "raw",
            "PROCESSED": root / "data" / "processed", "USER_DATA": root / "data" / "user",
            "NOTEBOOKS": root / "notebooks", "REPORTS": root / "reports", "RUNS": root / "runs"}


@pytest.fixture(scope="session")
def base_project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("project")
    (root / "pyproject.toml").write_text("")
    (root / "yrdlib").mkdir()
    shutil.copytree(config.RAW, root / "data" / "raw")
    (root / "data" / "user").mkdir()
    shutil.copy(ROOT / "data" / "user" / "TEMPLATE.csv", root / "data" / "user")
    (root / "notebooks").mkdir()
    for name in ("a_ok.ipynb", "b_fail.ipynb", "c_sleep.ipynb"):
        shutil.copy(FIX / name, root / "notebooks")
    nbformat.write(_data_notebook(), root / "notebooks" / "d_data.ipynb")
    (root / "runs").mkdir()
    (root / "reports").mkdir()
    with pytest.MonkeyPatch.context() as mp:
        for k, v in _config_for(root).items():
            mp.setattr(config, k, v)
        build.build()
    return root


def _tiny_tables() -> dict:
    """Stand-in tables for the I/O-fault cases: the writer is under test there, not the
    importers, so the raw data need not be processed again."""
    import pandas as pd

    return {"panel": pd.DataFrame({"region_code": ["331000"], "year": [2019]}),
            "regions": pd.DataFrame({"code": ["331000"]})}


@pytest.fixture
def proj(base_project, tmp_path, monkeypatch) -> Path:
    root = tmp_path / "project"
    shutil.copytree(base_project, root, symlinks=True)
    for k, v in _config_for(root).items():
        monkeypatch.setattr(config, k, v)
    monkeypatch.setenv("YRD_ROOT", str(root))
    monkeypatch.setenv("YRD_CACHE_KEY", "test-cache-key-" + "0" * 32)  # not ~/.config's
    for var in ("YRD_PROCESSED", "YRD_USER_DATA", "YRD_REPORTS", "YRD_DATA_SHA256", "YRD_DEBUG",
                "YRD_MEMO_DIR", "YRD_NOTEBOOKS"):
        monkeypatch.delenv(var, raising=False)
    from yrdlib import contracts, regions
    from yrdlib.data import panel

    monkeypatch.setattr(contracts, "_YEAR_RANGE_CACHE", [])
    panel._load.cache_clear()
    regions.reference.cache_clear()
    handlers = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGHUP)}
    yield root
    for s, h in handlers.items():
        signal.signal(s, h)
    errors.DEBUG = False


def yrd(*args: str):
    r = CliRunner().invoke(main, list(args))
    if r.exception and not isinstance(r.exception, SystemExit):
        raise r.exception
    return r


def one_line(r) -> str:
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert "Traceback" not in r.stderr
    return lines[0]


def state(root: Path) -> dict:
    """What must not move on a failure: every processed file's bytes and reports/latest."""
    proc = root / "data" / "processed"
    latest = root / "reports" / "latest"
    return {"processed": {p.name: build.sha256(p) for p in sorted(proc.iterdir())},
            "latest": os.readlink(latest) if latest.is_symlink() else None,
            "runs": sorted(p.name for p in (root / "reports").iterdir() if not p.name.startswith("."))}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def user_csv(root: Path, name: str, text: str) -> Path:
    p = root / "data" / "user" / name
    p.write_text(text, encoding="utf-8")
    return p


GOOD_USER = ("region,year,indicator,value,unit,source,flag\n"
             "玉环,2019,exports_usd,38.5,亿美元,玉环市2019年统计公报,\n")


def _ind_file(root: Path) -> Path:
    return next((root / "data" / "raw" / IND).glob("*.csv"))


# ----------------------------------------------------------------------- data: refused inputs

def _raw_edited(root):
    f = _ind_file(root)
    lines = f.read_text(encoding="utf-8").splitlines()
    lines[5] = lines[5].replace(",", ",9", 1)  # a published figure changed by hand
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _raw_missing(root):
    _ind_file(root).unlink()


def _raw_unlisted(root):
    (root / "data" / "raw" / IND / "extra.csv").write_text("a,b\n1,2\n", encoding="utf-8")


def _no_source_yml(root):
    (root / "data" / "raw" / IND / "SOURCE.yml").unlink()


def _user_year_2100(root):
    user_csv(root, "future.csv", GOOD_USER.replace("2019,", "2100,"))


def _user_abolished(root):
    user_csv(root, "chaohu.csv", "region,year,indicator,value,unit,source\n"
             "巢湖,2015,gdp,100,亿元,某公报\n")


def _user_unknown_column(root):
    user_csv(root, "typo.csv", GOOD_USER.replace(",flag\n", ",flga\n"))


def _user_empty(root):
    user_csv(root, "empty.csv", "")


def _user_upper_ext(root):  # *.CSV is read: its defect is found
    user_csv(root, "UPPER.CSV", GOOD_USER.replace("玉环", "七台湖"))


def _user_ambiguous(root):  # already refused before this issue
    user_csv(root, "amb.csv", GOOD_USER.replace("玉环", "Taizhou"))


def _user_too_many_fields(root):
    user_csv(root, "wide.csv", GOOD_USER + "玉环,2020,exports_usd,40,1,亿美元,公报,\n")


def _user_symlink_outside(root):
    outside = root.parent / "elsewhere.csv"
    outside.write_text(GOOD_USER, encoding="utf-8")
    (root / "data" / "user" / "linked.csv").symlink_to(outside)


def _raw_unlisted_in_subfolder(root):
    sub = root / "data" / "raw" / IND / "more"
    sub.mkdir()
    (sub / "extra.csv").write_text("a,b\n1,2\n", encoding="utf-8")


def _source_yml_python_tag(root):
    f = root / "data" / "raw" / IND / "SOURCE.yml"
    f.write_text("title: !!python/object/apply:os.system ['touch pwned']\n" + f.read_text("utf-8"),
                 encoding="utf-8")


def _source_yml_broken(root):
    (root / "data" / "raw" / IND / "SOURCE.yml").write_text("title: [unclosed\n", encoding="utf-8")


BOMB = "".join(f"{c}: &{c} [{', '.join([f'*{p}'] * 9) if p else ', '.join(['lol'] * 9)}]\n"
               for p, c in zip(["", *"abcdefgh"], "abcdefghi"))


def _source_yml_alias_bomb(root):
    f = root / "data" / "raw" / IND / "SOURCE.yml"
    f.write_text(f.read_text("utf-8") + "extra:\n" + "".join("  " + ln + "\n"
                                                             for ln in BOMB.splitlines()),
                 encoding="utf-8")


@pytest.mark.parametrize("setup,pattern", [
    (_raw_edited, rf"data/raw/{IND}/.*\.csv: sha256 differs from SOURCE.yml.*accept-source"),
    (_raw_missing, rf"data/raw/{IND}/.*\.csv: listed in SOURCE.yml but missing"),
    (_raw_unlisted, rf"data/raw/{IND}/extra.csv: not listed in SOURCE.yml"),
    (_no_source_yml, rf"data/raw/{IND}/SOURCE.yml: missing"),
    (_user_year_2100, r"future.csv, line 2, column 'year': not a year between 1949 and \d{4} "
                      r"\(value '2100'\)"),
    (_user_abolished, r"chaohu.csv, line 2, column 'region': 巢湖 \(341400\) was abolished after "
                      r"2010.*successor"),
    (_user_unknown_column, r"typo.csv, line 1, column 'flga': unknown column\(s\) \['flga'\]; "
                           r"allowed: \['region', .*'flag'\]"),
    (_user_empty, r"empty.csv, line 1: empty file"),
    (_user_upper_ext, r"UPPER.CSV, line 2, column 'region'.*七台湖"),
    (_user_ambiguous, r"amb.csv, line 2, column 'region'.*ambiguous"),
    (_user_too_many_fields, r"wide.csv, line 3: 8 fields where the header has 7"),
    (_user_symlink_outside, r"linked.csv: a symlink to .*elsewhere.csv, outside data/user/; "
                            r"refused"),
    (_raw_unlisted_in_subfolder, rf"data/raw/{IND}/more: not a plain file of the source folder"),
    (_source_yml_python_tag, rf"data/raw/{IND}/SOURCE.yml: invalid YAML: could not determine "
                             r"a constructor"),
    (_source_yml_broken, rf"data/raw/{IND}/SOURCE.yml: invalid YAML"),
    (_source_yml_alias_bomb, rf"data/raw/{IND}/SOURCE.yml: invalid YAML: line \d+: YAML aliases"),
], ids=lambda x: getattr(x, "__name__", "")[1:] if callable(x) else "")
def test_bad_input_refused_by_build_and_run(proj, setup, pattern):
    before = state(proj)
    setup(proj)
    r = yrd("data", "build")
    assert r.exit_code == errors.EXIT_DATA, r.stderr
    line = one_line(r)
    assert line.startswith("error: ") and re.search(pattern, line), line
    assert "left as it was" in line
    r = yrd("run", "-q", "c_sleep")
    assert r.exit_code == errors.EXIT_DATA and re.search(pattern, one_line(r))
    assert state(proj) == before
    assert not list((proj / "data").glob("processed.tmp-*"))
    if setup in (_raw_unlisted, _raw_unlisted_in_subfolder, _source_yml_python_tag,
                 _source_yml_broken, _source_yml_alias_bomb):  # check says so too (exit 3)
        t0 = time.time()
        r = yrd("data", "check")
        assert r.exit_code == errors.EXIT_DATA, r.stderr
        assert re.search(pattern, r.stderr) and "Traceback" not in r.stderr
        assert time.time() - t0 < 30
    assert not (proj / "pwned").exists() and not Path("pwned").exists()


def test_debug_shows_the_traceback(proj):
    _raw_edited(proj)
    r = yrd("--debug", "data", "build")
    assert r.exit_code == errors.EXIT_DATA
    assert "Traceback" in r.stderr and "SourceMismatchError" in r.stderr


def test_check_reports_missing_raw_file(proj):
    _raw_missing(proj)
    r = yrd("data", "check")
    assert r.exit_code == errors.EXIT_DATA
    assert "listed in SOURCE.yml but missing" in r.stderr and "ok:" not in r.stdout


def test_accepting_a_changed_extract_is_explicit_and_recorded(proj):
    import yaml

    f = _ind_file(proj)
    lines = f.read_text(encoding="utf-8").splitlines()
    head = lines[0].split(",")
    i = next(k for k, c in enumerate(head) if c.startswith("gdp"))
    row = lines[5].split(",")
    row[i] = str(round(float(row[i]) + 1, 2))  # a revised published figure
    lines[5] = ",".join(row)
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert yrd("data", "build").exit_code == errors.EXIT_DATA
    r = yrd("data", "accept-source", f"{IND}/{f.name}", "--reason", "2020 yearbook revision",
            "--by", "tester")
    assert r.exit_code == 0, r.stderr
    meta = yaml.safe_load((f.parent / "SOURCE.yml").read_text(encoding="utf-8"))
    ch = meta["changes"][-1]
    assert ch["by"] == "tester" and ch["reason"] == "2020 yearbook revision"
    assert ch["new_sha256"] == build.sha256(f) and ch["old_sha256"] != ch["new_sha256"]
    from yrdlib.data import sources

    sources.verify_raw()  # the build's gate now lets the accepted file through
    assert not sources.check_hashes()
    assert yrd("data", "accept-source", f"{IND}/{f.name}", "--reason", " ").exit_code == \
        errors.EXIT_DATA


# --------------------------------------------------------------- data: damaged or stale outputs

def test_truncated_panel_is_rebuilt_identically_and_the_cache_survives(proj):
    assert yrd("run", "-q", "c_sleep").exit_code == 0
    m1 = build.read_manifest()
    panel = proj / "data" / "processed" / "panel.parquet"
    good = build.sha256(panel)
    panel.write_bytes(panel.read_bytes()[:1000])
    r = yrd("data", "check")
    assert r.exit_code == errors.EXIT_STALE
    assert "panel.parquet: sha256 differs from manifest.json (damaged)" in one_line(r)
    r = yrd("run", "-q", "--no-rebuild", "c_sleep")
    assert r.exit_code == errors.EXIT_STALE and "is damaged" in one_line(r)
    r = yrd("data", "build")
    assert r.exit_code == 0 and "outputs were damaged" in r.stdout
    assert build.sha256(panel) == good  # the same content is rebuilt ...
    m2 = build.read_manifest()
    assert m2["built_at"] >= m1["built_at"] and build.content_hash(m2) == build.content_hash(m1)
    assert yrd("data", "check").exit_code == 0
    assert yrd("run", "-q", "c_sleep").exit_code == 0  # ... and the cached report stays valid
    assert _manifest(proj)["jobs"][0]["cached"]


def test_check_says_stale_after_a_new_user_file(proj):
    user_csv(proj, "trade.csv", GOOD_USER)
    r = yrd("data", "check")
    assert r.exit_code == errors.EXIT_STALE and "stale" in one_line(r)


def _enospc(*a, **k):
    raise OSError(errno.ENOSPC, "No space left on device", "data/processed.tmp-1/panel.parquet")


def _erofs(*a, **k):
    raise OSError(errno.EROFS, "Read-only file system", "data/processed.tmp-1")


@pytest.mark.parametrize("fault,message", [(_enospc, "disk full"),
                                           (_erofs, "read-only file system")])
def test_io_fault_during_build(proj, monkeypatch, fault, message):
    import pandas as pd

    before = state(proj)
    monkeypatch.setattr(build, "process", lambda *a, **k: _tiny_tables())
    monkeypatch.setattr(pd.DataFrame, "to_parquet", fault)
    r = yrd("data", "build", "--force")
    assert r.exit_code == errors.EXIT_IO
    assert f"error: I/O error: {message}" in one_line(r)
    assert state(proj) == before
    assert not list((proj / "data").glob("processed.tmp-*"))


@pytest.mark.skipif(IS_ROOT, reason="root ignores file modes; the monkeypatched case above covers it")
def test_read_only_processed_folder_by_mode(proj, monkeypatch):
    monkeypatch.setattr(build, "process", lambda *a, **k: _tiny_tables())
    data = proj / "data"
    before = state(proj)
    data.chmod(0o555)
    try:
        r = yrd("data", "build", "--force")
    finally:
        data.chmod(0o755)
    assert r.exit_code == errors.EXIT_IO and "permission denied" in one_line(r)
    assert state(proj) == before


def _manifest(root: Path, run_id: str | None = None) -> dict:
    # notebooks named on the command line are an ad-hoc run: it moves reports/latest-adhoc
    d = root / "reports" / (run_id or "latest-adhoc")
    return json.loads((d / "manifest.json").read_text(encoding="utf-8"))


def test_run_rebuilds_stale_data_and_never_serves_the_old_cache(proj):
    (proj / "reports" / "some-run").mkdir()  # a path parameter inside reports/ is accepted
    r = yrd("run", "-q", "d_data", "-p", "run_dir", "reports/some-run")
    assert r.exit_code == 0, r.stderr
    m1 = _manifest(proj)
    user_csv(proj, "trade.csv", GOOD_USER)
    r = yrd("run", "-q", "d_data")
    assert r.exit_code == 0, r.stderr
    m2 = _manifest(proj)
    assert m2["run_id"] != m1["run_id"] and not m2["jobs"][0]["cached"]
    now = build.read_manifest()
    assert m2["data"]["content_sha256"] == build.content_hash(now) != m1["data"]["content_sha256"]
    assert m2["data"]["verified"] and "data/user/trade.csv" in m2["data"]["inputs"]


def test_run_no_rebuild_refuses_stale_data(proj):
    user_csv(proj, "trade.csv", GOOD_USER)
    before = state(proj)
    r = yrd("run", "-q", "--no-rebuild", "c_sleep")
    assert r.exit_code == errors.EXIT_STALE
    assert "is stale" in one_line(r) and "--no-rebuild" in one_line(r)
    assert state(proj) == before


def test_kernel_never_rebuilds(proj, monkeypatch):
    from yrdlib.data import panel
    from yrdlib.errors import StaleDataError

    def no_build(*a, **k):
        raise AssertionError("a kernel under the runner must not build")

    monkeypatch.setattr(build, "build", no_build)
    good = build.content_hash(build.read_manifest())
    user_csv(proj, "trade.csv", GOOD_USER)  # inputs now newer than the verified data
    monkeypatch.setenv(build.ENV_DATA_HASH, good)
    panel.ensure_built()  # the verified data is read as it is
    monkeypatch.setenv(build.ENV_DATA_HASH, "0" * 64)
    with pytest.raises(StaleDataError, match="kernels never rebuild"):
        panel.ensure_built()
    monkeypatch.setenv(build.ENV_DATA_HASH, good)
    (proj / "data" / "processed" / "regions.csv").write_text("x\n")
    build._VERIFIED.clear()
    with pytest.raises(StaleDataError, match=r"regions\.csv: sha256 differs"):
        panel.ensure_built()


# ----------------------------------------------------------------------------- runner: cache

def _cache_entry(root: Path) -> Path:
    key = _manifest(root)["jobs"][0]["cache_key"]
    return root / "reports" / ".cache" / key


def test_tampered_cached_html_is_not_served(proj):
    assert yrd("run", "-q", "c_sleep").exit_code == 0
    html = _cache_entry(proj) / "files" / "c_sleep.html"
    html.write_text(html.read_text(encoding="utf-8") + "<p>TAMPERED</p>", encoding="utf-8")
    r = yrd("run", "-q", "c_sleep")
    assert r.exit_code == 0 and "damaged" in r.stderr
    assert not _manifest(proj)["jobs"][0]["cached"]
    assert "TAMPERED" not in (proj / "reports" / "latest-adhoc" / "c_sleep.html").read_text("utf-8")
    assert "TAMPERED" not in html.read_text(encoding="utf-8")  # the entry was replaced
    # a corrupt entry (unreadable result.json) is replaced as well
    (_cache_entry(proj) / "result.json").write_text("{not json")
    r = yrd("run", "-q", "c_sleep")
    assert r.exit_code == 0 and not _manifest(proj)["jobs"][0]["cached"]
    assert json.loads((_cache_entry(proj) / "result.json").read_text())["_files"]


# ------------------------------------------------------------------------- runner: I/O faults

def test_disk_full_during_run(proj, monkeypatch):
    from yrdlib.runner import run as runmod

    before = state(proj)
    monkeypatch.setattr(runmod, "_write_evidence_tables", _enospc)
    r = yrd("run", "-q", "--force", "c_sleep")
    assert r.exit_code == errors.EXIT_IO
    assert "error: I/O error: disk full" in one_line(r) and "latest is unchanged" in one_line(r)
    assert state(proj) == before


def test_read_only_reports(proj, monkeypatch):
    import pathlib

    before = state(proj)
    reports = str(proj / "reports")
    real_mkdir = pathlib.Path.mkdir

    def mkdir(self, *a, **k):
        if str(self).startswith(reports + "/"):
            raise OSError(errno.EROFS, "Read-only file system", str(self))
        return real_mkdir(self, *a, **k)

    monkeypatch.setattr(pathlib.Path, "mkdir", mkdir)
    r = yrd("run", "-q", "c_sleep")
    assert r.exit_code == errors.EXIT_IO and "read-only file system" in one_line(r)
    assert state(proj) == before


# ----------------------------------------------------------------- runner: usage, confinement

def _runfile(root: Path, notebooks: str) -> str:
    p = root / "runs" / "bad.yml"
    p.write_text(f"notebooks: {notebooks}\n", encoding="utf-8")
    return str(p)


@pytest.mark.parametrize("args,pattern", [
    (lambda r: [_runfile(r, json.dumps([str(FIX / "*.ipynb")]))], r"leaves notebooks/"),
    (lambda r: [_runfile(r, '["../../**/*.ipynb"]')], r"leaves notebooks/"),
    (lambda r: [_runfile(r, "[1, 2]")], r"must be a list of file globs"),
    (lambda r: ["d_data", "-p", "run_dir", "/etc"], r"'run_dir': path '/etc' is outside"),
    (lambda r: ["d_data", "-p", "run_dir", "../../"], r"'run_dir': path '../../' is outside"),
    (lambda r: ["c_sleep", "-p", "seconds", ".nan"], r"'seconds': nan is not a finite number"),
    (lambda r: ["c_sleep", "-p", "seconds", "-.inf"], r"'seconds': -inf is not a finite number"),
    (lambda r: ["d_data", "-p", "start_year", "2020", "-p", "end_year", "2010"],
     r"'start_year' = 2020 and 'end_year' = 2010: reversed range"),
    (lambda r: ["d_data", "-p", "end_year", "2100"], r"year 2100 is outside the data"),
    (lambda r: ["a_ok", "-p", "focus_region", "Taizhou"], r"'focus_region'.*ambiguous"),
    (lambda r: ["a_ok", "-p", "foucs_region", "宁波"], r"unknown parameter 'foucs_region'"),
    (lambda r: ["nope"], r"notebook not found"),
    (lambda r: ["d_data", "-p", "window", "0"], r"'window': 0 is outside its stated range "
                                                r"\[1, 30\]"),
    (lambda r: ["d_data", "-p", "distance_exponent", "-1"],
     r"'distance_exponent': -1.0 is outside its stated range \(0, 4\]"),
    (lambda r: ["d_data", "-p", "comovement_window", "1"],
     r"'comovement_window': 1 is outside its stated range >= 5"),
    (lambda r: ["d_data", "-p", "label", "x" * 5000], r"'label': value of 5,002 characters, "
                                                      r"more than the 4,096 allowed"),
    (lambda r: ["-j", "0", "c_sleep"], r"^error: Invalid value for '-j' / '--jobs': 0 is not "
                                       r"in the range x>=1\. \(see .* --help\)$"),
    (lambda r: ["--timeout", "-5", "c_sleep"], r"^error: Invalid value for '--timeout': -5"),
], ids=["abs-glob", "dotdot-glob", "glob-type", "run_dir-abs", "run_dir-up", "nan", "inf",
        "reversed", "year-range", "ambiguous", "unknown-param", "no-notebook", "window-0",
        "exponent-negative", "comovement-1", "huge-value", "jobs-0", "timeout-negative"])
def test_bad_parameters_and_run_files_exit_2(proj, args, pattern):
    before = state(proj)
    r = yrd("run", "-q", *args(proj))
    assert r.exit_code == errors.EXIT_USAGE, r.stderr
    assert re.search(pattern, one_line(r)), r.stderr
    assert state(proj) == before and not list((proj / "reports").glob(".tmp-*"))


# ------------------------------------------------------------------ runner: notebooks, processes

def test_failing_notebook_exits_1_and_stale_tmp_runs_are_cleaned(proj):
    dead = proj / "reports" / ".tmp-20200101T000000Z-dead000"  # left by a killed run
    dead.mkdir()
    (dead / "INCOMPLETE").write_text("run x started 2020 pid 999999999\n")
    (proj / "reports" / "good-run").mkdir()
    (proj / "reports" / "latest").symlink_to("good-run")
    r = yrd("run", "-q", "b_fail")
    assert r.exit_code == errors.EXIT_NOTEBOOK_FAILED
    assert "FAILED b_fail: ValueError: boom" in r.stderr
    assert os.readlink(proj / "reports" / "latest") == "good-run"
    assert not dead.exists() and "removed the folder of an interrupted run" in r.stderr


def test_hanging_cell_times_out(proj):
    from yrdlib.runner.cli import DEFAULT_TIMEOUT, run

    opt = next(o for o in run.params if o.name == "timeout")
    assert opt.default == DEFAULT_TIMEOUT == 600
    t0 = time.time()
    r = yrd("run", "-q", "--timeout", "1", "c_sleep", "-p", "seconds", "60")
    assert r.exit_code == errors.EXIT_NOTEBOOK_FAILED
    assert re.search(r"FAILED c_sleep: .*(Timeout|timed out)", r.stderr, re.I), r.stderr
    assert time.time() - t0 < 45


def _alive(pid: int) -> bool:
    import psutil

    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _cmdline(pid: int) -> list[str]:
    import psutil

    try:
        return psutil.Process(pid).cmdline()
    except psutil.Error:
        return []


def _descendants(pid: int) -> list[int]:
    import psutil

    try:
        return [c.pid for c in psutil.Process(pid).children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def test_sigkill_of_yrd_run_takes_workers_and_kernels_with_it(proj):

    env = dict(os.environ, YRD_ROOT=str(proj), PYTHONPATH=str(ROOT))
    p = subprocess.Popen([sys.executable, "-m", "yrdlib.cli", "run", "-q", "c_sleep", "-p",
                          "seconds", "60"], env=env, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    deadline = time.time() + 40
    kids: list[int] = []
    while time.time() < deadline:
        kids = _descendants(p.pid)
        if any("ipykernel" in " ".join(_cmdline(k)) for k in kids):
            break
        time.sleep(0.2)
    assert kids, "no worker/kernel started"
    time.sleep(1.0)
    p.kill()
    p.wait(10)
    deadline = time.time() + 20
    alive = kids
    while time.time() < deadline:
        alive = [k for k in kids if _alive(k)]
        if not alive:
            break
        time.sleep(0.2)
    for k in alive:  # do not leave them behind even when the assertion fails
        os.kill(k, signal.SIGKILL)
    assert not alive, f"survived their parent: {alive}"


# ------------------------------------------------- trust boundaries (issue 25): caches that cannot
# run code or lie, run files that cannot escape, inputs that cannot exhaust

class _Payload:
    """Unpickling it writes a marker file: what a crafted cache entry would do."""

    def __init__(self, marker: Path):
        self.marker = str(marker)

    def __reduce__(self):
        return (Path(self.marker).write_text, ("pwned",))


def _region_table_entry(root: Path) -> Path:
    from yrdlib import memo, regions

    key = memo.key_for(regions._build_reference, (), {}, regions._inputs_key())
    return memo._path(key, root / "reports" / ".cache" / "pooled")


def test_crafted_pickles_in_every_cache_run_nowhere(proj):
    """A pickle that writes a marker, planted at the region table's pooled-cache entry (read by
    `yrd data show`, the parent of `yrd run` and every kernel) and as files in a runner-cache
    entry: no command and no kernel unpickles it; the pooled entry is recomputed."""
    import pickle

    marker = proj / "pwned"
    assert yrd("run", "-q", "d_data").exit_code == 0
    payload = pickle.dumps(_Payload(marker))
    pooled = _region_table_entry(proj)
    assert pooled.is_file()  # the path the kernel and the CLI read
    entry = _cache_entry(proj)
    for p in (pooled, entry / "result.pkl", entry / "files" / "d_data.pkl",
              proj / "reports" / ".cache" / "pooled" / "00" / ("0" * 64 + ".pkl")):
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(payload)
    from yrdlib import regions

    regions.reference.cache_clear()
    r = yrd("data", "show", "台州", "-i", "gdp")
    assert r.exit_code == 0 and "331000" in r.stdout and not marker.exists()
    pooled.write_bytes(payload)
    regions.reference.cache_clear()
    r = yrd("run", "-q", "--force", "d_data")  # parent and kernel read the region table
    assert r.exit_code == 0, r.stderr
    assert not marker.exists()
    assert pooled.read_bytes() != payload  # recomputed and overwritten, authenticated


def test_edited_verdict_in_the_runner_cache_is_not_served(proj):
    """The audit's case: S1.b's verdict and estimate edited in a cache entry's result.json (file
    hashes left valid, so only the HMAC can tell). The job re-runs, and the index, evidence.csv,
    the run manifest and the report agree on the notebook's own verdict."""
    assert yrd("run", "-q", "a_ok").exit_code == 0
    meta_p = _cache_entry(proj) / "result.json"
    meta = json.loads(meta_p.read_text(encoding="utf-8"))
    (hyp,) = [h for h in meta["hypotheses"] if h.get("hypothesis") == "S1.b"]
    assert hyp["verdict"] == "inconclusive"
    hyp.update(verdict="supported", estimate=0.9877)
    meta_p.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    r = yrd("run", "-q", "a_ok")
    assert r.exit_code == 0, r.stderr
    assert re.search(r"cache entry \w+ damaged \(HMAC differs.*the job re-runs", r.stderr)
    m = _manifest(proj)
    assert not m["jobs"][0]["cached"]
    run = proj / "reports" / "latest-adhoc"
    for f in ("index.html", "evidence.csv", "manifest.json", "a_ok.html"):
        text = (run / f).read_text(encoding="utf-8-sig")
        assert "0.9877" not in text, f
    import pandas as pd

    ev = pd.read_csv(run / "evidence.csv", encoding="utf-8-sig")
    row = ev[ev["hypothesis"] == "S1.b"].iloc[0]
    assert row["verdict"] == "inconclusive" and row["estimate"] == 0.12
    assert "inconclusive" in (run / "a_ok.html").read_text(encoding="utf-8")
    fresh = json.loads(meta_p.read_text(encoding="utf-8"))
    assert [h["verdict"] for h in fresh["hypotheses"]] == ["inconclusive"]
    assert fresh["_mac"] != meta["_mac"]


def test_package_version_change_misses_the_runner_cache(proj, monkeypatch):
    from yrdlib import seal

    assert yrd("run", "-q", "c_sleep").exit_code == 0
    assert yrd("run", "-q", "c_sleep").exit_code == 0 and _manifest(proj)["jobs"][0]["cached"]
    monkeypatch.setattr(seal, "environment_key", lambda: "statsmodels==0.0.1")
    r = yrd("run", "-q", "c_sleep")
    assert r.exit_code == 0 and not _manifest(proj)["jobs"][0]["cached"]


def test_unwritable_runner_cache_costs_only_time(proj, monkeypatch):
    import pathlib

    real = pathlib.Path.write_bytes

    def full(self, data):
        if ".cache" in self.parts:
            raise OSError(errno.ENOSPC, "No space left on device", str(self))
        return real(self, data)

    monkeypatch.setattr(pathlib.Path, "write_bytes", full)
    r = yrd("run", "-q", "c_sleep")
    assert r.exit_code == 0, r.stderr
    (line,) = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert re.fullmatch(r"warning: cache entry \w+ not stored \(No space left on device\); "
                        r"the run goes on", line), line
    assert not list((proj / "reports" / ".cache").glob(".tmp-*"))


def _evil_notebook(root: Path, where: Path) -> Path:
    nb = nbformat.read(FIX / "a_ok.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(
        f"open({str(root / 'pwned')!r}, 'w').write('ran')"))
    where.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, where)
    return where


@pytest.mark.parametrize("how", ["runfile-plain", "runfile-other-cwd", "target-plain",
                                 "target-absolute"])
def test_run_files_and_targets_cannot_leave_notebooks(proj, monkeypatch, how):
    evil = _evil_notebook(proj, proj / "data" / "user" / "evil.ipynb")
    before = state(proj)
    if how == "runfile-plain":
        args = [_runfile(proj, '["data/user/evil.ipynb"]')]
        pattern = r"notebook not found: data/user/evil.ipynb \(looked in .*notebooks only\)"
    elif how == "runfile-other-cwd":  # a run file naming evil.ipynb, read from data/user/
        monkeypatch.chdir(evil.parent)
        args = [_runfile(proj, '["evil.ipynb"]')]
        pattern = r"notebook not found: evil.ipynb"
    elif how == "target-plain":
        monkeypatch.chdir(proj)
        args = ["data/user/evil.ipynb"]
        pattern = r"notebook not found: data/user/evil.ipynb"
    else:
        args = [str(evil)]
        pattern = r"notebook '/.*evil.ipynb' leaves notebooks/"
    r = yrd("run", "-q", *args)
    assert r.exit_code == errors.EXIT_USAGE, r.stderr
    assert re.search(pattern, one_line(r)), r.stderr
    assert not (proj / "pwned").exists() and state(proj) == before


@pytest.mark.parametrize("where", ["title", "parameter"])
def test_yaml_alias_bomb_in_a_run_file_is_refused_at_once(proj, where):
    indent = "  " if where == "title" else "    "
    body = "".join(indent + ln + "\n" for ln in BOMB.splitlines())
    text = f"title:\n{body}" if where == "title" else f"parameters:\n  label:\n{body}"
    p = proj / "runs" / "bomb.yml"
    p.write_text(text, encoding="utf-8")
    assert len(text) < 1000
    t0 = time.time()
    r = yrd("run", "-q", str(p))
    assert time.time() - t0 < 5  # was 35-57 s and gigabytes
    assert r.exit_code == errors.EXIT_USAGE
    assert re.search(r"bomb.yml: invalid YAML: line \d+: YAML aliases \(\*\w\) are not allowed",
                     one_line(r))


def test_hash_sources_records_a_reason(proj):
    import yaml

    f = _ind_file(proj)
    f.write_text(f.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    r = yrd("data", "hash-sources")
    assert r.exit_code == errors.EXIT_USAGE and "Missing option '--reason'" in one_line(r)
    assert yrd("data", "build").exit_code == errors.EXIT_DATA  # still refused
    r = yrd("data", "hash-sources", "--reason", "re-exported", "--by", "tester")
    assert r.exit_code == 0, r.stderr
    assert f"{IND}: 1 change(s) recorded" in r.stdout
    meta = yaml.safe_load((f.parent / "SOURCE.yml").read_text(encoding="utf-8"))
    ch = meta["changes"][-1]
    assert (ch["file"], ch["reason"], ch["by"]) == (f.name, "re-exported", "tester")
    assert ch["new_sha256"] == build.sha256(f)
    others = [p for p in (proj / "data" / "raw").glob("*/SOURCE.yml") if p.parent.name != IND]
    assert all("changes:" not in p.read_text(encoding="utf-8") or "re-exported" not in
               p.read_text(encoding="utf-8") for p in others)  # unchanged folders untouched


def test_user_year_rule_is_checked_again_under_todays_clock(proj, monkeypatch):
    """Rows built while the clock said 2101 are not "up to date" today: check says stale,
    build and run refuse the row with today's rule."""
    user_csv(proj, "future.csv", GOOD_USER.replace("2019,", "2100,"))
    with monkeypatch.context() as m:
        m.setattr(files, "current_year", lambda: 2101)
        assert yrd("data", "build").exit_code == 0
    r = yrd("data", "check")
    assert r.exit_code == errors.EXIT_STALE and "is stale" in r.stderr
    pattern = r"future.csv, line 2, column 'year': not a year between 1949 and \d{4}"
    r = yrd("run", "-q", "c_sleep")
    assert r.exit_code == errors.EXIT_DATA and re.search(pattern, one_line(r))
    r = yrd("run", "-q", "--no-rebuild", "c_sleep")
    assert r.exit_code == errors.EXIT_STALE


def test_killed_build_leaves_no_processed_tmp(proj):
    dead = proj / "data" / "processed.tmp-999999999"  # SIGKILL during `data build --force`
    dead.mkdir()
    (dead / "panel.parquet").write_bytes(b"half")
    live = proj / "data" / f"processed.tmp-{os.getppid()}"  # a build still running: kept
    live.mkdir()
    r = yrd("data", "build")
    assert r.exit_code == 0 and not dead.exists() and live.exists()


def test_parameter_ranges_of_the_real_notebooks_are_enforced():
    from yrdlib.contracts import ParameterError, read_signature, validate

    nbs = ROOT / "notebooks"
    cases = [("p_paths.ipynb", "window", 0), ("s3_bay_area.ipynb", "distance_exponent", -1.0),
             ("s3_bay_area.ipynb", "distance_exponent", 0.0), ("s3_bay_area.ipynb",
                                                              "comovement_window", 1)]
    for nb, name, bad in cases:
        sig = read_signature(nbs / nb)
        with pytest.raises(ParameterError, match=rf"'{name}': {bad!r} is outside its stated"):
            validate(sig, {name: bad})
    ok = read_signature(nbs / "s3_bay_area.ipynb")
    assert validate(ok, {"distance_exponent": 4.0, "comovement_window": 5})


def test_export_and_report_sanitising(tmp_path, monkeypatch):
    """Formula text is neutralised in every cell of an export, categoricals and every index
    level included; notebook HTML loses <style>, remote images and data:text/html links."""
    import pandas as pd

    from yrdlib.report import export as tables
    from yrdlib.report.html import clean_outputs

    evil = "=cmd|' /C calc'!A0"
    df = pd.DataFrame({"cat": pd.Categorical([evil, "ok"]), "x": [1.5, -2.0],
                       "s": ["+SUM(A1)", "@x"]},
                      index=pd.MultiIndex.from_tuples([(evil, 1), ("b", 2)], names=["-n", "k"]))
    monkeypatch.setenv(tables.ENV_OUTPUT_DIR, str(tmp_path))
    csv = tables.export_table(df, "t", index=True)
    back = pd.read_csv(csv, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    cells = [*back.columns, *back.to_numpy().ravel()]
    assert not [c for c in cells if c.startswith(("=", "+", "@")) or c.startswith("-n")]
    assert "'" + evil in cells and "-2.0" in cells  # numbers stay numbers
    xl = pd.read_excel(tmp_path / "t.xlsx", dtype=str)
    assert not [c for c in [*xl.columns, *xl.fillna("").to_numpy().ravel()]
                if str(c).startswith(("=", "+", "@"))]
    nb = {"cells": [{"outputs": [{"data": {"text/html": (
        '<style>body{display:none}</style><img src="http://x.example/t.png">'
        '<img src="data:image/png;base64,AAAA"><a href="data:text/html;base64,PHA+">a</a>'
        '<a href="https://example.org/">b</a>')}}]}]}
    clean_outputs(nb)
    out = nb["cells"][0]["outputs"][0]["data"]["text/html"]
    assert "style" not in out and "display:none" not in out and "http://x" not in out
    assert "data:text/html" not in out and 'src="data:image/png' in out
    assert 'href="https://example.org/"' in out


def test_signal_to_the_process_group_is_one_line(proj):
    """SIGHUP to the whole process group (a closed terminal, `kill -HUP -PGID`): parent, pool
    worker and kernel all receive it; the run ends with the one interrupt line, exit 130."""
    env = dict(os.environ, YRD_ROOT=str(proj), PYTHONPATH=str(ROOT))
    p = subprocess.Popen([sys.executable, "-m", "yrdlib.cli", "run", "-q", "c_sleep", "-p",
                          "seconds", "60"], env=env, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.time() + 40
    while time.time() < deadline:
        if any("ipykernel" in " ".join(_cmdline(k)) for k in _descendants(p.pid)):
            break
        time.sleep(0.2)
    time.sleep(1.0)
    os.killpg(p.pid, signal.SIGHUP)
    _, err = p.communicate(timeout=40)
    assert p.returncode == errors.EXIT_INTERRUPTED, err
    assert err.strip().splitlines() == [
        "interrupted: the run was not completed; reports/latest is unchanged"], err
