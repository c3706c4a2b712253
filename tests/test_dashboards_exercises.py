"""Dashboard-analysis exercises: record-based answers, the simulator's truth, and grading.

Two kinds of test:

* a tiny hand-built DashboardData (6 families, 9 children, 16 cases) where every count,
  rate, median and estimator is worked out by hand in the comments;
* the notebook's world (simulate(20000, seed=2569)) where each exercise's record-based
  answer must recover the configured truth within the exercise's stated tolerance, and
  ``check`` must accept the records' answer and reject a wrong one with Thai feedback.
"""

from __future__ import annotations

import itertools
import math
import shutil
import time
import warnings

import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.text import Text
from scipy import stats

import simulator
from simulator.dashboards import exercises as ex
from simulator.dashboards.tables import PETAL_COLUMNS, DashboardData, DashboardDataError
from simulator.model.config import ConfigError
from simulator.model.timelines import simulate_timelines
from simulator.thai.vocabulary import SYNTHETIC_MARK

AS_OF = pd.Timestamp("2025-12-31")
THAI = range(0x0E00, 0x0E80)


def has_thai(text: str) -> bool:
    return any(ord(ch) in THAI for ch in text)


# ---------------------------------------------------------------------------- the hand-built data

def _d(text):
    return pd.Timestamp(text) if text else pd.NaT


def hand_data() -> DashboardData:
    households = pd.DataFrame({
        "family_id": ["H1", "H2", "H3", "H4", "H5", "H6"],
        "zone": ["A", "A", "B", "B", "A", "B"],
        "district": ["D1", "D1", "D2", "D2", "D3", "D2"],
        "community": ["c1", "c1", "c2", "c2", "c3", "c2"],
        "sandbox": [True, True, False, False, False, False],
        "household_type": ["two_parents", "single_mother", "two_parents", "relative", "two_parents", "two_parents"],
    })
    # Ages on 2025-12-31: c1 10, c2 13, c3 3, c4 15, c5 6, c6 1, c7 16, c8 5, c9 9.
    children = pd.DataFrame({
        "person_id": [f"c{i}" for i in range(1, 10)],
        "family_id": ["H1", "H1", "H2", "H3", "H3", "H3", "H4", "H5", "H6"],
        "sex": ["male", "female", "female", "male", "female", "male", "female", "male", "female"],
        "birth_date": pd.to_datetime(["2015-06-01", "2012-01-01", "2022-03-01", "2010-05-05", "2019-01-01",
                                      "2024-01-01", "2009-12-31", "2020-02-02", "2016-07-07"]),
    })
    petals = pd.DataFrame({"family_id": households["family_id"]})
    for col in PETAL_COLUMNS:
        petals[col] = "green"
    petals.loc[0, "child_social"] = "red"      # H1 red
    petals.loc[1, "child_health"] = "yellow"   # H2 yellow only
    petals.loc[2, "child_health"] = "red"      # H3 red
    petals.loc[3, "child_governance"] = "red"  # H4 red
    petals.loc[5, "parent_education"] = "yellow"
    petals["case_level"] = ["emergency", "complex", "emergency", "emergency", "routine", "complex"]
    # id, family, level, onset, noticed, days to service (None: not served), outcome
    rows = [
        ("C01", "H1", "emergency", "2021-01-10", "2021-02-01", 10, "goals_met"),   # sandbox before
        ("C02", "H1", "complex", "2021-03-01", "2021-03-05", 20, "goals_met"),     # sandbox before
        ("C03", "H2", "emergency", "2021-04-01", "2021-05-01", 40, "in_service"),  # sandbox before
        ("C04", "H2", "complex", "2021-06-01", "2021-06-10", 50, "in_service"),    # sandbox before
        ("C05", "H1", "emergency", "2022-12-01", "2023-02-01", 5, "in_service"),   # sandbox after
        ("C06", "H2", "emergency", "2023-05-01", "2023-06-01", 7, "in_service"),   # sandbox after
        ("C07", "H1", "complex", "2024-01-01", "2024-03-01", None, "awaiting_consent"),  # sandbox after, waiting
        ("C08", "H2", "emergency", "2023-01-01", "2023-02-02", None, "refused"),   # never served: left out
        ("C09", "H3", "emergency", "2021-01-01", "2021-07-01", 15, "goals_met"),   # others before
        ("C10", "H4", "complex", "2021-02-01", "2021-08-01", 25, "goals_met"),     # others before
        ("C11", "H3", "emergency", "2023-01-01", "2023-03-01", 20, "in_service"),  # others after
        ("C12", "H5", "emergency", "2024-01-01", "2024-02-01", 26, "in_service"),  # others after
        ("C13", "H6", "complex", "2024-02-01", "2024-04-01", 30, "in_service"),    # others after
        ("C14", "H4", "emergency", "2022-03-01", "2022-06-01", 1, "in_service"),   # transition year: left out
        ("C15", "H5", "emergency", "2025-01-01", "2025-06-01", 2, "in_service"),   # last 365 days: left out
        ("C16", "H6", "emergency", "2025-10-01", None, None, "not_noticed"),        # not noticed
    ]
    cases = pd.DataFrame(rows, columns=["case_id", "family_id", "case_level", "onset", "noticed", "days", "outcome"])
    cases["onset_date"] = pd.to_datetime(cases["onset"])
    cases["noticed_date"] = pd.to_datetime(cases["noticed"])
    cases["service_start_date"] = cases["noticed_date"] + pd.to_timedelta(cases["days"], unit="D")
    cases = cases.drop(columns=["onset", "noticed", "days"])
    cases["dimensions"] = "social"
    for col in ("first_notified_date", "plan_date", "consent_date"):
        cases[col] = cases["noticed_date"]
    cases["goals_planned"] = 1
    cases["goals_met"] = (cases["outcome"] == "goals_met").astype(int)
    noticed = cases[cases["noticed_date"].notna()]
    events = pd.DataFrame({"case_id": noticed["case_id"], "family_id": noticed["family_id"],
                           "date": noticed["noticed_date"], "stage": "referral", "dimension": "social",
                           "actor_role": "volunteer", "event": "noticed"})
    return DashboardData(households=households, children=children, petals=petals, cases=cases, events=events,
                         as_of=AS_OF)


