"""A district's 1-year action plan and 5-year draft from its dashboards (dashboards/action_plan.py
and widgets/action_plan.py).

Hand-built numbers come from ``tests/dashboard_fixture.py`` (read through June 2025):

- ลาดกระบัง, June 2025 (windows 1 Apr-30 Jun): JC0000002 was noticed on 10 Mar, so its 60 days to
  a plan ended on 9 May, in the window, with no plan: plan within 60 days 0% (red, 80 short).
  It is open and its last event by 30 Jun was the notification on 15 Mar (107 days): out of
  contact 1 of 1 = 100% (red, 80 over the 20% ceiling). Its education notification waits for
  the teacher since 15 Mar: 107 days, the district's only waiting case (the bottleneck). Its
  community ชุมชนหลังวัด has 1 child and 1 case: 10,000 per 10,000 children; the district's
  other community has no case.
- บางนา, June 2025: JC0000003's 180 days to service ended on 18 Apr with service since 5 Jan:
  helped on time 100% (green). Out of contact on 30 Jun: JC0000001 last seen on 25 Jun (5 days),
  JC0000003 on 15 May (46 days): 1 of 2 = 50% (red). Nothing waits anywhere. ชุมชนริมคลอง: 2
  cases, 3 children.
- บางนา, March 2025 (1 Jan-31 Mar): emergency plan within 14 days 0% (JC0000001's plan came on
  day 15; red, 90 short), out of contact 100% (both cases silent for 30+ days on 31 Mar; red,
  80 over), acknowledged on time 50% (health on time, social 3 days late; red, 30 short), plan
  within 60 days 100% (green).
"""

from __future__ import annotations

import copy

import pandas as pd
import pytest

import simulator
from simulator.dashboards import action_plan as AP
from simulator.dashboards import committee
from simulator.dashboards import district as D
from simulator.dashboards.tables import DashboardData, DashboardDataError
from simulator.model.config import ConfigError
from simulator.widgets import ActionPlanWidget
from tests.dashboard_fixture import tiny_world
from tests.data_files import edit_yaml

LK, BN = "ลาดกระบัง", "บางนา"


@pytest.fixture(scope="module")
def tiny() -> DashboardData:
    return tiny_world()


@pytest.fixture(scope="module")
def lk(tiny) -> pd.DataFrame:
    return AP.findings(tiny, LK, "2025-06")


@pytest.fixture(scope="module")
def city() -> DashboardData:
    pop = simulator.simulate(3000, seed=1)
    return DashboardData.from_simulation(pop, simulator.simulate_timelines(pop))


def complete_plan(lk) -> list[AP.PlanRow]:
    """A plan of ลาดกระบัง (June 2025) that check_plan accepts."""
    return [
        AP.row_for(lk, "plan_within_60_days", "1y", goal_th="ทุกกรณีมีแผนภายใน 60 วัน",
                   action_th="ประชุมวางแผนร่วมทุกสองสัปดาห์", owner="district", month="2025-09"),
        AP.row_for(lk, "bottleneck", "1y", goal_th="ครูรับเรื่องภายใน 7 วัน", action_th="ตั้งครูรับเรื่องสำรอง",
                   owner="providers", dimension="education", target=7, month="2025-08"),
        AP.row_for(lk, "plan_within_60_days", "5y", goal_th="มีแผนภายใน 60 วันเก้าในสิบกรณี",
                   action_th="ประชุมวางแผนออนไลน์ได้ทุกสัปดาห์", owner="district", target=90, year=3),
    ]


# ------------------------------------------------------------------------------------ findings

