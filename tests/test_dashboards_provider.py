"""Provider level: caseload by stage, unacknowledged notifications, follow-ups, out of contact.

Expected numbers come from the hand-built world of ``tests/dashboard_fixture.py`` (counted
by hand from its event list), then invariants on a simulated population.
"""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

import simulator
from simulator.dashboards import provider as P
from simulator.dashboards.tables import DashboardData, DashboardDataError
from simulator.model.config import DIMENSIONS
from tests.dashboard_fixture import DAY, LEVELS, tiny_world
from tests.test_figure_layout import layout_problems

T = pd.Timestamp


@pytest.fixture(params=["object", "category"])
def world(request):
    """The tiny world, with its code columns as plain strings (as read from CSV) or as categoricals."""
    data = tiny_world()
    if request.param == "category":
        events = data.events.astype({c: "category" for c in ("stage", "dimension", "actor_role", "event")})
        data = DashboardData(**{**data.tables(), "events": events}, as_of=data.as_of, settings=data.settings)
    return data


@pytest.fixture(scope="module")
def sim():
    pop = simulator.simulate(2000, seed=1)
    return DashboardData.from_simulation(pop, simulator.simulate_timelines(pop))


def _ids(table):
    return list(table["case_id"])


def test_caseload_by_hand(world):
    data = world.upto(DAY)
    social = P.caseload(data, "social", levels=LEVELS)
    assert _ids(social) == ["JC0000001"]
    row = social.iloc[0]
    assert (row["stage"], row["notified_date"], row["last_event"], row["days_since_last_event"]) == (
        "in_service", T("2025-01-06"), "appointment_missed", 5)
    assert (row["district"], row["community"], row["case_level"]) == ("บางนา", "ชุมชนริมคลอง", "emergency")
    # JC0000003 met its health goal on 15 May: it has left the health caseload.
    assert _ids(P.caseload(data, "health", levels=LEVELS)) == ["JC0000001"]
    assert _ids(P.caseload(world.upto("2025-05-14"), "health", levels=LEVELS)) == ["JC0000001", "JC0000003"]
    education = P.caseload(data, "education", levels=LEVELS).iloc[0]
    assert (education["case_id"], education["stage"], education["days_since_last_event"]) == (
        "JC0000002", "referral", 107)
    # Governance: the health goal met on 15 May is another dimension's progress; the stage stays in service.
    governance = P.caseload(data, "governance", levels=LEVELS).iloc[0]
    assert (governance["case_id"], governance["stage"], governance["last_event"]) == (
        "JC0000003", "in_service", "goal_met")


def test_caseload_enters_on_the_notification_day(world):
    assert _ids(P.caseload(world.upto("2025-03-14"), "education", levels=LEVELS)) == []
    assert _ids(P.caseload(world.upto("2025-03-15"), "education", levels=LEVELS)) == ["JC0000002"]


def test_caseload_of_a_district(world):
    data = world.upto(DAY)
    assert _ids(P.caseload(data, "health", "บางนา", LEVELS)) == ["JC0000001"]
    assert _ids(P.caseload(data, "education", "บางนา", LEVELS)) == []
    assert _ids(P.caseload(data, "education", "ลาดกระบัง", LEVELS)) == ["JC0000002"]
    with pytest.raises(DashboardDataError, match="ไม่มีครัวเรือนในเขต"):
        P.caseload(data, "education", "ไม่มีเขตนี้", LEVELS)
    with pytest.raises(DashboardDataError, match="ไม่รู้จักมิติ"):
        P.caseload(data, "housing", levels=LEVELS)


@pytest.mark.parametrize("day, waited, late, overdue", [
    ("2025-03-22", 7, 0, False),  # due that day
    ("2025-03-23", 8, 1, True),
    (DAY, 107, 100, True),
])
def test_unacknowledged_by_hand(world, day, waited, late, overdue):
    table = P.unacknowledged(world.upto(day), "education")
    assert _ids(table) == ["JC0000002"]
    row = table.iloc[0]
    assert (row["notified_date"], row["due_date"], row["days_waited"], row["days_late"], row["overdue"]) == (
        T("2025-03-15"), T("2025-03-22"), waited, late, overdue)
    assert row["community"] == "ชุมชนหลังวัด"


def test_unacknowledged_empties_once_acknowledged(world):
    assert P.unacknowledged(world, "education").empty  # acknowledged on 5 Jul
    for dim in ("social", "health", "governance"):
        assert P.unacknowledged(world.upto(DAY), dim).empty
    # Before 10 Jan the social worker had not answered JC0000001 (due 7 Jan).
    row = P.unacknowledged(world.upto("2025-01-09"), "social").iloc[0]
    assert (row["case_id"], row["due_date"], row["days_late"], row["overdue"]) == (
        "JC0000001", T("2025-01-07"), 2, True)


