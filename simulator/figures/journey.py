"""Journey map (แผนผังบริการ) figures: the phone and print maps, the parent's A5 card, a draft plan.

Two layouts of the same map. ``layout="phone"`` (the default, what notebooks show) is a
portrait list with time running down: one row per key event with its Thai date, a
marker whose shape *and* colour give the stage, and who acted; planned steps follow,
grouped by dimension. Every label is at least 11 pt when the figure is shown 380 px
wide. ``layout="print"`` is the A4 landscape swimlane map for trainers. In both,
labels are placed by measuring their boxes: a label that would overlap another is
moved, and if no free place is found it is left out (the phone list has every event).
Each figure carries a Thai description for its alt text and caption
(``fig.termtem_alt_th``, ``fig.termtem_caption_th``).
"""

from __future__ import annotations

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.text import Text
from matplotlib.transforms import Affine2D

from simulator.thai.vocabulary import DIMENSION_TH, SYNTHETIC_MARK
from simulator.thai.dates import DAYS_PER_MONTH, MONTHS_SHORT, thai_date, thai_year
from simulator.thai.text import wrap
from simulator.model.timelines import Timelines
from simulator.thai.vocabulary import EVENT_TH, STAGE_TH
from .fonts import use_thai_font
from simulator.thai.vocabulary import LANE_TH

# Stage colours of the original diagrams: plan red, consent pink, in service yellow, goals met green.
STAGE_COLOUR = {
    "referral": "#9e9e9e", "plan": "#d7263d", "consent": "#f48fb1", "legal": "#7e57c2",
    "in_service": "#f6c026", "goals_met": "#3a9d5d",
}
# ... and a shape per stage, so the stage reads without colour (and in black-and-white print).
STAGE_MARKER = {"referral": "o", "plan": "s", "consent": "^", "legal": "P", "in_service": "D", "goals_met": "*"}
REVISED_MARKER = "X"
STAGE_ORDER = ("referral", "plan", "consent", "legal", "in_service", "goals_met")
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
# Phone layout: 4 inches wide, so a figure shown 380 CSS px wide draws 1 pt of text as ~0.99 pt.
PHONE_WIDTH_IN = 4.0
PHONE_FONT = 12.0   # body text (>= 11 pt on a 380 px screen)
PHONE_SMALL = 11.5  # the smallest text in the phone layout
LAYOUTS = ("phone", "print")


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


# ---- measuring and placing labels ---------------------------------------------------------


def _renderer(fig):
    if not isinstance(fig.canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig)
    return fig.canvas.get_renderer()


def _overlaps(box, others, pad: float = 1.0) -> bool:
    return any(min(box.x1, o.x1) - max(box.x0, o.x0) > -pad and min(box.y1, o.y1) - max(box.y0, o.y0) > -pad
               for o in others)


def _inside(fig, box, margin: float = 2.0) -> bool:
    width, height = fig.canvas.get_width_height()
    return box.x0 >= margin and box.y0 >= margin and box.x1 <= width - margin and box.y1 <= height - margin


def _occupied(fig) -> list:
    """Window boxes of every text already drawn (tick labels included), except the watermark."""
    fig.canvas.draw()
    renderer = _renderer(fig)
    return [t.get_window_extent(renderer) for t in fig.findobj(Text)
            if t.get_visible() and t.get_text().strip() and t.get_gid() != "watermark"]


def _place(fig, placed: list, make, candidates) -> object | None:
    """Draw the first candidate label whose box is inside the figure and clear of ``placed``.

    ``make(**candidate)`` creates the text; a candidate that does not fit is removed again.
    Returns the text, or None when no candidate fits (nothing is drawn).
    """
    renderer = _renderer(fig)
    for candidate in candidates:
        text = make(**candidate)
        box = text.get_window_extent(renderer)
        if _inside(fig, box) and not _overlaps(box, placed):
            placed.append(box)
            return text
        text.remove()
    return None


def _fit_lines(fig, text: str, width_in: float, fontsize: float, start: int = 48, **kw) -> list[str]:
    """Wrap ``text`` (between words) so each line, measured in this font, fits ``width_in``."""
    renderer = _renderer(fig)
    for chars in range(start, 7, -2):
        lines = wrap(text, chars)
        probe = fig.text(0, 0, "\n".join(lines), fontsize=fontsize, **kw)
        wide = probe.get_window_extent(renderer).width / fig.dpi
        probe.remove()
        if wide <= width_in:
            return lines
    return wrap(text, 8)


