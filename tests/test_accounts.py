"""CRFS and account checks: statuses, the warning other areas ask for, reception, missing list and reminders, pages, roles."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.accounts import service
from app.accounts.models import (
    INCOMPLETE,
    LATE,
    NOT_RECEIVED,
    RECEIVED,
    RECEIVED_LATE,
    SUBSIDIES_NA,
    SUBSIDIES_NO,
    SUBSIDIES_YES,
    AccountCheck,
    Crfs,
    due_date_for,
)
from app.directory.models import Cooperative, Membership, Person, School, Sector
from app.extensions import db
from app.testing import login, post_form
from app.years.models import SchoolYear
from app.years.service import bounds, current_year, get_or_create_year, previous_label

TODAY = date.today()
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture(scope="module")
def world(app):
    """The current year, the one before it (the CRFS campaign) and five member cooperatives."""
    with app.app_context():
        year = current_year()
        before = get_or_create_year(previous_label(year.label))
        laon, soissons = Sector(name="Laon (test)"), Sector(name="Soissons (test)")
        coops = {}
        specs = [
            ("021001", "École Jean Macé", "Laon", laon, "claire.martin@ac-amiens.example"),
            ("021002", "École des Remparts", "Laon", laon, None),
            ("021003", "École Saint-Crépin", "Soissons", soissons, "paul.roux@ac-amiens.example"),
            ("021004", "École du Centre", "Chauny", soissons, "anne.petit@ac-amiens.example"),
            ("021005", "École Condorcet", "Hirson", laon, "luc.morel@ac-amiens.example"),
        ]
        for index, (number, name, commune, sector, email) in enumerate(specs):
            school = School(uai=f"00210{index:02d}A", name=name, commune=commune, sector=sector)
            mandataire = Person(civility="Mme", first_name="Claire", last_name=f"Mandataire{index}", email=email, function="mandataire", school=school)
            coop = Cooperative(affiliation_number=number, school=school, sector=sector, status="active", mandataire=mandataire)
            db.session.add_all([school, mandataire, coop])
            db.session.flush()
            db.session.add(Membership(cooperative_id=coop.id, school_year_id=before.id, pupils=50, adults=3, status="validee"))
            coops[number] = coop
        # a cooperative that was not a member last year: no CRFS expected from it
        outsider_school = School(uai="0021099Z", name="École Hors Adhésion", commune="Château-Thierry")
        outsider = Cooperative(affiliation_number="021099", school=outsider_school, status="active")
        db.session.add_all([outsider_school, outsider])
        due = due_date_for(before)
        db.session.add_all(
            [
                # 021001: nothing recorded; 021002: recorded, not received
                Crfs(cooperative_id=coops["021002"].id, school_year_id=before.id, due_on=due),
                # 021003: received late, complete
                Crfs(cooperative_id=coops["021003"].id, school_year_id=before.id, due_on=due, received_on=due + timedelta(days=12),
                     opening_balance=Decimal("1000.00"), income=Decimal("5000.00"), expenses=Decimal("4500.00"), closing_balance=Decimal("1500.00"),
                     quitus_signed=True, bank_statement=True, subsidies_proofs=SUBSIDIES_NA),
                # 021004: received on time, complete, but the balances do not add up
                Crfs(cooperative_id=coops["021004"].id, school_year_id=before.id, due_on=due, received_on=due - timedelta(days=5),
                     opening_balance=Decimal("800.00"), income=Decimal("3000.00"), expenses=Decimal("2900.00"), closing_balance=Decimal("780.00"),
                     quitus_signed=True, bank_statement=True, subsidies_proofs=SUBSIDIES_YES),
            ]
        )  # fmt: skip
        db.session.commit()
        return {
            "year": year.id,
            "before": before.id,
            "before_label": before.label,
            "due": due,
            "outsider": outsider.id,
            "sectors": {"laon": laon.id, "soissons": soissons.id},
            **{number: coop.id for number, coop in coops.items()},
        }


@pytest.fixture
def gestion(app):
    client = app.test_client()
    login(client, "gestion")
    return client


def _crfs(number_id) -> Crfs | None:
    return db.session.execute(select(Crfs).filter_by(cooperative_id=number_id)).scalar_one_or_none()


# --- the contract: crfs_warning ---------------------------------------------------------------


def test_crfs_warning_names_the_previous_year_and_its_due_date(app, world):
    with app.app_context():
        year = db.session.get(SchoolYear, world["year"])
        first = int(world["before_label"][:4])
        expected = f"Le CRFS {world['before_label']} de cette coopérative n'a pas été reçu (attendu le 30 septembre {first + 1})."
        assert service.crfs_warning(world["021001"], year) == expected  # no record at all
        assert service.crfs_warning(world["021002"], year) == expected  # recorded, not received
        assert service.crfs_warning(world["021003"], year) is None  # received (late, but received)
        assert service.crfs_warning(world["021004"], year) is None


def test_crfs_warning_is_none_without_a_previous_year_in_the_database(app, world):
    with app.app_context():
        start, end = bounds("1990-1991")
        lonely = SchoolYear(label="1990-1991", start_date=start, end_date=end, is_current=False)
        db.session.add(lonely)
        db.session.flush()
        assert service.crfs_warning(world["021001"], lonely) is None
        db.session.rollback()


# --- statuses and the balance check ----------------------------------------------------------------


def test_the_five_statuses_follow_reception_due_date_and_pieces(app, world):
    with app.app_context():
        due = world["due"]
        report = Crfs(due_on=due, quitus_signed=True, bank_statement=True, subsidies_proofs=SUBSIDIES_NA)
        assert report.status(today=due) == NOT_RECEIVED
        assert report.status(today=due + timedelta(days=1)) == LATE
        report.received_on = due
        assert report.status() == RECEIVED
        report.received_on = due + timedelta(days=1)
        assert report.status() == RECEIVED_LATE and report.status_label == "Reçu en retard"
        report.subsidies_proofs = SUBSIDIES_NO
        assert report.status() == INCOMPLETE and report.missing_pieces == ["justificatifs de subventions"]
        report.quitus_signed = False
        assert report.missing_pieces == ["quitus signé", "justificatifs de subventions"]


def test_opening_plus_income_minus_expenses_must_give_the_closing_balance(app, world):
    with app.app_context():
        good = _crfs(world["021003"])
        assert good.balance_warning is None and good.balance_flag == ""
        odd = _crfs(world["021004"])
        assert odd.balance_flag == "Écart"
        assert odd.balance_warning == (
            "Solde incohérent : solde de début 800,00 € + recettes 3\u202f000,00 € − dépenses 2\u202f900,00 € = 900,00 €, "
            "mais le solde de fin déclaré est 780,00 € (écart -120,00 €)."
        )


# --- who is missing, counts, reception ------------------------------------------------------------


def test_missing_and_late_lists_the_members_without_a_received_crfs(app, world):
    with app.app_context():
        before = db.session.get(SchoolYear, world["before"])
        missing, late = service.missing_and_late(before)
        assert [row.cooperative.affiliation_number for row in missing] == ["021001", "021002", "021005"]
        assert missing[0].report is None and missing[1].report is not None
        assert [row.cooperative.affiliation_number for row in late] == ["021003"]
        figures = service.counts(before, today=world["due"] + timedelta(days=1))
        assert figures == {"expected": 5, "received": 2, "missing": 3, "late": 4}
        assert service.counts(before, today=world["due"])["late"] == 1  # before the due date, only the late arrival


def test_without_memberships_the_active_cooperatives_are_expected(app, world):
    with app.app_context():
        year = db.session.get(SchoolYear, world["year"])
        numbers = {coop.affiliation_number for coop in db.session.execute(service.expected_cooperatives_query(year)).scalars()}
        assert {"021001", "021099"} <= numbers


def test_record_reception_refuses_a_future_date_in_french(app, world):
    with app.app_context():
        coop = db.session.get(Cooperative, world["021005"])
        before = db.session.get(SchoolYear, world["before"])
        report = service.get_or_create_crfs(coop, before)
        assert report.due_on == world["due"] and report.received_on is None
        tomorrow = TODAY + timedelta(days=1)
        with pytest.raises(service.CrfsRefused, match=f"La date de réception \\({tomorrow:%d/%m/%Y}\\) ne peut pas être dans le futur."):
            service.record_reception(report, tomorrow, quitus_signed=True, bank_statement=True, subsidies_proofs=SUBSIDIES_NA)
        with pytest.raises(service.CrfsRefused, match="Indiquez la date de réception du CRFS."):
            service.record_reception(report, None, quitus_signed=True, bank_statement=True, subsidies_proofs=SUBSIDIES_NA)
        db.session.rollback()


# --- pages -------------------------------------------------------------------------------------------


def test_the_crfs_list_shows_the_campaign_with_french_statuses_and_filters(app, world, gestion):
    page = gestion.get("/crfs/list/").get_data(as_text=True)
    assert "CRFS (comptes rendus financiers simplifiés)" in page
    assert "021003" in page and "021004" in page and "Reçu en retard" in page and "Écart" in page and "Contrôle du solde" in page
    late_only = gestion.get("/crfs/list/?_flt_0_status=recu_en_retard").get_data(as_text=True)
    assert "021003" in late_only and "021004" not in late_only
    received = gestion.get("/crfs/list/?_flt_0_status=recu").get_data(as_text=True)
    assert "021004" in received and "021003" not in received
    laon = gestion.get(f"/crfs/list/?_flt_0_sector={world['sectors']['laon']}").get_data(as_text=True)
    assert "021002" in laon and "021003" not in laon
    export = gestion.get("/crfs/export/csv")
    assert export.status_code == 200 and "021004" in export.get_data(as_text=True)


def test_the_crfs_page_warns_about_the_balance(app, world, gestion):
    with app.app_context():
        pk = _crfs(world["021004"]).id
    page = gestion.get(f"/crfs/show/{pk}").get_data(as_text=True)
    assert 'id="crfs-balance-warning"' in page and "Solde incohérent" in page and "Statut : Reçu" in page
    assert "Enregistrer la réception" in page and "Ouvrir une vérification des comptes" in page


def test_adding_a_crfs_with_its_quitus_then_downloading_it(app, world, gestion):
    data = {
        "cooperative": str(world["021005"]),
        "received_on": "",
        "opening_balance": "1 200,50",  # typed the French way
        "income": "4000",
        "expenses": "3500",
        "closing_balance": "1700.50",
        "subsidies_proofs": SUBSIDIES_NA,
        "quitus_signed": "y",
        "anomalies": "Rien à signaler",
        "quitus_upload": (io.BytesIO(PDF), "quitus-condorcet.pdf"),
    }
    with app.app_context():
        existing = _crfs(world["021005"])
        if existing is not None:  # created by an earlier test's rollback-free path: start clean
            db.session.delete(existing)
            db.session.commit()
    saved = post_form(gestion, "/crfs/add", data, content_type="multipart/form-data")
    assert saved.status_code == 302, saved.get_data(as_text=True)[:3000]
    with app.app_context():
        report = _crfs(world["021005"])
        assert report.school_year_id == world["before"] and report.due_on == world["due"]
        assert report.opening_balance == Decimal("1200.50") and report.quitus_file.filename == "quitus-condorcet.pdf"
        pk = report.id
    page = gestion.get(f"/crfs/show/{pk}").get_data(as_text=True)
    assert "quitus-condorcet.pdf" in page and "Solde cohérent" in page
    download = gestion.get(f"/crfs/fichier/{pk}/quitus_file")
    assert download.status_code == 200 and download.data == PDF
    # a second CRFS for the same cooperative and campaign is refused in French, typed values kept
    again = post_form(gestion, "/crfs/add", {**data, "quitus_upload": (io.BytesIO(PDF), "q.pdf"), "anomalies": "Doublon tapé"}, content_type="multipart/form-data")
    text = again.get_data(as_text=True)
    assert again.status_code == 200 and f"La coopérative 021005 a déjà un CRFS {world['before_label']}" in text and "Doublon tapé" in text


def test_editing_a_crfs_and_a_stale_second_edit_is_refused(app, world, gestion):
    with app.app_context():
        pk = _crfs(world["021003"]).id
    url = f"/crfs/edit/{pk}"
    form = {
        "due_on": world["due"].isoformat(),
        "received_on": (world["due"] + timedelta(days=12)).isoformat(),
        "opening_balance": "1000.00",
        "income": "5000.00",
        "expenses": "4500.00",
        "closing_balance": "1500.00",
        "quitus_signed": "y",
        "bank_statement": "y",
        "subsidies_proofs": SUBSIDIES_NA,
    }
    with app.app_context():
        opened = str(_crfs(world["021003"]).version)  # the version a second person opened
    saved = post_form(gestion, url, {**form, "anomalies": "Facture de car manquante"})
    assert saved.status_code == 302
    refused = gestion.post(url, data={**form, "anomalies": "Écrasement", "version": opened, "csrf_token": _token(gestion, url)})
    text = refused.get_data(as_text=True)
    assert "modifiée par quelqu&#39;un d&#39;autre" in text or "modifiée par quelqu'un d'autre" in text
    with app.app_context():
        assert _crfs(world["021003"]).anomalies == "Facture de car manquante"


def _token(client, url) -> str:
    from app.testing import hidden_fields

    return hidden_fields(client, url)["csrf_token"]


def test_a_file_that_is_not_a_pdf_is_refused_and_nothing_typed_is_lost(app, world, gestion):
    data = {
        "cooperative": str(world["021001"]),
        "opening_balance": "10",
        "income": "20",
        "expenses": "-5",
        "closing_balance": "25",
        "subsidies_proofs": SUBSIDIES_NO,
        "anomalies": "Pièce douteuse 4321",
        "statement_upload": (io.BytesIO(b"MZ\x90\x00not a pdf"), "releve.pdf"),
    }
    refused = post_form(gestion, "/crfs/add", data, content_type="multipart/form-data")
    text = refused.get_data(as_text=True)
    assert refused.status_code == 200 and "Le contenu du fichier « releve.pdf » n&#39;est pas celui d&#39;un fichier PDF" in text
    assert "Pièce douteuse 4321" in text and "Un montant positif ou nul." in text
    with app.app_context():
        assert _crfs(world["021001"]) is None


def test_recording_a_reception_from_the_missing_list(app, world, gestion):
    url = f"/crfs/reception/{world['021002']}"
    form = gestion.get(url).get_data(as_text=True)
    assert "Enregistrer la réception du CRFS" in form and "021002" in form
    with app.app_context():
        assert _crfs(world["021002"]).received_on is None  # opening the form changes nothing
    future = (TODAY + timedelta(days=3)).isoformat()
    refused = post_form(gestion, url, {"received_on": future, "quitus_signed": "y", "subsidies_proofs": SUBSIDIES_NA})
    assert refused.status_code == 200 and "ne peut pas être dans le futur" in refused.get_data(as_text=True)
    day = world["due"] + timedelta(days=2) if world["due"] + timedelta(days=2) <= TODAY else TODAY
    saved = post_form(gestion, url, {"received_on": day.isoformat(), "quitus_signed": "y", "subsidies_proofs": SUBSIDIES_NA})
    assert saved.status_code == 302 and "/crfs/show/" in saved.headers["Location"]
    with app.app_context():
        report = _crfs(world["021002"])
        assert report.received_on == day and report.quitus_signed and not report.bank_statement
        assert report.status() == INCOMPLETE
        # restore the fixture's state for the other tests
        report.received_on, report.quitus_signed, report.subsidies_proofs = None, False, SUBSIDIES_NO
        db.session.commit()


def test_the_missing_page_and_the_reminder_preview_then_queue(app, world, gestion):
    from app.mail.models import MailMessage

    page = gestion.get("/crfs/manquants/").get_data(as_text=True)
    assert f"CRFS {world['before_label']} manquants et en retard" in page
    assert 'id="missing-%s"' % world["021001"] in page and 'id="missing-%s"' % world["021002"] in page
    assert 'id="late-%s"' % world["021003"] in page and 'id="missing-%s"' % world["outsider"] not in page
    assert "sans courriel" in page
    chosen = {"cooperative_id": [str(world["021001"]), str(world["021002"]), str(world["021004"])]}  # 021004 is received: ignored
    preview = post_form(gestion, "/crfs/manquants/apercu", chosen, token_from="/crfs/manquants/")
    text = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "1 courriel(s) à envoyer aux mandataires" in text
    assert f"OCCE 02 : CRFS {world['before_label']} attendu" in text and "Coopérative 021002 : pas d&#39;adresse de courriel" in text
    with app.app_context():
        assert db.session.query(MailMessage).filter_by(module="accounts").count() == 0  # the preview stores nothing
    queued = post_form(gestion, "/crfs/manquants/relancer", chosen, token_from="/crfs/manquants/")
    follow = gestion.get(queued.headers["Location"]).get_data(as_text=True)
    assert "1 relance(s) mise(s) dans la file d&#39;envoi." in follow and "coopérative 021002 : relancez-la par téléphone" in follow
    with app.app_context():
        message = db.session.query(MailMessage).filter_by(module="accounts").one()
        assert message.recipient_email == "claire.martin@ac-amiens.example"
        assert message.body_text.startswith("Bonjour Mme Mandataire0,") and "coopérative n° 021001 (École Jean Macé)" in message.body_text
        assert f"attendu le {service.long_date(world['due'])}" in message.body_text


def test_a_reminder_is_never_sent_on_a_get(app, world, gestion):
    assert gestion.get("/crfs/manquants/relancer").status_code == 405
    assert gestion.get("/crfs/manquants/apercu").status_code == 405


# --- account checks ----------------------------------------------------------------------------------


def test_adding_an_account_check_from_the_cooperative_page(app, world, gestion):
    with app.app_context():
        crfs_id = _crfs(world["021004"]).id
    form = gestion.get(f"/verifications/add?cooperative={world['021004']}&crfs={crfs_id}").get_data(as_text=True)
    coop = world["021004"]
    assert "Nouvelle vérification des comptes" in form
    assert f'<option selected value="{coop}">' in form or f'value="{coop}" selected' in form
    data = {
        "cooperative": str(world["021004"]),
        "origin": "crfs",
        "crfs": str(crfs_id),
        "requested_on": TODAY.isoformat(),
        "visit_on": (TODAY - timedelta(days=1)).isoformat(),
        "visited_by": "Martine Lefèvre",
        "advice": "Rapprocher le cahier de comptes du relevé",
        "documents_sent": "Guide du mandataire",
        "outcome": "a_regulariser",
    }
    refused = post_form(gestion, "/verifications/add", data)
    text = refused.get_data(as_text=True)
    assert refused.status_code == 200 and "La date ne peut pas précéder la demande." in text and "Rapprocher le cahier de comptes du relevé" in text
    wrong = post_form(gestion, "/verifications/add", {**data, "visit_on": "", "crfs": str(_crfs_id(app, world["021003"]))})
    assert "Ce CRFS est celui d'une autre coopérative." in wrong.get_data(as_text=True)
    saved = post_form(gestion, "/verifications/add", {**data, "visit_on": TODAY.isoformat()})
    assert saved.status_code == 302
    with app.app_context():
        check = db.session.execute(select(AccountCheck).filter_by(cooperative_id=world["021004"])).scalar_one()
        assert check.school_year_id == world["year"] and check.crfs_id == crfs_id and check.outcome_label == "À régulariser"
    listing = gestion.get("/verifications/list/").get_data(as_text=True)
    assert "Vérifications des comptes" in listing and "Initiative après un CRFS" in listing and "À régulariser" in listing
    assert "021004" in gestion.get("/verifications/list/?_flt_0_outcome=a_regulariser").get_data(as_text=True)
    assert "021004" not in gestion.get("/verifications/list/?_flt_0_outcome=conformes").get_data(as_text=True)
    hub = gestion.get(f"/cooperativeview/show/{world['021004']}").get_data(as_text=True)
    assert "Vérifications des comptes" in hub and "Martine Lefèvre" in hub and "Ajouter une vérification" in hub
    assert "CRFS" in hub and world["before_label"] in hub and "Écart" in hub


def _crfs_id(app, coop_id) -> int:
    with app.app_context():
        return _crfs(coop_id).id


# --- roles, dashboard, hooks, demo -------------------------------------------------------------------


def test_conseil_reads_without_export_and_animation_sees_nothing(app, world):
    conseil = app.test_client()
    login(conseil, "conseil")
    assert conseil.get("/crfs/list/").status_code == 200
    assert conseil.get("/crfs/manquants/").status_code == 200
    assert conseil.get("/verifications/list/").status_code == 200
    assert conseil.get("/crfs/export/csv").status_code in (302, 403)
    assert conseil.get("/crfs/add").status_code in (302, 403)
    assert conseil.get(f"/crfs/reception/{world['021001']}").status_code in (302, 403)
    page = conseil.get("/crfs/manquants/").get_data(as_text=True)
    assert 'id="remind-preview"' not in page and "Enregistrer la réception" not in page
    animation = app.test_client()
    login(animation, "animation")
    for url in ("/crfs/list/", "/crfs/manquants/", "/verifications/list/", f"/crfs/reception/{world['021001']}"):
        assert animation.get(url).status_code in (302, 403), url
    hub = animation.get(f"/cooperativeview/show/{world['021004']}")
    if hub.status_code == 200:
        assert "Vérifications des comptes" not in hub.get_data(as_text=True)


def test_the_dashboard_card_counts_the_campaign(app, world, gestion):
    with app.app_context():
        figures = service.counts(db.session.get(SchoolYear, world["before"]))
    home = gestion.get("/").get_data(as_text=True)
    assert f"CRFS {world['before_label']} reçus" in home and f"{figures['received']} / {figures['expected']}" in home
    assert f"{figures['missing']} non reçus" in home
    animation = app.test_client()
    login(animation, "animation")
    assert f"CRFS {world['before_label']} reçus" not in animation.get("/").get_data(as_text=True)


def test_the_mail_template_is_registered_for_the_mail_service(app, world):
    from app.mail.rendering import find_template

    with app.app_context():
        found = find_template("accounts:relance_crfs", current_year())
        assert found is not None and found.label == "Relance d'un CRFS non reçu"


def test_demo_data_is_deterministic_and_idempotent(app, world):
    from app.accounts.demo import load_accounts_demo

    with app.app_context():
        year = db.session.get(SchoolYear, world["year"])
        start, end = bounds(f"{year.start_date.year + 1}-{year.start_date.year + 2}")
        following = SchoolYear(label=f"{year.start_date.year + 1}-{year.start_date.year + 2}", start_date=start, end_date=end, is_current=False)
        db.session.add(following)
        db.session.flush()
        # the campaign of the following year covers the current one: no CRFS yet, the active cooperatives are expected
        load_accounts_demo(following, today=end)
        reports = db.session.execute(select(Crfs).filter_by(school_year_id=year.id)).scalars().all()
        checks = db.session.execute(select(func.count(AccountCheck.id)).filter_by(school_year_id=following.id)).scalar_one()
        assert reports and checks == 2
        assert sum(1 for report in reports if report.balance_warning) == 1
        expected = db.session.execute(select(func.count()).select_from(service.expected_cooperatives_query(year).subquery())).scalar_one()
        assert len(reports) == expected - 1  # the last expected cooperative sent nothing
        assert any(report.status(end) == RECEIVED_LATE for report in reports)
        load_accounts_demo(following, today=end)
        assert db.session.execute(select(func.count(Crfs.id)).filter_by(school_year_id=year.id)).scalar_one() == len(reports)
        assert db.session.execute(select(func.count(AccountCheck.id)).filter_by(school_year_id=following.id)).scalar_one() == 2
        db.session.rollback()
