import os

import matplotlib
import pytest

os.environ.setdefault("MPLBACKEND", "Agg")
matplotlib.use("Agg")

import simulator  # noqa: E402


@pytest.fixture(scope="session")
def pop_small():
    return simulator.simulate(300, seed=11)


@pytest.fixture(scope="session")
def pop_large():
    """Large enough for rate checks within a few percent."""
    return simulator.simulate(60_000, seed=2024)
