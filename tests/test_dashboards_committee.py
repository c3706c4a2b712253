"""City committee level: every number checked by hand on a tiny world, then invariants on a simulated one.

The hand-built world has three districts in two zones, eight families, eleven children and
eight cases; the dates are chosen so that each monthly count, rate, share, status and direction
below can be worked out on paper (the working is in the comments).
"""

from __future__ import annotations

import shutil
import warnings

import numpy as np
import pandas as pd
import pytest

import simulator
from simulator.dashboards import committee as cm
from simulator.dashboards.suppression import TOTAL_TH, SuppressionRule
from simulator.dashboards.tables import DashboardData, DashboardDataError
from simulator.model.config import DATA_DIR, ConfigError

PHRA_NAKHON, DUSIT, LAT_KRABANG = "พระนคร", "ดุสิต", "ลาดกระบัง"
CENTRAL, EAST = "กรุงเทพกลาง", "กรุงเทพตะวันออก"
DEC, NOV = pd.Period("2025-12", "M"), pd.Period("2025-11", "M")
MARK = "•"

# family -> (district, zone, sandbox, children)
FAMILIES = {
    "HH1": (PHRA_NAKHON, CENTRAL, False, 2), "HH2": (PHRA_NAKHON, CENTRAL, False, 1),
    "HH7": (PHRA_NAKHON, CENTRAL, False, 1), "HH3": (DUSIT, CENTRAL, False, 1), "HH4": (DUSIT, CENTRAL, False, 1),
    "HH5": (LAT_KRABANG, EAST, True, 2), "HH6": (LAT_KRABANG, EAST, True, 1), "HH8": (LAT_KRABANG, EAST, True, 2),
}
STAGE = {"onset": "referral", "noticed": "referral", "notified": "referral", "acknowledged": "referral",
         "plan_meeting": "plan", "consent_signed": "consent", "explained": "consent", "refused": "consent",
         "service_started": "in_service", "goal_met": "goals_met"}
# case -> (family, level, dimensions, events as (event, date, dimension))
CASES = {
    "C1": ("HH1", "complex", "social", [
        ("onset", "2025-09-20", "social"), ("noticed", "2025-10-10", "social"), ("notified", "2025-10-12", "social"),
        ("acknowledged", "2025-10-15", "social"), ("plan_meeting", "2025-10-20", None),
        ("consent_signed", "2025-10-25", None), ("service_started", "2025-10-31", "social"),
        ("goal_met", "2025-12-10", "social")]),
    "C2": ("HH3", "emergency", "social,health", [
        ("onset", "2025-11-01", "social"), ("noticed", "2025-11-10", "social"), ("notified", "2025-11-11", "social"),
        ("notified", "2025-11-11", "health"), ("acknowledged", "2025-11-12", "health"),
        ("acknowledged", "2025-11-13", "social"), ("plan_meeting", "2025-11-20", None),
        ("consent_signed", "2025-11-28", None), ("service_started", "2025-12-01", "social"),
        ("goal_met", "2025-12-15", "health")]),
    "C3": ("HH5", "complex", "education", [
        ("onset", "2025-12-01", "education"), ("noticed", "2025-12-05", "education"),
        ("notified", "2025-12-06", "education"), ("acknowledged", "2025-12-20", "education")]),
    "C4": ("HH6", "emergency", "social", [
        ("onset", "2025-12-18", "social"), ("noticed", "2025-12-20", "social"), ("notified", "2025-12-20", "social"),
        ("acknowledged", "2025-12-21", "social")]),
    "C5": ("HH2", "complex", "health", [
        ("onset", "2025-05-01", "health"), ("noticed", "2025-06-15", "health"), ("notified", "2025-06-16", "health"),
        ("acknowledged", "2025-06-18", "health"), ("plan_meeting", "2025-07-01", None),
        ("consent_signed", "2025-07-10", None), ("service_started", "2025-07-20", "health"),
        ("goal_met", "2025-09-01", "health")]),
    "C6": ("HH4", "complex", "education", [
        ("onset", "2025-11-20", "education"), ("noticed", "2025-11-25", "education"),
        ("notified", "2025-11-26", "education"), ("acknowledged", "2025-11-28", "education"),
        ("plan_meeting", "2025-12-01", None), ("explained", "2025-12-05", None), ("refused", "2025-12-15", None)]),
    "C7": ("HH7", "complex", "governance", [
        ("onset", "2025-08-01", "governance"), ("noticed", "2025-09-01", "governance"),
        ("notified", "2025-09-02", "governance")]),
    "C8": ("HH8", "complex", "social,education", [
        ("onset", "2024-01-01", "social"), ("noticed", "2024-01-10", "social"), ("notified", "2024-01-11", "social"),
        ("acknowledged", "2024-01-12", "social"), ("plan_meeting", "2024-01-20", None),
        ("consent_signed", "2024-01-25", None), ("service_started", "2024-02-01", "social"),
        ("goal_met", "2024-06-01", "social"), ("goal_met", "2025-03-01", "education")]),
}


