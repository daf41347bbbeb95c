"""Every result figure accepts a result that does not apply (another cluster's plan without an
approval date, a design with no counterpart, a test not estimable on a small cluster): it draws
nothing and returns None. Before, each figure read its data keys and stopped the notebook with a
KeyError on some clusters and not others."""

from __future__ import annotations

import inspect
from types import SimpleNamespace

import matplotlib
import pytest

from yrdlib.claims.common import not_applicable
from yrdlib.claims.result import Result
from yrdlib.figures import bay_area, city_effects, city_tier, industry, opening

matplotlib.use("Agg")

FIGURES = [(m.__name__.rsplit(".", 1)[1], name, fn)
           for m in (bay_area, city_tier, industry, opening, city_effects)
           for name, fn in inspect.getmembers(m, inspect.isfunction)
           if fn.__module__ == m.__name__ and (name.startswith("plot_") or name == "present")]
CTX = SimpleNamespace(code="510100", lang="both", L=lambda zh, en: en, name=str)


def test_the_list_holds_every_result_figure():
    names = {n for _, n, _ in FIGURES}
    assert {"plot_s1a", "plot_did", "plot_s1c", "plot_s2a", "plot_s2f", "plot_s3d", "plot_s4c",
            "present"} <= names and len(names) == 16, sorted(names)
    assert all(hasattr(fn, "draws") for _, _, fn in FIGURES)


@pytest.mark.parametrize(("module", "name", "fn"), FIGURES, ids=[f"{m}.{n}" for m, n, _ in FIGURES])
def test_a_not_applicable_result_draws_nothing(module, name, fn):
    import matplotlib.pyplot as plt

    plt.close("all")  # figures other tests of this worker left open
    hid = {"bay_area": "S3.a", "city_tier": "S2.a", "industry": "S4.a"}.get(module, "S1.b")
    r = Result(not_applicable(hid, "不适用", "not applicable"))
    second = "both" if list(inspect.signature(fn).parameters)[1] == "lang" else CTX
    extra = ("效应", "effect") if name == "plot_did" else ()
    assert fn(r, second, *extra) is None and not plt.get_fignums(), name
    plt.close("all")
