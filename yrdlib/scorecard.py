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
never silently dropped. Claim verdicts come from :func:`yrdlib.evidence.claim_verdict` (the rule
is stated once there); this module only explains which branch of the rule applied.
"""

from __future__ import annotations

import html
import json
import math
import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from yrdlib import evidence as ev

# claim notebook stem -> claim id; a missing or failed one is flagged
EXPECTED: dict[str, str] = {
    "s1_opening": "S1",
    "s2_city_tier": "S2",
    "s3_bay_area": "S3",
    "s4_industry": "S4",
    "p_paths": "P",
}
CLAIM_TITLES: dict[str, tuple[str, str]] = {
    "S1": ("提高对外开放层次", "Opening-up"),
    "S2": ("促进城市能级裂变攀升", "City tier"),
    "S3": ("注入湾区建设新内涵", "Bay area"),
    "S4": ("推动产业创新和培育再造", "Industry and innovation"),
    "P": ("融入长三角的七条路径", "The seven paths"),
}
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
    from yrdlib import config

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
                 "estimate", "ci_low", "ci_high", "p_value", "n", "kind", "null_value", "expected",
                 "unit", "method", "reason_zh", "reason_en", "missing_data", "href"]
CLAIM_COLS = ["claim", "job_id", "notebook", "title_zh", "title_en", "verdict", "reason_zh",
              "reason_en", "n_hypotheses", "supported", "contradicted", "inconclusive",
              "not testable", "flag", "href"]
PROBLEM_COLS = ["notebook", "job_id", "claim", "problem", "problem_zh", "problem_en", "detail",
                "href"]


def claim_reason(verdicts: list[str]) -> tuple[str, str, str]:
    """(verdict, reason_zh, reason_en) of a claim from its hypotheses' verdicts, by the one rule
    in :func:`yrdlib.evidence.claim_verdict`."""
    v, en, zh = ev.claim_verdict([{"verdict": x} for x in verdicts])
    return v, zh, en


def _claim_sort_key(c: str) -> tuple:
    order = list(CLAIM_TITLES)
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
    claim_titles: dict[tuple[str, str], tuple[str, str]] = {}
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
                        claim_titles[(c["claim"], jid)] = (c.get("title_zh", ""), c.get("title_en", ""))
            except Exception as e:  # noqa: BLE001 - an unreadable notebook is flagged, not a crash
                status = "failed"
                st = dict(st, error=f"cannot read executed notebook: {type(e).__name__}: {e}")
        claim_id = expected.get(stem)
        for r in recs:
            row = {c: r.get(c) for c in EVIDENCE_COLS}
            row.update(job_id=jid, notebook=stem, href=href)
            row["claim"] = row["claim"] or claim_id or stem
            row["verdict"] = r.get("verdict") or ev.Evidence.from_dict(r).verdict
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
        vs = [str(v) for v in g["verdict"]]
        v, rzh, ren = claim_reason(vs)
        tzh, ten = claim_titles.get((cid, jid)) or CLAIM_TITLES.get(cid, (cid, cid))
        claims.append({"claim": cid, "job_id": jid, "notebook": g["notebook"].iloc[0],
                       "title_zh": tzh, "title_en": ten, "verdict": v, "reason_zh": rzh,
                       "reason_en": ren, "n_hypotheses": len(vs),
                       **{k: vs.count(k) for k in ev.VERDICTS},
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
    return f"{f:.{digits}g}"


def estimate_text(row) -> str:
    est = _fmt(row.get("estimate"))
    if est == "—":
        return "—"
    if row.get("kind") == "fact":
        return est
    lo, hi = _fmt(row.get("ci_low")), _fmt(row.get("ci_high"))
    return f"{est} [{lo}, {hi}]" if lo != "—" and hi != "—" else est


def _badge(verdict: str) -> str:
    col = ev.COLOURS.get(verdict, "#616161")
    zh = ev.VERDICT_ZH.get(verdict, verdict)
    return (f'<span style="background:{col};color:#fff;border-radius:3px;padding:1px 6px;'
            f'white-space:nowrap">{html.escape(zh)} · {html.escape(verdict)}</span>')


def _link(href: str, text: str) -> str:
    if not href:
        return html.escape(text)
    return f'<a href="{html.escape(href)}">{html.escape(text)}</a>'


def _both(zh: str, en: str, lang: str) -> str:
    zh, en = html.escape(str(zh or "")), html.escape(str(en or ""))
    if lang == "zh":
        return zh
    if lang == "en":
        return en
    return f"{zh}<br><span style='color:#555'>{en}</span>" if zh != en else zh


_TABLE = ('<table style="border-collapse:collapse;font-size:92%;width:100%">'
          '<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>')
_TH = '<th style="text-align:left;border-bottom:2px solid #444;padding:4px 6px">{}</th>'
_TD = ('<td style="text-align:left;border-bottom:1px solid #ddd;padding:4px 6px;'
       'vertical-align:top">{}</td>')


def _table(head: list[str], rows: list[list[str]]) -> str:
    return _TABLE.format(head="".join(_TH.format(h) for h in head),
                         body="".join("<tr>" + "".join(_TD.format(c) for c in r) + "</tr>"
                                      for r in rows))


def claims_html(sc: Scorecard, lang: str = "both") -> str:
    """One row per claim (and job): verdict badge, one-line reason, counts, report link; flagged
    notebooks (failed, no evidence, not run) as red rows."""
    rows = []
    for _, r in sc.claims.iterrows():
        flag = (f'<div style="color:{FLAG_COLOUR};font-weight:bold">⚠ 笔记本运行失败，结论不完整 / '
                "notebook failed, verdict incomplete</div>") if r["flag"] else ""
        rows.append([f"<b>{html.escape(r['claim'])}</b> " + _both(r["title_zh"], r["title_en"], lang),
                     _badge(r["verdict"]) + flag, _both(r["reason_zh"], r["reason_en"], lang),
                     _link(r["href"], r["job_id"])])
    for _, p in sc.problems.iterrows():
        if p["problem"] == "failed" and (sc.claims["job_id"] == p["job_id"]).any():
            continue  # already flagged on its claim row
        title = CLAIM_TITLES.get(p["claim"], (p["notebook"], p["notebook"]))
        rows.append([f"<b>{html.escape(p['claim'] or p['notebook'])}</b> " + _both(*title, lang),
                     f'<span style="color:{FLAG_COLOUR};font-weight:bold">⚠ '
                     f"{_both(p['problem_zh'], p['problem_en'], lang)}</span>",
                     html.escape(p["detail"] or ""),
                     _link(p["href"], p["job_id"] or p["notebook"])])
    head = ["论断 Claim", "结论 Verdict", "理由 Reason", "报告 Report"]
    return _table(head, rows)


def hypotheses_html(sc: Scorecard, lang: str = "both") -> str:
    rows = []
    for _, r in sc.evidence.iterrows():
        rows.append([f"<b>{html.escape(str(r['hypothesis']))}</b>",
                     _both(r["title_zh"], r["title_en"], lang), _badge(r["verdict"]),
                     html.escape(estimate_text(r)) + (f" <small>{html.escape(str(r['unit']))}</small>"
                                                      if r.get("unit") else ""),
                     _fmt(r["p_value"], 2), _fmt(r["n"], 6),
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


def plot_matrix(sc: Scorecard, ax=None, lang: str = "both"):
    """Verdict matrix: one row per claim (and job), one coloured cell per hypothesis with its id
    and estimate; flagged notebooks as hatched red rows. Returns the axis."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch, Rectangle

    def bil(zh, en):
        return zh if lang == "zh" else en if lang == "en" else f"{zh} {en}"

    rows: list[tuple[str, list[dict], str | None]] = []
    for _, c in sc.claims.iterrows():
        hyps = sc.evidence[(sc.evidence["claim"] == c["claim"]) & (sc.evidence["job_id"] == c["job_id"])]
        label = f"{c['claim']} · {ev.VERDICT_ZH[c['verdict']] if lang != 'en' else ''}" \
                f"{' ' if lang == 'both' else ''}{c['verdict'] if lang != 'zh' else ''}"
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
            col = ev.COLOURS.get(h["verdict"], "#616161")
            ax.add_patch(Rectangle((j + 0.04, y + 0.06), 0.92, 0.88, color=col, alpha=0.9))
            hid = str(h["hypothesis"])
            est = estimate_text(h)
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
    handles = [Patch(color=ev.COLOURS[v], label=bil(ev.VERDICT_ZH[v], v)) for v in ev.VERDICTS]
    handles.append(Patch(facecolor="#fdecea", edgecolor=FLAG_COLOUR, hatch="//",
                         label=bil("笔记本失败/无证据", "notebook failed / no evidence")))
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.02), ncol=3,
              fontsize=7, frameon=False)
    if not rows:
        ax.text(0.5, 0.5, bil("没有证据", "no evidence"), ha="center", va="center",
                transform=ax.transAxes)
    return ax


