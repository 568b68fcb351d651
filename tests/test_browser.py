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
