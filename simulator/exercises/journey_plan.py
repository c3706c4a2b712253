"""A trainee's journey-of-services plan: goals per petal and ordered touch points.

Used by the journey builder widget (activities 10 and 11). Every change is checked
first; a step that cannot be read (no agency, no owner, days that are not a number,
past the 12-month horizon) raises :class:`PlanError` with a Thai message and leaves
the plan as it was. What the plan *means* is checked by :meth:`JourneyPlan.problems`,
one Thai message per problem, naming the step:

* **one goal per yellow/red petal**: the child's and the parent's petals of a dimension
  are separate slots (``child_social``, ``parent_social``); a goal that names the other
  person first (the words in ``goals.yaml`` ``goal_subjects``) is in the wrong slot;
* **every goal has steps**, and each step serves one slot (its subject and dimension);
* **the first step of a goal is its owner**: its agency belongs to the goal's dimension
  (a school is education, a police station governance). Later steps may be at agencies
  of other dimensions, as real journeys are, but every step's owner must work in the
  dimension of the step's agency (``roles[].dimensions``): a police officer never owns
  a step at a school, nor a social goal;
* **information passed on** (what this step sends to whom) is written for every step;
* **no duplicate steps** (same dimension, agency, owner and information);
* a case on the **legal path** has a temporary-shelter step and a reunification step
  (``goals.yaml`` ``legal_path``), marked as such, with an agency and owner allowed for it;
* dimensions run in parallel; the steps of one dimension follow each other, and every
  dimension must finish within the 12-month horizon.

Only petals the trainee was shown as yellow or red get a slot, so the checker never asks
for a goal the records on screen do not support.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import pandas as pd

from simulator.model.config import DIMENSIONS, Goal, KitConfig
from simulator.thai.dates import thai_date
from simulator.thai.vocabulary import DIMENSION_TH, OUTCOME_TH, SUBJECT_TH

HORIZON_DAYS = 365
SUBJECTS = ("child", "parent")
SEVERITY_RANK = {"green": 0, "yellow": 1, "red": 2}


class PlanError(ValueError):
    """A step or change the plan cannot accept (message in Thai)."""


@dataclass(frozen=True)
class Step:
    dimension: str
    agency: str
    owner: str
    information_th: str
    days: int
    subject: str = ""  # whose goal the step serves: "child" or "parent" ("" = the dimension's only goal)
    purpose: str = ""  # the id of a goals.yaml legal_path step when this step is that step


def slot_key(subject: str, dimension: str) -> str:
    return f"{subject}_{dimension}"


def slot_label_th(slot: str) -> str:
    subject, dimension = slot.split("_", 1)
    return f"{SUBJECT_TH[subject]} · มิติ{DIMENSION_TH[dimension]}"


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


def goal_subject(text: str, config: KitConfig) -> str | None:
    """Whose goal a Thai goal text is: the subject named first ("child"/"parent"), None if neither."""
    words = config.goals.goal_subjects
    best: tuple[int, int, str] | None = None
    for subject in SUBJECTS:
        for word in getattr(words, subject):
            at = (text or "").find(word)
            if at >= 0 and (best is None or (at, -len(word)) < best[:2]):
                best = (at, -len(word), subject)
    return best[2] if best else None


def _same_text(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


class JourneyPlan:
    """Goals for the yellow or red petals of a case and the steps to reach them.

    ``active`` lists petal slots such as ``"child_social"`` or ``"parent_health"``; a bare
    dimension (``"social"``) means the child's petal of that dimension.
    """

    def __init__(self, config: KitConfig, active: list[str], case_id: str = "", legal_path: bool = False):
        slots = []
        for item in active:
            subject, _, dimension = item.rpartition("_") if "_" in item else ("child", "", item)
            if subject not in SUBJECTS or dimension not in DIMENSIONS:
                raise PlanError(f"ไม่รู้จักกลีบหรือมิติ {item}")
            slots.append(slot_key(subject, dimension))
        order = {slot_key(s, d): (i, j) for i, d in enumerate(DIMENSIONS) for j, s in enumerate(SUBJECTS)}
        self.config = config
        self.case_id = case_id
        self.legal_path = legal_path
        self.slots: list[str] = sorted(dict.fromkeys(slots), key=order.__getitem__)
        self.active: list[str] = list(dict.fromkeys(s.split("_", 1)[1] for s in self.slots))
        self.goals: dict[str, str] = {s: "" for s in self.slots}
        self.steps: list[Step] = []
        self._agencies = {a.id: a for a in config.goals.agencies}
        self._roles = {r.id: r for r in config.goals.roles}
        self._legal = {s.id: s for s in config.goals.legal_path}

    # ---- editing ------------------------------------------------------
    def _slot(self, dimension: str, subject: str = "") -> str:
        if subject:
            slot = slot_key(subject, dimension)
            if slot not in self.goals:
                raise PlanError(f"กลีบ{slot_label_th(slot) if subject in SUBJECTS and dimension in DIMENSIONS else slot}"
                                f"ไม่ใช่กลีบสีเหลืองหรือแดงของกรณีนี้")
            return slot
        here = [s for s in self.slots if s.endswith("_" + dimension)]
        if not here:
            raise PlanError(f"มิติ{DIMENSION_TH.get(dimension, dimension)}ไม่ใช่กลีบสีเหลืองหรือแดงของกรณีนี้")
        if len(here) > 1:
            raise PlanError(f"มิติ{DIMENSION_TH[dimension]}มีเป้าหมายทั้งของเด็กและของผู้ปกครอง "
                            f"กรุณาเลือกว่าเป็นเป้าหมายของใคร")
        return here[0]

    def set_goal(self, slot: str, text: str) -> None:
        """Write the goal of a petal slot (``"parent_social"``; a bare dimension if it has one slot)."""
        if slot not in self.goals:
            subject, _, dimension = slot.rpartition("_") if "_" in slot else ("", "", slot)
            slot = self._slot(dimension, subject if subject in SUBJECTS else "")
        self.goals[slot] = (text or "").strip()

    def validate_step(self, step: Step, without: int | None = None) -> Step:
        if step.dimension not in DIMENSIONS:
            raise PlanError("กรุณาเลือกเป้าหมายหรือมิติของขั้นนี้")
        slot = self._slot(step.dimension, step.subject)
        if not step.agency or step.agency not in self._agencies:
            raise PlanError("กรุณาเลือกหน่วยงานของขั้นนี้")
        if not step.owner or step.owner not in self._roles:
            raise PlanError("ทุกขั้นต้องมีผู้รับผิดชอบ กรุณาเลือกผู้รับผิดชอบ")
        if step.purpose and step.purpose not in self._legal:
            raise PlanError("ไม่รู้จักประเภทของขั้นนี้ กรุณาเลือกจากรายการ")
        days = parse_days(step.days)
        others = [s for i, s in enumerate(self.steps) if i != without and s.dimension == step.dimension]
        end = sum(s.days for s in others) + days
        if end > HORIZON_DAYS:
            raise PlanError(
                f"ขั้นนี้จะสิ้นสุดวันที่ {end} ของแผน เกิน 12 เดือน ({HORIZON_DAYS} วัน) "
                f"ลดระยะเวลาหรือแบ่งงานให้หน่วยงานอื่นทำคู่ขนาน"
            )
        return replace(step, days=days, subject=slot.split("_", 1)[0],
                       information_th=(step.information_th or "").strip())

    def add_step(self, step: Step) -> None:
        self.steps.append(self.validate_step(step))

    def replace_step(self, position: int, step: Step) -> None:
        """Put a corrected step in place of the one at ``position`` (checked first; nothing changes on error)."""
        if not 0 <= position < len(self.steps):
            raise PlanError("กรุณาเลือกขั้นที่จะแก้")
        self.steps[position] = self.validate_step(step, without=position)

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

    def use_example(self, examples: dict[str, Goal]) -> None:
        """Fill empty goals from the catalogue and, if there are no steps yet, its touch points.

        ``examples`` maps slots to catalogue goals (see :func:`example_goals`). A legal-path
        plan also gets the shelter step after the first step and the reunification step at
        the end of the child's goal (the social one when the child has it). A step two goals
        of one dimension share is planned once. A dimension whose
        example would run past 12 months has its days shortened in proportion.
        """
        for slot, goal in examples.items():
            if slot in self.goals and not self.goals[slot]:
                self.goals[slot] = goal.goal_th
        if self.steps:
            return
        planned: dict[str, list[Step]] = {}
        for slot in self.slots:
            if slot not in examples:
                continue
            subject, dimension = slot.split("_", 1)
            planned[slot] = [Step(dimension, tp.agency, tp.role, tp.information_th, tp.days, subject)
                             for tp in examples[slot].touch_points]
        if self.legal_path and planned:
            children = [s for s in planned if s.startswith("child_")]
            slot = "child_social" if "child_social" in planned else (children or list(planned))[0]
            subject, dimension = slot.split("_", 1)
            legal = [Step(dimension, s.example.agency, s.example.role, s.example.information_th, s.example.days,
                          subject, s.id) for s in self.config.goals.legal_path]
            planned[slot] = planned[slot][:1] + legal[:1] + planned[slot][1:] + legal[1:]
        seen: set[tuple[str, str, str, str]] = set()
        for slot, steps in planned.items():  # a step two goals of a dimension share is planned once
            kept = []
            for s in steps:
                key = (s.dimension, s.agency, s.owner, _same_text(s.information_th))
                if key not in seen:
                    seen.add(key)
                    kept.append(s)
            planned[slot] = kept
        for dimension in DIMENSIONS:
            here = [s for slot, steps in planned.items() if slot.endswith("_" + dimension) for s in steps]
            total = sum(s.days for s in here)
            if total > HORIZON_DAYS:
                for slot, steps in planned.items():
                    if slot.endswith("_" + dimension):
                        planned[slot] = [replace(s, days=max(1, s.days * HORIZON_DAYS // total)) for s in steps]
        for steps in planned.values():
            self.steps.extend(steps)

    # ---- reading ------------------------------------------------------
    def schedule(self) -> pd.DataFrame:
        """Steps with their day offsets: sequential within a dimension, dimensions in parallel."""
        rows, clock = [], {d: 0 for d in DIMENSIONS}
        for i, s in enumerate(self.steps):
            start = clock[s.dimension]
            clock[s.dimension] += s.days
            rows.append({
                "step": i + 1, "dimension": s.dimension, "subject": s.subject, "agency": s.agency,
                "agency_th": self._agencies[s.agency].name_th, "owner": s.owner,
                "owner_th": self._roles[s.owner].name_th, "information_th": s.information_th,
                "days": s.days, "start_day": start, "end_day": start + s.days,
            })
        return pd.DataFrame(rows, columns=["step", "dimension", "subject", "agency", "agency_th", "owner", "owner_th",
                                           "information_th", "days", "start_day", "end_day"])

    def problems(self) -> list[str]:
        """What still keeps the plan from being complete, in Thai (empty when it is)."""
        out = []
        for slot in self.slots:
            subject, dimension = slot.split("_", 1)
            goal = self.goals.get(slot, "")
            if not goal:
                out.append(f"กลีบ{slot_label_th(slot)}เป็นสีเหลืองหรือแดง แต่ยังไม่มีเป้าหมาย")
            else:
                other = goal_subject(goal, self.config)
                if other is not None and other != subject:
                    out.append(f"เป้าหมายในช่อง{slot_label_th(slot)}เขียนถึง{SUBJECT_TH[other]} («{goal[:40]}») "
                               f"เป้าหมายของ{SUBJECT_TH[other]}ต้องอยู่ในช่องของ{SUBJECT_TH[other]} "
                               f"ช่องนี้ให้เขียนสิ่งที่{SUBJECT_TH[subject]}จะเปลี่ยนหรือได้รับ")
            if not any(slot_key(s.subject, s.dimension) == slot for s in self.steps):
                out.append(f"เป้าหมายของ{slot_label_th(slot)}ยังไม่มีขั้นตอนบริการ")
        seen: dict[tuple[str, str, str, str], int] = {}
        leads: set[str] = set()
        for i, s in enumerate(self.steps):
            n = i + 1
            agency, role = self._agencies.get(s.agency), self._roles.get(s.owner)
            if role is None:
                out.append(f"ขั้นที่ {n} ยังไม่มีผู้รับผิดชอบ")
            if not s.information_th.strip():
                out.append(f"ขั้นที่ {n} ยังไม่ได้ระบุข้อมูลที่ส่งต่อ: ขั้นนี้ส่งข้อมูลอะไรให้ใคร")
            slot = slot_key(s.subject, s.dimension)
            if agency is not None and slot not in leads:
                leads.add(slot)
                if agency.dimension != s.dimension:
                    out.append(f"ขั้นที่ {n} เป็นขั้นแรก จึงเป็นเจ้าของเป้าหมายของ{slot_label_th(slot)} "
                               f"แต่{agency.name_th}เป็นหน่วยงานมิติ{DIMENSION_TH[agency.dimension]} "
                               f"ขั้นแรกต้องเป็นหน่วยงานมิติ{DIMENSION_TH[s.dimension]}")
            if agency is not None and role is not None and agency.dimension not in role.dimensions:
                works = " ".join(f"มิติ{DIMENSION_TH[d]}" for d in role.dimensions)
                out.append(f"ขั้นที่ {n}: {role.name_th}ทำงาน{works} ไม่ได้รับผิดชอบงานที่{agency.name_th} "
                           f"(หน่วยงานมิติ{DIMENSION_TH[agency.dimension]}) เลือกผู้รับผิดชอบของหน่วยงานนั้น")
            key = (s.dimension, s.agency, s.owner, _same_text(s.information_th))
            if key in seen:
                out.append(f"ขั้นที่ {n} ซ้ำกับขั้นที่ {seen[key]} (มิติ หน่วยงาน ผู้รับผิดชอบ และข้อมูลที่ส่งต่อเหมือนกัน) "
                           f"ลบขั้นใดขั้นหนึ่ง")
            else:
                seen[key] = n
        if self.legal_path:
            for legal in self.config.goals.legal_path:
                marked = [(i + 1, s) for i, s in enumerate(self.steps) if s.purpose == legal.id]
                if not marked:
                    out.append(f"กรณีนี้ผ่านช่องทางตามกฎหมาย (เด็กถูกแยกจากครอบครัว) แต่แผนยังไม่มีขั้น{legal.label_th}")
                for n, s in marked:
                    if s.agency not in legal.agencies or s.owner not in legal.roles:
                        where = " หรือ ".join(self._agencies[a].name_th for a in legal.agencies)
                        who = " หรือ ".join(self._roles[r].name_th for r in legal.roles)
                        out.append(f"ขั้นที่ {n} ({legal.label_th}) ต้องทำที่{where} โดย{who}")
        sched = self.schedule()
        if not sched.empty and sched["end_day"].max() > HORIZON_DAYS:
            out.append("แผนยาวเกิน 12 เดือน")
        return out

    def describe_step(self, position: int) -> str:
        s = self.steps[position]
        purpose = f" · {self._legal[s.purpose].label_th}" if s.purpose else ""
        return (f"{position + 1}. [{slot_label_th(slot_key(s.subject, s.dimension))}] {self._agencies[s.agency].name_th} · "
                f"{self._roles[s.owner].name_th} · {s.days} วัน · {s.information_th or '-'}{purpose}")


def shown_slots(petals: dict[str, str]) -> list[str]:
    """The petal slots a trainee was shown as yellow or red (``{"child_social": "red", ...}``)."""
    return [p for p, colour in petals.items() if colour in ("yellow", "red")]


def example_goals(config: KitConfig, indicators: pd.DataFrame, slots: list[str]) -> dict[str, Goal]:
    """For each slot, the catalogue goal of the family's worst indicator of that subject and dimension.

    ``indicators`` holds the family's rows of ``Population.indicators`` (``indicator_id``,
    ``subject``, ``dimension``, ``severity``); ties go to the catalogue's order.
    """
    goals = config.goals.for_indicator()
    order = {i.id: n for n, i in enumerate(config.catalogue.indicators)}
    out = {}
    for slot in slots:
        subject, dimension = slot.split("_", 1)
        here = indicators[(indicators["subject"] == subject) & (indicators["dimension"] == dimension)]
        if here.empty:
            continue
        best = min(here.itertuples(), key=lambda r: (-SEVERITY_RANK.get(r.severity, 0), order.get(r.indicator_id, 0)))
        out[slot] = goals[best.indicator_id]
    return out


def real_journey_lesson_th(timelines, case_id: str, plan: JourneyPlan | None = None) -> list[str]:
    """What the simulated case really went through, and what a plan can learn from it (Thai)."""
    one = timelines.case(case_id)
    c = one.cases.iloc[0]
    out = []
    if pd.notna(c["noticed_date"]) and pd.notna(c["onset_date"]):
        out.append(f"ปัญหาเริ่มวันที่ {thai_date(c['onset_date'])} มีคนพบวันที่ {thai_date(c['noticed_date'])} "
                   f"(ผ่านไป {(c['noticed_date'] - c['onset_date']).days} วัน)"
                   + (f" และได้ประชุมวางแผนวันที่ {thai_date(c['plan_date'])}" if pd.notna(c["plan_date"]) else ""))
    rounds = int(c["consent_rounds"])
    if rounds:
        signed = f"ลงนามยินยอมวันที่ {thai_date(c['consent_date'])}" if pd.notna(c["consent_date"]) else "ยังไม่ได้ลงนามยินยอม"
        out.append(f"อธิบายแผนให้ผู้ปกครอง {rounds} ครั้ง {signed}: แผนที่ดีต้องอธิบายได้และผู้ปกครองทำได้จริง")
    if bool(c["separated"]):
        out.append("ผู้ปกครองปฏิเสธแผน ผู้อำนวยการเขตในฐานะพนักงานเจ้าหน้าที่จึงแยกเด็กไปบ้านพักชั่วคราว "
                   "แผนจึงต้องมีทั้งขั้นบ้านพักชั่วคราวและขั้นการคืนเด็กสู่ครอบครัว ไม่ใช่จบที่การแยกเด็ก")
    if int(c["revisions"]):
        out.append(f"ปรับแผน {int(c['revisions'])} ครั้งเมื่อเป้าหมายไม่สำเร็จตามกำหนด: เป้าหมายที่วัดได้ทำให้รู้ว่าต้องปรับเมื่อไร")
    if int(c["appointments_missed"]):
        out.append(f"พลาดนัด {int(c['appointments_missed'])} ครั้ง: ขั้นที่อยู่นอกเขตต้องมีคนพาไปและเบิกค่าเดินทางได้")
    if bool(c["lost_between_agencies"]):
        out.append("เรื่องหายระหว่างหน่วยงาน: ขั้นที่ไม่ได้ระบุข้อมูลที่ส่งต่อคือจุดที่เรื่องหายบ่อยที่สุด")
    out.append(f"ผลเมื่อสิ้นปี 2568: {OUTCOME_TH.get(str(c['outcome']), str(c['outcome']))} "
               f"(บรรลุ {int(c['goals_met'])} จาก {int(c['goals_planned'])} เป้าหมาย)")
    tps = one.touch_points
    for dimension in DIMENSIONS:
        real = tps[tps["dimension"] == dimension].sort_values("step")
        if real.empty:
            continue
        first = real.iloc[0]
        line = (f"แผนจริงมิติ{DIMENSION_TH[dimension]}: {len(real)} ขั้น เริ่มที่{first['agency_th']} "
                f"โดย{first['role_th']}")
        if plan is not None:
            mine = [s for s in plan.steps if s.dimension == dimension]
            if mine:
                line += (f" · แผนของกลุ่ม: {len(mine)} ขั้น เริ่มที่{plan._agencies[mine[0].agency].name_th} "
                         f"โดย{plan._roles[mine[0].owner].name_th}")
            else:
                line += " · แผนของกลุ่มยังไม่มีขั้นในมิตินี้"
        out.append(line)
    return out
