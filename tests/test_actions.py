"""Actions and registrations: the service's rules, the waiting list, the hooks, the pages and the recap export."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta

import pytest

from app.actions import service
from app.actions.catalogue import august_proposals, ensure_action, slug
from app.actions.models import ACCEPTED, CANCELLED, DONE, REFUSED, REQUESTED, WAITING, Action, Registration, RegistrationEvent
from app.directory.models import Classroom, Cooperative, School, Sector
from app.extensions import db
from app.plugins.switches import current_manager, set_switch
from app.testing import csrf_token, login, post_form
from app.years.service import current_year, get_or_create_year

TODAY = date.today()


@pytest.fixture(scope="module")
def world(app):
    """Two schools of one sector, classes of this year and last year, and three actions."""
    with app.app_context():
        year = current_year()
        last_year = get_or_create_year(f"{year.start_date.year - 1}-{year.start_date.year}")
        sector = Sector(name="Chauny actions")
        school = School(uai="0020001R", name="École Paul Bert", kind="primaire", commune="Chauny", sector=sector)
        other_school = School(uai="0021234F", name="École Jules Ferry", kind="primaire", commune="Tergnier", sector=sector)
        coop = Cooperative(affiliation_number="020501", school=school, sector=sector, status="active")
        other = Cooperative(affiliation_number="020502", school=other_school, sector=sector, status="active")
        closed = Cooperative(affiliation_number="020503", school=other_school, sector=sector, status="fermee")
        db.session.add_all([sector, school, other_school, coop, other, closed])
        classes = {
            "ce1": Classroom(school_year=year, school=school, name="CE1 Paul Bert", levels="CE1", cycles="2", pupils=24),
            "cm1": Classroom(school_year=year, school=school, name="CM1 Paul Bert", levels="CM1", cycles="3", pupils=26),
            "cm2": Classroom(school_year=year, school=school, name="CM2 Paul Bert", levels="CM2", cycles="3", pupils=22),
            "gs": Classroom(school_year=year, school=school, name="GS Paul Bert", levels="GS", cycles="1", pupils=20),
            "old": Classroom(school_year=last_year, school=school, name="CE1 ancien", levels="CE1", cycles="2", pupils=23),
            "ferry": Classroom(school_year=year, school=other_school, name="CP Ferry", levels="CP", cycles="2", pupils=18),
        }
        db.session.add_all(classes.values())
        open_window = {"opens_on": TODAY - timedelta(days=30), "closes_on": TODAY + timedelta(days=30)}
        capped = ensure_action(year, "consom", "Consom'acteur test", capacity=2, minimum=2, **open_window)
        model = ensure_action(year, "modele", "Action modèle (livres)", plugin_code="good_action", quantity_label="exemplaires", **open_window)
        motivated = ensure_action(year, "philo", "Discussions philo test", asks_motivation=True, **open_window)
        together = ensure_action(year, "ensemble", "Action des coopératives", audience="cooperative", **open_window)
        ensure_action(year, "passee", "Action close", opens_on=TODAY - timedelta(days=60), closes_on=TODAY - timedelta(days=1))
        ensure_action(year, "future", "Action à venir", opens_on=TODAY + timedelta(days=3), closes_on=TODAY + timedelta(days=40))
        ensure_action(year, "interne", "Action interne", in_proposals=False)
        set_switch(current_manager(), current_manager().get("good_action"), year, True)
        db.session.commit()
        ids = {name: c.id for name, c in classes.items()}
        ids.update(coop=coop.id, other=other.id, closed=closed.id, capped=capped.id, model=model.id, motivated=motivated.id, together=together.id, year=year.id)
        return ids


def _get(model, pk):
    return db.session.get(model, pk)


def _reasons(world, action, coop="coop", classroom=None, **kwargs):
    return service.refusal_reasons(_get(Action, world[action]), _get(Cooperative, world[coop]), _get(Classroom, world[classroom]) if classroom else None, **kwargs)


# --- rules ------------------------------------------------------------------------------------


def test_slug_makes_ascii_codes():
    assert slug("Consom'acteur 2025 — Étape 1") == "consom_acteur_2025_etape_1"
    assert slug("") == "action"


def test_a_registration_starts_requested_with_its_history(app, world):
    with app.app_context():
        registration = service.register(_get(Action, world["capped"]), _get(Cooperative, world["coop"]), _get(Classroom, world["ce1"]))
        assert registration.status == REQUESTED
        assert registration.pupils == 24  # the class's pupils by default
        assert registration.school_year_id == world["year"]
        events = db.session.query(RegistrationEvent).filter_by(registration_id=registration.id).all()
        assert [(e.from_status, e.to_status) for e in events] == [(None, REQUESTED)]


def test_refusals_name_every_reason_in_french(app, world):
    with app.app_context():
        assert _reasons(world, "capped", classroom="ce1") == ["La classe « CE1 Paul Bert » est déjà inscrite à « Consom'acteur test » (statut : Demandée)."]
        assert _reasons(world, "capped", classroom="ferry") == ["La classe « CP Ferry » n'appartient pas à l'école de la coopérative 020501."]
        old_year = _get(Classroom, world["old"]).school_year.label
        assert _reasons(world, "capped", classroom="old") == [f"La classe « CE1 ancien » est une classe de {old_year} ; l'action est de {current_year().label}."]
        assert _reasons(world, "capped") == ["Choisissez la classe inscrite : « Consom'acteur test » s'adresse aux classes."]
        assert _reasons(world, "capped", coop="closed", classroom="ferry")[0] == "La coopérative 020503 est fermée : elle ne peut plus s'inscrire."
        assert _reasons(world, "motivated", classroom="cm1") == ["« Discussions philo test » demande quelques mots de motivation."]
        assert _reasons(world, "motivated", classroom="cm1", motivation="Toute l'équipe s'y met.") == []


def test_the_registration_window_is_enforced(app, world):
    with app.app_context():
        year = current_year()
        closed = ensure_action(year, "passee", "Action close")
        future = ensure_action(year, "future", "Action à venir")
        assert service.refusal_reasons(closed, _get(Cooperative, world["coop"]), _get(Classroom, world["cm1"])) == [
            f"Les inscriptions à « Action close » sont closes depuis le {closed.closes_on:%d/%m/%Y}."
        ]
        assert service.refusal_reasons(future, _get(Cooperative, world["coop"]), _get(Classroom, world["cm1"])) == [
            f"Les inscriptions à « Action à venir » ouvrent le {future.opens_on:%d/%m/%Y}."
        ]
        with pytest.raises(service.RegistrationRefused) as refused:
            service.register(closed, _get(Cooperative, world["coop"]), _get(Classroom, world["cm1"]))
        assert refused.value.reasons and "closes depuis" in refused.value.reasons[0]
        assert db.session.query(Registration).filter_by(action_id=closed.id).count() == 0


def test_a_cooperative_action_takes_the_cooperative_once(app, world):
    with app.app_context():
        action = _get(Action, world["together"])
        service.register(action, _get(Cooperative, world["other"]))
        assert service.refusal_reasons(action, _get(Cooperative, world["other"])) == [
            "La coopérative 020502 est déjà inscrite à « Action des coopératives » (statut : Demandée)."
        ]


def test_occe_registration_quota_caps_what_a_class_may_ask(app, world):
    with app.app_context():
        assert _reasons(world, "model", classroom="cm1", quantity=27) == [
            "La demande (27 exemplaires) dépasse ce que cette classe peut demander : 26 au plus."
        ]
        assert _reasons(world, "model", classroom="cm1") == ["Indiquez le nombre de exemplaires demandés (1 au moins)."]
        assert _reasons(world, "model", classroom="cm1", quantity=26) == []
        # a console action has no plugin, hence no quota
        assert service.plugin_quota(_get(Action, world["capped"]), _get(Cooperative, world["coop"]), _get(Classroom, world["cm1"])) is None


def test_occe_registration_eligibility_adds_the_plugin_reasons(app, world):
    with app.app_context():
        assert _reasons(world, "model", classroom="gs", quantity=5) == ["L'action modèle s'adresse aux cycles 2 et 3."]
        # the plugin's rules apply to its own actions only
        assert _reasons(world, "capped", classroom="gs") == []


def test_an_action_of_a_plugin_switched_off_refuses_registrations(app, world):
    with app.app_context():
        plugin = current_manager().get("good_action")
        set_switch(current_manager(), plugin, current_year(), False)
        try:
            reasons = _reasons(world, "model", classroom="gs", quantity=5)
            assert reasons == [f"« Action modèle (livres) » n'est pas proposée en {current_year().label} : son module est désactivé."]
        finally:
            set_switch(current_manager(), plugin, current_year(), True)


# --- places and the waiting list ------------------------------------------------------------------


def test_full_actions_wait_list_and_a_freed_place_moves_the_oldest_up(app, world):
    with app.app_context():
        action = _get(Action, world["capped"])
        coop = _get(Cooperative, world["coop"])
        first = db.session.query(Registration).filter_by(action_id=action.id, classroom_id=world["ce1"]).one()
        second = service.register(action, coop, _get(Classroom, world["cm1"]))
        third = service.register(action, coop, _get(Classroom, world["cm2"]))
        assert service.under_minimum(action)
        assert service.accept_or_wait(first) == ACCEPTED
        assert service.accept_or_wait(second) == ACCEPTED
        assert not service.under_minimum(action)
        assert service.places_left(action) == 0
        assert service.accept_or_wait(third) == WAITING
        with pytest.raises(ValueError, match="est complète \\(2 places\\) : mettez la demande en liste d'attente"):
            service.change_status(third, ACCEPTED)
        promoted = service.change_status(first, CANCELLED, reason="La classe part en classe de neige.")
        assert promoted == [third] and third.status == ACCEPTED
        events = db.session.query(RegistrationEvent).filter_by(registration_id=third.id).order_by(RegistrationEvent.id).all()
        assert [(e.from_status, e.to_status) for e in events] == [(None, REQUESTED), (REQUESTED, WAITING), (WAITING, ACCEPTED)]
        assert events[-1].reason == service.PROMOTION_REASON
        assert service.counts_by_status(action)[ACCEPTED] == 2 and service.counts_by_status(action)[CANCELLED] == 1


def test_forbidden_status_changes_are_refused_in_french(app, world):
    with app.app_context():
        registration = service.register(_get(Action, world["motivated"]), _get(Cooperative, world["coop"]), _get(Classroom, world["ce1"]), motivation="Oui")
        service.change_status(registration, REFUSED)
        with pytest.raises(ValueError, match="Une inscription « Refusée » ne peut pas devenir « Retenue »."):
            service.change_status(registration, ACCEPTED)
        with pytest.raises(ValueError, match="Statut inconnu"):
            service.change_status(registration, "perdue")
        # refused: the class may register again
        again = service.register(_get(Action, world["motivated"]), _get(Cooperative, world["coop"]), _get(Classroom, world["ce1"]), motivation="Encore")
        assert again.status == REQUESTED


# --- proposals --------------------------------------------------------------------------------------


def test_august_proposals_list_the_actions_still_open_and_offered(app, world):
    with app.app_context():
        names = [proposal.action.name for proposal in august_proposals(current_year())]
        assert "Consom'acteur test" in names and "Action à venir" in names and "Action modèle (livres)" in names
        assert "Action close" not in names and "Action interne" not in names
        plugin = current_manager().get("good_action")
        set_switch(current_manager(), plugin, current_year(), False)
        try:
            assert "Action modèle (livres)" not in [p.action.name for p in august_proposals(current_year())]
        finally:
            set_switch(current_manager(), plugin, current_year(), True)


# --- pages --------------------------------------------------------------------------------------------


@pytest.fixture
def animation(app):
    client = app.test_client()
    login(client, "animation")
    return client


def test_staff_find_the_cooperative_then_register_a_class(app, world, animation):
    page = animation.get("/inscriptions/nouvelle/?q=Paul Bert").get_data(as_text=True)
    assert "020501" in page and f"/inscriptions/nouvelle/{world['coop']}" in page
    form_url = f"/inscriptions/nouvelle/{world['coop']}"
    response = post_form(animation, form_url, {"action_id": world["motivated"], "classroom_id": world["cm2"], "motivation": "Projet d'école"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/cooperativeview/show/{world['coop']}")
    with app.app_context():
        registration = db.session.query(Registration).filter_by(action_id=world["motivated"], classroom_id=world["cm2"]).one()
        assert registration.motivation == "Projet d'école"
        event = db.session.query(RegistrationEvent).filter_by(registration_id=registration.id).one()
        assert event.user.username == "animation"
    hub = animation.get(f"/cooperativeview/show/{world['coop']}").get_data(as_text=True)
    assert "Inscriptions aux actions" in hub and "Discussions philo test" in hub and "Inscrire une classe" in hub


def test_a_refused_registration_keeps_what_was_typed(app, world, animation):
    form_url = f"/inscriptions/nouvelle/{world['coop']}"
    response = post_form(animation, form_url, {"action_id": world["model"], "classroom_id": world["cm1"], "quantity": "99", "notes": "Pour la fête <de l'école>"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Inscription refusée" in page and "dépasse ce que cette classe peut demander : 26 au plus" in page
    assert 'value="99"' in page and "Pour la fête &lt;de l&#39;école&gt;" in page
    with app.app_context():
        assert db.session.query(Registration).filter_by(action_id=world["model"], classroom_id=world["cm1"]).count() == 0


def test_status_actions_run_from_the_list_with_a_csrf_token(app, world, animation):
    with app.app_context():
        registration = service.register(_get(Action, world["together"]), _get(Cooperative, world["coop"]))
        pk = registration.id
    token = csrf_token(animation, "/registrationview/list/")
    assert animation.post("/registrationview/action_post", data={"action": "retain", "rowid": str(pk)}).status_code == 400
    response = animation.post("/registrationview/action_post", data={"action": "retain", "rowid": str(pk), "csrf_token": token})
    assert response.status_code == 302
    response = animation.post("/registrationview/action_post", data={"action": "mark_done", "rowid": str(pk), "csrf_token": token})
    with app.app_context():
        assert _get(Registration, pk).status == DONE
    page = animation.get(f"/registrationview/show/{pk}").get_data(as_text=True)
    assert "Historique de l&#39;inscription" in page or "Historique de l'inscription" in page
    assert "Animation Test" in page  # who moved it


def test_an_action_confirmation_with_an_apostrophe_keeps_the_script_working(animation):
    """FAB writes the confirmation unescaped between quotes in a script: an apostrophe would end the string."""
    page = animation.get("/registrationview/list/").get_data(as_text=True)
    assert "execute_multiple('cancel','Annuler les inscriptions choisies ? Une place libérée profite à la liste d’attente.')" in page
    scripts = re.findall(r"execute_multiple\('[a-z_]+','([^)]*)'\)", page)
    assert scripts and all("'" not in text for text in scripts)


def test_status_actions_keep_to_the_rows_of_the_viewed_year(app, world, animation):
    """Stock FAB loads an @action's rows without the view's base filters: a forged id must not reach last year's row."""
    with app.app_context():
        last_year = _get(Classroom, world["old"]).school_year
        old_action = ensure_action(last_year, "ancienne", "Action de l'an dernier", opens_on=None, closes_on=None)
        old = Registration(action=old_action, school_year=last_year, cooperative_id=world["coop"], classroom_id=world["old"], status=REQUESTED)
        db.session.add(old)
        db.session.commit()
        pk = old.id
    token = csrf_token(animation, "/registrationview/list/")
    assert animation.post("/registrationview/action_post", data={"action": "refuse", "rowid": str(pk), "csrf_token": token}).status_code == 404
    assert animation.post(f"/registrationview/action/refuse/{pk}", data={"csrf_token": token}).status_code == 404
    assert animation.get(f"/registrationview/show/{pk}").status_code == 404
    with app.app_context():
        assert _get(Registration, pk).status == REQUESTED


