"""Associative life: board, meetings with attendance/quorum, minutes, decisions, working groups, partners, roles."""

from __future__ import annotations

import html
import io
import re
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.association import service
from app.association.models import (
    ABSENT, BOARD, COMMISSION, EXCUSED, PRESENT, REPRESENTED, BoardMember, Decision, Meeting, MeetingAttendee, Partner, PartnerAdvantage,
    PartnerContact, WorkingGroup, WorkingGroupMember,
)  # fmt: skip
from app.extensions import db
from app.testing import csrf_token, hidden_fields, login, post_form
from app.years.service import current_year, get_or_create_year

NOW = datetime.now().replace(second=0, microsecond=0)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(scope="module")
def world(app):
    with app.app_context():
        year = current_year()
        members = [
            BoardMember(first_name="Anne", last_name="Aubry", function="president", email="anne.aubry@example.org", phone="03 23 11 22 33"),
            BoardMember(first_name="Bruno", last_name="Bailly", function="tresorier"),
            BoardMember(first_name="Chloé", last_name="Caron", function="secretaire"),
            BoardMember(first_name="David", last_name="Dupuis", function="membre"),
            BoardMember(first_name="Emma", last_name="Évrard", function="membre", active=False),
        ]
        db.session.add_all(members)
        future = Meeting(school_year_id=year.id, kind=BOARD, title="CA de printemps", starts_at=NOW + timedelta(days=20), place="Laon")
        soon = Meeting(school_year_id=year.id, kind=COMMISSION, title="Commission des aides", starts_at=NOW + timedelta(days=5), place="Chauny")
        past = Meeting(school_year_id=year.id, kind=BOARD, title="CA d'automne", starts_at=NOW - timedelta(days=30), place="Soissons")
        older = Meeting(school_year_id=year.id, kind=BOARD, title="CA de rentrée", starts_at=NOW - timedelta(days=60), place="Hirson")
        other_year = get_or_create_year("2019-2020")
        archived = Meeting(school_year_id=other_year.id, kind=BOARD, title="CA archivé 2019", starts_at=datetime(2019, 10, 10, 18), place="Laon")
        partner = Partner(name="Musée de l'École publique de Chevregny", kind="musee", address="Chevregny")
        partner.contacts.append(PartnerContact(first_name="Paul", last_name="Guide", function="Accueil des groupes", email="accueil@example.org"))
        partner.advantages.append(PartnerAdvantage(description="Entrée gratuite pour les classes adhérentes", valid_from=date(2025, 9, 1)))
        db.session.add_all([future, soon, past, older, archived, partner])
        db.session.commit()
        return {
            "members": [member.id for member in members],
            "future": future.id,
            "soon": soon.id,
            "past": past.id,
            "older": older.id,
            "archived": archived.id,
            "partner": partner.id,
        }


@pytest.fixture(scope="module")
def gestion(app):
    client = app.test_client()
    login(client, "gestion")
    return client


@pytest.fixture(scope="module")
def conseil(app):
    client = app.test_client()
    login(client, "conseil")
    return client


@pytest.fixture(scope="module")
def animation(app):
    client = app.test_client()
    login(client, "animation")
    return client


def plain(response) -> str:
    """The page's text with HTML entities decoded (FAB escapes some strings, not others)."""
    return html.unescape(response.get_data(as_text=True))


def _forbidden(response) -> bool:
    return response.status_code in (302, 403) and "/login" in response.headers.get("Location", "/login")


# --- service ---------------------------------------------------------------------------------


