"""THEA 02: the year's action and its partners, the classes' plays, the rencontre's running order, the card,
the demonstration, the per-year switch, and the partner's row-scoped access (the issue's acceptance test)."""

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
from app.partners.models import HELD, PLANNED, ActionPartner, PartnerAccount, PartnerEvent, PartnerSession
from app.partners.schedule import clashes
from app.partners.service import create_event
from app.plugins import PARTNER
from app.plugins.switches import current_manager, enabled_codes, is_on, set_switch
from app.testing import PASSWORD, build_test_app, csrf_token, login, post_form, schema_differences
from app.years.rollover import open_next_year
from app.years.service import current_year, get_or_create_year, get_year

from ..models import TheaClassProject
from ..services import ACTION_CODE, action_of, add_demo, ensure_thea_action, figures, running_order

PACKAGE = __package__.rsplit(".", 2)[0]
MASCARA, CARAVANE = "Théâtre de La Mascara", "Caravane d'Art - Cie Allant Vers"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return build_test_app(tmp_path_factory.mktemp("thea"), plugin_packages=[PACKAGE])


def _teacher(first, last):
    return Person(civility="Mme", first_name=first, last_name=last, email=f"{first.lower()}.{last.lower()}@ac-amiens.example", phone="0323456789", function="enseignant")


@pytest.fixture(scope="module")
def world(app):
    """THEA on for this year: three retained classes (one waiting) at Chauny and Laon; a Bals-like action next to it."""
    with app.app_context():
        year = current_year()
        plugin = current_manager().get("thea")
        if not is_on(plugin, year):
            set_switch(current_manager(), plugin, year, True)
        action = ensure_thea_action(year)
        chauny = School(uai="0020001R", name="École Jules Ferry", commune="Chauny")
        laon = School(uai="0021234F", name="École de la Cité", commune="Laon")
        coop_c = Cooperative(affiliation_number="021001", school=chauny, status="active")
        coop_l = Cooperative(affiliation_number="021002", school=laon, status="active")
        classes = {
            "cm1": Classroom(school_year=year, school=chauny, name="CM1 Ferry", levels="CM1", cycles="3", pupils=24, teacher=_teacher("Inès", "Garnier")),
            "ce2": Classroom(school_year=year, school=chauny, name="CE2 Ferry", levels="CE2", cycles="3", pupils=22, teacher=_teacher("Paul", "Lemaire")),
            "cm2": Classroom(school_year=year, school=laon, name="CM2 Cité", levels="CM2", cycles="3", pupils=26, teacher=_teacher("Rose", "Vasseur")),
            "cp": Classroom(school_year=year, school=laon, name="CP Cité", levels="CP", cycles="2", pupils=18),
            "ce1": Classroom(school_year=year, school=laon, name="CE1 Cité", levels="CE1", cycles="2", pupils=20, teacher=_teacher("Marc", "Roux")),
        }
        db.session.add_all([chauny, laon, coop_c, coop_l, *classes.values()])
        db.session.flush()
        regs = {}
        for key, coop in (("cm1", coop_c), ("ce2", coop_c), ("cm2", coop_l)):
            regs[key] = Registration(action=action, school_year=year, cooperative=coop, classroom=classes[key], status=ACCEPTED)
        regs["cp"] = Registration(action=action, school_year=year, cooperative=coop_l, classroom=classes["cp"], status=REQUESTED)
        # a dance action the Théâtre de La Mascara does not work on (a plain core action: no import of the other plugin)
        bals = ensure_action(year, "bals_test", "Bals en liance 02 — danse (test)", plugin_code="bals")
        dancers = Partner(name="Compagnie Pas de Deux (test)", kind="compagnie")
        db.session.add(dancers)
        db.session.flush()
        db.session.add(ActionPartner(action_id=bals.id, partner_id=dancers.id))
        regs["bals"] = Registration(action=bals, school_year=year, cooperative=coop_l, classroom=classes["ce1"], status=ACCEPTED)
        db.session.add_all(regs.values())
        db.session.flush()
        mascara = db.session.query(Partner).filter_by(name=MASCARA).one()
        start = datetime.combine(date.today() + timedelta(days=7), time(9, 0))
        mine = PartnerSession(school_year_id=year.id, partner=mascara, action=action, registration=regs["cm1"], artist="Aurélie Videlier", starts_at=start, hours=Decimal("2"), status=HELD)
        theirs = PartnerSession(school_year_id=year.id, partner=dancers, action=bals, registration=regs["bals"], artist="Alex Sander Dos Santos", starts_at=start, hours=Decimal("2"))
        db.session.add_all([mine, theirs])
        sm = app.appbuilder.sm
        role = sm.find_role("Partenaire")
        for username, partner in (("mascara", mascara), ("pasdedeux", dancers)):
            user = sm.add_user(username, username.title(), "Test", f"{username}@example.org", [role], password=PASSWORD)
            db.session.add(PartnerAccount(user_id=user.id, partner_id=partner.id))
        db.session.commit()
        return {
            "action": action.id, "bals": bals.id, "regs": {key: reg.id for key, reg in regs.items()}, "mine": mine.id, "theirs": theirs.id,
            "year": year.id,
        }  # fmt: skip


