"""Multi-city views of a run for the index page: which focus city each job is about, a claim ×
city matrix of verdicts (each cell linking to its report) and a city × hypothesis table of
estimates. A job without a focus-city parameter (a notebook run once per batch) belongs to every
city; its cells are shown under the column "全部 all cities".

The focus-city parameter is ``focus_region`` (:data:`FOCUS_PARAMS`).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from yrdlib.report.html import decorate

FOCUS_PARAMS = ("focus_region",)
ALL = ""  # the 'city' of a job that does not depend on the focus city
ALL_LABEL = "全部 all cities"


@lru_cache(maxsize=512)
def city_label(value: str) -> str:
    """'台州 Taizhou (331000)' for a region value; the value itself when it cannot be resolved."""
    if value == ALL:
        return ALL_LABEL
    try:
        from yrdlib import regions

        r = regions.resolve(str(value))
        return f"{r.short_zh} {r.name_en}"
    except Exception:  # noqa: BLE001 - an unknown value is shown as given
        return str(value)


def city_of(row: dict) -> str:
    """The focus-city value of a job row (its parameters), or :data:`ALL`."""
    params = row.get("parameters") or {}
    for p in FOCUS_PARAMS:
        if params.get(p) not in (None, ""):
            return str(params[p])
    return ALL


def _num(v: Any) -> str:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return ""
    if f != f:
        return ""
    return f"{f:,.3g}" if abs(f) < 1e5 else f"{f:,.0f}"


def multi_city(rows: Iterable[dict]) -> dict | None:
    """The multi-city views of a run's job rows (each with ``parameters``, ``claims``,
    ``hypotheses``, ``html``/``ipynb``), or None when the run covers at most one city.

    Returns ``{"cities": [{"key", "label"}], "claims": [{"claim", "title_zh", "title_en",
    "cells": {city_key: {"vkey", "vzh", "ven", "href"}}}], "hypotheses": [ids],
    "estimates": [{"city", "label", "cells": {hyp: {"vkey", "text", "href"}}}]}``.
    """

    rows = list(rows)
    cities: list[str] = []
    for r in rows:
        c = city_of(r)
        if c != ALL and c not in cities:
            cities.append(c)
    if len(cities) < 2:
        return None
    has_all = any(city_of(r) == ALL and (r.get("claims") or r.get("hypotheses")) for r in rows)
    keys = [*cities, *([ALL] if has_all else [])]
    claims: dict[str, dict] = {}
    hyp_ids: list[str] = []
    est: dict[str, dict[str, dict]] = {k: {} for k in keys}
    for r in rows:
        c = city_of(r)
        href = r.get("html") or r.get("ipynb") or "#"
        for d in decorate(r.get("claims") or []):
            cid = str(d.get("claim", ""))
            entry = claims.setdefault(cid, {"claim": cid, "title_zh": d.get("title_zh", ""),
                                            "title_en": d.get("title_en", ""), "cells": {}})
            entry["cells"][c] = {"vkey": d["vkey"].replace(" ", "-"), "vzh": d["vzh"],
                                 "ven": d["ven"], "href": href, "job": r.get("id", "")}
        for d in decorate(r.get("hypotheses") or []):
            hid = str(d.get("hypothesis", ""))
            if hid not in hyp_ids:
                hyp_ids.append(hid)
            lean = {"+": " ↑", "-": " ↓"}.get(d.get("lean") or "", "")
            est[c][hid] = {"vkey": d["vkey"].replace(" ", "-"), "vzh": d["vzh"],
                           "text": (_num(d.get("estimate")) + lean) if _num(d.get("estimate"))
                           else "—", "href": href,
                           "title": d.get("finding_en") or
                           f"{hid}: {d.get('title_en', '')} — {d.get('ven', '')}"}
    return {
        "cities": [{"key": k, "label": city_label(k)} for k in keys],
        "claims": sorted(claims.values(), key=lambda e: e["claim"]),
        "hypotheses": sorted(hyp_ids),
        "estimates": [{"city": k, "label": city_label(k), "cells": est[k]} for k in keys
                      if est[k]],
    }