def markdown_table(sc: Scorecard) -> str:
    """Claims as a Markdown table (claim, verdict, reason zh/en, hypothesis counts), flagged
    notebooks included."""
    def cell(s: str) -> str:
        return str(s or "").replace("|", "\\|").replace("\n", " ")

    lines = ["| 论断 Claim | 结论 Verdict | 理由 Reason | 假设 Hypotheses (✓/✗/?/–) |",
             "|---|---|---|---|"]
    multi = sc.claims["claim"].duplicated(keep=False) if not sc.claims.empty else []
    for i, r in sc.claims.iterrows():
        who = f" ({r['job_id']})" if len(multi) and multi[i] else ""
        flag = " ⚠ notebook failed" if r["flag"] else ""
        lines.append(
            f"| **{cell(r['claim'])}** {cell(r['title_zh'])} / {cell(r['title_en'])}{cell(who)} "
            f"| {ev.VERDICT_ZH[r['verdict']]} / {r['verdict']}{flag} "
            f"| {cell(r['reason_zh'])}<br>{cell(r['reason_en'])} "
            f"| {r['n_hypotheses']} ({r['supported']}/{r['contradicted']}/{r['inconclusive']}/"
            f"{r['not testable']}) |")
    for _, p in sc.problems.iterrows():
        if p["problem"] == "failed" and (sc.claims["job_id"] == p["job_id"]).any():
            continue
        zh, en = CLAIM_TITLES.get(p["claim"], (p["notebook"], p["notebook"]))
        lines.append(f"| **{cell(p['claim'] or p['notebook'])}** {cell(zh)} / {cell(en)} "
                     f"| ⚠ {p['problem_zh']} / {p['problem_en']} | {cell(p['detail'])} | 0 |")
    return "\n".join(lines)
