"""The tables every dashboard reads, and nothing else.

Dashboards never call the simulator. They take a :class:`DashboardData`: five documented
tables (households, children, petals, cases, events) plus the date the data runs to. Today
these come from a simulated population (:meth:`DashboardData.from_simulation`) or from the
files ``python -m simulator generate`` wrote (:func:`read_tables`); later the practice
platform and anonymised community data will hand over the same five tables.

:data:`REQUIRED_COLUMNS` is the contract: the columns each table must have. Extra columns
are kept and ignored. The book's data-schema chapter lists the same columns (tested).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, model_validator

from simulator.model.config import DIMENSIONS, read_yaml_model

SETTINGS_FILE = Path(__file__).resolve().parent.parent / "data" / "dashboards.yaml"
PETAL_COLUMNS = tuple(f"{s}_{d}" for s in ("child", "parent") for d in DIMENSIONS)
CASE_LEVELS = ("emergency", "complex")

REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {
    "households": ("family_id", "zone", "district", "community", "sandbox", "household_type"),
    "children": ("person_id", "family_id", "sex", "birth_date"),
    "petals": ("family_id", *PETAL_COLUMNS, "case_level"),
    "cases": ("case_id", "family_id", "case_level", "dimensions", "onset_date", "noticed_date",
              "first_notified_date", "plan_date", "consent_date", "service_start_date",
              "goals_planned", "goals_met", "outcome"),
    "events": ("case_id", "family_id", "date", "stage", "dimension", "actor_role", "event"),
}
DATE_COLUMNS: dict[str, tuple[str, ...]] = {
    "children": ("birth_date",),
    "cases": ("onset_date", "noticed_date", "first_notified_date", "plan_date", "consent_date",
              "service_start_date"),
    "events": ("date",),
}
# Files written by ``simulator generate``: children are the born children of ``people``.
SOURCE_FILES = {"households": "households", "children": "people", "petals": "petals",
                "cases": "cases", "events": "events"}


class DashboardDataError(ValueError):
    """A table handed to the dashboards lacks a column or holds a value they cannot read."""


class AgeBand(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    code: str = Field(min_length=1)
    label_th: str = Field(min_length=1)
    min: int = Field(ge=0, le=17)
    max: int = Field(ge=0, le=17)


class ByCaseLevel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    emergency: int = Field(ge=1, le=3650)
    complex: int = Field(ge=1, le=3650)

    def of(self, level: str) -> int:
        return getattr(self, level)


class DashboardSettings(BaseModel):
    """``dashboards.yaml``: how the dashboards count."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    version: int = Field(ge=1, le=1)
    age_bands: list[AgeBand] = Field(min_length=1)
    acknowledge_within_days: ByCaseLevel
    follow_up_every_days: ByCaseLevel
    no_contact_days: int = Field(ge=1, le=3650)
    goal_window_months: int = Field(ge=1, le=60)
    visit_every_days: ByCaseLevel

    @model_validator(mode="after")
    def _bands_cover_childhood(self):
        ages = []
        for i, band in enumerate(self.age_bands):
            if band.max < band.min:
                raise ValueError(f"age_bands[{i}] ({band.code}): max {band.max} is below min {band.min}")
            ages += range(band.min, band.max + 1)
        if sorted(ages) != list(range(18)):
            missing = sorted(set(range(18)) - set(ages))
            twice = sorted({a for a in ages if ages.count(a) > 1})
            raise ValueError(f"age_bands must cover ages 0-17 once each (missing {missing}, twice {twice})")
        if len({b.code for b in self.age_bands}) != len(self.age_bands):
            raise ValueError("age_bands: two bands share a code")
        return self

    def age_band_of(self, ages: pd.Series) -> pd.Series:
        """Age band code of each whole-year age (missing for ages outside 0-17)."""
        codes = pd.Series(pd.NA, index=ages.index, dtype="object")
        for band in self.age_bands:
            codes[(ages >= band.min) & (ages <= band.max)] = band.code
        return pd.Categorical(codes, categories=[b.code for b in self.age_bands])


def load_settings(folder: Path | str | None = None) -> DashboardSettings:
    """Read ``dashboards.yaml`` from ``folder`` (the kit's data folder when not given)."""
    path = SETTINGS_FILE if folder is None else Path(folder) / "dashboards.yaml"
    return read_yaml_model(path, DashboardSettings)


