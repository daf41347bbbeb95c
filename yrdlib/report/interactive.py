"""Interactive figures: a plotly spec travels with the matplotlib PNG in ONE output bundle.

Notebook side: the plotting helpers (:func:`yrdlib.plotting.focus_vs_medians`,
:func:`yrdlib.plotting.region_map`) :func:`attach` plotly traces to the axes they draw on; when
the figure is displayed, an IPython formatter registered by :func:`register_formatter` adds the
MIME type :data:`MIME` (``application/vnd.yrd.plotly+json``) next to ``image/png``. JupyterLab
ignores the unknown MIME and shows the PNG. :func:`show` does the same for any figure and spec.

Render side: :func:`render_outputs` turns such an output into a ``<figure>`` holding the PNG
(shown by default, in print, and whenever plotly.js is absent or JavaScript is off) and an empty
``<div>`` plus the spec as ``<script type="application/json">`` (``<``, ``>``, ``&`` escaped).
:func:`page_scripts` adds ``<script src="assets/plotly.min.js">`` once per page and a small
bootstrap that calls ``Plotly.newPlot`` and only then hides the PNG on screen. The library file is
copied from the installed ``plotly`` package into the run folder once per run
(:func:`copy_asset`); nothing is fetched from a CDN.
"""

from __future__ import annotations

import base64
import html
import io
import json
import math
import shutil
from pathlib import Path
from typing import Any

from yrdlib.report.tables import ipython_shell

MIME = "application/vnd.yrd.plotly+json"
ASSET = "assets/plotly.min.js"
_ATTR = "_yrd_plotly"


# ----------------------------------------------------------------------------- notebook side
def attach(ax, traces: list[dict], layout: dict | None = None) -> None:
    """Record plotly ``traces`` (dicts, JSON-able) for the matplotlib axes ``ax``; titles and
    axis labels are read from the axes when the figure is displayed, so later ``set_title`` /
    ``set_ylabel`` calls are honoured. ``layout``: extra x/y-axis settings for this panel
    (``{"xaxis": {...}, "yaxis": {...}}``)."""
    setattr(ax, _ATTR, {"traces": [clean(t) for t in traces], "layout": layout or {}})


def clean(obj: Any) -> Any:
    """JSON-able copy: NaN/inf become None (a gap in a plotly line, never interpolated), numpy
    scalars become Python numbers."""
    if isinstance(obj, dict):
        return {str(k): clean(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)) or type(obj).__name__ == "ndarray":
        return [clean(v) for v in obj]
    if hasattr(obj, "item") and not isinstance(obj, (str, bytes)):
        try:
            obj = obj.item()
        except (TypeError, ValueError):
            pass
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    return obj


def _panel_axes(fig) -> list:
    return [ax for ax in fig.axes if ax.get_visible() and ax.get_label() != "<colorbar>"]


