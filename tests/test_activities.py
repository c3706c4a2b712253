"""Every activity notebook follows the kit's lesson structure and stays thin."""

import json
from pathlib import Path

import pytest

from simulator.workshop.activities import REQUIRED_SECTIONS_TH, activity_notebooks, guide_notebooks, read_activity
from simulator.workshop.serve import guides_dir_of

ACTIVITIES = Path(__file__).parent.parent / "activities"
# The activities and the guide chapters with exercises (book/district) follow the same lesson structure.
NOTEBOOKS = sorted(ACTIVITIES.glob("[0-9][0-9]_*.ipynb")) + sorted(guide_notebooks(guides_dir_of(ACTIVITIES)).values())


def test_delivered_activities_exist_and_numbers_are_unique():
    found = activity_notebooks(ACTIVITIES)
    assert {3, 4, 5, 6, 7, 9, 10, 11, 12, 13} <= set(found)
    assert set(guide_notebooks(guides_dir_of(ACTIVITIES))) == {"district"}
    assert read_activity(found[3]).total_minutes == 60
    assert all(read_activity(found[n]).workshops == [2] for n in (10, 11, 12))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_has_the_lesson_sections_in_thai(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    text = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    for section in REQUIRED_SECTIONS_TH:
        assert section in text, f"{path.name} lacks the section {section}"
    info = read_activity(path)
    assert info.title_th in text and info.title_en in text
    assert f"{info.teaching_minutes} นาที" in text and f"{info.exercise_minutes} นาที" in text
    assert ":class: dropdown" in text, "instructor notes must be collapsible"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_thin_seeded_and_hides_code_in_the_book(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    first = "".join(code[0]["source"])
    assert "import" in first and "SEED =" in first, "imports and an explicit seed come first"
    for cell in code:
        source = "".join(cell["source"])
        logic = [ln for ln in source.splitlines() if ln.strip() and not ln.startswith(("import ", "from "))]
        assert len(logic) <= 8, "logic belongs in simulator/, not in the notebook"
        assert "def " not in source and "class " not in source
        tags = cell.get("metadata", {}).get("tags", [])
        assert any(t in tags for t in ("hide-input", "remove-input", "remove-cell")), source[:60]


@pytest.mark.parametrize("meta, message", [
    ({"activity": 6, "guide": "district"}, "either activity"),
    ({}, "either activity"),
    ({"guide": "province"}, "unknown guide 'province'"),
    ({"activity": 6, "workshops": []}, "at least one workshop"),
])
def test_metadata_is_an_activity_or_a_guide(tmp_path, meta, message):
    from simulator.model.config import ConfigError

    base = {"title_th": "ทดสอบ", "title_en": "Test", "teaching_minutes": 5, "exercise_minutes": 5, "workshops": [1]}
    path = tmp_path / "x.ipynb"
    path.write_text(json.dumps({"cells": [], "metadata": {"termtem": {**base, **meta}}}), encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        read_activity(path)
