import pytest

import simulator
from simulator.exercises.petal import PetalExercise
from simulator.widgets import PetalAnalysisWidget


@pytest.fixture(scope="module")
def pop():
    return simulator.simulate(600, seed=2569)


def test_check_without_colours_shows_thai_error_and_grades_nothing(pop):
    wdg = PetalAnalysisWidget(PetalExercise(pop, seed=1))
    wdg.check_button.click()
    assert "ยังไม่ได้เลือกสีของกลีบ" in wdg.message.value
    assert wdg.result is None and wdg.feedback_html.value == "" and wdg.flower.value == b""


def test_full_round_trip_colour_check_and_see_flower(pop):
    wdg = PetalAnalysisWidget(PetalExercise(pop, seed=2, difficulty="mixed"))
    truth = wdg.reveal()
    for petal, dropdown in wdg.petals.items():
        dropdown.value = truth[petal]
    wdg.check_button.click()
    assert "ถูกทั้ง 8 กลีบ" in wdg.message.value
    assert wdg.feedback_html.value.count("<li>") == 8
    assert wdg.flower.value[:4] == b"\x89PNG"


def test_one_wrong_petal_is_marked(pop):
    wdg = PetalAnalysisWidget(PetalExercise(pop, seed=2, difficulty="clear"))
    truth = wdg.reveal()
    petal = next(p for p, c in truth.items() if c != "green")
    wdg.fill_answer(dict(truth, **{petal: "green"}))
    wdg.check_button.click()
    assert "ถูก 7 จาก 8 กลีบ" in wdg.message.value
    assert "ยังไม่ถูก (คุณเลือกเขียว)" in wdg.feedback_html.value


def test_new_family_button_and_difficulty_reset_the_answer(pop):
    wdg = PetalAnalysisWidget(PetalExercise(pop, seed=3))
    first = wdg.exercise.family_id
    wdg.fill_answer({p: "red" for p in wdg.petals})
    wdg.new_button.click()
    assert wdg.exercise.family_id != first
    assert all(d.value == "" for d in wdg.petals.values())
    assert wdg.exercise.family_id in wdg.case_html.value
    wdg.difficulty.value = "ambiguous"
    assert wdg.exercise.difficulty == "ambiguous"
    assert "ข้อมูลสมมติ" in wdg.view.children[0].value


def test_case_shows_notes_members_and_strengths_in_thai(pop):
    wdg = PetalAnalysisWidget(PetalExercise(pop, seed=4, difficulty="mixed"))
    html = wdg.case_html.value
    fid = wdg.exercise.family_id
    notes = pop.observations[pop.observations.family_id == fid].note_th.astype(str)
    assert all(n.replace("<", "&lt;") in html or n in html for n in notes)
    assert "สมาชิก" in html and "จุดแข็งของครอบครัว" in html
    assert "ผู้บันทึก" in html and " 25" in html  # Thai Buddhist-era years in dates
    assert "is_true" not in html and "True" not in html  # the answer is not leaked