@dataclass(frozen=True)
class DashboardData:
    """The five tables the dashboards read, up to ``as_of`` (the last day the data covers)."""

    households: pd.DataFrame
    children: pd.DataFrame
    petals: pd.DataFrame
    cases: pd.DataFrame
    events: pd.DataFrame
    as_of: pd.Timestamp
    settings: DashboardSettings = field(default_factory=load_settings)

    def __post_init__(self):
        for name in REQUIRED_COLUMNS:
            check_columns(name, getattr(self, name), source=f"table {name}")
        object.__setattr__(self, "as_of", pd.Timestamp(self.as_of).normalize())

    @classmethod
    def from_simulation(cls, pop, timelines, settings: DashboardSettings | None = None) -> "DashboardData":
        """The dashboards' view of a simulated population and its case timelines."""
        people = pop.people
        children = people[(people["role"] == "child") & people["birth_date"].notna()]
        return cls(households=pop.households, children=children.reset_index(drop=True),
                   petals=pop.petals, cases=timelines.cases, events=timelines.events,
                   as_of=pd.Timestamp(timelines.span[1]), settings=settings or load_settings())

    def tables(self) -> dict[str, pd.DataFrame]:
        return {name: getattr(self, name) for name in REQUIRED_COLUMNS}

    def child_ages(self, on=None) -> pd.Series:
        """Whole-year age of each child on ``on`` (``as_of`` when not given)."""
        on = self.as_of if on is None else pd.Timestamp(on)
        born = pd.to_datetime(self.children["birth_date"])
        years = on.year - born.dt.year
        before_birthday = (born.dt.month > on.month) | ((born.dt.month == on.month) & (born.dt.day > on.day))
        return (years - before_birthday.astype(int)).astype("Int64")

    def upto(self, day) -> "DashboardData":
        """The data as it stood at the end of ``day``: later events and later dates are not yet known."""
        day = pd.Timestamp(day).normalize()
        if day > self.as_of:
            raise DashboardDataError(f"the data runs to {self.as_of.date()}; {day.date()} is after it")
        events = self.events[self.events["date"] <= day]
        # A later problem of a family can be noticed before its first (most severe) one began:
        # the case is known from its first recorded event, whichever comes first.
        known = (self.cases["onset_date"] <= day) | member_of(self.cases["case_id"], events["case_id"])
        cases = self.cases[known.to_numpy()].copy()
        for col in DATE_COLUMNS["cases"]:
            cases.loc[cases[col] > day, col] = pd.NaT
        return replace(self, events=events, cases=cases, as_of=day)


@dataclass(frozen=True)
class Selection:
    """What a dashboard reader narrows the data to. ``None`` everywhere means everything.

    Zone, district, community and household type select households. Age band and sex select
    children: a household stays when at least one of its children matches, and only the
    matching children count in rates per 10,000 children. Dimension keeps the cases with a
    goal in that dimension and their events in it (plus the whole-plan events).
    """

    zone: str | None = None
    district: str | None = None
    community: str | None = None
    household_type: str | None = None
    age_band: str | None = None
    sex: str | None = None
    dimension: str | None = None

    def apply(self, data: DashboardData) -> DashboardData:
        hh = data.households
        for column in ("zone", "district", "community", "household_type"):
            value = getattr(self, column)
            if value is not None:
                known = set(hh[column].astype(str).unique())
                if value not in known:
                    raise DashboardDataError(f"no household has {column} {value!r}")
                hh = hh[hh[column].astype(str) == value]
        children = data.children[member_of(data.children["family_id"], hh["family_id"])]
        if self.age_band is not None:
            codes = [b.code for b in data.settings.age_bands]
            if self.age_band not in codes:
                raise DashboardDataError(f"unknown age band {self.age_band!r}; the bands are {codes}")
            bands = pd.Series(data.settings.age_band_of(data.child_ages()), index=data.children.index)
            children = children[bands.loc[children.index] == self.age_band]
        if self.sex is not None:
            children = children[children["sex"].astype(str) == self.sex]
        if self.age_band is not None or self.sex is not None:
            hh = hh[member_of(hh["family_id"], children["family_id"])]
        families = hh["family_id"]
        cases = data.cases[member_of(data.cases["family_id"], families)]
        events = data.events[member_of(data.events["family_id"], families)]
        if self.dimension is not None:
            if self.dimension not in DIMENSIONS:
                raise DashboardDataError(f"unknown dimension {self.dimension!r}; the dimensions are {list(DIMENSIONS)}")
            listed = "," + cases["dimensions"].astype(str) + ","
            cases = cases[listed.str.contains(f",{self.dimension},", regex=False).to_numpy(dtype=bool)]
            dim = events["dimension"].astype(object)
            events = events[member_of(events["case_id"], cases["case_id"]) & (dim.isna() | (dim == self.dimension)).to_numpy()]
        return replace(data, households=hh, children=children,
                       petals=data.petals[member_of(data.petals["family_id"], families)], cases=cases, events=events)


def check_columns(name: str, table: pd.DataFrame, source: str) -> None:
    missing = [c for c in REQUIRED_COLUMNS[name] if c not in table.columns]
    if missing:
        raise DashboardDataError(f"{source}: missing column(s) {', '.join(missing)} "
                                 f"(the dashboards need {', '.join(REQUIRED_COLUMNS[name])})")


