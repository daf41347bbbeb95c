"""One context per notebook: the single call at the top of every claim notebook.

``ctx = context.setup("s3_bay_area", globals())`` validates the parameters papermill injected with
the runner's own contracts (the notebook's parameters cell is the one source of types and
choices), resolves the focus city ONCE into a region object, checks the years, and provides the
data vintage, the label helpers and the claim registry entries of the notebook. Nothing is derived
in the parameters cell (papermill would not recompute it after injection): it is derived here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from yrdlib import config, contracts, groups, plotting, regions, vocab
from yrdlib.claims import focus, registry
from yrdlib.claims.result import Result, for_focus, not_applicable


class ContextError(ValueError):
    """A parameter failed its contract inside the kernel (one line naming notebook and value)."""


@dataclass
class Context:
    notebook: str
    params: dict[str, Any]
    lang: str = "both"
    focus: regions.Region | None = None
    unit: regions.Region | None = None
    county_note: str = ""
    years: tuple[int, int] | None = None
    vintage: str = ""
    claims: list[registry.Claim] = field(default_factory=list)
    cluster: str = groups.DEFAULT_CLUSTER
    """The city cluster whose plan is the treatment (full Chinese name): the YRD tests the
    article's claims; another cluster tests their general form for it (issue 23)."""

    @property
    def other_cluster(self) -> str | None:
        """The cluster's full name when it is not the YRD, else None (what the claim modules'
        ``cluster=`` keyword takes)."""
        return None if self.cluster == groups.DEFAULT_CLUSTER else self.cluster

    @property
    def treatment(self) -> str:
        """The treatment definition of this run: the notebook's ``treatment`` parameter for the
        YRD, the cluster's plan listing (``plan:<cluster>``) for another cluster."""
        if self.other_cluster:
            return groups.plan_treatment(self.cluster)
        return self.params.get("treatment", "association")

    def members(self) -> list[str]:
        """The panel codes of the cluster's members (the YRD: its 41 cities)."""
        if self.other_cluster:
            return groups.cluster_members(self.cluster)
        return list(regions.yrd41())

    def group_names(self) -> tuple[str, str]:
        """(zh, en) how a figure names the comparison group: 长三角, or the cluster's name."""
        if self.other_cluster:
            return groups.display_names(self.cluster)
        return "长三角", "the comparison group"

    def show(self, cid: str, section: str) -> None:
        """A narrative section in the notebook's language, for this run's treatment and cluster."""
        from yrdlib import narrative

        narrative.show(cid, section, self.lang, treatment=self.treatment,
                       cluster=self.other_cluster)

    def claim_kw(self, cid: str) -> dict:
        """The claim box's title (the general form for another cluster) and scope note."""
        from yrdlib import narrative

        tz, te = narrative.claim_title(cid, self.other_cluster)
        return {"title_zh": tz, "title_en": te, "scope_note": self.scope_note(cid)}

    def run(self, hid: str, compute, *args, **kw) -> Result:
        """``compute(*args, **kw)`` for hypothesis ``hid`` unless it does not apply here: a
        Yuhuan hypothesis for another focus city (:func:`for_focus`), or, for another cluster, a
        hypothesis whose design has no counterpart there (registry ``other_clusters``) or a test
        of a plan without a central approval date (a description is computed: it says itself
        whether it needs the plan's date). Then a "not applicable" record with the reason, and
        nothing is computed. For another cluster the record's titles name its plan, the
        not-applicable ones too (the verdict table and the contents must say the same)."""
        h = registry.hypothesis(hid)
        oc = self.other_cluster
        if oc is None:
            return for_focus(hid, self.unit.code if self.unit else "", compute, *args, **kw)
        name = groups.display_names(oc)[0]
        if not h.generalises:
            return Result(not_applicable(hid, f"{h.other_clusters_zh}（本次运行针对{name}。）",
                                         f"{h.other_clusters_en} (This run is for the "
                                         f"{groups.cluster_en(oc)}.)"))
        gap = groups.plan_design_gap(oc)
        r = Result(not_applicable(hid, *gap)) if gap and h.is_test else compute(*args, **kw)
        r.evidence.title_zh, r.evidence.title_en = groups.cluster_title(h.title_zh, h.title_en, oc)
        return r

    # ---------------------------------------------------------------- labels
    def L(self, zh: str, en: str) -> str:
        """Bilingual label in the notebook's language (figures wrap a long pair)."""
        return vocab.label(zh, en, self.lang)

    def name(self, code: str) -> str:
        """台州 Taizhou / 台州 / Taizhou for a region code."""
        r = regions.resolve(code)
        return vocab.label(r.short_zh, r.name_en, self.lang, sep=" ")

    @property
    def code(self) -> str:
        """The panel unit's code (a county's prefecture)."""
        if self.unit is None:
            raise ContextError(f"{self.notebook}: this notebook has no focus_region")
        return self.unit.code

    # ---------------------------------------------------------------- scope
    def in_yrd41(self) -> bool:
        return self.unit is not None and self.unit.code in set(regions.yrd41())

    def scope_note(self, claim_id: str) -> tuple[str, str] | None:
        """(zh, en) when the focus city is outside the claim's scope, else None."""
        c = registry.claim(claim_id)
        if c.scope == "any" or self.unit is None:
            return None
        u = self.unit
        if self.other_cluster:
            gap = groups.plan_design_gap(self.cluster)
            if gap:
                return gap
            if u.code in set(self.members()):
                return None
            name, en = groups.display_names(self.cluster)
            return (f"{u.short_zh}不是{name}的成员城市：这一论断问的是列入该城市群规划对成员城市的"
                    "作用，不适用于它；下面的合并估计只作参考。",
                    f"{u.name_en} is not a member of the {en}: the claim asks what being listed "
                    "in its plan does for a member city, so it does not apply to this focus city; "
                    "the pooled estimates below are shown for reference.")
        if self.in_yrd41():
            return None
        return (f"{u.short_zh}不是长三角 41 城之一：文章论述的是融入长三角对玉环（台州）的作用，"
                f"该论断不适用于长三角以外的焦点城市；下面的合并估计只作参考。",
                f"{u.name_en} is not one of the 41 YRD cities: the article speaks about what "
                "joining the YRD does for Yuhuan (Taizhou), so this claim does not apply to a "
                "focus city outside the YRD; the pooled estimates below are shown for reference.")


