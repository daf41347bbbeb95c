"""A claim's general form for another city cluster (issue 23): "being listed in cluster X's plan
raises a member city's opening-up / tier / industry". The hypothesis functions take
``cluster=``; None or the YRD keeps their YRD design (41 cities, the association), any other
cluster swaps in its plan's members (:func:`groups.cluster_members`) and its plan treatment
(:func:`groups.plan_treatment`). What they share is here: which cluster was chosen, how the
group and the titles name it, and the "not applicable" records when the design cannot be run
for it (a plan without a central approval date, a focus city outside the cluster, too few
member cities with data)."""

from __future__ import annotations

import pandas as pd

from yrdlib import groups, regions
from yrdlib.claims import common
from yrdlib.claims.result import Result, not_applicable

GROUP_PREFIX = "cluster:"
"""A comparison-group key naming a cluster's members (``cluster:成渝城市群``, paths' ``group``)."""


def chosen(cluster: str | None) -> str | None:
    """The cluster's full Chinese name, or None when ``cluster`` is None or the YRD (the YRD
    keeps the functions' own YRD design: the 41 cities and the association)."""
    if cluster is None or str(cluster).strip() == "":
        return None
    name = groups.resolve_cluster(cluster)
    return None if name == groups.DEFAULT_CLUSTER else name


def members(cluster: str) -> list[str]:
    """Panel codes of every city the cluster's plan lists (part-listed cities included, as the
    plan treatment treats them)."""
    return groups.cluster_members(cluster)


def baseline_year(cluster: str) -> int:
    """The plan's last untreated year (its first treated year under the project's timing, minus
    one): where a before/after statistic of the cluster's cities starts, so that it measures the
    years the plan could have acted on and not two decades before it."""
    p = groups.plan_assignment(groups.DEFAULT_TIMING)
    years = p.loc[p["plan"] == groups.resolve_cluster(cluster), "treat_year"].dropna()
    if years.empty:
        raise ValueError(f"{cluster}: no city has this plan as its first approved plan")
    return int(years.min()) - 1


def names(cluster: str) -> tuple[str, str]:
    """(zh, en) display names of a cluster (:func:`yrdlib.groups.display_names`)."""
    return groups.display_names(cluster)


def group_label(cluster: str, n: int | None = None) -> tuple[str, str]:
    """How a sample text names the member group: 成渝城市群 16 城 / 16 cities of the
    Chengdu-Chongqing city cluster (成渝)."""
    zh, en = names(cluster)
    n = len(members(cluster)) if n is None else n
    return f"{zh} {n} 城", f"{n} cities of the {en} ({groups.short_name(zh)})"


def group_key(cluster: str) -> str:
    return GROUP_PREFIX + groups.resolve_cluster(cluster)


def title(title_zh: str, title_en: str, cluster: str) -> tuple[str, str]:
    """A registry title about the YRD turned into the cluster's (:func:`groups.cluster_title`)."""
    return groups.cluster_title(title_zh, title_en, cluster)


def retitle(ev, cluster: str):
    """Set an evidence record's titles to the cluster's (:func:`title`)."""
    ev.title_zh, ev.title_en = title(ev.title_zh, ev.title_en, cluster)
    return ev


def na(hid: str, cluster: str, reason_zh: str, reason_en: str, **data) -> Result:
    """A "not applicable" result for the cluster, titles naming it, the reason as its text."""
    ev = not_applicable(hid, reason_zh, reason_en, data_vintage=common.data_vintage())
    retitle(ev, cluster)
    return Result(ev, data=dict(data), text_zh=reason_zh, text_en=reason_en)


def scope_check(hid: str, cluster: str, focus: str | None = None,
                needs_treatment: bool = True) -> Result | None:
    """"Not applicable" when the cluster's design cannot be run: its plan has no central
    approval date (no treatment year to say what being listed did), the focus city is not one
    of its cities, or (``needs_treatment``) an earlier centrally approved plan lists the focus
    city, which the treatment rule (:func:`groups.plan_assignment`: the earliest approval sets
    a city's plan) makes that plan's city, not this one's; else None. A description
    (``needs_treatment=False``: where the city stands among the cluster's cities) needs only the
    plan's list of cities, not its approval date."""
    gap = groups.plan_design_gap(cluster)
    if gap and needs_treatment:
        return na(hid, cluster, *gap)
    if focus is not None:
        code = regions.resolve(focus).code
        zh, en = names(cluster)
        f = regions.resolve(code)
        if code not in set(members(cluster)):
            return na(hid, cluster,
                      f"{f.short_zh}不在{zh}规划所列城市之中，此项分析对它不适用；请选择该城市群的成员"
                      "城市作为焦点城市。",
                      f"{f.name_en} is not listed in the {en} plan: this analysis does not apply "
                      "to it; choose one of the cluster's cities as the focus city.")
        if not needs_treatment:
            return None
        first = groups.plan_assignment().at[code, "plan"]
        if first != groups.resolve_cluster(cluster):
            a = groups.plan_assignment().loc[code]
            o_zh, o_en = names(first)
            d = pd.Timestamp(a["approval_date"])
            return na(hid, cluster,
                      f"{f.short_zh}虽列入{zh}规划，但更早在{d.year}年{d.month}月获批的{o_zh}规划已将其列入；"
                      f"按“最早获批的规划决定处理年份”的规则，它是{o_zh}的处理城市，不能用来估计列入{zh}"
                      "规划的作用。",
                      f"{f.name_en} is listed in the {en} plan, but the {o_en} plan, approved "
                      f"earlier ({d.date()}), listed it first; under the rule that the earliest "
                      f"approval sets a city's treatment it is treated by that plan, so it cannot "
                      f"show what being listed in the {en} plan did.")
    return None


def too_few(hid: str, cluster: str, n: int, need: int, what_zh: str, what_en: str) -> Result:
    """"Not applicable": only ``n`` member cities have the data (the design needs ``need``)."""
    zh, en = names(cluster)
    return na(hid, cluster,
              f"{zh}只有 {n} 个城市有{what_zh}数据，少于本设计所需的 {need} 个，无法计算。",
              f"Only {n} cities of the {en} have {what_en} (the design needs {need}): not "
              "computable.")
