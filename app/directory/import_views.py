"""Importing the association's spreadsheets: upload, dry-run preview, then confirmed import.

The uploaded file is kept in ``instance/imports/`` between the preview and
the confirmation, under a random name, so that the staff member does not
upload it twice and nothing is written before they confirm.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from flask import current_app, flash, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import gettext as _

from app.audit.recorder import record
from app.directory import importer
from app.extensions import db
from app.years.models import SchoolYear
from app.years.service import all_years, current_year

KINDS = {"cooperatives": "Coopératives, écoles et mandataires", "memberships": "Adhésions d'une année scolaire"}
EXTENSIONS = (".csv", ".xlsx")


def _folder() -> Path:
    folder = Path(current_app.instance_path) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _stored(token: str) -> Path | None:
    if not token or not token.replace("-", "").replace("_", "").isalnum():
        return None
    matches = [path for path in _folder().glob(f"{token}.*") if path.suffix in EXTENSIONS]
    return matches[0] if matches else None


class DirectoryImportView(BaseView):
    route_base = "/annuaire/import"
    default_view = "upload"
    base_permissions = ["can_upload", "can_preview", "can_apply"]

    def _form_page(self, **context):
        year = current_year()
        return self.render_template(
            "occe/import_upload.html",
            kinds=KINDS,
            years=all_years(),
            selected_year=context.pop("year_id", year.id if year else None),
            selected_kind=context.pop("kind", "cooperatives"),
            **context,
        )

    @expose("/")
    @has_access
    def upload(self):
        return self._form_page()

    @expose("/apercu", methods=["POST"])
    @has_access
    def preview(self):
        kind = request.form.get("kind", "")
        year_id = request.form.get("year_id", type=int)
        upload = request.files.get("file")
        if kind not in KINDS:
            return self._form_page(error=_("Choisissez ce que contient le fichier."))
        if upload is None or not upload.filename:
            return self._form_page(error=_("Choisissez un fichier CSV ou XLSX."), kind=kind, year_id=year_id)
        suffix = Path(upload.filename).suffix.lower()
        if suffix not in EXTENSIONS:
            return self._form_page(error=_("Seuls les fichiers CSV et XLSX sont acceptés."), kind=kind, year_id=year_id)
        token = secrets.token_urlsafe(16)
        path = _folder() / f"{token}{suffix}"
        upload.save(path)
        return self._preview_page(path, kind, year_id, upload.filename, token)

    def _plan(self, path: Path, kind: str, year_id: int | None):
        year = db.session.get(SchoolYear, year_id) if year_id and kind == "memberships" else None
        if kind == "memberships" and year is None:
            raise importer.SpreadsheetError(_("Choisissez l'année scolaire des adhésions."))
        with open(path, "rb") as stream:
            table = importer.read_table(stream, path.name)
        return importer.plan_import(kind, table, year=year), year

    def _preview_page(self, path: Path, kind: str, year_id: int | None, filename: str, token: str):
        try:
            plan, year = self._plan(path, kind, year_id)
        except importer.SpreadsheetError as exc:
            path.unlink(missing_ok=True)
            return self._form_page(error=str(exc), kind=kind, year_id=year_id)
        if plan.errors:
            path.unlink(missing_ok=True)
        return self.render_template(
            "occe/import_preview.html",
            plan=plan,
            kind=kind,
            kind_label=KINDS[kind],
            year=year,
            filename=filename,
            token=token,
            field_labels=importer.field_labels(kind),
        )

    @expose("/confirmer", methods=["POST"])
    @has_access
    def apply(self):
        token = request.form.get("token", "")
        kind = request.form.get("kind", "")
        year_id = request.form.get("year_id", type=int)
        path = _stored(token)
        if path is None or kind not in KINDS:
            flash(_("Ce fichier n'est plus disponible : importez-le à nouveau."), "danger")
            return redirect(url_for("DirectoryImportView.upload"))
        try:
            plan, _year = self._plan(path, kind, year_id)
            result = importer.apply_import(plan)
            record("import", "occe_cooperative" if kind == "cooperatives" else "occe_membership", result.summary)
            db.session.commit()
        except (importer.SpreadsheetError, importer.ImportRefused) as exc:
            flash(str(exc), "danger")
            return redirect(url_for("DirectoryImportView.upload"))
        finally:
            path.unlink(missing_ok=True)
        flash(_("Import terminé : %(summary)s.", summary=result.summary), "success")
        target = "CooperativeView.list" if kind == "cooperatives" else "MembershipView.list"
        return redirect(url_for(target))
