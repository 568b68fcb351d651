"""The mail service: templates, personalised recipients, the outbox, a real SMTP server on loopback, the pages.

An aiosmtpd server runs on a free loopback port for the whole module; each
test reads what it received (envelope and parsed message). Nothing sleeps:
the SMTP client waits for each answer, so a message is stored by the
server before ``send_pending`` returns.
"""

from __future__ import annotations

import csv
import email
import re
import io
import socket
import threading
from datetime import date, timedelta
from email import policy

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from app.actions.catalogue import ensure_action
from app.actions.models import ACCEPTED, REQUESTED, Action, Registration
from app.directory.models import Classroom, Cooperative, Membership, Person, School, Sector
from app.extensions import db
from app.mail import service
from app.mail.backends import FileBackend, build_message, sender_address
from app.mail.models import CANCELLED, FAILED, PENDING, SENT, MailBatch, MailMessage
from app.mail.recipients import action_recipients, affiliated_recipients, cooperative_recipients
from app.mail.rendering import MailTemplateError, available_templates, find_template
from app.plugins.switches import current_manager, set_switch
from app.testing import build_test_app, csrf_token, login
from app.years.service import current_year, get_or_create_year

TODAY = date.today()


# --- a real SMTP server on loopback ---------------------------------------------------------


class Recorder:
    """An aiosmtpd handler keeping every message; some addresses are refused on purpose."""

    def __init__(self):
        self.messages: list[tuple[str, list[str], email.message.EmailMessage]] = []
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("refuse"):
            return "550 5.1.1 Mailbox unknown"
        if address.startswith("plus-tard"):
            return "451 4.3.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        parsed = email.message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        with self.lock:
            self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), parsed))
        return "250 Message accepted for delivery"

    def take(self) -> list[tuple[str, list[str], email.message.EmailMessage]]:
        with self.lock:
            taken, self.messages = self.messages, []
        return taken


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def smtp():
    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield recorder, controller.port
    controller.stop()


@pytest.fixture(scope="module")
def app(tmp_path_factory, smtp):
    _recorder, port = smtp
    return build_test_app(
        tmp_path_factory.mktemp("mail"),
        plugin_packages=["tests.fixture_plugins"],
        OCCE_MAIL_BACKEND="smtp",
        OCCE_MAIL_SMTP_HOST="127.0.0.1",
        OCCE_MAIL_SMTP_PORT=port,
        OCCE_MAIL_SMTP_SECURITY="none",
        OCCE_MAIL_FROM="OCCE 02 — Aisne <ad02@occe.example.org>",
        OCCE_MAIL_MAX_ATTEMPTS=2,
    )


@pytest.fixture(autouse=True)
def clean_outbox(app, smtp):
    """Each test starts with an empty outbox and an empty server."""
    with app.app_context():
        db.session.query(MailMessage).delete()
        db.session.query(MailBatch).delete()
        db.session.commit()
    smtp[0].take()
    yield


