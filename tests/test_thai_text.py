import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from simulator.thaidate import thai_date
from simulator.thaitext import COMBINING, LEADING, display_width, wrap


def test_thai_date_uses_buddhist_era():
    assert thai_date(dt.date(2026, 11, 23)) == "23 พ.ย. 2569"
    assert thai_date("2025-12-31", long=True) == "31 ธันวาคม 2568"
    assert thai_date(None) == "" and thai_date(float("nan")) == ""


THAI = st.text(alphabet=st.sampled_from(list("กขคงจนมยรลวสหอะาำิีึืุูเแโใไ่้๊๋็์ั ")), min_size=0, max_size=120)


@given(THAI, st.integers(6, 40))
def test_wrap_keeps_every_character_and_never_orphans_a_mark(text, width):
    lines = wrap(text, width)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    for line in lines:
        if line:
            assert line[0] not in COMBINING or line == lines[0]
            assert line[-1] not in LEADING or line == lines[-1] or display_width(line) == 1
