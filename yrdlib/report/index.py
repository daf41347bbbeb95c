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

from yrdlib import narrative
from yrdlib.report.html import decorate

FOCUS_PARAMS = ("focus_region",)
ALL = ""  # the 'city' of a job that does not depend on the focus city
ALL_LABEL = "每批一次 once per batch"


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

    A hypothesis's registry ``level`` (issue 22) decides where it goes: a ``pooled`` result is the
    same for every focus city and is shown once (``pooled``); a ``city`` or ``yuhuan`` result is
    the focus city's own and fills that city's row of the city × hypothesis table (``estimates``,
    each cell with its number; "not applicable" where the hypothesis is about Yuhuan or the city
    has no estimate). A pooled result that does differ between jobs (other parameters) is shown
    per city as well, never silently merged.

    Returns ``{"cities": [{"key", "label"}], "claims": [{"claim", "title_zh", "title_en",
    "cells": {city_key: {"vkey", "vzh", "ven", "href"}}}], "pooled": [{"hypothesis",
    "title_zh", "title_en", "cell"}], "hypotheses": [city-level ids], "estimates": [{"city",
    "label", "cells": {hyp: {"vkey", "text", "v", "href", "title"}}}], "long": [csv rows]}``.
    """
    rows = list(rows)
    cities: list[str] = []
    for r in rows:
        c = city_of(r)
        if c != ALL and c not in cities:
            cities.append(c)
    if len(cities) < 2:
        return None
    cluster_of = {city_of(r): str((r.get("parameters") or {}).get("cluster") or "")
                  for r in rows if city_of(r) != ALL}
    many_clusters = len(set(cluster_of.values())) > 1  # a run over clusters (cluster_cores)

    def label(c: str) -> str:
        base = city_label(c)
        return f"{base} · {cluster_of[c]}" if many_clusters and cluster_of.get(c) else base
    has_all = any(city_of(r) == ALL and (r.get("claims") or r.get("hypotheses")) for r in rows)
    keys = [*cities, *([ALL] if has_all else [])]
    claims: dict[str, dict] = {}
    cells: dict[str, dict[str, dict]] = {}  # hypothesis -> city -> cell
    meta: dict[str, dict] = {}
    long: list[dict] = []
    for r in rows:
        c = city_of(r)
        href = r.get("html") or r.get("ipynb") or "#"
        for d in decorate(r.get("claims") or []):
            cid = str(d.get("claim", ""))
            tz, te = ((d.get("title_zh", ""), d.get("title_en", "")) if not many_clusters
                      else narrative.generic_claim_title(cid))  # not the first city's cluster
            entry = claims.setdefault(cid, {"claim": cid, "title_zh": tz, "title_en": te,
                                            "cells": {}})
            entry["cells"][c] = {"vkey": d["vkey"].replace(" ", "-"), "vzh": d["vzh"],
                                 "ven": d["ven"], "href": href, "job": r.get("id", "")}
        for d in decorate(r.get("hypotheses") or []):
            hid = str(d.get("hypothesis", ""))
            hz, he = ((d.get("title_zh", ""), d.get("title_en", "")) if not many_clusters
                      else narrative.generic_hypothesis_title(hid))
            meta.setdefault(hid, {"title_zh": hz, "title_en": he,
                                  "level": d.get("level") or "city"})
            lean = {"+": " ↑", "-": " ↓"}.get(d.get("lean") or "", "")
            num = _num(d.get("estimate"))
            text = (num + lean) if num else (d["vzh"] if d["vkey"] in ("not-applicable",
                                                                        "not applicable") else "—")
            cells.setdefault(hid, {})[c] = {
                "vkey": d["vkey"].replace(" ", "-"), "vzh": d["vzh"], "text": text,
                "v": _float(d.get("estimate")), "href": href,
                "title": d.get("finding_en") or d.get("scope_note_en") or
                f"{hid}: {d.get('title_en', '')} — {d.get('ven', '')}"}
            long.append({"city": city_label(c), "region": c,
                         "cluster": cluster_of.get(c, "") or "长三角", "hypothesis": hid,
                         "level": meta[hid]["level"], "verdict": d.get("verdict"),
                         "estimate": d.get("estimate"), "ci_low": d.get("ci_low"),
                         "ci_high": d.get("ci_high"), "p_value": d.get("p_value"),
                         "unit": d.get("unit"), "title_en": d.get("title_en"),
                         "title_zh": d.get("title_zh"), "report": href})
    pooled, per_city = [], []
    for hid in sorted(cells, key=lambda h: (h.startswith("P."), h)):  # claims, then paths
        vals = {(x["text"], x["vkey"]) for x in cells[hid].values()}
        if meta[hid]["level"] == "pooled" and len(vals) == 1:
            pooled.append({"hypothesis": hid, **meta[hid],
                           "cell": next(iter(cells[hid].values()))})
        else:
            per_city.append(hid)
    return {
        "cities": [{"key": k, "label": label(k)} for k in keys],
        "claims": sorted(claims.values(), key=lambda e: e["claim"]),
        "pooled": pooled,
        "hypotheses": per_city,
        "titles": {h: meta[h] for h in per_city},
        "estimates": [{"city": k, "label": label(k),
                       "cells": {h: cells[h][k] for h in per_city if k in cells[h]}}
                      for k in keys if any(k in cells[h] for h in per_city)],
        "long": long,
    }


def _float(v: Any) -> float | None:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return f if f == f else None
