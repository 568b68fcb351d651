"""Journeys in a real browser: log in, open the Plugins page, switch an action off for the year."""

from __future__ import annotations

import pytest

from app.testing import PASSWORD
from tests.browser import ARTIFACTS, browser_page, live_server

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def base_url(app):
    with live_server(app) as url:
        yield url


@pytest.fixture
def page(request):
    with browser_page(request) as page:
        yield page


def log_in(page, base_url, username="admin"):
    page.goto(f"{base_url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("input[type=submit], button[type=submit]")
    page.wait_for_selector("text=Tableau de bord de l'année scolaire")


def test_admin_logs_in_and_opens_the_plugins_page(page, base_url):
    log_in(page, base_url)
    page.click("a.dropdown-toggle:has-text('Administration')")
    page.click("a[href='/admin/plugins/']")
    page.wait_for_selector("#plugins-table")
    assert page.locator("h1").inner_text() == "Plugins"
    assert page.locator("#plugin-good_action").is_visible()
    assert "panne volontaire" in page.locator("#plugin-broken_import").inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "plugins-page.png"), full_page=True)


def test_switching_an_action_off_asks_first_then_hides_its_menu(page, base_url):
    log_in(page, base_url)
    menu = page.locator("a.dropdown-toggle:has-text('Action modèle')")
    assert menu.count() == 1
    page.goto(f"{base_url}/admin/plugins/")
    switch_off = page.locator("#plugin-good_action button[data-switch='off']").first
    dialogs = []

    def dismiss_then_accept(dialog):
        dialogs.append(dialog.message)
        dialog.dismiss() if len(dialogs) == 1 else dialog.accept()

    page.on("dialog", dismiss_then_accept)
    switch_off.click()  # dismissed: nothing changes
    assert page.locator("#plugin-good_action button[data-switch='off']").count() == 1
    page.locator("#plugin-good_action button[data-switch='off']").first.click()
    page.wait_for_selector("text=est désactivé pour")
    assert "aucune donnée ne sera supprimée" in dialogs[0]
    assert page.locator("a.dropdown-toggle:has-text('Action modèle')").count() == 0
    page.locator("#plugin-good_action button[data-switch='on']").first.click()
    page.wait_for_selector("text=est activé pour")
    assert page.locator("a.dropdown-toggle:has-text('Action modèle')").count() == 1


@pytest.fixture(scope="module")
def cooperative(app):
    from app.directory.models import Cooperative, Person, School, Sector
    from app.extensions import db

    with app.app_context():
        sector = Sector(name="Soissons")
        school = School(uai="0021234F", name="École primaire Louise Michel", kind="primaire", commune="Soissons", sector=sector)
        person = Person(first_name="Julie", last_name="Dubois", email="julie.dubois@ac-amiens.example", function="mandataire", school=school)
        db.session.add_all([sector, school, person, Cooperative(affiliation_number="021234", school=school, sector=sector, mandataire=person)])
        db.session.commit()


def test_find_a_cooperative_and_open_its_page(page, base_url, cooperative):
    log_in(page, base_url, "gestion")
    page.click("a.dropdown-toggle:has-text('Annuaire')")
    page.click("a[href='/cooperativeview/list/']")
    page.goto(f"{base_url}/cooperativeview/list/?_flt_2_school=Louise")  # the school's name contains "Louise"
    page.wait_for_selector("text=021234")
    page.click("a[href^='/cooperativeview/show/']")
    page.wait_for_selector(".occe-hub .nav-tabs")
    assert "Adhésions" in page.locator(".occe-hub .nav-tabs").inner_text()
    assert "Julie Dubois" in page.content()
    page.screenshot(path=str(ARTIFACTS / "cooperative-hub.png"), full_page=True)


def test_import_a_file_with_an_error_line_then_fix_it(page, base_url, tmp_path):
    log_in(page, base_url, "gestion")
    header = "N° affiliation;UAI;École;Commune;Mandataire;Courriel\n"
    bad = tmp_path / "adherents.csv"
    bad.write_text(header + "028001;0021235G;École A;Laon;Anne ROUX;anne.roux@ac-amiens.example\n028002;0021236X;École B;Laon;Léa PETIT;lea@ac-amiens.example\n", encoding="utf-8")
    page.goto(f"{base_url}/annuaire/import/")
    page.set_input_files("#file", str(bad))
    page.click("#import-preview")
    page.wait_for_selector("#import-errors")
    row = page.locator("#import-errors tbody tr").first
    assert row.locator("td").first.inner_text() == "3"
    assert "lettre de contrôle" in row.inner_text()
    page.screenshot(path=str(ARTIFACTS / "import-errors.png"), full_page=True)

    good = tmp_path / "adherents-corrige.csv"
    good.write_text(bad.read_text(encoding="utf-8").replace("0021236X", "0021236H"), encoding="utf-8")
    page.goto(f"{base_url}/annuaire/import/")
    page.set_input_files("#file", str(good))
    page.click("#import-preview")
    page.wait_for_selector("#import-confirm")
    page.click("#import-confirm")
    page.wait_for_selector("text=Import terminé : 2 créations")


