"""The practice workshop the room shares, and activity 4's registration form driven in code."""

from __future__ import annotations

import multiprocessing

import pytest
from sqlalchemy import func, select

from simulator.model.config import ConfigError
from simulator.platform.models import Family, Participant
from simulator.platform.practice import load_practice_settings, open_practice, places, practice_location


def _count(platform, model):
    with platform.read() as s:
        return s.scalar(select(func.count()).select_from(model).where(model.workshop_id == platform.workshop_id))


def test_the_practice_workshop_is_seeded_once_and_kept(tmp_path):
    settings = load_practice_settings()
    first = open_practice(tmp_path / "room")
    assert _count(first, Family) == settings.families
    assert set(places(first)) == set(settings.districts)
    again = open_practice(tmp_path / "room")
    assert _count(again, Family) == settings.families


def _open(folder):
    open_practice(folder)


def test_many_kernels_opening_at_once_seed_it_once(tmp_path):
    folder = str(tmp_path / "room")
    ctx = multiprocessing.get_context("spawn")
    workers = [ctx.Process(target=_open, args=(folder,)) for _ in range(4)]
    for p in workers:
        p.start()
    for p in workers:
        p.join(120)
        assert p.exitcode == 0
    assert _count(open_practice(folder), Family) == load_practice_settings().families


def test_the_folder_comes_from_the_environment_when_set(monkeypatch, tmp_path):
    monkeypatch.setenv("TERMTEM_WORKSHOP_DIR", str(tmp_path / "elsewhere"))
    assert practice_location() == str(tmp_path / "elsewhere")
    monkeypatch.delenv("TERMTEM_WORKSHOP_DIR")
    assert practice_location().endswith("workshop-data")


def test_a_broken_settings_file_names_the_field(tmp_path):
    path = tmp_path / "practice_workshop.yaml"
    path.write_text("version: 1\nfolder: x\nworkshop: Practice Room\nname_th: x\nfamilies: 5\nseed: 1\ndistricts: []\n",
                    encoding="utf-8")
    with pytest.raises(ConfigError, match=r"workshop: .*pattern.*families: .*greater than or equal to 10.*districts"):
        load_practice_settings(path)


@pytest.fixture
def room(tmp_path):
    return open_practice(tmp_path / "room")


def _fill(widget, **values):
    for field, value in values.items():
        widget.fields[field].value = value


def test_every_wrong_field_gets_its_thai_message_and_nothing_is_stored(room):
    from simulator.widgets.register import RegisterWidget

    form = RegisterWidget(room)
    form.submit.click()
    for field in ("name", "mobile", "role", "pin"):
        assert "✘" in form.messages[field].value, field
    assert "ชื่อ-นามสกุล: กรุณากรอกชื่อและนามสกุล" in form.messages["name"].value
    assert "ยังไม่มีข้อมูลใดถูกบันทึก" in form.result.value

    district = next(iter(form.places))
    _fill(form, name="สมศรี ใจดี", mobile="12345", role="volunteer", district=district, pin="12")
    form.submit.click()
    assert "ต้องเป็นตัวเลข 10 หลัก" in form.messages["mobile"].value
    assert "กรุณาเลือกชุมชน" in form.messages["community"].value
    assert form.messages["name"].value == "" and form.messages["district"].value == ""
    assert "✘" in form.messages["pin"].value
    assert _count(room, Participant) == 0


def test_choosing_a_district_offers_only_its_communities_and_a_right_form_registers(room):
    from simulator.widgets.register import RegisterWidget

    form = RegisterWidget(room)
    district, other = list(form.places)[:2]
    form.fields["district"].value = district
    offered = {v for _, v in form.fields["community"].options if v}
    assert offered == set(form.places[district]) and not offered & (set(form.places[other]) - offered)
    community = sorted(offered)[0]
    _fill(form, name="สมศรี ใจดี", mobile="081-234-5678", role="volunteer", community=community, pin="2569")
    form.submit.click()
    assert "✔ ลงทะเบียนแล้ว: สมศรี ใจดี" in form.result.value and f"เขต{district}" in form.result.value
    assert form.submit.disabled and all(c.disabled for c in form.fields.values())
    assert _count(room, Participant) == 1

    twice = RegisterWidget(room)
    twice.fields["district"].value = district
    _fill(twice, name="สมศรี  ใจดี", mobile="0812345678", role="volunteer", community=community, pin="2569")
    twice.submit.click()
    assert "ลงทะเบียนซ้ำ" in twice.messages["name"].value and "ลงทะเบียนซ้ำ" in twice.messages["mobile"].value
    assert _count(room, Participant) == 1