@pytest.fixture(scope="module")
def world(app):
    """Two schools; teachers with and without addresses; a class action with retained and requested classes."""
    with app.app_context():
        year = current_year()
        last_year = get_or_create_year(f"{year.start_date.year - 1}-{year.start_date.year}")
        sector = Sector(name="Laon courriels")
        school = School(uai="0020001R", name="École Élémentaire Hélène Boucher", kind="primaire", commune="Laon", sector=sector)
        other_school = School(uai="0021234F", name="École Jean Macé", kind="primaire", commune="Château-Thierry", sector=sector)
        third_school = School(uai="0020002S", name="École Sans Adresse", kind="primaire", commune="Guise", sector=sector)
        mandataire = Person(civility="M.", first_name="Jérôme", last_name="Lefèvre", email="jerome.lefevre@example.org", function="mandataire", school=school)
        teacher = Person(civility="Mme", first_name="Hélène", last_name="Dupré", email="helene.dupre@example.org", school=school)
        no_mail_teacher = Person(civility="Mme", first_name="Zoé", last_name="Sansmail", school=school)
        other_mandataire = Person(civility="Mme", first_name="Anaïs", last_name="Brûlé", email="anais.brule@example.org", function="mandataire", school=other_school)
        silent = Person(civility="M.", first_name="Noël", last_name="Muet", function="mandataire", school=third_school)
        coop = Cooperative(affiliation_number="020601", school=school, sector=sector, status="active", mandataire=mandataire)
        other = Cooperative(affiliation_number="020602", school=other_school, sector=sector, status="active", mandataire=other_mandataire)
        nobody = Cooperative(affiliation_number="020603", school=third_school, sector=sector, status="active", mandataire=silent)
        closed = Cooperative(affiliation_number="020604", school=third_school, sector=sector, status="fermee", mandataire=other_mandataire)
        db.session.add_all([sector, school, other_school, third_school, mandataire, teacher, no_mail_teacher, other_mandataire, silent, coop, other, nobody, closed])
        classes = {
            "cm1": Classroom(school_year=year, school=school, teacher=teacher, name="CM1 Boucher", levels="CM1", cycles="3", pupils=24),
            "cm2": Classroom(school_year=year, school=school, teacher=teacher, name="CM2 Boucher", levels="CM2", cycles="3", pupils=22),
            "ce1": Classroom(school_year=year, school=school, teacher=no_mail_teacher, name="CE1 Boucher", levels="CE1", cycles="2", pupils=20),
            "cp": Classroom(school_year=year, school=other_school, name="CP Macé", levels="CP", cycles="2", pupils=18),
            "ce2": Classroom(school_year=year, school=third_school, name="CE2 Guise", levels="CE2", cycles="2", pupils=19),
            "ms": Classroom(school_year=year, school=school, teacher=teacher, name="MS Boucher", levels="MS", cycles="1", pupils=25),
        }
        db.session.add_all(classes.values())
        db.session.add_all(
            [
                Membership(cooperative=coop, school_year=year, pupils=90, adults=5),
                Membership(cooperative=other, school_year=last_year, pupils=40, adults=2),  # last year only: still in the August mailing
                Membership(cooperative=nobody, school_year=year, pupils=30, adults=1),
                Membership(cooperative=closed, school_year=year, pupils=10, adults=1),
            ]
        )
        window = {"opens_on": TODAY - timedelta(days=10), "closes_on": TODAY + timedelta(days=40)}
        action = ensure_action(year, "ecrits_courriels", "Écrits d'élèves", description="Une action d'écriture.", **window)
        db.session.flush()
        for key, status in (("cm1", ACCEPTED), ("cm2", ACCEPTED), ("ce1", ACCEPTED), ("cp", ACCEPTED), ("ce2", ACCEPTED), ("ms", REQUESTED)):
            classroom = classes[key]
            coop_of = {school.id: coop, other_school.id: other, third_school.id: nobody}[classroom.school_id]
            db.session.add(Registration(action=action, school_year_id=year.id, cooperative=coop_of, classroom=classroom, status=status))
        set_switch(current_manager(), current_manager().get("good_action"), year, True)
        db.session.commit()
        return {"year": year.id, "action": action.id, "coop": coop.id, "other": other.id, "nobody": nobody.id, "closed": closed.id}


def text_of(message) -> str:
    """A received message's decoded text, with the wire's CRLF line ends as newlines."""
    return message.get_content().replace("\r\n", "\n")


def _action(world) -> Action:
    return db.session.get(Action, world["action"])


def _messages(**filters) -> list[MailMessage]:
    return db.session.query(MailMessage).filter_by(**filters).order_by(MailMessage.id).all()


EXTRAS = {"title": "Réunion de préparation", "message": "Rendez-vous mercredi à 14 h à l'école."}


# --- templates --------------------------------------------------------------------------------


def test_occe_mail_templates_offers_the_core_and_the_plugins_on_this_year(app, world):
    with app.app_context():
        year = current_year()
        keys = {t.key for t in available_templates(year)}
        assert {"mail:propositions_fin_aout", "mail:relais_federal", "mail:message_action", "good_action:rappel"} <= keys
        plugin = current_manager().get("good_action")
        set_switch(current_manager(), plugin, year, False)
        try:
            assert "good_action:rappel" not in {t.key for t in available_templates(year)}
            assert find_template("mail:message_action", year).template.asks == ("title", "message")
        finally:
            set_switch(current_manager(), plugin, year, True)


def test_a_mail_template_checks_its_code_and_fields():
    from app.plugins import MailTemplate

    with pytest.raises(ValueError, match="Code de modèle de courriel invalide"):
        MailTemplate("Résultats", "Résultats", "objet", "texte")
    with pytest.raises(ValueError, match="Champs inconnus"):
        MailTemplate("resultats", "Résultats", "objet", "texte", asks=("signature",))


