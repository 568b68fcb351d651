"""Where the activity reports are written and read back: ``instance/rapports/`` unless told otherwise."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from flask import current_app

from app.report.collect import Report, build_report
from app.report.docx_writer import write_docx
from app.report.pdf_writer import write_pdf

#: The only names the download route serves (no path, no other file of the folder).
FILENAME = re.compile(r"^rapport-activite-\d{4}-\d{4}\.(docx|pdf)$")


def report_folder() -> Path:
    return Path(current_app.instance_path) / "rapports"


def base_name(year_label: str) -> str:
    return f"rapport-activite-{year_label}"


@dataclass
class Written:
    report: Report
    paths: list[Path]
    seconds: dict[str, float]


def write_report(year, out_dir: Path | None = None) -> Written:
    """Build the report of ``year`` and write its DOCX and PDF; return the paths and what each step took."""
    folder = Path(out_dir) if out_dir else report_folder()
    folder.mkdir(parents=True, exist_ok=True)
    seconds = {}
    start = time.perf_counter()
    report = build_report(year)
    seconds["données"] = time.perf_counter() - start
    paths = []
    for extension, writer in (("docx", write_docx), ("pdf", write_pdf)):
        start = time.perf_counter()
        path = folder / f"{base_name(year.label)}.{extension}"
        partial = path.with_suffix(path.suffix + ".part")
        with partial.open("wb") as handle:
            writer(report, handle)
        partial.replace(path)  # a download never sees half a file
        seconds[extension.upper()] = time.perf_counter() - start
        paths.append(path)
    return Written(report, paths, seconds)


@dataclass
class StoredReport:
    name: str
    size: int
    written_at: datetime


def stored_reports(folder: Path | None = None) -> list[StoredReport]:
    """The reports already written, newest year first."""
    folder = folder or report_folder()
    if not folder.is_dir():
        return []
    found = [
        StoredReport(path.name, path.stat().st_size, datetime.fromtimestamp(path.stat().st_mtime).replace(microsecond=0))
        for path in folder.iterdir()
        if FILENAME.match(path.name) and path.is_file()
    ]
    return sorted(found, key=lambda item: item.name, reverse=True)
