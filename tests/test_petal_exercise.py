import pytest

import simulator
from simulator.exercises.petal import (
    CASE_CHOICES, PETALS, AnswerError, PetalExercise, classify_families, expected_case_level, expected_colours, shown_records,
)
from simulator.exercises.views import observations_table
from simulator.model.config import load_config
from simulator.thai.vocabulary import COLOUR_TH


@pytest.fixture(scope="module")
def pop():
    return simulator.simulate(600, seed=2569)


@pytest.fixture(scope="module")
def big():
    # Enough families for 200 of each difficulty.
    return simulator.simulate(6000, seed=2569)


def _family(ex, predicate, tries=400):
    for _ in range(tries):
        if predicate(ex):
            return ex.family_id
        ex.new_family()
    pytest.fail("no family of the kind needed")


def test_every_difficulty_has_families_with_the_promised_evidence(pop):
    levels = classify_families(pop)
    assert set(levels) == {"clear", "mixed", "ambiguous"}
    obs = pop.observations
    for fid in levels[levels == "clear"].index[:30]:
        fam_obs = obs[obs.family_id == fid]
        assert fam_obs.is_true.all()
        truth = pop.indicators[pop.indicators.family_id == fid]
        vol = fam_obs[fam_obs.source == "volunteer"]
        assert set(zip(truth.person_id, truth.indicator_id.astype(str))) <= set(
            zip(vol.person_id, vol.indicator_id.astype(str))
        )
    for fid in levels[levels == "ambiguous"].index[:30]:
        fam_obs = obs[obs.family_id == fid]
        truth = pop.indicators[pop.indicators.family_id == fid]
        unseen = set(zip(truth.person_id, truth.indicator_id.astype(str))) - set(
            zip(fam_obs[fam_obs.is_true].person_id, fam_obs[fam_obs.is_true].indicator_id.astype(str))
        )
        assert (~fam_obs.is_true).any() or unseen
    # Every family drawn has at least one note to place.
    assert set(levels.index) <= set(obs.family_id)


@pytest.mark.parametrize("difficulty", ["clear", "mixed", "ambiguous"])
def test_the_answer_the_records_support_scores_full_marks_in_every_difficulty(big, difficulty):
    ex = PetalExercise(big, seed=11, difficulty=difficulty)
    pool = ex.candidates()
    assert len(pool) >= 200
    for fid in pool[:200]:
        ex.family_id = fid
        colours, placements, level = ex.expected_answer()
        assert level in CASE_CHOICES  # one of the three the widget offers
        result = ex.check(colours, placements, level)
        assert result.score == result.total == len(placements) + 8 + 1, fid
        assert result.summary_th.startswith("ถูกทุกข้อ")


def test_graded_rows_are_exactly_the_rows_on_screen(big):
    levels = classify_families(big)
    for difficulty in ("clear", "mixed", "ambiguous"):
        for fid in levels[levels == difficulty].index[:40]:
            rec = shown_records(big, fid)
            table = observations_table(big, fid, numbered=True)
            assert rec["note_th"].astype(str).tolist() == table["บันทึก"].tolist()
            assert rec["number"].tolist() == table["ข้อ"].tolist()


def test_expected_colour_is_the_worst_catalogue_severity_among_the_notes_shown(big):
    catalogue = load_config().catalogue.by_id()
    levels = classify_families(big)
    for fid in levels.index[:300]:
        rec = shown_records(big, fid)
        colours = expected_colours(rec)
        for petal in PETALS:
            sev = [catalogue[str(i)].severity for i, p in zip(rec.indicator_id, rec.petal) if p == petal]
            worst = max(sev, key=["green", "yellow", "red"].index) if sev else "green"
            assert colours[petal] == worst
        # The case level follows the kit's rule on those colours.
        level = expected_case_level(rec)
        assert level == ("emergency" if "red" in colours.values() else
                         "complex" if "yellow" in colours.values() else "routine")


