"""The trainer's screens of activities 1 and 2 follow the room on the platform."""

import datetime as dt
import re
import warnings

import pandas as pd
import pytest

from simulator.exercises.checkin import load_checkin
from simulator.platform import room
from simulator.platform.db import open_platform
from simulator.workshop.room_screen import (
    EXAMPLE_SIZE,
    CheckinScreenWidget,
    RoomScreenWidget,
)
from tests.platform_fixture import fast_settings

SPEC = load_checkin()
PEOPLE = [("ป้าศรี", "volunteer", "บางนา", "ชุมชนริมคลอง"), ("ลุงชัย", "community_leader", "บางนา", "ชุมชนหลังวัด"),
          ("ครูเอ", "provider_education", "บางนา", ""), ("หมอบี", "provider_health", "บางนา", ""),
          ("พี่ซี", "provider_social", "บางนา", ""), ("ปลัดดี", "provider_governance", "บางนา", ""),
          ("คุณอี", "district_staff", "บางนา", ""), ("อสส.เอฟ", "phv", "บางนา", "ชุมชนริมคลอง")]


@pytest.fixture
def platform(tmp_path):
    p = open_platform(tmp_path / "workshop", settings=fast_settings())
    yield p
    p.dispose()


@pytest.fixture(autouse=True)
def missing_glyphs_fail():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def fill(platform):
    for person in PEOPLE:
        room.join_room(platform, *person)


def test_the_room_screen_follows_who_joined_and_makes_mixed_groups(platform):
    screen = RoomScreenWidget(platform, seed=3)
    assert "ยังไม่มีใครลงชื่อ" in screen.headline.value and screen.picture.png == b""
    assert screen.roster_heading.layout.display == screen.groups_heading.layout.display == "none"
    fill(platform)
    screen.refresh_button.click()
    assert "ลงชื่อแล้ว 8 คน" in screen.headline.value and screen.roster_heading.layout.display is None
    assert "ชุมชน 3 คน · ผู้ให้บริการ 4 มิติ 4 คน · เขต 1 คน" in screen.headline.value
    assert screen.picture.png.startswith(b"\x89PNG") and "8" in screen.picture.alt
    assert all(name in screen.roster.value for name, *_ in PEOPLE)
    # Groups of about 4 make two groups, but there is one provider of each dimension: one group lacks each.
    screen.group_size.value = 4
    assert screen.grouped["group"].nunique() == 2
    assert "ไม่มีผู้ให้บริการด้าน" in screen.groups.value
    screen.group_size.value = 8
    assert screen.grouped["group"].nunique() == 1 and "ทุกกลุ่มมีผู้ให้บริการครบ 4 มิติ" in screen.groups.value
    screen.example.value = True
    assert f"ห้องตัวอย่าง (ข้อมูลสมมติ) {EXAMPLE_SIZE} คน" in screen.headline.value
    assert len(screen.people) == EXAMPLE_SIZE


def test_the_checkin_screen_draws_the_room_and_the_knowledge_report(platform):
    fill(platform)
    screen = CheckinScreenWidget(platform)
    assert "ลงชื่อ 8 คน · ตอบแบบสอบถาม 0 คน" in screen.counts.value and screen.report_button.disabled
    assert screen.survey_heading.layout.display == screen.test_heading.layout.display == "none"
    statements = [s.id for s in SPEC.survey.statements]
    questions = SPEC.test.question_ids
    for k, code in enumerate(["P01", "P02", "P03"]):
        room.save_survey(platform, pd.DataFrame({"participant_id": code, "statement_id": statements, "answer": k + 2}))
        room.save_test(platform, pd.DataFrame({"participant_id": code, "question_id": questions, "choice": [
            SPEC.test.question(q).answer if j < 4 + k else None for j, q in enumerate(questions)]}), "pre")
    screen.refresh_button.click()
    assert "ตอบแบบสอบถาม 3 คน · ทำแบบทดสอบก่อนอบรม 3 คน · หลังอบรม 0 คน" in screen.counts.value
    assert screen.survey_picture.png and screen.test_picture.png and "หลังอบรม" in screen.gain.value
    assert screen.survey_heading.layout.display is None and screen.test_heading.layout.display is None
    assert screen.report_button.disabled
    for code in ("P01", "P02"):
        room.save_test(platform, pd.DataFrame({"participant_id": code, "question_id": questions,
                                               "choice": [SPEC.test.question(q).answer for q in questions]}), "post",
                       on=room.bangkok_today() + dt.timedelta(days=21))
    screen.refresh_button.click()
    assert not screen.report_button.disabled
    assert "ถึงเป้า" in screen.gain.value and "P01" in screen.gain.value and "ป้าศรี" not in screen.gain.value
    screen.report_button.click()
    assert screen.report_pdf.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page\b", screen.report_pdf)) == 1
    assert "download='knowledge_report_" in screen.report_link.value
    assert "data:application/pdf;base64," in screen.report_link.value


def test_the_example_room_lets_a_trainer_rehearse(platform):
    screen = CheckinScreenWidget(platform, example=True)
    assert f"ลงชื่อ {EXAMPLE_SIZE} คน" in screen.counts.value and "ข้อมูลสมมติ" in screen.counts.value
    assert not screen.report_button.disabled
    assert screen.make_report().startswith(b"%PDF")
