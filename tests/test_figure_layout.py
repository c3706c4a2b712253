"""Figures stay readable: no two labels overlap, none leaves the figure, phone text is large.

Every text artist of a rendered figure is measured (``fig.canvas.draw()`` then
``get_window_extent()``). Boxes may touch but not overlap. The faint diagonal
watermark (gid ``watermark``) is a background mark meant to lie under the
figure and is the only text left out.
"""

from __future__ import annotations

import itertools

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.text import Text

import simulator
from simulator.exercises.cases import choose_case
from simulator.exercises.journey_plan import JourneyPlan, PlanError, Step
from simulator.figures.journey import PHONE_WIDTH_IN, journey_map, parent_card, plan_map
from simulator.figures.petal import family_flower

# The activities' default world.
SEED = 2569
FAMILIES = 20_000
PHONE_CSS_PX = 380  # the narrowest phone the kit supports (380-412 CSS px)
TOLERANCE_PX = 0.5  # boxes that share an edge "touch"; more than this is an overlap


@pytest.fixture(scope="module")
def world():
    pop = simulator.simulate(FAMILIES, seed=SEED)
    return pop, simulator.simulate_timelines(pop)


@pytest.fixture(scope="module")
def cases(world):
    pop, tl = world
    teaching = [choose_case(tl, pop, kind) for kind in ("complex", "emergency_legal", "conversation")]
    c = tl.cases
    # The busiest cases (most events, most revisions, most planned steps) are where labels crowd.
    per_case = tl.events.groupby("case_id").size()
    steps = tl.touch_points.groupby("case_id").size()
    busy = list(per_case.sort_values(ascending=False).index[:12])
    busy += list(steps.sort_values(ascending=False).index[:6])
    busy += list(c.sort_values("revisions", ascending=False)["case_id"].iloc[:6])
    busy += list(c[c["separated"]]["case_id"].iloc[:4])
    ordinary = list(c["case_id"].iloc[::max(1, len(c) // 12)])
    chosen = list(dict.fromkeys(teaching + busy + ordinary))[:40]
    assert len(chosen) == 40 and set(teaching) <= set(chosen)
    return chosen


def text_boxes(fig):
    """(text, window extent) of every visible, non-empty text of ``fig`` except the watermark."""
    if not isinstance(fig.canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = []
    for t in fig.findobj(Text):
        if not t.get_visible() or not t.get_text().strip() or t.get_gid() == "watermark":
            continue
        boxes.append((t, t.get_window_extent(renderer)))
    return boxes


def layout_problems(fig) -> list[str]:
    boxes = text_boxes(fig)
    width, height = fig.canvas.get_width_height()
    problems = []
    for t, b in boxes:
        if b.x0 < -TOLERANCE_PX or b.y0 < -TOLERANCE_PX or b.x1 > width + TOLERANCE_PX or b.y1 > height + TOLERANCE_PX:
            problems.append(f"outside the figure: {t.get_text()!r}")
    for (t1, b1), (t2, b2) in itertools.combinations(boxes, 2):
        dx = min(b1.x1, b2.x1) - max(b1.x0, b2.x0)
        dy = min(b1.y1, b2.y1) - max(b1.y0, b2.y0)
        if dx > TOLERANCE_PX and dy > TOLERANCE_PX:
            problems.append(f"overlap: {t1.get_text()!r} / {t2.get_text()!r}")
    return problems


def test_the_check_sees_an_overlap():
    from matplotlib.figure import Figure

    from simulator.figures.fonts import use_thai_font

    use_thai_font()
    fig = Figure(figsize=(4, 3))
    fig.text(0.1, 0.5, "กรณีทดสอบ")
    fig.text(0.12, 0.5, "ทับกัน")
    fig.text(0.9, 0.9, "ล้นขอบขวา")
    problems = layout_problems(fig)
    assert any(p.startswith("overlap") for p in problems)
    assert any(p.startswith("outside") for p in problems)


@pytest.mark.parametrize("layout", ["phone", "print"])
def test_journey_map_labels_never_overlap(world, cases, layout):
    _, tl = world
    problems = {}
    for case_id in cases:
        found = layout_problems(journey_map(tl, case_id, layout=layout))
        if found:
            problems[case_id] = found[:3]
    assert not problems, problems


def _busiest_families(pop, n):
    return list(pop.indicators.groupby("family_id").size().sort_values(ascending=False).index[:n])


def test_phone_flower_labels_never_overlap_even_with_many_notes(world):
    pop, _ = world
    problems = {fid: layout_problems(family_flower(pop, fid)) for fid in _busiest_families(pop, 8)}
    assert not {fid: p[:3] for fid, p in problems.items() if p}


@pytest.mark.parametrize("figure", ["journey", "flower"])
def test_phone_figures_text_is_large_on_a_phone(world, cases, figure):
    """At 380 CSS px wide every label is at least 11 pt, whatever the PNG's dpi."""
    pop, tl = world
    keys = cases[:10] if figure == "journey" else _busiest_families(pop, 4)
    for case_id in keys:
        fig = journey_map(tl, case_id) if figure == "journey" else family_flower(pop, case_id)
        width_in = fig.get_size_inches()[0]
        assert width_in == pytest.approx(PHONE_WIDTH_IN)  # the flower's phone width is the same
        assert fig.get_size_inches()[1] > width_in  # portrait
        scale = PHONE_CSS_PX / (width_in * 96)  # CSS px per figure px at 96 dpi
        for t, _ in text_boxes(fig):
            assert t.get_fontsize() * scale >= 11, (case_id, t.get_text(), t.get_fontsize())


def test_phone_journey_map_shows_stage_by_shape_as_well_as_colour(world, cases):
    _, tl = world
    fig = journey_map(tl, cases[0])
    markers = {}
    for line in fig.legends[0].get_lines():
        markers[line.get_label()] = line.get_marker()
    assert len(markers) >= 5
    assert len(set(markers.values())) == len(markers), "each stage has its own marker shape"


def test_print_layout_is_a4_landscape(world, cases):
    _, tl = world
    fig = journey_map(tl, cases[0], layout="print")
    assert tuple(fig.get_size_inches()) == pytest.approx((11.69, 8.27))
    with pytest.raises(ValueError):
        journey_map(tl, cases[0], layout="poster")


def test_flower_card_and_plan_map_labels_never_overlap(world, cases):
    pop, tl = world
    problems = {}
    for case_id in cases[:12]:
        family_id = tl.cases.set_index("case_id").loc[case_id, "family_id"]
        figs = {"flower": family_flower(pop, family_id), "flower print": family_flower(pop, family_id, layout="print"),
                "card": parent_card(tl, case_id, "มาลี")}
        tps = tl.case(case_id).touch_points
        plan = JourneyPlan(pop.config, sorted(set(tps["dimension"].astype(str))), case_id)
        for _, tp in tps.iterrows():
            try:
                plan.add_step(Step(str(tp["dimension"]), str(tp["agency"]), str(tp["role"]),
                                   str(tp["information_th"]), int(tp["days"])))
            except PlanError:
                pass
        figs["plan"] = plan_map(plan)
        for name, fig in figs.items():
            found = layout_problems(fig)
            if found:
                problems[(case_id, name)] = found[:3]
    assert not problems, problems
