"""The animator's pages: themes, requests, the explained ranking with overrides and day planning, the days."""

from __future__ import annotations

from datetime import date

from flask import flash, g, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_appbuilder.models.sqla.filters import FilterEqualFunction
from flask_babel import gettext
from flask_babel import lazy_gettext as _
from sqlalchemy import select
from wtforms import BooleanField
from wtforms.validators import DataRequired

from app.actions.views import french_datetime, viewed_year_id
from app.datamodel import OcceSQLAInterface
from app.directory.models import Sector
from app.extensions import db
from app.interventions import service
from app.interventions.models import PLANNED, REQUESTED, STATUSES, InterventionDay, InterventionRequest, InterventionTheme
from app.interventions.selection import propose_days
from app.views import ExportableModelView, OcceModelView, choice_label, french_date, yes_no
from app.years.context import viewed_year


class InterventionThemeView(OcceModelView):
    datamodel = OcceSQLAInterface(InterventionTheme)
    list_title = _("Thèmes d'intervention")
    show_title = add_title = edit_title = _("Thème d'intervention")
    show_template = "occe/intervention_theme_show.html"
    label_columns = {"name": _("Thème"), "description": _("Description"), "booklet": _("Contenu du livret remis"), "active": _("Proposé")}
    list_columns = ["name", "active"]
    show_columns = add_columns = edit_columns = ["name", "description", "booklet", "active"]
    search_columns = ["name", "active"]
    base_order = ("name", "asc")
    formatters_columns = {"active": yes_no}
    validators_columns = {"name": [DataRequired()]}
    add_form_extra_fields = edit_form_extra_fields = {"active": BooleanField(_("Proposé"), default=True)}


class InterventionRequestView(ExportableModelView):
    datamodel = OcceSQLAInterface(InterventionRequest)
    list_title = _("Demandes d'intervention")
    show_title = _("Demande d'intervention")
    add_title = _("Ajouter une demande d'intervention")
    edit_title = _("Modifier une demande d'intervention")
    base_filters = [["school_year_id", FilterEqualFunction, viewed_year_id]]
    label_columns = {
        "cooperative": _("Coopérative"),
        "cooperative.affiliation_number": _("Coopérative"),
        "classroom": _("Classe"),
        "classroom.name": _("Classe"),
        "teacher": _("Enseignant·e"),
        "teacher.last_name": _("Enseignant·e"),
        "theme": _("Thème"),
        "theme.name": _("Thème"),
        "requested_at": _("Demandée le"),
        "whole_team": _("Toute l'équipe est motivée"),
        "motivation": _("Motivation"),
        "status": _("Statut"),
        "day": _("Journée"),
        "override_points": _("Bonus manuel"),
        "override_reason": _("Motif du bonus"),
        "override_by": _("Bonus décidé par"),
        "done_on": _("Réalisée le"),
        "booklet_given": _("Livret remis"),
        "booklet_notes": _("Livret : contenu remis"),
    }
    list_columns = ["cooperative.affiliation_number", "classroom.name", "teacher.last_name", "theme.name", "status", "requested_at", "booklet_given"]
    show_columns = [
        "cooperative", "classroom", "teacher", "theme", "requested_at", "whole_team", "motivation", "status", "day", "override_points",
        "override_reason", "override_by", "done_on", "booklet_given", "booklet_notes",
    ]  # fmt: skip
    add_columns = ["cooperative", "classroom", "teacher", "theme", "whole_team", "motivation"]
    edit_columns = ["classroom", "teacher", "theme", "whole_team", "motivation", "done_on", "booklet_given", "booklet_notes"]
    search_columns = ["cooperative", "theme", "status", "whole_team", "booklet_given"]
    text_search_relations = {"cooperative": "affiliation_number"}
    order_columns = ["cooperative.affiliation_number", "theme.name", "status", "requested_at"]
    base_order = ("requested_at", "asc")
    formatters_columns = {"status": choice_label(STATUSES), "requested_at": french_datetime, "whole_team": yes_no, "booklet_given": yes_no, "done_on": french_date}
    description_columns = {
        "whole_team": _("Cochez quand toute l'équipe de l'école s'engage : la demande passe devant."),
        "done_on": _("Renseignez la date après l'intervention : la demande devient « Réalisée »."),
        "booklet_notes": _("Vide : le contenu du livret du thème."),
    }
    add_form_extra_fields = edit_form_extra_fields = {
        "whole_team": BooleanField(_("Toute l'équipe est motivée")),
        "booklet_given": BooleanField(_("Livret remis")),
    }
    add_form_query_rel_fields = edit_form_query_rel_fields = {"classroom": [["school_year_id", FilterEqualFunction, viewed_year_id]]}

    def pre_add(self, item: InterventionRequest) -> None:
        item.school_year_id = viewed_year_id()
        item.status = REQUESTED

    def pre_update(self, item: InterventionRequest) -> None:
        if item.done_on and item.status in (REQUESTED, PLANNED):
            item.status = "realisee"
            item.booklet_notes = item.booklet_notes or (item.theme.booklet if item.theme else None)


