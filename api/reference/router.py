"""Reference data: public reads; Secretariat edits."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from api.auth.dependencies import SecretariatDep
from api.core.db import SessionDep
from api.reference import schemas, service

router = APIRouter(prefix="/reference", tags=["reference"])

# Reference data changes rarely; browsers and the portal may keep it for a few minutes.
_CACHE = "public, max-age=300"


@router.get("/countries", response_model=list[schemas.Country])
async def list_countries(session: SessionDep, response: Response) -> list[schemas.Country]:
    """All ISO 3166-1 countries with names in English, French and Spanish, M49 areas and UNHCR bureau."""
    response.headers["Cache-Control"] = _CACHE
    return await service.list_countries(session)


@router.patch("/countries/{iso3}", response_model=schemas.Country)
async def update_country(
    iso3: str, body: schemas.CountryUpdate, session: SessionDep, actor: SecretariatDep
) -> schemas.Country:
    return await service.update_country(session, actor=actor, iso3=iso3, body=body)


@router.get("/regions", response_model=list[schemas.Region])
async def list_regions(session: SessionDep, response: Response) -> list[schemas.Region]:
    response.headers["Cache-Control"] = _CACHE
    return await service.list_regions(session)


@router.get("/bureaux", response_model=list[schemas.Bureau])
async def list_bureaux(session: SessionDep, response: Response) -> list[schemas.Bureau]:
    response.headers["Cache-Control"] = _CACHE
    return await service.list_bureaux(session)


@router.patch("/bureaux/{code}", response_model=schemas.Bureau)
async def update_bureau(
    code: str, body: schemas.BureauUpdate, session: SessionDep, actor: SecretariatDep
) -> schemas.Bureau:
    return await service.update_bureau(session, actor=actor, code=code, body=body)


@router.get("/areas", response_model=list[schemas.Area])
async def list_areas(session: SessionDep, response: Response, include_retired: bool = False) -> list[schemas.Area]:
    """The area taxonomy, parents before their children."""
    response.headers["Cache-Control"] = _CACHE
    return await service.list_areas(session, include_retired=include_retired)


@router.post("/areas", response_model=schemas.Area, status_code=status.HTTP_201_CREATED)
async def create_area(body: schemas.AreaCreate, session: SessionDep, actor: SecretariatDep) -> schemas.Area:
    return await service.create_area(session, actor=actor, body=body)


@router.patch("/areas/{code}", response_model=schemas.Area)
async def update_area(code: str, body: schemas.AreaUpdate, session: SessionDep, actor: SecretariatDep) -> schemas.Area:
    """Rename, reorder, retire or reinstate an area."""
    return await service.update_area(session, actor=actor, code=code, body=body)


@router.delete("/areas/{code}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_area(code: str, session: SessionDep, actor: SecretariatDep) -> None:
    """Delete an unused area code (409 when anything uses it: retire it instead)."""
    await service.delete_area(session, actor=actor, code=code)


@router.get("/vocabularies", response_model=list[schemas.Term])
async def list_terms(
    session: SessionDep, response: Response, vocabulary: str | None = None, include_retired: bool = False
) -> list[schemas.Term]:
    """Qualities, support types, modalities, contributor types, pledge events and types, stages, languages."""
    response.headers["Cache-Control"] = _CACHE
    return await service.list_terms(session, vocabulary=vocabulary, include_retired=include_retired)


@router.post("/vocabularies/{vocabulary}", response_model=schemas.Term, status_code=status.HTTP_201_CREATED)
async def create_term(
    vocabulary: str, body: schemas.TermCreate, session: SessionDep, actor: SecretariatDep
) -> schemas.Term:
    return await service.create_term(session, actor=actor, vocabulary=vocabulary, body=body)


@router.patch("/vocabularies/{vocabulary}/{code}", response_model=schemas.Term)
async def update_term(
    vocabulary: str, code: str, body: schemas.TermUpdate, session: SessionDep, actor: SecretariatDep
) -> schemas.Term:
    return await service.update_term(session, actor=actor, vocabulary=vocabulary, code=code, body=body)


@router.delete("/vocabularies/{vocabulary}/{code}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_term(vocabulary: str, code: str, session: SessionDep, actor: SecretariatDep) -> None:
    await service.delete_term(session, actor=actor, vocabulary=vocabulary, code=code)
