"""The French pages of the CRFS and account checks.

The CRFS pages follow the *campaign* of the viewed school year: during
2025-2026 the staff collect the CRFS covering 2024-2025 (due 30 September
2025). This is the same rule as :func:`app.accounts.service.crfs_warning`.
"""

from __future__ import annotations

from datetime import date

from flask import abort, flash, g, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_appbuilder.fields import QuerySelectField
from flask_appbuilder.fieldwidgets import Select2Widget
from flask_appbuilder.models.sqla.filters import BaseFilter, FilterEqualFunction
from flask_babel import gettext
from flask_babel import lazy_gettext as _
from flask_wtf import FlaskForm
from sqlalchemy import and_, select
from sqlalchemy.sql.selectable import Join
from wtforms import BooleanField, DateField, SelectField, StringField
from wtforms.validators import DataRequired, NumberRange, Optional, ValidationError

from app.accounts import service
from app.accounts.models import (
    INCOMPLETE,
    LATE,
    NOT_RECEIVED,
    ORIGINS,
    OUTCOMES,
    RECEIVED,
    RECEIVED_LATE,
    STATUSES,
    SUBSIDIES_CHOICES,
    SUBSIDIES_NO,
    AccountCheck,
    Crfs,
    due_date_for,
)
from app.datamodel import OcceSQLAInterface
from app.directory.models import Cooperative, Sector
from app.extensions import db
from app.uploads.kinds import PDF_OR_IMAGE
from app.uploads.views import UploadsMixin
from app.money import EuroField, money
from app.views import ExportableModelView, choice_label, french_date, input_error, yes_no
from app.years.context import viewed_year
from app.years.service import get_or_create_year, previous_label


class AccountsInterface(OcceSQLAInterface):
    """FAB's interface, with a join test that looks at the joins only.

    Stock FAB decides that the cooperative is "already joined" as soon as the
    table appears anywhere in the statement, a filter's subquery included; the
    list ordered by cooperative number then fails with "no such column".
    """

    @staticmethod
    def is_model_already_joined(query, model) -> bool:
        name = model.__table__.fullname
        return any(table.fullname == name for source in query.statement.get_final_froms() for table in _plain_tables(source))


def _plain_tables(source):
    """The tables joined under their own name (eager loads join anonymous aliases, which do not count)."""
    if isinstance(source, Join):
        yield from _plain_tables(source.left)
        yield from _plain_tables(source.right)
    elif source.__visit_name__ == "table":
        yield source


def campaign_year():
    """The school year whose CRFS are collected during the viewed year (the one before it), if in the database."""
    year = viewed_year()
    return service.previous_year(year) if year is not None else None


def campaign_year_id() -> int | None:
    year = campaign_year()
    return year.id if year is not None else None


def viewed_year_id() -> int | None:
    year = viewed_year()
    return year.id if year is not None else None


# --- search filters on what is computed (status) or reached through the cooperative (sector) ---


class CrfsStatusFilter(BaseFilter):
    """« Statut est » on the computed status, translated into SQL."""

    name = _("Égal à")
    arg_name = "crfs_st"

    def apply(self, query, value):
        today = date.today()
        complete = and_(Crfs.quitus_signed.is_(True), Crfs.bank_statement.is_(True), Crfs.subsidies_proofs != SUBSIDIES_NO)
        conditions = {
            NOT_RECEIVED: and_(Crfs.received_on.is_(None), Crfs.due_on >= today),
            LATE: and_(Crfs.received_on.is_(None), Crfs.due_on < today),
            INCOMPLETE: and_(Crfs.received_on.is_not(None), ~complete),
            RECEIVED_LATE: and_(Crfs.received_on.is_not(None), complete, Crfs.received_on > Crfs.due_on),
            RECEIVED: and_(Crfs.received_on.is_not(None), complete, Crfs.received_on <= Crfs.due_on),
        }
        condition = conditions.get(value)
        return query.filter(condition) if condition is not None else query


