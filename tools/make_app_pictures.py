"""Picture each exercise's first state for the static book: ``python tools/make_app_pictures.py``.

The book cannot run a widget, so under each exercise it shows what a trainee's phone shows when the
activity opens. This tool starts the workshop server (``python -m simulator serve`` on 127.0.0.1 with one
kernel per activity and its apps built in a temporary folder), opens each activity's app at phone width
(412 CSS px, device scale 2, network limited to this machine: ``simulator.workshop.phone``), waits until
the exercise widget has rendered and its fonts and images have loaded, and saves the widget's top-level box
(without the empty image placeholders that fill in only after a button is pressed), the full width of the screen and at most ``MAX_HEIGHT`` CSS px tall, to ``activities/images/NN_first_state.png``
(a second widget of the same app to ``NN_first_state_2.png``; a guide chapter's pictures go to the ``images``
folder beside its notebook, e.g. ``book/district/images/district_first_state.png``).
Each picture is written to a temporary file and renamed, so none is ever half-written; the server and its
kernels are stopped at the end, also on error or Ctrl-C.

Usage: ``python tools/make_app_pictures.py [--port 8873] [NN|guide ...]`` (activity numbers or guide ids;
default all with a ready text below). Rerun it and look at the pictures whenever a widget's first screen changes.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from simulator.workshop.activities import activity_notebooks, guide_notebooks  # noqa: E402
from simulator.workshop.serve import APP_TAG, ServeProcess, app_url, guides_dir_of  # noqa: E402

ACTIVITIES = ROOT / "activities"
IMAGES = ACTIVITIES / "images"
# The button each app shows once its (last) exercise widget is ready to be used.
READY_TEXT = {1: "ลงชื่อเข้าห้อง", 2: "เริ่มทำ", 3: "ตรวจคำตอบ", 4: "ลงทะเบียน", 5: "เข้าสู่ระบบ", 9: "เข้าสู่ระบบ", 6: "ตรวจการจัดระดับ", 7: "ดูผล", 8: "เข้าสู่ระบบ", 10: "ตรวจแผน", 11: "ตรวจแผน", 12: "คุยกับผู้ปกครอง",
              13: "ตรวจคำตอบ", "district": "ตรวจร่างแผน"}
WIDGET_CALL = re.compile(r"\b\w+Widget\(")
# The exercise widget: the top-level ipywidgets box that is a cell's output (the last one on the page).
WIDGET = ".jp-OutputArea-output > .widget-vbox"
MAX_HEIGHT = 1800  # CSS px: a readable phone screen, not a whole scroll of the page
SERVER_TIMEOUT = 600  # seconds for Voila and its preheated kernels
APP_TIMEOUT_MS = 120_000


def served_notebooks() -> dict[int | str, Path]:
    """Activity number or guide id -> notebook, for everything ``make serve`` serves."""
    return {**activity_notebooks(ACTIVITIES), **guide_notebooks(guides_dir_of(ACTIVITIES))}


def picture_path(key: int | str, index: int = 0) -> Path:
    """The picture of the ``index``-th exercise widget (from 0) of an activity or guide's app."""
    suffix = f"_{index + 1}" if index else ""
    if isinstance(key, int):
        return IMAGES / f"{key:02d}_first_state{suffix}.png"
    return guides_dir_of(ACTIVITIES) / "images" / f"{key}_first_state{suffix}.png"


def widget_cells(cells: list[dict]) -> list[int]:
    """Indexes of the code cells tagged ``app`` that build an exercise widget."""
    def source(cell):
        return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]

    return [i for i, c in enumerate(cells)
            if c["cell_type"] == "code" and APP_TAG in c.get("metadata", {}).get("tags", [])
            and WIDGET_CALL.search(source(c))]


def widget_count(path: Path) -> int:
    return len(widget_cells(json.loads(path.read_text(encoding="utf-8"))["cells"]))


