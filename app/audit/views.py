"""The history page: who changed what, when (read-only)."""

from flask_babel import lazy_gettext as _

from app.audit.models import AuditEntry
from app.datamodel import OcceSQLAInterface
from app.views import ExportableModelView


def _short(value: str) -> str:
    return value if len(value or "") <= 160 else value[:157] + "…"


class AuditView(ExportableModelView):
    datamodel = OcceSQLAInterface(AuditEntry)
    list_title = _("Historique des modifications")
    show_title = _("Modification")
    label_columns = {
        "happened_on": _("Date"),
        "user": _("Par"),
        "user.username": _("Par"),
        "action": _("Action"),
        "table_name": _("Table"),
        "row_id": _("Fiche"),
        "changes": _("Détail"),
    }
    list_columns = ["happened_on", "user.username", "action", "table_name", "row_id", "changes"]
    show_columns = ["happened_on", "user", "action", "table_name", "row_id", "changes"]
    search_columns = ["happened_on", "user", "action", "table_name", "row_id"]
    order_columns = ["happened_on", "table_name", "action"]
    base_order = ("happened_on", "desc")
    base_permissions = ["can_list", "can_show", "can_export"]
    formatters_columns = {"happened_on": lambda value: value.strftime("%d/%m/%Y %H:%M:%S") if value else "", "changes": _short}
