"""The committee's monthly report: PDCA items and their follow-up counted by hand on a tiny world,
the one-page A4 figure, and ``python -m simulator report`` end to end.

The hand-built world has six districts in three zones and one case per family. Two batches of
complex cases: the November batch noticed on 20 Oct 2025 (its 14 days for a plan end on 3 Nov,
its 30 days for a service on 19 Nov), the December batch noticed on 20 Nov 2025 (4 Dec and
20 Dec). Every case is notified the day it is noticed and acknowledged the next day.

============  ===============  ======================  ======================
district      zone             plan within 14 days      service within 30 days
                               Nov      Dec             Nov      Dec
============  ===============  ======================  ======================
พระนคร        กรุงเทพกลาง      0/8      6/8             2/8      0/8
ดุสิต          กรุงเทพกลาง      6/8      8/8             6/8      2/8
ลาดกระบัง      กรุงเทพตะวันออก  7/8      8/8             8/8      4/8
มีนบุรี         กรุงเทพตะวันออก  8/8      8/8             8/8      8/8
บางแค         กรุงธนใต้         0/3      -               0/3      -
หนองแขม       กรุงธนใต้         6/6      -               6/6      -
============  ===============  ======================  ======================

City: plan in November 27/41 = 65.9% (red against 90 +- 10), December 30/32 = 93.75% (green);
service in November 30/41 = 73.2% (amber against 80 +- 10), December 14/32 = 43.75% (red).
บางแค rests on 3 cases, so it is hidden (and หนองแขม beside it, the only other district of its
zone): it is never named, although it is the worst. Acknowledgement: the December batch's
notifications fall due in November (7 days for a complex case), all on time: 100%, green.
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import openpyxl
import pandas as pd
import pytest

from simulator.cli import main
from simulator.dashboards import report as rp
from simulator.dashboards.committee import ScorecardSpec, load_scorecard
from simulator.dashboards.tables import DashboardData, read_tables
from simulator.model.config import DATA_DIR, ConfigError
from tests.test_figure_layout import layout_problems

NOV, DEC = pd.Period("2025-11", "M"), pd.Period("2025-12", "M")
A, B, C, D, E, F = "พระนคร", "ดุสิต", "ลาดกระบัง", "มีนบุรี", "บางแค", "หนองแขม"
ZONE = {A: "กรุงเทพกลาง", B: "กรุงเทพกลาง", C: "กรุงเทพตะวันออก", D: "กรุงเทพตะวันออก", E: "กรุงธนใต้",
        F: "กรุงธนใต้"}
# district -> {batch: (cases, plans on time, services on time)}
BATCHES = {A: {"nov": (8, 0, 2), "dec": (8, 6, 0)}, B: {"nov": (8, 6, 6), "dec": (8, 8, 2)},
           C: {"nov": (8, 7, 8), "dec": (8, 8, 4)}, D: {"nov": (8, 8, 8), "dec": (8, 8, 8)},
           E: {"nov": (3, 0, 0)}, F: {"nov": (6, 6, 6)}}
# batch -> (noticed, plan on time, plan late, service on time, service late)
DATES = {"nov": ("2025-10-20", "2025-10-25", "2025-11-25", "2025-11-05", "2025-12-10"),
         "dec": ("2025-11-20", "2025-11-25", "2025-12-28", "2025-12-05", "2025-12-30")}
STAGE = {"onset": "referral", "noticed": "referral", "notified": "referral", "acknowledged": "referral",
         "plan_meeting": "plan", "service_started": "in_service"}
MARK = "•"


def world() -> DashboardData:
    households, children, cases, events = [], [], [], []
    n = 0
    for district, batches in BATCHES.items():
        for batch, (count, plans, services) in batches.items():
            noticed, plan_ok, plan_late, service_ok, service_late = map(pd.Timestamp, DATES[batch])
            for k in range(count):
                n += 1
                family, case = f"HH{n:07d}", f"JC{n:07d}"
                households.append({"family_id": family, "zone": ZONE[district], "district": district,
                                   "community": f"ชุมชน{district}", "sandbox": False, "household_type": "two_parents"})
                children.append({"person_id": f"{family}-02", "family_id": family, "sex": "female",
                                 "birth_date": pd.Timestamp("2015-01-01")})
                plan = plan_ok if k < plans else plan_late
                service = service_ok if k < services else service_late
                dates = {"onset": noticed - pd.Timedelta(days=5), "noticed": noticed, "notified": noticed,
                         "acknowledged": noticed + pd.Timedelta(days=1), "plan_meeting": plan,
                         "service_started": service}
                for event, day in dates.items():
                    events.append({"case_id": case, "family_id": family, "date": day, "stage": STAGE[event],
                                   "dimension": None if event == "plan_meeting" else "social",
                                   "actor_role": "volunteer", "event": event})
                cases.append({"case_id": case, "family_id": family, "case_level": "complex", "dimensions": "social",
                              "onset_date": dates["onset"], "noticed_date": noticed, "first_notified_date": noticed,
                              "plan_date": plan, "consent_date": plan, "service_start_date": service,
                              "goals_planned": 1, "goals_met": 0, "outcome": "in_service"})
    petals = pd.DataFrame([{"family_id": h["family_id"], **dict.fromkeys(
        ("child_social", "child_education", "child_health", "child_governance", "parent_social", "parent_education",
         "parent_health", "parent_governance"), "green"), "case_level": "complex"} for h in households])
    events = pd.DataFrame(events).sort_values(["case_id", "date"], kind="stable").reset_index(drop=True)
    return DashboardData(households=pd.DataFrame(households), children=pd.DataFrame(children), petals=petals,
                         cases=pd.DataFrame(cases), events=events, as_of=pd.Timestamp("2025-12-31"))


def spec(measures=None) -> ScorecardSpec:
    return ScorecardSpec.model_validate({
        "version": 1, "few_cases_below": 20, "few_cases_note_th": "ตัวเลขน้อย",
        "sandbox_vs_rest": {"plan_within_days": 60},
        "measures": measures or [
            {"id": "plan14", "name_th": "มีแผนภายใน {days} วัน", "compute": "plan_within", "params": {"days": 14},
             "unit": "%", "target": 90, "tolerance": 10, "higher_is_better": True,
             "action_th": "นัดประชุมวางแผนให้ครบ"},
            {"id": "service30", "name_th": "เริ่มบริการภายใน {days} วัน", "compute": "service_within",
             "params": {"days": 30}, "unit": "%", "target": 80, "tolerance": 10, "higher_is_better": True},
            {"id": "ack", "name_th": "รับเรื่องภายในกำหนด", "compute": "acknowledged_within", "params": {},
             "unit": "%", "target": 80, "tolerance": 10, "higher_is_better": True},
        ]})


@pytest.fixture(scope="module")
def data():
    return world()


# ---------------------------------------------------------------------------------- PDCA items

def test_items_name_the_worst_publishable_districts(data):
    items = rp.pdca_items(data, NOV, spec=spec())
    # Red before amber; the green acknowledgement measure gives no item.
    assert list(items["measure_id"]) == ["plan14", "service30"] and list(items["item_no"]) == [1, 2]
    plan = items.iloc[0]
    assert plan["status"] == "red" and plan["value"] == pytest.approx(100 * 27 / 41)
    # พระนคร (0%) first; ดุสิต (75%, red) and ลาดกระบัง (87.5%, amber) after it; มีนบุรี is on target and
    # บางแค (0 of 3) is hidden, so neither is named.
    assert plan["districts"] == (A, B, C)
    assert plan["district_values"] == pytest.approx((0.0, 75.0, 87.5))
    assert plan["owner_level"] == "district" and plan["owner_th"] == f"ทีมคุ้มครองเด็กของเขต{A}, เขต{B} และเขต{C}"
    assert "65.9%" in plan["check_th"] and "เป้า ≥ 90%" in plan["check_th"] and "ห่างเป้า" in plan["check_th"]
    assert f"เขต{A} 0.0%" in plan["check_th"] and E not in plan["check_th"]
    assert "นัดประชุมวางแผนให้ครบ" in plan["act_th"] and plan["action_th"] == "นัดประชุมวางแผนให้ครบ"
    # Due at the meeting after the one that reads the November report: the second Tuesday of January.
    assert plan["due_date"] == pd.Timestamp("2026-01-13") and "13 ม.ค. 2569" in plan["due_th"]
    assert "13 ม.ค. 2569" in plan["act_th"]
    service = items.iloc[1]
    assert service["status"] == "amber" and service["value"] == pytest.approx(100 * 30 / 41)
    assert service["districts"] == (A, B)  # 25% and 75%; the others are on target, บางแค hidden
    assert pd.isna(service["action_th"]) and "รายงานผลในการประชุมครั้งหน้า" in service["act_th"]


def test_getting_worse_comes_first_and_green_gives_no_item(data):
    items = rp.pdca_items(data, DEC, spec=spec())
    # December: the service measure fell to 43.75% (red, worse); the plan measure is green now.
    assert list(items["measure_id"]) == ["service30"]
    row = items.iloc[0]
    assert row["change_is"] == "worse" and row["previous_value"] == pytest.approx(100 * 30 / 41)
    assert row["value"] == pytest.approx(43.75) and row["districts"] == (A, B, C)
    assert "แย่ลงจาก 73.2% เมื่อเดือนก่อน" in row["check_th"]


def test_at_most_five_items(data):
    many = [{"id": f"p{i}", "name_th": f"แผนชุด {i}", "compute": "plan_within", "params": {"days": 14}, "unit": "%",
             "target": 99, "tolerance": 1 + i, "higher_is_better": True} for i in range(7)]
    items = rp.pdca_items(data, NOV, spec=spec(many))
    assert len(items) == 5 and list(items["item_no"]) == [1, 2, 3, 4, 5]
    # All red and none worse: the furthest from target first (equal gaps keep the file's order).
    assert list(items["measure_id"]) == ["p0", "p1", "p2", "p3", "p4"]
    assert len(rp.pdca_items(data, NOV, spec=spec(many), most=2)) == 2


def test_providers_own_acknowledgement_with_their_weakest_dimension(data):
    late = spec([{"id": "ack", "name_th": "รับเรื่องภายในกำหนด", "compute": "acknowledged_within", "params": {},
                  "unit": "%", "target": 100, "tolerance": 0, "higher_is_better": True}])
    # Make two of พระนคร's December-batch social acknowledgements late (10 days instead of 1).
    d = world()
    late_cases = d.cases.loc[d.cases["noticed_date"] == pd.Timestamp("2025-11-20"), "case_id"].iloc[:2]
    events = d.events.copy()
    hit = events["case_id"].isin(late_cases) & (events["event"] == "acknowledged")
    events.loc[hit, "date"] = pd.Timestamp("2025-11-30")
    d = DashboardData(d.households, d.children, d.petals, d.cases, events, d.as_of)
    (row,) = rp.pdca_items(d, NOV, spec=late).itertuples(index=False)
    assert row.value == pytest.approx(100 * 30 / 32) and row.districts == (A,)
    assert row.owner_level == "providers" and row.owner_dimension == "social"
    assert row.owner_value == pytest.approx(75.0)  # พระนคร: 6 of 8 on time
    assert row.owner_th.startswith("ผู้ให้บริการด้านสังคม (") and row.owner_th.endswith(f"ของเขต{A}")


def test_follow_up_says_whether_each_measure_improved(data):
    previous = rp.pdca_items(data, NOV, spec=spec())
    check = rp.follow_up(previous, data, DEC, spec=spec())
    assert list(check["measure_id"]) == ["plan14", "service30"]
    plan, service = check.iloc[0], check.iloc[1]
    assert plan["improved"] and plan["change_is"] == "better" and plan["value_now"] == pytest.approx(93.75)
    assert plan["status_now"] == "green" and plan["district_change_is"] == ("better", "better", "better")
    assert "65.9% → 93.8% ดีขึ้น" in plan["result_th"] and "ดีขึ้น 3 จาก 3 เขต" in plan["result_th"]
    assert not service["improved"] and service["change_is"] == "worse"
    assert service["district_change_is"] == ("worse", "worse")  # 25% -> 0%, 75% -> 25%
    assert "ยังไม่ดีขึ้น (แย่ลง)" in service["result_th"]
    with pytest.raises(rp.ReportError, match="2025-11"):
        rp.follow_up(previous, data, NOV, spec=spec())
    assert rp.follow_up(previous.iloc[:0], data, DEC, spec=spec()).empty


@pytest.mark.parametrize("month, words", [
    ("2026-01", ["มกราคม 2569", "2026-01", "หลังวันสุดท้าย", "2025-12-31"]),
    ("2025-09", ["กันยายน 2568", "ไม่มีข้อมูล", "2025-10-15", "2025-12-31"]),
    ("2025-13", ["YYYY-MM", "2025-13"]),
])
def test_months_outside_the_data_are_refused_in_thai(data, month, words):
    with pytest.raises(rp.ReportError) as err:
        rp.pdca_items(data, month, spec=spec())
    for word in words:
        assert word in str(err.value)


def test_a_month_the_data_covers_only_in_part_is_refused():
    d = world()
    d = DashboardData(d.households, d.children, d.petals, d.cases, d.events, pd.Timestamp("2025-12-20"))
    with pytest.raises(rp.ReportError, match="ยังไม่ครบทั้งเดือน"):
        rp.pdca_items(d, DEC, spec=spec())


# ------------------------------------------------------------------------- scorecard.yaml

def test_every_kit_measure_has_a_suggested_action():
    card = load_scorecard()
    assert all(m.action_th for m in card.measures)
    assert card.meeting.day_in("2026-01") == pd.Timestamp("2026-01-13")  # the second Tuesday
    header = (DATA_DIR / "scorecard.yaml").read_text(encoding="utf-8").split("version:")[0]
    assert "action_th" in header and "meeting" in header


def test_the_scorecard_still_refuses_unknown_keys(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    text = (DATA_DIR / "scorecard.yaml").read_text(encoding="utf-8")
    (folder / "scorecard.yaml").write_text(text.replace("    action_th: ", "    action_thai: ", 1), encoding="utf-8")
    with pytest.raises(ConfigError, match="action_thai"):
        load_scorecard(folder)


# ----------------------------------------------------------------------------------- the page

def _check_page(fig):
    from simulator.figures import to_png

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a glyph missing from Sarabun raises here
        to_png(fig, dpi=100)
    assert tuple(fig.get_size_inches()) == pytest.approx((8.27, 11.69))
    texts = [t for t in fig.findobj(lambda a: hasattr(a, "get_fontname")) if t.get_text()]
    assert {t.get_fontname() for t in texts} == {"Sarabun"}
    words = [t.get_text() for t in texts]
    assert rp.REPORT_TITLE_TH in words and "ข้อมูลสมมติ (synthetic)" in words
    assert not layout_problems(fig)
    return words


def test_the_report_page_on_the_hand_built_world(data):
    fig = rp.monthly_report_figure(data, NOV, spec=spec())
    words = _check_page(fig)
    assert "ประจำเดือนพฤศจิกายน 2568" in words
    assert any(w.startswith("1. ■ มีแผนภายใน 14 วัน") for w in words)
    assert any("ห่างเป้า" in w for w in words) and any("ใกล้เป้า" in w for w in words)
    # October has no items (nothing fell due), so last month's follow-up says so.
    assert fig.termtem_follow_up is not None and fig.termtem_follow_up.empty


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """``generate --families 3000 --seed 1`` as csv and as parquet."""
    folders = {}
    for fmt in ("csv", "parquet"):
        folders[fmt] = tmp_path_factory.mktemp(fmt) / "data"
        assert main(["generate", "--families", "3000", "--seed", "1", "--out", str(folders[fmt]),
                     "--format", fmt]) == 0
    return folders


def test_the_report_page_is_one_a4_page_in_thai(generated):
    data = read_tables(generated["parquet"])
    fig = rp.monthly_report_figure(data, DEC)
    words = _check_page(fig)
    assert "ประจำเดือนธันวาคม 2568" in words
    assert "ตารางคะแนน (scorecard) ทั้งเมือง ธ.ค.\u00a02568" in words
    assert any(w.startswith("เรื่องที่ต้องติดตาม") for w in words)
    assert any("การคุ้มครองข้อมูล" in w and "1–5" in w for w in words)
    items = fig.termtem_items
    assert 1 <= len(items) <= 5 and set(items["status"]) <= {"red", "amber"}
    assert fig.termtem_follow_up is not None and len(fig.termtem_follow_up) >= 1
    # A district named in an item is never one the public tile map hides.
    by = rp.scorecard_by_district(rp._quick_ids(data), DEC)
    hidden = set(zip(by.loc[by["suppressed"], "district"], by.loc[by["suppressed"], "measure_id"]))
    assert not {(d, m) for m, ds in zip(items["measure_id"], items["districts"]) for d in ds} & hidden


# ----------------------------------------------------------------------------------- the CLI

def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b", pdf))


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_the_report_command_writes_three_files(capsys, tmp_path, generated, fmt):
    out = tmp_path / "out"
    code, stdout, stderr = run(capsys, "report", "--data", str(generated[fmt]), "--month", "2025-12", "--out", str(out))
    assert code == 0, stderr
    names = ["report_2025-12.pdf", "public_table_2025-12.csv", "public_table_2025-12.xlsx"]
    assert sorted(p.name for p in out.iterdir()) == sorted(names)
    assert stdout.startswith("เขียนไฟล์แล้ว 3 ไฟล์") and all(str(out / n) in stdout for n in names)
    pdf = (out / names[0]).read_bytes()
    assert pdf.startswith(b"%PDF") and _pages(pdf) == 1
    assert {f.split(b"+")[-1].split(b"-")[0] for f in re.findall(rb"/BaseFont\s*/(\S+)", pdf)} == {b"Sarabun"}
    raw = (out / names[1]).read_bytes()
    assert raw.startswith("\ufeff".encode())
    table = pd.read_csv(out / names[1], encoding="utf-8-sig")
    assert list(table.columns)[:2] == ["เขต", "ฉุกเฉิน (ราย)"] and "จำนวนเด็ก (คน)" in table.columns
    note = table.iloc[-1, 0]
    assert note.startswith("หมายเหตุ (note):") and "ข้อมูลสมมติ" in note and "1–5" in note
    body = table.iloc[:-1]
    assert len(body) == 51 and body.iloc[-1, 0] == "รวม"  # 50 districts and the total
    counts = body[[c for c in body.columns if c.endswith("(ราย)")]].to_numpy().ravel()
    numbers = [float(v) for v in counts if v != MARK]
    assert numbers and not any(1 <= v <= 5 for v in numbers)
    assert MARK in set(counts.astype(str))
    book = openpyxl.load_workbook(out / names[2])
    sheet = book.active
    cells = [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert any("ข้อมูลสมมติ" in c for c in cells) and any(c.startswith("หมายเหตุ (note):") and "1–5" in c
                                                           for c in cells)
    assert sheet["A1"].value.startswith("กรณีที่ยังเปิดอยู่ ณ วันที่ 31 ธ.ค. 2568")
    rows = list(sheet.iter_rows(min_row=6, values_only=True))
    shown = [v for row in rows for v in row[1:7:2] if v is not None]  # the three count columns
    assert MARK in shown and not any(isinstance(v, (int, float)) and 1 <= v <= 5 for v in shown)


def _refused(capsys, out, *args, thai: str, english: str = ""):
    code, stdout, stderr = run(capsys, "report", *args, "--out", str(out))
    assert code == 2 and stdout == ""
    assert stderr.startswith("ข้อผิดพลาด (error): ") and stderr.count("ข้อผิดพลาด") == 1
    assert thai in stderr and english in stderr and "Traceback" not in stderr
    return stderr


def test_bad_requests_are_refused_and_nothing_is_written(capsys, tmp_path, generated):
    out = tmp_path / "out"
    out.mkdir()
    mine = out / "my_notes.txt"
    mine.write_text("ของฉัน", encoding="utf-8")
    data = str(generated["csv"])
    _refused(capsys, out, "--data", data, "--month", "2025-13", thai="ต้องเขียนแบบ", english="is not YYYY-MM")
    err = _refused(capsys, out, "--data", data, "--month", "2026-02", thai="กุมภาพันธ์ 2569",
                   english="the data runs from")
    assert "2025-12-31" in err
    _refused(capsys, out, "--data", str(tmp_path / "nowhere"), "--month", "2025-12", thai="ไม่มีอยู่",
             english="no data folder")
    broken = tmp_path / "broken"
    broken.mkdir()
    for f in generated["csv"].iterdir():
        if f.name != "events.csv":
            (broken / f.name).symlink_to(f)
    _refused(capsys, out, "--data", str(broken), "--month", "2025-12", thai="ไม่พบตารางเหตุการณ์",
             english="events.parquet nor events.csv")
    _refused(capsys, out, "--month", "2025-12", thai="ต้องระบุ --data")
    assert sorted(p.name for p in out.iterdir()) == ["my_notes.txt"]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no staging folder left


def test_existing_report_files_are_never_overwritten_unless_asked(capsys, tmp_path, generated):
    out = tmp_path / "out"
    out.mkdir()
    mine = out / "my_notes.txt"
    mine.write_text("ของฉัน", encoding="utf-8")
    earlier = out / "public_table_2025-12.csv"
    earlier.write_text("earlier", encoding="utf-8")
    data = str(generated["parquet"])
    _refused(capsys, out, "--data", data, "--month", "2025-12", thai="มีไฟล์รายงานอยู่แล้ว 1 ไฟล์",
             english="already exist")
    assert earlier.read_text(encoding="utf-8") == "earlier"
    assert sorted(p.name for p in out.iterdir()) == ["my_notes.txt", "public_table_2025-12.csv"]
    code, _, err = run(capsys, "report", "--data", data, "--month", "2025-12", "--out", str(out), "--overwrite")
    assert code == 0, err
    assert earlier.read_bytes().startswith("\ufeff".encode()) and mine.read_text(encoding="utf-8") == "ของฉัน"
    assert len(list(out.iterdir())) == 4


def test_a_failed_write_leaves_nothing(tmp_path, data, monkeypatch):
    def broken(public, path):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(rp, "write_public_xlsx", broken)
    out = tmp_path / "new" / "out"
    with pytest.raises(rp.ReportError, match="No space left"):
        rp.write_monthly_report(data, NOV, out, spec=spec())
    assert list(tmp_path.iterdir()) == []  # no folder made, no staging folder left


def test_the_report_tables_add_up(generated):
    data = read_tables(generated["csv"])
    public = rp.public_table(rp._quick_ids(data), DEC)
    frame = rp.public_table_frame(public)
    assert list(frame["เขต"])[-1] == "รวม" and len(frame) == 51
    # Totals are published; the published district cells never exceed them.
    total = frame.iloc[-1]
    for column in ("ฉุกเฉิน (ราย)", "ซับซ้อน (ราย)"):
        shown = [v for v in frame[column].iloc[:-1] if v != MARK]
        assert sum(shown) <= total[column]
    assert np.isclose(total["รวม (ราย)"], total["ฉุกเฉิน (ราย)"] + total["ซับซ้อน (ราย)"])


def test_thai_views_of_items_and_follow_up(data):
    items = rp.pdca_items(data, NOV, spec=spec())
    shown = rp.pdca_items_th(items)
    assert list(shown.columns)[:3] == ["ลำดับ", "ตัวชี้วัด", "สถานะ"]
    assert list(shown["สถานะ"]) == ["ห่างเป้า", "ใกล้เป้า"] and shown.loc[0, "ระดับผู้รับผิดชอบ"] == "ทีมเขต (district)"
    check = rp.follow_up_th(rp.follow_up(items, data, DEC, spec=spec()))
    assert list(check.columns) == ["ลำดับ", "ตัวชี้วัด", "ผลการติดตาม (Check)"]