class CooperativeSectorFilter(BaseFilter):
    """« Secteur est » through the cooperative."""

    name = _("Égal à")
    arg_name = "coop_sec"

    def apply(self, query, value):
        try:
            sector_id = int(getattr(value, "id", value))
        except (TypeError, ValueError):
            return query
        return query.filter(self.model.cooperative_id.in_(select(Cooperative.id).where(Cooperative.sector_id == sector_id)))


def _sectors() -> list[Sector]:
    return list(db.session.execute(select(Sector).order_by(Sector.name)).scalars())


def _cooperatives() -> list[Cooperative]:
    return list(db.session.execute(select(Cooperative).order_by(Cooperative.affiliation_number)).scalars())


# --- CRFS ---------------------------------------------------------------------


def _one_crfs_per_year(form, field) -> None:
    cooperative = field.data
    year = campaign_year()
    if cooperative is None or year is None:
        return
    if service.crfs_of(cooperative.id, year) is not None:
        raise input_error(
            gettext("La coopérative %(coop)s a déjà un CRFS %(year)s : ouvrez-le pour le modifier.", coop=cooperative.affiliation_number, year=year.label)
        )


def _not_in_future(form, field) -> None:
    if field.data and field.data > date.today():
        raise ValidationError(gettext("La date de réception ne peut pas être dans le futur."))


