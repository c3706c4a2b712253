"""The platform's engine and its audited writes, on SQLite and PostgreSQL."""

import json
import sqlite3
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from simulator.platform import service as sv
from simulator.platform.db import DB_FILE, PlatformError, database_url, open_platform
from simulator.platform.models import AuditEntry, District, Participant, Workshop
from simulator.platform.settings import PlatformSettings
from tests.platform_fixture import fast_settings


@pytest.fixture
def platform(platform_url):
    p = open_platform(platform_url, settings=fast_settings())
    yield p
    p.dispose()


def test_a_folder_means_one_sqlite_file_in_it(tmp_path):
    folder = tmp_path / "workshop 1" / "ห้อง ก"
    p = open_platform(folder)
    try:
        assert p.backend == "sqlite" and p.folder == folder.resolve()
        assert (folder / DB_FILE).is_file()
        assert database_url("postgresql://u@h:5/db") == "postgresql+psycopg://u@h:5/db"
        with p.engine.connect() as conn:
            pragmas = {name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
                       for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")}
        # synchronous 2 = FULL: every commit is on disk before the phone is told it is saved.
        assert pragmas == {"journal_mode": "wal", "synchronous": 2, "foreign_keys": 1,
                           "busy_timeout": p.settings.writes.busy_timeout_ms}
    finally:
        p.dispose()


def test_other_databases_are_refused_in_thai():
    with pytest.raises(PlatformError, match="SQLite หรือ PostgreSQL"):
        open_platform("mysql://u@h/db")


def test_foreign_keys_are_enforced(platform):
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError):
        platform.write(lambda s: s.add(District(workshop_id=999, name_th="x", zone_th="y", sandbox=False)))


def test_an_audit_row_is_written_with_each_change_and_only_if_it_commits(platform):
    with platform.read() as s:
        before = s.scalar(select(func.count()).select_from(AuditEntry))

    def change_then_fail(s):
        sv_row = s.get(Workshop, platform.workshop_id)
        sv_row.name_th = "ชื่อใหม่"
        s.flush()  # the audit row is written here, inside the transaction
        assert s.scalar(select(func.count()).select_from(AuditEntry)) == before + 1
        raise RuntimeError("the phone's battery died")

    with pytest.raises(RuntimeError):
        platform.write(change_then_fail)
    with platform.read() as s:
        assert s.scalar(select(func.count()).select_from(AuditEntry)) == before
        assert s.get(Workshop, platform.workshop_id).name_th == "workshop"

    def rename(s):
        s.get(Workshop, platform.workshop_id).name_th = "เวิร์กช็อปบางนา"

    platform.write(rename, actor=None)
    with platform.read() as s:
        last = s.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert (last.action, last.table_name, last.row_id, last.actor_id) == ("update", "workshops",
                                                                         str(platform.workshop_id), None)
    assert json.loads(last.changes) == {"name_th": ["workshop", "เวิร์กช็อปบางนา"]}
    assert last.at is not None


def test_every_write_of_the_service_is_audited_with_its_actor(platform):
    sv.add_district(platform, "บางนา")
    sv.add_community(platform, "บางนา", "ชุมชนริมคลอง")
    user = sv.register(platform, "สมชาย ทดสอบ", "0812223333", "volunteer", "บางนา", "ชุมชนริมคลอง", "1234")
    family = sv.add_family(user, "ครอบครัว ข")
    sv.record_observation(user, family, "neglect", "ลูกอยู่บ้านคนเดียว")
    with platform.read() as s:
        rows = s.execute(select(AuditEntry.table_name, AuditEntry.action, AuditEntry.actor_id)
                         .where(AuditEntry.workshop_id == platform.workshop_id).order_by(AuditEntry.id)).all()
    assert [tuple(r) for r in rows] == [
        ("workshops", "insert", None), ("districts", "insert", None), ("communities", "insert", None),
        ("participants", "insert", user.id), ("families", "insert", user.id),
        # The observation and the petal it turned yellow: one transaction, two audit rows.
        ("families", "update", user.id), ("observations", "insert", user.id),
    ]


def test_a_locked_sqlite_write_is_tried_again_and_counted(tmp_path):
    base = fast_settings().model_dump()
    settings = PlatformSettings.model_validate({**base, "writes": {"retries": 50, "busy_timeout_ms": 100}})
    p = open_platform(tmp_path, settings=settings)
    try:
        holder = sqlite3.connect(Path(tmp_path) / DB_FILE, isolation_level=None, check_same_thread=False)
        holder.execute("BEGIN IMMEDIATE")  # another writer holds the lock for 0.6 s
        threading.Timer(0.6, lambda: holder.execute("COMMIT")).start()
        start = time.perf_counter()
        sv.add_district(p, "บางนา")
        assert time.perf_counter() - start >= 0.5
        assert p.stats.retries["sqlite_busy"] >= 1
        with p.read() as s:
            assert s.scalar(select(District.name_th)) == "บางนา"
        holder.close()
    finally:
        p.dispose()


def test_sqlite_writes_take_the_write_lock_first(tmp_path):
    p = open_platform(tmp_path, settings=fast_settings())
    try:
        seen = []

        def work(s):
            # BEGIN IMMEDIATE: this transaction holds SQLite's write lock before it reads anything.
            other = sqlite3.connect(Path(tmp_path) / DB_FILE, timeout=0, isolation_level=None)
            s.execute(text("SELECT 1"))
            try:
                other.execute("BEGIN IMMEDIATE")
                seen.append("free")
            except sqlite3.OperationalError as exc:
                seen.append(str(exc))
            finally:
                other.close()

        p.write(work)
        assert seen == ["database is locked"]
        with p.read() as s:
            s.execute(text("SELECT 1"))
            other = sqlite3.connect(Path(tmp_path) / DB_FILE, timeout=0, isolation_level=None)
            other.execute("BEGIN IMMEDIATE")  # a reader does not hold the write lock
            other.execute("ROLLBACK")
            other.close()
    finally:
        p.dispose()


def test_two_workshops_share_one_database_apart(platform):
    other = open_platform(platform.url, workshop="room-2", name_th="ห้องที่สอง", settings=fast_settings())
    try:
        assert other.workshop_id != platform.workshop_id
        for p in (platform, other):
            sv.add_district(p, "บางนา")
            sv.add_community(p, "บางนา", "ชุมชนริมคลอง")
            sv.register(p, "คนเดียวกัน ชื่อซ้ำ", "0813334444", "volunteer", "บางนา", "ชุมชนริมคลอง", "1234")
        with platform.read() as s:
            assert s.scalar(select(func.count()).select_from(Participant)) == 2
        assert sv.sign_in(other, "คนเดียวกัน ชื่อซ้ำ", "1234").workshop_id == other.workshop_id
    finally:
        other.dispose()
