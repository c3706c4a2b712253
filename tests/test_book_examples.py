"""Figures the data-schema chapter quotes are the ones the kit produces today.

When a data file or the model changes, these tests name the sentence to update,
so the book never shows a reader numbers the simulator no longer gives.
"""

import re
from pathlib import Path

import simulator
from simulator.cli import main

CHAPTER = Path(__file__).resolve().parent.parent / "book" / "reference" / "data_schema.md"


def chapter() -> str:
    return CHAPTER.read_text(encoding="utf-8")


def test_the_quoted_generate_output_is_what_the_command_prints(tmp_path, capsys):
    out = tmp_path / "gen_csv"
    assert main(["generate", "--families", "300", "--seed", "1", "--out", str(out)]) == 0
    printed = capsys.readouterr().out.replace(str(out), "/tmp/gen_csv")
    assert "python -m simulator generate --families 300 --seed 1 --out /tmp/gen_csv" in chapter()
    assert f"```text\n{printed}```" in chapter(), "update the generate example in data_schema.md"


def test_the_quoted_case_counts_are_todays():
    pop = simulator.simulate(3000, seed=1)
    levels = simulator.simulate_timelines(pop).cases.case_level.astype(str).value_counts()
    total = int(levels.sum())
    sentence = (f"มี {total:,} กรณีจาก 3,000 ครัวเรือน\n  (`complex` {levels['complex']:,} กรณี "
                f"และ `emergency` {levels['emergency']:,} กรณี)")
    assert sentence in chapter(), f"update the case counts of simulate(3000, seed=1) to: {sentence}"


def test_the_quoted_share_of_true_volunteer_reports_is_todays():
    obs = simulator.simulate(20_000, seed=0).observations
    share = obs.loc[obs.source == "volunteer", "is_true"].mean()
    quoted = re.search(r"20,000 ครอบครัวด้วย seed 0 รายงานของอาสาสมัครที่เป็นจริงมีเพียงราว (\d+)%", chapter())
    assert quoted, "the chapter no longer quotes the share of true volunteer reports"
    assert abs(int(quoted.group(1)) - 100 * share) < 1, f"update the quoted share to {100 * share:.0f}%"


def test_the_data_files_table_lists_every_data_file():
    rows = set(re.findall(r"^\| `([a-z_]+\.yaml)` \|", chapter(), flags=re.M))
    files = {p.name for p in (Path(simulator.__file__).parent / "data").glob("*.yaml")}
    assert files <= rows, f"the chapter's table of editable data files lacks {sorted(files - rows)}"
