"""Practising the consent conversation with a simulated parent (activity 12).

The trainee chooses how to explain each part of the plan (one part per yellow or red
dimension). The parent answers from the family's own circumstances: a parent without
income agrees but cannot follow through unless practical support is offered; a parent
who is threatened or lectured refuses; a parent with low literacy or depression needs
to be listened to first. When every part is agreed, consent is recorded with a date.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from simulator.model.population import Population
from simulator.thai.vocabulary import DIMENSION_TH
from simulator.thai.dates import thai_date
from simulator.model.timelines import Timelines

APPROACHES = {
    "listen": "ถามความกังวลของผู้ปกครองก่อน แล้วค่อยอธิบายเป้าหมายทีละเรื่อง",
    "benefit": "อธิบายด้วยภาษาง่าย ๆ ว่าบริการนี้ช่วยลูกได้อย่างไร",
    "support": "เสนอความช่วยเหลือที่ทำให้ไปได้จริง เช่น ค่าเดินทาง คนพาไป ช่วยหางาน",
    "rules": "บอกว่าเป็นระเบียบที่ต้องทำตาม ถ้าไม่ทำจะถูกดำเนินการ",
    "document": "อ่านแผนตามเอกสารให้ฟังทั้งฉบับ",
}
POVERTY = {"no_income": "ไม่มีรายได้", "relies_on_child_earnings": "ต้องพึ่งรายได้จากลูก",
           "irregular_income": "รายได้ไม่แน่นอน", "household_debt": "มีหนี้สิน"}
DEFENSIVE = {"domestic_violence", "parent_substance_use", "family_conflict", "parent_legal_case"}
NEEDS_LISTENING = {"parent_depression", "low_parenting_knowledge"}
RESPONSES = ("agree", "disagree", "unable")


class ConversationError(ValueError):
    """An approach the practice does not know, or a part of the plan left unanswered (Thai)."""


@dataclass(frozen=True)
class ParentReply:
    dimension: str
    approach: str
    response: str
    text_th: str


@dataclass(frozen=True)
class ParentProfile:
    """What shapes the parent's answers, read from the family's true indicators."""

    name: str
    poverty: tuple[str, ...]
    defensive: bool
    needs_listening: bool
    strengths: tuple[str, ...]


def parent_profile(pop: Population, family_id: str) -> ParentProfile:
    ind = pop.indicators[pop.indicators["family_id"] == family_id]
    ids = set(ind.loc[ind["subject"] == "parent", "indicator_id"].astype(str))
    people = pop.people[(pop.people["family_id"] == family_id) & pop.people["is_primary_caregiver"]]
    name = str(people["first_name"].iloc[0]) if len(people) else ""
    labels = {s.id: s.label_th for s in pop.config.catalogue.strengths}
    strengths = tuple(labels[s] for s in pop.strengths.loc[pop.strengths["family_id"] == family_id, "strength_id"].astype(str))
    return ParentProfile(
        name=name,
        poverty=tuple(POVERTY[i] for i in POVERTY if i in ids),
        defensive=bool(ids & DEFENSIVE),
        needs_listening=bool(ids & NEEDS_LISTENING),
        strengths=strengths,
    )


def reply(profile: ParentProfile, dimension: str, approach: str) -> ParentReply:
    """The parent's answer to one part of the plan explained in one way."""
    if approach not in APPROACHES:
        raise ConversationError(f"ไม่รู้จักวิธีอธิบาย «{approach}»")
    dim = DIMENSION_TH[dimension]
    if approach == "rules":
        text = ("ผู้ปกครองเงียบไปแล้วพูดว่า 'มาขู่กันแบบนี้ ไม่ต้องมายุ่งกับบ้านฉัน'" if profile.defensive
                else "ผู้ปกครองรู้สึกถูกตำหนิ ตอบว่า 'ถ้าบังคับกันแบบนี้ ขอไม่ร่วมดีกว่า'")
        return ParentReply(dimension, approach, "disagree", text)
    if approach == "document":
        return ParentReply(dimension, approach, "disagree",
                           f"ผู้ปกครองฟังไม่ทัน บอกว่า 'ไม่เข้าใจว่าเรื่อง{dim}ต้องทำอะไรบ้าง ขอคิดดูก่อน'")
    if profile.needs_listening and approach != "listen":
        return ParentReply(dimension, approach, "disagree",
                           "ผู้ปกครองดูเหนื่อยและกังวล ตอบสั้น ๆ ว่า 'ตอนนี้ยังไม่ไหว ขอคิดดูก่อน' ลองถามความรู้สึกก่อน")
    if profile.poverty and approach != "support":
        why = " และ".join(profile.poverty)
        return ParentReply(dimension, approach, "unable",
                           f"ผู้ปกครองตอบว่า 'อยากให้ลูกได้นะ แต่ {why} ถ้าต้องหยุดงานพาไปก็ไม่มีกิน'")
    agree_text = {
        "listen": f"ผู้ปกครองเล่าความกังวลให้ฟัง แล้วตอบว่า 'ถ้ามีคนช่วยแบบนี้ เรื่อง{dim}ก็ลองดู'",
        "benefit": f"ผู้ปกครองพยักหน้า 'ถ้าช่วยลูกได้ เรื่อง{dim}ก็ยินดีทำ'",
        "support": f"ผู้ปกครองโล่งใจ 'ถ้ามีคนพาไปและช่วยค่ารถ เรื่อง{dim}ไปได้แน่นอน'",
    }[approach]
    return ParentReply(dimension, approach, "agree", agree_text)


