"""The claims scorecard: every claim notebook's evidence of one run in one table and one figure.

The runner executes ``scorecard*.ipynb`` after all other jobs, with ``YRD_RUN_DIR`` = the run's
folder. There it finds

* ``jobs.json`` — written by the runner (``yrdlib/runner/run.py``) before the ``last`` notebooks
  start and after every finished job: job id, notebook, status (ok / failed / pending), error;
  after the run, ``manifest.json`` carries the same statuses;
* ``notebooks/<job>.ipynb`` — the executed notebooks, from which the evidence records
  (``application/vnd.yrd.evidence+json``) are read with :func:`yrdlib.evidence.evidences_from_notebook`;
* ``<job>.html`` — the reports, linked from the scorecard.

A claim notebook that failed, recorded no evidence, or was not run is **flagged** (``problems``),
never silently dropped.

The claims, their titles and their core tests come from the claim registry
(``yrdlib/claims/registry/*.yml``). A claim's verdict comes from :func:`yrdlib.evidence.claim_verdict`
(the rule is stated once there) applied to the records with the registry's core tests; a notebook
that judged its focus city outside the claim's scope (not applicable) is taken at its word.
Descriptions and not-applicable records are shown as such and never counted as tests. Every
verdict name and colour comes from :mod:`yrdlib.vocab`.
"""

from __future__ import annotations

import functools
import html
import json
import math
import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from yrdlib import config, vocab
from yrdlib import evidence as ev
from yrdlib.claims import registry
from yrdlib.report.tables import format_p


def expected_notebooks() -> dict[str, str]:
    """claim notebook stem -> claim id, from the registry; a missing or failed one is flagged."""
    return {c.notebook: c.id for c in registry.claims().values()}


def claim_title(cid: str) -> tuple[str, str]:
    """(zh, en) title of a claim from the registry (the id for an unknown claim)."""
    try:
        c = registry.claim(cid)
    except KeyError:
        return cid, cid
    return c.title_zh, c.title_en


def claim_core(cid: str) -> tuple[str, ...] | None:
    """The claim's core test ids from the registry (None for a claim the registry does not know:
    the claim rule then treats every test as core)."""
    try:
        return registry.claim(cid).core
    except KeyError:
        return None


EXPECTED: dict[str, str] = expected_notebooks()
PROBLEM_TEXT = {
    "failed": ("笔记本运行失败", "notebook failed"),
    "no evidence": ("没有记录任何证据", "recorded no evidence"),
    "not run": ("本次运行中没有该笔记本", "not run in this run"),
}
FLAG_COLOUR = "#b71c1c"
STATUS_FILES = ("jobs.json", "manifest.json")


def _stem(job_id: str, notebook: str | None = None) -> str:
    if notebook:
        return Path(notebook).stem
    return job_id.split("__", 1)[0]


def is_scorecard(name: str) -> bool:
    return Path(name).stem.startswith("scorecard")


def locate_run(run_dir: str | os.PathLike | None = None, environ=None) -> tuple[Path | None, str]:
    """The run folder to summarise and how it was found: an explicit path, ``$YRD_RUN_DIR`` (set by
    the runner), else ``reports/latest`` (interactive use). Returns ``(path or None, source)``
    with source one of ``"explicit"``, ``"YRD_RUN_DIR"``, ``"reports/latest"``, ``"none"``."""
    environ = os.environ if environ is None else environ
    if run_dir:
        return Path(run_dir), "explicit"
    env = environ.get("YRD_RUN_DIR")
    if env:
        return Path(env), "YRD_RUN_DIR"

    latest = config.REPORTS / "latest"
    if latest.exists():
        return latest.resolve(), "reports/latest"
    return None, "none"


