"""The directory's French pages: lists, forms, the cooperative hub, the follow-ups due."""

from __future__ import annotations

from datetime import date

from flask import g, make_response
from flask_appbuilder import expose, has_access
from flask_appbuilder.actions import action
from flask_appbuilder.models.sqla.filters import BaseFilter, FilterEqual, FilterEqualFunction, get_field_setup_query
from flask_babel import lazy_gettext as _
from wtforms import BooleanField, SelectField
from wtforms.validators import DataRequired, Email, NumberRange, Optional

from app.directory import gdpr, rules
from app.directory.models import (
    CHANNELS,
    CIVILITIES,
    COOPERATIVE_KINDS,
    COOPERATIVE_STATUSES,
    FUNCTIONS,
    MEMBERSHIP_STATUSES,
    SCHOOL_KINDS,
    Classroom,
    Cooperative,
    Membership,
    Person,
    School,
    Sector,
    SupportContact,
)
from app.directory.tabs import cooperative_tabs
from app.datamodel import OcceSQLAInterface
from app.views import ExportableModelView, choice_label, french_date, input_error, yes_no


def _choices(mapping: dict[str, str]) -> list[tuple[str, str]]:
    return list(mapping.items())


def _select(label: str, mapping: dict[str, str], required: bool = True) -> SelectField:
    validators = [DataRequired()] if required else [Optional()]
    choices = _choices(mapping) if required else [("", "—"), *_choices(mapping)]
    return SelectField(label, choices=choices, validators=validators)


def _valid_uai(form, field) -> None:
    problem = rules.uai_problem(field.data or "")
    if problem:
        raise input_error(problem)
    field.data = rules.normalise_uai(field.data)


def _valid_phone(form, field) -> None:
    if not field.data:
        return
    try:
        field.data = rules.normalise_phone(field.data)
    except ValueError as exc:
        raise input_error(str(exc)) from exc


def _valid_levels(form, field) -> None:
    try:
        field.data = "-".join(rules.parse_levels(field.data or ""))
    except ValueError as exc:
        raise input_error(str(exc)) from exc


class FilterDueBy(BaseFilter):
    """Rows whose date column is on or before the value the function returns (today)."""

    name = "Échéance"
    arg_name = "due"

    def apply(self, query, func):
        query, field = get_field_setup_query(query, self.model, self.column_name)
        return query.filter(field <= func())


class SectorView(ExportableModelView):
    datamodel = OcceSQLAInterface(Sector)
    list_title = _("Secteurs")
    show_title = add_title = edit_title = _("Secteur")
    label_columns = {"name": _("Secteur")}
    list_columns = ["name"]
    search_columns = ["name"]
    order_columns = ["name"]
    base_order = ("name", "asc")


class SchoolView(ExportableModelView):
    datamodel = OcceSQLAInterface(School)
    list_title = _("Écoles")
    show_title = _("École")
    add_title = _("Ajouter une école")
    edit_title = _("Modifier une école")
    label_columns = {
        "uai": _("UAI"),
        "name": _("École"),
        "kind": _("Type"),
        "address": _("Adresse"),
        "postal_code": _("Code postal"),
        "commune": _("Commune"),
        "sector": _("Secteur"),
        "sector.name": _("Secteur"),
    }
    list_columns = ["uai", "name", "commune", "sector.name", "kind"]
    show_columns = ["uai", "name", "kind", "address", "postal_code", "commune", "sector"]
    add_columns = edit_columns = show_columns
    search_columns = ["uai", "name", "commune", "sector", "kind"]
    order_columns = ["uai", "name", "commune", "sector.name"]
    base_order = ("name", "asc")
    formatters_columns = {"kind": choice_label(SCHOOL_KINDS)}
    description_columns = {"uai": _("7 chiffres et une lettre de contrôle, par exemple 0021234F.")}
    validators_columns = {"uai": [DataRequired(), _valid_uai], "name": [DataRequired()]}
    add_form_extra_fields = edit_form_extra_fields = {"kind": _select("Type", SCHOOL_KINDS)}


