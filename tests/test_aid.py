"""Financial aid: the workflow's rules, the CRFS warning, the list, the commission, payment and report pages, roles."""

from __future__ import annotations

import html
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest

from app.aid import service
from app.aid.models import ADJOURNED, GRANTED, PAID, RECEIVED, REFUSED, REPORTED, TRANSPORT, AidRequest
from app.directory.models import Classroom, Cooperative, School, Sector
from app.extensions import db
from app.testing import login, post_form
from app.years.service import current_year, get_or_create_year, previous_label

TODAY = date.today()
PDF = b"%PDF-1.4\n% bilan du projet\n%%EOF\n"


@pytest.fixture(scope="module")
def world(app):
    """Two cooperatives: Chauny's sent its latest CRFS, Hirson's did not."""
    from app.accounts.models import Crfs

    with app.app_context():
        year = current_year()
        before = get_or_create_year(previous_label(year.label))
        chauny, hirson = Sector(name="Chauny (aides)"), Sector(name="Hirson (aides)")
        school = School(uai="0021701A", name="École Jean-Macé", commune="Chauny", sector=chauny)
        other_school = School(uai="0021702B", name="École du Centre", commune="Hirson", sector=hirson)
        coop = Cooperative(affiliation_number="027001", school=school, sector=chauny, status="active")
        other = Cooperative(affiliation_number="027002", school=other_school, sector=hirson, status="active")
        classroom = Classroom(school=school, school_year_id=year.id, name="CM1-CM2 de M. Petit", levels="CM1,CM2", cycles="3", pupils=24)
        foreign = Classroom(school=other_school, school_year_id=year.id, name="CP de Mme Roux", levels="CP", cycles="2", pupils=20)
        db.session.add_all([chauny, hirson, school, other_school, coop, other, classroom, foreign])
        db.session.flush()
        db.session.add_all(
            [
                Crfs(cooperative_id=coop.id, school_year_id=before.id, due_on=date(before.end_date.year, 9, 30), received_on=date(before.end_date.year, 9, 20)),
                Crfs(cooperative_id=other.id, school_year_id=before.id, due_on=date(before.end_date.year, 9, 30)),
            ]
        )
        db.session.commit()
        return {
            "coop": coop.id, "other": other.id, "classroom": classroom.id, "foreign": foreign.id, "year": year.id, "before": before.label,
            "sector": chauny.id, "other_sector": hirson.id,
        }  # fmt: skip


def _request(world, coop="coop", amount="500.00", title="Classe de découverte", received=-20, **kwargs) -> AidRequest:
    year = current_year()
    return service.create_request(
        db.session.get(Cooperative, world[coop]), year, title, Decimal(amount), received_on=TODAY + timedelta(days=received), **kwargs
    )


@pytest.fixture
def gestion(app):
    client = app.test_client()
    login(client, "gestion")
    return client


@pytest.fixture
def conseil(app):
    client = app.test_client()
    login(client, "conseil")
    return client


# --- the workflow's rules -------------------------------------------------------------


def test_a_request_records_the_cooperative_sector_year_and_class(app, world):
    with app.app_context():
        classroom = db.session.get(Classroom, world["classroom"])
        item = _request(world, title="Transport au musée de Chevregny", amount="180", kind=TRANSPORT, classroom=classroom, description="Devis car")
        assert (item.status, item.kind, item.school_year_id, item.sector_id, item.classroom_id) == (RECEIVED, TRANSPORT, world["year"], world["sector"], world["classroom"])
        assert item.amount_requested == Decimal("180.00") and item.project_description == "Devis car"


def test_bad_requests_are_refused_in_french(app, world):
    with app.app_context():
        with pytest.raises(service.AidRefused, match="^Indiquez l'intitulé du projet.$"):
            _request(world, title="  ")
        with pytest.raises(service.AidRefused, match="^Le montant demandé doit être supérieur à zéro.$"):
            _request(world, amount="0")
        with pytest.raises(service.AidRefused, match=r"^Le montant demandé : deux décimales au plus \(les centimes\).$"):
            _request(world, amount="10.555")
        with pytest.raises(service.AidRefused, match="^La classe « CP de Mme Roux » n'est pas une classe de l'école de cette coopérative"):
            _request(world, classroom=db.session.get(Classroom, world["foreign"]))
        with pytest.raises(service.AidRefused, match="^Type d'aide inconnu"):
            _request(world, kind="voyage")
        db.session.rollback()


