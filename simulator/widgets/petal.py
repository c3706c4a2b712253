"""ipywidgets face of the petal analysis practice (activity 3).

Everything a trainee reads is Thai. Built as one vertical column so it works on a
phone; tests drive it by setting the dropdowns and clicking the buttons.
"""

from __future__ import annotations

import html

import ipywidgets as w

from .base import ActivityWidget, Picture, table_html

from simulator.exercises.petal import (CASE_CHOICES, DIFFICULTIES, PETALS, AnswerError, PetalExercise,
                                       petal_label_th)
from simulator.thai.vocabulary import DIFFICULTY_TH
from simulator.thai.vocabulary import CASE_LEVEL_TH, COLOUR_TH, SYNTHETIC_MARK
from simulator.thai.dates import thai_date
from simulator.exercises.views import members_table, observations_table, strengths_list, true_colours

CHOICES = [("— เลือกสี —", ""), ("เขียว (ปกติ)", "green"), ("เหลือง (ซับซ้อน)", "yellow"), ("แดง (เร่งด่วน)", "red")]
PETAL_CHOICES = [("— เลือกกลีบ —", "")] + [(petal_label_th(p), p) for p in PETALS]
CASE_OPTIONS = [("— เลือกระดับของกรณี —", "")] + [(f"{CASE_LEVEL_TH[c]} ({c})", c) for c in CASE_CHOICES]
FULL_WIDTH = w.Layout(width="100%")
LABEL = {"description_width": "initial"}  # the whole Thai label; on a phone it sits above its control
OK, NOT_YET = "#1b5e20", "#b00020"


def _table_html(df) -> str:
    return table_html(df)


def _mark(ok: bool, wrong_text: str) -> str:
    return (f"<span style='color:{OK}'>✔ ถูก</span>" if ok
            else f"<span style='color:{NOT_YET}'>✘ ยังไม่ถูก ({html.escape(wrong_text)})</span>")


