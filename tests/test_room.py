"""Activities 1 and 2: the data file, marking, knowledge gain and KPIs, mixed groups, the figures
and the one-page knowledge report (simulator.exercises.checkin and simulator.workshop.room)."""

import itertools
import re
import warnings

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from matplotlib.text import Text

from simulator.dashboards.suppression import load_rule
from simulator.exercises.checkin import (
    CHECKIN_FILE,
    CheckinError,
    Targets,
    load_checkin,
    mark_answers,
    score_test,
)
from simulator.model.config import DIMENSIONS, ConfigError, load_config
from simulator.workshop import room as R

SPEC = load_checkin()
TEST = SPEC.test
QIDS = TEST.question_ids
THAI = re.compile(r"[\u0e00-\u0e7f]")


# ----------------------------------------------------------------------------- the data file

def test_the_kit_file_has_the_roles_survey_test_and_targets_the_brief_asks_for():
    assert SPEC.role_ids == ["community_leader", "volunteer", "phv", "provider_social", "provider_education",
                             "provider_health", "provider_governance", "district_staff", "committee_member"]
    assert SPEC.provider_role == {"social": "provider_social", "education": "provider_education",
                                  "health": "provider_health", "governance": "provider_governance"}
    assert SPEC.role("phv").name_th == "อาสาสมัครสาธารณสุข (อสส.)" and SPEC.role("phv").level == "community"
    assert 6 <= len(SPEC.survey.statements) <= 8 and len(SPEC.survey.scale) == 5
    assert 8 <= len(TEST.questions) <= 10
    assert all(THAI.search(q.text_th) and THAI.search(q.explanation_th) for q in TEST.questions)
    assert (SPEC.targets.pass_percent, SPEC.targets.pass_share_percent, SPEC.targets.improved_share_percent) == (
        80, 80, 70)


def test_the_small_count_question_agrees_with_the_public_table_rule():
    rule = load_rule()  # public_tables.yaml is the source of the numbers
    right = TEST.question("small_counts").option(TEST.question("small_counts").answer).text_th
    assert f"{rule.small_count_min} ถึง {rule.small_count_max} คน" in right


def _edited(tmp_path, old, new, count=1):
    text = CHECKIN_FILE.read_text(encoding="utf-8")
    assert text.count(old) >= count, old
    path = tmp_path / "checkin.yaml"
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return path


@pytest.mark.parametrize("old, new, expected", [
    ("      answer: a\n      explanation_th: สีแดง", "      answer: e\n      explanation_th: สีแดง",
     r"at test\.questions\[2\] \(id: red_petal\): answer: 'e' is not one of the options' keys"),
    ("    level: providers\n    dimension: social\n", "    level: providers\n",
     r"roles\[3\] \(id: provider_social\).*needs its dimension"),
    ("    dimension: health\n", "    dimension: social\n", r"the social dimension needs exactly one provider role"),
    ("  scale: [ไม่เห็นด้วยอย่างยิ่ง, ", "  scale: [", r"survey\.scale: .*at least 5"),
    ("  post_share_right: 0.86", "  post_share_right: 0.5", r"simulation.*post_share_right \(0\.5\) must be above"),
    ("  pass_percent: 80", "  pass_percent: 180", r"targets\.pass_percent: .*less than or equal to 100"),
    ("    room_share: 0.13\n", "    room_share: 0.13\n    colour: red\n", r"roles\[0\] \(id: community_leader\)\.colour"),
], ids=["answer", "dimension", "two_providers", "scale", "simulation", "target", "unknown_field"])
def test_a_broken_data_file_names_the_file_the_entry_and_the_field(tmp_path, old, new, expected):
    path = _edited(tmp_path, old, new)
    with pytest.raises(ConfigError, match=expected) as err:
        load_checkin(path)
    assert "checkin.yaml" in str(err.value)


def test_a_missing_data_file_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="checkin.yaml: cannot read the file"):
        load_checkin(tmp_path / "checkin.yaml")


def test_an_edited_copy_changes_the_targets(tmp_path):
    path = _edited(tmp_path, "  improved_share_percent: 70", "  improved_share_percent: 50")
    assert load_checkin(path).targets.improved_share_percent == 50


# --------------------------------------------------------------------- marking, gains, KPIs

