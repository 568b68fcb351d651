"""The loans' French pages: items, loans (check-out and return with the checklist), booking, calendar, overdue."""

from __future__ import annotations

from datetime import date, timedelta

from flask import abort, flash, g, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_appbuilder.actions import action
from flask_babel import gettext
from flask_babel import lazy_gettext as _
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import BooleanField, DateField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Optional

from app.datamodel import OcceSQLAInterface
from app.directory.models import Classroom, Cooperative
from app.directory.search import SEARCH_LIMIT, find_cooperatives
from app.extensions import db
from app.loans import service
from app.loans.kinds import kind_choices, kind_label
from app.loans.models import CONDITIONS, STATUSES, Loan, LoanItem
from app.views import ExportableModelView, choice_label, french_date, yes_no
from app.years.context import viewed_year


class LoanItemView(ExportableModelView):
    datamodel = OcceSQLAInterface(LoanItem)
    list_title = _("Malles, ouvrages et kits prêtés")
    show_title = _("Article prêté")
    add_title = _("Ajouter un article au prêt")
    edit_title = _("Modifier un article")
    label_columns = {
        "kind": _("Type"),
        "code": _("Code"),
        "name": _("Nom"),
        "description": _("Description"),
        "checklist": _("Contenu (une ligne par élément)"),
        "condition": _("État"),
        "location": _("Rangement"),
        "active": _("Prêtable"),
        "bookings": _("Réservations"),
    }
    list_columns = ["code", "name", "kind", "condition", "location", "active"]
    show_columns = ["code", "name", "kind", "description", "checklist", "condition", "location", "active", "bookings"]
    add_columns = edit_columns = ["kind", "code", "name", "description", "checklist", "condition", "location", "active"]
    search_columns = ["code", "name", "kind", "condition", "location", "active"]
    order_columns = ["code", "name", "kind", "condition"]
    base_order = ("code", "asc")
    formatters_columns = {"kind": kind_label, "condition": choice_label(CONDITIONS), "active": yes_no}
    description_columns = {"checklist": _("Vérifié à la sortie et au retour : une ligne par élément (« 12 jeux de cartes », « livret »…).")}
    validators_columns = {"code": [DataRequired()], "name": [DataRequired()]}

    add_form_extra_fields = edit_form_extra_fields = {
        # choices computed at each form: the kinds come from the loaded modules
        "kind": SelectField(_("Type"), choices=kind_choices, validators=[DataRequired()]),
        "condition": SelectField(_("État"), choices=list(CONDITIONS.items()), validators=[DataRequired()]),
        "active": BooleanField(_("Prêtable"), default=True),
    }


