"""City committee level: the monthly report the committee takes to its meeting.

The Bangkok child-protection committee meets once a month (``scorecard.yaml``, ``meeting``: the
second Tuesday by default). The report of a month is read at the next month's meeting; what it
asks of the districts and providers is due at the meeting after that, where the following
month's report checks it. That is the PDCA cycle (วงจร PDCA) the committee runs:

- วางแผน (Plan) and ลงมือทำ (Do): the items of :func:`pdca_items`, each a measure of the
  scorecard that is off target (red or amber), the districts furthest from it, who acts
  (the district teams, or one dimension's providers) and the suggested action
  (``action_th`` of ``scorecard.yaml``);
- ตรวจสอบ (Check): :func:`follow_up` says, a month later, whether each item's measure improved;
- ปรับปรุง (Act): the next month's items.

:func:`monthly_report_figure` puts it on one A4 portrait page (scorecard, district tile map of
the headline measure, a 12-month trend, the items, last month's follow-up) and
:func:`write_monthly_report` writes the page as PDF beside the public district table as CSV
and XLSX, all or nothing.

Everything here reads a :class:`~simulator.dashboards.tables.DashboardData` only; districts are
named only where their value may be published (:func:`committee.scorecard_by_district`).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from simulator.dashboards.charts import (
    COLOURS,
    LEVEL_COLOURS,
    STATUS_COLOURS,
    finish,
    new_figure,
)
from simulator.dashboards.committee import (
    CHANGE_TH,
    MEASURE_FUNCTIONS,
    STATUS_TH,
    WEEKDAY_TH,
    CommitteeTable,
    Measure,
    ScorecardSpec,
    as_month,
    direction_of,
    district_values,
    draw_tile_map,
    load_scorecard,
    month_window,
    monthly_counts,
    public_table,
    scorecard,
    scorecard_by_district,
)
from simulator.dashboards.suppression import SuppressionRule, load_rule
from simulator.dashboards.tables import (
    SOURCE_FILES,
    DashboardData,
    DashboardDataError,
    read_tables,
)
from simulator.model.config import DIMENSIONS
from simulator.model.timelines import PROVIDER_ROLE
from simulator.thai.dates import MONTHS_SHORT, thai_date, thai_month
from simulator.thai.vocabulary import (
    CASE_LEVEL_TH,
    DIMENSION_TH,
    SYNTHETIC_MARK,
    TABLE_TH,
)

REPORT_TITLE_TH = "รายงานประจำเดือนคณะกรรมการคุ้มครองเด็กกรุงเทพมหานคร"
SYNTHETIC_STAMP_TH = f"{SYNTHETIC_MARK} (synthetic)"
A4_PORTRAIT_IN = (8.27, 11.69)
MOST_ITEMS = 5
DISTRICTS_PER_ITEM = 3
PDCA_TH = "วงจร PDCA: วางแผน (Plan) → ลงมือทำ (Do) → ตรวจสอบ (Check) → ปรับปรุง (Act)"
HIDDEN_MARK = "•"
# Who acts on a measure that is off target: the district's team, or the providers of one
# dimension where the measure counts a provider's own step (acknowledging a notification,
# meeting the goal of their dimension); the weakest dimension is named.
OWNER_OF = {"service_within": "district", "plan_within": "district", "acknowledged_within": "providers",
            "goals_met_within": "providers", "out_of_contact": "district"}
OWNER_LEVEL_TH = {"district": "ทีมเขต (district)", "providers": "ผู้ให้บริการ (providers)"}
STATUS_SYMBOL = {"red": "■", "amber": "◆"}  # text symbols (Sarabun has both); the figure draws shapes
STATUS_MARKER = {"green": "o", "amber": "D", "red": "s"}
ITEM_COLUMNS = ["item_no", "month", "measure_id", "name_th", "status", "value", "target", "tolerance",
                "higher_is_better", "previous_value", "direction", "change_is", "n_cases", "districts",
                "district_values", "owner_level", "owner_dimension", "owner_value", "owner_th", "owner_who_th",
                "action_th", "check_th", "act_th", "due_date", "due_th"]
FOLLOW_UP_COLUMNS = ["item_no", "measure_id", "name_th", "month_then", "value_then", "month", "value_now",
                     "status_now", "direction", "change_is", "improved", "districts", "district_change_is",
                     "result_th"]
ITEMS_TH = {"item_no": "ลำดับ", "name_th": "ตัวชี้วัด", "status": "สถานะ", "check_th": "ตรวจสอบ (Check)",
            "act_th": "ปรับปรุง (Act)", "owner_level": "ระดับผู้รับผิดชอบ", "owner_th": "ผู้รับผิดชอบ",
            "due_th": "ครบกำหนด"}
FOLLOW_UP_TH = {"item_no": "ลำดับ", "name_th": "ตัวชี้วัด", "result_th": "ผลการติดตาม (Check)"}


class ReportError(DashboardDataError):
    """A report that cannot be made (a month outside the data, a file already there); Thai message."""


# ---------------------------------------------------------------------------------- the data

def read_report_data(folder: Path | str) -> DashboardData:
    """The tables ``python -m simulator generate`` wrote into ``folder`` (csv or parquet), with
    Thai errors for a missing folder, a missing table or an unreadable file."""
    folder = Path(folder)
    if not folder.is_dir():
        what = "เป็นไฟล์ ไม่ใช่โฟลเดอร์" if folder.exists() else "ไม่มีอยู่"
        raise ReportError(f"โฟลเดอร์ข้อมูล {folder} {what} ใช้โฟลเดอร์ที่คำสั่ง generate เขียนไว้ "
                          f"(no data folder {folder})")
    for name, stem in SOURCE_FILES.items():
        if not ((folder / f"{stem}.parquet").exists() or (folder / f"{stem}.csv").exists()):
            raise ReportError(f"ไม่พบตาราง{TABLE_TH.get(stem, stem)} ({stem}.parquet หรือ {stem}.csv) ในโฟลเดอร์ {folder} "
                              f"ใช้โฟลเดอร์ที่คำสั่ง generate เขียนไว้ (the {name} table is missing: "
                              f"neither {stem}.parquet nor {stem}.csv)")
    try:
        return read_tables(folder)
    except DashboardDataError as exc:
        raise ReportError(f"อ่านข้อมูลในโฟลเดอร์ {folder} ไม่ได้ (cannot read the data: {exc})") from exc


def _quick_ids(data: DashboardData) -> DashboardData:
    """The same data with text id columns as Python objects.

    pandas' Arrow-backed strings answer ``isin`` one value at a time, which makes
    :meth:`DashboardData.upto` take seconds on 100,000 families; object columns hash.
    """
    def plain(df: pd.DataFrame, columns) -> pd.DataFrame:
        change = {c: df[c].astype(object) for c in columns
                  if c in df.columns and df[c].dtype != object and not isinstance(df[c].dtype, pd.CategoricalDtype)}
        return df.assign(**change) if change else df

    ids = ("case_id", "family_id")
    return replace(data, households=plain(data.households, ids), children=plain(data.children, ("family_id",)),
                   petals=plain(data.petals, ("family_id",)), cases=plain(data.cases, ids),
                   events=plain(data.events, ids))


def data_range(data: DashboardData) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last day the data covers (first event, ``as_of``)."""
    if data.events.empty:
        raise ReportError("ตารางเหตุการณ์ (events) ว่าง จึงไม่มีข้อมูลให้รายงาน (the events table is empty)")
    return pd.Timestamp(data.events["date"].min()).normalize(), data.as_of


