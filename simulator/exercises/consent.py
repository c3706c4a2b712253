"""Practising the consent conversation with a simulated parent (activity 12).

The trainee chooses how to explain each part of the plan (one part per yellow or red
dimension) and talks; the parent answers each part from the family's own circumstances
(``simulator/data/conversation.yaml``) and remembers earlier rounds:

* a worried parent (depression, low parenting knowledge or literacy, conflict at home), or
  one with fear or shame (violence at home, drinking, a legal case, no papers), must be
  listened to before anything else works; listening builds trust that lasts, and the parts
  are talked through in the order shown, so listening on the first part opens the rest;
* a poor household (no income, irregular income, debt, relying on the child's earnings)
  needs practical help for a goal that costs travel or income, and only for such a goal;
* a parent with no barrier wants a plain explanation of the benefit; money offered to a
  parent who does not need it does nothing, and offered before trust to a fearful or
  ashamed parent it backfires;
* threats and reading the whole document never work; a threat makes the parent guarded
  again, so the next round must start by listening; what was agreed stays agreed.

After each round every reply carries *why* the parent answered so, from the records the
trainee sees on screen, and, where the records and the simulated truth differ, the truth
as a second layer with its lesson. When every part is agreed, consent is recorded with a
date, one week per conversation after the planning meeting.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import pandas as pd

from simulator.model.config import CONVERSATION_OUTCOMES, KitConfig
from simulator.model.population import Population
from simulator.model.timelines import Timelines
from simulator.thai.dates import thai_date
from simulator.thai.vocabulary import DIMENSION_TH

APPROACHES = {
    "listen": "ถามความกังวลของผู้ปกครองก่อน แล้วค่อยอธิบายเป้าหมายทีละเรื่อง",
    "benefit": "อธิบายด้วยภาษาง่าย ๆ ว่าบริการนี้ช่วยเด็กได้อย่างไร",
    "support": "เสนอความช่วยเหลือที่ทำให้ไปได้จริง เช่น ค่าเดินทาง คนพาไป ช่วยหางาน",
    "rules": "บอกว่าเป็นระเบียบที่ต้องทำตาม ถ้าไม่ทำจะถูกดำเนินการ",
    "document": "อ่านแผนตามเอกสารให้ฟังทั้งฉบับ",
}
RESPONSES = ("agree", "disagree", "unable")
# Which barriers explain the parent's answer in each situation.
_KINDS = {"none": (), "worried": ("worried",), "guarded": ("guarded",), "poor": ("poor",),
          "trusted": ("worried", "guarded")}


class ConversationError(ValueError):
    """An approach the practice does not know, or a part of the plan left unanswered (Thai)."""


@dataclass(frozen=True)
class Barrier:
    """One thing that holds the parent back, and whether the records on screen show it."""

    indicator: str
    kind: str  # worried, guarded or poor
    label_th: str
    said_th: str
    recorded_by: tuple[str, ...]  # Thai labels of who wrote it down (empty: nobody did)


@dataclass(frozen=True)
class ParentProfile:
    """The caregiver: true barriers (the simulated person) and what the records show."""

    name: str
    relation: str
    barriers: tuple[Barrier, ...]
    strengths: tuple[str, ...]
    records: tuple[tuple[str, str, str], ...] = ()  # (label, note, recorded by) about the caregiver
    false_records: tuple[tuple[str, str, str], ...] = ()  # barrier records that are not true: (label, by, kind)

    @property
    def child_word(self) -> str:
        return "ลูก" if self.relation in ("mother", "father") else "หลาน"

    def has(self, kind: str) -> bool:
        return any(b.kind == kind for b in self.barriers)

    @property
    def poverty(self) -> tuple[str, ...]:
        return tuple(b.label_th for b in self.barriers if b.kind == "poor")

    @property
    def needs_listening(self) -> bool:
        return self.has("worried") or self.has("guarded")


@dataclass(frozen=True)
class PlanPart:
    """One part of the plan: a dimension's goal and the services it leads to."""

    dimension: str
    goal_th: str
    subject: str
    agencies: tuple[tuple[str, bool], ...]  # (Thai name, outside the district)
    practical: bool  # costs travel or income: a poor household needs practical help

    @property
    def agency(self) -> str:
        outside = [a for a, out in self.agencies if out]
        return (outside or [a for a, _ in self.agencies] or ["หน่วยบริการ"])[0]


@dataclass
class ParentState:
    """What the parent remembers between parts and rounds."""

    trusted: bool = False
    threatened: bool = False


@dataclass(frozen=True)
class ParentReply:
    dimension: str
    approach: str
    response: str
    text_th: str
    situation: str = "none"
    why_th: str = ""
    truth_th: str = ""
    round: int = 0


