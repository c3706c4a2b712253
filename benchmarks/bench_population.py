"""Benchmark: population generation speed and memory, and a per-row Faker loop for comparison.

Run with ``make bench``. ``csv_seconds_1m`` times the six population tables of 1,000,000
families (as since the first version); ``csv_seconds_1m_all_tables`` all ten, timelines too.
Each size runs in a fresh subprocess so its peak memory is its own.
The last line printed is a JSON summary whose key names stay stable from run to run.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time

SIZES = (10_000, 100_000, 1_000_000)
FAKER_FAMILIES = 20_000  # the per-row loop is slow; its rate is measured on this many families
SEED = 2569


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_size(families: int, export: bool) -> dict:
    import simulator
    from simulator.export import write_population

    start = time.perf_counter()
    pop = simulator.simulate(families, seed=SEED)
    seconds = time.perf_counter() - start
    result = {
        "families": families,
        "seconds": round(seconds, 3),
        "families_per_second": round(families / seconds),
        "peak_mb": round(_peak_mb(), 1),
        "rows": {name: len(df) for name, df in pop.tables().items()},
    }
    # The person columns alone (households, names, sex, title, dates), as the Faker loop makes them.
    import numpy as np

    from simulator.model.config import load_config
    from simulator.model.geography import district_table
    from simulator.model.households import draw_households
    from simulator.model.population import people_columns

    cfg = load_config()
    start = time.perf_counter()
    hh = draw_households(cfg, district_table(cfg.geography), SEED, np.arange(families, dtype=np.uint64))
    people = people_columns(cfg, hh)[0]
    result["person_columns_seconds"] = round(time.perf_counter() - start, 3)
    result["person_columns_per_second"] = round(len(people) / result["person_columns_seconds"])
    del hh, people
    if export:
        out = tempfile.mkdtemp(prefix="termtem-bench-")
        try:
            start = time.perf_counter()
            write_population(pop, os.path.join(out, "parquet"), "parquet")
            result["parquet_seconds"] = round(time.perf_counter() - start, 3)
            start = time.perf_counter()
            write_population(pop, os.path.join(out, "csv"), "csv")
            result["csv_seconds"] = round(time.perf_counter() - start, 3)
            result["peak_mb_with_export"] = round(_peak_mb(), 1)
        finally:
            shutil.rmtree(out, ignore_errors=True)
    return result


def run_timelines(families: int) -> dict:
    """Five years of case timelines for ``families`` households (population drawn first, not timed)."""
    import simulator
    from simulator.model.timelines import simulate_timelines

    pop = simulator.simulate(families, seed=SEED)
    start = time.perf_counter()
    tl = simulate_timelines(pop)
    seconds = time.perf_counter() - start
    return {"families": families, "cases": len(tl.cases), "events": len(tl.events), "seconds": round(seconds, 3),
            "peak_mb": round(_peak_mb(), 1)}


def export_all(families: int) -> dict:
    """Writing all ten tables (population and timelines) of ``families`` households as CSV and Parquet."""
    import simulator
    from simulator.export import write_population
    from simulator.model.timelines import simulate_timelines

    pop = simulator.simulate(families, seed=SEED)
    tl = simulate_timelines(pop)
    out = tempfile.mkdtemp(prefix="termtem-bench-")
    try:
        start = time.perf_counter()
        write_population(pop, os.path.join(out, "csv"), "csv", timelines=tl)
        csv_seconds = time.perf_counter() - start
        start = time.perf_counter()
        write_population(pop, os.path.join(out, "parquet"), "parquet", timelines=tl)
        parquet_seconds = time.perf_counter() - start
        csv_mb = sum(os.path.getsize(os.path.join(out, "csv", f)) for f in os.listdir(os.path.join(out, "csv")))
    finally:
        shutil.rmtree(out, ignore_errors=True)
    return {"families": families, "csv_seconds": round(csv_seconds, 3), "parquet_seconds": round(parquet_seconds, 3),
            "csv_mb": round(csv_mb / 2**20), "peak_mb": round(_peak_mb(), 1)}


def faker_loop(families: int) -> dict:
    """The straightforward approach: one Faker call per person and column."""
    import random

    from faker import Faker

    import simulator

    # The same household structure, so both produce the same number of person rows.
    people = simulator.simulate(families, seed=SEED).people
    fake = Faker("th_TH")
    Faker.seed(SEED)
    rnd = random.Random(SEED)
    start = time.perf_counter()
    rows = []
    for relation, age in zip(people["relation"].astype(str), people["age_years"].astype("float")):
        female = relation in ("mother", "grandmother") or (
            relation not in ("father", "grandfather") and rnd.random() < 0.49
        )
        first = fake.first_name_female() if female else fake.first_name_male()
        last = fake.last_name()
        birth = fake.date_of_birth(minimum_age=0 if age != age else int(age), maximum_age=0 if age != age else int(age))
        title = ("เด็กหญิง" if female else "เด็กชาย") if age == age and age < 15 else ("นาง" if female else "นาย")
        rows.append((title, first, last, "female" if female else "male", birth))
    seconds = time.perf_counter() - start
    return {"families": families, "people": len(rows), "seconds": round(seconds, 3),
            "people_per_second": round(len(rows) / seconds)}


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--one":
        families, export = int(sys.argv[2]), sys.argv[3] == "1"
        print(json.dumps(run_size(families, export)))
        return
    if len(sys.argv) > 1 and sys.argv[1] == "--timelines":
        print(json.dumps(run_timelines(int(sys.argv[2]))))
        return
    if len(sys.argv) > 1 and sys.argv[1] == "--export-all":
        print(json.dumps(export_all(int(sys.argv[2]))))
        return
    if len(sys.argv) > 1 and sys.argv[1] == "--faker":
        print(json.dumps(faker_loop(int(sys.argv[2]))))
        return

    print(f"machine: {os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}")
    results = {}
    for families in SIZES:
        out = subprocess.run([sys.executable, __file__, "--one", str(families), "1" if families == SIZES[-1] else "0"],
                             check=True, capture_output=True, text=True).stdout
        results[families] = json.loads(out.strip().splitlines()[-1])
        r = results[families]
        line = f"{families:>9,} families: {r['seconds']:7.2f} s, {r['families_per_second']:>9,}/s, peak {r['peak_mb']:,.0f} MB"
        if "parquet_seconds" in r:
            line += f"; Parquet {r['parquet_seconds']:.2f} s, CSV {r['csv_seconds']:.2f} s"
        print(line, flush=True)
    faker = json.loads(subprocess.run([sys.executable, __file__, "--faker", str(FAKER_FAMILIES)], check=True,
                                      capture_output=True, text=True).stdout.strip().splitlines()[-1])
    timelines = json.loads(subprocess.run([sys.executable, __file__, "--timelines", "100000"], check=True,
                                          capture_output=True, text=True).stdout.strip().splitlines()[-1])
    print(f"timelines 2021-2025 for 100,000 families: {timelines['cases']:,} cases, {timelines['events']:,} events "
          f"in {timelines['seconds']:.2f} s")
    every = json.loads(subprocess.run([sys.executable, __file__, "--export-all", str(SIZES[-1])], check=True,
                                      capture_output=True, text=True).stdout.strip().splitlines()[-1])
    print(f"all ten tables (population and timelines) of {SIZES[-1]:,} families: CSV {every['csv_seconds']:.2f} s "
          f"({every['csv_mb']:,} MB), Parquet {every['parquet_seconds']:.2f} s, peak {every['peak_mb']:,.0f} MB")
    big = results[SIZES[-1]]
    ours_people_per_second = big["person_columns_per_second"]
    speedup = ours_people_per_second / faker["people_per_second"]
    whole = big["rows"]["people"] / big["seconds"]
    print(f"per-row Faker loop: {faker['people']:,} people (title, names, sex, birth date) in {faker['seconds']:.2f} s, "
          f"{faker['people_per_second']:,} people/s; the simulator makes the same columns at "
          f"{ours_people_per_second:,} people/s ({speedup:.0f}x), and {whole:,.0f} people/s with everything "
          f"else too (IDs, threats, observations, petals)")
    summary = {
        "cores": os.cpu_count(),
        "seconds_10k": results[10_000]["seconds"],
        "seconds_100k": results[100_000]["seconds"],
        "seconds_1m": big["seconds"],
        "families_per_second_1m": big["families_per_second"],
        "peak_mb_1m": big["peak_mb"],
        "peak_mb_1m_with_export": big["peak_mb_with_export"],
        "parquet_seconds_1m": big["parquet_seconds"],
        "csv_seconds_1m": big["csv_seconds"],
        "rows_1m": big["rows"],
        "person_columns_seconds_1m": big["person_columns_seconds"],
        "person_columns_per_second_1m": big["person_columns_per_second"],
        "faker_loop_people_per_second": faker["people_per_second"],
        "speedup_vs_faker_loop": round(speedup, 1),
        "csv_seconds_1m_all_tables": every["csv_seconds"],
        "parquet_seconds_1m_all_tables": every["parquet_seconds"],
        "seconds_timelines_100k": timelines["seconds"],
        "timeline_events_100k": timelines["events"],
    }
    print(json.dumps(summary, ensure_ascii=False))


if __name__ == "__main__":
    main()
