"""The PDF downloads staff need today: an action's recap and diplomas, a day's attendance sheet, a booklet cover.

Downloads change nothing, so they are GET routes; each has its own
permission (``can_recap``, ``can_diplomas``, ``can_attendance``,
``can_booklet`` on ``DocumentsView``). ``app.documents.render`` (and fpdf2)
is imported at the first download, not at start-up.
"""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import aliased

from app.actions.models import ACCEPTED, CANCELLED, DONE, REFUSED, STATUSES, Action, Registration
from app.directory.models import Classroom, Cooperative, School
from app.extensions import db
from app.interventions.models import InterventionDay, InterventionRequest, InterventionTheme
from app.years.context import viewed_year

#: Statuses of the registrations a diploma goes to; ``?retenues=1`` adds « retenue ».
DIPLOMA_STATUSES = (DONE,)
#: Requests of a day that are not expected in class (left off the attendance sheet).
NOT_EXPECTED = (REFUSED, CANCELLED)


def _get_or_404(model, pk: int):
    item = db.session.get(model, pk)
    if item is None:
        abort(404)
    return item


def recap_columns() -> tuple[list[str], list[str], dict]:
    """The CSV recap's columns (``RegistrationView.export_columns``), their French titles and formatters."""
    from app.actions.views import RegistrationView

    columns = list(RegistrationView.export_columns)
    titles = [str(RegistrationView.label_columns.get(column, column)) for column in columns]
    return columns, titles, RegistrationView.formatters_columns


def recap_rows(action: Action) -> tuple[list[str], list[list]]:
    """The header and rows of an action's registration recap, in the CSV recap's order (oldest request first).

    Plain column tuples, one query, no ORM object: the registrations' joined
    relations would take about 1 s to load for 2,000 rows.
    """
    columns, titles, formatters = recap_columns()
    aliases: dict[str, object] = {}
    selected = []
    for column in columns:
        if "." not in column:
            selected.append(getattr(Registration, column))
            continue
        relation, attribute = column.split(".", 1)
        if relation not in aliases:
            aliases[relation] = aliased(getattr(Registration, relation).property.mapper.class_)
        selected.append(getattr(aliases[relation], attribute))
    query = select(*selected).select_from(Registration)
    for relation, alias in aliases.items():
        query = query.outerjoin(alias, getattr(Registration, relation).of_type(alias))
    query = query.filter(Registration.action_id == action.id).order_by(Registration.requested_at, Registration.id)
    column_formatters = [formatters.get(column) for column in columns]
    rows = [
        [formatter(value) if formatter and value is not None else value for value, formatter in zip(row, column_formatters, strict=True)]
        for row in db.session.execute(query)
    ]
    return titles, rows


def diploma_recipients(action: Action, statuses: tuple[str, ...]) -> list:
    """One recipient per registration of ``action`` in ``statuses``: its class (or its cooperative), by school then class."""
    from app.documents.render import DiplomaRecipient

    class_school, coop_school = aliased(School), aliased(School)
    query = (
        select(Classroom.id, Classroom.name, Classroom.levels, Classroom.cycles, class_school.name, class_school.commune,
               Cooperative.affiliation_number, coop_school.name, coop_school.commune)
        .select_from(Registration)
        .join(Cooperative, Registration.cooperative_id == Cooperative.id)
        .outerjoin(coop_school, Cooperative.school_id == coop_school.id)
        .outerjoin(Classroom, Registration.classroom_id == Classroom.id)
        .outerjoin(class_school, Classroom.school_id == class_school.id)
        .filter(Registration.action_id == action.id, Registration.status.in_(statuses))
    )  # fmt: skip
    recipients = []
    for class_id, name, levels, cycles, school, commune, affiliation, coop_school_name, coop_commune in db.session.execute(query):
        if class_id is not None:
            detail = f"{levels} — {'cycles' if '-' in (cycles or '') else 'cycle'} {cycles}" if cycles else (levels or "")
            recipients.append(DiplomaRecipient(name, _school_label(school or coop_school_name, commune if school else coop_commune), detail))
        else:
            recipients.append(DiplomaRecipient(_school_label(coop_school_name, coop_commune), "", f"coopérative n° {affiliation}", "décerné à la coopérative scolaire"))
    recipients.sort(key=lambda recipient: (recipient.school.lower(), recipient.name.lower()))
    return recipients


def _school_label(name: str | None, commune: str | None) -> str:
    """« École Paul Bert (Chauny) »."""
    if not name:
        return ""
    return f"{name} ({commune})" if commune else name


