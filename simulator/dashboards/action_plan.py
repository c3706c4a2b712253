"""District level: from what the dashboards show to a 1-year action plan and a 5-year draft plan.

District guidance: after analysing the dashboards, district staff draft a 1-year action plan
and a 5-year draft plan. This module turns the dashboards into that draft and checks it:

- :func:`findings`: what the dashboards show for one district in one month, as rows a group
  can turn into goals: every scorecard measure that is red or amber
  (:func:`simulator.dashboards.committee.scorecard`), the worst step where cases wait
  (:func:`simulator.dashboards.district.bottlenecks`) and the community with the most noticed
  cases per 10,000 children (:func:`simulator.dashboards.district.communities_compared`);
- :class:`PlanRow` / :class:`ActionPlan`: one row of the plan (horizon ``1y`` or ``5y``, the
  finding it answers, goal, action, owner level, dimension, measure, baseline, target and when)
  and the plan of a district;
- :func:`check_plan`: Thai messages naming the row and the field of every problem (empty list:
  the draft is complete);
- :func:`suggested_rows`: one pre-filled 1-year row per top finding, for the group to edit;
- :func:`plan_table` / :func:`plan_table_th` / :func:`plan_markdown`: the plan as a table and
  as a printable page.

The limits (12 months, 5 years, at most 5 rows per plan) and what is suggested live in
``action_plan.yaml``; owners are the level ids of ``levels.yaml``. District staff see their own
district's numbers, so nothing here is suppressed.
"""

from __future__ import annotations

import math
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, model_validator

from simulator.dashboards import committee
from simulator.dashboards import district as district_dashboard
from simulator.dashboards.levels import LEVEL_IDS, LevelId, load_levels
from simulator.dashboards.tables import (
    DashboardData,
    DashboardDataError,
    Selection,
    load_settings,
    thai_view,
)
from simulator.model.config import DIMENSIONS, ConfigError, load_yaml_model
from simulator.thai.dates import BE_OFFSET, thai_date, thai_month
from simulator.thai.vocabulary import DIMENSION_TH, SYNTHETIC_MARK

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
PLAN_FILE = DATA_DIR / "action_plan.yaml"

HORIZONS = ("1y", "5y")
HORIZON_TH = {"1y": "แผนปฏิบัติการ 1 ปี", "5y": "ร่างแผน 5 ปี"}
HORIZON_SHORT_TH = {"1y": "แผน 1 ปี", "5y": "แผน 5 ปี"}
KINDS = ("measure", "bottleneck", "community")
UNIT_PERCENT, UNIT_DAYS, UNIT_RATE = "%", "วัน", "กรณีต่อเด็ก 10,000 คน"
BOTTLENECK_ID, COMMUNITY_ID = "bottleneck", "top_community"
DATA_NOTE_TH = f"จาก{SYNTHETIC_MARK} (synthetic) ซึ่งไม่ได้ชี้ตัวเด็กหรือครอบครัวจริง"

# The field names a trainee reads in check_plan's messages.
FIELD_TH = {
    "horizon": "ช่วงแผน",
    "finding_id": "ข้อค้นพบ",
    "goal_th": "เป้าหมาย (goal)",
    "action_th": "สิ่งที่จะทำ (action)",
    "owner": "ผู้รับผิดชอบ",
    "dimension": "มิติ",
    "measure_id": "ตัวชี้วัด",
    "baseline": "ค่าตั้งต้น (baseline)",
    "target": "ค่าเป้าหมาย (target)",
    "month": "เดือน",
    "year": "ปี",
    "rows": "จำนวนแถว",
}
FINDINGS_TH = {
    "name_th": "ข้อค้นพบ",
    "text_th": "สิ่งที่แดชบอร์ดบอก",
    "baseline": "ค่าตั้งต้น (baseline)",
    "unit": "หน่วย",
    "target": "เป้าหมายในตารางคะแนน",
    "status": "สถานะ",
}
PLAN_TH = {
    "horizon": "แผน",
    "number": "ข้อ",
    "goal_th": "เป้าหมาย (goal)",
    "action_th": "สิ่งที่จะทำ (action)",
    "owner": "ผู้รับผิดชอบ",
    "measure_id": "ตัวชี้วัด",
    "baseline": "ค่าตั้งต้น (baseline)",
    "target": "ค่าเป้าหมาย (target)",
    "when": "เมื่อใด",
}
FINDING_COLUMNS = ("finding_id", "kind", "name_th", "text_th", "baseline", "unit", "higher_is_better",
                   "measure_id", "target", "status", "direction", "change_is", "cases", "step", "dimension",
                   "actor_role", "community")


# ------------------------------------------------------------------------------- settings file

class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _check_template(text: str, allowed: tuple[str, ...]) -> str:
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError as exc:
        raise ValueError(f"braces do not match in {text!r} ({exc})") from None
    unknown = sorted(names - set(allowed))
    if unknown:
        raise ValueError(f"{{{unknown[0]}}} means nothing here; use {', '.join('{' + a + '}' for a in allowed)}")
    return text


