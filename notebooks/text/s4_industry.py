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
# # S4 产业创新与培育再造 · S4 Industry and innovation: spillovers, upgrading and Yuhuan's profile
#
# **论断 Claim** (文章第四条“重要意义”):
#
# > 有利于推动产业创新和培育再造。长三角地区拥有上海张江、安徽合肥综合性国家科学中心，张江、苏南、杭州等国家自主创新示范区和合芜蚌自主创新综合试验区，国家技术转移东部中心，沪嘉杭正携手打造 G60 科创走廊，玉环融入长三角一体化发展，将依托这些创新载体，在新能源、智能网联汽车和机器人、船舶等装备制造的优势产业上获得新升级，在以中国商飞为核心的民用航空、生物医药、新一代信息技术、新材料等战略性领域进行培育再造产业新引擎。
#
# *English rendering:* "It will promote industrial innovation and renewal. The YRD has the comprehensive
# national science centres of Zhangjiang (Shanghai) and Hefei (Anhui), national independent-innovation
# demonstration zones in Zhangjiang, southern Jiangsu and Hangzhou, the Hefei–Wuhu–Bengbu pilot zone,
# the national technology-transfer centre (east) and the G60 science-and-innovation corridor being
# built by Shanghai, Jiaxing and Hangzhou. Integrating into the YRD, Yuhuan will draw on these carriers
# to upgrade its leading equipment-manufacturing industries — new energy, intelligent connected
# vehicles and robots, ships — and to build new engines in strategic fields such as civil aviation
# around COMAC, biomedicine, new-generation IT and new materials."
#
# **Hypotheses** (from `CLAIMS.md`):
# - **S4.a Spillover** — innovation falls with distance from the YRD's innovation hubs (Shanghai,
#   Hefei, Hangzhou, Nanjing, Suzhou), other things equal: nearness to hubs matters, so being linked to
#   them should help. Where the focus city sits relative to that curve.
# - **S4.b Upgrading** — joining the YRD coordination association raises a city's tertiary share
#   (and its tertiary/secondary ratio). *Caveat:* for a manufacturing city a higher tertiary share is
#   not unambiguously "upgrading"; the industries the article names are manufacturing. We test the
#   direction the structural-change literature (产业结构高级化) reads as upgrading (+), and say so.
# - **S4.c Yuhuan's profile** — Yuhuan is a manufacturing-heavy economy, the base the article wants
#   upgraded (census manufacturing share against Taizhou's other counties; bulletin figures).
# - **S4.d–S4.f** — R&D intensity and patents over time, spillovers from the G60 corridor and the
#   science centres over time, and the named new industries: the embedded data cannot test them
#   (recorded as *not testable* with the data that would).
#
# **Evidence for**: a negative distance gradient with an interval below zero; a positive DiD effect
# with parallel pre-trends; Yuhuan's manufacturing share above its peers'. **Against**: no gradient,
# a negative or pre-trend-contaminated effect.

# %% tags=["parameters"]
focus_region = "331000"  # focus city: code, Chinese or English name (a county uses its prefecture) [region]
start_year = 2000  # first year of the DiD panel [year]
end_year = 2023  # last year of the DiD panel [year]
lang = "both"  # label language [choice: zh|en|both]
distance_form = "log"  # distance in the decay regression: ln km or km/100 [choice: log|100km]
event_window = 5  # leads and lags of the event study (binned at the ends)

# %%
# Derive and validate the parameters (papermill injects new values above; nothing is derived there)
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import Markdown, display

from yrdlib import evidence, groups, plotting, regions
from yrdlib.claims import common
from yrdlib.claims import industry as I
from yrdlib.data import panel
from yrdlib.evidence import Evidence
from yrdlib.methods import plot_event_study
from yrdlib.runner import export_table

plotting.setup(lang)


def L(zh, en):
    return plotting.bilingual(zh, en, lang)


def name(code):
    return plotting.region_label(code, lang)


focus = regions.resolve(focus_region)
start_year, end_year = common.check_years(start_year, end_year, min_years=7)
if distance_form not in ("log", "100km"):
    raise ValueError("distance_form must be 'log' or '100km'")
K = int(event_window)
if not 2 <= K <= 10:
    raise ValueError("event_window must be between 2 and 10")
