"""Command line: ``python -m simulator generate --families N --seed S --out DIR``."""

from __future__ import annotations

import argparse
import sys

from simulator.model.config import ConfigError, load_config
from simulator.export import FORMATS, ExportError, write_population
from simulator.model.geography import UnknownDistrictError
from simulator.model.population import SimulationError, simulate
from simulator.model.timelines import simulate_timelines


def _whole_number(minimum: int, rule: str):
    """An argparse type: a whole number of at least ``minimum``."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be {rule} (got {value})")
        return value

    return parse


_positive_int = _whole_number(1, "at least 1")
_seed = _whole_number(0, "0 or more")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m simulator",
        description="Termtem training kit: generate synthetic (ข้อมูลสมมติ) Bangkok families.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    gen = sub.add_parser("generate", help="simulate families and write their tables")
    gen.add_argument("--families", type=_positive_int, required=True, help="number of households (1 or more)")
    gen.add_argument("--seed", type=_seed, default=0, help="random seed; the same seed gives the same data")
    gen.add_argument("--district", action="append", metavar="NAME",
                     help="only this district (Thai or English name); repeat for several")
    gen.add_argument("--out", required=True, help="output folder (created if missing)")
    gen.add_argument("--format", choices=FORMATS, default="csv", help="file format (default csv)")
    gen.add_argument("--overwrite", action="store_true", help="replace files left by an earlier run")
    gen.add_argument("--data-dir", help="folder with edited data files (default: the kit's own)")

    card = sub.add_parser("flower", help="save one household's petal flower as printable PNG and A5 PDF")
    card.add_argument("--family", required=True, help="household ID, e.g. HH0000001")
    trip = sub.add_parser("journey", help="save one case's journey map (A4) and parent card (A5) as PNG and PDF")
    trip.add_argument("--case", required=True, help="case ID, e.g. JC0000029 (the case of household HH0000029)")
    # Both print cards for one household regenerated alone, so they need what generated it.
    for printer in (card, trip):
        printer.add_argument("--seed", type=_seed, default=0, help="seed the dataset was generated with")
        printer.add_argument("--district", action="append", metavar="NAME", help="as given when generating")
        printer.add_argument("--out", required=True, help="output folder (created if missing)")
        printer.add_argument("--overwrite", action="store_true", help="replace earlier cards")
    return parser


def _card_paths(out_folder: str, stems: list[str], overwrite: bool) -> list:
    """Paths (without suffix) for printable cards; refuse to replace earlier ones unless asked."""
    from pathlib import Path

    out = Path(out_folder)
    targets = [out / stem for stem in stems]
    clashes = [t for t in targets for s in (".png", ".pdf") if t.with_suffix(s).exists()]
    if clashes and not overwrite:
        raise ExportError(f"{clashes[0]}.png/.pdf already exist; pass --overwrite to replace them")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"cannot create {out}: {exc.strerror}") from exc
    return targets


def _journey(args) -> int:
    from simulator.figures import save_figure
    from simulator.figures.journey import journey_map, parent_card
    from simulator.model.population import simulate_family
    from simulator.model.timelines import simulate_timelines

    case = args.case.strip()
    if not (case.startswith("JC") and case[2:].isdigit()):
        raise SimulationError(f"{args.case!r} is not a case ID of the form JC0000001")
    pop = simulate_family("HH" + case[2:], seed=args.seed, districts=args.district)
    timelines = simulate_timelines(pop)
    if case not in set(timelines.cases["case_id"]):
        raise SimulationError(f"household HH{case[2:]} has no yellow or red petal, so there is no case {case}")
    map_path, card_path = _card_paths(args.out, [f"journey_{case}", f"parent_card_{case}"], args.overwrite)
    parent = pop.people.loc[pop.people["is_primary_caregiver"], "first_name"].astype(str).iloc[0]
    paths = save_figure(journey_map(timelines, case), map_path)
    paths += save_figure(parent_card(timelines, case, parent), card_path)
    print("wrote " + ", ".join(str(p) for p in paths) + " (synthetic data)")
    return 0


def _flower(args) -> int:
    from simulator.figures import save_figure
    from simulator.model.population import simulate_family
    from simulator.figures.petal import family_flower

    pop = simulate_family(args.family, seed=args.seed, districts=args.district)
    (target,) = _card_paths(args.out, [f"flower_{args.family}"], args.overwrite)
    paths = save_figure(family_flower(pop, args.family), target)
    print("wrote " + ", ".join(str(p) for p in paths) + " (synthetic data)")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command in ("flower", "journey"):
        try:
            return _flower(args) if args.command == "flower" else _journey(args)
        except (SimulationError, UnknownDistrictError, ExportError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
    try:
        config = load_config(args.data_dir) if args.data_dir else None
        pop = simulate(args.families, seed=args.seed, districts=args.district, config=config)
        timelines = simulate_timelines(pop)
        paths = write_population(pop, args.out, args.format, overwrite=args.overwrite, timelines=timelines)
    except (ConfigError, SimulationError, UnknownDistrictError, ExportError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    tables = {**pop.tables(), **timelines.tables()}
    counts = ", ".join(f"{name} {len(df):,}" for name, df in tables.items())
    print(f"wrote {len(paths)} file(s) to {args.out} (synthetic data, seed {args.seed}): {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
