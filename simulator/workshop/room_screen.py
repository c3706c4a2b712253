"""The trainer's screens of activities 1 and 2, drawn from the room on the practice platform.

:class:`RoomScreenWidget` (activity 1): who joined, by level and role, the picture of the room, and
mixed groups with every dimension represented (or the note on what is short).
:class:`CheckinScreenWidget` (activity 2, and the end of workshop 2): the survey's and the test's
charts of the room, each person's knowledge gain by code, the programme's two KPIs and the
one-page report as a PDF to download (a ``data:`` link: nothing leaves the laptop).

Both read the platform each time ``refresh`` is pressed, so the projector follows the room as
the phones send their answers. A room too small for a chart shows a Thai line saying so.
Either may show the simulated example room instead (a checkbox), so a trainer can rehearse
before anyone has joined; that view carries the synthetic mark.
"""

from __future__ import annotations

import base64
import html
import io

import ipywidgets as w
import pandas as pd

from simulator.exercises.checkin import load_checkin
from simulator.platform import room as platform_room
from simulator.widgets.base import ActivityWidget, Picture, table_html

from . import room as room_tools

FULL_WIDTH = w.Layout(width="100%")
LABEL = {"description_width": "initial"}
OK, NOT_YET = "#1b5e20", "#b00020"
DPI = 130
EXAMPLE_SIZE = 36
GROUP_SIZES = (4, 5, 6, 7, 8)


def _table(frame: pd.DataFrame) -> str:
    return table_html(frame, numbers=True, na_rep="–")


def _heading(text: str) -> w.HTML:
    return w.HTML(f"<b>{html.escape(text)}</b>", layout=w.Layout(width="100%"))


def _show(widget: w.Widget, shown: bool) -> None:
    """A section's heading is hidden while its section is empty."""
    widget.layout.display = None if shown else "none"


def _note(text: str, colour: str | None = None) -> str:
    style = f" style='color:{colour}'" if colour else ""
    return f"<p{style}>{html.escape(text)}</p>"


class _Screen(ActivityWidget):
    def __init__(self, platform, seed: int, example: bool):
        self.platform, self.seed = platform, seed
        self.spec = load_checkin()
        self.example = w.Checkbox(value=example, description="ห้องตัวอย่าง (ข้อมูลสมมติ 36 คน)", indent=False,
                                  layout=FULL_WIDTH)
        self.refresh_button = w.Button(description="อัปเดตภาพรวมของห้อง", button_style="primary", layout=FULL_WIDTH)
        self.refresh_button.on_click(self.refresh)
        self.example.observe(lambda _change: self.refresh(), names="value")

    def _example_room(self) -> pd.DataFrame:
        return room_tools.simulate_room(EXAMPLE_SIZE, seed=self.seed, spec=self.spec)


