"""Excel workbooks a trainer opens: Thai headers and labels, Buddhist-era dates, a data dictionary.

Two files, so the answer key can be withheld simply by not handing it out:

* ``termtem_synthetic.xlsx`` for trainees: a notice sheet, one sheet per table without
  its ground-truth columns, and the data dictionary of what it holds;
* ``termtem_synthetic_answers.xlsx`` for the trainer only: the tables that are ground
  truth as a whole (true indicators, true petals) and the ground-truth columns of the
  others beside the key columns of their rows.

Every data sheet has Thai headers in row 1 and the English column codes (as in the CSV
files) in row 2, both frozen with the ``synthetic`` column. Dates are text such as
``23 พ.ย. 2569``: that reads the same in Excel and LibreOffice on any locale, where a
Buddhist-era number format does not; the CSV files keep ISO dates for calculation.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from simulator.export.dictionary import ColumnCatalogue, label_map
from simulator.model.config import KitConfig
from simulator.thai.dates import thai_date
from simulator.thai.vocabulary import SYNTHETIC_MARK

WORKBOOK_FILE = "termtem_synthetic.xlsx"
ANSWERS_FILE = "termtem_synthetic_answers.xlsx"
NOTICE_SHEET = "อ่านก่อน (read me)"
DICTIONARY_SHEET = "พจนานุกรมข้อมูล (dictionary)"
HEADER_ROWS = 2
DICTIONARY_COLUMNS = {
    "table": "ตาราง", "sheet": "ชีต", "column": "รหัสคอลัมน์", "header_th": "หัวตารางภาษาไทย",
    "description_th": "คำอธิบาย", "description_en": "คำอธิบายภาษาอังกฤษ (English description)",
}
_WIDTH_MIN, _WIDTH_MAX = 6, 60
_WIDTH_SAMPLE = 300  # rows looked at to size a column; later rows rarely differ in kind

_TITLE = Font(bold=True, size=14)
_BOLD = Font(bold=True)
_CODE = Font(italic=True, color="666666", size=9)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_ANSWER_FILL = PatternFill("solid", fgColor="FCE4D6")
_WRAP = Alignment(wrap_text=True, vertical="top")


@dataclass
class Sheet:
    """One data sheet: what it shows and where its columns come from."""

    title: str
    table: str
    frame: pd.DataFrame
    answers: bool = False
    headers: list[str] = field(default_factory=list)


def needs_answers(tables: dict[str, pd.DataFrame], columns: ColumnCatalogue) -> bool:
    """Whether ``tables`` hold any ground truth, i.e. whether an answer workbook is written."""
    for name, df in tables.items():
        spec = columns.tables.get(name)
        if spec is not None and (spec.answers or any(c in df.columns for c in spec.truth_columns())):
            return True
    return False


def split_sheets(tables: dict[str, pd.DataFrame], columns: ColumnCatalogue) -> tuple[list[Sheet], list[Sheet]]:
    """Trainee sheets and answer sheets, in table order; columns stay in export order."""
    trainee, answers = [], []
    for name, df in tables.items():
        spec = columns.tables.get(name)
        if spec is None:  # a table the dictionary does not know: shown as is, codes as headers
            trainee.append(Sheet(name[:31], name, df))
            continue
        if spec.answers:
            answers.append(Sheet(spec.sheet, name, df, answers=True))
            continue
        truth = [c for c in spec.truth_columns() if c in df.columns]
        trainee.append(Sheet(spec.sheet, name, df.drop(columns=truth)))
        if truth:
            lead = [c for c in df.columns if c in columns.common_columns]
            keys = [c for c in spec.key if c in df.columns]
            answers.append(Sheet(spec.answer_sheet, name, df[lead + keys + truth], answers=True))
    return trainee, answers


def display_values(name: str, column: str, values: pd.Series, columns: ColumnCatalogue, cfg: KitConfig) -> list:
    """What a reader sees in one column: Thai labels, Buddhist-era dates, blanks for missing."""
    spec = columns.column(name, column)
    if pd.api.types.is_datetime64_any_dtype(values):
        return _mapped(values, thai_date)
    if spec is not None and spec.labels is not None:
        labels = label_map(spec.labels, cfg)
        if spec.separator is not None:
            sep = spec.separator
            return _mapped(values, lambda v: ", ".join(labels.get(code, code) for code in str(v).split(sep) if code))
        return _mapped(values, lambda v: labels.get(v, v))
    return _plain(values)


def _mapped(values: pd.Series, func) -> list:
    """``func`` applied once per distinct value (tables repeat a few codes many times)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    shown = np.array([func(_python(v)) for v in uniques] + [None], dtype=object)
    return shown[codes].tolist()


