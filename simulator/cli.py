"""Command line: ``python -m simulator generate --families N --seed S --out DIR``, and the printable
cards (``flower``, ``journey``), the committee's monthly report (``report``) and the workshop
server (``serve``).

It speaks Thai, with the English in parentheses; every mistake is one message on
stderr and a non-zero exit code, never a traceback, and leaves no file behind. A
request that cannot finish (more families than memory allows, or than an Excel
sheet holds) is refused before any work starts.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from simulator.dashboards.tables import DashboardDataError
from simulator.export import FORMATS, ExportError, write_population
from simulator.export import limits
from simulator.model.config import ConfigError, load_config
from simulator.model.district_names import resolve_districts
from simulator.model.geography import UnknownDistrictError
from simulator.model.population import SimulationError, simulate
from simulator.model.timelines import simulate_timelines
from simulator.thai.vocabulary import SYNTHETIC_MARK
from simulator.thai.vocabulary import TABLE_TH

EXIT_USAGE = 2  # a bad request: wrong option, unknown district, too big, file already there
ERROR_PREFIX = "ข้อผิดพลาด (error): "


class UsageError(Exception):
    """A command line argparse rejected; the message is already in Thai."""


class RefusedError(Exception):
    """A request refused before any work, because it could not finish."""


# argparse's own messages, in Thai with the original English kept in parentheses.
_ARGPARSE_TH = [
    (r"the following arguments are required: (.*)", "ต้องระบุ {0} (the following arguments are required: {0})"),
    (r"invalid choice: (.*?) \(choose from (.*)\)", "ใช้ค่า {0} ไม่ได้ เลือกได้ {1} (invalid choice: {0})"),
    (r"expected one argument", "ต้องตามด้วยค่าหนึ่งค่า (expected one argument)"),
    (r"unrecognized arguments: (.*)", "ไม่รู้จักตัวเลือก {0} (unrecognized arguments: {0})"),
    (r"ambiguous option: (.*)", "ตัวเลือกกำกวม (ambiguous option: {0})"),
    (r"invalid (\w+) value: (.*)", "ค่า {1} ใช้ไม่ได้ (invalid {0} value: {1})"),
]


def _thai_argparse(message: str) -> str:
    where = ""
    m = re.match(r"argument ([^:]+): (.*)", message, re.S)
    if m:
        where, message = f"ตัวเลือก {m.group(1)}: ", m.group(2)
    for pattern, thai in _ARGPARSE_TH:
        hit = re.fullmatch(pattern, message, re.S)
        if hit:
            return where + thai.format(*hit.groups())
    return where + message


class _ThaiHelp(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        # argparse passes prefix="" when it builds a subcommand's name; keep that one.
        super().add_usage(usage, actions, groups, prefix="วิธีใช้ (usage): " if prefix is None else prefix)


class ThaiArgumentParser(argparse.ArgumentParser):
    """argparse with Thai help and errors raised (not printed and exited) so main() decides."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _ThaiHelp)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "คำสั่ง (commands)"
        self._optionals.title = "ตัวเลือก (options)"
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                          help="แสดงวิธีใช้แล้วจบ (show this help and exit)")

    def error(self, message):
        raise UsageError(f"{_thai_argparse(message)}\n{self.format_usage().rstrip()}")


