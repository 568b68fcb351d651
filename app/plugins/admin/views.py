"""Administrators see every plugin and switch the yearly ones per school year."""

from __future__ import annotations

from flask import flash, g, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import gettext as _

from app.extensions import db
from app.plugins.switches import activations, current_manager, set_switch
from app.years.models import SchoolYear
from app.years.service import all_years


class PluginsView(BaseView):
    route_base = "/admin/plugins"
    default_view = "list"
    base_permissions = ["can_list", "can_switch"]

    @expose("/")
    @has_access
    def list(self):
        years = all_years()
        states = activations([year.id for year in years])
        return self.render_template(
            "occe/plugins.html",
            plugins=current_manager().describe(),
            years=years,
            states=states,
        )

    @expose("/switch", methods=["POST"])
    @has_access
    def switch(self):
        manager = current_manager()
        plugin = manager.get(request.form.get("code", ""))
        year = db.session.get(SchoolYear, request.form.get("year_id", type=int) or 0)
        enabled = request.form.get("enabled") == "1"
        if plugin is None or year is None:
            flash(_("Plugin ou année scolaire introuvable."), "danger")
            return redirect(url_for("PluginsView.list"))
        try:
            changed = set_switch(manager, plugin, year, enabled, user_id=g.user.id)
        except ValueError as exc:
            flash(str(exc), "danger")
            return redirect(url_for("PluginsView.list"))
        if changed and enabled:
            flash(_("« %(label)s » est activé pour %(year)s.", label=plugin.label, year=year.label), "success")
        elif changed:
            flash(
                _("« %(label)s » est désactivé pour %(year)s : son menu est masqué, ses données sont conservées.", label=plugin.label, year=year.label),
                "success",
            )
        else:
            flash(_("Rien n'a changé."), "info")
        return redirect(url_for("PluginsView.list"))
