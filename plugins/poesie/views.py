"""The French pages of « La Picardie en Poésie ».

Every list is filtered on the poetry action(s) the person may see in the
viewed year (:func:`services.visible_action_ids`): the staff see the year's
action, the publisher's account only an action its organisation works on.
Base filters do not cover inserts (DESIGN.md): the production form only offers
the visible classes, and a forged class is refused in French at validation
(the form comes back with what was typed), then again in ``pre_add``.
"""

from __future__ import annotations

from datetime import date, datetime

from flask import abort, flash, g, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_appbuilder.fields import QuerySelectField
from flask_appbuilder.fieldwidgets import Select2Widget
from flask_appbuilder.models.sqla.filters import FilterInFunction
from flask_babel import lazy_gettext as _
from sqlalchemy import select
from wtforms import SelectField, ValidationError
from wtforms.validators import DataRequired, NumberRange, Optional

from app.actions.models import ACTIVE_STATUSES, Registration
from app.datamodel import OcceSQLAInterface
from app.extensions import db
from app.uploads.kinds import DOCUMENTS
from app.uploads.views import UploadsMixin
from app.views import ExportableModelView, OcceModelView, choice_label, french_date, input_error
from app.years.context import viewed_year

from . import services
from .models import KINDS, PoesieChapter, PoesieDossier, PoesieProduction, PoesieResource

SCOPE = [["action_id", FilterInFunction, services.visible_action_ids]]


def _visible_dossier_ids() -> list[int]:
    ids = db.session.execute(select(PoesieDossier.id).filter(PoesieDossier.action_id.in_(services.visible_action_ids()))).scalars().all()
    return list(ids) or [-1]


def _year_action():
    """The viewed year's action the staff add rows to (refused in French when the module is off that year)."""
    year = viewed_year()
    action = services.action_of(year)
    if action is None:
        raise services.PoesieRefused(f"Pas de « {services.ACTION_NAME} » pour {year.label} : activez le module pour cette année.")
    return action


# --- resource dossiers ------------------------------------------------------------------------


class PoesieDossierView(OcceModelView):
    """The year's online resource dossiers (Animation writes, the publisher reads)."""

    route_base = "/poesie/dossiers"
    datamodel = OcceSQLAInterface(PoesieDossier)
    list_title = _("Dossiers ressources — La Picardie en Poésie")
    show_title = _("Dossier ressource")
    add_title = _("Ajouter un dossier ressource")
    edit_title = _("Modifier un dossier ressource")
    base_filters = SCOPE
    label_columns = {"title": _("Titre"), "description": _("Description"), "position": _("Ordre"), "resources": _("Ressources"), "action": _("Action")}
    list_columns = ["position", "title", "description"]
    show_columns = ["title", "description", "position", "resources"]
    add_columns = edit_columns = ["title", "description", "position"]
    search_columns = ["title", "description"]
    order_columns = ["position", "title"]
    base_order = ("position", "asc")
    validators_columns = {
        "title": [DataRequired(message=_("Indiquez le titre du dossier."))],
        "position": [Optional(), NumberRange(min=1, max=999, message=_("L'ordre est un nombre entre 1 et 999."))],
    }
    formatters_columns = {"resources": lambda resources: ", ".join(str(r) for r in resources) or "aucune pour l'instant"}

    def pre_add(self, item: PoesieDossier) -> None:
        with db.session.no_autoflush:
            action = _year_action()
        item.action_id, item.school_year_id = action.id, action.school_year_id
        item.position = item.position or 1


def _web_address(form, field) -> None:
    value = (field.data or "").strip()
    field.data = value or None
    if value and not (value.lower().startswith(("http://", "https://")) and "." in value.split("://", 1)[1] and " " not in value):
        raise input_error(f"Adresse web invalide « {value} » : elle doit commencer par http:// ou https:// (par exemple https://www.occe.coop/).")


def _link_or_file(form, field) -> None:
    """On the title (always filled): FAB makes nullable columns Optional, which would skip a check on ``url``."""
    if not ("url" in form and (form["url"].data or "").strip()) and not _file_given(form):
        raise input_error("Indiquez une adresse web ou joignez un fichier.")


