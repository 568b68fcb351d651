"""External partners' access, a core area on the plugin contract (always on).

Artists, the museum and the publisher sign in with the Partenaire role and see
only the classes of the actions their organisation works on; they record the
sessions they give. The row scoping lives in :mod:`app.partners.scope`;
partner-led action plugins (THEA, Bals en liance...) use the shared sessions.
"""

from flask_babel import lazy_gettext as _

from app.plugins import CORE, PluginInfo, hookimpl
from app.security.roles import ANIMATION, CONSEIL, GESTION, PARTENAIRE, READ, WRITE, grant, menu_access

from . import models  # noqa: F401  (registers the tables)

PLUGIN = PluginInfo(
    code="partners",
    label="Accès des partenaires",
    version="1.0.0",
    description="Comptes des partenaires extérieurs, actions sur lesquelles ils travaillent, leurs classes et leurs séances, sans rien d'autre.",
    kind=CORE,
    yearly=False,
)

PARTNER_CATEGORY = "PartnerSpace"
STAFF_CATEGORY = "PartnersAccess"


@hookimpl
def occe_role_permissions():
    """Partners see their classes and record their sessions; Gestion ties accounts; Animation and Gestion tie actions."""
    staff_sessions = grant("PartnerSessionStaffView", READ)
    return {
        PARTENAIRE: [
            grant("PartnerRegistrationView", READ),
            grant("PartnerSessionView", ("can_list", "can_show", "can_add", "can_edit", "mark_held")),
            menu_access(PARTNER_CATEGORY, "PartnerClasses", "PartnerSessions"),
        ],
        ANIMATION: [grant("ActionPartnerView", WRITE), staff_sessions, menu_access(STAFF_CATEGORY, "ActionPartners", "PartnerSessionsStaff")],
        GESTION: [
            grant("ActionPartnerView", WRITE),
            grant("PartnerAccountView", WRITE),
            staff_sessions,
            menu_access(STAFF_CATEGORY, "ActionPartners", "PartnerAccounts", "PartnerSessionsStaff"),
        ],
        CONSEIL: [staff_sessions, grant("ActionPartnerView", READ), menu_access(STAFF_CATEGORY, "ActionPartners", "PartnerSessionsStaff")],
    }


@hookimpl
def occe_views(menu):
    from app.partners import views

    mine = {"category": PARTNER_CATEGORY, "category_label": _("Espace partenaire"), "category_icon": "fa-handshake"}
    menu.add_view(views.PartnerRegistrationView, "PartnerClasses", label=_("Mes classes"), icon="fa-school", **mine)
    menu.add_view(views.PartnerSessionView, "PartnerSessions", label=_("Mes séances"), icon="fa-calendar-check", **mine)
    staff = {"category": STAFF_CATEGORY, "category_label": _("Partenaires"), "category_icon": "fa-handshake"}
    menu.add_view(views.ActionPartnerView, "ActionPartners", label=_("Partenaires des actions"), icon="fa-link", **staff)
    menu.add_view(views.PartnerSessionStaffView, "PartnerSessionsStaff", label=_("Séances des partenaires"), icon="fa-calendar-check", **staff)
    menu.add_view(views.PartnerAccountView, "PartnerAccounts", label=_("Comptes des partenaires"), icon="fa-user-lock", **staff)