def _python(value):
    return value.item() if isinstance(value, np.generic) else value


def _plain(values: pd.Series) -> list:
    out = values.astype(object)
    return out.where(values.notna(), None).tolist()


def display_width(text: str) -> int:
    """Characters that take room on screen: Thai vowel and tone marks sit above or below."""
    return sum(1 for ch in text if not unicodedata.combining(ch))


def write_workbooks(tables: dict[str, pd.DataFrame], paths: dict[str, Path], columns: ColumnCatalogue,
                    cfg: KitConfig, about: dict | None = None) -> None:
    """Write the trainee workbook to ``paths["workbook"]`` and, when there is ground truth,
    the answer workbook to ``paths["answers"]``."""
    trainee, answers = split_sheets(tables, columns)
    has_answers = "answers" in paths
    _write_one(paths["workbook"], trainee, columns, cfg, about, answers_file=False,
               withheld=[s.title for s in answers] if has_answers else [])
    if has_answers:
        _write_one(paths["answers"], answers, columns, cfg, about, answers_file=True, withheld=[])


def _write_one(path: Path, sheets: list[Sheet], columns: ColumnCatalogue, cfg: KitConfig, about: dict | None,
               answers_file: bool, withheld: list[str]) -> None:
    wb = Workbook(write_only=True)
    wb.properties.title = f"{SYNTHETIC_MARK} (synthetic data): ชุดฝึกอบรมเติมเต็ม" + (" เฉลย" if answers_file else "")
    wb.properties.subject = SYNTHETIC_MARK
    wb.properties.creator = "Termtem training kit"
    _notice_sheet(wb, sheets, columns, about, answers_file, withheld)
    for sheet in sheets:
        _data_sheet(wb, sheet, columns, cfg)
    _dictionary_sheet(wb, sheets, columns)
    wb.save(path)


def _notice_sheet(wb: Workbook, sheets: list[Sheet], columns: ColumnCatalogue, about: dict | None,
                  answers_file: bool, withheld: list[str]) -> None:
    ws = wb.create_sheet(NOTICE_SHEET)
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 30
    ws.column_dimensions["C"].width = 70
    ws.column_dimensions["D"].width = 14

    def line(*values, font=None, fill=None):
        cells = []
        for v in values:
            cell = WriteOnlyCell(ws, value=v)
            if font is not None:
                cell.font = font
            if fill is not None:
                cell.fill = fill
            cells.append(cell)
        ws.append(cells)

    title = f"{SYNTHETIC_MARK} (synthetic data): ชุดฝึกอบรมเติมเต็ม"
    line(title + (" – เฉลยสำหรับวิทยากร (answer key)" if answers_file else ""), font=_TITLE)
    line("ทุกครอบครัว ทุกคน และทุกบันทึกในไฟล์นี้สร้างขึ้นโดยโปรแกรมจำลอง ไม่ใช่ข้อมูลของเด็กหรือครอบครัวจริง "
         "ทุกแถวมีคอลัมน์ ข้อมูลสมมติ (synthetic) กำกับไว้")
    if about:
        parts = []
        if "families" in about:
            parts.append(f"{about['families']:,} ครัวเรือน")
        if "seed" in about:
            parts.append(f"seed {about['seed']}")
        if about.get("districts"):
            parts.append("เฉพาะเขต " + " ".join(about["districts"]))
        if "reference_date" in about:
            parts.append(f"วันอ้างอิง {thai_date(about['reference_date'])}")
        line("สร้างจาก: " + ", ".join(parts))
    if answers_file:
        line("ไฟล์นี้เป็นเฉลย (answer key) สำหรับวิทยากรเท่านั้น อย่าแจกให้ผู้เรียน "
             f"ข้อมูลชุดเดียวกับไฟล์ {WORKBOOK_FILE} ซึ่งแจกผู้เรียนได้", font=_BOLD, fill=_ANSWER_FILL)
        line("ชีตเฉลยของการสังเกตและของกรณีทวนคอลัมน์รหัสของแถวไว้ เพื่อจับคู่กับแถวในไฟล์ของผู้เรียน "
             "(เรียงลำดับเดียวกัน)")
    elif withheld:
        line(f"เฉลย (answer key) ไม่อยู่ในไฟล์นี้ แต่อยู่ในไฟล์ {ANSWERS_FILE} ซึ่งวิทยากรเก็บไว้ "
             f"แจกไฟล์นี้ให้ผู้เรียนได้ ชีตที่อยู่ในไฟล์เฉลย: {', '.join(withheld)}", font=_BOLD)
    line("แถวที่ 1 ของทุกชีตคือหัวตารางภาษาไทย แถวที่ 2 คือรหัสคอลัมน์ภาษาอังกฤษ (column code) "
         f"ซึ่งตรงกับไฟล์ CSV ความหมายของทุกคอลัมน์อยู่ในชีต {DICTIONARY_SHEET}")
    line("วันที่เป็นข้อความแบบพุทธศักราช เช่น 23 พ.ย. 2569 ถ้าต้องการเรียงหรือคำนวณวันที่ "
         "ให้ใช้ไฟล์ CSV หรือ Parquet ซึ่งเก็บวันที่แบบ ค.ศ. (YYYY-MM-DD) และเก็บรหัสแทนคำภาษาไทย")
    line()
    line("ชีต (sheet)", "ตาราง (table)", "หนึ่งแถวคือ (one row is)", "จำนวนแถว (rows)", font=_BOLD, fill=_HEADER_FILL)
    for sheet in sheets:
        spec = columns.tables.get(sheet.table)
        what = spec.description_th if spec is not None else ""
        if spec is not None and not spec.answers and sheet.answers:
            what = "คอลัมน์เฉลยของตาราง " + spec.name_th
        line(sheet.title, f"{spec.name_th if spec else sheet.table} ({sheet.table})", what, len(sheet.frame))


