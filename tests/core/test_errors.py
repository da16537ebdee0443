"""The error envelope on every failure path, and bad input never producing a 500."""

from __future__ import annotations

import socket
import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from api.core.db import Database, make_engine
from api.core.errors import AppError, Conflict, ValidationFailed, database_unavailable, refused_by_database
from api.main import create_app
from tests.conftest import make_settings
from tests.factories import create_secretariat_user


def assert_envelope(response: httpx.Response, status: int, error: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) <= {"error", "detail", "fields"}
    assert isinstance(body["error"], str) and isinstance(body["detail"], str)
    if error:
        assert body["error"] == error
    return body


class TestErrorEnvelope:
    async def test_unknown_api_path_is_a_404_envelope(self, client: httpx.AsyncClient) -> None:
        assert_envelope(await client.get("/api/v1/no-such-thing"), 404, "NotFound")

    async def test_wrong_method_is_a_405_envelope(self, client: httpx.AsyncClient) -> None:
        assert_envelope(await client.delete("/api/v1/reference/countries"), 405, "MethodNotAllowed")

    async def test_wrong_type_is_a_422_naming_the_field(self, client: httpx.AsyncClient) -> None:
        body = assert_envelope(await client.post("/api/v1/auth/sign-in", json={"email": 5, "password": []}), 422)
        assert {f["field"] for f in body["fields"]} == {"body.email", "body.password"}

    async def test_unknown_field_on_a_write_is_refused_by_name(self, client: httpx.AsyncClient) -> None:
        response = await client.post(
            "/api/v1/auth/sign-in", json={"email": "a@b.org", "password": "x", "is_admin": True}
        )
        body = assert_envelope(response, 422)
        assert body["fields"] == [{"field": "body.is_admin", "message": "Unknown field", "type": "extra_forbidden"}]

    async def test_malformed_json_is_a_400(self, client: httpx.AsyncClient) -> None:
        response = await client.post(
            "/api/v1/auth/sign-in",
            content=b'{"email": "a@b.org",',
            headers={"content-type": "application/json"},
        )
        assert_envelope(response, 400, "MalformedJSON")

    async def test_oversized_body_is_a_413(self, client: httpx.AsyncClient) -> None:
        payload = b'{"email": "' + b"a" * (3 * 1024 * 1024) + b'"}'
        response = await client.post(
            "/api/v1/auth/sign-in", content=payload, headers={"content-type": "application/json"}
        )
        assert_envelope(response, 413, "PayloadTooLarge")

    async def test_oversized_chunked_body_is_a_413(self, client: httpx.AsyncClient) -> None:
        async def chunks() -> Any:
            for _ in range(40):
                yield b"x" * 100_000

        response = await client.post(
            "/api/v1/auth/sign-in", content=chunks(), headers={"content-type": "application/json"}
        )
        assert_envelope(response, 413, "PayloadTooLarge")

    async def test_invalid_uuid_in_path_is_a_422(self, db: AsyncSession, as_user: Any) -> None:
        client = await as_user(await create_secretariat_user(db))
        body = assert_envelope(await client.get("/api/v1/users/not-a-uuid"), 422)
        assert body["fields"][0]["field"] == "path.user_id"

    async def test_unexpected_error_is_a_500_envelope_without_details(self, app: Any) -> None:
        async def explode() -> None:
            raise RuntimeError("secret internal detail")

        app.add_api_route("/api/v1/test-explode", explode, methods=["GET"])
        app.router.routes.insert(0, app.router.routes.pop())  # ahead of the SPA's catch-all route
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as raw:
            response = await raw.get("/api/v1/test-explode")
        body = assert_envelope(response, 500, "InternalError")
        assert "secret internal detail" not in response.text
        assert body["detail"]

    async def test_a_database_error_is_answered_without_being_raised_to_the_server(self, app: Any) -> None:
        class Refused(Exception):
            sqlstate = "23505"
            table_name = "countries"
            constraint_name = "uq_countries_unhcr_code"

        async def duplicate() -> None:
            raise IntegrityError("UPDATE countries ...", {}, Refused())

        async def restarting() -> None:
            raise ConnectionRefusedError("the database is restarting")

        for name, endpoint in (("duplicate", duplicate), ("restarting", restarting)):
            app.add_api_route(f"/api/v1/test-{name}", endpoint, methods=["GET"])
            app.router.routes.insert(0, app.router.routes.pop())
        # The default transport raises whatever the app lets escape: the server would log it as a crash.
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as raw:
            body = assert_envelope(await raw.get("/api/v1/test-duplicate"), 409, "Conflict")
            assert body["fields"] == [{"field": "unhcr_code", "message": body["detail"]}]
            assert_envelope(await raw.get("/api/v1/test-restarting"), 503, "ServiceUnavailable")

    @pytest.mark.parametrize("cursor", ["!!!", "eyJrIjoieCJ9", "a" * 50])
    async def test_tampered_cursor_is_a_422(self, cursor: str, db: AsyncSession, as_user: Any) -> None:
        client = await as_user(await create_secretariat_user(db))
        body = assert_envelope(await client.get("/api/v1/users", params={"cursor": cursor}), 422)
        assert body["fields"][0]["field"] == "query.cursor"

    async def test_page_size_above_the_maximum_is_refused(self, db: AsyncSession, as_user: Any) -> None:
        client = await as_user(await create_secretariat_user(db))
        body = assert_envelope(await client.get("/api/v1/users", params={"limit": 100_000}), 422)
        assert body["fields"][0]["field"] == "query.limit"


