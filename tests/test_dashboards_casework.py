"""The shared definitions of the community and provider dashboards: status rules, latest event, settings."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from simulator.dashboards import casework as W
from simulator.dashboards.tables import PETAL_COLUMNS, DashboardData
from simulator.model.config import ConfigError
from tests.dashboard_fixture import DAY, LEVELS, SETTINGS, tiny_world
from tests.data_files import edit_yaml

# One case per status rule: (event kinds in order, one day apart), expected status.
STORIES = {
    "not_noticed": ["onset"],
    "awaiting_plan": ["onset", "noticed", "notified", "acknowledged"],
    "separated": ["onset", "noticed", "notified", "acknowledged", "plan_meeting", "goal_set", "explained",
                  "disagreed", "refused", "director_review", "separated", "service_started"],
    "refused": ["onset", "noticed", "notified", "acknowledged", "plan_meeting", "goal_set", "explained",
                "disagreed", "refused", "director_review"],
    "unable": ["onset", "noticed", "notified", "acknowledged", "plan_meeting", "goal_set", "explained",
               "disagreed", "explained", "agreed_but_unable"],
    "awaiting_consent": ["onset", "noticed", "notified", "acknowledged", "plan_meeting", "goal_set", "explained",
                         "agreed", "consent_signed"],
    "in_service": ["onset", "noticed", "notified", "acknowledged", "plan_meeting", "goal_set", "explained",
                   "agreed", "consent_signed", "service_started", "appointment_missed"],
    "goals_met": ["onset", "noticed", "notified", "acknowledged", "plan_meeting", "goal_set", "explained",
                  "agreed", "consent_signed", "service_started", "goal_met"],
}
WHOLE_PLAN = {"plan_meeting", "explained", "agreed", "disagreed", "agreed_but_unable", "consent_signed", "refused",
              "director_review", "separated"}
STAGE = {"onset": "referral", "noticed": "referral", "notified": "referral", "acknowledged": "referral",
         "plan_meeting": "plan", "goal_set": "plan", "explained": "consent", "agreed": "consent",
         "disagreed": "consent", "agreed_but_unable": "consent", "consent_signed": "consent", "refused": "consent",
         "director_review": "legal", "separated": "legal", "service_started": "in_service",
         "appointment_missed": "in_service", "goal_met": "goals_met"}


def story_world(stories: dict[str, list[str]]) -> DashboardData:
    """One family and one single-dimension (social) case per story, its events a day apart from 1 Jan 2025."""
    n = len(stories)
    fam = [f"HH{k:07d}" for k in range(1, n + 1)]
    rows = []
    for k, kinds in enumerate(stories.values()):
        for day, kind in enumerate(kinds):
            rows.append({"case_id": f"JC{k + 1:07d}", "family_id": fam[k],
                         "date": pd.Timestamp("2025-01-01") + pd.Timedelta(days=day), "stage": STAGE[kind],
                         "dimension": None if kind in WHOLE_PLAN else "social",
                         "actor_role": "parent" if kind in {"agreed", "disagreed", "refused"} else "volunteer",
                         "event": kind})
    events = pd.DataFrame(rows).astype({"date": "datetime64[s]"})
    hh = pd.DataFrame({"family_id": fam, "zone": "z", "district": "d", "community": "c", "sandbox": False,
                       "household_type": "two_parents"})
    petals = pd.DataFrame({"family_id": fam, **dict.fromkeys(PETAL_COLUMNS, "green"), "child_social": "yellow",
                           "case_level": "complex"})
    cases = pd.DataFrame({"case_id": [f"JC{k:07d}" for k in range(1, n + 1)], "family_id": fam,
                          "case_level": "complex", "dimensions": "social", "goals_planned": 1, "goals_met": 0,
                          "outcome": "in_service",
                          **{c: pd.Series([pd.Timestamp("2025-01-01")] * n, dtype="datetime64[s]")
                             for c in ("onset_date", "noticed_date", "first_notified_date", "plan_date",
                                       "consent_date", "service_start_date")}})
    children = pd.DataFrame({"person_id": [f"{f}-02" for f in fam], "family_id": fam, "sex": "male",
                             "birth_date": pd.Series([pd.Timestamp("2015-01-01")] * n, dtype="datetime64[s]")})
    return DashboardData(households=hh, children=children, petals=petals, cases=cases, events=events,
                         as_of="2025-12-31", settings=SETTINGS)


def test_each_status_rule_in_order():
    states = W.case_states(story_world(STORIES), levels=LEVELS)
    assert list(states["status"]) == list(STORIES)
    assert list(states["open"]) == [False, True, True, True, True, True, True, False]
    assert list(states["stage"]) == ["none", "referral", "in_service", "legal", "consent", "consent", "in_service",
                                     "goals_met"]


def test_latest_event_of_a_day_follows_the_order_of_event_kinds():
    # Same day, listed out of order: goal_met (order 41) is later than the appointment (31).
    world = story_world({"x": ["noticed", "service_started"]})
    ev = world.events.copy()
    extra = ev.iloc[[1, 1]].assign(event=["goal_met", "appointment_missed"], stage=["goals_met", "in_service"])
    world = DashboardData(**{**world.tables(), "events": pd.concat([ev, extra], ignore_index=True)},
                          as_of=world.as_of, settings=SETTINGS)
    state = W.case_states(world, levels=LEVELS).iloc[0]
    assert (state["last_event"], state["stage"]) == ("goal_met", "goals_met")


def test_onset_is_not_a_recorded_event():
    events = W.recorded_events(tiny_world().upto(DAY))
    assert "onset" not in set(events["event"])
    assert len(events) == 42 - 5 - 1  # five onsets, and the acknowledgement of 5 Jul is after the day


def test_a_notification_is_answered_by_the_first_acknowledgement_on_or_after_it():
    world = story_world({"x": ["notified", "acknowledged", "notified", "notified", "acknowledged"]})
    notes = W.notifications(world)
    assert list(notes["acknowledged_date"]) == [pd.Timestamp(d) for d in ("2025-01-02", "2025-01-05", "2025-01-05")]
    assert list(notes["days_waited"]) == [1, 2, 1]


def test_level_settings_load_and_refuse_overlapping_roles(tmp_path):
    assert W.load_level_settings() == LEVELS
    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copy(W.LEVELS_FILE, folder / "dashboard_levels.yaml")
    edit_yaml(folder / "dashboard_levels.yaml", lambda doc: doc["family_roles"].append("volunteer"))
    with pytest.raises(ConfigError, match=r"dashboard_levels\.yaml: .*share \['volunteer'\]"):
        W.load_level_settings(folder)
    edit_yaml(folder / "dashboard_levels.yaml", lambda doc: doc.update(follow_up_due_soon_days=-1,
                                                                         family_roles=["parent"]))
    with pytest.raises(ConfigError, match=r"dashboard_levels\.yaml: follow_up_due_soon_days"):
        W.load_level_settings(folder)
    with pytest.raises(ConfigError, match="cannot be read"):
        W.load_level_settings(tmp_path / "nowhere")


def test_community_roles_decide_what_resets_the_visit_clock():
    data = tiny_world().upto(DAY)
    # Without the volunteer among the community roles JC0000001 has no community contact at all.
    narrow = W.LevelSettings(version=1, community_roles=["community_leader"], family_roles=["family", "parent"],
                             follow_up_due_soon_days=7)
    states = W.case_states(data, levels=narrow).set_index("case_id")
    assert states["last_community_contact"].isna().all()
    assert W.case_states(data, levels=LEVELS).set_index("case_id").loc["JC0000001", "last_community_contact"] == (
        pd.Timestamp("2025-06-20"))


def test_a_separated_child_whose_goals_are_all_met_keeps_the_status_but_is_no_longer_open():
    story = STORIES["separated"] + ["goal_met"]
    state = W.case_states(story_world({"x": story}), levels=LEVELS).iloc[0]
    assert (state["status"], state["open"], state["stage"]) == ("separated", False, "goals_met")
