"""Dates as Thai readers expect them: day, abbreviated Thai month, Buddhist-era year."""

from __future__ import annotations

import datetime as dt

import pandas as pd

MONTHS_SHORT = ("ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.")
MONTHS_LONG = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)
BE_OFFSET = 543


def thai_date(value, long: bool = False) -> str:
    """``2026-11-23`` -> ``23 พ.ย. 2569`` (or ``23 พฤศจิกายน 2569`` with ``long=True``).

    Missing values give an empty string.
    """
    if value is None or (not isinstance(value, (dt.date, str)) and pd.isna(value)):
        return ""
    ts = pd.Timestamp(value)
    if pd.isna(ts):
        return ""
    months = MONTHS_LONG if long else MONTHS_SHORT
    return f"{ts.day} {months[ts.month - 1]} {ts.year + BE_OFFSET}"


def thai_year(value) -> int:
    """Buddhist-era year of a date."""
    return pd.Timestamp(value).year + BE_OFFSET
