"""Journey map (แผนผังบริการ) figures: the trainers' swimlane map and the parent's A5 card."""

from __future__ import annotations

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from ..population import DIMENSION_TH, SYNTHETIC_MARK
from ..thaidate import MONTHS_SHORT, thai_date
from ..thaitext import wrap
from ..timelines import EVENT_TH, STAGE_TH, Timelines
from .fonts import use_thai_font

# Stage colours of the original diagrams: plan red, consent pink, in service yellow, goals met green.
STAGE_COLOUR = {
    "referral": "#9e9e9e", "plan": "#d7263d", "consent": "#f48fb1", "legal": "#7e57c2",
    "in_service": "#f6c026", "goals_met": "#3a9d5d",
}
STAGE_NUMBER = {"plan": "1", "consent": "2", "in_service": "3", "goals_met": "4"}
LANES = ("family", "volunteer", "social", "education", "health", "governance", "district")
LANE_TH = {
    "family": "ผู้ปกครองและเด็ก", "volunteer": "อาสาสมัคร/อสส.",
    "social": f"ผู้ให้บริการ{DIMENSION_TH['social']}", "education": f"ผู้ให้บริการ{DIMENSION_TH['education']}",
    "health": f"ผู้ให้บริการ{DIMENSION_TH['health']}", "governance": f"ผู้ให้บริการ{DIMENSION_TH['governance']}",
    "district": "เขต (ผู้อำนวยการเขต)",
}
ROLE_LANE = {
    "family": "family", "parent": "family", "volunteer": "volunteer", "phv": "volunteer",
    "community_leader": "volunteer", "district_director": "district", "social_worker": "social",
    "teacher": "education", "nurse": "health", "doctor": "health", "psychologist": "health",
    "district_officer": "governance", "registrar": "governance", "police": "governance", "lawyer": "governance",
    "employment_officer": "education",
}
LABELLED_EVENTS = {"noticed", "plan_meeting", "agreed_but_unable", "disagreed", "plan_revised", "consent_signed",
                   "refused", "director_review", "separated", "service_started", "goal_met", "goal_not_met"}
A4_LANDSCAPE = (11.69, 8.27)
A5_PORTRAIT = (5.83, 8.27)


def lane_of(actor: str, dimension) -> str:
    """Swimlane of an event: the family, the volunteer, the district, or the provider lane."""
    lane = ROLE_LANE.get(str(actor))
    if lane in ("family", "volunteer", "district"):
        return lane
    if isinstance(dimension, str) and dimension:
        return dimension
    return lane or "volunteer"


def _thai_month_formatter(value, _pos=None) -> str:
    d = mdates.num2date(value)
    return f"{MONTHS_SHORT[d.month - 1]}\n{d.year + 543}"


