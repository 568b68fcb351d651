"""The year's activity report for the general assembly, a core area on the plugin contract (always on).

Every area and action plugin describes its year through
``occe_report_sections(year)`` (:mod:`app.report.collect`); this package
draws the charts (:mod:`app.report.charts`), writes an editable DOCX and a
PDF (:mod:`app.report.files`), and offers them from ``flask occe report`` (:mod:`app.report.cli`)
and from « Vie associative › Rapport d'activité ».
"""

from flask_babel import lazy_gettext as _

from app.plugins import CORE, PluginInfo, hookimpl
from app.security.roles import ANIMATION, CONSEIL, GESTION, grant, menu_access

PLUGIN = PluginInfo(
    code="report",
    label="Rapport d'activité",
    version="1.0.0",
    description="Le rapport d'activité de l'année (DOCX modifiable et PDF, avec graphiques) bâti à partir des données de la console.",
    kind=CORE,
    yearly=False,
)

#: The general assembly's report sits with the association's life.
CATEGORY = "Association"


@hookimpl
def occe_role_permissions():
    """Animation and Gestion write the report; the board (Conseil) reads it."""
    writers = [grant("ActivityReportView", ("can_list", "can_generate")), menu_access(CATEGORY, "ActivityReport")]
    return {
        ANIMATION: writers,
        GESTION: writers,
        CONSEIL: [grant("ActivityReportView", ("can_list",)), menu_access(CATEGORY, "ActivityReport")],
    }


@hookimpl
def occe_views(menu):
    from app.report.views import ActivityReportView

    menu.add_view(
        ActivityReportView, "ActivityReport", label=_("Rapport d'activité"), icon="fa-file-word",
        category=CATEGORY, category_label=_("Vie associative"), category_icon="fa-users",
    )  # fmt: skip
