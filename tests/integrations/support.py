"""Integration clients for tests: registered directly in the database, tokens through the real endpoint."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from api.integrations import tokens
from api.models.identity import Organisation
from api.models.integrations import IntegrationClient
from tests.factories import unique


async def create_client(
    session: AsyncSession,
    *,
    scopes: tuple[str, ...] = ("pledges:read",),
    organisation: Organisation | None = None,
    rate_limit: int | None = None,
    name: str | None = None,
) -> tuple[IntegrationClient, str]:
    secret, salt, secret_hash = tokens.new_client_secret()
    client = IntegrationClient(
        name=name or unique("Client"),
        description="",
        scopes=sorted(scopes),
        organisation_id=organisation.id if organisation else None,
        secret_prefix=secret[:12],
        secret_salt=salt,
        secret_hash=secret_hash,
        secret_version=1,
        rate_limit_per_minute=rate_limit,
    )
    session.add(client)
    await session.flush()
    return client, secret


async def token_for(http: httpx.AsyncClient, client: IntegrationClient, secret: str, **extra: str) -> str:
    response = await http.post(
        "/api/v1/oauth/token",
        data={"grant_type": "client_credentials", "client_id": str(client.id), "client_secret": secret, **extra},
    )
    assert response.status_code == 200, response.text
    token: str = response.json()["access_token"]
    return token


async def as_client(
    client_factory: Any, session: AsyncSession, **options: Any
) -> tuple[httpx.AsyncClient, IntegrationClient]:
    """An HTTP client calling as a new integration client with a fresh token."""
    client, secret = await create_client(session, **options)
    http = client_factory()
    http.headers["Authorization"] = f"Bearer {await token_for(http, client, secret)}"
    return http, client
