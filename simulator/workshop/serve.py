"""Serve every activity to the room's phones: ``python -m simulator serve`` (``make serve``).

The trainer's laptop runs Voila on the local network. Each activity becomes an app with
its code hidden, made from the cells of its source notebook that are tagged ``app`` (the
trainer-only parts, answers and instructor notes, stay in the book). A Thai index page lists
the activities with their minutes, the address phones open and its QR code. Kernels are
started ahead (Voila's preheated pools) so that a phone opens an activity in seconds; pool
sizes live in ``simulator/data/serve.yaml``. Nothing is fetched from another site: Voila's
widget JavaScript, the stylesheet and the Sarabun font are all served by the laptop.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from simulator.figures.fonts import font_files
from simulator.model.config import ConfigError
from simulator.workshop.activities import ActivityInfo, activity_notebooks, guide_notebooks, read_activity

SETTINGS_FILE = Path(__file__).resolve().parent.parent / "data" / "serve.yaml"
TEMPLATE_SOURCE = Path(__file__).resolve().parent / "voila" / "termtem"
TEMPLATE_NAME = "termtem"
GUIDES_SUBDIR = Path("book") / "district"
APP_TAG = "app"
# MyST that a served app (plain Markdown) would show as raw text: directives, colon fences, roles
# (``{name}`` right before a backquote, not inside a code span such as "`{type}`") and labels.
MYST_SYNTAX = re.compile(r"```\{|:::|\{ref\}|\{term\}|(?<![`\w])\{[a-z][\w:-]*\}`|^\(\s*[\w.-]+\s*\)=\s*$", re.M)
READY_DIR_ENV = "TERMTEM_SERVE_READY_DIR"
# The last cell of every app: a kernel that reaches it has run the whole notebook and waits, ready.
READY_CELL = "from simulator.workshop.serve import mark_kernel_ready\nmark_kernel_ready()"
WORKSHOP_TH = {1: "การอบรมครั้งที่ 1", 2: "การอบรมครั้งที่ 2"}


class ServeSettings(BaseModel):
    """``serve.yaml``: the port and how many kernels wait for each activity."""

    model_config = ConfigDict(extra="forbid")

    port: int = Field(ge=1024, le=65535)
    default_pool_size: int = Field(ge=0, le=80)
    pool_sizes: dict[int, int] = Field(default_factory=dict)
    fill_delay_seconds: float = Field(ge=0, le=600)

    @field_validator("pool_sizes")
    @classmethod
    def _activities_and_sizes(cls, sizes: dict[int, int]) -> dict[int, int]:
        for activity, size in sizes.items():
            if not 1 <= activity <= 13 or not 0 <= size <= 80:
                raise ValueError(f"{activity}: {size}: an activity 1-13 with a pool of 0-80 kernels")
        return sizes

    def pool_size(self, activity: int | None) -> int:
        """Kernels started ahead for an activity (a guide chapter, ``None``, gets the default)."""
        return self.pool_sizes.get(activity, self.default_pool_size)


def load_serve_settings(path: Path | str = SETTINGS_FILE) -> ServeSettings:
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot be read ({exc})") from exc
    try:
        settings = ServeSettings.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise ConfigError(f"{path}: {problems}") from exc
    return settings


# ---- the apps ---------------------------------------------------------------

def app_name(source: Path) -> str:
    return source.name


def app_url(source: Path | str) -> str:
    """Path of an activity's app on the server, from the server's root."""
    return f"voila/render/{Path(source).name}"


def app_notebook(source: Path | str) -> dict:
    """The trainee's app for one activity: a Thai heading, then the cells tagged ``app``."""
    source = Path(source)
    info = read_activity(source)
    notebook = json.loads(source.read_text(encoding="utf-8"))
    cells = [c for c in notebook["cells"] if APP_TAG in c.get("metadata", {}).get("tags", [])]
    if not any(c["cell_type"] == "code" for c in cells):
        raise ConfigError(f"{source}: no code cell is tagged '{APP_TAG}', so the served app would be empty")
    for cell in cells:
        text = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        found = MYST_SYNTAX.findall(text) if cell["cell_type"] == "markdown" else []
        if found:
            raise ConfigError(f"{source}: cell {cell.get('id', '?')} is tagged '{APP_TAG}' but holds MyST syntax "
                              f"{found[0]!r}, which the served app would show as raw text")
    heading = {
        "cell_type": "markdown",
        "id": "app-heading",
        "metadata": {},
        "source": f"# {info.label_th}: {info.title_th}\n\n"
                  f"({info.title_en}) · {minutes_th(info)} · ครอบครัวทุกครอบครัวเป็นข้อมูลสมมติ (synthetic)",
    }
    kept = []
    for number, cell in enumerate(cells, start=1):
        cell = dict(cell, metadata={}, id=f"app-{number}")
        if cell["cell_type"] == "code":
            cell["outputs"], cell["execution_count"] = [], None
        kept.append(cell)
    ready = {"cell_type": "code", "id": "app-ready", "metadata": {}, "execution_count": None, "outputs": [],
             "source": READY_CELL}
    return {
        "cells": [heading, *kept, ready],
        "metadata": {"kernelspec": notebook["metadata"].get("kernelspec", {"name": "python3", "display_name": "Python 3",
                                                                           "language": "python"}),
                     "language_info": {"name": "python"}, "termtem": notebook["metadata"]["termtem"],
                     "title": f"{info.label_th}: {info.title_th}"},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def mark_kernel_ready() -> None:
    """Called by an app's last cell: tell ``make serve`` that this kernel has run its notebook."""
    folder = os.environ.get(READY_DIR_ENV)
    if folder:
        Path(folder, str(os.getpid())).touch()


def minutes_th(info: ActivityInfo) -> str:
    return (f"สอน {info.teaching_minutes} นาที · ฝึก {info.exercise_minutes} นาที · "
            f"รวม {info.total_minutes} นาที")


# ---- addresses and the QR code -------------------------------------------------

def lan_addresses() -> list[str]:
    """IPv4 addresses other machines on the hotspot can reach, best guess first."""
    found: list[str] = []
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("10.255.255.255", 1))  # UDP connect sends nothing; it only picks a route
        found.append(probe.getsockname()[0])
    except OSError:
        pass
    finally:
        probe.close()
    try:
        import psutil

        for addresses in psutil.net_if_addrs().values():
            for a in addresses:
                if a.family == socket.AF_INET and a.address not in found:
                    found.append(a.address)
    except ImportError:
        pass
    return [a for a in found if not a.startswith("127.")]


