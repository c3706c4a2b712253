"""The district's upstream-vs-downstream exercise: data file, sorting rule, feedback, truth, summary."""

from __future__ import annotations

import re

import pandas as pd
import pytest

import simulator
from simulator import ConfigError
from simulator.exercises.upstream import (
    AnswerError,
    Card,
    CardItem,
    UpstreamExercise,
    card_reason,
    card_stream,
    dimension_timing,
    lead_problems,
    load_streams,
    span_th,
    stream_counts,
    stream_summary,
    stream_summary_th,
)
from simulator.thai.dates import thai_date
from simulator.widgets.upstream import UpstreamWidget
from tests.data_files import edit_yaml

THAI = re.compile("[\u0e00-\u0e7f]")


@pytest.fixture(scope="module")
def pop():
    return simulator.simulate(1500, seed=31)


@pytest.fixture(scope="module")
def timelines(pop):
    return simulator.simulate_timelines(pop)


@pytest.fixture(scope="module")
def streams():
    return load_streams()


# ---------------------------------------------------------------- the data file
def test_every_catalogue_indicator_has_one_stream_and_a_thai_reason(streams):
    catalogue = [i.id for i in simulator.load_config().catalogue.indicators]
    assert sorted(streams.stream) == sorted(catalogue) and len(catalogue) == 41
    assert set(streams.stream.values()) == {"upstream", "downstream"}
    for ind_id, reason in streams.reason_th.items():
        assert THAI.search(reason) and "\n" not in reason, ind_id
    assert len(streams.ids("upstream")) == 30 and len(streams.ids("downstream")) == 11


@pytest.mark.parametrize("ind_id,stream", [
    ("missed_vaccinations", "upstream"), ("not_registered_child_grant", "upstream"), ("frequent_absence", "upstream"),
    ("irregular_income", "upstream"), ("low_parenting_knowledge", "upstream"), ("no_welfare_card", "upstream"),
    ("physical_abuse", "downstream"), ("sexual_abuse", "downstream"), ("enticed_into_crime", "downstream"),
    ("in_conflict_with_law", "downstream"), ("dropped_out", "downstream"), ("teen_pregnancy", "downstream"),
    ("injuries_suggesting_abuse", "downstream"),
])
def test_the_briefs_examples_sit_in_their_stream(streams, ind_id, stream):
    assert streams.stream[ind_id] == stream


def test_dependencies_from_upstream_to_downstream_are_the_modelled_signs(streams):
    deps = simulator.load_config().catalogue.dependencies
    expected = {(d.driver, d.target): d.risk_ratio for d in deps
                if streams.stream[d.driver] == "upstream" and streams.stream[d.target] == "downstream"}
    modelled = {(link.before, link.after): link.risk_ratio for link in streams.links if link.modelled}
    assert modelled == expected and ("domestic_violence", "physical_abuse") in modelled
    field = {(link.before, link.after) for link in streams.links if not link.modelled}
    assert ("frequent_absence", "dropped_out") in field and ("parent_substance_use", "physical_abuse") in field
    assert not field & set(modelled)
    for link in streams.links:
        assert streams.stream[link.before] == "upstream" and streams.stream[link.after] == "downstream"


def _entries(doc):
    return doc["indicators"]


def test_a_missing_indicator_is_named(data_copy):
    edit_yaml(data_copy / "upstream.yaml", lambda d: d.update(indicators=[
        e for e in _entries(d) if e["id"] != "bullying"]))
    with pytest.raises(ConfigError) as err:
        load_streams(data_copy)
    assert "upstream.yaml" in str(err.value) and "no entry for bullying" in str(err.value)


def test_an_unknown_indicator_is_named(data_copy):
    edit_yaml(data_copy / "upstream.yaml", lambda d: _entries(d).append(
        {"id": "homework_late", "stream": "upstream", "reason_th": "ส่งการบ้านช้า"}))
    with pytest.raises(ConfigError) as err:
        load_streams(data_copy)
    msg = str(err.value)
    assert "upstream.yaml" in msg and "indicators[41] (id: homework_late)" in msg and "not an indicator id" in msg


