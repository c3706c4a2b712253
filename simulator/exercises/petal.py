"""Petal analysis practice (activity 3): pick a family, grade a trainee's 8 colours.

This module holds the logic only; :mod:`simulator.widgets.petal` puts a face on it.
Grading compares the trainee's colours with the family's *true* petals and explains,
petal by petal, which indicator sets the colour, who recorded it and what the
volunteer missed or reported wrongly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from simulator.model import rng
from simulator.model.config import DIMENSIONS, SEVERITIES
from simulator.model.population import Population, simulate
from simulator.thai.vocabulary import COLOUR_TH, DIMENSION_TH, SUBJECT_TH
from simulator.exercises.views import true_colours
from simulator.thai.vocabulary import RELATION_TH
from simulator.thai.vocabulary import DIFFICULTY_TH

DIFFICULTIES = ("clear", "mixed", "ambiguous")
PETALS = tuple(f"{s}_{d}" for s in ("child", "parent") for d in DIMENSIONS)
SEVERITY_ORDER = {s: i for i, s in enumerate(SEVERITIES)}


class AnswerError(ValueError):
    """The trainee's answer is incomplete or uses an unknown colour (message in Thai)."""


def petal_label_th(petal: str) -> str:
    subject, dim = petal.split("_", 1)
    return f"{SUBJECT_TH[subject]} · {DIMENSION_TH[dim]}"


def classify_families(pop: Population) -> pd.Series:
    """Difficulty of every family with at least one threat or one false alarm.

    * clear: every true indicator was seen by the volunteer, no false alarm;
    * mixed: the volunteer missed something a provider recorded, no false alarm;
    * ambiguous: a false alarm, or an indicator nobody recorded.

    Clear and mixed families have at least one yellow or red petal.
    """
    obs = pop.observations
    key = ["family_id", "person_id", "indicator_id"]
    truth = pop.indicators[key].astype(str)
    seen = obs[obs["is_true"]][key + ["source"]].astype(str)
    by_vol = seen[seen["source"] == "volunteer"][key].drop_duplicates()
    by_any = seen[key].drop_duplicates()
    merged = truth.merge(by_vol.assign(vol=True), on=key, how="left").merge(by_any.assign(any=True), on=key, how="left")
    merged = merged.fillna({"vol": False, "any": False})
    per = merged.groupby("family_id").agg(
        n=("indicator_id", "size"),
        missed_by_all=("any", lambda s: int((~s.astype(bool)).sum())),
        vol_missed=("vol", lambda s: int((~s.astype(bool)).sum())),
    )
    fa = obs[~obs["is_true"]].groupby("family_id", observed=True).size().rename("false_alarms")
    per = per.join(fa, how="outer").fillna(0)
    level = np.where(
        (per["false_alarms"] > 0) | (per["missed_by_all"] > 0),
        "ambiguous",
        np.where(per["vol_missed"] > 0, "mixed", "clear"),
    )
    level = pd.Series(level, index=per.index.astype(str), name="difficulty").sort_index()
    # Clear and mixed practice needs something to colour: a yellow or red petal.
    case = pop.households.set_index("family_id")["case_level"].astype(str).reindex(level.index)
    serious = case.isin(["complex", "emergency"])
    return level[serious | (level == "ambiguous")]


def choose_example(pop: Population, difficulty: str = "mixed", min_coloured: int = 2) -> str:
    """A stable worked example: the first family of ``difficulty`` with at least
    ``min_coloured`` yellow or red petals (falls back to the first of that difficulty)."""
    levels = classify_families(pop)
    ids = list(levels.index[levels == difficulty])
    if not ids:
        raise AnswerError(f"ไม่มีครอบครัวระดับ «{DIFFICULTY_TH[difficulty]}» ในชุดข้อมูลนี้")
    petals = pop.petals.set_index("family_id").loc[ids, list(PETALS)].astype(str)
    coloured = (petals != "green").sum(axis=1)
    rich = coloured[coloured >= min_coloured]
    return str(rich.index[0]) if len(rich) else ids[0]


@dataclass(frozen=True)
class PetalFeedback:
    petal: str
    chosen: str
    correct: str
    explanation_th: str

    @property
    def is_correct(self) -> bool:
        return self.chosen == self.correct

    @property
    def label_th(self) -> str:
        return petal_label_th(self.petal)


@dataclass(frozen=True)
class CheckResult:
    family_id: str
    feedback: tuple[PetalFeedback, ...]

    @property
    def score(self) -> int:
        return sum(f.is_correct for f in self.feedback)

    @property
    def total(self) -> int:
        return len(self.feedback)

    @property
    def summary_th(self) -> str:
        if self.score == self.total:
            return f"ถูกทั้ง {self.total} กลีบ เยี่ยมมาก"
        return f"ถูก {self.score} จาก {self.total} กลีบ ลองอ่านคำอธิบายของกลีบที่ยังไม่ถูก"