class CrfsView(UploadsMixin, ExportableModelView):
    """CRFS of the campaign run during the viewed year."""

    datamodel = AccountsInterface(Crfs)
    route_base = "/crfs"
    list_title = _("CRFS (comptes rendus financiers simplifiés)")
    show_title = _("CRFS")
    add_title = _("Saisir un CRFS")
    edit_title = _("Modifier un CRFS")
    show_template = "occe/accounts/crfs_show.html"
    base_filters = [["school_year_id", FilterEqualFunction, campaign_year_id]]
    upload_fields = {
        "quitus_upload": ("quitus_file", "Quitus signé (fichier)", PDF_OR_IMAGE),
        "statement_upload": ("statement_file", "Relevé bancaire d'août (fichier)", PDF_OR_IMAGE),
        "subsidies_upload": ("subsidies_file", "Justificatifs de subventions (fichier)", PDF_OR_IMAGE),
    }
    label_columns = {
        "cooperative": _("Coopérative"),
        "cooperative.affiliation_number": _("N° d'affiliation"),
        "school_year": _("Exercice (année scolaire)"),
        "school_year.label": _("Exercice"),
        "due_on": _("Attendu le"),
        "received_on": _("Reçu le"),
        "opening_balance": _("Solde de début"),
        "income": _("Recettes"),
        "expenses": _("Dépenses"),
        "closing_balance": _("Solde de fin"),
        "quitus_signed": _("Quitus signé par le mandataire et deux vérificateurs"),
        "bank_statement": _("Relevé bancaire d'août"),
        "subsidies_proofs": _("Justificatifs de subventions"),
        "quitus_file": _("Quitus signé (fichier)"),
        "statement_file": _("Relevé bancaire d'août (fichier)"),
        "subsidies_file": _("Justificatifs de subventions (fichier)"),
        "anomalies": _("Anomalies constatées"),
        "status": _("Statut"),
        "status_label": _("Statut"),
        "sector": _("Secteur"),
        "balance_flag": _("Contrôle du solde"),
        "balance_warning": _("Contrôle du solde"),
        "quitus_link": _("Quitus signé (fichier)"),
        "statement_link": _("Relevé bancaire d'août (fichier)"),
        "subsidies_link": _("Justificatifs de subventions (fichier)"),
    }
    list_columns = ["cooperative.affiliation_number", "cooperative", "due_on", "received_on", "status_label", "income", "expenses", "closing_balance", "balance_flag"]
    export_columns = [
        "cooperative.affiliation_number", "school_year.label", "due_on", "received_on", "opening_balance", "income", "expenses",
        "closing_balance", "quitus_signed", "bank_statement", "subsidies_proofs", "anomalies",
    ]  # fmt: skip
    show_columns = [
        "cooperative", "school_year", "status_label", "due_on", "received_on", "opening_balance", "income", "expenses", "closing_balance",
        "balance_warning", "quitus_signed", "quitus_link", "bank_statement", "statement_link", "subsidies_proofs", "subsidies_link", "anomalies",
    ]  # fmt: skip
    add_columns = [
        "cooperative", "received_on", "opening_balance", "income", "expenses", "closing_balance", "quitus_signed", "bank_statement",
        "subsidies_proofs", "anomalies",
    ]  # fmt: skip
    edit_columns = [
        "due_on", "received_on", "opening_balance", "income", "expenses", "closing_balance", "quitus_signed", "bank_statement",
        "subsidies_proofs", "anomalies",
    ]  # fmt: skip
    search_columns = ["status", "sector", "cooperative", "received_on", "due_on"]
    extra_search_filters = {"status": CrfsStatusFilter, "sector": CooperativeSectorFilter}
    text_search_relations = {"cooperative": "affiliation_number"}
    order_columns = ["cooperative.affiliation_number", "due_on", "received_on", "income", "expenses", "closing_balance"]
    base_order = ("cooperative.affiliation_number", "asc")
    formatters_columns = {
        "due_on": french_date,
        "received_on": french_date,
        "opening_balance": money,
        "income": money,
        "expenses": money,
        "closing_balance": money,
        "quitus_signed": yes_no,
        "bank_statement": yes_no,
        "subsidies_proofs": choice_label(SUBSIDIES_CHOICES),
        "balance_warning": lambda value: value or gettext("Solde cohérent"),
    }
    description_columns = {
        "received_on": _("Vide tant que le CRFS n'est pas arrivé."),
        "closing_balance": _("Doit égaler solde de début + recettes − dépenses ; un écart est signalé."),
        "subsidies_proofs": _("« Sans objet » quand la coopérative n'a reçu aucune subvention dans l'année."),
    }
    validators_columns = {
        "income": [NumberRange(min=0, message=_("Un montant positif ou nul."))],
        "expenses": [NumberRange(min=0, message=_("Un montant positif ou nul."))],
    }
    # amounts typed the French way (« 1 250,50 »), as on the aid and sales forms
    amount_fields = {
        "opening_balance": lambda: EuroField(_("Solde de début"), [Optional()]),
        "income": lambda: EuroField(_("Recettes"), [Optional(), NumberRange(min=0, message=_("Un montant positif ou nul."))]),
        "expenses": lambda: EuroField(_("Dépenses"), [Optional(), NumberRange(min=0, message=_("Un montant positif ou nul."))]),
        "closing_balance": lambda: EuroField(_("Solde de fin"), [Optional()]),
    }
    add_form_extra_fields = {
        **{name: make() for name, make in amount_fields.items()},
        "cooperative": QuerySelectField(
            _("Coopérative"), query_func=_cooperatives, get_pk_func=lambda item: item.id, widget=Select2Widget(), allow_blank=True,
            validators=[DataRequired(message=_("Choisissez la coopérative.")), _one_crfs_per_year],
        ),
        "received_on": DateField(_("Reçu le"), validators=[Optional(), _not_in_future]),
        "subsidies_proofs": SelectField(_("Justificatifs de subventions"), choices=list(SUBSIDIES_CHOICES.items()), default=SUBSIDIES_NO),
        "quitus_signed": BooleanField(_("Quitus signé par le mandataire et deux vérificateurs")),
        "bank_statement": BooleanField(_("Relevé bancaire d'août")),
    }
    edit_form_extra_fields = {
        **{name: make() for name, make in amount_fields.items()},
        "received_on": DateField(_("Reçu le"), validators=[Optional(), _not_in_future]),
        "due_on": DateField(_("Attendu le"), validators=[DataRequired(message=_("Indiquez la date attendue."))]),
        "subsidies_proofs": SelectField(_("Justificatifs de subventions"), choices=list(SUBSIDIES_CHOICES.items())),
        "quitus_signed": BooleanField(_("Quitus signé par le mandataire et deux vérificateurs")),
        "bank_statement": BooleanField(_("Relevé bancaire d'août")),
    }
    search_form_extra_fields = {
        "status": SelectField(_("Statut"), choices=list(STATUSES.items())),
        "sector": QuerySelectField(_("Secteur"), query_func=_sectors, get_pk_func=lambda item: item.id, widget=Select2Widget()),
    }

    def pre_add(self, item: Crfs) -> None:
        year = campaign_year()
        if year is None:
            viewed = viewed_year()
            year = get_or_create_year(previous_label(viewed.label))
        item.school_year_id = year.id
        item.school_year = year
        item.due_on = item.due_on or due_date_for(year)

    def render_template(self, template, **kwargs):
        if template == self.show_template and kwargs.get("pk") is not None:
            report = self.datamodel.get(kwargs["pk"], self._base_filters)
            if report is not None:
                kwargs.update(report=report)
        return super().render_template(template, **kwargs)


