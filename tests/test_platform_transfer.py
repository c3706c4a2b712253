"""A whole workshop as one file: export, import into a fresh folder or database, export again: identical."""

import datetime as dt
import json
import zipfile

import pytest
from sqlalchemy import func, select

import pandas as pd

from simulator.exercises.checkin import load_checkin
from simulator.platform import access, room
from simulator.platform import service as sv
from simulator.platform.models import TABLES, AuditEntry
from simulator.platform.transfer import (
    TransferError,
    export_workshop,
    import_workshop,
    read_workshop_file,
    write_new_file,
)
from tests.platform_fixture import PIN, build_world, fast_settings, user_key


@pytest.fixture
def world(platform_url):
    w = build_world(platform_url)
    yield w
    w.platform.dispose()


def tables_of(path):
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(f"tables/{name}.jsonl") for name in TABLES}, json.loads(zf.read("manifest.json"))


def add_room(platform) -> None:
    """Activities 1 and 2: three people join, two answer the survey, one takes both tests."""
    spec = load_checkin()
    for name, role, district in [("ป้าศรี", "volunteer", "บางนา"), ("ครูเอ", "provider_education", "บางนา"),
                                 ("คุณกรรมการ", "committee_member", "")]:
        room.join_room(platform, name, role, district, "ชุมชนริมคลอง" if role == "volunteer" else "")
    statements = [s.id for s in spec.survey.statements]
    for code, answer in (("P01", 4), ("P02", 2)):
        room.save_survey(platform, pd.DataFrame({"participant_id": code, "statement_id": statements, "answer": answer}))
    for stage, days in (("pre", 0), ("post", 21)):
        room.save_test(platform, pd.DataFrame({"participant_id": "P01", "question_id": spec.test.question_ids,
                                               "choice": "a"}), stage, on=room.bangkok_today() + dt.timedelta(days))


@pytest.mark.parametrize("target", ["sqlite", "postgresql"])
def test_export_import_export_gives_identical_tables(world, target, tmp_path, postgres_server):
    add_room(world.platform)
    first = export_workshop(world.platform, tmp_path / "workshop.zip")
    where = str(tmp_path / "fresh") if target == "sqlite" else postgres_server.new_database()
    copy = import_workshop(first, where, settings=fast_settings())
    try:
        second = export_workshop(copy, tmp_path / "again.zip")
        a, manifest_a = tables_of(first)
        b, manifest_b = tables_of(second)
        assert a == b  # byte for byte, every table
        assert manifest_a["tables"] == manifest_b["tables"]
        assert manifest_a["schema_revision"] == manifest_b["schema_revision"] == "0003"
        # By hand from the fixture: 23 participants, 8 families, 9 observations, 8 notifications.
        rows = {n: manifest_a["tables"][n]["rows"] for n in ("participants", "families", "observations",
                                                              "notifications", "acknowledgements", "replies", "plans")}
        assert rows == {"participants": 23, "families": 8, "observations": 9, "notifications": 8,
                        "acknowledgements": 2, "replies": 2, "plans": 2}
        n_statements, n_questions = len(load_checkin().survey.statements), len(load_checkin().test.question_ids)
        assert {n: manifest_a["tables"][n]["rows"] for n in ("attendees", "survey_answers", "test_answers")} == {
            "attendees": 3, "survey_answers": 2 * n_statements, "test_answers": 2 * n_questions}
        assert room.participants(copy).equals(room.participants(world.platform))
        assert room.test_answers(copy, "post").equals(room.test_answers(world.platform, "post"))
        # The copy works like the original: sign in, see the same inbox, write on (new IDs after the old ones).
        volunteer = sv.sign_in(copy, world.users[user_key("volunteer", "บางนา", "ชุมชนริมคลอง")].name_th, PIN)
        original = access.inbox(world.users[user_key("volunteer", "บางนา", "ชุมชนริมคลอง")])
        assert access.inbox(volunteer).equals(original)
        new_id = sv.record_observation(volunteer, "HH0000001", "malnutrition")
        assert new_id == 10
        with copy.read() as s:
            assert s.scalar(select(func.max(AuditEntry.id))) > manifest_a["tables"]["audit_log"]["rows"]
    finally:
        copy.dispose()


def test_an_export_never_overwrites_a_file(world, tmp_path):
    out = tmp_path / "exports"
    out.mkdir()
    path = out / "workshop.zip"
    path.write_bytes(b"yesterday's export")
    with pytest.raises(FileExistsError, match="ไม่เขียนทับ"):
        export_workshop(world.platform, path)
    with pytest.raises(FileExistsError, match="ไม่เขียนทับ"):
        write_new_file(path, b"today's")
    assert path.read_bytes() == b"yesterday's export"
    assert [p.name for p in out.iterdir()] == ["workshop.zip"]  # no temporary file left behind


def test_a_damaged_file_is_refused_before_anything_is_written(world, tmp_path):
    good = export_workshop(world.platform, tmp_path / "workshop.zip")
    bad = tmp_path / "damaged.zip"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "tables/observations.jsonl":
                data = data.replace("บันทึกทดสอบ".encode(), "บันทึกที่แก้".encode(), 1)
            dst.writestr(info, data)
    with pytest.raises(TransferError, match="observations.*sha256"):
        import_workshop(bad, tmp_path / "fresh")
    assert not (tmp_path / "fresh").exists()
    with pytest.raises(TransferError, match="อ่านไฟล์เวิร์กช็อปไม่ได้"):
        read_workshop_file(tmp_path / "missing.zip")


def test_import_needs_a_fresh_target(world, tmp_path):
    path = export_workshop(world.platform, tmp_path / "workshop.zip")
    with pytest.raises(TransferError, match="โฟลเดอร์ใหม่หรือฐานข้อมูลว่าง"):
        import_workshop(path, world.platform.url)
    with world.platform.read() as s:
        assert s.scalar(select(func.count()).select_from(AuditEntry)) > 0


def test_the_file_lists_its_schema_rows_and_checksums(world, tmp_path):
    path = export_workshop(world.platform, tmp_path / "workshop.zip")
    manifest, files = read_workshop_file(path)
    assert manifest["format"] == "termtem-platform-workshop" and manifest["workshop"]["code"] == "workshop"
    assert list(files) == list(TABLES)
    first = json.loads(files["participants"].splitlines()[0])
    assert first["name_th"] == "ผู้เข้าร่วม 01 volunteer" and first["pin_hash"].startswith("$argon2id$")
