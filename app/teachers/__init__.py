"""Teachers answer the end-of-August proposals online, without an account (issue 11, the teachers' side).

Each cooperative gets one personal link a year (``service.py``); behind it a
small French page (``public.py``, blueprint ``teachers_public`` at
``/enseignants/<token>``) lets the school's teachers register classes to the
year's open actions through the same registration service as the console,
ask for an in-class intervention, follow and cancel the school's requests.
The staff see and manage the links on « Liens des enseignants » (``views.py``).

The proposals mailing calls :func:`app.teachers.service.proposal_link_for`
(one cooperative) or :func:`app.teachers.service.links_for` (many).
"""

from flask_babel import lazy_gettext as _

from app.plugins import CORE, DashboardCard, PluginInfo, hookimpl
from app.security.roles import ANIMATION, CONSEIL, GESTION, grant, menu_access

from . import models  # noqa: F401  (registers the tables)

PLUGIN = PluginInfo(
    code="teachers",
    label="Réponses des enseignants en ligne",
    version="1.0.0",
    description="Lien personnel par coopérative pour répondre aux propositions de fin août, sans compte.",
    kind=CORE,
    yearly=False,
)

CATEGORY = "Actions"
MENU = "TeacherLinks"
STAFF_PERMISSIONS = ("can_list", "can_show", "can_create_missing", "revoke")


@hookimpl
def occe_role_permissions():
    """Animation and Gestion manage the links (the show page gives the link itself); Conseil sees the list
    of statuses only: a link opens the school's registrations, it is not for reading."""
    staff = [grant("TeacherLinkView", STAFF_PERMISSIONS), menu_access(CATEGORY, MENU)]
    return {
        ANIMATION: staff,
        GESTION: list(staff),
        CONSEIL: [grant("TeacherLinkView", ("can_list",)), menu_access(CATEGORY, MENU)],
    }


@hookimpl
def occe_views(menu):
    from flask import current_app

    from app.teachers.public import bp, get_limit, post_limit
    from app.teachers.views import TeacherLinkView

    app = current_app
    if bp.name not in app.blueprints:
        limiter = menu.appbuilder.sm.limiter
        # one shared counter per address for every POST of the page, a looser one for reading it
        limiter.shared_limit(post_limit, scope="teachers_public_post", methods=["POST"])(bp)
        limiter.limit(get_limit, methods=["GET"])(bp)
        app.register_blueprint(bp)
    menu.add_view(
        TeacherLinkView,
        MENU,
        label=_("Liens des enseignants"),
        icon="fa-link",
        category=CATEGORY,
        category_label=_("Actions"),
        category_icon="fa-star",
    )


@hookimpl
def occe_mail_templates():
    from app.teachers.mails import TEMPLATES

    return list(TEMPLATES)


@hookimpl
def occe_dashboard_cards(year):
    from flask import url_for

    from app.teachers.figures import link_counts

    counts = link_counts(year)
    return [
        DashboardCard(
            title=_("Liens des enseignants"),
            value=str(counts["used"]),
            detail=_(
                "écoles ayant ouvert leur lien sur %(active)s liens actifs ; %(requests)s demande(s) en ligne en attente",
                active=counts["active"],
                requests=counts["online_requested"],
            ),
            url=url_for("TeacherLinkView.list"),
        )
    ]


@hookimpl
def occe_demo_data(year):
    from app.teachers.service import demo_links

    demo_links(year)


@hookimpl
def occe_report_sections(year):
    from app.teachers.report import report_sections

    return report_sections(year)
