"""make serve without a browser: the settings file, the apps built from the notebooks, the Thai
index, the QR code, and what happens on a busy port or a bad notebook."""

from __future__ import annotations

import json
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PIL import Image

from simulator.cli import main
from simulator.model.config import ConfigError
from simulator.workshop import serve
from simulator.workshop.activities import activity_notebooks, guide_notebooks, read_activity

ROOT = Path(__file__).resolve().parent.parent
ACTIVITIES = activity_notebooks(ROOT / "activities")
GUIDES = guide_notebooks(serve.guides_dir_of(ROOT / "activities"))
MYST = serve.MYST_SYNTAX  # one pattern, the one app_notebook enforces


def test_the_kits_serve_settings_load():
    settings = serve.load_serve_settings()
    assert 1024 <= settings.port <= 65535
    assert settings.pool_size(3) >= 1 and settings.pool_size(12) == settings.default_pool_size


@pytest.mark.parametrize("text, field", [
    ("port: 80\ndefault_pool_size: 1\nfill_delay_seconds: 1\n", "port"),
    ("port: 8866\ndefault_pool_size: 1\nfill_delay_seconds: 1\npool_sizes: {3: 500}\n", "pool_sizes"),
    ("port: 8866\ndefault_pool_size: 1\nfill_delay_seconds: 1\npools: 3\n", "pools"),
])
def test_a_bad_serve_file_names_the_file_and_the_field(tmp_path, text, field):
    path = tmp_path / "serve.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        serve.load_serve_settings(path)
    assert str(path) in str(err.value) and field in str(err.value)


@pytest.mark.parametrize("number", sorted(ACTIVITIES))
def test_an_app_holds_the_exercise_and_nothing_for_trainers_only(number):
    source = ACTIVITIES[number]
    info = read_activity(source)
    app = serve.app_notebook(source)
    heading, *cells = app["cells"]
    assert heading["source"].startswith(f"# กิจกรรม {number}: {info.title_th}")
    assert f"รวม {info.total_minutes} นาที" in heading["source"]
    text = "\n".join(c["source"] if isinstance(c["source"], str) else "".join(c["source"]) for c in cells)
    assert "Widget(" in text  # the exercise itself
    for trainer_only in ("บันทึกสำหรับวิทยากร", "ขั้นตอนสำหรับวิทยากร", "NBVAL_CHECK_OUTPUT", "เฉลย"):
        assert trainer_only not in text, trainer_only
    assert not MYST.search(text), "MyST syntax would show as raw text in the app"
    assert all(c.get("outputs", []) == [] for c in cells if c["cell_type"] == "code")
    assert len({c["id"] for c in app["cells"]}) == len(app["cells"])
    assert app["metadata"]["termtem"]["activity"] == number
    assert app["cells"][-1]["source"] == serve.READY_CELL  # how make serve knows a kernel is ready


