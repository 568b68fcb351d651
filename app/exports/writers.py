"""CSV and XLSX writers that keep memory flat whatever the number of rows."""

from __future__ import annotations

import contextlib
import csv
import io
import os
import re
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from app.exports.cells import FORMULA_TRIGGERS, csv_cell, xlsx_cell

#: Rows written between two CSV chunks: big enough for few writes, small enough for flat memory.
CSV_CHUNK_ROWS = 500
#: Tells Excel the file is UTF-8; without it accents are read as Windows-1252.
UTF8_BOM = "\ufeff"

EXCEL_SHEET_TITLE_MAX = 31
EXCEL_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
DEFAULT_SHEET_TITLE = "Export"
XLSX_DATE_FORMAT = "DD/MM/YYYY"
XLSX_DATETIME_FORMAT = "DD/MM/YYYY HH:MM"


def csv_chunks(header: Iterable[Any], rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    """The CSV French Excel opens as is: BOM, ``;`` between cells, ``\\r\\n`` between lines.

    ``rows`` is consumed lazily: a chunk is yielded every ``CSV_CHUNK_ROWS``
    rows, so a generator over the database is never held in memory.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    buffer.write(UTF8_BOM)
    writer.writerow([csv_cell(title) for title in header])
    for count, row in enumerate(rows, start=1):
        # plain text, most cells, is written as it is without a call per cell
        writer.writerow([value if type(value) is str and value[:1] not in FORMULA_TRIGGERS else csv_cell(value) for value in row])
        if count % CSV_CHUNK_ROWS == 0:
            yield _drain(buffer)
    if last := _drain(buffer):
        yield last


def _drain(buffer: io.StringIO) -> str:
    """What the buffer holds, emptying it for the next chunk."""
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def write_xlsx(
    header: Iterable[Any], rows: Iterable[Iterable[Any]], path: str | os.PathLike[str], sheet_title: str
) -> None:
    """Write one sheet at ``path``, with a bold, frozen header row.

    openpyxl's write-only mode sends each row to disk as it comes, so memory
    stays constant; styles and panes must therefore be set before the first row.
    If ``rows`` raises, the error is raised again once the workbook is closed.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=excel_sheet_title(sheet_title))
    titles = [xlsx_cell(title) for title in header]
    _size_columns(sheet, titles)
    sheet.freeze_panes = "A2"
    sheet.append([_header_cell(sheet, title) for title in titles])
    try:
        for row in rows:
            sheet.append([_body_cell(sheet, value) for value in row])
    except BaseException:
        _discard(workbook, path)
        raise
    workbook.save(path)


def _discard(workbook: Workbook, path: str | os.PathLike[str]) -> None:
    """Close a workbook whose rows failed; ``path`` then holds the rows written so far.

    Saving is the only public way to make openpyxl delete its own temporary
    file, which would otherwise stay until the worker process exits.
    """
    with contextlib.suppress(Exception):
        workbook.save(path)


def excel_sheet_title(title: str) -> str:
    """``title`` as Excel accepts it: none of ``[]:*?/\\``, at most 31 characters.

    Excel also refuses an empty title and one that starts or ends with an apostrophe.
    """
    cleaned = EXCEL_SHEET_TITLE_FORBIDDEN.sub("", title or "").strip(" '")
    cut = cleaned[:EXCEL_SHEET_TITLE_MAX].rstrip(" '")
    return cut or DEFAULT_SHEET_TITLE


def _size_columns(sheet, titles: list[Any]) -> None:
    """Columns wide enough for their title, so the staff do not resize each one."""
    for index, title in enumerate(titles, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(10, len(str(title)) + 2)


def _header_cell(sheet, title: Any) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=title)
    cell.font = Font(bold=True)
    return cell


def _body_cell(sheet, value: Any):
    """The cell for one value; dates get a French display format instead of openpyxl's ISO one."""
    value = xlsx_cell(value)
    if not isinstance(value, date):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = XLSX_DATETIME_FORMAT if isinstance(value, datetime) else XLSX_DATE_FORMAT
    return cell
