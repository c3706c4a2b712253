"""Figures for trainees and trainers; every one uses the Sarabun font and is marked synthetic."""

from __future__ import annotations

import io
from pathlib import Path

from .fonts import use_thai_font


def to_png(fig, dpi: int = 110) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


def show(fig, dpi: int = 110):
    """A notebook-displayable PNG of ``fig`` (works without pyplot or an inline backend)."""
    from IPython.display import Image

    return Image(data=to_png(fig, dpi), format="png")


def save_figure(fig, path: str | Path) -> list[Path]:
    """Save ``fig`` as PNG and PDF next to each other (each written whole, then moved into place)."""
    path = Path(path)
    written = []
    for suffix in (".png", ".pdf"):
        target = path.with_suffix(suffix)
        tmp = target.with_name(f".{target.name}.partial")
        fig.savefig(tmp, format=suffix[1:], dpi=200 if suffix == ".png" else None)
        tmp.replace(target)
        written.append(target)
    return written


__all__ = ["save_figure", "show", "to_png", "use_thai_font"]
