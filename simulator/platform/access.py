"""Who sees what: every query and export of the platform's rows goes through the scopes here.

A signed-in :class:`User` sees, by the level of their role (``platform.yaml``):

- **community** (community leader, volunteer, public-health volunteer อสส.): the families of
  their own community, with everything recorded about them, and the roster of their community;
- **provider** (one per dimension): the notifications of their dimension for families of their
  district, those families, and what was recorded about them *in their dimension* (observations
  and plan goals), and the roster of their district;
- **district** (district staff): everything about the families of their district, and its roster;
- **city** (committee member): no row about a family or a person at all, only
  :func:`aggregates` (families by district and case level), with small counts suppressed as
  in public tables (:func:`simulator.dashboards.suppression.suppress`). Every row query
  refuses them with :class:`AccessDenied`.

Always within the user's own workshop. Each query returns a DataFrame with English snake_case
columns (``*_TH`` dicts give the Thai headers); :func:`export_csv` writes any of them as a CSV
file the same user may see, never overwriting a file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from sqlalchemy import and_, false, func, select, true
from sqlalchemy.orm import aliased

from simulator.dashboards.suppression import TOTAL_TH, suppress, with_totals
from simulator.thai.vocabulary import CASE_LEVEL_TH

from .db import Platform
from .models import (
    PETALS,
    Acknowledgement,
    Community,
    District,
    Family,
    Notification,
    Observation,
    Participant,
    Plan,
    Reply,
    Role,
)
from .transfer import write_new_file

FAMILY_PREFIX = "HH"
CASE_PREFIX = "JC"
LEVEL_ORDER = ("emergency", "complex", "routine", "none")


class ServiceError(ValueError):
    """Something a participant asked for cannot be done; the message is Thai, for them to read."""


class AccessDenied(ServiceError):
    """The user's role may not see or change this."""


@dataclass(frozen=True)
class User:
    """A signed-in participant: who they are, and so what they may see."""

    id: int
    name_th: str
    role_id: str
    role_th: str
    level: str
    dimension: str | None
    workshop_id: int
    district_id: int | None
    district_th: str | None
    community_id: int | None
    community_th: str | None
    platform: Platform = field(repr=False, compare=False)


def family_code(family_id: int) -> str:
    """The family's ID as people and the dashboards see it: ``HH0000042``."""
    return f"{FAMILY_PREFIX}{family_id:07d}"


def case_code(family_id: int) -> str:
    """The family's case ID on the dashboards: ``JC0000042`` (one case per family, like the simulator)."""
    return f"{CASE_PREFIX}{family_id:07d}"


def family_pk(family: str | int) -> int:
    """``HH0000042`` (or 42) -> 42; a Thai error for anything else."""
    if isinstance(family, int) and not isinstance(family, bool):
        return family
    text = str(family).strip().upper()
    if text.startswith(FAMILY_PREFIX) and text[len(FAMILY_PREFIX):].isdigit():
        return int(text[len(FAMILY_PREFIX):])
    raise ServiceError(f"รหัสครัวเรือน {family!r} ไม่ถูกต้อง ต้องเป็นแบบ HH0000042 (family id)")


# --------------------------------------------------------------------------- scopes


def _district_families(user: User):
    return select(Family.id).join(Community, Community.id == Family.community_id).where(
        Community.district_id == user.district_id)


def _refuse_city(user: User) -> None:
    if user.level == "city":
        raise AccessDenied("คณะกรรมการระดับเมืองเห็นเฉพาะตัวเลขสรุปที่ปกปิดตัวเลขน้อยแล้ว ไม่เห็นรายครอบครัวหรือรายบุคคล "
                           "(the committee sees aggregates only)")


def family_scope(user: User):
    """The families ``user`` may see, as a condition on :class:`Family`."""
    _refuse_city(user)
    own = Family.workshop_id == user.workshop_id
    if user.level == "community":
        return and_(own, Family.community_id == user.community_id)
    if user.level == "district":
        return and_(own, Family.id.in_(_district_families(user)))
    if user.level == "provider":
        notified = select(Notification.family_id).where(Notification.dimension == user.dimension)
        return and_(own, Family.id.in_(_district_families(user)), Family.id.in_(notified))
    return false()


