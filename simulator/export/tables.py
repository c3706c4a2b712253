"""Write a population to CSV, Excel or Parquet, safely.

* Every table carries a ``synthetic`` column reading ข้อมูลสมมติ, so no printed or
  copied row can pass for a real case; Parquet files also carry it as metadata.
* Files are first written into a hidden staging folder beside the output and moved
  into place only when all of them are complete: a failure leaves nothing behind.
* Existing files are never overwritten unless ``overwrite=True`` is given.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd

from simulator.model.population import TABLES, Population
from simulator.thai.vocabulary import SYNTHETIC_MARK

FORMATS = ("csv", "xlsx", "parquet")
EXCEL_MAX_ROWS = 1_048_576  # including the header row
SYNTHETIC_COLUMN = "synthetic"


class ExportError(ValueError):
    """The population cannot be written as asked; nothing was written."""


def mark_synthetic(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy(deep=False)
    out.insert(0, SYNTHETIC_COLUMN, pd.Categorical.from_codes([0] * len(df), [SYNTHETIC_MARK]))
    return out


def output_paths(out_dir: Path, fmt: str, tables: list[str]) -> dict[str, Path]:
    if fmt == "xlsx":
        return {"workbook": out_dir / "termtem_synthetic.xlsx"}
    return {name: out_dir / f"{name}.{fmt}" for name in tables}


def _check(tables: dict[str, pd.DataFrame], out_dir: Path, fmt: str, overwrite: bool) -> dict[str, Path]:
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
    if fmt == "xlsx":
        for name, df in tables.items():
            if len(df) + 1 > EXCEL_MAX_ROWS:
                raise ExportError(
                    f"table {name} has {len(df):,} rows, more than an Excel sheet holds "
                    f"({EXCEL_MAX_ROWS - 1:,}); use --format csv or parquet, or fewer families"
                )
    if out_dir.exists() and not out_dir.is_dir():
        raise ExportError(f"{out_dir} exists and is not a folder")
    parent = out_dir if out_dir.exists() else _nearest_existing(out_dir)
    if not os.access(parent, os.W_OK | os.X_OK):
        raise ExportError(f"cannot write into {parent}: permission denied")
    paths = output_paths(out_dir, fmt, list(tables))
    clashes = [str(p) for p in paths.values() if p.exists()]
    if clashes and not overwrite:
        raise ExportError(
            f"{len(clashes)} output file(s) already exist, e.g. {clashes[0]}; "
            "choose another --out folder or pass --overwrite"
        )
    return paths


def _nearest_existing(path: Path) -> Path:
    for parent in path.parents:
        if parent.exists():
            if not parent.is_dir():
                raise ExportError(f"{parent} is a file, so {path} cannot be created")
            return parent
    return Path("/")


def write_tables(tables: dict[str, pd.DataFrame], out_dir: Path | str, fmt: str = "csv",
                 overwrite: bool = False) -> list[Path]:
    """Write ``tables`` into ``out_dir``; return the written paths. All or nothing."""
    out_dir = Path(out_dir)
    paths = _check(tables, out_dir, fmt, overwrite)
    created_dir = not out_dir.exists()
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".termtem-staging-", dir=out_dir))
    except OSError as exc:
        raise ExportError(f"cannot create {out_dir}: {exc.strerror}") from exc
    moved: list[Path] = []
    try:
        staged = {key: staging / path.name for key, path in paths.items()}
        marked = {name: mark_synthetic(df) for name, df in tables.items()}
        if fmt == "csv":
            for name, df in marked.items():
                df.to_csv(staged[name], index=False, date_format="%Y-%m-%d", lineterminator="\n")
        elif fmt == "parquet":
            for name, df in marked.items():
                table = _arrow_table(df)
                import pyarrow.parquet as pq

                pq.write_table(table, staged[name], compression="zstd")
        else:
            _write_workbook(marked, staged["workbook"])
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
            raise ExportError(f"writing into {out_dir} failed: {exc.strerror or exc}") from exc
        raise
    shutil.rmtree(staging, ignore_errors=True)
    return list(paths.values())


def _arrow_table(df: pd.DataFrame):
    import pyarrow as pa

    table = pa.Table.from_pandas(df, preserve_index=False)
    meta = dict(table.schema.metadata or {})
    meta[b"termtem.synthetic"] = SYNTHETIC_MARK.encode("utf-8")
    return table.replace_schema_metadata(meta)


def _write_workbook(tables: dict[str, pd.DataFrame], path: Path) -> None:
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for name, df in tables.items():
            out = df.copy()
            for col in out.columns:
                if pd.api.types.is_datetime64_any_dtype(out[col]):
                    out[col] = out[col].dt.date
            out.to_excel(writer, sheet_name=name, index=False)
            sheet = writer.sheets[name]
            sheet.freeze_panes = "B2"


def write_population(pop: Population, out_dir: Path | str, fmt: str = "csv", overwrite: bool = False,
                     timelines=None) -> list[Path]:
    """Write the population tables and, when given, the journey tables (events, cases, touch_points)."""
    tables = {name: pop.tables()[name] for name in TABLES}
    if timelines is not None:
        tables.update(timelines.tables())
    return write_tables(tables, out_dir, fmt, overwrite)
