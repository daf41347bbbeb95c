"""Interactive figures: a plotly spec travels with the PNG in one bundle, and becomes a plotly
figure in the HTML report with the PNG kept for print and for pages without plotly.js."""

from __future__ import annotations

import base64
import json
import re
import shutil

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import nbformat
import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
from IPython.core.interactiveshell import InteractiveShell

from yrdlib import plotting, regions
from yrdlib.report import interactive as ia
from yrdlib.report.html import report_html


@pytest.fixture(autouse=True)
def _setup():
    plotting.setup("both")
    yield
    plt.close("all")


def _toy_panel():
    rows = []
    for year in range(2000, 2005):
        for k, code in enumerate(["310000", "320100", "320500", "330100"]):
            rows.append((code, year, "gdp", 10.0 * (k + 1) + year - 2000))
        if year not in (2002, 2003):  # the focus has a gap
            rows.append(("331000", year, "gdp", 100.0))
    return pd.DataFrame(rows, columns=["region_code", "year", "indicator", "value"])


def _series_fig():
    fig, ax = plt.subplots()
    plotting.focus_vs_medians(ax, _toy_panel(), "331000", "gdp",
                              {"G": ["310000", "320100", "320500", "330100"]})
    return fig


def test_focus_vs_medians_spec_is_valid_plotly_and_keeps_gaps():
    spec = ia.figure_spec(_series_fig())
    go.Figure(spec)  # plotly's own validation: raises on an unknown property
    focus = next(t for t in spec["data"] if t["name"].startswith("台州"))
    assert focus["y"] == [100.0, 100.0, None, None, 100.0]  # a gap, never interpolated
    median = next(t for t in spec["data"] if t["name"].startswith("G 中位数"))
    assert median["y"][0] == 25.0 and median["customdata"][0] == 4  # median of 10..40, n = 4
    assert sum(t.get("fill") == "tonexty" for t in spec["data"]) == 1  # the IQR band


def test_region_map_spec_places_every_city_and_rings_the_focus():
    fig, ax = plt.subplots()
    codes = regions.yrd41()
    missing = plotting.region_map(ax, codes, highlight="331000", lang="both")
    spec = ia.figure_spec(fig)  # the colour bar is not a panel; legend axes none here
    go.Figure(spec)
    dots = [t for t in spec["data"] if t["name"] != "焦点城市 focus"]
    assert sum(len(t["x"]) for t in dots) == len(codes) - len(missing)
    ring = next(t for t in spec["data"] if t["name"] == "焦点城市 focus")
    ref = regions.reference()
    assert ring["x"] == [ref.at["331000", "lon"]] and ring["y"] == [ref.at["331000", "lat"]]
    assert spec["layout"]["yaxis"]["scaleratio"] > 1  # lon degrees shrunk as in the PNG


def test_numeric_map_with_colour_bar_is_one_panel():
    fig, ax = plt.subplots()
    vals = {c: float(i) for i, c in enumerate(regions.yrd41())}
    vals[regions.yrd41()[0]] = np.nan
    plotting.region_map(ax, list(vals), values=vals, labels=False)
    spec = ia.figure_spec(fig)
    go.Figure(spec)
    assert "xaxis2" not in spec["layout"]
    assert any(t["marker"].get("showscale") for t in spec["data"])


def test_figure_with_a_panel_plotly_cannot_show_stays_png():
    fig, (a1, a2) = plt.subplots(1, 2)
    plotting.focus_vs_medians(a1, _toy_panel(), "331000", "gdp", {"G": ["310000", "320100"]},
                              min_n=1)
    a2.plot([1, 2], [3, 4])
    assert ia.figure_spec(fig) is None


def test_two_panels_become_two_subplots_with_one_legend_entry_each():
    fig, (a1, a2) = plt.subplots(1, 2)
    for ax in (a1, a2):
        plotting.focus_vs_medians(ax, _toy_panel(), "331000", "gdp", {"G": ["310000", "320100"]},
                                  min_n=1)
    spec = ia.figure_spec(fig)
    go.Figure(spec)
    assert {t["xaxis"] for t in spec["data"]} == {"x", "x2"}
    shown = [t["name"] for t in spec["data"] if t["showlegend"]]
    assert len(shown) == len(set(shown))
    assert spec["layout"]["xaxis"]["domain"][1] <= spec["layout"]["xaxis2"]["domain"][0]


def test_displayed_figure_carries_png_and_spec_in_one_bundle():
    from IPython.core.pylabtools import select_figure_formats

    shell = InteractiveShell.instance()
    assert ia.register_formatter(shell)
    # in a kernel the inline backend activates after setup() and pops Figure from every formatter
    select_figure_formats(shell, {"png"})
    fig = _series_fig()
    data, _meta = shell.display_formatter.format(fig)
    assert {"image/png", ia.MIME} <= set(data)
    assert data[ia.MIME]["data"] and json.dumps(data[ia.MIME])  # JSON-able, NaN-free
    plain = plt.figure()
    plain.add_subplot().plot([1, 2])
    data, _ = shell.display_formatter.format(plain)
    assert "image/png" in data and ia.MIME not in data  # an ordinary figure: PNG only


def test_bundle_of_show_has_both_mimes():
    b = ia.bundle(_series_fig())
    assert set(b) == {"image/png", ia.MIME}
    assert base64.b64decode(b["image/png"])[:8] == b"\x89PNG\r\n\x1a\n"


