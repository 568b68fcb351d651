"""The core areas' sections of the activity report: figures equal the console's lists (demo data), wording rules."""

from __future__ import annotations

import html
import re
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.testing import build_test_app, login, post_form

CORE_ORDERS = {
    "directory": 10,
    "actions": 20,
    "interventions": 25,
    "accounts": 30,
    "aid": 40,
    "loans": 50,
    "sales": 55,
    "trainings": 60,
    "association": 80,
}
REPORT_YEAR = "2025-2026"
COUNT = re.compile(r"Nombre de fiches\s*:?\s*(?:</strong>)?\s*:?\s*([\d\s\u202f\u00a0]+)")


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """One console with every plugin of the project and the demonstration data (``flask occe demo``)."""
    app = build_test_app(tmp_path_factory.mktemp("report_sections"), plugin_packages=["plugins"])
    with app.app_context():
        from app.demo import load_demo

        load_demo()
    return app


@pytest.fixture(scope="module")
def admin(app):
    client = app.test_client()
    login(client, "admin")
    return client


def _year(label: str):
    from app.years.service import get_year

    return get_year(label)


def _sections(app, label: str = REPORT_YEAR) -> dict:
    """Every core section of ``label``'s report, through the hook, by plugin code."""
    from app.plugins.switches import current_manager

    with app.app_context():
        year = _year(label)
        answers = current_manager().call("occe_report_sections", year=year)
        return {plugin.code: sections for plugin, sections in answers if plugin.code in CORE_ORDERS}


def _section(app, code: str, label: str = REPORT_YEAR):
    sections = _sections(app, label)[code]
    assert len(sections) == 1
    return sections[0]


def _view_year(client, app, label: str) -> None:
    with app.app_context():
        year_id = _year(label).id
    response = post_form(client, "/annee/choisir", {"year_id": str(year_id)}, token_from="/")
    assert response.status_code == 302


def _list_count(client, url: str) -> int:
    """FAB's record count at the bottom of a list page (0 when the list says it is empty)."""
    response = client.get(url)
    assert response.status_code == 200, url
    text = html.unescape(response.get_data(as_text=True))
    match = COUNT.search(text)
    if match is None:  # FAB prints no count under an empty list
        assert "<tbody" not in text or "data-pk" not in text, url
        return 0
    return int(re.sub(r"\D", "", match.group(1)))


def _figure(section, label: str) -> str:
    return dict(section.figures)[label]


def _n(value: int) -> str:
    return f"{value:,}".replace(",", "\u202f")


# --- every core area answers the hook, in its place -------------------------------------------------


def test_each_core_area_gives_one_french_section_in_its_order(app):
    sections = _sections(app)
    assert set(sections) == set(CORE_ORDERS)
    for code, order in CORE_ORDERS.items():
        (section,) = sections[code]
        assert section.order == order
        assert section.paragraphs and all(isinstance(value, str) for _label, value in section.figures)


# --- figures equal the console's lists (demo data, 2025-2026 viewed) --------------------------------


def test_members_equal_the_membership_list_and_the_activity_plan(app, admin):
    section = _section(app, "directory")
    with app.app_context():
        from app.directory.models import Membership

        year = _year(REPORT_YEAR)
        year_id = year.id
        members = db_scalar(select(func.sum(Membership.pupils + Membership.adults)).filter(Membership.school_year_id == year_id))
    listed = _list_count(admin, f"/membershipview/list/?_flt_0_school_year={year_id}")
    assert _figure(section, "Coopératives adhérentes") == _n(listed) == "469"
    assert _figure(section, "Adhérents") == _n(members) == "48\u202f230"
    assert _figure(section, "Par rapport à 2024-2025") == "1\u202f753 de moins"
    assert section.paragraphs[0] == "469 coopératives adhérentes, 48\u202f230 adhérents pour 2025-2026 (1\u202f753 de moins qu'en 2024-2025)."
    (sectors, *_rest) = section.tables
    assert sectors.total == ("Total", 469, 48230)
    assert sum(row[1] for row in sectors.rows) == 469 and sum(row[2] for row in sectors.rows) == 48230
    line, bars = section.charts
    assert line.kind == "line" and line.labels[:2] == ("2024-2025", "2025-2026") and line.values[1] == 48230.0
    assert bars.kind == "bar" and sum(bars.values) == 48230.0


