import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from matplotlib.backends.backend_agg import FigureCanvasAgg
from pythainlp.tokenize import word_tokenize
from pythainlp.util.date import thai_abbr_months, thai_full_months

import simulator
from simulator.exercises.views import flower_notes
from simulator.figures.journey import parent_card, upcoming_appointments
from simulator.figures.petal import family_flower
from simulator.model.config import load_config
from simulator.model.timelines import simulate_timelines
from simulator.thai.dates import MONTHS_LONG, MONTHS_SHORT, ThaiDateError, parse_thai_date, thai_date, thai_digits
from simulator.thai.text import COMBINING, FOLLOWING, LEADING, _safe_break, display_width, words, wrap

FIGURE_WIDTHS = (30, 40)  # the widths figures/petal.py and figures/journey.py wrap at


def test_thai_date_uses_buddhist_era():
    assert thai_date(dt.date(2026, 11, 23)) == "23 พ.ย. 2569"
    assert thai_date(dt.date(2026, 1, 5)) == "5 ม.ค. 2569"
    assert thai_date("2025-12-31", long=True) == "31 ธันวาคม 2568"
    assert thai_date(None) == "" and thai_date(float("nan")) == ""


def test_month_names_are_pythainlps():
    assert MONTHS_SHORT == tuple(thai_abbr_months) and MONTHS_SHORT[10] == "พ.ย."
    assert MONTHS_LONG == tuple(thai_full_months) and MONTHS_LONG[11] == "ธันวาคม"


def test_parse_thai_date_reads_what_thai_date_writes():
    day = dt.date(2024, 1, 1)
    while day < dt.date(2026, 1, 1):  # a leap year and a common one
        for long in (False, True):
            text = thai_date(day, long=long)
            assert parse_thai_date(text) == day, text
            assert parse_thai_date(thai_digits(text)) == day, thai_digits(text)
        day += dt.timedelta(days=1)
    assert parse_thai_date("23 พ.ย. 2569") == dt.date(2026, 11, 23)
    assert parse_thai_date(" ๒๓  พฤศจิกายน  ๒๕๖๙ ") == dt.date(2026, 11, 23)


@pytest.mark.parametrize("text", ["", "   ", "31 ก.พ. 2569", "23 Nov 2569", "2569-11-23", "23 พ.ย.",
                                  "23 พย 2569", "วันจันทร์", None])
def test_parse_thai_date_rejects_other_text_in_thai(text):
    with pytest.raises(ThaiDateError) as err:
        parse_thai_date(text)
    message = str(err.value)
    assert "23 พ.ย. 2569" in message  # shows the expected form
    assert any("\u0e00" <= ch <= "\u0e7f" for ch in message.replace("23 พ.ย. 2569", ""))


def test_thai_digits():
    assert thai_digits("23 พ.ย. 2569") == "๒๓ พ.ย. ๒๕๖๙"
    assert thai_digits(1001) == "๑๐๐๑"


def test_display_width_ignores_combining_marks():
    assert display_width("ที่") == 1 and display_width("เด็ก") == 3 and display_width("น้ำ") == 2


def test_wrap_breaks_between_words_and_drops_the_space():
    assert wrap("เด็กไม่ได้ไปโรงเรียนบ่อยครั้ง", 12) == ["เด็กไม่ได้ไป", "โรงเรียน", "บ่อยครั้ง"]
    assert wrap("แม่ ไม่มีรายได้", 4) == ["แม่", "ไม่มี", "ราย", "ได้"]
    assert wrap("บรรทัดแรก\nบรรทัดสอง", 40) == ["บรรทัดแรก", "บรรทัดสอง"]
    assert wrap("", 10) == [""]


def test_a_word_wider_than_the_line_is_split_at_a_syllable():
    lines = wrap("ศูนย์บริการสาธารณสุข", 6)
    assert "".join(lines) == "ศูนย์บริการสาธารณสุข"
    assert lines[0] == "ศูนย์บริ" and all(display_width(line) <= 6 for line in lines)


