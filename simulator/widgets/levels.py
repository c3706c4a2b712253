"""ipywidgets face of activity 13's matching exercise: each decision card -> the level that makes it."""

from __future__ import annotations

import html

import ipywidgets as w

from simulator.dashboards.levels import LevelMatching

from .base import ActivityWidget

FULL_WIDTH = w.Layout(width="100%")
LABEL = {"description_width": "initial"}
OK, NOT_YET = "#1b5e20", "#b00020"


class LevelMatchingWidget(ActivityWidget):
    def __init__(self, matching: LevelMatching):
        self.matching = matching
        options = [("— เลือกระดับ —", "")] + matching.options()
        self.answers: list[w.Dropdown] = []
        rows = []
        for i, card in enumerate(matching.cards, start=1):
            dropdown = w.Dropdown(options=options, value="", description=f"ข้อ {i} เป็นงานของระดับ",
                                  style=LABEL, layout=FULL_WIDTH)
            self.answers.append(dropdown)
            rows += [w.HTML(f"<p><b>ข้อ {i}</b> {html.escape(card.text_th)}</p>", layout=FULL_WIDTH), dropdown]
        self.check_button = w.Button(description="ตรวจคำตอบ", button_style="primary", layout=FULL_WIDTH)
        self.feedback = w.HTML(layout=FULL_WIDTH)
        self.check_button.on_click(self._on_check)
        self.view = w.VBox([w.HTML("<b>การตัดสินใจนี้เป็นของระดับใด</b>"), *rows, self.check_button, self.feedback],
                           layout=FULL_WIDTH)

    def _on_check(self, _button=None) -> None:
        answers = [d.value or None for d in self.answers]
        missing = [str(i) for i, a in enumerate(answers, start=1) if not a]
        if missing:
            self.feedback.value = (f"<span style='color:{NOT_YET}'>ยังไม่ได้เลือกระดับของข้อ "
                                   f"{', '.join(missing)}</span>")
            return
        result = self.matching.check(answers)
        colour = OK if result.score == len(answers) else NOT_YET
        items = "".join(f"<li>{html.escape(m)}</li>" for m in result.messages)
        self.feedback.value = f"<p style='color:{colour}'>ถูก {result.score} จาก {len(answers)} ข้อ</p><ul>{items}</ul>"


__all__ = ["LevelMatchingWidget"]
