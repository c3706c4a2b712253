"""Activities 7 and 8: the same case with and without each provider notified."""

import dataclasses
import shutil
import warnings

import numpy as np
import pandas as pd
import pytest

import simulator
from simulator.exercises.cases import case_of_family, choose_notify_case
from simulator.exercises.notify import (
    ALL,
    SUMMARY_COLUMNS,
    NotifyError,
    NotifyPrediction,
    could_not_see_th,
    dimension_timeline,
    notify_scenarios,
    run_scenario,
    scenario_summary,
    scenario_summary_th,
    what_they_could_not_see,
)
from simulator.figures.notify import scenario_figure
from simulator.model.config import DATA_DIR, DIMENSIONS, ConfigError, load_config
from simulator.model.timelines import PROVIDER_ROLE, simulate_timelines
from simulator.model.unnotified import blocked_goals, cross_links, load_notify_settings
from simulator.thai.vocabulary import SYNTHETIC_MARK
from simulator.widgets.notify import NotifyScenarioWidget
from tests.data_files import edit_yaml

SEVERITY = {"green": 0, "yellow": 1, "red": 2}


@pytest.fixture(scope="module")
def world():
    pop = simulator.simulate(2500, seed=31)
    return pop, simulate_timelines(pop)


@pytest.fixture(scope="module")
def case_id(world):
    pop, tl = world
    return choose_notify_case(tl, pop)


@pytest.fixture(scope="module")
def scenarios(world, case_id):
    return notify_scenarios(world[0], case_id)


def _strings(df):
    return df.astype(str).reset_index(drop=True)


# ---- the model: paired runs ---------------------------------------------------------------------


def test_everyone_notified_is_the_plain_journey_model(world, case_id, scenarios):
    pop, tl = world
    assert list(scenarios) == [ALL] + [f"no_{d}" for d in tl.case(case_id).cases["dimensions"].iloc[0].split(",")]
    alone = scenarios[ALL].timelines
    full = tl.case(case_id)
    for name in ("events", "cases", "touch_points"):
        pd.testing.assert_frame_equal(_strings(getattr(alone, name)), _strings(getattr(full, name)))
    again = simulate_timelines(pop, unnotified=())
    pd.testing.assert_frame_equal(again.events, tl.events)
    pd.testing.assert_frame_equal(again.cases, tl.cases)


@pytest.mark.parametrize("dim", DIMENSIONS)
def test_leaving_a_provider_out_removes_its_goal_and_helps_nobody(world, dim):
    pop, tl = world
    without = simulate_timelines(pop, unnotified=(dim,))
    has = tl.cases["dimensions"].str.split(",").map(lambda ds: dim in ds)
    a, b = tl.cases.set_index("case_id"), without.cases.set_index("case_id")
    # Cases without a problem in this dimension are exactly as before.
    others = set(tl.cases.loc[~has, "case_id"])
    pd.testing.assert_frame_equal(_strings(tl.events[tl.events.case_id.isin(others)]),
                                  _strings(without.events[without.events.case_id.isin(others)]))
    touched = tl.cases.loc[has, "case_id"]
    assert len(touched) > 20
    ev = without.events[without.events.case_id.isin(set(touched)) & (without.events.dimension == dim)]
    assert not ev.event.isin(["notified", "acknowledged", "goal_set", "service_started", "goal_met"]).any()
    assert set(ev.event.astype(str)) <= {"onset", "noticed"}
    planned = a.loc[touched, "plan_date"].notna()
    assert (b.loc[touched[planned.to_numpy()], "goals_planned"]
            == a.loc[touched[planned.to_numpy()], "goals_planned"] - 1).all()
    assert (b.loc[touched, "goals_met"] <= a.loc[touched, "goals_met"]).all()
    # In the other dimensions no appointment that was missed is now attended.
    def missed(run):
        ev = run.events[run.events.case_id.isin(set(touched)) & (run.events.dimension != dim)]
        return ev[ev.event == "appointment_missed"].groupby("case_id", observed=True).size()

    before, after = missed(tl), missed(without)
    assert (after.reindex(before.index, fill_value=0) >= before).all()
    # Any goal still met is met on the same day as with everyone notified: nothing gets faster.
    key = ["case_id", "dimension"]
    met_a = tl.events[tl.events.event == "goal_met"].set_index(key).date
    met_b = without.events[without.events.event == "goal_met"].set_index(key).date
    assert met_b.index.isin(met_a.index).all()
    assert (met_b == met_a.reindex(met_b.index)).all()
    # The dimension's petals stay as the family's flower shows them; no petal ends better.
    after_a = tl.petals.set_index("family_id")
    after_b = without.petals.set_index("family_id")
    fams = tl.cases.loc[has, "family_id"]
    for subject in ("child", "parent"):
        col = f"{subject}_{dim}"
        assert (after_b.loc[fams, col].astype(str) == pop.petals.set_index("family_id").loc[fams, col].astype(str)).all()
    for col in [c for c in after_a.columns if c.split("_", 1)[-1] in DIMENSIONS]:
        worse = after_b.loc[fams, col].astype(str).map(SEVERITY) >= after_a.loc[fams, col].astype(str).map(SEVERITY)
        assert worse.all(), col