def figure_spec(fig) -> dict | None:
    """The plotly spec ``{"data": [...], "layout": {...}}`` of a matplotlib figure whose every
    visible panel (colour bars aside) carries attached traces; None otherwise (a figure with a
    panel plotly would not show stays a PNG, so the screen never shows less than print)."""
    axes = _panel_axes(fig)
    if not axes or any(getattr(ax, _ATTR, None) is None for ax in axes):
        return None
    data: list[dict] = []
    layout: dict[str, Any] = {
        "template": "none", "hovermode": "closest", "font": {"size": 11},
        "legend": {"orientation": "h", "y": -0.15, "font": {"size": 10}},
        "margin": {"l": 60, "r": 20, "t": 50, "b": 60},
        "height": max(320, int(fig.get_figheight() * 100)),  # the PNG's size at dpi 100
    }
    annotations = []
    suptitle = getattr(fig, "_suptitle", None)
    if suptitle is not None and suptitle.get_text():
        layout["title"] = {"text": suptitle.get_text(), "x": 0.01}
    seen: set[str] = set()
    for i, ax in enumerate(axes, start=1):
        rec = getattr(ax, _ATTR)
        sfx = "" if i == 1 else str(i)
        x0, y0, w, h = ax.get_position().bounds  # figure fraction: the same grid as the PNG
        xa = {"domain": [max(0.0, x0), min(1.0, x0 + w)], "anchor": f"y{sfx}",
              "title": {"text": ax.get_xlabel()}, **rec["layout"].get("xaxis", {})}
        ya = {"domain": [max(0.0, y0), min(1.0, y0 + h)], "anchor": f"x{sfx}",
              "title": {"text": ax.get_ylabel()}, **rec["layout"].get("yaxis", {})}
        if len(axes) == 1:
            xa.pop("domain"), ya.pop("domain")
        if "scaleanchor" in ya:
            ya["scaleanchor"] = f"x{sfx}"
        layout[f"xaxis{sfx}"], layout[f"yaxis{sfx}"] = xa, ya
        title = ax.get_title(loc="left") or ax.get_title()
        if title and len(axes) > 1:
            annotations.append({"text": title, "xref": "paper", "yref": "paper", "x": xa["domain"][0],
                                "y": ya["domain"][1], "xanchor": "left", "yanchor": "bottom",
                                "showarrow": False, "font": {"size": 11}})
        elif title and "title" not in layout:
            layout["title"] = {"text": title, "x": 0.01}
        for t in rec["traces"]:
            t = dict(t, xaxis=f"x{sfx}", yaxis=f"y{sfx}")
            group = t.get("legendgroup") or t.get("name") or ""
            t.setdefault("legendgroup", group)
            if t.get("showlegend", True) is not False:
                t["showlegend"] = group not in seen
                seen.add(group)
            data.append(t)
    if annotations:
        layout["annotations"] = annotations
    return {"data": data, "layout": layout}


def png_b64(fig) -> str:

    buf = io.BytesIO()
    fig.savefig(buf, format="png", bbox_inches="tight")
    return base64.b64encode(buf.getvalue()).decode("ascii")


def bundle(fig, spec: dict | None = None) -> dict:
    """ONE output bundle: ``image/png`` (base64) and, when there is a spec, :data:`MIME`."""
    out: dict[str, Any] = {"image/png": png_b64(fig)}
    spec = spec if spec is not None else figure_spec(fig)
    if spec is not None:
        out[MIME] = clean(spec)
    return out


def show(fig, spec: dict | None = None, close: bool = True) -> dict:
    """Display ``fig`` as one bundle (PNG + plotly spec; ``spec`` defaults to the attached
    traces); close it so the inline backend does not show it a second time."""
    from IPython.display import display

    b = bundle(fig, spec)
    display(b, raw=True)
    if close:
        import matplotlib.pyplot as plt

        plt.close(fig)
    return b


def register_formatter(ip=None) -> bool:
    """Add :data:`MIME` to IPython's display formatters for matplotlib figures, so a figure the
    inline backend (or ``display(fig)``) shows carries its spec. Idempotent; False outside
    IPython."""
    if ip is None:

        ip = ipython_shell()
    if ip is None:
        return False
    from IPython.core.formatters import JSONFormatter
    from matplotlib.figure import Figure

    formatters = ip.display_formatter.formatters
    if not getattr(formatters.get(MIME), "_yrd", False):
        class PlotlySpecFormatter(JSONFormatter):
            """Figures are handled in ``__call__``, not through ``type_printers``: the inline
            backend's ``select_figure_formats`` pops ``Figure`` from every formatter when it
            activates (after ``setup`` in a kernel), which would silently drop the spec."""

            format_type = MIME
            print_method = "_repr_yrd_plotly_"
            _yrd = True

            def __call__(self, obj):
                if self.enabled and isinstance(obj, Figure):
                    spec = figure_spec(obj)
                    return None if spec is None else clean(spec)
                return super().__call__(obj)

        formatters[MIME] = PlotlySpecFormatter(parent=ip.display_formatter)
    return True


# ----------------------------------------------------------------------------- render side
def plotly_js() -> Path:
    """The minified plotly.js shipped inside the installed ``plotly`` package."""
    import plotly

    p = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    if not p.is_file():
        raise FileNotFoundError(f"plotly.min.js not found in the plotly package: {p}")
    return p