def test_a_template_error_is_explained_in_french(app, world):
    with app.app_context():
        recipients = action_recipients(_action(world))
        with pytest.raises(MailTemplateError) as error:
            service.preview("good_action:coquille", recipients)
        assert str(error.value) == (
            "Donnée inconnue « clasroom » dans le modèle « Action modèle : modèle avec une faute de frappe » (le texte) : "
            "vérifiez l'orthographe, ou testez une donnée qui peut manquer avec {% if ... %}."
        )
        with pytest.raises(MailTemplateError, match="Remplissez le message : le modèle « Message aux classes inscrites à une action » l'utilise"):
            service.preview("mail:message_action", recipients, {"title": "Objet seul"})
        assert db.session.query(MailMessage).count() == 0


def test_templates_render_in_a_sandbox(app, world):
    from app.mail.rendering import RegisteredTemplate, render
    from app.plugins import MailTemplate

    hostile = RegisteredTemplate("test", "Test", MailTemplate("hostile", "Hostile", "x", "{{ greeting.__class__.__mro__ }}"))
    with pytest.raises(MailTemplateError, match="Donnée inconnue|Opération interdite"):
        render(hostile, {"greeting": "Bonjour,"})
    injected = RegisteredTemplate("test", "Test", MailTemplate("sujet", "Sujet", "{{ title }}", "ok"))
    assert render(injected, {"title": "Objet\nBcc: pirate@example.org"}).subject == "Objet Bcc: pirate@example.org"


# --- recipients -------------------------------------------------------------------------------


def test_the_classes_of_an_action_receive_one_personalised_message_per_address(app, world):
    with app.app_context():
        found = action_recipients(_action(world))
        by_email = {r.email: r for r in found.recipients}
        # Mme Dupré has two retained classes: one message naming both; the CP has no teacher: its mandataire
        assert sorted(by_email) == ["anais.brule@example.org", "helene.dupre@example.org", "jerome.lefevre@example.org"]
        assert [c["name"] for c in by_email["helene.dupre@example.org"].context["classrooms"]] == ["CM1 Boucher", "CM2 Boucher"]
        assert found.merged == 1
        # the CE1's teacher has no address: the cooperative's mandataire receives it
        assert by_email["jerome.lefevre@example.org"].context["classroom"]["name"] == "CE1 Boucher"
        assert by_email["anais.brule@example.org"].context["greeting"] == "Bonjour Mme Brûlé,"
        assert found.missing == [
            "Classe « CE2 Guise » (École Sans Adresse, coopérative 020603) : ni l'enseignant·e de la classe ni le ou la mandataire n'a d'adresse de courriel."
        ]
        # choosing the statuses: the requested MS joins
        assert {c["name"] for r in action_recipients(_action(world), [ACCEPTED, REQUESTED]).recipients for c in r.context["classrooms"]} >= {"MS Boucher"}


def test_the_cooperatives_taking_part_and_the_affiliated_cooperatives(app, world):
    with app.app_context():
        taking_part = cooperative_recipients(_action(world))
        assert [r.email for r in taking_part.recipients] == ["anais.brule@example.org", "jerome.lefevre@example.org"]
        assert taking_part.missing == ["Coopérative 020603 (École Sans Adresse) : le ou la mandataire n'a pas d'adresse de courriel."]
        affiliated = affiliated_recipients(current_year())
        # 020602 joined last year only (the August mailing precedes the new memberships); 020604 is closed
        assert sorted(r.context["cooperative"]["affiliation_number"] for r in affiliated.recipients) == ["020601", "020602"]
        assert affiliated.missing == ["Coopérative 020603 (École Sans Adresse) : le ou la mandataire n'a pas d'adresse de courriel."]


# --- sending through the loopback SMTP server ------------------------------------------------


