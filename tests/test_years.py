"""School years: labels, bounds, one current year, the admin pages."""

from __future__ import annotations

import html
from datetime import date

import pytest

from app.extensions import db
from app.testing import login, post_form
from app.years import service
from app.years.models import SchoolYear


@pytest.mark.parametrize(
    "day, label",
    [(date(2025, 9, 1), "2025-2026"), (date(2026, 8, 31), "2025-2026"), (date(2026, 11, 27), "2026-2027"), (date(2026, 1, 5), "2025-2026")],
)
def test_the_year_of_a_day(day, label):
    assert service.label_for(day) == label


def test_bounds_run_from_1_september_to_31_august():
    assert service.bounds("2025-2026") == (date(2025, 9, 1), date(2026, 8, 31))
    assert service.previous_label("2025-2026") == "2024-2025"


@pytest.mark.parametrize(
    "label, message",
    [("2025-2026", None), ("2025/2026", "AAAA-AAAA"), ("2025-2027", "« 2025-2026 »"), ("1900-1901", "hors des limites")],
)
def test_label_rules_speak_french(label, message):
    problem = service.label_problem(label)
    assert (problem is None) if message is None else (message in problem)


def test_only_one_year_is_current(app_context):
    first = service.get_or_create_year("2030-2031")
    second = service.get_or_create_year("2031-2032")
    service.set_current(first)
    service.set_current(second)
    db.session.commit()
    current = db.session.query(SchoolYear).filter_by(is_current=True).all()
    assert current == [second]
    service.set_current(service.get_year(service.label_for(date.today())))
    db.session.commit()


def test_adding_a_bad_label_keeps_the_form_and_explains(client, app):
    login(client, "admin")
    response = post_form(client, "/schoolyearview/add", {"label": "2027-2029"})
    text = html.unescape(response.get_data(as_text=True))
    assert "Une année scolaire va d'une année à la suivante : « 2027-2028 »." in text
    assert 'value="2027-2029"' in text  # what was typed is kept
    with app.app_context():
        assert service.get_year("2027-2029") is None


def test_adding_a_year_derives_its_dates(client, app):
    login(client, "admin")
    response = post_form(client, "/schoolyearview/add", {"label": "2040-2041"}, follow_redirects=True)
    assert response.status_code == 200
    with app.app_context():
        year = service.get_year("2040-2041")
        assert (year.start_date, year.end_date, year.is_current) == (date(2040, 9, 1), date(2041, 8, 31), False)


def test_the_year_list_is_in_french(client):
    login(client, "admin")
    text = html.unescape(client.get("/schoolyearview/list/").get_data(as_text=True))
    for words in ("Années scolaires", "Année courante", "Début", "Oui", "Non", "Nombre de fiches"):
        assert words in text
    assert "True" not in text and "Record Count" not in text


def test_set_current_from_the_show_page(client, app):
    with app.app_context():
        year = service.get_or_create_year("2050-2051")
        db.session.commit()
        year_id = year.id
        before = service.current_year().id
    login(client, "admin")
    response = post_form(client, "/schoolyearview/action_post", {"action": "set_current", "rowid": str(year_id)},
                         token_from=f"/schoolyearview/show/{year_id}", follow_redirects=True)
    assert "2050-2051 est désormais l'année courante." in html.unescape(response.get_data(as_text=True))
    with app.app_context():
        assert service.current_year().id == year_id
        service.set_current(db.session.get(SchoolYear, before))
        db.session.commit()