def header(ctx: Context) -> None:
    """Display the notebook's claims from the registry: title, the article's quote and the
    hypotheses with kind, core flag and expected direction (so the notebook never restates them)."""
    from IPython.display import Markdown, display

    from yrdlib.narrative import claim_header

    for c in ctx.claims:
        display(Markdown(claim_header(c.id, ctx.lang, cluster=ctx.other_cluster)))
        note = ctx.scope_note(c.id)
        if note:
            display(Markdown(vocab.label(f"**不适用**。{note[0]}", f"**Not applicable.** {note[1]}",
                                         ctx.lang, sep="  \n")))


def _finite_check(nb: str, name: str, v: Any) -> None:
    vals = v if isinstance(v, (list, tuple)) else [v]
    for x in vals:
        if isinstance(x, float) and not math.isfinite(x):
            raise ContextError(f"{nb}: parameter {name!r} is {x!r}; a finite number is required")


def setup(notebook: str, namespace: dict[str, Any]) -> Context:
    """Validate the notebook's parameters (from ``namespace``, i.e. ``globals()``) and return the
    context. Display set-up (fonts, table formatter) happens here too, once."""
    path = config.NOTEBOOKS / f"{notebook}.ipynb"
    sig = contracts.read_signature(path)
    values = {k: namespace[k] for k in sig.params if k in namespace}
    for k, v in values.items():
        _finite_check(notebook, k, v)
    try:
        checked = contracts.validate(sig, values)
    except contracts.ParameterError as e:
        raise ContextError(str(e)) from None
    lang = checked.get("lang", "both")
    ctx = Context(notebook=notebook, params=checked, lang=lang,
                  claims=registry.for_notebook(notebook))
    _display_setup(lang)
    if "cluster" in checked:
        try:
            ctx.cluster = groups.resolve_cluster(checked["cluster"])
        except ValueError as e:
            raise ContextError(f"{notebook}: {e}") from None
    if "focus_region" in checked:
        ctx.focus, ctx.unit, ctx.county_note = focus.panel_focus(checked["focus_region"])
    if "start_year" in checked and "end_year" in checked:
        ctx.years = focus.check_years(checked["start_year"], checked["end_year"])
    ctx.vintage = focus.data_vintage()
    return ctx


def _display_setup(lang: str) -> None:
    """Fonts for figures and the report-side display set-up (table formatter), once."""
    plotting.setup(lang)
    plotting.install(lang)
