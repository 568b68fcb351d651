"""La Picardie en Poésie: dossiers, training, productions and receipts, partner scoping, distribution, anthology, switch, demo."""

from __future__ import annotations

import html
import io
import re
from datetime import date

import pytest

from app.actions import service as registrations
from app.actions.models import ACCEPTED, Action
from app.association.models import Partner
from app.directory.models import Classroom, Cooperative, Person, School
from app.extensions import db
from app.mail.models import MailMessage
from app.partners.models import ActionPartner, PartnerAccount
from app.plugins.switches import current_manager, enabled_codes, is_on, set_switch
from app.testing import build_test_app, csrf_token, login, post_form, schema_differences
from app.trainings.models import TrainingRegistration, TrainingSession
from app.years.service import current_year, get_or_create_year

from ..anthology import Chapter, Piece, build
from ..demo import _png, add_demo
from ..models import PoesieChapter, PoesieDossier, PoesieProduction, PoesieResource
from ..services import action_of, ensure_action, figures
from ..typography import typeset

PACKAGE = __package__.rsplit(".", 2)[0]
NBSP = "\u00a0"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return build_test_app(tmp_path_factory.mktemp("poesie"), plugin_packages=[PACKAGE])


def _person(first, last, email, function="enseignant"):
    return Person(civility="Mme", first_name=first, last_name=last, email=email, function=function)


def _accepted(action, coop, classroom):
    registration = registrations.register(action, coop, classroom, today=action.opens_on or date.today(), commit=False)
    db.session.flush()
    registrations.change_status(registration, ACCEPTED, commit=False)
    return registration


@pytest.fixture(scope="module")
def world(app):
    """Two classes registered to the year's action (one teacher without address), a class of another action, the publisher's account."""
    with app.app_context():
        year = current_year()
        plugin = current_manager().get("poesie")
        if not is_on(plugin, year):
            set_switch(current_manager(), plugin, year, True)
        action = ensure_action(year)
        action.opens_on, action.closes_on = date.today(), None
        macé = School(uai="0020001R", name="École Jean Macé", commune="Laon")
        other = School(uai="0021234F", name="École Les Tilleuls", commune="Chauny")
        coop = Cooperative(affiliation_number="020701", school=macé, status="active", mandataire=_person("Anne", "Caisse", "anne.caisse@example.org", "mandataire"))
        coop2 = Cooperative(affiliation_number="020702", school=other, status="active", mandataire=_person("Paul", "Trésor", "paul.tresor@example.org", "mandataire"))
        ce2 = Classroom(school_year=year, school=macé, name="CE2", levels="CE2", cycles="2", pupils=24, teacher=_person("Julie", "Martin", "julie.martin@example.org"))
        cm1 = Classroom(school_year=year, school=other, name="CM1", levels="CM1", cycles="3", pupils=26, teacher=_person("Marc", "Sansmail", None))
        cp = Classroom(school_year=year, school=other, name="CP", levels="CP", cycles="2", pupils=20)
        db.session.add_all([macé, other, coop, coop2, ce2, cm1, cp])
        db.session.flush()
        theatre = Action(school_year_id=year.id, code="theatre_test", name="Théâtre d'essai", audience="classe")
        db.session.add(theatre)
        db.session.flush()
        mine = _accepted(action, coop, ce2)
        nomail = _accepted(action, coop2, cm1)
        theirs = _accepted(theatre, coop2, cp)
        publisher = db.session.query(Partner).filter_by(name="Éditions L'ail des ours").one_or_none() or Partner(name="Éditions L'ail des ours", kind="editeur")
        db.session.add(publisher)
        db.session.flush()
        db.session.add(ActionPartner(action_id=action.id, partner_id=publisher.id))
        partner_user = app.appbuilder.sm.find_user(username="partenaire")
        db.session.add(PartnerAccount(user_id=partner_user.id, partner_id=publisher.id))
        db.session.commit()
        return {"action": action.id, "mine": mine.id, "nomail": nomail.id, "theirs": theirs.id, "theatre": theatre.id, "year": year.id}


@pytest.fixture()
def staff(app):
    client = app.test_client()
    login(client, "animation")
    return client


@pytest.fixture()
def partner(app):
    client = app.test_client()
    login(client, "partenaire")
    return client