def test_findings_of_a_hand_built_district(lk):
    assert list(lk["finding_id"]) == ["plan_within_60_days", "out_of_contact", "bottleneck", "top_community"]
    assert list(lk["kind"]) == ["measure", "measure", "bottleneck", "community"]
    assert lk.attrs["month"] == pd.Period("2025-06", "M") and lk.attrs["district"] == LK
    plan, contact, neck, community = (lk.iloc[i] for i in range(4))
    assert (plan["baseline"], plan["target"], plan["status"], plan["unit"]) == (0.0, 80.0, "red", "%")
    assert plan["measure_id"] == "plan_within_60_days" and bool(plan["higher_is_better"])
    assert "0.0% ต่ำกว่าเป้า 80% (ห่างเป้า)" in plan["text_th"]
    assert (contact["baseline"], contact["target"], contact["cases"]) == (100.0, 20.0, 1.0)
    assert not contact["higher_is_better"] and "100.0% สูงกว่าเป้า 20%" in contact["text_th"]
    assert (neck["step"], neck["dimension"], neck["actor_role"]) == ("acknowledgement", "education", "teacher")
    assert (neck["baseline"], neck["cases"], neck["unit"]) == (107.0, 1.0, "วัน")
    assert neck["measure_id"] is None and pd.isna(neck["target"])
    assert "มีกรณีรออยู่ 1 กรณี รอมาแล้วมัธยฐาน 107 วัน" in neck["text_th"]
    assert (community["community"], community["baseline"], community["cases"]) == ("ชุมชนหลังวัด", 10_000.0, 1.0)
    assert "ชุมชนหลังวัด 10,000 กรณีต่อเด็ก 10,000 คน (1 กรณี จากเด็ก 1 คน)" in community["text_th"]


def test_green_measures_and_empty_steps_are_not_findings(tiny):
    found = AP.findings(tiny, BN, "2025-06")
    card = committee.scorecard(tiny, "2025-06", area=BN)
    assert card.set_index("measure_id").loc["helped_on_time", "status"] == "green"
    assert list(found["finding_id"]) == ["out_of_contact", "top_community"]  # nothing waits in บางนา
    assert found.iloc[0]["baseline"] == 50.0
    assert found.iloc[1]["baseline"] == pytest.approx(20_000 / 3)


def test_red_before_amber_and_furthest_from_target_first(tiny):
    spec = committee.load_scorecard()
    raw = spec.model_dump()
    for m in raw["measures"]:
        if m["id"] == "out_of_contact":
            m["tolerance"] = 90  # 100% is within 20 + 90: amber
        if m["id"] == "acknowledged_on_time":
            m["tolerance"] = 40  # 50% is within 80 - 40: amber
    lenient = committee.ScorecardSpec.model_validate(raw)
    strict = AP.findings(tiny, BN, "2025-03")
    measures = strict[strict["kind"] == "measure"]
    assert list(measures["finding_id"]) == ["emergency_plan_within_14_days", "out_of_contact",
                                            "acknowledged_on_time"]
    assert "plan_within_60_days" not in set(strict["finding_id"])  # 100%: green
    mixed = AP.findings(tiny, BN, "2025-03", spec=lenient)
    mixed = mixed[mixed["kind"] == "measure"]
    assert list(zip(mixed["finding_id"], mixed["status"])) == [
        ("emergency_plan_within_14_days", "red"), ("out_of_contact", "amber"), ("acknowledged_on_time", "amber")]


def test_the_month_defaults_to_the_last_whole_month(tiny):
    assert AP.findings(tiny, BN).attrs["month"] == pd.Period("2025-07", "M")
    assert AP.default_month(tiny.upto("2025-07-15")) == pd.Period("2025-06", "M")
    assert AP.findings(tiny, "เขตบางนา", "2025-06").attrs["district"] == BN
    with pytest.raises(DashboardDataError, match="ยังไม่ครบเดือน ส.ค. 2568"):
        AP.findings(tiny, BN, "2025-08")
    with pytest.raises(DashboardDataError, match="ไม่พบเขต «บางพลัด»"):
        AP.findings(tiny, "บางพลัด")


