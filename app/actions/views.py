"""The actions' French pages: actions of the viewed year, registrations and their history."""

from __future__ import annotations

from flask import flash, redirect
from flask_appbuilder.actions import action
from flask_appbuilder.fields import QuerySelectField
from flask_appbuilder.fieldwidgets import Select2Widget
from flask_appbuilder.models.sqla.filters import FilterEqualFunction, FilterRelationOneToManyEqual, FilterRelationOneToManyNotEqual, SQLAFilterConverter
from flask_babel import gettext
from flask_babel import lazy_gettext as _
from sqlalchemy import false, or_, select
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import DataRequired, NumberRange, Optional, ValidationError

from app.actions import service
from app.actions.models import AUDIENCES, CANCELLED, DONE, REFUSED, STATUSES, WAITING, Action, Registration, RegistrationEvent
from app.datamodel import OcceSQLAInterface
from app.extensions import db
from app.views import ExportableModelView, OcceModelView, choice_label, french_date, yes_no
from app.years.context import viewed_year


def viewed_year_id() -> int | None:
    year = viewed_year()
    return year.id if year else None


def french_datetime(value) -> str:
    return value.strftime("%d/%m/%Y %H:%M") if value else ""


def plugin_label(code: str | None) -> str:
    """The French label of the plugin owning an action (« Console » for an action defined by staff)."""
    if not code:
        return gettext("Console")
    from app.plugins.switches import current_manager

    plugin = current_manager().get(code)
    return plugin.label if plugin is not None else code


def _closes_after_opening(form, field) -> None:
    opens_on = form.opens_on.data if "opens_on" in form else None
    if field.data and opens_on and field.data < opens_on:
        raise ValidationError(gettext("La clôture des inscriptions doit suivre leur ouverture."))


def _minimum_within_capacity(form, field) -> None:
    capacity = form.capacity.data if "capacity" in form else None
    if field.data is not None and capacity is not None and field.data > capacity:
        raise ValidationError(gettext("Le minimum ne peut pas dépasser la capacité."))


class ActionView(ExportableModelView):
    """The actions of the year being viewed (the navigation bar's year chooser shows past years)."""

    datamodel = OcceSQLAInterface(Action)
    list_title = _("Actions de l'année")
    show_title = _("Action")
    add_title = _("Ajouter une action")
    edit_title = _("Modifier une action")
    show_template = "occe/action_show.html"
    base_filters = [["school_year_id", FilterEqualFunction, viewed_year_id]]
    label_columns = {
        "name": _("Action"),
        "code": _("Code"),
        "plugin_code": _("Module"),
        "school_year": _("Année scolaire"),
        "description": _("Description"),
        "audience": _("Qui s'inscrit"),
        "opens_on": _("Ouverture des inscriptions"),
        "closes_on": _("Clôture des inscriptions"),
        "capacity": _("Capacité (classes)"),
        "minimum": _("Minimum (classes)"),
        "quantity_label": _("Quantité demandée (unité)"),
        "asks_motivation": _("Motivation demandée"),
        "in_proposals": _("Dans les propositions de fin août"),
        "repeat_next_year": _("Reconduite l'an prochain"),
    }
    list_columns = ["name", "audience", "opens_on", "closes_on", "capacity", "minimum", "plugin_code"]
    show_columns = [
        "name", "code", "school_year", "plugin_code", "description", "audience", "opens_on", "closes_on", "capacity", "minimum",
        "quantity_label", "asks_motivation", "in_proposals", "repeat_next_year",
    ]  # fmt: skip
    add_columns = edit_columns = [
        "name", "code", "description", "audience", "opens_on", "closes_on", "capacity", "minimum", "quantity_label",
        "asks_motivation", "in_proposals", "repeat_next_year",
    ]  # fmt: skip
    search_columns = ["name", "code", "plugin_code", "audience", "opens_on", "closes_on"]
    order_columns = ["name", "opens_on", "closes_on", "capacity"]
    base_order = ("name", "asc")
    formatters_columns = {
        "audience": choice_label(AUDIENCES),
        "opens_on": french_date,
        "closes_on": french_date,
        "asks_motivation": yes_no,
        "in_proposals": yes_no,
        "repeat_next_year": yes_no,
        "plugin_code": lambda code: plugin_label(code),
        "capacity": lambda value: gettext("sans limite") if value is None else value,
        "minimum": lambda value: "—" if value is None else value,
        "quantity_label": lambda value: value or "—",
    }
    description_columns = {
        "code": _("Identifiant court, sans espace (par exemple « consomacteur ») ; déduit du nom s'il est laissé vide."),
        "capacity": _("Nombre de classes retenues au plus ; vide : sans limite. Au-delà, les demandes vont en liste d'attente."),
        "minimum": _("En dessous de ce nombre de classes retenues, l'action est signalée."),
        "quantity_label": _("Si les classes demandent une quantité (exemplaires, kits...), son unité ; sinon vide."),
    }
    validators_columns = {
        "name": [DataRequired()],
        "closes_on": [_closes_after_opening],
        "capacity": [Optional(), NumberRange(min=1, message=_("Au moins 1."))],
        "minimum": [Optional(), NumberRange(min=0, message=_("0 ou plus.")), _minimum_within_capacity],
    }
    add_form_extra_fields = edit_form_extra_fields = {
        "audience": SelectField(_("Qui s'inscrit"), choices=list(AUDIENCES.items()), validators=[DataRequired()]),
        # optional in the form (FAB would require it): deduced from the name when left empty
        "code": StringField(_("Code"), validators=[Optional()]),
        "asks_motivation": BooleanField(_("Motivation demandée")),
        "in_proposals": BooleanField(_("Dans les propositions de fin août"), default=True),
        "repeat_next_year": BooleanField(_("Reconduite l'an prochain"), default=True),
    }

    def pre_add(self, item: Action) -> None:
        from app.actions.catalogue import slug

        year = viewed_year()
        item.school_year_id = year.id if year else None
        item.code = slug(item.code or item.name)

    def pre_update(self, item: Action) -> None:
        from app.actions.catalogue import slug

        item.code = slug(item.code or item.name)

    def post_update(self, item: Action) -> None:
        # a larger capacity frees places: the waiting list moves up
        promoted = service.promote_waiting(item)
        if promoted:
            flash(gettext("%(count)s inscription(s) de la liste d'attente retenue(s).", count=len(promoted)), "info")

    def show_extra(self, item: Action) -> dict:
        return {"summary": service.counts_by_status(item), "places_left": service.places_left(item), "under_minimum": service.under_minimum(item)}

    def render_template(self, template, **kwargs):
        if template == self.show_template and kwargs.get("pk") is not None:
            item = self.datamodel.get(kwargs["pk"], self._base_filters)
            if item is not None:
                kwargs.update(self.show_extra(item), action_item=item, statuses=STATUSES)
        return super().render_template(template, **kwargs)


