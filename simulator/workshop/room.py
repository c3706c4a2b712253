"""Activities 1 and 2 for the room: who is here, mixed groups, the check-in's charts, and the
knowledge report at the end of workshop 2.

Why ``workshop``: these tools run the room (the trainer's roster, the groups, the charts on the
projector, the one-page report of the programme's knowledge targets); they sit beside the
activities' timetable (:mod:`simulator.workshop.activities`) and may use the dashboards' chart
look. What a participant answers and how it is marked lives one wing lower, in
:mod:`simulator.exercises.checkin`, so that the widgets can use it too.

Every function takes plain DataFrames, so the practice platform can feed them later:

- participants: ``participant_id`` (a code such as ``P07``, never a name), ``name``, ``role``
  (an id of ``checkin.yaml`` roles), ``community`` and ``district`` (either may be empty: a
  district officer has no community, a committee member no district);
- survey answers: ``participant_id``, ``statement_id``, ``answer`` (1-5);
- test answers: ``participant_id``, ``question_id``, ``choice`` (option key, blank = wrong), or
  the scores :func:`score_test` made of them.

Names appear in the roster and the groups (the introductions are about names); scores are only
ever shown against participant codes.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from simulator.dashboards.charts import PHONE_WIDTH_IN, finish, new_figure
from simulator.dashboards.tables import thai_view
from simulator.exercises.checkin import (
    SCORE_TH,
    CheckinError,
    CheckinSpec,
    KnowledgeTest,
    Survey,
    Targets,
    check_survey_answers,
    load_checkin,
    mark_answers,
    score_test,
)
from simulator.model import rng
from simulator.model.config import DIMENSIONS, load_config
from simulator.model.geography import district_table
from simulator.thai.dates import thai_date
from simulator.thai.text import wrap
from simulator.thai.vocabulary import DIMENSION_TH, SYNTHETIC_MARK

PARTICIPANT_COLUMNS = ("participant_id", "name", "role", "community", "district")
LEVEL_COLOURS = {"community": "#1f6fb2", "providers": "#6a3d9a", "district": "#d95f02", "city": "#4d4d4d"}
LEVEL_HATCH = {"community": "", "providers": "////", "district": "....", "city": "xxxx"}
SCALE_COLOURS = ("#b2182b", "#ef8a62", "#d9d9d9", "#67a9cf", "#2166ac")
PRE_COLOUR, POST_COLOUR = "#bdbdbd", "#1f4e79"
A4_PORTRAIT_IN = (8.27, 11.69)
MOST_IN_REPORT = 60  # participants the report's table can hold on its one page
MET_SYMBOL, NOT_MET_SYMBOL = "✔", "✘"
REPORT_TITLE_TH = "รายงานผลความรู้ก่อนและหลังการอบรม (Pre-test / Post-test)"

ROSTER_TH = {"level_th": "ระดับ", "role_th": "บทบาท", "name": "ชื่อ", "community": "ชุมชน", "district": "เขต",
             "participant_id": "รหัส"}
GROUPS_TH = {"group": "กลุ่ม", "name": "ชื่อ", "role_th": "บทบาท", "community": "ชุมชน",
             "participant_id": "รหัส"}
GROUP_SUMMARY_TH = {"group": "กลุ่ม", "size": "จำนวนคน", "community_people": "คนในชุมชน",
                    "providers": "ผู้ให้บริการ", "dimensions_th": "มิติที่มี", "missing_th": "มิติที่ขาด"}
SURVEY_TH = {"short_th": "ข้อความ", "n": "จำนวนคำตอบ", "mean": "ค่าเฉลี่ย (1-5)", "agree_percent": "เห็นด้วย (%)",
             "neutral_percent": "ไม่แน่ใจ (%)", "disagree_percent": "ไม่เห็นด้วย (%)"}
QUESTION_TH = {"number": "ข้อ", "short_th": "เรื่อง", "n": "ผู้ตอบ", "n_right": "ตอบถูก", "right_percent": "ตอบถูก (%)"}
GAIN_TH = {"participant_id": "รหัสผู้เข้าร่วม", "pre_percent": "ก่อนอบรม (%)", "post_percent": "หลังอบรม (%)",
           "gain": "เปลี่ยนไป (จุด)", "improved": "คะแนนเพิ่มขึ้น", "reached_pass_mark": "ผ่านเกณฑ์"}
KPI_TH = {"name_th": "ตัวชี้วัด (KPI)", "numerator": "จำนวนคน", "denominator": "จากผู้เข้าร่วม",
          "share_percent": "ร้อยละ", "target_percent": "เป้าหมาย (%)", "verdict_th": "ผล"}
KPI_IDS = ("pass_mark", "improved")


class RoomError(ValueError):
    """A room or request that cannot be served (a missing column, groups of one); Thai message."""


# ------------------------------------------------------------------------------ participants

def _spec(spec: CheckinSpec | None) -> CheckinSpec:
    return spec or load_checkin()


def _text(value) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value).strip()


def check_participants(participants: pd.DataFrame, spec: CheckinSpec | None = None) -> pd.DataFrame:
    """``participants`` checked and completed with ``level``, ``dimension`` (providers only),
    ``role_th``, ``role_short_th`` and ``level_th``; in roster order (level, role, community, name).

    Raises :class:`RoomError` (Thai, with the English in brackets) for a missing column, a blank
    or repeated ``participant_id`` or a role not in ``checkin.yaml``."""
    spec = _spec(spec)
    if not isinstance(participants, pd.DataFrame):
        raise RoomError("รายชื่อผู้เข้าร่วมต้องเป็นตาราง (participants must be a DataFrame)")
    missing = [c for c in PARTICIPANT_COLUMNS if c not in participants.columns]
    if missing:
        raise RoomError(f"ตารางผู้เข้าร่วมขาดคอลัมน์ {', '.join(missing)} (participants lack column(s) "
                        f"{', '.join(missing)}; expected {', '.join(PARTICIPANT_COLUMNS)})")
    people = participants.copy()
    for column in PARTICIPANT_COLUMNS:
        people[column] = people[column].map(_text).astype(object)
    blank = people["participant_id"] == ""
    if blank.any():
        raise RoomError(f"ผู้เข้าร่วมแถวที่ {int(np.flatnonzero(blank.to_numpy())[0]) + 1} ไม่มีรหัส "
                        "(a participant has no participant_id)")
    twice = people["participant_id"].duplicated()
    if twice.any():
        raise RoomError(f"รหัสผู้เข้าร่วม {people.loc[twice, 'participant_id'].iloc[0]} ซ้ำกัน "
                        "(participant_id listed twice)")
    unknown = people.loc[~people["role"].isin(spec.role_ids)]
    if len(unknown):
        row = unknown.iloc[0]
        raise RoomError(f"ผู้เข้าร่วม {row['participant_id']} มีบทบาท «{row['role']}» ซึ่งไม่มีใน checkin.yaml "
                        f"(unknown role {row['role']!r}; the roles are {', '.join(spec.role_ids)})")
    roles = {r.id: r for r in spec.roles}
    order = {r: k for k, r in enumerate(spec.role_ids)}
    people["level"] = people["role"].map(lambda r: roles[r].level).astype(object)
    people["dimension"] = people["role"].map(lambda r: roles[r].dimension).astype(object)
    people["role_th"] = people["role"].map(lambda r: roles[r].name_th).astype(object)
    people["role_short_th"] = people["role"].map(lambda r: roles[r].short_th).astype(object)
    people["level_th"] = people["level"].map(spec.levels).astype(object)
    people["_order"] = people["role"].map(order)
    people = people.sort_values(["_order", "community", "name", "participant_id"], kind="stable")
    return people.drop(columns="_order").reset_index(drop=True)


def roster(participants: pd.DataFrame, spec: CheckinSpec | None = None) -> pd.DataFrame:
    """The room by level and role: ``participant_id``, ``name``, ``level``, ``level_th``, ``role``,
    ``role_th``, ``dimension``, ``community``, ``district`` (levels from the community outwards,
    roles in the order of ``checkin.yaml``, then community and name)."""
    people = check_participants(participants, spec)
    return people[["participant_id", "name", "level", "level_th", "role", "role_th", "dimension", "community",
                   "district"]]


def roster_table(participants: pd.DataFrame, spec: CheckinSpec | None = None) -> pd.DataFrame:
    """:func:`roster` as the trainer shows it: ระดับ, บทบาท, ชื่อ, ชุมชน, เขต (Thai headers)."""
    table = roster(participants, spec)
    return thai_view(table, {k: ROSTER_TH[k] for k in ("level_th", "role_th", "name", "community", "district")})


def room_counts(participants: pd.DataFrame, spec: CheckinSpec | None = None) -> pd.DataFrame:
    """How many of each role are in the room: ``level``, ``level_th``, ``role``, ``role_th``,
    ``role_short_th``, ``dimension``, ``count``; every role of ``checkin.yaml``, zeros included."""
    spec = _spec(spec)
    people = check_participants(participants, spec)
    counts = people["role"].value_counts()
    rows = [{"level": r.level, "level_th": spec.levels[r.level], "role": r.id, "role_th": r.name_th,
             "role_short_th": r.short_th, "dimension": r.dimension, "count": int(counts.get(r.id, 0))}
            for r in spec.roles]
    return pd.DataFrame(rows)


# ------------------------------------------------------------------------------ mixed groups

def _generator(seed: int, purpose: str) -> np.random.Generator:
    if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool) or seed < 0:
        raise RoomError(f"seed ต้องเป็นจำนวนเต็มตั้งแต่ 0 ขึ้นไป ไม่ใช่ {seed!r} (seed must be a whole number >= 0)")
    return np.random.default_rng(int(rng.purpose_key(int(seed), purpose)))


def group_count(n: int, size: int) -> int:
    """How many groups of about ``size`` a room of ``n`` makes: ``n / size`` rounded, at least one,
    and never so many that a group would have one person."""
    return max(1, min(math.floor(n / size + 0.5), n // 2))


def mixed_groups(participants: pd.DataFrame, size: int = 6, seed: int = 0,
                 spec: CheckinSpec | None = None) -> pd.DataFrame:
    """The room in groups of about ``size`` that mix levels, communities and dimensions.

    - ``n / size`` groups (rounded, see :func:`group_count`) whose sizes differ by at most one;
    - every group has a provider of every dimension when the room has at least as many providers
      of each dimension as there are groups; otherwise each dimension's providers go to as many
      different groups as there are of them (so the number of (group, dimension) pairs covered,
      ``sum over dimensions of min(providers, groups)``, is the largest possible);
    - community people, district staff and committee members are dealt around the groups in
      turn, community by community, so the people of one community spread over the groups;
    - the same room and ``seed`` always give the same groups.

    Returns one row per participant: ``group`` (1...), ``participant_id``, ``name``, ``role``,
    ``role_th``, ``level``, ``dimension``, ``community``, ``district``; sorted by group, then level
    and role. :func:`group_summary` says what each group has and lacks. Raises
    :class:`RoomError` with a Thai message when groups cannot be made (``size`` below 2, fewer
    than two participants).
    """
    spec = _spec(spec)
    if isinstance(size, bool) or not isinstance(size, (int, np.integer)) or size < 2:
        raise RoomError(f"กลุ่มต้องมีอย่างน้อย 2 คน ขนาดกลุ่ม {size!r} ใช้ไม่ได้ (size must be a whole number of at "
                        "least 2)")
    people = check_participants(participants, spec)
    n = len(people)
    if n < 2:
        raise RoomError(f"ในห้องมีผู้เข้าร่วม {n} คน แบ่งกลุ่มไม่ได้: ต้องมีอย่างน้อย 2 คน "
                        f"(cannot make groups of {n} participant(s))")
    draw = _generator(seed, "mixed_groups")
    g = group_count(n, int(size))
    base, bigger = divmod(n, g)

    def shuffled(frame: pd.DataFrame) -> list[int]:
        index = frame.index.to_numpy()
        return list(index[draw.permutation(len(index))])

    providers: list[int] = []
    for dimension in DIMENSIONS:
        providers += shuffled(people[people["dimension"] == dimension])
    others: list[int] = []
    for level in ("community", "district", "city"):
        mine = people[people["level"] == level]
        communities = sorted(set(mine["community"]))
        for k in draw.permutation(len(communities)):
            others += shuffled(mine[mine["community"] == communities[k]])

    slot_of: dict[int, int] = {}
    held = [0] * g
    for k, person in enumerate(providers):  # dealt in turn: one dimension's providers in different slots
        slot_of[person] = k % g
        held[k % g] += 1
    # The slots dealt one more provider are the first ones, so they take the bigger sizes.
    capacity = [base + (1 if j < bigger else 0) for j in range(g)]
    pointer = len(providers) % g
    for person in others:
        while held[pointer] >= capacity[pointer]:
            pointer = (pointer + 1) % g
        slot_of[person] = pointer
        held[pointer] += 1
        pointer = (pointer + 1) % g
    numbers = draw.permutation(g) + 1  # which slot is called group 1, 2, ...
    out = people.assign(group=[int(numbers[slot_of[i]]) for i in people.index])
    out["_rank"] = range(len(out))  # roster order within a group
    out = out.sort_values(["group", "_rank"], kind="stable").drop(columns="_rank")
    return out[["group", "participant_id", "name", "role", "role_th", "level", "dimension", "community",
                "district"]].reset_index(drop=True)


def _thai_list(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " และ " + words[-1]


def group_summary(groups: pd.DataFrame) -> pd.DataFrame:
    """What each group of :func:`mixed_groups` holds: ``group``, ``size``, ``community_people``,
    ``providers``, ``communities`` (how many different ones), ``dimensions`` and ``missing``
    (tuples of dimension ids), ``dimensions_th`` and ``missing_th`` (Thai, ``ครบ 4 มิติ`` when none
    is missing)."""
    rows = []
    for number, members in groups.groupby("group", sort=True):
        present = tuple(d for d in DIMENSIONS if (members["dimension"] == d).any())
        missing = tuple(d for d in DIMENSIONS if d not in present)
        community = members[members["level"] == "community"]
        rows.append({"group": int(number), "size": len(members), "community_people": len(community),
                     "providers": int((members["level"] == "providers").sum()),
                     "communities": int(community["community"].replace("", np.nan).nunique()),
                     "dimensions": present, "missing": missing,
                     "dimensions_th": " ".join(DIMENSION_TH[d] for d in present) or "ไม่มีผู้ให้บริการ",
                     "missing_th": " ".join(DIMENSION_TH[d] for d in missing) or "ครบ 4 มิติ"})
    return pd.DataFrame(rows)


def coverage_note_th(groups: pd.DataFrame) -> str:
    """A Thai note for the trainer: empty when every group has all four providers, else which
    dimensions are short, by how many, and what the groups lacking them can do."""
    summary = group_summary(groups)
    g = len(summary)
    notes = []
    for dimension in DIMENSIONS:
        lacking = [str(r.group) for r in summary.itertuples() if dimension in r.missing]
        if lacking:
            have = int((groups["dimension"] == dimension).sum())
            notes.append(f"ผู้ให้บริการด้าน{DIMENSION_TH[dimension]}มี {have} คน แต่มี {g} กลุ่ม: "
                         f"กลุ่ม {_thai_list(lacking)} ไม่มีผู้ให้บริการด้าน{DIMENSION_TH[dimension]}")
    if not notes:
        return ""
    advice = ("ให้กลุ่มที่ขาดมิติใดยืมผู้ให้บริการด้านนั้นจากกลุ่มข้าง ๆ ช่วงอภิปราย "
              "หรือถามว่ามิติที่ขาดจะเห็นอะไรที่กลุ่มมองไม่เห็น")
    fewest = min(int((groups["dimension"] == d).sum()) for d in DIMENSIONS)
    if fewest >= 1:
        size = full_groups_size(len(groups), fewest)
        advice += f" หรือแบ่งกลุ่มละประมาณ {size} คน ({group_count(len(groups), size)} กลุ่ม) ทุกกลุ่มจะครบ 4 มิติ"
    return "; ".join(notes) + " · " + advice


def full_groups_size(n: int, fewest_providers: int) -> int:
    """The smallest group size whose groups (:func:`group_count`) are no more than the providers
    of the scarcest dimension, so every group can have all four: ``n`` people, ``fewest_providers``
    of the scarcest dimension (at least one)."""
    size = 2
    while group_count(n, size) > fewest_providers:
        size += 1
    return size


def groups_table(groups: pd.DataFrame) -> pd.DataFrame:
    """:func:`mixed_groups` with Thai headers: กลุ่ม, ชื่อ, บทบาท, ชุมชน."""
    return thai_view(groups, {k: GROUPS_TH[k] for k in ("group", "name", "role_th", "community")})


def group_summary_th(summary: pd.DataFrame) -> pd.DataFrame:
    """:func:`group_summary` with Thai headers."""
    return thai_view(summary, GROUP_SUMMARY_TH)


# ------------------------------------------------------------------------------------- figures

def _finish(fig, alt_th: str, caption_th: str, synthetic: bool):
    """:func:`charts.finish` (the synthetic mark) for simulated rooms; the same descriptions without
    the mark when the figure shows a real room's answers."""
    if synthetic:
        return finish(fig, alt_th, caption_th)
    fig.termtem_alt_th = alt_th
    fig.termtem_caption_th = caption_th or alt_th
    return fig


