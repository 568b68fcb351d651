"""Documents (PDF): the renderer read back with pypdf (accents, embedded font, pages), and the download routes."""

from __future__ import annotations

import io
import re
from collections import Counter
from datetime import date, timedelta

import pytest
from pypdf import PdfReader

from app.actions.models import ACCEPTED, CANCELLED, DONE, REQUESTED, Action, Registration
from app.directory.models import Classroom, Cooperative, Person, School, Sector
from app.documents import render
from app.documents.response import pdf_response
from app.extensions import db
from app.interventions.models import PLANNED, InterventionDay, InterventionRequest, InterventionTheme
from app.testing import login
from app.years.service import current_year

ACCENTS = "« é è à ç œ Œ € »"
STANDARD_14 = {"Courier", "Helvetica", "Times-Roman", "Symbol", "ZapfDingbats"}


def pages_text(data: bytes) -> list[str]:
    """The text of each page, no-break spaces read as spaces."""
    return [page.extract_text().replace("\u00a0", " ") for page in PdfReader(io.BytesIO(data)).pages]


def fonts_of(data: bytes) -> dict[str, object]:
    """Every font the pages use, by name."""
    fonts = {}
    for page in PdfReader(io.BytesIO(data)).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            fonts[str(font["/BaseFont"])] = font
    return fonts


# --- the renderer -------------------------------------------------------------------------


def test_french_text_comes_back_intact_from_every_builder():
    texts = {
        "diploma": pages_text(render.diploma([render.DiplomaRecipient(f"CM1 {ACCENTS}", "École Çà et là")], action=f"Défi {ACCENTS}", year="2025-2026").to_bytes()),
        "recap": pages_text(render.recap(f"Récap {ACCENTS}", ["Colonne é", "Montant €"], [[ACCENTS, 12]]).to_bytes()),
        "certificate": pages_text(render.certificate(f"Zoé {ACCENTS}", "Formation œuvre", date(2026, 1, 14), 1.5).to_bytes()),
        "cover": pages_text(render.booklet_cover(f"Émotions {ACCENTS}", "2025-2026").to_bytes()),
        "sheet": pages_text(render.attendance_sheet("Journée", date(2026, 3, 10), "Laon", [f"Noël {ACCENTS}"]).to_bytes()),
    }
    for name, pages in texts.items():
        assert ACCENTS in "\n".join(pages), name
    assert "de l'école Çà et là" in texts["diploma"][0]
    assert "d'une durée de 1 h 30" in texts["certificate"][0]
    assert "mercredi 14 janvier 2026" in texts["certificate"][0]


def test_the_font_is_embedded_never_a_standard_one():
    data = render.recap("Récapitulatif", ["A", "B"], [["é", "€"]]).to_bytes()
    fonts = fonts_of(data)
    assert fonts, "no font in the document"
    for name, font in fonts.items():
        assert not any(standard in name for standard in STANDARD_14), name
        assert font["/Subtype"] == "/Type0"
        descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor, name  # the TrueType program itself is in the file
    assert {name.split("+")[-1] for name in fonts} == {"DejaVuSansBook", "DejaVuSansBold"}  # regular and bold, one subset each


def test_a_batch_of_300_diplomas_is_one_document_of_300_pages():
    recipients = [render.DiplomaRecipient(f"Classe {number:03d}", f"École {number}", "CM1 — cycle 3") for number in range(1, 301)]
    data = render.diploma(recipients, action="DéfiMaths", year="2025-2026", day=date(2026, 6, 1), place="Laon").to_bytes()
    pages = pages_text(data)
    assert len(pages) == 300
    assert "Classe 001" in pages[0] and "Classe 300" in pages[299] and "Classe 150" in pages[149]
    assert "Fait à Laon, le 1er juin 2026" in pages[0]
    assert "page 1 /" not in pages[0]  # a diploma handed to a class carries no page number
    assert len(fonts_of(data)) == 2  # one subset per font for the whole batch, not one per page


def test_a_recap_breaks_across_pages_and_repeats_its_header():
    columns = ["Coopérative", "Classe", "Élèves", "Demandée le"]
    rows = [[f"020{number:03d}", f"Classe-{number:04d}", 20 + number % 9, date(2025, 9, 1) + timedelta(days=number % 30)] for number in range(1, 201)]
    pages = pages_text(render.recap("Récapitulatif test", columns, rows).to_bytes())
    assert len(pages) >= 3
    for number, text in enumerate(pages, start=1):
        assert text.count("Demandée le") == 1 and "Coopérative" in text, f"header missing on page {number}"
        assert f"page {number} / {len(pages)}" in text
    seen = Counter(re.findall(r"Classe-\d{4}", "\n".join(pages)))
    assert len(seen) == 200 and set(seen.values()) == {1}  # every row once: none lost or drawn twice at a break
    assert "01/09/2025" in pages[0] or "02/09/2025" in pages[0]