class TestDatabaseFaults:
    """A database that cannot serve the request is the platform's fault, said as a 503 with Retry-After."""

    async def test_an_unreachable_database_is_a_503_envelope_with_retry_after(self) -> None:
        with socket.socket() as probe:  # a port nothing listens on
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        url = f"postgresql+asyncpg://postgres@127.0.0.1:{port}/acsg"
        database = Database(make_engine(url))
        app = create_app(make_settings(url), database=database)
        try:
            transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
            async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
                for path in ("/api/v1/support-requests", "/api/v1/reference/countries", "/api/v1/pledges"):
                    response = await client.get(path)
                    assert_envelope(response, 503, "ServiceUnavailable")
                    assert response.headers["Retry-After"] == "5"
                ready = await client.get("/readyz")
                assert ready.status_code == 503
        finally:
            await database.dispose()

    def test_transient_postgresql_errors_are_recognised_and_others_are_not(self) -> None:
        class PgError(Exception):
            def __init__(self, sqlstate: str) -> None:
                self.sqlstate = sqlstate

        for transient in ("08006", "53300", "57P01", "57P03", "57014", "40001", "40P01"):
            wrapped = RuntimeError("wrapper")
            wrapped.__cause__ = PgError(transient)
            assert database_unavailable(wrapped), transient
        for permanent in ("23505", "42P01", "22001"):
            assert not database_unavailable(PgError(permanent)), permanent
        assert not database_unavailable(ValueError("bad input"))


class TestValuesTheDatabaseWouldRefuse:
    """Values PostgreSQL cannot store are refused up front with a 4xx naming the field (found by fuzzing the
    OpenAPI description: each of these was a 500), and whatever still reaches the database is mapped to one."""

    async def test_a_nul_character_in_a_body_is_a_422_naming_the_field(self, db: AsyncSession, as_user: Any) -> None:
        secretariat = await create_secretariat_user(db)
        client = await as_user(secretariat)
        response = await client.patch(f"/api/v1/users/{secretariat.id}", json={"full_name": "Ami\u0000na"})
        body = assert_envelope(response, 422)
        assert body["fields"][0]["field"] == "body.full_name" and "NUL" in body["fields"][0]["message"]
        response = await client.post("/api/v1/auth/tokens", json={"name": "ok", "unknown": None})
        assert_envelope(response, 422)
        nested = await client.post(
            "/api/v1/users",
            json={
                "email": "x@example.org",
                "full_name": "X",
                "memberships": [{"organisation_id": str(uuid.uuid4()), "role": "viewer\u0000"}],
            },
        )
        assert_envelope(nested, 422)

    @pytest.mark.parametrize("path", ["/api/v1/support-requests", "/api/v1/knowledge/items", "/api/v1/users"])
    async def test_a_nul_character_in_a_query_parameter_is_a_422_naming_it(
        self, path: str, db: AsyncSession, as_user: Any
    ) -> None:
        client = await as_user(await create_secretariat_user(db))
        body = assert_envelope(await client.get(path, params={"q": "asile\u0000", "limit": "5"}), 422)
        assert [f["field"] for f in body["fields"]] == ["query.q"]

    async def test_a_token_name_longer_than_stored_is_a_422(self, db: AsyncSession, as_user: Any) -> None:
        client = await as_user(await create_secretariat_user(db))
        body = assert_envelope(await client.post("/api/v1/auth/tokens", json={"name": "n" * 121}), 422)
        assert body["fields"][0]["field"] == "body.name"
        assert (await client.post("/api/v1/auth/tokens", json={"name": "n" * 120})).status_code == 201

    async def test_a_country_keeps_its_names_and_unhcr_codes_stay_unique(self, db: AsyncSession, as_user: Any) -> None:
        client = await as_user(await create_secretariat_user(db))
        body = assert_envelope(await client.patch("/api/v1/reference/countries/BEL", json={"name_es": None}), 422)
        assert body["fields"][0]["field"] == "name_es"
        taken = (await client.get("/api/v1/reference/countries")).json()
        code = next(c["unhcr_code"] for c in taken if c["iso3"] == "FRA")
        body = assert_envelope(
            await client.patch("/api/v1/reference/countries/BEL", json={"unhcr_code": code}), 409, "DuplicateCode"
        )
        assert body["fields"][0]["field"] == "unhcr_code" and "FRA" in body["detail"]

    @pytest.mark.parametrize(
        ("statement", "error_type", "columns"),
        [
            (
                "UPDATE countries SET unhcr_code = (SELECT unhcr_code FROM countries WHERE iso3 = 'FRA') "
                "WHERE iso3 = 'BEL'",
                Conflict,
                ["unhcr_code"],
            ),
            ("UPDATE countries SET name_es = NULL WHERE iso3 = 'BEL'", ValidationFailed, ["name_es"]),
            ("UPDATE countries SET bureau_code = 'mars' WHERE iso3 = 'BEL'", ValidationFailed, ["bureau_code"]),
            ("UPDATE countries SET unhcr_code = 'LONG' WHERE iso3 = 'BEL'", ValidationFailed, []),
            ("UPDATE countries SET name_es = :value WHERE iso3 = 'BEL'", ValidationFailed, []),
        ],
    )
    async def test_what_the_database_refuses_maps_to_a_4xx_naming_the_column(
        self, db: AsyncSession, statement: str, error_type: type[AppError], columns: list[str]
    ) -> None:
        try:
            async with db.begin_nested():
                await db.execute(text(statement), {"value": "Bélgica\x00"} if ":value" in statement else {})
        except DBAPIError as error:
            refused = refused_by_database(error)
        else:
            pytest.fail("the database accepted the statement")
        assert isinstance(refused, error_type)
        assert [f.field for f in refused.fields or []] == columns
