"""A tiny hand-built world for the community and provider dashboards: every number is countable by hand.

Four families, three cases, 42 events. The data runs to 31 Jul 2025; the tests mostly read
it as it stood on 30 Jun 2025 (``data.upto(DAY)``), when:

- JC0000001 (HH0000001, emergency, ชุมชนริมคลอง in บางนา; social and health) is in service;
  its social acknowledgement came 3 days late; its social follow-up falls due on 4 Jul
  (4 days ahead), its health follow-up was due on 15 May (a missed appointment on 25 Jun is
  not a contact);
- JC0000002 (HH0000002, complex, ชุมชนหลังวัด in ลาดกระบัง; education) was notified on
  15 Mar and not acknowledged (overdue since 22 Mar; acknowledged only on 5 Jul) and has
  been out of contact since;
- JC0000003 (HH0000003, complex, ชุมชนริมคลอง in บางนา; health and governance) met its health
  goal on 15 May, its governance acknowledgement came 19 days late, and nothing has happened
  since 15 May (out of contact, governance follow-up overdue);
- HH0000004 (routine, no case) lives in another ชุมชนริมคลอง, in ลาดกระบัง: the same
  community name in two districts.
"""

from __future__ import annotations

import pandas as pd

from simulator.dashboards.casework import LevelSettings
from simulator.dashboards.tables import DashboardData, DashboardSettings, load_settings

DAY = "2025-06-30"
END = "2025-07-31"
GREEN = dict.fromkeys(("child_social", "child_education", "child_health", "child_governance",
                       "parent_social", "parent_education", "parent_health", "parent_governance"), "green")

SETTINGS = DashboardSettings.model_validate({
    **load_settings().model_dump(),
    "acknowledge_within_days": {"emergency": 1, "complex": 7},
    "follow_up_every_days": {"emergency": 14, "complex": 30},
    "no_contact_days": 30,
    "visit_every_days": {"emergency": 7, "complex": 30},
})
LEVELS = LevelSettings(version=1, community_roles=["volunteer", "community_leader", "phv"],
                       family_roles=["family", "parent"], follow_up_due_soon_days=7)

# (date, case, stage, dimension, actor_role, event)
EVENTS = [
    ("2025-01-01", 1, "referral", "social", "family", "onset"),
    ("2025-01-02", 1, "referral", "health", "family", "onset"),
    ("2025-01-05", 1, "referral", "social", "volunteer", "noticed"),
    ("2025-01-05", 1, "referral", "health", "volunteer", "noticed"),
    ("2025-01-06", 1, "referral", "social", "volunteer", "notified"),
    ("2025-01-06", 1, "referral", "health", "volunteer", "notified"),
    ("2025-01-07", 1, "referral", "health", "nurse", "acknowledged"),
    ("2025-01-10", 1, "referral", "social", "social_worker", "acknowledged"),
    ("2025-01-20", 1, "plan", None, "volunteer", "plan_meeting"),
    ("2025-01-20", 1, "plan", "social", "social_worker", "goal_set"),
    ("2025-01-20", 1, "plan", "health", "nurse", "goal_set"),
    ("2025-01-25", 1, "consent", None, "volunteer", "explained"),
    ("2025-01-25", 1, "consent", None, "parent", "agreed"),
    ("2025-01-26", 1, "consent", None, "parent", "consent_signed"),
    ("2025-02-01", 1, "in_service", "social", "social_worker", "service_started"),
    ("2025-02-01", 1, "in_service", "health", "nurse", "service_started"),
    ("2025-05-01", 1, "in_service", "health", "doctor", "appointment_attended"),
    ("2025-06-20", 1, "in_service", "social", "social_worker", "appointment_attended"),
    ("2025-06-20", 1, "in_service", "social", "volunteer", "accompanied_visit"),
    ("2025-06-25", 1, "in_service", "health", "parent", "appointment_missed"),
    ("2025-03-01", 2, "referral", "education", "family", "onset"),
    ("2025-03-10", 2, "referral", "education", "teacher", "noticed"),
    ("2025-03-15", 2, "referral", "education", "volunteer", "notified"),
    ("2025-07-05", 2, "referral", "education", "teacher", "acknowledged"),
    ("2024-10-01", 3, "referral", "governance", "family", "onset"),
    ("2024-10-05", 3, "referral", "health", "family", "onset"),
    ("2024-10-20", 3, "referral", "governance", "district_officer", "noticed"),
    ("2024-10-20", 3, "referral", "health", "volunteer", "noticed"),
    ("2024-10-25", 3, "referral", "health", "volunteer", "notified"),
    ("2024-10-25", 3, "referral", "governance", "volunteer", "notified"),
    ("2024-10-30", 3, "referral", "health", "nurse", "acknowledged"),
    ("2024-11-20", 3, "referral", "governance", "district_officer", "acknowledged"),
    ("2024-12-01", 3, "plan", None, "volunteer", "plan_meeting"),
    ("2024-12-01", 3, "plan", "health", "nurse", "goal_set"),
    ("2024-12-01", 3, "plan", "governance", "district_officer", "goal_set"),
    ("2024-12-10", 3, "consent", None, "volunteer", "explained"),
    ("2024-12-10", 3, "consent", None, "parent", "agreed"),
    ("2024-12-11", 3, "consent", None, "parent", "consent_signed"),
    ("2025-01-05", 3, "in_service", "health", "nurse", "service_started"),
    ("2025-01-05", 3, "in_service", "governance", "district_officer", "service_started"),
    ("2025-04-01", 3, "in_service", "governance", "registrar", "appointment_attended"),
    ("2025-05-15", 3, "goals_met", "health", "nurse", "goal_met"),
]


