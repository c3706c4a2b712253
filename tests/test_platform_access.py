"""For each role, every query and export of the platform returns nothing outside what it may see.

The workshop is ``tests/platform_fixture.py``'s: two districts, two communities each, every
role. What each participant may see is written out by hand below, family by family.
"""

import pandas as pd
import pytest

from simulator.model.config import DIMENSIONS
from simulator.platform import access
from simulator.platform.dashboard_tables import dashboard_data
from tests.platform_fixture import (
    COMMUNITY_ROLES,
    DISTRICTS,
    PROVIDERS,
    build_world,
    code,
    user_key,
)

BN, LK = "บางนา", "ลาดกระบัง"
# (district, community) -> families; hand-listed from the fixture's table.
COMMUNITY_FAMILIES = {(BN, "ชุมชนริมคลอง"): {1, 2}, (BN, "ชุมชนหลังวัด"): {3, 4},
                      (LK, "ชุมชนริมคลอง"): {5, 6}, (LK, "ชุมชนทุ่งนา"): {7, 8}}
NOTIFICATIONS = {(1, "education"), (1, "health"), (2, "social"), (3, "education"), (5, "health"),
                 (6, "governance"), (7, "social"), (7, "health")}
PROVIDER_FAMILIES = {(BN, "social"): {2}, (BN, "education"): {1, 3}, (BN, "health"): {1}, (BN, "governance"): set(),
                     (LK, "social"): {7}, (LK, "education"): set(), (LK, "health"): {5, 7}, (LK, "governance"): {6}}
# (family, indicator) of every observation, with the indicator's dimension.
OBSERVATIONS = {(1, "developmental_delay"): "health", (1, "no_income"): "education", (2, "physical_abuse"): "social",
                (3, "learning_difficulty"): "education", (5, "malnutrition"): "health",
                (6, "no_birth_registration"): "governance", (7, "neglect"): "social",
                (7, "parent_depression"): "health", (8, "frequent_absence"): "education"}
ROSTER_SIZE = {"community": 3, "district": 3 * 2 + 5}  # a community's 3; a district's 2 x 3 + 4 providers + staff


def allowed(key):
    """(families, dimension or None, level, district, community) that ``key``'s participant may see."""
    role, *where = key.split("/")
    if role in COMMUNITY_ROLES:
        district, community = where
        return COMMUNITY_FAMILIES[(district, community)], None, "community", district, community
    if role == "district_staff":
        district = where[0]
        return set().union(*(f for (d, _), f in COMMUNITY_FAMILIES.items() if d == district)), None, "district", district, None
    dimension = next(d for d, r in PROVIDERS.items() if r == role)
    return PROVIDER_FAMILIES[(where[0], dimension)], dimension, "provider", where[0], None


KEYS = ([user_key(r, d, c) for d, cs in DISTRICTS.items() for c in cs for r in COMMUNITY_ROLES]
        + [user_key(r, d) for d in DISTRICTS for r in [*PROVIDERS.values(), "district_staff"]])


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def world(request, tmp_path_factory):
    url = (str(tmp_path_factory.mktemp("workshop")) if request.param == "sqlite"
           else request.getfixturevalue("postgres_server").new_database())
    w = build_world(url)
    yield w
    w.platform.dispose()


def families_of(frame: pd.DataFrame) -> set[int]:
    return {int(f[2:]) for f in frame["family_id"]}


def test_the_fixture_gives_every_role_something_to_see():
    # Without this, "nothing outside" could pass on empty answers.
    seen = [allowed(k)[0] for k in KEYS]
    assert sum(1 for s in seen if s) == len(KEYS) - 2  # two providers have no notification in their district
    assert len(KEYS) == 22


@pytest.mark.parametrize("key", KEYS)
def test_each_row_query_returns_exactly_what_the_role_may_see(world, key):
    user = world.users[key]
    families, dimension, level, district, community = allowed(key)
    assert families_of(access.families(user)) == families

    obs = access.observations(user)
    expected_obs = {(f, i) for (f, i), d in OBSERVATIONS.items() if f in families and dimension in (None, d)}
    assert set(zip(obs["family_id"].map(lambda c: int(c[2:])), obs["indicator_id"])) == expected_obs

    inbox = access.inbox(user)
    expected_notes = {(f, d) for f, d in NOTIFICATIONS if f in families and dimension in (None, d)}
    assert set(zip(inbox["family_id"].map(lambda c: int(c[2:])), inbox["dimension"])) == expected_notes

    replies = access.replies(user)
    assert families_of(replies) <= families
    assert set(replies["dimension"]) <= ({dimension} if dimension else set(DIMENSIONS))
    assert families_of(access.plans(user)) <= families
    assert set(access.plans(user)["dimension"]) <= ({dimension} if dimension else set(DIMENSIONS))

    roster = access.roster(user)
    assert set(roster["district"]) == {district}
    if level == "community":
        assert set(roster["community"]) == {community} and len(roster) == ROSTER_SIZE["community"]
    else:
        assert len(roster) == ROSTER_SIZE["district"]
    assert "mobile" not in roster.columns and "pin_hash" not in roster.columns