YEARS = (start_year, end_year)
_, _pf, county_note = common.panel_focus(focus.code)
FOCUS = _pf.code
status = groups.focus_status(FOCUS, first_year=start_year)
VINTAGE = common.data_vintage("CCSY 2016 cross-section via xiaofanliang/intercity_connectivity (f4952e2f)")
display(Markdown(
    f"**Focus: {focus.name_zh} {focus.name_en} ({focus.code})**; DiD years {start_year}–{end_year}. "
    + (f"{county_note} " if county_note else "") + f"\n\n{status['zh']}  \n{status['en']}"))

# %% [markdown]
# ## S4.a 创新的距离衰减 · Distance decay of innovation (2016 cross-section)
#
# Data: patents per 10,000 residents from the *China City Statistical Yearbook 2016* cross-section
# (one year only; the yearbook volume reports the previous year), with that cross-section's own GDP
# and resident population for the controls (log GDP per capita, log population). Distance: great-circle
# km from the city's centroid to the nearest hub centroid (hubs: Shanghai, Hefei, Hangzhou, Nanjing,
# Suzhou; a hub city's own distance is floored at 10 km). Method: OLS with HC3 robust standard errors;
# for the focus city the 95% prediction interval says whether it sits above or below the curve.
# Robustness: distance in 100 km, log outcome, hubs excluded, YRD-only sample.

# %%
ds = I.decay_sample()
miss = I.decay_missing()
dec = I.decay(FOCUS, distance=distance_form)
rob = I.decay_robustness(FOCUS)
export_table(rob, "s4a_decay_robustness", title="S4.a distance-decay coefficient under several specifications")
export_table(dec.params.reset_index(), "s4a_decay_main", title="S4.a main distance-decay regression")
fo = dec.focus
unit = "per ln(km)" if distance_form == "log" else "per 100 km"
display(Markdown(
    f"{len(ds)} cities have the 2016 figures; of the 41 YRD cities {41 - len(miss)} do "
    f"(missing: {', '.join(name(c) for c in miss) or 'none'}). Distance coefficient: **{dec.slope:.2f} "
    f"patents per 10k {unit}**, 95% CI [{dec.ci_low:.2f}, {dec.ci_high:.2f}] (HC3), n = {dec.n}, R² = {dec.r2:.2f}."
    + (f" {name(FOCUS)}: {fo['observed']:.1f} patents per 10k against a predicted {fo['predicted']:.1f} "
       f"(95% prediction interval [{fo['pi_low']:.1f}, {fo['pi_high']:.1f}]), {fo['dist_km']:.0f} km from "
       f"the nearest hub ({name(fo['nearest_hub'])}); its residual is at the {fo['residual_percentile']:.0f}th "
       "percentile." if fo else f" {name(FOCUS)} is not in the 2016 cross-section.")))
display(dec.params.round(3))
rob.round(3)

# %%
fig, ax = plt.subplots(figsize=(8, 5))
dd = dec.data.merge(ds[["region_code", "yrd41"]], on="region_code")
ax.scatter(dd.loc[~dd["yrd41"], "dist_km"], dd.loc[~dd["yrd41"], "patents_per_10k_2016"], s=10, color="#bbbbbb",
           label=L("其他城市", "other cities"))
ax.scatter(dd.loc[dd["yrd41"], "dist_km"], dd.loc[dd["yrd41"], "patents_per_10k_2016"], s=18, color="#1f77b4",
           label=L("长三角41城", "YRD 41"))
# partial fit: slope at the sample means of the controls
xs = np.linspace(max(dd["dist_km"].min(), 10), dd["dist_km"].max(), 200)
fx = np.log(np.maximum(xs, 10)) if distance_form == "log" else xs / 100
base = dd["fitted"].mean() - dec.slope * (np.log(np.maximum(dd["dist_km"], 10)) if distance_form == "log"
                                          else dd["dist_km"] / 100).mean()
ax.plot(xs, base + dec.slope * fx, color="k", lw=1.5, label=L("拟合（控制变量取均值）", "fit (controls at means)"))
if fo:
    ax.errorbar([fo["dist_km"]], [fo["predicted"]], yerr=[[fo["predicted"] - fo["pi_low"]], [fo["pi_high"] - fo["predicted"]]],
                fmt="none", ecolor=plotting.FOCUS_COLOUR, capsize=5, alpha=0.6,
                label=L("焦点城市95%预测区间", "focus 95% prediction interval"))
    ax.scatter([fo["dist_km"]], [fo["observed"]], marker="*", s=200, color=plotting.FOCUS_COLOUR, zorder=5,
               label=name(FOCUS))
