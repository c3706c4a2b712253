"""Benchmark: a room of phones opening activity 3 together on ``python -m simulator serve``.

Run with ``make bench-serve`` (or ``python benchmarks/bench_serve.py --phones 4`` while developing).
The script starts the server itself on 127.0.0.1 with a preheated pool of one kernel per phone
for activity 3 and none for the other activities, and a fill delay longer than the run so no
replacement kernel starts while phones are measured. Then one headless Debian Chromium opens
``--phones`` phone-sized browser contexts at the same moment (asyncio.gather). Each phone:

* first screen: from navigation start until the ตรวจคำตอบ button is visible and the note and
  petal <select>s exist;
* fills the answer (a petal for each note, a colour for each of the 8 petals, a case level) and
  taps ตรวจคำตอบ;
* feedback: from the tap until "ขั้นที่ 1: กลีบของบันทึก" is visible (then the flower image must
  show too).

Every request to a host other than this machine is aborted and counted. Memory (RSS summed over
the server's process tree, and over Chromium's) is sampled every 0.5 s. The JSON summary is
printed and written to ``--out``. The exit code is non-zero when a phone failed, a request was
blocked or a goal was missed (p95 first screen <= 10 s, p95 feedback <= 1 s, peak memory <= 12 GB).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import shutil
import signal
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from simulator.workshop.serve import ServeProcess  # noqa: E402

APP_PATH = "voila/render/03_petal_analysis.ipynb"
ACTIVITY = 3
PORTS = range(8880, 8890)
READY_MARK = "พร้อมแล้ว"
CHECK_TEXT = "ตรวจคำตอบ"
FEEDBACK_TEXT = "ขั้นที่ 1: กลีบของบันทึก"
NOTE_PROMPT = "เลือกกลีบ"      # first option of each note's <select>
COLOUR_PROMPT = "เลือกสี"       # first option of each petal's <select>
CASE_PROMPT = "เลือกระดับของกรณี"
COLOURS = ["เขียว (ปกติ)", "เหลือง (ซับซ้อน)", "แดง (เร่งด่วน)"]
PETAL_COUNT = 8
# Longest fill delay serve.yaml accepts: refilling the pool starts 10 minutes after a phone takes
# a kernel, far after the measurement ends.
FILL_DELAY_SECONDS = 600.0
SAMPLE_SECONDS = 0.5
GOALS = {  # name: (measure in the result, limit, unit)
    "first_screen_p95_le_10s": (("first_screen_seconds", "p95"), 10.0),
    "feedback_p95_le_1s": (("feedback_seconds", "p95"), 1.0),
    "peak_total_le_12gb": (("peak_total_mb",), 12 * 1024.0),
}
MB = 1024 * 1024


# ---- pure parts (tested in tests/test_bench_serve.py) -------------------------------

def percentile(values, q: float) -> float | None:
    """The q-th percentile (0-100) with linear interpolation between ranks, as numpy's default."""
    if not 0 <= q <= 100:
        raise ValueError(f"percentile {q} is not within 0-100")
    data = sorted(float(v) for v in values)
    if not data:
        return None
    position = (len(data) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(data) - 1)
    return data[low] + (data[high] - data[low]) * (position - low)


def summary(values) -> dict:
    values = list(values)
    if not values:
        return {"p50": None, "p95": None, "max": None, "n": 0}
    return {"p50": round(percentile(values, 50), 3), "p95": round(percentile(values, 95), 3),
            "max": round(max(values), 3), "n": len(values)}


def _lookup(result: dict, path: tuple):
    value = result
    for key in path:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def evaluate_goals(result: dict) -> dict:
    """Each goal with its limit, the measured value and whether it passed (a missing value fails)."""
    goals = {}
    for name, (path, limit) in GOALS.items():
        value = _lookup(result, path)
        goals[name] = {"measure": ".".join(path), "limit": limit, "value": value,
                       "pass": value is not None and value <= limit}
    return goals


