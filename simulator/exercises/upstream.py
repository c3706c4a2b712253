"""District exercise: sort cases into upstream (ต้นน้ำ) and downstream (ปลายน้ำ).

District executives and staff sort a batch of case cards:

* **upstream**: a risk caught early, where prevention or early help still stops the harm;
* **downstream**: harm that has already happened, needing protection, treatment or the law.

Each indicator's stream and the reason a trainer gives for it live in
``simulator/data/upstream.yaml`` (:func:`load_streams`). A card shows a family's indicators as
its records show them (the rows of :func:`simulator.exercises.views.observation_rows`, false
alarms included, since the trainee cannot tell them apart); grading uses only the card: a card
is downstream when any indicator on it is downstream (:func:`card_stream`).

The second layer is the simulator's truth: for a downstream card, the upstream signs the
family really had, when the timelines say the problems began and were noticed, and when the
records first show each sign. It says only what those tables show. :func:`stream_summary`
counts the same over a whole population for discussion: how many cases start downstream, and
how many downstream cases also carried an upstream sign.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import Field, field_validator

from simulator.exercises.views import observation_rows, person_label
from simulator.model.config import (
    DATA_DIR,
    ConfigError,
    KitConfig,
    _Strict,
    load_config,
    load_yaml_model,
)
from simulator.model.population import Population
from simulator.model.timelines import Timelines, simulate_timelines
from simulator.thai.dates import DAYS_PER_MONTH, thai_date

STREAM_FILE = DATA_DIR / "upstream.yaml"
STREAMS = ("upstream", "downstream")
STREAM_TH = {"upstream": "ต้นน้ำ", "downstream": "ปลายน้ำ"}
STREAM_CHOICE_TH = {s: f"{STREAM_TH[s]} ({s})" for s in STREAMS}


class AnswerError(ValueError):
    """The trainee's answer is incomplete or uses an unknown stream (message in Thai)."""


# ---------------------------------------------------------------- the data file
def _thai_line(text: str) -> str:
    text = text.strip()
    if not text:
        raise ValueError("reason_th is empty: write one line of Thai a trainer can read out")
    if "\n" in text:
        raise ValueError("reason_th must be one line (no line break)")
    if not any("\u0e00" <= ch <= "\u0e7f" for ch in text):
        raise ValueError(f"reason_th must be written in Thai, found {text!r}")
    return text


class StreamEntry(_Strict):
    id: str
    stream: Literal["upstream", "downstream"]
    reason_th: str

    @field_validator("reason_th")
    @classmethod
    def _reason(cls, text: str) -> str:
        return _thai_line(text)


class SignBefore(_Strict):
    before: str
    after: str
    reason_th: str

    @field_validator("reason_th")
    @classmethod
    def _reason(cls, text: str) -> str:
        return _thai_line(text)


class StreamFile(_Strict):
    version: Literal[1]
    indicators: list[StreamEntry]
    signs_before: list[SignBefore] = Field(default_factory=list)


@dataclass(frozen=True)
class Link:
    """An upstream sign known to come before a downstream harm.

    ``risk_ratio`` is set for the links taken from ``indicators.yaml`` dependencies (the
    simulator makes the harm that many times likelier where the sign is present); ``None``
    for the field-knowledge links of ``upstream.yaml`` ``signs_before``, which the simulator
    does not model.
    """

    before: str
    after: str
    reason_th: str
    risk_ratio: float | None = None

    @property
    def modelled(self) -> bool:
        return self.risk_ratio is not None


@dataclass(frozen=True)
class Streams:
    """The validated contents of ``upstream.yaml`` with the dependency links added."""

    stream: dict[str, str]
    reason_th: dict[str, str]
    links: tuple[Link, ...]
    path: Path

    def ids(self, stream: str) -> list[str]:
        return [i for i, s in self.stream.items() if s == stream]

    def links_between(self, before: set[str] | list[str], after: set[str] | list[str]) -> list[Link]:
        before, after = set(before), set(after)
        return [link for link in self.links if link.before in before and link.after in after]


def load_streams(folder: Path | str | None = None, config: KitConfig | None = None) -> Streams:
    """Read and check ``upstream.yaml`` from ``folder`` (the kit's data folder when not given).

    Every indicator of the catalogue (``config``'s, else the one in ``folder``) must appear
    exactly once with a known stream and a one-line Thai reason; ``signs_before`` must lead
    from an upstream to a downstream indicator and must not repeat a dependency of
    ``indicators.yaml``. Problems raise :class:`ConfigError` naming the file and the entry.
    """
    if folder is None and config is None:
        return _default_streams()
    return _load_streams(STREAM_FILE if folder is None else Path(folder) / "upstream.yaml",
                         config or load_config(folder))


