"""The French pages of the Musée de Chevregny days: hub, selection, days, workshops, applications, timetables, transport aid."""

from __future__ import annotations

from flask import abort, flash, g, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_appbuilder.models.sqla.filters import FilterEqualFunction
from flask_babel import lazy_gettext as _
from sqlalchemy import select
from wtforms import TimeField
from wtforms.validators import DataRequired, InputRequired, NumberRange, Optional

from app.actions.models import STATUSES as REGISTRATION_STATUSES, Registration
from app.aid.models import STATUSES as AID_STATUSES
from app.actions.views import viewed_year_id
from app.datamodel import OcceSQLAInterface
from app.extensions import db
from app.money import money
from app.uploads.kinds import PDF_OR_IMAGE
from app.uploads.views import UploadsMixin, file_link
from app.views import ExportableModelView, choice_label, french_date, input_error
from app.years.context import viewed_year

from . import services
from .models import ChevregnyApplication, ChevregnyDay, ChevregnyWorkshop
from .rotation import PAUSE_LABEL, time_label

YEAR_FILTER = [["school_year_id", FilterEqualFunction, viewed_year_id]]


def _time(value) -> str:
    return f"{value.hour} h {value.minute:02d}" if value else ""


def _day_in_viewed_year(form, field) -> None:
    year = viewed_year()
    if field.data is not None and year is not None and not (year.start_date <= field.data <= year.end_date):
        raise input_error(f"Le {field.data:%d/%m/%Y} n'est pas dans l'année scolaire {year.label} (du {year.start_date:%d/%m/%Y} au {year.end_date:%d/%m/%Y}).")


class ChevregnyDayView(ExportableModelView):
    """The days at the museum of the viewed year; a new day gets the plan's six workshops."""

    datamodel = OcceSQLAInterface(ChevregnyDay)
    list_title = _("Journées au Musée de Chevregny")
    show_title = _("Journée au musée")
    add_title = _("Ajouter une journée au musée")
    edit_title = _("Modifier une journée au musée")
    base_filters = YEAR_FILTER
    label_columns = {
        "label": _("Journée"),
        "day": _("Date"),
        "capacity": _("Classes (capacité)"),
        "starts_at": _("Début du premier atelier"),
        "slot_minutes": _("Durée d'un atelier (minutes)"),
        "lunch_after_slot": _("Pause déjeuner après l'atelier n°"),
        "lunch_minutes": _("Durée de la pause déjeuner (minutes)"),
        "entry_price": _("Prix d'une entrée au musée (€)"),
        "notes": _("Notes"),
        "plan_link": _("Rotation et emplois du temps"),
        "school_year": _("Année scolaire"),
    }
    list_columns = ["label", "day", "capacity", "starts_at", "slot_minutes", "entry_price", "plan_link"]
    export_columns = ["label", "day", "capacity", "starts_at", "slot_minutes", "lunch_after_slot", "lunch_minutes", "entry_price"]
    show_columns = ["school_year", "label", "day", "capacity", "starts_at", "slot_minutes", "lunch_after_slot", "lunch_minutes", "entry_price", "notes", "plan_link"]
    add_columns = edit_columns = ["label", "day", "capacity", "starts_at", "slot_minutes", "lunch_after_slot", "lunch_minutes", "entry_price", "notes"]
    search_columns = ["label", "day"]
    order_columns = ["label", "day"]
    base_order = ("day", "asc")
    formatters_columns = {"day": french_date, "starts_at": _time, "entry_price": lambda value: money(value) if value is not None else "prix par défaut"}
    validators_columns = {
        "label": [DataRequired()],
        "day": [DataRequired(), _day_in_viewed_year],
        "capacity": [DataRequired(), NumberRange(min=1, max=12, message="Une journée accueille de 1 à 12 classes.")],
        "slot_minutes": [DataRequired(), NumberRange(min=10, max=180, message="Un atelier dure de 10 à 180 minutes.")],
        "lunch_after_slot": [Optional(), NumberRange(min=0, max=12, message="Indiquez après quel atelier (0 à 12) a lieu la pause déjeuner.")],
        "lunch_minutes": [Optional(), NumberRange(min=0, max=180, message="La pause déjeuner dure de 0 à 180 minutes.")],
        "entry_price": [Optional(), NumberRange(min=0, max=100, message="Le prix d'une entrée va de 0 à 100 €.")],
    }
    add_form_extra_fields = edit_form_extra_fields = {
        "starts_at": TimeField(_("Début du premier atelier"), validators=[DataRequired(message="Indiquez l'heure du premier atelier (par exemple 09:30).")]),
    }
    related_views = []  # the workshops are shown on the day's page (rotation)

    def pre_add(self, item: ChevregnyDay) -> None:
        item.school_year_id = viewed_year_id()
        if item.lunch_after_slot is None:
            item.lunch_after_slot = 0
        if item.lunch_minutes is None:
            item.lunch_minutes = 0

    def pre_update(self, item: ChevregnyDay) -> None:
        item.lunch_after_slot = item.lunch_after_slot or 0
        item.lunch_minutes = item.lunch_minutes or 0

    def post_add(self, item: ChevregnyDay) -> None:
        """Pre-fill the six default workshops (editable in « Ateliers des journées »)."""
        services.add_default_workshops(item)
        db.session.commit()

    def pre_delete(self, item: ChevregnyDay) -> None:
        taken = db.session.execute(select(ChevregnyApplication.id).filter_by(day_id=item.id).limit(1)).first()
        if taken:
            raise ValueError(f"« {item.label} » a des classes retenues : changez-les de journée avant de la supprimer.")
        for workshop in services.workshops_of(item):
            db.session.delete(workshop)


