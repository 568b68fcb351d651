"""The directory: rules, French pages, the cooperative hub, follow-ups, GDPR, figures and exports."""

from __future__ import annotations

import csv
import html
import io
import json
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook

from app.directory import rules
from app.directory.figures import member_figures, members_per_sector
from app.directory.models import Classroom, Cooperative, Membership, Person, School, Sector, SupportContact
from app.extensions import db
from app.testing import login, post_form
from app.years.service import current_year, get_or_create_year, get_year


# --- rules ---------------------------------------------------------------------------


@pytest.mark.parametrize("uai", ["0021234F", "0020001R", "0750655E", " 0021234f "])
def test_valid_uai(uai):
    assert rules.uai_problem(uai) is None


def test_a_wrong_check_letter_names_the_expected_one():
    assert rules.uai_problem("0021234A") == "Code UAI invalide « 0021234A » : la lettre de contrôle doit être F (0021234F)."
    assert "7 chiffres suivis d'une lettre" in rules.uai_problem("002123")


@pytest.mark.parametrize(
    "raw, expected",
    [("0323456789", "03 23 45 67 89"), ("+33 3 23 45 67 89", "03 23 45 67 89"), ("0033323456789", "03 23 45 67 89"), ("06.12.34.56.78", "06 12 34 56 78")],
)
def test_french_phone_numbers_are_normalised(raw, expected):
    assert rules.normalise_phone(raw) == expected


def test_a_bad_phone_is_refused_in_french():
    with pytest.raises(ValueError, match="10 chiffres"):
        rules.normalise_phone("12345")


@pytest.mark.parametrize("raw, levels, cycles", [("CE1-CE2", ["CE1", "CE2"], "2"), ("gs, cp", ["GS", "CP"], "1-2"), ("CM2/6e", ["CM2", "6e"], "3"), ("3e", ["3e"], "4")])
def test_levels_give_cycles(raw, levels, cycles):
    assert rules.parse_levels(raw) == levels
    assert rules.cycles_of(levels) == cycles


def test_an_unknown_level_is_refused_in_french():
    with pytest.raises(ValueError, match="Niveau inconnu « CE3 »"):
        rules.parse_levels("CE3")


# --- data for the tests of this module ------------------------------------------------------


@pytest.fixture(scope="module")
def coop(app):
    """A cooperative with a school, a mandataire, a class and two years of memberships."""
    with app.app_context():
        year = current_year()
        previous = get_or_create_year("2025-2026")
        sector = Sector(name="Laon test")
        school = School(uai="0021234F", name="École élémentaire Jean Macé", kind="elementaire", commune="Laon", postal_code="02000", sector=sector)
        mandataire = Person(civility="Mme", first_name="Claire", last_name="Martin", email="claire.martin@ac-amiens.example", phone="03 23 45 67 89", function="mandataire", school=school)
        cooperative = Cooperative(affiliation_number="020999", school=school, sector=sector, mandataire=mandataire, status="active", kind="cooperative")
        db.session.add_all([sector, school, mandataire, cooperative])
        db.session.add(Classroom(school_year=year, school=school, teacher=mandataire, name="CE1 A", levels="CE1", cycles="2", pupils=24))
        db.session.add(Membership(cooperative=cooperative, school_year=year, pupils=120, adults=6, status="validee"))
        db.session.add(Membership(cooperative=cooperative, school_year=previous, pupils=130, adults=6, status="validee"))
        db.session.commit()
        return {"id": cooperative.id, "person_id": mandataire.id, "school_id": school.id}


# --- pages --------------------------------------------------------------------------------


def test_adding_a_school_with_a_bad_uai_explains_and_keeps_the_form(app, client):
    login(client, "gestion")
    data = {"uai": "0027777A", "name": "École test", "kind": "primaire", "commune": "Guise"}
    page = html.unescape(post_form(client, "/schoolview/add", data).get_data(as_text=True))
    assert "la lettre de contrôle doit être" in page
    assert 'value="École test"' in page
    with app.app_context():
        assert db.session.query(School).filter_by(name="École test").count() == 0