ax.set_xscale("symlog", linthresh=10)
ax.set_xlabel(L("到最近创新中心的距离（公里，对数刻度）", "distance to the nearest innovation hub (km, log scale)"))
ax.set_ylabel(L("每万人专利数（2016年鉴）", "patents per 10,000 residents (CCSY 2016)"))
ax.set_title(L("创新随离创新中心距离衰减（创新中心城市自身记为0公里）",
                "Innovation falls with distance from the hubs (hub cities at 0 km)"), loc="left", fontsize=10)
ax.legend(fontsize=8, loc="upper right")
plt.tight_layout()
plt.show()

# %%
yrd_row = rob[rob["specification"] == "YRD-41 cities only"].iloc[0]
ev_a = evidence.show(Evidence(
    claim="S4", hypothesis="S4.a",
    title_zh="创新（每万人专利）随到创新中心的距离而衰减",
    title_en="Innovation (patents per 10,000 residents) falls with distance to the nearest innovation hub",
    expected="-", estimate=dec.slope, ci_low=dec.ci_low, ci_high=dec.ci_high, p_value=dec.p_value, n=dec.n,
    unit=f"patents per 10k {unit}",
    method=f"OLS, distance ({distance_form}) to nearest of 5 hubs, controls ln GDP per capita and ln population, HC3 SE",
    sample=f"{dec.n} prefecture-level cities, CCSY 2016 cross-section", data_vintage=VINTAGE,
    notes=(f"YRD-only: {yrd_row['slope']:.2f} [{yrd_row['ci_low']:.2f}, {yrd_row['ci_high']:.2f}] (n={int(yrd_row['n'])}). "
           + (f"Focus {fo['observed']:.1f} vs predicted {fo['predicted']:.1f}, PI [{fo['pi_low']:.1f}, {fo['pi_high']:.1f}]. "
              if fo else "") + f"YRD cities without the 2016 figure: {', '.join(miss)}. One year: a gradient, not a spillover over time.")))

# %% [markdown]
# ## S4.b 结构升级：加入长三角后第三产业占比 · Structural upgrading after joining
#
# Data: tertiary share of GDP (%) and the tertiary/secondary ratio for all prefecture-level cities,
# yearbook panel. Treatment: the year a city joined the YRD coordination association (2003, 2010,
# 2013, 2018, 2019 cohorts); the 1997 founders have no pre-period and are dropped; cities that never
# joined are the controls. Methods: Gardner's two-stage DiD with not-yet-treated controls (main),
# Sun–Abraham with never-treated controls, and plain TWFE for comparison; event study with a joint
# pre-trend test. Robustness: the tertiary/secondary ratio, and dropping 2020.
#
# *Caveat:* the article's industries are manufacturing (new energy, connected vehicles, robots,
# ships). A rising tertiary share can also mean manufacturing shrinking; it is the conventional
# "高级化" indicator, not proof of upgrading within manufacturing.

# %%
res = {o: common.did_suite(common.did_data(o, "association", YEARS, "level"), leads=K, lags=K, placebo=0)
       for o in ("share_tertiary", "ts_ratio")}
res20 = {"share_tertiary (no 2020)": {"did2s": common.did_suite(
    common.did_data("share_tertiary", "association", YEARS, "level", drop_years=(2020,)),
    leads=K, lags=K, placebo=0)["did2s"]}}
tab = pd.concat([common.suite_table(s).assign(outcome=o) for o, s in {**res, **res20}.items()],
                ignore_index=True)
export_table(tab, "s4b_did", title="S4.b DiD estimates: tertiary share and tertiary/secondary ratio")
main = res["share_tertiary"]["did2s"]
if isinstance(main, str):
    display(Markdown(f"The main estimator could not run: {main}"))
