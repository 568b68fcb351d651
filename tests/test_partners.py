"""The Partenaire role is row-scoped: a partner sees its actions' classes and its own sessions, nothing else.

Checked on list, show, edit, delete, ``@action`` (one row and several), REST
and inserts, with a partner of one action (the Théâtre de La Mascara on THEA)
next to a partner working on another (the Caravane d'Art on Bals en liance).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from app.actions.catalogue import ensure_action
from app.actions.models import ACCEPTED, REQUESTED, Registration
from app.association.models import Partner
from app.directory.models import Classroom, Cooperative, Person, School, Sector
from app.extensions import db
from app.partners.models import HELD, PLANNED, ActionPartner, PartnerAccount, PartnerSession
from app.testing import PASSWORD, csrf_token, login, post_form
from app.years.service import current_year

TODAY = date.today()


@pytest.fixture(scope="module")
def world(app):
    with app.app_context():
        year = current_year()
        sector = Sector(name="Soissons partenaires")
        school = School(uai="0020001R", name="École Louise Michel", commune="Soissons", sector=sector)
        teacher = Person(first_name="Inès", last_name="Garnier", email="ines.garnier@ac-amiens.example", phone="0323000000", school=school)
        other_teacher = Person(first_name="Marc", last_name="Roux", email="marc.roux@ac-amiens.example", phone="0323111111", school=school)
        coop = Cooperative(affiliation_number="020801", school=school, sector=sector, status="active")
        cm1 = Classroom(school_year=year, school=school, name="CM1 Louise Michel", levels="CM1", cycles="3", pupils=25, teacher=teacher)
        ce2 = Classroom(school_year=year, school=school, name="CE2 Louise Michel", levels="CE2", cycles="3", pupils=21, teacher=other_teacher)
        cp = Classroom(school_year=year, school=school, name="CP Louise Michel", levels="CP", cycles="2", pupils=19)
        thea = ensure_action(year, "thea_test", "THEA 02 (test)")
        bals = ensure_action(year, "bals_test", "Bals en liance 02 (test)")
        mascara = Partner(name="Théâtre de La Mascara (test)", kind="compagnie")
        caravane = Partner(name="Caravane d'Art (test)", kind="compagnie")
        db.session.add_all([sector, school, teacher, other_teacher, coop, cm1, ce2, cp, mascara, caravane])
        db.session.flush()
        db.session.add_all([ActionPartner(action=thea, partner=mascara), ActionPartner(action=bals, partner=caravane)])
        mine = Registration(action=thea, school_year=year, cooperative=coop, classroom=cm1, status=ACCEPTED)
        waiting = Registration(action=thea, school_year=year, cooperative=coop, classroom=cp, status=REQUESTED)
        theirs = Registration(action=bals, school_year=year, cooperative=coop, classroom=ce2, status=ACCEPTED)
        db.session.add_all([mine, waiting, theirs])
        db.session.flush()
        start = datetime.combine(TODAY + timedelta(days=7), datetime.min.time()).replace(hour=9)
        my_session = PartnerSession(school_year_id=year.id, partner=mascara, action=thea, registration=mine, artist="Léa (Mascara)", starts_at=start, hours=2)
        their_session = PartnerSession(school_year_id=year.id, partner=caravane, action=bals, registration=theirs, artist="Hugo (Caravane)", starts_at=start, hours=2)
        db.session.add_all([my_session, their_session])
        sm = app.appbuilder.sm
        partner_user = sm.find_user(username="partenaire")
        db.session.add(PartnerAccount(user_id=partner_user.id, partner=mascara))
        sm.add_user("orphelin", "Sans", "Organisation", "orphelin@example.org", [sm.find_role("Partenaire")], password=PASSWORD)
        db.session.commit()
        return {
            "mine": mine.id, "waiting": waiting.id, "theirs": theirs.id, "my_session": my_session.id, "their_session": their_session.id,
            "thea": thea.id, "bals": bals.id, "mascara": mascara.id,
        }  # fmt: skip


@pytest.fixture(scope="module")
def partner(app, world):
    client = app.test_client()
    login(client, "partenaire")
    return client


def _session(pk) -> PartnerSession:
    return db.session.get(PartnerSession, pk)


def test_a_partner_sees_the_retained_classes_of_its_actions_and_what_an_artist_needs(partner, world):
    page = partner.get("/partenaire/classes/list/").get_data(as_text=True)
    assert "CM1 Louise Michel" in page and "École Louise Michel (Soissons)" in page
    assert "Inès Garnier" in page and "ines.garnier@ac-amiens.example" in page
    assert "0323000000" not in page  # never the teacher's phone
    assert "CE2 Louise Michel" not in page and "Marc Roux" not in page  # another partner's action
    assert "CP Louise Michel" not in page  # not retained yet
    shown = partner.get(f"/partenaire/classes/show/{world['mine']}")
    assert shown.status_code == 200 and "0323000000" not in shown.get_data(as_text=True)


@pytest.mark.parametrize("key", ["theirs", "waiting"])
def test_another_actions_class_is_not_found_on_show(partner, world, key):
    assert partner.get(f"/partenaire/classes/show/{world[key]}").status_code == 404


def test_a_partner_cannot_change_a_registration(app, partner, world):
    for url in (f"/partenaire/classes/edit/{world['mine']}", f"/partenaire/classes/delete/{world['mine']}", f"/registrationview/edit/{world['mine']}"):
        response = partner.post(url, data={"csrf_token": csrf_token(partner, "/partenaire/classes/list/"), "pupils": "99"})
        assert response.status_code in (302, 403, 404, 405), url
    with app.app_context():
        assert db.session.get(Registration, world["mine"]).pupils is None


def test_a_partner_reaches_no_staff_page(partner):
    for url in ("/registrationview/list/", "/cooperativeview/list/", "/personview/list/", "/partenaires/seances/list/", "/partenaires/comptes/list/"):
        response = partner.get(url)
        assert response.status_code in (302, 403), url


def test_a_partner_sees_and_edits_only_its_own_sessions(app, partner, world):
    page = partner.get("/partenaire/seances/list/").get_data(as_text=True)
    assert "Léa (Mascara)" in page and "Hugo (Caravane)" not in page
    assert partner.get(f"/partenaire/seances/show/{world['their_session']}").status_code == 404
    assert partner.get(f"/partenaire/seances/edit/{world['their_session']}").status_code == 404
    token = csrf_token(partner, "/partenaire/seances/list/")
    forged = partner.post(f"/partenaire/seances/edit/{world['their_session']}", data={"csrf_token": token, "artist": "Piraté", "hours": "9", "status": HELD, "version": "1"})
    assert forged.status_code == 404
    response = post_form(
        partner,
        f"/partenaire/seances/edit/{world['my_session']}",
        {"artist": "Léa (Mascara)", "starts_at": "2026-12-04 09:00:00", "hours": "1.5", "status": HELD, "report": "Séance d'improvisation"},
    )
    assert response.status_code == 302
    with app.app_context():
        assert _session(world["their_session"]).artist == "Hugo (Caravane)"
        mine = _session(world["my_session"])
        assert (mine.status, str(mine.hours), mine.report) == (HELD, "1.50", "Séance d'improvisation")


def test_actions_on_another_partners_session_answer_404(app, partner, world):
    with app.app_context():
        _session(world["my_session"]).status = PLANNED
        db.session.commit()
    token = csrf_token(partner, "/partenaire/seances/list/")
    one = partner.post(f"/partenaire/seances/action/mark_held/{world['their_session']}", data={"csrf_token": token})
    several = partner.post("/partenaire/seances/action_post", data={"csrf_token": token, "action": "mark_held", "rowid": [str(world["my_session"]), str(world["their_session"])]})
    assert (one.status_code, several.status_code) == (404, 404)
    with app.app_context():
        assert _session(world["their_session"]).status == PLANNED and _session(world["my_session"]).status == PLANNED
    assert partner.post("/partenaire/seances/action_post", data={"csrf_token": token, "action": "mark_held", "rowid": str(world["my_session"])}).status_code == 302
    with app.app_context():
        assert _session(world["my_session"]).status == HELD


def test_a_forged_insert_into_another_action_is_refused(app, partner, world):
    form = partner.get("/partenaire/seances/add").get_data(as_text=True)
    assert "CM1 Louise Michel" in form and "CE2 Louise Michel" not in form  # only its own classes are offered
    session_fields = {"artist": "Intrus", "starts_at": "2026-12-11 10:00:00", "hours": "2"}
    forged = post_form(partner, "/partenaire/seances/add", {**session_fields, "registration": str(world["theirs"])})
    assert forged.status_code == 200  # the form again, with the error
    assert "Ce champ est requis." in forged.get_data(as_text=True)  # another action's class is no choice of this form
    with app.app_context():
        assert db.session.query(PartnerSession).filter_by(artist="Intrus").count() == 0
    legit = post_form(partner, "/partenaire/seances/add", {**session_fields, "artist": "Léa (Mascara)", "registration": str(world["mine"])})
    assert legit.status_code == 302
    with app.app_context():
        added = db.session.query(PartnerSession).filter_by(starts_at=datetime(2026, 12, 11, 10)).one()
        assert (added.partner_id, added.action_id, added.registration_id) == (world["mascara"], world["thea"], world["mine"])


def test_the_insert_check_holds_even_if_the_form_were_bypassed(app, world):
    """pre_add is the second lock: a registration of another action is refused in French."""
    from app.partners.views import PartnerSessionView, SessionRefused

    view = next(v for v in app.appbuilder.baseviews if isinstance(v, PartnerSessionView))
    with app.test_request_context():
        from flask import g

        g.user = app.appbuilder.sm.find_user(username="partenaire")
        item = PartnerSession(registration=db.session.get(Registration, world["theirs"]), artist="Intrus", starts_at=datetime(2026, 12, 1), hours=1)
        with pytest.raises(SessionRefused, match="Cette classe ne fait pas partie des actions de votre organisation."):
            view.pre_add(item)
        db.session.rollback()


def test_no_rest_endpoint_exposes_the_partner_views(partner):
    for url in ("/api/v1/partnersessionview/", "/api/v1/partnerregistrationview/", "/api/v1/registration/", "/api/v1/partnersession/1"):
        assert partner.get(url).status_code == 404, url


def test_an_account_tied_to_no_partner_sees_nothing(app, world):
    client = app.test_client()
    login(client, "orphelin")
    assert "CM1 Louise Michel" not in client.get("/partenaire/classes/list/").get_data(as_text=True)
    assert client.get(f"/partenaire/classes/show/{world['mine']}").status_code == 404
    assert "Léa (Mascara)" not in client.get("/partenaire/seances/list/").get_data(as_text=True)


def test_staff_see_every_partners_sessions_and_tie_partners_to_actions(app, world):
    client = app.test_client()
    login(client, "gestion")
    page = client.get("/partenaires/seances/list/").get_data(as_text=True)
    assert "Léa (Mascara)" in page and "Hugo (Caravane)" in page
    links = client.get("/partenaires/actions/list/").get_data(as_text=True)
    assert "THEA 02 (test)" in links and "Bals en liance 02 (test)" in links
    assert client.get("/partenaires/comptes/list/").status_code == 200


def test_a_partners_home_shows_its_own_classes_and_sessions_and_none_of_the_associations_figures(app, partner, world):
    home = partner.get("/").get_data(as_text=True)
    assert "Mes classes" in home and "Mes séances" in home
    for staff_card in ("Adhérents", "Inscriptions en", "Heures des partenaires", "Aides financières", "Année courante"):
        assert staff_card not in home, staff_card
    orphan = app.test_client()
    login(orphan, "orphelin")
    assert "n&#39;est rattaché à aucun partenaire" in orphan.get("/").get_data(as_text=True)
    staff = app.test_client()
    login(staff, "gestion")
    assert "Heures des partenaires" in staff.get("/").get_data(as_text=True)
