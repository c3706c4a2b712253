"""Case timelines: each yellow or red family's journey of services, as an event log.

For every family with a yellow or red petal the simulator draws, over the span in
``journeys.yaml`` (default 2021-2025):

* **referral** — for each problem (one per yellow or red dimension): its onset, who
  noticed it first and when, notification of that dimension's provider and its
  acknowledgement (a few cases are lost between agencies for years);
* **plan** — a planning meeting and one goal per active dimension from ``goals.yaml``,
  with its touch points (agency, role, information exchanged, estimated days);
* **consent** — rounds of explaining the plan; the parent agrees, disagrees, or agrees
  but is unable (poverty), which revises the plan; consent is signed with a date;
* **legal** — a refusing parent of a child facing violence, sexual abuse or enticement
  into crime is reviewed by the district director, who may separate the child into a
  temporary shelter;
* **in service** — appointments attended or missed, accompanied visits outside the
  district with travel costs; **goals met** per dimension within 6-12 months, or a
  revision when a goal is not met.

Everything is vectorised over cases and drawn from per-family random streams, so a
case depends only on its family, the seed and the data files. Sandbox districts
detect earlier and move faster from the configured date, by the configured factors.

Activities 7 and 8 run the same journeys with the providers of some dimensions not
notified (``unnotified``); the rule is stated in ``notify_scenarios.yaml`` and
:mod:`simulator.model.unnotified`. With every provider notified (the default) that file
is not read and nothing changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from simulator.model import rng
from simulator.model.config import DIMENSIONS, KitConfig
from simulator.model.population import Population
from simulator.thai.dates import DAYS_PER_MONTH, DAYS_PER_YEAR
from simulator.thai.vocabulary import DIMENSION_TH
from simulator.model.threats import PETAL_COLUMNS, SEVERITY_RANK, noticer_weights, onset_min_age_days
from simulator.model.unnotified import NotifySettings, blocked_goals, load_notify_settings
from simulator.thai.vocabulary import UNABLE_REASONS_TH

STAGES = ("referral", "plan", "consent", "legal", "in_service", "goals_met")
# Each event kind: its stage and the order it takes among events on the same day.
EVENTS: dict[str, tuple[str, int]] = {
    "onset": ("referral", 0),
    "noticed": ("referral", 1),
    "notified": ("referral", 2),
    "acknowledged": ("referral", 3),
    "plan_meeting": ("plan", 4),
    "goal_set": ("plan", 5),
    "explained": ("consent", 10),
    "agreed": ("consent", 11),
    "disagreed": ("consent", 11),
    "agreed_but_unable": ("consent", 11),
    "plan_revised": ("plan", 12),
    "consent_signed": ("consent", 13),
    "refused": ("consent", 14),
    "director_review": ("legal", 20),
    "separated": ("legal", 21),
    "service_started": ("in_service", 30),
    "appointment_attended": ("in_service", 31),
    "appointment_missed": ("in_service", 31),
    "accompanied_visit": ("in_service", 32),
    "goal_not_met": ("in_service", 40),
    "goal_met": ("goals_met", 41),
}
PROVIDER_ROLE = {"social": "social_worker", "education": "teacher", "health": "nurse", "governance": "district_officer"}
OUTCOMES = ("not_noticed", "awaiting_plan", "awaiting_consent", "unable", "refused", "separated",
            "in_service", "partly_met", "goals_met")
EPOCH = np.datetime64("1970-01-01", "D")
NEVER = np.iinfo(np.int64).max
# A case none of whose providers is notified gets no plan: its plan day lies this far past the span.
NO_PLAN_DAYS = 100 * 366
# The journey tables written beside the population tables; the last is every family's flower after service.
TIMELINE_TABLES = ("events", "cases", "touch_points", "petals_after_service")
CASE_TABLES = ("events", "cases", "touch_points")


def _day(value) -> int:
    return int((np.datetime64(value, "D") - EPOCH).astype(np.int64))


def case_id_of(family_ids: pd.Series) -> pd.Series:
    """``HH0000042`` -> ``JC0000042``: one journey case per family."""
    return "JC" + family_ids.str.slice(2)


@dataclass
class Timelines:
    """Event log, per-case summary and planned touch points of many journeys."""

    events: pd.DataFrame
    cases: pd.DataFrame
    touch_points: pd.DataFrame
    span: tuple[pd.Timestamp, pd.Timestamp]
    config: KitConfig = field(default=None, repr=False)
    # Every family's petals at the span's end, after service: a dimension whose goal was met
    # by then is green in both its petals (see ``snapshot_petals``).
    petals: pd.DataFrame | None = field(default=None, repr=False)

    def tables(self) -> dict[str, pd.DataFrame]:
        tables = {name: getattr(self, name) for name in CASE_TABLES}
        if self.petals is not None:
            tables["petals_after_service"] = self.petals
        return tables

    def case(self, case_id: str) -> "Timelines":
        parts = {name: getattr(self, name)[lambda df: df["case_id"] == case_id].reset_index(drop=True)
                 for name in CASE_TABLES}
        if parts["cases"].empty:
            raise KeyError(f"case {case_id} is not in these timelines")
        petals = None
        if self.petals is not None:
            family = parts["cases"]["family_id"].iloc[0]
            petals = self.petals[self.petals["family_id"] == family].reset_index(drop=True)
        return Timelines(**parts, span=self.span, config=self.config, petals=petals)


class _EventBlocks:
    """Collects events block by block; details are codes into per-block wording lists."""

    def __init__(self) -> None:
        self.parts: list[dict[str, np.ndarray]] = []
        self.wordings: list[str] = []

    def add(self, case, day, event: str, dim, actor, details, detail_codes=None, value=0) -> None:
        case = np.asarray(case, dtype=np.int64)
        if not len(case):
            return
        stage, order = EVENTS[event]
        if isinstance(details, str):
            codes = np.full(len(case), len(self.wordings), dtype=np.int64)
            self.wordings.append(details)
        else:
            codes = len(self.wordings) + np.asarray(detail_codes, dtype=np.int64)
            self.wordings.extend(details)
        self.parts.append({
            "case": case,
            "day": np.asarray(day, dtype=np.int64) * np.ones(len(case), dtype=np.int64),
            "stage": np.full(len(case), STAGES.index(stage), dtype=np.int8),
            "order": np.full(len(case), order, dtype=np.int8),
            "event": np.full(len(case), list(EVENTS).index(event), dtype=np.int8),
            "dim": np.asarray(dim, dtype=np.int8) * np.ones(len(case), dtype=np.int8),
            "actor": np.asarray(actor, dtype=object) if not isinstance(actor, str) else np.full(len(case), actor, dtype=object),
            "detail": codes,
            "value": np.asarray(value, dtype=np.int64) * np.ones(len(case), dtype=np.int64),
        })

    def concat(self) -> dict[str, np.ndarray]:
        keys = ("case", "day", "stage", "order", "event", "dim", "actor", "detail", "value")
        if not self.parts:
            return {k: np.zeros(0, dtype=np.int64) for k in keys}
        return {k: np.concatenate([p[k] for p in self.parts]) for k in keys}


@dataclass
class _Context:
    """What every stage of a batch of journeys reads: the cases, their petals and the draws."""

    cfg: KitConfig
    seed: int
    index: np.ndarray  # family indices of the cases, the key of every random stream
    sandbox: np.ndarray  # (n,) the case's district is a sandbox
    start: int
    end: int
    dim_rank: np.ndarray  # (n, 4) worst severity rank per dimension
    active: np.ndarray  # (n, 4) yellow or red dimensions: one problem and one goal each
    lead_ind: np.ndarray  # (n, 4) catalogue code of the indicator that sets each goal, -1 if none
    poor: np.ndarray
    legal: np.ndarray
    lead_subject: np.ndarray  # (n, 4) subject of each goal's indicator: "child" or "parent"
    earliest: np.ndarray  # (n, 4) first day each goal's problem could have begun (ages at onset)
    latest: np.ndarray  # (n, 4) last day it could have begun: its first true observation, the span's end
    concerned_birth: np.ndarray  # (n, 4) birth day of the child concerned (NEVER when none): noticers' ages
    seen: pd.DataFrame  # true observations of the cases: case, dim, day, source (code into sources)
    first_record: np.ndarray  # (n,) day a provider first recorded any problem of the family (NEVER if none)
    ev: _EventBlocks = field(default_factory=_EventBlocks)
    sandbox_active: np.ndarray | None = None
    # Activities 7 and 8 (see apply_unnotified): which problems' providers nobody notifies.
    notify: NotifySettings | None = None
    unnotified: np.ndarray | None = None  # (n, 4) active dimensions whose provider is not notified
    planned: np.ndarray | None = None  # (n, 4) active dimensions that get a goal in the plan
    blocked: np.ndarray | None = None  # (n, 4) goals an unseen linked problem makes harder
    livelihood_cut: np.ndarray | None = None  # (n,) a revised plan cannot add income support

    def __post_init__(self) -> None:
        self.n = len(self.index)
        self.cases = np.arange(self.n)
        self.J = self.cfg.journeys
        self.cat_ids = [i.id for i in self.cfg.catalogue.indicators]
        self.goals = self.cfg.goals.for_indicator()
        self.agencies = {a.id: a for a in self.cfg.goals.agencies}
        self.roles_th = {r.id: r.name_th for r in self.cfg.goals.roles}
        self.dim_of_worst = np.argmax(self.dim_rank * 10 - np.arange(len(DIMENSIONS)), axis=1)
        self.unnotified = np.zeros_like(self.active)
        self.planned = self.active.copy()
        self.blocked = np.zeros_like(self.active)
        self.livelihood_cut = np.zeros(self.n, dtype=bool)

    def u(self, purpose: str, slot=0) -> np.ndarray:
        return rng.uniform(self.seed, f"journey:{purpose}", self.index, slot)

    def delay(self, name: str, slot=0, factor=1.0, stream: str | None = None) -> np.ndarray:
        """Log-normal delay ``name`` of journeys.yaml, drawn from its own streams (or ``stream``'s)."""
        spec = self.J.delays[name]
        stream = stream or name
        u1, u2 = self.u(f"{stream}:a", slot), self.u(f"{stream}:b", slot)
        z = np.sqrt(-2.0 * np.log1p(-u1)) * np.cos(2.0 * np.pi * u2)
        return np.maximum(1, np.rint(spec.median * np.exp(spec.spread * z) * factor)).astype(np.int64)

    def factor(self, value: float) -> np.ndarray:
        """A sandbox factor where the sandbox worked when the case began, 1 elsewhere."""
        return np.where(self.sandbox_active, value, 1.0)


def simulate_timelines(pop: Population, seed: int | None = None, config: KitConfig | None = None,
                       unnotified=(), notify: NotifySettings | None = None) -> Timelines:
    """Journeys for every family of ``pop`` with a yellow or red petal.

    ``unnotified`` names dimensions whose provider nobody notifies, in every case
    (activities 7 and 8); ``notify`` holds that rule's settings (default: the kit's
    ``notify_scenarios.yaml``). Only what the rule changes differs from the run with every
    provider notified: each family's random draws are the same.
    """
    cfg = config or pop.config
    hh = pop.households
    is_case = hh["case_level"].isin(["complex", "emergency"]).to_numpy()
    fam = hh.loc[is_case, "family_id"].reset_index(drop=True)
    ctx = _context(pop, cfg, pop.seed if seed is None else seed, fam, hh.loc[is_case, "sandbox"].to_numpy())
    unnotified = tuple(unnotified)
    if unnotified:
        apply_unnotified(ctx, pop, fam, unnotified, notify or load_notify_settings(config=config))
    t = _onset_and_noticing(ctx)
    t |= _notification(ctx, t)
    t |= _plan(ctx, t)
    t |= _consent_rounds(ctx, t)
    t |= _legal_path(ctx, t)
    t |= _goals(ctx, t)
    t |= _service(ctx, t)
    tp_rows = _touch_points(ctx)
    return _assemble(pop, cfg, fam, hh, is_case, ctx.ev, tp_rows, ctx.start, ctx.end, {
        **t, "active": ctx.active, "first_dim": ctx.dim_of_worst, "sandbox_active": ctx.sandbox_active,
        "dim_rank": ctx.dim_rank, "planned": ctx.planned,
    })


def apply_unnotified(ctx: _Context, pop: Population, fam: pd.Series, dimensions: tuple[str, ...],
                     notify: NotifySettings) -> None:
    """Mark the problems in ``dimensions`` as not notified, and what that changes (rules 1, 3, 4)."""
    unknown = [d for d in dimensions if d not in DIMENSIONS]
    if unknown:
        raise ValueError(f"unknown dimension(s) {', '.join(map(repr, unknown))}: use {', '.join(DIMENSIONS)}")
    wanted = np.array([d in dimensions for d in DIMENSIONS])
    ctx.notify = notify
    ctx.unnotified = ctx.active & wanted
    ctx.planned = ctx.active & ~wanted
    ctx.blocked = blocked_goals(ctx.cfg, notify, fam, pop.indicators, ctx.unnotified) & ctx.planned
    if notify.livelihood_dimension is not None:
        ctx.livelihood_cut = ctx.poor & ctx.unnotified[:, DIMENSIONS.index(notify.livelihood_dimension)]


def _context(pop: Population, cfg: KitConfig, seed: int, fam: pd.Series, sandbox: np.ndarray) -> _Context:
    J = cfg.journeys
    n = len(fam)
    index = (fam.str.slice(2).astype(np.int64) - 1).to_numpy().astype(np.uint64)
    rank = SEVERITY_RANK
    petals = pop.petals.set_index("family_id").loc[fam]
    dim_rank = np.zeros((n, len(DIMENSIONS)), dtype=np.int8)
    for d, dim in enumerate(DIMENSIONS):
        for subject in ("child", "parent"):
            dim_rank[:, d] = np.maximum(dim_rank[:, d], petals[f"{subject}_{dim}"].astype(str).map(rank).to_numpy())
    active = dim_rank >= 2

    # The worst indicator of each active dimension sets its goal (child before parent on ties).
    cat_ids = [i.id for i in cfg.catalogue.indicators]
    ind = pop.indicators[pop.indicators["family_id"].isin(set(fam))]
    ind = ind.assign(
        rank=ind["severity"].astype(str).map(rank).astype(int),
        subj=(ind["subject"] == "parent").astype(int),
        code=ind["indicator_id"].cat.codes.astype(int) if isinstance(ind["indicator_id"].dtype, pd.CategoricalDtype)
        else ind["indicator_id"].map({c: i for i, c in enumerate(cat_ids)}),
    ).sort_values(["family_id", "dimension", "rank", "subj"], ascending=[True, True, False, True], kind="stable")
    lead = ind.drop_duplicates(["family_id", "dimension"])
    case_pos = pd.Series(np.arange(n), index=fam.to_numpy())
    lead_ind = np.full((n, len(DIMENSIONS)), -1, dtype=np.int64)
    lead_ind[case_pos.loc[lead["family_id"]].to_numpy().astype(np.int64),
             lead["dimension"].astype(str).map(DIMENSIONS.index).to_numpy().astype(np.int64)] = lead["code"].to_numpy()
    families_with = lambda ids: fam.isin(set(ind.loc[ind["indicator_id"].isin(ids), "family_id"])).to_numpy()  # noqa: E731
    poor = families_with(J.consent.poverty_indicators)
    legal = families_with(J.consent.legal_indicators) & (dim_rank.max(axis=1) == 3)
    end = min(_day(J.span.end), _day(cfg.population.reference_date))
    bounds = _onset_bounds(pop, cfg, ind, lead, case_pos, n, end)
    return _Context(cfg=cfg, seed=seed, index=index, sandbox=sandbox, start=_day(J.span.start), end=_day(J.span.end),
                    dim_rank=dim_rank, active=active, lead_ind=lead_ind, poor=poor, legal=legal, **bounds)


def _onset_bounds(pop: Population, cfg: KitConfig, ind: pd.DataFrame, lead: pd.DataFrame, case_pos: pd.Series,
                  n: int, end: int) -> dict[str, object]:
    """When each goal's problem could have begun, and whose age decides who could notice it.

    A problem starts once every person with it is old enough for it (its indicator's
    age_min, 15 for a parent) and no later than its first true observation.
    """
    ref = _day(cfg.population.reference_date)
    people = pop.people
    people_case = _case_of(people["family_id"], case_pos)
    people = people[people_case >= 0]
    people_case = people_case[people_case >= 0]
    birth_days = (people["birth_date"].to_numpy().astype("datetime64[D]") - EPOCH).astype(np.int64)
    carriers = ind.merge(lead[["family_id", "dimension", "code"]], on=["family_id", "dimension", "code"])
    c_birth = birth_days[pd.Index(people["person_id"]).get_indexer(carriers["person_id"])]
    earliest_row = np.zeros(len(carriers), dtype=np.int64)
    for code in np.unique(carriers["code"].to_numpy()):
        rows = carriers["code"].to_numpy() == code
        age = ref - c_birth[rows]
        earliest_row[rows] = c_birth[rows] + onset_min_age_days(cfg.catalogue.indicators[code], age, cfg).astype(np.int64)
    case = _case_of(carriers["family_id"], case_pos)
    dim = _codes(carriers["dimension"], DIMENSIONS)
    earliest = np.full((n, len(DIMENSIONS)), np.iinfo(np.int64).min, dtype=np.int64)
    np.maximum.at(earliest, (case, dim), earliest_row)
    # The youngest child with a child's problem, the oldest child of a parent with a parent's problem.
    concerned_birth = np.full((n, len(DIMENSIONS)), NEVER, dtype=np.int64)
    child = (carriers["subject"] == "child").to_numpy()
    youngest = np.full((n, len(DIMENSIONS)), np.iinfo(np.int64).min, dtype=np.int64)
    np.maximum.at(youngest, (case[child], dim[child]), c_birth[child])
    concerned_birth = np.where(youngest > np.iinfo(np.int64).min, youngest, concerned_birth)
    kids = (people["relation"] == "child").to_numpy()
    oldest = np.full(n, NEVER, dtype=np.int64)
    np.minimum.at(oldest, people_case[kids], birth_days[kids])
    lead_subject = np.full((n, len(DIMENSIONS)), "child", dtype=object)
    lead_case = _case_of(lead["family_id"], case_pos)
    lead_dim = _codes(lead["dimension"], DIMENSIONS)
    lead_subject[lead_case, lead_dim] = lead["subject"].astype(str).to_numpy()
    lead_code = np.full((n, len(DIMENSIONS)), -1, dtype=np.int64)
    lead_code[lead_case, lead_dim] = lead["code"].to_numpy()
    concerned_birth = np.where(lead_subject == "parent", oldest[:, None], concerned_birth)

    obs = pop.observations
    obs_case = _case_of(obs["family_id"], case_pos)
    keep = obs["is_true"].to_numpy() & (obs_case >= 0)
    obs, obs_case = obs[keep], obs_case[keep]
    sources = list(cfg.population.sources)
    seen = pd.DataFrame({
        "case": obs_case,
        "dim": _codes(obs["dimension"], DIMENSIONS),
        "day": (obs["observed_on"].to_numpy().astype("datetime64[D]") - EPOCH).astype(np.int64),
        "source": _codes(obs["source"], sources),
        "indicator": _codes(obs["indicator_id"], [i.id for i in cfg.catalogue.indicators]),
    }).sort_values(["case", "day"], kind="stable")
    # A dimension's problems began before the first true observation of any of them (unless the
    # one the case follows was too young for it then): a record is never of a problem not yet begun.
    own = seen
    latest = np.full((n, len(DIMENSIONS)), end, dtype=np.int64)
    np.minimum.at(latest, (own["case"].to_numpy(), own["dim"].to_numpy()), own["day"].to_numpy())
    providers = seen[seen["source"].to_numpy() != sources.index("volunteer")]
    first_record = np.full(n, NEVER, dtype=np.int64)
    np.minimum.at(first_record, providers["case"].to_numpy(), providers["day"].to_numpy())
    return {"lead_subject": lead_subject, "earliest": earliest, "latest": latest,
            "concerned_birth": concerned_birth, "seen": seen, "first_record": first_record}


def _onset_and_noticing(ctx: _Context) -> dict[str, np.ndarray]:
    """Each problem's onset, first notice and noticer; the worst problem starts the case.

    Problems in the case's other yellow or red dimensions begin within the configured
    days after it. No problem begins before its person is old enough for it or after it
    was first recorded; whoever recorded it had noticed it by then; and only a source
    the rules in ``noticed_by`` allow (by subject, dimension and child's age) notices first.
    """
    J, sb, n, cases = ctx.J, ctx.J.sandbox, ctx.n, ctx.cases
    active = ctx.active
    worst = ctx.dim_of_worst
    # The case began before a provider first recorded any problem of the family: that provider
    # then knows of it (see below), so a recorded family is never "not noticed".
    latest_all = np.minimum(np.where(active, ctx.latest, NEVER).min(axis=1), ctx.first_record)
    lo = np.maximum(ctx.start, ctx.earliest[cases, worst])
    hi = np.maximum(lo, np.minimum(np.minimum(ctx.end, latest_all), ctx.latest[cases, worst]))
    onset = lo + np.floor(ctx.u("onset") * (hi - lo + 1)).astype(np.int64)
    ctx.sandbox_active = ctx.sandbox & (onset >= _day(sb.start))
    labels = {i.id: i.label_th for i in ctx.cfg.catalogue.indicators}
    sources = list(ctx.cfg.population.sources)
    source_th = {k: s.label_th for k, s in ctx.cfg.population.sources.items()}
    onset_d = np.zeros((n, 4), dtype=np.int64)
    noticed_d = np.zeros((n, 4), dtype=np.int64)
    noticed_by_d = np.zeros((n, 4), dtype=np.int64)
    seen = ctx.seen
    volunteer = sources.index("volunteer")
    for d, dim in enumerate(DIMENSIONS):
        first = worst == d
        lo_d = np.maximum(onset, ctx.earliest[:, d])
        # Recorded before the first problem could begin (a child too young for it then): it began earlier.
        forced = lo_d > ctx.latest[:, d]
        lo_d = np.where(forced, np.maximum(ctx.start, ctx.earliest[:, d]), lo_d)
        hi_d = np.maximum(lo_d, np.minimum(np.minimum(onset + J.later_problem_onset_days, ctx.end), ctx.latest[:, d]))
        later = np.floor(ctx.u("later_onset", d) * (hi_d - lo_d + 1)).astype(np.int64)
        onset_d[:, d] = np.where(first, onset, lo_d + later)
        drawn = onset_d[:, d] + ctx.delay("detection", d, ctx.factor(sb.detection_delay_factor))
        weights = _noticer_weights(ctx, d, drawn)
        x = ctx.u("noticer", d) * weights.sum(axis=1)
        chosen = np.argmax(np.cumsum(weights, axis=1) > x[:, None], axis=1)
        # A true observation of this dimension's problem means its source had noticed it by then.
        # So does a provider's record of another of the family's problems, if it may notice this one.
        rows = seen[(seen["dim"].to_numpy() == d) | (seen["source"].to_numpy() != volunteer)]
        c_obs, day_obs, src_obs, dim_obs = (rows[k].to_numpy() for k in ("case", "day", "source", "dim"))
        allowed = _noticer_weights(ctx, d, day_obs, c_obs)[np.arange(len(rows)), src_obs] > 0
        # A record in this dimension from before the onset (possible only when the problem's person
        # was too young then) means that provider already serves the family for it: it notices
        # the new problem on its onset.
        early = allowed & (day_obs < drawn[c_obs]) & ((day_obs >= onset_d[c_obs, d]) | (dim_obs == d))
        c_obs, day_obs, src_obs = c_obs[early], day_obs[early], src_obs[early]
        day_obs = np.maximum(day_obs, onset_d[c_obs, d])
        first_seen = np.unique(c_obs, return_index=True)[1]  # rows are sorted by day within a case
        recorded = np.full(n, -1, dtype=np.int64)
        recorded[c_obs[first_seen]] = first_seen
        by_record = recorded >= 0
        noticed_d[:, d] = np.where(by_record, day_obs[np.maximum(recorded, 0)] if len(day_obs) else 0, drawn)
        noticed_by_d[:, d] = np.where(by_record, src_obs[np.maximum(recorded, 0)] if len(src_obs) else 0, chosen)
        c = cases[active[:, d]]
        ctx.ev.add(c, onset_d[c, d], "onset", d, "family", [f"เริ่มมีปัญหา: {labels[i]}" for i in ctx.cat_ids],
                   ctx.lead_ind[c, d])
        who = np.array(sources, dtype=object)[noticed_by_d[c, d]]
        ctx.ev.add(c, noticed_d[c, d], "noticed", d, who, [f"{source_th[r]}พบปัญหาเป็นคนแรก" for r in sources],
                   noticed_by_d[c, d])
    first_notice = np.argmin(np.where(active, noticed_d, NEVER), axis=1)
    return {
        "onset": onset, "onset_d": onset_d, "noticed_d": noticed_d, "noticed_by_d": noticed_by_d,
        "true_detection": noticed_d[cases, worst] - onset,
        "noticed": np.where(active, noticed_d, NEVER).min(axis=1),
        "noticed_by": np.array(sources, dtype=object)[noticed_by_d[cases, first_notice]],
    }


def _codes(values: pd.Series, names) -> np.ndarray:
    """Position of each value in ``names`` (fast for categoricals)."""
    names = list(names)
    if isinstance(values.dtype, pd.CategoricalDtype):
        lookup = np.array([names.index(c) for c in values.cat.categories] + [-1], dtype=np.int64)
        return lookup[values.cat.codes.to_numpy()]
    return values.astype(str).map({v: i for i, v in enumerate(names)}).to_numpy().astype(np.int64)


def _case_of(family_ids: pd.Series, case_pos: pd.Series) -> np.ndarray:
    """Case position of each row's family, -1 for a family without a case (fast on many rows)."""
    numbers = pc.cast(pc.utf8_slice_codeunits(pa.array(family_ids), 2), pa.int64()).to_numpy(zero_copy_only=False)
    case_numbers = case_pos.index.str.slice(2).astype(np.int64).to_numpy()
    size = int(max(numbers.max(initial=0), case_numbers.max(initial=0))) + 1
    lookup = np.full(size, -1, dtype=np.int64)
    lookup[case_numbers] = case_pos.to_numpy()
    return lookup[numbers]


def _noticer_weights(ctx: _Context, d: int, day: np.ndarray, case: np.ndarray | None = None) -> np.ndarray:
    """(rows, sources) weights of who may notice dimension ``d``'s problem of each case on ``day``."""
    case = ctx.cases if case is None else case
    birth = ctx.concerned_birth[case, d]
    age = np.where(birth < NEVER, np.floor((day - birth) / DAYS_PER_YEAR), -1)
    sources = list(ctx.cfg.population.sources)
    subject = ctx.lead_subject[case, d]
    out = np.zeros((len(case), len(sources)))
    for subj in ("child", "parent"):
        here = subject == subj
        if here.any():
            out[here] = noticer_weights(ctx.cfg, sources, subj, DIMENSIONS[d], age[here])
    return out


def _notification(ctx: _Context, t: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Each problem's provider is notified and acknowledges; a few cases are lost for years."""
    J, sb, n, cases = ctx.J, ctx.J.sandbox, ctx.n, ctx.cases
    source_th = {k: s.label_th for k, s in ctx.cfg.population.sources.items()}
    lost = ctx.u("lost") < J.lost_between_agencies.probability * ctx.factor(sb.lost_between_agencies_factor)
    lo, hi = J.lost_between_agencies.years_min, J.lost_between_agencies.years_max
    lost_days = np.where(lost, np.rint((lo + ctx.u("lost_years") * (hi - lo)) * DAYS_PER_YEAR), 0).astype(np.int64)
    notified = np.zeros((n, 4), dtype=np.int64)
    acknowledged = np.zeros((n, 4), dtype=np.int64)
    for d, dim in enumerate(DIMENSIONS):
        notified[:, d] = t["noticed_d"][:, d] + ctx.delay("notification", d, ctx.factor(sb.notification_delay_factor))
        acknowledged[:, d] = notified[:, d] + ctx.delay(
            "acknowledgement", d, ctx.factor(sb.acknowledgement_delay_factor)) + lost_days
        c = cases[ctx.planned[:, d]]
        ctx.ev.add(c, notified[c, d], "notified", d, "volunteer",
                   f"แจ้ง{source_th[PROVIDER_ROLE[dim]]} (มิติ{DIMENSION_TH[dim]})")
        ctx.ev.add(c, acknowledged[c, d], "acknowledged", d, PROVIDER_ROLE[dim], "รับเรื่องแล้ว นัดประชุมวางแผนร่วมกัน")
        if ctx.unnotified[:, d].any():
            _own_notice(ctx, t, d)
    return {
        "lost": lost,
        "notified": np.where(ctx.planned, notified, np.iinfo(np.int64).max).min(axis=1),
        # The meeting waits for every problem's provider as with everyone notified (rule 1).
        "last_ack": np.where(ctx.active, acknowledged, 0).max(axis=1),
    }


def _own_notice(ctx: _Context, t: dict[str, np.ndarray], d: int) -> None:
    """Rule 2: the provider of unnotified dimension ``d`` finds the problem alone, later (or never)."""
    dim = DIMENSIONS[d]
    sources = list(ctx.cfg.population.sources)
    provider = sources.index(PROVIDER_ROLE[dim])
    onset, noticed = t["onset_d"][:, d], t["noticed_d"][:, d]
    factor = ctx.notify.own_notice.detection_delay_factor
    drawn = onset + ctx.delay("detection", d, ctx.factor(ctx.J.sandbox.detection_delay_factor) * factor,
                              stream="own_detection")
    own = np.where(_noticer_weights(ctx, d, drawn)[:, provider] > 0, drawn, NEVER)
    mine = ctx.seen[(ctx.seen["dim"].to_numpy() == d) & (ctx.seen["source"].to_numpy() == provider)]
    c_rec = mine["case"].to_numpy()
    np.minimum.at(own, c_rec, np.maximum(mine["day"].to_numpy(), onset[c_rec]))
    own = np.maximum(own, noticed)  # nobody noticed it before the first noticer did
    alone = ctx.unnotified[:, d] & (t["noticed_by_d"][:, d] != provider) & (own < NEVER)
    c = ctx.cases[alone]
    ctx.ev.add(c, own[c], "noticed", d, PROVIDER_ROLE[dim],
               f"{ctx.cfg.population.sources[PROVIDER_ROLE[dim]].label_th}รู้เรื่องนี้เองภายหลัง "
               f"ไม่มีใครแจ้ง จึงไม่ได้ร่วมวางแผน")


def _plan(ctx: _Context, t: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """A planning meeting after the last acknowledgement, with one goal per active dimension."""
    plan_day = t["last_ack"] + ctx.delay("plan", factor=ctx.factor(ctx.J.sandbox.plan_delay_factor))
    # Nobody notified, nobody at the table: no plan (rule 1).
    plan_day = np.where(ctx.planned.any(axis=1), plan_day, ctx.end + NO_PLAN_DAYS)
    ctx.ev.add(ctx.cases, plan_day, "plan_meeting", -1, "volunteer",
               "ประชุมอาสาสมัครกับผู้ให้บริการ 4 มิติ ทบทวนกลีบดอกและวางแผน")
    for d, dim in enumerate(DIMENSIONS):
        c = ctx.cases[ctx.planned[:, d]]
        ctx.ev.add(c, plan_day[c], "goal_set", d, PROVIDER_ROLE[dim], [ctx.goals[i].goal_th for i in ctx.cat_ids],
                   ctx.lead_ind[c, d])
    return {"plan": plan_day}


def _consent_rounds(ctx: _Context, t: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Rounds of explaining until the parent agrees or the rounds run out."""
    C, n, cases, ev = ctx.J.consent, ctx.n, ctx.cases, ctx.ev
    poor, legal = ctx.poor, ctx.legal
    plan_day = t["plan"]
    decided = np.zeros(n, dtype=bool)
    revised = np.zeros(n, dtype=bool)
    last_outcome = np.full(n, -1, dtype=np.int8)  # 0 agree, 1 unable, 2 disagree
    step = plan_day.copy()
    consent_day = np.full(n, -1, dtype=np.int64)
    rounds = np.zeros(n, dtype=np.int64)
    revisions = np.zeros(n, dtype=np.int64)
    last_response = plan_day.copy()
    for r in range(C.max_rounds):
        open_ = ~decided
        explain = step + ctx.delay("explain", r)
        c = cases[open_]
        ev.add(c, explain[c], "explained", -1, "volunteer", f"อาสาสมัครและผู้ให้บริการหลักอธิบายแผนให้ผู้ปกครอง (ครั้งที่ {r + 1})")
        p_agree = np.where(revised, C.agree_after_revision, C.agree) * np.where(legal, C.legal_agree_factor, 1.0)
        p_unable = np.minimum(np.where(poor, C.unable_if_poor, C.unable), 1 - p_agree)
        x = ctx.u("consent", r)
        outcome = np.where(x < p_agree, 0, np.where(x < p_agree + p_unable, 1, 2))
        rounds[open_] += 1
        last_response[open_] = explain[open_]
        last_outcome[open_] = outcome[open_]
        agree = open_ & (outcome == 0)
        unable = open_ & (outcome == 1)
        disagree = open_ & (outcome == 2)
        ev.add(cases[agree], explain[agree], "agreed", -1, "parent", "ผู้ปกครองเห็นด้วยกับแผน")
        reason = np.floor(ctx.u("unable_reason", r) * len(UNABLE_REASONS_TH)).astype(np.int64)
        reason = np.where(poor, reason, 0)
        ev.add(cases[unable], explain[unable], "agreed_but_unable", -1, "parent",
               [f"ผู้ปกครองเห็นด้วยแต่ทำไม่ได้: {why}" for why in UNABLE_REASONS_TH], reason[unable])
        ev.add(cases[disagree], explain[disagree], "disagreed", -1, "parent", "ผู้ปกครองไม่เห็นด้วย ขอคิดดูก่อน")
        signed = explain + 1
        ev.add(cases[agree], signed[agree], "consent_signed", -1, "parent", "ผู้ปกครองลงนามยินยอมผ่านโทรศัพท์มือถือ")
        consent_day[agree] = signed[agree]
        decided |= agree
        more = r + 1 < C.max_rounds
        if more:
            revise_day = explain + ctx.delay("revision", r)
            lead_dim_role = np.array([PROVIDER_ROLE[DIMENSIONS[d]] for d in ctx.dim_of_worst], dtype=object)
            ev.add(cases[unable], revise_day[unable], "plan_revised", -1, lead_dim_role[unable],
                   "ปรับแผน: เพิ่มความช่วยเหลือด้านรายได้ ค่าเดินทาง และคนพาไปรับบริการ")
            revisions[unable] += 1
            revised |= unable
            step = np.where(unable, revise_day, np.where(disagree, explain + ctx.delay("negotiation", r), step))

    refused = ~decided & (last_outcome == 2)
    ev.add(cases[refused], last_response[refused] + 1, "refused", -1, "parent",
           "ผู้ปกครองปฏิเสธแผนหลังพูดคุยหลายครั้ง")
    return {"rounds": rounds, "consent": consent_day, "decided": decided, "revised": revised,
            "refused": refused, "unable": ~decided & (last_outcome == 1), "last_response": last_response,
            "revisions": revisions}


def _legal_path(ctx: _Context, t: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """A refusing parent of a child on the legal path: the district director may separate the child."""
    cases, ev = ctx.cases, ctx.ev
    legal_path = t["refused"] & ctx.legal
    review = t["last_response"] + 1 + ctx.delay("director_review")
    ev.add(cases[legal_path], review[legal_path], "director_review", -1, "district_director",
           "ผู้อำนวยการเขตในฐานะพนักงานเจ้าหน้าที่ตาม พ.ร.บ.คุ้มครองเด็ก พิจารณาความปลอดภัยของเด็ก")
    separated = legal_path & (ctx.u("separate") < ctx.J.consent.separation_probability)
    separation_day = review + ctx.delay("separation")
    ev.add(cases[separated], separation_day[separated], "separated", -1, "district_director",
           "แยกเด็กไปอยู่บ้านพักชั่วคราวเพื่อความปลอดภัย")
    served = t["decided"] | separated
    service_day = np.where(t["decided"], t["consent"], separation_day) + ctx.delay("service_start")
    return {"legal_path": legal_path, "separated": separated, "separation": separation_day,
            "served": served, "service": service_day}


def _goals(ctx: _Context, t: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Whether and when each served dimension's goal is met (or reviewed after 12 months)."""
    S, sb, n, cases, ev = ctx.J.service, ctx.J.sandbox, ctx.n, ctx.cases, ctx.ev
    goals_met = np.zeros((n, 4), dtype=bool)
    goal_day = np.zeros((n, 4), dtype=np.int64)
    finish = np.zeros((n, 4), dtype=np.int64)
    revisions = t["revisions"].copy()
    for d, dim in enumerate(DIMENSIONS):
        here = t["served"] & ctx.planned[:, d]
        red = ctx.dim_rank[:, d] == 3
        ind_codes = ctx.lead_ind[:, d]
        months = S.months_to_goal.min + ctx.u("months_to_goal", d) * (S.months_to_goal.max - S.months_to_goal.min)
        span_days = np.rint(months * DAYS_PER_MONTH).astype(np.int64)
        p_met = np.where(red, S.goal_met["red"], S.goal_met["yellow"]) + np.where(ctx.sandbox_active, sb.goal_met_bonus, 0)
        if ctx.blocked[:, d].any():  # rule 3: an unseen problem keeps this one going
            p_met = np.where(ctx.blocked[:, d], p_met * ctx.notify.linked_goal_met_factor, p_met)
        met = here & (ctx.u("goal_met", d) < p_met)
        finish[:, d] = t["service"] + np.where(met, span_days, 365)
        goals_met[:, d] = met
        goal_day[:, d] = np.where(here, finish[:, d], 0)
        ev.add(cases[met], finish[met, d], "goal_met", d, PROVIDER_ROLE[dim],
               [f"บรรลุเป้าหมาย: {ctx.goals[i].goal_th}" for i in ctx.cat_ids], ind_codes[met])
        not_met = here & ~met
        ev.add(cases[not_met], finish[not_met, d], "goal_not_met", d, PROVIDER_ROLE[dim],
               "ครบ 12 เดือนแต่ยังไม่บรรลุเป้าหมาย ต้องทบทวนแผน")
        again = finish[:, d] + ctx.delay("revision", 100 + d)
        ev.add(cases[not_met], again[not_met], "plan_revised", d, PROVIDER_ROLE[dim],
               "ปรับแผนรอบใหม่หลังทบทวนผล 12 เดือน")
        revisions += not_met
    return {"goals_met": goals_met, "goal_day": goal_day, "finish": finish, "revisions": revisions}


def _service(ctx: _Context, t: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Service start and appointments (attended, missed, accompanied) until each goal's review."""
    S, sb, n, cases, ev = ctx.J.service, ctx.J.sandbox, ctx.n, ctx.cases, ctx.ev
    goals, agencies = ctx.goals, ctx.agencies
    service_day = t["service"]
    missed = np.zeros(n, dtype=np.int64)
    travel = np.zeros(n, dtype=np.int64)
    # Rule 4: without the livelihood provider a revised plan adds no income support.
    p_attend = np.where(ctx.poor & (~t["revised"] | ctx.livelihood_cut), S.attend_if_poor, S.attend)
    p_accompany = np.minimum(1.0, S.accompany_if_outside + np.where(ctx.sandbox_active, sb.accompany_bonus, 0))
    for d, dim in enumerate(DIMENSIONS):
        here = t["served"] & ctx.planned[:, d]
        c = cases[here]
        red = ctx.dim_rank[:, d] == 3
        ind_codes = ctx.lead_ind[:, d]
        finish = t["finish"][:, d]
        first_agency = [agencies[goals[i].touch_points[0].agency] for i in ctx.cat_ids]
        ev.add(c, service_day[c], "service_started", d, PROVIDER_ROLE[dim],
               [f"เริ่มรับบริการที่{a.name_th}" for a in first_agency], ind_codes[c])
        n_app = np.where(red, S.appointments["red"], S.appointments["yellow"])
        for k in range(max(S.appointments.values())):
            on = here & (k < n_app)
            jitter = (ctx.u("appointment_day", d * 16 + k) - 0.5) * 0.5
            app_day = service_day + np.floor((k + 0.5 + jitter) / n_app * (finish - service_day)).astype(np.int64)
            app_day = np.clip(app_day, service_day + 1, finish - 1)
            tps = [goals[i].touch_points[k % len(goals[i].touch_points)] for i in ctx.cat_ids]
            attended = on & (ctx.u("attended", d * 16 + k) < p_attend)
            no_show = on & ~attended
            missed += no_show
            words_ok = [f"{agencies[tp.agency].name_th}: มาตามนัด ({ctx.roles_th[tp.role]})" for tp in tps]
            words_no = [f"{agencies[tp.agency].name_th}: ไม่มาตามนัด ต้องโทรตามและนัดใหม่" for tp in tps]
            tp_role = np.array([tp.role for tp in tps], dtype=object)
            ev.add(cases[attended], app_day[attended], "appointment_attended", d, tp_role[ind_codes[attended]],
                   words_ok, ind_codes[attended])
            ev.add(cases[no_show], app_day[no_show], "appointment_missed", d, "parent", words_no, ind_codes[no_show])
            outside = np.array([agencies[tp.agency].outside_district for tp in tps])[np.maximum(ind_codes, 0)]
            went_with = attended & outside & (ctx.u("accompanied", d * 16 + k) < p_accompany)
            cost = np.array(S.travel_costs_baht)[
                np.floor(ctx.u("travel_cost", d * 16 + k) * len(S.travel_costs_baht)).astype(np.int64)]
            travel += np.where(went_with, cost, 0)
            ev.add(cases[went_with], app_day[went_with], "accompanied_visit", d, "volunteer",
                   [f"อาสาสมัครพาไปนอกเขต ค่าเดินทาง {b} บาท (เบิกได้)" for b in S.travel_costs_baht],
                   np.searchsorted(S.travel_costs_baht, cost[went_with]), value=cost[went_with])
    return {"missed": missed, "travel": travel}


def _touch_points(ctx: _Context) -> list[pd.DataFrame]:
    """The plan as written: every goal's touch points, for every active dimension."""
    tp_rows = []
    for d, dim in enumerate(DIMENSIONS):
        a = ctx.cases[ctx.planned[:, d]]
        for i_code in np.unique(ctx.lead_ind[a, d]):
            rows = a[ctx.lead_ind[a, d] == i_code]
            g = ctx.goals[ctx.cat_ids[i_code]]
            offset = 0
            for step, tp in enumerate(g.touch_points):
                tp_rows.append(pd.DataFrame({
                    "case": rows, "dimension": dim, "step": step + 1, "indicator_id": ctx.cat_ids[i_code],
                    "goal_th": g.goal_th, "agency": tp.agency, "agency_th": ctx.agencies[tp.agency].name_th,
                    "outside_district": ctx.agencies[tp.agency].outside_district, "role": tp.role,
                    "role_th": ctx.roles_th[tp.role], "information_th": tp.information_th, "days": tp.days,
                    "offset": offset,
                }))
                offset += tp.days
    return tp_rows


def _assemble(pop, cfg, fam, hh, is_case, ev: _EventBlocks, tp_rows, start, end, t) -> Timelines:
    rows = ev.concat()
    keep = rows["day"] <= end
    rows = {k: v[keep] for k, v in rows.items()}
    order = np.lexsort((rows["dim"], rows["order"], rows["day"], rows["case"]))
    rows = {k: v[order] for k, v in rows.items()}
    case_ids = case_id_of(fam).to_numpy()
    remap, wordings = pd.factorize(pd.Series(ev.wordings, dtype=object))
    events = pd.DataFrame({
        "case_id": pd.array(case_ids[rows["case"]], dtype="str"),
        "family_id": pd.array(fam.to_numpy()[rows["case"]], dtype="str"),
        "date": (EPOCH + rows["day"].astype("timedelta64[D]")).astype("datetime64[s]"),
        "stage": pd.Categorical.from_codes(rows["stage"], STAGES),
        "dimension": pd.Categorical.from_codes(rows["dim"].astype(np.int64), list(DIMENSIONS)),
        "actor_role": pd.Categorical(rows["actor"].astype(str)),
        "event": pd.Categorical.from_codes(rows["event"], list(EVENTS)),
        "details": pd.Categorical.from_codes(remap[rows["detail"]], list(wordings)),
    })

    def date_or_nat(day, valid):
        day = np.asarray(day, dtype=np.int64)
        ok = valid & (day <= end)
        out = EPOCH + np.where(ok, day, 0).astype("timedelta64[D]")
        return np.where(ok, out, np.datetime64("NaT")).astype("datetime64[s]")

    n = len(fam)
    yes = np.ones(n, dtype=bool)
    event_names = list(EVENTS)

    def count(event: str, weights=None) -> np.ndarray:
        hit = rows["event"] == event_names.index(event)
        w = None if weights is None else weights[hit]
        return np.bincount(rows["case"][hit], weights=w, minlength=n).astype(np.int64)

    # Summaries count only what the event log shows, i.e. what happened by the span's end.
    explained = count("explained")
    legal_in_span = count("director_review") > 0
    separated_in_span = count("separated") > 0
    refused_in_span = count("refused") > 0
    unable_in_span = t["unable"] & (explained == t["rounds"])
    active = t["active"]
    met_by_end = t["goals_met"] & (t["goal_day"] <= end)
    consent_ok = (t["consent"] >= 0) & (t["consent"] <= end)
    service_ok = t["served"] & (t["service"] <= end)
    outcome = np.select(
        [t["noticed"] > end, t["plan"] > end, separated_in_span, refused_in_span, unable_in_span,
         ~consent_ok & ~service_ok,
         service_ok & (met_by_end.sum(axis=1) == active.sum(axis=1)),
         service_ok & met_by_end.any(axis=1), service_ok],
        ["not_noticed", "awaiting_plan", "separated", "refused", "unable", "awaiting_consent",
         "goals_met", "partly_met", "in_service"],
        default="awaiting_consent",
    )
    cases_df = pd.DataFrame({
        "case_id": pd.array(case_ids, dtype="str"),
        "family_id": pd.array(fam.to_numpy(), dtype="str"),
        "district": hh.loc[is_case, "district"].reset_index(drop=True),
        "sandbox": hh.loc[is_case, "sandbox"].to_numpy(),
        "sandbox_active": t["sandbox_active"],
        "case_level": hh.loc[is_case, "case_level"].reset_index(drop=True),
        "dimensions": [",".join(d for d, a in zip(DIMENSIONS, row) if a) for row in active],
        "onset_date": date_or_nat(t["onset"], yes),
        "noticed_date": date_or_nat(t["noticed"], yes),
        # Nobody is named for a problem not yet noticed: the log does not know who will notice it.
        "noticed_by": pd.array(np.where(np.asarray(t["noticed"]) <= end, t["noticed_by"].astype(str), None),
                               dtype="str"),
        "first_notified_date": date_or_nat(t["notified"], yes),
        "plan_date": date_or_nat(t["plan"], yes),
        "consent_rounds": explained,
        "consent_date": date_or_nat(t["consent"], t["consent"] >= 0),
        "service_start_date": date_or_nat(t["service"], t["served"]),
        "goals_planned": t["planned"].sum(axis=1),
        "goals_met": met_by_end.sum(axis=1),
        "revisions": count("plan_revised"),
        "appointments_missed": count("appointment_missed"),
        "travel_cost_baht": count("accompanied_visit", weights=rows["value"]),
        "legal_path": legal_in_span,
        "separated": separated_in_span,
        "lost_between_agencies": t["lost"],
        "first_problem_dimension": pd.Categorical.from_codes(t["first_dim"], list(DIMENSIONS)),
        "true_detection_delay_days": t["true_detection"],
        "outcome": pd.Categorical(outcome, categories=list(OUTCOMES)),
    })

    if tp_rows:
        tp = pd.concat(tp_rows, ignore_index=True)
        tp = tp[t["plan"][tp["case"].to_numpy()] <= end]  # only plans made by the span's end
        plan = t["plan"][tp["case"].to_numpy()]
        tp.insert(0, "case_id", pd.array(case_ids[tp["case"].to_numpy()], dtype="str"))
        tp["planned_start"] = (EPOCH + (plan + tp["offset"].to_numpy()).astype("timedelta64[D]")).astype("datetime64[s]")
        tp["planned_end"] = (tp["planned_start"] + pd.to_timedelta(tp["days"], unit="D")).astype("datetime64[s]")
        tp = tp.drop(columns=["case", "offset"]).sort_values(["case_id", "dimension", "step"], kind="stable")
        tp["dimension"] = pd.Categorical(tp["dimension"], categories=list(DIMENSIONS))
        touch_points = tp.reset_index(drop=True)
    else:
        touch_points = pd.DataFrame(columns=["case_id", "dimension", "step"])
    return Timelines(
        events=events, cases=cases_df, touch_points=touch_points,
        span=(pd.Timestamp(EPOCH + np.timedelta64(start, "D")), pd.Timestamp(EPOCH + np.timedelta64(end, "D"))),
        config=cfg, petals=snapshot_petals(pop, is_case, met_by_end),
    )


def snapshot_petals(pop: Population, is_case: np.ndarray, met_by_end: np.ndarray) -> pd.DataFrame:
    """The population's petals as they are after service, at the span's end.

    ``pop.petals`` shows every problem the family has (what the volunteer and providers
    find, and what a case's plan starts from). A goal met by the span's end resolves its
    dimension: both petals of that dimension show green here, ``resolved_dimensions``
    lists it, and ``case_level`` follows the petals that remain (a family whose every goal
    was met is ``routine``: followed up as usual).
    """
    petals = pop.petals.copy()
    rank = np.zeros((len(petals), len(PETAL_COLUMNS)), dtype=np.int8)
    for k, col in enumerate(PETAL_COLUMNS):
        rank[:, k] = petals[col].cat.codes + 1
    resolved = np.zeros((len(petals), len(DIMENSIONS)), dtype=bool)
    resolved[np.nonzero(is_case)[0]] = met_by_end
    for k, col in enumerate(PETAL_COLUMNS):
        d = DIMENSIONS.index(col.split("_", 1)[1])
        green = pd.Categorical.from_codes(np.zeros(len(petals), dtype=np.int8), petals[col].cat.categories)
        petals[col] = petals[col].where(~resolved[:, d], green)
        rank[resolved[:, d], k] = 1
    level = petals["case_level"].cat.codes.to_numpy()
    petals["case_level"] = pd.Categorical.from_codes(
        np.where(resolved.any(axis=1), rank.max(axis=1), level), petals["case_level"].cat.categories)
    names = np.full(len(petals), "", dtype=object)
    some = np.nonzero(resolved.any(axis=1))[0]
    names[some] = [",".join(d for d, r in zip(DIMENSIONS, row) if r) for row in resolved[some]]
    petals["resolved_dimensions"] = pd.array(names, dtype="str")
    return petals
