"""Readable views of one family for trainees: who lives there, what was noticed, the flower."""

from __future__ import annotations

import pandas as pd

from simulator.model.config import DIMENSIONS, load_config
from simulator.model.population import Population
from simulator.thai.dates import age_label_th, thai_date
from simulator.thai.vocabulary import DIMENSION_TH, EVENT_TH, RELATION_TH, STAGE_TH

SOURCE_ORDER = ("volunteer", "teacher", "nurse", "social_worker", "district_officer")


def person_label(row: pd.Series, reference_date=None) -> str:
    """``ด.ญ. มะลิ (8 ปี)``-style label: title, first name, age or due date.

    The age is counted to ``reference_date`` (the population's; the kit's default when
    not given), in months or weeks for a baby under one year.
    """
    if row["relation"] == "unborn":
        return f"ทารกในครรภ์ (กำหนดคลอด {thai_date(row['due_date'])})"
    if reference_date is None:
        reference_date = load_config().population.reference_date
    age = age_label_th((pd.Timestamp(reference_date) - pd.Timestamp(row["birth_date"])).days)
    return f"{row['title_th']}{row['first_name']} {row['last_name']} ({RELATION_TH[row['relation']]}, {age})"


def members_table(pop: Population, family_id: str) -> pd.DataFrame:
    """People in the household with Thai labels and Thai birth dates."""
    people = pop.people[pop.people["family_id"] == family_id]
    return pd.DataFrame({
        "รหัส": people["person_id"].to_numpy(),
        "ชื่อ": [person_label(r, pop.reference_date) for _, r in people.iterrows()],
        "วันเกิด": [thai_date(d) for d in people["birth_date"]],
    })


def observation_rows(pop: Population, family_id: str, sources: tuple[str, ...] | None = None) -> pd.DataFrame:
    """The raw observation rows of one family in the order trainees see them (by source, then date).

    :func:`observations_table` shows exactly these rows; the petal exercise grades
    against exactly these rows, so what is graded is what is on screen.
    """
    obs = pop.observations[pop.observations["family_id"] == family_id]
    if sources is not None:
        obs = obs[obs["source"].isin(sources)]
    order = {s: i for i, s in enumerate(SOURCE_ORDER)}
    obs = obs.assign(_order=obs["source"].map(order).astype(int)).sort_values(["_order", "observed_on"], kind="stable")
    return obs.drop(columns="_order").reset_index(drop=True)


def observations_table(pop: Population, family_id: str, sources: tuple[str, ...] | None = None,
                       numbered: bool = False) -> pd.DataFrame:
    """What volunteers and providers wrote about the family, without the ground truth.

    ``numbered`` adds a first column ``ข้อ`` (1, 2, ...) matching the notes of the exercise.
    """
    obs = observation_rows(pop, family_id, sources)
    cfg = pop.config
    people = pop.people.set_index("person_id")
    table = pd.DataFrame({
        "ผู้บันทึก": [cfg.population.sources[s].label_th for s in obs["source"]],
        "เกี่ยวกับ": [person_label(people.loc[p], pop.reference_date) for p in obs["person_id"]],
        "บันทึก": obs["note_th"].astype(str).to_numpy(),
        "วันที่": [thai_date(d) for d in obs["observed_on"]],
    })
    if numbered:
        table.insert(0, "ข้อ", range(1, len(table) + 1))
    return table


def strengths_list(pop: Population, family_id: str) -> list[str]:
    s = pop.strengths[pop.strengths["family_id"] == family_id]
    labels = {st.id: st.label_th for st in pop.config.catalogue.strengths}
    return [f"{labels[i]}: {n}" for i, n in zip(s["strength_id"], s["note_th"])]


def true_colours(pop: Population, family_id: str) -> dict[str, str]:
    row = pop.petals[pop.petals["family_id"] == family_id].iloc[0]
    return {f"{s}_{d}": str(row[f"{s}_{d}"]) for s in ("child", "parent") for d in DIMENSIONS}


def flower_notes(pop: Population, family_id: str) -> tuple[list[str], list[str]]:
    """Short notes for beside the flower: the child's and the parent's (strengths at the end)."""
    ind = pop.indicators[pop.indicators["family_id"] == family_id]
    labels = {i.id: i.label_th for i in pop.config.catalogue.indicators}
    people = pop.people.set_index("person_id")
    child, parent = [], []
    for _, r in ind.iterrows():
        who = people.loc[r["person_id"]]
        text = f"{labels[r['indicator_id']]} — {who['title_th']}{who['first_name']}"
        (child if r["subject"] == "child" else parent).append(text)
    parent += ["จุดแข็ง: " + s for s in strengths_list(pop, family_id)]
    return child, parent


__all__ = ["events_table", "flower_notes", "members_table", "observation_rows", "observations_table",
           "strengths_list", "true_colours"]


def events_table(timelines, case_id: str) -> pd.DataFrame:
    """One case's event log for trainees: Thai dates and Thai words."""
    from simulator.thai.vocabulary import EVENT_TH, STAGE_TH

    cfg = timelines.config
    roles = {r.id: r.name_th for r in cfg.goals.roles}
    roles.update({"family": "ครอบครัว", "parent": "ผู้ปกครอง"})
    roles.update({k: s.label_th for k, s in cfg.population.sources.items()})
    ev = timelines.case(case_id).events
    dims = {d: DIMENSION_TH[d] for d in DIMENSIONS}
    return pd.DataFrame({
        "วันที่": [thai_date(d) for d in ev["date"]],
        "ขั้น": [STAGE_TH[s] for s in ev["stage"].astype(str)],
        "มิติ": [dims.get(d, "") if isinstance(d, str) else "" for d in ev["dimension"].astype(object)],
        "ผู้ดำเนินการ": [roles.get(a, a) for a in ev["actor_role"].astype(str)],
        "เหตุการณ์": [EVENT_TH[e] for e in ev["event"].astype(str)],
        "รายละเอียด": ev["details"].astype(str).to_numpy(),
    })

