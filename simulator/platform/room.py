"""The room on the practice platform: who joined (activity 1) and their check-in answers (activity 2).

Activities 1 and 2 open the first workshop, before anyone registers on the platform
(activity 4). So a person *joins the room* with a name, a role of ``checkin.yaml`` and where
they work, and gets a short code (``P01``, ``P02``, ...). Their opinion survey and knowledge
test are kept under that code, and the same code takes the post-test at the end of workshop 2,
which gives each person's knowledge gain (:mod:`simulator.workshop.room`). Joining again with
the same name and role gives the same code back, so a phone that lost its page loses nothing.

Everything here returns the plain tables :mod:`simulator.workshop.room` documents
(participants, survey answers, test answers), with the code as ``participant_id``. Every write
is one transaction with its audit rows (no participant is the actor: attendees are not
platform accounts).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from simulator.exercises.checkin import (
    SURVEY_COLUMNS,
    TEST_COLUMNS,
    CheckinError,
    CheckinSpec,
    check_survey_answers,
    load_checkin,
    mark_answers,
)
from simulator.model.config import load_config
from simulator.thai.dates import thai_date

from .access import ServiceError
from .db import Platform
from .models import Attendee, SurveyAnswer, TestAnswer
from .service import name_key, normalise_name

CODE_PREFIX = "P"
STAGES = ("pre", "post")
STAGE_TH = {"pre": "แบบทดสอบก่อนอบรม (pre-test)", "post": "แบบทดสอบหลังอบรม (post-test)"}
JOIN_FIELD_TH = {"name": "ชื่อ", "role": "บทบาท", "district": "เขต", "community": "ชุมชน"}
NO_DISTRICT_TH = "ไม่สังกัดเขต (ระดับเมือง)"
PARTICIPANT_COLUMNS = ("participant_id", "name", "role", "community", "district")
LONGEST_NAME = 100
BANGKOK = ZoneInfo("Asia/Bangkok")


def bangkok_today() -> dt.date:
    return dt.datetime.now(BANGKOK).date()


def _bangkok_day(utc_naive: dt.datetime) -> dt.date:
    return utc_naive.replace(tzinfo=dt.UTC).astimezone(BANGKOK).date()


class JoinError(ServiceError):
    """Some fields of the join form are wrong: ``problems`` maps each field to its Thai message."""

    def __init__(self, problems: dict[str, str]):
        self.problems = problems
        super().__init__(" · ".join(problems.values()))


@dataclass(frozen=True)
class RoomMember:
    """One person of the room, as the join form and the check-in show them."""

    code: str
    name_th: str
    role_id: str
    role_th: str
    district_th: str
    community_th: str
    returning: bool = False  # joined before: the code was given back


def bangkok_districts() -> list[str]:
    """The 50 districts of Bangkok in the order of ``bangkok.yaml`` (zone by zone)."""
    return [d.name_th for zone in load_config().geography.zones for d in zone.districts]


def code_of(number: int) -> str:
    return f"{CODE_PREFIX}{number:02d}"


def _member(row: Attendee, spec: CheckinSpec, returning: bool = False) -> RoomMember:
    return RoomMember(code=row.code, name_th=row.name_th, role_id=row.role_id, role_th=spec.role(row.role_id).name_th,
                      district_th=row.district_th, community_th=row.community_th, returning=returning)


def join_room(platform: Platform, name: str, role: str, district: str = "", community: str = "",
              spec: CheckinSpec | None = None) -> RoomMember:
    """Join the room and get a code; :class:`JoinError` naming every wrong field.

    ``name`` is required (at most 100 characters); ``role`` an id of ``checkin.yaml``;
    ``district`` one of Bangkok's 50 districts, required for everyone but the city level;
    ``community`` required for the community level (free words: the room comes from all of
    Bangkok, not only the practice districts). A name already in the room with the same role
    gets its code back (``returning``); with another role it is refused, since the codes are how
    the check-in tells people apart.
    """
    spec = spec or load_checkin()
    shown = normalise_name(name)
    district_name = normalise_name(district or "")
    community_name = normalise_name(community or "")
    role_id = str(role or "").strip()
    problems: dict[str, str] = {}
    if not shown:
        problems["name"] = f"{JOIN_FIELD_TH['name']}: กรุณากรอกชื่อ (ชื่อเล่นและชื่อจริงก็ได้)"
    elif len(shown) > LONGEST_NAME:
        problems["name"] = f"{JOIN_FIELD_TH['name']}: ยาวเกิน {LONGEST_NAME} ตัวอักษร"
    level = None
    if not role_id:
        problems["role"] = f"{JOIN_FIELD_TH['role']}: กรุณาเลือกบทบาท"
    elif role_id not in spec.role_ids:
        problems["role"] = f"{JOIN_FIELD_TH['role']}: ไม่มีบทบาทนี้ในรายการ"
    else:
        level = spec.role(role_id).level
    if district_name == NO_DISTRICT_TH:
        district_name = ""
    if district_name and district_name not in bangkok_districts():
        problems["district"] = f"{JOIN_FIELD_TH['district']}: ไม่มีเขต{district_name}ในกรุงเทพมหานคร"
    elif level is not None and level != "city" and not district_name:
        problems["district"] = f"{JOIN_FIELD_TH['district']}: กรุณาเลือกเขตที่ทำงาน"
    if level == "community" and not community_name:
        problems["community"] = f"{JOIN_FIELD_TH['community']}: กรุณากรอกชื่อชุมชนที่ทำงาน"
    elif len(community_name) > LONGEST_NAME:
        problems["community"] = f"{JOIN_FIELD_TH['community']}: ยาวเกิน {LONGEST_NAME} ตัวอักษร"

    def work(s: Session) -> RoomMember:
        found = dict(problems)
        existing = None
        if shown:
            existing = s.scalar(select(Attendee).where(Attendee.workshop_id == platform.workshop_id,
                                                       Attendee.name_key == name_key(shown)))
        if existing is not None and "role" not in found and existing.role_id != role_id:
            found["name"] = (f"{JOIN_FIELD_TH['name']}: มีผู้ลงชื่อ «{existing.name_th}» ในบทบาท"
                             f"{spec.role(existing.role_id).name_th}แล้ว ถ้าเป็นคุณ ให้เลือกบทบาทเดิม "
                             "ถ้าไม่ใช่ ให้เติมนามสกุลหรือชื่อเล่นให้ต่างกัน")
        if found:
            raise JoinError({k: found[k] for k in JOIN_FIELD_TH if k in found})
        if existing is not None:
            return _member(existing, spec, returning=True)
        taken = s.scalars(select(Attendee.code).where(Attendee.workshop_id == platform.workshop_id)).all()
        number = max((int(c[len(CODE_PREFIX):]) for c in taken), default=0) + 1
        row = Attendee(workshop_id=platform.workshop_id, code=code_of(number), name_th=shown, name_key=name_key(shown),
                       role_id=role_id, district_th=district_name, community_th=community_name)
        s.add(row)
        s.flush()
        return _member(row, spec)

    # Two phones joining at once may pick the same next code: the second try sees the first.
    return platform.write(work, retry_on_conflict=True)


def normalise_code(code: str) -> str:
    text = str(code or "").strip().upper().replace(" ", "")
    if text.isdigit():
        text = CODE_PREFIX + text
    if text.startswith(CODE_PREFIX) and text[len(CODE_PREFIX):].isdigit():
        return code_of(int(text[len(CODE_PREFIX):]))
    return text


def member(platform: Platform, code: str, spec: CheckinSpec | None = None) -> RoomMember:
    """The person with ``code`` (``P07``, ``p7`` or ``7``); a Thai :class:`ServiceError` if there is none."""
    spec = spec or load_checkin()
    wanted = normalise_code(code)
    if not wanted:
        raise ServiceError("กรุณาใส่รหัสผู้เข้าร่วม (เช่น P07) ที่ได้ตอนลงชื่อเข้าห้องในกิจกรรมที่ 1")
    with platform.read() as s:
        row = s.scalar(select(Attendee).where(Attendee.workshop_id == platform.workshop_id, Attendee.code == wanted))
    if row is None:
        raise ServiceError(f"ไม่พบรหัส {wanted} ในห้องนี้ ดูรหัสจากหน้าลงชื่อเข้าห้อง (กิจกรรมที่ 1) "
                           "ลงชื่อด้วยชื่อเดิมอีกครั้งเพื่อดูรหัส หรือถามวิทยากร")
    return _member(row, spec)


def participants(platform: Platform) -> pd.DataFrame:
    """Everyone who joined, in the shape of :mod:`simulator.workshop.room`: ``participant_id`` (the
    code), ``name``, ``role``, ``community``, ``district``; in the order they joined."""
    stmt = (select(Attendee.code, Attendee.name_th, Attendee.role_id, Attendee.community_th, Attendee.district_th)
            .where(Attendee.workshop_id == platform.workshop_id).order_by(Attendee.id))
    with platform.read() as s:
        rows = s.execute(stmt).all()
    return pd.DataFrame([tuple(r) for r in rows], columns=list(PARTICIPANT_COLUMNS), dtype=object)


def _attendees_by_code(s: Session, platform: Platform, codes) -> dict[str, int]:
    wanted = sorted({normalise_code(c) for c in codes})
    rows = s.execute(select(Attendee.code, Attendee.id).where(Attendee.workshop_id == platform.workshop_id,
                                                              Attendee.code.in_(wanted))).all()
    found = dict(rows)
    missing = [c for c in wanted if c not in found]
    if missing:
        raise ServiceError(f"ไม่พบรหัส {', '.join(missing)} ในห้องนี้ (unknown participant code): "
                           "ลงชื่อเข้าห้องในกิจกรรมที่ 1 ก่อน")
    return found


def save_survey(platform: Platform, answers: pd.DataFrame, spec: CheckinSpec | None = None) -> int:
    """Keep the survey answers (``participant_id``, ``statement_id``, ``answer``); the latest answer
    of a person to a statement replaces the one before. Returns the number of answers kept.
    Unknown codes, statements or answers outside 1-5 are refused whole (nothing is stored)."""
    spec = spec or load_checkin()
    try:
        checked = check_survey_answers(answers, spec.survey)
    except CheckinError as exc:
        raise ServiceError(str(exc)) from exc

    def work(s: Session) -> int:
        ids = _attendees_by_code(s, platform, checked["participant_id"])
        held = {(r.attendee_id, r.statement_id): r for r in s.scalars(select(SurveyAnswer).where(
            SurveyAnswer.attendee_id.in_(list(ids.values()))))}
        for code, statement, answer in checked[list(SURVEY_COLUMNS)].itertuples(index=False):
            attendee = ids[normalise_code(code)]
            row = held.get((attendee, str(statement)))
            if row is None:
                s.add(SurveyAnswer(workshop_id=platform.workshop_id, attendee_id=attendee, statement_id=str(statement),
                                   answer=int(answer)))
            elif row.answer != int(answer):
                row.answer = int(answer)
        return len(checked)

    return platform.write(work, retry_on_conflict=True)


def _stage(stage: str) -> str:
    if stage not in STAGES:
        raise ServiceError(f"ขั้นของแบบทดสอบต้องเป็น pre หรือ post ไม่ใช่ {stage!r} (stage must be 'pre' or 'post')")
    return stage


def save_test(platform: Platform, answers: pd.DataFrame, stage: str = "pre", spec: CheckinSpec | None = None,
              on: dt.date | None = None) -> int:
    """Keep a test taken (``participant_id``, ``question_id``, ``choice``; blank = no answer).

    Each person takes each stage's test once: a second pre-test (or post-test) from the same
    code is refused with a Thai message, and so are unknown codes, questions or options. The
    post-test opens ``post_test_after_days`` (``checkin.yaml``) after one's pre-test, counted in
    Bangkok days up to ``on`` (default today), so it cannot be spent in workshop 1 by mistake.
    A refused test stores nothing. Returns the number of answers kept."""
    spec = spec or load_checkin()
    stage = _stage(stage)
    today = on or bangkok_today()
    try:
        marked = mark_answers(answers, spec.test)
    except CheckinError as exc:
        raise ServiceError(str(exc)) from exc

    def work(s: Session) -> int:
        ids = _attendees_by_code(s, platform, marked["participant_id"])
        done = s.scalars(select(TestAnswer.attendee_id).where(TestAnswer.attendee_id.in_(list(ids.values())),
                                                              TestAnswer.stage == stage).distinct()).all()
        if done:
            codes = sorted(c for c, i in ids.items() if i in set(done))
            raise ServiceError(f"รหัส {', '.join(codes)} ส่ง{STAGE_TH[stage]}ไปแล้ว ทำได้คนละครั้ง "
                               "(this test was already taken)")
        if stage == "post":
            firsts = s.execute(select(TestAnswer.attendee_id, func.min(TestAnswer.answered_at)).where(
                TestAnswer.attendee_id.in_(list(ids.values())), TestAnswer.stage == "pre")
                .group_by(TestAnswer.attendee_id)).all()
            code_of_id = {i: c for c, i in ids.items()}
            for attendee, at in sorted(firsts, key=lambda r: code_of_id[r[0]]):
                opens = _bangkok_day(at) + dt.timedelta(days=spec.post_test_after_days)
                if today < opens:
                    raise ServiceError(
                        f"รหัส {code_of_id[attendee]} ทำแบบทดสอบก่อนอบรมเมื่อ{thai_date(_bangkok_day(at), long=True)} "
                        f"แบบทดสอบหลังอบรมเปิดให้ทำตั้งแต่{thai_date(opens, long=True)} (ท้ายการอบรมครั้งที่ 2) "
                        "ตอนนี้ยังไม่บันทึก (the post-test opens later)")
        for code, question, choice in marked[["participant_id", "question_id", "choice"]].itertuples(index=False):
            s.add(TestAnswer(workshop_id=platform.workshop_id, attendee_id=ids[normalise_code(code)], stage=stage,
                             question_id=str(question), choice=None if pd.isna(choice) else str(choice)))
        return len(marked)

    return platform.write(work)


def survey_answers(platform: Platform) -> pd.DataFrame:
    """The room's latest survey answers: ``participant_id`` (code), ``statement_id``, ``answer``."""
    stmt = (select(Attendee.code, SurveyAnswer.statement_id, SurveyAnswer.answer)
            .join(Attendee, Attendee.id == SurveyAnswer.attendee_id)
            .where(SurveyAnswer.workshop_id == platform.workshop_id).order_by(Attendee.id, SurveyAnswer.id))
    with platform.read() as s:
        rows = s.execute(stmt).all()
    out = pd.DataFrame([tuple(r) for r in rows], columns=list(SURVEY_COLUMNS))
    out["answer"] = out["answer"].astype(int)
    return out