def _project(registration_id, **fields) -> TheaClassProject:
    registration = db.session.get(Registration, registration_id)
    project = TheaClassProject(registration_id=registration_id, action_id=registration.action_id, school_year_id=registration.school_year_id, **fields)
    db.session.add(project)
    db.session.commit()
    return project


def test_plugin_is_a_partner_action_and_its_migration_matches(app):
    with app.app_context():
        plugin = current_manager().get("thea")
        assert plugin.ok, plugin.errors
        assert (plugin.info.kind, plugin.yearly) == (PARTNER, True)
        assert set(plugin.hooks) >= {"occe_views", "occe_dashboard_cards", "occe_plugin_switched", "occe_year_opened", "occe_demo_data"}
    assert schema_differences(app, "thea") == []


def test_the_years_action_is_created_once_with_both_companies(app, world):
    with app.app_context():
        year = current_year()
        assert ensure_thea_action(year).id == world["action"] == action_of(year).id
        action = db.session.get(Action, world["action"])
        assert (action.code, action.name, action.audience, action.plugin_code) == (ACTION_CODE, "THEA 02 — théâtre", "classe", "thea")
        partners = sorted(ap.partner.name for ap in db.session.query(ActionPartner).filter_by(action_id=action.id))
        assert partners == [CARAVANE, MASCARA]
        assert db.session.query(Action).filter_by(school_year_id=year.id, plugin_code="thea").count() == 1


def test_animation_adds_a_classs_play_and_bad_input_keeps_what_was_typed(app, world):
    client = app.test_client()
    login(client, "animation")
    form = client.get("/thea/projets/add").get_data(as_text=True)
    assert "CM2 Cité" in form and "CP Cité" not in form and "CE1 Cité" not in form  # retained THEA classes only
    fields = {"registration": world["regs"]["cm2"], "title": "Le Voyage de Zadig", "author": "d'après Voltaire", "theme": "Le voyage", "duration_minutes": "120"}
    refused = post_form(client, "/thea/projets/add", fields)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 200 and "La durée du spectacle se compte en minutes, de 1 à 90." in page and "Le Voyage de Zadig" in page
    assert post_form(client, "/thea/projets/add", {**fields, "duration_minutes": "20"}).status_code == 302
    with app.app_context():
        project = db.session.query(TheaClassProject).filter_by(registration_id=world["regs"]["cm2"]).one()
        assert (project.title, project.duration_minutes, project.action_id, project.school_year_id) == ("Le Voyage de Zadig", 20, world["action"], world["year"])
    listing = client.get("/thea/projets/list/").get_data(as_text=True)
    assert "THEA 02 : projets des classes" in listing and "Le Voyage de Zadig" in listing and "Titre du spectacle" in listing


