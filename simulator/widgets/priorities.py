"""ipywidgets face of activity 6: sort a batch of families, then pick at most three priorities.

One column for phones: each family is a small card (its petals in words), a level dropdown
and a "take to workshop 2" checkbox. Tests set the dropdowns and checkboxes and click.
"""

from __future__ import annotations

import html

import ipywidgets as w

from simulator.dashboards.priorities import SORT_LEVELS, SORT_LEVELS_TH, PriorityExercise
from simulator.thai.vocabulary import SYNTHETIC_MARK

from .base import ActivityWidget

FULL_WIDTH = w.Layout(width="100%")
LABEL = {"description_width": "initial"}
OK, NOT_YET = "#1b5e20", "#b00020"
LEVEL_OPTIONS = [("— เลือกระดับ —", "")] + [(f"{SORT_LEVELS_TH[lv]} ({lv})", lv) for lv in SORT_LEVELS]


def _lines(lines: list[str], colour: str | None = None) -> str:
    style = f" style='color:{colour}'" if colour else ""
    return "<ul>" + "".join(f"<li{style}>{html.escape(t)}</li>" for t in lines) + "</ul>"


class PriorityWidget(ActivityWidget):
    def __init__(self, exercise: PriorityExercise):
        self.exercise = exercise
        self.levels: dict[str, w.Dropdown] = {}
        self.chosen: dict[str, w.Checkbox] = {}
        cards = []
        table = exercise.table().set_index("ครอบครัว")
        for fid in exercise.family_ids:
            row = table.loc[fid]
            self.levels[fid] = w.Dropdown(options=LEVEL_OPTIONS, value="", description=f"ระดับของ {fid}",
                                          style=LABEL, layout=FULL_WIDTH)
            self.chosen[fid] = w.Checkbox(value=False, description=f"นำ {fid} ไปเวิร์กช็อปครั้งที่ 2",
                                          indent=False, layout=FULL_WIDTH)
            cards.append(w.VBox([
                w.HTML(f"<b>{html.escape(fid)}</b> · แดง {row['แดง']} กลีบ · เหลือง {row['เหลือง']} กลีบ<br>"
                       f"{html.escape(row['กลีบที่ไม่ใช่สีเขียว'])}", layout=FULL_WIDTH),
                self.levels[fid],
            ], layout=w.Layout(width="100%", border="1px solid #ccc", padding="4px", margin="0 0 6px 0")))
        self.sort_button = w.Button(description="ตรวจการจัดระดับ", button_style="primary", layout=FULL_WIDTH)
        self.sort_feedback = w.HTML(layout=FULL_WIDTH)
        self.priority_button = w.Button(description="ตรวจลำดับความสำคัญ", button_style="primary",
                                        layout=FULL_WIDTH)
        self.priority_feedback = w.HTML(layout=FULL_WIDTH)
        self.truth_html = w.HTML(layout=FULL_WIDTH)
        self.sort_button.on_click(self._on_sort)
        self.priority_button.on_click(self._on_priorities)
        self.view = w.VBox([
            w.HTML(f"<b>จัดระดับและเลือกกรณีของชุมชน{html.escape(exercise.community)}</b> "
                   f"<span style='color:#b00020'>({SYNTHETIC_MARK})</span>"),
            w.HTML("<h4>ขั้นที่ 1: จัดแต่ละครอบครัวเป็นฉุกเฉิน ซับซ้อน หรือปกติ</h4>"),
            *cards,
            self.sort_button,
            self.sort_feedback,
            w.HTML(f"<h4>ขั้นที่ 2: เลือกกรณีที่ชุมชนจะนำไปทำต่อ (ไม่เกิน {exercise.limit} กรณี)</h4>"),
            *self.chosen.values(),
            self.priority_button,
            self.priority_feedback,
            self.truth_html,
        ], layout=FULL_WIDTH)

    def _on_sort(self, _button=None) -> None:
        answers = {fid: d.value for fid, d in self.levels.items()}
        missing = [fid for fid, v in answers.items() if not v]
        if missing:
            self.sort_feedback.value = (f"<span style='color:{NOT_YET}'>ยังไม่ได้เลือกระดับของ "
                                        f"{html.escape(', '.join(missing))}</span>")
            return
        feedback = self.exercise.check_sorting(answers)
        total = len(feedback.correct)
        colour = OK if feedback.score == total else NOT_YET
        self.sort_feedback.value = (f"<p style='color:{colour}'>ถูก {feedback.score} จาก {total} ครอบครัว</p>"
                                    + _lines(feedback.messages))

    def _on_priorities(self, _button=None) -> None:
        chosen = [fid for fid, box in self.chosen.items() if box.value]
        feedback = self.exercise.check_priorities(chosen)
        colour = OK if feedback.accepted else NOT_YET
        self.priority_feedback.value = _lines(feedback.messages, colour)
        if feedback.accepted:
            self.truth_html.value = ("<h4>ความจริงของโลกจำลอง: เกิดอะไรต่อกับแต่ละครอบครัว</h4>"
                                     + _lines(feedback.truth)
                                     + "<p>ครอบครัวที่ไม่ได้เลือกยังต้องมีคนติดตาม: เลือกไม่เกิน 3 กรณีเพื่อให้ฝึกได้ลึก "
                                       "ไม่ได้แปลว่าครอบครัวอื่นไม่สำคัญ</p>")
        else:
            self.truth_html.value = ""


__all__ = ["PriorityWidget"]
