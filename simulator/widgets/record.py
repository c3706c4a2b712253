"""ipywidgets face of activity 5: sign in, then record what a home visit found.

After signing in with name and PIN, a volunteer picks one of their community's families
and an indicator from the catalogue, writes a short note and presses บันทึก. The record is
stored on the room's practice platform at once; the family's flower and its row on the
community dashboard are redrawn from the platform, so the trainee sees their record arrive.
"""

from __future__ import annotations

import html

import ipywidgets as w

from simulator.dashboards.community import community_board, community_board_th
from simulator.model.config import load_config
from simulator.platform.access import AccessDenied, families
from simulator.platform.dashboard_tables import dashboard_data, family_flower
from simulator.platform.service import ServiceError, record_observation
from simulator.thai.vocabulary import DIMENSION_TH, SUBJECT_TH

from .base import ActivityWidget, Picture, table_html
from .signin import SignInPanel

FULL_WIDTH = w.Layout(width="100%")
LABEL = {"description_width": "initial"}
OK, NOT_YET = "#1b5e20", "#b00020"
NONE = ""
BOARD_COLUMNS = ("รหัสครัวเรือน", "ระดับกรณี", "กลีบแดง", "กลีบเหลือง")


def indicator_options() -> list[tuple[str, str]]:
    """Every catalogue indicator as ``เด็ก · สังคม: ถูกละเลย…``, child petals first, in catalogue order."""
    catalogue = load_config().catalogue.indicators
    ordered = sorted(catalogue, key=lambda i: (i.subject != "child", list(DIMENSION_TH).index(i.dimension)))
    return [(f"{SUBJECT_TH[i.subject]} · {DIMENSION_TH[i.dimension]}: {i.label_th}", i.id) for i in ordered]


class RecordVisitWidget(ActivityWidget):
    def __init__(self, platform):
        self.platform = platform
        self.user = None
        self.panel = SignInPanel(platform, self._on_signed_in)
        self.name, self.pin = self.panel.name, self.panel.pin
        self.sign_in_button, self.sign_in_message = self.panel.button, self.panel.message
        self.family = w.Dropdown(options=[("— เลือกครอบครัว —", NONE)], value=NONE, description="ครอบครัวที่ไปเยี่ยม",
                                 style=LABEL, layout=FULL_WIDTH)
        self.indicator = w.Dropdown(options=[("— เลือกสิ่งที่พบ —", NONE)] + indicator_options(), value=NONE,
                                    description="สิ่งที่พบ (ตัวชี้วัด)", style=LABEL, layout=FULL_WIDTH)
        self.note = w.Textarea(description="บันทึกสั้น ๆ", placeholder="เช่น แม่เล่าว่าลูกไม่ได้ไปโรงเรียนมาสองสัปดาห์",
                               style=LABEL, layout=FULL_WIDTH)
        self.save = w.Button(description="บันทึก", button_style="primary", layout=FULL_WIDTH)
        self.message = w.HTML(layout=FULL_WIDTH)
        self.flower = Picture(max_width="480px")
        self.board = w.HTML(layout=FULL_WIDTH)
        self.recording = w.VBox([
            w.HTML("<h4>บันทึกการเยี่ยมบ้าน</h4>"), self.family, self.indicator, self.note, self.save,
            self.message, self.flower, self.board,
        ], layout=w.Layout(width="100%", display="none"))
        self.save.on_click(self._on_save)
        self.family.observe(self._on_family, names="value")
        self.view = w.VBox([
            w.HTML("<b>บันทึกข้อมูลจากการเยี่ยมบ้านเข้าแพลตฟอร์ม (ฝึกหัด)</b>"
                   "<p>เข้าสู่ระบบด้วยชื่อและรหัส PIN ที่ลงทะเบียนไว้ในกิจกรรม 4</p>"),
            self.panel.view, self.recording,
        ], layout=FULL_WIDTH)

    def _on_signed_in(self, user) -> str | None:
        visible = families(user)
        if visible.empty:
            return (f"บทบาท{user.role_th}ไม่มีครอบครัวให้บันทึก ใช้ชื่อของอาสาสมัคร แกนนำชุมชน หรือ อสส.")
        self.user = user
        self.family.options = [("— เลือกครอบครัว —", NONE)] + [
            (f"{row.family_id} {row.label_th}", row.family_id) for row in visible.itertuples(index=False)]
        self.recording.layout.display = "flex"
        return None

    def _on_family(self, _change=None) -> None:
        self.message.value = ""
        if self.family.value:
            self._redraw(self.family.value)
        else:
            self.flower.clear()
            self.board.value = ""

    def _on_save(self, _button=None) -> None:
        missing = [label for label, control in (("ครอบครัวที่ไปเยี่ยม", self.family), ("สิ่งที่พบ", self.indicator))
                   if not control.value]
        if missing:
            self.message.value = f"<span style='color:{NOT_YET}'>✘ ยังไม่ได้เลือก: {html.escape(', '.join(missing))}</span>"
            return
        try:
            record_observation(self.user, self.family.value, self.indicator.value, self.note.value)
        except (ServiceError, AccessDenied) as exc:
            self.message.value = f"<span style='color:{NOT_YET}'>✘ {html.escape(str(exc))}</span>"
            return
        label = dict((v, k) for k, v in self.indicator.options)[self.indicator.value]
        self.message.value = (f"<p style='color:{OK}'>✔ บันทึกแล้ว: {html.escape(label)} · {html.escape(self.family.value)}"
                              "</p><p>กลีบดอกและแดชบอร์ดของชุมชนด้านล่างอ่านจากแพลตฟอร์มใหม่แล้ว</p>")
        self.indicator.value = NONE
        self.note.value = ""
        self._redraw(self.family.value)

    def _redraw(self, family_id: str) -> None:
        self.flower.show_figure(family_flower(self.user, family_id), dpi=110)
        data = dashboard_data(self.user)
        board = community_board_th(community_board(data, self.user.community_th, district=self.user.district_th))
        row = board[board["รหัสครัวเรือน"] == family_id]
        columns = [c for c in BOARD_COLUMNS if c in board.columns]
        self.board.value = ("<h4>แถวของครอบครัวนี้บนแดชบอร์ดชุมชน (Dashboard)</h4>"
                            + table_html(row[columns], numbers=True))


__all__ = ["RecordVisitWidget", "indicator_options"]
