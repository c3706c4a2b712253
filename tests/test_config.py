import pytest
import yaml

from simulator import ConfigError, load_config
from tests.data_files import edit_yaml as _edit


def test_packaged_files_load():
    cfg = load_config()
    assert len(cfg.catalogue.indicators) >= 40
    assert sum(len(z.districts) for z in cfg.geography.zones) == 50
    assert len(cfg.geography.zones) == 6
    subjects_dims = {(i.subject, i.dimension) for i in cfg.catalogue.indicators}
    assert len(subjects_dims) == 8, "every petal needs indicators"


def test_every_indicator_has_varied_thai_notes():
    for ind in load_config().catalogue.indicators:
        assert len(set(ind.notes_th)) >= 2, ind.id
        assert any("\u0e00" <= ch <= "\u0e7f" for ch in ind.label_th), ind.id


def test_bad_severity_names_file_entry_and_field(data_copy):
    path = data_copy / "indicators.yaml"
    _edit(path, lambda d: d["indicators"][3].update(severity="purple"))
    bad_id = yaml.safe_load(path.read_text(encoding="utf-8"))["indicators"][3]["id"]
    with pytest.raises(ConfigError) as err:
        load_config(data_copy)
    msg = str(err.value)
    assert "indicators.yaml" in msg and bad_id in msg and "severity" in msg


def test_prevalence_out_of_range(data_copy):
    _edit(data_copy / "indicators.yaml", lambda d: d["indicators"][0].update(prevalence=1.5))
    with pytest.raises(ConfigError, match="prevalence"):
        load_config(data_copy)


def test_dependency_on_unknown_indicator(data_copy):
    _edit(data_copy / "indicators.yaml",
          lambda d: d["dependencies"].append({"driver": "no_income", "target": "flying", "risk_ratio": 2}))
    with pytest.raises(ConfigError, match="'flying' is not an indicator id"):
        load_config(data_copy)


def test_shares_must_add_up(data_copy):
    _edit(data_copy / "population.yaml", lambda d: d["household_types"][0].update(share=0.9))
    with pytest.raises(ConfigError, match=r"(?s)population.yaml.*household_types shares add up to 1.42, not 1"):
        load_config(data_copy)


def test_malformed_yaml_names_line(data_copy):
    (data_copy / "bangkok.yaml").write_text("zones: [unclosed\n  - x", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"bangkok.yaml: not valid YAML at line"):
        load_config(data_copy)


def test_missing_file(data_copy):
    (data_copy / "name_pools.yaml").unlink()
    with pytest.raises(ConfigError, match="name_pools.yaml: cannot read"):
        load_config(data_copy)


def test_edited_catalogue_changes_generation(data_copy):
    import simulator

    _edit(data_copy / "indicators.yaml", lambda d: [i.update(prevalence=0.5) for i in d["indicators"]])
    pop = simulator.simulate(100, seed=1, config=load_config(data_copy))
    assert (pop.households.case_level != "none").mean() > 0.95


def test_co_resident_grandparent_only_joins_a_parent_household(data_copy):
    path = data_copy / "population.yaml"
    _edit(path, lambda d: next(h for h in d["household_types"] if h["id"] == "grandparents")
          .update(co_resident_grandparent=0.2))
    with pytest.raises(ConfigError) as err:
        load_config(data_copy)
    msg = str(err.value)
    assert "population.yaml" in msg and "grandparents" in msg and "co_resident_grandparent" in msg


@pytest.mark.parametrize("field, value", [
    ("co_resident_grandparent", 1.5), ("co_resident_grandparent", -0.1),
])
def test_co_resident_grandparent_is_a_probability(data_copy, field, value):
    _edit(data_copy / "population.yaml", lambda d: d["household_types"][0].update({field: value}))
    with pytest.raises(ConfigError, match=r"household_types\[0\] \(id: two_parents\)\.co_resident_grandparent"):
        load_config(data_copy)


