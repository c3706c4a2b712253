"""benchmarks/bench_dashboards.py: its pure parts (timing, percentiles, goals, the JSON result,
when the report is skipped), that it times every dashboard function, and one run at tiny sizes."""

from __future__ import annotations

import importlib.util
import inspect
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import simulator
from simulator.dashboards import (
    committee,
    community,
    district,
    exercises,
    explorer,
    provider,
)
from simulator.dashboards.tables import DashboardData
from simulator.model.config import DIMENSIONS

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "benchmarks" / "bench_dashboards.py"
LEVEL_MODULES = {"community": community, "provider": provider, "district": district, "committee": committee,
                 "explorer": explorer}
# What the benchmark was asked to time (module.function; providers once per dimension).
REQUIRED = [
    "community.community_board", "community.provider_feedback", "community.community_summary",
    "community.community_petal_figure",
    "district.stage_funnel", "district.time_to_steps", "district.goals_met_within", "district.bottlenecks",
    "district.communities_compared", "district.monthly_new_cases", "district.funnel_figure",
    "district.time_to_service_figure", "district.communities_figure",
    "committee.monthly_trends", "committee.sandbox_vs_rest", "committee.scorecard", "committee.scorecard_by_district",
    "committee.public_table", "committee.trend_figure", "committee.scorecard_figure", "committee.tile_map_figure",
    "exercises.TrendExercise.answer_from_records", "exercises.RiskGroupExercise.answer_from_records",
    "exercises.ProgrammeExercise.answer_from_records",
]
PROVIDER_FUNCTIONS = ["provider_board", "provider_summary", "caseload", "unacknowledged", "follow_ups",
                      "out_of_contact", "provider_figure"]


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_dashboards", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the script loads
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        sys.modules.pop(spec.name, None)


@pytest.fixture(scope="module")
def small_data():
    pop = simulator.simulate(400, seed=3)
    return DashboardData.from_simulation(pop, simulator.simulate_timelines(pop))


def test_percentile_and_summary(bench):
    assert bench.percentile([4, 1, 3, 2, 5], 95) == pytest.approx(4.8)
    assert bench.percentile([1, 2, 3, 4], 50) == pytest.approx(2.5)
    assert bench.percentile(range(1, 41), 95) == pytest.approx(38.05)  # numpy's default gives the same
    assert bench.percentile([], 50) is None
    with pytest.raises(ValueError):
        bench.percentile([1], -1)
    assert bench.summary([0.1, 0.4, 0.2, 0.3]) == {"p50": 0.25, "p95": 0.385, "max": 0.4, "n": 4}
    assert bench.summary([]) == {"p50": None, "p95": None, "max": None, "n": 0}


def test_time_call_warms_up_then_keeps_the_best_run(bench):
    calls = []
    ticks = iter([10.0, 11.5, 20.0, 20.25, 30.0, 31.0])  # start/stop of three runs: 1.5, 0.25, 1.0 s
    result = bench.time_call(lambda: calls.append(1), repeats=3, warmup=2, clock=lambda: next(ticks))
    assert len(calls) == 5  # two untimed, three timed
    assert result == {"seconds": 0.25, "runs": [1.5, 0.25, 1.0]}
    calls.clear()
    ticks = iter([0.0, 0.123456])
    assert bench.time_call(lambda: calls.append(1), repeats=1, warmup=0, clock=lambda: next(ticks)) == {
        "seconds": 0.1235, "runs": [0.1235]}
    assert len(calls) == 1
    with pytest.raises(ValueError):
        bench.time_call(lambda: None, repeats=0)


def test_time_call_lets_an_error_through(bench):
    def broken():
        raise KeyError("no such column")

    with pytest.raises(KeyError):
        bench.time_call(broken)


def test_check_goal(bench):
    assert bench.check_goal(2.0, 2.0) == {"seconds": 2.0, "goal_seconds": 2.0, "pass": True}
    assert bench.check_goal(2.00011, 2.0)["pass"] is False
    assert bench.check_goal(0.31, 0.3) == {"seconds": 0.31, "goal_seconds": 0.3, "pass": False}
    assert bench.check_goal(None, 30.0) == {"seconds": None, "goal_seconds": 30.0, "pass": None}


