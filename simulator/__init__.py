"""Termtem training kit: synthetic Bangkok families for child-protection training.

Every table and figure this package produces is synthetic (ข้อมูลสมมติ): invented
people, opaque IDs, no real child.

Wings, each depending only on the ones before it:
``thai`` (words, dates, text) -> ``model`` (data files, population, timelines) ->
``exercises`` (views, grading, plans) -> ``figures`` -> ``widgets`` -> ``export``,
``workshop`` and the command line.
"""

from simulator.model.config import ConfigError, load_config
from simulator.model.population import Population, SimulationError, simulate, simulate_family
from simulator.model.timelines import Timelines, simulate_timelines

__all__ = ["ConfigError", "Population", "SimulationError", "Timelines", "load_config", "simulate",
           "simulate_family", "simulate_timelines"]
__version__ = "0.1.0"
