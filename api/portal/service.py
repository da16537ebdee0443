"""The portal's public figures."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from api.portal import repository, schemas


async def key_figures(session: AsyncSession) -> schemas.KeyFigures:
    return schemas.KeyFigures.model_validate(await repository.key_figures(session))


async def country_figures(session: AsyncSession) -> list[schemas.CountryFigures]:
    return [schemas.CountryFigures.model_validate(row) for row in await repository.country_figures(session)]


async def coverage(session: AsyncSession) -> list[schemas.CoverageCount]:
    return [schemas.CoverageCount.model_validate(row) for row in await repository.coverage_counts(session)]
