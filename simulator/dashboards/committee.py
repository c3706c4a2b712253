"""City committee level: what Bangkok's child-protection committee reads at its monthly meeting.

The committee (คณะอนุกรรมการคุ้มครองเด็กกรุงเทพมหานคร) meets every month and publishes a public
database, so this level looks at the whole city and its 50 districts, never at a family:

- :func:`monthly_counts` / :func:`monthly_trends`: new noticed cases per month per zone or
  district, as counts and per 10,000 children, optionally by case level;
- :func:`sandbox_vs_rest`: the innovation-sandbox districts against the rest;
- :func:`scorecard` / :func:`scorecard_by_district`: the measures of ``scorecard.yaml`` for a
  month, with target, status and direction of travel;
- :func:`public_table`: the district x case-level table for the public database, small counts
  suppressed;
- figures: :func:`trend_figure`, :func:`sandbox_figure`, :func:`scorecard_figure` and the
  district tile map :func:`tile_map_figure` (tile positions in ``district_tiles.yaml``).

Rates per 10,000 children use the children the data holds for the area (``data.children``),
the same denominator for every month. Months are :class:`pandas.Period` values;
:func:`thai_month` writes them as readers expect (``ธ.ค. 2568``).
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from simulator.dashboards.charts import (
    COLOURS,
    PHONE_WIDTH_IN,
    STATUS_COLOURS,
    finish,
    new_figure,
)
from simulator.dashboards.suppression import (
    TOTAL_TH,
    PublicTable,
    SuppressionRule,
    load_rule,
    suppress,
)
from simulator.dashboards.tables import (
    CASE_LEVELS,
    DashboardData,
    DashboardDataError,
    member_of,
    DashboardSettings,
    parse_month,
    per_10000,
    thai_view,
)
from simulator.model.config import ConfigError, Geography, load_config, load_yaml_model
from simulator.thai.dates import BE_OFFSET, MONTHS_SHORT, thai_date, thai_month
from simulator.thai.vocabulary import CASE_LEVEL_TH

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
TILES_FILE = DATA_DIR / "district_tiles.yaml"
SCORECARD_FILE = DATA_DIR / "scorecard.yaml"

CITY_TH = "กรุงเทพมหานคร"
AREA_LEVELS = ("city", "zone", "district")
AREA_LEVEL_TH = {"city": "ทั้งเมือง", "zone": "กลุ่มเขต", "district": "เขต"}
GROUPS = ("sandbox", "rest")
GROUP_TH = {"sandbox": "เขตพื้นที่รังสรรค์นวัตกรรม (sandbox)", "rest": "เขตอื่น"}
STATUS_TH = {"green": "ถึงเป้า", "amber": "ใกล้เป้า", "red": "ห่างเป้า", "none": "ไม่มีข้อมูล",
             "hidden": "ปิดไว้ (ตัวเลขน้อย)"}
DIRECTION_TH = {"up": "เพิ่มขึ้น", "down": "ลดลง", "same": "เท่าเดิม"}
CHANGE_TH = {"better": "ดีขึ้น", "worse": "แย่ลง", "same": "เท่าเดิม"}
TREND_MEASURES = ("noticed", "per_10000", "emergency")
TREND_MEASURE_TH = {"noticed": "กรณีที่พบใหม่ (ราย)", "per_10000": "กรณีที่พบใหม่ต่อเด็ก 10,000 คน",
                    "emergency": "กรณีฉุกเฉินที่พบใหม่ (ราย)"}


# --------------------------------------------------------------------------------------- months

def as_month(value) -> pd.Period:
    """A month from a monthly Period, ``"2025-12"``, or any date inside the month."""
    if isinstance(value, pd.Period):
        if value.freqstr != "M":
            raise DashboardDataError(f"{value} is not a month (a monthly Period, such as 2025-12)")
        return value
    if isinstance(value, str):
        return parse_month(value)
    try:
        return pd.Timestamp(value).to_period("M")
    except (TypeError, ValueError) as exc:
        raise DashboardDataError(f"{value!r} is not a month (for example 2025-12)") from exc


def thai_period(period: pd.Period) -> str:
    """A month as :func:`thai_month`; a year as its Buddhist-era number (``2568``)."""
    if period.freqstr.startswith("Y"):
        return str(period.year + BE_OFFSET)
    return thai_month(period)


def month_window(month, months: int = 1) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last day of the ``months`` months ending with ``month`` (both included)."""
    p = as_month(month)
    return (p - (months - 1)).start_time.normalize(), p.end_time.normalize()


def _month_range(data: DashboardData, start, end, first_default) -> tuple[pd.Period, pd.Period]:
    first = as_month(start) if start is not None else first_default
    last = as_month(end) if end is not None else as_month(data.as_of)
    if last < first:
        raise DashboardDataError(f"the end month {last} is before the start month {first}")
    return first, last


# ---------------------------------------------------------------------------------------- areas

def _check_by(by: str, allowed=AREA_LEVELS) -> None:
    if by not in allowed:
        raise DashboardDataError(f"by must be one of {', '.join(allowed)}, not {by!r}")


def _text(values: pd.Series) -> np.ndarray:
    """A column of names as a numpy array of str (quick for categoricals)."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        names = np.asarray(values.cat.categories.astype(str), dtype=object)
        return names[values.cat.codes.to_numpy()]
    return values.astype(str).to_numpy(dtype=object)


def family_areas(data: DashboardData) -> pd.DataFrame:
    """City, zone and district of every family (indexed by ``family_id``)."""
    hh = data.households
    return pd.DataFrame({"city": CITY_TH, "zone": _text(hh["zone"]), "district": _text(hh["district"])},
                        index=pd.Index(hh["family_id"].to_numpy(), name="family_id"))


def area_order(data: DashboardData, by: str) -> list[str]:
    """The areas of level ``by`` that have households, in the order of ``bangkok.yaml``."""
    if by == "city":
        return [CITY_TH]
    column = data.households[by]
    present = {str(v) for v in column.unique()}
    if isinstance(column.dtype, pd.CategoricalDtype):
        return [str(c) for c in column.cat.categories if str(c) in present]
    known = _kit_order(by)
    return [a for a in known if a in present] + sorted(present - set(known))


@lru_cache(maxsize=2)
def _kit_order(by: str) -> tuple[str, ...]:
    """Zones or districts in the order of the kit's ``bangkok.yaml`` (for tables of plain text)."""
    geography = load_config().geography
    if by == "zone":
        return tuple(z.name_th for z in geography.zones)
    return tuple(d.name_th for z in geography.zones for d in z.districts)


def children_per_area(data: DashboardData, by: str = "district") -> pd.Series:
    """Children the data holds per area (the denominator of every rate here)."""
    _check_by(by)
    areas = family_areas(data)[by]
    counts = data.children["family_id"].map(areas).value_counts()
    return counts.reindex(area_order(data, by), fill_value=0).astype(int).rename("children")


def _resolve_area(data: DashboardData, area: str | None) -> tuple[str, str, str | None]:
    """(level, area name, zone of the area or None) of what a reader asked for."""
    if area is None or area == CITY_TH:
        return "city", CITY_TH, None
    hh = data.households
    name = str(area).strip().removeprefix("เขต")
    if name in set(hh["district"].astype(str)):
        zone = str(hh.loc[hh["district"].astype(str) == name, "zone"].iloc[0])
        return "district", name, zone
    if str(area) in set(hh["zone"].astype(str)):
        return "zone", str(area), str(area)
    known = area_order(data, "district") + area_order(data, "zone")
    near = difflib.get_close_matches(name, known, n=3, cutoff=0.4)
    hint = f" ใกล้เคียง: {', '.join(near)}" if near else ""
    raise DashboardDataError(f"ไม่พบเขตหรือกลุ่มเขต {area!r} ในข้อมูล (no district or zone named {area!r}).{hint}")


# ------------------------------------------------------------------------------- monthly trends

def monthly_counts(data: DashboardData, by: str = "district", start=None, end=None,
                   by_level: bool = False) -> pd.DataFrame:
    """New noticed cases per month and area, one row per month x area (x case level).

    A case is new in the month its problem was first noticed (``noticed_date``). Every month
    from ``start`` (default: the first month with a noticed case) to ``end`` (default: the
    month of ``data.as_of``, which may be incomplete) and every area of level ``by`` (city,
    zone or district) gets a row, zeros included.

    Columns: ``month`` (Period), the area column named ``by``, ``case_level`` (only with
    ``by_level``), ``noticed``, ``emergency`` (noticed emergency cases; not with ``by_level``),
    ``children`` (children of the area) and ``per_10000`` (noticed per 10,000 children).
    """
    _check_by(by)
    cases = data.cases[data.cases["noticed_date"].notna()]
    months = cases["noticed_date"].dt.to_period("M")
    default_first = months.min() if len(months) else as_month(data.as_of)
    first, last = _month_range(data, start, end, default_first)
    keep = ((months >= first) & (months <= last)).to_numpy()
    cases, months = cases[keep], months[keep]
    frame = pd.DataFrame({"month": months.to_numpy(),
                          by: cases["family_id"].map(family_areas(data)[by]).to_numpy(),
                          "case_level": cases["case_level"].astype(str).to_numpy()})
    all_months = pd.period_range(first, last, freq="M")
    order = area_order(data, by)
    keys = ["month", by] + (["case_level"] if by_level else [])
    product = [all_months, order] + ([list(CASE_LEVELS)] if by_level else [])
    grid = pd.MultiIndex.from_product(product, names=keys)
    out = frame.groupby(keys).size().reindex(grid, fill_value=0).rename("noticed").to_frame()
    if not by_level:
        emergency = frame[frame["case_level"] == "emergency"].groupby(keys).size()
        out["emergency"] = emergency.reindex(grid, fill_value=0)
    out = out.reset_index()
    out["children"] = out[by].map(children_per_area(data, by)).astype(int)
    out["per_10000"] = per_10000(out["noticed"], out["children"])
    return out