def _page(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def test_plugin_is_loaded_on_and_its_migration_matches(app, world):
    with app.app_context():
        plugin = current_manager().get("poesie")
        assert plugin.ok, plugin.errors
        assert plugin.info.kind == "partenaire"
        assert is_on(plugin, current_year())
        assert action_of(current_year()).name == "La Picardie en Poésie"
    assert schema_differences(app, "poesie") == []


def test_french_typography():
    assert typeset("L'hiver: il neige ! Quoi?! «Oui» à 14:30 ; https://a.fr/x?y=1 ...") == (
        f"L’hiver{NBSP}: il neige{NBSP}! Quoi{NBSP}?! «{NBSP}Oui{NBSP}» à 14:30{NBSP}; https://a.fr/x?y=1 …"
    )
    assert typeset("vers un\r\nvers deux ?") == f"vers un\nvers deux{NBSP}?"


def test_staff_build_dossiers_and_the_publisher_reads_them(app, world, staff, partner):
    assert post_form(staff, "/poesie/dossiers/add", {"title": "Entrer en poésie", "description": "Pistes", "position": "1"}).status_code == 302
    with app.app_context():
        dossier = db.session.query(PoesieDossier).filter_by(title="Entrer en poésie").one()
        assert (dossier.action_id, dossier.school_year_id) == (world["action"], world["year"])
        dossier_id = dossier.id
    refused = post_form(staff, "/poesie/ressources/add", {"dossier": dossier_id, "title": "Lien piégé", "url": "javascript:alert(1)"})
    page = _page(refused)
    assert "Adresse web invalide « javascript:alert(1) » : elle doit commencer par http:// ou https://" in page and 'value="Lien piégé"' in page
    empty = _page(post_form(staff, "/poesie/ressources/add", {"dossier": dossier_id, "title": "Rien", "url": ""}))
    assert "Indiquez une adresse web ou joignez un fichier." in empty
    assert post_form(staff, "/poesie/ressources/add", {"dossier": dossier_id, "title": "Printemps des Poètes", "url": "https://www.printempsdespoetes.com/"}).status_code == 302
    upload = {"dossier": dossier_id, "title": "Fiche d'écriture", "url": "", "file_upload": (io.BytesIO("Écrire un haïku\n".encode()), "fiche.txt")}
    assert post_form(staff, "/poesie/ressources/add", upload, content_type="multipart/form-data").status_code == 302
    with app.app_context():
        resource = db.session.query(PoesieResource).filter_by(title="Fiche d'écriture").one()
        assert resource.action_id == world["action"] and resource.file.filename == "fiche.txt"
        resource_id = resource.id
    listing = _page(partner.get("/poesie/ressources/list/"))
    assert "Printemps des Poètes" in listing and "https://www.printempsdespoetes.com/" in listing and "fiche.txt" in listing
    download = partner.get(f"/poesie/ressources/fichier/{resource_id}/file")
    assert download.status_code == 200 and download.data == "Écrire un haïku\n".encode()
    assert "Entrer en poésie" in _page(partner.get("/poesie/dossiers/list/"))
    assert partner.get("/poesie/dossiers/add").status_code in (302, 403)


def test_a_production_is_received_its_text_copied_and_a_receipt_queued(app, world, staff):
    fields = {"registration": world["mine"], "title": "L'hiver à Laon", "author_line": "La classe de CE2", "kind": "poeme", "text": "", "received_at": "2026-03-02"}
    poem = "La ville dort sous la neige,\nles remparts ont mis leur manteau.\n"
    response = post_form(staff, "/poesie/productions/add", {**fields, "file_upload": (io.BytesIO(poem.encode()), "hiver.txt")}, content_type="multipart/form-data")
    assert response.status_code == 302
    with app.app_context():
        production = db.session.query(PoesieProduction).filter_by(title="L'hiver à Laon").one()
        assert production.text == poem.strip() and production.file.kind == "text"
        assert production.credit == "Classe de CE2 — École Jean Macé, Laon"
        (message,) = db.session.query(MailMessage).filter_by(module="poesie").all()
        assert message.recipient_email == "julie.martin@example.org"
        assert message.subject == "La Picardie en Poésie : nous avons bien reçu « L'hiver à Laon »"
        assert message.body_text.startswith("Bonjour Mme Martin,\n\nNous avons bien reçu la production « L'hiver à Laon » (Poème) de la Classe de CE2 — École Jean Macé, Laon, le 02/03/2026")
    assert "Accusé de réception mis en file d'attente" in _page(staff.get("/poesie/productions/list/"))
    # a renamed file is refused in French, and what was typed stays
    fake = post_form(staff, "/poesie/productions/add", {**fields, "title": "Faux dessin", "file_upload": (io.BytesIO(b"MZ\x90\x00"), "dessin.png")}, content_type="multipart/form-data")
    page = _page(fake)
    assert "Le contenu du fichier « dessin.png » n'est pas celui d'un fichier PNG" in page and 'value="Faux dessin"' in page
    nothing = _page(post_form(staff, "/poesie/productions/add", {**fields, "title": "Sans rien"}))
    assert "Joignez le fichier de la production ou recopiez le texte du poème." in nothing and 'value="Sans rien"' in nothing
    # the teacher without an address: the mandataire receives the receipt
    post_form(staff, "/poesie/productions/add", {**fields, "registration": world["nomail"], "title": "Ma rue", "text": "Dans ma rue il y a…"})
    with app.app_context():
        assert db.session.query(MailMessage).filter_by(module="poesie", recipient_email="paul.tresor@example.org").count() == 1
        assert db.session.query(PoesieProduction).filter(PoesieProduction.title.in_(["Faux dessin", "Sans rien"])).count() == 0


def test_the_publisher_records_productions_of_its_action_only(app, world, partner):
    fields = {"registration": world["mine"], "title": "Mon école", "kind": "poeme", "text": "Mon école a trois fenêtres", "received_at": "2026-03-05"}
    assert post_form(partner, "/poesie/productions/add", fields).status_code == 302
    forged = post_form(partner, "/poesie/productions/add", {**fields, "registration": world["theirs"], "title": "Intrus"})
    page = _page(forged)
    assert "Cette classe n'est pas inscrite à La Picardie en Poésie pour votre organisation" in page and 'value="Intrus"' in page
    with app.app_context():
        assert db.session.query(PoesieProduction).filter_by(title="Mon école").one().registration_id == world["mine"]
        assert db.session.query(PoesieProduction).filter_by(title="Intrus").count() == 0
        other = PoesieProduction(action_id=world["theatre"], school_year_id=world["year"], registration_id=world["theirs"], title="Hors action", text="x")
        db.session.add(other)
        db.session.commit()
        other_id = other.id
    listing = _page(partner.get("/poesie/productions/list/"))
    assert "Mon école" in listing and "Hors action" not in listing
    assert partner.get(f"/poesie/productions/show/{other_id}").status_code == 404
    assert partner.get(f"/poesie/productions/edit/{other_id}").status_code == 404
    assert partner.get("/poesie/formation").status_code in (302, 403, 404, 405)


def test_the_training_session_registers_and_invites_the_teachers_once(app, world, staff):
    fields = {"day": f"{current_year_start(app)}-11-18", "time": "14:00", "place": "laon", "capacity": "30"}
    bad = staff.post("/poesie/formation", data={**fields, "time": "quatorze", "csrf_token": csrf_token(staff, "/poesie/")}, follow_redirects=True)
    assert "Date ou heure invalide" in _page(bad)
    done = staff.post("/poesie/formation", data={**fields, "csrf_token": csrf_token(staff, "/poesie/")}, follow_redirects=True)
    page = _page(done)
    assert "1 enseignant·e(s) inscrit·e(s) et invité·e(s)" in page
    assert "Classe de CM1 — École Les Tilleuls, Chauny : pas d'adresse de courriel de l'enseignant·e." in page
    again = _page(staff.post("/poesie/formation", data={"csrf_token": csrf_token(staff, "/poesie/")}, follow_redirects=True))
    assert "0 enseignant·e(s) inscrit·e(s) et invité·e(s)" in again
    with app.app_context():
        (session,) = db.session.query(TrainingSession).filter_by(plugin_code="poesie").all()
        assert session.training.title == "La Picardie en Poésie" and float(session.hours) == 3 and session.capacity == 30
        assert [r.email for r in db.session.query(TrainingRegistration).filter_by(session_id=session.id)] == ["julie.martin@example.org"]
        invitations = db.session.query(MailMessage).filter(MailMessage.template == "trainings:invitation").all()
        assert [m.recipient_email for m in invitations] == ["julie.martin@example.org"]
    assert "Session du 18/11/" in _page(staff.get("/poesie/"))


def current_year_start(app) -> int:
    with app.app_context():
        return current_year().start_date.year


def _chapter(app, world, title, position):
    with app.app_context():
        chapter = PoesieChapter(action_id=world["action"], school_year_id=world["year"], title=title, position=position)
        db.session.add(chapter)
        db.session.commit()
        return chapter.id


def _state(app, ids):
    with app.app_context():
        rows = db.session.query(PoesieProduction).filter(PoesieProduction.id.in_(ids)).all()
        return {row.title: (row.chapter_id, row.position, row.version) for row in rows}


def _move(client, production, version, **extra):
    return client.post("/poesie/deplacer", data={"csrf_token": csrf_token(client, "/poesie/"), "production": production, "version": version, **extra})


def test_distribution_into_chapters_with_order_and_versions(app, world, staff, partner):
    saisons, village = _chapter(app, world, "Les saisons", 1), _chapter(app, world, "Mon village", 2)
    with app.app_context():
        ids = {p.title: p.id for p in db.session.query(PoesieProduction).filter_by(action_id=world["action"])}
    hiver, ecole, rue = ids["L'hiver à Laon"], ids["Mon école"], ids["Ma rue"]
    assert "À placer (3)" in _page(staff.get("/poesie/"))
    for production in (hiver, ecole, rue):
        _move(staff, production, _state(app, [production]).popitem()[1][2], chapter=saisons)
    state = _state(app, [hiver, ecole, rue])
    assert [state[t][:2] for t in ("L'hiver à Laon", "Mon école", "Ma rue")] == [(saisons, 1), (saisons, 2), (saisons, 3)]
    # the publisher moves « Ma rue » up, then into « Mon village »
    _move(partner, rue, state["Ma rue"][2], direction="up")
    state = _state(app, [hiver, ecole, rue])
    assert (state["Ma rue"][1], state["Mon école"][1]) == (2, 3)
    assert state["Mon école"][2] == 3  # both rows' versions went up
    stale = _move(staff, rue, 1, chapter=village)
    assert stale.status_code == 302
    assert "« Ma rue » a été déplacée par quelqu'un d'autre entre-temps" in _page(staff.get("/poesie/"))
    assert _state(app, [rue])["Ma rue"][0] == saisons
    _move(partner, rue, state["Ma rue"][2], chapter=village)
    state = _state(app, [hiver, ecole, rue])
    assert state["Ma rue"][:2] == (village, 1) and state["Mon école"][1] == 2  # the old chapter closed ranks
    page = _page(staff.get("/poesie/"))
    assert "À placer (0)" in page and "1. Les saisons (2)" in page and "2. Mon village (1)" in page
    # a forged production of another action is not found; a GET changes nothing; the board cannot move
    with app.app_context():
        other = db.session.query(PoesieProduction).filter_by(title="Hors action").one().id
    assert _move(partner, other, 1, chapter=village).status_code == 404
    assert staff.get("/poesie/deplacer").status_code == 405
    board = app.test_client()
    login(board, "conseil")
    assert board.get("/poesie/").status_code == 200
    assert board.post("/poesie/deplacer", data={"csrf_token": csrf_token(board, "/poesie/"), "production": hiver, "direction": "down"}).status_code in (302, 403)
    assert _state(app, [hiver])["L'hiver à Laon"][1] == 1
    assert "<form" not in _page(board.get("/poesie/")).split('id="repartition"')[1]


def test_the_anthology_is_one_pdf_with_contents_credits_and_page_numbers(app, world, partner):
    from pypdf import PdfReader

    with app.app_context():
        production = db.session.query(PoesieProduction).filter_by(title="L'hiver à Laon").one()
        production.text = "\n".join(f"Vers {n} : la neige tombe sur la ville ; qui l'arrêtera ?" for n in range(1, 61))
        db.session.commit()
    response = partner.get("/poesie/ouvrage.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "la-picardie-en-poesie" in response.headers["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.data))
    pages = [page.extract_text() for page in reader.pages]
    assert "La Picardie en Poésie" in pages[0] and "Éditions L’ail des ours" in pages[0] and "OCCE 02" in pages[0]
    assert "Sommaire" in pages[1]
    contents = pages[1]
    # the contents give each production's real page
    for title in ("L’hiver à Laon", "Mon école", "Ma rue"):
        number = int(re.search(re.escape(title) + r"[ .]*(\d+)", contents).group(1))
        assert title in pages[number - 1], title
    hiver = next(i for i, text in enumerate(pages) if "L’hiver à Laon" in text and "Vers 1" in text)
    assert "(suite)" in pages[hiver + 1] and "Vers 60" in pages[hiver + 1]  # a long poem continues on the next page
    assert "Classe de CE2 — École Jean Macé, Laon" in pages[hiver + 1]
    assert f"Vers 1{NBSP}: la neige tombe sur la ville{NBSP}; qui l’arrêtera{NBSP}?" in pages[hiver] or "Vers 1 : la neige" in pages[hiver]
    assert f"page 3 / {len(pages)}" in pages[2]