def _answers(pid: str, n_right: int, blanks: int = 0) -> pd.DataFrame:
    """Right on the first ``n_right`` questions; of the others the last ``blanks`` are blank and
    the rest wrong."""
    rows = []
    for k, q in enumerate(TEST.questions):
        if k < n_right:
            choice = q.answer
        elif k >= len(QIDS) - blanks:
            choice = None
        else:
            choice = "a" if q.answer != "a" else "b"
        rows.append((pid, q.id, choice))
    return pd.DataFrame(rows, columns=["participant_id", "question_id", "choice"])


# Five participants, pre and post (10 questions, pass mark 80%):
#   A 5 -> 9   improved, reaches 80%
#   B 8 -> 8   equal: NOT improved, reaches 80% (exactly the pass mark)
#   C 3 -> 7   improved, below 80%
#   D 9 -> 7   worse, below 80%
#   E 6 -> 10  improved (2 of the pre-test's 4 misses were blanks), reaches 80%
# Reaching 80%: A, B, E = 3 of 5 = 60%; improving: A, C, E = 3 of 5 = 60%.
PLAN = {"A": (5, 9), "B": (8, 8), "C": (3, 7), "D": (9, 7), "E": (6, 10)}


@pytest.fixture
def pre():
    return pd.concat([_answers(p, a, blanks=2 if p == "E" else 0) for p, (a, _) in PLAN.items()], ignore_index=True)


@pytest.fixture
def post():
    return pd.concat([_answers(p, b) for p, (_, b) in PLAN.items()], ignore_index=True)


def test_scores_are_counted_per_participant_and_per_question(pre):
    scores = score_test(pre)
    assert list(scores["participant_id"]) == ["A", "B", "C", "D", "E"]
    assert list(scores["score"]) == [5, 8, 3, 9, 6]
    assert list(scores["percent"]) == [50.0, 80.0, 30.0, 90.0, 60.0]
    assert list(scores["reached_pass_mark"]) == [False, True, False, True, False]
    a = scores.iloc[0]
    assert a["wrong_questions"] == tuple(QIDS[5:])
    assert [a[f"right_{q}"] for q in QIDS] == [True] * 5 + [False] * 5
    marks = mark_answers(pre, TEST)
    e_blanks = marks[(marks["participant_id"] == "E") & marks["choice"].isna()]
    assert list(e_blanks["question_id"]) == QIDS[-2:] and not e_blanks["correct"].any()


def test_a_question_without_a_row_counts_as_wrong_and_bad_answers_are_refused(pre):
    short = pre[~((pre["participant_id"] == "A") & (pre["question_id"] == QIDS[0]))]
    assert score_test(short).set_index("participant_id").loc["A", "score"] == 4
    bad = pre.copy()
    bad.loc[0, "choice"] = "z"
    with pytest.raises(CheckinError, match="ไม่ใช่ตัวเลือกของข้อนี้"):
        score_test(bad)
    with pytest.raises(CheckinError, match="ไม่มีข้อ no_such"):
        score_test(pd.DataFrame({"participant_id": ["A"], "question_id": ["no_such"], "choice": ["a"]}))
    with pytest.raises(CheckinError, match="ขาดคอลัมน์ choice"):
        score_test(pre.drop(columns="choice"))
    upper = pre.assign(choice=pre["choice"].str.upper())
    assert list(score_test(upper)["score"]) == [5, 8, 3, 9, 6]


def test_knowledge_gain_per_participant(pre, post):
    gain = R.knowledge_gain(pre, post).set_index("participant_id")
    assert list(gain["pre_percent"]) == [50.0, 80.0, 30.0, 90.0, 60.0]
    assert list(gain["post_percent"]) == [90.0, 80.0, 70.0, 70.0, 100.0]
    assert list(gain["gain"]) == [40.0, 0.0, 40.0, -20.0, 40.0]
    assert list(gain["improved"]) == [True, False, True, False, True]  # B: post == pre is not improved
    assert list(gain["reached_pass_mark"]) == [True, True, False, False, True]
    # Scores go in as well as answers.
    again = R.knowledge_gain(score_test(pre), score_test(post))
    pd.testing.assert_frame_equal(again, R.knowledge_gain(pre, post))


