"""ipywidgets for journeys of services: the plan builder (activities 10, 11) and the
consent conversation with a simulated parent (activity 12). Thai throughout; one
column so they work on a phone; tests drive them by setting values and clicking."""

from __future__ import annotations

import html

import ipywidgets as w

from .base import ActivityWidget, Picture

from simulator.exercises.consent import APPROACHES, ConsentConversation, ConversationError
from simulator.thai.vocabulary import RELATION_TH, RESPONSE_TH
from simulator.figures.journey import journey_map, parent_card, plan_map
from simulator.exercises.journey_plan import (JourneyPlan, PlanError, Step, example_goals, real_journey_lesson_th,
                                             shown_slots, slot_label_th)
from simulator.exercises.views import true_colours
from simulator.model.population import Population
from simulator.thai.vocabulary import DIMENSION_TH, SYNTHETIC_MARK
from simulator.model.timelines import Timelines

FULL = w.Layout(width="100%")
FIELD = w.Layout(width="100%", max_width="30em")
STYLE = {"description_width": "8em"}


def _error(text: str) -> str:
    return f"<span style='color:#b00020'>{html.escape(text)}</span>"


class JourneyBuilderWidget(ActivityWidget):
    """Write a goal for each yellow/red petal, add touch points, see the map redraw, check the plan.

    ``shown_petals`` are the petal colours the trainee was shown (default: the family's flower
    as :func:`simulator.figures.petal.family_flower` draws it); only yellow and red petals need
    a goal. After **check** the widget shows what the plan still lacks, then the simulator's
    real journey of the case (the map) with its lesson, as a second layer.
    """

    def __init__(self, pop: Population, timelines: Timelines, case_id: str, shown_petals: dict[str, str] | None = None):
        cfg = pop.config
        self.timelines, self.case_id = timelines, case_id
        one = timelines.case(case_id)
        case = one.cases.iloc[0]
        family = str(case["family_id"])
        petals = shown_petals if shown_petals is not None else true_colours(pop, family)
        legal = bool(case["legal_path"])
        self.plan = JourneyPlan(cfg, shown_slots(petals), case_id, legal_path=legal)
        slots = self.plan.slots
        self._examples = example_goals(cfg, pop.indicators[pop.indicators["family_id"] == family], slots)

        self.goal_inputs = {
            slot: w.Textarea(description=slot_label_th(slot), placeholder="พิมพ์เป้าหมายที่ทำได้ใน 6-12 เดือน",
                             style=STYLE, layout=FIELD)
            for slot in slots
        }
        for slot, box in self.goal_inputs.items():
            box.observe(lambda change, slot=slot: self.plan.set_goal(slot, change["new"]), names="value")
        self.example_button = w.Button(description="ใช้แผนตัวอย่าง", layout=w.Layout(width="auto"))
        self.goal_for = w.Dropdown(options=[(slot_label_th(s), s) for s in slots], description="เพื่อเป้าหมาย",
                                   style=STYLE, layout=FIELD)
        self.agency = w.Dropdown(options=[("— เลือกหน่วยงาน —", "")] + [
            (f"{a.name_th} (มิติ{DIMENSION_TH[a.dimension]})", a.id) for a in cfg.goals.agencies],
            description="หน่วยงาน", style=STYLE, layout=FIELD)
        self.owner = w.Dropdown(options=[("— เลือกผู้รับผิดชอบ —", "")] + [(r.name_th, r.id) for r in cfg.goals.roles],
                                description="ผู้รับผิดชอบ", style=STYLE, layout=FIELD)
        self.information = w.Text(description="ข้อมูลที่ส่งต่อ", placeholder="ส่งอะไรให้ใคร เช่น ใบส่งตัวถึงพยาบาล",
                                  style=STYLE, layout=FIELD)
        self.days = w.Text(description="ระยะเวลา (วัน)", placeholder="เช่น 14", style=STYLE, layout=FIELD)
        self.purpose = w.Dropdown(options=[("ขั้นบริการทั่วไป", "")] + [(s.label_th, s.id) for s in cfg.goals.legal_path],
                                  description="ประเภทขั้น", style=STYLE, layout=FIELD)
        self.add_button = w.Button(description="เพิ่มขั้น", button_style="primary")
        self.steps = w.Select(options=[], rows=6, description="ขั้นตอน", style=STYLE, layout=FULL)
        self.remove_button = w.Button(description="ลบขั้นที่เลือก")
        self.edit_button = w.Button(description="บันทึกการแก้ไขขั้นที่เลือก", layout=w.Layout(width="auto"))
        self.up_button = w.Button(description="เลื่อนขึ้น")
        self.down_button = w.Button(description="เลื่อนลง")
        self.check_button = w.Button(description="ตรวจแผน", button_style="success")
        self.message = w.HTML()
        self.feedback = w.HTML()
        self.map = Picture(max_width="900px")
        self.truth = w.HTML()
        self.truth_map = Picture(max_width="900px")
        self._refreshing = False

        self.example_button.on_click(self._on_example)
        self.add_button.on_click(self._on_add)
        self.remove_button.on_click(self._on_remove)
        self.edit_button.on_click(self._on_edit)
        self.steps.observe(self._on_select, names="index")
        self.up_button.on_click(lambda _b: self._on_move(-1))
        self.down_button.on_click(lambda _b: self._on_move(+1))
        self.check_button.on_click(self._on_check)
        petal_list = ", ".join(slot_label_th(s) for s in slots) or "ไม่มี"
        legal_note = ("<br><b>กรณีนี้ผ่านช่องทางตามกฎหมาย</b>: ผู้ปกครองปฏิเสธแผน และผู้อำนวยการเขตแยกเด็กไปบ้านพักชั่วคราว "
                      "แผนต้องมีขั้น" + " และขั้น".join(html.escape(s.label_th) for s in cfg.goals.legal_path)
                      + " (เลือกใน «ประเภทขั้น»)") if legal else ""
        self.view = w.VBox([
            w.HTML(f"<b>สร้างแผนผังบริการ กรณี {html.escape(case_id)}</b> "
                   f"<span style='color:#b00020'>({SYNTHETIC_MARK})</span><br>"
                   f"กลีบสีเหลืองหรือแดงที่ต้องมีเป้าหมาย: {html.escape(petal_list)}{legal_note}"),
            *self.goal_inputs.values(), self.example_button,
            w.HTML("<b>เพิ่มจุดสัมผัส (touch point)</b><br>ขั้นแรกของแต่ละเป้าหมายคือเจ้าของเป้าหมาย "
                   "ต้องเป็นหน่วยงานในมิติของเป้าหมายนั้น"),
            self.goal_for, self.agency, self.owner, self.information, self.days,
            *([self.purpose] if legal else []), self.add_button,
            w.HTML("เลือกขั้นในรายการเพื่อดึงค่ามาแก้ในช่องด้านบน แล้วกด «บันทึกการแก้ไขขั้นที่เลือก»"),
            self.steps, w.HBox([self.up_button, self.down_button, self.remove_button, self.edit_button],
                               layout=w.Layout(flex_flow="row wrap")),
            self.check_button, self.message, self.feedback, self.map, self.truth, self.truth_map,
        ], layout=FULL)
        self._refresh()

    def _selected(self) -> int:
        return self.steps.index if self.steps.index is not None else -1

    def _on_example(self, _b=None) -> None:
        had_steps = bool(self.plan.steps)
        self.plan.use_example(self._examples)
        for slot, box in self.goal_inputs.items():
            if not box.value.strip():
                box.value = self.plan.goals[slot]
        self.message.value = ("ใส่เป้าหมายตัวอย่างในช่องที่ยังว่างแล้ว (แผนมีขั้นตอนอยู่แล้ว จึงไม่เพิ่มขั้นตัวอย่าง)" if had_steps
                              else "ใส่แผนตัวอย่างจากแคตตาล็อกเป้าหมายแล้ว ปรับให้เหมาะกับครอบครัวนี้ได้")
        self._refresh()

    def _step_from_fields(self) -> Step:
        subject, _, dimension = (self.goal_for.value or "").partition("_")
        return Step(dimension, self.agency.value, self.owner.value, self.information.value, self.days.value,
                    subject, self.purpose.value)

    def _on_select(self, change) -> None:
        i = change["new"]
        if self._refreshing or i is None or not 0 <= i < len(self.plan.steps):
            return
        s = self.plan.steps[i]
        self.goal_for.value = f"{s.subject}_{s.dimension}"
        self.agency.value, self.owner.value, self.purpose.value = s.agency, s.owner, s.purpose
        self.information.value, self.days.value = s.information_th, str(s.days)

    def _on_edit(self, _b=None) -> None:
        position = self._selected()
        try:
            self.plan.replace_step(position, self._step_from_fields())
        except PlanError as exc:
            self.message.value = _error(str(exc))
            return
        self.message.value = f"แก้ขั้นที่ {position + 1} แล้ว"
        self._refresh(select=position)

    def _on_add(self, _b=None) -> None:
        step = self._step_from_fields()
        try:
            self.plan.add_step(step)
        except PlanError as exc:
            self.message.value = _error(str(exc))
            return
        self.message.value = "เพิ่มขั้นแล้ว"
        self.information.value = ""
        self.days.value = ""
        self.purpose.value = ""
        self._refresh(select=len(self.plan.steps) - 1)

    def _on_remove(self, _b=None) -> None:
        try:
            self.plan.remove_step(self._selected())
        except PlanError as exc:
            self.message.value = _error(str(exc))
            return
        self.message.value = "ลบขั้นแล้ว"
        self._refresh()

    def _on_move(self, by: int) -> None:
        try:
            target = self.plan.move_step(self._selected(), by)
        except PlanError as exc:
            self.message.value = _error(str(exc))
            return
        self.message.value = ""
        self._refresh(select=target)

    def _on_check(self, _b=None) -> None:
        problems = self.plan.problems()
        if problems:
            items = "".join(f"<li>{html.escape(p)}</li>" for p in problems)
            self.feedback.value = f"<b>ยังต้องแก้ {len(problems)} เรื่อง</b><ul>{items}</ul>"
        else:
            self.feedback.value = ("<b>แผนครบถ้วน</b>: ทุกกลีบสีเหลืองและแดงมีเป้าหมาย ขั้นแรกของทุกเป้าหมายอยู่ในมิติของเป้าหมาย "
                                   "ทุกขั้นมีผู้รับผิดชอบที่ทำงานในหน่วยงานนั้นและระบุข้อมูลที่ส่งต่อ และจบภายใน 12 เดือน")
        lessons = "".join(f"<li>{html.escape(t)}</li>" for t in real_journey_lesson_th(self.timelines, self.case_id, self.plan))
        self.truth.value = ("<b>ชั้นที่สอง: เส้นทางที่เกิดขึ้นจริงในโปรแกรมจำลอง</b> "
                            "(ใช้เทียบและเรียนรู้ ไม่ได้ใช้ตรวจแผน)"
                            f"<ul>{lessons}</ul>")
        if not self.truth_map.png:
            self.truth_map.show_figure(journey_map(self.timelines, self.case_id), dpi=80)

    def _refresh(self, select: int | None = None) -> None:
        self._refreshing = True  # selecting here does not load the step into the fields
        try:
            self.steps.options = [self.plan.describe_step(i) for i in range(len(self.plan.steps))]
            if select is not None and 0 <= select < len(self.plan.steps):
                self.steps.index = select
        finally:
            self._refreshing = False
        self.map.show_figure(plan_map(self.plan), dpi=80)


