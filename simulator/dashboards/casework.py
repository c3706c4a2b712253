"""Case work as the community and provider dashboards count it: one set of definitions.

Both levels read the same events table and must agree on what a word means, so the words are
defined once, here, and quoted by the trainer chapter:

**Recorded event**
    A row of ``events`` dated on or before the data's date (``as_of``), other than ``onset``.
    ``onset`` is the day a problem began: the simulator knows it, nobody recorded it at the
    time. The network learns of a problem when someone notices it (``noticed``).
**Latest event**
    The recorded event with the latest date; among events of the same day, the one latest in
    the order of event kinds of the data schema (``notified`` before ``acknowledged``, an
    appointment before ``goal_met`` ...).
**Known case**
    A case with at least one recorded event.
**Stage of a case**
    The ``stage`` of its latest event. Families without a case, and cases not yet known, have
    stage ``none``.
**Status of a case** (like ``cases.outcome``, but worked out from the recorded events alone,
so that it is right on any day, also in :meth:`DashboardData.upto`). The first rule that fits:

    1. ``not_noticed``: no recorded event yet;
    2. ``awaiting_plan``: no ``plan_meeting`` yet;
    3. ``separated``: a ``separated`` event (the child is in a temporary shelter);
    4. ``refused``: a ``refused`` event;
    5. ``unable``: no ``service_started`` yet, and the parent's latest answer to the plan is
       ``agreed_but_unable``;
    6. ``awaiting_consent``: no ``service_started`` yet (also when the consent is signed and
       the first service is still ahead);
    7. ``goals_met``: a ``goal_met`` in every dimension that has a ``goal_set``;
    8. ``partly_met``: a ``goal_met`` in at least one dimension;
    9. ``in_service``: otherwise (a service started, no goal met yet).

    It equals ``cases.outcome`` on the last day of the simulation, except that ``unable``
    shows as soon as the latest answer is "agreed but unable", while ``cases.outcome`` waits
    until the last round of explaining.
**Open case**
    A known case whose plan's goals are not all met: no ``goal_set`` yet, or a dimension with a
    ``goal_set`` and no ``goal_met``. Refusal, inability and separation do not close a case:
    the child is still under threat and the volunteer keeps visiting. (A separated child whose
    goals are all met keeps the status ``separated`` but is no longer open.)
**Community contact**
    A recorded event whose ``actor_role`` is one of ``community_roles`` of
    ``dashboard_levels.yaml`` (volunteer, community leader, public-health volunteer).
**Contact in a dimension**
    A recorded event in that dimension whose ``actor_role`` is not one of ``family_roles``
    (so a missed appointment, recorded with the parent as actor, is not a contact).
**Notification and its acknowledgement**
    Each ``notified`` event of a case and dimension is answered by the first ``acknowledged``
    event of the same case and dimension on or after it. It is due within
    ``acknowledge_within_days`` of ``dashboards.yaml`` (by the case's level): the due date is
    the notification date plus that many days, and an acknowledgement after the due date is
    late. A notification not yet acknowledged is overdue once the data's date is past its due
    date.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, model_validator

from simulator.model.config import DIMENSIONS, read_yaml_model
from simulator.model.timelines import EVENTS
from simulator.thai.vocabulary import OUTCOME_TH

from .tables import DashboardData, DashboardDataError, member_of

LEVELS_FILE = Path(__file__).resolve().parent.parent / "data" / "dashboard_levels.yaml"
STATUSES = ("no_case", "not_noticed", "awaiting_plan", "separated", "refused", "unable", "awaiting_consent",
            "goals_met", "partly_met", "in_service")
STATUS_TH = {"no_case": "ไม่มีกรณี", **OUTCOME_TH}
NO_STAGE = "none"
NO_STAGE_TH = "ยังไม่มีบันทึก"
ANSWERS = ("agreed", "disagreed", "agreed_but_unable")
EVENT_ORDER = {name: order for name, (_, order) in EVENTS.items()}
UNKNOWN_ORDER = 99  # event kinds the schema does not list sort after the known ones of their day
_EVENT_COLUMNS = ["case_id", "family_id", "date", "stage", "dimension", "actor_role", "event"]


class LevelSettings(BaseModel):
    """``dashboard_levels.yaml``: who counts as whom, and when a follow-up shows as due."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    version: int = Field(ge=1, le=1)
    community_roles: list[str] = Field(min_length=1)
    family_roles: list[str] = Field(min_length=1)
    follow_up_due_soon_days: int = Field(ge=0, le=365)

    @model_validator(mode="after")
    def _roles_apart(self):
        both = sorted(set(self.community_roles) & set(self.family_roles))
        if both:
            raise ValueError(f"community_roles and family_roles share {both}")
        return self


