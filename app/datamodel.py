"""FAB's SQLAlchemy interface, with database failures turned into French messages.

Stock FAB flashes the raw exception on a failed save: the SQL and the values
the person typed (an email...) show on the page, and the form is lost. Here a
failure raises :class:`SaveFailed`, whose text is a French sentence, and
marks the request so that the view shows the form again with what was typed
(see ``OcceModelView.add`` / ``edit``).
"""

from __future__ import annotations

from flask import g, has_request_context
from flask_appbuilder.exceptions import FABException
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError


class SaveFailed(FABException):
    """A save refused by the database, explained in French."""


def _explain(error: BaseException) -> str:
    # FAB raises SQLAlchemy's error itself on add, and wraps it in its own exception on edit.
    cause = error if isinstance(error, SQLAlchemyError) else error.__cause__
    if isinstance(cause, IntegrityError):
        return _("Enregistrement impossible : une fiche identique existe déjà, ou une fiche liée manque. Vos saisies sont conservées.")
    if isinstance(cause, OperationalError):
        return _("La base de données est momentanément occupée : vos saisies sont conservées, enregistrez à nouveau dans un instant.")
    return _("Enregistrement impossible à cause d'une erreur de la base de données. Vos saisies sont conservées.")


class OcceSQLAInterface(SQLAInterface):
    def _failed(self, error: BaseException) -> SaveFailed:
        if has_request_context():
            g.occe_save_failed = True
        return SaveFailed(_explain(error))

    def add(self, item, commit: bool = True) -> None:
        try:
            super().add(item, commit)
        except SQLAlchemyError as error:
            raise self._failed(error) from error

    def edit(self, item, commit: bool = True) -> None:
        try:
            super().edit(item, commit)
        except (SQLAlchemyError, FABException) as error:
            raise self._failed(error) from error
