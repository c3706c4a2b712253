"""Activity 8's widget (simulator/widgets/own_case.py), driven by setting values and clicking.

The workshop is ``tests/platform_fixture.py``'s: in ลาดกระบัง ชุมชนทุ่งนา, HH0000007 has a
yellow child social and parent health petal, HH0000008 only a green record.
"""

from __future__ import annotations

import pytest

from simulator.platform import service as sv
from simulator.widgets import OwnCaseWidget
from simulator.widgets.own_case import SHOW_TEXT
from tests.platform_fixture import PIN, build_world, user_key


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    return build_world(f"sqlite:///{tmp_path_factory.mktemp('own') / 'p.db'}")


def _sign_in(widget, user):
    widget.name.value, widget.pin.value = user.name_th, PIN
    widget.sign_in_button.click()


def test_a_volunteer_chooses_a_family_and_sees_its_flower_and_the_comparison(world):
    app = OwnCaseWidget(world.platform)
    assert app.choosing.layout.display == "none" and app.show_button.description == SHOW_TEXT
    _sign_in(app, world.users[user_key("volunteer", "ลาดกระบัง", "ชุมชนทุ่งนา")])
    assert app.choosing.layout.display == "flex" and "เข้าสู่ระบบแล้ว" in app.sign_in_message.value
    # Only the family with a yellow or red petal is offered, with its level and dimensions.
    assert app.family.options == (("— เลือกครอบครัว —", ""),
                                  ("ครอบครัวทดสอบ 7 (HH0000007) · ซับซ้อน · มิติสังคม สุขภาพ", "HH0000007"))
    app.show_button.click()
    assert "ยังไม่ได้เลือกครอบครัว" in app.message.value and app.scenario_widget is None

    app.family.value = "HH0000007"
    app.show_button.click()
    assert "✔ ครอบครัว HH0000007" in app.message.value
    assert app.flower.png.startswith(b"\x89PNG") and "กลีบดอกของครอบครัวทดสอบ 7" in app.flower.alt
    exercise = app.scenario_widget
    assert exercise.dimensions == ("social", "health") and exercise.case_id == "JC0000007"
    assert app.exercise.children == (exercise.view,)
    # The embedded activity 7 exercise works as there: leave the social provider out, see the result.
    exercise.notified["social"].value = False
    exercise.show_button.click()
    assert exercise.figure.png and "ไม่ได้แจ้งนักสังคมสงเคราะห์" in exercise.summary.value
    assert "นักสังคมสงเคราะห์ (มิติสังคม)ไม่ได้รับแจ้ง จึงไม่รู้ว่า" in exercise.blind.value


def test_roles_outside_a_community_are_refused_in_thai(world):
    for key in (user_key("provider_health", "บางนา"), user_key("district_staff", "บางนา"), "committee"):
        app = OwnCaseWidget(world.platform)
        _sign_in(app, world.users[key])
        assert "กิจกรรมนี้ใช้ครอบครัวในชุมชนของตัวเอง" in app.sign_in_message.value, key
        assert app.choosing.layout.display == "none" and app.user is None


def test_a_community_without_a_family_with_a_problem_is_told_what_to_do(world):
    sv.add_community(world.platform, "บางนา", "ชุมชนใหม่")
    sv.register(world.platform, "อาสา ชุมชนใหม่", "0861234567", "volunteer", "บางนา", "ชุมชนใหม่", PIN)
    app = OwnCaseWidget(world.platform)
    app.name.value, app.pin.value = "อาสา ชุมชนใหม่", PIN
    app.sign_in_button.click()
    assert "ยังไม่มีครอบครัวที่มีกลีบสีเหลืองหรือแดง" in app.sign_in_message.value
    assert "กิจกรรม 5" in app.sign_in_message.value and app.choosing.layout.display == "none"


def test_a_wrong_pin_is_refused(world):
    app = OwnCaseWidget(world.platform)
    app.name.value, app.pin.value = world.users[user_key("volunteer", "บางนา", "ชุมชนริมคลอง")].name_th, "0000"
    app.sign_in_button.click()
    assert "ชื่อหรือรหัส PIN ไม่ถูกต้อง" in app.sign_in_message.value and app.choosing.layout.display == "none"
