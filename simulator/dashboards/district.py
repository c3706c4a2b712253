"""District level: where the district's journeys of services stall.

District staff (the district committee's secretary, the district's child-protection
officers) read these tables and figures for their own district, or for every district at
once to compare (``district=None``). Every function takes only a
:class:`~simulator.dashboards.tables.DashboardData` and returns a DataFrame with English
snake_case columns; :data:`HEADERS_TH` and :func:`view_th` give the Thai headers a person
reads. Staff see identified rows of their own area, so nothing here is suppressed.

How the steps are read from the tables (all "by ``as_of``": a date after ``as_of`` counts
as not yet happened, so :meth:`DashboardData.upto` and these functions agree):

=================  ==========================================================================
step               a case reached it when
=================  ==========================================================================
onset              it is in the cases table with ``onset_date`` (every case)
noticed            ``noticed_date`` is set
notified           ``first_notified_date`` is set
acknowledged       an ``acknowledged`` event (any dimension) is in the events table
plan               ``plan_date`` is set
consent            ``consent_date`` is set
in_service         ``service_start_date`` is set
goal_met_any       a ``goal_met`` event in at least one dimension
all_goals_met      ``goal_met`` events in as many dimensions as ``goals_planned``
=================  ==========================================================================

Goals met are counted from the events, not from the cases table's ``goals_met``, because
the events are what ``upto`` cuts at an earlier day. Each dimension's provider (the one
who acknowledges, sets the goal and starts the service) is the role in the data schema:
social_worker, teacher, nurse, district_officer.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd
from matplotlib.ticker import MaxNLocator, StrMethodFormatter

from simulator.dashboards.charts import COLOURS, LEVEL_COLOURS, finish, new_figure
from simulator.dashboards.tables import (
    CASE_LEVELS,
    DashboardData,
    DashboardDataError,
    Selection,
    per_10000,
    thai_view,
)
from simulator.model.config import DIMENSIONS
from simulator.model.timelines import PROVIDER_ROLE
from simulator.thai.dates import thai_date
from simulator.thai.vocabulary import CASE_LEVEL_TH, DIMENSION_TH, EVENT_TH

FUNNEL_STEPS = ("onset", "noticed", "notified", "acknowledged", "plan", "consent", "in_service",
                "goal_met_any", "all_goals_met")
STEP_TH = {
    "onset": "เริ่มมีปัญหา (ทุกกรณี)",
    "noticed": EVENT_TH["noticed"],
    "notified": EVENT_TH["notified"],
    "acknowledged": EVENT_TH["acknowledged"],
    "plan": EVENT_TH["plan_meeting"],
    "consent": EVENT_TH["consent_signed"],
    "in_service": EVENT_TH["service_started"],
    "goal_met_any": "บรรลุเป้าหมายอย่างน้อย 1 มิติ",
    "all_goals_met": "บรรลุเป้าหมายทุกมิติ",
}
# Steps timed from the day the problem was noticed: the cases-table column of each.
TIMED_STEPS = {"notified": "first_notified_date", "plan": "plan_date", "consent": "consent_date",
               "in_service": "service_start_date"}
# The steps someone is responsible for, in journey order (bottlenecks).
BOTTLENECK_STEPS = ("acknowledgement", "plan_meeting", "consent", "service_start")
BOTTLENECK_TH = {
    "acknowledgement": "รับเรื่อง (Acknowledgement)",
    "plan_meeting": "ประชุมวางแผน (Plan meeting)",
    "consent": "ลงนามยินยอม (Consent)",
    "service_start": "เริ่มรับบริการ (Service start)",
}
ALL = "all"
ALL_TH = "ทุกมิติ"
CITY_TH = "ทั้งกรุงเทพฯ"

HEADERS_TH: dict[str, dict[str, str]] = {
    "stage_funnel": {
        "step_th": "ขั้น (step)", "cases": "จำนวนกรณี", "share_of_previous": "สัดส่วนจากขั้นก่อน",
        "share_of_all": "สัดส่วนจากทุกกรณี", "stopped_here": "หยุดที่ขั้นนี้",
        "passed_without_record": "ผ่านโดยไม่มีบันทึกขั้นนี้",
    },
    "time_to_steps": {
        "step_th": "ขั้น (step)", "noticed": "กรณีที่พบปัญหาในช่วง", "reached": "ถึงขั้นนี้แล้ว",
        "not_yet": "ยังไม่ถึง", "median_days": "มัธยฐาน (วัน)", "p75_days": "เปอร์เซ็นไทล์ที่ 75 (วัน)",
        "waiting_median_days": "ที่ยังไม่ถึง รอมาแล้ว มัธยฐาน (วัน)",
    },
    "goals_met_within": {
        "dimension_th": "มิติ", "goals_planned": "เป้าหมายในแผน", "service_started": "เริ่มรับบริการแล้ว",
        "window_ended": "ครบกำหนดแล้ว", "met_within": "บรรลุภายในกำหนด", "share_met": "สัดส่วนที่บรรลุ",
        "young_excluded": "ยังไม่ครบกำหนด (ไม่นับ)", "not_started": "ยังไม่เริ่มรับบริการ",
    },
    "bottlenecks": {
        "step_th": "ขั้น (step)", "dimension_th": "มิติ", "actor_th": "ผู้รับผิดชอบ", "waiting": "กรณีที่รออยู่",
        "waiting_median_days": "รอมาแล้ว มัธยฐาน (วัน)", "waiting_case_days": "วันรอรวม (กรณี-วัน)",
        "passed": "กรณีที่ผ่านขั้นนี้แล้ว", "passed_median_days": "ใช้เวลา มัธยฐาน (วัน)",
    },
    "communities_compared": {
        "community": "ชุมชน", "families": "ครัวเรือน", "children": "เด็ก", "cases": "กรณีที่พบแล้ว",
        "emergency": CASE_LEVEL_TH["emergency"], "complex": CASE_LEVEL_TH["complex"],
        "per_10000": "กรณีต่อเด็ก 10,000 คน", "with_plan_share": "สัดส่วนที่มีแผน",
        "median_days_to_service": "พบปัญหาถึงเริ่มรับบริการ มัธยฐาน (วัน)",
        "goals_met_share": "สัดส่วนเป้าหมายที่บรรลุภายในกำหนด",
    },
}


def view_th(kind: str, table: pd.DataFrame) -> pd.DataFrame:
    """``table`` (the result of the function named ``kind``) with Thai headers, for display."""
    if kind not in HEADERS_TH:
        raise DashboardDataError(f"ไม่มีตาราง «{kind}» (unknown table {kind!r}); มี {', '.join(HEADERS_TH)}")
    return thai_view(table, HEADERS_TH[kind])


# --------------------------------------------------------------------------- reading the tables


def _scope(data: DashboardData, district: str | None) -> DashboardData:
    """The data of one district (all of it when ``district`` is None)."""
    if district is None:
        return data
    known = sorted(data.households["district"].astype(str).unique())
    if district not in known:
        raise DashboardDataError(f"ไม่พบเขต «{district}» ในข้อมูล (unknown district {district!r}); "
                                 f"เขตที่มี: {', '.join(known)}")
    return Selection(district=district).apply(data)


def _known(dates: pd.Series, as_of: pd.Timestamp) -> pd.Series:
    """Dates on or before ``as_of``; later ones (not yet happened) become NaT."""
    return dates.where(dates <= as_of)


def _days(later: pd.Series, earlier) -> pd.Series:
    return (later - earlier).dt.days.astype(float)


def _cases(data: DashboardData) -> pd.DataFrame:
    """One row per case with its family's district and community and each step's date (or NaT)."""
    c = data.cases
    keep = ["case_id", "family_id", "case_level", "goals_planned", "onset_date", *TIMED_STEPS.values(),
            "noticed_date"]
    out = c[list(dict.fromkeys(keep))].copy()
    out = out[out["onset_date"].notna() & (out["onset_date"] <= data.as_of)]
    for col in ("noticed_date", *TIMED_STEPS.values()):
        out[col] = _known(out[col], data.as_of)
    place = data.households[["family_id", "district", "community"]]
    out = out.merge(place, on="family_id", how="left", validate="many_to_one")
    return out.set_index("case_id")


def _events(data: DashboardData) -> pd.DataFrame:
    ev = data.events
    return ev[ev["date"] <= data.as_of]


def _per_dimension(data: DashboardData) -> pd.DataFrame:
    """First date of each dimension's notified, acknowledged, goal_set, service_started and
    goal_met event, one row per (case_id, dimension) that has any of them."""
    kinds = ["notified", "acknowledged", "goal_set", "service_started", "goal_met"]
    ev = _events(data)
    ev = ev[ev["event"].isin(kinds) & ev["dimension"].notna()]
    first = (ev.groupby([ev["case_id"].astype(str), ev["dimension"].astype(str), ev["event"].astype(str)])["date"]
             .min().unstack("event"))
    first = first.reindex(columns=kinds)
    first.index.names = ["case_id", "dimension"]
    return first.astype("datetime64[s]")


def _whole_plan(data: DashboardData, kinds: list[str]) -> pd.DataFrame:
    """First date of each whole-plan event kind per case (columns ``kinds``)."""
    ev = _events(data)
    ev = ev[ev["event"].isin(kinds)]
    first = ev.groupby([ev["case_id"].astype(str), ev["event"].astype(str)])["date"].min().unstack("event")
    return first.reindex(columns=kinds).astype("datetime64[s]")


def _window_end(start: pd.Series, months: int) -> pd.Series:
    return start + pd.DateOffset(months=months)


def _goal_windows(data: DashboardData, months: int) -> pd.DataFrame:
    """Every planned goal (case_id, dimension) with whether its service started, its window
    (service start + ``months`` calendar months) ended by ``as_of``, and it was met inside it."""
    pdim = _per_dimension(data)
    goals = pdim[pdim["goal_set"].notna() | pdim["service_started"].notna()].copy()
    started = goals["service_started"]
    end = _window_end(started, months)
    goals["started"] = started.notna()
    goals["window_ended"] = goals["started"] & (end <= data.as_of)
    goals["met_within"] = goals["window_ended"] & goals["goal_met"].notna() & (goals["goal_met"] <= end)
    return goals


def _settings_months(data: DashboardData, months: int | None) -> int:
    months = data.settings.goal_window_months if months is None else months
    if not isinstance(months, (int, np.integer)) or months < 1:
        raise DashboardDataError(f"จำนวนเดือนต้องเป็นจำนวนเต็มตั้งแต่ 1 ขึ้นไป (months must be a whole number >= 1, "
                                 f"not {months!r})")
    return int(months)


def _share(part, whole):
    part = np.asarray(part, dtype=float)
    whole = np.asarray(whole, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(whole > 0, part / whole, np.nan)


# --------------------------------------------------------------------------- 1. stage funnel


def stage_funnel(data: DashboardData, district: str | None = None) -> pd.DataFrame:
    """How many cases reached each step of the journey by ``as_of`` (one row per step).

    A case counts at a step when it reached that step *or any later one* (the table in the
    module docstring says when a step counts as reached): a case cannot be planned without
    having been noticed, so a later step is proof the earlier one was passed. The one real
    skip is consent: a child separated into a temporary shelter by the district director
    starts service without the parent's signature. ``passed_without_record`` tells how many
    of a step's cases count only through a later step, so nothing is hidden. The counts
    therefore never increase down the table.

    Columns: ``step`` (code), ``step_th``, ``cases``, ``share_of_previous`` (of the step
    above; 1.0 for onset), ``share_of_all`` (of all cases), ``stopped_here`` (reached this
    step but not the next: where journeys stall; for the last step, the cases that got
    there; the column adds up to all cases) and ``passed_without_record``.
    """
    data = _scope(data, district)
    cases = _cases(data)
    pdim = _per_dimension(data)
    ids = cases.index
    acknowledged = pd.Series(pdim["acknowledged"].notna().groupby(level="case_id").any()).reindex(ids, fill_value=False)
    met = pd.Series(pdim["goal_met"].notna().groupby(level="case_id").sum()).reindex(ids, fill_value=0)
    own = np.column_stack([
        np.ones(len(cases), dtype=bool),
        cases["noticed_date"].notna(),
        cases["first_notified_date"].notna(),
        acknowledged.to_numpy(dtype=bool),
        cases["plan_date"].notna(),
        cases["consent_date"].notna(),
        cases["service_start_date"].notna(),
        met.to_numpy() >= 1,
        (met.to_numpy() >= cases["goals_planned"].to_numpy()) & (cases["goals_planned"].to_numpy() > 0),
    ])
    # Reached a step or a later one: a cumulative "or" from the last step backwards.
    reached = np.flip(np.logical_or.accumulate(np.flip(own, axis=1), axis=1), axis=1)
    counts = reached.sum(axis=0).astype(np.int64)
    previous = np.concatenate([[counts[0]], counts[:-1]])
    stopped = counts - np.concatenate([counts[1:], [0]])
    return pd.DataFrame({
        "step": list(FUNNEL_STEPS),
        "step_th": [STEP_TH[s] for s in FUNNEL_STEPS],
        "cases": counts,
        "share_of_previous": _share(counts, previous),
        "share_of_all": _share(counts, np.full(len(counts), counts[0])),
        "stopped_here": stopped,
        "passed_without_record": (reached & ~own).sum(axis=0).astype(np.int64),
    })


# --------------------------------------------------------------------------- 2. time to steps


def _day_or_none(value, name: str) -> pd.Timestamp | None:
    if value is None:
        return None
    try:
        return pd.Timestamp(value).normalize()
    except (ValueError, TypeError) as exc:
        raise DashboardDataError(f"{name}: «{value}» ไม่ใช่วันที่ (is not a date; write YYYY-MM-DD)") from exc


def time_to_steps(data: DashboardData, district: str | None = None, start=None, end=None) -> pd.DataFrame:
    """Days from the day a case's problem was first noticed to its first notification, plan
    meeting, consent and service start, for the cases noticed between ``start`` and ``end``
    (both days included; ``None`` = no bound).

    Censoring: the median and 75th percentile (``median_days``, ``p75_days``) are over the
    cases that **reached** the step by ``as_of`` only. ``not_yet`` counts the cohort's cases
    that have not (still waiting, or never going to: a refusal, a child separated without
    consent), and ``waiting_median_days`` is how long those have waited so far. Because the
    slow cases are exactly the ones still waiting, the medians are biased **low**, the more so
    the larger ``not_yet`` is and the more recent the cohort (a case noticed a month before
    ``as_of`` can only show durations under a month). Compare cohorts noticed long enough
    before ``as_of``, or read the medians together with ``not_yet`` and
    ``waiting_median_days``: a median of completed durations below the waiting median means
    the step is slower than it looks.

    One row per step (``step``: notified, plan, consent, in_service) with ``step_th``,
    ``noticed`` (cases in the cohort), ``reached``, ``not_yet``, ``median_days``,
    ``p75_days``, ``waiting_median_days`` (NaN where no case is in that group).
    """
    start, end = _day_or_none(start, "start"), _day_or_none(end, "end")
    if start is not None and end is not None and start > end:
        raise DashboardDataError(f"วันเริ่ม ({thai_date(start)}) อยู่หลังวันสิ้นสุด ({thai_date(end)}) "
                                 "(start is after end)")
    data = _scope(data, district)
    cases = _cases(data)
    noticed = cases["noticed_date"]
    cohort = noticed.notna()
    if start is not None:
        cohort &= noticed >= start
    if end is not None:
        cohort &= noticed <= end
    cases = cases[cohort]
    noticed = cases["noticed_date"]
    waited = _days(pd.Series(data.as_of, index=cases.index), noticed)
    rows = []
    for step, column in TIMED_STEPS.items():
        took = _days(cases[column], noticed)
        done = cases[column].notna()
        rows.append({
            "step": step, "step_th": STEP_TH[step], "noticed": len(cases), "reached": int(done.sum()),
            "not_yet": int((~done).sum()),
            "median_days": took[done].median() if done.any() else np.nan,
            "p75_days": took[done].quantile(0.75) if done.any() else np.nan,
            "waiting_median_days": waited[~done].median() if (~done).any() else np.nan,
        })
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- 3. goals met within


def goals_met_within(data: DashboardData, district: str | None = None, months: int | None = None) -> pd.DataFrame:
    """Per dimension: goals planned and the share met within ``months`` (``goal_window_months``
    in ``dashboards.yaml`` when not given) calendar months of that dimension's service start.

    A goal is the pair (case, dimension) of a ``goal_set`` event (or a ``service_started``
    event, should a plan's goal event be missing). Its window runs from the dimension's
    first ``service_started`` to the same day ``months`` months later; it is **met within**
    when a ``goal_met`` event of that dimension falls inside. Only goals whose window ended by
    ``as_of`` count in ``share_met`` (``met_within / window_ended``), so that goals still
    inside their window (which may yet be met) do not pull the share down; they are counted in
    ``young_excluded``. ``not_started``: planned goals whose service has not started.

    Columns: ``dimension`` (code; ``all`` in the last row), ``dimension_th``,
    ``goals_planned``, ``service_started``, ``not_started``, ``window_ended``,
    ``young_excluded``, ``met_within``, ``share_met``.
    """
    months = _settings_months(data, months)
    data = _scope(data, district)
    goals = _goal_windows(data, months)
    by = goals.groupby(level="dimension").agg(
        goals_planned=("started", "size"), service_started=("started", "sum"),
        window_ended=("window_ended", "sum"), met_within=("met_within", "sum"))
    by = by.reindex(list(DIMENSIONS), fill_value=0)
    by.loc[ALL] = by.sum()
    by = by.astype(np.int64)
    out = pd.DataFrame({
        "dimension": by.index,
        "dimension_th": [DIMENSION_TH.get(d, ALL_TH) for d in by.index],
        "goals_planned": by["goals_planned"].to_numpy(),
        "service_started": by["service_started"].to_numpy(),
        "not_started": (by["goals_planned"] - by["service_started"]).to_numpy(),
        "window_ended": by["window_ended"].to_numpy(),
        "young_excluded": (by["service_started"] - by["window_ended"]).to_numpy(),
        "met_within": by["met_within"].to_numpy(),
        "share_met": _share(by["met_within"], by["window_ended"]),
    })
    return out.reset_index(drop=True)


# --------------------------------------------------------------------------- 4. bottlenecks


@lru_cache(maxsize=1)
def _role_th() -> dict[str, str]:
    from simulator.model.config import load_config

    return {r.id: r.name_th for r in load_config().goals.roles}


def _step_row(step: str, dimension: str | None, role: str, waiting_days: pd.Series, took_days: pd.Series) -> dict:
    waiting_days, took_days = waiting_days.dropna(), took_days.dropna()
    return {
        "step": step, "step_th": BOTTLENECK_TH[step], "dimension": dimension,
        "dimension_th": DIMENSION_TH[dimension] if dimension else ALL_TH,
        "actor_role": role, "actor_th": _role_th().get(role, role),
        "waiting": len(waiting_days),
        "waiting_median_days": waiting_days.median() if len(waiting_days) else np.nan,
        "waiting_case_days": float(waiting_days.sum()),
        "passed": len(took_days),
        "passed_median_days": took_days.median() if len(took_days) else np.nan,
    }


def bottlenecks(data: DashboardData, district: str | None = None) -> pd.DataFrame:
    """Where cases wait at ``as_of``, by the step and the role responsible for it.

    ====================  ============================  ==================================  ===========================
    step                  responsible (``actor_role``)  waiting at ``as_of`` since          passed: time the step took
    ====================  ============================  ==================================  ===========================
    acknowledgement,      the dimension's provider      notified in that dimension, not     notified -> acknowledged
    one row per dimension                               acknowledged there
    plan_meeting          volunteer                     every notified dimension            last acknowledgement ->
                                                        acknowledged, no plan yet: since    plan (acknowledgements up to
                                                        the last acknowledgement            the plan)
    consent               parent                        plan made, no consent, no service,  plan -> consent
                                                        not refused: since the plan
    service_start,        the dimension's provider      consent signed (or child            consent (or separation) ->
    one row per dimension                               separated), a goal in that          service started there
                                                        dimension, no service there yet:
                                                        since consent or separation
    ====================  ============================  ==================================  ===========================

    A case waits on one step at a time, except acknowledgement and service start, where it
    waits on each dimension's provider separately. Refused cases wait on nobody here (they
    go to the district director or close). Columns: ``step``, ``step_th``, ``dimension``
    (missing for whole-plan steps), ``dimension_th``, ``actor_role``, ``actor_th``, ``waiting``,
    ``waiting_median_days`` (days waited so far), ``waiting_case_days`` (the days all waiting
    cases have waited, added up), ``passed``, ``passed_median_days``. Sorted worst first:
    by ``waiting_case_days`` (how many cases wait, times how long), then ``waiting``.
    """
    data = _scope(data, district)
    as_of = data.as_of
    cases = _cases(data)
    pdim = _per_dimension(data)
    pdim = pdim[pdim.index.get_level_values("case_id").isin(cases.index)]
    plan_events = _whole_plan(data, ["refused", "separated"]).reindex(cases.index)
    rows = []
    case_of = pdim.index.get_level_values("case_id")
    dim_of = pdim.index.get_level_values("dimension")

    # Acknowledgement, per dimension.
    unack = pdim["notified"].notna() & pdim["acknowledged"].isna()
    for dim in DIMENSIONS:
        here = pdim[dim_of == dim]
        wait = here["notified"].notna() & here["acknowledged"].isna()
        rows.append(_step_row("acknowledgement", dim, PROVIDER_ROLE[dim], _days(pd.Series(as_of, index=here.index)[wait],
                                                                               here["notified"][wait]),
                              _days(here["acknowledged"], here["notified"])))

    # Plan meeting.
    any_unack = pd.Series(unack.groupby(case_of).any()).reindex(cases.index, fill_value=False)
    ack = pdim["acknowledged"]
    last_ack = pd.Series(ack.groupby(case_of).max()).reindex(cases.index)
    plan = cases["plan_date"]
    before_plan = ack.where(ack <= plan.reindex(case_of).to_numpy())
    last_ack_before_plan = pd.Series(before_plan.groupby(case_of).max()).reindex(cases.index)
    waiting_plan = last_ack.notna() & plan.isna() & ~any_unack
    rows.append(_step_row("plan_meeting", None, "volunteer", _days(pd.Series(as_of, index=cases.index), last_ack)[waiting_plan],
                          _days(plan, last_ack_before_plan)))

    # Consent.
    waiting_consent = (plan.notna() & cases["consent_date"].isna() & cases["service_start_date"].isna()
                       & plan_events["refused"].isna() & plan_events["separated"].isna())
    rows.append(_step_row("consent", None, "parent", _days(pd.Series(as_of, index=cases.index), plan)[waiting_consent],
                          _days(cases["consent_date"], plan)))

    # Service start, per dimension: ready on consent (or the day the child was separated).
    ready = cases["consent_date"].fillna(plan_events["separated"])
    ready_of = pd.Series(ready.reindex(case_of).to_numpy(), index=pdim.index)
    for dim in DIMENSIONS:
        here = pdim[dim_of == dim]
        r = ready_of[dim_of == dim]
        wait = r.notna() & here["goal_set"].notna() & here["service_started"].isna()
        rows.append(_step_row("service_start", dim, PROVIDER_ROLE[dim], _days(pd.Series(as_of, index=here.index), r)[wait],
                              _days(here["service_started"], r)))
    out = pd.DataFrame(rows)
    out = out.sort_values(["waiting_case_days", "waiting"], ascending=False, kind="stable")
    return out.reset_index(drop=True)


# --------------------------------------------------------------------------- 5. communities compared


def communities_compared(data: DashboardData, district: str, months: int | None = None) -> pd.DataFrame:
    """One row per community of ``district``, highest rate of cases first.

    ``families`` (households), ``children`` (rows of the children table), ``cases`` (cases
    **noticed** by ``as_of``: the cases the network knows of; cases not yet noticed are in
    :func:`stage_funnel`'s onset step only), ``emergency`` and ``complex`` (those cases by
    level), ``per_10000`` (noticed cases per 10,000 children), ``with_plan_share`` (noticed
    cases with a plan), ``median_days_to_service`` (noticed -> service start, over the cases
    that started: biased low like :func:`time_to_steps`), ``goals_met_share`` (goals met
    within their window, over goals whose window ended: as :func:`goals_met_within`).
    Shares are NaN where the community has nothing to divide by.
    """
    if district is None:
        raise DashboardDataError("ต้องระบุเขต (district is required: communities are compared within one district)")
    months = _settings_months(data, months)
    data = _scope(data, district)
    hh = data.households
    communities = pd.Index(sorted(hh["community"].astype(str).unique()), name="community")
    families = hh.groupby(hh["community"].astype(str)).size()
    kids = data.children.merge(hh[["family_id", "community"]], on="family_id", how="inner")
    children = kids.groupby(kids["community"].astype(str)).size()
    every_case = _cases(data)
    cases = every_case[every_case["noticed_date"].notna()]
    comm = cases["community"].astype(str)
    level = cases["case_level"].astype(str)
    n_cases = cases.groupby(comm).size()
    by_level = pd.crosstab(comm, level).reindex(columns=list(CASE_LEVELS), fill_value=0)
    with_plan = cases["plan_date"].notna().groupby(comm).sum()
    to_service = _days(cases["service_start_date"], cases["noticed_date"]).groupby(comm).median()
    goals = _goal_windows(data, months)
    goal_comm = every_case["community"].astype(str).reindex(goals.index.get_level_values("case_id")).to_numpy()
    ended = goals["window_ended"].groupby(goal_comm).sum()
    met = goals["met_within"].groupby(goal_comm).sum()

    def col(s, fill=0):
        return s.reindex(communities, fill_value=fill) if fill is not None else s.reindex(communities)

    out = pd.DataFrame({
        "families": col(families).astype(np.int64),
        "children": col(children).astype(np.int64),
        "cases": col(n_cases).astype(np.int64),
        "emergency": col(by_level["emergency"]).astype(np.int64),
        "complex": col(by_level["complex"]).astype(np.int64),
    }, index=communities)
    out["per_10000"] = per_10000(out["cases"], out["children"])
    out["with_plan_share"] = _share(col(with_plan), out["cases"])
    out["median_days_to_service"] = col(to_service, None).astype(float)
    out["goals_met_share"] = _share(col(met), col(ended))
    out = out.reset_index().sort_values(["per_10000", "cases", "community"], ascending=[False, False, True],
                                        na_position="last", kind="stable")
    return out.reset_index(drop=True)


# --------------------------------------------------------------------------- 6. monthly new cases


def monthly_new_cases(data: DashboardData, district: str | None = None, by: str | None = "case_level") -> pd.DataFrame:
    """New cases per month by the month their problem was first noticed (``noticed_date``),
    from the first month with a noticed case to the month of ``as_of``.

    Index: a monthly ``PeriodIndex`` named ``month``. Columns: one per value of ``by`` (a
    column of the cases table, such as ``case_level``, or of the households table, such as
    ``community``; ``None`` for the total only) in their order, then ``total``.
    """
    data = _scope(data, district)
    cases = _cases(data)
    cases = cases[cases["noticed_date"].notna()]
    last = data.as_of.to_period("M")
    first = cases["noticed_date"].min().to_period("M") if len(cases) else last
    months = pd.period_range(first, last, freq="M", name="month")
    month = cases["noticed_date"].dt.to_period("M")
    if by is None:
        out = pd.DataFrame(index=months)
    else:
        if by in cases.columns:
            values = cases[by]
        elif by in data.households.columns:
            values = cases["family_id"].map(data.households.set_index("family_id")[by])
        else:
            raise DashboardDataError(f"แบ่งตาม «{by}» ไม่ได้: ไม่มีคอลัมน์นี้ในตารางกรณีหรือครัวเรือน "
                                     f"(no column {by!r} in the cases or households table)")
        if by == "case_level":
            order = list(CASE_LEVELS)
        elif isinstance(values.dtype, pd.CategoricalDtype):
            order = [c for c in values.cat.categories if (values == c).any()]
        else:
            order = sorted(values.dropna().unique())
        out = pd.crosstab(month, values).reindex(index=months, columns=order, fill_value=0)
        out.columns = pd.Index(list(out.columns), name=by)
    out["total"] = month.value_counts().reindex(months, fill_value=0).to_numpy()
    out.index.name = "month"
    return out.astype(np.int64)


# --------------------------------------------------------------------------- 7. figures


def _where_th(district: str | None) -> str:
    return f"เขต{district}" if district else CITY_TH


def funnel_figure(data: DashboardData, district: str | None = None):
    """Horizontal bars: cases that reached each step (counts and share of all cases)."""
    table = stage_funnel(data, district)
    fig = new_figure(height_in=3.9)
    ax = fig.add_subplot()
    y = np.arange(len(table))[::-1]
    colours = [COLOURS["grey"]] * 4 + ["#c0392b", "#e17fa6", COLOURS["yellow"], COLOURS["green"], COLOURS["green"]]
    ax.barh(y, table["cases"], color=colours, height=0.7)
    top = max(int(table["cases"].max()), 1)
    for yi, n, share in zip(y, table["cases"], table["share_of_all"]):
        label = f"{n:,}" + (f" ({share:.0%})" if np.isfinite(share) else "")
        ax.text(n + top * 0.02, yi, label, va="center", fontsize=8)
    ax.set_yticks(y, table["step_th"], fontsize=8)
    ax.set_xlim(0, top * 1.35)
    ax.set_xlabel("จำนวนกรณี (กรณี)", fontsize=9)
    ax.tick_params(axis="x", labelsize=8)
    ax.xaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_title(f"กรณีถึงแต่ละขั้น (Funnel) {_where_th(district)}\nข้อมูลถึง {thai_date(data.as_of)}", fontsize=10)
    rows = table.set_index("step")["cases"]
    alt = (f"แผนภูมิแท่งแนวนอน จำนวนกรณีที่ถึงแต่ละขั้นของเส้นทางบริการ {_where_th(district)} "
           f"ข้อมูลถึง {thai_date(data.as_of)}: ทุกกรณี {rows['onset']:,} กรณี พบปัญหาแล้ว {rows['noticed']:,} "
           f"วางแผนแล้ว {rows['plan']:,} เริ่มรับบริการ {rows['in_service']:,} "
           f"บรรลุเป้าหมายทุกมิติ {rows['all_goals_met']:,} กรณี")
    return finish(fig, alt)


def time_to_service_figure(data: DashboardData, district: str | None = None, start=None, end=None):
    """Median days from noticed to each step: the district beside the whole city."""
    here = time_to_steps(data, district, start, end)
    groups = [(_where_th(district), here, "#1f5f8b")]
    if district is not None:
        groups.append((CITY_TH, time_to_steps(data, None, start, end), COLOURS["grey"]))
    fig = new_figure(height_in=3.3)
    ax = fig.add_subplot()
    n_steps = len(here)
    height = 0.8 / len(groups)
    y0 = np.arange(n_steps)[::-1]
    top = max([np.nanmax(np.r_[g["median_days"].to_numpy(dtype=float), 1.0]) for _, g, _ in groups])
    for k, (name, table, colour) in enumerate(groups):
        y = y0 + (len(groups) - 1) / 2 * height - k * height
        values = table["median_days"].to_numpy(dtype=float)
        ax.barh(y, np.nan_to_num(values), height=height * 0.95, color=colour, label=name)
        for yi, v in zip(y, values):
            ax.text((0 if np.isnan(v) else v) + top * 0.02, yi, "ไม่มีข้อมูล" if np.isnan(v) else f"{v:,.0f}",
                    va="center", fontsize=7.5)
    ax.set_yticks(y0, here["step_th"], fontsize=8)
    ax.set_xlim(0, top * 1.25)
    ax.set_xlabel("มัธยฐานจำนวนวันนับจากวันที่พบปัญหา (วัน)", fontsize=9)
    ax.tick_params(axis="x", labelsize=8)
    ax.xaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    ax.spines[["top", "right"]].set_visible(False)
    if len(groups) > 1:
        ax.legend(fontsize=8, loc="upper right", frameon=False)
    ax.set_title(f"พบปัญหาแล้วกี่วันจึงถึงแต่ละขั้น {_where_th(district)}\n(เฉพาะกรณีที่ถึงขั้นนั้นแล้ว)", fontsize=10)
    med = here.set_index("step")["median_days"]
    wait = here.set_index("step")["not_yet"]
    alt = (f"แผนภูมิแท่งแนวนอน มัธยฐานจำนวนวันนับจากวันที่พบปัญหาจนถึงแต่ละขั้น {_where_th(district)}"
           + (f" เทียบกับ{CITY_TH}" if district else ""))
    if np.isfinite(med["in_service"]):
        alt += f": ถึงวันเริ่มรับบริการ {med['in_service']:,.0f} วัน"
    alt += f" ยังมี {wait['in_service']:,} กรณีที่ยังไม่เริ่มรับบริการและไม่ได้นับในมัธยฐาน"
    return finish(fig, alt)


def communities_figure(data: DashboardData, district: str):
    """Noticed cases per 10,000 children in each community of ``district``, by case level."""
    table = communities_compared(data, district)
    fig = new_figure(height_in=max(2.6, 1.2 + 0.24 * len(table)))
    ax = fig.add_subplot()
    y = np.arange(len(table))[::-1]
    left = np.zeros(len(table))
    for level in ("emergency", "complex"):
        rate = np.nan_to_num(per_10000(table[level], table["children"]))
        ax.barh(y, rate, left=left, color=LEVEL_COLOURS[level], height=0.7, label=CASE_LEVEL_TH[level])
        left += rate
    for yi, total, n in zip(y, left, table["cases"]):
        ax.text(total + max(left.max(), 1) * 0.02, yi, f"{total:,.0f} ({n:,} กรณี)", va="center", fontsize=7)
    ax.set_yticks(y, table["community"].astype(str), fontsize=7.5)
    ax.set_xlim(0, max(left.max(), 1) * 1.45)
    ax.set_xlabel("กรณีที่พบแล้วต่อเด็ก 10,000 คน (กรณี)", fontsize=9)
    ax.tick_params(axis="x", labelsize=8)
    ax.xaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    ax.xaxis.set_major_locator(MaxNLocator(nbins=4))
    ax.spines[["top", "right"]].set_visible(False)
    fig.legend(fontsize=8, loc="outside lower center", ncols=2, frameon=False)
    ax.set_title(f"เทียบชุมชนใน{_where_th(district)}\nข้อมูลถึง {thai_date(data.as_of)}", fontsize=10)
    first = table.iloc[0] if len(table) else None
    alt = (f"แผนภูมิแท่งแนวนอน กรณีที่พบแล้วต่อเด็ก 10,000 คน แยกฉุกเฉินและซับซ้อน ของ {len(table)} ชุมชนใน"
           f"{_where_th(district)}")
    if first is not None and np.isfinite(first["per_10000"]):
        alt += f" สูงสุดคือ{first['community']} {first['per_10000']:,.0f} ต่อเด็ก 10,000 คน"
    return finish(fig, alt)


__all__ = ["BOTTLENECK_STEPS", "FUNNEL_STEPS", "HEADERS_TH", "STEP_TH", "TIMED_STEPS", "bottlenecks",
           "communities_compared", "communities_figure", "funnel_figure", "goals_met_within", "monthly_new_cases",
           "stage_funnel", "time_to_service_figure", "time_to_steps", "view_th"]