def test_registrations_per_action_equal_the_registration_list(app, admin):
    section = _section(app, "actions")
    _view_year(admin, app, REPORT_YEAR)
    with app.app_context():
        from app.actions.models import Action

        actions = {name: action_id for action_id, name in db_rows(select(Action.id, Action.name).filter(Action.school_year_id == _year(REPORT_YEAR).id))}
    (per_action, *_rest) = section.tables
    assert {row[0] for row in per_action.rows} == set(actions)
    assert _list_count(admin, "/actionview/list/") == len(actions) == int(_figure(section, "Actions"))
    for name, registrations, accepted, done, _pupils in per_action.rows:
        assert _list_count(admin, f"/registrationview/list/?_flt_0_action={actions[name]}") == registrations, name
        assert _list_count(admin, f"/registrationview/list/?_flt_0_action={actions[name]}&_flt_0_status=retenue") == accepted, name
    assert _list_count(admin, "/registrationview/list/") == per_action.total[1]
    assert _figure(section, "Inscriptions") == _n(per_action.total[1])
    chart = section.charts[0]
    assert chart.title == "Classes par action" and chart.labels == tuple(row[0] for row in per_action.rows)


def test_crfs_equal_the_crfs_list_of_the_viewed_year(app, admin):
    section = _section(app, "accounts")
    _view_year(admin, app, REPORT_YEAR)
    (crfs, checks) = section.tables
    assert crfs.title == "CRFS de l'exercice 2024-2025"  # the campaign run during 2025-2026
    assert _list_count(admin, "/crfs/list/") == crfs.total[1]
    by_status = dict(crfs.rows)
    codes = {"Non reçu": "non_recu", "En retard": "en_retard", "Reçu": "recu", "Reçu en retard": "recu_en_retard", "Incomplet": "incomplet"}
    for label, code in codes.items():
        assert _list_count(admin, f"/crfs/list/?_flt_0_status={code}") == by_status[label], label
    received = by_status["Reçu"] + by_status["Reçu en retard"] + by_status["Incomplet"]
    assert _figure(section, "CRFS 2024-2025 reçus") == _n(received)
    assert _list_count(admin, "/verifications/list/") == checks.total[2]


def test_trainings_equal_the_session_list_and_name_the_cancelled_session(app, admin):
    section = _section(app, "trainings")
    _view_year(admin, app, REPORT_YEAR)
    held, cancelled = section.tables
    assert _list_count(admin, "/trainingsessionview/list/?_flt_0_status=tenue") == held.total[1] == 15
    assert _list_count(admin, "/trainingsessionview/list/?_flt_0_status=annulee") == len(cancelled.rows) == 1
    assert _figure(section, "Sessions tenues") == "15"
    assert _figure(section, "Heures de formation") == "31 h 30"
    assert _figure(section, "Présents / inscrits") == f"{held.total[3]} / {held.total[4]}"
    with app.app_context():
        from app.trainings.models import HELD, TrainingSession

        hours = db_scalar(select(func.sum(TrainingSession.hours)).filter(TrainingSession.school_year_id == _year(REPORT_YEAR).id, TrainingSession.status == HELD))
        registered = db_scalar(select(func.sum(TrainingSession.registered)).filter(TrainingSession.school_year_id == _year(REPORT_YEAR).id, TrainingSession.status == HELD))
    assert Decimal(hours) == held.total[2] and registered == held.total[4]
    assert "L'argent à l'école (nouveaux mandataires) — Soissons, le 08/10/2025 : annulée faute d'inscrits (2 inscrits pour 6 au minimum)." in section.paragraphs


def test_other_sections_equal_their_lists(app, admin):
    _view_year(admin, app, REPORT_YEAR)
    aid = _section(app, "aid")
    assert _list_count(admin, "/aidrequestview/list/") == aid.tables[0].total[1] == int(_figure(aid, "Demandes d'aide"))
    interventions = _section(app, "interventions")
    assert _list_count(admin, "/interventionrequestview/list/") == int(_figure(interventions, "Demandes reçues"))
    assert _list_count(admin, "/interventionrequestview/list/?_flt_0_status=realisee") == int(_figure(interventions, "Interventions réalisées"))
    association = _section(app, "association")
    assert _list_count(admin, "/decisionview/list/") == int(_figure(association, "Décisions"))
    assert _list_count(admin, "/meetingview/list/") >= int(_figure(association, "Réunions tenues"))
    sales = _section(app, "sales")
    with app.app_context():
        from app.sales.models import CANCELLED as ORDER_CANCELLED, Order

        cancelled_orders = db_scalar(select(func.count(Order.id)).filter(Order.school_year_id == _year(REPORT_YEAR).id, Order.status == ORDER_CANCELLED))
    assert _list_count(admin, "/orderview/list/") - cancelled_orders == int(_figure(sales, "Commandes"))
    loans = _section(app, "loans")
    with app.app_context():
        from app.loans.models import CANCELLED, Loan

        loans_of_year = db_scalar(select(func.count(Loan.id)).filter(Loan.school_year_id == _year(REPORT_YEAR).id, Loan.status != CANCELLED))
    assert _figure(loans, "Prêts") == _n(loans_of_year) and loans.tables[0].total[1] == loans_of_year