def test_pythainlp_stays_offline_and_writes_nothing(tmp_path):
    # A fresh interpreter with an empty home: wrapping must neither download nor create ~/pythainlp-data.
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHAINLP")}
    env.update(HOME=str(tmp_path), PYTHONPATH=str(Path(simulator.__file__).parent.parent),
               no_proxy="*", http_proxy="http://127.0.0.1:9", https_proxy="http://127.0.0.1:9")
    code = ("import socket\n"
            "def refuse(*a, **k): raise OSError('network used')\n"
            "socket.socket.connect = refuse\n"
            "from simulator.thai.text import wrap\n"
            "from simulator.thai.dates import thai_date\n"
            "print(len(wrap('ศูนย์บริการสาธารณสุขและโรงเรียนในชุมชน', 10)))\n")
    done = subprocess.run([sys.executable, "-W", "error::DeprecationWarning:pythainlp", "-c", code],
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) > 1
    assert list(tmp_path.iterdir()) == []


# --- no figure label splits a word -------------------------------------------------------------

def _token_spans(text: str) -> list[tuple[int, int, str]]:
    spans, pos = [], 0
    for token in word_tokenize(text, engine="newmm", keep_whitespace=True):
        spans.append((pos, pos + len(token), token))
        pos += len(token)
    assert pos == len(text)
    return spans


def assert_breaks_between_words(text: str, lines: list[str], width: int, spans=None) -> None:
    """``lines`` spell ``text`` (or its beginning), breaking only at spaces or word boundaries.

    A break inside a word is allowed only when that word alone is wider than ``width``.
    Word boundaries are PyThaiNLP's (newmm) on the unwrapped text.
    """
    spans = spans if spans is not None else _token_spans(text)
    ends = {0} | {end for _, end, _ in spans}
    pos = 0
    for n, line in enumerate(lines):
        if n:
            while text[pos:pos + 1] == " ":  # the space at a break is dropped
                pos += 1
        assert text.startswith(line, pos), (text, lines)
        pos += len(line)
        if n + 1 < len(lines) and pos not in ends:
            word = next(tok for start, end, tok in spans if start < pos < end)
            assert display_width(word) > width, f"{word!r} split across lines: {lines}"


def _data_file_texts() -> list[str]:
    cfg = load_config()
    texts = []
    for ind in cfg.catalogue.indicators:
        texts += [ind.label_th, ind.description_th, *(n.text for n in ind.notes_th)]
    for s in cfg.catalogue.strengths:
        texts += [s.label_th, *(n.text for n in s.notes_th), *(f"จุดแข็ง: {s.label_th}: {n.text}" for n in s.notes_th)]
    texts += [g.goal_th for g in cfg.goals.goals]
    texts += [a.name_th for a in cfg.goals.agencies]
    texts += ["ที่ " + " และ ".join(pair) for pair in zip([a.name_th for a in cfg.goals.agencies],
                                                           [a.name_th for a in cfg.goals.agencies][1:])]
    return list(dict.fromkeys(texts))


def test_no_data_file_text_is_wrapped_inside_a_word():
    texts = _data_file_texts()
    assert len(texts) > 200
    for text in texts:
        spans = _token_spans(text)
        for width in (*FIGURE_WIDTHS, 12, 20):
            lines = wrap(text, width)
            assert_breaks_between_words(text, lines, width, spans)
            assert all(display_width(line) <= width for line in lines), (text, width, lines)
            if width in FIGURE_WIDTHS:  # no word in the data files is that long
                assert "".join(lines).replace(" ", "") == text.replace(" ", "")


@pytest.fixture(scope="module")
def pop():
    return simulator.simulate(400, seed=2569)


def _bullets(block: str) -> list[list[str]]:
    """A notes block drawn as '• line\\n   line' per note, back into each note's lines."""
    notes = []
    for row in block.split("\n")[1:]:
        if row.startswith("• "):
            notes.append([row[2:]])
        elif row.startswith("   ") and notes:
            notes[-1].append(row[3:])
    return notes


