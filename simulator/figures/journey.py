"""Journey map (แผนผังบริการ) figures: the trainers' swimlane map and the parent's A5 card."""

from __future__ import annotations

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from simulator.thai.vocabulary import DIMENSION_TH, SYNTHETIC_MARK
from simulator.thai.dates import MONTHS_SHORT, thai_date, thai_year
from simulator.thai.text import wrap
from simulator.model.timelines import DAYS_PER_MONTH, Timelines
from simulator.thai.vocabulary import EVENT_TH, STAGE_TH
from .fonts import use_thai_font
from simulator.thai.vocabulary import LANE_TH

# Stage colours of the original diagrams: plan red, consent pink, in service yellow, goals met green.
STAGE_COLOUR = {
    "referral": "#9e9e9e", "plan": "#d7263d", "consent": "#f48fb1", "legal": "#7e57c2",
    "in_service": "#f6c026", "goals_met": "#3a9d5d",
}
STAGE_NUMBER = {"plan": "1", "consent": "2", "in_service": "3", "goals_met": "4"}
LANES = ("family", "volunteer", "social", "education", "health", "governance", "district")
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
    return f"{MONTHS_SHORT[d.month - 1]}\n{thai_year(d)}"


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
        # Planned steps hang below their provider's lane, one row per step, labelled at the bar's end.
        for _, tp in tps.iterrows():
            y = lanes[str(tp["dimension"])] - 0.2 - 0.14 * (int(tp["step"]) - 1)
            start = mdates.date2num(pd.Timestamp(tp["planned_start"]))
            ax.broken_barh([(start, tp["days"])], (y - 0.05, 0.1), facecolors="#cfd8dc", edgecolor="#90a4ae",
                           linewidth=0.5, zorder=1)
            ax.text(start + tp["days"] + 4, y, f"{int(tp['step'])}. {tp['agency_th']} ~{tp['days']} วัน",
                    fontsize=6, va="center", color="#455a64", clip_on=True)

    # Hand-offs: a thin line from each event to the next shows the back-and-forth.
    ax.plot(dates, lane_y, color="#9e9e9e", linewidth=0.6, alpha=0.6, zorder=2)
    colours = [STAGE_COLOUR[s] for s in events["stage"].astype(str)]
    revised = (events["event"] == "plan_revised").to_numpy()
    ax.scatter(dates[~revised], lane_y[~revised], c=np.array(colours, dtype=object)[~revised], s=36,
               edgecolors="black", linewidths=0.4, zorder=3)
    ax.scatter(dates[revised], lane_y[revised], c=STAGE_COLOUR["plan"], marker="D", s=70,
               edgecolors="black", linewidths=1.2, zorder=4)
    # Labels for the key events; a label too close to the last one on its lane and side is skipped.
    span = max(end_num - (dates.min() if len(dates) else 0), 1)
    last_x: dict[tuple[int, int], float] = {}
    for i, ev in enumerate(events["event"].astype(str)):
        if ev not in LABELLED_EVENTS:
            continue
        for side in (1, -1):
            key = (int(lane_y[i]), side)
            if dates[i] - last_x.get(key, -1e12) > span * 0.07:
                ax.text(dates[i], lane_y[i] + (0.13 if side > 0 else -0.13), EVENT_TH[ev], fontsize=7,
                        ha="center", va="bottom" if side > 0 else "top", zorder=5,
                        bbox=dict(boxstyle="round,pad=0.1", facecolor="white", edgecolor="none", alpha=0.8))
                last_x[key] = dates[i]
                break

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
        lines = wrap(str(g["goal_th"]), 40)
        if len(lines) > 3:
            lines = lines[:3]
            lines[-1] += " …"
        fig.text(0.09, y, "• " + "\n   ".join(lines), fontsize=13, va="top", linespacing=1.25)
        y -= 0.025 + 0.036 * len(lines)
    y -= 0.015
    fig.text(0.07, y, "นัดครั้งต่อไป", fontsize=17, fontweight="bold", va="top")
    y -= 0.055
    apps = upcoming_appointments(tl, case_id, as_of=as_of, limit=6)
    if apps.empty:
        fig.text(0.09, y, "ยังไม่มีนัด อาสาสมัครจะมาบอกเมื่อได้วันนัด", fontsize=13, va="top")
    # Same-day appointments share one entry; stop before the footer rather than overlap it.
    for date, group in apps.groupby("date", sort=True):
        places = wrap("ที่ " + " และ ".join(dict.fromkeys(group["where"])), 40)
        needed = 0.042 + 0.038 * len(places) + 0.05
        if y - needed < 0.1:
            break
        fig.text(0.09, y, thai_date(date, long=True), fontsize=15, fontweight="bold", va="top")
        y -= 0.042
        fig.text(0.11, y, "\n".join(places), fontsize=13, va="top", linespacing=1.2)
        y -= 0.038 * len(places)
        with_whom = "อาสาสมัครไปด้วย" if (group["with_whom"] == "อาสาสมัครไปด้วย").any() else group["with_whom"].iloc[0]
        fig.text(0.11, y, with_whom, fontsize=12, va="top", color="#2e7d32")
        y -= 0.05
    fig.text(0.5, 0.06, "มีปัญหาหรือไปไม่ได้ บอกอาสาสมัครได้ทุกเมื่อ", ha="center", fontsize=12)
    fig.text(0.5, 0.02, f"{SYNTHETIC_MARK} (synthetic) — ใช้ฝึกอบรมเท่านั้น", ha="center", fontsize=9, color="#b00020")
    return fig