def test_the_action_page_sums_up_and_links_the_recap(app, world, animation):
    page = animation.get(f"/actionview/show/{world['capped']}").get_data(as_text=True)
    assert 'id="action-summary"' in page and 'id="places-left">0<' in page
    csv_text = animation.get(f"/registrationview/export/csv?_flt_0_action={world['capped']}").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(csv_text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:3] == ["Action", "Coopérative", "Classe"]
    assert {row[2] for row in rows[1:]} == {"CE1 Paul Bert", "CM1 Paul Bert", "CM2 Paul Bert"}
    assert {row[0] for row in rows[1:]} == {"Consom'acteur test"}
    assert {row[7] for row in rows[1:]} == {"Annulée", "Retenue"}


def test_the_proposals_page_and_its_export(app, world, animation):
    page = animation.get("/actions/propositions/").get_data(as_text=True)
    assert "Consom&#39;acteur test" in page and "Action close" not in page
    assert "Action à venir" in animation.get("/actions/propositions/export/csv").get_data(as_text=True)
    assert animation.get("/actions/propositions/export/pdf").status_code == 404


def test_readers_cannot_register_nor_change_statuses(app, world):
    conseil = app.test_client()
    login(conseil, "conseil")
    assert conseil.get("/registrationview/list/").status_code == 200
    assert conseil.get(f"/inscriptions/nouvelle/{world['coop']}").status_code in (302, 403)
    hub_links = conseil.get("/actionview/list/").get_data(as_text=True)
    assert "Consom&#39;acteur test" in hub_links
    token = csrf_token(conseil, "/registrationview/list/")
    with app.app_context():
        pk = db.session.query(Registration.id).filter_by(status=REQUESTED).first()[0]
    conseil.post("/registrationview/action_post", data={"action": "refuse", "rowid": str(pk), "csrf_token": token})
    with app.app_context():
        assert _get(Registration, pk).status == REQUESTED


