"""The check-in's widgets (simulator.widgets.checkin), driven as a participant would: set the
dropdowns and radio buttons, click the button, read the feedback."""

import re

import pandas as pd
import pytest

from simulator.exercises.checkin import OPTION_LETTERS_TH, load_checkin, score_test
from simulator.widgets import PreTestWidget, SurveyWidget
from simulator.workshop import room as R

SPEC = load_checkin()
STATEMENTS = SPEC.survey.statements
QUESTIONS = SPEC.test.questions
THAI = re.compile(r"[\u0e00-\u0e7f]")


def _wrong(question) -> str:
    return next(o.key for o in question.options if o.key != question.answer)


# -------------------------------------------------------------------------------- the survey

def test_an_empty_survey_names_the_code_and_every_statement_and_stores_nothing():
    got = []
    widget = SurveyWidget(on_submit=got.append)
    assert widget.submit_button.click() is None
    message = widget.message.value
    assert "กรุณาใส่รหัสผู้เข้าร่วม" in message
    assert f"ยังไม่ได้ตอบข้อ 1, 2, 3, 4, 5, 6, 7 และ {len(STATEMENTS)}" in message
    assert got == [] and widget.answers is None


def test_the_survey_names_exactly_the_statements_left_unanswered():
    got = []
    widget = SurveyWidget(participant_id="P07", on_submit=got.append)
    for k, statement in enumerate(STATEMENTS, start=1):
        if k not in (2, 5):
            widget.choices[statement.id].value = 4
    widget.submit_button.click()
    message = widget.message.value
    assert "ยังไม่ได้ตอบข้อ 2 และ 5" in message
    assert STATEMENTS[1].short_th in message and STATEMENTS[4].short_th in message
    assert STATEMENTS[0].short_th not in message and "รหัสผู้เข้าร่วม" not in message
    assert got == []


def test_a_complete_survey_goes_to_the_callback_as_rows_the_room_reads():
    got = []
    widget = SurveyWidget(on_submit=got.append)
    widget.code.value = " P07 "
    for k, statement in enumerate(STATEMENTS):
        widget.choices[statement.id].value = k % 5 + 1
    widget.submit_button.click()
    assert len(got) == 1
    rows = got[0]
    assert list(rows.columns) == ["participant_id", "statement_id", "answer"]
    assert rows["participant_id"].eq("P07").all()
    assert list(rows["statement_id"]) == [s.id for s in STATEMENTS]
    assert list(rows["answer"]) == [k % 5 + 1 for k in range(len(STATEMENTS))]
    assert "บันทึกคำตอบของ P07 แล้ว" in widget.message.value
    summary = R.survey_summary(rows).set_index("statement_id")
    assert summary.loc[STATEMENTS[0].id, "count_1"] == 1
    # Changing an answer and sending again sends the new answers.
    widget.choices[STATEMENTS[0].id].value = 5
    widget.submit_button.click()
    assert len(got) == 2 and got[1].iloc[0]["answer"] == 5


def test_the_survey_dropdowns_show_the_thai_scale():
    widget = SurveyWidget(participant_id="P01")
    labels = [label for label, _ in widget.choices[STATEMENTS[0].id].options]
    assert labels == ["— เลือกคำตอบ —"] + [f"{k} {t}" for k, t in enumerate(SPEC.survey.scale, start=1)]
    assert widget.code not in widget.view.children  # the platform knows who signed in


# ------------------------------------------------------------------------------- the pre-test

def test_an_unanswered_test_names_the_questions_and_scores_nothing():
    got = []
    widget = PreTestWidget(participant_id="P03", on_submit=lambda a, f: got.append((a, f)))
    for q in QUESTIONS[:7]:
        widget.options[q.id].value = q.answer
    widget.submit_button.click()
    assert "ยังไม่ได้ตอบข้อ 8, 9 และ 10" in widget.message.value
    assert got == [] and widget.feedback is None and not widget.submit_button.disabled


