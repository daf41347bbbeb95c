"""SOURCE.yml files: one per raw folder, naming the original publication, the compilation it came
through, licence, retrieval date, coverage and the sha256 of each file. This module checks the
hashes and writes the data availability statement of the README from them."""

from __future__ import annotations

from pathlib import Path

import yaml

from yrdlib import config, safeyaml
from yrdlib.data.files import sha256
from yrdlib.errors import DataError, SourceMismatchError

REQUIRED = ["title", "original_publication", "compilation", "licence", "retrieved", "coverage"]


def folders(raw: Path | None = None) -> list[Path]:
    raw = raw or config.RAW
    return sorted(p for p in raw.iterdir() if p.is_dir())


def load(folder: Path) -> dict:
    """A folder's SOURCE.yml as a mapping: safe tags only, no aliases, bounded size. A file that
    is not that (broken YAML, ``!!python/object``, an alias bomb, a list) raises
    SourceMismatchError (exit 3), naming the file."""

    f = folder / "SOURCE.yml"
    if not f.exists():
        raise FileNotFoundError(f"{folder}: no SOURCE.yml")
    try:
        meta = safeyaml.load(f.read_bytes()) or {}
    except yaml.YAMLError as e:
        raise SourceMismatchError(_rel(f), f"invalid YAML: {safeyaml.first_line(e)}") from None
    except UnicodeDecodeError as e:
        raise SourceMismatchError(_rel(f), f"not UTF-8 text ({e.reason})") from None
    if not isinstance(meta, dict):
        raise SourceMismatchError(_rel(f), "not a mapping of keys (title, files, ...)")
    files = meta.get("files")
    if files is not None and (not isinstance(files, dict)
                              or not all(isinstance(v, dict) for v in files.values())):
        raise SourceMismatchError(_rel(f), "'files' must map each file name to its sha256 and bytes")
    return meta


def strays(folder: Path) -> list[Path]:
    """Entries of a source folder that are not plain files beside SOURCE.yml: subfolders (and
    every file inside them), symlinks, devices. The build reads only listed files, but the
    inputs' hash covers the whole tree, so each is refused as an unverified input."""
    out = []
    for p in sorted(folder.iterdir()):
        if p.is_symlink() or not p.is_file():
            out.append(p)
    return out


def write_hashes(raw: Path | None = None, reason: str = "", by: str = "unknown") -> list[str]:
    """Record every new, changed or removed raw file of every folder, each as
    :func:`accept_change` does: new sha256 plus a ``changes:`` entry with ``reason`` (required,
    so a bulk re-hash is never silent). Unchanged files are left alone."""

    raw = raw or config.RAW
    if not reason.strip():
        raise DataError("hash-sources", "give the reason for recording the changes (--reason)")
    out = []
    for folder in folders(raw):
        meta = load(folder)
        listed = meta.get("files") or {}
        present = {p.name for p in folder.iterdir() if p.is_file() and not p.is_symlink()
                   and p.name != "SOURCE.yml"}
        n = 0
        for name in sorted(present | set(listed)):
            line = accept_change(f"{folder.name}/{name}", reason, by, raw)
            n += "accepted" in line
        out.append(f"{folder.name}: {n} change(s) recorded" if n else f"{folder.name}: unchanged")
    return out


def check_hashes(raw: Path | None = None) -> list[str]:
    """Problems: a folder without SOURCE.yml or a required key, a file not listed, a hash that
    does not match (a raw file edited after it was recorded)."""
    problems = []
    for folder in folders(raw):
        try:
            meta = load(folder)
        except (FileNotFoundError, ValueError) as e:  # SourceMismatchError is a ValueError
            problems.append(str(e))
            continue
        problems += [f"{_rel(p)}: not a plain file of the source folder (a subfolder or "
                     "symlink is an unverified input)" for p in strays(folder)]
        for k in REQUIRED:
            if not meta.get(k):
                problems.append(f"{_rel(folder / 'SOURCE.yml')}: missing '{k}'")
        listed = meta.get("files") or {}
        for name in sorted(listed):
            if not (folder / name).is_file():
                problems.append(f"{_rel(folder / name)}: listed in SOURCE.yml but missing")
        for p in sorted(folder.iterdir()):
            if not p.is_file() or p.is_symlink() or p.name == "SOURCE.yml":
                continue
            if p.name not in listed:
                problems.append(f"{_rel(p)}: not listed in SOURCE.yml (unverified input)")
            elif listed[p.name].get("sha256") != sha256(p):
                problems.append(f"{_rel(p)}: sha256 differs from SOURCE.yml "
                                "(raw data changed; if on purpose: `yrd data accept-source "
                                f"{folder.name}/{p.name} --reason ...`)")
    return problems