def parse_report_month(month) -> pd.Period:
    """``month`` (``"2025-12"``, a monthly Period or a date) as a Period; Thai and English error."""
    try:
        return as_month(month)
    except DashboardDataError:
        raise ReportError(f"เดือน {month!r} ต้องเขียนแบบ ปี ค.ศ.-เดือน เช่น 2025-12 "
                          f"(month {month!r} is not YYYY-MM, for example 2025-12)") from None


def report_month(data: DashboardData, month) -> pd.Period:
    """``month`` as a Period, refused (Thai and English) unless the data covers the whole month
    up to its last day and starts no later than in that month."""
    period = parse_report_month(month)
    first, last = data_range(data)
    span_th = f"ข้อมูลมีตั้งแต่ {thai_date(first)} ถึง {thai_date(last)}"
    span_en = f"the data runs from {first.date()} to {last.date()}"
    name = f"{thai_month(period, long=True)} ({period})"
    if period < first.to_period("M"):
        raise ReportError(f"ไม่มีข้อมูลของเดือน{name} {span_th} (no data for {period}; {span_en})")
    if period.start_time > last:
        raise ReportError(f"เดือน{name} อยู่หลังวันสุดท้ายของข้อมูล {span_th} (the month {period} is after the "
                          f"data's last day; {span_en})")
    if period.end_time.normalize() > last:
        raise ReportError(f"ข้อมูลของเดือน{name} ยังไม่ครบทั้งเดือน {span_th} (the month {period} ends after the "
                          f"data's last day; {span_en})")
    return period


@dataclass
class _Month:
    """One month's scorecard and district table, counted once and shared by the report's parts."""

    data: DashboardData
    month: pd.Period
    spec: ScorecardSpec
    rule: SuppressionRule
    card: pd.DataFrame
    by_district: pd.DataFrame

    @cached_property
    def known(self) -> DashboardData:
        """The data as it stood at the month's end."""
        return self.data.upto(self.month.end_time.normalize())


def _month(data: DashboardData, month: pd.Period, spec: ScorecardSpec, rule: SuppressionRule,
           values: dict) -> _Month:
    card = scorecard(data, month, spec=spec, values=values)
    by_district = scorecard_by_district(data, month, spec, rule, values=values)
    return _Month(data, month, spec, rule, card, by_district)


# ------------------------------------------------------------------------------- PDCA items

