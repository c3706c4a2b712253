import re
from pathlib import Path

import openpyxl
import pandas as pd
import pyarrow.parquet as pq
import pytest

import simulator
from simulator.export import EXCEL_MAX_ROWS, ExportError, write_population, write_tables
from simulator.export.csvfile import BOM
from simulator.export.dictionary import LABEL_SETS, label_map, load_columns
from simulator.export.workbook import (ANSWERS_FILE, DICTIONARY_SHEET, NOTICE_SHEET, WORKBOOK_FILE,
                                       display_values)
from simulator.model.config import ConfigError
from simulator.model.timelines import simulate_timelines
from simulator.thai.dates import MONTHS_SHORT, thai_date
from simulator.thai.vocabulary import DIMENSION_TH, SYNTHETIC_MARK

CHAPTER = Path(__file__).resolve().parent.parent / "book" / "reference" / "data_schema.md"
COLUMNS = load_columns()


@pytest.fixture(scope="session")
def tables_20k():
    """The realism-size run: every code that occurs in practice occurs here."""
    pop = simulator.simulate(20_000, seed=11)
    return pop, {**pop.tables(), **simulate_timelines(pop).tables()}


@pytest.fixture(scope="module")
def small():
    pop = simulator.simulate(200, seed=5)
    return pop, simulate_timelines(pop)


@pytest.fixture(scope="module")
def workbooks(small, tmp_path_factory):
    pop, tl = small
    out = tmp_path_factory.mktemp("xlsx") / "out"
    paths = write_population(pop, out, "xlsx", timelines=tl)
    assert [p.name for p in paths] == [WORKBOOK_FILE, ANSWERS_FILE]
    return openpyxl.load_workbook(paths[0]), openpyxl.load_workbook(paths[1]), {**pop.tables(), **tl.tables()}


def _rows(ws):
    return [list(r) for r in ws.iter_rows(values_only=True)]


def _truth(table):
    return COLUMNS.tables[table].truth_columns()


# --- CSV and Parquet: for machines ---------------------------------------------------------

def test_csv_has_a_bom_and_reads_back_equal_to_the_tables(small, tmp_path):
    pop, tl = small
    write_population(pop, tmp_path, "csv", timelines=tl)
    for name, df in {**pop.tables(), **tl.tables()}.items():
        raw = (tmp_path / f"{name}.csv").read_bytes()
        assert raw.startswith(BOM) and not raw.startswith(BOM * 2), name
        dates = [c for c in df.columns if pd.api.types.is_datetime64_any_dtype(df[c])]
        back = pd.read_csv(tmp_path / f"{name}.csv", encoding="utf-8-sig", parse_dates=dates, keep_default_na=False,
                           na_values=[""], dtype={c: str for c in df.columns if df[c].dtype == "str"})
        assert list(back.columns) == ["synthetic", *df.columns], name
        assert (back["synthetic"] == SYNTHETIC_MARK).all()
        for col in df.columns:
            want, got = df[col], back[col]
            if col in dates:
                pd.testing.assert_series_equal(got.astype("datetime64[s]"), want, check_names=False, obj=f"{name}.{col}")
            elif pd.api.types.is_bool_dtype(want) or pd.api.types.is_integer_dtype(want):
                pd.testing.assert_series_equal(got.astype(want.dtype), want, check_names=False, obj=f"{name}.{col}")
            else:  # text: an empty string and a missing value both read back as missing
                assert got.fillna("").astype(str).tolist() == want.astype(object).fillna("").astype(str).tolist(), \
                    f"{name}.{col}"


def test_csv_keeps_codes_and_iso_dates(small, tmp_path):
    pop, tl = small
    write_population(pop, tmp_path, "csv", timelines=tl)
    text = (tmp_path / "events.csv").read_text(encoding="utf-8-sig").splitlines()
    assert text[0].split(",")[:4] == ['"synthetic"', '"case_id"', '"family_id"', '"date"']
    first = text[1].split(",")
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", first[3]) and first[4] == '"referral"'


