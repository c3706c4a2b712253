"""Activities 7 and 8: the same case over time, with every provider notified and without some.

:func:`scenario_figure` stacks one panel per scenario, phone width: a row per problem
dimension, coloured by stage as in the journey map (waiting, plan, consent, in service,
goal met), hatched grey where the provider was not notified, with the day it found the
problem alone. Thai month axis, Buddhist-era years. For one scenario's full event list use
:func:`simulator.figures.journey.journey_map` on ``scenario.timelines``.
"""

from __future__ import annotations

import matplotlib.dates as mdates
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from simulator.exercises.notify import ALL, Scenario, dimension_timeline
from simulator.thai.dates import MONTHS_SHORT, thai_year
from simulator.thai.vocabulary import DIMENSION_TH, SYNTHETIC_MARK

from .fonts import use_thai_font
from .journey import STAGE_COLOUR, _fit_lines

PHONE_WIDTH_IN = 4.0
WAITING = "#cfd8dc"
UNNOTIFIED = "#eeeeee"
SEGMENTS = (  # (key, Thai label, colour): the stages a problem's row passes through
    ("waiting", "พบปัญหาแล้ว รอวางแผน", WAITING),
    ("plan", "1 วางแผน", STAGE_COLOUR["plan"]),
    ("consent", "2 ยินยอม", STAGE_COLOUR["consent"]),
    ("in_service", "3 รับบริการ", STAGE_COLOUR["in_service"]),
    ("goals_met", "4 บรรลุเป้าหมาย", STAGE_COLOUR["goals_met"]),
)
RESULT_TH = {"met": "บรรลุ", "not_met": "ยังไม่บรรลุ", "serving": "กำลังรับบริการ", "waiting": "ยังไม่ได้รับบริการ",
             "no_goal": "ไม่มีเป้าหมาย"}


def _month_label(value, _pos=None) -> str:
    d = mdates.num2date(value)
    return f"{MONTHS_SHORT[d.month - 1]}\n{thai_year(d)}"


def _segments(row: pd.Series, end: pd.Timestamp) -> list[tuple[str, pd.Timestamp, pd.Timestamp]]:
    """(stage, start, stop) pieces of one problem's row, from first notice to the span's end."""
    if pd.isna(row["noticed"]):
        return []
    marks = [("waiting", row["noticed"])]
    for key, col in (("plan", "goal_set"), ("consent", "consent"), ("in_service", "service_started"),
                     ("goals_met", "goal_met")):
        if pd.notna(row[col]):
            marks.append((key, row[col]))
    return [(key, start, marks[i + 1][1] if i + 1 < len(marks) else end) for i, (key, start) in enumerate(marks)]


def _result(row: pd.Series) -> str:
    if not row["notified"] or pd.isna(row["goal_set"]):
        return "no_goal"
    if pd.notna(row["goal_met"]):
        return "met"
    if pd.notna(row["goal_not_met"]):
        return "not_met"
    return "serving" if pd.notna(row["service_started"]) else "waiting"


def _describe(scenarios: dict[str, Scenario], table: pd.DataFrame) -> tuple[str, str]:
    parts = []
    for key, s in scenarios.items():
        rows = table[table["scenario"] == key]
        met = int((rows.apply(_result, axis=1) == "met").sum())
        parts.append(f"{s.label_th}: บรรลุเป้าหมาย {met} จาก {len(rows)} มิติที่มีปัญหา "
                     f"(ไม่มีเป้าหมาย {int((~rows['notified']).sum())} มิติ)")
    first = next(iter(scenarios.values()))
    caption = f"กรณี {first.case_id} เมื่อแจ้งและไม่ได้แจ้งผู้ให้บริการแต่ละมิติ ({SYNTHETIC_MARK})"
    return "; ".join(parts), caption


