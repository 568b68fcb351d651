"""Shared fixtures: one migrated console per test module, on SQLite or PostgreSQL."""

from __future__ import annotations

import pytest

from app.testing import build_test_app

FIXTURE_PLUGINS = "tests.fixture_plugins"


@pytest.fixture(scope="module")
def app(tmp_path_factory, request):
    """A console with the contract's test plugins (good and broken), built once per module."""
    return build_test_app(tmp_path_factory.mktemp(request.module.__name__.rsplit(".", 1)[-1]), plugin_packages=[FIXTURE_PLUGINS])


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def app_context(app):
    with app.app_context():
        yield


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so fixtures can see a failure (screenshots)."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report