def test_a_repeated_indicator_is_named(data_copy):
    edit_yaml(data_copy / "upstream.yaml", lambda d: _entries(d).append(dict(_entries(d)[2])))
    with pytest.raises(ConfigError, match=r"upstream\.yaml.*\n.*indicators\[41\] \(id: missed_vaccinations\): "
                                          r"listed twice \(first at indicators\[2\]\)"):
        load_streams(data_copy)


def test_a_bad_stream_is_named_with_its_entry(data_copy):
    edit_yaml(data_copy / "upstream.yaml", lambda d: _entries(d)[14].update(stream="midstream"))
    with pytest.raises(ConfigError) as err:
        load_streams(data_copy)
    msg = str(err.value)
    assert "upstream.yaml" in msg and "indicators[14] (id: physical_abuse).stream" in msg and "'downstream'" in msg


@pytest.mark.parametrize("reason,problem", [("  ", "empty"), ("children at risk", "in Thai"),
                                            ("บรรทัดแรก\nบรรทัดสอง", "one line")])
def test_a_reason_must_be_one_line_of_thai(data_copy, reason, problem):
    edit_yaml(data_copy / "upstream.yaml", lambda d: _entries(d)[0].update(reason_th=reason))
    with pytest.raises(ConfigError) as err:
        load_streams(data_copy)
    assert "indicators[0] (id: developmental_delay).reason_th" in str(err.value) and problem in str(err.value)


def test_a_sign_repeating_a_dependency_or_pointing_the_wrong_way_is_named(data_copy):
    edit_yaml(data_copy / "upstream.yaml", lambda d: d["signs_before"].extend([
        {"before": "domestic_violence", "after": "physical_abuse", "reason_th": "ซ้ำกับความเชื่อมโยงเดิม"},
        {"before": "physical_abuse", "after": "dropped_out", "reason_th": "กลับทิศ"},
    ]))
    with pytest.raises(ConfigError) as err:
        load_streams(data_copy)
    msg = str(err.value)
    assert "(domestic_violence -> physical_abuse): already a dependency in indicators.yaml" in msg
    assert "(physical_abuse -> dropped_out): before 'physical_abuse' must be a upstream indicator" in msg


def test_a_new_catalogue_indicator_needs_a_stream(data_copy):
    def add(doc):
        new = dict(doc["indicators"][2], id="missed_dental_check", label_th="ไม่ได้ตรวจฟัน")
        doc["indicators"].append(new)
    edit_yaml(data_copy / "indicators.yaml", add)
    edit_yaml(data_copy / "goals.yaml", lambda d: d["goals"].append(
        dict(next(g for g in d["goals"] if g["indicator"] == "missed_vaccinations"), indicator="missed_dental_check")))
    with pytest.raises(ConfigError, match="no entry for missed_dental_check"):
        load_streams(data_copy)


# ---------------------------------------------------------------- the rule on the card
def _item(ind_id, streams, person="HH1-03"):
    return CardItem(ind_id, person, ind_id, "เด็ก", "ครู", pd.Timestamp("2025-06-01"), streams.stream[ind_id])


def test_any_downstream_indicator_on_the_card_makes_it_downstream(streams):
    assert card_stream(["frequent_absence"], streams) == "upstream"
    assert card_stream(["frequent_absence", "no_welfare_card", "missed_vaccinations"], streams) == "upstream"
    assert card_stream(["frequent_absence", "physical_abuse"], streams) == "downstream"
    assert card_stream(["neglect"], streams) == "downstream"  # yellow, yet harm already done
    with pytest.raises(ValueError):
        card_stream([], streams)


def test_the_reason_quotes_the_data_file(streams):
    mixed = Card(1, "HH1", "ชุมชนทดลอง", (_item("frequent_absence", streams), _item("physical_abuse", streams)),
                 "downstream")
    reason = card_reason(mixed, streams)
    assert streams.reason_th["physical_abuse"] in reason and "เรื่องต้นน้ำบนบัตร («frequent_absence»)" in reason
    up = Card(2, "HH2", "ชุมชนทดลอง", (_item("no_income", streams), _item("frequent_absence", streams)), "upstream")
    reason = card_reason(up, streams)
    assert streams.reason_th["no_income"] in reason and streams.reason_th["frequent_absence"] in reason


