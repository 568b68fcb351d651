"""« Porté Disparu »: the OCCE federation's environment action, relayed by the association.

Built on the core's services, like ``plugins/relais``: the action is a core
``Action`` per school year joined by classes (registration page, statuses,
waiting list, recap export come from ``app.actions``); the endangered-species
kits and the Ecocoop trunk are two kinds of items of the core's loans service;
the federation's mails are relayed through the core's mail service (template
``mail:relais_federal``) and logged; the federation's registration recap
(CSV or XLSX) is imported, matched to our cooperatives and their classes, with
the unmatched lines kept and reported.
"""

from app.plugins import FEDERAL, PluginInfo, hookimpl
from app.security.roles import ANIMATION, CONSEIL, GESTION, READ, grant, menu_access

from . import models  # noqa: F401  (registers the tables before any migration)

PLUGIN = PluginInfo(
    code="porte_disparu",
    label="Porté Disparu",
    version="1.0.0",
    description="Action fédérale sur l'environnement : inscriptions, prêts de kits d'espèces menacées et de la malle Ecocoop, "
    "courriels de la fédération relayés, import du récapitulatif des inscriptions.",
    kind=FEDERAL,
)

MENU_CATEGORY = "PorteDisparu"
MENU_LINES, MENU_IMPORT, MENU_RELAYS, MENU_RELAY_PREVIEW = "PorteDisparuLines", "PorteDisparuImport", "PorteDisparuRelays", "PorteDisparuRelayPreview"


@hookimpl
def occe_role_permissions():
    """Animation runs the action (import, relay); Gestion and Conseil read the recap and the relayed mails."""
    readers = [
        grant("PorteDisparuLineView", READ),
        grant("PorteDisparuRelayView", READ),
        menu_access(MENU_CATEGORY, MENU_LINES, MENU_RELAYS),
    ]
    return {
        ANIMATION: [
            grant("PorteDisparuLineView", READ + ("can_export",)),
            grant("PorteDisparuRelayView", READ + ("can_add", "can_export")),
            grant("PorteDisparuImportView", ("can_import", "can_relay")),
            menu_access(MENU_CATEGORY, MENU_LINES, MENU_IMPORT, MENU_RELAYS, MENU_RELAY_PREVIEW),
        ],
        GESTION: readers,
        CONSEIL: readers,
    }


@hookimpl
def occe_views(menu):
    from flask import Blueprint, current_app

    from .views import PorteDisparuImportView, PorteDisparuLineView, PorteDisparuRelayView

    if "porte_disparu_templates" not in current_app.blueprints:
        current_app.register_blueprint(Blueprint("porte_disparu_templates", __name__, template_folder="templates"))
    common = {"category": MENU_CATEGORY, "category_label": "Porté Disparu", "category_icon": "fa-paw"}
    menu.add_view(PorteDisparuLineView, MENU_LINES, label="Récapitulatif de la fédération", icon="fa-list", **common)
    menu.add_view(PorteDisparuImportView, MENU_IMPORT, label="Importer le récapitulatif", icon="fa-file-import", **common)
    menu.add_view(PorteDisparuRelayView, MENU_RELAYS, label="Courriels de la fédération relayés", icon="fa-envelope", **common)
    menu.add_link(
        MENU_RELAY_PREVIEW, href="/porte-disparu/recapitulatif/relayer", label="Relayer avec aperçu (Nouvel envoi)", icon="fa-eye", **common
    )


@hookimpl
def occe_loan_item_kinds():
    from .services import LOAN_KINDS

    return list(LOAN_KINDS)


@hookimpl
def occe_dashboard_cards(year):
    from flask import url_for

    from app.actions.figures import registrations_card

    return [registrations_card(PLUGIN.code, "Porté Disparu : classes inscrites", year, url_for("PorteDisparuLineView.list"))]


@hookimpl
def occe_plugin_switched(year, enabled):
    from .services import ensure_year_action

    from app.extensions import db

    if enabled:
        ensure_year_action(year)
        db.session.commit()


@hookimpl
def occe_year_opened(year):
    from .services import ensure_year_action

    ensure_year_action(year)


@hookimpl
def occe_demo_data(year):
    from .services import add_demo

    add_demo(year)


@hookimpl
def occe_report_sections(year):
    from .report import section

    return [section(year)]
