"""Activity 13: the four levels, the decision each level's dashboard serves, and how
information flows up and back down (``levels.yaml``).

Two things are built from the file: a matching exercise (a decision card -> the level that makes
it, with the reason as feedback) and a figure of the four levels with what each sends up and
down. The file is validated on load; an edit that breaks it names the field.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from simulator.dashboards.charts import new_figure
from simulator.model.config import read_yaml_model
from simulator.thai.text import wrap

LEVELS_FILE = Path(__file__).resolve().parent.parent / "data" / "levels.yaml"
LEVEL_IDS = ("community", "providers", "district", "city")
LevelId = Literal["community", "providers", "district", "city"]


class Level(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: LevelId
    name_th: str = Field(min_length=1)
    who_th: str = Field(min_length=1)
    decision_th: str = Field(min_length=1)
    dashboard_th: str = Field(min_length=1)
    sends_up_th: str = Field(min_length=1)
    sends_down_th: str = Field(min_length=1)


class Decision(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    text_th: str = Field(min_length=1)
    level: LevelId
    why_th: str = Field(min_length=1)


class LevelsFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    version: int = Field(ge=1, le=1)
    levels: list[Level]
    decisions: list[Decision]

    @model_validator(mode="after")
    def _four_levels_in_order(self):
        ids = tuple(level.id for level in self.levels)
        if ids != LEVEL_IDS:
            raise ValueError(f"levels must be {list(LEVEL_IDS)} in that order, not {list(ids)}")
        for level in LEVEL_IDS:
            if sum(d.level == level for d in self.decisions) < 2:
                raise ValueError(f"decisions: level {level} needs at least two decision cards")
        return self

    def level(self, level_id: str) -> Level:
        return next(level for level in self.levels if level.id == level_id)


def load_levels(path: Path | str = LEVELS_FILE) -> LevelsFile:
    path = Path(path)
    return read_yaml_model(path, LevelsFile)


@dataclass
class MatchingFeedback:
    correct: list[bool]
    messages: list[str]

    @property
    def score(self) -> int:
        return sum(self.correct)


class LevelMatching:
    """Match each decision card to the level whose dashboard serves it (cards shuffled by ``seed``)."""

    def __init__(self, seed: int, levels: LevelsFile | None = None):
        self.levels = levels or load_levels()
        order = np.random.default_rng([seed, 13]).permutation(len(self.levels.decisions))
        self.cards: list[Decision] = [self.levels.decisions[i] for i in order]

    def options(self) -> list[tuple[str, str]]:
        return [(level.name_th, level.id) for level in self.levels.levels]

    def check(self, answers: list[str | None]) -> MatchingFeedback:
        if len(answers) != len(self.cards):
            raise ValueError(f"expected {len(self.cards)} answers, got {len(answers)}")
        missing = [str(i + 1) for i, a in enumerate(answers) if not a]
        if missing:
            raise ValueError("ยังไม่ได้เลือกระดับของข้อ " + ", ".join(missing))
        correct, messages = [], []
        for i, (card, answer) in enumerate(zip(self.cards, answers), start=1):
            ok = card.level == answer
            correct.append(ok)
            right = self.levels.level(card.level).name_th
            if ok:
                messages.append(f"✔ ข้อ {i}: {right} — {card.why_th}")
            else:
                messages.append(f"✘ ข้อ {i}: ตอบ{self.levels.level(answer).name_th} แต่เป็นงานของระดับ{right} "
                                f"— {card.why_th}")
        return MatchingFeedback(correct, messages)


def levels_figure(levels: LevelsFile | None = None, width_in: float = 4.0):
    """The four levels stacked (community at the bottom), what each sends up on the left and
    back down on the right, with arrows between the levels."""
    levels = levels or load_levels()
    chars = 30 if width_in < 6 else 60
    blocks = []
    for level in reversed(levels.levels):  # the city on top
        body = wrap(f"ตัดสินใจ: {level.decision_th}", chars)
        blocks.append((level, body))
    line_in = 0.19
    heights = [0.3 + line_in * len(body) for _, body in blocks]
    flows = []
    for upper, lower in zip(blocks, blocks[1:]):
        flows.append((wrap("↑ " + lower[0].sends_up_th, chars // 2 + 2),
                      wrap("↓ " + upper[0].sends_down_th, chars // 2 + 2)))
    gaps = [0.25 + 0.16 * max(len(up), len(down)) for up, down in flows]
    height_in = sum(heights) + sum(gaps) + 0.6
    fig = new_figure(width_in, height_in)
    fig.set_layout_engine(None)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width_in)
    ax.set_ylim(0, height_in)
    ax.axis("off")
    ax.text(width_in / 2, height_in - 0.08, "ข้อมูลไหลขึ้นและไหลกลับลงมา 4 ระดับ", ha="center", va="top",
            fontsize=11, weight="bold")
    y = height_in - 0.5
    colours = {"city": "#dbe9f6", "district": "#e3f1df", "providers": "#fdf0d5", "community": "#f9e0e3"}
    tops = []
    for i, ((level, body), h) in enumerate(zip(blocks, heights)):
        ax.add_patch(_box((0.1, y - h), width_in - 0.2, h, colours[level.id]))
        ax.text(0.2, y - 0.06, level.name_th, ha="left", va="top", fontsize=10, weight="bold")
        ax.text(0.2, y - 0.3, "\n".join(body), ha="left", va="top", fontsize=8, linespacing=1.35)
        tops.append((y, y - h))
        y -= h + (gaps[i] if i < len(gaps) else 0)
    for (_, upper_bottom), (lower_top, _), (up_text, down_text) in zip(tops, tops[1:], flows):
        middle = (upper_bottom + lower_top) / 2
        ax.annotate("", xy=(0.45, upper_bottom), xytext=(0.45, lower_top),
                    arrowprops={"arrowstyle": "-|>", "color": "#1b5e20", "lw": 1.6})
        ax.annotate("", xy=(width_in - 0.45, lower_top), xytext=(width_in - 0.45, upper_bottom),
                    arrowprops={"arrowstyle": "-|>", "color": "#0d47a1", "lw": 1.6})
        ax.text(0.6, middle, "\n".join(up_text), ha="left", va="center", fontsize=7, color="#1b5e20",
                linespacing=1.2)
        ax.text(width_in - 0.6, middle, "\n".join(down_text), ha="right", va="center", fontsize=7,
                color="#0d47a1", linespacing=1.2)
    names = " ".join(level.name_th for level in levels.levels)
    # A concept diagram, not data: no synthetic-data mark, but the same Thai descriptions.
    fig.termtem_alt_th = (f"แผนภาพสี่ระดับ ({names}) แต่ละระดับตัดสินใจเรื่องของตัวเองจากแดชบอร์ดของระดับนั้น "
                       "ลูกศรสีเขียวทางซ้ายคือข้อมูลที่ส่งขึ้น ลูกศรสีน้ำเงินทางขวาคือข้อมูลที่ส่งกลับลงมา")
    fig.termtem_caption_th = "สี่ระดับ: การตัดสินใจของแต่ละระดับ และข้อมูลที่ไหลขึ้นและไหลกลับลงมา"
    return fig


def _box(xy, width, height, colour):
    from matplotlib.patches import FancyBboxPatch

    return FancyBboxPatch(xy, width, height, boxstyle="round,pad=0.02,rounding_size=0.08", fc=colour, ec="#777777",
                          lw=0.8)


__all__ = ["LEVEL_IDS", "LevelMatching", "LevelsFile", "MatchingFeedback", "levels_figure", "load_levels"]
