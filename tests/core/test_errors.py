"""The error envelope on every failure path, and bad input never producing a 500."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

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

    @pytest.mark.parametrize("cursor", ["!!!", "eyJrIjoieCJ9", "a" * 50])
    async def test_tampered_cursor_is_a_422(self, cursor: str, db: AsyncSession, as_user: Any) -> None:
        client = await as_user(await create_secretariat_user(db))
        body = assert_envelope(await client.get("/api/v1/users", params={"cursor": cursor}), 422)
        assert body["fields"][0]["field"] == "query.cursor"

    async def test_page_size_above_the_maximum_is_refused(self, db: AsyncSession, as_user: Any) -> None:
        client = await as_user(await create_secretariat_user(db))
        body = assert_envelope(await client.get("/api/v1/users", params={"limit": 100_000}), 422)
        assert body["fields"][0]["field"] == "query.limit"
