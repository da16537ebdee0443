"""Queries on organisations and memberships."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.core.pagination import after, decode_cursor, encode_cursor
from api.models.identity import Membership, OfficeCountry, Organisation, User
from api.reference.repository import register_term_usage


async def office_countries(session: AsyncSession, organisation_id: uuid.UUID) -> list[str]:
    result = await session.execute(
        select(OfficeCountry.country_iso3)
        .where(OfficeCountry.organisation_id == organisation_id)
        .order_by(OfficeCountry.country_iso3)
    )
    return list(result.scalars())


async def replace_office_countries(session: AsyncSession, organisation_id: uuid.UUID, countries: list[str]) -> None:
    await session.execute(delete(OfficeCountry).where(OfficeCountry.organisation_id == organisation_id))
    for iso3 in sorted({c for c in countries if c}):
        session.add(OfficeCountry(organisation_id=organisation_id, country_iso3=iso3))


def _filtered(
    statement: Select[Any],
    *,
    q: str | None,
    kind: str | None,
    country: str | None,
    contributor_type: str | None,
) -> Select[Any]:
    if q:
        pattern = f"%{q.lower()}%"
        statement = statement.where(
            or_(func.lower(Organisation.name).like(pattern), func.lower(Organisation.short_name).like(pattern))
        )
    if kind:
        statement = statement.where(Organisation.kind == kind)
    if country:
        statement = statement.where(Organisation.country_iso3 == country.upper())
    if contributor_type:
        statement = statement.where(Organisation.contributor_type == contributor_type)
    return statement


async def page(
    session: AsyncSession,
    *,
    q: str | None,
    kind: str | None,
    country: str | None,
    contributor_type: str | None,
    limit: int,
    cursor: str | None,
) -> tuple[Sequence[Organisation], str | None, int]:
    base = _filtered(select(Organisation), q=q, kind=kind, country=country, contributor_type=contributor_type)
    total = int((await session.execute(select(func.count()).select_from(base.subquery()))).scalar_one())
    statement = base.order_by(Organisation.name, Organisation.id)
    if cursor:
        name, ident = decode_cursor(cursor, key="name", length=2)
        statement = statement.where(after([Organisation.name, Organisation.id], [name, ident], [False, False]))
    rows = (await session.execute(statement.limit(limit + 1))).scalars().all()
    next_cursor = encode_cursor("name", [rows[limit - 1].name, rows[limit - 1].id]) if len(rows) > limit else None
    return rows[:limit], next_cursor, total


async def members(session: AsyncSession, organisation_id: uuid.UUID) -> list[tuple[Membership, User]]:
    result = await session.execute(
        select(Membership, User)
        .join(User, User.id == Membership.user_id)
        .where(Membership.organisation_id == organisation_id)
        .order_by(User.full_name, User.id)
    )
    return [(m, u) for m, u in result.all()]


async def membership(session: AsyncSession, organisation_id: uuid.UUID, user_id: uuid.UUID) -> Membership | None:
    result = await session.execute(
        select(Membership).where(Membership.organisation_id == organisation_id, Membership.user_id == user_id)
    )
    return result.scalar_one_or_none()


register_term_usage("contributor_types", "organisations", "contributor_type")
