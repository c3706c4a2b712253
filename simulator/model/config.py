"""Load and validate the editable data files (catalogue, geography, population settings).

Curriculum editors change the YAML files in ``simulator/data``; a mistake is reported
as a :class:`ConfigError` naming the file, the entry and what is wrong.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

import geothai
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

DIMENSIONS: tuple[str, ...] = ("social", "education", "health", "governance")
SUBJECTS: tuple[str, ...] = ("child", "parent")
SEVERITIES: tuple[str, ...] = ("green", "yellow", "red")
CAREGIVER_RELATIONS: tuple[str, ...] = ("mother", "father", "grandmother", "grandfather", "other_relative")
MAX_CHILDREN = 4  # born-child slots per household (simulator.model.households)

Dimension = Literal["social", "education", "health", "governance"]
Severity = Literal["green", "yellow", "red"]


class ConfigError(ValueError):
    """A data file is missing, malformed or inconsistent."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# Words in a note that presume someone in (or missing from) the household. A note that
# uses one must declare, in its ``needs``, at least one relation of the set (as present,
# absent or the main caregiver), so that the simulator only picks it where it fits.
KIN_WORDS: dict[str, tuple[str, ...]] = {
    "แม่": ("mother",),
    "พ่อ": ("father",),
    "ยาย": ("grandmother",),
    "ย่า": ("grandmother",),
    "ปู่": ("grandfather",),
    "ตา": ("grandfather",),
    "สามี": ("father", "grandfather"),
    "ภรรยา": ("mother", "grandmother"),
    "ลูก": ("mother", "father"),
    "หลาน": ("grandmother", "grandfather", "other_relative"),
}
# Compounds that contain a kin word but mean something else (vendor, eye, follow, die...).
NOT_KIN_WORDS: tuple[str, ...] = (
    "แม่ค้า", "พ่อค้า", "แม่บ้าน", "แม่น้ำ", "อย่า", "ขยาย", "สายตา", "ดวงตา", "ตาแดง", "ตาบอด", "ตาม",
    "ตาย", "ตาราง", "ตาข่าย", "ลูกชิ้น", "ลูกค้า", "ลูกจ้าง", "ลูกหนี้", "ลูกบอล", "ลูกเสือ", "ลูกน้อง", "ปลูก",
)
THAI_NUMBERS = {"หนึ่ง": 1, "สอง": 2, "สาม": 3, "สี่": 4, "ห้า": 5, "หก": 6, "เจ็ด": 7, "แปด": 8, "เก้า": 9, "สิบ": 10}
_COUNT_OF_PEOPLE = re.compile(r"(" + "|".join(THAI_NUMBERS) + r"|\d+)\s*คน(?!อื่น|ที่|ละ)")
_SEVERAL_CHILDREN = re.compile(r"(ลูก|หลาน)\s*ๆ|(ลูก|หลาน)คน(โต|เล็ก|กลาง)|พี่น้อง")


class Needs(_Strict):
    """What a household (and person) must be like for a note or strength to fit it.

    Child ages refer to the child with the problem for a child indicator's note, and to
    some child of the household otherwise (a parent's note, a strength).
    """

    relations: tuple[Literal["mother", "father", "grandmother", "grandfather", "other_relative"], ...] = ()
    absent: tuple[Literal["mother", "father", "grandmother", "grandfather", "other_relative"], ...] = ()
    caregiver: tuple[Literal["mother", "father", "grandmother", "grandfather", "other_relative"], ...] = ()
    children: int | None = Field(default=None, ge=1, le=6)
    min_children: int | None = Field(default=None, ge=1, le=6)
    min_child_age: int | None = Field(default=None, ge=0, le=17)
    max_child_age: int | None = Field(default=None, ge=0, le=17)

    @model_validator(mode="after")
    def _possible(self) -> "Needs":
        both = set(self.relations) & set(self.absent)
        if both:
            raise ValueError(f"{', '.join(sorted(both))} cannot be both in relations and absent")
        if self.caregiver and set(self.caregiver) <= set(self.absent):
            raise ValueError("the main caregiver cannot be absent")
        if None not in (self.min_child_age, self.max_child_age) and self.min_child_age > self.max_child_age:
            raise ValueError(f"min_child_age {self.min_child_age} is above max_child_age {self.max_child_age}")
        if None not in (self.children, self.min_children) and self.min_children > self.children:
            raise ValueError(f"min_children {self.min_children} is above children {self.children}")
        return self

    def is_empty(self) -> bool:
        return not (self.relations or self.absent or self.caregiver) and self.needs_ages() is False

    def needs_ages(self) -> bool:
        """Whether checking these needs takes the children's ages or number."""
        return (self.children, self.min_children, self.min_child_age, self.max_child_age) != (None, None, None, None)