class MeasureSuggestion(_Strict):
    owner: LevelId
    action_th: str = Field(min_length=1)


class StepSuggestion(_Strict):
    owner: LevelId
    goal_th: str = Field(min_length=1)
    action_th: str = Field(min_length=1)

    @model_validator(mode="after")
    def _placeholders(self):
        _check_template(self.goal_th, ("step", "dimension", "value", "cases"))
        return self


class CommunitySuggestion(_Strict):
    owner: LevelId
    goal_th: str = Field(min_length=1)
    action_th: str = Field(min_length=1)

    @model_validator(mode="after")
    def _placeholders(self):
        _check_template(self.goal_th, ("community", "value"))
        return self


class PlanSettings(_Strict):
    """``action_plan.yaml``: the limits of a draft plan and what :func:`suggested_rows` fills in."""

    version: Literal[1]
    months_ahead: int = Field(ge=1, le=24)
    years_ahead: int = Field(ge=1, le=10)
    max_rows_per_horizon: int = Field(ge=1, le=20)
    suggested_rows: int = Field(ge=1, le=20)
    default_owner: LevelId
    goal_higher_th: str = Field(min_length=1)
    goal_lower_th: str = Field(min_length=1)
    measures: dict[str, MeasureSuggestion]
    bottleneck: dict[str, StepSuggestion]
    community: CommunitySuggestion

    @model_validator(mode="after")
    def _check(self):
        for key in ("goal_higher_th", "goal_lower_th"):
            try:
                _check_template(getattr(self, key), ("name", "value", "target"))
            except ValueError as exc:
                raise ValueError(f"{key}: {exc}") from None
        steps = set(district_dashboard.BOTTLENECK_STEPS)
        unknown = sorted(set(self.bottleneck) - steps)
        if unknown:
            raise ValueError(f"bottleneck: unknown step {unknown[0]!r}; the steps are "
                             f"{', '.join(district_dashboard.BOTTLENECK_STEPS)}")
        missing = [s for s in district_dashboard.BOTTLENECK_STEPS if s not in self.bottleneck]
        if missing:
            raise ValueError(f"bottleneck: step {missing[0]!r} is missing (every step needs an owner)")
        return self

    def owner_of_measure(self, measure_id: str) -> str:
        entry = self.measures.get(measure_id)
        return entry.owner if entry else self.default_owner


def load_plan_settings(folder: Path | str | None = None) -> PlanSettings:
    """Read ``action_plan.yaml`` from ``folder`` (the kit's data folder when not given) and check
    its measure ids against ``scorecard.yaml`` of the same folder."""
    path = PLAN_FILE if folder is None else Path(folder) / "action_plan.yaml"
    settings = load_yaml_model(PlanSettings, path)
    scorecard = committee.load_scorecard(folder)
    ids = [m.id for m in scorecard.measures]
    for key in settings.measures:
        if key not in ids:
            raise ConfigError(f"{path}: measures.{key}: no measure {key!r} in scorecard.yaml; "
                              f"the measures are {', '.join(ids)}")
    return settings


# ----------------------------------------------------------------------------------- months

def default_month(data: DashboardData) -> pd.Period:
    """The last whole month the data covers: the month of ``as_of`` when ``as_of`` is its last
    day, else the month before."""
    month = data.as_of.to_period("M")
    return month if data.as_of == month.end_time.normalize() else month - 1


def _data_month(data: DashboardData, month) -> pd.Period:
    month = default_month(data) if month is None else committee.as_month(month)
    if month.end_time.normalize() > data.as_of:
        raise DashboardDataError(f"ข้อมูลมีถึง {thai_date(data.as_of)} ยังไม่ครบเดือน {thai_month(month)} "
                                 f"(the data runs to {data.as_of.date()}, before the end of {month})")
    return month


def plan_months(month, settings: PlanSettings | None = None) -> list[pd.Period]:
    """The months a 1-year row may name: the ``months_ahead`` months after the data's ``month``."""
    settings = settings or load_plan_settings()
    first = committee.as_month(month) + 1
    return list(pd.period_range(first, periods=settings.months_ahead, freq="M"))


def year_be(year: int, month) -> int:
    """Buddhist-era year of year ``year`` (1-5) of the 5-year draft: the year in which its twelve
    months after the data's ``month`` end (year 1 of data up to ธ.ค. 2568 is 2569)."""
    end = committee.as_month(month) + 12 * int(year)
    return end.year + BE_OFFSET


def year_label_th(year: int, month=None) -> str:
    """``ปีที่ 2 (พ.ศ. 2570)``; without ``month`` only ``ปีที่ 2``."""
    if month is None:
        return f"ปีที่ {year}"
    return f"ปีที่ {year} (พ.ศ. {year_be(year, month)})"


# ----------------------------------------------------------------------------------- findings