def world(extra_cases: dict | None = None, extra_families: dict | None = None) -> DashboardData:
    families = {**FAMILIES, **(extra_families or {})}
    cases_in = {**CASES, **(extra_cases or {})}
    households = pd.DataFrame([{"family_id": f, "zone": z, "district": d, "community": f"ชุมชน {d}", "sandbox": s,
                                "household_type": "two_parents"} for f, (d, z, s, _) in families.items()])
    children = pd.DataFrame([{"person_id": f"{f}-{k:02d}", "family_id": f, "sex": "female",
                              "birth_date": pd.Timestamp("2015-01-01")}
                             for f, (*_, n) in families.items() for k in range(2, 2 + n)])
    petals = pd.DataFrame([{"family_id": f, **{c: "green" for c in
                                               ("child_social", "child_education", "child_health", "child_governance",
                                                "parent_social", "parent_education", "parent_health",
                                                "parent_governance")}, "case_level": "complex"} for f in families])
    events, cases = [], []
    for case_id, (family, level, dims, evs) in cases_in.items():
        dates = {}
        for event, day, dim in evs:
            events.append({"case_id": case_id, "family_id": family, "date": pd.Timestamp(day), "stage": STAGE[event],
                           "dimension": dim, "actor_role": "volunteer", "event": event})
            dates.setdefault(event, pd.Timestamp(day))
        cases.append({"case_id": case_id, "family_id": family, "case_level": level, "dimensions": dims,
                      "onset_date": dates["onset"], "noticed_date": dates.get("noticed", pd.NaT),
                      "first_notified_date": dates.get("notified", pd.NaT), "plan_date": dates.get("plan_meeting", pd.NaT),
                      "consent_date": dates.get("consent_signed", pd.NaT),
                      "service_start_date": dates.get("service_started", pd.NaT),
                      "goals_planned": len(dims.split(",")), "goals_met": 0, "outcome": "in_service"})
    cases = pd.DataFrame(cases)
    for col in ("onset_date", "noticed_date", "first_notified_date", "plan_date", "consent_date", "service_start_date"):
        cases[col] = pd.to_datetime(cases[col])
    events = pd.DataFrame(events).sort_values(["case_id", "date"], kind="stable").reset_index(drop=True)
    return DashboardData(households=households, children=children, petals=petals, cases=cases, events=events,
                         as_of=pd.Timestamp("2025-12-31"))


# Measures chosen so each value is easy to count; window of one month.
SPEC = cm.ScorecardSpec.model_validate({
    "version": 1, "few_cases_below": 20, "few_cases_note_th": "ตัวเลขน้อย อ่านด้วยความระมัดระวัง",
    "sandbox_vs_rest": {"plan_within_days": 60},
    "measures": [
        {"id": "on_time", "name_th": "เริ่มบริการภายใน {days} วัน", "compute": "service_within", "params": {"days": 30},
         "unit": "%", "target": 60, "tolerance": 10, "higher_is_better": True},
        {"id": "plan14", "name_th": "มีแผนภายใน {days} วัน", "compute": "plan_within", "params": {"days": 14},
         "unit": "%", "target": 50, "tolerance": 5, "higher_is_better": True},
        {"id": "ack", "name_th": "รับเรื่องภายในกำหนด", "compute": "acknowledged_within", "params": {},
         "unit": "%", "target": 80, "tolerance": 10, "higher_is_better": True},
        {"id": "goals", "name_th": "บรรลุเป้าหมายภายใน {months} เดือน", "compute": "goals_met_within",
         "params": {"months": 1}, "unit": "%", "target": 70, "tolerance": 20, "higher_is_better": True},
        {"id": "emergency_plan", "name_th": "ฉุกเฉินมีแผนภายใน {days} วัน", "compute": "plan_within",
         "params": {"days": 14, "case_level": "emergency"}, "unit": "%", "target": 90, "tolerance": 10,
         "higher_is_better": True},
        {"id": "out", "name_th": "ขาดการติดต่อตั้งแต่ {days} วัน", "compute": "out_of_contact", "params": {},
         "unit": "%", "target": 25, "tolerance": 5, "higher_is_better": False},
    ]})


@pytest.fixture(scope="module")
def data():
    return world()


# ------------------------------------------------------------------------------------ months

