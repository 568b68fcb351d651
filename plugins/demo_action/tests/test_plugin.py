"""Tests of Action de démonstration, generated with the plugin: they pass untouched."""

import pytest

from app.extensions import db
from app.testing import build_test_app, login, post_form, schema_differences

from ..models import DemoActionParticipation

PACKAGE = __package__.rsplit(".", 2)[0]
LIST_URL = "/demoactionparticipationview/list/"
ADD_URL = "/demoactionparticipationview/add"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return build_test_app(tmp_path_factory.mktemp("demo_action"), plugin_packages=[PACKAGE])


def test_plugin_is_loaded_and_on_for_the_current_year(app):
    from app.plugins.switches import current_manager, is_on
    from app.years.service import current_year

    with app.app_context():
        plugin = current_manager().get("demo_action")
        assert plugin.ok, plugin.errors
        assert is_on(plugin, current_year())


def test_migrations_match_the_models(app):
    assert schema_differences(app, "demo_action") == []


def test_animation_adds_a_participation_in_french(app):
    client = app.test_client()
    login(client, "animation")
    response = post_form(client, ADD_URL, {"school_name": "École test", "class_name": "CP", "pupils": "21"}, follow_redirects=True)
    assert response.status_code == 200
    assert "Participations" in response.get_data(as_text=True)
    with app.app_context():
        row = db.session.query(DemoActionParticipation).filter_by(school_name="École test").one()
        assert row.pupils == 21 and row.school_year.is_current


def test_a_class_of_90_pupils_is_refused_in_french(app):
    client = app.test_client()
    login(client, "animation")
    response = post_form(client, ADD_URL, {"school_name": "École trop pleine", "class_name": "CM2", "pupils": "90"})
    assert "Entre 1 et 40 élèves par classe." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(DemoActionParticipation).filter_by(school_name="École trop pleine").count() == 0


def test_board_reads_but_cannot_add(app):
    client = app.test_client()
    login(client, "conseil")
    assert client.get(LIST_URL).status_code == 200
    response = client.get(ADD_URL)
    assert response.status_code in (302, 403)
