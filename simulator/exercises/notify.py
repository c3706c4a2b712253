"""Activities 7 and 8: why notify the four providers — the same case with and without each one.

:func:`notify_scenarios` runs one case through the journey model with every provider
notified (``"all"``) and with each of its providers in turn not notified (``"no_social"``
...); the rule is in ``notify_scenarios.yaml``. Each family has its own random streams, so
the runs are paired: only what the missing provider changes differs.

* :func:`scenario_summary` — per scenario: goals set and met, days to service, petals at the
  end, and what went unseen (Thai), with :data:`SUMMARY_TH` headers (:func:`scenario_summary_th`);
* :func:`dimension_timeline` — per scenario and dimension: when it was noticed, planned,
  served and met (what :func:`simulator.figures.notify.scenario_figure` draws);
* :func:`what_they_could_not_see` — for each provider, what the other providers and the
  volunteers recorded in the other dimensions (the records, not the truth);
* :class:`NotifyPrediction` — the trainee predicts whose absence costs most goals;
  ``check`` answers from the scenario runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from simulator.exercises.views import observation_rows, person_label
from simulator.model.config import DIMENSIONS, KitConfig
from simulator.model.population import Population
from simulator.model.timelines import PROVIDER_ROLE, Timelines, simulate_timelines
from simulator.model.unnotified import (
    NotifySettings,
    family_links,
    load_notify_settings,
)
from simulator.thai.dates import thai_date
from simulator.thai.vocabulary import COLOUR_TH, DIMENSION_TH, OUTCOME_TH, SUBJECT_TH

ALL = "all"
SUMMARY_COLUMNS = ("scenario", "label_th", "unnotified", "problems", "dimensions_with_goals", "goals_planned",
                   "goals_harder",
                   "goals_met", "goals_lost", "days_to_service", "appointments_missed", "non_green_petals", "petals_at_end_th",
                   "outcome", "unseen_th")
SUMMARY_TH = {
    "label_th": "สถานการณ์", "dimensions_with_goals": "มิติที่มีเป้าหมาย",
    "goals_harder": "เป้าหมายที่ทำได้ยากขึ้น", "goals_met": "มิติที่บรรลุเป้าหมายเมื่อสิ้นช่วง",
    "goals_lost": "บรรลุน้อยลง (ข้อ)", "days_to_service": "วันจากพบปัญหาถึงเริ่มบริการ",
    "appointments_missed": "นัดที่ขาด", "petals_at_end_th": "กลีบดอกที่ยังไม่เขียวเมื่อสิ้นช่วง",
    "outcome": "ผลลัพธ์ (outcome)", "unseen_th": "สิ่งที่ไม่มีใครเห็นร่วมกัน",
}
UNSEEN_TH = {
    "dimension": "ผู้ให้บริการ", "indicator_th": "สิ่งที่ไม่รู้ถ้าไม่มีใครแจ้ง", "about_th": "ของใคร",
    "indicator_dimension": "มิติของเรื่องนั้น", "recorded_by_th": "ใครบันทึกไว้", "first_recorded": "บันทึกครั้งแรก",
    "links_to_own": "เกี่ยวกับงานของผู้ให้บริการเอง",
}


class NotifyError(ValueError):
    """A case or family the exercise cannot use; the message is Thai, for trainees."""


def provider_th(cfg: KitConfig, dimension: str) -> str:
    """``ครู (มิติการศึกษา)``: the community-level provider of a dimension."""
    return f"{cfg.population.sources[PROVIDER_ROLE[dimension]].label_th} (มิติ{DIMENSION_TH[dimension]})"


def scenario_label_th(cfg: KitConfig, unnotified) -> str:
    """``แจ้งครบทุกมิติ`` or ``ไม่ได้แจ้งครู (มิติการศึกษา)``."""
    if not unnotified:
        return "แจ้งผู้ให้บริการครบทุกมิติ"
    return "ไม่ได้แจ้ง" + " และ".join(provider_th(cfg, d) for d in unnotified)


def scenario_key(unnotified) -> str:
    """``all`` or ``no_social`` / ``no_social+health``."""
    dims = [d for d in DIMENSIONS if d in set(unnotified)]
    return ALL if not dims else "no_" + "+".join(dims)


@dataclass
class Scenario:
    """One run of one case: which providers were not notified, and the case's journey."""

    key: str
    unnotified: tuple[str, ...]
    label_th: str
    timelines: Timelines  # the case alone (events, cases, touch points, petals after service)
    family_id: str
    case_id: str
    problems: tuple[str, ...]  # the case's yellow or red dimensions
    notify: NotifySettings = field(repr=False, default=None)
    indicators: pd.DataFrame = field(repr=False, default=None)  # the family's true indicators

    @property
    def case(self) -> pd.Series:
        return self.timelines.cases.iloc[0]


