"""Activities 1 and 2 as data and as marking: the roles of the room, the opinion survey, the
knowledge test and the programme's targets (``checkin.yaml``), and how answers are checked.

Everything takes and returns plain DataFrames so the same code serves the practice platform:

- survey answers, one row per participant and statement: ``participant_id``, ``statement_id``,
  ``answer`` (1-5 on the scale of ``checkin.yaml``);
- test answers, one row per participant and question: ``participant_id``, ``question_id``,
  ``choice`` (an option key such as ``"b"``; missing or empty for a blank, which counts as wrong).

The widgets (:mod:`simulator.widgets.checkin`) and the workshop's room tools
(:mod:`simulator.workshop.room`) both build on this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

import pandas as pd
from pydantic import Field, model_validator

from simulator.model.config import (
    DATA_DIR,
    DIMENSIONS,
    ConfigError,
    Dimension,
    _Strict,
    load_yaml_model,
)

CHECKIN_FILE = DATA_DIR / "checkin.yaml"
LEVEL_IDS = ("community", "providers", "district", "city")
OPTION_KEYS = ("a", "b", "c", "d", "e")
OPTION_LETTERS_TH = {"a": "ก", "b": "ข", "c": "ค", "d": "ง", "e": "จ"}
SURVEY_COLUMNS = ("participant_id", "statement_id", "answer")
TEST_COLUMNS = ("participant_id", "question_id", "choice")
MARK_COLUMNS = ["participant_id", "question_id", "choice", "answer", "correct"]
SCORE_COLUMNS = ["participant_id", "score", "n_questions", "percent", "reached_pass_mark", "wrong_questions"]
SCORE_TH = {"participant_id": "รหัสผู้เข้าร่วม", "score": "คะแนน", "n_questions": "จำนวนข้อ",
            "percent": "ร้อยละ", "reached_pass_mark": "ผ่านเกณฑ์"}

LevelId = Literal["community", "providers", "district", "city"]


class CheckinError(ValueError):
    """Answers that cannot be read (a missing column, an unknown question); Thai and English message."""


class Role(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name_th: str = Field(min_length=1)
    short_th: str = Field(min_length=1)
    level: LevelId
    dimension: Dimension | None = None
    room_share: float = Field(gt=0, le=1)

    @model_validator(mode="after")
    def _dimension_for_providers(self) -> Role:
        if self.level == "providers" and self.dimension is None:
            raise ValueError("a provider role needs its dimension (social, education, health or governance)")
        if self.level != "providers" and self.dimension is not None:
            raise ValueError(f"only provider roles have a dimension; this role's level is {self.level}")
        return self


class Statement(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    text_th: str = Field(min_length=1)
    short_th: str = Field(min_length=1)
    reverse: bool = False


class Survey(_Strict):
    title_th: str = Field(min_length=1)
    scale: list[str] = Field(min_length=5, max_length=5)
    statements: list[Statement] = Field(min_length=6, max_length=8)

    @model_validator(mode="after")
    def _unique(self) -> Survey:
        _no_repeats([s.id for s in self.statements], "statements")
        if any(not label.strip() for label in self.scale):
            raise ValueError("scale: a label is empty")
        return self

    def statement(self, statement_id: str) -> Statement:
        return next(s for s in self.statements if s.id == statement_id)


class Option(_Strict):
    key: Literal["a", "b", "c", "d", "e"]
    text_th: str = Field(min_length=1)


class Question(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    text_th: str = Field(min_length=1)
    short_th: str = Field(min_length=1)
    options: list[Option] = Field(min_length=2, max_length=5)
    answer: Literal["a", "b", "c", "d", "e"]
    explanation_th: str = Field(min_length=1)

    @model_validator(mode="after")
    def _keys_in_order(self) -> Question:
        keys = [o.key for o in self.options]
        if keys != list(OPTION_KEYS[: len(keys)]):
            raise ValueError(f"options: keys must be {', '.join(OPTION_KEYS[:len(keys)])} in order, not "
                             f"{', '.join(keys)}")
        if self.answer not in keys:
            raise ValueError(f"answer: {self.answer!r} is not one of the options' keys ({', '.join(keys)})")
        return self

    def option(self, key: str) -> Option:
        return next(o for o in self.options if o.key == key)

    @property
    def answer_th(self) -> str:
        """The right option as shown: ``ข. 4 มิติ: ...``."""
        return f"{OPTION_LETTERS_TH[self.answer]}. {self.option(self.answer).text_th}"


class KnowledgeTest(_Strict):
    title_th: str = Field(min_length=1)
    questions: list[Question] = Field(min_length=8, max_length=10)

    @model_validator(mode="after")
    def _unique(self) -> KnowledgeTest:
        _no_repeats([q.id for q in self.questions], "questions")
        return self

    @property
    def question_ids(self) -> list[str]:
        return [q.id for q in self.questions]

    def question(self, question_id: str) -> Question:
        return next(q for q in self.questions if q.id == question_id)


class Targets(_Strict):
    pass_percent: float = Field(gt=0, le=100)
    pass_share_percent: float = Field(gt=0, le=100)
    improved_share_percent: float = Field(gt=0, le=100)


class Simulation(_Strict):
    district: str = Field(min_length=1)
    people_per_community: int = Field(ge=1, le=50)
    pre_share_right: float = Field(gt=0, lt=1)
    post_share_right: float = Field(gt=0, lt=1)
    person_spread: float = Field(ge=0, le=3)
    question_spread: float = Field(ge=0, le=3)
    unanswered_share: float = Field(ge=0, le=0.5)
    survey_mean: float = Field(ge=1, le=5)
    survey_spread: float = Field(ge=0, le=3)

    @model_validator(mode="after")
    def _post_above_pre(self) -> Simulation:
        if self.post_share_right <= self.pre_share_right:
            raise ValueError(f"post_share_right ({self.post_share_right}) must be above pre_share_right "
                             f"({self.pre_share_right})")
        return self


class CheckinSpec(_Strict):
    """``checkin.yaml``: the room's roles, the survey, the test, the targets, the simulation."""

    version: int = Field(ge=1, le=1)
    levels: dict[LevelId, str]
    roles: list[Role] = Field(min_length=1)
    survey: Survey
    test: KnowledgeTest
    targets: Targets
    simulation: Simulation
    # Days after one's pre-test before the post-test opens (workshop 2 is another day), so a
    # phone cannot spend the post-test in workshop 1 by mistake; 0 lets rehearsals take both.
    post_test_after_days: int = Field(default=1, ge=0, le=365)

    @model_validator(mode="after")
    def _complete(self) -> CheckinSpec:
        missing = [lv for lv in LEVEL_IDS if lv not in self.levels]
        if missing:
            raise ValueError(f"levels: missing {', '.join(missing)} (the four levels are {', '.join(LEVEL_IDS)})")
        _no_repeats([r.id for r in self.roles], "roles")
        for dimension in DIMENSIONS:
            serving = [r.id for r in self.roles if r.dimension == dimension]
            if len(serving) != 1:
                raise ValueError(f"roles: the {dimension} dimension needs exactly one provider role, found "
                                 f"{len(serving)}" + (f" ({', '.join(serving)})" if serving else ""))
        for level in LEVEL_IDS:
            if not any(r.level == level for r in self.roles):
                raise ValueError(f"roles: no role at the {level} level")
        return self

    def role(self, role_id: str) -> Role:
        return next(r for r in self.roles if r.id == role_id)

    @property
    def role_ids(self) -> list[str]:
        return [r.id for r in self.roles]

    @property
    def provider_role(self) -> dict[str, str]:
        """Dimension -> the id of the role that serves it."""
        return {r.dimension: r.id for r in self.roles if r.dimension}


