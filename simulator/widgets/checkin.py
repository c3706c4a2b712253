"""ipywidgets face of activity 2 (the check-in): the opinion survey and the knowledge test.

One column for phones: each statement or question is a short block (its Thai text, then a
dropdown of the five-point scale or the options as radio buttons), then one full-width button.
What a participant submits goes to ``on_submit`` (the practice platform stores it; a
``ValueError`` it raises is shown as the Thai message and nothing is locked) and stays on
the widget as a DataFrame in the documented shape of :mod:`simulator.exercises.checkin`, so the
room's charts (:mod:`simulator.workshop.room`) read it as they are. Tests set the values and
click the buttons.
"""

from __future__ import annotations

import html
from collections.abc import Callable

import ipywidgets as w
import pandas as pd

from simulator.exercises.checkin import (
    OPTION_LETTERS_TH,
    CheckinSpec,
    ScoreFeedback,
    feedback_for,
    load_checkin,
    unanswered_th,
)

from .base import ActivityWidget

FULL_WIDTH = w.Layout(width="100%")
LABEL = {"description_width": "initial"}
OK, NOT_YET = "#1b5e20", "#b00020"
NO_ANSWER = 0  # the survey dropdown's "choose" entry


def _card(children) -> w.VBox:
    return w.VBox(children, layout=w.Layout(width="100%", border="1px solid #ccc", padding="4px",
                                            margin="0 0 6px 0"))


def _say(text: str, colour: str | None = None) -> str:
    style = f" style='color:{colour}'" if colour else ""
    return f"<p{style}>{html.escape(text)}</p>"


class _Participant:
    """The participant's code: given by the notebook (the platform knows who signed in), or typed."""

    def _code_field(self, participant_id: str | None):
        self.participant_id = participant_id
        self.code = w.Text(value="", description="รหัสผู้เข้าร่วม", placeholder="เช่น P07", style=LABEL,
                           layout=FULL_WIDTH)
        return [] if participant_id else [self.code]

    def _who(self) -> str:
        return (self.participant_id or self.code.value).strip()


class SurveyWidget(ActivityWidget, _Participant):
    """The opinion survey of ``checkin.yaml``: one dropdown of the scale per statement.

    ``submit`` (the button) checks every statement is answered (a Thai message names those that
    are not), then sets :attr:`answers` (``participant_id``, ``statement_id``, ``answer`` 1-5) and
    passes it to ``on_submit``. The participant may change an answer and send again; the platform
    keeps the latest answers of each participant."""

    def __init__(self, spec: CheckinSpec | None = None, participant_id: str | None = None,
                 on_submit: Callable[[pd.DataFrame], None] | None = None):
        self.spec = spec or load_checkin()
        self.survey = self.spec.survey
        self.on_submit = on_submit
        self.answers: pd.DataFrame | None = None
        options = [("— เลือกคำตอบ —", NO_ANSWER)] + [(f"{k} {label}", k) for k, label in
                                                     enumerate(self.survey.scale, start=1)]
        self.choices: dict[str, w.Dropdown] = {}
        cards = []
        for number, statement in enumerate(self.survey.statements, start=1):
            self.choices[statement.id] = w.Dropdown(options=options, value=NO_ANSWER, description=f"ข้อ {number}",
                                                    style=LABEL, layout=FULL_WIDTH)
            cards.append(_card([w.HTML(f"<b>ข้อ {number}.</b> {html.escape(statement.text_th)}", layout=FULL_WIDTH),
                                self.choices[statement.id]]))
        self.submit_button = w.Button(description="ส่งคำตอบ", button_style="primary", layout=FULL_WIDTH)
        self.message = w.HTML(layout=FULL_WIDTH)
        self.submit_button.on_click(self.submit)
        scale = " · ".join(f"{k} = {label}" for k, label in enumerate(self.survey.scale, start=1))
        self.view = w.VBox([
            w.HTML(f"<b>{html.escape(self.survey.title_th)}</b><br>เลือกว่าเห็นด้วยกับแต่ละข้อเพียงใด "
                   f"ไม่มีคำตอบถูกหรือผิด<br><small>{html.escape(scale)}</small>", layout=FULL_WIDTH),
            *self._code_field(participant_id),
            *cards,
            self.submit_button,
            self.message,
        ], layout=FULL_WIDTH)

    def unanswered(self) -> list[int]:
        """Numbers (1...) of the statements without an answer."""
        return [k for k, s in enumerate(self.survey.statements, start=1) if self.choices[s.id].value == NO_ANSWER]

    def submit(self, _button=None) -> pd.DataFrame | None:
        """Check and send the answers; return them (None, with a Thai message, when incomplete)."""
        problems = []
        if not self._who():
            problems.append("กรุณาใส่รหัสผู้เข้าร่วม (เช่น P07) ก่อนส่ง")
        missing = self.unanswered()
        if missing:
            listed = "".join(f"<li>ข้อ {k}: {html.escape(self.survey.statements[k - 1].short_th)}</li>" for k in missing)
            problems.append(f"{unanswered_th(missing)}<ul>{listed}</ul>")
        if problems:
            self.message.value = "".join(f"<div style='color:{NOT_YET}'>{p if '<ul>' in p else html.escape(p)}</div>"
                                         for p in problems)
            return None
        who = self._who()
        answers = pd.DataFrame({"participant_id": who, "statement_id": [s.id for s in self.survey.statements],
                                "answer": [int(self.choices[s.id].value) for s in self.survey.statements]})
        if self.on_submit is not None:
            try:
                self.on_submit(answers)
            except ValueError as exc:  # the platform refused (an unknown code): say why, keep the answers
                self.message.value = _say(str(exc), NOT_YET)
                return None
        self.answers = answers
        self.submit_button.description = "ส่งคำตอบอีกครั้ง (เมื่อแก้คำตอบ)"
        self.message.value = _say(f"บันทึกคำตอบของ {who} แล้ว ขอบคุณ: ดูภาพรวมของทั้งห้องบนจอของวิทยากร", OK)
        return self.answers