def _dates(values):
    return pd.to_datetime(pd.Series(values)).astype("datetime64[s]")


def tiny_world() -> DashboardData:
    """The four families as the data stood on 31 Jul 2025 (read them with ``.upto(DAY)``)."""
    households = pd.DataFrame({
        "family_id": ["HH0000001", "HH0000002", "HH0000003", "HH0000004"],
        "zone": ["กรุงเทพใต้", "กรุงเทพตะวันออก", "กรุงเทพใต้", "กรุงเทพตะวันออก"],
        "district": ["บางนา", "ลาดกระบัง", "บางนา", "ลาดกระบัง"],
        "community": ["ชุมชนริมคลอง", "ชุมชนหลังวัด", "ชุมชนริมคลอง", "ชุมชนริมคลอง"],
        "sandbox": [False, True, False, True],
        "household_type": ["single_mother", "two_parents", "grandparents", "two_parents"],
    })
    children = pd.DataFrame({
        "person_id": ["HH0000001-02", "HH0000001-03", "HH0000002-03", "HH0000003-02", "HH0000004-03"],
        "family_id": ["HH0000001", "HH0000001", "HH0000002", "HH0000003", "HH0000004"],
        "sex": ["female", "male", "male", "female", "male"],
        "birth_date": _dates(["2015-03-01", "2019-08-15", "2012-05-20", "2010-11-02", "2021-01-09"]),
    })
    petals = pd.DataFrame([
        {"family_id": "HH0000001", **GREEN, "child_social": "red", "parent_health": "yellow", "case_level": "emergency"},
        {"family_id": "HH0000002", **GREEN, "child_education": "yellow", "case_level": "complex"},
        {"family_id": "HH0000003", **GREEN, "child_health": "yellow", "parent_governance": "yellow",
         "case_level": "complex"},
        {"family_id": "HH0000004", **GREEN, "case_level": "routine"},
    ])
    cases = pd.DataFrame({
        "case_id": ["JC0000001", "JC0000002", "JC0000003"],
        "family_id": ["HH0000001", "HH0000002", "HH0000003"],
        "case_level": ["emergency", "complex", "complex"],
        "dimensions": ["social,health", "education", "health,governance"],
        "onset_date": _dates(["2025-01-01", "2025-03-01", "2024-10-01"]),
        "noticed_date": _dates(["2025-01-05", "2025-03-10", "2024-10-20"]),
        "first_notified_date": _dates(["2025-01-06", "2025-03-15", "2024-10-25"]),
        "plan_date": _dates(["2025-01-20", None, "2024-12-01"]),
        "consent_date": _dates(["2025-01-26", None, "2024-12-11"]),
        "service_start_date": _dates(["2025-02-01", None, "2025-01-05"]),
        "goals_planned": [2, 1, 2],
        "goals_met": [0, 0, 1],
        "outcome": ["in_service", "awaiting_plan", "partly_met"],
    })
    events = pd.DataFrame(EVENTS, columns=["date", "case", "stage", "dimension", "actor_role", "event"])
    events.insert(0, "case_id", events.pop("case").map(lambda k: f"JC000000{k}"))
    events.insert(1, "family_id", events["case_id"].str.replace("JC", "HH"))
    events["date"] = _dates(events["date"])
    events = events.sort_values(["case_id", "date"], kind="stable").reset_index(drop=True)
    return DashboardData(households=households, children=children, petals=petals, cases=cases, events=events,
                         as_of=END, settings=SETTINGS)