def _lines(text: str, width: int) -> str:
    return "\n".join(wrap(text, width))


def room_figure(participants: pd.DataFrame, spec: CheckinSpec | None = None, synthetic: bool = True):
    """Who is in the room: one bar per role, grouped under its level (ชุมชน, ผู้ให้บริการ 4 มิติ,
    เขต, เมือง) with the level's total; phone width (4 in), Thai, Sarabun. Each level has its own
    colour and hatching, so the picture reads in black and white."""
    spec = _spec(spec)
    counts = room_counts(participants, spec)
    total = int(counts["count"].sum())
    levels = [lv for lv in spec.levels if (counts["level"] == lv).any()]
    rows: list[tuple[str, object]] = []  # ("level", level) or ("role", row)
    for level in levels:
        rows.append(("level", level))
        rows += [("role", r) for r in counts[counts["level"] == level].itertuples()]
    height = 0.9 + 0.23 * len(rows)
    fig = new_figure(PHONE_WIDTH_IN, height)
    ax = fig.add_subplot()
    most = max(1, int(counts["count"].max()))
    labels, y = [], []
    for k, (kind, item) in enumerate(rows):
        pos = len(rows) - 1 - k
        if kind == "level":
            n_level = int(counts.loc[counts["level"] == item, "count"].sum())
            ax.text(-0.02, pos, f"{spec.levels[item]} ({n_level} คน)", transform=ax.get_yaxis_transform(),
                    ha="right", va="center", fontsize=8.5, fontweight="bold")
            continue
        ax.barh(pos, item.count, color=LEVEL_COLOURS[item.level], hatch=LEVEL_HATCH[item.level],
                edgecolor="black", linewidth=0.5, height=0.7)
        ax.text(item.count + most * 0.02, pos, str(item.count), va="center", fontsize=8)
        labels.append(item.role_short_th)
        y.append(pos)
    ax.set_yticks(y, labels, fontsize=8)
    ax.tick_params(axis="y", length=0)
    ax.set_xlim(0, most * 1.15 + 0.5)
    ax.set_ylim(-0.6, len(rows) - 0.4)
    ax.xaxis.set_major_locator(_integer_locator())
    ax.tick_params(axis="x", labelsize=7.5)
    ax.set_xlabel("จำนวนคน", fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="x", color="#e0e0e0", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.set_title(f"ใครอยู่ในห้องนี้: ทั้งหมด {total} คน", fontsize=10.5, loc="left", fontweight="bold")
    parts = [f"{spec.levels[lv]} {int(counts.loc[counts['level'] == lv, 'count'].sum())} คน" for lv in levels]
    alt = f"ผู้เข้าร่วม {total} คน แบ่งตามระดับ: " + ", ".join(parts) + "; แยกตามบทบาท: " + ", ".join(
        f"{r.role_short_th} {r.count}" for r in counts.itertuples() if r.count)
    return _finish(fig, alt, f"ผู้เข้าร่วมในห้องตามระดับและบทบาท ({total} คน)", synthetic)


def _integer_locator():
    from matplotlib.ticker import MaxNLocator

    return MaxNLocator(integer=True, nbins=5)


def survey_summary(answers: pd.DataFrame, survey: Survey | None = None) -> pd.DataFrame:
    """The room's answers per statement, in the survey's order: ``statement_id``, ``text_th``,
    ``short_th``, ``reverse``, ``n`` (answers), ``mean`` (1-5), ``count_1`` ... ``count_5``,
    ``percent_1`` ... ``percent_5``, ``agree_percent`` (4 and 5), ``neutral_percent`` (3),
    ``disagree_percent`` (1 and 2). Blank answers are left out; a statement nobody answered has
    ``n`` 0 and missing shares."""
    survey = survey or load_checkin().survey
    kept = check_survey_answers(answers, survey)
    rows = []
    for s in survey.statements:
        values = kept.loc[kept["statement_id"].astype(str) == s.id, "answer"]
        n = len(values)
        row = {"statement_id": s.id, "text_th": s.text_th, "short_th": s.short_th, "reverse": s.reverse, "n": n,
               "mean": float(values.mean()) if n else np.nan}
        for k in range(1, 6):
            row[f"count_{k}"] = int((values == k).sum())
        for k in range(1, 6):
            row[f"percent_{k}"] = 100.0 * row[f"count_{k}"] / n if n else np.nan
        row["agree_percent"] = row["percent_4"] + row["percent_5"] if n else np.nan
        row["neutral_percent"] = row["percent_3"] if n else np.nan
        row["disagree_percent"] = row["percent_1"] + row["percent_2"] if n else np.nan
        rows.append(row)
    return pd.DataFrame(rows)


def survey_summary_th(summary: pd.DataFrame) -> pd.DataFrame:
    """:func:`survey_summary` with Thai headers (shares rounded to whole percents)."""
    table = summary.copy()
    for column in ("agree_percent", "neutral_percent", "disagree_percent"):
        table[column] = table[column].round(0)
    table["mean"] = table["mean"].round(1)
    table["short_th"] = [f"{t} *" if r else t for t, r in zip(table["short_th"], table["reverse"])]
    return thai_view(table, SURVEY_TH)


def survey_figure(answers: pd.DataFrame, survey: Survey | None = None, synthetic: bool = True):
    """The room's answers per statement as diverging stacked bars: disagreement to the left of
    the centre line, agreement to the right, "not sure" split across it; percent labels on the
    wider segments; phone width. Statements marked * are the reversed ones (agreeing is the view
    the workshop hopes to change)."""
    survey = survey or load_checkin().survey
    summary = survey_summary(answers, survey)
    n_people = int(answers["participant_id"].nunique()) if len(answers) else 0
    k = len(summary)
    fig = new_figure(PHONE_WIDTH_IN, 1.55 + 0.5 * k)
    ax = fig.add_subplot()
    for i, row in enumerate(summary.itertuples()):
        y = k - 1 - i
        shares = [0.0 if pd.isna(getattr(row, f"percent_{j}")) else getattr(row, f"percent_{j}") for j in range(1, 6)]
        left = -(shares[0] + shares[1] + shares[2] / 2)
        for j, share in enumerate(shares):
            ax.barh(y, share, left=left, color=SCALE_COLOURS[j], edgecolor="white", linewidth=0.6, height=0.72)
            if share >= 12:
                ax.text(left + share / 2, y, f"{share:.0f}", ha="center", va="center", fontsize=6.5,
                        color="white" if j in (0, 4) else "black")
            left += share
    labels = [_lines(f"{r.short_th}{' *' if r.reverse else ''}", 19) for r in summary.itertuples()]
    ax.set_yticks(range(k - 1, -1, -1), labels, fontsize=7.5, linespacing=1.0)
    ax.tick_params(axis="y", length=0)
    ax.axvline(0, color="black", linewidth=0.8, zorder=0)
    ax.set_xlim(-100, 100)
    ax.set_xticks([-100, -50, 0, 50, 100], ["100", "50", "0", "50", "100"], fontsize=7)
    xlabel = "ร้อยละของผู้ตอบ  ← ไม่เห็นด้วย · เห็นด้วย →"
    if summary["reverse"].any():
        xlabel += "\n* ข้อที่หวังว่าจะเห็นด้วยน้อยลงเมื่อจบการอบรม"
    ax.set_xlabel(xlabel, fontsize=7.5, linespacing=1.3)
    ax.set_ylim(-0.6, k - 0.4)
    ax.spines[["top", "right", "left"]].set_visible(False)
    fig.suptitle(_lines(f"{survey.title_th} ({n_people} คน)", 34), fontsize=9.5, x=0.02, ha="left",
                 fontweight="bold")
    from matplotlib.patches import Patch

    handles = [Patch(facecolor=c, edgecolor="#777777", linewidth=0.5, label=f"{j + 1} {label}")
               for j, (c, label) in enumerate(zip(SCALE_COLOURS, survey.scale))]
    handles = [handles[j] for j in (0, 3, 1, 4, 2)]  # legends fill by column: rows read 1 2 3, 4 5
    ax.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.4, 1.0), ncols=3, fontsize=6.8,
              frameon=False, handlelength=1.0, columnspacing=0.8, handletextpad=0.4, borderaxespad=0.2)
    alt = f"{survey.title_th}: ผู้ตอบ {n_people} คน; " + "; ".join(
        f"{r.short_th} เห็นด้วย {r.agree_percent:.0f}% ไม่เห็นด้วย {r.disagree_percent:.0f}%"
        if r.n else f"{r.short_th} ยังไม่มีคำตอบ" for r in summary.itertuples())
    return _finish(fig, alt, f"ความคิดเห็นของห้องต่อข้อความ {k} ข้อ ({n_people} คน)", synthetic)


