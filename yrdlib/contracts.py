"""Parameter contracts: a notebook's ``parameters`` cell is its signature.

Each line of the cell is ``name = <literal>  # help text [tag]``. The type comes from the default
literal; a tag in square brackets marks a special type:

* ``[region]``   one region, validated with :func:`yrdlib.regions.resolve`
* ``[regions]``  a list of regions
* ``[year]``     an int within :func:`yrdlib.data.panel.year_range`
* ``[cluster]``  a city cluster, by its short or full Chinese or English name
  (:func:`yrdlib.groups.resolve_cluster`); its short name (成渝) is injected
* ``[choice: a|b|c]`` one of the listed values

A number's help text may state its range, and the range is enforced: ``1-30`` (inclusive),
``in (0, 4]`` (interval notation), ``at least 5``, ``at most 9``.

Validation happens in the parent process before any kernel starts; a violation raises
:class:`ParameterError` whose message is one line naming notebook, parameter and value. A value
whose text is longer than ``MAX_VALUE_CHARS`` is refused before anything else.
"""

from __future__ import annotations

import ast
import io
import json
import math
import re
import sys
import tokenize
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from yrdlib import config
from yrdlib.errors import NotebookContractError, ParameterError

_TAG_RE = re.compile(r"\[(region|regions|year|cluster|choice:[^\]]*)\]\s*$")
MAX_VALUE_CHARS = 4096  # the longest legitimate value (a list of regions) is a few hundred
_NUM = r"(-?\d+(?:\.\d+)?)"
_INTERVAL_RE = re.compile(r"\bin\s*([\[(])\s*" + _NUM + r"\s*,\s*" + _NUM + r"\s*([\])])")
_DASH_RE = re.compile(r"(?<![\w.-])" + _NUM + r"\s*[-–]\s*" + _NUM + r"(?![\w.])")
_LEAST_RE = re.compile(r"\bat least\s+" + _NUM)
_MOST_RE = re.compile(r"\bat most\s+" + _NUM)


@dataclass(frozen=True)
class Param:
    name: str
    default: Any
    help: str = ""
    kind: str = ""  # "", "region", "regions", "year", "cluster", "choice"
    choices: tuple[str, ...] = ()

    @property
    def type_name(self) -> str:
        if self.kind == "choice":
            return "choice: " + "|".join(self.choices)
        if self.kind == "cluster":
            from yrdlib import groups

            return "cluster: " + "|".join(groups.short_name(n) for n in groups.cluster_names())
        if self.kind:
            return self.kind
        return type(self.default).__name__


@dataclass
class Signature:
    path: Path
    params: dict[str, Param] = field(default_factory=dict)
    has_parameters_cell: bool = True
    kernel_name: str | None = None

    @property
    def name(self) -> str:
        return self.path.name


def _comments_by_line(source: str) -> dict[int, str]:
    out: dict[int, str] = {}
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type == tokenize.COMMENT:
                out[tok.start[0]] = tok.string.lstrip("#").strip()
    except (tokenize.TokenError, IndentationError):
        pass
    return out


def parse_parameters_source(source: str, where: str = "<parameters>") -> dict[str, Param]:
    """Parse the source of a parameters cell into ``{name: Param}``."""
    try:
        tree = ast.parse(source)
    except SyntaxError as e:
        raise NotebookContractError(f"{where}: parameters cell is not valid Python: {e}") from e
    comments = _comments_by_line(source)
    params: dict[str, Param] = {}
    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value:
            target, value = node.target, node.value
        elif (isinstance(node, ast.Assign) and len(node.targets) == 1
              and isinstance(node.targets[0], ast.Name)):
            target, value = node.targets[0], node.value
        else:
            raise NotebookContractError(
                f"{where}: line {node.lineno}: parameters cell may hold only `name = literal` lines")
        try:
            default = ast.literal_eval(value)
        except ValueError as e:
            raise NotebookContractError(
                f"{where}: parameter {target.id!r} (line {node.lineno}) is not a literal") from e
        comment = comments.get(node.end_lineno or node.lineno, "")
        kind, choices = "", ()
        m = _TAG_RE.search(comment)
        if m:
            tag = m.group(1)
            comment = comment[: m.start()].strip()
            if tag.startswith("choice:"):
                kind = "choice"
                choices = tuple(c.strip() for c in tag[len("choice:"):].split("|") if c.strip())
            else:
                kind = tag
        params[target.id] = Param(target.id, default, comment, kind, choices)
    return params


def read_notebook_json(path: str | Path) -> dict:
    """A notebook as plain JSON (``cells`` with ``source`` joined to one string, ``metadata``).

    Not nbformat: importing it costs ~1.4 s (its validator pulls in jsonschema's format
    checkers), paid by every kernel and by the runner before the first job, and reading a cell
    or the metadata needs no schema validation."""
    path = Path(path)
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
        cells = [dict(c, source="".join(c["source"]) if isinstance(c.get("source"), list)
                      else c.get("source", "")) for c in nb["cells"]]
        meta = nb.get("metadata") or {}
    except (ValueError, KeyError, TypeError, AttributeError) as e:
        raise NotebookContractError(f"{path.name}: not a readable notebook ({e})") from None
    return {"cells": cells, "metadata": meta}


