"""The data dictionary (``data/columns.yaml``): Thai headers, descriptions, labels, ground truth.

The file is validated like every other data file: a mistake raises
:class:`~simulator.model.config.ConfigError` naming the file, the entry and the field.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, field_validator, model_validator

from simulator.model.config import DATA_DIR, KitConfig, _Strict, load_yaml_model
from simulator.thai import vocabulary as vocab

COLUMNS_FILE = "columns.yaml"
SHEET_NAME_MAX = 31  # Excel's limit on a sheet (tab) name
_SHEET_FORBIDDEN = set("[]:*?/\\")

# Label sets of fixed codes come from the vocabulary; the others from the data file
# that defines the codes, so an edited catalogue brings its own Thai labels.
_FIXED_LABELS = {
    "yes_no": vocab.YES_NO_TH,
    "case_level": vocab.CASE_LEVEL_TH,
    "colour": vocab.COLOUR_TH,
    "dimension": vocab.DIMENSION_TH,
    "subject": vocab.SUBJECT_TH,
    "stage": vocab.STAGE_TH,
    "event": vocab.EVENT_TH,
    "outcome": vocab.OUTCOME_TH,
    "relation": vocab.RELATION_TH,
    "role": vocab.ROLE_TH,
    "sex": vocab.SEX_TH,
}
_CONFIG_LABELS = {
    "household_type": lambda cfg: {h.id: h.label_th for h in cfg.population.household_types},
    "indicator": lambda cfg: {i.id: i.label_th for i in cfg.catalogue.indicators},
    "strength": lambda cfg: {s.id: s.label_th for s in cfg.catalogue.strengths},
    "source": lambda cfg: {k: s.label_th for k, s in cfg.population.sources.items()},
    "actor_role": lambda cfg: {**vocab.ACTOR_TH, **{r.id: r.name_th for r in cfg.goals.roles}},
}
LABEL_SETS = tuple(_FIXED_LABELS) + tuple(_CONFIG_LABELS)


def label_map(name: str, cfg: KitConfig) -> dict:
    """Code -> Thai label for the label set ``name``."""
    if name in _FIXED_LABELS:
        return _FIXED_LABELS[name]
    return _CONFIG_LABELS[name](cfg)


def _check_sheet_name(name: str) -> str:
    if len(name) > SHEET_NAME_MAX:
        raise ValueError(f"sheet name {name!r} has {len(name)} characters; Excel allows {SHEET_NAME_MAX}")
    bad = sorted(set(name) & _SHEET_FORBIDDEN)
    if bad:
        raise ValueError(f"sheet name {name!r} contains {' '.join(bad)}, which Excel does not allow")
    if not name.strip():
        raise ValueError("sheet name is empty")
    return name


class ColumnSpec(_Strict):
    header_th: str = Field(min_length=1)
    description_th: str = Field(min_length=1)
    description_en: str = Field(min_length=1)
    labels: str | None = None
    separator: str | None = Field(default=None, min_length=1, max_length=1)
    truth: bool = False
    planned: bool = False

    @field_validator("labels")
    @classmethod
    def _known_labels(cls, name: str | None) -> str | None:
        if name is not None and name not in LABEL_SETS:
            raise ValueError(f"unknown label set {name!r}; use one of {', '.join(LABEL_SETS)}")
        return name

    @model_validator(mode="after")
    def _separator_needs_labels(self) -> "ColumnSpec":
        if self.separator is not None and self.labels is None:
            raise ValueError("separator is only used together with labels")
        return self


class TableSpec(_Strict):
    name_th: str = Field(min_length=1)
    sheet: str
    description_th: str = Field(min_length=1)
    description_en: str = Field(min_length=1)
    answers: bool = False
    key: list[str] = Field(min_length=1)
    answer_sheet: str | None = None
    columns: dict[str, ColumnSpec] = Field(min_length=1)

    @field_validator("sheet", "answer_sheet")
    @classmethod
    def _sheet_names_ok(cls, name: str | None) -> str | None:
        return None if name is None else _check_sheet_name(name)

    @model_validator(mode="after")
    def _consistent(self) -> "TableSpec":
        for k in self.key:
            if k not in self.columns:
                raise ValueError(f"key column {k!r} is not among the columns")
            if self.columns[k].truth:
                raise ValueError(f"key column {k!r} cannot be ground truth (truth: true)")
        truth = [c for c, spec in self.columns.items() if spec.truth]
        if truth and self.answers:
            raise ValueError("a table with answers: true is ground truth as a whole; drop truth: true from "
                             + ", ".join(truth))
        if truth and self.answer_sheet is None:
            raise ValueError(f"columns {', '.join(truth)} are ground truth, so the table needs an answer_sheet")
        return self

    def truth_columns(self) -> list[str]:
        return [c for c, spec in self.columns.items() if spec.truth]


class ColumnCatalogue(_Strict):
    version: int
    common_columns: dict[str, ColumnSpec]
    tables: dict[str, TableSpec] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_sheets(self) -> "ColumnCatalogue":
        seen: dict[str, str] = {}
        for name, table in self.tables.items():
            for sheet in (table.sheet, table.answer_sheet):
                if sheet is None:
                    continue
                if sheet in seen:
                    raise ValueError(f"sheet name {sheet!r} is used by both {seen[sheet]} and {name}")
                seen[sheet] = name
            clash = set(self.common_columns) & set(table.columns)
            if clash:
                raise ValueError(f"{name}: {', '.join(sorted(clash))} is a common column; do not list it again")
        return self

    def column(self, table: str, column: str) -> ColumnSpec | None:
        if column in self.common_columns:
            return self.common_columns[column]
        spec = self.tables.get(table)
        return None if spec is None else spec.columns.get(column)

    def undescribed(self, tables: dict) -> dict[str, list[str]]:
        """Columns of ``tables`` (name -> DataFrame or column list) that this file does not describe."""
        missing = {}
        for name, df in tables.items():
            columns = list(getattr(df, "columns", df))
            absent = [c for c in columns if self.column(name, c) is None]
            if absent:
                missing[name] = absent
        return missing


def load_columns(path: Path | str | None = None) -> ColumnCatalogue:
    """Load and validate ``columns.yaml`` (default: the kit's own)."""
    if path is None:
        return _default_columns()
    return load_yaml_model(ColumnCatalogue, Path(path))


@lru_cache(maxsize=1)
def _default_columns() -> ColumnCatalogue:
    return load_yaml_model(ColumnCatalogue, DATA_DIR / COLUMNS_FILE)