def test_answers(platform: Platform, stage: str = "pre") -> pd.DataFrame:
    """The tests taken at ``stage``: ``participant_id`` (code), ``question_id``, ``choice`` (None = blank)."""
    stage = _stage(stage)
    stmt = (select(Attendee.code, TestAnswer.question_id, TestAnswer.choice)
            .join(Attendee, Attendee.id == TestAnswer.attendee_id)
            .where(TestAnswer.workshop_id == platform.workshop_id, TestAnswer.stage == stage)
            .order_by(Attendee.id, TestAnswer.id))
    with platform.read() as s:
        rows = s.execute(stmt).all()
    return pd.DataFrame([tuple(r) for r in rows], columns=list(TEST_COLUMNS), dtype=object)


test_answers.__test__ = False  # a query, not a pytest test, whatever its name says


def room_size(platform: Platform) -> dict[str, int]:
    """How many joined, answered the survey, took the pre-test and the post-test."""
    with platform.read() as s:
        def people(model, *where) -> int:
            return int(s.scalar(select(func.count(func.distinct(model.attendee_id))).where(
                model.workshop_id == platform.workshop_id, *where)) or 0)

        joined = int(s.scalar(select(func.count()).select_from(Attendee).where(
            Attendee.workshop_id == platform.workshop_id)) or 0)
        return {"joined": joined, "survey": people(SurveyAnswer), "pre": people(TestAnswer, TestAnswer.stage == "pre"),
                "post": people(TestAnswer, TestAnswer.stage == "post")}


__all__ = ["CODE_PREFIX", "JOIN_FIELD_TH", "NO_DISTRICT_TH", "PARTICIPANT_COLUMNS", "STAGES", "STAGE_TH", "JoinError",
           "RoomMember", "bangkok_districts", "code_of", "join_room", "member", "normalise_code", "participants",
           "room_size", "save_survey", "save_test", "survey_answers", "test_answers"]
