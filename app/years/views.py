"""Administrators' pages for school years, and the year chooser of the navigation bar."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_appbuilder.actions import action
from flask_babel import lazy_gettext as _
from wtforms.validators import DataRequired

from app.datamodel import OcceSQLAInterface
from app.extensions import db
from app.views import OcceModelView, french_date, input_error, yes_no
from app.years import service
from app.years.context import choose_year
from app.years.models import SchoolYear


def _valid_label(form, field) -> None:
    problem = service.label_problem((field.data or "").strip())
    if problem:
        raise input_error(problem)


class SchoolYearView(OcceModelView):
    datamodel = OcceSQLAInterface(SchoolYear)
    list_title = _("Années scolaires")
    show_title = _("Année scolaire")
    add_title = _("Ajouter une année scolaire")
    edit_title = _("Modifier une année scolaire")
    label_columns = {
        "label": _("Année scolaire"),
        "start_date": _("Début"),
        "end_date": _("Fin"),
        "is_current": _("Année courante"),
    }
    list_columns = ["label", "start_date", "end_date", "is_current"]
    show_columns = list_columns
    add_columns = ["label"]
    edit_columns = ["label"]
    search_columns = ["label", "is_current"]
    order_columns = ["label", "start_date"]
    base_order = ("start_date", "desc")
    description_columns = {"label": _("Par exemple 2025-2026 : du 1er septembre au 31 août.")}
    validators_columns = {"label": [DataRequired(), _valid_label]}
    formatters_columns = {"start_date": french_date, "end_date": french_date, "is_current": yes_no}
    base_permissions = ["can_list", "can_show", "can_add", "can_edit", "set_current"]

    def pre_add(self, item: SchoolYear) -> None:
        item.label = item.label.strip()
        item.start_date, item.end_date = service.bounds(item.label)
        item.is_current = False

    def pre_update(self, item: SchoolYear) -> None:
        self.pre_add(item)

    @action("set_current", _("Définir comme année courante"), _("Faire de cette année l'année courante ?"), "fa-calendar-check", multiple=False)
    def set_current(self, item):
        year = item[0] if isinstance(item, list) else item
        if year is None:
            abort(404)
        service.set_current(year)
        db.session.commit()
        flash(_("%(label)s est désormais l'année courante.", label=year.label), "success")
        return redirect(self.get_redirect())


class YearChoiceView(BaseView):
    """Lets any signed-in staff member look at another school year (the archive)."""

    route_base = "/annee"
    default_view = "choose"
    base_permissions = ["can_choose"]

    @expose("/choisir", methods=["POST"])
    @has_access
    def choose(self):
        year = db.session.get(SchoolYear, request.form.get("year_id", type=int) or 0)
        if year is None:
            flash(_("Année scolaire introuvable."), "danger")
        else:
            choose_year(year)
            flash(_("Vous consultez l'année %(label)s.", label=year.label), "info")
        return redirect(_safe_next() or url_for("HomeView.index"))


def _safe_next() -> str | None:
    target = request.form.get("next", "")
    return target if target.startswith("/") and not target.startswith("//") else None


class RolloverView(BaseView):
    """Administrators open the next school year: a preview of what carries over, then a confirmed POST."""

    route_base = "/annee/nouvelle"
    default_view = "preview"
    base_permissions = ["can_preview", "can_apply"]

    @expose("/")
    @has_access
    def preview(self):
        from app.years.rollover import plan_rollover

        previous = service.current_year()
        plan = plan_rollover(previous, roll_classes=True)
        return self.render_template("occe/rollover.html", plan=plan, previous=previous)

    @expose("/ouvrir", methods=["POST"])
    @has_access
    def apply(self):
        from flask import g

        from app.cli import rollover_lines
        from app.years.rollover import open_next_year

        previous = service.current_year()
        report = open_next_year(previous, roll_classes=request.form.get("classes") == "1", user_id=g.user.id)
        for line in rollover_lines(report):
            flash(line, "success")
        return redirect(url_for("RolloverView.preview"))
