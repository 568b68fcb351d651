"""Default configuration of the console; every value can be overridden.

Precedence, lowest first: the values below, the environment variables they
read, then the mapping given to ``create_app(config)``. Values that depend on
the instance folder (the SQLite file, the generated secret key, the upload
folder) are filled in by ``app.settings.finalize`` when they are left unset.

Another departmental association runs the same code by changing the
``OCCE_ASSOCIATION_*`` variables: nothing about OCCE 02 is hard-coded elsewhere.
"""

import os


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "oui"}


# --- The association -------------------------------------------------------
ASSOCIATION_NAME = os.environ.get("OCCE_ASSOCIATION_NAME", "OCCE 02")
DEPARTMENT_NUMBER = os.environ.get("OCCE_DEPARTMENT_NUMBER", "02")
DEPARTMENT_NAME = os.environ.get("OCCE_DEPARTMENT_NAME", "Aisne")
APP_NAME = os.environ.get("OCCE_APP_NAME", f"Console {ASSOCIATION_NAME}")
APP_ICON = ""

# --- Database --------------------------------------------------------------
# None means: the embedded SQLite file ``occe.db`` in the instance folder.
# ``DATABASE_URL=postgresql://user:pass@host/db`` selects PostgreSQL (psycopg 3).
SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL") or None
SQLALCHEMY_ENGINE_OPTIONS = {"hide_parameters": True, "pool_pre_ping": True}
# Seconds a write waits for another writer's lock on the SQLite file.
SQLITE_BUSY_TIMEOUT = float(os.environ.get("OCCE_SQLITE_BUSY_TIMEOUT", "5"))

# --- Secrets and sessions --------------------------------------------------
# None means: read ``instance/secret_key``, generated once on first start.
SECRET_KEY = os.environ.get("SECRET_KEY") or None
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Off by default because the embedded console is served on http://127.0.0.1;
# set OCCE_HTTPS=1 behind TLS in production.
SESSION_COOKIE_SECURE = _env_bool("OCCE_HTTPS", False)
REMEMBER_COOKIE_HTTPONLY = True
REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
PERMANENT_SESSION_LIFETIME = 8 * 3600
MAX_CONTENT_LENGTH = 16 * 1024 * 1024
# The largest attachment kept (a CRFS's bank statement, an aid's budget, minutes); under MAX_CONTENT_LENGTH.
OCCE_UPLOAD_MAX_BYTES = int(os.environ.get("OCCE_UPLOAD_MAX_BYTES", str(10 * 1024 * 1024)))

# --- CSRF (Flask-WTF's CSRFProtect is registered before FAB) ----------------
WTF_CSRF_ENABLED = True
WTF_CSRF_TIME_LIMIT = None
FAB_ALLOW_GET_UNSAFE_MUTATIONS = False

# --- Authentication --------------------------------------------------------
AUTH_TYPE = 1  # flask_appbuilder.const.AUTH_DB
AUTH_ROLE_ADMIN = "Admin"
AUTH_ROLE_PUBLIC = "Public"
AUTH_USER_REGISTRATION = False
# FAB's login limit does nothing unless Flask-Limiter itself is enabled.
AUTH_RATE_LIMITED = True
AUTH_RATE_LIMIT = os.environ.get("OCCE_LOGIN_RATE_LIMIT", "10 per 5 minutes")
RATELIMIT_ENABLED = _env_bool("OCCE_RATELIMIT_ENABLED", True)
RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
FAB_PASSWORD_COMPLEXITY_ENABLED = True
PASSWORD_MIN_LENGTH = 12
FAB_SAFE_REDIRECT_HOSTS = [
    host.strip()
    for host in os.environ.get("OCCE_SAFE_REDIRECT_HOSTS", "127.0.0.1,localhost").split(",")
    if host.strip()
]

# --- Flask-AppBuilder ------------------------------------------------------
# The schema is owned by the migrations: FAB never creates tables nor syncs
# permissions at start-up (``flask occe init`` / ``upgrade`` do it once).
FAB_CREATE_DB = False
FAB_UPDATE_PERMS = False
FAB_ADD_SECURITY_API = False
FAB_API_KEY_ENABLED = False
FAB_API_SWAGGER_UI = False
FAB_API_SHOW_STACKTRACE = False

# --- Languages -------------------------------------------------------------
BABEL_DEFAULT_LOCALE = "fr"
LANGUAGES = {
    "fr": {"flag": "fr", "name": "Français"},
    "en": {"flag": "gb", "name": "English"},
}