def test_a_forged_project_for_another_actions_class_is_refused(app, world):
    client = app.test_client()
    login(client, "animation")
    response = post_form(client, "/thea/projets/add", {"registration": world["regs"]["bals"], "title": "Intrus", "duration_minutes": "10"})
    assert response.status_code in (200, 302)
    with app.app_context():
        assert db.session.query(TheaClassProject).filter_by(title="Intrus").count() == 0


def test_board_reads_the_plays_without_writing_or_exporting(app, world):
    client = app.test_client()
    login(client, "conseil")
    assert client.get("/thea/projets/list/").status_code == 200
    assert client.get("/thea/projets/add").status_code in (302, 403)
    assert client.get("/thea/projets/export/csv").status_code in (302, 403)
    gestion = app.test_client()
    login(gestion, "gestion")
    export = gestion.get("/thea/projets/export/csv")
    assert export.status_code == 200 and "Titre du spectacle" in export.get_data(as_text=True)


def test_running_order_cumulates_the_plays_from_the_events_start(app, world):
    with app.app_context():
        regs = world["regs"]
        if db.session.query(TheaClassProject).filter_by(registration_id=regs["cm2"]).count() == 0:
            _project(regs["cm2"], title="Le Voyage de Zadig", duration_minutes=20)
        _project(regs["cm1"], title="La Soupe au caillou", author="conte traditionnel", duration_minutes=12)
        action = db.session.get(Action, world["action"])
        event = create_event(action, kind="rencontre", title="Rencontre théâtrale de Chauny", held_on=date(current_year().start_date.year + 1, 6, 9),
                             starts_at=time(9, 30), venue="Salle Marcel Pagnol, Chauny", registrations=[db.session.get(Registration, regs[k]) for k in ("cm2", "cm1", "ce2")])  # fmt: skip
        slots = running_order(event.registrations, event.held_on, event.starts_at, 5)
        # by school then class: Cité (Laon) after Jules Ferry (Chauny); CE2 has no play yet: 15 minutes counted
        assert [(s.registration.classroom.name, f"{s.starts_at:%H:%M}", f"{s.ends_at:%H:%M}") for s in slots] == [
            ("CE2 Ferry", "09:30", "09:45"), ("CM1 Ferry", "09:50", "10:02"), ("CM2 Cité", "10:07", "10:27"),
        ]
    client = app.test_client()
    login(client, "animation")
    page = client.get("/thea/rencontre/").get_data(as_text=True)
    assert "Rencontre théâtrale de Chauny" in page and "Salle Marcel Pagnol, Chauny" in page
    assert re.search(r"<td>09:50</td><td>10:02</td>\s*<td>CM1 Ferry</td>", page) and "projet à préciser (15 min comptées)" in page
    later = client.get("/thea/rencontre/?debut=14h00&entracte=0").get_data(as_text=True)
    assert re.search(r"<td>14:15</td><td>14:27</td>\s*<td>CM1 Ferry</td>", later)
    wrong = client.get("/thea/rencontre/?debut=midi").get_data(as_text=True)
    assert "Heure de début « midi » non comprise : écrivez-la 09:30 ou 9h30." in wrong and "<td>09:30</td>" in wrong
    pdf = client.get("/thea/rencontre/pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")


def test_the_card_counts_retained_classes_pupils_and_held_hours(app, world):
    with app.app_context():
        found = figures(current_year())
        assert (found["classes"], found["pupils"], found["hours"]) == (3, 24 + 22 + 26, Decimal("2.00"))
        assert found["by_partner"] == [(MASCARA, Decimal("2.00"))]
    client = app.test_client()
    login(client, "animation")
    home = client.get("/").get_data(as_text=True)
    assert "THEA 02 : classes retenues" in home and "72 élèves · 2 h d&#39;intervention tenues par les artistes" in home


# --- the acceptance: a THEA partner sees THEA, and nothing of Bals en liance ----------------------------


@pytest.fixture(scope="module")
def mascara(app, world):
    client = app.test_client()
    login(client, "mascara")
    return client


