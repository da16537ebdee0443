"""Integration clients: registration, OAuth2 client credentials, scopes, visibility, rate limits, audit."""

from __future__ import annotations

import base64
from datetime import timedelta
from typing import Any

import httpx
import jwt
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.core import clock
from api.core.db import Database
from api.main import create_app
from api.models.audit import AuditEvent
from api.models.integrations import IntegrationClient
from tests.conftest import SECRET, CommittedDatabase, make_settings
from tests.factories import create_member, create_organisation, create_request, create_secretariat_user
from tests.integrations.support import as_client, create_client, token_for


class TestClientRegistration:
    async def test_secretariat_registers_a_client_and_sees_its_secret_once(
        self, db: AsyncSession, as_user: Any
    ) -> None:
        admin = await as_user(await create_secretariat_user(db))
        response = await admin.post(
            "/api/v1/integrations/clients",
            json={"name": "GRF pledge platform", "scopes": ["pledges:read", "pledges:write"]},
        )
        assert response.status_code == 201, response.text
        body = response.json()
        assert body["client_secret"].startswith("acsg_cs_")
        assert body["scopes"] == ["pledges:read", "pledges:write"]
        stored = await db.get(IntegrationClient, body["id"])
        assert stored is not None and body["client_secret"] not in (stored.secret_hash, stored.secret_salt)
        again = (await admin.get(f"/api/v1/integrations/clients/{body['id']}")).json()
        assert "client_secret" not in again and again["secret_prefix"] == body["client_secret"][:12]

    async def test_participants_may_not_register_clients(self, db: AsyncSession, as_user: Any) -> None:
        user, _ = await create_member(db)
        response = await (await as_user(user)).post(
            "/api/v1/integrations/clients", json={"name": "Mine", "scopes": ["pledges:read"]}
        )
        assert response.status_code == 403

    async def test_unknown_scope_is_refused_naming_the_field(self, db: AsyncSession, as_user: Any) -> None:
        admin = await as_user(await create_secretariat_user(db))
        response = await admin.post("/api/v1/integrations/clients", json={"name": "X", "scopes": ["everything"]})
        assert response.status_code == 422
        assert response.json()["fields"][0]["field"] == "body.scopes.0"

    async def test_a_client_may_not_act_for_the_secretariat(self, db: AsyncSession, as_user: Any) -> None:
        secretariat = await create_organisation(db, kind="secretariat", country="CHE")
        admin = await as_user(await create_secretariat_user(db))
        response = await admin.post(
            "/api/v1/integrations/clients",
            json={"name": "X", "scopes": ["pledges:read"], "organisation_id": str(secretariat.id)},
        )
        assert response.status_code == 422
        assert response.json()["fields"][0]["field"] == "organisation_id"

    async def test_rotating_the_secret_ends_earlier_tokens_at_once(
        self, db: AsyncSession, as_user: Any, client_factory: Any
    ) -> None:
        client, secret = await create_client(db, scopes=("pledges:read",))
        http = client_factory()
        token = await token_for(http, client, secret)
        admin = await as_user(await create_secretariat_user(db))
        rotated = await admin.post(f"/api/v1/integrations/clients/{client.id}/rotate-secret")
        assert rotated.status_code == 200
        old = await http.get("/api/v1/pledges", headers={"Authorization": f"Bearer {token}"})
        assert old.status_code == 401 and old.json()["error"] == "TokenRevoked"
        new_token = await token_for(http, client, rotated.json()["client_secret"])
        assert (await http.get("/api/v1/pledges", headers={"Authorization": f"Bearer {new_token}"})).status_code == 200
        refused = await http.post(
            "/api/v1/oauth/token",
            data={"grant_type": "client_credentials", "client_id": str(client.id), "client_secret": secret},
        )
        assert refused.status_code == 401

    async def test_revoking_a_client_ends_its_tokens_at_once(
        self, db: AsyncSession, as_user: Any, client_factory: Any
    ) -> None:
        client, secret = await create_client(db, scopes=("pledges:read",))
        http = client_factory()
        token = await token_for(http, client, secret)
        admin = await as_user(await create_secretariat_user(db))
        assert (await admin.post(f"/api/v1/integrations/clients/{client.id}/revoke")).json()["is_active"] is False
        response = await http.get("/api/v1/pledges", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 401 and response.json()["error"] == "ClientRevoked"

    async def test_fewer_scopes_apply_to_current_tokens(
        self, db: AsyncSession, as_user: Any, client_factory: Any
    ) -> None:
        http, client = await as_client(client_factory, db, scopes=("pledges:read", "requests:read"))
        assert (await http.get("/api/v1/support-requests")).status_code == 200
        admin = await as_user(await create_secretariat_user(db))
        await admin.patch(f"/api/v1/integrations/clients/{client.id}", json={"scopes": ["pledges:read"]})
        assert (await http.get("/api/v1/support-requests")).status_code == 403


class TestTokenEndpoint:
    async def test_client_credentials_give_a_short_lived_signed_bearer(
        self, db: AsyncSession, client_factory: Any
    ) -> None:
        client, secret = await create_client(db, scopes=("pledges:read", "changes:read"))
        response = await client_factory().post(
            "/api/v1/oauth/token",
            data={"grant_type": "client_credentials", "client_id": str(client.id), "client_secret": secret},
        )
        body = response.json()
        assert response.status_code == 200 and body["token_type"] == "Bearer"
        assert body["expires_in"] == 900 and body["scope"] == "changes:read pledges:read"
        assert response.headers["cache-control"] == "no-store"
        claims = jwt.decode(body["access_token"], SECRET, algorithms=["HS256"], audience="acsg-api")
        assert claims["client_id"] == str(client.id) and claims["jti"]
        assert claims["exp"] - claims["iat"] == 900

    async def test_http_basic_credentials_are_accepted(self, db: AsyncSession, client_factory: Any) -> None:
        client, secret = await create_client(db)
        basic = base64.b64encode(f"{client.id}:{secret}".encode()).decode()
        response = await client_factory().post(
            "/api/v1/oauth/token",
            data={"grant_type": "client_credentials"},
            headers={"Authorization": f"Basic {basic}"},
        )
        assert response.status_code == 200

    async def test_a_wrong_secret_is_invalid_client_in_the_oauth_shape(
        self, db: AsyncSession, client_factory: Any
    ) -> None:
        client, _ = await create_client(db)
        basic = base64.b64encode(f"{client.id}:wrong".encode()).decode()
        response = await client_factory().post(
            "/api/v1/oauth/token",
            data={"grant_type": "client_credentials"},
            headers={"Authorization": f"Basic {basic}"},
        )
        assert response.status_code == 401
        assert response.json()["error"] == "invalid_client"
        assert response.headers["www-authenticate"].startswith("Basic")

    @pytest.mark.parametrize(
        ("data", "status", "error"),
        [
            ({}, 400, "invalid_request"),
            ({"grant_type": "password"}, 400, "unsupported_grant_type"),
            ({"grant_type": "client_credentials"}, 401, "invalid_client"),
            (
                {"grant_type": "client_credentials", "client_id": "not-a-uuid", "client_secret": "x"},
                401,
                "invalid_client",
            ),
        ],
    )
    async def test_malformed_requests_get_oauth_errors_never_500(
        self, client_factory: Any, data: dict[str, str], status: int, error: str
    ) -> None:
        response = await client_factory().post("/api/v1/oauth/token", data=data)
        assert response.status_code == status and response.json()["error"] == error

    async def test_garbage_basic_credentials_and_json_bodies_are_refused_cleanly(self, client_factory: Any) -> None:
        http = client_factory()
        garbage = await http.post("/api/v1/oauth/token", headers={"Authorization": "Basic %%%"})
        assert garbage.status_code in (400, 401) and "error" in garbage.json()
        as_json = await http.post("/api/v1/oauth/token", json={"grant_type": "client_credentials"})
        assert as_json.status_code == 400 and as_json.json()["error"] == "invalid_request"

    async def test_a_scope_the_client_lacks_is_invalid_scope(self, db: AsyncSession, client_factory: Any) -> None:
        client, secret = await create_client(db, scopes=("pledges:read",))
        response = await client_factory().post(
            "/api/v1/oauth/token",
            data={
                "grant_type": "client_credentials",
                "client_id": str(client.id),
                "client_secret": secret,
                "scope": "pledges:read pledges:write",
            },
        )
        assert response.status_code == 400 and response.json()["error"] == "invalid_scope"

    async def test_a_narrower_scope_narrows_what_the_token_may_do(self, db: AsyncSession, client_factory: Any) -> None:
        client, secret = await create_client(db, scopes=("pledges:read", "requests:read"))
        http = client_factory()
        token = await token_for(http, client, secret, scope="pledges:read")
        http.headers["Authorization"] = f"Bearer {token}"
        assert (await http.get("/api/v1/pledges")).status_code == 200
        assert (await http.get("/api/v1/support-requests")).status_code == 403

    async def test_an_expired_token_is_refused(self, db: AsyncSession, client_factory: Any) -> None:
        http, _ = await as_client(client_factory, db)
        clock.advance(timedelta(minutes=16))
        response = await http.get("/api/v1/pledges")
        assert response.status_code == 401 and response.json()["error"] == "TokenExpired"


class TestClientCalls:
    async def test_a_client_reads_validated_records_as_a_participant_does(
        self, db: AsyncSession, client_factory: Any
    ) -> None:
        state = await create_organisation(db, kind="state_institution", country="NER")
        validated = await create_request(db, organisation=state, status="validated", confidential_details="SECRETX")
        draft = await create_request(db, organisation=state, status="draft")
        http, _ = await as_client(client_factory, db, scopes=("requests:read",))
        detail = await http.get(f"/api/v1/support-requests/{validated.id}")
        assert detail.status_code == 200 and detail.json()["view"] == "public"
        assert "SECRETX" not in detail.text
        assert (await http.get(f"/api/v1/support-requests/{draft.id}")).status_code == 404
        listed = {
            i["id"] for i in (await http.get("/api/v1/support-requests", params={"country": "NER"})).json()["items"]
        }
        assert listed == {str(validated.id)}

    async def test_a_client_acting_for_an_organisation_sees_its_records_in_full(
        self, db: AsyncSession, client_factory: Any
    ) -> None:
        state = await create_organisation(db, kind="state_institution", country="NER")
        draft = await create_request(db, organisation=state, status="draft", confidential_details="MINEX")
        http, _ = await as_client(client_factory, db, scopes=("requests:read",), organisation=state)
        detail = await http.get(f"/api/v1/support-requests/{draft.id}")
        assert detail.status_code == 200 and "MINEX" in detail.text

    async def test_a_client_without_the_read_scope_gets_403(self, db: AsyncSession, client_factory: Any) -> None:
        http, _ = await as_client(client_factory, db, scopes=("pledges:read",))
        response = await http.get("/api/v1/support-offers")
        assert response.status_code == 403 and response.json()["error"] == "InsufficientScope"

    async def test_a_client_without_the_write_scope_gets_403(self, db: AsyncSession, client_factory: Any) -> None:
        organisation = await create_organisation(db)
        http, _ = await as_client(client_factory, db, scopes=("pledges:read",))
        response = await http.post(
            "/api/v1/pledges",
            json={
                "external_id": "X",
                "source_event": "GRF2023",
                "title": "A pledge",
                "organisations": [{"organisation_id": str(organisation.id)}],
            },
        )
        assert response.status_code == 403

    async def test_clients_may_not_call_endpoints_meant_for_people(self, db: AsyncSession, client_factory: Any) -> None:
        http, _ = await as_client(client_factory, db, scopes=("pledges:read", "imports:write"))
        for path in ("/api/v1/auth/me", "/api/v1/users", "/api/v1/integrations/clients"):
            response = await http.get(path)
            assert response.status_code == 403 and response.json()["error"] == "ClientNotAllowed", path

    async def test_every_client_call_is_audited_with_the_client_as_actor(
        self, db: AsyncSession, client_factory: Any
    ) -> None:
        http, client = await as_client(client_factory, db)
        response = await http.get("/api/v1/pledges")
        event = (
            await db.execute(select(AuditEvent).where(AuditEvent.request_id == response.headers["x-request-id"]))
        ).scalar_one()
        assert event.action == "integration.call" and event.actor_type == "client"
        assert event.actor_client_id == client.id and event.note == "GET /pledges"

    async def test_the_rate_limit_answers_429_with_retry_after(self, db: AsyncSession, client_factory: Any) -> None:
        clock.freeze(clock.now().replace(second=10, microsecond=0))
        http, _ = await as_client(client_factory, db, rate_limit=3)
        statuses = [(await http.get("/api/v1/pledges")).status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        refused = await http.get("/api/v1/pledges")
        assert refused.json()["error"] == "TooManyRequests" and refused.headers["retry-after"] == "50"
        clock.advance(timedelta(minutes=1))
        assert (await http.get("/api/v1/pledges")).status_code == 200

    async def test_the_rate_limit_holds_across_api_processes_and_refusals_are_audited(
        self, committed: CommittedDatabase, settings: Any
    ) -> None:
        clock.freeze(clock.now().replace(second=5, microsecond=0))
        async with committed.sessionmaker() as session, session.begin():
            client, secret = await create_client(session, rate_limit=4)
        # Two API processes sharing the database.
        second_app = create_app(make_settings(committed.url), database=Database(committed.engine))
        first = committed.client()
        second = httpx.AsyncClient(transport=httpx.ASGITransport(app=second_app), base_url="http://testserver")
        token = await token_for(first, client, secret)
        statuses = []
        for index in range(6):
            http = first if index % 2 == 0 else second
            statuses.append(
                (await http.get("/api/v1/pledges", headers={"Authorization": f"Bearer {token}"})).status_code
            )
        await second.aclose()
        await first.aclose()
        assert statuses == [200, 200, 200, 200, 429, 429]
        async with committed.sessionmaker() as session:
            actions = (
                await session.execute(
                    select(AuditEvent.action, func.count())
                    .where(AuditEvent.actor_client_id == client.id)
                    .group_by(AuditEvent.action)
                )
            ).all()
        assert dict(actions) == {"integration.call": 4, "integration.rate_limited": 2}

    async def test_an_unknown_bearer_token_is_401(self, client_factory: Any) -> None:
        http: httpx.AsyncClient = client_factory()
        response = await http.get("/api/v1/pledges", headers={"Authorization": "Bearer a.b.c"})
        assert response.status_code == 401
