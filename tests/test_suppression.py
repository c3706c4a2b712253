"""Public tables: no small count is published, and none can be worked out from the totals."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from simulator.dashboards.suppression import TOTAL_TH, SuppressionRule, load_rule, suppress
from simulator.model.config import ConfigError

RULE = SuppressionRule(small_count_min=1, small_count_max=5)
MARK = "•"


def range_of_hidden(published: pd.DataFrame) -> dict[tuple, tuple[float, float]]:
    """What a reader could work out: for each hidden cell, the least and most it can be, given
    the published cells and that every row and column adds up to its total."""
    grid = published.to_numpy()
    hidden = [(i, j) for i in range(grid.shape[0]) for j in range(grid.shape[1]) if grid[i, j] == MARK]
    k = {c: n for n, c in enumerate(hidden)}
    rows, cols = grid.shape
    # Every row and every column: its inner cells add up to its last cell, the total.
    lines = [[(i, j) for j in range(cols)] for i in range(rows)] + [[(i, j) for i in range(rows)] for j in range(cols)]
    equations, rhs = [], []
    for *inner, total in lines:
        coeff, known = np.zeros(len(hidden)), 0.0
        for c in inner:
            if c in k:
                coeff[k[c]] += 1
            else:
                known += grid[c]
        if total in k:
            coeff[k[total]] -= 1
            equations.append(coeff), rhs.append(-known)
        else:
            equations.append(coeff), rhs.append(grid[total] - known)
    ranges = {}
    for c, n in k.items():
        goal = np.zeros(len(hidden))
        goal[n] = 1
        low = linprog(goal, A_eq=equations, b_eq=rhs, bounds=(0, None), method="highs")
        high = linprog(-goal, A_eq=equations, b_eq=rhs, bounds=(0, None), method="highs")
        assert low.status == 0 and high.status in (0, 3), "the published table must be consistent"
        ranges[c] = (low.fun, float("inf") if high.status == 3 else -high.fun)  # 3: no upper bound
    return ranges


def test_a_hand_checked_table():
    table = pd.DataFrame([[10, 3, 20], [8, 12, 15]], index=["เขต ก", "เขต ข"], columns=["0-5", "6-11", "12-17"])
    public = suppress(table, RULE)
    assert public.counts.loc["เขต ก", TOTAL_TH] == 33 and public.counts.loc[TOTAL_TH, TOTAL_TH] == 68
    shown = public.published()
    # 3 is small; its row and its column each get one more hidden cell, and those meet in a
    # fourth, so the four hidden cells form a rectangle no total can undo.
    assert shown.loc["เขต ก", "6-11"] == MARK
    assert (shown == MARK).sum().sum() == 4
    assert shown.loc["เขต ก", "0-5"] == MARK and shown.loc["เขต ข", "6-11"] == MARK and shown.loc["เขต ข", "0-5"] == MARK
    assert all(high - low >= 1 for low, high in range_of_hidden(shown).values())


def test_a_small_total_is_hidden_too():
    table = pd.DataFrame([[2, 1], [30, 40]], index=["ก", "ข"], columns=["ชาย", "หญิง"])
    shown = suppress(table, RULE).published()
    assert shown.loc["ก", TOTAL_TH] == MARK  # 3 children in the row: small itself
    assert all(v == MARK or not RULE.is_small(v) for v in shown.to_numpy().ravel())
    assert all(high - low >= 1 for low, high in range_of_hidden(shown).values())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(2, 4).flatmap(lambda r: st.integers(2, 4).flatmap(
    lambda c: st.lists(st.lists(st.integers(0, 14), min_size=c, max_size=c), min_size=r, max_size=r))))
def test_no_small_count_is_published_or_recoverable(rows):
    public = suppress(pd.DataFrame(rows), RULE)
    shown = public.published()
    values = [v for v in shown.to_numpy().ravel() if v != MARK]
    assert not any(RULE.is_small(v) for v in values), "a count of 1-5 was published"
    for cell, (low, high) in range_of_hidden(shown).items():
        assert high - low >= 0.5, f"hidden cell {cell} is fixed at {low:g} by the totals"
    # Nothing is hidden without reason: a table with no small count publishes everything.
    if not any(RULE.is_small(v) for v in public.counts.to_numpy().ravel()):
        assert (shown != MARK).all().all()


def test_every_public_table_says_how_it_was_protected():
    note = suppress(pd.DataFrame([[1, 9], [9, 9]]), RULE).note_th
    assert "1–5" in note and "ผลรวม" in note


@pytest.mark.parametrize("text, field", [
    ("small_count_min: 1\nsmall_count_max: 0\n", "small_count_max"),
    ("small_count_min: 1\n", "small_count_max"),
    ("small_count_min: 1\nsmall_count_max: 5\nthreshold: 3\n", "threshold"),
])
def test_a_bad_rule_file_names_the_field(tmp_path, text, field):
    path = tmp_path / "public_tables.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_rule(path)
    assert str(path) in str(err.value) and field in str(err.value)


def test_the_kits_rule_hides_one_to_five():
    rule = load_rule()
    assert (rule.small_count_min, rule.small_count_max) == (1, 5)
