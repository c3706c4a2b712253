"""The concept chapters and the indicator catalogue tell one truth.

Wherever ``petal_model.md`` or ``four_dimensions.md`` names an indicator by its Thai label
(``label_th`` in ``simulator/data/indicators.yaml``) together with a colour word on the same
line (a sentence, a list item or a table row), the colour word that follows the label is the
catalogue's default severity; a label followed by a dimension in parentheses is in that
dimension; a list introduced by "... เป็นสีแดงเสมอ" lists only red indicators; the worked
example's table gives each petal the worst colour of its indicators and the case level the
text states follows the kit's rule.
"""

import re
from pathlib import Path

import numpy as np
import pytest

from simulator.model.config import SEVERITIES, load_config
from simulator.model.population import CASE_LEVELS
from simulator.model.threats import case_level_codes
from simulator.thai.vocabulary import CASE_LEVEL_TH, COLOUR_TH, DIMENSION_TH, SUBJECT_TH

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = ("book/concepts/petal_model.md", "book/concepts/four_dimensions.md")
COLOUR_OF_WORD = {th: code for code, th in COLOUR_TH.items()}
COLOUR_RE = re.compile("|".join(COLOUR_OF_WORD))


@pytest.fixture(scope="module")
def catalogue():
    indicators = load_config().catalogue.indicators
    # Longest first, so that a label inside a longer one is not matched twice.
    return sorted(indicators, key=lambda i: -len(i.label_th))


def _labels_in(line, catalogue):
    found, taken = [], []
    for ind in catalogue:
        for m in re.finditer(re.escape(ind.label_th), line):
            if not any(a <= m.start() < b for a, b in taken):
                taken.append((m.start(), m.end()))
                found.append((m.start(), m.end(), ind))
    return sorted(found, key=lambda f: f[0])


def _lines():
    for chapter in CHAPTERS:
        for number, line in enumerate((ROOT / chapter).read_text(encoding="utf-8").splitlines(), 1):
            yield chapter, number, line


def test_every_label_with_a_colour_word_has_the_catalogue_colour(catalogue):
    pairs = 0
    for chapter, number, line in _lines():
        for start, end, ind in _labels_in(line, catalogue):
            colour = COLOUR_RE.search(line, end)
            if colour is None:
                continue
            pairs += 1
            assert COLOUR_OF_WORD[colour.group()] == ind.severity, (
                f"{chapter}:{number}: «{ind.label_th}» is {COLOUR_TH[ind.severity]} in indicators.yaml "
                f"({ind.id}), the text says {colour.group()}")
    assert pairs >= 6  # the worked example alone names six


def test_a_label_followed_by_a_dimension_is_in_that_dimension(catalogue):
    dim_of_word = {th: code for code, th in DIMENSION_TH.items()}
    checked = 0
    for chapter, number, line in _lines():
        for start, end, ind in _labels_in(line, catalogue):
            m = re.match(r"\s*\(([^)]+)\)", line[end:])
            if m and m.group(1) in dim_of_word:
                checked += 1
                assert dim_of_word[m.group(1)] == ind.dimension, f"{chapter}:{number}: «{ind.label_th}»"
    assert checked >= 2  # four_dimensions.md's examples of one dimension informing another


def test_lists_of_always_red_indicators_hold_only_red_indicators(catalogue):
    lists = 0
    for chapter in CHAPTERS:
        lines = (ROOT / chapter).read_text(encoding="utf-8").splitlines()
        for i, line in enumerate(lines):
            if "สีแดงเสมอ" not in line or _labels_in(line, catalogue):
                continue
            items = []
            for nxt in lines[i + 1:]:
                if nxt.startswith("- "):
                    items.append(nxt)
                elif items or nxt.strip():
                    break
            lists += 1
            assert items, f"{chapter}:{i + 1}: a list should follow"
            for item in items:
                found = _labels_in(item, catalogue)
                assert found, f"{chapter}: {item!r} names no indicator of the catalogue"
                assert all(ind.severity == "red" for _, _, ind in found), item
    assert lists >= 1
    # and every red indicator of the catalogue is in such a list
    red = {i.label_th for i in catalogue if i.severity == "red"}
    text = (ROOT / CHAPTERS[0]).read_text(encoding="utf-8")
    box = text[text.index("สีแดงเสมอ"):text.index("```", text.index("สีแดงเสมอ"))]
    assert red <= {ind.label_th for _, _, ind in _labels_in(box, catalogue)}


def test_worked_example_table_petals_and_case_level_follow_the_rules(catalogue):
    text = (ROOT / CHAPTERS[0]).read_text(encoding="utf-8")
    example = text[text.index("(A worked mini example)"):]
    rows = [[c.strip() for c in line.strip("|").split("|")] for line in example.splitlines()
            if line.startswith("| ") and not line.startswith("| วง")]
    assert len(rows) == 8
    ranks = np.zeros((1, 8), dtype=np.int8)
    for k, (ring, dim, found, colour) in enumerate(rows):
        inds = _labels_in(found, catalogue)
        assert inds or found == "ไม่พบ", found
        subject = next(code for code, th in SUBJECT_TH.items() if ring.startswith(th))
        dimension = next(code for code, th in DIMENSION_TH.items() if dim.startswith(th))
        worst = "green"
        for _, _, ind in inds:
            assert (ind.subject, ind.dimension) == (subject, dimension), found
            worst = max(worst, ind.severity, key=SEVERITIES.index)
        assert COLOUR_OF_WORD[colour] == worst, f"{ring} {dim}: {colour}"
        ranks[0, k] = SEVERITIES.index(worst) + 1 if inds else 0
    level = CASE_LEVELS[int(case_level_codes(ranks)[0])]
    stated = re.search(r"อยู่ในระดับ \*\*(\S+) \((\w+)\)\*\*", example)
    assert stated and stated.group(2) == level and stated.group(1) == CASE_LEVEL_TH[level]
    n_yellow = sum(COLOUR_OF_WORD[r[3]] == "yellow" for r in rows)
    count_word = {1: "หนึ่ง", 2: "สอง", 3: "สาม"}[n_yellow]
    assert f"กลีบสีเหลือง{count_word}กลีบ" in example
