"""yrdlib.plotting: the CJK font really renders Chinese, and the plots keep gaps visible."""

from __future__ import annotations

import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgba
from matplotlib.font_manager import FontProperties
from matplotlib.ft2font import FT2Font

from yrdlib import plotting, regions


@pytest.fixture(autouse=True)
def _setup():
    plotting.setup("both")
    yield
    plt.close("all")


def test_font_file_is_the_packaged_noto():
    path = plotting.cjk_font_path()
    assert path.name == "NotoSansSC-Regular.otf" and path.is_file()
    assert plotting.cjk_font_name() == "Noto Sans SC"


def test_setup_sets_family_and_is_idempotent():
    name = plotting.setup("zh")
    n1 = sum(Path(f.fname) == plotting.cjk_font_path() for f in font_manager.fontManager.ttflist)
    plotting.setup("zh")
    n2 = sum(Path(f.fname) == plotting.cjk_font_path() for f in font_manager.fontManager.ttflist)
    assert n1 == n2 == 5  # the regular face, also registered under the bold weights 600-900
    weights = sorted(f.weight for f in font_manager.fontManager.ttflist
                     if Path(f.fname) == plotting.cjk_font_path())
    assert weights == [400, 600, 700, 800, 900]
    fam = matplotlib.rcParams["font.family"]
    assert fam[0] == name and "DejaVu Sans" in fam
    assert matplotlib.rcParams["axes.unicode_minus"] is False
    assert matplotlib.rcParams["savefig.dpi"] <= 120
    with pytest.raises(ValueError, match="lang"):
        plotting.setup("fr")


def test_chinese_glyphs_come_from_the_cjk_font_without_warnings():
    path = font_manager.findfont(FontProperties(family=matplotlib.rcParams["font.family"]),
                                 fallback_to_default=False)
    assert Path(path) == plotting.cjk_font_path()
    ft = FT2Font(path)
    for ch in "台州玉环长三角":
        assert ft.get_char_index(ord(ch)) != 0, ch
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig, ax = plt.subplots()
        ax.set_title("台州 Taizhou")
        ax.set_xlabel("玉环 Yuhuan −1")
        FigureCanvasAgg(fig).draw()
    missing = [str(w.message) for w in caught if "missing" in str(w.message).lower()]
    assert missing == []


