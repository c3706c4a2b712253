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


@pytest.mark.parametrize("layout", ["phone", "print"])
def test_flower_is_marked_synthetic_and_shows_both_notes(pop, layout):
    fig = family_flower(pop, "HH0000001", layout=layout)
    texts = " ".join(_texts(fig))
    assert SYNTHETIC_MARK in texts
    assert "บันทึกของเด็ก" in texts and "บันทึกของผู้ปกครอง" in texts


def test_print_flower_is_a5_landscape_and_phone_flower_is_portrait(pop):
    assert tuple(family_flower(pop, "HH0000001", layout="print").get_size_inches()) == pytest.approx(A5_LANDSCAPE)
    width, height = family_flower(pop, "HH0000001").get_size_inches()
    assert width == pytest.approx(4.0) and height > width
    with pytest.raises(ValueError):
        draw_flower({}, layout="poster")


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
    fig = draw_flower({}, ["เด็กขาดเรียนบ่อย"], ["แม่ไม่มีรายได้"], layout="print")
    FigureCanvasAgg(fig).draw()
    by_text = {t.get_text().split("\n")[0]: t for t in fig.texts}
    child, parent = by_text["บันทึกของเด็ก"], by_text["บันทึกของผู้ปกครอง"]
    assert child.get_position()[0] > 0.75 and parent.get_position()[0] < 0.25
    assert "เด็กขาดเรียนบ่อย" in child.get_text() and "แม่ไม่มีรายได้" in parent.get_text()


def test_phone_flower_puts_the_notes_under_the_flower_child_first():
    fig = draw_flower({}, ["เด็กขาดเรียนบ่อย"], ["แม่ไม่มีรายได้"])
    FigureCanvasAgg(fig).draw()
    renderer = fig.canvas.get_renderer()
    by_text = {t.get_text().split("\n")[0]: t.get_window_extent(renderer) for t in fig.texts}
    flower = fig.axes[0].get_window_extent(renderer)
    child, parent = by_text["บันทึกของเด็ก"], by_text["บันทึกของผู้ปกครอง"]
    assert flower.y0 >= child.y1 > child.y0 >= parent.y1  # flower, then the child's notes, then the parent's


def test_unset_petals_are_grey_and_labelled():
    fig = draw_flower({"child_health": "red"})
    texts = _texts(fig)
    assert sum("ยังไม่ระบุ" in t for t in texts) == 7


# ---- Thai alt text, captions, and the notebook output ----------------------------------

import base64
import html as html_lib
import importlib.util
import re
from pathlib import Path

from simulator.figures import FALLBACK_ALT_TH, show
from simulator.figures.journey import journey_map, parent_card, plan_map
from simulator.exercises.journey_plan import JourneyPlan, Step

THAI = re.compile("[\u0e00-\u0e7f]")
ROOT = Path(__file__).resolve().parent.parent


def _is_thai_description(text: str) -> bool:
    return bool(THAI.search(text)) and not re.search(r"\.(png|pdf|svg|jpe?g)\b|[/\\]\w+\.\w+", text)


def test_show_gives_a_figure_with_thai_alt_caption_and_the_png_inline(pop):
    fig = family_flower(pop, "HH0000001")
    out = show(fig)
    page = out._repr_html_()
    assert page.startswith('<figure class="termtem-figure">') and page.endswith("</figure>")
    alt = html_lib.unescape(re.search(r'alt="([^"]*)"', page).group(1))
    caption = html_lib.unescape(re.search(r"<figcaption>(.*)</figcaption>", page).group(1))
    assert alt == fig.termtem_alt_th and caption == fig.termtem_caption_th
    assert _is_thai_description(alt) and _is_thai_description(caption)
    png = base64.b64decode(re.search(r'src="data:image/png;base64,([^"]+)"', page).group(1))
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    # Shown at 110 px per inch, drawn finer so it stays sharp when opened full size.
    assert f'width="{round(fig.get_size_inches()[0] * 110)}"' in page
    bundle = out._repr_mimebundle_()
    assert set(bundle) == {"text/html", "text/plain"} and "image/png" not in bundle


