"""Every role and its permissions, in one place (the Superset way).

Roles are FAB *builtin* roles (``FAB_ROLES``): their permissions are regexes
checked in memory, so a list page costs no permission query per row and a
plugin's grants apply as soon as it is loaded, without a permission sync.
FAB matches with ``re.match`` (a prefix match), so every regex is anchored
``^...$``; :func:`validate_grants` refuses any that is not.

Plugins add their grants through the ``occe_role_permissions`` hook, built
with :func:`grant` and :func:`menu_access`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

ADMIN = "Admin"
ANIMATION = "Animation"
GESTION = "Gestion"
CONSEIL = "Conseil"
PARTENAIRE = "Partenaire"
PUBLIC = "Public"

#: The roles a user can hold, with the French sentence shown to administrators.
ROLE_DESCRIPTIONS = {
    ADMIN: "Administration complète : utilisateurs, rôles, plugins, années scolaires.",
    ANIMATION: "Animatrice ou animateur départemental : actions, interventions, formations, prêts.",
    GESTION: "Gestion et comptabilité : annuaire, adhésions, CRFS, vérifications, aides, ventes.",
    CONSEIL: "Membres du conseil d'administration : lecture seule, chiffres, sans export de données personnelles.",
    PARTENAIRE: "Partenaire extérieur : ne voit que les inscriptions de ses propres actions.",
}
STAFF_ROLES = (ANIMATION, GESTION, CONSEIL, PARTENAIRE)

READ = ("can_list", "can_show")
WRITE = READ + ("can_add", "can_edit", "can_delete")

Grant = tuple[str, str]


def _alternatives(names: Iterable[str]) -> str:
    return "^(" + "|".join(re.escape(str(name)) for name in names) + ")$"


def grant(view: type | str, permissions: Iterable[str]) -> Grant:
    """An anchored permission on one view, e.g. ``grant(SchoolYearView, READ)``."""
    name = view if isinstance(view, str) else view.__name__
    return (_alternatives([name]), _alternatives(permissions))


def menu_access(*menu_names: str) -> Grant:
    """The right to see the named menu entries and categories."""
    return (_alternatives(menu_names), "^menu_access$")


# Every signed-in person may read and edit their own account, nothing more of
# the security views (``resetpasswords`` and ``can_list`` stay admin-only).
SELF_SERVICE: list[Grant] = [
    grant("UserDBModelView", ("can_userinfo", "resetmypassword", "userinfoedit")),
    grant("ResetMyPasswordView", ("can_this_form_get", "can_this_form_post")),
    grant("UserInfoEditView", ("can_this_form_get", "can_this_form_post")),
]


def core_roles() -> dict[str, list[Grant]]:
    """The roles before any plugin adds to them."""
    return {
        ADMIN: [("^.*$", "^.*$")],
        ANIMATION: list(SELF_SERVICE),
        GESTION: list(SELF_SERVICE),
        CONSEIL: list(SELF_SERVICE),
        PARTENAIRE: list(SELF_SERVICE),
    }


def validate_grants(contribution: object) -> dict[str, list[Grant]]:
    """Check a plugin's ``occe_role_permissions`` answer; raise ValueError in French."""
    if not isinstance(contribution, Mapping):
        raise ValueError("occe_role_permissions doit renvoyer un dictionnaire rôle → permissions.")
    checked: dict[str, list[Grant]] = {}
    for role, grants in contribution.items():
        if role not in STAFF_ROLES:
            raise ValueError(f"Rôle inconnu « {role} » (rôles possibles : {', '.join(STAFF_ROLES)}).")
        checked[role] = []
        for item in grants:
            view_regex, permission_regex = item
            for regex in (view_regex, permission_regex):
                if not (regex.startswith("^") and regex.endswith("$")):
                    raise ValueError(f"Expression non ancrée « {regex} » : utilisez grant() ou menu_access().")
                if regex in ("^.*$", "^.+$"):
                    raise ValueError("Un plugin ne peut pas accorder toutes les vues ou toutes les permissions.")
                re.compile(regex)
            checked[role].append((view_regex, permission_regex))
    return checked


def merge_grants(roles: dict[str, list[Grant]], contribution: Mapping[str, list[Grant]]) -> None:
    """Add validated grants to ``roles`` in place."""
    for role, grants in contribution.items():
        roles.setdefault(role, []).extend(grants)