def test_a_case_nobody_is_notified_about_gets_no_plan(world):
    pop, _ = world
    nobody = simulate_timelines(pop, unnotified=DIMENSIONS)
    assert (nobody.cases.outcome == "awaiting_plan").sum() > 0.9 * len(nobody.cases)
    assert nobody.cases.outcome.isin(["awaiting_plan", "not_noticed"]).all()
    assert nobody.cases.plan_date.isna().all() and (nobody.cases.goals_planned == 0).all()
    assert set(nobody.events.event.astype(str)) == {"onset", "noticed"}
    assert nobody.touch_points.empty


def test_unknown_dimension_is_refused(world):
    with pytest.raises(ValueError, match="unknown dimension"):
        simulate_timelines(world[0], unnotified=("housing",))


# ---- the rule, checked by hand on edited data files --------------------------------------------


@pytest.fixture(scope="module")
def edited(tmp_path_factory):
    """Data files where the rule's effects can be computed by hand."""
    folder = tmp_path_factory.mktemp("data")
    shutil.copytree(DATA_DIR, folder, dirs_exist_ok=True)

    def journeys(doc):
        doc["delays"]["detection"] = {"median": 100, "spread": 0.0}
        doc["sandbox"]["detection_delay_factor"] = 1.0
        doc["service"]["attend"] = 1.0
        doc["service"]["attend_if_poor"] = 0.0
        doc["consent"]["agree"] = 0.0   # every first round ends in "agree but unable" for the poor ...
        doc["consent"]["unable"] = 1.0  # ... and for everyone, so every plan is revised and then agreed
        doc["consent"]["unable_if_poor"] = 1.0
        doc["consent"]["agree_after_revision"] = 1.0

    def notify(doc):
        doc["own_notice"]["detection_delay_factor"] = 3.0
        doc["linked_goal_met_factor"] = 0.0

    edit_yaml(folder / "journeys.yaml", journeys)
    edit_yaml(folder / "notify_scenarios.yaml", notify)
    cfg = load_config(folder)
    pop = simulator.simulate(2500, seed=31, config=cfg)
    return pop, cfg, load_notify_settings(folder / "notify_scenarios.yaml", cfg)


def _case_dims(tl):
    return tl.cases.set_index("case_id")["dimensions"].str.split(",")