@dataclass
class PhoneResult:
    phone: int
    first_screen: float | None = None
    feedback: float | None = None
    feedback_in_page: float | None = None
    flower: float | None = None
    html: float | None = None        # navigation start -> the page's HTML fully received
    loaded: float | None = None      # navigation start -> DOMContentLoaded (Voila's scripts parsed)
    widgets: float | None = None     # navigation start -> the first widget drawn
    scripts: float | None = None     # navigation start -> the last script file received
    socket_open: float | None = None     # navigation start -> the kernel's websocket open
    socket_first: float | None = None    # navigation start -> the kernel's first message
    page_kb: float | None = None     # bytes the phone downloaded for its first screen (HTML, scripts, styles, fonts)
    requests: int | None = None      # requests made for its first screen
    notes: int = 0
    error: str | None = None
    first_screen_at: float | None = None  # time.perf_counter() when the first screen was ready


@dataclass
class Memory:
    peak_server_mb: float = 0.0
    peak_browser_mb: float = 0.0
    peak_total_mb: float = 0.0
    peak_system_used_mb: float = 0.0  # the whole machine's used memory (RSS sums count shared pages again)
    samples: int = 0
    mean_server_cpu_percent: float | None = None
    mean_browser_cpu_percent: float | None = None
    peak_server_cpu_percent: float | None = None
    mean_kernels_cpu_percent: float | None = None


def build_result(phones: list[PhoneResult], memory: Memory, *, kernel_mb: float | None, kernels: int,
                 server_idle_mb: float | None, ready_seconds: float | None, blocked: list[str],
                 settings: dict, machine: dict, run_seconds: float | None = None) -> dict:
    ok = [p for p in phones if p.error is None]
    failed = [p for p in phones if p.error is not None]
    result = {
        "phones": len(phones),
        "failures": {"count": len(failed), "reasons": [{"phone": p.phone, "reason": p.error} for p in failed]},
        "first_screen_seconds": summary(p.first_screen for p in ok),
        "feedback_seconds": summary(p.feedback for p in ok),
        "feedback_in_page_seconds": summary(p.feedback_in_page for p in ok if p.feedback_in_page is not None),
        "flower_seconds": summary(p.flower for p in ok if p.flower is not None),
        # Where the first screen's time goes, from navigation start (in-page clock).
        "first_screen_parts_seconds": {
            "html_received": summary(p.html for p in ok if p.html is not None),
            "dom_content_loaded": summary(p.loaded for p in ok if p.loaded is not None),
            "scripts_received": summary(p.scripts for p in ok if p.scripts is not None),
            "kernel_socket_open": summary(p.socket_open for p in ok if p.socket_open is not None),
            "kernel_first_message": summary(p.socket_first for p in ok if p.socket_first is not None),
            "first_widget": summary(p.widgets for p in ok if p.widgets is not None),
        },
        "first_screen_download_kb": summary(p.page_kb for p in ok if p.page_kb is not None),
        "first_screen_requests": summary(p.requests for p in ok if p.requests is not None),
        "peak_server_mb": round(memory.peak_server_mb, 1),
        "peak_browser_mb": round(memory.peak_browser_mb, 1),
        "peak_total_mb": round(memory.peak_total_mb, 1),
        "peak_system_used_mb": round(memory.peak_system_used_mb, 1),
        "kernel_mb": None if kernel_mb is None else round(kernel_mb, 1),
        "kernels_ready": kernels,
        "server_idle_mb": None if server_idle_mb is None else round(server_idle_mb, 1),
        "server_ready_seconds": None if ready_seconds is None else round(ready_seconds, 1),
        "run_seconds": None if run_seconds is None else round(run_seconds, 1),
        "blocked_requests": {"count": len(blocked), "examples": sorted(set(blocked))[:10]},
        "cpu": {"mean_server_percent": memory.mean_server_cpu_percent,
                "peak_server_percent": memory.peak_server_cpu_percent,
                "mean_kernels_percent": memory.mean_kernels_cpu_percent,
                "note": "percent of one core; the machine has cpu_count cores",
                "mean_browser_percent": memory.mean_browser_cpu_percent},
        "memory_samples": memory.samples,
        "settings": settings,
        "machine": machine,
    }
    result["goals"] = evaluate_goals(result)
    return result


