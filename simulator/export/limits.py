"""What a request will cost, known before any work starts: memory, and rows of the biggest sheet.

The command line refuses a request that cannot finish (too many families for the memory
this machine has free, or more rows than an Excel sheet holds) instead of failing after
minutes of work, or being killed halfway by the operating system.
"""

from __future__ import annotations

import math
import os

from simulator.export.tables import EXCEL_MAX_ROWS, HEADER_ROWS

# Peak resident memory of `generate` (population, timelines and the files written) grows
# linearly with the number of families. Measured with ru_maxrss on the kit's own data
# files (with geothai and PyThaiNLP loaded): csv 0.36 GB at 20,000, 1.41 GB at 200,000 and
# 6.05 GB at 1,000,000 families, parquet the same; xlsx 0.31 GB at 20,000 and 0.77 GB at
# 100,000. Slopes and base rounded up; the base is the interpreter, the libraries and the
# fixed tables. The margin covers edited data files and the allocator's moods. The base was
# raised from 256 MB to 384 MB after a CI run measured 0.50 GB at 20,000 families (0.37 GB
# usually) on a machine loaded by other work: the estimate must cover the worst run, not the mean.
BASE_BYTES = 384 * 2**20
BYTES_PER_FAMILY = {"csv": 6_000, "parquet": 6_000, "xlsx": 6_400}
MEMORY_MARGIN = 1.25
# Rows per family of the biggest table are measured on a pilot of this many families
# (the first ones of the same run, so the estimate follows the seed and data files);
# the margin covers the pilot's sampling error, a few percent at this size.
PILOT_FAMILIES = 4_000
ROWS_MARGIN = 1.10


def memory_needed(families: int, fmt: str) -> int:
    """Estimated peak bytes for writing ``families`` households in format ``fmt``."""
    return int(MEMORY_MARGIN * (BASE_BYTES + families * BYTES_PER_FAMILY[fmt]))


def max_families_for_memory(available: int, fmt: str) -> int:
    """The most families whose estimate fits in ``available`` bytes (0 if none do)."""
    room = available / MEMORY_MARGIN - BASE_BYTES
    return max(0, int(room // BYTES_PER_FAMILY[fmt]))


def available_memory() -> int | None:
    """Bytes the system can give without swapping (MemAvailable), or None if unknown."""
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, OSError, ValueError):
        return None


def rows_per_family(tables: dict, families: int) -> dict[str, float]:
    """Rows per family of each table of a pilot run of ``families`` households."""
    return {name: len(df) / families for name, df in tables.items()}


def max_families_for_sheet(rate: float) -> int:
    """The most families whose biggest table, at ``rate`` rows per family plus the margin, fits a sheet."""
    if rate <= 0:
        return 2**63 - 1
    return int(math.floor((EXCEL_MAX_ROWS - HEADER_ROWS) / (rate * ROWS_MARGIN)))
