"""Where the platform keeps its rows: one SQLite file in the workshop's folder, or a PostgreSQL server.

:func:`open_platform` takes a folder (SQLite: ``termtem_platform.sqlite`` in it) or a database
URL (``postgresql+psycopg://user@host:port/db``, or ``sqlite:///path``), brings the schema
to the newest Alembic revision, loads the roles of ``platform.yaml`` and returns a
:class:`Platform` bound to one workshop. The same code runs on both backends.

SQLite is set up for a room of phones writing at once and for a laptop that may crash:

- ``journal_mode=WAL``: readers never wait for the writer and the writer never waits for
  readers; a crash in the middle of a write leaves the last committed state.
- ``synchronous=FULL``: every commit is on disk (the write-ahead log is synced) before the
  phone is told "saved". NORMAL is safe against corruption in WAL mode but may lose the last
  commits if the power fails; a participant's entry must not vanish after they saw it saved,
  and at 40 writers the extra sync costs little (``make bench`` measures it).
- ``busy_timeout``: a writer waits for another writer's lock (``platform.yaml``
  ``writes.busy_timeout_ms``) instead of failing at once.
- ``foreign_keys=ON``: SQLite checks foreign keys only when asked, per connection.
- Every write transaction starts with ``BEGIN IMMEDIATE``: it takes the write lock first, so
  two writers never both read and then collide on the upgrade to a write lock (which SQLite
  would report as busy without waiting). Reads begin deferred and do not block anyone.
- Writers of the kit queue on a lock file beside the database first (``flock``, handed over
  at once when released), which keeps the slowest of 40 writers' waits short; see
  :meth:`Platform._turn`.

Every write goes through :meth:`Platform.write`: one transaction, its audit rows written by
the session's flush hook inside that same transaction (see :class:`AuditedSession`), tried
again after a lock error (SQLite busy, PostgreSQL serialization failure or deadlock) up to
``writes.retries`` times; the retries are counted in :attr:`Platform.stats`.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import threading
import time
from collections import Counter
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

try:
    import fcntl
except ImportError:  # not on Windows: SQLite's busy handler alone orders the writers there
    fcntl = None

from sqlalchemy import create_engine, event, insert, inspect, select, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from .models import AuditEntry, Participant, Role, Workshop, utcnow
from .settings import PlatformSettings, load_platform_settings

DB_FILE = "termtem_platform.sqlite"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
HIDDEN = "(hidden)"
SECRET_COLUMNS = {"pin_hash"}
# pg_advisory_xact_lock key: one migration at a time on a PostgreSQL server ("TTEM" in ASCII).
MIGRATION_LOCK = 0x5454454D
T = TypeVar("T")


class PlatformError(RuntimeError):
    """The platform cannot be opened or used as asked (a Thai message, for the trainer)."""


def database_url(url_or_folder: str | Path) -> str:
    """A database URL: ``url_or_folder`` itself when it is one, else the SQLite file in that folder."""
    text_ = str(url_or_folder)
    if text_.startswith("postgresql://"):
        return "postgresql+psycopg://" + text_.removeprefix("postgresql://")
    if "://" in text_:
        return text_
    folder = Path(url_or_folder)
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{(folder / DB_FILE).resolve()}"


def make_engine(url: str, settings: PlatformSettings | None = None) -> Engine:
    """An engine for ``url`` with the settings this module describes (SQLite pragmas, write BEGIN)."""
    settings = settings or load_platform_settings()
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"timeout": settings.writes.busy_timeout_ms / 1000})
        busy = settings.writes.busy_timeout_ms

        @event.listens_for(engine, "connect")
        def _sqlite_setup(dbapi_connection, _record):
            # The driver's own transaction handling off: BEGIN is ours (deferred or immediate).
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute(f"PRAGMA busy_timeout = {int(busy)}")
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = FULL")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn):
            mode = "IMMEDIATE" if conn.get_execution_options().get("termtem_write") else "DEFERRED"
            conn.exec_driver_sql(f"BEGIN {mode}")

        return engine
    if parsed.get_backend_name() == "postgresql":
        if parsed.get_driver_name() != "psycopg":
            raise PlatformError(f"ใช้ไดรเวอร์ psycopg เท่านั้น: postgresql+psycopg://... (got {parsed.drivername})")
        return create_engine(url, pool_pre_ping=True)
    raise PlatformError(f"ฐานข้อมูลต้องเป็น SQLite หรือ PostgreSQL (unsupported database {parsed.drivername!r})")


def _json_value(value):
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return value


def _changes_of(obj, action: str) -> dict:
    state = inspect(obj)
    out = {}
    for attr in state.mapper.column_attrs:
        key = attr.key
        if action == "update":
            history = state.attrs[key].history
            if not history.has_changes():
                continue
            old = history.deleted[0] if history.deleted else None
            new = history.added[0] if history.added else None
            out[key] = [HIDDEN, HIDDEN] if key in SECRET_COLUMNS else [_json_value(old), _json_value(new)]
        else:
            value = state.dict.get(key)
            out[key] = HIDDEN if key in SECRET_COLUMNS else _json_value(value)
    return out


class AuditedSession(Session):
    """A session whose every flush writes one ``audit_log`` row per row it inserted, changed or deleted.

    The rows go out on the flush's own connection, so they commit or roll back with the
    change. ``session.info["actor"]``: the participant (or participant id) doing it; none for
    the system (setting up a workshop, loading roles, seeding synthetic families).
    """


@event.listens_for(AuditedSession, "after_flush")
def _write_audit(session: Session, _context) -> None:
    actor = session.info.get("actor")
    actor_id = actor.id if isinstance(actor, Participant) else actor
    now = utcnow()
    rows = []
    for action, objects in (("insert", session.new), ("update", session.dirty), ("delete", session.deleted)):
        for obj in objects:
            if isinstance(obj, AuditEntry):
                continue
            if action == "update" and not session.is_modified(obj, include_collections=False):
                continue
            changes = _changes_of(obj, action)
            if action == "update" and not changes:
                continue
            state = inspect(obj)
            workshop = obj.id if isinstance(obj, Workshop) else getattr(obj, "workshop_id", None)
            rows.append({"workshop_id": workshop, "at": now, "actor_id": actor_id, "action": action,
                         "table_name": state.mapper.local_table.name,
                         "row_id": ",".join(str(v) for v in state.mapper.primary_key_from_instance(obj)),
                         "changes": json.dumps(changes, ensure_ascii=False, sort_keys=True)})
    if rows:
        rows.sort(key=lambda r: (r["table_name"], r["row_id"], r["action"]))
        session.connection().execute(insert(AuditEntry.__table__), rows)


def lock_error_kind(exc: BaseException) -> str | None:
    """``sqlite_busy``, ``serialization`` or ``deadlock`` for an error worth trying again, else None."""
    if not isinstance(exc, DBAPIError):
        return None
    orig = exc.orig
    state = getattr(orig, "sqlstate", None) or getattr(getattr(orig, "diag", None), "sqlstate", None)
    if state == "40001":
        return "serialization"
    if state == "40P01":
        return "deadlock"
    if isinstance(exc, OperationalError) and any(w in str(orig).lower() for w in ("locked", "busy")):
        return "sqlite_busy"
    return None


@dataclass
class WriteStats:
    """What this process's writes met: transactions committed, and retries by kind of lock error."""

    committed: int = 0
    retries: Counter = field(default_factory=Counter)


