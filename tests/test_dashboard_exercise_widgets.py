"""The phone widget of the three dashboard-analysis exercises, driven by setting values and clicking.

One small world (simulate(3000, seed=2569)) serves every exercise; its truth sample is the
same world (settings copied with ``truth_sample`` 3000 families), so no test waits for the
100,000-family world. Right answers are taken from each exercise's record-based answer, not
from the widget.
"""

from __future__ import annotations

import html
import re
import warnings

import pytest

import simulator
from simulator.dashboards import exercises as ex
from simulator.dashboards.tables import DashboardData
from simulator.thai.vocabulary import SYNTHETIC_MARK
from simulator.widgets import DashboardExerciseWidget
from simulator.widgets.dashboard_exercises import WORKING_TH

THAI = re.compile("[\u0e00-\u0e7f]")
KINDS = ["trend", "risk", "programme"]


@pytest.fixture(scope="module")
def world():
    pop = simulator.simulate(3000, seed=2569)
    data = DashboardData.from_simulation(pop, simulator.simulate_timelines(pop))
    settings = ex.load_exercise_settings().model_copy(
        update={"truth_sample": ex.WorldSize(families=3000, seed=2569)})
    return pop, data, settings


def make(world, kind):
    pop, data, settings = world
    if kind == "trend":
        return ex.TrendExercise(data, truth=data, settings=settings)
    if kind == "risk":
        return ex.RiskGroupExercise(data, settings=settings)
    return ex.ProgrammeExercise(data, pop=pop, settings=settings)


def records_answer(exercise):
    """The answer the records support, read from the exercise (in the controls' values)."""
    rec = exercise.answer_from_records()
    if isinstance(exercise, ex.TrendExercise):
        return dict(zip(rec["area"], rec["direction"]))
    if isinstance(exercise, ex.RiskGroupExercise):
        return ex.top_group(rec)[0]
    return str(round(float(rec.set_index("estimator").loc["did", "shorter_by_days"])))


def wrong_answer(exercise, right):
    if isinstance(exercise, ex.TrendExercise):
        area = next(iter(right))
        return {**right, area: "rose" if right[area] != "rose" else "fell"}
    if isinstance(exercise, ex.RiskGroupExercise):
        return next(g for g in exercise.answer_from_records()["group"] if g != right)
    return str(round(float(right) + exercise.tolerance_days() + 20))


def set_controls(wdg, kind, answer):
    if kind == "trend":
        for area, direction in answer.items():
            wdg.controls[area].value = direction
    else:
        wdg.controls["group" if kind == "risk" else "days"].value = answer


def click_and_record_messages(wdg) -> list[str]:
    seen = []
    wdg.message.observe(lambda change: seen.append(change["new"]), names="value")
    wdg.check_button.click()
    return seen


def truth_shown(wdg) -> bool:
    return bool(wdg.truth_heading.value or wdg.truth_figure.png or wdg.truth_html.value)


# ---------------------------------------------------------------------------- missing answers

def test_nothing_chosen_names_what_is_missing_in_thai(world):
    for kind, expected in (("trend", "ยังไม่ได้เลือกทิศทางของ: "), ("risk", "ยังไม่ได้เลือก «ช่วงอายุที่สูงที่สุด»"),
                           ("programme", "ยังไม่ได้ใส่ «จำนวนวันที่สั้นลง (ค่ามัธยฐาน)»")):
        wdg = DashboardExerciseWidget(make(world, kind))
        wdg.check_button.click()
        assert expected in wdg.message.value, kind
        assert wdg.result is None and wdg.feedback_html.value == "" and not truth_shown(wdg)


def test_a_trend_answer_missing_one_area_names_only_that_area(world):
    exercise = make(world, "trend")
    wdg = DashboardExerciseWidget(exercise)
    rec = exercise.answer_from_records()
    right = records_answer(exercise)
    last = rec["area"].iloc[-1]  # "all": every area together
    set_controls(wdg, "trend", {a: d for a, d in right.items() if a != last})
    wdg.check_button.click()
    assert wdg.message.value.endswith(f"ยังไม่ได้เลือกทิศทางของ: {ex.ALL_TH}</span>")
    assert wdg.result is None


def test_a_number_that_is_not_one_names_the_field_and_computes_no_truth(world):
    exercise = make(world, "programme")
    calls = []
    real_truth = exercise.truth
    exercise.truth = lambda: calls.append(1) or real_truth()
    wdg = DashboardExerciseWidget(exercise)
    wdg.controls["days"].value = "เร็วขึ้นมาก"
    wdg.check_button.click()
    assert "«จำนวนวันที่สั้นลง (ค่ามัธยฐาน)»" in wdg.message.value and "ให้ใส่ตัวเลข" in wdg.message.value
    assert wdg.result is None and wdg.feedback_html.value == "" and not truth_shown(wdg)
    assert calls == [] and not wdg.check_button.disabled


# ---------------------------------------------------------------------------- right and wrong

