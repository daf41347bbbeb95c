"""Result cache under ``reports/.cache/<key>/``: a job whose notebook, parameters and inputs
(content hash of the processed data + SOURCE.yml hashes + yrdlib source hash) are unchanged is
reused, not re-run. The key also covers the installed version of every package in
requirements.lock (``seal.environment_key``).

Every entry's ``result.json`` records the sha256 of each of its files and an HMAC-SHA256
(``_mac``, ``yrdlib.seal``: key held outside the cache directory) over the entry's key and the
canonical JSON of everything else in it, so the HMAC covers every byte that is served. A plain
sha256 beside the entry would not do: whoever edits the entry can recompute it; without the key
nobody can recompute the HMAC. An entry that does not verify (a file or a verdict edited,
truncated, missing, or made with another key) is removed with one warning line and the job
re-runs. Nothing in the runner cache is unpickled."""

from __future__ import annotations

import json
import os
import shutil
import sys
import uuid
from pathlib import Path

from yrdlib import seal
from yrdlib.runner.provenance import canonical, sha256_bytes


def job_key(*, notebook_sha256: str, parameters: dict, data_hash: str, code_hash: str,
            kernel: str, show_code: bool) -> str:
    return sha256_bytes(canonical({
        "v": 3, "env": seal.environment_key(), "notebook": notebook_sha256,
        "parameters": parameters, "data": data_hash,
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
            tag = result.pop("_mac", None)
            if not isinstance(listed, dict):  # v1 entries kept no hashes: not verifiable
                raise ValueError("no file hashes")
            if not seal.verify(tag, key.encode(), canonical(dict(result, _files=listed)).encode()):
                raise ValueError("HMAC differs: result.json edited or made with another key")
            files = {}
            for rel, digest in listed.items():
                data = (d / "files" / rel).read_bytes()
                if sha256_bytes(data) != digest:
                    raise ValueError(f"{rel}: sha256 differs")
                files[rel] = data
        except seal.KeyUnavailable as e:
            print(f"warning: cache not used ({e}); the job re-runs", file=sys.stderr)
            return None
        except (OSError, ValueError, KeyError, AttributeError, TypeError) as e:
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
            # through JSON first, so the HMAC covers exactly what load() will read back
            meta = json.loads(json.dumps(dict(result, _files={
                rel: sha256_bytes(data) for rel, data in sorted(files.items())}), default=str))
            meta["_mac"] = seal.mac(key.encode(), canonical(meta).encode())
            tmp.mkdir(parents=True, exist_ok=True)
            (tmp / "result.json").write_text(json.dumps(meta, ensure_ascii=False),
                                             encoding="utf-8")
            os.rename(tmp, final)
        except OSError as e:  # read-only, disk full, no key: one line, the run goes on
            shutil.rmtree(tmp, ignore_errors=True)
            what = e.strerror or str(e)
            print(f"warning: cache entry {key[:12]} not stored ({what}); the run goes on",
                  file=sys.stderr)
