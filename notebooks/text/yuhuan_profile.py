# ---
# jupyter:
#   jupytext:
#     cell_metadata_filter: tags,-all
#     formats: ipynb,text//py:percent
#     notebook_metadata_filter: kernelspec,jupytext,-jupytext.text_representation.jupytext_version
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#   kernelspec:
#     display_name: Python 3 (yrd)
#     language: python
#     name: yrd
# ---

# %% [markdown]
# # 玉环县域画像：普查与公报数据
# # Yuhuan profile: what the county-level data say
#
# **论断背景 Context.** 文章称「玉环作为台州南大门，同时也是台州湾区经济的南部增长极」，主张其融入长三角一体化发展（见论断 S1–S4 与路径 P）。 This notebook describes Yuhuan itself (玉环市, 331083, a county-level city of Taizhou) with the only county data the project has: the 2010 and 2020 censuses for all nine counties of Taizhou, and bulletin, news and port points. It tests no hypothesis and records no verdict; it gives the facts the claim notebooks (S2 migrants, S4 manufacturing) rely on.
#
# **What would count.** Census measures ranked against Taizhou's other eight counties (resident vs registered population, migrants from other provinces, manufacturing share of employment, urbanisation); every bulletin figure with its source and quality flag.

# %% tags=["parameters"]
focus_region = "331083"  # county to profile (a county of Taizhou 台州); other regions fall back to 玉环 [region]
start_year = 2000  # first year of bulletin points shown [year]
end_year = 2023  # last year of bulletin points shown [year]
lang = "both"  # label language [choice: zh|en|both]

# %%
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import Markdown, display

from yrdlib import plotting, regions
from yrdlib.claims import common
from yrdlib.claims import profile as Y
from yrdlib.data import panel
from yrdlib.runner import export_table

r = regions.resolve(focus_region)
start_year, end_year = common.check_years(start_year, end_year, min_years=1)
if lang not in ("zh", "en", "both"):
    raise ValueError(f"lang must be zh, en or both, got {lang!r}")
plotting.setup(lang)
counties = Y.taizhou_counties()
if r.code in counties:
    county = r
    msg = ""
else:
    county = regions.resolve(Y.YUHUAN)
    msg = (f"\n\n> {r.short_zh}({r.code})不是台州的县级单位；本画像只有台州各县的数据，改为展示玉环。<br>"
           f"{r.label} ({r.code}) is not a county of Taizhou; county data exist only for Taizhou's counties, so the profile shows Yuhuan.")
display(Markdown(f"**县 County:** {county.short_zh} {county.name_en} ({county.code}){msg}"))

# %% [markdown]
# ## 普查 Census 2010 and 2020: the nine counties of Taizhou

# %%
census = Y.county_census()
export_table(census, "taizhou_county_census", title="Census 2010/2020, Taizhou's counties")
wide_c = census.pivot_table(index=["name_zh", "name_en"], columns="year",
                            values=["census_pop", "census_hukou", "census_net_inflow_share", "census_migrant_share",
                                    "census_manufacturing_share", "census_urban_share"])
wide_c.columns = [f"{m.replace('census_', '')} {y}" for m, y in wide_c.columns]
display(wide_c.dropna(axis=1, how="all").round(1))
c10 = census[(census.region_code == county.code) & (census.year == 2010)].iloc[0]
c20 = census[(census.region_code == county.code) & (census.year == 2020)].iloc[0]
rk = {m: Y.county_ranks(census, m, yr) for m, yr in [("census_net_inflow_share", 2010), ("census_migrant_share", 2020),
                                                       ("census_manufacturing_share", 2020), ("census_urban_share", 2020)]}
pos = {m: int(d.loc[d.region_code == county.code, "rank"].iloc[0]) for m, d in rk.items()}
display(Markdown(f"""
In 2010 {county.name_en} had **{c10.census_pop:,.0f}** residents against **{c10.census_hukou:,.0f}** registered (hukou) persons:
residents exceeded registrations by {c10.census_net_inflow_share:.1f}% of residents (rank {pos['census_net_inflow_share']} of 9 counties).
In 2020 it had {c20.census_pop:,.0f} residents (+{100 * (c20.census_pop / c10.census_pop - 1):.1f}% on 2010); the 2020 county tables give
no hukou figure. Residents with hukou in another province: {c20.census_migrant_share:.1f}% (rank {pos['census_migrant_share']});
manufacturing share of employment {c20.census_manufacturing_share:.1f}% (rank {pos['census_manufacturing_share']});
urbanisation {c20.census_urban_share:.1f}% (rank {pos['census_urban_share']}). Source: 6th and 7th census county tables (NBS), see footer.
"""))

# %%
fig, axes = plt.subplots(2, 2, figsize=(11, 6.5))
titles = {"census_net_inflow_share": ("常住减户籍占常住人口比（2010）", "Residents minus registered, % of residents (2010)"),
          "census_migrant_share": ("外省户籍常住人口占比（2020）", "Residents with hukou in another province, % (2020)"),
          "census_manufacturing_share": ("制造业就业占比（2020）", "Manufacturing share of employment, % (2020)"),
          "census_urban_share": ("城镇化率（2020）", "Urbanisation rate, % (2020)")}
for ax, (m, d) in zip(axes.ravel(), rk.items()):
    d = d.iloc[::-1]
    cols = [plotting.FOCUS_COLOUR if c == county.code else "#9e9e9e" for c in d.region_code]
    ax.barh([plotting.bilingual(z, e, lang) for z, e in zip(d.name_zh, d.name_en)], d[m], color=cols)
    ax.axvline(0, color="#444", linewidth=0.8)
    ax.set_title(plotting.bilingual(*titles[m], lang), loc="left", fontsize=9)
    for y, v in enumerate(d[m]):
        ax.text(v, y, f" {v:.1f}", va="center", fontsize=7)
fig.suptitle(plotting.bilingual(f"台州九县（市、区）普查指标排序，{county.short_zh}为红色",
                                f"Taizhou's nine counties ranked on census measures; {county.name_en} in red", lang),
             x=0.01, ha="left", fontsize=11)
fig.tight_layout()
plt.show()

# %% [markdown]
# ## 公报与港口点值 Bulletin and port points
# Each figure with its source file and row, qualifier (exact / forecast / lower bound / target) and quality (bulletin, news/other). They are **points**, not series: years are isolated, definitions differ between sources, and some are forecasts. Rows repeated in two source files are marked `duplicate`.

# %%
pts = Y.yuhuan_points(panel.table("points"))
pts = pts[pd.to_numeric(pts["period"], errors="coerce").between(start_year, end_year)]
export_table(pts, "yuhuan_points", title="Yuhuan bulletin, news and port points with source and quality")
display(pts[["period", "entity", "metric", "value", "unit", "qualifier", "quality", "duplicate", "note", "source", "source_row"]])
q = pts[~pts.duplicate]
display(Markdown(f"{len(q)} distinct points ({int(q.qualifier.ne('exact').sum())} not exact: forecasts or bounds) "
                 f"from {q.source.nunique()} source files, years {q.period.min()}–{q.period.max()}."))

# %% [markdown]
# ## 小结 Summary and limits
# Yuhuan stands out among Taizhou's counties as a place of in-migration and manufacturing employment; the numbers above are computed from the census tables. Its bulletin figures are sparse single years of mixed quality (several are news reports or government work reports rather than statistical bulletins), so they describe, they do not test. **Data that would add most:** Yuhuan's statistical bulletins for every year (GDP, industry, exports, R&D, patents, port throughput) typed into `data/user/` with their sources.