def test_a_class_gets_its_cycle_from_its_levels(app, client, coop):
    login(client, "gestion")
    with app.app_context():
        year_id = current_year().id
    data = {"school_year": str(year_id), "school": str(coop["school_id"]), "name": "GS-CP B", "levels": "gs cp", "pupils": "22"}
    response = post_form(client, "/classroomview/add", data, follow_redirects=True)
    assert response.status_code == 200
    with app.app_context():
        classroom = db.session.query(Classroom).filter_by(name="GS-CP B").one()
        assert (classroom.levels, classroom.cycles) == ("GS-CP", "1-2")


def test_the_cooperative_page_is_a_hub_with_tabs(app, client, coop):
    login(client, "gestion")
    page = html.unescape(client.get(f"/cooperativeview/show/{coop['id']}").get_data(as_text=True))
    for title in ("Classes", "Adhésions", "Accompagnement", "Action modèle"):  # the last comes from a plugin
        assert title in page
    assert "CE1 A" in page and "126" in page  # the class, this year's 120 + 6 members


def test_occe_cooperative_tabs_come_from_every_plugin(app, coop):
    from app.directory.tabs import cooperative_tabs

    with app.test_request_context():
        titles = [tab.title for tab in cooperative_tabs(db.session.get(Cooperative, coop["id"]))]
    assert titles[1:3] == ["Adhésions", "Accompagnement"] and "Action modèle" in titles


def test_my_follow_ups_due_lists_only_mine_and_due(app, coop):
    with app.app_context():
        sm = app.appbuilder.sm
        me, other = sm.find_user(username="animation"), sm.find_user(username="gestion")
        today = date.today()
        for subject, staff, due, done in [
            ("SUJET-ECHU", me, today - timedelta(days=1), False),
            ("SUJET-FUTUR", me, today + timedelta(days=10), False),
            ("SUJET-FAIT", me, today, True),
            ("SUJET-COLLEGUE", other, today, False),
        ]:
            db.session.add(SupportContact(cooperative_id=coop["id"], subject=subject, staff_id=staff.id, follow_up_on=due, follow_up_done=done, channel="telephone"))
        db.session.commit()
    client = app.test_client()
    login(client, "animation")
    page = html.unescape(client.get("/myfollowupsview/list/").get_data(as_text=True))
    assert "SUJET-ECHU" in page
    assert "SUJET-FUTUR" not in page and "SUJET-FAIT" not in page and "SUJET-COLLEGUE" not in page


def test_a_new_support_contact_is_signed_by_its_author(app, client, coop):
    login(client, "animation")
    data = {"contact_date": date.today().isoformat(), "cooperative": str(coop["id"]), "channel": "courriel", "subject": "Question sur Retkoop"}
    post_form(client, "/supportcontactview/add", data, follow_redirects=True)
    with app.app_context():
        contact = db.session.query(SupportContact).filter_by(subject="Question sur Retkoop").one()
        assert contact.staff.username == "animation"


# --- GDPR --------------------------------------------------------------------------------


def test_gdpr_export_holds_everything_about_a_person(app, client, coop):
    login(client, "gestion")
    token_page = f"/personview/show/{coop['person_id']}"
    response = post_form(client, "/personview/action_post", {"action": "export_personal_data", "rowid": str(coop["person_id"])}, token_from=token_page)
    assert response.headers["Content-Disposition"].startswith("attachment")
    data = json.loads(response.get_data(as_text=True))
    assert data["personne"]["courriel"] == "claire.martin@ac-amiens.example"
    assert data["mandataire_de"] == ["020999"]
    assert data["classes"][0]["classe"] == "CE1 A"