def _watermark(fig, fontsize: float, rotation: float) -> None:
    fig.text(0.5, 0.5, SYNTHETIC_MARK, ha="center", va="center", fontsize=fontsize, color="#999999", alpha=0.08,
             rotation=rotation, gid="watermark", zorder=0)


def _stage_handles(markersize: float, revised: bool = True) -> list:
    handles = [Line2D([], [], marker=STAGE_MARKER[s], linestyle="none", markersize=markersize,
                      markerfacecolor=STAGE_COLOUR[s], markeredgecolor="black",
                      label=f"{STAGE_NUMBER[s]} {STAGE_TH[s]}" if s in STAGE_NUMBER else STAGE_TH[s])
               for s in STAGE_ORDER]
    if revised:
        handles.append(Line2D([], [], marker=REVISED_MARKER, linestyle="none", markersize=markersize + 1,
                              markerfacecolor=STAGE_COLOUR["plan"], markeredgecolor="black",
                              label="ปรับแผน (วนกลับ)"))
    return handles


def _describe_journey(case_id: str, case, events: pd.DataFrame, tps: pd.DataFrame) -> tuple[str, str]:
    """Thai alt text and caption of a journey map."""
    stages = [STAGE_TH[s] for s in dict.fromkeys(events["stage"].astype(str))]
    dims = [DIMENSION_TH[d] for d in dict.fromkeys(tps["dimension"].astype(str))] if len(tps) else []
    first = thai_date(events["date"].min()) if len(events) else ""
    last = thai_date(events["date"].max()) if len(events) else ""
    caption = (f"แผนผังบริการของกรณี {case_id} ครอบครัว {case['family_id']} เขต{case['district']} "
               f"(ข้อมูลสมมติ)")
    alt = (f"แผนผังบริการของกรณี {case_id}: เหตุการณ์ {len(events)} รายการ ตั้งแต่ {first} ถึง {last} "
           f"ผ่านขั้น{' → '.join(stages)}; ปรับแผน {int(case['revisions'])} ครั้ง "
           f"พูดคุยขอความยินยอม {int(case['consent_rounds'])} ครั้ง")
    if dims:
        alt += f"; ขั้นตอนตามแผน {len(tps)} ขั้นในมิติ{' '.join(dims)}"
    return alt, caption


def journey_map(tl: Timelines, case_id: str, show_touch_points: bool = True, layout: str = "phone") -> Figure:
    """The journey map of one case: who acts when, stage by stage, loops included.

    ``layout="phone"`` (default) is a portrait list readable on a 380-412 px screen;
    ``layout="print"`` is the A4 landscape swimlane map.
    """
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}: use one of {', '.join(LAYOUTS)}")
    use_thai_font()
    one = tl.case(case_id)
    fig = (_journey_phone if layout == "phone" else _journey_print)(one, case_id, show_touch_points)
    fig.termtem_alt_th, fig.termtem_caption_th = _describe_journey(
        case_id, one.cases.iloc[0], one.events, one.touch_points)
    return fig