class ChevregnyWorkshopView(ExportableModelView):
    """The workshops of each day of the viewed year: name, leader (an animator, a museum guide...), place."""

    datamodel = OcceSQLAInterface(ChevregnyWorkshop)
    list_title = _("Ateliers des journées au musée")
    show_title = _("Atelier")
    add_title = _("Ajouter un atelier")
    edit_title = _("Modifier un atelier")
    base_filters = YEAR_FILTER
    label_columns = {"day": _("Journée"), "position": _("Ordre"), "name": _("Atelier"), "leader": _("Animé par"), "place": _("Lieu")}
    list_columns = ["day", "position", "name", "leader", "place"]
    show_columns = add_columns = edit_columns = ["day", "position", "name", "leader", "place"]
    search_columns = ["day", "name", "leader"]
    order_columns = ["position", "name", "leader"]
    base_order = ("position", "asc")
    validators_columns = {
        "day": [DataRequired()],
        "name": [DataRequired()],
        "position": [DataRequired(), NumberRange(min=1, max=12, message="L'ordre d'un atelier va de 1 à 12.")],
    }
    add_form_query_rel_fields = edit_form_query_rel_fields = {"day": YEAR_FILTER}

    def _complete(self, item: ChevregnyWorkshop) -> None:
        with db.session.no_autoflush:  # keep the form's version unflushed for the optimistic lock
            year_id = viewed_year_id()
        if item.day is None or item.day.school_year_id != year_id:
            raise ValueError("Choisissez une journée de l'année affichée.")
        item.school_year_id = item.day.school_year_id

    def pre_add(self, item: ChevregnyWorkshop) -> None:
        self._complete(item)

    def pre_update(self, item: ChevregnyWorkshop) -> None:
        self._complete(item)


def _quote_link(item) -> str:
    return file_link("ChevregnyApplicationView", item, "quote_file")


