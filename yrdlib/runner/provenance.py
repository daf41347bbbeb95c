"""Where a result came from: data sources and vintages, processed-data manifest, code version
(git commit + dirty flag, hash of the yrdlib sources) and package versions."""

from __future__ import annotations

import hashlib
import json
import platform
import subprocess
from importlib import metadata
from pathlib import Path
from typing import Any

PACKAGES = ["yrdlib", "papermill", "nbconvert", "nbclient", "nbformat", "ipykernel", "pandas",
            "numpy", "scipy", "statsmodels", "pyfixest", "matplotlib", "seaborn", "dask",
            "distributed", "pyyaml"]


def sha256_bytes(b: bytes) -> str:
    return hashlib.sha256(b).hexdigest()


def sha256_file(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def canonical(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))


def git_info(root: Path) -> dict:
    def git(*args: str) -> str | None:
        try:
            r = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True,
                               timeout=10, check=False)
        except (OSError, subprocess.SubprocessError):
            return None
        return r.stdout.strip() if r.returncode == 0 else None

    commit = git("rev-parse", "HEAD")
    status = git("status", "--porcelain", "--untracked-files=no")
    return {"commit": commit, "dirty": bool(status) if status is not None else None}


def package_versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for p in PACKAGES:
        try:
            out[p] = metadata.version(p)
        except metadata.PackageNotFoundError:
            continue
    return out


def code_hash(pkg_dir: Path | None = None) -> str:
    """sha256 over the yrdlib sources (.py, templates), the code half of the cache key."""
    pkg_dir = pkg_dir or Path(__file__).resolve().parent.parent
    h = hashlib.sha256()
    for p in sorted(pkg_dir.rglob("*")):
        if p.is_file() and "__pycache__" not in p.parts and p.suffix in (
                ".py", ".j2", ".css", ".json", ".yml", ".yaml", ".csv"):
            h.update(p.relative_to(pkg_dir).as_posix().encode() + b"\0")
            h.update(p.read_bytes() + b"\0")
    return h.hexdigest()


def processed_info(processed: Path) -> dict:
    """The processed-data manifest (``inputs``/``outputs`` hashes, ``built_at``) and its hash.
    Without a manifest, a fingerprint of the files in the processed directory stands in."""
    mf = processed / "manifest.json"
    if mf.is_file():
        raw = mf.read_bytes()
        try:
            data = json.loads(raw)
        except ValueError:
            data = {}
        content = None
        if data.get("outputs"):
            from yrdlib.data.build import content_hash

            content = content_hash(data)
        return {"sha256": sha256_bytes(raw), "content_sha256": content,
                "built_at": data.get("built_at"),
                "inputs": data.get("inputs", {}), "outputs": data.get("outputs", {})}
    h = hashlib.sha256()
    if processed.is_dir():
        for p in sorted(processed.rglob("*")):
            if p.is_file():
                st = p.stat()
                h.update(f"{p.relative_to(processed)}|{st.st_size}|{st.st_mtime_ns}\n".encode())
    return {"sha256": None, "content_sha256": None, "fingerprint": h.hexdigest(),
            "built_at": None, "inputs": {}, "outputs": {}}


def _vintage(meta: dict) -> str:
    parts = []
    for key in ("original_publication", "compilation", "vintage", "retrieved", "edition"):
        v = meta.get(key)
        if isinstance(v, dict):
            v = ", ".join(f"{k}: {x}" for k, x in v.items() if not isinstance(x, (dict, list)))
        if v:
            parts.append(str(v))
    return "; ".join(parts)


def sources(raw: Path) -> list[dict]:
    import yaml

    from yrdlib import safeyaml

    out = []
    for p in sorted(raw.glob("*/SOURCE.yml")):
        try:
            meta = safeyaml.load(p.read_bytes()) or {}
        except (OSError, yaml.YAMLError, UnicodeDecodeError) as e:
            out.append({"dataset": p.parent.name, "title": p.parent.name, "error": str(e)})
            continue
        if not isinstance(meta, dict):
            continue
        cov = meta.get("coverage")
        if isinstance(cov, dict):
            cov = ", ".join(f"{k}: {v}" for k, v in cov.items())
        files = meta.get("files") or {}
        out.append({
            "dataset": p.parent.name,
            "title": str(meta.get("title") or p.parent.name),
            "publisher": str(meta.get("publisher") or ""),
            "vintage": _vintage(meta),
            "coverage": str(cov or ""),
            "licence": str(meta.get("licence") or meta.get("license") or ""),
            # the Chinese twins a lang=zh footer shows (optional; the English prose is folded)
            "title_zh": str(meta.get("title_zh") or ""),
            "licence_zh": str(meta.get("licence_zh") or ""),
            "files": {str(k): (v or {}).get("sha256") if isinstance(v, dict) else None
                      for k, v in files.items()} if isinstance(files, dict) else {},
            "source_yml_sha256": sha256_file(p),
        })
    return out


def collect(root: Path | None = None, processed: Path | None = None,
            raw: Path | None = None) -> dict:
    from yrdlib import config

    root = root or config.ROOT
    processed = processed or config.PROCESSED
    raw = raw or config.RAW
    return {
        "git": git_info(root),
        "code_hash": code_hash(),
        "packages": package_versions(),
        "processed": processed_info(processed),
        "sources": sources(raw),
        "kernel": config.KERNEL_NAME,
    }


def data_hash(prov: dict) -> str:
    """One hash for the input data: the processed data's CONTENT (its output files' hashes, not
    the build time; else the manifest or a fingerprint) + the SOURCE.yml files."""
    p = prov["processed"]
    return sha256_bytes(canonical({
        "processed": p.get("content_sha256") or p.get("sha256") or p.get("fingerprint"),
        "sources": sorted((s.get("dataset"), s.get("source_yml_sha256")) for s in prov["sources"]),
    }).encode())