def _journey_phone(one, case_id: str, show_touch_points: bool) -> Figure:
    events, case, tps = one.events, one.cases.iloc[0], one.touch_points
    width = PHONE_WIDTH_IN
    fig = Figure(figsize=(width, 12), dpi=100)
    renderer = _renderer(fig)
    # Lay out top-down in inches; the figure's height is set at the end and ``top`` moves everything.
    top = Affine2D()
    trans = top + fig.dpi_scale_trans
    y = 0.15
    left, right = 0.15, width - 0.15

    def put(x, text, fontsize=PHONE_FONT, gap=0.06, **kw):
        nonlocal y
        t = fig.text(x, -y, text, fontsize=fontsize, va="top", transform=trans, **kw)
        y += t.get_window_extent(renderer).height / fig.dpi + gap
        return t

    put(left, "แผนผังบริการ (Journey of Services)", fontsize=15, fontweight="bold", gap=0.02)
    put(left, f"กรณี {case_id}", fontsize=14, fontweight="bold")
    subtitle = (f"ครอบครัว {case['family_id']} · เขต{case['district']} · ตั้งแต่ {thai_date(case['onset_date'])} · "
                f"ปรับแผน {int(case['revisions'])} ครั้ง · พูดคุยขอความยินยอม {int(case['consent_rounds'])} ครั้ง")
    put(left, "\n".join(_fit_lines(fig, subtitle, right - left, PHONE_FONT)), color="#333333", gap=0.12)

    legend = fig.legend(handles=_stage_handles(10), loc="upper left", bbox_to_anchor=(left - 0.1, -y),
                        bbox_transform=trans, ncol=2, fontsize=PHONE_SMALL, frameon=False, title="ขั้น (รูปและสี)",
                        title_fontsize=PHONE_FONT, handletextpad=0.3, columnspacing=0.8, borderaxespad=0,
                        alignment="left")
    y += legend.get_window_extent(renderer).height / fig.dpi + 0.15

    # Time runs down: one row per key event; the quieter events between two rows are counted.
    date_x, mark_x, text_x = left, left + 1.12, left + 1.38
    put(left, "ลำดับเหตุการณ์ (เวลาเดินลงล่าง)", fontsize=13, fontweight="bold", gap=0.1)
    marks: list[tuple[float, str, bool]] = []
    between: list[str] = []
    rows = events.reset_index(drop=True)

    def flush_between():
        nonlocal y
        if between:
            kinds = " ".join(dict.fromkeys(between))
            lines = _fit_lines(fig, f"และอีก {len(between)} เหตุการณ์: {kinds}", right - text_x, PHONE_SMALL)
            put(text_x, "\n".join(lines), fontsize=PHONE_SMALL, color="#616161", gap=0.08)
            between.clear()

    for i, ev in rows.iterrows():
        name = str(ev["event"])
        is_key = name in LABELLED_EVENTS or i == 0 or i == len(rows) - 1
        if not is_key:
            between.append(EVENT_TH.get(name, name))
            continue
        flush_between()
        row_top = y
        lane = LANE_TH[lane_of(ev["actor_role"], ev["dimension"] if isinstance(ev["dimension"], str) else None)]
        # Line 1 what happened, line 2 who acted (the swimlane of the print map).
        lines = _fit_lines(fig, EVENT_TH.get(name, name), right - text_x, PHONE_FONT, fontweight="bold")
        fig.text(date_x, -row_top, thai_date(ev["date"]), fontsize=PHONE_SMALL, va="top", transform=trans,
                 color="#333333")
        put(text_x, "\n".join(lines), fontweight="bold", gap=0.0)
        put(text_x, "\n".join(_fit_lines(fig, lane, right - text_x, PHONE_SMALL)), fontsize=PHONE_SMALL,
            color="#455a64", gap=0.1)
        marks.append((row_top + 0.1, str(ev["stage"]), name == "plan_revised"))
    flush_between()
    if marks:
        ys = [-m[0] for m in marks]
        fig.add_artist(Line2D([mark_x] * len(ys), ys, color="#9e9e9e", linewidth=1.2, transform=trans, zorder=1))
        for my, stage, revised in marks:
            fig.add_artist(Line2D([mark_x], [-my], marker=REVISED_MARKER if revised else STAGE_MARKER[stage],
                                  markersize=12 if revised else 10, markerfacecolor=STAGE_COLOUR[stage],
                                  markeredgecolor="black", linestyle="none", transform=trans, zorder=2))
    y += 0.1

    if show_touch_points and not tps.empty:
        heading = _fit_lines(fig, "ขั้นตอนตามแผน (จุดสัมผัส ระยะเวลาโดยประมาณ)", right - left, 13, fontweight="bold")
        put(left, "\n".join(heading), fontsize=13, fontweight="bold", gap=0.08)
        for dim, steps in tps.groupby(tps["dimension"].astype(str), sort=False):
            put(left, f"มิติ{DIMENSION_TH[dim]}", fontweight="bold", gap=0.04)
            for _, tp in steps.iterrows():
                text = f"{int(tp['step'])}. {tp['agency_th']} ({tp['role_th']}) ~{int(tp['days'])} วัน"
                put(left + 0.15, "\n".join(_fit_lines(fig, text, right - left - 0.15, PHONE_FONT)), gap=0.05)
            y += 0.06
    y += 0.05
    put(left, f"{SYNTHETIC_MARK} (synthetic) — ใช้ฝึกอบรมเท่านั้น", fontsize=PHONE_SMALL, color="#b00020", gap=0.1)

    fig.set_size_inches(width, y)
    top.translate(0, y)
    _watermark(fig, 44, 60)
    return fig


