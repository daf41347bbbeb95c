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

from yrdlib import config, contracts, plotting, regions, vocab
from yrdlib.claims import focus, registry


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
        if c.scope == "any" or self.unit is None or self.in_yrd41():
            return None
        u = self.unit
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
        display(Markdown(claim_header(c.id, ctx.lang)))
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
