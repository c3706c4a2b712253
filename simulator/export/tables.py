"""Write a population to CSV, Excel or Parquet, safely.

* Every table carries a ``synthetic`` column reading ข้อมูลสมมติ, so no printed or
  copied row can pass for a real case; Parquet files also carry it as metadata.
* CSV and Parquet are for machines (codes, ISO dates); Excel is for people: see
  :mod:`simulator.export.workbook` (Thai headers and labels, answer key apart).
* Files are first written into a hidden staging folder beside the output and moved
  into place only when all of them are complete: a failure leaves nothing behind.
* Existing files are never overwritten unless ``overwrite=True`` is given.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd

from simulator.export.csvfile import write_csv
from simulator.export.dictionary import ColumnCatalogue, load_columns
from simulator.export.workbook import ANSWERS_FILE, WORKBOOK_FILE, needs_answers, write_workbooks
from simulator.model.config import KitConfig, load_config
from simulator.model.population import TABLES, Population
from simulator.thai.vocabulary import SYNTHETIC_MARK

FORMATS = ("csv", "xlsx", "parquet")
EXCEL_MAX_ROWS = 1_048_576  # including the header row
SYNTHETIC_COLUMN = "synthetic"


class ExportError(ValueError):
    """The population cannot be written as asked; nothing was written."""


def mark_synthetic(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy(deep=False)
    out.insert(0, SYNTHETIC_COLUMN, pd.Categorical.from_codes(np.zeros(len(df), dtype=np.int8), [SYNTHETIC_MARK]))
    return out


HEADER_ROWS = 2  # a workbook sheet has a Thai header row and a column-code row


def output_paths(out_dir: Path, fmt: str, tables: list[str], answers: bool = False) -> dict[str, Path]:
    if fmt == "xlsx":
        paths = {"workbook": out_dir / WORKBOOK_FILE}
        if answers:
            paths["answers"] = out_dir / ANSWERS_FILE
        return paths
    return {name: out_dir / f"{name}.{fmt}" for name in tables}


def _check(tables: dict[str, pd.DataFrame], out_dir: Path, fmt: str, overwrite: bool,
           columns: ColumnCatalogue) -> dict[str, Path]:
    if fmt not in FORMATS:
        raise ExportError(f"ไม่รู้จักรูปแบบไฟล์ {fmt!r} เลือกได้ {', '.join(FORMATS)} "
                          f"(unknown format {fmt!r}: choose one of {', '.join(FORMATS)})")
    if fmt == "xlsx":
        for name, df in tables.items():
            if len(df) + HEADER_ROWS > EXCEL_MAX_ROWS:
                raise ExportError(
                    f"ตาราง {name} มี {len(df):,} แถว เกินกว่าที่ชีต Excel หนึ่งชีตรับได้ "
                    f"({EXCEL_MAX_ROWS - HEADER_ROWS:,} แถวข้อมูล) ใช้ --format csv หรือ parquet หรือลดจำนวนครัวเรือน "
                    f"(table {name} has {len(df):,} rows, more than an Excel sheet holds)"
                )
    if out_dir.exists() and not out_dir.is_dir():
        raise ExportError(f"{out_dir} มีอยู่แล้วแต่ไม่ใช่โฟลเดอร์ ({out_dir} exists and is not a folder)")
    parent = out_dir if out_dir.exists() else _nearest_existing(out_dir)
    if not os.access(parent, os.W_OK | os.X_OK):
        raise ExportError(f"ไม่มีสิทธิ์เขียนใน {parent} (cannot write into {parent}: permission denied)")
    paths = output_paths(out_dir, fmt, list(tables), answers=fmt == "xlsx" and needs_answers(tables, columns))
    clashes = [str(p) for p in paths.values() if p.exists()]
    if clashes and not overwrite:
        raise ExportError(
            f"มีไฟล์ผลลัพธ์อยู่แล้ว {len(clashes)} ไฟล์ เช่น {clashes[0]} เลือกโฟลเดอร์ --out อื่น "
            f"หรือใส่ --overwrite เพื่อเขียนทับ ({len(clashes)} output file(s) already exist)"
        )
    return paths


def _nearest_existing(path: Path) -> Path:
    for parent in path.parents:
        if parent.exists():
            if not parent.is_dir():
                raise ExportError(f"{parent} เป็นไฟล์ จึงสร้าง {path} ไม่ได้ ({parent} is a file, so {path} "
                                  "cannot be created)")
            return parent
    return Path("/")


def write_tables(tables: dict[str, pd.DataFrame], out_dir: Path | str, fmt: str = "csv",
                 overwrite: bool = False, config: KitConfig | None = None, about: dict | None = None,
                 columns: ColumnCatalogue | None = None) -> list[Path]:
    """Write ``tables`` into ``out_dir``; return the written paths. All or nothing.

    ``config`` gives the Thai labels of codes defined in data files (default: the kit's own);
    ``about`` (families, seed, districts, reference_date) is shown on the workbook's notice sheet.
    """
    out_dir = Path(out_dir)
    columns = columns or load_columns()
    paths = _check(tables, out_dir, fmt, overwrite, columns)
    created_dir = not out_dir.exists()
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".termtem-staging-", dir=out_dir))
    except OSError as exc:
        raise ExportError(f"สร้าง {out_dir} ไม่ได้ (cannot create {out_dir}: {exc.strerror})") from exc
    moved: list[Path] = []
    try:
        staged = {key: staging / path.name for key, path in paths.items()}
        marked = {name: mark_synthetic(df) for name, df in tables.items()}
        if fmt == "csv":
            _write_csv_files(marked, staged)
        elif fmt == "parquet":
            for name, df in marked.items():
                table = _arrow_table(df)
                import pyarrow.parquet as pq

                pq.write_table(table, staged[name], compression="zstd")
        else:
            write_workbooks(marked, staged, columns, config or load_config(), about)
        for key, path in paths.items():
            os.replace(staged[key], path)
            moved.append(path)
    except BaseException as exc:
        # Leave nothing of ours behind: staged files, files already moved, a folder we made.
        shutil.rmtree(staging, ignore_errors=True)
        for path in moved:
            path.unlink(missing_ok=True)
        if created_dir:
            shutil.rmtree(out_dir, ignore_errors=True)
        if isinstance(exc, OSError):
            raise ExportError(f"เขียนไฟล์ลงใน {out_dir} ไม่สำเร็จ (writing into {out_dir} failed: "
                              f"{exc.strerror or exc})") from exc
        raise
    shutil.rmtree(staging, ignore_errors=True)
    return list(paths.values())


def _write_csv_files(tables: dict[str, pd.DataFrame], paths: dict[str, Path]) -> None:
    """One table per core at a time: pyarrow formats CSV outside the GIL, one thread per file."""
    biggest_first = sorted(tables, key=lambda name: -len(tables[name]))
    workers = max(1, min(len(tables), os.cpu_count() or 1))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(write_csv, tables[name], paths[name]) for name in biggest_first]
    for future in futures:  # all have finished; raise the first failure, if any
        future.result()


def _arrow_table(df: pd.DataFrame):
    import pyarrow as pa

    table = pa.Table.from_pandas(df, preserve_index=False)
    meta = dict(table.schema.metadata or {})
    meta[b"termtem.synthetic"] = SYNTHETIC_MARK.encode("utf-8")
    return table.replace_schema_metadata(meta)


def write_population(pop: Population, out_dir: Path | str, fmt: str = "csv", overwrite: bool = False,
                     timelines=None) -> list[Path]:
    """Write the population tables and, when given, the journey tables (events, cases, touch_points)."""
    tables = {name: pop.tables()[name] for name in TABLES}
    if timelines is not None:
        tables.update(timelines.tables())
    about = {"families": len(pop), "seed": pop.seed, "districts": list(pop.districts or []),
             "reference_date": pop.reference_date}
    return write_tables(tables, out_dir, fmt, overwrite, config=pop.config, about=about)
