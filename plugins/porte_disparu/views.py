"""The French pages of « Porté Disparu »: the federation's recap (import and lines) and the relayed mails."""

from __future__ import annotations

import secrets
import time
from pathlib import Path

from flask import current_app, flash, g, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_appbuilder.models.sqla.filters import FilterEqualFunction
from flask_babel import lazy_gettext as _
from wtforms.validators import DataRequired, Length

from app.actions.views import viewed_year_id
from app.datamodel import OcceSQLAInterface
from app.directory.importer import SpreadsheetError
from app.extensions import db
from app.views import ExportableModelView, french_date
from app.years.context import viewed_year

from . import services
from .models import PorteDisparuFederalLine, PorteDisparuRelayedMail


def _matched_label(value) -> str:
    return "Inscrite" if value else "Non rapprochée"


class PorteDisparuLineView(ExportableModelView):
    """The lines of the federation's recap imported for the viewed year, matched or not (with why)."""

    datamodel = OcceSQLAInterface(PorteDisparuFederalLine)
    list_title = _("Porté Disparu : récapitulatif de la fédération")
    show_title = _("Ligne du récapitulatif de la fédération")
    base_permissions = ["can_list", "can_show", "can_export"]
    personal_data = True  # teachers' names
    base_filters = [["school_year_id", FilterEqualFunction, viewed_year_id]]
    label_columns = {
        "line_number": _("Ligne"),
        "file_name": _("Fichier"),
        "affiliation_number": _("N° d'affiliation"),
        "uai": _("UAI"),
        "school_name": _("École"),
        "commune": _("Commune"),
        "teacher": _("Enseignant·e"),
        "class_name": _("Classe"),
        "levels": _("Niveau"),
        "pupils": _("Effectif"),
        "cooperative": _("Coopérative rapprochée"),
        "registration": _("Inscription"),
        "matched": _("Rapprochement"),
        "registration_id": _("Inscription (n°)"),
        "reason": _("Motif (non rapprochée)"),
        "imported_at": _("Importée le"),
    }
    list_columns = ["line_number", "affiliation_number", "uai", "school_name", "commune", "class_name", "pupils", "matched", "reason"]
    export_columns = ["line_number", "file_name", "affiliation_number", "uai", "school_name", "commune", "teacher", "class_name", "levels", "pupils", "registration_id", "reason"]
    show_columns = [
        "line_number", "file_name", "affiliation_number", "uai", "school_name", "commune", "teacher", "class_name", "levels", "pupils",
        "cooperative", "registration", "reason", "imported_at",
    ]  # fmt: skip
    search_columns = ["affiliation_number", "uai", "school_name", "commune", "class_name", "reason"]
    order_columns = ["line_number", "affiliation_number", "school_name", "commune"]
    base_order = ("line_number", "asc")
    formatters_columns = {"matched": _matched_label}


class PorteDisparuRelayView(ExportableModelView):
    """The federal mails relayed to the registered classes: adding one queues the personalised relay."""

    datamodel = OcceSQLAInterface(PorteDisparuRelayedMail)
    list_title = _("Porté Disparu : courriels de la fédération relayés")
    show_title = _("Courriel de la fédération relayé")
    add_title = _("Relayer un courriel de la fédération")
    base_permissions = ["can_list", "can_show", "can_add", "can_export"]
    base_filters = [["school_year_id", FilterEqualFunction, viewed_year_id]]
    label_columns = {
        "relayed_on": _("Relayé le"),
        "subject": _("Objet"),
        "message": _("Message"),
        "recipients": _("Destinataires"),
        "relayed_by": _("Relayé par"),
        "action": _("Action"),
    }
    description_columns = {
        "message": _("Le texte de la fédération, tel qu'il sera envoyé à chaque classe inscrite (enseignant·e, à défaut le ou la mandataire)."),
    }
    list_columns = ["relayed_on", "subject", "recipients", "relayed_by"]
    export_columns = ["relayed_on", "subject", "recipients"]
    show_columns = ["relayed_on", "action", "subject", "message", "recipients", "relayed_by"]
    add_columns = ["subject", "message"]
    search_columns = ["subject", "relayed_on"]
    order_columns = ["relayed_on", "subject"]
    base_order = ("relayed_on", "desc")
    formatters_columns = {"relayed_on": french_date}
    validators_columns = {
        "subject": [DataRequired(message=_("Indiquez l'objet du courriel.")), Length(max=200)],
        "message": [DataRequired(message=_("Collez le texte du courriel de la fédération."))],
    }

    def pre_add(self, item: PorteDisparuRelayedMail) -> None:
        year = viewed_year()
        action = services.year_action(year)
        if action is None:
            raise ValueError(f"L'action Porté Disparu n'existe pas pour {year.label} : activez le module pour cette année.")
        item.action_id = action.id
        item.school_year_id = year.id
        item.relayed_by_id = g.user.id

    def post_add(self, item: PorteDisparuRelayedMail) -> None:
        """Queue the personalised relay (sent from Courriels › Boîte d'envoi)."""
        from app.mail.rendering import MailTemplateError
        from app.mail.service import queued_messages

        try:
            batch, reason = services.queue_relay(item, g.user.id)
            db.session.commit()
        except (MailTemplateError, ValueError) as exc:
            db.session.rollback()
            batch, reason = None, str(exc)
        for message, category in queued_messages(batch, reason):
            flash(message, category)