def test_the_role_and_place_tables_are_thai(room):
    from simulator.platform.practice import places_table_th, roles_table_th

    roles = roles_table_th(room)
    assert list(roles.columns) == ["บทบาท", "ระดับ", "เห็นอะไรได้บ้าง"]
    assert set(roles["ระดับ"]) == {"ชุมชน", "ผู้ให้บริการ 4 มิติ", "เขต", "เมือง"}
    assert roles.loc[roles["บทบาท"] == "อาสาสมัคร (จิตอาสา)", "เห็นอะไรได้บ้าง"].item() == "ครอบครัวในชุมชนของตัวเอง"
    shown = places_table_th(room)
    assert shown["เขต"].tolist() == [f"เขต{d}" for d in places(room)]
    assert shown["จำนวนชุมชน"].tolist() == [len(c) for c in places(room).values()]


def test_a_recorded_visit_reaches_the_flower_and_the_community_dashboard_at_once(room):
    from simulator.platform.service import register
    from simulator.widgets.record import RecordVisitWidget, indicator_options

    assert len(indicator_options()) == 41 and indicator_options()[0][0].startswith("เด็ก · สังคม: ")
    district = next(iter(places(room)))
    community = places(room)[district][0]
    register(room, "สมศรี ใจดี", "0812345678", "volunteer", district, community, "2569")
    visit = RecordVisitWidget(room)
    assert visit.recording.layout.display == "none"
    visit.name.value, visit.pin.value = "สมศรี ใจดี", "0000"
    visit.sign_in_button.click()
    assert "ชื่อหรือรหัส PIN ไม่ถูกต้อง" in visit.sign_in_message.value and visit.user is None
    visit.pin.value = "2569"
    visit.sign_in_button.click()
    assert visit.recording.layout.display == "flex" and "เข้าสู่ระบบแล้ว: สมศรี ใจดี" in visit.sign_in_message.value
    assert visit.user is not None

    visit.save.click()
    assert "ยังไม่ได้เลือก: ครอบครัวที่ไปเยี่ยม, สิ่งที่พบ" in visit.message.value
    # A family whose child social petal is still green, so the record must turn it red.
    from simulator.platform.access import families

    seen = families(visit.user)
    green = seen[seen["child_social"] == "green"].family_id.iloc[0]
    visit.family.value = green
    assert visit.flower.png and "<td>" + green in visit.board.value.replace("\n", "").replace(" ", "")
    visit.indicator.value = "physical_abuse"
    visit.note.value = "มีรอยช้ำที่แขน"
    visit.save.click()
    assert "✔ บันทึกแล้ว: เด็ก · สังคม: ถูกทำร้ายร่างกาย" in visit.message.value
    after = families(visit.user).set_index("family_id").loc[green]
    assert after["child_social"] == "red" and after["case_level"] == "emergency"
    assert "<td>ฉุกเฉิน</td>" in visit.board.value
    assert visit.indicator.value == "" and visit.note.value == ""


