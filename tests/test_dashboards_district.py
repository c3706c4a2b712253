"""District dashboards: every number on a hand-built district, invariants on a simulated city.

The hand-built data: two districts, three communities, eight families, eight cases, data up
to 30 June 2025. Each case stops at a different step (the comments say where), and a few
rows sit after ``as_of`` to prove they are ignored. Every expected number below was worked
out by hand from the dates written here.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest

import simulator
from simulator.dashboards import district as D
from simulator.dashboards.tables import PETAL_COLUMNS, DashboardData, DashboardDataError

AS_OF = "2025-06-30"
A, B = "ทดสอบก", "ทดสอบข"  # district names, as in the data: without "เขต"
ONE, TWO, THREE = "ชุมชนหนึ่ง", "ชุมชนสอง", "ชุมชนสาม"


def _events(rows):
    table = pd.DataFrame(rows, columns=["case_id", "date", "event", "dimension", "actor_role"])
    table["family_id"] = "HH" + table["case_id"].str[2:]
    table["date"] = pd.to_datetime(table["date"]).astype("datetime64[s]")
    table["stage"] = "referral"  # not read by the district dashboards
    table["dimension"] = table["dimension"].astype(object).where(table["dimension"].notna(), None)
    return table


@pytest.fixture(scope="module")
def hand() -> DashboardData:
    households = pd.DataFrame({
        "family_id": ["HH0000001", "HH0000002", "HH0000003", "HH0000006", "HH0000004", "HH0000005", "HH0000007",
                      "HH0000008"],
        "zone": "โซนทดสอบ",
        "district": [A, A, A, A, B, B, B, B],
        "community": [ONE, ONE, TWO, TWO, THREE, THREE, THREE, THREE],
        "sandbox": False,
        "household_type": "two_parents",
    })
    # Children: ONE 2 + 1 = 3, TWO 1 + 3 = 4, THREE 2 + 1 + 1 + 1 = 5.
    per_family = {"HH0000001": 2, "HH0000002": 1, "HH0000003": 1, "HH0000006": 3, "HH0000004": 2,
                  "HH0000005": 1, "HH0000007": 1, "HH0000008": 1}
    fam = [f for f, n in per_family.items() for _ in range(n)]
    children = pd.DataFrame({"person_id": [f"{f}-{i:02d}" for i, f in enumerate(fam)], "family_id": fam,
                             "sex": "female", "birth_date": pd.Timestamp("2015-01-01")})
    petals = pd.DataFrame({"family_id": households["family_id"], "case_level": "complex",
                           **{c: "green" for c in PETAL_COLUMNS}})  # not read by the district dashboards
    cases = pd.DataFrame([
        # case, level, dimensions, goals, onset, noticed, first notified, plan, consent, service start
        # C1: the whole journey; the health goal is met exactly 12 months after service start.
        ("JC0000001", "complex", "social,health", 2, "2023-01-01", "2023-02-01", "2023-02-11", "2023-03-13",
         "2023-04-12", "2023-04-22"),
        # C2: served; its goal is met, but 13 months after service start (too late for the window).
        ("JC0000002", "emergency", "education", 1, "2023-09-01", "2023-10-01", "2023-10-06", "2023-11-01",
         "2023-12-31", "2024-01-10"),
        # C3: planned, waiting for the parent's consent (its consent date lies after as_of).
        ("JC0000003", "complex", "governance,social", 2, "2025-01-01", "2025-02-01", "2025-02-05", "2025-03-31",
         "2025-07-10", None),
        # C6: not yet noticed.
        ("JC0000006", "complex", "education", 1, "2025-06-01", None, None, None, None, None),
        # C4: the social worker acknowledged; the nurse has not (that acknowledgement is after as_of).
        ("JC0000004", "complex", "social,health", 2, "2025-03-01", "2025-04-01", "2025-04-11", None, None, None),
        # C5: parent refused, child separated, service started without consent; goal not met.
        ("JC0000005", "emergency", "social", 1, "2024-01-01", "2024-01-15", "2024-01-20", "2024-02-14",
         None, "2024-06-01"),
        # C7: consent signed; health service started, education not yet.
        ("JC0000007", "complex", "education,health", 2, "2024-10-01", "2024-11-01", "2024-11-05", "2025-01-15",
         "2025-05-01", "2025-05-11"),
        # C8: acknowledged, waiting for the planning meeting.
        ("JC0000008", "complex", "governance", 1, "2025-04-01", "2025-05-01", "2025-05-05", None, None, None),
    ], columns=["case_id", "case_level", "dimensions", "goals_planned", "onset_date", "noticed_date",
                "first_notified_date", "plan_date", "consent_date", "service_start_date"])
    for col in ("onset_date", "noticed_date", "first_notified_date", "plan_date", "consent_date",
                "service_start_date"):
        cases[col] = pd.to_datetime(cases[col]).astype("datetime64[s]")
    cases["family_id"] = "HH" + cases["case_id"].str[2:]
    cases["goals_met"] = 0  # stale on purpose: the dashboards count goals met from the events
    cases["outcome"] = "in_service"
    events = _events([
        ("JC0000001", "2023-01-01", "onset", "social", "family"),
        ("JC0000001", "2023-02-01", "noticed", "social", "volunteer"),
        ("JC0000001", "2023-02-11", "notified", "social", "volunteer"),
        ("JC0000001", "2023-02-21", "notified", "health", "volunteer"),
        ("JC0000001", "2023-02-21", "acknowledged", "social", "social_worker"),
        ("JC0000001", "2023-03-03", "acknowledged", "health", "nurse"),
        ("JC0000001", "2023-03-13", "plan_meeting", None, "volunteer"),
        ("JC0000001", "2023-03-13", "goal_set", "social", "social_worker"),
        ("JC0000001", "2023-03-13", "goal_set", "health", "nurse"),
        ("JC0000001", "2023-04-12", "consent_signed", None, "parent"),
        ("JC0000001", "2023-04-22", "service_started", "social", "social_worker"),
        ("JC0000001", "2023-04-22", "service_started", "health", "nurse"),
        ("JC0000001", "2023-10-22", "goal_met", "social", "social_worker"),
        ("JC0000001", "2024-04-22", "goal_met", "health", "nurse"),
        ("JC0000002", "2023-10-06", "notified", "education", "volunteer"),
        ("JC0000002", "2023-10-16", "acknowledged", "education", "teacher"),
        ("JC0000002", "2023-11-01", "plan_meeting", None, "volunteer"),
        ("JC0000002", "2023-11-01", "goal_set", "education", "teacher"),
        ("JC0000002", "2023-12-31", "consent_signed", None, "parent"),
        ("JC0000002", "2024-01-10", "service_started", "education", "teacher"),
        ("JC0000002", "2025-02-01", "goal_met", "education", "teacher"),
        ("JC0000003", "2025-02-05", "notified", "governance", "volunteer"),
        ("JC0000003", "2025-02-15", "notified", "social", "volunteer"),
        ("JC0000003", "2025-02-10", "acknowledged", "governance", "district_officer"),
        ("JC0000003", "2025-03-01", "acknowledged", "social", "social_worker"),
        ("JC0000003", "2025-03-31", "plan_meeting", None, "volunteer"),
        ("JC0000003", "2025-03-31", "goal_set", "governance", "district_officer"),
        ("JC0000003", "2025-03-31", "goal_set", "social", "social_worker"),
        ("JC0000003", "2025-04-10", "explained", None, "volunteer"),
        ("JC0000003", "2025-04-10", "disagreed", None, "parent"),
        ("JC0000003", "2025-07-10", "consent_signed", None, "parent"),  # after as_of
        ("JC0000006", "2025-06-01", "onset", "education", "family"),
        ("JC0000004", "2025-04-11", "notified", "social", "volunteer"),
        ("JC0000004", "2025-04-21", "acknowledged", "social", "social_worker"),
        ("JC0000004", "2025-04-21", "notified", "health", "volunteer"),
        ("JC0000004", "2025-07-05", "acknowledged", "health", "nurse"),  # after as_of
        ("JC0000005", "2024-01-20", "notified", "social", "volunteer"),
        ("JC0000005", "2024-01-25", "acknowledged", "social", "social_worker"),
        ("JC0000005", "2024-02-14", "plan_meeting", None, "volunteer"),
        ("JC0000005", "2024-02-14", "goal_set", "social", "social_worker"),
        ("JC0000005", "2024-05-01", "refused", None, "parent"),
        ("JC0000005", "2024-05-20", "separated", None, "district_director"),
        ("JC0000005", "2024-06-01", "service_started", "social", "social_worker"),
        ("JC0000007", "2024-11-05", "notified", "education", "volunteer"),
        ("JC0000007", "2024-11-05", "notified", "health", "volunteer"),
        ("JC0000007", "2024-11-20", "acknowledged", "education", "teacher"),
        ("JC0000007", "2024-12-05", "acknowledged", "health", "nurse"),
        ("JC0000007", "2025-01-15", "plan_meeting", None, "volunteer"),
        ("JC0000007", "2025-01-15", "goal_set", "education", "teacher"),
        ("JC0000007", "2025-01-15", "goal_set", "health", "nurse"),
        ("JC0000007", "2025-05-01", "consent_signed", None, "parent"),
        ("JC0000007", "2025-05-11", "service_started", "health", "nurse"),
        ("JC0000008", "2025-05-05", "notified", "governance", "volunteer"),
        ("JC0000008", "2025-05-15", "acknowledged", "governance", "district_officer"),
    ])
    return DashboardData(households=households, children=children, petals=petals, cases=cases, events=events,
                         as_of=pd.Timestamp(AS_OF))


def same(actual, expected) -> bool:
    """Equal lists of numbers, NaN equal to NaN, floats to 1e-9."""
    return len(actual) == len(expected) and all(
        (isinstance(e, float) and math.isnan(e) and math.isnan(a)) or a == pytest.approx(e, abs=1e-9)
        for a, e in zip(actual, expected))


# ----------------------------------------------------------------------- stage funnel


def test_funnel_of_the_city_by_hand(hand):
    f = D.stage_funnel(hand)
    assert f["step"].tolist() == list(D.FUNNEL_STEPS)
    # onset 8; noticed: all but C6; plan: not C4, C8; consent: C1, C2, C7 signed (C3's
    # signature is after as_of) and C5 counts through its service start.
    assert f["cases"].tolist() == [8, 7, 7, 7, 5, 4, 4, 2, 2]
    assert f["passed_without_record"].tolist() == [0, 0, 0, 0, 0, 1, 0, 0, 0]
    assert f["stopped_here"].tolist() == [1, 0, 0, 2, 1, 0, 2, 0, 2]
    assert same(f["share_of_previous"].tolist(), [1, 7 / 8, 1, 1, 5 / 7, 4 / 5, 1, 2 / 4, 1])
    assert same(f["share_of_all"].tolist(), [1, 7 / 8, 7 / 8, 7 / 8, 5 / 8, 4 / 8, 4 / 8, 2 / 8, 2 / 8])


def test_funnel_of_each_district_by_hand(hand):
    a, b = D.stage_funnel(hand, A), D.stage_funnel(hand, B)
    assert a["cases"].tolist() == [4, 3, 3, 3, 3, 2, 2, 2, 2]  # C1, C2, C3, C6
    assert b["cases"].tolist() == [4, 4, 4, 4, 2, 2, 2, 0, 0]  # C4, C5, C7, C8
    assert b["passed_without_record"].tolist() == [0, 0, 0, 0, 0, 1, 0, 0, 0]
    assert a["cases"].add(b["cases"]).tolist() == D.stage_funnel(hand)["cases"].tolist()


def test_funnel_at_an_earlier_day_by_hand(hand):
    # By 31 Jan 2024: C1, C2, C5 had begun; C5 was acknowledged (25 Jan) but not planned;
    # C2's service started 10 Jan; C1 had met its social goal only.
    f = D.stage_funnel(hand.upto("2024-01-31"))
    assert f["cases"].tolist() == [3, 3, 3, 3, 2, 2, 2, 1, 0]


def test_unknown_district_is_named_in_thai(hand):
    with pytest.raises(DashboardDataError, match="ไม่พบเขต «บางไม่มี»"):
        D.stage_funnel(hand, "บางไม่มี")


# ----------------------------------------------------------------------- time to steps


def test_time_to_steps_of_the_city_by_hand(hand):
    t = D.time_to_steps(hand).set_index("step")
    assert t.index.tolist() == ["notified", "plan", "consent", "in_service"]
    assert t["noticed"].tolist() == [7, 7, 7, 7]
    assert t["reached"].tolist() == [7, 5, 3, 4]
    assert t["not_yet"].tolist() == [0, 2, 4, 3]
    # notified: C3 4, C7 4, C8 4, C2 5, C5 5, C1 10, C4 10 days
    # plan: C5 30, C2 31, C1 40, C3 58, C7 75
    # consent: C1 70, C2 91, C7 181
    # in service: C1 80, C2 101, C5 138, C7 191
    assert same(t["median_days"].tolist(), [5.0, 40.0, 91.0, 119.5])
    assert same(t["p75_days"].tolist(), [7.5, 58.0, 136.0, 151.25])
    # Still waiting, days since noticed at 30 Jun 2025: C8 60, C4 90, C3 149, C5 532.
    assert same(t["waiting_median_days"].tolist(), [math.nan, 75.0, 119.5, 90.0])


def test_time_to_steps_of_a_cohort_by_hand(hand):
    # Noticed in 2024: C5 (15 Jan) and C7 (1 Nov).
    t = D.time_to_steps(hand, start="2024-01-01", end="2024-12-31").set_index("step")
    assert t["noticed"].tolist() == [2, 2, 2, 2]
    assert t["reached"].tolist() == [2, 2, 1, 2]
    assert same(t["median_days"].tolist(), [4.5, 52.5, 181.0, 164.5])
    assert same(t["waiting_median_days"].tolist(), [math.nan, math.nan, 532.0, math.nan])
    # District B's cohort of every time: C4, C5, C7, C8.
    b = D.time_to_steps(hand, B).set_index("step")
    assert b["noticed"].tolist() == [4, 4, 4, 4] and b["reached"].tolist() == [4, 2, 1, 2]
    assert same(b["median_days"].tolist(), [4.5, 52.5, 181.0, 164.5])


def test_time_to_steps_refuses_a_backwards_period(hand):
    with pytest.raises(DashboardDataError, match="วันเริ่ม"):
        D.time_to_steps(hand, start="2025-01-01", end="2024-01-01")
    with pytest.raises(DashboardDataError, match="ไม่ใช่วันที่"):
        D.time_to_steps(hand, start="ไม่รู้")


# ----------------------------------------------------------------------- goals met within


def test_goals_met_within_twelve_months_by_hand(hand):
    g = D.goals_met_within(hand).set_index("dimension")
    assert g.index.tolist() == ["social", "education", "health", "governance", "all"]
    # social: C1, C3, C5 planned; C1 and C5 started, both windows ended; C1's met in 6 months.
    # education: C2, C7; C2 started, window ended 10 Jan 2025, met 1 Feb 2025: too late.
    # health: C1, C7; C1 met on the last day of its window; C7 started 11 May 2025: young.
    # governance: C3, not started.
    assert g["goals_planned"].tolist() == [3, 2, 2, 1, 8]
    assert g["service_started"].tolist() == [2, 1, 2, 0, 5]
    assert g["not_started"].tolist() == [1, 1, 0, 1, 3]
    assert g["window_ended"].tolist() == [2, 1, 1, 0, 4]
    assert g["young_excluded"].tolist() == [0, 0, 1, 0, 1]
    assert g["met_within"].tolist() == [1, 0, 1, 0, 2]
    assert same(g["share_met"].tolist(), [0.5, 0.0, 1.0, math.nan, 0.5])
    assert g.loc["all", "dimension_th"] == "ทุกมิติ" and g.loc["health", "dimension_th"] == "สุขภาพ"


def test_goals_met_within_other_windows_by_hand(hand):
    six = D.goals_met_within(hand, months=6).set_index("dimension")
    # 6 months: C1 social met on its last day; C1 health (12 months) and C2 too late; C5 not met.
    # C7 health (11 Nov 2025) is still young.
    assert six.loc["all", ["window_ended", "met_within", "young_excluded"]].tolist() == [4, 1, 1]
    # 24 months: only C1's windows have ended (22 Apr 2025); C2 (Jan 2026) and C5 (Jun 2026) are young.
    two_years = D.goals_met_within(hand, months=24).set_index("dimension")
    assert two_years.loc["all", ["window_ended", "met_within", "young_excluded"]].tolist() == [2, 2, 3]
    # District B: C5 social ended, not met; C7 health young; C7 education not started.
    b = D.goals_met_within(hand, B).set_index("dimension")
    assert b.loc["all", ["goals_planned", "window_ended", "met_within", "young_excluded", "not_started"]].tolist() \
        == [3, 1, 0, 1, 1]
    with pytest.raises(DashboardDataError, match="จำนวนเดือน"):
        D.goals_met_within(hand, months=0)


# ----------------------------------------------------------------------- bottlenecks


def test_bottlenecks_by_hand(hand):
    b = D.bottlenecks(hand)
    key = [(s, None if pd.isna(d) else d) for s, d in zip(b["step"], b["dimension"])]
    # Worst first by case-days waiting: C3's consent (91 days since its plan), C4's
    # acknowledgement by the nurse (70 days since notified; C4 does not wait for a plan
    # meeting while a provider has not acknowledged), C7's education service (60 days since
    # consent), C8's planning meeting (46 days since acknowledged); the rest wait on nobody
    # and keep journey order.
    assert key == [("consent", None), ("acknowledgement", "health"), ("service_start", "education"),
                   ("plan_meeting", None), ("acknowledgement", "social"), ("acknowledgement", "education"),
                   ("acknowledgement", "governance"), ("service_start", "social"),
                   ("service_start", "health"), ("service_start", "governance")]
    assert b["actor_role"].tolist() == ["parent", "nurse", "teacher", "volunteer", "social_worker", "teacher",
                                        "district_officer", "social_worker", "nurse", "district_officer"]
    assert b["waiting"].tolist() == [1, 1, 1, 1, 0, 0, 0, 0, 0, 0]
    assert same(b["waiting_median_days"].tolist()[:5], [91.0, 70.0, 60.0, 46.0, math.nan])
    assert b["waiting_case_days"].tolist() == [91, 70, 60, 46, 0, 0, 0, 0, 0, 0]
    # Passed: consent C1 30, C2 60, C7 106; acknowledgement health C1 10, C7 30; education
    # service C2 10; plan after the last acknowledgement C1 10, C2 16, C5 20, C3 30, C7 41;
    # social acknowledgement C1 10, C3 14, C5 5, C4 10; education C2 10, C7 15; governance
    # C3 5, C8 10; social service C1 10, C5 12 (from the day the child was separated); health
    # C1 10, C7 10.
    assert b["passed"].tolist() == [3, 2, 1, 5, 4, 2, 2, 2, 2, 0]
    assert same(b["passed_median_days"].tolist(), [60.0, 20.0, 10.0, 20.0, 10.0, 12.5, 7.5, 11.0, 10.0, math.nan])
    assert b.loc[0, "actor_th"] == "ผู้ปกครอง" and b.loc[1, "actor_th"] == "พยาบาล"


def test_bottlenecks_of_a_district_by_hand(hand):
    a = D.bottlenecks(hand, A)
    assert a.loc[0, "step"] == "consent" and a["waiting"].sum() == 1  # only C3 waits in district A
    b = D.bottlenecks(hand, B)
    assert b.loc[0, "step"] == "acknowledgement" and b.loc[0, "dimension"] == "health"
    assert b.loc[1, "step"] == "service_start" and b.loc[1, "dimension"] == "education"
    assert b.loc[2, "step"] == "plan_meeting"
    assert b["waiting"].sum() == 3


# ----------------------------------------------------------------------- communities


def test_communities_compared_by_hand(hand):
    a = D.communities_compared(hand, A)
    assert a["community"].tolist() == [ONE, TWO]  # 6,667 then 2,500 per 10,000
    assert a["families"].tolist() == [2, 2]
    assert a["children"].tolist() == [3, 4]
    assert a["cases"].tolist() == [2, 1]  # C6 in TWO is not noticed yet
    assert a["emergency"].tolist() == [1, 0] and a["complex"].tolist() == [1, 1]
    assert same(a["per_10000"].tolist(), [2 * 10_000 / 3, 2_500.0])
    assert same(a["with_plan_share"].tolist(), [1.0, 1.0])
    assert same(a["median_days_to_service"].tolist(), [90.5, math.nan])  # C1 80, C2 101
    assert same(a["goals_met_share"].tolist(), [2 / 3, math.nan])  # C1 both, not C2; C3 not started
    b = D.communities_compared(hand, B)
    assert b["community"].tolist() == [THREE]
    assert b[["families", "children", "cases", "emergency", "complex"]].iloc[0].tolist() == [4, 5, 4, 1, 3]
    # Planned: C5, C7 of 4; service C5 138, C7 191 days; goals: C5 ended unmet, C7 health young.
    assert same(b[["per_10000", "with_plan_share", "median_days_to_service", "goals_met_share"]].iloc[0].tolist(),
                [8_000.0, 0.5, 164.5, 0.0])
    with pytest.raises(DashboardDataError, match="ต้องระบุเขต"):
        D.communities_compared(hand, None)


# ----------------------------------------------------------------------- monthly new cases


def test_monthly_new_cases_by_hand(hand):
    m = D.monthly_new_cases(hand)
    assert isinstance(m.index, pd.PeriodIndex) and m.index.name == "month"
    assert (m.index[0], m.index[-1], len(m)) == (pd.Period("2023-02", "M"), pd.Period("2025-06", "M"), 29)
    assert m.columns.tolist() == ["emergency", "complex", "total"]
    noticed = {"2023-02": (0, 1), "2023-10": (1, 0), "2024-01": (1, 0), "2024-11": (0, 1), "2025-02": (0, 1),
               "2025-04": (0, 1), "2025-05": (0, 1)}
    for month, (emergency, complex_) in noticed.items():
        assert m.loc[pd.Period(month, "M"), ["emergency", "complex", "total"]].tolist() == [
            emergency, complex_, emergency + complex_]
    assert m["total"].sum() == 7
    by_community = D.monthly_new_cases(hand, B, by="community")
    assert by_community.columns.tolist() == [THREE, "total"] and len(by_community) == 18  # Jan 2024 - Jun 2025
    assert D.monthly_new_cases(hand, by=None).columns.tolist() == ["total"]
    with pytest.raises(DashboardDataError, match="แบ่งตาม «shoe_size»"):
        D.monthly_new_cases(hand, by="shoe_size")


def test_thai_headers(hand):
    shown = D.view_th("stage_funnel", D.stage_funnel(hand))
    assert shown.columns[0] == "ขั้น (step)" and shown.iloc[0, 0] == "เริ่มมีปัญหา (ทุกกรณี)"
    for kind, table in [("time_to_steps", D.time_to_steps(hand)), ("goals_met_within", D.goals_met_within(hand)),
                        ("bottlenecks", D.bottlenecks(hand)), ("communities_compared", D.communities_compared(hand, A))]:
        assert set(D.HEADERS_TH[kind]) <= set(table.columns), kind
        assert len(D.view_th(kind, table).columns) == len(D.HEADERS_TH[kind])


# ----------------------------------------------------------------------- figures


def render(fig):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing Thai glyph raises here
        fig.canvas.draw()
    texts = [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text"))]
    fonts = {t.get_fontname() for t in fig.findobj(lambda a: hasattr(a, "get_fontname")) if t.get_text()}
    assert fonts == {"Sarabun"}
    assert fig.get_figwidth() == 4.0
    assert "ข้อมูลสมมติ (synthetic)" in texts and fig.termtem_alt_th
    return fig


def test_funnel_figure(hand):
    fig = render(D.funnel_figure(hand, A))
    ax = fig.axes[0]
    assert ax.get_title() == f"กรณีถึงแต่ละขั้น (Funnel) เขต{A}\nข้อมูลถึง 30 มิ.ย. 2568"
    assert [round(p.get_width()) for p in ax.patches] == [4, 3, 3, 3, 3, 2, 2, 2, 2]
    assert "จำนวนกรณี (กรณี)" == ax.get_xlabel()
    assert "บรรลุเป้าหมายทุกมิติ" in [t.get_text() for t in ax.get_yticklabels()]


def test_time_to_service_figure(hand):
    fig = render(D.time_to_service_figure(hand, B))
    ax = fig.axes[0]
    assert "พบปัญหาแล้วกี่วัน" in ax.get_title() and "(วัน)" in ax.get_xlabel()
    widths = [p.get_width() for p in ax.patches]
    # District B first (4.5, 52.5, 181, 164.5), then the city (5, 40, 91, 119.5).
    assert same(widths, [4.5, 52.5, 181.0, 164.5, 5.0, 40.0, 91.0, 119.5])
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [f"เขต{B}", "ทั้งกรุงเทพฯ"]


def test_communities_figure(hand):
    fig = render(D.communities_figure(hand, A))
    ax = fig.axes[0]
    assert "เทียบชุมชน" in ax.get_title() and "(กรณี)" in ax.get_xlabel()
    # ONE: emergency 1 and complex 1 of 3 children; TWO: complex 1 of 4 children.
    widths = [p.get_width() for p in ax.patches]
    assert same(widths, [10_000 / 3, 0.0, 10_000 / 3, 2_500.0])
    assert [t.get_text() for t in ax.get_yticklabels()] == [ONE, TWO]


# ----------------------------------------------------------------------- a simulated city


@pytest.fixture(scope="module")
def city() -> DashboardData:
    pop = simulator.simulate(3000, seed=1)
    return DashboardData.from_simulation(pop, simulator.simulate_timelines(pop))


def test_funnel_invariants(city):
    c = city.cases
    f = D.stage_funnel(city).set_index("step")
    n = f["cases"]
    assert (np.diff(n.to_numpy()) <= 0).all(), "the funnel never widens"
    assert f["stopped_here"].sum() == len(c) == n["onset"]
    assert n["noticed"] == c["noticed_date"].notna().sum()
    assert n["notified"] == c["first_notified_date"].notna().sum()
    assert n["plan"] == c["plan_date"].notna().sum()
    assert n["consent"] == (c["consent_date"].notna() | c["service_start_date"].notna()).sum()
    assert n["in_service"] == c["service_start_date"].notna().sum()
    assert n["goal_met_any"] == (c["goals_met"] > 0).sum()
    assert n["all_goals_met"] == (c["goals_met"] == c["goals_planned"]).sum()
    acknowledged = city.events.loc[city.events["event"] == "acknowledged", "case_id"].nunique()
    assert n["acknowledged"] == acknowledged
    districts = city.households["district"].astype(str).unique()
    total = sum(D.stage_funnel(city, d)[["cases", "passed_without_record"]].to_numpy() for d in districts)
    assert (total == f[["cases", "passed_without_record"]].to_numpy()).all()


def test_an_earlier_day_knows_fewer_cases(city):
    early = D.stage_funnel(city.upto("2023-06-30")).set_index("step")["cases"]
    late = D.stage_funnel(city).set_index("step")["cases"]
    assert (early <= late).all() and (early < late).all()
    assert early["onset"] == (city.cases["onset_date"] <= "2023-06-30").sum()


def test_time_and_goal_invariants(city):
    t = D.time_to_steps(city, start="2023-01-01", end="2023-12-31").set_index("step")
    cohort = city.cases[city.cases["noticed_date"].between("2023-01-01", "2023-12-31")]
    assert (t["reached"] + t["not_yet"] == len(cohort)).all()
    assert t.loc["plan", "reached"] == cohort["plan_date"].notna().sum()
    assert (t["median_days"] <= t["p75_days"]).all()
    g = D.goals_met_within(city).set_index("dimension")
    dims = g.drop(index="all")
    counts = ["goals_planned", "service_started", "not_started", "window_ended", "young_excluded", "met_within"]
    assert dims[counts].sum().tolist() == g.loc["all", counts].tolist()
    assert (g["window_ended"] + g["young_excluded"] == g["service_started"]).all()
    assert (g["met_within"] <= g["window_ended"]).all()
    assert g.loc["all", "goals_planned"] == (city.events["event"] == "goal_set").sum()
    # The simulator meets goals within 6-12 months of service start, so none is met late.
    met_events = (city.events["event"] == "goal_met").sum()
    assert g.loc["all", "met_within"] <= met_events


def test_bottleneck_invariants(city):
    b = D.bottlenecks(city)
    c = city.cases
    steps = b.groupby("step")["waiting"].sum()
    # The simulator's outcome awaiting_consent also holds consented cases whose service has
    # not started yet; those wait on the providers' service start instead.
    undecided = c["outcome"].isin(["awaiting_consent", "unable"]) & c["consent_date"].isna()
    assert steps["consent"] == undecided.sum() > 0
    ready = (c["consent_date"].notna() | c["separated"]) & c["service_start_date"].isna()
    assert steps["service_start"] == c.loc[ready, "goals_planned"].sum() > 0
    ev = city.events
    notified = set(zip(ev.loc[ev["event"] == "notified", "case_id"], ev.loc[ev["event"] == "notified", "dimension"]))
    acked = set(zip(ev.loc[ev["event"] == "acknowledged", "case_id"],
                    ev.loc[ev["event"] == "acknowledged", "dimension"]))
    assert b.loc[b["step"] == "acknowledgement", "waiting"].sum() == len(notified - acked)
    assert (np.diff(b["waiting_case_days"].to_numpy()) <= 0).all()


def test_community_and_month_invariants(city):
    district = city.households["district"].astype(str).value_counts().index[0]
    here = city.households[city.households["district"].astype(str) == district]
    t = D.communities_compared(city, district)
    assert t["families"].sum() == len(here)
    assert t["community"].tolist() == t.sort_values("per_10000", ascending=False, kind="stable")["community"].tolist()
    noticed = city.cases[city.cases["family_id"].isin(here["family_id"]) & city.cases["noticed_date"].notna()]
    assert t["cases"].sum() == len(noticed) == D.stage_funnel(city, district).loc[1, "cases"]
    m = D.monthly_new_cases(city, district)
    assert m["total"].sum() == len(noticed)
    assert (m[["emergency", "complex"]].sum(axis=1) == m["total"]).all()
