"""The room on the practice platform (activities 1 and 2), on SQLite and on PostgreSQL."""

import datetime as dt
from concurrent.futures import ThreadPoolExecutor

import pandas as pd
import pytest
from sqlalchemy import select

from simulator.exercises.checkin import load_checkin
from simulator.platform import room
from simulator.platform.access import ServiceError
from simulator.platform.db import open_platform
from simulator.platform.models import AuditEntry
from simulator.workshop import room as room_tools
from tests.platform_fixture import fast_settings

SPEC = load_checkin()
STATEMENTS = [s.id for s in SPEC.survey.statements]
QUESTIONS = SPEC.test.question_ids


@pytest.fixture
def platform(platform_url):
    p = open_platform(platform_url, settings=fast_settings())
    yield p
    p.dispose()


def survey(code, answer):
    return pd.DataFrame({"participant_id": code, "statement_id": STATEMENTS, "answer": answer})


def test(code, choices):
    return pd.DataFrame({"participant_id": code, "question_id": QUESTIONS, "choice": choices})


test.__test__ = False


def right_choices(n_right: int) -> list[str | None]:
    """The first ``n_right`` questions right, the rest left blank (wrong)."""
    return [SPEC.test.question(q).answer if k < n_right else None for k, q in enumerate(QUESTIONS)]


def test_joining_gives_codes_in_order_and_the_same_code_back(platform):
    first = room.join_room(platform, "ป้าศรี", "volunteer", "ลาดกระบัง", "ชุมชนคลองสอง")
    second = room.join_room(platform, "ครูเอ", "provider_education", "บางนา")
    third = room.join_room(platform, "คุณกรรมการ", "committee_member", room.NO_DISTRICT_TH)
    assert [first.code, second.code, third.code] == ["P01", "P02", "P03"]
    again = room.join_room(platform, "  ป้าศรี ", "volunteer", "ลาดกระบัง", "ชุมชนคลองสอง")
    assert (again.code, again.returning) == ("P01", True)
    people = room.participants(platform)
    assert people.to_dict("records") == [
        {"participant_id": "P01", "name": "ป้าศรี", "role": "volunteer", "community": "ชุมชนคลองสอง",
         "district": "ลาดกระบัง"},
        {"participant_id": "P02", "name": "ครูเอ", "role": "provider_education", "community": "", "district": "บางนา"},
        {"participant_id": "P03", "name": "คุณกรรมการ", "role": "committee_member", "community": "", "district": ""}]
    # The room's tools read it as it is: one person per level shown in the roster.
    assert room_tools.roster(people)["level"].tolist() == ["community", "providers", "city"]
    assert room.member(platform, "p2").name_th == "ครูเอ" and room.member(platform, "3").code == "P03"


def test_every_wrong_field_is_named_in_thai_and_nothing_is_stored(platform):
    with pytest.raises(room.JoinError) as caught:
        room.join_room(platform, "", "", "", "")
    assert set(caught.value.problems) == {"name", "role"}
    assert caught.value.problems["name"].startswith("ชื่อ:") and caught.value.problems["role"].startswith("บทบาท:")
    with pytest.raises(room.JoinError) as caught:
        room.join_room(platform, "ป้าศรี", "volunteer", "", "")
    assert set(caught.value.problems) == {"district", "community"}
    with pytest.raises(room.JoinError) as caught:
        room.join_room(platform, "ป้าศรี", "volunteer", "เมืองเชียงใหม่", "ชุมชนหนึ่ง")
    assert caught.value.problems == {"district": "เขต: ไม่มีเขตเมืองเชียงใหม่ในกรุงเทพมหานคร"}
    with pytest.raises(room.JoinError) as caught:
        room.join_room(platform, "ป้าศรี", "wizard", "บางนา")
    assert caught.value.problems == {"role": "บทบาท: ไม่มีบทบาทนี้ในรายการ"}
    assert room.participants(platform).empty
    room.join_room(platform, "ป้าศรี", "volunteer", "บางนา", "ชุมชนริมคลอง")
    with pytest.raises(room.JoinError) as caught:  # the same name in another role: which of them is P01?
        room.join_room(platform, "ป้าศรี", "phv", "บางนา", "ชุมชนริมคลอง")
    assert "ป้าศรี" in caught.value.problems["name"] and "บทบาทเดิม" in caught.value.problems["name"]
    assert len(room.participants(platform)) == 1


def test_phones_joining_at_once_get_different_codes(platform):
    names = [f"ผู้เข้าร่วม {k}" for k in range(12)]
    with ThreadPoolExecutor(max_workers=6) as pool:
        members = list(pool.map(lambda n: room.join_room(platform, n, "volunteer", "บางนา", "ชุมชนริมคลอง"), names))
    assert sorted(m.code for m in members) == [f"P{k:02d}" for k in range(1, 13)]
    assert sorted(room.participants(platform)["name"]) == sorted(names)


