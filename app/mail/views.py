"""The French pages of the mail service: new mailing (choose, preview, confirm), outbox, batches, « Envoyer maintenant »."""

from __future__ import annotations

import hashlib
import json

from flask import flash, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_appbuilder.actions import action
from flask_babel import gettext
from flask_babel import lazy_gettext as _
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import HiddenField, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.actions.catalogue import actions_of
from app.actions.models import ACCEPTED, Action
from app.actions.models import STATUSES as REGISTRATION_STATUSES
from app.actions.views import french_datetime
from app.datamodel import OcceSQLAInterface
from app.extensions import db
from app.mail import service
from app.mail.models import STATUSES, MailBatch, MailMessage
from app.mail.recipients import ACTION_AUDIENCE, AFFILIATED_AUDIENCE, action_recipients, affiliated_recipients
from app.mail.rendering import MailTemplateError, available_templates
from app.views import ExportableModelView, choice_label
from app.years.context import viewed_year

PREVIEW_COUNT = 3
#: FAB's filter index of "equal to" on a text column, and of "is" on a relation (see SQLAFilterConverter)
STATUS_FILTER, BATCH_FILTER = "_flt_3_status", "_flt_0_batch"


def outbox_url(**filters) -> str:
    args = {}
    if "status" in filters:
        args[STATUS_FILTER] = filters["status"]
    if "batch" in filters:
        args[BATCH_FILTER] = filters["batch"]
    return url_for("OutboxView.list", **args)


def preformatted(value) -> Markup:
    return Markup("<pre class='occe-mail-body'>%s</pre>") % escape(value or "")