@lru_cache(maxsize=1)
def _default_streams() -> Streams:
    return _load_streams(STREAM_FILE, load_config())


def streams_for(pop: Population) -> Streams:
    """The kit's streams, checked against the catalogue ``pop`` was simulated with."""
    return load_streams() if pop.config is load_config() else load_streams(config=pop.config)


def _load_streams(path: Path, config: KitConfig) -> Streams:
    data = load_yaml_model(StreamFile, path)
    catalogue = config.catalogue
    labels = {i.id: i.label_th for i in catalogue.indicators}
    problems = []
    seen: dict[str, int] = {}
    for n, entry in enumerate(data.indicators):
        if entry.id in seen:
            problems.append(f"indicators[{n}] (id: {entry.id}): listed twice (first at indicators[{seen[entry.id]}])")
        elif entry.id not in labels:
            problems.append(f"indicators[{n}] (id: {entry.id}): not an indicator id of indicators.yaml")
        seen.setdefault(entry.id, n)
    missing = [i for i in labels if i not in seen]
    if missing:
        problems.append("indicators: no entry for " + ", ".join(missing) + " (every indicator of indicators.yaml "
                        "needs a stream)")
    stream = {e.id: e.stream for e in data.indicators if e.id in labels}
    dependencies = {(d.driver, d.target): d for d in catalogue.dependencies}
    pairs: set[tuple[str, str]] = set()
    for n, sign in enumerate(data.signs_before):
        where = f"signs_before[{n}] ({sign.before} -> {sign.after})"
        for role, ind_id, want in (("before", sign.before, "upstream"), ("after", sign.after, "downstream")):
            if ind_id not in labels:
                problems.append(f"{where}: {role} {ind_id!r} is not an indicator id of indicators.yaml")
            elif ind_id in stream and stream[ind_id] != want:
                problems.append(f"{where}: {role} {ind_id!r} must be a {want} indicator, it is {stream[ind_id]}")
        if (sign.before, sign.after) in dependencies:
            problems.append(f"{where}: already a dependency in indicators.yaml, which is used as a sign "
                            "already; remove it here")
        if (sign.before, sign.after) in pairs:
            problems.append(f"{where}: listed twice")
        pairs.add((sign.before, sign.after))
    if problems:
        raise ConfigError(f"{path}: {len(problems)} problem(s)\n" + "\n".join(f"  {p}" for p in problems))
    links = [Link(d.driver, d.target,
                  f"ในโลกจำลองนี้ «{labels[d.driver]}» ทำให้ «{labels[d.target]}» เกิดได้บ่อยขึ้น {d.risk_ratio:g} เท่า",
                  d.risk_ratio)
             for d in catalogue.dependencies
             if stream[d.driver] == "upstream" and stream[d.target] == "downstream"]
    links += [Link(s.before, s.after, s.reason_th) for s in data.signs_before]
    return Streams(stream=stream, reason_th={e.id: e.reason_th for e in data.indicators if e.id in labels},
                   links=tuple(links), path=path)


# ---------------------------------------------------------------- cards
def card_stream(indicator_ids, streams: Streams) -> str:
    """The sorting rule: downstream when any indicator shown is downstream, else upstream."""
    ids = list(indicator_ids)
    if not ids:
        raise ValueError("a card needs at least one indicator")
    return "downstream" if any(streams.stream[i] == "downstream" for i in ids) else "upstream"


@dataclass(frozen=True)
class CardItem:
    """One indicator as the family's records show it."""

    indicator_id: str
    person_id: str
    label_th: str
    about_th: str
    sources_th: str
    first_recorded: pd.Timestamp
    stream: str

    @property
    def text_th(self) -> str:
        return (f"{self.label_th} — {self.about_th} · บันทึกโดย {self.sources_th} · "
                f"ครั้งแรก {thai_date(self.first_recorded)}")


@dataclass(frozen=True)
class Card:
    number: int
    family_id: str
    place_th: str
    items: tuple[CardItem, ...]
    stream: str  # by the rule, from the items on the card

    @property
    def title_th(self) -> str:
        return f"บัตรที่ {self.number} · ครอบครัว {self.family_id}"

    @property
    def lines_th(self) -> list[str]:
        return [item.text_th for item in self.items]

    @property
    def text_th(self) -> str:
        return "\n".join([self.title_th, self.place_th, *("• " + line for line in self.lines_th)])


