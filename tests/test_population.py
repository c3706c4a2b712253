import filecmp

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import simulator
from simulator.export import write_population
from simulator.model.households import DAYS_PER_YEAR
from simulator.model.population import PETAL_COLUMNS, SimulationError, family_id_of, simulate_family
from tests.golden_data import GOLDEN_DIR, write_golden

SEV = {"green": 1, "yellow": 2, "red": 3}
LEVEL = {0: "none", 1: "routine", 2: "complex", 3: "emergency"}


def test_same_seed_gives_byte_identical_csv(tmp_path):
    write_population(simulator.simulate(400, seed=3), tmp_path / "a")
    write_population(simulator.simulate(400, seed=3), tmp_path / "b")
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert len(names) == 6
    match, mismatch, errors = filecmp.cmpfiles(tmp_path / "a", tmp_path / "b", names, shallow=False)
    assert mismatch == [] and errors == []


def test_another_seed_gives_different_data():
    a, b = simulator.simulate(200, seed=1), simulator.simulate(200, seed=2)
    assert not a.people[["first_name", "age_years"]].equals(b.people[["first_name", "age_years"]])
    assert not a.households["district"].equals(b.households["district"])


def test_golden_dataset_is_unchanged(tmp_path):
    write_golden(tmp_path)
    assert len(list(GOLDEN_DIR.iterdir())) == 10
    for golden in sorted(GOLDEN_DIR.iterdir()):
        produced = (tmp_path / golden.name).read_text(encoding="utf-8")
        assert produced == golden.read_text(encoding="utf-8"), (
            f"{golden.name} changed: if deliberate, run `python tests/golden_data.py` and commit"
        )


def _family_rows(pop, fid):
    fam = pop.family(fid)
    return {name: df.reset_index(drop=True) for name, df in fam.tables().items()}


@pytest.mark.parametrize("fid", ["HH0000001", "HH0000137", "HH0000500"])
def test_family_regenerated_alone_equals_full_run(fid):
    full = simulator.simulate(500, seed=9)
    alone = simulate_family(fid, seed=9)
    assert len(alone) == 1
    for name, df in _family_rows(full, fid).items():
        other = getattr(alone, name).reset_index(drop=True)
        pd.testing.assert_frame_equal(
            df.astype(str), other.astype(str), check_dtype=False, check_categorical=False, obj=name
        )


def test_adding_families_keeps_earlier_ones():
    small, big = simulator.simulate(100, seed=4), simulator.simulate(250, seed=4)
    pd.testing.assert_frame_equal(
        small.people.astype(str), big.people[big.people.family_id <= "HH0000100"].astype(str).reset_index(drop=True)
    )


def test_ids_are_opaque_and_never_look_like_thai_national_ids(pop_small):
    ids = pd.concat([pop_small.households.family_id, pop_small.people.person_id])
    assert ids.str.match(r"^HH\d{7}(-\d{2})?$").all()
    assert not ids.str.replace("-", "").str.fullmatch(r"\d{13}").any()
    assert pop_small.people.person_id.is_unique


def test_every_child_has_a_caregiver_and_ages_fit_relations(pop_small):
    people = pop_small.people
    assert set(people.family_id) == set(pop_small.households.family_id)
    caregivers = people[people.role == "caregiver"]
    assert set(caregivers.family_id) == set(pop_small.households.family_id)
    born = people[people.relation == "child"]
    assert born.age_years.between(0, 17).all()
    oldest = born.groupby("family_id").age_years.max()
    for relation, gap in [("mother", 15), ("father", 15), ("grandmother", 30), ("grandfather", 30)]:
        rows = caregivers[caregivers.relation == relation]
        assert (rows.age_years.to_numpy() >= oldest.loc[rows.family_id].to_numpy() + gap).all(), relation
    assert (caregivers.age_years >= 15).all()


