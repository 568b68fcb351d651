"""Export downloads: a CSV streamed as it is written, or an XLSX built on disk then streamed."""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

from flask import Response, stream_with_context

from app.exports.writers import csv_chunks, write_xlsx

CSV_MIMETYPE = "text/csv"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_FORMATS = ("csv", "xlsx")
XLSX_CHUNK_SIZE = 64 * 1024

#: What may stay in the ASCII ``filename=`` fallback; anything else becomes "_".
FALLBACK_UNSAFE = re.compile(r"[^A-Za-z0-9 ._()-]")
#: RFC 5987 ``attr-char`` punctuation, left as is in ``filename*``.
RFC5987_SAFE = "!#$&+-.^_`|~"


def export_filename(base: str, day: date | None = None) -> str:
    """``base`` stamped with the day, without extension: ``cooperatives-2026-11-27``."""
    return f"{base}-{(day or date.today()).isoformat()}"


def export_response(
    filename: str,
    fmt: str,
    header: Iterable[Any],
    rows: Iterable[Iterable[Any]],
    *,
    sheet_title: str | None = None,
) -> Response:
    """The download of ``rows`` as ``filename.csv`` or ``filename.xlsx`` (``fmt``).

    Call it within the request. The CSV rows are read while the response is
    sent (the request context is kept for them); the XLSX rows are all read
    here. ``sheet_title`` defaults to ``filename``.
    """
    if fmt == "csv":
        response = Response(stream_with_context(csv_chunks(header, rows)), mimetype=CSV_MIMETYPE)
    elif fmt == "xlsx":
        response = _xlsx_response(header, rows, sheet_title or filename)
    else:
        raise ValueError(f"Format d'export inconnu « {fmt} » : les formats possibles sont csv et xlsx.")
    _set_download_headers(response, f"{filename}.{fmt}")
    return response


def _xlsx_response(header: Iterable[Any], rows: Iterable[Iterable[Any]], sheet_title: str) -> Response:
    with tempfile.NamedTemporaryFile(prefix="occe-export-", suffix=".xlsx", delete=False) as handle:
        path = Path(handle.name)
    try:
        write_xlsx(header, rows, path, sheet_title)
        stream = TemporaryFileStream(path)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    response = Response(stream, mimetype=XLSX_MIMETYPE)
    response.content_length = os.path.getsize(path)
    return response


class TemporaryFileStream:
    """A temporary file sent in 64 KiB chunks, then deleted.

    The deletion is in ``close()``, not after the last chunk: a WSGI server
    calls ``close()`` whether the download ended, failed, or the client went
    away, even before the first chunk (where a generator's ``finally`` would
    never run).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.file = path.open("rb")

    def __iter__(self) -> Iterator[bytes]:
        while chunk := self.file.read(XLSX_CHUNK_SIZE):
            yield chunk

    def close(self) -> None:
        self.file.close()
        self.path.unlink(missing_ok=True)


def _set_download_headers(response: Response, filename: str) -> None:
    """Attachment named ``filename`` (RFC 6266 / 5987), never cached: exports hold personal data."""
    response.headers.set(
        "Content-Disposition",
        "attachment",
        filename=_ascii_fallback(filename),
        **{"filename*": f"UTF-8''{quote(filename, safe=RFC5987_SAFE)}"},
    )
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"


def _ascii_fallback(filename: str) -> str:
    """``adhérents.csv`` as ``adherents.csv``, for clients that ignore ``filename*``."""
    ascii_name = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode("ascii")
    return FALLBACK_UNSAFE.sub("_", ascii_name)