def test_findings_follow_the_dashboards_on_a_simulated_city(city):
    month = AP.default_month(city)
    districts = list(city.households["district"].astype(str).value_counts().index[:3])
    for name in districts:
        found = AP.findings(city, name)
        card = committee.scorecard(city, month, area=name)  # the whole city's scorecard, this district's row
        off = card[card["status"].isin(["red", "amber"])].set_index("measure_id")
        measures = found[found["kind"] == "measure"].set_index("finding_id")
        assert set(measures.index) == set(off.index)
        assert set(card.loc[card["status"] == "green", "measure_id"]).isdisjoint(found["finding_id"])
        assert measures["baseline"].to_dict() == pytest.approx(off["value"].to_dict())
        assert measures["target"].to_dict() == off["target"].to_dict()
        assert list(measures["status"]) == sorted(measures["status"], key=["red", "amber"].index)
        worst = D.bottlenecks(city, name).iloc[0]
        neck = found.set_index("finding_id").loc["bottleneck"]
        assert (neck["step"], neck["actor_role"], neck["cases"]) == (worst["step"], worst["actor_role"],
                                                                      worst["waiting"])
        assert neck["baseline"] == worst["waiting_median_days"]
        top = D.communities_compared(city, name).iloc[0]
        community = found.set_index("finding_id").loc["top_community"]
        assert (community["community"], community["baseline"]) == (top["community"], top["per_10000"])


def test_thai_view_of_findings(lk):
    shown = AP.findings_th(lk)
    assert list(shown.columns) == ["ข้อค้นพบ", "สิ่งที่แดชบอร์ดบอก", "ค่าตั้งต้น (baseline)", "เป้าหมายในตารางคะแนน",
                                   "สถานะ"]
    assert list(shown["ค่าตั้งต้น (baseline)"]) == ["0%", "100%", "107 วัน", "10,000 กรณีต่อเด็ก 10,000 คน"]
    assert list(shown["สถานะ"])[:2] == ["ห่างเป้า", "ห่างเป้า"]


def test_a_scorecard_month_without_goal_windows_no_longer_fails(tiny):
    card = committee.scorecard(tiny, "2025-06", area=BN).set_index("measure_id")
    assert card.loc["goals_met_on_time", "status"] == "none" and card.loc["goals_met_on_time", "n_cases"] == 0


# ---------------------------------------------------------------------------------- check_plan

def test_a_complete_plan_passes(lk):
    assert AP.check_plan(complete_plan(lk), lk) == []
    plan = AP.ActionPlan(LK, "2025-06", complete_plan(lk))
    assert plan.check(lk) == [] and len(plan.horizon("1y")) == 2


def _set(index, **changes):
    def change(rows):
        for key, value in changes.items():
            setattr(rows[index], key, value)
        return rows
    return change


def _add(row_maker):
    def change(rows):
        return rows + row_maker(rows)
    return change


