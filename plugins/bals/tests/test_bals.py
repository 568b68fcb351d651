"""Bals en liance 02: the year's action and its partner, what the classes dance, the ball's classes, the card,
the demonstration, the per-year switch, and the partner's row-scoped reading of the dances."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest

from app.actions.catalogue import ensure_action
from app.actions.models import ACCEPTED, REQUESTED, Action, Registration
from app.association.models import Partner
from app.directory.models import Classroom, Cooperative, Person, School
from app.extensions import db
from app.partners.models import HELD, ActionPartner, PartnerAccount, PartnerEvent, PartnerSession
from app.partners.schedule import clashes
from app.partners.service import create_event
from app.plugins import PARTNER
from app.plugins.switches import current_manager, enabled_codes, is_on, set_switch
from app.testing import PASSWORD, build_test_app, login, post_form, schema_differences
from app.years.rollover import open_next_year
from app.years.service import current_year, get_or_create_year, get_year

from ..models import BalsClassDance
from ..services import ACTION_CODE, action_of, add_demo, ball_classes, dancers_count, ensure_bals_action, figures

PACKAGE = __package__.rsplit(".", 2)[0]
CARAVANE = "Caravane d'Art - Cie Allant Vers"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return build_test_app(tmp_path_factory.mktemp("bals"), plugin_packages=[PACKAGE])


@pytest.fixture(scope="module")
def world(app):
    """Bals en liance on for this year: two retained classes at Soissons and Hirson, one waiting; a theatre action beside it."""
    with app.app_context():
        year = current_year()
        plugin = current_manager().get("bals")
        if not is_on(plugin, year):
            set_switch(current_manager(), plugin, year, True)
        action = ensure_bals_action(year)
        soissons = School(uai="0020001R", name="École du Mail", commune="Soissons")
        hirson = School(uai="0021234F", name="École Jean Macé", commune="Hirson")
        coop_s = Cooperative(affiliation_number="021101", school=soissons, status="active")
        coop_h = Cooperative(affiliation_number="021102", school=hirson, status="active")
        teacher = Person(first_name="Nadia", last_name="Lefèvre", email="nadia.lefevre@ac-amiens.example", phone="0323987654", function="enseignant")
        classes = {
            "ce2": Classroom(school_year=year, school=soissons, name="CE2 Mail", levels="CE2", cycles="3", pupils=23, teacher=teacher),
            "cm1": Classroom(school_year=year, school=hirson, name="CM1 Macé", levels="CM1", cycles="3", pupils=19),
            "cp": Classroom(school_year=year, school=hirson, name="CP Macé", levels="CP", cycles="2", pupils=17),
            "cm2": Classroom(school_year=year, school=hirson, name="CM2 Macé", levels="CM2", cycles="3", pupils=25),
        }
        db.session.add_all([soissons, hirson, coop_s, coop_h, teacher, *classes.values()])
        db.session.flush()
        regs = {
            "ce2": Registration(action=action, school_year=year, cooperative=coop_s, classroom=classes["ce2"], status=ACCEPTED),
            "cm1": Registration(action=action, school_year=year, cooperative=coop_h, classroom=classes["cm1"], status=ACCEPTED),
            "cp": Registration(action=action, school_year=year, cooperative=coop_h, classroom=classes["cp"], status=REQUESTED),
        }
        theatre = ensure_action(year, "thea_test", "THEA 02 — théâtre (test)", plugin_code="thea")
        actors = Partner(name="Théâtre des Tréteaux (test)", kind="compagnie")
        db.session.add(actors)
        db.session.flush()
        db.session.add(ActionPartner(action_id=theatre.id, partner_id=actors.id))
        regs["thea"] = Registration(action=theatre, school_year=year, cooperative=coop_h, classroom=classes["cm2"], status=ACCEPTED)
        db.session.add_all(regs.values())
        db.session.flush()
        caravane = db.session.query(Partner).filter_by(name=CARAVANE).one()
        start = datetime.combine(date.today() - timedelta(days=3), time(9, 0))
        db.session.add(PartnerSession(school_year_id=year.id, partner=caravane, action=action, registration=regs["ce2"], artist="Alex Sander Dos Santos",
                                      starts_at=start, hours=Decimal("1.5"), status=HELD))  # fmt: skip
        sm = app.appbuilder.sm
        role = sm.find_role("Partenaire")
        for username, partner in (("caravane", caravane), ("treteaux", actors)):
            user = sm.add_user(username, username.title(), "Test", f"{username}@example.org", [role], password=PASSWORD)
            db.session.add(PartnerAccount(user_id=user.id, partner_id=partner.id))
        db.session.commit()
        return {"action": action.id, "regs": {key: reg.id for key, reg in regs.items()}, "year": year.id}


def _sheet(registration_id, **fields) -> BalsClassDance:
    registration = db.session.get(Registration, registration_id)
    sheet = BalsClassDance(registration_id=registration_id, action_id=registration.action_id, school_year_id=registration.school_year_id, **fields)
    db.session.add(sheet)
    db.session.commit()
    return sheet


def test_plugin_is_a_partner_action_and_its_migration_matches(app):
    with app.app_context():
        plugin = current_manager().get("bals")
        assert plugin.ok, plugin.errors
        assert (plugin.info.kind, plugin.yearly) == (PARTNER, True)
        assert set(plugin.hooks) >= {"occe_views", "occe_dashboard_cards", "occe_plugin_switched", "occe_year_opened", "occe_demo_data"}
    assert schema_differences(app, "bals") == []


def test_the_years_action_is_created_once_with_the_caravane(app, world):
    with app.app_context():
        year = current_year()
        assert ensure_bals_action(year).id == world["action"] == action_of(year).id
        action = db.session.get(Action, world["action"])
        assert (action.code, action.name, action.audience, action.plugin_code) == (ACTION_CODE, "Bals en liance 02 — danse", "classe", "bals")
        assert [ap.partner.name for ap in db.session.query(ActionPartner).filter_by(action_id=action.id)] == [CARAVANE]
        assert db.session.query(Partner).filter_by(name=CARAVANE).count() == 1


def test_animation_records_a_classs_dances_and_bad_input_keeps_what_was_typed(app, world):
    client = app.test_client()
    login(client, "animation")
    form = client.get("/bals/danses/add").get_data(as_text=True)
    assert "CE2 Mail" in form and "CP Macé" not in form and "CM2 Macé" not in form  # retained Bals classes only
    fields = {"registration": world["regs"]["ce2"], "dances": "Chapelloise, cercle circassien", "music": "Lo Bal del Lop", "dancers": "0"}
    refused = post_form(client, "/bals/danses/add", fields)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 200 and "Le nombre de danseurs va de 1 à 60." in page and "Chapelloise, cercle circassien" in page
    assert post_form(client, "/bals/danses/add", {**fields, "dancers": "23", "accessibility_needs": "Un fauteuil roulant"}).status_code == 302
    with app.app_context():
        sheet = db.session.query(BalsClassDance).filter_by(registration_id=world["regs"]["ce2"]).one()
        assert (sheet.dancers, sheet.action_id, sheet.school_year_id, sheet.accessibility_needs) == (23, world["action"], world["year"], "Un fauteuil roulant")
    listing = client.get("/bals/danses/list/").get_data(as_text=True)
    assert "Bals en liance 02 : danses des classes" in listing and "Chapelloise" in listing and "Danses travaillées" in listing
    # a forged sheet for the theatre action's class is refused
    post_form(client, "/bals/danses/add", {"registration": world["regs"]["thea"], "dances": "Intrus", "dancers": "10"})
    with app.app_context():
        assert db.session.query(BalsClassDance).filter_by(dances="Intrus").count() == 0


def test_board_reads_without_writing_or_exporting_and_gestion_exports(app, world):
    client = app.test_client()
    login(client, "conseil")
    assert client.get("/bals/danses/list/").status_code == 200
    assert client.get("/bals/danses/add").status_code in (302, 403)
    assert client.get("/bals/danses/export/csv").status_code in (302, 403)
    gestion = app.test_client()
    login(gestion, "gestion")
    export = gestion.get("/bals/danses/export/csv")
    assert export.status_code == 200 and "Danses travaillées" in export.get_data(as_text=True)


def test_the_ball_lists_its_classes_with_dances_and_dancers(app, world):
    with app.app_context():
        regs = world["regs"]
        if db.session.query(BalsClassDance).filter_by(registration_id=regs["ce2"]).count() == 0:
            _sheet(regs["ce2"], dances="Chapelloise, cercle circassien", dancers=23)
        event = create_event(db.session.get(Action, world["action"]), kind="bal", title="Bal de Soissons", held_on=date(current_year().start_date.year + 1, 6, 12),
                             starts_at=time(14, 0), venue="Cité de la musique, Soissons", registrations=[db.session.get(Registration, regs[k]) for k in ("cm1", "ce2")])  # fmt: skip
        rows = ball_classes(event.registrations)
        # by school: École Jean Macé (Hirson) before École du Mail (Soissons); CM1 has no sheet yet: its 19 pupils are counted
        assert [(r.classroom.name, s.dancers if s else None) for r, s in rows] == [("CM1 Macé", None), ("CE2 Mail", 23)]
        assert dancers_count(rows) == 42
    client = app.test_client()
    login(client, "animation")
    page = client.get("/bals/bal/").get_data(as_text=True)
    assert "Bal de Soissons" in page and "Cité de la musique, Soissons" in page and "à 14:00" in page and "2 classe(s), 42 danseurs" in page
    assert re.search(r"<td>CE2 Mail</td><td>École du Mail \(Soissons\)</td>\s*<td>Chapelloise, cercle circassien</td>", page)
    assert "danses à préciser" in page
    pdf = client.get("/bals/bal/pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")


def test_the_card_counts_retained_classes_pupils_and_held_hours(app, world):
    with app.app_context():
        found = figures(current_year())
        assert (found["classes"], found["pupils"], found["hours"]) == (2, 23 + 19, Decimal("1.50"))
        assert found["by_partner"] == [(CARAVANE, Decimal("1.50"))]
    client = app.test_client()
    login(client, "animation")
    home = client.get("/").get_data(as_text=True)
    assert "Bals en liance 02 : classes retenues" in home and "42 élèves · 1,5 h d&#39;intervention tenues par l&#39;artiste" in home


def test_a_partner_reads_the_dances_of_its_own_classes_only(app, world):
    with app.app_context():
        if db.session.query(BalsClassDance).filter_by(registration_id=world["regs"]["ce2"]).count() == 0:
            _sheet(world["regs"]["ce2"], dances="Chapelloise, cercle circassien", dancers=23)
        sheet_id = db.session.query(BalsClassDance.id).filter_by(registration_id=world["regs"]["ce2"]).scalar()
    caravane = app.test_client()
    login(caravane, "caravane")
    listing = caravane.get("/partenaire/bals/list/").get_data(as_text=True)
    assert "Bals en liance 02 : danses de mes classes" in listing and "Chapelloise" in listing and "0323987654" not in listing
    assert caravane.get(f"/partenaire/bals/show/{sheet_id}").status_code == 200
    assert caravane.get("/bals/danses/list/").status_code in (302, 403)
    assert caravane.get(f"/partenaire/bals/edit/{sheet_id}").status_code in (302, 403, 404)
    other = app.test_client()
    login(other, "treteaux")  # works on the theatre action only
    assert other.get(f"/partenaire/bals/show/{sheet_id}").status_code == 404
    assert "Chapelloise" not in other.get("/partenaire/bals/list/").get_data(as_text=True)
    assert other.get(f"/partenaire/classes/show/{world['regs']['ce2']}").status_code == 404


def test_demo_data_is_deterministic_has_one_clash_and_is_never_doubled(app, world):
    with app.app_context():
        year = get_or_create_year("2019-2020")
        for number, town in enumerate(("Chauny", "Laon", "Soissons", "Saint-Quentin", "Hirson", "Château-Thierry")):
            school = School(uai=f"00299{number:02d}A", name=f"École de {town}", commune=town)
            db.session.add_all([school, Cooperative(affiliation_number=f"0299{number:02d}", school=school, status="active")])
            db.session.add_all([Classroom(school_year=year, school=school, name=f"{level} {town}", levels=level, cycles="2", pupils=18 + number) for level in ("CP", "CE1")])
        db.session.commit()
        set_switch(current_manager(), current_manager().get("bals"), year, True)

        def counts():
            action = action_of(year)
            sessions = db.session.query(PartnerSession).filter_by(action_id=action.id).all()
            events = [(event.title, event.kind, len(event.registrations)) for event in db.session.query(PartnerEvent).filter_by(action_id=action.id)]
            sheets = db.session.query(BalsClassDance).filter_by(school_year_id=year.id).count()
            return db.session.query(Registration).filter_by(action_id=action.id, status=ACCEPTED).count(), sheets, len(sessions), len(clashes(sessions)), events

        add_demo(year)
        db.session.commit()
        first = counts()
        assert first == (6, 6, 6 * 4 + 2, 1, [("Bal en liance de fin d'année", "bal", 6)])
        add_demo(year)
        db.session.commit()
        assert counts() == first


def test_the_rollover_declares_next_years_action(app, world):
    with app.app_context():
        report = open_next_year(current_year())
        action = action_of(report.year)
        assert action is not None and action.id != world["action"]
        assert [ap.partner.name for ap in db.session.query(ActionPartner).filter_by(action_id=action.id)] == [CARAVANE]


def test_switched_off_next_year_its_menu_is_gone_and_this_year_is_intact(app, world):
    with app.app_context():
        year = current_year()
        label = f"{year.start_date.year + 1}-{year.start_date.year + 2}"
        next_year = get_year(label) or get_or_create_year(label)
        set_switch(current_manager(), current_manager().get("bals"), next_year, False)
        assert "bals" not in enabled_codes(next_year) and "bals" in enabled_codes(year)
        next_id, this_id = next_year.id, year.id
    client = app.test_client()
    login(client, "animation")
    assert "Danses des classes" in client.get("/").get_data(as_text=True)
    post_form(client, "/annee/choisir", {"year_id": next_id}, token_from="/")
    page = client.get("/").get_data(as_text=True)
    assert "Danses des classes" not in page and "Bals en liance 02 : classes retenues" not in page
    assert "Chapelloise" not in client.get("/bals/danses/list/").get_data(as_text=True)
    post_form(client, "/annee/choisir", {"year_id": this_id}, token_from="/")
    assert "Chapelloise" in client.get("/bals/danses/list/").get_data(as_text=True)
    with app.app_context():
        assert db.session.query(BalsClassDance).filter_by(school_year_id=this_id).count() == 1


def test_the_services_check_refuses_another_actions_or_a_waiting_class(app, world):
    from ..services import DanceRefused, check_dance

    with app.app_context():
        for key, message in (("thea", "Choisissez une classe inscrite à Bals en liance 02."),
                             ("cp", "La classe « CP Macé — Bals en liance 02 — danse » n'est pas retenue : ses danses attendront qu'elle le soit.")):  # fmt: skip
            with pytest.raises(DanceRefused) as refused:
                check_dance(BalsClassDance(registration_id=world["regs"][key], dances="Intrus", dancers=10))
            assert str(refused.value) == message
        sheet = BalsClassDance(registration_id=world["regs"]["cm1"], dances="Bourrée", dancers=19)
        check_dance(sheet)
        assert (sheet.action_id, sheet.school_year_id) == (world["action"], world["year"])
        db.session.rollback()
