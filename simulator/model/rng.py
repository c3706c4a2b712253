"""Counter-based random numbers: one independent stream per family.

Every random number is a pure function of ``(seed, purpose, family index, slot)``,
computed with the SplitMix64 finaliser on numpy ``uint64`` arrays. So

* a family can be regenerated alone from its index, with no other family drawn;
* adding families never changes the ones already generated;
* the whole population is drawn in a few vectorised passes (no per-row loop);
* results depend only on integer arithmetic, not on numpy's Generator versions.
"""

from __future__ import annotations

import zlib

import numpy as np

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_SLOT = np.uint64(0xD6E8FEB86659FD93)
_TO_UNIT = 2.0**-53


def _mix(x: np.ndarray) -> np.ndarray:
    """SplitMix64's finaliser, in place: ``x`` must be an array the caller owns."""
    t = x >> np.uint64(30)
    x ^= t
    x *= _M1
    np.right_shift(x, np.uint64(27), out=t)
    x ^= t
    x *= _M2
    np.right_shift(x, np.uint64(31), out=t)
    x ^= t
    return x


def purpose_key(seed: int, purpose: str) -> np.uint64:
    """A 64-bit key for one purpose ("household_type", "indicator:neglect", ...) under a seed."""
    if seed < 0:
        raise ValueError("seed must be zero or positive")
    tag = np.uint64(zlib.crc32(purpose.encode("utf-8")))
    with np.errstate(over="ignore"):
        base = _mix(np.array([np.uint64(seed & 0xFFFFFFFFFFFFFFFF)], dtype=np.uint64) + _GOLDEN)
        return _mix(base ^ (tag * _GOLDEN))[0]


def uniform(seed: int, purpose: str, families: np.ndarray, slot: int | np.ndarray = 0) -> np.ndarray:
    """Uniform numbers in [0, 1), one per family (and per slot when ``slot`` is an array).

    ``families`` and ``slot`` broadcast like numpy arrays; a 1-D ``families`` with a
    2-D ``slot`` row gives one row per family.
    """
    key = purpose_key(seed, purpose)
    fam = np.asarray(families, dtype=np.uint64)
    slot_arr = np.asarray(slot, dtype=np.uint64)
    if slot_arr.ndim == 2 and fam.ndim == 1:
        fam = fam[:, None]  # one row per family, one column per slot
    with np.errstate(over="ignore"):
        x = fam + np.uint64(1)
        x *= _GOLDEN
        x ^= key
        x = _mix(x)
        x = _mix(x + (slot_arr + np.uint64(1)) * _SLOT)
    x >>= np.uint64(11)
    u = x.astype(np.float64)
    u *= _TO_UNIT
    return u


def integers(seed: int, purpose: str, families: np.ndarray, low: int, high: int, slot=0) -> np.ndarray:
    """Integers in ``[low, high]`` (inclusive), one per family/slot."""
    u = uniform(seed, purpose, families, slot)
    return (low + np.floor(u * (high - low + 1))).astype(np.int64)


def choice(seed: int, purpose: str, families: np.ndarray, weights, slot=0) -> np.ndarray:
    """Index drawn with the given weights, one per family/slot."""
    w = np.asarray(weights, dtype=np.float64)
    cum = np.cumsum(w / w.sum())
    cum[-1] = 1.0
    u = uniform(seed, purpose, families, slot)
    return np.searchsorted(cum, u, side="right").astype(np.int64)
