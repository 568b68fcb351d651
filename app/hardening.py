"""Guards against the routes that stock FAB 5 answers with a server error."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, abort, current_app, request


def register(app: Flask) -> None:
    app.before_request(_guard_downloads)
    app.before_request(_refuse_nul_characters)


def _refuse_nul_characters():
    """No one types a NUL character; PostgreSQL refuses it in text (a server error
    on any query comparing it, FAB's uniqueness checks included): answer 400."""
    for values in (request.args, request.form):
        if any("\x00" in value for _name, found in values.lists() for value in found):
            abort(400)
    return None


def _guard_downloads():
    """``/<view>/download/<file>``: FAB raises (IndexError, FileNotFoundError) on a name it did
    not store; answer 404 unless the file is one of the upload folder's."""
    if not (request.endpoint or "").endswith(".download"):
        return None
    filename = (request.view_args or {}).get("filename", "")
    folder = Path(current_app.config["UPLOAD_FOLDER"])
    if "_sep_" not in filename or not (folder / filename).is_file():
        abort(404)
    return None