def test_queued_mails_are_sent_by_smtp_in_french_and_personalised(app, world, smtp):
    recorder, _port = smtp
    with app.app_context():
        batch = service.queue("mail:message_action", action_recipients(_action(world)), EXTRAS, label="Réunion", user_id=None)
        assert (batch.queued_count, batch.missing_count, batch.pending_count) == (3, 1, 3)
        assert {m.status for m in _messages()} == {PENDING}
        assert recorder.take() == []  # queueing sends nothing
        report = service.send_pending()
        assert (report.sent, report.retry, report.failed, report.error) == (3, 0, 0, None)
        assert report.summary() == "3 courriel(s) envoyé(s)."
        sent = _messages()
        assert {(m.status, m.attempts) for m in sent} == {(SENT, 1)} and all(m.sent_at for m in sent)
        db.session.refresh(batch)
        assert (batch.sent_count, batch.pending_count, batch.failed_count) == (3, 0, 0)
    received = {rcpt[0]: message for _sender, rcpt, message in recorder.take()}
    assert sorted(received) == ["anais.brule@example.org", "helene.dupre@example.org", "jerome.lefevre@example.org"]
    helene = received["helene.dupre@example.org"]
    assert helene["Subject"] == "[Écrits d'élèves] Réunion de préparation"
    assert helene["To"].addresses[0].display_name == "Hélène Dupré"
    assert helene["From"].addresses[0].display_name == "OCCE 02 — Aisne"
    body = text_of(helene)
    assert body.startswith("Bonjour Mme Dupré,\n\nRendez-vous mercredi à 14 h à l'école.\n")
    assert "votre classe (CM1 Boucher, CM2 Boucher) est inscrite à « Écrits d'élèves »" in body
    assert "L'équipe de l'OCCE 02" in body
    assert text_of(received["jerome.lefevre@example.org"]).startswith("Bonjour M. Lefèvre,")


def test_the_file_backend_writes_a_parsable_eml(app, world, tmp_path):
    with app.app_context():
        service.queue("mail:propositions_fin_aout", affiliated_recipients(current_year()))
        report = service.send_pending(backend=FileBackend(tmp_path / "mail"))
        assert report.sent == 2
        label = current_year().label
    files = sorted((tmp_path / "mail").glob("*.eml"))
    assert len(files) == 2
    parsed = [email.message_from_bytes(path.read_bytes(), policy=policy.default) for path in files]
    by_to = {m["To"].addresses[0].addr_spec: m for m in parsed}
    jerome = by_to["jerome.lefevre@example.org"]
    assert jerome["Subject"] == f"OCCE 02 : les actions proposées aux classes en {label}"
    link = re.search(r"\), utilisez ce lien personnel \(à ne pas diffuser hors de l'équipe de l'école\) :\n(\S+/enseignants/\S+)\n", text_of(jerome))
    assert link, text_of(jerome)  # each school's own link to answer online (issue 11)
    with app.app_context():
        from app.teachers.models import TeacherLink
        from app.teachers.service import resolve

        assert resolve(link.group(1).rsplit("/", 1)[1]).cooperative.school.name in text_of(jerome)
        assert db.session.query(TeacherLink).count() == 2  # saved with the queued mails
    assert jerome["To"].addresses[0].display_name == "Jérôme Lefèvre"
    text = text_of(jerome)
    assert "de votre école (École Élémentaire Hélène Boucher)" in text
    assert "- Écrits d'élèves (inscriptions jusqu'au " in text and "  Une action d'écriture." in text
    assert "(coopérative n° 020601)" in text
    assert b"\r\n" in files[0].read_bytes()  # RFC 5322 line ends


def test_the_default_backend_writes_into_the_instance_folder(app, world, monkeypatch):
    from pathlib import Path

    monkeypatch.setitem(app.config, "OCCE_MAIL_BACKEND", "file")
    with app.app_context():
        service.queue("good_action:rappel", action_recipients(_action(world)))
        before = set((Path(app.instance_path) / "mail").glob("*.eml"))
        assert service.send_pending().sent == 3
        written = set((Path(app.instance_path) / "mail").glob("*.eml")) - before
        label = current_year().label
    assert len(written) == 3
    subjects = {email.message_from_bytes(p.read_bytes(), policy=policy.default)["Subject"] for p in written}
    assert f"Action modèle {label} : rappel pour la classe CM1 Boucher" in subjects


def test_a_server_down_keeps_every_message_then_a_later_send_delivers(app, world, smtp, monkeypatch):
    recorder, port = smtp
    dead = free_port()
    with app.app_context():
        service.queue("mail:message_action", action_recipients(_action(world)), EXTRAS)
        monkeypatch.setitem(app.config, "OCCE_MAIL_SMTP_PORT", dead)
        report = service.send_pending()
        assert report.sent == 0
        assert report.error == f"Serveur de courriel injoignable (127.0.0.1:{dead}) : connexion refusée, le serveur est arrêté ou l'adresse est fausse."
        waiting = _messages()
        assert [(m.status, m.attempts) for m in waiting] == [(PENDING, 0)] * 3  # an outage uses up no try
        assert all(m.last_error == report.error for m in waiting)
        assert all(m.claimed_by is None for m in waiting)
        monkeypatch.setitem(app.config, "OCCE_MAIL_SMTP_PORT", port)
        later = service.send_pending()
        assert (later.sent, later.error) == (3, None)
        db.session.expire_all()
        assert {(m.status, m.last_error) for m in _messages()} == {(SENT, None)}
    assert len(recorder.take()) == 3