class MailingForm(FlaskForm):
    template = SelectField(_("Modèle de courriel"), validators=[DataRequired(message=_("Choisissez un modèle."))])
    audience = RadioField(
        _("Destinataires"),
        choices=[
            (ACTION_AUDIENCE, _("Les classes inscrites à une action (l'enseignant·e, à défaut le ou la mandataire)")),
            (AFFILIATED_AUDIENCE, _("Toutes les coopératives affiliées, cette année ou l'an dernier (mandataires) : propositions de fin août")),
        ],
        default=ACTION_AUDIENCE,
    )
    action_id = SelectField(_("Action"), coerce=int, validators=[Optional()])
    statuses = SelectMultipleField(
        _("Inscriptions au statut"),
        choices=list(REGISTRATION_STATUSES.items()),
        default=[ACCEPTED],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    title = StringField(_("Objet"), validators=[Optional(), Length(max=200)])
    message = TextAreaField(_("Message"))
    digest = HiddenField()

    def fingerprint(self) -> str:
        """What was previewed: confirming a changed form shows the preview again instead of queueing."""
        values = [self.template.data, self.audience.data, self.action_id.data, sorted(self.statuses.data or []), self.title.data or "", self.message.data or ""]
        return hashlib.sha256(json.dumps(values, ensure_ascii=False).encode()).hexdigest()[:32]


class MailingView(BaseView):
    """Choose a template and the recipients, preview the first personalised messages, confirm to queue."""

    route_base = "/courriels/envoi"
    default_view = "new"
    base_permissions = ["can_prepare", "can_send"]
    method_permission_name = {"new": "prepare", "send": "send"}

    def _form(self, year) -> MailingForm:
        form = MailingForm()
        templates = available_templates(year)
        form.template.choices = [(t.key, f"{t.module_label} — {t.label}") for t in templates]
        form.action_id.choices = [(0, gettext("— choisir une action —"))] + [(a.id, a.name) for a in actions_of(year)]
        if request.method == "GET":
            form.template.data = request.args.get("template") or (templates[0].key if templates else None)
            form.audience.data = request.args.get("audience") if request.args.get("audience") in (ACTION_AUDIENCE, AFFILIATED_AUDIENCE) else ACTION_AUDIENCE
            form.action_id.data = request.args.get("action", type=int) or 0
        return form

    def _recipients(self, form: MailingForm, year):
        """(recipients, label suffix) for the form's audience, or raise ValueError in French."""
        if form.audience.data == AFFILIATED_AUDIENCE:
            return affiliated_recipients(year), year.label
        found = db.session.get(Action, form.action_id.data) if form.action_id.data else None
        if found is None or found.school_year_id != year.id:
            raise ValueError(gettext("Choisissez l'action dont les classes recevront le courriel."))
        if not form.statuses.data:
            raise ValueError(gettext("Cochez au moins un statut d'inscription."))
        return action_recipients(found, form.statuses.data), found.name

    @expose("/", methods=["GET", "POST"])
    @has_access
    def new(self):
        year = viewed_year()
        form = self._form(year)
        preview, problem = None, None
        if request.method == "POST" and form.validate():
            extras = {"title": (form.title.data or "").strip(), "message": (form.message.data or "").strip()}
            try:
                recipients, suffix = self._recipients(form, year)
                if "confirm" in request.form and form.digest.data == form.fingerprint():
                    registered = service.resolve(form.template.data, year)
                    batch = service.queue(registered, recipients, extras, label=f"{registered.label} — {suffix}", year=year)
                    flash(gettext("%(count)s courriel(s) mis en file d'attente : « %(label)s ».", count=batch.queued_count, label=batch.label), "success")
                    if batch.missing_count:
                        flash(gettext("%(count)s destinataire(s) sans adresse de courriel n'ont rien reçu (voir l'aperçu).", count=batch.missing_count), "warning")
                    return redirect(outbox_url(batch=batch.id))
                if "confirm" in request.form:
                    flash(gettext("Le formulaire a changé depuis l'aperçu : vérifiez le nouvel aperçu, puis confirmez."), "warning")
                preview = service.preview(form.template.data, recipients, extras, year=year, count=PREVIEW_COUNT)
                form.digest.data = form.fingerprint()
            except MailTemplateError as exc:
                db.session.rollback()
                problem = str(exc)
            except ValueError as exc:
                db.session.rollback()
                problem = str(exc)
        return self.render_template("occe/mail_new.html", form=form, year=year, preview=preview, problem=problem, pending=service.counts_by_status())

    @expose("/envoyer", methods=["POST"])
    @has_access
    def send(self):
        try:
            report = service.send_pending(service.WEB_SEND_LIMIT)
        except ValueError as exc:  # a configuration problem (sender address, backend name), in French
            flash(str(exc), "danger")
            return redirect(outbox_url())
        category = "danger" if report.error else ("warning" if report.retry or report.failed else "success")
        flash(report.summary(), category)
        left = service.counts_by_status()[service.PENDING]
        if left and not report.error:
            flash(gettext("%(count)s courriel(s) encore en attente : ils partiront au prochain envoi.", count=left), "info")
        return redirect(outbox_url())


class OutboxView(ExportableModelView):
    """Every message, newest first: who, what, where it stands; cancel or put back in the queue."""

    datamodel = OcceSQLAInterface(MailMessage)
    list_title = _("Boîte d'envoi")
    show_title = _("Courriel")
    list_template = "occe/mail_outbox.html"
    # FAB names an action's permission after the action itself (no can_ prefix)
    base_permissions = ["can_list", "can_show", "can_export", "cancel", "retry"]
    personal_data = True
    label_columns = {
        "created_at": _("Préparé le"),
        "sent_at": _("Envoyé le"),
        "recipient_email": _("Adresse"),
        "recipient_name": _("Destinataire"),
        "recipient": _("Destinataire"),
        "subject": _("Objet"),
        "body_text": _("Texte"),
        "status": _("Statut"),
        "attempts": _("Essais"),
        "last_error": _("Dernière erreur"),
        "batch": _("Envoi groupé"),
        "batch.label": _("Envoi groupé"),
        "module": _("Module"),
        "template": _("Modèle"),
        "cooperative": _("Coopérative"),
        "created_by": _("Préparé par"),
    }
    list_columns = ["created_at", "recipient_name", "recipient_email", "subject", "status", "attempts", "sent_at", "batch.label"]
    export_columns = ["created_at", "recipient_name", "recipient_email", "subject", "status", "attempts", "last_error", "sent_at", "batch.label", "module"]
    show_columns = [
        "status", "attempts", "last_error", "created_at", "sent_at", "recipient", "cooperative", "subject", "body_text",
        "batch", "module", "template", "created_by",
    ]  # fmt: skip
    search_columns = ["status", "batch", "recipient_email", "recipient_name", "subject", "module", "created_at", "sent_at"]
    order_columns = ["created_at", "recipient_email", "status", "attempts", "sent_at"]
    base_order = ("id", "desc")
    formatters_columns = {
        "status": choice_label(STATUSES),
        "created_at": french_datetime,
        "sent_at": french_datetime,
        "body_text": preformatted,
    }

    @action("cancel", _("Annuler l'envoi"), _("Annuler l'envoi des courriels cochés encore en attente ?"), "fa-ban")
    def cancel(self, items):
        items = items if isinstance(items, list) else [items]
        done = service.cancel([item.id for item in items])
        db.session.commit()
        flash(gettext("%(count)s courriel(s) annulé(s) ; les autres n'étaient plus en attente.", count=done) if done < len(items) else gettext("%(count)s courriel(s) annulé(s).", count=done), "success" if done else "warning")
        self.update_redirect()
        return redirect(self.get_redirect())

    @action("retry", _("Remettre en attente"), _("Remettre en attente les courriels cochés en échec ou annulés ?"), "fa-redo")
    def retry(self, items):
        items = items if isinstance(items, list) else [items]
        done = service.retry([item.id for item in items])
        db.session.commit()
        flash(gettext("%(count)s courriel(s) remis en attente : ils partiront au prochain envoi.", count=done), "success" if done else "warning")
        self.update_redirect()
        return redirect(self.get_redirect())

    def render_template(self, template, **kwargs):
        if template == self.list_template:
            kwargs.setdefault("mail_counts", service.counts_by_status())
            kwargs.setdefault("mail_statuses", STATUSES)
            kwargs.setdefault("outbox_url", outbox_url)
        return super().render_template(template, **kwargs)


class MailBatchView(ExportableModelView):
    """The mailings: what was sent to whom, and where its messages stand."""

    datamodel = OcceSQLAInterface(MailBatch)
    list_title = _("Envois groupés")
    show_title = _("Envoi groupé")
    base_permissions = ["can_list", "can_show", "can_export"]
    related_views = [OutboxView]
    label_columns = {
        "created_at": _("Préparé le"),
        "label": _("Envoi"),
        "module": _("Module"),
        "template": _("Modèle"),
        "queued_count": _("Courriels"),
        "missing_count": _("Sans adresse"),
        "pending_count": _("En attente"),
        "sent_count": _("Envoyés"),
        "failed_count": _("Échecs"),
        "created_by": _("Préparé par"),
    }
    list_columns = ["created_at", "label", "module", "queued_count", "sent_count", "pending_count", "failed_count", "missing_count"]
    show_columns = ["created_at", "label", "module", "template", "queued_count", "sent_count", "pending_count", "failed_count", "missing_count", "created_by"]
    search_columns = ["label", "module", "template", "created_at"]
    order_columns = ["created_at", "label", "module", "queued_count", "sent_count", "failed_count"]
    base_order = ("created_at", "desc")
    formatters_columns = {"created_at": french_datetime}

