"""Loans: booking without double booking (concurrent writers included), check-out and return, calendar, pages."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest
from sqlalchemy.exc import OperationalError

from app.directory.models import Cooperative, School
from app.extensions import db
from app.loans import service
from app.loans.kinds import item_kinds
from app.loans.models import OUT, RESERVED, RETURNED, Loan, LoanItem
from app.testing import login, post_form

TODAY = date.today()


@pytest.fixture(scope="module")
def world(app):
    with app.app_context():
        school = School(uai="0020001R", name="École des Prêts", commune="Chauny")
        other_school = School(uai="0021234F", name="École Voisine", commune="Tergnier")
        coop = Cooperative(affiliation_number="020901", school=school, status="active")
        other = Cooperative(affiliation_number="020902", school=other_school, status="active")
        trunk = LoanItem(kind="malle_thematique", code="MT-T1", name="Jeux coopératifs", checklist="6 jeux\nLivret\nFiches règles")
        book = LoanItem(kind="ouvrage_pedagogique", code="OP-T1", name="Le conseil de coopérative")
        broken = LoanItem(kind="malle_thematique", code="MT-T2", name="Malle abîmée", condition="hors_service")
        db.session.add_all([school, other_school, coop, other, trunk, book, broken])
        db.session.commit()
        return {"coop": coop.id, "other": other.id, "trunk": trunk.id, "book": book.id, "broken": broken.id}


def _book(world, item="trunk", coop="coop", start=0, days=14):
    return service.book(db.session.get(LoanItem, world[item]), db.session.get(Cooperative, world[coop]), TODAY + timedelta(days=start), TODAY + timedelta(days=start + days))


def test_occe_loan_item_kinds_gathers_the_core_and_plugin_kinds(app):
    with app.app_context():
        kinds = item_kinds()
        assert list(kinds)[:2] == ["malle_thematique", "ouvrage_pedagogique"]
        assert kinds["kit_modele"].label == "Kits de l'action modèle"  # from the contract's test plugin


def test_an_overlapping_booking_is_refused_naming_the_other_one(app, world):
    with app.app_context():
        first = _book(world, start=10)
        assert first.status == RESERVED and first.school_year_id
        with pytest.raises(service.LoanRefused, match=r"est déjà réservé du .* \(coopérative 020901\)"):
            _book(world, coop="other", start=20)
        with pytest.raises(service.LoanRefused):
            _book(world, coop="other", start=0, days=10)  # ends the day the first starts
        after = _book(world, coop="other", start=25)  # the day after the return
        assert after.id != first.id


def test_bad_dates_and_unavailable_items_are_refused_in_french(app, world):
    with app.app_context():
        with pytest.raises(service.LoanRefused, match="doit suivre le départ"):
            _book(world, start=5, days=-2)
        with pytest.raises(service.LoanRefused, match="Un prêt dure 70 jours au plus."):
            _book(world, item="book", start=100, days=90)
        with pytest.raises(service.LoanRefused, match="n'est pas disponible au prêt"):
            _book(world, item="broken")


def test_two_staff_booking_the_same_item_at_once_cannot_both_succeed(app, world):
    """Two threads, two sessions, released together: each round exactly one booking is saved."""
    for round_number in range(4):
        start = 200 + 30 * round_number
        barrier = threading.Barrier(2)
        outcomes = []

        def attempt(coop_key):
            with app.app_context():
                item = db.session.get(LoanItem, world["book"])
                cooperative = db.session.get(Cooperative, world[coop_key])
                barrier.wait()
                try:
                    service.book(item, cooperative, TODAY + timedelta(days=start), TODAY + timedelta(days=start + 10))
                    outcomes.append("saved")
                except service.LoanRefused:
                    outcomes.append("refused")
                except OperationalError:
                    outcomes.append("busy")  # the page says « réessayez » and saves nothing
                finally:
                    db.session.rollback()

        threads = [threading.Thread(target=attempt, args=(key,)) for key in ("coop", "other")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(outcomes)[-1] == "saved" and outcomes.count("saved") == 1, outcomes
        with app.app_context():
            assert len(service.overlapping(world["book"], TODAY + timedelta(days=start), TODAY + timedelta(days=start + 10))) == 1


def test_check_out_and_return_follow_the_checklist(app, world):
    with app.app_context():
        loan = _book(world, item="trunk", start=-30, days=5)
        assert service.check_out(loan, ["6 jeux", "Livret"]) == ["Fiches règles"]
        assert loan.status == OUT and loan.checkout_checklist == "6 jeux\nLivret"
        assert loan in service.overdue()
        with pytest.raises(service.LoanRefused, match="Seul un prêt réservé peut sortir"):
            service.check_out(loan, [])
        assert service.return_loan(loan, ["6 jeux"], "a_reparer") == ["Livret", "Fiches règles"]
        assert loan.status == RETURNED and loan.item.condition == "a_reparer" and loan.missing_on_return == "Livret\nFiches règles"
        assert loan not in service.overdue()
        loan.item.condition = "bon"
        db.session.commit()


def test_the_calendar_marks_each_day_of_each_item(app, world):
    with app.app_context():
        dates, rows = service.calendar("malle_thematique", TODAY, days=30)
        trunk = next(row for row in rows if row.item.id == world["trunk"])
        assert len(dates) == len(trunk.cells) == 30
        booked = [cell for cell in trunk.cells[10:25] if cell is not None]
        assert len(booked) == 15 and {loan.cooperative.affiliation_number for loan in booked} == {"020901"}
        assert trunk.cells[0] is None
        assert all(row.item.kind == "malle_thematique" for row in rows) and world["broken"] in {row.item.id for row in rows}


# --- pages ---------------------------------------------------------------------------------


@pytest.fixture
def gestion(app):
    client = app.test_client()
    login(client, "gestion")
    return client


def test_booking_from_the_page_keeps_the_form_on_refusal(app, world, gestion):
    found = gestion.get("/prets/reserver/?q=Prêts").get_data(as_text=True)
    assert "020901" in found and f"/prets/reserver/{world['coop']}" in found
    url = f"/prets/reserver/{world['coop']}"
    day = TODAY + timedelta(days=12)
    refused = post_form(gestion, url, {"item_id": world["trunk"], "starts_on": day.isoformat(), "ends_on": (day + timedelta(days=3)).isoformat(), "classroom_id": "0", "notes": "Pour la kermesse"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 200 and "est déjà réservé" in page and "Pour la kermesse" in page
    day = TODAY + timedelta(days=400)
    saved = post_form(gestion, url, {"item_id": world["trunk"], "starts_on": day.isoformat(), "ends_on": (day + timedelta(days=14)).isoformat(), "classroom_id": "0"})
    assert saved.status_code == 302 and "/loanview/show/" in saved.headers["Location"]
    with app.app_context():
        loan = db.session.query(Loan).filter_by(starts_on=day).one()
        assert loan.created_by.username == "gestion"


def test_the_calendar_page_links_free_days_to_the_booking(app, world, gestion):
    page = gestion.get("/prets/calendrier/?type=malle_thematique").get_data(as_text=True)
    assert 'id="loan-calendar"' in page and "MT-T1" in page and "OP-T1" not in page
    assert f"/prets/reserver/?item={world['trunk']}&amp;start=" in page
    follow = gestion.get(f"/prets/reserver/{world['coop']}?item={world['trunk']}&start={TODAY.isoformat()}").get_data(as_text=True)
    assert f'<option selected value="{world["trunk"]}">' in follow or f'value="{world["trunk"]}" selected' in follow


def test_check_out_and_return_from_the_loan_page(app, world, gestion):
    with app.app_context():
        loan_id = _book(world, item="trunk", start=500, days=7).id
    page = gestion.get(f"/loanview/show/{loan_id}").get_data(as_text=True)
    assert 'id="checkout"' in page and "Fiches règles" in page
    post_form(gestion, f"/loanview/sortie/{loan_id}", {"present": ["6 jeux", "Livret", "Fiches règles"]}, token_from=f"/loanview/show/{loan_id}")
    page = gestion.get(f"/loanview/show/{loan_id}").get_data(as_text=True)
    assert 'id="checkin"' in page
    post_form(gestion, f"/loanview/retour/{loan_id}", {"present": ["6 jeux", "Livret"], "condition": "use"}, token_from=f"/loanview/show/{loan_id}")
    with app.app_context():
        loan = db.session.get(Loan, loan_id)
        assert loan.status == RETURNED and loan.missing_on_return == "Fiches règles" and loan.item.condition == "use"
    hub = gestion.get(f"/cooperativeview/show/{world['coop']}").get_data(as_text=True)
    assert "Prêts" in hub and "MT-T1 — Jeux coopératifs" in hub and "Réserver une malle ou un kit" in hub


def test_readers_see_the_calendar_but_cannot_book(app, world):
    conseil = app.test_client()
    login(conseil, "conseil")
    assert conseil.get("/prets/calendrier/").status_code == 200
    assert conseil.get(f"/prets/reserver/{world['coop']}").status_code in (302, 403)
    with app.app_context():
        loan_id = _book(world, item="trunk", start=600, days=7).id
    post_form(conseil, f"/loanview/sortie/{loan_id}", {"present": ["6 jeux"]}, token_from="/prets/calendrier/")
    with app.app_context():
        assert db.session.get(Loan, loan_id).status == RESERVED


def test_overdue_loans_get_a_reminder_mail_per_cooperative(app, world, gestion):
    from app.directory.models import Person
    from app.mail.models import MailMessage

    with app.app_context():
        coop = db.session.get(Cooperative, world["coop"])
        coop.mandataire = Person(first_name="Claire", last_name="Martin", civility="Mme", email="claire.martin@ac-amiens.example", school_id=coop.school_id)
        db.session.commit()
        late = [_book(world, item="book", start=-60, days=10), _book(world, item="trunk", start=-80, days=10)]
        stranger = _book(world, item="book", coop="other", start=-40, days=10)  # its cooperative has no mandataire
        for loan in (*late, stranger):
            service.check_out(loan, [])
        ids = [loan.id for loan in (*late, stranger)]
    page = gestion.get("/prets/retards/").get_data(as_text=True)
    assert all(f'id="overdue-{pk}"' in page for pk in ids)
    response = post_form(gestion, "/prets/retards/relancer", {"loan_id": [str(pk) for pk in ids]}, token_from="/prets/retards/")
    follow = gestion.get(response.headers["Location"]).get_data(as_text=True)
    assert "1 relance(s) mise(s) dans la file d&#39;envoi." in follow and "Pas d&#39;adresse électronique pour la coopérative 020902" in follow
    with app.app_context():
        message = db.session.query(MailMessage).filter_by(recipient_email="claire.martin@ac-amiens.example", module="loans").one()
        assert message.subject == "OCCE 02 : retour de prêt attendu"
        assert message.body_text.startswith("Bonjour Mme Martin,") and "MT-T1 — Jeux coopératifs" in message.body_text and "OP-T1" in message.body_text
        assert {loan.reminded_on for loan in db.session.query(Loan).filter(Loan.id.in_(ids[:2]))} == {TODAY}
        assert db.session.get(Loan, ids[2]).reminded_on is None
