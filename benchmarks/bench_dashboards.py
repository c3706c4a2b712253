"""Benchmark: every dashboard of the four levels, the dashboard explorer, and the committee's monthly report.

Run with ``make bench`` (after bench_population.py), or smaller while developing::

    python benchmarks/bench_dashboards.py --families 20000 --report-families 50000
    python benchmarks/bench_dashboards.py --skip-report

What is measured, on ``simulator.simulate(--families, seed=2569)`` with five years of
timelines (``simulate_timelines``) read through ``DashboardData.from_simulation``:

1. **Dashboards** (goal <= 2 s each). Every public dashboard function of
   ``simulator/dashboards/community.py``, ``provider.py``, ``district.py``, ``committee.py``
   and the exercises' ``answer_from_records`` (``exercises.py``), for the whole city and for
   one district (the one with most households) or community (the one with most households)
   where the function takes one. Each is called once to warm up, then timed ``--repeats``
   times; the best run counts. A figure is timed as a user waits for it: computed and
   rendered to PNG (``simulator.figures.to_png``, 110 px per inch). Functions that take a
   month get the data's last month.
2. **Explorer** (goal <= 300 ms per update). ``Explorer(data)`` is built once; then, for about
   ten selections (city, zone, district, district + dimension, community, age band, sex,
   household type, a three-month period...), ``view`` + ``monthly_figure`` + PNG at
   110 x 1.5 px per inch; p50/p95/max over every timed run. Then the widget itself:
   ``ExplorerWidget(data)`` with its dropdowns set in code, reading ``last_update_seconds``.
3. **Monthly report** (goal <= 30 s together). ``--report-families`` families are generated as
   Parquet into a temporary folder by ``python -m simulator generate`` (its own subprocess;
   /proc/meminfo is checked first), then a fresh subprocess times ``read_tables`` and
   ``simulator.dashboards.report.write_monthly_report`` separately and together, with peak
   memory. When that module does not exist yet, the report is skipped with a message and the
   generation and ``read_tables`` numbers are still given.

Every timing is compared with its goal. The JSON result (goals, measured values, pass or fail
per item) is the last line printed, and is written to ``--out`` (``bench-out/dashboards.json``);
its key names stay stable from run to run. The exit code is non-zero only when something
failed to run (an exception, a subprocess error), never for a missed goal: those are listed
under ``summary.missed``.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SEED = 2569
FAMILIES = 100_000
REPORT_FAMILIES = 1_000_000
REPEATS = 3
OUT = ROOT / "bench-out" / "dashboards.json"
PNG_DPI = 110  # simulator.figures.to_png's default
EXPLORER_DPI = round(110 * 1.5)  # the widget's 110 px per inch, drawn 1.5 times finer (figures.SHARPNESS)
GOALS = {  # seconds
    "dashboard": 2.0,
    "explorer_update": 0.3,
    "report": 30.0,
}
REPORT_MODULE = "simulator.dashboards.report"
REPORT_MISSING = f"{REPORT_MODULE} not available"
# Public functions of the timed modules that take the data but are not timed on their own,
# and why (tests/test_bench_dashboards.py checks that every other one is timed).
NOT_TIMED = {
    "committee.family_areas": "a lookup inside every committee function",
    "committee.area_order": "a lookup inside every committee function",
    "committee.children_per_area": "a lookup inside every committee function",
    "committee.values_of": "measure_values with a per-month cache (the report shares it); timed as measure_values",
    "explorer.explore": "Explorer(data).view in one call; the explorer part times both halves",
    "explorer.months_of": "computed once when the Explorer is built",
}
MB = 1024 * 1024


# ---- pure parts (tested in tests/test_bench_dashboards.py) -------------------------------

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
    """p50, p95, max (seconds, 4 decimals) and the number of values."""
    values = [float(v) for v in values]
    if not values:
        return {"p50": None, "p95": None, "max": None, "n": 0}
    return {"p50": _round(percentile(values, 50)), "p95": _round(percentile(values, 95)),
            "max": _round(max(values)), "n": len(values)}


def _round(seconds: float | None) -> float | None:
    return None if seconds is None else round(float(seconds), 4)


def time_call(fn: Callable[[], object], repeats: int = REPEATS, warmup: int = 1,
              clock: Callable[[], float] = time.perf_counter) -> dict:
    """Call ``fn`` ``warmup`` times untimed, then ``repeats`` times timed.

    Returns ``{"seconds": best run, "runs": [every timed run]}`` (seconds, 4 decimals).
    """
    if repeats < 1:
        raise ValueError(f"repeats must be at least 1, not {repeats}")
    for _ in range(warmup):
        fn()
    runs = []
    for _ in range(repeats):
        start = clock()
        fn()
        runs.append(clock() - start)
    return {"seconds": _round(min(runs)), "runs": [_round(r) for r in runs]}


def check_goal(seconds: float | None, goal_seconds: float) -> dict:
    """A measured time beside its goal; ``pass`` is None when nothing was measured."""
    return {"seconds": _round(seconds), "goal_seconds": goal_seconds,
            "pass": None if seconds is None else bool(seconds <= goal_seconds)}


@dataclass(frozen=True)
class Item:
    """One timed dashboard call: ``module.function`` for ``scope`` (city, district, a dimension...)."""
    module: str
    function: str
    scope: str | None
    figure: bool
    call: Callable[[], object]

    @property
    def name(self) -> str:
        return f"{self.module}.{self.function}" + (f"[{self.scope}]" if self.scope else "")


def build_result(*, machine: dict, settings: dict, data: dict | None, dashboards: dict, explorer: dict,
                 report: dict, errors: list[dict]) -> dict:
    """The JSON result: every part, plus a summary of goals met and missed and of errors."""
    checks = {f"dashboards.{name}": entry.get("pass") for name, entry in dashboards.items()}
    checks["explorer.update"] = explorer.get("pass")
    checks["explorer.widget_update"] = (explorer.get("widget") or {}).get("pass")
    checks["report.together"] = report.get("pass")
    measured = {k: v for k, v in checks.items() if v is not None}
    timed = [(name, e["seconds"]) for name, e in dashboards.items() if e.get("seconds") is not None]
    slowest = max(timed, key=lambda pair: pair[1], default=None)
    return {
        "machine": machine,
        "settings": settings,
        "goals": {f"{k}_seconds": v for k, v in GOALS.items()},
        "data": data,
        "dashboards": dashboards,
        "explorer": explorer,
        "report": report,
        "errors": errors,
        "summary": {
            "dashboards_timed": len(timed),
            "checks": len(measured),
            "passed": sum(1 for v in measured.values() if v),
            "missed": sorted(k for k, v in measured.items() if not v),
            "errors": len(errors),
            "slowest_dashboard": None if slowest is None else {"name": slowest[0], "seconds": slowest[1]},
        },
    }


def write_json(result: dict, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _error(where: str, exc: BaseException) -> dict:
    return {"where": where, "error": f"{type(exc).__name__}: {exc}",
            "traceback": traceback.format_exception(exc)[-3:]}


# ---- machine ---------------------------------------------------------------------------

def meminfo_mb() -> dict:
    """MemTotal and MemAvailable of /proc/meminfo in MB (None when unreadable)."""
    out = {"total_memory_mb": None, "available_memory_mb": None}
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                key, value = line.split(":", 1)
                if key == "MemTotal":
                    out["total_memory_mb"] = round(int(value.split()[0]) / 1024)
                elif key == "MemAvailable":
                    out["available_memory_mb"] = round(int(value.split()[0]) / 1024)
    except (OSError, ValueError):
        pass
    return out


def machine_info() -> dict:
    import matplotlib
    import numpy
    import pandas

    cpu = None
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            cpu = next((line.split(":", 1)[1].strip() for line in fh if line.startswith("model name")), None)
    except OSError:
        pass
    return {"cpu_count": os.cpu_count(), "cpu": cpu, "machine": platform.machine(),
            "python": platform.python_version(), "pandas": pandas.__version__, "numpy": numpy.__version__,
            "matplotlib": matplotlib.__version__, "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
            **meminfo_mb()}


def _peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


# ---- 1. dashboards -----------------------------------------------------------------------

def build_data(families: int):
    import simulator
    from simulator.dashboards.tables import DashboardData

    start = time.perf_counter()
    pop = simulator.simulate(families, seed=SEED)
    simulate_seconds = time.perf_counter() - start
    start = time.perf_counter()
    tl = simulator.simulate_timelines(pop)
    timelines_seconds = time.perf_counter() - start
    data = DashboardData.from_simulation(pop, tl)
    return data, {"simulate_seconds": _round(simulate_seconds), "timelines_seconds": _round(timelines_seconds)}


def places(data) -> dict:
    """The district and the community (with its district) holding most households."""
    hh = data.households
    sizes = hh.groupby([hh["district"].astype(str), hh["community"].astype(str)]).size()
    community_district, community = sizes.sort_values(ascending=False, kind="stable").index[0]
    district = hh["district"].astype(str).value_counts().index[0]
    def zone_of(name):
        return str(hh.loc[hh["district"].astype(str) == name, "zone"].iloc[0])

    return {"district": district, "zone": zone_of(district), "community": community,
            "community_district": community_district, "community_zone": zone_of(community_district),
            "community_families": int(sizes.max()),
            "district_families": int((hh["district"].astype(str) == district).sum())}


def dashboard_items(data, where: dict) -> list[Item]:
    """Every dashboard call to time, in the order of the levels (community up to the committee)."""
    import pandas as pd

    from simulator.dashboards import committee as cm
    from simulator.dashboards import community as co
    from simulator.dashboards import district as di
    from simulator.dashboards import exercises as ex
    from simulator.dashboards import provider as pr
    from simulator.figures import to_png
    from simulator.model.config import DIMENSIONS

    month = pd.Period(data.as_of, "M")
    district, community, c_district = where["district"], where["community"], where["community_district"]
    items: list[Item] = []

    def add(module, function, scope, call, figure=False):
        items.append(Item(module, function, scope, figure, call))

    def png(make):
        return lambda: to_png(make(), dpi=PNG_DPI)

    # Community level: the largest community.
    add("community", "community_board", "community", lambda: co.community_board(data, community, c_district))
    add("community", "provider_feedback", "community", lambda: co.provider_feedback(data, community, c_district))
    add("community", "community_summary", "community", lambda: co.community_summary(data, community, c_district))
    add("community", "community_petal_figure", "community",
        png(lambda: co.community_petal_figure(data, community, district=c_district)), figure=True)

    # Providers: each dimension, city-wide and in the district.
    for dim in DIMENSIONS:
        for scope, d in (("city", None), ("district", district)):
            tag = f"{dim},{scope}"
            add("provider", "provider_board", tag, lambda dim=dim, d=d: pr.provider_board(data, dim, d))
            add("provider", "provider_summary", tag, lambda dim=dim, d=d: pr.provider_summary(data, dim, d))
            add("provider", "caseload", tag, lambda dim=dim, d=d: pr.caseload(data, dim, d))
            add("provider", "unacknowledged", tag, lambda dim=dim, d=d: pr.unacknowledged(data, dim, d))
            add("provider", "follow_ups", tag, lambda dim=dim, d=d: pr.follow_ups(data, dim, d))
            add("provider", "out_of_contact", tag, lambda dim=dim, d=d: pr.out_of_contact(data, dim, d))
            add("provider", "provider_figure", tag,
                png(lambda dim=dim, d=d: pr.provider_figure(data, dim, d)), figure=True)

    # District level: the whole city and the largest district.
    for scope, d in (("city", None), ("district", district)):
        add("district", "stage_funnel", scope, lambda d=d: di.stage_funnel(data, d))
        add("district", "time_to_steps", scope, lambda d=d: di.time_to_steps(data, d))
        add("district", "goals_met_within", scope, lambda d=d: di.goals_met_within(data, d))
        add("district", "bottlenecks", scope, lambda d=d: di.bottlenecks(data, d))
        add("district", "monthly_new_cases", scope, lambda d=d: di.monthly_new_cases(data, d))
    add("district", "communities_compared", "district", lambda: di.communities_compared(data, district))
    for scope, d in (("city", None), ("district", district)):
        add("district", "funnel_figure", scope, png(lambda d=d: di.funnel_figure(data, d)), figure=True)
        add("district", "time_to_service_figure", scope, png(lambda d=d: di.time_to_service_figure(data, d)),
            figure=True)
    add("district", "communities_figure", "district", png(lambda: di.communities_figure(data, district)),
        figure=True)

    # City committee: the data's last month.
    spec = cm.load_scorecard()
    measure = spec.measures[0]
    add("committee", "monthly_counts", "district", lambda: cm.monthly_counts(data, by="district"))
    add("committee", "monthly_trends", "district", lambda: cm.monthly_trends(data, by="district"))
    add("committee", "monthly_trends", "zone", lambda: cm.monthly_trends(data, by="zone"))
    add("committee", "sandbox_vs_rest", "city", lambda: cm.sandbox_vs_rest(data))
    add("committee", "open_cases", "city", lambda: cm.open_cases(data))
    add("committee", "measure_values", "city", lambda: cm.measure_values(data, month))
    add("committee", "scorecard", "city", lambda: cm.scorecard(data, month))
    add("committee", "scorecard", "district", lambda: cm.scorecard(data, month, area=district))
    add("committee", "scorecard_by_district", "city", lambda: cm.scorecard_by_district(data, month))
    add("committee", "public_table", "open", lambda: cm.public_table(data, month, kind="open"))
    add("committee", "public_table", "new", lambda: cm.public_table(data, month, kind="new"))
    add("committee", "trend_figure", "zone", png(lambda: cm.trend_figure(cm.monthly_trends(data, by="zone"))),
        figure=True)
    add("committee", "sandbox_figure", "city", png(lambda: cm.sandbox_figure(cm.sandbox_vs_rest(data))),
        figure=True)
    add("committee", "scorecard_figure", "city", png(lambda: cm.scorecard_figure(cm.scorecard(data, month))),
        figure=True)

    def tile_map():
        values, hidden = cm.district_values(cm.scorecard_by_district(data, month), measure.id)
        return cm.tile_map_figure(values, measure.display_name(data.settings), legend_th="ร้อยละ (%)",
                                  suppressed=hidden)

    add("committee", "tile_map_figure", "city", png(tile_map), figure=True)

    # Exercises: what the records support (the truth is a one-off large simulation, not timed).
    for cls in (ex.TrendExercise, ex.RiskGroupExercise, ex.ProgrammeExercise):
        add("exercises", f"{cls.__name__}.answer_from_records", None,
            lambda cls=cls: cls(data).answer_from_records())
        add("exercises", f"{cls.__name__}.figure", None, png(lambda cls=cls: cls(data).figure(show_truth=False)),
            figure=True)
    return items


def run_dashboards(items: list[Item], repeats: int, warmup: int, errors: list[dict]) -> dict:
    out = {}
    module = None
    for item in items:
        if item.module != module:  # a full collection between levels, not inside anyone's timing
            gc.collect()
            module = item.module
        entry = {"module": item.module, "function": item.function, "scope": item.scope, "figure": item.figure}
        try:
            timing = time_call(item.call, repeats=repeats, warmup=warmup)
        except Exception as exc:  # noqa: BLE001 (recorded, and the run goes on; the exit code says so)
            errors.append(_error(f"dashboards.{item.name}", exc))
            entry.update(check_goal(None, GOALS["dashboard"]), error=f"{type(exc).__name__}: {exc}")
        else:
            entry.update(check_goal(timing["seconds"], GOALS["dashboard"]), runs=timing["runs"])
        out[item.name] = entry
        mark = "ok  " if entry["pass"] else ("ERROR" if entry["pass"] is None else "SLOW")
        seconds = "-" if entry["seconds"] is None else f"{entry['seconds']:.3f} s"
        print(f"  {mark} {item.name:<58} {seconds}", flush=True)
    return out


# ---- 2. explorer -------------------------------------------------------------------------

def explorer_selections(data, where: dict) -> dict:
    """About ten selections a reader makes, by name: (Selection, start month, end month)."""
    import pandas as pd

    from simulator.dashboards.tables import Selection

    last = pd.Period(data.as_of, "M")
    hh = data.households
    household_type = str(hh["household_type"].astype(str).value_counts().index[0])
    bands = [b.code for b in data.settings.age_bands]
    d, c, cd, z = where["district"], where["community"], where["community_district"], where["zone"]
    return {
        "city": (Selection(), None, None),
        "zone": (Selection(zone=z), None, None),
        "district": (Selection(district=d), None, None),
        "district_dimension": (Selection(district=d, dimension="health"), None, None),
        "community": (Selection(district=cd, community=c), None, None),
        "age_band": (Selection(age_band=bands[-1]), None, None),
        "sex": (Selection(sex="female"), None, None),
        "household_type": (Selection(household_type=household_type), None, None),
        "short_period": (Selection(), str(last - 2), str(last)),
        "dimension": (Selection(dimension="education"), None, None),
        "zone_age_sex_period": (Selection(zone=z, age_band=bands[0], sex="male"), str(last - 11), str(last)),
    }


def run_explorer(data, where: dict, repeats: int, warmup: int, errors: list[dict]) -> dict:
    from simulator.dashboards.explorer import Explorer, monthly_figure
    from simulator.figures import to_png

    out: dict = {"dpi": EXPLORER_DPI, "goal_seconds": GOALS["explorer_update"]}
    try:
        start = time.perf_counter()
        explorer = Explorer(data)
        out["build_seconds"] = _round(time.perf_counter() - start)
        runs, per_selection = [], {}
        for name, (selection, first, last) in explorer_selections(data, where).items():
            def update(selection=selection, first=first, last=last):
                return to_png(monthly_figure(explorer.view(selection, first, last)), dpi=EXPLORER_DPI)

            timing = time_call(update, repeats=repeats, warmup=warmup)
            per_selection[name] = check_goal(timing["seconds"], GOALS["explorer_update"]) | {"runs": timing["runs"]}
            runs += timing["runs"]
            print(f"  explorer {name:<24} {timing['seconds'] * 1000:7.1f} ms", flush=True)
        out["selections"] = per_selection
        out["update_seconds"] = summary(runs)
        out["pass"] = bool(out["update_seconds"]["p95"] <= GOALS["explorer_update"])
    except Exception as exc:  # noqa: BLE001 (recorded; the exit code says so)
        errors.append(_error("explorer", exc))
        out["error"] = f"{type(exc).__name__}: {exc}"
        out["pass"] = None
    try:
        out["widget"] = run_widget(data, where, rounds=repeats)
    except Exception as exc:  # noqa: BLE001 (recorded; the exit code says so)
        errors.append(_error("explorer.widget", exc))
        out["widget"] = {"error": f"{type(exc).__name__}: {exc}", "pass": None}
    return out


def widget_steps(widget, where: dict) -> list[tuple[str, Callable[[], None]]]:
    """Dropdown changes in the order a reader makes them; each redraws the widget once, and the
    last ones set everything back to "all" so that the round can be made again."""
    months = [value for _, value in widget.start.options]
    bands = [value for _, value in widget.age_band.options if value]
    types = [value for _, value in widget.household_type.options if value]

    def setter(control, value):
        return lambda: setattr(control, "value", value)

    return [
        ("zone", setter(widget.zone, where["community_zone"])),
        ("district", setter(widget.district, where["community_district"])),
        ("community", setter(widget.community, where["community"])),
        ("dimension", setter(widget.dimension, "health")),
        ("age_band", setter(widget.age_band, bands[-1])),
        ("sex", setter(widget.sex, "female")),
        ("household_type", setter(widget.household_type, types[0])),
        ("start_month", setter(widget.start, months[-3])),
        ("all_zones", setter(widget.zone, "")),
        ("all_dimensions", setter(widget.dimension, "")),
        ("all_ages", setter(widget.age_band, "")),
        ("all_sexes", setter(widget.sex, "")),
        ("all_household_types", setter(widget.household_type, "")),
        ("start_month_first", setter(widget.start, months[0])),
    ]


def run_widget(data, where: dict, rounds: int) -> dict:
    """``ExplorerWidget(data)``, then ``rounds`` rounds of :func:`widget_steps`, each update's
    ``last_update_seconds`` read back (the widget times its own update: view, headline, PNG, table)."""
    from simulator.widgets.explorer import ExplorerWidget

    start = time.perf_counter()
    widget = ExplorerWidget(data)
    out = {"build_seconds": _round(time.perf_counter() - start),
           "first_update_seconds": _round(widget.last_update_seconds), "rounds": rounds}
    steps = widget_steps(widget, where)
    updates: dict[str, list[float]] = {name: [] for name, _ in steps}
    for _ in range(rounds):
        for name, step in steps:
            before = widget.view_result
            step()
            if widget.view_result is before:
                raise RuntimeError(f"setting {name} did not redraw the explorer widget")
            updates[name].append(_round(widget.last_update_seconds))
    for name, runs in updates.items():
        print(f"  widget   {name:<24} {min(runs) * 1000:7.1f} ms (best of {len(runs)})", flush=True)
    out["updates"] = updates
    out["update_seconds"] = summary([r for runs in updates.values() for r in runs])
    out["goal_seconds"] = GOALS["explorer_update"]
    out["pass"] = bool(out["update_seconds"]["p95"] <= GOALS["explorer_update"])
    return out


# ---- 3. the committee's monthly report ------------------------------------------------------

def load_report_writer() -> Callable | None:
    """``write_monthly_report`` of :data:`REPORT_MODULE`, or None when that module does not exist.

    Only the module's own absence skips the report: an import failing inside it, or a module
    without ``write_monthly_report``, raises.
    """
    try:
        module = importlib.import_module(REPORT_MODULE)
    except ModuleNotFoundError as exc:
        if exc.name != REPORT_MODULE:  # the module is there, but something it imports is not
            raise
        return None
    return module.write_monthly_report


def report_child(folder: Path, out_dir: Path) -> dict:
    """In a fresh process: read the generated tables, then write the monthly report, timed apart."""
    import pandas as pd

    from simulator.dashboards.tables import read_tables

    began = time.perf_counter()
    data = read_tables(folder)
    read_seconds = time.perf_counter() - began
    result = {"read_tables": {"seconds": _round(read_seconds), "peak_rss_mb": _peak_mb(),
                              "rows": {name: len(df) for name, df in data.tables().items()}},
              "month": str(pd.Period(data.as_of, "M"))}
    write_monthly_report = load_report_writer()
    if write_monthly_report is None:
        result["skipped"] = REPORT_MISSING
        return result
    start = time.perf_counter()
    paths = write_monthly_report(data, pd.Period(data.as_of, "M"), out_dir)
    report_seconds = time.perf_counter() - start
    paths = [Path(p) for p in paths]
    result["write_monthly_report"] = {"seconds": _round(report_seconds), "files": len(paths),
                                      "mb": round(sum(p.stat().st_size for p in paths if p.is_file()) / MB, 2),
                                      "suffixes": sorted({p.suffix for p in paths})}
    result["together_seconds"] = _round(time.perf_counter() - began)
    result["peak_rss_mb"] = _peak_mb()
    return result


def _run_measured(cmd: list[str], cwd: Path) -> tuple[int, str, str, float, float]:
    """Run ``cmd``; (exit code, stdout, stderr, seconds, the child's peak RSS in MB)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=err, env={**os.environ, "PYTHONPATH": str(ROOT)})
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return (proc.returncode, out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"),
                seconds, usage.ru_maxrss / 1024)


def run_report(families: int, errors: list[dict]) -> dict:
    from simulator.export import limits

    out: dict = {"families": families, "goal_seconds": GOALS["report"]}
    needed_mb = round(limits.memory_needed(families, "parquet") / MB)
    available_mb = meminfo_mb()["available_memory_mb"]
    out["memory_check"] = {"available_mb": available_mb, "generate_needs_mb": needed_mb}
    if available_mb is not None and available_mb < needed_mb:
        out["skipped"] = (f"not enough memory: generating {families:,} families needs about {needed_mb:,} MB, "
                          f"/proc/meminfo has {available_mb:,} MB available")
        out["pass"] = None
        print(f"  report: {out['skipped']}", flush=True)
        return out
    tmp = Path(tempfile.mkdtemp(prefix="termtem-bench-dashboards-"))
    try:
        folder = tmp / "data"
        cmd = [sys.executable, "-m", "simulator", "generate", "--families", str(families), "--seed", str(SEED),
               "--format", "parquet", "--out", str(folder)]
        code, stdout, stderr, seconds, peak = _run_measured(cmd, ROOT)
        if code != 0:
            raise RuntimeError(f"generate exited with {code}: {(stderr or stdout).strip()[-800:]}")
        files = list(folder.iterdir())
        out["generate"] = {"seconds": _round(seconds), "peak_rss_mb": round(peak, 1), "files": len(files),
                           "mb": round(sum(f.stat().st_size for f in files) / MB, 1)}
        print(f"  generate {families:,} families (Parquet): {seconds:.1f} s, peak {peak:,.0f} MB", flush=True)
        cmd = [sys.executable, str(Path(__file__).resolve()), "--report-child", str(folder), str(tmp / "report")]
        code, stdout, stderr, seconds, peak = _run_measured(cmd, ROOT)
        if code != 0:
            raise RuntimeError(f"the report subprocess exited with {code}: {(stderr or stdout).strip()[-1500:]}")
        child = json.loads(stdout.strip().splitlines()[-1])
        out.update(child)
        out["subprocess_seconds"] = _round(seconds)
        out["subprocess_peak_rss_mb"] = round(peak, 1)
        print(f"  read_tables: {child['read_tables']['seconds']:.2f} s", flush=True)
        if "skipped" in child:
            out["pass"] = None
            print(f"  report skipped: {child['skipped']}", flush=True)
        else:
            out.update(check_goal(child["together_seconds"], GOALS["report"]))
            out["seconds"] = child["together_seconds"]
            print(f"  write_monthly_report: {child['write_monthly_report']['seconds']:.2f} s; together "
                  f"{child['together_seconds']:.2f} s, peak {child['peak_rss_mb']:,.0f} MB", flush=True)
    except Exception as exc:  # noqa: BLE001 (recorded; the exit code says so)
        errors.append(_error("report", exc))
        out["error"] = f"{type(exc).__name__}: {exc}"
        out["pass"] = None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return out


# ---- main ------------------------------------------------------------------------------------

def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--families", type=int, default=FAMILIES, help="families for parts 1 and 2 (100,000)")
    parser.add_argument("--report-families", type=int, default=REPORT_FAMILIES,
                        help="families of the monthly report's data (1,000,000)")
    parser.add_argument("--skip-report", action="store_true", help="leave out part 3 (the monthly report)")
    parser.add_argument("--repeats", type=int, default=REPEATS, help="timed runs of each call; the best counts (3)")
    parser.add_argument("--warmup", type=int, default=1, help="untimed calls before the timed ones (1)")
    parser.add_argument("--out", type=Path, default=OUT, help="where the JSON goes (bench-out/dashboards.json)")
    parser.add_argument("--report-child", nargs=2, metavar=("DATA", "OUT_DIR"), help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    os.environ.setdefault("MPLBACKEND", "Agg")
    if args.report_child:
        print(json.dumps(report_child(Path(args.report_child[0]), Path(args.report_child[1])), ensure_ascii=False))
        return 0
    machine = machine_info()
    print(f"machine: {machine['cpu_count']} cores ({machine['cpu']}), {machine['total_memory_mb']:,} MB memory "
          f"({machine['available_memory_mb']:,} MB available), {machine['machine']}, Python {machine['python']}, "
          f"load {machine['load_average_at_start']}", flush=True)
    settings = {"families": args.families, "report_families": None if args.skip_report else args.report_families,
                "seed": SEED, "repeats": args.repeats, "warmup": args.warmup, "png_dpi": PNG_DPI,
                "explorer_dpi": EXPLORER_DPI}
    errors: list[dict] = []
    data_info, dashboards, explorer = None, {}, {"pass": None}
    try:
        data, built = build_data(args.families)
        where = places(data)
        data_info = {"families": len(data.households), "children": len(data.children), "cases": len(data.cases),
                     "events": len(data.events), "as_of": str(data.as_of.date()),
                     "month": str(data.as_of.to_period("M")), **where, **built}
        print(f"{args.families:,} families: {len(data.cases):,} cases, {len(data.events):,} events to "
              f"{data_info['as_of']}; district {where['district']}, community {where['community']} "
              f"({where['community_district']})", flush=True)
        print("1. dashboards (goal <= 2 s each, best of the timed runs)", flush=True)
        dashboards = run_dashboards(dashboard_items(data, where), args.repeats, args.warmup, errors)
        print("2. explorer (goal <= 300 ms per update)", flush=True)
        explorer = run_explorer(data, where, args.repeats, args.warmup, errors)
        data_info["peak_rss_mb"] = _peak_mb()
        del data
        gc.collect()
    except Exception as exc:  # noqa: BLE001 (recorded; the exit code says so)
        errors.append(_error("setup", exc))
    if args.skip_report:
        report = {"skipped": "--skip-report", "pass": None}
    else:
        print(f"3. the committee's monthly report for {args.report_families:,} families (goal <= 30 s)", flush=True)
        report = run_report(args.report_families, errors)
    machine["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]  # the machine is shared
    result = build_result(machine=machine, settings=settings, data=data_info, dashboards=dashboards,
                          explorer=explorer, report=report, errors=errors)
    write_json(result, args.out)
    s = result["summary"]
    print(f"{s['passed']} of {s['checks']} goals met; missed: {', '.join(s['missed']) or 'none'}; "
          f"errors: {s['errors']}; written to {args.out}", flush=True)
    print(json.dumps(result, ensure_ascii=False))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
