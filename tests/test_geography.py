
import geothai
import pytest
import yaml

import simulator
from simulator import ConfigError, load_config
from simulator.model.config import official_districts
from simulator.model.geography import community_subdistricts, district_table
from tests.data_files import edit_yaml as _edit


def test_all_50_official_district_codes():
    cfg = load_config()
    codes = {d.name_th: d.code for z in cfg.geography.zones for d in z.districts}
    assert codes["พระนคร"] == "1001" and codes["ลาดกระบัง"] == "1011" and codes["บางบอน"] == "1050"
    assert set(codes.values()) == {d.code for d in geothai.districts("10")}


def test_every_place_in_a_run_is_real_and_belongs_together(pop_20k):
    hh = pop_20k.households
    assert hh[["district_code", "subdistrict", "subdistrict_code"]].notna().all().all()
    places = hh[["district", "district_code", "subdistrict", "subdistrict_code"]].astype(str).drop_duplicates()
    assert places["district"].nunique() == 50
    for row in places.itertuples():
        district = geothai.district(row.district_code)
        sub = geothai.subdistrict(row.subdistrict_code)
        assert district is not None and district.province_code == "10"
        assert district.name_th == "เขต" + row.district
        assert sub is not None and sub.name_th == row.subdistrict
        assert sub.district_code == row.district_code


def test_each_community_lies_in_one_subdistrict_on_every_run(pop_20k):
    key = ["district", "community"]
    where = pop_20k.households.groupby(key, observed=True)["subdistrict_code"].nunique()
    assert (where == 1).all()
    def mapping(hh):
        rows = hh[key + ["subdistrict_code"]].astype(str).drop_duplicates(key)
        return {(r.district, r.community): r.subdistrict_code for r in rows.itertuples()}

    first = mapping(pop_20k.households)
    # Another seed, fewer districts: the same community is still in the same subdistrict.
    again = mapping(simulator.simulate(3_000, seed=99, districts=["ลาดกระบัง", "Bang Na"]).households)
    assert len(again) == 14 + 12
    assert again == {k: first[k] for k in again}


def test_subdistricts_share_communities_and_households_evenly(pop_20k):
    hh = pop_20k.households.astype({"district_code": str, "subdistrict_code": str})
    cfg = load_config()
    for zone in cfg.geography.zones:
        for d in zone.districts:
            n_sub = len(geothai.subdistricts(d.code))
            here = hh[hh["district_code"] == d.code]
            communities = here.drop_duplicates("community").groupby("subdistrict_code").size()
            # All subdistricts get a community when there are enough; counts differ by one at most.
            assert len(communities) == min(n_sub, d.communities), d.name_th
            assert communities.max() - communities.min() <= 1, d.name_th
            # Households pick a community uniformly, so a subdistrict's share follows its communities.
            expected = len(here) * communities / communities.sum()
            observed = here.groupby("subdistrict_code").size()
            assert ((observed - expected).abs() <= 4 * expected**0.5 + 3).all(), (d.name_th, observed.to_dict())


def test_community_deal_is_even():
    assert sorted(community_subdistricts("1001", 24)) == sorted(list(range(12)) * 2)
    assert len(set(community_subdistricts("1001", 8))) == 8


def test_district_table_lists_subdistricts_of_the_chosen_districts_only():
    cfg = load_config()
    table = district_table(cfg.geography, ["Lat Krabang"])
    assert table.code == ["1011"]
    assert table.subdistrict_code == [s.code for s in geothai.subdistricts("1011")]
    assert all(0 <= s < len(table.subdistrict_code) for s in table.community_subdistrict[0])


def test_misspelt_district_names_file_zone_district_and_nearest_names(data_copy):
    path = data_copy / "bangkok.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    zone = next(z for z in doc["zones"] if z["id"] == "east")
    position = next(k for k, d in enumerate(zone["districts"]) if d["name_th"] == "ลาดกระบัง")

    def misspell(d):
        next(z for z in d["zones"] if z["id"] == "east")["districts"][position]["name_th"] = "ลาดกะบัง"

    _edit(path, misspell)
    with pytest.raises(ConfigError) as err:
        load_config(data_copy)
    msg = str(err.value)
    assert "bangkok.yaml" in msg and "east" in msg and "ลาดกะบัง" in msg and "name_th" in msg
    assert "nearest official names: ลาดกระบัง" in msg


def test_district_name_may_carry_the_word_khet(data_copy):
    _edit(data_copy / "bangkok.yaml", lambda d: d["zones"][0]["districts"][0].update(name_th="เขตพระนคร"))
    first = load_config(data_copy).geography.zones[0].districts[0]
    assert first.name_th == "พระนคร" and first.code == "1001"


def test_official_districts_are_bangkoks_50():
    assert len(official_districts()) == 50 and "คลองสามวา" in official_districts()
