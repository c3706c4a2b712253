"""The README's interactive route: `.venv/bin/jupyter lab activities/03_petal_analysis.ipynb` opens and
every activity runs in JupyterLab's own kernel.

The test launches JupyterLab headless on 127.0.0.1, asks its REST API for the lab page and each activity
notebook, starts a kernel session per notebook and runs the notebook's code cells over the kernel's
websocket, exactly as a trainer's browser would.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((REPO / "activities").glob("[0-9][0-9]_*.ipynb"))
JUPYTER = Path(sys.executable).parent / "jupyter"
START_TIMEOUT = 60  # seconds for the server to answer /api/status
CELL_TIMEOUT = 120  # seconds for one cell


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Lab:
    """A running JupyterLab server: its base URL and token."""

    def __init__(self, base: str, token: str):
        self.base, self.token = base, token

    def request(self, method: str, path: str, body: dict | None = None, timeout: float = 30):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method)
        req.add_header("Authorization", f"token {self.token}")
        if data is not None:
            req.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            raw = resp.read()
            return resp.status, raw


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    assert JUPYTER.exists(), f"{JUPYTER} is missing: JupyterLab is installed by `make book` and `make test`"
    port, token = _free_port(), secrets.token_hex(16)
    home = tmp_path_factory.mktemp("jupyter")
    env = dict(os.environ)
    env.update(
        PYTHONPATH=os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p),
        MPLBACKEND="Agg",
        PYDEVD_DISABLE_FILE_VALIDATION="1",
        JUPYTER_CONFIG_DIR=str(home / "config"),
        JUPYTER_RUNTIME_DIR=str(home / "runtime"),
        # JupyterLab's workspaces and settings go to the temporary home, not the trainer's.
        JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"),
        JUPYTERLAB_SETTINGS_DIR=str(home / "settings"),
        # The platform activities open a practice workshop: a fresh one, never the room's workshop-data/.
        TERMTEM_WORKSHOP_DIR=str(home / "workshop"),
    )
    cmd = [str(JUPYTER), "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
           "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={REPO}",
           "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")  # CI containers run as root
    log = open(home / "server.log", "wb")
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=REPO)
    try:
        server = Lab(f"http://127.0.0.1:{port}", token)
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if proc.poll() is not None:
                pytest.fail(f"jupyter lab exited with {proc.returncode}:\n{(home / 'server.log').read_text()}")
            try:
                status, _ = server.request("GET", "/api/status", timeout=5)
                if status == 200:
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"jupyter lab did not answer in {START_TIMEOUT}s:\n{(home / 'server.log').read_text()}")
            time.sleep(0.3)
        yield server
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)
        log.close()


def test_the_lab_page_opens(lab):
    status, body = lab.request("GET", "/lab")
    assert status == 200
    assert b"<title>JupyterLab</title>" in body


def test_the_lab_serves_every_activity_notebook(lab):
    assert len(NOTEBOOKS) >= 4
    for path in NOTEBOOKS:
        status, body = lab.request("GET", f"/api/contents/activities/{path.name}")
        assert status == 200, path.name
        model = json.loads(body)
        assert model["type"] == "notebook" and model["content"]["cells"], path.name


def _message(session: str, msg_type: str, content: dict) -> dict:
    return {
        "header": {"msg_id": uuid.uuid4().hex, "msg_type": msg_type, "username": "test", "session": session,
                   "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "version": "5.3"},
        "parent_header": {}, "metadata": {}, "content": content, "channel": "shell", "buffers": [],
    }


def _run(ws, session: str, msg_type: str, content: dict) -> tuple[dict | None, list[dict]]:
    """Send one shell request; return its reply and the iopub messages it caused, until the kernel is idle."""
    msg = _message(session, msg_type, content)
    ws.send(json.dumps(msg))
    reply, outputs, idle = None, [], False
    deadline = time.monotonic() + CELL_TIMEOUT
    while reply is None or not idle:
        ws.settimeout(max(1.0, deadline - time.monotonic()))
        if time.monotonic() > deadline:
            raise TimeoutError(f"{msg_type} took more than {CELL_TIMEOUT}s")
        raw = ws.recv()
        if not isinstance(raw, str):
            continue  # binary frames carry widget buffers
        incoming = json.loads(raw)
        if incoming.get("parent_header", {}).get("msg_id") != msg["header"]["msg_id"]:
            continue
        kind = incoming["header"]["msg_type"]
        if incoming.get("channel") == "shell" and kind.endswith("_reply"):
            reply = incoming
        elif kind == "status" and incoming["content"]["execution_state"] == "idle":
            idle = True
        elif kind in ("error", "stream"):
            outputs.append(incoming)
    return reply, outputs


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_each_activity_runs_in_the_labs_kernel(lab, path):
    import websocket

    status, body = lab.request("POST", "/api/sessions", {
        "path": f"activities/{path.name}", "name": path.name, "type": "notebook", "kernel": {"name": "python3"}})
    assert status == 201
    session = json.loads(body)
    try:
        kernel_id = session["kernel"]["id"]
        ws_url = lab.base.replace("http://", "ws://") + f"/api/kernels/{kernel_id}/channels"
        ws = websocket.create_connection(ws_url, header=[f"Authorization: token {lab.token}"], timeout=CELL_TIMEOUT)
        try:
            client = uuid.uuid4().hex
            reply, _ = _run(ws, client, "kernel_info_request", {})
            assert reply["content"]["status"] == "ok"
            # The kernel starts in the notebook's folder, as in a trainer's JupyterLab.
            reply, out = _run(ws, client, "execute_request", {
                "code": "import os, simulator; print(os.getcwd()); print(simulator.__file__)",
                "silent": False, "store_history": False, "user_expressions": {}, "allow_stdin": False})
            printed = "".join(m["content"].get("text", "") for m in out)
            assert str(REPO / "activities") in printed and str(REPO / "simulator") in printed, printed
            cells = [c for c in json.loads(path.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "code"]
            assert cells
            for number, cell in enumerate(cells, 1):
                source = "".join(cell["source"])
                reply, out = _run(ws, client, "execute_request", {
                    "code": source, "silent": False, "store_history": True, "user_expressions": {},
                    "allow_stdin": False, "stop_on_error": True})
                errors = [m["content"] for m in out if m["header"]["msg_type"] == "error"]
                stderr = "".join(m["content"]["text"] for m in out
                                 if m["header"]["msg_type"] == "stream" and m["content"]["name"] == "stderr")
                where = f"{path.name}, code cell {number}:\n{source[:200]}"
                assert reply["content"]["status"] == "ok" and not errors, (
                    f"{where}\n{errors[0]['ename'] if errors else reply['content']}: "
                    f"{errors[0]['evalue'] if errors else ''}")
                # The strict book build fails on stderr too (a missing Thai glyph, a warning).
                assert not stderr, f"{where}\nwrote to stderr: {stderr[:500]}"
        finally:
            ws.close()
    finally:
        status, _ = lab.request("DELETE", f"/api/sessions/{session['id']}")
        assert status == 204


def test_make_book_and_make_test_install_jupyterlab():
    import re
    import tomllib

    extras = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    installed = re.search(r'pip install[^\n]*-e "\.\[([a-z,]+)\]"', makefile)
    assert installed, "the Makefile installs the kit with its extras"
    names = installed.group(1).split(",")
    assert "book" in names and "test" in names
    for extra in ("book", "test"):
        assert any(re.match(r"jupyterlab\b", req) for req in extras[extra]), f"[{extra}] lacks jupyterlab"
    assert re.search(r"^book: setup$", makefile, re.M) and re.search(r"^pytest: setup$", makefile, re.M)
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert ".venv/bin/jupyter lab activities/03_petal_analysis.ipynb" in readme
    for path in NOTEBOOKS:
        assert f"activities/{path.name}" in readme, f"README does not name {path.name}"
