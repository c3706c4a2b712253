"""The pinned golden dataset. Regenerate deliberately: ``python tests/golden_data.py``."""

from pathlib import Path

GOLDEN_DIR = Path(__file__).parent / "golden" / "seed7_families40"
GOLDEN_FAMILIES = 40
GOLDEN_SEED = 7


def regenerate() -> None:
    import shutil

    shutil.rmtree(GOLDEN_DIR, ignore_errors=True)
    write_golden(GOLDEN_DIR)


def write_golden(folder: Path) -> None:
    """The golden dataset: population and journey tables, as CSV."""
    import simulator
    from simulator.export import write_population
    from simulator.model.timelines import simulate_timelines

    pop = simulator.simulate(GOLDEN_FAMILIES, seed=GOLDEN_SEED)
    write_population(pop, folder, "csv", timelines=simulate_timelines(pop))


if __name__ == "__main__":
    regenerate()
    print(f"rewrote {GOLDEN_DIR}")
