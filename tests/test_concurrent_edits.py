"""Two staff members editing the same record: the second save is refused, nothing is overwritten."""

from __future__ import annotations

import html
import re

from app.directory.models import School
from app.extensions import db
from app.testing import login


def open_edit_form(client, url: str) -> dict:
    page = client.get(url).get_data(as_text=True)
    fields = dict(re.findall(r'<input[^>]*name="([a-z_]+)"[^>]*value="([^"]*)"', page))
    fields.update({name: value for value, name in re.findall(r'<input[^>]*value="([^"]*)"[^>]*name="([a-z_]+)"', page)})
    return fields


def test_the_second_save_is_refused_and_keeps_what_was_typed(app):
    with app.app_context():
        school = School(uai="0021234F", name="École Jean Macé", kind="primaire", commune="Laon")
        db.session.add(school)
        db.session.commit()
        school_id = school.id
    url = f"/schoolview/edit/{school_id}"
    claire, paul = app.test_client(), app.test_client()
    login(claire, "gestion")
    login(paul, "admin")
    claire_form, paul_form = open_edit_form(claire, url), open_edit_form(paul, url)
    assert claire_form["version"] == paul_form["version"] == "1"
    assert 'type="hidden"' in claire.get(url).get_data(as_text=True)  # the version is not a visible field

    first = claire.post(url, data={**claire_form, "uai": "0021234F", "name": "École Jean Macé", "kind": "primaire", "commune": "Laon-Vaux"}, follow_redirects=True)
    assert first.status_code == 200
    second = paul.post(url, data={**paul_form, "uai": "0021234F", "name": "École J. Macé", "kind": "primaire", "commune": "Laon"})
    page = html.unescape(second.get_data(as_text=True))
    assert "Cette fiche a été modifiée par quelqu'un d'autre depuis que vous l'avez ouverte" in page
    assert 'value="École J. Macé"' in page  # Paul's typing is still on screen
    with app.app_context():
        school = db.session.get(School, school_id)
        assert (school.commune, school.name, school.version) == ("Laon-Vaux", "École Jean Macé", 2)

    # after opening the record again, Paul's save goes through
    fresh = open_edit_form(paul, url)
    assert fresh["version"] == "2"
    paul.post(url, data={**fresh, "uai": "0021234F", "name": "École J. Macé", "kind": "primaire", "commune": "Laon-Vaux"}, follow_redirects=True)
    with app.app_context():
        assert db.session.get(School, school_id).name == "École J. Macé"
        assert db.session.get(School, school_id).version == 3


def test_forms_show_no_version_field(app):
    client = app.test_client()
    login(client, "gestion")
    add_page = client.get("/sectorview/add").get_data(as_text=True)
    assert 'name="version"' not in add_page
