"""ipywidgets face of the district's upstream-vs-downstream sorting exercise.

One column for phones: each case is a card (its recorded problems in Thai) with a dropdown
ต้นน้ำ / ปลายน้ำ; one button checks the batch, then the feedback per card and the simulated
world's truth appear below. Tests set the dropdowns and click.
"""

from __future__ import annotations

import html

import ipywidgets as w

from simulator.exercises.upstream import STREAM_CHOICE_TH, STREAMS, UpstreamExercise
from simulator.thai.vocabulary import SYNTHETIC_MARK

from .base import ActivityWidget

FULL_WIDTH = w.Layout(width="100%")
LABEL = {"description_width": "initial"}
OK, NOT_YET = "#1b5e20", "#b00020"
STREAM_OPTIONS = [("— เลือก —", "")] + [(STREAM_CHOICE_TH[s], s) for s in STREAMS]


def _lines(lines, colour: str | None = None) -> str:
    style = f" style='color:{colour}'" if colour else ""
    return "<ul>" + "".join(f"<li{style}>{html.escape(t)}</li>" for t in lines) + "</ul>"


class UpstreamWidget(ActivityWidget):
    def __init__(self, exercise: UpstreamExercise):
        self.exercise = exercise
        self.streams: dict[str, w.Dropdown] = {}
        self.feedback = None
        cards = []
        for card in exercise.cards:
            self.streams[card.family_id] = w.Dropdown(
                options=STREAM_OPTIONS, value="", description=f"บัตรที่ {card.number} เป็น",
                style=LABEL, layout=FULL_WIDTH)
            cards.append(w.VBox([
                w.HTML(f"<b>{html.escape(card.title_th)}</b><br><small>{html.escape(card.place_th)}</small>"
                       + _lines(card.lines_th), layout=FULL_WIDTH),
                self.streams[card.family_id],
            ], layout=w.Layout(width="100%", border="1px solid #ccc", padding="4px", margin="0 0 6px 0")))
        self.check_button = w.Button(description="ตรวจการจัดกลุ่ม", button_style="primary", layout=FULL_WIDTH)
        self.feedback_html = w.HTML(layout=FULL_WIDTH)
        self.truth_html = w.HTML(layout=FULL_WIDTH)
        self.check_button.on_click(self._on_check)
        self.view = w.VBox([
            w.HTML(f"<b>ต้นน้ำหรือปลายน้ำ</b> <span style='color:#b00020'>({SYNTHETIC_MARK})</span>"),
            w.HTML("<p><b>ต้นน้ำ</b>: ความเสี่ยงที่พบแต่เนิ่นๆ ยังป้องกันหรือช่วยก่อนเกิดความเสียหายได้ · "
                   "<b>ปลายน้ำ</b>: ความเสียหายเกิดขึ้นแล้ว ต้องคุ้มครอง รักษา หรือใช้กฎหมาย · "
                   "บัตรที่มีเรื่องปลายน้ำแม้เพียงเรื่องเดียวเป็นปลายน้ำ</p>"),
            *cards,
            self.check_button,
            self.feedback_html,
            self.truth_html,
        ], layout=FULL_WIDTH)

    def answers(self) -> dict[str, str]:
        return {fid: d.value for fid, d in self.streams.items()}

    def _on_check(self, _button=None) -> None:
        answers = self.answers()
        missing = [str(c.number) for c in self.exercise.cards if not answers[c.family_id]]
        if missing:
            self.feedback = None
            self.feedback_html.value = (f"<span style='color:{NOT_YET}'>ยังไม่ได้เลือกต้นน้ำหรือปลายน้ำของบัตรที่ "
                                        f"{html.escape(', '.join(missing))}</span>")
            self.truth_html.value = ""
            return
        fb = self.feedback = self.exercise.check(answers)
        colour = OK if fb.score == fb.total else NOT_YET
        items = "".join(
            f"<li style='color:{OK if c.is_correct else NOT_YET}'>{html.escape(c.message_th)}</li>" for c in fb.cards)
        self.feedback_html.value = f"<p style='color:{colour}'><b>{html.escape(fb.summary_th)}</b></p><ul>{items}</ul>"
        truth = "".join(
            f"<p><b>บัตรที่ {c.number} ({html.escape(c.family_id)})</b></p>" + _lines(c.truth_th) for c in fb.cards)
        self.truth_html.value = (
            "<h4>ความจริงของโลกจำลอง</h4>"
            "<p>สิ่งที่โปรแกรมจำลองรู้แต่บัตรไม่ได้บอก: ปัญหาจริงของครอบครัว เริ่มเมื่อใด มีคนพบเมื่อใด "
            "และสัญญาณต้นน้ำที่มีมาก่อน คะแนนคิดจากบัตรเท่านั้น</p>" + truth)


__all__ = ["UpstreamWidget"]
