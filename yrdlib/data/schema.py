"""Validation of the processed panel with pandera: known regions, indicators and units, values in
each indicator's plausible range, one value per region-year-indicator. A failure raises
ValidationError naming the source file, line and column of the first bad row, and the report of
every failing row is kept on the exception."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from yrdlib import regions
from yrdlib.data import indicators
from yrdlib.errors import ValidationError


def panel_schema() -> pa.DataFrameSchema:
    ref = regions.reference()
    units = {k: i.unit for k, i in indicators.INDICATORS.items()}

    def within_plausible_range(df: pd.DataFrame) -> pd.Series:
        lo = df["indicator"].map({k: i.lo for k, i in indicators.INDICATORS.items()}).astype(float)
        hi = df["indicator"].map({k: i.hi for k, i in indicators.INDICATORS.items()}).astype(float)
        return (lo.isna() | (df["value"] >= lo)) & (hi.isna() | (df["value"] <= hi))

    return pa.DataFrameSchema(
        {
            "region_code": pa.Column(str, pa.Check.isin(list(ref.index)), nullable=False),
            "year": pa.Column(int, pa.Check.in_range(1949, 2100)),
            "indicator": pa.Column(str, pa.Check.isin(list(indicators.INDICATORS))),
            "value": pa.Column(float, pa.Check(lambda s: s.notna() & (s.abs() != float("inf")),
                                               error="finite value")),
            "unit": pa.Column(str),
            "source": pa.Column(str),
            "source_row": pa.Column(int),
            "flag": pa.Column(str),
        },
        checks=[
            pa.Check(lambda df: df["unit"] == df["indicator"].map(units), error="unit is not the "
                     "dictionary unit of the indicator"),
            pa.Check(within_plausible_range, error="value outside the indicator's plausible range"),
        ],
        unique=["region_code", "year", "indicator"],
        strict=True,
        coerce=False,
    )


def validate(panel: pd.DataFrame) -> pd.DataFrame:
    try:
        return panel_schema().validate(panel, lazy=True)
    except pa.errors.SchemaErrors as e:
        cases = e.failure_cases
        first = cases.iloc[0]
        idx = first.get("index")
        where_file, where_row, column = "data/processed/panel", None, first.get("column")
        detail = str(first.get("check"))
        if first.get("index") is None or pd.isna(first.get("index")):
            detail += f": {first.get('failure_case')}"
        if idx is not None and not pd.isna(idx) and int(idx) in panel.index:
            row = panel.loc[int(idx)]
            where_file, where_row = row["source"], int(row["source_row"]) or None
            detail += f" [{row['region_code']} {row['year']} {row['indicator']} = {row['value']}]"
        if "plausible range" in detail or "finite" in detail:
            column = "value"
        elif "unit is not" in detail:
            column = "unit"
        err = ValidationError(where_file, f"{detail}; {len(cases)} failing value(s) in all",
                              row=where_row, column=None if pd.isna(column) else column)
        err.failure_cases = cases
        raise err from None
