"""``platform.yaml``: the roles, the PIN rules, the PIN hash's cost and how writes retry."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from simulator.model.config import DIMENSIONS, read_yaml_model

SETTINGS_FILE = Path(__file__).resolve().parent.parent / "data" / "platform.yaml"
LEVELS = ("community", "provider", "district", "city")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RoleSpec(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=40)
    name_th: str = Field(min_length=1, max_length=120)
    level: Literal["community", "provider", "district", "city"]
    dimension: Literal["social", "education", "health", "governance"] | None = None
    actor_role: str = Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=40)

    @model_validator(mode="after")
    def _dimension_for_providers(self):
        if self.level == "provider" and self.dimension is None:
            raise ValueError(f"role {self.id}: a provider needs a dimension")
        if self.level != "provider" and self.dimension is not None:
            raise ValueError(f"role {self.id}: only providers have a dimension")
        return self


class PinRules(_Strict):
    digits_min: int = Field(ge=4, le=8)
    digits_max: int = Field(ge=4, le=8)
    attempts_before_lock: int = Field(ge=3, le=100)

    @model_validator(mode="after")
    def _ordered(self):
        if self.digits_max < self.digits_min:
            raise ValueError("pin: digits_max is below digits_min")
        return self


class Argon2Cost(_Strict):
    time_cost: int = Field(ge=1, le=10)
    memory_kib: int = Field(ge=8192, le=1_048_576)
    parallelism: int = Field(ge=1, le=8)


class WriteRules(_Strict):
    retries: int = Field(ge=0, le=1000)
    busy_timeout_ms: int = Field(ge=100, le=600_000)


class PlatformSettings(_Strict):
    version: int = Field(ge=1, le=1)
    roles: list[RoleSpec] = Field(min_length=1)
    pin: PinRules
    argon2: Argon2Cost
    writes: WriteRules

    @model_validator(mode="after")
    def _every_level_and_dimension(self):
        ids = [r.id for r in self.roles]
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            raise ValueError(f"roles: id listed twice: {', '.join(twice)}")
        levels = {r.level for r in self.roles}
        missing = [lv for lv in LEVELS if lv not in levels]
        if missing:
            raise ValueError(f"roles: no role at level(s) {', '.join(missing)}")
        served = {r.dimension for r in self.roles if r.level == "provider"}
        unserved = [d for d in DIMENSIONS if d not in served]
        if unserved:
            raise ValueError(f"roles: no provider of dimension(s) {', '.join(unserved)}")
        return self

    def role(self, role_id: str) -> RoleSpec | None:
        return next((r for r in self.roles if r.id == role_id), None)


def load_platform_settings(folder: Path | str | None = None) -> PlatformSettings:
    """Read ``platform.yaml`` from ``folder`` (the kit's data folder when not given)."""
    if folder is None:
        return _default()
    return _read(Path(folder) / "platform.yaml")


@lru_cache(maxsize=1)
def _default() -> PlatformSettings:
    return _read(SETTINGS_FILE)


def _read(path: Path) -> PlatformSettings:
    return read_yaml_model(path, PlatformSettings)


__all__ = ["LEVELS", "SETTINGS_FILE", "Argon2Cost", "PinRules", "PlatformSettings", "RoleSpec", "WriteRules",
           "load_platform_settings"]
