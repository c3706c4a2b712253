import warnings

import pytest

import simulator
from simulator.figures.journey import journey_map, parent_card, plan_map, upcoming_appointments
from simulator.exercises.journey_plan import JourneyPlan, PlanError, Step
from simulator.model.timelines import simulate_timelines
from simulator.widgets import JourneyBuilderWidget


@pytest.fixture(scope="module")
def world():
    pop = simulator.simulate(4000, seed=5)
    return pop, simulate_timelines(pop)


@pytest.fixture
def builder(world):
    pop, tl = world
    case = tl.cases[tl.cases.goals_planned >= 2].case_id.iloc[0]
    return JourneyBuilderWidget(pop, tl, case)


def _fill(b, agency="school", owner="teacher", days="30", info="ใบส่งตัว"):
    b.agency.value, b.owner.value, b.days.value, b.information.value = agency, owner, days, info


@pytest.mark.parametrize(
    "days, owner, message",
    [
        ("-5", "teacher", "ระยะเวลาต้องมากกว่า 0 วัน"),
        ("", "teacher", "กรุณาใส่ระยะเวลาเป็นจำนวนวัน"),
        ("สองสัปดาห์", "teacher", "ไม่ใช่ตัวเลข"),
        ("14", "", "ทุกขั้นต้องมีผู้รับผิดชอบ"),
        ("400", "teacher", "เกิน 12 เดือน"),
    ],
)
def test_bad_step_gets_a_thai_message_and_changes_nothing(builder, days, owner, message):
    _fill(builder)
    builder.add_button.click()
    before = list(builder.plan.steps), builder.steps.options, builder.map.png
    _fill(builder, owner=owner, days=days)
    builder.add_button.click()
    assert message in builder.message.value
    assert (list(builder.plan.steps), builder.steps.options, builder.map.png) == before


def test_step_after_the_horizon_is_refused_even_when_each_step_is_short(builder):
    for _ in range(3):
        _fill(builder, days="120")
        builder.add_button.click()
    assert len(builder.plan.steps) == 3
    _fill(builder, days="10")
    builder.add_button.click()
    assert "เกิน 12 เดือน" in builder.message.value and len(builder.plan.steps) == 3


def test_add_reorder_remove_and_the_map_redraws(builder):
    _fill(builder, agency="school", days="10")
    builder.add_button.click()
    first_map = builder.map.png
    _fill(builder, agency="phc", owner="nurse", days="20")
    builder.add_button.click()
    assert builder.map.png != first_map and builder.map.png[:4] == b"\x89PNG"
    assert builder.plan.steps[1].agency == "phc"
    builder.steps.index = 1
    builder.up_button.click()
    assert [s.agency for s in builder.plan.steps] == ["phc", "school"]
    assert builder.steps.index == 0
    builder.remove_button.click()
    assert [s.agency for s in builder.plan.steps] == ["school"]


def test_check_lists_what_is_missing_then_the_example_plan_passes(builder):
    builder.check_button.click()
    assert "ยังไม่มีเป้าหมาย" in builder.feedback.value
    builder.example_button.click()
    assert all(box.value for box in builder.goal_inputs.values()) and builder.plan.steps
    builder.check_button.click()
    assert "แผนครบถ้วน" in builder.feedback.value, builder.feedback.value
    # second layer: the simulator's real journey with its lesson
    assert "เส้นทางที่เกิดขึ้นจริง" in builder.truth.value and "แผนจริงมิติ" in builder.truth.value
    assert builder.truth_map.png[:4] == b"\x89PNG"


GREEN = {f"{s}_{d}": "green" for s in ("child", "parent") for d in ("social", "education", "health", "governance")}


def _shown(world, **colours):
    pop, tl = world
    case = tl.cases[tl.cases.goals_planned >= 2].case_id.iloc[0]
    return JourneyBuilderWidget(pop, tl, case, shown_petals={**GREEN, **colours})


def test_only_petals_shown_yellow_or_red_need_goals(world):
    wdg = _shown(world, child_education="yellow")
    assert list(wdg.goal_inputs) == ["child_education"]
    assert [v for _, v in wdg.goal_for.options] == ["child_education"]
    wdg.check_button.click()
    assert "การศึกษา" in wdg.feedback.value and "สังคม" not in wdg.feedback.value.split("ชั้นที่สอง")[0]


