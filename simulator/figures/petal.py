"""The petal flower (กลีบดอก): 4 inner child petals and 4 outer parent petals.

Each petal is filled red / yellow / green and carries a second cue for colour-blind
readers: the Thai colour word printed on it and a hatching pattern (red dense
cross-hatch, yellow diagonal lines, green plain). The child's notes sit on the right,
the parent's on the left; every figure is stamped ข้อมูลสมมติ (synthetic).
"""

from __future__ import annotations

import math
from pathlib import Path

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.transforms import Affine2D
from matplotlib.patches import Circle, Wedge

from simulator.model.config import DIMENSIONS
from simulator.exercises.views import flower_notes, true_colours
from simulator.thai.dates import thai_date
from simulator.thai.vocabulary import CASE_LEVEL_TH, COLOUR_TH, DIMENSION_TH, SYNTHETIC_MARK
from simulator.thai.text import wrap
from . import save_figure
from .fonts import use_thai_font

FILL = {"red": "#d7263d", "yellow": "#f6c026", "green": "#3a9d5d", None: "#e6e6e6"}
HATCH = {"red": "xx", "yellow": "///", "green": "", None: ""}
TEXT_ON = {"red": "white", "yellow": "black", "green": "white", None: "#555555"}
UNSET_TH = "ยังไม่ระบุ"
# Petal centres: social up-right, education up-left, health down-left, governance down-right.
ANGLE = {"social": 45.0, "education": 135.0, "health": 225.0, "governance": 315.0}
INNER = (0.32, 1.0)
OUTER = (1.06, 1.72)
A5_LANDSCAPE = (8.27, 5.83)
PHONE_WIDTH_IN = 4.0  # shown 380 px wide, 1 pt of text stays ~1 pt
LAYOUTS = ("phone", "print")


def _wrap(text: str, width: int) -> str:
    return "\n".join(wrap(text, width))


def draw_flower(
    colours: dict[str, str | None],
    child_notes: list[str] | None = None,
    parent_notes: list[str] | None = None,
    title: str = "กลีบดอกภาวะคุกคาม",
    subtitle: str = "",
    layout: str = "phone",
) -> Figure:
    """Draw a flower from ``colours`` keyed ``child_social`` ... ``parent_governance``.

    A missing or ``None`` colour draws a grey petal marked ยังไม่ระบุ (not yet chosen).
    ``layout="phone"`` (default, what notebooks show) is a portrait figure 4 inches wide with
    the notes under the flower, every label at least 11 pt on a 380 px screen;
    ``layout="print"`` is the A5 landscape sheet with the notes beside it.
    """
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}: use one of {', '.join(LAYOUTS)}")
    use_thai_font()
    fig = (_flower_phone if layout == "phone" else _flower_print)(colours, child_notes, parent_notes, title, subtitle)
    fig.termtem_alt_th, fig.termtem_caption_th = describe_flower(colours, title, subtitle)
    return fig


def _flower_axes(ax) -> None:
    ax.set_aspect("equal")
    ax.set_xlim(-1.85, 1.85)
    ax.set_ylim(-1.85, 1.85)
    ax.axis("off")


def _draw_petals(ax, colours: dict[str, str | None], child_size: float, parent_size: float,
                 centre_size: float) -> None:
    for subject, (r_in, r_out) in (("parent", OUTER), ("child", INNER)):
        for dim in DIMENSIONS:
            colour = colours.get(f"{subject}_{dim}")
            centre = ANGLE[dim]
            wedge = Wedge((0, 0), r_out, centre - 43, centre + 43, width=r_out - r_in,
                          facecolor=FILL[colour], edgecolor="white", linewidth=2.5,
                          hatch=HATCH[colour])
            ax.add_patch(wedge)
            r_mid = (r_in + r_out) / 2
            x, y = r_mid * math.cos(math.radians(centre)), r_mid * math.sin(math.radians(centre))
            word = COLOUR_TH.get(colour, UNSET_TH) if colour else UNSET_TH
            label = f"{DIMENSION_TH[dim]}\n{word}"
            ax.text(x, y, label, ha="center", va="center", fontsize=child_size if subject == "child" else parent_size,
                    color=TEXT_ON[colour], fontweight="bold",
                    bbox=dict(boxstyle="round,pad=0.15", facecolor=FILL[colour], edgecolor="none")
                    if HATCH[colour] else None)
    ax.add_patch(Circle((0, 0), INNER[0] - 0.04, facecolor="white", edgecolor="#888888"))
    ax.text(0, 0, "เด็ก", ha="center", va="center", fontsize=centre_size, fontweight="bold")


def _notes_text(heading: str, notes: list[str] | None) -> str:
    lines = [heading]
    for note in (notes or [])[:9]:
        lines.append("• " + _wrap(note, 30).replace("\n", "\n   "))
    if notes and len(notes) > 9:
        lines.append(f"… และอีก {len(notes) - 9} รายการ")
    if not notes:
        lines.append("(ไม่มีบันทึก)")
    return "\n".join(lines)


LEGEND_LINES = ("สีแดง = คุ้มครองเร่งด่วน (ลายตาราง)", "สีเหลือง = บริการซับซ้อน (ลายเฉียง)",
                "สีเขียว = บริการปกติ (พื้นเรียบ)")


