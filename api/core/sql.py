"""Small SQL building blocks shared by the repositories."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import ARRAY, ColumnElement, any_, bindparam, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute


def among(column: ColumnElement[Any] | InstrumentedAttribute[Any], values: Iterable[Any]) -> ColumnElement[bool]:
    """`column = ANY(:values)`, the list sent as one array parameter.

    Unlike `IN (...)`, whose text changes with the number of values, this is one statement whatever the count, so
    PostgreSQL's prepared-statement cache (and SQLAlchemy's) is hit on every call and long lists stay cheap."""
    return column == any_(bindparam(None, list(values), type_=ARRAY(column.type)))


async def plan_for_the_values(session: AsyncSession) -> None:
    """Plan the rest of this transaction's statements for their actual parameter values.

    asyncpg prepares every statement, and after five runs PostgreSQL may switch a prepared statement to a generic
    plan that ignores its parameters. For the commitment lists' skewed filters (a common word in a full-text
    query, a large area) that plan was three times slower. Only those lists ask for this: on simple statements
    planning every run costs more than it saves (a third of the throughput of a trivial endpoint)."""
    await session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))
