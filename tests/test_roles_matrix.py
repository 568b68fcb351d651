"""The authorisation matrix: every role x every view x every permission, against a file kept in the repo.

When a change of permissions is intended, regenerate the file with
``OCCE_UPDATE_EXPECTED=1 make test`` and read the diff before committing it.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from app.testing import build_test_app
from tests.conftest import FIXTURE_PLUGINS

EXPECTED = Path(__file__).parent / "expected" / "role_matrix.txt"
ROLES = ["Animation", "Gestion", "Conseil", "Partenaire"]


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """The real plugins of ``plugins/`` and the contract's test plugins."""
    return build_test_app(tmp_path_factory.mktemp("roles_matrix"), plugin_packages=["plugins", FIXTURE_PLUGINS])


def permission_pairs(app) -> list[tuple[str, str]]:
    """Every (view, permission) the console registers, menus included."""
    pairs = set()
    for view in app.appbuilder.baseviews:
        for permission in view.base_permissions or []:
            pairs.add((view.class_permission_name, permission))
    for name in app.appbuilder.menu.get_flat_name_list():
        if name != "-":
            pairs.add((name, "menu_access"))
    return sorted(pairs)


def granted(app, role: str, view: str, permission: str) -> bool:
    return any(re.match(v, view) and re.match(p, permission) for v, p in app.config["FAB_ROLES"].get(role, []))


def matrix(app) -> str:
    lines = []
    for role in ROLES:
        for view, permission in permission_pairs(app):
            if granted(app, role, view, permission):
                lines.append(f"{role} {view} {permission}")
    return "\n".join(lines) + "\n"


def test_the_roles_match_the_expected_matrix(app):
    found = matrix(app)
    if os.environ.get("OCCE_UPDATE_EXPECTED"):
        EXPECTED.write_text(found)
    assert found == EXPECTED.read_text(), "permissions changed: regenerate tests/expected/role_matrix.txt and review the diff"


def test_board_members_reach_no_personal_data(app):
    personal = ["CooperativeView", "PersonView", "ClassroomView", "SupportContactView", "MyFollowUpsView", "UserDBModelView"]
    for view in personal:
        for permission in ("can_list", "can_show", "can_export"):
            assert not granted(app, "Conseil", view, permission), (view, permission)


def test_partners_see_nothing_but_their_own_space(app):
    """The Partenaire role reaches its own row-scoped pages and its account; nothing else.

    Each view listed here scopes its rows to the partner's organisation
    (tests/test_partners.py, test_partner_events.py and the THEA, Bals and
    poetry plugins' tests prove it view by view): adding one is a decision.
    """
    own_space = (
        "PartnerRegistrationView", "PartnerSessionView", "PartnerPlanningView", "MyPartnerEventView",  # app/partners
        "TheaPartnerProjectView", "BalsPartnerDanceView",  # their classes' plays and dances
        "PoesieDossierView", "PoesieResourceView", "PoesieChapterView", "PoesieProductionView", "PoesieHubView",  # the publisher
    )  # fmt: skip
    for view, permission in permission_pairs(app):
        if view.endswith("View") and view not in ("UserDBModelView", "ResetMyPasswordView", "UserInfoEditView", "YearChoiceView", *own_space):
            assert not granted(app, "Partenaire", view, permission), (view, permission)
    assert granted(app, "Partenaire", "PartnerRegistrationView", "can_list")
    assert not granted(app, "Partenaire", "PartnerRegistrationView", "can_edit")
    assert not granted(app, "Partenaire", "PartnerSessionView", "can_delete")


def test_the_matrix_is_enforced_by_the_pages(app):
    from app.testing import login

    expectations = {
        "gestion": {"/cooperativeview/list/": 200, "/personview/list/": 200, "/annuaire/import/": 200, "/cooperativeview/export/csv": 200},
        "animation": {"/cooperativeview/list/": 200, "/annuaire/import/": 403, "/cooperativeview/add": 403},
        "conseil": {"/schoolview/list/": 200, "/personview/list/": 403, "/cooperativeview/list/": 403, "/personview/export/csv": 403},
        "partenaire": {"/schoolview/list/": 403, "/membershipview/list/": 403},
    }
    for username, pages in expectations.items():
        client = app.test_client()
        login(client, username)
        for url, status in pages.items():
            assert client.get(url).status_code == status, (username, url)