def test_long_cells_wrap_and_stay_in_their_row():
    long_text = "mot " * 300
    doc = render.PdfDocument()
    doc.add_page()
    drawn = doc.data_table(["Court", "Long"], [["a", long_text], ["b", "fin"]], max_lines=3)
    text = pages_text(doc.to_bytes())[0]
    assert drawn == 2
    assert "…" in text and text.count("mot") < 300  # cut after three lines, marked
    assert "fin" in text


def test_the_attendance_sheet_has_an_empty_signature_column():
    data = render.attendance_sheet("Formation", date(2026, 3, 10), "Salle des fêtes", [("CM1 A", "Mme Zoé Lenoir"), ("CE2 B", "M. Paul Hardy")],
                                   columns=["Classe", "Enseignant·e"]).to_bytes()
    text = pages_text(data)[0]
    assert "Feuille d'émargement — Formation" in text
    assert "Signature" in text and "mardi 10 mars 2026" in text and "Lieu : Salle des fêtes" in text
    assert "Mme Zoé Lenoir" in text and "M. Paul Hardy" in text


def test_file_names_are_ascii_and_french_wording_is_right():
    assert render.pdf_filename("Diplômes", "DéfiMaths", "2025-2026") == "diplomes-defimaths-2025-2026.pdf"
    assert render.pdf_filename("Livret", "L'été « chaud » / Œuvre", None) == "livret-l-ete-chaud-oeuvre.pdf"
    assert render.pdf_filename("", None) == "document.pdf"
    assert render.french_date(date(2026, 6, 1)) == "1er juin 2026"
    assert render.french_date(date(2026, 3, 10), weekday=True) == "mardi 10 mars 2026"
    assert [render.french_duration(value) for value in (3, 1.5, 0.75, timedelta(minutes=90), "2 jours")] == ["3 h", "1 h 30", "45 min", "1 h 30", "2 jours"]
    assert render.of_school("École Paul Bert") == "de l'école Paul Bert"
    assert render.of_school("Collège Jean Mermoz") == "du collège Jean Mermoz"
    assert render.of_school("Jean Macé") == "de l'école Jean Macé"
    assert render.elide("que", "Élodie") == "qu'Élodie" and render.elide("que", "Paul") == "que Paul"


def test_pdf_response_is_an_uncached_attachment(app):
    with app.test_request_context():
        response = pdf_response(b"%PDF-1.4 test", "Diplômes DéfiMaths 2025-2026.pdf")
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == "attachment; filename=diplomes-defimaths-2025-2026.pdf"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.get_data() == b"%PDF-1.4 test"


def test_the_association_comes_from_the_configuration(app):
    with app.app_context():
        app.config["ASSOCIATION_NAME"], saved = "OCCE 99 essai", app.config["ASSOCIATION_NAME"]
        try:
            text = pages_text(render.recap("Titre", ["A"], [["x"]]).to_bytes())[0]
        finally:
            app.config["ASSOCIATION_NAME"] = saved
    assert "OCCE 99 essai" in text


