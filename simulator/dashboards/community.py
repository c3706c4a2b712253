"""Community level: the volunteer's and community leader's board of who to visit next.

Everything here reads one community's own families (identified rows are fine at this level:
the volunteer knows them). The words "recorded event", "stage", "status", "open case",
"community contact" and "notification" mean what :mod:`simulator.dashboards.casework`
defines. On top of those:

**Last visit** (``last_visit_date``)
    The latest community contact of the family's case. A case that is known but has no
    community contact yet (a nurse noticed the problem and nobody from the community has
    acted) counts from the day it became known: its first recorded event. Shown for open
    cases only: a closed case (all goals met) or a family without a case is not visited on a
    clock.
**Next visit due** (``next_visit_due``)
    For an open case: the last visit plus ``visit_every_days`` of ``dashboards.yaml`` for
    the case's level (``cases.case_level``: emergency, complex). Families without an open case
    are not due a visit.
**Visit overdue** (``visit_overdue``)
    The data's date (``as_of``) is after the next visit's due date.
**Urgency order** of the board
    Emergency families first, then complex, routine, none; within a level, overdue visits
    first; then the longest since the last visit (families never visited last); then
    ``family_id``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.ticker import MaxNLocator, StrMethodFormatter

from simulator.model.config import DIMENSIONS
from simulator.thai.dates import thai_date
from simulator.thai.vocabulary import (
    CASE_LEVEL_TH,
    COLOUR_TH,
    DIMENSION_TH,
    EVENT_TH,
    STAGE_TH,
    SUBJECT_TH,
    YES_NO_TH,
)

from .casework import (
    ANSWER_TH,
    NO_STAGE,
    NO_STAGE_TH,
    STATUS_TH,
    LevelSettings,
    add_days,
    case_states,
    days_between,
    days_by_level,
    households_of,
    latest,
    load_level_settings,
    notifications,
    recorded_events,
)
from .charts import COLOURS, PHONE_WIDTH_IN, finish, new_figure
from .tables import PETAL_COLUMNS, DashboardData, thai_view

LEVEL_ORDER = ("emergency", "complex", "routine", "none")
COLOUR_ORDER = ("red", "yellow", "green")
PETAL_TH = {f"{s}_{d}": f"{SUBJECT_TH[s]}: {DIMENSION_TH[d]}" for s in ("child", "parent") for d in DIMENSIONS}

BOARD_TH = {
    "family_id": "รหัสครัวเรือน", "case_id": "รหัสกรณี", "case_level": "ระดับกรณี", **PETAL_TH,
    "red_petals": "กลีบแดง", "yellow_petals": "กลีบเหลือง", "stage": "ขั้นปัจจุบัน", "status": "สถานะ",
    "last_event": "เหตุการณ์ล่าสุด", "last_event_date": "วันที่เหตุการณ์ล่าสุด",
    "days_since_last_event": "วันนับจากเหตุการณ์ล่าสุด", "last_visit_date": "เยี่ยมล่าสุด",
    "days_since_visit": "วันนับจากเยี่ยมล่าสุด", "next_visit_due": "ครบกำหนดเยี่ยม",
    "visit_overdue": "เลยกำหนดเยี่ยม",
}
FEEDBACK_TH = {
    "family_id": "รหัสครัวเรือน", "dimension": "มิติ", "notified_date": "วันที่แจ้ง",
    "due_date": "ควรรับเรื่องภายใน", "answer": "การรับเรื่อง", "acknowledged_date": "วันที่รับเรื่อง",
    "days_waited": "รอ (วัน)", "days_late": "ช้ากว่ากำหนด (วัน)",
    "latest_event": "เกิดอะไรขึ้นล่าสุดในมิตินี้", "latest_event_date": "เมื่อ",
}
SUMMARY_TH = {
    "families": "ครอบครัว", "children": "เด็ก", "open_cases": "กรณีที่ยังเปิดอยู่",
    **{f"level_{lv}": f"ครอบครัวระดับ{CASE_LEVEL_TH[lv]}" for lv in LEVEL_ORDER},
    "visits_overdue": "เลยกำหนดเยี่ยม", "notifications_waiting": "แจ้งแล้ว รอรับเรื่อง",
    "notifications_overdue": "แจ้งแล้ว ยังไม่รับเรื่อง เลยกำหนด",
    "acknowledged_late": "รับเรื่องช้ากว่ากำหนด",
    **{f"red_{p}": f"กลีบแดง {PETAL_TH[p]}" for p in PETAL_COLUMNS},
    **{f"yellow_{p}": f"กลีบเหลือง {PETAL_TH[p]}" for p in PETAL_COLUMNS},
}
_LABELS = {
    "case_level": CASE_LEVEL_TH, **{p: COLOUR_TH for p in PETAL_COLUMNS},
    "stage": {**STAGE_TH, NO_STAGE: NO_STAGE_TH}, "status": STATUS_TH, "last_event": EVENT_TH,
    "latest_event": EVENT_TH, "dimension": DIMENSION_TH, "answer": ANSWER_TH,
}


def community_board(data: DashboardData, community: str, district: str | None = None,
                    levels: LevelSettings | None = None) -> pd.DataFrame:
    """One row per family of ``community`` (in ``district``, needed where the name repeats), most urgent first.

    Columns: ``family_id``, ``case_id`` (missing for families without a case), the eight
    petal colours (``child_social`` ... ``parent_governance`` from ``data.petals``),
    ``red_petals``, ``yellow_petals``, ``case_level`` (from the petals), ``stage``,
    ``status`` (``no_case`` for families without a case), ``open``, ``last_event``,
    ``last_event_date``, ``days_since_last_event`` (to ``as_of``), ``last_visit_date``,
    ``days_since_visit``, ``next_visit_due`` and ``visit_overdue``, as the module defines
    them. Rows in urgency order.
    """
    levels = levels or load_level_settings()
    hh = households_of(data, community, district)
    families = hh["family_id"]
    petals = data.petals[data.petals["family_id"].isin(families)]
    board = pd.DataFrame({"family_id": families.to_numpy()}).merge(
        petals[["family_id", *PETAL_COLUMNS, "case_level"]], on="family_id", how="left")
    colours = board[list(PETAL_COLUMNS)].astype(str).to_numpy()
    board["red_petals"] = (colours == "red").sum(axis=1)
    board["yellow_petals"] = (colours == "yellow").sum(axis=1)
    board["case_level"] = board["case_level"].astype(str)

    states = case_states(data, families, levels).drop(columns=["case_level", "dimensions"])
    case_level_of_case = data.cases.set_index("case_id")["case_level"].astype(str)
    board = board.merge(states, on="family_id", how="left")
    board["stage"] = board["stage"].fillna(NO_STAGE)
    board["status"] = board["status"].fillna("no_case")
    board["open"] = board["open"].fillna(False).astype(bool)
    board["days_since_last_event"] = days_between(np.full(len(board), data.as_of.to_datetime64()),
                                                  board["last_event_date"])
    visit = board["last_community_contact"].fillna(board["first_recorded_date"])
    visit = visit.where(board["open"])
    board["last_visit_date"] = visit.astype("datetime64[s]")
    board["days_since_visit"] = days_between(np.full(len(board), data.as_of.to_datetime64()), visit)
    every = days_by_level(board["case_id"].map(case_level_of_case), data.settings.visit_every_days)
    board["next_visit_due"] = add_days(visit, every)
    board["visit_overdue"] = (board["next_visit_due"] < data.as_of).to_numpy()

    rank = board["case_level"].map({lv: i for i, lv in enumerate(LEVEL_ORDER)}).fillna(len(LEVEL_ORDER))
    since = board["days_since_visit"].astype("Float64").fillna(-1)
    board = board.assign(_rank=rank, _late=~board["visit_overdue"], _since=-since)
    board = board.sort_values(["_rank", "_late", "_since", "family_id"], kind="stable")
    columns = ["family_id", "case_id", *PETAL_COLUMNS, "red_petals", "yellow_petals", "case_level", "stage",
               "status", "open", "last_event", "last_event_date", "days_since_last_event", "last_visit_date",
               "days_since_visit", "next_visit_due", "visit_overdue"]
    return board[columns].reset_index(drop=True)


def provider_feedback(data: DashboardData, community: str, district: str | None = None) -> pd.DataFrame:
    """Every notification the community sent for its cases, and what the provider did with it.

    The feedback loop the old system lacked: for each ``notified`` event of the community's
    cases, :func:`~simulator.dashboards.casework.notifications` (due date, acknowledged or
    not and when, days waited, days late, ``answer``), plus what happened since:
    ``latest_event``, ``latest_event_date`` and ``latest_actor``, the latest recorded event
    of that case in that dimension (the acknowledgement or anything after it; the
    notification itself while nothing followed). Rows: overdue first, then waiting, late, on
    time; within each, the longest wait first.
    """
    hh = households_of(data, community, district)
    notes = notifications(data, hh["family_id"])
    ev = recorded_events(data, hh["family_id"])
    ev = ev[ev["dimension"].notna().to_numpy()]
    last = latest(ev, ["case_id", "dimension"])[["event", "date", "actor_role"]]
    last = last.rename(columns={"event": "latest_event", "date": "latest_event_date", "actor_role": "latest_actor"})
    out = notes.merge(last.astype({"latest_event": str, "latest_actor": str}).reset_index()
                      .astype({"case_id": object, "dimension": object}),
                      on=["case_id", "dimension"], how="left")
    order = {"overdue": 0, "waiting": 1, "late": 2, "on_time": 3}
    out = out.assign(_o=out["answer"].map(order), _w=-out["days_waited"].astype("Float64"))
    return out.sort_values(["_o", "_w", "case_id", "dimension"], kind="stable").drop(
        columns=["_o", "_w"]).reset_index(drop=True)


def community_summary(data: DashboardData, community: str, district: str | None = None,
                      levels: LevelSettings | None = None) -> dict[str, int]:
    """Counts for the community's meeting, keyed as :data:`SUMMARY_TH` (Thai labels for display).

    ``families``, ``children`` (born children of those families), ``open_cases``,
    ``level_emergency`` ... ``level_none`` (families by case level of the petals),
    ``visits_overdue``, ``notifications_waiting`` (not yet acknowledged, whether due or not),
    ``notifications_overdue`` (of those, past their due date), ``acknowledged_late``, and per
    petal ``red_<petal>`` / ``yellow_<petal>``: families whose petal has that colour.
    """
    board = community_board(data, community, district, levels)
    feedback = provider_feedback(data, community, district)
    children = data.children["family_id"].isin(board["family_id"]).sum()
    out = {"families": len(board), "children": int(children), "open_cases": int(board["open"].sum())}
    for lv in LEVEL_ORDER:
        out[f"level_{lv}"] = int((board["case_level"] == lv).sum())
    out["visits_overdue"] = int(board["visit_overdue"].sum())
    out["notifications_waiting"] = int((~feedback["acknowledged"]).sum())
    out["notifications_overdue"] = int(feedback["overdue"].sum())
    out["acknowledged_late"] = int((feedback["answer"] == "late").sum())
    for colour in ("red", "yellow"):
        for p in PETAL_COLUMNS:
            out[f"{colour}_{p}"] = int((board[p].astype(str) == colour).sum())
    return out


def community_board_th(board: pd.DataFrame) -> pd.DataFrame:
    """:func:`community_board` as the volunteer reads it: Thai headers, Thai words, Thai dates."""
    shown = board.assign(visit_overdue=board["visit_overdue"].map(YES_NO_TH), case_id=board["case_id"].fillna(""))
    return thai_view(shown, BOARD_TH, _LABELS)


def provider_feedback_th(feedback: pd.DataFrame) -> pd.DataFrame:
    """:func:`provider_feedback` with Thai headers and words."""
    return thai_view(feedback, FEEDBACK_TH, _LABELS)


def community_summary_th(summary: dict[str, int]) -> pd.DataFrame:
    """:func:`community_summary` as a two-column Thai table (หัวข้อ, จำนวน)."""
    return pd.DataFrame({"หัวข้อ": [SUMMARY_TH[k] for k in summary], "จำนวน": list(summary.values())})


def community_petal_figure(data: DashboardData, community: str, district: str | None = None):
    """Red, yellow and green families on each of the eight petals of ``community``, phone width.

    One horizontal stacked bar per petal (the child's four dimensions, then the parent's); the
    red and yellow counts are written in two columns right of the bars, the green count in its
    part of the bar where it fits.
    """
    hh = households_of(data, community, district)
    petals = data.petals[data.petals["family_id"].isin(hh["family_id"])]
    counts = pd.DataFrame({p: petals[p].astype(str).value_counts() for p in PETAL_COLUMNS}).T
    counts = counts.reindex(columns=list(COLOUR_ORDER), fill_value=0).reindex(list(PETAL_COLUMNS)).fillna(0)
    counts = counts.astype(int)
    n = len(petals)
    fig = new_figure(PHONE_WIDTH_IN, 4.2)
    ax = fig.add_subplot()
    # From the top: the child's heading and four petals, a gap, the parent's heading and four petals.
    y = np.array([8.6, 7.6, 6.6, 5.6, 3.4, 2.4, 1.4, 0.4])
    left = np.zeros(len(PETAL_COLUMNS))
    for colour in COLOUR_ORDER:
        values = counts[colour].to_numpy()
        ax.barh(y, values, left=left, color=COLOURS[colour], edgecolor="white", height=0.75,
                label=COLOUR_TH[colour])
        if colour == "green":
            for yi, x0, v in zip(y, left, values):
                if v >= max(1, 0.12 * n):
                    ax.text(x0 + v / 2, yi, f"{v:,}", ha="center", va="center", fontsize=8, color="white")
        left += values
    # Red and yellow counts always show, in two columns right of the bars: a red petal of one
    # family in three hundred is a sliver of a bar, and the number the volunteer looks for.
    columns = ax.get_yaxis_transform()
    for x, colour, ink in ((1.06, "red", COLOURS["red"]), (1.2, "yellow", "#9a6b00")):
        ax.text(x, 9.55, COLOUR_TH[colour], transform=columns, ha="center", va="center", fontsize=8, color=ink)
        for yi, v in zip(y, counts[colour].to_numpy()):
            ax.text(x, yi, f"{v:,}", transform=columns, ha="center", va="center", fontsize=9, color=ink,
                    fontweight="bold" if v else "normal")
    ax.set_yticks(y, [DIMENSION_TH[p.split("_", 1)[1]] for p in PETAL_COLUMNS], fontsize=9)
    ax.tick_params(axis="y", length=0)
    heading = ax.get_yaxis_transform()
    for yh, words in ((9.55, "เด็ก (วงใน)"), (4.35, "ผู้ปกครอง (วงนอก)")):
        ax.text(0.01, yh, words, transform=heading, ha="left", va="center", fontsize=9, fontweight="bold")
    ax.set_ylim(-0.2, 10.0)
    limit = max(n, 1)
    ax.set_xticks([t for t in MaxNLocator(6, integer=True).tick_values(0, limit) if 0 <= t <= limit])
    ax.set_xlim(0, limit)
    ax.xaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    # Left-aligned, so that the synthetic mark in the bottom-right corner stays clear of it.
    ax.set_xlabel("จำนวนครอบครัว", fontsize=9, loc="left")
    ax.tick_params(axis="x", labelsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    fig.suptitle(f"กลีบดอกของครอบครัวใน{community}\n{n:,} ครอบครัว ณ {thai_date(data.as_of)}", fontsize=10)
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=3, fontsize=8, frameon=False)
    reds = ", ".join(f"{PETAL_TH[p]} {counts.loc[p, 'red']}" for p in PETAL_COLUMNS if counts.loc[p, "red"])
    yellows = ", ".join(f"{PETAL_TH[p]} {counts.loc[p, 'yellow']}" for p in PETAL_COLUMNS if counts.loc[p, "yellow"])
    alt = (f"แผนภูมิแท่งซ้อนของกลีบดอก 8 กลีบ (เด็ก 4 มิติ ผู้ปกครอง 4 มิติ) ของ {n:,} ครอบครัวใน{community} "
           f"ณ {thai_date(data.as_of)}: กลีบแดง {reds or 'ไม่มี'}; กลีบเหลือง {yellows or 'ไม่มี'}; ที่เหลือเป็นสีเขียว")
    return finish(fig, alt, f"กลีบดอกของครอบครัวใน{community} (ข้อมูลสมมติ)")


__all__ = ["BOARD_TH", "FEEDBACK_TH", "LEVEL_ORDER", "PETAL_TH", "SUMMARY_TH", "community_board",
           "community_board_th", "community_petal_figure", "community_summary", "community_summary_th",
           "provider_feedback", "provider_feedback_th"]
