"""The static book shows each exercise's first screen, and the served apps carry no MyST syntax.

A widget needs a running kernel, so the book shows a phone picture of it instead (made by
``tools/make_app_pictures.py``), in a markdown cell right after the widget cell. That cell is not tagged
``app``: it is in the book and in Jupyter, not in the app a phone opens, and it tells the reader how to open
the live exercise. The cells tagged ``app`` become the phone app, which renders plain Markdown only.
"""

from __future__ import annotations

import importlib.util
import json
import re
import struct
from pathlib import Path

import pytest

from simulator.workshop.activities import activity_notebooks, read_activity
from simulator.workshop.serve import APP_TAG, MYST_SYNTAX, app_notebook, app_url, load_serve_settings

ROOT = Path(__file__).resolve().parent.parent
ACTIVITIES = ROOT / "activities"
NOTEBOOKS = list(activity_notebooks(ACTIVITIES).values())
PHONE_WIDTH = 412
SCALE = 2
IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)\s]+)\)")
MYST = MYST_SYNTAX  # one pattern, the one app_notebook enforces


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


check = _load("check_built_book", ROOT / "tools" / "check_built_book.py")
pictures = _load("make_app_pictures", ROOT / "tools" / "make_app_pictures.py")
SERVED = list(pictures.served_notebooks().values())  # the activities and the guide chapters


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _tags(cell: dict) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def _source(cell: dict) -> str:
    return "".join(cell["source"])


widget_cells = pictures.widget_cells


def key_of(path: Path):
    info = read_activity(path)
    return info.activity if info.activity is not None else info.guide


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR", f"{path.name} is not a PNG image"
    return struct.unpack(">II", data[16:24])


def trailing_blank_rows(path: Path) -> int:
    """Rows at the bottom of the picture that are all the colour of its bottom-right pixel."""
    from PIL import Image, ImageChops

    with Image.open(path) as image:
        image = image.convert("RGB")
        width, height = image.size
        blank = Image.new("RGB", (width, 1), image.getpixel((width - 1, height - 1)))
        rows = 0
        for y in range(height - 1, -1, -1):
            if ImageChops.difference(image.crop((0, y, width, y + 1)), blank).getbbox():
                break
            rows += 1
    return rows


def test_every_served_exercise_has_a_widget_cell_and_a_picture_tool_entry():
    found = {key_of(p): p for p in SERVED if widget_cells(_cells(p))}
    assert {3, 4, 5, 6, 7, 9, 10, 11, 12, 13, "district"} <= set(found)
    assert set(found) <= set(pictures.READY_TEXT), "tools/make_app_pictures.py needs a ready text for each widget"


@pytest.mark.parametrize("path", [p for p in SERVED if widget_cells(_cells(p))], ids=lambda p: p.name)
def test_the_book_shows_the_first_state_after_each_widget_and_says_how_to_open_it(path):
    cells = _cells(path)
    info = read_activity(path)
    port = load_serve_settings().port
    for nth, index in enumerate(widget_cells(cells)):
        # The widget cell stays as it is: it runs in Jupyter and Voila, the book shows no empty box for it.
        assert "remove-output" in _tags(cells[index])
        assert index + 1 < len(cells), f"{path.name}: nothing after the widget cell"
        after = cells[index + 1]
        assert after["cell_type"] == "markdown" and APP_TAG not in _tags(after), \
            f"{path.name}: the cell after the widget must be a markdown cell not tagged {APP_TAG!r}"
        assert after.get("id"), "every cell has an id"
        text = _source(after)
        images = IMAGE.findall(text)
        assert len(images) == 1, f"{path.name}: one plain markdown image of the first state"
        alt, src = images[0]
        assert src == pictures.picture_path(key_of(path), nth).relative_to(path.parent).as_posix()
        assert check.THAI.search(alt) and not check.FILE_LIKE.search(alt), f"{path.name}: Thai alt text, no file name"
        picture = path.parent / src
        assert picture.is_file(), f"{picture} is missing: run tools/make_app_pictures.py"
        width, height = png_size(picture)
        assert width == PHONE_WIDTH * SCALE, f"{picture.name} is {width} px wide, not a {PHONE_WIDTH} px phone at scale 2"
        assert height <= pictures.MAX_HEIGHT * SCALE, f"{picture.name} is taller than a readable phone screen"
        assert trailing_blank_rows(picture) <= 40 * SCALE, f"{picture.name} ends in empty space"
        # How to open the live exercise: the trainer's server, the app's own path, or the notebook in Jupyter.
        assert "make serve" in text and "QR" in text and f":{port}/" in text
        assert app_url(path) in text and info.label_th in text
        assert f"jupyter lab {path.relative_to(ROOT).as_posix()}" in text


@pytest.mark.parametrize("path", SERVED, ids=lambda p: p.name)
def test_no_app_markdown_contains_myst_syntax(path):
    for cell in _cells(path):
        if cell["cell_type"] == "markdown" and APP_TAG in _tags(cell):
            found = MYST.findall(_source(cell))
            assert not found, f"{path.name}: the served app would show MyST syntax as text: {found}"
    for cell in app_notebook(path)["cells"]:
        if cell["cell_type"] == "markdown":
            assert not MYST.search(_source(cell)), f"{path.name}: MyST syntax in the served app"
            assert not IMAGE.search(_source(cell)), f"{path.name}: the book's picture must not be in the served app"


@pytest.mark.parametrize("text", ["```{note}\nx\n```", ":::{note}\nx\n:::", "ดู {ref}`activity-03`", "{term}`กลีบดอก`",
                                  "(activity-03)=\n# กิจกรรม", "{doc}`../book/welcome`"])
def test_myst_pattern_catches_directives_roles_and_labels(text):
    assert MYST.search(text)


@pytest.mark.parametrize("text", ["1. เลือกระดับ แล้วกด **ตรวจคำตอบ**", "ดู (ตัวเอียง) ว่า", "`{type}` ในโค้ด", "a = {}"])
def test_myst_pattern_leaves_plain_markdown_alone(text):
    assert not MYST.search(text)