def test_follow_ups_by_hand(world):
    data = world.upto(DAY)
    social = P.follow_ups(data, "social", levels=LEVELS).iloc[0]
    # Last contact 20 Jun (the volunteer's accompanied visit, latest that day); emergency: every 14 days.
    assert (social["case_id"], social["last_contact_date"], social["last_contact_event"]) == (
        "JC0000001", T("2025-06-20"), "accompanied_visit")
    assert (social["due_date"], social["days_to_due"], social["follow_up"]) == (T("2025-07-04"), 4, "due")
    health = P.follow_ups(data, "health", levels=LEVELS).iloc[0]
    # The missed appointment of 25 Jun is the parent's, not a contact: the last contact is 1 May.
    assert (health["case_id"], health["last_contact_date"], health["last_contact_event"]) == (
        "JC0000001", T("2025-05-01"), "appointment_attended")
    assert (health["due_date"], health["days_to_due"], health["follow_up"]) == (T("2025-05-15"), -46, "overdue")
    governance = P.follow_ups(data, "governance", levels=LEVELS).iloc[0]
    assert (governance["case_id"], governance["service_start_date"], governance["due_date"]) == (
        "JC0000003", T("2025-01-05"), T("2025-05-01"))
    assert (governance["days_to_due"], governance["follow_up"]) == (-60, "overdue")
    assert P.follow_ups(data, "education", levels=LEVELS).empty


@pytest.mark.parametrize("day, to_due, status", [
    ("2025-06-26", 8, "ok"), ("2025-06-27", 7, "due"), ("2025-07-04", 0, "due"), ("2025-07-05", -1, "overdue")])
def test_follow_up_turns_due_seven_days_ahead_and_overdue_the_day_after(world, day, to_due, status):
    row = P.follow_ups(world.upto(day), "social", levels=LEVELS).iloc[0]
    assert (row["days_to_due"], row["follow_up"]) == (to_due, status)


def test_out_of_contact_by_hand(world):
    data = world.upto(DAY)
    assert _ids(P.out_of_contact(data, "education", levels=LEVELS)) == ["JC0000002"]
    governance = P.out_of_contact(data, "governance", levels=LEVELS)
    assert _ids(governance) == ["JC0000003"] and governance.iloc[0]["days_since_last_event"] == 46
    assert P.out_of_contact(data, "social", levels=LEVELS).empty
    assert P.out_of_contact(data, "health", levels=LEVELS).empty  # JC0000003 has left the health caseload
    # 30 days without any event lists the case; 29 do not.
    assert _ids(P.out_of_contact(world.upto("2025-06-14"), "governance", levels=LEVELS)) == ["JC0000003"]
    assert P.out_of_contact(world.upto("2025-06-13"), "governance", levels=LEVELS).empty


def test_summary_by_hand(world):
    data = world.upto(DAY)
    zero = {f"caseload_{s}": 0 for s in P.CASELOAD_STAGES}
    assert P.provider_summary(data, "education", levels=LEVELS) == {
        "caseload": 1, **zero, "caseload_referral": 1, "unacknowledged": 1, "unacknowledged_overdue": 1,
        "served": 0, "follow_ups_due": 0, "follow_ups_overdue": 0, "out_of_contact": 1}
    assert P.provider_summary(data, "social", levels=LEVELS) == {
        "caseload": 1, **zero, "caseload_in_service": 1, "unacknowledged": 0, "unacknowledged_overdue": 0,
        "served": 1, "follow_ups_due": 1, "follow_ups_overdue": 0, "out_of_contact": 0}
    assert P.provider_summary(data, "governance", "บางนา", LEVELS) == {
        "caseload": 1, **zero, "caseload_in_service": 1, "unacknowledged": 0, "unacknowledged_overdue": 0,
        "served": 1, "follow_ups_due": 0, "follow_ups_overdue": 1, "out_of_contact": 1}
    board = P.provider_board(data, "health", levels=LEVELS)
    assert set(board) == {"caseload", "unacknowledged", "follow_ups", "out_of_contact", "summary"}
    assert board["summary"]["follow_ups_overdue"] == 1 and _ids(board["follow_ups"]) == ["JC0000001"]