def problems(result: dict) -> list[str]:
    """Why the run is not a pass; empty when every phone worked, nothing was blocked and goals were met."""
    found = []
    if result["failures"]["count"]:
        found.append(f"{result['failures']['count']} of {result['phones']} phones failed")
    if result["blocked_requests"]["count"]:
        found.append(f"{result['blocked_requests']['count']} requests to other hosts were blocked")
    for name, goal in result["goals"].items():
        if not goal["pass"]:
            found.append(f"goal {name} missed: {goal['measure']} = {goal['value']} (limit {goal['limit']})")
    return found


def write_json(result: dict, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(result, f, ensure_ascii=False, indent=2)
            f.write("\n")
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# ---- processes and memory -------------------------------------------------------------

def tree(pid: int) -> list:
    import psutil

    try:
        parent = psutil.Process(pid)
        return [parent, *parent.children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def rss_mb(processes) -> float:
    import psutil

    total = 0
    for p in processes:
        try:
            total += p.memory_info().rss
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            pass
    return total / MB


def unique_mb(processes) -> dict | None:
    """Mean PSS and USS of idle kernels: RSS counts the libraries they share once per kernel."""
    import psutil

    pss, uss = [], []
    for p in processes:
        try:
            info = p.memory_full_info()
            pss.append(info.pss / MB)
            uss.append(info.uss / MB)
        except (psutil.NoSuchProcess, psutil.AccessDenied, AttributeError):
            pass
    if not pss:
        return None
    return {"pss_mb": round(sum(pss) / len(pss), 1), "uss_mb": round(sum(uss) / len(uss), 1)}


def cpu_seconds(processes) -> float:
    import psutil

    total = 0.0
    for p in processes:
        try:
            t = p.cpu_times()
            total += t.user + t.system
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            pass
    return total


def cpu_used(series, start: float, end: float) -> tuple[float, float] | None:
    """CPU seconds (server, browser) spent between two moments, from cumulative samples."""
    before = [x for x in series if x[0] <= start]
    after = [x for x in series if x[0] >= end]
    if not before or not after:
        return None
    a, b = before[-1], after[0]
    return b[1] - a[1], b[2] - a[2]


def is_kernel(proc) -> bool:
    try:
        return "ipykernel_launcher" in " ".join(proc.cmdline())
    except Exception:
        return False


def browser_processes(exclude_pid: int) -> list:
    """Chromium's processes: descendants of this script (via Playwright's driver), not the server's."""
    import psutil

    excluded = {p.pid for p in tree(exclude_pid)}
    found = []
    for p in psutil.Process(os.getpid()).children(recursive=True):
        if p.pid in excluded:
            continue
        try:
            if "chrom" in p.name().lower() or "chrom" in " ".join(p.cmdline()[:1]).lower():
                found.append(p)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            pass
    return found


class Sampler(threading.Thread):
    """RSS (and CPU) of the server tree and of Chromium every SAMPLE_SECONDS, in its own thread."""

    def __init__(self, server_pid: int):
        super().__init__(daemon=True)
        self.server_pid = server_pid
        self.memory = Memory()
        self._halt = threading.Event()
        self._known: dict[int, object] = {}
        self._cpu_server: list[float] = []
        self._cpu_kernels: list[float] = []
        self.cpu_seconds: list[tuple[float, float, float]] = []  # (perf_counter, server, browser) cumulative
        self._cpu_browser: list[float] = []

    def _cpu(self, processes) -> float:
        import psutil

        total = 0.0
        for p in processes:
            known = self._known.setdefault(p.pid, p)
            try:
                total += known.cpu_percent(None)  # since this process's previous sample
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                pass
        return total

    def sample(self) -> None:
        server = tree(self.server_pid)
        browser = browser_processes(self.server_pid)
        s, b = rss_mb(server), rss_mb(browser)
        m = self.memory
        m.peak_server_mb = max(m.peak_server_mb, s)
        m.peak_browser_mb = max(m.peak_browser_mb, b)
        m.peak_total_mb = max(m.peak_total_mb, s + b)
        import psutil

        vm = psutil.virtual_memory()
        m.peak_system_used_mb = max(m.peak_system_used_mb, (vm.total - vm.available) / MB)
        m.samples += 1
        self.cpu_seconds.append((time.perf_counter(), cpu_seconds(server), cpu_seconds(browser)))
        kernels = [p for p in server if is_kernel(p)]
        others = [p for p in server if p not in kernels]
        k = self._cpu(kernels)
        self._cpu_kernels.append(k)
        self._cpu_server.append(k + self._cpu(others))
        self._cpu_browser.append(self._cpu(browser))

    def run(self) -> None:
        while not self._halt.is_set():
            try:
                self.sample()
            except Exception:  # a process ending between listing and reading it
                pass
            self._halt.wait(SAMPLE_SECONDS)

    def finish(self) -> Memory:
        self._halt.set()
        self.join(5)
        # The first CPU reading of each process is 0 (no interval yet): drop the first sample.
        server, browser = self._cpu_server[1:], self._cpu_browser[1:]
        if server:
            self.memory.mean_server_cpu_percent = round(sum(server) / len(server), 1)
            self.memory.peak_server_cpu_percent = round(max(server), 1)
            kernels = self._cpu_kernels[1:]
            self.memory.mean_kernels_cpu_percent = round(sum(kernels) / len(kernels), 1)
        if browser:
            self.memory.mean_browser_cpu_percent = round(sum(browser) / len(browser), 1)
        return self.memory


def free_port(host: str = "127.0.0.1") -> int:
    from simulator.workshop.serve import port_is_free

    for port in PORTS:
        if port_is_free(host, port):
            return port
    raise SystemExit(f"no free port in {PORTS.start}-{PORTS.stop - 1}")


# ---- the phones ---------------------------------------------------------------------

SELECTS_READY_JS = """([note, colour, petals]) => {
  const first = s => (s.options.length ? s.options[0].text : '');
  const all = [...document.querySelectorAll('select')];
  return all.some(s => first(s).includes(note)) && all.filter(s => first(s).includes(colour)).length === petals;
}"""

WATCH_FEEDBACK_JS = """([button, text]) => {
  window.__termtem = {click: null, done: null};
  const done = () => [...document.querySelectorAll('h4')].some(h => h.textContent.trim() === text);
  const obs = new MutationObserver(() => {
    if (window.__termtem.done === null && done()) { window.__termtem.done = performance.now(); obs.disconnect(); }
  });
  obs.observe(document.body, {childList: true, subtree: true, characterData: true});
  const b = [...document.querySelectorAll('button.jupyter-button')].find(x => x.textContent.includes(button));
  b.addEventListener('click', () => { window.__termtem.click = performance.now(); }, {capture: true, once: true});
}"""


NAVIGATION_JS = """() => {
  const n = performance.getEntriesByType('navigation')[0];
  const seen = window.__termtem_widget;
  const at = v => (v === undefined || v === null ? null : v / 1000);
  const scripts = performance.getEntriesByType('resource').filter(r => r.initiatorType === 'script');
  const k = window.__termtem_socket || {};
  return {html: at(n.responseEnd), loaded: at(n.domContentLoadedEventEnd), widgets: at(seen),
          scripts: scripts.length ? at(Math.max(...scripts.map(r => r.responseEnd))) : null,
          socket_open: at(k.open), socket_first: at(k.first),
          bytes: [n, ...performance.getEntriesByType('resource')].reduce((t, r) => t + (r.transferSize || 0), 0),
          requests: 1 + performance.getEntriesByType('resource').length};
}"""

# Installed before any page script: the moment the first ipywidgets view enters the page.
FIRST_WIDGET_JS = """(() => {
  const obs = new MutationObserver(() => {
    if (document.querySelector('.jupyter-widgets, .widget-box')) { window.__termtem_widget = performance.now(); obs.disconnect(); }
  });
  document.addEventListener('DOMContentLoaded', () => obs.observe(document.body, {childList: true, subtree: true}));
  // When the kernel's websocket opens and its first message arrives (listeners only, nothing changed).
  const Native = window.WebSocket;
  window.__termtem_socket = {};
  window.WebSocket = function (url, protocols) {
    const ws = protocols === undefined ? new Native(url) : new Native(url, protocols);
    if (String(url).includes('/api/kernels/')) {
      const k = window.__termtem_socket;
      ws.addEventListener('open', () => { if (k.open === undefined) k.open = performance.now(); });
      ws.addEventListener('message', () => { if (k.first === undefined) k.first = performance.now(); });
    }
    return ws;
  };
  window.WebSocket.prototype = Native.prototype;
  Object.assign(window.WebSocket, {CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3});
})();"""


async def _select_kinds(page):
    """The note, petal and case <select>s, told apart by their first (prompt) option."""
    notes, petals, cases = [], [], []
    selects = page.locator("select")
    for i in range(await selects.count()):
        s = selects.nth(i)
        first = await s.locator("option").first.text_content()
        if NOTE_PROMPT in first:
            notes.append(s)
        elif COLOUR_PROMPT in first:
            petals.append(s)
        elif CASE_PROMPT in first:
            cases.append(s)
    return notes, petals, cases


async def new_phone(browser, blocked: list[str]):
    """One phone: a context at the phone's size whose requests may only reach this machine."""
    from simulator.workshop import phone

    context = await browser.new_context(viewport=phone.PHONE, device_scale_factor=2, is_mobile=True,
                                        has_touch=True, locale="th-TH", timezone_id="Asia/Bangkok")

    async def guard(route):
        if phone.is_local(route.request.url):
            await route.continue_()
        else:
            blocked.append(route.request.url)
            await route.abort("internetdisconnected")

    async def refuse_socket(ws):
        blocked.append(ws.url)
        await ws.close()

    await context.route("**/*", guard)
    await context.route_web_socket(lambda u: not phone.is_local(u), refuse_socket)
    await context.add_init_script(FIRST_WIDGET_JS)
    return context, await context.new_page()


async def run_phone(number: int, context, page, url: str, timeout: float) -> PhoneResult:
    result = PhoneResult(number)
    rng = random.Random(number)
    ms = timeout * 1000
    stage = "opening"
    try:
        t0 = time.perf_counter()
        await page.goto(url, wait_until="domcontentloaded", timeout=ms)
        stage = "first screen"
        button = page.locator("button.jupyter-button", has_text=CHECK_TEXT).first
        await button.wait_for(state="visible", timeout=ms)
        await page.wait_for_function(SELECTS_READY_JS, arg=[NOTE_PROMPT, COLOUR_PROMPT, PETAL_COUNT],
                                     polling=100, timeout=ms)
        result.first_screen_at = time.perf_counter()
        result.first_screen = result.first_screen_at - t0
        marks = await page.evaluate(NAVIGATION_JS)
        result.html, result.loaded = marks["html"], marks["loaded"]
        result.widgets, result.scripts = marks["widgets"], marks["scripts"]
        result.socket_open, result.socket_first = marks["socket_open"], marks["socket_first"]
        result.page_kb, result.requests = marks["bytes"] / 1024, marks["requests"]

        stage = "filling the answer"
        notes, petals, cases = await _select_kinds(page)
        result.notes = len(notes)
        if not notes or len(petals) != PETAL_COUNT or len(cases) != 1:
            raise RuntimeError(f"expected note selects, {PETAL_COUNT} petal selects and 1 case select; "
                               f"found {len(notes)}, {len(petals)}, {len(cases)}")
        for s in notes:
            await s.select_option(index=rng.randint(1, await s.locator("option").count() - 1), timeout=ms)
        for s in petals:
            await s.select_option(label=rng.choice(COLOURS), timeout=ms)
        await cases[0].select_option(index=rng.randint(1, await cases[0].locator("option").count() - 1),
                                     timeout=ms)

        stage = "feedback"
        await page.evaluate(WATCH_FEEDBACK_JS, [CHECK_TEXT, FEEDBACK_TEXT])
        t1 = time.perf_counter()
        await button.click(timeout=ms)
        try:
            await page.get_by_text(FEEDBACK_TEXT, exact=True).first.wait_for(state="visible", timeout=ms)
        except Exception:
            shown = [m.strip() for m in await page.locator(".widget-html-content").all_text_contents()
                     if "ยังไม่" in m][:1]
            raise RuntimeError(f"no feedback within {timeout:.0f} s" + (f"; page says {shown[0]!r}" if shown else ""))
        result.feedback = time.perf_counter() - t1
        marks = await page.evaluate("() => window.__termtem")
        if marks and marks.get("click") is not None and marks.get("done") is not None:
            result.feedback_in_page = max(0.0, (marks["done"] - marks["click"]) / 1000)

        stage = "flower"
        await page.wait_for_function(
            "() => [...document.querySelectorAll('img.termtem-picture')].some(i => i.naturalWidth > 0)",
            polling=100, timeout=ms)
        result.flower = time.perf_counter() - t1
    except Exception as exc:
        text = str(exc).strip().splitlines()
        result.error = f"{stage}: {type(exc).__name__}: {text[0] if text else ''}"[:300]
        if result.first_screen is None:
            try:  # how far the page got: HTML, scripts, kernel socket, first widget (seconds from navigation)
                marks = await asyncio.wait_for(page.evaluate(NAVIGATION_JS), 10)
                result.error += " [page had: " + ", ".join(
                    f"{k} {v:.1f}" for k, v in marks.items() if v is not None and k not in ("bytes", "requests")) + "]"
            except Exception:
                pass
    finally:
        try:
            await context.close()
        except Exception:
            pass
    return result


async def _after(delay: float, job):
    await asyncio.sleep(delay)
    return await job


async def run_phones(phones: int, url: str, timeout: float, blocked: list[str],
                     arrive_over: float = 0.0) -> list[PhoneResult]:
    from playwright.async_api import async_playwright

    from simulator.workshop import phone

    if not Path(phone.CHROMIUM).exists():
        raise SystemExit(f"{phone.CHROMIUM} not found: install Debian's chromium package")
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=phone.CHROMIUM, args=phone.CHROMIUM_ARGS, headless=True)
        try:
            # Every phone is made first, then all of them open the activity at the same moment
            # (or, with arrive_over, one after another spread evenly over that many seconds).
            made = await asyncio.gather(*(new_phone(browser, blocked) for _ in range(phones)))
            return list(await asyncio.gather(*(_after(arrive_over * i / phones, run_phone(i, context, page, url, timeout))
                                               for i, (context, page) in enumerate(made))))
        finally:
            await browser.close()


# ---- main -----------------------------------------------------------------------------

def machine() -> dict:
    import psutil

    return {"cpu_count": os.cpu_count(), "total_memory_mb": round(psutil.virtual_memory().total / MB),
            "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
            "python": platform.python_version(), "platform": platform.platform()}


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description="N phones open activity 3 together on the served apps.")
    parser.add_argument("--phones", type=int, default=40, help="phones (browser contexts) and kernels (default 40)")
    parser.add_argument("--out", default="bench-out/serve.json", help="JSON result (default bench-out/serve.json)")
    parser.add_argument("--port", type=int, help="port within 8880-8889 (default: the first free one)")
    parser.add_argument("--timeout", type=float, default=180, help="seconds a phone may wait at each stage (180)")
    parser.add_argument("--arrive-over", type=float, default=0.0,
                        help="spread the phones' arrivals evenly over this many seconds (default 0: all together)")
    parser.add_argument("--ready-timeout", type=float, default=600, help="seconds to wait for the server (600)")
    parser.add_argument("--fill-delay", type=float, default=FILL_DELAY_SECONDS,
                        help=f"seconds before the pool refills (default {FILL_DELAY_SECONDS:.0f}, longer than a run)")
    parser.add_argument("--keep-site", action="store_true", help="keep the temporary site and serve.log")
    args = parser.parse_args(argv)
    if not 1 <= args.phones <= 80:
        parser.error("--phones must be 1-80 (the largest pool serve.yaml accepts)")
    if args.port is not None and args.port not in PORTS:
        parser.error(f"--port must be within {PORTS.start}-{PORTS.stop - 1}")
    return args