def _file_given(form) -> bool:
    from app.uploads.fields import chosen

    if "file_upload" in form and chosen(form["file_upload"].data):
        return True
    pk = (request.view_args or {}).get("pk")
    if pk is not None:
        existing = db.session.get(PoesieResource, int(pk))
        return existing is not None and existing.file_id is not None
    return False


class PoesieResourceView(UploadsMixin, OcceModelView):
    """The items of the dossiers: a link (http or https) or a file."""

    route_base = "/poesie/ressources"
    datamodel = OcceSQLAInterface(PoesieResource)
    list_title = _("Ressources des dossiers — La Picardie en Poésie")
    show_title = _("Ressource")
    add_title = _("Ajouter une ressource")
    edit_title = _("Modifier une ressource")
    base_filters = SCOPE
    upload_fields = {"file_upload": ("file", "Fichier", DOCUMENTS)}
    label_columns = {"dossier": _("Dossier"), "title": _("Titre"), "url": _("Adresse web"), "file": _("Fichier"), "file_upload": _("Fichier"), "link": _("Ressource")}
    list_columns = ["dossier", "title", "link"]
    show_columns = ["dossier", "title", "link"]
    add_columns = edit_columns = ["dossier", "title", "url", "file"]
    search_columns = ["dossier", "title", "url"]
    order_columns = ["title"]
    base_order = ("title", "asc")
    validators_columns = {"title": [DataRequired(message=_("Indiquez le titre de la ressource.")), _link_or_file], "url": [_web_address]}
    add_form_query_rel_fields = edit_form_query_rel_fields = {"dossier": [["id", FilterInFunction, _visible_dossier_ids]]}

    def pre_add(self, item: PoesieResource) -> None:
        with db.session.no_autoflush:
            self._check(item)

    def _check(self, item: PoesieResource) -> None:
        if item.dossier is None or item.dossier.action_id not in services.visible_action_ids():
            raise services.PoesieRefused("Ce dossier n'est pas un dossier de l'année affichée.")
        item.action_id = item.dossier.action_id


# --- chapters ---------------------------------------------------------------------------------


class PoesieChapterView(OcceModelView):
    """The anthology's chapters of the year, in order."""

    route_base = "/poesie/chapitres"
    datamodel = OcceSQLAInterface(PoesieChapter)
    list_title = _("Chapitres de l'ouvrage-recueil")
    show_title = _("Chapitre")
    add_title = _("Ajouter un chapitre")
    edit_title = _("Modifier un chapitre")
    base_filters = SCOPE
    label_columns = {"title": _("Titre"), "position": _("Ordre")}
    list_columns = ["position", "title"]
    show_columns = add_columns = edit_columns = ["title", "position"]
    search_columns = ["title"]
    order_columns = ["position", "title"]
    base_order = ("position", "asc")
    validators_columns = {
        "title": [DataRequired(message=_("Indiquez le titre du chapitre."))],
        "position": [Optional(), NumberRange(min=1, max=999, message=_("L'ordre est un nombre entre 1 et 999."))],
    }

    def pre_add(self, item: PoesieChapter) -> None:
        with db.session.no_autoflush:
            action = _year_action()
        item.action_id, item.school_year_id = action.id, action.school_year_id
        item.position = item.position or 1


# --- productions ------------------------------------------------------------------------------


class ScopedRegistrationField(QuerySelectField):
    """The classes the person may send a production for; anything else is refused in French."""

    def pre_validate(self, form) -> None:
        if self.data is None:
            if self._formdata:
                raise input_error("Cette classe n'est pas inscrite à La Picardie en Poésie pour votre organisation : choisissez une classe de la liste.")
            raise ValidationError("Choisissez la classe.")


def _visible_registrations():
    return (
        db.session.query(Registration)
        .filter(Registration.action_id.in_(services.visible_action_ids()), Registration.status.in_(ACTIVE_STATUSES))
        .order_by(Registration.id)
        .all()
    )


