"""The dashboard explorer: its numbers equal counting the selected tables, and the widget
redraws everything together when a reader changes a choice."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import simulator
from simulator.dashboards.explorer import Explorer, breakdown_th, headline_th, monthly_figure
from simulator.dashboards.tables import DashboardData, DashboardDataError, Selection


@pytest.fixture(scope="module")
def data():
    pop = simulator.simulate(3000, seed=21)
    return DashboardData.from_simulation(pop, simulator.simulate_timelines(pop))


@pytest.fixture(scope="module")
def explorer(data):
    return Explorer(data)


def counted(data, selection, start, end):
    """The explorer's numbers the slow, obvious way: narrow the tables, then count."""
    chosen = selection.apply(data)
    noticed = chosen.cases.noticed_date
    new = chosen.cases[(noticed >= pd.Period(start, "M").start_time) & (noticed <= pd.Period(end, "M").end_time)]
    days = (new.service_start_date - new.noticed_date).dt.days
    return {"families": len(chosen.households), "children": len(chosen.children), "new_cases": len(new),
            "emergency": int((new.case_level == "emergency").sum()), "waiting": int(days.isna().sum()),
            "median": float(days.median()) if days.notna().any() else float("nan")}


def selections(data):
    hh = data.households
    district = st.sampled_from([None, *sorted(hh.district.astype(str).unique())[:6]])
    return st.builds(Selection, district=district,
                     dimension=st.sampled_from([None, "social", "education", "health", "governance"]),
                     age_band=st.sampled_from([None, "0-5", "6-11", "12-17"]),
                     sex=st.sampled_from([None, "female", "male"]),
                     household_type=st.sampled_from([None, "two_parents", "single_mother", "grandparents"]))


def test_every_headline_number_equals_counting_the_selected_tables(data, explorer):
    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(selection=selections(data), start=st.sampled_from(["2021-01", "2023-04", "2025-07"]))
    def check(selection, start):
        view = explorer.view(selection, start, "2025-12")
        want = counted(data, selection, start, "2025-12")
        h = view.headline
        assert {k: h[k] for k in ("families", "children", "new_cases", "emergency", "waiting")} == \
            {k: want[k] for k in ("families", "children", "new_cases", "emergency", "waiting")}
        assert (np.isnan(h["median_days_to_service"]) and np.isnan(want["median"])) or \
            h["median_days_to_service"] == want["median"]
        assert int(view.monthly.to_numpy().sum()) == h["new_cases"]
        assert view.breakdown.new_cases.sum() == h["new_cases"] and view.breakdown.children.sum() == h["children"]

    check()


def test_a_hand_checked_month_and_rate(data, explorer):
    district = data.households.district.astype(str).value_counts().index[0]
    view = explorer.view(Selection(district=district), "2024-03", "2024-03")
    hh = data.households[data.households.district.astype(str) == district]
    children = data.children[data.children.family_id.isin(hh.family_id)]
    cases = data.cases[data.cases.family_id.isin(hh.family_id)]
    march = cases[(cases.noticed_date >= "2024-03-01") & (cases.noticed_date < "2024-04-01")]
    assert view.monthly.index.tolist() == [pd.Period("2024-03", "M")]
    assert view.monthly.loc[pd.Period("2024-03", "M")].to_dict() == {
        "emergency": int((march.case_level == "emergency").sum()), "complex": int((march.case_level == "complex").sum())}
    assert view.headline["per_10000"] == pytest.approx(len(march) * 10_000 / len(children))