def test_programme_kpis_against_the_targets_of_the_data_file(pre, post):
    kpis = R.programme_kpis(R.knowledge_gain(pre, post)).set_index("kpi")
    assert kpis.loc["pass_mark", ["numerator", "denominator"]].tolist() == [3, 5]
    assert kpis.loc["improved", ["numerator", "denominator"]].tolist() == [3, 5]
    assert kpis.loc["pass_mark", "share_percent"] == pytest.approx(60.0)
    assert kpis.loc["improved", "share_percent"] == pytest.approx(60.0)
    assert kpis.loc["pass_mark", "target_percent"] == 80 and kpis.loc["improved", "target_percent"] == 70
    assert not kpis["met"].any()
    assert list(kpis["verdict_th"]) == ["ไม่ถึงเป้า", "ไม่ถึงเป้า"] and list(kpis["symbol"]) == ["✘", "✘"]
    # A share exactly at its target meets it.
    at_60 = Targets(pass_percent=80, pass_share_percent=60, improved_share_percent=60)
    met = R.programme_kpis(R.knowledge_gain(pre, post), at_60)
    assert met["met"].all() and list(met["verdict_th"]) == ["ถึงเป้า", "ถึงเป้า"]


def test_who_skipped_a_test_is_counted_only_where_they_took_part(pre, post):
    # F took only the pre-test, G only the post-test (90%).
    pre_f = pd.concat([pre, _answers("F", 2)], ignore_index=True)
    post_g = pd.concat([post, _answers("G", 9)], ignore_index=True)
    gain = R.knowledge_gain(pre_f, post_g).set_index("participant_id")
    assert gain.loc["F", ["took_pre", "took_post", "improved", "reached_pass_mark"]].tolist() == [True, False,
                                                                                                  False, False]
    assert pd.isna(gain.loc["F", "gain"]) and pd.isna(gain.loc["G", "pre_percent"])
    assert bool(gain.loc["G", "reached_pass_mark"]) and not bool(gain.loc["G", "improved"])
    kpis = R.programme_kpis(gain.reset_index()).set_index("kpi")
    assert kpis.loc["pass_mark", ["numerator", "denominator"]].tolist() == [4, 6]  # post-test takers: A-E, G
    assert kpis.loc["improved", ["numerator", "denominator"]].tolist() == [3, 5]  # took both: A-E


def test_kpis_without_anyone_are_no_data_not_a_division_by_zero():
    empty = pd.DataFrame({"took_pre": [True], "took_post": [False], "improved": [False],
                          "reached_pass_mark": [False]})
    kpis = R.programme_kpis(empty)
    assert list(kpis["verdict_th"]) == ["ยังไม่มีข้อมูล"] * 2 and not kpis["met"].any()
    assert kpis["share_percent"].isna().all()


def test_thai_views_of_the_gain_and_the_kpis(pre, post):
    gain = R.knowledge_gain(pre, post)
    shown = R.knowledge_gain_th(gain)
    assert list(shown.columns) == list(R.GAIN_TH.values())
    assert list(shown["คะแนนเพิ่มขึ้น"]) == ["ใช่", "ไม่ใช่", "ใช่", "ไม่ใช่", "ใช่"]
    kpis = R.programme_kpis_th(R.programme_kpis(gain))
    assert list(kpis["ผล"]) == ["✘ ไม่ถึงเป้า", "✘ ไม่ถึงเป้า"]


def test_question_summary_counts_the_share_right_per_question(pre):
    summary = R.question_summary(pre).set_index("question_id")
    # Question 1 right for all five, question 6 by B, D, E, question 9 by D only, question 10 by nobody.
    assert summary.loc[QIDS[0], "n_right"] == 5 and summary.loc[QIDS[0], "right_percent"] == 100
    assert summary.loc[QIDS[5], "n_right"] == 3 and summary.loc[QIDS[5], "right_percent"] == 60
    assert summary.loc[QIDS[8], "n_right"] == 1 and summary.loc[QIDS[9], "n_right"] == 0
    pd.testing.assert_frame_equal(R.question_summary(score_test(pre)), R.question_summary(pre))


# ------------------------------------------------------------------------------------- survey

