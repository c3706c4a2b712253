"""Households and the people in them: caregivers, children and unborn babies.

Everything is drawn for many families at once from per-family random streams
(:mod:`simulator.model.rng`). People sit in fixed *slots* per family so that arrays stay
rectangular: two caregiver slots, ``MAX_CHILDREN`` born-child slots and one unborn slot.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulator.model import rng
from simulator.model.config import KitConfig
from simulator.model.geography import DistrictTable

DAYS_PER_YEAR = 365.25
CAREGIVER_SLOTS = 2
MAX_CHILDREN = 4
UNBORN_SLOT = CAREGIVER_SLOTS + MAX_CHILDREN
SLOTS = UNBORN_SLOT + 1

RELATIONS = ("mother", "father", "grandmother", "grandfather", "other_relative", "child", "unborn")
REL_CODE = {r: i for i, r in enumerate(RELATIONS)}
NO_PERSON = -1


@dataclass
class HouseholdArrays:
    """Per-family arrays (length n) and per-slot arrays (shape n x SLOTS)."""

    index: np.ndarray  # family indices (uint64), the key of every random stream
    district: np.ndarray  # position in the DistrictTable
    community: np.ndarray  # position in the district's community list
    household_type: np.ndarray  # position in population.household_types
    relation: np.ndarray  # (n, SLOTS) code into RELATIONS, NO_PERSON when the slot is empty
    female: np.ndarray  # (n, SLOTS) bool
    age_days: np.ndarray  # (n, SLOTS) float; for the unborn slot: days until due (negative age)
    first_name: np.ndarray  # (n, SLOTS) code into the female or male pool
    last_name: np.ndarray  # (n, SLOTS) code into the last-name pool

    @property
    def present(self) -> np.ndarray:
        return self.relation != NO_PERSON

    @property
    def age_years(self) -> np.ndarray:
        return np.floor(self.age_days / DAYS_PER_YEAR)


def draw_households(cfg: KitConfig, districts: DistrictTable, seed: int, index: np.ndarray) -> HouseholdArrays:
    pop = cfg.population
    n = len(index)
    district = rng.choice(seed, "district", index, districts.weight)
    n_comm = np.array([len(c) for c in districts.communities])[district]
    community = np.floor(rng.uniform(seed, "community", index) * n_comm).astype(np.int64)
    htype = rng.choice(seed, "household_type", index, [h.share for h in pop.household_types])

    relation = np.full((n, SLOTS), NO_PERSON, dtype=np.int8)
    for t, spec in enumerate(pop.household_types):
        is_t = htype == t
        for s, slot in enumerate(spec.caregivers):
            here = is_t
            if slot.probability < 1:
                here = here & (rng.uniform(seed, "caregiver_present", index, s) < slot.probability)
            relation[here, s] = REL_CODE[slot.relation]

    # Children: the oldest first, each later sibling younger by a spacing.
    n_children = rng.choice(seed, "children_count", index, pop.children_count_shares) + 1
    oldest = pop.oldest_child_age
    age = rng.uniform(seed, "oldest_child_age", index) * (oldest.max + 1 - oldest.min) + oldest.min
    age_days = np.zeros((n, SLOTS))
    gap = pop.age_gaps["sibling_spacing"]
    child_age = age * DAYS_PER_YEAR
    for c in range(MAX_CHILDREN):
        slot = CAREGIVER_SLOTS + c
        if c > 0:
            spacing = gap.min + rng.uniform(seed, "sibling_spacing", index, c) * (gap.max - gap.min)
            child_age = child_age - spacing * DAYS_PER_YEAR
        here = (c < n_children) & (child_age >= 0)
        relation[here, slot] = REL_CODE["child"]
        age_days[:, slot] = np.where(here, np.floor(child_age), 0)
    oldest_days = age_days[:, CAREGIVER_SLOTS]

    def years_gap(name: str, purpose: str, slot: int) -> np.ndarray:
        g = pop.age_gaps[name]
        return (g.min + rng.uniform(seed, purpose, index, slot) * (g.max - g.min)) * DAYS_PER_YEAR

    mother_gap = pop.age_gaps["mother_above_oldest_child"]
    for s in range(CAREGIVER_SLOTS):
        rel = relation[:, s]
        mother_age = oldest_days + years_gap("mother_above_oldest_child", "mother_gap", s)
        father_age = np.maximum(
            mother_age + years_gap("father_above_mother", "father_gap", s),
            oldest_days + mother_gap.min * DAYS_PER_YEAR,
        )
        grand_age = oldest_days + years_gap("grandparent_above_oldest_child", "grand_gap", s)
        relative_age = np.maximum(
            years_gap("other_relative_age", "relative_age", s), oldest_days + 15 * DAYS_PER_YEAR
        )
        a = np.select(
            [rel == REL_CODE["mother"], rel == REL_CODE["father"], rel == REL_CODE["other_relative"]],
            [mother_age, father_age, relative_age],
            default=grand_age,
        )
        age_days[:, s] = np.where(rel != NO_PERSON, np.floor(a), 0)

    # An unborn baby: only where a mother of child-bearing age lives in the household.
    mother_slot_age = np.where(relation[:, 0] == REL_CODE["mother"], age_days[:, 0] / DAYS_PER_YEAR, -1)
    can_expect = (mother_slot_age >= 15) & (mother_slot_age < 46)
    expecting = can_expect & (rng.uniform(seed, "pregnancy", index) < pop.pregnancy_probability)
    days_to_due = np.floor(1 + rng.uniform(seed, "due_in_days", index) * 270)
    relation[expecting, UNBORN_SLOT] = REL_CODE["unborn"]
    age_days[:, UNBORN_SLOT] = np.where(expecting, -days_to_due, 0)

    female = np.zeros((n, SLOTS), dtype=bool)
    for s in range(SLOTS):
        rel = relation[:, s]
        coin = rng.uniform(seed, "sex", index, s) < 0.49
        female[:, s] = np.select(
            [np.isin(rel, [REL_CODE["mother"], REL_CODE["grandmother"]]),
             np.isin(rel, [REL_CODE["father"], REL_CODE["grandfather"]])],
            [True, False],
            default=coin,
        )

    names = cfg.names
    n_female, n_male, n_last = len(names.first_names_female), len(names.first_names_male), len(names.last_names)
    u_first = rng.uniform(seed, "first_name", index, np.arange(SLOTS)[None, :])
    first_name = np.where(female, np.floor(u_first * n_female), np.floor(u_first * n_male)).astype(np.int32)
    family_last = np.floor(rng.uniform(seed, "last_name", index) * n_last).astype(np.int32)
    own_last = np.floor(rng.uniform(seed, "own_last_name", index, np.arange(SLOTS)[None, :]) * n_last).astype(np.int32)
    # A relative caring for the children often carries another family name.
    keeps_own = (relation == REL_CODE["other_relative"]) & (
        rng.uniform(seed, "relative_keeps_name", index, np.arange(SLOTS)[None, :]) < 0.5
    )
    last_name = np.where(keeps_own, own_last, family_last[:, None]).astype(np.int32)

    return HouseholdArrays(
        index=index,
        district=district,
        community=community,
        household_type=htype,
        relation=relation,
        female=female,
        age_days=age_days,
        first_name=first_name,
        last_name=last_name,
    )
