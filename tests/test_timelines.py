import numpy as np
import pandas as pd
import pytest

import simulator
from simulator.model.timelines import EVENTS, STAGES, simulate_timelines


@pytest.fixture(scope="module")
def big():
    pop = simulator.simulate(40_000, seed=77)
    return pop, simulate_timelines(pop)


def _first(events, event):
    return events[events.event == event].groupby("case_id", observed=True).date.min()


def test_every_yellow_or_red_family_has_exactly_one_case(big):
    pop, tl = big
    serious = pop.households[pop.households.case_level.isin(["complex", "emergency"])].family_id
    assert set(tl.cases.family_id) == set(serious)
    assert tl.cases.case_id.is_unique
    assert set(tl.events.case_id) <= set(tl.cases.case_id)


def test_event_log_is_sorted_by_case_then_date_and_inside_the_span(big):
    _, tl = big
    ev = tl.events
    assert ev.case_id.is_monotonic_increasing
    assert (ev.groupby("case_id", observed=True).date.diff().dropna() >= pd.Timedelta(0)).all()
    assert ev.date.min() >= tl.span[0] and ev.date.max() <= tl.span[1]
    assert list(ev.columns) == ["case_id", "family_id", "date", "stage", "dimension", "actor_role", "event", "details"]


def test_stages_first_appear_in_legal_order(big):
    _, tl = big
    ev = tl.events.reset_index(drop=True)
    ev["pos"] = np.arange(len(ev))
    first = ev.groupby(["case_id", "stage"], observed=True).pos.min().unstack()
    order = ["referral", "plan", "consent", "in_service", "goals_met"]
    for a, b in zip(order, order[1:]):
        both = first[[a, b]].dropna()
        assert (both[a] < both[b]).all(), f"{b} before {a}"
    # Nobody goes back to referral once planning has started.
    last_referral = ev[ev.stage == "referral"].groupby("case_id", observed=True).pos.max()
    first_plan = ev[ev.stage == "plan"].groupby("case_id", observed=True).pos.min()
    joined = pd.concat([last_referral, first_plan], axis=1, keys=["r", "p"]).dropna()
    assert (joined.r < joined.p).all()
    assert set(ev.stage.astype(str)) <= set(STAGES) and set(ev.event.astype(str)) <= set(EVENTS)


def test_no_consent_before_a_plan_and_causal_dates_hold(big):
    _, tl = big
    ev = tl.events
    plan = _first(ev, "plan_meeting")
    for event in ("explained", "consent_signed", "refused"):
        when = _first(ev, event)
        assert (when >= plan.reindex(when.index)).all(), event
        assert plan.reindex(when.index).notna().all(), f"{event} without a plan"
    noticed, onset = _first(ev, "noticed"), _first(ev, "onset")
    assert (noticed >= onset.reindex(noticed.index)).all()
    signed, explained = _first(ev, "consent_signed"), _first(ev, "explained")
    assert (signed > explained.reindex(signed.index)).all()


def test_goals_met_only_after_service_in_that_dimension(big):
    _, tl = big
    ev = tl.events
    start = ev[ev.event == "service_started"].groupby(["case_id", "dimension"], observed=True).date.min()
    met = ev[ev.event == "goal_met"].groupby(["case_id", "dimension"], observed=True).date.min()
    assert len(met) > 1000
    paired = start.reindex(met.index)
    assert paired.notna().all() and (met > paired).all()
    attended = ev[ev.event.isin(["appointment_attended", "appointment_missed"])]
    last_app = attended.groupby(["case_id", "dimension"], observed=True).date.max().reindex(met.index).dropna()
    assert (last_app < met.reindex(last_app.index)).all()


def test_separation_only_through_the_legal_path(big):
    pop, tl = big
    ev = tl.events
    separated = set(ev[ev.event == "separated"].case_id)
    assert len(separated) >= 10
    refused, review = _first(ev, "refused"), _first(ev, "director_review")
    sep = _first(ev, "separated")
    assert (refused.reindex(sep.index) < sep).all() and (review.reindex(sep.index) <= sep).all()
    legal = set(pop.config.journeys.consent.legal_indicators)
    families = set(tl.cases[tl.cases.case_id.isin(separated)].family_id)
    with_legal = set(pop.indicators[pop.indicators.indicator_id.isin(legal)].family_id)
    assert families <= with_legal
    consented = set(ev[ev.event == "consent_signed"].case_id)
    assert not (separated & consented)


