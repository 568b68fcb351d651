"""The console's FAB security manager."""

from __future__ import annotations

import re

from flask_appbuilder.security.sqla.manager import SecurityManager

from app.security.roles import PUBLIC, ROLE_DESCRIPTIONS


class OcceSecurityManager(SecurityManager):
    """FAB's SQLAlchemy security manager, with the roles kept in code.

    FAB's ``create_db`` would store each builtin role's *regexes* as if they
    were permission names; :meth:`ensure_roles` only creates the role rows
    that users are attached to, the permissions staying in ``FAB_ROLES``.
    """

    # FAB's user statistics chart loads Google Charts from the internet: the
    # console must work offline, so the page is not registered.
    userstatschartview = None

    def _has_access_builtin_roles(self, role, permission_name: str, view_name: str) -> bool:
        """FAB's check, answered once per (role, permission, view) with compiled regexes.

        FAB calls ``re.match`` on the grants' strings for every menu entry of
        every page. With more distinct grant regexes than Python's ``re`` cache
        holds (512), each call compiled them again: pages took seconds. The
        grants are fixed once the app is built (``FAB_ROLES``), so the answers
        are too.
        """
        key = (role.name, permission_name, view_name)
        answers = self.__dict__.setdefault("_occe_builtin_answers", {})
        if key not in answers:
            compiled = self.__dict__.setdefault("_occe_builtin_compiled", {})
            if role.name not in compiled:
                compiled[role.name] = [(re.compile(view), re.compile(permission)) for view, permission in self.builtin_roles.get(role.name, [])]
            answers[key] = any(view.match(view_name) and permission.match(permission_name) for view, permission in compiled[role.name])
        return answers[key]

    def ensure_roles(self) -> list[str]:
        """Create the missing role rows; return the names created."""
        created = []
        for name in [*ROLE_DESCRIPTIONS, PUBLIC]:
            if self.find_role(name) is None:
                self.add_role(name)
                created.append(name)
        return created