# ---------------------------------------------------------------- the exercise
def test_each_card_shows_what_the_records_show_and_is_graded_on_it(pop, streams):
    ex = UpstreamExercise(pop, seed=4)
    assert len(ex.cards) == 8 and [c.number for c in ex.cards] == list(range(1, 9))
    assert {c.stream for c in ex.cards} == {"upstream", "downstream"}
    assert sum(c.stream == "downstream" for c in ex.cards) == 4
    for card in ex.cards:
        obs = pop.observations[pop.observations["family_id"] == card.family_id]
        shown = {(i.person_id, i.indicator_id) for i in card.items}
        assert shown == set(zip(obs["person_id"].astype(str), obs["indicator_id"].astype(str)))
        assert card.stream == card_stream(obs["indicator_id"].astype(str), streams)
        assert obs["is_true"].any()
        for item in card.items:
            assert item.first_recorded == obs.loc[(obs["person_id"] == item.person_id)
                                                  & (obs["indicator_id"] == item.indicator_id), "observed_on"].min()
            assert thai_date(item.first_recorded) in item.text_th
        if card.stream == "downstream":  # a real downstream record stands on every downstream card
            true = obs[obs["is_true"]]
            assert true["indicator_id"].astype(str).map(streams.stream).eq("downstream").any()


def test_check_accepts_the_right_sorting(pop, timelines):
    ex = UpstreamExercise(pop, seed=4, timelines=timelines)
    fb = ex.check({c.number: c.stream for c in ex.cards})
    assert fb.score == fb.total == 8 and "ถูกทุกบัตร" in fb.summary_th
    assert all(m.startswith("✔ บัตรที่") for m in fb.messages)


def test_check_rejects_a_wrong_card_with_its_reason(pop, timelines, streams):
    ex = UpstreamExercise(pop, seed=4, timelines=timelines)
    down = next(c for c in ex.cards if c.stream == "downstream")
    answers = {c.family_id: c.stream for c in ex.cards} | {down.family_id: "upstream"}
    fb = ex.check(answers)
    assert fb.score == 7 and "ถูก 7 จาก 8 บัตร" in fb.summary_th
    wrong = next(c for c in fb.cards if not c.is_correct)
    assert wrong.family_id == down.family_id
    harm = next(i for i in down.items if i.stream == "downstream")
    assert wrong.message_th.startswith(f"✘ บัตรที่ {down.number} ({down.family_id}): ตอบต้นน้ำ แต่ควรเป็นปลายน้ำ")
    assert streams.reason_th[harm.indicator_id] in wrong.message_th


def test_missing_or_unknown_answers_name_the_cards(pop):
    ex = UpstreamExercise(pop, seed=4)
    answers = {c.number: c.stream for c in ex.cards[2:]}
    with pytest.raises(AnswerError, match="ยังไม่ได้เลือกต้นน้ำหรือปลายน้ำของบัตรที่ 1, 2$"):
        ex.check(answers)
    with pytest.raises(AnswerError, match=r"บัตรที่ 1 \('midstream'\)"):
        ex.check(answers | {1: "midstream", 2: "upstream"})
    with pytest.raises(AnswerError, match="ไม่มีบัตร 9"):
        ex.check(answers | {9: "upstream"})


def test_the_same_seed_draws_the_same_cards(pop):
    a, b, c = (UpstreamExercise(pop, seed=s) for s in (7, 7, 8))
    assert [x.text_th for x in a.cards] == [x.text_th for x in b.cards]
    assert a.family_ids != c.family_ids


def test_a_small_batch_is_drawn_and_a_single_card_refused(pop):
    assert len(UpstreamExercise(pop, seed=1, size=3).cards) == 3
    with pytest.raises(ValueError):
        UpstreamExercise(pop, seed=1, size=1)