class Note(_Strict):
    """An example note and what it presumes of the household and person (``needs``)."""

    text: str = Field(min_length=1)
    needs: Needs = Needs()

    @field_validator("text")
    @classmethod
    def _not_blank(cls, text: str) -> str:
        if not text.strip():
            raise ValueError("a note is empty")
        return text


def _as_note(value: object) -> object:
    return {"text": value} if isinstance(value, str) else value


class _WithNotes(_Strict):
    """An entry with example notes: a plain string in the data file is a note without needs."""

    @field_validator("notes_th", mode="before", check_fields=False)
    @classmethod
    def _plain_notes(cls, notes: object) -> object:
        return [_as_note(n) for n in notes] if isinstance(notes, list) else notes


def _check_notes(notes: list[Note], implied: Needs, age_range: tuple[int, int]) -> None:
    """Every note declares what its words presume, can happen, and one fits always."""
    lo, hi = age_range
    for k, note in enumerate(notes):
        where = f"notes_th[{k}] ({note.text[:30]})"
        nd = note.needs
        text = note.text
        for word in NOT_KIN_WORDS:
            text = text.replace(word, " ")
        caregivers = set(nd.caregiver or implied.caregiver)
        declared = set(nd.relations) | set(nd.absent) | set(implied.relations) | set(implied.absent)
        for word, relations in KIN_WORDS.items():
            if word in text and not (declared & set(relations) or (caregivers and caregivers <= set(relations))):
                raise ValueError(f"{where}: mentions {word!r} but its needs declare none of "
                                 f"{', '.join(relations)} (in relations, absent or caregiver)")
        for match in _COUNT_OF_PEOPLE.finditer(note.text):
            number = THAI_NUMBERS.get(match.group(1)) or int(match.group(1))
            if nd.children != number:
                raise ValueError(f"{where}: mentions {match.group(0)!r}; declare needs.children: {number}")
        if _SEVERAL_CHILDREN.search(note.text) and max(nd.children or 0, nd.min_children or 0) < 2:
            raise ValueError(f"{where}: mentions several children; declare needs.min_children: 2 (or more)")
        if nd.min_child_age is not None and nd.min_child_age > hi:
            raise ValueError(f"{where}: min_child_age {nd.min_child_age} is above the entry's age_max {hi}")
        if nd.max_child_age is not None and nd.max_child_age < lo:
            raise ValueError(f"{where}: max_child_age {nd.max_child_age} is below the entry's age_min {lo}")
        if implied.caregiver and nd.caregiver and not set(nd.caregiver) & set(implied.caregiver):
            raise ValueError(f"{where}: caregiver {', '.join(nd.caregiver)} is not allowed by the entry's "
                             f"caregiver_relations ({', '.join(implied.caregiver)})")
    if not any(note.needs.is_empty() for note in notes):
        raise ValueError("notes_th needs at least one note without needs, so that every household has one")