def _scores(answers_or_scores: pd.DataFrame, spec: CheckinSpec) -> pd.DataFrame:
    """Scores from test answers, or scores as given (a table with ``percent``)."""
    if not isinstance(answers_or_scores, pd.DataFrame):
        raise RoomError("คำตอบหรือคะแนนต้องเป็นตาราง (DataFrame) (answers or scores must be a DataFrame)")
    if "percent" in answers_or_scores.columns:
        missing = [c for c in ("participant_id", "percent") if c not in answers_or_scores.columns]
        if missing:
            raise RoomError(f"ตารางคะแนนขาดคอลัมน์ {', '.join(missing)} (scores lack {', '.join(missing)})")
        out = answers_or_scores.copy()
        out["participant_id"] = out["participant_id"].astype(str)
        return out
    try:
        return score_test(answers_or_scores, spec.test, spec.targets)
    except CheckinError as exc:
        raise RoomError(str(exc)) from exc


def question_summary(answers: pd.DataFrame, test: KnowledgeTest | None = None) -> pd.DataFrame:
    """Share right per question, in the test's order: ``number`` (1...), ``question_id``,
    ``short_th``, ``n`` (participants), ``n_right``, ``right_percent``. ``answers`` are test
    answers or the scores of :func:`score_test` (its ``right_<question_id>`` columns)."""
    test = test or load_checkin().test
    if "percent" in answers.columns:
        columns = [f"right_{q}" for q in test.question_ids]
        missing = [c for c in columns if c not in answers.columns]
        if missing:
            raise RoomError(f"ตารางคะแนนไม่มีผลรายข้อ ({', '.join(missing[:3])}...) ใช้ตารางจาก score_test "
                            "(the scores lack per-question columns; pass what score_test returned)")
        right = {q: answers[f"right_{q}"].astype(bool) for q in test.question_ids}
        n = len(answers)
    else:
        marks = mark_answers(answers, test)
        n = int(marks["participant_id"].nunique())
        right = {q: marks.loc[marks["question_id"] == q, "correct"].astype(bool) for q in test.question_ids}
    rows = []
    for number, q in enumerate(test.questions, start=1):
        n_right = int(right[q.id].sum())
        rows.append({"number": number, "question_id": q.id, "short_th": q.short_th, "n": n, "n_right": n_right,
                     "right_percent": 100.0 * n_right / n if n else np.nan})
    return pd.DataFrame(rows)


