"""Hypothesis fuzzing of the forms: whatever staff type, never a 500 and never unescaped markup.

Each form gets random text (and known nasty values: markup, formulas, SQL,
NUL bytes, huge strings, impossible dates and numbers) in every field, posted
with a valid CSRF token by an administrator. The page must answer below 500,
and a script tag typed in a field must never come back as markup.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.directory.models import Cooperative, School
from app.extensions import db
from app.testing import csrf_token, login

SCRIPT = "<script>alert('occe')</script>"
NASTY = [
    SCRIPT,
    '"><img src=x onerror=alert(1)>',
    "=HYPERLINK(\"http://x\")",
    "' OR 1=1 --",
    "\x00",
    "é" * 5000,
    "2026-13-45",
    "31/02/2026",
    "-1",
    "99999999999999999999999",
    "",
    " ",
]
values = st.one_of(st.sampled_from(NASTY), st.text(max_size=200))

FORMS = {
    "/schoolview/add": ["uai", "name", "kind", "address", "postal_code", "commune"],
    "/personview/add": ["civility", "first_name", "last_name", "function", "email", "phone"],
    "/actionview/add": ["name", "code", "description", "audience", "opens_on", "closes_on", "capacity", "minimum", "quantity_label"],
    "/loanitemview/add": ["kind", "code", "name", "description", "checklist", "condition", "location"],
    "/interventionthemeview/add": ["name", "description", "booklet"],
    "/supportcontactview/add": ["contact_date", "cooperative", "channel", "subject", "answer", "follow_up_on"],
}
SETTINGS = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@pytest.fixture(scope="module")
def admin(app):
    with app.app_context():
        school = School(uai="0020001R", name="École du fuzz", commune="Laon")
        db.session.add_all([school, Cooperative(affiliation_number="029999", school=school, status="active")])
        db.session.commit()
    client = app.test_client()
    login(client, "admin")
    return client


def _check(response) -> None:
    assert response.status_code < 500, response.get_data(as_text=True)[:500]
    assert SCRIPT not in response.get_data(as_text=True)


@pytest.mark.parametrize("url", sorted(FORMS))
def test_add_forms_survive_anything_typed(admin, url):
    token = csrf_token(admin, url)

    @SETTINGS
    @given(st.fixed_dictionaries({field: values for field in FORMS[url]}))
    def post(data):
        _check(admin.post(url, data={**data, "csrf_token": token}))

    post()


def test_the_registration_and_booking_forms_survive_anything_typed(app, admin):
    with app.app_context():
        coop_id = db.session.query(Cooperative.id).filter_by(affiliation_number="029999").scalar()
    forms = {
        f"/inscriptions/nouvelle/{coop_id}": ["action_id", "classroom_id", "pupils", "quantity", "motivation", "notes"],
        f"/prets/reserver/{coop_id}": ["item_id", "starts_on", "ends_on", "classroom_id", "notes"],
    }
    for url, fields in forms.items():
        token = csrf_token(admin, url)

        @SETTINGS
        @given(st.fixed_dictionaries({field: values for field in fields}))
        def post(data):
            _check(admin.post(url, data={**data, "csrf_token": token}))

        post()


@SETTINGS
@given(text=values)
def test_list_searches_survive_anything_typed(admin, text):
    for url in ("/cooperativeview/list/", "/registrationview/list/", "/loanview/list/", "/inscriptions/nouvelle/", "/prets/reserver/"):
        _check(admin.get(url, query_string={"_flt_0_name": text, "_flt_3_cooperative": text, "q": text, "_oc_CooperativeView": text}))
