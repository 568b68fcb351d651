"""The French pages of Action modèle."""

from wtforms.validators import NumberRange, Optional

from app.datamodel import OcceSQLAInterface
from app.views import OcceModelView
from app.years.context import viewed_year

from .models import GoodActionParticipation


class GoodActionParticipationView(OcceModelView):
    datamodel = OcceSQLAInterface(GoodActionParticipation)
    list_title = "Action modèle : participations"
    show_title = "Participation"
    add_title = "Inscrire une classe"
    edit_title = "Modifier une participation"
    label_columns = {
        "school_year": "Année scolaire",
        "school_name": "École",
        "class_name": "Classe",
        "pupils": "Nombre d'élèves",
        "comment": "Commentaire",
        "created_on": "Créée le",
    }
    list_columns = ["school_year", "school_name", "class_name", "pupils"]
    show_columns = ["school_year", "school_name", "class_name", "pupils", "comment", "created_on"]
    add_columns = ["school_name", "class_name", "pupils", "comment"]
    edit_columns = add_columns
    search_columns = ["school_year", "school_name", "class_name"]
    order_columns = ["school_name", "class_name", "pupils"]
    base_order = ("school_name", "asc")
    validators_columns = {"pupils": [Optional(), NumberRange(min=1, max=40, message="Entre 1 et 40 élèves par classe.")]}

    def pre_add(self, item: GoodActionParticipation) -> None:
        """A new participation belongs to the school year being viewed."""
        item.school_year = viewed_year()