#: An uploaded recap waits this long for its confirmation, then is removed at the next upload.
KEEP_SECONDS = 24 * 3600


def _folder() -> Path:
    folder = Path(current_app.instance_path) / "porte_disparu_imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _forget_old_uploads() -> None:
    limit = time.time() - KEEP_SECONDS
    for path in _folder().iterdir():
        if path.suffix in services.EXTENSIONS and path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)


def _stored(token: str) -> Path | None:
    if not token or not token.replace("-", "").replace("_", "").isalnum():
        return None
    matches = [path for path in _folder().glob(f"{token}.*") if path.suffix in services.EXTENSIONS]
    return matches[0] if matches else None


class PorteDisparuImportView(BaseView):
    """Import the federation's registration recap: upload, preview (nothing written), confirm."""

    route_base = "/porte-disparu/recapitulatif"
    default_view = "upload"
    base_permissions = ["can_import", "can_relay"]
    method_permission_name = {"upload": "import", "preview": "import", "apply": "import", "relay": "relay"}

    def _upload_page(self, error: str | None = None):
        year = viewed_year()
        return self.render_template("porte_disparu/import_upload.html", year=year, error=error, action=services.year_action(year))

    @expose("/")
    @has_access
    def upload(self):
        return self._upload_page()

    @expose("/apercu", methods=["POST"])
    @has_access
    def preview(self):
        year = viewed_year()
        action = services.year_action(year)
        if action is None:
            return self._upload_page(f"L'action Porté Disparu n'existe pas pour {year.label} : activez le module pour cette année.")
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            return self._upload_page("Choisissez le fichier CSV ou XLSX envoyé par la fédération.")
        suffix = Path(upload.filename).suffix.lower()
        if suffix not in services.EXTENSIONS:
            return self._upload_page(f"« {upload.filename} » n'est ni un CSV ni un XLSX : seuls ces deux formats sont acceptés.")
        data = upload.read(services.MAX_UPLOAD_BYTES + 1)
        try:
            table = services.read_recap(data, upload.filename)
            plan = services.plan_recap(table, year, action)
        except SpreadsheetError as exc:
            db.session.rollback()
            return self._upload_page(str(exc))
        db.session.rollback()  # the preview writes nothing
        _forget_old_uploads()
        token = secrets.token_urlsafe(16)
        (_folder() / f"{token}{suffix}").write_bytes(data)
        return self.render_template(
            "porte_disparu/import_preview.html", plan=plan, year=year, filename=upload.filename, token=token,
            labels={name: label for name, (label, _wordings) in services.RECAP_FIELDS.items()}, outcomes=services.OUTCOMES,
        )  # fmt: skip

    @expose("/confirmer", methods=["POST"])
    @has_access
    def apply(self):
        year = viewed_year()
        action = services.year_action(year)
        path = _stored(request.form.get("token", ""))
        filename = (request.form.get("filename") or "recapitulatif")[:200]
        if path is None or action is None:
            flash("Ce fichier n'est plus disponible : importez-le à nouveau.", "danger")
            return redirect(url_for("PorteDisparuImportView.upload"))
        try:
            table = services.read_recap(path.read_bytes(), filename if Path(filename).suffix.lower() == path.suffix else path.name)
            plan = services.plan_recap(table, year, action)
            done = services.apply_recap(plan, year, action, filename, user_id=g.user.id)
            db.session.commit()
        except (SpreadsheetError, ValueError) as exc:
            db.session.rollback()
            flash(f"Rien n'a été importé : {exc}", "danger")
            return redirect(url_for("PorteDisparuImportView.upload"))
        finally:
            path.unlink(missing_ok=True)
        flash(
            f"Récapitulatif importé : {done[services.TO_REGISTER]} classe(s) inscrite(s), {done[services.ALREADY_REGISTERED]} déjà inscrite(s), "
            f"{done[services.ALREADY_IMPORTED]} ligne(s) déjà importée(s), {done[services.UNMATCHED]} ligne(s) non rapprochée(s).",
            "success",
        )
        if done[services.UNMATCHED]:
            flash(f"{done[services.UNMATCHED]} ligne(s) non rapprochée(s) : voir leur motif dans la liste ci-dessous.", "warning")
        return redirect(url_for("PorteDisparuLineView.list"))

    @expose("/relayer")
    @has_access
    def relay(self):
        """The core's « Nouvel envoi » page with the relay template and this year's action chosen (preview, then confirm there)."""
        action = services.year_action(viewed_year())
        args = {"template": "mail:relais_federal"}
        if action is not None:
            args["action"] = action.id
        return redirect(url_for("MailingView.new", **args))