def _journey_print(one, case_id: str, show_touch_points: bool) -> Figure:
    events, case, tps = one.events, one.cases.iloc[0], one.touch_points
    fig = Figure(figsize=A4_LANDSCAPE, dpi=100)
    with_steps = show_touch_points and not tps.empty
    ax = fig.add_axes((0.15, 0.17, 0.57 if with_steps else 0.81, 0.65))
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
    for lane, y in lanes.items():
        ax.axhline(y, color="#dddddd", linewidth=0.8, zorder=0)
    ax.set_yticks(list(lanes.values()), [LANE_TH[lane] for lane in lanes])
    ax.set_ylim(-0.8, len(LANES) + 0.3)
    months = (end_num - dates.min()) / DAYS_PER_MONTH if len(dates) else 1
    step = next((m for m in (1, 2, 3, 4, 6, 12) if months / m <= 8), 24)  # at most ~8 month ticks
    ax.xaxis.set_major_locator(mdates.MonthLocator(interval=step))
    ax.xaxis.set_major_formatter(_thai_month_formatter)
    ax.tick_params(axis="x", labelsize=9)
    ax.tick_params(axis="y", labelsize=10)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if len(dates):
        ax.set_xlim(dates.min() - 10, end_num)
    ax.text(-0.01, (strip_y + 0.25 + 0.8) / (len(LANES) + 1.1), "ขั้น", transform=ax.transAxes, ha="right",
            va="center", fontsize=10)

    if with_steps:
        # Planned steps hang below their provider's lane as bars numbered by step; the list is on the right.
        for _, tp in tps.iterrows():
            y = lanes[str(tp["dimension"])] - 0.2 - 0.14 * (int(tp["step"]) - 1)
            start = mdates.date2num(pd.Timestamp(tp["planned_start"]))
            ax.broken_barh([(start, tp["days"])], (y - 0.05, 0.1), facecolors="#cfd8dc", edgecolor="#90a4ae",
                           linewidth=0.5, zorder=1)

    # Hand-offs: a thin line from each event to the next shows the back-and-forth.
    ax.plot(dates, lane_y, color="#9e9e9e", linewidth=0.6, alpha=0.6, zorder=2)
    stages = events["stage"].astype(str).to_numpy()
    revised = (events["event"] == "plan_revised").to_numpy()
    for stage in STAGE_ORDER:
        pick = (stages == stage) & ~revised
        if pick.any():
            ax.scatter(dates[pick], lane_y[pick], c=STAGE_COLOUR[stage], marker=STAGE_MARKER[stage],
                       s=90 if stage == "goals_met" else 42, edgecolors="black", linewidths=0.5, zorder=3)
    if revised.any():
        ax.scatter(dates[revised], lane_y[revised], c=STAGE_COLOUR["plan"], marker=REVISED_MARKER, s=90,
                   edgecolors="black", linewidths=0.8, zorder=4)

    fig.text(0.5, 0.965, f"แผนผังบริการ (Journey of Services) · กรณี {case_id}", ha="center", va="top",
             fontsize=15, fontweight="bold")
    fig.text(0.5, 0.92, (f"ครอบครัว {case['family_id']} · เขต{case['district']} · ตั้งแต่ {thai_date(case['onset_date'])}"
                         f" · ปรับแผน {int(case['revisions'])} ครั้ง · พูดคุยขอความยินยอม {int(case['consent_rounds'])} ครั้ง"),
             ha="center", va="top", fontsize=11)
    handles = _stage_handles(8)
    if with_steps:
        handles.append(Patch(facecolor="#cfd8dc", edgecolor="#90a4ae", label="ขั้นตอนตามแผน (ระยะเวลาโดยประมาณ)"))
    fig.legend(handles=handles, loc="lower center", ncol=4, fontsize=9, frameon=False, bbox_to_anchor=(0.45, 0.01))
    fig.text(0.99, 0.005, f"{SYNTHETIC_MARK} (synthetic)", ha="right", va="bottom", fontsize=9, color="#b00020")

    placed = _occupied(fig)
    if with_steps:
        groups = [(LANE_TH[dim], [f"{int(tp['step'])}. {tp['agency_th']} ({tp['role_th']}) ~{int(tp['days'])} วัน"
                                  for _, tp in steps.iterrows()])
                  for dim, steps in tps.groupby(tps["dimension"].astype(str), sort=False)]
        _step_list(fig, placed, groups, x=0.745, y=0.84, width_in=0.245 * A4_LANDSCAPE[0], bottom=0.19)
        # Step numbers beside their bars, where there is room.
        for _, tp in tps.iterrows():
            y = lanes[str(tp["dimension"])] - 0.2 - 0.14 * (int(tp["step"]) - 1)
            start = mdates.date2num(pd.Timestamp(tp["planned_start"]))
            end = start + tp["days"]

            def make_step(x, ha, y=y, n=int(tp["step"])):
                return ax.text(x, y, str(n), fontsize=8, ha=ha, va="center", color="#455a64", zorder=5)

            _place(fig, placed, make_step, [dict(x=end + 3, ha="left"), dict(x=start - 3, ha="right")])
    # Key events are labelled where a label fits: above, below, then further out; else left to the legend.
    for i, ev in enumerate(events["event"].astype(str)):
        if ev not in LABELLED_EVENTS:
            continue

        def make(dy, va, x=dates[i], y=lane_y[i], label=EVENT_TH[ev]):
            return ax.text(x, y + dy, label, fontsize=8.5, ha="center", va=va, zorder=5,
                           bbox=dict(boxstyle="round,pad=0.1", facecolor="white", edgecolor="none", alpha=0.85))

        _place(fig, placed, make, [dict(dy=0.14, va="bottom"), dict(dy=-0.14, va="top"),
                                   dict(dy=0.42, va="bottom"), dict(dy=-0.42, va="top")])
    _watermark(fig, 70, 25)
    return fig


