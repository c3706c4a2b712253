"""Line-wrapping for Thai text, which has no spaces between words.

Lines break at spaces or between words, as PyThaiNLP's dictionary segmenter
(``newmm``) finds them; a word is split only when it alone is wider than a line,
and then never so that a mark (upper/lower vowel, tone mark) leaves its letter.
"""

from __future__ import annotations

import simulator.thai._offline  # noqa: F401  (before pythainlp)
from pythainlp.tokenize import subword_tokenize, word_tokenize

COMBINING = {chr(c) for c in [0x0E31, *range(0x0E34, 0x0E3B), *range(0x0E47, 0x0E4F)]}
FOLLOWING = set("ะาำๅ")
LEADING = set("เแโใไ")


def display_width(text: str) -> int:
    """Visible width: combining marks sit on their letter and take no room."""
    return sum(1 for ch in text if ch not in COMBINING)


def _safe_break(text: str, i: int) -> bool:
    """May a line break fall between text[i-1] and text[i] without tearing a syllable?"""
    if i <= 0 or i >= len(text):
        return True
    return text[i] not in COMBINING and text[i] not in FOLLOWING and text[i - 1] not in LEADING


def words(text: str) -> list[str]:
    """``text`` cut into words (spaces kept as their own pieces); the pieces join back to ``text``.

    A piece that would start with a mark or a following vowel, or follow a leading
    vowel, stays glued to the piece before it: the segmenter falls back on character
    clusters for unknown words, and those are not always whole syllables.
    """
    pieces: list[str] = []
    for token in word_tokenize(text, engine="newmm", keep_whitespace=True):
        both_words = pieces and not pieces[-1].isspace() and not token.isspace()
        if both_words and not _safe_break(pieces[-1] + token, len(pieces[-1])):
            pieces[-1] += token
        else:
            pieces.append(token)
    return pieces


def _syllable_ends(word: str) -> set[int]:
    ends, pos = set(), 0
    for syllable in subword_tokenize(word, engine="dict"):
        pos += len(syllable)
        ends.add(pos)
    return ends


def _cut(word: str, start: int, width: int, syllables: set[int], strict: bool) -> int:
    """Furthest end after ``start`` within ``width``: a syllable end if any, else (unless strict) any safe point."""
    cut = preferred = 0
    seen = 0
    for i in range(start, len(word)):
        if word[i] not in COMBINING:
            seen += 1
        if seen > width:
            break
        if _safe_break(word, i + 1):
            cut = i + 1
            if i + 1 in syllables:
                preferred = i + 1
    return preferred if (preferred or strict) else cut


def _split_long_word(word: str, width: int, room: int) -> list[str]:
    """Cut a word wider than ``width`` into pieces, at syllable boundaries where one fits.

    The first piece fills the ``room`` left on the current line, and is empty when no
    syllable fits there.
    """
    syllables = _syllable_ends(word)
    first = _cut(word, 0, room, syllables, strict=True) if room > 0 else 0
    parts = [word[:first]]
    start = first
    while display_width(word[start:]) > width:
        cut = _cut(word, start, width, syllables, strict=False)
        if not cut:  # nothing breakable within the width: break at the first point that is
            cut = next((i for i in range(start + 1, len(word)) if _safe_break(word, i)), len(word))
        parts.append(word[start:cut])
        start = cut
    parts.append(word[start:])
    return parts


def wrap(text: str, width: int) -> list[str]:
    """Wrap ``text`` into lines of at most ``width`` visible characters, breaking between words.

    Spaces at a break are dropped; a newline in ``text`` always breaks the line.
    """
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for piece in words(paragraph):
            if piece.isspace():
                if line and display_width(line + piece) <= width:
                    line += piece
                elif line:
                    lines.append(line.rstrip(" "))
                    line = ""
                continue
            if display_width(line + piece) <= width:
                line += piece
                continue
            if display_width(piece) > width:
                head, *full, piece = _split_long_word(piece, width, width - display_width(line))
                line += head
                full = [line.rstrip(" "), *full] if line.strip() else full
                lines.extend(full)
            elif line.strip():
                lines.append(line.rstrip(" "))
            line = piece
        if line.strip() or not lines or paragraph == "":
            lines.append(line.rstrip(" "))
    return lines or [""]
