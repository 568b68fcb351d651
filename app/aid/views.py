"""The financial aid's French pages: requests of the viewed year, the commission, payment and report."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask import abort, flash, g, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_appbuilder.fields import QuerySelectField
from flask_appbuilder.fieldwidgets import Select2Widget
from flask_appbuilder.models.sqla.filters import FilterEqualFunction
from flask_babel import gettext
from flask_babel import lazy_gettext as _
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Optional, ValidationError

from app.aid import service
from app.aid.models import (
    AWAITING_DECISION,
    DECISIONS,
    GRANTED,
    KINDS,
    PAID,
    PAYMENT_METHODS,
    RECEIVED,
    STATUSES,
    AidRequest,
)
from app.datamodel import OcceSQLAInterface
from app.directory.models import Sector
from app.extensions import db
from app.money import EuroField, parse_amount
from app.uploads.fields import UploadField
from app.uploads.kinds import DOCUMENTS
from app.uploads.views import UploadsMixin, file_link
from app.views import ExportableModelView, choice_label, french_date, input_error
from app.years.context import viewed_year


def viewed_year_id() -> int | None:
    year = viewed_year()
    return year.id if year else None


def _money(value) -> str:
    return service.money(value)


def _stale() -> str:
    return gettext(
        "Cette demande a été modifiée par quelqu'un d'autre depuis que vous l'avez ouverte : rien n'a été enregistré. "
        "Vérifiez la fiche à jour ci-dessous, puis enregistrez à nouveau."
    )


# --- form validators (FAB's add/edit forms) -----------------------------------


def _requested_amount(form, field) -> None:
    """More than zero, two decimals at most, never below the amount already granted."""
    value = field.data
    if value is None:
        return
    if value <= 0:
        raise ValidationError(gettext("Le montant demandé doit être supérieur à zéro."))
    if value >= Decimal("100000000"):
        raise ValidationError(gettext("Le montant demandé est trop élevé."))
    if value != value.quantize(Decimal("0.01")):
        raise ValidationError(gettext("Le montant demandé : deux décimales au plus (les centimes)."))
    pk = (request.view_args or {}).get("pk")
    item = db.session.get(AidRequest, int(pk)) if pk and str(pk).isdigit() else None
    if item is not None and item.amount_granted is not None and value < item.amount_granted:
        raise input_error(
            gettext(
                "Le montant demandé (%(requested)s) ne peut pas être inférieur au montant déjà accordé (%(granted)s).",
                requested=_money(value),
                granted=_money(item.amount_granted),
            )
        )


def _classroom_of_the_school(form, field) -> None:
    classroom = field.data
    cooperative = form.cooperative.data if "cooperative" in form else None
    if classroom is None or cooperative is None:
        return
    try:
        service.check_classroom(cooperative, None, classroom)
    except service.AidRefused as refusal:
        raise input_error(str(refusal)) from None
    if classroom.school_year_id != viewed_year_id():
        raise ValidationError(gettext("Choisissez une classe de l'année scolaire affichée."))


class AidRequestView(UploadsMixin, ExportableModelView):
    """Aid requests of the viewed year; totals of the filtered rows above the list; payment and report on the record."""

    datamodel = OcceSQLAInterface(AidRequest)
    list_title = _("Demandes d'aide financière")
    show_title = _("Demande d'aide financière")
    add_title = _("Enregistrer une demande d'aide")
    edit_title = _("Modifier une demande d'aide")
    list_template = "occe/aid/request_list.html"
    show_template = "occe/aid/request_show.html"
    base_filters = [["school_year_id", FilterEqualFunction, viewed_year_id]]
    base_permissions = ["can_list", "can_show", "can_add", "can_edit", "can_delete", "can_export", "can_pay", "can_report", "can_download"]
    upload_fields = {
        "request_upload": ("request_file", "Dossier de demande", DOCUMENTS),
        "budget_upload": ("budget_file", "Budget du projet (ou devis)", DOCUMENTS),
    }
    label_columns = {
        "school_year": _("Année scolaire"),
        "cooperative": _("Coopérative"),
        "cooperative.affiliation_number": _("Coopérative"),
        "cooperative.school.name": _("École"),
        "sector": _("Secteur"),
        "sector.name": _("Secteur"),
        "classroom": _("Classe"),
        "kind": _("Type d'aide"),
        "project_title": _("Projet"),
        "project_description": _("Description du projet"),
        "amount_requested": _("Montant demandé"),
        "received_on": _("Reçue le"),
        "request_file": _("Dossier de demande"),
        "budget_file": _("Budget du projet (ou devis)"),
        "status": _("Statut"),
        "commission_on": _("Date de la commission"),
        "amount_granted": _("Montant accordé"),
        "decision_note": _("Motif ou remarque de la commission"),
        "paid_on": _("Versée le"),
        "amount_paid": _("Montant versé"),
        "payment_method": _("Mode de versement"),
        "report_received_on": _("Bilan reçu le"),
        "report_file": _("Bilan du projet"),
        "report_note": _("Remarques sur le bilan"),
        "crfs": _("CRFS"),
    }
    list_columns = [
        "received_on", "cooperative.affiliation_number", "sector.name", "project_title", "kind", "amount_requested", "amount_granted",
        "amount_paid", "status", "crfs",
    ]  # fmt: skip
    export_columns = [
        "received_on", "cooperative.affiliation_number", "sector.name", "project_title", "kind", "amount_requested", "status",
        "commission_on", "amount_granted", "paid_on", "amount_paid", "payment_method", "report_received_on",
    ]  # fmt: skip
    show_columns = [
        "school_year", "cooperative", "sector", "classroom", "kind", "project_title", "project_description", "amount_requested", "received_on",
        "status", "commission_on", "amount_granted", "decision_note", "paid_on", "amount_paid", "payment_method", "report_received_on",
        "report_note",
    ]  # fmt: skip
    add_columns = edit_columns = [
        "cooperative", "classroom", "kind", "project_title", "project_description", "amount_requested", "received_on", "request_file", "budget_file",
    ]  # fmt: skip
    search_columns = ["status", "kind", "sector", "cooperative", "project_title", "received_on", "commission_on", "paid_on"]
    text_search_relations = {"cooperative": "affiliation_number"}
    choice_search_columns = {"status": STATUSES, "kind": KINDS}
    order_columns = ["received_on", "cooperative.affiliation_number", "sector.name", "project_title", "amount_requested", "amount_granted", "amount_paid", "status"]
    base_order = ("received_on", "desc")
    formatters_columns = {
        "status": choice_label(STATUSES),
        "kind": choice_label(KINDS),
        "payment_method": choice_label(PAYMENT_METHODS),
        "amount_requested": _money,
        "amount_granted": _money,
        "amount_paid": _money,
        "received_on": french_date,
        "commission_on": french_date,
        "paid_on": french_date,
        "report_received_on": french_date,
        "crfs": lambda cooperative_id: _crfs_cell(cooperative_id),
        "classroom": lambda classroom: str(classroom) if classroom else "—",
        "project_description": lambda text: text or "",
        "decision_note": lambda text: text or "",
        "report_note": lambda text: text or "",
    }
    description_columns = {
        "amount_requested": _("En euros, par exemple 350,00."),
        "classroom": _("Facultatif : la classe porteuse du projet (année affichée)."),
    }
    validators_columns = {
        "cooperative": [DataRequired(message=_("Choisissez la coopérative qui demande l'aide."))],
        "project_title": [DataRequired(message=_("Indiquez l'intitulé du projet."))],
        "received_on": [DataRequired(message=_("Indiquez la date de réception de la demande."))],
        "classroom": [_classroom_of_the_school],
    }
    search_form_extra_fields = {
        "sector": QuerySelectField(_("Secteur"), query_func=lambda: _sectors(), get_pk_func=lambda item: item.id, widget=Select2Widget()),
    }
    add_form_query_rel_fields = edit_form_query_rel_fields = {"classroom": [["school_year_id", FilterEqualFunction, viewed_year_id]]}
    add_form_extra_fields = edit_form_extra_fields = {
        "kind": SelectField(_("Type d'aide"), choices=list(KINDS.items()), validators=[DataRequired()]),
        "amount_requested": EuroField(
            _("Montant demandé"),
            description=_("En euros, par exemple 350,00."),
            validators=[InputRequired(message=_("Indiquez le montant demandé en euros (par exemple 350,00).")), _requested_amount],
        ),
    }

    def _upload_attributes(self) -> set[str]:
        # the project's report is uploaded with the report form (show page), downloaded like the others
        return super()._upload_attributes() | {"report_file"}

    # --- saving ------------------------------------------------------------

    def pre_add(self, item: AidRequest) -> None:
        year = viewed_year()
        if year is None:
            raise service.AidRefused(gettext("Aucune année scolaire n'est ouverte : ouvrez-en une avant d'enregistrer une demande."))
        item.school_year_id = year.id
        item.status = RECEIVED
        item.sector_id = item.cooperative.sector_id if item.cooperative is not None else None

    def pre_update(self, item: AidRequest) -> None:
        item.sector_id = item.cooperative.sector_id if item.cooperative is not None else item.sector_id

    def pre_delete(self, item: AidRequest) -> None:
        if item.status not in AWAITING_DECISION:
            raise service.AidRefused(
                gettext("Seule une demande sur laquelle la commission n'a pas encore statué peut être supprimée (statut actuel : %(status)s).", status=item.status_label)
            )

    # --- list: totals and the CRFS column ------------------------------------

    def _get_list_widget(self, filters, **kwargs):
        widgets = super()._get_list_widget(filters, **kwargs)
        # FAB's values come as a generator: read once here, handed back as a list
        values = list(widgets["list"].template_args.get("value_columns") or [])
        widgets["list"].template_args["value_columns"] = values
        g.occe_aid_crfs = service.crfs_missing([row.get("crfs") for row in values], viewed_year())
        return widgets

    def render_template(self, template, **kwargs):
        if template == self.list_template:
            kwargs["aid_totals"] = service.totals(query=self.export_query())
            kwargs["money"] = _money
        return super().render_template(template, **kwargs)

    # --- the record, with the payment and report forms -------------------------------

    def _item_or_404(self, pk) -> AidRequest:
        return self.datamodel.get(pk, self._base_filters) or abort(404)

    def _render_show(self, pk, *, payment_form=None, report_form=None, problem: str | None = None):
        item = self._item_or_404(pk)
        widgets = self._show(pk)
        if payment_form is None:
            payment_form = PaymentForm(formdata=None, amount=str(item.amount_granted or "").replace(".", ","), paid_on=date.today(), version=item.version)
        if report_form is None:
            report_form = ReportForm(formdata=None, received_on=date.today(), version=item.version)
        sm = self.appbuilder.sm
        return self.render_template(
            self.show_template,
            pk=pk,
            title=self.show_title,
            widgets=widgets,
            related_views=self._related_views,
            aid=item,
            crfs_warning=service.crfs_warning(item.cooperative_id, item.school_year),
            files=[(str(self.label_columns[attr]), file_link(self.__class__.__name__, item, attr)) for attr in ("request_file", "budget_file", "report_file")],
            payment_form=payment_form if item.status == GRANTED and sm.has_access("can_pay", self.class_permission_name) else None,
            report_form=report_form if item.status == PAID and sm.has_access("can_report", self.class_permission_name) else None,
            may_decide=item.status in AWAITING_DECISION and sm.has_access("can_decide", "AidCommissionView"),
            problem=problem,
            money=_money,
        )

    @expose("/show/<pk>", methods=["GET"])
    @has_access
    def show(self, pk):
        return self._render_show(self._deserialize_pk_if_composite(pk))

    @expose("/versement/<int:pk>", methods=["POST"])
    @has_access
    def pay(self, pk):
        item = self._item_or_404(pk)
        form = PaymentForm()
        problem = None
        if not form.validate():
            problem = gettext("Le versement n'a pas été enregistré : corrigez les champs signalés.")
        elif str(form.version.data) != str(item.version):
            problem = _stale()
        else:
            try:
                service.pay(item, parse_amount(form.amount.data), form.paid_on.data, form.method.data)
            except service.AidRefused as refusal:
                db.session.rollback()
                problem = str(refusal)
            else:
                flash(gettext("Versement de %(amount)s enregistré.", amount=_money(item.amount_paid)), "success")
                return redirect(url_for(f"{self.__class__.__name__}.show", pk=pk))
        return self._render_show(pk, payment_form=form, problem=problem)

    @expose("/bilan/<int:pk>", methods=["POST"])
    @has_access
    def report(self, pk):
        from app.uploads.service import UploadRefused, store

        item = self._item_or_404(pk)
        form = ReportForm()
        problem = None
        if not form.validate():
            problem = gettext("Le bilan n'a pas été enregistré : corrigez les champs signalés.")
        elif str(form.version.data) != str(item.version):
            problem = _stale()
        else:
            try:
                stored = store(form.report_upload.data, DOCUMENTS, user_id=g.user.id) if form.report_upload.data and form.report_upload.data.filename else None
                service.record_report(item, form.received_on.data, form.note.data, report_file=stored)
            except (service.AidRefused, UploadRefused) as refusal:
                db.session.rollback()
                problem = str(refusal)
            else:
                flash(gettext("Bilan du projet enregistré."), "success")
                return redirect(url_for(f"{self.__class__.__name__}.show", pk=pk))
        return self._render_show(pk, report_form=form, problem=problem)


def _sectors() -> list[Sector]:
    """The search form's sectors in one statement (FAB's own field counts them first)."""
    from sqlalchemy import select

    return list(db.session.execute(select(Sector).order_by(Sector.name)).scalars())


def _crfs_cell(cooperative_id) -> str:
    """« Reçu » or « Manquant (2024-2025) », from the page's single query (see AidRequestView._get_list_widget)."""
    label, missing = g.get("occe_aid_crfs", (None, set()))
    if cooperative_id in missing:
        return gettext("Manquant (%(year)s)", year=label)
    return gettext("Reçu") if label else "—"


