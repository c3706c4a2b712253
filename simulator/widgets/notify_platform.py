"""ipywidgets face of activity 9: notify the 4 providers through the practice platform.

After signing in, a volunteer (or a community leader, an อสส., district staff) picks a family
with yellow or red petals and presses แจ้งผู้ให้บริการ: each such dimension goes to the providers
of that dimension in the family's district, due by the case's urgency. The status table shows
what came back: acknowledged, and the providers' replies. A provider sees their inbox instead,
acknowledges a notification and replies to it; the volunteer's status shows it at once.
"""

from __future__ import annotations

import html

import ipywidgets as w

from simulator.dashboards.provider import unacknowledged, unacknowledged_th
from simulator.platform.access import AccessDenied, families, inbox
from simulator.platform.dashboard_tables import dashboard_data
from simulator.platform.service import ServiceError, acknowledge, inbox_th, notify, reply
from simulator.thai.dates import thai_date
from simulator.thai.vocabulary import DIMENSION_TH

from .base import ActivityWidget, table_html
from .signin import SignInPanel

FULL_WIDTH = w.Layout(width="100%")
LABEL = {"description_width": "initial"}
OK, NOT_YET = "#1b5e20", "#b00020"
NONE = ""
STATUS_COLUMNS = ("เลขที่แจ้ง", "รหัสครัวเรือน", "มิติ", "ควรรับเรื่องภายใน", "สถานะ", "เลยกำหนด", "ผู้รับเรื่อง",
                  "คำตอบล่าสุด")


def _table(frame) -> str:
    return table_html(frame, numbers=True)


