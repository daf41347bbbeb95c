"""Result cache under ``reports/.cache/<key>/``: a job whose notebook, parameters and inputs
(content hash of the processed data + SOURCE.yml hashes + yrdlib source hash) are unchanged is
reused, not re-run. Every entry records the sha256 of each of its files; an entry is verified
before reuse, and a damaged one (a file edited, truncated or missing) is removed and re-run."""

from __future__ import annotations

import json
import os
import shutil
import sys
import uuid
from pathlib import Path

from yrdlib.runner.provenance import canonical, sha256_bytes


def job_key(*, notebook_sha256: str, parameters: dict, data_hash: str, code_hash: str,
            kernel: str, show_code: bool) -> str:
    return sha256_bytes(canonical({
        "v": 2, "notebook": notebook_sha256, "parameters": parameters, "data": data_hash,
        "code": code_hash, "kernel": kernel, "show_code": show_code,
    }).encode())


class Cache:
    def __init__(self, reports: Path):
        self.dir = reports / ".cache"
        self.damaged: list[str] = []

    def load(self, key: str) -> tuple[dict, dict[str, bytes]] | None:
        d = self.dir / key
        meta = d / "result.json"
        if not d.exists():
            return None
        try:
            result = json.loads(meta.read_text(encoding="utf-8"))
            listed = result.pop("_files")
            if not isinstance(listed, dict):  # v1 entries kept no hashes: not verifiable
                raise ValueError("no file hashes")
            files = {}
            for rel, digest in listed.items():
                data = (d / "files" / rel).read_bytes()
                if sha256_bytes(data) != digest:
                    raise ValueError(f"{rel}: sha256 differs")
                files[rel] = data
        except (OSError, ValueError, KeyError, AttributeError) as e:
            self.damaged.append(key)
            print(f"warning: cache entry {key[:12]} damaged ({e}); removed, the job re-runs",
                  file=sys.stderr)
            self._remove(d)
            return None
        return result, files

    def _remove(self, d: Path) -> None:
        trash = d.with_name(f".tmp-trash-{uuid.uuid4().hex[:8]}")
        try:
            os.rename(d, trash)
        except OSError:
            return
        shutil.rmtree(trash, ignore_errors=True)

    def store(self, key: str, result: dict, files: dict[str, bytes]) -> None:
        """Best effort: a cache that cannot be written (disk full, read-only) only costs time."""
        final = self.dir / key
        if final.exists():
            if self.load(key) is not None:
                return
        tmp = self.dir / f".tmp-{key}-{uuid.uuid4().hex[:8]}"
        try:
            for rel, data in files.items():
                p = tmp / "files" / rel
                p.parent.mkdir(parents=True, exist_ok=True)
                p.write_bytes(data)
            meta = dict(result, _files={rel: sha256_bytes(data) for rel, data in sorted(files.items())})
            tmp.mkdir(parents=True, exist_ok=True)
            (tmp / "result.json").write_text(json.dumps(meta, ensure_ascii=False, default=str),
                                             encoding="utf-8")
            os.rename(tmp, final)
        except OSError:
            shutil.rmtree(tmp, ignore_errors=True)
