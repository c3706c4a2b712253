"""Activity 6: sorting families by their petals and agreeing at most three priorities."""

from __future__ import annotations

import pandas as pd
import pytest

import simulator
from simulator.dashboards.priorities import PriorityExercise, level_of_petals, petal_words
from simulator.dashboards.tables import PETAL_COLUMNS, REQUIRED_COLUMNS, DashboardData


def _petals(**coloured):
    row = {c: "green" for c in PETAL_COLUMNS}
    row.update(coloured)
    return row


FAMILIES = {
    "HH1": _petals(child_social="red", parent_health="yellow"),      # emergency, 1 red 1 yellow
    "HH2": _petals(child_health="red", child_social="red"),          # emergency, 2 red
    "HH3": _petals(child_education="yellow", parent_social="yellow"),  # complex, 2 yellow
    "HH4": _petals(parent_governance="yellow"),                      # complex, 1 yellow
    "HH5": _petals(),                                                # routine
}


@pytest.fixture
def tiny():
    ids = list(FAMILIES)
    households = pd.DataFrame({"family_id": ids, "zone": "z", "district": "d", "community": "ชุมชนทดลอง",
                               "sandbox": False, "household_type": "two_parents"})
    petals = pd.DataFrame([{"family_id": f, **p, "case_level": "none"} for f, p in FAMILIES.items()])
    children = pd.DataFrame({"person_id": [f"{f}-03" for f in ids], "family_id": ids, "sex": "female",
                             "birth_date": pd.Timestamp("2018-01-01")})
    day = pd.Timestamp
    cases = pd.DataFrame({c: [None] * 2 for c in REQUIRED_COLUMNS["cases"]})
    cases = cases.assign(case_id=["JC1", "JC3"], family_id=["HH1", "HH3"], case_level=["emergency", "complex"],
                         dimensions=["social,health", "education,social"],
                         onset_date=[day("2025-01-01")] * 2, noticed_date=[day("2025-02-01"), day("2025-03-01")],
                         plan_date=[day("2025-02-21"), pd.NaT])
    for col in ("first_notified_date", "consent_date", "service_start_date"):
        cases[col] = pd.NaT
    events = pd.DataFrame({c: [] for c in REQUIRED_COLUMNS["events"]})
    data = DashboardData(households, children, petals, cases, events, as_of="2025-12-31")
    return PriorityExercise(data, "ชุมชนทดลอง", seed=0, size=5)


def test_the_sorting_rule_is_the_worst_petal():
    petals = pd.DataFrame(list(FAMILIES.values()), index=list(FAMILIES))
    assert level_of_petals(petals).tolist() == ["emergency", "emergency", "complex", "complex", "routine"]


def test_petals_in_words_leave_green_out():
    assert petal_words(pd.Series(FAMILIES["HH1"])) == "เด็ก: สังคม แดง · ผู้ปกครอง: สุขภาพ เหลือง"
    assert petal_words(pd.Series(FAMILIES["HH5"])) == "เด็ก: เขียวทุกกลีบ · ผู้ปกครอง: เขียวทุกกลีบ"


def test_the_batch_shows_every_family_with_its_counts(tiny):
    table = tiny.table().set_index("ครอบครัว")
    assert set(table.index) == set(FAMILIES)
    assert table.loc["HH2", "แดง"] == 2 and table.loc["HH3", "เหลือง"] == 2 and table.loc["HH5", "แดง"] == 0


def test_sorting_is_graded_per_family_with_the_reason(tiny):
    answers = {"HH1": "emergency", "HH2": "complex", "HH3": "complex", "HH4": "complex", "HH5": "routine"}
    feedback = tiny.check_sorting(answers)
    assert feedback.score == 4 and not feedback.correct["HH2"]
    assert any("HH2" in m and "มีกลีบสีแดง" in m for m in feedback.messages)
    with pytest.raises(ValueError, match="ยังไม่ได้เลือกระดับ"):
        tiny.check_sorting({"HH1": "emergency"})


def test_emergencies_first_then_the_most_yellow_complex_case(tiny):
    assert tiny.best_priorities() == ["HH2", "HH1", "HH3"]


