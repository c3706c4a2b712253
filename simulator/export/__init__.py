"""Files a trainer opens: CSV, Excel and Parquet exports of the simulated tables."""

from simulator.export.dictionary import ColumnCatalogue, load_columns
from simulator.export.tables import EXCEL_MAX_ROWS, FORMATS, ExportError, write_population, write_tables
from simulator.export.workbook import ANSWERS_FILE, WORKBOOK_FILE

__all__ = ["ANSWERS_FILE", "EXCEL_MAX_ROWS", "FORMATS", "WORKBOOK_FILE", "ColumnCatalogue", "ExportError",
           "load_columns", "write_population", "write_tables"]