def load_level_settings(folder: Path | str | None = None) -> LevelSettings:
    """Read ``dashboard_levels.yaml`` from ``folder`` (the kit's data folder when not given)."""
    path = LEVELS_FILE if folder is None else Path(folder) / "dashboard_levels.yaml"
    return read_yaml_model(path, LevelSettings)


def check_dimension(dimension: str) -> None:
    if dimension not in DIMENSIONS:
        raise DashboardDataError(f"ไม่รู้จักมิติ {dimension!r} มิติมี {', '.join(DIMENSIONS)} "
                                 f"(unknown dimension)")


def households_of(data: DashboardData, community: str | None = None, district: str | None = None) -> pd.DataFrame:
    """The households of ``district`` and ``community`` (both optional); a Thai error for a name the data lacks.

    Community names repeat across districts, so a community found in more than one district
    needs its district.
    """
    hh = data.households
    if district is not None:
        hh = hh[hh["district"].astype(str) == district]
        if hh.empty:
            raise DashboardDataError(f"ไม่มีครัวเรือนในเขต {district!r} (no household in district {district!r})")
    if community is not None:
        hh = hh[hh["community"].astype(str) == community]
        if hh.empty:
            where = f"ในเขต {district} " if district is not None else ""
            raise DashboardDataError(f"ไม่มีครัวเรือนใน{community} {where}(no household in community {community!r})")
        districts = sorted(hh["district"].astype(str).unique())
        if len(districts) > 1:
            raise DashboardDataError(f"มี{community}ในหลายเขต ({', '.join(districts)}) กรุณาระบุเขต "
                                     f"(community {community!r} is in {len(districts)} districts; give district=)")
    return hh