class PreTestWidget(ActivityWidget, _Participant):
    """The knowledge test of ``checkin.yaml``: radio buttons of the options per question.

    ``submit`` refuses while a question is unanswered (a Thai message names them), then scores
    the answers: the score and the pass mark, and under each question right or wrong with the
    right option and its one-line explanation (``show_answers=False`` keeps only the score, for
    a post-test taken one by one). The test is then locked; :attr:`answers` (``participant_id``,
    ``question_id``, ``choice``) and :attr:`feedback` are set and ``on_submit(answers, feedback)``
    is called. ``stage`` (``"pre"`` or ``"post"``) only changes the heading."""

    def __init__(self, spec: CheckinSpec | None = None, participant_id: str | None = None, stage: str = "pre",
                 on_submit: Callable[[pd.DataFrame, ScoreFeedback], None] | None = None, show_answers: bool = True):
        if stage not in ("pre", "post"):
            raise ValueError(f"stage must be 'pre' or 'post', not {stage!r}")
        self.spec = spec or load_checkin()
        self.test = self.spec.test
        self.stage = stage
        self.on_submit = on_submit
        self.show_answers = show_answers
        self.answers: pd.DataFrame | None = None
        self.feedback: ScoreFeedback | None = None
        self.options: dict[str, w.RadioButtons] = {}
        self.results: dict[str, w.HTML] = {}
        cards = []
        for number, question in enumerate(self.test.questions, start=1):
            self.options[question.id] = w.RadioButtons(
                options=[(f"{OPTION_LETTERS_TH[o.key]}. {o.text_th}", o.key) for o in question.options], value=None,
                description=f"คำตอบข้อ {number}", style=LABEL, layout=FULL_WIDTH)
            self.results[question.id] = w.HTML(layout=FULL_WIDTH)
            cards.append(_card([w.HTML(f"<b>ข้อ {number}.</b> {html.escape(question.text_th)}", layout=FULL_WIDTH),
                                self.options[question.id], self.results[question.id]]))
        self.submit_button = w.Button(description="ส่งคำตอบและดูคะแนน", button_style="primary", layout=FULL_WIDTH)
        self.message = w.HTML(layout=FULL_WIDTH)
        self.submit_button.on_click(self.submit)
        when = "ก่อนการอบรม (pre-test)" if stage == "pre" else "หลังการอบรม (post-test)"
        self.view = w.VBox([
            w.HTML(f"<b>{html.escape(self.test.title_th)}</b> {when}<br>{len(self.test.questions)} ข้อ "
                   f"เลือกคำตอบที่ถูกที่สุดข้อละหนึ่งคำตอบ", layout=FULL_WIDTH),
            *self._code_field(participant_id),
            *cards,
            self.submit_button,
            self.message,
        ], layout=FULL_WIDTH)

    def unanswered(self) -> list[int]:
        """Numbers (1...) of the questions without an answer."""
        return [k for k, q in enumerate(self.test.questions, start=1) if self.options[q.id].value is None]

    def submit(self, _button=None) -> ScoreFeedback | None:
        """Score the answers and show the feedback; None (with a Thai message) when incomplete."""
        if self.feedback is not None:
            return self.feedback
        problems = []
        if not self._who():
            problems.append("กรุณาใส่รหัสผู้เข้าร่วม (เช่น P07) ก่อนส่ง")
        missing = self.unanswered()
        if missing:
            problems.append(unanswered_th(missing) + " ตอบให้ครบทุกข้อก่อนส่ง (ไม่แน่ใจก็เลือกข้อที่คิดว่าใกล้ที่สุด)")
        if problems:
            self.message.value = "".join(_say(p, NOT_YET) for p in problems)
            return None
        choices = {q.id: self.options[q.id].value for q in self.test.questions}
        feedback = feedback_for(choices, self.test, self.spec.targets)
        answers = pd.DataFrame({"participant_id": self._who(), "question_id": list(choices),
                                "choice": list(choices.values())})
        if self.on_submit is not None:
            try:
                self.on_submit(answers, feedback)
            except ValueError as exc:  # the platform refused (taken before, unknown code): nothing is locked
                self.message.value = _say(str(exc), NOT_YET)
                return None
        self.answers = answers
        self.feedback = feedback
        for radio in self.options.values():
            radio.disabled = True
        self.code.disabled = True
        self.submit_button.disabled = True
        self.submit_button.description = "ส่งคำตอบแล้ว"
        if self.show_answers:
            for item in feedback.questions:
                mark = "✔" if item.correct else "✘"
                colour = OK if item.correct else NOT_YET
                self.results[item.question_id].value = (
                    f"<div style='color:{colour}'>{mark} {html.escape(item.message_th)}</div>"
                    f"<div>{html.escape(item.explanation_th)}</div>")
        colour = OK if feedback.reached_pass_mark else NOT_YET
        self.message.value = _say(feedback.summary_th, colour) + (
            _say("ดูคำอธิบายใต้แต่ละข้อ") if self.show_answers else "")
        return feedback


__all__ = ["PreTestWidget", "SurveyWidget"]
