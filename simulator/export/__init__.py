"""Files a trainer opens: CSV, Excel and Parquet exports of the simulated tables."""

from simulator.export.tables import EXCEL_MAX_ROWS, FORMATS, ExportError, write_population, write_tables

__all__ = ["EXCEL_MAX_ROWS", "FORMATS", "ExportError", "write_population", "write_tables"]
