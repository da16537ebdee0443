"""Integration clients (registered by the Secretariat), the OAuth2 token endpoint, and pledge sync."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Form, Header, Path, Query, Request, Response, status
from fastapi.responses import JSONResponse

from api.auth.dependencies import SecretariatDep, SignedInDep
from api.commitments.service import etag
from api.core.config import Settings
from api.core.db import SessionDep
from api.core.pagination import Cursor, PageSize
from api.integrations import pledge_sync, schemas, service
from api.pledges.schemas import ExternalId, Source
from api.webhooks import schemas as webhook_schemas
from api.webhooks import service as webhooks

router = APIRouter(tags=["integrations"])
IfMatch = Annotated[str | None, Header(alias="If-Match", description="The ETag of the version you update")]


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


@router.get("/integrations/clients", response_model=list[schemas.Client])
async def list_integration_clients(
    request: Request, session: SessionDep, actor: SecretariatDep
) -> list[schemas.Client]:
    return await service.list_clients(session, actor=actor, settings=_settings(request))


@router.post("/integrations/clients", response_model=schemas.ClientCreated, status_code=status.HTTP_201_CREATED)
async def create_integration_client(
    body: schemas.ClientCreate, request: Request, session: SessionDep, actor: SecretariatDep
) -> schemas.ClientCreated:
    """Register a client. `client_id` and `client_secret` are for /oauth/token; the secret is shown once."""
    return await service.create_client(session, actor=actor, body=body, settings=_settings(request))


@router.get("/integrations/clients/{client_id}", response_model=schemas.Client)
async def get_integration_client(
    client_id: uuid.UUID, request: Request, session: SessionDep, actor: SecretariatDep
) -> schemas.Client:
    return await service.get_client(session, actor=actor, client_id=client_id, settings=_settings(request))


@router.patch("/integrations/clients/{client_id}", response_model=schemas.Client)
async def update_integration_client(
    client_id: uuid.UUID, body: schemas.ClientUpdate, request: Request, session: SessionDep, actor: SecretariatDep
) -> schemas.Client:
    return await service.update_client(
        session, actor=actor, client_id=client_id, body=body, settings=_settings(request)
    )


@router.post("/integrations/clients/{client_id}/rotate-secret", response_model=schemas.ClientSecret)
async def rotate_integration_client_secret(
    client_id: uuid.UUID, session: SessionDep, actor: SecretariatDep
) -> schemas.ClientSecret:
    """A new secret, shown once; tokens issued with the old one stop working immediately."""
    return await service.rotate_secret(session, actor=actor, client_id=client_id)


@router.post("/integrations/clients/{client_id}/revoke", response_model=schemas.Client)
async def revoke_integration_client(
    client_id: uuid.UUID, request: Request, session: SessionDep, actor: SecretariatDep
) -> schemas.Client:
    return await service.revoke_client(session, actor=actor, client_id=client_id, settings=_settings(request))


# Webhooks of every client, for the Secretariat: the same delivery log, redelivery and ping as the clients'
# own /webhooks endpoints.


@router.get("/integrations/webhook-subscriptions", response_model=list[webhook_schemas.AdministeredSubscription])
async def list_all_webhook_subscriptions(
    session: SessionDep,
    actor: SecretariatDep,
    client_id: Annotated[uuid.UUID | None, Query(description="Only this client's subscriptions")] = None,
) -> list[webhook_schemas.AdministeredSubscription]:
    """Every client's webhook subscriptions (never their secrets), with their deliveries by status."""
    return await webhooks.administered_subscriptions(session, actor=actor, client_id=client_id)


@router.get(
    "/integrations/clients/{client_id}/webhook-subscriptions",
    response_model=list[webhook_schemas.AdministeredSubscription],
)
async def list_client_webhook_subscriptions(
    client_id: uuid.UUID, session: SessionDep, actor: SecretariatDep
) -> list[webhook_schemas.AdministeredSubscription]:
    return await webhooks.administered_subscriptions(session, actor=actor, client_id=client_id)


@router.get(
    "/integrations/webhook-subscriptions/{subscription_id}", response_model=webhook_schemas.AdministeredSubscription
)
async def get_administered_webhook_subscription(
    subscription_id: uuid.UUID, session: SessionDep, actor: SecretariatDep
) -> webhook_schemas.AdministeredSubscription:
    return await webhooks.administered_subscription(session, actor=actor, subscription_id=subscription_id)


@router.get(
    "/integrations/webhook-subscriptions/{subscription_id}/deliveries", response_model=webhook_schemas.DeliveryPage
)
async def list_administered_webhook_deliveries(
    subscription_id: uuid.UUID,
    session: SessionDep,
    actor: SecretariatDep,
    delivery_status: Annotated[webhook_schemas.DeliveryStatus | None, Query(alias="status")] = None,
    limit: PageSize = 50,
    cursor: Cursor = None,
) -> webhook_schemas.DeliveryPage:
    """The delivery log, newest first: status, attempts, response code, last error, next attempt."""
    return await webhooks.deliveries(
        session,
        actor=actor,
        subscription_id=subscription_id,
        status=delivery_status,
        limit=limit,
        cursor=cursor,
        administered=True,
    )


