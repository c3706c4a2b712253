"""What each activity notebook declares about itself (``metadata.termtem``).

Trainer agendas and printable packs are computed from these fields, never typed twice:
the activity number, Thai and English titles, the workshop objective it serves, and the
minutes of teaching and of exercise.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from simulator.model.config import ConfigError

REQUIRED_SECTIONS_TH = (
    "ภาพรวม",  # overview, objective, minutes
    "ขั้นตอนสำหรับวิทยากร",  # trainer steps
    "คำถามชวนคิด",  # discussion questions
    "บันทึกสำหรับวิทยากร",  # instructor notes
    "สรุป",  # key points
    "ต่อไป",  # what's next
)


# Chapters with exercises for one audience, served like the activities but not one of the 13.
GUIDE_LABELS_TH = {"district": "บทสำหรับเขต"}


class ActivityInfo(BaseModel):
    """An activity notebook's ``metadata.termtem``; a guide chapter (``guide: district``) has the
    same fields without an activity number."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    activity: int | None = Field(default=None, ge=1, le=13)
    guide: str | None = None
    title_th: str = Field(min_length=1)
    title_en: str = Field(min_length=1)
    objective: int | None = Field(default=None, ge=1, le=5)
    teaching_minutes: int = Field(ge=0, le=480)
    exercise_minutes: int = Field(ge=0, le=480)
    workshops: list[int] = Field(default_factory=list)  # an activity runs in at least one; a guide in none

    @model_validator(mode="after")
    def _activity_or_guide(self):
        if (self.activity is None) == (self.guide is None):
            raise ValueError("give either activity (1-13) or guide, not both and not neither")
        if self.guide is not None and self.guide not in GUIDE_LABELS_TH:
            raise ValueError(f"unknown guide {self.guide!r}; the guides are {sorted(GUIDE_LABELS_TH)}")
        if self.activity is not None and not self.workshops:
            raise ValueError("an activity runs in at least one workshop (workshops: [1] or [2])")
        return self

    @property
    def total_minutes(self) -> int:
        return self.teaching_minutes + self.exercise_minutes

    @property
    def label_th(self) -> str:
        """``กิจกรรม 6`` or, for a guide chapter, its Thai name."""
        return f"กิจกรรม {self.activity}" if self.activity is not None else GUIDE_LABELS_TH[self.guide]


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
        if info.activity is None:
            raise ConfigError(f"{path}: an NN_ notebook is an activity and needs metadata.termtem.activity")
        if info.activity in found:
            raise ConfigError(f"{path}: activity {info.activity} is also {found[info.activity]}")
        found[info.activity] = path
    return found


def guide_notebooks(folder: Path | str) -> dict[str, Path]:
    """Guide id -> notebook, for every notebook in ``folder`` whose ``metadata.termtem`` names a guide."""
    found = {}
    folder = Path(folder)
    if not folder.is_dir():
        return found
    for path in sorted(folder.glob("*.ipynb")):
        info = read_activity(path)
        if info.guide is None:
            raise ConfigError(f"{path}: a notebook among the guides needs metadata.termtem.guide")
        found[info.guide] = path
    return found
