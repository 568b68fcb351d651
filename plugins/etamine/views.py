"""The French pages of Étamine: the copy and binding requests of the viewed year."""

from __future__ import annotations

from datetime import date

from flask import flash, redirect, request
from flask_appbuilder.actions import action
from flask_appbuilder.fields import QuerySelectField
from flask_appbuilder.fieldwidgets import Select2Widget
from flask_appbuilder.models.sqla.filters import FilterEqualFunction
from flask_babel import lazy_gettext as _
from wtforms import DateField, IntegerField, StringField
from wtforms.validators import DataRequired, InputRequired, Optional

from app.actions.views import viewed_year_id
from app.datamodel import OcceSQLAInterface
from app.extensions import db
from app.views import ExportableModelView, choice_label, french_date, input_error

from . import services
from .models import BOUND, DELIVERED, PRINTED, STATUSES, EtamineCopyRequest

STEP_ACTIONS = {
    "mark_printed": (PRINTED, "Marquer imprimé", "fa-print", "imprimée(s)"),
    "mark_bound": (BOUND, "Marquer relié", "fa-book", "reliée(s)"),
    "mark_delivered": (DELIVERED, "Marquer livré", "fa-truck", "livrée(s)"),
}


def _registrations():
    return services.live_registrations(viewed_year_id())


def _edited_registration():
    """On the edit page, the registration of the request being edited."""
    pk = (request.view_args or {}).get("pk")
    found = db.session.get(EtamineCopyRequest, int(pk)) if pk and str(pk).isdigit() else None
    return found.registration if found is not None else None


def copies_within_cap(form, field) -> None:
    """One copy per pupil of the class at most: the French message names the cap and the class."""
    if field.data is None:
        return
    registration = form.registration.data if "registration" in form else _edited_registration()
    if registration is None:
        return
    problem = services.copies_problem(registration, field.data)
    if problem:
        raise input_error(problem)


class CopyRequestView(ExportableModelView):
    """Copies of the classes' books to print and bind: at most one per pupil, then imprimé → relié → livré."""

    datamodel = OcceSQLAInterface(EtamineCopyRequest)
    list_title = _("Étamine : copies et reliures")
    show_title = _("Demande de copies")
    add_title = _("Demander des copies d'un livre de classe")
    edit_title = _("Modifier une demande de copies")
    base_filters = [["school_year_id", FilterEqualFunction, viewed_year_id]]
    base_permissions = ["can_list", "can_show", "can_add", "can_edit", "can_delete", "can_export", *STEP_ACTIONS]
    label_columns = {
        "registration": _("Classe inscrite"),
        "cooperative": _("Coopérative"),
        "cooperative.affiliation_number": _("Coopérative"),
        "classroom": _("Classe"),
        "classroom.name": _("Classe"),
        "book_title": _("Titre du livre"),
        "copies": _("Exemplaires"),
        "status": _("Statut"),
        "requested_on": _("Demandé le"),
        "printed_on": _("Imprimé le"),
        "bound_on": _("Relié le"),
        "delivered_on": _("Livré le"),
        "notes": _("Notes"),
    }
    list_columns = ["cooperative.affiliation_number", "classroom.name", "book_title", "copies", "status", "requested_on", "delivered_on"]
    export_columns = [
        "cooperative.affiliation_number", "classroom.name", "book_title", "copies", "status",
        "requested_on", "printed_on", "bound_on", "delivered_on", "notes",
    ]  # fmt: skip
    show_columns = ["cooperative", "classroom", "book_title", "copies", "status", "requested_on", "printed_on", "bound_on", "delivered_on", "notes"]
    add_columns = ["registration", "book_title", "copies", "requested_on", "notes"]
    edit_columns = ["book_title", "copies", "notes"]
    search_columns = ["cooperative", "classroom", "book_title", "status", "requested_on"]
    text_search_relations = {"cooperative": "affiliation_number", "classroom": "name"}
    choice_search_columns = {"status": STATUSES}
    order_columns = ["cooperative.affiliation_number", "classroom.name", "book_title", "copies", "status", "requested_on", "delivered_on"]
    base_order = ("requested_on", "desc")
    formatters_columns = {
        "status": choice_label(STATUSES),
        "requested_on": french_date,
        "printed_on": french_date,
        "bound_on": french_date,
        "delivered_on": french_date,
    }
    validators_columns = {"book_title": [DataRequired(message=_("Indiquez le titre du livre."))]}
    add_form_extra_fields = {
        "registration": QuerySelectField(
            _("Classe inscrite"), query_func=_registrations, get_pk_func=lambda item: item.id, get_label=services.registration_label,
            allow_blank=True, blank_text="", widget=Select2Widget(), validators=[DataRequired(message=_("Choisissez la classe inscrite à Étamine."))],
        ),
        "book_title": StringField(_("Titre du livre"), validators=[DataRequired(message=_("Indiquez le titre du livre."))]),
        "copies": IntegerField(
            _("Exemplaires"), description=_("Un exemplaire par élève au plus."),
            validators=[InputRequired(message=_("Indiquez le nombre d'exemplaires (1 au moins).")), copies_within_cap],
        ),
        "requested_on": DateField(_("Demandé le"), validators=[Optional()]),
    }
    edit_form_extra_fields = {
        "book_title": StringField(_("Titre du livre"), validators=[DataRequired(message=_("Indiquez le titre du livre."))]),
        "copies": IntegerField(_("Exemplaires"), validators=[InputRequired(message=_("Indiquez le nombre d'exemplaires (1 au moins).")), copies_within_cap]),
    }

    def pre_add(self, item: EtamineCopyRequest) -> None:
        registration = item.registration
        problem = services.registration_problem(registration) or services.copies_problem(registration, item.copies)
        if problem:
            raise ValueError(problem)
        services.attach(item, registration)
        item.requested_on = item.requested_on or date.today()
        item.status = "demande"

    def pre_update(self, item: EtamineCopyRequest) -> None:
        problem = services.copies_problem(item.registration, item.copies)
        if problem:
            raise ValueError(problem)

    def _advance(self, items, action_name: str):
        target, _label, _icon, done = STEP_ACTIONS[action_name]
        items = items if isinstance(items, list) else [items]
        year_id = viewed_year_id()
        moved, problems = 0, []
        for item in items:
            if item.school_year_id != year_id:  # base filters do not guard @action endpoints
                problems.append(f"{item} : demande d'une autre année scolaire, non modifiée.")
                continue
            try:
                services.advance(item, target)
                db.session.commit()
                moved += 1
            except ValueError as exc:
                db.session.rollback()
                problems.append(str(exc))
        if moved:
            flash(f"{moved} demande(s) {done}.", "success")
        for problem in problems:
            flash(problem, "warning")
        self.update_redirect()
        return redirect(self.get_redirect())

    @action("mark_printed", "Marquer imprimé", None, "fa-print")
    def mark_printed(self, items):
        return self._advance(items, "mark_printed")

    @action("mark_bound", "Marquer relié", None, "fa-book")
    def mark_bound(self, items):
        return self._advance(items, "mark_bound")

    @action("mark_delivered", "Marquer livré", None, "fa-truck")
    def mark_delivered(self, items):
        return self._advance(items, "mark_delivered")
