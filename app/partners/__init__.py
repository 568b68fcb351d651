"""External partners' access, a core area on the plugin contract (always on).

Artists, the museum and the publisher sign in with the Partenaire role and see
only the classes of the actions their organisation works on; they record the
sessions they give. The row scoping lives in :mod:`app.partners.scope`;
partner-led action plugins (THEA, Bals en liance...) use the shared sessions.

Shared through the core for every partner-led action (see each module's docstring):

- :mod:`app.partners.schedule`: each artist's sessions by date and their clashes (pure);
- :mod:`app.partners.service`: hours per partner and action (``hours_by_partner``),
  a session's clashes, the closing events (``create_event``);
- :mod:`app.partners.teachers_training`: one (in)formation session for the
  teachers of several actions, each registered and invited once;
- :mod:`app.partners.pages`: « Planning des artistes », « Heures par partenaire »,
  « Rencontres et bals », « Mes rencontres », « Formation des enseignants »;
- :class:`app.partners.views.ClashWarningMixin`: a warning after saving a clashing session.
"""

from flask import url_for
from flask_babel import lazy_gettext as _

from app.plugins import CORE, DashboardCard, PluginInfo, hookimpl
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
    planning = grant("ArtistPlanningView", ("can_list",))
    read_events = grant("PartnerEventView", READ)
    return {
        PARTENAIRE: [
            grant("PartnerRegistrationView", READ),
            grant("PartnerSessionView", ("can_list", "can_show", "can_add", "can_edit", "mark_held")),
            grant("PartnerPlanningView", ("can_list",)),
            grant("MyPartnerEventView", READ),
            menu_access(PARTNER_CATEGORY, "PartnerClasses", "PartnerSessions", "PartnerPlanning", "PartnerEvents"),
        ],
        ANIMATION: [
            grant("ActionPartnerView", WRITE),
            staff_sessions,
            planning,
            grant("PartnerHoursView", ("can_list",)),
            grant("PartnerEventView", WRITE),
            grant("TeachersTrainingView", ("can_list", "can_organise")),
            menu_access(STAFF_CATEGORY, "ActionPartners", "PartnerSessionsStaff", "ArtistPlanning", "PartnerHours", "PartnerEventsStaff", "TeachersTraining"),
        ],
        GESTION: [
            grant("ActionPartnerView", WRITE),
            grant("PartnerAccountView", WRITE),
            staff_sessions,
            planning,
            grant("PartnerHoursView", ("can_list", "can_export")),
            read_events,
            menu_access(STAFF_CATEGORY, "ActionPartners", "PartnerAccounts", "PartnerSessionsStaff", "ArtistPlanning", "PartnerHours", "PartnerEventsStaff"),
        ],
        CONSEIL: [
            staff_sessions,
            grant("ActionPartnerView", READ),
            planning,
            grant("PartnerHoursView", ("can_list",)),
            read_events,
            menu_access(STAFF_CATEGORY, "ActionPartners", "PartnerSessionsStaff", "ArtistPlanning", "PartnerHours", "PartnerEventsStaff"),
        ],
    }


@hookimpl
def occe_views(menu):
    from app.partners import pages, views

    mine = {"category": PARTNER_CATEGORY, "category_label": _("Espace partenaire"), "category_icon": "fa-handshake"}
    menu.add_view(views.PartnerRegistrationView, "PartnerClasses", label=_("Mes classes"), icon="fa-school", **mine)
    menu.add_view(views.PartnerSessionView, "PartnerSessions", label=_("Mes séances"), icon="fa-calendar-check", **mine)
    menu.add_view(pages.PartnerPlanningView, "PartnerPlanning", label=_("Mon planning"), icon="fa-calendar-alt", **mine)
    menu.add_view(pages.MyPartnerEventView, "PartnerEvents", label=_("Mes rencontres"), icon="fa-theater-masks", **mine)
    staff = {"category": STAFF_CATEGORY, "category_label": _("Partenaires"), "category_icon": "fa-handshake"}
    menu.add_view(views.ActionPartnerView, "ActionPartners", label=_("Partenaires des actions"), icon="fa-link", **staff)
    menu.add_view(views.PartnerSessionStaffView, "PartnerSessionsStaff", label=_("Séances des partenaires"), icon="fa-calendar-check", **staff)
    menu.add_view(pages.ArtistPlanningView, "ArtistPlanning", label=_("Planning des artistes"), icon="fa-calendar-alt", **staff)
    menu.add_view(pages.PartnerHoursView, "PartnerHours", label=_("Heures par partenaire"), icon="fa-clock", **staff)
    menu.add_view(pages.PartnerEventView, "PartnerEventsStaff", label=_("Rencontres et bals"), icon="fa-theater-masks", **staff)
    menu.add_view(pages.TeachersTrainingView, "TeachersTraining", label=_("Formation des enseignants"), icon="fa-chalkboard-teacher", **staff)
    menu.add_view(views.PartnerAccountView, "PartnerAccounts", label=_("Comptes des partenaires"), icon="fa-user-lock", **staff)


@hookimpl
def occe_dashboard_cards(year):
    """Hours held per partner organisation in the viewed year (what the association pays under its agreements)."""
    from app.partners.service import hours_by_partner, hours_text, hours_totals

    if year is None:
        return []
    rows = hours_by_partner(year)
    if not rows:
        return []
    partners, _actions, overall = hours_totals(rows)
    return [
        DashboardCard(
            title=_("Heures des partenaires"),
            value=hours_text(overall.held_hours),
            detail=_("tenues ; %(planned)s encore prévues", planned=hours_text(overall.planned_hours)),
            url=url_for("PartnerHoursView.page"),
            bars=tuple((total.label, float(total.held_hours)) for total in partners),
            bars_unit="h",
        )
    ]


@hookimpl
def occe_demo_data(year):
    """Nothing of a plugin's own; one clash in the planning when the partner-led actions' sessions exist."""
    from app.partners.demo import add_demo_clash

    add_demo_clash(year)


@hookimpl
def occe_report_sections(year):
    from app.partners.report import report_sections

    return report_sections(year)
