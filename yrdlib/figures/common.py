"""Figures shared by the claims' causal tests: the specification chart of a gated DiD, drawn
from the Result that :func:`yrdlib.claims.common.did_test` returns."""

from __future__ import annotations

import functools

import numpy as np

from yrdlib import vocab
from yrdlib.claims.common import _fmt_p


def draws(*keys: str):
    """Declare the ``r.data`` entries a result's figure draws. Without them (a test that is not
    applicable to this city or cluster, or not estimable: its evidence box says why) the figure
    is not drawn and the function returns None, instead of a KeyError that stops the notebook."""
    def deco(fn):
        @functools.wraps(fn)
        def wrapper(r, *args, **kw):
            if any(k not in r.data for k in keys):
                return None
            return fn(r, *args, **kw)
        wrapper.draws = keys
        return wrapper
    return deco


def spec_chart(result, ax=None, lang: str = "both"):
    """Specification chart of a causal test: the main estimate with its design-based interval
    and every row with its 95 % interval; binding checks green when they agree and red when they
    do not, rows that never bind grey; pre-trend rows give their p-value under the axis."""
    import matplotlib.pyplot as plt  # deferred: pyplot is ~0.3 s of kernel start-up, needed only to draw

    ev = result.evidence
    rows = [r for r in ev.sensitivity if r.get("kind", "estimate") != "pretrend"]
    pre = [r for r in ev.sensitivity if r.get("kind") == "pretrend"]
    names = ["main: did2s (design-based interval)", *[r["name"] for r in rows]]
    est = [ev.estimate, *[r.get("estimate") for r in rows]]
    lo = [ev.ci_low, *[r.get("ci_low") for r in rows]]
    hi = [ev.ci_high, *[r.get("ci_high") for r in rows]]
    state = ["main", *[("bind-ok" if r.get("agrees", True) else "bind-fail")
                       if r.get("binding", True) else "shown" for r in rows]]
    colour = {"main": vocab.COLOURS[vocab.SUPPORTED], "bind-ok": vocab.COLOURS[vocab.SUPPORTED],
              "bind-fail": vocab.COLOURS[vocab.CONTRADICTED], "shown": "#9e9e9e"}
    if ax is None:
        _, ax = plt.subplots(figsize=(7.5, 0.38 * len(names) + 1.4))
    for i, (e, a, b, st) in enumerate(zip(est, lo, hi, state)):
        y = len(names) - 1 - i
        if e is None or not np.isfinite(e):
            ax.text(0, y, "not estimable", va="center", fontsize=8, color="#c62828")
            continue
        col = colour[st]
        if a is not None and b is not None and np.isfinite(a) and np.isfinite(b):
            ax.plot([a, b], [y, y], color=col, lw=2)
        ax.plot([e], [y], "o" if st != "shown" else "s", color=col)
    ax.axvline(ev.null_value or 0, color="grey", lw=0.8, ls="--")
    ax.set_yticks(range(len(names)), names[::-1], fontsize=8)
    pre_txt = "; ".join(f"{r['name']} p = {_fmt_p(r['pretrend_p'])}" if r.get("pretrend_p")
                        is not None else f"{r['name']}: not computed" for r in pre)
    ax.set_xlabel(vocab.label("估计值与 95% 区间", "estimate and 95% interval", lang) +
                  (f"\n{vocab.label('事前趋势检验（仅供参考）', 'pre-trend tests (shown)', lang)}: "
                   f"{pre_txt}" if pre_txt else ""), fontsize=8)
    ax.set_title(vocab.label(f"{ev.hypothesis} 约束性检验：绿 = 一致，红 = 不一致，灰 = 仅供参考",
                             f"{ev.hypothesis} checks: green agrees, red disagrees (binding), "
                             "grey shown only", lang),
                 loc="left", fontsize=9)
    return ax
