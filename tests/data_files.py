"""Editing a copy of the kit's data files, as a curriculum editor would."""

import yaml


def edit_yaml(path, change):
    """Load a YAML data file, let ``change`` edit the document in place, write it back."""
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(doc)
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