def test_notify_then_the_provider_acknowledges_and_replies_and_the_status_comes_back(room):
    from simulator.platform.access import families
    from simulator.platform.service import register, sign_in
    from simulator.widgets.notify_platform import NotifyProvidersWidget

    district = next(iter(places(room)))
    community = places(room)[district][0]
    register(room, "สมศรี ใจดี", "0812345678", "volunteer", district, community, "2569")
    register(room, "ครูสมชาย", "0812345679", "provider_education", district, None, "2569")
    register(room, "ผู้ให้บริการอื่นเขต", "0812345670", "provider_education", list(places(room))[1], None, "2569")
    seen = families(sign_in(room, "สมศรี ใจดี", "2569"))
    family = seen[(seen["child_education"] != "green") | (seen["parent_education"] != "green")].family_id.iloc[0]

    sender = NotifyProvidersWidget(room)
    sender.panel.name.value, sender.panel.pin.value = "สมศรี ใจดี", "2569"
    sender.panel.button.click()
    assert sender.sender.layout.display == "flex" and sender.provider.layout.display == "none"
    offered = {v for _, v in sender.family.options if v}
    assert family in offered and offered <= set(seen.family_id)
    sender.family.value = family
    sender.send.click()
    assert "✔ แจ้งแล้ว" in sender.message.value and "มิติการศึกษา" in sender.message.value
    assert "ผู้ให้บริการในเขต 1 คน" in sender.message.value
    assert "รอรับเรื่อง" in sender.status.value
    sender.send.click()
    assert "แจ้งครบทุกมิติแล้ว" in sender.message.value

    teacher = NotifyProvidersWidget(room)
    teacher.panel.name.value, teacher.panel.pin.value = "ครูสมชาย", "2569"
    teacher.panel.button.click()
    assert teacher.provider.layout.display == "flex" and teacher.sender.layout.display == "none"
    mine = [v for _, v in teacher.notification.options if v]
    assert len(mine) == 1  # only the education notification of their own district
    teacher.acknowledge.click()
    assert "ยังไม่ได้เลือกเรื่องที่แจ้งมา" in teacher.message.value
    teacher.notification.value = mine[0]
    teacher.acknowledge.click()
    assert f"รับเรื่องเลขที่ {mine[0]} แล้ว" in teacher.message.value
    teacher.send_reply.click()
    assert "ยังไม่ได้กรอก: คำตอบถึงผู้แจ้ง" in teacher.message.value
    teacher.answer.value = "นัดเยี่ยมบ้านพร้อมอาสาสมัครวันพฤหัสนี้"
    teacher.send_reply.click()
    assert "ส่งคำตอบ" in teacher.message.value

    other = NotifyProvidersWidget(room)
    other.panel.name.value, other.panel.pin.value = "ผู้ให้บริการอื่นเขต", "2569"
    other.panel.button.click()
    assert [v for _, v in other.notification.options if v] == []

    sender.refresh.click()
    assert "ตอบกลับแล้ว" in sender.status.value and "ครูสมชาย" in sender.status.value
    assert "นัดเยี่ยมบ้านพร้อมอาสาสมัครวันพฤหัสนี้" in sender.status.value


def test_a_provider_sees_the_notifications_past_their_due_date_on_the_provider_dashboard(room):
    import datetime as dt

    from simulator.platform.access import families
    from simulator.platform.service import notify, register, sign_in
    from simulator.widgets.notify_platform import NotifyProvidersWidget

    district = next(iter(places(room)))
    register(room, "เจ้าหน้าที่เขต ดูทั้งเขต", "0833333333", "district_staff", district, None, "2569")
    whole = families(sign_in(room, "เจ้าหน้าที่เขต ดูทั้งเขต", "2569"))
    whole = whole[(whole["child_education"] != "green") | (whole["parent_education"] != "green")]
    community = whole["community"].value_counts().index[0]  # the community with the most such families
    register(room, "อาสา แจ้งนานแล้ว", "0811111111", "volunteer", district, community, "2569")
    register(room, "ครูผู้รับ", "0822222222", "provider_education", district, None, "2569")
    volunteer = sign_in(room, "อาสา แจ้งนานแล้ว", "2569")
    educational = whole[whole["community"] == community].family_id
    assert len(educational) >= 2
    today = dt.date.today()
    notify(volunteer, educational.iloc[0], on=today - dt.timedelta(days=30))  # long past any due date
    notify(volunteer, educational.iloc[1], on=today)  # due later: waiting, not late

    teacher = NotifyProvidersWidget(room)
    teacher.panel.name.value, teacher.panel.pin.value = "ครูผู้รับ", "2569"
    teacher.panel.button.click()
    board = teacher.board.value
    assert "แดชบอร์ดผู้ให้บริการ (Dashboard) มิติการศึกษา" in board
    assert "ยังไม่รับเรื่อง 2 เรื่อง · เลยกำหนดรับเรื่อง <b>1</b> เรื่อง" in board
    assert educational.iloc[0] in board and educational.iloc[1] not in board