def job_statuses(run_dir: Path) -> tuple[dict[str, dict], str | None]:
    """``{job_id: {status, notebook, error, html, ipynb}}`` from ``jobs.json`` (during the run)
    or ``manifest.json`` (after it), and which file was used (None: no status file)."""
    for name in STATUS_FILES:
        p = run_dir / name
        if not p.is_file():
            continue
        try:
            data = json.loads(p.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        rows = data.get("jobs", []) if isinstance(data, dict) else data
        out = {}
        for r in rows or []:
            jid = r.get("id") or r.get("job_id")
            if jid:
                out[jid] = {k: r.get(k) for k in ("status", "notebook", "error", "html", "ipynb")}
        return out, name
    return {}, None


@dataclass
class Scorecard:
    run_dir: Path | None
    source: str
    status_file: str | None
    jobs: pd.DataFrame
    evidence: pd.DataFrame
    claims: pd.DataFrame
    problems: pd.DataFrame
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.problems.empty


EVIDENCE_COLS = ["job_id", "notebook", "claim", "hypothesis", "title_zh", "title_en", "verdict",
                 "role", "core", "label_zh", "label_en", "estimate", "ci_low", "ci_high", "p_value",
                 "n", "kind", "null_value", "expected", "unit", "method", "reason_zh", "reason_en",
                 "missing_data", "lean", "mde", "finding_zh", "finding_en", "provisional",
                 "user_data_sources", "href"]
TEST_COUNTS = list(vocab.TEST_VERDICTS)  # supported, contradicted, inconclusive, not testable
CLAIM_COLS = ["claim", "job_id", "notebook", "title_zh", "title_en", "verdict", "reason_zh",
              "reason_en", "core", "core_verdicts", "supportable", "note_zh", "note_en",
              "n_hypotheses", "n_tests", "n_peripheral", *TEST_COUNTS, "descriptions",
              vocab.NOT_APPLICABLE, "provisional", "flag", "href"]
PROBLEM_COLS = ["notebook", "job_id", "claim", "problem", "problem_zh", "problem_en", "detail",
                "href"]


def claim_reason(records: list[dict], claim_id: str,
                 notebook_claim: dict | None = None) -> dict:
    """The claim row's verdict and explanation from its hypothesis records (dicts with
    hypothesis, verdict, role): :func:`yrdlib.evidence.claim_verdict` with the registry's core
    tests. ``notebook_claim``: the claim record the notebook displayed; when it says "not
    applicable" (the focus city is outside the claim's scope) that verdict and reason stand.

    Returns verdict, reason_zh/en, core (ids), core_verdicts ({id: verdict}, a core test without
    a record counted as not testable), supportable (False when a core test is not testable or the
    claim has no test), note_zh/en (why the verdict is what it is, in a word) and the counts:
    tests by verdict, descriptions and not-applicable records (never counted as tests)."""
    recs = [dict(r) for r in records]
    core = claim_core(claim_id)
    if notebook_claim and notebook_claim.get("verdict") == vocab.NOT_APPLICABLE:
        v, en, zh = (vocab.NOT_APPLICABLE, notebook_claim.get("reason_en", ""),
                     notebook_claim.get("reason_zh", ""))
    else:
        v, en, zh = ev.claim_verdict(recs, core=core)
    role = {r["hypothesis"]: r.get("role") or "test" for r in recs}
    verdict = {r["hypothesis"]: r["verdict"] for r in recs}
    tests = [h for h in verdict if role[h] == "test" and verdict[h] != vocab.NOT_APPLICABLE]
    core_ids = list(core) if core else tests  # no declared core: every test is core (the rule)
    core_v = {h: verdict.get(h, vocab.NOT_TESTABLE) for h in core_ids}
    missing = [h for h, x in core_v.items() if x == vocab.NOT_TESTABLE]
    supportable = bool(core_v) and not missing
    if v == vocab.DESCRIBED:
        note = ("诊断：只有描述，不给结论", "a diagnosis: descriptions only, no verdict")
    elif v == vocab.NOT_APPLICABLE:
        note = ("焦点城市不在论断范围内", "focus city outside the claim's scope")
    elif missing:
        note = (f"核心检验 {'、'.join(missing)} {vocab.VERDICT_ZH[vocab.NOT_TESTABLE]}："
                f"论断不能被判为{vocab.VERDICT_ZH[vocab.SUPPORTED]}",
                f"core test(s) {', '.join(missing)} not testable: the claim cannot be supported")
    else:
        note = ("", "")
    counts = {k: sum(1 for h in tests if verdict[h] == k) for k in TEST_COUNTS}
    return {"verdict": v, "reason_zh": zh, "reason_en": en, "core": core_ids,
            "core_verdicts": core_v, "supportable": supportable, "note_zh": note[0],
            "note_en": note[1], "n_hypotheses": len(recs), "n_tests": len(tests),
            "n_peripheral": sum(1 for h in tests if h not in core_v), **counts,
            "descriptions": sum(1 for h in verdict if role[h] == "description"
                                and verdict[h] != vocab.NOT_APPLICABLE),
            vocab.NOT_APPLICABLE: sum(1 for x in verdict.values() if x == vocab.NOT_APPLICABLE)}


def _claim_sort_key(c: str) -> tuple:
    order = list(registry.claims())
    return (order.index(c) if c in order else len(order), c)


def gather(run_dir: str | os.PathLike | None = None, expected: dict[str, str] | None = None,
           environ=None) -> Scorecard:
    """Collect the evidence, claim verdicts and problems of one run (see the module docstring)."""
    expected = EXPECTED if expected is None else expected
    path, source = locate_run(run_dir, environ)
    notes: list[str] = []
    statuses, status_file = ({}, None)
    nb_files: dict[str, Path] = {}
    if path is not None and path.is_dir():
        statuses, status_file = job_statuses(path)
        nb_files = {p.stem: p for p in sorted((path / "notebooks").glob("*.ipynb"))}
        if status_file is None:
            notes.append("no jobs.json/manifest.json in the run folder: job statuses unknown, "
                         "judged from the executed notebooks only")
    elif path is not None:
        notes.append(f"run folder {path} does not exist")
        path = None

    job_ids = sorted(set(statuses) | set(nb_files))
    jobs, evid, probs = [], [], []
    nb_claims: dict[tuple[str, str], dict] = {}
    for jid in job_ids:
        st = statuses.get(jid, {})
        notebook = st.get("notebook") or f"{_stem(jid)}.ipynb"
        if is_scorecard(notebook):
            continue
        stem = _stem(jid, notebook)
        status = st.get("status") or ("unknown" if jid in nb_files else "missing")
        href = st.get("html") or (f"{jid}.html" if path and (path / f"{jid}.html").is_file()
                                  else st.get("ipynb") or f"notebooks/{jid}.ipynb")
        recs: list[dict] = []
        if jid in nb_files:
            try:
                recs = ev.evidences_from_notebook(nb_files[jid])
                for c in ev.claims_from_notebook(nb_files[jid]):
                    if c.get("claim"):
                        nb_claims[(c["claim"], jid)] = c
            except Exception as e:  # noqa: BLE001 - an unreadable notebook is flagged, not a crash
                status = "failed"
                st = dict(st, error=f"cannot read executed notebook: {type(e).__name__}: {e}")
        claim_id = expected.get(stem)
        for r in recs:
            row = {c: r.get(c) for c in EVIDENCE_COLS}
            row.update(job_id=jid, notebook=stem, href=href)
            row["claim"] = row["claim"] or claim_id or stem
            if not r.get("verdict"):
                e = ev.Evidence.from_dict(r)
                row.update(verdict=e.verdict, label_zh=e.label_zh, label_en=e.label_en)
            row["role"] = r.get("role") or "test"
            # a record resting on unverified user figures (data/user/): provisional, with sources
            row["provisional"] = bool(r.get("provisional") or r.get("user_data"))
            row["user_data_sources"] = ev.user_data_text(r.get("user_data"))
            row["core"] = row["hypothesis"] in (claim_core(row["claim"]) or ())
            evid.append(row)
        pending = status in ("pending", "running")
        problem = None
        if status == "failed" or pending:
            problem = "failed"
        elif not recs and claim_id:
            problem = "no evidence"
        if problem:
            detail = st.get("error") or ""
            if pending:
                detail = "job had not finished when the scorecard ran"
            if problem == "failed" and recs:
                detail += f" (partial: {len(recs)} evidence record(s) before the failure)"
            probs.append({"notebook": stem, "job_id": jid, "claim": claim_id or "", "problem": problem,
                          "problem_zh": PROBLEM_TEXT[problem][0], "problem_en": PROBLEM_TEXT[problem][1],
                          "detail": detail.strip(), "href": href})
        jobs.append({"job_id": jid, "notebook": stem, "claim": claim_id or "", "status": status,
                     "n_evidence": len(recs), "error": st.get("error"), "href": href,
                     "kind": "claim" if (claim_id or recs) else "descriptive"})
    seen_stems = {j["notebook"] for j in jobs}
    for stem, cid in expected.items():
        if stem not in seen_stems:
            probs.append({"notebook": stem, "job_id": "", "claim": cid, "problem": "not run",
                          "problem_zh": PROBLEM_TEXT["not run"][0],
                          "problem_en": PROBLEM_TEXT["not run"][1],
                          "detail": f"notebooks/{stem}.ipynb produced no job in this run",
                          "href": ""})

    evidence_df = pd.DataFrame(evid, columns=EVIDENCE_COLS)
    failed_jobs = {p["job_id"] for p in probs if p["problem"] == "failed"}
    claims = []
    for (cid, jid), g in evidence_df.groupby(["claim", "job_id"], sort=False):
        why = claim_reason(g[["hypothesis", "verdict", "role", "finding_zh", "finding_en"]]
                           .to_dict("records"), cid,
                           nb_claims.get((cid, jid)))
        rec = nb_claims.get((cid, jid)) or {}
        tzh, ten = claim_title(cid)  # the notebook's own title (another cluster's) when it gave one
        tzh, ten = rec.get("title_zh") or tzh, rec.get("title_en") or ten
        claims.append({"claim": cid, "job_id": jid, "notebook": g["notebook"].iloc[0],
                       "title_zh": tzh, "title_en": ten, **why,
                       "provisional": bool((g["provisional"].fillna(False).astype(bool)
                                            & (g["role"] == "test")).any()),
                       "flag": "failed" if jid in failed_jobs else "", "href": g["href"].iloc[0]})
    claims_df = pd.DataFrame(claims, columns=CLAIM_COLS)
    if not claims_df.empty:
        claims_df = claims_df.sort_values(
            ["claim", "job_id"], key=lambda s: s.map(_claim_sort_key) if s.name == "claim" else s,
        ).reset_index(drop=True)
    if not evidence_df.empty:
        evidence_df = evidence_df.sort_values(
            ["claim", "job_id", "hypothesis"],
            key=lambda s: s.map(_claim_sort_key) if s.name == "claim" else s,
        ).reset_index(drop=True)
    probs_df = pd.DataFrame(probs, columns=PROBLEM_COLS)
    return Scorecard(path, source, status_file, pd.DataFrame(jobs), evidence_df, claims_df,
                     probs_df, notes)


# ----------------------------------------------------------------------------- display

def _fmt(x, digits: int = 3) -> str:
    try:
        f = float(x)
    except (TypeError, ValueError):
        return "—"
    if not math.isfinite(f):
        return "—"
    s = f"{f:.{digits}g}"
    if "e" in s:  # never e-notation for a reader: 0.0000593, 1,240,000
        s = (f"{f:,.0f}" if abs(f) >= 1 else
             f"{f:.{digits - 1 - math.floor(math.log10(abs(f)))}f}")
    return s


def estimate_text(row) -> str:
    est = _fmt(row.get("estimate"))
    if est == "—":
        return "—"
    if row.get("kind") == "fact":
        return est
    lo, hi = _fmt(row.get("ci_low")), _fmt(row.get("ci_high"))
    return f"{est} [{lo}, {hi}]" if lo != "—" and hi != "—" else est


def _badge(verdict: str, lang: str = "both", prefix: str = "") -> str:
    col = vocab.COLOURS.get(verdict, vocab.COLOURS[vocab.NOT_TESTABLE])
    text = vocab.verdict_label(verdict, lang) if verdict in vocab.VERDICT_ZH else verdict
    return (f'<span style="background:{col};color:#fff;border-radius:3px;padding:1px 6px;'
            f'white-space:nowrap">{html.escape(prefix + text)}</span>')


def _link(href: str, text: str) -> str:
    if not href:
        return html.escape(text)
    return f'<a href="{html.escape(href)}">{html.escape(text)}</a>'


def _both(zh: str, en: str, lang: str) -> str:
    """HTML-escaped bilingual text through THE label helper (:func:`yrdlib.vocab.label`)."""
    zh, en = html.escape(str(zh or "")), html.escape(str(en or ""))
    if zh == en:
        return zh
    return vocab.label(zh, f"<span style='color:#555'>{en}</span>" if en else "", lang,
                       sep="<br>")


_TABLE = ('<table style="border-collapse:collapse;font-size:92%;width:100%">'
          '<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>')
_TH = '<th style="text-align:left;border-bottom:2px solid #444;padding:4px 6px">{}</th>'
_TD = ('<td style="text-align:left;border-bottom:1px solid #ddd;padding:4px 6px;'
       'vertical-align:top">{}</td>')


def _table(head: list[str], rows: list[list[str]]) -> str:
    return _TABLE.format(head="".join(_TH.format(h) for h in head),
                         body="".join("<tr>" + "".join(_TD.format(c) for c in r) + "</tr>"
                                      for r in rows))


def _others(r, lang: str) -> str:
    """What else the claim recorded: peripheral tests, descriptions and not-applicable records."""
    parts = []
    peri = int(r["n_peripheral"])
    if peri:
        parts.append(_both(f"外围检验 {peri} 项（不决定结论）",
                           f"{peri} peripheral test(s) (do not decide the verdict)", lang))
    if r["descriptions"]:
        parts.append(_badge(vocab.DESCRIBED, lang, f"{r['descriptions']} × "))
    if r[vocab.NOT_APPLICABLE]:
        parts.append(_badge(vocab.NOT_APPLICABLE, lang, f"{r[vocab.NOT_APPLICABLE]} × "))
    return " ".join(parts)


SOURCE_TEXT = {
    "YRD_RUN_DIR": ("本次运行", "this run (`$YRD_RUN_DIR`)"),
    "reports/latest": ("**交互模式：没有 `$YRD_RUN_DIR`，改用最近一次完整运行 `reports/latest`**",
                       "interactive: no `$YRD_RUN_DIR`, falling back to the latest complete run"),
    "explicit": ("指定的文件夹", "the folder given in `run_dir`"),
    "none": ("**没有可汇总的运行**", "**no run to summarise** (no `$YRD_RUN_DIR`, no `reports/latest`)"),
}


def source_markdown(sc: Scorecard, lang: str = "both") -> str:
    """Where the scorecard's run came from, what it holds and how many notebooks are flagged."""
    where = vocab.label(*SOURCE_TEXT[sc.source], lang, sep=" / ")
    run = sc.run_dir.name.removeprefix(".tmp-") if sc.run_dir else ""
    n_ok = int((sc.jobs["status"] == "ok").sum()) if len(sc.jobs) else 0
    return (f"**来源 Source:** {where} — run `{run}`; job statuses from "
            f"`{sc.status_file or 'none'}`; {len(sc.jobs)} other notebooks ({n_ok} ok), "
            f"{len(sc.evidence)} hypothesis records, {len(sc.claims)} claim verdicts, "
            f"**{len(sc.problems)} flagged**." + "".join(f"\n\n> {n}" for n in sc.notes))


def rule_markdown(lang: str = "both") -> str:
    """The claim rule, stated once in :mod:`yrdlib.evidence`, for the page."""
    return f"<small>{vocab.label(ev.CLAIM_RULE_ZH, ev.CLAIM_RULE_EN, lang, sep='<br>')}</small>"


def other_reports_html(sc: Scorecard) -> str:
    """Every other job of the run with its status and number of records, linked."""
    if not len(sc.jobs):
        return "<ul><li>none</li></ul>"
    items = "".join(f"<li>{_link(j.href, j.job_id)} — {html.escape(str(j.status))}, "
                    f"{j.n_evidence} evidence records</li>" for j in sc.jobs.itertuples())
    return f"<ul>{items}</ul>"


USER_BADGE_ZH, USER_BADGE_EN = ev.USER_BADGE_ZH, ev.USER_BADGE_EN


def provisional_html(r, lang: str = "both") -> str:
    """'暂定 / provisional' under a verdict that rests on unverified user data (data/user/)."""
    if not bool(r.get("provisional") or False):
        return ""
    return (f"<div style='font-size:90%;color:#7a4500;font-weight:bold'>"
            f"{_both('暂定：依据未经核实的用户数据', 'provisional: rests on unverified user data', lang)}"
            "</div>")


def claims_html(sc: Scorecard, lang: str = "both") -> str:
    """One row per claim (and job): verdict badge, the core tests with their verdicts, why the
    verdict follows (the claim rule's reason), the other records (peripheral tests, descriptions,
    not applicable: never counted as tests), report link; flagged notebooks (failed, no evidence,
    not run) as red rows."""
    rows = []
    for _, r in sc.claims.iterrows():
        flag = (f'<div style="color:{FLAG_COLOUR};font-weight:bold">⚠ 笔记本运行失败，结论不完整 / '
                "notebook failed, verdict incomplete</div>") if r["flag"] else ""
        note = (f"<div style='font-size:90%;font-weight:bold'>"
                f"{_both(r['note_zh'], r['note_en'], lang)}</div>") if r["note_en"] else ""
        core = " ".join(_badge(v, lang, f"{h} ") for h, v in r["core_verdicts"].items()) or \
            _both("无核心检验", "no core test", lang)
        rows.append([f"<b>{html.escape(r['claim'])}</b> " + _both(r["title_zh"], r["title_en"], lang),
                     _badge(r["verdict"], lang) + flag + note + provisional_html(r, lang), core,
                     _both(r["reason_zh"], r["reason_en"], lang), _others(r, lang),
                     _link(r["href"], r["job_id"])])
    for _, p in sc.problems.iterrows():
        if p["problem"] == "failed" and (sc.claims["job_id"] == p["job_id"]).any():
            continue  # already flagged on its claim row
        title = claim_title(p["claim"]) if p["claim"] else (p["notebook"], p["notebook"])
        rows.append([f"<b>{html.escape(p['claim'] or p['notebook'])}</b> " + _both(*title, lang),
                     f'<span style="color:{FLAG_COLOUR};font-weight:bold">⚠ '
                     f"{_both(p['problem_zh'], p['problem_en'], lang)}</span>", "",
                     html.escape(p["detail"] or ""), "",
                     _link(p["href"], p["job_id"] or p["notebook"])])
    head = ["论断 Claim", "结论 Verdict", "核心检验 Core tests", "为何如此 Why", "其他记录 Other records",
            "报告 Report"]
    return _table(head, rows)


def hypotheses_html(sc: Scorecard, lang: str = "both") -> str:
    rows = []
    for _, r in sc.evidence.iterrows():
        label = (f"<div style='font-size:90%'>{_both(r['label_zh'], r['label_en'], lang)}</div>"
                 if r.get("label_en") else "")
        core = " <small>[核心 core]</small>" if r.get("core") else ""
        user = (f"<div style='font-size:90%'>{_both(USER_BADGE_ZH, USER_BADGE_EN, lang)}: "
                f"{html.escape(str(r['user_data_sources']))}</div>"
                if r.get("user_data_sources") else "")
        rows.append([f"<b>{html.escape(str(r['hypothesis']))}</b>{core}",
                     _both(r["title_zh"], r["title_en"], lang),
                     _badge(r["verdict"], lang) + label + provisional_html(r, lang) + user,
                     html.escape(estimate_text(r)) + (f" <small>{html.escape(str(r['unit']))}</small>"
                                                      if r.get("unit") else ""),
                     format_p(r["p_value"]), _fmt(r["n"], 6),
                     _link(r["href"], r["job_id"])])
    head = ["假设 Hypothesis", "内容 What", "结论 Verdict", "估计 [95% CI] Estimate", "p", "n",
            "报告 Report"]
    return _table(head, rows)


def problems_html(sc: Scorecard, lang: str = "both") -> str:
    if sc.problems.empty:
        return ("<p style='color:#2e7d32'>所有预期的论断笔记本均已运行并记录了证据。 / "
                "Every expected claim notebook ran and recorded evidence.</p>")
    rows = [[_link(p["href"], p["job_id"] or p["notebook"]), html.escape(p["claim"]),
             f'<span style="color:{FLAG_COLOUR};font-weight:bold">'
             f"{_both(p['problem_zh'], p['problem_en'], lang)}</span>",
             f"<code>{html.escape(p['detail'] or '')}</code>"]
            for _, p in sc.problems.iterrows()]
    return _table(["笔记本 Notebook", "论断 Claim", "问题 Problem", "详情 Detail"], rows)


def plot_matrix(sc: Scorecard, ax=None, lang: str = "both", title: bool = False):
    """Verdict matrix: one row per claim (and job), one coloured cell per hypothesis with its id
    and estimate; flagged notebooks as hatched red rows. Returns the axis."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch, Rectangle

    bil = functools.partial(vocab.label, lang=lang, sep=" ")

    rows: list[tuple[str, list[dict], str | None]] = []
    for _, c in sc.claims.iterrows():
        hyps = sc.evidence[(sc.evidence["claim"] == c["claim"]) & (sc.evidence["job_id"] == c["job_id"])]
        label = f"{c['claim']} · {vocab.verdict_label(c['verdict'], lang).replace(' / ', ' ')}"
        if sc.claims["claim"].duplicated(keep=False)[_]:
            label += f"\n({c['job_id']})"
        rows.append((label, hyps.to_dict("records"), "failed" if c["flag"] else None))
    for _, p in sc.problems.iterrows():
        if p["problem"] == "failed" and (sc.claims["job_id"] == p["job_id"]).any():
            continue
        rows.append((f"{p['claim'] or p['notebook']}", [], p["problem"]))
    ncol = max([len(h) for _, h, _ in rows] + [1])
    if ax is None:
        _, ax = plt.subplots(figsize=(min(2.0 + 1.25 * ncol, 13), 0.75 + 0.62 * max(len(rows), 1)))
    for i, (_label, hyps, flag) in enumerate(rows):
        y = len(rows) - 1 - i
        for j, h in enumerate(hyps):
            col = vocab.COLOURS.get(h["verdict"], vocab.COLOURS[vocab.NOT_TESTABLE])
            ax.add_patch(Rectangle((j + 0.04, y + 0.06), 0.92, 0.88, facecolor=col, alpha=0.9,
                                   edgecolor="black" if h.get("core") else col,
                                   linewidth=2.5 if h.get("core") else 0))
            hid = str(h["hypothesis"]) + (" ★" if h.get("core") else "")
            est = (str(h.get("label_en") or "") if h.get("role") == "description"
                   else estimate_text(h))
            ax.text(j + 0.5, y + 0.62, hid, ha="center", va="center", color="white",
                    fontsize=8)
            ax.text(j + 0.5, y + 0.3, est if len(est) <= 22 else est.split(" [")[0],
                    ha="center", va="center", color="white", fontsize=6)
        if flag and not hyps:
            zh, en = PROBLEM_TEXT[flag]
            ax.add_patch(Rectangle((0.04, y + 0.06), ncol - 0.08, 0.88, facecolor="#fdecea",
                                   edgecolor=FLAG_COLOUR, hatch="//", linewidth=1.5))
            ax.text(ncol / 2, y + 0.5, "⚠ " + bil(zh, en), ha="center", va="center",
                    color=FLAG_COLOUR, fontsize=9)
        elif flag:
            ax.add_patch(Rectangle((0, y), ncol, 1, fill=False, edgecolor=FLAG_COLOUR,
                                   linewidth=2, linestyle="--"))
    ax.set_xlim(0, ncol)
    ax.set_ylim(0, max(len(rows), 1))
    ax.set_yticks([len(rows) - 1 - i + 0.5 for i in range(len(rows))])
    ax.set_yticklabels([r[0] for r in rows], fontsize=8)
    ax.set_xticks([])
    for s in ("top", "right", "bottom", "left"):
        ax.spines[s].set_visible(False)
    ax.tick_params(left=False)
    handles = [Patch(color=vocab.COLOURS[v], label=vocab.verdict_label(v, lang).replace(" / ", " "))
               for v in vocab.VERDICTS]
    handles.append(Patch(facecolor="white", edgecolor="black", linewidth=2.5,
                         label=bil("★ 核心检验（决定结论）", "★ core test (decides the verdict)")))
    handles.append(Patch(facecolor="#fdecea", edgecolor=FLAG_COLOUR, hatch="//",
                         label=bil("笔记本失败/无证据", "notebook failed / no evidence")))
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.02), ncol=3,
              fontsize=7, frameon=False)
    if not rows:
        ax.text(0.5, 0.5, bil("没有证据", "no evidence"), ha="center", va="center",
                transform=ax.transAxes)
    if title:
        ax.set_title(vocab.label("各论断的假设与结论（★ 核心检验；格内：估计值 [95% 区间] 或描述标签）",
                                 "Hypotheses and verdicts by claim (★ core test; cell: estimate "
                                 "[95% CI] or descriptive label)", lang),
                     loc="left", fontsize=10)
    return ax


def markdown_table(sc: Scorecard) -> str:
    """Claims as a Markdown table (claim, verdict, reason zh/en, hypothesis counts), flagged
    notebooks included."""
    def cell(s: str) -> str:
        return str(s or "").replace("|", "\\|").replace("\n", " ")

    lines = ["| 论断 Claim | 结论 Verdict | 核心检验 Core tests | 理由 Reason | "
             "检验 Tests (✓/✗/?/–) · 描述 Descriptions |", "|---|---|---|---|---|"]
    multi = sc.claims["claim"].duplicated(keep=False) if not sc.claims.empty else []
    for i, r in sc.claims.iterrows():
        who = f" ({r['job_id']})" if len(multi) and multi[i] else ""
        flag = " ⚠ notebook failed" if r["flag"] else ""
        core = ", ".join(f"{h} {vocab.VERDICT_SYMBOL[v]}" for h, v in r["core_verdicts"].items())
        desc = f" · {r['descriptions']} {vocab.verdict_label(vocab.DESCRIBED)}" \
            if r["descriptions"] else ""
        lines.append(
            f"| **{cell(r['claim'])}** {cell(r['title_zh'])} / {cell(r['title_en'])}{cell(who)} "
            f"| {vocab.verdict_label(r['verdict'])}{flag} | {cell(core) or '—'} "
            f"| {cell(r['reason_zh'])}<br>{cell(r['reason_en'])} "
            f"| {r['n_tests']} ({'/'.join(str(r[k]) for k in TEST_COUNTS)}){desc} |")
    for _, p in sc.problems.iterrows():
        if p["problem"] == "failed" and (sc.claims["job_id"] == p["job_id"]).any():
            continue
        zh, en = claim_title(p["claim"]) if p["claim"] else (p["notebook"], p["notebook"])
        lines.append(f"| **{cell(p['claim'] or p['notebook'])}** {cell(zh)} / {cell(en)} "
                     f"| ⚠ {p['problem_zh']} / {p['problem_en']} | — | {cell(p['detail'])} | 0 |")
    return "\n".join(lines)
