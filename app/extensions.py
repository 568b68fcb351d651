"""The Flask extensions shared by the whole console, initialised in ``create_app``."""

from flask_appbuilder import Model
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

# One metadata holds FAB's ``ab_*`` tables, the core's ``occe_*`` tables and
# every plugin's ``<code>_*`` tables: with FAB's own ``SQLA`` wrapper Alembic
# would see two metadata objects and propose to drop every table.
db = SQLAlchemy(model_class=Model)
migrate = Migrate()
csrf = CSRFProtect()
