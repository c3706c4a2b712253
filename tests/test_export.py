import os
import subprocess
import sys

import pandas as pd
import pyarrow.parquet as pq
import pytest

import simulator
from simulator.export import EXCEL_MAX_ROWS, ExportError, write_population, write_tables
from simulator.model.timelines import simulate_timelines


def run_cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "simulator", *args], capture_output=True, text=True, cwd=cwd)


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "parquet"])
def test_cli_writes_every_table_marked_synthetic(tmp_path, fmt):
    out = tmp_path / "out"
    r = run_cli("generate", "--families", "40", "--seed", "3", "--out", str(out), "--format", fmt)
    assert r.returncode == 0, r.stderr
    pop = simulator.simulate(40, seed=3)
    expected = {**pop.tables(), **simulate_timelines(pop).tables()}
    assert len(expected) == 9 and len(expected["events"]) > 0
    if fmt == "xlsx":
        sheets = pd.read_excel(out / "termtem_synthetic.xlsx", sheet_name=None)
        assert set(sheets) == set(expected)
        tables = sheets
    elif fmt == "csv":
        tables = {name: pd.read_csv(out / f"{name}.csv") for name in expected}
    else:
        tables = {name: pd.read_parquet(out / f"{name}.parquet") for name in expected}
        meta = pq.read_schema(out / "events.parquet").metadata
        assert meta[b"termtem.synthetic"].decode() == "ข้อมูลสมมติ"
    for name, df in tables.items():
        assert len(df) == len(expected[name]), name
        assert (df["synthetic"] == "ข้อมูลสมมติ").all(), name
    assert not any(p.name.startswith(".termtem-staging") for p in out.iterdir())


def test_cli_district_option(tmp_path):
    r = run_cli("generate", "--families", "30", "--district", "ลาดกระบัง", "--out", str(tmp_path / "o"))
    assert r.returncode == 0, r.stderr
    assert set(pd.read_csv(tmp_path / "o" / "households.csv").district) == {"ลาดกระบัง"}


@pytest.mark.parametrize(
    "args, message",
    [
        (["--families", "0"], "at least 1"),
        (["--families", "-3"], "at least 1"),
        (["--families", "abc"], "not a whole number"),
        (["--families", "5", "--district", "Atlantis"], "unknown district 'Atlantis'"),
        (["--families", "5", "--format", "docx"], "invalid choice: 'docx'"),
        (["--families", "5", "--seed", "-2"], "must be 0 or more"),
    ],
)
def test_cli_bad_input_is_one_clear_message_and_no_output(tmp_path, args, message):
    out = tmp_path / "out"
    r = run_cli("generate", *args, "--out", str(out))
    assert r.returncode != 0
    assert message in r.stderr
    assert "Traceback" not in r.stderr
    assert not out.exists()


@pytest.mark.skipif(os.geteuid() == 0 and sys.platform != "linux", reason="permissions")
def test_unwritable_output_folder(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        r = run_cli("generate", "--families", "5", "--out", str(locked / "sub"))
        if os.geteuid() == 0:
            # root ignores permission bits; use a path under a file instead
            (tmp_path / "afile").write_text("x")
            r = run_cli("generate", "--families", "5", "--out", str(tmp_path / "afile" / "sub"))
            assert "is a file" in r.stderr
        else:
            assert "permission denied" in r.stderr
        assert r.returncode != 0 and "Traceback" not in r.stderr
    finally:
        locked.chmod(0o700)


def test_existing_files_are_never_overwritten(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    original = out / "people.csv"
    original.write_text("my own notes\n", encoding="utf-8")
    r = run_cli("generate", "--families", "5", "--out", str(out))
    assert r.returncode != 0 and "already exist" in r.stderr
    assert original.read_text(encoding="utf-8") == "my own notes\n"
    assert sorted(p.name for p in out.iterdir()) == ["people.csv"]
    r = run_cli("generate", "--families", "5", "--out", str(out), "--overwrite")
    assert r.returncode == 0


def test_excel_row_limit_refused_before_writing(tmp_path):
    big = pd.DataFrame({"family_id": ["HH0000001"] * EXCEL_MAX_ROWS})
    with pytest.raises(ExportError, match="more than an Excel sheet holds"):
        write_tables({"people": big}, tmp_path / "x", "xlsx")
    assert not (tmp_path / "x").exists()


def test_failure_midway_leaves_nothing_behind(tmp_path, monkeypatch):
    pop = simulator.simulate(10, seed=1)
    calls = {"n": 0}
    real = pd.DataFrame.to_csv

    def flaky(self, *a, **k):
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError(28, "No space left on device")
        return real(self, *a, **k)

    monkeypatch.setattr(pd.DataFrame, "to_csv", flaky)
    with pytest.raises(ExportError, match="No space left"):
        write_population(pop, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_failure_in_existing_folder_keeps_it_and_its_files(tmp_path, monkeypatch):
    out = tmp_path / "keep"
    out.mkdir()
    (out / "mine.txt").write_text("keep me")
    monkeypatch.setattr(pd.DataFrame, "to_csv", lambda *a, **k: (_ for _ in ()).throw(OSError(5, "I/O error")))
    with pytest.raises(ExportError):
        write_population(simulator.simulate(5, seed=1), out)
    assert sorted(p.name for p in out.iterdir()) == ["mine.txt"]


def test_cli_reports_a_broken_data_file_by_name(tmp_path):
    import shutil

    from simulator.model.config import DATA_DIR

    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    text = (data / "population.yaml").read_text(encoding="utf-8")
    (data / "population.yaml").write_text(text.replace("pregnancy_probability: 0.07", "pregnancy_probability: lots"),
                                          encoding="utf-8")
    r = run_cli("generate", "--families", "5", "--out", str(tmp_path / "o"), "--data-dir", str(data))
    assert r.returncode == 2
    assert "population.yaml" in r.stderr and "pregnancy_probability" in r.stderr
    assert not (tmp_path / "o").exists()


def test_cli_prints_journey_map_and_parent_card(tmp_path):
    pop = simulator.simulate(300, seed=4)
    case = simulate_timelines(pop).cases.case_id.iloc[0]
    r = run_cli("journey", "--case", case, "--seed", "4", "--out", str(tmp_path))
    assert r.returncode == 0, r.stderr
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted(f"{k}_{case}.{s}" for k in ("journey", "parent_card") for s in ("pdf", "png"))
    r = run_cli("journey", "--case", case, "--seed", "4", "--out", str(tmp_path))
    assert r.returncode == 2 and "already exist" in r.stderr
    calm = pop.households[pop.households.case_level.isin(["none", "routine"])].family_id.iloc[0]
    r = run_cli("journey", "--case", "JC" + calm[2:], "--seed", "4", "--out", str(tmp_path / "x"))
    assert r.returncode == 2 and "no yellow or red petal" in r.stderr
    r = run_cli("journey", "--case", "HH0000001", "--out", str(tmp_path / "y"))
    assert r.returncode == 2 and "JC0000001" in r.stderr and not (tmp_path / "y").exists()