def _family_tables(pop: Population, family_id: str) -> dict[str, list[dict]]:
    return {name: getattr(pop, name)[lambda df: df["family_id"] == family_id].to_dict("records")
            for name in _FAMILY_TABLES}


_FAMILY_TABLES = ("indicators", "people", "observations", "strengths")


def parent_profile(pop: Population, family_id: str, tables: dict[str, list[dict]] | None = None) -> ParentProfile:
    """The caregiver of a family; ``tables`` (the family's rows, as records) saves a search."""
    cfg = pop.config
    t = tables if tables is not None else _family_tables(pop, family_id)
    ids = {str(r["indicator_id"]) for r in t["indicators"] if r["subject"] == "parent"}
    carer = next((r for r in t["people"] if r["is_primary_caregiver"]), None)
    name = str(carer["first_name"]) if carer else ""
    relation = str(carer["relation"]) if carer else "other_relative"
    labels = {i.id: i.label_th for i in cfg.catalogue.indicators}
    sources = cfg.population.sources
    obs = [r for r in t["observations"] if r["subject"] == "parent"]
    barriers = tuple(
        Barrier(b.indicator, b.kind, labels[b.indicator], b.said_th,
                tuple(dict.fromkeys(sources[r["source"]].label_th for r in obs
                                    if r["is_true"] and r["indicator_id"] == b.indicator)))
        for b in cfg.conversation.barriers if b.indicator in ids
    )
    kind_of = {b.indicator: b.kind for b in cfg.conversation.barriers}
    strength_labels = {s.id: s.label_th for s in cfg.catalogue.strengths}
    return ParentProfile(
        name=name, relation=relation, barriers=barriers,
        strengths=tuple(strength_labels[str(r["strength_id"])] for r in t["strengths"]),
        records=tuple((labels[str(r["indicator_id"])], str(r["note_th"]), sources[str(r["source"])].label_th) for r in obs),
        false_records=tuple((labels[str(r["indicator_id"])], sources[str(r["source"])].label_th, kind_of[r["indicator_id"]])
                            for r in obs if not r["is_true"] and r["indicator_id"] in kind_of),
    )


def plan_parts(cfg: KitConfig, touch_points: pd.DataFrame | list[dict], dimensions: list[str]) -> list[PlanPart]:
    """The plan's parts, one per dimension, from the case's planned touch points."""
    rows = touch_points.to_dict("records") if isinstance(touch_points, pd.DataFrame) else touch_points
    subjects = {i.id: i.subject for i in cfg.catalogue.indicators}
    outside = {a.name_th: a.outside_district for a in cfg.goals.agencies}
    practical_ids = set(cfg.conversation.practical_goals)
    parts = []
    for d in dimensions:
        tp = [r for r in rows if r["dimension"] == d]
        indicators = list(dict.fromkeys(str(r["indicator_id"]) for r in tp))
        agencies = tuple((a, bool(outside.get(a, False))) for a in dict.fromkeys(str(r["agency_th"]) for r in tp))
        parts.append(PlanPart(
            dimension=d,
            goal_th=str(tp[0]["goal_th"]) if tp else "",
            subject=subjects.get(indicators[0], "child") if indicators else "child",
            agencies=agencies,
            practical=any(out for _, out in agencies) or bool(practical_ids & set(indicators)),
        ))
    return parts


def situation(profile: ParentProfile, state: ParentState, part: PlanPart) -> str:
    """What stands between this parent and a "yes" to this part right now."""
    needs_trust = profile.needs_listening or state.threatened
    if needs_trust and not state.trusted:
        return "guarded" if (profile.has("guarded") or state.threatened) else "worried"
    if profile.has("poor") and part.practical:
        return "poor"
    return "trusted" if needs_trust else "none"


def _evidence(profile: ParentProfile, state: ParentState, sit: str, approach: str = "") -> tuple[str, str]:
    """(what the records on screen support, the simulated truth where it differs)."""
    relevant = [b for b in profile.barriers if b.kind in _KINDS[sit]]
    seen = [b for b in relevant if b.recorded_by]
    unseen = [b for b in relevant if not b.recorded_by]
    if seen:
        visible = "บันทึกบนจอบอกว่า " + ", ".join(f"{b.label_th} ({' และ '.join(b.recorded_by)})" for b in seen)
    elif state.threatened and sit in ("guarded", "trusted") and not relevant:
        visible = "รอบก่อนมีการขู่ ผู้ปกครองจึงระวังตัว"
    elif unseen:
        visible = ("บันทึกบนจอไม่มีเรื่องนี้ ผู้ปกครองเพิ่งเล่าเองในการคุยครั้งนี้ "
                   "คุณจึงไม่ได้เลือกผิดเพราะพลาดข้อมูล")
    else:
        visible = ""
    truth = ""
    if unseen:
        truth = ("ความจริงในโปรแกรมจำลอง: ครอบครัวนี้" + ", ".join(b.label_th for b in unseen)
                 + " แต่ไม่มีใครบันทึกไว้ บทเรียน: การถามและรับฟังทำให้รู้สิ่งที่บันทึกไม่มี")
    elif sit in ("none", "trusted") and approach == "support" and any(k == "poor" for *_, k in profile.false_records):
        truth = ("ความจริงในโปรแกรมจำลอง: บันทึกว่า" + ", ".join(f"{lab} ({by})" for lab, by, k in profile.false_records
                                                              if k == "poor")
                 + " ไม่ตรงกับความจริง บทเรียน: ตรวจสอบบันทึกกับครอบครัวก่อนวางแผน")
    return visible, truth


