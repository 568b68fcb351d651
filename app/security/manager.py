"""The console's FAB security manager."""

from __future__ import annotations

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

    def ensure_roles(self) -> list[str]:
        """Create the missing role rows; return the names created."""
        created = []
        for name in [*ROLE_DESCRIPTIONS, PUBLIC]:
            if self.find_role(name) is None:
                self.add_role(name)
                created.append(name)
        return created
