"""The French pages of « Actions fédérales relayées »."""

from __future__ import annotations

from flask import g
from flask_appbuilder.models.sqla.filters import FilterEqualFunction
from flask_babel import lazy_gettext as _
from wtforms import DateField, StringField, TextAreaField
from wtforms.validators import DataRequired, Optional, URL

from app.actions.views import viewed_year_id
from app.datamodel import OcceSQLAInterface
from app.views import ExportableModelView, french_date
from app.years.context import viewed_year

from . import services
from .models import RelaisFederalAction, RelaisRelayedMail


class FederalActionView(ExportableModelView):
    """The relayed actions of the viewed year; adding one creates the core action the cooperatives join."""

    datamodel = OcceSQLAInterface(RelaisFederalAction)
    list_title = _("Actions fédérales relayées")
    show_title = _("Action fédérale relayée")
    add_title = _("Ajouter une action fédérale relayée")
    edit_title = _("Modifier une action fédérale relayée")
    base_filters = [["school_year_id", FilterEqualFunction, viewed_year_id]]
    label_columns = {
        "action": _("Action"),
        "action.name": _("Action"),
        "federation_url": _("Page de la fédération"),
        "federation_contact": _("Contact à la fédération"),
        "federal_deadline": _("Échéance fédérale"),
        "notes": _("Notes"),
        "participants": _("Coopératives inscrites"),
        "name": _("Nom de l'action"),
        "description": _("Description"),
        "opens_on": _("Ouverture des inscriptions"),
        "closes_on": _("Clôture des inscriptions"),
    }
    list_columns = ["action.name", "federal_deadline", "federation_url"]
    export_columns = ["action.name", "federal_deadline", "federation_url", "federation_contact"]
    show_columns = ["action", "federation_url", "federation_contact", "federal_deadline", "notes", "participants"]
    add_columns = ["name", "description", "opens_on", "closes_on", "federation_url", "federation_contact", "federal_deadline", "notes"]
    edit_columns = ["federation_url", "federation_contact", "federal_deadline", "notes"]
    search_columns = ["federal_deadline", "federation_contact"]
    order_columns = ["action.name", "federal_deadline"]
    base_order = ("federal_deadline", "asc")
    formatters_columns = {"federal_deadline": french_date}
    validators_columns = {"federation_url": [Optional(), URL(message=_("Adresse web invalide (https://…)."))]}
    add_form_extra_fields = {
        "name": StringField(_("Nom de l'action"), validators=[DataRequired()]),
        "description": TextAreaField(_("Description")),
        "opens_on": DateField(_("Ouverture des inscriptions"), validators=[Optional()]),
        "closes_on": DateField(_("Clôture des inscriptions"), validators=[Optional()]),
    }

    def process_form(self, form, is_created):
        self._creating = {name: form[name].data for name in ("name", "description", "opens_on", "closes_on")} if is_created else None
        for name in ("name", "description", "opens_on", "closes_on"):
            if is_created and name in form:
                del form[name]

    def pre_add(self, item: RelaisFederalAction) -> None:
        from app.actions.catalogue import ensure_action, get_action, slug

        fields = self._creating or {}
        year = viewed_year()
        code = slug(fields.get("name") or "")
        if get_action(year, code) is not None:
            raise ValueError(f"Une action « {fields.get('name')} » existe déjà pour {year.label}.")
        action = ensure_action(
            year, code, fields.get("name"), plugin_code=services.CODE, audience="cooperative",
            description=fields.get("description") or None, opens_on=fields.get("opens_on"), closes_on=fields.get("closes_on"),
        )  # fmt: skip
        item.action_id = action.id
        item.school_year_id = year.id


class RelayedMailView(ExportableModelView):
    """The federal mails relayed to the participants of an action: adding one queues the personalised relay."""

    datamodel = OcceSQLAInterface(RelaisRelayedMail)
    list_title = _("Mails fédéraux relayés")
    show_title = _("Mail fédéral relayé")
    add_title = _("Noter un mail fédéral relayé")
    edit_title = _("Modifier un mail relayé")
    base_filters = [["school_year_id", FilterEqualFunction, viewed_year_id]]
    label_columns = {
        "action": _("Action"),
        "action.name": _("Action"),
        "relayed_on": _("Relayé le"),
        "subject": _("Objet"),
        "summary": _("Résumé"),
        "recipients": _("Coopératives destinataires"),
        "relayed_by": _("Relayé par"),
    }
    list_columns = ["relayed_on", "action.name", "subject", "recipients"]
    show_columns = ["relayed_on", "action", "subject", "summary", "recipients", "relayed_by"]
    add_columns = ["action", "relayed_on", "subject", "summary"]
    edit_columns = ["relayed_on", "subject", "summary"]
    search_columns = ["action", "subject", "relayed_on"]
    order_columns = ["relayed_on", "subject"]
    base_order = ("relayed_on", "desc")
    formatters_columns = {"relayed_on": french_date}
    validators_columns = {"subject": [DataRequired()], "relayed_on": [DataRequired()]}
    add_form_query_rel_fields = {"action": [["school_year_id", FilterEqualFunction, viewed_year_id], ["plugin_code", FilterEqualFunction, lambda: services.CODE]]}

    def pre_add(self, item: RelaisRelayedMail) -> None:
        item.school_year_id = item.action.school_year_id
        item.recipients = len(services.participants(item.action))
        item.relayed_by_id = g.user.id

    def post_add(self, item: RelaisRelayedMail) -> None:
        """Queue the personalised relay to the participants (sent from Courriels › Boîte d'envoi)."""
        from flask import flash

        from app.extensions import db
        from app.mail.rendering import MailTemplateError
        from app.mail.service import queued_messages

        try:
            batch, reason = services.queue_relay(item, g.user.id)
            db.session.commit()
        except (MailTemplateError, ValueError) as exc:
            db.session.rollback()
            batch, reason = None, str(exc)
        for message, category in queued_messages(batch, reason):
            flash(message, category)