class PersonView(ExportableModelView):
    datamodel = OcceSQLAInterface(Person)
    list_title = _("Personnes")
    show_title = _("Personne")
    add_title = _("Ajouter une personne")
    edit_title = _("Modifier une personne")
    label_columns = {
        "civility": _("Civilité"),
        "first_name": _("Prénom"),
        "last_name": _("Nom"),
        "email": _("Courriel"),
        "phone": _("Téléphone"),
        "function": _("Fonction"),
        "school": _("École"),
        "school.name": _("École"),
        "anonymised_on": _("Anonymisée le"),
    }
    list_columns = ["last_name", "first_name", "function", "email", "phone", "school.name"]
    show_columns = ["civility", "first_name", "last_name", "function", "email", "phone", "school", "anonymised_on"]
    add_columns = edit_columns = ["civility", "first_name", "last_name", "function", "email", "phone", "school"]
    search_columns = ["last_name", "first_name", "email", "function", "school"]
    text_search_relations = {"school": "name"}
    order_columns = ["last_name", "first_name", "school.name"]
    base_order = ("last_name", "asc")
    formatters_columns = {"function": choice_label(FUNCTIONS), "anonymised_on": french_date}
    validators_columns = {
        "first_name": [DataRequired()],
        "last_name": [DataRequired()],
        "email": [Optional(), Email(message=_("Adresse électronique invalide."))],
        "phone": [_valid_phone],
    }
    add_form_extra_fields = edit_form_extra_fields = {
        "civility": _select("Civilité", CIVILITIES, required=False),
        "function": _select("Fonction", FUNCTIONS),
    }
    personal_data = True

    @action("export_personal_data", _("Exporter ses données (RGPD)"), "", "fa-download", multiple=False)
    def export_personal_data(self, item):
        person = item[0] if isinstance(item, list) else item
        response = make_response(gdpr.personal_data_json(person))
        response.headers["Content-Type"] = "application/json; charset=utf-8"
        response.headers["Content-Disposition"] = f'attachment; filename="personne-{person.id}.json"'
        response.headers["Cache-Control"] = "no-store"
        return response

    @action(
        "anonymise",
        _("Anonymiser (RGPD)"),
        _("Anonymiser cette personne ? Son nom, son courriel et son téléphone seront effacés définitivement ; les effectifs sont conservés."),
        "fa-user-secret",
        multiple=False,
    )
    def anonymise(self, item):
        from flask import flash, redirect

        person = item[0] if isinstance(item, list) else item
        gdpr.anonymise(person)
        flash(_("La personne a été anonymisée."), "success")
        return redirect(self.get_redirect())


class CooperativeView(ExportableModelView):
    datamodel = OcceSQLAInterface(Cooperative)
    list_title = _("Coopératives")
    show_title = _("Coopérative")
    add_title = _("Ajouter une coopérative")
    edit_title = _("Modifier une coopérative")
    show_template = "occe/cooperative_show.html"
    label_columns = {
        "affiliation_number": _("N° d'affiliation"),
        "kind": _("Type"),
        "status": _("Statut"),
        "school": _("École"),
        "school.name": _("École"),
        "school.commune": _("Commune"),
        "sector": _("Secteur"),
        "sector.name": _("Secteur"),
        "mandataire": _("Mandataire"),
        "mandataire.last_name": _("Mandataire"),
    }
    list_columns = ["affiliation_number", "school.name", "school.commune", "sector.name", "mandataire.last_name", "status"]
    show_columns = ["affiliation_number", "kind", "status", "school", "sector", "mandataire"]
    add_columns = edit_columns = show_columns
    search_columns = ["affiliation_number", "school", "sector", "status", "kind", "mandataire"]
    text_search_relations = {"school": "name", "mandataire": "last_name"}
    order_columns = ["affiliation_number", "school.name", "school.commune", "sector.name", "status"]
    base_order = ("affiliation_number", "asc")
    formatters_columns = {"status": choice_label(COOPERATIVE_STATUSES), "kind": choice_label(COOPERATIVE_KINDS)}
    validators_columns = {"affiliation_number": [DataRequired()], "school": [DataRequired()]}
    add_form_extra_fields = edit_form_extra_fields = {
        "kind": _select("Type", COOPERATIVE_KINDS),
        "status": _select("Statut", COOPERATIVE_STATUSES),
    }
    personal_data = True

    @expose("/show/<pk>", methods=["GET"])
    @has_access
    def show(self, pk):
        """The hub: the cooperative, then one tab per area (classes, memberships, support, plugins)."""
        pk = self._deserialize_pk_if_composite(pk)
        widgets = self._show(pk)
        item = self.datamodel.get(pk, self._base_filters)
        return self.render_template(
            self.show_template,
            pk=pk,
            title=self.show_title,
            widgets=widgets,
            related_views=self._related_views,
            tabs=cooperative_tabs(item),
        )