def monthly_trends(data: DashboardData, by: str = "district", measure: str = "noticed", start=None,
                   end=None, by_level: bool = False) -> pd.DataFrame:
    """A month x area table of one ``measure`` of :func:`monthly_counts`.

    ``measure``: ``noticed`` (new noticed cases), ``per_10000`` (the same per 10,000 children of
    the area) or ``emergency`` (new noticed emergency cases). Rows are months (a PeriodIndex
    named ``month``), columns the areas in ``bangkok.yaml`` order; with ``by_level`` the columns
    are (area, case level) pairs. ``.attrs`` records ``measure`` and ``by`` for the figures.
    """
    if measure not in TREND_MEASURES:
        raise DashboardDataError(f"measure must be one of {', '.join(TREND_MEASURES)}, not {measure!r}")
    if by_level and measure == "emergency":
        raise DashboardDataError("measure 'emergency' is already one case level; use by_level=False")
    long = monthly_counts(data, by=by, start=start, end=end, by_level=by_level)
    order = area_order(data, by)
    if by_level:
        wide = long.set_index(["month", by, "case_level"])[measure].unstack([by, "case_level"])
        wide = wide.reindex(columns=pd.MultiIndex.from_product([order, list(CASE_LEVELS)],
                                                               names=[by, "case_level"]))
    else:
        wide = long.set_index(["month", by])[measure].unstack(by).reindex(columns=order)
    wide.columns.name = by if not by_level else wide.columns.names[0]
    wide.attrs.update(measure=measure, by=by)
    return wide


MONTHLY_TH = {"month": "เดือน", "city": "พื้นที่", "zone": "กลุ่มเขต", "district": "เขต",
              "case_level": "ระดับของกรณี", "noticed": "กรณีที่พบใหม่ (ราย)", "emergency": "กรณีฉุกเฉิน (ราย)",
              "children": "จำนวนเด็ก (คน)", "per_10000": "ต่อเด็ก 10,000 คน"}


def monthly_counts_th(table: pd.DataFrame) -> pd.DataFrame:
    """:func:`monthly_counts` with Thai headers and Thai months."""
    shown = table.assign(month=table["month"].map(thai_month))
    headers = {c: MONTHLY_TH[c] for c in table.columns if c in MONTHLY_TH}
    return thai_view(shown, headers, {"case_level": CASE_LEVEL_TH})


# ----------------------------------------------------------------------------- scorecard spec

