"""The plan checker of activities 10 and 11 rejects nonsense plans, in Thai, naming the step."""

import pytest

import simulator
from simulator import ConfigError, load_config
from simulator.exercises.cases import choose_case
from simulator.exercises.journey_plan import (
    HORIZON_DAYS, JourneyPlan, PlanError, Step, example_goals, goal_subject, real_journey_lesson_th, shown_slots,
)
from simulator.exercises.views import true_colours
from simulator.model.timelines import simulate_timelines
from tests.data_files import edit_yaml

CFG = load_config()
GOALS = CFG.goals.for_indicator()
INDICATORS = CFG.catalogue.by_id()


def _plan(slots, legal=False, goals=None):
    plan = JourneyPlan(CFG, slots, "JC-test", legal_path=legal)
    for slot in plan.slots:
        plan.set_goal(slot, (goals or {}).get(slot, GOALS["sexual_abuse"].goal_th if slot.startswith("child")
                                               else GOALS["domestic_violence"].goal_th))
    return plan


def _sound_social_plan():
    """A child social goal led by the crisis centre, the police as a supporting step."""
    plan = _plan(["child_social"])
    plan.add_step(Step("social", "crisis_centre", "social_worker", "รายงานเหตุและผลตรวจร่างกาย ส่งให้ตำรวจ", 2))
    plan.add_step(Step("social", "police", "police", "บันทึกการสอบปากคำครั้งเดียว ส่งให้นักสังคมสงเคราะห์", 7))
    return plan


def test_a_sound_plan_has_no_problem_even_with_a_police_step_after_the_lead():
    assert _sound_social_plan().problems() == []


def test_police_as_owner_of_a_social_goal():
    plan = _plan(["child_social"])
    plan.add_step(Step("social", "police", "police", "บันทึกแจ้งเหตุ ส่งให้นักสังคมสงเคราะห์", 7))
    problems = plan.problems()
    assert any("ขั้นที่ 1 เป็นขั้นแรก" in p and "สถานีตำรวจนครบาลในพื้นที่" in p and "มิติสังคม" in p
               for p in problems), problems


def test_police_owning_a_step_at_a_social_agency():
    plan = _plan(["child_social"])
    plan.add_step(Step("social", "crisis_centre", "police", "บันทึกแจ้งเหตุ ส่งให้นักสังคมสงเคราะห์", 7))
    assert any(p.startswith("ขั้นที่ 1: พนักงานสอบสวน") and "มิติการปกครอง" in p for p in plan.problems())


def test_a_school_step_under_social():
    plan = _plan(["child_social"])
    plan.add_step(Step("social", "school", "teacher", "สถิติการมาเรียน ส่งให้อาสาสมัคร", 14))
    problems = plan.problems()
    assert any("ขั้นที่ 1" in p and "โรงเรียนเป็นหน่วยงานมิติการศึกษา" in p for p in problems), problems


def test_a_step_with_no_information_passed_on():
    plan = _sound_social_plan()
    plan.add_step(Step("social", "shelter", "social_worker", "   ", 30))
    assert plan.problems() == ["ขั้นที่ 3 ยังไม่ได้ระบุข้อมูลที่ส่งต่อ: ขั้นนี้ส่งข้อมูลอะไรให้ใคร"]


def test_a_duplicate_step():
    plan = _sound_social_plan()
    plan.add_step(Step("social", "police", "police", "บันทึกการสอบปากคำครั้งเดียว  ส่งให้นักสังคมสงเคราะห์", 5))
    assert plan.problems() == ["ขั้นที่ 3 ซ้ำกับขั้นที่ 2 (มิติ หน่วยงาน ผู้รับผิดชอบ และข้อมูลที่ส่งต่อเหมือนกัน) ลบขั้นใดขั้นหนึ่ง"]


def test_a_child_goal_in_the_parent_slot():
    plan = _plan(["child_social", "parent_social"],
                 goals={"child_social": GOALS["neglect"].goal_th, "parent_social": GOALS["sexual_abuse"].goal_th})
    plan.add_step(Step("social", "crisis_centre", "social_worker", "รายงานเหตุ ส่งให้ตำรวจ", 2, "child"))
    plan.add_step(Step("social", "social_development", "social_worker", "ผลประเมินครอบครัว ส่งให้อาสาสมัคร", 14, "parent"))
    problems = plan.problems()
    assert len(problems) == 1 and problems[0].startswith("เป้าหมายในช่องผู้ปกครอง · มิติสังคมเขียนถึงเด็ก"), problems
    plan.set_goal("parent_social", GOALS["single_caregiver_unsupported"].goal_th)
    assert plan.problems() == []


def test_child_and_parent_slots_are_separate_goals():
    plan = _plan(["child_social", "parent_social"])
    with pytest.raises(PlanError, match="ทั้งของเด็กและของผู้ปกครอง"):
        plan.add_step(Step("social", "crisis_centre", "social_worker", "รายงานเหตุ", 2))
    with pytest.raises(PlanError, match="ไม่ใช่กลีบสีเหลืองหรือแดง"):
        plan.add_step(Step("health", "phc", "nurse", "ผลตรวจ", 2, "child"))
    assert plan.steps == []
    plan.add_step(Step("social", "crisis_centre", "social_worker", "รายงานเหตุ ส่งให้ตำรวจ", 2, "child"))
    assert "เป้าหมายของผู้ปกครอง · มิติสังคมยังไม่มีขั้นตอนบริการ" in plan.problems()