def copy_asset(run_dir: str | Path) -> Path:
    """Copy plotly.min.js to ``<run_dir>/assets/plotly.min.js`` (once: an existing file is
    kept) and return its path."""
    dest = Path(run_dir) / ASSET
    if not dest.exists():
        dest.parent.mkdir(parents=True, exist_ok=True)
        part = dest.with_suffix(".js.part")
        shutil.copyfile(plotly_js(), part)
        part.replace(dest)
    return dest


def escape_json(obj: Any) -> str:
    """JSON safe inside ``<script type="application/json">``: ``<``, ``>``, ``&`` and the JS
    line separators as unicode escapes, so no ``</script>`` or ``<!--`` can end the element."""
    s = json.dumps(obj, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    for a, b in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                 ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        s = s.replace(a, b)
    return s


def valid_spec(spec: Any) -> bool:
    return (isinstance(spec, dict) and isinstance(spec.get("data"), list)
            and all(isinstance(t, dict) for t in spec["data"])
            and isinstance(spec.get("layout", {}), dict))


def figure_html(spec: dict, png: str, n: int) -> str:
    """One interactive figure: the PNG (default, print, no-JS fallback), an empty div for
    plotly and the spec as escaped JSON."""
    fid = f"yrd-plot-{n}"
    title = (spec.get("layout") or {}).get("title") or {}
    alt = html.escape(str(title.get("text") if isinstance(title, dict) else title) or "figure")
    img = (f'<img class="yrd-static" alt="{alt}" '
           f'src="data:image/png;base64,{html.escape(png)}">')
    return (f'<figure class="yrd-interactive" id="{fid}">{img}'
            f'<div class="yrd-plotly" aria-hidden="true"></div>'
            f'<script type="application/json" class="yrd-plotly-spec">{escape_json(spec)}'
            f"</script></figure>")


def render_outputs(nb) -> int:
    """In place, after the sanitiser: outputs carrying :data:`MIME` and a PNG become one
    ``text/html`` figure (:func:`figure_html`). An invalid spec is dropped and the PNG kept.
    Returns how many interactive figures the notebook has."""
    n = 0
    for cell in nb.get("cells", []):
        for out in cell.get("outputs", []) or []:
            data = out.get("data") or {}
            if MIME not in data:
                continue
            spec, png = data.pop(MIME), data.get("image/png")
            if isinstance(spec, str):
                try:
                    spec = json.loads(spec)
                except ValueError:
                    spec = None
            if not png or not valid_spec(spec):
                continue
            png = "".join(png) if isinstance(png, list) else str(png)
            try:
                body = figure_html(clean(spec), png.replace("\n", ""), n)
            except ValueError:  # not JSON-able: keep the PNG alone
                continue
            out["data"] = {"text/html": body, "text/plain": data.get("text/plain", "figure")}
            out.setdefault("metadata", {}).pop("image/png", None)
            n += 1
    return n


_BOOT = """(function () {
  if (!window.Plotly) { return; }  // asset missing (a page opened alone): the PNG stays
  var figs = document.querySelectorAll("figure.yrd-interactive");
  for (var i = 0; i < figs.length; i++) {
    var f = figs[i], s = f.querySelector("script.yrd-plotly-spec");
    var d = f.querySelector("div.yrd-plotly");
    try {
      var spec = JSON.parse(s.textContent);
      f.classList.add("yrd-live");  // the div must be visible for plotly to size it
      Plotly.newPlot(d, spec.data, spec.layout || {},
                     {responsive: true, displaylogo: false, showLink: false});
    } catch (e) { f.classList.remove("yrd-live"); }  // keep the PNG
  }
})();"""


def page_scripts(asset: str = ASSET) -> str:
    """The page's only external script (the run's local plotly.min.js, once) and the bootstrap;
    put them at the end of the body."""
    return f'<script src="{html.escape(asset)}"></script>\n<script>{_BOOT}</script>'
