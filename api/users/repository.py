"""Queries on users for administration."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.core.pagination import after, decode_cursor, encode_cursor
from api.models.identity import Membership, Organisation, User


async def memberships_of(session: AsyncSession, user_ids: list[uuid.UUID]) -> Sequence[Any]:
    if not user_ids:
        return []
    rows: Sequence[Any] = (
        await session.execute(
            select(Membership.user_id, Membership.organisation_id, Membership.role, Organisation.name)
            .join(Organisation, Organisation.id == Membership.organisation_id)
            .where(Membership.user_id.in_(user_ids))
            .order_by(Organisation.name)
        )
    ).all()
    return rows


async def page(
    session: AsyncSession, *, q: str | None, organisation_id: uuid.UUID | None, limit: int, cursor: str | None
) -> tuple[Sequence[User], str | None, int]:
    statement = select(User)
    if q:
        pattern = f"%{q.lower()}%"
        statement = statement.where(or_(func.lower(User.email).like(pattern), func.lower(User.full_name).like(pattern)))
    if organisation_id:
        statement = statement.where(
            User.id.in_(select(Membership.user_id).where(Membership.organisation_id == organisation_id))
        )
    total = int((await session.execute(select(func.count()).select_from(statement.subquery()))).scalar_one())
    statement = statement.order_by(User.email, User.id)
    if cursor:
        email, ident = decode_cursor(cursor, key="email", length=2)
        statement = statement.where(after([User.email, User.id], [email, ident], [False, False]))
    rows = (await session.execute(statement.limit(limit + 1))).scalars().all()
    next_cursor = encode_cursor("email", [rows[limit - 1].email, rows[limit - 1].id]) if len(rows) > limit else None
    return rows[:limit], next_cursor, total
