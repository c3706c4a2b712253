"""The practice workshop a room shares: opened by every phone's kernel, created once.

``open_practice()`` opens the platform in the workshop folder (``practice_workshop.yaml``, or
``TERMTEM_WORKSHOP_DIR``) and, the first time, puts the simulated practice families on it.
Forty kernels start at once under ``make serve``, so creating is serialised by an exclusive
lock on a file in the folder: one kernel seeds, the others wait and then find it seeded.
"""

from __future__ import annotations

import fcntl
import os
from contextlib import contextmanager
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import func, select

from simulator.model.config import read_yaml_model

from .db import Platform, open_platform
from .models import Family

ROOT = Path(__file__).resolve().parent.parent.parent
SETTINGS_FILE = Path(__file__).resolve().parent.parent / "data" / "practice_workshop.yaml"
FOLDER_ENV = "TERMTEM_WORKSHOP_DIR"


class PracticeSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    version: int = Field(ge=1, le=1)
    folder: str = Field(min_length=1)
    workshop: str = Field(min_length=1, pattern=r"^[a-z0-9_-]+$")
    name_th: str = Field(min_length=1)
    families: int = Field(ge=10, le=100_000)
    seed: int = Field(ge=0)
    districts: list[str] = Field(min_length=1)


def load_practice_settings(path: Path | str = SETTINGS_FILE) -> PracticeSettings:
    path = Path(path)
    return read_yaml_model(path, PracticeSettings)


def practice_location(settings: PracticeSettings | None = None) -> str:
    """The workshop folder (or database URL) every phone of the room opens."""
    settings = settings or load_practice_settings()
    chosen = os.environ.get(FOLDER_ENV)
    if chosen:
        return chosen
    return str(ROOT / settings.folder)


@contextmanager
def _creating(folder: Path):
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".practice.lock", "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def open_practice(location: str | Path | None = None, settings: PracticeSettings | None = None) -> Platform:
    """The room's practice platform, with its simulated families put on it the first time."""
    import simulator
    from .service import seed_synthetic

    settings = settings or load_practice_settings()
    location = str(location or practice_location(settings))
    is_url = "://" in location
    lock = _creating(Path(location)) if not is_url else _no_lock()
    with lock:
        platform = open_platform(location, workshop=settings.workshop, name_th=settings.name_th)
        with platform.read() as s:
            families = s.scalar(select(func.count()).select_from(Family).where(Family.workshop_id == platform.workshop_id))
        if not families:
            pop = simulator.simulate(settings.families, seed=settings.seed, districts=settings.districts)
            seed_synthetic(platform, pop)
    return platform


@contextmanager
def _no_lock():
    yield




def places(platform: Platform) -> dict[str, list[str]]:
    """The workshop's districts, each with its communities (Thai names, sorted): what the
    registration form offers."""
    from .models import Community, District

    with platform.read() as s:
        rows = s.execute(select(District.name_th, Community.name_th)
                         .join(Community, Community.district_id == District.id, isouter=True)
                         .where(District.workshop_id == platform.workshop_id)).all()
    found: dict[str, list[str]] = {}
    for district, community in rows:
        found.setdefault(district, [])
        if community:
            found[district].append(community)
    return {d: sorted(c) for d, c in sorted(found.items())}


LEVEL_TH = {"community": "ชุมชน", "provider": "ผู้ให้บริการ 4 มิติ", "district": "เขต", "city": "เมือง"}
SEES_TH = {"community": "ครอบครัวในชุมชนของตัวเอง", "provider": "เรื่องที่แจ้งมาในมิติของตัวเอง ในเขตของตัวเอง",
           "district": "ทุกครอบครัวและทุกเรื่องในเขตของตัวเอง", "city": "ตัวเลขรวมที่ปิดตัวเลขน้อยไว้แล้วเท่านั้น"}


def roles_table_th(platform: Platform):
    """Every role of the platform: its level and what it may see, in Thai."""
    import pandas as pd

    roles = platform.settings.roles
    return pd.DataFrame({"บทบาท": [r.name_th for r in roles], "ระดับ": [LEVEL_TH[r.level] for r in roles],
                         "เห็นอะไรได้บ้าง": [SEES_TH[r.level] for r in roles]})


def places_table_th(platform: Platform):
    """The workshop's districts and how many communities each offers, in Thai."""
    import pandas as pd

    found = places(platform)
    return pd.DataFrame({"เขต": [f"เขต{d}" for d in found], "จำนวนชุมชน": [len(c) for c in found.values()]})


__all__ = ["FOLDER_ENV", "PracticeSettings", "load_practice_settings", "open_practice", "places", "places_table_th", "practice_location", "roles_table_th"]
