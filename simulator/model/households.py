"""Households and the people in them: caregivers, children and unborn babies.

Everything is drawn for many families at once from per-family random streams
(:mod:`simulator.model.rng`). People sit in fixed *slots* per family so that arrays stay
rectangular: two slots for the caregivers of the household type (the main caregiver
first), one for a grandparent living with a parent household, ``MAX_CHILDREN``
born-child slots and one unborn slot.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulator.model import rng
from simulator.model.config import MAX_CHILDREN, KitConfig
from simulator.model.geography import DistrictTable
from simulator.thai.dates import DAYS_PER_MONTH, DAYS_PER_YEAR

PARENT_SLOTS = 2  # the household type's caregivers, as listed in population.yaml
GRANDPARENT_SLOT = PARENT_SLOTS  # a grandparent co-resident with a parent household
CAREGIVER_SLOTS = GRANDPARENT_SLOT + 1
UNBORN_SLOT = CAREGIVER_SLOTS + MAX_CHILDREN
SLOTS = UNBORN_SLOT + 1

SIBLING_EDGE_WEIGHT = 0.6  # 0 is uniform; below 1 keeps the position increasing in the uniform

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
    sex_known: np.ndarray  # (n, SLOTS) bool; False for an unborn baby too early in pregnancy
    three_generations: np.ndarray  # bool: a grandparent lives with a parent household

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

    # Children, the oldest first. The spacings are drawn first, then the youngest
    # child's age among those that keep the oldest within oldest_child_age: every
    # drawn child is born, so the household has the declared number of children.
    n_children = rng.choice(seed, "children_count", index, pop.children_count_shares) + 1
    oldest = pop.oldest_child_age
    gap = pop.age_gaps["sibling_spacing"]
    later = np.arange(1, MAX_CHILDREN)
    spacing = gap.min + rng.uniform(seed, "sibling_spacing", index, later[None, :]) * (gap.max - gap.min)
    spacing = np.where(later[None, :] < n_children[:, None], spacing, 0.0)
    span = spacing.sum(axis=1)
    low = np.maximum(oldest.min - span, 0)
    u = rng.uniform(seed, "youngest_child_age", index)
    # With siblings, a uniform position of the family in the age range would crowd
    # the middle children into ages 6-11 (twice as many 9- as 0-year-olds). Leaning
    # the position towards the ends (a youngest just born, an oldest near 17) keeps
    # the children's ages about flat; the weight gives the flattest ages per year.
    position = np.where(n_children == 1, u, u - SIBLING_EDGE_WEIGHT * np.sin(2 * np.pi * u) / (2 * np.pi))
    youngest = low + position * (oldest.max + 1 - span - low)
    # Years below the oldest child: 0 for the oldest, then the running sum of spacings.
    below_oldest = np.concatenate([np.zeros((n, 1)), np.cumsum(spacing, axis=1)], axis=1)
    child_years = (youngest + span)[:, None] - below_oldest
    is_child = np.arange(MAX_CHILDREN)[None, :] < n_children[:, None]
    child_slots = slice(CAREGIVER_SLOTS, CAREGIVER_SLOTS + MAX_CHILDREN)
    relation[:, child_slots] = np.where(is_child, REL_CODE["child"], NO_PERSON)
    age_days = np.zeros((n, SLOTS))
    age_days[:, child_slots] = np.where(is_child, np.floor(child_years * DAYS_PER_YEAR), 0)
    oldest_days = age_days[:, CAREGIVER_SLOTS]
    youngest_days = np.where(is_child, age_days[:, child_slots], np.inf).min(axis=1)

    def years_gap(name: str, purpose: str, slot: int) -> np.ndarray:
        g = pop.age_gaps[name]
        return (g.min + rng.uniform(seed, purpose, index, slot) * (g.max - g.min)) * DAYS_PER_YEAR

    # One couple per household, drawn together: parents for parent households,
    # grandparents for grandparent households. A single father is as old as the
    # husband of the drawn wife would be.
    u_wife, u_husband = rng.uniform(seed, "couple_wife_gap", index), rng.uniform(seed, "couple_husband_gap", index)
    spouse_gap = pop.age_gaps["father_above_mother"]
    mother, father = _couple(pop.age_gaps["mother_above_oldest_child"], spouse_gap, u_wife, u_husband)
    grandmother, grandfather = _couple(pop.age_gaps["grandparent_above_oldest_child"], spouse_gap, u_wife, u_husband)
    for s in range(PARENT_SLOTS):
        rel = relation[:, s]
        relative_age = np.maximum(
            years_gap("other_relative_age", "relative_age", s), oldest_days + 15 * DAYS_PER_YEAR
        )
        a = np.select(
            [rel == REL_CODE["mother"], rel == REL_CODE["father"], rel == REL_CODE["grandmother"],
             rel == REL_CODE["other_relative"]],
            [oldest_days + mother, oldest_days + father, oldest_days + grandmother, np.floor(relative_age)],
            default=oldest_days + grandfather,
        )
        age_days[:, s] = np.where(rel != NO_PERSON, a, 0)

    # A grandparent living with a parent household, older than the main caregiver.
    co_share = np.array([h.co_resident_grandparent for h in pop.household_types])[htype]
    three_generations = rng.uniform(seed, "three_generations", index) < co_share
    grandma = rng.uniform(seed, "co_resident_grandmother", index) < pop.co_resident_grandmother_share
    relation[:, GRANDPARENT_SLOT] = np.where(
        three_generations, np.where(grandma, REL_CODE["grandmother"], REL_CODE["grandfather"]), NO_PERSON
    )
    g = pop.age_gaps["grandparent_above_parent"]
    top = np.minimum(g.max, pop.co_resident_grandparent_max_age + 1 - age_days[:, 0] / DAYS_PER_YEAR)
    u = rng.uniform(seed, "grandparent_above_parent", index, GRANDPARENT_SLOT)
    above_parent = np.minimum(np.ceil((g.min + u * (top - g.min)) * DAYS_PER_YEAR), np.floor(top * DAYS_PER_YEAR))
    age_days[:, GRANDPARENT_SLOT] = np.where(three_generations, age_days[:, 0] + above_parent, 0)

    # An unborn baby: only where a mother of child-bearing age lives in the household,
    # conceived (270 - days to due) at least the declared interval after her youngest
    # child's birth. The due date is drawn among those the interval allows.
    mother_slot_age = np.where(relation[:, 0] == REL_CODE["mother"], np.floor(age_days[:, 0] / DAYS_PER_YEAR), -1)
    limits = pop.pregnancy_mother_age
    interval = np.ceil(pop.min_months_birth_to_conception * DAYS_PER_MONTH)
    first_due = np.maximum(1, 270 + interval - youngest_days + 1)
    can_expect = (mother_slot_age >= limits.min) & (mother_slot_age <= limits.max) & (first_due <= 270)
    expecting = can_expect & (rng.uniform(seed, "pregnancy", index) < pop.pregnancy_probability)
    first_due = np.where(expecting, first_due, 1)
    days_to_due = first_due + np.floor(rng.uniform(seed, "due_in_days_after_interval", index) * (271 - first_due))
    relation[expecting, UNBORN_SLOT] = REL_CODE["unborn"]
    age_days[:, UNBORN_SLOT] = np.where(expecting, -days_to_due, 0)
    # Ultrasound shows the sex from about the declared week (gestation = 280 - days to due).
    sex_known = np.ones((n, SLOTS), dtype=bool)
    sex_known[:, UNBORN_SLOT] = ~expecting | (280 - days_to_due >= 7 * pop.unborn_sex_known_from_week)

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
        sex_known=sex_known,
        three_generations=three_generations,
    )


def _couple(wife_range, spouse_gap, u_wife: np.ndarray, u_husband: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Whole days a wife and her husband are older than the oldest child, drawn together.

    The wife's gap is uniform in ``wife_range`` (raised so a husband can still be found);
    the husband's gap above her is uniform within ``spouse_gap`` among the values that
    keep him at least ``wife_range.min`` above the oldest child as well.
    """
    wife_low = max(wife_range.min, wife_range.min - spouse_gap.max)
    wife = wife_low + u_wife * (wife_range.max - wife_low)
    husband_low = np.maximum(spouse_gap.min, wife_range.min - wife)
    apart = husband_low + u_husband * (spouse_gap.max - husband_low)
    wife_days = np.ceil(wife * DAYS_PER_YEAR)
    apart_days = np.clip(np.round(apart * DAYS_PER_YEAR), np.ceil(spouse_gap.min * DAYS_PER_YEAR),
                         np.floor(spouse_gap.max * DAYS_PER_YEAR))
    apart_days = np.maximum(apart_days, np.ceil(wife_range.min * DAYS_PER_YEAR) - wife_days)
    apart_days = np.minimum(apart_days, np.floor(spouse_gap.max * DAYS_PER_YEAR))
    return wife_days, wife_days + apart_days
