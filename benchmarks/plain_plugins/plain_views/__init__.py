"""Plain FAB ModelViews over the directory's and the actions' tables: the baseline the console's pages are compared to."""

from flask_appbuilder import ModelView
from flask_appbuilder.models.sqla.interface import SQLAInterface

from app.actions.models import Registration
from app.directory.models import Classroom, Cooperative
from app.plugins import DEPARTMENTAL, PluginInfo, hookimpl

PLUGIN = PluginInfo(code="plain_views", label="Vues FAB de référence", kind=DEPARTMENTAL, yearly=False)


class PlainCooperativeView(ModelView):
    datamodel = SQLAInterface(Cooperative)
    list_columns = ["affiliation_number", "school.name", "school.commune", "sector.name", "mandataire.last_name", "status"]
    search_columns = ["affiliation_number", "status", "school", "sector"]


class PlainClassroomView(ModelView):
    datamodel = SQLAInterface(Classroom)
    list_columns = ["school_year.label", "school.name", "name", "levels", "cycles", "pupils", "teacher.last_name"]
    search_columns = ["school_year", "school", "name", "cycles", "levels"]


class PlainRegistrationView(ModelView):
    datamodel = SQLAInterface(Registration)
    list_columns = ["action.name", "cooperative.affiliation_number", "classroom.name", "classroom.levels", "pupils", "quantity", "status", "requested_at"]
    search_columns = ["action", "status", "cooperative", "classroom", "requested_at"]


@hookimpl
def occe_views(menu):
    menu.add_view_no_menu(PlainCooperativeView)
    menu.add_view_no_menu(PlainClassroomView)
    menu.add_view_no_menu(PlainRegistrationView)