def test_flower_notes_break_only_between_words(pop):
    per_family = pop.indicators.groupby("family_id").size()
    checked = 0
    for fid in per_family.sort_values(ascending=False).index[:6]:
        fig = family_flower(pop, fid)
        FigureCanvasAgg(fig).draw()
        child, parent = flower_notes(pop, fid)
        blocks = {t.get_text().split("\n")[0]: t.get_text() for t in fig.texts}
        for heading, notes in (("บันทึกของเด็ก", child), ("บันทึกของผู้ปกครอง", parent)):
            drawn = _bullets(blocks[heading])
            assert len(drawn) == min(len(notes), 9)
            for note, lines in zip(notes, drawn):
                assert_breaks_between_words(note, lines, 30)
                assert "".join(lines).replace(" ", "") == note.replace(" ", "")
                checked += len(lines) > 1
    assert checked >= 3  # some notes really were wrapped


def test_parent_card_breaks_goals_and_places_only_between_words(pop):
    tl = simulate_timelines(pop)
    cases = tl.cases[tl.cases["case_level"].astype(str) != "routine"]["case_id"]
    checked = 0
    for case_id in cases.head(8):
        fig = parent_card(tl, case_id)
        FigureCanvasAgg(fig).draw()
        goals = list(tl.case(case_id).touch_points.drop_duplicates("dimension")["goal_th"].astype(str))
        drawn = [t.get_text() for t in fig.texts if t.get_text().startswith("• ")]
        assert len(drawn) == len(goals)
        for goal, text in zip(goals, drawn):
            lines = text[2:].split("\n   ")
            lines[-1] = lines[-1].removesuffix(" …")
            assert_breaks_between_words(goal, lines, 40)
            checked += len(lines) > 1
        places = {t.get_text() for t in fig.texts if t.get_text().startswith("ที่ ")}
        apps = upcoming_appointments(tl, case_id, limit=6)
        for _, group in apps.groupby("date", sort=True):
            where = "ที่ " + " และ ".join(dict.fromkeys(group["where"]))
            drawn_places = [p for p in places if p.replace("\n", "").replace(" ", "") == where.replace(" ", "")]
            for p in drawn_places:
                assert_breaks_between_words(where, p.split("\n"), 40)
    assert checked >= 1


# --- wrapping arbitrary text ---------------------------------------------------------------------

# Well-formed enough: every word starts with a consonant or a leading vowel.
WORD = st.builds(
    lambda head, tail: head + tail,
    st.sampled_from(list("กขคงจนมยรลวสหอเแโใไ")),
    st.text(alphabet=st.sampled_from(list("กขคงจนมยรลวสหอะาำิีึืุูเแโใไ่้๊๋็์ั")), max_size=30),
)
THAI = st.lists(st.one_of(WORD, st.sampled_from(["เด็ก", "โรงเรียน", "ศูนย์บริการสาธารณสุข", "ครู"])),
                max_size=6).map(" ".join)


def _fits_or_unbreakable(line: str, width: int) -> bool:
    """Within ``width``, or no safe break point inside the part that would fit."""
    if display_width(line) <= width:
        return True
    seen = 0
    for i, ch in enumerate(line):
        seen += ch not in COMBINING
        if seen > width:
            return True
        if i + 1 < len(line) and _safe_break(line, i + 1):
            return False
    return True


@given(THAI, st.integers(6, 40))
def test_wrap_keeps_every_character_and_never_tears_a_syllable(text, width):
    lines = wrap(text, width)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    pieces = words(text)
    spans, pos = [], 0
    for piece in pieces:
        spans.append((pos, pos + len(piece), piece))
        pos += len(piece)
    assert_breaks_between_words(text, lines, width, spans)
    pos = 0
    for n, line in enumerate(lines):
        assert _fits_or_unbreakable(line, width), (line, width)
        pos = text.index(line, pos) + len(line)
        if n + 1 < len(lines) and text[pos:pos + 1] != " ":  # a break with no space: inside a run
            assert lines[n + 1][0] not in COMBINING | FOLLOWING
            assert line[-1] not in LEADING
