import warnings

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

import simulator
from simulator.figures.petal import A5_LANDSCAPE, draw_flower, save_flower
from simulator.thai.vocabulary import SYNTHETIC_MARK
from simulator.exercises.views import true_colours
from simulator.figures.petal import family_flower


@pytest.fixture(scope="module")
def pop():
    return simulator.simulate(120, seed=2569)


def _texts(fig):
    return [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text"))]


def test_flower_renders_thai_without_missing_glyphs(pop, tmp_path):
    fid = pop.households[pop.households.case_level == "emergency"].family_id.iloc[0]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph ... missing from font(s)" would raise here
        fig = family_flower(pop, fid)
        paths = save_flower(fig, tmp_path / "flower")
    assert [p.suffix for p in paths] == [".png", ".pdf"]
    assert paths[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert paths[1].read_bytes()[:5] == b"%PDF-"
    assert not list(tmp_path.glob(".*partial"))
    fonts = {t.get_fontname() for t in fig.findobj(lambda a: hasattr(a, "get_fontname"))}
    assert fonts == {"Sarabun"}


def test_flower_is_a5_landscape_and_marked_synthetic(pop):
    fig = family_flower(pop, "HH0000001")
    assert tuple(fig.get_size_inches()) == pytest.approx(A5_LANDSCAPE)
    texts = " ".join(_texts(fig))
    assert SYNTHETIC_MARK in texts
    assert "บันทึกของเด็ก" in texts and "บันทึกของผู้ปกครอง" in texts


def test_each_petal_carries_its_colour_word_and_hatching(pop):
    fid = pop.households[pop.households.case_level == "emergency"].family_id.iloc[0]
    colours = true_colours(pop, fid)
    fig = family_flower(pop, fid)
    texts = _texts(fig)
    words = {"red": "แดง", "yellow": "เหลือง", "green": "เขียว"}
    for petal, colour in colours.items():
        dim_th = {"social": "สังคม", "education": "การศึกษา", "health": "สุขภาพ", "governance": "การปกครอง"}
        assert f"{dim_th[petal.split('_', 1)[1]]}\n{words[colour]}" in texts, petal
    hatches = {p.get_hatch() for p in fig.axes[0].patches if p.get_hatch()}
    assert "xx" in hatches  # the red petal


def test_child_notes_on_the_right_parent_notes_on_the_left():
    fig = draw_flower({}, ["เด็กขาดเรียนบ่อย"], ["แม่ไม่มีรายได้"])
    FigureCanvasAgg(fig).draw()
    by_text = {t.get_text().split("\n")[0]: t for t in fig.texts}
    child, parent = by_text["บันทึกของเด็ก"], by_text["บันทึกของผู้ปกครอง"]
    assert child.get_position()[0] > 0.75 and parent.get_position()[0] < 0.25
    assert "เด็กขาดเรียนบ่อย" in child.get_text() and "แม่ไม่มีรายได้" in parent.get_text()


def test_unset_petals_are_grey_and_labelled():
    fig = draw_flower({"child_health": "red"})
    texts = _texts(fig)
    assert sum("ยังไม่ระบุ" in t for t in texts) == 7