def _whole_number(minimum: int, rule_th: str, rule_en: str):
    """An argparse type: a whole number of at least ``minimum``."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} ไม่ใช่จำนวนเต็ม ({text!r} is not a whole number)") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"ต้อง{rule_th} (must be {rule_en}; got {value})")
        return value

    return parse


_positive_int = _whole_number(1, "มีอย่างน้อย 1", "at least 1")
_seed = _whole_number(0, "เป็น 0 ขึ้นไป", "0 or more")


def build_parser() -> argparse.ArgumentParser:
    parser = ThaiArgumentParser(
        prog="python -m simulator",
        description=f"ชุดฝึกอบรมเติมเต็ม: สร้างครอบครัวสมมติ ({SYNTHETIC_MARK}) ในกรุงเทพฯ "
                    "(Termtem training kit: generate synthetic Bangkok families)",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="{generate,flower,journey,report,serve}",
                                parser_class=ThaiArgumentParser)
    gen = sub.add_parser("generate", help="สร้างครอบครัวสมมติแล้วเขียนตารางลงไฟล์ (simulate families, write their tables)",
                         description="สร้างครอบครัวสมมติแล้วเขียนตารางทั้ง 9 ตารางลงไฟล์ "
                                     "(simulate families and write their ten tables)")
    gen.add_argument("--families", type=_positive_int, required=True, metavar="N",
                     help="จำนวนครัวเรือน อย่างน้อย 1 (number of households)")
    gen.add_argument("--seed", type=_seed, default=0, metavar="S",
                     help="เลขสุ่มตั้งต้น seed เดิมได้ข้อมูลเดิม ค่าเริ่มต้น 0 (random seed; same seed, same data)")
    gen.add_argument("--district", action="append", metavar="เขต",
                     help="เฉพาะเขตนี้ ชื่อไทยหรืออังกฤษ เช่น เขตลาดกระบัง ลาดกระบัง หรือ 'Lat Krabang' ใส่ซ้ำได้ "
                          "(only this district, Thai or English name; repeat for several)")
    gen.add_argument("--out", required=True, metavar="โฟลเดอร์",
                     help="โฟลเดอร์ผลลัพธ์ สร้างให้ถ้ายังไม่มี (output folder, created if missing)")
    gen.add_argument("--format", choices=FORMATS, default="csv",
                     help="รูปแบบไฟล์ ค่าเริ่มต้น csv; xlsx คือสมุดงาน Excel ภาษาไทยกับไฟล์เฉลยแยก "
                          "(file format; xlsx gives a Thai workbook and a separate answer workbook)")
    gen.add_argument("--overwrite", action="store_true",
                     help="เขียนทับไฟล์ที่เหลือจากครั้งก่อน (replace files left by an earlier run)")
    gen.add_argument("--data-dir", metavar="โฟลเดอร์",
                     help="โฟลเดอร์ไฟล์ข้อมูลที่แก้ไขแล้ว ค่าเริ่มต้นคือของชุดฝึกอบรม "
                          "(folder with edited data files; default: the kit's own)")

    card = sub.add_parser("flower", help="บันทึกดอกไม้กลีบของครัวเรือนเดียวเป็น PNG และ PDF ขนาด A5 "
                                         "(save one household's petal flower)")
    card.add_argument("--family", required=True, metavar="HH0000001",
                      help="รหัสครัวเรือน (household ID), e.g. HH0000001")
    trip = sub.add_parser("journey", help="บันทึกแผนผังบริการ (A4) และบัตรผู้ปกครอง (A5) ของกรณีหนึ่ง "
                                          "(save one case's journey map and parent card)")
    trip.add_argument("--case", required=True, metavar="JC0000001",
                      help="รหัสกรณี เช่น JC0000029 คือกรณีของครัวเรือน HH0000029 (case ID)")
    # Both print cards for one household regenerated alone, so they need what generated it.
    for printer in (card, trip):
        printer.add_argument("--seed", type=_seed, default=0, metavar="S",
                             help="seed ที่ใช้สร้างชุดข้อมูล (seed the dataset was generated with)")
        printer.add_argument("--district", action="append", metavar="เขต",
                             help="เขตเดียวกับตอนสร้างข้อมูล (as given when generating)")
        printer.add_argument("--out", required=True, metavar="โฟลเดอร์",
                             help="โฟลเดอร์ผลลัพธ์ สร้างให้ถ้ายังไม่มี (output folder, created if missing)")
        printer.add_argument("--overwrite", action="store_true",
                             help="เขียนทับบัตรเดิม (replace earlier cards)")
    rep = sub.add_parser("report", help="เขียนรายงานประจำเดือนของคณะกรรมการระดับเมือง (PDF) และตารางสาธารณะ "
                                         "(write the city committee's monthly report and public table)",
                         description="เขียนรายงานประจำเดือนคณะกรรมการคุ้มครองเด็กกรุงเทพมหานครหนึ่งหน้า A4 (PDF) "
                                     "กับตารางสาธารณะรายเขตที่ปิดตัวเลขน้อยแล้ว (CSV และ XLSX) จากโฟลเดอร์ที่คำสั่ง "
                                     "generate เขียนไว้ (write the one-page monthly report and the suppressed public "
                                     "district table from a folder written by generate)")
    rep.add_argument("--data", required=True, metavar="โฟลเดอร์",
                     help="โฟลเดอร์ที่คำสั่ง generate เขียนไว้ (csv หรือ parquet) (folder written by generate)")
    rep.add_argument("--month", required=True, metavar="YYYY-MM",
                     help="เดือนของรายงาน ปี ค.ศ.-เดือน เช่น 2025-12 (the report's month)")
    rep.add_argument("--out", required=True, metavar="โฟลเดอร์",
                     help="โฟลเดอร์ผลลัพธ์ สร้างให้ถ้ายังไม่มี (output folder, created if missing)")
    rep.add_argument("--overwrite", action="store_true",
                     help="เขียนทับรายงานเดือนเดียวกันที่มีอยู่แล้ว (replace this month's earlier report files)")
    srv = sub.add_parser("serve", help="เปิดกิจกรรมให้โทรศัพท์ในห้องอบรมใช้ผ่าน Wi-Fi (serve the activities to phones)",
                         description="เปิดทุกกิจกรรมเป็นแอปบนเครือข่ายในห้อง แสดงที่อยู่และรหัส QR กด Ctrl-C เพื่อปิด "
                                     "(serve every activity on the local network; Ctrl-C stops)")
    srv.add_argument("--host", default="0.0.0.0", metavar="IP",
                     help="ที่อยู่ที่รับการเชื่อมต่อ ค่าเริ่มต้นทุกเครือข่ายของเครื่อง (address to listen on)")
    srv.add_argument("--port", type=_positive_int, metavar="PORT",
                     help="พอร์ต ค่าเริ่มต้นจาก simulator/data/serve.yaml (port; default from serve.yaml)")
    srv.add_argument("--pool", action="append", default=[], metavar="กิจกรรม=จำนวน",
                     help="จำนวน kernel ที่เตรียมไว้ของกิจกรรมหนึ่ง เช่น 3=40 ใส่ซ้ำได้ หรือ all=2 "
                          "(kernels kept ready for one activity, e.g. 3=40; all=N for every activity)")
    srv.add_argument("--fill-delay", type=float, metavar="วินาที",
                     help="รอกี่วินาทีก่อนเตรียม kernel ทดแทน (seconds before a used kernel is replaced)")
    srv.add_argument("--activities", default="activities", metavar="โฟลเดอร์",
                     help="โฟลเดอร์สมุดกิจกรรม ค่าเริ่มต้น activities (folder of activity notebooks)")
    srv.add_argument("--out", default="_build/serve", metavar="โฟลเดอร์",
                     help="โฟลเดอร์ที่สร้างแอปไว้ ค่าเริ่มต้น _build/serve (folder the apps are built in)")
    return parser


def _card_paths(out_folder: str, stems: list[str], overwrite: bool) -> list:
    """Paths (without suffix) for printable cards; refuse to replace earlier ones unless asked."""
    out = Path(out_folder)
    targets = [out / stem for stem in stems]
    clashes = [t for t in targets for s in (".png", ".pdf") if t.with_suffix(s).exists()]
    if clashes and not overwrite:
        raise ExportError(f"มีไฟล์ {clashes[0]}.png/.pdf อยู่แล้ว ใส่ --overwrite เพื่อเขียนทับ "
                          f"({clashes[0]}.png/.pdf already exist)")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"สร้าง {out} ไม่ได้ (cannot create {out}: {exc.strerror})") from exc
    return targets


def _wrote(paths) -> None:
    print(f"เขียนไฟล์แล้ว {len(paths)} ไฟล์ ({SYNTHETIC_MARK}, synthetic data):")
    for p in paths:
        print(f"  {p}")


def _journey(args) -> int:
    from simulator.figures import save_figure
    from simulator.figures.journey import journey_map, parent_card
    from simulator.model.population import simulate_family

    case = args.case.strip()
    if not (case.startswith("JC") and case[2:].isdigit()):
        raise SimulationError(f"{args.case!r} ไม่ใช่รหัสกรณีรูปแบบ JC0000001 "
                              f"({args.case!r} is not a case ID of the form JC0000001)")
    districts = resolve_districts(args.district, load_config().geography)
    pop = simulate_family("HH" + case[2:], seed=args.seed, districts=districts)
    timelines = simulate_timelines(pop)
    if case not in set(timelines.cases["case_id"]):
        raise SimulationError(f"ครัวเรือน HH{case[2:]} ไม่มีกลีบสีเหลืองหรือแดง จึงไม่มีกรณี {case} "
                              f"(household HH{case[2:]} has no yellow or red petal, so there is no case {case})")
    map_path, card_path = _card_paths(args.out, [f"journey_{case}", f"parent_card_{case}"], args.overwrite)
    parent = pop.people.loc[pop.people["is_primary_caregiver"], "first_name"].astype(str).iloc[0]
    paths = save_figure(journey_map(timelines, case, layout="print"), map_path)  # A4 landscape
    paths += save_figure(parent_card(timelines, case, parent), card_path)
    _wrote(paths)
    return 0


def _flower(args) -> int:
    from simulator.figures import save_figure
    from simulator.figures.petal import family_flower
    from simulator.model.population import simulate_family

    districts = resolve_districts(args.district, load_config().geography)
    pop = simulate_family(args.family, seed=args.seed, districts=districts)
    (target,) = _card_paths(args.out, [f"flower_{args.family}"], args.overwrite)
    paths = save_figure(family_flower(pop, args.family, layout="print"), target)  # A5 landscape
    _wrote(paths)
    return 0


def _report(args) -> int:
    from simulator.dashboards.report import (
        parse_report_month,
        read_report_data,
        write_monthly_report,
    )

    parse_report_month(args.month)  # a mistyped month is refused before the data is read
    data = read_report_data(args.data)
    paths = write_monthly_report(data, args.month, args.out, overwrite=args.overwrite)
    _wrote(paths)
    return 0


def _refuse_what_cannot_finish(args, config, districts) -> None:
    """Stop before any work when memory, or an Excel sheet, cannot hold the result."""
    available = limits.available_memory()
    if available is not None and limits.memory_needed(args.families, args.format) > available:
        most = limits.max_families_for_memory(available, args.format)
        raise RefusedError(
            f"{args.families:,} ครัวเรือนต้องใช้หน่วยความจำราว "
            f"{limits.memory_needed(args.families, args.format) / 2**30:.1f} GB แต่เครื่องนี้ว่างอยู่ "
            f"{available / 2**30:.1f} GB สร้างได้มากที่สุดราว {most:,} ครัวเรือน "
            f"(not enough memory for {args.families:,} families; at most about {most:,})"
        )
    if args.format != "xlsx":
        return
    pilot_size = min(args.families, limits.PILOT_FAMILIES)
    pilot = simulate(pilot_size, seed=args.seed, districts=districts, config=config)
    rates = limits.rows_per_family({**pilot.tables(), **simulate_timelines(pilot).tables()}, pilot_size)
    biggest = max(rates, key=rates.get)
    most = limits.max_families_for_sheet(rates[biggest])
    if args.families > most:
        raise RefusedError(
            f"{args.families:,} ครัวเรือนจะได้ตาราง {biggest} ราว {rates[biggest] * args.families:,.0f} แถว "
            f"เกินกว่าที่ชีต Excel หนึ่งชีตรับได้ ({limits.EXCEL_MAX_ROWS - limits.HEADER_ROWS:,} แถว) "
            f"ใช้ xlsx ได้ไม่เกินราว {most:,} ครัวเรือน หรือใช้ --format csv หรือ parquet "
            f"(table {biggest} would be more than an Excel sheet holds; at most about {most:,} families)"
        )


def _generate(args) -> int:
    config = load_config(args.data_dir) if args.data_dir else None
    districts = resolve_districts(args.district, (config or load_config()).geography)
    _refuse_what_cannot_finish(args, config, districts)
    pop = simulate(args.families, seed=args.seed, districts=districts, config=config)
    timelines = simulate_timelines(pop)
    paths = write_population(pop, args.out, args.format, overwrite=args.overwrite, timelines=timelines)
    tables = {**pop.tables(), **timelines.tables()}
    print(f"เขียนไฟล์แล้ว {len(paths)} ไฟล์ในโฟลเดอร์ {args.out} ({SYNTHETIC_MARK}, synthetic data, "
          f"seed {args.seed}, {args.families:,} ครัวเรือน):")
    for p in paths:
        print(f"  {p}")
    print("จำนวนแถว (rows): " + ", ".join(f"{TABLE_TH.get(n, n)} ({n}) {len(df):,}" for n, df in tables.items()))
    if args.format == "xlsx" and len(paths) > 1:
        print(f"  {paths[1].name} คือเฉลยสำหรับวิทยากร อย่าแจกให้ผู้เรียน (answer key: trainer only)")
    return 0


def _serve_settings(args):
    from simulator.workshop.serve import load_serve_settings

    settings = load_serve_settings()
    sizes = dict(settings.pool_sizes)
    default = settings.default_pool_size
    for item in args.pool:
        key, _, value = item.partition("=")
        if not value.isdigit() or not (key == "all" or (key.isdigit() and 1 <= int(key) <= 13)):
            raise RefusedError(f"--pool {item}: ต้องเป็น กิจกรรม=จำนวน เช่น 3=40 หรือ all=2 (expected ACTIVITY=N or all=N)")
        if key == "all":
            default, sizes = int(value), {}
        else:
            sizes[int(key)] = int(value)
    update = {"default_pool_size": default, "pool_sizes": sizes}
    if args.fill_delay is not None:
        update["fill_delay_seconds"] = args.fill_delay
    from pydantic import ValidationError

    try:
        return settings.model_validate(settings.model_dump() | update)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise RefusedError(f"ค่าการเปิดแอปใช้ไม่ได้ (invalid serve setting): {problems}") from exc


def _serve(args) -> int:
    from simulator.workshop.serve import ServeError, serve

    settings = _serve_settings(args)
    try:
        return serve(args.activities, args.out, settings, host=args.host, port=args.port,
                     echo=lambda text: print(text, flush=True))
    except ServeError as exc:
        print(ERROR_PREFIX + str(exc), file=sys.stderr)
        return 1


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
    except UsageError as exc:
        print(ERROR_PREFIX + str(exc), file=sys.stderr)
        return EXIT_USAGE
    except SystemExit as exc:  # --help prints and exits 0
        return exc.code if isinstance(exc.code, int) else 0
    try:
        if args.command == "flower":
            return _flower(args)
        if args.command == "journey":
            return _journey(args)
        if args.command == "serve":
            return _serve(args)
        if args.command == "report":
            return _report(args)
        return _generate(args)
    except ConfigError as exc:
        print(f"{ERROR_PREFIX}ไฟล์ข้อมูลมีปัญหา (data file problem): {exc}", file=sys.stderr)
    except (SimulationError, UnknownDistrictError, ExportError, RefusedError, DashboardDataError) as exc:
        print(ERROR_PREFIX + str(exc), file=sys.stderr)
    except MemoryError:
        print(f"{ERROR_PREFIX}หน่วยความจำไม่พอ ลองลดจำนวนครัวเรือน (out of memory; try fewer families)",
              file=sys.stderr)
    return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