def test_deterministic_by_seed_and_family():
    pop = simulator.simulate(2000, seed=12)
    a, b = simulate_timelines(pop), simulate_timelines(simulator.simulate(2000, seed=12))
    pd.testing.assert_frame_equal(a.events, b.events)
    other = simulate_timelines(simulator.simulate(2000, seed=13))
    assert not a.events.head(200).equals(other.events.head(200))
    case = a.cases.case_id.iloc[5]
    family = a.cases.family_id.iloc[5]
    alone = simulate_timelines(simulator.simulate_family(family, seed=12))
    pd.testing.assert_frame_equal(
        a.case(case).events.astype(str), alone.events.astype(str), check_categorical=False
    )


def _delays(tl, start_event, end_event, mask):
    """Days between two events of the same problem (case and dimension), for the cases in ``mask``."""
    ev = tl.events
    cases = set(tl.cases[mask].case_id)
    ev = ev[ev.case_id.isin(cases)]
    key = ["case_id", "dimension"]
    a = ev[ev.event == start_event].groupby(key, observed=True).date.min()
    b = ev[ev.event == end_event].groupby(key, observed=True).date.min()
    onset = ev[ev.event == "onset"].groupby(key, observed=True).date.min()
    # Problems that began early enough for slow ones to finish inside the span.
    early = onset[onset < pd.Timestamp("2024-01-01")].index
    both = b.index.intersection(early)
    return (b.loc[both] - a.reindex(both)).dt.days.dropna()


def test_delays_and_sandbox_effect_match_the_data_file(big):
    pop, tl = big
    J = pop.config.journeys
    sandbox = tl.cases.sandbox_active
    for name, (start, end) in {"detection": ("onset", "noticed"), "notification": ("noticed", "notified")}.items():
        elsewhere = _delays(tl, start, end, ~sandbox)
        inside = _delays(tl, start, end, sandbox)
        assert len(elsewhere) > 2000 and len(inside) > 300
        median = J.delays[name].median
        assert elsewhere.median() == pytest.approx(median, rel=0.1), name
        factor = getattr(J.sandbox, f"{name}_delay_factor")
        assert inside.median() / elsewhere.median() == pytest.approx(factor, rel=0.2), name


def test_each_problem_has_its_own_onset_and_notice(big):
    _, tl = big
    ev = tl.events
    per_problem = ev[ev.event.isin(["onset", "noticed"])].groupby(["case_id", "dimension", "event"], observed=True).size()
    assert (per_problem == 1).all()
    planned = tl.cases.set_index("case_id").goals_planned
    onsets = ev[ev.event == "onset"].groupby("case_id", observed=True).size()
    assert (onsets <= planned.reindex(onsets.index)).all() and (onsets > 1).any()
    # Ground truth stays available: the first problem's logged delay equals the drawn one.
    first = tl.cases[tl.cases.noticed_date.notna()].set_index("case_id")
    key = pd.MultiIndex.from_arrays([first.index, first.first_problem_dimension.astype(str)])
    noticed = ev[ev.event == "noticed"].set_index(["case_id", "dimension"]).date
    noticed.index = noticed.index.set_levels(noticed.index.levels[1].astype(str), level=1)
    logged = (noticed.reindex(key).to_numpy() - first.onset_date.to_numpy()) / np.timedelta64(1, "D")
    seen = ~np.isnan(logged)
    assert seen.mean() > 0.9
    assert (logged[seen] == first.true_detection_delay_days.to_numpy()[seen]).all()


def test_first_round_consent_rate_matches(big):
    pop, tl = big
    C = pop.config.journeys.consent
    ev = tl.events
    ind = pop.indicators
    excluded = set(ind[ind.indicator_id.isin(C.poverty_indicators + C.legal_indicators)].family_id)
    first = ev[ev.event.isin(["agreed", "disagreed", "agreed_but_unable"])].groupby("case_id", observed=True).head(1)
    first = first[~first.family_id.isin(excluded)]
    rate = (first.event == "agreed").mean()
    assert rate == pytest.approx(C.agree, abs=4 * np.sqrt(C.agree * (1 - C.agree) / len(first)))


def test_lost_cases_show_years_long_gaps_like_the_documented_case(big):
    _, tl = big
    lost = tl.cases[tl.cases.lost_between_agencies & tl.cases.plan_date.notna()]
    gap = (lost.plan_date - lost.noticed_date).dt.days
    # Problems of young children begin no earlier than their birth, so fewer lost cases reach a plan in the span.
    assert len(lost) > 40 and (gap > 365 * 2).all()
    rate = tl.cases[~tl.cases.sandbox_active].lost_between_agencies.mean()
    assert rate == pytest.approx(0.05, abs=0.01)