def test_unborn_children_have_a_due_date_and_a_mother(pop_small):
    unborn = pop_small.people[pop_small.people.relation == "unborn"]
    assert len(unborn) > 0
    assert unborn.birth_date.isna().all() and unborn.age_years.isna().all()
    ref = pop_small.reference_date
    assert ((unborn.due_date > ref) & (unborn.due_date <= ref + pd.Timedelta(days=280))).all()
    mothers = pop_small.people[pop_small.people.relation == "mother"].family_id
    assert unborn.family_id.isin(mothers).all()


def test_birth_dates_match_ages(pop_small):
    born = pop_small.people[pop_small.people.birth_date.notna()]
    days = (pop_small.reference_date - born.birth_date).dt.days
    assert (np.floor(days / DAYS_PER_YEAR).astype(int) == born.age_years.astype(int)).all()


def _check_petals_and_case_level(pop):
    catalogue = pop.config.catalogue.by_id()
    ind = pop.indicators
    worst = (
        ind.assign(sev=ind.severity.map(SEV).astype(int), petal=ind.subject.astype(str) + "_" + ind.dimension.astype(str))
        .groupby(["family_id", "petal"]).sev.max()
    )
    petals = pop.petals.set_index("family_id")
    expected = worst.unstack("petal").reindex(index=petals.index, columns=list(PETAL_COLUMNS)).fillna(1)
    for col in PETAL_COLUMNS:
        assert (petals[col].map(SEV).astype(int) == expected[col].astype(int)).all(), col
    top = worst.groupby("family_id").max().reindex(petals.index).fillna(0).astype(int)
    assert (petals.case_level.astype(str) == top.map(LEVEL)).all()
    assert (ind.severity.astype(str) == ind.indicator_id.astype(str).map(lambda i: catalogue[i].severity)).all()
    # Hard rule from the catalogue: abuse and enticement into crime are red.
    for must_be_red in ("sexual_abuse", "physical_abuse", "enticed_into_crime"):
        assert catalogue[must_be_red].severity == "red"


def test_petal_is_worst_severity_and_case_level_follows(pop_small):
    _check_petals_and_case_level(pop_small)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(families=st.integers(1, 60), seed=st.integers(0, 2**31))
def test_invariants_hold_for_any_seed_and_size(families, seed):
    pop = simulator.simulate(families, seed=seed)
    assert len(pop.households) == len(pop.petals) == families
    _check_petals_and_case_level(pop)
    ind = pop.indicators.merge(pop.people, on=["family_id", "person_id"])
    catalogue = pop.config.catalogue.by_id()
    ages_ok = [
        catalogue[i].age_min <= a <= catalogue[i].age_max for i, a in zip(ind.indicator_id.astype(str), ind.age_years)
    ]
    assert all(ages_ok)
    child_rows = ind[ind.subject == "child"]
    assert (child_rows.relation == "child").all()
    assert ind[ind.subject == "parent"].is_primary_caregiver.all()


def test_districts_filter_and_sandbox_flags():
    pop = simulator.simulate(300, seed=5, districts=["ลาดกระบัง", "Bang Na"])
    assert set(pop.households.district.astype(str)) == {"ลาดกระบัง", "บางนา"}
    assert pop.households.sandbox.all()
    full = simulator.simulate(3000, seed=5)
    sandbox = full.households[full.households.sandbox].district.astype(str).unique()
    assert len(sandbox) == 9 and "ลาดกระบัง" in sandbox
    assert full.households.district.nunique() == 50
    per_district = full.households.groupby("district", observed=True).community.nunique()
    assert (per_district >= 3).all()


@pytest.mark.parametrize("bad", [0, -5, 2.5, "ten", True])
def test_bad_family_counts_are_refused(bad):
    with pytest.raises(SimulationError):
        simulator.simulate(bad)


def test_bad_seed_and_id_are_refused():
    with pytest.raises(SimulationError):
        simulator.simulate(5, seed=-1)
    with pytest.raises(SimulationError, match="HH0000001"):
        simulate_family("1234567890123")


def test_family_id_format():
    assert family_id_of(np.array([0, 41])).to_pylist() == ["HH0000001", "HH0000042"]