def question_summary_th(summary: pd.DataFrame) -> pd.DataFrame:
    """:func:`question_summary` with Thai headers."""
    table = summary.assign(right_percent=summary["right_percent"].round(0))
    return thai_view(table, QUESTION_TH)


def _question_bars(ax, test: KnowledgeTest, pre: pd.DataFrame | None, post: pd.DataFrame | None,
                   pass_percent: float, label_width: int, fontsize: float) -> None:
    """Horizontal bars of the share right per question: one bar, or before and after side by side,
    and the pass mark as a dashed line (all three labelled for a legend)."""
    k = len(test.questions)
    series = [(s, name, colour, hatch) for s, name, colour, hatch in
              ((pre, "ก่อนอบรม (pre-test)", PRE_COLOUR, "////"), (post, "หลังอบรม (post-test)", POST_COLOUR, ""))
              if s is not None]
    height = 0.8 / len(series)
    ax.axvline(pass_percent, color="black", linestyle="--", linewidth=0.9, zorder=1,
               label=f"เกณฑ์ผ่าน {pass_percent:g}%")
    for j, (summary, name, colour, hatch) in enumerate(series):
        offset = (j - (len(series) - 1) / 2) * height
        ys = np.arange(k - 1, -1, -1) - offset  # before above after
        values = summary["right_percent"].fillna(0).to_numpy()
        ax.barh(ys, values, height=height * 0.92, color=colour, hatch=hatch, edgecolor="black", linewidth=0.4,
                label=name, zorder=2)
        for y, v in zip(ys, values):
            ax.text(v + 1.2, y, f"{v:.0f}", va="center", fontsize=fontsize - 1.5, zorder=3,
                    bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.4})
    labels = [_lines(f"{q_no}. {q.short_th}", label_width) for q_no, q in enumerate(test.questions, start=1)]
    ax.set_yticks(range(k - 1, -1, -1), labels, fontsize=fontsize, linespacing=1.0)
    ax.tick_params(axis="y", length=0)
    ax.set_xlim(0, 110)
    ax.set_ylim(-0.6, k - 0.4)
    ax.set_xticks([0, 20, 40, 60, 80, 100])
    ax.tick_params(axis="x", labelsize=fontsize - 1)
    ax.set_xlabel("ร้อยละของผู้ตอบถูก", fontsize=fontsize)
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="x", color="#e6e6e6", linewidth=0.6, zorder=0)
    ax.set_axisbelow(True)