class _Params(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ServiceWithin(_Params):
    days: int = Field(ge=1, le=3650)


class PlanWithin(_Params):
    days: int = Field(ge=1, le=3650)
    case_level: Literal["emergency", "complex"] | None = None


class AcknowledgedWithin(_Params):
    case_level: Literal["emergency", "complex"] | None = None


class GoalsMetWithin(_Params):
    months: int | None = Field(default=None, ge=1, le=60)


class OutOfContact(_Params):
    days: int | None = Field(default=None, ge=1, le=3650)


class SandboxComparison(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    plan_within_days: int = Field(ge=1, le=3650)


class Measure(BaseModel):
    """One measure of ``scorecard.yaml``."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name_th: str = Field(min_length=1)
    compute: str
    params: dict = Field(default_factory=dict)
    window_months: int = Field(default=1, ge=1, le=24)
    unit: Literal["%"]
    target: float = Field(ge=0, le=100)
    tolerance: float
    higher_is_better: bool
    action_th: str | None = Field(default=None, min_length=1)

    @field_validator("tolerance")
    @classmethod
    def _tolerance_not_negative(cls, value: float) -> float:
        if not 0 <= value <= 100:
            raise ValueError(f"tolerance must be from 0 to 100 (how far from the target still counts as amber), "
                             f"not {value}")
        return value

    @model_validator(mode="after")
    def _known_function(self):
        if self.compute not in MEASURE_FUNCTIONS:
            raise ValueError(f"compute: unknown measure function {self.compute!r}; choose one of "
                             f"{', '.join(MEASURE_FUNCTIONS)}")
        model = MEASURE_FUNCTIONS[self.compute][0]
        try:
            model.model_validate(self.params)
        except ValidationError as exc:
            problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
            raise ValueError(f"params of {self.compute}: {problems}") from None
        if self.compute == "out_of_contact" and self.window_months != 1:
            raise ValueError("window_months: out_of_contact is counted on the month's last day; use 1")
        for name in ("days", "months"):
            if "{" + name + "}" in self.name_th and name not in model.model_fields:
                raise ValueError(f"name_th: {{{name}}} means nothing for {self.compute}")
        try:
            self.name_th.format(days=0, months=0)
        except (KeyError, IndexError, ValueError) as exc:
            raise ValueError(f"name_th: only {{days}} or {{months}} may stand in braces ({exc})") from None
        return self

    def parameters(self) -> _Params:
        return MEASURE_FUNCTIONS[self.compute][0].model_validate(self.params)

    def display_name(self, settings: DashboardSettings) -> str:
        p = self.parameters()
        days = getattr(p, "days", None) or settings.no_contact_days
        months = getattr(p, "months", None) or settings.goal_window_months
        return self.name_th.format(days=days, months=months)


WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
WEEKDAY_TH = dict(zip(WEEKDAYS, ("จันทร์", "อังคาร", "พุธ", "พฤหัสบดี", "ศุกร์", "เสาร์", "อาทิตย์")))


class Meeting(BaseModel):
    """When the committee meets: the ``week``-th ``weekday`` of every month."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    week: int = Field(default=2, ge=1, le=4)
    weekday: Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"] = "tuesday"

    def day_in(self, month) -> pd.Timestamp:
        """The meeting day of ``month``."""
        first = as_month(month).start_time.normalize()
        shift = (WEEKDAYS.index(self.weekday) - first.weekday()) % 7
        return first + pd.Timedelta(days=shift + 7 * (self.week - 1))

    @property
    def rule_th(self) -> str:
        return f"ประชุมทุกวัน{WEEKDAY_TH[self.weekday]}ที่ {self.week} ของเดือน"


class ScorecardSpec(BaseModel):
    """``scorecard.yaml``: the committee's measures and targets."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    version: Literal[1]
    few_cases_below: int = Field(ge=1, le=1000)
    few_cases_note_th: str = Field(min_length=1)
    sandbox_vs_rest: SandboxComparison
    meeting: Meeting = Field(default_factory=Meeting)
    measures: list[Measure] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self):
        ids = [m.id for m in self.measures]
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            raise ValueError(f"measures: id listed twice: {', '.join(twice)}")
        return self

    def measure(self, measure_id: str) -> Measure:
        for m in self.measures:
            if m.id == measure_id:
                return m
        raise DashboardDataError(f"no measure {measure_id!r} in scorecard.yaml; the measures are "
                                 f"{', '.join(m.id for m in self.measures)}")


def load_scorecard(folder: Path | str | None = None) -> ScorecardSpec:
    """Read ``scorecard.yaml`` from ``folder`` (the kit's data folder when not given)."""
    path = SCORECARD_FILE if folder is None else Path(folder) / "scorecard.yaml"
    return load_yaml_model(ScorecardSpec, path)


# --------------------------------------------------------------------------- measure functions
# Each takes the data as it stood at the end of the window, the window's first and last day and
# the measure's parameters, and returns one row per counted unit (a case or a notification):
# family_id, case_id, num (what met the measure) and den (what was counted).

def _units(frame: pd.DataFrame, num, den=1.0) -> pd.DataFrame:
    return pd.DataFrame({"family_id": frame["family_id"].to_numpy(), "case_id": frame["case_id"].to_numpy(),
                         "num": np.asarray(num, dtype=float), "den": np.broadcast_to(np.asarray(den, dtype=float),
                                                                                     (len(frame),))})


def _in_window(dates: pd.Series, start: pd.Timestamp, end: pd.Timestamp) -> np.ndarray:
    return ((dates >= start) & (dates <= end)).to_numpy()


def _service_within(d: DashboardData, start, end, p: ServiceWithin) -> pd.DataFrame:
    cases = d.cases[d.cases["noticed_date"].notna()]
    due = cases["noticed_date"] + pd.Timedelta(days=p.days)
    keep = _in_window(due, start, end)
    cases, due = cases[keep], due[keep]
    started = cases["service_start_date"]
    return _units(cases, (started.notna() & (started <= due)).to_numpy())


def _plan_within(d: DashboardData, start, end, p: PlanWithin) -> pd.DataFrame:
    cases = d.cases[d.cases["noticed_date"].notna()]
    if p.case_level is not None:
        cases = cases[cases["case_level"].astype(str) == p.case_level]
    due = cases["noticed_date"] + pd.Timedelta(days=p.days)
    keep = _in_window(due, start, end)
    cases, due = cases[keep], due[keep]
    plan = cases["plan_date"]
    return _units(cases, (plan.notna() & (plan <= due)).to_numpy())


def _acknowledged_within(d: DashboardData, start, end, p: AcknowledgedWithin) -> pd.DataFrame:
    events = d.events
    level = pd.Series(d.cases["case_level"].astype(str).to_numpy(), index=d.cases["case_id"].to_numpy())
    notified = events.loc[events["event"] == "notified", ["case_id", "family_id", "dimension", "date"]]
    levels = notified["case_id"].map(level)
    if p.case_level is not None:
        notified, levels = notified[levels == p.case_level], levels[levels == p.case_level]
    allowed = d.settings.acknowledge_within_days
    days = levels.map({lvl: allowed.of(lvl) for lvl in CASE_LEVELS})
    due = notified["date"] + pd.to_timedelta(days, unit="D")
    keep = _in_window(due, start, end)
    notified, due = notified[keep], due[keep]
    ack = events.loc[events["event"] == "acknowledged", ["case_id", "dimension", "date"]]
    first = ack.groupby([ack["case_id"], ack["dimension"].astype(str)], observed=True)["date"].min()
    key = pd.MultiIndex.from_arrays([notified["case_id"].to_numpy(), notified["dimension"].astype(str).to_numpy()])
    acknowledged = pd.Series(first.reindex(key).to_numpy(), index=due.index)
    return _units(notified, (acknowledged.notna() & (acknowledged <= due)).to_numpy())


def goals_met_by(events: pd.DataFrame, case_ids: pd.Series, due: pd.Series) -> np.ndarray:
    """For each case, how many ``goal_met`` events it has on or before its ``due`` day."""
    deadline = pd.Series(due.to_numpy(), index=case_ids.to_numpy())
    if deadline.empty:  # no case: nothing to count (pandas cannot map onto an empty date Series)
        return np.zeros(0)
    met = events.loc[(events["event"] == "goal_met") & member_of(events["case_id"], deadline.index), ["case_id", "date"]]
    on_time = met[(met["date"] <= met["case_id"].map(deadline)).to_numpy()]
    counts = on_time.groupby("case_id").size()
    return case_ids.map(counts).fillna(0).to_numpy(dtype=float)


def _goals_met_within(d: DashboardData, start, end, p: GoalsMetWithin) -> pd.DataFrame:
    months = p.months or d.settings.goal_window_months
    cases = d.cases[d.cases["plan_date"].notna()]
    due = cases["plan_date"] + pd.DateOffset(months=months)
    keep = _in_window(due, start, end)
    cases, due = cases[keep], due[keep]
    planned = cases["goals_planned"].to_numpy(dtype=float)
    met = np.minimum(goals_met_by(d.events, cases["case_id"], due), planned)
    return _units(cases, met, planned)


def open_cases(data: DashboardData) -> pd.DataFrame:
    """Cases open on ``data.as_of``: noticed, not every planned goal met, and not closed by the
    parent's refusal (a refusal that led to the child's separation stays open)."""
    cases = data.cases[data.cases["noticed_date"].notna()]
    events = data.events
    met = events[events["event"] == "goal_met"].groupby("case_id").size()
    refused = events.loc[events["event"] == "refused", "case_id"]
    separated = events.loc[events["event"] == "separated", "case_id"]
    planned = cases["goals_planned"]
    done = (planned > 0) & (cases["case_id"].map(met).fillna(0) >= planned)
    closed = cases["case_id"].isin(refused) & ~cases["case_id"].isin(separated)
    return cases[~(done | closed)]


def _out_of_contact(d: DashboardData, start, end, p: OutOfContact) -> pd.DataFrame:
    days = p.days or d.settings.no_contact_days
    cases = open_cases(d)
    last = d.events.groupby("case_id")["date"].max()
    gap = (end - cases["case_id"].map(last)).dt.days
    return _units(cases, (gap >= days).to_numpy())


MEASURE_FUNCTIONS: dict[str, tuple[type[_Params], Callable]] = {
    "service_within": (ServiceWithin, _service_within),
    "plan_within": (PlanWithin, _plan_within),
    "acknowledged_within": (AcknowledgedWithin, _acknowledged_within),
    "goals_met_within": (GoalsMetWithin, _goals_met_within),
    "out_of_contact": (OutOfContact, _out_of_contact),
}


def measure_values(data: DashboardData, month, spec: ScorecardSpec | None = None) -> pd.DataFrame:
    """Every measure of ``spec`` for ``month`` at every level: one row per level x area x measure.

    Columns: ``level`` (city/zone/district), ``area``, ``measure_id``, ``window_start``,
    ``window_end``, ``num``, ``den``, ``n_cases`` (distinct cases counted) and ``value``
    (100 x num / den; NaN where nothing was counted). Counted on ``data.upto(month end)``.
    """
    spec = spec or load_scorecard()
    month = as_month(month)
    d = data.upto(month.end_time.normalize())
    hh = data.households
    districts, zones = area_order(data, "district"), area_order(data, "zone")
    district_of_family = pd.Index(districts).get_indexer(_text(hh["district"]))
    zone_of_family = pd.Index(zones).get_indexer(_text(hh["zone"]))
    zone_of_district = np.zeros(len(districts), dtype=int)
    zone_of_district[district_of_family] = zone_of_family  # a district lies in one zone
    families = pd.Index(hh["family_id"].to_numpy())
    names = np.array([CITY_TH, *zones, *districts], dtype=object)
    levels = np.array(["city"] + ["zone"] * len(zones) + ["district"] * len(districts), dtype=object)
    columns: dict[str, list] = {k: [] for k in ("measure_id", "window_start", "window_end", "num", "den", "n_cases")}
    for m in spec.measures:
        start, end = month_window(month, m.window_months)
        units = MEASURE_FUNCTIONS[m.compute][1](d, start, end, m.parameters())
        position = families.get_indexer(units["family_id"].to_numpy())
        if (position < 0).any():
            stray = units["family_id"].to_numpy()[position < 0][0]
            raise DashboardDataError(f"case of family {stray} has no row in the households table")
        where = district_of_family[position]
        first = ~units["case_id"].duplicated().to_numpy()
        per_district = [np.bincount(where, weights=units["num"].to_numpy(), minlength=len(districts)),
                        np.bincount(where, weights=units["den"].to_numpy(), minlength=len(districts)),
                        np.bincount(where[first], minlength=len(districts)).astype(float)]
        for key, values in zip(("num", "den", "n_cases"), per_district):
            per_zone = np.bincount(zone_of_district, weights=values, minlength=len(zones))
            columns[key].append(np.concatenate([[values.sum()], per_zone, values]))
        columns["measure_id"].append(np.full(len(names), m.id, dtype=object))
        columns["window_start"].append(np.full(len(names), start))
        columns["window_end"].append(np.full(len(names), end))
    out = pd.DataFrame({"level": np.tile(levels, len(spec.measures)), "area": np.tile(names, len(spec.measures)),
                        **{k: np.concatenate(v) for k, v in columns.items()}})
    out["n_cases"] = out["n_cases"].astype(int)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["value"] = np.where(out["den"] > 0, 100.0 * out["num"] / out["den"], np.nan)
    return out


def values_of(data: DashboardData, month, spec: ScorecardSpec, values: dict | None = None) -> pd.DataFrame:
    """:func:`measure_values` of ``month``, kept in ``values`` (a dict by month) when one is given.

    The dict belongs to one ``data`` and one ``spec``: start a new one for other data.
    """
    month = as_month(month)
    if values is None:
        return measure_values(data, month, spec)
    if month not in values:
        values[month] = measure_values(data, month, spec)
    return values[month]


# ------------------------------------------------------------------------- status and direction

def status_of(value, target, tolerance, higher_is_better) -> np.ndarray:
    """green (meets the target), amber (misses it by at most ``tolerance``), red, or none (no value).

    Higher is better: green at or above the target, amber down to target - tolerance.
    Lower is better: green at or below the target, amber up to target + tolerance.
    Values are compared to 6 decimals, so 80.0000000001 counts as exactly 80.
    """
    value = np.asarray(value, dtype=float)
    target, tolerance = np.asarray(target, dtype=float), np.asarray(tolerance, dtype=float)
    higher = np.asarray(higher_is_better, dtype=bool)
    margin = np.round(np.where(higher, value - target, target - value), 6)
    status = np.where(margin >= 0, "green", np.where(margin >= -tolerance, "amber", "red"))
    return np.where(np.isnan(value), "none", status).astype(object)


def direction_of(value, previous, higher_is_better) -> tuple[np.ndarray, np.ndarray]:
    """(up/down/same, better/worse/same) of ``value`` against ``previous`` month; None where either
    is missing. Changes smaller than the 0.1 shown are "same"."""
    value, previous = np.asarray(value, dtype=float), np.asarray(previous, dtype=float)
    higher = np.broadcast_to(np.asarray(higher_is_better, dtype=bool), value.shape)
    change = np.round(value - previous, 1)
    missing = np.isnan(change)
    direction = np.where(change > 0, "up", np.where(change < 0, "down", "same")).astype(object)
    better = (change > 0) == higher
    change_is = np.where(change == 0, "same", np.where(better, "better", "worse")).astype(object)
    direction[missing] = None
    change_is[missing] = None
    return direction, change_is


def _few_cases_note(n: pd.Series, spec: ScorecardSpec) -> pd.Series:
    return pd.Series(np.where((n > 0) & (n < spec.few_cases_below), spec.few_cases_note_th, ""), index=n.index)


def _measure_frame(spec: ScorecardSpec, settings: DashboardSettings) -> pd.DataFrame:
    return pd.DataFrame([{"measure_id": m.id, "name_th": m.display_name(settings), "unit": m.unit,
                          "target": float(m.target), "tolerance": float(m.tolerance),
                          "higher_is_better": m.higher_is_better} for m in spec.measures])


def scorecard(data: DashboardData, month, area: str | None = None, spec: ScorecardSpec | None = None,
              values: dict | None = None) -> pd.DataFrame:
    """The committee's scorecard for ``month``: one row per measure of ``scorecard.yaml``.

    ``area``: None for the whole city, a district name or a zone name. Each measure is counted
    on the data as it stood at the month's end, over its window (``window_months`` up to the
    month's end). Columns: ``measure_id``, ``name_th``, ``area``, ``area_level``, ``window_start``,
    ``window_end``, ``value`` (%), ``n_cases`` (the cases it rests on), ``unit``, ``target``,
    ``tolerance``, ``higher_is_better``, ``status`` (green/amber/red/none),
    ``previous_value`` (the month before), ``direction`` (up/down/same), ``change_is``
    (better/worse/same; both missing when either month has no value), ``zone_value`` (the
    area's zone; NaN for the city), ``city_value``, ``few_cases`` and ``note_th`` (the
    few-cases note when fewer than ``few_cases_below``); ``month`` is the month asked for.

    This is the meeting's view: a district's value may rest on a handful of cases. For anything
    published use :func:`scorecard_by_district` or :func:`public_table`, which hide those.

    ``values``: a dict shared between calls on the same data and spec (see :func:`values_of`),
    so that a page showing several months counts each month once.
    """
    spec = spec or load_scorecard()
    month = as_month(month)
    level, name, zone = _resolve_area(data, area)
    now = values_of(data, month, spec, values)
    before = values_of(data, month - 1, spec, values)

    def pick(values: pd.DataFrame, lvl: str, area_name: str | None) -> pd.DataFrame:
        if area_name is None:
            return pd.DataFrame(index=[m.id for m in spec.measures], columns=["value"], dtype=float)
        return values[(values["level"] == lvl) & (values["area"] == area_name)].set_index("measure_id")

    here = pick(now, level, name)
    out = _measure_frame(spec, data.settings)
    out.insert(2, "area", name)
    out.insert(3, "area_level", level)
    out.insert(4, "month", month)
    ids = out["measure_id"]
    out["window_start"] = ids.map(here["window_start"])
    out["window_end"] = ids.map(here["window_end"])
    out["value"] = ids.map(here["value"]).astype(float)
    out["n_cases"] = ids.map(here["n_cases"]).astype(int)
    out["status"] = status_of(out["value"], out["target"], out["tolerance"], out["higher_is_better"])
    out["previous_value"] = ids.map(pick(before, level, name)["value"]).astype(float)
    out["direction"], out["change_is"] = direction_of(out["value"], out["previous_value"], out["higher_is_better"])
    out["zone_value"] = ids.map(pick(now, "zone", zone)["value"]).astype(float)
    out["city_value"] = ids.map(pick(now, "city", CITY_TH)["value"]).astype(float)
    out["few_cases"] = (out["n_cases"] > 0) & (out["n_cases"] < spec.few_cases_below)
    out["note_th"] = _few_cases_note(out["n_cases"], spec)
    return out


def scorecard_by_district(data: DashboardData, month, spec: ScorecardSpec | None = None,
                          rule: SuppressionRule | None = None, values: dict | None = None) -> pd.DataFrame:
    """Every measure for every district in ``month``, safe to publish (tile map, public table).

    One row per district x measure: ``district``, ``zone``, ``measure_id``, ``name_th``,
    ``value``, ``n_cases``, ``target``, ``tolerance``, ``higher_is_better``, ``status``,
    ``previous_value``, ``direction``, ``change_is``, ``few_cases``, ``note_th`` and
    ``suppressed``.

    What a reader may see: a district's value, its case count and its direction only when the
    value rests on more cases than the small-count rule of ``public_tables.yaml`` (1-5 by
    default). A district resting on 1-5 cases shows ``status`` "hidden" and no value, count or
    direction. So that a hidden district cannot be worked out from its zone's or the city's value,
    no zone and not the city has exactly one hidden district for a measure: the district with the
    fewest cases beside it is hidden too (where there is one with cases). Zone and city values
    are not part of this table; take them from :func:`scorecard`, where they rest on many more
    cases. ``values``: as for :func:`scorecard`.
    """
    spec = spec or load_scorecard()
    rule = rule or load_rule()
    month = as_month(month)
    now = values_of(data, month, spec, values)
    before = values_of(data, month - 1, spec, values)
    now, before = now[now["level"] == "district"], before[before["level"] == "district"]
    first = data.households.drop_duplicates("district")
    zones = pd.Series(first["zone"].astype(str).to_numpy(), index=first["district"].astype(str).to_numpy())
    out = now[["area", "measure_id", "value", "n_cases"]].rename(columns={"area": "district"}).reset_index(drop=True)
    out.insert(1, "zone", out["district"].map(zones))
    measures = _measure_frame(spec, data.settings).set_index("measure_id")
    out = out.join(measures, on="measure_id")
    prev = before.set_index(["area", "measure_id"])
    key = pd.MultiIndex.from_arrays([out["district"], out["measure_id"]])
    out["previous_value"] = prev["value"].reindex(key).to_numpy()
    previous_n = prev["n_cases"].reindex(key).to_numpy()
    small_now = (out["n_cases"] >= rule.small_count_min) & (out["n_cases"] <= rule.small_count_max)
    hidden = _complementary(out, small_now.to_numpy())
    small_before = (previous_n >= rule.small_count_min) & (previous_n <= rule.small_count_max)
    hidden_before = _complementary(out.assign(n_cases=np.nan_to_num(previous_n)), small_before)
    out["status"] = status_of(out["value"], out["target"], out["tolerance"], out["higher_is_better"])
    out["direction"], out["change_is"] = direction_of(out["value"], out["previous_value"], out["higher_is_better"])
    out["few_cases"] = (out["n_cases"] > 0) & (out["n_cases"] < spec.few_cases_below)
    out["note_th"] = _few_cases_note(out["n_cases"], spec)
    out["suppressed"] = hidden
    out.loc[hidden, ["value", "previous_value"]] = np.nan
    out["n_cases"] = out["n_cases"].astype("Int64")
    out.loc[hidden, "n_cases"] = pd.NA
    out.loc[hidden, "status"] = "hidden"
    out.loc[hidden, "note_th"] = STATUS_TH["hidden"]
    gone = hidden | hidden_before
    out.loc[gone, "previous_value"] = np.nan
    out.loc[gone, ["direction", "change_is"]] = None
    columns = ["district", "zone", "measure_id", "name_th", "value", "n_cases", "unit", "target", "tolerance",
               "higher_is_better", "status", "previous_value", "direction", "change_is", "few_cases", "note_th",
               "suppressed"]
    return out[columns]


def _complementary(table: pd.DataFrame, hidden: np.ndarray) -> np.ndarray:
    """``hidden`` plus, wherever a zone x measure (or the city x measure) has exactly one hidden
    district, the visible district with the fewest cases beside it; repeated until no zone and
    not the city has a lone hidden district that another district could cover."""
    hidden = hidden.copy()
    n = table["n_cases"].to_numpy()
    changed = True
    while changed:
        changed = False
        for keys in (["measure_id", "zone"], ["measure_id"]):
            groups = [table[k].to_numpy() for k in keys]
            counts = pd.Series(hidden.astype(int)).groupby(groups).transform("sum").to_numpy()
            lonely = (counts == 1) & ~hidden & (n > 0)
            if lonely.any():
                candidates = table.loc[lonely, keys].assign(n=n[lonely])
                pick = candidates.sort_values("n", kind="stable").groupby(keys, sort=False).head(1).index
                hidden[pick] = True
                changed = True
    return hidden


SCORECARD_TH = {"name_th": "ตัวชี้วัด", "area": "พื้นที่", "district": "เขต", "zone": "กลุ่มเขต",
                "value": "ค่า (%)", "n_cases": "จำนวนกรณีที่นับ", "target": "เป้าหมาย (%)",
                "status": "สถานะ", "previous_value": "เดือนก่อน (%)", "direction": "ทิศทาง",
                "change_is": "ดีขึ้น/แย่ลง", "zone_value": "กลุ่มเขต (%)", "city_value": "ทั้งเมือง (%)",
                "note_th": "หมายเหตุ"}


def scorecard_th(table: pd.DataFrame) -> pd.DataFrame:
    """:func:`scorecard` or :func:`scorecard_by_district` with Thai headers and words."""
    headers = {c: h for c, h in SCORECARD_TH.items() if c in table.columns}
    shown = table.copy()
    for column in ("value", "previous_value", "zone_value", "city_value"):
        if column in shown:
            shown[column] = shown[column].round(1)
    labels = {"status": STATUS_TH, "direction": DIRECTION_TH, "change_is": CHANGE_TH}
    return thai_view(shown, headers, labels)


# ------------------------------------------------------------------------------- sandbox vs rest

def sandbox_vs_rest(data: DashboardData, start=None, end=None, per: str = "year",
                    spec: ScorecardSpec | None = None) -> pd.DataFrame:
    """Sandbox districts (``households.sandbox``) against the rest, per noticed-year or month.

    Cases are grouped by when their problem was first noticed (between the months ``start``
    and ``end``, both included). One row per period x group (``sandbox``, ``rest``):

    - ``noticed``, ``children``, ``per_10000``: cases noticed, children of the group's
      districts, cases per 10,000 children;
    - ``started``, ``median_days_to_service``: cases whose service has started by
      ``data.as_of`` and their median days from noticed to service start (cases still
      waiting are not in the median, so the latest periods look faster than they will be);
    - ``plan_due``, ``plan_on_time``, ``plan_within_share``: cases whose
      ``plan_within_days`` (``scorecard.yaml``) have passed by ``as_of``, those with a plan
      meeting within them, and the share (%);
    - ``goals_planned``, ``goals_met``, ``goals_met_share``: goals of plans whose
      ``goal_window_months`` (``dashboards.yaml``) have passed, those met within the window,
      and the share (%).
    """
    if per not in ("year", "month"):
        raise DashboardDataError(f"per must be 'year' or 'month', not {per!r}")
    spec = spec or load_scorecard()
    days = spec.sandbox_vs_rest.plan_within_days
    months_window = data.settings.goal_window_months
    sandbox = pd.Series(data.households["sandbox"].astype(bool).to_numpy(), index=data.households["family_id"].to_numpy())
    cases = data.cases[data.cases["noticed_date"].notna()]
    noticed_months = cases["noticed_date"].dt.to_period("M")
    default_first = noticed_months.min() if len(cases) else as_month(data.as_of)
    first, last = _month_range(data, start, end, default_first)
    keep = ((noticed_months >= first) & (noticed_months <= last)).to_numpy()
    cases = cases[keep]
    as_of = data.as_of
    noticed = cases["noticed_date"]
    to_service = (cases["service_start_date"] - noticed).dt.days
    plan_due = (noticed + pd.Timedelta(days=days)) <= as_of
    plan_on_time = plan_due & cases["plan_date"].notna() & (cases["plan_date"] <= noticed + pd.Timedelta(days=days))
    goal_due_day = cases["plan_date"] + pd.DateOffset(months=months_window)
    goals_due = cases["plan_date"].notna() & (goal_due_day <= as_of)
    met = goals_met_by(data.events, cases["case_id"], goal_due_day)
    planned = cases["goals_planned"].to_numpy(dtype=float)
    freq = "Y" if per == "year" else "M"
    frame = pd.DataFrame({
        "period": noticed.dt.to_period(freq).to_numpy(),
        "group": np.where(cases["family_id"].map(sandbox).fillna(False).to_numpy(dtype=bool), "sandbox", "rest"),
        "started": to_service.notna().to_numpy(), "days": to_service.to_numpy(dtype=float),
        "plan_due": plan_due.to_numpy(), "plan_on_time": plan_on_time.to_numpy(),
        "goals_planned": np.where(goals_due, planned, 0.0),
        "goals_met": np.where(goals_due, np.minimum(met, planned), 0.0)})
    grouped = frame.groupby(["period", "group"])
    table = pd.DataFrame({"noticed": grouped.size(), "started": grouped["started"].sum(),
                          "median_days_to_service": grouped["days"].median(),
                          "plan_due": grouped["plan_due"].sum(), "plan_on_time": grouped["plan_on_time"].sum(),
                          "goals_planned": grouped["goals_planned"].sum(), "goals_met": grouped["goals_met"].sum()})
    periods = pd.period_range(first.asfreq(freq), last.asfreq(freq), freq=freq)
    grid = pd.MultiIndex.from_product([periods, list(GROUPS)], names=["period", "group"])
    table = table.reindex(grid)
    counts = ["noticed", "started", "plan_due", "plan_on_time", "goals_planned", "goals_met"]
    table[counts] = table[counts].fillna(0)
    table = table.reset_index()
    children = data.children["family_id"].map(sandbox).fillna(False).astype(bool)
    per_group = {"sandbox": int(children.sum()), "rest": int((~children).sum())}
    table["children"] = table["group"].map(per_group)
    table["per_10000"] = per_10000(table["noticed"], table["children"])
    with np.errstate(divide="ignore", invalid="ignore"):
        table["plan_within_share"] = np.where(table["plan_due"] > 0, 100 * table["plan_on_time"] / table["plan_due"], np.nan)
        table["goals_met_share"] = np.where(table["goals_planned"] > 0,
                                            100 * table["goals_met"] / table["goals_planned"], np.nan)
    for column in ("noticed", "started", "plan_due", "plan_on_time", "goals_planned", "goals_met"):
        table[column] = table[column].astype(int)
    table.attrs.update(per=per, plan_within_days=days, goal_window_months=months_window)
    return table[["period", "group", "noticed", "children", "per_10000", "started", "median_days_to_service",
                  "plan_due", "plan_on_time", "plan_within_share", "goals_planned", "goals_met", "goals_met_share"]]


def sandbox_vs_rest_th(table: pd.DataFrame) -> pd.DataFrame:
    """:func:`sandbox_vs_rest` with Thai headers."""
    days = table.attrs.get("plan_within_days", 60)
    months = table.attrs.get("goal_window_months", 12)
    headers = {"period": "ช่วงที่พบปัญหา", "group": "กลุ่มเขต", "noticed": "กรณีที่พบ (ราย)",
               "per_10000": "ต่อเด็ก 10,000 คน", "median_days_to_service": "มัธยฐานวันจากพบปัญหาถึงเริ่มรับบริการ",
               "plan_within_share": f"มีแผนภายใน {days} วัน (%)",
               "goals_met_share": f"บรรลุเป้าหมายภายใน {months} เดือน (%)"}
    shown = table.assign(period=table["period"].map(thai_period)).round(1)
    return thai_view(shown, headers, {"group": GROUP_TH})


# --------------------------------------------------------------------------------- public table

@dataclass(frozen=True)
class CommitteeTable(PublicTable):
    """The committee's public district x case-level table: suppressed counts, and rates beside them.

    ``counts`` and ``hidden`` are those of :class:`PublicTable` (districts plus a total row,
    emergency and complex plus a total column). ``children`` is the number of children of each
    row (published: it is the rate's denominator and no child's case). ``rates`` holds each
    count per 10,000 children of its row; a hidden count's rate is hidden too, because with the
    row's children known a rate gives its count back (count = rate x children / 10,000).
    """

    children: pd.Series
    rates: pd.DataFrame
    kind: str
    month: pd.Period

    def published_rates(self, mark: str = "•", decimals: int = 1) -> pd.DataFrame:
        return self.rates.round(decimals).astype(object).where(~self.hidden, mark)

    def published_with_rates(self, mark: str = "•") -> pd.DataFrame:
        """The table a reader sees: for each case level, the count and its rate, then the children."""
        counts, rates = self.published(mark), self.published_rates(mark)
        out = pd.DataFrame(index=counts.index)
        for column in counts.columns:
            label = CASE_LEVEL_TH.get(column, column)
            out[f"{label} (ราย)"] = counts[column]
            out[f"{label} ต่อเด็ก 10,000 คน"] = rates[column]
        out["จำนวนเด็ก (คน)"] = self.children
        out.index.name = "เขต"
        return out

    @property
    def title_th(self) -> str:
        day = thai_date(self.month.end_time.normalize())
        if self.kind == "open":
            return f"กรณีที่ยังเปิดอยู่ ณ วันที่ {day} แยกตามเขตและระดับของกรณี"
        return f"กรณีที่พบใหม่ในเดือน{thai_month(self.month, long=True)} แยกตามเขตและระดับของกรณี"

    @property
    def note_th(self) -> str:
        return (f"{self.rule.note_th} อัตราต่อเด็ก 10,000 คนของช่องที่ถูกปิดก็ถูกปิดด้วย "
                "เพราะเมื่อรู้จำนวนเด็กของเขตแล้วจะคำนวณย้อนกลับเป็นจำนวนกรณีได้")


def public_table(data: DashboardData, month, kind: str = "open", rule: SuppressionRule | None = None) -> CommitteeTable:
    """District x case-level counts for the public database, small counts suppressed.

    ``kind="open"``: cases open on the month's last day (:func:`open_cases`); ``"new"``: cases
    first noticed during the month. Rows are the districts (in ``bangkok.yaml`` order) and a
    total; columns ``emergency``, ``complex`` and the total (``รวม``).

    What a reader may see (``.published()``, ``.published_with_rates()``): every count of 0 or
    of more than 5 children, row and column totals, and the rate per 10,000 children beside
    each shown count. Counts of 1-5 are hidden (•), and enough other cells beside them that no
    hidden count can be worked out from the totals (:func:`suppression.suppress`); the rate of
    every hidden count is hidden as well, since the published children counts would turn it
    back into the count. ``.note_th`` says so in Thai and must be shown with the table.
    """
    if kind not in ("open", "new"):
        raise DashboardDataError(f"kind must be 'open' or 'new', not {kind!r}")
    month = as_month(month)
    d = data.upto(month.end_time.normalize())
    if kind == "open":
        cases = open_cases(d)
    else:
        noticed = d.cases["noticed_date"]
        cases = d.cases[(noticed.dt.to_period("M") == month).to_numpy() & noticed.notna().to_numpy()]
    districts = area_order(data, "district")
    frame = pd.DataFrame({"district": cases["family_id"].map(family_areas(data)["district"]).to_numpy(),
                          "case_level": cases["case_level"].astype(str).to_numpy()})
    counts = (frame.groupby(["district", "case_level"]).size().unstack("case_level")
              .reindex(index=districts, columns=list(CASE_LEVELS)).fillna(0).astype(int))
    counts.index.name, counts.columns.name = None, None
    public = suppress(counts, rule)
    children = children_per_area(data, "district").reindex(public.counts.index[:-1])
    children.loc[TOTAL_TH] = int(children.sum())
    rates = public.counts.apply(lambda col: per_10000(col, children))
    return CommitteeTable(public.counts, public.hidden, public.rule, children.astype(int), rates, kind, month)


# ---------------------------------------------------------------------------------- tile layout

class Tile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    name_th: str = Field(min_length=1)
    row: int = Field(ge=0, le=30)
    col: int = Field(ge=0, le=30)
    label_th: str | None = Field(default=None, min_length=1)


class River(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    between_cols: tuple[int, int]
    rows: tuple[int, int]

    @model_validator(mode="after")
    def _adjacent(self):
        if self.between_cols[1] != self.between_cols[0] + 1:
            raise ValueError("between_cols must be two neighbouring columns, such as [2, 3]")
        if self.rows[1] < self.rows[0]:
            raise ValueError("rows: the last row is above the first")
        return self


class TileLayout(BaseModel):
    """``district_tiles.yaml``."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    version: Literal[1]
    river: River | None = None
    tiles: list[Tile] = Field(min_length=1)

    def frame(self) -> pd.DataFrame:
        table = pd.DataFrame([t.model_dump() for t in self.tiles])
        table["label_th"] = table["label_th"].fillna(table["name_th"])
        return table.set_index("name_th")


def load_tiles(folder: Path | str | None = None) -> TileLayout:
    """Read ``district_tiles.yaml`` and check it against ``bangkok.yaml`` in the same folder.

    Every district of ``bangkok.yaml`` must have exactly one tile, no two districts may share a
    tile, and every name must be a district of ``bangkok.yaml``; anything else is a
    :class:`ConfigError` naming the file and the entry.
    """
    folder = DATA_DIR if folder is None else Path(folder)
    path = folder / "district_tiles.yaml"
    layout = load_yaml_model(TileLayout, path)
    geography = load_yaml_model(Geography, folder / "bangkok.yaml")
    known = [d.name_th for z in geography.zones for d in z.districts]
    problems = []
    seen: dict[str, int] = {}
    places: dict[tuple[int, int], int] = {}
    for i, tile in enumerate(layout.tiles):
        where = f"tiles[{i}] ({tile.name_th})"
        if tile.name_th not in known:
            near = difflib.get_close_matches(tile.name_th, known, n=3, cutoff=0.4)
            hint = f"; nearest: {', '.join(near)}" if near else ""
            problems.append(f"{where}: name_th {tile.name_th!r} is not a district of bangkok.yaml{hint}")
        if tile.name_th in seen:
            problems.append(f"{where}: name_th {tile.name_th} already has a tile at tiles[{seen[tile.name_th]}]")
        seen.setdefault(tile.name_th, i)
        spot = (tile.row, tile.col)
        if spot in places:
            other = layout.tiles[places[spot]]
            problems.append(f"{where}: row {tile.row}, col {tile.col} is already the tile of "
                            f"tiles[{places[spot]}] ({other.name_th})")
        places.setdefault(spot, i)
    missing = [name for name in known if name not in seen]
    if missing:
        problems.append(f"tiles: no tile for district(s) {', '.join(missing)}")
    if problems:
        raise ConfigError(f"{path}: {len(problems)} problem(s)\n" + "\n".join(f"  at {p}" for p in problems))
    return layout


# -------------------------------------------------------------------------------------- figures

LAYOUTS = ("phone", "a4")
A4_LANDSCAPE_IN = (11.69, 8.27)
LINE_STYLES = ("-", "--", "-.", ":")
LINE_COLOURS = ("#1b6ca8", "#d1495b", "#2e9e44", "#8e5ea2", "#f08c00", "#5b5b5b", "#00a6a6", "#a05a2c")


def wrap_th(text: str, width: int) -> str:
    """``text`` broken at spaces into lines of at most ``width`` visible characters (Thai vowel
    and tone marks above or below a letter take no width, so they are not counted)."""
    lines: list[str] = []
    for word in str(text).split(" "):
        if lines and _visible_len(lines[-1]) + 1 + _visible_len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "\n".join(lines)


def _visible_len(text: str) -> int:
    return sum(1 for ch in text if unicodedata.category(ch) != "Mn")


def _blank(ax) -> None:
    """An axes used as a canvas: no frame and no (invisible but measurable) tick labels."""
    ax.axis("off")
    ax.set_xticks([])
    ax.set_yticks([])


def _tidy_ticks(ax) -> None:
    """Keep only the y ticks inside the axes (those outside are not drawn but still take room),
    and lower the x tick labels a little so the first cannot touch the y axis' 0."""
    low, high = sorted(ax.get_ylim())
    ax.set_yticks([t for t in ax.get_yticks() if low <= t <= high])
    ax.tick_params(axis="x", pad=6)


MARK_ROOM_IN = 0.16


def _room_for_mark(fig) -> None:
    """Leave a strip at the bottom for the synthetic-data mark that :func:`charts.finish` adds."""
    bottom = MARK_ROOM_IN / fig.get_size_inches()[1]
    fig.get_layout_engine().set(rect=(0, bottom, 1, 1 - bottom))


def _check_layout(layout: str) -> None:
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {', '.join(LAYOUTS)}, not {layout!r}")


def _month_ticks(months: pd.PeriodIndex, most: int) -> tuple[list[int], list[str]]:
    """Tick positions and Thai labels: every 1, 2, 3, 6 or 12 months, no more than ``most``."""
    for step in (1, 2, 3, 6, 12, 24, 36, 48, 60, 120):
        spots = [i for i, m in enumerate(months) if (m.year * 12 + m.month - 1) % step == 0]
        if len(spots) <= most:
            break
    return spots, [thai_month(months[i]) for i in spots]


def trend_figure(trends: pd.DataFrame, title_th: str | None = None, y_label_th: str | None = None,
                 layout: str = "phone"):
    """Monthly lines of a :func:`monthly_trends` table (one line per area, at most 8).

    Phone layout is 4 inches wide with Thai month labels (``ม.ค. 2568``) no closer than
    every few months; lines differ by colour and dash so they read in grey print too.
    """
    _check_layout(layout)
    if isinstance(trends.columns, pd.MultiIndex):
        raise DashboardDataError("trend_figure draws one line per area: use monthly_trends(by_level=False), "
                                 "or pick one case level's columns first")
    if trends.shape[1] > len(LINE_COLOURS):
        raise DashboardDataError(f"เส้นมากเกินไป ({trends.shape[1]} เส้น): เลือกไม่เกิน {len(LINE_COLOURS)} พื้นที่ "
                                 "หรือใช้ by='zone' (too many lines: choose at most 8 areas)")
    if trends.empty:
        raise DashboardDataError("ไม่มีเดือนให้วาด (the table has no months)")
    measure = trends.attrs.get("measure", "noticed")
    by = trends.attrs.get("by", "district")
    months = pd.PeriodIndex(trends.index)
    phone = layout == "phone"
    fig = new_figure(*((PHONE_WIDTH_IN, 4.6) if phone else A4_LANDSCAPE_IN))
    ax = fig.add_subplot()
    x = np.arange(len(months))
    for i, area in enumerate(trends.columns):
        ax.plot(x, trends[area].to_numpy(dtype=float), color=LINE_COLOURS[i],
                linestyle=LINE_STYLES[i % len(LINE_STYLES)], linewidth=1.6, label=str(area))
    spots, labels = _month_ticks(months, 5 if phone else 12)
    ax.set_xticks(spots, labels, fontsize=8 if phone else 11)
    ax.tick_params(axis="y", labelsize=8 if phone else 11)
    ax.set_xlim(-0.5, len(months) - 0.5)
    ax.set_ylim(bottom=0)
    ax.set_ylabel(y_label_th or TREND_MEASURE_TH[measure], fontsize=9 if phone else 12)
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    ax.spines[["top", "right"]].set_visible(False)
    where = {"city": "ทั้งเมือง", "zone": "แยกตามกลุ่มเขต", "district": "แยกตามเขต"}[by]
    title = title_th or f"{TREND_MEASURE_TH[measure]} รายเดือน {where}"
    ax.set_title(wrap_th(_keep_month_together(title), 40 if phone else 100), fontsize=10 if phone else 14,
                 loc="left")
    if len(trends.columns) > 1 or by != "city":
        fig.legend(*ax.get_legend_handles_labels(), loc="outside lower center", ncols=2 if phone else 4,
                   fontsize=8 if phone else 11, frameon=False)
    span = f"{thai_month(months[0])} ถึง {thai_month(months[-1])}"
    peaks = trends.max()
    top = str(peaks.idxmax()) if peaks.notna().any() else ""
    alt = (f"กราฟเส้น{TREND_MEASURE_TH[measure]}รายเดือน {where} ตั้งแต่ {span} "
           f"{len(trends.columns)} เส้น" + (f" ค่าสูงสุดอยู่ที่{top}" if top else ""))
    _tidy_ticks(ax)
    _room_for_mark(fig)
    return finish(fig, alt, f"{title} ({span})")


def sandbox_figure(table: pd.DataFrame, layout: str = "phone"):
    """Four small panels from :func:`sandbox_vs_rest`: median days to service, plan within N days,
    goals met, cases per 10,000 children; sandbox districts against the rest."""
    _check_layout(layout)
    if table.empty:
        raise DashboardDataError("ไม่มีข้อมูลให้วาด (the table is empty)")
    days = table.attrs.get("plan_within_days", 60)
    months = table.attrs.get("goal_window_months", 12)
    panels = [("median_days_to_service", "วันจากพบปัญหา\nถึงเริ่มรับบริการ (มัธยฐาน)"),
              ("plan_within_share", f"มีแผนบริการ\nภายใน {days} วัน (%)"),
              ("goals_met_share", f"บรรลุเป้าหมาย\nภายใน {months} เดือน (%)"),
              ("per_10000", "กรณีที่พบ\nต่อเด็ก 10,000 คน")]
    phone = layout == "phone"
    fig = new_figure(*((PHONE_WIDTH_IN, 5.6) if phone else A4_LANDSCAPE_IN))
    axes = fig.subplots(2, 2)
    periods = pd.PeriodIndex(table["period"].drop_duplicates())
    x = np.arange(len(periods))
    yearly = periods.freqstr.startswith("Y")
    dots = (3.5 if phone else 6) if yearly else (2 if phone else 3.5)
    style = {"sandbox": {"color": LINE_COLOURS[0], "linestyle": "-", "marker": "o"},
             "rest": {"color": COLOURS["grey"], "linestyle": "--", "marker": "s"}}
    size = 7.5 if phone else 11
    for ax, (column, label) in zip(axes.flat, panels):
        for group in GROUPS:
            rows = table[table["group"] == group].set_index("period").reindex(periods)
            ax.plot(x, rows[column].to_numpy(dtype=float), linewidth=1.5, markersize=dots,
                    label=GROUP_TH[group], **style[group])
        ax.set_title(label, fontsize=size + 0.5, loc="left", linespacing=1.1)
        if yearly:
            step = max(1, int(np.ceil(len(periods) / (5 if phone else 10))))
            spots = list(range(0, len(periods), step))
            ax.set_xticks(spots, [thai_period(periods[i]) for i in spots], fontsize=size)
        else:
            spots, labels = _month_ticks(periods, 2 if phone else 6)
            ax.set_xticks(spots, labels, fontsize=size)
        ax.tick_params(axis="y", labelsize=size)
        ax.set_ylim(bottom=0)
        ax.set_xlim(-0.4, len(periods) - 0.6)
        ax.grid(axis="y", color="#dddddd", linewidth=0.6)
        ax.spines[["top", "right"]].set_visible(False)
    when = "ปีที่พบปัญหา (พ.ศ.)" if yearly else "เดือนที่พบปัญหา"
    title = "เขตพื้นที่รังสรรค์นวัตกรรม (sandbox) เทียบกับเขตอื่น"
    fig.suptitle(f"{title}\nแยกตาม{when}", fontsize=10 if phone else 15, linespacing=1.2)
    fig.legend(*axes.flat[0].get_legend_handles_labels(), loc="outside lower center", ncols=1 if phone else 2,
               fontsize=size + 0.5, frameon=False)
    span = f"{thai_period(periods[0])} ถึง {thai_period(periods[-1])}"
    alt = (f"กราฟเส้นสี่ช่อง เทียบ{GROUP_TH['sandbox']}กับเขตอื่น แยกตาม{when} {span}: "
           + " ".join(label.replace("\n", "") for _, label in panels))
    caption = (f"{title} แยกตาม{when} ({span}) ช่วงหลังสุดยังมีกรณีที่รอเริ่มรับบริการ "
               "ค่ามัธยฐานวันของช่วงนั้นจึงดูเร็วกว่าที่จะเป็นจริง")
    for ax in axes.flat:
        _tidy_ticks(ax)
    _room_for_mark(fig)
    return finish(fig, alt, caption)


def _status_marker(status: str) -> str:
    return {"green": "o", "amber": "D", "red": "s"}.get(status, "o")


def _keep_month_together(text: str) -> str:
    """Thai month and year (``ธ.ค. 2568``) never split across two lines."""
    for short in MONTHS_SHORT:
        text = text.replace(f"{short} ", f"{short}\u00a0")
    return text


def scorecard_figure(card: pd.DataFrame, title_th: str | None = None, layout: str = "phone"):
    """A table-like chart of a :func:`scorecard`: per measure its name, value against target and
    the cases it rests on, a status mark (colour and shape: ● on target, ◆ near, ■ off) and an
    arrow for the change since last month (green if better, red if worse)."""
    _check_layout(layout)
    if card.empty:
        raise DashboardDataError("ไม่มีตัวชี้วัดให้วาด (the scorecard is empty)")
    phone = layout == "phone"
    rows = len(card)
    width = PHONE_WIDTH_IN if phone else A4_LANDSCAPE_IN[0]
    height = (1.0 + 0.82 * rows) if phone else A4_LANDSCAPE_IN[1]
    fig = new_figure(width, height)
    ax = fig.add_subplot()
    ax.set_xlim(0, 1)
    ax.set_ylim(rows - 0.3, -0.95)
    _blank(ax)
    size = 8.5 if phone else 13
    wrap = 24 if phone else 55
    value_x, dot_x, arrow_x = (0.66, 0.83, 0.95) if phone else (0.62, 0.80, 0.92)
    head = {"ha": "center", "va": "center", "fontsize": size - 1.5, "color": "#555555", "linespacing": 1.0}
    ax.text(value_x, -0.72, "ค่า / เป้า", **head)
    ax.text(dot_x, -0.72, "สถานะ", **head)
    ax.text(arrow_x, -0.72, "เทียบ\nเดือนก่อน", **head)
    small = size - 1.5
    for i, row in enumerate(card.itertuples(index=False)):
        if i % 2 == 0:
            ax.axhspan(i - 0.5, i + 0.5, color="#f3f3f3", zorder=0)
        ax.text(0.01, i, wrap_th(str(row.name_th), wrap), ha="left", va="center", fontsize=size - 0.5,
                linespacing=1.15)
        value = "–" if pd.isna(row.value) else f"{row.value:.1f}%"
        ax.text(value_x, i - 0.27, value, ha="center", va="center", fontsize=size + 2, fontweight="bold")
        limit = "≤" if not row.higher_is_better else "≥"
        sub = [f"เป้า {limit} {row.target:g}%"]
        if not pd.isna(row.n_cases):
            sub.append(f"{int(row.n_cases):,} กรณี")
        if getattr(row, "note_th", ""):
            sub.append("ตัวเลขน้อย")
        ax.text(value_x, i - 0.1, "\n".join(sub), ha="center", va="top", fontsize=small, color="#444444",
                linespacing=1.05)
        colour = STATUS_COLOURS.get(row.status, COLOURS["grey"])
        ax.plot(dot_x, i - 0.15, marker=_status_marker(row.status), markersize=12 if phone else 18,
                color=colour, markeredgecolor="white", linestyle="none")
        ax.text(dot_x, i + 0.25, STATUS_TH.get(row.status, ""), ha="center", va="center", fontsize=small)
        direction = getattr(row, "direction", None)
        if isinstance(direction, str):
            marker = {"up": "^", "down": "v", "same": "_"}[direction]
            tone = {"better": STATUS_COLOURS["green"], "worse": STATUS_COLOURS["red"]}.get(row.change_is, COLOURS["grey"])
            ax.plot(arrow_x, i - 0.15, marker=marker, markersize=11 if phone else 16, color=tone,
                    markeredgewidth=2.5 if direction == "same" else 1.0, linestyle="none")
            ax.text(arrow_x, i + 0.25, CHANGE_TH.get(row.change_is, ""), ha="center", va="center", fontsize=small)
    area = str(card["area"].iloc[0]) if "area" in card.columns else CITY_TH
    month = thai_month(card["month"].iloc[0]) if "month" in card.columns else ""
    title = title_th or f"ตารางคะแนน (scorecard) {area} {month}".strip()
    ax.set_title(wrap_th(_keep_month_together(title), 40 if phone else 100), fontsize=10.5 if phone else 16,
                 loc="left")
    greens = int((card["status"] == "green").sum())
    alt = (f"ตารางคะแนนของ{area} {month}: {rows} ตัวชี้วัด ถึงเป้า {greens} ตัว "
           + " ".join(f"{r.name_th} {'' if pd.isna(r.value) else f'{r.value:.1f}%'} "
                      f"({STATUS_TH.get(r.status, '')})" for r in card.itertuples()))
    windows = card.drop_duplicates("window_start")[["window_start", "window_end"]].dropna()
    spans = " และ ".join(f"{thai_date(a)} ถึง {thai_date(b)}" for a, b in windows.itertuples(index=False))
    _room_for_mark(fig)
    return finish(fig, alt, f"{title} นับช่วง {spans}" if spans else title)


def _luminance(rgba) -> float:
    r, g, b = rgba[:3]
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


@dataclass
class TileMapDrawing:
    """What :func:`draw_tile_map` drew: the map's axes, its tile labels and the values shown.

    Tile labels are measured only once the figure is laid out, so whoever places the map in a
    bigger page calls :meth:`fit_labels` after the page is complete.
    """

    ax: object
    labels: list
    shown: pd.Series
    hidden: set
    tile_width: float
    values: list = field(default_factory=list)

    def fit_labels(self) -> None:
        """Shrink any tile label wider than its tile, and on a map so small that a tile's label
        would run into its value, every label and value alike (the figure is laid out first,
        then measured)."""
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        fig = self.ax.get_figure(root=True)
        if not isinstance(fig.canvas, FigureCanvasAgg):
            FigureCanvasAgg(fig)
        fig.draw_without_rendering()  # lays the figure out; nothing is rasterised
        renderer = fig.canvas.get_renderer()
        ax = self.ax
        tile_px = abs(ax.transData.transform((self.tile_width, 0))[0] - ax.transData.transform((0, 0))[0])
        for t in self.labels:
            width = t.get_window_extent(renderer).width
            if width > tile_px:
                t.set_fontsize(t.get_fontsize() * tile_px / width)
        for _ in range(3):  # shrinking moves the texts apart; a second look confirms
            factor = 1.0
            for label, value in zip(self.labels, self.values):
                a, b = label.get_window_extent(renderer), value.get_window_extent(renderer)
                room = a.y1 - b.y0  # from the label's top down to the value's bottom
                needed = a.height + b.height + 2.0
                if needed > room:
                    factor = min(factor, room / needed)
            if factor >= 1.0:
                break
            for t in (*self.labels, *self.values):
                t.set_fontsize(t.get_fontsize() * factor * 0.98)

    def alt_th(self, title_th: str, value_format: str = "{:.0f}") -> str:
        """The map in words (highest and lowest district, how many without data or hidden)."""
        ranked = self.shown.dropna().sort_values()
        alt = f"แผนที่ช่อง 50 เขตของกรุงเทพมหานคร: {title_th}"
        if len(ranked):
            alt += (f" สีเข้มคือค่าสูง ค่าสูงสุด {ranked.index[-1]} {value_format.format(ranked.iloc[-1])}"
                    f" ต่ำสุด {ranked.index[0]} {value_format.format(ranked.iloc[0])}")
        hidden = len(self.hidden & set(self.shown.index))
        no_data = int(self.shown.isna().sum()) - hidden
        return alt + f" ไม่มีข้อมูล {no_data} เขต ปิดไว้ {hidden} เขต"


def draw_tile_map(target, values: pd.Series, title_th: str, legend_th: str = "",
                  suppressed: Iterable[str] | None = None, layout: str = "phone", value_format: str = "{:.0f}",
                  cmap: str = "YlGnBu", vmin: float | None = None, vmax: float | None = None,
                  tiles: TileLayout | None = None, title_wrap: int | None = None,
                  legend_columns: int | None = None, colorbar: str = "bottom") -> TileMapDrawing:
    """Draw the district tile map into ``target``, a Figure or a SubFigure laid out by matplotlib's
    constrained layout (the map's axes, a colourbar under it and the legend of grey tiles).

    The arguments are those of :func:`tile_map_figure`; ``layout`` sets the text sizes (``phone``
    for a map about 4.5 inches wide, ``a4`` for a whole landscape page), ``title_wrap`` the
    characters per title line, ``legend_columns`` the legend's columns and ``colorbar`` where the
    colour scale goes (``bottom``, or ``right`` where the space is wide and short). Call
    :meth:`TileMapDrawing.fit_labels` once the page is complete.
    """
    _check_layout(layout)
    from matplotlib import colormaps
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import Normalize
    from matplotlib.patches import Patch, Rectangle

    tiles = tiles or load_tiles()
    grid = tiles.frame()
    values = pd.Series(values, dtype=float)
    unknown = sorted(set(values.index.astype(str)) - set(grid.index))
    if unknown:
        raise DashboardDataError(f"ไม่มีช่องของเขต {', '.join(unknown)} ในแผนที่ (no tile for these districts)")
    hidden = set(map(str, suppressed or ()))
    shown = values.reindex(grid.index)
    shown[list(hidden & set(grid.index))] = np.nan
    finite = shown.dropna()
    low = vmin if vmin is not None else (float(finite.min()) if len(finite) else 0.0)
    high = vmax if vmax is not None else (float(finite.max()) if len(finite) else 1.0)
    if high <= low:
        high = low + 1.0
    norm, colours = Normalize(low, high), colormaps[cmap]
    phone = layout == "phone"
    n_rows, n_cols = int(grid["row"].max()) + 1, int(grid["col"].max()) + 1
    ax = target.add_subplot()
    ax.set_aspect("equal")
    ax.set_xlim(-0.05, n_cols + 0.05)
    ax.set_ylim(n_rows + 0.05, -0.05)
    _blank(ax)
    label_size, value_size = (7.2, 8.0) if phone else (11.0, 12.5)
    gap = 0.03
    side = 1 - 2 * gap
    labels, value_texts = [], []
    for name, tile in grid.iterrows():
        value = shown.get(name, np.nan)
        x, y = tile["col"] + gap, tile["row"] + gap
        if name in hidden:
            patch = Rectangle((x, y), side, side, facecolor="#d9d9d9", edgecolor="#7a7a7a", hatch="xxx", linewidth=0.4)
            text_colour, value_text = "#222222", "•"
        elif np.isnan(value):
            patch = Rectangle((x, y), side, side, facecolor="#f0f0f0", edgecolor="#9a9a9a", hatch="///", linewidth=0.4)
            text_colour, value_text = "#444444", "–"
        else:
            fill = colours(norm(value))
            patch = Rectangle((x, y), side, side, facecolor=fill, edgecolor="white", linewidth=0.6)
            text_colour = "white" if _luminance(fill) < 0.5 else "#111111"
            value_text = value_format.format(value)
        ax.add_patch(patch)
        plain = name in hidden or np.isnan(value)
        box = {"boxstyle": "square,pad=0.05", "facecolor": "#f0f0f0", "edgecolor": "none"} if plain else None
        label = str(tile["label_th"]).replace(" ", "\n")
        labels.append(ax.text(tile["col"] + 0.5, tile["row"] + 0.10, label, ha="center", va="top",
                              fontsize=label_size, color=text_colour, linespacing=1.0, bbox=box))
        value_texts.append(ax.text(tile["col"] + 0.5, tile["row"] + 0.93, value_text, ha="center", va="baseline",
                                   fontsize=value_size, fontweight="bold", color=text_colour, bbox=box))
    if tiles.river is not None:
        right = tiles.river.between_cols[1]
        first, last = tiles.river.rows
        ax.plot([right, right], [first + gap, last + 1 - gap], color="#4a90d9", linewidth=2.2,
                solid_capstyle="round", zorder=3)
    if colorbar not in ("bottom", "right"):
        raise ValueError(f"colorbar must be 'bottom' or 'right', not {colorbar!r}")
    bar = target.colorbar(ScalarMappable(norm=norm, cmap=colours), ax=ax,
                          orientation="horizontal" if colorbar == "bottom" else "vertical",
                          fraction=0.035 if phone else 0.04, pad=0.01, aspect=30 if colorbar == "bottom" else 22)
    bar.set_label(legend_th, fontsize=8 if phone else 12)
    bar.ax.tick_params(labelsize=7.5 if phone else 11)
    bar.set_ticks([t for t in bar.get_ticks() if low <= t <= high])
    handles = [Patch(facecolor="#f0f0f0", edgecolor="#9a9a9a", hatch="///", label="ไม่มีข้อมูล (no data)"),
               Patch(facecolor="#d9d9d9", edgecolor="#7a7a7a", hatch="xxx", label="ปิดไว้: ตัวเลขน้อย (suppressed)")]
    if tiles.river is not None:
        from matplotlib.lines import Line2D

        handles.append(Line2D([], [], color="#4a90d9", linewidth=2.2, label="แม่น้ำเจ้าพระยา"))
    target.legend(handles=handles, loc="outside lower center", ncols=legend_columns or (2 if phone else 3),
                  fontsize=7.5 if phone else 11, frameon=False)
    wrap = title_wrap or (44 if phone else 100)
    ax.set_title(wrap_th(_keep_month_together(title_th), wrap), fontsize=10 if phone else 15, loc="left")
    return TileMapDrawing(ax=ax, labels=labels, shown=shown, hidden=hidden, tile_width=side - 0.04,
                          values=value_texts)


def tile_map_figure(values: pd.Series, title_th: str, legend_th: str = "", suppressed: Iterable[str] | None = None,
                    layout: str = "phone", value_format: str = "{:.0f}", cmap: str = "YlGnBu",
                    vmin: float | None = None, vmax: float | None = None, tiles: TileLayout | None = None):
    """Bangkok's 50 districts as equal tiles coloured by ``values`` (indexed by Thai district name).

    A sequential colour scale with a colourbar labelled ``legend_th``; each tile shows the
    district's label and its value. Districts with no value are grey with a light hatch
    ("ไม่มีข้อมูล"); districts in ``suppressed`` (or with a hidden value) are grey with a
    cross-hatch ("ปิดไว้"), so hidden values never look like low ones. ``layout``: ``phone``
    (4.5 inches wide) or ``a4`` (A4 landscape). To put the map on a bigger page, draw it into a
    subfigure with :func:`draw_tile_map`.
    """
    _check_layout(layout)
    phone = layout == "phone"
    fig = new_figure(*((4.5, 5.6) if phone else A4_LANDSCAPE_IN))
    drawing = draw_tile_map(fig, values, title_th, legend_th, suppressed, layout, value_format, cmap, vmin, vmax,
                            tiles)
    _room_for_mark(fig)
    drawing.fit_labels()
    return finish(fig, drawing.alt_th(title_th, value_format), title_th)


def district_values(by_district: pd.DataFrame, measure_id: str) -> tuple[pd.Series, list[str]]:
    """(value per district, hidden districts) of one measure of :func:`scorecard_by_district`,
    ready for :func:`tile_map_figure`."""
    rows = by_district[by_district["measure_id"] == measure_id]
    if rows.empty:
        raise DashboardDataError(f"no measure {measure_id!r} in the table")
    values = rows.set_index("district")["value"].astype(float)
    return values, list(rows.loc[rows["suppressed"], "district"])


__all__ = [
    "AREA_LEVELS",
    "CITY_TH",
    "MEASURE_FUNCTIONS",
    "CommitteeTable",
    "Measure",
    "Meeting",
    "ScorecardSpec",
    "TileLayout",
    "TileMapDrawing",
    "area_order",
    "as_month",
    "children_per_area",
    "direction_of",
    "district_values",
    "draw_tile_map",
    "goals_met_by",
    "load_scorecard",
    "load_tiles",
    "measure_values",
    "month_window",
    "monthly_counts",
    "monthly_counts_th",
    "monthly_trends",
    "open_cases",
    "public_table",
    "sandbox_figure",
    "sandbox_vs_rest",
    "sandbox_vs_rest_th",
    "scorecard",
    "scorecard_by_district",
    "scorecard_figure",
    "scorecard_th",
    "status_of",
    "thai_month",
    "thai_period",
    "tile_map_figure",
    "trend_figure",
    "values_of",
]
