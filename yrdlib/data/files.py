"""The lowest pieces of the data layer, shared by the importers, the cleaning and the build: a
file's sha256, the user's CSV files and the panel's plausible year range. Kept apart from
:mod:`yrdlib.data.build` so that the modules the build calls do not import the build back."""

from __future__ import annotations

import datetime
import hashlib
from pathlib import Path

from yrdlib import config
from yrdlib.errors import DataError


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def user_csvs(user: Path | None = None) -> list[Path]:
    """The user's tables: data/user/*.csv, the extension matched case-insensitively (`*.CSV`),
    except TEMPLATE*."""
    user = user or config.USER_DATA
    if not user.is_dir():
        return []
    found = sorted(p for p in user.iterdir() if p.is_file() and p.suffix.lower() == ".csv"
                   and not p.name.upper().startswith("TEMPLATE"))
    base = user.resolve()
    for p in found:  # a symlink to a file elsewhere would read data nobody put in the project
        if p.is_symlink() and p.resolve().parent != base:
            rel = p.relative_to(config.ROOT) if config.ROOT in p.parents else p
            raise DataError(rel, f"a symlink to {p.resolve()}, outside data/user/; refused "
                            "(copy the file into data/user/)")
    return found


FIRST_YEAR = 1949  # the panel's plausible range: 1949 to the current year (no future figures)


def current_year() -> int:
    """Today's year: the last year a figure may have (clean.last_year)."""
    return datetime.date.today().year