def family_of_case(case_id: str) -> str:
    """``JC0000042`` -> ``HH0000042``."""
    if not isinstance(case_id, str) or not case_id.startswith("JC") or not case_id[2:].isdigit():
        raise NotifyError(f"รหัสกรณี {case_id!r} ไม่ถูกต้อง: ต้องเป็นแบบ JC0000001")
    return "HH" + case_id[2:]


def case_dimensions(pop: Population, case_id: str) -> tuple[str, ...]:
    """The case's yellow or red dimensions (one problem, and one goal, each)."""
    family = family_of_case(case_id)
    row = pop.petals[pop.petals["family_id"] == family]
    if row.empty:
        raise NotifyError(f"ไม่มีครอบครัว {family} ในข้อมูลชุดนี้")
    row = row.iloc[0]
    dims = tuple(d for d in DIMENSIONS if {str(row[f"child_{d}"]), str(row[f"parent_{d}"])} & {"yellow", "red"})
    if not dims:
        raise NotifyError(f"ครอบครัว {family} ไม่มีกลีบสีเหลืองหรือแดง จึงไม่มีกรณีให้เทียบ")
    return dims


def run_scenario(pop: Population, case_id: str, unnotified=(), config: KitConfig | None = None,
                 notify: NotifySettings | None = None) -> Scenario:
    """The case with the providers of ``unnotified`` (dimension keys) not notified."""
    cfg = config or pop.config
    notify = notify or load_notify_settings(config=config)
    problems = case_dimensions(pop, case_id)
    unknown = [d for d in unnotified if d not in DIMENSIONS]
    if unknown:
        raise NotifyError(f"ไม่รู้จักมิติ {', '.join(unknown)}: ใช้ {', '.join(DIMENSIONS)}")
    dims = tuple(d for d in DIMENSIONS if d in set(unnotified))
    family = family_of_case(case_id)
    alone = pop.family(family)
    tl = simulate_timelines(alone, config=config, unnotified=dims, notify=notify).case(case_id)
    return Scenario(key=scenario_key(dims), unnotified=dims, label_th=scenario_label_th(cfg, dims), timelines=tl,
                    family_id=family, case_id=case_id, problems=problems, notify=notify,
                    indicators=alone.indicators)


def notify_scenarios(pop: Population, case_id: str, config: KitConfig | None = None,
                     notify: NotifySettings | None = None) -> dict[str, Scenario]:
    """``"all"`` and ``"no_<dimension>"`` for each of the case's yellow or red dimensions."""
    notify = notify or load_notify_settings(config=config)
    out = {ALL: run_scenario(pop, case_id, (), config, notify)}
    for dim in out[ALL].problems:
        s = run_scenario(pop, case_id, (dim,), config, notify)
        out[s.key] = s
    return out


# ---- what happened in each scenario -----------------------------------------------------------


def _first(events: pd.DataFrame, event: str, dim: str | None = None, actor: str | None = None):
    ev = events[events["event"] == event]
    if dim is not None:
        ev = ev[ev["dimension"].astype(object) == dim]
    if actor is not None:
        ev = ev[ev["actor_role"].astype(str) == actor]
    return ev["date"].min() if len(ev) else pd.NaT


