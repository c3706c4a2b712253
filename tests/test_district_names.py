import pytest

from simulator.model.config import load_config
from simulator.model.district_names import (UnknownDistrictName, resolve_district, resolve_districts,
                                            suggest_districts)
from simulator.model.geography import UnknownDistrictError

GEO = load_config().geography


@pytest.mark.parametrize("name", ["บางนา", "เขตบางนา", "เขต บางนา", "Bang Na", "bang na", "BANGNA", "Bang Na District",
                                  "Khet Bang Na", "  bang   na "])
def test_usual_spellings_resolve_to_the_thai_name(name):
    assert resolve_district(name, GEO) == "บางนา"


def test_every_district_resolves_from_both_names():
    for zone in GEO.zones:
        for d in zone.districts:
            assert resolve_district(d.name_th, GEO) == d.name_th
            assert resolve_district("เขต" + d.name_th, GEO) == d.name_th
            assert resolve_district(d.name_en.upper(), GEO) == d.name_th


def test_a_list_keeps_its_order_and_drops_repeats():
    assert resolve_districts(["Bang Na", "เขตลาดกระบัง", "บางนา"], GEO) == ["บางนา", "ลาดกระบัง"]
    assert resolve_districts(None, GEO) is None and resolve_districts([], GEO) is None


def test_unknown_name_raises_with_nearest_suggestions():
    with pytest.raises(UnknownDistrictName) as err:
        resolve_district("Chatuchack", GEO)
    assert isinstance(err.value, UnknownDistrictError)
    assert err.value.suggestions[0] == ("จตุจักร", "Chatuchak")
    assert "unknown district 'Chatuchack'" in str(err.value) and "จตุจักร (Chatuchak)" in str(err.value)


def test_suggestions_are_few_distinct_and_empty_for_nonsense():
    near = suggest_districts("บางกอก", GEO)
    assert 1 <= len(near) <= 3 and len(set(near)) == len(near)
    assert {th for th, _ in near[:2]} == {"บางกอกใหญ่", "บางกอกน้อย"}
    assert suggest_districts("Atlantis", GEO) == []


def test_the_python_api_reads_district_names_as_the_command_line_does():
    import simulator

    pop = simulator.simulate(30, seed=1, districts=["เขตลาดกระบัง", "Lat Krabang"])
    assert set(pop.households.district.astype(str)) == {"ลาดกระบัง"}
    with pytest.raises(UnknownDistrictName, match="ลาดกระบัง"):
        simulator.simulate(5, seed=1, districts=["ลาดกะบัง"])
