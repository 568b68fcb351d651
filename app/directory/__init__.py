"""The association's directory, a core area written on the plugin contract (always on)."""

from flask import url_for
from flask_babel import lazy_gettext as _

from app.plugins import CORE, DashboardCard, PluginInfo, hookimpl
from app.security.roles import ANIMATION, CONSEIL, GESTION, READ, WRITE, grant, menu_access

from . import models  # noqa: F401  (registers the tables)

PLUGIN = PluginInfo(
    code="directory",
    label="Annuaire",
    version="1.0.0",
    description="Secteurs, écoles, coopératives, personnes, classes, adhésions et accompagnement.",
    kind=CORE,
    yearly=False,
)

CATEGORY = "Annuaire"
MENU = {
    "Cooperatives": "CooperativeView",
    "Schools": "SchoolView",
    "People": "PersonView",
    "Classrooms": "ClassroomView",
    "Memberships": "MembershipView",
    "Sectors": "SectorView",
    "SupportContacts": "SupportContactView",
    "MyFollowUps": "MyFollowUpsView",
    "DirectoryImport": "DirectoryImportView",
}
EXPORT = ("can_export",)


@hookimpl
def occe_role_permissions():
    """Gestion edits the directory; Animation reads it and logs support; Conseil sees no personal data."""
    everything = list(MENU.values())
    return {
        GESTION: [
            *(grant(view, WRITE + EXPORT) for view in everything if view not in ("MyFollowUpsView", "DirectoryImportView")),
            grant("MyFollowUpsView", ("can_list", "can_show", "can_edit")),
            grant("DirectoryImportView", ("can_upload", "can_preview", "can_apply")),
            grant("PersonView", ("export_personal_data", "anonymise")),
            menu_access(CATEGORY, *MENU),
        ],
        ANIMATION: [
            *(grant(view, READ + EXPORT) for view in ("CooperativeView", "SchoolView", "PersonView", "ClassroomView", "MembershipView", "SectorView")),
            grant("SupportContactView", WRITE + EXPORT),
            grant("MyFollowUpsView", ("can_list", "can_show", "can_edit")),
            menu_access(CATEGORY, *(name for name in MENU if name != "DirectoryImport")),
        ],
        CONSEIL: [
            *(grant(view, READ + EXPORT) for view in ("SchoolView", "SectorView", "MembershipView")),
            menu_access(CATEGORY, "Schools", "Sectors", "Memberships"),
        ],
    }


@hookimpl
def occe_views(menu):
    from app.directory import views
    from app.directory.import_views import DirectoryImportView

    entries = [
        (views.CooperativeView, "Cooperatives", _("Coopératives"), "fa-users"),
        (views.SchoolView, "Schools", _("Écoles"), "fa-school"),
        (views.PersonView, "People", _("Personnes"), "fa-address-card"),
        (views.ClassroomView, "Classrooms", _("Classes"), "fa-chalkboard-teacher"),
        (views.MembershipView, "Memberships", _("Adhésions"), "fa-id-badge"),
        (views.SectorView, "Sectors", _("Secteurs"), "fa-map"),
        (views.SupportContactView, "SupportContacts", _("Accompagnement"), "fa-comments"),
        (views.MyFollowUpsView, "MyFollowUps", _("Mes relances à faire"), "fa-bell"),
        (DirectoryImportView, "DirectoryImport", _("Importer un tableur"), "fa-file-import"),
    ]
    for view, name, label, icon in entries:
        menu.add_view(view, name, label=label, icon=icon, category=CATEGORY, category_label=_("Annuaire"), category_icon="fa-book")


@hookimpl
def occe_dashboard_cards(year):
    from app.directory.figures import french_number, member_figures, members_per_sector

    figures = member_figures(year)
    sectors = members_per_sector(year)
    change = figures.change
    detail = _(
        "%(change)s par rapport à %(previous)s (%(members)s adhérents)",
        change=("+" if change > 0 else "−" if change < 0 else "±") + french_number(abs(change)),
        previous=figures.previous_year,
        members=french_number(figures.previous_members),
    )
    return [
        DashboardCard(
            title=_("Adhérents en %(year)s", year=year.label),
            value=french_number(figures.members),
            detail=detail,
            url=url_for("MembershipView.list"),
        ),
        DashboardCard(
            title=_("Coopératives adhérentes et adhérents par secteur"),
            value=french_number(figures.cooperatives),
            detail=_("coopératives adhérentes en %(year)s", year=year.label),
            bars=tuple((f"{name} ({count})", members) for name, count, members in sectors),
        ),
    ]


@hookimpl
def occe_cooperative_tabs(cooperative):
    from app.directory.hub import core_tabs

    return core_tabs(cooperative)


@hookimpl
def occe_demo_data(year):
    from app.directory.demo import load_directory_demo

    load_directory_demo(year)


@hookimpl
def occe_report_sections(year):
    from app.directory.report import report_sections

    return report_sections(year)