@pytest.fixture(scope="module")
def hand():
    return hand_data()


# ---------------------------------------------------------------------------- intervals

def test_poisson_interval_matches_the_published_exact_values():
    low, high = ex.poisson_interval([0, 1, 10])
    # Garwood 95% limits: 0 -> (0, 3.689), 1 -> (0.0253, 5.572), 10 -> (4.795, 18.390).
    assert low == pytest.approx([0, 0.0253, 4.795], abs=1e-3)
    assert high == pytest.approx([3.689, 5.572, 18.390], abs=1e-3)


def test_rate_ratio_interval_is_clopper_pearson_on_the_split():
    ratio, low, high = ex.rate_ratio([10, 0, 0, 10, 10], [40, 4, 0, 0, 20])
    ci = stats.binomtest(40, 50).proportion_ci(confidence_level=0.95, method="exact")
    assert ratio[0] == 4.0
    assert low[0] == pytest.approx(ci.low / (1 - ci.low))
    assert high[0] == pytest.approx(ci.high / (1 - ci.high))
    assert np.isinf(ratio[1]) and np.isinf(high[1]) and 0 < low[1] < 1  # none the first year, 4 the last
    assert np.isnan(ratio[2]) and low[2] == 0 and np.isinf(high[2])      # none either year
    # 10 -> 0: p's upper limit is 1 - 0.025^(1/10), so the ratio's is 0.446.
    assert ratio[3] == 0 and low[3] == 0 and high[3] == pytest.approx((1 - 0.025 ** 0.1) / 0.025 ** 0.1)
    assert list(ex.direction_of(low, high)) == ["rose", "unclear", "unclear", "fell", "unclear"]  # 10 -> 20 is chance


def test_median_table_with_order_statistic_interval_and_waiting_cases():
    frame = pd.DataFrame({"g": ["a"] * 5 + ["b"] * 4, "days": [3, 1, 5, 2, 4, 10, np.inf, 20, 30]})
    t = ex.median_table(frame, ["g"]).set_index("g")
    assert t.loc["a", "median_days"] == 3 and t.loc["b", "median_days"] == 25  # (20 + 30) / 2
    # n = 5: ranks floor((5 - 1.96 sqrt 5) / 2) = 0 -> 1 and ceil(1 + (5 + 1.96 sqrt 5) / 2) = 6 -> 5.
    assert (t.loc["a", "median_low"], t.loc["a", "median_high"]) == (1, 5)
    assert t.loc["a", "se_days"] == pytest.approx(4 / (2 * 1.959964))
    assert np.isinf(t.loc["b", "median_high"])  # a waiting case is longer than any
    assert t.loc["b", "cases"] == 4