class ClassroomView(ExportableModelView):
    datamodel = OcceSQLAInterface(Classroom)
    list_title = _("Classes")
    show_title = _("Classe")
    add_title = _("Ajouter une classe")
    edit_title = _("Modifier une classe")
    label_columns = {
        "school_year": _("Année scolaire"),
        "school_year.label": _("Année scolaire"),
        "school": _("École"),
        "school.name": _("École"),
        "teacher": _("Enseignant·e"),
        "teacher.last_name": _("Enseignant·e"),
        "name": _("Classe"),
        "levels": _("Niveaux"),
        "cycles": _("Cycle"),
        "pupils": _("Élèves"),
    }
    list_columns = ["school_year.label", "school.name", "name", "levels", "cycles", "pupils", "teacher.last_name"]
    show_columns = ["school_year", "school", "name", "levels", "cycles", "pupils", "teacher"]
    add_columns = edit_columns = ["school_year", "school", "name", "levels", "pupils", "teacher"]
    search_columns = ["school_year", "school", "name", "cycles", "levels", "teacher"]
    text_search_relations = {"school": "name", "teacher": "last_name"}
    order_columns = ["school.name", "name", "levels", "pupils", "school_year.label"]
    base_order = ("name", "asc")
    description_columns = {"levels": _("Par exemple « CE1 » ou « CM1-CM2 » (TPS à CM2, 6e à 3e).")}
    validators_columns = {
        "name": [DataRequired()],
        "levels": [DataRequired(), _valid_levels],
        "pupils": [DataRequired(), NumberRange(min=1, max=40, message=_("Entre 1 et 40 élèves par classe."))],
        "school": [DataRequired()],
        "school_year": [DataRequired()],
    }
    personal_data = True

    def pre_add(self, item: Classroom) -> None:
        item.cycles = rules.cycles_of(item.levels.split("-"))

    def pre_update(self, item: Classroom) -> None:
        self.pre_add(item)


