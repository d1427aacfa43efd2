"""uitpas sits on top: it may import core, events (file readers) and dashboards' helpers;
no other app imports it."""

import pytest

from tests.core.test_layout import imported_apps

LOWER = ("core", "events", "curation", "family", "museumpas", "surveys", "dashboards")


@pytest.mark.parametrize("app", LOWER)
def test_no_lower_app_imports_uitpas(app):
    assert sorted(path for path, name in imported_apps(app) if name == "uitpas") == []


def test_uitpas_imports_only_core_events_and_dashboards():
    apps = {name for _path, name in imported_apps("uitpas")}
    assert not apps & {"curation", "family", "museumpas", "surveys"}
