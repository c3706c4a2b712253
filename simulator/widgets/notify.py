"""ipywidgets face of activities 7 and 8: why notify the four providers.

Step 1, the trainee predicts whose absence puts most goals at risk and checks the answer.
Step 2, they tick which providers are notified and press «ดูผล»: the case with everyone
notified beside their choice, over time (figure), how each ends (summary), and what each
provider left out could not see. One column for phones; tests set values and click.
"""

from __future__ import annotations

import html

import ipywidgets as w

from simulator.exercises.notify import (
    ALL,
    NotifyPrediction,
    Scenario,
    could_not_see_th,
    notify_scenarios,
    provider_th,
    run_scenario,
    scenario_key,
    scenario_summary,
    scenario_summary_th,
    what_they_could_not_see,
)
from simulator.figures.notify import scenario_figure
from simulator.model.population import Population
from simulator.thai.vocabulary import SYNTHETIC_MARK

from .base import ActivityWidget, Picture

FULL = w.Layout(width="100%")
LABEL = {"description_width": "initial"}
OK, NOT_YET = "#1b5e20", "#b00020"


def _lines(lines: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{html.escape(t)}</li>" for t in lines) + "</ul>"


def summary_cards(summary_th) -> str:
    """The Thai summary as one card per scenario (a wide table does not fit a phone)."""
    cards = []
    for _, row in summary_th.iterrows():
        items = "".join(f"<div><b>{html.escape(str(col))}</b>: {html.escape(str(value))}</div>"
                        for col, value in row.items() if col != "สถานการณ์")
        cards.append(f"<div style='border:1px solid #ccc;padding:6px;margin:0 0 6px 0'>"
                     f"<div style='font-weight:bold'>{html.escape(str(row['สถานการณ์']))}</div>{items}</div>")
    return "".join(cards)


class NotifyScenarioWidget(ActivityWidget):
    """Predict, then choose who is notified and compare with everyone notified."""

    def __init__(self, pop: Population, case_id: str, dpi: int = 110):
        self.pop, self.case_id, self.dpi = pop, case_id, dpi
        cfg = pop.config
        self.scenarios: dict[str, Scenario] = notify_scenarios(pop, case_id)
        self.exercise = NotifyPrediction(pop, case_id, self.scenarios)
        self.dimensions = self.exercise.dimensions
        self.unseen = what_they_could_not_see(pop, case_id)

        self.answer = w.Dropdown(options=[("— เลือกผู้ให้บริการ —", "")] + self.exercise.options(), value="",
                                 description="คำตอบของคุณ", style=LABEL, layout=FULL)
        self.check_button = w.Button(description="ตรวจคำตอบ", button_style="primary", layout=FULL)
        self.feedback = w.HTML(layout=FULL)
        self.notified = {d: w.Checkbox(value=True, description=f"แจ้ง{provider_th(cfg, d)}", indent=False,
                                       layout=FULL) for d in self.dimensions}
        self.show_button = w.Button(description="ดูผล", button_style="primary", layout=FULL)
        self.message = w.HTML(layout=FULL)
        self.figure = Picture(max_width="480px")
        self.summary = w.HTML(layout=FULL)
        self.blind = w.HTML(layout=FULL)
        self.check_button.on_click(self._on_check)
        self.show_button.on_click(self._on_show)
        self.view = w.VBox([
            w.HTML(f"<b>เพราะอะไรถึงต้องแจ้งผู้ให้บริการ 4 มิติ · กรณี {html.escape(case_id)}</b> "
                   f"<span style='color:{NOT_YET}'>({SYNTHETIC_MARK})</span>"),
            w.HTML(f"<h4>ขั้นที่ 1: ทายก่อน</h4><p>{html.escape(self.exercise.question_th)}</p>"
                   f"<p style='color:#455a64'>{html.escape(self.exercise.hint_th)}</p>"),
            self.answer, self.check_button, self.feedback,
            w.HTML("<h4>ขั้นที่ 2: เลือกว่าแจ้งผู้ให้บริการคนใดบ้าง แล้วกด «ดูผล»</h4>"
                   "<p>เทียบกับเมื่อแจ้งครบทุกมิติ: กรณีเดียวกัน ครอบครัวเดียวกัน ต่างกันเพียงผู้ที่ได้รับแจ้ง</p>"),
            *self.notified.values(), self.show_button, self.message, self.figure, self.summary, self.blind,
        ], layout=FULL)

    def _scenario(self, unnotified: tuple[str, ...]) -> Scenario:
        key = scenario_key(unnotified)
        if key not in self.scenarios:
            self.scenarios[key] = run_scenario(self.pop, self.case_id, unnotified, notify=self.exercise.settings)
        return self.scenarios[key]

    def _on_check(self, _button=None) -> None:
        result = self.exercise.check(self.answer.value)
        colour = OK if result.correct else NOT_YET
        self.feedback.value = (f"<p style='color:{colour}'><b>{html.escape(result.message_th)}</b></p>"
                               + (_lines(result.lines_th) if result.lines_th else ""))

    def _on_show(self, _button=None) -> None:
        left_out = tuple(d for d, box in self.notified.items() if not box.value)
        chosen = {ALL: self.scenarios[ALL]}
        if left_out:
            s = self._scenario(left_out)
            chosen[s.key] = s
        self.figure.show_figure(scenario_figure(chosen), dpi=self.dpi)
        self.summary.value = "<h4>ผลเมื่อสิ้นช่วงเวลาจำลอง</h4>" + summary_cards(scenario_summary_th(scenario_summary(chosen)))
        if not left_out:
            self.message.value = "แจ้งครบทุกมิติ: ลองเอาเครื่องหมายออกจากผู้ให้บริการบางคน แล้วกด «ดูผล» อีกครั้ง"
            self.blind.value = ""
            return
        self.message.value = ""
        lists = could_not_see_th(self.unseen, self.pop.config)
        parts = []
        for d in left_out:
            name = provider_th(self.pop.config, d)
            parts.append(f"<p><b>{html.escape(name)}ไม่ได้รับแจ้ง จึงไม่รู้ว่า</b></p>" + _lines(lists[name]))
        self.blind.value = ("<h4>สิ่งที่ผู้ให้บริการที่ไม่ได้รับแจ้งมองไม่เห็นเอง (จากบันทึกของคนอื่น)</h4>"
                            + "".join(parts)
                            + "<p>★ คือเรื่องในมิติอื่นที่เกี่ยวกับปัญหาในมิติของผู้ให้บริการคนนั้นเอง</p>")


__all__ = ["NotifyScenarioWidget", "summary_cards"]