class Indicator(_WithNotes):
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
    notes_th: list[Note] = Field(min_length=2)
    volunteer_miss_rate: float | None = Field(default=None, ge=0, le=1)
    volunteer_false_alarm_rate: float | None = Field(default=None, ge=0, lt=1)
    household_types: list[str] | None = None
    caregiver_relations: list[str] | None = None
    needs: Needs = Needs()

    @model_validator(mode="after")
    def _ages_in_order(self) -> "Indicator":
        if self.age_min > self.age_max:
            raise ValueError(f"age_min {self.age_min} is above age_max {self.age_max}")
        if self.subject == "child" and self.age_max > 17:
            raise ValueError("a child indicator cannot apply above age 17")
        return self

    @model_validator(mode="after")
    def _notes_fit(self) -> "Indicator":
        if self.subject == "child" and (self.needs.min_child_age, self.needs.max_child_age) != (None, None):
            raise ValueError("needs: a child indicator sets the child's ages with age_min and age_max")
        implied = self.needs.model_copy(update={"caregiver": tuple(self.needs.caregiver or self.caregiver_relations or ())})
        ages = (self.age_min, self.age_max) if self.subject == "child" else (0, 17)
        _check_notes(self.notes_th, implied, ages)
        return self

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


class Implication(_Strict):
    """A child indicator that, below an age, is also another (e.g. pregnancy under 15 is sexual abuse)."""

    indicator: str
    below_age: int = Field(ge=1, le=18)
    also: str


class Strength(_WithNotes):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label_th: str = Field(min_length=1)
    label_en: str = Field(min_length=1)
    prevalence: float = Field(gt=0, lt=1)
    needs: Needs = Needs()
    notes_th: list[Note] = Field(min_length=1)

    @model_validator(mode="after")
    def _notes_fit(self) -> "Strength":
        _check_notes(self.notes_th, self.needs, (self.needs.min_child_age or 0, self.needs.max_child_age or 17))
        return self


class Catalogue(_Strict):
    version: int
    indicators: list[Indicator] = Field(min_length=1)
    dependencies: list[Dependency] = []
    strengths: list[Strength] = []
    implies: list[Implication] = []

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
        sources = {imp.indicator for imp in self.implies}
        for n, imp in enumerate(self.implies):
            for role in ("indicator", "also"):
                name = getattr(imp, role)
                if name not in by_id:
                    raise ValueError(f"implies[{n}]: {role} {name!r} is not an indicator id")
                if by_id[name].subject != "child":
                    raise ValueError(f"implies[{n}]: {role} {name!r} must be a child indicator")
            when, also = by_id[imp.indicator], by_id[imp.also]
            if imp.also == imp.indicator or imp.also in sources:
                raise ValueError(f"implies[{n}]: {imp.also!r} cannot itself imply another indicator")
            if not when.age_min < imp.below_age <= when.age_max + 1:
                raise ValueError(f"implies[{n}] ({imp.indicator}): below_age {imp.below_age} must lie within "
                                 f"its ages {when.age_min}-{when.age_max + 1}")
            if not (also.age_min <= when.age_min and imp.below_age - 1 <= also.age_max) or also.sex not in ("any", when.sex):
                raise ValueError(f"implies[{n}]: {imp.also!r} does not apply to every child with {imp.indicator!r} "
                                 f"below {imp.below_age}")
        strength_ids = [s.id for s in self.strengths]
        if len(set(strength_ids)) != len(strength_ids):
            raise ValueError("a strength id appears twice")
        return self

    def by_id(self) -> dict[str, Indicator]:
        return {i.id: i for i in self.indicators}


BANGKOK_PROVINCE_CODE = "10"


@lru_cache(maxsize=1)
def official_districts() -> dict[str, geothai.District]:
    """Bangkok's 50 districts from geothai, keyed by the Thai name without the word เขต."""
    return {d.name_th.removeprefix("เขต"): d for d in geothai.districts(BANGKOK_PROVINCE_CODE)}