# ---------------------------------------------------------------------------- 1. trends, by hand

def test_noticed_by_year_counts_and_rates_by_hand(hand):
    t = ex.noticed_by_year(hand, by="zone").set_index(["area", "year"])
    # Emergency cases by the year noticed: A (H1, H2, H5): 2021 C01 C03, 2023 C05 C06 C08,
    # 2024 C12, 2025 C15; B (H3, H4, H6): 2021 C09, 2022 C14, 2023 C11; C16 was never noticed.
    expected = {"A": [2, 0, 3, 1, 1], "B": [1, 1, 1, 0, 0], "all": [3, 1, 4, 1, 1]}
    for area, counts in expected.items():
        assert t.loc[area, "cases"].tolist() == counts
    assert t.loc[("A", 2023), "children"] == 4 and t.loc[("B", 2023), "children"] == 5
    assert t.loc[("all", 2023), "children"] == 9
    assert t.loc[("A", 2023), "rate_per_10000"] == pytest.approx(3 * 10_000 / 4)
    low, high = ex.poisson_interval([3])
    assert t.loc[("A", 2023), "rate_low"] == pytest.approx(low[0] * 2_500)
    assert t.loc[("A", 2023), "rate_high"] == pytest.approx(high[0] * 2_500)
    assert t.loc[("all", 2021), "year_be"] == 2564 and t.loc[("all", 2021), "area_th"] == ex.ALL_TH


def test_trend_from_records_and_the_onset_truth_by_hand(hand):
    rec = ex.trend_from_records(hand, by="zone", years=(2021, 2023)).set_index("area")
    assert rec.loc["A", ["cases_first", "cases_last"]].tolist() == [2, 3]
    assert rec.loc["A", "ratio"] == 1.5 and rec.loc["B", "ratio"] == 1.0
    assert rec.loc["all", "ratio"] == pytest.approx(4 / 3)
    assert set(rec["direction"]) == {"unclear"}  # a handful of cases never shows a change
    # Onsets of emergency problems: A 2021 C01 C03, 2023 C06 C08; B 2021 C09, 2023 C11.
    onsets = ex.trend_from_records(hand, by="zone", years=(2021, 2023), date_column="onset_date").set_index("area")
    assert onsets.loc["A", ["cases_first", "cases_last"]].tolist() == [2, 2]
    assert onsets.loc["B", ["cases_first", "cases_last"]].tolist() == [1, 1]
    with pytest.raises(DashboardDataError, match="2026"):
        ex.trend_from_records(hand, years=(2022, 2026))


def test_sandbox_areas_read_in_thai(hand):
    rec = ex.trend_from_records(hand, by="sandbox", years=(2021, 2023))
    assert rec["area_th"].tolist() == ["เขตนำร่อง (sandbox)", "เขตอื่น", ex.ALL_TH]
    # Sandbox (H1, H2) emergency: 2021 C01 C03; 2023 C05 C06 C08.
    assert rec[["cases_first", "cases_last"]].iloc[0].tolist() == [2, 3]


# ---------------------------------------------------------------------------- 2. risk groups, by hand

def test_red_share_by_age_band_by_hand(hand):
    t = ex.colour_share_by_group(hand, "age_band", "red").set_index("group")
    # Red families H1, H3, H4. 0-5: c3 (H2), c6 (H3), c8 (H5) -> 1 of 3; 6-11: c1 (H1), c5 (H3),
    # c9 (H6) -> 2 of 3; 12-17: c2 (H1), c4 (H3), c7 (H4) -> 3 of 3.
    assert t["children"].tolist() == [3, 3, 3]
    assert t["children_flagged"].tolist() == [1, 2, 3]
    assert t["rate_per_10000"].tolist() == pytest.approx([10_000 / 3, 20_000 / 3, 10_000])
    # 6-11: families H1 (1 of 1), H3 (1 of 1), H6 (0 of 1); r = 2/3; residuals 1/3, 1/3, -2/3;
    # variance 3/2 x (1/9 + 1/9 + 4/9) / 3^2 = 1/9, se = 1/3.
    half = 1.959964 / 3
    assert t.loc["6-11", "rate_low"] == pytest.approx((2 / 3 - half) * 10_000)
    assert t.loc["6-11", "rate_high"] == pytest.approx(10_000)  # clipped at everyone
    assert ex.top_group(t.reset_index()) == ("12-17", False)  # intervals overlap: not clear
    assert t["label_th"].tolist() == ["0–5 ปี", "6–11 ปี", "12–17 ปี"]


