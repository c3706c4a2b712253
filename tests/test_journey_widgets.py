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
    before = list(builder.plan.steps), builder.steps.options, builder.map.value
    _fill(builder, owner=owner, days=days)
    builder.add_button.click()
    assert message in builder.message.value
    assert (list(builder.plan.steps), builder.steps.options, builder.map.value) == before


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
    first_map = builder.map.value
    _fill(builder, agency="phc", owner="nurse", days="20")
    builder.add_button.click()
    assert builder.map.value != first_map and builder.map.value[:4] == b"\x89PNG"
    assert builder.plan.steps[1].agency == "phc"
    builder.steps.index = 1
    builder.up_button.click()
    assert [s.agency for s in builder.plan.steps] == ["phc", "school"]
    assert builder.steps.index == 0
    builder.remove_button.click()
    assert [s.agency for s in builder.plan.steps] == ["school"]


def test_check_lists_what_is_missing_then_passes(builder):
    builder.check_button.click()
    assert "ยังไม่มีเป้าหมาย" in builder.feedback.value
    builder.example_button.click()
    for d in builder.plan.active:
        builder.dimension.value = d
        _fill(builder, days="60")
        builder.add_button.click()
    builder.check_button.click()
    assert "แผนครบถ้วน" in builder.feedback.value


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
        figs = [journey_map(tl, case), parent_card(tl, case, "มาลี"), plan_map(plan)]
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
