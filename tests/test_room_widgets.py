"""Activities 1 and 2 on a phone, driven in code: join the room, then the check-in under the code."""

import pytest

from simulator.exercises.checkin import load_checkin
from simulator.platform import room
from simulator.platform.db import open_platform
from simulator.widgets.room import CheckinWidget, JoinRoomWidget
from tests.platform_fixture import fast_settings

SPEC = load_checkin()


@pytest.fixture
def platform(tmp_path):
    p = open_platform(tmp_path / "workshop", settings=fast_settings())
    yield p
    p.dispose()


def join(platform, name, role, district="", community=""):
    widget = JoinRoomWidget(platform)
    widget.fields["name"].value = name
    widget.fields["role"].value = role
    widget.fields["district"].value = district
    widget.fields["community"].value = community
    widget.submit.click()
    return widget


def answer_everything(widget: CheckinWidget, n_right: int):
    for dropdown in widget.survey.choices.values() if widget.survey else ():
        dropdown.value = 4
    for k, (question, radio) in enumerate(widget.test.options.items()):
        right = SPEC.test.question(question).answer
        radio.value = right if k < n_right else next(o.key for o in SPEC.test.question(question).options
                                                     if o.key != right)


def test_each_wrong_field_gets_its_thai_message_under_it(platform):
    widget = join(platform, "", "", "", "")
    assert "ชื่อ: กรุณากรอกชื่อ" in widget.messages["name"].value
    assert "บทบาท: กรุณาเลือกบทบาท" in widget.messages["role"].value
    assert widget.messages["district"].value == widget.messages["community"].value == ""
    assert "แก้ 2 ช่อง" in widget.result.value and widget.member is None
    widget = join(platform, "ป้าศรี", "volunteer", "", "")
    assert "เขต: กรุณาเลือกเขตที่ทำงาน" in widget.messages["district"].value
    assert "ชุมชน: กรุณากรอกชื่อชุมชน" in widget.messages["community"].value
    assert widget.messages["name"].value == ""
    assert room.participants(platform).empty


def test_joining_shows_the_code_and_locks_the_form(platform):
    widget = join(platform, "ป้าศรี", "volunteer", "ลาดกระบัง", "ชุมชนคลองสอง")
    assert widget.member.code == "P01"
    assert "termtem-code" in widget.result.value and ">P01<" in widget.result.value
    assert "ชุมชนคลองสอง · เขตลาดกระบัง" in widget.result.value
    assert widget.submit.disabled and widget.fields["name"].disabled
    # The district list offers all 50 districts of Bangkok, and the city level may have none.
    assert len(widget.fields["district"].options) == 2 + 50
    again = join(platform, "ป้าศรี", "volunteer", "ลาดกระบัง", "ชุมชนคลองสอง")
    assert "รหัสเดิมของคุณคือ" in again.result.value and ">P01<" in again.result.value
    city = join(platform, "คุณกรรมการ", "committee_member", room.NO_DISTRICT_TH)
    assert city.member.code == "P02" and city.member.district_th == ""


def test_the_checkin_needs_a_known_code(platform):
    widget = CheckinWidget(platform)
    widget.code.value = "P05"
    widget.start.click()
    assert "ไม่พบรหัส P05" in widget.message.value and widget.body.children == ()
    join(platform, "ป้าศรี", "volunteer", "บางนา", "ชุมชนริมคลอง")
    widget.code.value = " p1 "
    widget.start.click()
    assert "สวัสดี ป้าศรี (P01)" in widget.message.value
    assert len(widget.body.children) == 2 and widget.code.disabled


def test_survey_and_pre_test_are_stored_under_the_code(platform):
    join(platform, "ป้าศรี", "volunteer", "บางนา", "ชุมชนริมคลอง")
    widget = CheckinWidget(platform)
    widget.code.value = "P01"
    widget.start.click()
    widget.survey.submit_button.click()  # nothing answered yet
    assert "ยังไม่ได้ตอบข้อ 1," in widget.survey.message.value
    assert room.survey_answers(platform).empty
    answer_everything(widget, n_right=6)
    widget.survey.submit_button.click()
    widget.test.submit_button.click()
    assert set(room.survey_answers(platform)["answer"]) == {4}
    stored = room.test_answers(platform, "pre")
    assert len(stored) == len(SPEC.test.questions) and set(stored["participant_id"]) == {"P01"}
    assert widget.test.feedback.score == 6 and widget.test.submit_button.disabled
    # A second phone with the same code cannot take the pre-test again; its answers stay open to see.
    other = CheckinWidget(platform)
    other.code.value = "P01"
    other.start.click()
    answer_everything(other, n_right=10)
    other.test.submit_button.click()
    assert "ส่งแบบทดสอบก่อนอบรม (pre-test)ไปแล้ว" in other.test.message.value
    assert other.test.feedback is None and not other.test.submit_button.disabled
    assert len(room.test_answers(platform, "pre")) == len(SPEC.test.questions)


def test_the_post_test_has_no_survey_and_is_kept_apart(platform):
    join(platform, "ป้าศรี", "volunteer", "บางนา", "ชุมชนริมคลอง")
    widget = CheckinWidget(platform, stage="post")
    widget.code.value = "P01"
    widget.start.click()
    assert widget.survey is None and len(widget.body.children) == 1
    answer_everything(widget, n_right=9)
    widget.test.submit_button.click()
    assert room.test_answers(platform, "pre").empty
    assert len(room.test_answers(platform, "post")) == len(SPEC.test.questions)


def test_a_post_test_on_the_day_of_the_pre_test_is_refused_with_the_day_it_opens(platform):
    join(platform, "ป้าศรี", "volunteer", "บางนา", "ชุมชนริมคลอง")
    before = CheckinWidget(platform)
    before.code.value = "P01"
    before.start.click()
    answer_everything(before, n_right=4)
    before.test.submit_button.click()
    after = CheckinWidget(platform, stage="post")
    after.code.value = "P01"
    after.start.click()
    answer_everything(after, n_right=9)
    after.test.submit_button.click()
    assert "แบบทดสอบหลังอบรมเปิดให้ทำตั้งแต่" in after.test.message.value
    assert after.test.feedback is None and room.test_answers(platform, "post").empty