def test_refusals_are_kept_retried_then_given_up(app, world, smtp):
    from app.mail.recipients import Recipient

    recorder, _port = smtp
    people = [
        Recipient("refuse@example.org", "Adresse Inconnue", None, {"greeting": "Bonjour,"}),
        Recipient("plus-tard@example.org", "Boîte Pleine", None, {"greeting": "Bonjour,"}),
        Recipient("ok@example.org", "Tout Va Bien", None, {"greeting": "Bonjour,"}),
    ]
    with app.app_context():
        service.queue("mail:message_action", people, EXTRAS)
        first = service.send_pending()
        assert (first.sent, first.retry, first.failed, first.error) == (1, 1, 1, None)
        state = {m.recipient_email: (m.status, m.attempts) for m in _messages()}
        assert state == {"refuse@example.org": (FAILED, 1), "plus-tard@example.org": (PENDING, 1), "ok@example.org": (SENT, 1)}
        refused = _messages(recipient_email="refuse@example.org")[0]
        assert refused.last_error == "Adresse refusée par le serveur (code 550 : 5.1.1 Mailbox unknown)."
        second = service.send_pending()  # OCCE_MAIL_MAX_ATTEMPTS = 2: the second temporary refusal gives up
        assert (second.sent, second.retry, second.failed) == (0, 0, 1)
        later = _messages(recipient_email="plus-tard@example.org")[0]
        assert (later.status, later.attempts, later.last_error) == (FAILED, 2, "Adresse refusée par le serveur (code 451 : 4.3.0 Try again later).")
        assert service.send_pending().handled == 0  # nothing left to try
        assert service.retry([later.id]) == 1
        db.session.commit()
        db.session.expire_all()
        assert (_messages(recipient_email="plus-tard@example.org")[0].status, _messages(recipient_email="plus-tard@example.org")[0].attempts) == (PENDING, 0)
    assert [rcpt for _s, rcpt, _m in recorder.take()] == [["ok@example.org"]]


def test_two_runs_at_once_never_send_a_message_twice(app, world, smtp):
    recorder, _port = smtp
    with app.app_context():
        service.queue("mail:message_action", action_recipients(_action(world)), EXTRAS)
        claimed = service._claim("autre-envoi-en-cours", 2)  # another run holds the two oldest
        assert len(claimed) == 2
        report = service.send_pending()
        assert report.sent == 1
        held = {row.id for row in claimed}
        assert {m.id for m in _messages(status=PENDING)} == held
        service._release("autre-envoi-en-cours")
        assert service.send_pending().sent == 2
    assert len(recorder.take()) == 3


def test_cancelled_messages_are_not_sent(app, world, smtp):
    recorder, _port = smtp
    with app.app_context():
        batch = service.queue("mail:message_action", action_recipients(_action(world)), EXTRAS)
        first = _messages()[0]
        assert service.cancel([first.id]) == 1
        db.session.commit()
        assert service.send_pending().sent == 2
        db.session.expire_all()
        assert _messages(id=first.id)[0].status == CANCELLED
        assert service.cancel([first.id]) == 0  # already cancelled
        db.session.refresh(batch)
        assert (batch.queued_count, batch.sent_count, batch.pending_count) == (3, 2, 0)
    assert len(recorder.take()) == 2


def test_nobody_to_write_to_is_refused(app, world):
    with app.app_context():
        with pytest.raises(ValueError, match="Aucun destinataire n'a d'adresse de courriel"):
            service.queue("mail:message_action", [], EXTRAS)


def test_headers_are_encoded_and_cannot_be_injected(app):
    message = build_message(
        sender=sender_address("OCCE 02 <ad02@occe.example.org>"), to_email="a@example.org", to_name="Zoé, « la maîtresse »",
        subject="Objet accentué : été", body_text="Corps : àéèç", body_html=None, message_id=7,
    )  # fmt: skip
    raw = message.as_bytes()
    assert raw.isascii() and b"=?utf-8?" in raw
    parsed = email.message_from_bytes(raw, policy=policy.default)
    assert parsed["Subject"] == "Objet accentué : été" and parsed["To"].addresses[0].display_name == "Zoé, « la maîtresse »"
    assert text_of(parsed) == "Corps : àéèç\n"
    with pytest.raises(ValueError, match="Adresse d'expédition invalide"):
        sender_address("pas une adresse")