def _legend_above(ax, fontsize: float, ncols: int, **kw):
    """The axes' legend in a row just above the plot (inside the layout, clear of the foot's mark)."""
    handles, labels = ax.get_legend_handles_labels()
    order = sorted(range(len(labels)), key=lambda i: labels[i].startswith("เกณฑ์"))  # the pass line last
    return ax.legend([handles[i] for i in order], [labels[i] for i in order], loc="lower left",
                     bbox_to_anchor=(0.0, 1.0), ncols=ncols, fontsize=fontsize, frameon=False, borderaxespad=0.2,
                     handlelength=1.6, columnspacing=1.0, **kw)


def test_figure(answers: pd.DataFrame, post: pd.DataFrame | None = None, spec: CheckinSpec | None = None,
                synthetic: bool = True, stage: str = "pre"):
    """Share of the room answering each question right (phone width), with the pass mark.

    ``answers`` alone: one bar per question, labelled as the ``stage`` (``"pre"`` or ``"post"``)
    they come from. With ``post``: ``answers`` are the pre-test and the before and after bars of
    each question stand side by side (hatched grey: before; dark: after). Either may be test
    answers or the scores of :func:`score_test`."""
    spec = _spec(spec)
    if stage not in ("pre", "post"):
        raise RoomError(f"stage ต้องเป็น \"pre\" (ก่อนอบรม) หรือ \"post\" (หลังอบรม) ไม่ใช่ {stage!r}")
    test = spec.test
    first = question_summary(answers, test)
    after = question_summary(post, test) if post is not None else None
    if after is None and stage == "post":
        first, after = None, first
    k = len(test.questions)
    fig = new_figure(PHONE_WIDTH_IN, 1.5 + (0.48 if first is not None and after is not None else 0.34) * k)
    ax = fig.add_subplot()
    _question_bars(ax, test, first, after, spec.targets.pass_percent, 21, 7.5)
    _legend_above(ax, 7, 2)
    if first is None or after is None:
        one = first if first is not None else after
        n = int(one["n"].iloc[0]) if len(one) else 0
        when = "ก่อนอบรม" if first is not None else "หลังอบรม"
        title = f"ตอบถูกรายข้อ {when} ({n} คน)"
        alt = f"ร้อยละที่ตอบถูกรายข้อ{when} ผู้ตอบ {n} คน: " + ", ".join(
            f"ข้อ {r.number} {r.short_th} {r.right_percent:.0f}%" for r in one.itertuples())
    else:
        title = "ตอบถูกรายข้อ ก่อนและหลังอบรม"
        alt = "ร้อยละที่ตอบถูกรายข้อ ก่อนและหลังอบรม: " + ", ".join(
            f"ข้อ {a.number} {a.short_th} {a.right_percent:.0f}% เป็น {b.right_percent:.0f}%"
            for a, b in zip(first.itertuples(), after.itertuples()))
    fig.suptitle(title, fontsize=10, x=0.02, ha="left", fontweight="bold")
    return _finish(fig, alt, title, synthetic)


# ------------------------------------------------------------------------------ knowledge gain

def knowledge_gain(pre: pd.DataFrame, post: pd.DataFrame, spec: CheckinSpec | None = None) -> pd.DataFrame:
    """Each participant's knowledge gain from the pre-test to the post-test.

    ``pre`` and ``post`` are test answers or scores (:func:`score_test`). One row per participant
    in either, sorted by ``participant_id``: ``pre_percent``, ``post_percent`` (missing when that
    test was not taken), ``took_pre``, ``took_post``, ``gain`` (post minus pre, in percentage
    points; missing unless both were taken), ``improved`` (True only when both were taken and the
    post-test score is higher: an equal score is not an improvement), ``reached_pass_mark``
    (post-test at least ``targets.pass_percent``; False without a post-test)."""
    spec = _spec(spec)
    before = _scores(pre, spec)[["participant_id", "percent"]].rename(columns={"percent": "pre_percent"})
    after = _scores(post, spec)[["participant_id", "percent"]].rename(columns={"percent": "post_percent"})
    table = before.merge(after, on="participant_id", how="outer")
    table["pre_percent"] = table["pre_percent"].astype(float)
    table["post_percent"] = table["post_percent"].astype(float)
    table["took_pre"] = table["pre_percent"].notna()
    table["took_post"] = table["post_percent"].notna()
    table["gain"] = table["post_percent"] - table["pre_percent"]
    both = table["took_pre"] & table["took_post"]
    table["improved"] = both & (table["gain"] > 1e-9)
    table["reached_pass_mark"] = table["took_post"] & (table["post_percent"] >= spec.targets.pass_percent - 1e-9)
    table = table.sort_values("participant_id", kind="stable").reset_index(drop=True)
    return table[["participant_id", "pre_percent", "post_percent", "took_pre", "took_post", "gain", "improved",
                  "reached_pass_mark"]]


def knowledge_gain_th(table: pd.DataFrame) -> pd.DataFrame:
    """:func:`knowledge_gain` with Thai headers and ใช่/ไม่ใช่ (codes only, never names)."""
    yes_no = {True: "ใช่", False: "ไม่ใช่"}
    shown = table.assign(improved=table["improved"].map(yes_no), reached_pass_mark=table["reached_pass_mark"].map(yes_no))
    out = pd.DataFrame({header: shown[column] for column, header in GAIN_TH.items()})
    return out.reset_index(drop=True)


def programme_kpis(gain_table: pd.DataFrame, targets: Targets | None = None) -> pd.DataFrame:
    """The programme's two knowledge KPIs against their targets (``checkin.yaml`` ``targets``).

    Rows ``pass_mark`` (share of the participants who took the post-test scoring at least
    ``pass_percent``; target ``pass_share_percent``) and ``improved`` (share of the participants who
    took both tests whose score rose; target ``improved_share_percent``). Columns: ``kpi``,
    ``name_th``, ``numerator``, ``denominator``, ``share_percent`` (missing when nobody counts),
    ``target_percent``, ``met`` (share at least the target; False when nobody counts),
    ``verdict_th`` (``ถึงเป้า`` / ``ไม่ถึงเป้า`` / ``ยังไม่มีข้อมูล``) and ``symbol`` (✔ / ✘ / –)."""
    targets = targets or load_checkin().targets
    missing = [c for c in ("took_pre", "took_post", "improved", "reached_pass_mark") if c not in gain_table.columns]
    if missing:
        raise RoomError(f"ตารางผลความรู้ขาดคอลัมน์ {', '.join(missing)} ใช้ตารางจาก knowledge_gain "
                        f"(the table lacks {', '.join(missing)}; pass what knowledge_gain returned)")
    took_post = gain_table["took_post"].astype(bool)
    both = gain_table["took_pre"].astype(bool) & took_post
    rows = [
        ("pass_mark", f"ผู้เข้าร่วมที่ได้คะแนนหลังอบรมตั้งแต่ {targets.pass_percent:g}% ขึ้นไป",
         int((gain_table["reached_pass_mark"].astype(bool) & took_post).sum()), int(took_post.sum()),
         targets.pass_share_percent),
        ("improved", "ผู้เข้าร่วมที่มีคะแนนหลังอบรมสูงกว่าก่อนอบรม",
         int((gain_table["improved"].astype(bool) & both).sum()), int(both.sum()), targets.improved_share_percent),
    ]
    out = []
    for kpi, name, num, den, target in rows:
        share = 100.0 * num / den if den else np.nan
        met = bool(den) and share >= target - 1e-9
        verdict = "ยังไม่มีข้อมูล" if not den else ("ถึงเป้า" if met else "ไม่ถึงเป้า")
        symbol = "–" if not den else (MET_SYMBOL if met else NOT_MET_SYMBOL)
        out.append({"kpi": kpi, "name_th": name, "numerator": num, "denominator": den, "share_percent": share,
                    "target_percent": float(target), "met": met, "verdict_th": verdict, "symbol": symbol})
    return pd.DataFrame(out)


