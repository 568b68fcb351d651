"""Mail templates: found through ``occe_mail_templates``, rendered per recipient in a Jinja sandbox.

Templates are French Jinja sources written by developers (the core's own
are in :mod:`app.mail.core_templates`). They are rendered in a
:class:`~jinja2.sandbox.SandboxedEnvironment` over plain dicts and strings
only (no ORM object reaches a template), with ``StrictUndefined``: a
misspelt name raises :class:`MailTemplateError`, whose text is French and
names the template, the part and the unknown name. The staff's own words
(``title``, ``message``) are values, never template source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from app.plugins.info import MailTemplate

PARTS = {"subject": "l'objet", "body": "le texte", "html": "la version HTML"}


class MailTemplateError(ValueError):
    """A template that cannot be rendered; the message is French, for the person preparing the mailing."""


@dataclass(frozen=True)
class RegisteredTemplate:
    """A template with the module (plugin or core area) that gives it."""

    module: str
    module_label: str
    template: MailTemplate

    @property
    def key(self) -> str:
        return f"{self.module}:{self.template.code}"

    @property
    def label(self) -> str:
        return self.template.label


def french_date(value) -> str:
    return value.strftime("%d/%m/%Y") if hasattr(value, "strftime") else (value or "")


def _environment(autoescape: bool) -> SandboxedEnvironment:
    env = SandboxedEnvironment(
        autoescape=autoescape,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters["date_fr"] = french_date
    return env


TEXT_ENV = _environment(False)
HTML_ENV = _environment(True)


@lru_cache(maxsize=256)
def _compile(source: str, html: bool):
    return (HTML_ENV if html else TEXT_ENV).from_string(source)


_UNDEFINED_NAME = re.compile(r"'([^']+)' is undefined")
_MISSING_ATTRIBUTE = re.compile(r"has no attribute '([^']+)'")


def _explain(error: Exception, registered: RegisteredTemplate | None, part: str) -> MailTemplateError:
    where = f"le modèle « {registered.label} »" if registered else "le modèle"
    what = PARTS.get(part, part)
    if isinstance(error, TemplateSyntaxError):
        return MailTemplateError(f"Erreur de syntaxe dans {where} ({what}, ligne {error.lineno}) : {error.message}.")
    if isinstance(error, SecurityError):
        return MailTemplateError(f"Opération interdite dans {where} ({what}) : seules les données du courriel sont accessibles.")
    if isinstance(error, UndefinedError):
        text = str(error)
        found = _UNDEFINED_NAME.search(text) or _MISSING_ATTRIBUTE.search(text)
        name = found.group(1) if found else text
        return MailTemplateError(
            f"Donnée inconnue « {name} » dans {where} ({what}) : vérifiez l'orthographe, "
            "ou testez une donnée qui peut manquer avec {% if ... %}."
        )
    return MailTemplateError(f"Le modèle {where} ne peut pas être rendu ({what}) : {error}.")


def compile_template(registered: RegisteredTemplate):
    """The compiled (subject, body, html) of a template; raises MailTemplateError on a syntax error."""
    template = registered.template
    compiled = []
    for part, source, html in (("subject", template.subject, False), ("body", template.body, False), ("html", template.html, True)):
        if not source:
            compiled.append(None)
            continue
        try:
            compiled.append(_compile(source, html))
        except TemplateError as error:
            raise _explain(error, registered, part) from error
    return tuple(compiled)


@dataclass(frozen=True)
class Rendered:
    subject: str
    body_text: str
    body_html: str | None


def render(registered: RegisteredTemplate, context: dict, compiled=None) -> Rendered:
    """One personalised message. The subject is one line (no header injection)."""
    subject_t, body_t, html_t = compiled or compile_template(registered)
    part = "subject"
    try:
        subject = " ".join(subject_t.render(context).split()) if subject_t else ""
        part = "body"
        body = body_t.render(context) if body_t else ""
        part = "html"
        html = html_t.render(context) if html_t else None
    except (TemplateError, SecurityError) as error:
        raise _explain(error, registered, part) from error
    except (TypeError, ValueError, AttributeError, ArithmeticError) as error:
        raise _explain(error, registered, part) from error
    if not subject:
        raise MailTemplateError(f"L'objet du modèle « {registered.label} » est vide pour ce destinataire.")
    return Rendered(subject[:300], body, html)


# --- the templates of the loaded modules -------------------------------------------------------


def available_templates(year=None) -> list[RegisteredTemplate]:
    """Every template of the core and of the plugins on for ``year`` (default: the viewed year), by module."""
    from app.plugins.switches import current_manager, plugins_on
    from app.years.context import viewed_year

    manager = current_manager()
    found: list[RegisteredTemplate] = []
    seen: set[str] = set()
    for plugin, answer in manager.call("occe_mail_templates", plugins=plugins_on(manager, year if year is not None else viewed_year())):
        for template in answer or ():
            if not isinstance(template, MailTemplate):
                plugin.hook_errors["occe_mail_templates"] = f"TypeError: {template!r} n'est pas un MailTemplate"
                continue
            registered = RegisteredTemplate(plugin.code, plugin.label, template)
            if registered.key not in seen:
                seen.add(registered.key)
                found.append(registered)
    return found


def find_template(key: str, year=None) -> RegisteredTemplate | None:
    """The template ``"module:code"`` (e.g. ``"mail:propositions_fin_aout"``), or None."""
    return next((registered for registered in available_templates(year) if registered.key == key), None)
