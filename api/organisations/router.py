"""Organisations: States, their institutions, stakeholders, UNHCR offices, the Secretariat; and their members."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, status

from api.auth.dependencies import SignedInDep, UserDep
from api.core.db import SessionDep
from api.core.pagination import Cursor, PageSize
from api.organisations import schemas, service

router = APIRouter(prefix="/organisations", tags=["organisations"])


@router.get("", response_model=schemas.OrganisationPage)
async def list_organisations(
    session: SessionDep,
    actor: SignedInDep,
    q: Annotated[str | None, Query(max_length=200)] = None,
    kind: schemas.OrganisationKind | None = None,
    country: Annotated[str | None, Query(pattern=r"^[A-Za-z]{3}$")] = None,
    contributor_type: Annotated[str | None, Query(max_length=64)] = None,
    limit: PageSize = 50,
    cursor: Cursor = None,
) -> schemas.OrganisationPage:
    return await service.list_organisations(
        session,
        actor=actor,
        q=q,
        kind=kind,
        country=country,
        contributor_type=contributor_type,
        limit=limit,
        cursor=cursor,
    )


@router.post("", response_model=schemas.Organisation, status_code=status.HTTP_201_CREATED)
async def create_organisation(
    body: schemas.OrganisationCreate, session: SessionDep, actor: UserDep
) -> schemas.Organisation:
    return await service.create_organisation(session, actor=actor, body=body)


@router.get("/{organisation_id}", response_model=schemas.Organisation)
async def get_organisation(organisation_id: uuid.UUID, session: SessionDep, actor: SignedInDep) -> schemas.Organisation:
    return await service.get_organisation(session, actor=actor, organisation_id=organisation_id)


@router.patch("/{organisation_id}", response_model=schemas.Organisation)
async def update_organisation(
    organisation_id: uuid.UUID, body: schemas.OrganisationUpdate, session: SessionDep, actor: UserDep
) -> schemas.Organisation:
    return await service.update_organisation(session, actor=actor, organisation_id=organisation_id, body=body)


@router.get("/{organisation_id}/members", response_model=list[schemas.Member])
async def list_members(organisation_id: uuid.UUID, session: SessionDep, actor: UserDep) -> list[schemas.Member]:
    return await service.list_members(session, actor=actor, organisation_id=organisation_id)


@router.patch("/{organisation_id}/members/{user_id}", response_model=schemas.Member)
async def update_member(
    organisation_id: uuid.UUID,
    user_id: uuid.UUID,
    body: schemas.MemberUpdate,
    session: SessionDep,
    actor: UserDep,
) -> schemas.Member:
    return await service.update_member(
        session, actor=actor, organisation_id=organisation_id, user_id=user_id, role=body.role
    )


@router.delete("/{organisation_id}/members/{user_id}", status_code=status.HTTP_204_NO_CONTENT)
async def remove_member(organisation_id: uuid.UUID, user_id: uuid.UUID, session: SessionDep, actor: UserDep) -> None:
    await service.remove_member(session, actor=actor, organisation_id=organisation_id, user_id=user_id)