def test_widget_police_owning_a_social_goal_is_reported_then_fixed(world):
    wdg = _shown(world, child_social="red")
    wdg.goal_inputs["child_social"].value = "เด็กปลอดภัยจากการถูกทำร้ายและมีผู้ดูแลที่ไว้ใจได้"
    wdg.goal_for.value = "child_social"
    _fill(wdg, agency="police", owner="police", days="7", info="บันทึกแจ้งเหตุ ส่งให้นักสังคมสงเคราะห์")
    wdg.add_button.click()
    wdg.check_button.click()
    assert "ขั้นที่ 1 เป็นขั้นแรก" in wdg.feedback.value and "แผนครบถ้วน" not in wdg.feedback.value
    wdg.steps.index = 0
    wdg.remove_button.click()
    _fill(wdg, agency="crisis_centre", owner="social_worker", days="2", info="รายงานเหตุ ส่งให้ตำรวจ")
    wdg.add_button.click()
    _fill(wdg, agency="police", owner="police", days="7", info="บันทึกแจ้งเหตุ ส่งให้นักสังคมสงเคราะห์")
    wdg.add_button.click()
    wdg.check_button.click()
    assert "แผนครบถ้วน" in wdg.feedback.value, wdg.feedback.value


def test_selecting_a_step_loads_it_and_the_fix_replaces_it(world):
    wdg = _shown(world, child_social="red")
    wdg.goal_inputs["child_social"].value = "เด็กปลอดภัยจากการถูกทำร้าย"
    _fill(wdg, agency="crisis_centre", owner="social_worker", days="2", info="")
    wdg.add_button.click()
    _fill(wdg, agency="police", owner="police", days="7", info="บันทึกแจ้งเหตุ ส่งให้นักสังคมสงเคราะห์")
    wdg.add_button.click()
    assert (wdg.information.value, wdg.days.value) == ("", "")  # ready for the next step
    wdg.check_button.click()
    assert "ขั้นที่ 1 ยังไม่ได้ระบุข้อมูลที่ส่งต่อ" in wdg.feedback.value
    wdg.steps.index = 0
    assert (wdg.agency.value, wdg.owner.value, wdg.days.value) == ("crisis_centre", "social_worker", "2")
    wdg.days.value = "500"  # bad input: refused, the plan keeps its step
    wdg.edit_button.click()
    assert "เกิน 12 เดือน" in wdg.message.value and wdg.plan.steps[0].days == 2
    wdg.days.value, wdg.information.value = "2", "รายงานเหตุและผลตรวจร่างกาย ส่งให้ตำรวจ"
    wdg.edit_button.click()
    assert "แก้ขั้นที่ 1 แล้ว" in wdg.message.value and len(wdg.plan.steps) == 2
    wdg.check_button.click()
    assert "แผนครบถ้วน" in wdg.feedback.value, wdg.feedback.value


def test_widget_school_under_social_and_missing_information(world):
    wdg = _shown(world, child_social="yellow", parent_social="yellow")
    wdg.goal_inputs["child_social"].value = "เด็กมีผู้ใหญ่ดูแลตลอดวัน"
    wdg.goal_inputs["parent_social"].value = "เด็กได้ไปโรงเรียนทุกวัน"  # a child's goal in the parent's slot
    wdg.goal_for.value = "child_social"
    _fill(wdg, agency="school", owner="teacher", days="14", info="")
    wdg.add_button.click()
    wdg.goal_for.value = "parent_social"
    _fill(wdg, agency="social_development", owner="social_worker", days="14", info="ผลประเมินครอบครัว ส่งให้อาสาสมัคร")
    wdg.add_button.click()
    _fill(wdg, agency="social_development", owner="social_worker", days="7", info="ผลประเมินครอบครัว  ส่งให้อาสาสมัคร")
    wdg.add_button.click()  # the same step again
    assert len(wdg.plan.steps) == 3 and "[เด็ก · มิติสังคม]" in wdg.steps.options[0]
    wdg.check_button.click()
    fb = wdg.feedback.value
    assert "ยังต้องแก้ 4 เรื่อง" in fb
    assert "โรงเรียนเป็นหน่วยงานมิติการศึกษา" in fb
    assert "ขั้นที่ 1 ยังไม่ได้ระบุข้อมูลที่ส่งต่อ" in fb
    assert "ขั้นที่ 3 ซ้ำกับขั้นที่ 2" in fb
    assert "เป้าหมายในช่องผู้ปกครอง · มิติสังคมเขียนถึงเด็ก" in fb