def test_the_command_sends_the_pending_mails(app, world, smtp):
    recorder, _port = smtp
    with app.app_context():
        service.queue("mail:message_action", action_recipients(_action(world)), EXTRAS)
    result = app.test_cli_runner().invoke(args=["occe", "mail", "send"])
    assert result.exit_code == 0, result.output
    assert "3 courriel(s) envoyé(s)." in result.output
    status = app.test_cli_runner().invoke(args=["occe", "mail", "status"])
    assert "Envoyé : 3" in status.output
    assert len(recorder.take()) == 3


def test_the_command_fails_loudly_when_the_server_is_down(app, world, monkeypatch):
    monkeypatch.setitem(app.config, "OCCE_MAIL_SMTP_PORT", free_port())
    with app.app_context():
        service.queue("mail:message_action", action_recipients(_action(world)), EXTRAS)
    result = app.test_cli_runner().invoke(args=["occe", "mail", "send"])
    assert result.exit_code != 0
    assert "injoignable" in result.output


# --- pages --------------------------------------------------------------------------------------


def _mailing_form(world, **changes) -> dict:
    fields = {
        "template": "mail:message_action",
        "audience": "action",
        "action_id": str(world["action"]),
        "statuses": [ACCEPTED],
        "title": EXTRAS["title"],
        "message": EXTRAS["message"],
    }
    fields.update(changes)
    return fields


def _preview(client, world, **changes):
    token = csrf_token(client, "/courriels/envoi/")
    return client.post("/courriels/envoi/", data={**_mailing_form(world, **changes), "csrf_token": token, "preview": "1"})


def _digest(page: str) -> str:
    import re

    return re.search(r'name="digest"[^>]*value="([^"]+)"', page).group(1)


def test_the_preview_shows_personalised_messages_and_who_has_no_address(app, world):
    client = app.test_client()
    login(client, "animation")
    page = _preview(client, world).get_data(as_text=True)
    assert "Aperçu : 3 courriel(s) à envoyer" in page
    assert "Bonjour Mme Dupré," in page and "Bonjour M. Lefèvre," in page
    assert "[Écrits d&#39;élèves] Réunion de préparation" in page
    assert "1 destinataire(s) sans adresse de courriel ne recevront rien" in page
    assert "Classe « CE2 Guise » (École Sans Adresse, coopérative 020603)" in page
    assert 'id="mailing-confirm"' in page
    with app.app_context():
        assert db.session.query(MailMessage).count() == 0  # a preview stores nothing


def test_a_template_error_shows_in_french_at_preview(app, world):
    client = app.test_client()
    login(client, "gestion")
    page = _preview(client, world, template="good_action:coquille").get_data(as_text=True)
    assert 'id="mailing-problem"' in page and "Donnée inconnue « clasroom »" in page
    assert 'id="mailing-confirm"' not in page
    missing_action = _preview(client, world, action_id="0").get_data(as_text=True)
    assert "Choisissez l&#39;action dont les classes recevront le courriel." in missing_action


def test_confirming_queues_then_send_now_delivers(app, world, smtp):
    recorder, _port = smtp
    client = app.test_client()
    login(client, "animation")
    page = _preview(client, world).get_data(as_text=True)
    token = csrf_token(client, "/courriels/envoi/")
    response = client.post("/courriels/envoi/", data={**_mailing_form(world), "csrf_token": token, "confirm": "1", "digest": _digest(page)})
    assert response.status_code == 302 and "_flt_0_batch=" in response.headers["Location"]
    with app.app_context():
        batch = db.session.query(MailBatch).one()
        assert (batch.queued_count, batch.missing_count, batch.module, batch.template) == (3, 1, "mail", "mail:message_action")
        assert batch.created_by.username == "animation"
        assert batch.label == "Message aux classes inscrites à une action — Écrits d'élèves"
    outbox = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "helene.dupre@example.org" in outbox and 'id="send-now"' in outbox
    assert "Courriels en attente d" in client.get("/").get_data(as_text=True)  # the dashboard card
    assert recorder.take() == []
    sent = client.post("/courriels/envoi/envoyer", data={"csrf_token": csrf_token(client, "/outboxview/list/")}, follow_redirects=True)
    assert "3 courriel(s) envoyé(s)." in sent.get_data(as_text=True)
    assert len(recorder.take()) == 3