def test_the_commission_grants_at_most_the_amount_requested(app, world):
    with app.app_context():
        item = _request(world, amount="500")
        version = item.version
        with pytest.raises(service.AidRefused, match=r"^Le montant accordé \(600,00 €\) ne peut pas dépasser le montant demandé \(500,00 €\).$"):
            service.decide(item, Decimal("600"), TODAY)
        with pytest.raises(service.AidRefused, match=r"^La commission \(.*\) ne peut pas précéder la réception de la demande"):
            service.decide(item, Decimal("300"), TODAY - timedelta(days=30))
        db.session.rollback()
        service.decide(item, Decimal("300"), TODAY, "Accord partiel")
        assert (item.status, item.amount_granted, item.commission_on, item.decision_note) == (GRANTED, Decimal("300.00"), TODAY, "Accord partiel")
        assert item.version == version + 1  # an edit form opened before the decision is now stale
        with pytest.raises(service.AidRefused, match=r"^La commission a déjà statué sur cette demande \(statut actuel : Accordée\).$"):
            service.decide(item, Decimal("100"), TODAY)


def test_payment_and_report_follow_the_decision(app, world):
    with app.app_context():
        item = _request(world, amount="400")
        with pytest.raises(service.AidRefused, match=r"^Seule une aide accordée par la commission peut être versée \(statut actuel : Reçue\).$"):
            service.pay(item, Decimal("100"), TODAY, service.CHEQUE)
        service.decide(item, Decimal("350"), TODAY - timedelta(days=5))
        with pytest.raises(service.AidRefused, match=r"^Le montant versé \(360,00 €\) ne peut pas dépasser le montant accordé \(350,00 €\).$"):
            service.pay(item, Decimal("360"), TODAY, service.TRANSFER)
        with pytest.raises(service.AidRefused, match="^Choisissez le mode de versement : chèque ou virement.$"):
            service.pay(item, Decimal("350"), TODAY, "especes")
        with pytest.raises(service.AidRefused, match=r"^Le bilan du projet s'enregistre après le versement de l'aide \(statut actuel : Accordée\).$"):
            service.record_report(item, TODAY)
        service.pay(item, Decimal("350"), TODAY, service.TRANSFER)
        assert (item.status, item.amount_paid, item.paid_on, item.payment_method) == (PAID, Decimal("350.00"), TODAY, "virement")
        with pytest.raises(service.AidRefused, match="^Cette aide a déjà été versée le "):
            service.pay(item, Decimal("1"), TODAY, service.CHEQUE)
        service.record_report(item, TODAY, "Projet mené à bien")
        assert (item.status, item.report_received_on, item.report_note) == (REPORTED, TODAY, "Projet mené à bien")
        with pytest.raises(service.AidRefused, match="^Le bilan de ce projet a déjà été reçu le "):
            service.record_report(item, TODAY)


def test_a_refused_request_cannot_be_paid_and_an_adjourned_one_comes_back(app, world):
    with app.app_context():
        refused = _request(world, title="Spectacle")
        service.decide(refused, None, TODAY, "Déjà financé", decision=REFUSED)
        assert refused.status == REFUSED and refused.amount_granted == Decimal("0")
        with pytest.raises(service.AidRefused, match="^Impossible de verser une aide refusée par la commission.$"):
            service.pay(refused, Decimal("10"), TODAY, service.CHEQUE)
        adjourned = _request(world, title="Journal scolaire")
        service.decide(adjourned, None, TODAY - timedelta(days=10), "Budget à préciser", decision=ADJOURNED)
        assert adjourned.status == ADJOURNED and adjourned.amount_granted is None
        assert adjourned in service.awaiting_decision(current_year()) and refused not in service.awaiting_decision(current_year())
        service.decide(adjourned, Decimal("200"), TODAY)
        assert adjourned.status == GRANTED


def test_totals_add_up_requested_granted_and_paid(app, world):
    with app.app_context():
        year = get_or_create_year("2019-2020")
        coop = db.session.get(Cooperative, world["other"])
        a = service.create_request(coop, year, "A", Decimal("100"), received_on=year.start_date)
        b = service.create_request(coop, year, "B", Decimal("250.50"), received_on=year.start_date)
        service.create_request(coop, year, "C", Decimal("80"), received_on=year.start_date)
        service.decide(a, Decimal("90"), year.start_date)
        service.pay(a, Decimal("90"), year.start_date, service.CHEQUE)
        service.decide(b, None, year.start_date, decision=REFUSED)
        assert service.totals(year) == {"count": 3, "requested": Decimal("430.50"), "granted": Decimal("90.00"), "paid": Decimal("90.00")}


