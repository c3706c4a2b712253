"""Draw the sample figures of the concept chapters (seeded, so every run gives the same PNGs).

    .venv/bin/python tools/make_concept_figures.py            # writes book/concepts/images/*.png
    .venv/bin/python tools/make_concept_figures.py --out DIR  # somewhere else (the tests use this)

* ``sample_flower.png`` (petal_model.md): the true flower of the activities' complex teaching family
  (print layout: the chapter describes its notes left and right of the flower);
* ``sample_journey.png`` (journey_of_services.md): that case's journey map, phone layout.

Rerun after a change to the figures or to generated data and commit the images; the test
``tests/test_figures.py::test_concept_chapter_images_are_what_the_script_draws`` says when.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SEED = 2569  # the activities' seed and world
FAMILIES = 20_000
OUT = ROOT / "book" / "concepts" / "images"
DPI = 110
# No software version in the PNG, so the bytes depend only on what is drawn.
PNG_METADATA = {"Software": None}


def draw(out: Path) -> dict[str, object]:
    import simulator
    from simulator.exercises.cases import choose_case
    from simulator.figures.journey import journey_map
    from simulator.figures.petal import family_flower

    pop = simulator.simulate(FAMILIES, seed=SEED)
    tl = simulator.simulate_timelines(pop)
    case = choose_case(tl, pop, "complex")
    family = str(tl.cases.set_index("case_id").loc[case, "family_id"])
    # The flower chapter describes the sheet's notes left and right of the flower: show the print layout.
    figures = {"sample_flower.png": family_flower(pop, family, layout="print"),
               "sample_journey.png": journey_map(tl, case)}
    out.mkdir(parents=True, exist_ok=True)
    for name, fig in figures.items():
        fig.savefig(out / name, format="png", dpi=DPI, metadata=PNG_METADATA)
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    for name, fig in draw(args.out).items():
        print(f"{args.out / name}\n  alt: {fig.termtem_alt_th}\n  caption: {fig.termtem_caption_th}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
