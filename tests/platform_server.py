"""A real PostgreSQL server for the platform tests, started and stopped by the tests themselves.

Debian's ``postgresql`` package (installed by ``tools/system_packages.sh``, which ``make test``
and ``.ci/run`` call) puts ``initdb`` and ``pg_ctl`` in ``/usr/lib/postgresql/<version>/bin``.
:meth:`PostgresServer.start` makes a new cluster in a temporary folder, starts it on a free
port of 127.0.0.1 (trust authentication, reachable from this machine only) and
:meth:`PostgresServer.stop` stops it and removes the folder.

PostgreSQL refuses to run as root: as root the server runs as the ``postgres`` user (made by
the Debian package) or, if that user is missing, a system user ``termtem-pg`` created here;
the cluster's folder is given to that user. As any other user it runs as that user.

Missing binaries are an error, never a skip: the platform must be tested on both backends.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from itertools import count
from pathlib import Path

SERVICE_USER = "termtem-pg"
MISSING = ("PostgreSQL's server binaries are missing (no /usr/lib/postgresql/*/bin/initdb and pg_ctl). "
           "Install Debian's package: run `bash tools/system_packages.sh` as root (make test does), "
           "or `sudo apt-get install postgresql`. The platform tests need a real server and do not skip.")


class PostgresMissing(RuntimeError):
    pass


def find_binaries() -> Path:
    """The bin folder of the newest PostgreSQL with both initdb and pg_ctl."""
    found = []
    for initdb in glob.glob("/usr/lib/postgresql/*/bin/initdb"):
        folder = Path(initdb).parent
        if (folder / "pg_ctl").exists():
            version = folder.parent.name
            found.append((int(version) if version.isdigit() else 0, folder))
    if not found:
        raise PostgresMissing(MISSING)
    return max(found)[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _service_user() -> str | None:
    """None when not root; else an unprivileged user to run the server as (created if needed)."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", SERVICE_USER):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", SERVICE_USER],
                   check=True, capture_output=True)
    return SERVICE_USER


@dataclass
class PostgresServer:
    bin: Path
    root: Path
    port: int
    user: str | None
    log: Path
    _names: count = field(default_factory=lambda: count(1))

    @classmethod
    def start(cls) -> PostgresServer:
        bin_dir = find_binaries()
        user = _service_user()
        # Not under pytest's tmp folder: that is private to root (0700) and the server user must enter it.
        root = Path(tempfile.mkdtemp(prefix="termtem-pg-"))
        data, log = root / "data", root / "server.log"
        if user is not None:
            os.chmod(root, 0o755)
            shutil.chown(root, user)
        server = cls(bin=bin_dir, root=root, port=free_port(), user=user, log=log)
        server._run(["initdb", "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C",
                     "--no-instructions"])
        options = (f"-p {server.port} -k {root} -c listen_addresses=127.0.0.1 -c max_connections=200 "
                   "-c shared_buffers=64MB")
        server._run(["pg_ctl", "-D", str(data), "-l", str(log), "-o", options, "-w", "-t", "60", "start"])
        return server

    def _run(self, argv: list[str]) -> None:
        command = [str(self.bin / argv[0]), *argv[1:]]
        if self.user is not None:
            command = ["runuser", "-u", self.user, "--", *command]
        done = subprocess.run(command, check=False, capture_output=True, text=True, cwd=self.root)
        if done.returncode != 0:
            log = self.log.read_text() if self.log.exists() else ""
            raise RuntimeError(f"{' '.join(command)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}\n{log}")

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """A new empty database on the server; its SQLAlchemy URL."""
        import psycopg

        name = f"termtem_{next(self._names)}_{os.getpid()}"
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres",
                             autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
        return self.url(name)

    def stop(self) -> None:
        try:
            self._run(["pg_ctl", "-D", str(self.root / "data"), "-m", "fast", "-w", "stop"])
        finally:
            for _ in range(10):
                try:
                    shutil.rmtree(self.root)
                    break
                except OSError:
                    time.sleep(0.2)


__all__ = ["MISSING", "PostgresMissing", "PostgresServer", "find_binaries", "free_port"]
