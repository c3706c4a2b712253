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