def test_what_each_side_sees_of_one_case(world):
    """By hand: HH0000001's health notification was acknowledged and answered; its plan goal is in health."""
    volunteer = world.users[user_key("volunteer", BN, "ชุมชนริมคลอง")]
    teacher = world.users[user_key("provider_education", BN)]
    assert len(access.replies(volunteer)) == 1 and len(access.plans(volunteer)) == 1
    assert access.replies(teacher).empty and access.plans(teacher).empty  # both are health, not education
    assert access.observations(teacher, code(1))["indicator_id"].tolist() == ["no_income"]


@pytest.mark.parametrize("key", KEYS)
def test_the_dashboards_of_a_role_hold_only_its_families(world, key):
    user = world.users[key]
    families, dimension, *_ = allowed(key)
    data = dashboard_data(user)
    for table in ("households", "petals", "children", "cases", "events"):
        assert families_of(getattr(data, table)) <= families, table
    assert families_of(data.households) == families
    if dimension:
        assert set(data.events["dimension"].dropna()) <= {dimension}


@pytest.mark.parametrize("key", KEYS)
def test_every_export_holds_only_what_the_role_may_see(world, key, tmp_path):
    user = world.users[key]
    families, dimension, _, district, _ = allowed(key)
    for what in access.QUERIES:
        path = access.export_csv(user, what, tmp_path / f"{what}.csv")
        table = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
        if "family_id" in table.columns:
            assert families_of(table) <= families, what
        if "dimension" in table.columns and dimension and what != "roster":
            assert set(table["dimension"]) <= {dimension}, what
        if what == "roster":
            assert set(table["district"]) == {district}
        if what == "aggregates":
            total = int(table.set_index(table.columns[0]).loc["รวม", "รวม"]) if families else 0
            assert total == len(families)
    with pytest.raises(FileExistsError, match="ไม่เขียนทับ"):
        access.export_csv(user, "families", tmp_path / "families.csv")


def test_the_committee_sees_aggregates_only_with_small_counts_hidden(world, tmp_path):
    member = world.users["committee"]
    for query in (access.families, access.observations, access.inbox, access.replies, access.plans, access.roster):
        with pytest.raises(access.AccessDenied, match="ตัวเลขสรุป"):
            query(member)
    with pytest.raises(access.AccessDenied):
        dashboard_data(member)
    for what in set(access.QUERIES) - {"aggregates"}:
        with pytest.raises(access.AccessDenied):
            access.export_csv(member, what, tmp_path / f"{what}.csv")
        assert not (tmp_path / f"{what}.csv").exists()
    table = access.aggregates(member)
    assert list(table.index) == [BN, LK, "รวม"]
    # 8 families in two districts of 4: every count from 1 to 5 is hidden, and so the cells beside them.
    shown = [v for v in table.to_numpy().ravel() if v != "•"]
    assert all(not (1 <= int(v) <= 5) for v in shown)
    assert table.loc["รวม", "รวม"] == 8
    path = access.export_csv(member, "aggregates", tmp_path / "aggregates.csv")
    text = path.read_text(encoding="utf-8-sig")
    assert "HH00000" not in text and "•" in text


def test_a_workshop_sees_nothing_of_another(world):
    """A second workshop on the same database: its participants see none of the first one's rows."""
    from simulator.platform import service as sv
    from simulator.platform.db import open_platform
    from tests.platform_fixture import fast_settings

    other = open_platform(world.platform.url, workshop="second", settings=fast_settings())
    try:
        sv.add_district(other, BN)
        sv.add_community(other, BN, "ชุมชนริมคลอง")
        staff = sv.register(other, "เจ้าหน้าที่ อีกห้อง", "0811111111", "district_staff", BN, None, "1234")
        volunteer = sv.register(other, "อาสา อีกห้อง", "0822222222", "volunteer", BN, "ชุมชนริมคลอง", "1234")
        for user in (staff, volunteer):
            assert access.families(user).empty and access.inbox(user).empty
            assert set(access.roster(user)["name_th"]) <= {staff.name_th, volunteer.name_th}
        assert dashboard_data(other).households.empty
    finally:
        other.dispose()