class RegistrationEventView(OcceModelView):
    """A registration's history, shown under the registration (read-only)."""

    datamodel = OcceSQLAInterface(RegistrationEvent)
    list_title = _("Historique de l'inscription")
    base_permissions = ["can_list"]
    label_columns = {"at": _("Date"), "from_status": _("Avant"), "to_status": _("Après"), "user": _("Par"), "reason": _("Motif")}
    list_columns = ["at", "from_status", "to_status", "user", "reason"]
    base_order = ("at", "asc")
    formatters_columns = {"at": french_datetime, "from_status": choice_label(STATUSES), "to_status": choice_label(STATUSES)}


STATUS_ACTIONS = {
    "retain": (_("Retenir"), None, "fa-check"),
    "wait": (_("Liste d'attente"), None, "fa-hourglass-half"),
    "refuse": (_("Refuser"), _("Refuser les inscriptions choisies ?"), "fa-times"),
    "mark_done": (_("Marquer réalisée"), None, "fa-flag-checkered"),
    "cancel": (_("Annuler l'inscription"), _("Annuler les inscriptions choisies ? Une place libérée profite à la liste d'attente."), "fa-ban"),
}


def _foreign_key(model, relation: str):
    """The column holding ``relation``'s id (``action`` → ``Registration.action_id``)."""
    (column,) = getattr(model, relation).property.local_columns
    return getattr(model, column.key)


