"""A phone in a room without internet, simulated with Playwright and Debian's Chromium.

Used by the browser tests, the 40-phone benchmark and the tool that pictures each exercise
for the static book. Every page opened here runs with the network limited to this machine:
a request for any other host is refused and recorded, so a test can fail on it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

CHROMIUM = os.environ.get("TERMTEM_CHROMIUM", "/usr/bin/chromium")
# Chromium's own background traffic (updates, sync, safe browsing) would reach for the internet.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-default-apps", "--disable-extensions",
    "--disable-features=Translate,MediaRouter,OptimizationHints", "--dns-prefetch-disable",
]
PHONE = {"width": 412, "height": 915}
SMALL_PHONE = {"width": 360, "height": 780}
DESKTOP = {"width": 1280, "height": 900}
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}


class NoBrowserError(RuntimeError):
    """Chromium is not installed where the kit expects it."""


def launch(playwright, **options):
    """Start headless Debian Chromium (Playwright cannot download its own browser here)."""
    if not Path(CHROMIUM).exists():
        raise NoBrowserError(f"{CHROMIUM} not found: install Debian's chromium package (make system-packages)")
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True, **options)


@dataclass
class PageLog:
    """What a page did that a test may fail on."""

    blocked: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)


def is_local(url: str) -> bool:
    parsed = urlparse(url)
    if parsed.scheme in ("data", "blob", "about", "file"):
        return True
    return parsed.hostname in LOCAL_HOSTS


def new_context(browser, viewport=PHONE, log: PageLog | None = None, **options):
    """A browser context at ``viewport`` whose requests may only reach this machine."""
    phone = viewport["width"] < 800
    context = browser.new_context(viewport=viewport, device_scale_factor=2 if phone else 1, is_mobile=phone,
                                  has_touch=phone, locale="th-TH", timezone_id="Asia/Bangkok", **options)
    log = log if log is not None else PageLog()

    def guard(route):
        if is_local(route.request.url):
            route.continue_()
        else:
            log.blocked.append(route.request.url)
            route.abort("internetdisconnected")

    context.route("**/*", guard)
    context.termtem_log = log
    return context


def watch(page, log: PageLog):
    page.on("console", lambda m: log.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: log.page_errors.append(str(e)))
    return page


def used_fonts(page, selector: str) -> dict[str, int]:
    """Font family -> glyphs Chromium actually drew for the first element matching ``selector``."""
    cdp = page.context.new_cdp_session(page)
    try:
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        if not node:
            raise LookupError(f"no element matches {selector!r}")
        fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    finally:
        cdp.detach()
    found: dict[str, int] = {}
    for font in fonts:
        found[font["familyName"]] = found.get(font["familyName"], 0) + font["glyphCount"]
    return found


def open_app(page, url: str, ready_text: str, timeout_ms: float = 60_000):
    """Open an activity app and wait until the button ``ready_text`` can be tapped."""
    page.goto(url, wait_until="domcontentloaded", timeout=timeout_ms)
    button = page.locator("button.jupyter-button", has_text=ready_text).first
    button.wait_for(state="visible", timeout=timeout_ms)
    return button
