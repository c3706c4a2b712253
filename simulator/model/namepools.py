"""Freeze Faker's ``th_TH`` name lists into ``data/name_pools.yaml``.

The simulator draws names from the frozen file, never from Faker at run time, so a
Faker upgrade cannot change generated data. Re-run ``python -m simulator.model.namepools``
deliberately (and update the golden test) to refresh the pools.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from simulator.model.config import DATA_DIR


def build_pools() -> dict:
    """Collect the distinct th_TH first and last names Faker knows."""
    import faker
    from faker.providers.person.th_TH import Provider

    return {
        "version": 1,
        "source": f"Faker {faker.VERSION} locale th_TH (frozen copy)",
        "first_names_female": sorted(set(Provider.first_names_female)),
        "first_names_male": sorted(set(Provider.first_names_male)),
        "last_names": sorted(set(Provider.last_names)),
    }


def write_pools(path: Path = DATA_DIR / "name_pools.yaml") -> Path:
    text = "# Thai name pools frozen from Faker (th_TH). Invented names: no real person.\n"
    text += yaml.safe_dump(build_pools(), allow_unicode=True, sort_keys=False, width=120)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return path


if __name__ == "__main__":
    print(write_pools())
