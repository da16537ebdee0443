"""Keyset (cursor) pagination: a stable order ending in the primary key, and an opaque cursor.

The cursor encodes the sort values of the last row of the page; the next page is the rows strictly after
it in the same order. Pages never skip or repeat rows when other rows are inserted meanwhile.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import Query
from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import QueryableAttribute

from api.core.errors import field_error

MAX_PAGE_SIZE = 200
PageSize = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description=f"Rows per page (at most {MAX_PAGE_SIZE})")]
Cursor = Annotated[str | None, Query(max_length=1000, description="`next_cursor` of the previous page")]


def _encode_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"t": value.isoformat()}
    if isinstance(value, date):
        return {"d": value.isoformat()}
    if isinstance(value, UUID):
        return {"u": str(value)}
    return value


def _decode_value(value: Any) -> Any:
    if isinstance(value, dict):
        if "t" in value:
            return datetime.fromisoformat(value["t"])
        if "d" in value:
            return date.fromisoformat(value["d"])
        if "u" in value:
            return UUID(value["u"])
    return value


def encode_cursor(key: str, values: Sequence[Any]) -> str:
    raw = json.dumps({"k": key, "v": [_encode_value(v) for v in values]}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, *, key: str, length: int) -> list[Any]:
    """Values of a cursor made for the sort `key`; a cursor from another sort or tampered with is a 422."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
        if data["k"] != key or len(data["v"]) != length:
            raise ValueError("cursor made for another order")
        return [_decode_value(v) for v in data["v"]]
    except (ValueError, KeyError, TypeError, json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise field_error("query.cursor", "Invalid cursor: restart from the first page", "cursor_invalid") from exc


def after(
    columns: Sequence[ColumnElement[Any] | QueryableAttribute[Any]], values: Sequence[Any], descending: Sequence[bool]
) -> ColumnElement[bool]:
    """Rows strictly after `values` in the order of `columns` (each ascending or descending).

    Built as (a > x) OR (a = x AND b > y) OR ..., which handles mixed directions.
    """
    clauses = []
    for position, column in enumerate(columns):
        equal_prefix = [columns[i] == values[i] for i in range(position)]
        comparison = column < values[position] if descending[position] else column > values[position]
        clauses.append(and_(*equal_prefix, comparison))
    return or_(*clauses)


# Exact totals are counted up to this many rows; above it a list says "more than TOTAL_CAP". Counting every
# match of a broad filter over 100,000 rows would cost more than fetching the page itself.
TOTAL_CAP = 1000


async def capped_count(session: AsyncSession, statement: Select[Any], *, cap: int = TOTAL_CAP) -> tuple[int, bool]:
    """How many rows `statement` returns, up to `cap`; and whether there are more."""
    limited = statement.limit(cap + 1).subquery()
    count = int((await session.execute(select(func.count()).select_from(limited))).scalar_one())
    return min(count, cap), count > cap