def test_red_share_by_household_type_counts_families_as_clusters(hand):
    t = ex.colour_share_by_group(hand, "household_type", "red").set_index("group")
    # two_parents: H1 (2 of 2), H3 (3 of 3), H5 (0 of 1), H6 (0 of 1) -> 5 of 7.
    assert t.loc["two_parents", ["children", "families", "children_flagged"]].tolist() == [7, 4, 5]
    r = 5 / 7
    resid = [2 - 2 * r, 3 - 3 * r, -r, -r]
    se = math.sqrt(4 / 3 * sum(x * x for x in resid)) / 7
    assert t.loc["two_parents", "rate_low"] == pytest.approx((r - 1.959964 * se) * 10_000)
    assert t.loc["relative", "rate_per_10000"] == 10_000 and t.loc["single_mother", "rate_per_10000"] == 0
    assert t.loc["two_parents", "label_th"] == "พ่อแม่อยู่ด้วยกัน"
    # Yellow or worse adds H2 and H6: single_mother 1 of 1, two_parents 6 of 7.
    y = ex.colour_share_by_group(hand, "household_type", "yellow").set_index("group")
    assert y.loc["two_parents", "children_flagged"] == 6 and y.loc["single_mother", "children_flagged"] == 1


# ---------------------------------------------------------------------------- 3. programme effect, by hand

def test_programme_medians_and_estimators_by_hand(hand):
    times = ex.service_times(hand, "2022-01-01", follow_up_days=365, transition_days=365)
    # Left out: C08 (refused), C14 (noticed in the transition year), C15 (last 365 days), C16.
    assert sorted(times["case_id"]) == ["C01", "C02", "C03", "C04", "C05", "C06", "C07", "C09", "C10",
                                        "C11", "C12", "C13"]
    assert np.isinf(times.set_index("case_id").loc["C07", "days"])  # still waiting
    m = ex.programme_medians(times).set_index(["group", "period"])
    # sandbox before 10 20 40 50 -> 30; sandbox after 5 7 waiting -> 7;
    # others before 15 25 -> 20; others after 20 26 30 -> 26.
    assert m["median_days"].to_dict() == {("sandbox", "before"): 30, ("sandbox", "after"): 7,
                                          ("others", "before"): 20, ("others", "after"): 26}
    assert m["cases"].tolist() == [4, 3, 2, 3]
    e = ex.programme_estimates(m.reset_index()).set_index("estimator")
    assert e.loc["naive", "estimate_days"] == 7 - 26
    assert e.loc["before_after", "estimate_days"] == 7 - 30
    assert e.loc["did", "estimate_days"] == (7 - 30) - (26 - 20)
    assert e.loc["did", "shorter_by_days"] == 29
    se = m["se_days"]
    assert e.loc["did", "se_days"] == pytest.approx(math.sqrt((se ** 2).sum()))


# ---------------------------------------------------------------------------- the notebook's world

@pytest.fixture(scope="module")
def world():
    started = time.perf_counter()
    pop, data = ex.default_world()
    truth = ex.truth_data()
    return pop, data, truth, time.perf_counter() - started


def test_the_default_world_is_the_notebooks(world):
    pop, data, _, _ = world
    s = ex.load_exercise_settings()
    assert (len(pop), pop.seed) == (s.default_dataset.families, s.default_dataset.seed) == (20_000, 2569)
    assert data.as_of == AS_OF


def test_trend_tables_add_up(world):
    _, data, _, _ = world
    table = ex.noticed_by_year(data)
    by_area = table[table["area"] != ex.ALL].groupby("year")["cases"].sum()
    city = table[table["area"] == ex.ALL].set_index("year")["cases"]
    assert by_area.equals(city)
    emergency = data.cases[(data.cases["case_level"] == "emergency") & data.cases["noticed_date"].notna()]
    assert city.sum() == len(emergency)
    assert table.loc[table["area"] == ex.ALL, "children"].iloc[0] == len(data.children)