def test_attendance_is_saved_at_once_and_the_quorum_counts_present_and_represented(app, world):
    anne, bruno, chloe, david, emma = world["members"]
    with app.app_context():
        meeting = db.session.get(Meeting, world["past"])
        service.save_attendance(meeting, {anne: PRESENT, bruno: REPRESENTED, chloe: EXCUSED, david: ""}, [("Invitée DSDEN", PRESENT), ("  ", ABSENT)])
        rows = {(a.board_member_id, a.name): a.presence for a in db.session.execute(select(MeetingAttendee).filter_by(meeting_id=meeting.id)).scalars()}
        assert rows == {(anne, None): PRESENT, (bruno, None): REPRESENTED, (chloe, None): EXCUSED, (None, "Invitée DSDEN"): PRESENT}
        quorum = service.quorum(meeting)
        assert (quorum.counted, quorum.members, quorum.needed, quorum.reached) == (2, 4, 2, True)  # Emma is no longer on the board

        # a second entry replaces: Bruno removed, the guest renamed, nothing duplicated
        service.save_attendance(meeting, {anne: PRESENT, bruno: "", chloe: ABSENT}, [("Invité Canopé", EXCUSED)])
        rows = {(a.board_member_id, a.name): a.presence for a in db.session.execute(select(MeetingAttendee).filter_by(meeting_id=meeting.id)).scalars()}
        assert rows == {(anne, None): PRESENT, (chloe, None): ABSENT, (None, "Invité Canopé"): EXCUSED}
        assert service.quorum(meeting).reached is False


def test_a_wrong_attendance_line_saves_nothing(app, world):
    anne = world["members"][0]
    with app.app_context():
        meeting = db.session.get(Meeting, world["older"])
        with pytest.raises(service.AssociationRefused, match="Présence inconnue « partout ». Choisissez la présence de « Marc ».") as refusal:
            service.save_attendance(meeting, {anne: "partout"}, [("Marc", "")])
        assert "Membre du conseil" not in str(refusal.value)
        with pytest.raises(service.AssociationRefused, match=r"Membre du conseil inconnu \(n° 999999\)\."):
            service.save_attendance(meeting, {999999: PRESENT}, [])
        db.session.rollback()
        assert db.session.execute(select(func.count(MeetingAttendee.id)).filter_by(meeting_id=meeting.id)).scalar_one() == 0


def test_decisions_are_numbered_per_meeting_and_marked_done_once(app, world):
    with app.app_context():
        assert service.next_decision_number(world["older"]) == 1
        decision = Decision(meeting_id=world["older"], number=1, text="Adhésion à la charte des partenaires.")
        db.session.add(decision)
        db.session.commit()
        assert service.next_decision_number(world["older"]) == 2
        before = service.open_decisions_count()
        service.mark_done(decision, on=date(2026, 1, 5))
        assert decision.done_on == date(2026, 1, 5) and service.open_decisions_count() == before - 1
        with pytest.raises(service.AssociationRefused, match=r"La décision n° 1 est déjà réalisée \(le 05/01/2026\)\."):
            service.mark_done(decision)


# --- pages -----------------------------------------------------------------------------------


def test_meetings_of_the_viewed_year_come_next_first(app, world, gestion):
    page = plain(gestion.get("/meetingview/list/"))
    assert "Réunions de l'année" in page and "CA archivé 2019" not in page
    titles = [title for title in ("Commission des aides", "CA de printemps", "CA d'automne", "CA de rentrée") if title in page]
    assert titles == ["Commission des aides", "CA de printemps", "CA d'automne", "CA de rentrée"]
    assert [page.index(title) for title in titles] == sorted(page.index(title) for title in titles)
    assert "Conseil d'administration" in page and "Commission" in page  # kinds shown by their French label
    filtered = plain(gestion.get("/meetingview/list/?_flt_0_kind=commission"))
    assert "Commission des aides" in filtered and "CA de printemps" not in filtered


def test_a_past_year_chosen_in_the_navigation_bar_shows_its_meetings(app, world):
    from app.years.context import SESSION_KEY

    client = app.test_client()
    login(client, "conseil")
    with app.app_context():
        archived_year = db.session.get(Meeting, world["archived"]).school_year_id
    with client.session_transaction() as session:
        session[SESSION_KEY] = archived_year
    page = plain(client.get("/meetingview/list/"))
    assert "CA archivé 2019" in page and "CA de printemps" not in page
    assert client.get(f"/meetingview/show/{world['future']}").status_code == 404  # not a meeting of the year being viewed