PROBLEMS = [
    (_set(0, goal_th=""), "แผน 1 ปี แถวที่ 1 · เป้าหมาย (goal): ยังว่างอยู่"),
    (_set(1, action_th="   "), "แผน 1 ปี แถวที่ 2 · สิ่งที่จะทำ (action): ยังว่างอยู่"),
    (_set(0, owner=""), "แผน 1 ปี แถวที่ 1 · ผู้รับผิดชอบ: ยังไม่ได้เลือกระดับที่รับผิดชอบ"),
    (_set(0, owner="school"), "แผน 1 ปี แถวที่ 1 · ผู้รับผิดชอบ: «school» ไม่ใช่ระดับใดใน 4 ระดับ"),
    (_set(1, dimension=None), "แผน 1 ปี แถวที่ 2 · มิติ: เมื่อผู้รับผิดชอบเป็นผู้ให้บริการ ต้องเลือกมิติ"),
    (_set(1, dimension="housing"), "แผน 1 ปี แถวที่ 2 · มิติ: «housing» ไม่ใช่มิติ"),
    (_set(0, target=0.0), "แผน 1 ปี แถวที่ 1 · ค่าเป้าหมาย (target): เป้า 0% ต้องสูงกว่าค่าตั้งต้น 0% (ตัวชี้วัดนี้ยิ่งสูงยิ่งดี)"),
    (_set(1, target=150.0),
     "แผน 1 ปี แถวที่ 2 · ค่าเป้าหมาย (target): เป้า 150 วัน ต้องต่ำกว่าค่าตั้งต้น 107 วัน (ตัวชี้วัดนี้ยิ่งต่ำยิ่งดี)"),
    (_set(0, target=None), "แผน 1 ปี แถวที่ 1 · ค่าเป้าหมาย (target): ยังไม่ได้ใส่ค่าเป้าหมาย"),
    (_set(2, target=120.0), "แผน 5 ปี แถวที่ 1 · ค่าเป้าหมาย (target): ค่าเป้าหมายเป็นร้อยละ ต้องอยู่ระหว่าง 0 ถึง 100"),
    (_set(0, month="2026-07"), "แผน 1 ปี แถวที่ 1 · เดือน: ก.ค. 2569 อยู่นอก 12 เดือนข้างหน้า (ก.ค. 2568 ถึง มิ.ย. 2569)"),
    (_set(0, month="2025-06"), "แผน 1 ปี แถวที่ 1 · เดือน: มิ.ย. 2568 อยู่นอก 12 เดือนข้างหน้า"),
    (_set(0, month=None), "แผน 1 ปี แถวที่ 1 · เดือน: ยังไม่ได้เลือกเดือน (ก.ค. 2568 ถึง มิ.ย. 2569)"),
    (_set(0, month="ปีหน้า"), "แผน 1 ปี แถวที่ 1 · เดือน: «ปีหน้า» ไม่ใช่เดือน"),
    (_set(2, year=6), "แผน 5 ปี แถวที่ 1 · ปี: ปีที่ 6 อยู่นอกแผน 5 ปี (ปีที่ 1 ถึง 5 คือ พ.ศ. 2569–2573)"),
    (_set(2, year=None), "แผน 5 ปี แถวที่ 1 · ปี: ยังไม่ได้เลือกปี"),
    (_set(2, target=70.0), "แผน 5 ปี แถวที่ 1 · ค่าเป้าหมาย (target): เป้า 5 ปี 70% ไปไม่ถึงเป้า 1 ปี 80%"),
    (_set(1, finding_id="no_such"), "แผน 1 ปี แถวที่ 2 · ข้อค้นพบ: ไม่มีข้อค้นพบ «no_such» ในแดชบอร์ดของเขตนี้"),
    (_set(0, measure_id="no_such"), "แผน 1 ปี แถวที่ 1 · ตัวชี้วัด: ไม่มีตัวชี้วัด «no_such» ใน scorecard.yaml"),
    (_add(lambda rows: [AP.PlanRow("5y", "top_community", "ชุมชนเข้มแข็ง", "ทีมเขตลงชุมชน", "district",
                                    baseline=10_000.0, target=5_000.0, unit="กรณีต่อเด็ก 10,000 คน", year=2)]),
     "แผน 5 ปี แถวที่ 2 · ข้อค้นพบ: ยังไม่มีแผน 1 ปีของข้อค้นพบนี้"),
    (_add(lambda rows: [copy.copy(rows[0])]), "แผน 1 ปี แถวที่ 3 · ข้อค้นพบ: ซ้ำกับแผน 1 ปี แถวที่ 1"),
    (_add(lambda rows: [AP.PlanRow("2y", "bottleneck")]), "แถวที่ 4 · ช่วงแผน: «2y» ไม่ใช่แผน 1 ปี (1y) หรือแผน 5 ปี (5y)"),
    (lambda rows: rows[:2], "ร่างแผน 5 ปี · จำนวนแถว: ยังไม่มีแถว"),
]


