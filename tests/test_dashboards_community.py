"""Community level: the board of who to visit next, the providers' feedback, the summary and the figure.

Expected numbers come from the hand-built world of ``tests/dashboard_fixture.py`` (counted
by hand from its event list), then invariants on a simulated population.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import simulator
from simulator.dashboards import community as C
from simulator.dashboards.casework import case_states
from simulator.dashboards.tables import PETAL_COLUMNS, DashboardData, DashboardDataError
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


@pytest.fixture(scope="module")
def two_districts():
    """Every community of two districts, at realistic sizes (about 55 families each)."""
    pop = simulator.simulate(1500, seed=1, districts=["ลาดกระบัง", "บางนา"])
    return DashboardData.from_simulation(pop, simulator.simulate_timelines(pop))


def _rows(table, key="family_id"):
    return {r[key]: r for r in table.to_dict("records")}


def test_board_of_a_community_lists_its_families_most_urgent_first(world):
    board = C.community_board(world.upto(DAY), "ชุมชนริมคลอง", "บางนา", LEVELS)
    assert list(board["family_id"]) == ["HH0000001", "HH0000003"]  # emergency before complex
    one, three = _rows(board).values()
    assert (one["case_id"], one["red_petals"], one["yellow_petals"], one["case_level"]) == (
        "JC0000001", 1, 1, "emergency")
    assert (one["child_social"], one["parent_health"], one["child_health"]) == ("red", "yellow", "green")
    assert (one["stage"], one["status"], one["open"]) == ("in_service", "in_service", True)
    assert (one["last_event"], one["last_event_date"], one["days_since_last_event"]) == (
        "appointment_missed", T("2025-06-25"), 5)
    # The volunteer went along on 20 Jun; emergency families are visited every 7 days.
    assert (one["last_visit_date"], one["days_since_visit"], one["next_visit_due"], one["visit_overdue"]) == (
        T("2025-06-20"), 10, T("2025-06-27"), True)
    assert (three["red_petals"], three["yellow_petals"], three["stage"], three["status"]) == (
        0, 2, "goals_met", "partly_met")
    assert (three["last_event"], three["days_since_last_event"]) == ("goal_met", 46)
    # Last community contact: the volunteer explained the plan on 10 Dec 2024; complex: every 30 days.
    assert (three["last_visit_date"], three["days_since_visit"], three["next_visit_due"], three["visit_overdue"]) == (
        T("2024-12-10"), 202, T("2025-01-09"), True)


def test_board_puts_an_emergency_family_first_even_when_its_visit_is_not_overdue(world):
    board = C.community_board(world.upto("2025-06-21"), "ชุมชนริมคลอง", "บางนา", LEVELS)
    assert list(zip(board["family_id"], board["visit_overdue"])) == [("HH0000001", False), ("HH0000003", True)]


def test_board_family_without_a_case_is_listed_but_never_due(world):
    board = C.community_board(world.upto(DAY), "ชุมชนริมคลอง", "ลาดกระบัง", LEVELS)
    row = board.iloc[0]
    assert list(board["family_id"]) == ["HH0000004"]
    assert (row["status"], row["stage"], row["open"], row["visit_overdue"]) == ("no_case", "none", False, False)
    assert pd.isna(row["case_id"]) and pd.isna(row["next_visit_due"]) and pd.isna(row["last_visit_date"])
    assert (row["red_petals"], row["yellow_petals"], row["case_level"]) == (0, 0, "routine")


def test_board_visit_clock_starts_at_the_notification_and_ignores_a_providers_acknowledgement(world):
    before = C.community_board(world.upto(DAY), "ชุมชนหลังวัด", levels=LEVELS).iloc[0]
    assert (before["stage"], before["status"], before["last_event"], before["days_since_last_event"]) == (
        "referral", "awaiting_plan", "notified", 107)
    assert (before["last_visit_date"], before["next_visit_due"], before["visit_overdue"]) == (
        T("2025-03-15"), T("2025-04-14"), True)
    after = C.community_board(world, "ชุมชนหลังวัด", levels=LEVELS).iloc[0]  # data to 31 Jul: the teacher acknowledged
    assert (after["last_event"], after["days_since_last_event"]) == ("acknowledged", 26)
    assert (after["last_visit_date"], after["days_since_visit"]) == (T("2025-03-15"), 138)


@pytest.mark.parametrize("day, overdue", [("2025-04-14", False), ("2025-04-15", True)])
def test_board_visit_is_overdue_the_day_after_it_is_due(world, day, overdue):
    row = C.community_board(world.upto(day), "ชุมชนหลังวัด", levels=LEVELS).iloc[0]
    assert (row["next_visit_due"], row["visit_overdue"]) == (T("2025-04-14"), overdue)


def test_board_visit_clock_of_a_case_nobody_from_the_community_has_touched_starts_when_it_became_known(world):
    # 12 Mar: the teacher noticed the problem on 10 Mar; the volunteer notifies only on 15 Mar.
    row = C.community_board(world.upto("2025-03-12"), "ชุมชนหลังวัด", levels=LEVELS).iloc[0]
    assert (row["status"], row["last_event"], row["last_visit_date"], row["days_since_visit"]) == (
        "awaiting_plan", "noticed", T("2025-03-10"), 2)
    assert (row["next_visit_due"], row["visit_overdue"]) == (T("2025-04-09"), False)


def test_board_before_anyone_noticed_shows_the_case_as_not_noticed(world):
    # On 3 Mar 2025 JC0000002's problem has begun (onset 1 Mar) but nobody has recorded it.
    row = C.community_board(world.upto("2025-03-03"), "ชุมชนหลังวัด", levels=LEVELS).iloc[0]
    assert (row["case_id"], row["status"], row["stage"], row["open"], row["visit_overdue"]) == (
        "JC0000002", "not_noticed", "none", False, False)


def test_community_name_in_two_districts_needs_its_district(world):
    with pytest.raises(DashboardDataError, match="กรุณาระบุเขต"):
        C.community_board(world, "ชุมชนริมคลอง")
    with pytest.raises(DashboardDataError, match="ไม่มีครัวเรือน"):
        C.community_board(world, "ชุมชนไม่มีจริง")
    with pytest.raises(DashboardDataError, match="ไม่มีครัวเรือน"):
        C.community_board(world, "ชุมชนหลังวัด", "บางนา")


def test_feedback_shows_each_notification_its_acknowledgement_and_what_followed(world):
    fb = C.provider_feedback(world.upto(DAY), "ชุมชนริมคลอง", "บางนา")
    got = [(r["case_id"], r["dimension"], r["answer"], r["days_waited"], r["days_late"], r["latest_event"])
           for r in fb.to_dict("records")]
    assert got == [
        ("JC0000003", "governance", "late", 26, 19, "appointment_attended"),
        ("JC0000001", "social", "late", 4, 3, "accompanied_visit"),
        ("JC0000003", "health", "on_time", 5, 0, "goal_met"),
        ("JC0000001", "health", "on_time", 1, 0, "appointment_missed"),
    ]
    first = fb.iloc[0]
    assert (first["notified_date"], first["due_date"], first["acknowledged_date"]) == (
        T("2024-10-25"), T("2024-11-01"), T("2024-11-20"))
    assert (first["latest_event_date"], first["latest_actor"]) == (T("2025-04-01"), "registrar")
    assert not fb["overdue"].any() and fb["acknowledged"].all()


@pytest.mark.parametrize("day, answer, waited, late, acknowledged", [
    ("2025-03-20", "waiting", 5, 0, False),
    ("2025-03-22", "waiting", 7, 0, False),   # due on 22 Mar: not yet overdue that day
    ("2025-03-23", "overdue", 8, 1, False),
    (DAY, "overdue", 107, 100, False),
    (None, "late", 112, 105, True),           # acknowledged on 5 Jul
])
def test_feedback_an_unanswered_notification_turns_overdue_the_day_after_its_due_date(
        world, day, answer, waited, late, acknowledged):
    data = world if day is None else world.upto(day)
    row = C.provider_feedback(data, "ชุมชนหลังวัด").iloc[0]
    assert (row["answer"], row["days_waited"], row["days_late"], row["acknowledged"]) == (
        answer, waited, late, acknowledged)
    assert row["overdue"] == (answer == "overdue")
    assert row["latest_event"] == ("acknowledged" if acknowledged else "notified")


def test_summary_counts_by_hand(world):
    s = C.community_summary(world.upto(DAY), "ชุมชนริมคลอง", "บางนา", LEVELS)
    assert {k: v for k, v in s.items() if not k.startswith(("red_", "yellow_"))} == {
        "families": 2, "children": 3, "open_cases": 2, "level_emergency": 1, "level_complex": 1,
        "level_routine": 0, "level_none": 0, "visits_overdue": 2, "notifications_waiting": 0,
        "notifications_overdue": 0, "acknowledged_late": 2}
    assert {k: v for k, v in s.items() if k.startswith(("red_", "yellow_")) and v} == {
        "red_child_social": 1, "yellow_parent_health": 1, "yellow_child_health": 1, "yellow_parent_governance": 1}
    other = C.community_summary(world.upto(DAY), "ชุมชนหลังวัด", levels=LEVELS)
    assert (other["notifications_waiting"], other["notifications_overdue"], other["visits_overdue"]) == (1, 1, 1)


def test_thai_views_use_thai_headers_words_and_buddhist_era_dates(world):
    data = world.upto(DAY)
    board = C.community_board_th(C.community_board(data, "ชุมชนริมคลอง", "บางนา", LEVELS))
    first = board.iloc[0]
    assert (first["ระดับกรณี"], first["เด็ก: สังคม"], first["สถานะ"], first["ขั้นปัจจุบัน"]) == (
        "ฉุกเฉิน", "แดง", "กำลังรับบริการ", "รับบริการ")
    assert (first["เยี่ยมล่าสุด"], first["ครบกำหนดเยี่ยม"], first["เลยกำหนดเยี่ยม"]) == (
        "20 มิ.ย. 2568", "27 มิ.ย. 2568", "ใช่")
    no_case = C.community_board_th(C.community_board(data, "ชุมชนริมคลอง", "ลาดกระบัง", LEVELS)).iloc[0]
    assert (no_case["รหัสกรณี"], no_case["สถานะ"], no_case["เยี่ยมล่าสุด"]) == ("", "ไม่มีกรณี", "")
    fb = C.provider_feedback_th(C.provider_feedback(data, "ชุมชนหลังวัด"))
    assert (fb.iloc[0]["มิติ"], fb.iloc[0]["การรับเรื่อง"], fb.iloc[0]["วันที่แจ้ง"]) == (
        "การศึกษา", "ยังไม่รับเรื่อง เลยกำหนด", "15 มี.ค. 2568")
    summary = C.community_summary_th(C.community_summary(data, "ชุมชนริมคลอง", "บางนา", LEVELS))
    assert summary.set_index("หัวข้อ").loc["เลยกำหนดเยี่ยม", "จำนวน"] == 2


def test_petal_figure_counts_each_colour_and_reads_in_thai(world):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing Thai glyph raises here
        fig = C.community_petal_figure(world.upto(DAY), "ชุมชนริมคลอง", "บางนา")
        problems = layout_problems(fig)
    assert not problems
    assert tuple(fig.get_size_inches()) == (4.0, 4.2)
    texts = [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text"))]
    assert any("กลีบดอกของครอบครัวในชุมชนริมคลอง" in t for t in texts)
    assert {"เด็ก (วงใน)", "ผู้ปกครอง (วงนอก)", "แดง", "เหลือง", "เขียว"} <= set(texts)
    assert {t.get_fontname() for t in fig.findobj(lambda a: hasattr(a, "get_fontname"))} == {"Sarabun"}
    ax = fig.axes[0]
    widths = [(round(p.get_y() + p.get_height() / 2, 1), p.get_facecolor()[:3], p.get_width()) for p in ax.patches]
    red = {y: w for y, c, w in widths if np.allclose(c, (0xd7 / 255, 0x26 / 255, 0x3d / 255))}
    assert red[8.6] == 1 and sum(red.values()) == 1  # one red petal: the child's social petal (top bar)
    # The red and yellow counts stand in two columns right of the bars, top to bottom in petal order.
    red_ink = [t.get_text() for t in ax.texts if t.get_color() == C.COLOURS["red"]]
    assert red_ink == ["แดง", "1", "0", "0", "0", "0", "0", "0", "0"]
    yellow_ink = [t.get_text() for t in ax.texts if t.get_color() == "#9a6b00"]
    assert yellow_ink == ["เหลือง", "0", "0", "1", "0", "0", "0", "1", "1"]
    assert "กลีบแดง เด็ก: สังคม 1" in fig.termtem_alt_th
    assert "กลีบเหลือง เด็ก: สุขภาพ 1, ผู้ปกครอง: สุขภาพ 1, ผู้ปกครอง: การปกครอง 1" in fig.termtem_alt_th


# --- invariants on a simulated population ------------------------------------------------------


def _communities(sim, n=6):
    places = sim.households.groupby(["district", "community"], observed=True).size().sort_values()
    return [places.index[i] for i in np.linspace(0, len(places) - 1, n).astype(int)]


def test_sim_every_family_of_the_community_appears_once_in_urgency_order(sim, two_districts):
    rank = {lv: i for i, lv in enumerate(C.LEVEL_ORDER)}
    places = [(sim, place) for place in _communities(sim)]
    places += [(two_districts, place) for place in _communities(two_districts, 26)]
    for data, (district, community) in places:
        board = C.community_board(data, community, district)
        hh = data.households
        mine = hh[(hh["district"] == district) & (hh["community"] == community)]["family_id"]
        assert sorted(board["family_id"]) == sorted(mine)
        keys = list(zip(board["case_level"].map(rank), ~board["visit_overdue"],
                        -board["days_since_visit"].astype("Float64").fillna(-1)))
        assert keys == sorted(keys), f"{community}: not in urgency order"
        assert (board["red_petals"] + board["yellow_petals"] <= 8).all()
        # An open case is due a visit when its level says; no other family is.
        assert not (board["visit_overdue"] & ~board["open"]).any()
        assert board["next_visit_due"].notna().tolist() == board["open"].tolist()
        every = board["case_level"].map(data.settings.visit_every_days.model_dump())
        due = board["last_visit_date"] + pd.to_timedelta(every, unit="D")
        assert due[board["open"]].tolist() == board.loc[board["open"], "next_visit_due"].tolist()


def test_sim_status_agrees_with_the_simulators_outcome_on_the_last_day(sim):
    states = case_states(sim).set_index("case_id")
    outcome = sim.cases.set_index("case_id")["outcome"].astype(str).reindex(states.index)
    differ = states["status"] != outcome
    # The only difference: "unable" shows as soon as the latest answer is "agreed but unable".
    assert set(zip(states.loc[differ, "status"], outcome[differ])) <= {("unable", "awaiting_consent")}
    assert (states.loc[outcome == "unable", "status"] == "unable").all()
    assert differ.sum() < 0.05 * len(states)


def test_sim_summaries_of_all_communities_add_up_to_the_whole(two_districts):
    sim = two_districts
    places = sim.households.groupby(["district", "community"], observed=True).size().index
    totals = pd.DataFrame([C.community_summary(sim, c, d) for d, c in places]).sum()
    assert totals["families"] == len(sim.households)
    assert totals["children"] == len(sim.children)
    levels = sim.petals["case_level"].astype(str).value_counts()
    for lv in C.LEVEL_ORDER:
        assert totals[f"level_{lv}"] == levels.get(lv, 0)
    for p in PETAL_COLUMNS:
        assert totals[f"red_{p}"] == (sim.petals[p] == "red").sum()
    notified = (sim.events["event"] == "notified").sum()
    acknowledged = (sim.events["event"] == "acknowledged").sum()
    assert totals["notifications_waiting"] == notified - acknowledged


def test_sim_feedback_moves_with_the_day(sim):
    district, community = _communities(sim, 3)[-1]
    counts = []
    for day in ("2022-01-01", "2023-06-30", "2025-12-31"):
        fb = C.provider_feedback(sim.upto(day), community, district)
        hh = sim.households
        families = hh[(hh["district"] == district) & (hh["community"] == community)]["family_id"]
        ev = sim.events[sim.events["family_id"].isin(families) & (sim.events["date"] <= day)]
        assert len(fb) == (ev["event"] == "notified").sum()
        assert fb["acknowledged"].sum() == (ev["event"] == "acknowledged").sum()
        assert (fb["days_waited"] >= 0).all() and (fb["days_late"] <= fb["days_waited"]).all()
        counts.append((len(fb), int(fb["acknowledged"].sum())))
    assert counts == sorted(counts) and counts[0] < counts[-1]
