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
from simulator.model.config import DIMENSIONS, SEVERITIES, KitConfig
from simulator.model.households import CAREGIVER_SLOTS, MAX_CHILDREN, REL_CODE, HouseholdArrays

SEVERITY_RANK = {s: i + 1 for i, s in enumerate(SEVERITIES)}  # green 1, yellow 2, red 3
MAX_EFFECTIVE_PREVALENCE = 0.95
PETAL_COLUMNS = tuple(f"{subject}_{dim}" for subject in ("child", "parent") for dim in DIMENSIONS)
PRIMARY_SLOT = 0


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
                    categories.append(framing.replace("{note}", note))
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

    petals = np.zeros((n, 2 * len(DIMENSIONS)), dtype=np.int8)
    risk = {ind.id: np.ones(n) for ind in cat.indicators if ind.subject == "child"}
    drivers: dict[str, list[tuple[str, float]]] = {}
    for dep in cat.dependencies:
        drivers.setdefault(dep.driver, []).append((dep.target, dep.risk_ratio))

    ind_rows = RowBlock.empty("family", "slot", "indicator")
    obs_rows = RowBlock.empty("family", "slot", "indicator", "source", "days_before", "note", "is_true")

    vol_days = pop.volunteer_visit_days_before
    prov_days = pop.provider_record_days_before
    # Parents first: their indicators raise the risk of their children's.
    order = [i for i, ind in enumerate(cat.indicators) if ind.subject == "parent"]
    order += [i for i, ind in enumerate(cat.indicators) if ind.subject == "child"]
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

        u = rng.uniform(seed, f"indicator:{ind.id}", index[:, None], slots[None, :])
        present = eligible & (u < p_eff)
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
            note = note_offset[i, source] + np.floor(
                rng.uniform(seed, f"note:{source}:{ind.id}", fi, s) * note_size[i, source]
            ).astype(np.int64)
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
        strength_notes.extend(st.notes_th)
        has = np.nonzero(rng.uniform(seed, f"strength:{st.id}", index) < st.prevalence)[0]
        note = first + np.floor(rng.uniform(seed, f"strength_note:{st.id}", index[has]) * len(st.notes_th))
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