class ConsentConversationWidget(ActivityWidget):
    """Pick how to explain each part of the plan, hear the parent's reply and why, try again until consent.

    The parts are talked through from top to bottom; a part once agreed stays agreed and its
    choice is locked. After each round every reply says why the parent answered so, from the
    records shown above, and where the records missed or misstated something, the simulated
    truth as a second layer. When all parts are agreed the status names the plan and the
    consent date, and the parent card of the same plan is shown, its appointments after that date.
    """

    def __init__(self, pop: Population, timelines: Timelines, case_id: str):
        self.timelines = timelines
        self.conversation = ConsentConversation(pop, timelines, case_id)
        self.card_figure = None
        conv = self.conversation
        profile = conv.profile
        options = [("— เลือกวิธีอธิบาย —", "")] + [(text, key) for key, text in APPROACHES.items()]
        self.choices = {
            d: w.Dropdown(options=options, description=f"{k + 1}. เรื่อง{DIMENSION_TH[d]}", style=STYLE,
                          layout=w.Layout(width="100%", max_width="40em"))
            for k, d in enumerate(conv.dimensions)
        }
        self.talk_button = w.Button(description="คุยกับผู้ปกครอง", button_style="primary")
        self.message = w.HTML()
        self.replies = w.HTML(layout=FULL)
        self.card = Picture(max_width="420px")
        self.talk_button.on_click(self._on_talk)
        goals = "".join(
            f"<li><b>{DIMENSION_TH[d]}</b>: {html.escape(conv.goals[d])}<br><small>ไปที่: "
            + html.escape(", ".join(a + (" (นอกเขต ต้องเดินทาง)" if out else "") for a, out in conv.parts[d].agencies)
                          or "ยังไม่ได้กำหนด")
            + "</small></li>"
            for d in conv.dimensions
        )
        strengths = ", ".join(profile.strengths) or "ยังไม่มีบันทึก"
        records = "".join(f"<li><b>{html.escape(label)}</b>: {html.escape(note)} <small>({html.escape(by)})</small></li>"
                          for label, note, by in profile.records) or "<li>ยังไม่มีบันทึกเกี่ยวกับผู้ปกครอง</li>"
        self.view = w.VBox([
            w.HTML(f"<b>ฝึกสื่อสารกับผู้ปกครอง กรณี {html.escape(case_id)}</b> "
                   f"<span style='color:#b00020'>({SYNTHETIC_MARK})</span>"
                   f"<p>ผู้ปกครอง: คุณ{html.escape(profile.name)} ({RELATION_TH.get(profile.relation, 'ญาติ')}) · "
                   f"จุดแข็งของครอบครัว: {html.escape(strengths)}</p>"
                   f"<p>บันทึกเกี่ยวกับผู้ปกครอง:</p><ul>{records}</ul>"
                   f"<p>แผนที่ต้องอธิบาย (คุยตามลำดับจากบนลงล่าง):</p><ol>{goals}</ol>"),
            *self.choices.values(), self.talk_button, self.message, self.replies, self.card,
        ], layout=FULL)

    def _on_talk(self, _b=None) -> None:
        conv = self.conversation
        try:
            conv.talk({d: dd.value for d, dd in self.choices.items()})
        except ConversationError as exc:
            self.message.value = _error(str(exc))
            return
        status = f"<b>{html.escape(conv.summary_th())}</b>"
        if conv.agreed:
            status += "<ul>" + "".join(f"<li>{DIMENSION_TH[d]}: {html.escape(conv.goals[d])}</li>"
                                       for d in conv.dimensions) + "</ul>"
        self.message.value = status
        items = []
        for r in conv.replies:
            earlier = r.round < conv.tries
            head = f"{DIMENSION_TH[r.dimension]}: {RESPONSE_TH[r.response]}" + (f" (ตกลงไว้ตั้งแต่ครั้งที่ {r.round})" if earlier else "")
            item = f"<li><b>{html.escape(head)}</b><br>ผู้ปกครอง: “{html.escape(r.text_th)}”"
            if not earlier:
                item += f"<br><i>ทำไมจึงตอบแบบนี้</i>: {html.escape(r.why_th)}"
                if r.truth_th:
                    item += f"<br><span style='color:#6a1b9a'>{html.escape(r.truth_th)}</span>"
            items.append(item + "</li>")
        self.replies.value = "<ul>" + "".join(items) + "</ul>"
        for d, dd in self.choices.items():
            dd.disabled = d in conv.agreed_parts
        if conv.agreed:
            self.talk_button.disabled = True
            self.card_figure = parent_card(self.timelines, conv.case_id, conv.profile.name, as_of=conv.consent_date)
            self.card.show_figure(self.card_figure, dpi=80)