def wait_rendered(page, widget, timeout_ms: float = APP_TIMEOUT_MS) -> None:
    """Wait until the widget's fonts and images have loaded and its size has stopped changing."""
    page.evaluate("document.fonts.ready.then(() => true)")
    widget.evaluate("""(box) => Promise.all([...box.querySelectorAll('img')].map(img => img.complete
        ? true : new Promise(done => { img.onload = img.onerror = done; })))""")
    deadline = time.monotonic() + timeout_ms / 1000
    last, steady_since = None, None
    while True:
        box = widget.bounding_box()
        size = (round(box["width"]), round(box["height"])) if box else None
        if size and size == last:
            steady_since = steady_since or time.monotonic()
            if time.monotonic() - steady_since >= 1.5:
                return
        else:
            last, steady_since = size, None
        if time.monotonic() > deadline:
            raise RuntimeError(f"the widget kept changing size for {timeout_ms / 1000:.0f} s")
        page.wait_for_timeout(250)


def save_atomically(png: bytes, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=".png", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(png)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def picture(browser, url: str, ready_text: str, target: Path, index: int = 0, count: int = 1) -> tuple[int, int]:
    """Save the first state of the ``index``-th of the app's ``count`` exercise widgets (the last
    ``count`` widget boxes on the page); return the picture's CSS size."""
    from simulator.workshop import phone

    context = phone.new_context(browser, viewport=phone.PHONE)
    try:
        page = phone.watch(context.new_page(), context.termtem_log)
        phone.open_app(page, url, ready_text, timeout_ms=APP_TIMEOUT_MS)
        boxes = page.locator(WIDGET)
        boxes.last.wait_for(state="visible", timeout=APP_TIMEOUT_MS)
        widget = boxes.nth(boxes.count() - count + index)
        widget.wait_for(state="visible", timeout=APP_TIMEOUT_MS)
        wait_rendered(page, widget)
        # An ipywidgets Image that is filled only after a button is pressed (the true flower, the real journey,
        # the parent card) is empty at first, and Chromium draws an empty image as a broken-image icon: hide it.
        widget.evaluate("""(box) => box.querySelectorAll('img').forEach(img => {
            if (!img.naturalWidth) { img.style.display = 'none'; } })""")
        wait_rendered(page, widget)
        widget.scroll_into_view_if_needed()
        page.evaluate("window.scrollTo(0, 0)")
        top = widget.evaluate("(box) => box.getBoundingClientRect().top + window.scrollY")
        height = min(widget.evaluate("(box) => box.getBoundingClientRect().height"), MAX_HEIGHT)
        width = page.viewport_size["width"]
        png = page.screenshot(full_page=True, animations="disabled", caret="hide",
                              clip={"x": 0, "y": top, "width": width, "height": height})
        log = context.termtem_log
        if log.blocked:
            raise RuntimeError(f"{url} asked for another site: {log.blocked[:3]}")
        if log.page_errors:
            raise RuntimeError(f"{url}: JavaScript errors {log.page_errors[:3]}")
        save_atomically(png, target)
        return width, round(height)
    finally:
        context.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8873)
    parser.add_argument("activities", nargs="*", help="activity numbers or guide ids (default: all)")
    args = parser.parse_args(argv)
    notebooks = {n: p for n, p in served_notebooks().items() if n in READY_TEXT}
    wanted = [int(a) if a.isdigit() else a for a in args.activities] or list(notebooks)
    unknown = [n for n in wanted if n not in notebooks]
    if unknown:
        parser.error(f"no app picture is defined for activities {unknown} (known: {sorted(notebooks)})")

    from playwright.sync_api import sync_playwright

    from simulator.workshop import phone

    with tempfile.TemporaryDirectory(prefix="termtem-pictures-") as out:
        server = ServeProcess("--host", "127.0.0.1", "--port", str(args.port), "--pool", "all=1",
                              "--fill-delay", "1", "--out", str(Path(out) / "serve"), cwd=ROOT)
        base = f"http://127.0.0.1:{args.port}/"
        try:
            server.wait_ready(SERVER_TIMEOUT)
            with sync_playwright() as playwright:
                browser = phone.launch(playwright)
                try:
                    for key in wanted:
                        count = widget_count(notebooks[key])
                        for index in range(count):
                            target = picture_path(key, index)
                            size = picture(browser, base + app_url(notebooks[key]), READY_TEXT[key], target,
                                           index, count)
                            print(f"{target.relative_to(ROOT)}: {size[0]}x{size[1]} CSS px")
                finally:
                    browser.close()
        finally:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
