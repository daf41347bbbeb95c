"""Shared fixtures: the processed panel built once per session from the embedded raw data, and a
scratch copy of data/raw for the bad-input tests (raw data itself is never modified)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from yrdlib import config


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
