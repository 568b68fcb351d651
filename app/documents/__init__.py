"""Documents (PDF), a core area on the plugin contract (always on): the one place every module renders its PDFs.

``app.documents.render`` builds the documents (diplomas, attendance
certificates, booklet covers, recaps, attendance sheets) with DejaVu Sans
embedded, offline; ``app.documents.response.pdf_response`` sends one. The
downloads staff need today are the routes of ``DocumentsView`` (``/documents``).
"""

from app.plugins import CORE, PluginInfo, hookimpl
from app.security.roles import ANIMATION, CONSEIL, GESTION, grant

PLUGIN = PluginInfo(
    code="documents",
    label="Documents (PDF)",
    version="1.0.0",
    description="Diplômes, attestations, couvertures de livret, récapitulatifs et feuilles d'émargement en PDF.",
    kind=CORE,
    yearly=False,
)

VIEW = "DocumentsView"


@hookimpl
def occe_role_permissions():
    """Animation prints every document; Gestion and Conseil the registration recap; Partenaire nothing."""
    recap = grant(VIEW, ("can_recap",))
    return {
        ANIMATION: [grant(VIEW, ("can_recap", "can_diplomas", "can_attendance", "can_booklet"))],
        GESTION: [recap],
        CONSEIL: [recap],
    }


@hookimpl
def occe_views(menu):
    from app.documents.views import DocumentsView

    menu.add_view_no_menu(DocumentsView)
