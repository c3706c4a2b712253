"""Schema migrations (Alembic): a database made at the first revision upgrades keeping every row."""

import datetime as dt

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import MetaData, insert, select

from simulator.platform import service as sv
from simulator.platform.db import (
    PlatformError,
    current_revision,
    head_revision,
    make_engine,
    open_platform,
    upgrade,
)
from simulator.platform.models import TABLES, Base
from simulator.platform.transfer import _revisions
from tests.platform_fixture import fast_settings

AT = dt.datetime(2025, 6, 1, 9, 30, 15, 123456)
DAY = dt.date(2025, 6, 1)
PETALS = {f"{s}_{d}": "green" for s in ("child", "parent") for d in ("social", "education", "health", "governance")}


def first_revision_rows(pin_hash: str) -> dict[str, list[dict]]:
    """Two rows in every table of revision 0001 (as a workshop of the first version would hold them)."""
    return {
        "workshops": [{"id": 1, "code": "w1", "name_th": "เวิร์กช็อปที่หนึ่ง", "created_at": AT},
                      {"id": 2, "code": "w2", "name_th": "เวิร์กช็อปที่สอง", "created_at": AT}],
        "roles": [{"id": "volunteer", "name_th": "อาสาสมัคร (จิตอาสา)", "level": "community", "dimension": None,
                   "actor_role": "volunteer"},
                  {"id": "provider_health", "name_th": "ผู้ให้บริการมิติสุขภาพ", "level": "provider",
                   "dimension": "health", "actor_role": "nurse"}],
        "districts": [{"id": 1, "workshop_id": 1, "name_th": "บางนา", "zone_th": "กรุงเทพใต้", "sandbox": False},
                      {"id": 2, "workshop_id": 1, "name_th": "ลาดกระบัง", "zone_th": "กรุงเทพตะวันออก", "sandbox": True}],
        "communities": [{"id": 1, "workshop_id": 1, "district_id": 1, "name_th": "ชุมชนริมคลอง"},
                        {"id": 2, "workshop_id": 1, "district_id": 2, "name_th": "ชุมชนริมคลอง"}],
        "participants": [{"id": 1, "workshop_id": 1, "name_th": "สมศรี ใจดี", "name_key": "สมศรี ใจดี",
                          "mobile": "0812345678", "role_id": "volunteer", "district_id": 1, "community_id": 1,
                          "pin_hash": pin_hash, "created_at": AT},
                         {"id": 2, "workshop_id": 1, "name_th": "พยาบาล หนึ่ง", "name_key": "พยาบาล หนึ่ง",
                          "mobile": "0898765432", "role_id": "provider_health", "district_id": 1,
                          "community_id": None, "pin_hash": pin_hash, "created_at": AT}],
        "families": [{"id": 1, "workshop_id": 1, "community_id": 1, "label_th": "ครอบครัว ก", "origin": "entered",
                      "source_family_id": None, "household_type": "single_mother", **PETALS, "child_health": "yellow",
                      "case_level": "complex", "created_by": 1, "created_at": AT},
                     {"id": 2, "workshop_id": 1, "community_id": 2, "label_th": "ครอบครัวสมมติ HH0000009",
                      "origin": "synthetic", "source_family_id": "HH0000009", "household_type": "two_parents",
                      **PETALS, "case_level": "none", "created_by": None, "created_at": AT}],
        "children": [{"id": 1, "workshop_id": 1, "family_id": 1, "sex": "female", "birth_date": dt.date(2021, 2, 3)},
                     {"id": 2, "workshop_id": 1, "family_id": 2, "sex": "male", "birth_date": dt.date(2012, 12, 31)}],
        "observations": [{"id": 1, "workshop_id": 1, "family_id": 1, "participant_id": 1, "source": "volunteer",
                          "indicator_id": "developmental_delay", "subject": "child", "dimension": "health",
                          "severity": "yellow", "note_th": "พูดช้ากว่าวัย", "observed_on": DAY, "created_at": AT},
                         {"id": 2, "workshop_id": 1, "family_id": 2, "participant_id": None, "source": "teacher",
                          "indicator_id": "frequent_absence", "subject": "child", "dimension": "education",
                          "severity": "green", "note_th": "", "observed_on": DAY, "created_at": AT}],
        "notifications": [{"id": 1, "workshop_id": 1, "family_id": 1, "dimension": "health", "case_level": "complex",
                           "notified_by": 1, "notified_on": DAY, "due_on": dt.date(2025, 6, 8),
                           "status": "replied", "created_at": AT},
                          {"id": 2, "workshop_id": 1, "family_id": 2, "dimension": "education",
                           "case_level": "complex", "notified_by": 1, "notified_on": DAY,
                           "due_on": dt.date(2025, 6, 8), "status": "waiting", "created_at": AT}],
        "acknowledgements": [{"id": 1, "workshop_id": 1, "notification_id": 1, "participant_id": 2,
                              "acknowledged_on": dt.date(2025, 6, 2), "created_at": AT}],
        "replies": [{"id": 1, "workshop_id": 1, "notification_id": 1, "participant_id": 2, "text_th": "นัดแล้ว",
                     "replied_on": dt.date(2025, 6, 2), "created_at": AT},
                    {"id": 2, "workshop_id": 1, "notification_id": 1, "participant_id": 1, "text_th": "ขอบคุณ",
                     "replied_on": dt.date(2025, 6, 3), "created_at": AT}],
        "plans": [{"id": 1, "workshop_id": 1, "family_id": 1, "participant_id": 2, "dimension": "health",
                   "goal_th": "ประเมินพัฒนาการซ้ำ", "planned_on": dt.date(2025, 6, 4), "created_at": AT},
                  {"id": 2, "workshop_id": 1, "family_id": 1, "participant_id": 1, "dimension": "social",
                   "goal_th": "เยี่ยมบ้านทุกเดือน", "planned_on": dt.date(2025, 6, 4), "created_at": AT}],
        "audit_log": [{"id": 1, "workshop_id": 1, "at": AT, "actor_id": 1, "action": "insert",
                       "table_name": "participants", "row_id": "1", "changes": '{"name_th": "สมศรี ใจดี"}'},
                      {"id": 2, "workshop_id": None, "at": AT, "actor_id": None, "action": "update",
                       "table_name": "roles", "row_id": "volunteer", "changes": '{"name_th": ["อาสา", "อาสาสมัคร"]}'}],
    }


