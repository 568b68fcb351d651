"""Python values as spreadsheet cells, in French and safe from formula injection.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a
formula, so a cooperative named ``=HYPERLINK(...)`` could leak data or run
commands on the machine of the staff member who opens the export. Following
OWASP (CSV injection) and ASVS 5.0 (1.2.10), such text gets a leading
apostrophe. Only text is escaped: a negative number is a number.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

YES = "Oui"
NO = "Non"
DATE_FORMAT = "%d/%m/%Y"
DATETIME_FORMAT = "%d/%m/%Y %H:%M"

#: First characters that make a spreadsheet read text as a formula. Every
#: control character is included, not only tab and CR: ASVS adds NUL, and a
#: control character removed later (XLSX refuses most of them) must not
#: uncover an ``=``.
FORMULA_TRIGGERS = frozenset("=+-@") | frozenset(map(chr, range(0x20)))

#: Excel's limit; a longer text makes Excel "repair" the whole workbook.
XLSX_MAX_TEXT = 32_767

Cell = str | int | float | Decimal | date


def neutralise_formula(text: str) -> str:
    """``text`` with a leading apostrophe when a spreadsheet would run it as a formula."""
    return f"'{text}" if text and text[0] in FORMULA_TRIGGERS else text


def safe_cell(value: Any) -> Cell:
    """The value a cell may hold in any spreadsheet format.

    None becomes "", booleans "Oui"/"Non", text (and any other object, through
    ``str``) is neutralised; numbers and dates stay as they are, for each
    format to render (``csv_cell``, ``xlsx_cell``). NaN and infinities become ""
    since no spreadsheet can hold them.
    """
    if type(value) is str:  # the common case first: exports are mostly text
        return neutralise_formula(value)
    if value is None:
        return ""
    if isinstance(value, bool):  # before int: bool is an int
        return YES if value else NO
    if isinstance(value, (float, Decimal)):
        return value if _is_finite(value) else ""
    if isinstance(value, (int, date)):
        return value
    return neutralise_formula(str(value))


def csv_cell(value: Any) -> str:
    """The text of a CSV cell for French Excel: dd/mm/yyyy dates, decimal comma."""
    kind = type(value)  # exact types first: half a million cells for 50,000 rows
    if kind is str:
        return neutralise_formula(value)
    if kind is int:
        return str(value)
    if value is None:
        return ""
    if kind is datetime:  # DATETIME_FORMAT, without strftime's cost (50,000 dates in an export)
        return f"{value.day:02d}/{value.month:02d}/{value.year:04d} {value.hour:02d}:{value.minute:02d}"
    if kind is date:
        return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"
    cell = safe_cell(value)
    if isinstance(cell, datetime):  # before date: a datetime is a date
        return cell.strftime(DATETIME_FORMAT)
    if isinstance(cell, date):
        return cell.strftime(DATE_FORMAT)
    if isinstance(cell, (float, Decimal)):
        return _decimal_comma(cell)
    return str(cell)


def xlsx_cell(value: Any) -> Cell:
    """The value of an XLSX cell: numbers and dates stay native, so Excel can sort and sum them.

    The writer shows dates as dd/mm/yyyy. XLSX has no time zones, so an aware
    datetime keeps its wall-clock time, as in the CSV.
    """
    cell = safe_cell(value)
    if isinstance(cell, str):
        return _xlsx_text(cell)
    if isinstance(cell, datetime) and cell.tzinfo is not None:
        return cell.replace(tzinfo=None)
    return cell


def _xlsx_text(text: str) -> str:
    """Text an XLSX cell can hold.

    openpyxl refuses the control characters XML cannot carry, and XML reads a
    raw CR back as LF: line ends become Excel's own in-cell line break, LF.
    """
    text = ILLEGAL_CHARACTERS_RE.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
    return text[:XLSX_MAX_TEXT]


def _is_finite(number: float | Decimal) -> bool:
    # Decimal.is_finite() also answers for a signalling NaN, where math.isfinite raises.
    return number.is_finite() if isinstance(number, Decimal) else math.isfinite(number)


def _decimal_comma(number: float | Decimal) -> str:
    """``1234.5`` as ``1234,5``: fixed notation (never ``1e-07``) with the shortest digits."""
    exact = number if isinstance(number, Decimal) else Decimal(repr(number))
    return format(exact, "f").replace(".", ",")
