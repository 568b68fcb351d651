"""« Liens des enseignants »: each cooperative's link for the viewed year, its status; create the missing ones, revoke."""

from __future__ import annotations

from datetime import date

from flask import flash, g, redirect, url_for
from flask_appbuilder import expose, has_access
from flask_appbuilder.actions import action
from flask_appbuilder.models.sqla.filters import BaseFilter, FilterEqualFunction
from flask_babel import gettext
from flask_babel import lazy_gettext as _
from sqlalchemy import and_
from wtforms import SelectField

from app.actions.views import french_datetime, viewed_year_id
from app.datamodel import OcceSQLAInterface
from app.extensions import db
from app.teachers import service
from app.teachers.models import ACTIVE, EXPIRED, REVOKED, STATUSES, TeacherLink
from app.views import OcceModelView, french_date
from app.years.context import viewed_year


class LinkStatusFilter(BaseFilter):
    """« Statut » searched by what it means today: revoked, expired (past its date) or active."""

    name = _("Égal à")
    arg_name = "lst"

    def apply(self, query, value):
        today = date.today()
        if value == REVOKED:
            return query.filter(TeacherLink.revoked_at.isnot(None))
        if value == EXPIRED:
            return query.filter(and_(TeacherLink.revoked_at.is_(None), TeacherLink.expires_on < today))
        if value == ACTIVE:
            return query.filter(and_(TeacherLink.revoked_at.is_(None), TeacherLink.expires_on >= today))
        return query


class TeacherLinkView(OcceModelView):
    """The links of the viewed year; the show page gives the link to copy (Animation, Gestion)."""

    datamodel = OcceSQLAInterface(TeacherLink)
    route_base = "/liens-enseignants"
    list_title = _("Liens des enseignants")
    show_title = _("Lien des enseignants")
    list_template = "teachers/link_list.html"
    show_template = "teachers/link_show.html"
    base_permissions = ["can_list", "can_show", "can_create_missing", "revoke"]
    method_permission_name = {"create_missing": "create_missing"}
    base_filters = [["school_year_id", FilterEqualFunction, viewed_year_id]]
    label_columns = {
        "cooperative": _("Coopérative"),
        "school_name": _("École"),
        "school_year": _("Année scolaire"),
        "status_label": _("Statut"),
        "status": _("Statut"),
        "created_at": _("Créé le"),
        "expires_on": _("Expire le"),
        "revoked_at": _("Révoqué le"),
        "revoked_by": _("Révoqué par"),
        "last_used_at": _("Dernier usage"),
    }
    list_columns = ["cooperative", "school_name", "status_label", "expires_on", "last_used_at", "revoked_at"]
    show_columns = ["cooperative", "school_name", "school_year", "status_label", "created_at", "expires_on", "last_used_at", "revoked_at", "revoked_by"]
    search_columns = ["cooperative", "status", "expires_on", "last_used_at"]
    text_search_relations = {"cooperative": "affiliation_number"}
    extra_search_filters = {"status": LinkStatusFilter}
    search_form_extra_fields = {"status": SelectField(_("Statut"), choices=list(STATUSES.items()))}
    order_columns = ["cooperative", "expires_on", "last_used_at", "revoked_at"]
    base_order = ("id", "asc")
    formatters_columns = {
        "expires_on": french_date,
        "created_at": french_datetime,
        "last_used_at": lambda value: french_datetime(value) if value else gettext("jamais"),
        "revoked_at": french_datetime,
    }

    def render_template(self, template, **kwargs):
        if template == self.show_template and kwargs.get("pk") is not None:
            link = self.datamodel.get(kwargs["pk"], self._base_filters)
            if link is not None:
                kwargs.update(link_item=link, teacher_url=service.absolute_url_of(link) if link.status == ACTIVE else None)
        if template == self.list_template:
            kwargs.update(missing_year=viewed_year())
        return super().render_template(template, **kwargs)

    @expose("/creer-manquants", methods=["POST"])
    @has_access
    def create_missing(self):
        year = viewed_year()
        if year is None:
            flash(gettext("Aucune année scolaire n'est ouverte."), "warning")
            return redirect(url_for("TeacherLinkView.list"))
        count = service.create_missing(year)
        if count:
            flash(gettext("%(count)s lien(s) créé(s) pour %(year)s.", count=count, year=year.label), "success")
        else:
            flash(gettext("Chaque coopérative affiliée a déjà son lien pour %(year)s.", year=year.label), "info")
        return redirect(url_for("TeacherLinkView.list"))

    @action(
        "revoke",
        _("Révoquer"),
        _("Révoquer les liens choisis ? Ils cesseront aussitôt de fonctionner ; « Créer les liens manquants » en donnera de nouveaux."),
        "fa-ban",
    )
    def revoke(self, items):
        items = items if isinstance(items, list) else [items]
        user_id = getattr(getattr(g, "user", None), "id", None)
        done = sum(1 for link in items if service.revoke(link, user_id, commit=False))
        db.session.commit()
        flash(gettext("%(count)s lien(s) révoqué(s).", count=done), "success")
        return redirect(url_for("TeacherLinkView.list"))