def dimension_timeline(scenarios: dict[str, Scenario]) -> pd.DataFrame:
    """One row per scenario and problem dimension: what happened to it, when.

    Columns: ``scenario``, ``dimension``, ``notified`` (its provider was), ``noticed``
    (first noticed by anyone), ``provider_knew`` (its provider knew: acknowledged, or found it
    alone), ``goal_set``, ``consent``, ``service_started``, ``goal_met``, ``goal_not_met``
    (dates, NaT when it did not happen by the span's end), ``linked_harder`` (rule 3 made
    its goal harder), ``petal_child``/``petal_parent`` (colours at the span's end).
    """
    rows = []
    for key, s in scenarios.items():
        ev, petals = s.timelines.events, s.timelines.petals
        links = _scenario_links(s)
        consent = _first(ev, "consent_signed")
        for dim in s.problems:
            role = PROVIDER_ROLE[dim]
            notified = dim not in s.unnotified
            knew = _first(ev, "acknowledged", dim) if notified else _first(ev, "noticed", dim, role)
            goal_set = _first(ev, "goal_set", dim)
            rows.append({
                "scenario": key, "dimension": dim, "notified": notified,
                "noticed": _first(ev, "noticed", dim), "provider_knew": knew, "goal_set": goal_set,
                "consent": consent if pd.notna(goal_set) else pd.NaT,
                "service_started": _first(ev, "service_started", dim),
                "goal_met": _first(ev, "goal_met", dim), "goal_not_met": _first(ev, "goal_not_met", dim),
                "linked_harder": bool((links["target_dimension"] == dim).any()),
                "petal_child": str(petals[f"child_{dim}"].iloc[0]), "petal_parent": str(petals[f"parent_{dim}"].iloc[0]),
            })
    return pd.DataFrame(rows)


def _scenario_links(s: Scenario) -> pd.DataFrame:
    """Rule 3's links at work in this scenario: driver unnotified, target with a goal."""
    cfg = s.timelines.config
    links = family_links(cfg, s.notify, s.indicators)
    planned = set(s.problems) - set(s.unnotified)
    return links[links["driver_dimension"].isin(s.unnotified) & links["target_dimension"].isin(planned)]


def _problem_labels(s: Scenario, dim: str) -> list[str]:
    cfg = s.timelines.config
    labels = {i.id: i.label_th for i in cfg.catalogue.indicators}
    ind = s.indicators[(s.indicators["dimension"].astype(str) == dim)
                       & s.indicators["severity"].astype(str).isin(["yellow", "red"])]
    return list(dict.fromkeys(labels[i] for i in ind["indicator_id"].astype(str)))


def _unseen_th(s: Scenario) -> str:
    if not s.unnotified:
        return "ไม่มี: ผู้ให้บริการทุกมิติรู้เรื่องและวางแผนร่วมกัน"
    cfg = s.timelines.config
    end = s.timelines.span[1]
    parts = []
    for dim in s.unnotified:
        if dim not in s.problems:
            continue
        knew = _first(s.timelines.events, "noticed", dim, PROVIDER_ROLE[dim])
        when = (f"รู้เองเมื่อ {thai_date(knew)} แต่ไม่ได้ร่วมวางแผน" if pd.notna(knew) and knew <= end
                else "ไม่รู้เลยจนสิ้นช่วงเวลาจำลอง")
        who = cfg.population.sources[PROVIDER_ROLE[dim]].label_th
        parts.append(f"{', '.join(_problem_labels(s, dim))} (มิติ{DIMENSION_TH[dim]}): ไม่มีเป้าหมายในแผน "
                     f"{who}{when}")
    for _, link in _scenario_links(s).drop_duplicates("reason_th").iterrows():
        parts.append(f"เป้าหมายมิติ{DIMENSION_TH[link['target_dimension']]}ยากขึ้น: {link['reason_th']}")
    return "; ".join(parts) if parts else "ไม่มี: มิตินี้ไม่มีปัญหาให้แจ้ง"


def _petals_at_end(s: Scenario) -> tuple[int, str]:
    row = s.timelines.petals.iloc[0]
    left = [f"{SUBJECT_TH[subj]}-{DIMENSION_TH[d]} ({COLOUR_TH[str(row[f'{subj}_{d}'])]})"
            for subj in ("child", "parent") for d in DIMENSIONS if str(row[f"{subj}_{d}"]) != "green"]
    return len(left), (", ".join(left) if left else "ทุกกลีบเป็นสีเขียว")


