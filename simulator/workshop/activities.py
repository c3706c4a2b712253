"""What each activity notebook declares about itself (``metadata.termtem``).

Trainer agendas and printable packs are computed from these fields, never typed twice:
the activity number, Thai and English titles, the workshop objective it serves, and the
minutes of teaching and of exercise.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from simulator.model.config import ConfigError

REQUIRED_SECTIONS_TH = (
    "ภาพรวม",  # overview, objective, minutes
    "ขั้นตอนสำหรับวิทยากร",  # trainer steps
    "คำถามชวนคิด",  # discussion questions
    "บันทึกสำหรับวิทยากร",  # instructor notes
    "สรุป",  # key points
    "ต่อไป",  # what's next
)


class ActivityInfo(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    activity: int = Field(ge=1, le=13)
    title_th: str = Field(min_length=1)
    title_en: str = Field(min_length=1)
    objective: int | None = Field(default=None, ge=1, le=5)
    teaching_minutes: int = Field(ge=0, le=480)
    exercise_minutes: int = Field(ge=0, le=480)
    workshops: list[int] = Field(min_length=1)

    @property
    def total_minutes(self) -> int:
        return self.teaching_minutes + self.exercise_minutes


def read_activity(path: Path | str) -> ActivityInfo:
    path = Path(path)
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))["metadata"]["termtem"]
    except (OSError, KeyError, json.JSONDecodeError) as exc:
        raise ConfigError(f"{path}: no readable metadata.termtem block ({exc})") from exc
    try:
        return ActivityInfo.model_validate(meta)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise ConfigError(f"{path}: metadata.termtem: {problems}") from exc


def activity_notebooks(folder: Path | str) -> dict[int, Path]:
    """Activity number -> notebook path, for every ``NN_*.ipynb`` in ``folder``."""
    found = {}
    for path in sorted(Path(folder).glob("[0-9][0-9]_*.ipynb")):
        info = read_activity(path)
        if info.activity in found:
            raise ConfigError(f"{path}: activity {info.activity} is also {found[info.activity]}")
        found[info.activity] = path
    return found