def _as_id(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class RelationIdEqual(FilterRelationOneToManyEqual):
    """FAB's "Relation" filter comparing the foreign key to the id in the URL.

    FAB's own loads the related record first, with one more SQL statement each
    time the filter is applied (twice a list page: the count and the rows).
    The SQL is FAB's for an existing id; an unknown id (or not a number) matches
    nothing, where FAB's matched the rows without any related record.
    """

    def apply(self, query, value):
        key, value = _foreign_key(self.model, self.column_name), _as_id(value)
        return query.filter(false() if value is None else key == value)


class RelationIdNotEqual(FilterRelationOneToManyNotEqual):
    """FAB's "No relation" filter, by id as :class:`RelationIdEqual` (an unknown id excludes nothing)."""

    def apply(self, query, value):
        key, value = _foreign_key(self.model, self.column_name), _as_id(value)
        return query if value is None else query.filter(or_(key != value, key.is_(None)))


class RelationIdFilterConverter(SQLAFilterConverter):
    conversion_table = (
        ("is_relation_many_to_one", [RelationIdEqual, RelationIdNotEqual]),
        *(entry for entry in SQLAFilterConverter.conversion_table if entry[0] != "is_relation_many_to_one"),
    )


class RegistrationInterface(OcceSQLAInterface):
    filter_converter_class = RelationIdFilterConverter


def _viewed_year_actions() -> list[Action]:
    """The search form's actions: the viewed year's, in one statement (FAB counts them first, then lists every year's)."""
    return list(db.session.execute(select(Action).filter(Action.school_year_id == viewed_year_id()).order_by(Action.name)).scalars())


class RegistrationView(ExportableModelView):
    """Registrations of the viewed year; statuses change through the list's actions, never by editing."""

    datamodel = RegistrationInterface(Registration)
    list_title = _("Inscriptions")
    show_title = _("Inscription")
    edit_title = _("Modifier une inscription")
    base_filters = [["school_year_id", FilterEqualFunction, viewed_year_id]]
    base_permissions = ["can_list", "can_show", "can_edit", "can_export", *STATUS_ACTIONS]
    related_views = [RegistrationEventView]
    label_columns = {
        "action": _("Action"),
        "action.name": _("Action"),
        "cooperative": _("Coopérative"),
        "cooperative.affiliation_number": _("Coopérative"),
        "classroom": _("Classe"),
        "classroom.name": _("Classe"),
        "classroom.levels": _("Niveaux"),
        "classroom.cycles": _("Cycle"),
        "status": _("Statut"),
        "requested_at": _("Demandée le"),
        "quantity": _("Quantité"),
        "pupils": _("Élèves"),
        "motivation": _("Motivation"),
        "notes": _("Notes"),
    }
    list_columns = ["action.name", "cooperative.affiliation_number", "classroom.name", "classroom.levels", "pupils", "quantity", "status", "requested_at"]
    export_columns = [
        "action.name", "cooperative.affiliation_number", "classroom.name", "classroom.levels", "classroom.cycles", "pupils", "quantity",
        "status", "requested_at", "motivation",
    ]  # fmt: skip
    show_columns = ["action", "cooperative", "classroom", "status", "requested_at", "pupils", "quantity", "motivation", "notes"]
    edit_columns = ["pupils", "quantity", "motivation", "notes"]
    search_columns = ["action", "status", "cooperative", "classroom", "requested_at"]
    text_search_relations = {"cooperative": "affiliation_number", "classroom": "name"}
    choice_search_columns = {"status": STATUSES}
    order_columns = ["action.name", "cooperative.affiliation_number", "classroom.name", "pupils", "status", "requested_at"]
    base_order = ("requested_at", "asc")
    formatters_columns = {"status": choice_label(STATUSES), "requested_at": french_datetime}
    validators_columns = {
        "pupils": [Optional(), NumberRange(min=0, max=100, message=_("Entre 0 et 100 élèves."))],
        "quantity": [Optional(), NumberRange(min=1, message=_("Au moins 1."))],
    }
    add_form_query_rel_fields = {"action": [["school_year_id", FilterEqualFunction, viewed_year_id]]}
    search_form_extra_fields = {
        "action": QuerySelectField(_("Action"), query_func=_viewed_year_actions, get_pk_func=lambda item: item.id, widget=Select2Widget()),
    }

    def _move(self, items, change, done_message):
        items = items if isinstance(items, list) else [items]
        moved, problems = 0, []
        for item in items:
            try:
                change(item)
                moved += 1
            except ValueError as exc:
                db.session.rollback()
                problems.append(f"{item} : {exc}")
        if moved:
            flash(done_message(moved), "success")
        for problem in problems:
            flash(problem, "warning")
        self.update_redirect()
        return redirect(self.get_redirect())

    def _to(self, status):
        return lambda item: service.change_status(item, status)

    @action("retain", *STATUS_ACTIONS["retain"])
    def retain(self, items):
        waited = []

        def change(item):
            if service.accept_or_wait(item) == WAITING:
                waited.append(item)

        response = self._move(items, change, lambda n: gettext("%(count)s inscription(s) traitée(s).", count=n))
        if waited:
            flash(gettext("Action complète : %(count)s demande(s) mise(s) en liste d'attente.", count=len(waited)), "info")
        return response

    @action("wait", *STATUS_ACTIONS["wait"])
    def wait(self, items):
        return self._move(items, self._to(WAITING), lambda n: gettext("%(count)s inscription(s) en liste d'attente.", count=n))

    @action("refuse", *STATUS_ACTIONS["refuse"])
    def refuse(self, items):
        return self._move(items, self._to(REFUSED), lambda n: gettext("%(count)s inscription(s) refusée(s).", count=n))

    @action("mark_done", *STATUS_ACTIONS["mark_done"])
    def mark_done(self, items):
        return self._move(items, self._to(DONE), lambda n: gettext("%(count)s inscription(s) réalisée(s).", count=n))

    @action("cancel", *STATUS_ACTIONS["cancel"])
    def cancel(self, items):
        promoted = []

        def change(item):
            promoted.extend(service.change_status(item, CANCELLED))

        response = self._move(items, change, lambda n: gettext("%(count)s inscription(s) annulée(s).", count=n))
        if promoted:
            flash(gettext("Place(s) libérée(s) : %(count)s inscription(s) de la liste d'attente retenue(s).", count=len(promoted)), "info")
        return response