def test_show_escapes_the_description_and_never_falls_back_to_a_path():
    from matplotlib.figure import Figure

    fig = Figure(figsize=(2, 2))
    page = show(fig)._repr_html_()
    assert f'alt="{FALLBACK_ALT_TH}"' in page
    fig.termtem_alt_th = 'กลีบ "แดง" <ด่วน> & เหลือง'
    page = show(fig)._repr_html_()
    assert 'alt="กลีบ &quot;แดง&quot; &lt;ด่วน&gt; &amp; เหลือง"' in page


def test_every_figure_function_describes_its_figure_in_thai(pop):
    tl = simulator.simulate_timelines(pop)
    case = tl.cases.sort_values("revisions").case_id.iloc[-1]
    plan = JourneyPlan(pop.config, ["social"], case)
    plan.add_step(Step("social", "phc", "nurse", "ผลตรวจ", 30))
    figures = {"phone": journey_map(tl, case), "print": journey_map(tl, case, layout="print"),
               "card": parent_card(tl, case, "มาลี"), "plan": plan_map(plan),
               "flower": family_flower(pop, "HH0000001"), "drawn": draw_flower({"child_health": "red"})}
    for name, fig in figures.items():
        assert _is_thai_description(fig.termtem_alt_th), name
        assert _is_thai_description(fig.termtem_caption_th), name
    for name in ("phone", "print", "card", "plan"):
        assert case in figures[name].termtem_alt_th, name
    assert figures["phone"].termtem_alt_th == figures["print"].termtem_alt_th
    # The flower's alt text says every petal's colour in words, unset petals included.
    assert "สุขภาพ สีแดง" in figures["drawn"].termtem_alt_th
    assert figures["drawn"].termtem_alt_th.count("ยังไม่ระบุ") == 7


def _concept_script():
    spec = importlib.util.spec_from_file_location("make_concept_figures", ROOT / "tools" / "make_concept_figures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_concept_chapter_images_are_what_the_script_draws(tmp_path):
    script = _concept_script()
    assert script.main(["--out", str(tmp_path)]) == 0
    for name in ("sample_flower.png", "sample_journey.png"):
        committed = script.OUT / name
        assert committed.exists(), f"run tools/make_concept_figures.py and commit {committed}"
        assert (tmp_path / name).read_bytes() == committed.read_bytes(), \
            f"{name} is not what tools/make_concept_figures.py draws today: rerun it, check the chapter's alt text"


def test_concept_chapters_show_their_sample_figure_with_thai_alt_and_caption():
    for chapter, image in (("petal_model.md", "sample_flower.png"), ("journey_of_services.md", "sample_journey.png")):
        text = (ROOT / "book" / "concepts" / chapter).read_text(encoding="utf-8")
        block = re.search(r"```\{figure\} images/" + re.escape(image) + r"\n(.*?)\n```", text, re.S)
        assert block, f"{chapter} lacks its {image} figure"
        options = dict(re.findall(r"^:(\w+): (.*)$", block.group(1), re.M))
        caption = block.group(1).split("\n\n", 1)[1]
        assert _is_thai_description(options["alt"]) and _is_thai_description(caption)
        assert options["figclass"] == "termtem-figure"


def test_book_static_files_fit_figures_to_the_screen_and_load_nothing_remote():
    static = ROOT / "_static"
    css = (static / "termtem.css").read_text(encoding="utf-8")
    js = (static / "termtem.js").read_text(encoding="utf-8")
    rule = re.search(r"figure\.termtem-figure img[^{]*\{([^}]*)\}", css).group(1)
    assert "max-width: 100%" in rule and "height: auto" in rule
    for text in (css, js):
        assert not re.search(r"https?://|//[a-z0-9.-]+\.[a-z]{2,}/|@import|fetch\(|XMLHttpRequest", text)
    # The full-size view opens from the figures show() makes, and closes with a Thai-labelled button.
    assert "figure.termtem-figure img" in js and "ปิด" in js and "Escape" in js
