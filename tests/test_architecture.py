"""The package's wings depend on each other in one direction only.

A module may import from its own wing and from wings listed before it in ``LAYERS``;
an import the other way (the model reaching into figures, say) is a design error that
makes the dashboards and the practice platform harder to attach later.
"""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "simulator"
LAYERS = ("thai", "model", "exercises", "figures", "dashboards", "platform", "widgets", "export", "workshop", "cli")
RANK = {wing: rank for rank, wing in enumerate(LAYERS)}
# export and workshop sit side by side: neither needs the other.
SIDE_BY_SIDE = {frozenset({"export", "workshop"})}


def wing_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "simulator" or len(parts) < 2:
        return None
    return parts[1] if parts[1] in RANK else None


def imported_modules(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: -node.level]
                found.append(".".join(base + ([node.module] if node.module else [])))
            elif node.module:
                found.append(node.module)
    return found


MODULES = sorted(p for p in PACKAGE.rglob("*.py") if wing_of(
    ".".join(p.relative_to(PACKAGE.parent).with_suffix("").parts)))


def test_every_module_lives_in_a_wing():
    loose = [p.name for p in PACKAGE.glob("*.py") if p.stem not in {"__init__", "__main__", "cli"}]
    assert not loose, f"modules outside a wing: {loose}; put each in the wing of its capability"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_flow_one_way(path):
    own = wing_of(".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts))
    upward = []
    for module in imported_modules(path):
        other = wing_of(module)
        if other is None or other == own:
            continue
        if RANK[other] > RANK[own] or frozenset({own, other}) in SIDE_BY_SIDE:
            upward.append(module)
    assert not upward, f"{path.relative_to(PACKAGE)} ({own}) imports from a later layer: {upward}"


def test_the_thai_wing_depends_on_no_other_wing():
    for path in (PACKAGE / "thai").glob("*.py"):
        others = {wing_of(m) for m in imported_modules(path)} - {None, "thai"}
        assert not others, f"{path.name} imports {others}"


def test_the_architecture_chapter_names_every_wing_and_module():
    chapter = (PACKAGE.parent / "book" / "reference" / "architecture.md").read_text(encoding="utf-8")
    for wing in sorted(p for p in PACKAGE.iterdir() if (p / "__init__.py").exists()):
        assert f"simulator/{wing.name}/" in chapter, f"the architecture chapter does not mention {wing.name}/"
        for module in wing.glob("*.py"):
            if module.stem != "__init__":
                assert f"`{module.name}`" in chapter, f"the architecture chapter does not list {wing.name}/{module.name}"
