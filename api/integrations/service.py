"""Integration clients: registration by the Secretariat, OAuth2 client credentials, and what a client is
when it calls (its `Actor`, its scopes, its rate limit, the audit of every call)."""

from __future__ import annotations

import base64
import binascii
import uuid
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import unquote

from sqlalchemy.ext.asyncio import AsyncSession

from api.core import audit, clock
from api.core.actor import Actor, MembershipInfo
from api.core.config import Settings
from api.core.db import Database
from api.core.errors import Forbidden, NotFound, TooManyRequests, Unauthorized, field_error, refuse_emptied
from api.integrations import repository, schemas, tokens
from api.integrations.scopes import ANY_CLIENT, SCOPES, required_scope
from api.models.identity import Organisation
from api.models.integrations import IntegrationClient

_ACTOR_CACHE = "integration_actor"
# A client may act for these kinds of organisation; acting for the Secretariat would see everything.
ACTING_KINDS = frozenset(
    {"state_government", "state_institution", "stakeholder", "unhcr_country_office", "unhcr_bureau"}
)


def _effective_limit(client: IntegrationClient, settings: Settings) -> int:
    return client.rate_limit_per_minute or settings.integration_rate_limit_per_minute


def _read(client: IntegrationClient, settings: Settings) -> schemas.Client:
    return schemas.Client(
        id=client.id,
        client_id=str(client.id),
        name=client.name,
        description=client.description,
        scopes=sorted(client.scopes),
        organisation_id=client.organisation_id,
        secret_prefix=client.secret_prefix,
        secret_version=client.secret_version,
        secret_rotated_at=client.secret_rotated_at,
        rate_limit_per_minute=_effective_limit(client, settings),
        has_own_rate_limit=client.rate_limit_per_minute is not None,
        is_active=client.revoked_at is None,
        revoked_at=client.revoked_at,
        created_at=client.created_at,
        updated_at=client.updated_at,
    )


def _require_secretariat_user(actor: Actor) -> None:
    if actor.kind != "user" or not actor.is_secretariat:
        raise Forbidden("Only the Secretariat manages integration clients")


async def create_client(
    session: AsyncSession, *, actor: Actor, body: schemas.ClientCreate, settings: Settings
) -> schemas.ClientCreated:
    """Register a client; its secret is in this answer only."""
    _require_secretariat_user(actor)
    if body.organisation_id is not None:
        organisation = await session.get(Organisation, body.organisation_id)
        if organisation is None or not organisation.is_active:
            raise field_error("organisation_id", "No such organisation")
        if organisation.kind not in ACTING_KINDS:
            raise field_error("organisation_id", "A client may act for a State, a stakeholder or a UNHCR office")
    secret, salt, secret_hash = tokens.new_client_secret()
    client = IntegrationClient(
        name=body.name,
        description=body.description,
        scopes=sorted(set(body.scopes)),
        organisation_id=body.organisation_id,
        secret_prefix=secret[: len(tokens.SECRET_PREFIX) + 4],
        secret_salt=salt,
        secret_hash=secret_hash,
        secret_version=1,
        rate_limit_per_minute=body.rate_limit_per_minute,
        created_by_id=actor.user_id,
    )
    session.add(client)
    audit.label(session, client, "integration_client.created")
    await session.flush()
    return schemas.ClientCreated(**_read(client, settings).model_dump(), client_secret=secret)


async def _client_for_admin(session: AsyncSession, actor: Actor, client_id: uuid.UUID) -> IntegrationClient:
    _require_secretariat_user(actor)
    client = await repository.client(session, client_id)
    if client is None:
        raise NotFound("No such integration client")
    return client


async def list_clients(session: AsyncSession, *, actor: Actor, settings: Settings) -> list[schemas.Client]:
    _require_secretariat_user(actor)
    return [_read(client, settings) for client in await repository.clients(session)]


async def get_client(
    session: AsyncSession, *, actor: Actor, client_id: uuid.UUID, settings: Settings
) -> schemas.Client:
    return _read(await _client_for_admin(session, actor, client_id), settings)


async def update_client(
    session: AsyncSession, *, actor: Actor, client_id: uuid.UUID, body: schemas.ClientUpdate, settings: Settings
) -> schemas.Client:
    """Rename, re-scope or re-limit a client; fewer scopes apply to its current tokens at once."""
    client = await _client_for_admin(session, actor, client_id)
    changes = body.model_dump(exclude_unset=True)
    refuse_emptied(changes, ("name", "description", "scopes"))
    if "scopes" in changes:
        changes["scopes"] = sorted(set(changes["scopes"]))
    for key, value in changes.items():
        setattr(client, key, value)
    await session.flush()
    return _read(client, settings)


