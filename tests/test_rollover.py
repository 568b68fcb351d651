"""The year rollover: what carries over, what stays archived, and that running it twice changes nothing."""

from __future__ import annotations

from datetime import date

import pytest

from app.actions import service
from app.actions.catalogue import actions_of, ensure_action
from app.actions.models import Registration
from app.directory.models import Classroom, Cooperative, School
from app.extensions import db
from app.plugins.switches import current_manager, enabled_codes, set_switch
from app.testing import login, post_form
from app.years.rollover import next_label, one_year_later, open_next_year, plan_rollover
from app.years.service import current_year, get_year
from tests.fixture_plugins.good_action import YEARS_OPENED


@pytest.fixture(scope="module")
def last_year(app):
    """The current year, with a plugin on, two actions (one repeated) and a class registered."""
    with app.app_context():
        year = current_year()
        set_switch(current_manager(), current_manager().get("good_action"), year, True)
        school = School(uai="0020001R", name="École du Centre", commune="Hirson")
        coop = Cooperative(affiliation_number="020601", school=school, status="active")
        classroom = Classroom(school_year=year, school=school, name="CM2 Centre", levels="CM2", cycles="3", pupils=25)
        db.session.add_all([school, coop, classroom])
        repeated = ensure_action(year, "defi", "Défi de l'année", opens_on=date(year.start_date.year, 9, 1), closes_on=date(year.start_date.year + 1, 2, 29 if (year.start_date.year + 1) % 4 == 0 else 28), capacity=10)
        ensure_action(year, "unique", "Action d'un an", repeat_next_year=False)
        db.session.commit()
        registration = service.register(repeated, coop, classroom, today=repeated.opens_on)
        return {"year": year.label, "registration": registration.id}


def test_dates_move_one_year_on_even_from_29_february():
    assert one_year_later(date(2028, 2, 29)) == date(2029, 2, 28)
    assert one_year_later(date(2026, 9, 1)) == date(2027, 9, 1)
    assert one_year_later(None) is None
    assert next_label("2025-2026") == "2026-2027"


def test_the_plan_says_what_will_carry_over_without_writing(app, last_year):
    with app.app_context():
        plan = plan_rollover(current_year(), roll_classes=True)
        assert plan.label == next_label(last_year["year"]) and not plan.year_exists
        assert plan.switches == ["good_action"]
        assert [action.code for action in plan.actions] == ["defi"]
        assert [c.name for c in plan.classes] == ["CM2 Centre"]
        assert get_year(plan.label) is None


def test_occe_year_opened_after_switches_and_actions_carried(app, last_year):
    with app.app_context():
        previous = current_year()
        report = open_next_year(previous, roll_classes=True)
        new = report.year
        assert report.created and report.switches == ("good_action",) and report.actions == ("Défi de l'année",) and report.classes == 1
        assert "good_action" in enabled_codes(new)
        copied = {action.code: action for action in actions_of(new)}
        assert set(copied) == {"defi"}
        assert copied["defi"].opens_on == one_year_later(date(previous.start_date.year, 9, 1)) and copied["defi"].capacity == 10
        assert db.session.query(Classroom).filter_by(school_year_id=new.id, name="CM2 Centre").count() == 1
        assert YEARS_OPENED == [(previous.label, new.label)]
        # last year's registrations stay in last year, and the current year did not change
        registration = db.session.get(Registration, last_year["registration"])
        assert registration.school_year.label == previous.label and registration.action.school_year_id == previous.id
        assert current_year().label == previous.label


def test_running_the_rollover_twice_changes_nothing(app, last_year):
    with app.app_context():
        new = get_year(next_label(last_year["year"]))
        counts = (len(actions_of(new)), db.session.query(Classroom).filter_by(school_year_id=new.id).count())
        report = open_next_year(current_year(), roll_classes=True)
        assert not report.created and report.switches == () and report.actions == () and report.classes == 0
        assert (len(actions_of(new)), db.session.query(Classroom).filter_by(school_year_id=new.id).count()) == counts
        assert len(YEARS_OPENED) == 1


def test_a_switch_set_for_the_new_year_is_respected(app, last_year):
    with app.app_context():
        new = get_year(next_label(last_year["year"]))
        set_switch(current_manager(), current_manager().get("good_action"), new, False)
        open_next_year(current_year())
        assert "good_action" not in enabled_codes(new)


def test_new_year_command_reports_in_french(app, last_year):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["occe", "new-year"])
    assert result.exit_code == 0, result.output
    assert f"Année {next_label(last_year['year'])} : déjà ouverte." in result.output and "Rien à faire" in result.output
    result = runner.invoke(args=["occe", "new-year", "--from", "1990-1991"])
    assert result.exit_code != 0 and "Année scolaire « 1990-1991 » introuvable." in result.output


def test_only_administrators_open_a_year_from_the_console(app, last_year):
    admin = app.test_client()
    login(admin, "admin")
    page = admin.get("/annee/nouvelle/").get_data(as_text=True)
    # the confirmation is a JSON string in a single-quoted attribute: an apostrophe no longer ends the script
    assert "onsubmit='return confirm(\"Ouvrir l\\u0027ann\\u00e9e" in page
    assert "rollover-plan" in page and "déjà créée" in page
    response = post_form(admin, "/annee/nouvelle/ouvrir", {"classes": "1"}, token_from="/annee/nouvelle/")
    assert response.status_code == 302
    follow = admin.get("/annee/nouvelle/").get_data(as_text=True)
    assert "Rien à faire : tout est déjà reporté." in follow
    gestion = app.test_client()
    login(gestion, "gestion")
    assert gestion.get("/annee/nouvelle/").status_code in (302, 403)
