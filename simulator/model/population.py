"""``simulate()``: a synthetic population of Bangkok families as pandas tables.

The tables, their columns and their meaning are documented in the book's reference
chapter (``book/reference/data_schema.md``); keep the two in step.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from simulator.model.config import DIMENSIONS, SEVERITIES, KitConfig, load_config
from simulator.model.geography import district_table
from simulator.model.households import (
    CAREGIVER_SLOTS,
    DAYS_PER_YEAR,
    NO_PERSON,
    RELATIONS,
    UNBORN_SLOT,
    HouseholdArrays,
    draw_households,
)
from simulator.model.threats import PETAL_COLUMNS, draw_threats

COLOURS = ("green",) + SEVERITIES  # rank 0 (no indicator) is green as well
CASE_LEVELS = ("none", "routine", "complex", "emergency")
FAMILY_ID_PATTERN = re.compile(r"^HH(\d{7,})$")
TABLES = ("households", "people", "indicators", "observations", "strengths", "petals")


class SimulationError(ValueError):
    """A request the simulator cannot honour (bad size, seed or family ID)."""


def family_id_of(index: np.ndarray) -> pa.Array:
    """Opaque household IDs ``HH0000001``: letters first, so never a 13-digit Thai ID number."""
    numbers = pa.array(np.asarray(index, dtype=np.int64) + 1)
    return pc.binary_join_element_wise("HH", pc.utf8_lpad(pc.cast(numbers, pa.string()), 7, "0"), "")


def _str_column(values: pa.Array) -> pd.api.extensions.ExtensionArray:
    return pd.array(values, dtype=pd.StringDtype("pyarrow", na_value=np.nan))


TITLES_TH = ("", "เด็กชาย", "เด็กหญิง", "นาย", "นาง", "นางสาว")
SEXES = ("male", "female", "unknown")  # unknown: an unborn baby too early in pregnancy to tell


def people_columns(cfg: KitConfig, hh: HouseholdArrays) -> tuple[pd.DataFrame, np.ndarray, np.ndarray, np.ndarray]:
    """The person columns (no IDs yet), one row per person, ordered by family then slot.

    Returns the table and, per row, its family position and slot, plus the member
    number matrix (1-based where a person is present).
    """
    ref = np.datetime64(cfg.population.reference_date, "D")
    present = hh.relation != NO_PERSON
    member = np.cumsum(present, axis=1, dtype=np.int16)
    pf, ps = np.nonzero(present)
    rel = hh.relation[pf, ps]
    age_days = hh.age_days[pf, ps]
    female = hh.female[pf, ps]
    unborn = ps == UNBORN_SLOT
    age_years = np.floor(age_days / DAYS_PER_YEAR)
    is_child = ps >= CAREGIVER_SLOTS
    married = (rel == RELATIONS.index("mother")) | (rel == RELATIONS.index("grandmother"))
    young = is_child & (age_years < 15)
    title = np.select([unborn, young & female, young, ~female, married], [0, 2, 1, 3, 4], default=5)
    names = cfg.names
    n_female = len(names.first_names_female)
    code = hh.first_name[pf, ps].astype(np.int64)
    first_code = np.where(female, np.minimum(code, n_female - 1),
                          n_female + np.minimum(code, len(names.first_names_male) - 1))
    first_code = np.where(unborn, -1, first_code)
    births = ref - age_days.astype("timedelta64[D]")
    nat = np.datetime64("NaT", "D")
    people = pd.DataFrame({
        "member": member[pf, ps].astype(np.int8),
        "role": pd.Categorical.from_codes(is_child.astype(np.int8), ["caregiver", "child"]),
        "relation": pd.Categorical.from_codes(rel, RELATIONS),
        "is_primary_caregiver": ps == 0,
        "sex": pd.Categorical.from_codes(np.where(hh.sex_known[pf, ps], female, 2).astype(np.int8), SEXES),
        "title_th": pd.Categorical.from_codes(title, TITLES_TH),
        "first_name": _categorical(first_code, names.first_names_female + names.first_names_male),
        "last_name": pd.Categorical.from_codes(hh.last_name[pf, ps], names.last_names),
        "birth_date": np.where(unborn, nat, births).astype("datetime64[s]"),
        "due_date": np.where(unborn, births, nat).astype("datetime64[s]"),
        "age_years": pd.array(np.where(unborn, np.nan, age_years), dtype="Int16"),
    })
    return people, pf, ps, member


def family_index_of(family_id: str) -> int:
    match = FAMILY_ID_PATTERN.match(family_id.strip())
    if not match or int(match.group(1)) < 1:
        raise SimulationError(f"{family_id!r} is not a household ID of the form HH0000001")
    return int(match.group(1)) - 1


@dataclass
class Population:
    """A synthetic population: one DataFrame per table plus how it was made."""

    households: pd.DataFrame
    people: pd.DataFrame
    indicators: pd.DataFrame
    observations: pd.DataFrame
    strengths: pd.DataFrame
    petals: pd.DataFrame
    seed: int
    reference_date: pd.Timestamp
    districts: tuple[str, ...] | None = None
    config: KitConfig = field(default=None, repr=False)

    def tables(self) -> dict[str, pd.DataFrame]:
        return {name: getattr(self, name) for name in TABLES}

    def family(self, family_id: str) -> "Population":
        """The rows of one household, in every table."""
        parts = {}
        for name, df in self.tables().items():
            parts[name] = df[df["family_id"] == family_id].reset_index(drop=True)
        if parts["households"].empty:
            raise SimulationError(f"household {family_id} is not in this population")
        return Population(**parts, seed=self.seed, reference_date=self.reference_date,
                          districts=self.districts, config=self.config)

    def __len__(self) -> int:
        return len(self.households)


def simulate(
    families: int,
    seed: int = 0,
    districts: list[str] | None = None,
    config: KitConfig | None = None,
) -> Population:
    """Simulate ``families`` households in Bangkok.

    ``seed`` fixes every random choice; ``districts`` (Thai or English names) restricts
    where households live. Household ``HH000000k`` depends only on ``seed``,
    ``districts`` and ``k``: adding families never changes earlier ones.
    """
    if isinstance(families, bool) or not isinstance(families, (int, np.integer)):
        raise SimulationError(f"families must be a whole number, not {families!r}")
    if families < 1:
        raise SimulationError(f"families must be at least 1 (got {families})")
    return _simulate_indices(np.arange(families, dtype=np.uint64), seed, districts, config)


def simulate_family(family_id: str, seed: int = 0, districts: list[str] | None = None,
                    config: KitConfig | None = None) -> Population:
    """Regenerate one household alone, exactly as it appears in a full run."""
    index = family_index_of(family_id)
    return _simulate_indices(np.array([index], dtype=np.uint64), seed, districts, config)


def _check_seed(seed) -> int:
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise SimulationError(f"seed must be a whole number of 0 or more (got {seed!r})")
    return int(seed)


def _simulate_indices(index: np.ndarray, seed, districts, config) -> Population:
    seed = _check_seed(seed)
    cfg = config or load_config()
    dtab = district_table(cfg.geography, districts)
    hh = draw_households(cfg, dtab, seed, index)
    threats = draw_threats(cfg, hh, seed)
    ref = np.datetime64(cfg.population.reference_date, "D")

    people, pf, ps, member = people_columns(cfg, hh)
    family_pa = family_id_of(index)
    people_family_pa = family_pa.take(pf)
    person_pa = pc.binary_join_element_wise(
        people_family_pa, pc.utf8_lpad(pc.cast(pa.array(member[pf, ps]), pa.string()), 2, "0"), "-"
    )
    people.insert(0, "family_id", _str_column(people_family_pa))
    people.insert(0, "person_id", _str_column(person_pa))
    # Row of each (family, slot) in the people table, to look person IDs up by slot.
    first_row = np.zeros(len(index) + 1, dtype=np.int64)
    np.cumsum(np.bincount(pf, minlength=len(index)), out=first_row[1:])

    # Households.
    petal_codes = threats.petals
    case = petal_codes.max(axis=1)
    n_children = (hh.relation[:, CAREGIVER_SLOTS:UNBORN_SLOT] != NO_PERSON).sum(axis=1)
    comm_names = sorted({c for comms in dtab.communities for c in comms})
    comm_code = {c: i for i, c in enumerate(comm_names)}
    comm_lookup = [[comm_code[c] for c in comms] for comms in dtab.communities]
    flat_offsets = np.cumsum([0] + [len(c) for c in comm_lookup])
    flat_codes = np.array([code for comms in comm_lookup for code in comms], dtype=np.int64)
    community = flat_codes[flat_offsets[hh.district] + hh.community]
    subdistrict = dtab.subdistrict_of(hh.district, hh.community)
    district_names = list(dict.fromkeys(dtab.name_th))
    households = pd.DataFrame({
        "family_id": _str_column(family_pa),
        "zone": _categorical(hh.district, dtab.zone_th),
        "district": pd.Categorical.from_codes(hh.district, district_names),
        "district_en": pd.Categorical.from_codes(hh.district, dtab.name_en),
        "district_code": pd.Categorical.from_codes(hh.district, dtab.code),
        "subdistrict": _categorical(subdistrict, dtab.subdistrict_th),
        "subdistrict_code": pd.Categorical.from_codes(subdistrict, dtab.subdistrict_code),
        "community": pd.Categorical.from_codes(community, comm_names),
        "sandbox": dtab.sandbox[hh.district],
        "household_type": pd.Categorical.from_codes(hh.household_type,
                                                    [h.id for h in cfg.population.household_types]),
        "three_generations": hh.three_generations,
        "n_children": n_children.astype(np.int8),
        "expecting": hh.relation[:, UNBORN_SLOT] != NO_PERSON,
        "primary_caregiver_id": _str_column(person_pa.take(pa.array(first_row[:-1]))),
        "case_level": pd.Categorical.from_codes(case, CASE_LEVELS),
    })

    petals = pd.DataFrame({"family_id": households["family_id"]})
    for c, name in enumerate(PETAL_COLUMNS):
        petals[name] = pd.Categorical.from_codes(np.maximum(petal_codes[:, c], 1) - 1, SEVERITIES)
    petals["case_level"] = households["case_level"]

    cat = cfg.catalogue
    ind_ids = [i.id for i in cat.indicators]
    ind_subject = np.array([0 if i.subject == "child" else 1 for i in cat.indicators])
    ind_dim = np.array([DIMENSIONS.index(i.dimension) for i in cat.indicators])
    ind_sev = np.array([SEVERITIES.index(i.severity) for i in cat.indicators])

    def person_of(f, s):
        return person_pa.take(pa.array(first_row[f] + member[f, s].astype(np.int64) - 1))

    def indicator_columns(rows: dict[str, np.ndarray]) -> dict[str, object]:
        f, s, i = rows["family"], rows["slot"], rows["indicator"].astype(np.int64)
        return {
            "family_id": _str_column(family_pa.take(pa.array(f))),
            "person_id": _str_column(person_of(f, s)),
            "subject": pd.Categorical.from_codes(ind_subject[i], ["child", "parent"]),
            "dimension": pd.Categorical.from_codes(ind_dim[i], list(DIMENSIONS)),
            "indicator_id": pd.Categorical.from_codes(i, ind_ids),
        }

    rows = _sorted(threats.indicators, ("family", "slot", "indicator"))
    indicators = pd.DataFrame({
        **indicator_columns(rows),
        "severity": pd.Categorical.from_codes(ind_sev[rows["indicator"].astype(np.int64)], SEVERITIES),
    })

    rows = _sorted(threats.observations, ("family", "slot", "indicator", "source", "is_true"))
    observations = pd.DataFrame({
        **indicator_columns(rows),
        "source": pd.Categorical.from_codes(rows["source"].astype(np.int64), threats.source_names),
        "observed_on": (ref - rows["days_before"].astype("timedelta64[D]")).astype("datetime64[s]"),
        "note_th": _categorical(rows["note"], threats.note_categories),
        "is_true": rows["is_true"].astype(bool),
    })

    rows = _sorted(threats.strengths, ("family", "strength"))
    strength_ids = [s.id for s in cat.strengths]
    strengths = pd.DataFrame({
        "family_id": _str_column(family_pa.take(pa.array(rows["family"]))),
        "strength_id": pd.Categorical.from_codes(rows["strength"].astype(np.int64), strength_ids),
        "note_th": _categorical(rows["note"], threats.strength_note_categories),
    })

    return Population(
        households=households,
        people=people,
        indicators=indicators,
        observations=observations,
        strengths=strengths,
        petals=petals,
        seed=seed,
        reference_date=pd.Timestamp(cfg.population.reference_date),
        districts=tuple(districts) if districts else None,
        config=cfg,
    )


def _sorted(rows: dict[str, np.ndarray], keys: tuple[str, ...]) -> dict[str, np.ndarray]:
    if not len(rows[keys[0]]):
        return rows
    order = np.lexsort(tuple(rows[k] for k in reversed(keys)))
    return {k: v[order] for k, v in rows.items()}


def _categorical(codes: np.ndarray, wordings: list[str]) -> pd.Categorical:
    """Codes into a list that may repeat a wording, as a categorical of distinct wordings."""
    remap, uniques = pd.factorize(pd.Series(wordings, dtype=object))
    codes = np.asarray(codes, dtype=np.int64)
    mapped = np.where(codes >= 0, remap[np.maximum(codes, 0)], -1)  # -1 stays missing
    return pd.Categorical.from_codes(mapped, list(uniques))
