"""A room of phones writing at once: N separate processes registering and recording for T seconds.

Used by ``tests/test_platform_concurrency.py`` (which then checks that nothing was lost or
corrupted) and by ``make bench`` (``benchmarks/bench_platform.py``: entries per second and
latency). :func:`prepare` sets a workshop up with communities and families; :func:`run_load`
starts the writers (``multiprocessing`` with *spawn*: each a fresh interpreter with its own
connection, like a phone's own kernel), lets them all start at the same moment, and returns
what each says it wrote. Each writer, until its time is up: registers a new participant
(a volunteer of one of the communities, with a PIN hashed as in the workshop), then records
an observation of a family of that community as that participant.
"""

from __future__ import annotations

import json
import multiprocessing as mp
import statistics
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .settings import PlatformSettings

PIN = "4826"


@dataclass
class LoadResult:
    backend: str
    processes: int
    seconds: float
    elapsed: float
    registrations: int
    observations: int
    entries: int
    entries_per_second: float
    median_ms: float
    p95_ms: float
    max_ms: float
    retries: dict[str, int]
    per_process: list[dict] = field(repr=False)

    def summary(self) -> dict:
        out = asdict(self)
        out.pop("per_process")
        return out


def prepare(url: str, districts: int = 2, communities_per_district: int = 2, families_per_community: int = 3,
            settings: PlatformSettings | None = None) -> dict:
    """Set up the workshop at ``url`` for a load run; returns the plan the writers follow."""
    from . import service as sv
    from .db import open_platform

    names = ["บางนา", "ลาดกระบัง", "คลองเตย", "ดินแดง"][:districts]
    p = open_platform(url, settings=settings)
    try:
        plan = {"communities": []}
        for d in names:
            sv.add_district(p, d)
            for c in range(communities_per_district):
                community = f"ชุมชนทดสอบ {c + 1}"
                sv.add_community(p, d, community)
                lead = sv.register(p, f"แกนนำ {d} {c + 1}", f"06{len(plan['communities']):08d}", "community_leader",
                                   d, community, PIN)
                families = [sv.add_family(lead, f"ครอบครัวทดสอบ {k + 1}") for k in range(families_per_community)]
                plan["communities"].append({"district": d, "community": community, "families": families})
        return plan
    finally:
        p.dispose()


class StartLine:
    """Every writer gets ready (imports, connection), then all start at once when the runner says go."""

    def __init__(self, ctx):
        self.ready = ctx.Value("i", 0)
        self.go = ctx.Event()

    def wait(self, timeout: float = 600) -> None:
        with self.ready.get_lock():
            self.ready.value += 1
        if not self.go.wait(timeout):
            raise TimeoutError("the runner never said go")

    def start(self, procs, timeout: float = 600) -> None:
        """Wait until every process of ``procs`` is ready (failing at once if one died), then say go."""
        deadline = time.monotonic() + timeout
        while self.ready.value < len(procs):
            dead = [i for i, p in enumerate(procs) if p.exitcode is not None]
            if dead or time.monotonic() > deadline:
                self.go.set()
                raise RuntimeError(f"writer(s) {dead} stopped before the start (exit codes "
                                   f"{[procs[i].exitcode for i in dead]})" if dead else "writers did not get ready")
            time.sleep(0.02)
        self.go.set()


def writer(url: str, index: int, seconds: float, plan: dict, start: StartLine, out: str,
           settings: dict | None) -> None:
    """One phone: register and record until ``seconds`` are up; what it wrote goes to ``out`` (JSON)."""
    from simulator.model.config import load_config

    from . import service as sv
    from .db import open_platform

    chosen = PlatformSettings.model_validate(settings) if settings else None
    indicators = [i.id for i in load_config().catalogue.indicators]
    p = open_platform(url, settings=chosen)
    where = plan["communities"][index % len(plan["communities"])]
    done = {"index": index, "registered": [], "observations": [], "latencies_ms": [], "errors": []}
    start.wait()
    deadline = time.monotonic() + seconds
    k = 0
    while time.monotonic() < deadline:
        name = f"ผู้ทดสอบ {index:02d}-{k:05d}"
        try:
            t0 = time.perf_counter()
            user = sv.register(p, name, f"08{index:02d}{k:06d}", "volunteer", where["district"], where["community"],
                               PIN)
            t1 = time.perf_counter()
            done["registered"].append([user.id, name])
            family = where["families"][k % len(where["families"])]
            obs = sv.record_observation(user, family, indicators[(index + k) % len(indicators)], f"บันทึก {name}")
            t2 = time.perf_counter()
            done["observations"].append([obs, user.id])
            done["latencies_ms"] += [(t1 - t0) * 1000, (t2 - t1) * 1000]
        except Exception as exc:  # noqa: BLE001 - reported, and the test fails on any
            done["errors"].append(f"{type(exc).__name__}: {exc}"[:500])
        k += 1
    done["retries"] = dict(p.stats.retries)
    done["committed"] = p.stats.committed
    p.dispose()
    Path(out).write_text(json.dumps(done, ensure_ascii=False), encoding="utf-8")


def run_load(url: str, processes: int, seconds: float, plan: dict, workdir: Path | str,
             settings: PlatformSettings | None = None) -> LoadResult:
    """Start ``processes`` writers against ``url`` for ``seconds``; what they wrote, and how fast."""
    ctx = mp.get_context("spawn")
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    line = StartLine(ctx)
    dumped = settings.model_dump() if settings else None
    outs = [workdir / f"writer-{i:02d}.json" for i in range(processes)]
    procs = [ctx.Process(target=writer, args=(url, i, seconds, plan, line, str(outs[i]), dumped), daemon=True)
             for i in range(processes)]
    for proc in procs:
        proc.start()
    line.start(procs)
    start = time.perf_counter()
    for proc in procs:
        proc.join(timeout=seconds + 600)
    elapsed = time.perf_counter() - start
    failed = [i for i, proc in enumerate(procs) if proc.exitcode != 0 or not outs[i].exists()]
    if failed:
        raise RuntimeError(f"writer(s) {failed} did not finish (exit codes {[procs[i].exitcode for i in failed]})")
    per = [json.loads(o.read_text(encoding="utf-8")) for o in outs]
    latencies = sorted(x for d in per for x in d["latencies_ms"])
    regs = sum(len(d["registered"]) for d in per)
    obs = sum(len(d["observations"]) for d in per)
    retries: dict[str, int] = {}
    for d in per:
        for kind, n in d["retries"].items():
            retries[kind] = retries.get(kind, 0) + n
    p95 = latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))] if latencies else float("nan")
    backend = "postgresql" if url.startswith("postgresql") else "sqlite"
    return LoadResult(backend=backend, processes=processes, seconds=seconds, elapsed=round(elapsed, 2),
                      registrations=regs, observations=obs, entries=regs + obs,
                      entries_per_second=round((regs + obs) / seconds, 1),
                      median_ms=round(statistics.median(latencies), 1) if latencies else float("nan"),
                      p95_ms=round(p95, 1), max_ms=round(latencies[-1], 1) if latencies else float("nan"),
                      retries=retries, per_process=per)


__all__ = ["PIN", "LoadResult", "StartLine", "prepare", "run_load", "writer"]