# --- reception ---------------------------------------------------------------------


class ReceptionForm(FlaskForm):
    received_on = DateField(_("Reçu le"), validators=[DataRequired(message=_("Indiquez la date de réception du CRFS."))])
    quitus_signed = BooleanField(_("Quitus signé par le mandataire et deux vérificateurs"))
    bank_statement = BooleanField(_("Relevé bancaire d'août"))
    subsidies_proofs = SelectField(_("Justificatifs de subventions"), choices=list(SUBSIDIES_CHOICES.items()), default=SUBSIDIES_NO)


class CrfsReceptionView(BaseView):
    """« Enregistrer la réception » of a cooperative's CRFS for the campaign: date and checklist."""

    route_base = "/crfs/reception"
    default_view = "form"
    base_permissions = ["can_receive"]
    method_permission_name = {"form": "receive"}

    @expose("/<int:cooperative_id>", methods=["GET", "POST"])
    @has_access
    def form(self, cooperative_id: int):
        cooperative = db.session.get(Cooperative, cooperative_id) or abort(404)
        year = campaign_year()
        if year is None:
            flash(gettext("L'année scolaire précédente n'existe pas dans la console : aucun CRFS n'est attendu."), "warning")
            return redirect(url_for("CrfsMissingView.page"))
        report = service.crfs_of(cooperative.id, year)
        form = ReceptionForm()
        if request.method == "GET":
            form.received_on.data = (report.received_on if report else None) or date.today()
            if report is not None:
                form.quitus_signed.data = report.quitus_signed
                form.bank_statement.data = report.bank_statement
                form.subsidies_proofs.data = report.subsidies_proofs
        problem = None
        if request.method == "POST" and form.validate():
            report = report or service.get_or_create_crfs(cooperative, year)
            try:
                service.record_reception(
                    report,
                    form.received_on.data,
                    quitus_signed=form.quitus_signed.data,
                    bank_statement=form.bank_statement.data,
                    subsidies_proofs=form.subsidies_proofs.data,
                )
            except service.CrfsRefused as exc:
                db.session.rollback()
                problem = str(exc)
            else:
                flash(
                    gettext("Réception du CRFS %(year)s de la coopérative %(coop)s enregistrée (%(status)s).", year=year.label, coop=cooperative.affiliation_number, status=report.status_label),
                    "success",
                )
                return redirect(url_for("CrfsView.show", pk=report.id))
        return self.render_template("occe/accounts/reception.html", form=form, cooperative=cooperative, year=year, report=report, problem=problem)


# --- missing and late, reminders ---------------------------------------------------


