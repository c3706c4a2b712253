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
DAYS_PER_YEAR = 365.25
DAYS_PER_MONTH = DAYS_PER_YEAR / 12


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


def age_label_th(age_days) -> str:
    """Age as a Thai reader says it: ``8 ปี``; under a year ``7 เดือน``; under a month
    ``2 สัปดาห์``; in the first week ``แรกเกิด``. Missing or negative (unborn) gives ``""``.
    """
    if age_days is None or pd.isna(age_days) or age_days < 0:
        return ""
    days = int(age_days)
    if days < 7:
        return "แรกเกิด"
    if days < DAYS_PER_MONTH:
        return f"{days // 7} สัปดาห์"
    if days < DAYS_PER_YEAR:
        return f"{int(days // DAYS_PER_MONTH)} เดือน"
    return f"{int(days // DAYS_PER_YEAR)} ปี"