def test_a_form_changed_after_the_preview_is_previewed_again(app, world):
    client = app.test_client()
    login(client, "animation")
    page = _preview(client, world).get_data(as_text=True)
    token = csrf_token(client, "/courriels/envoi/")
    changed = _mailing_form(world, message="Un autre texte, jamais prévisualisé.")
    response = client.post("/courriels/envoi/", data={**changed, "csrf_token": token, "confirm": "1", "digest": _digest(page)})
    assert response.status_code == 200
    assert "Le formulaire a changé depuis l" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(MailMessage).count() == 0


def test_the_august_proposals_mailing_from_the_proposals_page(app, world):
    client = app.test_client()
    login(client, "animation")
    proposals = client.get("/actions/propositions/").get_data(as_text=True)
    assert 'id="prepare-mailing"' in proposals and "audience=affiliees" in proposals
    form = client.get("/courriels/envoi/?template=mail:propositions_fin_aout&audience=affiliees").get_data(as_text=True)
    assert 'value="mail:propositions_fin_aout" selected' in form or 'selected value="mail:propositions_fin_aout"' in form
    page = _preview(client, world, template="mail:propositions_fin_aout", audience="affiliees", action_id="0", title="", message="").get_data(as_text=True)
    assert "Aperçu : 2 courriel(s) à envoyer" in page and "- Écrits d&#39;élèves (inscriptions jusqu&#39;au" in page
    assert "/enseignants/" in page and "utilisez ce lien personnel" in page


def test_only_animation_and_gestion_prepare_and_send(app, world):
    with app.app_context():
        service.queue("mail:message_action", action_recipients(_action(world)), EXTRAS)
    for username in ("conseil", "partenaire"):
        client = app.test_client()
        login(client, username)
        assert client.get("/courriels/envoi/").status_code in (302, 403)
        assert client.get("/outboxview/list/").status_code in (302, 403)
        assert client.get("/mailbatchview/list/").status_code in (302, 403)
        token = csrf_token(client, "/")
        refused = client.post("/courriels/envoi/", data={**_mailing_form(world), "csrf_token": token, "preview": "1"})
        assert refused.status_code in (302, 403)
        assert client.post("/courriels/envoi/envoyer", data={"csrf_token": token}).status_code in (302, 403)
        assert 'id="prepare-mailing"' not in client.get("/actions/propositions/").get_data(as_text=True)
        assert "Courriels en attente" not in client.get("/").get_data(as_text=True)
        with app.app_context():
            pending_id = _messages()[0].id
        client.post("/outboxview/action_post", data={"action": "cancel", "rowid": str(pending_id), "csrf_token": token})
    for username in ("animation", "gestion", "admin"):
        client = app.test_client()
        login(client, username)
        assert client.get("/courriels/envoi/").status_code == 200
        assert client.get("/outboxview/list/").status_code == 200
    with app.app_context():
        assert {m.status for m in _messages()} == {PENDING}  # nothing cancelled, sent nor added by the board or a partner
        assert db.session.query(MailBatch).count() == 1


def test_posts_without_a_csrf_token_are_refused(app, world, smtp):
    recorder, _port = smtp
    client = app.test_client()
    login(client, "animation")
    with app.app_context():
        service.queue("mail:message_action", action_recipients(_action(world)), EXTRAS)
    assert client.post("/courriels/envoi/envoyer").status_code == 400
    assert client.post("/courriels/envoi/", data={**_mailing_form(world), "confirm": "1"}).status_code == 400
    assert client.get("/courriels/envoi/envoyer").status_code == 405  # no state change on GET
    assert recorder.take() == []
    with app.app_context():
        assert {m.status for m in _messages()} == {PENDING}
        assert db.session.query(MailBatch).count() == 1