def test_survey_summary_hand_counted():
    s1, s2 = SPEC.survey.statements[0].id, SPEC.survey.statements[1].id
    answers = pd.DataFrame({"participant_id": ["A", "B", "C", "D", "A", "B", "C", "D"],
                            "statement_id": [s1] * 4 + [s2] * 4,
                            "answer": [1, 2, 4, 5, 3, 3, 4, None]})
    summary = R.survey_summary(answers).set_index("statement_id")
    assert summary.loc[s1, ["n", "mean", "agree_percent", "disagree_percent", "neutral_percent"]].tolist() == [
        4, 3.0, 50.0, 50.0, 0.0]
    assert summary.loc[s2, "n"] == 3 and summary.loc[s2, "mean"] == pytest.approx(10 / 3)
    assert summary.loc[s2, "percent_3"] == pytest.approx(200 / 3)
    assert bool(summary.loc[s2, "reverse"])  # officials_only: agreeing is the view to change
    third = SPEC.survey.statements[2].id
    assert summary.loc[third, "n"] == 0 and pd.isna(summary.loc[third, "mean"])
    with pytest.raises(CheckinError, match="คำตอบต้องเป็นเลข 1 ถึง 5"):
        R.survey_summary(answers.assign(answer=[1, 2, 4, 6, 3, 3, 4, 1]))


# ------------------------------------------------------------------------------ participants

def _person(pid, role, community="ชุมชนหนึ่ง", district="ลาดกระบัง", name=None):
    return {"participant_id": pid, "name": name or f"คน {pid}", "role": role, "community": community,
            "district": district}


def test_roster_lists_the_room_by_level_and_role_with_thai_headers():
    room = pd.DataFrame([_person("P1", "committee_member", None, None), _person("P2", "provider_health"),
                         _person("P3", "volunteer", "ชุมชนสอง"), _person("P4", "community_leader"),
                         _person("P5", "district_staff", None)])
    table = R.roster_table(room)
    assert list(table.columns) == ["ระดับ", "บทบาท", "ชื่อ", "ชุมชน", "เขต"]
    assert list(table["บทบาท"]) == ["แกนนำชุมชน", "อาสาสมัคร (จิตอาสา)", SPEC.role("provider_health").name_th,
                                    "เจ้าหน้าที่สำนักงานเขต", "กรรมการคุ้มครองเด็กกรุงเทพมหานคร"]
    assert list(table["ระดับ"]) == ["ชุมชน", "ชุมชน", "ผู้ให้บริการ 4 มิติ", "เขต", "เมือง"]
    assert list(table["ชุมชน"])[-2:] == ["", ""]
    counts = R.room_counts(room).set_index("role")["count"]
    assert counts["phv"] == 0 and counts.sum() == 5


@pytest.mark.parametrize("change, message", [
    (lambda df: df.drop(columns="role"), "ขาดคอลัมน์ role"),
    (lambda df: df.assign(role=["volunteer", "nurse"]), "P2 มีบทบาท «nurse» ซึ่งไม่มีใน checkin.yaml"),
    (lambda df: df.assign(participant_id=["P1", "P1"]), "รหัสผู้เข้าร่วม P1 ซ้ำกัน"),
    (lambda df: df.assign(participant_id=["P1", " "]), "แถวที่ 2 ไม่มีรหัส"),
])
def test_a_bad_room_gets_a_thai_message(change, message):
    room = pd.DataFrame([_person("P1", "volunteer"), _person("P2", "phv")])
    with pytest.raises(R.RoomError, match=message):
        R.roster(change(room))


# ------------------------------------------------------------------------------ mixed groups

ROLE_IDS = SPEC.role_ids


def _room(counts: dict, communities: int = 3) -> pd.DataFrame:
    rows, k = [], 0
    for role, count in counts.items():
        for _ in range(count):
            k += 1
            rows.append(_person(f"P{k:03d}", role, f"ชุมชน{k % communities}"))
    return pd.DataFrame(rows, columns=list(R.PARTICIPANT_COLUMNS))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(counts=st.fixed_dictionaries({r: st.integers(0, 7) for r in ROLE_IDS}),
       communities=st.integers(1, 4), size=st.integers(2, 9), seed=st.integers(0, 10_000))
def test_mixed_groups_properties(counts, communities, size, seed):
    room = _room(counts, communities)
    if len(room) < 2:
        with pytest.raises(R.RoomError):
            R.mixed_groups(room, size, seed)
        return
    groups = R.mixed_groups(room, size, seed)
    # Every participant in exactly one group.
    assert sorted(groups["participant_id"]) == sorted(room["participant_id"])
    g = R.group_count(len(room), size)
    sizes = groups["group"].value_counts()
    assert sorted(sizes.index) == list(range(1, g + 1))
    assert sizes.max() - sizes.min() <= 1
    # Dimension coverage is the largest possible: min(providers of d, groups) groups have d.
    covered = groups.dropna(subset=["dimension"]).groupby("dimension")["group"].nunique()
    for dimension in DIMENSIONS:
        have = counts[SPEC.provider_role[dimension]]
        assert covered.get(dimension, 0) == min(have, g)
    # Deterministic for a seed.
    pd.testing.assert_frame_equal(groups, R.mixed_groups(room.sample(frac=1, random_state=1), size, seed))


