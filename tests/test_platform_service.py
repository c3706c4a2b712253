"""The platform's service API on SQLite and on PostgreSQL: register, sign in, record, notify, answer.

The workshop is ``tests/platform_fixture.py``'s (counted by hand in its docstring).
"""

import datetime as dt

import pytest
from sqlalchemy import func, select

from simulator.platform import access
from simulator.platform import service as sv
from simulator.platform.models import AuditEntry, Participant
from tests.platform_fixture import PIN, build_world, code, fast_settings, user_key


@pytest.fixture
def world(platform_url):
    w = build_world(platform_url)
    yield w
    w.platform.dispose()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def unchanged_world(request, tmp_path_factory):
    """One workshop for the tests that must leave it as it was (and check that they do)."""
    if request.param == "sqlite":
        url = str(tmp_path_factory.mktemp("workshop"))
    else:
        url = request.getfixturevalue("postgres_server").new_database()
    w = build_world(url)
    yield w
    w.platform.dispose()


def counts(p):
    with p.read() as s:
        return (s.scalar(select(func.count()).select_from(Participant)),
                s.scalar(select(func.count()).select_from(AuditEntry)))


def register(p, **fields):
    form = {"name": "สมใจ ทดลอง", "mobile": "089-123-4567", "role": "volunteer", "district": "บางนา",
            "community": "ชุมชนหลังวัด", "pin": "1357"}
    form.update(fields)
    return sv.register(p, **form)


# ----------------------------------------------------------------------------- registration

def test_a_right_form_registers_and_signs_in(world):
    p = world.platform
    before = counts(p)
    user = register(p, mobile="08 9123 4567")
    assert (user.role_th, user.district_th, user.community_th, user.level) == (
        "อาสาสมัคร (จิตอาสา)", "บางนา", "ชุมชนหลังวัด", "community")
    with p.read() as s:
        row = s.get(Participant, user.id)
        audit = s.scalars(select(AuditEntry).where(AuditEntry.table_name == "participants",
                                                   AuditEntry.row_id == str(user.id))).all()
    assert row.mobile == "0891234567"
    assert row.pin_hash.startswith("$argon2id$") and "1357" not in row.pin_hash
    assert counts(p) == (before[0] + 1, before[1] + 1)
    # The audit row says who (the new participant, registering themself), what and when; no PIN hash.
    assert [(a.action, a.actor_id) for a in audit] == [("insert", user.id)]
    assert '"pin_hash": "(hidden)"' in audit[0].changes and "argon2" not in audit[0].changes
    assert sv.sign_in(p, "  สมใจ   ทดลอง ", "1357").id == user.id


@pytest.mark.parametrize(("fields", "field", "words"), [
    ({"name": "  "}, "name", "ชื่อ-นามสกุล: กรุณากรอก"),
    ({"mobile": ""}, "mobile", "เบอร์โทรศัพท์มือถือ: กรุณากรอก"),
    ({"mobile": "02-123-4567"}, "mobile", "ขึ้นต้นด้วย 06 08 หรือ 09"),
    ({"mobile": "08123456789"}, "mobile", "ตัวเลข 10 หลัก"),
    ({"role": ""}, "role", "บทบาท: กรุณาเลือก"),
    ({"role": "mayor"}, "role", "บทบาท: ไม่มีบทบาทนี้"),
    ({"district": ""}, "district", "เขต: กรุณาเลือกเขต"),
    ({"district": "ปทุมวัน"}, "district", "เขต: ไม่มีเขตปทุมวัน"),
    ({"community": ""}, "community", "ชุมชน: กรุณาเลือกชุมชน"),
    ({"community": "ชุมชนทุ่งนา"}, "community", "ชุมชน: ชุมชนทุ่งนาไม่ได้อยู่ในเขตบางนา"),
    ({"pin": "12a4"}, "pin", "รหัส PIN: ต้องเป็นตัวเลข 4–6 หลัก"),
    ({"pin": ""}, "pin", "รหัส PIN: กรุณาตั้ง"),
    ({"name": "ผู้เข้าร่วม 01 volunteer"}, "name", "ชื่อ-นามสกุล: มีผู้ลงทะเบียนด้วยชื่อนี้แล้ว (ลงทะเบียนซ้ำ)"),
    ({"mobile": "0810000001"}, "mobile", "เบอร์โทรศัพท์มือถือ: เบอร์นี้ลงทะเบียนไว้แล้ว (ลงทะเบียนซ้ำ)"),
])
def test_each_wrong_field_is_named_in_thai_and_nothing_is_stored(unchanged_world, fields, field, words):
    p = unchanged_world.platform
    before = counts(p)
    with pytest.raises(sv.RegistrationError) as err:
        register(p, **fields)
    assert list(err.value.problems) == [field]
    assert words in err.value.problems[field]
    assert counts(p) == before


