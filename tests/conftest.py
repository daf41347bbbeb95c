"""Shared fixtures: the processed panel built once per session from the embedded raw data, and a
scratch copy of data/raw for the bad-input tests (raw data itself is never modified)."""

from __future__ import annotations

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