def test_trend_records_recover_the_configured_trend(world):
    _, data, truth_world, _ = world
    exercise = ex.TrendExercise(data, truth=truth_world)
    rec, truth = exercise.answer_from_records(), exercise.truth()
    expected = truth["expected_ratio"].iloc[0]
    # The configured truth: onsets rise (children age into problems), the same in every zone.
    assert truth["true_direction"].eq("rose").all() and 1.05 < expected < 1.5
    # Tolerance: the records' 95% interval of the ratio. It holds the true ratio in every zone...
    assert ((rec["ratio_low"] <= expected) & (expected <= rec["ratio_high"])).all(), rec
    # ... and is too wide at 20,000 families to call the rise anywhere: the records say unclear.
    assert rec["direction"].eq("unclear").all()
    # Detection, not occurrence: the first year notices fewer problems than began, the survey year more.
    series = ex.noticed_and_onsets(data)
    assert series["noticed"].iloc[0] < series["onsets"].iloc[0]
    assert series["noticed"].iloc[-1] > series["onsets"].iloc[-1]


def test_trend_check_grades_on_the_records_with_thai_lessons(world):
    _, data, truth_world, _ = world
    exercise = ex.TrendExercise(data, truth=truth_world)
    rec = exercise.answer_from_records()
    right = exercise.check({area: ex.DIRECTION_TH[d] for area, d in zip(rec["area_th"], rec["direction"])})
    assert right.correct and right.verdict_th.startswith("ถูกต้อง")
    assert "small_numbers" in right.gaps and "ตัวเลขน้อย" in right.lesson_th
    wrong = exercise.check({ex.ALL: "เพิ่มขึ้น", "กรุงเทพใต้": "rose"})
    assert not wrong.correct and wrong.verdict_th.startswith("ยังไม่ถูก")
    assert "noise" in wrong.gaps and "ความบังเอิญ" in wrong.lesson_th
    assert "ความจริงเป็นอย่างที่คุณตอบ" in wrong.verdict_th  # the truth did rise; the records cannot show it
    assert "detection" in wrong.gaps and "การพบไม่ใช่การเกิด" in wrong.lesson_th
    assert wrong.details["correct"].tolist() == [False, False]
    assert all(has_thai(t) for t in (wrong.records_th, wrong.truth_th, wrong.tolerance_th, wrong.text_th()))
    with pytest.raises(ex.AnswerError, match="ไม่มีพื้นที่"):
        exercise.check({"ดาวอังคาร": "rose"})
    with pytest.raises(ex.AnswerError, match="อ่านคำตอบ"):
        exercise.check({ex.ALL: "มากมาย"})


def test_comparing_the_first_and_last_years_overstates_the_rise(world):
    _, data, truth_world, _ = world
    exercise = ex.TrendExercise(data, years=(2021, 2025), truth=truth_world)
    city = exercise.answer_from_records().set_index("area").loc[ex.ALL]
    expected = exercise.truth()["expected_ratio"].iloc[0]
    assert city["direction"] == "rose" and city["ratio_low"] > expected  # beyond noise: it is the searching
    fb = exercise.check({ex.ALL: "rose"})
    assert fb.correct and "detection" in fb.gaps and "ทิศทางถูกแต่ขนาดไม่ใช่" in fb.lesson_th


def test_risk_tables_add_up(world):
    _, data, _, _ = world
    t = ex.colour_share_by_group(data, "household_type")
    assert t["children"].sum() == len(data.children)
    red = (data.petals[list(PETAL_COLUMNS)] == "red").any(axis=1)
    red_families = set(data.petals.loc[red, "family_id"])
    assert t["children_flagged"].sum() == data.children["family_id"].isin(red_families).sum()
    assert t["families"].sum() == data.children["family_id"].nunique()


def test_risk_records_find_the_true_top_age_band(world):
    _, data, _, _ = world
    exercise = ex.RiskGroupExercise(data, by="age_band")
    top, _ = ex.top_group(exercise.answer_from_records())
    truth = exercise.truth()
    assert truth.loc[truth["truly_highest"], "group"].tolist() == [top] == ["12-17"]
    # The reason is configured: red indicators of older children (enticement from 10, pregnancy under 15).
    assert truth.set_index("group")["own_rate_per_10000"].is_monotonic_increasing
    right = exercise.check("12–17 ปี")
    assert right.correct and "none" in right.gaps and "family_level" in right.gaps
    wrong = exercise.check("0-5")
    assert not wrong.correct and "12–17 ปี" in wrong.verdict_th
    with pytest.raises(ex.AnswerError, match="ไม่มีกลุ่ม"):
        exercise.check("วัยทอง")


