"""Base classes for the console's views: FAB's, with its rough edges filed off."""

from __future__ import annotations

from flask import abort
from flask_appbuilder import ModelView


class OcceModelView(ModelView):
    """A FAB ModelView that answers 404, not 500, to an unknown ``@action`` name.

    Stock FAB looks the action up before checking any permission, so an
    anonymous visitor could trigger a 500 with ``/<view>/action/<unknown>/1``.
    """

    page_size = 25

    def get_action_permission_name(self, name: str) -> str:
        if name not in self.actions:
            abort(404)
        return super().get_action_permission_name(name)


def yes_no(value) -> str:
    """A boolean as the French staff read it."""
    from flask_babel import gettext

    return gettext("Oui") if value else gettext("Non")


def french_date(value) -> str:
    """A date as dd/mm/yyyy (empty when missing)."""
    return value.strftime("%d/%m/%Y") if value else ""