def notification_scope(user: User):
    """The notifications ``user`` may see, as a condition on :class:`Notification`."""
    _refuse_city(user)
    own = Notification.workshop_id == user.workshop_id
    if user.level == "community":
        mine = select(Family.id).where(Family.community_id == user.community_id)
        return and_(own, Notification.family_id.in_(mine))
    if user.level == "district":
        return and_(own, Notification.family_id.in_(_district_families(user)))
    if user.level == "provider":
        return and_(own, Notification.dimension == user.dimension, Notification.family_id.in_(_district_families(user)))
    return false()


def dimension_scope(user: User, column):
    """A provider sees what was recorded in their dimension only; everyone else every dimension."""
    return column == user.dimension if user.level == "provider" else true()


def participant_scope(user: User):
    _refuse_city(user)
    own = Participant.workshop_id == user.workshop_id
    if user.level == "community":
        return and_(own, Participant.community_id == user.community_id)
    return and_(own, Participant.district_id == user.district_id)


def can_see_family(session, user: User, family_id: int) -> bool:
    return session.scalar(select(func.count()).select_from(Family).where(
        family_scope(user), Family.id == family_id)) == 1


def can_write_family(session, user: User, family_id: int) -> bool:
    """Community roles and district staff write about the families they see; providers about the
    families notified to them (in their dimension, checked by the caller); the committee never."""
    return user.level != "city" and can_see_family(session, user, family_id)


# --------------------------------------------------------------------------- queries

FAMILIES_TH = {
    "family_id": "รหัสครัวเรือน", "label_th": "ชื่อเรียกครอบครัว", "origin": "ที่มา", "district": "เขต",
    "community": "ชุมชน", "household_type": "รูปแบบครัวเรือน",
    **{p: f"{'เด็ก' if p.startswith('child') else 'ผู้ปกครอง'}: {d}" for p, d in zip(
        PETALS, ["สังคม", "การศึกษา", "สุขภาพ", "การปกครอง"] * 2)},
    "case_level": "ระดับกรณี",
}
OBSERVATIONS_TH = {
    "observation_id": "ลำดับบันทึก", "family_id": "รหัสครัวเรือน", "indicator_id": "ตัวชี้วัด (indicator)",
    "subject": "ของใคร", "dimension": "มิติ", "severity": "สี", "note_th": "บันทึก", "observed_on": "วันที่พบ",
    "source": "ผู้พบ", "recorded_by": "ผู้บันทึก",
}
INBOX_TH = {
    "notification_id": "เลขที่แจ้ง", "family_id": "รหัสครัวเรือน", "family_label": "ครอบครัว",
    "community": "ชุมชน", "dimension": "มิติ", "case_level": "ระดับกรณี", "notified_on": "วันที่แจ้ง",
    "notified_by": "ผู้แจ้ง", "due_on": "ควรรับเรื่องภายใน", "status": "สถานะ", "overdue": "เลยกำหนด",
    "acknowledged_on": "วันที่รับเรื่อง", "acknowledged_by": "ผู้รับเรื่อง", "replies": "จำนวนคำตอบ",
    "last_reply": "คำตอบล่าสุด", "last_reply_by": "ตอบโดย",
}
STATUS_TH = {"waiting": "รอรับเรื่อง", "acknowledged": "รับเรื่องแล้ว", "replied": "ตอบกลับแล้ว"}
REPLIES_TH = {"reply_id": "ลำดับคำตอบ", "notification_id": "เลขที่แจ้ง", "family_id": "รหัสครัวเรือน",
              "dimension": "มิติ", "text_th": "ข้อความ", "replied_on": "วันที่ตอบ", "replied_by": "ผู้ตอบ"}
PLANS_TH = {"plan_id": "ลำดับเป้าหมาย", "family_id": "รหัสครัวเรือน", "dimension": "มิติ", "goal_th": "เป้าหมาย",
            "planned_on": "วันที่วางแผน", "planned_by": "ผู้วางแผน"}
ROSTER_TH = {"participant_id": "ลำดับผู้เข้าร่วม", "name_th": "ชื่อ-นามสกุล", "role_id": "บทบาท (role)",
             "role_th": "บทบาท", "level": "ระดับ", "dimension": "มิติ", "district": "เขต", "community": "ชุมชน"}


def _frame(session, statement, columns) -> pd.DataFrame:
    rows = session.execute(statement).all()
    return pd.DataFrame([tuple(r) for r in rows], columns=list(columns))


def _dates(frame: pd.DataFrame, columns) -> pd.DataFrame:
    for c in columns:
        frame[c] = pd.to_datetime(frame[c]).astype("datetime64[s]")
    return frame