def test_every_wrong_field_is_named_at_once(unchanged_world):
    p = unchanged_world.platform
    before = counts(p)
    with pytest.raises(sv.RegistrationError) as err:
        register(p, name="ผู้เข้าร่วม 01 volunteer", mobile="1234", role="volunteer", district="ลาดกระบัง",
                 community="ชุมชนหลังวัด", pin="1")
    assert list(err.value.problems) == ["name", "mobile", "community", "pin"]
    assert "ชุมชนหลังวัดไม่ได้อยู่ในเขตลาดกระบัง" in str(err.value)
    assert counts(p) == before


def test_providers_need_a_district_and_the_committee_neither(world):
    p = world.platform
    provider = register(p, role="provider_health", community="", district="ลาดกระบัง")
    assert (provider.level, provider.dimension, provider.community_id) == ("provider", "health", None)
    member = register(p, name="กรรมการ สอง", mobile="0955555555", role="committee", district="", community="")
    assert (member.level, member.district_id) == ("city", None)
    with pytest.raises(sv.RegistrationError) as err:
        register(p, name="ไม่มี เขต", mobile="0655555555", role="district_staff", district="", community="")
    assert list(err.value.problems) == ["district"]


# ----------------------------------------------------------------------------- sign-in

def test_a_wrong_pin_and_an_unknown_name_give_the_same_thai_message(unchanged_world):
    p = unchanged_world.platform
    name = unchanged_world.users[user_key("volunteer", "บางนา", "ชุมชนริมคลอง")].name_th
    with pytest.raises(sv.SignInError) as wrong_pin:
        sv.sign_in(p, name, "0000")
    with pytest.raises(sv.SignInError) as wrong_name:
        sv.sign_in(p, "ไม่มี คนนี้", PIN)
    assert str(wrong_pin.value) == str(wrong_name.value) == sv.SIGN_IN_FAILED_TH
    assert "PIN" in str(wrong_pin.value) and "ชื่อ" in str(wrong_pin.value)


def test_wrong_pins_in_a_row_lock_the_name_until_the_trainer_resets_it(world):
    p = world.platform
    name = world.users[user_key("phv", "ลาดกระบัง", "ชุมชนทุ่งนา")].name_th
    limit = p.settings.pin.attempts_before_lock
    for _ in range(limit - 1):
        with pytest.raises(sv.SignInError):
            sv.sign_in(p, name, "9999")
    assert sv.sign_in(p, name, PIN).name_th == name  # one short of the limit: the right PIN still works
    for _ in range(limit):
        with pytest.raises(sv.SignInError):
            sv.sign_in(p, name, "9999")
    with pytest.raises(sv.SignInError):
        sv.sign_in(p, name, PIN)  # locked: even the right PIN is refused, with the same message
    sv.reset_pin(p, name, "8642")
    assert sv.sign_in(p, name, "8642").name_th == name
    with p.read() as s:
        assert s.scalar(select(Participant.pin_failed_attempts).where(Participant.name_th == name)) == 0


# ----------------------------------------------------------------------------- recording