# ---------------------------------------------------------------- the second layer
def test_lead_problems_follow_the_timelines(pop, timelines):
    timing = dimension_timing(timelines, pop.indicators)
    tp = timelines.touch_points.drop_duplicates(["case_id", "dimension"])
    tp = pd.DataFrame({"case_id": tp["case_id"].astype(str), "dimension": tp["dimension"].astype(str),
                       "goal_indicator": tp["indicator_id"].astype(str)})
    both = timing.merge(tp, on=["case_id", "dimension"])
    assert len(both) > 100 and (both["indicator_id"] == both["goal_indicator"]).all()
    onset = timelines.events[timelines.events["event"] == "onset"]
    labels = {i.id: i.label_th for i in pop.config.catalogue.indicators}
    details = dict(zip(zip(onset["case_id"].astype(str), onset["dimension"].astype(str)), onset["details"]))
    assert len(timing) == len(details)
    for r in timing.itertuples():
        assert details[(r.case_id, r.dimension)] == f"เริ่มมีปัญหา: {labels[r.indicator_id]}"


def _downstream_cards(pop, timelines, seeds=range(12)):
    for seed in seeds:
        ex = UpstreamExercise(pop, seed=seed, timelines=timelines)
        for card in ex.cards:
            if card.stream == "downstream":
                yield ex, card


def test_the_truth_counts_the_familys_upstream_signs_and_dates_the_first_record(pop, timelines, streams):
    checked = 0
    for ex, card in _downstream_cards(pop, timelines):
        ind = pop.indicators[pop.indicators["family_id"] == card.family_id]
        ups = ind[ind["indicator_id"].astype(str).map(streams.stream) == "upstream"]
        ups = ups.drop_duplicates(["person_id", "indicator_id"])
        lines = ex.truth(card)
        if ups.empty:
            assert any("ไม่มีสัญญาณต้นน้ำเลย" in line for line in lines)
            continue
        assert f"ครอบครัวนี้มีสัญญาณต้นน้ำ {len(ups)} อย่าง" in " ".join(lines)
        obs = pop.observations[(pop.observations["family_id"] == card.family_id) & pop.observations["is_true"]]
        obs = obs[obs["indicator_id"].astype(str).map(streams.stream) == "upstream"]
        first = [line for line in lines if line.startswith("สัญญาณต้นน้ำแรกที่มีบันทึกคือ")]
        if obs.empty:
            assert not first and any(f"สัญญาณต้นน้ำ {len(ups)} อย่างไม่มีใครบันทึกไว้เลย" in line for line in lines)
        else:
            assert len(first) == 1 and f"บันทึกเมื่อ {thai_date(obs['observed_on'].min())}" in first[0]
            checked += 1
    assert checked >= 3


def test_the_truth_dates_the_harm_from_the_timelines(pop, timelines, streams):
    timing = dimension_timing(timelines, pop.indicators).set_index(["family_id", "indicator_id"])
    checked = 0
    for ex, card in _downstream_cards(pop, timelines):
        harm_line = next((line for line in ex.truth(card) if "เริ่มจริงเมื่อ" in line), None)
        if harm_line is None:
            continue
        label = re.match(r"«(.+?)»", harm_line).group(1)
        ind_id = next(i.id for i in pop.config.catalogue.indicators if i.label_th == label)
        assert streams.stream[ind_id] == "downstream"
        row = timing.loc[(card.family_id, ind_id)]
        assert f"เริ่มจริงเมื่อ {thai_date(row['onset'])}" in harm_line
        if pd.notna(row["noticed"]):
            days = (row["noticed"] - row["onset"]).days
            assert f"มีผู้พบครั้งแรกเมื่อ {thai_date(row['noticed'])} (หลังเริ่ม {span_th(days)})" in harm_line
        checked += 1
    assert checked >= 3


def test_a_false_alarm_on_the_card_is_called_so(pop, timelines):
    for seed in range(20):
        ex = UpstreamExercise(pop, seed=seed, timelines=timelines)
        for card in ex.cards:
            obs = pop.observations[(pop.observations["family_id"] == card.family_id) & ~pop.observations["is_true"]]
            true = pop.indicators[pop.indicators["family_id"] == card.family_id]
            keys = set(zip(true["person_id"].astype(str), true["indicator_id"].astype(str)))
            false = [i for i in card.items if (i.person_id, i.indicator_id) not in keys]
            if false and not obs.empty:
                lines = ex.truth(card)
                for item in false:
                    assert f"«{item.label_th}» บนบัตรเป็นรายงานเกิน: ในความจริงไม่มีเรื่องนี้ จึงต้องตรวจสอบกับผู้ให้บริการก่อนสรุป" in lines
                return
    pytest.fail("no card with a false alarm in 20 batches")


