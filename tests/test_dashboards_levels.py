"""Activity 13: the four levels file, the matching exercise and its widget, the flow figure."""

from __future__ import annotations

import warnings

import pytest

from simulator.dashboards.levels import LEVEL_IDS, LevelMatching, levels_figure, load_levels
from simulator.model.config import ConfigError


def test_the_file_has_four_levels_in_order_and_two_cards_each():
    levels = load_levels()
    assert tuple(level.id for level in levels.levels) == LEVEL_IDS
    for level in LEVEL_IDS:
        assert sum(d.level == level for d in levels.decisions) >= 2


@pytest.mark.parametrize("edit, message", [
    (lambda t: t.replace("  - id: providers", "  - id: provider", 1), r"levels\.1\.id"),
    (lambda t: t.replace("    level: city\n", "    level: district\n"), "level city needs at least two"),
    (lambda t: t.replace("    why_th: การเทียบชุมชนในเขตเดียวกันเป็นงานของเขต\n", ""), r"decisions\.5\.why_th: Field required"),
])
def test_a_broken_levels_file_is_refused_naming_the_field(data_copy, edit, message):
    path = data_copy / "levels.yaml"
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_levels(path)


def test_matching_accepts_the_right_levels_and_explains_wrong_ones():
    matching = LevelMatching(seed=3)
    right = [card.level for card in matching.cards]
    assert matching.check(right).score == len(right)
    wrong = ["city"] * len(right)
    feedback = matching.check(wrong)
    assert feedback.score == sum(level == "city" for level in right)
    first_wrong = next(i for i, level in enumerate(right) if level != "city")
    assert feedback.messages[first_wrong].startswith(f"✘ ข้อ {first_wrong + 1}: ตอบเมือง")
    assert matching.cards[first_wrong].why_th in feedback.messages[first_wrong]
    with pytest.raises(ValueError, match="ยังไม่ได้เลือกระดับของข้อ 2"):
        matching.check([right[0], None] + right[2:])
    assert [c.text_th for c in LevelMatching(seed=3).cards] == [c.text_th for c in matching.cards]
    assert [c.text_th for c in LevelMatching(seed=4).cards] != [c.text_th for c in matching.cards]


def test_the_widget_checks_when_clicked():
    from simulator.widgets.levels import LevelMatchingWidget

    widget = LevelMatchingWidget(LevelMatching(seed=3))
    widget.check_button.click()
    assert "ยังไม่ได้เลือกระดับของข้อ 1, 2" in widget.feedback.value
    for dropdown, card in zip(widget.answers, widget.matching.cards):
        dropdown.value = card.level
    widget.answers[0].value = next(lv for lv in LEVEL_IDS if lv != widget.matching.cards[0].level)
    widget.check_button.click()
    total = len(widget.answers)
    assert f"ถูก {total - 1} จาก {total} ข้อ" in widget.feedback.value and "✘ ข้อ 1" in widget.feedback.value


def test_the_flow_figure_names_every_level_and_flow_in_sarabun():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = levels_figure()
        from simulator.figures import to_png

        to_png(fig)
    text = " ".join(t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text")))
    levels = load_levels()
    for level in levels.levels:
        assert level.name_th in text
    assert "↑ กลีบดอกจาก" in text and "↓ มติที่ประชุม" in text
    assert {t.get_fontname() for t in fig.findobj(lambda a: hasattr(a, "get_fontname"))} == {"Sarabun"}
    assert "ลูกศรสีเขียว" in fig.termtem_alt_th