def families(user: User) -> pd.DataFrame:
    """The families ``user`` may see, one row each with its petals: columns of :data:`FAMILIES_TH`."""
    stmt = (select(Family.id, Family.label_th, Family.origin, District.name_th, Community.name_th,
                   Family.household_type, *[getattr(Family, p) for p in PETALS], Family.case_level)
            .join(Community, Community.id == Family.community_id).join(District, District.id == Community.district_id)
            .where(family_scope(user)).order_by(Family.id))
    with user.platform.read() as s:
        out = _frame(s, stmt, ["family_id", *list(FAMILIES_TH)[1:]])
    out["family_id"] = out["family_id"].map(family_code)
    return out


def observations(user: User, family: str | int | None = None) -> pd.DataFrame:
    """What was recorded about the families ``user`` sees (a provider: in their dimension only)."""
    who = aliased(Participant)
    stmt = (select(Observation.id, Observation.family_id, Observation.indicator_id, Observation.subject,
                   Observation.dimension, Observation.severity, Observation.note_th, Observation.observed_on,
                   Observation.source, who.name_th)
            .join(Family, Family.id == Observation.family_id).outerjoin(who, who.id == Observation.participant_id)
            .where(family_scope(user), dimension_scope(user, Observation.dimension)).order_by(Observation.id))
    if family is not None:
        stmt = stmt.where(Observation.family_id == family_pk(family))
    with user.platform.read() as s:
        out = _frame(s, stmt, OBSERVATIONS_TH)
    out["family_id"] = out["family_id"].map(family_code)
    return _dates(out, ["observed_on"])


def inbox(user: User, on: dt.date | None = None) -> pd.DataFrame:
    """The notifications ``user`` may see, newest first, with what became of each (columns of :data:`INBOX_TH`).

    A provider's inbox: what was sent to their dimension in their district. A volunteer's (and
    a leader's, an อสส.'s): what was sent about their community's families, with the
    provider's acknowledgement and replies coming back. ``overdue``: still waiting on ``on``
    (today when not given) and past its due date.
    """
    on = on or dt.date.today()
    sender, acker = aliased(Participant), aliased(Participant)
    stmt = (select(Notification.id, Notification.family_id, Family.label_th, Community.name_th,
                   Notification.dimension, Notification.case_level, Notification.notified_on, sender.name_th,
                   Notification.due_on, Notification.status, Acknowledgement.acknowledged_on, acker.name_th)
            .join(Family, Family.id == Notification.family_id).join(Community, Community.id == Family.community_id)
            .join(sender, sender.id == Notification.notified_by)
            .outerjoin(Acknowledgement, Acknowledgement.notification_id == Notification.id)
            .outerjoin(acker, acker.id == Acknowledgement.participant_id)
            .where(notification_scope(user)).order_by(Notification.notified_on.desc(), Notification.id.desc()))
    replier = aliased(Participant)
    replies_stmt = (select(Reply.notification_id, Reply.text_th, replier.name_th)
                    .join(replier, replier.id == Reply.participant_id)
                    .join(Notification, Notification.id == Reply.notification_id)
                    .where(notification_scope(user)).order_by(Reply.id))
    with user.platform.read() as s:
        out = _frame(s, stmt, ["notification_id", "family_id", "family_label", "community", "dimension", "case_level",
                               "notified_on", "notified_by", "due_on", "status", "acknowledged_on", "acknowledged_by"])
        said = _frame(s, replies_stmt, ["notification_id", "text_th", "by"])
    out["family_id"] = out["family_id"].map(family_code)
    out["overdue"] = (out["status"] == "waiting") & (out["due_on"] < on)
    counts = said.groupby("notification_id").size()
    last = said.drop_duplicates("notification_id", keep="last").set_index("notification_id")
    out["replies"] = out["notification_id"].map(counts).fillna(0).astype(int)
    out["last_reply"] = out["notification_id"].map(last["text_th"]).astype(object)
    out["last_reply_by"] = out["notification_id"].map(last["by"]).astype(object)
    out = _dates(out, ["notified_on", "due_on", "acknowledged_on"])
    return out[list(INBOX_TH)]


