"""Uploaded files: kinds recognised by content, size and emptiness refused in French, kept and served safely."""

from __future__ import annotations

import io
import zipfile

import pytest
from werkzeug.datastructures import FileStorage

from app.extensions import db
from app.uploads import service
from app.uploads.kinds import DOCUMENTS, PDF_OR_IMAGE
from app.uploads.models import StoredFile, StoredFileContent

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _upload(name: str, data: bytes) -> FileStorage:
    return FileStorage(stream=io.BytesIO(data), filename=name, content_type="application/octet-stream")


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("quitus.pdf", PDF, "pdf"),
        ("Relevé août.PNG", PNG, "png"),
        ("photo.jpeg", b"\xff\xd8\xff\xe0" + b"\x00" * 20, "jpeg"),
        ("notes.txt", "Compte rendu : 12 €".encode(), "text"),
        ("budget.docx", _zip({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<w/>"}), "docx"),
        ("budget.ods", _zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<x/>"}), "ods"),
    ],
)
def test_a_file_is_recognised_by_its_extension_and_its_content(app, name, data, kind):
    with app.app_context():
        assert service.check(name, data, DOCUMENTS) == kind


@pytest.mark.parametrize(
    ("name", "data", "accepted", "message"),
    [
        ("virus.exe", b"MZ\x90\x00", DOCUMENTS, "Le fichier « virus.exe » n'est pas d'un format accepté (PDF, JPEG, PNG, texte, DOCX, ODT, XLSX, ODS)."),
        ("notes.txt", b"texte", PDF_OR_IMAGE, "Le fichier « notes.txt » n'est pas d'un format accepté (PDF, JPEG, PNG)."),
        ("quitus.pdf", b"MZ\x90\x00 not a pdf", DOCUMENTS, "Le contenu du fichier « quitus.pdf » n'est pas celui d'un fichier PDF : choisissez le bon fichier."),
        ("budget.docx", _zip({"mimetype": b"x"}), DOCUMENTS, "Le contenu du fichier « budget.docx » n'est pas celui d'un fichier DOCX : choisissez le bon fichier."),
        ("vide.pdf", b"", DOCUMENTS, "Le fichier « vide.pdf » est vide."),
        ("binaire.txt", b"a\x00b", DOCUMENTS, "Le contenu du fichier « binaire.txt » n'est pas celui d'un fichier texte : choisissez le bon fichier."),
    ],
)
def test_a_file_of_the_wrong_kind_is_refused_in_french(app, name, data, accepted, message):
    with app.app_context():
        with pytest.raises(service.UploadRefused) as refusal:
            service.check(name, data, accepted)
        assert str(refusal.value) == message


def test_a_file_over_the_limit_is_refused_without_reading_it_all(app):
    with app.app_context():
        app.config["OCCE_UPLOAD_MAX_BYTES"] = 1024
        try:
            stream = io.BytesIO(PDF + b"0" * 5000)
            with pytest.raises(service.UploadRefused, match=r"« gros\.pdf » dépasse la taille autorisée \(1 ko au plus\)"):
                service.store(FileStorage(stream=stream, filename="gros.pdf"))
            assert stream.tell() == 0  # rewound, and only limit + 1 bytes were asked for
        finally:
            app.config["OCCE_UPLOAD_MAX_BYTES"] = 10 * 1024 * 1024


def test_sizes_are_written_the_french_way():
    assert [service.file_size(size) for size in (10, 2048, 10 * 1024 * 1024, 3565158)] == ["1 ko", "2 ko", "10 Mo", "3,4 Mo"]


def test_a_folder_or_control_characters_in_the_name_are_dropped():
    assert service.clean_filename("C:\\Users\\x\\quitus 2025.pdf") == "quitus 2025.pdf"
    assert service.clean_filename("../../etc/passwd") == "passwd"
    assert service.clean_filename("a\x00b\nc.pdf") == "abc.pdf"
    assert service.clean_filename("") == "fichier"
    long = service.clean_filename("é" * 300 + ".pdf")
    assert len(long) == 200 and long.endswith(".pdf")


def test_a_kept_file_is_served_as_a_download_with_safe_headers(app):
    with app.app_context(), app.test_request_context():
        stored = service.store(_upload("Quitus signé.pdf", PDF))
        db.session.commit()
        assert (stored.kind, stored.size, stored.content_type) == ("pdf", len(PDF), "application/pdf")
        assert db.session.get(StoredFileContent, stored.id).data == PDF
        response = service.send_stored(db.session.get(StoredFile, stored.id))
        response.direct_passthrough = False
        assert response.get_data() == PDF
        assert response.headers["Content-Type"] == "application/pdf"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in response.headers["Content-Security-Policy"]
        disposition = response.headers["Content-Disposition"]
        assert disposition.startswith("attachment;") and "filename*=UTF-8''Quitus%20sign%C3%A9.pdf" in disposition


def test_an_uploaded_file_is_recorded_in_the_history_by_its_size_only(app):
    from app.audit.recorder import _plain

    assert _plain(PDF) == f"{len(PDF)} octets"