def _interrupt(signum, frame):
    raise KeyboardInterrupt  # so that a kill (SIGTERM) stops the server too, as Ctrl-C does


def main(argv=None) -> int:
    signal.signal(signal.SIGTERM, _interrupt)
    args = parse_args(argv)
    host = machine()
    port = args.port or free_port()
    url = f"http://127.0.0.1:{port}/{APP_PATH}"
    work = Path(tempfile.mkdtemp(prefix="termtem-bench-serve-"))
    settings = {"phones": args.phones, "host": "127.0.0.1", "port": port, "url": url,
                "pool": {"all": 0, str(ACTIVITY): args.phones}, "fill_delay_seconds": args.fill_delay,
                "phone_timeout_seconds": args.timeout, "arrive_over_seconds": args.arrive_over, "viewport": {"width": 412, "height": 915},
                "device_scale_factor": 2, "memory_sample_seconds": SAMPLE_SECONDS, "serve_out": str(work / "site")}
    serve_args = ["--host", "127.0.0.1", "--port", str(port), "--pool", "all=0", "--pool", f"{ACTIVITY}={args.phones}",
                  "--fill-delay", str(args.fill_delay), "--out", str(work / "site")]
    server = None
    sampler = None
    blocked: list[str] = []
    try:
        print(f"starting the server: -m simulator serve {' '.join(serve_args)}", flush=True)
        server = ServeProcess(*serve_args, cwd=ROOT, log_path=work / "serve.log")
        ready = server.wait_ready(args.ready_timeout)
        print(f"server ready in {ready:.1f} s", flush=True)
        family = tree(server.process.pid)
        kernels = [p for p in family if is_kernel(p)]
        kernel_mb = rss_mb(kernels) / len(kernels) if kernels else None
        kernel_shared = unique_mb(kernels)
        server_idle = rss_mb(family)
        sampler = Sampler(server.process.pid)
        sampler.sample()  # the baseline of the CPU seconds, before any phone starts
        system_before = sampler.memory.peak_system_used_mb
        start = time.perf_counter()
        sampler.start()
        phones = asyncio.run(run_phones(args.phones, url, args.timeout, blocked, args.arrive_over))
        run_seconds = time.perf_counter() - start
        running, sampler = sampler, None
        memory = running.finish()
        ready_at = [p.first_screen_at for p in phones if p.first_screen_at is not None]
        used = cpu_used(running.cpu_seconds, start, max(ready_at)) if ready_at else None
        whole = cpu_used(running.cpu_seconds, start, running.cpu_seconds[-1][0]) if running.cpu_seconds else None
    finally:
        try:
            if sampler is not None:
                sampler.finish()
        finally:  # the server is stopped whatever failed before
            if server is not None:
                # A second Ctrl-C must not cut the stopping short and leave kernels running.
                previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
                try:
                    server.stop()
                finally:
                    signal.signal(signal.SIGINT, previous)
            if not args.keep_site:
                shutil.rmtree(work, ignore_errors=True)
    result = build_result(phones, memory, kernel_mb=kernel_mb, kernels=len(kernels), server_idle_mb=server_idle,
                          ready_seconds=ready, blocked=blocked, settings=settings, machine=host,
                          run_seconds=run_seconds)
    result["settings"]["server_log_tail"] = [line.rstrip("\n") for line in server.lines[-3:]]
    result["kernel_unique"] = kernel_shared
    result["system_used_before_phones_mb"] = round(system_before, 1)  # other users' programs are in it too
    # CPU seconds per phone, server (Voila and kernels: what the trainer's laptop pays) and the
    # browser (paid by each phone's own CPU in a real room, by this machine's here).
    n = max(1, len(ready_at))
    result["cpu_seconds_per_phone"] = {
        "until_last_first_screen": None if used is None else
        {"server": round(used[0] / n, 3), "browser": round(used[1] / n, 3), "phones": len(ready_at)},
        "whole_run": None if whole is None else
        {"server": round(whole[0] / args.phones, 3), "browser": round(whole[1] / args.phones, 3)},
    }
    out = Path(args.out)
    write_json(result, out)
    print(json.dumps(result, ensure_ascii=False, indent=2))
    print(f"written to {out}")
    found = problems(result)
    for p in found:
        print(f"FAIL: {p}", file=sys.stderr)
    if not found:
        print("all phones worked, nothing was blocked, every goal met")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