class ChevregnyApplicationView(UploadsMixin, ExportableModelView):
    """The classes that applied (once the selection has run): day, pupils and adults for the entries, bus quote, transport aid."""

    datamodel = OcceSQLAInterface(ChevregnyApplication)
    base_permissions = ["can_list", "can_show", "can_edit", "can_export", "can_download"]
    upload_fields = {"quote_upload": ("quote_file", "Devis du car (PDF ou image)", PDF_OR_IMAGE)}
    list_title = _("Classes candidates aux journées au musée")
    show_title = _("Candidature d'une classe")
    edit_title = _("Modifier la candidature d'une classe")
    base_filters = YEAR_FILTER
    label_columns = {
        "registration": _("Classe inscrite"),
        "classroom_name": _("Classe"),
        "school_name": _("École"),
        "status_label": _("Statut"),
        "day": _("Journée"),
        "pupils": _("Élèves"),
        "adults": _("Adultes"),
        "entries": _("Entrées au musée"),
        "transport_quote": _("Montant du devis du car (€)"),
        "quote_file": _("Devis du car"),
        "quote_upload": _("Devis du car (PDF ou image)"),
        "aid_label": _("Aide au transport"),
        "registration.status": _("Statut"),
        "aid_request.status": _("Aide au transport : statut"),
        "aid_request.amount_granted": _("Aide accordée (€)"),
        "aid_request.amount_paid": _("Aide versée (€)"),
        "override_points": _("Bonus manuel"),
        "override_reason": _("Motif du bonus"),
        "overridden_by": _("Bonus décidé par"),
        "overridden_at": _("Bonus décidé le"),
    }
    list_columns = ["classroom_name", "school_name", "status_label", "day", "pupils", "adults", "entries", "aid_label"]
    # exports read table columns only (one query, streamed): the class, its status and the aid come through their relations
    export_columns = [
        "registration", "registration.status", "day", "pupils", "adults", "transport_quote", "aid_request.status", "aid_request.amount_granted", "aid_request.amount_paid",
    ]  # fmt: skip
    show_columns = [
        "registration", "school_name", "status_label", "day", "pupils", "adults", "entries", "transport_quote", "quote_file", "aid_label",
        "override_points", "override_reason", "overridden_by", "overridden_at",
    ]  # fmt: skip
    edit_columns = ["day", "pupils", "adults", "transport_quote", "quote_file"]
    search_columns = ["day", "pupils"]
    order_columns = ["day", "pupils", "adults"]
    base_order = ("id", "asc")
    formatters_columns = {
        "transport_quote": money, "quote_file": lambda value: value.filename if value else "",
        "registration.status": choice_label(REGISTRATION_STATUSES), "aid_request.status": choice_label(AID_STATUSES),
    }  # fmt: skip
    validators_columns = {
        "pupils": [InputRequired(message="Indiquez le nombre d'élèves (1 au moins)."), NumberRange(min=1, max=40, message="Une classe compte de 1 à 40 élèves.")],
        "adults": [Optional(), NumberRange(min=0, max=20, message="Les adultes accompagnateurs vont de 0 à 20.")],
        "transport_quote": [Optional(), NumberRange(min=0, max=5000, message="Le devis du car va de 0 à 5 000 €.")],
    }
    edit_form_query_rel_fields = {"day": YEAR_FILTER}

    def pre_update(self, item: ChevregnyApplication) -> None:
        item.adults = item.adults or 0
        if item.day is not None:
            if item.day.school_year_id != item.school_year_id:
                raise ValueError("Choisissez une journée de la même année scolaire.")
            with db.session.no_autoflush:  # a flush here would store the form's version early (the optimistic lock needs it unflushed)
                others = [a for a in services.classes_of(item.day) if a.id != item.id]
            if len(others) >= (item.day.capacity or 0):
                raise ValueError(f"« {item.day.label} » est complète ({item.day.capacity} classes) : choisissez une autre journée.")


