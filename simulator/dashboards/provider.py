"""Provider level: one dimension's professionals (social, education, health, governance) and their cases.

A provider sees the identified cases of their own dimension, in one district or in all. The
words "recorded event", "latest event", "status", "contact in a dimension" and
"notification" mean what :mod:`simulator.dashboards.casework` defines. For dimension D:

**In D's caseload** (open in D)
    A case whose plan has (or will have) a goal in D (D is among ``cases.dimensions``), whose
    provider of D has been notified (a recorded ``notified`` event in D), and whose goal in D
    is not yet met (no recorded ``goal_met`` in D). It enters on the day of the notification
    and leaves on the day its goal in D is met, whatever happens in other dimensions.
**Stage in D**
    The stage of the case's latest recorded event in D or of the whole plan (events without a
    dimension, such as the planning meeting and the consent), so that another dimension's
    progress does not move it.
**Unacknowledged**
    A notification in D with no acknowledgement by ``as_of`` (due date, days late and
    overdue as :func:`~simulator.dashboards.casework.notifications` defines them).
**In service in D**
    A case in D's caseload with a recorded ``service_started`` in D (also while its stage in D
    is back to ``plan`` after a ``goal_not_met``: the family is still the provider's to follow).
**Follow-up** (for a case in service in D)
    Due on the last contact in D plus ``follow_up_every_days`` of ``dashboards.yaml`` for the
    case's level. Status ``overdue`` when ``as_of`` is after the due date; ``due`` when the
    due date is ``as_of`` or within ``follow_up_due_soon_days`` of ``dashboard_levels.yaml``
    after it; ``ok`` otherwise.
**Out of contact**
    A case in D's caseload whose latest recorded event, in any dimension and by anyone, is
    ``no_contact_days`` of ``dashboards.yaml`` or more before ``as_of``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.ticker import MaxNLocator, StrMethodFormatter

from simulator.figures.journey import STAGE_COLOUR
from simulator.model.timelines import STAGES
from simulator.thai.dates import thai_date
from simulator.thai.vocabulary import (
    CASE_LEVEL_TH,
    DIMENSION_TH,
    EVENT_TH,
    STAGE_TH,
    YES_NO_TH,
)

from .casework import (
    ANSWER_TH,
    NO_STAGE,
    NO_STAGE_TH,
    LevelSettings,
    add_days,
    check_dimension,
    days_between,
    days_by_level,
    households_of,
    latest,
    load_level_settings,
    notifications,
    recorded_events,
)
from .charts import COLOURS, PHONE_WIDTH_IN, STATUS_COLOURS, finish, new_figure
from .tables import DashboardData, member_of, thai_view

CASELOAD_STAGES = tuple(s for s in STAGES if s != "goals_met")
FOLLOW_UP_STATUSES = ("overdue", "due", "ok")
FOLLOW_UP_TH = {"overdue": "เลยกำหนดติดตาม", "due": "ใกล้ครบกำหนดติดตาม", "ok": "ยังไม่ถึงกำหนด"}
_PLACE = {"family_id": "รหัสครัวเรือน", "case_id": "รหัสกรณี", "district": "เขต", "community": "ชุมชน",
          "case_level": "ระดับกรณี"}
CASELOAD_TH = {**_PLACE, "stage": "ขั้นในมิตินี้", "notified_date": "วันที่แจ้ง", "last_event": "เหตุการณ์ล่าสุด",
               "last_event_date": "วันที่เหตุการณ์ล่าสุด", "days_since_last_event": "วันนับจากเหตุการณ์ล่าสุด"}
UNACKNOWLEDGED_TH = {**_PLACE, "notified_date": "วันที่แจ้ง", "due_date": "ควรรับเรื่องภายใน",
                     "days_waited": "รอมาแล้ว (วัน)", "days_late": "เลยกำหนด (วัน)", "overdue": "เลยกำหนด"}
FOLLOW_UPS_TH = {**_PLACE, "service_start_date": "เริ่มรับบริการ", "last_contact_date": "ติดต่อล่าสุดในมิตินี้",
                 "last_contact_event": "การติดต่อล่าสุด", "due_date": "ครบกำหนดติดตาม",
                 "days_to_due": "อีกกี่วันถึงกำหนด", "follow_up": "การติดตาม"}
OUT_OF_CONTACT_TH = CASELOAD_TH
SUMMARY_TH = {
    "caseload": "กรณีที่ดูแลอยู่", **{f"caseload_{s}": f"กรณีในขั้น{STAGE_TH[s]}" for s in CASELOAD_STAGES},
    "unacknowledged": "ยังไม่รับเรื่อง", "unacknowledged_overdue": "ยังไม่รับเรื่อง เลยกำหนด",
    "served": "เริ่มรับบริการแล้ว ยังไม่บรรลุเป้าหมาย", "follow_ups_due": "ใกล้ครบกำหนดติดตาม", "follow_ups_overdue": "เลยกำหนดติดตาม",
    "out_of_contact": "ขาดการติดต่อ",
}
_LABELS = {"case_level": CASE_LEVEL_TH, "stage": {**STAGE_TH, NO_STAGE: NO_STAGE_TH}, "last_event": EVENT_TH,
           "last_contact_event": EVENT_TH, "follow_up": FOLLOW_UP_TH, "answer": ANSWER_TH}


def _scope(data: DashboardData, district: str | None):
    """(families of ``district`` or None for all, their recorded events, household places by family)."""
    if district is None:
        hh, families = data.households, None
    else:
        hh = households_of(data, district=district)
        families = hh["family_id"]
    places = hh.set_index("family_id")[["district", "community"]].astype(str)
    return families, recorded_events(data, families), places


def _with_place(table: pd.DataFrame, places: pd.DataFrame) -> pd.DataFrame:
    where = places.reindex(table["family_id"].to_numpy())
    out = table.copy()
    out.insert(2, "district", where["district"].to_numpy())
    out.insert(3, "community", where["community"].to_numpy())
    return out


def _dimension_cases(data: DashboardData, dimension: str, families, ev: pd.DataFrame,
                     levels: LevelSettings) -> pd.DataFrame:
    """Every case notified in ``dimension`` (D among its dimensions), with what the definitions need."""
    cases = data.cases
    if families is not None:
        cases = cases[member_of(cases["family_id"], families)]
    planned = ("," + cases["dimensions"].astype(str) + ",").str.contains(f",{dimension},", regex=False)
    cases = cases.loc[planned.to_numpy(), ["case_id", "family_id", "case_level"]]
    in_dim = (ev["dimension"] == dimension).to_numpy()
    ev_d = ev[in_dim]
    kind = ev_d["event"].astype(str)
    notified = ev_d[(kind == "notified").to_numpy()].groupby("case_id", sort=False)["date"].min()
    cases = cases[member_of(cases["case_id"], notified.index)].reset_index(drop=True)
    ids = cases["case_id"]
    met = member_of(ids, ev_d.loc[(kind == "goal_met").to_numpy(), "case_id"])
    started = ev_d[(kind == "service_started").to_numpy()].groupby("case_id", sort=False)["date"].min()
    contact = ev_d[~ev_d["actor_role"].isin(levels.family_roles).to_numpy()]
    last_contact = latest(contact, "case_id")
    mine = ev[member_of(ev["case_id"], ids)]
    staged = latest(mine[(mine["dimension"] == dimension).to_numpy() | mine["dimension"].isna().to_numpy()],
                    "case_id")
    last_any = latest(mine, "case_id")
    return cases.assign(
        case_level=cases["case_level"].astype(str),
        stage=staged["stage"].astype(str).reindex(ids).fillna(NO_STAGE).to_numpy(),
        notified_date=notified.reindex(ids).to_numpy(),
        goal_met=met,
        service_start_date=started.reindex(ids).to_numpy(),
        last_contact_date=last_contact["date"].reindex(ids).to_numpy(),
        last_contact_event=last_contact["event"].astype(str).reindex(ids).to_numpy(),
        last_event=last_any["event"].astype(str).reindex(ids).to_numpy(),
        last_event_date=last_any["date"].reindex(ids).to_numpy(),
    )


def _caseload(data, dc: pd.DataFrame) -> pd.DataFrame:
    load = dc[~dc["goal_met"]].copy()
    load["days_since_last_event"] = days_between(np.full(len(load), data.as_of.to_datetime64()),
                                                 load["last_event_date"])
    return load


_CASELOAD_COLUMNS = ["case_id", "family_id", "district", "community", "case_level", "stage", "notified_date",
                     "last_event", "last_event_date", "days_since_last_event"]


def _stage_rank(stage: pd.Series) -> pd.Series:
    return stage.map({s: i for i, s in enumerate(STAGES)}).fillna(len(STAGES))


def caseload(data: DashboardData, dimension: str, district: str | None = None,
             levels: LevelSettings | None = None) -> pd.DataFrame:
    """The cases in ``dimension``'s caseload (see the module), in ``district`` or all districts.

    Columns: ``case_id``, ``family_id``, ``district``, ``community``, ``case_level``,
    ``stage`` (stage in the dimension), ``notified_date``, ``last_event``,
    ``last_event_date`` and ``days_since_last_event``. Sorted by stage (journey order), then
    emergency first, then notification date.
    """
    check_dimension(dimension)
    levels = levels or load_level_settings()
    families, ev, places = _scope(data, district)
    load = _caseload(data, _dimension_cases(data, dimension, families, ev, levels))
    load = _with_place(load, places)
    load = load.assign(_s=_stage_rank(load["stage"]), _l=load["case_level"] != "emergency")
    return load.sort_values(["_s", "_l", "notified_date", "case_id"], kind="stable")[_CASELOAD_COLUMNS].reset_index(
        drop=True)


def unacknowledged(data: DashboardData, dimension: str, district: str | None = None) -> pd.DataFrame:
    """Notifications in ``dimension`` not acknowledged by ``as_of``, the longest past due first.

    Columns: ``case_id``, ``family_id``, ``district``, ``community``, ``case_level``,
    ``notified_date``, ``due_date`` (notified + ``acknowledge_within_days`` by case level),
    ``days_waited``, ``days_late`` (days past the due date, 0 if not yet due) and ``overdue``.
    """
    check_dimension(dimension)
    families, ev, places = _scope(data, district)
    return _unacknowledged(data, dimension, families, ev, places)


def _unacknowledged(data, dimension, families, ev, places) -> pd.DataFrame:
    notes = notifications(data, families, dimension, events=ev[(ev["dimension"] == dimension).to_numpy()])
    waiting = _with_place(notes[~notes["acknowledged"]], places)
    waiting = waiting.assign(_w=-waiting["days_waited"].astype("Float64"))
    waiting = waiting.sort_values(["_w", "case_id"], kind="stable")
    return waiting[["case_id", "family_id", "district", "community", "case_level", "notified_date", "due_date",
                    "days_waited", "days_late", "overdue"]].reset_index(drop=True)


def follow_ups(data: DashboardData, dimension: str, district: str | None = None,
               levels: LevelSettings | None = None) -> pd.DataFrame:
    """The cases in service in ``dimension`` and when each is due a follow-up, overdue first.

    Columns: ``case_id``, ``family_id``, ``district``, ``community``, ``case_level``,
    ``service_start_date``, ``last_contact_date`` and ``last_contact_event`` (the latest
    contact in the dimension), ``due_date`` (last contact + ``follow_up_every_days`` by case
    level), ``days_to_due`` (negative once overdue) and ``follow_up``: ``overdue``, ``due``
    or ``ok``. Sorted by ``days_to_due``.
    """
    check_dimension(dimension)
    levels = levels or load_level_settings()
    families, ev, places = _scope(data, district)
    return _follow_ups(data, _dimension_cases(data, dimension, families, ev, levels), places, levels)


def _follow_ups(data, dc, places, levels) -> pd.DataFrame:
    serving = dc[~dc["goal_met"] & dc["service_start_date"].notna()].copy()
    every = days_by_level(serving["case_level"], data.settings.follow_up_every_days)
    serving["due_date"] = add_days(serving["last_contact_date"], every)
    as_of = np.full(len(serving), data.as_of.to_datetime64())
    serving["days_to_due"] = days_between(serving["due_date"], as_of)
    to_due = serving["days_to_due"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    serving["follow_up"] = np.select([to_due < 0, to_due <= levels.follow_up_due_soon_days], ["overdue", "due"],
                                     default="ok")
    serving = _with_place(serving, places).sort_values(["days_to_due", "case_id"], kind="stable")
    return serving[["case_id", "family_id", "district", "community", "case_level", "service_start_date",
                    "last_contact_date", "last_contact_event", "due_date", "days_to_due", "follow_up"]].reset_index(
        drop=True)


def out_of_contact(data: DashboardData, dimension: str, district: str | None = None,
                   levels: LevelSettings | None = None) -> pd.DataFrame:
    """Cases in ``dimension``'s caseload with no recorded event for ``no_contact_days`` or more, longest first.

    Columns as :func:`caseload`.
    """
    check_dimension(dimension)
    levels = levels or load_level_settings()
    families, ev, places = _scope(data, district)
    return _out_of_contact(data, _dimension_cases(data, dimension, families, ev, levels), places)


def _out_of_contact(data, dc, places) -> pd.DataFrame:
    load = _caseload(data, dc)
    silent = load[(load["days_since_last_event"] >= data.settings.no_contact_days).to_numpy(dtype=bool,
                                                                                              na_value=False)]
    silent = _with_place(silent, places)
    silent = silent.assign(_d=-silent["days_since_last_event"].astype("Float64"))
    return silent.sort_values(["_d", "case_id"], kind="stable")[_CASELOAD_COLUMNS].reset_index(drop=True)


def provider_board(data: DashboardData, dimension: str, district: str | None = None,
                   levels: LevelSettings | None = None) -> dict:
    """All of the provider's tables at once (the events are read once): a dict with
    ``caseload``, ``unacknowledged``, ``follow_ups``, ``out_of_contact`` (DataFrames as the
    functions of the same names give) and ``summary`` (:func:`provider_summary`'s dict).
    """
    check_dimension(dimension)
    levels = levels or load_level_settings()
    families, ev, places = _scope(data, district)
    dc = _dimension_cases(data, dimension, families, ev, levels)
    load = _with_place(_caseload(data, dc), places)
    load = load.assign(_s=_stage_rank(load["stage"]), _l=load["case_level"] != "emergency")
    load = load.sort_values(["_s", "_l", "notified_date", "case_id"], kind="stable")[_CASELOAD_COLUMNS]
    board = {
        "caseload": load.reset_index(drop=True),
        "unacknowledged": _unacknowledged(data, dimension, families, ev, places),
        "follow_ups": _follow_ups(data, dc, places, levels),
        "out_of_contact": _out_of_contact(data, dc, places),
    }
    board["summary"] = _summary(board)
    return board


def _summary(board: dict) -> dict[str, int]:
    load, fu = board["caseload"], board["follow_ups"]
    out = {"caseload": len(load)}
    for stage in CASELOAD_STAGES:
        out[f"caseload_{stage}"] = int((load["stage"] == stage).sum())
    out["unacknowledged"] = len(board["unacknowledged"])
    out["unacknowledged_overdue"] = int(board["unacknowledged"]["overdue"].sum())
    out["served"] = len(fu)
    out["follow_ups_due"] = int((fu["follow_up"] == "due").sum())
    out["follow_ups_overdue"] = int((fu["follow_up"] == "overdue").sum())
    out["out_of_contact"] = len(board["out_of_contact"])
    return out


def provider_summary(data: DashboardData, dimension: str, district: str | None = None,
                     levels: LevelSettings | None = None) -> dict[str, int]:
    """The counts of the provider's board, keyed as :data:`SUMMARY_TH`.

    ``caseload`` and ``caseload_<stage>`` (by stage in the dimension; they add up to
    ``caseload``), ``unacknowledged`` and ``unacknowledged_overdue``, ``served`` (cases in
    service in the dimension, i.e. with a follow-up clock, whatever their stage: after a
    ``goal_not_met`` the stage is back to ``plan`` until the plan is revised and service goes
    on), ``follow_ups_due``, ``follow_ups_overdue`` and ``out_of_contact``.
    """
    return provider_board(data, dimension, district, levels)["summary"]


def caseload_th(table: pd.DataFrame) -> pd.DataFrame:
    return thai_view(table, CASELOAD_TH, _LABELS)


def unacknowledged_th(table: pd.DataFrame) -> pd.DataFrame:
    return thai_view(table.assign(overdue=table["overdue"].map(YES_NO_TH)), UNACKNOWLEDGED_TH, _LABELS)


def follow_ups_th(table: pd.DataFrame) -> pd.DataFrame:
    return thai_view(table, FOLLOW_UPS_TH, _LABELS)


def out_of_contact_th(table: pd.DataFrame) -> pd.DataFrame:
    return thai_view(table, OUT_OF_CONTACT_TH, _LABELS)


def provider_summary_th(summary: dict[str, int]) -> pd.DataFrame:
    """:func:`provider_summary` as a two-column Thai table (หัวข้อ, จำนวน)."""
    return pd.DataFrame({"หัวข้อ": [SUMMARY_TH[k] for k in summary], "จำนวน": list(summary.values())})


def provider_figure(data: DashboardData, dimension: str, district: str | None = None,
                    levels: LevelSettings | None = None):
    """The provider's caseload by stage, and what is overdue or due, at phone width."""
    levels = levels or load_level_settings()
    s = provider_board(data, dimension, district, levels)["summary"]
    where = f"เขต{district}" if district else "ทุกเขต"
    fig = new_figure(PHONE_WIDTH_IN, 4.4)
    top, bottom = fig.subplots(2, 1, height_ratios=[5, 4])
    stages = list(CASELOAD_STAGES)[::-1]
    values = [s[f"caseload_{st}"] for st in stages]
    top.barh(range(len(stages)), values, color=[STAGE_COLOUR[st] for st in stages], edgecolor="black", linewidth=0.4)
    top.set_yticks(range(len(stages)), [STAGE_TH[st] for st in stages], fontsize=9)
    top.set_title(f"กรณีที่ดูแลอยู่ {s['caseload']:,} กรณี แยกตามขั้น", fontsize=9, loc="left")
    acts = [("out_of_contact", f"ขาดการติดต่อ {data.settings.no_contact_days} วันขึ้นไป", COLOURS["grey"]),
            ("follow_ups_due", f"ครบกำหนดติดตามใน {levels.follow_up_due_soon_days} วัน", STATUS_COLOURS["amber"]),
            ("follow_ups_overdue", "เลยกำหนดติดตาม", STATUS_COLOURS["red"]),
            ("unacknowledged_overdue", "ยังไม่รับเรื่อง เลยกำหนด", STATUS_COLOURS["red"])]
    bottom.barh(range(len(acts)), [s[k] for k, _, _ in acts], color=[c for _, _, c in acts])
    bottom.set_yticks(range(len(acts)), [words for _, words, _ in acts], fontsize=9)
    bottom.set_title("ต้องติดตาม", fontsize=9, loc="left")
    top_max = max([1, *values])
    act_max = max([1, *(s[k] for k, _, _ in acts)])
    for ax, vals, vmax in ((top, values, top_max), (bottom, [s[k] for k, _, _ in acts], act_max)):
        limit = vmax * 1.18
        ax.set_xticks([t for t in MaxNLocator(5, integer=True).tick_values(0, limit) if 0 <= t <= limit])
        ax.set_xlim(0, limit)
        ax.xaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
        for i, v in enumerate(vals):
            ax.text(v + vmax * 0.02, i, f"{v:,}", va="center", ha="left", fontsize=8)
        ax.tick_params(axis="x", labelsize=8)
        ax.tick_params(axis="y", length=0)
        ax.spines[["top", "right"]].set_visible(False)
    # Left-aligned, so that the synthetic mark in the bottom-right corner stays clear of it.
    bottom.set_xlabel("จำนวนกรณี", fontsize=9, loc="left")
    fig.suptitle(f"ผู้ให้บริการมิติ{DIMENSION_TH[dimension]} {where}\nณ {thai_date(data.as_of)}", fontsize=10)
    alt = (f"แผนภูมิแท่งของผู้ให้บริการมิติ{DIMENSION_TH[dimension]} {where} ณ {thai_date(data.as_of)}: "
           f"กรณีที่ดูแลอยู่ {s['caseload']:,} กรณี "
           + ", ".join(f"ขั้น{STAGE_TH[st]} {s[f'caseload_{st}']:,}" for st in CASELOAD_STAGES)
           + "; " + ", ".join(f"{words} {s[k]:,}" for k, words, _ in acts[::-1]))
    return finish(fig, alt, f"ภาระงานของผู้ให้บริการมิติ{DIMENSION_TH[dimension]} {where} (ข้อมูลสมมติ)")


__all__ = ["CASELOAD_STAGES", "CASELOAD_TH", "FOLLOW_UPS_TH", "FOLLOW_UP_TH", "OUT_OF_CONTACT_TH", "SUMMARY_TH",
           "UNACKNOWLEDGED_TH", "caseload", "caseload_th", "follow_ups", "follow_ups_th", "out_of_contact",
           "out_of_contact_th", "provider_board", "provider_figure", "provider_summary", "provider_summary_th",
           "unacknowledged", "unacknowledged_th"]
