"""Load and validate the editable data files (catalogue, geography, population settings).

Curriculum editors change the YAML files in ``simulator/data``; a mistake is reported
as a :class:`ConfigError` naming the file, the entry and what is wrong.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

DATA_DIR = Path(__file__).parent / "data"

DIMENSIONS: tuple[str, ...] = ("social", "education", "health", "governance")
SUBJECTS: tuple[str, ...] = ("child", "parent")
SEVERITIES: tuple[str, ...] = ("green", "yellow", "red")
CAREGIVER_RELATIONS: tuple[str, ...] = ("mother", "father", "grandmother", "grandfather", "other_relative")

Dimension = Literal["social", "education", "health", "governance"]
Severity = Literal["green", "yellow", "red"]


class ConfigError(ValueError):
    """A data file is missing, malformed or inconsistent."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Indicator(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    subject: Literal["child", "parent"]
    dimension: Dimension
    severity: Severity
    age_min: int = Field(ge=0, le=100)
    age_max: int = Field(ge=0, le=100)
    sex: Literal["any", "female", "male"] = "any"
    prevalence: float = Field(gt=0, lt=1)
    label_th: str = Field(min_length=1)
    label_en: str = Field(min_length=1)
    description_th: str = Field(min_length=1)
    notes_th: list[str] = Field(min_length=2)
    volunteer_miss_rate: float | None = Field(default=None, ge=0, le=1)
    volunteer_false_alarm_rate: float | None = Field(default=None, ge=0, lt=1)
    household_types: list[str] | None = None
    caregiver_relations: list[str] | None = None

    @model_validator(mode="after")
    def _ages_in_order(self) -> "Indicator":
        if self.age_min > self.age_max:
            raise ValueError(f"age_min {self.age_min} is above age_max {self.age_max}")
        if self.subject == "child" and self.age_max > 17:
            raise ValueError("a child indicator cannot apply above age 17")
        return self

    @field_validator("notes_th")
    @classmethod
    def _notes_not_blank(cls, notes: list[str]) -> list[str]:
        if any(not n.strip() for n in notes):
            raise ValueError("notes_th has an empty note")
        return notes

    @field_validator("caregiver_relations")
    @classmethod
    def _known_relations(cls, relations: list[str] | None) -> list[str] | None:
        for r in relations or []:
            if r not in CAREGIVER_RELATIONS:
                raise ValueError(f"unknown caregiver relation {r!r}; use one of {', '.join(CAREGIVER_RELATIONS)}")
        return relations


class Dependency(_Strict):
    driver: str
    target: str
    risk_ratio: float = Field(gt=1, le=6)


