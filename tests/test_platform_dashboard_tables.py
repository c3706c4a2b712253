"""The dashboards run unchanged on the platform's rows; what is recorded shows at once.

The workshop is ``tests/platform_fixture.py``'s; the counts below are worked out from its table.
"""

import datetime as dt
import warnings

import pytest

from simulator.dashboards.community import (
    community_board,
    community_summary,
    provider_feedback,
)
from simulator.dashboards.provider import unacknowledged
from simulator.dashboards.tables import REQUIRED_COLUMNS
from simulator.platform import service as sv
from simulator.platform.dashboard_tables import dashboard_data, family_flower
from tests.platform_fixture import build_world, code, user_key

AS_OF = dt.date(2025, 6, 20)


@pytest.fixture
def world(platform_url):
    w = build_world(platform_url)
    yield w
    w.platform.dispose()


def test_the_five_tables_hold_the_workshop(world):
    data = dashboard_data(world.platform, as_of=AS_OF)
    for name, columns in REQUIRED_COLUMNS.items():
        assert set(columns) <= set(getattr(data, name).columns), name
    assert data.households["family_id"].tolist() == [code(n) for n in range(1, 9)]
    assert data.households.set_index("family_id").loc[code(5), ["district", "zone", "sandbox"]].tolist() == [
        "ลาดกระบัง", "กรุงเทพตะวันออก", True]
    assert len(data.children) == 16 and data.children["person_id"].iloc[:2].tolist() == ["HH0000001-01",
                                                                                          "HH0000001-02"]
    # Cases: the six families with a yellow or red petal; HH0000004 (nothing) and HH0000008 (green) have none.
    assert data.cases["family_id"].tolist() == [code(n) for n in (1, 2, 3, 5, 6, 7)]
    events = data.events["event"].value_counts().to_dict()
    assert events == {"noticed": 8, "notified": 8, "acknowledged": 2, "plan_meeting": 2, "goal_set": 2}
    one = data.cases.set_index("case_id").loc["JC0000001"]
    assert (one["dimensions"], one["noticed_date"].date(), one["first_notified_date"].date(), one["plan_date"].date(),
            one["outcome"], one["goals_planned"]) == ("education,health", dt.date(2025, 6, 1), dt.date(2025, 6, 4),
                                                      dt.date(2025, 6, 6), "awaiting_consent", 1)
    acks = data.events[data.events["event"] == "acknowledged"]
    assert acks[["family_id", "dimension", "actor_role"]].values.tolist() == [
        [code(1), "health", "nurse"], [code(7), "social", "social_worker"]]


def test_a_recorded_observation_and_notification_show_on_the_community_board(world):
    volunteer = world.users[user_key("volunteer", "บางนา", "ชุมชนหลังวัด")]
    board = community_board(dashboard_data(world.platform, as_of=AS_OF), "ชุมชนหลังวัด", district="บางนา")
    assert board.set_index("family_id").loc[code(4), ["case_level", "status"]].tolist() == ["none", "no_case"]

    sv.record_observation(volunteer, code(4), "injuries_suggesting_abuse", "มีรอยช้ำที่แขนและขา", on=dt.date(2025, 6, 18))
    board = community_board(dashboard_data(volunteer, as_of=AS_OF), "ชุมชนหลังวัด", district="บางนา")
    row = board.set_index("family_id").loc[code(4)]
    assert board["family_id"].iloc[0] == code(4)  # emergency now: the top of the board
    assert (row["child_health"], row["red_petals"], row["case_level"], row["last_event"], row["status"]) == (
        "red", 1, "emergency", "noticed", "awaiting_plan")

    sv.notify(volunteer, code(4), on=dt.date(2025, 6, 18))
    data = dashboard_data(volunteer, as_of=AS_OF)
    feedback = provider_feedback(data, "ชุมชนหลังวัด", district="บางนา").set_index("family_id")
    mine = feedback.loc[[code(4)]]
    # Emergency: due the next day (acknowledge_within_days.emergency = 1); not acknowledged by 20 Jun.
    assert mine[["dimension", "answer"]].values.tolist() == [["health", "overdue"]]
    assert mine["due_date"].iloc[0].date() == dt.date(2025, 6, 19)
    assert community_summary(data, "ชุมชนหลังวัด", district="บางนา")["notifications_overdue"] == 2  # + HH0000003's


def test_overdue_items_show_on_the_provider_dashboard(world):
    teacher = world.users[user_key("provider_education", "บางนา")]
    late = unacknowledged(dashboard_data(teacher, as_of=AS_OF), "education")
    # Both education notifications of บางนา were sent on 4 Jun, due on 11 Jun (complex: 7 days).
    assert late["family_id"].tolist() == [code(1), code(3)]
    assert late["overdue"].tolist() == [True, True] and late["days_late"].tolist() == [9, 9]
    note = int(sv.inbox(teacher).set_index("family_id").loc[code(3), "notification_id"])
    sv.acknowledge(teacher, note, on=dt.date(2025, 6, 19))
    late = unacknowledged(dashboard_data(teacher, as_of=AS_OF), "education")
    assert late["family_id"].tolist() == [code(1)]


def test_the_familys_flower_shows_what_was_recorded(world):
    volunteer = world.users[user_key("volunteer", "บางนา", "ชุมชนริมคลอง")]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing Thai glyph raises
        fig = family_flower(volunteer, code(1))
        fig.canvas.draw()
    texts = [t.get_text().replace("\n", " ") for t in fig.findobj(match=lambda a: hasattr(a, "get_text"))]
    assert any("กลีบดอกของครอบครัวทดสอบ 1 (HH0000001)" in t for t in texts)
    assert any("พัฒนาการล่าช้า" in t for t in texts)  # the observation's indicator, under the flower
    assert "ครอบครัวทดสอบ 1" in fig.termtem_alt_th
    fonts = {t.get_fontname() for t in fig.findobj(match=lambda a: hasattr(a, "get_fontname")) if t.get_text()}
    assert fonts == {"Sarabun"}
    from simulator.platform.access import AccessDenied

    with pytest.raises(AccessDenied):
        family_flower(volunteer, code(3))
