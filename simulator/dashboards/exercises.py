"""Dashboard-analysis exercises with ground truth (the district guidance's third exercise type).

District staff practise reading a dashboard on data that looks real but identifies no child:

1. :class:`TrendExercise`: did emergency cases rise, and where?
2. :class:`RiskGroupExercise`: which age band (or household type) carries most red petals?
3. :class:`ProgrammeExercise`: how much did the innovation sandbox shorten the time from a
   problem being noticed to the start of service?

Fair-exercise rule. Every exercise grades the trainee on what **the records in front of them**
support: :meth:`answer_from_records` reads only the :class:`DashboardData` tables, exactly as
a dashboard would. The simulator's truth (:meth:`truth`) is a second layer shown in the
feedback, with a lesson naming the gap between the two (:data:`GAP_TH`: noise, small numbers,
confounding, detection versus occurrence, censoring, family-level records).

What each truth is:

* **Trends.** The trainee sees *noticed* cases (``cases.noticed_date``). The truth layer uses
  ``cases.onset_date``, which the simulator knows and real records never do, and the expected
  trend of a large simulated world (``truth_sample`` in ``dashboard_exercises.yaml``). Onsets
  are drawn uniformly within each problem's possible window (``timelines.py``), but the window
  opens only when the person is old enough for the problem and closes at its first record, so
  onsets of the families living here at the end of the span *do* rise over the years (a child
  born in 2023 can have a problem only from 2023). No area has a risk of its own: every area's
  expected trend is the city's. Noticed counts differ from onsets: the first year holds no case
  noticed before the records began, the last year holds the survey's home visits and provider
  records, which find problems that had gone unseen, and sandbox districts notice faster from
  the programme's start (``journeys.yaml`` ``sandbox.detection_delay_factor``).
* **Risk groups.** The trainee sees the petals of each family (a family's petal is red when one
  of its children is); the rate is children of the group living in a family with a red petal,
  per 10,000 children of the group. The truth is the same rate in the large simulated world
  (what ``indicators.yaml`` makes happen on average), plus the rate of children who have a red
  indicator themselves, and the configured reasons (age windows, drivers' risk ratios).
* **Programme effect.** The records give three estimators (naive, before/after,
  difference-in-differences) of the change in median days from noticed to service start. The
  truth is the counterfactual: the same population simulated again with every sandbox factor
  set to 1 (each family has its own random streams, so only the sandbox changes), and with the
  span extended so that no case is cut off; the true effect is the median of the sandbox-active
  cases with the programme minus their median without it.

Every computation is vectorised pandas/numpy. Settings (years, tolerances, the truth sample)
live in ``simulator/data/dashboard_exercises.yaml``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, model_validator
from scipy import stats

from simulator.dashboards.charts import COLOURS, finish, new_figure
from simulator.dashboards.tables import (
    PETAL_COLUMNS,
    DashboardData,
    DashboardDataError,
    thai_view,
)
from simulator.model.config import KitConfig, SEVERITIES, load_config, read_yaml_model
from simulator.model.population import Population, simulate
from simulator.model.timelines import simulate_timelines
from simulator.thai.dates import BE_OFFSET, thai_date
from simulator.thai.vocabulary import CASE_LEVEL_TH, COLOUR_TH

EXERCISES_FILE = Path(__file__).resolve().parent.parent / "data" / "dashboard_exercises.yaml"
ALL = "all"  # the row that adds every area together
ALL_TH = "รวมทุกพื้นที่"
DIRECTIONS = ("rose", "fell", "unclear")
DIRECTION_TH = {"rose": "เพิ่มขึ้น", "fell": "ลดลง", "unclear": "บอกไม่ได้ (อยู่ในช่วงความคลาดเคลื่อน)"}
# Words a trainee may type for each direction, besides the codes and DIRECTION_TH.
DIRECTION_WORDS = {
    "rose": ("เพิ่ม", "เพิ่มขึ้น", "สูงขึ้น", "up", "increase"),
    "fell": ("ลด", "ลดลง", "ต่ำลง", "down", "decrease"),
    "unclear": ("บอกไม่ได้", "ไม่ชัด", "คงที่", "ไม่เปลี่ยน", "เท่าเดิม", "flat", "same"),
}
SANDBOX_TH = {"True": "เขตนำร่อง (sandbox)", "False": "เขตอื่น"}
GROUP_TH = {"sandbox": "เขตนำร่อง (sandbox)", "others": "เขตอื่น"}
PERIOD_TH = {"before": "ก่อนเริ่มโครงการ", "after": "หลังเริ่มโครงการ"}
ESTIMATOR_TH = {
    "naive": "เทียบตรง (naive): นำร่อง − เขตอื่น หลังเริ่ม",
    "before_after": "ก่อน−หลัง (before/after) ในเขตนำร่อง",
    "did": "ผลต่างของผลต่าง (difference-in-differences)",
}
ESTIMATOR_SHORT_TH = {"naive": "เทียบตรง", "before_after": "ก่อน−หลัง", "did": "ผลต่างของผลต่าง"}
GAP_TH = {
    "none": "บันทึกกับความจริงตรงกัน",
    "noise": "ความบังเอิญ (noise)",
    "small_numbers": "ตัวเลขน้อย (small numbers)",
    "detection": "การพบไม่ใช่การเกิด (detection vs occurrence)",
    "censoring": "ข้อมูลช่วงท้ายยังไม่ครบ (censoring)",
    "confounding": "ปัจจัยกวน (confounding)",
    "family_level": "บันทึกระดับครอบครัว ไม่ใช่รายเด็ก",
}
NEVER_SERVED = ("refused", "unable")  # outcomes that end without service
FAR_YEARS = 30  # the truth's span runs this many years past the data, so no case is cut off
MARK_SPACE_IN = 0.16  # inches kept free at the bottom of a figure for the synthetic mark
TRUTH_COLOUR = "#1f4e79"


class AnswerError(ValueError):
    """The trainee's answer cannot be read (message in Thai)."""


# ---------------------------------------------------------------------------- settings

class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class WorldSize(_Strict):
    families: int = Field(ge=100, le=1_000_000)
    seed: int = Field(ge=0)


class TrendSettings(_Strict):
    case_level: Literal["emergency", "complex"]
    by: Literal["zone", "district", "sandbox"]
    compare_years: tuple[int, int]

    @model_validator(mode="after")
    def _ordered(self):
        first, last = self.compare_years
        if not 1900 < first < last < 2200:
            raise ValueError(f"compare_years {list(self.compare_years)}: need [first, last] with first before last "
                             "(Christian-era years)")
        return self


class RiskSettings(_Strict):
    by: Literal["age_band", "household_type"]
    colour: Literal["red", "yellow"]


class ProgrammeSettings(_Strict):
    follow_up_days: int = Field(ge=0, le=1825)
    transition_days: int = Field(ge=0, le=1825)
    min_tolerance_days: float = Field(gt=0, le=365)


class ExerciseSettings(_Strict):
    """``dashboard_exercises.yaml`` (its header documents every key)."""

    version: int = Field(ge=1, le=1)
    confidence: float = Field(gt=0.5, lt=1)
    default_dataset: WorldSize
    truth_sample: WorldSize
    trend: TrendSettings
    risk_groups: RiskSettings
    programme: ProgrammeSettings


def load_exercise_settings(folder: Path | str | None = None) -> ExerciseSettings:
    """Read ``dashboard_exercises.yaml`` from ``folder`` (the kit's data folder when not given)."""
    path = EXERCISES_FILE if folder is None else Path(folder) / "dashboard_exercises.yaml"
    return read_yaml_model(path, ExerciseSettings)


def default_world(settings: ExerciseSettings | None = None) -> tuple[Population, DashboardData]:
    """The notebook's world (``default_dataset``): the population and its dashboard tables."""
    s = (settings or load_exercise_settings()).default_dataset
    pop, timelines = _world(s.families, s.seed)
    return pop, DashboardData.from_simulation(pop, timelines)


@lru_cache(maxsize=2)
def _world(families: int, seed: int):
    pop = simulate(families, seed=seed)
    return pop, simulate_timelines(pop)


def truth_data(settings: ExerciseSettings | None = None) -> DashboardData:
    """The large simulated world that stands for the configuration's expected values (cached)."""
    s = (settings or load_exercise_settings()).truth_sample
    pop, timelines = _world(s.families, s.seed)
    return DashboardData.from_simulation(pop, timelines)


# ---------------------------------------------------------------------------- feedback

@dataclass(frozen=True)
class Feedback:
    """What :meth:`check` returns: the verdict, the two layers and the lesson, in Thai.

    ``details`` holds the comparison row by row (English snake_case columns); ``gaps`` the
    codes of :data:`GAP_TH` the lesson explains.
    """

    correct: bool
    verdict_th: str
    records_th: str
    truth_th: str
    lesson_th: str
    tolerance_th: str
    gaps: tuple[str, ...]
    details: pd.DataFrame

    def text_th(self) -> str:
        gaps = " · ".join(GAP_TH[g] for g in self.gaps)
        return "\n\n".join([
            self.verdict_th,
            f"ตามบันทึก (records): {self.records_th}",
            f"ความจริงในโปรแกรมจำลอง (truth): {self.truth_th}",
            f"บทเรียน: {self.lesson_th}",
            f"ช่องว่างระหว่างบันทึกกับความจริง: {gaps}",
            f"เกณฑ์ตรวจ: {self.tolerance_th}",
        ])

    def _repr_markdown_(self) -> str:  # a notebook shows the Thai text
        return self.text_th()


# ---------------------------------------------------------------------------- intervals

def _level(text: str, confidence: float) -> str:
    """Thai text written for 95% intervals, at the configured confidence level."""
    return text if round(confidence * 100) == 95 else text.replace("95%", f"{confidence:.0%}")


def _feedback(confidence: float, correct: bool, verdict: str, records: str, truth: str, lesson: str,
              tolerance: str, gaps: tuple[str, ...], details: pd.DataFrame) -> Feedback:
    texts = [_level(t, confidence) for t in (verdict, records, truth, lesson, tolerance)]
    return Feedback(correct, *texts, gaps, details)


def _headers(headers: dict[str, str], confidence: float) -> dict[str, str]:
    return {k: _level(v, confidence) for k, v in headers.items()}


def _z(confidence: float) -> float:
    return float(stats.norm.ppf(0.5 + confidence / 2))


