"""The platform's rows as the five tables the dashboards read, so that they run on it unchanged.

:func:`dashboard_data` builds :class:`simulator.dashboards.tables.DashboardData` from a
workshop: of everything (given the :class:`~simulator.platform.db.Platform`, for the trainer)
or of what one signed-in user may see (given a :class:`~simulator.platform.access.User`; the
committee is refused, it reads :func:`~simulator.platform.access.aggregates`).

- ``households``: one row per family (``family_id`` ``HH0000042``), with its community's
  district, zone and sandbox flag;
- ``children``: the family's born children (``person_id`` ``HH0000042-01`` ...);
- ``petals``: the family's eight petals and case level as recorded;
- ``events``, from what people did on the platform: ``noticed`` (the first yellow or red
  observation of a family in a dimension, by whoever saw it), ``notified``,
  ``acknowledged``, ``plan_meeting`` (the day of the family's first plan goal) and
  ``goal_set`` (each goal); replies are conversation, not events. The platform does not know
  when a problem began, so there is no ``onset``;
- ``cases``: one per family with an event (``case_id`` ``JC0000042``): its dimensions, first
  event as ``onset_date`` and ``noticed_date``, first notification, first plan; consent and
  services are not on the platform yet, so ``outcome`` is ``awaiting_plan`` or
  ``awaiting_consent``.

``as_of`` is today unless given (or the last event's day, when that is later).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import aliased

from simulator.dashboards.tables import (
    REQUIRED_COLUMNS,
    DashboardData,
    DashboardSettings,
    load_settings,
)
from simulator.model.config import DIMENSIONS
from simulator.model.timelines import EVENTS

from .access import (
    AccessDenied,
    User,
    case_code,
    dimension_scope,
    family_code,
    family_pk,
    family_scope,
    notification_scope,
)
from .db import Platform
from .models import (
    PETALS,
    Acknowledgement,
    Child,
    Community,
    District,
    Family,
    Notification,
    Observation,
    Participant,
    Plan,
    Role,
)

_EVENT_COLUMNS = list(REQUIRED_COLUMNS["events"])


def _scopes(source: Platform | User):
    if isinstance(source, User):
        return (source.platform, family_scope(source), notification_scope(source),
                lambda column: dimension_scope(source, column))
    return source, Family.workshop_id == source.workshop_id, Notification.workshop_id == source.workshop_id, \
        lambda column: column.isnot(None)


def _day(values) -> pd.Series:
    return pd.to_datetime(pd.Series(values, dtype=object)).astype("datetime64[s]")


def dashboard_data(source: Platform | User, as_of=None, settings: DashboardSettings | None = None) -> DashboardData:
    """The five dashboard tables of ``source``'s workshop (all of it, or what a user may see)."""
    platform, families_where, notes_where, in_dimension = _scopes(source)
    actor = aliased(Role)
    with platform.read() as s:
        fam = pd.DataFrame(s.execute(
            select(Family.id, District.zone_th, District.name_th, Community.name_th, District.sandbox,
                   Family.household_type, *[getattr(Family, p) for p in PETALS], Family.case_level)
            .join(Community, Community.id == Family.community_id).join(District, District.id == Community.district_id)
            .where(families_where).order_by(Family.id)).all(),
            columns=["id", "zone", "district", "community", "sandbox", "household_type", *PETALS, "case_level"])
        kids = pd.DataFrame(s.execute(
            select(Child.id, Child.family_id, Child.sex, Child.birth_date).join(Family, Family.id == Child.family_id)
            .where(families_where).order_by(Child.family_id, Child.id)).all(),
            columns=["id", "family", "sex", "birth_date"])
        seen = pd.DataFrame(s.execute(
            select(Observation.family_id, Observation.observed_on, Observation.dimension, Observation.source)
            .join(Family, Family.id == Observation.family_id)
            .where(families_where, in_dimension(Observation.dimension), Observation.severity != "green")
            .order_by(Observation.observed_on, Observation.id)).all(),
            columns=["family", "date", "dimension", "actor_role"])
        notifier, acker, acker_role = aliased(Participant), aliased(Participant), aliased(Role)
        sent = pd.DataFrame(s.execute(
            select(Notification.family_id, Notification.notified_on, Notification.dimension, actor.actor_role,
                   Acknowledgement.acknowledged_on, acker_role.actor_role)
            .join(Family, Family.id == Notification.family_id)
            .join(notifier, notifier.id == Notification.notified_by).join(actor, actor.id == notifier.role_id)
            .outerjoin(Acknowledgement, Acknowledgement.notification_id == Notification.id)
            .outerjoin(acker, acker.id == Acknowledgement.participant_id)
            .outerjoin(acker_role, acker_role.id == acker.role_id)
            .where(notes_where, families_where).order_by(Notification.id)).all(),
            columns=["family", "date", "dimension", "actor_role", "ack_date", "ack_role"])
        planned = pd.DataFrame(s.execute(
            select(Plan.family_id, Plan.planned_on, Plan.dimension, Role.actor_role)
            .join(Family, Family.id == Plan.family_id)
            .join(Participant, Participant.id == Plan.participant_id).join(Role, Role.id == Participant.role_id)
            .where(families_where, in_dimension(Plan.dimension)).order_by(Plan.planned_on, Plan.id)).all(),
            columns=["family", "date", "dimension", "actor_role"])

    households = pd.DataFrame({
        "family_id": fam["id"].map(family_code), "zone": fam["zone"], "district": fam["district"],
        "community": fam["community"], "sandbox": fam["sandbox"].astype(bool), "household_type": fam["household_type"],
    })
    number = kids.groupby("family").cumcount() + 1
    children = pd.DataFrame({
        "person_id": [f"{family_code(f)}-{n:02d}" for f, n in zip(kids["family"], number)],
        "family_id": kids["family"].map(family_code), "sex": kids["sex"], "birth_date": _day(kids["birth_date"]),
    })
    petals = fam[["id", *PETALS, "case_level"]].rename(columns={"id": "family_id"})
    petals["family_id"] = petals["family_id"].map(family_code)

    parts = [seen.drop_duplicates(["family", "dimension"]).assign(event="noticed"),
             sent[["family", "date", "dimension", "actor_role"]].assign(event="notified"),
             sent.dropna(subset=["ack_date"])[["family", "ack_date", "dimension", "ack_role"]]
             .rename(columns={"ack_date": "date", "ack_role": "actor_role"}).assign(event="acknowledged"),
             planned.drop_duplicates("family").assign(dimension=None, event="plan_meeting"),
             planned.assign(event="goal_set")]
    events = pd.concat([p for p in parts if len(p)], ignore_index=True) if any(len(p) for p in parts) else \
        pd.DataFrame(columns=["family", "date", "dimension", "actor_role", "event"])
    events["stage"] = events["event"].map(lambda e: EVENTS[e][0])
    events["order"] = events["event"].map(lambda e: EVENTS[e][1])
    events["date"] = _day(events["date"])
    events = events.sort_values(["family", "date", "order"], kind="stable").reset_index(drop=True)
    events["case_id"] = events["family"].map(case_code)
    events["family_id"] = events["family"].map(family_code)
    events["dimension"] = events["dimension"].astype(object).where(events["dimension"].notna(), None)

    level = dict(zip(fam["id"], fam["case_level"]))
    rows = []
    for fid, ev in events.groupby("family", sort=True):
        dims = [d for d in DIMENSIONS if d in set(ev["dimension"].dropna())]
        kind = ev["event"]
        plan = ev.loc[kind == "plan_meeting", "date"]
        rows.append({
            "case_id": case_code(fid), "family_id": family_code(fid), "case_level": level.get(fid, "none"),
            "dimensions": ",".join(dims), "onset_date": ev["date"].min(), "noticed_date": ev["date"].min(),
            "first_notified_date": ev.loc[kind == "notified", "date"].min(),
            "plan_date": plan.min() if len(plan) else pd.NaT, "consent_date": pd.NaT, "service_start_date": pd.NaT,
            "goals_planned": int(ev.loc[kind == "goal_set", "dimension"].nunique()), "goals_met": 0,
            "outcome": "awaiting_consent" if len(plan) else "awaiting_plan",
        })
    cases = pd.DataFrame(rows, columns=list(REQUIRED_COLUMNS["cases"]))
    for col in ("onset_date", "noticed_date", "first_notified_date", "plan_date", "consent_date", "service_start_date"):
        cases[col] = pd.to_datetime(cases[col]).astype("datetime64[s]")
    cases["goals_planned"] = cases["goals_planned"].astype(int)
    cases["goals_met"] = cases["goals_met"].astype(int)

    today = pd.Timestamp(as_of) if as_of is not None else pd.Timestamp(dt.date.today())
    if as_of is None and len(events):
        today = max(today, events["date"].max())
    return DashboardData(households=households, children=children, petals=petals, cases=cases,
                         events=events[_EVENT_COLUMNS], as_of=today, settings=settings or load_settings())