@pytest.mark.parametrize("change, message", PROBLEMS, ids=[f"problem{i}" for i in range(len(PROBLEMS))])
def test_check_plan_names_the_row_and_the_field(lk, change, message):
    messages = AP.check_plan(change(complete_plan(lk)), lk)
    assert len(messages) == 1, messages
    assert messages[0].startswith(message), messages


def test_at_most_five_rows_per_plan(lk):
    rows = complete_plan(lk)
    extra = [AP.row_for(lk, "plan_within_60_days", "1y", goal_th="เป้าหมาย", action_th=f"งานที่ {i}",
                        owner="district", month="2025-10") for i in range(4)]
    messages = AP.check_plan(rows[:2] + extra + rows[2:], lk)
    assert messages == ["แผน 1 ปี แถวที่ 6 · จำนวนแถว: แผน 1 ปีมีได้ไม่เกิน 5 แถว ให้รวมหรือตัดแถวนี้ออก"]
    assert AP.check_plan(rows[:2] + extra[:3] + rows[2:], lk) == []


def test_the_direction_comes_from_the_scorecard(lk):
    raw = committee.load_scorecard().model_dump()
    for m in raw["measures"]:
        if m["id"] == "plan_within_60_days":
            m["higher_is_better"] = False
    flipped = committee.ScorecardSpec.model_validate(raw)
    messages = AP.check_plan(complete_plan(lk), lk, spec=flipped)
    assert "แผน 1 ปี แถวที่ 1 · ค่าเป้าหมาย (target): เป้า 80% ต้องต่ำกว่าค่าตั้งต้น 0% (ตัวชี้วัดนี้ยิ่งต่ำยิ่งดี)" in messages


def test_numbers_shown_on_screen_are_used(lk):
    rows = complete_plan(lk)
    rows[1].number, rows[1].goal_th = 3, ""
    assert AP.check_plan(rows, lk) == ["แผน 1 ปี แถวที่ 3 · เป้าหมาย (goal): ยังว่างอยู่ เขียนว่าอยากเห็นอะไรเปลี่ยนไป"]


def test_check_plan_needs_the_month(lk):
    bare = lk.copy()
    bare.attrs = {}
    with pytest.raises(DashboardDataError, match="month"):
        AP.check_plan(complete_plan(lk), bare)
    assert AP.check_plan(complete_plan(lk), bare, month="2025-06") == []


# ------------------------------------------------------------------------------- suggested_rows

def test_owners_suggested_by_the_measure():
    settings = AP.load_plan_settings()
    assert {m: settings.owner_of_measure(m) for m in ("acknowledged_on_time", "plan_within_60_days",
                                                      "out_of_contact", "helped_on_time")} == {
        "acknowledged_on_time": "providers", "plan_within_60_days": "district", "out_of_contact": "providers",
        "helped_on_time": "district"}


def test_suggested_rows_are_a_starting_point(lk):
    rows = AP.suggested_rows(lk)
    assert [r.finding_id for r in rows] == ["plan_within_60_days", "out_of_contact", "bottleneck"]
    assert all(r.horizon == "1y" and r.month is None and r.action_th for r in rows)
    assert rows[0].goal_th == "มีแผนบริการภายใน 60 วันหลังพบปัญหา: เพิ่มจาก 0% เป็นอย่างน้อย 80%"
    assert rows[1].goal_th == "กรณีที่ขาดการติดต่อตั้งแต่ 30 วันขึ้นไป: ลดจาก 100% เหลือไม่เกิน 20%"
    assert [(r.owner, r.dimension, r.target) for r in rows] == [
        ("district", None, 80.0), ("providers", None, 20.0), ("providers", "education", None)]
    assert "107 วัน" in rows[2].goal_th
    messages = AP.check_plan(rows, lk)
    assert "แผน 1 ปี แถวที่ 2 · มิติ: เมื่อผู้รับผิดชอบเป็นผู้ให้บริการ ต้องเลือกมิติ: สังคม การศึกษา สุขภาพ หรือการปกครอง" \
        in messages
    assert "แผน 1 ปี แถวที่ 3 · ค่าเป้าหมาย (target): ยังไม่ได้ใส่ค่าเป้าหมาย" in messages
    assert sum("ยังไม่ได้เลือกเดือน" in m for m in messages) == 3