def write_qr(url: str, png: Path) -> str:
    """Save a printable QR code of ``url`` and return it drawn for a terminal."""
    import io

    import segno

    code = segno.make(url, error="m")
    png.parent.mkdir(parents=True, exist_ok=True)
    code.save(str(png), kind="png", scale=12, border=4)
    out = io.StringIO()
    code.terminal(out=out, compact=True, border=2)
    return out.getvalue()


# ---- the site Voila serves ------------------------------------------------------

@dataclass(frozen=True)
class Site:
    root: Path

    @property
    def apps(self) -> Path:
        return self.root / "apps"

    @property
    def jupyter_path(self) -> Path:
        return self.root / "share"

    @property
    def template(self) -> Path:
        return self.jupyter_path / "voila" / "templates" / TEMPLATE_NAME

    @property
    def ready_dir(self) -> Path:
        return self.root / "ready"

    @property
    def qr_png(self) -> Path:
        return self.root / "qr.png"


def index_html(activities: dict[int, Path], urls: list[str], guides: dict[str, Path] | None = None) -> str:
    def item(path: Path, info: ActivityInfo, who: str) -> str:
        return (f'<li><a href="{html.escape(app_url(path))}">{html.escape(info.label_th)}: {html.escape(info.title_th)}</a>'
                f'<p class="termtem-minutes">{html.escape(minutes_th(info))} · {html.escape(who)}</p>'
                f'<p class="termtem-minutes" lang="en">{html.escape(info.title_en)}</p></li>')

    items = []
    for number, path in sorted(activities.items()):
        info = read_activity(path)
        workshops = " และ ".join(WORKSHOP_TH.get(w, f"การอบรมครั้งที่ {w}") for w in info.workshops)
        items.append(item(path, info, workshops))
    guide_list = ""
    if guides:
        entries = "".join(item(path, read_activity(path), "ผู้บริหารและเจ้าหน้าที่ระดับเขต")
                          for _, path in sorted(guides.items()))
        guide_list = f'<h2>บทสำหรับเขต</h2><ul class="termtem-activities">{entries}</ul>'
    address = ""
    if urls:
        others = "".join(f"<li>{html.escape(u)}</li>" for u in urls[1:])
        address = (
            '<section class="termtem-join"><h2>เปิดบนโทรศัพท์</h2>'
            "<p>ต่อ Wi-Fi เดียวกับเครื่องของวิทยากร แล้วสแกนรหัสนี้ หรือพิมพ์ที่อยู่</p>"
            f'<p class="termtem-address">{html.escape(urls[0])}</p>'
            '<img class="termtem-qr" src="voila/templates/termtem/static/qr.png" '
            f'alt="รหัส QR ของที่อยู่ {html.escape(urls[0])}">'
            + (f"<p>ที่อยู่อื่นของเครื่องนี้:</p><ul>{others}</ul>" if others else "")
            + "</section>"
        )
    return (
        "<h1>กิจกรรมชุดฝึกอบรมเติมเต็ม</h1>"
        "<p>แตะชื่อกิจกรรมที่วิทยากรบอก ครอบครัวทุกครอบครัวในกิจกรรมเป็นข้อมูลสมมติ (synthetic) ไม่ใช่ครอบครัวจริง</p>"
        f'<ol class="termtem-activities">{"".join(items)}</ol>{guide_list}{address}'
    )


