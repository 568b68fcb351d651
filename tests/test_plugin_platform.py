"""The plugin platform inside a running console: Plugins page, per-year switch, isolation."""

from __future__ import annotations

import html

import pytest

from app.extensions import db
from app.plugins.switches import current_manager, enabled_codes, is_on, set_switch
from app.testing import login, post_form
from app.years.service import current_year, get_or_create_year
from tests.fixture_plugins.good_action import SWITCH_LOG
from tests.fixture_plugins.good_action.models import GoodActionParticipation

LIST_URL = "/goodactionparticipationview/list/"


@pytest.fixture
def admin(client):
    login(client, "admin")
    return client


def switch(client, code, year_id, enabled):
    data = {"code": code, "year_id": str(year_id), "enabled": "1" if enabled else "0"}
    return post_form(client, "/admin/plugins/switch", data, token_from="/admin/plugins/", follow_redirects=True)


def test_the_plugins_page_lists_every_plugin_with_its_errors(admin):
    page = admin.get("/admin/plugins/").get_data(as_text=True)
    for code in ("years", "plugins", "good_action", "broken_import", "raising_hook", "unknown_hook"):
        assert f'id="plugin-{code}"' in page
    assert "RuntimeError: panne volontaire à l'import" in html.unescape(page)
    assert "occe_views : RuntimeError: panne volontaire dans occe_views" in page
    assert "crochet inconnu « occe_dashbord_cards »" in page
    assert "Action modèle" in page and "Action départementale" in page


def test_the_console_keeps_serving_with_broken_plugins(admin):
    home = admin.get("/")
    assert home.status_code == 200
    text = home.get_data(as_text=True)
    assert "Action modèle : classes inscrites" in text  # the good plugin's card
    assert "plugin(s) en erreur" in text
    assert admin.get(LIST_URL).status_code == 200


def test_a_raising_hook_cannot_grant_itself_everything(app):
    with app.app_context():
        plugin = current_manager().get("raising_hook")
        assert "Expression non ancrée" in plugin.hook_errors["occe_role_permissions"]
    assert (".*", ".*") not in app.config["FAB_ROLES"]["Conseil"]


def test_a_new_plugin_is_on_for_the_current_year_after_upgrade(app):
    with app.app_context():
        assert "good_action" in enabled_codes(current_year())


def test_switching_off_hides_the_menu_and_keeps_rows(app, admin):
    with app.app_context():
        year = current_year()
        year_id, label = year.id, year.label
        db.session.add(GoodActionParticipation(school_year_id=year.id, school_name="École gardée", class_name="CE1"))
        db.session.commit()
    assert 'href="/goodactionparticipationview/list/"' in admin.get("/").get_data(as_text=True)

    response = switch(admin, "good_action", year_id, False)
    assert "est désactivé pour" in response.get_data(as_text=True)
    home = admin.get("/").get_data(as_text=True)
    assert 'href="/goodactionparticipationview/list/"' not in home
    assert "Action modèle : classes inscrites" not in home  # per-year hooks follow the switch
    with app.app_context():
        assert db.session.query(GoodActionParticipation).filter_by(school_name="École gardée").count() == 1
    # the view stays registered: past data remains readable by URL
    assert "École gardée" in admin.get(LIST_URL).get_data(as_text=True)

    switch(admin, "good_action", year_id, True)
    assert 'href="/goodactionparticipationview/list/"' in admin.get("/").get_data(as_text=True)
    assert (label, False) in SWITCH_LOG and SWITCH_LOG[-1] == (label, True)


def test_a_past_year_shows_the_menus_of_its_own_plugins(app, admin):
    with app.app_context():
        past = get_or_create_year("2019-2020")
        db.session.commit()
        past_id = past.id
    page = post_form(admin, "/annee/choisir", {"year_id": str(past_id), "next": "/"}, token_from="/", follow_redirects=True)
    text = html.unescape(page.get_data(as_text=True))
    assert "Vous consultez l'année 2019-2020" in text and "archive" in text
    assert 'href="/goodactionparticipationview/list/"' not in text  # off in 2019-2020
    with app.app_context():
        set_switch(current_manager(), current_manager().get("good_action"), db.session.get(type(past), past_id), True)
    assert 'href="/goodactionparticipationview/list/"' in admin.get("/").get_data(as_text=True)
    with app.app_context():
        current_id = current_year().id
    post_form(admin, "/annee/choisir", {"year_id": str(current_id)}, token_from="/")
    assert "archive" not in admin.get("/").get_data(as_text=True)


def test_core_areas_cannot_be_switched_off(app, admin):
    with app.app_context():
        year_id = current_year().id
    response = switch(admin, "years", year_id, False)
    assert "fait partie du cœur" in response.get_data(as_text=True)
    with app.app_context():
        assert is_on(current_manager().get("years"), current_year())


def test_switching_needs_a_csrf_token(app, admin):
    with app.app_context():
        year_id = current_year().id
    response = admin.post("/admin/plugins/switch", data={"code": "good_action", "year_id": year_id, "enabled": "0"})
    assert response.status_code == 400
    with app.app_context():
        assert "good_action" in enabled_codes(current_year())


@pytest.mark.parametrize("username", ["animation", "gestion", "conseil", "partenaire"])
def test_only_administrators_reach_the_plugins_page(app, username):
    client = app.test_client()
    login(client, username)
    assert client.get("/admin/plugins/").status_code in (302, 403)
    home = client.get("/").get_data(as_text=True)
    assert 'href="/admin/plugins/"' not in home  # no menu entry, no link from the dashboard card
    assert "plugin(s) en erreur" not in home
    # the staff see which actions are on; a partner's home holds only its own classes and sessions
    assert ("Actions actives en" in home) == (username != "partenaire")


def test_flask_occe_plugins_prints_the_same_listing(app):
    with app.app_context():
        label = current_year().label
    result = app.test_cli_runner().invoke(args=["occe", "plugins"])
    assert result.exit_code == 0, result.output
    assert "good_action — Action modèle 0.1.0 [Action départementale] : chargé" in result.output
    assert f"{label} actif" in result.output
    assert "broken_import" in result.output and "ERREUR : RuntimeError: panne volontaire à l'import" in result.output
    assert "crochets : occe_cli_commands, occe_cooperative_tabs, occe_dashboard_cards" in result.output


def test_a_plugin_adds_its_own_cli_commands(app):
    result = app.test_cli_runner().invoke(args=["occe", "good_action", "count"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("participations : ")