def test_thai_month_labels():
    assert cm.thai_month(pd.Period("2025-12", "M")) == "ธ.ค. 2568"
    assert cm.thai_month("2024-01") == "ม.ค. 2567"
    assert cm.thai_month(pd.Timestamp("2025-02-14"), long=True) == "กุมภาพันธ์ 2568"
    assert cm.thai_period(pd.Period("2024", "Y")) == "2567"
    assert cm.month_window("2025-12", 3) == (pd.Timestamp("2025-10-01"), pd.Timestamp("2025-12-31"))
    with pytest.raises(DashboardDataError):
        cm.as_month("12/2025")


# ---------------------------------------------------------------------------- monthly trends

def test_monthly_counts_by_district_and_rates(data):
    counts = cm.monthly_counts(data, by="district")
    months = sorted(counts["month"].unique())
    assert months[0] == pd.Period("2024-01", "M") and months[-1] == DEC and len(months) == 24
    row = counts.set_index(["month", "district"])
    # Dusit: C2 (emergency) and C6 noticed in November; 2 children -> 2 x 10,000 / 2.
    assert row.loc[(NOV, DUSIT), "noticed"] == 2 and row.loc[(NOV, DUSIT), "emergency"] == 1
    assert row.loc[(NOV, DUSIT), "per_10000"] == pytest.approx(10_000)
    # Lat Krabang: C3 and C4 (emergency) in December; 5 children.
    assert row.loc[(DEC, LAT_KRABANG), "noticed"] == 2 and row.loc[(DEC, LAT_KRABANG), "per_10000"] == pytest.approx(4000)
    # Phra Nakhon: C1 in October; 4 children.
    assert row.loc[(pd.Period("2025-10", "M"), PHRA_NAKHON), "per_10000"] == pytest.approx(2500)
    assert row.loc[(NOV, PHRA_NAKHON), "noticed"] == 0
    assert counts["noticed"].sum() == 8 and counts["emergency"].sum() == 2
    assert list(counts.loc[counts["month"] == DEC, "district"]) == [PHRA_NAKHON, DUSIT, LAT_KRABANG]


def test_monthly_trends_by_zone_and_level(data):
    wide = cm.monthly_trends(data, by="zone", measure="per_10000", start="2025-11", end="2025-12")
    assert list(wide.index) == [NOV, DEC] and list(wide.columns) == [CENTRAL, EAST]
    assert wide.loc[NOV, CENTRAL] == pytest.approx(2 * 10_000 / 6)  # C2 and C6, 6 children in the zone
    assert wide.loc[DEC, EAST] == pytest.approx(4000) and wide.loc[DEC, CENTRAL] == 0
    level = cm.monthly_trends(data, by="district", by_level=True, start="2025-12", end="2025-12")
    assert level.loc[DEC, (LAT_KRABANG, "emergency")] == 1 and level.loc[DEC, (LAT_KRABANG, "complex")] == 1
    emergency = cm.monthly_trends(data, by="city", measure="emergency")
    assert emergency.loc[NOV, cm.CITY_TH] == 1 and emergency.loc[DEC, cm.CITY_TH] == 1
    assert emergency.to_numpy().sum() == 2
    with pytest.raises(DashboardDataError):
        cm.monthly_trends(data, measure="cases")
    with pytest.raises(DashboardDataError):
        cm.monthly_trends(data, start="2025-12", end="2025-11")


# --------------------------------------------------------------------------- sandbox vs rest

def test_sandbox_against_the_rest_by_year(data):
    table = cm.sandbox_vs_rest(data, spec=SPEC).set_index(["period", "group"])
    y2024, y2025 = pd.Period("2024", "Y"), pd.Period("2025", "Y")
    sandbox24 = table.loc[(y2024, "sandbox")]
    # C8: noticed 10 Jan 2024, service 1 Feb (22 days), plan after 10 days, 1 of 2 goals met within 12 months.
    assert sandbox24["noticed"] == 1 and sandbox24["per_10000"] == pytest.approx(2000)
    assert sandbox24["median_days_to_service"] == 22
    assert sandbox24["plan_within_share"] == 100 and sandbox24["goals_met_share"] == 50
    assert table.loc[(y2024, "rest"), "noticed"] == 0 and np.isnan(table.loc[(y2024, "rest"), "plan_within_share"])
    rest25 = table.loc[(y2025, "rest")]
    # C1, C2, C5, C6, C7 on 6 children; started C1 (21 days), C2 (21), C5 (35) -> median 21.
    assert rest25["noticed"] == 5 and rest25["per_10000"] == pytest.approx(5 * 10_000 / 6)
    assert rest25["started"] == 3 and rest25["median_days_to_service"] == 21
    # 60 days passed by 31 Dec for C1, C5, C7 (noticed by 1 Nov); C1 and C5 had a plan in time.
    assert (rest25["plan_due"], rest25["plan_on_time"]) == (3, 2)
    assert rest25["plan_within_share"] == pytest.approx(200 / 3)
    sandbox25 = table.loc[(y2025, "sandbox")]
    assert sandbox25["noticed"] == 2 and sandbox25["plan_due"] == 0 and np.isnan(sandbox25["median_days_to_service"])
    monthly = cm.sandbox_vs_rest(data, start="2025-11", end="2025-12", per="month", spec=SPEC)
    assert len(monthly) == 4 and monthly["noticed"].sum() == 4