class ChevregnyView(BaseView):
    """The hub of the year's days: figures, selection, days' rotations, timetables and the transport aid requests."""

    route_base = "/chevregny"
    default_view = "page"
    base_permissions = ["can_list", "can_select", "can_aid", "can_timetable"]
    method_permission_name = {
        "page": "list", "selection": "list", "day": "list", "override": "select", "retain": "select", "aids": "aid", "timetables": "timetable",
    }  # fmt: skip

    def _action(self):
        return services.action_of(viewed_year())

    def _day_or_404(self, pk: int) -> ChevregnyDay:
        day = db.session.get(ChevregnyDay, pk)
        if day is None or day.school_year_id != viewed_year_id():
            abort(404)
        return day

    @expose("/")
    @has_access
    def page(self):
        year = viewed_year()
        days = [(day, services.entries_of(day), len(services.classes_of(day))) for day in services.days_of(year)]
        return self.render_template(
            "chevregny/page.html", year=year, action=self._action(), figures=services.figures(year), days=days, money=money, french_date=french_date,
            applications=services.retained_applications(year),
        )  # fmt: skip

    def _selection_page(self, action, typed: dict | None = None, error: str | None = None, status: int = 200):
        rows = services.selection(action) if action is not None else []
        rules = [("never_helped", "Jamais accompagnée"), ("whole_team", "Équipe entière"), ("sector", "Secteur"), ("override", "Décision manuelle")]
        page = self.render_template(
            "chevregny/selection.html", year=viewed_year(), action=action, rows=rows, rules=rules, typed=typed or {}, error=error,
            days=services.days_of(viewed_year()),
        )  # fmt: skip
        return page, status

    @expose("/selection")
    @has_access
    def selection(self):
        return self._selection_page(self._action())

    @expose("/selection/bonus/<int:registration_id>", methods=["POST"])
    @has_access
    def override(self, registration_id: int):
        action = self._action()
        registration = db.session.get(Registration, registration_id)
        if action is None or registration is None or registration.action_id != action.id:
            abort(404)
        raw_points, reason = request.form.get("points", "").strip(), request.form.get("reason", "")
        try:
            points = int(raw_points or "0")
        except ValueError:
            error = f"« {raw_points} » n'est pas un nombre entier de points (par exemple 20 ou -10)."
            return self._selection_page(action, {registration_id: (raw_points, reason)}, error, 400)
        try:
            services.override(registration, points, reason, g.user.id)
        except services.SelectionRefused as exc:
            db.session.rollback()
            return self._selection_page(action, {registration_id: (raw_points, reason)}, str(exc), 400)
        flash(f"Classement modifié pour la classe {registration.classroom.name if registration.classroom else registration_id} : {points:+d} points.", "success")
        return redirect(url_for("ChevregnyView.selection"))

    @expose("/selection/retenir", methods=["GET", "POST"])
    @has_access
    def retain(self):
        """GET: what « Retenir » will do (confirmation); POST (CSRF-checked by the app): do it."""
        action = self._action()
        if action is None:
            abort(404)
        try:
            plan = services.retain(action, g.user.id) if request.method == "POST" else services.plan_retain(action)
        except (services.SelectionRefused, ValueError) as exc:
            db.session.rollback()
            flash(str(exc), "danger")
            return redirect(url_for("ChevregnyView.selection"))
        if request.method == "POST":
            flash(f"{len(plan.retained)} classe(s) retenue(s) et réparties dans les journées ; {len(plan.waiting)} mise(s) en liste d'attente.", "success")
            return redirect(url_for("ChevregnyView.page"))
        return self.render_template("chevregny/retain.html", year=viewed_year(), action=action, plan=plan, french_date=french_date)

    @expose("/aides", methods=["GET", "POST"])
    @has_access
    def aids(self):
        """GET: the classes that will get a transport aid request (confirmation); POST: create them (never twice)."""
        year = viewed_year()
        if request.method == "POST":
            created, problems = services.create_transport_aids(year)
            flash(f"{created} demande(s) d'aide au transport créée(s) (Aides financières) ; les classes qui en avaient déjà une sont laissées telles quelles.", "success")
            for problem in problems:
                flash(problem, "warning")
            return redirect(url_for("ChevregnyView.page"))
        pending = [a for a in services.retained_applications(year) if a.aid_request_id is None]
        return self.render_template(
            "chevregny/aids.html", year=year, pending=pending, money=money, default_amount=services.default_transport_amount(),
        )  # fmt: skip

    @expose("/journee/<int:pk>")
    @has_access
    def day(self, pk: int):
        day = self._day_or_404(pk)
        plan = services.day_plan(day)
        entries, amount = services.entries_of(day)
        return self.render_template(
            "chevregny/day.html", day=day, plan=plan, grid=plan.grid(), entries=entries, amount=amount, money=money, french_date=french_date,
            time_label=time_label, pause=PAUSE_LABEL,
        )  # fmt: skip

    @expose("/journee/<int:pk>/emplois-du-temps")
    @has_access
    def timetables(self, pk: int):
        from app.documents.render import pdf_filename
        from app.documents.response import pdf_response

        day = self._day_or_404(pk)
        document = services.timetables(day)
        if document is None:
            flash(f"« {day.label} » n'a pas encore de classe retenue ou d'atelier : pas d'emploi du temps à imprimer.", "warning")
            return redirect(url_for("ChevregnyView.day", pk=pk))
        return pdf_response(document, pdf_filename("emplois du temps", "chevregny", day.label, day.school_year.label))
