"""Activity 8: a platform family as the journey model's one-family population (simulator/platform/own_case.py).

Entered families are ``tests/platform_fixture.py``'s (every record countable by hand): two
children each, born 1 Mar 2016 and 15 Jul 202x; records of 1-3 Jun 2025. Synthetic families
come from the practice workshop (``practice_workshop.yaml``), seeded in a temporary folder.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from simulator.exercises.notify import (
    case_dimensions,
    notify_scenarios,
    scenario_summary,
    what_they_could_not_see,
)
from simulator.model.config import ConfigError
from simulator.platform import service as sv
from simulator.platform.access import AccessDenied, ServiceError, families
from simulator.platform.own_case import (
    case_seed,
    community_view,
    load_own_case_settings,
    own_case,
    own_cases,
    problem_dimensions,
    worked_example,
)
from simulator.platform.practice import open_practice, places
from simulator.platform.settings import load_platform_settings
from tests.data_files import edit_yaml
from tests.platform_fixture import build_world, code, user_key

RIMKLONG_BN = user_key("volunteer", "บางนา", "ชุมชนริมคลอง")
TUNGNA_LK = user_key("volunteer", "ลาดกระบัง", "ชุมชนทุ่งนา")


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    return build_world(f"sqlite:///{tmp_path_factory.mktemp('own') / 'p.db'}")


@pytest.fixture(scope="module")
def room(tmp_path_factory):
    """The practice workshop, and a volunteer of its first community."""
    platform = open_practice(tmp_path_factory.mktemp("room") / "room")
    district = next(iter(places(platform)))
    community = places(platform)[district][0]
    user = sv.register(platform, "สมศรี ใจดี", "0812345678", "volunteer", district, community, "2569")
    return platform, user


def test_an_entered_familys_records_become_its_people_problems_and_calendar(world):
    volunteer = world.users[RIMKLONG_BN]
    pop, case_id = own_case(volunteer, code(1))
    assert case_id == "JC0000001" and pop.seed == 1 == case_seed("HH0000001")
    assert case_dimensions(pop, case_id) == ("education", "health")
    # developmental_delay (0-6 years) is the younger child's (born 15 Jul 2021); no_income the caregiver's.
    owner = dict(zip(pop.indicators["indicator_id"].astype(str), pop.indicators["person_id"]))
    assert owner == {"no_income": "HH0000001-01", "developmental_delay": "HH0000001-03"}
    people = pop.people.set_index("person_id")
    assert people.loc["HH0000001-01", "relation"] == "mother"  # two_parents
    assert people.loc["HH0000001-03", "sex"] == "male" and people.loc["HH0000001-02", "sex"] == "female"
    # The latest record (2 Jun 2025) must leave 365 days before 31 Dec 2025: everything moves back
    # by 153 days (2 Jun 2025 -> 31 Dec 2024), births too.
    assert pop.observations["observed_on"].tolist() == [pd.Timestamp("2024-12-30"), pd.Timestamp("2024-12-31")]
    assert people.loc["HH0000001-02", "birth_date"] == pd.Timestamp("2016-03-01") - pd.Timedelta(days=153)
    # The caregiver is 25 years older than the oldest child (25 * 365.25 days, rounded up).
    assert (people.loc["HH0000001-02", "birth_date"] - people.loc["HH0000001-01", "birth_date"]).days == 9132
    assert pop.observations["source"].astype(str).tolist() == ["volunteer", "volunteer"]
    assert pop.observations["is_true"].all()
    hh = pop.households.iloc[0]
    assert (hh["district"], hh["community"], hh["household_type"], hh["case_level"]) == \
        ("บางนา", "ชุมชนริมคลอง", "two_parents", "complex")
    assert hh["district_code"] == "1047" and hh["district_en"] == "Bang Na"


def test_the_scenarios_run_unchanged_and_see_what_the_records_show(world):
    volunteer = world.users[TUNGNA_LK]
    pop, case_id = own_case(volunteer, code(7))  # child social (neglect), parent health (depression)
    runs = notify_scenarios(pop, case_id)
    assert list(runs) == ["all", "no_social", "no_health"]
    summary = scenario_summary(runs)
    assert summary["problems"].tolist() == [2, 2, 2]
    assert summary.loc[summary["scenario"] == "no_social", "dimensions_with_goals"].item() == "health"
    unseen = what_they_could_not_see(pop, case_id)
    # The health provider alone does not see the child's neglect the volunteer recorded, and vice versa.
    assert set(unseen.loc[unseen["dimension"] == "health", "indicator_id"]) == {"neglect"}
    assert set(unseen.loc[unseen["dimension"] == "social", "indicator_id"]) == {"parent_depression"}


def test_an_observation_added_in_activity_5_changes_the_scenarios(tmp_path):
    w = build_world(f"sqlite:///{tmp_path / 'p.db'}")
    volunteer = w.users[user_key("volunteer", "บางนา", "ชุมชนหลังวัด")]
    before = notify_scenarios(*own_case(volunteer, code(3)))
    assert list(before) == ["all", "no_education"]
    sv.record_observation(volunteer, code(3), "neglect", "เด็กอยู่บ้านคนเดียวบ่อย", on=dt.date(2025, 6, 20))
    pop, case_id = own_case(volunteer, code(3))
    after = notify_scenarios(pop, case_id)
    assert list(after) == ["all", "no_social", "no_education"]
    assert "neglect" in set(pop.indicators["indicator_id"].astype(str))


def test_a_family_without_a_recorded_child_gets_a_stand_in_child(world):
    leader = world.users[user_key("community_leader", "บางนา", "ชุมชนริมคลอง")]
    made = sv.add_family(leader, "ครอบครัวไม่มีข้อมูลเด็ก", "single_father")
    sv.record_observation(leader, made, "malnutrition", "ผอมมาก", on=dt.date(2025, 1, 10))
    pop, case_id = own_case(leader, made)
    people = pop.people.set_index("person_id")
    child = pop.indicators["person_id"].item()
    assert people.loc[child, "relation"] == "child" and "ไม่มีข้อมูลเด็ก" in people.loc[child, "first_name"]
    assert people.loc[pop.households["primary_caregiver_id"].item(), "relation"] == "father"
    # 10 Jan 2025 is 10 days later than 31 Dec 2024 (365 days before the end): moved back 10 days.
    # The stand-in child is 8 (standin_child_age_years) on that record's day.
    on = pop.observations["observed_on"].item()
    assert on == pd.Timestamp("2024-12-31")
    assert int((on - people.loc[child, "birth_date"]).days // 365.25) == 8
    assert pop.observations["source"].astype(str).item() == "volunteer"  # a community leader counts as the volunteer
    assert list(notify_scenarios(pop, case_id)) == ["all", "no_health"]


def test_another_communitys_family_is_refused_in_thai(world):
    with pytest.raises(AccessDenied, match="ไม่พบครัวเรือน HH0000003 ในส่วนที่คุณเห็นได้"):
        own_case(world.users[RIMKLONG_BN], code(3))
    with pytest.raises(AccessDenied, match="คณะกรรมการระดับเมือง"):
        own_case(world.users["committee"], code(1))


def test_a_family_without_a_yellow_or_red_petal_is_refused_in_thai(world):
    with pytest.raises(ServiceError, match="ไม่มีกลีบสีเหลืองหรือแดง"):
        own_case(world.users[TUNGNA_LK], code(8))  # frequent absence: green
    with pytest.raises(ServiceError, match="ไม่มีกลีบสีเหลืองหรือแดง"):
        own_case(world.users[user_key("volunteer", "บางนา", "ชุมชนหลังวัด")], code(4))  # nothing recorded


def test_the_communitys_cases_are_its_families_with_a_problem(world):
    cases = own_cases(world.users[TUNGNA_LK])
    assert cases["family_id"].tolist() == ["HH0000007"]
    assert cases["option_th"].item() == "ครอบครัวทดสอบ 7 (HH0000007) · ซับซ้อน · มิติสังคม สุขภาพ"
    assert cases["dimensions"].item() == "social,health"


def test_the_same_records_give_the_same_scenarios(world):
    volunteer = world.users[RIMKLONG_BN]
    first = scenario_summary(notify_scenarios(*own_case(volunteer, code(2))))
    again = scenario_summary(notify_scenarios(*own_case(volunteer, code(2))))
    pd.testing.assert_frame_equal(first, again)


def test_a_synthetic_family_has_the_problem_dimensions_of_its_platform_petals(room):
    _platform, volunteer = room
    shown = families(volunteer)
    cases = own_cases(volunteer)
    assert len(cases) >= 3
    for family_id in cases["family_id"][:3]:
        row = shown.set_index("family_id").loc[family_id]
        pop, case_id = own_case(volunteer, family_id)
        dims = case_dimensions(pop, case_id)
        assert dims == problem_dimensions(row)
        assert dims == tuple(d for d in ("social", "education", "health", "governance")
                             if {row[f"child_{d}"], row[f"parent_{d}"]} & {"yellow", "red"})
        assert list(notify_scenarios(pop, case_id)) == ["all", *[f"no_{d}" for d in dims]]
        assert pop.households["community"].item() == volunteer.community_th
        assert pd.notna(pop.households["subdistrict"].item())  # a community of the simulator's geography


def test_every_platform_role_records_as_a_source_of_the_simulator():
    mapped = load_own_case_settings().sources
    from simulator.model.config import load_config

    sources = set(load_config().population.sources)
    for role in load_platform_settings().roles:
        if role.level == "city":
            continue  # the committee records nothing about a family
        assert role.actor_role in sources or mapped.get(role.actor_role) in sources, role.id


def test_a_broken_settings_file_names_the_field(tmp_path):
    from simulator.platform.own_case import SETTINGS_FILE

    path = tmp_path / "own_case.yaml"
    path.write_text(SETTINGS_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    edit_yaml(path, lambda d: d["caregiver_relation"].update(single_father="uncle"))
    with pytest.raises(ConfigError, match=r"own_case.yaml: caregiver_relation: .*single_father: uncle"):
        load_own_case_settings(path)
    edit_yaml(path, lambda d: (d["caregiver_relation"].update(single_father="father"),
                               d["sources"].update(phv="neighbour")))
    with pytest.raises(ConfigError, match=r"sources.phv: 'neighbour' is not a source of population.yaml"):
        load_own_case_settings(path)


def test_the_worked_example_is_the_first_family_with_three_problem_dimensions(world):
    # บางนา sorts before ลาดกระบัง, ชุมชนริมคลอง before ชุมชนหลังวัด; none has three dimensions,
    # and HH0000001 (education, health) has two.
    viewer, family = worked_example(world.platform, min_dimensions=2)
    assert (viewer.district_th, viewer.community_th, family) == ("บางนา", "ชุมชนริมคลอง", "HH0000001")
    assert viewer.level == "community" and viewer.id == 0
    viewer, family = worked_example(world.platform, min_dimensions=1)
    assert family == "HH0000001"
    with pytest.raises(ServiceError, match="อย่างน้อย 3 มิติ"):
        worked_example(world.platform)
    with pytest.raises(ServiceError, match="ไม่ใช่บทบาทระดับชุมชน"):
        community_view(world.platform, 1, "provider_health")


def test_the_worked_example_on_the_practice_workshop_has_three_problem_dimensions(room):
    platform, _ = room
    viewer, family = worked_example(platform)
    pop, case_id = own_case(viewer, family)
    assert len(case_dimensions(pop, case_id)) >= 3
    first = own_cases(viewer)
    earlier = first[first["family_id"] < family]
    assert (earlier["dimensions"].str.count(",") + 1 < 3).all()
