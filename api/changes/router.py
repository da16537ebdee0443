"""The change feed."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.auth.dependencies import SignedInDep
from api.changes import resources as _resources  # noqa: F401 - registers the followed resources
from api.changes import schemas, service
from api.core.db import SessionDep
from api.core.pagination import Cursor

router = APIRouter(tags=["changes"])


@router.get("/changes", response_model=schemas.ChangePage)
async def list_changes(
    session: SessionDep,
    actor: SignedInDep,
    cursor: Cursor = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    resources: Annotated[
        list[str] | None,
        Query(max_length=20, description="Resources to follow (repeat or comma-separate); default: all allowed"),
    ] = None,
) -> schemas.ChangePage:
    """Changes in commit order (a transaction committing late is never skipped): resource, id, version,
    operation, time. Only records the caller may currently see; read them through their own endpoints."""
    return await service.page(session, actor=actor, cursor=cursor, limit=limit, resources=resources)
