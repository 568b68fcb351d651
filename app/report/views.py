"""« Rapport d'activité »: choose a year, write its DOCX and PDF, download them."""

from __future__ import annotations

from flask import abort, flash, redirect, request, send_from_directory, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import gettext

from app.report.files import FILENAME, report_folder, stored_reports, write_report
from app.years.context import viewed_year
from app.years.service import all_years, get_year


class ActivityReportView(BaseView):
    route_base = "/rapport-activite"
    default_view = "page"
    base_permissions = ["can_list", "can_generate"]
    method_permission_name = {"page": "list", "report_file": "list", "generate": "generate"}

    @expose("/")
    @has_access
    def page(self):
        years = all_years()
        chosen = viewed_year(years)
        may_generate = self.appbuilder.sm.has_access("can_generate", self.class_permission_name)
        return self.render_template("occe/report.html", years=years, chosen=chosen, reports=stored_reports(), may_generate=may_generate)

    @expose("/ecrire", methods=["POST"])
    @has_access
    def generate(self):
        year = get_year(request.form.get("year", ""))
        if year is None:
            flash(gettext("Choisissez une année scolaire de la liste."), "danger")
            return redirect(url_for("ActivityReportView.page"))
        written = write_report(year)
        timing = ", ".join(f"{step} {seconds:.1f} s".replace(".", ",") for step, seconds in written.seconds.items())
        flash(gettext("Rapport d'activité %(label)s écrit : %(count)s sections (%(timing)s).", label=year.label, count=len(written.report.sections), timing=timing), "success")
        if written.report.missing:
            flash(gettext("Sections manquantes, à signaler à l'administrateur : %(names)s.", names=", ".join(written.report.missing)), "warning")
        return redirect(url_for("ActivityReportView.page"))

    @expose("/fichier/<string:name>")
    @has_access
    def report_file(self, name: str):
        if not FILENAME.match(name):
            abort(404)
        response = send_from_directory(report_folder(), name, as_attachment=True, max_age=0)
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response