# --- Plugins ---------------------------------------------------------------
# Packages whose sub-packages are plugins (the top-level ``plugins/`` folder).
OCCE_PLUGIN_PACKAGES = [
    name.strip() for name in os.environ.get("OCCE_PLUGIN_PACKAGES", "plugins").split(",") if name.strip()
]
# Load installed distributions that declare the ``occe.plugins`` entry point.
OCCE_PLUGIN_ENTRY_POINTS = _env_bool("OCCE_PLUGIN_ENTRY_POINTS", True)
# Codes of plugins never to load, e.g. OCCE_BLOCKED_PLUGINS=etamine,thea
OCCE_BLOCKED_PLUGINS = [
    code.strip() for code in os.environ.get("OCCE_BLOCKED_PLUGINS", "").split(",") if code.strip()
]
# Safe mode: start with the core only, no plugin at all (to rescue a console).
OCCE_SAFE_MODE = _env_bool("OCCE_SAFE_MODE", False)

# --- In-class interventions -----------------------------------------------------
# Classes the animator sees in one day (the planning refuses more).
OCCE_INTERVENTION_CLASSES_PER_DAY = int(os.environ.get("OCCE_INTERVENTION_CLASSES_PER_DAY", "4"))
# Points of the selection rules (app/interventions/selection.py, Weights); e.g. {"never_helped": 100}.
OCCE_SELECTION_WEIGHTS: dict[str, int] = {}

# --- Mail (app/mail) ---------------------------------------------------------------
# "file" (default): each mail is written as an .eml file in <instance>/mail/, nothing
# leaves the machine; "smtp": sent through the server below.
OCCE_MAIL_BACKEND = os.environ.get("OCCE_MAIL_BACKEND", "file")
# The sender every mail shows; set a real address of the association, e.g. "OCCE 02 <ad02@occe.coop>".
OCCE_MAIL_FROM = os.environ.get("OCCE_MAIL_FROM", f"{ASSOCIATION_NAME} <console@localhost>")
OCCE_MAIL_SMTP_HOST = os.environ.get("OCCE_MAIL_SMTP_HOST", "localhost")
OCCE_MAIL_SMTP_PORT = int(os.environ.get("OCCE_MAIL_SMTP_PORT", "587"))
# "starttls" (port 587), "ssl" (port 465) or "none" (a relay on the same host or network).
OCCE_MAIL_SMTP_SECURITY = os.environ.get("OCCE_MAIL_SMTP_SECURITY", "starttls")
# Empty user: no login.
OCCE_MAIL_SMTP_USER = os.environ.get("OCCE_MAIL_SMTP_USER", "")
OCCE_MAIL_SMTP_PASSWORD = os.environ.get("OCCE_MAIL_SMTP_PASSWORD", "")
OCCE_MAIL_SMTP_TIMEOUT = float(os.environ.get("OCCE_MAIL_SMTP_TIMEOUT", "20"))
# Tries of a message the server answers with a temporary error before it is marked « échec ».
OCCE_MAIL_MAX_ATTEMPTS = int(os.environ.get("OCCE_MAIL_MAX_ATTEMPTS", "5"))

# --- Teachers' personal links (app/teachers) -----------------------------------------
# The console's address as the schools reach it, for the links in mails sent from the
# command line (e.g. "https://console.occe02.fr"); empty: the request's host.
OCCE_PUBLIC_URL = os.environ.get("OCCE_PUBLIC_URL", "")
# Optional: the last day the links work (ISO date); by default the latest closing date of the year's actions.
# OCCE_TEACHER_LINKS_UNTIL = "2026-10-15"
# Rate limits of the public page, per address (behind a reverse proxy, serve with ProxyFix so that the
# address is the school's, and use a shared limiter storage, e.g. Redis, with several workers).
OCCE_TEACHERS_POST_LIMIT = os.environ.get("OCCE_TEACHERS_POST_LIMIT", "30 per hour;10 per minute")
OCCE_TEACHERS_GET_LIMIT = os.environ.get("OCCE_TEACHERS_GET_LIMIT", "120 per minute")

# --- Partner-led actions (plugins) ---------------------------------------------------
# Musée de Chevregny days: the price of one entry and the default transport aid per class, in euros.
OCCE_CHEVREGNY_ENTRY_PRICE = os.environ.get("OCCE_CHEVREGNY_ENTRY_PRICE", "3.00")
OCCE_CHEVREGNY_TRANSPORT_AMOUNT = os.environ.get("OCCE_CHEVREGNY_TRANSPORT_AMOUNT", "300.00")

# --- Loans -----------------------------------------------------------------------
# The longest loan, in days (a booking beyond is refused).
OCCE_LOAN_MAX_DAYS = int(os.environ.get("OCCE_LOAN_MAX_DAYS", "70"))
