import json
import os
import shutil
import subprocess
import sys

import pandas as pd
import pytest

import simulator
import simulator.cli as cli
from simulator.cli import main
from simulator.export import limits
from simulator.export.workbook import ANSWERS_FILE, WORKBOOK_FILE
from simulator.model.timelines import simulate_timelines

ALL_TABLES = ["households", "people", "indicators", "observations", "strengths", "petals", "events", "cases",
        "touch_points", "petals_after_service"]


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_help_is_thai_with_english_in_parentheses(capsys):
    code, out, _ = run(capsys, "generate", "--help")
    assert code == 0
    assert "วิธีใช้ (usage):" in out and "ตัวเลือก (options)" in out
    assert "จำนวนครัวเรือน" in out and "(number of households)" in out
    code, out, _ = run(capsys, "--help")
    assert code == 0 and "คำสั่ง (commands)" in out and "generate" in out


@pytest.mark.parametrize("args, thai, english", [
    (["--families", "0"], "ต้องมีอย่างน้อย 1", "at least 1"),
    (["--families", "-3"], "ต้องมีอย่างน้อย 1", "at least 1"),
    (["--families", "abc"], "ไม่ใช่จำนวนเต็ม", "not a whole number"),
    (["--families", "5", "--district", "Atlantis"], "ไม่รู้จักเขต", "unknown district 'Atlantis'"),
    (["--families", "5", "--format", "docx"], "ใช้ค่า 'docx' ไม่ได้", "invalid choice: 'docx'"),
    (["--families", "5", "--seed", "-2"], "ต้องเป็น 0 ขึ้นไป", "must be 0 or more"),
    (["--families", "5", "--colour", "red"], "ไม่รู้จักตัวเลือก", "unrecognized arguments"),
    ([], "ต้องระบุ --families", "the following arguments are required"),
])
def test_bad_input_is_one_thai_message_and_no_output(capsys, tmp_path, args, thai, english):
    out = tmp_path / "out"
    code, stdout, stderr = run(capsys, "generate", *args, "--out", str(out))
    assert code == 2
    assert stderr.startswith("ข้อผิดพลาด (error): ")
    assert thai in stderr and english in stderr
    assert stderr.count("ข้อผิดพลาด") == 1 and "Traceback" not in stderr and stdout == ""
    assert not out.exists()


def test_unknown_subcommand_is_refused_in_thai(capsys):
    code, _, err = run(capsys, "fly")
    assert code == 2 and "ใช้ค่า 'fly' ไม่ได้" in err and "generate" in err


def test_success_lists_every_file_written(capsys, tmp_path):
    out = tmp_path / "o"
    code, stdout, stderr = run(capsys, "generate", "--families", "30", "--seed", "2", "--out", str(out))
    assert code == 0 and stderr == ""
    assert stdout.startswith(f"เขียนไฟล์แล้ว 10 ไฟล์ในโฟลเดอร์ {out}")
    for name in ALL_TABLES:
        assert f"  {out / (name + '.csv')}\n" in stdout
    pop = simulator.simulate(30, seed=2)
    assert f"ครัวเรือน (households) 30," in stdout and f"บุคคล (people) {len(pop.people):,}," in stdout
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{n}.csv" for n in ALL_TABLES)


def test_xlsx_writes_the_trainee_workbook_and_the_answer_key(capsys, tmp_path):
    out = tmp_path / "o"
    code, stdout, _ = run(capsys, "generate", "--families", "20", "--out", str(out), "--format", "xlsx")
    assert code == 0
    assert sorted(p.name for p in out.iterdir()) == sorted([WORKBOOK_FILE, ANSWERS_FILE])
    assert str(out / WORKBOOK_FILE) in stdout and str(out / ANSWERS_FILE) in stdout
    assert "เฉลยสำหรับวิทยากร" in stdout


@pytest.mark.parametrize("name", ["ลาดกระบัง", "เขตลาดกระบัง", " เขต ลาดกระบัง ", "Lat Krabang", "lat krabang",
                                  "LATKRABANG", "Lat Krabang District", "khet lat krabang"])
