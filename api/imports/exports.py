"""Exports in the import formats: the same columns (headers in the chosen language), so a country office can
export, edit and import again. Only records the caller may see; confidential columns only for the records
the caller sees in full (the others' cells are empty)."""

from __future__ import annotations

import codecs
import csv
import io
import json
import uuid
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from api.imports.kinds.base import Column, Language, jsonable
from api.imports.parsing import join_list
from api.imports.templates import column_label

_YES_NO: dict[str, tuple[str, str]] = {"en": ("yes", "no"), "fr": ("oui", "non"), "es": ("sí", "no")}


def cell_text(value: Any, language: Language) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _YES_NO[language][0 if value else 1]
    if isinstance(value, list | tuple):
        return join_list(cell_text(item, language) for item in value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return str(value)


def to_csv(columns: Sequence[Column], rows: Sequence[dict[str, Any]], language: Language) -> bytes:
    output = io.StringIO()
    writer = csv.writer(output, lineterminator="\r\n")
    writer.writerow([column_label(c.spec, language) for c in columns])
    for row in rows:
        writer.writerow([cell_text(row.get(c.key), language) for c in columns])
    return codecs.BOM_UTF8 + output.getvalue().encode("utf-8")


def to_xlsx(title: str, columns: Sequence[Column], rows: Sequence[dict[str, Any]], language: Language) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31] or "Data")
    bold = Font(bold=True)
    headers = []
    for c in columns:
        cell = WriteOnlyCell(sheet, value=column_label(c.spec, language))
        cell.font = bold
        headers.append(cell)
    sheet.append(headers)
    for row in rows:
        values = []
        for c in columns:
            text = cell_text(row.get(c.key), language)
            cell = WriteOnlyCell(sheet, value=text or None)
            if text:
                cell.data_type = "s"  # text stays text (a value starting with "=" is not a formula)
            values.append(cell)
        sheet.append(values)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def to_json(columns: Sequence[Column], rows: Sequence[dict[str, Any]]) -> bytes:
    items = [{c.key: jsonable(row.get(c.key)) for c in columns} for row in rows]
    return json.dumps(items, ensure_ascii=False, indent=1).encode("utf-8")