def programme_kpis_th(kpis: pd.DataFrame) -> pd.DataFrame:
    """:func:`programme_kpis` with Thai headers; the verdict in words and symbol."""
    table = kpis.assign(share_percent=kpis["share_percent"].round(1),
                        verdict_th=[f"{s} {v}" for s, v in zip(kpis["symbol"], kpis["verdict_th"])])
    return thai_view(table, KPI_TH)


# ------------------------------------------------------------------------- the one-page report

def _as_day(on) -> pd.Timestamp:
    if on is None:
        return pd.Timestamp(dt.date.today())
    try:
        day = pd.Timestamp(on)
    except (ValueError, TypeError):
        raise RoomError(f"อ่านวันที่ {on!r} ไม่ได้ ใช้รูปแบบ 2026-11-23 (cannot read the date {on!r})") from None
    if pd.isna(day):
        raise RoomError(f"อ่านวันที่ {on!r} ไม่ได้ ใช้รูปแบบ 2026-11-23 (cannot read the date {on!r})")
    return day.normalize()


def _page_text(ax, x, y, s, size=9.0, **kw):
    kw.setdefault("va", "top")
    kw.setdefault("ha", "left")
    return ax.text(x, y, s, fontsize=size, **kw)


def _kpi_box(ax, x: float, y: float, width: float, height: float, row, what_th: str) -> None:
    from matplotlib.patches import FancyBboxPatch

    met = bool(row.met)
    ax.add_patch(FancyBboxPatch((x, y), width, height, boxstyle="round,pad=0.02",
                                facecolor="#eef5ee" if met else "#fbeeee", edgecolor="black",
                                linewidth=2.0 if met else 1.0, linestyle="-" if met else (0, (4, 2))))
    _page_text(ax, x + 0.15, y + 0.12, _lines(row.name_th, 44), 10, fontweight="bold", linespacing=1.15)
    value = "–" if pd.isna(row.share_percent) else f"{row.share_percent:.1f}%"
    _page_text(ax, x + 0.15, y + 0.62, value, 26, fontweight="bold")
    _page_text(ax, x + 1.85, y + 0.66, f"{row.numerator} จาก {row.denominator} คน\n{what_th}\n"
                                       f"เป้าหมาย ≥ {row.target_percent:g}%", 8.5, linespacing=1.25)
    _page_text(ax, x + 0.15, y + height - 0.42, f"{row.symbol} {row.verdict_th}", 15, fontweight="bold")


TABLE_HEAD_IN, ROW_MOST_IN, ROW_LEAST_IN = 0.3, 0.2, 0.125


def _table_shape(n: int) -> tuple[int, int]:
    """(columns of rows, rows per column) of the participant table of ``n`` people."""
    blocks = 2 if n <= 24 else 3
    return blocks, max(1, math.ceil(n / blocks))


def _participant_table(ax, gain: pd.DataFrame, codes: dict, top: float, bottom: float, left: float,
                       right: float, pass_percent: float) -> None:
    blocks, per_block = _table_shape(len(gain))
    row_in = max(ROW_LEAST_IN, min(ROW_MOST_IN, (bottom - top - TABLE_HEAD_IN) / per_block))
    size = min(8.5, row_in * 72 * 0.68)
    block_w = (right - left) / blocks
    heads = ["รหัส", "ก่อน", "หลัง", "เปลี่ยน", "คะแนน\nเพิ่มขึ้น", f"ผ่าน\n{pass_percent:g}%"]
    spots = [0.02, 0.31, 0.47, 0.64, 0.80, 0.94]
    aligns = ["left", "right", "right", "right", "center", "center"]
    from matplotlib.patches import Rectangle

    for b in range(blocks):
        x0 = left + b * block_w
        width = block_w - 0.15
        for head, spot, ha in zip(heads, spots, aligns):
            _page_text(ax, x0 + spot * width, top + 0.2, head, min(7.5, max(size, 7.0)), fontweight="bold", ha=ha, va="bottom",
                       linespacing=1.0)
        ax.plot([x0, x0 + width], [top + 0.24, top + 0.24], color="#555555", linewidth=0.6)
        chunk = gain.iloc[b * per_block:(b + 1) * per_block]
        for i, row in enumerate(chunk.itertuples()):
            y = top + TABLE_HEAD_IN - 0.02 + i * row_in
            if i % 2 == 1:
                ax.add_patch(Rectangle((x0, y - 0.01), width, row_in, facecolor="#efefef", edgecolor="none",
                                       zorder=0))
            pre = "–" if pd.isna(row.pre_percent) else f"{row.pre_percent:.0f}%"
            post = "–" if pd.isna(row.post_percent) else f"{row.post_percent:.0f}%"
            change = "–" if pd.isna(row.gain) else ("0" if abs(row.gain) < 0.5 else f"{row.gain:+.0f}")
            improved = MET_SYMBOL if row.improved else NOT_MET_SYMBOL
            passed = (MET_SYMBOL if row.reached_pass_mark else NOT_MET_SYMBOL) if row.took_post else "–"
            cells = [codes.get(row.participant_id, row.participant_id), pre, post, change, improved, passed]
            for cell, spot, ha in zip(cells, spots, aligns):
                _page_text(ax, x0 + spot * width, y, str(cell), size, ha=ha)