class InterventionDayView(OcceModelView):
    datamodel = OcceSQLAInterface(InterventionDay)
    list_title = _("Journées d'intervention")
    show_title = _("Journée d'intervention")
    show_template = "occe/intervention_day_show.html"
    edit_title = _("Modifier une journée")
    base_filters = [["school_year_id", FilterEqualFunction, viewed_year_id]]
    base_permissions = ["can_list", "can_show", "can_edit", "can_delete"]
    related_views = [InterventionRequestView]
    label_columns = {"day": _("Date"), "sector": _("Secteur"), "sector.name": _("Secteur"), "animator": _("Animatrice ou animateur"), "notes": _("Notes")}
    list_columns = ["day", "sector.name", "animator"]
    show_columns = ["day", "sector", "animator", "notes"]
    edit_columns = ["day", "sector", "notes"]
    order_columns = ["day"]
    base_order = ("day", "asc")
    formatters_columns = {"day": french_date}


def _animators():
    """Users who may lead a day: the active members of the Animation role (and administrators), in one query."""
    from flask import current_app

    sm = current_app.appbuilder.sm
    user, role = sm.user_model, sm.role_model
    query = select(user).join(user.roles).filter(user.active.is_(True), role.name.in_(("Animation", "Admin"))).order_by(user.first_name, user.last_name)
    return list(db.session.execute(query).scalars().unique())


SHOWN_ROWS = 300
RULE_COLUMNS = (
    ("never_helped", _("Jamais accompagnée")),
    ("whole_team", _("Équipe entière")),
    ("sector", _("Même secteur")),
    ("override", _("Décision manuelle")),
)


class SelectionView(BaseView):
    """The ranking of the waiting requests, each rule's part shown, with overrides and day planning."""

    route_base = "/interventions/selection"
    default_view = "page"
    base_permissions = ["can_list", "can_override", "can_plan"]
    method_permission_name = {"page": "list", "override": "override", "plan": "plan"}

    @expose("/")
    @has_access
    def page(self):
        year = viewed_year()
        ranked = service.ranking(year)
        shown = ranked[:SHOWN_ROWS]
        ids = [r.candidate.id for r in shown]
        requests = {item.id: item for item in db.session.execute(select(InterventionRequest).filter(InterventionRequest.id.in_(ids))).scalars().unique()}
        return self.render_template(
            "occe/interventions_selection.html",
            year=year,
            ranked=shown,
            hidden=len(ranked) - len(shown),
            requests=requests,
            rules=RULE_COLUMNS,
            days=propose_days(ranked, service.classes_per_day()),
            by_id={r.candidate.id: r for r in ranked},
            sectors=list(db.session.execute(select(Sector).order_by(Sector.name)).scalars()),
            animators=_animators(),
            classes_per_day=service.classes_per_day(),
            today=date.today().isoformat(),
        )

    @expose("/bonus", methods=["POST"])
    @has_access
    def override(self):
        item = db.session.get(InterventionRequest, request.form.get("request_id", type=int) or 0)
        if item is None or item.school_year_id != viewed_year_id():
            flash(gettext("Demande introuvable pour l'année consultée."), "danger")
            return redirect(url_for("SelectionView.page"))
        try:
            service.override(item, request.form.get("points", type=int) or 0, request.form.get("reason", ""), g.user.id)
        except ValueError as exc:
            flash(str(exc), "danger")
        else:
            flash(gettext("Classement modifié pour « %(what)s ».", what=str(item)), "success")
        return redirect(url_for("SelectionView.page"))

    @expose("/planifier", methods=["POST"])
    @has_access
    def plan(self):
        try:
            day = date.fromisoformat(request.form.get("day", ""))
        except ValueError:
            flash(gettext("Indiquez la date de la journée (jj/mm/aaaa)."), "danger")
            return redirect(url_for("SelectionView.page"))
        ids = [int(value) for value in request.form.getlist("request_id") if value.isdigit()]
        try:
            planned, warnings = service.plan_day(
                viewed_year(), day, request.form.get("sector_id", type=int) or None, request.form.get("animator_id", type=int) or g.user.id, ids, request.form.get("notes")
            )
        except ValueError as exc:
            db.session.rollback()
            flash(str(exc), "danger")
            return redirect(url_for("SelectionView.page"))
        flash(gettext("Journée du %(day)s planifiée : %(count)s classe(s).", day=f"{planned.day:%d/%m/%Y}", count=len(ids)), "success")
        for warning in warnings:
            flash(warning, "warning")
        return redirect(url_for("InterventionDayView.show", pk=planned.id))
