"""Shared checks: every method fails loudly (MethodError) instead of returning a silent NaN."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd


class MethodError(ValueError):
    """Raised when the data cannot support the method (no treated units, constant outcome, ...)."""


def require_columns(df: pd.DataFrame, cols: Iterable[str], what: str = "data") -> None:
    if not isinstance(df, pd.DataFrame):
        raise MethodError(f"{what} must be a pandas DataFrame, got {type(df).__name__}")
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise MethodError(f"{what} is missing column(s) {missing}; has {list(df.columns)[:20]}")


def require_finite(x, name: str) -> float:
    x = float(x)
    if not np.isfinite(x):
        raise MethodError(f"{name} is not finite ({x}); the data cannot identify it")
    return x


def require_variation(values, name: str, min_n: int = 2) -> None:
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    if v.size < min_n:
        raise MethodError(f"{name}: only {v.size} finite value(s), need at least {min_n}")
    if is_constant(v):
        raise MethodError(f"{name} is constant; nothing to estimate")


def is_constant(values) -> bool:
    """True if values do not vary beyond floating-point noise."""
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    return v.size == 0 or float(np.ptp(v)) <= 1e-12 * max(1.0, float(np.max(np.abs(v))))


@dataclass
class SlopeEstimate:
    """A slope with its standard error, 95% interval, p-value and sample size: the common part
    of the trend, convergence and distance-decay results."""

    slope: float
    se: float
    ci_low: float
    ci_high: float
    p_value: float
    n: int