def _file_or_text(form, field) -> None:
    """On the title (always filled): FAB makes nullable columns Optional, which would skip a check on ``text``."""
    from app.uploads.fields import chosen

    if ("text" in form and (form["text"].data or "").strip()) or ("file_upload" in form and chosen(form["file_upload"].data)):
        return
    pk = (request.view_args or {}).get("pk")
    existing = db.session.get(PoesieProduction, int(pk)) if pk is not None else None
    if existing is None or existing.file_id is None:
        raise input_error("Joignez le fichier de la production ou recopiez le texte du poème.")


class PoesieProductionView(UploadsMixin, ExportableModelView):
    """The productions received from the classes: staff and the publisher record them; a receipt goes to the class."""

    route_base = "/poesie/productions"
    datamodel = OcceSQLAInterface(PoesieProduction)
    list_title = _("Productions reçues — La Picardie en Poésie")
    show_title = _("Production")
    add_title = _("Enregistrer une production reçue")
    edit_title = _("Modifier une production")
    base_filters = SCOPE
    upload_fields = {"file_upload": ("file", "Fichier de la production", services.PRODUCTION_KINDS)}
    label_columns = {
        "registration": _("Classe"),
        "title": _("Titre"),
        "author_line": _("Auteurs (ligne de crédit)"),
        "kind": _("Nature"),
        "file": _("Fichier"),
        "file_upload": _("Fichier de la production"),
        "download": _("Fichier"),
        "text": _("Texte du poème"),
        "received_at": _("Reçue le"),
        "chapter": _("Chapitre"),
        "position": _("Place dans le chapitre"),
        "credit": _("Classe et école"),
    }
    list_columns = ["received_at", "title", "credit", "kind", "chapter", "download"]
    show_columns = ["title", "credit", "author_line", "kind", "received_at", "download", "text", "chapter", "position"]
    add_columns = ["registration", "title", "author_line", "kind", "file", "text", "received_at"]
    edit_columns = ["title", "author_line", "kind", "file", "text", "received_at"]
    export_columns = ["received_at", "title", "registration", "author_line", "kind", "chapter"]
    search_columns = ["title", "kind", "received_at", "chapter"]
    choice_search_columns = {"kind": KINDS}
    order_columns = ["received_at", "title"]
    base_order = ("received_at", "desc")
    formatters_columns = {"kind": choice_label(KINDS), "received_at": french_date}
    validators_columns = {"title": [DataRequired(message=_("Indiquez le titre de la production.")), _file_or_text]}
    add_form_extra_fields = {
        "registration": ScopedRegistrationField(
            _("Classe"), query_func=_visible_registrations, get_pk_func=lambda registration: registration.id,
            get_label=services.registration_label, widget=Select2Widget(),
        ),  # fmt: skip
        "kind": SelectField(_("Nature"), choices=list(KINDS.items())),
    }
    edit_form_extra_fields = {"kind": SelectField(_("Nature"), choices=list(KINDS.items()))}

    def pre_add(self, item: PoesieProduction) -> None:
        with db.session.no_autoflush:
            self._check(item)

    def _check(self, item: PoesieProduction) -> None:
        registration = item.registration
        if registration is None or registration.action_id not in services.visible_action_ids():
            raise services.PoesieRefused("Cette classe n'est pas inscrite à La Picardie en Poésie pour votre organisation.")
        item.action_id, item.school_year_id = registration.action_id, registration.school_year_id
        item.received_at = item.received_at or date.today()
        services.text_of_upload(item)

    def pre_update(self, item: PoesieProduction) -> None:
        services.text_of_upload(item)

    def post_add(self, item: PoesieProduction) -> None:
        """Queue the receipt to the class (sent from Courriels › Boîte d'envoi)."""
        from app.mail.rendering import MailTemplateError

        try:
            batch, reason = services.queue_receipt(item, g.user.id)
            db.session.commit()
        except (MailTemplateError, ValueError) as exc:
            db.session.rollback()
            batch, reason = None, str(exc)
        if batch is not None:
            flash(f"Accusé de réception mis en file d'attente pour la classe ({item.credit}).", "success")
        else:
            flash(reason, "warning")