@pytest.mark.parametrize("days,text", [(0, "0 วัน"), (45, "45 วัน"), (-45, "45 วัน"), (200, "6 เดือน"),
                                       (731, "2 ปี"), (1000, "2 ปี 8 เดือน")])
def test_spans_read_as_thai(days, text):
    assert span_th(days) == text


# ---------------------------------------------------------------- the summary
def _tiny():
    ind = pd.DataFrame([
        # HH1: starts downstream (red abuse leads social); upstream sign recorded; linked (DV -> abuse).
        ("HH1", "HH1-03", "child", "social", "physical_abuse", "red"),
        ("HH1", "HH1-01", "parent", "social", "domestic_violence", "yellow"),
        # HH2: first problem upstream (parent depression, health), later downstream dropout, sign unrecorded.
        ("HH2", "HH2-01", "parent", "health", "parent_depression", "yellow"),
        ("HH2", "HH2-03", "child", "education", "dropped_out", "yellow"),
        ("HH2", "HH2-01", "parent", "governance", "no_welfare_card", "green"),
        # HH3: upstream only.
        ("HH3", "HH3-03", "child", "education", "learning_difficulty", "yellow"),
        # HH4: downstream without any upstream sign.
        ("HH4", "HH4-03", "child", "social", "neglect", "yellow"),
        # HH5: no case (routine): ignored.
        ("HH5", "HH5-03", "child", "health", "missed_vaccinations", "green"),
    ], columns=["family_id", "person_id", "subject", "dimension", "indicator_id", "severity"])
    obs = pd.DataFrame([
        ("HH1", "domestic_violence", True), ("HH1", "physical_abuse", True),
        ("HH2", "no_welfare_card", False),  # a record of the right sign that is not true does not count
        ("HH2", "dropped_out", True), ("HH4", "frequent_absence", False),
    ], columns=["family_id", "indicator_id", "is_true"])
    cases = pd.DataFrame({"case_id": ["JC1", "JC2", "JC3", "JC4"], "family_id": ["HH1", "HH2", "HH3", "HH4"],
                          "first_problem_dimension": ["social", "health", "education", "social"]})
    return ind, obs, cases


def test_stream_counts_on_a_hand_built_population(streams):
    table = stream_counts(*_tiny(), streams).set_index("measure")
    assert table.loc["cases", ["count", "base"]].tolist() == [4, 4]
    assert table.loc["first_problem_downstream", ["count", "base"]].tolist() == [2, 4]  # HH1, HH4
    assert table.loc["downstream_cases", ["count", "base"]].tolist() == [3, 4]  # HH1, HH2, HH4
    assert table.loc["downstream_with_upstream", ["count", "base"]].tolist() == [2, 3]  # HH1, HH2
    assert table.loc["downstream_with_linked_sign", ["count", "base"]].tolist() == [1, 3]  # HH1
    assert table.loc["upstream_signs_unrecorded", ["count", "base"]].tolist() == [1, 2]  # HH2
    assert table.loc["downstream_with_upstream", "share"] == pytest.approx(2 / 3)


