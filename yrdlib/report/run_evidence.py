"""Read the evidence bundles a notebook displayed (MIME ``application/vnd.yrd.evidence+json``
per hypothesis, ``application/vnd.yrd.claim+json`` per claim) from an executed notebook."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

EVIDENCE_MIME = "application/vnd.yrd.evidence+json"
CLAIM_MIME = "application/vnd.yrd.claim+json"

from yrdlib import vocab  # noqa: E402  (one vocabulary for every page)

VERDICTS = {v: (vocab.VERDICT_ZH[v], v.capitalize()) for v in vocab.VERDICTS}
EVIDENCE_COLUMNS = ["claim", "hypothesis", "title_zh", "title_en", "verdict", "reason_zh",
                    "reason_en", "estimate", "ci_low", "ci_high", "p_value", "n", "method",
                    "provisional", "user_data_badge", "user_data_sources"]


def _as_dict(obj: Any) -> dict | None:
    if isinstance(obj, dict):
        return dict(obj)
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return dataclasses.asdict(obj)
    for attr in ("to_dict", "model_dump", "dict"):
        f = getattr(obj, attr, None)
        if callable(f):
            try:
                d = f()
            except Exception:  # noqa: BLE001
                d = None
            if isinstance(d, dict):
                return d
    return None


def _bundles(nb, mime: str) -> list[dict]:
    out, seen = [], set()
    for cell in nb.get("cells", []):
        for o in cell.get("outputs", []) or []:
            data = o.get("data") or {}
            if mime not in data:
                continue
            val = data[mime]
            if isinstance(val, str):
                try:
                    val = json.loads(val)
                except ValueError:
                    continue
            items = val if isinstance(val, list) else [val]
            for it in items:
                if isinstance(it, dict):
                    key = json.dumps(it, sort_keys=True, default=str)
                    if key not in seen:  # a notebook may display the same bundle twice
                        seen.add(key)
                        out.append(it)
    return out


def read_evidence(nb, path: str | Path | None = None) -> tuple[list[dict], list[dict]]:
    """Return ``(claims, hypotheses)`` from a notebook node. Prefers the project's own
    ``yrdlib.evidence.evidences_from_notebook`` for hypotheses when it exists."""
    hyps: list[dict] | None = None
    if path is not None:
        try:
            from yrdlib.evidence import evidences_from_notebook
        except ImportError:
            evidences_from_notebook = None
        if evidences_from_notebook is not None:
            try:
                got = [_as_dict(e) for e in evidences_from_notebook(path)]
                if all(g is not None for g in got):
                    hyps = got  # type: ignore[assignment]
            except Exception:  # noqa: BLE001 - fall back to reading the MIME outputs ourselves
                hyps = None
    if hyps is None:
        hyps = _bundles(nb, EVIDENCE_MIME)
    return _bundles(nb, CLAIM_MIME), hyps


def verdict_key(v: Any) -> str:
    s = str(v or "").strip().lower().replace("_", " ")
    return s if s in VERDICTS else "inconclusive" if not s else s