def journey_map(tl: Timelines, case_id: str, show_touch_points: bool = True) -> Figure:
    """The swimlane map of one case: who acts when, stage by stage, loops included."""
    use_thai_font()
    one = tl.case(case_id)
    events, case, tps = one.events, one.cases.iloc[0], one.touch_points
    fig = Figure(figsize=A4_LANDSCAPE, dpi=100)
    ax = fig.add_axes((0.16, 0.16, 0.80, 0.66))
    lanes = {lane: len(LANES) - 1 - i for i, lane in enumerate(LANES)}
    dates = mdates.date2num(pd.to_datetime(events["date"]).to_numpy())
    lane_y = np.array([lanes[lane_of(a, d)] for a, d in zip(events["actor_role"], events["dimension"].astype(object))])

    # Stage strip above the lanes: one coloured segment from each event to the next.
    strip_y = len(LANES) - 0.35
    end_num = dates.max() + 20 if len(dates) else 0
    for i, stage in enumerate(events["stage"].astype(str)):
        x0 = dates[i]
        x1 = dates[i + 1] if i + 1 < len(dates) else end_num
        if x1 > x0:
            ax.broken_barh([(x0, x1 - x0)], (strip_y, 0.5), facecolors=STAGE_COLOUR[stage], edgecolor="none")
    ax.text(dates.min() - 3 if len(dates) else 0, strip_y + 0.25, "ขั้น", ha="right", va="center", fontsize=9)

    for lane, y in lanes.items():
        ax.axhline(y, color="#dddddd", linewidth=0.8, zorder=0)
    if show_touch_points and not tps.empty:
        for _, tp in tps.iterrows():
            y = lanes[str(tp["dimension"])]
            start = mdates.date2num(pd.Timestamp(tp["planned_start"]))
            ax.broken_barh([(start, tp["days"])], (y - 0.32, 0.16), facecolors="#cfd8dc", edgecolor="#90a4ae",
                           linewidth=0.5, zorder=1)
            ax.text(start, y - 0.42, f"{tp['agency_th']} ~{tp['days']} วัน", fontsize=6.5, va="top", color="#455a64",
                    clip_on=True)

    # Hand-offs: a thin line from each event to the next shows the back-and-forth.
    ax.plot(dates, lane_y, color="#9e9e9e", linewidth=0.7, zorder=2)
    colours = [STAGE_COLOUR[s] for s in events["stage"].astype(str)]
    revised = (events["event"] == "plan_revised").to_numpy()
    ax.scatter(dates[~revised], lane_y[~revised], c=np.array(colours, dtype=object)[~revised], s=36,
               edgecolors="black", linewidths=0.4, zorder=3)
    ax.scatter(dates[revised], lane_y[revised], c=STAGE_COLOUR["plan"], marker="D", s=70,
               edgecolors="black", linewidths=1.2, zorder=4)
    shown = 0
    for i, ev in enumerate(events["event"].astype(str)):
        if ev in LABELLED_EVENTS:
            offset = 0.22 if shown % 2 == 0 else -0.3
            ax.text(dates[i], lane_y[i] + offset, EVENT_TH[ev], fontsize=7, ha="center",
                    va="bottom" if offset > 0 else "top", zorder=5)
            shown += 1

    ax.set_yticks(list(lanes.values()), [LANE_TH[lane] for lane in lanes])
    ax.set_ylim(-0.8, len(LANES) + 0.3)
    ax.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=4, maxticks=10))
    ax.xaxis.set_major_formatter(_thai_month_formatter)
    ax.tick_params(axis="x", labelsize=8)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if len(dates):
        ax.set_xlim(dates.min() - 10, end_num)

    fig.text(0.5, 0.965, f"แผนผังบริการ (Journey of Services) · กรณี {case_id}", ha="center", va="top",
             fontsize=15, fontweight="bold")
    fig.text(0.5, 0.92, (f"ครอบครัว {case['family_id']} · เขต{case['district']} · ตั้งแต่ {thai_date(case['onset_date'])}"
                         f" · ปรับแผน {int(case['revisions'])} ครั้ง · พูดคุยขอความยินยอม {int(case['consent_rounds'])} ครั้ง"),
             ha="center", va="top", fontsize=10)
    handles = [Patch(facecolor=STAGE_COLOUR[s], label=f"{STAGE_NUMBER[s]} {STAGE_TH[s]}") for s in STAGE_NUMBER]
    handles += [Patch(facecolor=STAGE_COLOUR["referral"], label=STAGE_TH["referral"]),
                Patch(facecolor=STAGE_COLOUR["legal"], label=STAGE_TH["legal"]),
                Line2D([], [], marker="D", color="none", markerfacecolor=STAGE_COLOUR["plan"], markeredgecolor="black",
                       label="ปรับแผน (วนกลับ)"),
                Patch(facecolor="#cfd8dc", edgecolor="#90a4ae", label="จุดสัมผัสตามแผน (ระยะเวลาโดยประมาณ)")]
    fig.legend(handles=handles, loc="lower center", ncol=4, fontsize=8, frameon=False, bbox_to_anchor=(0.5, 0.015))
    fig.text(0.99, 0.005, f"{SYNTHETIC_MARK} (synthetic)", ha="right", va="bottom", fontsize=8, color="#b00020")
    fig.text(0.5, 0.5, SYNTHETIC_MARK, ha="center", va="center", fontsize=70, color="#999999", alpha=0.08,
             rotation=25)
    return fig