class CrfsMissingView(BaseView):
    """Cooperatives whose CRFS of the campaign has not arrived, or arrived late; reminders to the missing ones."""

    route_base = "/crfs/manquants"
    default_view = "page"
    base_permissions = ["can_list", "can_remind"]
    method_permission_name = {"page": "list", "preview": "remind", "remind": "remind"}

    def _chosen(self, year):
        ids = {int(value) for value in request.form.getlist("cooperative_id") if value.isdigit()}
        missing, _late = service.missing_and_late(year)
        return [row.cooperative for row in missing if row.cooperative.id in ids]

    @expose("/")
    @has_access
    def page(self):
        year = campaign_year()
        missing, late = service.missing_and_late(year) if year is not None else ([], [])
        today = date.today()
        return self.render_template(
            "occe/accounts/missing.html",
            year=year,
            viewed=viewed_year(),
            missing=missing,
            late=late,
            due_on=due_date_for(year) if year is not None else None,
            overdue=year is not None and due_date_for(year) < today,
            may_receive=self.appbuilder.sm.has_access("can_receive", "CrfsReceptionView"),
            may_remind=self.appbuilder.sm.has_access("can_remind", "CrfsMissingView"),
        )

    @expose("/apercu", methods=["POST"])
    @has_access
    def preview(self):
        from app.accounts.reminders import preview_reminders
        from app.mail.rendering import MailTemplateError

        year = campaign_year() or abort(404)
        cooperatives = self._chosen(year)
        if not cooperatives:
            flash(gettext("Cochez au moins une coopérative sans CRFS."), "warning")
            return redirect(url_for("CrfsMissingView.page"))
        try:
            preview = preview_reminders(cooperatives, year)
        except MailTemplateError as exc:
            flash(str(exc), "danger")
            return redirect(url_for("CrfsMissingView.page"))
        return self.render_template("occe/accounts/remind_preview.html", preview=preview, cooperatives=cooperatives, year=year)

    @expose("/relancer", methods=["POST"])
    @has_access
    def remind(self):
        from app.accounts.reminders import send_reminders

        year = campaign_year() or abort(404)
        cooperatives = self._chosen(year)
        if not cooperatives:
            flash(gettext("Cochez au moins une coopérative sans CRFS."), "warning")
            return redirect(url_for("CrfsMissingView.page"))
        queued, without_address = send_reminders(cooperatives, year, g.user.id)
        if queued:
            flash(gettext("%(count)s relance(s) mise(s) dans la file d'envoi.", count=queued), "success")
        for cooperative in without_address:
            flash(gettext("Pas d'adresse électronique pour le ou la mandataire de la coopérative %(coop)s : relancez-la par téléphone.", coop=cooperative.affiliation_number), "warning")
        return redirect(url_for("CrfsMissingView.page"))


# --- account checks --------------------------------------------------------------------


def _campaign_reports() -> list[Crfs]:
    year_id = campaign_year_id()
    query = select(Crfs).join(Cooperative, Crfs.cooperative_id == Cooperative.id).filter(Crfs.school_year_id == year_id)
    return list(db.session.execute(query.order_by(Cooperative.affiliation_number)).scalars().unique())


def _visit_after_request(form, field) -> None:
    requested = form.requested_on.data if "requested_on" in form else None
    if field.data and requested and field.data < requested:
        raise ValidationError(gettext("La date ne peut pas précéder la demande."))


def _crfs_of_same_cooperative(form, field) -> None:
    report = field.data
    cooperative = form.cooperative.data if "cooperative" in form else None
    if report is not None and cooperative is not None and report.cooperative_id != cooperative.id:
        raise ValidationError(gettext("Ce CRFS est celui d'une autre coopérative."))


