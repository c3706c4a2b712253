"""ipywidgets face of activity 8: why notify the 4 providers, on a family of the trainee's own community.

After signing in (community roles only: a community leader, a volunteer, an อสส.), the trainee
picks one of their community's families with a yellow or red petal and presses
«ดูเส้นทางของครอบครัวนี้». The family's flower is drawn from the practice platform, and the
activity 7 exercise (:class:`~simulator.widgets.notify.NotifyScenarioWidget`) runs below it on
the journey model's one-family population built from the platform's records
(:func:`simulator.platform.own_case.own_case`). One column for phones; tests set values and click.
"""

from __future__ import annotations

import html

import ipywidgets as w

from simulator.platform.access import AccessDenied, ServiceError
from simulator.platform.dashboard_tables import family_flower
from simulator.platform.own_case import own_case, own_cases

from .base import ActivityWidget, Picture
from .notify import NotifyScenarioWidget
from .signin import SignInPanel

FULL_WIDTH = w.Layout(width="100%")
LABEL = {"description_width": "initial"}
OK, NOT_YET = "#1b5e20", "#b00020"
NONE = ""
SHOW_TEXT = "ดูเส้นทางของครอบครัวนี้"


class OwnCaseWidget(ActivityWidget):
    """Sign in, choose a family of your community with a problem, see its flower and the notify exercise."""

    def __init__(self, platform, dpi: int = 110):
        self.platform, self.dpi = platform, dpi
        self.user = None
        self.scenario_widget: NotifyScenarioWidget | None = None
        self.panel = SignInPanel(platform, self._on_signed_in)
        self.name, self.pin = self.panel.name, self.panel.pin
        self.sign_in_button, self.sign_in_message = self.panel.button, self.panel.message
        self.family = w.Dropdown(options=[("— เลือกครอบครัว —", NONE)], value=NONE,
                                 description="ครอบครัวในชุมชนของคุณ", style=LABEL, layout=FULL_WIDTH)
        self.show_button = w.Button(description=SHOW_TEXT, button_style="primary", layout=FULL_WIDTH)
        self.message = w.HTML(layout=FULL_WIDTH)
        self.flower = Picture(max_width="480px")
        self.exercise = w.VBox(layout=FULL_WIDTH)
        self.choosing = w.VBox([
            w.HTML("<h4>เลือกครอบครัวที่มีกลีบสีเหลืองหรือแดง</h4>"
                   "<p>ตัวเลือกคือครอบครัวในชุมชนของคุณบนแพลตฟอร์มฝึกหัด: ชื่อเรียก ระดับกรณี และมิติที่มีปัญหา</p>"),
            self.family, self.show_button, self.message, self.flower, self.exercise,
        ], layout=w.Layout(width="100%", display="none"))
        self.show_button.on_click(self._on_show)
        self.view = w.VBox([
            w.HTML("<b>เพราะอะไรถึงต้องแจ้งผู้ให้บริการ 4 มิติ (เคสของชุมชน)</b>"
                   "<p>เข้าสู่ระบบด้วยชื่อและรหัส PIN ที่ลงทะเบียนไว้ในกิจกรรม 4</p>"),
            self.panel.view, self.choosing,
        ], layout=FULL_WIDTH)

    def _on_signed_in(self, user) -> str | None:
        if user.level != "community":
            return (f"กิจกรรมนี้ใช้ครอบครัวในชุมชนของตัวเอง บทบาท{user.role_th}ไม่มีชุมชน "
                    "ให้เข้าสู่ระบบด้วยชื่อของแกนนำชุมชน อาสาสมัคร หรือ อสส.")
        cases = own_cases(user)
        if cases.empty:
            return (f"ชุมชน{user.community_th}ยังไม่มีครอบครัวที่มีกลีบสีเหลืองหรือแดง "
                    "บันทึกสิ่งที่พบจากการเยี่ยมบ้านในกิจกรรม 5 ก่อน แล้วกลับมาที่นี่")
        self.user = user
        self.family.options = [("— เลือกครอบครัว —", NONE)] + list(zip(cases["option_th"], cases["family_id"]))
        self.choosing.layout.display = "flex"
        return None

    def _on_show(self, _button=None) -> None:
        self.flower.clear()
        self.exercise.children = ()
        self.scenario_widget = None
        if not self.family.value:
            self.message.value = f"<span style='color:{NOT_YET}'>✘ ยังไม่ได้เลือกครอบครัว</span>"
            return
        try:
            pop, case_id = own_case(self.user, self.family.value)
            figure = family_flower(self.user, self.family.value)
        except (ServiceError, AccessDenied) as exc:
            self.message.value = f"<span style='color:{NOT_YET}'>✘ {html.escape(str(exc))}</span>"
            return
        self.flower.show_figure(figure, dpi=self.dpi)
        self.scenario_widget = NotifyScenarioWidget(pop, case_id, dpi=self.dpi)
        self.exercise.children = (self.scenario_widget.view,)
        self.message.value = (f"<p style='color:{OK}'>✔ ครอบครัว {html.escape(self.family.value)}: "
                              "เส้นทางด้านล่างคิดจากสิ่งที่บันทึกไว้บนแพลตฟอร์ม (สิ่งที่บันทึกแสดง) "
                              "ถ้าบันทึกเพิ่มในกิจกรรม 5 ผลจะเปลี่ยนตาม</p>")


__all__ = ["SHOW_TEXT", "OwnCaseWidget"]
