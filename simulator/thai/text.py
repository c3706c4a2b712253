"""Line-wrapping for Thai text, which has no spaces between words.

A line may break at a space, or inside a long run at a point that does not split a
syllable's visible parts: never before a combining mark (upper/lower vowels, tone
marks), never before a following vowel (ะ า ำ ๅ), never after a leading vowel (เ แ โ ใ ไ).
"""

from __future__ import annotations

COMBINING = {chr(c) for c in [0x0E31, *range(0x0E34, 0x0E3B), *range(0x0E47, 0x0E4F)]}
FOLLOWING = set("ะาำๅ")
LEADING = set("เแโใไ")


def display_width(text: str) -> int:
    return sum(1 for ch in text if ch not in COMBINING)


def _safe_break(text: str, i: int) -> bool:
    """May a line break fall between text[i-1] and text[i]?"""
    if i <= 0 or i >= len(text):
        return True
    return text[i] not in COMBINING and text[i] not in FOLLOWING and text[i - 1] not in LEADING


def wrap(text: str, width: int) -> list[str]:
    """Wrap ``text`` into lines of at most about ``width`` visible characters."""
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        candidate = f"{line} {word}" if line else word
        if display_width(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
            line = ""
        while display_width(word) > width:
            cut, good, seen = 0, 0, 0
            for i, ch in enumerate(word):
                if ch not in COMBINING:
                    seen += 1
                if seen > width:
                    break
                if _safe_break(word, i + 1):
                    cut = i + 1
                    # A leading vowel always starts a syllable: the best place to break.
                    if i + 1 < len(word) and word[i + 1] in LEADING and seen >= width // 2:
                        good = i + 1
            cut = good or cut or len(word)
            lines.append(word[:cut])
            word = word[cut:]
        line = word
    if line:
        lines.append(line)
    return lines or [""]
