"""The French pages of THEA 02: the classes' plays (staff and partners) and the rencontre théâtrale's programme."""

from __future__ import annotations

import re
from datetime import time

from flask import flash, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import lazy_gettext as _
from wtforms.validators import DataRequired, NumberRange

from app.datamodel import OcceSQLAInterface
from app.partners.led import ClassSheetPartnerView, ClassSheetStaffView
from app.views import french_date
from app.years.context import viewed_year

from . import services
from .models import TheaClassProject

LABELS = {
    "registration": _("Classe"),
    "action": _("Action"),
    "school_name": _("École"),
    "class_name": _("Classe"),
    "title": _("Titre du spectacle"),
    "author": _("Auteur ou source du texte"),
    "theme": _("Thème"),
    "duration_minutes": _("Durée (minutes)"),
    "stage_needs": _("Besoins scéniques"),
}


class TheaProjectView(ClassSheetStaffView):
    """The plays of the viewed year's retained classes (Animation writes them with the teachers)."""

    plugin_code = services.CODE
    action_label = "THEA 02"
    waiting = "son projet attendra qu'elle le soit"
    route_base = "/thea/projets"
    datamodel = OcceSQLAInterface(TheaClassProject)
    list_title = _("THEA 02 : projets des classes")
    show_title = _("Projet théâtre d'une classe")
    add_title = _("Ajouter le projet d'une classe")
    edit_title = _("Modifier le projet d'une classe")
    label_columns = LABELS
    list_columns = ["registration", "title", "author", "theme", "duration_minutes"]
    export_columns = ["registration", "title", "author", "theme", "duration_minutes", "stage_needs"]
    show_columns = ["registration", "school_name", "title", "author", "theme", "duration_minutes", "stage_needs"]
    add_columns = ["registration", "title", "author", "theme", "duration_minutes", "stage_needs"]
    edit_columns = ["title", "author", "theme", "duration_minutes", "stage_needs"]
    search_columns = ["title", "author", "theme"]
    order_columns = ["title", "duration_minutes"]
    base_order = ("title", "asc")
    validators_columns = {
        "title": [DataRequired(message=_("Donnez le titre du spectacle."))],
        "duration_minutes": [DataRequired(message=_("Indiquez la durée du spectacle en minutes.")),
                             NumberRange(min=1, max=90, message=_("La durée du spectacle se compte en minutes, de 1 à 90."))],
    }  # fmt: skip

    def pre_add(self, item: TheaClassProject) -> None:
        services.check_project(item)  # a forged POST with another action's registration is refused here

    def pre_update(self, item: TheaClassProject) -> None:
        services.check_project(item)


class TheaPartnerProjectView(ClassSheetPartnerView):
    """« Projets THEA » for the partner's artists: the plays of their own classes only, read only."""

    route_base = "/partenaire/thea"
    datamodel = OcceSQLAInterface(TheaClassProject)
    list_title = _("THEA 02 : projets de mes classes")
    show_title = _("Projet théâtre d'une classe")
    label_columns = LABELS
    list_columns = ["registration", "school_name", "title", "theme", "duration_minutes"]
    show_columns = ["registration", "school_name", "title", "author", "theme", "duration_minutes", "stage_needs"]
    search_columns = ["title", "theme"]
    base_order = ("title", "asc")


_TIME = re.compile(r"^([01]?\d|2[0-3])[:h]([0-5]\d)$")


def _start_and_gap(event) -> tuple[time, int, list[str]]:
    """The running order's start (the event's, unless typed) and changeover from the query string (GET, nothing is stored)."""
    problems, gap = [], services.DEFAULT_GAP_MINUTES
    start = (event.starts_at if event is not None else None) or services.DEFAULT_START
    typed = (request.args.get("debut") or "").strip()
    if typed:
        match = _TIME.match(typed)
        if match:
            start = time(int(match.group(1)), int(match.group(2)))
        else:
            problems.append(f"Heure de début « {typed} » non comprise : écrivez-la 09:30 ou 9h30.")
    typed_gap = (request.args.get("entracte") or "").strip()
    if typed_gap:
        if typed_gap.isdigit() and int(typed_gap) <= 60:
            gap = int(typed_gap)
        else:
            problems.append(f"Entracte « {typed_gap} » non compris : un nombre de minutes, de 0 à 60.")
    return start, gap, problems


class TheaProgrammeView(BaseView):
    """The rencontre théâtrale of the viewed year: its running order, on screen and in PDF."""

    route_base = "/thea/rencontre"
    default_view = "page"
    base_permissions = ["can_list", "can_pdf"]
    method_permission_name = {"page": "list", "pdf": "pdf"}

    def _programme(self):
        year = viewed_year()
        event = services.closing_event(year)
        start, gap, problems = _start_and_gap(event)
        slots = services.running_order(list(event.registrations), event.held_on, start, gap) if event is not None and event.held_on else []
        return year, event, start, gap, problems, slots

    @expose("/")
    @has_access
    def page(self):
        year, event, start, gap, problems, slots = self._programme()
        for problem in problems:
            flash(problem, "warning")
        return self.render_template(
            "thea/programme.html", year=year, event=event, slots=slots, start=start, gap=gap, french_date=french_date,
            typed_start=request.args.get("debut", start.strftime("%H:%M")), typed_gap=request.args.get("entracte", str(gap)),
        )  # fmt: skip

    @expose("/pdf")
    @has_access
    def pdf(self):
        from app.documents.render import recap
        from app.documents.response import pdf_response

        year, event, start, gap, _problems, slots = self._programme()
        if event is None:
            flash(f"Aucune rencontre théâtrale n'est programmée pour {year.label}.", "warning")
            return redirect(url_for("TheaProgrammeView.page"))
        rows = [
            [f"{slot.starts_at:%H:%M}", f"{slot.ends_at:%H:%M}", slot.registration.classroom.name if slot.registration.classroom else "",
             slot.registration.school_name, slot.project.title if slot.project else "(projet à préciser)", f"{slot.minutes} min"]
            for slot in slots
        ]  # fmt: skip
        details = [f"{french_date(event.held_on)} — {event.venue or 'lieu à préciser'}", f"Début {start:%H:%M}, {gap} min entre deux spectacles"]
        document = recap(event.title, ["Début", "Fin", "Classe", "École", "Spectacle", "Durée"], rows, subtitle="Ordre de passage", details=details)
        return pdf_response(document, f"Rencontre THEA {year.label}.pdf")
