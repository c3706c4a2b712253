"""Activity 8: a family of the trainee's own community, as the journey model's one-family population.

Activity 7 runs a simulated case study with and without each provider notified. Activity 8
asks the same question of a family the trainee's community has on the practice platform:
:func:`own_case` turns what the platform **records** about that family into a
:class:`~simulator.model.population.Population` of one household, so that
:func:`simulator.exercises.notify.notify_scenarios` and the activity 7 widget run on it
unchanged.

The truth the journey model acts on is *what the records show*. The simulator normally
knows each family's true problems and tells them apart from what volunteers and providers
report; a family on the platform has only its records. So here:

- ``indicators`` (the family's problems) are the indicators recorded about it, each once,
  with the catalogue's severity; ``petals`` and ``case_level`` are the platform's (the worst
  recorded colour of each petal); every observation counts as true (``is_true``);
- ``households`` is the platform's row (district, community, household type), with the zone,
  the sandbox flag, the district's English name and code and the community's subdistrict
  from the simulator's geography (:mod:`simulator.model.geography`; a community the
  simulator does not know has no subdistrict);
- ``people`` are the platform's children (sex and birth date; no names: ``เด็กคนที่ 1`` ...)
  plus one primary caregiver, whom the platform does not record: their relation follows the
  household type and their age ``own_case.yaml`` sets. A parent's problem is the
  caregiver's; a child's problem is the first recorded child (oldest first) of an eligible
  sex and age for it (``indicators.yaml`` ``sex``, ``age_min``/``age_max`` on the day it was
  first recorded), else the child nearest in age, else a stand-in child;
- who recorded (``source``) is the simulator's source of the participant's role
  (``own_case.yaml`` ``sources``: a community leader or อสส. counts as the volunteer);
- dates: the model's calendar ends on the journey span's end; when the family's latest
  record leaves fewer than ``follow_up_days`` after it (a record made today), the family's
  whole calendar moves back by the same number of days (``own_case.yaml``).

Deterministic: the journey model's random draws depend on the population's ``seed`` and
the family's number; here the family is ``HH0000042`` as on the platform and the seed is
its number (42, :func:`case_seed`), so the same platform records always give the same
scenarios, and a new record (activity 5) changes only what it changes.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
from pydantic import Field, field_validator
from sqlalchemy import select

from simulator.model.config import (
    CAREGIVER_RELATIONS,
    DATA_DIR,
    DIMENSIONS,
    SEVERITIES,
    ConfigError,
    _Strict,
    load_config,
    read_yaml_model,
)
from simulator.model.geography import district_table
from simulator.model.households import DAYS_PER_YEAR, RELATIONS
from simulator.model.population import CASE_LEVELS, SEXES, TITLES_TH, Population
from simulator.model.threats import PETAL_COLUMNS
from simulator.thai.vocabulary import CASE_LEVEL_TH, DIMENSION_TH

from .access import (
    AccessDenied,
    ServiceError,
    User,
    case_code,
    families,
    family_code,
    family_pk,
    family_scope,
    observations,
)
from .models import Child, Community, District, Family
from .service import HOUSEHOLD_TYPES

SETTINGS_FILE = DATA_DIR / "own_case.yaml"
PROBLEM = ("yellow", "red")
OWN_CASES_TH = {"family_id": "รหัสครัวเรือน", "case_id": "รหัสกรณี", "label_th": "ชื่อเรียกครอบครัว",
                "case_level": "ระดับกรณี", "dimensions": "มิติที่มีปัญหา", "option_th": "ตัวเลือก"}


class OwnCaseSettings(_Strict):
    """``own_case.yaml``: how a platform family fills what the journey model needs (see its header)."""

    version: int = Field(ge=1, le=1)
    follow_up_days: int = Field(ge=0, le=1500)
    caregiver_age_at_first_child_years: int = Field(ge=15, le=60)
    caregiver_age_without_children_years: int = Field(ge=15, le=90)
    caregiver_relation: dict[str, str]
    standin_child_age_years: int = Field(ge=0, le=17)
    sources: dict[str, str]

    @field_validator("caregiver_relation")
    @classmethod
    def _relations(cls, value: dict[str, str]) -> dict[str, str]:
        missing = [h for h in HOUSEHOLD_TYPES if h not in value]
        unknown = [h for h in value if h not in HOUSEHOLD_TYPES]
        wrong = [f"{h}: {r}" for h, r in value.items() if r not in CAREGIVER_RELATIONS]
        if missing or unknown or wrong:
            raise ValueError("; ".join(
                ([f"missing household types {', '.join(missing)}"] if missing else [])
                + ([f"unknown household types {', '.join(unknown)}"] if unknown else [])
                + ([f"relations must be one of {', '.join(CAREGIVER_RELATIONS)} ({', '.join(wrong)})"] if wrong else [])))
        return value


def load_own_case_settings(path: Path | str | None = None) -> OwnCaseSettings:
    """Read and check ``own_case.yaml`` (the kit's when ``path`` is None); :class:`ConfigError` on a mistake.

    Every ``sources`` value must be a source of ``population.yaml``.
    """
    if path is None:
        return _default_settings()
    return _load(Path(path))


@lru_cache(maxsize=1)
def _default_settings() -> OwnCaseSettings:
    return _load(SETTINGS_FILE)


def _load(path: Path) -> OwnCaseSettings:
    settings = read_yaml_model(path, OwnCaseSettings)
    sources = load_config().population.sources
    for role, source in settings.sources.items():
        if source not in sources:
            raise ConfigError(f"{path}: sources.{role}: {source!r} is not a source of population.yaml "
                              f"({', '.join(sources)})")
    return settings


def case_seed(family: str | int) -> int:
    """The seed of a platform family's journeys: its number (``HH0000042`` -> 42)."""
    return family_pk(family)


def problem_dimensions(row) -> tuple[str, ...]:
    """The dimensions of a platform families row with a yellow or red petal (child's or parent's)."""
    return tuple(d for d in DIMENSIONS if row[f"child_{d}"] in PROBLEM or row[f"parent_{d}"] in PROBLEM)


def own_cases(user: User) -> pd.DataFrame:
    """The families ``user`` sees that have a yellow or red petal: the cases activity 8 can run.

    Columns of :data:`OWN_CASES_TH`: ``family_id`` (``HH0000042``), ``case_id``
    (``JC0000042``), ``label_th``, ``case_level``, ``dimensions`` (comma-separated keys) and
    ``option_th`` (``น้องฝน (HH0000042) · ฉุกเฉิน · มิติสังคม การศึกษา``), in the
    platform's order.
    """
    shown = families(user)
    dims = [problem_dimensions(r) for _, r in shown.iterrows()]
    out = pd.DataFrame({
        "family_id": shown["family_id"], "case_id": [case_code(family_pk(f)) for f in shown["family_id"]],
        "label_th": shown["label_th"], "case_level": shown["case_level"], "dimensions": [",".join(d) for d in dims],
    })
    out = out.loc[np.array([bool(d) for d in dims], dtype=bool)].reset_index(drop=True)
    out["option_th"] = [
        f"{r.label_th if r.family_id in r.label_th else f'{r.label_th} ({r.family_id})'} · "
        f"{CASE_LEVEL_TH.get(r.case_level, r.case_level)} · "
        f"มิติ{' '.join(DIMENSION_TH[d] for d in r.dimensions.split(','))}"
        for r in out.itertuples(index=False)]
    return out[list(OWN_CASES_TH)]


def _day(value) -> np.datetime64:
    return np.datetime64(pd.Timestamp(value).date(), "D")


def own_case(user: User, family: str | int, settings: OwnCaseSettings | None = None) -> tuple[Population, str]:
    """The family's one-household population, from its platform records, and its case ID (``JC0000042``).

    ``user`` must see the family (:mod:`~simulator.platform.access` scopes; a family of another
    community is refused with :class:`AccessDenied`); a family without a yellow or red petal
    has no case (:class:`ServiceError`). Both messages are Thai. See the module's docstring for
    what is taken from the records and what is filled in.
    """
    settings = settings or load_own_case_settings()
    cfg = load_config()
    pk = family_pk(family)
    code = family_code(pk)
    shown = families(user)
    found = shown[shown["family_id"] == code]
    if found.empty:
        raise AccessDenied(f"ไม่พบครัวเรือน {code} ในส่วนที่คุณเห็นได้ (not in your scope) "
                           "เลือกครอบครัวในชุมชนของคุณเอง")
    row = found.iloc[0]
    if not problem_dimensions(row):
        raise ServiceError(f"{row['label_th']} ({code}) ไม่มีกลีบสีเหลืองหรือแดง จึงยังไม่มีกรณีให้เทียบการแจ้ง "
                           "เลือกครอบครัวที่มีกลีบสีเหลืองหรือแดง")
    with user.platform.read() as s:
        place = s.execute(select(District.zone_th, District.sandbox).join(Community, Community.district_id == District.id)
                          .join(Family, Family.community_id == Community.id)
                          .where(family_scope(user), Family.id == pk)).one()
        kids = s.execute(select(Child.sex, Child.birth_date).join(Family, Family.id == Child.family_id)
                         .where(family_scope(user), Family.id == pk).order_by(Child.birth_date, Child.id)).all()
    seen = observations(user, pk).sort_values(["observed_on", "observation_id"], kind="stable")

    # The model's calendar, and the family's moved back onto it when its records are too late.
    end = min(_day(cfg.journeys.span.end), _day(cfg.population.reference_date))
    ref = _day(cfg.population.reference_date)
    latest = _day(seen["observed_on"].max()) if len(seen) else end
    shift = max(0, int((latest - (end - np.timedelta64(settings.follow_up_days, "D"))).astype(int)))
    delta = np.timedelta64(shift, "D")
    obs_days = np.array([_day(d) - delta for d in seen["observed_on"]], dtype="datetime64[D]")
    births = [min(_day(b) - delta, ref) for _, b in kids]

    # People: the caregiver (not on the platform), then the children, oldest first.
    catalogue = cfg.catalogue.by_id()
    child_ids = [f"{code}-{n + 2:02d}" for n in range(len(kids))]
    sexes = [str(sex) for sex, _ in kids]
    first_child_rows = seen[seen["subject"] == "child"].drop_duplicates("indicator_id")
    if not kids and len(first_child_rows):
        ind = catalogue[str(first_child_rows.iloc[0]["indicator_id"])]
        age = min(max(settings.standin_child_age_years, ind.age_min), ind.age_max)
        on = obs_days[seen.index.get_loc(first_child_rows.index[0])]
        births = [on - np.timedelta64(int(np.ceil(age * DAYS_PER_YEAR)), "D")]
        child_ids = [f"{code}-02"]
        sexes = ["female" if ind.sex == "female" else "male" if ind.sex == "male" else "unknown"]
    if births:
        carer_birth = min(births) - np.timedelta64(int(np.ceil(settings.caregiver_age_at_first_child_years
                                                                * DAYS_PER_YEAR)), "D")
    else:
        carer_birth = ref - np.timedelta64(int(np.ceil(settings.caregiver_age_without_children_years
                                                       * DAYS_PER_YEAR)), "D")
    relation = settings.caregiver_relation[row["household_type"]
                                           if row["household_type"] in settings.caregiver_relation else "unknown"]
    carer_female = relation not in ("father", "grandfather")
    carer_id = f"{code}-01"

    def child_for(indicator_id: str, on: np.datetime64) -> str:
        ind = catalogue[indicator_id]
        ages = [(on - b).astype(int) / DAYS_PER_YEAR for b in births]
        sex_ok = [ind.sex in ("any", s) for s in sexes]
        for k, (a, ok) in enumerate(zip(ages, sex_ok)):
            if ok and ind.age_min <= a < ind.age_max + 1:
                return child_ids[k]
        gap = [max(ind.age_min - a, a - ind.age_max - 1, 0) + (0 if ok else 100) for a, ok in zip(ages, sex_ok)]
        return child_ids[int(np.argmin(gap))]

    first_day = {}
    for k, ind_id in enumerate(seen["indicator_id"].astype(str)):
        first_day.setdefault(ind_id, obs_days[k])
    person = {i: (carer_id if catalogue[i].subject == "parent" else child_for(i, d)) for i, d in first_day.items()}
    relations = [relation] + ["child"] * len(child_ids)
    names = ["ผู้ดูแลหลัก (ไม่มีบนแพลตฟอร์ม อายุโดยประมาณ)"] + (
        [f"เด็กคนที่ {n + 1}" for n in range(len(kids))] if kids else ["เด็ก (ไม่มีข้อมูลเด็กบนแพลตฟอร์ม)"] * len(child_ids))
    people_births = [carer_birth] + births
    people = pd.DataFrame({
        "person_id": pd.array([carer_id] + child_ids, dtype="str"),
        "family_id": pd.array([code] * len(relations), dtype="str"),
        "member": np.arange(1, len(relations) + 1, dtype=np.int8),
        "role": pd.Categorical(["caregiver"] + ["child"] * len(child_ids), categories=["caregiver", "child"]),
        "relation": pd.Categorical(relations, categories=list(RELATIONS)),
        "is_primary_caregiver": [True] + [False] * len(child_ids),
        "sex": pd.Categorical(["female" if carer_female else "male"] + sexes, categories=list(SEXES)),
        "title_th": pd.Categorical([""] * len(relations), categories=list(dict.fromkeys(TITLES_TH))),
        "first_name": pd.Categorical(names),
        "last_name": pd.Categorical([""] * len(relations)),
        "birth_date": np.array(people_births, dtype="datetime64[D]").astype("datetime64[s]"),
        "due_date": np.full(len(relations), np.datetime64("NaT"), dtype="datetime64[s]"),
        "age_years": pd.array([int((ref - b).astype(int) // DAYS_PER_YEAR) for b in people_births], dtype="Int16"),
    })

    ind_ids = [i.id for i in cfg.catalogue.indicators]
    sources = list(cfg.population.sources)

    def source_of(actor_role: str) -> str:
        if actor_role in sources:
            return actor_role
        if actor_role in settings.sources:
            return settings.sources[actor_role]
        raise ConfigError(f"{SETTINGS_FILE}: sources: the platform's {actor_role!r} is not mapped to a source "
                          f"of population.yaml")

    def ind_columns(ids: list[str]) -> dict[str, object]:
        return {
            "family_id": pd.array([code] * len(ids), dtype="str"),
            "person_id": pd.array([person[i] for i in ids], dtype="str"),
            "subject": pd.Categorical([catalogue[i].subject for i in ids], categories=["child", "parent"]),
            "dimension": pd.Categorical([catalogue[i].dimension for i in ids], categories=list(DIMENSIONS)),
            "indicator_id": pd.Categorical(ids, categories=ind_ids),
        }

    distinct = list(first_day)
    order = sorted(range(len(distinct)), key=lambda k: (person[distinct[k]], ind_ids.index(distinct[k])))
    distinct = [distinct[k] for k in order]
    indicators = pd.DataFrame({**ind_columns(distinct), "severity": pd.Categorical(
        [catalogue[i].severity for i in distinct], categories=list(SEVERITIES))})
    recorded = list(seen["indicator_id"].astype(str))
    obs = pd.DataFrame({
        **ind_columns(recorded),
        "source": pd.Categorical([source_of(str(s)) for s in seen["source"]], categories=sources),
        "observed_on": obs_days.astype("datetime64[s]"),
        "note_th": pd.Categorical(seen["note_th"].astype(str).tolist()),
        "is_true": np.ones(len(recorded), dtype=bool),
    })

    households = pd.DataFrame({"family_id": pd.array([code], dtype="str"), **_place(cfg, row, place),
                               "household_type": [row["household_type"]], "three_generations": [False],
                               "n_children": np.array([len(kids)], dtype=np.int8), "expecting": [False],
                               "primary_caregiver_id": pd.array([carer_id], dtype="str"),
                               "case_level": pd.Categorical([row["case_level"]], categories=list(CASE_LEVELS))})
    petals = pd.DataFrame({"family_id": households["family_id"]})
    for name in PETAL_COLUMNS:
        petals[name] = pd.Categorical([row[name]], categories=list(SEVERITIES))
    petals["case_level"] = households["case_level"]
    strengths = pd.DataFrame({"family_id": pd.array([], dtype="str"), "strength_id": pd.Categorical([]),
                              "note_th": pd.Categorical([])})
    pop = Population(households=households, people=people, indicators=indicators, observations=obs,
                     strengths=strengths, petals=petals, seed=case_seed(pk),
                     reference_date=pd.Timestamp(cfg.population.reference_date),
                     districts=(str(row["district"]),), config=cfg)
    return pop, case_code(pk)


def community_view(platform, community_id: int, role_id: str = "volunteer") -> User:
    """What a community role of ``community_id`` sees, without anyone signing in (read only).

    For the book's worked example, which runs before any trainee has registered. Nothing is
    written as this user: it has no participant row (``id`` 0).
    """
    role = platform.settings.role(role_id)
    if role is None or role.level != "community":
        raise ServiceError(f"บทบาท {role_id!r} ไม่ใช่บทบาทระดับชุมชน")
    with platform.read() as s:
        found = s.execute(select(Community.id, Community.name_th, District.id, District.name_th)
                          .join(District, District.id == Community.district_id)
                          .where(Community.workshop_id == platform.workshop_id, Community.id == community_id)).one_or_none()
    if found is None:
        raise ServiceError(f"ไม่มีชุมชนลำดับ {community_id} ในเวิร์กช็อปนี้")
    return User(id=0, name_th=f"{role.name_th} (ตัวอย่าง)", role_id=role.id, role_th=role.name_th, level=role.level,
                dimension=None, workshop_id=platform.workshop_id, district_id=found[2], district_th=found[3],
                community_id=found[0], community_th=found[1], platform=platform)


def worked_example(platform, min_dimensions: int | None = None) -> tuple[User, str]:
    """The book's worked example: a community's view and its first family with ``min_dimensions`` problem dimensions.

    Communities in the order of their district's and their own Thai names, families by
    number; ``min_dimensions`` is activity 7's (``notify_scenarios.yaml`` ``case_study``) when
    not given. Returns the community's read-only view (:func:`community_view`) and the
    family's ID; :class:`ServiceError` when no family has that many.
    """
    if min_dimensions is None:
        from simulator.model.unnotified import load_notify_settings

        min_dimensions = load_notify_settings().case_study.min_dimensions
    with platform.read() as s:
        communities = s.execute(select(Community.id).join(District, District.id == Community.district_id)
                                .where(Community.workshop_id == platform.workshop_id)
                                .order_by(District.name_th, Community.name_th, Community.id)).scalars().all()
    for community_id in communities:
        viewer = community_view(platform, community_id)
        cases = own_cases(viewer)
        many = cases[cases["dimensions"].str.count(",") + 1 >= min_dimensions]
        if len(many):
            return viewer, str(many["family_id"].iloc[0])
    raise ServiceError(f"ไม่มีครอบครัวใดในเวิร์กช็อปที่มีปัญหาอย่างน้อย {min_dimensions} มิติ")


def _place(cfg, row, place) -> dict[str, list]:
    """Zone, district and subdistrict columns of the households table, from the platform and geography."""
    zone_th, sandbox = place
    out = {"zone": [zone_th], "district": [row["district"]], "district_en": [None], "district_code": [None],
           "subdistrict": [None], "subdistrict_code": [None], "community": [row["community"]], "sandbox": [bool(sandbox)]}
    try:
        dtab = district_table(cfg.geography, [row["district"]])
    except (ValueError, KeyError):
        return out  # a district the simulator does not know: the platform's zone only
    out["district_en"], out["district_code"] = [dtab.name_en[0]], [dtab.code[0]]
    if row["community"] in dtab.communities[0]:
        position = dtab.community_subdistrict[0][dtab.communities[0].index(row["community"])]
        out["subdistrict"], out["subdistrict_code"] = [dtab.subdistrict_th[position]], [dtab.subdistrict_code[position]]
    return out


__all__ = ["OWN_CASES_TH", "SETTINGS_FILE", "OwnCaseSettings", "case_seed", "community_view", "load_own_case_settings",
           "own_case", "own_cases", "problem_dimensions", "worked_example"]