def _filled(rows, found):
    month = AP.plan_months(found.attrs["month"])[5]
    for r in rows:
        r.month = str(month)
        if r.owner == "providers" and not r.dimension:
            r.dimension = "social"
        if r.target is None:
            r.target = r.baseline / 2
    first = rows[0]
    five = AP.row_for(found, first.finding_id, "5y", goal_th="ห้าปี", action_th="ขยายผล", owner="district",
                      year=5, target=first.target)
    return rows + [five]


def test_suggested_rows_pass_once_the_group_fills_them(lk, city):
    assert AP.check_plan(_filled(AP.suggested_rows(lk), lk), lk) == []
    for name in city.households["district"].astype(str).value_counts().index[:5]:
        found = AP.findings(city, name)
        rows = AP.suggested_rows(found)
        assert len(rows) == min(3, len(found))
        assert AP.check_plan(_filled(rows, found), found) == []


# --------------------------------------------------------------------------------- showing

def test_plan_tables(lk):
    table = AP.plan_table(complete_plan(lk))
    assert list(table["horizon"]) == ["1y", "1y", "5y"] and list(table["number"]) == [1, 2, 1]
    assert table.loc[0, "month"] == pd.Period("2025-09", "M") and table.loc[2, "year"] == 3
    shown = AP.plan_table_th(complete_plan(lk), month="2025-06")
    assert list(shown.columns) == ["แผน", "ข้อ", "เป้าหมาย (goal)", "สิ่งที่จะทำ (action)", "ผู้รับผิดชอบ", "ตัวชี้วัด",
                                   "ค่าตั้งต้น (baseline)", "ค่าเป้าหมาย (target)", "เมื่อใด"]
    assert list(shown["เมื่อใด"]) == ["ก.ย. 2568", "ส.ค. 2568", "ปีที่ 3 (พ.ศ. 2571)"]
    assert list(shown["ผู้รับผิดชอบ"]) == ["เขต", "ผู้ให้บริการมิติการศึกษา", "เขต"]
    assert list(shown["ตัวชี้วัด"]) == ["มีแผนบริการภายใน 60 วันหลังพบปัญหา", "", "มีแผนบริการภายใน 60 วันหลังพบปัญหา"]
    assert list(shown["ค่าเป้าหมาย (target)"]) == ["80%", "7 วัน", "90%"]


def test_plan_markdown(lk):
    text = AP.plan_markdown(complete_plan(lk), LK, "2025-06")
    lines = text.splitlines()
    assert lines[0] == "# แผนปฏิบัติการ 1 ปี และร่างแผน 5 ปี เขตลาดกระบัง จากข้อมูลเดือน มิ.ย. 2568"
    one = lines.index("## แผนปฏิบัติการ 1 ปี (ก.ค. 2568 ถึง มิ.ย. 2569)")
    five = lines.index("## ร่างแผน 5 ปี (พ.ศ. 2569–2573)")
    assert one < five
    one_table = [line for line in lines[one:five] if line.startswith("| ")]
    five_table = [line for line in lines[five:] if line.startswith("| ")]
    assert len(one_table) == 3 and len(five_table) == 2  # a header and the rows
    assert one_table[0].endswith("| เดือน |") and five_table[0].endswith("| ปี |")
    assert "| ก.ย. 2568 |" in one_table[1] and "ปีที่ 3 (พ.ศ. 2571)" in five_table[1]
    assert "จากข้อมูลสมมติ (synthetic)" in lines[-1]
    empty = AP.plan_markdown(complete_plan(lk)[:2], "เขตลาดกระบัง", "2025-06")
    assert "_ยังไม่มีแถวในแผนนี้_" in empty and "เขตเขต" not in empty


# ---------------------------------------------------------------------------------- settings

