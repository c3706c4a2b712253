"""The pinned golden dataset. Regenerate deliberately: ``python tests/golden_data.py``."""

from pathlib import Path

GOLDEN_DIR = Path(__file__).parent / "golden" / "seed7_families12"
GOLDEN_FAMILIES = 12
GOLDEN_SEED = 7


def regenerate() -> None:
    import shutil

    import simulator
    from simulator.export import write_population

    shutil.rmtree(GOLDEN_DIR, ignore_errors=True)
    write_population(simulator.simulate(GOLDEN_FAMILIES, seed=GOLDEN_SEED), GOLDEN_DIR, "csv")


if __name__ == "__main__":
    regenerate()
    print(f"rewrote {GOLDEN_DIR}")
