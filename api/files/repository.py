"""Queries on stored files. Visibility is the owner's: see `service.readable`."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import undefer

from api.models.files import StoredFile


async def get(session: AsyncSession, file_id: uuid.UUID, *, with_content: bool) -> StoredFile | None:
    statement = select(StoredFile).where(StoredFile.id == file_id)
    if with_content:
        statement = statement.options(undefer(StoredFile.content))
    return (await session.execute(statement)).scalar_one_or_none()


async def of_owners(
    session: AsyncSession, owner_type: str, owner_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[StoredFile]]:
    result: dict[uuid.UUID, list[StoredFile]] = {owner_id: [] for owner_id in owner_ids}
    if not owner_ids:
        return result
    rows = await session.execute(
        select(StoredFile)
        .where(StoredFile.owner_type == owner_type, StoredFile.owner_id.in_(owner_ids))
        .order_by(StoredFile.created_at, StoredFile.id)
    )
    for row in rows.scalars():
        result[row.owner_id].append(row)
    return result