# ------------------------------------------------------------------------------- scorecard

def test_measures_city_values_by_hand(data):
    values = cm.measure_values(data, DEC, SPEC)
    city = values[values["level"] == "city"].set_index("measure_id")
    # on_time: due in Dec = noticed 1 Nov-1 Dec: C2 (started 1 Dec, due 10 Dec) yes, C6 no.
    assert city.loc["on_time", ["num", "den", "n_cases"]].tolist() == [1, 2, 2]
    # plan14: due in Dec = noticed 17 Nov-17 Dec: C6 (plan 1 Dec) yes, C3 (no plan) no.
    assert city.loc["plan14", "value"] == 50
    # ack: notifications due in Dec: C6 (due 3 Dec, ack 28 Nov) yes, C3 (due 13 Dec, ack 20 Dec) no,
    # C4 (emergency, due 21 Dec, ack 21 Dec: on the due day counts) yes.
    assert city.loc["ack", ["num", "den", "n_cases"]].tolist() == [2, 3, 3]
    # goals: plans of November, due in Dec: C2 (plan 20 Nov, 1 of 2 goals met 15 Dec).
    assert city.loc["goals", ["num", "den", "n_cases"]].tolist() == [1, 2, 1]
    # emergency plan: no emergency case has its 14 days end in December.
    assert city.loc["emergency_plan", "n_cases"] == 0 and np.isnan(city.loc["emergency_plan", "value"])
    # out: open on 31 Dec are C2, C3, C4, C7 (C1, C5, C8 met every goal, C6 refused); C7 silent since 2 Sep.
    assert city.loc["out", ["num", "den"]].tolist() == [1, 4]
    zone = values[(values["level"] == "zone") & (values["area"] == CENTRAL)].set_index("measure_id")
    assert zone.loc["out", "value"] == 50  # C2 in contact, C7 not


def test_scorecard_statuses_and_directions(data):
    card = cm.scorecard(data, DEC, spec=SPEC).set_index("measure_id")
    # on_time 50 = target 60 - tolerance 10: amber. November: C1 (due 9 Nov, started 31 Oct) -> 100: down, worse.
    assert card.loc["on_time", "status"] == "amber" and card.loc["on_time", "previous_value"] == 100
    assert card.loc["on_time", ["direction", "change_is"]].tolist() == ["down", "worse"]
    # plan14 50 = target: green; November C2 100 -> down, worse.
    assert card.loc["plan14", "status"] == "green"
    assert card.loc["plan14", ["direction", "change_is"]].tolist() == ["down", "worse"]
    # ack 66.7 < 80 - 10: red; November C2's two notifications, one on time -> 50: up, better.
    assert card.loc["ack", "value"] == pytest.approx(200 / 3) and card.loc["ack", "status"] == "red"
    assert card.loc["ack", "previous_value"] == 50 and card.loc["ack", ["direction", "change_is"]].tolist() == ["up", "better"]
    # goals 50 = 70 - 20: amber; November C1 (plan 20 Oct, goal met 10 Dec, after 20 Nov) -> 0: up, better.
    assert card.loc["goals", "status"] == "amber" and card.loc["goals", "previous_value"] == 0
    # emergency plan: nothing counted in December -> none, and no direction.
    assert card.loc["emergency_plan", "status"] == "none" and pd.isna(card.loc["emergency_plan", "direction"])
    # out, lower is better: 25 = target -> green. 30 Nov: open C1, C2, C6, C7; C1 silent exactly 30 days
    # (service 31 Oct) and C7 -> 50; now 25: down, better.
    assert card.loc["out", "status"] == "green" and card.loc["out", "previous_value"] == 50
    assert card.loc["out", ["direction", "change_is"]].tolist() == ["down", "better"]
    assert (card["note_th"] == "ตัวเลขน้อย อ่านด้วยความระมัดระวัง").sum() == 5  # all but the empty one
    assert card.loc["on_time", "name_th"] == "เริ่มบริการภายใน 30 วัน"
    assert card.loc["out", "name_th"] == "ขาดการติดต่อตั้งแต่ 30 วัน"  # days from dashboards.yaml