def test_myst_syntax_in_an_app_cell_is_refused_naming_the_cell(tmp_path):
    notebook = json.loads(ACTIVITIES[3].read_text(encoding="utf-8"))
    cell = next(c for c in notebook["cells"] if c["cell_type"] == "markdown" and "app" in c["metadata"].get("tags", []))
    cell["source"] = "```{note}\nเปิดใน Jupyter\n```"
    path = tmp_path / "03_petal_analysis.ipynb"
    path.write_text(json.dumps(notebook), encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        serve.app_notebook(path)
    assert str(path) in str(err.value) and cell.get("id", "?") in str(err.value) and "```{" in str(err.value)


def test_a_notebook_without_app_cells_is_refused(tmp_path):
    notebook = json.loads(ACTIVITIES[3].read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        cell["metadata"].pop("tags", None)
    path = tmp_path / "03_petal_analysis.ipynb"
    path.write_text(json.dumps(notebook), encoding="utf-8")
    with pytest.raises(ConfigError, match="app"):
        serve.app_notebook(path)


def _qr_modules(png: Path, scale=12, border=4):
    image = Image.open(png).convert("L")
    size = image.width // scale - 2 * border
    return [[image.getpixel(((border + x) * scale + scale // 2, (border + y) * scale + scale // 2)) < 128
             for x in range(size)] for y in range(size)]


def test_the_site_has_every_app_the_index_fonts_and_a_qr_code_of_the_address(tmp_path):
    url = "http://192.168.1.20:8866/"
    site = serve.build_site(ROOT / "activities", tmp_path / "serve", [url, "http://127.0.0.1:8866/"])
    assert sorted(p.name for p in site.apps.glob("*.ipynb")) == \
        sorted(p.name for p in [*ACTIVITIES.values(), *GUIDES.values()])
    index = (site.template / "termtem_index.html").read_text(encoding="utf-8")
    for number, path in ACTIVITIES.items():
        info = read_activity(path)
        assert f'href="{serve.app_url(path)}">กิจกรรม {number}: {info.title_th}' in index
        assert serve.minutes_th(info) in index
    district = read_activity(GUIDES["district"])
    assert "<h2>บทสำหรับเขต</h2>" in index
    assert f'href="{serve.app_url(GUIDES["district"])}">บทสำหรับเขต: {district.title_th}' in index
    heading = serve.app_notebook(GUIDES["district"])["cells"][0]["source"]
    assert heading.startswith(f"# บทสำหรับเขต: {district.title_th}")
    assert url in index and "http://127.0.0.1:8866/" in index
    assert {"Sarabun-Regular.ttf", "Sarabun-Bold.ttf"} <= {p.name for p in (site.template / "static" / "fonts").iterdir()}
    import segno

    assert _qr_modules(site.qr_png) == [[bool(v) for v in row] for row in segno.make(url, error="m").matrix]


def test_no_page_or_stylesheet_of_the_apps_names_another_site():
    for path in serve.TEMPLATE_SOURCE.rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            assert not re.search(r"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}/", text), f"{path} refers to another site"


def test_a_failed_build_keeps_the_previous_site(tmp_path):
    out = tmp_path / "serve"
    serve.build_site(ROOT / "activities", out, ["http://127.0.0.1:8866/"])
    before = sorted(p.relative_to(out) for p in out.rglob("*"))
    broken = tmp_path / "activities"
    shutil.copytree(ROOT / "activities", broken)
    (broken / "03_petal_analysis.ipynb").write_text("{", encoding="utf-8")
    with pytest.raises(ConfigError):
        serve.build_site(broken, out, ["http://127.0.0.1:8866/"])
    assert sorted(p.relative_to(out) for p in out.rglob("*")) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".serve-")] == []


def test_kernel_pools_follow_the_settings(tmp_path):
    settings = serve.ServeSettings(port=8866, default_pool_size=2, pool_sizes={3: 40}, fill_delay_seconds=30)
    site = serve.build_site(ROOT / "activities", tmp_path / "serve", [])
    config = serve.voila_config(site, settings)["VoilaKernelManager"]
    assert config["kernel_pools_config"]["03_petal_analysis.ipynb"] == {"pool_size": 40}
    assert config["kernel_pools_config"]["12_parent_communication.ipynb"] == {"pool_size": 2}
    assert config["fill_delay"] == 30
    assert config["kernel_pools_config"]["district_guide.ipynb"] == {"pool_size": 2}
    assert serve.total_pool(site, settings) == 40 + 2 * (len(ACTIVITIES) - 1 + len(GUIDES))


def test_a_busy_port_is_a_thai_message_and_builds_nothing(tmp_path, capsys):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        code = main(["serve", "--host", "127.0.0.1", "--port", str(port), "--out", str(tmp_path / "serve")])
    assert code != 0
    assert f"พอร์ต {port} ถูกใช้อยู่แล้ว" in capsys.readouterr().err
    assert not (tmp_path / "serve").exists()


@pytest.mark.parametrize("pool", ["3", "3=x", "14=2", "3=500"])
def test_a_bad_pool_option_is_refused_in_thai(pool, capsys, tmp_path):
    assert main(["serve", "--pool", pool, "--out", str(tmp_path / "serve")]) != 0
    err = capsys.readouterr().err
    assert "ข้อผิดพลาด" in err and not (tmp_path / "serve").exists()


def test_ctrl_c_even_twice_stops_the_server_and_every_kernel(tmp_path):
    import psutil

    activities = tmp_path / "activities"
    activities.mkdir()
    shutil.copy(ACTIVITIES[3], activities)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "simulator", "serve", "--host", "127.0.0.1", "--port", str(port), "--pool", "3=1",
         "--activities", str(activities), "--out", str(tmp_path / "serve")],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines = []
    try:
        for line in process.stdout:
            lines.append(line)
            if "พร้อมแล้ว" in line:
                break
        assert any("พร้อมแล้ว" in line for line in lines), "".join(lines)
        family = psutil.Process(process.pid).children(recursive=True)
        assert any("ipykernel_launcher" in " ".join(p.cmdline()) for p in family)
        # An impatient trainer presses Ctrl-C twice: the second must not cut the stop short.
        process.send_signal(signal.SIGINT)
        time.sleep(0.5)
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
        assert process.wait(60) == 0
    finally:
        if process.poll() is None:
            process.kill()
    gone, alive = psutil.wait_procs(family, timeout=20)
    assert alive == [], f"left running after Ctrl-C: {[p.pid for p in alive]}"
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", port))  # the port is free again
