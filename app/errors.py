"""French error pages; no visitor ever sees a stack trace or raw SQL."""

from __future__ import annotations

import logging

from flask import Flask, g, render_template
from flask_babel import lazy_gettext as _
from flask_login import current_user
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from app.extensions import db

log = logging.getLogger(__name__)

MESSAGES = {
    400: (_("Requête invalide"), _("La demande n'a pas pu être comprise. Rechargez la page et recommencez.")),
    403: (_("Accès refusé"), _("Vous n'avez pas les droits nécessaires pour cette page.")),
    404: (_("Page introuvable"), _("Cette page n'existe pas ou plus.")),
    405: (_("Méthode non autorisée"), _("Cette action ne peut pas se faire de cette façon.")),
    413: (_("Fichier trop volumineux"), _("Le fichier envoyé dépasse la taille autorisée.")),
    429: (_("Trop de tentatives"), _("Trop de tentatives en peu de temps : patientez quelques minutes.")),
    500: (_("Erreur interne"), _("Une erreur inattendue s'est produite. L'équipe technique a été prévenue.")),
    503: (_("Base de données occupée"), _("La base de données est momentanément occupée : réessayez dans un instant.")),
}


def render_error(status: int):
    if "user" not in g:  # raised before FAB's before_request (e.g. a CSRF refusal)
        g.user = current_user
    title, message = MESSAGES.get(status, MESSAGES[500])
    return render_template("occe/error.html", status=status, title=title, message=message), status


def register(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code in MESSAGES:
            return render_error(error.code)
        return error

    @app.errorhandler(OperationalError)
    def database_error(error: OperationalError):
        db.session.rollback()
        log.error("Database error: %s", error.orig)
        return render_error(503)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        db.session.rollback()
        log.exception("Unexpected error")
        return render_error(500)