def test_without_a_gap_the_records_support_the_true_flower(big):
    levels = classify_families(big)
    hh = big.households.set_index("family_id")
    for fid in levels[levels.isin(["clear", "mixed"])].index[:200]:
        rec = shown_records(big, fid)
        truth = big.petals.set_index("family_id").loc[fid, list(PETALS)].astype(str).to_dict()
        assert expected_colours(rec) == truth
        assert expected_case_level(rec) == hh.loc[fid, "case_level"]


def test_a_false_alarm_is_graded_on_the_report_and_the_truth_says_checked_not_found(big):
    ex = PetalExercise(big, seed=5, difficulty="ambiguous")
    _family(ex, lambda e: ((~e.records().is_true) & (e.records().severity == "red")).any())
    rec = ex.records()
    petal = rec[(~rec.is_true) & (rec.severity == "red")].petal.iloc[0]
    truth = ex.true_colours()
    assert truth[petal] != "red"  # the simulator knows nothing is there
    colours, placements, level = ex.expected_answer()
    assert colours[petal] == "red" and level == "emergency"
    # Colouring red as the book teaches: full marks for that petal.
    result = ex.check(colours, placements, level)
    fb = next(f for f in result.feedback if f.petal == petal)
    assert fb.is_correct and fb.chosen == "red"
    # Colouring the hidden truth instead is not what the screen supports.
    wrong = ex.check(dict(colours, **{petal: truth[petal]}), placements, level)
    assert not next(f for f in wrong.feedback if f.petal == petal).is_correct
    # Second layer: the truth and the lesson.
    sources = big.config.population.sources
    checker = next(s.label_th for s in sources.values() if s.dimension == petal.split("_", 1)[1])
    assert f"ตรวจสอบกับ{checker}แล้ว: ไม่พบ" in fb.truth_th
    assert f"ความจริงที่โปรแกรมจำลองรู้: สี{COLOUR_TH[truth[petal]]}" in fb.truth_th


def test_red_is_never_wrong_to_escalate(big):
    ex = PetalExercise(big, seed=6, difficulty="ambiguous")
    checked = 0
    for fid in ex.candidates()[:400]:
        ex.family_id = fid
        rec = ex.records()
        red_petals = set(rec[rec.severity == "red"].petal)
        if not red_petals:
            continue
        colours, placements, level = ex.expected_answer()
        result = ex.check(dict(colours, **{p: "red" for p in red_petals}), placements, level)
        assert all(f.is_correct for f in result.feedback if f.petal in red_petals)
        checked += 1
    assert checked >= 10


def test_a_problem_only_a_provider_knew_is_named_in_the_truth_layer(big):
    ex = PetalExercise(big, seed=3, difficulty="mixed")
    rec = ex.records()
    sources = big.config.population.sources
    ind = big.indicators[big.indicators.family_id == ex.family_id]
    vol = set(zip(rec[rec.source == "volunteer"].person_id, rec[rec.source == "volunteer"].indicator_id.astype(str)))
    missed = [r for r in ind.itertuples() if (r.person_id, str(r.indicator_id)) not in vol]
    assert missed
    r = missed[0]
    petal = f"{r.subject}_{r.dimension}"
    knew = rec[(rec.person_id == r.person_id) & (rec.indicator_id.astype(str) == str(r.indicator_id))].source.astype(str)
    colours, placements, level = ex.expected_answer()
    fb = next(f for f in ex.check(colours, placements, level).feedback if f.petal == petal)
    label = big.config.catalogue.by_id()[str(r.indicator_id)].label_th
    assert f"«{label}» {sources[knew.iloc[0]].label_th}" in fb.truth_th
    assert "รู้เรื่องนี้ แต่ไม่มีใครบอกอาสาสมัคร" in fb.truth_th