def test_a_room_with_enough_providers_gets_all_four_in_every_group_and_communities_spread():
    # 12 community people of 3 communities, 5 providers per dimension, 2 district staff: 34 people.
    counts = {"community_leader": 3, "volunteer": 6, "phv": 3, "provider_social": 5, "provider_education": 5,
              "provider_health": 5, "provider_governance": 5, "district_staff": 2}
    room = _room(counts, communities=3)
    groups = R.mixed_groups(room, size=7, seed=4)
    summary = R.group_summary(groups)
    assert len(summary) == 5 and sorted(summary["size"]) == [6, 7, 7, 7, 7]
    assert (summary["missing_th"] == "ครบ 4 มิติ").all() and R.coverage_note_th(groups) == ""
    community = groups[groups["level"] == "community"]
    assert community.groupby("group").size().tolist() == [3, 3, 2, 2, 2] or \
        sorted(community.groupby("group").size()) == [2, 2, 2, 3, 3]
    assert (summary["communities"] >= 2).all()  # nobody sits only with their own community
    assert groups["group"].tolist() == sorted(groups["group"])
    assert list(R.groups_table(groups).columns) == ["กลุ่ม", "ชื่อ", "บทบาท", "ชุมชน"]


def test_too_few_providers_are_spread_and_the_note_says_what_is_missing():
    counts = {"volunteer": 10, "provider_social": 4, "provider_education": 4, "provider_health": 2,
              "provider_governance": 4}
    room = _room(counts)
    groups = R.mixed_groups(room, size=6, seed=0)  # 24 people: 4 groups, only 2 health providers
    summary = R.group_summary(groups)
    assert sum("health" in m for m in summary["missing"]) == 2
    assert all(set(m) <= {"health"} for m in summary["missing"])
    note = R.coverage_note_th(groups)
    assert "ผู้ให้บริการด้านสุขภาพมี 2 คน แต่มี 4 กลุ่ม" in note
    lacking = summary.loc[summary["missing"].map(bool), "group"].tolist()
    assert f"กลุ่ม {lacking[0]} และ {lacking[1]} ไม่มีผู้ให้บริการด้านสุขภาพ" in note
    assert "กลุ่มละประมาณ 10 คน (2 กลุ่ม)" in note  # the size at which every group has all four
    assert R.full_groups_size(24, 2) == 10


def test_impossible_groups_get_a_thai_message():
    room = _room({"volunteer": 3})
    with pytest.raises(R.RoomError, match="กลุ่มต้องมีอย่างน้อย 2 คน"):
        R.mixed_groups(room, size=1)
    with pytest.raises(R.RoomError, match="ในห้องมีผู้เข้าร่วม 1 คน แบ่งกลุ่มไม่ได้"):
        R.mixed_groups(room.head(1), size=4)
    with pytest.raises(R.RoomError, match="seed"):
        R.mixed_groups(room, size=2, seed=-1)
    assert R.mixed_groups(room, size=10)["group"].eq(1).all()  # fewer than a group: one group
    assert R.group_count(3, 2) == 1  # never a group of one


# ----------------------------------------------------------------------------- simulated rooms

def test_simulated_room_looks_like_a_workshop():
    room = R.simulate_room(36, seed=1)
    assert len(room) == 36 and list(room["participant_id"][:2]) == ["P01", "P02"]
    counts = room["role"].value_counts()
    assert all(counts.get(SPEC.provider_role[d], 0) >= 3 for d in DIMENSIONS)
    levels = room["role"].map(lambda r: SPEC.role(r).level).value_counts()
    assert levels["community"] == 18 and levels["providers"] == 15
    pools = load_config().names
    first = set(pools.first_names_female) | set(pools.first_names_male)
    assert all(n.split(" ")[0] in first and n.split(" ")[1] in set(pools.last_names) for n in room["name"])
    assert room["name"].is_unique
    assert set(room["district"].dropna()) == {"ลาดกระบัง"}
    assert room.loc[room["role"] == "committee_member", "district"].isna().all()
    assert room["community"].dropna().nunique() == 4
    pd.testing.assert_frame_equal(room, R.simulate_room(36, seed=1))
    assert not room.equals(R.simulate_room(36, seed=2))
    assert R.simulate_room(12, seed=0, district="บางนา")["district"].dropna().eq("บางนา").all()


