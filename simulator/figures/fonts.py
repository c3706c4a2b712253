"""Register the Sarabun font (from the ``fontpkg-sarabun`` package) with matplotlib once."""

from __future__ import annotations

from pathlib import Path

import matplotlib
from matplotlib import font_manager

FAMILY = "Sarabun"
_registered = False


def font_files() -> list[Path]:
    import fontpkg_sarabun

    folder = Path(fontpkg_sarabun.__file__).parent / "files"
    return [folder / f"Sarabun-{style}.ttf" for style in ("Regular", "Bold", "Italic", "BoldItalic", "SemiBold")]


def use_thai_font() -> str:
    """Make Sarabun matplotlib's default font (idempotent); return the family name."""
    global _registered
    if not _registered:
        for path in font_files():
            if path.exists():
                font_manager.fontManager.addfont(str(path))
        _registered = True
    # DejaVu Sans (shipped with matplotlib) only catches symbols Sarabun lacks.
    matplotlib.rcParams["font.family"] = [FAMILY, "DejaVu Sans"]
    matplotlib.rcParams["axes.unicode_minus"] = False  # Sarabun lacks U+2212
    return FAMILY