# --- the routes ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(app):
    """An action with registrations in every status, a cooperative action, an empty one, a planned day."""
    with app.app_context():
        year = current_year()
        sector = Sector(name="Laon documents")
        school = School(uai="0020001R", name="École Çà et là", kind="primaire", commune="Laon", sector=sector)
        other_school = School(uai="0021234F", name="École Jules Ferry", kind="primaire", commune="Chauny", sector=sector)
        coop = Cooperative(affiliation_number="020801", school=school, sector=sector)
        other = Cooperative(affiliation_number="020802", school=other_school, sector=sector)
        teacher = Person(first_name="Noël", last_name="Œillet", school=school)
        db.session.add_all([sector, school, other_school, coop, other, teacher])
        classes = {
            name: Classroom(school_year=year, school=school if name != "ferry" else other_school, teacher=teacher, name=label, levels=levels, cycles=cycles, pupils=pupils)
            for name, label, levels, cycles, pupils in [
                ("done", "CM1 Réalisée", "CM1", "3", 24),
                ("done2", "CE2 Œillets", "CE2", "2", 22),
                ("kept", "CP Retenue", "CP", "2", 18),
                ("asked", "GS Demandée", "GS", "1", 20),
                ("gone", "CM2 Annulée", "CM2", "3", 26),
                ("ferry", "CE1 Ferry", "CE1", "2", 21),
            ]
        }
        db.session.add_all(classes.values())
        action = Action(school_year=year, code="defimaths", name="DéfiMaths œuvre")
        together = Action(school_year=year, code="ensemble", name="Action des coopératives", audience="cooperative")
        empty = Action(school_year=year, code="vide", name="Action sans inscrit")
        db.session.add_all([action, together, empty])
        statuses = {"done": DONE, "done2": DONE, "kept": ACCEPTED, "asked": REQUESTED, "gone": CANCELLED, "ferry": DONE}
        for name, status in statuses.items():
            db.session.add(Registration(action=action, school_year=year, cooperative=other if name == "ferry" else coop, classroom=classes[name], status=status,
                                        pupils=classes[name].pupils, motivation="Toute l'équipe s'y met." if name == "done" else None))
        db.session.add(Registration(action=together, school_year=year, cooperative=other, status=DONE))
        theme = db.session.query(InterventionTheme).filter_by(name="Émotions").one()
        theme.booklet = "La roue des émotions, 5 € de gommettes."
        animator = app.appbuilder.sm.find_user(username="animation")
        day = InterventionDay(school_year=year, day=date(year.start_date.year + 1, 3, 10), sector=sector, animator_id=animator.id)
        db.session.add(day)
        db.session.add_all([
            InterventionRequest(school_year=year, cooperative=coop, classroom=classes["done"], teacher=teacher, theme=theme, day=day, status=PLANNED),
            InterventionRequest(school_year=year, cooperative=other, classroom=classes["ferry"], theme=theme, day=day, status=PLANNED),
            InterventionRequest(school_year=year, cooperative=coop, classroom=classes["gone"], theme=theme, day=day, status=CANCELLED),
        ])
        db.session.commit()
        return {"action": action.id, "together": together.id, "empty": empty.id, "day": day.id, "theme": theme.id, "year": year.label}


def _client(app, user):
    client = app.test_client()
    if user:
        login(client, user)
    return client


def _pdf(response) -> list[str]:
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    assert response.headers["Cache-Control"] == "no-store"
    return pages_text(response.get_data())


def test_the_recap_pdf_has_the_csv_recaps_columns_and_rows(app, world):
    client = _client(app, "gestion")
    response = client.get(f"/documents/action/{world['action']}/recapitulatif.pdf")
    pages = _pdf(response)
    assert response.headers["Content-Disposition"] == f"attachment; filename=recapitulatif-defimaths-{world['year']}.pdf"
    text = "\n".join(pages)
    csv_header = client.get(f"/registrationview/export/csv?_flt_0_action={world['action']}").get_data(as_text=True).lstrip("\ufeff").splitlines()[0]
    for title in csv_header.split(";"):
        assert title in text, title
    for label in ("CM1 Réalisée", "CE2 Œillets", "CP Retenue", "GS Demandée", "CM2 Annulée", "CE1 Ferry", "Toute l'équipe s'y met."):
        assert label in text, label
    assert "Réalisée : 3" in text and "Annulée : 1" in text


def test_the_recap_of_an_action_without_registrations_says_so(app, world):
    pages = _pdf(_client(app, "conseil").get(f"/documents/action/{world['empty']}/recapitulatif.pdf"))
    assert "Aucune ligne." in pages[0] and "0 ligne(s)" in pages[0]


def test_diplomas_go_to_done_registrations_only_by_default(app, world):
    response = _client(app, "animation").get(f"/documents/action/{world['action']}/diplomes.pdf")
    pages = _pdf(response)
    assert response.headers["Content-Disposition"] == f"attachment; filename=diplomes-defimaths-{world['year']}.pdf"
    assert len(pages) == 3
    text = "\n".join(pages)
    assert "CM1 Réalisée" in text and "CE2 Œillets" in text and "CE1 Ferry" in text
    assert "CP Retenue" not in text and "GS Demandée" not in text and "CM2 Annulée" not in text
    assert "« DéfiMaths œuvre »" in text and f"année scolaire {world['year']}" in text
    assert "de l'école Çà et là (Laon)" in text


def test_diplomas_include_accepted_registrations_on_demand(app, world):
    pages = _pdf(_client(app, "animation").get(f"/documents/action/{world['action']}/diplomes.pdf?retenues=1"))
    text = "\n".join(pages)
    assert len(pages) == 4
    assert "CP Retenue" in text and "GS Demandée" not in text and "CM2 Annulée" not in text


