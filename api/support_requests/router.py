"""Support requests: drafting, the workflow, lists and search."""

from __future__ import annotations

import uuid
from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Response, status
from fastapi.responses import JSONResponse

from api.auth.dependencies import ActorDep, SignedInDep
from api.commitments.params import Sort, commitment_filters
from api.commitments.queries import Filters
from api.commitments.schemas import TransitionBody, Urgency
from api.commitments.service import etag
from api.commitments.workflow import Action
from api.core.db import SessionDep
from api.core.exports import XLSX_TYPE, ExportFormat, collect, rows_of, tabular
from api.core.idempotency import IdempotencyKeyHeader, idempotent
from api.core.pagination import Cursor, PageSize
from api.support_requests import schemas, service

router = APIRouter(prefix="/support-requests", tags=["support requests"])
IfMatch = Annotated[str | None, Header(alias="If-Match", description="The ETag of the version you edit")]


@router.get("", response_model=schemas.SupportRequestPage)
async def list_support_requests(
    session: SessionDep,
    actor: ActorDep,
    filters: Annotated[Filters, Depends(commitment_filters)],
    urgency: Urgency | None = None,
    is_establishing_system: bool | None = None,
    sort: Sort = "-updated_at",
    limit: PageSize = 25,
    cursor: Cursor = None,
) -> schemas.SupportRequestPage:
    """Requests the caller may see, filtered and searched; public fields only (open one for more)."""
    filters = replace(filters, extra={"urgency": urgency, "is_establishing_system": is_establishing_system})
    return await service.list_requests(session, actor=actor, filters=filters, sort=sort, limit=limit, cursor=cursor)


@router.get("/export", response_class=Response, responses={200: {"content": {"text/csv": {}, XLSX_TYPE: {}}}})
async def export_support_requests(
    session: SessionDep,
    actor: ActorDep,
    filters: Annotated[Filters, Depends(commitment_filters)],
    format: ExportFormat = "csv",
    urgency: Urgency | None = None,
    sort: Sort = "-updated_at",
) -> Response:
    """The list as CSV or XLSX, with the same filters and the same (public) fields."""
    filters = replace(filters, extra={"urgency": urgency})
    items = await collect(
        lambda limit, cursor: service.list_requests(
            session, actor=actor, filters=filters, sort=sort, limit=limit, cursor=cursor
        )
    )
    return tabular(
        rows_of(items), list(schemas.SupportRequestListItem.model_fields), format=format, filename="support-requests"
    )


@router.post("", response_model=schemas.SupportRequest, status_code=status.HTTP_201_CREATED)
async def create_support_request(
    body: schemas.SupportRequestCreate,
    session: SessionDep,
    actor: SignedInDep,
    idempotency_key: IdempotencyKeyHeader = None,
) -> JSONResponse:
    """Draft a request. With an Idempotency-Key, a retry returns the first response instead of a duplicate."""
    return await idempotent(
        session,
        actor=actor,
        key=idempotency_key,
        scope="support_requests.create",
        body=body,
        status_code=201,
        create=lambda: service.create(session, actor=actor, body=body),
        headers=lambda created: {"ETag": etag(created), "Location": f"/api/v1/support-requests/{created.id}"},  # type: ignore[attr-defined]
    )


@router.get("/{request_id}", response_model=schemas.SupportRequestView)
async def get_support_request(
    request_id: uuid.UUID, session: SessionDep, actor: ActorDep, response: Response
) -> schemas.SupportRequest | schemas.SupportRequestPublic:
    """The full record for those entitled to it (`view: full`), else the public part (`view: public`)."""
    record = await service.get(session, actor=actor, request_id=request_id)
    if isinstance(record, schemas.SupportRequest):
        response.headers["ETag"] = etag(record)
    return record


@router.patch("/{request_id}", response_model=schemas.SupportRequest)
async def update_support_request(
    request_id: uuid.UUID,
    body: schemas.SupportRequestUpdate,
    session: SessionDep,
    actor: SignedInDep,
    response: Response,
    if_match: IfMatch = None,
) -> schemas.SupportRequest:
    """Edit a request. Requires If-Match with the ETag read (428 without it, 412 when stale)."""
    record = await service.update(session, actor=actor, request_id=request_id, body=body, if_match=if_match)
    response.headers["ETag"] = etag(record)
    return record


@router.post("/{request_id}/actions/{action}", response_model=schemas.SupportRequest)
async def transition_support_request(
    request_id: uuid.UUID,
    action: Action,
    session: SessionDep,
    actor: SignedInDep,
    response: Response,
    body: TransitionBody | None = None,
    if_match: IfMatch = None,
) -> schemas.SupportRequest:
    """Submit, start review, validate, reject (with a reason), revise, withdraw or close a request."""
    record = await service.transition(
        session,
        actor=actor,
        request_id=request_id,
        action=action,
        reason=body.reason if body else None,
        if_match=if_match,
    )
    response.headers["ETag"] = etag(record)
    return record