class AccountCheckView(ExportableModelView):
    """Account checks of the viewed year."""

    datamodel = AccountsInterface(AccountCheck)
    route_base = "/verifications"
    list_title = _("Vérifications des comptes")
    show_title = _("Vérification des comptes")
    add_title = _("Nouvelle vérification des comptes")
    edit_title = _("Modifier une vérification des comptes")
    base_filters = [["school_year_id", FilterEqualFunction, viewed_year_id]]
    label_columns = {
        "cooperative": _("Coopérative"),
        "cooperative.affiliation_number": _("N° d'affiliation"),
        "school_year": _("Année scolaire"),
        "origin": _("Origine"),
        "crfs": _("CRFS concerné"),
        "requested_on": _("Demandée le"),
        "visit_on": _("Visite le"),
        "visited_by": _("Vérifiée par"),
        "advice": _("Conseils donnés"),
        "documents_sent": _("Documents envoyés"),
        "outcome": _("Conclusion"),
        "outcome_notes": _("Précisions sur la conclusion"),
        "closed_on": _("Close le"),
    }
    list_columns = ["cooperative.affiliation_number", "cooperative", "origin", "requested_on", "visit_on", "visited_by", "outcome", "closed_on"]
    export_columns = [
        "cooperative.affiliation_number", "origin", "requested_on", "visit_on", "visited_by", "advice", "documents_sent", "outcome",
        "outcome_notes", "closed_on",
    ]  # fmt: skip
    show_columns = [
        "cooperative", "school_year", "origin", "crfs", "requested_on", "visit_on", "visited_by", "advice", "documents_sent", "outcome",
        "outcome_notes", "closed_on",
    ]  # fmt: skip
    add_columns = edit_columns = [
        "cooperative", "origin", "crfs", "requested_on", "visit_on", "visited_by", "advice", "documents_sent", "outcome", "outcome_notes", "closed_on",
    ]  # fmt: skip
    search_columns = ["cooperative", "origin", "outcome", "requested_on", "visit_on", "closed_on", "visited_by"]
    text_search_relations = {"cooperative": "affiliation_number"}
    choice_search_columns = {"origin": ORIGINS, "outcome": OUTCOMES}
    order_columns = ["cooperative.affiliation_number", "origin", "requested_on", "visit_on", "outcome", "closed_on"]
    base_order = ("requested_on", "desc")
    formatters_columns = {
        "origin": choice_label(ORIGINS),
        "outcome": choice_label(OUTCOMES),
        "requested_on": french_date,
        "visit_on": french_date,
        "closed_on": french_date,
    }
    description_columns = {
        "crfs": _("Le CRFS lu avant la vérification, s'il y en a un (campagne de l'année consultée)."),
        "visited_by": _("Le ou la membre de l'équipe ou le vérificateur bénévole."),
        "closed_on": _("Vide tant que la vérification est en cours."),
    }
    add_form_extra_fields = edit_form_extra_fields = {
        "cooperative": QuerySelectField(
            _("Coopérative"), query_func=_cooperatives, get_pk_func=lambda item: item.id, widget=Select2Widget(), allow_blank=True,
            validators=[DataRequired(message=_("Choisissez la coopérative."))],
        ),
        "crfs": QuerySelectField(
            _("CRFS concerné"), query_func=_campaign_reports, get_pk_func=lambda item: item.id, widget=Select2Widget(), allow_blank=True,
            validators=[Optional(), _crfs_of_same_cooperative],
        ),
        "origin": SelectField(_("Origine"), choices=list(ORIGINS.items()), validators=[DataRequired()]),
        "outcome": SelectField(_("Conclusion"), choices=list(OUTCOMES.items()), validators=[DataRequired()]),
        "requested_on": DateField(_("Demandée le"), default=date.today, validators=[DataRequired(message=_("Indiquez la date de la demande."))]),
        "visit_on": DateField(_("Visite le"), validators=[Optional(), _visit_after_request]),
        "closed_on": DateField(_("Close le"), validators=[Optional(), _visit_after_request]),
        "visited_by": StringField(_("Vérifiée par"), validators=[Optional()]),
    }

    def pre_add(self, item: AccountCheck) -> None:
        year = viewed_year()
        item.school_year_id = year.id if year else None

    def _get_add_widget(self, form, exclude_cols=None, widgets=None):
        # « Ajouter une vérification » from a cooperative's page comes with ?cooperative=<id>
        if request.method == "GET" and request.args.get("cooperative", "").isdigit():
            form.cooperative.data = db.session.get(Cooperative, int(request.args["cooperative"]))
            crfs_id = request.args.get("crfs", "")
            if crfs_id.isdigit():
                form.crfs.data = db.session.get(Crfs, int(crfs_id))
                form.origin.data = "crfs"
        return super()._get_add_widget(form, exclude_cols=exclude_cols, widgets=widgets)
