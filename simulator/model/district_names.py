"""District names as people type them: ``เขตลาดกระบัง``, ``ลาดกระบัง``, ``lat krabang``.

Resolves each to the canonical Thai name of the data files, and suggests the nearest
names when one is not a district, so a typo costs one retry rather than a search.
"""

from __future__ import annotations

import difflib

from simulator.model.config import Geography

_THAI_PREFIX = "เขต"
_ENGLISH_AFFIXES = (("khet ", ""), ("", " district"), ("", " khet"))


class UnknownDistrictError(ValueError):
    """A district name that is not one of Bangkok's 50."""


class UnknownDistrictName(UnknownDistrictError):
    """A district name that matches none of the data file's districts; carries suggestions."""

    def __init__(self, name: str, suggestions: list[tuple[str, str]]):
        self.name = name
        self.suggestions = suggestions
        hint = ", ".join(f"{th} ({en})" for th, en in suggestions)
        super().__init__(
            f"ไม่รู้จักเขต {name!r} (unknown district {name!r})"
            + (f"; ชื่อที่ใกล้เคียง (did you mean): {hint}" if hint else "")
            + "; ใช้ชื่อเขตของกรุงเทพฯ ภาษาไทยหรืออังกฤษ เช่น ลาดกระบัง หรือ 'Lat Krabang'"
        )


def _key(text: str) -> str:
    """Spaces, case and the word for district do not matter."""
    key = " ".join(text.split()).casefold()
    if key.startswith(_THAI_PREFIX) and len(key) > len(_THAI_PREFIX):
        key = key[len(_THAI_PREFIX):]
    for prefix, suffix in _ENGLISH_AFFIXES:
        if prefix and key.startswith(prefix):
            key = key[len(prefix):]
        if suffix and key.endswith(suffix):
            key = key[: -len(suffix)]
    return key.replace(" ", "").replace("-", "")


def _districts(geo: Geography) -> list[tuple[str, str]]:
    return [(d.name_th, d.name_en) for zone in geo.zones for d in zone.districts]


def resolve_district(name: str, geo: Geography) -> str:
    """The canonical Thai name of district ``name``; :class:`UnknownDistrictName` if none matches."""
    lookup = {}
    for th, en in _districts(geo):
        lookup[_key(th)] = th
        lookup[_key(en)] = th
    hit = lookup.get(_key(name))
    if hit is None:
        raise UnknownDistrictName(name, suggest_districts(name, geo))
    return hit


def resolve_districts(names: list[str] | None, geo: Geography) -> list[str] | None:
    """Canonical Thai names, in the order given, without repeats (``None`` stays ``None``)."""
    if not names:
        return None
    out: list[str] = []
    for name in names:
        th = resolve_district(name, geo)
        if th not in out:
            out.append(th)
    return out


def suggest_districts(name: str, geo: Geography, count: int = 3) -> list[tuple[str, str]]:
    """Up to ``count`` (Thai, English) districts whose names are nearest to ``name``."""
    by_key: dict[str, tuple[str, str]] = {}
    for th, en in _districts(geo):
        by_key[_key(th)] = (th, en)
        by_key[_key(en)] = (th, en)
    out: list[tuple[str, str]] = []
    for key in difflib.get_close_matches(_key(name), list(by_key), n=count * 2, cutoff=0.6):
        if by_key[key] not in out:
            out.append(by_key[key])
    return out[:count]