def test_case_summary_agrees_with_the_event_log(big):
    _, tl = big
    ev, cases = tl.events, tl.cases.set_index("case_id")

    def per_case(event):
        return ev[ev.event == event].groupby("case_id", observed=True).size().reindex(cases.index).fillna(0).astype(int)

    assert (per_case("explained") == cases.consent_rounds).all()
    assert (per_case("plan_revised") == cases.revisions).all()
    assert (per_case("appointment_missed") == cases.appointments_missed).all()
    assert ((per_case("director_review") > 0) == cases.legal_path).all()
    assert ((per_case("separated") > 0) == cases.separated).all()
    assert (cases[cases.outcome == "refused"].index.isin(ev[ev.event == "refused"].case_id)).all()
    assert cases[cases.outcome == "not_noticed"].index.isin(ev[ev.event == "noticed"].case_id).sum() == 0
    travel = ev[ev.event == "accompanied_visit"].details.astype(str).str.extract(r"(\d+) บาท")[0].astype(int)
    total = travel.groupby(ev.loc[travel.index, "case_id"], observed=True).sum().reindex(cases.index).fillna(0)
    assert (total.astype(int) == cases.travel_cost_baht).all()
    tp = tl.touch_points
    assert cases.loc[tp.case_id.unique(), "plan_date"].notna().all(), "touch points only for plans made in the span"
    assert str(tp.planned_end.dtype) == "datetime64[s]"


# ---------------------------------------------------------------- what can happen (20,000 families, seed 11)

def _problem_people(pop, tl, event):
    """Each problem's event with its lead indicator and the people who have it (one row per person)."""
    labels = {i.label_th: i.id for i in pop.config.catalogue.indicators}
    ev = tl.events[tl.events.event == event]
    ev = ev.assign(indicator_id=ev.details.astype(str).str.removeprefix("เริ่มมีปัญหา: ").map(labels))
    ind = pop.indicators.assign(indicator_id=pop.indicators.indicator_id.astype(str))
    rows = ev.merge(ind[["family_id", "person_id", "indicator_id", "subject"]], on=["family_id", "indicator_id"])
    return rows.merge(pop.people[["person_id", "birth_date"]], on="person_id")


