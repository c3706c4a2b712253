"""Benchmark: 40 phones writing to the practice platform at once, on SQLite and on PostgreSQL.

Run with ``make bench``, or smaller while developing::

    python benchmarks/bench_platform.py --processes 8 --seconds 5

For each backend (a SQLite workshop folder, and a PostgreSQL server started for the run from
Debian's binaries as the tests do), ``simulator.platform.load`` sets up a workshop of two
districts with two communities each, then ``--processes`` separate processes (spawned, one
connection each) register a participant and record an observation, over and over, for
``--seconds``, all starting at once. Measured: entries (registrations + observations) per
second, the median and 95th-percentile latency of one entry, the slowest, and the lock errors
that were retried. The PIN hash costs what ``platform.yaml`` says (argon2id), as in a workshop.

The JSON result is the last line printed and is written to ``--out``
(``bench-out/platform.json``). The exit code is non-zero only when something failed to run
or an entry was lost (the database holds fewer rows than the writers were told were saved).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def run_backend(url: str, processes: int, seconds: float, workdir: Path) -> dict:
    from sqlalchemy import func, select

    from simulator.platform.db import open_platform
    from simulator.platform.load import prepare, run_load
    from simulator.platform.models import Observation, Participant

    plan = prepare(url)
    result = run_load(url, processes, seconds, plan, workdir)
    p = open_platform(url)
    try:
        with p.read() as s:
            stored = s.scalar(select(func.count()).select_from(Participant).where(Participant.name_th.like("ผู้ทดสอบ %")))
            observed = s.scalar(select(func.count()).select_from(Observation).where(
                Observation.note_th.like("บันทึก ผู้ทดสอบ %")))
    finally:
        p.dispose()
    out = result.summary()
    out["errors"] = sum(len(d["errors"]) for d in result.per_process)
    out["stored_registrations"], out["stored_observations"] = stored, observed
    out["lost"] = (result.registrations - stored) + (result.observations - observed)
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--processes", type=int, default=40)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--out", default=str(ROOT / "bench-out" / "platform.json"))
    args = parser.parse_args(argv)

    from simulator.platform.db import database_url

    results = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
               "processes": args.processes, "seconds": args.seconds, "backends": {}}
    failed = False
    with tempfile.TemporaryDirectory(prefix="termtem-bench-") as tmp:
        for backend in args.backends.split(","):
            print(f"{backend}: {args.processes} writers for {args.seconds:g} s ...", flush=True)
            server = None
            try:
                if backend == "sqlite":
                    url = database_url(Path(tmp) / "workshop")
                else:
                    from tests.platform_server import PostgresServer

                    server = PostgresServer.start()
                    url = server.new_database()
                results["backends"][backend] = run_backend(url, args.processes, args.seconds, Path(tmp) / backend)
                failed |= results["backends"][backend]["lost"] != 0 or results["backends"][backend]["errors"] != 0
            except Exception as exc:  # noqa: BLE001 - reported in the JSON, and the exit code says so
                results["backends"][backend] = {"error": f"{type(exc).__name__}: {exc}"}
                failed = True
            finally:
                if server is not None:
                    server.stop()
            print(json.dumps({backend: results["backends"][backend]}, ensure_ascii=False), flush=True)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    print(json.dumps(results, ensure_ascii=False))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
