"""French by default, English available, and our catalogues kept in step with the code."""

from __future__ import annotations

import gettext
import html
import io
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from app import ROOT
from app.testing import login

TRANSLATIONS = ROOT / "app" / "translations"


def catalogue(locale: str):
    with open(TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po", "rb") as handle:
        return read_po(handle, locale=locale)


def extracted_messages() -> set[str]:
    method_map = [("app/**.py", "python"), ("app/templates/**.html", "jinja2")]
    found = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(str(ROOT), method_map=method_map):
        found.add(message if isinstance(message, str) else message[0])
    return found


@pytest.mark.parametrize("locale", ["fr", "en"])
def test_compiled_catalogues_match_their_po_files(locale):
    buffer = io.BytesIO()
    write_mo(buffer, catalogue(locale))
    compiled = gettext.GNUTranslations(io.BytesIO(buffer.getvalue()))._catalog
    shipped = gettext.GNUTranslations(open(TRANSLATIONS / locale / "LC_MESSAGES" / "messages.mo", "rb"))._catalog
    assert compiled == shipped, "run `make translations` after editing a .po file"


def fab_message_ids() -> set[str]:
    import flask_appbuilder

    path = Path(flask_appbuilder.__file__).parent / "translations" / "fr" / "LC_MESSAGES" / "messages.mo"
    with open(path, "rb") as handle:
        return set(gettext.GNUTranslations(handle)._catalog)


def test_every_french_message_of_the_console_has_an_english_translation():
    english = {message.id: message.string for message in catalogue("en") if message.id}
    ours = extracted_messages() - fab_message_ids()  # FAB's own ids are English already
    missing = sorted(message for message in ours if not english.get(message))
    assert missing == [], "add these to app/translations/en/LC_MESSAGES/messages.po"


def test_the_console_speaks_french_by_default(client):
    login(client, "admin")
    text = html.unescape(client.get("/").get_data(as_text=True))
    assert "Tableau de bord de l'année scolaire" in text
    assert "Sécurité" in text and "Administration" in text and "Déconnexion" in text


def test_fab_french_is_corrected(client):
    login(client, "admin")
    text = html.unescape(client.get("/users/list/").get_data(as_text=True))
    assert "Nombre de fiches" in text and "Nombre de record" not in text


def test_english_is_available(client):
    login(client, "admin")
    client.get("/lang/en")
    text = html.unescape(client.get("/").get_data(as_text=True))
    assert "Dashboard of the school year" in text and "School years" in text
    client.get("/lang/fr")
    assert "Tableau de bord" in client.get("/").get_data(as_text=True)


def test_the_login_page_is_french(client):
    text = html.unescape(client.get("/login/").get_data(as_text=True))
    assert "Identifiant" in text and "Mot de passe" in text