def poisson_interval(counts, confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Exact (Garwood) interval of a Poisson mean for each observed count."""
    k = np.asarray(counts, dtype=float)
    a = 1 - confidence
    low = np.where(k > 0, stats.chi2.ppf(a / 2, 2 * np.maximum(k, 1)) / 2, 0.0)
    high = stats.chi2.ppf(1 - a / 2, 2 * k + 2) / 2
    return low, high


def rate_ratio(first, last, confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Ratio ``last / first`` of two Poisson counts over the same children, with its exact interval.

    Given the total, ``last`` is binomial with p = ratio / (1 + ratio); the Clopper-Pearson
    interval of p gives the ratio's interval. No case in either year: ratio NaN, interval 0-inf.
    """
    k1 = np.asarray(first, dtype=float)
    k2 = np.asarray(last, dtype=float)
    n = k1 + k2
    a = 1 - confidence
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(k1 > 0, k2 / np.where(k1 > 0, k1, 1), np.where(k2 > 0, np.inf, np.nan))
        p_low = np.where(k2 > 0, stats.beta.ppf(a / 2, np.maximum(k2, 1), n - k2 + 1), 0.0)
        p_high = np.where(k1 > 0, stats.beta.ppf(1 - a / 2, k2 + 1, np.maximum(k1, 1)), 1.0)
        low = p_low / (1 - p_low)
        high = np.where(p_high < 1, p_high / (1 - p_high), np.inf)
    return ratio, low, high


def direction_of(low, high) -> np.ndarray:
    """``rose`` when the whole interval of a ratio lies above 1, ``fell`` below 1, else ``unclear``."""
    low, high = np.asarray(low, dtype=float), np.asarray(high, dtype=float)
    return np.where(low > 1, "rose", np.where(high < 1, "fell", "unclear"))


def median_table(frame: pd.DataFrame, keys: list[str], value: str = "days",
                 confidence: float = 0.95) -> pd.DataFrame:
    """Median of ``value`` per group, with a distribution-free interval from order statistics.

    ``inf`` counts as longer than any finite value (a case still waiting). Columns: the keys,
    ``cases``, ``median_days``, ``median_low``, ``median_high`` and ``se_days`` (the
    interval's half-width over z, for combining medians).
    """
    f = frame.sort_values(keys + [value], kind="stable")
    # Groups in the order they first appear in the sorted frame, the order of drop_duplicates.
    n = f.groupby(keys, observed=True, sort=False).size().to_numpy().astype(np.int64)
    order = f[keys].drop_duplicates()
    starts = np.concatenate([[0], np.cumsum(n)[:-1]]).astype(np.int64)
    vals = f[value].to_numpy(dtype=float)
    z = _z(confidence)
    with np.errstate(invalid="ignore"):
        median = (vals[starts + (n - 1) // 2] + vals[starts + n // 2]) / 2
        j = np.clip(np.floor((n - z * np.sqrt(n)) / 2).astype(np.int64), 1, n)
        k = np.clip(np.ceil(1 + (n + z * np.sqrt(n)) / 2).astype(np.int64), 1, n)
        low, high = vals[starts + j - 1], vals[starts + k - 1]
        se = (high - low) / (2 * z)
    out = order.reset_index(drop=True).copy()
    out["cases"] = n
    out["median_days"] = median
    out["median_low"] = low
    out["median_high"] = high
    out["se_days"] = se
    return out


# ---------------------------------------------------------------------------- 1. trends

def _areas(data: DashboardData, by: str) -> tuple[pd.Series, list[str]]:
    """Area of every family (a Series indexed by family ID) and the areas in display order."""
    hh = data.households
    if by not in hh.columns:
        raise DashboardDataError(f"the households table has no column {by!r} to compare areas by")
    values = hh[by]
    if isinstance(values.dtype, pd.CategoricalDtype):
        order = [str(c) for c in values.cat.categories if (values == c).any()]
    elif pd.api.types.is_bool_dtype(values):
        order = [v for v in ("True", "False") if (values.astype(str) == v).any()]
    else:
        order = sorted(values.astype(str).unique())
    return pd.Series(values.astype(str).to_numpy(), index=hh["family_id"].astype(str).to_numpy()), order


def area_label_th(by: str, area: str) -> str:
    """How an area reads to a trainee (zones and districts are Thai names already)."""
    if area == ALL:
        return ALL_TH
    return SANDBOX_TH.get(area, area) if by == "sandbox" else area


def _children_per_area(data: DashboardData, area_of: pd.Series, areas: list[str]) -> pd.Series:
    area = data.children["family_id"].astype(str).map(area_of)
    counts = area.value_counts().reindex(areas, fill_value=0)
    counts.loc[ALL] = int(area.notna().sum())
    return counts


def _yearly_counts(data: DashboardData, date_column: str, level: str, area_of: pd.Series,
                   areas: list[str], years: list[int]) -> pd.DataFrame:
    """(areas + all) x years count of cases of ``level`` by the year of ``date_column``."""
    cases = data.cases
    pick = (cases["case_level"].astype(str) == level) & cases[date_column].notna()
    c = cases[pick]
    frame = pd.DataFrame({"area": c["family_id"].astype(str).map(area_of).to_numpy(),
                          "year": c[date_column].dt.year.to_numpy()}).dropna()
    table = pd.crosstab(frame["area"], frame["year"]).reindex(index=areas, columns=years, fill_value=0)
    table.loc[ALL] = table.sum(axis=0)
    return table


def _years(data: DashboardData) -> list[int]:
    noticed = data.cases["noticed_date"].dropna()
    first = int(noticed.dt.year.min()) if len(noticed) else data.as_of.year
    return list(range(first, data.as_of.year + 1))


def noticed_by_year(data: DashboardData, by: str = "zone", level: str = "emergency",
                    confidence: float = 0.95, date_column: str = "noticed_date") -> pd.DataFrame:
    """Cases of ``level`` noticed each year per area, per 10,000 children, with a Poisson interval.

    The denominator is the children of each area in the data (children living there on its
    last day, the only count a platform has), the same for every year: a rate's change over
    the years is the change of its count. Columns: ``area``, ``area_th``, ``year``
    (Christian era), ``year_be``, ``cases``, ``children``, ``rate_per_10000``, ``rate_low``,
    ``rate_high``. The area ``all`` adds every area together.
    """
    area_of, areas = _areas(data, by)
    years = _years(data)
    counts = _yearly_counts(data, date_column, level, area_of, areas, years)
    children = _children_per_area(data, area_of, areas)
    long = counts.stack().rename("cases").reset_index()
    long.columns = ["area", "year", "cases"]
    long["children"] = long["area"].map(children).astype(np.int64)
    low, high = poisson_interval(long["cases"], confidence)
    scale = np.where(long["children"] > 0, 10_000 / long["children"].clip(lower=1), np.nan)
    long["rate_per_10000"] = long["cases"] * scale
    long["rate_low"] = low * scale
    long["rate_high"] = high * scale
    long.insert(1, "area_th", [area_label_th(by, a) for a in long["area"]])
    long.insert(3, "year_be", long["year"] + BE_OFFSET)
    return long


def trend_from_records(data: DashboardData, by: str = "zone", level: str = "emergency",
                       years: tuple[int, int] = (2022, 2024), confidence: float = 0.95,
                       date_column: str = "noticed_date") -> pd.DataFrame:
    """What the records support: per area, last year's noticed cases over the first year's.

    ``direction`` is ``rose`` when the ratio's whole interval is above 1, ``fell`` when it is
    below 1, and ``unclear`` otherwise: a change that chance alone could make.
    Columns: ``area``, ``area_th``, ``first_year``, ``last_year``, ``cases_first``,
    ``cases_last``, ``children``, ``rate_first``, ``rate_last``, ``ratio``, ``ratio_low``,
    ``ratio_high``, ``direction``.
    """
    first, last = years
    if last > data.as_of.year:
        raise DashboardDataError(f"the data runs to {data.as_of.date()}; it has no year {last} to compare")
    area_of, areas = _areas(data, by)
    counts = _yearly_counts(data, date_column, level, area_of, areas, [first, last])
    children = _children_per_area(data, area_of, areas)
    k1, k2 = counts[first].to_numpy(), counts[last].to_numpy()
    ratio, low, high = rate_ratio(k1, k2, confidence)
    kids = children.loc[counts.index].to_numpy()
    scale = np.where(kids > 0, 10_000 / np.maximum(kids, 1), np.nan)
    return pd.DataFrame({
        "area": counts.index.astype(str), "area_th": [area_label_th(by, a) for a in counts.index],
        "first_year": first, "last_year": last, "cases_first": k1, "cases_last": k2, "children": kids,
        "rate_first": k1 * scale, "rate_last": k2 * scale,
        "ratio": ratio, "ratio_low": low, "ratio_high": high, "direction": direction_of(low, high),
    })


def trend_truth(data: DashboardData, by: str = "zone", level: str = "emergency",
                years: tuple[int, int] = (2022, 2024), confidence: float = 0.95,
                truth: DashboardData | None = None) -> pd.DataFrame:
    """The simulator's truth: onsets in these families, and the expected trend of the configuration.

    ``onset_*``: the same comparison on ``cases.onset_date`` (when each problem really began,
    known only to the simulator). ``expected_*``: the city's onset ratio in the large world
    ``truth`` (:func:`truth_data`); no area has a risk of its own in the data files, so every
    area expects the city's trend, and ``true_direction`` follows it.
    """
    onsets = trend_from_records(data, by, level, years, confidence, date_column="onset_date")
    world = truth if truth is not None else truth_data()
    expected = trend_from_records(world, "zone", level, years, confidence, date_column="onset_date")
    city = expected[expected["area"] == ALL].iloc[0]
    return pd.DataFrame({
        "area": onsets["area"], "area_th": onsets["area_th"],
        "onsets_first": onsets["cases_first"], "onsets_last": onsets["cases_last"],
        "onset_ratio": onsets["ratio"], "onset_low": onsets["ratio_low"], "onset_high": onsets["ratio_high"],
        "onset_direction": onsets["direction"],
        "expected_ratio": float(city["ratio"]), "expected_low": float(city["ratio_low"]),
        "expected_high": float(city["ratio_high"]), "true_direction": str(city["direction"]),
    })


def noticed_and_onsets(data: DashboardData, level: str = "emergency") -> pd.DataFrame:
    """Per year, all areas together: cases noticed and problems that began (the truth's column)."""
    years = _years(data)
    cases = data.cases[data.cases["case_level"].astype(str) == level]
    noticed = cases["noticed_date"].dropna().dt.year.value_counts().reindex(years, fill_value=0)
    began = cases["onset_date"].dropna().dt.year.value_counts().reindex(years, fill_value=0)
    return pd.DataFrame({"year": years, "year_be": [y + BE_OFFSET for y in years],
                         "noticed": noticed.to_numpy(), "onsets": began.to_numpy()})


TREND_HEADERS_TH = {
    "area_th": "พื้นที่", "year_be": "ปี (พ.ศ.)", "cases": "กรณีที่พบ", "children": "เด็กในพื้นที่ (คน)",
    "rate_per_10000": "ต่อเด็ก 10,000 คน", "rate_low": "ช่วง 95% ต่ำสุด", "rate_high": "ช่วง 95% สูงสุด",
}
TREND_CHANGE_HEADERS_TH = {
    "area_th": "พื้นที่", "cases_first": "กรณีปีแรก", "cases_last": "กรณีปีหลัง", "ratio": "ปีหลัง/ปีแรก (เท่า)",
    "ratio_low": "ช่วง 95% ต่ำสุด", "ratio_high": "ช่วง 95% สูงสุด", "direction_th": "สรุปจากบันทึก",
}


def _be(year: int) -> int:
    return int(year) + BE_OFFSET


def _times(x: float) -> str:
    if np.isnan(x):
        return "ไม่มีกรณีทั้งสองปี"
    return "ปีแรกไม่มีกรณี" if np.isinf(x) else f"×{x:.2f}"


def _names_th(names, total: int, most: int = 6) -> str:
    """Areas named in a lesson: all of them when few, else how many of how many."""
    names = list(names)
    if len(names) <= most:
        return ", ".join(names)
    return f"{len(names)} จาก {total} พื้นที่"


def _normalise_direction(value) -> str:
    text = str(value).strip().lower()
    for code in DIRECTIONS:
        if text == code or text == DIRECTION_TH[code] or text in DIRECTION_WORDS[code]:
            return code
    choices = " / ".join(DIRECTION_TH[d] for d in DIRECTIONS)
    raise AnswerError(f"อ่านคำตอบ «{value}» ไม่ออก ให้ตอบว่า {choices}")


class TrendExercise:
    """Exercise 1: "did emergency cases rise, and where?" (noticed cases per 10,000 children).

    The answer is a mapping of area to direction (``rose``/``fell``/``unclear`` or their Thai
    words), for some or all of the areas of :meth:`answer_from_records` (``all`` is every
    area together). An area's answer is right when it matches the records' direction; the
    tolerance is the 95% interval of the ratio (a ratio whose interval holds 1 is ``unclear``).
    """

    def __init__(self, data: DashboardData, by: str | None = None, level: str | None = None,
                 years: tuple[int, int] | None = None, settings: ExerciseSettings | None = None,
                 truth: DashboardData | None = None):
        self.settings = settings or load_exercise_settings()
        t = self.settings.trend
        self.data = data
        self.by = by or t.by
        self.level = level or t.case_level
        self.years = tuple(years or t.compare_years)
        self.confidence = self.settings.confidence
        self._truth_world = truth
        self._truth: pd.DataFrame | None = None

    @property
    def question_th(self) -> str:
        first, last = (_be(y) for y in self.years)
        level = CASE_LEVEL_TH[self.level]
        years = _years(self.data)
        hint = ""
        if years[0] < self.years[0] and self.years[1] < years[-1]:
            hint = (" (เทียบเฉพาะปีที่บันทึกครบทั้งปี: ปีแรกของข้อมูลยังไม่มีกรณีที่เริ่มก่อนหน้านั้น "
                    "และปีสุดท้ายมีการสำรวจเยี่ยมบ้าน)")
        return _level(f"กรณี{level}ที่พบ (ต่อเด็ก 10,000 คน) ปี {last} เทียบกับปี {first} เพิ่มขึ้น ลดลง "
                      f"หรือบอกไม่ได้ ในแต่ละพื้นที่และรวมทุกพื้นที่? ดูช่วงความเชื่อมั่น 95% ก่อนสรุป{hint}",
                      self.confidence)

    def table(self) -> pd.DataFrame:
        """The data the trainee sees: noticed cases per area and year (:func:`noticed_by_year`)."""
        return noticed_by_year(self.data, self.by, self.level, self.confidence)

    def table_th(self) -> pd.DataFrame:
        return thai_view(self.table().round({"rate_per_10000": 1, "rate_low": 1, "rate_high": 1}),
                         _headers(TREND_HEADERS_TH, self.confidence))

    def answer_from_records(self, data: DashboardData | None = None) -> pd.DataFrame:
        return trend_from_records(self.data if data is None else data, self.by, self.level, self.years,
                                  self.confidence)

    def answer_from_records_th(self) -> pd.DataFrame:
        rec = self.answer_from_records()
        rec = rec.assign(direction_th=rec["direction"].map(DIRECTION_TH)).round(
            {"ratio": 2, "ratio_low": 2, "ratio_high": 2})
        return thai_view(rec, _headers(TREND_CHANGE_HEADERS_TH, self.confidence))

    def truth(self) -> pd.DataFrame:
        if self._truth is None:
            world = self._truth_world if self._truth_world is not None else truth_data(self.settings)
            self._truth = trend_truth(self.data, self.by, self.level, self.years, self.confidence, world)
        return self._truth

    def figure(self, show_truth: bool = False):
        return trend_figure(self.table(), self.answer_from_records(), self.by, self.years, self.level,
                            truth=self.truth() if show_truth else None,
                            onsets=noticed_and_onsets(self.data, self.level) if show_truth else None,
                            confidence=self.confidence)

    def check(self, answer: Mapping[str, str]) -> Feedback:
        rec = self.answer_from_records().set_index("area")
        if not isinstance(answer, Mapping) or not answer:
            raise AnswerError("ให้ตอบเป็นรายพื้นที่ เช่น {'รวมทุกพื้นที่': 'เพิ่มขึ้น'}")
        by_label = {row.area_th: area for area, row in rec.iterrows()}
        given = {}
        for key, value in answer.items():
            area = str(key).strip()
            area = area if area in rec.index else by_label.get(area)
            if area is None:
                known = ", ".join(rec["area_th"])
                raise AnswerError(f"ไม่มีพื้นที่ «{key}» ในตาราง พื้นที่ที่มี: {known}")
            given[area] = _normalise_direction(value)
        truth = self.truth().set_index("area")
        areas = list(given)
        d = pd.DataFrame({
            "area": areas, "area_th": rec.loc[areas, "area_th"].to_numpy(),
            "answer": [given[a] for a in areas],
            "records_direction": rec.loc[areas, "direction"].to_numpy(),
            "ratio": rec.loc[areas, "ratio"].to_numpy(), "ratio_low": rec.loc[areas, "ratio_low"].to_numpy(),
            "ratio_high": rec.loc[areas, "ratio_high"].to_numpy(),
            "onset_ratio": truth.loc[areas, "onset_ratio"].to_numpy(),
            "expected_ratio": truth.loc[areas, "expected_ratio"].to_numpy(),
            "true_direction": truth.loc[areas, "true_direction"].to_numpy(),
        })
        d["correct"] = d["answer"] == d["records_direction"]
        score = int(d["correct"].sum())
        correct = bool(d["correct"].all())
        first, last = (_be(y) for y in self.years)
        verdict = (f"ถูกต้องทุกพื้นที่ ({score}/{len(d)})" if correct else
                   f"ยังไม่ถูก: ตรงกับบันทึก {score} จาก {len(d)} พื้นที่ "
                   f"(ผิดที่ {', '.join(d.loc[~d['correct'], 'area_th'])})")
        lucky = d[~d["correct"] & (d["answer"] == d["true_direction"])]
        if len(lucky):
            verdict += (f" ใน{', '.join(lucky['area_th'])} ความจริงเป็นอย่างที่คุณตอบ "
                        "แต่บันทึกที่เห็นยังยืนยันไม่ได้")
        records = "; ".join(
            f"{r.area_th} ปี {last}/{first} {_times(r.ratio)} (ช่วง 95% {r.ratio_low:.2f}–{r.ratio_high:.2f}) "
            f"→ {DIRECTION_TH[r.records_direction]}" for r in d.itertuples())
        exp = truth.iloc[0]
        truth_th = (f"ปัญหาที่เริ่มเกิดจริงทั้งเมือง (จากโลกจำลองขนาดใหญ่) ปี {last}/{first} "
                    f"{_times(exp['expected_ratio'])} (ช่วง 95% {exp['expected_low']:.2f}–{exp['expected_high']:.2f}) "
                    f"→ {DIRECTION_TH[str(exp['true_direction'])]} เท่ากันทุกพื้นที่ เพราะไม่มีพื้นที่ใดตั้งค่าความเสี่ยงไว้ต่างกัน; "
                    "ในครอบครัวชุดนี้เริ่มเกิดจริง: " + "; ".join(
                        f"{r.area_th} {_times(r.onset_ratio)}" for r in d.itertuples()))
        lesson, gaps = self._lesson(d)
        tolerance = (f"สรุปว่าเพิ่มขึ้นหรือลดลงได้เมื่อช่วงความเชื่อมั่น {self.confidence:.0%} ของอัตราส่วน "
                     "ปีหลัง/ปีแรกไม่คร่อม ×1 ถ้าคร่อม ×1 คำตอบที่ถูกตามบันทึกคือ «บอกไม่ได้»")
        return _feedback(self.confidence, correct, verdict, records, truth_th, lesson, tolerance, gaps, d)

    def _lesson(self, d: pd.DataFrame) -> tuple[str, tuple[str, ...]]:
        parts, gaps = [], []
        first, last = (_be(y) for y in self.years)
        rec = self.answer_from_records().set_index("area")
        hidden = d[(d["records_direction"] == "unclear") & (d["true_direction"] != "unclear")]
        if len(hidden):
            gaps.append("small_numbers")
            counts = rec.loc[hidden["area"], ["cases_first", "cases_last"]].to_numpy()
            parts.append(
                f"ตัวเลขน้อย: ใน{_names_th(hidden['area_th'], len(rec))} มีเพียงปีละ {counts.min():,}–{counts.max():,} กรณี "
                f"ช่วง 95% จึงกว้างจนบอกไม่ได้ ทั้งที่ความจริง{DIRECTION_TH[hidden['true_direction'].iloc[0]]} "
                f"{_times(d['expected_ratio'].iloc[0])}: การเปลี่ยนขนาดนี้ต้องใช้ข้อมูลมากกว่านี้ "
                "รวมพื้นที่หรือรวมหลายปีก่อนสรุป")
        chance = d[(d["answer"] != "unclear") & (d["records_direction"] == "unclear")]
        if len(chance):
            gaps.append("noise")
            parts.append(
                f"ความบังเอิญ: ใน{_names_th(chance['area_th'], len(rec))} ตัวเลขขึ้นลงจริง แต่ช่วง 95% คร่อม ×1 "
                "ความต่างขนาดนี้เกิดได้เองโดยบังเอิญ ยังไม่ควรสรุปว่าเปลี่ยน")
        wrong_way = d[(d["records_direction"] != "unclear") & (d["true_direction"] != "unclear")
                      & (d["records_direction"] != d["true_direction"])]
        if len(wrong_way):
            gaps += ["noise", "detection"]
            parts.append(
                f"ใน{_names_th(wrong_way['area_th'], len(rec))} บันทึกชี้ชัดว่า{DIRECTION_TH[wrong_way['records_direction'].iloc[0]]} "
                f"แต่ความจริง{DIRECTION_TH[wrong_way['true_direction'].iloc[0]]}: เมื่อเทียบ {len(rec) - 1} พื้นที่พร้อมกัน "
                "ราว 1 ใน 20 พื้นที่จะดูเปลี่ยนชัดเจนได้เองโดยบังเอิญ และจำนวนที่พบยังขึ้นกับการค้นหาในพื้นที่นั้นด้วย")
        expected = float(d["expected_ratio"].iloc[0])
        overstated = d[(d["records_direction"] != "unclear") & ((d["ratio_low"] > expected) | (d["ratio_high"] < expected))
                       & (d["records_direction"] == d["true_direction"])]
        if len(overstated):
            gaps.append("detection")
            r = overstated.iloc[-1]
            parts.append(
                f"ทิศทางถูกแต่ขนาดไม่ใช่: ใน{_names_th(overstated['area_th'], len(rec))} บันทึกเปลี่ยน {_times(r['ratio'])} "
                f"แต่ความจริง {_times(expected)} ต่างกันเกินความคลาดเคลื่อน ส่วนที่เกินมาจากการค้นหา ไม่ใช่จากปัญหาที่เกิดเพิ่ม")
        series = noticed_and_onsets(self.data, self.level)
        if len(series) >= 2:
            gaps += ["detection", "censoring"]
            a, b = series.iloc[0], series.iloc[-1]
            why_first = ("ข้อมูลเริ่มปีนั้น หลายปัญหายังไม่มีใครพบจนปีถัดไป" if a.noticed < a.onsets
                         else "ปีแรกของข้อมูล")
            why_last = ("การเยี่ยมบ้านและบันทึกของผู้ให้บริการในปีสำรวจพบปัญหาที่ค้างมาจากปีก่อน" if b.noticed > b.onsets
                        else "ปัญหาที่เพิ่งเริ่มหลายเรื่องยังไม่มีใครพบ")
            inside = a.year_be < first and last < b.year_be
            advice = (f"จึงเทียบเฉพาะปี {first} กับ {last} ที่บันทึกครบทั้งปี" if inside else
                      f"การเทียบปี {first} กับ {last} จึงรวมผลของการค้นหาเข้าไปด้วย ควรเทียบปีที่อยู่ระหว่างนั้น")
            parts.append(
                f"การพบไม่ใช่การเกิด: บันทึกนับวันที่ «พบ» ปัญหา ไม่ใช่วันที่ปัญหาเริ่ม ปี {a.year_be} พบ {a.noticed:,} กรณี "
                f"แต่เริ่มเกิดจริง {a.onsets:,} ({why_first}) ปี {b.year_be} พบ {b.noticed:,} แต่เริ่มเกิดจริง "
                f"{b.onsets:,} ({why_last}) {advice}")
        sandbox = _sandbox_start_year(self.data, self.level)
        if sandbox is not None:
            year, sb_noticed, sb_onsets, ot_noticed, ot_onsets = sandbox
            parts.append(
                f"เขตนำร่อง (sandbox) พบปัญหาเร็วขึ้นตั้งแต่ปี {_be(year)}: ปีนั้นเขตนำร่องพบ {sb_noticed:,} กรณี "
                f"จากที่เริ่มเกิด {sb_onsets:,} ส่วนเขตอื่นพบ {ot_noticed:,} จาก {ot_onsets:,} "
                "จำนวนที่พบเพิ่มได้เพราะค้นหาเก่งขึ้น โดยที่ปัญหาไม่ได้เกิดมากขึ้น")
        parts.append(
            "ปัญหาที่เริ่มเกิดจริงเองก็เพิ่มขึ้นตามปี เพราะข้อมูลคือเด็กที่อยู่ในพื้นที่ ณ วันสุดท้ายของข้อมูล: "
            "เด็กที่เพิ่งเกิดหรือเพิ่งถึงวัยของปัญหาบางอย่าง (เช่น ถูกชักจูงเข้าแก๊งตั้งแต่ 10 ปี) "
            "มีปัญหาได้เฉพาะในปีหลังๆ ส่วนเด็กที่อายุเกิน 17 ปีไปแล้วไม่อยู่ในข้อมูล และในโปรแกรมจำลอง "
            "ไม่มีพื้นที่ใดตั้งค่าความเสี่ยงไว้ต่างกัน")
        if not gaps:
            gaps.append("none")
        return " ".join(parts), tuple(dict.fromkeys(gaps))


def _sandbox_start_year(data: DashboardData, level: str):
    """(year, sandbox noticed, sandbox onsets, others noticed, others onsets) in the programme's first year."""
    year = load_config().journeys.sandbox.start.year
    if not data.as_of.year >= year or "sandbox" not in data.households.columns:
        return None
    sandbox = pd.Series(data.households["sandbox"].astype(bool).to_numpy(),
                        index=data.households["family_id"].astype(str).to_numpy())
    c = data.cases[data.cases["case_level"].astype(str) == level]
    in_sb = c["family_id"].astype(str).map(sandbox).fillna(False).astype(bool).to_numpy()
    noticed = (c["noticed_date"].dt.year == year).to_numpy()
    began = (c["onset_date"].dt.year == year).to_numpy()
    return (year, int((noticed & in_sb).sum()), int((began & in_sb).sum()),
            int((noticed & ~in_sb).sum()), int((began & ~in_sb).sum()))


def _figure(height_in: float):
    """A phone-width figure whose layout keeps the bottom strip free for :func:`finish`'s mark."""
    fig = new_figure(height_in=height_in)
    free = MARK_SPACE_IN / height_in
    fig.get_layout_engine().set(rect=(0, free, 1, 1 - free))  # (left, bottom, width, height)
    return fig


def _ticks_inside(ax) -> None:
    """Keep only the ticks inside the axes' limits (matplotlib keeps labels for ticks beyond them)."""
    for get_lim, get_ticks, set_ticks, scale in ((ax.get_xlim, ax.get_xticks, ax.set_xticks, ax.get_xscale),
                                                 (ax.get_ylim, ax.get_yticks, ax.set_yticks, ax.get_yscale)):
        if scale() != "linear":
            continue
        lo, hi = sorted(get_lim())
        ticks = get_ticks()
        set_ticks([t for t in ticks if lo - 1e-9 <= t <= hi + 1e-9])


def trend_figure(table: pd.DataFrame, change: pd.DataFrame, by: str, years: tuple[int, int], level: str,
                 truth: pd.DataFrame | None = None, onsets: pd.DataFrame | None = None, confidence: float = 0.95):
    """Top: all areas' noticed cases per 10,000 children by year. Bottom: each area's ratio.

    With ``truth`` (and ``onsets``): problems that really began, and the expected ratio.
    """
    lower = 0.9 + 0.32 * len(change)  # inches for the areas' panel, one row each
    fig = _figure(2.9 + lower)
    top, bottom = fig.subplots(2, 1, height_ratios=[2.4, lower])
    city = table[table["area"] == ALL]
    x = city["year_be"].to_numpy()
    err = [city["rate_per_10000"] - city["rate_low"], city["rate_high"] - city["rate_per_10000"]]
    top.bar(x, city["rate_per_10000"], color=COLOURS["red"], alpha=0.75, label="พบ (บันทึก)")
    top.errorbar(x, city["rate_per_10000"], yerr=err, fmt="none", ecolor="#333333", capsize=3, lw=1)
    if onsets is not None:
        kids = city["children"].iloc[0]
        top.plot(onsets["year_be"], onsets["onsets"] * 10_000 / max(kids, 1), "o-", color=TRUTH_COLOUR,
                 label="เริ่มเกิดจริง (ความจริง)")
    for k, year in enumerate(years):
        top.axvspan(_be(year) - 0.45, _be(year) + 0.45, color="#f4b400", alpha=0.25, lw=0,
                    label="ปีที่เทียบ" if k == 0 else None)
    top.set_xticks(x, [str(v) for v in x])
    top.set_ylabel("ต่อเด็ก 10,000 คน")
    top.set_title(f"กรณี{CASE_LEVEL_TH[level]}ที่พบในแต่ละปี (รวมทุกพื้นที่)", fontsize=10)
    top.legend(fontsize=8, loc="upper left", frameon=False)
    top.set_ylim(0, float(city["rate_high"].max()) * 1.55)

    rows = change.iloc[::-1].reset_index(drop=True)  # the first area on top, all areas together at the bottom
    y = np.arange(len(rows))
    finite_high = np.where(np.isfinite(rows["ratio_high"]), rows["ratio_high"], np.nan)
    ratio = rows["ratio"].where(np.isfinite(rows["ratio"]) & (rows["ratio"] > 0))
    colours = rows["direction"].map({"rose": COLOURS["red"], "fell": COLOURS["green"], "unclear": COLOURS["grey"]})
    low = rows["ratio_low"].clip(lower=0.1)
    high = pd.Series(finite_high).fillna(10).clip(upper=10)
    bottom.hlines(y, low, high, colors=colours, lw=2)
    bottom.scatter(ratio, y, c=colours, zorder=3, s=22)
    bottom.axvline(1, color="#333333", lw=0.8)
    if truth is not None:
        bottom.axvline(float(truth["expected_ratio"].iloc[0]), color=TRUTH_COLOUR, ls="--", lw=1.2)
    bottom.set_xscale("log")
    ticks = [0.25, 0.5, 1, 2, 4]
    bottom.set_xticks(ticks, [f"×{t:g}" for t in ticks])
    bottom.minorticks_off()
    bottom.set_xlim(0.2, 6)
    bottom.set_yticks(y, rows["area_th"], fontsize=8)
    bottom.set_ylim(-0.6, len(rows) - 0.4)
    first, last = (_be(v) for v in years)
    bottom.set_title(_level(f"ปี {last} เทียบปี {first} (เท่า) และช่วง 95%", confidence), fontsize=10)
    key = "แดง เพิ่มขึ้น · เขียว ลดลง · เทา บอกไม่ได้"
    if truth is not None:
        key += f"\nเส้นประ = ความจริง {_times(float(truth['expected_ratio'].iloc[0]))} ทุกพื้นที่"
    bottom.set_xlabel(key, fontsize=8)
    _ticks_inside(top)
    alt = (f"กราฟแท่งกรณี{CASE_LEVEL_TH[level]}ที่พบต่อเด็ก 10,000 คนในแต่ละปี และอัตราส่วนปี {last} ต่อปี {first} "
           f"ของแต่ละพื้นที่พร้อมช่วงความเชื่อมั่น 95%")
    if truth is not None:
        alt += " เส้นสีน้ำเงินคือปัญหาที่เริ่มเกิดจริงตามโปรแกรมจำลอง"
    return finish(fig, _level(alt, confidence), f"กรณี{CASE_LEVEL_TH[level]}ที่พบ: เพิ่มขึ้นหรือไม่ และที่ไหน")


# ---------------------------------------------------------------------------- 2. risk groups

def _flagged_families(data: DashboardData, colour: str) -> pd.Series:
    """Whether each family (by ID) has at least one petal of ``colour`` or worse."""
    rank = {s: i for i, s in enumerate(SEVERITIES)}  # green 0, yellow 1, red 2
    petals = data.petals
    worst = np.zeros(len(petals), dtype=np.int8)
    for col in PETAL_COLUMNS:
        worst = np.maximum(worst, petals[col].astype(str).map(rank).fillna(0).to_numpy().astype(np.int8))
    return pd.Series(worst >= rank[colour], index=petals["family_id"].astype(str).to_numpy())


def _child_groups(data: DashboardData, by: str) -> tuple[pd.Series, list[str], dict[str, str]]:
    """Each child's group (aligned with ``data.children``), the group order and Thai labels."""
    if by == "age_band":
        bands = data.settings.age_bands
        codes = pd.Series(np.asarray(data.settings.age_band_of(data.child_ages()), dtype=object),
                          index=data.children.index)
        return codes, [b.code for b in bands], {b.code: b.label_th for b in bands}
    if by == "household_type":
        hh = data.households
        types = hh["household_type"]
        order = ([str(c) for c in types.cat.categories] if isinstance(types.dtype, pd.CategoricalDtype)
                 else sorted(types.astype(str).unique()))
        labels = {h.id: h.label_th for h in load_config().population.household_types}
        of = pd.Series(types.astype(str).to_numpy(), index=hh["family_id"].astype(str).to_numpy())
        codes = data.children["family_id"].astype(str).map(of)
        present = set(codes.dropna())
        return codes, [t for t in order if t in present], {t: labels.get(t, t) for t in order}
    raise DashboardDataError(f"risk groups are by age_band or household_type, not {by!r}")


def _ratio_estimate(frame: pd.DataFrame, group: str, flag: str, order: list[str],
                    confidence: float) -> pd.DataFrame:
    """Share of children flagged per group, with an interval that treats families as clusters.

    The children of one family share its petals, so they are not independent: the variance is
    the ratio estimator's over families, n/(n-1) x sum((y - r m)^2) / M^2 (m children and y
    flagged children in each family, M children in all).
    """
    fam = frame.groupby([group, "family_id"], observed=True, sort=False).agg(
        m=(flag, "size"), y=(flag, "sum")).reset_index()
    per = fam.groupby(group, observed=True).agg(children=("m", "sum"), flagged=("y", "sum"),
                                                 families=("m", "size"))
    per = per.reindex(order).fillna(0)
    rate = np.where(per["children"] > 0, per["flagged"] / per["children"].clip(lower=1), np.nan)
    fam["resid2"] = (fam["y"] - fam[group].map(pd.Series(rate, index=order)).astype(float) * fam["m"]) ** 2
    ss = fam.groupby(group, observed=True)["resid2"].sum().reindex(order).fillna(0).to_numpy()
    n = per["families"].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        se = np.sqrt(np.where(n > 1, n / (n - 1), np.nan) * ss) / per["children"].to_numpy()
    z = _z(confidence)
    return pd.DataFrame({
        "group": order, "children": per["children"].to_numpy().astype(np.int64),
        "families": n.astype(np.int64), "children_flagged": per["flagged"].to_numpy().astype(np.int64),
        "rate_per_10000": rate * 10_000, "rate_low": np.clip(rate - z * se, 0, 1) * 10_000,
        "rate_high": np.clip(rate + z * se, 0, 1) * 10_000,
    })


def colour_share_by_group(data: DashboardData, by: str = "age_band", colour: str = "red",
                          confidence: float = 0.95) -> pd.DataFrame:
    """Children of each group living in a family with a ``colour`` (or worse) petal, per 10,000.

    The petals are the family's (a child petal is red when any child's problem is red), so a
    child counts when its family is flagged. Columns: ``group``, ``label_th``, ``children``,
    ``families``, ``children_flagged``, ``rate_per_10000``, ``rate_low``, ``rate_high``.
    """
    groups, order, labels = _child_groups(data, by)
    flagged = _flagged_families(data, colour)
    frame = pd.DataFrame({"group": groups.to_numpy(), "family_id": data.children["family_id"].astype(str).to_numpy()})
    frame["flag"] = frame["family_id"].map(flagged).fillna(False).astype(bool).astype(np.int64)
    frame = frame.dropna(subset=["group"])
    out = _ratio_estimate(frame, "group", "flag", order, confidence)
    out.insert(1, "label_th", [labels.get(g, g) for g in out["group"]])
    return out


def top_group(table: pd.DataFrame) -> tuple[str, bool]:
    """The group with the highest rate, and whether its interval lies above every other's."""
    ranked = table.dropna(subset=["rate_per_10000"]).sort_values("rate_per_10000", ascending=False)
    top = ranked.iloc[0]
    others = ranked.iloc[1:]
    clear = bool(len(others) == 0 or top["rate_low"] > others["rate_high"].max())
    return str(top["group"]), clear


def own_colour_rate(pop: Population, data: DashboardData, by: str, colour: str) -> pd.Series:
    """Per group, children who have a ``colour`` (or worse) indicator themselves, per 10,000 (truth only)."""
    rank = {s: i for i, s in enumerate(SEVERITIES)}
    ind = pop.indicators
    worse = ind["severity"].astype(str).map(rank) >= rank[colour]
    own = set(ind.loc[worse & (ind["subject"].astype(str) == "child"), "person_id"].astype(str))
    groups, order, _ = _child_groups(data, by)
    flag = data.children["person_id"].astype(str).isin(own).to_numpy()
    frame = pd.DataFrame({"group": groups.to_numpy(), "flag": flag}).dropna(subset=["group"])
    return frame.groupby("group")["flag"].mean().reindex(order) * 10_000


def risk_truth(by: str = "age_band", colour: str = "red", confidence: float = 0.95,
               settings: ExerciseSettings | None = None) -> pd.DataFrame:
    """The configuration's expected rates per group, from the large simulated world (cached).

    Columns as :func:`colour_share_by_group`, plus ``own_rate_per_10000`` (children with such
    an indicator themselves) and ``truly_highest`` (True for the top group only when its
    interval lies above every other group's; no row is True when the groups cannot be told apart).
    """
    s = (settings or load_exercise_settings()).truth_sample
    return _risk_truth(by, colour, confidence, s.families, s.seed).copy()


@lru_cache(maxsize=8)
def _risk_truth(by: str, colour: str, confidence: float, families: int, seed: int) -> pd.DataFrame:
    pop, timelines = _world(families, seed)
    world = DashboardData.from_simulation(pop, timelines)
    table = colour_share_by_group(world, by, colour, confidence)
    table["own_rate_per_10000"] = own_colour_rate(pop, world, by, colour).to_numpy()
    top, clear = top_group(table)
    table["truly_highest"] = (table["group"] == top) & clear
    return table


def risk_factors_th(config: KitConfig, colour: str = "red") -> list[str]:
    """The configured reasons a group has more ``colour`` petals: which indicators, at what ages, driven by what."""
    rank = {s: i for i, s in enumerate(SEVERITIES)}
    cat = config.catalogue
    by_id = cat.by_id()
    flagged = [i for i in cat.indicators if rank[i.severity] >= rank[colour]]
    lines = []
    for ind in flagged:
        who = "เด็ก" if ind.subject == "child" else "ผู้ดูแลหลัก"
        extra = ""
        if ind.sex != "any":
            extra += " เฉพาะเพศหญิง" if ind.sex == "female" else " เฉพาะเพศชาย"
        if ind.household_types:
            extra += " เฉพาะครัวเรือน " + ", ".join(ind.household_types)
        lines.append(f"{ind.label_th} ({who}อายุ {ind.age_min}–{ind.age_max} ปี{extra} ความชุก {ind.prevalence:.1%})")
    for imp in cat.implies:
        if imp.also in {i.id for i in flagged}:
            lines.append(f"{by_id[imp.indicator].label_th} ก่อนอายุ {imp.below_age} ปี นับเป็น{by_id[imp.also].label_th}ด้วย")
    for dep in cat.dependencies:
        if dep.target in {i.id for i in flagged}:
            lines.append(f"{by_id[dep.driver].label_th}ในบ้าน เพิ่มโอกาส{by_id[dep.target].label_th} ×{dep.risk_ratio:g}")
    if not any(i.household_types or i.caregiver_relations for i in flagged):
        lines.append(f"ไม่มีตัวชี้วัดสี{COLOUR_TH[colour]}ตัวใดจำกัดเฉพาะประเภทครัวเรือน และปัจจัยเสี่ยงข้างต้นเกิดได้กับทุกประเภทเท่ากัน")
    return lines


RISK_HEADERS_TH = {
    "label_th": "กลุ่ม", "children": "เด็ก (คน)", "children_flagged": "เด็กในครอบครัวที่มีกลีบแดง (คน)",
    "rate_per_10000": "ต่อเด็ก 10,000 คน", "rate_low": "ช่วง 95% ต่ำสุด", "rate_high": "ช่วง 95% สูงสุด",
}
BY_TH = {"age_band": "ช่วงอายุ", "household_type": "ประเภทครัวเรือน", "zone": "กลุ่มเขต", "district": "เขต",
         "sandbox": "เขตนำร่องหรือไม่"}


class RiskGroupExercise:
    """Exercise 2: "which age band (or household type) carries most red petals?"

    The answer is a group (its code, e.g. ``12-17``, or its Thai label). It is right when it is
    the records' top group (:func:`top_group` of :meth:`answer_from_records`), exactly: the
    tolerance is none, but the feedback says when the records cannot tell the top groups apart.
    """

    def __init__(self, data: DashboardData, by: str | None = None, colour: str | None = None,
                 settings: ExerciseSettings | None = None):
        self.settings = settings or load_exercise_settings()
        self.data = data
        self.by = by or self.settings.risk_groups.by
        self.colour = colour or self.settings.risk_groups.colour
        self.confidence = self.settings.confidence
        self._truth: pd.DataFrame | None = None

    @property
    def question_th(self) -> str:
        return _level(f"{BY_TH[self.by]}ใดมีเด็กอยู่ในครอบครัวที่มีกลีบสี{COLOUR_TH[self.colour]}มากที่สุด "
                      f"(ต่อเด็ก 10,000 คนของกลุ่มนั้น)? กลุ่มนั้นสูงกว่ากลุ่มอื่นชัดเจนหรือไม่ ดูช่วง 95%",
                      self.confidence)

    def answer_from_records(self, data: DashboardData | None = None) -> pd.DataFrame:
        return colour_share_by_group(self.data if data is None else data, self.by, self.colour, self.confidence)

    def table_th(self) -> pd.DataFrame:
        headers = dict(RISK_HEADERS_TH)
        headers["label_th"] = BY_TH[self.by]
        headers["children_flagged"] = f"เด็กในครอบครัวที่มีกลีบ{COLOUR_TH[self.colour]} (คน)"
        return thai_view(self.answer_from_records().round({"rate_per_10000": 0, "rate_low": 0, "rate_high": 0}),
                         _headers(headers, self.confidence))

    def truth(self) -> pd.DataFrame:
        if self._truth is None:
            self._truth = risk_truth(self.by, self.colour, self.confidence, self.settings)
        return self._truth

    def figure(self, show_truth: bool = False):
        return risk_figure(self.answer_from_records(), self.by, self.colour,
                           truth=self.truth() if show_truth else None, confidence=self.confidence)

    def check(self, answer: str) -> Feedback:
        rec = self.answer_from_records()
        codes = {str(g): str(g) for g in rec["group"]} | {str(lab): str(g) for g, lab in zip(rec["group"], rec["label_th"])}
        chosen = codes.get(str(answer).strip())
        if chosen is None:
            raise AnswerError(f"ไม่มีกลุ่ม «{answer}» ให้เลือกหนึ่งใน: {', '.join(rec['label_th'])}")
        top, clear = top_group(rec)
        truth = self.truth()
        true_top = truth.loc[truth["truly_highest"], "group"]
        true_top = str(true_top.iloc[0]) if len(true_top) else None
        label = dict(zip(rec["group"], rec["label_th"]))
        correct = chosen == top
        d = rec.merge(truth[["group", "rate_per_10000", "rate_low", "rate_high", "own_rate_per_10000",
                             "truly_highest"]], on="group", suffixes=("", "_truth"))
        d["answer"] = d["group"] == chosen
        d["records_top"] = d["group"] == top
        if correct:
            verdict = f"ถูกต้อง: {label[top]} สูงที่สุดในบันทึก"
        else:
            verdict = f"ยังไม่ถูก: คุณตอบ {label[chosen]} แต่บันทึกชี้ว่า {label[top]} สูงที่สุด"
            if chosen == true_top:
                verdict += " (ความจริงตรงกับที่คุณตอบ แต่บันทึกที่เห็นยังไม่สนับสนุน)"
        r = rec.set_index("group")
        records = "; ".join(f"{label[g]} {r.loc[g, 'rate_per_10000']:.0f} (ช่วง 95% {r.loc[g, 'rate_low']:.0f}–"
                            f"{r.loc[g, 'rate_high']:.0f})" for g in rec["group"]) + " ต่อเด็ก 10,000 คน; "
        records += (f"{label[top]} สูงกว่ากลุ่มอื่นชัดเจน" if clear else
                    f"{label[top]} สูงสุด แต่ช่วง 95% ซ้อนกับกลุ่มอื่น: บันทึกบอกไม่ได้ชัดว่ากลุ่มใดสูงสุด")
        t = truth.set_index("group")
        truth_th = "ค่าคาดหมาย: " + "; ".join(
            f"{label[g]} {t.loc[g, 'rate_per_10000']:.0f}" for g in rec["group"]) + " ต่อเด็ก 10,000 คน; "
        truth_th += (f"{label[true_top]} สูงที่สุดจริง" if true_top else "ไม่มีกลุ่มใดสูงกว่ากลุ่มอื่นจริง")
        truth_th += " · ตามค่าที่ตั้งไว้: " + "; ".join(risk_factors_th(load_config(), self.colour))
        lesson, gaps = self._lesson(top, clear, true_top, label, t)
        tolerance = ("คำตอบต้องเป็นกลุ่มที่อัตราในบันทึกสูงที่สุด ช่วง 95% คิดแบบนับครอบครัวเป็นกลุ่ม "
                     "(เด็กบ้านเดียวกันมีกลีบดอกชุดเดียวกัน)")
        return _feedback(self.confidence, correct, verdict, records, truth_th, lesson, tolerance, gaps, d)

    def _lesson(self, top, clear, true_top, label, t) -> tuple[str, tuple[str, ...]]:
        parts, gaps = [], []
        if true_top is None:
            gaps.append("noise")
            parts.append(
                f"ความบังเอิญ: ในความจริง{BY_TH[self.by]}ไม่ได้ทำให้มีกลีบสี{COLOUR_TH[self.colour]}ต่างกัน "
                "(ค่าคาดหมายของทุกกลุ่มอยู่ในช่วงความคลาดเคลื่อนของกันและกัน และค่าที่ตั้งไว้ไม่ขึ้นกับกลุ่ม) "
                f"{label[top]} ที่สูงสุดในบันทึกจึงเป็นความบังเอิญ "
                "อย่าทุ่มงานป้องกันให้กลุ่มใดเพียงเพราะอยู่บนสุดของตาราง")
        elif top == true_top:
            gaps.append("none")
            parts.append(f"บันทึกกับความจริงตรงกัน: {label[top]} สูงที่สุดเพราะค่าที่ตั้งไว้ "
                         "(ดูช่วงอายุของตัวชี้วัดและปัจจัยเสี่ยงในความจริงด้านบน)")
            if not clear:
                gaps.append("small_numbers")
                parts.append("แต่ช่วง 95% ยังซ้อนกัน: ครั้งนี้ถูกเพราะโชคช่วยส่วนหนึ่ง ข้อมูลมากขึ้นจะยืนยันได้")
        else:
            gaps += ["small_numbers", "noise"]
            parts.append(f"ตัวเลขน้อย: บันทึกชี้ {label[top]} แต่ความจริงคือ {label[true_top]} "
                         "ความต่างในบันทึกเล็กกว่าความคลาดเคลื่อน ลองรวมข้อมูลหลายเขตหรือหลายปี")
        if self.by == "age_band":
            gaps.append("family_level")
            own = "; ".join(f"{label[g]} {t.loc[g, 'own_rate_per_10000']:.0f}" for g in t.index)
            parts.append(f"บันทึกระดับครอบครัว: กลีบดอกเป็นของทั้งครอบครัว ตารางจึงนับพี่น้องของเด็กที่มีปัญหาด้วย "
                         f"ความต่างระหว่างช่วงอายุจึงดูน้อยกว่าจริง เด็กที่มีปัญหาสี{COLOUR_TH[self.colour]}เองมี {own} "
                         "ต่อ 10,000 คน")
        return " ".join(parts), tuple(dict.fromkeys(gaps))


def risk_figure(table: pd.DataFrame, by: str, colour: str, truth: pd.DataFrame | None = None,
                confidence: float = 0.95):
    """Horizontal bars of each group's rate with its 95% interval; ``truth``: expected rates as diamonds."""
    fig = _figure(2.0 + 0.42 * len(table))
    ax = fig.subplots()
    rows = table.iloc[::-1].reset_index(drop=True)
    y = np.arange(len(rows))
    ax.barh(y, rows["rate_per_10000"], color=COLOURS[colour], alpha=0.8, label="บันทึก")
    ax.errorbar(rows["rate_per_10000"], y, xerr=[rows["rate_per_10000"] - rows["rate_low"],
                                                 rows["rate_high"] - rows["rate_per_10000"]],
                fmt="none", ecolor="#333333", capsize=3, lw=1)
    if truth is not None:
        t = truth.set_index("group").loc[rows["group"]]
        ax.scatter(t["rate_per_10000"], y, marker="D", color=TRUTH_COLOUR, zorder=3, s=26, label="ค่าคาดหมาย (ความจริง)")
    ax.set_yticks(y, rows["label_th"], fontsize=9)
    ax.set_xlabel(_level("ต่อเด็ก 10,000 คนของกลุ่ม (เส้นดำ = ช่วง 95%)", confidence), fontsize=9)
    fig.suptitle(f"เด็กในครอบครัวที่มีกลีบสี{COLOUR_TH[colour]}\nแยกตาม{BY_TH[by]}", fontsize=10)
    ax.set_xlim(0, max(float(rows["rate_high"].max()), float(truth["rate_per_10000"].max()) if truth is not None else 0) * 1.1)
    ax.set_ylim(-0.6, len(rows) - 0.4)
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.24), ncol=2, frameon=False)
    _ticks_inside(ax)
    alt = (f"กราฟแท่งแนวนอน จำนวนเด็กในครอบครัวที่มีกลีบสี{COLOUR_TH[colour]}ต่อเด็ก 10,000 คน แยกตาม{BY_TH[by]} "
           "พร้อมช่วงความเชื่อมั่น 95%")
    if truth is not None:
        alt += " รูปข้าวหลามตัดคือค่าคาดหมายตามโปรแกรมจำลอง"
    return finish(fig, _level(alt, confidence), f"กลุ่มเสี่ยง: {BY_TH[by]}ใดมีกลีบสี{COLOUR_TH[colour]}มากที่สุด")


# ---------------------------------------------------------------------------- 3. programme effect

def service_times(data: DashboardData, start, follow_up_days: int = 365,
                  transition_days: int = 365) -> pd.DataFrame:
    """Each analysed case's days from noticed to service start, its group and period.

    Kept: cases noticed before ``start`` (``before``) or at least ``transition_days`` after it
    (``after``), and at least ``follow_up_days`` before the data's last day. A case whose
    parent refused or could not take part (``outcome`` refused or unable) is left out: it never
    reaches service. A case still waiting counts as ``inf`` (longer than any served case).
    ``outcome`` is read as the table gives it (on :meth:`DashboardData.upto` data it may
    already know a refusal that came later).
    Columns: ``case_id``, ``group`` (sandbox/others), ``period`` (before/after),
    ``noticed_date``, ``days``.
    """
    start = pd.Timestamp(start)
    cases = data.cases
    sandbox = pd.Series(data.households["sandbox"].astype(bool).to_numpy(),
                        index=data.households["family_id"].astype(str).to_numpy())
    noticed = cases["noticed_date"]
    latest = data.as_of - pd.Timedelta(days=follow_up_days)
    before = noticed < start
    after = noticed >= start + pd.Timedelta(days=transition_days)
    keep = noticed.notna() & (noticed <= latest) & (before | after) & ~cases["outcome"].astype(str).isin(NEVER_SERVED)
    c = cases[keep]
    in_sandbox = c["family_id"].astype(str).map(sandbox)
    c = c[in_sandbox.notna().to_numpy()]
    in_sandbox = in_sandbox.dropna().astype(bool)
    days = (c["service_start_date"] - c["noticed_date"]).dt.days.astype(float).fillna(np.inf)
    return pd.DataFrame({
        "case_id": c["case_id"].astype(str).to_numpy(),
        "group": np.where(in_sandbox.to_numpy(), "sandbox", "others"),
        "period": np.where((c["noticed_date"] < start).to_numpy(), "before", "after"),
        "noticed_date": c["noticed_date"].to_numpy(),
        "days": days.to_numpy(),
    })


def programme_medians(times: pd.DataFrame, confidence: float = 0.95) -> pd.DataFrame:
    """The 2 x 2 table: median days per group (sandbox/others) and period (before/after)."""
    full = pd.MultiIndex.from_product([["sandbox", "others"], ["before", "after"]], names=["group", "period"])
    if times.empty:
        table = pd.DataFrame(index=full, columns=["cases", "median_days", "median_low", "median_high", "se_days"])
        return table.assign(cases=0).reset_index()
    table = median_table(times, ["group", "period"], "days", confidence).set_index(["group", "period"])
    table = table.reindex(full)
    table["cases"] = table["cases"].fillna(0).astype(np.int64)
    return table.reset_index()


def programme_estimates(medians: pd.DataFrame, confidence: float = 0.95) -> pd.DataFrame:
    """Naive, before/after and difference-in-differences changes of the median, with intervals.

    ``estimate_days`` is the change in median days (negative: shorter); ``shorter_by_days`` its
    opposite. Intervals combine the medians' standard errors as if independent.
    """
    m = medians.set_index(["group", "period"])
    med, se = m["median_days"].astype(float), m["se_days"].astype(float)
    sa, sb, oa, ob = (("sandbox", "after"), ("sandbox", "before"), ("others", "after"), ("others", "before"))
    with np.errstate(invalid="ignore"):
        rows = {
            "naive": (med[sa] - med[oa], np.hypot(se[sa], se[oa])),
            "before_after": (med[sa] - med[sb], np.hypot(se[sa], se[sb])),
            "did": ((med[sa] - med[sb]) - (med[oa] - med[ob]), np.sqrt(se[sa] ** 2 + se[sb] ** 2 + se[oa] ** 2 + se[ob] ** 2)),
        }
    z = _z(confidence)
    out = pd.DataFrame([{"estimator": k, "estimate_days": v, "se_days": s} for k, (v, s) in rows.items()])
    out["low_days"] = out["estimate_days"] - z * out["se_days"]
    out["high_days"] = out["estimate_days"] + z * out["se_days"]
    out["shorter_by_days"] = -out["estimate_days"]
    out.insert(1, "estimator_th", out["estimator"].map(ESTIMATOR_TH))
    return out


def medians_by_year(data: DashboardData, confidence: float = 0.95) -> pd.DataFrame:
    """Median days noticed -> service per year noticed and group (every noticed case; for the figure)."""
    times = service_times(data, start=data.as_of + pd.Timedelta(days=1), follow_up_days=0, transition_days=0)
    times["year"] = pd.to_datetime(times["noticed_date"]).dt.year
    out = median_table(times, ["group", "year"], "days", confidence).sort_values(["group", "year"])
    out["year_be"] = out["year"] + BE_OFFSET
    return out.reset_index(drop=True)


def counterfactual_configs(config: KitConfig) -> tuple[KitConfig, KitConfig]:
    """The world as configured and the world without the sandbox, both with a span long enough to cut no case off.

    Extending the span's end (not the reference date) moves no draw: onsets are bounded by the
    reference date and the first records, and every delay is drawn from the family's streams.
    """
    J = config.journeys
    span = J.span.model_copy(update={"end": dt.date(J.span.end.year + FAR_YEARS, 12, 31)})
    far = dataclasses.replace(config, journeys=J.model_copy(update={"span": span}))
    neutral = J.sandbox.model_copy(update={
        "detection_delay_factor": 1.0, "notification_delay_factor": 1.0, "acknowledgement_delay_factor": 1.0,
        "plan_delay_factor": 1.0, "lost_between_agencies_factor": 1.0, "goal_met_bonus": 0.0, "accompany_bonus": 0.0,
    })
    without = dataclasses.replace(far, journeys=far.journeys.model_copy(update={"sandbox": neutral}))
    return far, without


def programme_truth(pop: Population, data: DashboardData | None = None,
                    config: KitConfig | None = None) -> pd.DataFrame:
    """The true sandbox effect: the same families' sandbox-active cases, with and without the programme.

    One row: ``cases`` (sandbox-active cases that reach service in both worlds),
    ``median_with``, ``median_without``, ``effect_days`` (with minus without; negative is
    shorter), ``shorter_by_days``, ``median_paired_difference``. With ``data``, the world with
    the programme is first checked to reproduce every date of its cases (else the population
    is not the data's and :class:`DashboardDataError` is raised).
    """
    far, without = counterfactual_configs(config or pop.config)
    actual = simulate_timelines(pop, config=far).cases
    counter = simulate_timelines(pop, config=without).cases
    if data is not None:
        _check_same_world(actual, data)
    days_a = (actual["service_start_date"] - actual["noticed_date"]).dt.days.to_numpy(dtype=float)
    days_c = (counter["service_start_date"] - counter["noticed_date"]).dt.days.to_numpy(dtype=float)
    pick = actual["sandbox_active"].to_numpy() & np.isfinite(days_a) & np.isfinite(days_c)
    with_, without_ = np.median(days_a[pick]), np.median(days_c[pick])
    return pd.DataFrame([{
        "cases": int(pick.sum()), "median_with": float(with_), "median_without": float(without_),
        "effect_days": float(with_ - without_), "shorter_by_days": float(without_ - with_),
        "median_paired_difference": float(np.median(days_a[pick] - days_c[pick])),
    }])


def _check_same_world(actual: pd.DataFrame, data: DashboardData) -> None:
    mine = data.cases.set_index(data.cases["case_id"].astype(str))
    theirs = actual.set_index(actual["case_id"].astype(str)).reindex(mine.index)
    for col in ("onset_date", "noticed_date", "service_start_date"):
        known = mine[col].notna()
        if not (theirs.loc[known, col] == mine.loc[known, col]).all():
            raise DashboardDataError(f"the population does not reproduce the data's {col}: it is not the data's world")


PROGRAMME_HEADERS_TH = {
    "group_th": "กลุ่มเขต", "period_th": "ช่วงเวลา", "cases": "กรณี", "median_days": "มัธยฐาน (วัน)",
    "median_low": "ช่วง 95% ต่ำสุด", "median_high": "ช่วง 95% สูงสุด",
}
ESTIMATE_HEADERS_TH = {
    "estimator_th": "วิธีประมาณ", "shorter_by_days": "สั้นลง (วัน)", "low_days": "ช่วง 95% (เปลี่ยน) ต่ำสุด",
    "high_days": "ช่วง 95% (เปลี่ยน) สูงสุด",
}


class ProgrammeExercise:
    """Exercise 3: "estimate the sandbox effect on time to service" (median days noticed -> service).

    The answer is a number of days the programme made the median *shorter* (negative: longer).
    It is right inside the records' 95% interval of the difference-in-differences estimate
    (at least ``min_tolerance_days`` either side): the records cannot rule out any value in
    it, so grading more tightly would mark wrong what the data supports. At the notebook's
    size (20,000 families) the interval is about +-17 days, mostly from the few hundred cases
    noticed in the year before the programme. :meth:`truth` needs the population (``pop``).
    """

    def __init__(self, data: DashboardData, pop: Population | None = None, start=None,
                 settings: ExerciseSettings | None = None):
        self.settings = settings or load_exercise_settings()
        p = self.settings.programme
        self.data = data
        self.pop = pop
        self.start = pd.Timestamp(start if start is not None else
                                  (pop.config if pop is not None else load_config()).journeys.sandbox.start)
        self.follow_up_days = p.follow_up_days
        self.transition_days = p.transition_days
        self.confidence = self.settings.confidence
        self._truth: pd.DataFrame | None = None

    @property
    def question_th(self) -> str:
        after = self.start + pd.Timedelta(days=self.transition_days)
        latest = self.data.as_of - pd.Timedelta(days=self.follow_up_days)
        return (f"โครงการเขตนำร่อง (sandbox) เริ่ม {thai_date(self.start)} ทำให้เวลาตั้งแต่พบปัญหาจนเริ่มรับบริการ "
                f"(ค่ามัธยฐาน) สั้นลงกี่วัน? ใช้กรณีที่พบก่อนเริ่มโครงการ และที่พบตั้งแต่ {thai_date(after)} "
                f"ถึง {thai_date(latest)} (ปีแรกของโครงการเป็นช่วงเปลี่ยนผ่าน และกรณีที่เพิ่งพบยังติดตามไม่ครบ) "
                "ตอบเป็นจำนวนวันที่สั้นลง (ถ้ายาวขึ้นให้ใส่ค่าติดลบ)")

    def times(self) -> pd.DataFrame:
        return service_times(self.data, self.start, self.follow_up_days, self.transition_days)

    def table(self) -> pd.DataFrame:
        """The data the trainee sees: the 2 x 2 table of medians (:func:`programme_medians`)."""
        return programme_medians(self.times(), self.confidence)

    def table_th(self) -> pd.DataFrame:
        t = self.table()
        t = t.assign(group_th=t["group"].map(GROUP_TH), period_th=t["period"].map(PERIOD_TH))
        return thai_view(t, _headers(PROGRAMME_HEADERS_TH, self.confidence))

    def answer_from_records(self, data: DashboardData | None = None) -> pd.DataFrame:
        if data is not None and data is not self.data:
            times = service_times(data, self.start, self.follow_up_days, self.transition_days)
            return programme_estimates(programme_medians(times, self.confidence), self.confidence)
        return programme_estimates(self.table(), self.confidence)

    def answer_from_records_th(self) -> pd.DataFrame:
        e = self.answer_from_records()
        e = e.assign(low_days=-e["high_days"], high_days=-e["low_days"]).round(1)
        return thai_view(e, _headers(ESTIMATE_HEADERS_TH, self.confidence))

    def truth(self) -> pd.DataFrame:
        if self._truth is None:
            if self.pop is None:
                raise DashboardDataError("the programme's truth needs the population: ProgrammeExercise(data, pop=pop)")
            self._truth = programme_truth(self.pop, self.data)
        return self._truth

    def tolerance_days(self, estimates: pd.DataFrame | None = None) -> float:
        """Half-width of the accepted band around the DiD estimate: its interval, at least the minimum."""
        est = (self.answer_from_records() if estimates is None else estimates).set_index("estimator")
        half = _z(self.confidence) * float(est.loc["did", "se_days"])
        return max(self.settings.programme.min_tolerance_days, half if np.isfinite(half) else 0.0)

    def figure(self, show_truth: bool = False):
        return programme_figure(medians_by_year(self.data, self.confidence), self.answer_from_records(), self.start,
                                self.data.as_of, self.follow_up_days, self.transition_days,
                                truth=self.truth() if show_truth else None, confidence=self.confidence)

    def check(self, shorter_by_days) -> Feedback:
        try:
            answer = float(str(shorter_by_days).replace(",", "").replace("วัน", "").strip())
        except ValueError:
            raise AnswerError(f"อ่าน «{shorter_by_days}» เป็นจำนวนวันไม่ได้ ให้ใส่ตัวเลข เช่น 30") from None
        if not np.isfinite(answer):
            raise AnswerError("ให้ใส่จำนวนวันเป็นตัวเลขจริง เช่น 30")
        est = self.answer_from_records().set_index("estimator")
        did = float(est.loc["did", "estimate_days"])
        tol = self.tolerance_days(est.reset_index())
        record = -did
        correct = bool(abs(answer - record) <= tol)
        truth = self.truth().iloc[0]
        closest = (est["shorter_by_days"] - answer).abs().idxmin()
        verdict = (f"ถูกต้อง: {answer:g} วัน อยู่ในเกณฑ์ {record:.1f} ± {tol:.1f} วัน" if correct else
                   f"ยังไม่ถูก: {answer:g} วัน ห่างจากค่าผลต่างของผลต่าง ({record:.1f} วัน) เกิน {tol:.1f} วัน")
        if abs(float(est.loc[closest, "shorter_by_days"]) - answer) <= tol:
            verdict += f" (คำตอบของคุณใกล้วิธี{ESTIMATOR_SHORT_TH[closest]}ที่สุด)"
        records = "; ".join(
            f"{ESTIMATOR_SHORT_TH[k]} สั้นลง {r.shorter_by_days:.1f} วัน (ช่วง 95% {-r.high_days:.1f} ถึง {-r.low_days:.1f})"
            for k, r in est.iterrows())
        truth_th = (f"จำลองครอบครัวชุดเดิมซ้ำโดยไม่มีโครงการ: กรณีในเขตนำร่องที่เริ่มหลังโครงการ {int(truth['cases']):,} กรณี "
                    f"มัธยฐาน {truth['median_with']:.0f} วันเมื่อมีโครงการ และ {truth['median_without']:.0f} วันเมื่อไม่มี "
                    f"ผลจริง: สั้นลง {truth['shorter_by_days']:.1f} วัน")
        lesson, gaps = self._lesson(est, truth)
        tolerance = (f"รับคำตอบที่อยู่ในช่วงความเชื่อมั่น {self.confidence:.0%} ของค่าผลต่างของผลต่างในบันทึก "
                     f"(อย่างน้อย ± {self.settings.programme.min_tolerance_days:g} วัน): {record:.1f} ± {tol:.1f} วัน "
                     "เพราะบันทึกชุดนี้แยกค่าในช่วงนี้ออกจากกันไม่ได้")
        details = est.reset_index()[["estimator", "estimate_days", "se_days", "low_days", "high_days", "shorter_by_days"]]
        details = pd.concat([details, pd.DataFrame([{"estimator": "truth", "estimate_days": truth["effect_days"],
                                                      "shorter_by_days": truth["shorter_by_days"]}])], ignore_index=True)
        details["answer_days"] = answer
        return _feedback(self.confidence, correct, verdict, records, truth_th, lesson, tolerance, gaps, details)

    def _lesson(self, est: pd.DataFrame, truth) -> tuple[str, tuple[str, ...]]:
        m = self.table().set_index(["group", "period"])["median_days"].astype(float)
        baseline = m[("sandbox", "before")] - m[("others", "before")]
        trend = m[("others", "after")] - m[("others", "before")]
        did = est.loc["did"]
        gap = float(did["shorter_by_days"] - truth["shorter_by_days"])
        first = thai_date(self.start)
        last = thai_date(self.start + pd.Timedelta(days=max(self.transition_days - 1, 0)))
        parts = [
            (f"ปัจจัยกวน (confounding) จากเขตที่ต่างกัน: ก่อนเริ่มโครงการ เขตนำร่องใช้เวลา{'มากกว่า' if baseline >= 0 else 'น้อยกว่า'}"
            f"เขตอื่นอยู่แล้ว {abs(baseline):.1f} วัน วิธีเทียบตรงนับความต่างเดิมนี้เป็นผลของโครงการด้วย "
            "(ในโปรแกรมจำลองทุกเขตทำงานแบบเดียวกันก่อนโครงการ ความต่างนี้จึงเป็นความบังเอิญ "
            "แต่ในข้อมูลจริง เขตที่เข้าโครงการมักต่างจากเขตอื่นตั้งแต่แรก)"),
            (f"แนวโน้มตามเวลา: เขตอื่นที่ไม่มีโครงการก็{'เร็วขึ้น' if trend < 0 else 'ช้าลง'} {abs(trend):.1f} วัน "
            "ระหว่างสองช่วง วิธีก่อน−หลังนับการเปลี่ยนแปลงที่ไม่ได้มาจากโครงการนี้เป็นผลของโครงการ "
            "ผลต่างของผลต่างหักแนวโน้มนี้ออก โดยสมมติว่าทั้งสองกลุ่มจะเปลี่ยนเท่ากันถ้าไม่มีโครงการ"),
            (f"ข้อมูลช่วงท้ายยังไม่ครบ (censoring): ตัดกรณีที่พบในช่วง {self.follow_up_days} วันสุดท้าย เพราะกรณีที่ช้ายังไม่ถึงบริการ "
            f"(ถ้านับเฉพาะกรณีที่ได้บริการแล้ว จะดูเร็วเกินจริง) และตัดช่วง {first} ถึง {last} "
            "ซึ่งหลายกรณีเริ่มก่อนโครงการและยังทำงานแบบเดิม"),
        ]
        within = abs(gap) <= _z(self.confidence) * float(did["se_days"])
        parts.append(
            f"ผลต่างของผลต่าง ({did['shorter_by_days']:.1f} วัน) ห่างจากผลจริง ({truth['shorter_by_days']:.1f} วัน) "
            f"{abs(gap):.1f} วัน: " + ("อยู่ในความคลาดเคลื่อนของบันทึก (ค่ามัธยฐานจากไม่กี่ร้อยกรณี)" if within else
                                    "มากกว่าความคลาดเคลื่อน: ข้อสมมติว่าแนวโน้มของสองกลุ่มขนานกันไม่เป็นจริงทั้งหมด"))
        return " ".join(parts), ("confounding", "censoring", "noise")


def programme_figure(by_year: pd.DataFrame, estimates: pd.DataFrame, start, as_of, follow_up_days: int,
                     transition_days: int, truth: pd.DataFrame | None = None, confidence: float = 0.95):
    """Top: median days noticed -> service by year noticed, sandbox and others. Bottom: the three estimates."""
    fig = _figure(5.8)
    top, bottom = fig.subplots(2, 1, height_ratios=[1.2, 1])
    colours = {"sandbox": TRUTH_COLOUR, "others": COLOURS["grey"]}
    for group in ("sandbox", "others"):
        g = by_year[(by_year["group"] == group) & np.isfinite(by_year["median_days"])]
        top.plot(g["year_be"], g["median_days"], "o-", color=colours[group], label=GROUP_TH[group])
    start = pd.Timestamp(start)
    x0 = start.year + BE_OFFSET + (start.day_of_year - 1) / 365.25 - 0.5
    top.axvline(x0, color=COLOURS["red"], lw=1)
    top.axvspan(x0, x0 + transition_days / 365.25, color="#cccccc", alpha=0.5, lw=0)
    end = pd.Timestamp(as_of)
    x1 = end.year + BE_OFFSET + (end.day_of_year - 1) / 365.25 - 0.5
    top.axvspan(x1 - follow_up_days / 365.25, x1 + 0.5, color="#cccccc", alpha=0.5, lw=0)
    years = sorted(by_year["year_be"].unique())
    top.set_xticks(years, [str(int(v)) for v in years])
    top.set_ylabel("วัน (มัธยฐาน)")
    top.set_title("พบปัญหาจนเริ่มรับบริการ แยกตามปีที่พบ", fontsize=10)
    top.legend(fontsize=8, loc="upper right", frameon=False)
    top.set_ylim(0, float(np.nanmax(by_year["median_days"].replace(np.inf, np.nan))) * 1.35)
    top.set_xlabel("เส้นแดง = เริ่มโครงการ · แถบเทา = ไม่ใช้ประมาณ", fontsize=8)

    rows = estimates.iloc[::-1].reset_index(drop=True)
    y = np.arange(len(rows))
    shorter = rows["shorter_by_days"]
    bottom.barh(y, shorter, color=COLOURS["green"], alpha=0.75)
    bottom.errorbar(shorter, y, xerr=[shorter - (-rows["high_days"]), (-rows["low_days"]) - shorter],
                    fmt="none", ecolor="#333333", capsize=3, lw=1)
    if truth is not None:
        value = float(truth["shorter_by_days"].iloc[0])
        bottom.axvline(value, color=COLOURS["red"], ls="--", lw=1.2)
        bottom.text(value, len(rows) - 0.45, f" ผลจริง {value:.0f} วัน", color=COLOURS["red"], fontsize=8,
                    ha="left", va="bottom")
    bottom.set_ylim(-0.5, len(rows) - 0.5 + (0.55 if truth is not None else 0))
    bottom.set_yticks(y, rows["estimator"].map(ESTIMATOR_SHORT_TH), fontsize=9)
    bottom.set_xlabel(_level("สั้นลง (วัน) และช่วง 95%", confidence), fontsize=9)
    bottom.set_title("ผลของโครงการตามวิธีประมาณ", fontsize=10)
    bottom.set_xlim(min(0, float((-rows["high_days"]).min()) * 1.1), float((-rows["low_days"]).max()) * 1.15)
    _ticks_inside(top)
    _ticks_inside(bottom)
    alt = ("กราฟเส้นค่ามัธยฐานจำนวนวันตั้งแต่พบปัญหาจนเริ่มรับบริการในเขตนำร่องและเขตอื่นตามปีที่พบ "
           "และกราฟแท่งผลของโครงการตามวิธีเทียบตรง ก่อน−หลัง และผลต่างของผลต่าง พร้อมช่วง 95%")
    if truth is not None:
        alt += " เส้นประสีแดงคือผลจริงจากการจำลองซ้ำโดยไม่มีโครงการ"
    return finish(fig, _level(alt, confidence), "ผลของโครงการเขตนำร่องต่อเวลาถึงบริการ")


__all__ = [
    "ALL", "DIRECTIONS", "DIRECTION_TH", "GAP_TH", "AnswerError", "ExerciseSettings", "Feedback",
    "ProgrammeExercise", "RiskGroupExercise", "TrendExercise", "colour_share_by_group", "counterfactual_configs",
    "default_world", "direction_of", "load_exercise_settings", "median_table", "medians_by_year",
    "noticed_and_onsets", "noticed_by_year", "own_colour_rate", "poisson_interval", "programme_estimates",
    "programme_figure", "programme_medians", "programme_truth", "rate_ratio", "risk_factors_th", "risk_figure",
    "risk_truth", "service_times", "top_group", "trend_figure", "trend_from_records", "trend_truth", "truth_data",
]