def test_same_seed_gives_byte_identical_csv_of_all_ten_tables(tmp_path):
    for folder in ("a", "b"):
        pop = simulator.simulate(150, seed=8)
        write_population(pop, tmp_path / folder, "csv", timelines=simulate_timelines(pop))
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert len(names) == 10
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_parquet_is_marked_synthetic(small, tmp_path):
    pop, tl = small
    write_population(pop, tmp_path, "parquet", timelines=tl)
    assert pq.read_schema(tmp_path / "events.parquet").metadata[b"termtem.synthetic"].decode() == SYNTHETIC_MARK
    back = pd.read_parquet(tmp_path / "people.parquet")
    assert len(back) == len(pop.people) and (back["synthetic"] == SYNTHETIC_MARK).all()


# --- The workbooks: for people ---------------------------------------------------------------

def test_trainee_workbook_has_thai_headers_then_codes_and_no_ground_truth(workbooks):
    trainee, _, tables = workbooks
    expected = {spec.sheet: name for name, spec in COLUMNS.tables.items() if not spec.answers}
    assert trainee.sheetnames == [NOTICE_SHEET, *expected, DICTIONARY_SHEET]
    for sheet, name in expected.items():
        rows = _rows(trainee[sheet])
        codes = ["synthetic", *[c for c in tables[name].columns if c not in _truth(name)]]
        assert rows[1] == codes, sheet
        assert rows[0] == [COLUMNS.column(name, c).header_th for c in codes], sheet
        assert len(rows) == 2 + len(tables[name]), sheet
        assert all(r[0] == SYNTHETIC_MARK for r in rows[2:]), sheet
    all_codes = {c for ws in trainee.worksheets[1:-1] for c in _rows(ws)[1]}
    assert not all_codes & {"is_true", "lost_between_agencies", "true_detection_delay_days"}
    assert not {"indicators", "petals"} & {s.split("(")[-1].rstrip(")") for s in trainee.sheetnames}


def test_answer_workbook_holds_the_truth_with_row_keys(workbooks):
    _, answers, tables = workbooks
    for name in ("indicators", "petals"):
        rows = _rows(answers[COLUMNS.tables[name].sheet])
        assert rows[1] == ["synthetic", *tables[name].columns] and len(rows) == 2 + len(tables[name])
    obs = _rows(answers[COLUMNS.tables["observations"].answer_sheet])
    assert obs[1] == ["synthetic", "family_id", "person_id", "indicator_id", "source", "observed_on", "is_true"]
    truth = tables["observations"]["is_true"]
    assert [r[-1] for r in obs[2:]] == ["ใช่" if t else "ไม่ใช่" for t in truth]
    assert [r[2] for r in obs[2:]] == tables["observations"]["person_id"].tolist()  # same order as trainees'
    cases = _rows(answers[COLUMNS.tables["cases"].answer_sheet])
    assert cases[1] == ["synthetic", "case_id", "family_id", "lost_between_agencies", "true_detection_delay_days"]
    assert [r[-1] for r in cases[2:]] == tables["cases"]["true_detection_delay_days"].tolist()


def test_each_workbook_says_which_one_to_withhold(workbooks):
    trainee, answers, _ = workbooks
    trainee_text = " ".join(str(v) for r in _rows(trainee[NOTICE_SHEET]) for v in r if v)
    answers_text = " ".join(str(v) for r in _rows(answers[NOTICE_SHEET]) for v in r if v)
    assert SYNTHETIC_MARK in trainee_text and ANSWERS_FILE in trainee_text and "วิทยากร" in trainee_text
    assert "อย่าแจกให้ผู้เรียน" in answers_text and WORKBOOK_FILE in answers_text
    assert "seed 5" in trainee_text and "200 ครัวเรือน" in trainee_text
    assert SYNTHETIC_MARK in trainee.properties.title


def test_data_sheets_freeze_both_header_rows_and_the_synthetic_column(workbooks):
    trainee, answers, _ = workbooks
    for wb in (trainee, answers):
        for ws in wb.worksheets[1:-1]:
            assert ws.freeze_panes == "B3", ws.title
            assert ws.column_dimensions["A"].width >= len(SYNTHETIC_MARK), ws.title
        assert wb[DICTIONARY_SHEET].freeze_panes == "A3"


def test_column_widths_fit_long_text_but_stay_bounded(workbooks):
    trainee, _, _ = workbooks
    ws = trainee[COLUMNS.tables["observations"].sheet]
    widths = {code: ws.column_dimensions[openpyxl.utils.get_column_letter(i)].width
              for i, code in enumerate(_rows(ws)[1], start=1)}
    assert widths["note_th"] > widths["family_id"] > widths["subject"] - 1
    assert max(widths.values()) <= 60