def plan_map(plan) -> Figure:
    """A trainee's draft plan: steps per dimension on a 12-month axis, owners named."""
    from simulator.exercises.journey_plan import HORIZON_DAYS

    use_thai_font()
    sched = plan.schedule()
    fig = Figure(figsize=(9.5, 4.8), dpi=100)
    ax = fig.add_axes((0.2, 0.2, 0.76, 0.64))
    dims = ("social", "education", "health", "governance")
    lanes = {d: len(dims) - 1 - i for i, d in enumerate(dims)}
    for d, y in lanes.items():
        shade = "#fff3cd" if d in plan.active else "white"
        ax.axhspan(y - 0.5, y + 0.5, color=shade, zorder=0)
    for _, s in sched.iterrows():
        y = lanes[s["dimension"]]
        ax.broken_barh([(s["start_day"], s["days"])], (y - 0.3, 0.6), facecolors=STAGE_COLOUR["in_service"],
                       edgecolor="black", linewidth=0.6, zorder=2)
        ax.text(s["start_day"] + 2, y, f"{int(s['step'])}. {s['agency_th']}\n{s['owner_th']} · {s['days']} วัน",
                fontsize=7, va="center", zorder=3, clip_on=True)
    ax.axvline(HORIZON_DAYS, color=STAGE_COLOUR["plan"], linestyle="--", linewidth=1.5)
    ax.text(HORIZON_DAYS, len(dims) - 0.45, " 12 เดือน", color=STAGE_COLOUR["plan"], fontsize=9, va="bottom")
    ax.set_yticks(list(lanes.values()), [LANE_TH[d] for d in lanes])
    ax.set_xticks(range(0, HORIZON_DAYS + 31, 61), [f"เดือน {round(x / DAYS_PER_MONTH)}" for x in range(0, HORIZON_DAYS + 31, 61)])
    ax.set_xlim(0, max(HORIZON_DAYS + 30, int(sched["end_day"].max()) + 10 if len(sched) else 0))
    ax.set_ylim(-0.5, len(dims) - 0.5)
    ax.tick_params(labelsize=8)
    title = "แผนผังบริการฉบับร่าง (Journey of Services)"
    if plan.case_id:
        title += f" · กรณี {plan.case_id}"
    fig.text(0.5, 0.96, title, ha="center", va="top", fontsize=13, fontweight="bold")
    fig.text(0.5, 0.9, "แถบสีเหลืองอ่อน = มิติที่กลีบเป็นสีเหลืองหรือแดง ต้องมีเป้าหมายและขั้นตอน", ha="center",
             va="top", fontsize=9)
    fig.text(0.99, 0.01, f"{SYNTHETIC_MARK} (synthetic)", ha="right", va="bottom", fontsize=8, color="#b00020")
    return fig

