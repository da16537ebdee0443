"""GCR pledges: public reading of published pledges; the Secretariat records and edits them."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Header, Query, Response, status
from fastapi.responses import JSONResponse

from api.auth.dependencies import ActorDep, SignedInDep
from api.commitments.service import etag
from api.core.db import SessionDep
from api.core.exports import XLSX_TYPE, ExportFormat, collect, rows_of, tabular
from api.core.idempotency import IdempotencyKeyHeader, idempotent
from api.core.pagination import Cursor, PageSize
from api.pledges import schemas, service

router = APIRouter(prefix="/pledges", tags=["pledges"])
IfMatch = Annotated[str | None, Header(alias="If-Match")]


@router.get("", response_model=schemas.PledgePage)
async def list_pledges(
    session: SessionDep,
    actor: ActorDep,
    q: Annotated[str | None, Query(max_length=200)] = None,
    source_event: Annotated[str | None, Query(max_length=32)] = None,
    stage: schemas.Stage | None = None,
    area: Annotated[str | None, Query(max_length=64)] = None,
    organisation_id: uuid.UUID | None = None,
    country: Annotated[str | None, Query(pattern=r"^[A-Za-z]{3}$")] = None,
    region: Annotated[str | None, Query(pattern=r"^\d{3}$")] = None,
    contributor_type: Annotated[str | None, Query(max_length=64)] = None,
    updated_since: datetime | None = None,
    limit: PageSize = 25,
    cursor: Cursor = None,
) -> schemas.PledgePage:
    return await service.list_pledges(
        session,
        actor=actor,
        q=q,
        source_event=source_event,
        stage=stage,
        area=area,
        organisation_id=organisation_id,
        country=country,
        region=region,
        contributor_type=contributor_type,
        updated_since=updated_since,
        limit=limit,
        cursor=cursor,
    )


@router.get("/export", response_class=Response, responses={200: {"content": {"text/csv": {}, XLSX_TYPE: {}}}})
async def export_pledges(
    session: SessionDep,
    actor: ActorDep,
    format: ExportFormat = "csv",
    q: Annotated[str | None, Query(max_length=200)] = None,
    source_event: Annotated[str | None, Query(max_length=32)] = None,
    stage: schemas.Stage | None = None,
    area: Annotated[str | None, Query(max_length=64)] = None,
    country: Annotated[str | None, Query(pattern=r"^[A-Za-z]{3}$")] = None,
) -> Response:
    items = await collect(
        lambda limit, cursor: service.list_pledges(
            session,
            actor=actor,
            q=q,
            source_event=source_event,
            stage=stage,
            area=area,
            organisation_id=None,
            country=country,
            region=None,
            contributor_type=None,
            updated_since=None,
            limit=limit,
            cursor=cursor,
        )
    )
    return tabular(rows_of(items), list(schemas.PledgeListItem.model_fields), format=format, filename="pledges")


@router.post("", response_model=schemas.Pledge, status_code=status.HTTP_201_CREATED)
async def create_pledge(
    body: schemas.PledgeCreate, session: SessionDep, actor: SignedInDep, idempotency_key: IdempotencyKeyHeader = None
) -> JSONResponse:
    return await idempotent(
        session,
        actor=actor,
        key=idempotency_key,
        scope="pledges.create",
        body=body,
        status_code=201,
        create=lambda: service.create(session, actor=actor, body=body),
        headers=lambda created: {"ETag": etag(created)},
    )


@router.get("/{pledge_id}", response_model=schemas.Pledge)
async def get_pledge(pledge_id: uuid.UUID, session: SessionDep, actor: ActorDep, response: Response) -> schemas.Pledge:
    pledge = await service.get(session, actor=actor, pledge_id=pledge_id)
    response.headers["ETag"] = etag(pledge)
    return pledge


@router.patch("/{pledge_id}", response_model=schemas.Pledge)
async def update_pledge(
    pledge_id: uuid.UUID,
    body: schemas.PledgeUpdate,
    session: SessionDep,
    actor: SignedInDep,
    response: Response,
    if_match: IfMatch = None,
) -> schemas.Pledge:
    pledge = await service.update(session, actor=actor, pledge_id=pledge_id, body=body, if_match=if_match)
    response.headers["ETag"] = etag(pledge)
    return pledge