else:
    display(Markdown(
        f"Main estimate (did2s): joining changed the tertiary share by **{main.att:+.2f} pp**, 95% CI "
        f"[{main.ci_low:+.2f}, {main.ci_high:+.2f}], pre-trend test p = {main.pretrend_p:.3f}; "
        f"{main.n_treated_units} treated cities (cohorts {main.cohorts}), {main.n_control_units} control units. "
        + (f"Sun–Abraham: {res['share_tertiary']['sunab'].att:+.2f} (pre-trend p = {res['share_tertiary']['sunab'].pretrend_p:.3f}); "
           if not isinstance(res['share_tertiary']['sunab'], str) else "")
        + (f"TWFE: {res['share_tertiary']['twfe'].att:+.2f}. " if not isinstance(res['share_tertiary']['twfe'], str) else "")
        + (f"Tertiary/secondary ratio (did2s): {res['ts_ratio']['did2s'].att:+.3f} "
           f"[{res['ts_ratio']['did2s'].ci_low:+.3f}, {res['ts_ratio']['did2s'].ci_high:+.3f}], pre-trend p = "
           f"{res['ts_ratio']['did2s'].pretrend_p:.3f}." if not isinstance(res['ts_ratio']['did2s'], str) else "")))
tab.round(3)

# %%
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(13, 4.5))
for off, (est, col) in zip((-0.2, 0, 0.2), (("did2s", "#1f77b4"), ("sunab", "#2ca02c"), ("twfe", "#7f7f7f"))):
    r = res["share_tertiary"][est]
    if not isinstance(r, str):
        plot_event_study(r, ax1, label=est, color=col, offset=off,
                         xlabel=L("相对加入年份", "years relative to joining"),
                         ylabel=L("第三产业占比效应（百分点）", "effect on tertiary share (pp)"))
ax1.set_title(L("事件研究：加入长三角协调会与第三产业占比", "Event study: joining and the tertiary share"),
              loc="left", fontsize=10)
ax1.legend(fontsize=8)
long = panel.wide(["share_tertiary"], years=YEARS)
cg = groups.comparison_groups(FOCUS)
plotting.focus_vs_medians(ax2, long, FOCUS, "share_tertiary",
                          {L("长三角41城", "YRD 41"): cg["yrd41"], L("全国", "all prefectures"): cg["national"]},
                          lang=lang, years=YEARS,
                          title=L(f"{name(FOCUS)}第三产业占比与同类城市", f"{name(FOCUS)}: tertiary share vs peers"))
ty = groups.treatment_years().get(FOCUS)
if ty is not None and not np.isnan(ty) and YEARS[0] <= ty <= YEARS[1]:
    ax2.axvline(ty - 0.5, color="grey", ls=":")
plt.tight_layout()
plt.show()
fpath = panel.wide(["share_tertiary", "share_secondary"], [FOCUS], years=YEARS).reset_index()
fp = fpath.dropna()
if len(fp):
    display(Markdown(f"{name(FOCUS)}: tertiary share {fp['share_tertiary'].iloc[0]:.1f}% in {fp['year'].iloc[0]} → "
                     f"{fp['share_tertiary'].iloc[-1]:.1f}% in {fp['year'].iloc[-1]}; secondary share "
                     f"{fp['share_secondary'].iloc[0]:.1f}% → {fp['share_secondary'].iloc[-1]:.1f}%."))

# %%
if isinstance(main, str):
    ev_b = Evidence(claim="S4", hypothesis="S4.b", title_zh="加入长三角提高第三产业占比",
                    title_en="Joining the YRD raises the tertiary share", expected="+", estimate=float("nan"),
                    method="did2s", notes=str(main), data_vintage=VINTAGE)
else:
    r_ts = res["ts_ratio"]["did2s"]
    ev_b = Evidence.from_did(
        main, claim="S4", hypothesis="S4.b", title_zh="加入长三角提高第三产业占比（结构“高级化”）",
        title_en="Joining the YRD coordination association raises the tertiary share", expected="+",
        unit="pp", data_vintage=VINTAGE,
        notes=("; ".join(main.notes) + " | Robustness: " + "; ".join(
            f"{row.outcome}/{row.estimator} {row.att:+.3f} [{row.ci_low:+.3f}, {row.ci_high:+.3f}] pre-p "
            f"{row.pretrend_p:.3f}" for row in tab.dropna(subset=["att"]).itertuples() if row.outcome != "share_tertiary"
            or row.estimator != "did2s")
            + ". Caveat: a higher tertiary share is not unambiguous upgrading for a manufacturing city."))