def _thai_list(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " และ" + words[-1]


def _districts_th(names) -> str:
    return _thai_list([f"เขต{n}" for n in names])


def _limit(higher_is_better: bool) -> str:
    return "≥" if higher_is_better else "≤"


def _change_th(change_is, previous) -> str:
    if change_is is None or pd.isna(previous):
        return "ไม่มีค่าของเดือนก่อนให้เทียบ"
    if change_is == "same":
        return f"เท่ากับเดือนก่อน ({previous:.1f}%)"
    return f"{CHANGE_TH[change_is]}จาก {previous:.1f}% เมื่อเดือนก่อน"


def _worst_districts(by_district: pd.DataFrame, measure_id: str, higher_is_better: bool, most: int) -> pd.DataFrame:
    """The publishable districts furthest from the target (red or amber), at most ``most``.

    Districts resting on fewer cases than ``few_cases_below`` come after the others: a value of
    a handful of cases is no reason to call a district to account before one of many."""
    rows = by_district[(by_district["measure_id"] == measure_id) & ~by_district["suppressed"]
                       & by_district["value"].notna() & by_district["status"].isin(["red", "amber"])]
    badness = -rows["value"] if higher_is_better else rows["value"]
    rows = rows.assign(_few=rows["few_cases"].astype(bool), _bad=badness.astype(float))
    return rows.sort_values(["_few", "_bad", "district"], ascending=[True, False, True], kind="stable").head(most)


def dimension_values(data: DashboardData, measure: Measure, month, districts=None) -> pd.Series:
    """A measure counted for each dimension's own step only (its notifications, or its goals),
    over the families of ``districts`` (every family when None): % per dimension, NaN where
    nothing was counted. Used for measures whose owner is a dimension's providers.

    Each dimension keeps the cases with a goal in it, counted as one goal each, and the events
    in that dimension plus the whole-plan ones (as :class:`Selection` with ``dimension``)."""
    month = as_month(month)
    return _dimension_values(_quick_ids(data).upto(month.end_time.normalize()), measure, month, districts)


def _dimension_values(known: DashboardData, measure: Measure, month: pd.Period, districts=None) -> pd.Series:
    cases, events = known.cases, known.events
    if districts:
        hh = known.households
        families = hh.loc[hh["district"].astype(str).isin(list(districts)).to_numpy(), "family_id"]
        cases = cases[cases["family_id"].isin(families).to_numpy()]
        events = events[events["family_id"].isin(families).to_numpy()]
    listed = ("," + cases["dimensions"].astype(str) + ",").to_numpy(dtype=str)
    kind = events["dimension"].astype(object)
    whole_plan = kind.isna().to_numpy()
    start, end = month_window(month, measure.window_months)
    compute = MEASURE_FUNCTIONS[measure.compute][1]
    shares = {}
    for dimension in DIMENSIONS:  # four dimensions, each vectorised
        has = np.char.find(listed, f",{dimension},") >= 0
        mine = cases[has].assign(goals_planned=1)  # one goal per case: the dimension's own
        keep = (whole_plan | (kind == dimension).to_numpy()) & events["case_id"].isin(mine["case_id"]).to_numpy()
        units = compute(replace(known, cases=mine, events=events[keep]), start, end, measure.parameters())
        den = float(units["den"].sum())
        shares[dimension] = 100.0 * float(units["num"].sum()) / den if den > 0 else np.nan
    return pd.Series(shares, name="value")


def _owner(facts: _Month, measure: Measure, districts: list[str]) -> tuple[str, str | None, float, str]:
    """(owner level, dimension or None, the dimension's value, who acts, in Thai, without where)."""
    if OWNER_OF.get(measure.compute) == "providers":
        shares = _dimension_values(facts.known, measure, facts.month, districts or None).dropna()
        if len(shares):
            dimension = str(shares.idxmin() if measure.higher_is_better else shares.idxmax())
            role = _role_th().get(PROVIDER_ROLE[dimension], PROVIDER_ROLE[dimension])
            return "providers", dimension, float(shares[dimension]), f"ผู้ให้บริการด้าน{DIMENSION_TH[dimension]} ({role})"
    return "district", None, np.nan, "ทีมคุ้มครองเด็ก"


def _role_th() -> dict[str, str]:
    from simulator.model.config import load_config

    return {r.id: r.name_th for r in load_config().goals.roles}


def _items(facts: _Month, most: int = MOST_ITEMS, districts_per_item: int = DISTRICTS_PER_ITEM) -> pd.DataFrame:
    card = facts.card
    off = card[card["status"].isin(["red", "amber"])].copy()
    gap = np.where(off["higher_is_better"], off["target"] - off["value"], off["value"] - off["target"])
    off = off.assign(_not_worse=(off["change_is"] != "worse").to_numpy(),
                     _rank=off["status"].map({"red": 0, "amber": 1}).to_numpy(), _gap=gap)
    off = off.sort_values(["_not_worse", "_rank", "_gap"], ascending=[True, True, False], kind="stable").head(most)
    due = facts.spec.meeting.day_in(facts.month + 2)
    due_th = f"วัน{WEEKDAY_TH[facts.spec.meeting.weekday]}ที่ {thai_date(due)}"
    rows = []
    for number, row in enumerate(off.itertuples(index=False), start=1):  # at most `most` measures
        measure = facts.spec.measure(row.measure_id)
        worst = _worst_districts(facts.by_district, row.measure_id, row.higher_is_better, districts_per_item)
        names = [str(n) for n in worst["district"]]
        level, dimension, dim_value, who = _owner(facts, measure, names)
        gap = " " if who.endswith(")") else ""
        owner_th = f"{who}{gap}ของ{_districts_th(names)}" if names else f"{who}{gap}ทุกเขต"
        check = (f"{row.name_th}: ทั้งเมือง {row.value:.1f}% เป้า {_limit(row.higher_is_better)} {row.target:g}% "
                 f"({STATUS_TH[row.status]}) {_change_th(row.change_is, row.previous_value)}")
        if names:
            listed = ", ".join(f"เขต{n} {v:.1f}%" for n, v in zip(names, worst["value"]))
            check += f"; เขตที่ห่างเป้ามากที่สุด: {listed}"
        else:
            check += "; ไม่มีเขตที่เผยแพร่ค่าได้และห่างเป้า"
        if dimension is not None:
            check += f"; ด้านที่ห่างเป้ามากที่สุด: {DIMENSION_TH[dimension]} {dim_value:.1f}%"
        action = f"{measure.action_th} และ" if measure.action_th else ""
        act = f"{owner_th}: {action}รายงานผลในการประชุมครั้งหน้า {due_th}"
        rows.append({"item_no": number, "month": facts.month, "measure_id": row.measure_id, "name_th": row.name_th,
                     "status": row.status, "value": row.value, "target": row.target, "tolerance": row.tolerance,
                     "higher_is_better": bool(row.higher_is_better), "previous_value": row.previous_value,
                     "direction": row.direction, "change_is": row.change_is, "n_cases": int(row.n_cases),
                     "districts": tuple(names), "district_values": tuple(float(v) for v in worst["value"]),
                     "owner_level": level, "owner_dimension": dimension, "owner_value": dim_value,
                     "owner_th": owner_th, "owner_who_th": who, "action_th": measure.action_th, "check_th": check, "act_th": act, "due_date": due, "due_th": due_th})
    return pd.DataFrame(rows, columns=ITEM_COLUMNS)


def pdca_items(data: DashboardData, month, spec: ScorecardSpec | None = None, rule: SuppressionRule | None = None,
               most: int = MOST_ITEMS, districts_per_item: int = DISTRICTS_PER_ITEM) -> pd.DataFrame:
    """The committee's follow-up items for ``month`` (วงจร PDCA), at most ``most`` of them.

    One item per measure of the city scorecard that is red or amber: those getting worse than
    last month first, then red before amber, then the furthest from target. Each names the (at
    most ``districts_per_item``) districts furthest from the target among those whose value is
    publishable (:func:`committee.scorecard_by_district`: never a hidden one) and not on target.

    Columns: ``item_no`` (1...), ``month``, ``measure_id``, ``name_th``, ``status``, ``value``
    (the city's %), ``target``, ``tolerance``, ``higher_is_better``, ``previous_value``,
    ``direction``, ``change_is``, ``n_cases``, ``districts`` and ``district_values`` (tuples, worst
    first), ``owner_level`` (``district``, or ``providers`` for acknowledgement and goals, with
    ``owner_dimension`` the weakest dimension and ``owner_value`` its %), ``owner_th`` (who, of
    which districts), ``owner_who_th`` (who alone), ``action_th`` (of ``scorecard.yaml``),
    ``check_th`` (ตรวจสอบ: value, target, direction, districts), ``act_th`` (ปรับปรุง: who, the
    measure's ``action_th`` of ``scorecard.yaml``, report back at the next meeting),
    ``due_date`` (the meeting after the one that reads this report) and ``due_th``.
    """
    spec = spec or load_scorecard()
    data = _quick_ids(data)
    month = report_month(data, month)
    return _items(_month(data, month, spec, rule or load_rule(), {}), most, districts_per_item)


def follow_up(previous_items: pd.DataFrame, data: DashboardData, month, spec: ScorecardSpec | None = None,
              rule: SuppressionRule | None = None) -> pd.DataFrame:
    """The "Check" of last month's items: for each, did its measure improve by ``month``?

    Columns: ``item_no``, ``measure_id``, ``name_th``, ``month_then`` and ``value_then`` (the
    item's month and city value), ``month``, ``value_now``, ``status_now``, ``direction`` and
    ``change_is`` (better/worse/same, None when either value is missing), ``improved`` (True only
    when better), ``districts`` (the item's districts) with ``district_change_is`` (the same
    comparison for each; None where a value is hidden or missing) and ``result_th``.
    """
    spec = spec or load_scorecard()
    data = _quick_ids(data)
    month = report_month(data, month)
    return _follow(previous_items, _month(data, month, spec, rule or load_rule(), {}))


def _follow(previous_items: pd.DataFrame, facts: _Month) -> pd.DataFrame:
    if previous_items is None or previous_items.empty:
        return pd.DataFrame(columns=FOLLOW_UP_COLUMNS)
    missing = [c for c in ("item_no", "month", "measure_id", "name_th", "value", "higher_is_better", "districts",
                           "district_values") if c not in previous_items.columns]
    if missing:
        raise ReportError(f"ตารางเรื่องที่ต้องติดตามขาดคอลัมน์ {', '.join(missing)} "
                          f"(the previous items lack column(s) {', '.join(missing)}; pass what pdca_items returned)")
    then = as_month(previous_items["month"].iloc[0])
    if facts.month <= then:
        raise ReportError(f"ติดตามเรื่องของเดือน {thai_month(then)} ได้ตั้งแต่เดือนถัดไป ไม่ใช่ {thai_month(facts.month)} "
                          f"(items of {then} are checked in a later month, not {facts.month})")
    items = previous_items.reset_index(drop=True)
    card = facts.card.set_index("measure_id")
    now = items["measure_id"].map(card["value"]).astype(float)
    direction, change_is = direction_of(now, items["value"].astype(float), items["higher_is_better"].astype(bool))
    status_now = items["measure_id"].map(card["status"]).fillna("none")
    by = facts.by_district.set_index(["district", "measure_id"])["value"]
    district_changes = []
    for row in items.itertuples(index=False):  # at most five items, three districts each
        keys = pd.MultiIndex.from_arrays([list(row.districts), [row.measure_id] * len(row.districts)])
        values_now = by.reindex(keys).to_numpy(dtype=float)
        _, changes = direction_of(values_now, np.asarray(row.district_values, dtype=float), row.higher_is_better)
        district_changes.append(tuple(changes))
    out = pd.DataFrame({"item_no": items["item_no"], "measure_id": items["measure_id"], "name_th": items["name_th"],
                        "month_then": then, "value_then": items["value"].astype(float), "month": facts.month,
                        "value_now": now, "status_now": status_now.to_numpy(), "direction": direction,
                        "change_is": change_is, "improved": change_is == "better", "districts": items["districts"],
                        "district_change_is": district_changes})
    out["result_th"] = [_result_th(r) for r in out.itertuples(index=False)]
    return out[FOLLOW_UP_COLUMNS]


def _result_th(row) -> str:
    if pd.isna(row.value_now):
        return f"{row.name_th}: เดือนนี้ไม่มีค่าให้เทียบ"
    verdict = {"better": "ดีขึ้น", "worse": "ยังไม่ดีขึ้น (แย่ลง)", "same": "ยังไม่ดีขึ้น (เท่าเดิม)"}.get(row.change_is,
                                                                                                    "เทียบไม่ได้")
    text = f"{row.name_th}: {row.value_then:.1f}% → {row.value_now:.1f}% {verdict} ({STATUS_TH.get(row.status_now, '')})"
    if row.districts:
        better = sum(c == "better" for c in row.district_change_is)
        text += f"; เขตที่ระบุดีขึ้น {better} จาก {len(row.districts)} เขต"
    return text


def pdca_items_th(items: pd.DataFrame) -> pd.DataFrame:
    """:func:`pdca_items` with Thai headers."""
    from simulator.dashboards.tables import thai_view

    return thai_view(items, {k: v for k, v in ITEMS_TH.items() if k in items.columns},
                     {"status": STATUS_TH, "owner_level": OWNER_LEVEL_TH})


def follow_up_th(table: pd.DataFrame) -> pd.DataFrame:
    """:func:`follow_up` with Thai headers."""
    from simulator.dashboards.tables import thai_view

    return thai_view(table, {k: v for k, v in FOLLOW_UP_TH.items() if k in table.columns})


# ----------------------------------------------------------------------------- the A4 page

class _Text:
    """Measures and wraps Thai text in inches (Thai breaks only at the spaces of the text)."""

    def __init__(self, fig):
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        if not isinstance(fig.canvas, FigureCanvasAgg):
            FigureCanvasAgg(fig)
        self.fig = fig
        self.renderer = fig.canvas.get_renderer()

    def width_in(self, text: str, size: float, weight: str = "normal") -> float:
        return _text_width_pt(text, size, weight, float(self.fig.dpi)) / 72

    def wrap(self, text: str, width_in: float, size: float, weight: str = "normal") -> str:
        """``text`` broken at spaces into lines no wider than ``width_in``.

        Each line starts from an estimate (its words' widths added up, measured once each), then
        the whole line is measured and words are added or taken back until it just fits."""
        words = str(text).split(" ")
        space = self.width_in(" ", size, weight)
        widths = [self.width_in(w, size, weight) for w in words]
        lines, i = [], 0
        while i < len(words):
            j, used = i + 1, widths[i]
            while j < len(words) and used + space + widths[j] <= width_in:
                used += space + widths[j]
                j += 1
            while j - i > 1 and self.width_in(" ".join(words[i:j]), size, weight) > width_in:
                j -= 1
            while j < len(words) and self.width_in(" ".join(words[i:j + 1]), size, weight) <= width_in:
                j += 1
            lines.append(" ".join(words[i:j]))
            i = j
        return "\n".join(lines)

    def height_in(self, artist) -> float:
        return artist.get_window_extent(self.renderer).height / self.fig.dpi


@lru_cache(maxsize=20_000)
def _text_width_pt(text: str, size: float, weight: str, dpi: float = 100.0) -> float:
    """Width of ``text`` in points in the kit's font, as matplotlib's Agg renderer draws it at
    ``dpi`` (hinting makes small text a little wider on screen than in a PDF)."""
    from matplotlib.font_manager import FontProperties

    renderer = _measuring_renderer(dpi)
    width, _, _ = renderer.get_text_width_height_descent(text, FontProperties(size=size, weight=weight), ismath=False)
    return float(width) * 72 / dpi


@lru_cache(maxsize=4)
def _measuring_renderer(dpi: float):
    from matplotlib.backends.backend_agg import RendererAgg

    return RendererAgg(10, 10, dpi)


def _keep_together(text: str) -> str:
    """No line break inside a Thai month and year (``ธ.ค. 2568``) or after ``เขต``."""
    for short in MONTHS_SHORT:
        text = text.replace(f"{short} ", f"{short}\u00a0")
    return text


@dataclass
class _Page:
    """The page as one canvas in inches from the top-left corner."""

    fig: object
    ax: object
    text: _Text
    width: float
    height: float

    def put(self, x, y, s, size=8.0, **kw):
        kw.setdefault("va", "top")
        kw.setdefault("ha", "left")
        return self.ax.text(x, y, s, fontsize=size, **kw)

    def rule(self, y: float, width: float = 0.8, colour: str = "#555555") -> None:
        """A horizontal line across the page at ``y`` inches from the top."""
        self.ax.plot([MARGIN, self.width - MARGIN], [y, y], color=colour, linewidth=width)


def _new_page():
    fig = new_figure(*A4_PORTRAIT_IN)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, A4_PORTRAIT_IN[0])
    ax.set_ylim(A4_PORTRAIT_IN[1], 0)
    ax.axis("off")
    ax.set_in_layout(False)
    return _Page(fig, ax, _Text(fig), *A4_PORTRAIT_IN)