def read_signature(path: str | Path) -> Signature:
    """Read a notebook's signature (its parameters cell) without executing anything."""
    path = Path(path)
    nb = read_notebook_json(path)
    cells, meta = nb["cells"], nb["metadata"]
    kernel = (meta.get("kernelspec") or {}).get("name")
    for cell in cells:
        if cell.get("cell_type") == "code" and "parameters" in (cell.get("metadata") or {}).get(
                "tags", []):
            return Signature(path, parse_parameters_source(cell["source"], path.name), True,
                             kernel)
    return Signature(path, {}, False, kernel)


# --------------------------------------------------------------------------- validation

def _fmt(value: Any) -> str:
    s = repr(value)
    return s if len(s) <= 80 else s[:77] + "..."


def _resolve_region(nb: str, name: str, value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ParameterError(f"{nb}: parameter {name!r}: {_fmt(value)} is not a region "
                             "(give a 6-digit code or a Chinese/English name)")
    text = str(value)
    try:
        from yrdlib import regions
    except ImportError:  # regions module not there yet: accept the text as given
        return text
    try:
        code = regions.resolve(text).code
    except ValueError as e:  # RegionError is a ValueError
        msg = str(e).splitlines()[0] if str(e) else "unknown region"
        raise ParameterError(f"{nb}: parameter {name!r}: region {_fmt(text)}: {msg}") from None
    return code  # the canonical code is injected: the kernel never resolves a name again


_YEAR_RANGE_CACHE: list[tuple[int, int] | None] = []


def _year_range() -> tuple[int, int] | None:
    if not _YEAR_RANGE_CACHE:
        try:
            from yrdlib.data.panel import year_range
            _YEAR_RANGE_CACHE.append(tuple(year_range()))  # type: ignore[arg-type]
        except Exception as e:  # noqa: BLE001 - panel not built yet: skip the range check
            print(f"warning: cannot read the panel's year range ({type(e).__name__}: {e}); "
                  "year parameters are only checked for type", file=sys.stderr)
            _YEAR_RANGE_CACHE.append(None)
    return _YEAR_RANGE_CACHE[0]


def stated_range(help_text: str) -> tuple[float | None, bool, float | None, bool] | None:
    """(low, low_open, high, high_open) stated in a parameter's help text, or None."""
    m = _INTERVAL_RE.search(help_text)
    if m:
        return float(m.group(2)), m.group(1) == "(", float(m.group(3)), m.group(4) == ")"
    m = _DASH_RE.search(help_text)
    if m:
        return float(m.group(1)), False, float(m.group(2)), False
    lo, hi = _LEAST_RE.search(help_text), _MOST_RE.search(help_text)
    if lo or hi:
        return (float(lo.group(1)) if lo else None, False, float(hi.group(1)) if hi else None,
                False)
    return None


def _check_stated_range(nb: str, p: Param, value: float) -> None:
    r = stated_range(p.help)
    if r is None:
        return
    lo, lo_open, hi, hi_open = r
    bad = (lo is not None and (value <= lo if lo_open else value < lo)) or (
        hi is not None and (value >= hi if hi_open else value > hi))
    if bad:
        def num(x):
            return f"{x:g}"
        if lo is not None and hi is not None:
            stated = f"{'(' if lo_open else '['}{num(lo)}, {num(hi)}{')' if hi_open else ']'}"
        elif lo is not None:
            stated = f">= {num(lo)}"
        else:
            stated = f"<= {num(hi)}"
        raise ParameterError(f"{nb}: parameter {p.name!r}: {_fmt(value)} is outside its stated "
                             f"range {stated} ({p.help})")


def coerce(nb: str, p: Param, value: Any) -> Any:
    """Check one value against its parameter; return the value to inject."""
    if p.kind == "cluster":
        from yrdlib import groups

        try:
            return groups.short_name(groups.resolve_cluster(str(value)))
        except ValueError as e:
            raise ParameterError(f"{nb}: parameter {p.name!r}: {e}") from None
    if p.kind == "region":
        return _resolve_region(nb, p.name, value)
    if p.kind == "regions":
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            value = [v.strip() for v in str(value).split(",") if v.strip()]
        if not isinstance(value, (list, tuple)):
            raise ParameterError(f"{nb}: parameter {p.name!r}: {_fmt(value)} is not a list of regions")
        return [_resolve_region(nb, p.name, v) for v in value]
    if p.kind == "year":
        if isinstance(value, bool) or not isinstance(value, int):
            raise ParameterError(f"{nb}: parameter {p.name!r}: {_fmt(value)} is not a year (int)")
        yr = _year_range()
        if yr is not None and not (yr[0] <= value <= yr[1]):
            raise ParameterError(f"{nb}: parameter {p.name!r}: year {value} is outside the data "
                                 f"({yr[0]}-{yr[1]})")
        return value
    if p.kind == "choice":
        if str(value) not in p.choices:
            raise ParameterError(f"{nb}: parameter {p.name!r}: {_fmt(value)} is not one of "
                                 + "|".join(p.choices))
        return type(p.default)(value) if isinstance(p.default, (str, int, float)) else value
    d = p.default
    if d is None:
        return value
    if isinstance(d, bool):
        ok = isinstance(value, bool)
    elif isinstance(d, int):
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif isinstance(d, float):
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        if ok:
            value = float(value)
            if not math.isfinite(value):
                raise ParameterError(f"{nb}: parameter {p.name!r}: {_fmt(value)} is not a finite "
                                     "number")
    elif isinstance(d, str):
        ok = isinstance(value, str)
        if not ok and isinstance(value, (int, float)) and not isinstance(value, bool):
            value, ok = str(value), True  # `-p label 2020` is YAML int, a str parameter wants text
    elif isinstance(d, (list, tuple)):
        ok = isinstance(value, (list, tuple))
        value = list(value) if ok else value
    elif isinstance(d, dict):
        ok = isinstance(value, dict)
    else:
        ok = isinstance(value, type(d))
    if not ok:
        raise ParameterError(f"{nb}: parameter {p.name!r}: {_fmt(value)} is a "
                             f"{type(value).__name__}, expected {type(d).__name__}")
    if isinstance(value, str) and is_path_param(p):
        value = _confine_path(nb, p.name, value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        _check_stated_range(nb, p, value)
    return value


PATH_SUFFIXES = ("_dir", "_path", "_file")


def is_path_param(p: Param) -> bool:
    """A str parameter named ``*_dir``, ``*_path`` or ``*_file`` is a path: confined."""
    return isinstance(p.default, str) and p.name.endswith(PATH_SUFFIXES)


def _confine_path(nb: str, name: str, value: str) -> str:
    """A path parameter must stay inside the project's reports/ or notebooks/ folders (relative
    paths are taken from the project root); empty means the notebook's default."""
    if not value.strip():
        return value
    from pathlib import Path as _P

    p = _P(value).expanduser()
    p = (p if p.is_absolute() else config.ROOT / p).resolve()
    allowed = [_P(config.REPORTS).resolve(), _P(config.NOTEBOOKS).resolve()]
    if not any(p == a or a in p.parents for a in allowed):
        raise ParameterError(f"{nb}: parameter {name!r}: path {_fmt(value)} is outside the "
                             f"project's reports/ and notebooks/ folders")
    return str(p)


RANGE_PAIRS = [("start_year", "end_year"), ("start", "end"), ("min", "max"), ("lo", "hi")]


def check_ranges(sig: Signature, params: dict[str, Any]) -> None:
    """Refuse reversed ranges (start_year 2020 with end_year 2010), on the values the kernel
    will see (given values over defaults)."""
    eff = {n: p.default for n, p in sig.params.items()} | params
    names = set(eff)
    pairs = [(a, b) for a, b in RANGE_PAIRS if a in names and b in names]
    for n in names:  # x_start / x_end, x_min / x_max
        for lo, hi in (("_start", "_end"), ("_min", "_max"), ("_from", "_to")):
            if n.endswith(lo) and n[: -len(lo)] + hi in names:
                pairs.append((n, n[: -len(lo)] + hi))
    for a, b in pairs:
        va, vb = eff[a], eff[b]
        if (isinstance(va, (int, float)) and isinstance(vb, (int, float))
                and not isinstance(va, bool) and not isinstance(vb, bool) and va > vb):
            raise ParameterError(f"{sig.name}: parameters {a!r} = {va} and {b!r} = {vb}: "
                                 "reversed range (the first must not exceed the second)")


def check_size(nb: str, name: str, value: Any) -> None:
    """Refuse a huge value before it is parsed, coerced or shown."""
    try:
        n = len(json.dumps(value, ensure_ascii=False, default=str))
    except (ValueError, RecursionError):
        n = MAX_VALUE_CHARS + 1
    if n > MAX_VALUE_CHARS:
        raise ParameterError(f"{nb}: parameter {name!r}: value of {n:,} characters, more than "
                             f"the {MAX_VALUE_CHARS:,} allowed")


def validate(sig: Signature, values: dict[str, Any], *, strict: bool = True) -> dict[str, Any]:
    """Validate ``values`` against ``sig``; return the coerced parameters to inject.

    With ``strict`` an undeclared name is an error; otherwise it is dropped (used for run-file
    parameters shared by many notebooks, checked globally by the caller)."""
    out: dict[str, Any] = {}
    for name, value in values.items():
        check_size(sig.name, name, value)
        p = sig.params.get(name)
        if p is None:
            if strict:
                known = ", ".join(sig.params) or "none"
                raise ParameterError(f"{sig.name}: unknown parameter {name!r} (value {_fmt(value)}); "
                                     f"declared: {known}")
            continue
        out[name] = coerce(sig.name, p, value)
    check_ranges(sig, out)
    return out


def region_label(value: Any) -> str:
    """An ASCII-ish label for a region value (English name when the regions module knows it)."""
    try:
        from yrdlib import regions
        r = regions.resolve(str(value))
        return str(getattr(r, "name_en", "") or getattr(r, "code", "") or value)
    except Exception:  # noqa: BLE001
        return str(value)