def replies(user: User) -> pd.DataFrame:
    """Every reply on a notification ``user`` may see (columns of :data:`REPLIES_TH`)."""
    who = aliased(Participant)
    stmt = (select(Reply.id, Reply.notification_id, Notification.family_id, Notification.dimension, Reply.text_th,
                   Reply.replied_on, who.name_th)
            .join(Notification, Notification.id == Reply.notification_id).join(who, who.id == Reply.participant_id)
            .where(notification_scope(user)).order_by(Reply.id))
    with user.platform.read() as s:
        out = _frame(s, stmt, REPLIES_TH)
    out["family_id"] = out["family_id"].map(family_code)
    return _dates(out, ["replied_on"])


def plans(user: User) -> pd.DataFrame:
    """The plan goals of the families ``user`` sees (a provider: in their dimension only)."""
    who = aliased(Participant)
    stmt = (select(Plan.id, Plan.family_id, Plan.dimension, Plan.goal_th, Plan.planned_on, who.name_th)
            .join(Family, Family.id == Plan.family_id).join(who, who.id == Plan.participant_id)
            .where(family_scope(user), dimension_scope(user, Plan.dimension)).order_by(Plan.id))
    with user.platform.read() as s:
        out = _frame(s, stmt, PLANS_TH)
    out["family_id"] = out["family_id"].map(family_code)
    return _dates(out, ["planned_on"])


def roster(user: User) -> pd.DataFrame:
    """Who is registered in ``user``'s community (community roles) or district (others); no mobile numbers."""
    stmt = (select(Participant.id, Participant.name_th, Role.id, Role.name_th, Role.level, Role.dimension,
                   District.name_th, Community.name_th)
            .join(Role, Role.id == Participant.role_id)
            .outerjoin(District, District.id == Participant.district_id)
            .outerjoin(Community, Community.id == Participant.community_id)
            .where(participant_scope(user)).order_by(Participant.id))
    with user.platform.read() as s:
        return _frame(s, stmt, ROSTER_TH)


def aggregates(user: User) -> pd.DataFrame:
    """Families by area and case level, with totals (``รวม``), as the user may see them.

    The committee: every district of the workshop, small counts hidden (``•``) with
    complementary suppression, as in public tables. Everyone else: the communities of what
    they see (their community, their district, or a provider's notified families), unsuppressed.
    """
    if user.level == "city":
        where, area = Family.workshop_id == user.workshop_id, District.name_th
    else:
        where, area = family_scope(user), Community.name_th
    stmt = (select(area, Family.case_level, func.count())
            .join(Community, Community.id == Family.community_id).join(District, District.id == Community.district_id)
            .where(where).group_by(area, Family.case_level))
    with user.platform.read() as s:
        rows = s.execute(stmt).all()
    counts = pd.DataFrame(rows, columns=["area", "case_level", "families"])
    table = counts.pivot_table(index="area", columns="case_level", values="families", aggfunc="sum", fill_value=0)
    table = table.reindex(columns=list(LEVEL_ORDER), fill_value=0).astype(int)
    table.columns = [CASE_LEVEL_TH[c] for c in LEVEL_ORDER]
    table.index.name = "เขต" if user.level == "city" else "ชุมชน"
    if user.level == "city":
        if table.empty:
            return table
        return suppress(table).published()
    return with_totals(table) if not table.empty else table


QUERIES = {"families": families, "observations": observations, "notifications": inbox, "replies": replies,
           "plans": plans, "roster": roster, "aggregates": aggregates}


def export_csv(user: User, what: str, path: Path | str) -> Path:
    """Write :data:`QUERIES` ``[what](user)`` to a new CSV file (UTF-8 with BOM, for Excel); never overwrites."""
    if what not in QUERIES:
        raise ServiceError(f"ไม่มีตาราง {what!r} ให้ส่งออก มี {', '.join(QUERIES)} (unknown export)")
    frame = QUERIES[what](user)
    keep_index = what == "aggregates"
    data = frame.to_csv(index=keep_index, date_format="%Y-%m-%d").encode("utf-8-sig")
    return write_new_file(Path(path), data)


__all__ = ["CASE_PREFIX", "FAMILIES_TH", "FAMILY_PREFIX", "INBOX_TH", "OBSERVATIONS_TH", "PLANS_TH", "QUERIES",
           "REPLIES_TH", "ROSTER_TH", "STATUS_TH", "TOTAL_TH", "AccessDenied", "ServiceError", "User", "aggregates",
           "can_see_family", "can_write_family", "case_code", "dimension_scope", "export_csv", "families",
           "family_code", "family_pk", "family_scope", "inbox", "notification_scope", "observations",
           "participant_scope", "plans", "replies", "roster"]