def test_district_in_any_usual_spelling(capsys, tmp_path, name):
    code, _, err = run(capsys, "generate", "--families", "30", "--seed", "4", "--district", name,
                       "--out", str(tmp_path / "o"))
    assert code == 0, err
    households = pd.read_csv(tmp_path / "o" / "households.csv", encoding="utf-8-sig")
    assert set(households.district) == {"ลาดกระบัง"}
    canonical = simulator.simulate(30, seed=4, districts=["ลาดกระบัง"])
    assert households.family_id.tolist() == canonical.households.family_id.tolist()
    assert households.community.tolist() == canonical.households.community.astype(str).tolist()


@pytest.mark.parametrize("typo, nearest", [("Lat Krabnag", "ลาดกระบัง (Lat Krabang)"),
                                           ("ลาดกระบงั", "ลาดกระบัง (Lat Krabang)"),
                                           ("bangna", "บางนา (Bang Na)"),
                                           ("เขตจตุจัก", "จตุจักร (Chatuchak)")])
def test_unknown_district_suggests_the_nearest_names(capsys, tmp_path, typo, nearest):
    if typo == "bangna":  # spaces do not matter, so this one is simply right
        code, _, err = run(capsys, "generate", "--families", "5", "--district", typo, "--out", str(tmp_path / "o"))
        assert code == 0, err
        return
    code, _, err = run(capsys, "generate", "--families", "5", "--district", typo, "--out", str(tmp_path / "o"))
    assert code == 2 and nearest in err and "did you mean" in err
    assert not (tmp_path / "o").exists()


def test_too_many_families_for_memory_is_refused_before_any_work(capsys, tmp_path, monkeypatch):
    two_gb = 2 * 2**30
    monkeypatch.setattr(limits, "available_memory", lambda: two_gb)
    monkeypatch.setattr(cli, "simulate", lambda *a, **k: pytest.fail("simulated despite the refusal"))
    most = limits.max_families_for_memory(two_gb, "csv")
    assert 100_000 < most < 1_000_000
    code, stdout, err = run(capsys, "generate", "--families", "1000000", "--out", str(tmp_path / "o"))
    assert code == 2 and stdout == ""
    assert "หน่วยความจำ" in err and f"{most:,}" in err and "not enough memory" in err
    assert not (tmp_path / "o").exists()
    assert limits.memory_needed(most, "csv") <= two_gb < limits.memory_needed(most + 1, "csv")


