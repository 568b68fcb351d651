"""The teachers' page in a real browser, phone-sized: register a class, see it, cancel it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.browser import CHROMIUM_ARGS, chromium_path, live_server

pytestmark = pytest.mark.browser

TODAY = date.today()


@pytest.fixture(scope="module")
def teacher_path(app):
    from app.actions.catalogue import ensure_action
    from app.directory.models import Classroom, Cooperative, School, Sector
    from app.extensions import db
    from app.teachers.service import issue_link
    from app.years.service import current_year

    with app.test_request_context():
        year = current_year()
        sector = Sector(name="Château-Thierry")
        school = School(uai="0020999P", name="École Jean de La Fontaine", kind="primaire", commune="Château-Thierry", sector=sector)
        coop = Cooperative(affiliation_number="028001", school=school, sector=sector, status="active")
        classroom = Classroom(school_year=year, school=school, name="CM1-CM2 La Fontaine", levels="CM1-CM2", cycles="3", pupils=24)
        db.session.add_all([sector, school, coop, classroom])
        ensure_action(year, "poesie_nav", "Printemps des poètes", opens_on=TODAY - timedelta(days=5), closes_on=TODAY + timedelta(days=30))
        db.session.commit()
        return issue_link(coop, year)


@pytest.fixture(scope="module")
def base_url(app):
    with live_server(app) as url:
        yield url


@pytest.fixture
def phone():
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 390, "height": 844}, locale="fr-FR", is_mobile=True, has_touch=True)
        page.set_default_timeout(15000)
        try:
            yield page
        finally:
            browser.close()


def test_a_teacher_registers_a_class_on_a_phone_then_cancels_it(app, phone, base_url, teacher_path, tmp_path):
    from app.actions.models import CANCELLED, Registration
    from app.extensions import db

    page = phone
    page.goto(base_url + teacher_path)
    assert page.locator("#school-name").inner_text().startswith("École Jean de La Fontaine")
    # phone first: nothing wider than the screen
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.select_option("#action_id", label="Printemps des poètes")
    page.select_option("#classroom_id", label="CM1-CM2 La Fontaine (CM1-CM2, 24 élèves)")
    page.fill("#pupils", "24")
    page.fill("#teacher_name", "Sophie Marchand")
    page.fill("#teacher_email", "sophie.marchand@ac-amiens.fr")
    page.click("#register-submit")
    page.wait_for_selector("text=Votre demande est bien enregistrée")
    requests = page.locator("#demandes")
    assert "Printemps des poètes" in requests.inner_text() and "Demandée" in requests.inner_text()
    page.screenshot(path=str(tmp_path / "enseignants-demande.png"), full_page=True)
    requests.locator("button:has-text('Annuler')").first.click()
    page.wait_for_selector("text=Annuler cette demande ?")
    page.click("#confirm-cancel")
    page.wait_for_selector("text=La demande est annulée.")
    assert "Annulée" in page.locator("#demandes").inner_text()
    page.screenshot(path=str(tmp_path / "enseignants-annulee.png"), full_page=True)
    assert (tmp_path / "enseignants-annulee.png").stat().st_size > 0
    with app.app_context():
        statuses = [r.status for r in db.session.query(Registration).filter(Registration.notes.like("%sophie.marchand%"))]
        assert statuses == [CANCELLED]