def _no_repeats(ids: list[str], where: str) -> None:
    twice = sorted({i for i in ids if ids.count(i) > 1})
    if twice:
        raise ValueError(f"{where}: id(s) listed twice: {', '.join(twice)}")


def load_checkin(path: Path | str | None = None) -> CheckinSpec:
    """Read and validate ``checkin.yaml`` (the kit's own when ``path`` is None).

    A mistake raises :class:`~simulator.model.config.ConfigError` naming the file, the entry
    (with its id) and the field, for example
    ``checkin.yaml: 1 problem(s) at test.questions[2] (id: red_petal): answer: 'f' is not ...``.
    """
    if path is None:
        return _default_spec()
    return load_yaml_model(CheckinSpec, Path(path))


@lru_cache(maxsize=1)
def _default_spec() -> CheckinSpec:
    return load_yaml_model(CheckinSpec, CHECKIN_FILE)


# ------------------------------------------------------------------------------- answers

def _require(table: pd.DataFrame, columns, what_th: str, what_en: str) -> None:
    if not isinstance(table, pd.DataFrame):
        raise CheckinError(f"{what_th}ต้องเป็นตาราง (DataFrame) ({what_en} must be a DataFrame)")
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise CheckinError(f"{what_th}ขาดคอลัมน์ {', '.join(missing)} ({what_en} lack column(s) "
                           f"{', '.join(missing)}; expected {', '.join(columns)})")