class NotifyProvidersWidget(ActivityWidget):
    def __init__(self, platform):
        self.platform = platform
        self.user = None
        self.panel = SignInPanel(platform, self._on_signed_in)
        # The sender's part: a family with yellow or red petals, and its notifications' status.
        self.family = w.Dropdown(options=[("— เลือกครอบครัว —", NONE)], value=NONE, description="ครอบครัวที่จะแจ้ง",
                                 style=LABEL, layout=FULL_WIDTH)
        self.send = w.Button(description="แจ้งผู้ให้บริการ", button_style="primary", layout=FULL_WIDTH)
        self.refresh = w.Button(description="ดูสถานะล่าสุด", layout=FULL_WIDTH)
        # The provider's part: a notification of their inbox, to acknowledge and to answer.
        self.notification = w.Dropdown(options=[("— เลือกเรื่องที่แจ้ง —", NONE)], value=NONE,
                                       description="เรื่องที่แจ้งมา", style=LABEL, layout=FULL_WIDTH)
        self.acknowledge = w.Button(description="รับเรื่อง", button_style="primary", layout=FULL_WIDTH)
        self.answer = w.Textarea(description="คำตอบถึงผู้แจ้ง", placeholder="เช่น นัดเยี่ยมบ้านพร้อมอาสาสมัครวันพฤหัสนี้",
                                 style=LABEL, layout=FULL_WIDTH)
        self.send_reply = w.Button(description="ส่งคำตอบ", layout=FULL_WIDTH)
        self.message = w.HTML(layout=FULL_WIDTH)
        self.status = w.HTML(layout=FULL_WIDTH)
        self.board = w.HTML(layout=FULL_WIDTH)  # the provider dashboard's late notifications
        self.sender = w.VBox([w.HTML("<h4>แจ้งผู้ให้บริการ 4 มิติ</h4>"), self.family, self.send, self.refresh],
                             layout=w.Layout(width="100%", display="none"))
        self.provider = w.VBox([w.HTML("<h4>เรื่องที่แจ้งถึงคุณ (Inbox)</h4>"), self.notification, self.acknowledge,
                                self.answer, self.send_reply], layout=w.Layout(width="100%", display="none"))
        self.send.on_click(self._on_send)
        self.refresh.on_click(lambda _b: self._show_status())
        self.acknowledge.on_click(self._on_acknowledge)
        self.send_reply.on_click(self._on_reply)
        self.view = w.VBox([
            w.HTML("<b>แจ้งผู้ให้บริการผ่านแพลตฟอร์มเติมเต็ม (ฝึกหัด)</b>"
                   "<p>เข้าสู่ระบบด้วยชื่อและรหัส PIN ที่ลงทะเบียนไว้ในกิจกรรม 4</p>"),
            self.panel.view, self.sender, self.provider, self.message, self.board, self.status,
        ], layout=FULL_WIDTH)

    def _on_signed_in(self, user) -> str | None:
        if user.level == "city":
            return "คณะกรรมการระดับเมืองเห็นเฉพาะตัวเลขรวม ไม่ได้แจ้งหรือรับเรื่องรายครอบครัว"
        self.user = user
        if user.level == "provider":
            self.provider.layout.display = "flex"
        else:
            coloured = families(user)
            petals = [c for c in coloured.columns if c.startswith(("child_", "parent_"))]
            coloured = coloured[(coloured[petals] != "green").any(axis=1)]
            self.family.options = [("— เลือกครอบครัว —", NONE)] + [
                (f"{row.family_id} {row.label_th}", row.family_id) for row in coloured.itertuples(index=False)]
            self.sender.layout.display = "flex"
        self._show_status()
        return None

    def _say(self, text: str, ok: bool) -> None:
        self.message.value = f"<p style='color:{OK if ok else NOT_YET}'>{'✔' if ok else '✘'} {html.escape(text)}</p>"

    def _on_send(self, _button=None) -> None:
        if not self.family.value:
            self._say("ยังไม่ได้เลือกครอบครัวที่จะแจ้ง", False)
            return
        try:
            sent = notify(self.user, self.family.value)
        except (ServiceError, AccessDenied) as exc:
            self._say(str(exc), False)
            return
        if sent.empty:
            self._say(f"ครัวเรือน {self.family.value} แจ้งครบทุกมิติแล้ว ดูสถานะในตารางด้านล่าง", True)
        else:
            parts = [f"มิติ{DIMENSION_TH[r.dimension]} (ควรรับเรื่องภายใน {thai_date(r.due_on)}, "
                     f"ผู้ให้บริการในเขต {r.providers} คน)" for r in sent.itertuples(index=False)]
            self._say(f"แจ้งแล้ว {len(sent)} มิติ: " + " · ".join(parts), True)
        self._show_status()

    def _on_acknowledge(self, _button=None) -> None:
        if not self.notification.value:
            self._say("ยังไม่ได้เลือกเรื่องที่แจ้งมา", False)
            return
        try:
            acknowledge(self.user, int(self.notification.value))
        except (ServiceError, AccessDenied) as exc:
            self._say(str(exc), False)
            return
        self._say(f"รับเรื่องเลขที่ {self.notification.value} แล้ว ผู้แจ้งเห็นสถานะนี้ทันที", True)
        self._show_status()

    def _on_reply(self, _button=None) -> None:
        missing = [label for label, value in (("เรื่องที่แจ้งมา", self.notification.value),
                                              ("คำตอบถึงผู้แจ้ง", self.answer.value.strip())) if not value]
        if missing:
            self._say("ยังไม่ได้กรอก: " + ", ".join(missing), False)
            return
        try:
            reply(self.user, int(self.notification.value), self.answer.value)
        except (ServiceError, AccessDenied) as exc:
            self._say(str(exc), False)
            return
        self._say(f"ส่งคำตอบเรื่องเลขที่ {self.notification.value} แล้ว", True)
        self.answer.value = ""
        self._show_status()

    def _show_board(self) -> None:
        """The provider dashboard's part that the inbox feeds: what waits, and what is past its due date."""
        waiting = unacknowledged(dashboard_data(self.user), self.user.dimension)
        late = waiting[waiting["overdue"].astype(bool)]
        head = (f"<h4>แดชบอร์ดผู้ให้บริการ (Dashboard) มิติ{DIMENSION_TH[self.user.dimension]}</h4>"
                f"<p>ยังไม่รับเรื่อง {len(waiting)} เรื่อง · เลยกำหนดรับเรื่อง <b>{len(late)}</b> เรื่อง</p>")
        if late.empty:
            self.board.value = head
            return
        shown = unacknowledged_th(late)
        self.board.value = head + _table(shown[["รหัสครัวเรือน", "ชุมชน", "ระดับกรณี", "ควรรับเรื่องภายใน",
                                                "เลยกำหนด (วัน)"]])

    def _show_status(self) -> None:
        mine = inbox(self.user)
        if self.user.level == "provider":
            self._show_board()
            chosen = self.notification.value
            self.notification.options = [("— เลือกเรื่องที่แจ้งมา —", NONE)] + [
                (f"เลขที่ {r.notification_id} · {r.family_id} · มิติ{DIMENSION_TH[r.dimension]}", str(r.notification_id))
                for r in mine.itertuples(index=False)]
            self.notification.value = chosen if chosen in {v for _, v in self.notification.options} else NONE
        if mine.empty:
            self.status.value = "<p>ยังไม่มีเรื่องที่แจ้ง</p>"
            return
        shown = inbox_th(mine)
        heading = "สถานะของเรื่องที่แจ้ง (ข้อมูลไหลกลับมาถึงผู้แจ้ง)" if self.user.level != "provider" else "เรื่องทั้งหมดในกล่อง"
        self.status.value = f"<h4>{heading}</h4>" + _table(shown[[c for c in STATUS_COLUMNS if c in shown.columns]])


__all__ = ["NotifyProvidersWidget"]
