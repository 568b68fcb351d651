"""« Actions fédérales relayées »: federal actions the association relays by mail (Consom'acteur, lettres sur les droits de l'enfant...).

The first action plugin built on the core's actions service: its actions are
core ``Action`` rows joined by whole cooperatives (``Registration``), so the
registration page, statuses, history, waiting list, recap export and the
cooperative page work for it unchanged. The plugin adds the federation's
details, the log of relayed mails, one eligibility rule (affiliated
cooperatives only) and carries its details over at the year rollover.
"""

from app.plugins import FEDERAL, PluginInfo, hookimpl
from app.security.roles import ANIMATION, CONSEIL, GESTION, READ, WRITE, grant, menu_access

from . import models  # noqa: F401  (registers the tables before any migration)

PLUGIN = PluginInfo(
    code="relais",
    label="Actions fédérales relayées",
    version="1.0.0",
    description="Les propositions de la fédération relayées par courriel : coopératives participantes et mails relayés.",
    kind=FEDERAL,
)

MENU_CATEGORY = "FederalActions"
MENU = {"RelaisActions": "FederalActionView", "RelaisMails": "RelayedMailView"}


@hookimpl
def occe_role_permissions():
    """Animation runs the relayed actions; Gestion and Conseil read them."""
    export = ("can_export",)
    readers = [grant(view, READ + export) for view in MENU.values()] + [menu_access(MENU_CATEGORY, *MENU)]
    return {
        ANIMATION: [grant(view, WRITE + export) for view in MENU.values()] + [menu_access(MENU_CATEGORY, *MENU)],
        GESTION: readers,
        CONSEIL: readers,
    }


@hookimpl
def occe_views(menu):
    from .views import FederalActionView, RelayedMailView

    common = {"category": MENU_CATEGORY, "category_label": "Actions fédérales", "category_icon": "fa-flag"}
    menu.add_view(FederalActionView, "RelaisActions", label="Actions relayées", icon="fa-bullhorn", **common)
    menu.add_view(RelayedMailView, "RelaisMails", label="Mails relayés", icon="fa-envelope", **common)


@hookimpl
def occe_dashboard_cards(year):
    from flask import url_for

    from app.actions.figures import registrations_card

    return [registrations_card(PLUGIN.code, "Actions fédérales relayées : coopératives participantes", year, url_for("FederalActionView.list"))]


@hookimpl
def occe_registration_eligibility(action, cooperative, classroom):
    from .services import membership_problem

    problem = membership_problem(action, cooperative)
    return [problem] if problem else []


@hookimpl
def occe_year_opened(year, previous):
    from .services import copy_details

    copy_details(previous, year)


@hookimpl
def occe_demo_data(year):
    from .services import add_demo

    add_demo(year)


@hookimpl
def occe_report_sections(year):
    from .report import section

    return [section(year)]
