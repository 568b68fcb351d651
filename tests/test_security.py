"""Hardening of the foundation: roles, CSRF, login limits, passwords, error pages."""

from __future__ import annotations

import re

import pytest

from app.security.passwords import password_problem
from app.security.roles import STAFF_ROLES, grant, menu_access, validate_grants
from app.testing import PASSWORD, build_test_app, csrf_token, login

SECURITY_VIEWS = ["/users/list/", "/roles/list/", "/permissions/list/", "/viewmenus/list/", "/permissionviews/list/", "/groups/list/"]


def test_every_role_regex_is_anchored(app):
    for role, grants in app.config["FAB_ROLES"].items():
        for view_regex, permission_regex in grants:
            assert view_regex.startswith("^") and view_regex.endswith("$"), (role, view_regex)
            assert permission_regex.startswith("^") and permission_regex.endswith("$"), (role, permission_regex)


@pytest.mark.parametrize("username", ["animation", "gestion", "conseil", "partenaire"])
@pytest.mark.parametrize("url", SECURITY_VIEWS)
def test_no_staff_role_reaches_the_security_views(app, username, url):
    client = app.test_client()
    login(client, username)
    response = client.get(url)
    assert response.status_code in (302, 403, 404)
    assert "admin@example.org" not in response.get_data(as_text=True)


@pytest.mark.parametrize("username", ["animation", "conseil"])
def test_staff_can_read_their_own_profile_only(app, username):
    client = app.test_client()
    login(client, username)
    page = client.get("/users/userinfo/")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert f"{username}@example.org" in text and "admin@example.org" not in text


def test_admin_reaches_the_security_views(app):
    client = app.test_client()
    login(client, "admin")
    assert client.get("/users/list/").status_code == 200


def test_the_menu_api_lists_each_entry_once(app):
    """Stock FAB's flat list of menu names doubled at every category: /api/v1/menu/ took minutes (a denial of service)."""
    def entries(items):
        return sum(1 + entries(item.childs or []) for item in items)

    names = app.appbuilder.menu.get_flat_name_list()
    assert len(names) == entries(app.appbuilder.menu.get_list()) > 20
    client = app.test_client()
    login(client, "admin")
    response = client.get("/api/v1/menu/")
    assert response.status_code == 200 and len(response.get_json()["result"]) > 5


def test_plugin_grants_must_be_anchored_and_on_known_roles():
    with pytest.raises(ValueError, match="non ancrée"):
        validate_grants({"Conseil": [("UserDBModelView", "^can_list$")]})
    with pytest.raises(ValueError, match="Rôle inconnu"):
        validate_grants({"Admin": [grant("X", ["can_list"])]})
    with pytest.raises(ValueError, match="toutes les vues"):
        validate_grants({"Conseil": [("^.*$", "^can_list$")]})
    assert validate_grants({"Conseil": [grant("SchoolYearView", ["can_list"]), menu_access("A", "B")]}) == {
        "Conseil": [("^(SchoolYearView)$", "^(can_list)$"), ("^(A|B)$", "^menu_access$")]
    }
    # an anchored grant must not match a longer view name (FAB uses re.match)
    view_regex, _ = grant("SchoolYearView", ["can_list"])
    assert re.match(view_regex, "SchoolYearViewExtra") is None
    assert set(STAFF_ROLES) == {"Animation", "Gestion", "Conseil", "Partenaire"}


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get("/")
    assert response.status_code == 302 and "/login/" in response.headers["Location"]
    assert client.get("/admin/plugins/").status_code == 302


def test_no_self_registration(client):
    assert client.get("/register/form").status_code == 404


def test_forms_refuse_posts_without_a_csrf_token(client):
    response = client.post("/login/", data={"username": "admin", "password": PASSWORD})
    assert response.status_code == 400
    assert "Requête invalide" in response.get_data(as_text=True)


def test_unknown_actions_answer_404_not_500(client):
    login(client, "admin")
    token = csrf_token(client, "/schoolyearview/list/")
    assert client.post("/schoolyearview/action/unknown/1", data={"csrf_token": token}).status_code == 404
    assert client.post("/schoolyearview/action_post", data={"action": "unknown", "rowid": "1", "csrf_token": token}).status_code == 404


def test_unknown_pages_get_a_french_page(client):
    response = client.get("/nulle-part")
    assert response.status_code == 404
    assert "Page introuvable" in response.get_data(as_text=True)