def test_a_larger_capacity_moves_the_waiting_list_up(app, world, animation):
    with app.app_context():
        action = _get(Action, world["capped"])
        waiting = service.register(action, _get(Cooperative, world["coop"]), _get(Classroom, world["ce1"]))
        assert service.accept_or_wait(waiting) == WAITING
        pk = waiting.id
    fields = {"name": "Consom'acteur test", "code": "consom", "audience": "classe", "capacity": "3", "in_proposals": "y", "repeat_next_year": "y"}
    response = post_form(animation, f"/actionview/edit/{world['capped']}", fields)
    assert response.status_code == 302
    with app.app_context():
        assert _get(Registration, pk).status == ACCEPTED


def test_staff_add_an_action_of_the_viewed_year_and_bad_dates_are_refused(app, animation):
    fields = {"name": "Rencontre chorale", "code": "", "audience": "classe", "opens_on": "2026-09-01", "closes_on": "2026-08-01", "capacity": "5", "minimum": "8"}
    page = post_form(animation, "/actionview/add", fields).get_data(as_text=True)
    assert "La clôture des inscriptions doit suivre leur ouverture." in page and "Le minimum ne peut pas dépasser la capacité." in page
    assert 'value="Rencontre chorale"' in page  # what was typed stays
    response = post_form(animation, "/actionview/add", {**fields, "closes_on": "2026-10-01", "minimum": "2"})
    assert response.status_code == 302, re.findall(r'(?:alert|error|danger)[^>]*>([^<]{3,})', response.get_data(as_text=True))
    with app.app_context():
        action = db.session.query(Action).filter_by(code="rencontre_chorale").one()
        assert action.school_year_id == current_year().id and action.plugin_code is None and action.capacity == 5
    listing = animation.get("/actionview/list/").get_data(as_text=True)
    assert "Rencontre chorale" in listing and "Console" in listing


