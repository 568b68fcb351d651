"""What a plugin says about itself, and what it gives the home page."""

from __future__ import annotations

import re
from dataclasses import dataclass

CORE = "coeur"
FEDERAL = "federale"
DEPARTMENTAL = "departementale"
PARTNER = "partenaire"

KIND_LABELS = {
    CORE: "Cœur de la console",
    FEDERAL: "Action fédérale",
    DEPARTMENTAL: "Action départementale",
    PARTNER: "Action avec partenaire",
}

CODE_PATTERN = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
# Core tables are ``ab_*`` (FAB) and ``occe_*``: a plugin's ``<code>_`` prefix must not reach them.
RESERVED_PREFIXES = ("ab", "occe", "alembic")


def code_problem(code: str) -> str | None:
    """Return why ``code`` cannot name a plugin (in French), or None."""
    if not CODE_PATTERN.match(code):
        return (
            f"Code de plugin invalide « {code} » : lettres minuscules sans accent, chiffres et _, "
            "commençant par une lettre (2 à 40 caractères)."
        )
    if any(code == prefix or code.startswith(prefix + "_") for prefix in RESERVED_PREFIXES):
        return f"Le code « {code} » est réservé au cœur de la console."
    return None


@dataclass(frozen=True)
class PluginInfo:
    """The ``PLUGIN`` attribute of a plugin package.

    ``yearly`` plugins (the class actions) can be switched on or off per
    school year; core areas are always on.
    """

    code: str
    label: str
    version: str = "0.1.0"
    description: str = ""
    kind: str = DEPARTMENTAL
    yearly: bool = True

    def __post_init__(self) -> None:
        problem = code_problem(self.code)
        if problem:
            raise ValueError(problem)
        if self.kind not in KIND_LABELS:
            raise ValueError(f"Type de plugin inconnu « {self.kind} » ({', '.join(KIND_LABELS)}).")

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]


@dataclass(frozen=True)
class DashboardCard:
    """One figure on the home page, returned by ``occe_dashboard_cards``.

    ``bars``, optional, is a list of ``(label, number)`` drawn as a small
    horizontal bar chart under the figure (server-side, no JavaScript); the
    numbers are written the French way, followed by ``bars_unit`` (« € »).
    """

    title: str
    value: str
    detail: str = ""
    url: str = ""
    bars: tuple[tuple[str, float], ...] = ()
    bars_unit: str = ""


@dataclass(frozen=True)
class ReportTable:
    """A table of the activity report: plain cell values, French column titles.

    ``total``, optional, is a last row printed in bold (« Total », 48 230...).
    Numbers are written the French way by the report's writers.
    """

    columns: tuple[str, ...]
    rows: tuple[tuple, ...]
    title: str = ""
    total: tuple | None = None


@dataclass(frozen=True)
class ReportChart:
    """A chart of the activity report, drawn offline (PNG) for both the DOCX and the PDF.

    ``kind`` is ``"bar"`` (horizontal bars, one per label: classes per action,
    members per sector) or ``"line"`` (one point per label: members over the
    years). ``unit`` follows each value (« € », « h »).
    """

    title: str
    labels: tuple[str, ...]
    values: tuple[float, ...]
    kind: str = "bar"
    unit: str = ""


@dataclass(frozen=True)
class ReportSection:
    """One section of the year's activity report, returned by ``occe_report_sections``.

    ``figures`` are the key numbers printed large at the top of the section
    (label, value already written in French); ``order`` places the section
    (core areas 10 to 90, action plugins 100 and after, then by title).
    """

    title: str
    order: int = 100
    figures: tuple[tuple[str, str], ...] = ()
    paragraphs: tuple[str, ...] = ()
    tables: tuple[ReportTable, ...] = ()
    charts: tuple[ReportChart, ...] = ()


@dataclass(frozen=True)
class CooperativeTab:
    """One tab of the cooperative page, returned by ``occe_cooperative_tabs``.

    Plain data, rendered (and escaped) by the core: ``rows`` are lists of cell
    values, one per column; ``url`` links to the full list.
    """

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple, ...]
    url: str = ""
    empty: str = "Rien pour l'instant."
    #: an optional button above the table (e.g. « Inscrire une classe »)
    action_url: str = ""
    action_label: str = ""


@dataclass(frozen=True)
class LoanItemKind:
    """A kind of item the association lends, returned by ``occe_loan_item_kinds``.

    ``code`` is stored on each item (``malle_thematique``, ``kit_especes``...);
    ``label`` is the French name shown in lists, forms and the calendar.
    """

    code: str
    label: str
    description: str = ""


@dataclass(frozen=True)
class MailTemplate:
    """A mail the plugin sends, returned by ``occe_mail_templates``: French Jinja sources.

    ``subject`` and ``body`` (plain text) are rendered once per recipient in a
    sandbox, with the personalisation described in ``docs/plugin_hooks.md``
    (``greeting``, ``cooperative``, ``school``, ``classroom``, ``teacher``,
    ``action``...); an unknown name is an error shown, in French, at preview.
    ``html``, optional, is an HTML alternative (escaped automatically).
    ``asks`` names the free fields the staff fill in when preparing the
    mailing: ``"title"`` and/or ``"message"`` (then required).
    """

    code: str
    label: str
    subject: str
    body: str
    html: str = ""
    description: str = ""
    asks: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not re.match(r"^[a-z][a-z0-9_]{1,59}$", self.code):
            raise ValueError(f"Code de modèle de courriel invalide « {self.code} » : lettres minuscules sans accent, chiffres et _.")
        unknown = set(self.asks) - {"title", "message"}
        if unknown:
            raise ValueError(f"Champs inconnus dans asks : {', '.join(sorted(unknown))} (possibles : title, message).")
