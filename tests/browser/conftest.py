"""Browser tests: the built book and every served activity, as a phone in a room without internet.

Debian's Chromium (/usr/bin/chromium) driven by Playwright; axe-core from npm
(tests/browser/node_modules, installed by ``make setup``). A missing browser, axe-core or
built book fails the run: these tests are never skipped.
"""

from __future__ import annotations

import os

import re
import socket
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from simulator.workshop import phone
from simulator.workshop.serve import ServeProcess

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "_build" / "screenshots"
AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
BOOK = ROOT / "_build" / "html"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server(ServeProcess):
    """The kit's server on a free port, from the repository's folder."""

    def __init__(self, *args: str, timeout: float = 600):
        self.port = free_port()
        super().__init__("--port", str(self.port), *args, cwd=ROOT)
        self.wait_ready(timeout)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    # The apps share a practice platform; the tests give them a fresh one, never the room's.
    os.environ["TERMTEM_WORKSHOP_DIR"] = str(tmp_path_factory.mktemp("workshop"))
    srv = Server("--host", "0.0.0.0", "--pool", "all=1", "--fill-delay", "2",
                 "--out", str(ROOT / "_build" / "serve-test"))
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(phone.CHROMIUM).exists():
        pytest.fail(f"{phone.CHROMIUM} is missing: the browser tests need Debian's chromium (make system-packages)")
    with sync_playwright() as p:
        b = phone.launch(p)
        yield b
        b.close()


@pytest.fixture(scope="session")
def book_url():
    if not (BOOK / "index.html").exists():
        pytest.fail(f"{BOOK}/index.html is missing: build the book first (make book-strict runs before these tests)")
    handler = partial(QuietHandler, directory=str(BOOK))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class Phone:
    """One page in a network-guarded context, with what it logged."""

    def __init__(self, browser, viewport):
        self.log = phone.PageLog()
        self.context = phone.new_context(browser, viewport=viewport, log=self.log)
        self.page = phone.watch(self.context.new_page(), self.log)
        self.viewport = viewport

    def screenshot(self, name: str, most_px: int = 8000) -> Path:
        """The page from the top, at most ``most_px`` CSS pixels tall (a long chapter stays viewable)."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}-{self.viewport['width']}.png"
        height = min(self.page.evaluate("document.scrollingElement.scrollHeight"), most_px)
        self.page.screenshot(path=str(path), full_page=True,
                             clip={"x": 0, "y": 0, "width": self.viewport["width"], "height": height})
        return path

    def assert_clean(self):
        assert self.log.blocked == [], f"requests that would leave the machine: {self.log.blocked}"
        assert self.log.page_errors == [], f"JavaScript errors: {self.log.page_errors}"
        assert self.log.console_errors == [], f"console errors: {self.log.console_errors}"

    def axe_serious(self, include: str | None = None) -> list[str]:
        """Serious or critical accessibility violations (axe-core) within ``include``."""
        if not AXE.exists():
            pytest.fail(f"{AXE} is missing: run make setup (npm ci --prefix tests/browser)")
        self.page.add_script_tag(path=str(AXE))
        context = f"document.querySelector({include!r})" if include else "document"
        results = self.page.evaluate(
            f"""async () => {{
                const r = await axe.run({context}, {{resultTypes: ['violations']}});
                return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                    .map(v => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '));
            }}"""
        )
        return results

    def horizontal_overflow(self) -> int:
        """How far the page, or anything in it that no scrolling box holds, reaches past the screen."""
        page = self.page.evaluate("document.scrollingElement.scrollWidth") - self.viewport["width"]
        loose = self.page.evaluate(
            """() => Math.max(0, ...[...document.querySelectorAll('main *, #rendered_cells *, article *')].filter(e => {
                   if (getComputedStyle(e).position === 'fixed') return false;
                   for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
                       const style = getComputedStyle(a);
                       if (style.overflowX !== 'visible' || style.position === 'fixed') return false;
                   }
                   return true;
               }).map(e => e.getBoundingClientRect().right - innerWidth))""")
        return max(page, round(loose))

    def close(self):
        self.context.close()


@pytest.fixture
def make_phone(browser):
    opened = []

    def make(viewport=phone.PHONE):
        p = Phone(browser, viewport)
        opened.append(p)
        return p

    yield make
    for p in opened:
        p.close()


THAI = re.compile("[\u0e00-\u0e7f]")
