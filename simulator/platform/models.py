"""The practice platform's tables (SQLAlchemy 2 declarative), the same on SQLite and PostgreSQL.

Every table but ``roles`` (reference data from ``platform.yaml``) carries ``workshop_id``, so
that one database can hold several workshops and one workshop can be exported alone.
Timestamps (``created_at``, ``audit_log.at``) are UTC without a time zone; days of the work
(observed, notified, due, acknowledged, planned) are dates. ``audit_log`` is written by
:mod:`simulator.platform.db` in the same transaction as the change it records.

The schema changes only through Alembic revisions in ``migrations/versions``: a column added
here needs a revision there (``tests/test_platform_migrations.py`` compares the two).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
PETALS = tuple(f"{s}_{d}" for s in ("child", "parent") for d in ("social", "education", "health", "governance"))
COLOURS = ("green", "yellow", "red")
NOTIFICATION_STATUSES = ("waiting", "acknowledged", "replied")


def utcnow() -> dt.datetime:
    """Now in UTC, without a time zone (how every timestamp is stored), to the microsecond."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Workshop(Base):
    __tablename__ = "workshops"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name_th: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class Role(Base):
    __tablename__ = "roles"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name_th: Mapped[str] = mapped_column(String(120))
    level: Mapped[str] = mapped_column(String(20))
    dimension: Mapped[str | None] = mapped_column(String(20))
    actor_role: Mapped[str] = mapped_column(String(40))


