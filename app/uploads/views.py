"""Attachments on FAB ModelViews: file inputs on the forms, downloads behind a permission.

A view lists its files in ``upload_fields``::

    class CrfsView(UploadsMixin, ExportableModelView):
        upload_fields = {"quitus_upload": ("quitus_file", "Quitus signé", PDF_OR_IMAGE)}

``quitus_upload`` is the form's file input, ``quitus_file`` the record's
relationship to :class:`~app.uploads.models.StoredFile`. Downloads go through
``/<view>/fichier/<pk>/<attribute>`` with the view's ``can_download``
permission and its base filters, so a row a person cannot see in the list
cannot be downloaded either.
"""

from __future__ import annotations

from flask import abort, url_for
from flask_appbuilder import expose, has_access
from flask_appbuilder.security.decorators import permission_name
from markupsafe import Markup, escape

from app.uploads.fields import UploadField
from app.uploads.service import file_size, send_stored


def _replace(columns: list[str] | None, attribute: str, field: str) -> list[str]:
    columns = list(columns or [])
    if attribute in columns:
        columns[columns.index(attribute)] = field
    elif field not in columns:
        columns.append(field)
    return columns


def file_link(view_name: str, item, attribute: str) -> Markup:
    """A download link for the file on ``item.<attribute>``, or an empty string."""
    stored = getattr(item, attribute, None)
    if stored is None or getattr(item, "id", None) is None:
        return Markup("")
    url = url_for(f"{view_name}.attachment", pk=item.id, attribute=attribute)
    return Markup('<a href="{}"><i class="fa fa-paperclip"></i> {}</a> <small class="text-muted">({})</small>').format(
        url, escape(stored.filename), file_size(stored.size)
    )


class UploadsMixin:
    """Put before the ModelView class in the bases."""

    #: form field -> (relationship attribute, French label, accepted kinds)
    upload_fields: dict[str, tuple[str, str, tuple[str, ...]]] = {}

    def __init__(self, **kwargs):
        if self.upload_fields and self.base_permissions and "can_download" not in self.base_permissions:
            self.base_permissions = [*self.base_permissions, "can_download"]
        super().__init__(**kwargs)

    def _upload_attributes(self) -> set[str]:
        return {attribute for attribute, _label, _kinds in self.upload_fields.values()}

    def _init_properties(self):
        if self.upload_fields and self.search_columns is None:
            # a StoredFile relation in the search form would list every file ever uploaded
            hidden = self._upload_attributes()
            self.search_columns = [column for column in self.datamodel.get_search_columns_list() if column not in hidden]
        super()._init_properties()
        for field, (attribute, _label, _kinds) in self.upload_fields.items():
            self.add_columns = _replace(self.add_columns, attribute, field)
            self.edit_columns = _replace(self.edit_columns, attribute, field)

    def _init_forms(self):
        if self.upload_fields:
            fields = {field: UploadField(label, attribute=attribute, accepted=kinds) for field, (attribute, label, kinds) in self.upload_fields.items()}
            self.add_form_extra_fields = {**(self.add_form_extra_fields or {}), **fields}
            self.edit_form_extra_fields = {**(self.edit_form_extra_fields or {}), **fields}
        super()._init_forms()

    # not named ``download``: FAB's ModelView already has one, for its own upload folder
    @expose("/fichier/<int:pk>/<attribute>")
    @has_access
    @permission_name("download")
    def attachment(self, pk: int, attribute: str):
        if attribute not in self._upload_attributes():
            abort(404)
        item = self.datamodel.get(pk, self._base_filters)
        stored = getattr(item, attribute, None) if item is not None else None
        if stored is None:
            abort(404)
        return send_stored(stored)
