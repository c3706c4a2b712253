"""A whole workshop as one file: export it, carry it to another laptop or a server, import it.

The file is a zip:

- ``manifest.json``: the format (``termtem-platform-workshop``, version 1), the schema's
  Alembic revision, the workshop's code and Thai name, when it was exported, and for each
  table its file, number of rows and SHA-256;
- ``tables/<table>.jsonl``: one JSON object per row, ordered by primary key, keys sorted,
  dates and timestamps in ISO 8601. The same rows always give the same bytes, so an
  export, import and export again gives identical table files.

Every table of :data:`simulator.platform.models.TABLES` is in it: the workshop's own rows
(including its audit log) and the roles. :func:`import_workshop` checks every checksum and
count before it writes anything, writes into a fresh database only (a new folder, or an empty
PostgreSQL database) in one transaction, keeps every ID, then upgrades the schema to the
newest revision: a file exported by an older version of the kit imports into a newer one.

Files are written by :func:`write_new_file`: to a temporary file beside the target, synced,
then linked into place, which fails rather than replace a file already there. A crash leaves
either no file or the whole file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import tempfile
import zipfile
from pathlib import Path

from sqlalchemy import Date, DateTime, MetaData, func, insert, select, text

from .models import TABLES, Workshop, utcnow

FORMAT = "termtem-platform-workshop"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


class TransferError(ValueError):
    """A workshop file cannot be written or read (a Thai message naming the file and what is wrong)."""


def write_new_file(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` all at once, never replacing a file already there."""
    path = Path(path)
    if path.exists():
        raise FileExistsError(f"มีไฟล์ {path} อยู่แล้ว จะไม่เขียนทับ เลือกชื่อไฟล์ใหม่ (file exists, not overwritten)")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(tmp, path)
        except FileExistsError:
            raise FileExistsError(f"มีไฟล์ {path} อยู่แล้ว จะไม่เขียนทับ เลือกชื่อไฟล์ใหม่ (file exists, not overwritten)")
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    finally:
        os.unlink(tmp)
    return path


def _encode(value):
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return value


def _decode(value, column):
    if value is None:
        return None
    if isinstance(column.type, DateTime):
        return dt.datetime.fromisoformat(value)
    if isinstance(column.type, Date):
        return dt.date.fromisoformat(value)
    return value


def _workshop_rows(conn, meta: MetaData, workshop_id: int) -> dict[str, list[dict]]:
    out = {}
    for name in TABLES:
        table = meta.tables[name]
        stmt = select(table).order_by(*table.primary_key.columns)
        if name == "workshops":
            stmt = stmt.where(table.c.id == workshop_id)
        elif "workshop_id" in table.c:
            stmt = stmt.where(table.c.workshop_id == workshop_id)
        out[name] = [dict(row._mapping) for row in conn.execute(stmt)]
    return out


def table_bytes(rows: list[dict]) -> bytes:
    """The ``.jsonl`` text of a table's rows (one sorted-key JSON object a line)."""
    lines = [json.dumps({k: _encode(v) for k, v in row.items()}, ensure_ascii=False, sort_keys=True) for row in rows]
    return ("\n".join(lines) + ("\n" if lines else "")).encode("utf-8")