def short_name(person: pd.Series) -> str:
    """``ด.ญ.มะลิ``-style: title and first name (what a card needs to tell people apart)."""
    return f"{person['title_th']}{person['first_name']}"


def make_card(pop: Population, family_id: str, number: int, streams: Streams) -> Card:
    """The card of ``family_id``: each recorded (person, indicator) once, in the order the
    records are shown, with who recorded it and when first."""
    rows = observation_rows(pop, family_id)
    if rows.empty:
        raise ValueError(f"family {family_id} has no record to put on a card")
    catalogue = pop.config.catalogue.by_id()
    sources = pop.config.population.sources
    people = pop.people.set_index("person_id")
    hh = pop.households.set_index("family_id").loc[family_id]
    items = []
    rows = rows.assign(person_id=rows["person_id"].astype(str), indicator_id=rows["indicator_id"].astype(str))
    for (person_id, ind_id), group in rows.groupby(["person_id", "indicator_id"], sort=False):
        items.append(CardItem(
            indicator_id=ind_id, person_id=person_id, label_th=catalogue[ind_id].label_th,
            about_th=person_label(people.loc[person_id], pop.reference_date),
            sources_th=", ".join(dict.fromkeys(sources[s].label_th for s in group["source"].astype(str))),
            first_recorded=pd.Timestamp(group["observed_on"].min()), stream=streams.stream[ind_id],
        ))
    place = f"{hh['community']} เขต{hh['district']} · ข้อมูล ณ {thai_date(pop.reference_date)}"
    return Card(number, family_id, place, tuple(items), card_stream([i.indicator_id for i in items], streams))


def card_reason(card: Card, streams: Streams) -> str:
    """Why the card is upstream or downstream, in the words of ``upstream.yaml``."""
    down = [i for i in card.items if i.stream == "downstream"]
    if down:
        named = "; ".join(f"«{i.label_th}» {streams.reason_th[i.indicator_id]}"
                          for i in _distinct(down))
        text = f"บัตรนี้มีเรื่องปลายน้ำ: {named}"
        up = [i for i in card.items if i.stream == "upstream"]
        if up:
            text += (" · เรื่องต้นน้ำบนบัตร (" + ", ".join(f"«{i.label_th}»" for i in _distinct(up))
                     + ") ไม่ทำให้บัตรกลับเป็นต้นน้ำ: มีเรื่องปลายน้ำเพียงเรื่องเดียวก็เป็นปลายน้ำ")
        return text
    named = "; ".join(f"«{i.label_th}» {streams.reason_th[i.indicator_id]}" for i in _distinct(card.items))
    return f"ทุกเรื่องบนบัตรยังป้องกันหรือช่วยแต่เนิ่นๆ ได้: {named}"


def _distinct(items) -> list[CardItem]:
    """One item per indicator (two children with the same problem are one reason)."""
    return list({i.indicator_id: i for i in reversed(list(items))}.values())[::-1]


# ---------------------------------------------------------------- feedback
@dataclass(frozen=True)
class CardFeedback:
    number: int
    family_id: str
    chosen: str
    expected: str
    reason_th: str
    truth_th: tuple[str, ...] = ()

    @property
    def is_correct(self) -> bool:
        return self.chosen == self.expected

    @property
    def message_th(self) -> str:
        if self.is_correct:
            return f"✔ บัตรที่ {self.number} ({self.family_id}): {STREAM_TH[self.expected]} — {self.reason_th}"
        return (f"✘ บัตรที่ {self.number} ({self.family_id}): ตอบ{STREAM_TH[self.chosen]} แต่ควรเป็น"
                f"{STREAM_TH[self.expected]} — {self.reason_th}")


@dataclass(frozen=True)
class Feedback:
    cards: tuple[CardFeedback, ...]

    @property
    def score(self) -> int:
        return sum(c.is_correct for c in self.cards)

    @property
    def total(self) -> int:
        return len(self.cards)

    @property
    def messages(self) -> list[str]:
        return [c.message_th for c in self.cards]

    @property
    def summary_th(self) -> str:
        if self.score == self.total:
            return f"ถูกทุกบัตร ({self.total} จาก {self.total}) บัตรใดมีเรื่องปลายน้ำเพียงเรื่องเดียวก็เป็นปลายน้ำ"
        return (f"ถูก {self.score} จาก {self.total} บัตร: อ่านเหตุผลของบัตรที่ยังไม่ถูก "
                "บัตรใดมีเรื่องปลายน้ำเพียงเรื่องเดียวก็เป็นปลายน้ำ")


