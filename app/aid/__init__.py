"""Aides financières, a core area on the plugin contract (always on).

Requests of the cooperatives for their projects, the commission's decisions,
payments and project reports. Action plugins create their own aids (transport
to the museum...) through :mod:`app.aid.service`.
"""

from flask_babel import lazy_gettext as _

from app.plugins import CORE, PluginInfo, hookimpl
from app.security.roles import CONSEIL, GESTION, READ, grant, menu_access

from . import models  # noqa: F401  (registers the tables)

PLUGIN = PluginInfo(
    code="aid",
    label="Aides financières",
    version="1.0.0",
    description="Aides financières aux projets des coopératives : demandes, décision de la commission, versement, bilan du projet.",
    kind=CORE,
    yearly=False,
)

CATEGORY = "Management"  # « Gestion »: CRFS and checks, financial aid, sales under one menu
MENU = {"AidRequests": "AidRequestView", "AidCommission": "AidCommissionView"}


@hookimpl
def occe_role_permissions():
    """Gestion records everything (requests, decisions, payments, reports, files); Conseil reads; Animation has no access."""
    return {
        GESTION: [
            grant("AidRequestView", ("can_list", "can_show", "can_add", "can_edit", "can_delete", "can_export", "can_pay", "can_report", "can_download")),
            grant("AidCommissionView", ("can_list", "can_decide")),
            menu_access(CATEGORY, *MENU),
        ],
        CONSEIL: [
            grant("AidRequestView", READ),
            grant("AidCommissionView", ("can_list",)),
            menu_access(CATEGORY, *MENU),
        ],
    }


@hookimpl
def occe_views(menu):
    from app.aid import views

    menu.add_separator(CATEGORY)
    common = {"category": CATEGORY, "category_label": _("Gestion"), "category_icon": "fa-euro-sign"}
    menu.add_view(views.AidRequestView, "AidRequests", label=_("Demandes d'aide"), icon="fa-file-invoice-dollar", **common)
    menu.add_view(views.AidCommissionView, "AidCommission", label=_("Commission des aides"), icon="fa-gavel", **common)


@hookimpl
def occe_mail_templates():
    from app.aid.mails import TEMPLATES

    return list(TEMPLATES)


@hookimpl
def occe_dashboard_cards(year):
    from app.aid.figures import dashboard_card

    card = dashboard_card(year)
    return [card] if card is not None else []


@hookimpl
def occe_cooperative_tabs(cooperative):
    from app.aid.figures import aid_tab

    return [aid_tab(cooperative)]


@hookimpl
def occe_demo_data(year):
    from app.aid.demo import load_aid_demo

    load_aid_demo(year)


@hookimpl
def occe_report_sections(year):
    from app.aid.report import report_sections

    return report_sections(year)
