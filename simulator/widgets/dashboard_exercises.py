"""ipywidgets face of the three dashboard-analysis exercises (trends, risk groups, programme effect).

One column for phones (served by Voilà) and for Jupyter: the question, the records' figure,
the answer controls suited to the exercise, a "ตรวจคำตอบ" button, the feedback graded on the
records, and only after checking, the second layer: the simulator's truth with its figure.
All grading and every Thai sentence of the feedback come from
:mod:`simulator.dashboards.exercises`; this module only lays them out. Tests set the
controls' values and click.
"""

from __future__ import annotations

import html

import ipywidgets as w

from simulator.dashboards.exercises import (
    BY_TH,
    DIRECTION_TH,
    DIRECTIONS,
    GAP_TH,
    AnswerError,
    Feedback,
    ProgrammeExercise,
    RiskGroupExercise,
    TrendExercise,
    top_group,
)
from simulator.thai.dates import thai_date
from simulator.thai.vocabulary import SYNTHETIC_MARK

from .base import ActivityWidget, Picture, table_html

FULL_WIDTH = w.Layout(width="100%")
LABEL = {"description_width": "initial"}  # the whole Thai label; on a phone it sits above its control
OK, NOT_YET = "#1b5e20", "#b00020"
NOT_CHOSEN = ""  # the value of every "— เลือก… —" option
WORKING_TH = "กำลังคำนวณ…"
TRUTH_HEADING_TH = "ความจริงของโลกจำลอง"
TITLE_TH = {
    "trend": "ฝึกอ่านแดชบอร์ด (Dashboard): แนวโน้มของกรณี",
    "risk": "ฝึกอ่านแดชบอร์ด (Dashboard): กลุ่มเสี่ยง",
    "programme": "ฝึกอ่านแดชบอร์ด (Dashboard): ผลของโครงการเขตนำร่อง",
}
DAYS_LABEL_TH = "จำนวนวันที่สั้นลง (ค่ามัธยฐาน)"


class MissingAnswer(ValueError):
    """Part of the answer is not given yet (message in Thai, naming what is missing)."""


def _kind(exercise) -> str:
    for cls, kind in ((TrendExercise, "trend"), (RiskGroupExercise, "risk"), (ProgrammeExercise, "programme")):
        if isinstance(exercise, cls):
            return kind
    raise TypeError(f"not a dashboard exercise: {type(exercise).__name__}")


def _table_html(df) -> str:
    return table_html(df, na_rep="–")


def _items(text: str) -> str:
    """A "; "-joined Thai sentence of the feedback as a list, one item a line on a phone."""
    parts = [p.strip() for p in text.split("; ") if p.strip()]
    return "<ul>" + "".join(f"<li>{html.escape(p)}</li>" for p in parts) + "</ul>"


def _warning(text: str) -> str:
    return f"<span style='color:{NOT_YET}'>{html.escape(text)}</span>"


def feedback_html(fb: Feedback) -> str:
    """The first layer: verdict, what the records support, the grading rule and the lesson."""
    colour, mark = (OK, "✔") if fb.correct else (NOT_YET, "✘")
    gaps = " · ".join(GAP_TH[g] for g in fb.gaps)
    return (f"<p style='color:{colour}'><b>{mark} {html.escape(fb.verdict_th)}</b></p>"
            f"<p><b>ตามบันทึก (records)</b></p>{_items(fb.records_th)}"
            f"<p><b>เกณฑ์ตรวจ</b>: {html.escape(fb.tolerance_th)}</p>"
            f"<p><b>บทเรียน</b>: {html.escape(fb.lesson_th)}</p>"
            f"<p><b>ช่องว่างระหว่างบันทึกกับความจริง</b>: {html.escape(gaps)}</p>")