# --- hand-made world: the tricky rules ----------------------------------------------------------------


@pytest.fixture(scope="module")
def world(app):
    """Two far years: 2040-2041 grows against 2039-2040; one action with classes of every cycle; two cancelled sessions."""
    from app.actions.models import ACCEPTED, DONE, REFUSED, Action, Registration
    from app.directory.models import Classroom, Cooperative, Membership, School, Sector
    from app.directory.rules import cycles_of
    from app.extensions import db
    from app.trainings.models import CANCELLED, HELD, REGISTERED, Training, TrainingRegistration, TrainingSession
    from app.years.service import get_or_create_year

    with app.app_context():
        before, year = get_or_create_year("2039-2040"), get_or_create_year("2040-2041")
        sector = Sector(name="Secteur du Rapport")
        school = School(uai="0029991A", name="École du Rapport", commune="Hirson", sector=sector)
        coops = [Cooperative(affiliation_number=f"02R{n:03d}", school=school, sector=sector, status="active") for n in range(3)]
        db.session.add_all([sector, school, *coops])
        db.session.flush()
        db.session.add_all([Membership(cooperative_id=coops[0].id, school_year_id=before.id, pupils=100, adults=5)])
        db.session.add_all([Membership(cooperative_id=coop.id, school_year_id=year.id, pupils=50, adults=3) for coop in coops[:2]])
        action = Action(school_year_id=year.id, code="rapport", name="Action du rapport")
        db.session.add(action)
        db.session.flush()
        classes = []
        for name, levels, pupils in (("PS-MS", "PS-MS", 20), ("CE1", "CE1", 24), ("CM1-CM2", "CM1-CM2", 26), ("GS-CP", "GS-CP", 22), ("CE2", "CE2", 25)):
            classes.append(Classroom(school_year_id=year.id, school=school, name=name, levels=levels, cycles=cycles_of(levels.split("-")), pupils=pupils))
        db.session.add_all(classes)
        db.session.flush()
        statuses = (ACCEPTED, DONE, ACCEPTED, ACCEPTED, REFUSED)
        for classroom, status in zip(classes, statuses):
            db.session.add(Registration(action_id=action.id, school_year_id=year.id, cooperative_id=coops[0].id, classroom_id=classroom.id, status=status, pupils=None if classroom.name == "CE1" else classroom.pupils - 1))
        training = Training(title="Formation du rapport", audience="mandataires")
        db.session.add(training)
        db.session.flush()
        when = datetime(2040, 10, 8, 14, 0)
        sessions = {
            "lack": TrainingSession(training_id=training.id, school_year_id=year.id, place="soissons", starts_at=when, hours=Decimal("3"), capacity=20, minimum=6, status=CANCELLED, cancelled_reason="Trop peu d'inscrits"),
            "storm": TrainingSession(training_id=training.id, school_year_id=year.id, place="laon", starts_at=when + timedelta(days=7), hours=Decimal("3"), capacity=20, minimum=2, status=CANCELLED, cancelled_reason="Tempête, routes fermées"),
            "held": TrainingSession(training_id=training.id, school_year_id=year.id, place="chauny", starts_at=when + timedelta(days=14), hours=Decimal("1.5"), capacity=20, minimum=2, status=HELD),
        }
        db.session.add_all(sessions.values())
        db.session.flush()
        people = {"lack": (True,), "storm": (None, None, None), "held": (True, True, False)}
        for key, attendance in people.items():
            for n, attended in enumerate(attendance):
                db.session.add(
                    TrainingRegistration(session_id=sessions[key].id, first_name="Anne", last_name=f"Rapport{key}{n}", email=f"{key}{n}@example.org",
                                         registered_at=when - timedelta(days=30), status=REGISTERED, attended=attended)
                )
        db.session.commit()
    return {"year": "2040-2041", "empty": "2039-2040"}


def test_a_growing_year_says_how_many_more(app, world):
    section = _section(app, "directory", world["year"])
    assert _figure(section, "Adhérents") == "106"
    assert _figure(section, "Par rapport à 2039-2040") == "1 de plus"
    assert section.paragraphs[0] == "2 coopératives adhérentes, 106 adhérents pour 2040-2041 (1 de plus qu'en 2039-2040)."
    from app.directory.report import change_text

    assert (change_text(-1753), change_text(12), change_text(0)) == ("1\u202f753 de moins", "12 de plus", "autant")