def test_household_types_carry_red_petals_alike(world):
    _, data, _, _ = world
    exercise = ex.RiskGroupExercise(data, by="household_type")
    truth = exercise.truth()
    assert not truth["truly_highest"].any()  # no red indicator or driver depends on the household type
    top, clear = ex.top_group(exercise.answer_from_records())
    assert not clear
    fb = exercise.check(top)
    assert fb.correct and fb.gaps == ("noise",) and "ความบังเอิญ" in fb.lesson_th
    other = next(g for g in truth["group"] if g != top)
    assert not exercise.check(other).correct


def test_the_counterfactual_changes_only_the_sandbox():
    pop = simulator.simulate(3000, seed=5)
    far, without = ex.counterfactual_configs(pop.config)
    base = simulate_timelines(pop).cases
    a, b = simulate_timelines(pop, config=far).cases, simulate_timelines(pop, config=without).cases
    assert a["case_id"].equals(b["case_id"]) and a["case_id"].equals(base["case_id"])
    # A longer span only uncovers later dates: every date known by the data's end is unchanged.
    for col in ("onset_date", "noticed_date", "service_start_date"):
        known = base[col].notna()
        assert (a.loc[known, col] == base.loc[known, col]).all()
    # Each family draws from its own streams: cases the sandbox never touched are identical.
    untouched = ~a["sandbox_active"].to_numpy()
    for col in ("noticed_date", "service_start_date"):
        assert a.loc[untouched, col].equals(b.loc[untouched, col])
    active = a["sandbox_active"].to_numpy()
    slower = (b["service_start_date"] - b["noticed_date"])[active] > (a["service_start_date"] - a["noticed_date"])[active]
    assert slower.mean() > 0.8


def test_the_truth_refuses_a_population_that_is_not_the_datas():
    pop = simulator.simulate(300, seed=1)
    other = simulator.simulate(300, seed=2)
    data = DashboardData.from_simulation(other, simulate_timelines(other))
    with pytest.raises(DashboardDataError, match="not the data's world"):
        ex.programme_truth(pop, data)


def test_programme_did_recovers_the_counterfactual_effect(world):
    pop, data, _, _ = world
    exercise = ex.ProgrammeExercise(data, pop=pop)
    est = exercise.answer_from_records().set_index("estimator")
    truth = exercise.truth().iloc[0]
    assert 1_000 < truth["cases"] and 30 < truth["shorter_by_days"] < 70
    did = est.loc["did"]
    tol = exercise.tolerance_days()
    assert tol == pytest.approx(max(5, 1.959964 * did["se_days"]))
    assert abs(did["shorter_by_days"] - truth["shorter_by_days"]) <= tol
    assert did["low_days"] <= truth["effect_days"] <= did["high_days"]
    right = exercise.check(round(did["shorter_by_days"]))
    assert right.correct and right.verdict_th.startswith("ถูกต้อง")
    assert {"confounding", "censoring", "noise"} <= set(right.gaps)
    assert "ปัจจัยกวน" in right.lesson_th and "censoring" in right.lesson_th
    assert right.details.set_index("estimator").loc["truth", "shorter_by_days"] == truth["shorter_by_days"]
    longer = exercise.check(-truth["shorter_by_days"])  # the right size, the wrong way round
    assert not longer.correct and longer.verdict_th.startswith("ยังไม่ถูก")
    assert not exercise.check("0 วัน").correct
    with pytest.raises(ex.AnswerError, match="จำนวนวัน"):
        exercise.check("เร็วขึ้นมาก")


def test_the_programme_truth_needs_the_population(hand):
    with pytest.raises(DashboardDataError, match="needs the population"):
        ex.ProgrammeExercise(hand).truth()