def answer(cfg: KitConfig, profile: ParentProfile, state: ParentState, part: PlanPart, approach: str,
           round_no: int = 1, variant: int = 0) -> ParentReply:
    """The parent's answer to one part explained in one way; updates what the parent remembers."""
    if approach not in APPROACHES:
        raise ConversationError(f"ไม่รู้จักวิธีอธิบาย «{approach}»")
    if approach == "listen":
        state.trusted = True
    sit = situation(profile, state, part)
    response = CONVERSATION_OUTCOMES[(sit, approach)]
    if approach == "rules":
        state.trusted, state.threatened = False, True
    conv = cfg.conversation
    child = profile.child_word
    words = conv.dimension_words[part.dimension]
    topic = f"{words.child}ของ{child}" if part.subject == "child" else words.parent
    kinds = _KINDS[sit] or ("worried", "guarded")
    said = next((b.said_th for b in profile.barriers if b.kind in kinds), conv.threatened_said_th)
    entry = conv.reply_for(sit, approach)
    text = entry.texts_th[variant % len(entry.texts_th)].format(topic=topic, child=child, said=said, agency=part.agency)
    visible, truth = _evidence(profile, state, sit, approach)
    why = entry.why_th.format(topic=topic, agency=part.agency, evidence=visible).strip()
    return ParentReply(part.dimension, approach, response, text, sit, why, truth, round_no)