class Platform:
    """An open platform bound to one workshop. Use the functions of :mod:`simulator.platform.service`."""

    def __init__(self, engine: Engine, url: str, settings: PlatformSettings, workshop_id: int, workshop_code: str):
        self.engine = engine
        self.url = url
        self.settings = settings
        self.workshop_id = workshop_id
        self.workshop_code = workshop_code
        self.stats = WriteStats()
        self._thread_lock = threading.Lock()
        self._lock_fd: int | None = None
        self._reads = sessionmaker(bind=engine, class_=AuditedSession, expire_on_commit=False)
        self._writes = sessionmaker(bind=engine.execution_options(termtem_write=True), class_=AuditedSession,
                                    expire_on_commit=False)

    @property
    def backend(self) -> str:
        return self.engine.dialect.name

    @property
    def folder(self) -> Path | None:
        """The workshop folder of a SQLite platform (None on PostgreSQL)."""
        if self.backend != "sqlite":
            return None
        return Path(make_url(self.url).database).parent

    @contextmanager
    def read(self):
        """A session for reading (one snapshot; nothing it changes is saved)."""
        session = self._reads()
        try:
            yield session
        finally:
            session.close()  # rolls the transaction back; loaded objects stay readable, detached

    def write(self, work: Callable[[Session], T], actor=None, retry_on_conflict: bool = False) -> T:
        """Run ``work(session)`` in one write transaction with its audit rows, retrying after lock errors.

        ``retry_on_conflict``: also try again after a unique-constraint conflict (two phones
        doing the same thing at once: the second try sees the first one's row).
        """
        delay = 0.005
        attempt = 0
        while True:
            with self._turn():
                session = self._writes()
                session.info["actor"] = actor
                try:
                    with session.begin():
                        result = work(session)
                    self.stats.committed += 1
                    return result
                except DBAPIError as exc:
                    kind = lock_error_kind(exc)
                    if kind is None and retry_on_conflict and isinstance(exc, IntegrityError):
                        kind = "conflict"
                    if kind is None or attempt >= self.settings.writes.retries:
                        raise
                    self.stats.retries[kind] += 1
                    attempt += 1
                finally:
                    session.close()
            time.sleep(delay * random.uniform(0.5, 1.5))
            delay = min(delay * 2, 0.25)

    @contextmanager
    def _turn(self):
        """On SQLite, wait for this database's writers' lock file (``<file>.writers``) first.

        SQLite's own busy handler polls, sleeping up to 100 ms at a time, so under 40 writers
        an unlucky one can wait many seconds. A lock on a file (``flock``) is handed over by
        the kernel the moment it is released, and dies with its process; the write
        transaction (``BEGIN IMMEDIATE``) is still what protects the data.
        """
        path = self._lock_path()
        if path is None or fcntl is None:
            yield
            return
        with self._thread_lock:
            if self._lock_fd is None:
                self._lock_fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
            fcntl.flock(self._lock_fd, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(self._lock_fd, fcntl.LOCK_UN)

    def _lock_path(self) -> str | None:
        if self.backend != "sqlite":
            return None
        database = make_url(self.url).database
        if not database or database == ":memory:":
            return None
        return f"{database}.writers"

    def dispose(self) -> None:
        self.engine.dispose()
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None


def _alembic_config(url: str):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config("sqlite://")).get_current_head()


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        rev = MigrationContext.configure(conn).get_current_revision()
        conn.rollback()
        return rev


