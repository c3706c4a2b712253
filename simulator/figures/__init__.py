"""Figures for trainees and trainers; every one uses the Sarabun font and is marked synthetic.

Every figure function sets a Thai description on the figure it returns:
``fig.termtem_alt_th`` (alt text: what the figure shows, in words) and
``fig.termtem_caption_th`` (the caption under it). :func:`show` puts both into the
notebook output, so the book's HTML has Thai alt text, a Thai caption, and an image a
reader can tap to open full size (``_static/termtem.js``).
"""

from __future__ import annotations

import base64
import html
import io
from pathlib import Path

from .fonts import use_thai_font

FALLBACK_ALT_TH = "ภาพประกอบจากข้อมูลสมมติ"
# PNGs are drawn this much finer than their shown size, so text stays sharp on phone screens.
SHARPNESS = 1.5


def to_png(fig, dpi: int = 110) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


def describe(fig) -> tuple[str, str]:
    """The Thai alt text and caption of ``fig`` (set by the function that drew it)."""
    alt = str(getattr(fig, "termtem_alt_th", "") or "").strip() or FALLBACK_ALT_TH
    caption = str(getattr(fig, "termtem_caption_th", "") or "").strip() or alt
    return alt, caption


class FigureOutput:
    """A figure as a notebook output: an HTML ``<figure>`` with the PNG inline, Thai alt and caption."""

    def __init__(self, png: bytes, alt: str, caption: str, width_px: int):
        self.png, self.alt, self.caption, self.width_px = png, alt, caption, width_px

    def _repr_html_(self) -> str:
        data = base64.b64encode(self.png).decode("ascii")
        alt, caption = html.escape(self.alt, quote=True), html.escape(self.caption)
        return (f'<figure class="termtem-figure">'
                f'<img src="data:image/png;base64,{data}" alt="{alt}" width="{self.width_px}" loading="lazy">'
                f"<figcaption>{caption}</figcaption></figure>")

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/html": self._repr_html_(), "text/plain": f"[ภาพ] {self.caption}"}

    def __repr__(self) -> str:
        return f"FigureOutput({self.caption!r})"


def show(fig, dpi: int = 110) -> FigureOutput:
    """A notebook output of ``fig``: shown ``dpi`` px per inch wide, with Thai alt text and caption."""
    alt, caption = describe(fig)
    width_px = round(fig.get_size_inches()[0] * dpi)
    return FigureOutput(to_png(fig, round(dpi * SHARPNESS)), alt, caption, width_px)


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


__all__ = ["FigureOutput", "describe", "save_figure", "show", "to_png", "use_thai_font"]
