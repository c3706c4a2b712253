"""Figures for trainees and trainers; every one uses the Sarabun font and is marked synthetic."""

from .fonts import use_thai_font

__all__ = ["use_thai_font"]
