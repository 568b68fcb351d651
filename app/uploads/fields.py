"""A file input for FAB and WTForms forms that checks the file in French and keeps it on save."""

from __future__ import annotations

from flask import g, has_request_context
from werkzeug.datastructures import FileStorage
from wtforms import FileField

from app.uploads.kinds import DOCUMENTS, KINDS, accepted_labels
from app.uploads.service import UploadRefused, check, max_bytes, read, store
from app.views import input_error


def _user_id() -> int | None:
    user = getattr(g, "user", None) if has_request_context() else None
    return getattr(user, "id", None) if user is not None and getattr(user, "is_authenticated", False) else None


def chosen(data) -> bool:
    return isinstance(data, FileStorage) and bool(data.filename)


class UploadField(FileField):
    """An optional file; on save it becomes a StoredFile set on ``attribute`` of the record.

    Leaving it empty on an edit keeps the file already there.
    """

    def __init__(self, label=None, validators=None, *, attribute: str, accepted: tuple[str, ...] = DOCUMENTS, **kwargs):
        self.attribute = attribute
        self.accepted = tuple(accepted)
        extensions = ",".join(extension for code in self.accepted for extension in KINDS[code].extensions)
        kwargs.setdefault("description", f"Formats acceptés : {accepted_labels(self.accepted)}.")
        kwargs.setdefault("render_kw", {"accept": extensions})
        super().__init__(label, validators, **kwargs)

    def pre_validate(self, form) -> None:
        if chosen(self.data):
            try:
                check(self.data.filename, read(self.data, max_bytes()), self.accepted)
            except UploadRefused as refusal:
                raise input_error(str(refusal) + " Choisissez de nouveau le fichier : les autres champs sont conservés.") from None

    def populate_obj(self, obj, name) -> None:
        if chosen(self.data):
            setattr(obj, self.attribute, store(self.data, self.accepted, user_id=_user_id(), flush=False))