def test_the_crfs_warning_comes_from_the_accounts_rule(app, world):
    with app.app_context():
        year = current_year()
        assert service.crfs_warning(world["coop"], year) is None
        warning = service.crfs_warning(world["other"], year)
        assert warning.startswith(f"Le CRFS {world['before']} de cette coopérative n'a pas été reçu")
        assert service.crfs_missing([world["coop"], world["other"]], year) == (world["before"], {world["other"]})


# --- pages -----------------------------------------------------------------------------


def test_the_list_shows_the_viewed_year_totals_and_crfs(app, world, gestion):
    with app.app_context():
        mine = _request(world, coop="other", title="Jardin partagé de Hirson", amount="321.00")
        old = service.create_request(db.session.get(Cooperative, world["other"]), get_or_create_year("2020-2021"), "Projet d'une autre année", Decimal("50"), received_on=date(2020, 10, 1))
        mine_id, old_title = mine.id, old.project_title
    page = html.unescape(gestion.get("/aidrequestview/list/").get_data(as_text=True))
    assert "Demandes d'aide financière" in page and "Jardin partagé de Hirson" in page and old_title not in page
    assert f"Manquant ({world['before']})" in page and "Reçu" in page and 'id="aid-totals"' in page
    filtered = html.unescape(gestion.get(f"/aidrequestview/list/?_flt_0_sector={world['other_sector']}&_flt_0_status=recue").get_data(as_text=True))
    assert "Jardin partagé de Hirson" in filtered and "Classe de découverte" not in filtered
    with app.app_context():
        expected = service.totals(query=db.session.query(AidRequest).filter(AidRequest.school_year_id == world["year"], AidRequest.sector_id == world["other_sector"], AidRequest.status == RECEIVED))
    assert f'<span id="total-requested">{service.money(expected["requested"])}</span>' in filtered
    export = gestion.get("/aidrequestview/export/csv?_flt_0_status=recue")
    assert export.status_code == 200 and "Jardin partagé de Hirson" in export.get_data(as_text=True)
    show = html.unescape(gestion.get(f"/aidrequestview/show/{mine_id}").get_data(as_text=True))
    assert 'id="crfs-warning"' in show and f"Le CRFS {world['before']} de cette coopérative n'a pas été reçu" in show and "Statuer en commission" in show


def test_adding_a_request_takes_french_amounts_and_keeps_what_was_typed(app, world, gestion):
    data = {"cooperative": str(world["coop"]), "classroom": "__None", "kind": "projet", "project_title": "Sortie à Laon", "project_description": "Visite de la cathédrale", "received_on": TODAY.isoformat()}
    refused = post_form(gestion, "/aidrequestview/add", {**data, "amount_requested": "douze euros"})
    page = html.unescape(refused.get_data(as_text=True))
    assert refused.status_code == 200 and "« douze euros » n'est pas un montant : écrivez par exemple 350,00." in page and "Visite de la cathédrale" in page
    huge = post_form(gestion, "/aidrequestview/add", {**data, "amount_requested": "250000000"})
    assert "Le montant demandé est trop élevé." in html.unescape(huge.get_data(as_text=True))
    wrong_class = post_form(gestion, "/aidrequestview/add", {**data, "amount_requested": "120", "classroom": str(world["foreign"])})
    assert "La classe « CP de Mme Roux » n'est pas une classe de l'école de cette coopérative" in html.unescape(wrong_class.get_data(as_text=True))
    upload = (io.BytesIO(PDF), "dossier.pdf")
    saved = post_form(gestion, "/aidrequestview/add", {**data, "amount_requested": "1 250,50", "classroom": str(world["classroom"]), "request_upload": upload}, content_type="multipart/form-data")
    assert saved.status_code == 302
    with app.app_context():
        item = db.session.query(AidRequest).filter_by(project_title="Sortie à Laon").one()
        assert (item.amount_requested, item.status, item.school_year_id, item.sector_id, item.classroom_id) == (Decimal("1250.50"), RECEIVED, world["year"], world["sector"], world["classroom"])
        assert item.request_file.filename == "dossier.pdf"
        pk = item.id
    show = gestion.get(f"/aidrequestview/show/{pk}").get_data(as_text=True)
    assert f"/aidrequestview/fichier/{pk}/request_file" in show and 'id="crfs-warning"' not in show
    download = gestion.get(f"/aidrequestview/fichier/{pk}/request_file")
    assert download.status_code == 200 and download.data == PDF