@pytest.fixture(scope="module")
def action_to_join(app, cooperative):
    """A class of the cooperative's school and an open action with one place left."""
    from datetime import date, timedelta

    from app.actions.catalogue import ensure_action
    from app.directory.models import Classroom, School
    from app.extensions import db
    from app.years.service import current_year

    with app.app_context():
        school = db.session.query(School).filter_by(uai="0021234F").one()
        db.session.add(Classroom(school_year=current_year(), school=school, name="CM1 Mme Dubois", levels="CM1", cycles="3", pupils=26))
        ensure_action(current_year(), "defimaths_test", "DéfiMaths (essai)", opens_on=date.today() - timedelta(days=1), closes_on=date.today() + timedelta(days=30), capacity=1)
        db.session.commit()


def test_register_a_class_to_an_action(page, base_url, action_to_join):
    log_in(page, base_url, "animation")
    page.click("a.dropdown-toggle:has-text('Actions')")
    page.click("a[href='/inscriptions/nouvelle/']")
    page.fill("#q", "Louise Michel")
    page.click("#cooperative-search button")
    page.click("#cooperatives-found a:has-text('Choisir')")
    page.select_option("#action_id", label="DéfiMaths (essai)")
    page.select_option("#classroom_id", label="CM1 Mme Dubois (CM1, 26 élèves)")
    page.click("#register-submit")
    page.wait_for_selector("text=Inscription enregistrée")
    page.click(".occe-hub a:has-text('Inscriptions aux actions')")
    assert "DéfiMaths (essai)" in page.locator(".occe-hub .tab-content").inner_text()
    page.screenshot(path=str(ARTIFACTS / "registration-hub.png"), full_page=True)
    # the same class again: refused in French, and what was typed stays
    page.goto(f"{base_url}/inscriptions/nouvelle/")
    page.fill("#q", "021234")
    page.click("#cooperative-search button")
    page.click("#cooperatives-found a:has-text('Choisir')")
    page.select_option("#action_id", label="DéfiMaths (essai)")
    page.select_option("#classroom_id", label="CM1 Mme Dubois (CM1, 26 élèves)")
    page.fill("#notes", "Deuxième essai")
    page.click("#register-submit")
    page.wait_for_selector("#register-refused")
    assert "est déjà inscrite à « DéfiMaths (essai) »" in page.locator("#register-refused").inner_text()
    assert page.input_value("#notes") == "Deuxième essai"
    page.screenshot(path=str(ARTIFACTS / "registration-refused.png"), full_page=True)


@pytest.fixture(scope="module")
def trunk(app, cooperative):
    from app.extensions import db
    from app.loans.models import LoanItem

    with app.app_context():
        db.session.add(LoanItem(kind="malle_thematique", code="MT-99", name="Malle des émotions", checklist="Roue des émotions\nLivret"))
        db.session.commit()


def test_book_a_trunk_from_the_calendar_then_check_it_out(page, base_url, trunk):
    log_in(page, base_url, "gestion")
    page.click("a.dropdown-toggle:has-text('Prêts')")
    page.click("a[href='/prets/calendrier/']")
    page.wait_for_selector("#loan-calendar")
    row = page.locator("tr:has(a:has-text('MT-99'))")
    row.locator("td.occe-cal-free a").nth(2).click()  # a free day, two days from the start of the week
    page.fill("#q", "Louise Michel")
    page.click("#cooperative-search button")
    page.click("#cooperatives-found a:has-text('Choisir')")
    assert page.locator("#item_id option:checked").inner_text() == "MT-99 — Malle des émotions"
    page.click("#booking-submit")
    page.wait_for_selector("text=Réservation enregistrée")
    page.wait_for_selector("#checkout")
    page.uncheck("input[value='Livret']")
    page.click("#checkout-submit")
    page.wait_for_selector("text=Manquant au départ : Livret.")
    page.goto(f"{base_url}/prets/calendrier/?type=malle_thematique")
    assert page.locator("tr:has(a:has-text('MT-99')) td.occe-cal-sortie").count() >= 7
    page.screenshot(path=str(ARTIFACTS / "loan-calendar.png"), full_page=True)