def test_a_thea_partner_sees_the_thea_registrations_and_plays(app, world, mascara):
    classes = mascara.get("/partenaire/classes/list/").get_data(as_text=True)
    assert "CM1 Ferry" in classes and "CM2 Cité" in classes and "Inès Garnier" in classes
    assert "CE1 Cité" not in classes and "0323456789" not in classes and "CP Cité" not in classes
    with app.app_context():
        if db.session.query(TheaClassProject).filter_by(registration_id=world["regs"]["cm1"]).count() == 0:
            _project(world["regs"]["cm1"], title="La Soupe au caillou", duration_minutes=12)
        project_id = db.session.query(TheaClassProject.id).filter_by(registration_id=world["regs"]["cm1"]).scalar()
    plays = mascara.get("/partenaire/thea/list/").get_data(as_text=True)
    assert "THEA 02 : projets de mes classes" in plays and "La Soupe au caillou" in plays
    assert mascara.get(f"/partenaire/thea/show/{project_id}").status_code == 200
    assert mascara.get("/thea/projets/list/").status_code in (302, 403)  # the staff page stays closed
    # a partner of another action reads no THEA play, even by its id
    other = app.test_client()
    login(other, "pasdedeux")
    assert other.get(f"/partenaire/thea/show/{project_id}").status_code == 404
    assert "La Soupe au caillou" not in other.get("/partenaire/thea/list/").get_data(as_text=True)


def test_a_bals_class_answers_404_on_show_edit_and_action(app, world, mascara):
    assert mascara.get(f"/partenaire/classes/show/{world['regs']['bals']}").status_code == 404
    assert mascara.get(f"/partenaire/seances/show/{world['theirs']}").status_code == 404
    assert mascara.get(f"/partenaire/seances/edit/{world['theirs']}").status_code == 404
    token = csrf_token(mascara, "/partenaire/seances/list/")
    edit = mascara.post(f"/partenaire/seances/edit/{world['theirs']}", data={"csrf_token": token, "artist": "Piraté", "hours": "9", "status": HELD, "version": "1"})
    one = mascara.post(f"/partenaire/seances/action/mark_held/{world['theirs']}", data={"csrf_token": token})
    several = mascara.post("/partenaire/seances/action_post", data={"csrf_token": token, "action": "mark_held", "rowid": [str(world["mine"]), str(world["theirs"])]})
    assert (edit.status_code, one.status_code, several.status_code) == (404, 404, 404)
    with app.app_context():
        theirs = db.session.get(PartnerSession, world["theirs"])
        assert (theirs.artist, theirs.status, theirs.hours) == ("Alex Sander Dos Santos", PLANNED, Decimal("2.00"))


def test_a_forged_session_into_the_bals_action_is_refused(app, world, mascara):
    with app.app_context():
        before = db.session.query(PartnerSession).count()
    forged = post_form(mascara, "/partenaire/seances/add",
                       {"registration": world["regs"]["bals"], "artist": "Aurélie Videlier", "starts_at": "2026-12-04 09:00:00", "hours": "2"})  # fmt: skip
    assert forged.status_code in (200, 302)
    with app.app_context():
        assert db.session.query(PartnerSession).count() == before
        assert db.session.query(PartnerSession).filter_by(action_id=world["bals"], artist="Aurélie Videlier").count() == 0
    # the partner's own class is accepted
    assert post_form(mascara, "/partenaire/seances/add",
                     {"registration": world["regs"]["ce2"], "artist": "Aurélie Videlier", "starts_at": "2026-12-04 14:00:00", "hours": "1.5"}).status_code == 302  # fmt: skip
    with app.app_context():
        assert db.session.query(PartnerSession).filter_by(registration_id=world["regs"]["ce2"]).one().action_id == world["action"]


# --- demonstration, rollover, switch ------------------------------------------------------------------------