def _blank(value) -> bool:
    return value is None or (not isinstance(value, str) and pd.isna(value)) or (isinstance(value, str)
                                                                               and not value.strip())


def check_survey_answers(answers: pd.DataFrame, survey: Survey) -> pd.DataFrame:
    """``answers`` checked: known statements, whole answers 1-5, one per participant and statement.

    Returns them with ``answer`` as integers (rows with a blank answer dropped); raises
    :class:`CheckinError` naming the first problem otherwise."""
    _require(answers, SURVEY_COLUMNS, "คำตอบแบบสอบถาม", "survey answers")
    known = {s.id for s in survey.statements}
    unknown = sorted(set(answers["statement_id"].astype(str)) - known)
    if unknown:
        raise CheckinError(f"ไม่มีข้อความ {', '.join(unknown)} ในแบบสอบถาม (unknown statement id(s) "
                           f"{', '.join(unknown)})")
    kept = answers[~answers["answer"].map(_blank)].copy()
    values = pd.to_numeric(kept["answer"], errors="coerce")
    bad = kept[values.isna() | (values % 1 != 0) | (values < 1) | (values > 5)]
    if len(bad):
        row = bad.iloc[0]
        raise CheckinError(f"คำตอบต้องเป็นเลข 1 ถึง 5: ผู้เข้าร่วม {row['participant_id']} ข้อ {row['statement_id']} "
                           f"ตอบ {row['answer']!r} (answers are whole numbers 1-5)")
    kept["answer"] = values.astype(int)
    twice = kept.duplicated(["participant_id", "statement_id"])
    if twice.any():
        row = kept[twice].iloc[0]
        raise CheckinError(f"ผู้เข้าร่วม {row['participant_id']} ตอบข้อ {row['statement_id']} มากกว่าหนึ่งครั้ง "
                           f"(two answers from one participant to one statement)")
    return kept.reset_index(drop=True)


def mark_answers(answers: pd.DataFrame, test: KnowledgeTest) -> pd.DataFrame:
    """One row per participant and question of ``test``: ``participant_id``, ``question_id``,
    ``choice`` (their key, missing if blank or not answered), ``answer`` (the right key), ``correct``.

    Every participant who appears in ``answers`` gets every question; a question they have no
    row for, or left blank, is wrong. A key that is not one of the question's options is refused."""
    _require(answers, TEST_COLUMNS, "คำตอบแบบทดสอบ", "test answers")
    known = set(test.question_ids)
    unknown = sorted(set(answers["question_id"].astype(str)) - known)
    if unknown:
        raise CheckinError(f"ไม่มีข้อ {', '.join(unknown)} ในแบบทดสอบ (unknown question id(s) {', '.join(unknown)})")
    twice = answers.duplicated(["participant_id", "question_id"])
    if twice.any():
        row = answers[twice].iloc[0]
        raise CheckinError(f"ผู้เข้าร่วม {row['participant_id']} ตอบข้อ {row['question_id']} มากกว่าหนึ่งครั้ง "
                           f"(two answers from one participant to one question)")
    given = {(str(p), str(q)): (None if _blank(c) else str(c).strip().lower())
             for p, q, c in answers[list(TEST_COLUMNS)].itertuples(index=False)}
    people = list(dict.fromkeys(str(p) for p in answers["participant_id"]))
    rows = []
    for person in people:
        for question in test.questions:
            choice = given.get((person, question.id))
            if choice is not None and choice not in {o.key for o in question.options}:
                raise CheckinError(f"ผู้เข้าร่วม {person} ข้อ {question.id} ตอบ {choice!r} ซึ่งไม่ใช่ตัวเลือกของข้อนี้ "
                                   f"(not an option of this question)")
            rows.append((person, question.id, choice, question.answer, choice == question.answer))
    return pd.DataFrame(rows, columns=MARK_COLUMNS)


