"""The dashboards' data contract: five documented tables, read from files or a simulation."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

import simulator
from simulator.cli import main as cli_main
from simulator.dashboards.tables import (REQUIRED_COLUMNS, DashboardData, DashboardDataError, Selection,
                                         load_settings, parse_month, per_10000, read_tables, thai_view)
from simulator.model.config import ConfigError

BOOK = Path(__file__).resolve().parent.parent / "book" / "reference" / "data_schema.md"


@pytest.fixture(scope="module")
def world():
    pop = simulator.simulate(600, seed=5)
    return pop, simulator.simulate_timelines(pop)


@pytest.fixture(scope="module")
def data(world):
    return DashboardData.from_simulation(*world)


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    out = tmp_path_factory.mktemp("gen")
    assert cli_main(["generate", "--families", "600", "--seed", "5", "--out", str(out), "--overwrite"]) == 0
    return out


def test_from_simulation_keeps_born_children_only_and_runs_to_the_span_end(world, data):
    pop, tl = world
    born = pop.people[(pop.people.role == "child") & pop.people.birth_date.notna()]
    assert len(data.children) == len(born) == pop.households.n_children.sum()
    assert data.as_of == pd.Timestamp(tl.span[1])


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_read_tables_from_generated_files_equals_the_simulation(world, data, tmp_path, fmt):
    out = tmp_path / fmt
    assert cli_main(["generate", "--families", "600", "--seed", "5", "--out", str(out), "--format", fmt]) == 0
    read = read_tables(out)
    assert read.as_of == data.as_of
    for name, cols in REQUIRED_COLUMNS.items():
        mine, theirs = getattr(read, name), getattr(data, name)
        assert len(mine) == len(theirs), name
        for col in cols:
            a, b = mine[col].reset_index(drop=True), theirs[col].reset_index(drop=True)
            if pd.api.types.is_datetime64_any_dtype(b):
                assert (a.isna() == b.isna()).all() and (a[b.notna()] == b[b.notna()]).all(), (name, col)
            else:
                assert a.astype(object).where(a.notna(), None).astype(str).tolist() == \
                    b.astype(object).where(b.notna(), None).astype(str).tolist(), (name, col)


def test_missing_file_and_missing_column_are_named(generated, tmp_path):
    import shutil

    broken = tmp_path / "broken"
    shutil.copytree(generated, broken)
    (broken / "events.csv").unlink()
    with pytest.raises(DashboardDataError, match=r"events\.parquet nor events\.csv"):
        read_tables(broken)
    shutil.copy(generated / "events.csv", broken / "events.csv")
    cases = pd.read_csv(broken / "cases.csv", encoding="utf-8-sig").drop(columns=["plan_date"])
    cases.to_csv(broken / "cases.csv", index=False, encoding="utf-8-sig")
    with pytest.raises(DashboardDataError, match=r"cases\.csv: missing column\(s\) plan_date"):
        read_tables(broken)


def test_a_bad_date_names_file_column_and_row(generated, tmp_path):
    import shutil

    broken = tmp_path / "broken"
    shutil.copytree(generated, broken)
    events = pd.read_csv(broken / "events.csv", encoding="utf-8-sig", dtype=str)
    events.loc[3, "date"] = "31/12/2568"
    events.to_csv(broken / "events.csv", index=False, encoding="utf-8-sig")
    with pytest.raises(DashboardDataError, match=r"events\.csv: column date, row 5: '31/12/2568'"):
        read_tables(broken)


def test_upto_forgets_what_happened_later(data):
    day = pd.Timestamp("2023-06-30")
    then = data.upto(day)
    assert then.as_of == day
    assert then.events.date.max() <= day and then.cases.onset_date.max() <= day
    assert then.cases.plan_date.max() <= day
    later = data.cases[data.cases.onset_date <= day]
    assert len(then.cases) == len(later)
    assert then.cases.plan_date.notna().sum() == (later.plan_date <= day).sum()
    with pytest.raises(DashboardDataError, match="runs to 2025-12-31"):
        data.upto("2026-01-01")


def test_selection_by_place_child_and_dimension(data):
    district = data.households.district.astype(str).iloc[0]
    sel = Selection(district=district).apply(data)
    assert set(sel.households.district.astype(str)) == {district}
    assert set(sel.cases.family_id) <= set(sel.households.family_id)
    assert set(sel.children.family_id) <= set(sel.households.family_id)

    ages = data.child_ages()
    young = Selection(age_band="0-5", sex="female").apply(data)
    picked = data.children.loc[young.children.index]
    assert ((ages.loc[young.children.index] <= 5) & (picked.sex == "female")).all()
    expected = data.children[(ages <= 5) & (data.children.sex == "female")]
    assert len(young.children) == len(expected)
    assert set(young.households.family_id) == set(expected.family_id)

    health = Selection(dimension="health").apply(data)
    assert health.cases.dimensions.str.contains("health").all()
    dims = set(health.events.dimension.dropna())
    assert dims == {"health"}


@pytest.mark.parametrize("selection, message", [
    (Selection(district="แอตแลนติส"), "no household has district 'แอตแลนติส'"),
    (Selection(age_band="3-4"), "unknown age band '3-4'"),
    (Selection(dimension="housing"), "unknown dimension 'housing'"),
])
def test_unknown_selection_is_refused_by_name(data, selection, message):
    with pytest.raises(DashboardDataError, match=re.escape(message)):
        selection.apply(data)


def test_child_age_counts_whole_years_to_the_day():
    children = pd.DataFrame({"person_id": ["a", "b", "c"], "family_id": ["f"] * 3, "sex": ["male"] * 3,
                             "birth_date": pd.to_datetime(["2019-12-31", "2020-01-01", "2008-06-15"])})
    data = _tiny(children=children, as_of="2025-12-31")
    assert data.child_ages().tolist() == [6, 5, 17]


def _tiny(children, as_of):
    households = pd.DataFrame({"family_id": ["f"], "zone": ["z"], "district": ["d"], "community": ["c"],
                               "sandbox": [False], "household_type": ["two_parents"]})
    petals = pd.DataFrame({"family_id": ["f"], **{c: ["green"] for c in REQUIRED_COLUMNS["petals"][1:-1]},
                           "case_level": ["none"]})
    cases = pd.DataFrame({c: [] for c in REQUIRED_COLUMNS["cases"]})
    events = pd.DataFrame({c: [] for c in REQUIRED_COLUMNS["events"]})
    return DashboardData(households, children, petals, cases, events, as_of=as_of)


def test_a_table_without_a_required_column_is_refused():
    children = pd.DataFrame({"person_id": ["a"], "family_id": ["f"], "birth_date": pd.to_datetime(["2020-01-01"])})
    with pytest.raises(DashboardDataError, match=r"table children: missing column\(s\) sex"):
        _tiny(children=children, as_of="2025-12-31")


def test_rates_per_10000_children():
    assert per_10000(3, 1500) == pytest.approx(20.0)
    rates = per_10000(pd.Series([1, 2], index=["a", "b"]), [100, 0])
    assert rates["a"] == 100 and pd.isna(rates["b"])


@pytest.mark.parametrize("text", ["2025-13", "2025-1", "ธ.ค. 2568", ""])
def test_month_must_be_yyyy_mm(text):
    with pytest.raises(DashboardDataError, match="YYYY-MM"):
        parse_month(text)
    assert parse_month("2025-12") == pd.Period("2025-12", "M")


def test_settings_file_errors_name_the_field(data_copy):
    path = data_copy / "dashboards.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("{code: \"6-11\", label_th: \"6–11 ปี\", min: 6, max: 11}",
                                 "{code: \"6-11\", label_th: \"6–11 ปี\", min: 7, max: 11}"), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"dashboards\.yaml: .*missing \[6\]"):
        load_settings(data_copy)
    path.write_text(text.replace("no_contact_days: 30", "no_contact_days: 0"), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"dashboards\.yaml: no_contact_days: "):
        load_settings(data_copy)
    assert load_settings().no_contact_days == 30


def test_thai_view_renames_formats_dates_and_labels():
    table = pd.DataFrame({"day": pd.to_datetime(["2025-12-01"]), "dimension": ["health"], "n": [3]})
    view = thai_view(table, {"day": "วันที่", "dimension": "มิติ"}, {"dimension": {"health": "สุขภาพ"}})
    assert view.columns.tolist() == ["วันที่", "มิติ"]
    assert view.iloc[0].tolist() == ["1 ธ.ค. 2568", "สุขภาพ"]


def test_the_book_lists_every_required_column():
    text = BOOK.read_text(encoding="utf-8")
    section = text.split("(data-schema-dashboards)=", 1)[1].split("\n## ", 2)[1]
    for name, cols in REQUIRED_COLUMNS.items():
        line = next(l for l in section.splitlines() if l.startswith(f"| `{name}`"))
        assert [c.strip("` ") for c in line.split("|")[2].split(",")] == list(cols), name