MARGIN = 0.42
# Bands of the page, in inches from the top.
BANDS = {"header": 0.3, "card": 1.08, "middle": 3.7, "middle_end": 7.78, "foot": 11.08}
MAP_RIGHT = 5.0  # the tile map's column ends here; the trend and last month's follow-up take the rest
ROW_IN = 0.31


def _place(page: _Page, draw, bottom: float, sizes) -> float:
    """Draw with the first text size in ``sizes`` whose texts end above ``bottom`` (inches);
    ``draw(size)`` returns the texts it added and where they end. Returns that end."""
    for size in sizes:
        texts, end = draw(size)
        if end <= bottom or size == sizes[-1]:
            return end
        for t in texts:
            t.remove()
    return end


def _header(page: _Page, month: pd.Period, meeting: pd.Timestamp, weekday_th: str) -> None:
    from matplotlib.patches import FancyBboxPatch

    top = BANDS["header"]
    # The synthetic-data stamp, top right: boxed, bold, dark red (a dark framed box in black and white).
    stamp_size = 12
    right = page.width - MARGIN - 0.08
    stamp_width = page.text.width_in(SYNTHETIC_STAMP_TH, stamp_size, "bold")
    page.put(right, top + 0.05, SYNTHETIC_STAMP_TH, size=stamp_size, fontweight="bold", color="#b00020", ha="right")
    page.ax.add_patch(FancyBboxPatch((right - stamp_width - 0.08, top - 0.01), stamp_width + 0.16, 0.33,
                                     boxstyle="round,pad=0.02", facecolor="none", edgecolor="#b00020", linewidth=1.6))
    room = right - stamp_width - 0.25 - MARGIN
    size = next((s for s in (15.5, 15, 14.5, 14, 13.5, 13) if page.text.width_in(REPORT_TITLE_TH, s, "bold") <= room),
                13)
    page.put(MARGIN, top, REPORT_TITLE_TH, size=size, fontweight="bold")
    when = f"ประจำเดือน{thai_month(month, long=True)}"
    page.put(MARGIN, top + 0.36, when, size=12.5, fontweight="bold")
    line = _keep_together(f"ข้อมูล ณ สิ้นวันที่ {thai_date(month.end_time)} · เสนอในการประชุมวัน{weekday_th}ที่ "
                          f"{thai_date(meeting)}")
    left = MARGIN + page.text.width_in(when, 12.5, "bold") + 0.2
    size = next((s for s in (8.5, 8, 7.5, 7) if page.text.width_in(line, s) <= page.width - MARGIN - left), 7)
    page.put(left, top + 0.42, line, size=size, color="#333333")
    page.rule(top + 0.7, 0.8)


