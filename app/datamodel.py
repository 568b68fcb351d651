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
from flask_appbuilder.models.filters import Filters
from flask_appbuilder.models.sqla.filters import SQLAFilterConverter
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import gettext as _
from sqlalchemy import Column, Integer, Time, inspect
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError


class Versioned:
    """Optimistic locking for records two staff members may edit at once.

    The edit form carries the version the person opened; a save whose version
    is no longer the record's is refused (someone saved in between), instead
    of silently overwriting the other person's changes.
    """

    version = Column(Integer, nullable=False, default=1, server_default="1")


class SafeFilters(Filters):
    """FAB's filters, ignoring a URL filter whose index no filter has.

    ``?_flt_7_cooperative=x`` (a hand-edited or stale link) makes stock FAB
    raise IndexError: a server error that any signed-in visitor can trigger.
    """

    def add_filter_index(self, column_name: str, filter_instance_index: int, value) -> None:
        if 0 <= filter_instance_index < len(self._all_filters.get(column_name, ())):
            super().add_filter_index(column_name, filter_instance_index, value)


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


def _stale_message() -> str:
    return _(
        "Cette fiche a été modifiée par quelqu'un d'autre depuis que vous l'avez ouverte : vos changements "
        "n'ont pas été enregistrés (ils restent affichés ci-dessous). Ouvrez la fiche à nouveau pour voir "
        "la version à jour, puis reportez-y vos changements."
    )


def _check_version(item) -> None:
    """Refuse a save based on a stale page; bump the version otherwise."""
    history = inspect(item).attrs.version.history
    loaded = (history.deleted or history.unchanged or [None])[0]
    posted = (history.added or [loaded])[0]
    if loaded is not None and str(posted) != str(loaded):
        raise StaleRecord(_stale_message())
    item.version = (loaded or 0) + 1


class StaleRecord(SaveFailed):
    """Someone else saved the record after this person opened it."""


class QuietFilterConverter(SQLAFilterConverter):
    """FAB has no filter for a ``Time`` column and warned « Filter type not supported » for each at every start: none, silently."""

    def convert(self, col_name: str):
        column = self.datamodel.list_columns.get(col_name)
        if isinstance(getattr(column, "type", None), Time):
            return None
        return super().convert(col_name)


class OcceSQLAInterface(SQLAInterface):
    filter_converter_class = QuietFilterConverter

    def get_filters(self, search_columns=None, search_filters=None) -> SafeFilters:
        return SafeFilters(self.filter_converter_class, self, search_columns=search_columns or [], search_filters=search_filters)

    def _failed(self, error: BaseException) -> SaveFailed:
        if has_request_context():
            g.occe_save_failed = True
            g.occe_save_message = str(error) if isinstance(error, SaveFailed) else _explain(error)
        return error if isinstance(error, SaveFailed) else SaveFailed(_explain(error))

    def add(self, item, commit: bool = True) -> None:
        try:
            super().add(item, commit)
        except SQLAlchemyError as error:
            raise self._failed(error) from error

    def edit(self, item, commit: bool = True) -> None:
        try:
            if isinstance(item, Versioned):
                _check_version(item)
            super().edit(item, commit)
        except (SQLAlchemyError, FABException) as error:
            self.session.rollback()
            raise self._failed(error) from error
