"""The approval dates of China's city-cluster plans (城市群发展规划): one cited row per plan in
data/raw/cluster_plans/cluster_plans.csv (see its SOURCE.yml), read and checked here, below
:mod:`yrdlib.groups`, so a treatment "listed in plan X" is defined where every other treatment
is (:func:`yrdlib.groups.treatment_years`)."""

from __future__ import annotations

import csv
import datetime as dt
import re

import numpy as np
import pandas as pd

from yrdlib import config
from yrdlib.errors import DataError

PLANS_FILE = config.RAW / "cluster_plans" / "cluster_plans.csv"
PLAN_COLUMNS = ("cluster_zh", "cluster_en", "plan_title", "approving_body", "approval_event",
                "approval_date", "date_basis", "published_date", "document_no",
                "issuing_notice", "national", "verified", "source_url", "source_note")
TIMINGS = ("first_full_year", "half_year", "join_year")


def plans() -> pd.DataFrame:
    """data/raw/cluster_plans/cluster_plans.csv, checked: every column present, dates ISO
    (YYYY-MM-DD) or empty, ``national`` yes/no, a national plan has a date and a source. A bad
    cell raises DataError naming file, line and column."""
    path = PLANS_FILE
    rel = path.relative_to(config.ROOT) if path.is_relative_to(config.ROOT) else path
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    if not rows:
        raise DataError(rel, "no rows")
    missing = [c for c in PLAN_COLUMNS if c not in rows[0]]
    if missing:
        raise DataError(rel, f"missing columns {missing}", row=1)
    for i, r in enumerate(rows, start=2):
        if r["national"] not in ("yes", "no"):
            raise DataError(rel, "national must be yes or no", row=i, column="national",
                            value=r["national"])
        for c in ("approval_date", "published_date"):
            v = r[c].strip()
            if v and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", v):
                raise DataError(rel, "date must be YYYY-MM-DD or empty", row=i, column=c, value=v)
            if v:
                try:
                    dt.date.fromisoformat(v)
                except ValueError:
                    raise DataError(rel, "not a calendar date", row=i, column=c,
                                    value=v) from None
        if r["national"] == "yes":
            for c in ("approval_date", "approving_body", "approval_event", "source_url"):
                if not r[c].strip():
                    raise DataError(rel, "a national plan needs this field", row=i, column=c)
    df = pd.DataFrame(rows, columns=list(rows[0]))
    dup = df["cluster_zh"].duplicated()
    if dup.any():
        i = int(np.flatnonzero(dup)[0]) + 2
        raise DataError(rel, "cluster listed twice", row=i, column="cluster_zh",
                        value=df.loc[dup, "cluster_zh"].iloc[0])
    df["approval_date"] = pd.to_datetime(df["approval_date"].replace("", None))
    df["national"] = df["national"] == "yes"
    return df


def cohort_year(date, timing: str = "first_full_year") -> float:
    """First treated year of a plan approved on ``date``: the next calendar year
    (``first_full_year``, the project's default), the approval year (``join_year``) or, with
    ``half_year``, the approval year when approved January–June and the next year otherwise.
    NaN without a date."""
    if timing not in TIMINGS:
        raise ValueError(f"unknown timing {timing!r}; choose one of {TIMINGS}")
    if date is None or pd.isna(date):
        return float("nan")
    d = pd.Timestamp(date)
    if timing == "first_full_year":
        return float(d.year + 1)
    if timing == "join_year":
        return float(d.year)
    return float(d.year if d.month <= 6 else d.year + 1)