class PaymentForm(FlaskForm):
    amount = StringField(_("Montant versé (€)"), validators=[DataRequired(message=_("Indiquez le montant versé en euros."))])
    paid_on = DateField(_("Versée le"), validators=[DataRequired(message=_("Indiquez la date du versement (jj/mm/aaaa)."))])
    method = SelectField(_("Mode de versement"), choices=list(PAYMENT_METHODS.items()), validators=[DataRequired()])
    version = HiddenField()


class ReportForm(FlaskForm):
    received_on = DateField(_("Bilan reçu le"), validators=[DataRequired(message=_("Indiquez la date de réception du bilan (jj/mm/aaaa)."))])
    note = TextAreaField(_("Remarques sur le bilan"), validators=[Optional()])
    report_upload = UploadField(_("Bilan du projet (fichier)"), attribute="report_file", accepted=DOCUMENTS)
    version = HiddenField()


class DecisionForm(FlaskForm):
    decision = SelectField(_("Décision"), choices=list(DECISIONS.items()), validators=[DataRequired()])
    amount = StringField(_("Montant accordé (€)"), validators=[Optional()])
    decided_on = DateField(_("Date de la commission"), validators=[DataRequired(message=_("Indiquez la date de la commission (jj/mm/aaaa)."))])
    note = TextAreaField(_("Motif ou remarque"), validators=[Optional()])
    notify = BooleanField(_("Prévenir le ou la mandataire par courriel"))
    version = HiddenField()


