"""Check, keep and serve uploaded files.

A file is accepted when its extension names an accepted kind *and* its
content is of that kind, and when it is not empty nor over
``OCCE_UPLOAD_MAX_BYTES``. Every refusal is one French sentence naming the file.
"""

from __future__ import annotations

import hashlib
import io
import unicodedata
from typing import IO

from flask import current_app, send_file
from werkzeug.datastructures import FileStorage

from app.extensions import db
from app.uploads.kinds import DOCUMENTS, KINDS, PDF_OR_IMAGE, WRITINGS, accepted_labels, content_matches, kind_for
from app.uploads.models import StoredFile, StoredFileContent

__all__ = ["DOCUMENTS", "PDF_OR_IMAGE", "WRITINGS", "UploadRefused", "check", "clean_filename", "content", "send_stored", "store"]

DEFAULT_MAX_BYTES = 10 * 1024 * 1024


class UploadRefused(ValueError):
    """A file the console does not keep; the message is French and names the file."""


def max_bytes() -> int:
    return int(current_app.config.get("OCCE_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES))


def file_size(size: int) -> str:
    """A size as a French reader writes it: 12 ko, 3,4 Mo."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} ko"
    return f"{size / (1024 * 1024):.1f}".replace(".", ",").removesuffix(",0") + " Mo"


def clean_filename(name: str | None) -> str:
    """The file's own name without any folder, control character or excess length."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(char for char in unicodedata.normalize("NFC", name) if unicodedata.category(char)[0] != "C").strip(" .")
    if len(name) > 200:
        stem, dot, extension = name.rpartition(".")
        name = (stem[: 200 - len(extension) - 1] + dot + extension) if dot and len(extension) <= 10 else name[:200]
    return name or "fichier"


def read(source: FileStorage | IO[bytes], limit: int) -> bytes:
    """At most ``limit + 1`` bytes: enough to know a file is too large without reading all of it."""
    stream = source.stream if isinstance(source, FileStorage) else source
    data = stream.read(limit + 1)
    if hasattr(stream, "seek"):
        stream.seek(0)
    return data


def check(filename: str, data: bytes, accepted: tuple[str, ...] = DOCUMENTS, limit: int | None = None) -> str:
    """The kind code of an acceptable file; raise :class:`UploadRefused` otherwise."""
    limit = max_bytes() if limit is None else limit
    shown = clean_filename(filename)
    kind = kind_for(shown, accepted)
    if kind is None:
        raise UploadRefused(f"Le fichier « {shown} » n'est pas d'un format accepté ({accepted_labels(accepted)}).")
    if not data:
        raise UploadRefused(f"Le fichier « {shown} » est vide.")
    if len(data) > limit:
        raise UploadRefused(f"Le fichier « {shown} » dépasse la taille autorisée ({file_size(limit)} au plus).")
    if not content_matches(kind.code, data):
        raise UploadRefused(f"Le contenu du fichier « {shown} » n'est pas celui d'un fichier {kind.label} : choisissez le bon fichier.")
    return kind.code


def store(source: FileStorage, accepted: tuple[str, ...] = DOCUMENTS, *, user_id: int | None = None, flush: bool = True) -> StoredFile:
    """Check and keep an uploaded file (added to the session, flushed unless told not to; never committed)."""
    limit = max_bytes()
    data = read(source, limit)
    code = check(source.filename or "", data, accepted, limit)
    return store_bytes(source.filename or "", data, code, user_id=user_id, flush=flush)


def store_bytes(filename: str, data: bytes, code: str, *, user_id: int | None = None, flush: bool = True) -> StoredFile:
    """Keep bytes already checked (by :func:`check`) or made by the console itself.

    A form saving a record passes ``flush=False``: the file is then written with
    the record, in the same flush, after the record's own checks.
    """
    stored = StoredFile(
        filename=clean_filename(filename),
        kind=code,
        content_type=KINDS[code].content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by_fk=user_id,
    )
    stored.content_row = StoredFileContent(data=data)
    db.session.add(stored)
    if flush:
        db.session.flush()
    return stored


def content(stored: StoredFile) -> bytes:
    row = stored.content_row
    return bytes(row.data) if row is not None else b""


def send_stored(stored: StoredFile):
    """The file as a download: never shown inline, its type is the one the console recognised."""
    response = send_file(
        io.BytesIO(content(stored)),
        mimetype=stored.content_type,
        as_attachment=True,
        download_name=stored.filename,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "private, no-store"
    return response
