"""Public figures for the portal (no sign-in): aggregates only."""

from __future__ import annotations

from fastapi import APIRouter, Response

from api.core.db import SessionDep
from api.portal import schemas, service

router = APIRouter(prefix="/public", tags=["public portal"])
# Aggregates change slowly; a minute of caching spares the database on a busy portal day.
_CACHE = "public, max-age=60"


@router.get("/figures", response_model=schemas.KeyFigures)
async def get_public_key_figures(session: SessionDep, response: Response) -> schemas.KeyFigures:
    """Requests, offers, matches by stage, States involved, unmet needs."""
    response.headers["Cache-Control"] = _CACHE
    return await service.key_figures(session)


@router.get("/map", response_model=list[schemas.CountryFigures])
async def get_public_map(session: SessionDep, response: Response) -> list[schemas.CountryFigures]:
    """Per country: pledging entities, published matches, unmet needs and offers (published records only)."""
    response.headers["Cache-Control"] = _CACHE
    return await service.country_figures(session)


@router.get("/coverage", response_model=list[schemas.CoverageCount])
async def get_public_coverage(session: SessionDep, response: Response) -> list[schemas.CoverageCount]:
    """Counts by country and area: open needs and published matches."""
    response.headers["Cache-Control"] = _CACHE
    return await service.coverage(session)