@pytest.mark.parametrize("change, words", [
    (lambda d: d["measures"].update(no_such={"owner": "district", "action_th": "x"}), ["measures.no_such"]),
    (lambda d: d["measures"]["out_of_contact"].update(owner="school"), ["measures", "out_of_contact", "owner"]),
    (lambda d: d.update(goal_higher_th="{name} {goal}"), ["goal_higher_th", "{goal}"]),
    (lambda d: d["bottleneck"].pop("consent"), ["bottleneck", "consent"]),
    (lambda d: d["community"].update(goal_th="{district}"), ["community", "{district}"]),
])
def test_a_broken_plan_file_names_the_file_and_field(data_copy, change, words):
    edit_yaml(data_copy / "action_plan.yaml", change)
    with pytest.raises(ConfigError) as err:
        AP.load_plan_settings(data_copy)
    assert "action_plan.yaml" in str(err.value)
    for word in words:
        assert word in str(err.value)


# ------------------------------------------------------------------------------------ widget

def test_the_widget_driven_by_clicks(tiny, lk):
    wdg = ActionPlanWidget(tiny, LK, "2025-06")
    shown = wdg.view.children[1].value
    assert all(text in shown for text in lk["text_th"])
    assert [label for label, _ in wdg.one_year[0].when.options[1:3]] == ["ก.ค. 2568", "ส.ค. 2568"]
    assert wdg.five_year[0].when.options[3][0] == "ปีที่ 3 (พ.ศ. 2571)"
    wdg.check_button.click()
    assert "แผนปฏิบัติการ 1 ปี · จำนวนแถว: ยังไม่มีแถว" in wdg.feedback.value
    wdg.suggest_button.click()
    assert [c.finding.value for c in wdg.one_year] == ["plan_within_60_days", "out_of_contact", "bottleneck"]
    assert wdg.one_year[2].dimension.value == "education"
    wdg.check_button.click()
    assert "ยังต้องแก้" in wdg.feedback.value and "แผน 1 ปี แถวที่ 1 · เดือน: ยังไม่ได้เลือกเดือน" in wdg.messages[0]
    assert "ร่างแผนครบถ้วน" not in wdg.feedback.value
    for controls, month in zip(wdg.one_year, ["2025-09", "2025-12", "2025-08"]):
        controls.when.value = month
    wdg.one_year[1].dimension.value = "social"
    wdg.one_year[2].target.value = 30
    five = wdg.five_year[0]
    five.finding.value = "plan_within_60_days"
    assert five.target.value == 80 and "0%" in five.baseline.value  # the scorecard target, prefilled
    five.goal.value, five.action.value = "มีแผนภายใน 60 วันเก้าในสิบกรณี", "ประชุมวางแผนออนไลน์ได้ทุกสัปดาห์"
    five.owner.value, five.target.value, five.when.value = "district", 90, 3
    wdg.check_button.click()  # the second 5-year row is blank: ignored
    assert wdg.messages == [] and "ร่างแผนครบถ้วน" in wdg.feedback.value
    assert len(wdg.plan.rows) == 4
    assert "ผู้ให้บริการมิติการศึกษา" in wdg.table_html.value and "ปีที่ 3 (พ.ศ. 2571)" in wdg.table_html.value
    assert "เขตลาดกระบัง" in wdg.markdown().splitlines()[0]


def test_the_widget_is_one_phone_column(city):
    name = city.households["district"].astype(str).value_counts().index[0]
    wdg = ActionPlanWidget(city, name)
    controls = [c for row in wdg.one_year + wdg.five_year
                for c in (row.finding, row.goal, row.action, row.owner, row.dimension, row.target, row.when)]
    assert len(wdg.one_year) == 3 and len(wdg.five_year) == 2
    assert all(c.layout.width == "100%" and c.style.description_width == "initial" for c in controls)
    assert all(any("\u0e00" <= ch <= "\u0e7f" for ch in c.description) for c in controls)