@pytest.mark.parametrize("chosen", [["HH1", "HH2", "HH3"], ["HH2", "HH1", "HH4"]])
def test_any_choice_following_the_rule_is_accepted(tiny, chosen):
    feedback = tiny.check_priorities(chosen)
    assert feedback.accepted, feedback.messages
    assert len(feedback.truth) == 5
    assert any("HH1 (เลือก, ฉุกเฉิน): ได้ประชุมวางแผนหลังพบปัญหา 20 วัน" == t for t in feedback.truth)


@pytest.mark.parametrize("chosen, says", [
    (["HH1", "HH3", "HH4"], "กรณีฉุกเฉิน HH2"),
    (["HH1", "HH2", "HH5"], "HH5 เป็นกรณีปกติ"),
    (["HH1", "HH2", "HH3", "HH4"], "ไม่เกิน 3 กรณี"),
    (["HH1", "HH2"], "ยังเลือกได้อีก 1 กรณี"),
    ([], "ยังไม่ได้เลือกครอบครัว"),
])
def test_choices_against_the_rule_are_refused_with_the_reason(tiny, chosen, says):
    feedback = tiny.check_priorities(chosen)
    assert not feedback.accepted
    assert any(says in m for m in feedback.messages), feedback.messages


def test_the_second_layer_tells_waiting_without_a_plan(tiny):
    truth = tiny.check_priorities(["HH1", "HH2", "HH3"]).truth
    assert "HH3 (เลือก, ซับซ้อน): พบปัญหาแล้ว 305 วัน ยังไม่มีแผน" in truth
    assert any(t.startswith("HH5 (ไม่ได้เลือก)") for t in truth)


def test_a_simulated_batch_mixes_levels_and_is_reproducible():
    pop = simulator.simulate(6000, seed=2569)
    data = DashboardData.from_simulation(pop, simulator.simulate_timelines(pop))
    district, community = data.households.groupby(["district", "community"], observed=True).size().idxmax()
    one = PriorityExercise(data, community, seed=4, district=district)
    two = PriorityExercise(data, community, seed=4, district=district)
    assert one.family_ids == two.family_ids and len(one.family_ids) == 8
    levels = set(one.levels.values())
    assert {"emergency", "complex", "routine"} <= levels
    assert one.check_priorities(one.best_priorities()).accepted
    placed = data.households.set_index("family_id").loc[one.family_ids]
    assert set(placed.community.astype(str)) == {community} and set(placed.district.astype(str)) == {district}


def test_a_community_name_shared_by_two_districts_needs_its_district():
    pop = simulator.simulate(6000, seed=2569)
    data = DashboardData.from_simulation(pop, simulator.simulate_timelines(pop))
    names = data.households.groupby("community", observed=True)["district"].nunique()
    shared = names[names > 1].index[0]
    with pytest.raises(ValueError, match="more than one district"):
        PriorityExercise(data, str(shared), seed=1)


def test_the_widget_grades_sorting_and_priorities_when_clicked(tiny):
    from simulator.widgets.priorities import PriorityWidget

    widget = PriorityWidget(tiny)
    widget.sort_button.click()
    assert "ยังไม่ได้เลือกระดับของ" in widget.sort_feedback.value
    for fid, level in tiny.levels.items():
        widget.levels[fid].value = level
    widget.levels["HH2"].value = "complex"
    widget.sort_button.click()
    assert "ถูก 4 จาก 5 ครอบครัว" in widget.sort_feedback.value and "✘ HH2" in widget.sort_feedback.value

    for fid in ("HH1", "HH3", "HH4"):
        widget.chosen[fid].value = True
    widget.priority_button.click()
    assert "กรณีฉุกเฉิน HH2" in widget.priority_feedback.value and widget.truth_html.value == ""
    widget.chosen["HH4"].value = False
    widget.chosen["HH2"].value = True
    widget.priority_button.click()
    assert "✔ ลำดับความสำคัญเป็นไปตามกติกา" in widget.priority_feedback.value
    assert "ความจริงของโลกจำลอง" in widget.truth_html.value and "HH5 (ไม่ได้เลือก)" in widget.truth_html.value