class ConsentConversation:
    """One case's conversation: rounds, the parent's replies and memory, and the signed consent."""

    def __init__(self, pop: Population, timelines: Timelines, case_id: str, *, _case: dict | None = None,
                 _family: dict[str, list[dict]] | None = None):
        self.config = pop.config
        self.case_id = case_id
        if _case is None:
            one = timelines.case(case_id)
            _case = {"case": one.cases.iloc[0].to_dict(), "touch_points": one.touch_points.to_dict("records"),
                     "plan": list(one.events.loc[one.events["event"] == "plan_meeting", "date"])}
        self.family_id = str(_case["case"]["family_id"])
        self.dimensions = [d for d in str(_case["case"]["dimensions"]).split(",") if d]
        self.parts = {p.dimension: p for p in plan_parts(pop.config, _case["touch_points"], self.dimensions)}
        self.goals = {d: p.goal_th for d, p in self.parts.items()}
        self.profile = parent_profile(pop, self.family_id, _family)
        self.state = ParentState()
        plan = _case["plan"]
        self.plan_date = pd.Timestamp(plan[0]) if len(plan) else pd.Timestamp(timelines.span[0])
        self.tries = 0
        self.replies: list[ParentReply] = []
        self.history: list[list[ParentReply]] = []
        self.agreed_parts: dict[str, ParentReply] = {}
        self.consent_date: pd.Timestamp | None = None

    @classmethod
    def for_cases(cls, pop: Population, timelines: Timelines, case_ids) -> "dict[str, ConsentConversation]":
        """Fresh conversations for many cases at once (each table is read once, not searched per case)."""
        wanted = set(case_ids)
        cases = timelines.cases[timelines.cases["case_id"].isin(wanted)].to_dict("records")
        families = {c["family_id"] for c in cases}
        tps: dict[str, list[dict]] = {}
        for r in timelines.touch_points[timelines.touch_points["case_id"].isin(wanted)].to_dict("records"):
            tps.setdefault(r["case_id"], []).append(r)
        ev = timelines.events
        plans: dict[str, list] = {}
        for c, d in zip(*ev.loc[(ev["event"] == "plan_meeting") & ev["case_id"].isin(wanted), ["case_id", "date"]].T.to_numpy()):
            plans.setdefault(c, []).append(d)
        fams: dict[str, dict[str, list[dict]]] = {f: {name: [] for name in _FAMILY_TABLES} for f in families}
        for name in _FAMILY_TABLES:
            df = getattr(pop, name)
            for r in df[df["family_id"].isin(families)].to_dict("records"):
                fams[r["family_id"]][name].append(r)
        return {c["case_id"]: cls(pop, timelines, c["case_id"], _family=fams[c["family_id"]],
                                  _case={"case": c, "touch_points": tps.get(c["case_id"], []),
                                         "plan": plans.get(c["case_id"], [])})
                for c in cases}

    def restart(self) -> "ConsentConversation":
        """The same case from the first round again (the parent forgets everything)."""
        fresh = copy.copy(self)
        fresh.state, fresh.tries, fresh.replies, fresh.history = ParentState(), 0, [], []
        fresh.agreed_parts, fresh.consent_date = {}, None
        return fresh

    @property
    def open_dimensions(self) -> list[str]:
        return [d for d in self.dimensions if d not in self.agreed_parts]

    def talk(self, approaches: dict[str, str]) -> list[ParentReply]:
        """One round: an approach for each part not yet agreed, talked through in order."""
        if self.agreed:
            raise ConversationError("ผู้ปกครองลงนามยินยอมแล้ว ไม่ต้องคุยเพิ่ม")
        missing = [DIMENSION_TH[d] for d in self.open_dimensions if not approaches.get(d)]
        if missing:
            raise ConversationError("ยังไม่ได้เลือกวิธีอธิบายเรื่อง: " + ", ".join(missing))
        unknown = [a for d, a in approaches.items() if d in self.open_dimensions and a not in APPROACHES]
        if unknown:
            raise ConversationError(f"ไม่รู้จักวิธีอธิบาย «{unknown[0]}»")
        self.tries += 1
        this_round = []
        for k, d in enumerate(self.open_dimensions):
            r = answer(self.config, self.profile, self.state, self.parts[d], approaches[d], self.tries, self.tries + k)
            this_round.append(r)
        for r in this_round:
            if r.response == "agree":
                self.agreed_parts[r.dimension] = r
        self.history.append(this_round)
        latest = {r.dimension: r for r in this_round}
        self.replies = [latest.get(d, self.agreed_parts.get(d)) for d in self.dimensions]
        if self.agreed and self.consent_date is None:
            # One week between conversations, counted from the planning meeting.
            self.consent_date = self.plan_date + pd.Timedelta(days=7 * self.tries)
        return self.replies

    def rounds_from_records(self, most: int = 6) -> int | None:
        """Rounds a trainee needs who reasons from the records on screen and from each reply.

        They listen first where the records (or a reply) show worry, fear or shame or after a
        threat, offer practical help where the records (or a reply) show a poor household
        and the goal costs travel or income, and explain the benefit otherwise. This is the
        fair yardstick for the trainee's own number of rounds.
        """
        sim = self.restart()
        known = {b.kind for b in self.profile.barriers if b.recorded_by} | {k for *_, k in self.profile.false_records}
        for _ in range(most):
            choice = {}
            for k, d in enumerate(sim.open_dimensions):
                if k == 0 and not sim.state.trusted and (known & {"worried", "guarded"} or sim.state.threatened):
                    choice[d] = "listen"
                else:
                    choice[d] = "support" if "poor" in known and sim.parts[d].practical else "benefit"
            for r in sim.talk(choice):
                if r.situation in ("worried", "guarded", "poor"):
                    known.add(r.situation)
                elif r.situation in ("none", "trusted") and r.approach == "support":
                    known.discard("poor")  # the record of poverty was wrong, or the goal costs nothing
            if sim.agreed:
                return sim.tries
        return None

    @property
    def agreed(self) -> bool:
        return bool(self.dimensions) and all(d in self.agreed_parts for d in self.dimensions)

    def summary_th(self) -> str:
        if self.agreed:
            dims = ", ".join(DIMENSION_TH[d] for d in self.dimensions)
            fair = self.rounds_from_records()
            verdict = ("เท่ากับหรือเร็วกว่าที่บันทึกบนจอรองรับ" if fair is not None and self.tries <= fair
                       else f"ถ้าอ่านบันทึกบนจอและปรับตามคำตอบ ทำได้ใน {fair} ครั้ง")
            return (f"ผู้ปกครองเห็นด้วยทุกเรื่อง (มิติ{dims}) และลงนามยินยอมผ่านโทรศัพท์เมื่อ "
                    f"{thai_date(self.consent_date, long=True)} (พูดคุย {self.tries} ครั้ง {verdict})")
        last = self.history[-1] if self.history else []
        counts = {k: sum(r.response == k for r in last) for k in RESPONSES}
        kept = len(self.agreed_parts) - counts["agree"]
        head = f"ครั้งที่ {self.tries}: " + (f"ตกลงไว้แล้ว {kept} เรื่อง " if kept else "")
        return (head + f"เห็นด้วย {counts['agree']} เรื่อง ไม่เห็นด้วย {counts['disagree']} เรื่อง "
                f"เห็นด้วยแต่ทำไม่ได้ {counts['unable']} เรื่อง อ่านเหตุผลแล้วเปลี่ยนวิธีอธิบายเรื่องที่ยังไม่ตกลง")