def test_demo_data_is_deterministic_has_one_clash_and_is_never_doubled(app, world):
    with app.app_context():
        year = get_or_create_year("2019-2020")
        towns = ("Chauny", "Laon", "Soissons", "Saint-Quentin", "Hirson", "Château-Thierry")
        for number, town in enumerate(towns):
            school = School(uai=f"00299{number:02d}A", name=f"École de {town}", commune=town)
            db.session.add_all([school, Cooperative(affiliation_number=f"0299{number:02d}", school=school, status="active")])
            db.session.add_all([Classroom(school_year=year, school=school, name=f"{level} {town}", levels=level, cycles="3", pupils=20 + number) for level in ("CE2", "CM1")])
        db.session.commit()
        set_switch(current_manager(), current_manager().get("thea"), year, True)

        def counts():
            action = action_of(year)
            sessions = db.session.query(PartnerSession).filter_by(action_id=action.id).all()
            return (
                db.session.query(Registration).filter_by(action_id=action.id, status=ACCEPTED).count(),
                db.session.query(TheaClassProject).filter_by(school_year_id=year.id).count(),
                len(sessions), len(clashes(sessions)),
                [(event.title, len(event.registrations)) for event in db.session.query(PartnerEvent).filter_by(action_id=action.id)],
            )  # fmt: skip

        add_demo(year)
        db.session.commit()
        first = counts()
        assert first == (8, 8, 8 * 3 + 2, 1, [("Rencontre théâtrale THEA 02", 8)])
        add_demo(year)
        db.session.commit()
        assert counts() == first


def test_the_rollover_declares_next_years_action(app, world):
    with app.app_context():
        report = open_next_year(current_year())
        action = action_of(report.year)
        assert action is not None and action.id != world["action"]
        assert db.session.query(ActionPartner).filter_by(action_id=action.id).count() == 2
        assert db.session.query(TheaClassProject).filter_by(school_year_id=report.year.id).count() == 0


def test_switched_off_next_year_its_menu_is_gone_and_this_year_is_intact(app, world):
    with app.app_context():
        year = current_year()
        next_year = get_year(f"{year.start_date.year + 1}-{year.start_date.year + 2}") or get_or_create_year(f"{year.start_date.year + 1}-{year.start_date.year + 2}")
        plugin = current_manager().get("thea")
        set_switch(current_manager(), plugin, next_year, False)
        assert "thea" not in enabled_codes(next_year) and "thea" in enabled_codes(year)
        next_id, this_id = next_year.id, year.id
    client = app.test_client()
    login(client, "animation")
    assert "Rencontre théâtrale" in client.get("/").get_data(as_text=True)
    post_form(client, "/annee/choisir", {"year_id": next_id}, token_from="/")
    page = client.get("/").get_data(as_text=True)
    assert "Rencontre théâtrale" not in page and "THEA 02 : classes retenues" not in page
    assert "La Soupe au caillou" not in client.get("/thea/projets/list/").get_data(as_text=True)
    post_form(client, "/annee/choisir", {"year_id": this_id}, token_from="/")
    assert "La Soupe au caillou" in client.get("/thea/projets/list/").get_data(as_text=True)
    with app.app_context():
        assert db.session.query(TheaClassProject).filter_by(school_year_id=this_id).count() == 2


def test_the_services_check_refuses_another_actions_or_a_waiting_class(app, world):
    from ..services import ProjectRefused, check_project

    with app.app_context():
        for key, message in (("bals", "Choisissez une classe inscrite à THEA 02."),
                             ("cp", "La classe « CP Cité — THEA 02 — théâtre » n'est pas retenue : son projet attendra qu'elle le soit.")):  # fmt: skip
            with pytest.raises(ProjectRefused) as refused:
                check_project(TheaClassProject(registration_id=world["regs"][key], title="Intrus", duration_minutes=10))
            assert str(refused.value) == message
        project = TheaClassProject(registration_id=world["regs"]["ce2"], title="Histoires pressées", duration_minutes=10)
        check_project(project)
        assert (project.action_id, project.school_year_id) == (world["action"], world["year"])
        db.session.rollback()