def _number(value: float) -> str:
    return f"{value:,.0f}" if abs(value - round(value)) < 1e-9 else f"{value:,.1f}"


def format_value(value, unit: str) -> str:
    """A baseline or target as a reader sees it: ``33.3%``, ``516 วัน``, ``2,857 กรณีต่อเด็ก 10,000 คน``."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or pd.isna(value):
        return "–"
    value = float(value)
    if unit == UNIT_PERCENT:
        return f"{_number(value)}%"
    if unit == UNIT_RATE:
        return f"{value:,.0f} {unit}"
    return f"{_number(value)} {unit}".strip()


def _district_name(data: DashboardData, district: str) -> str:
    if not district:
        raise DashboardDataError("ต้องระบุเขต (district is required: a plan is a district's plan)")
    name = str(district).strip()
    known = set(data.households["district"].astype(str))
    if name not in known and name.removeprefix("เขต") in known:
        name = name.removeprefix("เขต")
    if name not in known:
        raise DashboardDataError(f"ไม่พบเขต «{district}» ในข้อมูล (unknown district {district!r}); "
                                 f"เขตที่มี: {', '.join(sorted(known))}")
    return name


def _district_th(district: str) -> str:
    return district if str(district).startswith("เขต") else f"เขต{district}"


def _measure_findings(card: pd.DataFrame) -> pd.DataFrame:
    bad = card[card["status"].isin(["red", "amber"])].copy()
    bad["_rank"] = np.where(bad["status"] == "red", 0, 1)
    bad["_gap"] = (bad["value"] - bad["target"]).abs()
    bad = bad.sort_values(["_rank", "_gap"], ascending=[True, False], kind="stable")
    higher = bad["higher_is_better"].astype(bool).to_numpy()
    side = np.where(higher, "ต่ำกว่าเป้า", "สูงกว่าเป้า")
    change = bad["change_is"].map({"better": " ดีขึ้นจากเดือนก่อน", "worse": " แย่ลงจากเดือนก่อน",
                                   "same": " เท่ากับเดือนก่อน"}).fillna("")
    note = bad["note_th"].where(bad["note_th"] == "", " (" + bad["note_th"] + ")")
    text = [f"{name} {value:.1f}% {s} {target:g}% ({committee.STATUS_TH[status]}){c} นับจาก {n:,} กรณี{nt}"
            for name, value, s, target, status, c, n, nt in zip(
                bad["name_th"], bad["value"], side, bad["target"], bad["status"], change, bad["n_cases"], note)]
    return pd.DataFrame({
        "finding_id": bad["measure_id"].to_numpy(), "kind": "measure", "name_th": bad["name_th"].to_numpy(),
        "text_th": text, "baseline": bad["value"].to_numpy(dtype=float), "unit": UNIT_PERCENT,
        "higher_is_better": higher, "measure_id": bad["measure_id"].to_numpy(),
        "target": bad["target"].to_numpy(dtype=float), "status": bad["status"].to_numpy(),
        "direction": bad["direction"].to_numpy(), "change_is": bad["change_is"].to_numpy(),
        "cases": bad["n_cases"].to_numpy(dtype=float),
    })


def _bottleneck_finding(necks: pd.DataFrame) -> pd.DataFrame:
    if necks.empty or necks.iloc[0]["waiting"] <= 0:
        return pd.DataFrame()
    top = necks.iloc[0]
    dimension = top["dimension"] if isinstance(top["dimension"], str) else None
    where = f"ขั้น{top['step_th']}" + (f" มิติ{DIMENSION_TH[dimension]}" if dimension else "")
    text = (f"คอขวดที่หนักที่สุดของเขต: {where} ผู้รับผิดชอบคือ{top['actor_th']} "
            f"มีกรณีรออยู่ {int(top['waiting']):,} กรณี รอมาแล้วมัธยฐาน {_number(float(top['waiting_median_days']))} วัน")
    return pd.DataFrame([{
        "finding_id": BOTTLENECK_ID, "kind": "bottleneck", "name_th": f"คอขวด: {where}", "text_th": text,
        "baseline": float(top["waiting_median_days"]), "unit": UNIT_DAYS, "higher_is_better": False,
        "cases": float(top["waiting"]), "step": top["step"], "dimension": dimension, "actor_role": top["actor_role"],
    }])


def _community_finding(table: pd.DataFrame) -> pd.DataFrame:
    if table.empty or table.iloc[0]["cases"] <= 0:
        return pd.DataFrame()
    top = table.iloc[0]
    rate = float(top["per_10000"])
    text = (f"ชุมชนที่มีกรณีต่อเด็กมากที่สุดของเขต: {top['community']} {format_value(rate, UNIT_RATE)} "
            f"({int(top['cases']):,} กรณี จากเด็ก {int(top['children']):,} คน)")
    return pd.DataFrame([{
        "finding_id": COMMUNITY_ID, "kind": "community", "name_th": f"ชุมชนที่มีกรณีสูงสุด: {top['community']}",
        "text_th": text, "baseline": rate, "unit": UNIT_RATE, "higher_is_better": False,
        "cases": float(top["cases"]), "community": str(top["community"]),
    }])


def findings(data: DashboardData, district: str, month=None, spec: committee.ScorecardSpec | None = None
             ) -> pd.DataFrame:
    """What the dashboards show for ``district`` in ``month`` (default :func:`default_month`),
    one row per finding a group can turn into a goal, the most pressing first:

    1. every measure of the district's :func:`~simulator.dashboards.committee.scorecard` that is
       red, then amber (the furthest from its target first); ``finding_id`` is the measure id;
    2. ``bottleneck``: the first row of :func:`~simulator.dashboards.district.bottlenecks` (the
       step where most case-days wait), when any case waits there; baseline = the median days
       the waiting cases have waited;
    3. ``top_community``: the first row of
       :func:`~simulator.dashboards.district.communities_compared` (the most noticed cases per
       10,000 children), when it has a case; baseline = that rate.

    Bottlenecks and communities are read on the data as it stood at the month's end. Columns:
    ``finding_id``, ``kind`` (measure/bottleneck/community), ``name_th`` (short Thai name),
    ``text_th`` (a Thai sentence), ``baseline``, ``unit`` (``%``, ``วัน`` or
    ``กรณีต่อเด็ก 10,000 คน``), ``higher_is_better``, ``measure_id`` and ``target`` (scorecard
    measures; else missing), ``status`` (red/amber), ``direction``, ``change_is`` (against last
    month), ``cases`` (the cases the finding rests on: counted, waiting or noticed), ``step``,
    ``dimension``, ``actor_role`` (bottleneck) and ``community``. ``.attrs`` holds ``district``,
    ``month`` (a Period) and ``as_of``.
    """
    name = _district_name(data, district)
    month = _data_month(data, month)
    # Every measure counts a district's own families' cases, so the district's scorecard on its
    # own data equals its row of the city's scorecard (tested) and is fifty times quicker.
    own = Selection(district=name).apply(data)
    card = committee.scorecard(own, month, area=name, spec=spec)
    end = month.end_time.normalize()
    seen = own.upto(end) if end < own.as_of else own
    parts = [_measure_findings(card), _bottleneck_finding(district_dashboard.bottlenecks(seen, name)),
             _community_finding(district_dashboard.communities_compared(seen, name))]
    out = pd.concat([p for p in parts if not p.empty], ignore_index=True) if any(not p.empty for p in parts) \
        else pd.DataFrame(columns=list(FINDING_COLUMNS))
    out = out.reindex(columns=list(FINDING_COLUMNS))
    for column in FINDING_COLUMNS:
        if column in ("baseline", "target", "cases"):
            out[column] = out[column].astype(float)
        elif column == "higher_is_better":
            out[column] = out[column].astype(bool)
        else:
            values = out[column].astype(object)
            out[column] = values.where(values.notna(), None)
    out.attrs.update(district=name, month=month, as_of=data.as_of)
    return out


def findings_th(table: pd.DataFrame) -> pd.DataFrame:
    """:func:`findings` with Thai headers: name, sentence, baseline and target with their unit."""
    shown = table.assign(baseline=[format_value(v, u) for v, u in zip(table["baseline"], table["unit"])],
                         target=[format_value(v, u) for v, u in zip(table["target"], table["unit"])])
    return thai_view(shown, {k: v for k, v in FINDINGS_TH.items() if k != "unit"},
                     {"status": committee.STATUS_TH})


# ----------------------------------------------------------------------------------- plan rows

@dataclass
class PlanRow:
    """One row of a district's plan. Fields are plain values so that :func:`check_plan` can name
    every problem instead of refusing the row.

    ``horizon``: ``1y`` or ``5y``. ``finding_id``: a ``finding_id`` of :func:`findings`.
    ``owner``: a level id of ``levels.yaml`` (community, providers, district, city);
    ``dimension`` (social, education, health, governance) when the owner is providers.
    ``measure_id`` (scorecard.yaml), ``baseline``, ``target`` and ``unit`` as in the finding.
    ``month``: for a 1-year row, a month (``"2026-03"`` or a Period) within the 12 months after the
    data's month; ``year``: for a 5-year row, 1-5. ``number``: the row's number as the group sees
    it (default: its place among the rows of its horizon).
    """

    horizon: str
    finding_id: str = ""
    goal_th: str = ""
    action_th: str = ""
    owner: str = ""
    dimension: str | None = None
    measure_id: str | None = None
    baseline: float | None = None
    target: float | None = None
    unit: str = ""
    month: str | pd.Period | None = None
    year: int | None = None
    number: int | None = None


def row_for(findings_table: pd.DataFrame, finding_id: str, horizon: str = "1y", **fields) -> PlanRow:
    """A plan row answering ``finding_id``: its measure, baseline, unit and (for scorecard
    measures) target taken from the finding; ``fields`` set the rest."""
    match = findings_table[findings_table["finding_id"] == finding_id]
    if match.empty:
        raise DashboardDataError(f"ไม่มีข้อค้นพบ «{finding_id}» (no finding {finding_id!r})")
    f = match.iloc[0]
    target = None if pd.isna(f["target"]) else float(f["target"])
    values = {"finding_id": finding_id, "measure_id": f["measure_id"], "baseline": float(f["baseline"]),
              "unit": f["unit"], "target": target}
    values.update(fields)
    return PlanRow(horizon=horizon, **values)


def suggested_rows(findings_table: pd.DataFrame, settings: PlanSettings | None = None) -> list[PlanRow]:
    """One pre-filled 1-year row per top finding (``suggested_rows`` of ``action_plan.yaml``, in
    the order of :func:`findings`): a goal written from the finding, a first action, the owner
    ``action_plan.yaml`` suggests (for a bottleneck owned by providers, the step's dimension too),
    and for scorecard measures the scorecard target. The month, a provider's dimension for a
    measure and the target of a bottleneck or community are left for the group: a starting
    point, not an answer."""
    settings = settings or load_plan_settings()
    rows = []
    for f in findings_table.head(settings.suggested_rows).itertuples(index=False):
        unit = f.unit
        if f.kind == "measure":
            template = settings.goal_higher_th if f.higher_is_better else settings.goal_lower_th
            goal = template.format(name=f.name_th, value=format_value(f.baseline, unit),
                                   target=format_value(f.target, unit))
            entry = settings.measures.get(f.measure_id)
            owner = settings.owner_of_measure(f.measure_id)
            action = entry.action_th if entry else ""
            dimension = None
        elif f.kind == "bottleneck":
            entry = settings.bottleneck[f.step]
            goal = entry.goal_th.format(step=district_dashboard.BOTTLENECK_TH[f.step],
                                        dimension=DIMENSION_TH.get(f.dimension, district_dashboard.ALL_TH),
                                        value=format_value(f.baseline, unit), cases=f"{int(f.cases):,}")
            owner, action = entry.owner, entry.action_th
            dimension = f.dimension if owner == "providers" else None
        else:
            entry = settings.community
            goal = entry.goal_th.format(community=f.community, value=format_value(f.baseline, unit))
            owner, action, dimension = entry.owner, entry.action_th, None
        rows.append(row_for(findings_table, f.finding_id, "1y", goal_th=goal, action_th=action, owner=owner,
                            dimension=dimension))
    return rows


@dataclass
class ActionPlan:
    """A district's draft: its rows and the month of the data it was drafted from."""

    district: str
    month: pd.Period
    rows: list[PlanRow] = field(default_factory=list)

    def __post_init__(self):
        self.month = committee.as_month(self.month)

    def horizon(self, horizon: str) -> list[PlanRow]:
        return [r for r in self.rows if r.horizon == horizon]

    def check(self, findings_table: pd.DataFrame) -> list[str]:
        return check_plan(self.rows, findings_table, month=self.month)

    def table(self) -> pd.DataFrame:
        return plan_table(self.rows)

    def table_th(self) -> pd.DataFrame:
        return plan_table_th(self.rows, month=self.month)

    def markdown(self) -> str:
        return plan_markdown(self.rows, self.district, self.month)


# --------------------------------------------------------------------------------- checking

def _blank(value) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _as_float(value) -> float | None:
    if _blank(value):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def _plan_month(findings_table: pd.DataFrame, month) -> pd.Period:
    if month is None:
        month = findings_table.attrs.get("month")
    if month is None:
        raise DashboardDataError("check_plan needs the data's month: pass month= or the table from findings()")
    return committee.as_month(month)


def _numbered(rows) -> tuple[list[tuple[str, int, PlanRow]], list[str]]:
    """(horizon, number, row) of every row with a known horizon, and messages for the others."""
    counts = dict.fromkeys(HORIZONS, 0)
    out, messages = [], []
    for i, row in enumerate(rows, start=1):
        horizon = str(row.horizon)
        if horizon not in HORIZONS:
            messages.append(f"แถวที่ {i} · {FIELD_TH['horizon']}: «{row.horizon}» ไม่ใช่แผน 1 ปี (1y) "
                            "หรือแผน 5 ปี (5y)")
            continue
        counts[horizon] += 1
        out.append((horizon, row.number or counts[horizon], row))
    return out, messages


def check_plan(rows: list[PlanRow], findings_table: pd.DataFrame, month=None, settings: PlanSettings | None = None,
               spec: committee.ScorecardSpec | None = None) -> list[str]:
    """Every problem of a draft plan, as Thai messages ``แผน 1 ปี แถวที่ 2 · ผู้รับผิดชอบ: ...``
    naming the horizon, the row number and the field. An empty list means the draft is complete.

    ``month`` is the data's month (default: ``findings_table.attrs["month"]``). Checked: the
    horizon; a finding of ``findings_table``; a goal and an action; an owner among the four levels;
    a dimension when the owner is providers; a measure of ``scorecard.yaml``; a baseline and a
    target better than it in the measure's direction (``higher_is_better`` of ``scorecard.yaml``;
    the finding's for bottlenecks and communities: fewer days, a lower rate), a percentage within
    0-100; a 1-year row's month within the ``months_ahead`` months after the data's month; a
    5-year row's year within 1..``years_ahead``; every 5-year row's finding has a 1-year row, and
    its target goes at least as far as that 1-year target; no row repeated; each plan has at least
    one row and at most ``max_rows_per_horizon``.
    """
    settings = settings or load_plan_settings()
    spec = spec or committee.load_scorecard()
    base = _plan_month(findings_table, month)
    window = plan_months(base, settings)
    known = findings_table.set_index("finding_id") if len(findings_table) else None
    measures = {m.id: m for m in spec.measures}
    short = [lv.name_th.split(" (")[0] for lv in load_levels().levels]
    level_names = " ".join(short[:-1]) + f" หรือ{short[-1]}"
    dims = " ".join(DIMENSION_TH[d] for d in DIMENSIONS[:-1]) + f" หรือ{DIMENSION_TH[DIMENSIONS[-1]]}"
    numbered, messages = _numbered(rows)
    first_year = {}  # finding_id -> list of (measure_id, target, higher)
    seen: dict[tuple, int] = {}
    counts = dict.fromkeys(HORIZONS, 0)

    for horizon, number, row in numbered:
        where = f"{HORIZON_SHORT_TH[horizon]} แถวที่ {number}"

        def say(field_name: str, problem: str, where: str = where) -> None:
            messages.append(f"{where} · {FIELD_TH[field_name]}: {problem}")

        counts[horizon] += 1
        if counts[horizon] > settings.max_rows_per_horizon:
            say("rows", f"{HORIZON_SHORT_TH[horizon]}มีได้ไม่เกิน {settings.max_rows_per_horizon} แถว "
                        "ให้รวมหรือตัดแถวนี้ออก")
        finding = None
        if _blank(row.finding_id):
            say("finding_id", "ยังไม่ได้เลือกข้อค้นพบที่แถวนี้ตอบ")
        elif known is None or row.finding_id not in known.index:
            say("finding_id", f"ไม่มีข้อค้นพบ «{row.finding_id}» ในแดชบอร์ดของเขตนี้")
        else:
            finding = known.loc[row.finding_id]
        if _blank(row.goal_th):
            say("goal_th", "ยังว่างอยู่ เขียนว่าอยากเห็นอะไรเปลี่ยนไป")
        if _blank(row.action_th):
            say("action_th", "ยังว่างอยู่ เขียนว่าจะทำอะไร")
        owner = "" if _blank(row.owner) else str(row.owner)
        if not owner:
            say("owner", f"ยังไม่ได้เลือกระดับที่รับผิดชอบ: {level_names}")
        elif owner not in LEVEL_IDS:
            say("owner", f"«{owner}» ไม่ใช่ระดับใดใน 4 ระดับ ({', '.join(LEVEL_IDS)}): {level_names}")
        if not _blank(row.dimension) and row.dimension not in DIMENSIONS:
            say("dimension", f"«{row.dimension}» ไม่ใช่มิติ ({', '.join(DIMENSIONS)}): {dims}")
        elif owner == "providers" and _blank(row.dimension):
            say("dimension", f"เมื่อผู้รับผิดชอบเป็นผู้ให้บริการ ต้องเลือกมิติ: {dims}")

        measure = None
        if not _blank(row.measure_id):
            measure = measures.get(str(row.measure_id))
            if measure is None:
                say("measure_id", f"ไม่มีตัวชี้วัด «{row.measure_id}» ใน scorecard.yaml")
        if measure is not None:
            higher = measure.higher_is_better
        elif finding is not None:
            higher = bool(finding["higher_is_better"])
        else:
            higher = None
        unit = row.unit or (finding["unit"] if finding is not None else "")
        baseline, target = _as_float(row.baseline), _as_float(row.target)
        if baseline is None:
            say("baseline", "ไม่มีค่าตั้งต้น ให้เลือกข้อค้นพบใหม่เพื่อนำค่าจากแดชบอร์ดมาใส่")
        if target is None:
            say("target", "ยังไม่ได้ใส่ค่าเป้าหมาย")
        elif target < 0:
            say("target", f"ค่าเป้าหมาย {_number(target)} ติดลบไม่ได้")
        elif unit == UNIT_PERCENT and target > 100:
            say("target", f"ค่าเป้าหมายเป็นร้อยละ ต้องอยู่ระหว่าง 0 ถึง 100 ไม่ใช่ {_number(target)}")
        elif baseline is not None and higher is not None:
            margin = round(target - baseline if higher else baseline - target, 6)
            if margin <= 0:
                better = "สูงกว่า" if higher else "ต่ำกว่า"
                way = "ยิ่งสูงยิ่งดี" if higher else "ยิ่งต่ำยิ่งดี"
                say("target", f"เป้า {format_value(target, unit)} ต้อง{better}ค่าตั้งต้น "
                              f"{format_value(baseline, unit)} (ตัวชี้วัดนี้{way})")

        if horizon == "1y":
            if _blank(row.month):
                say("month", f"ยังไม่ได้เลือกเดือน ({thai_month(window[0])} ถึง {thai_month(window[-1])})")
            else:
                try:
                    when = committee.as_month(row.month)
                except (DashboardDataError, ValueError):
                    when = None
                    say("month", f"«{row.month}» ไม่ใช่เดือน (เช่น {window[0]})")
                if when is not None and when not in window:
                    say("month", f"{thai_month(when)} อยู่นอก {settings.months_ahead} เดือนข้างหน้า "
                                 f"({thai_month(window[0])} ถึง {thai_month(window[-1])})")
            if not _blank(row.finding_id) and target is not None:
                first_year.setdefault(str(row.finding_id), []).append((row.measure_id, target, higher))
            elif not _blank(row.finding_id):
                first_year.setdefault(str(row.finding_id), [])
        else:
            year = row.year
            span = (f"ปีที่ 1 ถึง {settings.years_ahead} คือ พ.ศ. {year_be(1, base)}–"
                    f"{year_be(settings.years_ahead, base)}")
            if _blank(year) or year == 0:
                say("year", f"ยังไม่ได้เลือกปี ({span})")
            elif not isinstance(year, (int, np.integer)) or not 1 <= int(year) <= settings.years_ahead:
                say("year", f"ปีที่ {year} อยู่นอกแผน {settings.years_ahead} ปี ({span})")

        key = (horizon, str(row.finding_id).strip(), str(row.goal_th).strip(), str(row.action_th).strip())
        if not _blank(row.finding_id) and key in seen:
            say("finding_id", f"ซ้ำกับ{HORIZON_SHORT_TH[horizon]} แถวที่ {seen[key]} ให้รวมเป็นแถวเดียว")
        seen.setdefault(key, number)

    for horizon, number, row in numbered:
        if horizon != "5y" or _blank(row.finding_id) or (known is not None and row.finding_id not in known.index):
            continue
        where = f"{HORIZON_SHORT_TH['5y']} แถวที่ {number} · "
        earlier = first_year.get(str(row.finding_id))
        if earlier is None:
            messages.append(where + f"{FIELD_TH['finding_id']}: ยังไม่มีแผน 1 ปีของข้อค้นพบนี้ "
                                    "แผน 5 ปีต่อยอดจากสิ่งที่เริ่มทำในปีแรก")
            continue
        target = _as_float(row.target)
        same = [(t, h) for m, t, h in earlier if m == row.measure_id and h is not None]
        if target is None or not same:
            continue
        higher = same[0][1]
        best = max(t for t, _ in same) if higher else min(t for t, _ in same)
        if (target < best) if higher else (target > best):
            unit = row.unit
            messages.append(where + f"{FIELD_TH['target']}: เป้า 5 ปี {format_value(target, unit)} ไปไม่ถึงเป้า 1 ปี "
                                    f"{format_value(best, unit)} ของข้อค้นพบเดียวกัน แผน 5 ปีควรไปไกลกว่าปีแรก")

    for horizon in HORIZONS:
        if counts[horizon] == 0:
            messages.append(f"{HORIZON_TH[horizon]} · {FIELD_TH['rows']}: ยังไม่มีแถว "
                            "เลือกข้อค้นพบอย่างน้อยหนึ่งข้อแล้วเขียนเป้าหมายและสิ่งที่จะทำ")
    return messages


# ----------------------------------------------------------------------------------- showing

def plan_table(rows: list[PlanRow]) -> pd.DataFrame:
    """The rows as a table, 1-year rows first: ``horizon``, ``number``, ``finding_id``,
    ``goal_th``, ``action_th``, ``owner``, ``dimension``, ``measure_id``, ``baseline``,
    ``target``, ``unit``, ``month`` (Period, 1-year rows) and ``year`` (5-year rows)."""
    numbered, _ = _numbered(rows)
    records = []
    for horizon, number, row in numbered:
        try:
            month = committee.as_month(row.month) if horizon == "1y" and not _blank(row.month) else None
        except (DashboardDataError, ValueError):
            month = None
        records.append({
            "horizon": horizon, "number": int(number), "finding_id": row.finding_id, "goal_th": row.goal_th,
            "action_th": row.action_th, "owner": row.owner or None,
            "dimension": None if _blank(row.dimension) else row.dimension,
            "measure_id": None if _blank(row.measure_id) else row.measure_id,
            "baseline": _as_float(row.baseline), "target": _as_float(row.target), "unit": row.unit,
            "month": month, "year": None if horizon == "1y" or _blank(row.year) else int(row.year),
        })
    columns = ["horizon", "number", "finding_id", "goal_th", "action_th", "owner", "dimension", "measure_id",
               "baseline", "target", "unit", "month", "year"]
    out = pd.DataFrame.from_records(records, columns=columns)
    out["baseline"] = out["baseline"].astype(float)
    out["target"] = out["target"].astype(float)
    order = out["horizon"].map({h: i for i, h in enumerate(HORIZONS)})
    return out.assign(_o=order).sort_values(["_o", "number"], kind="stable").drop(columns="_o").reset_index(drop=True)


def plan_table_th(rows: list[PlanRow], month=None, spec: committee.ScorecardSpec | None = None) -> pd.DataFrame:
    """The plan with Thai headers: plan (1 ปี / 5 ปี), number, goal, action, owner (the level's
    Thai name, with the dimension for providers), measure (its Thai name in the scorecard),
    baseline and target with their unit, and when (a Thai month, or ``ปีที่ 2 (พ.ศ. 2570)`` when
    the data's ``month`` is given)."""
    table = plan_table(rows)
    spec = spec or committee.load_scorecard()
    settings = load_settings()
    names = {m.id: m.display_name(settings) for m in spec.measures}
    levels = {lv.id: lv.name_th for lv in load_levels().levels}

    def owner_th(owner, dimension) -> str:
        if owner is None:
            return ""
        text = levels.get(owner, owner)
        if owner == "providers" and dimension in DIMENSION_TH:
            return f"ผู้ให้บริการมิติ{DIMENSION_TH[dimension]}"
        return text

    def when_th(r) -> str:
        if r.horizon == "1y":
            return thai_month(r.month) if r.month is not None else ""
        return year_label_th(int(r.year), month) if not pd.isna(r.year) else ""

    shown = pd.DataFrame({
        "horizon": table["horizon"].map({"1y": "1 ปี", "5y": "5 ปี"}),
        "number": table["number"],
        "goal_th": table["goal_th"],
        "action_th": table["action_th"],
        "owner": [owner_th(o, d) for o, d in zip(table["owner"], table["dimension"])],
        "measure_id": ["" if _blank(m) else names.get(m, m) for m in table["measure_id"]],
        "baseline": [format_value(v, u) for v, u in zip(table["baseline"], table["unit"])],
        "target": [format_value(v, u) for v, u in zip(table["target"], table["unit"])],
        "when": [when_th(r) for r in table.itertuples(index=False)],
    })
    return thai_view(shown, PLAN_TH)


def _cell(value) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ").strip()


def _markdown_table(table: pd.DataFrame) -> str:
    if table.empty:
        return "_ยังไม่มีแถวในแผนนี้_"
    lines = ["| " + " | ".join(_cell(c) for c in table.columns) + " |",
             "|" + "---|" * len(table.columns)]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in table.itertuples(index=False)]
    return "\n".join(lines)