@pytest.mark.parametrize("field, value", [
    ("min_months_birth_to_conception", -1),
    ("unborn_sex_known_from_week", 41),
    ("co_resident_grandmother_share", 1.2),
    ("pregnancy_mother_age", {"min": 45, "max": 15}),
])
def test_household_settings_out_of_range_name_the_field(data_copy, field, value):
    _edit(data_copy / "population.yaml", lambda d: d.update({field: value}))
    with pytest.raises(ConfigError, match=field):
        load_config(data_copy)


def test_pregnancy_ages_must_be_plausible(data_copy):
    _edit(data_copy / "population.yaml", lambda d: d.update(pregnancy_mother_age={"min": 8, "max": 45}))
    with pytest.raises(ConfigError, match="pregnancy_mother_age must lie within 12-55"):
        load_config(data_copy)


def test_children_must_fit_below_the_oldest_childs_age(data_copy):
    _edit(data_copy / "population.yaml", lambda d: d["age_gaps"].update(sibling_spacing={"min": 1, "max": 7}))
    with pytest.raises(ConfigError, match="sibling_spacing.max 7 years do not fit under oldest_child_age.max 17"):
        load_config(data_copy)


def test_at_most_four_children_per_household(data_copy):
    _edit(data_copy / "population.yaml", lambda d: d.update(children_count_shares=[0.3, 0.3, 0.2, 0.1, 0.1]))
    with pytest.raises(ConfigError, match="children_count_shares"):
        load_config(data_copy)


def test_grandparent_gap_is_required_and_must_fit_the_age_cap(data_copy):
    path = data_copy / "population.yaml"
    _edit(path, lambda d: d["age_gaps"].pop("grandparent_above_parent"))
    with pytest.raises(ConfigError, match="age_gaps lacks grandparent_above_parent"):
        load_config(data_copy)
    _edit(path, lambda d: (d["age_gaps"].update(grandparent_above_parent={"min": 18, "max": 40}),
                           d.update(co_resident_grandparent_max_age=70)))
    with pytest.raises(ConfigError, match="co_resident_grandparent_max_age 70 leaves no room"):
        load_config(data_copy)


def test_a_couple_must_be_possible(data_copy):
    _edit(data_copy / "population.yaml", lambda d: d["age_gaps"].update(
        father_above_mother={"min": -30, "max": -25}))
    with pytest.raises(ConfigError, match="father_above_mother.max is too low for age_gaps.mother_above_oldest_child"):
        load_config(data_copy)


# ---------------------------------------------------------------- notes, strengths, implications, noticers

def _indicator(doc, ind_id):
    return next(i for i in doc["indicators"] if i["id"] == ind_id)


def _load_error(data_copy):
    with pytest.raises(ConfigError) as err:
        load_config(data_copy)
    return str(err.value)


def test_every_note_fits_somewhere_and_one_fits_always():
    cfg = load_config()
    for item in list(cfg.catalogue.indicators) + list(cfg.catalogue.strengths):
        assert any(n.needs.is_empty() for n in item.notes_th), item.id
    assert any(not n.needs.is_empty() for i in cfg.catalogue.indicators for n in i.notes_th)


def test_note_mentioning_the_mother_without_declaring_it(data_copy):
    _edit(data_copy / "indicators.yaml",
          lambda d: _indicator(d, "neglect")["notes_th"].append("แม่ออกไปทำงานแต่เช้า ทิ้งเด็กไว้กับเพื่อนบ้าน"))
    msg = _load_error(data_copy)
    assert "indicators.yaml" in msg and "neglect" in msg and "notes_th[3]" in msg and "'แม่'" in msg


def test_declared_mother_is_accepted_and_compounds_are_not_kin(data_copy):
    def change(d):
        notes = _indicator(d, "neglect")["notes_th"]
        notes.append({"text": "แม่ออกไปทำงานแต่เช้า ทิ้งเด็กไว้กับเพื่อนบ้าน", "needs": {"relations": ["mother"]}})
        notes.append("ไปนั่งรอแม่ค้าที่ตลาดตามลำพังจนค่ำ")
    _edit(data_copy / "indicators.yaml", change)
    notes = load_config(data_copy).catalogue.by_id()["neglect"].notes_th
    assert notes[3].needs.relations == ("mother",) and notes[4].needs.is_empty()