class MembershipView(ExportableModelView):
    datamodel = OcceSQLAInterface(Membership)
    list_title = _("Adhésions")
    show_title = _("Adhésion")
    add_title = _("Ajouter une adhésion")
    edit_title = _("Modifier une adhésion")
    label_columns = {
        "cooperative": _("Coopérative"),
        "cooperative.affiliation_number": _("N° d'affiliation"),
        "school_year": _("Année scolaire"),
        "school_year.label": _("Année scolaire"),
        "pupils": _("Élèves"),
        "adults": _("Adultes"),
        "members": _("Adhérents"),
        "fee_per_member": _("Cotisation par adhérent (€)"),
        "total_fee": _("Cotisation totale (€)"),
        "insurance": _("Assurance"),
        "joined_on": _("Adhésion le"),
        "validated_on": _("Validée le"),
        "status": _("Statut"),
    }
    list_columns = ["school_year.label", "cooperative.affiliation_number", "pupils", "adults", "fee_per_member", "insurance", "status"]
    show_columns = ["school_year", "cooperative", "pupils", "adults", "members", "fee_per_member", "total_fee", "insurance", "joined_on", "validated_on", "status"]
    add_columns = edit_columns = ["school_year", "cooperative", "pupils", "adults", "fee_per_member", "insurance", "joined_on", "validated_on", "status"]
    search_columns = ["school_year", "cooperative", "status", "insurance"]
    text_search_relations = {"cooperative": "affiliation_number"}
    order_columns = ["school_year.label", "cooperative.affiliation_number", "pupils", "adults"]
    base_order = ("id", "desc")
    formatters_columns = {
        "insurance": yes_no,
        "status": choice_label(MEMBERSHIP_STATUSES),
        "joined_on": french_date,
        "validated_on": french_date,
    }
    validators_columns = {
        "pupils": [NumberRange(min=0, message=_("Un effectif ne peut pas être négatif."))],
        "adults": [NumberRange(min=0, message=_("Un effectif ne peut pas être négatif."))],
        "fee_per_member": [NumberRange(min=0, message=_("La cotisation ne peut pas être négative."))],
        "cooperative": [DataRequired()],
        "school_year": [DataRequired()],
    }
    # FAB marks a non-nullable boolean as required: an unticked box would be refused.
    add_form_extra_fields = edit_form_extra_fields = {
        "status": _select("Statut", MEMBERSHIP_STATUSES),
        "insurance": BooleanField("Assurance", default=True),
    }


class SupportContactView(ExportableModelView):
    datamodel = OcceSQLAInterface(SupportContact)
    list_title = _("Accompagnement")
    show_title = _("Échange")
    add_title = _("Noter un échange")
    edit_title = _("Modifier un échange")
    label_columns = {
        "contact_date": _("Date"),
        "cooperative": _("Coopérative"),
        "cooperative.affiliation_number": _("N° d'affiliation"),
        "person": _("Interlocuteur"),
        "channel": _("Canal"),
        "subject": _("Objet"),
        "answer": _("Réponse apportée"),
        "staff": _("Suivi par"),
        "staff.username": _("Suivi par"),
        "follow_up_on": _("À relancer le"),
        "follow_up_done": _("Relance faite"),
    }
    list_columns = ["contact_date", "cooperative.affiliation_number", "channel", "subject", "staff.username", "follow_up_on", "follow_up_done"]
    show_columns = ["contact_date", "cooperative", "person", "channel", "subject", "answer", "staff", "follow_up_on", "follow_up_done"]
    add_columns = edit_columns = ["contact_date", "cooperative", "person", "channel", "subject", "answer", "follow_up_on", "follow_up_done"]
    search_columns = ["contact_date", "cooperative", "channel", "subject", "staff", "follow_up_on", "follow_up_done"]
    text_search_relations = {"cooperative": "affiliation_number"}
    order_columns = ["contact_date", "follow_up_on", "channel"]
    base_order = ("contact_date", "desc")
    formatters_columns = {
        "contact_date": french_date,
        "follow_up_on": french_date,
        "follow_up_done": yes_no,
        "channel": choice_label(CHANNELS),
    }
    validators_columns = {"subject": [DataRequired()], "cooperative": [DataRequired()], "contact_date": [DataRequired()]}
    add_form_extra_fields = edit_form_extra_fields = {
        "channel": _select("Canal", CHANNELS),
        "follow_up_done": BooleanField("Relance faite", default=False),
    }
    personal_data = True

    def pre_add(self, item: SupportContact) -> None:
        item.staff_id = g.user.id


def _current_user_id():
    return g.user.id


def _today():
    return date.today()


class MyFollowUpsView(SupportContactView):
    """The logged-in staff member's follow-ups due today or earlier, not done yet."""

    list_title = _("Mes relances à faire")
    base_filters = [
        ["staff_id", FilterEqualFunction, _current_user_id],
        ["follow_up_done", FilterEqual, False],
        ["follow_up_on", FilterDueBy, _today],
    ]
    base_order = ("follow_up_on", "asc")
    base_permissions = ["can_list", "can_show", "can_edit"]