def test_dates_are_buddhist_era_text_and_codes_are_thai_words(workbooks):
    trainee, _, tables = workbooks
    rows = _rows(trainee[COLUMNS.tables["people"].sheet])
    col = rows[1].index("birth_date")
    want = [thai_date(d) for d in tables["people"]["birth_date"]]
    assert [r[col] or "" for r in rows[2:]] == want
    born = tables["people"]["birth_date"].dropna()
    shown = [r[col] for r in rows[2:] if r[col]]
    assert [int(v.split()[-1]) for v in shown] == (born.dt.year + 543).tolist()
    assert {v.split()[1] for v in shown} <= set(MONTHS_SHORT)
    events = _rows(trainee[COLUMNS.tables["events"].sheet])
    dim = events[1].index("dimension")
    assert {r[dim] for r in events[2:]} - {None} <= set(DIMENSION_TH.values())
    assert events[2][events[1].index("event")] == "เริ่มมีปัญหา"
    cases = _rows(trainee[COLUMNS.tables["cases"].sheet])
    dims = cases[1].index("dimensions")
    code = tables["cases"]["dimensions"].iloc[0]
    assert cases[2][dims] == ", ".join(DIMENSION_TH[d] for d in code.split(","))


def test_dictionary_sheet_describes_every_column_it_shows(workbooks):
    trainee, answers, _ = workbooks
    for wb in (trainee, answers):
        rows = _rows(wb[DICTIONARY_SHEET])
        assert rows[1] == ["table", "sheet", "column", "header_th", "description_th", "description_en"]
        listed = {(r[1], r[2]): r for r in rows[2:]}
        for ws in wb.worksheets[1:-1]:
            for code in _rows(ws)[1]:
                table, sheet, _, header, th, en = listed[(ws.title, code)]
                spec = COLUMNS.column(table, code)
                assert (header, th, en) == (spec.header_th, spec.description_th, spec.description_en)
        assert len(listed) == sum(len(_rows(ws)[1]) for ws in wb.worksheets[1:-1])


# --- The data dictionary itself ---------------------------------------------------------------

def test_columns_yaml_describes_every_exported_column(tables_20k):
    _, tables = tables_20k
    assert set(tables) <= set(COLUMNS.tables)
    missing = COLUMNS.undescribed(tables)
    assert missing == {}, f"describe these columns in simulator/data/columns.yaml: {missing}"


def test_every_code_shown_in_the_workbook_has_a_thai_label(tables_20k):
    pop, tables = tables_20k
    for name, df in tables.items():
        for col, spec in COLUMNS.tables[name].columns.items():
            if spec.labels is None or col not in df.columns:
                continue
            labels = label_map(spec.labels, pop.config)
            values = df[col].dropna().unique().tolist()
            if spec.separator:
                values = {code for v in values for code in str(v).split(spec.separator) if code}
            unlabelled = sorted(str(v) for v in values if v not in labels)
            assert unlabelled == [], f"{name}.{col}: no Thai label for {unlabelled} in {spec.labels}"
            shown = display_values(name, col, df[col].head(50), COLUMNS, pop.config)
            assert all(s is None or s in labels.values() or spec.separator for s in shown)


def _chapter_columns() -> dict[str, set[str]]:
    sections, current = {}, None
    for line in CHAPTER.read_text(encoding="utf-8").splitlines():
        heading = re.match(r"## .*\((\w+)\)\s*$", line)
        if line.startswith("## "):
            current = heading.group(1) if heading else None
            sections.setdefault(current, set())
        elif current and (cell := re.match(r"\| `(\w+)` \|", line)):
            sections[current].add(cell.group(1))
    return sections


def test_book_chapter_lists_every_described_column(tables_20k):
    _, tables = tables_20k
    chapter = _chapter_columns()
    for name, spec in COLUMNS.tables.items():
        # A planned column joins the chapter with the change that adds it to the tables.
        due = [c for c, col in spec.columns.items() if not col.planned or c in tables[name].columns]
        absent = [c for c in due if c not in chapter.get(name, set())]
        assert absent == [], f"book/reference/data_schema.md, table {name}, lacks {absent}"
    assert "synthetic" in CHAPTER.read_text(encoding="utf-8")


