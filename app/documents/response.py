"""A finished PDF as a download: an attachment, never cached (documents name classes and teachers)."""

from __future__ import annotations

from typing import Protocol

from flask import Response

PDF_MIMETYPE = "application/pdf"


class _Renderable(Protocol):
    def to_bytes(self) -> bytes: ...


def pdf_response(data: bytes | _Renderable, filename: str) -> Response:
    """The download of ``data`` (PDF bytes, or a :class:`~app.documents.render.PdfDocument`) as ``filename``.

    A PDF ends with its cross-reference table, so it is finished before the
    first byte goes out: the response carries the whole file and its length.
    ``filename`` is made ASCII-safe (``Diplômes DéfiMaths.pdf`` → ``diplomes-defimaths.pdf``).
    """
    from app.documents.render import pdf_filename

    body = data if isinstance(data, (bytes, bytearray)) else data.to_bytes()
    response = Response(bytes(body), mimetype=PDF_MIMETYPE)
    stem = filename[:-4] if filename.lower().endswith(".pdf") else filename
    response.headers.set("Content-Disposition", "attachment", filename=pdf_filename(stem))
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
