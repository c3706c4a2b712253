"""Threat indicators, what volunteers and providers know of them, and the true petals.

One pass per catalogue indicator, vectorised over all families:

* **truth** — an indicator is present when the subject is eligible (age, sex, household
  type, caregiver relation) and its family's uniform falls below the prevalence,
  multiplied by the risk ratio of every driver present in the same household;
* **volunteer** — sees a present indicator unless it is missed (``volunteer_miss_rate``),
  and reports an absent one as a false alarm at ``volunteer_false_alarm_rate``;
* **providers** — the provider of the indicator's dimension records it only if it
  serves the household (``provider_coverage``) and did not miss it (``provider_miss_rate``).

The false alarm reuses the presence uniform's upper tail, scaled so that its rate
among eligible absent subjects is exactly the configured one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulator.model import rng
from simulator.model.config import DIMENSIONS, SEVERITIES, Indicator, KitConfig, Needs
from simulator.model.households import CAREGIVER_SLOTS, DAYS_PER_YEAR, MAX_CHILDREN, REL_CODE, HouseholdArrays

SEVERITY_RANK = {s: i + 1 for i, s in enumerate(SEVERITIES)}  # green 1, yellow 2, red 3
MAX_EFFECTIVE_PREVALENCE = 0.95
PETAL_COLUMNS = tuple(f"{subject}_{dim}" for subject in ("child", "parent") for dim in DIMENSIONS)
PRIMARY_SLOT = 0
PARENT_MIN_AGE = 15  # nobody's problem as a parent starts before this age


def onset_min_age_days(ind: Indicator, age_days: np.ndarray, cfg: KitConfig) -> np.ndarray:
    """The youngest age (in days) at which a person now ``age_days`` old could have got ``ind``.

    The indicator's age_min holds at onset, a parent's problem starts at 15 at the
    earliest, and a child with an implication's indicator at or above its age (e.g. a
    pregnant girl of 15 or more) got it at or above that age.
    """
    years = np.full(np.shape(age_days), float(ind.age_min))
    if ind.subject == "parent":
        years = np.maximum(years, PARENT_MIN_AGE)
    for imp in cfg.catalogue.implies:
        if imp.indicator == ind.id:
            years = np.where(age_days >= imp.below_age * DAYS_PER_YEAR, np.maximum(years, imp.below_age), years)
    return np.ceil(years * DAYS_PER_YEAR)


def noticer_weights(cfg: KitConfig, source_names: list[str], subject: str, dimension: str,
                    child_age: np.ndarray) -> np.ndarray:
    """(rows, sources) weight with which each source notices a problem first.

    ``child_age`` is the age in whole years of the child concerned on the day (the child
    with the problem, or a parent's oldest child; negative when there is none yet).
    """
    child_age = np.asarray(child_age)
    weights = np.zeros((len(child_age), len(source_names)))
    for rule in cfg.journeys.noticed_by:
        if rule.fits(subject, dimension):
            fits = (child_age >= rule.min_child_age) if rule.min_child_age else True
            weights[:, source_names.index(rule.source)] += np.where(fits, rule.weight, 0)
    return weights


class HouseholdFacts:
    """What notes and strengths may presume of a household, on any day before the reference date."""

    def __init__(self, hh: HouseholdArrays) -> None:
        self.relation = hh.relation
        kids = slice(CAREGIVER_SLOTS, CAREGIVER_SLOTS + MAX_CHILDREN)
        self.age_days = hh.age_days[:, kids]
        self.is_child = hh.relation[:, kids] == REL_CODE["child"]
        self._lives_here: dict[str, np.ndarray] = {}
        self._ages_now: np.ndarray | None = None
        self._now: dict[tuple, np.ndarray] = {}  # per-family checks at the reference date

    def _at_reference(self, needs: Needs) -> np.ndarray:
        """(families,) whether each household meets the age and number parts of ``needs`` today."""
        key = (needs.children, needs.min_children, needs.min_child_age, needs.max_child_age)
        if key not in self._now:
            if self._ages_now is None:
                self._ages_now = np.where(self.is_child, np.floor(self.age_days / DAYS_PER_YEAR), -1)
            self._now[key] = self._ages_fit(needs, self._ages_now, None)
        return self._now[key]

    def lives_here(self, relation: str) -> np.ndarray:
        if relation not in self._lives_here:
            self._lives_here[relation] = (self.relation == REL_CODE[relation]).any(axis=1)
        return self._lives_here[relation]

    def child_ages(self, fam: np.ndarray, days_before: np.ndarray) -> np.ndarray:
        """(rows, MAX_CHILDREN) age in whole years of each child slot on the day, -1 where none was born yet."""
        days = self.age_days[fam] - np.asarray(days_before)[:, None]
        return np.where(self.is_child[fam] & (days >= 0), np.floor(days / DAYS_PER_YEAR), -1)

    def fits(self, needs: Needs, fam: np.ndarray, days_before: np.ndarray | None = None,
             slot: np.ndarray | None = None, ages: np.ndarray | None = None) -> np.ndarray:
        """Whether each row's household (and child in ``slot``, if given) meets ``needs``.

        ``days_before``: the day of each row (None: the reference date); ``ages``: the
        rows' ``child_ages`` on the day, when already at hand.
        """
        ok = np.ones(len(fam), dtype=bool)
        if needs.is_empty():
            return ok
        for r in needs.relations:
            ok &= self.lives_here(r)[fam]
        for r in needs.absent:
            ok &= ~self.lives_here(r)[fam]
        if needs.caregiver:
            ok &= np.isin(self.relation[fam, PRIMARY_SLOT], [REL_CODE[r] for r in needs.caregiver])
        if not needs.needs_ages():
            return ok
        if days_before is None and slot is None:
            return ok & self._at_reference(needs)[fam]
        if ages is None:
            ages = self.child_ages(fam, days_before)
        if needs.children is not None:
            # The note is read today: the number of children it states must still be true.
            ok &= self.is_child[fam].sum(axis=1) == needs.children
        return ok & self._ages_fit(needs, ages, slot)

    @staticmethod
    def _ages_fit(needs: Needs, ages: np.ndarray, slot: np.ndarray | None) -> np.ndarray:
        ok = np.ones(len(ages), dtype=bool)
        count = (ages >= 0).sum(axis=1)
        if needs.children is not None:
            ok &= count == needs.children
        if needs.min_children is not None:
            ok &= count >= needs.min_children
        lo = -0.5 if needs.min_child_age is None else needs.min_child_age
        hi = 99 if needs.max_child_age is None else needs.max_child_age
        if (lo, hi) != (-0.5, 99):
            if slot is None:
                ok &= ((ages >= lo) & (ages <= hi)).any(axis=1)
            else:
                own = ages[np.arange(len(ages)), np.asarray(slot) - CAREGIVER_SLOTS]
                ok &= (own >= lo) & (own <= hi)
        return ok


def _pick_fitting(u: np.ndarray, fit: list[np.ndarray], framings: int) -> np.ndarray:
    """Note x framing combination drawn uniformly among the notes that fit each row (one mask per note).

    Where every note fits, this is exactly ``floor(u * notes * framings)``.
    """
    count = np.zeros(len(u), dtype=np.int64)
    for column in fit:
        count += column
    k = np.floor(u * count * framings).astype(np.int64)
    rank, framing = k // framings, k % framings
    note = np.full(len(u), -1, dtype=np.int64)
    seen = np.zeros(len(u), dtype=np.int64)
    for j, column in enumerate(fit):
        seen += column
        note[(note < 0) & (seen > rank)] = j
    return note * framings + framing


@dataclass
class RowBlock:
    """Columns of rows gathered for one table, concatenated at the end."""

    columns: dict[str, list[np.ndarray]]

    @classmethod
    def empty(cls, *names: str) -> "RowBlock":
        return cls({name: [] for name in names})

    def add(self, **cols: np.ndarray) -> None:
        for name, values in cols.items():
            self.columns[name].append(values)

    def concat(self) -> dict[str, np.ndarray]:
        return {
            name: (np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64))
            for name, parts in self.columns.items()
        }


@dataclass
class ThreatArrays:
    indicators: dict[str, np.ndarray]  # family, slot, indicator
    observations: dict[str, np.ndarray]  # family, slot, indicator, source, days_before, note, is_true
    strengths: dict[str, np.ndarray]  # family, strength, note
    petals: np.ndarray  # (n, 8) severity rank, 0 when no indicator
    served: np.ndarray  # (n, 4) whether each dimension's provider serves the family
    source_names: list[str]
    note_categories: list[str]
    strength_note_categories: list[str]


def _note_table(cfg: KitConfig) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Every (indicator, source, note, framing) wording, with per-(indicator, source) offsets."""
    sources = list(cfg.population.sources.values())
    categories: list[str] = []
    offset = np.zeros((len(cfg.catalogue.indicators), len(sources)), dtype=np.int64)
    size = np.zeros_like(offset)
    for i, ind in enumerate(cfg.catalogue.indicators):
        for s, src in enumerate(sources):
            offset[i, s] = len(categories)
            for note in ind.notes_th:
                for framing in src.framings:
                    categories.append(framing.replace("{note}", note.text))
            size[i, s] = len(categories) - offset[i, s]
    return categories, offset, size


def draw_threats(cfg: KitConfig, hh: HouseholdArrays, seed: int) -> ThreatArrays:
    pop = cfg.population
    cat = cfg.catalogue
    index = hh.index
    n = len(index)
    source_names = list(pop.sources)
    volunteer = source_names.index("volunteer")
    dim_source = {src.dimension: source_names.index(name) for name, src in pop.sources.items() if src.dimension}
    note_categories, note_offset, note_size = _note_table(cfg)

    served = np.zeros((n, len(DIMENSIONS)), dtype=bool)
    for d, dim in enumerate(DIMENSIONS):
        served[:, d] = rng.uniform(seed, f"served:{dim}", index) < pop.provider_coverage[dim]

    type_ids = [h.id for h in pop.household_types]
    ages = hh.age_years
    child_slots = np.arange(CAREGIVER_SLOTS, CAREGIVER_SLOTS + MAX_CHILDREN)
    is_child = hh.relation[:, child_slots] == REL_CODE["child"]
    child_age = ages[:, child_slots]
    child_female = hh.female[:, child_slots]
    primary_age = ages[:, PRIMARY_SLOT]
    primary_female = hh.female[:, PRIMARY_SLOT]
    primary_relation = hh.relation[:, PRIMARY_SLOT]
    facts = HouseholdFacts(hh)
    everyone = np.arange(n)

    petals = np.zeros((n, 2 * len(DIMENSIONS)), dtype=np.int8)
    risk = {ind.id: np.ones(n) for ind in cat.indicators if ind.subject == "child"}
    drivers: dict[str, list[tuple[str, float]]] = {}
    for dep in cat.dependencies:
        drivers.setdefault(dep.driver, []).append((dep.target, dep.risk_ratio))

    ind_rows = RowBlock.empty("family", "slot", "indicator")
    obs_rows = RowBlock.empty("family", "slot", "indicator", "source", "days_before", "note", "is_true")

    # Sources some noticer rule limits by a child's age, and indicators whose notes need ages.
    limited_source = [name != "volunteer" and any(r.source == name and r.min_child_age > 0
                                                  for r in cfg.journeys.noticed_by) for name in source_names]
    ages_matter = [any(n.needs.needs_ages() for n in ind.notes_th) for ind in cat.indicators]
    notes_free = [all(n.needs.is_empty() for n in ind.notes_th) for ind in cat.indicators]
    vol_days = pop.volunteer_visit_days_before
    prov_days = pop.provider_record_days_before
    # Parents first: their indicators raise the risk of their children's.
    order = [i for i, ind in enumerate(cat.indicators) if ind.subject == "parent"]
    children_first = [i for i, ind in enumerate(cat.indicators) if ind.subject == "child"]
    ids = [ind.id for ind in cat.indicators]
    # An implication's indicator is drawn before the one it implies (they cannot chain).
    for imp in cat.implies:
        children_first.remove(ids.index(imp.also))
        children_first.insert(children_first.index(ids.index(imp.indicator)) + 1, ids.index(imp.also))
    order += children_first
    implied = {imp.also: np.zeros((n, MAX_CHILDREN), dtype=bool) for imp in cat.implies}
    for i in order:
        ind = cat.indicators[i]
        d = DIMENSIONS.index(ind.dimension)
        if ind.subject == "parent":
            slots = np.array([PRIMARY_SLOT])
            eligible = (primary_age >= ind.age_min) & (primary_age <= ind.age_max)
            if ind.sex != "any":
                eligible &= primary_female == (ind.sex == "female")
            if ind.caregiver_relations:
                eligible &= np.isin(primary_relation, [REL_CODE[r] for r in ind.caregiver_relations])
            eligible = eligible[:, None]
            p_eff = np.full((n, 1), ind.prevalence)
        else:
            slots = child_slots
            eligible = is_child & (child_age >= ind.age_min) & (child_age <= ind.age_max)
            if ind.sex != "any":
                eligible &= child_female == (ind.sex == "female")
            p_eff = np.minimum(ind.prevalence * risk[ind.id], MAX_EFFECTIVE_PREVALENCE)[:, None]
        if ind.household_types:
            allowed = [type_ids.index(t) for t in ind.household_types]
            eligible &= np.isin(hh.household_type, allowed)[:, None]
        if not ind.needs.is_empty():
            eligible &= facts.fits(ind.needs, everyone)[:, None]

        u = rng.uniform(seed, f"indicator:{ind.id}", index[:, None], slots[None, :])
        present = eligible & (u < p_eff)
        if ind.id in implied:
            present |= implied[ind.id] & is_child
        for imp in cat.implies:
            if imp.indicator == ind.id:
                implied[imp.also] |= present & (child_age < imp.below_age)
        fa_rate = ind.volunteer_false_alarm_rate
        if fa_rate is None:
            fa_rate = pop.volunteer_false_alarm_rate
        false_alarm = eligible & ~present & (u >= 1 - fa_rate * (1 - p_eff))

        any_present = present.any(axis=1)
        column = d if ind.subject == "child" else len(DIMENSIONS) + d
        petals[:, column] = np.maximum(petals[:, column], np.where(any_present, SEVERITY_RANK[ind.severity], 0))
        for target, ratio in drivers.get(ind.id, []):
            risk[target] = np.where(any_present, risk[target] * ratio, risk[target])

        fam, k = np.nonzero(present)
        slot = slots[k]
        code = np.full(len(fam), i, dtype=np.int16)
        ind_rows.add(family=fam, slot=slot, indicator=code)

        miss = ind.volunteer_miss_rate if ind.volunteer_miss_rate is not None else pop.volunteer_miss_rate
        fam_idx = index[fam]
        seen = rng.uniform(seed, f"volunteer_sees:{ind.id}", fam_idx, slot) >= miss
        prov_source = dim_source[ind.dimension]
        recorded = served[fam, d] & (rng.uniform(seed, f"provider_records:{ind.id}", fam_idx, slot) >= pop.provider_miss_rate)

        fa_fam, fa_k = np.nonzero(false_alarm)
        fa_slot = slots[fa_k]
        for source, f, s, is_true, span in (
            (volunteer, fam[seen], slot[seen], True, vol_days),
            (volunteer, fa_fam, fa_slot, False, vol_days),
            (prov_source, fam[recorded], slot[recorded], True, prov_days),
        ):
            if len(f) == 0:
                continue
            fi = index[f]
            days = np.floor(span.min + rng.uniform(seed, f"days:{source}:{ind.id}", fi, s) * (span.max - span.min + 1))
            # Nobody records a problem before the person was old enough to have it.
            age = hh.age_days[f, s]
            days = np.minimum(days, np.maximum(0, np.floor(age - onset_min_age_days(ind, age, cfg))))
            ages = facts.child_ages(f, days) if limited_source[source] or ages_matter[i] else None
            if limited_source[source]:
                # A provider records only what it could notice (a teacher needs a child in its care).
                concerned = (ages[np.arange(len(f)), s - CAREGIVER_SLOTS] if ind.subject == "child"
                             else ages.max(axis=1, initial=-1))
                keep = noticer_weights(cfg, source_names, ind.subject, ind.dimension, concerned)[:, source] > 0
                f, s, fi, days = f[keep], s[keep], fi[keep], days[keep]
                ages = ages[keep]
            framings = note_size[i, source] // len(ind.notes_th)
            u_note = rng.uniform(seed, f"note:{source}:{ind.id}", fi, s)
            if notes_free[i]:
                pick = np.floor(u_note * note_size[i, source]).astype(np.int64)
            else:
                fit = [facts.fits(note.needs, f, days, s if ind.subject == "child" else None, ages)
                       for note in ind.notes_th]
                pick = _pick_fitting(u_note, fit, framings)
            note = note_offset[i, source] + pick
            obs_rows.add(
                family=f,
                slot=s,
                indicator=np.full(len(f), i, dtype=np.int16),
                source=np.full(len(f), source, dtype=np.int8),
                days_before=days.astype(np.int32),
                note=note,
                is_true=np.full(len(f), is_true),
            )

    strength_rows = RowBlock.empty("family", "strength", "note")
    strength_notes: list[str] = []
    for j, st in enumerate(cat.strengths):
        first = len(strength_notes)
        strength_notes.extend(note.text for note in st.notes_th)
        has = np.nonzero(rng.uniform(seed, f"strength:{st.id}", index) < st.prevalence)[0]
        u_note = rng.uniform(seed, f"strength_note:{st.id}", index[has])
        if st.needs.is_empty() and all(note.needs.is_empty() for note in st.notes_th):
            note = first + np.floor(u_note * len(st.notes_th))
        else:
            keep = facts.fits(st.needs, has)
            has, u_note = has[keep], u_note[keep]
            fit = [facts.fits(n.needs, has) for n in st.notes_th]
            note = first + _pick_fitting(u_note, fit, 1)
        strength_rows.add(family=has, strength=np.full(len(has), j, dtype=np.int16), note=note.astype(np.int64))

    return ThreatArrays(
        indicators=ind_rows.concat(),
        observations=obs_rows.concat(),
        strengths=strength_rows.concat(),
        petals=petals,
        served=served,
        source_names=source_names,
        note_categories=note_categories,
        strength_note_categories=strength_notes,
    )


def case_level_codes(petals: np.ndarray) -> np.ndarray:
    """0 none, 1 routine, 2 complex, 3 emergency: the worst petal of the family."""
    return petals.max(axis=1)

