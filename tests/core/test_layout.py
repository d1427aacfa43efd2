"""Imports go one way: core <- events <- curation <- family; nothing imports a higher app."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LAYERS = ("core", "events", "curation", "family")


def imported_apps(app: str) -> set[tuple[str, str]]:
    found = set()
    for path in (ROOT / app).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            found.update((str(path.relative_to(ROOT)), name.split(".")[0]) for name in names)
    return found


@pytest.mark.parametrize("app", LAYERS)
def test_no_app_imports_a_higher_one(app):
    higher = set(LAYERS[LAYERS.index(app) + 1 :])
    imports = imported_apps(app)
    offending = sorted(f"{path} imports {name}" for path, name in imports if name in higher)
    assert offending == []