def test_the_provider_left_out_finds_the_problem_alone_three_times_later(edited):
    pop, cfg, notify = edited
    tl = simulate_timelines(pop, config=cfg)
    checked = 0
    for dim in DIMENSIONS:
        role = PROVIDER_ROLE[dim]
        without = simulate_timelines(pop, config=cfg, unnotified=(dim,), notify=notify)
        ev = without.events[without.events.dimension == dim]
        onset = ev[ev.event == "onset"].set_index("case_id").date
        first = ev[ev.event == "noticed"].groupby("case_id", observed=True).date.min()
        alone = ev[(ev.event == "noticed") & (ev.details.astype(str).str.contains("รู้เรื่องนี้เองภายหลัง"))]
        assert (alone.actor_role.astype(str) == role).all()
        own_records = pop.observations[pop.observations.is_true & (pop.observations.source == role)
                                       & (pop.observations.dimension == dim)]
        recorded = set("JC" + own_records.family_id.str.slice(2))
        # Alone, the provider takes 3 x 100 days from the onset, unless its own records or the first
        # notice come later; never before someone first noticed it.
        for _, row in alone.iterrows():
            c = row.case_id
            assert row.date >= first[c]
            if c not in recorded:
                assert row.date == max(onset[c] + pd.Timedelta(days=300), first[c])
                checked += 1
        # With everyone notified the same provider hears of it through the network (no "found alone").
        same = tl.events[(tl.events.dimension == dim) & tl.events.details.astype(str).str.contains("รู้เรื่องนี้เอง")]
        assert same.empty
    assert checked > 10


def test_a_linked_goal_is_never_met_when_its_cause_goes_unseen(edited):
    pop, cfg, notify = edited
    tl = simulate_timelines(pop, config=cfg)
    links = cross_links(cfg, notify)
    dims = _case_dims(tl)
    found = 0
    for dim in DIMENSIONS:
        without = simulate_timelines(pop, config=cfg, unnotified=(dim,), notify=notify)
        met = without.events[without.events.event == "goal_met"]
        met_all = tl.events[tl.events.event == "goal_met"]
        for case_id, ds in dims.items():
            if dim not in ds:
                continue
            family = "HH" + case_id[2:]
            have = set(pop.indicators.loc[pop.indicators.family_id == family, "indicator_id"].astype(str))
            hit = links[links.driver.isin(have) & links.target.isin(have) & (links.driver_dimension == dim)
                        & links.target_dimension.isin(ds)]
            for target_dim in set(hit.target_dimension):
                # factor 0: the goal cannot be met without the provider who sees the cause
                assert met[(met.case_id == case_id) & (met.dimension == target_dim)].empty
                found += not met_all[(met_all.case_id == case_id) & (met_all.dimension == target_dim)].empty
    assert found >= 2, "no linked goal that was met with everyone notified"


def test_without_the_livelihood_provider_a_poor_family_misses_its_appointments(edited):
    pop, cfg, notify = edited
    assert notify.livelihood_dimension == "education"
    tl = simulate_timelines(pop, config=cfg)
    without = simulate_timelines(pop, config=cfg, unnotified=("education",), notify=notify)
    poverty = set(cfg.journeys.consent.poverty_indicators)
    poor = set("JC" + pop.indicators.loc[pop.indicators.indicator_id.isin(poverty), "family_id"].str.slice(2))
    dims = _case_dims(tl)
    edu = {c for c, ds in dims.items() if "education" in ds}
    apps = ["appointment_attended", "appointment_missed"]
    for label, run in (("all", tl), ("without", without)):
        ev = run.events[run.events.event.isin(apps)]
        # Every plan was revised (attend 1.0 once revised): with everyone notified nobody misses.
        if label == "all":
            assert (ev.event == "appointment_attended").all()
        else:
            cut = ev.case_id.isin(poor & edu)
            assert cut.sum() > 5
            assert (ev[cut].event == "appointment_missed").all()
            assert (ev[~cut].event == "appointment_attended").all()


