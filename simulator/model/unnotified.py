"""When a provider is not notified: the rule of activities 7 and 8, from ``notify_scenarios.yaml``.

:func:`simulator.model.timelines.simulate_timelines` takes ``unnotified`` dimensions and
these settings; the file's header comment states the rule. This module validates the file
and works out which of a case's goals an unseen problem makes harder (rule 3).
"""

from __future__ import annotations

import string
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
from pydantic import Field, model_validator

from simulator.model.config import (
    DATA_DIR,
    DIMENSIONS,
    ConfigError,
    Dimension,
    KitConfig,
    _Strict,
    load_yaml_model,
)

SETTINGS_FILE = DATA_DIR / "notify_scenarios.yaml"


class OwnNotice(_Strict):
    detection_delay_factor: float = Field(gt=0, le=20)


class Link(_Strict):
    """A problem (driver) that keeps another problem (target), in another dimension, going."""

    driver: str = Field(min_length=1)
    target: str = Field(min_length=1)
    reason_th: str = Field(min_length=1)


class CaseStudy(_Strict):
    min_dimensions: int = Field(ge=2, le=4)


class NotifyExercise(_Strict):
    question_th: str = Field(min_length=1)
    hint_th: str = Field(min_length=1)
    correct_th: str = Field(min_length=1)
    tie_th: str = Field(min_length=1)
    wrong_th: str = Field(min_length=1)
    outcome_th: str = Field(min_length=1)
    because_th: str = Field(min_length=1)
    unrecorded_th: str = Field(min_length=1)
    chance_th: str = Field(min_length=1)

    @model_validator(mode="after")
    def _placeholders(self) -> NotifyExercise:
        allowed = {"provider", "at_risk", "best", "best_at_risk", "others", "missing", "harder", "lost",
                   "reasons", "indicator"}
        for name in type(self).model_fields:
            used = {f for _, f, _, _ in string.Formatter().parse(getattr(self, name)) if f}
            if used - allowed:
                raise ValueError(f"{name}: unknown placeholder(s) {', '.join(sorted(used - allowed))}; "
                                 f"use {', '.join(sorted(allowed))}")
        return self


class NotifySettings(_Strict):
    """``notify_scenarios.yaml``: the unnotified-provider rule and the prediction exercise."""

    version: int = Field(ge=1, le=1)
    own_notice: OwnNotice
    linked_goal_met_factor: float = Field(ge=0, le=1)
    livelihood_dimension: Dimension | None = None
    links: list[Link] = Field(default_factory=list)
    case_study: CaseStudy
    exercise: NotifyExercise


def load_notify_settings(path: Path | str | None = None, config: KitConfig | None = None) -> NotifySettings:
    """Read and check ``notify_scenarios.yaml`` (the kit's when ``path`` is None).

    Links must name indicators of ``config``'s catalogue (the kit's by default) in two
    different dimensions; a mistake raises :class:`ConfigError` naming the file and entry.
    """
    from simulator.model.config import load_config

    if path is None and (config is None or config is load_config()):
        return _default_settings()
    return _load(Path(path) if path is not None else SETTINGS_FILE, config)


@lru_cache(maxsize=1)
def _default_settings() -> NotifySettings:
    return _load(SETTINGS_FILE, None)


def _load(path: Path, config: KitConfig | None) -> NotifySettings:
    from simulator.model.config import load_config

    settings = load_yaml_model(NotifySettings, path)
    by_id = (config or load_config()).catalogue.by_id()
    for n, link in enumerate(settings.links):
        for role in ("driver", "target"):
            if getattr(link, role) not in by_id:
                raise ConfigError(f"{path}: links[{n}].{role}: {getattr(link, role)!r} is not an indicator id "
                                  f"(indicators.yaml)")
        if by_id[link.driver].dimension == by_id[link.target].dimension:
            raise ConfigError(f"{path}: links[{n}]: {link.driver} and {link.target} are both in the "
                              f"{by_id[link.driver].dimension} dimension; a link must cross dimensions")
    return settings


def cross_links(cfg: KitConfig, settings: NotifySettings) -> pd.DataFrame:
    """Every link rule 3 uses: driver, target, their dimensions and the Thai reason.

    The file's links come first, then the indicators.yaml dependencies across dimensions that
    the file does not repeat (their ``reason_th`` is built from the two labels).
    """
    by_id = cfg.catalogue.by_id()
    rows = [(link.driver, link.target, link.reason_th) for link in settings.links]
    known = {(d, t) for d, t, _ in rows}
    for dep in cfg.catalogue.dependencies:
        if (dep.driver, dep.target) not in known and by_id[dep.driver].dimension != by_id[dep.target].dimension:
            rows.append((dep.driver, dep.target,
                         f"«{by_id[dep.driver].label_th}» ทำให้«{by_id[dep.target].label_th}» แก้ได้ยากขึ้น"))
    return pd.DataFrame({
        "driver": [r[0] for r in rows], "target": [r[1] for r in rows],
        "driver_dimension": [by_id[r[0]].dimension for r in rows],
        "target_dimension": [by_id[r[1]].dimension for r in rows],
        "reason_th": [r[2] for r in rows],
    })


def family_links(cfg: KitConfig, settings: NotifySettings, indicators: pd.DataFrame) -> pd.DataFrame:
    """The links whose driver and target the family has (``indicators``: its true indicator rows).

    Columns as :func:`cross_links` plus ``family_id``.
    """
    links = cross_links(cfg, settings)
    have = indicators[["family_id", "indicator_id"]].astype(str).drop_duplicates()
    out = links.merge(have.rename(columns={"indicator_id": "driver"}), on="driver")
    out = out.merge(have.rename(columns={"indicator_id": "target"}), on=["family_id", "target"])
    return out[["family_id", *links.columns]].reset_index(drop=True)


def blocked_goals(cfg: KitConfig, settings: NotifySettings, family_ids: pd.Series, indicators: pd.DataFrame,
                  unnotified: np.ndarray) -> np.ndarray:
    """(cases, 4) whether rule 3 makes each dimension's goal harder.

    ``unnotified`` is (cases, 4): the case's yellow or red dimensions whose provider nobody
    notifies. A goal in D2 is harder when the family has a link driver -> target with the
    driver in an unnotified dimension and the target in D2.
    """
    n = len(family_ids)
    out = np.zeros((n, len(DIMENSIONS)), dtype=bool)
    if not unnotified.any():
        return out
    links = family_links(cfg, settings, indicators[indicators["family_id"].isin(set(family_ids))])
    if links.empty:
        return out
    pos = pd.Series(np.arange(n), index=family_ids.to_numpy())
    case = pos.loc[links["family_id"]].to_numpy()
    src = links["driver_dimension"].map(DIMENSIONS.index).to_numpy()
    dst = links["target_dimension"].map(DIMENSIONS.index).to_numpy()
    hit = unnotified[case, src]
    out[case[hit], dst[hit]] = True
    return out


__all__ = [
    "SETTINGS_FILE",
    "NotifySettings",
    "blocked_goals",
    "cross_links",
    "family_links",
    "load_notify_settings",
]
