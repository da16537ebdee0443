"""Small SQL building blocks shared by the repositories."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import ARRAY, ColumnElement, any_, bindparam
from sqlalchemy.orm import InstrumentedAttribute


def among(column: ColumnElement[Any] | InstrumentedAttribute[Any], values: Iterable[Any]) -> ColumnElement[bool]:
    """`column = ANY(:values)`, the list sent as one array parameter.

    Unlike `IN (...)`, whose text changes with the number of values, this is one statement whatever the count, so
    PostgreSQL's prepared-statement cache (and SQLAlchemy's) is hit on every call and long lists stay cheap."""
    return column == any_(bindparam(None, list(values), type_=ARRAY(column.type)))