class LoanView(ExportableModelView):
    """Loans; the show page checks items out and in against their checklist."""

    datamodel = OcceSQLAInterface(Loan)
    list_title = _("Prêts")
    show_title = _("Prêt")
    edit_title = _("Modifier un prêt")
    show_template = "occe/loan_show.html"
    base_permissions = ["can_list", "can_show", "can_edit", "can_export", "can_check_out", "can_check_in", "cancel"]
    label_columns = {
        "item": _("Article"),
        "item.code": _("Code"),
        "item.name": _("Article"),
        "cooperative": _("Coopérative"),
        "cooperative.affiliation_number": _("Coopérative"),
        "classroom": _("Classe"),
        "school_year": _("Année scolaire"),
        "starts_on": _("Départ"),
        "ends_on": _("Retour prévu"),
        "status": _("Statut"),
        "checked_out_on": _("Sorti le"),
        "checkout_checklist": _("Contenu au départ"),
        "returned_on": _("Rendu le"),
        "missing_on_return": _("Manquant au retour"),
        "return_condition": _("État au retour"),
        "reminded_on": _("Relancé le"),
        "notes": _("Notes"),
        "created_by": _("Réservé par"),
    }
    list_columns = ["item.code", "item.name", "cooperative.affiliation_number", "starts_on", "ends_on", "status"]
    show_columns = [
        "item", "cooperative", "classroom", "starts_on", "ends_on", "status", "checked_out_on", "checkout_checklist", "returned_on",
        "missing_on_return", "return_condition", "reminded_on", "notes", "created_by",
    ]  # fmt: skip
    edit_columns = ["notes"]
    search_columns = ["status", "item", "cooperative", "starts_on", "ends_on"]
    text_search_relations = {"item": "name", "cooperative": "affiliation_number"}
    order_columns = ["item.code", "cooperative.affiliation_number", "starts_on", "ends_on", "status"]
    base_order = ("starts_on", "desc")
    formatters_columns = {
        "status": choice_label(STATUSES),
        "return_condition": choice_label(CONDITIONS),
        "starts_on": french_date,
        "ends_on": french_date,
        "checked_out_on": french_date,
        "returned_on": french_date,
        "reminded_on": french_date,
    }

    def render_template(self, template, **kwargs):
        if template == self.show_template and kwargs.get("pk") is not None:
            loan = self.datamodel.get(kwargs["pk"], self._base_filters)
            if loan is not None:
                kwargs.update(loan=loan, conditions=CONDITIONS)
        return super().render_template(template, **kwargs)

    def _loan_or_404(self, pk) -> Loan:
        return self.datamodel.get(pk, self._base_filters) or abort(404)

    @expose("/sortie/<int:pk>", methods=["POST"])
    @has_access
    def check_out(self, pk):
        loan = self._loan_or_404(pk)
        try:
            missing = service.check_out(loan, request.form.getlist("present"))
        except service.LoanRefused as exc:
            flash(str(exc), "danger")
        else:
            flash(gettext("« %(item)s » est sorti.", item=loan.item.name), "success")
            if missing:
                flash(gettext("Manquant au départ : %(list)s.", list=", ".join(missing)), "warning")
        return redirect(url_for("LoanView.show", pk=pk))

    @expose("/retour/<int:pk>", methods=["POST"])
    @has_access
    def check_in(self, pk):
        loan = self._loan_or_404(pk)
        condition = request.form.get("condition", "bon")
        if condition not in CONDITIONS:
            abort(400)
        try:
            missing = service.return_loan(loan, request.form.getlist("present"), condition)
        except service.LoanRefused as exc:
            flash(str(exc), "danger")
        else:
            flash(gettext("« %(item)s » est rendu.", item=loan.item.name), "success")
            if missing:
                flash(gettext("Manquant au retour : %(list)s.", list=", ".join(missing)), "warning")
        return redirect(url_for("LoanView.show", pk=pk))

    @action("cancel", _("Annuler la réservation"), _("Annuler les réservations choisies ?"), "fa-ban")
    def cancel(self, items):
        items = items if isinstance(items, list) else [items]
        done = 0
        for loan in items:
            try:
                service.cancel(loan)
                done += 1
            except service.LoanRefused as exc:
                db.session.rollback()
                flash(f"{loan} : {exc}", "warning")
        if done:
            flash(gettext("%(count)s réservation(s) annulée(s).", count=done), "success")
        self.update_redirect()
        return redirect(self.get_redirect())


class BookingForm(FlaskForm):
    item_id = SelectField(_("Article"), coerce=int, validators=[DataRequired(message=_("Choisissez l'article."))])
    starts_on = DateField(_("Départ"), validators=[DataRequired(message=_("Indiquez la date de départ."))])
    ends_on = DateField(_("Retour prévu"), validators=[DataRequired(message=_("Indiquez la date de retour."))])
    classroom_id = SelectField(_("Classe"), coerce=int, validators=[Optional()])
    notes = TextAreaField(_("Notes"))


def _item_choices() -> list:
    """Items grouped by kind (``<optgroup>``): WTForms takes a dict {group: [(value, label)]}."""
    groups: dict[str, list] = {}
    for item in db.session.execute(select(LoanItem).filter(LoanItem.active.is_(True)).order_by(LoanItem.kind, LoanItem.code)).scalars():
        groups.setdefault(kind_label(item.kind), []).append((item.id, str(item)))
    return groups


