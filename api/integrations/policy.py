"""The gate every /api/v1 call of an integration client passes (a dependency of the whole API router).

For a client's bearer token it resolves the client (the auth module's `get_actor` then reuses it), counts
and audits the call, and applies the client's rate limit and scopes. Other callers pass straight through.
"""

from __future__ import annotations

from fastapi import Request

from api.auth.dependencies import ACCESS_TOKEN_PREFIX, register_bearer_verifier
from api.core.config import Settings
from api.core.db import Database, SessionDep
from api.integrations import service

API_PREFIX = "/api/v1"

register_bearer_verifier(service.verify_bearer)


async def client_policy(request: Request, session: SessionDep) -> None:
    scheme, _, credential = request.headers.get("authorization", "").partition(" ")
    credential = credential.strip()
    if scheme.lower() != "bearer" or not credential or credential.startswith(ACCESS_TOKEN_PREFIX):
        return
    settings: Settings = request.app.state.settings
    actor = await service.verify_bearer(session, credential, settings)
    if actor is None or actor.client_id is None:
        return  # not a client token: get_actor refuses it or other verifiers accept it
    route = request.scope.get("route")
    path = str(getattr(route, "path", request.url.path)).removeprefix(API_PREFIX)
    database: Database = request.app.state.database
    await service.admit_call(
        database,
        actor=actor,
        method=request.method,
        path=path,
        request_id=getattr(request.state, "request_id", None),
        settings=settings,
    )