def test_blocked_goals_by_hand():
    cfg = load_config()
    notify = load_notify_settings()
    fam = pd.Series(["HH0000001", "HH0000002", "HH0000003"])
    ind = pd.DataFrame({
        "family_id": ["HH0000001", "HH0000001", "HH0000002", "HH0000003", "HH0000003"],
        "indicator_id": ["no_income", "malnutrition", "no_income", "parent_depression", "neglect"],
    })
    unnotified = np.zeros((3, 4), dtype=bool)
    unnotified[:, DIMENSIONS.index("education")] = True
    got = blocked_goals(cfg, notify, fam, ind, unnotified)
    expected = np.zeros((3, 4), dtype=bool)
    expected[0, DIMENSIONS.index("health")] = True  # no_income -> malnutrition (a link of notify_scenarios.yaml)
    assert (got == expected).all()
    unnotified[:] = False
    unnotified[2, DIMENSIONS.index("health")] = True  # parent_depression -> neglect (an indicators.yaml dependency)
    got = blocked_goals(cfg, notify, fam, ind, unnotified)
    assert got.sum() == 1 and got[2, DIMENSIONS.index("social")]


def test_links_are_checked_on_load(data_copy):
    def bad_id(doc):
        doc["links"][0]["driver"] = "no_such_thing"

    edit_yaml(data_copy / "notify_scenarios.yaml", bad_id)
    with pytest.raises(ConfigError, match=r"notify_scenarios.yaml: links\[0\]\.driver: 'no_such_thing'"):
        load_notify_settings(data_copy / "notify_scenarios.yaml")

    def same_dimension(doc):
        doc["links"][0] = {"driver": "no_income", "target": "household_debt", "reason_th": "หนี้"}

    edit_yaml(data_copy / "notify_scenarios.yaml", same_dimension)
    with pytest.raises(ConfigError, match="must cross dimensions"):
        load_notify_settings(data_copy / "notify_scenarios.yaml")

    def bad_factor(doc):
        doc["links"] = []
        doc["linked_goal_met_factor"] = 1.5
        doc["exercise"]["correct_th"] = "{nobody}"

    edit_yaml(data_copy / "notify_scenarios.yaml", bad_factor)
    with pytest.raises(ConfigError, match="linked_goal_met_factor") as err:
        load_notify_settings(data_copy / "notify_scenarios.yaml")
    assert "nobody" in str(err.value)


# ---- the exercise: summary, what each provider could not see, prediction -------------------------


def test_summary_per_scenario(scenarios):
    summary = scenario_summary(scenarios)
    assert tuple(summary.columns) == SUMMARY_COLUMNS
    assert list(summary.scenario) == list(scenarios)
    base = summary.set_index("scenario").loc[ALL]
    dims = scenarios[ALL].problems
    assert base.goals_planned == len(dims) and base.goals_lost == 0 and base.unnotified == ""
    for d in dims:
        row = summary.set_index("scenario").loc[f"no_{d}"]
        assert row.goals_planned == len(dims) - 1
        assert d not in row.dimensions_with_goals.split(",")
        assert row.goals_lost == base.goals_met - row.goals_met >= 0
        assert "ไม่มีเป้าหมายในแผน" in row.unseen_th
        assert row.non_green_petals >= base.non_green_petals
    shown = scenario_summary_th(summary)
    assert "มิติที่มีเป้าหมาย" in shown.columns and shown.iloc[0]["สถานการณ์"] == "แจ้งผู้ให้บริการครบทุกมิติ"
    for row, (_, th) in zip(summary.itertuples(), shown.iterrows()):
        assert row.problems == len(dims)
        assert th["มิติที่บรรลุเป้าหมายเมื่อสิ้นช่วง"] == f"{row.goals_met} จาก {len(dims)} มิติที่มีปัญหา"


def test_dimension_timeline_follows_the_event_log(scenarios):
    table = dimension_timeline(scenarios)
    assert len(table) == len(scenarios) * len(scenarios[ALL].problems)
    for _, row in table.iterrows():
        s = scenarios[row.scenario]
        assert row.notified == (row.dimension not in s.unnotified)
        if not row.notified:
            assert pd.isna(row.goal_set) and pd.isna(row.service_started) and pd.isna(row.goal_met)
        elif pd.notna(row.goal_met):
            assert row.noticed <= row.goal_set <= row.consent <= row.service_started < row.goal_met