def test_scorecard_of_a_district_with_zone_and_city(data):
    card = cm.scorecard(data, DEC, area=DUSIT, spec=SPEC).set_index("measure_id")
    assert set(card["area"]) == {DUSIT} and set(card["area_level"]) == {"district"}
    # Dusit: on_time C2 yes, C6 no; ack C6 on time; out: only C2 open, in contact.
    assert card.loc["on_time", "value"] == 50 and card.loc["ack", "value"] == 100 and card.loc["out", "value"] == 0
    assert card.loc["out", "zone_value"] == 50 and card.loc["out", "city_value"] == 25
    assert card.loc["ack", "city_value"] == pytest.approx(200 / 3)
    zone = cm.scorecard(data, DEC, area=EAST, spec=SPEC).set_index("measure_id")
    assert zone.loc["ack", "value"] == 50 and zone.loc["ack", "n_cases"] == 2  # C3 late, C4 on time
    with pytest.raises(DashboardDataError, match="ไม่พบเขต"):
        cm.scorecard(data, DEC, area="บางนา", spec=SPEC)


@pytest.mark.parametrize("value, target, tolerance, higher, expected", [
    (80, 80, 10, True, "green"), (80.0000000001, 80, 10, True, "green"), (79.9999999999, 80, 10, True, "green"),
    (70, 80, 10, True, "amber"), (69.99, 80, 10, True, "red"), (100, 80, 0, True, "green"), (79.9, 80, 0, True, "red"),
    (20, 20, 10, False, "green"), (30, 20, 10, False, "amber"), (30.01, 20, 10, False, "red"),
    (10, 20, 10, False, "green"), (np.nan, 20, 10, False, "none"),
])
def test_status_edges(value, target, tolerance, higher, expected):
    assert cm.status_of([value], target, tolerance, higher)[0] == expected


def test_direction_of():
    direction, change = cm.direction_of([50, 50, 50, 50.04, np.nan], [40, 60, 60, 50, 50], [True, True, False, True, True])
    assert list(direction) == ["up", "down", "down", "same", None]
    assert list(change) == ["better", "worse", "better", "same", None]


def test_scorecard_by_district_hides_small_counts(data):
    table = cm.scorecard_by_district(data, DEC, spec=SPEC)
    assert len(table) == 3 * len(SPEC.measures)
    # Every district value rests on 1-2 cases here: all hidden under the kit's 1-5 rule.
    counted = table["suppressed"]
    assert counted.sum() == 9 and table.loc[counted, "value"].isna().all() and table.loc[counted, "n_cases"].isna().all()
    assert set(table.loc[counted, "status"]) == {"hidden"}
    # With only 1 hidden, complementary suppression shows on "ack": Dusit (1 case) is hidden, and as
    # it is the only hidden district in the city, Lat Krabang (2 cases) is hidden beside it.
    one = cm.scorecard_by_district(data, DEC, spec=SPEC, rule=SuppressionRule(small_count_min=1, small_count_max=1))
    row = one.set_index(["measure_id", "district"])
    assert row.loc[("ack", DUSIT), "suppressed"] and row.loc[("ack", LAT_KRABANG), "suppressed"]
    assert not row.loc[("on_time", DUSIT), "suppressed"] and row.loc[("on_time", DUSIT), "value"] == 50
    assert row.loc[("on_time", DUSIT), "status"] == "amber"
    assert not row.loc[("out", LAT_KRABANG), "suppressed"] and row.loc[("out", LAT_KRABANG), "value"] == 0
    assert row.loc[("out", PHRA_NAKHON), "suppressed"] and row.loc[("out", DUSIT), "suppressed"]
    assert row.loc[("on_time", LAT_KRABANG), "status"] == "none"  # no case counted: no data, not hidden
    values, hidden = cm.district_values(one, "ack")
    assert set(hidden) == {DUSIT, LAT_KRABANG} and values.isna().all()


# ------------------------------------------------------------------------------ public table

