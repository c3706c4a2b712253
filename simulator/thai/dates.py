"""Dates as Thai readers expect them: day, abbreviated Thai month, Buddhist-era year."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

import simulator.thai._offline  # noqa: F401  (before pythainlp)
from pythainlp.util import arabic_digit_to_thai_digit, thai_digit_to_arabic_digit, thai_strftime, thai_strptime
from pythainlp.util.date import thai_abbr_months, thai_full_months

MONTHS_SHORT = tuple(thai_abbr_months)
MONTHS_LONG = tuple(thai_full_months)
BE_OFFSET = 543
DAYS_PER_YEAR = 365.25
DAYS_PER_MONTH = DAYS_PER_YEAR / 12

_THAI_DATE = re.compile(r"(\d{1,2})\s+(\S+)\s+(\d{4})")


class ThaiDateError(ValueError):
    """Text that is not a Thai date such as ``23 พ.ย. 2569``."""


def thai_date(value, long: bool = False) -> str:
    """``2026-11-23`` -> ``23 พ.ย. 2569`` (or ``23 พฤศจิกายน 2569`` with ``long=True``).

    Missing values give an empty string.
    """
    if value is None or (not isinstance(value, (dt.date, str)) and pd.isna(value)):
        return ""
    ts = pd.Timestamp(value)
    if pd.isna(ts):
        return ""
    return thai_strftime(ts.to_pydatetime(), "%-d %B %Y" if long else "%-d %b %Y")


def thai_year(value) -> int:
    """Buddhist-era year of a date."""
    return pd.Timestamp(value).year + BE_OFFSET


def thai_digits(text) -> str:
    """Arabic digits in ``text`` written as Thai digits: ``23 พ.ย. 2569`` -> ``๒๓ พ.ย. ๒๕๖๙``."""
    return arabic_digit_to_thai_digit(str(text))


def parse_thai_date(text: str) -> dt.date:
    """``23 พ.ย. 2569`` (or ``23 พฤศจิกายน 2569``, or in Thai digits) -> ``date(2026, 11, 23)``.

    The year is Buddhist era. Raises ThaiDateError, with a Thai message, on anything else.
    """
    example = "เช่น 23 พ.ย. 2569 หรือ 23 พฤศจิกายน 2569"
    if not isinstance(text, str) or not text.strip():
        raise ThaiDateError(f"ไม่มีวันที่ให้อ่าน: กรุณาเขียนวัน เดือน ปี พ.ศ. {example}")
    arabic = thai_digit_to_arabic_digit(text.strip())
    match = _THAI_DATE.fullmatch(arabic)
    if not match or match.group(2) not in MONTHS_SHORT + MONTHS_LONG:
        raise ThaiDateError(f"อ่านวันที่ {text!r} ไม่ได้: กรุณาเขียนวัน เดือน ปี พ.ศ. {example}")
    try:
        return thai_strptime(" ".join(match.groups()), "%d %B %Y", year="be").date()
    except ValueError as exc:
        raise ThaiDateError(f"ไม่มีวันที่ {text!r} ในปฏิทิน: ตรวจวันที่และเดือนอีกครั้ง ({example})") from exc


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


def thai_month(value, long: bool = False) -> str:
    """A month as Thai readers write it: ``2025-12`` -> ``ธ.ค. 2568`` (``ธันวาคม 2568`` with ``long``)."""
    period = pd.Period(value, freq="M")
    names = MONTHS_LONG if long else MONTHS_SHORT
    return f"{names[period.month - 1]} {period.year + BE_OFFSET}"