def test_an_anthology_draws_images_and_breaks_long_contents():
    chapters = [Chapter(f"Chapitre {c}", [Piece(f"Poème {c}.{i}", "Classe de CM1 — École Les Tilleuls, Chauny", "Un vers\nDeux vers") for i in range(30)]) for c in range(3)]
    chapters[0].pieces[0] = Piece("Dessin", "Classe de CP — École Les Tilleuls, Chauny", image=_png(60, 40, 1))
    doc = build(chapters, "2025-2026", association="OCCE 02", publishers=["Éditions L'ail des ours"])
    data = doc.to_bytes()
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    assert "Sommaire" in reader.pages[1].extract_text() and "Sommaire" not in reader.pages[3].extract_text()
    assert "Poème 2.29" in reader.pages[2].extract_text() or "Poème 2.29" in reader.pages[3].extract_text()
    drawing = next(page for page in reader.pages[4:] if "Dessin" in page.extract_text())
    assert drawing.images and len(reader.pages) == 1 + 3 + 3 + 90  # cover, 3 pages of contents, 3 chapter pages, 90 pieces


def test_dashboard_card_and_board_read_only(app, world):
    board = app.test_client()
    login(board, "conseil")
    home = _page(board.get("/"))
    assert "La Picardie en Poésie : productions reçues" in home
    assert board.get("/poesie/productions/list/").status_code == 200
    assert board.get("/poesie/productions/add").status_code in (302, 403)
    assert board.get("/poesie/ouvrage.pdf").status_code in (302, 403)
    with app.app_context():
        assert figures(current_year()) == {"classes": 2, "received": 3, "placed": 3}