# Revision 0003 added the room's tables (activities 1 and 2); a 0001 database has the others.
ROOM_TABLES = ("attendees", "survey_answers", "test_answers")
FIRST_TABLES = tuple(t for t in TABLES if t not in ROOM_TABLES)


def read_all(engine, tables=FIRST_TABLES) -> dict[str, list[dict]]:
    meta = MetaData()
    with engine.connect() as conn:
        meta.reflect(conn)
        return {name: [dict(r._mapping) for r in conn.execute(select(meta.tables[name]).order_by(
            *meta.tables[name].primary_key.columns))] for name in tables}


def test_the_revisions_run_in_order():
    assert _revisions() == ["0001", "0002", "0003"]
    assert head_revision() == "0003"


def test_a_migration_from_the_first_schema_version_keeps_every_row(platform_url):
    settings = fast_settings()
    engine = make_engine(open_url(platform_url), settings)
    try:
        upgrade(engine, "0001")
        assert current_revision(engine) == "0001"
        rows = first_revision_rows(sv.hash_pin("1357", settings))
        meta = MetaData()
        with engine.execution_options(termtem_write=True).connect() as conn:
            meta.reflect(conn)
            assert "pin_failed_attempts" not in meta.tables["participants"].c
            assert set(meta.tables) - {"alembic_version"} == set(FIRST_TABLES)
            for name in FIRST_TABLES:
                conn.execute(insert(meta.tables[name]), rows[name])
            conn.commit()
        before = read_all(engine)
        assert {n: len(r) for n, r in before.items()} == {n: len(r) for n, r in rows.items()}
        assert before["participants"][0]["created_at"] == AT and before["families"][0]["child_health"] == "yellow"

        upgrade(engine)
        assert current_revision(engine) == "0003"
        after = read_all(engine, TABLES)
        assert {n: len(after[n]) for n in ROOM_TABLES} == dict.fromkeys(ROOM_TABLES, 0)
        for name in FIRST_TABLES:
            assert len(after[name]) == len(before[name]), name
            for old, new in zip(before[name], after[name]):
                assert {k: new[k] for k in old} == old, name
        # The new column: 0 wrong PINs for everyone registered before it existed.
        assert [r["pin_failed_attempts"] for r in after["participants"]] == [0, 0]
    finally:
        engine.dispose()
    # And the upgraded workshop works: its participant signs in with the PIN set at revision 0001.
    p = open_platform(platform_url, workshop="w1", settings=settings)
    try:
        assert p.workshop_id == 1
        assert sv.sign_in(p, "สมศรี ใจดี", "1357").community_th == "ชุมชนริมคลอง"
    finally:
        p.dispose()


def open_url(url_or_folder):
    from simulator.platform.db import database_url

    return database_url(url_or_folder)


def test_the_models_match_the_newest_revision(platform_url):
    engine = make_engine(open_url(platform_url))
    try:
        upgrade(engine)
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
        assert diff == [], "models.py and migrations/versions differ: write a revision for the change"
    finally:
        engine.dispose()


def test_an_old_schema_is_refused_when_migrating_is_not_allowed(platform_url):
    engine = make_engine(open_url(platform_url))
    upgrade(engine, "0001")
    engine.dispose()
    with pytest.raises(PlatformError, match="0001.*0003"):
        open_platform(platform_url, migrate=False)
    p = open_platform(platform_url)  # migrating (the default) brings it up to date
    assert current_revision(p.engine) == "0003"
    p.dispose()
