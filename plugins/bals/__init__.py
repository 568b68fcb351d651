"""Bals en liance 02: traditional dances learnt in the classes with an artist of the Caravane d'Art, and the year's ball.

A partner-led action: its classes register to a core ``Action`` (registration
pages, statuses, recap export unchanged); the Caravane d'Art - Cie Allant
Vers is tied to it (``ActionPartner``; the same organisation also works on
THEA 02) so its artist sees the classes and records the sessions in « Espace
partenaire ». The artists' sessions, the hours per partner, the ball and the
teachers' (in)formation are the core's (``app.partners``); Bals en liance
adds what each class dances and the ball's list of classes.
"""

from flask_babel import lazy_gettext as _

from app.plugins import PARTNER, PluginInfo, hookimpl
from app.security.roles import ANIMATION, CONSEIL, GESTION, PARTENAIRE, READ, WRITE, grant, menu_access

from . import models  # noqa: F401  (registers the tables before any migration)

PLUGIN = PluginInfo(
    code="bals",
    label="Bals en liance 02 (danse)",
    version="1.0.0",
    description="Danses traditionnelles en classe avec la Caravane d'Art : danses des classes, séances de l'artiste, bal de fin d'année.",
    kind=PARTNER,
    yearly=True,
)

MENU_CATEGORY = "Bals"
MENU = {"BalsDances": "BalsDanceView", "BalsBall": "BalsBallView"}
#: the partners' entry, in the core's « Espace partenaire » category
PARTNER_CATEGORY = "PartnerSpace"
BALL = ("can_list", "can_pdf")


@hookimpl
def occe_role_permissions():
    """Animation writes the dances; Gestion reads and exports; Conseil reads; partners read their own classes' dances."""
    menus = menu_access(MENU_CATEGORY, *MENU)
    return {
        ANIMATION: [grant("BalsDanceView", WRITE + ("can_export",)), grant("BalsBallView", BALL), menus],
        GESTION: [grant("BalsDanceView", READ + ("can_export",)), grant("BalsBallView", BALL), menus],
        CONSEIL: [grant("BalsDanceView", READ), grant("BalsBallView", BALL), menus],
        PARTENAIRE: [grant("BalsPartnerDanceView", READ), menu_access(PARTNER_CATEGORY, "BalsPartnerDances")],
    }


@hookimpl
def occe_views(menu):
    from flask import Blueprint
    from flask import current_app as app

    from .views import BalsBallView, BalsDanceView, BalsPartnerDanceView

    if "bals_templates" not in app.blueprints:
        app.register_blueprint(Blueprint("bals_templates", __name__, template_folder="templates"))
    common = {"category": MENU_CATEGORY, "category_label": _("Bals en liance 02"), "category_icon": "fa-music"}
    menu.add_view(BalsDanceView, "BalsDances", label=_("Danses des classes"), icon="fa-shoe-prints", **common)
    menu.add_view(BalsBallView, "BalsBall", label=_("Le bal"), icon="fa-users", **common)
    menu.add_view(BalsPartnerDanceView, "BalsPartnerDances", label=_("Danses Bals en liance"), icon="fa-music",
                  category=PARTNER_CATEGORY, category_label=_("Espace partenaire"), category_icon="fa-handshake")  # fmt: skip


@hookimpl
def occe_dashboard_cards(year):
    from flask import url_for

    from app.partners.led import action_card

    from .services import action_of

    return [action_card(year, action_of(year), title="Bals en liance 02 : classes retenues", url=url_for("BalsDanceView.list"), artists="l'artiste")]


@hookimpl
def occe_plugin_switched(year, enabled):
    from app.extensions import db

    from .services import ensure_bals_action

    if enabled:
        ensure_bals_action(year)
        db.session.commit()


@hookimpl
def occe_year_opened(year, previous):
    from .services import ensure_bals_action

    ensure_bals_action(year)


@hookimpl
def occe_demo_data(year):
    from .services import add_demo

    add_demo(year)


@hookimpl
def occe_report_sections(year):
    from .report import section

    return [section(year)]