def score_test(answers: pd.DataFrame, test: KnowledgeTest | None = None, targets: Targets | None = None) -> pd.DataFrame:
    """Each participant's score: ``participant_id``, ``score`` (right answers), ``n_questions``,
    ``percent`` (0-100), ``reached_pass_mark`` (``percent`` at least ``targets.pass_percent``),
    ``wrong_questions`` (tuple of question ids, in the test's order), and one boolean column per
    question, ``right_<question_id>``. Sorted by ``participant_id``; defaults from ``checkin.yaml``."""
    spec = None if (test is not None and targets is not None) else load_checkin()
    test = test or spec.test
    targets = targets or spec.targets
    marks = mark_answers(answers, test)
    right_cols = [f"right_{q}" for q in test.question_ids]
    if marks.empty:
        return pd.DataFrame(columns=SCORE_COLUMNS + right_cols)
    wide = marks.pivot(index="participant_id", columns="question_id", values="correct")[test.question_ids]
    wide = wide.astype(bool)
    score = wide.sum(axis=1).astype(int)
    out = pd.DataFrame({"participant_id": wide.index.astype(str), "score": score.to_numpy(),
                        "n_questions": len(test.questions)})
    out["percent"] = 100.0 * out["score"] / out["n_questions"]
    out["reached_pass_mark"] = out["percent"] >= targets.pass_percent - 1e-9
    out["wrong_questions"] = [tuple(q for q in test.question_ids if not row[q]) for _, row in wide.iterrows()]
    for q, col in zip(test.question_ids, right_cols):
        out[col] = wide[q].to_numpy()
    return out.sort_values("participant_id", kind="stable").reset_index(drop=True)


@dataclass(frozen=True)
class QuestionFeedback:
    question_id: str
    correct: bool
    choice: str | None
    message_th: str  # "ข้อ 3 ถูก" / "ข้อ 3 ยังไม่ถูก: คำตอบที่ถูกคือ ก. ..."
    explanation_th: str


@dataclass(frozen=True)
class ScoreFeedback:
    score: int
    n_questions: int
    percent: float
    reached_pass_mark: bool
    questions: list[QuestionFeedback]
    summary_th: str


def feedback_for(choices: dict[str, str | None], test: KnowledgeTest | None = None,
                  targets: Targets | None = None) -> ScoreFeedback:
    """Feedback on one participant's answers (question id -> option key or None): the score and,
    per question, right or wrong with the right option and its explanation (the pre-test widget)."""
    spec = None if (test is not None and targets is not None) else load_checkin()
    test = test or spec.test
    targets = targets or spec.targets
    answers = pd.DataFrame({"participant_id": "me", "question_id": test.question_ids,
                            "choice": [choices.get(q) for q in test.question_ids]})
    marks = mark_answers(answers, test)
    items = []
    for number, (question, mark) in enumerate(zip(test.questions, marks.itertuples(index=False)), start=1):
        if mark.correct:
            message = f"ข้อ {number} ถูก"
        else:
            said = "ไม่ได้ตอบ" if _blank(mark.choice) else f"ตอบ {OPTION_LETTERS_TH[mark.choice]}"
            message = f"ข้อ {number} ยังไม่ถูก ({said}): คำตอบที่ถูกคือ {question.answer_th}"
        choice = None if _blank(mark.choice) else str(mark.choice)
        items.append(QuestionFeedback(question.id, bool(mark.correct), choice, message, question.explanation_th))
    score = int(marks["correct"].sum())
    n = len(test.questions)
    percent = 100.0 * score / n
    reached = percent >= targets.pass_percent - 1e-9
    summary = f"ได้ {score} จาก {n} ข้อ ({percent:.0f}%)"
    summary += (f" ผ่านเกณฑ์ {targets.pass_percent:g}%" if reached
                else f" ยังไม่ถึงเกณฑ์ {targets.pass_percent:g}%")
    return ScoreFeedback(score, n, percent, reached, items, summary)


def unanswered_th(numbers: list[int], what_th: str = "ข้อ") -> str:
    """``ยังไม่ได้ตอบข้อ 2, 5 และ 7`` (Thai list of the item numbers not yet answered)."""
    labels = [str(n) for n in numbers]
    listed = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " และ " + labels[-1]
    return f"ยังไม่ได้ตอบ{what_th} {listed}"


__all__ = [
    "CHECKIN_FILE",
    "LEVEL_IDS",
    "OPTION_LETTERS_TH",
    "SCORE_TH",
    "CheckinError",
    "CheckinSpec",
    "ConfigError",
    "KnowledgeTest",
    "Question",
    "QuestionFeedback",
    "Role",
    "ScoreFeedback",
    "Statement",
    "Survey",
    "Targets",
    "check_survey_answers",
    "feedback_for",
    "load_checkin",
    "mark_answers",
    "score_test",
    "unanswered_th",
]