def plan_markdown(rows: list[PlanRow], district: str, month, settings: PlanSettings | None = None) -> str:
    """A printable plan (Markdown): a title with the district and the Thai month of the data, the
    1-year table, the 5-year table and the note that the numbers come from synthetic data."""
    settings = settings or load_plan_settings()
    month = committee.as_month(month)
    window = plan_months(month, settings)
    table = plan_table_th(rows, month=month)
    horizon = PLAN_TH["horizon"]
    one = table[table[horizon] == "1 ปี"].drop(columns=horizon).rename(columns={PLAN_TH["when"]: "เดือน"})
    five = table[table[horizon] == "5 ปี"].drop(columns=horizon).rename(columns={PLAN_TH["when"]: "ปี"})
    first, last = year_be(1, month), year_be(settings.years_ahead, month)
    return "\n".join([
        f"# แผนปฏิบัติการ 1 ปี และร่างแผน 5 ปี {_district_th(district)} จากข้อมูลเดือน {thai_month(month)}",
        "",
        f"ร่างจากแดชบอร์ดของเขตเดือน{thai_month(month, long=True)}: ข้อค้นพบของตารางคะแนน คอขวด และชุมชนเทียบกัน",
        "",
        f"## {HORIZON_TH['1y']} ({thai_month(window[0])} ถึง {thai_month(window[-1])})",
        "",
        _markdown_table(one),
        "",
        f"## {HORIZON_TH['5y']} (พ.ศ. {first}–{last})",
        "",
        _markdown_table(five),
        "",
        f"หมายเหตุ: ตัวเลข{DATA_NOTE_TH}",
        "",
    ])


__all__ = [
    "BOTTLENECK_ID",
    "COMMUNITY_ID",
    "FIELD_TH",
    "HORIZONS",
    "HORIZON_TH",
    "ActionPlan",
    "PlanRow",
    "PlanSettings",
    "check_plan",
    "default_month",
    "findings",
    "findings_th",
    "format_value",
    "load_plan_settings",
    "plan_markdown",
    "plan_months",
    "plan_table",
    "plan_table_th",
    "row_for",
    "suggested_rows",
    "year_be",
    "year_label_th",
]
