"""ipywidgets face of activity 4: register on the practice platform (Thai form, every field checked).

One column for phones. Each field has its Thai label above it and its own message line under
it; pressing ลงทะเบียน sends the form to :func:`simulator.platform.service.register`, which
checks every field at once and stores nothing unless all are right. Choosing a district
narrows the communities offered. Tests fill the fields in code and click.
"""

from __future__ import annotations

import html

import ipywidgets as w

from simulator.platform.practice import places
from simulator.platform.service import FIELD_TH, RegistrationError, register

from .base import ActivityWidget

FULL_WIDTH = w.Layout(width="100%")
LABEL = {"description_width": "initial"}
OK, NOT_YET = "#1b5e20", "#b00020"
NONE = ""


class RegisterWidget(ActivityWidget):
    def __init__(self, platform):
        self.platform = platform
        self.places = places(platform)
        roles = [(r.name_th, r.id) for r in platform.settings.roles]
        self.fields = {
            "name": w.Text(description=FIELD_TH["name"], placeholder="เช่น สมศรี ใจดี", style=LABEL, layout=FULL_WIDTH),
            "mobile": w.Text(description=FIELD_TH["mobile"], placeholder="เช่น 081-234-5678", style=LABEL,
                             layout=FULL_WIDTH),
            "role": w.Dropdown(options=[("— เลือกบทบาท —", NONE)] + roles, value=NONE, description=FIELD_TH["role"],
                               style=LABEL, layout=FULL_WIDTH),
            "district": w.Dropdown(options=[("— เลือกเขต —", NONE)] + [(f"เขต{d}", d) for d in self.places],
                                   value=NONE, description=FIELD_TH["district"], style=LABEL, layout=FULL_WIDTH),
            "community": w.Dropdown(options=[("— เลือกชุมชน —", NONE)], value=NONE, description=FIELD_TH["community"],
                                    style=LABEL, layout=FULL_WIDTH),
            "pin": w.Password(description=f"{FIELD_TH['pin']} (ตัวเลข {platform.settings.pin.digits_min}–"
                                          f"{platform.settings.pin.digits_max} หลัก)", style=LABEL, layout=FULL_WIDTH),
        }
        self.messages = {field: w.HTML(layout=FULL_WIDTH) for field in self.fields}
        self.submit = w.Button(description="ลงทะเบียน", button_style="primary", layout=FULL_WIDTH)
        self.result = w.HTML(layout=FULL_WIDTH)
        self.user = None
        self.fields["district"].observe(self._on_district, names="value")
        self.submit.on_click(self._on_submit)
        rows = []
        for field, control in self.fields.items():
            rows += [control, self.messages[field]]
        self.view = w.VBox([
            w.HTML("<b>ลงทะเบียนเข้าใช้งานแพลตฟอร์มเติมเต็ม (ฝึกหัด)</b>"
                   "<p>ข้อมูลที่กรอกเก็บไว้ในแพลตฟอร์มฝึกหัดของห้องนี้เท่านั้น ไม่ส่งไปที่ระบบจริง</p>"),
            *rows, self.submit, self.result,
        ], layout=FULL_WIDTH)

    def _on_district(self, _change=None) -> None:
        communities = self.places.get(self.fields["district"].value, [])
        self.fields["community"].options = [("— เลือกชุมชน —", NONE)] + [(c, c) for c in communities]
        self.fields["community"].value = NONE

    def _on_submit(self, _button=None) -> None:
        values = {field: control.value for field, control in self.fields.items()}
        for message in self.messages.values():
            message.value = ""
        try:
            self.user = register(self.platform, values["name"], values["mobile"], values["role"],
                                 values["district"] or None, values["community"] or None, values["pin"])
        except RegistrationError as exc:
            for field, text in exc.problems.items():
                self.messages[field].value = f"<span style='color:{NOT_YET}'>✘ {html.escape(text)}</span>"
            self.result.value = (f"<p style='color:{NOT_YET}'>ยังลงทะเบียนไม่ได้: แก้ {len(exc.problems)} ช่องที่มี"
                                 "เครื่องหมาย ✘ แล้วกดลงทะเบียนอีกครั้ง ยังไม่มีข้อมูลใดถูกบันทึก</p>")
            return
        place = " · ".join(p for p in (f"เขต{self.user.district_th}" if self.user.district_th else "",
                                        self.user.community_th or "") if p)
        self.result.value = (f"<p style='color:{OK}'>✔ ลงทะเบียนแล้ว: {html.escape(self.user.name_th)} "
                             f"({html.escape(self.user.role_th)}) {html.escape(place)}</p>"
                             "<p>จำชื่อและรหัส PIN ไว้ ใช้เข้าสู่ระบบในกิจกรรมต่อไปและในเวิร์กช็อปครั้งที่ 2</p>")
        self.submit.disabled = True
        for control in self.fields.values():
            control.disabled = True


__all__ = ["RegisterWidget"]
