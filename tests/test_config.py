import shutil

import pytest
import yaml

from simulator import ConfigError, load_config
from simulator.model.config import DATA_DIR


@pytest.fixture
def data_copy(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def _edit(path, change):
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(doc)
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")


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