def upgrade(url_or_engine: str | Path | Engine, revision: str = "head") -> None:
    """Bring the database (a URL, a workshop folder or an engine) schema to ``revision`` (``head``: the newest) with Alembic.

    One migration at a time: SQLite's write lock (``BEGIN IMMEDIATE``) or a PostgreSQL
    advisory lock is held for the whole upgrade, which commits or rolls back as one.
    """
    from alembic import command

    engine = url_or_engine if isinstance(url_or_engine, Engine) else make_engine(database_url(url_or_engine))
    url = engine.url.render_as_string(hide_password=False)
    cfg = _alembic_config(url)
    try:
        with engine.execution_options(termtem_write=True).connect() as conn, conn.begin():
            if engine.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
    finally:
        if engine is not url_or_engine:
            engine.dispose()


def _sync_roles(session: Session, settings: PlatformSettings) -> None:
    known = {r.id: r for r in session.scalars(select(Role))}
    for spec in settings.roles:
        values = spec.model_dump()
        role = known.get(spec.id)
        if role is None:
            session.add(Role(**values))
        else:
            for key, value in values.items():
                if getattr(role, key) != value:
                    setattr(role, key, value)


def _roles_differ(session: Session, settings: PlatformSettings) -> bool:
    known = {r.id: r for r in session.scalars(select(Role))}
    return any(spec.id not in known or any(getattr(known[spec.id], k) != v for k, v in spec.model_dump().items())
               for spec in settings.roles)


def open_platform(url_or_folder: str | Path, workshop: str = "workshop", name_th: str | None = None,
                  settings: PlatformSettings | None = None, migrate: bool = True) -> Platform:
    """Open (creating when new) the platform at ``url_or_folder``, bound to the workshop coded ``workshop``.

    A folder means SQLite (``termtem_platform.sqlite`` in it, created with the folder);
    ``postgresql+psycopg://...`` a PostgreSQL database, which must exist. The schema is
    upgraded to the newest revision first (``migrate=False`` refuses an older schema instead),
    the roles of ``platform.yaml`` are written when they differ, and the workshop is created
    when the database has none of that code (``name_th``: its Thai name, the code when not given).
    """
    settings = settings or load_platform_settings()
    url = database_url(url_or_folder)
    engine = make_engine(url, settings)
    head = head_revision()
    current = current_revision(engine)
    if current != head:
        if not migrate:
            raise PlatformError(f"ฐานข้อมูลยังเป็นโครงสร้างรุ่น {current} ต้องปรับเป็นรุ่น {head} ก่อน "
                                f"(schema at revision {current}, the code needs {head})")
        upgrade(engine)
    platform = Platform(engine, url, settings, workshop_id=0, workshop_code=workshop)
    with platform.read() as s:
        differ = _roles_differ(s, settings)
        found = s.scalar(select(Workshop.id).where(Workshop.code == workshop))
    if differ:
        platform.write(lambda s: _sync_roles(s, settings), retry_on_conflict=True)
    if found is None:
        def create(s: Session) -> int:
            existing = s.scalar(select(Workshop.id).where(Workshop.code == workshop))
            if existing is not None:
                return existing
            row = Workshop(code=workshop, name_th=name_th or workshop)
            s.add(row)
            s.flush()
            return row.id

        found = platform.write(create, retry_on_conflict=True)
    platform.workshop_id = found
    return platform


__all__ = ["DB_FILE", "AuditedSession", "Platform", "PlatformError", "WriteStats", "current_revision",
           "database_url", "head_revision", "lock_error_kind", "make_engine", "open_platform", "upgrade"]
