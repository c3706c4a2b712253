"""Petal analysis practice (activity 3): place each note, colour the 8 petals, name the case level.

This module holds the logic only; :mod:`simulator.widgets.petal` puts a face on it.

Grading is fair: it uses only **the records on screen** (:func:`shown_records`, the very
rows :func:`simulator.exercises.views.observations_table` shows, in every difficulty).

* a note belongs to the petal of its indicator (subject x dimension);
* a petal's expected colour is the worst default severity (``indicators.yaml``) among the
  indicators reported in the notes of that petal, green when none; colouring red a petal
  with a red-severity note on screen is always right (a red report is never wrong to escalate);
* the expected case level follows the expected colours by the kit's rule
  (:func:`simulator.model.threats.case_level_codes`).

Then the simulator's truth is shown as a second layer, petal by petal, with the lesson of
each gap (a false alarm, a problem only a provider knew, a problem nobody recorded).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from simulator.model import rng
from simulator.model.config import DIMENSIONS, SEVERITIES
from simulator.model.population import CASE_LEVELS, Population, simulate
from simulator.thai.vocabulary import COLOUR_TH, DIMENSION_TH, SUBJECT_TH
from simulator.exercises.views import observation_rows, true_colours
from simulator.model.threats import case_level_codes
from simulator.thai.vocabulary import DIFFICULTY_TH
from simulator.thai.vocabulary import CASE_LEVEL_TH, GAP_LESSON_TH

DIFFICULTIES = ("clear", "mixed", "ambiguous")
PETALS = tuple(f"{s}_{d}" for s in ("child", "parent") for d in DIMENSIONS)
SEVERITY_ORDER = {s: i for i, s in enumerate(SEVERITIES)}


class AnswerError(ValueError):
    """The trainee's answer is incomplete or uses an unknown colour (message in Thai)."""


def petal_label_th(petal: str) -> str:
    subject, dim = petal.split("_", 1)
    return f"{SUBJECT_TH[subject]} · {DIMENSION_TH[dim]}"


CASE_CHOICES = ("emergency", "complex", "routine")


def petal_of(subject: str, dimension: str) -> str:
    return f"{subject}_{dimension}"


def shown_records(pop: Population, family_id: str) -> pd.DataFrame:
    """The notes a trainee reads for ``family_id``, numbered from 1, with what grading needs.

    Every difficulty shows every note of the family (volunteer and the 4 providers);
    difficulties differ in which families are drawn (:func:`classify_families`).
    Columns: ``number``, ``petal``, ``severity`` (default, from the catalogue), and the
    observation's own columns (``is_true`` stays for the truth layer, never for grading).
    """
    rows = observation_rows(pop, family_id)
    catalogue = pop.config.catalogue.by_id()
    return rows.assign(
        number=np.arange(1, len(rows) + 1),
        petal=[petal_of(catalogue[str(i)].subject, catalogue[str(i)].dimension) for i in rows["indicator_id"]],
        severity=[catalogue[str(i)].severity for i in rows["indicator_id"]],
    )


def expected_colours(records: pd.DataFrame) -> dict[str, str]:
    """Per petal, the worst default severity among the notes shown for it (green when none)."""
    colours = {p: "green" for p in PETALS}
    for petal, sev in zip(records["petal"], records["severity"]):
        if SEVERITY_ORDER[sev] > SEVERITY_ORDER[colours[petal]]:
            colours[petal] = sev
    return colours


def expected_case_level(records: pd.DataFrame) -> str:
    """The case level the notes support, by the kit's rule (the worst petal of the family)."""
    ranks = np.zeros((1, len(PETALS)), dtype=np.int8)
    for petal, sev in zip(records["petal"], records["severity"]):
        col = PETALS.index(petal)
        ranks[0, col] = max(ranks[0, col], SEVERITY_ORDER[sev] + 1)
    return CASE_LEVELS[int(case_level_codes(ranks)[0])]


