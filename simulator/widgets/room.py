"""ipywidgets faces of the room on the practice platform: join the room (activity 1) and the
check-in taken under one's code (activity 2, and the post-test at the end of workshop 2).

One column for phones. Joining sends the form to :func:`simulator.platform.room.join_room`,
which checks every field at once; each field has its own Thai message line under it. The
check-in asks for the code first, then shows the opinion survey and the knowledge test
(:mod:`simulator.widgets.checkin`) whose answers go to the platform. Tests fill the fields in
code and click.
"""

from __future__ import annotations

import html

import ipywidgets as w

from simulator.exercises.checkin import load_checkin
from simulator.platform.access import ServiceError
from simulator.platform.room import (
    JOIN_FIELD_TH,
    NO_DISTRICT_TH,
    STAGE_TH,
    JoinError,
    bangkok_districts,
    join_room,
    member,
    save_survey,
    save_test,
)

from .base import ActivityWidget
from .checkin import PreTestWidget, SurveyWidget

FULL_WIDTH = w.Layout(width="100%")
LABEL = {"description_width": "initial"}
OK, NOT_YET = "#1b5e20", "#b00020"
NONE = ""


def _error(text: str) -> str:
    return f"<span style='color:{NOT_YET}'>✘ {html.escape(text)}</span>"


class JoinRoomWidget(ActivityWidget):
    """Activity 1: name, role, district and community; the code comes back in large letters."""

    def __init__(self, platform, spec=None):
        self.platform = platform
        self.spec = spec or load_checkin()
        self.member = None
        self.fields = {
            "name": w.Text(description=JOIN_FIELD_TH["name"], placeholder="เช่น ป้าศรี (สมศรี ใจดี)", style=LABEL,
                           layout=FULL_WIDTH),
            "role": w.Dropdown(options=[("— เลือกบทบาท —", NONE)] + [(r.name_th, r.id) for r in self.spec.roles],
                               value=NONE, description=JOIN_FIELD_TH["role"], style=LABEL, layout=FULL_WIDTH),
            "district": w.Dropdown(options=[("— เลือกเขตที่ทำงาน —", NONE), (NO_DISTRICT_TH, NO_DISTRICT_TH)]
                                   + [(f"เขต{d}", d) for d in bangkok_districts()],
                                   value=NONE, description=JOIN_FIELD_TH["district"], style=LABEL, layout=FULL_WIDTH),
            "community": w.Text(description=JOIN_FIELD_TH["community"], placeholder="เช่น ชุมชนคลองสอง",
                                style=LABEL, layout=FULL_WIDTH),
        }
        self.messages = {field: w.HTML(layout=FULL_WIDTH) for field in self.fields}
        self.submit = w.Button(description="ลงชื่อเข้าห้อง", button_style="primary", layout=FULL_WIDTH)
        self.result = w.HTML(layout=FULL_WIDTH)
        self.submit.on_click(self._on_submit)
        rows = []
        for field, control in self.fields.items():
            rows += [control, self.messages[field]]
        self.view = w.VBox([
            w.HTML("<b>ลงชื่อเข้าห้อง (แนะนำตัว)</b><p>บอกชื่อที่อยากให้เพื่อนเรียก บทบาท และที่ทำงาน "
                   "ผู้ที่ไม่ได้ทำงานในชุมชนไม่ต้องกรอกชุมชน ชื่อนี้เห็นเฉพาะในห้องอบรมนี้</p>"),
            *rows, self.submit, self.result,
        ], layout=FULL_WIDTH)

    def _on_submit(self, _button=None):
        for message in self.messages.values():
            message.value = ""
        try:
            self.member = join_room(self.platform, self.fields["name"].value, self.fields["role"].value,
                                    self.fields["district"].value, self.fields["community"].value, self.spec)
        except JoinError as exc:
            for field, text in exc.problems.items():
                self.messages[field].value = _error(text)
            self.result.value = _error(f"ยังลงชื่อไม่ได้ แก้ {len(exc.problems)} ช่องที่มีข้อความสีแดง")
            return None
        m = self.member
        again = "คุณลงชื่อไว้แล้ว รหัสเดิมของคุณคือ" if m.returning else "ลงชื่อแล้ว รหัสของคุณคือ"
        where = " · ".join(x for x in (m.community_th, f"เขต{m.district_th}" if m.district_th else "") if x)
        self.result.value = (
            f"<div style='color:{OK}'>✔ {again}</div>"
            f"<div class='termtem-code' style='font-size:2.4em;font-weight:bold'>{html.escape(m.code)}</div>"
            f"<div>{html.escape(m.name_th)} · {html.escape(m.role_th)}"
            f"{' · ' + html.escape(where) if where else ''}</div>"
            "<p>จดรหัสนี้ไว้: ใช้ตอบแบบสอบถามในกิจกรรมที่ 2 และแบบทดสอบหลังอบรมในการอบรมครั้งที่ 2</p>")
        for control in (*self.fields.values(), self.submit):
            control.disabled = True
        return m


class CheckinWidget(ActivityWidget):
    """Activity 2 under one's code: the survey and the pre-test (``stage="pre"``), or the post-test
    alone (``stage="post"``, the end of workshop 2). Answers are kept on the platform."""

    def __init__(self, platform, stage: str = "pre", spec=None):
        if stage not in STAGE_TH:
            raise ValueError(f"stage must be 'pre' or 'post', not {stage!r}")
        self.platform, self.stage = platform, stage
        self.spec = spec or load_checkin()
        self.member = None
        self.survey: SurveyWidget | None = None
        self.test: PreTestWidget | None = None
        self.code = w.Text(description="รหัสผู้เข้าร่วม", placeholder="เช่น P07", style=LABEL, layout=FULL_WIDTH)
        self.start = w.Button(description="เริ่มทำ", button_style="primary", layout=FULL_WIDTH)
        self.message = w.HTML(layout=FULL_WIDTH)
        self.body = w.VBox(layout=FULL_WIDTH)
        self.start.on_click(self._on_start)
        what = "แบบสอบถามความคิดเห็นและแบบทดสอบก่อนอบรม" if stage == "pre" else STAGE_TH["post"]
        self.view = w.VBox([
            w.HTML(f"<b>{html.escape(what)}</b><p>ใส่รหัสที่ได้ตอนลงชื่อเข้าห้อง (กิจกรรมที่ 1) "
                   "ลืมรหัส: ลงชื่อด้วยชื่อและบทบาทเดิมอีกครั้งเพื่อดูรหัส</p>"),
            self.code, self.start, self.message, self.body,
        ], layout=FULL_WIDTH)

    def _on_start(self, _button=None):
        try:
            self.member = member(self.platform, self.code.value, self.spec)
        except ServiceError as exc:
            self.message.value = _error(str(exc))
            return None
        m = self.member
        self.message.value = (f"<span style='color:{OK}'>✔ สวัสดี {html.escape(m.name_th)} ({html.escape(m.code)})"
                              "</span>")
        self.code.disabled = self.start.disabled = True
        parts = []
        if self.stage == "pre":
            self.survey = SurveyWidget(self.spec, participant_id=m.code,
                                       on_submit=lambda answers: save_survey(self.platform, answers, self.spec))
            parts.append(self.survey.view)
        self.test = PreTestWidget(self.spec, participant_id=m.code, stage=self.stage,
                                  on_submit=lambda answers, _feedback: save_test(self.platform, answers, self.stage,
                                                                                 self.spec))
        parts.append(self.test.view)
        self.body.children = parts
        return m


__all__ = ["CheckinWidget", "JoinRoomWidget"]
