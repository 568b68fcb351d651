"""The French pages of Bals en liance 02: what the classes dance (staff and partners) and the ball's classes."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import lazy_gettext as _
from wtforms.validators import DataRequired, InputRequired, NumberRange

from app.datamodel import OcceSQLAInterface
from app.partners.led import ClassSheetPartnerView, ClassSheetStaffView
from app.views import french_date
from app.years.context import viewed_year

from . import services
from .models import BalsClassDance

LABELS = {
    "registration": _("Classe"),
    "action": _("Action"),
    "school_name": _("École"),
    "class_name": _("Classe"),
    "dances": _("Danses travaillées"),
    "music": _("Musiques"),
    "dancers": _("Danseurs"),
    "accessibility_needs": _("Besoins d'accessibilité"),
}


class BalsDanceView(ClassSheetStaffView):
    """What the viewed year's retained classes dance at the ball (Animation writes it with the teachers)."""

    plugin_code = services.CODE
    action_label = "Bals en liance 02"
    waiting = "ses danses attendront qu'elle le soit"
    route_base = "/bals/danses"
    datamodel = OcceSQLAInterface(BalsClassDance)
    list_title = _("Bals en liance 02 : danses des classes")
    show_title = _("Danses d'une classe")
    add_title = _("Ajouter les danses d'une classe")
    edit_title = _("Modifier les danses d'une classe")
    label_columns = LABELS
    list_columns = ["registration", "dances", "music", "dancers"]
    export_columns = ["registration", "dances", "music", "dancers", "accessibility_needs"]
    show_columns = ["registration", "school_name", "dances", "music", "dancers", "accessibility_needs"]
    add_columns = ["registration", "dances", "music", "dancers", "accessibility_needs"]
    edit_columns = ["dances", "music", "dancers", "accessibility_needs"]
    search_columns = ["dances", "music"]
    order_columns = ["dancers"]
    base_order = ("id", "asc")
    validators_columns = {
        "dances": [DataRequired(message=_("Indiquez les danses travaillées par la classe."))],
        "dancers": [InputRequired(message=_("Indiquez le nombre de danseurs.")),
                    NumberRange(min=1, max=60, message=_("Le nombre de danseurs va de 1 à 60."))],
    }  # fmt: skip

    def pre_add(self, item: BalsClassDance) -> None:
        services.check_dance(item)  # a forged POST with another action's registration is refused here

    def pre_update(self, item: BalsClassDance) -> None:
        services.check_dance(item)


class BalsPartnerDanceView(ClassSheetPartnerView):
    """« Danses Bals en liance » for the partner's artists: the dances of their own classes only, read only."""

    route_base = "/partenaire/bals"
    datamodel = OcceSQLAInterface(BalsClassDance)
    list_title = _("Bals en liance 02 : danses de mes classes")
    show_title = _("Danses d'une classe")
    label_columns = LABELS
    list_columns = ["registration", "school_name", "dances", "dancers"]
    show_columns = ["registration", "school_name", "dances", "music", "dancers", "accessibility_needs"]
    search_columns = ["dances"]
    base_order = ("id", "asc")


class BalsBallView(BaseView):
    """The ball of the viewed year: its classes with their dances and dancers, on screen and in PDF."""

    route_base = "/bals/bal"
    default_view = "page"
    base_permissions = ["can_list", "can_pdf"]
    method_permission_name = {"page": "list", "pdf": "pdf"}

    def _ball(self):
        year = viewed_year()
        event = services.closing_event(year)
        rows = services.ball_classes(event.registrations) if event is not None else []
        return year, event, rows

    @expose("/")
    @has_access
    def page(self):
        year, event, rows = self._ball()
        return self.render_template("bals/ball.html", year=year, event=event, rows=rows, dancers=services.dancers_count(rows), french_date=french_date)

    @expose("/pdf")
    @has_access
    def pdf(self):
        from app.documents.render import recap
        from app.documents.response import pdf_response

        year, event, rows = self._ball()
        if event is None:
            flash(f"Aucun bal n'est programmé pour {year.label}.", "warning")
            return redirect(url_for("BalsBallView.page"))
        lines = [
            [registration.classroom.name if registration.classroom else "", registration.school_name,
             sheet.dances if sheet else "(danses à préciser)", sheet.dancers if sheet else registration.class_pupils or "",
             (sheet.accessibility_needs or "") if sheet else ""]
            for registration, sheet in rows
        ]  # fmt: skip
        when = french_date(event.held_on) + (f" à {event.starts_at:%H:%M}" if event.starts_at else "")
        details = [f"{when} — {event.venue}", f"{len(rows)} classe(s), {services.dancers_count(rows)} danseurs"]
        document = recap(event.title, ["Classe", "École", "Danses", "Danseurs", "Accessibilité"], lines, subtitle="Classes du bal", details=details)
        return pdf_response(document, f"Bal Bals en liance {year.label}.pdf")