class BookingView(BaseView):
    """Book an item for a cooperative: find the cooperative, then the item and the dates."""

    route_base = "/prets/reserver"
    default_view = "choose"
    base_permissions = ["can_book"]
    method_permission_name = {"choose": "book", "form": "book"}

    def _keep(self) -> dict:
        return {name: request.args[name] for name in ("item", "start") if request.args.get(name)}

    @expose("/")
    @has_access
    def choose(self):
        text = (request.args.get("q") or "").strip()
        return self.render_template(
            "occe/choose_cooperative.html",
            title=gettext("Réserver une malle, un ouvrage ou un kit"),
            target="BookingView.form",
            keep=self._keep(),
            text=text,
            found=find_cooperatives(text) if text else [],
            limit=SEARCH_LIMIT,
        )

    @expose("/<int:cooperative_id>", methods=["GET", "POST"])
    @has_access
    def form(self, cooperative_id: int):
        cooperative = db.session.get(Cooperative, cooperative_id) or abort(404)
        year = viewed_year()
        form = BookingForm()
        form.item_id.choices = _item_choices()
        classes = db.session.execute(select(Classroom).filter_by(school_id=cooperative.school_id, school_year_id=year.id).order_by(Classroom.name)).scalars()
        form.classroom_id.choices = [(0, gettext("— pour toute l'école —"))] + [(c.id, f"{c.name} ({c.levels})") for c in classes]
        if request.method == "GET":
            form.item_id.data = request.args.get("item", type=int)
            start = request.args.get("start")
            if start:
                form.starts_on.data = date.fromisoformat(start)
                form.ends_on.data = form.starts_on.data + timedelta(days=21)
        problem = None
        if request.method == "POST" and form.validate():
            item = db.session.get(LoanItem, form.item_id.data) or abort(404)
            classroom = db.session.get(Classroom, form.classroom_id.data) if form.classroom_id.data else None
            try:
                loan = service.book(item, cooperative, form.starts_on.data, form.ends_on.data, classroom=classroom, notes=form.notes.data or None, user_id=g.user.id)
            except service.LoanRefused as exc:
                db.session.rollback()
                problem = str(exc)
            except Exception as exc:  # a concurrent booking held the item: busy, nothing saved
                from sqlalchemy.exc import OperationalError

                if not isinstance(exc, OperationalError):
                    raise
                db.session.rollback()
                problem = gettext("Quelqu'un réserve cet article au même moment : vérifiez le calendrier puis enregistrez à nouveau. Rien n'a été enregistré.")
            else:
                flash(gettext("Réservation enregistrée : %(item)s du %(start)s au %(end)s.", item=str(item), start=french_date(loan.starts_on), end=french_date(loan.ends_on)), "success")
                return redirect(url_for("LoanView.show", pk=loan.id))
        return self.render_template("occe/booking_form.html", form=form, cooperative=cooperative, problem=problem)


class LoanCalendarView(BaseView):
    """Which item is out when: items as rows, six weeks of days as columns."""

    route_base = "/prets/calendrier"
    default_view = "page"
    base_permissions = ["can_list"]
    method_permission_name = {"page": "list"}

    @expose("/")
    @has_access
    def page(self):
        try:
            first = date.fromisoformat(request.args.get("debut", ""))
        except ValueError:
            first = date.today() - timedelta(days=date.today().weekday())
        kind = request.args.get("type") or None
        dates, rows = service.calendar(kind, first)
        return self.render_template(
            "occe/loan_calendar.html",
            dates=dates,
            rows=rows,
            kinds=kind_choices(),
            kind=kind,
            first=first,
            previous=first - timedelta(days=28),
            following=first + timedelta(days=28),
            today=date.today(),
        )


class OverdueView(BaseView):
    """Loans out past their return date, and the reminder to their cooperative."""

    route_base = "/prets/retards"
    default_view = "page"
    base_permissions = ["can_list", "can_remind"]
    method_permission_name = {"page": "list", "remind": "remind"}

    @expose("/")
    @has_access
    def page(self):
        return self.render_template("occe/loan_overdue.html", loans=service.overdue(), today=date.today())

    @expose("/relancer", methods=["POST"])
    @has_access
    def remind(self):
        from app.loans.reminders import send_reminders

        ids = [int(value) for value in request.form.getlist("loan_id") if value.isdigit()]
        loans = [loan for loan in service.overdue() if loan.id in ids]
        if not loans:
            flash(gettext("Cochez au moins un prêt en retard."), "warning")
            return redirect(url_for("OverdueView.page"))
        queued, without_address = send_reminders(loans, g.user.id)
        flash(gettext("%(count)s relance(s) mise(s) dans la file d'envoi.", count=queued), "success")
        for loan in without_address:
            flash(gettext("Pas d'adresse électronique pour la coopérative %(coop)s : relancez-la par téléphone.", coop=loan.cooperative.affiliation_number), "warning")
        return redirect(url_for("OverdueView.page"))