def knowledge_report_figure(pre: pd.DataFrame, post: pd.DataFrame, on=None, spec: CheckinSpec | None = None,
                            synthetic: bool = True, title_th: str | None = None, codes: dict | None = None):
    """The programme's knowledge report on one A4 portrait page (8.27 x 11.69 in), in Thai.

    From the top: the title and the report's date (Thai, Buddhist era), boxed ``ข้อมูลสมมติ``
    when ``synthetic``; the two KPIs of :func:`programme_kpis`, each with its share, count, target
    and verdict in a word and a symbol (✔ ถึงเป้า / ✘ ไม่ถึงเป้า; a met target also has a heavy
    solid frame, a missed one a dashed frame, so the page reads in black and white); the average
    scores; the share right per question before and after (:func:`question_summary`); a table of
    participants by code (``codes`` maps ``participant_id`` to the code shown; by default the
    id itself, which must therefore be a code and never a name) with pre, post, change, improved and
    pass mark; a footer saying how each figure is counted.

    ``pre`` and ``post``: test answers or :func:`score_test` scores. ``on``: the report's date
    (default today). At most :data:`MOST_IN_REPORT` participants (one report per room)."""
    spec = _spec(spec)
    day = _as_day(on)
    before, after = _scores(pre, spec), _scores(post, spec)
    gain = knowledge_gain(before, after, spec)
    if len(gain) > MOST_IN_REPORT:
        raise RoomError(f"รายงานหน้าเดียวรับผู้เข้าร่วมได้ไม่เกิน {MOST_IN_REPORT} คน แต่มี {len(gain)} คน "
                        f"ทำรายงานแยกทีละห้อง (at most {MOST_IN_REPORT} participants per report)")
    kpis = programme_kpis(gain, spec.targets)
    codes = {str(k): str(v) for k, v in (codes or {}).items()}
    fig = new_figure(*A4_PORTRAIT_IN)
    fig.set_layout_engine(None)  # the page places everything itself
    width, height = A4_PORTRAIT_IN
    page = fig.add_axes((0, 0, 1, 1))
    page.set_xlim(0, width)
    page.set_ylim(height, 0)
    page.axis("off")
    margin = 0.5

    # Header.
    title = title_th or REPORT_TITLE_TH
    _page_text(page, margin, 0.4, title, 15, fontweight="bold")
    _page_text(page, margin, 0.82, f"{spec.test.title_th} · ชุดฝึกเติมเต็ม (Termtem)", 10, color="#333333")
    _page_text(page, margin, 1.07, f"วันที่ {thai_date(day, long=True)}", 10, color="#333333")
    if synthetic:
        from matplotlib.patches import FancyBboxPatch

        stamp = f"{SYNTHETIC_MARK} (synthetic)"
        _page_text(page, width - margin - 0.1, 0.86, stamp, 12, fontweight="bold", color="#b00020", ha="right")
        page.add_patch(FancyBboxPatch((width - margin - 2.05, 0.8), 2.05, 0.36, boxstyle="round,pad=0.02",
                                      facecolor="none", edgecolor="#b00020", linewidth=1.6))
    page.plot([margin, width - margin], [1.42, 1.42], color="#555555", linewidth=0.8)

    # The two KPIs.
    _page_text(page, margin, 1.55, "ตัวชี้วัดของโครงการ (KPI)", 12, fontweight="bold")
    box_w = (width - 2 * margin - 0.25) / 2
    whats = {"pass_mark": "ที่ทำแบบทดสอบหลังอบรม", "improved": "ที่ทำแบบทดสอบทั้งก่อนและหลัง"}
    for k, row in enumerate(kpis.itertuples()):
        _kpi_box(page, margin + k * (box_w + 0.25), 1.92, box_w, 1.75, row, whats[row.kpi])
    both = gain["took_pre"] & gain["took_post"]
    mean_pre, mean_post = gain.loc[both, "pre_percent"].mean(), gain.loc[both, "post_percent"].mean()
    facts = (f"ผู้เข้าร่วม {len(gain)} คน · ทำแบบทดสอบก่อนอบรม {int(gain['took_pre'].sum())} คน · หลังอบรม "
             f"{int(gain['took_post'].sum())} คน · ทำทั้งสองครั้ง {int(both.sum())} คน")
    if both.any():
        facts += (f"\nคะแนนเฉลี่ยของผู้ที่ทำทั้งสองครั้ง: ก่อนอบรม {mean_pre:.0f}% → หลังอบรม {mean_post:.0f}% "
                  f"(เพิ่มขึ้นเฉลี่ย {mean_post - mean_pre:+.0f} จุด)")
    _page_text(page, margin, 3.82, facts, 9, linespacing=1.35)

    # Share right per question.
    # The chart gives up height to the participant table when a big room needs it (60 at most).
    table_bottom = 10.85
    _, per_block = _table_shape(len(gain))
    squeeze = max(0.0, TABLE_HEAD_IN + per_block * ROW_LEAST_IN - (table_bottom - 8.62))
    chart_top, chart_h = 4.75, 2.95 - squeeze
    _page_text(page, margin, chart_top - 0.32, "ตอบถูกรายข้อ ก่อนและหลังอบรม", 12, fontweight="bold")
    ax = fig.add_axes((3.05 / width, 1 - (chart_top + chart_h) / height, (width - margin - 3.05 - 0.1) / width,
                       chart_h / height))
    first = question_summary(before, spec.test)
    last = question_summary(after, spec.test)
    _question_bars(ax, spec.test, first, last, spec.targets.pass_percent, 34, 8)
    _legend_above(ax, 8, 3)

    # Participants by code.
    table_top = 8.62 - squeeze
    _page_text(page, margin, table_top - 0.42, "ผลรายคน (แสดงรหัสผู้เข้าร่วม ไม่แสดงชื่อ)", 12, fontweight="bold")
    _participant_table(page, gain, codes, table_top, table_bottom, margin, width - margin, spec.targets.pass_percent)

    # Footer.
    page.plot([margin, width - margin], [10.95, 10.95], color="#555555", linewidth=0.6)
    note = (f"{MET_SYMBOL} = ใช่ / ถึงเป้า · {NOT_MET_SYMBOL} = ไม่ใช่ / ไม่ถึงเป้า · – = ไม่ได้ทำแบบทดสอบ · "
            f"คะแนนเพิ่มขึ้น: คะแนนหลังอบรมสูงกว่าก่อนอบรม (เท่าเดิมไม่นับ) นับจากผู้ที่ทำทั้งสองครั้ง · "
            f"ผ่านเกณฑ์: คะแนนหลังอบรมตั้งแต่ {spec.targets.pass_percent:g}% นับจากผู้ที่ทำแบบทดสอบหลังอบรม · "
            f"แบบทดสอบชุดเดียวกัน {len(spec.test.questions)} ข้อ ทั้งก่อนและหลัง")
    _page_text(page, margin, 11.02, _lines(note, 128), 7, color="#333333", linespacing=1.2)

    verdicts = "; ".join(f"{r.name_th} {'' if pd.isna(r.share_percent) else f'{r.share_percent:.1f}% '}"
                         f"เป้า {r.target_percent:g}% {r.verdict_th}" for r in kpis.itertuples())
    alt = f"{title} วันที่ {thai_date(day, long=True)}: ผู้เข้าร่วม {len(gain)} คน; {verdicts}"
    fig = _finish(fig, alt, f"{title} ({thai_date(day)})", synthetic)
    fig.termtem_gain = gain
    fig.termtem_kpis = kpis
    return fig


def report_name(on=None) -> str:
    """File name of the report of day ``on``: ``knowledge_report_2026-11-23.pdf``."""
    return f"knowledge_report_{_as_day(on).date().isoformat()}.pdf"


def write_knowledge_report(pre: pd.DataFrame, post: pd.DataFrame, out_dir: Path | str, on=None,
                           overwrite: bool = False, spec: CheckinSpec | None = None, synthetic: bool = True,
                           title_th: str | None = None, codes: dict | None = None) -> Path:
    """Write :func:`knowledge_report_figure` as a one-page PDF into ``out_dir`` (created if need be)
    and return its path (:func:`report_name`).

    The page is written whole into a temporary file beside the target and then moved into place,
    so a reader never sees half a file. An existing report of that name is refused
    (:class:`RoomError`) unless ``overwrite``; even then it is replaced in one step."""
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise RoomError(f"{out_dir} มีอยู่แล้วแต่ไม่ใช่โฟลเดอร์ ({out_dir} exists and is not a folder)")
    target = out_dir / report_name(on)
    if target.exists() and not overwrite:
        raise RoomError(f"มีรายงาน {target} อยู่แล้ว ใส่ overwrite=True เพื่อเขียนทับ หรือเลือกโฟลเดอร์อื่น "
                        f"({target} already exists; pass overwrite=True to replace it)")
    fig = knowledge_report_figure(pre, post, on, spec, synthetic, title_th, codes)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        handle, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=out_dir)
    except OSError as exc:
        raise RoomError(f"เขียนลงใน {out_dir} ไม่ได้ (cannot write into {out_dir}: {exc.strerror})") from exc
    tmp = Path(tmp_name)
    try:
        with os.fdopen(handle, "wb") as stream:
            fig.savefig(stream, format="pdf", metadata={
                "Title": f"{title_th or REPORT_TITLE_TH} {thai_date(_as_day(on), long=True)}",
                "Subject": f"{SYNTHETIC_MARK} (synthetic data)" if synthetic else "Termtem knowledge report",
                "Creator": "Termtem training kit (simulator.workshop.room)"})
        if overwrite:
            os.replace(tmp, target)
        else:
            try:
                os.link(tmp, target)  # fails if a report appeared meanwhile: never overwrites
            except FileExistsError:
                raise RoomError(f"มีรายงาน {target} อยู่แล้ว ใส่ overwrite=True เพื่อเขียนทับ "
                                f"({target} already exists; pass overwrite=True to replace it)") from None
            except OSError:  # a file system without hard links
                if target.exists():
                    raise RoomError(f"มีรายงาน {target} อยู่แล้ว ({target} already exists)") from None
                os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target