def test_json_is_escaped_inside_the_script_element():
    spec = {"data": [{"type": "scatter", "x": [1], "y": [2],
                      "name": "</script><script>alert(1)</script>&<!--"}], "layout": {}}
    s = ia.escape_json(spec)
    assert "<" not in s and ">" not in s and "&" not in s
    assert json.loads(s) == spec


def _nb_with_figure(spec):
    b = ia.bundle(_series_fig())
    if spec is not None:
        b[ia.MIME] = spec
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("## Figure"),
                nbformat.v4.new_code_cell("fig", outputs=[
                    nbformat.v4.new_output("display_data", data=b)]),
                nbformat.v4.new_code_cell("x", outputs=[nbformat.v4.new_output(
                    "display_data", data={"text/html": "<script>alert(2)</script><b>ok</b>"})])]
    return nb


def _page(nb):
    return report_html(nb, job_id="j", title="t", parameters={}, claims=[], hypotheses=[],
                       tables=[], provenance={"packages": {}})


def test_page_has_one_local_script_src_no_url_and_the_png():
    nb = _nb_with_figure(None)
    nb.cells.append(nbformat.v4.new_code_cell("fig2", outputs=[
        nbformat.v4.new_output("display_data", data=ia.bundle(_series_fig()))]))
    page = _page(nb)
    assert re.findall(r"<script[^>]*\bsrc=\"([^\"]*)\"", page) == [ia.ASSET]
    for m in re.finditer(r"<script[^>]*>(.*?)</script>", page, re.S):  # no script reaches out
        assert not re.search(r"https?://", m.group(0))
    figs = re.findall(r'<figure class="yrd-interactive".*?</figure>', page, re.S)
    assert len(figs) == 2
    for f in figs:  # the PNG is inside the figure (print, no-JS), the spec beside it
        assert 'class="yrd-static"' in f and "data:image/png;base64,iVBOR" in f
        spec = re.search(r'<script (?=[^>]*type="application/json")(?=[^>]*class="yrd-plotly-spec")'
                         r"[^>]*>(.*?)</script>", f, re.S).group(1)
        go.Figure(json.loads(spec))
    assert "<script>alert(2)</script>" not in page  # a user's HTML still gets no script rights


def test_invalid_spec_keeps_the_png_and_loads_no_script():
    page = _page(_nb_with_figure({"data": "not a list"}))
    assert '<figure class="yrd-interactive"' not in page
    assert not re.search(r"<script[^>]*\bsrc=", page)
    assert "data:image/png;base64,iVBOR" in page


def test_page_without_the_asset_falls_back_to_the_png(tmp_path):
    """A page forwarded alone: the asset is missing, so the bootstrap returns before hiding the
    PNG; the CSS shows the PNG until the figure has class yrd-live, and always in print."""
    page = _page(_nb_with_figure(None))
    alone = tmp_path / "forwarded.html"
    alone.write_text(page, encoding="utf-8")
    assert not (tmp_path / ia.ASSET).exists()
    text = alone.read_text(encoding="utf-8")
    assert "if (!window.Plotly) { return; }" in text
    assert not re.search(r'<figure[^>]*class="[^"]*yrd-live', text)  # no figure starts live
    assert '<figure class="yrd-interactive" ' in text
    css = re.sub(r"\s+", " ", text)
    assert "figure.yrd-interactive .yrd-plotly { display: none; }" in css
    assert "figure.yrd-interactive.yrd-live .yrd-static { display: none; }" in css
    prints = [b.split("} }", 1)[0] for b in css.split("@media print")[1:]]
    assert any("figure.yrd-interactive .yrd-static { display: block !important; }" in b
               and "figure.yrd-interactive .yrd-plotly { display: none !important; }" in b
               for b in prints)


def test_asset_is_copied_once_per_run_folder(tmp_path):
    p = ia.copy_asset(tmp_path)
    assert p == tmp_path / "assets" / "plotly.min.js"
    assert p.read_bytes() == ia.plotly_js().read_bytes()
    stamp = p.stat().st_mtime_ns
    assert ia.copy_asset(tmp_path) == p and p.stat().st_mtime_ns == stamp
    assert [q.name for q in (tmp_path / "assets").iterdir()] == ["plotly.min.js"]
    shutil.rmtree(tmp_path / "assets")


@pytest.mark.slow
def test_overview_notebook_figures_carry_the_spec_in_a_real_kernel(tmp_path):
    """Wired without a notebook change: the focus-vs-medians grid and the YRD map of the data
    overview notebook carry the plotly spec; the coverage heatmap and breaks figure stay PNG."""
    from nbtools import run_notebook

    params = {"focus_region": "331000", "start_year": 2015, "end_year": 2019, "lang": "both"}
    nb = nbformat.read(run_notebook("data_overview", tmp_path, **params), as_version=4)
    outs = [o for c in nb.cells for o in c.get("outputs", []) if "image/png" in o.get("data", {})]
    specs = [o["data"][ia.MIME] for o in outs if ia.MIME in o["data"]]
    assert len(outs) == 4 and len(specs) == 2
    for spec in specs:
        go.Figure(spec)
    assert any(t.get("name", "").startswith("台州") for t in specs[0]["data"])
    assert any(t.get("name") == "焦点城市 focus" for t in specs[1]["data"])
    assert sum(1 for k in specs[0]["layout"] if k.startswith("xaxis")) == 6  # the 2 x 3 grid