def _status_mark(page: _Page, x: float, y: float, status: str, size: float) -> None:
    page.ax.plot(x, y, marker=STATUS_MARKER.get(status, "o"), markersize=size,
                 color=STATUS_COLOURS.get(status, COLOURS["grey"]), markeredgecolor="black", markeredgewidth=0.6,
                 linestyle="none")


def _scorecard_panel(page: _Page, card: pd.DataFrame, month: pd.Period) -> float:
    from matplotlib.patches import Rectangle

    top = BANDS["card"]
    page.put(MARGIN, top, _keep_together(f"ตารางคะแนน (scorecard) ทั้งเมือง {thai_month(month)}"), size=11.5,
             fontweight="bold")
    # The key to the status shapes, drawn as the same markers as the rows (right-aligned).
    x = page.width - MARGIN
    for status in ("red", "amber", "green"):
        page.put(x, top + 0.06, STATUS_TH[status], size=7.5, color="#333333", ha="right")
        x -= page.text.width_in(STATUS_TH[status], 7.5) + 0.2
        _status_mark(page, x + 0.08, top + 0.06 + 0.075, status, 7)
        x -= 0.22
    page.put(x, top + 0.06, "สถานะ:", size=7.5, color="#333333", ha="right")
    columns = {"name": MARGIN + 0.05, "status": 3.80, "value": 5.05, "target": 5.78, "change": 6.28,
               "cases": page.width - MARGIN - 0.05}
    head_y = top + 0.34
    heads = [("name", "ตัวชี้วัด", "left"), ("status", "สถานะ", "left"), ("value", "ทั้งเมือง", "center"),
             ("target", "เป้า", "center"), ("change", "เทียบเดือนก่อน", "left"), ("cases", "กรณีที่นับ", "right")]
    for key, label, ha in heads:
        page.put(columns[key], head_y, label, size=8, color="#444444", ha=ha)
    first = head_y + 0.22
    page.rule(first - 0.01, 0.6, "#888888")
    name_width = columns["status"] - columns["name"] - 0.15
    for i, row in enumerate(card.itertuples(index=False)):
        y = first + i * ROW_IN
        mid = y + ROW_IN / 2
        if i % 2 == 0:
            page.ax.add_patch(Rectangle((MARGIN, y), page.width - 2 * MARGIN, ROW_IN, facecolor="#efefef",
                                        edgecolor="none", zorder=0))
        page.put(columns["name"], mid, page.text.wrap(str(row.name_th), name_width, 8.5), size=8.5, va="center",
                 linespacing=1.05)
        _status_mark(page, columns["status"] + 0.07, mid, row.status, 10)
        page.put(columns["status"] + 0.22, mid, STATUS_TH.get(row.status, ""), size=8.5, va="center")
        value = "–" if pd.isna(row.value) else f"{row.value:.1f}%"
        page.put(columns["value"], mid, value, size=11.5, fontweight="bold", va="center", ha="center")
        page.put(columns["target"], mid, f"{_limit(row.higher_is_better)} {row.target:g}%", size=8.5, va="center",
                 ha="center")
        if isinstance(row.direction, str):
            marker = {"up": "^", "down": "v", "same": "_"}[row.direction]
            tone = {"better": STATUS_COLOURS["green"], "worse": STATUS_COLOURS["red"]}.get(row.change_is, "#555555")
            page.ax.plot(columns["change"] + 0.07, mid, marker=marker, markersize=9, color=tone,
                         markeredgecolor="black", markeredgewidth=0.5 if row.direction != "same" else 2.0,
                         linestyle="none")
            words = f"{CHANGE_TH.get(row.change_is, '')}\nจาก {row.previous_value:.1f}%"
        else:
            words = "ไม่มีค่า\nเดือนก่อน"
        page.put(columns["change"] + 0.22, mid, words, size=7.5, va="center", linespacing=1.0)
        cases = f"{int(row.n_cases):,}" + ("*" if row.few_cases else "")
        page.put(columns["cases"], mid, cases, size=8.5, va="center", ha="right")
    bottom = first + len(card) * ROW_IN
    note = "ทั้งเมือง: ค่าของทั้งกรุงเทพมหานคร · ลูกศร: ค่าขึ้นหรือลงจากเดือนก่อน คำข้างลูกศรบอกว่าดีขึ้นหรือแย่ลง"
    if card["few_cases"].any():
        note += f" · * {card.loc[card['few_cases'], 'note_th'].iloc[0]}"
    t = page.put(MARGIN, bottom + 0.04, page.text.wrap(note, page.width - 2 * MARGIN, 7), size=7, color="#444444")
    return bottom + 0.04 + page.text.height_in(t)