# ---------------------------------------------------------------- the exercise
class UpstreamExercise:
    """A batch of ``size`` case cards drawn with ``seed`` from ``pop``'s families with records.

    About half the cards are downstream by the rule (fewer when the population has fewer),
    the rest upstream, shuffled. Every card shows at least one true record, and a downstream
    card at least one true downstream record, beside any false alarms of the family. ``timelines`` (``simulate_timelines(pop)`` when not given,
    computed on the first check) feed the second layer only.
    """

    def __init__(self, pop: Population, seed: int, size: int = 8, timelines: Timelines | None = None):
        if size < 2:
            raise ValueError("a sorting exercise needs at least two cards")
        self.population, self.seed, self.size = pop, seed, size
        self.streams = streams_for(pop)
        self._timelines = timelines
        obs = pop.observations
        down = obs["indicator_id"].astype(str).map(self.streams.stream).eq("downstream").to_numpy()
        true = obs["is_true"].to_numpy(bool)
        per_family = pd.DataFrame({"down": down, "true": true, "true_down": true & down}) \
            .groupby(obs["family_id"].astype(str).to_numpy()).any()
        # Every card shows a real problem; a downstream card a real downstream one (false alarms
        # may sit beside it): the second layer then has a true story to tell.
        pools = {"downstream": sorted(per_family.index[per_family["true_down"]]),
                 "upstream": sorted(per_family.index[~per_family["down"] & per_family["true"]])}
        if not pools["upstream"] and not pools["downstream"]:
            raise ValueError("no family of this population has a record to put on a card")
        n_down = min(size // 2, len(pools["downstream"]))
        n_up = min(size - n_down, len(pools["upstream"]))
        n_down = min(size - n_up, len(pools["downstream"]))
        rng = np.random.default_rng([seed, 0x75])
        picked = list(rng.choice(pools["downstream"], size=n_down, replace=False)) if n_down else []
        picked += list(rng.choice(pools["upstream"], size=n_up, replace=False)) if n_up else []
        order = rng.permutation(len(picked))
        batch = [str(picked[i]) for i in order]
        # The batch's own rows: cards and truth then never scan a large population's tables again.
        self._batch = _only_families(pop, batch)
        self.cards: tuple[Card, ...] = tuple(
            make_card(self._batch, fid, n, self.streams) for n, fid in enumerate(batch, start=1))
        self._batch_timelines: Timelines | None = None
        self._truths: dict[str, tuple[str, ...]] = {}

    @property
    def family_ids(self) -> list[str]:
        return [c.family_id for c in self.cards]

    @property
    def timelines(self) -> Timelines:
        if self._timelines is None:
            self._timelines = simulate_timelines(self.population)
        return self._timelines

    def card(self, key: int | str) -> Card:
        for c in self.cards:
            if key in (c.number, c.family_id):
                return c
        raise AnswerError(f"ไม่มีบัตร {key} ในชุดนี้")

    def expected(self) -> dict[str, str]:
        """Family id -> the stream the card supports."""
        return {c.family_id: c.stream for c in self.cards}

    def check(self, answers: Mapping[int | str, str | None]) -> Feedback:
        """Grade each card's stream (keys: card number or family id; values: upstream or
        downstream) against the rule on the card; AnswerError in Thai naming the cards
        without an answer or with an unknown one."""
        given = {self.card(k).family_id: v for k, v in answers.items()}
        missing = [str(c.number) for c in self.cards if not given.get(c.family_id)]
        if missing:
            raise AnswerError("ยังไม่ได้เลือกต้นน้ำหรือปลายน้ำของบัตรที่ " + ", ".join(missing))
        unknown = [f"{c.number} ({given[c.family_id]!r})" for c in self.cards if given[c.family_id] not in STREAMS]
        if unknown:
            raise AnswerError("คำตอบต้องเป็นต้นน้ำ (upstream) หรือปลายน้ำ (downstream) เท่านั้น: บัตรที่ "
                              + ", ".join(unknown))
        return Feedback(tuple(
            CardFeedback(c.number, c.family_id, given[c.family_id], c.stream, card_reason(c, self.streams),
                         tuple(self.truth(c)))
            for c in self.cards))

    # ---- the second layer: the simulator's truth ---------------------
    def truth(self, card: Card | int | str) -> list[str]:
        """What the simulated world knows of the card's family, as lines of Thai."""
        card = card if isinstance(card, Card) else self.card(card)
        if card.family_id in self._truths:
            return list(self._truths[card.family_id])
        if self._batch_timelines is None:
            tl, ids = self.timelines, self.family_ids
            self._batch_timelines = dataclasses.replace(
                tl, events=tl.events[tl.events["family_id"].isin(ids)],
                cases=tl.cases[tl.cases["family_id"].isin(ids)], touch_points=tl.touch_points.iloc[:0], petals=None)
        facts = _family_facts(self._batch, self._batch_timelines, card.family_id, self.streams)
        labels = {i.id: i.label_th for i in self.population.config.catalogue.indicators}
        self._truths[card.family_id] = tuple(_truth_lines(card, facts, self.streams, labels))
        return list(self._truths[card.family_id])


def _only_families(pop: Population, family_ids: list[str]) -> Population:
    """``pop`` cut down to the rows of ``family_ids`` (same seed, date and configuration)."""
    tables = {name: getattr(pop, name) for name in
              ("households", "people", "indicators", "observations", "strengths", "petals")}
    return dataclasses.replace(pop, **{name: df[df["family_id"].isin(family_ids)].reset_index(drop=True)
                                       for name, df in tables.items()})


@dataclass(frozen=True)
class _Problem:
    indicator_id: str
    person_id: str
    label_th: str
    who_th: str
    stream: str
    onset: pd.Timestamp | None  # the timelines' onset, when this problem leads its dimension
    noticed: pd.Timestamp | None
    first_record: pd.Timestamp | None  # first true record of it

    @property
    def name_th(self) -> str:
        return f"«{self.label_th}» ({self.who_th})"


def _date_or_none(value) -> pd.Timestamp | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value)