class PetalAnalysisWidget(ActivityWidget):
    """Three steps on one family: place each note in a petal, colour the 8 petals, name the
    case level; press ตรวจคำตอบ for feedback per note, petal and case, then the true flower."""

    def __init__(self, exercise: PetalExercise | None = None, seed: int = 2569):
        self.exercise = exercise or PetalExercise(seed=seed)
        # Radio buttons stack vertically, so long Thai labels fit a phone screen.
        self.difficulty = w.RadioButtons(
            options=[(DIFFICULTY_TH[d], d) for d in DIFFICULTIES], value=self.exercise.difficulty,
            description="ระดับ", layout=FULL_WIDTH,
        )
        self.new_button = w.Button(description="สุ่มครอบครัวใหม่", layout=FULL_WIDTH)
        self.case_html = w.HTML(layout=FULL_WIDTH)
        self.notes: dict[int, w.Dropdown] = {}
        self.notes_box = w.VBox(layout=FULL_WIDTH)
        # One column, full width: each label sits above its control, nothing beside it.
        self.petals = {p: w.Dropdown(options=CHOICES, value="", description=petal_label_th(p), style=LABEL,
                                     layout=FULL_WIDTH) for p in PETALS}
        self.case_level = w.Dropdown(options=CASE_OPTIONS, value="", description="ระดับของกรณี", style=LABEL,
                                     layout=FULL_WIDTH)
        self.check_button = w.Button(description="ตรวจคำตอบ", button_style="primary", layout=FULL_WIDTH)
        self.message = w.HTML(layout=FULL_WIDTH)
        self.feedback_html = w.HTML(layout=FULL_WIDTH)
        self.flower = Picture(max_width="720px")
        self.result = None

        self.difficulty.observe(self._on_difficulty, names="value")
        self.new_button.on_click(self._on_new)
        self.check_button.on_click(self._on_check)

        def petal_rows(subject):
            return [self.petals[p] for p in PETALS if p.startswith(subject)]

        self.view = w.VBox([
            w.HTML(f"<b>ฝึกวิเคราะห์กลีบดอก</b> <span style='color:#b00020'>({SYNTHETIC_MARK})</span>"),
            self.difficulty,
            self.new_button,
            self.case_html,
            w.HTML("<h4>ขั้นที่ 1: บันทึกแต่ละข้ออยู่กลีบใด</h4>"
                   "<p>เลือกกลีบของแต่ละบันทึก: เป็นเรื่องของเด็กหรือผู้ปกครอง และอยู่มิติใด</p>"),
            self.notes_box,
            w.HTML("<h4>ขั้นที่ 2: ระบายสีกลีบทั้ง 8 กลีบ</h4>"
                   "<p>ใช้สีที่รุนแรงที่สุดของบันทึกในกลีบนั้น กลีบที่ไม่มีบันทึกเป็นสีเขียว</p>"
                   "<p><b>กลีบวงใน: เด็ก</b></p>"), *petal_rows("child"),
            w.HTML("<p><b>กลีบวงนอก: ผู้ปกครอง</b></p>"), *petal_rows("parent"),
            w.HTML("<h4>ขั้นที่ 3: ระดับของกรณี</h4>"), self.case_level,
            self.check_button,
            self.message,
            self.feedback_html,
            self.flower,
        ], layout=FULL_WIDTH)
        self._show_case()

    # ---- events -------------------------------------------------------
    def _on_difficulty(self, change) -> None:
        self.exercise.set_difficulty(change["new"])
        self._show_case()

    def _on_new(self, _button=None) -> None:
        self.exercise.new_family()
        self._show_case()

    def _on_check(self, _button=None) -> None:
        colours = {p: dd.value for p, dd in self.petals.items()}
        placements = {n: dd.value for n, dd in self.notes.items()}
        try:
            self.result = self.exercise.check(colours, placements, self.case_level.value)
        except AnswerError as exc:
            self.result = None
            self.message.value = f"<span style='color:{NOT_YET}'>{html.escape(str(exc))}</span>"
            return
        r = self.result
        self.message.value = f"<b>{html.escape(r.summary_th)}</b>"
        notes = "".join(
            f"<li>{_mark(f.is_correct, 'คุณเลือก ' + petal_label_th(f.chosen))}<br>{html.escape(f.explanation_th)}</li>"
            for f in r.notes
        )
        petals = "".join(
            f"<li><b>{html.escape(f.label_th)}: สี{COLOUR_TH[f.correct]}</b> "
            f"{_mark(f.is_correct, 'คุณเลือก' + COLOUR_TH[f.chosen])}<br>{html.escape(f.explanation_th)}"
            f"<br><i>{html.escape(f.truth_th)}</i></li>"
            for f in r.feedback
        )
        c = r.case
        truth_case = f"ระดับจริงที่โปรแกรมจำลองรู้: {CASE_LEVEL_TH[c.truth_level]}" if c.truth_level else ""
        case = (f"<p><b>ระดับของกรณี: {CASE_LEVEL_TH[c.correct]}</b> "
                f"{_mark(c.is_correct, 'คุณเลือก' + CASE_LEVEL_TH[c.chosen])}<br>{html.escape(c.explanation_th)}"
                f"<br><i>{html.escape(truth_case)}</i></p>")
        self.feedback_html.value = (
            f"<h4>ขั้นที่ 1: กลีบของบันทึก</h4><ol>{notes}</ol>"
            f"<h4>ขั้นที่ 2: สีของกลีบ</h4>"
            f"<p>คะแนนคิดจากบันทึกบนจอเท่านั้น ตัวเอียงคือความจริงที่โปรแกรมจำลองรู้ พร้อมบทเรียนของแต่ละช่องว่าง</p>"
            f"<ol>{petals}</ol><h4>ขั้นที่ 3</h4>{case}"
            f"<p><b>กลีบดอกจริงของครอบครัวนี้</b> (จากภาวะคุกคามที่มีอยู่จริง ไม่ใช่จากบันทึกอย่างเดียว)</p>"
        )
        self._show_flower()

    # ---- rendering ----------------------------------------------------
    def _show_flower(self) -> None:
        if self._drawn_flower is None:
            self._draw_flower()
        self.flower.show(*self._drawn_flower)

    def _draw_flower(self) -> None:
        # Drawn when the family appears (in a served app: while the kernel waits in its pool),
        # shown only after the check, so that 40 phones pressing ตรวจคำตอบ at once wait for no drawing.
        from simulator.figures import describe, to_png
        from simulator.figures.petal import family_flower

        fig = family_flower(self.exercise.population, self.exercise.family_id)
        self._drawn_flower = (to_png(fig, dpi=90), describe(fig)[0])

    def _show_case(self) -> None:
        pop, fid = self.exercise.population, self.exercise.family_id
        hh = pop.households.set_index("family_id").loc[fid]
        strengths = strengths_list(pop, fid)
        strengths_html = (
            "<ul>" + "".join(f"<li>{html.escape(s)}</li>" for s in strengths) + "</ul>" if strengths else "<p>(ไม่มีบันทึก)</p>"
        )
        self.case_html.value = (
            f"<p><b>ครอบครัว {fid}</b>: {html.escape(str(hh['community']))} เขต{html.escape(str(hh['district']))} · "
            f"ข้อมูล ณ {thai_date(pop.reference_date)}</p>"
            f"<p><b>สมาชิก</b></p>{_table_html(members_table(pop, fid))}"
            f"<p><b>จุดแข็งของครอบครัว</b> (ไม่เปลี่ยนสีกลีบ แต่ช่วยวางแผน)</p>{strengths_html}"
        )
        table = observations_table(pop, fid, numbered=True)
        self.notes = {}
        children = [w.HTML("<p><b>สิ่งที่อาสาสมัครและผู้ให้บริการบันทึกไว้</b></p>")]
        for row in table.itertuples(index=False):
            number, who, about, text, day = row
            self.notes[int(number)] = w.Dropdown(options=PETAL_CHOICES, value="", description=f"กลีบของข้อ {number}",
                                                 style=LABEL, layout=FULL_WIDTH)
            children += [
                w.HTML(f"<p><b>ข้อ {number}</b> · {html.escape(who)} · {html.escape(day)}<br>"
                       f"เกี่ยวกับ: {html.escape(about)}<br>«{html.escape(text)}»</p>", layout=FULL_WIDTH),
                self.notes[int(number)],
            ]
        self.notes_box.children = children
        for dd in self.petals.values():
            dd.value = ""
        self.case_level.value = ""
        self.message.value = ""
        self.feedback_html.value = ""
        self.flower.clear()
        self.result = None
        self._drawn_flower = None
        self._draw_flower()

    # ---- for trainers and tests ----------------------------------------
    def fill_answer(self, colours: dict[str, str], placements: dict[int, str] | None = None,
                    case_level: str | None = None) -> None:
        for p, colour in colours.items():
            self.petals[p].value = colour
        for n, petal in (placements or {}).items():
            self.notes[n].value = petal
        if case_level is not None:
            self.case_level.value = case_level

    def expected(self) -> tuple[dict[str, str], dict[int, str], str]:
        """The answer the records on screen support (colours, placements, case level)."""
        return self.exercise.expected_answer()

    def reveal(self) -> dict[str, str]:
        """The simulator's true colours (the second layer)."""
        return true_colours(self.exercise.population, self.exercise.family_id)


__all__ = ["PetalAnalysisWidget"]
