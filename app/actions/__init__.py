"""Yearly actions and registrations, a core area on the plugin contract (always on).

Every action plugin registers classes through :mod:`app.actions.service`;
its own rules come in through ``occe_registration_eligibility`` and
``occe_registration_quota``.
"""

from flask import url_for
from flask_babel import lazy_gettext as _

from app.plugins import CORE, DashboardCard, PluginInfo, hookimpl
from app.security.roles import ANIMATION, CONSEIL, GESTION, READ, WRITE, grant, menu_access

from . import models  # noqa: F401  (registers the tables)

PLUGIN = PluginInfo(
    code="actions",
    label="Actions et inscriptions",
    version="1.0.0",
    description="Les actions de l'année, les inscriptions des classes, les propositions de fin août.",
    kind=CORE,
    yearly=False,
)

CATEGORY = "Actions"
STATUS_PERMISSIONS = ("retain", "wait", "refuse", "mark_done", "cancel")
EXPORT = ("can_export",)


@hookimpl
def occe_role_permissions():
    """Animation runs the actions and registrations; Gestion and Conseil read them."""
    readers = [
        grant("ActionView", READ + EXPORT),
        grant("RegistrationView", READ + EXPORT),
        grant("RegistrationEventView", ("can_list",)),
        grant("ProposalsView", ("can_list", "can_export")),
        menu_access(CATEGORY, "Actions", "Registrations", "Proposals"),
    ]
    return {
        ANIMATION: [
            grant("ActionView", WRITE + EXPORT),
            grant("RegistrationView", ("can_list", "can_show", "can_edit", *EXPORT, *STATUS_PERMISSIONS)),
            grant("RegistrationEventView", ("can_list",)),
            grant("RegisterView", ("can_register",)),
            grant("ProposalsView", ("can_list", "can_export")),
            menu_access(CATEGORY, "Actions", "Registrations", "Register", "Proposals"),
        ],
        GESTION: readers,
        CONSEIL: readers,
    }


@hookimpl
def occe_views(menu):
    from app.actions.proposals_view import ProposalsView
    from app.actions.register_view import RegisterView
    from app.actions.views import ActionView, RegistrationEventView, RegistrationView

    common = {"category": CATEGORY, "category_label": _("Actions"), "category_icon": "fa-star"}
    menu.add_view(ActionView, "Actions", label=_("Actions de l'année"), icon="fa-list", **common)
    menu.add_view(RegistrationView, "Registrations", label=_("Inscriptions"), icon="fa-clipboard-list", **common)
    menu.add_view(RegisterView, "Register", label=_("Inscrire une classe"), icon="fa-user-plus", **common)
    menu.add_view(ProposalsView, "Proposals", label=_("Propositions de fin août"), icon="fa-envelope-open-text", **common)
    menu.add_view_no_menu(RegistrationEventView)


@hookimpl
def occe_dashboard_cards(year):
    from app.actions.figures import registrations_per_action

    rows = registrations_per_action(year)
    total = sum(count for _name, count in rows)
    return [
        DashboardCard(
            title=_("Inscriptions en %(year)s", year=year.label),
            value=str(total),
            detail=_("classes ou coopératives inscrites (hors refus et annulations), par action"),
            url=url_for("RegistrationView.list"),
            bars=tuple(rows),
        )
    ]


@hookimpl
def occe_cooperative_tabs(cooperative):
    from app.actions.figures import registrations_tab

    return [registrations_tab(cooperative)]


@hookimpl
def occe_report_sections(year):
    from app.actions.report import report_sections

    return report_sections(year)