def test_missing_glyph_warning_is_detectable_with_a_latin_only_font():
    """Guard for the test above: without the CJK font the same drawing does warn."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig, ax = plt.subplots()
        ax.set_title("台州 Taizhou", fontfamily="DejaVu Sans")
        FigureCanvasAgg(fig).draw()
    assert any("missing" in str(w.message).lower() for w in caught)


def test_missing_font_package_raises_clearly(monkeypatch):
    monkeypatch.setattr(plotting, "FONT_PACKAGE", "no_such_font_package_xyz")
    with pytest.raises(plotting.FontError, match="not installed"):
        plotting.cjk_font_path()


@pytest.mark.parametrize("lang,expected", [("zh", "台州"), ("en", "Taizhou"),
                                           ("both", "台州 Taizhou")])
def test_bilingual(lang, expected):
    assert plotting.bilingual("台州", "Taizhou", lang) == expected


def test_long_bilingual_labels_wrap_onto_two_lines():
    label = plotting.bilingual("对实际使用外资占GDP比重的效应", "effect on FDI / GDP (log points)", "both")
    assert label.split("\n") == ["对实际使用外资占GDP比重的效应", "effect on FDI / GDP (log points)"]


def test_bilingual_default_follows_setup_and_rejects_unknown():
    plotting.setup("en")
    assert plotting.bilingual("台州", "Taizhou") == "Taizhou"
    with pytest.raises(ValueError):
        plotting.bilingual("台州", "Taizhou", "de")


def test_region_map_lists_cities_without_coordinates_and_highlights():
    fig, ax = plt.subplots()
    codes = regions.yrd41() + ["000000"]  # the nation has no coordinates
    missing = plotting.region_map(ax, codes, highlight="331000", lang="both")
    assert missing == ["000000"]
    texts = [t.get_text() for t in ax.texts]
    assert "台州 Taizhou" in texts
    assert "宁波" in texts
    assert any("000000" in t for t in texts)  # the note names what was not drawn
    assert ax.get_aspect() > 1  # lon degrees shrunk at ~31°N
    FigureCanvasAgg(fig).draw()


def test_region_map_numeric_values_get_a_colour_bar():
    fig, ax = plt.subplots()
    vals = {c: i for i, c in enumerate(regions.yrd41())}
    assert plotting.region_map(ax, list(vals), values=vals, labels=False) == []
    assert len(fig.axes) == 2  # map and colour bar


def test_coverage_heatmap_draws_gaps_grey():
    m = pd.DataFrame([[1.0, 0.0, 0.5], [np.nan, 0.2, 1.0]], index=["a", "b"],
                     columns=[2000, 2001, 2002])
    fig, ax = plt.subplots()
    mesh = plotting.coverage_heatmap(ax, m, lang="en")
    FigureCanvasAgg(fig).draw()
    colours = mesh.get_facecolors().reshape(2, 3, 4)
    grey = np.array(to_rgba(plotting.NO_DATA_COLOUR))
    assert np.allclose(colours[0, 1], grey) and np.allclose(colours[1, 0], grey)
    for i, j in [(0, 0), (0, 2), (1, 1), (1, 2)]:
        assert not np.allclose(colours[i, j], grey)
        assert not np.allclose(colours[i, j][:3], 1.0)  # low coverage is not white either
    assert [t.get_text() for t in ax.get_yticklabels()] == ["a", "b"]


def _toy_panel():
    rows = []
    for year in range(2000, 2005):
        for k, code in enumerate(["A1", "A2", "A3", "A4"]):
            rows.append((code, year, "x", 10.0 * (k + 1) + year - 2000))
        if year not in (2002, 2003):  # focus has a gap, and 2004 is isolated
            rows.append(("F", year, "x", 100.0))
    return pd.DataFrame(rows, columns=["region_code", "year", "indicator", "value"])


def test_focus_vs_medians_keeps_gaps_and_computes_medians(monkeypatch):
    monkeypatch.setattr(plotting, "region_label", lambda code, lang=None: code)
    monkeypatch.setattr(plotting, "indicator_label", lambda key, lang=None: key)
    _fig, ax = plt.subplots()
    out = plotting.focus_vs_medians(ax, _toy_panel(), "F", "x", {"G": ["A1", "A2", "A3", "A4"]})
    assert list(out.index) == [2000, 2001, 2002, 2003, 2004]
    assert out["focus"].isna().tolist() == [False, False, True, True, False]
    assert out.loc[2000, "G median"] == 25.0  # median of 10, 20, 30, 40
    assert out.loc[2001, "G q25"] == pytest.approx(18.5)
    assert (out["G n"] == 4).all()
    focus_line = next(ln for ln in ax.get_lines() if ln.get_label() == "F")
    y = np.asarray(focus_line.get_ydata(), float)
    assert np.isnan(y[2]) and np.isnan(y[3])  # a gap, not a straight line across
    assert focus_line.get_marker() not in (None, "", "None")  # isolated 2004 shows


def test_focus_vs_medians_with_wide_frame_and_no_focus_data(monkeypatch):
    monkeypatch.setattr(plotting, "region_label", lambda code, lang=None: code)
    monkeypatch.setattr(plotting, "indicator_label", lambda key, lang=None: key)
    wide = _toy_panel().pivot_table(index=["region_code", "year"], columns="indicator",
                                    values="value")
    _fig, ax = plt.subplots()
    out = plotting.focus_vs_medians(ax, wide, "ZZ", "x", {"G": ["A1", "A2"]}, min_n=3,
                                    lang="en")
    assert out["focus"].isna().all()
    assert out["G median"].isna().all()  # fewer than min_n cities: no median
    assert any("no data for the focus city" in t.get_text() for t in ax.texts)


def test_written_out_theme_matches_seaborn_set_theme():
    """plotting.setup applies seaborn's whitegrid/notebook theme without importing seaborn; the
    written-out values must equal what the installed seaborn sets (a seaborn upgrade that changes
    its theme fails here)."""
    import seaborn as sns
    from matplotlib.colors import to_hex

    with matplotlib.rc_context():
        matplotlib.rcdefaults()
        sns.set_theme(style="whitegrid", context="notebook")
        theirs = dict(matplotlib.rcParams)
        cycle = [to_hex(c) for c in matplotlib.rcParams["axes.prop_cycle"].by_key()["color"]]
    for k, v in plotting.SEABORN_WHITEGRID.items():
        assert str(theirs[k]) == str(matplotlib.rcParams.validate[k](v)), k
    assert tuple(cycle) == plotting.SEABORN_DEEP


def test_group_median_is_a_gap_when_the_group_composition_thins(monkeypatch):
    """A year in which few of the group's cities report (6 of 41 YRD cities for the resident
    population in 2002) gets no median: it would move with who reports, not with the values."""
    monkeypatch.setattr(plotting, "region_label", lambda code, lang=None: code)
    monkeypatch.setattr(plotting, "indicator_label", lambda key, lang=None: key)
    codes = [f"C{i}" for i in range(10)]
    rows = [(c, y, "x", float(i + (100 if y == 2001 else 0)))
            for i, c in enumerate(codes) for y in (2000, 2001, 2002)
            if not (y == 2001 and i >= 4)]  # 2001: only the 4 smallest cities report
    df = pd.DataFrame(rows, columns=["region_code", "year", "indicator", "value"])
    st = plotting.group_stats(df, "x", codes)
    assert st["n"].tolist() == [10, 4, 10]
    assert np.isnan(st.loc[2001, "median"]) and st.loc[2000, "median"] == 4.5
    assert plotting.group_stats(df, "x", codes, min_coverage=0).loc[2001, "median"] == 101.5
    _fig, ax = plt.subplots()
    out = plotting.focus_vs_medians(ax, df, "C0", "x", {"G": codes})
    assert np.isnan(out.loc[2001, "G median"]) and out.loc[2001, "G n"] == 4
