"""Shared look of every dashboard figure: Sarabun, the synthetic-data mark, Thai alt text.

Each level's module draws its own figures with :func:`new_figure` and finishes them with
:func:`finish`, so every dashboard chart carries the same mark and descriptions that
:func:`simulator.figures.show` puts into the notebook (alt text and caption).
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg", force=False)
from matplotlib.figure import Figure  # noqa: E402

from simulator.figures.fonts import use_thai_font  # noqa: E402
from simulator.thai.vocabulary import SYNTHETIC_MARK  # noqa: E402

# Phone-first: 4 inches wide is a phone screen at the book's 110 px per inch.
PHONE_WIDTH_IN = 4.0
COLOURS = {"red": "#d7263d", "yellow": "#f4b400", "green": "#2e9e44", "grey": "#8a8a8a"}
LEVEL_COLOURS = {"emergency": COLOURS["red"], "complex": COLOURS["yellow"], "routine": COLOURS["green"]}
# Status of a scorecard measure: on target, within tolerance, off target.
STATUS_COLOURS = {"green": COLOURS["green"], "amber": "#f08c00", "red": COLOURS["red"]}


def new_figure(width_in: float = PHONE_WIDTH_IN, height_in: float = 3.2) -> Figure:
    """An empty figure in the kit's Thai font, not attached to pyplot (so nothing leaks between calls)."""
    use_thai_font()
    fig = Figure(figsize=(width_in, height_in), layout="constrained")
    return fig


def finish(fig: Figure, alt_th: str, caption_th: str | None = None) -> Figure:
    """Mark ``fig`` synthetic and give it the Thai alt text and caption :func:`show` displays."""
    engine = fig.get_layout_engine()
    if engine is not None and hasattr(engine, "set"):
        # Keep a strip at the foot of the figure for the mark, clear of tick labels.
        engine.set(rect=(0, 0.045, 1, 0.955))
    fig.text(0.995, 0.004, f"{SYNTHETIC_MARK} (synthetic)", ha="right", va="bottom", fontsize=7, color="#b00020")
    fig.termtem_alt_th = alt_th
    fig.termtem_caption_th = caption_th or alt_th
    return fig


__all__ = ["COLOURS", "LEVEL_COLOURS", "PHONE_WIDTH_IN", "STATUS_COLOURS", "finish", "new_figure"]
