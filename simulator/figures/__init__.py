"""Figures for trainees and trainers; every one uses the Sarabun font and is marked synthetic."""

from __future__ import annotations

import io

from .fonts import use_thai_font


def to_png(fig, dpi: int = 110) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


def show(fig, dpi: int = 110):
    """A notebook-displayable PNG of ``fig`` (works without pyplot or an inline backend)."""
    from IPython.display import Image

    return Image(data=to_png(fig, dpi), format="png")


__all__ = ["show", "to_png", "use_thai_font"]
