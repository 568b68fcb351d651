"""CRFS et vérifications, a core area on the plugin contract (always on).

Each cooperative sends its CRFS (compte rendu financier simplifié) for the
school year just ended by 30 September; the staff record its reception and
pieces, follow the missing and late ones, remind the mandataires, and keep the
history of the account checks. Other areas ask
:func:`app.accounts.service.crfs_warning` before an aid or an action.
"""

from flask_babel import lazy_gettext as _

from app.plugins import CORE, PluginInfo, hookimpl
from app.security.roles import CONSEIL, GESTION, READ, WRITE, grant, menu_access

from . import models  # noqa: F401  (registers the tables)

PLUGIN = PluginInfo(
    code="accounts",
    label="CRFS et vérifications",
    version="1.0.0",
    description="Comptes rendus financiers simplifiés (CRFS) des coopératives et vérifications de comptes : réception, pièces, anomalies, retards, relances.",
    kind=CORE,
    yearly=False,
)

CATEGORY = "Management"  # « Gestion »: CRFS and checks, financial aid, sales under one menu
MENU = ("Crfs", "CrfsMissing", "AccountChecks")


@hookimpl
def occe_role_permissions():
    """Gestion runs the CRFS and the checks; Conseil reads them (no export); Animation has no access."""
    return {
        GESTION: [
            grant("CrfsView", WRITE + ("can_export", "can_download")),
            grant("CrfsReceptionView", ("can_receive",)),
            grant("CrfsMissingView", ("can_list", "can_remind")),
            grant("AccountCheckView", WRITE + ("can_export",)),
            menu_access(CATEGORY, *MENU),
        ],
        CONSEIL: [
            grant("CrfsView", READ),
            grant("CrfsMissingView", ("can_list",)),
            grant("AccountCheckView", READ),
            menu_access(CATEGORY, *MENU),
        ],
    }


@hookimpl
def occe_views(menu):
    from app.accounts import views

    common = {"category": CATEGORY, "category_label": _("Gestion"), "category_icon": "fa-euro-sign"}
    menu.add_view(views.CrfsView, "Crfs", label=_("CRFS"), icon="fa-file-invoice", **common)
    menu.add_view(views.CrfsMissingView, "CrfsMissing", label=_("CRFS manquants et en retard"), icon="fa-exclamation-triangle", **common)
    menu.add_view(views.AccountCheckView, "AccountChecks", label=_("Vérifications des comptes"), icon="fa-search-dollar", **common)
    menu.add_view_no_menu(views.CrfsReceptionView)


@hookimpl
def occe_mail_templates():
    from app.accounts.reminders import TEMPLATES

    return list(TEMPLATES)


@hookimpl
def occe_dashboard_cards(year):
    from app.accounts.figures import dashboard_cards

    return dashboard_cards(year)


@hookimpl
def occe_cooperative_tabs(cooperative):
    from app.accounts.figures import cooperative_tabs

    return cooperative_tabs(cooperative)


@hookimpl
def occe_demo_data(year):
    from app.accounts.demo import load_accounts_demo

    load_accounts_demo(year)


@hookimpl
def occe_report_sections(year):
    from app.accounts.report import report_sections

    return report_sections(year)