def _trend_panel(target, data: DashboardData, month: pd.Period) -> None:
    from simulator.dashboards.committee import _month_ticks, _tidy_ticks

    counts = monthly_counts(data.upto(month.end_time.normalize()), by="city", start=month - 11, end=month,
                            by_level=True)
    table = counts.pivot_table(index="month", columns="case_level", values="noticed", aggfunc="sum")
    table = table.reindex(columns=["emergency", "complex"], fill_value=0)
    months = pd.PeriodIndex(table.index)
    ax = target.add_subplot()
    x = np.arange(len(months))
    complex_, emergency = table["complex"].to_numpy(dtype=float), table["emergency"].to_numpy(dtype=float)
    ax.bar(x, complex_, color="#d9d9d9", edgecolor="#555555", linewidth=0.5, label=CASE_LEVEL_TH["complex"])
    ax.bar(x, emergency, bottom=complex_, color=LEVEL_COLOURS["emergency"], edgecolor="#333333", linewidth=0.5,
           hatch="////", label=CASE_LEVEL_TH["emergency"])
    spots, labels = _month_ticks(months, 4)
    ax.set_xticks(spots, labels, fontsize=7)
    ax.tick_params(axis="y", labelsize=7)
    ax.set_xlim(-0.6, len(months) - 0.4)
    ax.set_ylim(bottom=0)
    ax.set_ylabel("กรณีที่พบใหม่ (ราย)", fontsize=7.5)
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_title(_keep_together(f"กรณีที่พบใหม่รายเดือน ทั้งเมือง\n12 เดือนถึง {thai_month(month)}"), fontsize=9.5,
                 loc="left", linespacing=1.15)
    target.legend(*ax.get_legend_handles_labels(), loc="outside lower center", ncols=2, fontsize=7.5, frameon=False)
    _tidy_ticks(ax)


def _paragraphs(page: _Page, x: float, y: float, parts, gap: float) -> tuple[list, float]:
    """Texts one under the other from ``y``: ``parts`` are (text, size, keywords, gap after)."""
    texts = []
    for text, size, kw, after in parts:
        t = page.put(x + kw.pop("indent", 0.0), y, text, size=size, **kw)
        texts.append(t)
        y += page.text.height_in(t) + after
    return texts, y + gap


def _item_texts(row) -> tuple[str, str, str]:
    """(head, check, act) of an item as the page prints them: shorter than ``check_th`` and
    ``act_th`` (the districts are named once, the due meeting is in the panel's heading)."""
    head = f"{row.item_no}. {STATUS_SYMBOL.get(row.status, '')} {row.name_th} ({STATUS_TH[row.status]})"
    before = ""
    if isinstance(row.change_is, str) and not pd.isna(row.previous_value):
        before = f", เดือนก่อน {row.previous_value:.1f}% {CHANGE_TH[row.change_is]}"
    check = (f"ตรวจสอบ (Check): ทั้งเมือง {row.value:.1f}% (เป้า {_limit(row.higher_is_better)} {row.target:g}%"
             f"{before})")
    if row.districts:
        listed = ", ".join(f"{n} {v:.1f}%" for n, v in zip(row.districts, row.district_values))
        check += f" · เขตที่ห่างเป้าที่สุด: {listed}"
    if isinstance(row.owner_dimension, str):
        check += f" · ด้านที่ห่างเป้าที่สุด: {DIMENSION_TH[row.owner_dimension]} {row.owner_value:.1f}%"
    where = "ของเขตข้างต้น" if row.districts else "ทุกเขต"
    gap = " " if row.owner_who_th.endswith(")") else ""
    act = f"ปรับปรุง (Act): {row.owner_who_th}{gap}{where}" + (f": {row.action_th}" if row.action_th else "")
    return head, _keep_together(check), _keep_together(act)


def _items_panel(page: _Page, items: pd.DataFrame, top: float, bottom: float, due_th: str) -> None:
    page.rule(top - 0.08, 0.8)
    page.put(MARGIN, top, "เรื่องที่ต้องติดตาม", size=11.5, fontweight="bold")
    after = MARGIN + page.text.width_in("เรื่องที่ต้องติดตาม", 11.5, "bold") + 0.15
    page.put(after, top + 0.06, f"{PDCA_TH} · ทุกเรื่องรายงานผลในการประชุม{due_th}", size=7.5,
             color="#333333")
    y0 = top + 0.3
    if items.empty:
        page.put(MARGIN, y0, "ทุกตัวชี้วัดถึงเป้า เดือนนี้ไม่มีเรื่องที่ต้องติดตาม", size=9)
        return
    indent = 0.2
    width = page.width - 2 * MARGIN - indent

    def draw(size):
        texts, y = [], y0
        for row in items.itertuples(index=False):
            head, check, act = _item_texts(row)
            parts = [(head, size + 0.5, {"fontweight": "bold"}, 0.0),
                     (page.text.wrap(check, width, size), size, {"indent": indent, "linespacing": 1.1}, 0.0),
                     (page.text.wrap(act, width, size), size, {"indent": indent, "linespacing": 1.1}, 0.0)]
            made, y = _paragraphs(page, MARGIN, y, parts, 0.05)
            texts += made
        return texts, y

    _place(page, draw, bottom, (8.5, 8.25, 8.0, 7.75, 7.5, 7.25, 7.0, 6.75, 6.5))


def _follow_text(row) -> str:
    """One line of last month's follow-up as the page prints it (shorter than ``result_th``)."""
    mark = {"up": "▲", "down": "▼"}.get(row.direction, "–")
    if pd.isna(row.value_now):
        return f"{row.item_no}. {row.name_th}: เดือนนี้ไม่มีค่าให้เทียบ"
    verdict = "ดีขึ้น" if row.improved else "ยังไม่ดีขึ้น"
    text = f"{row.item_no}. {mark} {row.name_th}: {row.value_then:.1f}% → {row.value_now:.1f}% {verdict}"
    if row.districts:
        better = sum(c == "better" for c in row.district_change_is)
        text += f" · เขตที่ระบุดีขึ้น {better} จาก {len(row.districts)}"
    return _keep_together(text)