class PetalExercise:
    """A practice session: a population, a difficulty, the family on the table."""

    def __init__(self, population: Population | None = None, seed: int = 2569, families: int = 600,
                 difficulty: str = "clear"):
        self.population = population if population is not None else simulate(families, seed=seed)
        self.seed = seed
        self._difficulty_of = classify_families(self.population)
        self._draws = 0
        self.family_id: str | None = None
        self.set_difficulty(difficulty)

    @property
    def difficulty(self) -> str:
        return self._difficulty

    def set_difficulty(self, difficulty: str) -> str:
        if difficulty not in DIFFICULTIES:
            raise AnswerError(f"ไม่รู้จักระดับความยาก {difficulty!r}")
        self._difficulty = difficulty
        return self.new_family()

    def candidates(self) -> list[str]:
        return list(self._difficulty_of.index[self._difficulty_of == self._difficulty])

    def new_family(self) -> str:
        """Draw the next family of the chosen difficulty (the same sequence for the same seed)."""
        pool = self.candidates()
        if not pool:
            raise AnswerError(f"ไม่มีครอบครัวระดับ «{DIFFICULTY_TH[self._difficulty]}» ในชุดข้อมูลนี้ ลองเพิ่มจำนวนครอบครัว")
        u = rng.uniform(self.seed, f"exercise:{self._difficulty}", np.array([self._draws], dtype=np.uint64))[0]
        self._draws += 1
        choice = pool[int(u * len(pool))]
        if choice == self.family_id and len(pool) > 1:
            choice = pool[(pool.index(choice) + 1) % len(pool)]
        self.family_id = choice
        return choice

    def true_colours(self) -> dict[str, str]:
        return true_colours(self.population, self.family_id)

    def check(self, answer: dict[str, str | None]) -> CheckResult:
        """Grade ``answer`` (petal -> green/yellow/red); AnswerError in Thai if incomplete."""
        missing = [petal_label_th(p) for p in PETALS if not answer.get(p)]
        if missing:
            raise AnswerError("ยังไม่ได้เลือกสีของกลีบ: " + ", ".join(missing))
        unknown = [f"{petal_label_th(p)} ({answer[p]})" for p in PETALS if answer[p] not in SEVERITIES]
        if unknown:
            raise AnswerError("สีต้องเป็น เขียว เหลือง หรือ แดง เท่านั้น: " + ", ".join(unknown))
        truth = self.true_colours()
        return CheckResult(
            self.family_id,
            tuple(PetalFeedback(p, answer[p], truth[p], self.explain(p)) for p in PETALS),
        )

    def explain(self, petal: str) -> str:
        """Why ``petal`` has its true colour, who recorded what, and what was missed."""
        pop, fid = self.population, self.family_id
        subject, dim = petal.split("_", 1)
        catalogue = pop.config.catalogue.by_id()
        sources = pop.config.population.sources
        people = pop.people.set_index("person_id")
        ind = pop.indicators[(pop.indicators["family_id"] == fid) & (pop.indicators["subject"] == subject)
                             & (pop.indicators["dimension"] == dim)]
        obs = pop.observations[(pop.observations["family_id"] == fid) & (pop.observations["subject"] == subject)
                               & (pop.observations["dimension"] == dim)]
        colour = self.true_colours()[petal]
        parts = []
        if ind.empty:
            parts.append(f"ไม่มีภาวะคุกคามจริงในมิตินี้ จึงเป็นสี{COLOUR_TH['green']}")
        else:
            ranked = sorted(ind.itertuples(), key=lambda r: -SEVERITY_ORDER[str(r.severity)])
            worst = ranked[0]
            parts.append(
                f"เป็นสี{COLOUR_TH[colour]} เพราะ «{catalogue[str(worst.indicator_id)].label_th}» "
                f"ซึ่งมีความรุนแรงระดับสี{COLOUR_TH[str(worst.severity)]} (กลีบใช้สีที่รุนแรงที่สุด)"
            )
            for r in ranked:
                who = people.loc[r.person_id]
                name = f"{who['title_th']}{who['first_name']}" if who["relation"] != "unborn" else RELATION_TH["unborn"]
                recorded = obs[(obs["person_id"] == r.person_id) & (obs["indicator_id"] == r.indicator_id)
                               & obs["is_true"]]["source"].astype(str).tolist()
                label = catalogue[str(r.indicator_id)].label_th
                if "volunteer" in recorded:
                    how = "อาสาสมัครสังเกตเห็น"
                    others = [sources[s].label_th for s in recorded if s != "volunteer"]
                    if others:
                        how += " และ" + "/".join(others) + "บันทึกไว้ด้วย"
                elif recorded:
                    how = ("อาสาสมัครไม่เห็น แต่" + "/".join(sources[s].label_th for s in recorded)
                           + "มีบันทึก: ต้องถามผู้ให้บริการ 4 มิติ")
                else:
                    how = "ยังไม่มีใครบันทึก: จะรู้ได้เมื่อผู้ให้บริการและอาสาสมัครคุยกัน หรือเยี่ยมบ้านซ้ำ"
                parts.append(f"«{label}» ({name}, สี{COLOUR_TH[str(r.severity)]}): {how}")
        for r in obs[~obs["is_true"]].itertuples():
            label = catalogue[str(r.indicator_id)].label_th
            parts.append(f"อาสาสมัครรายงาน «{label}» แต่ตรวจสอบแล้วไม่พบจริง: ควรยืนยันกับผู้ให้บริการก่อนสรุปสี")
        return " · ".join(parts)