def test_session_cookie_flags(client):
    response = login(client, "admin")
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


@pytest.mark.parametrize(
    "password, ok",
    [("court", False), ("aaaaaaaaaaaaaaa", False), ("motdepasse123", False), ("une phrase de passe", True)],
)
def test_password_policy(password, ok):
    assert (password_problem(password) is None) is ok


def test_weak_passwords_are_refused_in_the_user_form(app):
    client = app.test_client()
    login(client, "admin")
    with app.app_context():
        user_id = app.appbuilder.sm.find_user(username="conseil").id
    token = csrf_token(client, "/resetpassword/form")
    response = client.post(f"/resetpassword/form?pk={user_id}", data={"password": "court", "conf_password": "court", "csrf_token": token})
    assert "au moins 12 caractères" in response.get_data(as_text=True)


def test_login_is_rate_limited(tmp_path):
    app = build_test_app(tmp_path, name="ratelimit", plugin_packages=[], RATELIMIT_ENABLED=True, AUTH_RATE_LIMIT="5 per minute")
    client = app.test_client()
    responses = []
    for _ in range(6):
        token = csrf_token(client, "/login/")
        responses.append(client.post("/login/", data={"username": "admin", "password": "faux mot de passe", "csrf_token": token}))
    assert [response.status_code for response in responses] == [302] * 5 + [429]  # refused logins go back to the form
    assert "Trop de tentatives" in responses[5].get_data(as_text=True)


def test_no_page_loads_assets_from_the_internet(app):
    client = app.test_client()
    login(client, "admin")
    assert client.get("/userstatschartview/chart/").status_code == 404  # FAB's chart needs Google
    for url in ["/", "/admin/plugins/", "/schoolyearview/list/", "/users/list/", "/login/"]:
        page = client.get(url).get_data(as_text=True)
        assert not re.search(r"""(src|href)=["']https?://""", page), url


def test_downloads_of_unknown_files_answer_404_not_500(app, tmp_path):
    client = app.test_client()
    login(client, "admin")
    assert client.get("/sectorview/download/absent.txt").status_code == 404
    assert client.get("/users/download/inconnu_sep_x.pdf").status_code == 404


# --- FAB traps found by fuzzing the forms (tests/test_fuzz_forms.py) --------------------------


def test_a_typed_value_quoted_in_a_form_error_stays_text(client):
    """FAB prints field errors through gettext, which marks them safe and %-formats them."""
    login(client, "admin")
    typed = "<b>0021234A</b>%"
    response = client.post("/schoolview/add", data={"uai": typed, "name": "École", "kind": "primaire", "csrf_token": csrf_token(client, "/schoolview/add")})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<b>0021234A</b>" not in page and "&lt;b&gt;0021234A&lt;/b&gt;%" in page


def test_a_url_filter_index_that_does_not_exist_is_ignored(client):
    login(client, "admin")
    response = client.get("/cooperativeview/list/?_flt_9_school=1")
    assert response.status_code == 200


def test_a_nul_character_is_refused_before_reaching_the_database(client):
    login(client, "admin")
    assert client.get("/cooperativeview/list/?_flt_0_affiliation_number=a%00b").status_code == 400
    token = csrf_token(client, "/sectorview/add")
    assert client.post("/sectorview/add", data={"name": "Laon\x00", "csrf_token": token}).status_code == 400


def test_a_session_idle_longer_than_its_lifetime_is_signed_out(app, monkeypatch):
    """After PERMANENT_SESSION_LIFETIME (8 h) without a request, the session cookie no longer opens the console."""
    from itsdangerous import TimestampSigner

    client = app.test_client()
    login(client, "gestion")
    assert client.get("/cooperativeview/list/").status_code == 200
    now = TimestampSigner.get_timestamp(TimestampSigner("k"))
    lifetime = int(app.permanent_session_lifetime.total_seconds())
    assert lifetime == 8 * 3600
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: now + lifetime - 60)
    assert client.get("/cooperativeview/list/").status_code == 200  # still within the day's work: the cookie is renewed
    later = now + lifetime - 60
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: later + lifetime - 60)
    assert client.get("/cooperativeview/list/").status_code == 200  # active all along
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: later + 2 * lifetime + 60)
    response = client.get("/cooperativeview/list/")
    assert response.status_code in (302, 403) and "/login/" in response.headers.get("Location", "/login/")
