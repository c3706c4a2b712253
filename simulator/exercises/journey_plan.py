"""A trainee's journey-of-services plan: goals per dimension and ordered touch points.

Used by the journey builder widget (activities 10 and 11). Every change is checked
first; a bad step raises :class:`PlanError` with a Thai message and leaves the plan
as it was. Dimensions run in parallel; the steps of one dimension follow each other,
and every dimension must finish within the 12-month horizon.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from simulator.model.config import DIMENSIONS, KitConfig
from simulator.thai.vocabulary import DIMENSION_TH

HORIZON_DAYS = 365


class PlanError(ValueError):
    """A step or change the plan cannot accept (message in Thai)."""


@dataclass(frozen=True)
class Step:
    dimension: str
    agency: str
    owner: str
    information_th: str
    days: int


def parse_days(text) -> int:
    """Whole days from what a trainee typed; PlanError in Thai otherwise."""
    if text is None or str(text).strip() == "":
        raise PlanError("กรุณาใส่ระยะเวลาเป็นจำนวนวัน")
    try:
        value = float(str(text).strip())
    except ValueError:
        raise PlanError(f"ระยะเวลา «{text}» ไม่ใช่ตัวเลข กรุณาใส่จำนวนวัน เช่น 14") from None
    if value != int(value):
        raise PlanError("ระยะเวลาต้องเป็นจำนวนวันเต็ม")
    if value <= 0:
        raise PlanError("ระยะเวลาต้องมากกว่า 0 วัน")
    return int(value)


class JourneyPlan:
    """Goals for the active (yellow or red) dimensions of a case and the steps to reach them."""

    def __init__(self, config: KitConfig, active_dimensions: list[str], case_id: str = ""):
        unknown = [d for d in active_dimensions if d not in DIMENSIONS]
        if unknown:
            raise PlanError(f"ไม่รู้จักมิติ {', '.join(unknown)}")
        self.config = config
        self.case_id = case_id
        self.active = list(active_dimensions)
        self.goals: dict[str, str] = {d: "" for d in self.active}
        self.steps: list[Step] = []
        self._agencies = {a.id: a for a in config.goals.agencies}
        self._roles = {r.id: r for r in config.goals.roles}

    # ---- editing ------------------------------------------------------
    def set_goal(self, dimension: str, text: str) -> None:
        if dimension not in self.goals:
            raise PlanError(f"มิติ{DIMENSION_TH.get(dimension, dimension)}ไม่ใช่กลีบสีเหลืองหรือแดงของกรณีนี้")
        self.goals[dimension] = (text or "").strip()

    def validate_step(self, step: Step, without: int | None = None) -> Step:
        if step.dimension not in DIMENSIONS:
            raise PlanError("กรุณาเลือกมิติของขั้นนี้")
        if not step.agency or step.agency not in self._agencies:
            raise PlanError("กรุณาเลือกหน่วยงานของขั้นนี้")
        if not step.owner or step.owner not in self._roles:
            raise PlanError("ทุกขั้นต้องมีผู้รับผิดชอบ กรุณาเลือกผู้รับผิดชอบ")
        days = parse_days(step.days)
        others = [s for i, s in enumerate(self.steps) if i != without and s.dimension == step.dimension]
        end = sum(s.days for s in others) + days
        if end > HORIZON_DAYS:
            raise PlanError(
                f"ขั้นนี้จะสิ้นสุดวันที่ {end} ของแผน เกิน 12 เดือน ({HORIZON_DAYS} วัน) "
                f"ลดระยะเวลาหรือแบ่งงานให้หน่วยงานอื่นทำคู่ขนาน"
            )
        return replace(step, days=days, information_th=(step.information_th or "").strip())

    def add_step(self, step: Step) -> None:
        self.steps.append(self.validate_step(step))

    def remove_step(self, position: int) -> None:
        if not 0 <= position < len(self.steps):
            raise PlanError("กรุณาเลือกขั้นที่จะลบ")
        del self.steps[position]

    def move_step(self, position: int, by: int) -> int:
        """Move a step up (by=-1) or down (by=+1); return its new position."""
        if not 0 <= position < len(self.steps):
            raise PlanError("กรุณาเลือกขั้นที่จะย้าย")
        target = min(max(position + by, 0), len(self.steps) - 1)
        step = self.steps.pop(position)
        self.steps.insert(target, step)
        return target

    # ---- reading ------------------------------------------------------
    def schedule(self) -> pd.DataFrame:
        """Steps with their day offsets: sequential within a dimension, dimensions in parallel."""
        rows, clock = [], {d: 0 for d in DIMENSIONS}
        for i, s in enumerate(self.steps):
            start = clock[s.dimension]
            clock[s.dimension] += s.days
            rows.append({
                "step": i + 1, "dimension": s.dimension, "agency": s.agency,
                "agency_th": self._agencies[s.agency].name_th, "owner": s.owner,
                "owner_th": self._roles[s.owner].name_th, "information_th": s.information_th,
                "days": s.days, "start_day": start, "end_day": start + s.days,
            })
        return pd.DataFrame(rows, columns=["step", "dimension", "agency", "agency_th", "owner", "owner_th",
                                           "information_th", "days", "start_day", "end_day"])

    def problems(self) -> list[str]:
        """What still keeps the plan from being complete, in Thai (empty when it is)."""
        out = []
        for d in self.active:
            if not self.goals.get(d):
                out.append(f"กลีบมิติ{DIMENSION_TH[d]}เป็นสีเหลืองหรือแดง แต่ยังไม่มีเป้าหมาย")
            if not any(s.dimension == d for s in self.steps):
                out.append(f"มิติ{DIMENSION_TH[d]}ยังไม่มีขั้นตอนบริการ")
        for i, s in enumerate(self.steps):
            if not s.owner:
                out.append(f"ขั้นที่ {i + 1} ยังไม่มีผู้รับผิดชอบ")
        sched = self.schedule()
        if not sched.empty and sched["end_day"].max() > HORIZON_DAYS:
            out.append("แผนยาวเกิน 12 เดือน")
        return out

    def describe_step(self, position: int) -> str:
        s = self.steps[position]
        return (f"{position + 1}. [{DIMENSION_TH[s.dimension]}] {self._agencies[s.agency].name_th} · "
                f"{self._roles[s.owner].name_th} · {s.days} วัน · {s.information_th or '-'}")
