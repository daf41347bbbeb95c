"""From a run file (``runs/*.yml``) and ``-p`` options to a validated job list.

Run-file format (every key optional)::

    title: Focus-city comparison          # shown on the index page
    notebooks: ["*.ipynb"]                 # globs relative to notebooks/ (default: all, sorted)
                                           # (resolved against notebooks/ only, never the
                                           # working directory; nothing outside it runs)
    last: ["scorecard*.ipynb"]             # run after all others, shown first
    parameters: {start_year: 2005}         # for every notebook that declares the name
    parameter_sets:                        # one job per notebook x set (named -> job id suffix)
      ningbo: {focus_region: 宁波}
      taizhou: {focus_region: 台州}
    notebook_parameters:                   # per notebook (stem or file name), strict
      s1_opening: {window: 5}
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from yrdlib.contracts import (
    NotebookContractError,
    ParameterError,
    Signature,
    _fmt,
    read_notebook_json,
    read_signature,
    region_label,
    validate,
)
from yrdlib.errors import RunFileError
from yrdlib.runner.batch import focus_independent, strip_focus

RUNFILE_KEYS = {"title", "notebooks", "last", "parameters", "parameter_sets",
                "notebook_parameters", "description"}
DEFAULT_LAST = ["scorecard*.ipynb"]
RUNFILE_MAX_BYTES = 256 * 1024


@dataclass
class RunSpec:
    title: str = "YRD evidence run"
    notebooks: list[str] = field(default_factory=lambda: ["*.ipynb"])
    last: list[str] = field(default_factory=lambda: list(DEFAULT_LAST))
    parameters: dict[str, Any] = field(default_factory=dict)
    parameter_sets: dict[str, dict] | None = None
    notebook_parameters: dict[str, dict] = field(default_factory=dict)
    source: str | None = None


@dataclass
class Job:
    id: str
    notebook: Path
    parameters: dict[str, Any]
    phase: int = 0
    order: int = 0
    set_name: str = ""
    title: str = ""


def load_runfile(path: str | Path) -> RunSpec:
    import yaml

    from yrdlib import safeyaml

    path = Path(path)
    try:
        data = safeyaml.load(path.read_bytes(), max_bytes=RUNFILE_MAX_BYTES) or {}
    except OSError as e:
        raise RunFileError(f"{path}: cannot read run file: {e.strerror}") from None
    except yaml.YAMLError as e:
        raise RunFileError(f"{path}: invalid YAML: {safeyaml.first_line(e)}") from None
    if not isinstance(data, dict):
        raise RunFileError(f"{path}: a run file is a mapping of keys {sorted(RUNFILE_KEYS)}")
    unknown = set(data) - RUNFILE_KEYS
    if unknown:
        raise RunFileError(f"{path}: unknown key(s) {sorted(unknown)}; allowed: {sorted(RUNFILE_KEYS)}")
    spec = RunSpec(source=str(path))
    if "title" in data:
        spec.title = str(data["title"])
    for key in ("notebooks", "last"):
        if key in data:
            v = data[key]
            v = [v] if isinstance(v, str) else v
            if v is None:
                v = []
            if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
                raise RunFileError(f"{path}: {key!r} must be a list of file globs")
            for x in v:  # confined to notebooks/: no absolute paths, no '..'
                if Path(x).is_absolute() or ".." in Path(x).parts or x.startswith("~"):
                    raise RunFileError(f"{path}: {key!r}: {x!r} leaves notebooks/ (globs are "
                                       "relative to notebooks/, without '..' or '/')")
            setattr(spec, key, ["*.ipynb"] if v == ["all"] else v)
    for key in ("parameters", "notebook_parameters"):
        v = data.get(key) or {}
        if not isinstance(v, dict):
            raise RunFileError(f"{path}: {key!r} must be a mapping")
        setattr(spec, key, v)
    sets = data.get("parameter_sets")
    if sets is not None:
        if isinstance(sets, list):
            sets = {f"#{i}": s for i, s in enumerate(sets)}
        if not isinstance(sets, dict) or not all(isinstance(s, dict) for s in sets.values()):
            raise RunFileError(f"{path}: 'parameter_sets' must be a mapping name -> parameters")
        spec.parameter_sets = {str(k): v for k, v in sets.items()}
    return spec


def slugify(text: str) -> str:
    s = str(text)
    if re.search(r"[\u4e00-\u9fff]", s):
        try:
            from pypinyin import lazy_pinyin

            s = "".join(lazy_pinyin(s))
        except ImportError:
            pass
    s = re.sub(r"[^0-9a-z]+", "_", s.lower()).strip("_")
    if not s:
        import hashlib

        s = hashlib.sha1(str(text).encode()).hexdigest()[:8]
    return s[:48]


def find_notebooks(patterns: list[str], notebooks_dir: Path, *, files_ok: bool = False) -> list[Path]:
    """The notebooks that ``patterns`` (names or globs) select inside ``notebooks_dir``.

    Every pattern is resolved against ``notebooks_dir`` only, never the working directory, and
    a hit must resolve inside it (no symlink out); a leading ``notebooks/`` is allowed. Anything
    else raises RunFileError (exit 2). ``files_ok``: also accept absolute paths of existing
    notebook files (the Python API, for a caller's own fixtures; never a CLI or a run file)."""
    found: dict[Path, None] = {}
    base = notebooks_dir.resolve()
    for pat in patterns:
        pat = str(pat)
        p = Path(pat)
        if files_ok and p.is_absolute() and p.suffix == ".ipynb" and p.is_file():
            found[p.resolve()] = None
            continue
        if pat.startswith(f"{notebooks_dir.name}/"):
            pat = pat[len(notebooks_dir.name) + 1:]
            p = Path(pat)
        if p.is_absolute() or ".." in p.parts or pat.startswith("~"):
            raise RunFileError(f"notebook {pat!r} leaves notebooks/ (give a name or glob "
                               f"relative to {notebooks_dir})")
        if not any(c in pat for c in "*?[") and not pat.endswith(".ipynb"):
            pat = pat + ".ipynb"
        hits = sorted(q for q in notebooks_dir.glob(pat)
                      if q.is_file() and ".ipynb_checkpoints" not in q.parts
                      and base in q.resolve().parents)
        if not hits and not any(c in pat for c in "*?["):
            raise RunFileError(f"notebook not found: {pat} (looked in {notebooks_dir} only)")
        for q in hits:
            found[q.resolve()] = None
    return sorted(found, key=lambda q: q.name)


def _set_label(values: dict, sig_by_name: dict[str, Signature]) -> str:
    for v_name, v in values.items():
        for sig in sig_by_name.values():
            p = sig.params.get(v_name)
            if p is not None and p.kind == "region":
                return region_label(v)
    return "_".join(str(v) for v in values.values())


def plan_jobs(spec: RunSpec, cli_params: dict[str, Any] | None = None,
              notebooks_dir: Path | None = None, notebooks: list[str] | None = None, *,
              files_ok: bool = True) -> list[Job]:
    """Build and validate the job list. Raises ParameterError / RunFileError /
    NotebookContractError (all ValueError: exit code 2) before anything runs. ``files_ok``
    (Python callers): absolute notebook paths are the caller's own; the CLI passes False."""
    from yrdlib import config

    notebooks_dir = notebooks_dir or config.NOTEBOOKS
    cli_params = cli_params or {}
    # a run file's globs never name files outside notebooks/, whoever calls
    files_ok = files_ok and (notebooks is not None or spec.source is None)
    paths = find_notebooks(notebooks or spec.notebooks, notebooks_dir, files_ok=files_ok)
    if not paths:
        raise RunFileError(f"no notebooks match {notebooks or spec.notebooks} in {notebooks_dir}")
    sigs = {p.name: read_signature(p) for p in paths}
    names = ", ".join(sigs)

    def declared_somewhere(name: str, value: Any, where: str) -> None:
        if not any(name in s.params for s in sigs.values()):
            nb = names if len(sigs) > 1 else next(iter(sigs))
            declared = ", ".join(sorted({n for s in sigs.values() for n in s.params})) or "none"
            raise ParameterError(f"{nb}: unknown parameter {name!r} (value {_fmt(value)}{where}); "
                                 f"declared: {declared}")

    for k, v in spec.parameters.items():
        declared_somewhere(k, v, ", run file")
    for k, v in cli_params.items():
        declared_somewhere(k, v, ", command line")
    sets = spec.parameter_sets or {"": {}}
    for sname, sv in sets.items():
        for k, v in sv.items():
            declared_somewhere(k, v, f", parameter set {sname!r}" if sname else ", parameter set")
    per_nb: dict[str, dict] = {}
    for key, vals in spec.notebook_parameters.items():
        match = [n for n in sigs if n == key or Path(n).stem == key]
        if not match:
            raise RunFileError(f"notebook_parameters: {key!r} is not among the selected notebooks")
        if not isinstance(vals, dict):
            raise RunFileError(f"notebook_parameters: {key!r} must map names to values")
        per_nb[match[0]] = vals

    # names for unnamed parameter sets
    named: dict[str, dict] = {}
    for sname, sv in sets.items():
        label = sname if sname and not sname.startswith("#") else (_set_label(sv, sigs) if sv else "")
        named[slugify(label) if label else ""] = sv
    jobs: list[Job] = []
    for path in paths:
        sig = sigs[path.name]
        if sig.kernel_name not in (None, config.KERNEL_NAME):
            pass  # the kernel is pinned at execution; a foreign kernelspec is only a warning
        stem = slugify(path.stem)
        seen: dict[str, str] = {}
        variants = []
        independent = len(named) > 1 and focus_independent(path)
        for sname, sv in named.items():
            sv = strip_focus(sv, independent)
            values = {**{k: v for k, v in spec.parameters.items() if k in sig.params},
                      **{k: v for k, v in sv.items() if k in sig.params},
                      **per_nb.get(path.name, {}),
                      **{k: v for k, v in cli_params.items() if k in sig.params}}
            params = validate(sig, values, strict=True)
            if params and not sig.has_parameters_cell:
                raise NotebookContractError(f"{path.name}: has no cell tagged 'parameters'")
            uses_set = any(k in sig.params for k in sv)
            key = repr(sorted(params.items(), key=lambda kv: kv[0]))
            if key in seen:
                continue
            seen[key] = sname
            variants.append((sname if uses_set else "", params))
        for sname, params in variants:
            jid = f"{stem}__{sname}" if sname else stem
            phase = 1 if any(fnmatch.fnmatch(path.name, pat) for pat in spec.last) else 0
            jobs.append(Job(jid, path, params, phase, 0, sname, _title(path, sname)))
    ids = [j.id for j in jobs]
    if len(set(ids)) != len(ids):
        dup = sorted({i for i in ids if ids.count(i) > 1})
        raise RunFileError(f"duplicate job ids {dup}: give the parameter sets distinct names")
    # display: 'last' notebooks (the scorecard) first, then the others in sorted order
    ordered = sorted(jobs, key=lambda j: (-j.phase, j.notebook.name, j.id))
    for i, j in enumerate(ordered):
        j.order = i
    return jobs


def _title(path: Path, set_name: str) -> str:
    try:
        nb = read_notebook_json(path)
        title = nb["metadata"].get("title")
        if not title:
            for cell in nb["cells"]:
                if cell.get("cell_type") == "markdown":
                    for line in cell["source"].splitlines():
                        if line.startswith("#"):
                            title = line.lstrip("#").strip()
                            break
                if title:
                    break
    except Exception:  # noqa: BLE001
        title = None
    title = title or path.stem
    return f"{title} — {set_name}" if set_name else title


__all__ = [
    "Job",
    "NotebookContractError",
    "ParameterError",
    "RunFileError",
    "RunSpec",
    "find_notebooks",
    "load_runfile",
    "plan_jobs",
    "slugify",
]
