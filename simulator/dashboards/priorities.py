"""Activity 6: sort a community's families by their petals, then agree at most three priorities.

The trainee sees each family's eight petals as the volunteers and providers recorded them
(the ``petals`` table) and does two things:

1. sorts every family into emergency (any red petal), complex (a yellow petal, no red) or
   routine (all green), the rule of the petal model;
2. picks the cases the community takes to workshop 2: at most ``limit`` (3) per community,
   favouring emergency and then complex cases.

Both steps are graded on the petals on screen. The second layer shows what the simulated
world did next to each family (how long until a plan, whether the case was lost between
agencies), so the group sees what waiting costs the families left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from simulator.dashboards.tables import PETAL_COLUMNS, DashboardData
from simulator.thai.vocabulary import CASE_LEVEL_TH, COLOUR_TH, DIMENSION_TH, SUBJECT_TH

SORT_LEVELS = ("emergency", "complex", "routine")
SORT_LEVELS_TH = {level: CASE_LEVEL_TH[level] for level in SORT_LEVELS}
LIMIT = 3
RANK = {"emergency": 0, "complex": 1, "routine": 2}


def level_of_petals(petals: pd.DataFrame) -> pd.Series:
    """The sorting rule on recorded petals: any red is emergency, else any yellow complex, else routine."""
    colours = petals[list(PETAL_COLUMNS)].astype(str)
    red = (colours == "red").any(axis=1)
    yellow = (colours == "yellow").any(axis=1)
    return pd.Series(np.where(red, "emergency", np.where(yellow, "complex", "routine")), index=petals.index)


def petal_words(row: pd.Series) -> str:
    """``เด็ก: สังคม แดง, สุขภาพ เหลือง · ผู้ปกครอง: การศึกษา เหลือง`` (green petals left out)."""
    parts = []
    for subject in ("child", "parent"):
        coloured = [f"{DIMENSION_TH[c.split('_', 1)[1]]} {COLOUR_TH[str(row[c])]}"
                    for c in PETAL_COLUMNS if c.startswith(subject) and str(row[c]) != "green"]
        parts.append(f"{SUBJECT_TH[subject]}: {', '.join(coloured) if coloured else 'เขียวทุกกลีบ'}")
    return " · ".join(parts)


@dataclass
class SortFeedback:
    correct: dict[str, bool]
    expected: dict[str, str]
    messages: list[str]

    @property
    def score(self) -> int:
        return sum(self.correct.values())


@dataclass
class PriorityFeedback:
    accepted: bool
    messages: list[str]
    truth: list[str] = field(default_factory=list)


class PriorityExercise:
    """A batch of one community's families to sort and prioritise.

    ``size`` families are drawn with ``seed`` from the community's families that have any
    recorded petal that is not green (a routine family or two is kept so sorting is a real
    choice): up to two emergency, then complex, then routine, shuffled.
    """

    def __init__(self, data: DashboardData, community: str, seed: int, size: int = 8, limit: int = LIMIT,
                 district: str | None = None):
        self.data, self.community, self.limit, self.district = data, community, limit, district
        hh = data.households
        here = hh["community"].astype(str) == community
        if district is not None:
            here &= hh["district"].astype(str) == district
        families = hh.loc[here, "family_id"]
        if families.empty:
            raise ValueError(f"no family lives in community {community!r}"
                             + (f" of district {district!r}" if district else ""))
        if district is None and hh.loc[here, "district"].nunique() > 1:
            raise ValueError(f"community name {community!r} is used in more than one district; give district=")
        petals = data.petals[data.petals["family_id"].isin(families)].set_index("family_id")
        level = level_of_petals(petals)
        coloured = petals[(petals[list(PETAL_COLUMNS)].astype(str) != "green").any(axis=1)]
        rng = np.random.default_rng([seed, 6])
        pools = {lv: list(coloured.index[level.loc[coloured.index] == lv]) for lv in SORT_LEVELS}
        green = list(petals.index[level == "routine"].difference(coloured.index))
        wanted = {"emergency": 2, "routine": 1}
        picked = []
        for lv in ("emergency", "routine"):
            pool = pools[lv] or (green if lv == "routine" else [])
            picked += list(rng.choice(pool, size=min(wanted[lv], len(pool)), replace=False))
        complex_pool = pools["complex"]
        picked += list(rng.choice(complex_pool, size=min(size - len(picked), len(complex_pool)), replace=False))
        order = rng.permutation(len(picked))
        self.family_ids: list[str] = [str(picked[i]) for i in order]
        self.petals = petals.loc[self.family_ids]
        self.levels: dict[str, str] = level.loc[self.family_ids].to_dict()

    def table(self) -> pd.DataFrame:
        """What the trainee reads: family, its coloured petals in words, red and yellow counts."""
        colours = self.petals[list(PETAL_COLUMNS)].astype(str)
        return pd.DataFrame({
            "ครอบครัว": self.family_ids,
            "กลีบที่ไม่ใช่สีเขียว": [petal_words(self.petals.loc[f]) for f in self.family_ids],
            "แดง": (colours == "red").sum(axis=1).to_numpy(),
            "เหลือง": (colours == "yellow").sum(axis=1).to_numpy(),
        })

    def check_sorting(self, answers: dict[str, str | None]) -> SortFeedback:
        """Compare each family's chosen level with the petal rule; every family needs an answer."""
        missing = [f for f in self.family_ids if not answers.get(f)]
        if missing:
            raise ValueError("ยังไม่ได้เลือกระดับของครอบครัว " + ", ".join(missing))
        correct, messages = {}, []
        for fid in self.family_ids:
            want, got = self.levels[fid], answers[fid]
            correct[fid] = want == got
            if want == got:
                messages.append(f"✔ {fid}: {SORT_LEVELS_TH[want]}")
            else:
                why = {"emergency": "มีกลีบสีแดงอย่างน้อยหนึ่งกลีบ",
                       "complex": "ไม่มีกลีบสีแดง แต่มีกลีบสีเหลือง",
                       "routine": "ทุกกลีบเป็นสีเขียว"}[want]
                messages.append(f"✘ {fid}: ตอบ {SORT_LEVELS_TH.get(got, got)} แต่ควรเป็น "
                                f"{SORT_LEVELS_TH[want]} เพราะ{why}")
        return SortFeedback(correct, dict(self.levels), messages)

    def best_priorities(self) -> list[str]:
        """One right choice: by level, then more red petals, then more yellow petals."""
        colours = self.petals[list(PETAL_COLUMNS)].astype(str)
        key = pd.DataFrame({"rank": [RANK[self.levels[f]] for f in self.family_ids],
                            "red": -(colours == "red").sum(axis=1).to_numpy(),
                            "yellow": -(colours == "yellow").sum(axis=1).to_numpy()}, index=self.family_ids)
        ranked = key.sort_values(["rank", "red", "yellow"], kind="stable")
        return [f for f in ranked.index if self.levels[f] != "routine"][: self.limit]

    def check_priorities(self, chosen: list[str]) -> PriorityFeedback:
        """Accept any choice that follows the rule: at most ``limit`` cases, no routine case while a
        complex or emergency one is left out, and every emergency before any complex case."""
        chosen = list(dict.fromkeys(chosen))
        unknown = [f for f in chosen if f not in self.levels]
        if unknown:
            raise ValueError("ไม่มีครอบครัว " + ", ".join(unknown) + " ในชุดนี้")
        messages = []
        if not chosen:
            return PriorityFeedback(False, ["ยังไม่ได้เลือกครอบครัว เลือกได้ไม่เกิน "
                                            f"{self.limit} ครอบครัว"])
        if len(chosen) > self.limit:
            messages.append(f"เลือกไว้ {len(chosen)} ครอบครัว แต่ชุมชนหนึ่งนำกรณีไปได้ไม่เกิน {self.limit} กรณี")
        left = [f for f in self.family_ids if f not in chosen]
        by_level = {lv: [f for f in self.family_ids if self.levels[f] == lv] for lv in SORT_LEVELS}
        slots = min(self.limit, len(by_level["emergency"]) + len(by_level["complex"]))
        if len(chosen) < slots:
            messages.append(f"ยังเลือกได้อีก {slots - len(chosen)} กรณี: ยังมีกรณีฉุกเฉินหรือซับซ้อนที่รออยู่")
        for fid in chosen:
            if self.levels[fid] == "routine" and any(self.levels[f] != "routine" for f in left):
                messages.append(f"{fid} เป็นกรณีปกติ (กลีบเขียวทุกกลีบ) ขณะที่ยังมีกรณีฉุกเฉินหรือซับซ้อนที่ไม่ได้เลือก")
        left_emergency = [f for f in by_level["emergency"] if f not in chosen]
        chosen_complex = [f for f in chosen if self.levels[f] == "complex"]
        if left_emergency and (chosen_complex or len(chosen) < self.limit):
            messages.append("กรณีฉุกเฉิน " + ", ".join(left_emergency) + " มีกลีบสีแดง ควรได้รับเลือกก่อนกรณีซับซ้อน")
        accepted = not messages
        if accepted:
            messages.append("✔ ลำดับความสำคัญเป็นไปตามกติกา: กรณีฉุกเฉินก่อน แล้วจึงเป็นกรณีซับซ้อน ไม่เกิน "
                            f"{self.limit} กรณีต่อชุมชน")
        return PriorityFeedback(accepted, messages, self.what_happened(chosen))

    def what_happened(self, chosen: list[str]) -> list[str]:
        """The second layer: what the simulated world did next, for each family of the batch."""
        cases = self.data.cases.set_index("family_id")
        lines = []
        for fid in self.family_ids:
            mark = "เลือก" if fid in chosen else "ไม่ได้เลือก"
            if fid not in cases.index:
                lines.append(f"{fid} ({mark}): ไม่มีกรณีในเส้นเวลา ครอบครัวได้รับการดูแลตามรอบปกติ")
                continue
            case = cases.loc[fid]
            if pd.notna(case["plan_date"]) and pd.notna(case["noticed_date"]):
                wait = int((case["plan_date"] - case["noticed_date"]).days)
                text = f"ได้ประชุมวางแผนหลังพบปัญหา {wait} วัน"
            elif pd.notna(case["noticed_date"]):
                wait = int((self.data.as_of - case["noticed_date"]).days)
                text = f"พบปัญหาแล้ว {wait} วัน ยังไม่มีแผน"
            else:
                text = "ยังไม่มีใครพบปัญหา"
            lines.append(f"{fid} ({mark}, {SORT_LEVELS_TH[self.levels[fid]]}): {text}")
        return lines


__all__ = ["LIMIT", "SORT_LEVELS", "SORT_LEVELS_TH", "PriorityExercise", "PriorityFeedback", "SortFeedback",
           "level_of_petals", "petal_words", "practice_community"]


def practice_community(data: DashboardData, district: str | None = None) -> str:
    """The community the activity works on: in ``district`` (any when not given), the one with
    the most families whose recorded petals are emergency, then complex (ties by name)."""
    hh = data.households
    if district is not None:
        hh = hh[hh["district"].astype(str) == district]
        if hh.empty:
            raise ValueError(f"no household lives in district {district!r}")
    petals = data.petals.set_index("family_id").loc[hh["family_id"]]
    level = level_of_petals(petals).to_numpy()
    table = pd.DataFrame({"community": hh["community"].astype(str).to_numpy(),
                          "emergency": level == "emergency", "complex": level == "complex"})
    counts = table.groupby("community")[["emergency", "complex"]].sum()
    counts = counts[(counts["emergency"] >= 2) & (counts["complex"] >= 6)]
    if counts.empty:
        raise ValueError("no community has two emergency and six complex families to practise on")
    return str(counts.reset_index().sort_values(["emergency", "complex", "community"],
                                                ascending=[False, False, True]).iloc[0]["community"])