def _family_facts(pop: Population, timelines: Timelines, family_id: str, streams: Streams) -> list[_Problem]:
    """Each true (person, indicator) of the family with its dates from timelines and records."""
    ind = pop.indicators[pop.indicators["family_id"] == family_id]
    obs = pop.observations[(pop.observations["family_id"] == family_id) & pop.observations["is_true"]]
    first_record = obs.assign(person_id=obs["person_id"].astype(str), indicator_id=obs["indicator_id"].astype(str)) \
        .groupby(["person_id", "indicator_id"])["observed_on"].min()
    timing = dimension_timing(timelines, ind).set_index("indicator_id")
    people = pop.people.set_index("person_id")
    labels = {i.id: i.label_th for i in pop.config.catalogue.indicators}
    problems = []
    for r in ind.astype({"indicator_id": str, "person_id": str}).drop_duplicates(["person_id", "indicator_id"]) \
            .itertuples():
        lead = r.indicator_id in timing.index
        problems.append(_Problem(
            r.indicator_id, r.person_id, labels[r.indicator_id], short_name(people.loc[r.person_id]),
            streams.stream[r.indicator_id],
            _date_or_none(timing.loc[r.indicator_id, "onset"]) if lead else None,
            _date_or_none(timing.loc[r.indicator_id, "noticed"]) if lead else None,
            _date_or_none(first_record.get((r.person_id, r.indicator_id))),
        ))
    return problems


SEVERITY_RANK = {"green": 1, "yellow": 2, "red": 3}


def lead_problems(indicators: pd.DataFrame) -> pd.DataFrame:
    """The problem that leads each dimension of each family: its worst indicator, a child's
    before a parent's on ties, then the table's order. This is the rule by which the timelines
    start a dimension's problem and set its goal (:mod:`simulator.model.timelines`); the tests
    check that the two agree. Columns: ``family_id``, ``dimension``, ``indicator_id``."""
    ind = pd.DataFrame({
        "family_id": indicators["family_id"].astype(str).to_numpy(),
        "dimension": indicators["dimension"].astype(str).to_numpy(),
        "indicator_id": indicators["indicator_id"].astype(str).to_numpy(),
        "rank": indicators["severity"].astype(str).map(SEVERITY_RANK).to_numpy(),
        "subj": (indicators["subject"].astype(str) == "parent").to_numpy().astype(int),
    })
    ind = ind.sort_values(["family_id", "dimension", "rank", "subj"], ascending=[True, True, False, True],
                          kind="stable")
    return ind.drop_duplicates(["family_id", "dimension"])[["family_id", "dimension", "indicator_id"]] \
        .reset_index(drop=True)


