"""ipywidgets face of the petal analysis practice (activity 3).

Everything a trainee reads is Thai. Built as one vertical column so it works on a
phone; tests drive it by setting the dropdowns and clicking the buttons.
"""

from __future__ import annotations

import html

import ipywidgets as w

from .base import ActivityWidget

from simulator.figures import to_png
from simulator.exercises.petal import DIFFICULTIES, PETALS, AnswerError, PetalExercise, petal_label_th
from simulator.thai.vocabulary import DIFFICULTY_TH
from simulator.thai.vocabulary import COLOUR_TH, SYNTHETIC_MARK
from simulator.thai.dates import thai_date
from simulator.exercises.views import members_table, observations_table, strengths_list, true_colours

CHOICES = [("— เลือกสี —", ""), ("เขียว (ปกติ)", "green"), ("เหลือง (ซับซ้อน)", "yellow"), ("แดง (เร่งด่วน)", "red")]
FULL_WIDTH = w.Layout(width="100%")


def _table_html(df) -> str:
    # A wide table scrolls sideways inside its box instead of stretching a phone screen.
    table = df.to_html(index=False, escape=True, border=0, classes="termtem-table")
    return f"<div style='overflow-x:auto;max-width:100%'>{table}</div>"


class PetalAnalysisWidget(ActivityWidget):
    """Read one family's notes, colour the 8 petals, press ตรวจคำตอบ, read the feedback."""

    def __init__(self, exercise: PetalExercise | None = None, seed: int = 2569):
        self.exercise = exercise or PetalExercise(seed=seed)
        # Radio buttons stack vertically, so long Thai labels fit a phone screen.
        self.difficulty = w.RadioButtons(
            options=[(DIFFICULTY_TH[d], d) for d in DIFFICULTIES], value=self.exercise.difficulty,
            description="ระดับ", layout=FULL_WIDTH,
        )
        self.new_button = w.Button(description="สุ่มครอบครัวใหม่", icon="refresh", layout=w.Layout(width="auto"))
        self.case_html = w.HTML(layout=FULL_WIDTH)
        self.petals = {
            p: w.Dropdown(options=CHOICES, value="", description=petal_label_th(p),
                          style={"description_width": "9em"}, layout=w.Layout(width="100%", max_width="26em"))
            for p in PETALS
        }
        self.check_button = w.Button(description="ตรวจคำตอบ", button_style="primary", icon="check")
        self.message = w.HTML()
        self.feedback_html = w.HTML(layout=FULL_WIDTH)
        self.flower = w.Image(format="png", layout=w.Layout(width="100%", max_width="720px"))
        self.result = None

        self.difficulty.observe(self._on_difficulty, names="value")
        self.new_button.on_click(self._on_new)
        self.check_button.on_click(self._on_check)
        child = [self.petals[p] for p in PETALS if p.startswith("child")]
        parent = [self.petals[p] for p in PETALS if p.startswith("parent")]
        self.view = w.VBox([
            w.HTML(f"<b>ฝึกวิเคราะห์กลีบดอก</b> <span style='color:#b00020'>({SYNTHETIC_MARK})</span>"),
            self.difficulty,
            self.new_button,
            self.case_html,
            w.HTML("<b>กลีบวงใน: เด็ก</b>"), *child,
            w.HTML("<b>กลีบวงนอก: ผู้ปกครอง</b>"), *parent,
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
        answer = {p: dd.value for p, dd in self.petals.items()}
        try:
            self.result = self.exercise.check(answer)
        except AnswerError as exc:
            self.result = None
            self.message.value = f"<span style='color:#b00020'>{html.escape(str(exc))}</span>"
            return
        self.message.value = f"<b>{html.escape(self.result.summary_th)}</b>"
        rows = []
        for f in self.result.feedback:
            mark = "ถูก" if f.is_correct else f"ยังไม่ถูก (คุณเลือก{COLOUR_TH[f.chosen]})"
            rows.append(
                f"<li><b>{html.escape(f.label_th)}: สี{COLOUR_TH[f.correct]}</b>, {mark}<br>"
                f"{html.escape(f.explanation_th)}</li>"
            )
        self.feedback_html.value = "<ol>" + "".join(rows) + "</ol>"
        self.flower.value = self._flower_png()

    # ---- rendering ----------------------------------------------------
    def _flower_png(self) -> bytes:
        from simulator.figures.petal import family_flower

        return to_png(family_flower(self.exercise.population, self.exercise.family_id), dpi=90)

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
            f"<p><b>สิ่งที่อาสาสมัครและผู้ให้บริการบันทึกไว้</b></p>{_table_html(observations_table(pop, fid))}"
            f"<p><b>จุดแข็งของครอบครัว</b> (ไม่เปลี่ยนสีกลีบ แต่ช่วยวางแผน)</p>{strengths_html}"
        )
        for dd in self.petals.values():
            dd.value = ""
        self.message.value = ""
        self.feedback_html.value = ""
        self.flower.value = b""
        self.result = None

    # ---- for trainers and tests ----------------------------------------
    def fill_answer(self, colours: dict[str, str]) -> None:
        for p, colour in colours.items():
            self.petals[p].value = colour

    def reveal(self) -> dict[str, str]:
        return true_colours(self.exercise.population, self.exercise.family_id)


__all__ = ["PetalAnalysisWidget"]
