"""The knowledge base: items and their language versions, review and publication, search, related items."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Response, status
from fastapi.responses import JSONResponse

from api.auth.dependencies import ActorDep, SignedInDep
from api.core.db import SessionDep
from api.core.exports import XLSX_TYPE, ExportFormat, collect, rows_of, tabular
from api.core.idempotency import IdempotencyKeyHeader, idempotent
from api.core.pagination import Cursor
from api.knowledge import schemas, service
from api.knowledge.repository import SearchFilters
from api.knowledge.workflow import Action

router = APIRouter(prefix="/knowledge", tags=["knowledge"])
IfMatch = Annotated[str | None, Header(alias="If-Match", description="The ETag of the version you edit")]
MAX_SEARCH_PAGE = 50


def knowledge_filters(
    q: Annotated[
        str | None,
        Query(
            max_length=200,
            description=(
                'Words searched in each item\'s own language (stemmed, accents ignored); "quoted phrase", '
                "or, -excluded word"
            ),
        ),
    ] = None,
    status_: Annotated[
        list[schemas.Status] | None,
        Query(alias="status", max_length=4, description="Default: published (others: your own organisation's)"),
    ] = None,
    kind: schemas.Kind | None = None,
    area: Annotated[str | None, Query(max_length=64, description="An area code; a parent matches its children")] = None,
    region: Annotated[str | None, Query(pattern=r"^\d{3}$", description="A UN M49 area code")] = None,
    country: Annotated[str | None, Query(pattern=r"^[A-Za-z]{3}$")] = None,
    contributor_type: Annotated[str | None, Query(max_length=64)] = None,
    language: schemas.Language | None = None,
    year: Annotated[int | None, Query(ge=1950, le=2100)] = None,
) -> SearchFilters:
    """The search filters, shared by the list and its download."""
    return SearchFilters(
        q=q.strip() or None if q else None,
        statuses=tuple(dict.fromkeys(status_ or ["published"])),
        kind=kind,
        area=area,
        region=region,
        country=country,
        contributor_type=contributor_type,
        language=language,
        year=year,
    )


FiltersDep = Annotated[SearchFilters, Depends(knowledge_filters)]


@router.get("/items", response_model=schemas.KnowledgePage)
async def search_knowledge(
    session: SessionDep,
    actor: ActorDep,
    filters: FiltersDep,
    facets: Annotated[bool, Query(description="Also count the matches per value of each filter")] = False,
    limit: Annotated[int, Query(ge=1, le=MAX_SEARCH_PAGE, description=f"At most {MAX_SEARCH_PAGE}")] = 20,
    cursor: Cursor = None,
) -> schemas.KnowledgePage:
    """Search and browse the knowledge base. With `q`: ranked by relevance with highlighted snippets;
    without: newest first."""
    return await service.search(session, actor=actor, filters=filters, limit=limit, cursor=cursor, with_facets=facets)


# Columns of the download: the list's fields, without the relevance score and the highlighted snippet.
EXPORT_COLUMNS = [name for name in schemas.KnowledgeHit.model_fields if name not in ("rank", "snippet")]


@router.get("/items/export", response_class=Response, responses={200: {"content": {"text/csv": {}, XLSX_TYPE: {}}}})
async def export_knowledge(
    session: SessionDep, actor: ActorDep, filters: FiltersDep, format: ExportFormat = "csv"
) -> Response:
    """The list as CSV or XLSX, with the same filters and the same visibility as the list."""
    items = await collect(
        lambda limit, cursor: service.search(
            session, actor=actor, filters=filters, limit=limit, cursor=cursor, with_facets=False
        ),
        page_size=MAX_SEARCH_PAGE,
    )
    return tabular(rows_of(items), EXPORT_COLUMNS, format=format, filename="knowledge")


@router.post("/items", response_model=schemas.KnowledgeItem, status_code=status.HTTP_201_CREATED)
async def create_knowledge_item(
    body: schemas.KnowledgeItemCreate,
    session: SessionDep,
    actor: SignedInDep,
    idempotency_key: IdempotencyKeyHeader = None,
) -> JSONResponse:
    """Draft an item for your organisation (or, for the Secretariat, any)."""
    return await idempotent(
        session,
        actor=actor,
        key=idempotency_key,
        scope="knowledge_items.create",
        body=body,
        status_code=201,
        create=lambda: service.create(session, actor=actor, body=body),
        headers=lambda created: {"ETag": service.etag(created), "Location": f"/api/v1/knowledge/items/{created.id}"},  # type: ignore[arg-type, attr-defined]
    )


@router.post("/items/from-match", response_model=schemas.KnowledgeItem, status_code=status.HTTP_201_CREATED)
async def create_knowledge_item_from_match(
    body: schemas.FromMatchCreate, session: SessionDep, actor: SignedInDep, response: Response
) -> schemas.KnowledgeItem:
    """Turn a fulfilled or cancelled match into a draft project or good practice, prefilled from the match."""
    item = await service.create_from_match(session, actor=actor, body=body)
    response.headers["ETag"] = service.etag(item)
    response.headers["Location"] = f"/api/v1/knowledge/items/{item.id}"
    return item


@router.get("/related", response_model=schemas.RelatedItems)
async def get_related_knowledge(
    session: SessionDep,
    actor: ActorDep,
    request_id: uuid.UUID | None = None,
    offer_id: uuid.UUID | None = None,
    match_id: uuid.UUID | None = None,
    limit: Annotated[int, Query(ge=1, le=20)] = 5,
) -> schemas.RelatedItems:
    """Published items sharing areas with a request, an offer or a match (one of them), the same region first."""
    return await service.related(
        session, actor=actor, request_id=request_id, offer_id=offer_id, match_id=match_id, limit=limit
    )


@router.get("/items/{item_id}", response_model=schemas.KnowledgeItemView)
async def get_knowledge_item(
    item_id: uuid.UUID, session: SessionDep, actor: ActorDep, response: Response
) -> schemas.KnowledgeItem | schemas.KnowledgeItemPublic:
    """The editors' view (`view: full`) for the Secretariat and the author organisation, else the public one."""
    item = await service.get(session, actor=actor, item_id=item_id)
    if isinstance(item, schemas.KnowledgeItem):
        response.headers["ETag"] = service.etag(item)
    return item


