"""ipywidgets face of the district's plan: from the dashboards' findings to a 1-year action plan
and a 5-year draft (logic in :mod:`simulator.dashboards.action_plan`).

One column for phones: the findings as a short list, then three 1-year rows and two 5-year
rows, each a small card (finding, goal, action, owner, dimension, target, month or year). A
row counts once its finding is chosen; blank rows are ignored. "ใส่ตัวอย่างจากข้อค้นพบ" fills
the 1-year rows from :func:`~simulator.dashboards.action_plan.suggested_rows`; "ตรวจร่างแผน"
shows what is still missing, or "ร่างแผนครบถ้วน", and the plan table. Tests set the controls and
click.
"""

from __future__ import annotations

import html

import ipywidgets as w
import pandas as pd

from simulator.dashboards.action_plan import (
    FIELD_TH,
    HORIZON_TH,
    ActionPlan,
    PlanRow,
    check_plan,
    findings,
    format_value,
    load_plan_settings,
    plan_months,
    row_for,
    suggested_rows,
    year_label_th,
)
from simulator.dashboards.levels import load_levels
from simulator.dashboards.tables import DashboardData
from simulator.model.config import DIMENSIONS
from simulator.thai.dates import thai_month
from simulator.thai.vocabulary import DIMENSION_TH, SYNTHETIC_MARK

from .base import ActivityWidget

FULL_WIDTH = w.Layout(width="100%")
LABEL = {"description_width": "initial"}
OK, NOT_YET = "#1b5e20", "#b00020"
ONE_YEAR_ROWS, FIVE_YEAR_ROWS = 3, 2
COMPLETE_TH = "ร่างแผนครบถ้วน"


def _lines(lines: list[str], colour: str | None = None) -> str:
    style = f" style='color:{colour}'" if colour else ""
    return "<ul>" + "".join(f"<li{style}>{html.escape(t)}</li>" for t in lines) + "</ul>"


class PlanRowControls:
    """The controls of one plan row: a card of full-width controls."""

    def __init__(self, horizon: str, number: int, findings_table: pd.DataFrame, month: pd.Period,
                 when_options: list[tuple[str, object]]):
        self.horizon, self.number, self.findings = horizon, number, findings_table
        self.month = month
        choices = [("— เลือกข้อค้นพบ —", "")] + list(zip(findings_table["name_th"], findings_table["finding_id"]))
        self.finding = w.Dropdown(options=choices, value="", description=FIELD_TH["finding_id"], style=LABEL,
                                  layout=FULL_WIDTH)
        self.baseline = w.HTML(layout=FULL_WIDTH)
        self.goal = w.Text(description=FIELD_TH["goal_th"], placeholder="อยากเห็นอะไรเปลี่ยนไป", style=LABEL,
                           layout=FULL_WIDTH)
        self.action = w.Text(description=FIELD_TH["action_th"], placeholder="จะทำอะไร", style=LABEL,
                             layout=FULL_WIDTH)
        levels = [(lv.name_th, lv.id) for lv in load_levels().levels]
        self.owner = w.Dropdown(options=[("— เลือกระดับ —", "")] + levels, value="", description=FIELD_TH["owner"],
                                style=LABEL, layout=FULL_WIDTH)
        self.dimension = w.Dropdown(options=[("— ไม่ระบุ —", "")] + [(DIMENSION_TH[d], d) for d in DIMENSIONS],
                                    value="", description="มิติ (เมื่อเป็นผู้ให้บริการ)", style=LABEL,
                                    layout=FULL_WIDTH)
        self.target = w.BoundedFloatText(value=0.0, min=0.0, max=10_000.0, step=0.1, description=FIELD_TH["target"],
                                         style=LABEL, layout=FULL_WIDTH)
        blank = "" if horizon == "1y" else 0
        label = "เดือน" if horizon == "1y" else "ปีของแผน"
        self.when = w.Dropdown(options=[(f"— เลือก{label} —", blank)] + when_options, value=blank,
                               description=FIELD_TH["month" if horizon == "1y" else "year"], style=LABEL,
                               layout=FULL_WIDTH)
        self.finding.observe(self._on_finding, names="value")
        title = f"{'แผน 1 ปี' if horizon == '1y' else 'แผน 5 ปี'} แถวที่ {number}"
        self.box = w.VBox([w.HTML(f"<b>{title}</b>"), self.finding, self.baseline, self.goal, self.action, self.owner,
                           self.dimension, self.target, self.when],
                          layout=w.Layout(width="100%", border="1px solid #ccc", padding="4px", margin="0 0 6px 0"))

    def _on_finding(self, change) -> None:
        fid = change["new"]
        if not fid:
            self.baseline.value = ""
            return
        f = self.findings.set_index("finding_id").loc[fid]
        text = f"ค่าตั้งต้น (baseline): <b>{html.escape(format_value(f['baseline'], f['unit']))}</b>"
        if not pd.isna(f["target"]):
            text += f" · เป้าในตารางคะแนน {html.escape(format_value(f['target'], f['unit']))}"
        self.baseline.value = f"<span style='color:#444'>{text}</span>"
        start = f["baseline"] if pd.isna(f["target"]) else f["target"]
        self.target.value = min(max(float(start), self.target.min), self.target.max)

    def row(self) -> PlanRow | None:
        """The row as :func:`check_plan` reads it; None while no finding is chosen (a blank row)."""
        if not self.finding.value:
            return None
        when = {"month": self.when.value or None} if self.horizon == "1y" else {"year": self.when.value or None}
        return row_for(self.findings, self.finding.value, self.horizon, goal_th=self.goal.value.strip(),
                       action_th=self.action.value.strip(), owner=self.owner.value,
                       dimension=self.dimension.value or None, target=float(self.target.value), number=self.number,
                       **when)

    def fill(self, row: PlanRow) -> None:
        """Show ``row`` in the controls (a suggestion the group then edits)."""
        self.finding.value = row.finding_id
        self.goal.value = row.goal_th
        self.action.value = row.action_th
        self.owner.value = row.owner or ""
        self.dimension.value = row.dimension or ""
        if row.target is not None:
            self.target.value = float(row.target)
        if self.horizon == "1y":
            self.when.value = str(row.month) if row.month is not None else ""
        else:
            self.when.value = int(row.year) if row.year else 0