def _follow_panel(page: _Page, follow: pd.DataFrame | None, previous: pd.Period, left: float, top: float,
                  bottom: float) -> None:
    width = page.width - MARGIN - left
    heading = f"ผลติดตามเรื่องจากรายงานเดือน{_keep_together(thai_month(previous))}\n(ตรวจสอบ Check)"
    t = page.put(left, top, heading, size=9, fontweight="bold", linespacing=1.1)
    y0 = top + page.text.height_in(t) + 0.06
    if follow is None or follow.empty:
        why = ("ข้อมูลไม่ครอบคลุมเดือนก่อน จึงไม่มีเรื่องให้ติดตาม" if follow is None
               else "เดือนก่อนทุกตัวชี้วัดถึงเป้า ไม่มีเรื่องให้ติดตาม")
        page.put(left, y0, page.text.wrap(why, width, 7.5), size=7.5)
        return

    def draw(size):
        parts = []
        for row in follow.itertuples(index=False):
            parts.append((page.text.wrap(_follow_text(row), width, size), size, {"linespacing": 1.08}, 0.04))
        return _paragraphs(page, left, y0, parts, 0.0)

    _place(page, draw, bottom, (7.5, 7.25, 7.0, 6.75, 6.5))


def _footer(page: _Page, public: CommitteeTable, month: pd.Period) -> None:
    top = BANDS["foot"]
    page.rule(top - 0.05, 0.6)
    note = (f"ตารางสาธารณะ (public_table_{month}.csv และ .xlsx): {public.title_th} · การคุ้มครองข้อมูล: "
            f"{public.note_th} · ข้อมูล ณ สิ้นวันที่ {thai_date(month.end_time)}")
    # The mark of charts.finish sits in the bottom-right corner; the note stays above it.
    page.put(MARGIN, top, page.text.wrap(_keep_together(note), page.width - 2 * MARGIN, 6.8), size=6.8,
             color="#333333", linespacing=1.1)


def monthly_report_figure(data: DashboardData, month, spec: ScorecardSpec | None = None,
                          rule: SuppressionRule | None = None, headline: str | None = None):
    """The committee's monthly report on one A4 portrait page (8.27 x 11.69 in), in Thai.

    From the top: the title, the month, the meeting that reads it and a boxed synthetic-data
    mark; the city scorecard (status by colour and shape, value, target, arrow and word against
    last month, cases counted); the district tile map of the ``headline`` measure (default: the
    first of ``scorecard.yaml``; hidden districts cross-hatched) beside the last 12 months of new
    cases by case level, and under it the follow-up of last month's items; this month's PDCA
    items (:func:`pdca_items`); a footer with how the public table is protected and the data date.
    Every mark that carries meaning has a shape or a word as well as a colour, so the page reads
    printed in black and white. The items and the follow-up are kept on the figure as
    ``fig.termtem_items`` and ``fig.termtem_follow_up`` (None without a previous month).
    """
    from matplotlib.gridspec import GridSpec

    spec = spec or load_scorecard()
    rule = rule or load_rule()
    data = _quick_ids(data)
    month = report_month(data, month)
    measure = spec.measure(headline or spec.measures[0].id)
    values: dict = {}
    facts = _month(data, month, spec, rule, values)
    items = _items(facts)
    previous = month - 1
    try:
        report_month(data, previous)
    except ReportError:
        follow = None
    else:
        follow = _follow(_items(_month(data, previous, spec, rule, values)), facts)
    public = public_table(data, month, rule=rule)
    weekday_th = WEEKDAY_TH[spec.meeting.weekday]
    due_th = f"วัน{weekday_th}ที่ {thai_date(spec.meeting.day_in(month + 2))}"

    page = _new_page()
    fig = page.fig
    _header(page, month, spec.meeting.day_in(month + 1), weekday_th)
    card_end = _scorecard_panel(page, facts.card, month)

    # Middle band: the tile map (left) and the trend (right, upper part), laid out by matplotlib
    # in cells of a grid over the whole page (constrained layout places grids over the figure).
    middle_top, middle_end = max(BANDS["middle"], card_end + 0.08), BANDS["middle_end"]
    trend_end = middle_top + 2.05
    grid = GridSpec(4, 4, figure=fig, wspace=0, hspace=0,
                    height_ratios=[middle_top, trend_end - middle_top, middle_end - trend_end, page.height - middle_end],
                    width_ratios=[MARGIN - 0.1, MAP_RIGHT - MARGIN + 0.1, page.width - MARGIN - MAP_RIGHT, MARGIN])
    map_fig = fig.add_subfigure(grid[1:3, 1])
    trend_fig = fig.add_subfigure(grid[1, 2])
    by_district, hidden = district_values(facts.by_district, measure.id)
    title = _keep_together(f"{measure.display_name(data.settings)} รายเขต {thai_month(month)}")
    drawing = draw_tile_map(map_fig, by_district, title, legend_th="ร้อยละ (%) สีเข้มคือค่าสูง", suppressed=hidden,
                            layout="phone", title_wrap=58, legend_columns=3, colorbar="right")
    _trend_panel(trend_fig, data, month)
    _follow_panel(page, follow, previous, MAP_RIGHT + 0.12, trend_end + 0.06, middle_end - 0.05)
    _items_panel(page, items, middle_end + 0.1, BANDS["foot"] - 0.12, due_th)
    _footer(page, public, month)

    alt = (f"{REPORT_TITLE_TH} {thai_month(month, long=True)} หน้าเดียว: ตารางคะแนน {len(facts.card)} ตัวชี้วัด "
           f"ถึงเป้า {int((facts.card['status'] == 'green').sum())} ตัว; {drawing.alt_th(title)}; "
           f"กราฟแท่งกรณีที่พบใหม่ 12 เดือน; เรื่องที่ต้องติดตาม {len(items)} เรื่อง"
           + (f": {', '.join(items['name_th'])}" if len(items) else ""))
    finish(fig, alt, f"{REPORT_TITLE_TH} {thai_month(month, long=True)}")
    # The page keeps its own margins (the grid above); the mark sits in the footer's corner.
    fig.get_layout_engine().set(rect=(0, 0, 1, 1))
    drawing.fit_labels()
    fig.termtem_items = items
    fig.termtem_follow_up = follow
    fig.termtem_public = public
    return fig

# --------------------------------------------------------------------------------- the files

def report_files(month) -> list[str]:
    """Names of the three files :func:`write_monthly_report` writes for ``month``."""
    month = as_month(month)
    return [f"report_{month}.pdf", f"public_table_{month}.csv", f"public_table_{month}.xlsx"]


def public_table_frame(public: CommitteeTable) -> pd.DataFrame:
    """The public table as published: Thai headers, the district first, hidden cells as •."""
    return public.published_with_rates(HIDDEN_MARK).reset_index()


def public_note_th(public: CommitteeTable) -> str:
    """The line that goes with the public table wherever it is published."""
    day = thai_date(public.month.end_time)
    return (f"หมายเหตุ (note): {public.title_th} ข้อมูล ณ สิ้นวันที่ {day} {SYNTHETIC_MARK} (synthetic data) "
            f"— {public.note_th}")


def write_public_csv(public: CommitteeTable, path: Path | str) -> None:
    """UTF-8 CSV with a BOM (Excel reads the Thai), Thai headers; the last row is the note
    (:func:`public_note_th`) in the first column: read with ``pd.read_csv(path,
    encoding="utf-8-sig")`` and drop the last row."""
    table = public_table_frame(public)
    note = pd.DataFrame([[public_note_th(public)] + [""] * (table.shape[1] - 1)], columns=table.columns)
    pd.concat([table.astype(object), note], ignore_index=True).to_csv(path, index=False, encoding="utf-8-sig")


