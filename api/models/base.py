"""Declarative base: naming convention, UUID keys, timestamps with time zone."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import DateTime, MetaData, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from api.core import clock

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: DateTime(timezone=True)}

    # Every ORM change is written to the audit log (api/core/audit.py) unless a model opts out with a reason.
    __audited__: ClassVar[bool] = True
    # Columns whose values never reach the audit log (secrets, hashes).
    __audit_redacted__: ClassVar[frozenset[str]] = frozenset()
    # The change feed's resource name for records integrations follow (pledges, requests...), else None.
    __change_feed__: ClassVar[str | None] = None


def new_id() -> uuid.UUID:
    return uuid.uuid4()


class UUIDPrimaryKey:
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)


class Timestamps:
    created_at: Mapped[datetime] = mapped_column(default=clock.now, server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(default=clock.now, server_default=func.now(), onupdate=clock.now)


def status_check(column: str, values: tuple[str, ...] | list[str]) -> str:
    """SQL for a CHECK constraint that keeps a string status column inside its vocabulary."""
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"