def test_a_problem_nobody_recorded_is_shown_only_in_the_truth_layer(big):
    ex = PetalExercise(big, seed=4, difficulty="ambiguous")

    def unrecorded(e):
        rec = e.records()
        ind = big.indicators[big.indicators.family_id == e.family_id]
        seen = set(zip(rec[rec.is_true].person_id, rec[rec.is_true].indicator_id.astype(str)))
        return any((p, str(i)) not in seen for p, i in zip(ind.person_id, ind.indicator_id))

    _family(ex, unrecorded)
    colours, placements, level = ex.expected_answer()
    result = ex.check(colours, placements, level)
    assert result.score == result.total
    assert any("ยังไม่มีใครบันทึก" in f.truth_th for f in result.feedback)


def test_wrong_placement_colour_and_case_level_are_each_marked_and_explained(pop):
    ex = PetalExercise(pop, seed=3, difficulty="mixed")
    colours, placements, level = ex.expected_answer()
    n = next(iter(placements))
    other_petal = next(p for p in PETALS if p != placements[n])
    coloured = next(p for p in PETALS if colours[p] != "green")
    other_level = "routine" if level != "routine" else "emergency"
    result = ex.check(dict(colours, **{coloured: "green"}), {**placements, n: other_petal}, other_level)
    assert result.score == result.total - 3
    note = next(f for f in result.notes if f.number == n)
    assert not note.is_correct and note.correct == placements[n]
    label = pop.config.catalogue.by_id()[str(ex.records().indicator_id.iloc[n - 1])].label_th
    assert label in note.explanation_th
    fb = next(f for f in result.feedback if f.petal == coloured)
    assert not fb.is_correct and fb.correct == colours[coloured]
    assert "ตามบันทึกบนจอ" in fb.explanation_th and f"ข้อ " in fb.explanation_th
    assert not result.case.is_correct and result.case.correct == level
    assert "ได้ " in result.summary_th and "บันทึก " in result.summary_th


def test_incomplete_or_unknown_answers_get_a_thai_message(pop):
    ex = PetalExercise(pop, seed=1)
    with pytest.raises(AnswerError, match="ยังไม่ได้เลือกสีของกลีบ: เด็ก · สังคม"):
        ex.check({})
    with pytest.raises(AnswerError, match="ยังไม่ได้เลือกกลีบของบันทึกข้อ 1"):
        ex.check({p: "green" for p in PETALS}, {}, "routine")
    placements = ex.expected_placements()
    with pytest.raises(AnswerError, match="ยังไม่ได้เลือกระดับของกรณี"):
        ex.check({p: "green" for p in PETALS}, placements, None)
    with pytest.raises(AnswerError, match="สีต้องเป็น"):
        ex.check({p: "blue" for p in PETALS}, placements, "routine")


def test_draw_sequence_is_reproducible_and_moves_on(pop):
    a, b = PetalExercise(pop, seed=8), PetalExercise(pop, seed=8)
    seq_a = [a.new_family() for _ in range(5)]
    seq_b = [b.new_family() for _ in range(5)]
    assert seq_a == seq_b
    assert all(x != y for x, y in zip(seq_a, seq_a[1:]))


def test_worked_example_is_stable_and_has_several_coloured_petals(pop):
    from simulator.exercises.petal import choose_example

    fid = choose_example(pop, "mixed", min_coloured=2)
    assert fid == choose_example(simulator.simulate(600, seed=2569), "mixed", min_coloured=2)
    row = pop.petals.set_index("family_id").loc[fid, list(PETALS)].astype(str)
    assert (row != "green").sum() >= 2


def test_worked_answer_table_lists_every_note_with_its_petal_and_colour(pop):
    from simulator.exercises.petal import answer_table, choose_example, petal_label_th

    fid = choose_example(pop, "mixed", min_coloured=2)
    table = answer_table(pop, fid)
    rec = shown_records(pop, fid)
    assert table["ข้อ"].tolist() == list(range(1, len(rec) + 1))
    assert table["กลีบ"].tolist() == [petal_label_th(p) for p in rec.petal]
    assert set(table["สีตั้งต้น"]) <= {"เขียว", "เหลือง", "แดง"}