async def rotate_secret(session: AsyncSession, *, actor: Actor, client_id: uuid.UUID) -> schemas.ClientSecret:
    """A new secret; every token issued with the old one stops working immediately."""
    client = await _client_for_admin(session, actor, client_id)
    if client.revoked_at is not None:
        raise Forbidden("A revoked client cannot get a new secret")
    secret, salt, secret_hash = tokens.new_client_secret()
    client.secret_salt, client.secret_hash = salt, secret_hash
    client.secret_prefix = secret[: len(tokens.SECRET_PREFIX) + 4]
    client.secret_version += 1
    client.secret_rotated_at = clock.now()
    audit.label(session, client, "integration_client.secret_rotated")
    await session.flush()
    return schemas.ClientSecret(client_id=str(client.id), client_secret=secret, secret_version=client.secret_version)


async def revoke_client(
    session: AsyncSession, *, actor: Actor, client_id: uuid.UUID, settings: Settings
) -> schemas.Client:
    """End the client: its tokens stop working at once and its webhook subscriptions stop receiving."""
    client = await _client_for_admin(session, actor, client_id)
    if client.revoked_at is None:
        client.revoked_at = clock.now()
        audit.label(session, client, "integration_client.revoked")
        await session.flush()
    return _read(client, settings)


# --- OAuth2 client credentials ----------------------------------------------------------------------------


@dataclass(frozen=True)
class TokenRefusal:
    status_code: int
    error: str
    description: str
    basic: bool = False


def basic_credentials(authorization: str | None) -> tuple[str, str] | None:
    """client_id and client_secret from `Authorization: Basic ...` (each form-urlencoded, RFC 6749 2.3.1)."""
    if not authorization:
        return None
    scheme, _, value = authorization.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return ("", "")
    client_id, separator, secret = decoded.partition(":")
    if not separator:
        return ("", "")
    return unquote(client_id), unquote(secret)


async def issue_token(
    session: AsyncSession,
    *,
    grant_type: str | None,
    client_id: str | None,
    client_secret: str | None,
    scope: str | None,
    basic: bool,
    settings: Settings,
) -> schemas.TokenResponse | TokenRefusal:
    """Exchange client credentials for a short-lived bearer token. Refusals are returned (not raised) so
    that the attempt is audited with the request."""
    if not grant_type:
        return TokenRefusal(400, "invalid_request", "grant_type is required (client_credentials)")
    if grant_type != "client_credentials":
        return TokenRefusal(400, "unsupported_grant_type", "Only the client_credentials grant is supported")
    if not client_id or not client_secret:
        return TokenRefusal(401, "invalid_client", "Send client_id and client_secret (form or HTTP Basic)", basic)
    try:
        client_uuid = uuid.UUID(client_id)
    except ValueError:
        client_uuid = None
    client = await repository.client(session, client_uuid) if client_uuid else None
    if (
        client is None
        or client.revoked_at is not None
        or not tokens.secret_matches(client_secret, client.secret_salt, client.secret_hash)
    ):
        await audit.record(
            session,
            action="integration.token_refused",
            record_type="integration_clients",
            record_id=str(client_uuid) if client_uuid else None,
            note="unknown client, revoked client or wrong secret",
        )
        return TokenRefusal(401, "invalid_client", "Unknown client, revoked client or wrong secret", basic)
    granted = frozenset(client.scopes)
    if scope:
        requested = frozenset(scope.split())
        if not requested <= granted:
            unknown = ", ".join(sorted(requested - granted))
            return TokenRefusal(400, "invalid_scope", f"The client does not hold: {unknown}")
        granted = requested
    token, claims = tokens.issue(
        signing_key=settings.secret_key.get_secret_value(),
        client_id=client.id,
        scopes=granted,
        secret_version=client.secret_version,
        ttl_seconds=settings.integration_token_ttl_seconds,
    )
    await audit.record(
        session,
        action="integration.token_issued",
        record_type="integration_clients",
        record_id=client.id,
        note=f"token {claims.token_id}; scopes {' '.join(sorted(granted))}",
    )
    return schemas.TokenResponse(
        access_token=token, expires_in=settings.integration_token_ttl_seconds, scope=" ".join(sorted(granted))
    )