def test_survey_keeps_the_latest_answer_and_refuses_unknown_codes_whole(platform):
    room.join_room(platform, "ป้าศรี", "volunteer", "บางนา", "ชุมชนริมคลอง")
    assert room.save_survey(platform, survey("P01", 2)) == len(STATEMENTS)
    room.save_survey(platform, survey("p1", 5))  # changed their mind, typed the code in lower case
    kept = room.survey_answers(platform)
    assert len(kept) == len(STATEMENTS) and set(kept["answer"]) == {5} and set(kept["participant_id"]) == {"P01"}
    both = pd.concat([survey("P01", 1), survey("P09", 1)])
    with pytest.raises(ServiceError, match="P09"):
        room.save_survey(platform, both)
    assert set(room.survey_answers(platform)["answer"]) == {5}  # nothing of the refused batch was kept
    with pytest.raises(ServiceError, match="1 ถึง 5"):
        room.save_survey(platform, survey("P01", 7))


def test_each_test_is_taken_once_and_the_gain_comes_from_the_platform(platform):
    for name in ("ป้าศรี", "ลุงชัย"):
        room.join_room(platform, name, "volunteer", "บางนา", "ชุมชนริมคลอง")
    room.save_test(platform, test("P01", right_choices(5)), "pre")
    room.save_test(platform, test("P02", right_choices(7)), "pre")
    with pytest.raises(ServiceError, match="P01.*ไปแล้ว"):
        room.save_test(platform, test("P01", right_choices(10)), "pre")
    with pytest.raises(ServiceError, match="P01 ทำแบบทดสอบก่อนอบรมเมื่อ.*เปิดให้ทำตั้งแต่"):
        room.save_test(platform, test("P01", right_choices(9)), "post")  # still workshop 1's day
    assert room.test_answers(platform, "post").empty
    workshop_2 = room.bangkok_today() + dt.timedelta(days=21)
    room.save_test(platform, test("P01", right_choices(9)), "post", on=workshop_2)
    room.save_test(platform, test("P02", right_choices(7)), "post", on=workshop_2)
    pre, post = room.test_answers(platform, "pre"), room.test_answers(platform, "post")
    assert len(pre) == len(post) == 2 * len(QUESTIONS)
    gain = room_tools.knowledge_gain(pre, post, SPEC)
    n = len(QUESTIONS)
    assert gain["pre_percent"].tolist() == [100 * 5 / n, 100 * 7 / n]
    assert gain["post_percent"].tolist() == [100 * 9 / n, 100 * 7 / n]
    assert gain["improved"].tolist() == [True, False]  # the same score is not an improvement
    kpis = room_tools.programme_kpis(gain, SPEC.targets).set_index("kpi")
    assert (kpis.loc["improved", "numerator"], kpis.loc["improved", "denominator"]) == (1, 2)
    assert room.room_size(platform) == {"joined": 2, "survey": 0, "pre": 2, "post": 2}
    with pytest.raises(ServiceError, match="pre หรือ post"):
        room.test_answers(platform, "mid")


def test_the_post_test_opens_the_day_after_the_pre_test(platform):
    room.join_room(platform, "ป้าศรี", "volunteer", "บางนา", "ชุมชนริมคลอง")
    room.join_room(platform, "ลุงชัย", "volunteer", "บางนา", "ชุมชนริมคลอง")
    room.save_test(platform, test("P01", right_choices(5)), "pre")
    today = room.bangkok_today()
    with pytest.raises(ServiceError, match="P01"):
        room.save_test(platform, test("P01", right_choices(8)), "post", on=today)
    room.save_test(platform, test("P01", right_choices(8)), "post", on=today + dt.timedelta(days=1))
    # Someone who missed workshop 1 may still take the post-test (it counts for the pass mark only).
    room.save_test(platform, test("P02", right_choices(8)), "post", on=today)
    # A trainer rehearsing both tests in one day sets post_test_after_days to 0.
    room.join_room(platform, "วิทยากร", "district_staff", "บางนา")
    rehearsal = SPEC.model_copy(update={"post_test_after_days": 0})
    room.save_test(platform, test("P03", right_choices(2)), "pre", rehearsal)
    room.save_test(platform, test("P03", right_choices(9)), "post", rehearsal, on=today)
    assert sorted(set(room.test_answers(platform, "post")["participant_id"])) == ["P01", "P02", "P03"]


def test_a_wrong_option_is_refused_and_every_write_is_audited(platform):
    room.join_room(platform, "ป้าศรี", "volunteer", "บางนา", "ชุมชนริมคลอง")
    bad = test("P01", right_choices(3))
    bad.loc[0, "choice"] = "z"
    with pytest.raises(ServiceError, match="ไม่ใช่ตัวเลือก"):
        room.save_test(platform, bad, "pre")
    assert room.test_answers(platform, "pre").empty
    room.save_survey(platform, survey("P01", 3))
    with platform.read() as s:
        tables = [t for (t,) in s.execute(select(AuditEntry.table_name)).all()]
    assert tables.count("attendees") == 1 and tables.count("survey_answers") == len(STATEMENTS)