def test_an_observation_colours_the_petal_at_once(world):
    volunteer = world.users[user_key("volunteer", "บางนา", "ชุมชนหลังวัด")]
    before = access.families(volunteer).set_index("family_id").loc[code(4)]
    assert (before["child_health"], before["case_level"]) == ("green", "none")
    sv.record_observation(volunteer, code(4), "missed_vaccinations", "ยังไม่ได้ฉีดวัคซีน", on=dt.date(2025, 6, 7))
    mid = access.families(volunteer).set_index("family_id").loc[code(4)]
    assert (mid["child_health"], mid["case_level"]) == ("green", "routine")
    sv.record_observation(volunteer, code(4), "injuries_suggesting_abuse", "มีรอยช้ำที่แขน", on=dt.date(2025, 6, 8))
    sv.record_observation(volunteer, code(4), "malnutrition", "ผอม", on=dt.date(2025, 6, 9))  # yellow: stays red
    after = access.families(volunteer).set_index("family_id").loc[code(4)]
    assert (after["child_health"], after["case_level"]) == ("red", "emergency")
    seen = access.observations(volunteer, code(4))
    assert seen["indicator_id"].tolist() == ["missed_vaccinations", "injuries_suggesting_abuse", "malnutrition"]
    assert seen["recorded_by"].unique().tolist() == [volunteer.name_th]


def test_recording_is_refused_outside_ones_scope(world):
    volunteer = world.users[user_key("volunteer", "บางนา", "ชุมชนหลังวัด")]
    with pytest.raises(access.AccessDenied, match="HH0000001"):
        sv.record_observation(volunteer, code(1), "neglect")
    with pytest.raises(sv.ServiceError, match="แค็ตตาล็อก"):
        sv.record_observation(volunteer, code(3), "not_an_indicator")
    nurse = world.users[user_key("provider_health", "บางนา")]
    with pytest.raises(access.AccessDenied, match="มิติสุขภาพ"):
        sv.record_observation(nurse, code(1), "neglect")
    sv.record_observation(nurse, code(1), "malnutrition", "น้ำหนักน้อย")  # their dimension, a family notified to them
    with pytest.raises(access.AccessDenied):
        sv.record_observation(world.users["committee"], code(1), "malnutrition")


# ----------------------------------------------------------------------------- notifying

def test_notify_sends_each_non_green_dimension_due_by_the_familys_urgency(world):
    volunteer = world.users[user_key("volunteer", "บางนา", "ชุมชนหลังวัด")]
    sv.record_observation(volunteer, code(4), "physical_abuse", on=dt.date(2025, 6, 7))  # child social red
    sv.record_observation(volunteer, code(4), "no_id_or_undocumented", on=dt.date(2025, 6, 7))  # parent governance
    sv.record_observation(volunteer, code(4), "missed_vaccinations", on=dt.date(2025, 6, 7))  # green: not sent
    sent = sv.notify(volunteer, code(4), on=dt.date(2025, 6, 8))
    assert sent["dimension"].tolist() == ["social", "governance"]
    assert sent["case_level"].tolist() == ["emergency", "emergency"]
    # acknowledge_within_days of dashboards.yaml: emergency 1 day.
    assert sent["due_on"].dt.date.tolist() == [dt.date(2025, 6, 9)] * 2
    assert sent["providers"].tolist() == [1, 1]
    assert sv.notify(volunteer, code(4), on=dt.date(2025, 6, 9)).empty  # already sent: not twice
    complex_ = access.inbox(volunteer).set_index("family_id").loc[code(3)]
    assert (complex_["case_level"], complex_["due_on"].date()) == ("complex", dt.date(2025, 6, 11))  # 4 Jun + 7
    with pytest.raises(sv.ServiceError, match="ยังไม่มีกลีบสีเหลืองหรือแดง"):
        sv.notify(world.users[user_key("volunteer", "ลาดกระบัง", "ชุมชนทุ่งนา")], code(8))