def scenario_summary(scenarios: dict[str, Scenario]) -> pd.DataFrame:
    """One row per scenario (columns :data:`SUMMARY_COLUMNS`): how the case ends.

    ``problems`` counts the case's yellow or red dimensions (the same in every scenario);
    ``goals_harder`` counts the goals an unseen linked problem makes harder (rule 3);
    ``goals_lost`` counts the goals met in ``"all"`` but not in this scenario (0 for
    ``"all"``; missing when ``"all"`` was not run); ``days_to_service`` runs from the first
    notice to the first service (missing without service by the span's end).
    """
    base = scenarios.get(ALL)
    rows = []
    for key, s in scenarios.items():
        case = s.case
        service, noticed = case["service_start_date"], case["noticed_date"]
        non_green, petals_th = _petals_at_end(s)
        goals_met = int(case["goals_met"])
        rows.append({
            "scenario": key, "label_th": s.label_th, "unnotified": ",".join(s.unnotified), "problems": len(s.problems),
            "dimensions_with_goals": ",".join(d for d in s.problems if d not in s.unnotified),
            "goals_planned": int(case["goals_planned"]),
            "goals_harder": _scenario_links(s)["target_dimension"].nunique(), "goals_met": goals_met,
            "goals_lost": int(base.case["goals_met"]) - goals_met if base is not None else pd.NA,
            "days_to_service": (service - noticed).days if pd.notna(service) and pd.notna(noticed) else pd.NA,
            "appointments_missed": int(case["appointments_missed"]),
            "non_green_petals": non_green, "petals_at_end_th": petals_th,
            "outcome": str(case["outcome"]), "unseen_th": _unseen_th(s),
        })
    df = pd.DataFrame(rows, columns=list(SUMMARY_COLUMNS))
    for col in ("goals_lost", "days_to_service"):
        df[col] = df[col].astype("Int64")
    return df


def scenario_summary_th(summary: pd.DataFrame) -> pd.DataFrame:
    """The summary for trainees: Thai headers, Thai words, dimension names in Thai."""
    out = summary.copy()
    out["dimensions_with_goals"] = out["dimensions_with_goals"].map(
        lambda s: " ".join(DIMENSION_TH[d] for d in s.split(",") if d) or "ไม่มี (ไม่มีแผน)")
    # Out of the case's problems: leaving a provider out must not look like fewer goals to reach.
    out["goals_met"] = [f"{m} จาก {p} มิติที่มีปัญหา" for m, p in zip(summary["goals_met"], summary["problems"])]
    out["days_to_service"] = [("ยังไม่ได้รับบริการ" if pd.isna(v) else f"{int(v)} วัน") for v in summary["days_to_service"]]
    out["goals_lost"] = ["" if pd.isna(v) else str(int(v)) for v in summary["goals_lost"]]
    out["outcome"] = out["outcome"].map(OUTCOME_TH)
    return out[list(SUMMARY_TH)].rename(columns=SUMMARY_TH).reset_index(drop=True)


# ---- what each provider alone could not see ----------------------------------------------------