def test_a_meeting_is_added_with_its_minutes_in_the_year_of_its_date(app, world, gestion, conseil, animation):
    response = post_form(
        gestion,
        "/meetingview/add",
        {
            "kind": BOARD,
            "title": "CA extraordinaire",
            "starts_at": (NOW + timedelta(days=2)).strftime("%Y-%m-%d %H:%M:%S"),
            "place": "Saint-Quentin",
            "agenda": "Budget",
            "minutes_upload": (io.BytesIO(PDF), "cr-ca.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    with app.app_context():
        meeting = db.session.execute(select(Meeting).filter_by(title="CA extraordinaire")).scalar_one()
        assert meeting.school_year_id == current_year().id and meeting.minutes_file.filename == "cr-ca.pdf"
        meeting_id = meeting.id
    page = plain(gestion.get(f"/meetingview/show/{meeting_id}"))
    assert 'id="minutes-link"' in page and "cr-ca.pdf" in page and "Ajouter une décision" in page and "Saisir les présences" in page
    download = conseil.get(f"/meetingview/fichier/{meeting_id}/minutes_file")
    assert download.status_code == 200 and download.data == PDF and "attachment" in download.headers["Content-Disposition"]
    assert _forbidden(animation.get(f"/meetingview/fichier/{meeting_id}/minutes_file"))
    assert "déposé" in plain(animation.get("/meetingview/list/")) and "cr-ca.pdf" in plain(conseil.get("/meetingview/list/"))
    shown = plain(animation.get(f"/meetingview/show/{meeting_id}"))
    assert "CA extraordinaire" in shown and "Un compte rendu est déposé." in shown and "Saisir les présences" not in shown


def test_a_bad_minutes_file_or_date_is_refused_in_french_keeping_what_was_typed(app, world, gestion):
    response = post_form(
        gestion,
        "/meetingview/add",
        {"kind": COMMISSION, "title": "Commission partenariats", "starts_at": "2026-12-01 18:00:00", "place": "Laon", "minutes_upload": (io.BytesIO(b"MZ\x90\x00binary"), "cr.pdf")},
        content_type="multipart/form-data",
    )
    page = plain(response)
    assert response.status_code == 200 and "n'est pas celui d'un fichier PDF" in page and "Commission partenariats" in page
    response = post_form(gestion, "/meetingview/add", {"kind": COMMISSION, "title": "Commission sans date", "starts_at": "mardi soir"})
    page = plain(response)
    assert response.status_code == 200 and "Commission sans date" in page and "Indiquez la date et l'heure (AAAA-MM-JJ HH:MM:SS)." in page
    with app.app_context():
        assert db.session.execute(select(Meeting).filter(Meeting.title.in_(["Commission partenariats", "Commission sans date"]))).first() is None


def test_attendance_page_takes_every_member_in_one_post_and_shows_the_quorum(app, world, gestion, conseil):
    anne, bruno, chloe, david, emma = world["members"]
    url = f"/meetingview/presences/{world['soon']}"
    page = plain(gestion.get(url))
    assert f'name="presence_{anne}"' in page and f'name="presence_{emma}"' not in page  # former members are not offered
    refused = post_form(gestion, url, {f"presence_{anne}": PRESENT, f"presence_{bruno}": "ailleurs", "guest_name": ["Animatrice OCCE 02"], "guest_presence": [PRESENT]})
    text = plain(refused)
    assert refused.status_code == 200 and "Présence inconnue « ailleurs »." in text and 'value="Animatrice OCCE 02"' in text
    saved = post_form(
        gestion,
        url,
        {f"presence_{anne}": PRESENT, f"presence_{bruno}": PRESENT, f"presence_{chloe}": REPRESENTED, f"presence_{david}": EXCUSED, "guest_name": ["Animatrice OCCE 02", ""], "guest_presence": [PRESENT, PRESENT]},
    )
    assert saved.status_code == 302 and saved.headers["Location"].endswith(f"/meetingview/show/{world['soon']}")
    show = plain(gestion.get(saved.headers["Location"]))
    assert "Présences enregistrées : 3 présent(s) ou représenté(s) sur 4 membres en fonction." in show
    assert "Membres du conseil présents ou représentés : 3 sur 4 en fonction." in show  # a commission: no quorum
    board_meeting = plain(gestion.get(f"/meetingview/show/{world['past']}"))
    assert re.search(r"Quorum : \d présent\(s\) ou représenté\(s\) sur 4 membres en fonction \(2 nécessaires\)\s+— (non )?atteint", board_meeting)
    assert "Animatrice OCCE 02" in show and "Représenté·e" in show
    sheet = conseil.get(f"/meetingview/emargement/{world['soon']}")
    assert sheet.status_code == 200 and sheet.mimetype == "application/pdf" and sheet.data.startswith(b"%PDF")
    assert "attachment" in sheet.headers["Content-Disposition"] and "emargement-commission-des-aides" in sheet.headers["Content-Disposition"]
    # the board reads, but cannot take the attendance
    assert _forbidden(conseil.get(url))
    post_form(conseil, url, {f"presence_{david}": PRESENT}, token_from=f"/meetingview/show/{world['soon']}")
    with app.app_context():
        assert db.session.execute(select(MeetingAttendee.presence).filter_by(meeting_id=world["soon"], board_member_id=david)).scalar_one() == EXCUSED


def test_decisions_are_added_from_the_meeting_and_followed_until_done(app, world, gestion, conseil):
    meeting_id = world["future"]
    show = plain(gestion.get(f"/meetingview/show/{meeting_id}"))
    add_url = re.search(r'id="add-decision" href="([^"]+)"', show).group(1)
    assert add_url == f"/decisionview/add?_flt_0_meeting={meeting_id}"
    for text, owner in (("Achat de deux malles « Émotions ».", "Trésorier·ère"), ("Courrier aux mairies de Laon et Soissons.", "Secrétaire")):
        response = post_form(gestion, add_url, {"text": text, "votes_for": "7", "votes_against": "0", "votes_abstention": "1", "owner": owner, "due_on": "2027-01-15"})
        assert response.status_code == 302 and response.headers["Location"].endswith(f"/meetingview/show/{meeting_id}")
    refused = post_form(gestion, add_url, {"text": "Vote impossible", "votes_for": "-3"})
    assert refused.status_code == 200 and "Un nombre de voix ne peut pas être négatif." in plain(refused)
    with app.app_context():
        decisions = list(db.session.execute(select(Decision).filter_by(meeting_id=meeting_id).order_by(Decision.number)).scalars())
        assert [(d.number, d.owner, d.votes_for) for d in decisions] == [(1, "Trésorier·ère", 7), (2, "Secrétaire", 7)]
        first_id = decisions[0].id
    show = plain(gestion.get(f"/meetingview/show/{meeting_id}"))
    assert "Achat de deux malles « Émotions »." in show and "7 / 0 / 1" in show and "à suivre" in show
    opened = plain(conseil.get("/opendecisionview/list/"))
    assert "Décisions à suivre" in opened and "Courrier aux mairies de Laon et Soissons." in opened
    # the board cannot mark a decision done; management can, after confirming
    token = csrf_token(conseil, "/opendecisionview/list/")
    conseil.post("/opendecisionview/action_post", data={"action": "mark_done", "rowid": [str(first_id)], "csrf_token": token})
    with app.app_context():
        assert db.session.get(Decision, first_id).done_on is None
    listing = plain(gestion.get("/opendecisionview/list/"))
    assert "Marquer les décisions choisies comme réalisées aujourd’hui ?" in listing  # typographic apostrophe: see app.views.script_safe
    token = csrf_token(gestion, "/opendecisionview/list/")
    done = gestion.post("/opendecisionview/action_post", data={"action": "mark_done", "rowid": [str(first_id)], "csrf_token": token})
    assert done.status_code == 302
    with app.app_context():
        assert db.session.get(Decision, first_id).done_on == date.today()
    opened = plain(gestion.get("/opendecisionview/list/"))
    assert "Achat de deux malles" not in opened and "Courrier aux mairies" in opened
    assert "Achat de deux malles" in plain(gestion.get("/decisionview/list/"))  # the year's list keeps it


def test_the_convocation_is_mailed_to_the_board_members_with_an_address(app, world, gestion, conseil):
    from app.mail.models import MailMessage

    with app.app_context():
        meeting = db.session.get(Meeting, world["future"])
        meeting.agenda = "Budget prévisionnel\nPartenariat avec le musée de Chevregny"
        db.session.commit()
    url = f"/meetingview/convoquer/{world['future']}"
    show = f"/meetingview/show/{world['future']}"
    assert "Envoyer la convocation aux membres du conseil" in plain(gestion.get(show))
    post_form(conseil, url, {}, token_from=show)
    with app.app_context():
        assert db.session.execute(select(func.count(MailMessage.id)).filter_by(module="association")).scalar_one() == 0
    response = post_form(gestion, url, {}, token_from=show)
    page = plain(gestion.get(response.headers["Location"]))
    assert "Convocation mise dans la file d'envoi pour 1 membre(s) du conseil." in page and "Bruno Bailly : pas d'adresse de courriel valide." in page
    with app.app_context():
        message = db.session.execute(select(MailMessage).filter_by(module="association")).scalar_one()
        assert message.recipient_email == "anne.aubry@example.org" and "convocation — CA de printemps du " in message.subject
        assert message.body_text.startswith("Bonjour Anne Aubry,") and "- Partenariat avec le musée de Chevregny" in message.body_text and ", Laon.\n" in message.body_text


def test_a_working_group_member_needs_a_board_member_or_a_name(app, world, gestion):
    post_form(gestion, "/workinggroupview/add", {"name": "Groupe poésie coopérative", "purpose": "Ressources", "active": "y"})
    with app.app_context():
        group = db.session.execute(select(WorkingGroup).filter_by(name="Groupe poésie coopérative")).scalar_one()
        assert group.school_year_id is None and group.active  # no year chosen: a permanent group
        group_id = group.id
    refused = post_form(gestion, "/workinggroupmemberview/add", {"working_group": str(group_id), "role": "Rapporteur"})
    assert refused.status_code == 200 and "Choisissez un membre du conseil ou écrivez un nom." in plain(refused)
    post_form(gestion, "/workinggroupmemberview/add", {"working_group": str(group_id), "board_member": str(world["members"][2]), "role": "Référente"})
    post_form(gestion, "/workinggroupmemberview/add", {"working_group": str(group_id), "name": "Collègue de la fédération"})
    with app.app_context():
        names = sorted(member.display_name for member in db.session.execute(select(WorkingGroupMember).filter_by(working_group_id=group_id)).scalars())
        assert names == ["Chloé Caron", "Collègue de la fédération"]
    page = plain(gestion.get(f"/workinggroupview/show/{group_id}"))
    assert "Chloé Caron" in page and "Collègue de la fédération" in page and "Membres du groupe" in page


def test_a_partner_page_lists_its_contacts_and_advantages(app, world, gestion, animation):
    page = plain(animation.get(f"/partnerview/show/{world['partner']}"))
    assert "Musée de l'École publique de Chevregny" in page and "Paul" in page and "Guide" in page
    assert "Entrée gratuite pour les classes adhérentes" in page
    listing = plain(gestion.get("/partnerview/list/?_flt_0_kind=musee"))
    assert "Chevregny" in listing and "Musée" in listing
    duplicate = post_form(gestion, "/partnerview/add", {"name": "Musée de l'École publique de Chevregny", "kind": "musee", "notes": "Doublon à éviter"})
    text = plain(duplicate)
    assert duplicate.status_code == 200 and "Doublon à éviter" in text and "Existe déjà" in text
    with app.app_context():
        assert db.session.execute(select(func.count(Partner.id)).filter(Partner.name.like("Musée de l%Chevregny"))).scalar_one() == 1
    bad = post_form(gestion, "/partneradvantageview/add", {"partner": str(world["partner"]), "description": "Visite guidée offerte", "valid_from": "2026-06-01", "valid_until": "2026-01-01"})
    assert bad.status_code == 200 and "La fin de validité doit suivre son début." in plain(bad)


def test_two_staff_editing_a_partner_the_second_save_is_refused(app, world, gestion):
    url = f"/partnerview/edit/{world['partner']}"
    fields = {"name": "Musée de l'École publique de Chevregny", "kind": "musee", "address": "Chevregny (02000)", "active": "y"}
    opened = hidden_fields(gestion, url)  # both people open the record at the same version
    first = gestion.post(url, data={**opened, **fields})
    assert first.status_code == 302
    second = gestion.post(url, data={**opened, **fields, "notes": "Saisie concurrente"})
    text = plain(second)
    assert "modifiée par quelqu'un d'autre" in text and "Saisie concurrente" in text


def test_roles_board_members_are_hidden_from_animation_and_never_exported_by_the_board(app, world, gestion, conseil, animation):
    assert _forbidden(animation.get("/boardmemberview/list/"))
    assert _forbidden(animation.get("/decisionview/list/"))
    board = plain(conseil.get("/boardmemberview/list/"))
    assert "Aubry" in board and "Président·e" in board
    assert _forbidden(conseil.get("/boardmemberview/export/csv"))
    assert _forbidden(conseil.get("/partnercontactview/export/csv"))
    assert conseil.get("/meetingview/export/csv").status_code == 200
    assert _forbidden(conseil.get("/meetingview/add"))
    exported = gestion.get("/boardmemberview/export/csv")
    assert exported.status_code == 200 and "anne.aubry@example.org" in plain(exported)
    assert animation.get("/meetingview/list/").status_code == 200 and animation.get("/partnerview/list/").status_code == 200


def test_the_dashboard_shows_the_next_meeting_and_the_open_decisions(app, world, conseil):
    with app.app_context():
        meeting, count = service.next_meeting(), service.open_decisions_count()
        expected = (meeting.starts_at.strftime("%d/%m/%Y"), meeting.title, f"{count} décision(s) à suivre")
    page = plain(conseil.get("/"))
    assert "Prochaine réunion" in page and all(part in page for part in expected)


def test_a_board_member_with_a_history_is_not_deleted_but_a_new_one_is(app, world, gestion):
    anne = world["members"][0]
    with app.app_context():
        service.save_attendance(db.session.get(Meeting, world["archived"]), {anne: PRESENT}, [])  # Anne attended a meeting
    token = csrf_token(gestion, "/boardmemberview/list/")
    refused = gestion.post(f"/boardmemberview/delete/{anne}", data={"csrf_token": token}, follow_redirects=True)
    assert "« Anne Aubry » figure dans des présences ou des groupes de travail : décochez « En fonction » plutôt que de supprimer sa fiche." in plain(refused)
    bad = post_form(gestion, "/boardmemberview/add", {"first_name": "Zoé", "last_name": "Zamora", "function": "membre", "email": "pas-une-adresse"})
    assert "Adresse électronique invalide." in plain(bad) and 'value="Zamora"' in plain(bad)
    with app.app_context():
        assert db.session.get(BoardMember, anne) is not None
        assert db.session.execute(select(BoardMember).filter_by(last_name="Zamora")).first() is None  # bad email refused
    post_form(gestion, "/boardmemberview/add", {"first_name": "Zoé", "last_name": "Zamora", "function": "membre", "elected_on": "2025-11-20", "active": "y"})
    with app.app_context():
        new_id = db.session.execute(select(BoardMember.id).filter_by(last_name="Zamora")).scalar_one()
    gestion.post(f"/boardmemberview/delete/{new_id}", data={"csrf_token": token})
    gestion.get(f"/boardmemberview/delete/{anne}")  # a GET never deletes
    with app.app_context():
        assert db.session.get(BoardMember, new_id) is None and db.session.get(BoardMember, anne) is not None


def test_demo_data_is_realistic_and_idempotent(app, world):
    from app.association.demo import load_association_demo

    with app.app_context():
        year = get_or_create_year("2025-2026")

        def counts():
            return tuple(db.session.execute(select(func.count(model.id))).scalar_one() for model in (BoardMember, Meeting, Decision, WorkingGroup, Partner, PartnerContact, MeetingAttendee))

        load_association_demo(year)
        db.session.commit()
        first = counts()
        load_association_demo(year)
        db.session.commit()
        assert counts() == first
        meetings = list(db.session.execute(select(Meeting).filter_by(school_year_id=year.id).order_by(Meeting.starts_at)).scalars())
        assert [m.kind for m in meetings].count(BOARD) == 3 and any(m.title == "Assemblée générale départementale" for m in meetings)
        approved = [m for m in meetings if m.minutes_approved_on is not None]
        assert approved and all(m.minutes_file is not None and m.minutes_file.kind == "pdf" for m in approved)
        assert db.session.execute(select(Partner).filter_by(name="Théâtre de La Mascara")).scalar_one().contacts[0].last_name == "Videlier"
        assert db.session.execute(select(func.count(Decision.id)).join(Meeting).filter(Meeting.school_year_id == year.id)).scalar_one() == 5