def test_a_legal_case_without_shelter_or_reunification():
    plan = _plan(["child_social"], legal=True)
    plan.add_step(Step("social", "crisis_centre", "social_worker", "รายงานเหตุ ส่งให้ตำรวจ", 2))
    problems = plan.problems()
    assert any("ช่องทางตามกฎหมาย" in p and "บ้านพักชั่วคราว" in p for p in problems), problems
    assert any("ช่องทางตามกฎหมาย" in p and "การคืนเด็กสู่ครอบครัว" in p for p in problems), problems
    plan.add_step(Step("social", "district_office", "district_director", "คำสั่งคุ้มครอง ส่งให้บ้านพัก", 3,
                       purpose="temporary_shelter"))
    plan.add_step(Step("social", "police", "police", "บันทึกแจ้งเหตุ ส่งให้บ้านพัก", 3, purpose="reunification"))
    problems = plan.problems()
    assert problems == ["ขั้นที่ 3 (การคืนเด็กสู่ครอบครัว (ประเมินความพร้อมและส่งเด็กกลับบ้าน)) ต้องทำที่"
                        "บ้านพักเด็กและครอบครัว หรือ ฝ่ายพัฒนาสังคม สำนักงานเขต หรือ สำนักงานเขต (ผู้อำนวยการเขตในฐานะ"
                        "พนักงานเจ้าหน้าที่) โดยนักสังคมสงเคราะห์ หรือ ผู้อำนวยการเขต"]
    # the same plan for a case that is not on the legal path needs neither step
    not_legal = _plan(["child_social"])
    not_legal.add_step(Step("social", "crisis_centre", "social_worker", "รายงานเหตุ ส่งให้ตำรวจ", 2))
    assert not_legal.problems() == []


def test_unknown_step_kind_is_refused_and_changes_nothing():
    plan = _sound_social_plan()
    with pytest.raises(PlanError, match="ประเภท"):
        plan.add_step(Step("social", "shelter", "social_worker", "ที่พัก", 3, purpose="holiday"))
    assert len(plan.steps) == 2


@pytest.mark.parametrize("indicator", sorted(GOALS))
def test_every_catalogue_goal_is_a_sound_example(indicator):
    ind = INDICATORS[indicator]
    slot = f"{ind.subject}_{ind.dimension}"
    assert goal_subject(GOALS[indicator].goal_th, CFG) == ind.subject, "the goal names its own subject first"
    for legal in (False, True):
        plan = JourneyPlan(CFG, [slot], legal_path=legal)
        plan.use_example({slot: GOALS[indicator]})
        assert plan.problems() == [], (indicator, legal)
        assert plan.schedule()["end_day"].max() <= HORIZON_DAYS
        if legal:
            assert {s.purpose for s in plan.steps} >= {"temporary_shelter", "reunification"}


@pytest.fixture(scope="module")
def world():
    pop = simulator.simulate(20_000, seed=2569)  # the activities' data set
    return pop, simulate_timelines(pop)


@pytest.mark.parametrize("kind", ["complex", "emergency_legal"])
def test_the_activities_example_plans_pass_and_need_only_shown_petals(world, kind):
    pop, tl = world
    case = choose_case(tl, pop, kind)
    row = tl.cases.set_index("case_id").loc[case]
    petals = true_colours(pop, row["family_id"])
    plan = JourneyPlan(pop.config, shown_slots(petals), case, legal_path=bool(row["legal_path"]))
    assert {p for p, c in petals.items() if c != "green"} == set(plan.slots)
    plan.use_example(example_goals(pop.config, pop.indicators[pop.indicators.family_id == row["family_id"]], plan.slots))
    assert plan.problems() == []
    if kind == "emergency_legal":
        assert bool(row["legal_path"]) and {"temporary_shelter", "reunification"} <= {s.purpose for s in plan.steps}
        assert any("บ้านพักชั่วคราว" in t for t in real_journey_lesson_th(tl, case, plan))


def test_role_without_dimensions_is_refused_on_load(data_copy):
    edit_yaml(data_copy / "goals.yaml", lambda d: d["roles"][0].pop("dimensions"))
    with pytest.raises(ConfigError) as err:
        load_config(data_copy)
    assert "goals.yaml" in str(err.value) and "dimensions" in str(err.value)


def test_touch_point_owner_who_does_not_work_there_is_refused_on_load(data_copy):
    def police_at_school(d):
        d["goals"][0]["touch_points"][0].update(agency="school", role="police")

    edit_yaml(data_copy / "goals.yaml", police_at_school)
    with pytest.raises(ConfigError) as err:
        load_config(data_copy)
    msg = str(err.value)
    assert "goals.yaml" in msg and "touch_points[0]" in msg and "'police'" in msg and "'school'" in msg


def test_legal_path_with_unknown_agency_is_refused_on_load(data_copy):
    edit_yaml(data_copy / "goals.yaml", lambda d: d["legal_path"][0]["agencies"].append("orphanage"))
    with pytest.raises(ConfigError, match="orphanage"):
        load_config(data_copy)


def test_the_chapter_states_the_rules_the_data_holds():
    from pathlib import Path

    chapter = (Path(__file__).parents[1] / "book" / "concepts" / "journey_of_services.md").read_text(encoding="utf-8")
    agencies = {a.id: a for a in CFG.goals.agencies}
    roles = {r.id: r for r in CFG.goals.roles}
    # "a school is education, a police station governance; the police never own a social or school step"
    assert agencies["school"].dimension == "education" and agencies["police"].dimension == "governance"
    assert not {"social", "education"} & set(roles["police"].dimensions)
    assert "health" not in roles["teacher"].dimensions
    for legal in CFG.goals.legal_path:
        assert legal.label_th.split(" (")[0] in chapter, legal.id
        for a in legal.agencies:
            if a != "social_development":
                assert agencies[a].name_th.split(" (")[0] in chapter, a
    assert roles["district_director"].name_th in chapter