def what_they_could_not_see(pop: Population, case_id: str) -> pd.DataFrame:
    """For each provider, what others recorded about the family in the OTHER dimensions.

    From the records (observations) only, as on screen: for the provider of each dimension,
    every indicator recorded in another dimension by someone else (the other providers, the
    volunteers) and not also recorded by this provider. One row per provider, indicator and
    person: ``dimension`` (the provider's), ``provider_th``, ``indicator_id``, ``indicator_th``,
    ``person_id``, ``about_th``, ``indicator_dimension``, ``recorded_by`` (sources, comma),
    ``recorded_by_th``, ``first_recorded``, ``links_to_own`` (a link of rule 3 runs from it to
    a recorded problem in the provider's own dimension, or back), ``text_th`` (one Thai line).
    """
    family = family_of_case(case_id)
    cfg = pop.config
    notify = load_notify_settings(config=cfg)
    obs = observation_rows(pop, family)
    labels = {i.id: i.label_th for i in cfg.catalogue.indicators}
    dim_of = {i.id: i.dimension for i in cfg.catalogue.indicators}
    people = pop.people.set_index("person_id")
    links = pd.DataFrame(columns=["driver", "target"])
    if len(obs):
        rec = obs.assign(family_id=family)[["family_id", "indicator_id"]].astype(str)
        links = family_links(cfg, notify, rec)
    rows = []
    for dim in DIMENSIONS:
        me = PROVIDER_ROLE[dim]
        mine = set(obs.loc[obs["source"].astype(str) == me, "indicator_id"].astype(str))
        own_recorded = {i for i in obs["indicator_id"].astype(str) if dim_of[i] == dim}
        others = obs[(obs["dimension"].astype(str) != dim) & (obs["source"].astype(str) != me)
                     & ~obs["indicator_id"].astype(str).isin(mine)]
        for (ind, person), grp in others.groupby([others["indicator_id"].astype(str), "person_id"], sort=False):
            sources = list(dict.fromkeys(grp["source"].astype(str)))
            linked = bool(((links["driver"] == ind) & links["target"].isin(own_recorded)).any()
                          or ((links["target"] == ind) & links["driver"].isin(own_recorded)).any())
            who = person_label(people.loc[person], pop.reference_date)
            by_th = ", ".join(cfg.population.sources[src].label_th for src in sources)
            text = f"{labels[ind]} — {who} (มิติ{DIMENSION_TH[dim_of[ind]]}, บันทึกโดย{by_th})"
            if linked:
                text += " ★ เกี่ยวกับปัญหาในมิติของตนเอง"
            rows.append({
                "dimension": dim, "provider_th": provider_th(cfg, dim), "indicator_id": ind,
                "indicator_th": labels[ind], "person_id": person, "about_th": who,
                "indicator_dimension": dim_of[ind], "recorded_by": ",".join(sources), "recorded_by_th": by_th,
                "first_recorded": grp["observed_on"].min(), "links_to_own": linked, "text_th": text,
            })
    cols = ["dimension", "provider_th", "indicator_id", "indicator_th", "person_id", "about_th",
            "indicator_dimension", "recorded_by", "recorded_by_th", "first_recorded", "links_to_own", "text_th"]
    return pd.DataFrame(rows, columns=cols)


def could_not_see_th(table: pd.DataFrame, config: KitConfig) -> dict[str, list[str]]:
    """:func:`what_they_could_not_see` as Thai lists keyed by the provider's Thai name (all four, in order)."""
    out = {}
    for dim in DIMENSIONS:
        out[provider_th(config, dim)] = (list(table.loc[table["dimension"] == dim, "text_th"])
                                         or ["(ไม่มีเรื่องในมิติอื่นที่คนอื่นบันทึกไว้)"])
    return out


def could_not_see_table_th(table: pd.DataFrame) -> pd.DataFrame:
    """The table with Thai headers and words, for display."""
    out = table.assign(
        dimension=table["provider_th"],
        indicator_dimension=table["indicator_dimension"].map(DIMENSION_TH),
        first_recorded=[thai_date(d) for d in table["first_recorded"]],
        links_to_own=table["links_to_own"].map({True: "ใช่", False: ""}),
    )
    return out[list(UNSEEN_TH)].rename(columns=UNSEEN_TH).reset_index(drop=True)


# ---- the prediction exercise ------------------------------------------------------------------


@dataclass
class PredictionFeedback:
    correct: bool
    message_th: str
    lines_th: list[str]  # what each provider's absence put at risk and cost, then the reasons


