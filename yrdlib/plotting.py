"""Figures for the notebooks: a CJK font that renders on machines without a system CJK font,
bilingual labels, and three recurring plots (a map-like scatter of cities, a coverage heatmap and
a focus city against group medians).

Call `setup(lang)` once before plotting. The font is Noto Sans SC shipped by the PyPI package
`pylopdf-fonts-zh-cn` (a project dependency); nothing is downloaded.
"""

from __future__ import annotations

import dataclasses
import html
import importlib.util
import math
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from yrdlib import groups, regions, report, vocab
from yrdlib.data import indicators
from yrdlib.report import interactive

FONT_PACKAGE = "pylopdf_fonts_zh_cn"
FONT_FILE = "NotoSansSC-Regular.otf"
LANGS = ("zh", "en", "both")

# matplotlib styling applied by setup(); small PNGs (dpi 100) keep notebooks light
RC = {
    "figure.figsize": (7.0, 4.0),
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "savefig.bbox": "tight",
    "axes.unicode_minus": False,
    "axes.titlesize": 11,
    "axes.labelsize": 9,
    "xtick.labelsize": 8,
    "ytick.labelsize": 8,
    "legend.fontsize": 8,
    "legend.frameon": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
# seaborn's set_theme(style="whitegrid", context="notebook") written out, so that a kernel does
# not import seaborn (0.8 s with the scipy.stats it pulls in) for a style; tests/test_plotting.py
# checks it against the installed seaborn. Left out: seaborn's own colormap name and font list.
SEABORN_WHITEGRID = {
    "axes.axisbelow": True, "axes.edgecolor": ".8", "axes.grid": True, "axes.labelcolor": ".15",
    "axes.labelsize": 12.0, "axes.linewidth": 1.25, "axes.titlesize": 12.0,
    "font.size": 12.0, "grid.color": ".8", "grid.linewidth": 1.0, "legend.fontsize": 11.0,
    "legend.title_fontsize": 12.0, "lines.solid_capstyle": "round", "patch.edgecolor": "w",
    "patch.force_edgecolor": True, "text.color": ".15", "xtick.bottom": False,
    "xtick.color": ".15", "xtick.labelsize": 11.0, "xtick.major.size": 6.0,
    "xtick.major.width": 1.25, "xtick.minor.size": 4.0, "xtick.minor.width": 1.0,
    "ytick.color": ".15", "ytick.labelsize": 11.0, "ytick.left": False,
    "ytick.major.size": 6.0, "ytick.major.width": 1.25, "ytick.minor.size": 4.0,
    "ytick.minor.width": 1.0,
}
SEABORN_DEEP = ("#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b3", "#937860", "#da8bc3",
                "#8c8c8c", "#ccb974", "#64b5cd")
"""seaborn's "deep" palette, the colour cycle set_theme installs."""
NO_DATA_COLOUR = "#d9d9d9"
FOCUS_COLOUR = "#c0392b"
GROUP_COLOURS = ("#1f77b4", "#7f7f7f", "#2ca02c", "#9467bd")

_state: dict = {"lang": "both", "family": None}


class FontError(RuntimeError):
    """No CJK font could be found or registered."""


def cjk_font_path() -> Path:
    """Path of NotoSansSC-Regular.otf inside the installed `pylopdf_fonts_zh_cn` package."""
    spec = importlib.util.find_spec(FONT_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise FontError(
            f"no CJK font: the package {FONT_PACKAGE!r} is not installed; install it with "
            "`pip install pylopdf-fonts-zh-cn` (a dependency of yrdlib) so that Chinese labels "
            "render instead of empty boxes")
    for loc in spec.submodule_search_locations:
        path = Path(loc) / FONT_FILE
        if path.is_file():
            return path
    raise FontError(f"no CJK font: {FONT_FILE} is missing from the installed package "
                    f"{FONT_PACKAGE!r} ({list(spec.submodule_search_locations)}); reinstall it")


def cjk_font_name() -> str:
    """The family name matplotlib knows the CJK font by ('Noto Sans SC')."""
    from matplotlib.font_manager import FontProperties

    return FontProperties(fname=str(cjk_font_path())).get_name()


def setup(lang: str = "both") -> str:
    """Register the CJK font, apply a clean style and remember the default label language.
    Idempotent. Returns the CJK family name."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, not {lang!r}")
    import matplotlib
    import matplotlib.pyplot as plt  # noqa: F401  (backend set up before rcParams are changed)
    from cycler import cycler
    from matplotlib import font_manager

    path = cjk_font_path()
    name = cjk_font_name()
    if not any(Path(f.fname) == path for f in font_manager.fontManager.ttflist):
        font_manager.fontManager.addfont(str(path))
    _select_bold(font_manager, path, name)
    matplotlib.rcParams.update(SEABORN_WHITEGRID)
    matplotlib.rcParams["axes.prop_cycle"] = cycler(color=list(SEABORN_DEEP))
    matplotlib.rcParams.update(RC)
    matplotlib.rcParams["font.family"] = [name, "DejaVu Sans"]
    matplotlib.rcParams["font.sans-serif"] = [name, "DejaVu Sans"]
    _state.update(lang=lang, family=name)
    report.display_setup(lang)  # tables and warnings for the report (a no-op outside IPython for tables)

    interactive.register_formatter()  # figures from the helpers below carry a plotly spec
    return name


def install(lang: str = "both") -> bool:
    """Set up display for a report, once per kernel: the table formatter for DataFrames, Series
    and Stylers (:mod:`yrdlib.report.tables`), the CJK font with its bold weight
    (:func:`setup`), and warnings routed to a log file instead of the page
    (``$YRD_JOB_OUTPUT_DIR/../warnings.log`` in a run, nowhere shown to the reader). Returns
    False outside IPython (then only the font and warnings are set up)."""
    setup(lang)  # calls display_setup(lang)
    return report.display_setup(lang)


def _select_bold(font_manager, path: Path, name: str) -> None:
    """The font package ships only the Regular face. Register that face also under the bold
    weights, so that ``fontweight="bold"`` selects it instead of logging "findfont: Failed to
    find font weight bold" into the report; bold CJK text is drawn at the regular weight (no
    maintained PyPI package ships Noto Sans SC Bold)."""
    fm = font_manager.fontManager
    have = {(Path(f.fname), f.weight) for f in fm.ttflist}
    base = next((f for f in fm.ttflist if Path(f.fname) == path), None)
    if base is None:
        return
    added = False
    for w in (600, 700, 800, 900):
        if (path, w) not in have:
            fm.ttflist.append(dataclasses.replace(base, weight=w))
            added = True
    if added and hasattr(fm, "_findfont_cached"):
        fm._findfont_cached.cache_clear()


def _lang(lang: str | None) -> str:
    lang = lang or _state["lang"]
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, not {lang!r}")
    return lang


def bilingual(zh: str, en: str, lang: str | None = None) -> str:
    """The one bilingual label helper (:func:`yrdlib.vocab.label`) in the plotting language."""

    return vocab.label(zh, en, _lang(lang))


def indicator_label(key: str, lang: str | None = None, unit: bool = True) -> str:
    """Bilingual indicator label from the dictionary, with its unit in brackets."""
    ind = indicators.get(key)
    text = bilingual(ind.label_zh, ind.label_en, lang)
    return f"{text} [{ind.unit}]" if unit and ind.unit else text


def region_label(code: str, lang: str | None = None) -> str:
    """台州 / Taizhou / 台州 Taizhou."""

    r = regions.resolve(code)
    return bilingual(r.short_zh, r.name_en, lang)


# --------------------------------------------------------------------------------------------
def region_map(ax, codes: Iterable[str], values: Mapping | pd.Series | None = None,
               highlight: str | None = None, labels: bool = True, lang: str | None = None,
               title: str | None = None, value_label: str | None = None, cmap: str = "viridis",
               size: float = 60) -> list[str]:
    """Cities as dots at their centroid lon/lat (equal-distance aspect at their mean latitude).

    Colour: by `values` (code -> number: continuous colour bar; code -> text: categories) or, if
    None, by the year the city joined the YRD coordination association (cities not in it: grey).
    `highlight` (a code) gets a ring and a bold label. `labels` writes short names (Chinese for
    lang 'zh'/'both', English for 'en'). Cities without coordinates are listed in a note at the
    foot of the axes. Returns the codes that could not be placed."""
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    lang = _lang(lang)
    ref = regions.reference()
    codes = [regions.canonical_code(c) for c in codes]
    unknown = [c for c in codes if c not in ref.index]
    sub = ref.loc[[c for c in codes if c in ref.index]]
    has_xy = sub["lon"].notna() & sub["lat"].notna()
    missing = unknown + list(sub.index[~has_xy])
    sub = sub[has_xy]
    name_col = "name_en" if lang == "en" else "short_zh"

    if values is None:
        cats = sub["yrd_join_year"].map(lambda v: "—" if pd.isna(v) else str(int(v)))
        legend_title = bilingual("加入长三角城市经济协调会年份", "Year joined the YRD association",
                                 lang)
    else:
        vals = pd.Series(values, dtype=object)
        vals.index = [regions.canonical_code(c) for c in vals.index]
        vals = vals.reindex(sub.index)
        numeric = pd.to_numeric(vals, errors="coerce")
        if numeric.notna().sum() == vals.notna().sum() and numeric.notna().any():
            cats = None
        else:
            cats = vals.map(lambda v: "—" if pd.isna(v) else str(v))
        legend_title = value_label or ""

    if cats is None:
        ok = numeric.notna()
        if (~ok).any():
            ax.scatter(sub.loc[~ok, "lon"], sub.loc[~ok, "lat"], s=size, facecolor="white",
                       edgecolor=NO_DATA_COLOUR, linewidth=1.2, zorder=2)
        sc = ax.scatter(sub.loc[ok, "lon"], sub.loc[ok, "lat"], c=numeric[ok].astype(float),
                        cmap=cmap, s=size, edgecolor="white", linewidth=0.5, zorder=3)
        cb = plt.colorbar(sc, ax=ax, shrink=0.7, pad=0.02)
        cb.set_label(legend_title)
        handles = []
    else:
        levels = sorted(set(cats) - {"—"}) + (["—"] if "—" in set(cats) else [])
        palette = plt.get_cmap("viridis_r" if values is None else "tab10")
        n = max(len(levels) - ("—" in levels), 1)
        handles = []
        for i, lev in enumerate(levels):
            colour = NO_DATA_COLOUR if lev == "—" else palette(i / max(n - 1, 1) * 0.9
                                                              if values is None else i % 10)
            m = cats == lev
            ax.scatter(sub.loc[m, "lon"], sub.loc[m, "lat"], s=size, color=colour,
                       edgecolor="white", linewidth=0.5, zorder=3)
            text = bilingual("非成员/无数据", "not a member / no data", lang) if lev == "—" else lev
            handles.append(Line2D([], [], marker="o", linestyle="", markersize=7, color=colour,
                                  label=f"{text} (n={int(m.sum())})"))
    if labels:
        for code, r in sub.iterrows():
            if code == highlight:
                continue
            ax.annotate(r[name_col], (r["lon"], r["lat"]), xytext=(3, 3),
                        textcoords="offset points", fontsize=7, color="#333333", zorder=4)
    if highlight is not None:
        hcode = regions.resolve(highlight).code
        h = ref.loc[hcode]
        if pd.notna(h["lon"]) and pd.notna(h["lat"]):
            ax.scatter([h["lon"]], [h["lat"]], s=size * 4, facecolor="none",
                       edgecolor=FOCUS_COLOUR, linewidth=2, zorder=5)
            ax.annotate(bilingual(h["short_zh"], h["name_en"], lang), (h["lon"], h["lat"]),
                        xytext=(8, -12), textcoords="offset points", fontsize=10,
                        color=FOCUS_COLOUR, zorder=6,
                        bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none",
                              "alpha": 0.8})
            handles.append(Line2D([], [], marker="o", linestyle="", markersize=10,
                                  markerfacecolor="none", markeredgecolor=FOCUS_COLOUR,
                                  markeredgewidth=2, label=bilingual("焦点城市", "focus", lang)))
        elif hcode not in missing:
            missing.append(hcode)
    _attach_map(ax, sub, name_col, numeric if cats is None else None, cats, legend_title,
                highlight, lang, size, cmap, values is None)
    if handles:
        ax.legend(handles=handles, title=legend_title or None, loc="upper left",
                  bbox_to_anchor=(1.01, 1.0), fontsize=7, title_fontsize=8, frameon=False)
    if len(sub):
        ax.set_aspect(1 / math.cos(math.radians(float(sub["lat"].mean()))), adjustable="datalim")
    ax.set_xlabel(bilingual("经度", "longitude", lang) + " (°E)")
    ax.set_ylabel(bilingual("纬度", "latitude", lang) + " (°N)")
    if title:
        ax.set_title(title)
    if missing:
        names = [f"{ref.at[c, name_col]} ({c})" if c in ref.index else c for c in missing]
        ax.text(0.0, -0.16, bilingual("无坐标未绘出: ", "No coordinates, not drawn: ", lang)
                + ", ".join(names), transform=ax.transAxes, fontsize=7, color="#a94442",
                va="top", ha="left")
    return missing


def _attach_map(ax, sub: pd.DataFrame, name_col: str, numeric: pd.Series | None,
                cats: pd.Series | None, legend_title: str, highlight: str | None, lang: str,
                size: float, cmap: str, by_join_year: bool) -> None:
    """The plotly twin of :func:`region_map`: the same dots (hover: name, code, value), the same
    colours by value or category, the focus ringed, the same equal-distance aspect."""
    import matplotlib.pyplot as plt
    from matplotlib.colors import to_hex

    def hover(idx) -> list[str]:
        return [html_escape(f"{sub.at[c, 'short_zh']} {sub.at[c, 'name_en']} ({c})")
                for c in idx]

    px = max(6.0, math.sqrt(size) * 1.2)
    traces: list[dict] = []
    if numeric is not None:
        ok = numeric.notna()
        if (~ok).any():
            traces.append({"type": "scatter", "mode": "markers",
                           "x": sub.loc[~ok, "lon"].tolist(), "y": sub.loc[~ok, "lat"].tolist(),
                           "text": hover(sub.index[~ok]), "hovertemplate": "%{text}: —<extra></extra>",
                           "name": bilingual("无数据", "no data", lang),
                           "marker": {"size": px, "color": "white",
                                      "line": {"color": NO_DATA_COLOUR, "width": 1.2}}})
        cm = plt.get_cmap(cmap)
        scale = [[i / 10, to_hex(cm(i / 10))] for i in range(11)]
        traces.append({"type": "scatter", "mode": "markers", "x": sub.loc[ok, "lon"].tolist(),
                       "y": sub.loc[ok, "lat"].tolist(), "text": hover(sub.index[ok]),
                       "name": legend_title or "", "showlegend": False,
                       "customdata": numeric[ok].astype(float).tolist(),
                       "hovertemplate": "%{text}: %{customdata:,.4~g}<extra></extra>",
                       "marker": {"size": px, "color": numeric[ok].astype(float).tolist(),
                                  "colorscale": scale, "showscale": True,
                                  "colorbar": {"title": {"text": legend_title or ""}},
                                  "line": {"color": "white", "width": 0.5}}})
    elif cats is not None:
        levels = sorted(set(cats) - {"—"}) + (["—"] if "—" in set(cats) else [])
        palette = plt.get_cmap("viridis_r" if by_join_year else "tab10")
        n = max(len(levels) - ("—" in levels), 1)
        for i, lev in enumerate(levels):
            colour = NO_DATA_COLOUR if lev == "—" else to_hex(
                palette(i / max(n - 1, 1) * 0.9 if by_join_year else i % 10))
            m = cats == lev
            text = bilingual("非成员/无数据", "not a member / no data", lang) if lev == "—" else lev
            traces.append({"type": "scatter", "mode": "markers",
                           "x": sub.loc[m, "lon"].tolist(), "y": sub.loc[m, "lat"].tolist(),
                           "text": hover(sub.index[m]), "name": f"{text} (n={int(m.sum())})",
                           "hovertemplate": f"%{{text}}: {html_escape(lev)}<extra></extra>",
                           "marker": {"size": px, "color": colour,
                                      "line": {"color": "white", "width": 0.5}}})
    if highlight is not None:
        hcode = regions.resolve(highlight).code
        if hcode in sub.index:
            traces.append({"type": "scatter", "mode": "markers+text",
                           "x": [sub.at[hcode, "lon"]], "y": [sub.at[hcode, "lat"]],
                           "text": [bilingual(sub.at[hcode, "short_zh"], sub.at[hcode, "name_en"],
                                              lang)], "textposition": "bottom right",
                           "textfont": {"color": FOCUS_COLOUR}, "hoverinfo": "skip",
                           "name": bilingual("焦点城市", "focus", lang),
                           "marker": {"size": px * 2, "color": "rgba(0,0,0,0)",
                                      "line": {"color": FOCUS_COLOUR, "width": 2}}})
    layout = {"xaxis": {"showgrid": False}, "yaxis": {"showgrid": False}}
    if len(sub):
        layout["yaxis"].update(scaleanchor="x", scaleratio=1 / math.cos(
            math.radians(float(sub["lat"].mean()))))
    interactive.attach(ax, traces, layout)


def html_escape(text: str) -> str:
    """Plotly reads a subset of HTML in hover text: a category label is escaped."""
    return html.escape(str(text))


# --------------------------------------------------------------------------------------------
def coverage_heatmap(ax, matrix: pd.DataFrame, lang: str | None = None, title: str | None = None,
                     cbar: bool = True, annotate: bool = False, cmap: str = "YlGnBu",
                     cbar_label: str | None = None, note: bool = True):
    """Rows (indicators or regions) × columns (years) of coverage shares in [0, 1].

    A share of 0 or a missing cell is drawn in flat grey, distinct from the colour scale (which
    starts at a visible pale colour), so gaps are never mistaken for low coverage; `note` writes
    "grey = no data" above the axes. Returns the QuadMesh."""
    import matplotlib.pyplot as plt
    from matplotlib.colors import ListedColormap

    lang = _lang(lang)
    m = matrix.astype(float)
    data = np.ma.masked_where(~(m.to_numpy() > 0), m.to_numpy())
    base = plt.get_cmap(cmap)
    colours = ListedColormap(base(np.linspace(0.15, 1.0, 256))).with_extremes(bad=NO_DATA_COLOUR)
    mesh = ax.pcolormesh(np.arange(m.shape[1] + 1), np.arange(m.shape[0] + 1), data,
                         cmap=colours, vmin=0, vmax=1, edgecolors="white", linewidth=0.4)
    ax.set_xlim(0, m.shape[1])
    ax.set_ylim(m.shape[0], 0)
    ax.grid(False)
    cols = list(m.columns)
    step = 1 if len(cols) <= 12 else (2 if len(cols) <= 30 else 5)
    ticks = [i for i in range(len(cols)) if i % step == 0]
    ax.set_xticks([i + 0.5 for i in ticks])
    ax.set_xticklabels([str(cols[i]) for i in ticks], rotation=90 if len(ticks) > 12 else 0)
    ax.set_yticks(np.arange(m.shape[0]) + 0.5)
    ax.set_yticklabels([str(i) for i in m.index])
    if annotate:
        for i in range(m.shape[0]):
            for j in range(m.shape[1]):
                v = m.iat[i, j]
                if v > 0:
                    ax.text(j + 0.5, i + 0.5, f"{v:.0%}", ha="center", va="center", fontsize=6,
                            color="white" if v > 0.6 else "black")
    if cbar:
        cb = plt.colorbar(mesh, ax=ax, shrink=0.8, pad=0.02)
        cb.set_label(cbar_label or bilingual("有数据的城市比例", "share of cities with a value",
                                             lang))
        cb.ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:.0%}"))
    if note:
        ax.text(1.0, 1.01, bilingual("灰色 = 无数据", "grey = no data", lang),
                transform=ax.transAxes, ha="right", va="bottom", fontsize=7, color="#555555")
    if title:
        ax.set_title(title, loc="left")
    return mesh


# --------------------------------------------------------------------------------------------
def _to_wide(df: pd.DataFrame, indicator: str) -> pd.DataFrame:
    """region_code × year table of one indicator from a long panel or a `panel.wide` frame."""
    if "indicator" in df.columns:
        d = df[df["indicator"] == indicator]
        return d.pivot_table(index="region_code", columns="year", values="value", aggfunc="first")
    d = df.reset_index() if indicator not in df.columns or "region_code" not in df.columns else df
    return d.pivot_table(index="region_code", columns="year", values=indicator, aggfunc="first")


def group_stats(df: pd.DataFrame, indicator: str, codes: Iterable[str],
                min_n: int = 3, min_coverage: float | None = None) -> pd.DataFrame:
    """Per year: median, 25th and 75th percentiles and n of a group; NaN (a gap) where n <
    min_n or the year is not :func:`yrdlib.groups.covered` (fewer than ``min_coverage``, default
    ``groups.MIN_COVERAGE``, of the best-covered year's n: a composition change)."""
    if min_coverage is None:
        min_coverage = groups.MIN_COVERAGE
    w = _to_wide(df, indicator)
    w = w.reindex([c for c in codes if c in w.index])
    out = pd.DataFrame({"median": w.median(), "q25": w.quantile(0.25), "q75": w.quantile(0.75),
                        "n": w.notna().sum()})
    thin = (out["n"] < min_n) | ~groups.covered(out["n"], min_coverage=min_coverage)
    out.loc[thin, ["median", "q25", "q75"]] = np.nan
    out.index.name = "year"
    return out


def _group_traces(yrs: list[int], st: pd.DataFrame, name: str, colour: str, band: bool,
                  lang: str) -> list[dict]:
    """Plotly traces of one group: the IQR band (q75 then q25 filled to it) and the median, with
    the group size n in the hover text. Gaps stay gaps (None)."""
    iqr = f"{name} " + bilingual("四分位区间", "IQR", lang)
    med = f"{name} " + bilingual("中位数", "median", lang)
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    out = []
    if band:
        for q, fill in (("q75", None), ("q25", "tonexty")):
            out.append({"type": "scatter", "mode": "lines", "x": yrs,
                        "y": st[q].to_numpy(float), "name": iqr, "legendgroup": iqr,
                        "showlegend": q == "q25", "line": {"width": 0, "color": colour},
                        "fillcolor": f"rgba({r},{g},{b},0.15)",
                        "hovertemplate": f"%{{x}} {q}: %{{y:,.4~g}}<extra>{name}</extra>",
                        **({"fill": fill} if fill else {})})
    out.append({"type": "scatter", "mode": "lines+markers", "x": yrs,
                "y": st["median"].to_numpy(float), "name": med,
                "customdata": st["n"].to_numpy(float),
                "line": {"color": colour, "width": 1.5}, "marker": {"size": 4},
                "hovertemplate": "%{x}: %{y:,.4~g} (n=%{customdata})<extra>%{fullData.name}"
                                 "</extra>"})
    return out


def focus_vs_medians(ax, df: pd.DataFrame, focus_code: str, indicator: str,
                     groups: Mapping[str, Iterable[str]], lang: str | None = None,
                     years: tuple[int, int] | None = None, band: bool = True,
                     title: str | None = None, legend: bool = True,
                     min_n: int = 3, min_coverage: float | None = None) -> pd.DataFrame:
    """The focus city's series against the median (and interquartile band) of each group.

    `df` is the long panel (region_code, year, indicator, value) or a `panel.wide` frame;
    `groups` maps a legend label to region codes (e.g. YRD-41, all prefectures). Nothing is
    interpolated: a missing year is a gap in the line and markers show isolated points; a group
    statistic is a gap too in a year when too few of the group's cities report
    (:func:`group_stats`, ``min_coverage``). Returns a year-indexed frame: focus, and <label>
    median/q25/q75/n per group."""
    from matplotlib.ticker import MaxNLocator

    lang = _lang(lang)
    w = _to_wide(df, indicator)
    lo, hi = years if years else (int(min(w.columns)), int(max(w.columns)))
    yrs = list(range(lo, hi + 1))
    focus = w.loc[focus_code] if focus_code in w.index else pd.Series(dtype=float)
    focus = focus.reindex(yrs).astype(float)
    out = pd.DataFrame({"focus": focus})
    traces: list[dict] = []
    for i, (name, codes) in enumerate(groups.items()):
        colour = GROUP_COLOURS[i % len(GROUP_COLOURS)]
        st = group_stats(df, indicator, codes, min_n=min_n, min_coverage=min_coverage).reindex(yrs)
        for col in st.columns:
            out[f"{name} {col}"] = st[col]
        if band:
            ax.fill_between(yrs, st["q25"].to_numpy(float), st["q75"].to_numpy(float),
                            color=colour, alpha=0.15, linewidth=0,
                            label=f"{name} " + bilingual("四分位区间", "IQR", lang))
        ax.plot(yrs, st["median"].to_numpy(float), color=colour, linewidth=1.5, marker=".",
                markersize=4, label=f"{name} " + bilingual("中位数", "median", lang))
        traces += _group_traces(yrs, st, name, colour, band, lang)
    ax.plot(yrs, focus.to_numpy(float), color=FOCUS_COLOUR, linewidth=2, marker="o",
            markersize=4, label=region_label(focus_code, lang), zorder=5)
    traces.append({"type": "scatter", "mode": "lines+markers", "x": yrs,
                   "y": focus.to_numpy(float), "name": region_label(focus_code, lang),
                   "line": {"color": FOCUS_COLOUR, "width": 2}, "marker": {"size": 6},
                   "hovertemplate": "%{x}: %{y:,.4~g}<extra>%{fullData.name}</extra>"})

    interactive.attach(ax, traces, {"xaxis": {"range": [lo - 0.5, hi + 0.5],
                                              "tickformat": "d"}})
    ax.set_title(title if title is not None else indicator_label(indicator, lang), loc="left",
                 fontsize=10)
    ax.set_xlim(lo - 0.5, hi + 0.5)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=6))
    if focus.isna().all():
        ax.text(0.5, 0.5, bilingual("焦点城市无数据", "no data for the focus city", lang),
                transform=ax.transAxes, ha="center", va="center", color=FOCUS_COLOUR, fontsize=9)
    if legend:
        ax.legend(loc="best", fontsize=7)
    return out
