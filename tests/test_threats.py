"""Threat indicators, notes and strengths fit the household and the person (20,000 families, seed 11)."""

import re

import numpy as np
import pandas as pd
import pytest

# A kin word a note may use, and the household relations it speaks of.
KIN = {"แม่": "mother", "พ่อ": "father", "ยาย": "grandmother", "ย่า": "grandmother", "ปู่": "grandfather"}
NOT_KIN = ("แม่ค้า", "พ่อค้า", "แม่บ้าน", "อย่า", "ขยาย")
COUNTS = {"สอง": 2, "สาม": 3, "สี่": 4, "ห้า": 5}


def _notes_by_text(cfg):
    """Framed note text -> the catalogue note it was made from, per (kind, item id)."""
    out = {}
    for ind in cfg.catalogue.indicators:
        for note in ind.notes_th:
            text = getattr(note, "text", note)
            for src in cfg.population.sources.values():
                for framing in src.framings:
                    out[("indicator", ind.id, framing.replace("{note}", text))] = note
    for st in cfg.catalogue.strengths:
        for note in st.notes_th:
            out[("strength", st.id, getattr(note, "text", note))] = note
    return out


@pytest.fixture(scope="module")
def households(pop_20k):
    people = pop_20k.people
    born = people[people.relation == "child"]
    facts = pd.DataFrame({
        "relations": people.groupby("family_id", observed=True).relation.agg(lambda r: set(r.astype(str))),
        "children": born.groupby("family_id", observed=True).size(),
        "oldest": born.groupby("family_id", observed=True).age_years.max(),
    })
    facts["children"] = facts["children"].fillna(0).astype(int)
    facts["oldest"] = facts["oldest"].fillna(-1)
    primary = people[people.is_primary_caregiver].set_index("family_id").relation.astype(str)
    facts["caregiver"] = primary
    return facts


def _check_note(text, needs, fam, person_age, kids_ages, facts):
    """Problems with one note shown for one household (and person), as readable strings."""
    wrong = []
    plain = text
    for word in NOT_KIN:
        plain = plain.replace(word, " ")
    absent = set(getattr(needs, "absent", ()) or ())
    for word, relation in KIN.items():
        if word in plain and relation not in absent and relation not in facts.relations:
            wrong.append(f"{word!r} without a {relation}")
    for word, relation in KIN.items():
        if relation in absent and relation in facts.relations:
            wrong.append(f"{relation} said to be away but lives here")
    for word, number in COUNTS.items():
        if re.search(f"(ลูก|หลาน){word}คน", text) and facts.children != number:
            wrong.append(f"{word} children in a home of {facts.children}")
    if re.search(r"ลูก\s*ๆ|ลูกคนโต", text) and facts.children < 2:
        wrong.append("several children in a one-child home")
    if needs is not None and not isinstance(needs, str):
        lo = -1 if needs.min_child_age is None else needs.min_child_age
        hi = 99 if needs.max_child_age is None else needs.max_child_age
        ages = [person_age] if person_age is not None else kids_ages
        if (lo, hi) != (-1, 99) and not any(lo <= a <= hi for a in ages):
            wrong.append(f"needs a child aged {lo}-{hi}, has {ages}")
        if needs.caregiver and facts.caregiver not in needs.caregiver:
            wrong.append(f"needs caregiver {needs.caregiver}, has {facts.caregiver}")
        for r in needs.relations:
            if r not in facts.relations:
                wrong.append(f"needs a {r}")
    return wrong


def test_teen_pregnancy_under_15_is_also_sexual_abuse_and_red(pop_20k):
    cfg = pop_20k.config
    threshold = 15  # Thai criminal law: sex with a girl under 15 is an offence, whatever she says
    ind, people = pop_20k.indicators, pop_20k.people.set_index("person_id")
    pregnant = ind[ind.indicator_id == "teen_pregnancy"]
    young = pregnant[people.loc[pregnant.person_id, "age_years"].to_numpy() < threshold]
    assert len(young) >= 10
    abused = set(ind[ind.indicator_id == "sexual_abuse"].person_id)
    assert set(young.person_id) <= abused
    petals = pop_20k.petals.set_index("family_id").loc[young.family_id]
    assert (petals.child_social.astype(str) == "red").all()
    assert (petals.case_level.astype(str) == "emergency").all()
    assert {"sexual_abuse"} <= set(cfg.journeys.consent.legal_indicators)
    implies = {imp.indicator: imp for imp in cfg.catalogue.implies}
    assert implies["teen_pregnancy"].below_age == threshold and implies["teen_pregnancy"].also == "sexual_abuse"


