"""Shared fixtures: the processed panel built once per session from the embedded raw data, and a
scratch copy of data/raw for the bad-input tests (raw data itself is never modified).

The suite never reads data/user: before yrdlib is imported, YRD_USER_DATA points at an empty
folder and YRD_PROCESSED at a build of its own (data/processed-tests/), so `make test` checks the
embedded data whatever figures a user added; user-data behaviour is tested explicitly with a
temporary user folder (tests/test_user_data.py)."""

from __future__ import annotations

import atexit
import json
import os
import shutil
import tempfile
from pathlib import Path

_ROOT = Path(__file__).resolve().parents[1]
os.environ["YRD_USER_DATA"] = tempfile.mkdtemp(prefix="yrd-no-user-data-")
atexit.register(shutil.rmtree, os.environ["YRD_USER_DATA"], True)
os.environ["YRD_PROCESSED"] = str(_ROOT / "data" / "processed-tests")

import pytest  # noqa: E402

from yrdlib import config  # noqa: E402


def pytest_configure(config):
    """Build the embedded-only processed data once, under a lock (xdist workers share it)."""
    import fcntl

    from yrdlib.data import build

    lock = _ROOT / "data" / ".processed-tests.lock"
    with open(lock, "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        if not build.up_to_date():
            build.build()


@pytest.fixture(scope="session")
def panel():
    from yrdlib.data import panel as p

    return p.load_panel()


@pytest.fixture()
def raw_copy(tmp_path: Path) -> Path:
    """A writable copy of data/raw to break on purpose."""
    dst = tmp_path / "raw"
    shutil.copytree(config.RAW, dst)
    return dst


@pytest.fixture
def processed(tmp_path, monkeypatch):
    """An isolated processed-data directory with a manifest the test can change."""
    from yrdlib import config

    d = tmp_path / "processed"
    d.mkdir()
    (d / "manifest.json").write_text(json.dumps(
        {"inputs": {"raw/x.csv": "aa"}, "outputs": {"panel.parquet": "bb"},
         "built_at": "2026-01-01T00:00:00Z"}))
    monkeypatch.setattr(config, "PROCESSED", d)
    return d