class District(_Strict):
    name_th: str
    name_en: str
    weight: float = Field(gt=0)
    communities: int = Field(ge=1, le=200)
    sandbox: bool = False

    @field_validator("name_th")
    @classmethod
    def _official_name(cls, name: str) -> str:
        # Codes and subdistricts come from geothai, so the name must be the official one.
        name = name.strip().removeprefix("เขต")
        if name not in official_districts():
            nearest = difflib.get_close_matches(name, list(official_districts()), n=3, cutoff=0.3)
            hint = f"; nearest official names: {', '.join(nearest)}" if nearest else ""
            raise ValueError(f"{name!r} is not one of Bangkok's 50 districts (geothai){hint}")
        return name

    @property
    def code(self) -> str:
        """Official (DOPA) district code, e.g. 1001 for พระนคร."""
        return official_districts()[self.name_th].code


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
    co_resident_grandparent: float = Field(default=0.0, ge=0, le=1)

    @model_validator(mode="after")
    def _grandparent_joins_a_parent(self) -> "HouseholdType":
        if self.co_resident_grandparent > 0 and self.caregivers[0].relation not in ("mother", "father"):
            raise ValueError(
                f"co_resident_grandparent needs a mother or father as first caregiver, not {self.caregivers[0].relation}"
            )
        return self


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
    children_count_shares: list[float] = Field(min_length=1, max_length=MAX_CHILDREN)
    pregnancy_probability: float = Field(ge=0, le=1)
    pregnancy_mother_age: Range
    min_months_birth_to_conception: float = Field(ge=0, le=36)
    unborn_sex_known_from_week: int = Field(ge=0, le=40)
    co_resident_grandmother_share: float = Field(ge=0, le=1)
    co_resident_grandparent_max_age: int = Field(ge=40, le=110)
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
            "grandparent_above_parent",
        }
        missing = needed - set(self.age_gaps)
        if missing:
            raise ValueError(f"age_gaps lacks {', '.join(sorted(missing))}")
        spouse = self.age_gaps["father_above_mother"]
        for wife in ("mother_above_oldest_child", "grandparent_above_oldest_child"):
            # The husband must be at least the wife's minimum above the oldest child too.
            if self.age_gaps[wife].min - spouse.max > self.age_gaps[wife].max:
                raise ValueError(f"age_gaps.father_above_mother.max is too low for age_gaps.{wife}")
        spacing = self.age_gaps["sibling_spacing"]
        if spacing.min < 0:
            raise ValueError("age_gaps.sibling_spacing.min must not be negative")
        if (len(self.children_count_shares) - 1) * spacing.max > self.oldest_child_age.max:
            raise ValueError(
                f"{len(self.children_count_shares)} children spaced up to age_gaps.sibling_spacing.max "
                f"{spacing.max:g} years do not fit under oldest_child_age.max {self.oldest_child_age.max:g}"
            )
        if self.age_gaps["grandparent_above_parent"].min < 15:
            raise ValueError("age_gaps.grandparent_above_parent.min must be at least 15")
        oldest_parent = (self.oldest_child_age.max + 1 + self.age_gaps["mother_above_oldest_child"].max
                         + max(spouse.max, 0))
        if oldest_parent + self.age_gaps["grandparent_above_parent"].min > self.co_resident_grandparent_max_age:
            raise ValueError(
                f"co_resident_grandparent_max_age {self.co_resident_grandparent_max_age} leaves no room for a "
                f"grandparent age_gaps.grandparent_above_parent.min above a parent of up to {oldest_parent:g}"
            )
        if not 12 <= self.pregnancy_mother_age.min <= self.pregnancy_mother_age.max <= 55:
            raise ValueError("pregnancy_mother_age must lie within 12-55")
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


class Delay(_Strict):
    """Log-normal delay: ``median`` days, ``spread`` = sigma of the log."""

    median: float = Field(gt=0, le=3650)
    spread: float = Field(ge=0, le=3)


class Span(_Strict):
    start: dt.date
    end: dt.date

    @model_validator(mode="after")
    def _ordered(self) -> "Span":
        if self.end <= self.start:
            raise ValueError(f"span end {self.end} is not after start {self.start}")
        return self


class SandboxEffect(_Strict):
    start: dt.date
    detection_delay_factor: float = Field(gt=0, le=5)
    notification_delay_factor: float = Field(gt=0, le=5)
    acknowledgement_delay_factor: float = Field(gt=0, le=5)
    plan_delay_factor: float = Field(gt=0, le=5)
    lost_between_agencies_factor: float = Field(ge=0, le=5)
    goal_met_bonus: float = Field(ge=-1, le=1)
    accompany_bonus: float = Field(ge=-1, le=1)