def test_thai_views(world):
    data = world.upto(DAY)
    fu = P.follow_ups_th(P.follow_ups(data, "health", levels=LEVELS)).iloc[0]
    assert (fu["ระดับกรณี"], fu["ติดต่อล่าสุดในมิตินี้"], fu["การติดตาม"], fu["การติดต่อล่าสุด"]) == (
        "ฉุกเฉิน", "1 พ.ค. 2568", "เลยกำหนดติดตาม", "มาตามนัด")
    un = P.unacknowledged_th(P.unacknowledged(data, "education")).iloc[0]
    assert (un["ควรรับเรื่องภายใน"], un["เลยกำหนด"], un["เลยกำหนด (วัน)"]) == ("22 มี.ค. 2568", "ใช่", 100)
    load = P.caseload_th(P.caseload(data, "education", levels=LEVELS)).iloc[0]
    assert (load["ขั้นในมิตินี้"], load["เหตุการณ์ล่าสุด"]) == ("ส่งต่อ/แจ้งเรื่อง", "แจ้งผู้ให้บริการ")
    assert list(P.out_of_contact_th(P.out_of_contact(data, "education", levels=LEVELS)).columns) == list(
        P.OUT_OF_CONTACT_TH.values())
    summary = P.provider_summary_th(P.provider_summary(data, "health", levels=LEVELS)).set_index("หัวข้อ")
    assert summary.loc["เลยกำหนดติดตาม", "จำนวน"] == 1


def test_figure_reads_in_thai_at_phone_width(world):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing Thai glyph raises here
        fig = P.provider_figure(world.upto(DAY), "governance", "บางนา", LEVELS)
        problems = layout_problems(fig)
    assert not problems
    assert fig.get_size_inches()[0] == 4.0
    texts = [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text"))]
    assert any(t.startswith("ผู้ให้บริการมิติการปกครอง เขตบางนา") for t in texts)
    assert {"รับบริการ", "ส่งต่อ/แจ้งเรื่อง", "เลยกำหนดติดตาม", "ขาดการติดต่อ 30 วันขึ้นไป"} <= set(texts)
    assert {t.get_fontname() for t in fig.findobj(lambda a: hasattr(a, "get_fontname"))} == {"Sarabun"}
    top, bottom = fig.axes
    assert [p.get_width() for p in top.patches] == [1, 0, 0, 0, 0]  # in service (top bar) ... referral
    assert [p.get_width() for p in bottom.patches] == [1, 0, 1, 0]  # out of contact, due, overdue, unack.
    assert "กรณีที่ดูแลอยู่ 1 กรณี" in fig.termtem_alt_th and "เลยกำหนดติดตาม 1" in fig.termtem_alt_th


# --- invariants on a simulated population ------------------------------------------------------


@pytest.mark.parametrize("day", ["2023-06-30", None])
def test_sim_unacknowledged_is_notified_minus_acknowledged(sim, day):
    data = sim if day is None else sim.upto(day)
    ev = data.events
    for dim in DIMENSIONS:
        here = ev[ev["dimension"] == dim]
        expected = (here["event"] == "notified").sum() - (here["event"] == "acknowledged").sum()
        assert len(P.unacknowledged(data, dim)) == expected, dim


def test_sim_caseload_is_notified_cases_whose_goal_is_not_met(sim):
    for dim in DIMENSIONS:
        board = P.provider_board(sim, dim)
        ev = sim.events[sim.events["dimension"] == dim]
        notified = set(ev.loc[ev["event"] == "notified", "case_id"])
        met = set(ev.loc[ev["event"] == "goal_met", "case_id"])
        assert set(board["caseload"]["case_id"]) == notified - met
        s = board["summary"]
        assert sum(s[f"caseload_{st}"] for st in P.CASELOAD_STAGES) == s["caseload"]
        started = set(ev.loc[ev["event"] == "service_started", "case_id"])
        assert set(board["follow_ups"]["case_id"]) == started - met
        assert set(board["out_of_contact"]["case_id"]) <= set(board["caseload"]["case_id"])
        assert (board["out_of_contact"]["days_since_last_event"] >= sim.settings.no_contact_days).all()
        fu = board["follow_ups"]
        assert (fu["follow_up"] == "overdue").tolist() == (fu["days_to_due"] < 0).tolist()


def test_sim_districts_partition_the_city(sim):
    whole = P.provider_summary(sim, "health")
    parts = pd.DataFrame([P.provider_summary(sim, "health", d)
                          for d in sim.households["district"].astype(str).unique()]).sum()
    assert parts.to_dict() == whole


def test_sim_caseload_moves_with_the_day(sim):
    days = pd.date_range("2021-06-30", "2025-12-31", freq="6MS") - pd.Timedelta(days=1)
    notified = []
    for day in days:
        data = sim.upto(day)
        s = P.provider_summary(data, "social")
        # upto() keeps the cases whose onset_date is on or before the day. onset_date is the most
        # severe problem's onset, and in a few cases another problem began (and was notified)
        # earlier: count the events of the cases the data holds.
        ev = data.events[(data.events["dimension"] == "social") & data.events["case_id"].isin(data.cases["case_id"])]
        assert s["caseload"] == ev.loc[ev["event"] == "notified", "case_id"].nunique() - ev.loc[
            ev["event"] == "goal_met", "case_id"].nunique()
        notified.append((ev["event"] == "notified").sum())
    assert notified == sorted(notified) and notified[0] < notified[-1]
