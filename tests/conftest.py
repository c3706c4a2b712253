import os
import shutil

import matplotlib
import pytest

os.environ.setdefault("MPLBACKEND", "Agg")
matplotlib.use("Agg")

import simulator  # noqa: E402
from simulator.model.config import DATA_DIR  # noqa: E402


@pytest.fixture(scope="session")
def pop_small():
    return simulator.simulate(300, seed=11)


@pytest.fixture(scope="session")
def pop_large():
    """Large enough for rate checks within a few percent."""
    return simulator.simulate(60_000, seed=2024)


@pytest.fixture(scope="session")
def pop_20k():
    """The issue's realism check: 20,000 families at seed 11."""
    return simulator.simulate(20_000, seed=11)


@pytest.fixture(scope="session")
def timelines_20k(pop_20k):
    from simulator.model.timelines import simulate_timelines

    return simulate_timelines(pop_20k)



@pytest.fixture
def data_copy(tmp_path):
    """A copy of the packaged data files to edit: the originals are never touched."""
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


# The practice platform's tests run on SQLite and on a real PostgreSQL server started here.
@pytest.fixture(scope="session")
def postgres_server():
    from tests.platform_server import PostgresMissing, PostgresServer

    try:
        server = PostgresServer.start()
    except PostgresMissing as exc:
        pytest.fail(str(exc), pytrace=False)
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def platform_url(request, tmp_path):
    """Where a fresh platform lives: a new workshop folder (SQLite) or a new database (PostgreSQL)."""
    if request.param == "sqlite":
        return str(tmp_path / "workshop")
    return request.getfixturevalue("postgres_server").new_database()