# ---------------------------------------------------------------------------- simulated rooms

def _role_counts(n: int, spec: CheckinSpec, draw: np.random.Generator) -> dict[str, int]:
    """``n`` people over the roles in proportion to ``room_share`` (largest remainder, ties at random)."""
    shares = np.array([r.room_share for r in spec.roles], dtype=float)
    exact = n * shares / shares.sum()
    counts = np.floor(exact).astype(int)
    left = n - int(counts.sum())
    order = np.lexsort((draw.random(len(exact)), -(exact - counts)))
    counts[order[:left]] += 1
    return {r.id: int(c) for r, c in zip(spec.roles, counts)}


def simulate_room(n: int = 36, seed: int = 0, spec: CheckinSpec | None = None,
                  district: str | None = None) -> pd.DataFrame:
    """A synthetic workshop room of ``n`` participants (invented names from the simulator's Thai
    name pools; no real person).

    Roles come in the proportions of ``room_share`` in ``checkin.yaml`` (about half from the
    communities, four in ten providers, a few district staff and committee members). The room's
    district is ``district`` (default: ``simulation.district``) and its communities are some of the
    district's invented communities, about ``people_per_community`` community people each;
    each provider serves one of them. District staff have no community; committee members neither
    community nor district. Columns: ``participant_id`` (``P01`` ...), ``name``, ``sex``, ``role``,
    ``community``, ``district``, in ``participant_id`` order (shuffled roles, as people arrive)."""
    spec = _spec(spec)
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1 or n > 500:
        raise RoomError(f"จำนวนผู้เข้าร่วมต้องเป็น 1 ถึง 500 คน ไม่ใช่ {n!r} (n must be 1-500)")
    draw = _generator(seed, "simulate_room")
    cfg = load_config()
    table = district_table(cfg.geography, [district or spec.simulation.district])
    district_th = table.name_th[0]
    counts = _role_counts(int(n), spec, draw)
    roles = [role for role in spec.role_ids for _ in range(counts[role])]
    roles = [roles[k] for k in draw.permutation(len(roles))]
    community_people = sum(counts[r.id] for r in spec.roles if r.level == "community")
    k = max(1, min(len(table.communities[0]), round(community_people / spec.simulation.people_per_community)))
    communities = [table.communities[0][j] for j in sorted(draw.choice(len(table.communities[0]), k,
                                                                       replace=False))]
    names = cfg.names
    used: set[str] = set()
    rows = []
    dealt = {r: 0 for r in spec.role_ids}
    for number, role_id in enumerate(roles, start=1):
        role = spec.role(role_id)
        female = draw.random() < (0.75 if role.level == "community" else 0.6)
        pool = names.first_names_female if female else names.first_names_male
        while True:
            name = f"{pool[draw.integers(len(pool))]} {names.last_names[draw.integers(len(names.last_names))]}"
            if name not in used:
                used.add(name)
                break
        if role.level in ("community", "providers"):
            community = communities[(dealt[role_id] + draw.integers(k)) % k] if role.level == "community" \
                else communities[dealt[role_id] % k]
        else:
            community = None
        dealt[role_id] += 1
        rows.append({"participant_id": f"P{number:02d}", "name": name, "sex": "female" if female else "male",
                     "role": role_id, "community": community, "district": None if role.level == "city" else district_th})
    return pd.DataFrame(rows, columns=["participant_id", "name", "sex", "role", "community", "district"])


def simulate_answers(room: pd.DataFrame, test: KnowledgeTest | None = None, seed: int = 0, stage: str = "pre",
                     spec: CheckinSpec | None = None) -> pd.DataFrame:
    """Simulated test answers of ``room`` at ``stage`` ``"pre"`` or ``"post"`` (``participant_id``,
    ``question_id``, ``choice``; a blank ``choice`` is a question left unanswered).

    Each participant has a knowledge level and each question a difficulty, both fixed by ``seed``
    and the same at both stages; the chance of a right answer is ``pre_share_right`` or
    ``post_share_right`` (``checkin.yaml`` ``simulation``) moved by the two, so the post-test is
    better on average while some participants do not improve. A wrong answer is one of the
    wrong options at random."""
    spec = _spec(spec)
    test = test or spec.test
    if stage not in ("pre", "post"):
        raise RoomError(f"stage ต้องเป็น \"pre\" (ก่อนอบรม) หรือ \"post\" (หลังอบรม) ไม่ใช่ {stage!r}")
    people = [str(p) for p in room["participant_id"]]
    sim = spec.simulation
    fixed = _generator(seed, "knowledge")
    person = fixed.normal(0, sim.person_spread, len(people))
    ease = fixed.normal(0, sim.question_spread, len(test.questions))
    draw = _generator(seed, f"answers:{stage}")
    share = sim.pre_share_right if stage == "pre" else sim.post_share_right
    logit = math.log(share / (1 - share))
    rows = []
    for p, ability in zip(people, person):
        for q, q_ease in zip(test.questions, ease):
            if draw.random() < sim.unanswered_share:
                rows.append((p, q.id, None))
                continue
            right = draw.random() < 1 / (1 + math.exp(-(logit + ability + q_ease)))
            wrong = [o.key for o in q.options if o.key != q.answer]
            rows.append((p, q.id, q.answer if right else wrong[draw.integers(len(wrong))]))
    return pd.DataFrame(rows, columns=["participant_id", "question_id", "choice"])


def simulate_survey(room: pd.DataFrame, seed: int = 0, spec: CheckinSpec | None = None) -> pd.DataFrame:
    """Simulated survey answers of ``room`` (``participant_id``, ``statement_id``, ``answer`` 1-5):
    around ``survey_mean`` (reversed statements around ``6 - survey_mean``), spread
    ``survey_spread``, each participant a little more or less agreeable than the next."""
    spec = _spec(spec)
    sim = spec.simulation
    draw = _generator(seed, "survey")
    people = [str(p) for p in room["participant_id"]]
    lean = draw.normal(0, sim.survey_spread / 2, len(people))
    rows = []
    for p, own in zip(people, lean):
        for s in spec.survey.statements:
            centre = (6 - sim.survey_mean) if s.reverse else sim.survey_mean
            value = int(np.clip(round(centre + own + draw.normal(0, sim.survey_spread)), 1, 5))
            rows.append((p, s.id, value))
    return pd.DataFrame(rows, columns=["participant_id", "statement_id", "answer"])


__all__ = [
    "GAIN_TH", "KPI_IDS", "KPI_TH", "MOST_IN_REPORT", "PARTICIPANT_COLUMNS", "REPORT_TITLE_TH", "ROSTER_TH",
    "SCORE_TH", "RoomError", "check_participants", "coverage_note_th", "full_groups_size", "group_count", "group_summary",
    "group_summary_th", "groups_table", "knowledge_gain", "knowledge_gain_th", "knowledge_report_figure",
    "mixed_groups", "programme_kpis", "programme_kpis_th", "question_summary", "question_summary_th",
    "report_name", "room_counts", "room_figure", "roster", "roster_table", "score_test", "simulate_answers",
    "simulate_room", "simulate_survey", "survey_figure", "survey_summary", "survey_summary_th", "test_figure",
    "write_knowledge_report",
]

test_figure.__test__ = False  # a figure, not a test: importing it into a test module is safe