class ConsentConversation:
    """One case's conversation: tries, the parent's latest replies, and the signed consent."""

    def __init__(self, pop: Population, timelines: Timelines, case_id: str):
        self.case_id = case_id
        one = timelines.case(case_id)
        self.family_id = str(one.cases["family_id"].iloc[0])
        self.dimensions = [d for d in str(one.cases["dimensions"].iloc[0]).split(",") if d]
        goals = one.touch_points.drop_duplicates("dimension").set_index("dimension")["goal_th"].astype(str)
        self.goals = {d: goals.get(d, "") for d in self.dimensions}
        self.profile = parent_profile(pop, self.family_id)
        plan = one.events.loc[one.events["event"] == "plan_meeting", "date"]
        self.plan_date = pd.Timestamp(plan.iloc[0]) if len(plan) else pd.Timestamp(timelines.span[0])
        self.tries = 0
        self.replies: list[ParentReply] = []
        self.consent_date: pd.Timestamp | None = None

    def talk(self, approaches: dict[str, str]) -> list[ParentReply]:
        """One conversation round: an approach per part of the plan; the parent answers each."""
        missing = [DIMENSION_TH[d] for d in self.dimensions if not approaches.get(d)]
        if missing:
            raise ConversationError("ยังไม่ได้เลือกวิธีอธิบายเรื่อง: " + ", ".join(missing))
        self.tries += 1
        self.replies = [reply(self.profile, d, approaches[d]) for d in self.dimensions]
        if self.agreed and self.consent_date is None:
            # One week between conversations, counted from the planning meeting.
            self.consent_date = self.plan_date + pd.Timedelta(days=7 * self.tries)
        return self.replies

    @property
    def agreed(self) -> bool:
        return bool(self.replies) and all(r.response == "agree" for r in self.replies)

    def summary_th(self) -> str:
        if self.agreed:
            return (f"ผู้ปกครองเห็นด้วยทุกเรื่อง และลงนามยินยอมผ่านโทรศัพท์เมื่อ {thai_date(self.consent_date, long=True)} "
                    f"(พูดคุย {self.tries} ครั้ง)")
        counts = {k: sum(r.response == k for r in self.replies) for k in RESPONSES}
        return (f"ครั้งที่ {self.tries}: เห็นด้วย {counts['agree']} เรื่อง ไม่เห็นด้วย {counts['disagree']} เรื่อง "
                f"เห็นด้วยแต่ทำไม่ได้ {counts['unable']} เรื่อง ลองเปลี่ยนวิธีอธิบายแล้วคุยอีกครั้ง")
