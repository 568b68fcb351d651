"""The console's one export service: every list page exports through it, as CSV or XLSX.

A view turns its query into a header and rows, then returns
``export_response(export_filename("cooperatives"), fmt, header, rows)``;
cell conversion, formula-injection escaping, streaming and headers are done here.
"""

from app.exports.cells import csv_cell, safe_cell, xlsx_cell
from app.exports.response import EXPORT_FORMATS, export_filename, export_response
from app.exports.writers import csv_chunks, excel_sheet_title, write_xlsx

__all__ = [
    "EXPORT_FORMATS",
    "csv_cell",
    "csv_chunks",
    "excel_sheet_title",
    "export_filename",
    "export_response",
    "safe_cell",
    "write_xlsx",
    "xlsx_cell",
]