ev_b = evidence.show(ev_b)

# %% [markdown]
# ## S4.c 玉环的产业底色 · Yuhuan's profile (census and bulletins)
#
# Yuhuan has no yearly series: its profile comes from the 2010 and 2020 censuses (employment by
# sector, migrants; Taizhou's nine counties and districts) and a handful of bulletin, work-report and
# news figures, each shown with its source quality (`bulletin` = a statistical bulletin or official
# report; `news/other` = a reposted page). This part is about Yuhuan whatever the focus city, because
# the article is.

# %%
cc = I.county_census()
export_table(cc, "s4c_taizhou_county_census", title="S4.c census indicators of Taizhou's counties, 2010 and 2020")
mg = I.manufacturing_gap(2020)
mg10 = I.manufacturing_gap(2010)
ss = I.secondary_share_2019()
prof = I.bulletin_profile()
export_table(prof, "s4c_bulletin_points", title="S4.c Yuhuan and Taizhou bulletin figures with source quality")
c20 = cc[cc["year"] == 2020].sort_values("census_manufacturing_share")
c10 = cc[cc["year"] == 2010].set_index("region_code")["census_manufacturing_share"]
fig, ax = plt.subplots(figsize=(8, 4.5))
cols = [plotting.FOCUS_COLOUR if c == I.YUHUAN else ("#555555" if c == I.TAIZHOU else "#1f77b4")
        for c in c20["region_code"]]
labels = [name(c) for c in c20["region_code"]]
ax.barh(labels, c20["census_manufacturing_share"], color=cols, label="2020")
ax.scatter(c10.reindex(c20["region_code"]).to_numpy(), labels, color="k", marker="|", s=200, zorder=3, label="2010")
ax.set_xlabel(L("制造业就业占比（%，人口普查长表）", "manufacturing share of employment (%, census long form)"))
ax.set_title(L("台州各县市区制造业就业占比：2020（条）与2010（竖线）", "Taizhou's counties: manufacturing share, 2020 (bars), 2010 (ticks)"),
             loc="left", fontsize=10)
ax.legend(fontsize=8, loc="lower right")
plt.tight_layout()
plt.show()
display(Markdown(
    f"Census 2020: **{mg['value']:.1f}%** of Yuhuan's employed work in manufacturing, rank {mg['rank']} of "
    f"{mg['n_units']} counties and districts of Taizhou; median of the others {mg['others_median']:.1f}%, "
    f"Taizhou as a whole {mg['prefecture']:.1f}% (2010: {mg10['value']:.1f}%, rank {mg10['rank']}). Migrants from "
    f"other provinces: {cc.query('region_code == @I.YUHUAN and year == 2020')['census_migrant_share'].iloc[0]:.1f}% "
    f"of residents in 2020. Bulletin 2019 (初步测算, a reposted page): secondary sector {ss['county']:.1f}% of GDP "
    f"against {ss['prefecture']:.1f}% for Taizhou (yearbook panel)."))
display(prof.drop(columns=["source"]))
ev_c = evidence.show(Evidence(
    claim="S4", hypothesis="S4.c", kind="fact",
    title_zh="玉环以制造业为主：制造业就业占比高于台州其他县市区中位数",
    title_en="Yuhuan is manufacturing-heavy: its census manufacturing share exceeds the median of Taizhou's other counties",
    expected="+", estimate=mg["gap"], null_value=0, n=mg["n_units"], unit="pp",
    method="census 2020 long form: manufacturing share of employment, Yuhuan minus median of Taizhou's other 8 counties/districts",
    sample="Taizhou's 9 counties and districts, census 2020 (2010 shown)", data_vintage=VINTAGE,
    notes=(f"Yuhuan {mg['value']:.1f}% vs median {mg['others_median']:.1f}% (rank {mg['rank']}/{mg['n_units']}); "
           f"2010 gap {mg10['gap']:+.1f} pp. Bulletin 2019 secondary share {ss['county']:.1f}% vs Taizhou "
           f"{ss['prefecture']:.1f}% (source quality: news/other and bulletin). Describes the base, not an upgrade.")))