def test_memory_estimate_covers_a_real_run(tmp_path):
    script = (
        "import json, resource, sys\n"
        "from simulator.cli import main\n"
        "code = main(['generate', '--families', '20000', '--seed', '1', '--out', sys.argv[1]])\n"
        "print(json.dumps([code, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024]))\n"
    )
    r = subprocess.run([sys.executable, "-c", script, str(tmp_path / "o")], capture_output=True, text=True,
                       env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    code, peak = json.loads(r.stdout.strip().splitlines()[-1])
    assert code == 0
    assert peak <= limits.memory_needed(20_000, "csv")


def test_available_memory_is_read_from_the_system():
    available = limits.available_memory()
    assert available is not None and available > 2**26


def test_xlsx_over_the_sheet_limit_is_refused_before_generating(capsys, tmp_path, monkeypatch):
    sizes = []
    real = cli.simulate

    def recording(families, *a, **k):
        sizes.append(families)
        return real(families, *a, **k)

    monkeypatch.setattr(cli, "simulate", recording)
    code, _, err = run(capsys, "generate", "--families", "400000", "--format", "xlsx", "--out", str(tmp_path / "o"))
    assert code == 2 and "Excel" in err and "events" in err and "--format csv" in err
    assert max(sizes) == limits.PILOT_FAMILIES  # only the pilot, never the 400,000
    most = int(err.split("ใช้ xlsx ได้ไม่เกินราว ")[1].split()[0].replace(",", ""))
    pilot = real(limits.PILOT_FAMILIES, seed=0)
    events_per_family = len(simulate_timelines(pilot).events) / limits.PILOT_FAMILIES
    assert most * events_per_family < limits.EXCEL_MAX_ROWS < 1.3 * most * events_per_family
    assert not (tmp_path / "o").exists()


def test_existing_files_are_never_overwritten(capsys, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    original = out / "people.csv"
    original.write_text("my own notes\n", encoding="utf-8")
    code, _, err = run(capsys, "generate", "--families", "5", "--out", str(out))
    assert code == 2 and "มีไฟล์ผลลัพธ์อยู่แล้ว" in err and "already exist" in err
    assert original.read_text(encoding="utf-8") == "my own notes\n"
    assert sorted(p.name for p in out.iterdir()) == ["people.csv"]
    code, _, _ = run(capsys, "generate", "--families", "5", "--out", str(out), "--overwrite")
    assert code == 0


def test_unwritable_output_folder(capsys, tmp_path):
    if os.geteuid() == 0:  # root ignores permission bits; a path under a file fails for everyone
        (tmp_path / "afile").write_text("x")
        code, _, err = run(capsys, "generate", "--families", "5", "--out", str(tmp_path / "afile" / "sub"))
        assert code == 2 and "เป็นไฟล์" in err and "is a file" in err
        return
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        code, _, err = run(capsys, "generate", "--families", "5", "--out", str(locked / "sub"))
        assert code == 2 and "ไม่มีสิทธิ์เขียน" in err and "permission denied" in err
    finally:
        locked.chmod(0o700)


def test_broken_data_file_is_named(capsys, tmp_path):
    from simulator.model.config import DATA_DIR

    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    text = (data / "population.yaml").read_text(encoding="utf-8")
    (data / "population.yaml").write_text(text.replace("pregnancy_probability: 0.07", "pregnancy_probability: lots"),
                                          encoding="utf-8")
    code, _, err = run(capsys, "generate", "--families", "5", "--out", str(tmp_path / "o"), "--data-dir", str(data))
    assert code == 2
    assert "ไฟล์ข้อมูลมีปัญหา" in err and "population.yaml" in err and "pregnancy_probability" in err
    assert not (tmp_path / "o").exists()


def test_journey_cards_and_their_refusals(capsys, tmp_path):
    pop = simulator.simulate(300, seed=4)
    case = simulate_timelines(pop).cases.case_id.iloc[0]
    code, out, err = run(capsys, "journey", "--case", case, "--seed", "4", "--out", str(tmp_path))
    assert code == 0, err
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted(f"{k}_{case}.{s}" for k in ("journey", "parent_card") for s in ("pdf", "png"))
    assert out.startswith("เขียนไฟล์แล้ว 4 ไฟล์") and all(str(tmp_path / n) in out for n in names)
    code, _, err = run(capsys, "journey", "--case", case, "--seed", "4", "--out", str(tmp_path))
    assert code == 2 and "already exist" in err
    calm = pop.households[pop.households.case_level.isin(["none", "routine"])].family_id.iloc[0]
    code, _, err = run(capsys, "journey", "--case", "JC" + calm[2:], "--seed", "4", "--out", str(tmp_path / "x"))
    assert code == 2 and "ไม่มีกลีบสีเหลืองหรือแดง" in err and "no yellow or red petal" in err
    code, _, err = run(capsys, "journey", "--case", "HH0000001", "--out", str(tmp_path / "y"))
    assert code == 2 and "JC0000001" in err and not (tmp_path / "y").exists()


def test_flower_card_takes_a_district_in_thai_with_its_prefix(capsys, tmp_path):
    code, out, err = run(capsys, "flower", "--family", "HH0000002", "--district", "เขตบางนา", "--out", str(tmp_path))
    assert code == 0, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["flower_HH0000002.pdf", "flower_HH0000002.png"]
    code, _, err = run(capsys, "flower", "--family", "HH0000002", "--district", "Bang Nah", "--out", str(tmp_path / "z"))
    assert code == 2 and "บางนา (Bang Na)" in err


def test_module_entry_point_runs_without_a_traceback(tmp_path):
    r = subprocess.run([sys.executable, "-m", "simulator", "generate", "--families", "abc", "--out", str(tmp_path)],
                       capture_output=True, text=True)
    assert r.returncode == 2 and "ไม่ใช่จำนวนเต็ม" in r.stderr and "Traceback" not in r.stderr
    r = subprocess.run([sys.executable, "-m", "simulator", "generate", "--families", "12", "--out",
                        str(tmp_path / "ok")], capture_output=True, text=True)
    assert r.returncode == 0 and "เขียนไฟล์แล้ว 10 ไฟล์" in r.stdout