def test_simulated_answers_improve_on_average_and_are_valid():
    room = R.simulate_room(40, seed=3)
    pre = R.simulate_answers(room, seed=3, stage="pre")
    post = R.simulate_answers(room, seed=3, stage="post")
    assert len(pre) == 40 * len(QIDS)
    pd.testing.assert_frame_equal(pre, R.simulate_answers(room, seed=3, stage="pre"))
    gain = R.knowledge_gain(pre, post)
    assert gain["post_percent"].mean() > gain["pre_percent"].mean() + 15
    assert 0 < gain["improved"].mean() < 1  # some do not improve
    with pytest.raises(R.RoomError, match="stage"):
        R.simulate_answers(room, stage="during")
    survey = R.simulate_survey(room, seed=3)
    assert survey["answer"].between(1, 5).all() and len(survey) == 40 * len(SPEC.survey.statements)
    summary = R.survey_summary(survey).set_index("statement_id")
    assert summary.loc["officials_only", "mean"] < summary.loc["together_faster", "mean"]


# ------------------------------------------------------------------------------------ figures

@pytest.fixture(scope="module")
def practice():
    room = R.simulate_room(36, seed=5)
    return (room, R.simulate_answers(room, seed=5, stage="pre"), R.simulate_answers(room, seed=5, stage="post"),
            R.simulate_survey(room, seed=5))


def _texts(fig) -> list[Text]:
    """Texts the figure draws (tick labels outside an axis' view limits are not drawn)."""
    hidden = set()
    for ax in fig.get_axes():
        for axis in (ax.xaxis, ax.yaxis):
            drawn = {id(t) for tick in axis._update_ticks() for t in (tick.label1, tick.label2)} if ax.axison \
                else set()
            hidden |= {id(t) for tick in axis.get_major_ticks() + axis.get_minor_ticks()
                       for t in (tick.label1, tick.label2) if id(t) not in drawn}
    return [t for t in fig.findobj(Text) if t.get_text().strip() and t.get_visible() and id(t) not in hidden]


