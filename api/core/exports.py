"""Tabular downloads (CSV and XLSX) of what a list endpoint already decided the caller may see."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any, Literal
from uuid import UUID

from fastapi.responses import Response
from openpyxl import Workbook
from pydantic import BaseModel

ExportFormat = Literal["csv", "xlsx"]
MAX_EXPORT_ROWS = 50_000
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Cells starting with these are formulas to a spreadsheet; a leading apostrophe keeps them text.
_FORMULA = re.compile(r"^[=+\-@\t\r]")


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        return "; ".join(str(_cell(v)) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}={_cell(v)}" for k, v in value.items())
    if isinstance(value, str) and _FORMULA.match(value):
        return "'" + value
    return value


def rows_of(models: Iterable[BaseModel]) -> list[dict[str, Any]]:
    return [model.model_dump() for model in models]


def tabular(rows: Sequence[dict[str, Any]], columns: Sequence[str], *, format: ExportFormat, filename: str) -> Response:
    """A download of `rows` restricted to `columns`, in order."""
    if format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_cell(row.get(column)) for column in columns])
        # A byte-order mark so Excel reads the accents right.
        body = ("\ufeff" + buffer.getvalue()).encode("utf-8")
        media_type = "text/csv; charset=utf-8"
    else:
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("export")
        sheet.append(list(columns))
        for row in rows:
            sheet.append([_cell(row.get(column)) for column in columns])
        output = io.BytesIO()
        workbook.save(output)
        body = output.getvalue()
        media_type = XLSX_TYPE
    return Response(
        body, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{filename}.{format}"'}
    )


async def collect(fetch: Any, *, page_size: int = 200, max_rows: int = MAX_EXPORT_ROWS) -> list[BaseModel]:
    """Walk a keyset-paginated list (`fetch(limit, cursor) -> page`) up to `max_rows` items."""
    items: list[BaseModel] = []
    cursor: str | None = None
    while len(items) < max_rows:
        page = await fetch(min(page_size, max_rows - len(items)), cursor)
        items.extend(page.items)
        cursor = page.next_cursor
        if not cursor:
            break
    return items
