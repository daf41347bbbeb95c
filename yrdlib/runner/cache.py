"""Result cache under ``reports/.cache/<key>/``: a job whose notebook, parameters and inputs
(processed-data manifest hash + yrdlib source hash) are unchanged is reused, not re-run."""

from __future__ import annotations

import json
import os
import shutil
import uuid
from pathlib import Path

from yrdlib.runner.provenance import canonical, sha256_bytes


def job_key(*, notebook_sha256: str, parameters: dict, data_hash: str, code_hash: str,
            kernel: str, show_code: bool) -> str:
    return sha256_bytes(canonical({
        "v": 1, "notebook": notebook_sha256, "parameters": parameters, "data": data_hash,
        "code": code_hash, "kernel": kernel, "show_code": show_code,
    }).encode())


class Cache:
    def __init__(self, reports: Path):
        self.dir = reports / ".cache"

    def load(self, key: str) -> tuple[dict, dict[str, bytes]] | None:
        d = self.dir / key
        meta = d / "result.json"
        if not meta.is_file():
            return None
        try:
            result = json.loads(meta.read_text(encoding="utf-8"))
            files = {rel: (d / "files" / rel).read_bytes() for rel in result.pop("_files")}
        except (OSError, ValueError, KeyError):
            return None
        return result, files

    def store(self, key: str, result: dict, files: dict[str, bytes]) -> None:
        final = self.dir / key
        if final.exists():
            return
        tmp = self.dir / f".tmp-{key}-{uuid.uuid4().hex[:8]}"
        try:
            for rel, data in files.items():
                p = tmp / "files" / rel
                p.parent.mkdir(parents=True, exist_ok=True)
                p.write_bytes(data)
            meta = dict(result, _files=sorted(files))
            tmp.mkdir(parents=True, exist_ok=True)
            (tmp / "result.json").write_text(json.dumps(meta, ensure_ascii=False, default=str),
                                             encoding="utf-8")
            os.rename(tmp, final)
        except OSError:
            shutil.rmtree(tmp, ignore_errors=True)