@pytest.fixture(scope="module")
def recorded_family(world):
    """A real family whose observations are replaced by four records, to check by hand."""
    pop, _ = world
    people = pop.people
    fam = next(f for f in pop.households.family_id
               if {"child"} <= set(people.loc[people.family_id == f, "relation"])
               and (people.loc[people.family_id == f, "role"] == "caregiver").any())
    members = people[people.family_id == fam]
    parent = members[members.role == "caregiver"].person_id.iloc[0]
    child = members[members.relation == "child"].person_id.iloc[0]
    obs = pd.DataFrame({
        "family_id": fam,
        "person_id": [parent, parent, child, child],
        "subject": ["parent", "parent", "child", "child"],
        "dimension": ["education", "education", "health", "social"],
        "indicator_id": ["no_income", "no_income", "malnutrition", "neglect"],
        "source": ["volunteer", "teacher", "nurse", "volunteer"],
        "observed_on": pd.to_datetime(["2025-03-01", "2025-01-10", "2025-02-01", "2025-04-01"]),
        "note_th": "บันทึก", "is_true": True,
    })
    return dataclasses.replace(pop, observations=obs), "JC" + fam[2:]


def test_what_each_provider_could_not_see_by_hand(recorded_family):
    pop, case_id = recorded_family
    table = what_they_could_not_see(pop, case_id)
    got = {(r.dimension, r.indicator_id): (r.recorded_by, r.links_to_own) for r in table.itertuples()}
    assert got == {
        # the social worker: the parent's lack of income and the child's malnutrition (neglect is its own)
        ("social", "no_income"): ("volunteer,teacher", False),
        ("social", "malnutrition"): ("nurse", True),          # neglect -> malnutrition
        # the teacher recorded the lack of income itself
        ("education", "malnutrition"): ("nurse", True),       # no_income -> malnutrition
        ("education", "neglect"): ("volunteer", False),
        ("health", "no_income"): ("volunteer,teacher", True),  # no_income -> malnutrition
        ("health", "neglect"): ("volunteer", True),           # neglect -> malnutrition
        ("governance", "no_income"): ("volunteer,teacher", False),
        ("governance", "malnutrition"): ("nurse", False),
        ("governance", "neglect"): ("volunteer", False),
    }
    first = table[(table.dimension == "social") & (table.indicator_id == "no_income")].first_recorded.iloc[0]
    assert first == pd.Timestamp("2025-01-10")
    lists = could_not_see_th(table, pop.config)
    assert list(lists) == ["นักสังคมสงเคราะห์ (มิติสังคม)", "ครู (มิติการศึกษา)",
                           "พยาบาลศูนย์บริการสาธารณสุข (มิติสุขภาพ)",
                           "เจ้าหน้าที่ฝ่ายปกครอง/พัฒนาชุมชนของเขต (มิติการปกครอง)"]
    # In the order of the records on screen (volunteers first): the neglect, then the malnutrition.
    teacher = lists["ครู (มิติการศึกษา)"]
    assert [line.split(" — ")[0] for line in teacher] == ["ถูกละเลยหรือถูกปล่อยลำพัง", "ขาดสารอาหาร"]
    assert teacher[1].endswith("(มิติสุขภาพ, บันทึกโดยพยาบาลศูนย์บริการสาธารณสุข) ★ เกี่ยวกับปัญหาในมิติของตนเอง")