def _broken(tmp_path, old, new):
    text = (Path(simulator.__file__).parent / "data" / "columns.yaml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "columns.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize("old, new, message", [
    ("labels: household_type", "labels: houshold_type", "households.columns.household_type.labels"),
    ("sheet: กรณี (cases)", "sheet: กรณีทั้งหมดของเครือข่ายเติมเต็ม (cases)", "sheet name"),
    ("sheet: กรณี (cases)", "sheet: กรณี/cases", "does not allow"),
    ("answer_sheet: เฉลยกรณี (cases)", "answer_sheet: เฉลยการสังเกต (observations)", "used by both"),
    ("    key: [case_id, family_id]\n    answer_sheet: เฉลยกรณี (cases)\n", "    key: [case_id, family_id]\n",
     "needs an answer_sheet"),
    ("key: [family_id, strength_id]", "key: [family_id, strength]", "key column 'strength'"),
    ("        header_th: วันเกิด\n", "", "people.columns.birth_date.header_th"),
    ("        labels: colour\n", "        labels: colour\n        colour: red\n", "Extra inputs"),
])
def test_columns_yaml_mistakes_name_file_entry_and_field(tmp_path, old, new, message):
    with pytest.raises(ConfigError) as err:
        load_columns(_broken(tmp_path, old, new))
    assert "columns.yaml" in str(err.value) and message in str(err.value)


def test_every_label_set_resolves(small):
    pop, _ = small
    for name in LABEL_SETS:
        labels = label_map(name, pop.config)
        assert labels and all(isinstance(v, str) and v for v in labels.values()), name


# --- Safety: all or nothing, never overwrite ---------------------------------------------------

def test_excel_row_limit_refused_before_writing(tmp_path):
    big = pd.DataFrame({"family_id": ["HH0000001"] * (EXCEL_MAX_ROWS - 1)})
    with pytest.raises(ExportError, match="more than an Excel sheet holds"):
        write_tables({"people": big}, tmp_path / "x", "xlsx")
    assert not (tmp_path / "x").exists()


def test_failure_midway_leaves_nothing_behind(tmp_path, monkeypatch):
    import simulator.export.tables as tables_module

    pop = simulator.simulate(10, seed=1)
    calls = {"n": 0}
    real = tables_module.write_csv

    def flaky(df, path):
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError(28, "No space left on device")
        return real(df, path)

    monkeypatch.setattr(tables_module, "write_csv", flaky)
    with pytest.raises(ExportError, match="No space left"):
        write_population(pop, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_failure_in_existing_folder_keeps_it_and_its_files(tmp_path, monkeypatch):
    import simulator.export.tables as tables_module

    out = tmp_path / "keep"
    out.mkdir()
    (out / "mine.txt").write_text("keep me")
    monkeypatch.setattr(tables_module, "write_csv", lambda *a, **k: (_ for _ in ()).throw(OSError(5, "I/O error")))
    with pytest.raises(ExportError):
        write_population(simulator.simulate(5, seed=1), out)
    assert sorted(p.name for p in out.iterdir()) == ["mine.txt"]


def test_failing_answer_workbook_takes_the_trainee_one_with_it(tmp_path, monkeypatch):
    import simulator.export.workbook as workbook_module

    real = workbook_module._write_one

    def second_fails(path, sheets, *args, answers_file, **kw):
        if answers_file:
            raise OSError(28, "No space left on device")
        return real(path, sheets, *args, answers_file=answers_file, **kw)

    monkeypatch.setattr(workbook_module, "_write_one", second_fails)
    with pytest.raises(ExportError):
        write_population(simulator.simulate(5, seed=1), tmp_path / "out", "xlsx")
    assert not (tmp_path / "out").exists()


def test_existing_answer_workbook_is_not_overwritten(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / ANSWERS_FILE).write_bytes(b"trainer's own")
    with pytest.raises(ExportError, match="already exist"):
        write_population(simulator.simulate(5, seed=1), out, "xlsx")
    assert sorted(p.name for p in out.iterdir()) == [ANSWERS_FILE]
    assert (out / ANSWERS_FILE).read_bytes() == b"trainer's own"
