"""The claim registry: every claim and hypothesis once (``yrdlib/claims/registry/*.yml``).

A claim has an id, titles, the article's quote, the notebook that presents it and a scope (which
focus cities it speaks about). Each hypothesis has an id, titles and statements in both languages,
a kind (``test``: the article asserts it, with a direction; ``description``: it places a city and
never gets supported/contradicted), whether it is *core* (what the article actually asserts: the
claim verdict follows from the core tests), the expected direction, and the function that computes
it (``module:function``). The scorecard, the claim rule, the notebook headers, the tests and the
generated ``docs/claims.md`` all read this registry.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

REGISTRY_DIR = Path(__file__).with_name("registry")
KINDS = ("test", "description")
SCOPES = ("yrd41", "any")
LEVELS = ("pooled", "city", "yuhuan")
"""What a hypothesis's result varies with (issue 22): ``pooled`` is one result for every focus
city (a DiD over all members, a cross-section, a fact check); ``city`` is the focus city's own;
``yuhuan`` is about Yuhuan (玉环, in 台州) and does not apply to another focus city."""
_CLAIM_KEYS = {"id", "notebook", "scope", "title_zh", "title_en", "quote", "hypotheses"}
_OPTIONAL_CLAIM_KEYS = {"narrative", "general"}
"""narrative: the notebook's text, {section: {zh, en}} (yrdlib.narrative); general: the claim's
general form for any city cluster, {title_zh, title_en, intro_zh, intro_en} with the placeholders
{cluster_zh}, {cluster_en}, {plan_zh} (a notebook run with another cluster than the YRD)."""
_OPTIONAL_HYP_KEYS = {"missing_data_en", "missing_data_zh", "other_clusters"}
"""missing_data: the data that would settle it; other_clusters: {zh, en}, why the hypothesis's
design has no counterpart in another city cluster (it is then "not applicable" there)."""
_GENERAL_KEYS = {"title_zh", "title_en", "intro_zh", "intro_en"}
PLACEHOLDERS = ("cluster_zh", "cluster_en", "plan_zh")
_HYP_KEYS = {"id", "kind", "core", "level", "expected", "title_zh", "title_en", "statement_zh",
             "statement_en", "function"}


class RegistryError(ValueError):
    """The registry is malformed: the message names the file, the entry and the field."""


@dataclass(frozen=True)
class Hypothesis:
    id: str
    claim: str
    kind: str
    core: bool
    expected: str | None
    title_zh: str
    title_en: str
    statement_zh: str
    statement_en: str
    function: str
    missing_data_en: str = ""
    missing_data_zh: str = ""
    level: str = "pooled"
    other_clusters_zh: str = ""
    other_clusters_en: str = ""

    @property
    def generalises(self) -> bool:
        """Whether the design has a counterpart in any city cluster (no other_clusters reason)."""
        return not self.other_clusters_en

    @property
    def is_test(self) -> bool:
        return self.kind == "test"

    def load(self):
        """The function that computes this hypothesis (imported on demand)."""
        mod, _, name = self.function.partition(":")
        return getattr(importlib.import_module(mod), name)


@dataclass(frozen=True)
class Claim:
    id: str
    notebook: str
    scope: str
    title_zh: str
    title_en: str
    quote: str
    hypotheses: tuple[Hypothesis, ...] = field(default_factory=tuple)
    narrative: dict = field(default_factory=dict, compare=False)
    general: dict = field(default_factory=dict, compare=False)

    @property
    def core(self) -> tuple[str, ...]:
        return tuple(h.id for h in self.hypotheses if h.core)

    @property
    def tests(self) -> tuple[Hypothesis, ...]:
        return tuple(h for h in self.hypotheses if h.is_test)

    def hypothesis(self, hid: str) -> Hypothesis:
        for h in self.hypotheses:
            if h.id == hid:
                return h
        raise KeyError(f"{self.id}: no hypothesis {hid!r}")


def _require(d: dict, keys: set[str], where: str, optional: frozenset = frozenset()) -> None:
    missing = sorted(keys - set(d))
    unknown = sorted(set(d) - keys - optional)
    if missing:
        raise RegistryError(f"{where}: missing field(s) {', '.join(missing)}")
    if unknown:
        raise RegistryError(f"{where}: unknown field(s) {', '.join(unknown)}; allowed: "
                            f"{', '.join(sorted(keys | optional))}")


def parse(path: Path) -> Claim:
    """One claim file, checked field by field."""
    d = yaml.safe_load(path.read_text(encoding="utf-8"))
    where = path.name
    if not isinstance(d, dict):
        raise RegistryError(f"{where}: not a mapping")
    _require(d, _CLAIM_KEYS, where, frozenset(_OPTIONAL_CLAIM_KEYS))
    for sec, t in (d.get("narrative") or {}).items():
        if not (isinstance(t, dict) and isinstance(t.get("zh"), str) and isinstance(t.get("en"), str)):
            raise RegistryError(f"{where}, narrative {sec}: needs text in both languages (zh, en)")
    g = d.get("general")
    if g is not None:
        if not isinstance(g, dict):
            raise RegistryError(f"{where}, general: not a mapping")
        _require(g, _GENERAL_KEYS, f"{where}, general")
        for k, v in g.items():
            try:
                str(v).format(**{p: "" for p in PLACEHOLDERS})
            except (KeyError, IndexError, ValueError) as e:
                raise RegistryError(f"{where}, general.{k}: bad placeholder {e}; allowed: "
                                    f"{', '.join('{' + p + '}' for p in PLACEHOLDERS)}") from None
    if d["scope"] not in SCOPES:
        raise RegistryError(f"{where}: scope {d['scope']!r} is not one of {SCOPES}")
    hyps = []
    for i, h in enumerate(d["hypotheses"] or []):
        w = f"{where}, hypothesis {h.get('id', i + 1)}"
        _require(h, _HYP_KEYS, w, frozenset(_OPTIONAL_HYP_KEYS))
        if bool(h.get("missing_data_en")) != bool(h.get("missing_data_zh")):
            raise RegistryError(f"{w}: missing_data needs both languages (missing_data_en, _zh)")
        oc = h.get("other_clusters")
        if oc is not None and not (isinstance(oc, dict) and set(oc) == {"zh", "en"}
                                   and all(isinstance(v, str) and v.strip() for v in oc.values())):
            raise RegistryError(f"{w}: other_clusters needs a reason in both languages (zh, en)")
        if not str(h["id"]).startswith(f"{d['id']}."):
            raise RegistryError(f"{w}: id must start with '{d['id']}.'")
        if h["level"] not in LEVELS:
            raise RegistryError(f"{w}: level {h['level']!r} is not one of {LEVELS}")
        if h["kind"] not in KINDS:
            raise RegistryError(f"{w}: kind {h['kind']!r} is not one of {KINDS}")
        if h["kind"] == "test" and h["expected"] not in ("+", "-"):
            raise RegistryError(f"{w}: a test needs expected '+' or '-'")
        if h["kind"] == "description" and (h["core"] or h["expected"] is not None):
            raise RegistryError(f"{w}: a description is never core and has no expected direction")
        if ":" not in str(h["function"]):
            raise RegistryError(f"{w}: function must be 'module:name'")
        hyps.append(Hypothesis(id=h["id"], claim=d["id"], kind=h["kind"], core=bool(h["core"]),
                               expected=h["expected"], title_zh=h["title_zh"],
                               title_en=h["title_en"], statement_zh=h["statement_zh"],
                               statement_en=h["statement_en"], function=h["function"],
                               missing_data_en=h.get("missing_data_en") or "",
                               missing_data_zh=h.get("missing_data_zh") or "",
                               level=h["level"],
                               other_clusters_zh=(oc or {}).get("zh", "").strip(),
                               other_clusters_en=(oc or {}).get("en", "").strip()))
    ids = [h.id for h in hyps]
    if len(set(ids)) != len(ids):
        raise RegistryError(f"{where}: duplicate hypothesis ids")
    return Claim(id=d["id"], notebook=d["notebook"], scope=d["scope"], title_zh=d["title_zh"],
                 title_en=d["title_en"], quote=d["quote"], hypotheses=tuple(hyps),
                 narrative=dict(d.get("narrative") or {}), general=dict(g or {}))


@lru_cache(maxsize=1)
def claims() -> dict[str, Claim]:
    """Every claim, by id, in file order (S1…S4, P)."""
    out = {}
    for p in sorted(REGISTRY_DIR.glob("*.yml"), key=lambda p: (p.stem == "p", p.stem)):
        c = parse(p)
        if c.id in out:
            raise RegistryError(f"{p.name}: claim {c.id} defined twice")
        out[c.id] = c
    return out


def claim(cid: str) -> Claim:
    try:
        return claims()[cid]
    except KeyError:
        raise KeyError(f"unknown claim {cid!r}; known: {', '.join(claims())}") from None


def hypothesis(hid: str) -> Hypothesis:
    return claim(hid.split(".")[0]).hypothesis(hid)


def for_notebook(notebook: str) -> list[Claim]:
    return [c for c in claims().values() if c.notebook == notebook]


def docs_markdown() -> str:
    """docs/claims.md: the reference list of claims and hypotheses (generated; do not edit)."""
    lines = ["# 论断与假设 · Claims and hypotheses", "",
             "Generated from `yrdlib/claims/registry/*.yml` by `python tools/make_claims_doc.py`; "
             "edit the registry, not this file. A **test** checks what the article asserts, in "
             "the direction it asserts it; a **description** places a city and never counts in a "
             "verdict. A claim's verdict follows from its **core** tests (`yrdlib.evidence."
             "claim_verdict`).", ""]
    for c in claims().values():
        lines += [f"## {c.id} {c.title_zh} · {c.title_en}", "",
                  f"Notebook `notebooks/{c.notebook}.ipynb`; scope: "
                  + ("the 41 YRD cities (another focus city gets 'not applicable')"
                     if c.scope == "yrd41" else "any city"), "", f"> {c.quote}", "",
                  "| id | kind | core | expected | hypothesis | function |",
                  "|---|---|---|---|---|---|"]
        for h in c.hypotheses:
            lines.append(f"| {h.id} | {h.kind} | {'core' if h.core else ''} | "
                         f"{h.expected or ''} | {h.title_zh}<br>{h.statement_en} | "
                         f"`{h.function}` |")
        lines.append("")
    return "\n".join(lines)