class DashboardExerciseWidget(ActivityWidget):
    """One dashboard exercise (:class:`TrendExercise`, :class:`RiskGroupExercise` or
    :class:`ProgrammeExercise`) in one phone-width column.

    ``controls`` holds the answer controls: for a trend one Dropdown per area (keyed by the
    area code, ``all`` for every area together; values ``rose``/``fell``/``unclear``), for risk
    groups one Dropdown ``group`` (values: group codes), for the programme one Text ``days``
    (the days the median got shorter; negative: longer). An empty value is "not answered".
    The truth is computed only when ``check_button`` is pressed; ``result`` is the last
    :class:`Feedback`, ``None`` before checking and after any answer changes.
    """

    def __init__(self, exercise: TrendExercise | RiskGroupExercise | ProgrammeExercise, dpi: int = 110):
        self.exercise = exercise
        self.kind = _kind(exercise)
        self.dpi = dpi
        self.result: Feedback | None = None
        self.controls: dict[str, w.ValueWidget] = self._build_controls()
        self.question = w.HTML(f"<p><b>คำถาม</b>: {html.escape(exercise.question_th)}</p>"
                               f"<p>ข้อมูล ณ {thai_date(exercise.data.as_of)}</p>", layout=FULL_WIDTH)
        self.figure = Picture(max_width="720px")
        self.figure.show_figure(exercise.figure(show_truth=False), dpi=dpi)
        self.table = w.HTML("<details><summary>ดูตัวเลขในตาราง</summary>"
                            f"{_table_html(exercise.table_th())}</details>", layout=FULL_WIDTH)
        self.check_button = w.Button(description="ตรวจคำตอบ", button_style="primary", layout=FULL_WIDTH)
        self.message = w.HTML(layout=FULL_WIDTH)
        self.feedback_html = w.HTML(layout=FULL_WIDTH)
        self.truth_heading = w.HTML(layout=FULL_WIDTH)
        self.truth_figure = Picture(max_width="720px")
        self.truth_html = w.HTML(layout=FULL_WIDTH)

        self.check_button.on_click(self._on_check)
        for control in self.controls.values():
            control.observe(self._on_answer_change, names="value")
        self.view = w.VBox([
            w.HTML(f"<b>{html.escape(TITLE_TH[self.kind])}</b> <span style='color:#b00020'>({SYNTHETIC_MARK})</span>"),
            self.question,
            self.figure,
            self.table,
            w.HTML(f"<h4>คำตอบของคุณ</h4><p>{html.escape(self._instruction_th())}</p>"),
            *self.controls.values(),
            self.check_button,
            self.message,
            self.feedback_html,
            self.truth_heading,
            self.truth_figure,
            self.truth_html,
        ], layout=FULL_WIDTH)

    # ---- the answer controls of each exercise ----------------------------
    def _build_controls(self) -> dict[str, w.ValueWidget]:
        ex = self.exercise
        if self.kind == "trend":
            options = [("— เลือกทิศทาง —", NOT_CHOSEN)] + [(DIRECTION_TH[d], d) for d in DIRECTIONS]
            areas = ex.answer_from_records()[["area", "area_th"]]
            return {area: w.Dropdown(options=options, value=NOT_CHOSEN, description=label, style=LABEL,
                                     layout=FULL_WIDTH) for area, label in areas.itertuples(index=False)}
        if self.kind == "risk":
            groups = ex.answer_from_records()[["group", "label_th"]]
            options = [("— เลือกกลุ่ม —", NOT_CHOSEN)] + [(lab, g) for g, lab in groups.itertuples(index=False)]
            return {"group": w.Dropdown(options=options, value=NOT_CHOSEN, description=self._field_th(),
                                        style=LABEL, layout=FULL_WIDTH)}
        return {"days": w.Text(value="", description=DAYS_LABEL_TH, placeholder="เช่น 30 (ถ้ายาวขึ้นให้ใส่ค่าติดลบ)",
                               style=LABEL, layout=FULL_WIDTH)}

    def _field_th(self) -> str:
        if self.kind == "trend":
            return "ทิศทางของแต่ละพื้นที่"
        if self.kind == "risk":
            return f"{BY_TH[self.exercise.by]}ที่สูงที่สุด"
        return DAYS_LABEL_TH

    def _instruction_th(self) -> str:
        if self.kind == "trend":
            return ("เลือกทิศทางของทุกพื้นที่: เพิ่มขึ้น ลดลง หรือบอกไม่ได้ "
                    "(ถ้าช่วงความเชื่อมั่นคร่อม ×1 ให้ตอบว่าบอกไม่ได้)")
        if self.kind == "risk":
            return f"เลือก{BY_TH[self.exercise.by]}ที่มีเด็กในครอบครัวที่มีกลีบสีนั้นมากที่สุดตามบันทึก"
        return "ใส่จำนวนวันเป็นตัวเลข ถ้าโครงการทำให้ช้าลงให้ใส่ค่าติดลบ"

    def answer(self):
        """The answer in the form the exercise's ``check`` takes; :class:`MissingAnswer` if incomplete."""
        if self.kind == "trend":
            missing = [c.description for c in self.controls.values() if c.value == NOT_CHOSEN]
            if missing:
                raise MissingAnswer(f"ยังไม่ได้เลือกทิศทางของ: {', '.join(missing)}")
            return {area: c.value for area, c in self.controls.items()}
        if self.kind == "risk":
            value = self.controls["group"].value
            if value == NOT_CHOSEN:
                raise MissingAnswer(f"ยังไม่ได้เลือก «{self._field_th()}»")
            return value
        value = self.controls["days"].value.strip()
        if not value:
            raise MissingAnswer(f"ยังไม่ได้ใส่ «{DAYS_LABEL_TH}» ให้ใส่ตัวเลข เช่น 30")
        return value

    # ---- for trainers and tests -------------------------------------------
    def expected(self):
        """The answer the records on screen support, in the controls' values."""
        rec = self.exercise.answer_from_records()
        if self.kind == "trend":
            return dict(zip(rec["area"], rec["direction"]))
        if self.kind == "risk":
            return top_group(rec)[0]
        return f"{float(rec.set_index('estimator').loc['did', 'shorter_by_days']):g}"

    def fill_answer(self, answer) -> None:
        """Set the controls to ``answer`` (as :meth:`expected` gives it)."""
        if self.kind == "trend":
            for area, direction in answer.items():
                self.controls[area].value = direction
        elif self.kind == "risk":
            self.controls["group"].value = answer
        else:
            self.controls["days"].value = str(answer)

    # ---- events -----------------------------------------------------------
    def clear_feedback(self) -> None:
        self.result = None
        self.message.value = ""
        self.feedback_html.value = ""
        self.truth_heading.value = ""
        self.truth_figure.clear()
        self.truth_html.value = ""

    def _on_answer_change(self, _change=None) -> None:
        self.clear_feedback()

    def _on_check(self, _button=None) -> None:
        self.clear_feedback()
        try:
            answer = self.answer()
        except MissingAnswer as exc:
            self.message.value = _warning(str(exc))
            return
        # The truth (a re-simulation for the programme) is computed now, not when the page opens.
        self.message.value = f"<i>{WORKING_TH}</i>"
        self.check_button.disabled = True
        try:
            result = self.exercise.check(answer)
            truth_figure = self.exercise.figure(show_truth=True)
        except AnswerError as exc:
            self.message.value = _warning(f"«{self._field_th()}»: {exc}")
            return
        finally:
            self.check_button.disabled = False
        self.result = result
        self.message.value = ""
        self.feedback_html.value = feedback_html(result)
        self.truth_heading.value = f"<h4>{TRUTH_HEADING_TH}</h4>"
        self.truth_figure.show_figure(truth_figure, dpi=self.dpi)
        self.truth_html.value = (f"<p><b>ความจริงในโปรแกรมจำลอง (truth)</b></p>{_items(result.truth_th)}"
                                 "<p>ความจริงนี้โปรแกรมจำลองรู้ แต่ข้อมูลจริงไม่มีวันรู้ "
                                 "คะแนนจึงคิดจากสิ่งที่บันทึกสนับสนุนเท่านั้น</p>")


__all__ = ["DashboardExerciseWidget", "MissingAnswer", "feedback_html"]