def test_the_amount_requested_cannot_fall_below_the_amount_granted(app, world, gestion):
    with app.app_context():
        item = _request(world, title="Chorale", amount="300")
        service.decide(item, Decimal("250"), TODAY)
        pk = item.id
    url = f"/aidrequestview/edit/{pk}"
    response = post_form(gestion, url, {"cooperative": str(world["coop"]), "classroom": "__None", "kind": "projet", "project_title": "Chorale", "amount_requested": "200", "received_on": (TODAY - timedelta(days=20)).isoformat()})
    page = html.unescape(response.get_data(as_text=True))
    assert "Le montant demandé (200,00 €) ne peut pas être inférieur au montant déjà accordé (250,00 €)." in page
    with app.app_context():
        assert db.session.get(AidRequest, pk).amount_requested == Decimal("300.00")


def test_a_decided_request_cannot_be_deleted(app, world, gestion):
    with app.app_context():
        decided = _request(world, title="À garder")
        service.decide(decided, Decimal("100"), TODAY)
        fresh = _request(world, title="Saisie en double")
        decided_id, fresh_id = decided.id, fresh.id
    refused = post_form(gestion, f"/aidrequestview/delete/{decided_id}", {}, token_from="/aidrequestview/list/", follow_redirects=True)
    assert "Seule une demande sur laquelle la commission n'a pas encore statué peut être supprimée (statut actuel : Accordée)." in html.unescape(refused.get_data(as_text=True))
    post_form(gestion, f"/aidrequestview/delete/{fresh_id}", {}, token_from="/aidrequestview/list/")
    with app.app_context():
        assert db.session.get(AidRequest, decided_id) is not None and db.session.get(AidRequest, fresh_id) is None


def test_the_commission_page_decides_with_the_crfs_in_view(app, world, gestion):
    with app.app_context():
        ok = _request(world, title="Potager de Chauny", amount="400")
        late = _request(world, coop="other", title="Bibliothèque de classe", amount="150")
        ok_id, late_id, ok_version = ok.id, late.id, ok.version
    page = html.unescape(gestion.get("/aides/commission/").get_data(as_text=True))
    assert "Commission des aides financières" in page and "Potager de Chauny" in page and "Bibliothèque de classe" in page
    assert f'id="crfs-ok-{ok_id}"' in page and f'id="crfs-warning-{late_id}"' in page and f"Le CRFS {world['before']} de cette coopérative n'a pas été reçu" in page
    fields = {f"d{ok_id}-decision": "accordee", f"d{ok_id}-amount": "450,00", f"d{ok_id}-decided_on": TODAY.isoformat(), f"d{ok_id}-note": "Très beau projet", f"d{ok_id}-version": str(ok_version)}
    refused = post_form(gestion, f"/aides/commission/{ok_id}", fields, token_from="/aides/commission/")
    page = html.unescape(refused.get_data(as_text=True))
    assert refused.status_code == 200 and "Le montant accordé (450,00 €) ne peut pas dépasser le montant demandé (400,00 €)." in page and "Très beau projet" in page
    saved = post_form(gestion, f"/aides/commission/{ok_id}", {**fields, f"d{ok_id}-amount": "380,00"}, token_from="/aides/commission/")
    assert saved.status_code == 302
    stale = post_form(gestion, f"/aides/commission/{late_id}", {f"d{late_id}-decision": "refusee", f"d{late_id}-decided_on": TODAY.isoformat(), f"d{late_id}-version": "0"}, token_from="/aides/commission/")
    assert "modifiée par quelqu'un d'autre" in html.unescape(stale.get_data(as_text=True))
    with app.app_context():
        item = db.session.get(AidRequest, ok_id)
        assert (item.status, item.amount_granted, item.decision_note) == (GRANTED, Decimal("380.00"), "Très beau projet")
        assert db.session.get(AidRequest, late_id).status == RECEIVED
    after = gestion.get("/aides/commission/").get_data(as_text=True)
    assert f'id="aid-{ok_id}"' not in after and f'id="aid-{late_id}"' in after


