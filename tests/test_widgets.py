import re

import pytest

import simulator
from simulator.exercises.petal import PETALS, PetalExercise
from simulator.widgets import PetalAnalysisWidget


@pytest.fixture(scope="module")
def pop():
    return simulator.simulate(600, seed=2569)


THAI = re.compile("[\u0e00-\u0e7f]")


def _answer_by_clicking(wdg, colours, placements, level):
    for n, dropdown in wdg.notes.items():
        dropdown.value = placements[n]
    for petal, dropdown in wdg.petals.items():
        dropdown.value = colours[petal]
    wdg.case_level.value = level
    wdg.check_button.click()


def test_check_without_answers_shows_thai_error_and_grades_nothing(pop):
    wdg = PetalAnalysisWidget(PetalExercise(pop, seed=1))
    wdg.check_button.click()
    assert "ยังไม่ได้เลือกกลีบของบันทึกข้อ 1" in wdg.message.value
    assert "ยังไม่ได้เลือกสีของกลีบ" in wdg.message.value and "ยังไม่ได้เลือกระดับของกรณี" in wdg.message.value
    assert wdg.result is None and wdg.feedback_html.value == "" and wdg.flower.png == b""


def test_answer_flower_is_hidden_until_check_is_clicked(pop):
    wdg = PetalAnalysisWidget(PetalExercise(pop, seed=2, difficulty="mixed"))
    assert wdg.flower.png == b"" and wdg.feedback_html.value == ""
    colours, placements, level = wdg.expected()
    for n, dropdown in wdg.notes.items():
        dropdown.value = placements[n]
    assert wdg.flower.png == b""  # answering alone reveals nothing
    _answer_by_clicking(wdg, colours, placements, level)
    assert wdg.flower.png[:4] == b"\x89PNG"


def test_full_round_trip_place_colour_name_and_see_feedback(pop):
    wdg = PetalAnalysisWidget(PetalExercise(pop, seed=2, difficulty="mixed"))
    colours, placements, level = wdg.expected()
    _answer_by_clicking(wdg, colours, placements, level)
    n_notes = len(placements)
    assert "ถูกทุกข้อ" in wdg.message.value and f"บันทึก {n_notes}/{n_notes}" in wdg.message.value
    assert wdg.result.score == wdg.result.total == n_notes + 9
    # Feedback per note, per petal and for the case level, all in Thai.
    assert wdg.feedback_html.value.count("<li>") == n_notes + 8
    assert wdg.feedback_html.value.count("✔ ถูก") == n_notes + 8 + 1
    assert "ระดับของกรณี" in wdg.feedback_html.value
    assert "ความจริงที่โปรแกรมจำลองรู้" in wdg.feedback_html.value


def test_one_wrong_note_petal_and_case_are_marked(pop):
    wdg = PetalAnalysisWidget(PetalExercise(pop, seed=2, difficulty="clear"))
    colours, placements, level = wdg.expected()
    petal = next(p for p, c in colours.items() if c != "green")
    other = next(p for p in PETALS if p != placements[1])
    wrong_level = "routine" if level != "routine" else "complex"
    _answer_by_clicking(wdg, dict(colours, **{petal: "green"}), {**placements, 1: other}, wrong_level)
    assert f"ได้ {wdg.result.total - 3} จาก {wdg.result.total} คะแนน" in wdg.message.value
    assert "ยังไม่ถูก (คุณเลือกเขียว)" in wdg.feedback_html.value
    assert "ยังไม่ถูก (คุณเลือก " in wdg.feedback_html.value  # the note placed in the wrong petal
    assert "ระดับของกรณี" in wdg.feedback_html.value and wdg.feedback_html.value.count("✘") == 3


def test_a_false_alarm_coloured_red_scores_and_the_truth_says_not_found(pop):
    ex = PetalExercise(pop, seed=5, difficulty="ambiguous")
    for _ in range(200):
        rec = ex.records()
        if ((~rec.is_true) & (rec.severity == "red")).any():
            break
        ex.new_family()
    else:
        pytest.fail("no red false alarm")
    wdg = PetalAnalysisWidget(ex)
    wdg._show_case()
    colours, placements, level = wdg.expected()
    _answer_by_clicking(wdg, colours, placements, level)
    assert "ถูกทุกข้อ" in wdg.message.value
    assert "แล้ว: ไม่พบ" in wdg.feedback_html.value


def test_new_family_button_and_difficulty_reset_the_answer(pop):
    wdg = PetalAnalysisWidget(PetalExercise(pop, seed=3))
    first = wdg.exercise.family_id
    colours, placements, level = wdg.expected()
    _answer_by_clicking(wdg, colours, placements, level)
    assert wdg.flower.png != b""
    wdg.new_button.click()
    assert wdg.exercise.family_id != first
    assert all(d.value == "" for d in wdg.petals.values())
    assert all(d.value == "" for d in wdg.notes.values())
    assert wdg.case_level.value == "" and wdg.result is None
    assert wdg.message.value == "" and wdg.feedback_html.value == "" and wdg.flower.png == b""
    assert len(wdg.notes) == len(wdg.exercise.records())
    assert wdg.exercise.family_id in wdg.case_html.value
    wdg.difficulty.value = "ambiguous"
    assert wdg.exercise.difficulty == "ambiguous"
    assert "ข้อมูลสมมติ" in wdg.view.children[0].value


def test_case_shows_notes_members_and_strengths_in_thai(pop):
    wdg = PetalAnalysisWidget(PetalExercise(pop, seed=4, difficulty="mixed"))
    html = wdg.case_html.value + "".join(getattr(c, "value", "") or "" for c in wdg.notes_box.children
                                         if isinstance(getattr(c, "value", None), str))
    fid = wdg.exercise.family_id
    notes = pop.observations[pop.observations.family_id == fid].note_th.astype(str)
    assert all(n.replace("<", "&lt;") in html or n in html for n in notes)
    assert "สมาชิก" in html and "จุดแข็งของครอบครัว" in html
    assert "ข้อ 1" in html and " 25" in html  # numbered notes, Thai Buddhist-era years in dates
    assert "is_true" not in html and "True" not in html  # the answer is not leaked


def test_controls_are_one_full_width_column_for_phones(pop):
    wdg = PetalAnalysisWidget(PetalExercise(pop, seed=4, difficulty="mixed"))
    controls = [*wdg.notes.values(), *wdg.petals.values(), wdg.case_level, wdg.check_button, wdg.new_button]
    assert all(c.layout.width == "100%" for c in controls)
    # Every choice has its own Thai label, tied to the control (read by screen readers); the
    # served app's stylesheet puts it above the control on a phone (tests/browser).
    labelled = [c for c in controls if hasattr(c, "options")]
    assert all(THAI.search(c.description) for c in labelled)
    assert all(c.style.description_width == "initial" for c in labelled)