def test_the_status_comes_back_to_the_volunteer(world):
    volunteer = world.users[user_key("volunteer", "บางนา", "ชุมชนริมคลอง")]
    nurse = world.users[user_key("provider_health", "บางนา")]
    teacher = world.users[user_key("provider_education", "บางนา")]
    seen = access.inbox(volunteer, on=dt.date(2025, 6, 20)).set_index(["family_id", "dimension"])
    health = seen.loc[(code(1), "health")]
    assert (health["status"], health["acknowledged_by"], health["replies"]) == ("replied", nurse.name_th, 1)
    assert health["last_reply"] == "นัดตรวจพัฒนาการวันที่ 10 มิ.ย." and not health["overdue"]
    education = seen.loc[(code(1), "education")]
    assert (education["status"], education["overdue"]) == ("waiting", True)  # due 11 Jun, not acknowledged
    inbox = sv.inbox(teacher, on=dt.date(2025, 6, 20))
    assert inbox["family_id"].tolist() == [code(3), code(1)]
    note = int(inbox.set_index("family_id").loc[code(1), "notification_id"])
    sv.acknowledge(teacher, note, on=dt.date(2025, 6, 21))
    with pytest.raises(sv.ServiceError, match=teacher.name_th):
        sv.acknowledge(teacher, note)
    back = access.inbox(volunteer, on=dt.date(2025, 6, 22)).set_index(["family_id", "dimension"])
    assert back.loc[(code(1), "education"), "status"] == "acknowledged"
    assert back.loc[(code(1), "education"), "acknowledged_on"].date() == dt.date(2025, 6, 21)
    shown = sv.inbox_th(back.reset_index())
    assert {"สถานะ", "ผู้รับเรื่อง", "ควรรับเรื่องภายใน"} <= set(shown.columns)
    assert "รับเรื่องแล้ว" in shown["สถานะ"].tolist() and "11 มิ.ย. 2568" in shown["ควรรับเรื่องภายใน"].tolist()


def test_only_the_dimensions_provider_of_the_district_acknowledges(world):
    volunteer = world.users[user_key("volunteer", "บางนา", "ชุมชนริมคลอง")]
    note = int(access.inbox(volunteer).set_index(["family_id", "dimension"]).loc[(code(2), "social"),
                                                                                    "notification_id"])
    for other in (world.users[user_key("provider_health", "บางนา")], world.users[user_key("provider_social", "ลาดกระบัง")]):
        with pytest.raises(access.AccessDenied):
            sv.acknowledge(other, note)
    with pytest.raises(access.AccessDenied):
        sv.acknowledge(volunteer, note)
    # A provider's reply before acknowledging acknowledges with it.
    social = world.users[user_key("provider_social", "บางนา")]
    sv.reply(social, note, "รับเรื่องและจะประสานบ้านพักเด็ก", on=dt.date(2025, 6, 5))
    row = access.inbox(volunteer).set_index("notification_id").loc[note]
    assert (row["status"], row["acknowledged_by"]) == ("replied", social.name_th)
    # The volunteer answers back; the status stays.
    sv.reply(volunteer, note, "ขอบคุณค่ะ", on=dt.date(2025, 6, 6))
    row = access.inbox(volunteer).set_index("notification_id").loc[note]
    assert (row["status"], row["replies"], row["last_reply_by"]) == ("replied", 2, volunteer.name_th)


def test_settings_file_errors_name_the_file_and_field(tmp_path):
    from simulator.model.config import ConfigError
    from simulator.platform.settings import SETTINGS_FILE, load_platform_settings

    original = SETTINGS_FILE.read_text(encoding="utf-8")
    text = original.replace("digits_min: 4", "digits_min: 2")
    (tmp_path / "platform.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=r"platform\.yaml: pin\.digits_min"):
        load_platform_settings(tmp_path)
    text = original.replace(
        "  - {id: provider_health, name_th: ผู้ให้บริการมิติสุขภาพ, level: provider, dimension: health, actor_role: nurse}\n",
        "")
    (tmp_path / "platform.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match="no provider of dimension"):
        load_platform_settings(tmp_path)
    assert fast_settings().argon2.time_cost == 1
