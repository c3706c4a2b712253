import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from simulator.thai.dates import thai_date
from simulator.thai.text import COMBINING, FOLLOWING, LEADING, display_width, wrap


def test_thai_date_uses_buddhist_era():
    assert thai_date(dt.date(2026, 11, 23)) == "23 พ.ย. 2569"
    assert thai_date("2025-12-31", long=True) == "31 ธันวาคม 2568"
    assert thai_date(None) == "" and thai_date(float("nan")) == ""


# Well-formed enough: every word starts with a consonant or a leading vowel.
WORD = st.builds(
    lambda head, tail: head + tail,
    st.sampled_from(list("กขคงจนมยรลวสหอเแโใไ")),
    st.text(alphabet=st.sampled_from(list("กขคงจนมยรลวสหอะาำิีึืุูเแโใไ่้๊๋็์ั")), max_size=30),
)
THAI = st.lists(WORD, max_size=6).map(" ".join)


@given(THAI, st.integers(6, 40))
def test_wrap_keeps_every_character_and_breaks_words_only_at_safe_points(text, width):
    lines = wrap(text, width)
    pos = 0
    for n, line in enumerate(lines):
        assert text[pos:pos + len(line)] == line
        pos += len(line)
        if pos < len(text) and text[pos] == " ":
            while pos < len(text) and text[pos] == " ":
                pos += 1
        elif n + 1 < len(lines) and lines[n + 1]:
            # A break inside a word: never strand a mark, a following vowel or a leading vowel.
            assert lines[n + 1][0] not in COMBINING | FOLLOWING or display_width(line) == 0
            assert line[-1] not in LEADING
    assert pos == len(text.rstrip(" ")) or text[pos:].strip() == ""