def _data_sheet(wb: Workbook, sheet: Sheet, columns: ColumnCatalogue, cfg: KitConfig) -> None:
    ws = wb.create_sheet(sheet.title)
    df = sheet.frame
    codes = list(df.columns)
    headers = []
    for code in codes:
        spec = columns.column(sheet.table, code)
        headers.append(spec.header_th if spec is not None else code)
    sheet.headers = headers
    shown = [display_values(sheet.table, code, df[code], columns, cfg) for code in codes]
    for i, (code, header, values) in enumerate(zip(codes, headers, shown), start=1):
        sample = [display_width(str(v)) for v in values[:_WIDTH_SAMPLE] if v is not None]
        width = max([display_width(header), len(code)] + sample) + 2
        ws.column_dimensions[_letter(i)].width = min(max(width, _WIDTH_MIN), _WIDTH_MAX)
    ws.freeze_panes = f"B{HEADER_ROWS + 1}"
    ws.print_title_rows = f"1:{HEADER_ROWS}"
    ws.HeaderFooter.oddHeader.center.text = f"{SYNTHETIC_MARK} (synthetic data)"
    fill = _ANSWER_FILL if sheet.answers else _HEADER_FILL
    ws.append([_styled(ws, h, _BOLD, fill) for h in headers])
    ws.append([_styled(ws, c, _CODE, fill) for c in codes])
    for row in zip(*shown):
        ws.append(row)


def _dictionary_sheet(wb: Workbook, sheets: list[Sheet], columns: ColumnCatalogue) -> None:
    ws = wb.create_sheet(DICTIONARY_SHEET)
    widths = (16, 30, 28, 30, 70, 70)
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[_letter(i)].width = w
    ws.freeze_panes = f"A{HEADER_ROWS + 1}"
    ws.append([_styled(ws, h, _BOLD, _HEADER_FILL) for h in DICTIONARY_COLUMNS.values()])
    ws.append([_styled(ws, c, _CODE, _HEADER_FILL) for c in DICTIONARY_COLUMNS])
    for sheet in sheets:
        for code in sheet.frame.columns:
            spec = columns.column(sheet.table, code)
            if spec is None:
                row = [sheet.table, sheet.title, code, code, "", ""]
            else:
                row = [sheet.table, sheet.title, code, spec.header_th, spec.description_th, spec.description_en]
            ws.append([_styled(ws, v, None, None, wrap=True) for v in row])


def _styled(ws, value, font, fill, wrap: bool = False) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=value)
    if font is not None:
        cell.font = font
    if fill is not None:
        cell.fill = fill
    if wrap:
        cell.alignment = _WRAP
    return cell


def _letter(index: int) -> str:
    return get_column_letter(index)