class NotifyPrediction:
    """Whose absence puts most goals at risk? The trainee predicts from the records; the runs answer.

    The options are the providers of the case's problem dimensions. Without provider D, D's
    goal is missing from the plan and each goal a link makes harder (rule 3) is at risk: what
    the records on screen support, when the linked problems were recorded. An answer is
    right when no other absence puts more goals at risk (ties are all right). The feedback
    adds what the runs showed: the goals met with everyone notified but not without D
    (chance decides those, so they may differ from the goals at risk).
    """

    def __init__(self, pop: Population, case_id: str, scenarios: dict[str, Scenario] | None = None,
                 config: KitConfig | None = None):
        self.cfg = config or pop.config
        self.scenarios = scenarios or notify_scenarios(pop, case_id, config)
        self.case_id = case_id
        base = self.scenarios[ALL]
        self.settings = base.notify
        self.dimensions = base.problems
        self.recorded = set(observation_rows(pop, base.family_id)["indicator_id"].astype(str))
        planned = {d for d in self.dimensions if pd.notna(_first(base.timelines.events, "goal_set", d))}
        met = int(base.case["goals_met"])
        rows = []
        for d in self.dimensions:
            without = self.scenarios[scenario_key((d,))]
            links = _scenario_links(without)
            harder = set(links["target_dimension"]) & planned
            rows.append({"dimension": d, "provider_th": provider_th(self.cfg, d), "missing": int(d in planned),
                         "harder": len(harder), "at_risk": int(d in planned) + len(harder),
                         "goals_lost": met - int(without.case["goals_met"])})
        self._table = pd.DataFrame(rows)
        self.at_risk = dict(zip(self._table["dimension"], self._table["at_risk"]))
        self.most = max(self.at_risk.values())
        self.best = tuple(d for d in self.dimensions if self.at_risk[d] == self.most)

    @property
    def question_th(self) -> str:
        return self.settings.exercise.question_th

    @property
    def hint_th(self) -> str:
        return self.settings.exercise.hint_th

    def options(self) -> list[tuple[str, str]]:
        """(Thai label, dimension) pairs, in the order of the dimensions."""
        return [(provider_th(self.cfg, d), d) for d in self.dimensions]

    def table(self) -> pd.DataFrame:
        """Per provider: ``missing`` (its goal), ``harder`` (goals a link makes harder), ``at_risk``
        (their sum) and ``goals_lost`` (goals met with everyone notified but not without it)."""
        return self._table.copy()

    def check(self, answer: str) -> PredictionFeedback:
        ex = self.settings.exercise
        if answer not in self.dimensions:
            return PredictionFeedback(False, "ยังไม่ได้เลือกคำตอบ: เลือกผู้ให้บริการหนึ่งคนก่อนกดตรวจ", [])
        lines = [ex.outcome_th.format(provider=r["provider_th"], missing=r["missing"], harder=r["harder"],
                                      lost=r["goals_lost"]) for _, r in self._table.iterrows()]
        labels = {i.id: i.label_th for i in self.cfg.catalogue.indicators}
        links = pd.concat([_scenario_links(self.scenarios[scenario_key((d,))]) for d in self.best])
        if len(links):
            lines.append(ex.because_th.format(reasons="; ".join(dict.fromkeys(links["reason_th"]))))
            unrecorded = [i for i in dict.fromkeys([*links["driver"], *links["target"]]) if i not in self.recorded]
            lines += [ex.unrecorded_th.format(indicator=labels[i]) for i in unrecorded]
        lines.append(ex.chance_th)
        name = provider_th(self.cfg, answer)
        best_name = " หรือ".join(provider_th(self.cfg, d) for d in self.best)
        values = {"provider": name, "at_risk": self.at_risk[answer], "best": best_name, "best_at_risk": self.most}
        if answer in self.best:
            others = [provider_th(self.cfg, d) for d in self.best if d != answer]
            template = ex.tie_th if others else ex.correct_th
            return PredictionFeedback(True, template.format(**values, others=" และ".join(others)), lines)
        return PredictionFeedback(False, ex.wrong_th.format(**values, others=""), lines)


__all__ = ["ALL", "SUMMARY_COLUMNS", "SUMMARY_TH", "NotifyError", "NotifyPrediction", "PredictionFeedback",
           "Scenario", "case_dimensions", "could_not_see_table_th", "could_not_see_th", "dimension_timeline",
           "family_of_case", "notify_scenarios", "provider_th", "run_scenario", "scenario_key", "scenario_label_th",
           "scenario_summary", "scenario_summary_th", "what_they_could_not_see"]