# %% [markdown]
# ## 无法用内置数据检验的部分 · What the embedded data cannot test
#
# The article's mechanism runs through R&D, patents and named industries over time. None of these
# exists as an open city-year panel here. The keys below can be filled by a user in `data/user/`
# (see the README); the table shows how many city-years are loaded now.

# %%
uc = I.user_coverage()
display(uc)
ev_d = evidence.show(Evidence.not_testable(
    claim="S4", hypothesis="S4.d",
    title_zh="玉环/焦点城市研发强度与专利随融入长三角而上升",
    title_en="R&D intensity and patenting of Yuhuan / the focus city rise with YRD integration",
    missing_data="rd_intensity and patents_granted (and invention_patents_granted) by city-year for the YRD "
                 "and control cities, and Yuhuan's own R&D/patent series from its bulletins (data/user/)",
    data_vintage=VINTAGE, notes=f"loaded now: {', '.join(f'{r.indicator} {r.city_years} city-years' for r in uc.itertuples())}"))
ev_e = evidence.show(Evidence.not_testable(
    claim="S4", hypothesis="S4.e",
    title_zh="G60科创走廊与张江、合肥科学中心的创新溢出随时间增强",
    title_en="Spillovers from the G60 corridor and the Zhangjiang/Hefei science centres grow over time",
    missing_data="patents_granted by city-year before and after the G60 corridor (2016/2018) and the science "
                 "centres (2016/2017), for corridor, nearby and distant cities; the only patent data here are one "
                 "2016 cross-section",
    data_vintage=VINTAGE))
ev_f = evidence.show(Evidence.not_testable(
    claim="S4", hypothesis="S4.f",
    title_zh="新能源、智能网联汽车和机器人、船舶等优势产业获得新升级",
    title_en="The named industries (new energy, connected vehicles and robots, ships) upgrade",
    missing_data="output / value added and productivity of Yuhuan's above-scale industry by sector (规模以上工业分行业) "
                 "by year, e.g. from the Taizhou statistical yearbook or Yuhuan's bulletins; no indicator key exists yet",
    data_vintage=VINTAGE))

# %% [markdown]
# ## 结论 · Verdict for S4

# %%
evs = [ev_a, ev_b, ev_c, ev_d, ev_e, ev_f]
rec = evidence.claim_box("S4", evs, "推动产业创新和培育再造", "Industry and innovation: spillovers, upgrading, renewal")
v = {e.hypothesis: e.verdict for e in evs}
display(Markdown(f'''
**Reasoning.** S4.a is *{v["S4.a"]}*: across {dec.n} cities, patents per 10,000 residents fall by
{abs(dec.slope):.1f} {unit} of distance to the nearest hub, holding income and size fixed; within the YRD
alone (n = {int(yrd_row["n"])}) the gradient is {yrd_row["slope"]:.1f} [{yrd_row["ci_low"]:.1f}, {yrd_row["ci_high"]:.1f}]:
the YRD's cities are all near a hub, so the gradient is national. {(f"{name(FOCUS)} lies {'above' if fo['residual'] > 0 else 'below'} the curve "
f"(residual percentile {fo['residual_percentile']:.0f}). ") if fo else ""}S4.b is *{v["S4.b"]}*: the effect of joining on the tertiary share is
{ev_b.estimate:+.2f} pp [{ev_b.ci_low:+.2f}, {ev_b.ci_high:+.2f}]; check the pre-trend tests of the other
estimators and the tertiary/secondary ratio in the table above before reading it as causal. S4.c is
*{v["S4.c"]}* as a description: Yuhuan's employment is {mg["value"]:.0f}% manufacturing. The dynamic
heart of the claim — R&D, patents, G60/science-centre spillovers, the named industries — is *not
testable* with the embedded data.

**Limitations.** One patent cross-section cannot show spillovers growing; the hub list is the
project's (five cities); centroids are not city seats. The DiD treats association membership as the
treatment, while the article's mechanisms (science centres, G60) came later and overlap the 2016–2019
cohorts. County figures for Yuhuan come from bulletins and reposted pages of mixed quality.

**Data that would settle what remains:** `rd_intensity`, `patents_granted`, `invention_patents_granted`
by city-year (provincial science and technology yearbooks, CNIPA statistics), Yuhuan's R&D and patent
series from its bulletins, and above-scale industrial output by sector for Yuhuan and its peers.
'''))
