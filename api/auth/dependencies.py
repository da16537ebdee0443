"""Who is calling: the `Actor` every route receives, from a session cookie or a bearer token.

Cookie-authenticated writes must carry the CSRF header (double submit: the SPA copies the `acsg_csrf`
cookie into `X-CSRF-Token`). Bearer tokens are not sent by browsers on their own, so they need none.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth import repository
from api.core import clock
from api.core.actor import ANONYMOUS, Actor
from api.core.audit import bind_actor
from api.core.config import Settings
from api.core.db import SessionDep
from api.core.errors import Forbidden, Unauthorized
from api.core.security import constant_time_equals, csrf_token_for, token_hash
from api.models.identity import PersonalAccessToken

SESSION_COOKIE = "acsg_session"
CSRF_COOKIE = "acsg_csrf"
CSRF_HEADER = "X-CSRF-Token"
ACCESS_TOKEN_PREFIX = "acsg_pat_"  # noqa: S105 - a public prefix, not a secret
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# Integration clients' bearer tokens are verified by the integrations module, which registers itself here
# so this module does not import it (auth stays below every domain module).
BearerVerifier = Callable[[AsyncSession, str, Settings], Awaitable[Actor | None]]
_bearer_verifiers: list[BearerVerifier] = []


def register_bearer_verifier(verifier: BearerVerifier) -> None:
    if verifier not in _bearer_verifiers:
        _bearer_verifiers.append(verifier)


async def _actor_from_access_token(session: AsyncSession, token: str) -> Actor:
    now = clock.now()
    record = await repository.live_access_token(session, token_hash(token), now)
    if record is None:
        raise Unauthorized("The access token is invalid, expired or revoked")
    user = await repository.user_by_id(session, record.user_id)
    if user is None or not user.is_active:
        raise Unauthorized("The access token's owner is deactivated")
    # Usage telemetry, written without the ORM on purpose: it is not a change of the token worth auditing.
    await session.execute(
        update(PersonalAccessToken).where(PersonalAccessToken.id == record.id).values(last_used_at=now)
    )
    actor = await repository.actor_for_user(session, user)
    return replace(actor, extra={"access_token_id": str(record.id)})


async def _actor_from_bearer(session: AsyncSession, credential: str, settings: Settings) -> Actor:
    if credential.startswith(ACCESS_TOKEN_PREFIX):
        return await _actor_from_access_token(session, credential)
    for verify in _bearer_verifiers:
        actor = await verify(session, credential, settings)
        if actor is not None:
            return actor
    raise Unauthorized("The bearer token is invalid or expired")


async def _actor_from_cookie(request: Request, session: AsyncSession, settings: Settings, cookie: str) -> Actor:
    found = await repository.actor_for_session(session, token_hash(cookie), clock.now())
    if found is None:
        return ANONYMOUS
    actor, session_id = found
    if request.method not in SAFE_METHODS:
        expected = csrf_token_for(settings.secret_key.get_secret_value(), cookie)
        sent = request.headers.get(CSRF_HEADER, "")
        if not sent or not constant_time_equals(sent, expected):
            raise Forbidden(
                "Missing or invalid CSRF token: send the acsg_csrf cookie's value in the X-CSRF-Token header",
                code="CSRFFailed",
            )
    return replace(actor, extra={"session_id": str(session_id)})


async def get_actor(request: Request, session: SessionDep) -> Actor:
    settings: Settings = request.app.state.settings
    authorization = request.headers.get("authorization")
    if authorization:
        scheme, _, credential = authorization.partition(" ")
        if scheme.lower() != "bearer" or not credential.strip():
            raise Unauthorized("Use the header 'Authorization: Bearer <token>'")
        actor = await _actor_from_bearer(session, credential.strip(), settings)
    elif cookie := request.cookies.get(SESSION_COOKIE):
        actor = await _actor_from_cookie(request, session, settings, cookie)
    else:
        actor = ANONYMOUS
    bind_actor(session, actor)
    request.state.actor = actor
    return actor


ActorDep = Annotated[Actor, Depends(get_actor)]


async def require_signed_in(actor: ActorDep) -> Actor:
    if not actor.is_authenticated:
        raise Unauthorized("Sign in to use this resource")
    return actor


async def require_user(actor: ActorDep) -> Actor:
    """A person (session or personal token), not an integration client."""
    if actor.kind != "user":
        raise Unauthorized("Sign in as a user to use this resource")
    return actor


async def require_secretariat(actor: ActorDep) -> Actor:
    if not actor.is_authenticated:
        raise Unauthorized("Sign in to use this resource")
    if not actor.is_secretariat:
        raise Forbidden("Only the ACSG Secretariat may do this")
    return actor


SignedInDep = Annotated[Actor, Depends(require_signed_in)]
UserDep = Annotated[Actor, Depends(require_user)]
SecretariatDep = Annotated[Actor, Depends(require_secretariat)]
