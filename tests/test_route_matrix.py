"""Every route x every role, against a file kept in the repo; CSRF on every POST; no change over GET.

The expected file fails the suite on any new, removed or changed route, so a
view added without thinking about who may reach it is caught. Regenerate it
with ``OCCE_UPDATE_EXPECTED=1 make test`` and read the diff before committing.
"""

from __future__ import annotations

import os
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, inspect, select

from app.accounts.models import AccountCheck, Crfs
from app.actions.models import Action, Registration, RegistrationEvent
from app.aid.models import AidRequest
from app.association.models import BoardMember, Decision, Meeting, MeetingAttendee, Partner, PartnerAdvantage, PartnerContact, WorkingGroup, WorkingGroupMember
from app.directory.models import Classroom, Cooperative, Membership, Person, School, Sector, SupportContact
from app.extensions import db
from app.interventions.models import InterventionDay, InterventionRequest
from app.partners.models import ActionPartner, PartnerAccount, PartnerEvent, PartnerSession
from plugins.bals.models import BalsClassDance
from plugins.chevregny.models import ChevregnyApplication, ChevregnyDay, ChevregnyWorkshop
from plugins.poesie.models import PoesieChapter, PoesieDossier, PoesieProduction, PoesieResource
from plugins.thea.models import TheaClassProject
from app.sales.models import Order, OrderLine, Product
from app.testing import build_test_app, login
from app.trainings.models import TrainingRegistration, TrainingSession
from app.uploads.service import store_bytes
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
    """One row of each core table, id 1, so that show and edit pages have something to show.

    A handful of rows, not the demonstration: the crawl visits every route as
    every role, and over the demonstration's 469 cooperatives it took minutes.
    """
    with app.app_context():
        year = current_year()
        partner_user_id = app.appbuilder.sm.find_user(username="partenaire").id
        now = datetime.combine(year.start_date, datetime.min.time()).replace(hour=9)
        sector = Sector(name="Laon")
        school = School(uai="0021234F", name="École Jean Macé", kind="primaire", sector=sector)
        person = Person(first_name="Claire", last_name="Martin", email="claire@ac-amiens.example", school=school)
        cooperative = Cooperative(affiliation_number="020001", school=school, sector=sector, mandataire=person)
        db.session.add_all([sector, school, person, cooperative])
        classroom = Classroom(school_year=year, school=school, name="CP", levels="CP", cycles="2", pupils=20, teacher=person)
        db.session.add_all([classroom, Membership(cooperative=cooperative, school_year=year, pupils=20, adults=2)])
        db.session.add(SupportContact(cooperative=cooperative, subject="Question", channel="courriel"))
        action = Action(school_year=year, code="defi", name="Défi")
        registration = Registration(action=action, school_year=year, cooperative=cooperative, classroom=classroom, status="retenue")
        db.session.add_all([action, registration, RegistrationEvent(registration=registration, to_status="demandee")])
        day = InterventionDay(school_year=year, day=year.start_date, sector=sector, animator_id=1)
        db.session.add(InterventionRequest(school_year=year, cooperative=cooperative, theme_id=1, day=day))
        # management (issue 7) and partners
        quitus = store_bytes("quitus.pdf", b"%PDF-1.4 seed", "pdf")
        crfs = Crfs(cooperative=cooperative, school_year=year, due_on=year.end_date, quitus_file=quitus)
        db.session.add_all([crfs, AccountCheck(cooperative=cooperative, school_year=year, crfs=crfs)])
        db.session.add(AidRequest(school_year=year, cooperative=cooperative, project_title="Potager", amount_requested=Decimal("300"), received_on=year.start_date))
        product = Product(school_year=year, name="Agenda coop cycle 2", unit_price=Decimal("6.50"))
        order = Order(school_year=year, cooperative=cooperative, ordered_on=year.start_date)
        db.session.add_all([product, order, OrderLine(order=order, product=product, quantity=3, unit_price=Decimal("6.50"))])
        session = TrainingSession(training_id=1, school_year=year, place="laon", starts_at=now, hours=Decimal("3"), capacity=12)
        db.session.add_all([session, TrainingRegistration(session=session, first_name="Claire", last_name="Martin", email="claire@ac-amiens.example", registered_at=now)])
        member = BoardMember(first_name="Anne", last_name="Lefèvre")
        group = WorkingGroup(name="Commission actions")
        meeting = Meeting(school_year=year, kind="ca", title="Conseil d'administration", starts_at=now)
        # the THEA plugin, switched on, already tied its companies to its action
        partner = db.session.query(Partner).filter_by(name="Théâtre de La Mascara").one_or_none() or Partner(name="Théâtre de La Mascara")
        db.session.add_all([member, group, meeting, partner])
        db.session.add_all([
            WorkingGroupMember(working_group=group, board_member=member),
            MeetingAttendee(meeting=meeting, board_member=member),
            Decision(meeting=meeting, number=1, text="Adopter le budget"),
            PartnerContact(partner=partner, last_name="Durand"),
            PartnerAdvantage(partner=partner, description="Entrée gratuite"),
            PartnerAccount(user_id=partner_user_id, partner=partner),
            ActionPartner(action=action, partner=partner),
            PartnerSession(school_year_id=year.id, partner=partner, action=action, registration=registration, artist="Léa", starts_at=now, hours=Decimal("2")),
        ])  # fmt: skip
        # partner-led actions and the plugins of issue 10, the teachers' links of issue 11
        db.session.flush()
        event = PartnerEvent(school_year_id=year.id, action=action, kind="rencontre", title="Rencontre", held_on=year.end_date, venue="Laon")
        event.registrations.append(registration)
        day = ChevregnyDay(school_year_id=year.id, label="Journée 1", day=year.end_date)
        dossier = PoesieDossier(school_year_id=year.id, action_id=action.id, title="Dossier")
        chapter = PoesieChapter(school_year_id=year.id, action_id=action.id, title="Les saisons")
        db.session.add_all([event, day, dossier, chapter])
        db.session.add_all([
            TheaClassProject(registration=registration, action_id=action.id, school_year_id=year.id, title="La Soupe au caillou", duration_minutes=12),
            BalsClassDance(registration=registration, action_id=action.id, school_year_id=year.id, dances="Chapelloise", dancers=20),
            ChevregnyWorkshop(day=day, school_year_id=year.id, name="Visite du musée"),
            ChevregnyApplication(school_year_id=year.id, registration=registration, day=day, pupils=20),
            PoesieResource(dossier=dossier, action_id=action.id, title="Lien", url="https://www.occe.coop/"),
            PoesieProduction(school_year_id=year.id, action_id=action.id, registration=registration, title="Mon village", text="Un poème.", chapter=chapter),
        ])  # fmt: skip
        db.session.commit()
    with app.test_request_context():
        from app.teachers.service import links_for

        links_for([1], current_year())
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
def crawled(seeded):
    """One crawl serves every test below: the lines, and the row counts before and after it."""
    with seeded.app_context():
        before = table_counts()
    lines = crawl(seeded)
    with seeded.app_context():
        after = table_counts()
    return lines, before, after