def test_observation_notes_fit_the_household_and_person(pop_20k, households):
    cfg = pop_20k.config
    notes = _notes_by_text(cfg)
    obs = pop_20k.observations
    people = pop_20k.people.set_index("person_id")
    ref = pd.Timestamp(cfg.population.reference_date)
    kids = pop_20k.people[pop_20k.people.relation == "child"]
    kids_birth = kids.groupby("family_id", observed=True).birth_date.agg(list)
    wrong = []
    for row in obs.itertuples(index=False):
        note = notes[("indicator", str(row.indicator_id), str(row.note_th))]
        facts = households.loc[row.family_id]
        years = lambda birth: int((row.observed_on - birth).days // 365.25)  # noqa: E731
        person_age = years(people.at[row.person_id, "birth_date"]) if row.subject == "child" else None
        kids_ages = [years(b) for b in kids_birth.get(row.family_id, []) if b <= row.observed_on]
        for problem in _check_note(getattr(note, "text", note), getattr(note, "needs", None), row.family_id,
                                   person_age, kids_ages, facts):
            wrong.append(f"{row.family_id} {row.indicator_id}: {problem}: {row.note_th}")
    assert not wrong, f"{len(wrong)} notes do not fit, e.g. " + "; ".join(wrong[:5])
    assert ref >= obs.observed_on.max()


def test_strengths_and_their_notes_fit_the_household(pop_20k, households):
    cfg = pop_20k.config
    notes = _notes_by_text(cfg)
    kids = pop_20k.people[pop_20k.people.relation == "child"]
    kids_ages = kids.groupby("family_id", observed=True).age_years.agg(lambda a: [int(x) for x in a])
    wrong = []
    for row in pop_20k.strengths.itertuples(index=False):
        facts = households.loc[row.family_id]
        ages = kids_ages.get(row.family_id, [])
        note = notes[("strength", str(row.strength_id), str(row.note_th))]
        problems = _check_note(getattr(note, "text", note), getattr(note, "needs", None), row.family_id, None,
                               ages, facts)
        # A strength about school needs a school-age child; the early-childhood centre a child of 2-5.
        if row.strength_id == "teacher_follow_up" and not any(a >= 6 for a in ages):
            problems.append("teacher follows up without a school-age child")
        if row.strength_id == "ecd_centre_attendance" and not any(2 <= a <= 5 for a in ages):
            problems.append("early-childhood centre without a child of 2-5")
        wrong += [f"{row.family_id} {row.strength_id}: {p}" for p in problems]
    assert not wrong, f"{len(wrong)} strengths do not fit, e.g. " + "; ".join(wrong[:5])


def test_a_parent_relying_on_a_childs_earnings_has_a_child_old_enough(pop_20k, households):
    fams = pop_20k.indicators[pop_20k.indicators.indicator_id == "relies_on_child_earnings"].family_id
    assert len(fams) > 20
    assert (households.loc[fams, "oldest"] >= 10).all()


def test_providers_record_only_what_they_could_notice(pop_20k, households):
    obs = pop_20k.observations
    teacher_on_parent = obs[(obs.source == "teacher") & (obs.subject == "parent")]
    assert len(teacher_on_parent) > 100
    kids = pop_20k.people[pop_20k.people.relation == "child"].groupby("family_id", observed=True).birth_date.min()
    oldest_then = (teacher_on_parent.observed_on.to_numpy() - kids.reindex(teacher_on_parent.family_id).to_numpy())
    assert (oldest_then / np.timedelta64(1, "D") / 365.25 >= 3).all()
    assert set(teacher_on_parent.dimension.astype(str)) <= {"social", "education"}
    # A rule without an age limit needs no child at all: a nurse records a parent's illness before any birth.
    nurse = obs[(obs.source == "nurse") & (obs.subject == "parent")]
    first_birth = kids.reindex(nurse.family_id).to_numpy()
    assert (nurse.observed_on.to_numpy() < first_birth).sum() > 0


def test_no_single_caregiver_without_support_where_a_grandparent_lives(pop_20k):
    ind = pop_20k.indicators
    alone = set(ind.loc[ind.indicator_id == "single_caregiver_unsupported", "family_id"])
    assert len(alone) > 50, "the indicator still occurs"
    people = pop_20k.people
    with_grandparent = set(people.loc[people.relation.isin(["grandmother", "grandfather"]), "family_id"])
    assert not alone & with_grandparent
