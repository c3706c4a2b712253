"""Bangkok's districts, zones and invented community names."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulator.model.config import Geography


class UnknownDistrictError(ValueError):
    """A district name that is not one of Bangkok's 50."""


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


def district_table(geo: Geography, districts: list[str] | None = None) -> DistrictTable:
    """The districts in play; ``districts`` may name them in Thai or English (any case)."""
    rows = []
    position = 0
    for zone in geo.zones:
        for d in zone.districts:
            rows.append((zone, d, position))
            position += 1
    if districts:
        wanted = []
        lookup = {}
        for zone, d, pos in rows:
            lookup[d.name_th] = (zone, d, pos)
            lookup[d.name_en.lower()] = (zone, d, pos)
            lookup[d.name_en.lower().replace(" ", "")] = (zone, d, pos)
        for name in districts:
            key = name.strip()
            hit = lookup.get(key) or lookup.get(key.lower()) or lookup.get(key.lower().replace(" ", ""))
            if hit is None:
                raise UnknownDistrictError(
                    f"unknown district {name!r}: use one of Bangkok's 50 districts in Thai or English, "
                    f"e.g. ลาดกระบัง or 'Lat Krabang'"
                )
            if hit not in wanted:
                wanted.append(hit)
        rows = wanted
    return DistrictTable(
        zone_id=[z.id for z, _, _ in rows],
        zone_th=[z.name_th for z, _, _ in rows],
        name_th=[d.name_th for _, d, _ in rows],
        name_en=[d.name_en for _, d, _ in rows],
        weight=np.array([d.weight for _, d, _ in rows], dtype=float),
        sandbox=np.array([d.sandbox for _, d, _ in rows], dtype=bool),
        communities=[community_names(geo, pos, d.communities) for _, d, pos in rows],
    )