@pytest.fixture(scope="module")
def matrix(crawled):
    return crawled[0]


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
    """Rows in every table of the core and the plugins (FAB's login bookkeeping changes no count).

    Only the tables of this database: other test modules may have imported plugins it does not have.
    """
    present = set(inspect(db.engine).get_table_names())
    tables = [table for table in db.metadata.sorted_tables if table.name in present]
    return {table.name: db.session.execute(select(func.count()).select_from(table)).scalar_one() for table in tables}


def test_the_crawl_had_rows_to_show(crawled):
    """Show and edit pages answer 404 on an empty table: the seed gives them a row."""
    _lines, before, _after = crawled
    seeded_tables = (
        "occe_cooperative", "occe_registration", "occe_intervention_request", "occe_crfs", "occe_account_check", "occe_aid_request",
        "occe_product", "occe_order", "occe_training_session", "occe_training_registration", "occe_meeting", "occe_decision",
        "occe_board_member", "occe_working_group", "occe_partner", "occe_partner_account", "occe_partner_session", "occe_stored_file",
    )  # fmt: skip
    assert [table for table in seeded_tables if not before.get(table)] == []


def test_no_state_changes_over_get(crawled):
    _lines, before, after = crawled
    assert {name: (before[name], after[name]) for name in before if before[name] != after[name]} == {}


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