class District(Base):
    __tablename__ = "districts"
    __table_args__ = (UniqueConstraint("workshop_id", "name_th"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id"))
    name_th: Mapped[str] = mapped_column(String(120))
    zone_th: Mapped[str] = mapped_column(String(120))
    sandbox: Mapped[bool] = mapped_column(Boolean, default=False)


class Community(Base):
    __tablename__ = "communities"
    __table_args__ = (UniqueConstraint("district_id", "name_th"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id"))
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id"))
    name_th: Mapped[str] = mapped_column(String(200))


class Participant(Base):
    __tablename__ = "participants"
    __table_args__ = (UniqueConstraint("workshop_id", "name_key"), UniqueConstraint("workshop_id", "mobile"))
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id"))
    name_th: Mapped[str] = mapped_column(String(200))
    # The name as sign-in compares it: spaces collapsed, case folded.
    name_key: Mapped[str] = mapped_column(String(200))
    mobile: Mapped[str] = mapped_column(String(10))
    role_id: Mapped[str] = mapped_column(ForeignKey("roles.id"))
    district_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id"))
    community_id: Mapped[int | None] = mapped_column(ForeignKey("communities.id"))
    pin_hash: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    # Revision 0002: wrong PINs in a row since the last successful sign-in.
    pin_failed_attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class Family(Base):
    """A family on the platform: synthetic (seeded from the simulator) or entered by a trainee.

    The eight petals are the worst severity among the family's observations on that petal
    (green when none); ``case_level`` follows from them like the simulator's: emergency (a red
    petal), complex (a yellow one), routine (observations, all green), none (no observation).
    """

    __tablename__ = "families"
    __table_args__ = (CheckConstraint("origin IN ('synthetic', 'entered')", name="origin"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id"))
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    label_th: Mapped[str] = mapped_column(String(200))
    origin: Mapped[str] = mapped_column(String(10))
    # The simulator's family_id of a synthetic family (the trainer's answer key), else empty.
    source_family_id: Mapped[str | None] = mapped_column(String(20))
    household_type: Mapped[str] = mapped_column(String(30))
    child_social: Mapped[str] = mapped_column(String(6), default="green")
    child_education: Mapped[str] = mapped_column(String(6), default="green")
    child_health: Mapped[str] = mapped_column(String(6), default="green")
    child_governance: Mapped[str] = mapped_column(String(6), default="green")
    parent_social: Mapped[str] = mapped_column(String(6), default="green")
    parent_education: Mapped[str] = mapped_column(String(6), default="green")
    parent_health: Mapped[str] = mapped_column(String(6), default="green")
    parent_governance: Mapped[str] = mapped_column(String(6), default="green")
    case_level: Mapped[str] = mapped_column(String(10), default="none")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("participants.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class Child(Base):
    """A born child of a family: what the dashboards count children by (sex, birth date); no name."""

    __tablename__ = "children"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id"))
    family_id: Mapped[int] = mapped_column(ForeignKey("families.id"), index=True)
    sex: Mapped[str] = mapped_column(String(10))
    birth_date: Mapped[dt.date] = mapped_column(Date)


class Observation(Base):
    """What someone saw, against an indicator of ``indicators.yaml`` (subject, dimension and
    severity copied from the catalogue at the time, so a later edit of the catalogue does not
    rewrite what was recorded)."""

    __tablename__ = "observations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id"))
    family_id: Mapped[int] = mapped_column(ForeignKey("families.id"), index=True)
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("participants.id"))
    # Who saw it, as the dashboards' actor_role (the participant's role, or the simulator's source).
    source: Mapped[str] = mapped_column(String(40))
    indicator_id: Mapped[str] = mapped_column(String(60))
    subject: Mapped[str] = mapped_column(String(10))
    dimension: Mapped[str] = mapped_column(String(20))
    severity: Mapped[str] = mapped_column(String(6))
    note_th: Mapped[str] = mapped_column(Text, default="")
    observed_on: Mapped[dt.date] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class Notification(Base):
    """A family's petal in one dimension, sent to that dimension's providers of its district."""

    __tablename__ = "notifications"
    __table_args__ = (UniqueConstraint("family_id", "dimension"),
                      # Revision 0002: a provider's inbox is read by workshop and dimension.
                      Index("ix_notifications_workshop_dimension", "workshop_id", "dimension"),
                      CheckConstraint("status IN ('waiting', 'acknowledged', 'replied')", name="status"))
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id"))
    family_id: Mapped[int] = mapped_column(ForeignKey("families.id"))
    dimension: Mapped[str] = mapped_column(String(20))
    # The family's level when notified (emergency, complex): the urgency the due date follows.
    case_level: Mapped[str] = mapped_column(String(10))
    notified_by: Mapped[int] = mapped_column(ForeignKey("participants.id"))
    notified_on: Mapped[dt.date] = mapped_column(Date)
    due_on: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(15), default="waiting")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class Acknowledgement(Base):
    __tablename__ = "acknowledgements"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id"))
    notification_id: Mapped[int] = mapped_column(ForeignKey("notifications.id"), unique=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"))
    acknowledged_on: Mapped[dt.date] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class Reply(Base):
    __tablename__ = "replies"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id"))
    notification_id: Mapped[int] = mapped_column(ForeignKey("notifications.id"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"))
    text_th: Mapped[str] = mapped_column(Text)
    replied_on: Mapped[dt.date] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class Plan(Base):
    """One goal of a family's plan of services, in one dimension."""

    __tablename__ = "plans"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id"))
    family_id: Mapped[int] = mapped_column(ForeignKey("families.id"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"))
    dimension: Mapped[str] = mapped_column(String(20))
    goal_th: Mapped[str] = mapped_column(Text)
    planned_on: Mapped[dt.date] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class Attendee(Base):
    """Someone in the room, from the introductions (activity 1): a card, not a platform account.

    The room's activities 1 and 2 come before registering (activity 4), so a person joins the
    room with a name, a role of ``checkin.yaml`` and where they work, and gets a short code
    (``P07``) under which their check-in answers, and the post-test at the end of workshop 2,
    are kept. No mobile number, no PIN. District and community are the words the person chose
    (the room comes from all of Bangkok, not only the practice districts). Revision 0003.
    """

    __tablename__ = "attendees"
    __table_args__ = (UniqueConstraint("workshop_id", "code"), UniqueConstraint("workshop_id", "name_key"))
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id"))
    code: Mapped[str] = mapped_column(String(10))
    name_th: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200))
    role_id: Mapped[str] = mapped_column(String(40))
    district_th: Mapped[str] = mapped_column(String(120), default="")
    community_th: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class SurveyAnswer(Base):
    """One attendee's answer (1-5) to one statement of the check-in's opinion survey; the latest kept."""

    __tablename__ = "survey_answers"
    __table_args__ = (UniqueConstraint("attendee_id", "statement_id"),
                      CheckConstraint("answer BETWEEN 1 AND 5", name="answer"))
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id"))
    attendee_id: Mapped[int] = mapped_column(ForeignKey("attendees.id"))
    statement_id: Mapped[str] = mapped_column(String(60))
    answer: Mapped[int] = mapped_column(Integer)
    answered_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class TestAnswer(Base):
    """One attendee's choice on one question of the knowledge test, before (``pre``, activity 2)
    or after (``post``, the end of workshop 2) the training; each test is taken once."""

    __test__ = False  # not a pytest test class, whatever its name says
    __tablename__ = "test_answers"
    __table_args__ = (UniqueConstraint("attendee_id", "stage", "question_id"),
                      CheckConstraint("stage IN ('pre', 'post')", name="stage"))
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id"))
    attendee_id: Mapped[int] = mapped_column(ForeignKey("attendees.id"))
    stage: Mapped[str] = mapped_column(String(4))
    question_id: Mapped[str] = mapped_column(String(60))
    choice: Mapped[str | None] = mapped_column(String(10))
    answered_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class AuditEntry(Base):
    """One change to one row: who (a participant, or none for the system), what, when.

    ``changes`` is JSON: for an insert every column's value, for an update ``[old, new]`` of
    each changed column, for a delete every column's old value. PIN hashes are never copied
    here: they show as ``"(hidden)"``.
    """

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_table_row", "table_name", "row_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workshop_id: Mapped[int | None] = mapped_column(ForeignKey("workshops.id"))
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("participants.id"))
    action: Mapped[str] = mapped_column(String(10))
    table_name: Mapped[str] = mapped_column(String(40))
    row_id: Mapped[str] = mapped_column(String(60))
    changes: Mapped[str] = mapped_column(Text)


# In the order rows can be inserted (every foreign key points to a table before it).
TABLES = ("workshops", "roles", "districts", "communities", "participants", "families", "children",
          "observations", "notifications", "acknowledgements", "replies", "plans", "attendees", "survey_answers",
          "test_answers", "audit_log")
MODELS = {m.__tablename__: m for m in (Workshop, Role, District, Community, Participant, Family, Child,
                                       Observation, Notification, Acknowledgement, Reply, Plan, Attendee, SurveyAnswer,
                                       TestAnswer, AuditEntry)}

__all__ = [
    "COLOURS",
    "MODELS",
    "NOTIFICATION_STATUSES",
    "PETALS",
    "TABLES",
    "Acknowledgement",
    "Attendee",
    "AuditEntry",
    "Base",
    "Child",
    "Community",
    "District",
    "Family",
    "Notification",
    "Observation",
    "Participant",
    "Plan",
    "Reply",
    "Role",
    "SurveyAnswer",
    "TestAnswer",
    "Workshop",
    "utcnow",
]