def test_stream_summary_equals_a_count_family_by_family(pop, timelines, streams):
    table = stream_summary(pop, timelines).set_index("measure")
    ind = pop.indicators.astype({"family_id": str, "indicator_id": str})
    true_ids = ind.groupby("family_id")["indicator_id"].apply(set).to_dict()
    obs = pop.observations[pop.observations["is_true"]].astype({"family_id": str, "indicator_id": str})
    recorded = obs.groupby("family_id")["indicator_id"].apply(set).to_dict()
    leads = lead_problems(pop.indicators).set_index(["family_id", "dimension"])["indicator_id"]
    links = {(link.before, link.after) for link in streams.links}
    n = first_down = down = down_up = down_linked = unrecorded = 0
    for case in timelines.cases.itertuples():
        fam = case.family_id
        ids = true_ids.get(fam, set())
        ups = {i for i in ids if streams.stream[i] == "upstream"}
        downs = ids - ups
        n += 1
        first_down += streams.stream[leads[(fam, case.first_problem_dimension)]] == "downstream"
        if downs:
            down += 1
            down_up += bool(ups)
            down_linked += any((u, d) in links for u in ups for d in downs)
            unrecorded += bool(ups) and not any(streams.stream[i] == "upstream" for i in recorded.get(fam, set()))
    assert n == len(timelines.cases) > 300
    assert table.loc["cases", "count"] == n
    assert table.loc["first_problem_downstream", "count"] == first_down
    assert table.loc["downstream_cases", ["count", "base"]].tolist() == [down, n]
    assert table.loc["downstream_with_upstream", ["count", "base"]].tolist() == [down_up, down]
    assert table.loc["downstream_with_linked_sign", ["count", "base"]].tolist() == [down_linked, down]
    assert table.loc["upstream_signs_unrecorded", ["count", "base"]].tolist() == [unrecorded, down_up]
    # Invariants: every downstream problem is yellow or red, so each downstream family is a case.
    families_with_down = {f for f, ids in true_ids.items() if any(streams.stream[i] == "downstream" for i in ids)}
    assert families_with_down <= set(timelines.cases["family_id"].astype(str))


def test_the_summary_reads_in_thai(pop, timelines):
    th = stream_summary_th(stream_summary(pop, timelines))
    assert list(th.columns) == ["ข้อวัด", "จำนวนกรณี", "จากจำนวน", "ร้อยละ"]
    assert th.iloc[0, 0].startswith("กรณีทั้งหมด") and th.iloc[0, 3] == "100.0"
    assert all(THAI.search(m) for m in th["ข้อวัด"])


# ---------------------------------------------------------------- the widget
def test_the_widget_names_the_cards_left_to_sort(pop):
    wdg = UpstreamWidget(UpstreamExercise(pop, seed=4))
    first = wdg.exercise.cards[0]
    wdg.streams[first.family_id].value = first.stream
    wdg.check_button.click()
    assert "ยังไม่ได้เลือกต้นน้ำหรือปลายน้ำของบัตรที่ 2, 3, 4, 5, 6, 7, 8" in wdg.feedback_html.value
    assert wdg.feedback is None and wdg.truth_html.value == ""


def test_the_widget_grades_the_dropdowns_and_shows_the_truth(pop, timelines):
    wdg = UpstreamWidget(UpstreamExercise(pop, seed=4, timelines=timelines))
    cards = wdg.exercise.cards
    assert next(iter(wdg.streams.values())).options[1:] == (("ต้นน้ำ (upstream)", "upstream"),
                                                                ("ปลายน้ำ (downstream)", "downstream"))
    assert wdg.check_button.description == "ตรวจการจัดกลุ่ม" and wdg.check_button.button_style == "primary"
    for card in cards:
        wdg.streams[card.family_id].value = card.stream
    wrong = cards[0]
    wdg.streams[wrong.family_id].value = "upstream" if wrong.stream == "downstream" else "downstream"
    wdg.check_button.click()
    html_text = wdg.feedback_html.value
    assert "ถูก 7 จาก 8 บัตร" in html_text and html_text.count("✔ บัตรที่") == 7 and html_text.count("✘ บัตรที่") == 1
    assert "✘ บัตรที่ 1 " in html_text
    assert "<h4>ความจริงของโลกจำลอง</h4>" in wdg.truth_html.value
    assert all(f"บัตรที่ {c.number} ({c.family_id})" in wdg.truth_html.value for c in cards)
    wdg.streams[wrong.family_id].value = wrong.stream
    wdg.check_button.click()
    assert "ถูกทุกบัตร" in wdg.feedback_html.value and wdg.feedback.score == 8


def test_the_widget_is_one_full_width_column(pop):
    wdg = UpstreamWidget(UpstreamExercise(pop, seed=4))
    assert wdg.view.layout.width == "100%" and wdg.check_button.layout.width == "100%"
    for dropdown in wdg.streams.values():
        assert dropdown.layout.width == "100%" and dropdown.style.description_width == "initial"
        assert dropdown.value == "" and dropdown.options[0] == ("— เลือก —", "")
