"""User administration (Secretariat)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, status

from api.auth.dependencies import SecretariatDep
from api.core.db import SessionDep
from api.core.pagination import Cursor, PageSize
from api.users import schemas, service

router = APIRouter(prefix="/users", tags=["users"])


@router.get("", response_model=schemas.UserPage)
async def list_users(
    session: SessionDep,
    actor: SecretariatDep,
    q: Annotated[str | None, Query(max_length=200)] = None,
    organisation_id: uuid.UUID | None = None,
    limit: PageSize = 50,
    cursor: Cursor = None,
) -> schemas.UserPage:
    return await service.list_users(
        session, actor=actor, q=q, organisation_id=organisation_id, limit=limit, cursor=cursor
    )


@router.post("", response_model=schemas.User, status_code=status.HTTP_201_CREATED)
async def create_user(body: schemas.UserCreate, session: SessionDep, actor: SecretariatDep) -> schemas.User:
    return await service.create_user(session, actor=actor, body=body)


@router.get("/{user_id}", response_model=schemas.User)
async def get_user(user_id: uuid.UUID, session: SessionDep, actor: SecretariatDep) -> schemas.User:
    return await service.get_user(session, actor=actor, user_id=user_id)


@router.patch("/{user_id}", response_model=schemas.User)
async def update_user(
    user_id: uuid.UUID, body: schemas.UserUpdate, session: SessionDep, actor: SecretariatDep
) -> schemas.User:
    """Rename, deactivate (ends the user's sessions) or unlock an account."""
    return await service.update_user(session, actor=actor, user_id=user_id, body=body)


@router.post("/{user_id}/memberships", response_model=schemas.User)
async def grant_membership(
    user_id: uuid.UUID, body: schemas.MembershipGrant, session: SessionDep, actor: SecretariatDep
) -> schemas.User:
    return await service.grant_membership(session, actor=actor, user_id=user_id, body=body)
