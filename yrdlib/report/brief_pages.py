"""The brief pages of a run: ``brief.html`` (Chinese) and ``brief_en.html`` (English).

A brief is about one focus city and the cluster it was tested for, so a run over several focus
cities (``runs/example_cities.yml``, ``runs/cluster_cores.yml``) gets one brief per city
(``brief_<code>.html``, ``brief_en_<code>.html``) and ``brief.html`` lists them, each with its
bottom line: merged into one page, the claims of every city were repeated under the first
city's title and cluster, with every city's estimates in each chart."""

from __future__ import annotations

import html
import re
from pathlib import Path

from yrdlib import regions, vocab
from yrdlib.report.brief import CSS, bottom_line, brief_html, cluster_names, yuhuan_facts
from yrdlib.report.index import ALL, city_of

YUHUAN_UNITS = ("331000", "331083")
"""台州 and 玉环: the focus values whose brief carries Yuhuan's own census facts."""

CHOOSER = {
    "title": ("各焦点城市的政策简报", "Policy briefs by focus city"),
    "sub": ("本次运行 {run} 针对 {n} 个焦点城市；每个城市一份简报，按其所在城市群检验文章论断的一般形式。",
            "Run {run} covers {n} focus cities; one brief per city, testing the article's claims "
            "in general form for the city's own cluster."),
}


def _census_rows(run_dir: Path) -> list[dict]:
    import csv

    p = run_dir / "tables" / "yuhuan_profile" / "taizhou_county_census.csv"
    if not p.is_file():
        return []
    with p.open(encoding="utf-8-sig") as f:
        return [{k: (float(v) if k not in ("region_code", "name_zh", "name_en") and v not in ("",)
                     else v) for k, v in r.items()} for r in csv.DictReader(f)]


def _focus(code: str) -> tuple[dict[str, str], str]:
    """({zh, en} name, file key) of a focus value."""
    try:
        reg = regions.resolve(code)
        return {"zh": reg.short_zh, "en": reg.name_en}, reg.code
    except Exception:  # noqa: BLE001 - an unresolvable focus keeps the default name
        return {"zh": "台州", "en": "Taizhou"}, re.sub(r"\W+", "_", code) or "all"


def _collect(rows: list[dict]):
    claims, hyps, hrefs, focus_code, cluster = [], [], {}, "331000", None
    for r in rows:
        for c in r.get("claims") or []:
            claims.append(c)
            hrefs.setdefault(c.get("claim"), r.get("html") or r.get("ipynb") or "")
        hyps += list(r.get("hypotheses") or [])
        if r.get("claims") and city_of(r):
            focus_code = city_of(r)
        if r.get("claims") and (r.get("parameters") or {}).get("cluster"):
            cluster = str(r["parameters"]["cluster"])
    return claims, hyps, hrefs, focus_code, cluster


def _write_pair(run_dir: Path, rows: list[dict], run_id: str, census: list[dict],
                names: tuple[str, str]) -> tuple[list[Path], dict]:
    claims, hyps, hrefs, focus_code, cluster = _collect(rows)
    focus, key = _focus(focus_code)
    yuhuan = key in YUHUAN_UNITS  # Yuhuan's census facts belong in 台州's (Yuhuan's) brief only
    out = []
    for lang, name, other in (("zh", names[0], names[1]), ("en", names[1], names[0])):
        page = brief_html(claims, hyps, lang=lang, run_id=run_id, focus=focus[lang],
                          facts=yuhuan_facts(census, lang=lang) if yuhuan else [], hrefs=hrefs,
                          other=other, cluster=cluster)
        (run_dir / name).write_text(page, encoding="utf-8")
        out.append(run_dir / name)
    summary = {"focus": focus, "cluster": cluster_names(cluster), "files": names,
               "bottom": {lang: bottom_line(claims, hyps, lang, focus[lang], cluster)
                          for lang in ("zh", "en")}}
    return out, summary


def _chooser(summaries: list[dict], lang: str, run_id: str, other: str) -> str:
    e = html.escape
    zh = lang == "zh"
    k = 0 if zh else 1
    items = []
    for s in summaries:
        name = s["focus"][lang]
        cl = s["cluster"]["cz" if zh else "ce"]
        items.append(f'<li><a href="{e(s["files"][k])}"><b>{e(name)}</b> · {e(cl)}</a>'
                     f'<p class="b-bottom">{e(s["bottom"][lang])}</p></li>')
    title = CHOOSER["title"][k]
    return (f'<!DOCTYPE html><html lang="{"zh-CN" if zh else "en"}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{e(title)}</title><style>{CSS}</style></head><body><h1>{e(title)}</h1>"
            f'<p class="b-sub">{e(CHOOSER["sub"][k].format(run=run_id, n=len(summaries)))}'
            f' · <a href="{e(other)}">{"English" if zh else "中文"}</a>'
            f' · <a href="glossary.html">{"术语表" if zh else "Glossary"}</a></p>'
            f'<ol class="b-list">{"".join(items)}</ol></body></html>')


def write_brief(run_dir: Path, rows: list[dict], run_id: str = "") -> list[Path]:
    """Write the glossary and the brief pages into the run folder from the job rows (their claim
    and evidence records; the county facts from the profile's exported census table): one
    brief for a run about one focus city, else one per city and a page listing them."""
    (run_dir / "glossary.html").write_text(vocab.glossary_html(), encoding="utf-8")
    out = [run_dir / "glossary.html"]
    by_city: dict[str, list[dict]] = {}
    for r in rows:
        by_city.setdefault(city_of(r), []).append(r)
    with_claims = [c for c, rs in by_city.items() if any(r.get("claims") for r in rs)]
    if not with_claims:
        return out
    census = _census_rows(run_dir)
    if len(with_claims) == 1:
        return out + _write_pair(run_dir, rows, run_id, census, ("brief.html", "brief_en.html"))[0]
    summaries = []
    for c in with_claims:
        _, key = _focus(c) if c != ALL else ({}, "all")
        files, summary = _write_pair(run_dir, by_city[c] + (by_city.get(ALL, []) if c != ALL else []),
                                     run_id, census, (f"brief_{key}.html", f"brief_en_{key}.html"))
        out += files
        summaries.append(summary)
    for lang, name, other in (("zh", "brief.html", "brief_en.html"),
                              ("en", "brief_en.html", "brief.html")):
        (run_dir / name).write_text(_chooser(summaries, lang, run_id, other), encoding="utf-8")
        out.append(run_dir / name)
    return out
