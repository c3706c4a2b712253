"""Choosing teaching cases from simulated journeys: the same case for every trainer."""

from __future__ import annotations

from simulator.model.population import Population
from simulator.model.timelines import Timelines

CASE_KINDS = ("complex", "emergency_legal", "conversation")


def choose_case(tl: Timelines, pop: Population, kind: str) -> str:
    """A stable teaching case of the given kind (the first by ID that fits).

    * ``complex``: a complex case over several dimensions whose plan was revised;
    * ``emergency_legal``: an emergency whose parent refused and whose child was separated;
    * ``conversation``: a case the parent agreed to only after the plan changed, in a poor family.
    """
    c = tl.cases
    events = tl.events
    revised = set(events.loc[events["event"] == "plan_revised", "case_id"])
    unable = set(events.loc[events["event"] == "agreed_but_unable", "case_id"])
    if kind == "complex":
        pick = c[(c["case_level"] == "complex") & (c["goals_planned"] >= 2) & c["case_id"].isin(revised)
                 & c["outcome"].isin(["goals_met", "partly_met", "in_service"]) & ~c["lost_between_agencies"]]
    elif kind == "emergency_legal":
        pick = c[(c["case_level"] == "emergency") & c["separated"] & (c["consent_rounds"] >= 3)]
    elif kind == "conversation":
        poverty = set(pop.indicators.loc[pop.indicators["indicator_id"].isin(tl.config.journeys.consent.poverty_indicators),
                                         "family_id"])
        pick = c[c["case_id"].isin(unable) & c["consent_date"].notna() & (c["goals_planned"] >= 2)
                 & c["family_id"].isin(poverty) & (c["case_id"] != choose_case(tl, pop, "complex"))]
    else:
        raise ValueError(f"unknown case kind {kind!r}: use one of {', '.join(CASE_KINDS)}")
    if pick.empty:
        raise ValueError(f"no {kind} case in these timelines; simulate more families")
    return str(pick["case_id"].iloc[0])


# ---- activities 7 and 8: why notify the four providers -------------------------------------------
NOTIFY_CANDIDATES = 60  # activity 7 looks at most at this many cases (by ID) for the best teaching case


def choose_notify_case(tl: Timelines, pop: Population, min_dimensions: int | None = None) -> str:
    """Activity 7's case study: a case over at least ``min_dimensions`` dimensions (default:
    ``notify_scenarios.yaml`` case_study), planned and served by the span's end, not lost
    between agencies and not separated; the same case for the same seed.

    Among the first :data:`NOTIFY_CANDIDATES` such cases by ID it takes the first that fits
    best, in this order: one provider's absence alone puts the most goals at risk (a link
    makes another goal harder); the runs agree (that absence alone costs the most goals met;
    or at least no fewer than any other); every link behind it is in the records on screen.
    """
    from simulator.exercises.notify import NotifyPrediction, notify_scenarios
    from simulator.model.unnotified import family_links, load_notify_settings

    notify = load_notify_settings(config=tl.config)
    need = min_dimensions or notify.case_study.min_dimensions
    c = tl.cases
    pick = c[(c["dimensions"].str.count(",") + 1 >= need) & c["plan_date"].notna() & c["service_start_date"].notna()
             & ~c["lost_between_agencies"] & ~c["separated"]].sort_values("case_id").head(NOTIFY_CANDIDATES)
    if pick.empty:
        raise ValueError(f"no case over {need} or more dimensions in these timelines; simulate more families")
    links = family_links(tl.config, notify, pop.indicators[pop.indicators["family_id"].isin(set(pick["family_id"]))])
    best_key, best_case = (-1,), str(pick["case_id"].iloc[0])
    for case_id, family, dims in zip(pick["case_id"], pick["family_id"], pick["dimensions"]):
        dims = dims.split(",")
        mine = links[(links["family_id"] == family) & links["driver_dimension"].isin(dims)
                     & links["target_dimension"].isin(dims)]
        harder = mine.groupby("driver_dimension")["target_dimension"].nunique()
        if len(harder) == 0 or (harder == harder.max()).sum() != 1:
            continue  # cheap check before running the scenarios: no single right answer
        exercise = NotifyPrediction(pop, str(case_id), notify_scenarios(pop, str(case_id), tl.config, notify))
        if len(exercise.best) != 1:
            continue
        lost = exercise.table().set_index("dimension")["goals_lost"]
        answer = lost[exercise.best[0]]
        recorded = not any("ไม่มีในบันทึกบนจอ" in line for line in exercise.check(exercise.best[0]).lines_th)
        key = (1, int(answer > 0 and (lost == answer).sum() == 1 and answer == lost.max()),
               int(answer > 0 and answer == lost.max()), int(recorded))
        if key > best_key:
            best_key, best_case = key, str(case_id)
        if key == (1, 1, 1, 1):
            break
    return best_case


def case_of_family(pop: Population, family_id: str) -> str:
    """Activity 8: the case of any family (the community's own, later from the platform).

    Raises ValueError with a Thai message when the family is unknown or has no yellow or red petal.
    """
    row = pop.households[pop.households["family_id"] == family_id]
    if row.empty:
        raise ValueError(f"ไม่มีครอบครัว {family_id} ในข้อมูลชุดนี้")
    if str(row["case_level"].iloc[0]) not in ("complex", "emergency"):
        raise ValueError(f"ครอบครัว {family_id} ไม่มีกลีบสีเหลืองหรือแดง จึงยังไม่เป็นกรณีที่ต้องแจ้งผู้ให้บริการ")
    return "JC" + family_id[2:]