def family_flower(user: User, family: str | int):
    """The family's flower as recorded on the platform (petal colours and what was seen), phone layout.

    The notes under the flower are the observations ``user`` may see, newest first: the
    indicator's Thai label and the note written with it.
    """
    from simulator.figures.petal import draw_flower
    from simulator.model.config import load_config
    from simulator.thai.dates import thai_date

    from .access import families, observations

    shown = families(user)
    row = shown[shown["family_id"] == family_code(family_pk(family))]
    if row.empty:
        raise AccessDenied(f"ไม่พบครัวเรือน {family_code(family_pk(family))} ในส่วนที่คุณเห็นได้ (not in your scope)")
    row = row.iloc[0]
    seen = observations(user, family).sort_values(["observed_on", "observation_id"], ascending=False)
    labels = {i.id: i.label_th for i in load_config().catalogue.indicators}

    def notes(subject: str) -> list[str]:
        part = seen[seen["subject"] == subject]
        return [f"{labels.get(r.indicator_id, r.indicator_id)}: {r.note_th}".rstrip(": ") for r in part.itertuples()]

    return draw_flower({p: row[p] for p in PETALS}, notes("child"), notes("parent"),
                       title=(f"กลีบดอกของ{row['label_th']}" if row["family_id"] in row["label_th"]  # seeded labels carry the code
                              else f"กลีบดอกของ{row['label_th']} ({row['family_id']})"),
                       subtitle=f"{row['community']} เขต{row['district']} ณ {thai_date(dt.date.today())}")


__all__ = ["dashboard_data", "family_flower"]
