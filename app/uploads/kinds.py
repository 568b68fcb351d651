"""The kinds of file the console accepts, recognised by their content, not by what the browser says."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass


@dataclass(frozen=True)
class FileKind:
    code: str
    label: str
    extensions: tuple[str, ...]
    content_type: str


KINDS = {
    kind.code: kind
    for kind in (
        FileKind("pdf", "PDF", (".pdf",), "application/pdf"),
        FileKind("jpeg", "JPEG", (".jpg", ".jpeg"), "image/jpeg"),
        FileKind("png", "PNG", (".png",), "image/png"),
        FileKind("text", "texte", (".txt",), "text/plain; charset=utf-8"),
        FileKind("docx", "DOCX", (".docx",), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        FileKind("xlsx", "XLSX", (".xlsx",), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        FileKind("odt", "ODT", (".odt",), "application/vnd.oasis.opendocument.text"),
        FileKind("ods", "ODS", (".ods",), "application/vnd.oasis.opendocument.spreadsheet"),
    )
}

PDF_OR_IMAGE = ("pdf", "jpeg", "png")
DOCUMENTS = ("pdf", "jpeg", "png", "text", "docx", "odt", "xlsx", "ods")
WRITINGS = ("pdf", "docx", "odt")

_OOXML_PART = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
_ODF_MIMETYPE = {"odt": b"application/vnd.oasis.opendocument.text", "ods": b"application/vnd.oasis.opendocument.spreadsheet"}


def _zip_names(data: bytes) -> zipfile.ZipFile | None:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        return None


def content_matches(code: str, data: bytes) -> bool:
    """Whether ``data`` really is a file of kind ``code`` (a renamed .exe is not a PDF)."""
    if code == "pdf":
        return data.startswith(b"%PDF-")
    if code == "png":
        return data.startswith(b"\x89PNG\r\n\x1a\n")
    if code == "jpeg":
        return data.startswith(b"\xff\xd8\xff")
    if code == "text":
        if b"\x00" in data:
            return False
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return False
        return True
    if code in _OOXML_PART or code in _ODF_MIMETYPE:
        archive = _zip_names(data) if data.startswith(b"PK\x03\x04") else None
        if archive is None:
            return False
        names = set(archive.namelist())
        if code in _OOXML_PART:
            return "[Content_Types].xml" in names and _OOXML_PART[code] in names
        return "mimetype" in names and archive.read("mimetype").strip() == _ODF_MIMETYPE[code]
    return False


def kind_for(filename: str, accepted: tuple[str, ...]) -> FileKind | None:
    """The accepted kind that the file's extension names, if any."""
    lower = filename.lower()
    for code in accepted:
        kind = KINDS[code]
        if lower.endswith(kind.extensions):
            return kind
    return None


def accepted_labels(accepted: tuple[str, ...]) -> str:
    return ", ".join(KINDS[code].label for code in accepted)