class LostCases(_Strict):
    probability: float = Field(ge=0, le=1)
    years_min: float = Field(ge=0, le=18)
    years_max: float = Field(ge=0, le=18)


class ConsentSettings(_Strict):
    max_rounds: int = Field(ge=1, le=10)
    agree: float = Field(ge=0, le=1)
    unable: float = Field(ge=0, le=1)
    unable_if_poor: float = Field(ge=0, le=1)
    poverty_indicators: list[str]
    agree_after_revision: float = Field(ge=0, le=1)
    legal_agree_factor: float = Field(ge=0, le=1)
    legal_indicators: list[str] = Field(min_length=1)
    separation_probability: float = Field(ge=0, le=1)

    @model_validator(mode="after")
    def _fits(self) -> "ConsentSettings":
        for name, p in (("unable", self.unable), ("unable_if_poor", self.unable_if_poor)):
            if self.agree + p > 1:
                raise ValueError(f"agree + {name} is above 1")
        return self


class ServiceSettings(_Strict):
    appointments: dict[Literal["yellow", "red"], int]
    attend: float = Field(ge=0, le=1)
    attend_if_poor: float = Field(ge=0, le=1)
    accompany_if_outside: float = Field(ge=0, le=1)
    travel_costs_baht: list[int] = Field(min_length=1)
    goal_met: dict[Literal["yellow", "red"], float]
    months_to_goal: Range


class NoticerRule(_Strict):
    """Who may notice a problem first: a source, its weight, and which problems it can see."""

    source: str
    weight: float = Field(gt=0, le=100)
    subjects: list[Literal["child", "parent"]] = list(SUBJECTS)
    dimensions: list[Dimension] = list(DIMENSIONS)
    min_child_age: int = Field(default=0, ge=0, le=17)

    def fits(self, subject: str, dimension: str) -> bool:
        return subject in self.subjects and dimension in self.dimensions


class JourneySettings(_Strict):
    version: int
    span: Span
    sandbox: SandboxEffect
    delays: dict[str, Delay]
    lost_between_agencies: LostCases
    later_problem_onset_days: int = Field(ge=0, le=3650)
    noticed_by: list[NoticerRule] = Field(min_length=1)
    consent: ConsentSettings
    service: ServiceSettings

    @model_validator(mode="after")
    def _complete(self) -> "JourneySettings":
        needed = {"detection", "notification", "acknowledgement", "plan", "explain", "negotiation",
                  "revision", "service_start", "director_review", "separation"}
        missing = needed - set(self.delays)
        if missing:
            raise ValueError(f"delays lacks {', '.join(sorted(missing))}")
        for subject in SUBJECTS:
            for dim in DIMENSIONS:
                if not any(r.fits(subject, dim) and r.min_child_age == 0 for r in self.noticed_by):
                    raise ValueError(f"noticed_by: nobody may notice a {subject}'s {dim} problem at every age; "
                                     f"add a rule without min_child_age for it (e.g. the volunteer)")
        if set(self.service.appointments) != {"yellow", "red"} or set(self.service.goal_met) != {"yellow", "red"}:
            raise ValueError("service.appointments and service.goal_met need yellow and red")
        if any(n < 1 or n > 12 for n in self.service.appointments.values()):
            raise ValueError("service.appointments must be between 1 and 12")
        if not 1 <= self.service.months_to_goal.min <= self.service.months_to_goal.max <= 24:
            raise ValueError("service.months_to_goal must lie within 1-24 months")
        return self