def test_payment_and_report_from_the_request_page(app, world, gestion):
    with app.app_context():
        item = _request(world, title="Classe de mer", amount="800")
        service.decide(item, Decimal("500"), TODAY - timedelta(days=3))
        pk = item.id
    url = f"/aidrequestview/show/{pk}"
    page = gestion.get(url).get_data(as_text=True)
    assert 'id="aid-payment"' in page and 'id="aid-report"' not in page
    refused = post_form(gestion, f"/aidrequestview/versement/{pk}", {"amount": "600", "paid_on": TODAY.isoformat(), "method": "cheque"}, token_from=url)
    text = html.unescape(refused.get_data(as_text=True))
    assert refused.status_code == 200 and "Le montant versé (600,00 €) ne peut pas dépasser le montant accordé (500,00 €)." in text and 'value="600"' in text
    assert post_form(gestion, f"/aidrequestview/versement/{pk}", {"amount": "500,00", "paid_on": TODAY.isoformat(), "method": "cheque"}, token_from=url).status_code == 302
    page = gestion.get(url).get_data(as_text=True)
    assert 'id="aid-report"' in page and 'id="aid-payment"' not in page
    bad = post_form(gestion, f"/aidrequestview/bilan/{pk}", {"received_on": TODAY.isoformat(), "note": "Très réussi", "report_upload": (io.BytesIO(b"MZ\x90\x00"), "bilan.pdf")}, token_from=url, content_type="multipart/form-data")
    text = html.unescape(bad.get_data(as_text=True))
    assert bad.status_code == 200 and "Le contenu du fichier « bilan.pdf » n'est pas celui d'un fichier" in text and "Très réussi" in text
    good = post_form(gestion, f"/aidrequestview/bilan/{pk}", {"received_on": TODAY.isoformat(), "note": "Très réussi", "report_upload": (io.BytesIO(PDF), "bilan.pdf")}, token_from=url, content_type="multipart/form-data")
    assert good.status_code == 302
    with app.app_context():
        item = db.session.get(AidRequest, pk)
        assert (item.status, item.amount_paid, item.payment_method, item.report_note, item.report_file.filename) == (REPORTED, Decimal("500.00"), "cheque", "Très réussi", "bilan.pdf")
    assert gestion.get(f"/aidrequestview/fichier/{pk}/report_file").data == PDF


def test_the_board_reads_without_recording_and_animation_sees_nothing(app, world, conseil):
    with app.app_context():
        item = _request(world, title="Lecture du conseil", amount="90")
        pk, version = item.id, item.version
    assert conseil.get("/aidrequestview/list/").status_code == 200
    assert "Lecture du conseil" in html.unescape(conseil.get(f"/aidrequestview/show/{pk}").get_data(as_text=True))
    assert conseil.get("/aidrequestview/export/csv").status_code in (302, 403)
    assert conseil.get("/aidrequestview/add").status_code in (302, 403)
    page = conseil.get("/aides/commission/").get_data(as_text=True)
    assert f'id="aid-{pk}"' in page and f'id="decision-form-{pk}"' not in page
    post_form(conseil, f"/aides/commission/{pk}", {f"d{pk}-decision": "accordee", f"d{pk}-amount": "90", f"d{pk}-decided_on": TODAY.isoformat(), f"d{pk}-version": str(version)}, token_from="/aides/commission/")
    with app.app_context():
        assert db.session.get(AidRequest, pk).status == RECEIVED
        service.decide(db.session.get(AidRequest, pk), Decimal("90"), TODAY)
    show = conseil.get(f"/aidrequestview/show/{pk}").get_data(as_text=True)
    assert 'id="aid-payment"' not in show
    post_form(conseil, f"/aidrequestview/versement/{pk}", {"amount": "90", "paid_on": TODAY.isoformat(), "method": "cheque", "version": "3"}, token_from="/aides/commission/")
    with app.app_context():
        assert db.session.get(AidRequest, pk).status == GRANTED
    animation = app.test_client()
    login(animation, "animation")
    assert animation.get("/aidrequestview/list/").status_code in (302, 403)
    assert animation.get("/aides/commission/").status_code in (302, 403)


