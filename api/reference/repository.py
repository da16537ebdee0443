"""Queries on reference data."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, exists, func, or_, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from api.models.reference import Area, Bureau, Country, Region, VocabularyTerm


async def countries(session: AsyncSession) -> Sequence[Country]:
    return (await session.execute(select(Country).order_by(Country.name_en))).scalars().all()


async def country_with_unhcr_code(session: AsyncSession, unhcr_code: str) -> str | None:
    """The ISO code of the country holding `unhcr_code`, if any."""
    return await session.scalar(select(Country.iso3).where(Country.unhcr_code == unhcr_code))


async def regions(session: AsyncSession) -> Sequence[Region]:
    return (await session.execute(select(Region).order_by(Region.level, Region.code))).scalars().all()


async def bureaux(session: AsyncSession) -> Sequence[Bureau]:
    return (await session.execute(select(Bureau).order_by(Bureau.name_en))).scalars().all()


async def areas(session: AsyncSession, *, include_retired: bool) -> Sequence[Area]:
    statement = select(Area).order_by(
        func.coalesce(Area.parent_code, Area.code), Area.parent_code.nullsfirst(), Area.sort_order, Area.code
    )
    if not include_retired:
        statement = statement.where(Area.is_retired.is_(False))
    return (await session.execute(statement)).scalars().all()


async def terms(session: AsyncSession, *, vocabulary: str | None, include_retired: bool) -> Sequence[VocabularyTerm]:
    statement = select(VocabularyTerm).order_by(
        VocabularyTerm.vocabulary, VocabularyTerm.sort_order, VocabularyTerm.code
    )
    if vocabulary is not None:
        statement = statement.where(VocabularyTerm.vocabulary == vocabulary)
    if not include_retired:
        statement = statement.where(VocabularyTerm.is_retired.is_(False))
    return (await session.execute(statement)).scalars().all()


async def active_codes(session: AsyncSession, vocabulary: str) -> set[str]:
    result = await session.execute(
        select(VocabularyTerm.code).where(VocabularyTerm.vocabulary == vocabulary, VocabularyTerm.is_retired.is_(False))
    )
    return set(result.scalars())


async def active_area_codes(session: AsyncSession) -> dict[str, Area]:
    result = await session.execute(select(Area).where(Area.is_retired.is_(False)))
    return {area.code: area for area in result.scalars()}


async def country_codes(session: AsyncSession) -> set[str]:
    return set((await session.execute(select(Country.iso3))).scalars())


# Where codes are used. Each module that stores area codes or vocabulary terms registers its columns, so
# "never delete a code in use" covers every table without this module knowing them.
# (table, column, holds_array)
AREA_USAGES: list[tuple[str, str, bool]] = []
TERM_USAGES: dict[str, list[tuple[str, str, bool]]] = {}


def register_area_usage(table: str, column: str, *, holds_array: bool = False) -> None:
    if (table, column, holds_array) not in AREA_USAGES:
        AREA_USAGES.append((table, column, holds_array))


def register_term_usage(vocabulary: str, table: str, column: str, *, holds_array: bool = False) -> None:
    usages = TERM_USAGES.setdefault(vocabulary, [])
    if (table, column, holds_array) not in usages:
        usages.append((table, column, holds_array))


def _usage_clause(table: str, column: str, holds_array: bool) -> ColumnElement[bool]:
    condition = f"{column} @> ARRAY[CAST(:code AS varchar)]" if holds_array else f"{column} = :code"
    return exists(select(text("1")).select_from(text(table)).where(text(condition)))


async def code_in_use(session: AsyncSession, usages: list[tuple[str, str, bool]], code: str) -> bool:
    if not usages:
        return False
    statement = select(or_(*[_usage_clause(t, c, a) for t, c, a in usages]))
    return bool((await session.execute(statement, {"code": code})).scalar_one())


async def area_has_children(session: AsyncSession, code: str) -> bool:
    return bool((await session.execute(select(exists().where(Area.parent_code == code)))).scalar_one())