def test_registrations_are_searched_by_status_with_a_drop_down_of_labels(app, world, animation):
    page = animation.get("/registrationview/list/").get_data(as_text=True)
    # FAB ships the search form's fields as JSON for its script: the status is a drop-down of the labels
    assert '"status": "\\u003cselect id=\\"status\\"' in page and 'liste_attente\\"\\u003eListe d\\u0026#39;attente' in page
    with app.app_context():
        action, other = _get(Action, world["together"]), _get(Cooperative, world["other"])
        registration = service.live_registration(action, other, None) or service.register(action, other)
        service.change_status(registration, WAITING)
        retained = service.register(_get(Action, world["motivated"]), _get(Cooperative, world["coop"]), _get(Classroom, world["gs"]), motivation="Oui")
        service.change_status(retained, ACCEPTED)
    waiting = animation.get("/registrationview/list/?_flt_0_status=liste_attente").get_data(as_text=True)
    retained = animation.get("/registrationview/list/?_flt_0_status=retenue").get_data(as_text=True)
    assert "020502" in waiting and "GS Paul Bert" not in waiting
    assert "GS Paul Bert" in retained and "020502" not in retained
    assert animation.get("/registrationview/list/?_flt_0_status=reten").get_data(as_text=True).count("Consom&#39;acteur test") == 0  # equality, not "starts with"
