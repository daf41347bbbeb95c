"""Errors that name where bad input sits, so a user can open the file and fix it."""

from __future__ import annotations

from pathlib import Path


class DataError(ValueError):
    """A defect in an input file: one line naming file, row and column.

    `row` is the 1-based line number in the CSV file, counting the header as line 1, so that it
    matches what an editor shows.
    """

    def __init__(self, file: str | Path, message: str, row: int | None = None,
                 column: str | None = None, value: object = None):
        self.file = str(file)
        self.row = row
        self.column = column
        self.value = value
        self.message = message
        where = self.file
        if row is not None:
            where += f", line {row}"
        if column is not None:
            where += f", column '{column}'"
        shown = "" if value is None else f" (value {value!r})"
        super().__init__(f"{where}: {message}{shown}")


class ValidationError(DataError):
    """The processed panel broke a rule of the schema."""