class RoomScreenWidget(_Screen):
    """Activity 1 on the projector: the roster, the picture of the room and the mixed groups."""

    def __init__(self, platform, seed: int = 0, example: bool = False):
        super().__init__(platform, seed, example)
        self.group_size = w.Dropdown(options=[(f"กลุ่มละประมาณ {k} คน", k) for k in GROUP_SIZES], value=6,
                                     description="ขนาดกลุ่ม", style=LABEL, layout=FULL_WIDTH)
        self.group_size.observe(lambda _change: self.refresh(), names="value")
        self.headline = w.HTML(layout=FULL_WIDTH)
        self.picture = Picture()
        self.roster = w.HTML(layout=FULL_WIDTH)
        self.groups = w.HTML(layout=FULL_WIDTH)
        self.people: pd.DataFrame | None = None
        self.grouped: pd.DataFrame | None = None
        self.roster_heading = _heading("รายชื่อตามระดับและบทบาท")
        self.groups_heading = _heading("กลุ่มคละบทบาท (mixed groups)")
        self.view = w.VBox([
            w.HTML("<b>ใครอยู่ในห้องนี้ (สำหรับวิทยากร)</b>"),
            self.refresh_button, self.example, self.group_size, self.headline, self.picture,
            self.roster_heading, self.roster, self.groups_heading, self.groups,
        ], layout=FULL_WIDTH)
        self.refresh()

    def refresh(self, _button=None) -> pd.DataFrame:
        """Read the room again and redraw everything; returns the participants shown."""
        synthetic = self.example.value
        people = self._example_room() if synthetic else platform_room.participants(self.platform)
        self.people, self.grouped = people, None
        n = len(people)
        _show(self.roster_heading, n > 0)
        _show(self.groups_heading, n > 0)
        if n == 0:
            self.headline.value = _note("ยังไม่มีใครลงชื่อเข้าห้อง ให้ทุกคนเปิดหน้ากิจกรรมที่ 1 บนโทรศัพท์แล้วลงชื่อ "
                                        "หรือติ๊ก «ห้องตัวอย่าง» เพื่อดูหน้าตาของภาพ")
            self.picture.clear()
            self.roster.value = self.groups.value = ""
            return people
        counts = room_tools.room_counts(people, self.spec)
        by_level = counts.groupby("level_th", sort=False)["count"].sum()
        parts = " · ".join(f"{level} {int(k)} คน" for level, k in by_level.items() if k)
        label = "ห้องตัวอย่าง (ข้อมูลสมมติ)" if synthetic else "ลงชื่อแล้ว"
        self.headline.value = f"<p><b>{label} {n} คน</b>: {html.escape(parts)}</p>"
        self.picture.show_figure(room_tools.room_figure(people, self.spec, synthetic=synthetic), DPI)
        self.roster.value = _table(room_tools.roster_table(people, self.spec))
        if n < 2:
            self.groups.value = _note("ต้องมีอย่างน้อย 2 คนจึงจะแบ่งกลุ่มได้")
            return people
        self.grouped = room_tools.mixed_groups(people, size=self.group_size.value, seed=self.seed, spec=self.spec)
        summary = room_tools.group_summary_th(room_tools.group_summary(self.grouped))
        note = room_tools.coverage_note_th(self.grouped)
        self.groups.value = (_table(summary[["กลุ่ม", "จำนวนคน", "มิติที่ขาด"]])
                             + (_note(note, NOT_YET) if note else _note("ทุกกลุ่มมีผู้ให้บริการครบ 4 มิติ", OK))
                             + _table(room_tools.groups_table(self.grouped)))
        return people