# --- the hub: training, distribution, anthology -----------------------------------------------


class PoesieHubView(BaseView):
    """« Répartition et ouvrage »: the productions by chapter with their order, the training, the anthology."""

    route_base = "/poesie"
    default_view = "page"
    base_permissions = ["can_list", "can_arrange", "can_anthology", "can_training"]
    method_permission_name = {"page": "list", "move": "arrange", "anthology": "anthology", "training": "training"}

    @expose("/")
    @has_access
    def page(self):
        year = viewed_year()
        ids = services.visible_action_ids()
        waiting, chapters = services.distribution(ids)
        session = services.year_session(year) if year is not None else None
        return self.render_template(
            "poesie/hub.html", year=year, waiting=waiting, chapters=chapters, figures=services.figures(year),
            training_session=session, action=services.action_of(year), places=_places(), partner=services.is_partner(),
            defaults={"day": f"{year.start_date.year}-11-18" if year else "", "time": "14:00", "capacity": 30},
        )  # fmt: skip

    @expose("/deplacer", methods=["POST"])
    @has_access
    def move(self):
        ids = services.visible_action_ids()
        production = db.session.get(PoesieProduction, _int(request.form.get("production")))
        if production is None or production.action_id not in ids:
            abort(404)
        version = _int(request.form.get("version"))
        try:
            if request.form.get("direction") in ("up", "down"):
                services.move(production, request.form["direction"], version)
            else:
                chapter = None
                if request.form.get("chapter"):
                    chapter = db.session.get(PoesieChapter, _int(request.form.get("chapter")))
                    if chapter is None or chapter.action_id not in ids:
                        abort(404)
                services.place(production, chapter, version)
        except services.PoesieRefused as refusal:
            flash(str(refusal), "warning")
        return redirect(url_for("PoesieHubView.page") + "#repartition")

    @expose("/ouvrage.pdf")
    @has_access
    def anthology(self):
        from app.documents.response import pdf_response

        from .book import anthology_of

        year = viewed_year()
        document = anthology_of(services.visible_action_ids(), year)
        if document is None:
            flash("Aucune production n'est encore placée dans un chapitre : l'ouvrage-recueil est vide.", "warning")
            return redirect(url_for("PoesieHubView.page"))
        return pdf_response(document, f"La Picardie en Poésie {year.label}.pdf")

    @expose("/formation", methods=["POST"])
    @has_access
    def training(self):
        year = viewed_year()
        form = request.form
        existing = services.year_session(year)
        if existing is not None:
            # the session exists: only the teachers of the classes registered since are added
            starts_at, capacity = existing.starts_at, existing.capacity
        else:
            try:
                starts_at = datetime.strptime(f"{form.get('day', '')} {form.get('time', '')}".strip(), "%Y-%m-%d %H:%M")
            except ValueError:
                flash(f"Date ou heure invalide « {form.get('day', '')} {form.get('time', '')} » : choisissez une date et une heure (hh:mm).", "danger")
                return redirect(url_for("PoesieHubView.page") + "#formation")
            capacity = _int(form.get("capacity"))
        try:
            session, added, skipped, batch = services.organise_training(
                year, starts_at, form.get("place", ""), capacity=capacity or 0, place_detail=form.get("place_detail") or None, user_id=g.user.id,
            )  # fmt: skip
        except services.PoesieRefused as refusal:
            flash(str(refusal), "danger")
            return redirect(url_for("PoesieHubView.page") + "#formation")
        flash(f"Session du {session.starts_at:%d/%m/%Y} : {len(added)} enseignant·e(s) inscrit·e(s) et invité·e(s).", "success")
        for line in skipped:
            flash(line, "warning")
        return redirect(url_for("PoesieHubView.page") + "#formation")


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _places() -> dict[str, str]:
    from app.trainings.models import PLACES

    return PLACES