def test_public_table_of_open_cases(data):
    public = cm.public_table(data, DEC)
    counts = public.counts
    # Open on 31 Dec: C7 (Phra Nakhon, complex), C2 (Dusit, emergency), C3 and C4 (Lat Krabang).
    assert counts.loc[PHRA_NAKHON].tolist() == [0, 1, 1] and counts.loc[DUSIT].tolist() == [1, 0, 1]
    assert counts.loc[LAT_KRABANG].tolist() == [1, 1, 2] and counts.loc[TOTAL_TH, TOTAL_TH] == 4
    shown = public.published()
    assert not any(isinstance(v, (int, np.integer)) and 1 <= v <= 5 for v in shown.to_numpy().ravel())
    assert (public.published_rates() == MARK).equals(public.hidden)
    assert public.children.tolist() == [4, 2, 5, 11]
    assert "1–5" in public.note_th and "10,000" in public.note_th
    assert "31 ธ.ค. 2568" in public.title_th


def test_public_table_rates_beside_shown_counts():
    # Seven more complex cases noticed in August in Phra Nakhon (one family each, one child each).
    families = {f"HX{i}": (PHRA_NAKHON, CENTRAL, False, 1) for i in range(7)}
    extra = {f"X{i}": (f"HX{i}", "complex", "social", [("onset", "2025-08-01", "social"),
                                                         ("noticed", "2025-08-05", "social")]) for i in range(7)}
    public = cm.public_table(world(extra, families), "2025-08", kind="new")
    assert public.counts.loc[PHRA_NAKHON, "complex"] == 7 and not public.hidden.loc[PHRA_NAKHON, "complex"]
    # 7 cases, 4 + 7 = 11 children in Phra Nakhon.
    assert public.published_rates().loc[PHRA_NAKHON, "complex"] == pytest.approx(round(7 * 10_000 / 11, 1))
    assert public.published_rates().loc[DUSIT, "complex"] == 0
    both = public.published_with_rates()
    assert both.loc[PHRA_NAKHON, "ซับซ้อน (ราย)"] == 7 and both.loc[PHRA_NAKHON, "จำนวนเด็ก (คน)"] == 11
    assert "กรณีที่พบใหม่ในเดือนสิงหาคม 2568" in public.title_th


# ---------------------------------------------------------------------------- data files

def test_the_kits_tiles_place_all_fifty_districts():
    layout = cm.load_tiles()
    frame = layout.frame()
    assert len(frame) == 50 and not frame[["row", "col"]].duplicated().any()
    spot = frame[["row", "col"]]
    # Thonburi west of the river (columns 0-2), Nong Chok far east, Don Mueang at the top,
    # Bang Khun Thian at the bottom left.
    thonburi = ["ธนบุรี", "คลองสาน", "บางกอกน้อย", "บางกอกใหญ่", "ตลิ่งชัน", "บางแค", "บางขุนเทียน", "ราษฎร์บูรณะ"]
    assert (spot.loc[thonburi, "col"] <= 2).all() and (spot.drop(thonburi)["col"].loc[[PHRA_NAKHON, DUSIT]] >= 3).all()
    assert spot.loc["หนองจอก", "col"] == spot["col"].max() and spot.loc["ดอนเมือง", "row"] == 0
    assert spot.loc["บางขุนเทียน", "row"] == spot["row"].max() and spot.loc["บางขุนเทียน", "col"] <= 1


def _tiles_copy(tmp_path, edit):
    folder = tmp_path / "data"
    folder.mkdir()
    for name in ("district_tiles.yaml", "bangkok.yaml"):
        shutil.copy(DATA_DIR / name, folder / name)
    path = folder / "district_tiles.yaml"
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    return folder


@pytest.mark.parametrize("edit, words", [
    (lambda t: t.replace("  - {name_th: หนองจอก, row: 2, col: 8}\n", ""), ["no tile for district", "หนองจอก"]),
    (lambda t: t.replace("{name_th: สายไหม, row: 0, col: 5}", "{name_th: สายไหม, row: 0, col: 4}"),
     ["tiles[1] (สายไหม)", "row 0, col 4", "ดอนเมือง"]),
    (lambda t: t.replace("name_th: ดอนเมือง,", "name_th: ดอนเมีอง,"), ["tiles[0] (ดอนเมีอง)", "not a district", "ดอนเมือง"]),
    (lambda t: t.replace("{name_th: สายไหม, row: 0, col: 5}", "{name_th: ดอนเมือง, row: 9, col: 9}"),
     ["already has a tile", "สายไหม"]),
    (lambda t: t.replace("{name_th: สายไหม, row: 0, col: 5}", "{name_th: สายไหม, row: -1, col: 5}"), ["row"]),
])
def test_a_broken_tiles_file_names_the_file_and_entry(tmp_path, edit, words):
    folder = _tiles_copy(tmp_path, edit)
    with pytest.raises(ConfigError) as err:
        cm.load_tiles(folder)
    message = str(err.value)
    assert "district_tiles.yaml" in message
    for word in words:
        assert word in message