def _lookup(values: pd.Series, mapping: dict, default) -> np.ndarray:
    """``mapping[v]`` for each value (``default`` for others), fast on categoricals."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        table = np.array([mapping.get(c, default) for c in values.cat.categories] + [default])
        codes = values.cat.codes.to_numpy()
        return table[np.where(codes < 0, len(table) - 1, codes)]
    return values.map(lambda v: mapping.get(v, default)).to_numpy()


def day_number(dates) -> np.ndarray:
    """Days since 1970-01-01 of each date (int64)."""
    return np.asarray(dates, dtype="datetime64[D]").astype(np.int64)


def recorded_events(data: DashboardData, families=None) -> pd.DataFrame:
    """The recorded events (see the module's definitions), of ``families`` when given.

    Adds ``key``: an int64 that orders events as "latest event" means (date, then event kind),
    and makes ``dimension`` an object column (missing for whole-plan events).
    """
    ev = data.events
    keep = (ev["date"] <= data.as_of) & (ev["event"] != "onset")
    if families is not None:
        keep &= member_of(ev["family_id"], families)
    ev = ev.loc[keep.to_numpy(), _EVENT_COLUMNS]
    key = day_number(ev["date"]) * 128 + _lookup(ev["event"], EVENT_ORDER, UNKNOWN_ORDER).astype(np.int64)
    dim = ev["dimension"].astype(object)
    return ev.assign(key=key, dimension=dim.where(dim.notna(), None))


def latest(events: pd.DataFrame, by) -> pd.DataFrame:
    """The latest event (largest ``key``) of each group of ``by``, indexed by ``by``."""
    ordered = events.sort_values("key", kind="stable")
    return ordered.drop_duplicates(by, keep="last").set_index(by)


def case_states(data: DashboardData, families=None, levels: LevelSettings | None = None) -> pd.DataFrame:
    """One row per case of ``families`` (all cases when not given): where it stands on ``as_of``.

    Columns: ``case_id``, ``family_id``, ``case_level``, ``dimensions``, ``known``,
    ``first_recorded_date``, ``last_event``, ``last_event_date``, ``stage``, ``status``,
    ``open`` and ``last_community_contact`` (latest community contact; missing if none).
    """
    levels = levels or load_level_settings()
    cases = data.cases
    if families is not None:
        cases = cases[member_of(cases["family_id"], families)]
    cases = cases[["case_id", "family_id", "case_level", "dimensions"]].reset_index(drop=True)
    ev = recorded_events(data, cases["family_id"])
    ev = ev[member_of(ev["case_id"], cases["case_id"])]
    ids = cases["case_id"]

    last = latest(ev, "case_id")
    first = ev.groupby("case_id", sort=False)["date"].min()
    kind = ev["event"].astype(str)
    counts = ev.groupby(["case_id", kind], sort=False).size().unstack(fill_value=0)

    def count(event: str) -> np.ndarray:
        if event not in counts.columns:
            return np.zeros(len(ids), dtype=np.int64)
        return counts[event].reindex(ids, fill_value=0).to_numpy()

    def dims_with(event: str) -> np.ndarray:
        hit = ev[(kind == event).to_numpy()]
        return hit.groupby("case_id", sort=False)["dimension"].nunique().reindex(ids, fill_value=0).to_numpy()

    answers = ev[kind.isin(ANSWERS).to_numpy()]
    last_answer = latest(answers, "case_id")["event"].astype(str).reindex(ids).to_numpy()
    community = ev[ev["actor_role"].isin(levels.community_roles).to_numpy()]
    contact = community.groupby("case_id", sort=False)["date"].max().reindex(ids)

    known = ids.isin(first.index).to_numpy()
    set_dims, met_dims = dims_with("goal_set"), dims_with("goal_met")
    started = count("service_started") > 0
    status = np.select(
        [~known, count("plan_meeting") == 0, count("separated") > 0, count("refused") > 0,
         ~started & (last_answer == "agreed_but_unable"), ~started,
         (met_dims >= set_dims) & (set_dims > 0), met_dims > 0],
        ["not_noticed", "awaiting_plan", "separated", "refused", "unable", "awaiting_consent",
         "goals_met", "partly_met"],
        default="in_service",
    )
    out = cases.assign(
        case_level=cases["case_level"].astype(str),
        dimensions=cases["dimensions"].astype(str),
        known=known,
        first_recorded_date=first.reindex(ids).to_numpy(),
        last_event=last["event"].astype(str).reindex(ids).to_numpy(),
        last_event_date=last["date"].reindex(ids).to_numpy(),
        stage=last["stage"].astype(str).reindex(ids).fillna(NO_STAGE).to_numpy(),
        status=status,
        last_community_contact=contact.to_numpy(),
    )
    out["open"] = known & ~((met_dims >= set_dims) & (set_dims > 0))
    return out


def days_between(later, earlier) -> pd.arrays.IntegerArray:
    """Whole days from ``earlier`` to ``later``, element by element (missing where either is)."""
    diff = np.asarray(later, dtype="datetime64[D]") - np.asarray(earlier, dtype="datetime64[D]")
    missing = np.isnat(diff)
    return pd.arrays.IntegerArray(np.where(missing, 0, diff.astype(np.int64)), missing)


def add_days(dates, days) -> np.ndarray:
    """``dates`` plus ``days``, element by element, as datetime64[s] (NaT where either is missing)."""
    dates = np.asarray(dates, dtype="datetime64[s]")
    days = np.asarray(pd.array(days, dtype="Float64").to_numpy(dtype=float, na_value=np.nan))
    missing = np.isnan(days) | np.isnat(dates)
    shifted = dates + np.where(missing, 0, days).astype(np.int64).astype("timedelta64[D]")
    return np.where(missing, np.datetime64("NaT"), shifted).astype("datetime64[s]")


def days_by_level(levels: pd.Series, setting) -> np.ndarray:
    """The :class:`ByCaseLevel` ``setting`` for each case level (NaN for levels it lacks)."""
    mapping = {name: float(setting.of(name)) for name in type(setting).model_fields}
    return pd.Series(levels, dtype=object).astype(str).map(mapping).to_numpy(dtype=float, na_value=np.nan)


def notifications(data: DashboardData, families=None, dimension: str | None = None,
                  events: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every notification (``notified`` event) of ``families`` and ``dimension``, and its acknowledgement.

    Columns: ``case_id``, ``family_id``, ``case_level``, ``dimension``, ``notified_date``,
    ``due_date`` (notified + ``acknowledge_within_days`` of the case's level),
    ``acknowledged`` (bool), ``acknowledged_date``, ``days_waited`` (to the acknowledgement,
    or to ``as_of`` while waiting), ``days_late`` (days past the due date, on the day of the
    acknowledgement or, while waiting, on ``as_of``; 0 when not past), ``overdue`` (not
    acknowledged and ``as_of`` past the due date) and ``answer``: ``on_time``, ``late``
    (acknowledged after the due date), ``waiting`` (not yet acknowledged, not yet due) or
    ``overdue``. Sorted by notification date, then case and dimension. ``events``: the
    :func:`recorded_events` of ``families`` when the caller has them already.
    """
    ev = recorded_events(data, families) if events is None else events
    if dimension is not None:
        check_dimension(dimension)
        ev = ev[(ev["dimension"] == dimension).to_numpy()]
    kind = ev["event"].astype(str)
    cols = ["case_id", "family_id", "dimension", "date"]
    sent = ev.loc[(kind == "notified").to_numpy(), cols].rename(columns={"date": "notified_date"})
    acks = ev.loc[(kind == "acknowledged").to_numpy(), ["case_id", "dimension", "date"]]
    acks = acks.rename(columns={"date": "acknowledged_date"})
    for table in (sent, acks):
        table["case_id"] = table["case_id"].astype(object)
        table["dimension"] = table["dimension"].astype(object)
    sent = sent.sort_values("notified_date", kind="stable")
    acks = acks.sort_values("acknowledged_date", kind="stable")
    if len(sent):
        out = pd.merge_asof(sent, acks, left_on="notified_date", right_on="acknowledged_date",
                            by=["case_id", "dimension"], direction="forward")
    else:
        out = sent.assign(acknowledged_date=pd.Series(dtype="datetime64[s]"))
    level = out["case_id"].map(data.cases.set_index("case_id")["case_level"].astype(str))
    out.insert(2, "case_level", level.astype(object))
    out["due_date"] = add_days(out["notified_date"], days_by_level(out["case_level"],
                                                                   data.settings.acknowledge_within_days))
    out["acknowledged"] = out["acknowledged_date"].notna()
    answered_or_now = out["acknowledged_date"].fillna(data.as_of)
    out["days_waited"] = days_between(answered_or_now, out["notified_date"])
    out["days_late"] = pd.Series(days_between(answered_or_now, out["due_date"]), index=out.index).clip(lower=0)
    past_due = (answered_or_now > out["due_date"]).to_numpy()
    out["overdue"] = ~out["acknowledged"].to_numpy() & past_due
    out["answer"] = np.select([out["acknowledged"] & past_due, out["acknowledged"], out["overdue"]],
                              ["late", "on_time", "overdue"], default="waiting")
    out = out[["case_id", "family_id", "case_level", "dimension", "notified_date", "due_date", "acknowledged",
               "acknowledged_date", "days_waited", "days_late", "overdue", "answer"]]
    return out.sort_values(["notified_date", "case_id", "dimension"], kind="stable").reset_index(drop=True)


ANSWER_TH = {"on_time": "รับเรื่องตามกำหนด", "late": "รับเรื่องช้ากว่ากำหนด", "waiting": "รอรับเรื่อง",
             "overdue": "ยังไม่รับเรื่อง เลยกำหนด"}

__all__ = ["ANSWER_TH", "LEVELS_FILE", "NO_STAGE", "NO_STAGE_TH", "STATUSES", "STATUS_TH",
           "LevelSettings", "add_days", "case_states", "check_dimension", "day_number", "days_between",
           "days_by_level", "households_of", "latest", "load_level_settings", "notifications", "recorded_events"]
