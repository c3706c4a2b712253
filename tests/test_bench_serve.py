"""The pure parts of benchmarks/bench_serve.py: percentiles, the JSON result and the goals."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "benchmarks" / "bench_serve.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_serve", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the script loads
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        sys.modules.pop(spec.name, None)


def test_percentile_interpolates_between_ranks(bench):
    values = [4, 1, 3, 2, 5]  # unsorted on purpose
    assert bench.percentile(values, 0) == 1
    assert bench.percentile(values, 50) == 3
    assert bench.percentile(values, 100) == 5
    assert bench.percentile(values, 95) == pytest.approx(4.8)
    assert bench.percentile([1, 2, 3, 4], 50) == pytest.approx(2.5)
    assert bench.percentile(range(1, 41), 95) == pytest.approx(38.05)  # numpy's default gives the same
    assert bench.percentile([7.5], 95) == 7.5
    assert bench.percentile([], 50) is None
    with pytest.raises(ValueError):
        bench.percentile([1], 101)


def _phones(bench, first, feedback, errors=()):
    phones = [bench.PhoneResult(i, first_screen=f, feedback=b, feedback_in_page=b / 2, flower=b + 1, notes=5)
              for i, (f, b) in enumerate(zip(first, feedback))]
    for i, reason in errors:
        phones.append(bench.PhoneResult(i, error=reason))
    return phones


def _result(bench, phones, peak_total=3000.0, blocked=()):
    memory = bench.Memory(peak_server_mb=1000.0, peak_browser_mb=2000.0, peak_total_mb=peak_total, samples=9)
    return bench.build_result(phones, memory, kernel_mb=201.26, kernels=4, server_idle_mb=900.0, ready_seconds=12.34,
                              blocked=list(blocked), settings={"fill_delay_seconds": 600.0},
                              machine={"cpu_count": 2, "total_memory_mb": 24000})


def test_result_shape_and_figures_from_fake_timings(bench):
    phones = _phones(bench, first=[1.0, 2.0, 3.0, 4.0], feedback=[0.1, 0.2, 0.3, 0.4],
                     errors=[(4, "first screen: TimeoutError: 60 s")])
    result = _result(bench, phones, blocked=["https://cdn.example/x.js", "https://cdn.example/x.js"])
    for key in ("phones", "failures", "first_screen_seconds", "feedback_seconds", "peak_server_mb",
                "peak_browser_mb", "peak_total_mb", "kernel_mb", "server_ready_seconds", "blocked_requests",
                "settings", "machine", "goals"):
        assert key in result
    assert result["phones"] == 5
    assert result["failures"] == {"count": 1, "reasons": [{"phone": 4, "reason": "first screen: TimeoutError: 60 s"}]}
    # The failed phone has no timings and is left out of the percentiles.
    assert result["first_screen_seconds"] == {"p50": 2.5, "p95": 3.85, "max": 4.0, "n": 4}
    assert result["feedback_seconds"]["p95"] == pytest.approx(0.385)
    assert result["feedback_in_page_seconds"]["max"] == pytest.approx(0.2)
    assert result["kernel_mb"] == 201.3 and result["server_ready_seconds"] == 12.3
    assert result["blocked_requests"]["count"] == 2
    assert result["blocked_requests"]["examples"] == ["https://cdn.example/x.js"]
    assert result["settings"]["fill_delay_seconds"] == 600.0
    json.dumps(result)  # everything in it is plain JSON


def test_goals_pass_and_fail(bench):
    good = _result(bench, _phones(bench, first=[5.0] * 10, feedback=[0.5] * 10))
    assert all(g["pass"] for g in good["goals"].values())
    assert bench.problems(good) == []

    slow = _result(bench, _phones(bench, first=[5.0] * 19 + [30.0], feedback=[0.5] * 19 + [3.0]), peak_total=13000.0)
    goals = slow["goals"]
    assert goals["first_screen_p95_le_10s"]["value"] == pytest.approx(6.25) and goals["first_screen_p95_le_10s"]["pass"]
    assert goals["feedback_p95_le_1s"]["value"] == pytest.approx(0.625) and goals["feedback_p95_le_1s"]["pass"]
    assert not goals["peak_total_le_12gb"]["pass"]

    slower = _result(bench, _phones(bench, first=[11.0] * 3, feedback=[1.01] * 3))
    assert not slower["goals"]["first_screen_p95_le_10s"]["pass"]
    assert not slower["goals"]["feedback_p95_le_1s"]["pass"]
    assert len(bench.problems(slower)) == 2


def test_no_working_phone_fails_every_timing_goal(bench):
    result = _result(bench, _phones(bench, first=[], feedback=[], errors=[(0, "opening: boom")]), blocked=["http://x/"])
    assert result["first_screen_seconds"]["p95"] is None
    assert not result["goals"]["first_screen_p95_le_10s"]["pass"]
    assert not result["goals"]["feedback_p95_le_1s"]["pass"]
    reasons = bench.problems(result)
    assert any("1 of 1 phones failed" in r for r in reasons)
    assert any("blocked" in r for r in reasons)


def test_json_written_whole(bench, tmp_path):
    out = tmp_path / "deep" / "serve.json"
    bench.write_json({"phones": 3, "ชื่อ": "ไทย"}, out)
    assert json.loads(out.read_text(encoding="utf-8")) == {"phones": 3, "ชื่อ": "ไทย"}
    assert [p.name for p in out.parent.iterdir()] == ["serve.json"]  # no temporary file left beside it
