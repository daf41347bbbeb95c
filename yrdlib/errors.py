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


class SourceMismatchError(DataError):
    """A raw file differs from (or is missing against) the sha256 recorded in its SOURCE.yml."""


class StaleDataError(RuntimeError):
    """data/processed does not match its inputs or its own recorded output hashes, and it may
    not be rebuilt here (a kernel under the runner, or `yrd run --no-rebuild`)."""


class ParameterError(ValueError):
    """A parameter is unknown, has the wrong type, or names an unknown/ambiguous region/year."""


class NotebookContractError(ValueError):
    """A notebook's parameters cell is missing or is not a list of literal assignments."""


class RunFileError(ValueError):
    """The run file is malformed (exit code 2)."""


# ------------------------------------------------------------------------------------ exit codes
# One table for `yrd data ...` and `yrd run` (documented in docs/faults.md and docs/runner.md).
EXIT_OK = 0
EXIT_NOTEBOOK_FAILED = 1   # a notebook failed (the others still ran; reports/latest unchanged)
EXIT_USAGE = 2             # bad parameters, run file, option or path (nothing ran)
EXIT_DATA = 3              # bad input data: a raw/user file defect, a raw file changed or missing
EXIT_STALE = 4             # processed data stale, damaged or unverified, and not rebuilt
EXIT_IO = 5                # I/O fault: read-only folder, disk full, permission denied
EXIT_INTERNAL = 70         # a bug: an unexpected exception (traceback with --debug)
EXIT_INTERRUPTED = 130     # Ctrl-C, SIGTERM, SIGHUP

EXIT_CODES = {
    EXIT_OK: "ok",
    EXIT_NOTEBOOK_FAILED: "a notebook failed",
    EXIT_USAGE: "bad parameters, run file or usage",
    EXIT_DATA: "bad input data",
    EXIT_STALE: "processed data stale or unverified",
    EXIT_IO: "I/O fault (read-only, disk full, permission)",
    EXIT_INTERNAL: "internal error",
    EXIT_INTERRUPTED: "interrupted",
}


def io_message(e: OSError) -> str:
    """One line for an OSError: what happened, to which file."""
    import errno

    what = {errno.ENOSPC: "disk full", errno.EROFS: "read-only file system",
            errno.EACCES: "permission denied", errno.EPERM: "operation not permitted",
            errno.EDQUOT: "disk quota exceeded"}.get(e.errno or 0, e.strerror or str(e))
    where = e.filename or ""
    return f"I/O error: {what}" + (f": {where}" if where else "")


def classify(e: BaseException) -> tuple[int, str]:
    """(exit code, one-line message) for an exception that ends a command."""
    if isinstance(e, KeyboardInterrupt):
        return EXIT_INTERRUPTED, "interrupted"
    if isinstance(e, DataError):
        return EXIT_DATA, str(e)
    if isinstance(e, StaleDataError):
        return EXIT_STALE, str(e)
    if isinstance(e, OSError):
        return EXIT_IO, io_message(e)
    if isinstance(e, (ParameterError, NotebookContractError, RunFileError)):
        return EXIT_USAGE, str(e)
    first = (str(e).strip().splitlines() or [""])[0]
    return EXIT_INTERNAL, f"internal error: {type(e).__name__}: {first} (run with --debug for the traceback)"


DEBUG = False


def fail(e: BaseException, note: str | None = None) -> None:
    """Print one line on stderr (and the traceback with --debug), then exit with e's code."""
    import sys
    import traceback

    code, msg = classify(e)
    if DEBUG:
        traceback.print_exception(e, file=sys.stderr)
    line = msg if code == EXIT_INTERRUPTED else f"error: {msg}"
    if note:
        line += f" ({note})"
    print(line, file=sys.stderr, flush=True)
    raise SystemExit(code)