def test_result_lists_goals_missed_and_errors(bench):
    dashboards = {
        "district.stage_funnel[city]": {**bench.check_goal(0.5, 2.0), "runs": [0.5]},
        "provider.caseload[social,city]": {**bench.check_goal(2.5, 2.0), "runs": [2.5]},
        "committee.scorecard[city]": {**bench.check_goal(None, 2.0), "error": "KeyError: 'x'"},
    }
    explorer_part = {"pass": True, "update_seconds": bench.summary([0.1, 0.2]),
                     "widget": {"pass": False, "update_seconds": bench.summary([0.4])}}
    report = {"skipped": bench.REPORT_MISSING, "pass": None}
    errors = [{"where": "dashboards.committee.scorecard[city]", "error": "KeyError: 'x'", "traceback": []}]
    result = bench.build_result(machine={"cpu_count": 2}, settings={"families": 10}, data={"families": 10},
                                dashboards=dashboards, explorer=explorer_part, report=report, errors=errors)
    assert list(result) == ["machine", "settings", "goals", "data", "dashboards", "explorer", "report", "errors",
                            "summary"]
    assert result["goals"] == {"dashboard_seconds": 2.0, "explorer_update_seconds": 0.3, "report_seconds": 30.0}
    s = result["summary"]
    assert s["dashboards_timed"] == 2
    assert s["checks"] == 4  # two dashboards, the explorer and its widget; the error and the skip are not checks
    assert s["passed"] == 2
    assert s["missed"] == ["dashboards.provider.caseload[social,city]", "explorer.widget_update"]
    assert s["errors"] == 1
    assert s["slowest_dashboard"] == {"name": "provider.caseload[social,city]", "seconds": 2.5}
    json.dumps(result)  # plain JSON