def dimension_timing(timelines: Timelines, indicators: pd.DataFrame) -> pd.DataFrame:
    """Per case and yellow or red dimension: the problem that leads it (:func:`lead_problems`
    of ``indicators``, the families' true indicators), when it began and when someone first
    noticed it (NaT when nobody had by the span's end). Columns: ``case_id``, ``family_id``,
    ``dimension``, ``indicator_id``, ``onset``, ``noticed``."""
    families = indicators["family_id"].astype(str).unique()
    ev = timelines.events
    ev = ev[ev["event"].isin(["onset", "noticed"]) & ev["family_id"].isin(families)]
    dates = pd.DataFrame({
        "case_id": ev["case_id"].astype(str).to_numpy(), "family_id": ev["family_id"].astype(str).to_numpy(),
        "dimension": ev["dimension"].astype(str).to_numpy(), "event": ev["event"].astype(str).to_numpy(),
        "date": ev["date"].to_numpy(),
    })
    wide = dates.groupby(["case_id", "family_id", "dimension", "event"])["date"].min().unstack("event")
    wide = wide.reindex(columns=["onset", "noticed"]).reset_index()
    out = wide.merge(lead_problems(indicators), on=["family_id", "dimension"], how="left")
    return out[["case_id", "family_id", "dimension", "indicator_id", "onset", "noticed"]]