def _scorecard_copy(tmp_path, edit):
    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / "scorecard.yaml"
    path.write_text(edit((DATA_DIR / "scorecard.yaml").read_text(encoding="utf-8")), encoding="utf-8")
    return folder


@pytest.mark.parametrize("edit, words", [
    (lambda t: t.replace("compute: service_within", "compute: served_within"), ["helped_on_time", "compute", "served_within"]),
    (lambda t: t.replace("tolerance: 15", "tolerance: -15"), ["acknowledged_on_time", "tolerance"]),
    (lambda t: t.replace("params: {days: 180}", "params: {day: 180}"), ["helped_on_time", "params", "day"]),
    (lambda t: t.replace("target: 70", "target: 170"), ["goals_met_on_time", "target"]),
    (lambda t: t.replace("id: out_of_contact", "id: helped_on_time"), ["listed twice", "helped_on_time"]),
    (lambda t: t.replace("unit: \"%\"", "unit: baht", 1), ["helped_on_time", "unit"]),
    (lambda t: t.replace("window_months: 1", "window_months: 3"), ["out_of_contact", "window_months"]),
])
def test_a_broken_scorecard_file_names_the_file_and_field(tmp_path, edit, words):
    folder = _scorecard_copy(tmp_path, edit)
    with pytest.raises(ConfigError) as err:
        cm.load_scorecard(folder)
    message = str(err.value)
    assert "scorecard.yaml" in message
    for word in words:
        assert word in message


def test_the_kits_scorecard_has_the_programme_kpis():
    spec = cm.load_scorecard()
    ids = [m.id for m in spec.measures]
    assert ids[0] == "helped_on_time" and spec.measure("helped_on_time").target == 80
    assert spec.measure("goals_met_on_time").target == 70
    assert not spec.measure("out_of_contact").higher_is_better
    assert spec.few_cases_below == 20


# ------------------------------------------------------------------------- simulated world

@pytest.fixture(scope="module")
def simulated():
    pop = simulator.simulate(3000, seed=1)
    return DashboardData.from_simulation(pop, simulator.simulate_timelines(pop))


def test_counts_add_up_on_a_simulated_world(simulated):
    noticed = simulated.cases["noticed_date"].notna().sum()
    by_district = cm.monthly_counts(simulated, by="district")
    by_zone = cm.monthly_counts(simulated, by="zone")
    assert by_district["noticed"].sum() == noticed == by_zone["noticed"].sum()
    per_month = by_district.groupby("month")["noticed"].sum()
    assert per_month.equals(by_zone.groupby("month")["noticed"].sum())
    levels = cm.monthly_counts(simulated, by="zone", by_level=True)
    assert levels.groupby("month")["noticed"].sum().equals(per_month)
    assert (by_district["emergency"] <= by_district["noticed"]).all()
    assert by_district.groupby("month")["district"].count().eq(50).all()
    assert cm.sandbox_vs_rest(simulated)["noticed"].sum() == noticed


def test_district_values_add_up_to_the_city(simulated):
    values = cm.measure_values(simulated, DEC)
    sums = values.groupby(["measure_id", "level"])[["num", "den", "n_cases"]].sum().unstack("level")
    for column in ("num", "den", "n_cases"):
        assert np.allclose(sums[(column, "district")], sums[(column, "city")])
        assert np.allclose(sums[(column, "zone")], sums[(column, "city")])
    city = values[values["level"] == "city"]
    assert city["value"].between(0, 100).all() and (city["n_cases"] > 0).all()
    table = cm.scorecard_by_district(simulated, DEC)
    shown = table[~table["suppressed"]]
    assert not shown["n_cases"].between(1, 5).any()
    hidden = table[table["suppressed"]]
    assert hidden["value"].isna().all() and hidden["previous_value"].isna().all()
    # No zone has exactly one hidden district for a measure (a zone value would give it away).
    per_zone = table.groupby(["measure_id", "zone"])["suppressed"].sum()
    with_data = table[table["n_cases"].fillna(1) > 0].groupby(["measure_id", "zone"]).size()
    assert not ((per_zone == 1) & (with_data.reindex(per_zone.index) > 1)).any()


def test_public_table_on_a_simulated_world(simulated):
    public = cm.public_table(simulated, DEC)
    assert public.counts.loc[TOTAL_TH, TOTAL_TH] == len(cm.open_cases(simulated.upto("2025-12-31")))
    shown = public.published().drop(index=TOTAL_TH, columns=TOTAL_TH).to_numpy().ravel()
    numbers = [v for v in public.published().to_numpy().ravel() if v != MARK]
    assert not any(1 <= v <= 5 for v in numbers) and MARK in shown
    rates = public.published_rates()
    assert (rates == MARK).equals(public.hidden)
    visible = ~public.hidden
    expected = (public.counts.mul(10_000).div(public.children, axis=0)).round(1)
    assert np.allclose(rates.where(visible).astype(float).fillna(-1), expected.where(visible).fillna(-1))
    assert public.note_th


