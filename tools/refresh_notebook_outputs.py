"""Re-run activity notebooks and keep only the outputs nbval checks.

Notebooks are stored without outputs, except cells starting with ``# NBVAL_CHECK_OUTPUT``,
whose stored output `make test` compares with a fresh run. After a deliberate change to a
notebook or to generated data, refresh them:

    .venv/bin/python tools/refresh_notebook_outputs.py activities/03_petal_analysis.ipynb
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbclient
import nbformat

CHECK = "# NBVAL_CHECK_OUTPUT"


def refresh(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    nbclient.NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        cell.metadata.pop("execution", None)  # timestamps would make every refresh a diff
        if not cell.source.lstrip().startswith(CHECK):
            cell.outputs = []
            cell.execution_count = None
    nb.metadata.pop("widgets", None)
    tmp = path.with_name(f".{path.name}.partial")
    nbformat.write(nb, tmp)
    tmp.replace(path)


if __name__ == "__main__":
    for arg in sys.argv[1:] or sorted(str(p) for p in Path("activities").glob("[0-9][0-9]_*.ipynb")):
        refresh(Path(arg))
        print(f"refreshed {arg}")