@pytest.mark.parametrize("kind", KINDS)
def test_the_records_answer_is_right_and_opens_the_truth_layer(world, kind):
    exercise = make(world, kind)
    wdg = DashboardExerciseWidget(exercise)
    assert not truth_shown(wdg)
    right = records_answer(exercise)
    set_controls(wdg, kind, right)
    seen = click_and_record_messages(wdg)
    assert any(WORKING_TH in m for m in seen) and wdg.message.value == ""  # said while the truth ran, then gone
    expected = exercise.check(right)
    assert wdg.result.correct and expected.correct
    shown = wdg.feedback_html.value
    assert "✔" in shown and "ถูกต้อง" in shown and "ยังไม่ถูก" not in shown
    assert expected.verdict_th.split(" (")[0] in shown
    # The record-based answer, the tolerance and the lesson, in Thai.
    assert "ตามบันทึก (records)" in shown and "เกณฑ์ตรวจ" in shown and "บทเรียน" in shown
    assert expected.records_th.split("; ")[0] in shown
    assert html.escape(expected.tolerance_th) in shown and html.escape(expected.lesson_th) in shown
    assert ex.GAP_TH[expected.gaps[0]] in shown
    # The second layer: heading, the truth figure and its text.
    assert "ความจริงของโลกจำลอง" in wdg.truth_heading.value
    assert wdg.truth_figure.png[:4] == b"\x89PNG" and wdg.truth_figure.png != wdg.figure.png
    assert expected.truth_th.split("; ")[0].split(" · ")[0] in wdg.truth_html.value


@pytest.mark.parametrize("kind", KINDS)
def test_a_wrong_answer_is_not_right(world, kind):
    exercise = make(world, kind)
    wdg = DashboardExerciseWidget(exercise)
    set_controls(wdg, kind, wrong_answer(exercise, records_answer(exercise)))
    wdg.check_button.click()
    assert wdg.result is not None and not wdg.result.correct
    assert "✘" in wdg.feedback_html.value and "ยังไม่ถูก" in wdg.feedback_html.value
    assert "✔" not in wdg.feedback_html.value
    assert "ความจริงของโลกจำลอง" in wdg.truth_heading.value  # the truth teaches after any check


def test_a_wrong_trend_area_is_named(world):
    exercise = make(world, "trend")
    wdg = DashboardExerciseWidget(exercise)
    right = records_answer(exercise)
    wrong = wrong_answer(exercise, right)
    set_controls(wdg, "trend", wrong)
    wdg.check_button.click()
    area_th = exercise.answer_from_records()["area_th"].iloc[0]
    assert f"ตรงกับบันทึก {len(right) - 1} จาก {len(right)} พื้นที่ (ผิดที่ {area_th})" in wdg.feedback_html.value


@pytest.mark.parametrize("kind", KINDS)
def test_changing_the_answer_clears_feedback_and_truth(world, kind):
    exercise = make(world, kind)
    wdg = DashboardExerciseWidget(exercise)
    right = records_answer(exercise)
    set_controls(wdg, kind, right)
    wdg.check_button.click()
    assert wdg.result is not None and truth_shown(wdg)
    set_controls(wdg, kind, wrong_answer(exercise, right))
    assert wdg.result is None and wdg.feedback_html.value == "" and wdg.message.value == ""
    assert not truth_shown(wdg)
    assert wdg.figure.png[:4] == b"\x89PNG"  # the records' figure stays


def test_the_programme_truth_is_computed_only_when_checking(world):
    exercise = make(world, "programme")
    calls = []
    real_truth = exercise.truth
    exercise.truth = lambda: calls.append(1) or real_truth()
    wdg = DashboardExerciseWidget(exercise)
    wdg.controls["days"].value = "30"
    assert calls == []  # opening the page and typing re-simulate nothing
    wdg.check_button.click()
    assert calls and wdg.result is not None


# ---------------------------------------------------------------------------- layout and figures

@pytest.mark.parametrize("kind", KINDS)
def test_figures_have_thai_alt_text(world, kind):
    exercise = make(world, kind)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing Thai glyph raises while the figure is drawn
        wdg = DashboardExerciseWidget(exercise)
        set_controls(wdg, kind, records_answer(exercise))
        wdg.check_button.click()
    for picture in (wdg.figure, wdg.truth_figure):
        assert picture.alt.strip() and THAI.search(picture.alt)
        assert 'alt="' + picture.alt[:20] in picture.value
    assert wdg.truth_figure.alt != wdg.figure.alt  # the truth figure says what it adds


@pytest.mark.parametrize("kind", KINDS)
def test_one_full_width_thai_column_with_the_question_and_the_mark(world, kind):
    exercise = make(world, kind)
    wdg = DashboardExerciseWidget(exercise)
    assert wdg.view.layout.width == "100%"
    assert SYNTHETIC_MARK in wdg.view.children[0].value
    assert exercise.question_th[:30] in wdg.question.value
    assert wdg.figure in wdg.view.children and wdg.truth_figure in wdg.view.children
    controls = [*wdg.controls.values(), wdg.check_button]
    assert all(c.layout.width == "100%" for c in controls)
    assert all(THAI.search(c.description) and c.style.description_width == "initial"
               for c in wdg.controls.values())
    assert wdg.check_button.description == "ตรวจคำตอบ" and wdg.check_button.button_style == "primary"
    assert THAI.search(wdg.table.value) and "<table" in wdg.table.value


def test_the_controls_offer_the_exercise_choices(world):
    trend = DashboardExerciseWidget(make(world, "trend"))
    areas = make(world, "trend").answer_from_records()
    assert list(trend.controls) == list(areas["area"])
    assert [c.description for c in trend.controls.values()] == list(areas["area_th"])
    assert [v for _, v in trend.controls[ex.ALL].options] == ["", "rose", "fell", "unclear"]
    _, data, settings = world
    by_type = DashboardExerciseWidget(ex.RiskGroupExercise(data, by="household_type", settings=settings))
    group = by_type.controls["group"]
    assert group.description == "ประเภทครัวเรือนที่สูงที่สุด"
    groups = ex.colour_share_by_group(data, "household_type")
    assert [v for _, v in group.options] == [""] + list(groups["group"])
    assert [label for label, _ in group.options][1:] == list(groups["label_th"])


def test_only_dashboard_exercises_are_accepted(world):
    with pytest.raises(TypeError, match="not a dashboard exercise"):
        DashboardExerciseWidget(object())