def test_the_cooperative_tab_and_the_dashboard_card(app, world, gestion):
    from app.aid.figures import dashboard_card

    hub = html.unescape(gestion.get(f"/cooperativeview/show/{world['other']}").get_data(as_text=True))
    assert "Aides financières" in hub and "Jardin partagé de Hirson" in hub and "Projet d'une autre année" in hub
    with app.test_request_context():
        year = current_year()
        figures = service.totals(year)
        card = dashboard_card(year)
        assert card.title == f"Aides financières {year.label}" and card.value == service.money(figures["granted"])
        assert f"demandés : {service.money(figures['requested'])}" in card.detail and card.url == "/aides/commission/"
        label = year.label
    home = html.unescape(gestion.get("/").get_data(as_text=True))
    assert f"Aides financières {label}" in home


def test_demo_data_is_idempotent_and_covers_the_workflow(app, world):
    from app.aid.demo import load_aid_demo

    with app.app_context():
        year = get_or_create_year("2018-2019")
        load_aid_demo(year)
        db.session.commit()
        load_aid_demo(year)
        db.session.commit()
        rows = db.session.query(AidRequest).filter_by(school_year_id=year.id).all()
        assert len(rows) == 6
        assert {row.status for row in rows} == {RECEIVED, GRANTED, REFUSED, ADJOURNED, PAID, REPORTED}
        assert any(row.kind == TRANSPORT for row in rows)



def test_the_migration_matches_the_model(app):
    from app.testing import schema_differences

    mine = [difference for difference in schema_differences(app) if "occe_aid_request" in repr(difference)]
    assert mine == []


def test_the_list_page_costs_a_few_statements_whatever_its_size(app, world, gestion):
    from sqlalchemy import event

    with app.app_context():
        for number in range(30):
            _request(world, coop=("coop", "other")[number % 2], title=f"Projet en série {number}", amount="10")
        engine = db.engine
    statements = []

    def count(*args):
        statements.append(args[2])

    event.listen(engine, "before_cursor_execute", count)
    try:
        page = gestion.get("/aidrequestview/list/?psize_AidRequestView=25")
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert page.status_code == 200 and "Projet en série" in html.unescape(page.get_data(as_text=True))
    business = [sql for sql in statements if "occe_aid_request" in sql or "occe_crfs" in sql]
    assert len(business) <= 4, business
    assert len(statements) <= 12, statements  # 6 of them are the signed-in user, the years and the menu


def test_the_decision_is_mailed_to_the_mandataire_when_asked(app, world, gestion):
    from app.directory.models import Person
    from app.mail.models import MailMessage

    with app.app_context():
        coop = db.session.get(Cooperative, world["coop"])
        coop.mandataire = Person(first_name="Claire", last_name="Martin", civility="Mme", email="claire.martin@ac-amiens.example", school_id=coop.school_id)
        db.session.commit()
        mailed = _request(world, title="Fresque de la cour", amount="600")
        silent = _request(world, coop="other", title="Kamishibaï", amount="120")
        mailed_id, silent_id, mailed_version, silent_version = mailed.id, silent.id, mailed.version, silent.version
    fields = {f"d{mailed_id}-decision": "accordee", f"d{mailed_id}-amount": "450", f"d{mailed_id}-decided_on": TODAY.isoformat(), f"d{mailed_id}-note": "Bravo", f"d{mailed_id}-notify": "y", f"d{mailed_id}-version": str(mailed_version)}
    response = post_form(gestion, f"/aides/commission/{mailed_id}", fields, token_from="/aides/commission/")
    assert "Courriel de décision mis dans la file d&#39;envoi." in gestion.get(response.headers["Location"]).get_data(as_text=True)
    other = {f"d{silent_id}-decision": "refusee", f"d{silent_id}-decided_on": TODAY.isoformat(), f"d{silent_id}-notify": "y", f"d{silent_id}-version": str(silent_version)}
    response = post_form(gestion, f"/aides/commission/{silent_id}", other, token_from="/aides/commission/")
    assert "Pas d&#39;adresse électronique pour le ou la mandataire de la coopérative 027002" in gestion.get(response.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        message = db.session.query(MailMessage).filter_by(module="aid").one()
        assert message.recipient_email == "claire.martin@ac-amiens.example" and message.subject.endswith("votre demande d'aide « Fresque de la cour »")
        assert message.body_text.startswith("Bonjour Mme Martin,") and "Elle vous accorde une aide de 450,00 €." in message.body_text and "Remarque de la commission : Bravo" in message.body_text
        assert db.session.get(AidRequest, silent_id).status == REFUSED