# ----------------------------------------------------------------------------------- figures

def _render(fig):
    from simulator.figures import to_png

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a glyph missing from Sarabun raises here
        png = to_png(fig)
    fonts = {t.get_fontname() for t in fig.findobj(lambda a: hasattr(a, "get_fontname")) if t.get_text()}
    assert fonts == {"Sarabun"}
    assert fig.termtem_alt_th and fig.termtem_caption_th
    return png, {t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_fontname"))}


def test_figures_render_in_thai(simulated):
    trends = cm.monthly_trends(simulated, by="zone", measure="per_10000")
    _, texts = _render(cm.trend_figure(trends))
    assert any("ม.ค. 25" in t for t in texts) and any("ต่อเด็ก 10,000 คน" in t for t in texts)
    _, texts = _render(cm.sandbox_figure(cm.sandbox_vs_rest(simulated)))
    assert any("sandbox" in t for t in texts) and "2568" in texts
    card = cm.scorecard(simulated, DEC)
    fig = cm.scorecard_figure(card)
    _, texts = _render(fig)
    assert any("ตารางคะแนน" in t for t in texts) and any("เป้า ≥ 80%" in t for t in texts)
    assert fig.get_size_inches()[0] == pytest.approx(4.0)
    with pytest.raises(DashboardDataError):
        cm.trend_figure(cm.monthly_trends(simulated, by="district"))


@pytest.mark.parametrize("layout, width", [("phone", 4.5), ("a4", 11.69)])
def test_tile_map_phone_and_a4(simulated, layout, width):
    table = cm.scorecard_by_district(simulated, DEC)
    values, hidden = cm.district_values(table, "out_of_contact")
    values = values.drop(index=[PHRA_NAKHON])  # one district with no data at all
    fig = cm.tile_map_figure(values, "กรณีที่ขาดการติดต่อ ธ.ค. 2568", legend_th="ร้อยละ (%)", suppressed=hidden,
                             layout=layout)
    _, texts = _render(fig)
    assert fig.get_size_inches()[0] == pytest.approx(width)
    assert "กรณีที่ขาดการติดต่อ ธ.ค.\u00a02568" in texts and "ร้อยละ (%)" in texts
    assert "ดอนเมือง" in texts and "ป้อมปราบ\nศัตรูพ่าย" in texts
    # Tiles of hidden districts show the mark, the district without data a dash.
    assert ("•" in texts) == bool(hidden) and "–" in texts
    ax = fig.axes[0]
    hatched = [p for p in ax.patches if p.get_hatch()]
    assert len(hatched) == len(set(hidden) | {PHRA_NAKHON} | set(values[values.isna()].index))
    # Every label fits inside its tile.
    renderer = fig.canvas.get_renderer()
    tile_px = abs(ax.transData.transform((0.94, 0))[0] - ax.transData.transform((0, 0))[0])
    for t in ax.texts:
        assert t.get_window_extent(renderer).width <= tile_px + 0.5, t.get_text()
    with pytest.raises(DashboardDataError):
        cm.tile_map_figure(pd.Series({"ไม่มีเขตนี้": 1.0}), "ทดสอบ")


def test_thai_views(data):
    card = cm.scorecard_th(cm.scorecard(data, DEC, spec=SPEC))
    assert list(card.columns)[:3] == ["ตัวชี้วัด", "พื้นที่", "ค่า (%)"]
    assert card.loc[0, "สถานะ"] == "ใกล้เป้า" and card.loc[0, "ทิศทาง"] == "ลดลง" and card.loc[0, "ดีขึ้น/แย่ลง"] == "แย่ลง"
    counts = cm.monthly_counts_th(cm.monthly_counts(data, by="zone", start="2025-12", end="2025-12", by_level=True))
    assert counts.loc[0, "เดือน"] == "ธ.ค. 2568" and set(counts["ระดับของกรณี"]) == {"ฉุกเฉิน", "ซับซ้อน"}
    sandbox = cm.sandbox_vs_rest_th(cm.sandbox_vs_rest(data, spec=SPEC))
    assert sandbox.loc[0, "ช่วงที่พบปัญหา"] == "2567" and "มีแผนภายใน 60 วัน (%)" in sandbox.columns
    assert sandbox.loc[0, "กลุ่มเขต"] == cm.GROUP_TH["sandbox"]