def test_note_with_a_number_of_children_must_declare_it(data_copy):
    _edit(data_copy / "indicators.yaml",
          lambda d: _indicator(d, "no_income")["notes_th"].append("ต้องหาเงินเลี้ยงเด็กสี่คนด้วยรายได้วันละร้อยบาท"))
    msg = _load_error(data_copy)
    assert "no_income" in msg and "children: 4" in msg


@pytest.mark.parametrize("needs, message", [
    ({"siblings": 2}, "siblings"),
    ({"min_child_age": 30}, "min_child_age"),
    ({"relations": ["uncle"]}, "relations"),
    ({"children": 9}, "children"),
    ({"min_child_age": 12, "max_child_age": 3}, "above max_child_age"),
    ({"relations": ["father"], "absent": ["father"]}, "both in relations and absent"),
])
def test_impossible_or_unknown_needs_name_the_entry(data_copy, needs, message):
    _edit(data_copy / "indicators.yaml",
          lambda d: _indicator(d, "no_income")["notes_th"].append({"text": "ต้องยืมเงินเพื่อนบ้านทุกสิ้นเดือน",
                                                                   "needs": needs}))
    msg = _load_error(data_copy)
    assert "no_income" in msg and message in msg


def test_child_note_older_than_its_indicator_allows(data_copy):
    _edit(data_copy / "indicators.yaml", lambda d: _indicator(d, "developmental_delay")["notes_th"].append(
        {"text": "ไปโรงเรียนแล้วยังอ่านไม่ออก", "needs": {"min_child_age": 10}}))
    msg = _load_error(data_copy)
    assert "developmental_delay" in msg and "above the entry's age_max 6" in msg


def test_every_item_keeps_a_note_that_always_fits(data_copy):
    def change(d):
        for note in _indicator(d, "bullying")["notes_th"]:
            if isinstance(note, str):
                _indicator(d, "bullying")["notes_th"] = [{"text": n, "needs": {"min_child_age": 9}}
                                                         if isinstance(n, str) else n
                                                         for n in _indicator(d, "bullying")["notes_th"]]
    _edit(data_copy / "indicators.yaml", change)
    msg = _load_error(data_copy)
    assert "bullying" in msg and "at least one note without needs" in msg


def test_more_children_than_any_household_has(data_copy):
    _edit(data_copy / "indicators.yaml", lambda d: d["strengths"][0]["notes_th"].append(
        {"text": "พี่คนโตช่วยดูแลน้องๆ ทั้งหกคน", "needs": {"children": 6}}))
    msg = _load_error(data_copy)
    assert "protective_parent" in msg and "more than 4 children" in msg


def test_implication_must_name_child_indicators_and_a_possible_age(data_copy):
    _edit(data_copy / "indicators.yaml",
          lambda d: d["implies"].append({"indicator": "teen_pregnancy", "below_age": 5, "also": "physical_abuse"}))
    assert "below_age 5 must lie within its ages 12-18" in _load_error(data_copy)
    _edit(data_copy / "indicators.yaml",
          lambda d: d["implies"].__setitem__(-1, {"indicator": "teen_pregnancy", "below_age": 15, "also": "no_income"}))
    assert "must be a child indicator" in _load_error(data_copy)


def test_noticer_rules_are_validated(data_copy):
    path = data_copy / "journeys.yaml"
    _edit(path, lambda d: d["noticed_by"].append({"source": "police", "weight": 1}))
    msg = _load_error(data_copy)
    assert "journeys.yaml" in msg and "noticed_by[" in msg and "'police'" in msg
    _edit(path, lambda d: d.update(noticed_by=[{"source": "teacher", "weight": 2, "min_child_age": 3}]))
    assert "nobody may notice" in _load_error(data_copy)
    _edit(path, lambda d: d.update(noticed_by=[{"source": "volunteer", "weight": 1, "dimensions": ["money"]}]))
    assert "dimensions" in _load_error(data_copy)
