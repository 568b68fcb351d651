"""Vie associative, a core area on the plugin contract (always on).

The association's bodies (a board meeting each term, commissions, the
departmental and federal general assemblies, regional meetings), who
attended, the minutes (uploaded documents), the decisions and their
follow-up, the working groups, and the partners with their contacts and the
advantages they give member classes.
"""

from flask import url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _

from app.plugins import CORE, DashboardCard, PluginInfo, hookimpl
from app.security.roles import ANIMATION, CONSEIL, GESTION, READ, WRITE, grant, menu_access

from . import models  # noqa: F401  (registers the tables)

PLUGIN = PluginInfo(
    code="association",
    label="Vie associative",
    version="1.0.0",
    description="Réunions (conseil d'administration, commissions, assemblées générales), présents, comptes rendus, décisions, groupes de travail, partenaires.",
    kind=CORE,
    yearly=False,
)

CATEGORY = "Association"
MENU = {
    "Meetings": "MeetingView",
    "OpenDecisions": "OpenDecisionView",
    "Decisions": "DecisionView",
    "BoardMembers": "BoardMemberView",
    "WorkingGroups": "WorkingGroupView",
    "Partners": "PartnerView",
    "PartnerContacts": "PartnerContactView",
    "PartnerAdvantages": "PartnerAdvantageView",
}
EXPORT = ("can_export",)
DECISIONS = WRITE + EXPORT + ("mark_done",)


@hookimpl
def occe_role_permissions():
    """Gestion runs the associative life; Conseil (the board) reads it all; Animation reads meetings and partners.

    No role but Gestion exports personal data (board members, partner contacts);
    Animation does not see the board members' phones and emails at all.
    """
    return {
        GESTION: [
            grant("MeetingView", WRITE + EXPORT + ("can_download", "can_attendance", "can_attendance_sheet", "can_convene")),
            grant("DecisionView", DECISIONS),
            grant("OpenDecisionView", DECISIONS),
            grant("BoardMemberView", WRITE + EXPORT),
            grant("WorkingGroupView", WRITE + EXPORT),
            grant("WorkingGroupMemberView", WRITE),
            grant("PartnerView", WRITE + EXPORT),
            grant("PartnerContactView", WRITE + EXPORT),
            grant("PartnerAdvantageView", WRITE + EXPORT),
            menu_access(CATEGORY, *MENU),
        ],
        CONSEIL: [
            grant("MeetingView", READ + EXPORT + ("can_download", "can_attendance_sheet")),
            grant("DecisionView", READ + EXPORT),
            grant("OpenDecisionView", READ + EXPORT),
            grant("BoardMemberView", READ),
            grant("WorkingGroupView", READ + EXPORT),
            grant("WorkingGroupMemberView", READ),
            grant("PartnerView", READ + EXPORT),
            grant("PartnerContactView", READ),
            grant("PartnerAdvantageView", READ + EXPORT),
            menu_access(CATEGORY, *MENU),
        ],
        ANIMATION: [
            grant("MeetingView", READ),
            grant("PartnerView", READ),
            grant("PartnerContactView", READ),
            grant("PartnerAdvantageView", READ),
            menu_access(CATEGORY, "Meetings", "Partners", "PartnerContacts", "PartnerAdvantages"),
        ],
    }


@hookimpl
def occe_views(menu):
    from app.association import views

    common = {"category": CATEGORY, "category_label": _("Vie associative"), "category_icon": "fa-users"}
    menu.add_view(views.MeetingView, "Meetings", label=_("Réunions"), icon="fa-handshake", **common)
    menu.add_view(views.OpenDecisionView, "OpenDecisions", label=_("Décisions à suivre"), icon="fa-tasks", **common)
    menu.add_view(views.DecisionView, "Decisions", label=_("Décisions de l'année"), icon="fa-gavel", **common)
    menu.add_view(views.BoardMemberView, "BoardMembers", label=_("Conseil d'administration"), icon="fa-user-tie", **common)
    menu.add_view(views.WorkingGroupView, "WorkingGroups", label=_("Groupes de travail"), icon="fa-people-carry", **common)
    menu.add_view(views.PartnerView, "Partners", label=_("Partenaires"), icon="fa-hands-helping", **common)
    menu.add_view(views.PartnerContactView, "PartnerContacts", label=_("Contacts des partenaires"), icon="fa-address-book", **common)
    menu.add_view(views.PartnerAdvantageView, "PartnerAdvantages", label=_("Avantages des partenaires"), icon="fa-ticket-alt", **common)
    menu.add_view_no_menu(views.WorkingGroupMemberView)


@hookimpl
def occe_mail_templates():
    from app.association.convocation import TEMPLATES

    return list(TEMPLATES)


@hookimpl
def occe_dashboard_cards(year):
    from app.association.service import next_meeting, open_decisions_count

    meeting = next_meeting()
    open_count = open_decisions_count()
    detail = gettext("%(count)s décision(s) à suivre", count=open_count)
    if meeting is not None:
        detail = f"{meeting.title}, {meeting.place or ''} — {detail}".replace(",  —", " —")
    return [
        DashboardCard(
            title=_("Prochaine réunion"),
            value=meeting.starts_at.strftime("%d/%m/%Y") if meeting is not None else gettext("aucune prévue"),
            detail=detail,
            url=url_for("MeetingView.show", pk=meeting.id) if meeting is not None else url_for("OpenDecisionView.list"),
        )
    ]


@hookimpl
def occe_demo_data(year):
    from app.association.demo import load_association_demo

    load_association_demo(year)


@hookimpl
def occe_report_sections(year):
    from app.association.report import report_sections

    return report_sections(year)