class Agency(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name_th: str = Field(min_length=1)
    dimension: Dimension
    outside_district: bool


class Role(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name_th: str = Field(min_length=1)
    dimensions: list[Dimension] = Field(min_length=1)  # where this person works (owns steps)

    @field_validator("dimensions")
    @classmethod
    def _distinct(cls, dimensions: list[str]) -> list[str]:
        if len(set(dimensions)) != len(dimensions):
            raise ValueError("a dimension is listed twice")
        return dimensions


class TouchPoint(_Strict):
    agency: str
    role: str
    information_th: str = Field(min_length=1)
    days: int = Field(ge=1, le=120)


class Goal(_Strict):
    indicator: str
    goal_th: str = Field(min_length=1)
    touch_points: list[TouchPoint] = Field(min_length=1, max_length=8)


class GoalSubjects(_Strict):
    child: list[str] = Field(min_length=1)
    parent: list[str] = Field(min_length=1)


class LegalStep(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label_th: str = Field(min_length=1)
    agencies: list[str] = Field(min_length=1)
    roles: list[str] = Field(min_length=1)
    example: TouchPoint


class GoalCatalogue(_Strict):
    version: int
    agencies: list[Agency] = Field(min_length=1)
    roles: list[Role] = Field(min_length=1)
    goal_subjects: GoalSubjects
    legal_path: list[LegalStep] = Field(min_length=1)
    goals: list[Goal] = Field(min_length=1)

    @model_validator(mode="after")
    def _references(self) -> "GoalCatalogue":
        agencies = {a.id: a for a in self.agencies}
        roles = {r.id: r for r in self.roles}

        def fits(where: str, tp: TouchPoint) -> None:
            if tp.agency not in agencies:
                raise ValueError(f"{where}: unknown agency {tp.agency!r}")
            if tp.role not in roles:
                raise ValueError(f"{where}: unknown role {tp.role!r}")
            home = agencies[tp.agency].dimension
            if home not in roles[tp.role].dimensions:
                raise ValueError(f"{where}: role {tp.role!r} works in {', '.join(roles[tp.role].dimensions)}, "
                                 f"not at agency {tp.agency!r} ({home}); fix roles[].dimensions or the touch point")

        seen: set[str] = set()
        for n, goal in enumerate(self.goals):
            if goal.indicator in seen:
                raise ValueError(f"goals[{n}]: indicator {goal.indicator!r} has two goals")
            seen.add(goal.indicator)
            for k, tp in enumerate(goal.touch_points):
                fits(f"goals[{n}] ({goal.indicator}).touch_points[{k}]", tp)
        ids = [s.id for s in self.legal_path]
        if len(set(ids)) != len(ids):
            raise ValueError("legal_path: two entries share an id")
        for n, step in enumerate(self.legal_path):
            where = f"legal_path[{n}] ({step.id})"
            for a in step.agencies:
                if a not in agencies:
                    raise ValueError(f"{where}.agencies: unknown agency {a!r}")
            for r in step.roles:
                if r not in roles:
                    raise ValueError(f"{where}.roles: unknown role {r!r}")
            fits(f"{where}.example", step.example)
            if step.example.agency not in step.agencies or step.example.role not in step.roles:
                raise ValueError(f"{where}.example: agency and role must be among the entry's agencies and roles")
        return self

    def for_indicator(self) -> dict[str, Goal]:
        return {g.indicator: g for g in self.goals}


# The consent conversation (activity 12). The logic lives in simulator.exercises.consent;
# these are the answers it can produce, so that conversation.yaml is checked to have a
# reply for each. A situation is what stands between the parent and a "yes" for one part
# of the plan: nothing (none), worry not yet heard (worried), fear or shame not yet heard,
# or a threat in an earlier round (guarded), a poor household facing a goal that costs
# travel or income (poor), or a worried/guarded parent who has been listened to (trusted).
CONVERSATION_SITUATIONS: tuple[str, ...] = ("none", "worried", "guarded", "poor", "trusted")
CONVERSATION_APPROACHES: tuple[str, ...] = ("listen", "benefit", "support", "rules", "document")
CONVERSATION_OUTCOMES: dict[tuple[str, str], str] = {
    **{(s, a): "disagree" for s in CONVERSATION_SITUATIONS for a in ("rules", "document")},
    ("none", "listen"): "disagree", ("none", "benefit"): "agree", ("none", "support"): "disagree",
    # Listening to a worried or guarded parent first makes them "trusted" (or "poor"), so
    # (worried, listen) and (guarded, listen) are never answered as such.
    ("worried", "benefit"): "disagree", ("worried", "support"): "disagree",
    ("guarded", "benefit"): "disagree", ("guarded", "support"): "disagree",
    ("poor", "listen"): "unable", ("poor", "benefit"): "unable", ("poor", "support"): "agree",
    ("trusted", "listen"): "agree", ("trusted", "benefit"): "agree", ("trusted", "support"): "disagree",
}
BARRIER_KINDS: tuple[str, ...] = ("worried", "guarded", "poor")
_REPLY_FIELDS = {"topic", "child", "said", "agency"}
_WHY_FIELDS = {"topic", "evidence", "agency"}


def _placeholders(text: str) -> set[str]:
    import string

    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


class Barrier(_Strict):
    indicator: str
    kind: Literal["worried", "guarded", "poor"]
    said_th: str = Field(min_length=1)


class DimensionWords(_Strict):
    child: str = Field(min_length=1)
    parent: str = Field(min_length=1)


class ConversationReply(_Strict):
    situation: Literal["none", "worried", "guarded", "poor", "trusted"]
    approach: Literal["listen", "benefit", "support", "rules", "document"]
    texts_th: list[str] = Field(min_length=1)
    why_th: str = Field(min_length=1)

    @model_validator(mode="after")
    def _texts(self) -> "ConversationReply":
        allowed = set(_REPLY_FIELDS) - ({"said"} if self.situation == "none" else set())
        for k, text in enumerate(self.texts_th):
            try:
                unknown = _placeholders(text) - allowed
            except ValueError as exc:
                raise ValueError(f"texts_th[{k}]: broken placeholder ({exc})") from exc
            if unknown:
                raise ValueError(f"texts_th[{k}]: unknown placeholder(s) {', '.join(sorted(unknown))}; "
                                 f"use {', '.join(sorted(allowed))}")
            words = [w for w in KIN_WORDS if w in _strip_not_kin(text)]
            if words:
                raise ValueError(f"texts_th[{k}]: names a relative ({', '.join(words)}); write {{child}} "
                                 f"for the child so the reply fits every caregiver")
        try:
            unknown = _placeholders(self.why_th) - _WHY_FIELDS
        except ValueError as exc:
            raise ValueError(f"why_th: broken placeholder ({exc})") from exc
        if unknown:
            raise ValueError(f"why_th: unknown placeholder(s) {', '.join(sorted(unknown))}; "
                             f"use {', '.join(sorted(_WHY_FIELDS))}")
        return self


def _strip_not_kin(text: str) -> str:
    for word in NOT_KIN_WORDS:
        text = text.replace(word, "")
    return text


class ConversationSettings(_Strict):
    """conversation.yaml: who needs what in the consent conversation, and the parent's words."""

    version: int
    dimension_words: dict[Dimension, DimensionWords]
    practical_goals: list[str] = Field(min_length=1)
    barriers: list[Barrier] = Field(min_length=1)
    threatened_said_th: str = Field(min_length=1)
    replies: list[ConversationReply] = Field(min_length=1)

    @model_validator(mode="after")
    def _complete(self) -> "ConversationSettings":
        missing_dims = set(DIMENSIONS) - set(self.dimension_words)
        if missing_dims:
            raise ValueError(f"dimension_words lacks {', '.join(sorted(missing_dims))}")
        seen: set[str] = set()
        for n, b in enumerate(self.barriers):
            if b.indicator in seen:
                raise ValueError(f"barriers[{n}] ({b.indicator}): listed twice")
            seen.add(b.indicator)
        kinds = {b.kind for b in self.barriers}
        if kinds != set(BARRIER_KINDS):
            raise ValueError(f"barriers: need at least one of each kind ({', '.join(BARRIER_KINDS)})")
        have = {(r.situation, r.approach) for r in self.replies}
        missing = [f"{s}/{a} ({o})" for (s, a), o in CONVERSATION_OUTCOMES.items() if (s, a) not in have]
        if missing:
            raise ValueError(f"replies: no reply for situation/approach {', '.join(missing)}")
        for n, r in enumerate(self.replies):
            if (r.situation, r.approach) not in CONVERSATION_OUTCOMES:
                raise ValueError(f"replies[{n}]: {r.situation}/{r.approach} never happens (the parent is "
                                 f"listened to first); remove it")
        return self

    def reply_for(self, situation: str, approach: str) -> ConversationReply:
        return next(r for r in self.replies if (r.situation, r.approach) == (situation, approach))


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
    journeys: JourneySettings
    goals: GoalCatalogue
    conversation: ConversationSettings


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
    journeys = load_yaml_model(JourneySettings, data_dir / "journeys.yaml")
    goals = load_yaml_model(GoalCatalogue, data_dir / "goals.yaml")
    conversation = load_yaml_model(ConversationSettings, data_dir / "conversation.yaml")
    indicator_ids = {i.id for i in catalogue.indicators}
    missing_goals = indicator_ids - set(goals.for_indicator())
    if missing_goals:
        raise ConfigError(f"{data_dir / 'goals.yaml'}: no goal for indicator(s) {', '.join(sorted(missing_goals))}")
    unknown = set(goals.for_indicator()) - indicator_ids
    if unknown:
        raise ConfigError(f"{data_dir / 'goals.yaml'}: goals for unknown indicator(s) {', '.join(sorted(unknown))}")
    for field in ("poverty_indicators", "legal_indicators"):
        for ind_id in getattr(journeys.consent, field):
            if ind_id not in indicator_ids:
                raise ConfigError(f"{data_dir / 'journeys.yaml'}: consent.{field}: {ind_id!r} is not an indicator id")
    for n, rule in enumerate(journeys.noticed_by):
        if rule.source not in population.sources:
            raise ConfigError(f"{data_dir / 'journeys.yaml'}: noticed_by[{n}]: {rule.source!r} is not one of "
                              f"{', '.join(population.sources)} (population.yaml sources)")
    for n, strength in enumerate(catalogue.strengths):
        for k, note in enumerate([strength] + list(strength.notes_th)):
            needs = note.needs
            most = len(population.children_count_shares)
            if max(needs.children or 0, needs.min_children or 0) > most:
                where = f"strengths[{n}] ({strength.id})" + (f".notes_th[{k - 1}]" if k else "")
                raise ConfigError(f"{data_dir / 'indicators.yaml'}: {where}: needs more than {most} children, "
                                  f"which no household has (population.yaml children_count_shares)")
    for ind in catalogue.indicators:
        for k, note in enumerate(ind.notes_th):
            most = len(population.children_count_shares)
            if max(note.needs.children or 0, note.needs.min_children or 0) > most:
                raise ConfigError(f"{data_dir / 'indicators.yaml'}: indicator {ind.id}: notes_th[{k}]: needs more "
                                  f"than {most} children, which no household has (population.yaml children_count_shares)")
    known_types = {h.id for h in population.household_types}
    for ind in catalogue.indicators:
        for t in ind.household_types or []:
            if t not in known_types:
                raise ConfigError(
                    f"{data_dir / 'indicators.yaml'}: indicator {ind.id}: household type {t!r} "
                    f"is not one of {', '.join(sorted(known_types))} (population.yaml)"
                )
    for n, b in enumerate(conversation.barriers):
        if b.indicator not in indicator_ids:
            raise ConfigError(f"{data_dir / 'conversation.yaml'}: barriers[{n}]: {b.indicator!r} is not an indicator id")
    for n, ind_id in enumerate(conversation.practical_goals):
        if ind_id not in indicator_ids:
            raise ConfigError(f"{data_dir / 'conversation.yaml'}: practical_goals[{n}]: {ind_id!r} is not an indicator id")
    return KitConfig(catalogue, geography, population, names, journeys, goals, conversation)


def read_yaml_model(path: Path | str, model: type[BaseModel]):
    """A small settings file read and validated as ``model``, its problems on one line.

    The dashboards', platform's and workshop's settings files report ``<file>: field.sub:
    message; ...`` (what their tests and chapters quote); :func:`load_yaml_model` gives the
    catalogue files their longer, located report.
    """
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        return model.model_validate(raw)
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot be read ({exc})") from exc
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'file'}: {e['msg']}" for e in exc.errors())
        raise ConfigError(f"{path}: {problems}") from exc