def test_prediction_is_graded_on_the_goals_each_absence_puts_at_risk(world, case_id, scenarios):
    pop, _ = world
    ex = NotifyPrediction(pop, case_id, scenarios)
    table = ex.table().set_index("dimension")
    for d in ex.dimensions:
        links = scenario_summary(scenarios).set_index("scenario").loc[f"no_{d}", "goals_harder"]
        assert table.loc[d, "missing"] == 1 and table.loc[d, "harder"] == links
        assert table.loc[d, "at_risk"] == 1 + links
    # The chooser's case has one right answer, and the runs agree with it.
    assert len(ex.best) == 1 and table.loc[ex.best[0], "harder"] >= 1
    assert table.loc[ex.best[0], "goals_lost"] == table["goals_lost"].max() > 0
    right = ex.check(ex.best[0])
    assert right.correct and right.message_th.startswith("ถูกต้อง")
    assert any(line.startswith("เพราะปัญหาที่ไม่มีใครช่วย") for line in right.lines_th)
    wrong = ex.check(next(d for d in ex.dimensions if d not in ex.best))
    assert not wrong.correct and wrong.message_th.startswith("ยังไม่ใช่")
    assert "ยังไม่ได้เลือกคำตอบ" in ex.check("").message_th


def test_case_choice_is_stable_and_fits_activity_7(world, case_id):
    pop, tl = world
    assert choose_notify_case(tl, pop) == case_id
    case = tl.cases.set_index("case_id").loc[case_id]
    assert len(case.dimensions.split(",")) >= 3 and pd.notna(case.service_start_date)
    family = case.family_id
    assert case_of_family(pop, family) == case_id
    calm = pop.households[pop.households.case_level.isin(["none", "routine"])].family_id.iloc[0]
    with pytest.raises(ValueError, match="ไม่มีกลีบสีเหลืองหรือแดง"):
        case_of_family(pop, calm)
    with pytest.raises(ValueError, match="ไม่มีครอบครัว"):
        case_of_family(pop, "HH9999999")
    with pytest.raises(NotifyError, match="ไม่มีกลีบสีเหลืองหรือแดง"):
        run_scenario(pop, "JC" + calm[2:])


# ---- the figure and the widget ------------------------------------------------------------------


def test_figure_is_thai_sarabun_and_phone_wide(scenarios):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing Thai glyph raises here
        fig = scenario_figure(scenarios)
        fig.canvas.draw()
    texts = " ".join(t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text")))
    assert "แจ้งผู้ให้บริการครบทุกมิติ" in texts and "ไม่ได้แจ้ง" in texts and SYNTHETIC_MARK in texts
    assert "ม.ค." in texts and "256" in texts  # Thai months, Buddhist-era years
    fonts = {t.get_fontname() for t in fig.findobj(lambda a: hasattr(a, "get_fontname")) if t.get_text()}
    assert fonts == {"Sarabun"}
    assert fig.get_size_inches()[0] == pytest.approx(4.0)
    assert len(fig.axes) == len(scenarios)
    assert fig.termtem_alt_th.startswith("แจ้งผู้ให้บริการครบทุกมิติ: บรรลุเป้าหมาย")


def test_widget_predict_then_choose_who_is_notified(world, case_id):
    pop, _ = world
    wdg = NotifyScenarioWidget(pop, case_id)
    assert [box.description.startswith("แจ้ง") for box in wdg.notified.values()] == [True] * len(wdg.notified)
    wdg.check_button.click()
    assert "ยังไม่ได้เลือกคำตอบ" in wdg.feedback.value
    wdg.answer.value = wdg.exercise.best[0]
    wdg.check_button.click()
    assert "ถูกต้อง" in wdg.feedback.value
    wdg.show_button.click()
    assert "แจ้งครบทุกมิติ" in wdg.message.value and wdg.figure.png and wdg.blind.value == ""
    left_out = wdg.exercise.best[0]
    wdg.notified[left_out].value = False
    wdg.show_button.click()
    assert wdg.message.value == ""
    assert wdg.figure.png[:8] == b"\x89PNG\r\n\x1a\n" and "ไม่ได้แจ้ง" in wdg.figure.alt
    assert "ผลเมื่อสิ้นช่วงเวลาจำลอง" in wdg.summary.value and "ไม่มีเป้าหมายในแผน" in wdg.summary.value
    assert "ไม่ได้รับแจ้ง จึงไม่รู้ว่า" in wdg.blind.value
    assert f"no_{left_out}" in wdg.scenarios
