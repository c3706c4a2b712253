"""Processes the concurrency tests start and kill (importable by a *spawn* child)."""

from __future__ import annotations

import time
from pathlib import Path

from sqlalchemy import event, func, select

STALLED_NAME = "ผู้ถูกตัดกลางทาง ทดสอบ"


def stall_mid_registration(url: str, ready: str, district: str, community: str) -> None:
    """Register, and stop forever inside the transaction, after the participant's and audit rows are
    written and before the commit; says so in ``ready`` (with the audit rows the transaction sees)."""
    from simulator.platform import service as sv
    from simulator.platform.db import AuditedSession, open_platform
    from simulator.platform.models import AuditEntry, Participant

    p = open_platform(url)

    @event.listens_for(AuditedSession, "after_flush")
    def _stall(session, _context):
        if any(isinstance(o, Participant) for o in session.new):
            seen = session.connection().execute(select(func.count()).select_from(AuditEntry).where(
                AuditEntry.table_name == "participants", AuditEntry.changes.contains(STALLED_NAME))).scalar()
            Path(ready).write_text(str(seen))
            time.sleep(600)

    sv.register(p, STALLED_NAME, "0877777777", "volunteer", district, community, "1234")