_MONTH = re.compile(r"(\d{4})-(\d{2})")


def parse_month(text: str) -> pd.Period:
    """``2025-12`` -> the month; a clear error for anything else."""
    match = _MONTH.fullmatch(str(text).strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise DashboardDataError(f"month {text!r} is not YYYY-MM (for example 2025-12)")
    return pd.Period(f"{match.group(1)}-{match.group(2)}", freq="M")


def read_tables(folder: Path | str, settings: DashboardSettings | None = None) -> DashboardData:
    """Read the files ``python -m simulator generate`` wrote (Parquet when present, else CSV)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise DashboardDataError(f"{folder}: no such folder")
    tables = {}
    for name, stem in SOURCE_FILES.items():
        parquet, csv = folder / f"{stem}.parquet", folder / f"{stem}.csv"
        if parquet.exists():
            path, table = parquet, pd.read_parquet(parquet)
        elif csv.exists():
            path = csv
            table = pd.read_csv(csv, encoding="utf-8-sig", dtype={"dimension": "object"},
                                true_values=["true"], false_values=["false"], low_memory=False)
        else:
            raise DashboardDataError(f"{folder}: neither {stem}.parquet nor {stem}.csv is there "
                                     f"(the dashboards need the {name} table)")
        table = table.drop(columns=["synthetic"], errors="ignore")
        if name == "children":
            check_columns(name, table, str(path))
            if "role" in table.columns:
                table = table[table["role"] == "child"]
            table = table[table["birth_date"].notna()].reset_index(drop=True)
        check_columns(name, table, str(path))
        for col in DATE_COLUMNS.get(name, ()):
            try:
                table[col] = pd.to_datetime(table[col], format="ISO8601").astype("datetime64[s]")
            except (ValueError, TypeError) as exc:
                bad = _first_bad_date(table[col])
                raise DashboardDataError(f"{path}: column {col}, row {bad[0]}: {bad[1]!r} is not a date "
                                         "(YYYY-MM-DD)") from exc
        if name == "events":
            table["dimension"] = table["dimension"].astype(object).where(table["dimension"].notna(), None)
        tables[name] = table
    if tables["events"].empty:
        raise DashboardDataError(f"{folder}: the events table is empty; there is nothing to show")
    as_of = tables["events"]["date"].max()
    return DashboardData(**tables, as_of=as_of, settings=settings or load_settings())


def _first_bad_date(values: pd.Series) -> tuple[int, object]:
    parsed = pd.to_datetime(values, format="ISO8601", errors="coerce")
    bad = np.flatnonzero(parsed.isna() & values.notna())
    row = int(bad[0]) if len(bad) else 0
    # +2: the header is row 1 of the file, and rows count from 1.
    return row + 2, values.iloc[row]


def per_10000(count, children) -> float | pd.Series:
    """A count as a rate per 10,000 children (NaN where there are no children)."""
    children = np.asarray(children, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(children > 0, np.asarray(count, dtype=float) * 10_000 / children, np.nan)
    if isinstance(count, pd.Series):
        return pd.Series(rate, index=count.index, name=count.name)
    return float(rate)


__all__ = ["CASE_LEVELS", "DATE_COLUMNS", "PETAL_COLUMNS", "REQUIRED_COLUMNS", "DashboardData",
           "DashboardDataError", "DashboardSettings", "Selection", "check_columns", "load_settings",
           "member_of", "parse_month", "per_10000", "read_tables", "thai_view"]


def thai_view(table: pd.DataFrame, headers: dict[str, str], labels: dict[str, dict] | None = None) -> pd.DataFrame:
    """``table`` as a trainee reads it: the columns in ``headers`` only, renamed to their Thai
    headers; dates as Thai dates (Buddhist era); codes replaced by ``labels[column][code]``.
    """
    from simulator.thai.dates import thai_date

    labels = labels or {}
    out = pd.DataFrame(index=table.index)
    for column, header in headers.items():
        values = table[column]
        if pd.api.types.is_datetime64_any_dtype(values):
            values = values.map(thai_date)
        elif column in labels:
            values = values.astype(object).map(lambda v, m=labels[column]: m.get(v, v) if isinstance(v, str) else "")
        out[header] = values
    return out.reset_index(drop=True)


def member_of(values, pool) -> np.ndarray:
    """``values.isin(pool)`` for ID columns, as a boolean array.

    pandas' ``isin`` on string columns walks the whole pool in Python: 2.4 s for the 640,000
    event rows of 100,000 families. Looking the values up in an index of the pool's distinct
    IDs gives the same answer in about 10 ms.
    """
    distinct = pd.Index(pd.Series(pool, dtype=object).unique())
    return distinct.get_indexer(pd.Index(pd.Series(values, dtype=object))) >= 0