class Strength(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label_th: str = Field(min_length=1)
    label_en: str = Field(min_length=1)
    prevalence: float = Field(gt=0, lt=1)
    notes_th: list[str] = Field(min_length=1)


class Catalogue(_Strict):
    version: int
    indicators: list[Indicator] = Field(min_length=1)
    dependencies: list[Dependency] = []
    strengths: list[Strength] = []

    @model_validator(mode="after")
    def _consistent(self) -> "Catalogue":
        ids = [i.id for i in self.indicators]
        seen: set[str] = set()
        for i in ids:
            if i in seen:
                raise ValueError(f"indicator id {i!r} appears twice")
            seen.add(i)
        by_id = {i.id: i for i in self.indicators}
        for n, dep in enumerate(self.dependencies):
            for role in ("driver", "target"):
                name = getattr(dep, role)
                if name not in by_id:
                    raise ValueError(f"dependencies[{n}]: {role} {name!r} is not an indicator id")
            # Parent indicators are drawn before child ones, so only
            # parent -> child dependencies keep the order simple and acyclic.
            if by_id[dep.driver].subject != "parent" or by_id[dep.target].subject != "child":
                raise ValueError(
                    f"dependencies[{n}]: driver must be a parent indicator and target a child indicator "
                    f"({dep.driver} -> {dep.target})"
                )
        strength_ids = [s.id for s in self.strengths]
        if len(set(strength_ids)) != len(strength_ids):
            raise ValueError("a strength id appears twice")
        return self

    def by_id(self) -> dict[str, Indicator]:
        return {i.id: i for i in self.indicators}


class District(_Strict):
    name_th: str
    name_en: str
    weight: float = Field(gt=0)
    communities: int = Field(ge=1, le=200)
    sandbox: bool = False


class Zone(_Strict):
    id: str
    name_th: str
    districts: list[District] = Field(min_length=1)


class NameParts(_Strict):
    first: list[str] = Field(min_length=2)
    second: list[str] = Field(min_length=2)


class Geography(_Strict):
    version: int
    zones: list[Zone] = Field(min_length=1)
    community_name_parts: NameParts

    @model_validator(mode="after")
    def _unique_districts(self) -> "Geography":
        names = [d.name_th for z in self.zones for d in z.districts]
        dupes = {n for n in names if names.count(n) > 1}
        if dupes:
            raise ValueError(f"district listed twice: {', '.join(sorted(dupes))}")
        return self


class CaregiverSlot(_Strict):
    relation: Literal["mother", "father", "grandmother", "grandfather", "other_relative"]
    probability: float = Field(default=1.0, gt=0, le=1)


class HouseholdType(_Strict):
    id: str
    label_th: str
    share: float = Field(ge=0, le=1)
    caregivers: list[CaregiverSlot] = Field(min_length=1, max_length=2)


class Range(_Strict):
    min: float
    max: float

    @model_validator(mode="after")
    def _ordered(self) -> "Range":
        if self.min > self.max:
            raise ValueError(f"min {self.min} is above max {self.max}")
        return self


class Source(_Strict):
    label_th: str
    dimension: Dimension | None
    framings: list[str] = Field(min_length=1)

    @field_validator("framings")
    @classmethod
    def _has_placeholder(cls, framings: list[str]) -> list[str]:
        for f in framings:
            if "{note}" not in f:
                raise ValueError(f"framing {f!r} lacks the {{note}} placeholder")
        return framings


class PopulationSettings(_Strict):
    version: int
    reference_date: dt.date
    household_types: list[HouseholdType] = Field(min_length=1)
    children_count_shares: list[float] = Field(min_length=1, max_length=6)
    pregnancy_probability: float = Field(ge=0, le=1)
    age_gaps: dict[str, Range]
    oldest_child_age: Range
    provider_coverage: dict[Dimension, float]
    provider_miss_rate: float = Field(ge=0, le=1)
    volunteer_miss_rate: float = Field(ge=0, le=1)
    volunteer_false_alarm_rate: float = Field(ge=0, lt=1)
    volunteer_visit_days_before: Range
    provider_record_days_before: Range
    sources: dict[str, Source]

    @model_validator(mode="after")
    def _consistent(self) -> "PopulationSettings":
        total = sum(h.share for h in self.household_types)
        if abs(total - 1) > 1e-6:
            raise ValueError(f"household_types shares add up to {total:g}, not 1")
        total = sum(self.children_count_shares)
        if abs(total - 1) > 1e-6:
            raise ValueError(f"children_count_shares add up to {total:g}, not 1")
        needed = {
            "mother_above_oldest_child",
            "father_above_mother",
            "grandparent_above_oldest_child",
            "other_relative_age",
            "sibling_spacing",
        }
        missing = needed - set(self.age_gaps)
        if missing:
            raise ValueError(f"age_gaps lacks {', '.join(sorted(missing))}")
        if self.age_gaps["mother_above_oldest_child"].min < 15:
            raise ValueError("age_gaps.mother_above_oldest_child.min must be at least 15")
        if self.age_gaps["grandparent_above_oldest_child"].min < 30:
            raise ValueError("age_gaps.grandparent_above_oldest_child.min must be at least 30")
        if not 0 <= self.oldest_child_age.min <= self.oldest_child_age.max <= 17:
            raise ValueError("oldest_child_age must lie within 0-17")
        if set(self.provider_coverage) != set(DIMENSIONS):
            raise ValueError(f"provider_coverage must give all four dimensions: {', '.join(DIMENSIONS)}")
        if any(not 0 <= p <= 1 for p in self.provider_coverage.values()):
            raise ValueError("provider_coverage values must lie between 0 and 1")
        if "volunteer" not in self.sources:
            raise ValueError("sources must include 'volunteer'")
        for dim in DIMENSIONS:
            if not any(s.dimension == dim for s in self.sources.values()):
                raise ValueError(f"no source records the {dim} dimension")
        return self


class NamePools(_Strict):
    version: int
    source: str
    first_names_female: list[str] = Field(min_length=10)
    first_names_male: list[str] = Field(min_length=10)
    last_names: list[str] = Field(min_length=10)


def _describe(error: ValidationError, raw: object) -> str:
    lines = []
    for err in error.errors():
        loc = err["loc"]
        where = []
        node = raw
        for part in loc:
            if isinstance(part, int) and isinstance(node, list) and part < len(node):
                node = node[part]
                label = node.get("id") or node.get("name_th") if isinstance(node, dict) else None
                where.append(f"[{part}]" + (f" (id: {label})" if label else ""))
            else:
                node = node.get(part) if isinstance(node, dict) else None
                where.append(f".{part}")
        place = "".join(where).lstrip(".") or "(top level)"
        lines.append(f"  at {place}: {err['msg'].removeprefix('Value error, ')}")
    return "\n".join(lines)


def load_yaml_model(model: type[BaseModel], path: Path) -> BaseModel:
    """Read ``path`` and validate it against ``model``; raise ConfigError naming the problem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the file ({exc.strerror})") from exc
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise ConfigError(f"{path}: not valid YAML{where}: {getattr(exc, 'problem', exc)}") from exc
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: expected a mapping at the top level, found {type(raw).__name__}")
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(f"{path}: {exc.error_count()} problem(s)\n{_describe(exc, raw)}") from exc


@dataclass(frozen=True)
class KitConfig:
    """Everything the simulator reads from data files."""

    catalogue: Catalogue
    geography: Geography
    population: PopulationSettings
    names: NamePools


def load_config(data_dir: Path | str | None = None) -> KitConfig:
    """Load and validate all data files from ``data_dir`` (default: the packaged ones)."""
    if data_dir is None:
        return _default_config()
    return _load(Path(data_dir))


@lru_cache(maxsize=1)
def _default_config() -> KitConfig:
    return _load(DATA_DIR)


def _load(data_dir: Path) -> KitConfig:
    catalogue = load_yaml_model(Catalogue, data_dir / "indicators.yaml")
    geography = load_yaml_model(Geography, data_dir / "bangkok.yaml")
    population = load_yaml_model(PopulationSettings, data_dir / "population.yaml")
    names = load_yaml_model(NamePools, data_dir / "name_pools.yaml")
    known_types = {h.id for h in population.household_types}
    for ind in catalogue.indicators:
        for t in ind.household_types or []:
            if t not in known_types:
                raise ConfigError(
                    f"{data_dir / 'indicators.yaml'}: indicator {ind.id}: household type {t!r} "
                    f"is not one of {', '.join(sorted(known_types))} (population.yaml)"
                )
    return KitConfig(catalogue, geography, population, names)
