"""Small-count suppression for public tables, with complementary suppression.

A count between the rule's minimum and maximum (1 to 5 children by default) could point at a
child, so it is hidden ("primary" suppression). Row and column totals are published, so a
single hidden cell in a row could be worked out by subtraction: more cells are hidden beside it
("complementary" suppression) until no hidden count is determined by the published numbers.
That last property is checked exactly, by linear programming over every value the hidden
cells could take (non-negative, adding up to the published totals), not assumed from a rule of
thumb.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, model_validator

from simulator.model.config import read_yaml_model

RULE_FILE = Path(__file__).resolve().parent.parent / "data" / "public_tables.yaml"
TOTAL_TH = "รวม"


class SuppressionRule(BaseModel):
    """``public_tables.yaml``: which counts are too small to publish."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    small_count_min: int = Field(ge=1)
    small_count_max: int = Field(ge=1, le=100)

    @model_validator(mode="after")
    def _ordered(self):
        if self.small_count_max < self.small_count_min:
            raise ValueError("small_count_max must not be below small_count_min")
        return self

    def is_small(self, count: float) -> bool:
        return self.small_count_min <= count <= self.small_count_max

    @property
    def note_th(self) -> str:
        return (f"ช่องที่มีเด็ก {self.small_count_min}–{self.small_count_max} คนถูกปิดไว้ (แสดงเป็น •) "
                "และปิดช่องอื่นในแถวหรือคอลัมน์เดียวกันเพิ่ม เพื่อไม่ให้คำนวณย้อนจากผลรวมได้")


def load_rule(path: Path | str = RULE_FILE) -> SuppressionRule:
    path = Path(path)
    return read_yaml_model(path, SuppressionRule)


@dataclass(frozen=True)
class PublicTable:
    """A count table with its row and column totals, and which cells are hidden.

    ``counts`` is the full table including a total row and column (``TOTAL_TH``); ``hidden``
    has the same shape, True where the value must not be published.
    """

    counts: pd.DataFrame
    hidden: pd.DataFrame
    rule: SuppressionRule

    def published(self, mark: str = "•") -> pd.DataFrame:
        shown = self.counts.astype(object).where(~self.hidden, mark)
        return shown

    @property
    def note_th(self) -> str:
        return self.rule.note_th


def with_totals(table: pd.DataFrame) -> pd.DataFrame:
    full = table.copy()
    full[TOTAL_TH] = full.sum(axis=1)
    full.loc[TOTAL_TH] = full.sum(axis=0)
    return full


def _lines(shape: tuple[int, int]):
    """Every additive line of a table with totals: each row and each column, the total last."""
    rows, cols = shape
    for i in range(rows):
        yield [(i, j) for j in range(cols)]
    for j in range(cols):
        yield [(i, j) for i in range(rows)]


def determined_cells(full: np.ndarray, hidden: np.ndarray) -> list[tuple[int, int]]:
    """Hidden cells whose value the published cells fix exactly (found by linear programming)."""
    from scipy.optimize import linprog

    cells = [tuple(c) for c in np.argwhere(hidden)]
    if not cells:
        return []
    index = {c: k for k, c in enumerate(cells)}
    a_eq, b_eq = [], []
    for line in _lines(full.shape):
        *inner, total = line
        row = np.zeros(len(cells))
        rhs = 0.0
        for c in inner:
            if c in index:
                row[index[c]] += 1
            else:
                rhs -= full[c]
        if total in index:
            row[index[total]] -= 1
        else:
            rhs += full[total]
        if row.any():
            a_eq.append(row)
            b_eq.append(rhs)
    found = []
    for c, k in index.items():
        objective = np.zeros(len(cells))
        objective[k] = 1
        low = linprog(objective, A_eq=a_eq or None, b_eq=b_eq or None, bounds=(0, None), method="highs")
        high = linprog(-objective, A_eq=a_eq or None, b_eq=b_eq or None, bounds=(0, None), method="highs")
        if low.status == 0 and high.status == 0 and -high.fun - low.fun < 0.5:
            found.append(c)
    return found


def suppress(table: pd.DataFrame, rule: SuppressionRule | None = None) -> PublicTable:
    """Hide small counts of ``table`` (rows x columns of counts, no totals) and enough others."""
    rule = rule or load_rule()
    if table.empty:
        raise ValueError("an empty table has nothing to publish")
    values = table.to_numpy()
    if (values < 0).any() or not np.allclose(values, np.round(values)):
        raise ValueError("a public table holds counts: whole numbers of at least 0")
    full_df = with_totals(table.astype(int))
    full = full_df.to_numpy().astype(float)
    hidden = np.vectorize(rule.is_small)(full)
    while True:
        changed = False
        # Rule of thumb first: no line may hold exactly one hidden cell.
        for line in _lines(full.shape):
            count = sum(hidden[c] for c in line)
            if count == 1:
                _hide_one_more(full, hidden, line)
                changed = True
        if changed:
            continue
        exact = determined_cells(full, hidden)
        if not exact:
            break
        row, col = exact[0]
        # Hide one more cell beside it, in its row if there is one left to hide, else its column.
        line = next((l for l in _lines(full.shape) if (row, col) in l and not all(hidden[c] for c in l)), None)
        if line is None:  # its row and column are hidden already: hide the smallest visible cell anywhere
            visible = [tuple(c) for c in np.argwhere(~hidden)]
            if not visible:
                break
            hidden[min(visible, key=lambda c: (full[c], c))] = True
            continue
        _hide_one_more(full, hidden, line)
    return PublicTable(full_df, pd.DataFrame(hidden, index=full_df.index, columns=full_df.columns), rule)


def _hide_one_more(full: np.ndarray, hidden: np.ndarray, line) -> None:
    """Hide the smallest visible inner cell of ``line`` (a non-zero one if any), else its total."""
    inner = [c for c in line[:-1] if not hidden[c]]
    if not inner:
        hidden[line[-1]] = True
        return
    nonzero = [c for c in inner if full[c] > 0]
    pick = min(nonzero or inner, key=lambda c: (full[c], c))
    hidden[pick] = True