def _step_list(fig, placed: list, groups: list[tuple[str, list[str]]], x: float, y: float, width_in: float,
               bottom: float, heading: str = "ขั้นตอนตามแผน", fontsize: float = 8.5, smallest: float = 7.0) -> None:
    """Steps as a list in figure coordinates from (x, y) down to ``bottom``, one block per group.

    A long list is set in a smaller font (down to ``smallest``); if it still does not fit,
    the last line says how many steps are left out.
    """
    renderer = _renderer(fig)
    size = fontsize
    while True:
        drawn, boxes, top, shown = [], [], y, 0
        t = fig.text(x, top, heading, fontsize=size + 2.5, fontweight="bold", va="top")
        drawn.append(t)
        boxes.append(t.get_window_extent(renderer))
        top -= (boxes[-1].height + 6) / fig.bbox.height
        fits = True
        for group, items in groups:
            lines = [group]
            for item in items:
                lines += ["  " + line for line in _fit_lines(fig, item, width_in - 0.2, size)]
            t = fig.text(x, top, "\n".join(lines), fontsize=size, va="top", linespacing=1.2)
            box = t.get_window_extent(renderer)
            if box.y0 < bottom * fig.bbox.height:
                t.remove()
                fits = False
                break
            drawn.append(t)
            boxes.append(box)
            shown += len(items)
            top -= (box.height + 4) / fig.bbox.height
        if fits or size - 0.5 < smallest:
            break
        for t in drawn:
            t.remove()
        size -= 0.5
    if not fits:
        left_out = sum(len(items) for _, items in groups) - shown
        more = fig.text(x, top, f"… และอีก {left_out} ขั้น", fontsize=size, va="top", color="#616161")
        boxes.append(more.get_window_extent(renderer))
    placed.extend(boxes)


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
    # "เด็ก", not "ลูก": the caregiver may be a grandparent or another relative.
    fig.text(0.5, y, "แผนของเด็กและครอบครัว", ha="center", va="top", fontsize=22, fontweight="bold")
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
    n_goals, n_apps = len(goals), apps["date"].nunique() if len(apps) else 0
    fig.termtem_alt_th = (f"บัตรแผนสำหรับผู้ปกครองของกรณี {case_id}: เป้าหมาย {n_goals} ข้อ"
                          + (f" และนัดครั้งต่อไป {n_apps} วัน เริ่ม {thai_date(apps['date'].min(), long=True)}"
                             if n_apps else " ยังไม่มีนัด"))
    fig.termtem_caption_th = f"บัตรแผนของเด็กและครอบครัว (กรณี {case_id}) ตัวอักษรใหญ่สำหรับผู้ปกครอง (ข้อมูลสมมติ)"
    return fig