def _drawn(fig):
    """Render with warnings as errors (a glyph missing from the fonts raises), return the renderer."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig.canvas.draw()
    return fig.canvas.get_renderer()


def _inside(fig, renderer) -> list[str]:
    box = fig.bbox
    out = []
    for t in _texts(fig):
        extent = t.get_window_extent(renderer)
        if extent.x0 < box.x0 - 1 or extent.x1 > box.x1 + 1 or extent.y0 < box.y0 - 1 or extent.y1 > box.y1 + 1:
            out.append(t.get_text()[:40])
    return out


def _check(fig, title_part: str, width: float = 4.0):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    renderer = _drawn(fig)
    texts = _texts(fig)
    assert any(title_part in t.get_text() for t in texts), title_part
    thai = [t for t in texts if THAI.search(t.get_text())]
    assert thai and all(t.get_fontname() == "Sarabun" for t in thai)
    assert fig.get_size_inches()[0] == pytest.approx(width)
    assert _inside(fig, renderer) == [], "text cut off at the figure's edge"
    assert THAI.search(fig.termtem_alt_th)
    return texts


def test_room_figure(practice):
    room = practice[0]
    texts = _check(R.room_figure(room), "ใครอยู่ในห้องนี้: ทั้งหมด 36 คน")
    words = {t.get_text() for t in texts}
    assert {"ชุมชน (18 คน)", "ผู้ให้บริการ 4 มิติ (15 คน)", "อสส.", "ข้อมูลสมมติ (synthetic)"} <= words
    real = R.room_figure(room, synthetic=False)
    assert "ข้อมูลสมมติ (synthetic)" not in {t.get_text() for t in _texts(real)}


def test_survey_figure(practice):
    texts = _check(R.survey_figure(practice[3]), "ความคิดเห็นเรื่องการช่วยเหลือเด็ก")
    words = " ".join(t.get_text() for t in texts)
    assert "5 เห็นด้วยอย่างยิ่ง" in words and "* ข้อที่หวังว่าจะเห็นด้วยน้อยลง" in words


def test_test_figures(practice):
    _, pre, post, _ = practice
    texts = _check(R.test_figure(pre), "ตอบถูกรายข้อ ก่อนอบรม (36 คน)")
    assert "เกณฑ์ผ่าน 80%" in {t.get_text() for t in texts}
    _check(R.test_figure(post, stage="post"), "ตอบถูกรายข้อ หลังอบรม (36 คน)")
    texts = _check(R.test_figure(pre, post), "ตอบถูกรายข้อ ก่อนและหลังอบรม")
    assert {"ก่อนอบรม (pre-test)", "หลังอบรม (post-test)"} <= {t.get_text() for t in texts}


def test_the_knowledge_report_is_one_thai_a4_page_with_codes_not_names(practice):
    room, pre, post, _ = practice
    fig = R.knowledge_report_figure(pre, post, on="2026-11-23")
    texts = _check(fig, R.REPORT_TITLE_TH, width=8.27)
    words = [t.get_text() for t in texts]
    assert "วันที่ 23 พฤศจิกายน 2569" in words  # Thai date, Buddhist era
    kpis = fig.termtem_kpis.set_index("kpi")
    for kpi in ("pass_mark", "improved"):
        assert f"{kpis.loc[kpi, 'symbol']} {kpis.loc[kpi, 'verdict_th']}" in words
        assert f"{kpis.loc[kpi, 'share_percent']:.1f}%" in words
    assert "P01" in words and "P36" in words
    joined = " ".join(words)
    assert not any(name in joined for name in room["name"])
    assert any("ข้อมูลสมมติ" in w for w in words)
    real = R.knowledge_report_figure(pre, post, on="2026-11-23", synthetic=False, codes={"P01": "ก-01"})
    real_words = [t.get_text() for t in _texts(real)]
    assert not any("ข้อมูลสมมติ" in w for w in real_words) and "ก-01" in real_words and "P01" not in real_words


def test_write_knowledge_report_writes_one_page_pdf_and_never_overwrites_silently(tmp_path, practice):
    _, pre, post, _ = practice
    out = tmp_path / "reports"
    path = R.write_knowledge_report(pre, post, out, on="2026-11-23")
    assert path == out / "knowledge_report_2026-11-23.pdf"
    pdf = path.read_bytes()
    assert pdf.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page\b", pdf)) == 1
    with pytest.raises(R.RoomError, match="มีรายงาน .* อยู่แล้ว ใส่ overwrite=True"):
        R.write_knowledge_report(pre, post, out, on="2026-11-23")
    assert path.read_bytes() == pdf
    R.write_knowledge_report(pre.iloc[: len(QIDS) * 10], post, out, on="2026-11-23", overwrite=True)
    assert path.read_bytes() != pdf
    assert sorted(p.name for p in out.iterdir()) == ["knowledge_report_2026-11-23.pdf"]  # no partial file
    with pytest.raises(R.RoomError, match="ไม่ใช่โฟลเดอร์"):
        R.write_knowledge_report(pre, post, path, on="2026-11-23")


def test_a_report_refuses_more_participants_than_its_page_holds():
    many = pd.concat([_answers(f"Q{k:03d}", 5) for k in range(R.MOST_IN_REPORT + 1)], ignore_index=True)
    with pytest.raises(R.RoomError, match=f"ไม่เกิน {R.MOST_IN_REPORT} คน"):
        R.knowledge_report_figure(many, many, on="2026-11-23")


def test_a_full_report_of_sixty_still_fits_its_page():
    n = R.MOST_IN_REPORT
    pre = pd.concat([_answers(f"Q{k:03d}", k % 11) for k in range(n)], ignore_index=True)
    post = pd.concat([_answers(f"Q{k:03d}", min(10, k % 11 + 2)) for k in range(n)], ignore_index=True)
    fig = R.knowledge_report_figure(pre, post, on="2026-11-23")
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    renderer = _drawn(fig)
    assert _inside(fig, renderer) == []
    codes = [t for t in _texts(fig) if re.fullmatch(r"Q\d{3}", t.get_text())]
    assert len(codes) == n
    # No two code cells overlap (rows are tall enough at 20 per column).
    boxes = sorted((t.get_window_extent(renderer) for t in codes), key=lambda b: (round(b.x0), -b.y0))
    for a, b in itertools.pairwise(boxes):
        if abs(a.x0 - b.x0) < 1:
            assert a.y0 >= b.y1 - 0.5
