"""Trainings: catalogue, sessions, registrations and capacity, the minimum and the cancellation mail, attendance, PDFs, pages, roles."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from app.directory.models import Cooperative, Person, School
from app.extensions import db
from app.mail.models import MailBatch, MailMessage
from app.mail.recipients import Recipient, RecipientList
from app.testing import login, post_form, schema_differences
from app.trainings import service
from app.trainings.models import CANCELLED, HELD, PLANNED, REGISTERED, REGISTRATION_CANCELLED, Training, TrainingRegistration, TrainingSession
from app.years.service import current_year, get_or_create_year, label_for

TODAY = date.today()
MONEY = "L'argent à l'école (nouveaux mandataires)"


def _days():
    """A past and a future day inside the current school year (whatever day the suite runs)."""
    year = current_year()
    return year, max(TODAY - timedelta(days=7), year.start_date), min(TODAY + timedelta(days=7), year.end_date)


def _at(day: date, hour: int = 14) -> datetime:
    return datetime.combine(day, time(hour, 0))


def _training(title=MONEY) -> Training:
    return service.training_by_title(title)


@pytest.fixture(scope="module")
def world(app):
    with app.app_context():
        school = School(uai="0020002S", name="École Jean Macé", commune="Soissons")
        mandataire = Person(civility="Mme", first_name="Claire", last_name="Martin", email="claire.martin@ac-amiens.example", function="mandataire")
        coop = Cooperative(affiliation_number="020811", school=school, status="active", mandataire=mandataire)
        lonely_school = School(uai="0021235G", name="École des Remparts", commune="Laon")
        lonely = Cooperative(affiliation_number="020812", school=lonely_school, status="active")
        db.session.add_all([school, mandataire, coop, lonely_school, lonely])
        db.session.commit()
        year, past, future = _days()
        soissons = service.create_session(_training(), year, _at(future), "soissons", capacity=3, minimum=2, decision_on=min(TODAY, future))
        laon = service.create_session(_training(), year, _at(past), "laon", capacity=10, minimum=0)
        return {"coop": coop.id, "lonely": lonely.id, "mandataire": mandataire.id, "soissons": soissons.id, "laon": laon.id, "year": year.id}


def _session(world, key) -> TrainingSession:
    return db.session.get(TrainingSession, world[key])


def _new_session(day=None, place="chauny", **kwargs) -> TrainingSession:
    year, past, future = _days()
    day = day or future
    kwargs.setdefault("capacity", 10)
    return service.create_session(_training(), get_or_create_year(label_for(day)), _at(day), place, **kwargs)


# --- catalogue and schema ----------------------------------------------------------------------


def test_the_migration_seeds_the_plan_catalogue_and_matches_the_models(app):
    assert [diff for diff in schema_differences(app) if "training" in repr(diff)] == []
    with app.app_context():
        titles = set(db.session.execute(select(Training.title)).scalars())
        assert {MONEY, "Visio mensuelle des mandataires", "Forum INSPE", "La Picardie en Poésie", "(In)formation THEA et Bals en liance"} <= titles
        visio = _training("Visio mensuelle des mandataires")
        assert visio.audience == "mandataires" and float(visio.default_hours) == 1.5


# --- sessions ----------------------------------------------------------------------------------


def test_a_session_takes_the_training_duration_and_refuses_bad_settings_in_french(app, world):
    with app.app_context():
        session = _new_session(minimum=3)
        assert session.status == PLANNED and float(session.hours) == 3 and session.school_year_id == world["year"]
        year, past, future = _days()
        with pytest.raises(service.TrainingRefused, match=r"Le minimum \(12\) ne peut pas dépasser la capacité \(10\)\."):
            _new_session(minimum=12)
        with pytest.raises(service.TrainingRefused, match="La date de décision .* doit précéder la session"):
            _new_session(decision_on=future + timedelta(days=1))
        with pytest.raises(service.TrainingRefused, match="Lieu « Autre » : précisez lequel."):
            _new_session(place="autre")
        with pytest.raises(service.TrainingRefused, match="La capacité doit être d'au moins 1 place."):
            _new_session(capacity=0)
        with pytest.raises(service.TrainingRefused, match="n'est pas dans l'année scolaire"):
            service.create_session(_training(), year, _at(year.end_date + timedelta(days=3)), "laon", capacity=5)
        other = service.create_session(_training(), year, _at(future), "autre", capacity=5, place_detail="Médiathèque de Hirson", plugin_code="thea")
        assert other.place_label == "Médiathèque de Hirson" and other.plugin_code == "thea"


def test_registrations_respect_capacity_duplicates_and_addresses(app, world):
    with app.app_context():
        session = _new_session(capacity=2)
        first = service.register(session, first_name="Paul", last_name="Durand", email=" Paul.Durand@ac-amiens.example ")
        assert first.email == "paul.durand@ac-amiens.example" and first.status == REGISTERED and first.attended is None
        with pytest.raises(service.TrainingRefused, match="paul.durand@ac-amiens.example est déjà inscrit·e à cette session."):
            service.register(session, first_name="Paul", last_name="Durand", email="paul.durand@ac-amiens.example")
        with pytest.raises(service.TrainingRefused, match="Adresse de courriel invalide « pas-une-adresse »."):
            service.register(session, first_name="Léa", last_name="Roux", email="pas-une-adresse")
        with pytest.raises(service.TrainingRefused, match="Indiquez le prénom et le nom de la personne."):
            service.register(session, first_name="", last_name="Roux", email="lea.roux@ac-amiens.example")
        service.register(session, first_name="Léa", last_name="Roux", email="lea.roux@ac-amiens.example")
        with pytest.raises(service.TrainingRefused, match=r"La session est complète \(2 places\) : inscription refusée."):
            service.register(session, first_name="Jean", last_name="Petit", email="jean.petit@ac-amiens.example")
        service.cancel_registration(first)
        assert first.status == REGISTRATION_CANCELLED and service.registered_count(session) == 1
        with pytest.raises(service.TrainingRefused, match="L'inscription de Paul Durand est déjà annulée."):
            service.cancel_registration(first)
        again = service.register(session, first_name="Paul", last_name="Durand", email="paul.durand@ac-amiens.example")
        assert again.id == first.id and again.status == REGISTERED
        assert db.session.execute(select(func.count(TrainingRegistration.id)).filter_by(session_id=session.id)).scalar_one() == 2


def test_under_the_minimum_the_decision_comes_at_the_decision_date(app, world):
    with app.app_context():
        year, past, future = _days()
        session = _new_session(day=future, minimum=2, decision_on=future - timedelta(days=3) if future - timedelta(days=3) >= year.start_date else future)
        decision = session.decision_on
        assert service.under_minimum(session, decision) and not service.to_decide(session, decision - timedelta(days=1))
        assert service.to_decide(session, decision) and session.minimum_alert in ("a_decider", "sous_minimum")
        service.register(session, first_name="Anne", last_name="Leroy", email="anne.leroy@ac-amiens.example")
        service.register(session, first_name="Marc", last_name="Blanc", email="marc.blanc@ac-amiens.example")
        assert not service.under_minimum(session, decision) and not service.to_decide(session, decision) and session.minimum_alert == ""
        assert not service.under_minimum(session, future + timedelta(days=1))  # once the day is past, there is nothing to decide


def test_cancelling_a_session_mails_every_registrant(app, world):
    with app.app_context():
        session = _new_session(minimum=4)
        coop = db.session.get(Cooperative, world["coop"])
        service.register(session, first_name="Claire", last_name="Martin", email="claire.martin@ac-amiens.example", person=coop.mandataire, cooperative=coop)
        service.register(session, first_name="Hugo", last_name="Lambert", email="hugo.lambert@ac-amiens.example")
        with pytest.raises(service.TrainingRefused, match="Indiquez le motif de l'annulation"):
            service.cancel_session(session, "  ")
        preview = service.cancellation_preview(session, "faute d'inscrits")
        assert preview.total == 2 and "faute d'inscrits" in preview.samples[0][1].body_text
        assert db.session.execute(select(func.count(MailMessage.id)).filter_by(module="trainings")).scalar_one() == 0  # a preview stores nothing
        batch = service.cancel_session(session, "faute d'inscrits", None)
        assert session.status == CANCELLED and session.cancelled_reason == "faute d'inscrits" and batch.queued_count == 2
        message = db.session.execute(select(MailMessage).filter_by(batch_id=batch.id, recipient_email="claire.martin@ac-amiens.example")).scalar_one()
        assert message.template == "trainings:annulation" and message.cooperative_id == world["coop"]
        assert message.subject.startswith("OCCE 02 : la formation « L'argent à l'école (nouveaux mandataires) » du ") and message.subject.endswith(" est annulée")
        assert message.body_text.startswith("Bonjour Mme Martin,") and "cette session est annulée : faute d'inscrits." in message.body_text
        assert "(Chauny)" in message.body_text
        with pytest.raises(service.TrainingRefused, match="Annulation impossible : la session est « Annulée »."):
            service.cancel_session(session, "encore")
        with pytest.raises(service.TrainingRefused, match="Inscription impossible : la session est « Annulée »."):
            service.register(session, first_name="Zoé", last_name="Morel", email="zoe.morel@ac-amiens.example")


def test_a_plugin_invites_teachers_to_its_session(app, world):
    with app.app_context():
        session = _new_session(place="laon", plugin_code="thea", minimum=0)
        recipients = RecipientList([Recipient("ines.garnier@ac-amiens.example", "Inès Garnier", None, {"greeting": "Bonjour Inès Garnier,"})], missing=["Classe « CM2 » : pas d'adresse."])
        batch = service.invite(session, recipients, message="Apportez vos textes.")
        db.session.commit()
        message = db.session.execute(select(MailMessage).filter_by(batch_id=batch.id)).scalar_one()
        assert message.template == "trainings:invitation" and message.subject.startswith("OCCE 02 : invitation à la formation « L'argent à l'école")
        assert "- lieu : Laon" in message.body_text and "- durée : 3 h" in message.body_text and "Apportez vos textes." in message.body_text
        assert db.session.get(MailBatch, batch.id).missing_count == 1


def test_attendance_makes_the_session_held_and_gives_certificates(app, world):
    with app.app_context():
        year, past, future = _days()
        later = service.create_session(_training(), get_or_create_year(label_for(TODAY + timedelta(days=30))), _at(TODAY + timedelta(days=30)), "laon", capacity=5)
        service.register(later, first_name="Eva", last_name="Noël", email="eva.noel@ac-amiens.example")
        with pytest.raises(service.TrainingRefused, match="La session n'a pas encore eu lieu"):
            service.record_attendance(later, [])
        session = _new_session(day=past)
        here = service.register(session, first_name="Élise", last_name="Dupont", email="elise.dupont@ac-amiens.example")
        away = service.register(session, first_name="Noé", last_name="Carré", email="noe.carre@ac-amiens.example")
        with pytest.raises(service.TrainingRefused, match="Aucune présence notée : pas d'attestation à éditer."):
            service.certificates(session, service.attendees(session))
        assert service.record_attendance(session, [here.id]) == (1, 1)
        assert session.status == HELD and here.attended is True and away.attended is False
        document = service.certificates(session, service.attendees(session))
        assert document.pages_count == 1 and document.to_bytes().startswith(b"%PDF")
        assert service.attendance_sheet(session).to_bytes().startswith(b"%PDF")
        with pytest.raises(service.TrainingRefused, match="l'inscription de Noé Carré ne peut plus être annulée"):
            service.cancel_registration(away)


# --- pages -------------------------------------------------------------------------------------


@pytest.fixture
def animation(app):
    client = app.test_client()
    login(client, "animation")
    return client


def test_the_sessions_list_shows_the_viewed_year_and_the_minimum_badge(app, world, animation):
    with app.app_context():
        previous = get_or_create_year("2019-2020")
        db.session.commit()
        service.create_session(_training("Forum INSPE"), previous, datetime(2019, 10, 9, 8, 30), "inspe", capacity=50)
    page = animation.get("/trainingsessionview/list/").get_data(as_text=True)
    assert 'class="label label-warning occe-under-minimum">Sous le minimum</span>' in page and "Inscrits" in page
    assert "09/10/2019" not in page and "Soissons" in page
    by_place = animation.get("/trainingsessionview/list/?_flt_0_place=laon").get_data(as_text=True)
    assert "Laon" in by_place and 'occe-under-minimum' not in by_place
    by_title = animation.get("/trainingsessionview/list/?_flt_2_training=argent").get_data(as_text=True)
    assert "Nombre de fiches:</strong> 0" not in by_title and "Soissons" in by_title
    nothing = animation.get("/trainingsessionview/list/?_flt_2_training=Picardie").get_data(as_text=True)
    assert "Aucune fiche trouvée" in nothing
    exported = animation.get("/trainingsessionview/export/csv")
    assert exported.status_code == 200 and "Formation" in exported.get_data(as_text=True)
    assert animation.get("/trainingview/list/").status_code == 200


def test_adding_a_session_with_bad_settings_keeps_what_was_typed(app, world, animation):
    with app.app_context():
        training_id = _training().id
        year, past, future = _days()
    data = {"training": str(training_id), "starts_at": f"{future:%Y-%m-%d} 14:00:00", "place": "autre", "place_detail": "", "hours": "", "capacity": "8",
            "minimum": "9", "decision_on": "", "notes": "Salle polyvalente réservée"}
    refused = post_form(animation, "/trainingsessionview/add", data)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 200 and "Le minimum (9) ne peut pas dépasser la capacité (8)." in page and "Lieu « Autre » : précisez lequel." in page
    assert "Salle polyvalente réservée" in page
    with app.app_context():
        bare = Training(title="Atelier sans durée", audience="enseignants")
        db.session.add(bare)
        db.session.commit()
        bare_id = bare.id
    no_hours = post_form(animation, "/trainingsessionview/add", {**data, "training": str(bare_id), "minimum": "4", "place_detail": "Salle des fêtes de Hirson"})
    assert "cette formation n&#39;a pas de durée habituelle" in no_hours.get_data(as_text=True) or "cette formation n'a pas de durée habituelle" in no_hours.get_data(as_text=True)
    saved = post_form(animation, "/trainingsessionview/add", {**data, "minimum": "4", "place_detail": "Salle des fêtes de Hirson"})
    assert saved.status_code == 302
    with app.app_context():
        session = db.session.execute(select(TrainingSession).filter_by(place_detail="Salle des fêtes de Hirson")).scalar_one()
        assert float(session.hours) == 3 and session.minimum == 4 and session.status == PLANNED and session.school_year_id == world["year"]


def test_registering_from_the_session_page(app, world, animation):
    url = f"/trainingsessionview/inscrire/{world['soissons']}"
    show = animation.get(f"/trainingsessionview/show/{world['soissons']}").get_data(as_text=True)
    assert "Inscrire une personne" in show and "Sous le minimum" in show
    refused = post_form(animation, url, {"first_name": "Jules", "last_name": "Moreau", "email": "jules@", "cooperative": "999999"})
    page = refused.get_data(as_text=True)
    assert "Aucune coopérative n° « 999999 »." in page and 'value="Moreau"' in page
    refused = post_form(animation, url, {"first_name": "Jules", "last_name": "Moreau", "email": "jules@", "cooperative": ""})
    assert "Adresse de courriel invalide « jules@ »." in refused.get_data(as_text=True)
    nobody = post_form(animation, url, {"cooperative": "020812"})
    assert "n&#39;a pas de mandataire avec une adresse de courriel" in nobody.get_data(as_text=True)
    saved = post_form(animation, url, {"cooperative": "020811"})  # the cooperative's mandataire
    assert saved.status_code == 302
    with app.app_context():
        registration = db.session.execute(select(TrainingRegistration).filter_by(session_id=world["soissons"], email="claire.martin@ac-amiens.example")).scalar_one()
        assert registration.person_id == world["mandataire"] and registration.cooperative_id == world["coop"]
    show = animation.get(f"/trainingsessionview/show/{world['soissons']}").get_data(as_text=True)
    assert f'id="registrant-{registration.id}"' in show and "claire.martin@ac-amiens.example" in show
    hub = animation.get(f"/cooperativeview/show/{world['coop']}").get_data(as_text=True)
    assert "Formations" in hub and "Claire Martin" in hub
    post_form(animation, f"/trainingsessionview/desinscrire/{registration.id}", {}, token_from=f"/trainingsessionview/show/{world['soissons']}")
    with app.app_context():
        assert db.session.get(TrainingRegistration, registration.id).status == REGISTRATION_CANCELLED


def test_attendance_and_certificates_from_the_session_page(app, world, animation):
    with app.app_context():
        session = _session(world, "laon")
        here = service.register(session, first_name="Sarah", last_name="Benoît", email="sarah.benoit@ac-amiens.example").id
        away = service.register(session, first_name="Tom", last_name="Henry", email="tom.henry@ac-amiens.example").id
    show_url = f"/trainingsessionview/show/{world['laon']}"
    assert 'id="attendance-submit"' in animation.get(show_url).get_data(as_text=True)
    response = post_form(animation, f"/trainingsessionview/presences/{world['laon']}", {"present": [str(here)]}, token_from=show_url)
    follow = animation.get(response.headers["Location"]).get_data(as_text=True)
    assert "Présences enregistrées : 1 présent·e(s), 1 absent·e(s)." in follow
    with app.app_context():
        assert _session(world, "laon").status == HELD
        assert db.session.get(TrainingRegistration, here).attended is True and db.session.get(TrainingRegistration, away).attended is False
    pdf = animation.get(f"/trainingsessionview/attestations/{world['laon']}")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    single = animation.get(f"/trainingsessionview/attestation/{here}")
    assert single.mimetype == "application/pdf" and "attestation-benoit-sarah" in single.headers["Content-Disposition"]
    refused = animation.get(f"/trainingsessionview/attestation/{away}")
    assert refused.status_code == 302
    assert "Pas d&#39;attestation pour Tom Henry" in animation.get(refused.headers["Location"]).get_data(as_text=True)
    assert animation.get(f"/trainingsessionview/emargement/{world['laon']}").mimetype == "application/pdf"


def test_proposing_the_cancellation_previews_then_cancels_on_confirmation(app, world, animation):
    with app.app_context():
        year, past, future = _days()
        session = service.create_session(_training(), year, _at(future), "soissons", capacity=12, minimum=6, decision_on=min(TODAY, future))
        service.register(session, first_name="Lina", last_name="Fabre", email="lina.fabre@ac-amiens.example")
        pk = session.id
    show = animation.get(f"/trainingsessionview/show/{pk}").get_data(as_text=True)
    assert 'id="propose-cancel"' in show and "la console propose d'annuler la session" in show
    page = animation.get(f"/trainingsessionview/annulation/{pk}").get_data(as_text=True)
    assert 'id="cancel-proposed"' in page and "lina.fabre@ac-amiens.example" in page and "cette session est annulée : le nombre minimum d&#39;inscrits n&#39;est pas atteint." in page
    with app.app_context():
        assert _session({"s": pk}, "s").status == PLANNED  # the GET changed nothing
    preview = post_form(animation, f"/trainingsessionview/annulation/{pk}", {"reason": "faute d'inscrits à Soissons", "preview": "1"})
    assert "faute d&#39;inscrits à Soissons" in preview.get_data(as_text=True)
    with app.app_context():
        assert _session({"s": pk}, "s").status == PLANNED  # a preview changed nothing
    empty = post_form(animation, f"/trainingsessionview/annulation/{pk}", {"reason": "", "confirm": "1"})
    assert "annulation : il figure dans le courriel aux inscrits." in empty.get_data(as_text=True)
    done = post_form(animation, f"/trainingsessionview/annulation/{pk}", {"reason": "faute d'inscrits à Soissons", "confirm": "1"})
    assert done.status_code == 302
    assert "1 courriel(s) d&#39;annulation mis en file d&#39;attente" in animation.get(done.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        session = _session({"s": pk}, "s")
        assert session.status == CANCELLED and session.cancelled_by.username == "animation"
        assert db.session.execute(select(MailMessage).filter_by(recipient_email="lina.fabre@ac-amiens.example", template="trainings:annulation")).scalar_one()


def test_sessions_with_registrations_and_used_trainings_are_not_deleted(app, world, animation):
    response = post_form(animation, f"/trainingsessionview/delete/{world['laon']}", {}, token_from=f"/trainingsessionview/show/{world['laon']}")
    assert "annulez-la plutôt que de la supprimer" in animation.get(response.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        assert _session(world, "laon") is not None
        training_id = _training().id
    response = post_form(animation, f"/trainingview/delete/{training_id}", {}, token_from="/trainingview/list/")
    assert "décochez « Proposée » plutôt que de la supprimer" in animation.get(response.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        empty = _new_session(place="inspe")
        pk = empty.id
    post_form(animation, f"/trainingsessionview/delete/{pk}", {}, token_from="/trainingsessionview/list/")
    with app.app_context():
        assert db.session.get(TrainingSession, pk) is None


def test_the_registrations_list_and_its_cancel_action(app, world, animation):
    with app.app_context():
        session = _new_session(place="saint_quentin")
        pk = service.register(session, first_name="Yanis", last_name="Girard", email="yanis.girard@ac-amiens.example").id
    page = animation.get("/trainingregistrationview/list/").get_data(as_text=True)
    assert "Inscriptions aux formations" in page and "yanis.girard@ac-amiens.example" in page and "Non noté" in page
    bad = post_form(animation, f"/trainingregistrationview/edit/{pk}", {"first_name": "Yanis", "last_name": "Girard", "email": "yanis%girard"})
    assert "Adresse de courriel invalide « yanis%girard »." in bad.get_data(as_text=True)
    post_form(animation, "/trainingregistrationview/action_post", {"action": "cancel_registrations", "rowid": [str(pk)]}, token_from="/trainingregistrationview/list/")
    with app.app_context():
        assert db.session.get(TrainingRegistration, pk).status == REGISTRATION_CANCELLED


def test_the_dashboard_card_counts_the_sessions_to_decide(app, world, animation):
    home = animation.get("/").get_data(as_text=True)
    assert "Formations à venir" in home and "sous le minimum à décider" in home


def test_gestion_registers_but_neither_cancels_nor_records_attendance(app, world):
    gestion = app.test_client()
    login(gestion, "gestion")
    assert gestion.get(f"/trainingsessionview/inscrire/{world['soissons']}").status_code == 200
    assert gestion.get(f"/trainingsessionview/annulation/{world['soissons']}").status_code in (302, 403)
    assert gestion.get("/trainingsessionview/add").status_code in (302, 403)
    post_form(gestion, f"/trainingsessionview/presences/{world['soissons']}", {"present": []}, token_from=f"/trainingsessionview/show/{world['soissons']}")
    with app.app_context():
        assert _session(world, "soissons").status == PLANNED


def test_conseil_reads_sessions_without_registrants_addresses(app, world):
    conseil = app.test_client()
    login(conseil, "conseil")
    assert conseil.get("/trainingsessionview/list/").status_code == 200
    show = conseil.get(f"/trainingsessionview/show/{world['soissons']}")
    assert show.status_code == 200 and "Inscrire une personne" not in show.get_data(as_text=True)
    assert conseil.get("/trainingregistrationview/list/").status_code in (302, 403)
    assert conseil.get(f"/trainingsessionview/inscrire/{world['soissons']}").status_code in (302, 403)
    assert conseil.get(f"/trainingsessionview/attestations/{world['laon']}").status_code in (302, 403)
    post_form(conseil, f"/trainingsessionview/annulation/{world['soissons']}", {"reason": "x", "confirm": "1"}, token_from="/trainingsessionview/list/")
    with app.app_context():
        assert _session(world, "soissons").status == PLANNED


def test_inviting_the_mandataires_previews_then_queues(app, world, animation):
    from app.directory.models import Membership

    with app.app_context():
        db.session.add(Membership(cooperative_id=world["coop"], school_year_id=world["year"], pupils=120, adults=8))
        db.session.commit()
        pk = _new_session(place="visio", minimum=0).id
    url = f"/trainingsessionview/inviter/{pk}"
    assert 'id="invite"' in animation.get(f"/trainingsessionview/show/{pk}").get_data(as_text=True)
    page = animation.get(url).get_data(as_text=True)
    assert "claire.martin@ac-amiens.example" in page and "- lieu : Visio" in page and "Bonjour Mme Martin," in page
    with app.app_context():
        assert db.session.execute(select(func.count(MailMessage.id)).filter_by(template="trainings:invitation", recipient_email="claire.martin@ac-amiens.example")).scalar_one() == 0
    done = post_form(animation, url, {"message": "Lien de connexion envoyé la veille.", "confirm": "1"})
    assert done.status_code == 302
    with app.app_context():
        message = db.session.execute(select(MailMessage).filter_by(template="trainings:invitation", recipient_email="claire.martin@ac-amiens.example")).scalar_one()
        assert "Lien de connexion envoyé la veille." in message.body_text
    gestion = app.test_client()
    login(gestion, "gestion")
    assert gestion.get(url).status_code in (302, 403)


def test_a_person_erased_from_the_directory_is_erased_from_the_registrations(app, world):
    from app.directory import gdpr

    with app.app_context():
        session = _new_session(place="laon")
        person = Person(first_name="Rémi", last_name="Faure", email="remi.faure@ac-amiens.example")
        db.session.add(person)
        db.session.commit()
        registration = service.register(session, first_name="Rémi", last_name="Faure", email="remi.faure@ac-amiens.example", person=person)
        assert service.personal_data("Remi.Faure@ac-amiens.example")[0]["nom"] == "Faure"
        assert gdpr.personal_data(person)["formations"][0]["nom"] == "Faure"  # the directory's GDPR export includes it
        gdpr.anonymise(person)  # the directory's anonymisation reaches the registrations
        assert registration.last_name == f"anonymisée n° {registration.id}" and registration.person_id is None and "faure" not in registration.email
        assert service.personal_data("remi.faure@ac-amiens.example") == [] and service.registered_count(session) == 1


# --- demonstration -----------------------------------------------------------------------------


def test_the_demo_is_idempotent_and_proposes_cancelling_soissons(app, world):
    from app.trainings.demo import load_trainings_demo

    with app.app_context():
        year = get_or_create_year("2024-2025")
        db.session.commit()
        load_trainings_demo(year)
        db.session.commit()
        count = db.session.execute(select(func.count(TrainingSession.id)).filter_by(school_year_id=year.id)).scalar_one()
        load_trainings_demo(year)
        db.session.commit()
        assert db.session.execute(select(func.count(TrainingSession.id)).filter_by(school_year_id=year.id)).scalar_one() == count >= 12
        sessions = list(db.session.execute(select(TrainingSession).filter_by(school_year_id=year.id)).scalars())
        places = {session.place for session in sessions if session.training.title == MONEY}
        assert places == {"chauny", "laon", "soissons"}
        soissons = next(session for session in sessions if session.place == "soissons")
        assert soissons.status == CANCELLED and "faute d'un nombre suffisant d'inscrits" in soissons.cancelled_reason
        assert sum(session.training.title == "Visio mensuelle des mandataires" for session in sessions) == 9
        # in a year running now, Soissons waits for the decision the console proposes
        current = get_or_create_year(label_for(date(2031, 11, 20)))
        db.session.commit()
        load_trainings_demo(current, today=date(2031, 11, 20))
        soissons = db.session.execute(select(TrainingSession).filter_by(school_year_id=current.id, place="soissons")).scalar_one()
        assert soissons.status == PLANNED and soissons.decision_on == date(2031, 11, 17)
        assert service.to_decide(soissons, date(2031, 11, 20))
        db.session.rollback()
