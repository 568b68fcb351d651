"""« Actions fédérales relayées »: the contract end to end, from the plugin's own tables to the core's registrations."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.actions import service as registrations
from app.actions.models import Action, Registration
from app.directory.models import Cooperative, Membership, School
from app.extensions import db
from app.plugins.switches import current_manager, is_on, set_switch
from app.testing import build_test_app, login, post_form, schema_differences
from app.years.rollover import open_next_year
from app.years.service import current_year, get_or_create_year, get_year

from ..models import RelaisFederalAction, RelaisRelayedMail
from ..services import add_demo, count_for, create_federal_action, participants

PACKAGE = __package__.rsplit(".", 2)[0]


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return build_test_app(tmp_path_factory.mktemp("relais"), plugin_packages=[PACKAGE])


@pytest.fixture(scope="module")
def world(app):
    """An affiliated cooperative, one that is not, and a relayed action open today."""
    with app.app_context():
        year = current_year()
        member_school, other_school = School(uai="0020001R", name="École Adhérente", commune="Guise"), School(uai="0021234F", name="École Libre", commune="Bohain")
        member = Cooperative(affiliation_number="020801", school=member_school, status="active")
        stranger = Cooperative(affiliation_number="020802", school=other_school, status="active")
        db.session.add_all([member_school, other_school, member, stranger, Membership(cooperative=member, school_year=year, pupils=80, adults=5)])
        federal = create_federal_action(
            year, "Consom'acteur", opens_on=date.today() - timedelta(days=5), closes_on=date.today() + timedelta(days=60),
            federation_url="https://www.occe.coop/consomacteur", federal_deadline=date(year.start_date.year + 1, 5, 15),
        )  # fmt: skip
        db.session.commit()
        return {"member": member.id, "stranger": stranger.id, "action": federal.action_id, "federal": federal.id}


def test_plugin_is_loaded_on_and_its_migrations_match(app):
    with app.app_context():
        plugin = current_manager().get("relais")
        assert plugin.ok, plugin.errors
        assert is_on(plugin, current_year())
        assert set(plugin.hooks) >= {"occe_registration_eligibility", "occe_year_opened", "occe_demo_data"}
    assert schema_differences(app, "relais") == []


def test_a_relayed_action_is_a_core_action_joined_by_cooperatives(app, world):
    with app.app_context():
        action = db.session.get(Action, world["action"])
        assert (action.plugin_code, action.audience, action.code) == ("relais", "cooperative", "consom_acteur")
        registration = registrations.register(action, db.session.get(Cooperative, world["member"]))
        assert [r.id for r in participants(action)] == [registration.id]
        assert count_for(current_year()) == 1


def test_only_affiliated_cooperatives_take_part(app, world):
    with app.app_context():
        action = db.session.get(Action, world["action"])
        with pytest.raises(registrations.RegistrationRefused) as refused:
            registrations.register(action, db.session.get(Cooperative, world["stranger"]))
        assert refused.value.reasons == [
            f"La coopérative 020802 n'a pas adhéré pour {current_year().label} : les actions fédérales sont réservées aux coopératives affiliées."
        ]


def test_a_relayed_mail_counts_its_recipients(app, world):
    client = app.test_client()
    login(client, "animation")
    response = post_form(
        client, "/relayedmailview/add", {"action": world["action"], "relayed_on": date.today().isoformat(), "subject": "Consom'acteur : défi n° 2"}
    )
    assert response.status_code == 302
    with app.app_context():
        mail = db.session.query(RelaisRelayedMail).filter_by(subject="Consom'acteur : défi n° 2").one()
        assert mail.recipients == 1 and mail.relayed_by.username == "animation"
    page = client.get("/relayedmailview/list/").get_data(as_text=True)
    assert "défi n° 2" in page


def test_relaying_a_federal_mail_queues_it_personalised_to_the_participants(app, world):
    from app.directory.models import Person
    from app.mail.models import PENDING, MailMessage

    with app.app_context():
        member = db.session.get(Cooperative, world["member"])
        member.mandataire = Person(civility="Mme", first_name="Édith", last_name="Cœur", email="edith.coeur@example.org", function="mandataire")
        action = db.session.get(Action, world["action"])
        if not participants(action):
            registrations.register(action, member, commit=False)
        db.session.commit()
    client = app.test_client()
    login(client, "animation")
    fields = {"action": world["action"], "relayed_on": date.today().isoformat(), "subject": "Consom'acteur : défi n° 3", "summary": "Le défi n° 3 porte sur l'eau."}
    response = post_form(client, "/relayedmailview/add", fields)
    assert response.status_code == 302
    assert "1 courriel(s) personnalisé(s) mis en file d&#39;attente" in client.get("/relayedmailview/list/").get_data(as_text=True)
    with app.app_context():
        (message,) = db.session.query(MailMessage).filter_by(module="relais").all()
        assert (message.recipient_email, message.recipient_name, message.status) == ("edith.coeur@example.org", "Édith Cœur", PENDING)
        assert message.subject == "[Consom'acteur] Consom'acteur : défi n° 3"
        assert message.body_text.startswith("Bonjour Mme Cœur,\n\nLa fédération OCCE nous a transmis le message ci-dessous, pour l'action « Consom'acteur »")
        assert "Le défi n° 3 porte sur l'eau." in message.body_text
        assert "Plus d'informations : https://www.occe.coop/consomacteur" in message.body_text
    # without a text to relay, the mail is noted and nothing is queued
    post_form(client, "/relayedmailview/add", {**fields, "subject": "Sans texte", "summary": ""})
    assert "rien n&#39;a été envoyé aux participants" in client.get("/relayedmailview/list/").get_data(as_text=True)
    with app.app_context():
        assert db.session.query(MailMessage).filter_by(module="relais").count() == 1


def test_staff_add_a_relayed_action_from_the_plugin_page(app):
    client = app.test_client()
    login(client, "animation")
    fields = {"name": "Lettres sur les droits de l'enfant", "federation_url": "https://www.occe.coop/droits", "closes_on": "2099-01-01"}
    assert post_form(client, "/federalactionview/add", fields).status_code == 302
    with app.app_context():
        action = db.session.query(Action).filter_by(code="lettres_sur_les_droits_de_l_enfant").one()
        assert action.plugin_code == "relais" and action.school_year.is_current
        assert db.session.query(RelaisFederalAction).filter_by(action_id=action.id).one().federation_url == "https://www.occe.coop/droits"
    refused = post_form(client, "/federalactionview/add", {**fields, "federation_url": "pas une adresse"})
    page = refused.get_data(as_text=True)
    assert "Adresse web invalide" in page and "Lettres sur les droits de l&#39;enfant" in page
    listing = client.get("/federalactionview/list/").get_data(as_text=True)
    assert "Consom&#39;acteur" in listing and "Lettres sur les droits" in listing
    show = client.get(f"/federalactionview/show/{1}").get_data(as_text=True)
    assert "020801" in show  # the participants on the record's page


def test_the_rollover_carries_the_federal_details(app, world):
    with app.app_context():
        report = open_next_year(current_year())
        assert "Consom'acteur" in report.actions
        new_action = db.session.query(Action).filter_by(school_year_id=report.year.id, code="consom_acteur").one()
        details = db.session.query(RelaisFederalAction).filter_by(action_id=new_action.id).one()
        assert details.federation_url == "https://www.occe.coop/consomacteur"
        assert details.federal_deadline == date(current_year().start_date.year + 2, 5, 15)
        # last year's participation stays in last year
        assert db.session.query(Registration).filter_by(action_id=world["action"]).count() == 1


def test_switched_off_next_year_its_actions_refuse_and_this_year_is_intact(app, world):
    with app.app_context():
        next_year = get_year(f"{current_year().start_date.year + 1}-{current_year().start_date.year + 2}")
        set_switch(current_manager(), current_manager().get("relais"), next_year, False)
        action = db.session.query(Action).filter_by(school_year_id=next_year.id, code="consom_acteur").one()
        reasons = registrations.refusal_reasons(action, db.session.get(Cooperative, world["member"]), today=action.opens_on or date.today())
        assert any("son module est désactivé" in reason for reason in reasons)
        assert count_for(current_year()) == 1


def test_demo_data_is_deterministic_and_never_doubled(app, world):
    with app.app_context():
        year = get_or_create_year("2019-2020")
        db.session.add(Membership(cooperative_id=world["member"], school_year=year, pupils=70, adults=4))
        db.session.flush()
        set_switch(current_manager(), current_manager().get("relais"), year, True)

        def counts():
            actions = db.session.query(Action).filter_by(school_year_id=year.id, plugin_code="relais").count()
            taking_part = db.session.query(Registration).join(Action).filter(Action.school_year_id == year.id, Action.plugin_code == "relais").count()
            mails = db.session.query(RelaisRelayedMail).filter_by(school_year_id=year.id).count()
            return actions, taking_part, mails

        add_demo(year)
        db.session.commit()
        assert counts() == (2, 2, 2)  # both plan actions, joined by the one affiliated cooperative, one mail each
        add_demo(year)
        db.session.commit()
        assert counts() == (2, 2, 2)


def test_board_reads_but_cannot_add(app):
    client = app.test_client()
    login(client, "conseil")
    assert client.get("/federalactionview/list/").status_code == 200
    assert client.get("/federalactionview/add").status_code in (302, 403)
    assert client.get("/relayedmailview/add").status_code in (302, 403)
