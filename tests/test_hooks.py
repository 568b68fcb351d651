"""One test per hook of the contract (the meta-test in test_hookspecs.py checks that none is missing)."""

from __future__ import annotations

from functools import partial

from app.extensions import db
from app.home import dashboard_cards
from app.plugins.switches import current_manager, on_for_viewed_year, set_switch
from app.testing import login, post_form
from app.years.service import current_year, get_or_create_year
from tests.fixture_plugins.good_action import SWITCH_LOG
from tests.fixture_plugins.good_action.models import GoodActionParticipation


def test_occe_role_permissions_reach_the_staff_roles(app):
    roles = app.config["FAB_ROLES"]
    assert ("^(GoodActionParticipationView)$", "^(can_list|can_show|can_add|can_edit|can_delete)$") in roles["Animation"]
    assert ("^(GoodActionParticipationView)$", "^(can_list|can_show)$") in roles["Gestion"]
    assert not any("GoodAction" in view for view, _ in roles["Partenaire"])
    gestion = app.test_client()
    login(gestion, "gestion")
    assert gestion.get("/goodactionparticipationview/list/").status_code == 200
    refused = post_form(gestion, "/goodactionparticipationview/add", {"school_name": "X", "class_name": "Y"}, token_from="/goodactionparticipationview/list/")
    assert refused.status_code in (302, 403)
    with app.app_context():
        assert db.session.query(GoodActionParticipation).filter_by(school_name="X").count() == 0
    partenaire = app.test_client()
    login(partenaire, "partenaire")
    assert partenaire.get("/goodactionparticipationview/list/").status_code in (302, 403)


def test_occe_views_registers_views_whose_menu_follows_the_year(app):
    items = {child.name: child for item in app.appbuilder.menu.get_list() for child in item.childs}
    cond = items["GoodActionParticipations"].cond
    assert isinstance(cond, partial) and cond.func is on_for_viewed_year and cond.args == ("good_action",)
    assert items["SchoolYears"].cond is None and items["Plugins"].cond is None  # core areas are always shown
    assert "GoodActionParticipationView" in [view.__class__.__name__ for view in app.appbuilder.baseviews]


def test_occe_cli_commands_get_a_group_named_after_the_plugin(app):
    occe = app.cli.commands["occe"]
    assert "count" in occe.commands["good_action"].commands
    assert "raising_hook" not in occe.commands


def test_occe_dashboard_cards_come_only_from_plugins_on_that_year(app):
    with app.test_request_context():
        year = current_year()
        manager = current_manager()
        set_switch(manager, manager.get("raising_hook"), year, True)  # its cards raise: the others still show
        titles = [card.title for card in dashboard_cards(year)]
        set_switch(manager, manager.get("raising_hook"), year, False)
        assert "Action modèle : classes inscrites" in titles and titles[0] == "Année courante"
        old = get_or_create_year("2001-2002")
        db.session.commit()
        assert "Action modèle : classes inscrites" not in [card.title for card in dashboard_cards(old)]
    with app.app_context():
        assert "panne volontaire dans occe_dashboard_cards" in current_manager().get("raising_hook").hook_errors["occe_dashboard_cards"]


def test_occe_plugin_switched_is_told_of_each_change(app):
    with app.app_context():
        manager = current_manager()
        year = get_or_create_year("2003-2004")
        db.session.commit()
        SWITCH_LOG.clear()
        assert set_switch(manager, manager.get("good_action"), year, True) is True
        assert set_switch(manager, manager.get("good_action"), year, True) is False  # no change, no call
        assert set_switch(manager, manager.get("good_action"), year, False) is True
        assert SWITCH_LOG == [("2003-2004", True), ("2003-2004", False)]


def test_occe_demo_data_fills_the_years_where_the_plugin_is_on(app):
    result = app.test_cli_runner().invoke(args=["occe", "demo"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        year = current_year()
        rows = db.session.query(GoodActionParticipation).filter_by(school_year_id=year.id).count()
        assert rows >= 3
        previous = get_or_create_year("2002-2003")
        db.session.commit()
        assert db.session.query(GoodActionParticipation).filter_by(school_year_id=previous.id).count() == 0


def test_occe_report_sections_come_only_from_plugins_on_that_year_and_a_failure_is_named(app):
    from app.report.collect import build_report

    with app.test_request_context():
        year = current_year()
        manager = current_manager()
        set_switch(manager, manager.get("raising_hook"), year, True)
        report = build_report(year)
        set_switch(manager, manager.get("raising_hook"), year, False)
        titles = [section.title for section in report.sections]
        assert "Action modèle" in titles and report.missing == ["Crochets en panne"]
        assert [section.order for section in report.sections] == sorted(section.order for section in report.sections)
        old = get_or_create_year("2002-2003")
        db.session.commit()
        assert "Action modèle" not in [section.title for section in build_report(old).sections]
        assert build_report(old).missing == []