def export_workshop(platform, path: Path | str) -> Path:
    """Write ``platform``'s workshop to the new file ``path`` (a zip, see the module); returns the path."""
    from .db import current_revision

    path = Path(path)
    if path.exists():
        raise FileExistsError(f"มีไฟล์ {path} อยู่แล้ว จะไม่เขียนทับ เลือกชื่อไฟล์ใหม่ (file exists, not overwritten)")
    revision = current_revision(platform.engine)
    with platform.read() as s:
        conn = s.connection()
        meta = MetaData()
        meta.reflect(conn)
        rows = _workshop_rows(conn, meta, platform.workshop_id)
        workshop = s.get(Workshop, platform.workshop_id)
        code, name_th = workshop.code, workshop.name_th
    files = {name: table_bytes(rows[name]) for name in TABLES}
    manifest = {
        "format": FORMAT, "format_version": FORMAT_VERSION, "schema_revision": revision,
        "workshop": {"code": code, "name_th": name_th}, "exported_at": utcnow().isoformat(timespec="seconds"),
        "tables": {name: {"file": f"tables/{name}.jsonl", "rows": len(rows[name]),
                          "sha256": hashlib.sha256(files[name]).hexdigest()} for name in TABLES},
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for arcname, data in [(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True).encode()),
                              *[(manifest["tables"][n]["file"], files[n]) for n in TABLES]]:
            info = zipfile.ZipInfo(arcname, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    return write_new_file(path, buffer.getvalue())


def read_workshop_file(path: Path | str) -> tuple[dict, dict[str, bytes]]:
    """The manifest and every table file's bytes of a workshop file, checked against the manifest."""
    path = Path(path)
    try:
        with zipfile.ZipFile(path) as zf:
            manifest = json.loads(zf.read(MANIFEST))
            if manifest.get("format") != FORMAT or manifest.get("format_version") != FORMAT_VERSION:
                raise TransferError(f"{path}: ไม่ใช่ไฟล์เวิร์กช็อปของแพลตฟอร์มเติมเต็ม (format "
                                    f"{manifest.get('format')!r} version {manifest.get('format_version')!r})")
            files = {}
            for name in TABLES:
                entry = manifest["tables"].get(name)
                if entry is None:
                    raise TransferError(f"{path}: ไม่มีตาราง {name} ในไฟล์ (table {name} missing)")
                data = zf.read(entry["file"])
                if hashlib.sha256(data).hexdigest() != entry["sha256"]:
                    raise TransferError(f"{path}: ตาราง {name} เสียหาย ค่าตรวจสอบไม่ตรง (sha256 mismatch)")
                count = data.count(b"\n")
                if count != entry["rows"]:
                    raise TransferError(f"{path}: ตาราง {name} มี {count} แถว แต่บันทึกไว้ {entry['rows']} แถว")
                files[name] = data
    except (OSError, zipfile.BadZipFile, KeyError, json.JSONDecodeError) as exc:
        if isinstance(exc, TransferError):
            raise
        raise TransferError(f"{path}: อ่านไฟล์เวิร์กช็อปไม่ได้ ({exc})") from exc
    return manifest, files


def import_workshop(path: Path | str, url_or_folder, settings=None):
    """Load the workshop file ``path`` into a fresh folder or empty database; returns the opened platform.

    Nothing is written unless every table's checksum and row count match the manifest, and the
    target holds no workshop yet. All rows go in in one transaction with their original IDs
    (PostgreSQL's ID sequences are moved past them), at the file's schema revision; the
    schema is then upgraded to the newest.
    """
    from .db import (
        current_revision,
        database_url,
        head_revision,
        make_engine,
        open_platform,
        upgrade,
    )

    manifest, files = read_workshop_file(path)
    url = database_url(url_or_folder)
    engine = make_engine(url, settings)
    try:
        revision = manifest["schema_revision"]
        current = current_revision(engine)
        known = _revisions()
        if revision not in known:
            raise TransferError(f"{path}: โครงสร้างข้อมูลรุ่น {revision} ใหม่กว่าชุดฝึกนี้ (unknown schema revision; "
                                f"this kit knows {', '.join(known)})")
        if current is None or known.index(current) < known.index(revision):
            upgrade(engine, revision)
        with engine.execution_options(termtem_write=True).connect() as conn, conn.begin():
            meta = MetaData()
            meta.reflect(conn)
            if conn.scalar(select(func.count()).select_from(meta.tables["workshops"])):
                raise TransferError(f"นำเข้าได้เฉพาะโฟลเดอร์ใหม่หรือฐานข้อมูลว่าง: {url_or_folder} มีเวิร์กช็อปอยู่แล้ว "
                                    "(import needs a fresh folder or an empty database)")
            roles = meta.tables["roles"]
            conn.execute(roles.delete())
            for name in TABLES:
                table = meta.tables[name]
                rows = [json.loads(line) for line in files[name].decode("utf-8").splitlines()]
                rows = [{k: _decode(v, table.c[k]) for k, v in row.items()} for row in rows]
                if rows:
                    conn.execute(insert(table), rows)
            if engine.dialect.name == "postgresql":
                for name in TABLES:
                    if name != "roles":
                        conn.execute(text(
                            f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                            f"COALESCE((SELECT MAX(id) FROM {name}), 1), "
                            f"(SELECT MAX(id) FROM {name}) IS NOT NULL)"))
        if revision != head_revision():
            upgrade(engine)
    finally:
        engine.dispose()
    return open_platform(url_or_folder, workshop=manifest["workshop"]["code"], settings=settings)


def _revisions() -> list[str]:
    """Every schema revision, oldest first."""
    from alembic.script import ScriptDirectory

    from .db import _alembic_config

    script = ScriptDirectory.from_config(_alembic_config("sqlite://"))
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


__all__ = ["FORMAT", "FORMAT_VERSION", "TransferError", "export_workshop", "import_workshop", "read_workshop_file",
           "table_bytes", "write_new_file"]
