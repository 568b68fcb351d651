"""Every route x every role, against a file kept in the repo; CSRF on every POST; no change over GET.

The expected file fails the suite on any new, removed or changed route, so a
view added without thinking about who may reach it is caught. Regenerate it
with ``OCCE_UPDATE_EXPECTED=1 make test`` and read the diff before committing.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.actions.models import Action, Registration, RegistrationEvent
from app.directory.models import Classroom, Cooperative, Membership, Person, School, Sector, SupportContact
from app.extensions import db
from app.interventions.models import InterventionDay, InterventionRequest
from app.testing import build_test_app, login
from app.years.service import current_year
from tests.conftest import FIXTURE_PLUGINS

EXPECTED = Path(__file__).parent / "expected" / "route_matrix.txt"
USERS = ["anonyme", "partenaire", "conseil", "animation", "gestion", "admin"]
SAMPLES = {"pk": "1", "name": "inconnue", "fmt": "csv", "filename": "absent.txt", "locale": "fr"}
#: Routes a GET would not leave as it found them, for the crawler's own sake.
NOT_CRAWLED = {"/logout/"}
PUBLIC = {"/login/", "/lang/<string:locale>", "/static/<path:filename>", "/static/appbuilder/<path:filename>", "/"}


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """The real plugins of ``plugins/`` and the contract's test plugins: every route the console can serve."""
    return build_test_app(tmp_path_factory.mktemp("route_matrix"), plugin_packages=["plugins", FIXTURE_PLUGINS])


@pytest.fixture(scope="module")
def seeded(app):
    """One row of each core table, id 1, so that show and edit pages have something to show."""
    with app.app_context():
        sector = Sector(name="Laon")
        school = School(uai="0021234F", name="École Jean Macé", kind="primaire", sector=sector)
        person = Person(first_name="Claire", last_name="Martin", email="claire@ac-amiens.example", school=school)
        cooperative = Cooperative(affiliation_number="020001", school=school, sector=sector, mandataire=person)
        db.session.add_all([sector, school, person, cooperative])
        db.session.add(Classroom(school_year=current_year(), school=school, name="CP", levels="CP", cycles="2", pupils=20))
        db.session.add(Membership(cooperative=cooperative, school_year=current_year(), pupils=20, adults=2))
        db.session.add(SupportContact(cooperative=cooperative, subject="Question", channel="courriel"))
        action = Action(school_year=current_year(), code="defi", name="Défi")
        registration = Registration(action=action, school_year=current_year(), cooperative=cooperative, status="demandee")
        db.session.add_all([action, registration, RegistrationEvent(registration=registration, to_status="demandee")])
        day = InterventionDay(school_year=current_year(), day=current_year().start_date, sector=sector, animator_id=1)
        db.session.add(InterventionRequest(school_year=current_year(), cooperative=cooperative, theme_id=1, day=day))
        db.session.commit()
    return app


def concrete_url(app, rule) -> str:
    values = {argument: SAMPLES.get(argument, "1") for argument in rule.arguments}
    return app.url_map.bind("localhost").build(rule.endpoint, values)


def outcome(response) -> str:
    code = response.status_code
    if code >= 500:
        return "ERREUR"
    if code in (301, 302, 303, 307, 308):
        return "connexion" if "/login/" in response.headers.get("Location", "") else "redirection"
    return str(code)


def get_rules(app):
    return sorted((rule for rule in app.url_map.iter_rules() if "GET" in rule.methods), key=lambda rule: rule.rule)


def crawl(app) -> list[str]:
    lines = []
    for user in USERS:
        client = app.test_client()
        if user != "anonyme":
            login(client, user)
        for rule in get_rules(app):
            if rule.rule in NOT_CRAWLED:
                continue
            lines.append(f"GET {rule.rule} {user} {outcome(client.get(concrete_url(app, rule)))}")
    return lines


@pytest.fixture(scope="module")
def matrix(seeded):
    return crawl(seeded)


def test_no_route_answers_a_server_error(matrix):
    assert [line for line in matrix if line.endswith("ERREUR")] == []


def test_anonymous_visitors_reach_only_public_routes(matrix):
    reached = [line for line in matrix if " anonyme " in line and line.endswith(" 200")]
    assert all(line.split(" ")[1] in PUBLIC for line in reached), reached


def test_the_routes_match_the_expected_matrix(matrix):
    found = "\n".join(matrix) + "\n"
    if os.environ.get("OCCE_UPDATE_EXPECTED"):
        EXPECTED.write_text(found)
    assert found == EXPECTED.read_text(), "routes or rights changed: regenerate tests/expected/route_matrix.txt and review the diff"


def table_counts() -> dict[str, int]:
    models = (Sector, School, Person, Cooperative, Classroom, Membership, SupportContact, Action, Registration, RegistrationEvent, InterventionRequest, InterventionDay)
    tables = [model.__table__ for model in models]
    return {table.name: db.session.execute(select(func.count()).select_from(table)).scalar_one() for table in tables}


def test_no_state_changes_over_get(seeded, matrix):
    with seeded.app_context():
        before = table_counts()
    crawl(seeded)  # every GET route, every role, again
    with seeded.app_context():
        assert table_counts() == before


def test_every_post_route_refuses_a_missing_csrf_token(seeded):
    client = seeded.test_client()
    login(client, "admin")
    with seeded.app_context():
        before = table_counts()
    posts = [rule for rule in seeded.url_map.iter_rules() if "POST" in rule.methods]
    assert len(posts) > 20
    for rule in posts:
        response = client.post(concrete_url(seeded, rule), data={"name": "x", "action": "x", "rowid": "1"})
        # FAB's JSON API authenticates by token only (no cookie): refused as malformed or unauthenticated
        expected = (400, 401) if rule.rule.startswith("/api/") else (400,)
        assert response.status_code in expected, rule.rule
    with seeded.app_context():
        assert table_counts() == before