# --- the client as caller ---------------------------------------------------------------------------------


async def actor_for_client(
    session: AsyncSession,
    client: IntegrationClient,
    *,
    settings: Settings,
    scopes: frozenset[str] | None = None,
    token_id: str | None = None,
) -> Actor:
    """The client as an `Actor`: its scopes (those of its token still granted), and, when it acts for an
    organisation, that organisation's editor rights (and a UNHCR office's countries)."""
    memberships: tuple[MembershipInfo, ...] = ()
    countries: frozenset[str] = frozenset()
    if client.organisation_id is not None:
        organisation = await session.get(Organisation, client.organisation_id)
        if organisation is not None and organisation.is_active and organisation.kind in ACTING_KINDS:
            memberships = (MembershipInfo(organisation.id, organisation.kind, "editor", organisation.country_iso3),)
            countries = await repository.covered_countries(session, organisation)
    granted = frozenset(client.scopes)
    extra = {"rate_limit": str(_effective_limit(client, settings))}
    if token_id:
        extra["token_id"] = token_id
    return Actor(
        kind="client",
        client_id=client.id,
        label=client.name,
        memberships=memberships,
        unhcr_countries=countries,
        scopes=granted if scopes is None else scopes & granted,
        extra=extra,
    )


_INVALID_TOKEN = {"WWW-Authenticate": 'Bearer error="invalid_token"'}


async def verify_bearer(session: AsyncSession, credential: str, settings: Settings) -> Actor | None:
    """The bearer verifier registered with the auth module: None for tokens that are not ours.

    The client row is read on every call, so revocation and secret rotation take effect at once. The actor
    is kept on the request's session: the scope check and the route resolve it once.
    """
    cached = session.info.get(_ACTOR_CACHE)
    if cached is not None and cached[0] == credential:
        actor: Actor = cached[1]
        return actor
    try:
        claims = tokens.read(credential, signing_key=settings.secret_key.get_secret_value())
    except tokens.ExpiredToken:
        raise Unauthorized(
            "The access token has expired; request a new one", code="TokenExpired", headers=_INVALID_TOKEN
        ) from None
    if claims is None:
        return None
    client = await repository.client(session, claims.client_id)
    if client is None or client.revoked_at is not None:
        raise Unauthorized("This integration client is revoked", code="ClientRevoked", headers=_INVALID_TOKEN)
    if client.secret_version != claims.secret_version:
        raise Unauthorized(
            "The client's secret was rotated; request a new token", code="TokenRevoked", headers=_INVALID_TOKEN
        )
    actor = await actor_for_client(session, client, settings=settings, scopes=claims.scopes, token_id=claims.token_id)
    session.info[_ACTOR_CACHE] = (credential, actor)
    return actor


async def admit_call(
    database: Database,
    *,
    actor: Actor,
    method: str,
    path: str,
    request_id: str | None,
    settings: Settings,
) -> None:
    """Count and audit one call of a client, then refuse it when over its rate limit (429) or outside its
    scopes (403). Counting happens in its own short transaction, shared by every API process."""
    assert actor.client_id is not None
    now = clock.now()
    window_start = now.replace(second=0, microsecond=0)
    limit = int(actor.extra.get("rate_limit", settings.integration_rate_limit_per_minute))
    async with database.sessionmaker() as side, side.begin():
        calls = await repository.count_call(
            side,
            client_id=actor.client_id,
            label=actor.label or "client",
            window_start=window_start,
            now=now,
            limit=limit,
            note=f"{method} {path}",
            request_id=request_id,
        )
    if calls > limit:
        retry_after = max(1, int((window_start + timedelta(minutes=1) - now).total_seconds() + 0.999))
        raise TooManyRequests(
            f"This client may make {limit} calls a minute; retry after {retry_after} seconds",
            headers={"Retry-After": str(retry_after)},
        )
    needed = required_scope(method, path)
    if needed is None:
        raise Forbidden("Integration clients may not use this endpoint", code="ClientNotAllowed")
    if needed != ANY_CLIENT and not actor.has_scope(needed):
        raise Forbidden(f"This client lacks the scope '{needed}'", code="InsufficientScope")


def scope_descriptions() -> dict[str, str]:
    return dict(SCOPES)


async def prune_rate_windows(session: AsyncSession) -> int:
    return await repository.prune_rate_windows(session, before=clock.now() - timedelta(hours=1))