def verify_raw(raw: Path | None = None) -> None:
    """Refuse raw inputs that SOURCE.yml does not vouch for: a file whose sha256 differs, a listed
    file that is missing, a file not listed, a folder without SOURCE.yml. Raises
    SourceMismatchError naming the first such file (the build calls this before reading)."""

    raw = raw or config.RAW
    for p in sorted(raw.iterdir()):
        if not p.is_dir() or p.is_symlink():
            raise SourceMismatchError(_rel(p), "not a source folder (data/raw/ holds only "
                                      "folders with a SOURCE.yml); refused")
    for folder in folders(raw):
        f = folder / "SOURCE.yml"
        if not f.is_file():
            raise SourceMismatchError(_rel(f), "missing: every raw folder needs its SOURCE.yml")
        meta = load(folder)
        for p in strays(folder):
            raise SourceMismatchError(_rel(p), "not a plain file of the source folder (a "
                                      "subfolder or symlink is an unverified input); refused")
        listed = meta.get("files") or {}
        for name in sorted(listed):
            if not (folder / name).is_file():
                raise SourceMismatchError(_rel(folder / name), "listed in SOURCE.yml but missing")
        for p in sorted(folder.iterdir()):
            if not p.is_file() or p.name == "SOURCE.yml":
                continue
            if p.name not in listed:
                raise SourceMismatchError(_rel(p), "not listed in SOURCE.yml (unverified input); "
                                          "record it with `yrd data accept-source`")
            if (listed[p.name] or {}).get("sha256") != sha256(p):
                raise SourceMismatchError(
                    _rel(p), "sha256 differs from SOURCE.yml (the published extract was edited); "
                    f"refused. If the change is intended: `yrd data accept-source "
                    f"{folder.name}/{p.name} --reason '...'`")


def accept_change(rel: str, reason: str, by: str, raw: Path | None = None) -> str:
    """Accept a changed, new or removed raw file: record its new sha256 in SOURCE.yml and append
    who, when, why and the old/new hashes to the folder's `changes:` list."""
    import datetime as _dt

    raw = raw or config.RAW
    if not reason.strip():
        raise DataError(rel, "give the reason for accepting the change (--reason)")
    target = (raw / rel).resolve()
    if (raw / rel).is_symlink() or raw.resolve() not in target.parents \
            or target.parent.parent != raw.resolve():
        raise DataError(rel, "not a file of a raw source folder (give <folder>/<file>)")
    folder = target.parent
    meta = load(folder)
    files = meta.get("files") or {}
    old = (files.get(target.name) or {}).get("sha256")
    if target.is_file():
        new = sha256(target)
        files[target.name] = {"sha256": new, "bytes": target.stat().st_size}
    elif old is not None:
        new = None
        files.pop(target.name)
    else:
        raise DataError(rel, "no such file and not listed in SOURCE.yml")
    if old == new:
        return f"{rel}: unchanged (sha256 {new[:12]})"
    meta["files"] = dict(sorted(files.items()))
    meta.setdefault("changes", []).append({
        "file": target.name, "date": _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "by": by, "reason": reason.strip(), "old_sha256": old, "new_sha256": new})
    (folder / "SOURCE.yml").write_text(
        yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=100), encoding="utf-8")
    return f"{rel}: accepted ({(old or 'none')[:12]} -> {(new or 'removed')[:12]}), recorded in " \
           f"{folder.name}/SOURCE.yml"


def _rel(p: Path) -> str:
    try:
        return str(p.resolve().relative_to(config.ROOT))
    except ValueError:
        return str(p)


def availability_markdown(raw: Path | None = None) -> str:
    """The README's data availability statement, generated from SOURCE.yml."""
    lines = ["| folder | what | original publication | compilation | licence | coverage |",
             "|---|---|---|---|---|---|"]
    for folder in folders(raw):
        m = load(folder)

        def cell(k, m=m):
            return str(m.get(k, "")).replace("|", "/").replace("\n", " ").strip()
        lines.append(f"| `{folder.name}` | {cell('title')} | {cell('original_publication')} | "
                     f"{cell('compilation')} | {cell('licence')} | {cell('coverage')} |")
    return "\n".join(lines)
