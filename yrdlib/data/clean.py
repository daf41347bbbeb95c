"""Pure cleaning functions shared by the importers. Each takes a frame read from a raw extract
(with its `_line` column: the line number in the CSV file) and either returns a cleaner frame or
raises DataError naming file, line and column. Nothing here reads or writes files."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from yrdlib import config, regions
from yrdlib.data import files, indicators
from yrdlib.data.files import FIRST_YEAR  # 1949 to the current year
from yrdlib.errors import DataError

# Cells that mean "not available" in Chinese statistical tables
MISSING_MARKS = {"", "—", "——", "-", "--", "–", "…", "...", "NA", "N/A", "nan", "NaN", "无", "/"}
LONG_COLUMNS = ["region_code", "year", "indicator", "value", "unit", "source", "source_row", "flag"]


def read_raw(path: Path, required: list[str], root: Path | None = None) -> pd.DataFrame:
    """Read a raw CSV as text, with `_line` (1-based line in the file, header = 1). A missing
    required column is an error that names the file and the column."""
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except UnicodeDecodeError as e:
        raise DataError(_rel(path, root), f"not UTF-8 text ({e.reason})") from None
    except pd.errors.ParserError as e:
        m = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(e))
        if m:
            raise DataError(_rel(path, root), f"{m.group(3)} fields where the header has "
                            f"{m.group(1)} (an unquoted comma?)", row=int(m.group(2))) from None
        raise DataError(_rel(path, root), "not a well-formed CSV: "
                        + " ".join(str(e).split())) from None
    except pd.errors.EmptyDataError:
        raise DataError(_rel(path, root), "empty file (no header line)", row=1) from None
    df.columns = [normalise_text(c) for c in df.columns]
    df = df.apply(normalise_column)
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise DataError(_rel(path, root), f"missing column(s) {missing}; found {list(df.columns)}",
                        row=1, column=missing[0])
    df["_line"] = np.arange(2, len(df) + 2)
    df.attrs["file"] = _rel(path, root)
    return df


INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)


def normalise_text(text: str) -> str:
    """Remove zero-width characters and outer whitespace (incl. full-width and no-break spaces).
    Real defect: the FDI extract writes 哈密 as '哈密\u200b\u200b' from 2003 on."""
    return text.translate(INVISIBLE).replace("\u00a0", " ").replace("\u3000", " ").strip()


def normalise_column(s: pd.Series) -> pd.Series:
    """normalise_text, vectorised."""
    return (s.str.replace("[\u200b\u200c\u200d\u2060\ufeff]", "", regex=True)
             .str.replace("[\u00a0\u3000]", " ", regex=True).str.strip())


def _rel(path: Path, root: Path | None) -> str:

    base = root or config.ROOT
    try:
        return str(Path(path).resolve().relative_to(base))
    except ValueError:
        return str(path)


def split_non_data_rows(df: pd.DataFrame, keys: list[str],
                        values: list[str] = ()) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rows whose key columns are all blank are not data: blank padding and the compiler's
    footer advertisements (e.g. '更多数据，关注淘宝店' in a numeric column). So is a row with no
    year (keys[0]) and no value at all (the advertisement sits in the city column of the GDP-index
    sheet). Returns (data, dropped) with a reason for each dropped row that held any text."""
    def is_blank(cols):
        return df[list(cols)].apply(lambda s: s.str.strip().isin(MISSING_MARKS)).all(axis=1)

    blank = is_blank(keys)
    if values:
        blank |= is_blank(keys[:1]) & is_blank(values)
    content = df.drop(columns=["_line"]).apply(lambda s: s.str.strip() != "").any(axis=1)
    dropped = df[blank & content]
    log = pd.DataFrame({
        "file": df.attrs.get("file", ""), "source_row": dropped["_line"],
        "reason": "non-data row (no year or region): footer or note",
        "content": dropped.drop(columns=["_line"]).apply(
            lambda r: " | ".join(v for v in r if v.strip()), axis=1) if len(dropped) else [],
    })
    out = df[~blank].copy()
    out.attrs = df.attrs
    return out, log


def to_number(df: pd.DataFrame, column: str) -> pd.Series:
    """Text cells -> float. The missing-value conventions ('—', blank, '…') become NaN; thousands
    separators are removed; anything else that is not a number is an error naming file, line and
    column."""
    s = df[column].str.strip().str.replace(",", "", regex=False).str.replace("，", "", regex=False)
    s = s.where(~s.isin(MISSING_MARKS), None)
    num = pd.to_numeric(s, errors="coerce")
    bad = num.isna() & s.notna()
    if bad.any():
        i = bad.idxmax()
        raise DataError(df.attrs.get("file", "?"), "not a number", row=int(df.at[i, "_line"]),
                        column=column, value=df.at[i, column])
    return num.astype(float)




def last_year() -> int:
    return files.current_year()


def to_year(df: pd.DataFrame, column: str, lo: int = FIRST_YEAR, hi: int | None = None) -> pd.Series:
    hi = last_year() if hi is None else hi
    y = to_number(df, column)
    bad = y.isna() | (y % 1 != 0) | (y < lo) | (y > hi)
    if bad.any():
        i = bad.idxmax()
        raise DataError(df.attrs.get("file", "?"), f"not a year between {lo} and {hi}",
                        row=int(df.at[i, "_line"]), column=column, value=df.at[i, column])
    return y.astype(int)