def guides_dir_of(activities_dir: Path | str) -> Path:
    """Where the guide chapters with exercises live, beside the activities: ``book/district``."""
    return Path(activities_dir).resolve().parent / GUIDES_SUBDIR


def build_site(activities_dir: Path | str, out: Path | str, urls: list[str]) -> Site:
    """Write the apps (every activity, and the guide chapters of :func:`guides_dir_of`), the Thai
    template (with Sarabun) and the index into ``out``, replacing what an earlier start left
    there. Built beside ``out`` and swapped in, never half-written."""
    activities = activity_notebooks(activities_dir)
    guides = guide_notebooks(guides_dir_of(activities_dir))
    if not activities:
        raise ConfigError(f"{activities_dir}: no activity notebooks (NN_name.ipynb) to serve")
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".serve-", dir=out.parent))
    site = Site(staging)
    try:
        site.apps.mkdir(parents=True)
        for path in [*activities.values(), *guides.values()]:
            (site.apps / app_name(path)).write_text(json.dumps(app_notebook(path), ensure_ascii=False, indent=1),
                                                    encoding="utf-8")
        shutil.copytree(TEMPLATE_SOURCE, site.template)
        fonts = site.template / "static" / "fonts"
        fonts.mkdir(parents=True)
        for font in font_files():
            shutil.copy2(font, fonts / font.name)
        (site.template / "termtem_index.html").write_text(index_html(activities, urls, guides), encoding="utf-8")
        if urls:
            write_qr(urls[0], site.qr_png)
            shutil.copy2(site.qr_png, site.template / "static" / "qr.png")
        if out.exists():
            shutil.rmtree(out)
        staging.rename(out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return Site(out)


def pool_config(apps: list[Path], settings: ServeSettings) -> dict:
    config = {"default": {"pool_size": settings.default_pool_size}}
    for path in apps:
        config[app_name(path)] = {"pool_size": settings.pool_size(read_activity(path).activity)}
    return config


def voila_config(site: Site, settings: ServeSettings) -> dict:
    """Kernel pools for Voila, written to ``voila.json`` in the site's folder (Voila reads it from there)."""
    return {
        "VoilaKernelManager": {"kernel_pools_config": pool_config(sorted(site.apps.glob("*.ipynb")), settings),
                               "fill_delay": settings.fill_delay_seconds},
        # Local sockets, not TCP ports: 40 kernels starting at once on random TCP ports collided
        # ("Address already in use") and one kernel never started.
        "KernelManager": {"transport": "ipc"},
    }


def voila_command(site: Site, settings: ServeSettings, host: str, port: int) -> list[str]:
    return [
        sys.executable, "-m", "simulator.workshop.voila_main", str(site.apps.resolve()),
        "--no-browser", f"--port={port}", f"--Voila.ip={host}", "--Voila.port_retries=0",
        f"--template={TEMPLATE_NAME}", "--theme=light",
        "--VoilaConfiguration.classic_tree=True",
        "--VoilaConfiguration.show_tracebacks=False",
        "--HTMLExporter.language_code=th",
        "--preheat_kernel=True", f"--pool_size={settings.default_pool_size}",
    ]


def port_is_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as Voila binds; ignores TIME_WAIT
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def voila_env(site: Site) -> dict[str, str]:
    env = dict(os.environ)
    env["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(site.jupyter_path.resolve()), env.get("JUPYTER_PATH", "")]))
    env.setdefault("MPLBACKEND", "Agg")
    env[READY_DIR_ENV] = str(site.ready_dir.resolve())
    env["PYTHAINLP_OFFLINE"] = "1"
    env["PYTHAINLP_READ_ONLY"] = "1"
    return env


def total_pool(site: Site, settings: ServeSettings) -> int:
    return sum(settings.pool_size(read_activity(p).activity) for p in site.apps.glob("*.ipynb"))


def wait_until_ready(process: subprocess.Popen, url: str, ready_dir: Path, kernels: int, timeout: float) -> None:
    """Wait until ``url`` answers and ``kernels`` kernels have run their app to its last cell
    (each leaves its process id in ``ready_dir``)."""
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise ServeError(f"Voila หยุดทำงานระหว่างเริ่ม (exit code {process.returncode}) ดูสาเหตุใน voila.log "
                             "(Voila stopped while starting)")
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:
                if answer.status == 200:
                    break
        except (urllib.error.URLError, OSError):
            pass
        if time.monotonic() > deadline:
            raise ServeError(f"{url} ไม่ตอบภายใน {timeout:.0f} วินาที ({url} did not answer)")
        time.sleep(0.3)
    while True:
        if process.poll() is not None:
            raise ServeError(f"Voila หยุดทำงานระหว่างเริ่ม (exit code {process.returncode}) ดูสาเหตุใน voila.log "
                             "(Voila stopped while starting)")
        done = len(list(ready_dir.glob("*"))) if ready_dir.exists() else 0
        if done >= kernels:
            return
        if time.monotonic() > deadline:
            raise ServeError(f"kernel พร้อมเพียง {done} จาก {kernels} ตัวภายใน {timeout:.0f} วินาที "
                             f"(only {done} of {kernels} kernels ready)")
        time.sleep(0.3)


def stop(process: subprocess.Popen, grace: float = 20) -> None:
    """Stop ``process`` with SIGTERM (Voila, or the serve command, then stops its kernels), kill it
    after ``grace`` seconds, and kill anything of its process tree still left: nothing keeps running."""
    import psutil

    try:
        family = psutil.Process(process.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        family = []
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    for child in family:
        try:
            child.kill()
        except psutil.NoSuchProcess:
            pass


class ServeError(RuntimeError):
    """The server could not start or stopped by itself; the message is in Thai."""


def start(site: Site, settings: ServeSettings, host: str, port: int, log=None) -> subprocess.Popen:
    _check_port(host, port)
    site.ready_dir.mkdir(exist_ok=True)
    (site.root / "voila.json").write_text(json.dumps(voila_config(site, settings), indent=1),
                                         encoding="utf-8")
    # A new session: Ctrl-C reaches this process only, which then stops Voila and its kernels in order.
    return subprocess.Popen(voila_command(site, settings, host, port), cwd=site.root, env=voila_env(site),
                            stdout=log or subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True)


def _check_port(host: str, port: int) -> None:
    if not port_is_free(host, port):
        raise ServeError(f"พอร์ต {port} ถูกใช้อยู่แล้ว (อาจเปิด make serve ค้างไว้) ปิดโปรแกรมนั้นหรือใส่ --port อื่น "
                         f"(port {port} is already in use)")


def _stop_on_sigterm(signum, frame):
    raise KeyboardInterrupt


def serve(activities_dir: Path | str, out: Path | str, settings: ServeSettings, host: str = "0.0.0.0",
          port: int | None = None, echo=print, ready_timeout: float = 600) -> int:
    """Run the server until Ctrl-C; return the exit code."""
    port = port or settings.port
    lan = lan_addresses() if host in ("0.0.0.0", "") else ([] if host.startswith("127.") else [host])
    urls = [f"http://{a}:{port}/" for a in lan] + [f"http://127.0.0.1:{port}/"]
    _check_port(host, port)
    site = build_site(activities_dir, out, urls)
    log_path = site.root / "voila.log"
    previous = signal.signal(signal.SIGTERM, _stop_on_sigterm)
    with open(log_path, "ab") as log:
        process = start(site, settings, host, port, log)
        try:
            kernels = total_pool(site, settings)
            echo(f"กำลังเปิดกิจกรรมและเตรียม kernel ล่วงหน้า {kernels} ตัว … (log: {log_path})")
            wait_until_ready(process, f"http://127.0.0.1:{port}/", site.ready_dir, kernels, ready_timeout)
            echo("พร้อมแล้ว ให้ผู้เข้าอบรมต่อ Wi-Fi เดียวกันแล้วเปิดที่อยู่นี้ (ready; open on the same Wi-Fi):")
            for u in urls:
                echo(f"  {u}")
            if lan:
                echo(write_qr(urls[0], site.qr_png))
                echo(f"รหัส QR สำหรับพิมพ์ (printable QR code): {site.qr_png}")
            else:
                echo("ไม่พบที่อยู่ในเครือข่าย เปิดได้เฉพาะเครื่องนี้ (no network address found: this machine only)")
            echo("กด Ctrl-C เพื่อปิด (press Ctrl-C to stop)")
            while process.poll() is None:
                time.sleep(0.5)
            echo(f"Voila หยุดทำงานเอง (exit code {process.returncode}) ดูสาเหตุใน {log_path}")
            return 1
        except KeyboardInterrupt:
            echo("กำลังปิด … (stopping)")
            return 0
        finally:
            # A second Ctrl-C (or kill) while stopping must not interrupt the stop itself,
            # or Voila and its kernels would be left running.
            previous_int = signal.signal(signal.SIGINT, signal.SIG_IGN)
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            try:
                stop(process)
            finally:
                signal.signal(signal.SIGINT, previous_int)
                signal.signal(signal.SIGTERM, previous)


class ServeProcess:
    """``python -m simulator serve ARGS`` in its own session, for tests, tools and benchmarks.

    Its output is kept in ``lines`` (and copied to ``log_path`` if given); ``wait_ready`` returns
    once it prints its ready line; ``stop`` sends SIGTERM, as a trainer's Ctrl-C would stop it,
    waits, and kills anything left of its process tree.
    """

    READY_MARK = "พร้อมแล้ว"

    def __init__(self, *args: str, cwd: Path | str | None = None, log_path: Path | str | None = None):
        import threading

        self.command = [sys.executable, "-m", "simulator", "serve", *args]
        self.lines: list[str] = []
        self._log_path = Path(log_path) if log_path else None
        self._ready = threading.Event()
        self._ended = threading.Event()
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        root = str(Path(__file__).resolve().parents[2])
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [root, env.get("PYTHONPATH", "")]))
        # Its own session: a Ctrl-C meant for the caller reaches the server only through stop().
        self.process = subprocess.Popen(self.command, cwd=cwd, env=env, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, text=True, encoding="utf-8", errors="replace",
                                        start_new_session=True)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        log = open(self._log_path, "w", encoding="utf-8") if self._log_path else None
        try:
            for line in self.process.stdout:
                self.lines.append(line)
                if log:
                    log.write(line)
                    log.flush()
                if self.READY_MARK in line:
                    self._ready.set()
        finally:
            if log:
                log.close()
            self._ended.set()

    def wait_ready(self, timeout: float = 600) -> float:
        """Seconds until the server said it was ready; an error with its output if it never did."""
        start = time.monotonic()
        while not self._ready.wait(0.2):
            if self._ended.is_set() or time.monotonic() - start > timeout:
                self.stop()
                raise ServeError("make serve did not become ready:\n" + "".join(self.lines[-20:]))
        return time.monotonic() - start

    def stop(self, grace: float = 60) -> int:
        stop(self.process, grace)
        self._ended.wait(5)
        return self.process.returncode
