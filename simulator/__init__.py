"""Termtem training kit: synthetic Bangkok families for child-protection training.

Every table and figure this package produces is synthetic (ข้อมูลสมมติ): invented
people, opaque IDs, no real child.
"""

from .config import ConfigError, load_config
from .population import Population, SimulationError, simulate, simulate_family

__all__ = ["ConfigError", "Population", "SimulationError", "load_config", "simulate", "simulate_family"]
__version__ = "0.1.0"