class ActionPlanWidget(ActivityWidget):
    """A district's draft plan on one phone screen."""

    def __init__(self, data: DashboardData, district: str, month=None):
        self.findings = findings(data, district, month)
        self.district = self.findings.attrs["district"]
        self.month = self.findings.attrs["month"]
        self.settings = load_plan_settings()
        months = [(thai_month(p), str(p)) for p in plan_months(self.month, self.settings)]
        years = [(year_label_th(k, self.month), k) for k in range(1, self.settings.years_ahead + 1)]
        self.one_year = [PlanRowControls("1y", i, self.findings, self.month, months)
                         for i in range(1, ONE_YEAR_ROWS + 1)]
        self.five_year = [PlanRowControls("5y", i, self.findings, self.month, years)
                          for i in range(1, FIVE_YEAR_ROWS + 1)]
        self.messages: list[str] = []
        self.plan = ActionPlan(self.district, self.month)
        self.suggest_button = w.Button(description="ใส่ตัวอย่างจากข้อค้นพบ", layout=FULL_WIDTH)
        self.suggest_note = w.HTML(layout=FULL_WIDTH)
        self.check_button = w.Button(description="ตรวจร่างแผน", button_style="primary", layout=FULL_WIDTH)
        self.feedback = w.HTML(layout=FULL_WIDTH)
        self.table_html = w.HTML(layout=FULL_WIDTH)
        self.suggest_button.on_click(self._on_suggest)
        self.check_button.on_click(self._on_check)
        if len(self.findings):
            found = "<ol>" + "".join(f"<li>{html.escape(t)}</li>" for t in self.findings["text_th"]) + "</ol>"
        else:
            found = "<p>แดชบอร์ดเดือนนี้ไม่มีตัวชี้วัดที่ห่างเป้า คอขวด หรือชุมชนที่มีกรณี ให้เลือกเดือนอื่น</p>"
        self.view = w.VBox([
            w.HTML(f"<b>ร่างแผนของเขต{html.escape(self.district)} จากแดชบอร์ดเดือน{thai_month(self.month, long=True)}"
                   f"</b> <span style='color:#b00020'>({SYNTHETIC_MARK})</span>"),
            w.HTML("<h4>สิ่งที่แดชบอร์ดบอก (ข้อค้นพบ)</h4>" + found, layout=FULL_WIDTH),
            w.HTML(f"<h4>{HORIZON_TH['1y']} ({thai_month(plan_months(self.month, self.settings)[0])} ถึง "
                   f"{thai_month(plan_months(self.month, self.settings)[-1])})</h4>"),
            self.suggest_button,
            self.suggest_note,
            *[c.box for c in self.one_year],
            w.HTML(f"<h4>{HORIZON_TH['5y']}</h4><p>แต่ละแถวต่อยอดจากข้อค้นพบที่มีแผน 1 ปีแล้ว</p>"),
            *[c.box for c in self.five_year],
            self.check_button,
            self.feedback,
            self.table_html,
        ], layout=FULL_WIDTH)

    def rows(self) -> list[PlanRow]:
        """The rows that count: those whose finding is chosen, 1-year rows first."""
        return [r for r in (c.row() for c in self.one_year + self.five_year) if r is not None]

    def _on_suggest(self, _button=None) -> None:
        rows = suggested_rows(self.findings, self.settings)[:len(self.one_year)]
        for controls, row in zip(self.one_year, rows):
            controls.fill(row)
        if rows:
            self.suggest_note.value = (f"<p>ใส่ตัวอย่าง {len(rows)} แถวจากข้อค้นพบแล้ว เป็นจุดเริ่ม ไม่ใช่คำตอบ: "
                                       "แก้เป้าหมายและสิ่งที่จะทำให้เป็นของกลุ่ม แล้วเลือกเดือน</p>")
        else:
            self.suggest_note.value = "<p>ไม่มีข้อค้นพบให้ใส่ตัวอย่าง</p>"

    def _on_check(self, _button=None) -> None:
        self.plan = ActionPlan(self.district, self.month, self.rows())
        self.messages = check_plan(self.plan.rows, self.findings, month=self.month, settings=self.settings)
        if self.messages:
            self.feedback.value = (f"<p style='color:{NOT_YET}'>ยังต้องแก้ {len(self.messages)} เรื่อง</p>"
                                   + _lines(self.messages, NOT_YET))
        else:
            self.feedback.value = f"<p style='color:{OK}'><b>{COMPLETE_TH}</b></p>"
        if self.plan.rows:
            table = self.plan.table_th().to_html(index=False, escape=True, border=0)
            self.table_html.value = f"<div style='overflow-x:auto;width:100%'>{table}</div>"
        else:
            self.table_html.value = ""

    def markdown(self) -> str:
        """The plan as last checked, printable (:func:`~simulator.dashboards.action_plan.plan_markdown`)."""
        return self.plan.markdown()


__all__ = ["ActionPlanWidget", "PlanRowControls"]