def upcoming_appointments(tl: Timelines, case_id: str, as_of=None, limit: int = 4) -> pd.DataFrame:
    """The next appointments of a case after ``as_of`` (default: the day consent was signed)."""
    one = tl.case(case_id)
    events = one.events
    if as_of is None:
        signed = events.loc[events["event"] == "consent_signed", "date"]
        as_of = signed.iloc[0] if len(signed) else events["date"].iloc[0]
    as_of = pd.Timestamp(as_of)
    apps = events[events["event"].isin(["service_started", "appointment_attended", "appointment_missed"])
                  & (events["date"] > as_of)]
    visits = set(events.loc[events["event"] == "accompanied_visit", "date"])
    agencies = {a.name_th: a for a in tl.config.goals.agencies}
    rows = []
    for _, ev in apps.head(limit).iterrows():
        text = str(ev["details"])
        where = text.split(":")[0].removeprefix("เริ่มรับบริการที่")
        outside = agencies.get(where).outside_district if where in agencies else False
        with_whom = "อาสาสมัครไปด้วย" if (ev["date"] in visits or outside) else "ไปเองได้ อาสาสมัครโทรเตือนก่อนวันนัด"
        rows.append({"date": ev["date"], "where": where, "with_whom": with_whom})
    return pd.DataFrame(rows, columns=["date", "where", "with_whom"])


def parent_card(tl: Timelines, case_id: str, parent_name: str = "", as_of=None) -> Figure:
    """Large-type A5 card for the parent: the goals in few words, the next appointments, who comes along."""
    use_thai_font()
    one = tl.case(case_id)
    fig = Figure(figsize=A5_PORTRAIT, dpi=100)
    y = 0.95
    fig.text(0.5, y, "แผนของลูกและครอบครัว", ha="center", va="top", fontsize=22, fontweight="bold")
    y -= 0.065
    if parent_name:
        fig.text(0.5, y, f"สำหรับคุณ{parent_name}", ha="center", va="top", fontsize=15)
        y -= 0.05
    fig.text(0.07, y, "เป้าหมาย", fontsize=17, fontweight="bold", va="top")
    y -= 0.05
    goals = one.touch_points.drop_duplicates("dimension")
    for _, g in goals.iterrows():
        lines = wrap(str(g["goal_th"]), 30)[:2]
        fig.text(0.09, y, "• " + "\n   ".join(lines), fontsize=13, va="top", linespacing=1.25)
        y -= 0.04 + 0.036 * len(lines)
    y -= 0.015
    fig.text(0.07, y, "นัดครั้งต่อไป", fontsize=17, fontweight="bold", va="top")
    y -= 0.055
    apps = upcoming_appointments(tl, case_id, as_of=as_of, limit=3)
    if apps.empty:
        fig.text(0.09, y, "ยังไม่มีนัด อาสาสมัครจะมาบอกเมื่อได้วันนัด", fontsize=13, va="top")
        y -= 0.05
    for _, a in apps.iterrows():
        fig.text(0.09, y, thai_date(a["date"], long=True), fontsize=15, fontweight="bold", va="top")
        y -= 0.042
        fig.text(0.11, y, "\n".join(wrap(f"ที่ {a['where']}", 30)[:2]), fontsize=13, va="top")
        y -= 0.042 * min(2, len(wrap(f"ที่ {a['where']}", 30)))
        fig.text(0.11, y, a["with_whom"], fontsize=12, va="top", color="#2e7d32")
        y -= 0.055
    fig.text(0.5, 0.06, "มีปัญหาหรือไปไม่ได้ บอกอาสาสมัครได้ทุกเมื่อ", ha="center", fontsize=12)
    fig.text(0.5, 0.02, f"{SYNTHETIC_MARK} (synthetic) — ใช้ฝึกอบรมเท่านั้น", ha="center", fontsize=9, color="#b00020")
    return fig