def span_th(days: int) -> str:
    """A length of time as a Thai reader says it: ``12 วัน``, ``7 เดือน``, ``2 ปี 3 เดือน``."""
    days = abs(int(days))
    if days < 60:
        return f"{days} วัน"
    months = int(days // DAYS_PER_MONTH)
    if months < 24:
        return f"{months} เดือน"
    years, months = divmod(months, 12)
    return f"{years} ปี" + (f" {months} เดือน" if months else "")


def _before_after(day: pd.Timestamp, reference: pd.Timestamp, what: str) -> str:
    """``(3 เดือนก่อนที่<what>)`` / ``(หลังจาก<what>แล้ว 2 ปี)`` / ``(วันเดียวกับที่<what>)``."""
    days = int((reference - day).days)
    if days > 0:
        return f"({span_th(days)}ก่อนที่{what})"
    if days < 0:
        return f"(หลังจาก{what}แล้ว {span_th(days)})"
    return f"(วันเดียวกับที่{what})"


def _truth_lines(card: Card, facts: list[_Problem], streams: Streams, labels: dict[str, str]) -> list[str]:
    lines = []
    true_keys = {(p.person_id, p.indicator_id) for p in facts}
    false_alarms = [i for i in _distinct(card.items) if (i.person_id, i.indicator_id) not in true_keys]
    for item in false_alarms:
        lines.append(f"«{item.label_th}» บนบัตรเป็นรายงานเกิน: ในความจริงไม่มีเรื่องนี้ "
                     "จึงต้องตรวจสอบกับผู้ให้บริการก่อนสรุป")
    ups = [p for p in facts if p.stream == "upstream"]
    downs = [p for p in facts if p.stream == "downstream"]
    if card.stream == "upstream" or not downs:
        return lines + _upstream_truth(card, ups, downs, streams, labels)
    harm = min(downs, key=lambda p: (p.onset is None, p.onset or p.first_record or pd.Timestamp.max,
                                     p.first_record is None))
    if harm.onset is not None and harm.noticed is not None:
        lines.append(f"{harm.name_th} เริ่มจริงเมื่อ {thai_date(harm.onset)} มีผู้พบครั้งแรกเมื่อ "
                     f"{thai_date(harm.noticed)} (หลังเริ่ม {span_th((harm.noticed - harm.onset).days)})")
    elif harm.onset is not None:
        lines.append(f"{harm.name_th} เริ่มจริงเมื่อ {thai_date(harm.onset)} และจนสิ้นช่วงจำลองยังไม่มีใครพบ")
    elif harm.first_record is not None:
        lines.append(f"{harm.name_th} ถูกบันทึกครั้งแรกเมื่อ {thai_date(harm.first_record)} "
                     "(เส้นเวลาไม่ได้บอกว่าเริ่มเมื่อใด)")
    else:
        lines.append(f"{harm.name_th} มีอยู่จริงแต่ยังไม่มีใครบันทึก")
    if not ups:
        lines.append("ในโลกจำลอง ครอบครัวนี้ไม่มีสัญญาณต้นน้ำเลย: ปัญหาปลายน้ำบางเรื่องเกิดโดยไม่มีสัญญาณเตือน "
                     "บริการคุ้มครองเด็กจึงต้องพร้อมเสมอ")
        return lines
    lines.append(f"ครอบครัวนี้มีสัญญาณต้นน้ำ {len(ups)} อย่าง: " + ", ".join(p.name_th for p in ups))
    started = [p for p in ups if p.onset is not None]
    if harm.onset is not None and started:
        first = min(started, key=lambda p: p.onset)
        if first.onset < harm.onset:
            lines.append(f"{first.name_th} เริ่มเมื่อ {thai_date(first.onset)} "
                         f"{_before_after(first.onset, harm.onset, 'ปัญหาปลายน้ำจะเริ่ม')}: ช่วงนี้คือโอกาสป้องกัน")
    recorded = [p for p in ups if p.first_record is not None]
    if recorded:
        first = min(recorded, key=lambda p: p.first_record)
        text = f"สัญญาณต้นน้ำแรกที่มีบันทึกคือ {first.name_th} บันทึกเมื่อ {thai_date(first.first_record)}"
        if harm.onset is not None:
            text += " " + _before_after(first.first_record, harm.onset, "ปัญหาปลายน้ำเริ่ม")
            late = first.first_record >= harm.onset
        elif harm.first_record is not None:
            text += " " + _before_after(first.first_record, harm.first_record, "ปัญหาปลายน้ำถูกบันทึก")
            late = first.first_record >= harm.first_record
        else:
            late = False
        if late:
            text += ": ในบันทึกที่มี สัญญาณต้นน้ำปรากฏหลังความเสียหายเกิดขึ้นแล้ว"
        lines.append(text)
    unrecorded = [p for p in ups if p.first_record is None]
    if unrecorded:
        lines.append(f"สัญญาณต้นน้ำ {len(unrecorded)} อย่างไม่มีใครบันทึกไว้เลย: "
                     + ", ".join(p.name_th for p in unrecorded))
    for link in streams.links_between({p.indicator_id for p in ups}, {p.indicator_id for p in downs}):
        if link.modelled:
            lines.append(link.reason_th)
        else:
            before = next(p for p in ups if p.indicator_id == link.before).label_th
            after = next(p for p in downs if p.indicator_id == link.after).label_th
            lines.append(f"«{before}» เป็นสัญญาณเตือนที่รู้กันของ «{after}»: {link.reason_th}")
    return lines


def _upstream_truth(card: Card, ups: list[_Problem], downs: list[_Problem], streams: Streams,
                    labels: dict[str, str]) -> list[str]:
    lines = []
    if downs:
        lines.append("ในความจริงครอบครัวนี้มีปัญหาปลายน้ำที่บัตรไม่ได้แสดง (ยังไม่มีใครบันทึก): "
                     + ", ".join(p.name_th for p in downs))
        for p in downs:
            if p.onset is not None:
                lines.append(f"{p.name_th} เริ่มจริงเมื่อ {thai_date(p.onset)}: บันทึกตามความจริงไม่ทัน")
    else:
        lines.append("ในความจริงครอบครัวนี้ยังไม่มีปัญหาปลายน้ำ: ถ้าช่วยตอนนี้ยังป้องกันได้ทัน")
    # Signs on the card that are real and known to come before a harm: what to watch for.
    on_card = [i.indicator_id for i in _distinct(card.items) if i.indicator_id in {p.indicator_id for p in ups}]
    for before in on_card:
        afters = list(dict.fromkeys(link.after for link in streams.links if link.before == before))
        if afters:
            lines.append(f"«{labels[before]}» เป็นสัญญาณเตือนของ " + ", ".join(f"«{labels[a]}»" for a in afters)
                         + ": ติดตามให้ทันก่อนจะเกิดเรื่องปลายน้ำ")
    return lines


# ---------------------------------------------------------------- the summary for discussion
MEASURES = ("cases", "first_problem_downstream", "downstream_cases", "downstream_with_upstream",
            "downstream_with_linked_sign", "upstream_signs_unrecorded")
MEASURE_TH = {
    "cases": "กรณีทั้งหมด (ครอบครัวที่มีกลีบเหลืองหรือแดง)",
    "first_problem_downstream": "กรณีที่ปัญหาแรก (ปัญหาที่รุนแรงที่สุด) เป็นปลายน้ำ",
    "downstream_cases": "กรณีที่มีปัญหาปลายน้ำอย่างน้อยหนึ่งเรื่อง",
    "downstream_with_upstream": "ในกรณีปลายน้ำ: ครอบครัวมีสัญญาณต้นน้ำด้วย",
    "downstream_with_linked_sign": "ในกรณีปลายน้ำ: มีสัญญาณเตือนที่รู้กันว่ามาก่อนปัญหานั้น",
    "upstream_signs_unrecorded": "ในกรณีปลายน้ำที่มีสัญญาณต้นน้ำ: ไม่มีใครบันทึกสัญญาณต้นน้ำไว้เลย",
}
SUMMARY_TH = {"measure": "ข้อวัด", "count": "จำนวนกรณี", "base": "จากจำนวน", "share": "ร้อยละ"}


def stream_counts(indicators: pd.DataFrame, observations: pd.DataFrame, cases: pd.DataFrame,
                  streams: Streams) -> pd.DataFrame:
    """The counts of :func:`stream_summary` from the tables themselves (vectorised).

    ``indicators`` (family_id, subject, dimension, indicator_id, severity): the truth;
    ``observations`` (family_id, indicator_id, is_true): the records; ``cases`` (case_id,
    family_id, first_problem_dimension): the timelines' cases, whose first problem is the
    :func:`lead_problems` of that dimension. Columns: ``measure``, ``count``, ``base`` (the
    count it is a share of) and ``share`` (0-1; NaN when the base is 0).
    """
    stream = pd.Series(streams.stream)
    ind = pd.DataFrame({"family_id": indicators["family_id"].astype(str).to_numpy(),
                        "indicator_id": indicators["indicator_id"].astype(str).to_numpy()})
    ind["stream"] = ind["indicator_id"].map(stream).to_numpy()
    families = cases["family_id"].astype(str).to_numpy()
    flags = pd.DataFrame({"down": ind["stream"].eq("downstream"), "up": ind["stream"].eq("upstream")}) \
        .groupby(ind["family_id"].to_numpy()).any().reindex(families, fill_value=False)
    down, up = flags["down"].to_numpy(bool), flags["up"].to_numpy(bool)
    first = pd.DataFrame({"family_id": families,
                          "dimension": cases["first_problem_dimension"].astype(str).to_numpy()}) \
        .merge(lead_problems(indicators), on=["family_id", "dimension"], how="left")
    first_down = first["indicator_id"].map(stream).eq("downstream").to_numpy()
    obs = observations[observations["is_true"].to_numpy(bool)]
    recorded_up = obs["indicator_id"].astype(str).map(stream).eq("upstream").to_numpy()
    up_recorded = pd.Index(families).isin(obs["family_id"].astype(str)[recorded_up].unique())  # hashed
    links = pd.DataFrame([(link.before, link.after) for link in streams.links], columns=["before", "after"])
    pairs = ind[ind["stream"] == "upstream"].merge(links, left_on="indicator_id", right_on="before") \
        .merge(ind[ind["stream"] == "downstream"], left_on=["family_id", "after"],
               right_on=["family_id", "indicator_id"])
    linked = pd.Index(families).isin(pairs["family_id"].unique())
    n = len(families)
    rows = [
        ("cases", n, n),
        ("first_problem_downstream", int(first_down.sum()), n),
        ("downstream_cases", int(down.sum()), n),
        ("downstream_with_upstream", int((down & up).sum()), int(down.sum())),
        ("downstream_with_linked_sign", int((down & linked).sum()), int(down.sum())),
        ("upstream_signs_unrecorded", int((down & up & ~up_recorded).sum()), int((down & up).sum())),
    ]
    table = pd.DataFrame(rows, columns=["measure", "count", "base"])
    table["share"] = table["count"] / table["base"].where(table["base"] > 0)
    return table


def stream_summary(pop: Population, timelines: Timelines | None = None) -> pd.DataFrame:
    """Over every case of ``pop`` (families with a yellow or red petal): the share whose first
    (worst) problem is downstream, the share with any downstream problem, and among those the
    share that also carried an upstream sign, a known warning sign, or an upstream sign nobody
    recorded. See :func:`stream_counts` for the columns; :func:`stream_summary_th` for display."""
    tl = timelines if timelines is not None else simulate_timelines(pop)
    return stream_counts(pop.indicators, pop.observations, tl.cases, streams_for(pop))


def stream_summary_th(table: pd.DataFrame) -> pd.DataFrame:
    """:func:`stream_summary` with Thai headers and measures, shares as percentages (one decimal)."""
    return pd.DataFrame({
        SUMMARY_TH["measure"]: table["measure"].map(MEASURE_TH).to_numpy(),
        SUMMARY_TH["count"]: table["count"].to_numpy(),
        SUMMARY_TH["base"]: table["base"].to_numpy(),
        SUMMARY_TH["share"]: ["–" if pd.isna(s) else f"{100 * s:.1f}" for s in table["share"]],
    })


__all__ = ["MEASURES", "MEASURE_TH", "STREAMS", "STREAM_CHOICE_TH", "STREAM_FILE", "STREAM_TH", "SUMMARY_TH",
           "AnswerError", "Card", "CardFeedback", "CardItem", "Feedback", "Link", "Streams", "UpstreamExercise",
           "card_reason", "card_stream", "dimension_timing", "lead_problems", "load_streams", "make_card", "span_th",
           "stream_counts", "stream_summary", "stream_summary_th", "streams_for"]