def test_a_cooperative_action_gives_the_cooperative_its_diploma(app, world):
    pages = _pdf(_client(app, "animation").get(f"/documents/action/{world['together']}/diplomes.pdf"))
    assert len(pages) == 1
    assert "décerné à la coopérative scolaire" in pages[0] and "École Jules Ferry (Chauny)" in pages[0] and "020802" in pages[0]


def test_no_diploma_to_print_sends_back_to_the_action_with_a_message(app, world):
    client = _client(app, "animation")
    response = client.get(f"/documents/action/{world['empty']}/diplomes.pdf")
    assert response.status_code == 302 and f"/actionview/show/{world['empty']}" in response.headers["Location"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "pas de diplôme à éditer" in page


def test_the_attendance_sheet_lists_the_days_classes(app, world):
    response = _client(app, "animation").get(f"/documents/journee/{world['day']}/emargement.pdf")
    text = _pdf(response)[0]
    assert re.search(r"filename=emargement-interventions-\d{4}-03-10\.pdf$", response.headers["Content-Disposition"])
    assert "CM1 Réalisée" in text and "CE1 Ferry" in text and "Noël Œillet" in text and "Émotions" in text
    assert "CM2 Annulée" not in text  # a cancelled request is not expected in class
    assert "Signature" in text and "secteur de Laon documents" in text and "Animatrice ou animateur : Animation Test" in text


def test_the_booklet_cover_names_the_theme_and_the_year(app, world):
    response = _client(app, "animation").get(f"/documents/theme/{world['theme']}/couverture.pdf")
    text = _pdf(response)[0]
    assert response.headers["Content-Disposition"] == f"attachment; filename=livret-emotions-{world['year']}.pdf"
    assert "Émotions" in text and f"Année scolaire {world['year']}" in text and "5 € de gommettes" in text


@pytest.mark.parametrize(
    ("user", "url"),
    [
        (None, "/documents/action/{action}/recapitulatif.pdf"),
        ("partenaire", "/documents/action/{action}/recapitulatif.pdf"),
        ("gestion", "/documents/action/{action}/diplomes.pdf"),
        ("conseil", "/documents/action/{action}/diplomes.pdf"),
        ("gestion", "/documents/journee/{day}/emargement.pdf"),
        ("conseil", "/documents/theme/{theme}/couverture.pdf"),
        ("partenaire", "/documents/theme/{theme}/couverture.pdf"),
    ],
)
def test_roles_without_the_permission_are_refused(app, world, user, url):
    response = _client(app, user).get(url.format(**world))
    assert response.status_code in (302, 403)
    assert response.mimetype != "application/pdf"


@pytest.mark.parametrize(
    "url",
    ["/documents/action/999999/recapitulatif.pdf", "/documents/action/999999/diplomes.pdf", "/documents/journee/999999/emargement.pdf",
     "/documents/theme/999999/couverture.pdf"],
)
def test_an_unknown_record_is_a_404(app, world, url):
    assert _client(app, "animation").get(url).status_code == 404


def test_the_pages_link_to_the_documents_each_role_may_download(app, world):
    animation = _client(app, "animation").get(f"/actionview/show/{world['action']}").get_data(as_text=True)
    assert 'id="recap-pdf"' in animation and 'id="diplomas-pdf"' in animation and "retenues=1" in animation
    gestion = _client(app, "gestion").get(f"/actionview/show/{world['action']}").get_data(as_text=True)
    assert 'id="recap-pdf"' in gestion and 'id="diplomas-pdf"' not in gestion
    day = _client(app, "animation").get(f"/interventiondayview/show/{world['day']}").get_data(as_text=True)
    assert f"/documents/journee/{world['day']}/emargement.pdf" in day
    theme = _client(app, "animation").get(f"/interventionthemeview/show/{world['theme']}").get_data(as_text=True)
    assert f"/documents/theme/{world['theme']}/couverture.pdf" in theme
    reader = _client(app, "conseil").get(f"/interventionthemeview/show/{world['theme']}").get_data(as_text=True)
    assert "couverture.pdf" not in reader


def test_documents_is_a_core_area_always_on(app):
    from app.plugins.switches import current_manager

    with app.app_context():
        plugin = current_manager().get("documents")
        assert plugin is not None and plugin.ok and not plugin.yearly
        assert "occe_views" in plugin.hooks and "occe_role_permissions" in plugin.hooks
