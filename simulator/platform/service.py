"""What participants do on the practice platform: register, sign in, record, notify, acknowledge, reply.

Every function that writes runs one transaction through :meth:`Platform.write`, with its audit
rows; a function that refuses (a Thai :class:`~simulator.platform.access.ServiceError`) has
stored nothing. Who may do what follows :mod:`simulator.platform.access`:

- :func:`register` a participant (activity 4): the form's fields are checked all at once and
  every wrong one is named in Thai (:class:`RegistrationError`); nothing is stored unless all
  are right. :func:`sign_in` with name and PIN (argon2id hash; a wrong name and a wrong PIN
  give the same message).
- :func:`record_observation` (activity 5): against an indicator of ``indicators.yaml``; the
  family's petal takes the worse colour at once, so it shows on the community dashboard and
  in the family's flower.
- :func:`notify` (activity 9): the family's yellow and red petals go to the providers of
  those dimensions in the family's district, due by ``acknowledge_within_days`` of
  ``dashboards.yaml`` for the family's level; :func:`acknowledge` and :func:`reply` by the
  provider; :func:`~simulator.platform.access.inbox` shows each side the status.
- Setting up a workshop (the trainer, no sign-in): :func:`add_district`,
  :func:`add_community`, :func:`seed_synthetic` (families from the simulator), :func:`reset_pin`.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

import pandas as pd
from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from simulator.dashboards.tables import load_settings, thai_view
from simulator.model.config import DIMENSIONS, load_config
from simulator.thai.vocabulary import CASE_LEVEL_TH, DIMENSION_TH

from . import access
from .access import (
    INBOX_TH,
    STATUS_TH,
    AccessDenied,
    ServiceError,
    User,
    family_code,
    family_pk,
)
from .db import Platform
from .models import (
    COLOURS,
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
    Reply,
    Role,
)
from .settings import PlatformSettings

FIELD_TH = {"name": "ชื่อ-นามสกุล", "mobile": "เบอร์โทรศัพท์มือถือ", "role": "บทบาท", "district": "เขต",
            "community": "ชุมชน", "pin": "รหัส PIN"}
SIGN_IN_FAILED_TH = "ชื่อหรือรหัส PIN ไม่ถูกต้อง กรุณาลองอีกครั้ง หากลืมรหัส PIN ให้แจ้งวิทยากร"
MOBILE = re.compile(r"0[689]\d{8}")
HOUSEHOLD_TYPES = ("two_parents", "single_mother", "single_father", "grandparents", "relative", "unknown")


class RegistrationError(ServiceError):
    """Some fields of the registration form are wrong: ``problems`` maps each field to its Thai message."""

    def __init__(self, problems: dict[str, str]):
        self.problems = dict(problems)
        super().__init__(" · ".join(self.problems.values()))


class SignInError(ServiceError):
    """The name and PIN do not match (the message never says which one is wrong)."""


# --------------------------------------------------------------------------- PINs


@lru_cache(maxsize=4)
def _hasher(cost) -> PasswordHasher:
    return PasswordHasher(time_cost=cost.time_cost, memory_cost=cost.memory_kib, parallelism=cost.parallelism,
                          type=Type.ID)


def hash_pin(pin: str, settings: PlatformSettings) -> str:
    return _hasher(settings.argon2).hash(pin)


def _verify(pin_hash: str, pin: str, settings: PlatformSettings) -> bool:
    try:
        return _hasher(settings.argon2).verify(pin_hash, pin)
    except (VerificationError, InvalidHashError):
        return False


@lru_cache(maxsize=4)
def _decoy_hash(cost) -> str:
    """A hash no PIN matches, verified for unknown names so that they take as long as known ones."""
    return _hasher(cost).hash("decoy-not-a-pin")


def normalise_name(name: str) -> str:
    return " ".join(str(name or "").split())


def name_key(name: str) -> str:
    return normalise_name(name).casefold()


def normalise_mobile(mobile: str) -> str:
    """``081-234 5678`` -> ``0812345678`` (spaces and dashes dropped)."""
    return re.sub(r"[\s\-]", "", str(mobile or ""))


def _pin_problem(pin: str, settings: PlatformSettings) -> str | None:
    lo, hi = settings.pin.digits_min, settings.pin.digits_max
    if not pin:
        return f"{FIELD_TH['pin']}: กรุณาตั้งรหัส PIN เป็นตัวเลข {lo}–{hi} หลัก"
    if not (pin.isascii() and pin.isdigit() and lo <= len(pin) <= hi):
        return f"{FIELD_TH['pin']}: ต้องเป็นตัวเลข {lo}–{hi} หลักเท่านั้น"
    return None


# --------------------------------------------------------------------------- users


def _user_of(session: Session, platform: Platform, participant: Participant) -> User:
    role = session.get(Role, participant.role_id)
    district = session.get(District, participant.district_id) if participant.district_id else None
    community = session.get(Community, participant.community_id) if participant.community_id else None
    return User(id=participant.id, name_th=participant.name_th, role_id=role.id, role_th=role.name_th,
                level=role.level, dimension=role.dimension, workshop_id=participant.workshop_id,
                district_id=participant.district_id, district_th=district.name_th if district else None,
                community_id=participant.community_id, community_th=community.name_th if community else None,
                platform=platform)


def _find_district(session: Session, platform: Platform, name: str) -> District | None:
    name = normalise_name(name).removeprefix("เขต").strip()
    return session.scalar(select(District).where(District.workshop_id == platform.workshop_id,
                                                 District.name_th == name))


def _find_community(session: Session, platform: Platform, name: str) -> list[Community]:
    return list(session.scalars(select(Community).where(Community.workshop_id == platform.workshop_id,
                                                        Community.name_th == normalise_name(name))))


def register(platform: Platform, name: str, mobile: str, role: str, district: str | None = None,
             community: str | None = None, pin: str = "") -> User:
    """Register a participant and return them signed in; :class:`RegistrationError` naming every wrong field.

    Fields: ``name`` (required, at most 100 characters), ``mobile`` (a Thai mobile number:
    10 digits starting 06, 08 or 09; spaces and dashes are fine), ``role`` (an id of
    ``platform.yaml``), ``district`` (required except for the committee), ``community``
    (required for community roles; when given it must belong to the district), ``pin``
    (digits, ``pin.digits_min``-``digits_max`` long). A name or mobile number already
    registered in the workshop is a duplicate registration.
    """
    settings = platform.settings
    shown = normalise_name(name)
    number = normalise_mobile(mobile)
    pin = str(pin or "").strip()
    problems: dict[str, str] = {}
    if not shown:
        problems["name"] = f"{FIELD_TH['name']}: กรุณากรอกชื่อและนามสกุล"
    elif len(shown) > 100:
        problems["name"] = f"{FIELD_TH['name']}: ยาวเกิน 100 ตัวอักษร"
    if not number:
        problems["mobile"] = f"{FIELD_TH['mobile']}: กรุณากรอกเบอร์โทรศัพท์มือถือ"
    elif not MOBILE.fullmatch(number):
        problems["mobile"] = (f"{FIELD_TH['mobile']}: ต้องเป็นตัวเลข 10 หลัก ขึ้นต้นด้วย 06 08 หรือ 09 "
                              "เช่น 081-234-5678")
    spec = settings.role(str(role or "").strip())
    if not role:
        problems["role"] = f"{FIELD_TH['role']}: กรุณาเลือกบทบาท"
    elif spec is None:
        problems["role"] = f"{FIELD_TH['role']}: ไม่มีบทบาทนี้ในรายการ"
    pin_problem = _pin_problem(pin, settings)
    if pin_problem:
        problems["pin"] = pin_problem
    needs_district = spec is not None and spec.level != "city"
    needs_community = spec is not None and spec.level == "community"
    district_name = normalise_name(district or "")
    community_name = normalise_name(community or "")
    if needs_district and not district_name:
        problems["district"] = f"{FIELD_TH['district']}: กรุณาเลือกเขต"
    if needs_community and not community_name:
        problems["community"] = f"{FIELD_TH['community']}: กรุณาเลือกชุมชน"
    pin_hash = hash_pin(pin, settings) if not pin_problem else None

    def work(s: Session) -> User:
        found = dict(problems)
        district_row = _find_district(s, platform, district_name) if district_name else None
        if district_name and district_row is None:
            found["district"] = f"{FIELD_TH['district']}: ไม่มีเขต{district_name}ในเวิร์กช็อปนี้"
        community_row = None
        if community_name:
            candidates = _find_community(s, platform, community_name)
            if not candidates:
                found["community"] = f"{FIELD_TH['community']}: ไม่มี{community_name}ในเวิร์กช็อปนี้"
            elif district_row is not None:
                community_row = next((c for c in candidates if c.district_id == district_row.id), None)
                if community_row is None:
                    found["community"] = f"{FIELD_TH['community']}: {community_name}ไม่ได้อยู่ในเขต{district_row.name_th}"
            elif "district" not in found:
                found["community"] = f"{FIELD_TH['community']}: กรุณาเลือกเขตของ{community_name}ก่อน"
        if shown and s.scalar(select(Participant.id).where(Participant.workshop_id == platform.workshop_id,
                                                           Participant.name_key == name_key(shown))):
            found["name"] = f"{FIELD_TH['name']}: มีผู้ลงทะเบียนด้วยชื่อนี้แล้ว (ลงทะเบียนซ้ำ) ถ้าเป็นคุณ ให้เข้าสู่ระบบ"
        if "mobile" not in found and s.scalar(select(Participant.id).where(
                Participant.workshop_id == platform.workshop_id, Participant.mobile == number)):
            found["mobile"] = f"{FIELD_TH['mobile']}: เบอร์นี้ลงทะเบียนไว้แล้ว (ลงทะเบียนซ้ำ)"
        if found:
            raise RegistrationError({k: found[k] for k in FIELD_TH if k in found})
        person = Participant(workshop_id=platform.workshop_id, name_th=shown, name_key=name_key(shown),
                             mobile=number, role_id=spec.id,
                             district_id=district_row.id if district_row else None,
                             community_id=community_row.id if community_row else None,
                             pin_hash=pin_hash, pin_failed_attempts=0)
        s.info["actor"] = person  # self-registration: the new participant is the one doing it
        s.add(person)
        s.flush()
        return _user_of(s, platform, person)

    # The lookups below run even when the form already has problems: every wrong field is named at once.
    return platform.write(work, retry_on_conflict=True)


def sign_in(platform: Platform, name: str, pin: str) -> User:
    """The participant called ``name`` if ``pin`` is theirs; else :class:`SignInError` (one message for all).

    Wrong PINs in a row are counted; after ``pin.attempts_before_lock`` the name cannot sign
    in until :func:`reset_pin`. A successful sign-in sets the count back to 0.
    """
    settings = platform.settings
    pin = str(pin or "").strip()
    with platform.read() as s:
        person = s.scalar(select(Participant).where(Participant.workshop_id == platform.workshop_id,
                                                    Participant.name_key == name_key(name)))
    if person is None:
        _verify(_decoy_hash(settings.argon2), pin, settings)
        raise SignInError(SIGN_IN_FAILED_TH)
    locked = person.pin_failed_attempts >= settings.pin.attempts_before_lock
    ok = _verify(person.pin_hash, pin, settings) and not locked
    if not ok:
        def count(s: Session) -> None:
            row = s.get(Participant, person.id, with_for_update=True)
            if row.pin_failed_attempts < settings.pin.attempts_before_lock:
                row.pin_failed_attempts += 1

        platform.write(count)
        raise SignInError(SIGN_IN_FAILED_TH)

    def welcome(s: Session) -> User:
        row = s.get(Participant, person.id, with_for_update=True)
        if row.pin_failed_attempts:
            row.pin_failed_attempts = 0
        if _hasher(settings.argon2).check_needs_rehash(row.pin_hash):
            row.pin_hash = hash_pin(pin, settings)
        return _user_of(s, platform, row)

    return platform.write(welcome, actor=person.id)


def reset_pin(platform: Platform, name: str, pin: str) -> None:
    """The trainer sets a new PIN for ``name`` (and unlocks it)."""
    problem = _pin_problem(str(pin or ""), platform.settings)
    if problem:
        raise ServiceError(problem)
    new_hash = hash_pin(str(pin), platform.settings)

    def work(s: Session) -> None:
        row = s.scalar(select(Participant).where(Participant.workshop_id == platform.workshop_id,
                                                 Participant.name_key == name_key(name)))
        if row is None:
            raise ServiceError(f"ไม่พบผู้ลงทะเบียนชื่อ {normalise_name(name)}")
        row.pin_hash = new_hash
        row.pin_failed_attempts = 0

    platform.write(work)


# --------------------------------------------------------------------------- workshop set-up


@lru_cache(maxsize=1)
def _bangkok() -> dict[str, tuple[str, bool]]:
    geo = load_config().geography
    return {d.name_th: (z.name_th, d.sandbox) for z in geo.zones for d in z.districts}


def add_district(platform: Platform, name_th: str, zone_th: str | None = None, sandbox: bool | None = None) -> int:
    """Add a district to the workshop (zone and sandbox from ``bangkok.yaml`` for Bangkok's districts)."""
    name = normalise_name(name_th).removeprefix("เขต").strip()
    known = _bangkok().get(name)
    zone = zone_th or (known[0] if known else None)
    if not name or zone is None:
        raise ServiceError(f"เขต {name_th!r}: ไม่ใช่เขตของกรุงเทพฯ กรุณาระบุกลุ่มเขต (zone_th)")
    box = sandbox if sandbox is not None else (known[1] if known else False)

    def work(s: Session) -> int:
        existing = _find_district(s, platform, name)
        if existing is not None:
            return existing.id
        row = District(workshop_id=platform.workshop_id, name_th=name, zone_th=zone, sandbox=box)
        s.add(row)
        s.flush()
        return row.id

    return platform.write(work, retry_on_conflict=True)


def add_community(platform: Platform, district: str, name_th: str) -> int:
    """Add a community to a district of the workshop (the district must be there already)."""
    name = normalise_name(name_th)
    if not name:
        raise ServiceError("ชุมชน: กรุณากรอกชื่อชุมชน")

    def work(s: Session) -> int:
        row = _find_district(s, platform, district)
        if row is None:
            raise ServiceError(f"ไม่มีเขต{normalise_name(district)}ในเวิร์กช็อปนี้ เพิ่มเขตก่อน")
        existing = s.scalar(select(Community).where(Community.district_id == row.id, Community.name_th == name))
        if existing is not None:
            return existing.id
        community = Community(workshop_id=platform.workshop_id, district_id=row.id, name_th=name)
        s.add(community)
        s.flush()
        return community.id

    return platform.write(work, retry_on_conflict=True)


def _case_level(family: Family, observed: bool) -> str:
    colours = {getattr(family, p) for p in PETALS}
    if "red" in colours:
        return "emergency"
    if "yellow" in colours:
        return "complex"
    return "routine" if observed else "none"


def _worse(a: str, b: str) -> str:
    return a if COLOURS.index(a) >= COLOURS.index(b) else b


def seed_synthetic(platform: Platform, pop, label: str = "ครอบครัวสมมติ") -> int:
    """Put a simulated population's families on the platform, as the network knows them.

    Districts and communities come from the households; each family gets its born children
    (sex and birth date only) and the population's observations (``observations`` table:
    what the volunteers and providers reported, false alarms included), dated as simulated.
    Petals follow from those observations, as for any family on the platform. Returns the
    number of families added. One transaction: all or nothing.
    """
    catalogue = load_config().catalogue.by_id()
    households = pop.households
    people = pop.people
    children = people[(people["role"] == "child") & people["birth_date"].notna()]
    obs = pop.observations
    districts = {}
    for name in households["district"].astype(str).unique():
        districts[name] = add_district(platform, name)
    communities = {}
    for (d, c) in households[["district", "community"]].astype(str).drop_duplicates().itertuples(index=False):
        communities[(d, c)] = add_community(platform, d, c)

    def work(s: Session) -> int:
        ids = {}
        for row in households.itertuples(index=False):
            family = Family(workshop_id=platform.workshop_id, community_id=communities[(str(row.district), str(row.community))],
                            label_th=f"{label} {row.family_id}", origin="synthetic", source_family_id=row.family_id,
                            household_type=str(row.household_type), case_level="none",
                            **dict.fromkeys(PETALS, "green"))
            s.add(family)
            ids[row.family_id] = family
        s.flush()
        for row in children.itertuples(index=False):
            s.add(Child(workshop_id=platform.workshop_id, family_id=ids[row.family_id].id, sex=str(row.sex),
                        birth_date=pd.Timestamp(row.birth_date).date()))
        seen = set()
        for row in obs.sort_values(["observed_on", "family_id"], kind="stable").itertuples(index=False):
            ind = catalogue[str(row.indicator_id)]
            family = ids[row.family_id]
            s.add(Observation(workshop_id=platform.workshop_id, family_id=family.id, participant_id=None,
                              source=str(row.source), indicator_id=ind.id, subject=ind.subject,
                              dimension=ind.dimension, severity=ind.severity, note_th=str(row.note_th),
                              observed_on=pd.Timestamp(row.observed_on).date()))
            petal = f"{ind.subject}_{ind.dimension}"
            setattr(family, petal, _worse(getattr(family, petal), ind.severity))
            seen.add(row.family_id)
        for fid, family in ids.items():
            family.case_level = _case_level(family, fid in seen)
        return len(ids)

    return platform.write(work)


# --------------------------------------------------------------------------- families and observations


def _family_for(s: Session, user: User, family) -> Family:
    pk = family_pk(family)
    row = s.get(Family, pk)
    if row is None or row.workshop_id != user.workshop_id or not access.can_see_family(s, user, pk):
        raise AccessDenied(f"ไม่พบครัวเรือน {family_code(pk)} ในส่วนที่คุณเห็นได้ (not in your scope)")
    return row


def add_family(user: User, label_th: str, household_type: str = "unknown",
               children: list[tuple[str, dt.date]] = (), community: str | None = None) -> str:
    """A trainee enters a family of their community (district staff: name the ``community``); returns its ID.

    ``label_th`` is what the family is called on the platform: a nickname, never a real
    person's name. ``children``: (sex, birth date) of each born child.
    """
    if user.level not in ("community", "district"):
        raise AccessDenied("เพิ่มครอบครัวได้เฉพาะแกนนำชุมชน อาสาสมัคร อสส. และเจ้าหน้าที่เขต")
    label = normalise_name(label_th)
    if not label:
        raise ServiceError("ชื่อเรียกครอบครัว: กรุณากรอก (ใช้ชื่อเล่นหรือรหัส ไม่ใช้ชื่อจริง)")
    if household_type not in HOUSEHOLD_TYPES:
        raise ServiceError(f"รูปแบบครัวเรือน: ต้องเป็นหนึ่งใน {', '.join(HOUSEHOLD_TYPES)}")
    for sex, born in children:
        if sex not in ("male", "female"):
            raise ServiceError("เพศของเด็ก: ต้องเป็น male หรือ female")
        if not isinstance(born, dt.date):
            raise ServiceError("วันเกิดของเด็ก: ต้องเป็นวันที่")

    def work(s: Session) -> str:
        if user.level == "community":
            community_id = user.community_id
        else:
            found = [c for c in _find_community(s, user.platform, community or "") if c.district_id == user.district_id]
            if not found:
                raise ServiceError(f"ชุมชน: ไม่มี{normalise_name(community or '')}ในเขต{user.district_th}")
            community_id = found[0].id
        family = Family(workshop_id=user.workshop_id, community_id=community_id, label_th=label, origin="entered",
                        household_type=household_type, case_level="none", created_by=user.id,
                        **dict.fromkeys(PETALS, "green"))
        s.add(family)
        s.flush()
        for sex, born in children:
            s.add(Child(workshop_id=user.workshop_id, family_id=family.id, sex=sex, birth_date=born))
        return family_code(family.id)

    return user.platform.write(work, actor=user.id)


def record_observation(user: User, family: str | int, indicator: str, note: str = "",
                       on: dt.date | None = None) -> int:
    """Record that ``indicator`` was seen in ``family`` on ``on`` (today); returns the observation's number.

    The family's petal of that indicator takes the worse of its colour and the indicator's,
    and its case level follows, in the same transaction. A provider records in their own
    dimension only, about families notified to them.
    """
    catalogue = load_config().catalogue.by_id()
    ind = catalogue.get(str(indicator))
    if ind is None:
        raise ServiceError(f"ตัวชี้วัด {indicator!r} ไม่มีในแค็ตตาล็อก (indicators.yaml)")
    if user.level == "city":
        raise AccessDenied("คณะกรรมการระดับเมืองไม่บันทึกข้อมูลรายครอบครัว")
    if user.level == "provider" and ind.dimension != user.dimension:
        raise AccessDenied(f"ผู้ให้บริการมิติ{DIMENSION_TH[user.dimension]}บันทึกได้เฉพาะตัวชี้วัดมิติ"
                           f"{DIMENSION_TH[user.dimension]}")
    day = on or dt.date.today()
    role = user.platform.settings.role(user.role_id)

    def work(s: Session) -> int:
        row = _family_for(s, user, family)
        obs = Observation(workshop_id=user.workshop_id, family_id=row.id, participant_id=user.id,
                          source=role.actor_role, indicator_id=ind.id, subject=ind.subject, dimension=ind.dimension,
                          severity=ind.severity, note_th=str(note or "").strip(), observed_on=day)
        s.add(obs)
        petal = f"{ind.subject}_{ind.dimension}"
        worse = _worse(getattr(row, petal), ind.severity)
        if worse != getattr(row, petal):
            setattr(row, petal, worse)
        level = _case_level(row, observed=True)
        if level != row.case_level:
            row.case_level = level
        s.flush()
        return obs.id

    return user.platform.write(work, actor=user.id)


# --------------------------------------------------------------------------- notifications


def notify(user: User, family: str | int, on: dt.date | None = None) -> pd.DataFrame:
    """Send the family's yellow and red petals to the providers of those dimensions in its district.

    One notification per dimension with a yellow or red petal (the child's or the parent's),
    due within ``acknowledge_within_days`` (``dashboards.yaml``) of the family's level:
    emergency when a petal is red, else complex. A dimension notified before is not sent
    twice. Returns the notifications sent now: ``notification_id``, ``dimension``,
    ``case_level``, ``due_on``, ``providers`` (how many providers of that dimension are
    registered in the district to receive it).
    """
    if user.level not in ("community", "district"):
        raise AccessDenied("แจ้งผู้ให้บริการได้เฉพาะแกนนำชุมชน อาสาสมัคร อสส. และเจ้าหน้าที่เขต")
    day = on or dt.date.today()
    within = load_settings().acknowledge_within_days

    def work(s: Session) -> list[dict]:
        row = _family_for(s, user, family)
        dims = [d for d in DIMENSIONS if {getattr(row, f"child_{d}"), getattr(row, f"parent_{d}")} - {"green"}]
        if not dims:
            raise ServiceError(f"ครัวเรือน {family_code(row.id)} ยังไม่มีกลีบสีเหลืองหรือแดง จึงยังไม่มีเรื่องต้องแจ้ง")
        level = "emergency" if row.case_level == "emergency" else "complex"
        done = set(s.scalars(select(Notification.dimension).where(Notification.family_id == row.id)))
        district_id = s.get(Community, row.community_id).district_id
        sent = []
        for d in dims:
            if d in done:
                continue
            note = Notification(workshop_id=user.workshop_id, family_id=row.id, dimension=d, case_level=level,
                                notified_by=user.id, notified_on=day,
                                due_on=day + dt.timedelta(days=within.of(level)), status="waiting")
            s.add(note)
            s.flush()
            providers = s.scalar(select(func.count()).select_from(Participant).join(Role).where(
                Participant.workshop_id == user.workshop_id, Participant.district_id == district_id,
                Role.level == "provider", Role.dimension == d))
            sent.append({"notification_id": note.id, "dimension": d, "case_level": level, "due_on": note.due_on,
                         "providers": int(providers)})
        return sent

    sent = user.platform.write(work, actor=user.id, retry_on_conflict=True)
    out = pd.DataFrame(sent, columns=["notification_id", "dimension", "case_level", "due_on", "providers"])
    out["due_on"] = pd.to_datetime(out["due_on"]).astype("datetime64[s]")
    return out


def _notification_for(s: Session, user: User, notification_id: int) -> Notification:
    note = s.scalar(select(Notification).where(access.notification_scope(user),
                                               Notification.id == int(notification_id)))
    if note is None:
        raise AccessDenied(f"ไม่พบเรื่องแจ้งเลขที่ {notification_id} ในส่วนที่คุณเห็นได้")
    return note


def acknowledge(user: User, notification_id: int, on: dt.date | None = None) -> None:
    """The provider takes the notification on (once: a second acknowledgement is refused, naming the first)."""
    if user.level != "provider":
        raise AccessDenied("รับเรื่องได้เฉพาะผู้ให้บริการของมิตินั้น")
    day = on or dt.date.today()

    def work(s: Session) -> None:
        note = _notification_for(s, user, notification_id)
        ack = s.scalar(select(Acknowledgement).where(Acknowledgement.notification_id == note.id))
        if ack is not None:
            who = s.get(Participant, ack.participant_id).name_th
            raise ServiceError(f"เรื่องนี้มีผู้รับเรื่องแล้ว คือ {who}")
        s.add(Acknowledgement(workshop_id=user.workshop_id, notification_id=note.id, participant_id=user.id,
                              acknowledged_on=day))
        note.status = "acknowledged"

    user.platform.write(work, actor=user.id, retry_on_conflict=True)


def reply(user: User, notification_id: int, text_th: str, on: dt.date | None = None) -> int:
    """Write a reply on a notification; returns its number.

    The provider's reply tells the community what is happening (status ``replied``); a
    provider who replies before acknowledging acknowledges with it. Community roles and
    district staff may reply too (the conversation goes both ways), without changing the status.
    """
    words = str(text_th or "").strip()
    if not words:
        raise ServiceError("ข้อความตอบกลับ: กรุณาเขียนข้อความ")
    if user.level == "city":
        raise AccessDenied("คณะกรรมการระดับเมืองไม่ตอบเรื่องแจ้งรายครอบครัว")
    day = on or dt.date.today()

    def work(s: Session) -> int:
        note = _notification_for(s, user, notification_id)
        if user.level == "provider":
            if note.status == "waiting":
                s.add(Acknowledgement(workshop_id=user.workshop_id, notification_id=note.id, participant_id=user.id,
                                      acknowledged_on=day))
            if note.status != "replied":
                note.status = "replied"
        row = Reply(workshop_id=user.workshop_id, notification_id=note.id, participant_id=user.id, text_th=words,
                    replied_on=day)
        s.add(row)
        s.flush()
        return row.id

    return user.platform.write(work, actor=user.id, retry_on_conflict=True)


def add_plan_goal(user: User, family: str | int, dimension: str, goal_th: str, on: dt.date | None = None) -> int:
    """Add one goal in ``dimension`` to the family's plan of services; returns its number."""
    if dimension not in DIMENSIONS:
        raise ServiceError(f"มิติ: ต้องเป็นหนึ่งใน {', '.join(DIMENSIONS)}")
    goal = str(goal_th or "").strip()
    if not goal:
        raise ServiceError("เป้าหมาย: กรุณาเขียนเป้าหมาย")
    if user.level == "city" or (user.level == "provider" and dimension != user.dimension):
        raise AccessDenied("วางแผนได้เฉพาะเครือข่ายของครอบครัว (ผู้ให้บริการ: มิติของตนเท่านั้น)")
    day = on or dt.date.today()

    def work(s: Session) -> int:
        row = _family_for(s, user, family)
        plan = Plan(workshop_id=user.workshop_id, family_id=row.id, participant_id=user.id, dimension=dimension,
                    goal_th=goal, planned_on=day)
        s.add(plan)
        s.flush()
        return plan.id

    return user.platform.write(work, actor=user.id)


def inbox(user: User, on: dt.date | None = None) -> pd.DataFrame:
    """:func:`simulator.platform.access.inbox`: the notifications ``user`` sees and their status."""
    return access.inbox(user, on)


def inbox_th(frame: pd.DataFrame) -> pd.DataFrame:
    """An inbox as a participant reads it: Thai headers, Thai words and Thai dates."""
    shown = frame.assign(overdue=frame["overdue"].map({True: "เลยกำหนด", False: ""}),
                         last_reply=frame["last_reply"].fillna(""), last_reply_by=frame["last_reply_by"].fillna(""),
                         acknowledged_by=frame["acknowledged_by"].fillna(""))
    labels = {"dimension": DIMENSION_TH, "case_level": CASE_LEVEL_TH, "status": STATUS_TH}
    return thai_view(shown, INBOX_TH, labels)


__all__ = ["FIELD_TH", "HOUSEHOLD_TYPES", "SIGN_IN_FAILED_TH", "RegistrationError", "SignInError", "acknowledge",
           "add_community", "add_district", "add_family", "add_plan_goal", "hash_pin", "inbox", "inbox_th",
           "name_key", "normalise_mobile", "normalise_name", "notify", "record_observation", "register", "reply",
           "reset_pin", "seed_synthetic", "sign_in"]