def test_classes_are_split_by_cycle_and_refusals_left_out(app, world):
    section = _section(app, "actions", world["year"])
    per_action, per_cycle, per_sector = section.tables
    assert per_action.rows == (("Action du rapport", 5, 3, 1, 19 + 24 + 25 + 21),)
    assert per_cycle.columns == ("Action", "Cycle 1 (classes / élèves)", "Cycle 2 (classes / élèves)", "Cycle 3 (classes / élèves)", "Cycles 1 et 2 (classes / élèves)")
    assert per_cycle.rows == (("Action du rapport", "1 / 19", "1 / 24", "1 / 25", "1 / 21"),)  # CE1 counts its class's 24 pupils
    assert per_sector.rows == (("Secteur du Rapport", 4, 89),)
    assert section.paragraphs[1] == "Action du rapport : 4 classes, 89 élèves."
    assert section.charts[0].values == (4.0,)


def test_cancelled_sessions_say_why_and_held_ones_count_hours_and_attendance(app, world):
    section = _section(app, "trainings", world["year"])
    assert section.paragraphs[0] == "1 session tenue, 2 présents sur 3 inscrits, 1 h 30 de formation, soit 3 heures-stagiaires (heures × présents)."
    assert section.paragraphs[1] == "Formation du rapport — Soissons, le 08/10/2040 : annulée faute d'inscrits (1 inscrit pour 6 au minimum)."
    assert section.paragraphs[2] == "Formation du rapport — Laon, le 15/10/2040 : annulée : Tempête, routes fermées (3 inscrits pour 2 au minimum)."
    held, cancelled = section.tables
    assert held.rows == (("Formation du rapport", 1, Decimal("1.5"), 2, 3, Decimal("3")),)
    assert [row[5] for row in cancelled.rows] == ["annulée faute d'inscrits", "annulée : Tempête, routes fermées"]
    assert cancelled.rows[0][2] == date(2040, 10, 8)


def test_a_year_with_nothing_still_has_its_sections_with_a_sentence(app, world):
    sections = _sections(app, world["empty"])
    assert set(sections) == set(CORE_ORDERS)
    expected = {
        "aid": "Aucune aide demandée cette année.",
        "loans": "Aucun prêt de matériel cette année.",
        "sales": "Aucune commande d'agendas ni de calendriers cette année.",
        "actions": "Aucune action proposée cette année.",
        "interventions": "Aucune demande d'intervention cette année.",
        "trainings": "Aucune session de formation tenue cette année.",
        "association": "Aucune réunion tenue cette année.",
    }
    for code, sentence in expected.items():
        assert sentence in sections[code][0].paragraphs, code
    directory = sections["directory"][0]
    assert directory.paragraphs[0] == "1 coopérative adhérente, 105 adhérents pour 2039-2040."
    accounts = sections["accounts"][0]
    assert accounts.paragraphs[0] == "Aucune campagne de CRFS pendant 2039-2040 : l'exercice précédent n'est pas dans la console."


def test_the_sections_build_with_a_handful_of_queries(app, world):
    """Grouped queries only: more memberships, registrations and registrants add no statement."""
    from sqlalchemy import event

    from app.actions.models import ACCEPTED, Action, Registration
    from app.directory.models import Cooperative, Membership
    from app.extensions import db
    from app.trainings.models import REGISTERED, TrainingRegistration, TrainingSession

    def count_statements() -> int:
        with app.app_context():
            statements = []
            listener = lambda *args, **kwargs: statements.append(1)  # noqa: E731
            event.listen(db.engine, "before_cursor_execute", listener)
            try:
                _sections_in_context(world["year"])
            finally:
                event.remove(db.engine, "before_cursor_execute", listener)
            return len(statements)

    before = count_statements()
    assert before <= 60
    with app.app_context():
        year = _year(world["year"])
        coop = db.session.execute(select(Cooperative).filter_by(affiliation_number="02R002")).scalar_one()
        action = db.session.execute(select(Action).filter_by(school_year_id=year.id, code="rapport")).scalar_one()
        session = db.session.execute(select(TrainingSession).filter_by(school_year_id=year.id, place="chauny")).scalar_one()
        db.session.add(Membership(cooperative_id=coop.id, school_year_id=year.id, pupils=10, adults=1))
        db.session.add_all([Registration(action_id=action.id, school_year_id=year.id, cooperative_id=coop.id, status=ACCEPTED, pupils=20) for _n in range(5)])
        db.session.add_all(
            [
                TrainingRegistration(session_id=session.id, first_name="Paul", last_name=f"Plus{n}", email=f"plus{n}@example.org",
                                     registered_at=datetime(2040, 9, 1), status=REGISTERED, attended=True)
                for n in range(5)
            ]
        )
        db.session.commit()
    assert count_statements() == before
    assert _figure(_section(app, "directory", world["year"]), "Adhérents") == "117"