class AidCommissionView(BaseView):
    """The commission's page: every request of the viewed year awaiting decision, its CRFS, a decision form each."""

    route_base = "/aides/commission"
    default_view = "page"
    base_permissions = ["can_list", "can_decide"]
    method_permission_name = {"page": "list", "decide": "decide"}

    def _render(self, forms: dict | None = None, problems: dict | None = None):
        year = viewed_year()
        pending = service.awaiting_decision(year) if year else []
        label, missing = service.crfs_missing([item.cooperative_id for item in pending], year)
        warnings = {cid: service.crfs_warning(cid, year) for cid in missing}
        forms = dict(forms or {})
        for item in pending:
            if item.id not in forms:
                forms[item.id] = DecisionForm(
                    formdata=None,
                    prefix=f"d{item.id}",
                    decided_on=date.today(),
                    amount=str(item.amount_requested).replace(".", ","),
                    notify=True,
                    version=item.version,
                )
        return self.render_template(
            "occe/aid/commission.html",
            year=year,
            pending=pending,
            warnings=warnings,
            forms=forms,
            problems=problems or {},
            may_decide=self.appbuilder.sm.has_access("can_decide", self.class_permission_name),
            kinds=KINDS,
            statuses=STATUSES,
            money=_money,
            totals=service.totals(year) if year else None,
        )

    @expose("/")
    @has_access
    def page(self):
        return self._render()

    @expose("/<int:pk>", methods=["POST"])
    @has_access
    def decide(self, pk: int):
        item = db.session.get(AidRequest, pk) or abort(404)
        form = DecisionForm(prefix=f"d{pk}")
        problem = None
        if not form.validate():
            problem = gettext("La décision n'a pas été enregistrée : corrigez les champs signalés.")
        elif str(form.version.data) != str(item.version):
            problem = _stale()
        else:
            amount = parse_amount(form.amount.data) if (form.amount.data or "").strip() else None
            if form.decision.data == GRANTED and amount is None:
                problem = gettext("Indiquez le montant accordé en euros (par exemple 350,00).")
            else:
                try:
                    service.decide(item, amount, form.decided_on.data, form.note.data, decision=form.decision.data)
                except service.AidRefused as refusal:
                    db.session.rollback()
                    problem = str(refusal)
                else:
                    flash(
                        gettext("%(request)s : %(status)s.", request=str(item), status=item.status_label)
                        + (" " + gettext("Montant accordé : %(amount)s.", amount=_money(item.amount_granted)) if item.status == GRANTED else ""),
                        "success",
                    )
                    if form.notify.data:
                        from app.aid.mails import notify_decision

                        if notify_decision(item, g.user.id):
                            flash(gettext("Courriel de décision mis dans la file d'envoi."), "info")
                        else:
                            flash(
                                gettext("Pas d'adresse électronique pour le ou la mandataire de la coopérative %(coop)s : prévenez-la autrement.", coop=item.cooperative.affiliation_number),
                                "warning",
                            )
                    return redirect(url_for("AidCommissionView.page"))
        if item.status not in AWAITING_DECISION or item.school_year_id != viewed_year_id():
            flash(problem, "danger")
            return redirect(url_for("AidCommissionView.page"))
        return self._render(forms={pk: form}, problems={pk: problem})