@router.post(
    "/integrations/webhook-subscriptions/{subscription_id}/deliveries/{delivery_id}/redeliver",
    response_model=webhook_schemas.Delivery,
)
async def redeliver_administered_webhook(
    subscription_id: uuid.UUID, delivery_id: uuid.UUID, session: SessionDep, actor: SecretariatDep
) -> webhook_schemas.Delivery:
    """Queue the delivery again (the same `webhook-id`), with a fresh retry window."""
    return await webhooks.redeliver(
        session, actor=actor, subscription_id=subscription_id, delivery_id=delivery_id, administered=True
    )


@router.post("/integrations/webhook-subscriptions/{subscription_id}/ping", response_model=webhook_schemas.Delivery)
async def ping_administered_webhook_subscription(
    subscription_id: uuid.UUID, request: Request, session: SessionDep, actor: SecretariatDep
) -> webhook_schemas.Delivery:
    """Send a signed `ping` to the subscriber now and answer with its outcome (logged, not retried)."""
    return await webhooks.ping(
        session, actor=actor, subscription_id=subscription_id, settings=_settings(request), administered=True
    )


_OAUTH_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": schemas.OAuthError, "description": "OAuth2 error (invalid_request, unsupported_grant_type...)"},
    401: {"model": schemas.OAuthError, "description": "invalid_client"},
}


@router.post("/oauth/token", response_model=schemas.TokenResponse, responses=_OAUTH_RESPONSES, tags=["oauth"])
async def issue_access_token(
    request: Request,
    session: SessionDep,
    grant_type: Annotated[str | None, Form(max_length=100)] = None,
    client_id: Annotated[str | None, Form(max_length=100)] = None,
    client_secret: Annotated[str | None, Form(max_length=200)] = None,
    scope: Annotated[str | None, Form(max_length=1000)] = None,
) -> Response:
    """OAuth2 client credentials (RFC 6749 4.4): form `grant_type=client_credentials`, `client_id`,
    `client_secret` (or HTTP Basic), optional `scope` (a subset of the client's). Errors use the OAuth2 shape."""
    basic = service.basic_credentials(request.headers.get("authorization"))
    if basic is not None:
        client_id, client_secret = basic
    outcome = await service.issue_token(
        session,
        grant_type=grant_type,
        client_id=client_id,
        client_secret=client_secret,
        scope=scope,
        basic=basic is not None,
        settings=_settings(request),
    )
    headers = {"Cache-Control": "no-store", "Pragma": "no-cache"}
    if isinstance(outcome, service.TokenRefusal):
        if outcome.basic:
            headers["WWW-Authenticate"] = 'Basic realm="acsg"'
        body = schemas.OAuthError.model_validate({"error": outcome.error, "error_description": outcome.description})
        return JSONResponse(body.model_dump(), status_code=outcome.status_code, headers=headers)
    return JSONResponse(outcome.model_dump(), headers=headers)


@router.put(
    "/integrations/pledges/{source}/{external_id:path}",
    response_model=schemas.PledgeSynced,
    responses={201: {"model": schemas.PledgeSynced, "description": "Created"}, 412: {"description": "Stale If-Match"}},
)
async def sync_pledge(
    source: Annotated[Source, Path()],
    external_id: Annotated[ExternalId, Path()],
    body: schemas.PledgeSync,
    session: SessionDep,
    actor: SignedInDep,
    if_match: IfMatch = None,
) -> Response:
    """Create (201) or update (200) the pledge that `source` knows as `external_id`. The same body again
    writes nothing and answers the same ETag; If-Match, when sent, must name the current version (412)."""
    synced, outcome = await pledge_sync.sync_pledge(
        session, actor=actor, source=source, external_id=external_id, body=body, if_match=if_match
    )
    headers = {"ETag": etag(synced), "Location": f"/api/v1/pledges/{synced.id}"}
    return JSONResponse(
        synced.model_dump(mode="json"), status_code=201 if outcome == "created" else 200, headers=headers
    )


@router.post("/integrations/pledges:bulk-upsert", response_model=schemas.PledgeBulkResponse)
async def bulk_upsert_pledges(
    body: schemas.PledgeBulkUpsert, session: SessionDep, actor: SignedInDep
) -> schemas.PledgeBulkResponse:
    """Up to 1,000 pledges; each one is created, updated, unchanged or refused on its own (per-item result)."""
    return await pledge_sync.bulk_upsert(session, actor=actor, body=body)