def scenario_figure(scenarios: dict[str, Scenario], width_in: float = PHONE_WIDTH_IN) -> Figure:
    """One panel per scenario (every provider notified first): each problem's stages over time."""
    use_thai_font()
    table = dimension_timeline(scenarios)
    first = next(iter(scenarios.values()))
    end = pd.Timestamp(first.timelines.span[1])
    dims = list(first.problems)
    start = table["noticed"].min()
    start = (end - pd.Timedelta(days=365)) if pd.isna(start) else start - pd.Timedelta(days=45)
    fig = Figure(figsize=(width_in, 10), layout="constrained")
    # Each panel's title lines are measured first, so a long title does not squeeze its rows.
    titles = {key: _fit_lines(fig, s.label_th, width_in - 1.0, 11, fontweight="bold" if key == ALL else "normal")
              for key, s in scenarios.items()}
    fig.set_size_inches(width_in, 1.35 + sum(0.42 * len(dims) + 0.75 + 0.2 * len(t) for t in titles.values()))
    axes = fig.subplots(len(scenarios), 1, squeeze=False)[:, 0]
    years = (end - start).days / 365.25
    interval = next(m for m in (3, 6, 12, 24, 48) if years * 12 / m <= 4.5)
    for ax, (key, s) in zip(axes, scenarios.items()):
        rows = table[table["scenario"] == key].set_index("dimension")
        for y, dim in enumerate(reversed(dims)):
            row = rows.loc[dim]
            if row["notified"]:
                for stage, a, b in _segments(row, end):
                    colour = {k: c for k, _, c in SEGMENTS}[stage]
                    ax.broken_barh([(mdates.date2num(a), max((b - a).days, 1))], (y - 0.3, 0.6),
                                   facecolors=colour, edgecolor="none")
                if pd.notna(row["goal_not_met"]):
                    ax.plot([mdates.date2num(row["goal_not_met"])], [y], marker="X", markersize=9,
                            color=STAGE_COLOUR["plan"], markeredgecolor="black", linestyle="none")
            elif pd.notna(row["noticed"]):
                ax.broken_barh([(mdates.date2num(row["noticed"]), max((end - row["noticed"]).days, 1))], (y - 0.3, 0.6),
                               facecolors=UNNOTIFIED, edgecolor="#757575", hatch="///", linewidth=0.6)
                if pd.notna(row["provider_knew"]) and row["provider_knew"] <= end:
                    ax.plot([mdates.date2num(row["provider_knew"])], [y], marker="o", markersize=8,
                            markerfacecolor="white", markeredgecolor="black", linestyle="none")
            if pd.notna(row["goal_met"]):
                ax.plot([mdates.date2num(row["goal_met"])], [y], marker="*", markersize=13,
                        color=STAGE_COLOUR["goals_met"], markeredgecolor="black", linestyle="none")
            result = RESULT_TH[_result(row)] + ("\n(ยากขึ้น)" if row["linked_harder"] else "")
            ax.text(1.02, y, result, transform=ax.get_yaxis_transform(), va="center", ha="left", fontsize=9.5,
                    color="#1b5e20" if _result(row) == "met" else "#333333")
        ax.set_yticks(range(len(dims)), [DIMENSION_TH[d] for d in reversed(dims)], fontsize=10.5)
        ax.set_ylim(-0.6, len(dims) - 0.4)
        ax.set_xlim(mdates.date2num(start), mdates.date2num(end))
        ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=range(1, 13, min(interval, 12)),
                                                       interval=max(1, interval // 12)))
        ax.xaxis.set_major_formatter(_month_label)
        ax.tick_params(axis="x", labelsize=9)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        met = int((rows.apply(_result, axis=1) == "met").sum())
        # Out of the case's problems, so that leaving a provider out never looks like fewer goals to meet.
        weight = "bold" if key == ALL else "normal"
        ax.set_title("\n".join([*titles[key], f"บรรลุเป้าหมาย {met} จาก {len(dims)} มิติที่มีปัญหา"]), fontsize=11,
                     loc="left", fontweight=weight)
    handles = [Patch(facecolor=c, label=label) for _, label, c in SEGMENTS]
    handles += [Patch(facecolor=UNNOTIFIED, edgecolor="#757575", hatch="///", label="ไม่ได้แจ้งผู้ให้บริการ"),
                Line2D([], [], marker="o", markerfacecolor="white", markeredgecolor="black", linestyle="none",
                       markersize=8, label="ผู้ให้บริการรู้เอง"),
                Line2D([], [], marker="*", color=STAGE_COLOUR["goals_met"], markeredgecolor="black",
                       linestyle="none", markersize=12, label="บรรลุเป้าหมาย"),
                Line2D([], [], marker="X", color=STAGE_COLOUR["plan"], markeredgecolor="black", linestyle="none",
                       markersize=9, label="ครบ 12 เดือน ยังไม่บรรลุ")]
    fig.legend(handles=handles, loc="outside upper center", ncol=2, fontsize=9.5, frameon=False,
               title=f"กรณี {first.case_id}: แจ้งครบกับขาดผู้ให้บริการ", title_fontsize=11.5)
    fig.text(0.995, 0.002, f"{SYNTHETIC_MARK} (synthetic)", ha="right", va="bottom", fontsize=7, color="#b00020")
    fig.termtem_alt_th, fig.termtem_caption_th = _describe(scenarios, table)
    return fig


__all__ = ["SEGMENTS", "scenario_figure"]
