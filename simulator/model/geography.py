"""Bangkok's districts, zones, real subdistricts (แขวง) and invented community names.

District codes and subdistricts come from geothai (the Department of Provincial
Administration's list), never from the YAML file. Each invented community lies in one
real subdistrict of its district; a household lives in its community's subdistrict.
"""

from __future__ import annotations

from dataclasses import dataclass

import geothai
import numpy as np

from simulator.model import rng
from simulator.model.config import Geography
from simulator.model.district_names import UnknownDistrictError, resolve_districts

# Community names do not depend on the run's seed, so neither does where they lie:
# ชุมชนร่วมใจพัฒนา is in the same แขวง in every run and every classroom.
GEOGRAPHY_SEED = 0


@dataclass(frozen=True)
class DistrictTable:
    """Flat arrays over the districts in play (all 50, or the ones asked for)."""

    zone_id: list[str]
    zone_th: list[str]
    name_th: list[str]
    name_en: list[str]
    weight: np.ndarray
    sandbox: np.ndarray
    communities: list[list[str]]
    code: list[str]  # official district code, e.g. 1001
    subdistrict_code: list[str]  # every subdistrict of the districts in play, flat
    subdistrict_th: list[str]
    community_subdistrict: list[list[int]]  # per district, per community: position in the flat lists

    def subdistrict_of(self, district: np.ndarray, community: np.ndarray) -> np.ndarray:
        """Position in ``subdistrict_code`` of each household, from its district and community."""
        offsets = np.cumsum([0] + [len(c) for c in self.community_subdistrict])
        flat = np.array([s for subs in self.community_subdistrict for s in subs], dtype=np.int64)
        return flat[offsets[district] + community]


def community_names(geo: Geography, district_position: int, count: int) -> list[str]:
    """Invented, distinct community names for one district, the same on every run."""
    first, second = geo.community_name_parts.first, geo.community_name_parts.second
    names: list[str] = []
    start = district_position * 7
    for k in range(start, start + len(first) * len(first) * len(second)):
        if len(names) == count:
            break
        a, b = first[k % len(first)], second[(k * 5 + k // len(first)) % len(second)]
        if a != b and f"ชุมชน{a}{b}" not in names:
            names.append(f"ชุมชน{a}{b}")
    while len(names) < count:  # more communities than the word parts can name
        names.append(f"ชุมชน{first[0]}{second[0]} {len(names) + 1}")
    return names


def community_subdistricts(district_code: str, count: int) -> list[int]:
    """Position among the district's subdistricts (by code) of each of its ``count`` communities.

    The subdistricts are shuffled once per district and dealt to the communities in
    turn, so they share the communities evenly (and so, roughly, the households) and
    every subdistrict gets one when there are enough communities.
    """
    n_sub = len(geothai.subdistricts(district_code))
    # One draw per (district, subdistrict): the district code stands where a family index would.
    keys = rng.uniform(GEOGRAPHY_SEED, "community_subdistrict", np.array([int(district_code)]),
                       np.arange(n_sub)[None, :])[0]
    order = np.argsort(keys, kind="stable")
    return [int(order[k % n_sub]) for k in range(count)]


def district_table(geo: Geography, districts: list[str] | None = None) -> DistrictTable:
    """The districts in play; ``districts`` may name them as people type them (see ``district_names``)."""
    rows = []
    position = 0
    for zone in geo.zones:
        for d in zone.districts:
            rows.append((zone, d, position))
            position += 1
    if districts:
        by_name = {d.name_th: (zone, d, pos) for zone, d, pos in rows}
        rows = [by_name[name] for name in resolve_districts(districts, geo)]
    codes = [d.code for _, d, _ in rows]
    sub_code: list[str] = []
    sub_th: list[str] = []
    comm_sub: list[list[int]] = []
    for (_, d, _), code in zip(rows, codes):
        subs = geothai.subdistricts(code)
        comm_sub.append([len(sub_code) + k for k in community_subdistricts(code, d.communities)])
        sub_code.extend(s.code for s in subs)
        sub_th.extend(s.name_th for s in subs)
    return DistrictTable(
        zone_id=[z.id for z, _, _ in rows],
        zone_th=[z.name_th for z, _, _ in rows],
        name_th=[d.name_th for _, d, _ in rows],
        name_en=[d.name_en for _, d, _ in rows],
        weight=np.array([d.weight for _, d, _ in rows], dtype=float),
        sandbox=np.array([d.sandbox for _, d, _ in rows], dtype=bool),
        communities=[community_names(geo, pos, d.communities) for _, d, pos in rows],
        code=codes,
        subdistrict_code=sub_code,
        subdistrict_th=sub_th,
        community_subdistrict=comm_sub,
    )