# --- helpers ---------------------------------------------------------------------------------------------


def _sections_in_context(label: str):
    from app.plugins.switches import current_manager

    year = _year(label)
    return current_manager().call("occe_report_sections", year=year)


def db_scalar(statement):
    from app.extensions import db

    return db.session.execute(statement).scalar_one()


def db_rows(statement):
    from app.extensions import db

    return db.session.execute(statement).all()


# --- the action plugins' sections (DéfiMaths, Porté Disparu, Étamine, relayed actions) -------------------------


def _current_label(app) -> str:
    from app.years.service import current_year

    with app.app_context():
        return current_year().label


def _titled_sections(app, label=None):
    """The report's sections of ``label`` (by default the current year: the plugins' demo is there)."""
    from app.report.collect import build_report

    with app.test_request_context():
        return {section.title: section for section in build_report(_year(label or _current_label(app))).sections}


def test_the_plugins_sections_equal_their_own_lists(app):
    from plugins.defimaths.services import totals
    from plugins.etamine.services import copies_by_status, registration_count
    from plugins.porte_disparu.services import count_for as porte_disparu_count
    from plugins.relais.services import count_for as relais_count

    from app.partners.service import hours_by_partner, hours_text
    from app.teachers.figures import link_counts
    from plugins.chevregny.services import figures as museum
    from plugins.poesie.services import figures as poetry
    from plugins.thea.services import figures as theatre

    sections = _titled_sections(app)
    with app.app_context():
        year = _year(_current_label(app))
        figures = {title: dict(section.figures) for title, section in sections.items()}
        assert figures["THEA 02 (théâtre)"]["classes retenues"] == str(theatre(year)["classes"]) != "0"
        assert figures["Partenaires des actions"]["heures tenues par les artistes"] == hours_text(sum(row.held_hours for row in hours_by_partner(year)))
        assert figures["Journées coopératives au Musée de Chevregny"]["classes accueillies"] == str(museum(year)["retained"]) == "12"
        assert figures["La Picardie en Poésie"]["productions reçues"] == str(poetry(year)["received"]) != "0"
        assert figures["Réponses des enseignants en ligne"]["liens envoyés aux écoles"].replace("\u202f", "") == str(link_counts(year)["total"])
        assert figures["DéfiMaths"]["classes participantes"] == str(len(totals(year))) != "0"
        assert figures["Porté Disparu"]["classes inscrites"] == str(porte_disparu_count(year))
        assert figures["Étamine"]["classes inscrites"] == str(registration_count(year))
        assert figures["Étamine"]["exemplaires demandés"] == str(sum(copies_by_status(year).values()))
        assert figures["Actions fédérales relayées"]["participations"] == str(relais_count(year))
        cycles = sections["DéfiMaths"].tables[0]
        assert cycles.total[1] == sum(row[1] for row in cycles.rows) == len(totals(year))
    orders = [section.order for section in sections.values()]
    assert orders == sorted(orders)


def test_a_plugin_off_that_year_has_no_section(app):
    from app.plugins.switches import current_manager, set_switch

    label = _current_label(app)
    with app.test_request_context():
        manager = current_manager()
        set_switch(manager, manager.get("defimaths"), _year(label), False)
    try:
        assert "DéfiMaths" not in _titled_sections(app)
    finally:
        with app.test_request_context():
            set_switch(current_manager(), current_manager().get("defimaths"), _year(label), True)
    assert "DéfiMaths" in _titled_sections(app)


def test_the_current_years_report_is_written_in_both_formats_with_every_section(app, tmp_path):
    from docx import Document
    from pypdf import PdfReader

    runner = app.test_cli_runner()
    label = _current_label(app)
    result = runner.invoke(args=["occe", "report", label, "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    text = "\n".join(page.extract_text() for page in PdfReader(tmp_path / f"rapport-activite-{label}.pdf").pages)
    headings = [p.text for p in Document(tmp_path / f"rapport-activite-{label}.docx").paragraphs if p.style.name == "Heading 1"]
    for title in _titled_sections(app):
        assert title in headings and title in text