def test_anonymising_erases_identity_and_keeps_counts(app, coop, tmp_path):
    from app.directory.gdpr import anonymise

    with app.app_context():
        person = Person(first_name="Paul", last_name="Durand", email="paul.durand@ac-amiens.example", phone="03 23 00 00 00", school_id=coop["school_id"])
        db.session.add(person)
        db.session.flush()
        db.session.add(Classroom(school_year=current_year(), school_id=coop["school_id"], teacher=person, name="CM2 Z", levels="CM2", cycles="3", pupils=25))
        db.session.commit()
        classes_before = db.session.query(Classroom).count()
        anonymise(person)
        assert (person.email, person.phone, person.first_name) == (None, None, "Personne")
        assert person.anonymised_on is not None
        assert db.session.query(Classroom).count() == classes_before
        assert db.session.query(Classroom).filter_by(name="CM2 Z").one().teacher_id == person.id


# --- figures and dashboard ----------------------------------------------------------------------


def test_figures_count_members_and_the_change(app, coop):
    with app.app_context():
        figures = member_figures(current_year())
        assert figures.members >= 126 and figures.previous_year == "2025-2026"
        sectors = dict((name, members) for name, _, members in members_per_sector(current_year()))
        assert sectors["Laon test"] == 126


def test_the_dashboard_reproduces_the_plan_with_the_demo(tmp_path):
    from app.testing import build_test_app

    app = build_test_app(tmp_path, name="demo_figures", plugin_packages=[])
    assert app.test_cli_runner().invoke(args=["occe", "demo"]).exit_code == 0
    with app.app_context():
        figures = member_figures(get_year("2025-2026"))
        assert (figures.members, figures.cooperatives, figures.change) == (48_230, 469, -1_753)
        classes = db.session.query(Classroom).filter(Classroom.school_year_id == get_year("2025-2026").id).count()
        assert 1_700 <= classes <= 2_300
        assert db.session.query(Cooperative).count() == 475
        assert len({name for name, _, _ in members_per_sector(get_year("2025-2026"))}) == 12
    client = app.test_client()
    login(client, "conseil")
    year_id = None
    with app.app_context():
        year_id = get_year("2025-2026").id
    page = html.unescape(post_form(client, "/annee/choisir", {"year_id": str(year_id)}, token_from="/", follow_redirects=True).get_data(as_text=True))
    assert "48\u202f230" in page and "−1\u202f753 par rapport à 2024-2025" in page
    assert "Saint-Quentin" in page  # the per-sector bars


# --- exports --------------------------------------------------------------------------------------


def test_a_list_exports_as_filtered_to_csv(app, client, coop):
    login(client, "gestion")
    list_page = client.get("/cooperativeview/list/?_flt_0_affiliation_number=020999").get_data(as_text=True)
    assert 'id="export-csv"' in list_page and "_flt_0_affiliation_number=020999" in list_page
    response = client.get("/cooperativeview/export/csv?_flt_0_affiliation_number=020999")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:3] == ["N° d'affiliation", "École", "Commune"]
    assert rows[1:] == [["020999", "École élémentaire Jean Macé", "Laon", "Laon test", "Martin", "Active"]]


def test_a_list_exports_to_xlsx_with_formulas_neutralised(app, client, coop):
    with app.app_context():
        db.session.add(Sector(name="=HYPERLINK(\"http://example.org\")"))
        db.session.commit()
    login(client, "gestion")
    response = client.get("/sectorview/export/xlsx")
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    values = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "'=HYPERLINK(\"http://example.org\")" in values


def test_the_board_cannot_export_personal_data(app):
    client = app.test_client()
    login(client, "conseil")
    assert client.get("/personview/export/csv").status_code == 403
    assert client.get("/membershipview/export/csv").status_code == 200


def test_large_relations_are_searched_by_text_not_listed(app, client, coop):
    login(client, "gestion")
    page = client.get("/cooperativeview/list/").get_data(as_text=True)
    assert "École élémentaire Jean Macé (Laon)</option>" not in page  # no drop-down of every school
    found = client.get("/cooperativeview/list/?_flt_2_school=Jean Mac").get_data(as_text=True)
    assert "020999" in found
    missed = client.get("/cooperativeview/list/?_flt_2_school=Introuvable").get_data(as_text=True)
    assert "020999" not in missed