def plan_map(plan) -> Figure:
    """A trainee's draft plan: steps per dimension on a 12-month axis, owners named."""
    from simulator.exercises.journey_plan import HORIZON_DAYS

    use_thai_font()
    sched = plan.schedule()
    fig = Figure(figsize=(9.5, 4.8), dpi=100)
    dims = ("social", "education", "health", "governance")
    list_width = 0.33 * fig.get_size_inches()[0]
    groups = [(LANE_TH[d], [f"{int(s['step'])}. {s['agency_th']} · {s['owner_th']} · {s['days']} วัน"
                            for _, s in sched[sched["dimension"] == d].iterrows()])
              for d in dims if (sched["dimension"] == d).any()]
    # A long plan makes the figure taller, so the list of steps on the right has room for every step.
    lines = 1 + sum(1 + sum(len(_fit_lines(fig, item, list_width - 0.2, 8)) for item in items) for _, items in groups)
    fig.set_size_inches(9.5, max(4.8, 1.3 + 0.19 * lines + 0.08 * len(groups)))
    ax = fig.add_axes((0.17, 0.16, 0.46, 0.68))
    lanes = {d: len(dims) - 1 - i for i, d in enumerate(dims)}
    for d, y in lanes.items():
        shade = "#fff3cd" if d in plan.active else "white"
        ax.axhspan(y - 0.5, y + 0.5, color=shade, zorder=0)
    for _, s in sched.iterrows():
        y = lanes[s["dimension"]]
        ax.broken_barh([(s["start_day"], s["days"])], (y - 0.3, 0.6), facecolors=STAGE_COLOUR["in_service"],
                       edgecolor="black", linewidth=0.6, zorder=2)
    ax.axvline(HORIZON_DAYS, color=STAGE_COLOUR["plan"], linestyle="--", linewidth=1.5)
    ax.text(HORIZON_DAYS, -0.45, "12 เดือน ", color=STAGE_COLOUR["plan"], fontsize=9, ha="right", va="bottom")
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
    # Each bar carries its step number; the steps are listed in full on the right.
    placed = _occupied(fig)
    _step_list(fig, placed, groups, x=0.66, y=0.84, width_in=list_width, bottom=0.05,
               heading="ขั้นตอนในแผน", fontsize=8, smallest=8)
    for _, s in sched.iterrows():
        y, start, end = lanes[s["dimension"]], s["start_day"], s["start_day"] + s["days"]

        def make(x, dy, ha="center", y=y, n=str(int(s["step"]))):
            return ax.text(x, y + dy, n, fontsize=8, ha=ha, va="center", zorder=3)

        _place(fig, placed, make, [dict(x=(start + end) / 2, dy=0.0), dict(x=(start + end) / 2, dy=0.42),
                                   dict(x=(start + end) / 2, dy=-0.42), dict(x=end + 2, dy=0.42, ha="left"),
                                   dict(x=start, dy=-0.42, ha="left")])
    steps = len(sched)
    lanes_th = " ".join(DIMENSION_TH[d] for d in dims if d in set(sched["dimension"])) if steps else ""
    fig.termtem_alt_th = (f"แผนผังบริการฉบับร่างของกรณี {plan.case_id or '(ยังไม่เลือก)'}: "
                          + (f"{steps} ขั้นในมิติ{lanes_th} สิ้นสุดวันที่ {int(sched['end_day'].max())} ของแผน"
                             if steps else "ยังไม่มีขั้นตอน"))
    fig.termtem_caption_th = "แผนผังบริการฉบับร่างที่ผู้เข้าอบรมวางเอง (ข้อมูลสมมติ)"
    return fig

