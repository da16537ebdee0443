"""Existing support: recorded by the Secretariat and UNHCR offices, used for duplication checks."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Header, Query, Response, status

from api.auth.dependencies import SignedInDep
from api.commitments.service import etag
from api.core.db import SessionDep
from api.core.exports import XLSX_TYPE, ExportFormat, collect, rows_of, tabular
from api.core.pagination import Cursor, PageSize
from api.existing_support import schemas, service

router = APIRouter(prefix="/existing-support", tags=["existing support"])
IfMatch = Annotated[str | None, Header(alias="If-Match")]


@router.get("", response_model=schemas.ExistingSupportPage)
async def list_existing_support(
    session: SessionDep,
    actor: SignedInDep,
    country: Annotated[str | None, Query(pattern=r"^[A-Za-z]{3}$")] = None,
    area: Annotated[str | None, Query(max_length=64)] = None,
    source_kind: schemas.SourceKind | None = None,
    limit: PageSize = 25,
    cursor: Cursor = None,
) -> schemas.ExistingSupportPage:
    return await service.list_records(
        session, actor=actor, country=country, area=area, source_kind=source_kind, limit=limit, cursor=cursor
    )


@router.get("/export", response_class=Response, responses={200: {"content": {"text/csv": {}, XLSX_TYPE: {}}}})
async def export_existing_support(
    session: SessionDep,
    actor: SignedInDep,
    format: ExportFormat = "csv",
    country: Annotated[str | None, Query(pattern=r"^[A-Za-z]{3}$")] = None,
    area: Annotated[str | None, Query(max_length=64)] = None,
) -> Response:
    items = await collect(
        lambda limit, cursor: service.list_records(
            session, actor=actor, country=country, area=area, source_kind=None, limit=limit, cursor=cursor
        )
    )
    columns = [c for c in schemas.ExistingSupport.model_fields if c != "duplication_warnings"]
    return tabular(rows_of(items), columns, format=format, filename="existing-support")


@router.post("", response_model=schemas.ExistingSupport, status_code=status.HTTP_201_CREATED)
async def create_existing_support(
    body: schemas.ExistingSupportCreate, session: SessionDep, actor: SignedInDep, response: Response
) -> schemas.ExistingSupport:
    """Record support already flowing to a country; the answer lists overlapping support (duplication)."""
    record = await service.create(session, actor=actor, body=body)
    response.headers["ETag"] = f'"{record.id}:{record.version}"'
    return record


@router.get("/{record_id}", response_model=schemas.ExistingSupport)
async def get_existing_support(
    record_id: uuid.UUID, session: SessionDep, actor: SignedInDep, response: Response
) -> schemas.ExistingSupport:
    record = await service.get(session, actor=actor, record_id=record_id)
    response.headers["ETag"] = etag(record)
    return record


@router.patch("/{record_id}", response_model=schemas.ExistingSupport)
async def update_existing_support(
    record_id: uuid.UUID,
    body: schemas.ExistingSupportUpdate,
    session: SessionDep,
    actor: SignedInDep,
    response: Response,
    if_match: IfMatch = None,
) -> schemas.ExistingSupport:
    record = await service.update(session, actor=actor, record_id=record_id, body=body, if_match=if_match)
    response.headers["ETag"] = etag(record)
    return record


@router.delete("/{record_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_existing_support(
    record_id: uuid.UUID, session: SessionDep, actor: SignedInDep, if_match: IfMatch = None
) -> None:
    await service.delete(session, actor=actor, record_id=record_id, if_match=if_match)