def test_no_problem_starts_before_its_person_is_old_enough(pop_20k, timelines_20k):
    rows = _problem_people(pop_20k, timelines_20k, "onset")
    assert len(rows) > 5000 and rows.indicator_id.notna().all()
    by_id = pop_20k.config.catalogue.by_id()
    age_min = rows.indicator_id.map(lambda i: by_id[i].age_min)
    age_min = np.where(rows.subject == "parent", np.maximum(age_min, 15), age_min)
    age_at_onset = ((rows.date - rows.birth_date).dt.days // 365.25).to_numpy()
    assert (rows.date >= rows.birth_date).all(), "a problem began before its child was born"
    too_young = age_at_onset < age_min
    assert not too_young.any(), rows[too_young][["family_id", "indicator_id", "date", "birth_date"]].head()
    # Nor after anyone saw it: onset comes before the problem's first true observation, unless
    # another child with the same problem was seen before this one was old enough for it.
    obs = pop_20k.observations[pop_20k.observations.is_true]
    first_seen = obs.assign(indicator_id=obs.indicator_id.astype(str)).groupby(
        ["family_id", "indicator_id"], observed=True).observed_on.min().rename("first_seen").reset_index()
    rows["eligible_from"] = rows.birth_date + pd.to_timedelta(np.ceil(age_min * 365.25), unit="D")
    rows["last_eligible"] = rows.groupby(["case_id", "dimension"], observed=True).eligible_from.transform("max")
    rows = rows.merge(first_seen, on=["family_id", "indicator_id"])
    late = rows.date > rows.first_seen
    assert late.mean() < 0.01 and (rows.date[late] == rows.last_eligible[late]).all()


def test_first_noticers_could_have_noticed(pop_20k, timelines_20k):
    carriers = _problem_people(pop_20k, timelines_20k, "onset")
    carriers = carriers[["case_id", "dimension", "indicator_id", "person_id", "subject", "birth_date"]]
    ev = timelines_20k.events
    rows = ev[ev.event == "noticed"].merge(carriers, on=["case_id", "dimension"])
    assert len(rows) >= (ev.event == "noticed").sum()
    kids = pop_20k.people[pop_20k.people.relation == "child"].groupby("family_id", observed=True).birth_date.min()
    teacher = rows[rows.actor_role == "teacher"]
    child = teacher[teacher.subject == "child"]
    assert len(child) > 200
    age = (child.date - child.birth_date).dt.days / 365.25
    assert (age >= 3).all(), "a teacher noticed a child not yet at a childcare centre or school"
    parent = teacher[teacher.subject == "parent"]
    assert set(parent.dimension.astype(str)) <= {"social", "education"}
    oldest = (parent.date - kids.reindex(parent.family_id).to_numpy()).dt.days / 365.25
    assert (oldest >= 3).all(), "a teacher noticed a parent's problem without a child in its care"
    officer = rows[rows.actor_role == "district_officer"]
    assert len(officer) and (officer.dimension.astype(str).isin(["governance", "education"])).all()
    assert not officer[(officer.dimension == "education") & (officer.subject == "child")].size
    nurse = rows[rows.actor_role == "nurse"]
    assert "education" not in set(nurse.dimension.astype(str))
    assert (rows[rows.dimension == "health"].actor_role == "nurse").mean() > 0.15


def test_goals_met_by_the_reference_date_show_in_the_snapshot(pop_20k, timelines_20k):
    tl = timelines_20k
    met = tl.events[tl.events.event == "goal_met"]
    assert len(met) > 1000
    snap = tl.petals.set_index("family_id")
    for dim in ("social", "education", "health", "governance"):
        fams = met[met.dimension == dim].family_id
        for subject in ("child", "parent"):
            assert (snap.loc[fams, f"{subject}_{dim}"].astype(str) == "green").all(), (subject, dim)
    unmet = tl.cases[tl.cases.goals_met == 0].family_id
    before = pop_20k.petals.set_index("family_id").loc[unmet].drop(columns="case_level").astype(str)
    after = snap.loc[unmet, before.columns].astype(str)
    assert (before == after).all().all(), "only met goals change the snapshot"
    goals_met = tl.cases.set_index("family_id").goals_met
    resolved = snap.loc[goals_met.index, "resolved_dimensions"].str.split(",").map(lambda d: len([x for x in d if x]))
    assert (resolved == goals_met).all()
    assert len(tl.case(tl.cases.case_id.iloc[0]).petals) == 1


def test_not_noticed_is_never_said_of_a_case_a_provider_recorded(pop_20k, timelines_20k):
    obs = pop_20k.observations
    cases = timelines_20k.cases
    dims = cases.set_index("family_id").dimensions.str.split(",")
    prov = obs[(obs.source != "volunteer") & obs.family_id.isin(dims.index)]
    of_the_case = [d in dims[f] for f, d in zip(prov.family_id, prov.dimension.astype(str))]
    recorded = set(prov[of_the_case].family_id)
    not_noticed = cases[cases.outcome == "not_noticed"]
    assert len(not_noticed) > 20, "the outcome still happens"
    assert not (set(not_noticed.family_id) & recorded)
    # Whoever recorded a problem a case's goal is about had noticed it by the day of the record
    # (unless another child with it was too young then: the problem began later).
    labels = {i.label_th: i.id for i in pop_20k.config.catalogue.indicators}
    ev = timelines_20k.events
    onset = ev[ev.event == "onset"]
    problem = onset.assign(indicator_id=onset.details.astype(str).str.removeprefix("เริ่มมีปัญหา: ").map(labels))
    noticed = ev[ev.event == "noticed"][["case_id", "dimension", "date"]].merge(
        problem[["case_id", "dimension", "indicator_id", "family_id", "date"]], on=["case_id", "dimension"],
        suffixes=("", "_onset"))
    first = prov.assign(indicator_id=prov.indicator_id.astype(str)).groupby(
        ["family_id", "indicator_id"], observed=True).observed_on.min().rename("recorded").reset_index()
    noticed = noticed.merge(first, on=["family_id", "indicator_id"])
    assert len(noticed) > 2000
    in_time = (noticed.date <= noticed.recorded) | (noticed.date_onset > noticed.recorded)
    assert in_time.all() and (noticed.date_onset > noticed.recorded).mean() < 0.005
    # A provider's record of the family's other problems as good as always means it was noticed too.
    assert len(set(not_noticed.family_id) & set(prov.family_id)) <= 0.002 * len(cases)


def test_nobody_is_named_as_noticer_of_a_problem_not_yet_noticed(timelines_20k):
    cases = timelines_20k.cases
    unnoticed = cases[cases.noticed_date.isna()]
    assert len(unnoticed) > 20
    assert unnoticed.noticed_by.isna().all()
    assert cases.loc[cases.noticed_date.notna(), "noticed_by"].notna().all()