def test_the_outbox_filters_exports_and_cancels(app, world):
    client = app.test_client()
    login(client, "gestion")
    with app.app_context():
        service.queue("mail:message_action", action_recipients(_action(world)), EXTRAS)
        first = _messages()[0]
        service.cancel([first.id])
        db.session.commit()
        first_id = first.id
    cancelled = client.get("/outboxview/list/?_flt_3_status=annule").get_data(as_text=True)
    assert first_id and cancelled.count("Annulé") >= 2  # the shortcut and the row
    export = client.get("/outboxview/export/csv?_flt_3_status=en_attente")
    rows = list(csv.reader(io.StringIO(export.get_data(as_text=True).lstrip("\ufeff")), delimiter=";"))
    assert len(rows) == 3 and rows[0][:3] == ["Préparé le", "Destinataire", "Adresse"]
    show = client.get(f"/outboxview/show/{first_id}").get_data(as_text=True)
    assert "Rendez-vous mercredi à 14 h" in show
    token = csrf_token(client, "/outboxview/list/")
    pending_ids = []
    with app.app_context():
        pending_ids = [m.id for m in _messages(status=PENDING)]
    response = client.post("/outboxview/action_post", data={"action": "cancel", "rowid": [str(i) for i in pending_ids], "csrf_token": token})
    assert response.status_code == 302
    with app.app_context():
        assert {m.status for m in _messages()} == {CANCELLED}
        batch = db.session.query(MailBatch).one()
        assert batch.pending_count == 0


def test_the_authenticated_server_refusing_the_login_keeps_the_messages(app, world, monkeypatch):
    def authenticator(server, session, envelope, mechanism, auth_data):
        return AuthResult(success=auth_data.password == b"bon-mot-de-passe", handled=False)

    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port(), authenticator=authenticator, auth_require_tls=False, auth_required=True)
    controller.start()
    try:
        for key, value in (("OCCE_MAIL_SMTP_PORT", controller.port), ("OCCE_MAIL_SMTP_USER", "occe02"), ("OCCE_MAIL_SMTP_PASSWORD", "mauvais")):
            monkeypatch.setitem(app.config, key, value)
        with app.app_context():
            service.queue("mail:message_action", action_recipients(_action(world)), EXTRAS)
            report = service.send_pending()
            assert report.error == f"Le serveur de courriel 127.0.0.1:{controller.port} refuse l'identifiant ou le mot de passe (code 535)."
            assert {(m.status, m.attempts) for m in _messages()} == {(PENDING, 0)}
            monkeypatch.setitem(app.config, "OCCE_MAIL_SMTP_PASSWORD", "bon-mot-de-passe")
            assert service.send_pending().sent == 3
        assert len(recorder.take()) == 3
    finally:
        controller.stop()


def test_gdpr_export_lists_and_anonymising_erases_a_persons_mails(app, world):
    from app.directory.gdpr import anonymise, personal_data

    with app.app_context():
        year = current_year()
        school = db.session.query(School).filter_by(uai="0020001R").one()
        person = Person(civility="M.", first_name="Éric", last_name="Oubli", email="Eric.Oubli@example.org", school=school)
        db.session.add(person)
        db.session.flush()
        db.session.add(Classroom(school_year=year, school=school, teacher=person, name="CE2 Oubli", levels="CE2", cycles="2", pupils=21))
        classroom = db.session.query(Classroom).filter_by(name="CE2 Oubli").one()
        db.session.add(Registration(action_id=world["action"], school_year_id=year.id, cooperative_id=world["coop"], classroom=classroom, status=ACCEPTED))
        db.session.commit()
        batch = service.queue("mail:message_action", action_recipients(_action(world)), EXTRAS)
        exported = personal_data(person)["courriels"]
        assert [(m["statut"], m["objet"]) for m in exported] == [("En attente", "[Écrits d'élèves] Réunion de préparation")]
        assert "Bonjour M. Oubli," in exported[0]["texte"]
        anonymise(person)
        erased = db.session.query(MailMessage).filter_by(recipient_email="effacee@anonyme.invalid").one()
        assert (erased.status, erased.recipient_name, erased.body_text) == (CANCELLED, None, "")
        assert db.session.query(MailMessage).filter(MailMessage.body_text.contains("Oubli")).count() == 0
        db.session.refresh(batch)
        assert (batch.queued_count, batch.pending_count) == (4, 3)
        db.session.query(Registration).filter_by(classroom_id=classroom.id).delete()
        db.session.commit()


def test_the_relay_outcome_is_told_in_french():
    from types import SimpleNamespace

    assert service.queued_messages(None, "rien n'a été envoyé : aucun inscrit n'a d'adresse de courriel.") == [
        ("Courriel noté ; rien n'a été envoyé : aucun inscrit n'a d'adresse de courriel.", "warning")
    ]
    batch = SimpleNamespace(queued_count=12, missing_count=2)
    assert service.queued_messages(batch, None) == [
        ("12 courriel(s) personnalisé(s) mis en file d'attente (Courriels › Boîte d'envoi).", "success"),
        ("2 inscrit(s) sans adresse de courriel ne le recevront pas.", "warning"),
    ]