def test_switched_off_next_year_its_menu_is_hidden_and_this_year_is_intact(app, world, staff):
    with app.app_context():
        year = current_year()
        next_year = get_or_create_year(f"{year.start_date.year + 1}-{year.start_date.year + 2}")
        db.session.commit()
        set_switch(current_manager(), current_manager().get("poesie"), next_year, False)
        assert "poesie" not in enabled_codes(next_year) and "poesie" in enabled_codes(year)
        next_id, this_id = next_year.id, year.id
    assert "Répartition et ouvrage" in _page(staff.get("/"))
    post_form(staff, "/annee/choisir", {"year_id": next_id}, token_from="/")
    page = _page(staff.get("/"))
    assert "Répartition et ouvrage" not in page and "La Picardie en Poésie : productions reçues" not in page
    assert "Mon école" not in _page(staff.get("/poesie/productions/list/"))
    post_form(staff, "/annee/choisir", {"year_id": this_id}, token_from="/")
    assert "Mon école" in _page(staff.get("/poesie/productions/list/"))
    with app.app_context():
        assert db.session.query(PoesieProduction).filter_by(action_id=world["action"]).count() == 3


def test_demo_data_is_deterministic_and_never_doubled(app, world):
    with app.app_context():
        year = get_or_create_year("2019-2020")
        set_switch(current_manager(), current_manager().get("poesie"), year, True)
        school = db.session.query(School).filter_by(uai="0020001R").one()
        db.session.add(Classroom(school_year=year, school=school, name="CM2 démo", levels="CM2", cycles="3", pupils=25, teacher=_person("Léa", "Démo", "lea.demo@example.org")))
        db.session.commit()

        def counts():
            action = action_of(year)
            return (
                db.session.query(PoesieDossier).filter_by(action_id=action.id).count(),
                db.session.query(PoesieResource).filter_by(action_id=action.id).count(),
                [c.title for c in db.session.query(PoesieChapter).filter_by(action_id=action.id).order_by(PoesieChapter.position)],
                db.session.query(PoesieProduction).filter_by(action_id=action.id).count(),
                db.session.query(PoesieProduction).filter_by(action_id=action.id, chapter_id=None).count(),
                db.session.query(ActionPartner).filter_by(action_id=action.id).count(),
            )

        add_demo(year)
        db.session.commit()
        first = counts()
        assert first == (2, 4, ["Les saisons", "Mon village", "Rêves"], 13, 2, 1)
        add_demo(year)
        db.session.commit()
        assert counts() == first