def write_public_xlsx(public: CommitteeTable, path: Path | str) -> None:
    """One sheet: the Thai title, the data date and ``ข้อมูลสมมติ``, the protection note, then the
    table (hidden cells as •)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    table = public_table_frame(public)
    book = Workbook()
    sheet = book.active
    sheet.title = "ตารางสาธารณะ"
    last = get_column_letter(table.shape[1])
    sheet["A1"] = public.title_th
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A2"] = (f"ข้อมูล ณ สิ้นวันที่ {thai_date(public.month.end_time)} · {SYNTHETIC_MARK} (synthetic data) · "
                   f"{REPORT_TITLE_TH} {thai_month(public.month, long=True)}")
    sheet["A2"].font = Font(bold=True, color="B00020")
    sheet["A3"] = f"หมายเหตุ (note): {public.note_th}"
    sheet["A3"].alignment = Alignment(wrap_text=True, vertical="top")
    for row in (1, 2, 3):
        sheet.merge_cells(f"A{row}:{last}{row}")
    sheet.row_dimensions[3].height = 48
    header_row = 5
    grey = PatternFill("solid", fgColor="E6E6E6")
    for j, name in enumerate(table.columns, start=1):
        cell = sheet.cell(row=header_row, column=j, value=str(name))
        cell.font = Font(bold=True)
        cell.fill = grey
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
    for i, values in enumerate(table.itertuples(index=False), start=header_row + 1):  # 51 rows
        for j, value in enumerate(values, start=1):
            if isinstance(value, (np.integer, np.floating)):
                value = value.item()
            cell = sheet.cell(row=i, column=j, value=value)
            if value == HIDDEN_MARK:
                cell.alignment = Alignment(horizontal="center")
            if isinstance(value, float):
                cell.number_format = "0.0"
    sheet.row_dimensions[header_row].height = 36
    sheet.column_dimensions["A"].width = 22
    for j in range(2, table.shape[1] + 1):
        sheet.column_dimensions[get_column_letter(j)].width = 14
    sheet.freeze_panes = f"B{header_row + 1}"
    book.properties.title = public.title_th
    book.properties.subject = f"{SYNTHETIC_MARK} (synthetic data)"
    book.save(path)


def _nearest_folder(path: Path) -> Path:
    for parent in path.parents:
        if parent.exists():
            if not parent.is_dir():
                raise ReportError(f"{parent} เป็นไฟล์ จึงสร้าง {path} ไม่ได้ ({parent} is a file, so {path} "
                                  "cannot be created)")
            return parent
    return Path("/")


def write_monthly_report(data: DashboardData, month, out_dir: Path | str, overwrite: bool = False,
                         spec: ScorecardSpec | None = None, rule: SuppressionRule | None = None) -> list[Path]:
    """Write the month's report into ``out_dir``; return the three paths written.

    - ``report_YYYY-MM.pdf``: :func:`monthly_report_figure`, one A4 page;
    - ``public_table_YYYY-MM.csv``: the public district table (:func:`write_public_csv`);
    - ``public_table_YYYY-MM.xlsx``: the same with title, note and data date (:func:`write_public_xlsx`).

    All or nothing: the files are written into a temporary folder beside ``out_dir`` and moved
    in only when all three are complete. Existing files of these names are refused unless
    ``overwrite``; no other file of ``out_dir`` is touched. A month the data does not cover
    wholly is refused before anything is written (:class:`ReportError`, Thai and English).
    """
    out_dir = Path(out_dir)
    spec = spec or load_scorecard()
    rule = rule or load_rule()
    data = _quick_ids(data)
    month = report_month(data, month)
    if out_dir.exists() and not out_dir.is_dir():
        raise ReportError(f"{out_dir} มีอยู่แล้วแต่ไม่ใช่โฟลเดอร์ ({out_dir} exists and is not a folder)")
    targets = [out_dir / name for name in report_files(month)]
    clashes = [t for t in targets if t.exists()]
    if clashes and not overwrite:
        raise ReportError(f"มีไฟล์รายงานอยู่แล้ว {len(clashes)} ไฟล์ เช่น {clashes[0]} เลือกโฟลเดอร์ --out อื่น "
                          f"หรือใส่ --overwrite เพื่อเขียนทับ ({len(clashes)} report file(s) already exist; "
                          "use overwrite=True / --overwrite to replace them)")
    base = out_dir.parent if out_dir.parent.is_dir() else _nearest_folder(out_dir.parent)
    if not os.access(base, os.W_OK | os.X_OK):
        raise ReportError(f"ไม่มีสิทธิ์เขียนใน {base} (cannot write into {base}: permission denied)")
    fig = monthly_report_figure(data, month, spec, rule)
    public = fig.termtem_public
    created = not out_dir.exists()
    moved: list[Path] = []
    try:
        staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.report-", dir=base))
    except OSError as exc:
        raise ReportError(f"สร้างโฟลเดอร์พักไฟล์ใน {base} ไม่ได้ (cannot create a staging folder in {base}: "
                          f"{exc.strerror})") from exc
    try:
        pdf, csv, xlsx = (staging / t.name for t in targets)
        fig.savefig(pdf, format="pdf", metadata={"Title": f"{REPORT_TITLE_TH} {thai_month(month, long=True)}",
                                                 "Subject": f"{SYNTHETIC_MARK} (synthetic data)",
                                                 "Creator": "Termtem training kit (simulator report)"})
        write_public_csv(public, csv)
        write_public_xlsx(public, xlsx)
        out_dir.mkdir(parents=True, exist_ok=True)
        for staged, target in zip((pdf, csv, xlsx), targets):
            os.replace(staged, target)
            moved.append(target)
    except BaseException as exc:
        for path in moved:
            path.unlink(missing_ok=True)
        if created:
            shutil.rmtree(out_dir, ignore_errors=True)
        if isinstance(exc, OSError):
            raise ReportError(f"เขียนรายงานลงใน {out_dir} ไม่สำเร็จ (writing into {out_dir} failed: "
                              f"{exc.strerror or exc})") from exc
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return targets


__all__ = [
    "A4_PORTRAIT_IN",
    "MOST_ITEMS",
    "REPORT_TITLE_TH",
    "ReportError",
    "data_range",
    "dimension_values",
    "follow_up",
    "follow_up_th",
    "monthly_report_figure",
    "parse_report_month",
    "pdca_items",
    "pdca_items_th",
    "public_note_th",
    "public_table_frame",
    "read_report_data",
    "report_files",
    "report_month",
    "write_monthly_report",
    "write_public_csv",
    "write_public_xlsx",
]
