"""Households and people that can exist, checked on 20,000 families at seed 11."""

import numpy as np
import pandas as pd

from simulator.exercises.views import members_table
from simulator.model.households import DAYS_PER_YEAR

DAYS_PER_MONTH = DAYS_PER_YEAR / 12


def _days_old(pop, people):
    return (pop.reference_date - people.birth_date).dt.days


def _by_family(people, relation):
    return people[people.relation == relation].set_index("family_id")


def test_couples_age_gap_and_mothers_age_follow_the_data_file(pop_20k):
    gaps = pop_20k.config.population.age_gaps
    people = pop_20k.people.assign(days=_days_old(pop_20k, pop_20k.people))
    couples = pop_20k.households.loc[pop_20k.households.household_type == "two_parents", "family_id"]
    mother = _by_family(people, "mother").days.reindex(couples)
    father = _by_family(people, "father").days.reindex(couples)
    assert mother.notna().all() and father.notna().all()
    years_apart = (father - mother) / DAYS_PER_YEAR
    declared = gaps["father_above_mother"]
    assert years_apart.between(declared.min, declared.max).all(), years_apart.describe()
    # The drawn gaps fill the range instead of piling up at a clamp.
    assert (years_apart < 0).mean() > 0.05 and (years_apart > 7).mean() > 0.1
    oldest = people[people.relation == "child"].groupby("family_id").days.max()
    above_child = gaps["mother_above_oldest_child"]
    for relation in ("mother", "father"):
        parent = _by_family(people, relation).days
        ahead = (parent - oldest.reindex(parent.index)) / DAYS_PER_YEAR
        assert (ahead >= above_child.min).all(), relation
    mother_ahead = (mother - oldest.reindex(couples)) / DAYS_PER_YEAR
    assert (mother_ahead <= above_child.max + 1 / DAYS_PER_YEAR).all()


def test_children_per_household_and_age_pyramid_as_declared(pop_20k):
    shares = pop_20k.config.population.children_count_shares
    realised = pop_20k.households.n_children.value_counts(normalize=True)
    for count, share in enumerate(shares, start=1):
        assert abs(realised.get(count, 0) - share) < 0.015, (count, realised.get(count, 0), share)
    ages = pop_20k.people.loc[pop_20k.people.relation == "child", "age_years"].astype(int)
    assert ages.between(0, 17).all()
    young, middle, teen = (ages <= 5).sum(), ages.between(6, 11).sum(), (ages >= 12).sum()
    # Not inverted: at least as many young children as teenagers (within 5%).
    assert young >= 0.95 * teen and middle >= 0.95 * teen, (young, middle, teen)


def test_three_generation_households_have_a_grandparent_but_a_parent_as_main_caregiver(pop_20k):
    cfg = pop_20k.config.population
    hh = pop_20k.households
    people = pop_20k.people.assign(days=_days_old(pop_20k, pop_20k.people))
    declared = {t.id: t.co_resident_grandparent for t in cfg.household_types}
    for htype, share in declared.items():
        rows = hh[hh.household_type == htype]
        assert abs(rows.three_generations.mean() - share) < 0.02, htype
    assert hh.three_generations.mean() > 0.1
    three = hh.loc[hh.three_generations, "family_id"]
    grand = people[people.relation.isin(["grandmother", "grandfather"])]
    co_resident = grand[grand.family_id.isin(three)]
    assert (co_resident.groupby("family_id").size().reindex(three) == 1).all()
    assert not co_resident.is_primary_caregiver.any()
    assert (co_resident.role == "caregiver").all()
    assert set(co_resident.relation) == {"grandmother", "grandfather"}
    primary = people[people.is_primary_caregiver].set_index("family_id")
    assert primary.loc[three, "relation"].isin(["mother", "father"]).all()
    ahead = (co_resident.set_index("family_id").days - primary.loc[co_resident.family_id, "days"]) / DAYS_PER_YEAR
    gap = cfg.age_gaps["grandparent_above_parent"]
    assert ahead.between(gap.min, gap.max + 1 / DAYS_PER_YEAR).all()
    assert (co_resident.age_years <= cfg.co_resident_grandparent_max_age).all()
    # Households without the flag keep the grandparents their type declares (none for parents).
    others = hh.loc[~hh.three_generations & (hh.household_type != "grandparents"), "family_id"]
    assert not grand.family_id.isin(others).any()


def test_no_pregnancy_too_soon_after_a_birth(pop_20k):
    cfg = pop_20k.config.population
    people = pop_20k.people
    unborn = people[people.relation == "unborn"].set_index("family_id")
    assert len(unborn) > 0.03 * len(pop_20k.households)
    days_to_due = (unborn.due_date - pop_20k.reference_date).dt.days
    youngest = people[people.relation == "child"].assign(days=_days_old(pop_20k, people)) \
        .groupby("family_id").days.min().reindex(unborn.index)
    interval = cfg.min_months_birth_to_conception * DAYS_PER_MONTH
    assert (youngest > (270 - days_to_due) + interval).all(), (youngest - (270 - days_to_due)).min()
    mother_age = _by_family(people, "mother").age_years.reindex(unborn.index).astype(float)
    limits = cfg.pregnancy_mother_age
    assert mother_age.between(limits.min, limits.max).all()


def test_sex_of_an_unborn_baby_is_unknown_early_in_pregnancy(pop_20k):
    weeks = pop_20k.config.population.unborn_sex_known_from_week
    people = pop_20k.people
    unborn = people[people.relation == "unborn"]
    gestation = 280 - (unborn.due_date - pop_20k.reference_date).dt.days
    early = gestation < 7 * weeks
    assert early.any() and (~early).any()
    assert (unborn.sex[early] == "unknown").all()
    assert unborn.sex[~early].isin(["male", "female"]).all()
    assert (people.sex[people.relation != "unborn"] != "unknown").all()
    # Nothing else about an unborn baby implies a sex: no title, no first name.
    assert (unborn.title_th == "").all() and unborn.first_name.isna().all()


def test_infants_ages_are_shown_in_months_or_weeks(pop_20k):
    people = pop_20k.people
    days = _days_old(pop_20k, people)
    infants = people[(people.relation == "child") & (days < 365)]
    assert len(infants) > 100
    for fid in infants.family_id.unique()[:40]:
        table = members_table(pop_20k, fid)
        fam = people[people.family_id == fid].set_index("person_id")
        for pid, label in zip(table["รหัส"], table["ชื่อ"]):
            row = fam.loc[pid]
            if row.relation == "unborn":
                continue
            d = (pop_20k.reference_date - row.birth_date).days
            if d >= 365.25:
                assert label.endswith(f"{int(row.age_years)} ปี)"), label
            elif d >= 31:
                assert label.endswith(f"{int(d // DAYS_PER_MONTH)} เดือน)"), label
            else:
                assert "ปี" not in label and "เดือน" not in label, label
