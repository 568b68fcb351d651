"""Base classes for the console's views: FAB's, with its rough edges filed off."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from flask import abort, g, request
from flask_appbuilder import ModelView, expose, has_access
from flask_appbuilder.models.sqla.filters import BaseFilter, FilterEqual, FilterNotEqual
from flask_appbuilder.urltools import get_filter_args, get_order_args, get_page_args, get_page_size_args
from flask_babel import gettext
from flask_babel.speaklater import LazyString
from markupsafe import Markup
from wtforms.validators import ValidationError
from flask_babel import lazy_gettext as _
from sqlalchemy.orm import aliased
from wtforms import HiddenField, SelectField, StringField

from app.datamodel import Versioned


def script_safe(text) -> LazyString:
    """An ``@action`` confirmation FAB can write between quotes in a script.

    FAB writes it unescaped into ``confirm('...')`` (lazy texts are markup): an
    apostrophe, as in « liste d'attente », ended the string and broke the
    button. The French typographic apostrophe reads better anyway.
    """
    return LazyString(lambda: "".join(char for char in str(text).replace("'", "’") if char not in "\\\"<>\n\r"))


class OcceModelView(ModelView):
    """A FAB ModelView whose ``@action`` endpoints keep to the rows the list shows.

    Stock FAB looks the action up before checking any permission, so an
    anonymous visitor could trigger a 500 with ``/<view>/action/<unknown>/1``:
    an unknown action answers 404. And stock FAB loads an action's rows
    without the view's ``base_filters``, so a forged id reached a row of
    another year (or, for a row-scoped role, of someone else): such an id
    answers 404 too.
    """

    page_size = 25
    #: Relations too large for a drop-down in the search form (thousands of
    #: schools): searched by text on the named column of the related table.
    #: FAB would otherwise render every related row as an <option> on each list page.
    text_search_relations: dict[str, str] = {}
    #: Columns holding a code from a fixed list (a status): searched by equality
    #: from a drop-down of the French labels. FAB's default for text is "starts
    #: with", which no index serves (550 ms over 1,000,000 registrations).
    choice_search_columns: dict[str, dict[str, str]] = {}
    #: Searches on something that is not a column of the table (a computed
    #: status, the cooperative's sector): name -> a BaseFilter class. List the
    #: name in ``search_columns`` and give it a field in ``search_form_extra_fields``.
    extra_search_filters: dict[str, type[BaseFilter]] = {}

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        for item in self.actions.values():
            if item.confirmation:
                item.confirmation = script_safe(item.confirmation)

    def get_action_permission_name(self, name: str) -> str:
        if name not in self.actions:
            abort(404)
        return super().get_action_permission_name(name)

    def _may_run(self, name: str) -> bool:
        return self.appbuilder.sm.has_access(self.get_action_permission_name(name), self.class_permission_name)

    def _visible_or_404(self, pk) -> None:
        if self.datamodel.get(self._deserialize_pk_if_composite(pk), self._base_filters) is None:
            abort(404)

    @expose("/action/<string:name>/<pk>", methods=["GET", "POST"])
    def action(self, name, pk):
        if self._may_run(name):
            self._visible_or_404(pk)
        return super().action(name, pk)

    @expose("/action_post", methods=["POST"])
    def action_post(self):
        name = request.form.get("action", "")
        if self._may_run(name):
            for pk in request.form.getlist("rowid"):
                self._visible_or_404(pk)
        return super().action_post()

    # A save the database refused (see app/datamodel.py) shows the form again with what was typed.

    @expose("/add", methods=["GET", "POST"])
    @has_access
    def add(self):
        widgets = self._add()
        if widgets is None and g.pop("occe_save_failed", False):
            widgets = self._get_add_widget(form=self.add_form.refresh(request.form))
        if not widgets:
            return self.post_add_redirect()
        return self.render_template(self.add_template, title=self.add_title, widgets=widgets)

    @expose("/edit/<pk>", methods=["GET", "POST"])
    @has_access
    def edit(self, pk):
        pk = self._deserialize_pk_if_composite(pk)
        widgets = self._edit(pk)
        if widgets is None and g.pop("occe_save_failed", False):
            widgets = self._get_edit_widget(form=self.edit_form.refresh(request.form))
            # FAB's edit.html reads the related lists' widgets: without them the page is a server error
            widgets = self._get_related_views_widgets(
                self.datamodel.get(pk, self._base_filters), filters={}, orders=get_order_args(),
                pages=get_page_args(), page_sizes=get_page_size_args(), widgets=widgets,
            )  # fmt: skip
        if not widgets:
            return self.post_edit_redirect()
        return self.render_template(self.edit_template, title=self.edit_title, widgets=widgets, related_views=self._related_views)

    @property
    def database_error_message(self) -> str:
        """What FAB flashes when an edit fails: the reason app/datamodel.py found, in French."""
        return g.pop("occe_save_message", None) or gettext(
            "Enregistrement impossible : la base de données est occupée ou a refusé la modification. "
            "Vos saisies sont conservées, enregistrez à nouveau dans un instant."
        )

    def _init_properties(self):
        # FAB knows no filter for a search name that is not a table column (it logs
        # « Filter type not supported » at every start): give it the columns only.
        wanted = list(self.search_columns or [])
        if self.extra_search_filters:
            self.search_columns = [column for column in wanted if column not in self.extra_search_filters]
        super()._init_properties()
        if issubclass(self.datamodel.obj, Versioned):
            # the version travels hidden in the edit form, and is shown nowhere else
            self.add_columns = [column for column in self.add_columns if column != "version"]
            self.show_columns = [column for column in self.show_columns if column != "version"]
            self.list_columns = [column for column in self.list_columns if column != "version"]
            if "version" not in self.edit_columns:
                self.edit_columns = [*self.edit_columns, "version"]
        if self.text_search_relations:
            extra = {
                relation: [related_contains(relation, column)(relation, self.datamodel)]
                for relation, column in self.text_search_relations.items()
            }
            self._filters = self.datamodel.get_filters(self.search_columns, extra)
            # FAB reads URL filters by index from ``_all_filters``, the search form from ``_search_filters``.
            for relation, filters in extra.items():
                self._filters._all_filters[relation].extend(filters)
        for column in self.choice_search_columns:
            self._filters._search_filters[column] = [FilterEqual(column, self.datamodel), FilterNotEqual(column, self.datamodel)]
            self._filters._all_filters[column] = [FilterEqual(column, self.datamodel), FilterNotEqual(column, self.datamodel)]
        if self.extra_search_filters:
            self.search_columns = wanted
            for column, filter_class in self.extra_search_filters.items():
                self._filters._search_filters[column] = [filter_class(column, self.datamodel)]
                self._filters._all_filters[column] = [filter_class(column, self.datamodel)]

    def _init_forms(self):
        if "version" in (self.edit_columns or []):
            self.edit_form_extra_fields = {**(self.edit_form_extra_fields or {}), "version": HiddenField()}
        if self.text_search_relations:
            fields = dict(self.search_form_extra_fields or {})
            for relation in self.text_search_relations:
                fields.setdefault(relation, StringField(str(self.label_columns.get(relation, relation))))
            self.search_form_extra_fields = fields
        if self.choice_search_columns:
            fields = dict(self.search_form_extra_fields or {})
            for column, choices in self.choice_search_columns.items():
                fields.setdefault(column, SelectField(str(self.label_columns.get(column, column)), choices=list(choices.items())))
            self.search_form_extra_fields = fields
        super()._init_forms()


def related_contains(relation: str, column: str) -> type[BaseFilter]:
    """A search filter "<relation>'s <column> contains ..." (e.g. the school's name)."""

    class RelatedContains(BaseFilter):
        name = _("Contient")
        arg_name = "rct"

        def apply(self, query, value):
            attribute = getattr(self.model, relation)
            target = attribute.property.mapper.class_
            return query.filter(attribute.has(getattr(target, column).ilike(f"%{value}%")))

    return RelatedContains


class ExportableModelView(OcceModelView):
    """A list page with "Exporter CSV / XLSX" buttons exporting the rows as filtered and sorted.

    The export streams: rows are read in batches (``yield_per``) and written
    as they come, so 50,000 rows never sit in memory at once. Views holding
    personal data set ``personal_data = True`` (roles without the right to
    export personal data are simply not granted ``can_export`` on them).
    """

    list_template = "occe/list.html"
    export_batch = 2000
    personal_data = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        problems = [problem for column in self.export_columns if (problem := export_column_problem(self.datamodel.obj, column))]
        if problems:  # a property exported would answer 500 at the first export: refuse at start-up instead
            raise TypeError(f"{type(self).__name__}.export_columns: " + " ; ".join(problems))

    @property
    def export_columns(self) -> list[str]:
        return list(self.list_columns)

    @expose("/export/<string:fmt>")
    @has_access
    def export(self, fmt: str):
        from app.exports import EXPORT_FORMATS, export_filename, export_response

        if fmt not in EXPORT_FORMATS:
            abort(404)
        header = [str(self.label_columns.get(column, column)) for column in self.export_columns]
        title = str(self.list_title or self.route_base.strip("/"))
        return export_response(export_filename(self.route_base.strip("/") or "export"), fmt, header, self.export_rows(), sheet_title=title)

    def export_query(self):
        """The list's query: its base filters, the request's filters and order, no pagination."""
        order = get_order_args().get(self.__class__.__name__)
        order_column, order_direction = order if order else (self.base_order or ("", ""))
        get_filter_args(self._filters)
        filters = self._filters.get_joined_filters(self._base_filters)
        query = self.datamodel.session.query(self.datamodel.obj)
        return self.datamodel.apply_all(query, filters, order_column, order_direction)

    def export_rows(self) -> Iterator[list]:
        """Plain tuples of the exported columns: no ORM object is built, 50,000 rows stay fast.

        Export columns are table columns, relations (written as their ``str()``) or
        ``relation.column`` (one level), as in list_columns.
        """
        formatters = [self.formatters_columns.get(column) for column in self.export_columns]
        query = self.export_query().enable_eagerloads(False)
        model = self.datamodel.obj
        aliases: dict[str, object] = {}
        selected = []
        for column in self.export_columns:
            if "." not in column:
                attribute = getattr(model, column)
                if hasattr(attribute.property, "mapper"):
                    # a relation exported whole (its str()): joined, never a cross join of both tables
                    aliases[column] = aliased(attribute.property.mapper.class_)
                    query = query.outerjoin(aliases[column], attribute)
                    selected.append(aliases[column])
                else:
                    selected.append(attribute)
                continue
            relation, attribute = column.split(".", 1)
            if relation not in aliases:
                aliases[relation] = aliased(getattr(model, relation).property.mapper.class_)
                query = query.outerjoin(aliases[relation], getattr(model, relation))
            selected.append(getattr(aliases[relation], attribute))
        # stored codes get their French label; only the columns with a formatter are touched
        formatted = [(index, formatter) for index, formatter in enumerate(formatters) if formatter]
        for row in query.with_entities(*selected).yield_per(self.export_batch):
            if not formatted:
                yield row
                continue
            values = list(row)
            for index, formatter in formatted:
                values[index] = _formatted(values[index], formatter)
            yield values


def export_column_problem(model, column: str) -> str | None:
    """Why ``column`` cannot be exported from ``model`` (a Python property, a typo), or None.

    Exports select table columns in one streamed query: a column, a relation
    (its ``str()``) or ``relation.column``, never a property.
    """
    owner, name = model, column
    if "." in column:
        relation, name = column.split(".", 1)
        mapped = getattr(getattr(model, relation, None), "property", None)
        owner = mapped.mapper.class_ if hasattr(mapped, "mapper") else None
    attribute = getattr(owner, name, None) if owner is not None else None
    if not hasattr(attribute, "property"):
        return f"« {column} » n'est ni une colonne, ni une relation, ni « relation.colonne » de {model.__name__}"
    return None


def _formatted(value, formatter: Callable | None):
    """Stored codes get their French label; dates, numbers and booleans stay raw for the export service."""
    return formatter(value) if formatter and isinstance(value, str) else value


def input_error(message: str) -> ValidationError:
    """A form error whose message may quote what the person typed, escaped.

    FAB renders field errors through ``{{ _(error) }}``: Jinja's gettext marks its
    result safe, so a message quoting the typed value (« Code UAI invalide
    « <script>… » ») would come back as markup; and it applies ``%`` formatting,
    so a typed ``%`` would raise a server error. Escaped and with ``%`` doubled,
    the message comes back as the text the person typed. For FAB's forms only:
    the console's own templates print errors as they are.
    """
    return ValidationError(Markup(Markup.escape(message).replace("%", "%%")))


def yes_no(value) -> str:
    """A boolean as the French staff read it."""
    return gettext("Oui") if value else gettext("Non")


def french_date(value) -> str:
    """A date as dd/mm/yyyy (empty when missing)."""
    return value.strftime("%d/%m/%Y") if value else ""


def choice_label(choices: dict[str, str]) -> Callable[[str], str]:
    """A formatter showing the French label of a stored code (``"fermee"`` → ``"Fermée"``)."""
    return lambda value: choices.get(value, value or "")
