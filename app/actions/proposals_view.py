"""The end-of-August proposals: the year's actions open for registration, ready for the mailing."""

from __future__ import annotations

from datetime import date

from flask import request
from flask_appbuilder import BaseView, expose, has_access

from app.actions.catalogue import august_proposals
from app.exports import export_filename, export_response
from app.views import french_date
from app.years.context import viewed_year


class ProposalsView(BaseView):
    route_base = "/actions/propositions"
    default_view = "page"
    base_permissions = ["can_list", "can_export"]
    method_permission_name = {"page": "list", "export": "export"}

    @expose("/")
    @has_access
    def page(self):
        year = viewed_year()
        return self.render_template("occe/proposals.html", year=year, proposals=august_proposals(year), french_date=french_date)

    @expose("/export/<string:fmt>")
    @has_access
    def export(self, fmt: str):
        from flask import abort

        from app.exports import EXPORT_FORMATS

        if fmt not in EXPORT_FORMATS:
            abort(404)
        year = viewed_year()
        header = ["Action", "Module", "Description", "Ouverture des inscriptions", "Clôture des inscriptions", "Places"]
        rows = (
            [p.action.name, p.plugin_label, p.action.description or "", p.opens_on, p.closes_on, p.action.capacity]
            for p in august_proposals(year, request.args.get("jour", type=date.fromisoformat) or None)
        )
        return export_response(export_filename(f"propositions-{year.label}"), fmt, header, rows, sheet_title="Propositions")
