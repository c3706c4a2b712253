"""Command line: ``python -m simulator generate --families N --seed S --out DIR``."""

from __future__ import annotations

import argparse
import sys

from .config import ConfigError, load_config
from .export import FORMATS, ExportError, write_population
from .geography import UnknownDistrictError
from .population import SimulationError, simulate


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1 (got {value})")
    return value


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more (got {value})")
    return value


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
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        config = load_config(args.data_dir) if args.data_dir else None
        pop = simulate(args.families, seed=args.seed, districts=args.district, config=config)
        paths = write_population(pop, args.out, args.format, overwrite=args.overwrite)
    except (ConfigError, SimulationError, UnknownDistrictError, ExportError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    counts = ", ".join(f"{name} {len(df):,}" for name, df in pop.tables().items())
    print(f"wrote {len(paths)} file(s) to {args.out} (synthetic data, seed {args.seed}): {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