class CheckinScreenWidget(_Screen):
    """Activity 2 on the projector: the room's survey and test; after the post-test, the knowledge report."""

    def __init__(self, platform, seed: int = 0, example: bool = False):
        super().__init__(platform, seed, example)
        self.counts = w.HTML(layout=FULL_WIDTH)
        self.survey_picture = Picture()
        self.test_picture = Picture()
        self.gain = w.HTML(layout=FULL_WIDTH)
        self.report_button = w.Button(description="ทำรายงานหนึ่งหน้า (PDF)", layout=FULL_WIDTH)
        self.report_link = w.HTML(layout=FULL_WIDTH)
        self.report_button.on_click(self.make_report)
        self.pre: pd.DataFrame | None = None
        self.post: pd.DataFrame | None = None
        self.survey: pd.DataFrame | None = None
        self.report_pdf: bytes = b""
        self.survey_heading = _heading("ความคิดเห็นของห้อง")
        self.test_heading = _heading("ตอบถูกรายข้อ (ก่อนและหลังอบรม)")
        self.view = w.VBox([
            w.HTML("<b>ภาพรวมการเช็คอินของห้อง (สำหรับวิทยากร)</b>"),
            self.refresh_button, self.example, self.counts,
            self.survey_heading, self.survey_picture, self.test_heading, self.test_picture,
            _heading("ความรู้ที่เพิ่มขึ้นและตัวชี้วัดของโครงการ (KPI)"), self.gain,
            self.report_button, self.report_link,
        ], layout=FULL_WIDTH)
        self.refresh()

    def _answers(self):
        if self.example.value:
            people = self._example_room()
            pre = room_tools.simulate_answers(people, self.spec.test, seed=self.seed, stage="pre")
            post = room_tools.simulate_answers(people, self.spec.test, seed=self.seed, stage="post")
            survey = room_tools.simulate_survey(people, seed=self.seed, spec=self.spec)
            return len(people), survey, pre, post
        size = platform_room.room_size(self.platform)
        return (size["joined"], platform_room.survey_answers(self.platform),
                platform_room.test_answers(self.platform, "pre"), platform_room.test_answers(self.platform, "post"))

    def refresh(self, _button=None) -> None:
        """Read the answers again and redraw the charts and the KPIs."""
        synthetic = self.example.value
        joined, survey, pre, post = self._answers()
        self.survey, self.pre, self.post = survey, pre, post
        self.report_pdf, self.report_link.value = b"", ""
        n_survey = survey["participant_id"].nunique()
        n_pre, n_post = pre["participant_id"].nunique(), post["participant_id"].nunique()
        label = "ห้องตัวอย่าง (ข้อมูลสมมติ): " if synthetic else ""
        self.counts.value = (f"<p>{label}ลงชื่อ {joined} คน · ตอบแบบสอบถาม {n_survey} คน · "
                             f"ทำแบบทดสอบก่อนอบรม {n_pre} คน · หลังอบรม {n_post} คน</p>")
        _show(self.survey_heading, bool(n_survey))
        _show(self.test_heading, bool(n_pre or n_post))
        if n_survey:
            self.survey_picture.show_figure(room_tools.survey_figure(survey, self.spec.survey, synthetic=synthetic), DPI)
        else:
            self.survey_picture.clear()
        if n_pre or n_post:
            fig = (room_tools.test_figure(pre, post, self.spec, synthetic=synthetic) if n_pre and n_post else
                   room_tools.test_figure(pre if n_pre else post, None, self.spec, synthetic=synthetic,
                                          stage="pre" if n_pre else "post"))
            self.test_picture.show_figure(fig, DPI)
        else:
            self.test_picture.clear()
        if n_post:
            gain = room_tools.knowledge_gain(pre, post, self.spec)
            kpis = room_tools.programme_kpis(gain, self.spec.targets)
            self.gain.value = (_table(room_tools.programme_kpis_th(kpis))
                               + _table(room_tools.knowledge_gain_th(gain)))
        else:
            self.gain.value = _note("ความรู้ที่เพิ่มขึ้นคำนวณได้เมื่อมีผู้ทำแบบทดสอบหลังอบรม (ท้ายการอบรมครั้งที่ 2)")
        self.report_button.disabled = not (n_pre and n_post)

    def make_report(self, _button=None) -> bytes:
        """The one-page knowledge report as PDF bytes, offered as a download link."""
        if self.pre is None or self.post is None or self.post.empty or self.pre.empty:
            self.report_link.value = _note("ยังทำรายงานไม่ได้: ต้องมีทั้งแบบทดสอบก่อนและหลังอบรม", NOT_YET)
            return b""
        try:
            fig = room_tools.knowledge_report_figure(self.pre, self.post, spec=self.spec, synthetic=self.example.value)
        except room_tools.RoomError as exc:
            self.report_link.value = _note(str(exc), NOT_YET)
            return b""
        buffer = io.BytesIO()
        fig.savefig(buffer, format="pdf")
        self.report_pdf = buffer.getvalue()
        name = room_tools.report_name()
        data = base64.b64encode(self.report_pdf).decode("ascii")
        self.report_link.value = (f"<p><a download='{name}' href='data:application/pdf;base64,{data}'>"
                                  f"ดาวน์โหลดรายงาน {html.escape(name)}</a></p>")
        return self.report_pdf


__all__ = ["CheckinScreenWidget", "RoomScreenWidget"]