def attendance_rows(day: InterventionDay) -> list[list[str]]:
    """The classes expected on ``day``: class, school, teacher, theme, pupils."""
    requests = db.session.execute(
        select(InterventionRequest).filter(InterventionRequest.day_id == day.id, InterventionRequest.status.not_in(NOT_EXPECTED))
    ).scalars().unique()
    rows = []
    for item in requests:
        classroom = item.classroom
        school = (classroom.school if classroom is not None else None) or item.cooperative.school
        rows.append([
            classroom.name if classroom is not None else gettext("Toute la coopérative"),
            _school_label(school.name, school.commune) if school is not None else "",
            str(item.teacher) if item.teacher is not None else "",
            item.theme.name if item.theme is not None else "",
            classroom.pupils if classroom is not None else None,
        ])
    rows.sort(key=lambda row: (row[1].lower(), row[0].lower()))
    return rows


class DocumentsView(BaseView):
    """PDF downloads (GET, they change nothing), each under its own permission."""

    route_base = "/documents"
    default_view = "recap"
    base_permissions = ["can_recap", "can_diplomas", "can_attendance", "can_booklet"]
    method_permission_name = {"recap": "recap", "diplomas": "diplomas", "attendance": "attendance", "booklet": "booklet"}

    @expose("/action/<int:pk>/recapitulatif.pdf")
    @has_access
    def recap(self, pk: int):
        from app.documents import render
        from app.documents.response import pdf_response

        action = _get_or_404(Action, pk)
        titles, rows = recap_rows(action)
        year = action.school_year.label if action.school_year else ""
        summary = _status_summary(rows, titles)
        doc = render.recap(
            gettext("Récapitulatif des inscriptions — %(action)s", action=action.name),
            titles,
            rows,
            subtitle=gettext("Année scolaire %(year)s", year=year),
            details=[summary] if summary else [],
        )
        return pdf_response(doc, render.pdf_filename("recapitulatif", action.code or action.name, year))

    @expose("/action/<int:pk>/diplomes.pdf")
    @has_access
    def diplomas(self, pk: int):
        from app.documents import render
        from app.documents.response import pdf_response

        action = _get_or_404(Action, pk)
        with_accepted = request.args.get("retenues") in ("1", "oui", "true")
        statuses = DIPLOMA_STATUSES + ((ACCEPTED,) if with_accepted else ())
        recipients = diploma_recipients(action, statuses)
        if not recipients:
            wanted = gettext("réalisée ou retenue") if with_accepted else gettext("réalisée")
            flash(gettext("Aucune inscription %(status)s à « %(action)s » : pas de diplôme à éditer.", status=wanted, action=action.name), "warning")
            return redirect(url_for("ActionView.show", pk=action.id))
        year = action.school_year.label if action.school_year else ""
        doc = render.diploma(recipients, action=action.name, year=year)
        return pdf_response(doc, render.pdf_filename("diplomes", action.code or action.name, year))

    @expose("/journee/<int:pk>/emargement.pdf")
    @has_access
    def attendance(self, pk: int):
        from app.documents import render
        from app.documents.response import pdf_response

        day = _get_or_404(InterventionDay, pk)
        animator = day.animator
        details = [gettext("Animatrice ou animateur : %(name)s", name=f"{animator.first_name} {animator.last_name}")] if animator else []
        doc = render.attendance_sheet(
            gettext("Interventions en classe"),
            day.day,
            gettext("secteur de %(sector)s", sector=day.sector.name) if day.sector else "",
            attendance_rows(day),
            columns=[gettext("Classe"), gettext("École"), gettext("Enseignant·e"), gettext("Thème"), gettext("Élèves")],
            details=details,
        )
        return pdf_response(doc, render.pdf_filename("emargement", "interventions", day.day.isoformat()))

    @expose("/theme/<int:pk>/couverture.pdf")
    @has_access
    def booklet(self, pk: int):
        from app.documents import render
        from app.documents.response import pdf_response

        theme = _get_or_404(InterventionTheme, pk)
        year = viewed_year()
        label = year.label if year else f"{date.today().year}"
        doc = render.booklet_cover(theme, label)
        return pdf_response(doc, render.pdf_filename("livret", theme.name, label))


def _status_title() -> str:
    from app.actions.views import RegistrationView

    return str(RegistrationView.label_columns.get("status", "status"))


def _status_summary(rows: list[list], titles: list[str]) -> str:
    """« Retenue : 12, Réalisée : 30 », in the statuses' order."""
    title = _status_title()
    if title not in titles:
        return ""
    index = titles.index(title)
    counts: dict[str, int] = {}
    for row in rows:
        counts[row[index]] = counts.get(row[index], 0) + 1
    return ", ".join(f"{label} : {counts[label]}" for label in STATUSES.values() if label in counts)