def _flower_print(colours, child_notes, parent_notes, title, subtitle) -> Figure:
    fig = Figure(figsize=A5_LANDSCAPE, dpi=100)
    ax = fig.add_axes((0.27, 0.08, 0.46, 0.78))
    _flower_axes(ax)
    _draw_petals(ax, colours, 9, 9.5, 11)
    ax.text(0, -1.82, "วงใน: เด็ก   วงนอก: ผู้ปกครอง", ha="center", va="top", fontsize=9, color="#333333")

    def notes_block(x: float, align: str, heading: str, notes: list[str] | None) -> None:
        fig.text(x, 0.84, _notes_text(heading, notes), ha=align, va="top", fontsize=8.5, linespacing=1.35,
                 multialignment="left")

    notes_block(0.985, "right", "บันทึกของเด็ก", child_notes)
    notes_block(0.015, "left", "บันทึกของผู้ปกครอง", parent_notes)
    fig.text(0.5, 0.975, title, ha="center", va="top", fontsize=14, fontweight="bold")
    if subtitle:
        fig.text(0.5, 0.925, subtitle, ha="center", va="top", fontsize=10, color="#333333")
    fig.text(0.5, 0.5, SYNTHETIC_MARK, ha="center", va="center", fontsize=60, color="#999999",
             alpha=0.13, rotation=30, zorder=0, gid="watermark")
    legend = "   ".join(LEGEND_LINES)
    fig.text(0.5, 0.035, legend, ha="center", va="bottom", fontsize=7.5, color="#333333")
    fig.text(0.5, 0.008, f"{SYNTHETIC_MARK} (synthetic) — ไม่ใช่ข้อมูลของบุคคลจริง", ha="center", va="bottom",
             fontsize=7.5, color="#b00020")
    return fig


def _flower_phone(colours, child_notes, parent_notes, title, subtitle) -> Figure:
    width, left, size = PHONE_WIDTH_IN, 0.15, 3.8
    fig = Figure(figsize=(width, 10), dpi=100)
    FigureCanvasAgg(fig)
    renderer = fig.canvas.get_renderer()
    top = Affine2D()
    trans = top + fig.dpi_scale_trans
    y = 0.15

    def put(text, fontsize=12.0, gap=0.08, x=left, **kw):
        nonlocal y
        t = fig.text(x, -y, text, fontsize=fontsize, va="top", transform=trans, **kw)
        y += t.get_window_extent(renderer).height / fig.dpi + gap
        return t

    put("\n".join(wrap(title, 30)), fontsize=15, fontweight="bold", gap=0.04)
    if subtitle:
        put("\n".join(wrap(subtitle, 38)), fontsize=11.5, color="#333333", gap=0.04)
    flower_top = y
    y += size
    put("วงใน: เด็ก   วงนอก: ผู้ปกครอง", fontsize=12, ha="center", x=width / 2, color="#333333", gap=0.04)
    put("\n".join(LEGEND_LINES), fontsize=11.5, color="#333333", gap=0.15)
    # The child's notes first (right of the flower on the print sheet), then the parent's.
    put(_notes_text("บันทึกของเด็ก", child_notes), fontsize=12, linespacing=1.3, gap=0.15)
    put(_notes_text("บันทึกของผู้ปกครอง", parent_notes), fontsize=12, linespacing=1.3, gap=0.12)
    put(f"{SYNTHETIC_MARK} (synthetic) — ไม่ใช่ข้อมูลของบุคคลจริง", fontsize=11.5, color="#b00020", gap=0.1)
    fig.set_size_inches(width, y)
    top.translate(0, y)
    ax = fig.add_axes(((width - size) / 2 / width, (y - flower_top - size) / y, size / width, size / y))
    _flower_axes(ax)
    _draw_petals(ax, colours, 11.5, 12, 12)
    fig.text(0.5, (y - flower_top - size / 2) / y, SYNTHETIC_MARK, ha="center", va="center", fontsize=44,
             color="#999999", alpha=0.13, rotation=30, zorder=0, gid="watermark")
    return fig


def describe_flower(colours: dict[str, str | None], title: str, subtitle: str = "") -> tuple[str, str]:
    """Thai alt text (every petal's colour, in words) and caption of a flower."""
    def ring(subject: str) -> str:
        words = []
        for d in DIMENSIONS:
            colour = colours.get(f"{subject}_{d}")
            words.append(f"{DIMENSION_TH[d]} สี{COLOUR_TH[colour]}" if colour in COLOUR_TH else f"{DIMENSION_TH[d]} {UNSET_TH}")
        return " ".join(words)

    alt = f"{title}: วงในของเด็ก {ring('child')}; วงนอกของผู้ปกครอง {ring('parent')}"
    caption = f"{title} · {subtitle} (ข้อมูลสมมติ)" if subtitle else f"{title} (ข้อมูลสมมติ)"
    return alt, caption


# The flower is printed like every other figure: PNG plus PDF at its A5 size.
save_flower = save_figure


def family_flower(pop: Population, family_id: str, layout: str = "phone"):
    """The true flower of one family as a matplotlib Figure (``layout``: see :func:`draw_flower`)."""
    hh = pop.households[pop.households["family_id"] == family_id].iloc[0]
    child, parent = flower_notes(pop, family_id)
    subtitle = (f"ครอบครัว {family_id} · {hh['community']} เขต{hh['district']} · "
                f"ระดับกรณี: {CASE_LEVEL_TH[hh['case_level']]} · ข้อมูล ณ {thai_date(pop.reference_date)}")
    return draw_flower(true_colours(pop, family_id), child, parent, subtitle=subtitle, layout=layout)