def test_thai_views_and_questions(world):
    pop, data, truth_world, _ = world
    exercises = [ex.TrendExercise(data, truth=truth_world), ex.RiskGroupExercise(data),
                 ex.ProgrammeExercise(data, pop=pop)]
    for exercise in exercises:
        assert has_thai(exercise.question_th)
        view = exercise.table_th()
        assert all(has_thai(c) for c in view.columns)
    assert "2565" in exercises[0].question_th and "2567" in exercises[0].question_th
    assert "1 ม.ค. 2565" in exercises[2].question_th


def test_the_confidence_level_is_configuration(hand):
    settings = ex.load_exercise_settings().model_copy(update={"confidence": 0.9})
    exercise = ex.TrendExercise(hand, years=(2021, 2023), settings=settings)
    t90 = exercise.table().set_index(["area", "year"])
    t95 = ex.noticed_by_year(hand).set_index(["area", "year"])
    wider = t95.loc[("A", 2023), "rate_high"] - t95.loc[("A", 2023), "rate_low"]
    assert t90.loc[("A", 2023), "rate_high"] - t90.loc[("A", 2023), "rate_low"] < wider
    assert "ช่วง 90% ต่ำสุด" in exercise.table_th().columns
    assert "90%" in exercise.question_th and "95%" not in exercise.question_th


def test_a_bad_settings_file_names_the_field(tmp_path):
    shutil.copy(ex.EXERCISES_FILE, tmp_path / "dashboard_exercises.yaml")
    path = tmp_path / "dashboard_exercises.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("[2022, 2024]", "[2024, 2022]"), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"dashboard_exercises\.yaml.*trend"):
        ex.load_exercise_settings(tmp_path)
    with pytest.raises(ConfigError, match="cannot be read"):
        ex.load_exercise_settings(tmp_path / "missing")


# ---------------------------------------------------------------------------- figures

def _texts(fig) -> list[str]:
    return [t.get_text() for t in fig.findobj(Text) if t.get_text().strip()]


def _overlaps(fig) -> list[str]:
    FigureCanvasAgg(fig)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    width, height = fig.canvas.get_width_height()
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in fig.findobj(Text)
             if t.get_visible() and t.get_text().strip()]
    problems = [f"outside: {s!r}" for s, b in boxes
                if b.x0 < -0.5 or b.y0 < -0.5 or b.x1 > width + 0.5 or b.y1 > height + 0.5]
    for (s1, b1), (s2, b2) in itertools.combinations(boxes, 2):
        if min(b1.x1, b2.x1) - max(b1.x0, b2.x0) > 0.5 and min(b1.y1, b2.y1) - max(b1.y0, b2.y0) > 0.5:
            problems.append(f"overlap: {s1!r} / {s2!r}")
    return problems


@pytest.mark.parametrize("kind", ["trend", "risk_age", "risk_household", "programme"])
@pytest.mark.parametrize("show_truth", [False, True])
def test_figures_are_thai_phone_width_and_uncluttered(world, kind, show_truth):
    pop, data, truth_world, _ = world
    exercise = {"trend": lambda: ex.TrendExercise(data, truth=truth_world),
                "risk_age": lambda: ex.RiskGroupExercise(data, by="age_band"),
                "risk_household": lambda: ex.RiskGroupExercise(data, by="household_type"),
                "programme": lambda: ex.ProgrammeExercise(data, pop=pop)}[kind]()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing Thai glyph raises here
        fig = exercise.figure(show_truth=show_truth)
        problems = _overlaps(fig)
    assert not problems, problems
    assert fig.get_size_inches()[0] == pytest.approx(4.0)
    texts = " ".join(_texts(fig))
    assert SYNTHETIC_MARK in texts
    titles = {"trend": "กรณีฉุกเฉินที่พบ", "risk_age": "แยกตามช่วงอายุ", "risk_household": "แยกตามประเภทครัวเรือน",
              "programme": "พบปัญหาจนเริ่มรับบริการ"}
    assert titles[kind] in texts
    assert ("ความจริง" in texts) == show_truth or kind == "programme"
    assert ("ผลจริง" in texts) == show_truth or kind != "programme"
    fonts = {t.get_fontname() for t in fig.findobj(Text) if t.get_text().strip()}
    assert fonts == {"Sarabun"}
    assert has_thai(fig.termtem_alt_th) and has_thai(fig.termtem_caption_th)


def test_the_world_and_truth_are_quick_enough(world):
    *_, seconds = world
    assert seconds < 20  # the notebook's world plus the 100,000-family truth sample, cached afterwards
