"""Support offers: drafting, the workflow, lists and search."""

from __future__ import annotations

import uuid
from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Response, status
from fastapi.responses import JSONResponse

from api.auth.dependencies import ActorDep, SignedInDep
from api.commitments.params import Sort, commitment_filters
from api.commitments.queries import Filters
from api.commitments.schemas import TransitionBody
from api.commitments.service import etag
from api.commitments.workflow import Action
from api.core.db import SessionDep
from api.core.exports import XLSX_TYPE, ExportFormat, collect, rows_of, tabular
from api.core.idempotency import IdempotencyKeyHeader, idempotent
from api.core.pagination import Cursor, PageSize
from api.support_offers import schemas, service

router = APIRouter(prefix="/support-offers", tags=["support offers"])
IfMatch = Annotated[str | None, Header(alias="If-Match", description="The ETag of the version you edit")]


@router.get("", response_model=schemas.SupportOfferPage)
async def list_support_offers(
    session: SessionDep,
    actor: ActorDep,
    filters: Annotated[Filters, Depends(commitment_filters)],
    serves_country: Annotated[
        str | None, Query(pattern=r"^[A-Za-z]{3}$", description="Offers able to serve this country")
    ] = None,
    sort: Sort = "-updated_at",
    limit: PageSize = 25,
    cursor: Cursor = None,
) -> schemas.SupportOfferPage:
    """Offers the caller may see (`country` is the offerer's country; `serves_country` who it can help)."""
    return await service.list_offers(
        session,
        actor=actor,
        filters=replace(filters, extra={}),
        sort=sort,
        limit=limit,
        cursor=cursor,
        serves_country=serves_country,
    )


@router.get("/export", response_class=Response, responses={200: {"content": {"text/csv": {}, XLSX_TYPE: {}}}})
async def export_support_offers(
    session: SessionDep,
    actor: ActorDep,
    filters: Annotated[Filters, Depends(commitment_filters)],
    format: ExportFormat = "csv",
    serves_country: Annotated[str | None, Query(pattern=r"^[A-Za-z]{3}$")] = None,
    sort: Sort = "-updated_at",
) -> Response:
    """The list as CSV or XLSX, with the same filters and the same (public) fields."""
    items = await collect(
        lambda limit, cursor: service.list_offers(
            session,
            actor=actor,
            filters=replace(filters, extra={}),
            sort=sort,
            limit=limit,
            cursor=cursor,
            serves_country=serves_country,
        )
    )
    return tabular(
        rows_of(items), list(schemas.SupportOfferListItem.model_fields), format=format, filename="support-offers"
    )


@router.post("", response_model=schemas.SupportOffer, status_code=status.HTTP_201_CREATED)
async def create_support_offer(
    body: schemas.SupportOfferCreate,
    session: SessionDep,
    actor: SignedInDep,
    idempotency_key: IdempotencyKeyHeader = None,
) -> JSONResponse:
    """Draft an offer; it must include technical exchange. Idempotent with an Idempotency-Key."""
    return await idempotent(
        session,
        actor=actor,
        key=idempotency_key,
        scope="support_offers.create",
        body=body,
        status_code=201,
        create=lambda: service.create(session, actor=actor, body=body),
        headers=lambda created: {"ETag": etag(created), "Location": f"/api/v1/support-offers/{created.id}"},  # type: ignore[attr-defined]
    )


@router.get("/{offer_id}", response_model=schemas.SupportOfferView)
async def get_support_offer(
    offer_id: uuid.UUID, session: SessionDep, actor: ActorDep, response: Response
) -> schemas.SupportOffer | schemas.SupportOfferPublic:
    record = await service.get(session, actor=actor, offer_id=offer_id)
    if isinstance(record, schemas.SupportOffer):
        response.headers["ETag"] = etag(record)
    return record


@router.patch("/{offer_id}", response_model=schemas.SupportOffer)
async def update_support_offer(
    offer_id: uuid.UUID,
    body: schemas.SupportOfferUpdate,
    session: SessionDep,
    actor: SignedInDep,
    response: Response,
    if_match: IfMatch = None,
) -> schemas.SupportOffer:
    record = await service.update(session, actor=actor, offer_id=offer_id, body=body, if_match=if_match)
    response.headers["ETag"] = etag(record)
    return record


@router.post("/{offer_id}/actions/{action}", response_model=schemas.SupportOffer)
async def transition_support_offer(
    offer_id: uuid.UUID,
    action: Action,
    session: SessionDep,
    actor: SignedInDep,
    response: Response,
    body: TransitionBody | None = None,
    if_match: IfMatch = None,
) -> schemas.SupportOffer:
    record = await service.transition(
        session, actor=actor, offer_id=offer_id, action=action, reason=body.reason if body else None, if_match=if_match
    )
    response.headers["ETag"] = etag(record)
    return record