def drop_out_of_scope(df: pd.DataFrame, column: str, name_column: str | None = None
                      ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Drop (and log) rows of units outside the region reference: provinces other than the four
    municipalities, and county-level units (directly administered ones such as 济源 419001, or
    county-level cities in the road statistics) other than Taizhou's counties. A prefecture-like
    code (dddd00) that the reference does not know stays in, so that codes_from_codes rejects it."""
    code = df[column].str.strip().str.replace(r"\.0$", "", regex=True)
    known = set(regions._lookup()[0])
    prefecture_like = code.str.fullmatch(r"\d{4}00") & ~code.str.endswith("0000")
    keep = prefecture_like | code.isin(known)
    gone = df[~keep]
    label = gone[name_column] + " " if name_column else ""
    log = pd.DataFrame({"file": df.attrs.get("file", ""), "source_row": gone["_line"],
                        "reason": "province or county-level unit outside the region reference",
                        "content": label + gone[column]})
    out = df[keep].copy()
    out.attrs = df.attrs
    return out, log


def codes_from_codes(df: pd.DataFrame, column: str) -> pd.Series:
    """6-digit codes (possibly written as floats, '331000.0') -> canonical codes. Old codes map
    to their successors (331021 -> 331083); an unknown code is an error."""
    raw = df[column].str.strip().str.replace(r"\.0$", "", regex=True)
    out = {}
    by_code = regions._lookup()[0]
    for code in raw.unique():
        if not re.fullmatch(r"\d{6}", code) or code not in by_code:
            i = raw[raw == code].index[0]
            raise DataError(df.attrs.get("file", "?"), "unknown region code", row=int(df.at[i, "_line"]),
                            column=column, value=df.at[i, column])
        out[code] = by_code[code]
    return raw.map(out)


def codes_from_names(df: pd.DataFrame, column: str, province_column: str | None = None) -> pd.Series:
    """Chinese city names -> canonical codes, through the region resolver (so 台州/泰州 can't be
    swapped). With a province column the province must agree. Unknown or ambiguous names are
    errors naming file, line and column."""
    keys = df[column].str.strip()
    if province_column:
        keys = keys + "|" + df[province_column].str.strip()
    out = {}
    for key in keys.unique():
        name, _, prov = key.partition("|")
        query = f"{name}, {regions._province_short(prov)}" if prov else name
        try:
            region = regions.resolve(query)
        except regions.RegionError as e:
            i = keys[keys == key].index[0]
            raise DataError(df.attrs.get("file", "?"), f"unknown or ambiguous city name: {e}",
                            row=int(df.at[i, "_line"]), column=column, value=name) from None
        if region.level == "county":
            i = keys[keys == key].index[0]
            raise DataError(df.attrs.get("file", "?"), "a county where a prefecture-level city was "
                            "expected", row=int(df.at[i, "_line"]), column=column, value=name)
        out[key] = region.code
    return keys.map(out)


def check_unique(df: pd.DataFrame, keys: list[str], what: str = "city-year") -> pd.DataFrame:
    """Exact duplicate rows are dropped; two rows for the same key with different values are an
    error naming both lines."""
    cols = [c for c in df.columns if c != "_line"]
    df = df.drop_duplicates(subset=cols)
    dup = df.duplicated(subset=keys, keep=False)
    if dup.any():
        rows = df[dup].sort_values(keys)
        first = rows.iloc[0]
        same = rows[(rows[keys] == first[keys]).all(axis=1)]
        lines = ", ".join(str(x) for x in same["_line"])
        raise DataError(df.attrs.get("file", "?"), f"duplicated {what} {tuple(first[keys])} with "
                        f"different values on lines {lines}", row=int(same["_line"].iloc[1]),
                        column=keys[0])
    return df


def long_from_wide(df: pd.DataFrame, values: dict[str, tuple[str, str]], source: str,
                   flags: dict[str, pd.Series] | None = None) -> pd.DataFrame:
    """Wide rows (region_code, year, value columns) -> the tidy long table, converting each
    column from its published unit into the dictionary unit. `values` maps column ->
    (indicator, published unit)."""
    parts = []
    for column, (key, unit_from) in values.items():
        ind = indicators.get(key)
        v = to_number(df, column)
        try:
            v = indicators.convert(v, unit_from, ind.unit)
        except KeyError:
            raise DataError(df.attrs.get("file", "?"), f"unknown unit {unit_from!r} for {key} "
                            f"(expected one convertible to {ind.unit!r})", column=column) from None
        part = pd.DataFrame({
            "region_code": df["region_code"].values, "year": df["year"].values,
            "indicator": key, "value": v.values, "unit": ind.unit, "source": source,
            "source_row": df["_line"].values,
            "flag": (flags or {}).get(column, pd.Series("", index=df.index)).values,
        })
        parts.append(part[part["value"].notna()])
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=LONG_COLUMNS)


def drop_outside_validity(long: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rows for a unit after it was abolished (巢湖 after 2010, 莱芜 after 2018) describe the
    successor county-level unit, not the prefecture: they are dropped and logged."""
    ref = regions.reference()
    valid_to = long["region_code"].map(ref["valid_to"]).astype("Float64")
    bad = valid_to.notna() & (long["year"] > valid_to)
    log = pd.DataFrame({"file": long.loc[bad, "source"], "source_row": long.loc[bad, "source_row"],
                        "reason": "unit abolished before this year (refers to its successor)",
                        "content": long.loc[bad, "region_code"] + " " + long.loc[bad, "year"].astype(str)
                        + " " + long.loc[bad, "indicator"]})
    return long[~bad.fillna(False)].reset_index(drop=True), log