def test_the_test_is_scored_with_feedback_and_explanations_under_each_question():
    got = []
    widget = PreTestWidget(participant_id="P03", on_submit=lambda a, f: got.append((a, f)))
    # Right on questions 1-7, wrong on 8-10: 7 of 10, below the 80% pass mark.
    for k, q in enumerate(QUESTIONS):
        widget.options[q.id].value = q.answer if k < 7 else _wrong(q)
    widget.submit_button.click()
    assert "ได้ 7 จาก 10 ข้อ (70%) ยังไม่ถึงเกณฑ์ 80%" in widget.message.value
    first, eighth = QUESTIONS[0], QUESTIONS[7]
    assert "✔ ข้อ 1 ถูก" in widget.results[first.id].value
    result = widget.results[eighth.id].value
    assert f"✘ ข้อ 8 ยังไม่ถูก (ตอบ {OPTION_LETTERS_TH[_wrong(eighth)]})" in result
    assert eighth.option(eighth.answer).text_th in result and eighth.explanation_th in result
    # Locked once scored; the callback got the answers in the room's shape.
    assert widget.submit_button.disabled and all(r.disabled for r in widget.options.values())
    assert len(got) == 1
    answers, feedback = got[0]
    assert feedback.score == 7 and not feedback.reached_pass_mark
    assert score_test(answers).iloc[0][["participant_id", "score", "percent"]].tolist() == ["P03", 7, 70.0]
    widget.submit_button.click()  # a second click changes nothing
    assert len(got) == 1


def test_eight_right_reaches_the_pass_mark_and_answers_can_stay_hidden():
    widget = PreTestWidget(participant_id="P04", stage="post", show_answers=False)
    for k, q in enumerate(QUESTIONS):
        widget.options[q.id].value = q.answer if k < 8 else _wrong(q)
    feedback = widget.submit()
    assert feedback.percent == 80.0 and feedback.reached_pass_mark
    assert "ผ่านเกณฑ์ 80%" in widget.message.value
    assert all(r.value == "" for r in widget.results.values())
    assert "หลังการอบรม (post-test)" in widget.view.children[0].value


def test_the_test_asks_for_a_code_when_the_notebook_gives_none():
    widget = PreTestWidget()
    for q in QUESTIONS:
        widget.options[q.id].value = q.answer
    widget.submit_button.click()
    assert "กรุณาใส่รหัสผู้เข้าร่วม" in widget.message.value and widget.feedback is None
    widget.code.value = "P09"
    widget.submit_button.click()
    assert widget.feedback.score == 10 and widget.answers["participant_id"].eq("P09").all()


def test_a_room_of_widgets_feeds_the_knowledge_gain():
    def take(pid, n_right, stage):
        widget = PreTestWidget(participant_id=pid, stage=stage)
        for k, q in enumerate(QUESTIONS):
            widget.options[q.id].value = q.answer if k < n_right else _wrong(q)
        widget.submit()
        return widget.answers

    pre = pd.concat([take("A", 4, "pre"), take("B", 9, "pre")], ignore_index=True)
    post = pd.concat([take("A", 8, "post"), take("B", 9, "post")], ignore_index=True)
    gain = R.knowledge_gain(pre, post).set_index("participant_id")
    assert gain.loc["A", ["gain", "improved", "reached_pass_mark"]].tolist() == [40.0, True, True]
    assert gain.loc["B", ["gain", "improved", "reached_pass_mark"]].tolist() == [0.0, False, True]


# ------------------------------------------------------------------------------- phone layout

@pytest.mark.parametrize("make", [lambda: SurveyWidget(), lambda: PreTestWidget()], ids=["survey", "test"])
def test_controls_are_one_full_width_column_with_thai_labels(make):
    widget = make()
    labelled = list(getattr(widget, "choices", getattr(widget, "options", {})).values()) + [widget.code]
    controls = labelled + [widget.submit_button, widget.message]
    assert widget.view.layout.width == "100%"
    assert all(c.layout.width == "100%" for c in controls)
    assert all(THAI.search(c.description) for c in labelled)
    assert all(c.style.description_width == "initial" for c in labelled)
    assert widget.submit_button.button_style == "primary" and THAI.search(widget.submit_button.description)
