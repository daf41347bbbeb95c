"""SOURCE.yml files: one per raw folder, naming the original publication, the compilation it came
through, licence, retrieval date, coverage and the sha256 of each file. This module checks the
hashes and writes the data availability statement of the README from them."""

from __future__ import annotations

from pathlib import Path

import yaml

from yrdlib import config
from yrdlib.data.build import sha256

REQUIRED = ["title", "original_publication", "compilation", "licence", "retrieved", "coverage"]


def folders(raw: Path | None = None) -> list[Path]:
    raw = raw or config.RAW
    return sorted(p for p in raw.iterdir() if p.is_dir())


def load(folder: Path) -> dict:
    f = folder / "SOURCE.yml"
    if not f.exists():
        raise FileNotFoundError(f"{folder}: no SOURCE.yml")
    return yaml.safe_load(f.read_text(encoding="utf-8")) or {}


def write_hashes(raw: Path | None = None) -> list[str]:
    out = []
    for folder in folders(raw):
        meta = load(folder)
        meta["files"] = {p.name: {"sha256": sha256(p), "bytes": p.stat().st_size}
                         for p in sorted(folder.iterdir()) if p.is_file() and p.name != "SOURCE.yml"}
        (folder / "SOURCE.yml").write_text(
            yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=100), encoding="utf-8")
        out.append(f"{folder.name}: {len(meta['files'])} file(s)")
    return out


def check_hashes(raw: Path | None = None) -> list[str]:
    """Problems: a folder without SOURCE.yml or a required key, a file not listed, a hash that
    does not match (a raw file edited after it was recorded)."""
    problems = []
    for folder in folders(raw):
        try:
            meta = load(folder)
        except FileNotFoundError as e:
            problems.append(str(e))
            continue
        for k in REQUIRED:
            if not meta.get(k):
                problems.append(f"{folder.name}/SOURCE.yml: missing '{k}'")
        listed = meta.get("files") or {}
        for p in sorted(folder.iterdir()):
            if not p.is_file() or p.name == "SOURCE.yml":
                continue
            if p.name not in listed:
                problems.append(f"{folder.name}/{p.name}: not listed in SOURCE.yml")
            elif listed[p.name].get("sha256") != sha256(p):
                problems.append(f"{folder.name}/{p.name}: sha256 differs from SOURCE.yml "
                                "(raw data changed; record why and run `yrd data hash-sources`)")
    return problems


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