def test_widget_legal_case_needs_shelter_and_reunification(world):
    pop, tl = world
    legal = tl.cases[tl.cases.legal_path & tl.cases.separated]
    assert len(legal), "the 4,000-family world has a case on the legal path"
    wdg = JourneyBuilderWidget(pop, tl, legal.case_id.iloc[0])
    assert wdg.purpose in wdg.view.children and "ช่องทางตามกฎหมาย" in wdg.view.children[0].value
    for slot, box in wdg.goal_inputs.items():
        box.value = wdg._examples[slot].goal_th
    wdg.goal_for.value = wdg.plan.slots[0]
    first = wdg._examples[wdg.plan.slots[0]].touch_points[0]
    _fill(wdg, agency=first.agency, owner=first.role, days="3", info=first.information_th)
    wdg.add_button.click()
    wdg.check_button.click()
    assert "แผนยังไม่มีขั้นบ้านพักชั่วคราว" in wdg.feedback.value
    assert "แผนยังไม่มีขั้นการคืนเด็กสู่ครอบครัว" in wdg.feedback.value
    _fill(wdg, agency="district_office", owner="district_director", days="3", info="คำสั่งคุ้มครอง ส่งให้บ้านพัก")
    wdg.purpose.value = "temporary_shelter"
    wdg.add_button.click()
    wdg.check_button.click()
    assert "แผนยังไม่มีขั้นบ้านพักชั่วคราว" not in wdg.feedback.value
    assert "แผนยังไม่มีขั้นการคืนเด็กสู่ครอบครัว" in wdg.feedback.value
    example = JourneyBuilderWidget(pop, tl, legal.case_id.iloc[0])
    example.example_button.click()
    example.check_button.click()
    assert "แผนครบถ้วน" in example.feedback.value, example.feedback.value
    assert {"temporary_shelter", "reunification"} <= {s.purpose for s in example.plan.steps}


def test_plan_error_on_direct_use(world):
    pop, _ = world
    plan = JourneyPlan(pop.config, ["social"])
    with pytest.raises(PlanError):
        plan.add_step(Step("social", "", "teacher", "", 5))
    with pytest.raises(PlanError):
        plan.set_goal("health", "x")


def test_journey_figures_render_thai_without_missing_glyphs(world, tmp_path):
    pop, tl = world
    case = tl.cases.sort_values("revisions").case_id.iloc[-1]
    plan = JourneyPlan(pop.config, ["social"], case)
    plan.add_step(Step("social", "phc", "nurse", "ผลตรวจ", 30))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        figs = [journey_map(tl, case, layout="print"), parent_card(tl, case, "มาลี"), plan_map(plan)]
        for i, fig in enumerate(figs):
            fig.savefig(tmp_path / f"f{i}.png")
    texts = [t.get_text() for t in figs[0].findobj(lambda a: hasattr(a, "get_text"))]
    joined = " ".join(texts)
    assert "ผู้ปกครองและเด็ก" in joined and "เขต (ผู้อำนวยการเขต)" in joined
    assert "ปรับแผน" in joined and "ข้อมูลสมมติ" in joined
    years = [t for t in texts if "\n25" in t]
    assert years, "time axis shows Buddhist-era years"
    assert tuple(figs[1].get_size_inches()) == pytest.approx((5.83, 8.27))


def test_upcoming_appointments_follow_consent(world):
    _, tl = world
    case = tl.cases[tl.cases.service_start_date.notna()].case_id.iloc[0]
    apps = upcoming_appointments(tl, case)
    signed = tl.case(case).events.query("event == 'consent_signed'").date
    assert len(apps) > 0
    if len(signed):
        assert (apps.date > signed.iloc[0]).all()