def test_the_table_goes_one_level_down(data, explorer):
    zone = data.households.zone.astype(str).iloc[0]
    district = data.households[data.households.zone.astype(str) == zone].district.astype(str).iloc[0]
    community = data.households[data.households.district.astype(str) == district].community.astype(str).iloc[0]
    assert set(explorer.view(Selection()).breakdown.area) == set(data.households.zone.astype(str))
    in_zone = set(data.households[data.households.zone.astype(str) == zone].district.astype(str))
    assert set(explorer.view(Selection(zone=zone)).breakdown.area) == in_zone
    assert set(explorer.view(Selection(district=district)).breakdown.area) == \
        set(data.households[data.households.district.astype(str) == district].community.astype(str))
    one = explorer.view(Selection(district=district, community=community))
    assert set(one.breakdown.area) <= {"two_parents", "single_mother", "single_father", "grandparents", "relative"}
    labels = {"two_parents": "พ่อแม่อยู่ด้วยกัน", "single_mother": "แม่เลี้ยงเดี่ยว", "single_father": "พ่อเลี้ยงเดี่ยว",
              "grandparents": "ปู่ย่าตายายเลี้ยงหลาน", "relative": "ญาติเลี้ยงดู"}
    assert breakdown_th(one)["พื้นที่"].tolist() == [labels[a] for a in one.breakdown.area]
    assert list(breakdown_th(one).columns)[:3] == ["พื้นที่", "เด็ก (คน)", "กรณีใหม่"]


def test_bad_choices_are_refused(explorer):
    with pytest.raises(DashboardDataError, match="no household has district 'แอตแลนติส'"):
        explorer.view(Selection(district="แอตแลนติส"))
    with pytest.raises(ValueError, match="ends"):
        explorer.view(Selection(), "2025-06", "2025-01")


def test_headline_and_figure_are_thai(explorer):
    import warnings

    view = explorer.view(Selection(age_band="0-5", sex="female", dimension="health"), "2024-01", "2025-12")
    lines = headline_th(view)
    assert lines[0] == "กรุงเทพมหานคร · ม.ค. 2567 – ธ.ค. 2568 · มิติสุขภาพ · เด็กอายุ 0–5 ปี · เด็กหญิง"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = monthly_figure(view)
        from simulator.figures import to_png

        assert to_png(fig)[:4] == b"\x89PNG"
    texts = [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text"))]
    assert "กรณีใหม่ต่อเดือน แยกตามระดับ" in texts and "ม.ค. 2567" in texts
    assert {t.get_fontname() for t in fig.findobj(lambda a: hasattr(a, "get_fontname"))} == {"Sarabun"}
    assert f"{view.headline['new_cases']:,} กรณี" in fig.termtem_alt_th


def test_the_widget_narrows_choices_and_redraws_together(data):
    from simulator.widgets.explorer import ExplorerWidget

    widget = ExplorerWidget(data)
    first = widget.view_result
    assert first.selection == Selection() and widget.figure.png and "<table" in widget.table.value
    zone = widget.zone.options[1][1]
    widget.zone.value = zone
    offered = {v for _, v in widget.district.options if v}
    assert offered == set(data.households[data.households.zone.astype(str) == zone].district.astype(str))
    district = sorted(offered)[0]
    widget.district.value = district
    assert {v for _, v in widget.community.options if v} == \
        set(data.households[data.households.district.astype(str) == district].community.astype(str))
    png_before = widget.figure.png
    widget.dimension.value = "social"
    view = widget.view_result
    assert view.selection == Selection(zone=zone, district=district, dimension="social")
    assert f"เขต{district}" in widget.headline.value and "มิติสังคม" in widget.headline.value
    assert widget.figure.png != png_before
    assert widget.figure.alt == monthly_figure(view).termtem_alt_th
    widget.start.value, widget.end.value = "2025-06", "2025-01"
    assert "เดือนสิ้นสุดต้องไม่อยู่ก่อนเดือนเริ่มต้น" in widget.message.value
    assert widget.view_result is None and widget.table.value == "" and not widget.figure.png
    widget.end.value = "2025-12"
    assert widget.message.value == "" and widget.view_result.start == pd.Period("2025-06", "M")


def test_the_shown_table_separates_thousands_and_marks_nothing_to_count(explorer):
    view = explorer.view(Selection())
    shown = breakdown_th(view)
    first = view.breakdown.iloc[0]
    assert shown.iloc[0]["เด็ก (คน)"] == f"{first.children:,}" and "," in shown.iloc[0]["เด็ก (คน)"]
    assert shown.iloc[0]["ต่อเด็ก 10,000 คน"] == f"{first.per_10000:,.1f}"
    nobody = view.breakdown.assign(median_days_to_service=float("nan"))
    from dataclasses import replace

    assert set(breakdown_th(replace(view, breakdown=nobody))["วันถึงรับบริการ (มัธยฐาน)"]) == {"–"}