@router.patch("/items/{item_id}", response_model=schemas.KnowledgeItem)
async def update_knowledge_item(
    item_id: uuid.UUID,
    body: schemas.KnowledgeItemUpdate,
    session: SessionDep,
    actor: SignedInDep,
    response: Response,
    if_match: IfMatch = None,
) -> schemas.KnowledgeItem:
    """Edit an item. Requires If-Match with the ETag read (428 without it, 412 when stale)."""
    item = await service.update(session, actor=actor, item_id=item_id, body=body, if_match=if_match)
    response.headers["ETag"] = service.etag(item)
    return item


@router.post("/items/{item_id}/actions/{action}", response_model=schemas.KnowledgeItem)
async def transition_knowledge_item(
    item_id: uuid.UUID,
    action: Action,
    session: SessionDep,
    actor: SignedInDep,
    response: Response,
    body: schemas.KnowledgeTransitionBody | None = None,
    if_match: IfMatch = None,
) -> schemas.KnowledgeItem:
    """Submit for review; return to draft (with a comment), publish, archive or republish (the Secretariat)."""
    item = await service.transition(
        session, actor=actor, item_id=item_id, action=action, comment=body.comment if body else None, if_match=if_match
    )
    response.headers["ETag"] = service.etag(item)
    return item


@router.post("/items/{item_id}/translations", response_model=schemas.KnowledgeItem, status_code=201)
async def create_knowledge_translation(
    item_id: uuid.UUID, body: schemas.TranslationCreate, session: SessionDep, actor: SignedInDep, response: Response
) -> schemas.KnowledgeItem:
    """Draft another language version of an item (linked to it: reads say "also available in")."""
    item = await service.add_translation(session, actor=actor, item_id=item_id, body=body)
    response.headers["ETag"] = service.etag(item)
    response.headers["Location"] = f"/api/v1/knowledge/items/{item.id}"
    return item