def classify_families(pop: Population) -> pd.Series:
    """Difficulty of every family with at least one threat or one false alarm.

    * clear: every true indicator was seen by the volunteer, no false alarm;
    * mixed: the volunteer missed something a provider recorded, no false alarm;
    * ambiguous: a false alarm, or an indicator nobody recorded.

    Clear and mixed families have at least one yellow or red petal (there, the records on
    screen support the true flower); every family listed has at least one note to read.
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
    # A family with no note on screen gives nothing to place or colour.
    has_notes = level.index.isin(obs["family_id"].astype(str).unique())
    return level[(serious | (level == "ambiguous")) & has_notes]


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
class NoteFeedback:
    number: int
    chosen: str
    correct: str
    explanation_th: str

    @property
    def is_correct(self) -> bool:
        return self.chosen == self.correct


@dataclass(frozen=True)
class PetalFeedback:
    petal: str
    chosen: str
    correct: str
    explanation_th: str
    truth_colour: str = ""
    truth_th: str = ""
    accepted: tuple[str, ...] = ()

    @property
    def is_correct(self) -> bool:
        return self.chosen == self.correct or self.chosen in self.accepted

    @property
    def label_th(self) -> str:
        return petal_label_th(self.petal)


@dataclass(frozen=True)
class CaseFeedback:
    chosen: str
    correct: str
    explanation_th: str
    truth_level: str = ""

    @property
    def is_correct(self) -> bool:
        return self.chosen == self.correct


@dataclass(frozen=True)
class CheckResult:
    family_id: str
    feedback: tuple[PetalFeedback, ...]
    notes: tuple[NoteFeedback, ...] = ()
    case: CaseFeedback | None = None

    @property
    def petal_score(self) -> int:
        return sum(f.is_correct for f in self.feedback)

    @property
    def note_score(self) -> int:
        return sum(f.is_correct for f in self.notes)

    @property
    def score(self) -> int:
        return self.note_score + self.petal_score + int(self.case is not None and self.case.is_correct)

    @property
    def total(self) -> int:
        return len(self.notes) + len(self.feedback) + int(self.case is not None)

    @property
    def summary_th(self) -> str:
        parts = f"บันทึก {self.note_score}/{len(self.notes)} · กลีบ {self.petal_score}/{len(self.feedback)}"
        if self.case is not None:
            parts += " · ระดับกรณี " + ("ถูก" if self.case.is_correct else "ยังไม่ถูก")
        if self.score == self.total:
            return f"ถูกทุกข้อ ({self.total} คะแนนเต็ม) เยี่ยมมาก: {parts}"
        return f"ได้ {self.score} จาก {self.total} คะแนน ({parts}) ลองอ่านคำอธิบายของข้อที่ยังไม่ถูก"


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

    # ---- what the records on screen support ---------------------------
    def records(self) -> pd.DataFrame:
        """The notes on screen for the family on the table (see :func:`shown_records`)."""
        if getattr(self, "_records", (None,))[0] != self.family_id:
            self._records = (self.family_id, shown_records(self.population, self.family_id))
        return self._records[1]

    def expected_placements(self) -> dict[int, str]:
        """Note number -> the petal its indicator belongs to."""
        rec = self.records()
        return dict(zip(rec["number"].tolist(), rec["petal"]))

    def expected_colours(self) -> dict[str, str]:
        return expected_colours(self.records())

    def expected_case_level(self) -> str:
        return expected_case_level(self.records())

    def expected_answer(self) -> tuple[dict[str, str], dict[int, str], str]:
        """(colours, placements, case level): the answer the records on screen support."""
        return self.expected_colours(), self.expected_placements(), self.expected_case_level()

    def true_colours(self) -> dict[str, str]:
        """The simulator's truth (second layer only, never the grading key)."""
        return true_colours(self.population, self.family_id)

    # ---- grading ------------------------------------------------------
    def check(self, answer: dict[str, str | None], placements: dict[int, str | None] | None = None,
              case_level: str | None = None) -> CheckResult:
        """Grade colours (petal -> green/yellow/red), note placements (number -> petal) and the
        case level against the records on screen; AnswerError in Thai if anything is missing."""
        rec = self.records()
        placements = placements or {}
        problems = []
        missing_notes = [str(n) for n in rec["number"] if not placements.get(n)]
        if missing_notes:
            problems.append("ยังไม่ได้เลือกกลีบของบันทึกข้อ " + ", ".join(missing_notes))
        missing = [petal_label_th(p) for p in PETALS if not answer.get(p)]
        if missing:
            problems.append("ยังไม่ได้เลือกสีของกลีบ: " + ", ".join(missing))
        if not case_level:
            problems.append("ยังไม่ได้เลือกระดับของกรณี")
        if problems:
            raise AnswerError(" · ".join(problems))
        unknown = [f"{petal_label_th(p)} ({answer[p]})" for p in PETALS if answer[p] not in SEVERITIES]
        if unknown:
            raise AnswerError("สีต้องเป็น เขียว เหลือง หรือ แดง เท่านั้น: " + ", ".join(unknown))
        bad_notes = [str(n) for n in rec["number"] if placements[n] not in PETALS]
        if bad_notes:
            raise AnswerError("ไม่รู้จักกลีบที่เลือกให้บันทึกข้อ " + ", ".join(bad_notes))
        if case_level not in CASE_LEVELS:
            raise AnswerError(f"ไม่รู้จักระดับของกรณี {case_level!r}")

        catalogue = self.population.config.catalogue.by_id()
        notes = tuple(
            NoteFeedback(int(r.number), placements[int(r.number)], r.petal, self._explain_note(r, catalogue))
            for r in rec.itertuples()
        )
        expected = expected_colours(rec)
        truth = self.true_colours()
        feedback = []
        for p in PETALS:
            red_on_screen = bool(((rec["petal"] == p) & (rec["severity"] == "red")).any())
            feedback.append(PetalFeedback(
                p, answer[p], expected[p], self.explain(p, rec), truth[p], self.truth_layer(p, rec),
                accepted=("red",) if red_on_screen else (),
            ))
        level = expected_case_level(rec)
        hh = self.population.households.set_index("family_id").loc[self.family_id]
        case = CaseFeedback(case_level, level, self._explain_case(level, expected), str(hh["case_level"]))
        return CheckResult(self.family_id, tuple(feedback), notes, case)

    # ---- explanations (Thai) -------------------------------------------
    @staticmethod
    def _explain_note(r, catalogue) -> str:
        ind = catalogue[str(r.indicator_id)]
        return (f"บันทึกข้อ {r.number} บอกถึง «{ind.label_th}» ซึ่งเป็นเรื่องของ{SUBJECT_TH[ind.subject]} "
                f"มิติ{DIMENSION_TH[ind.dimension]} จึงอยู่กลีบ {petal_label_th(r.petal)}")

    def explain(self, petal: str, records: pd.DataFrame | None = None) -> str:
        """Why ``petal`` has the colour the notes on screen support (which notes, which severity)."""
        rec = self.records() if records is None else records
        catalogue = self.population.config.catalogue.by_id()
        mine = rec[rec["petal"] == petal]
        if mine.empty:
            return f"ไม่มีบันทึกบนจอเกี่ยวกับกลีบนี้ จึงเป็นสี{COLOUR_TH['green']}"
        colour = expected_colours(mine)[petal]
        listed = ", ".join(
            f"ข้อ {n} «{catalogue[str(i)].label_th}» สี{COLOUR_TH[sev]}"
            for n, i, sev in zip(mine["number"], mine["indicator_id"], mine["severity"])
        )
        text = f"ตามบันทึกบนจอ เป็นสี{COLOUR_TH[colour]} (กลีบใช้สีที่รุนแรงที่สุด): {listed}"
        if colour == "red":
            text += " · เรื่องสีแดงต้องแจ้งผู้ให้บริการทันที การระบายแดงจึงถูกเสมอเมื่อมีรายงานสีแดง"
        return text

    def truth_layer(self, petal: str, records: pd.DataFrame | None = None) -> str:
        """The second layer: the simulator's true colour of ``petal`` and the lesson of each gap."""
        pop, fid = self.population, self.family_id
        rec = self.records() if records is None else records
        subject, dim = petal.split("_", 1)
        catalogue = pop.config.catalogue.by_id()
        sources = pop.config.population.sources
        checker = next((s.label_th for s in sources.values() if s.dimension == dim), "ผู้ให้บริการ")
        ind = pop.indicators[(pop.indicators["family_id"] == fid) & (pop.indicators["subject"] == subject)
                             & (pop.indicators["dimension"] == dim)]
        mine = rec[rec["petal"] == petal]
        colour = self.true_colours()[petal]
        parts = [f"ความจริงที่โปรแกรมจำลองรู้: สี{COLOUR_TH[colour]}"]
        if ind.empty and mine.empty:
            parts.append(GAP_LESSON_TH["nothing"])
        for r in ind.drop_duplicates(["person_id", "indicator_id"]).itertuples():
            label = catalogue[str(r.indicator_id)].label_th
            seen = mine[(mine["person_id"] == r.person_id) & (mine["indicator_id"] == r.indicator_id) & mine["is_true"]]
            recorded = list(dict.fromkeys(seen["source"].astype(str)))
            if "volunteer" in recorded:
                kind = "confirmed"
            elif recorded:
                kind = "provider_only"
            else:
                kind = "unrecorded"
            parts.append(GAP_LESSON_TH[kind].format(
                label=label, checker=checker, colour=COLOUR_TH[str(r.severity)],
                providers="/".join(sources[s].label_th for s in recorded)))
        for r in mine[~mine["is_true"]].drop_duplicates(["person_id", "indicator_id"]).itertuples():
            parts.append(GAP_LESSON_TH["false_alarm"].format(
                label=catalogue[str(r.indicator_id)].label_th, checker=checker, colour="", providers=""))
        return " · ".join(parts)

    def _explain_case(self, level: str, colours: dict[str, str]) -> str:
        red = [petal_label_th(p) for p in PETALS if colours[p] == "red"]
        yellow = [petal_label_th(p) for p in PETALS if colours[p] == "yellow"]
        if red:
            why = "มีกลีบสีแดง (" + ", ".join(red) + ")"
        elif yellow:
            why = "ไม่มีกลีบสีแดง แต่มีกลีบสีเหลือง (" + ", ".join(yellow) + ")"
        else:
            why = "มีแต่ตัวชี้วัดสีเขียว"
        return f"ตามบันทึกบนจอ {why} จึงเป็นกรณี{CASE_LEVEL_TH[level]}"


def answer_table(pop: Population, family_id: str) -> pd.DataFrame:
    """The worked answer for a family, from the notes on screen: each note, its indicator,
    its petal and its default colour (Thai columns, for the folded answer of activity 3)."""
    rec = shown_records(pop, family_id)
    catalogue = pop.config.catalogue.by_id()
    return pd.DataFrame({
        "ข้อ": rec["number"].to_numpy(),
        "บันทึก": rec["note_th"].astype(str).to_numpy(),
        "ตัวชี้วัด": [catalogue[str(i)].label_th for i in rec["indicator_id"]],
        "กลีบ": [petal_label_th(p) for p in rec["petal"]],
        "สีตั้งต้น": [COLOUR_TH[s] for s in rec["severity"]],
    })
