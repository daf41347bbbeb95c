"""Every path the project uses, resolved from the project root so that code and notebooks work
from any working directory (JupyterLab starts kernels in the notebook's folder, papermill and cron
in whatever directory they were started from)."""

from __future__ import annotations

import os
from pathlib import Path


def _find_root() -> Path:
    env = os.environ.get("YRD_ROOT")
    if env:
        return Path(env).resolve()
    here = Path(__file__).resolve().parent.parent
    if (here / "pyproject.toml").exists() and (here / "yrdlib").is_dir():
        return here
    # installed non-editable: fall back to the working directory and its parents
    for p in [Path.cwd(), *Path.cwd().parents]:
        if (p / "pyproject.toml").exists() and (p / "yrdlib").is_dir():
            return p
    raise RuntimeError("cannot find the project root; set YRD_ROOT")


ROOT = _find_root()
DATA = ROOT / "data"
RAW = DATA / "raw"
PROCESSED = Path(os.environ.get("YRD_PROCESSED", DATA / "processed"))
# the user's own figures; YRD_USER_DATA points elsewhere (the test suite points it at an empty
# folder, so that `make test` checks the embedded data whatever a user put in data/user)
USER_DATA = Path(os.environ.get("YRD_USER_DATA", DATA / "user"))
NOTEBOOKS = Path(os.environ.get("YRD_NOTEBOOKS", ROOT / "notebooks"))  # run files are confined to it
REPORTS = Path(os.environ.get("YRD_REPORTS", ROOT / "reports"))
RUNS = ROOT / "runs"

KERNEL_NAME = "yrd"
