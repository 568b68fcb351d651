"""THEA 02: theatre in the classes with the artists of partner companies, and the year's rencontre théâtrale.

A partner-led action: its classes register to a core ``Action`` (registration
pages, statuses, recap export unchanged); the Théâtre de La Mascara and the
Caravane d'Art are tied to it (``ActionPartner``) so their artists see their
classes and record their sessions in « Espace partenaire ». The artists'
sessions, the hours per partner, the closing event and the teachers'
(in)formation are the core's (``app.partners``); THEA adds each class's play
and the rencontre's running order built from the plays' durations.
"""

from flask_babel import lazy_gettext as _

from app.plugins import PARTNER, PluginInfo, hookimpl
from app.security.roles import ANIMATION, CONSEIL, GESTION, PARTENAIRE, READ, WRITE, grant, menu_access

from . import models  # noqa: F401  (registers the tables before any migration)

PLUGIN = PluginInfo(
    code="thea",
    label="THEA 02 (théâtre)",
    version="1.0.0",
    description="Théâtre en classe avec La Mascara et la Caravane d'Art : projets des classes, séances des artistes, rencontre théâtrale.",
    kind=PARTNER,
    yearly=True,
)

MENU_CATEGORY = "Thea"
MENU = {"TheaProjects": "TheaProjectView", "TheaProgramme": "TheaProgrammeView"}
#: the partners' entry, in the core's « Espace partenaire » category
PARTNER_CATEGORY = "PartnerSpace"
PROGRAMME = ("can_list", "can_pdf")


@hookimpl
def occe_role_permissions():
    """Animation writes the plays; Gestion reads and exports; Conseil reads; partners read their own classes' plays."""
    menus = menu_access(MENU_CATEGORY, *MENU)
    return {
        ANIMATION: [grant("TheaProjectView", WRITE + ("can_export",)), grant("TheaProgrammeView", PROGRAMME), menus],
        GESTION: [grant("TheaProjectView", READ + ("can_export",)), grant("TheaProgrammeView", PROGRAMME), menus],
        CONSEIL: [grant("TheaProjectView", READ), grant("TheaProgrammeView", PROGRAMME), menus],
        PARTENAIRE: [grant("TheaPartnerProjectView", READ), menu_access(PARTNER_CATEGORY, "TheaPartnerProjects")],
    }


@hookimpl
def occe_views(menu):
    from flask import Blueprint
    from flask import current_app as app

    from .views import TheaPartnerProjectView, TheaProgrammeView, TheaProjectView

    if "thea_templates" not in app.blueprints:
        app.register_blueprint(Blueprint("thea_templates", __name__, template_folder="templates"))
    common = {"category": MENU_CATEGORY, "category_label": _("THEA 02"), "category_icon": "fa-theater-masks"}
    menu.add_view(TheaProjectView, "TheaProjects", label=_("Projets des classes"), icon="fa-book-open", **common)
    menu.add_view(TheaProgrammeView, "TheaProgramme", label=_("Rencontre théâtrale"), icon="fa-list-ol", **common)
    menu.add_view(TheaPartnerProjectView, "TheaPartnerProjects", label=_("Projets THEA"), icon="fa-theater-masks",
                  category=PARTNER_CATEGORY, category_label=_("Espace partenaire"), category_icon="fa-handshake")  # fmt: skip


@hookimpl
def occe_dashboard_cards(year):
    from flask import url_for

    from app.partners.led import action_card

    from .services import action_of

    return [action_card(year, action_of(year), title="THEA 02 : classes retenues", url=url_for("TheaProjectView.list"))]


@hookimpl
def occe_plugin_switched(year, enabled):
    from app.extensions import db

    from .services import ensure_thea_action

    if enabled:
        ensure_thea_action(year)
        db.session.commit()


@hookimpl
def occe_year_opened(year, previous):
    from .services import ensure_thea_action

    ensure_thea_action(year)


@hookimpl
def occe_demo_data(year):
    from .services import add_demo

    add_demo(year)


@hookimpl
def occe_report_sections(year):
    from .report import section

    return [section(year)]