def test_report_is_skipped_only_when_its_module_is_missing(bench, tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(bench, "REPORT_MODULE", "termtem_no_such_report")
    assert bench.load_report_writer() is None
    # The module is there but one of its imports is not: an error, not a skip.
    (tmp_path / "termtem_broken_report.py").write_text("import termtem_no_such_dependency\n", encoding="utf-8")
    monkeypatch.setattr(bench, "REPORT_MODULE", "termtem_broken_report")
    with pytest.raises(ModuleNotFoundError, match="termtem_no_such_dependency"):
        bench.load_report_writer()
    (tmp_path / "termtem_empty_report.py").write_text("X = 1\n", encoding="utf-8")
    monkeypatch.setattr(bench, "REPORT_MODULE", "termtem_empty_report")
    with pytest.raises(AttributeError):
        bench.load_report_writer()
    (tmp_path / "termtem_good_report.py").write_text(
        "def write_monthly_report(data, month, out_dir, overwrite=False):\n    return []\n", encoding="utf-8")
    monkeypatch.setattr(bench, "REPORT_MODULE", "termtem_good_report")
    assert bench.load_report_writer().__name__ == "write_monthly_report"


def test_report_says_when_memory_is_too_small(bench):
    errors = []
    out = bench.run_report(10**9, errors)  # a billion families need far more than any machine here
    assert errors == []
    assert out["pass"] is None and "generate" not in out
    assert out["skipped"].startswith("not enough memory")
    assert out["memory_check"]["generate_needs_mb"] > out["memory_check"]["available_mb"]


def _takes_data(fn) -> bool:
    params = list(inspect.signature(fn).parameters.values())
    return bool(params) and str(params[0].annotation).endswith("DashboardData")


def test_every_dashboard_function_is_timed(bench, small_data):
    where = bench.places(small_data)
    items = bench.dashboard_items(small_data, where)
    names = [item.name for item in items]
    assert len(names) == len(set(names))
    timed = {f"{item.module}.{item.function}" for item in items}
    timed |= {"explorer.Explorer", "explorer.monthly_figure"}  # part 2
    for module_name, module in LEVEL_MODULES.items():
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("_") or fn.__module__ != module.__name__:
                continue
            key = f"{module_name}.{name}"
            if _takes_data(fn) or name.endswith("_figure"):
                assert key in timed or key in bench.NOT_TIMED, f"{key} is not benchmarked"
    for name, cls in inspect.getmembers(exercises, inspect.isclass):
        if cls.__module__ == exercises.__name__ and hasattr(cls, "answer_from_records"):
            assert f"exercises.{name}.answer_from_records" in timed
            assert f"exercises.{name}.figure" in timed
    for key in bench.NOT_TIMED:  # no stale excuses
        module_name, name = key.split(".")
        assert callable(getattr(LEVEL_MODULES[module_name], name))
    # Figures are timed with their rendering.
    assert all(item.figure == item.function.endswith(("_figure", ".figure")) for item in items)


def test_explorer_selections_are_about_ten_and_valid(bench, small_data):
    from simulator.dashboards.explorer import Explorer

    where = bench.places(small_data)
    selections = bench.explorer_selections(small_data, where)
    assert len(selections) >= 10
    ex = Explorer(small_data)
    views = {name: ex.view(sel, start, end) for name, (sel, start, end) in selections.items()}
    assert views["short_period"].monthly.shape[0] == 3
    assert views["community"].headline["families"] == where["community_families"]
    assert views["district"].headline["families"] == where["district_families"]
    assert views["city"].headline["families"] == len(small_data.households)


def test_runs_end_to_end_at_tiny_sizes(bench, tmp_path):
    out = tmp_path / "dashboards.json"
    proc = subprocess.run([sys.executable, str(SCRIPT), "--families", "2000", "--report-families", "3000",
                           "--repeats", "1", "--warmup", "0", "--out", str(out)],
                          check=False, capture_output=True, text=True, timeout=120, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT), "MPLBACKEND": "Agg"})
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result == json.loads(out.read_text(encoding="utf-8"))
    assert result["errors"] == [] and result["summary"]["errors"] == 0
    assert result["machine"]["cpu_count"] >= 1 and result["machine"]["total_memory_mb"] > 0
    assert result["data"]["families"] == 2000 and result["data"]["month"] == "2025-12"

    dashboards = result["dashboards"]
    for name, entry in dashboards.items():
        assert entry["seconds"] is not None and entry["seconds"] > 0, name
        assert entry["goal_seconds"] == 2.0 and entry["pass"] == (entry["seconds"] <= 2.0), name
    functions = {f"{e['module']}.{e['function']}" for e in dashboards.values()}
    assert set(REQUIRED) <= functions
    for fn in PROVIDER_FUNCTIONS:
        for dim in DIMENSIONS:
            assert f"provider.{fn}[{dim},city]" in dashboards
    for name in ("district.stage_funnel[city]", "district.stage_funnel[district]", "committee.public_table[open]",
                 "committee.public_table[new]", "committee.monthly_trends[zone]", "committee.monthly_trends[district]",
                 "community.community_board[community]", "provider.provider_board[health,district]"):
        assert name in dashboards

    ex = result["explorer"]
    assert len(ex["selections"]) >= 10 and ex["update_seconds"]["n"] == len(ex["selections"])
    assert ex["pass"] == (ex["update_seconds"]["p95"] <= 0.3)
    widget = ex["widget"]
    assert len(widget["updates"]) >= 10 and all(len(runs) == 1 for runs in widget["updates"].values())
    assert widget["update_seconds"]["max"] > 0

    report = result["report"]
    assert report["families"] == 3000 and report["generate"]["files"] >= 5
    assert report["read_tables"]["rows"]["households"] == 3000 and report["read_tables"]["seconds"] > 0
    if importlib.util.find_spec("simulator.dashboards.report") is None:
        assert report["skipped"] == "simulator.dashboards.report not available" and report["pass"] is None
    else:
        assert report["write_monthly_report"]["files"] > 0
        assert report["pass"] == (report["together_seconds"] <= 30.0)
    missed = result["summary"]["missed"]
    assert missed == sorted(k for k, v in [(f"dashboards.{n}", e["pass"]) for n, e in dashboards.items()]
                            + [("explorer.update", ex["pass"]), ("explorer.widget_update", widget["pass"]),
                               ("report.together", report["pass"])] if v is False)
